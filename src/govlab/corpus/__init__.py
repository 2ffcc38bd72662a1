"""The corpus: reports in, a clean and auditable corpus out.

Read a folder of reports and its subfolders (``.txt``, ``.html``/``.htm``, ``.md``, ``.docx``, ``.pdf``,
``.rtf``, ``.doc``; UTF-8, GB18030/GBK, Big5 or UTF-16 with a BOM), clean each one with logged rules (spam, JavaScript wrappers, HTML, site
chrome, paywall and terms notices, repeated paragraphs and passages, soft spaces, traditional
script, punctuation width, whitespace), and keep the evidence: paragraph and sentence spans into
the clean text and a cleaning log with offsets into the raw text.

Examples
--------
>>> from govlab.corpus import clean_text
>>> clean_text("首页 > 新闻\\n委员工作站 建成。").text
'委员工作站 建成。\\n'
"""
from __future__ import annotations

from govlab.corpus.audit import removed_by_rule
from govlab.corpus.build import (
                                 COMPLETE_MARKER,
                                 CORPUS_LOG_COLUMNS,
                                 DOCUMENT_COLUMNS,
                                 ERROR_COLUMNS,
                                 Corpus,
                                 build_corpus,
                                 derive_doc_id,
                                 error_counts,
                                 is_corpus,
                                 load_corpus,
                                 read_corpus,
                                 write_corpus,
)
from govlab.corpus.clean import LOG_COLUMNS, PIPELINE, RULE_TERMS, CleanResult, clean_text, detect_script
from govlab.corpus.read import (
                                 DEFAULT_MAX_BYTES,
                                 DEFAULT_MAX_UNZIPPED_BYTES,
                                 MANIFEST_COLUMNS,
                                 SUFFIXES,
                                 RawDocument,
                                 decode_bytes,
                                 read_document,
                                 read_manifest,
)
from govlab.corpus.spans import SPAN_COLUMNS, sentence_bounds, text_spans

__all__ = [
    "Corpus", "build_corpus", "read_corpus", "write_corpus", "clean_text", "CleanResult", "read_document",
    "RawDocument", "read_manifest", "decode_bytes", "detect_script", "text_spans", "sentence_bounds",
    "DOCUMENT_COLUMNS", "CORPUS_LOG_COLUMNS", "ERROR_COLUMNS", "LOG_COLUMNS", "SPAN_COLUMNS",
    "MANIFEST_COLUMNS", "SUFFIXES", "DEFAULT_MAX_BYTES", "PIPELINE", "RULE_TERMS", "removed_by_rule",
    "COMPLETE_MARKER", "DEFAULT_MAX_UNZIPPED_BYTES", "load_corpus", "is_corpus", "error_counts", "derive_doc_id",
]
