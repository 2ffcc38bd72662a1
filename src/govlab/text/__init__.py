"""Tokens and document-term data for Chinese policy reports.

quanteda's grammar (``tokens`` → ``dfm`` → ``textstat_*`` / ``textmodel_*``; each ``object_verb``
takes and returns its object, and document variables travel along) with scikit-learn's shapes
(scipy.sparse matrices, a vectorizer that fits in a ``Pipeline``). Segmentation is rjieba (jieba-rs)
with the domain lexicon by default; jieba is the reference.

Examples
--------
>>> from govlab.text import tokens, dfm, textstat_frequency
>>> toks = tokens({"a": "县政协推行六步议事，建成委员工作站。", "b": "市政协建成委员工作室。"})
>>> textstat_frequency(dfm(toks), n=2)["term"].tolist()
['建成', '六步议事']
"""
from govlab.text.cooccurrence import cooccurrence_matrix, coword_network, top_features
from govlab.text.dfm import (
                                 DFM,
                                 count_terms,
                                 dfm,
                                 dfm_content,
                                 dfm_from_frame,
                                 dfm_group,
                                 dfm_select,
                                 dfm_tfidf,
                                 dfm_trim,
                                 dfm_weight,
)
from govlab.text.lexicon import Lexicon, load_lexicon, load_stopwords
from govlab.text.segment import (
                                 BACKENDS,
                                 DEFAULT_BACKEND,
                                 LEXICON_FREQ,
                                 Segmenter,
                                 get_segmenter,
                                 lexicon_splits,
                                 segmentation_agreement,
)
from govlab.text.stats import textstat_frequency, textstat_keyness, textstat_simil
from govlab.text.tokens import (
                                 Texts,
                                 TokenizerSpec,
                                 Tokens,
                                 as_texts,
                                 corpus_reshape,
                                 dictionary_tokenize,
                                 kwic,
                                 tokens,
                                 tokens_compound,
                                 tokens_lookup,
                                 tokens_select,
)
from govlab.text.topics import TopicModel, textmodel_lda, textmodel_nmf

__all__ = [
    "Lexicon", "load_lexicon", "load_stopwords",
    "BACKENDS", "DEFAULT_BACKEND", "LEXICON_FREQ", "Segmenter", "get_segmenter", "lexicon_splits", "segmentation_agreement",
    "Texts", "TokenizerSpec", "Tokens", "as_texts", "corpus_reshape", "dictionary_tokenize", "kwic",
    "tokens", "tokens_compound", "tokens_lookup", "tokens_select",
    "DFM", "ChineseCountVectorizer", "count_terms", "dfm", "dfm_content", "dfm_from_frame", "dfm_group", "dfm_select",
    "dfm_tfidf", "dfm_trim", "dfm_weight",
    "textstat_frequency", "textstat_keyness", "textstat_simil",
    "cooccurrence_matrix", "coword_network", "top_features",
    "TopicModel", "textmodel_lda", "textmodel_nmf",
]


def __getattr__(name: str):
    # scikit-learn is imported only when its vectorizer is asked for
    if name == "ChineseCountVectorizer":
        from govlab.text.vectorizer import ChineseCountVectorizer

        return ChineseCountVectorizer
    raise AttributeError(f"module 'govlab.text' has no attribute {name!r}")
