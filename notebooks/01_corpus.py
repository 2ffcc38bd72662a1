# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 01 · A clean, auditable corpus (语料清洗)
#
# Policy reports on CPPCC grassroots consultation reach researchers as messy copies: scraped web
# pages with navigation and footers (网页框架), copies from document-sharing sites with paywall and
# terms notices (付费提示, 使用条款), pages hacked with gambling link farms (链接农场), articles delivered as
# JavaScript (`document.writeln`), traditional script, passages printed twice. This notebook builds a
# corpus from a folder of reports and **audits** the cleaning: what was removed, by which rule, and
# where in the raw text, so that every drop can be checked by hand.
#
# It runs on govlab's own **fictional** example reports (`datasets/examples/`, written for the
# project) unless `GOVLAB_CORPUS_DIR` names a folder of real reports. On a real corpus the notebook
# shows only counts and offsets, never the reports' text.

# %%
import govlab

govlab.setup(display=True)

import os
from pathlib import Path

import pandas as pd

from govlab import label
from govlab.corpus import build_corpus, read_document, removed_by_rule
from govlab.datasets import dataset_path
from govlab.viz.reports import chars_before_after, hbar

# %%
corpus_dir = os.environ.get("GOVLAB_CORPUS_DIR")
raw_dir = Path(corpus_dir) if corpus_dir else dataset_path("examples")
fictional = corpus_dir is None
corpus = build_corpus(raw_dir)
print(f"{len(corpus.documents)} documents; {len(corpus.errors)} files not used; "
      f"{'fictional examples' if fictional else 'reports from GOVLAB_CORPUS_DIR'}")

# %% [markdown]
# ## The documents table
#
# One row per report: its metadata from `manifest.csv` (document variables that travel with the
# corpus into the text and coding flows), the encoding that was detected, the original script and
# whether OpenCC converted it, and lengths before and after cleaning. `kept` is the share of the raw
# characters left in the clean text.

# %%
docs = corpus.documents.assign(kept=lambda d: d["clean_chars"] / d["raw_chars"])
docs[["doc_id", "locality", "locality_level", "year", "encoding", "script", "converted", "raw_chars",
      "clean_chars", "kept", "n_paragraphs", "n_sentences"]].round(3)

# %%
chars_before_after(docs).show()

# %% [markdown]
# ## What was removed, by rule
#
# Every edit is a row of the cleaning log: the rule, the block's offsets in the raw decoded text
# (`raw_start`, `raw_end`), and `dropped_chars`, the raw characters it dropped (each raw character
# is counted once, by the rule that dropped it). Rules are grouped by the kind of noise they remove;
# the labels come from govlab's bilingual glossary.

# %%
by_rule = removed_by_rule(corpus.log)
by_rule[["step", "rule", "term", "blocks", "removed_chars", "replaced_blocks"]]

# %%
by_term = (by_rule.groupby("term", as_index=False)[["blocks", "removed_chars"]].sum()
           .sort_values(["removed_chars", "term"], ascending=[True, True]))
hbar(by_term.set_axis([label(t) for t in by_term["term"]])["removed_chars"], text=by_term["blocks"],
     text_template="%{text} blocks", title="Raw characters removed, by kind of noise 按噪声类型统计删除字符",
     xaxis_title="raw characters removed 删除的原文字符").show()

# %% [markdown]
# Per document, the same log shows which noise each copy carried:

# %%
per_doc = removed_by_rule(corpus.log, by_doc=True)
per_doc.pivot_table(index="doc_id", columns="step", values="removed_chars", aggfunc="sum", fill_value=0)

# %% [markdown]
# ## One document's log, line by line
#
# The log's offsets point into the raw decoded text (`read_document(path).text`), so each removed
# block can be looked up. For the fictional examples the removed text is shown; for real reports only
# offsets and lengths.

# %%
doc_id = by_rule.empty and docs["doc_id"].iloc[0] or (
    per_doc.groupby("doc_id")["rule"].nunique().sort_values(ascending=False, kind="stable").index[0])
row = docs.set_index("doc_id").loc[doc_id]
raw = read_document(raw_dir / row["file"]).text
log = corpus.log[corpus.log["doc_id"] == doc_id].drop(columns="doc_id").reset_index(drop=True)
if fictional:
    log = log.assign(raw_text=[raw[s:e][:40].replace("\n", "⏎") for s, e in zip(log["raw_start"], log["raw_end"])])
print(f"{doc_id}: {row['encoding']}, {len(log)} edits")
log[log["dropped_chars"] > 0].head(25)

# %% [markdown]
# ## Paragraphs and sentences
#
# The clean text holds one paragraph per line; `corpus.spans` gives paragraph and sentence offsets
# into it, the units the text and coding flows count and code.

# %%
corpus.spans.groupby(["doc_id", "kind"]).size().unstack("kind")

# %%
if fictional:
    text = corpus.texts[doc_id]
    sents = corpus.spans[(corpus.spans["doc_id"] == doc_id) & (corpus.spans["kind"] == "sentence")]
    for s, e in zip(sents["start"].head(4), sents["end"].head(4)):
        print(f"[{s:>4}, {e:>4})  {text[s:e]}")

# %% [markdown]
# ## Reproducing this from the command line
#
# ```
# govlab corpus build RAW_DIR --out OUT_DIR   # texts/, documents.csv, cleaning_log.csv, spans.parquet
# govlab corpus audit OUT_DIR                 # a per-document summary like the tables above
# ```
#
# Running the build twice gives byte-identical files. `datasets/reports/` ships the tables (never the
# texts) built this way from the five real reports.
