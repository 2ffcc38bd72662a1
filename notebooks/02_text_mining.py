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
# # Text mining: tokens and document-term data (分词与文档-词项矩阵)
#
# Studies of grassroots consultation (基层协商) usually chain GUI tools: a word-frequency tool, then a
# co-word matrix tool, then SPSS. govlab makes the chain a few reproducible calls, in the spirit of
# quanteda (corpus → tokens → document-feature matrix), for Chinese policy reports:
#
# * **tokens**: segmentation (分词) with jieba's algorithm (compiled by govlab; rjieba and jieba are
#   the alternatives), a shipped **domain lexicon**
#   (领域词典: platform names, loop steps, mechanisms, slogans kept as single tokens, e.g. 有事好商量,
#   委员工作站, 六步议事) and a **stopword** list (停用词); every tokens object records the segmenter,
#   its version and the sha256 of the lexicon;
# * a **document-term matrix** (文档-词项矩阵) that scikit-learn accepts and that carries each
#   document's locality and year;
# * **keyness** (关键性) between two localities, an Ochiai **co-word network** (共词网络), **topic
#   models** (主题模型, NMF and LDA with fixed seeds), **cosine similarity** (余弦相似度), and a
#   keyword-in-context view over the raw texts.
#
# The first part runs on the shipped derived data `datasets/reports/term_counts.csv`: the term counts
# (词频) of the five real reports, one row per (report, term), never their sentences. The last part
# needs raw text and uses the project's fictional examples in `datasets/examples/` (or the reports in
# `GOVLAB_CORPUS_DIR` when that is set).

# %%
import govlab

govlab.setup(display=True)

import os

import networkx as nx
import numpy as np
import pandas as pd

from govlab import label
from govlab.compare import report_term_counts
from govlab.datasets import dataset_path
from govlab.text import (count_terms, coword_network, dfm, dfm_content, dfm_from_frame, dfm_group, dfm_select, dfm_tfidf,
                         dfm_trim, get_segmenter, kwic, load_lexicon, segmentation_agreement, textmodel_lda,
                         textmodel_nmf, textstat_frequency, textstat_keyness, textstat_simil, tokens, tokens_lookup)
from govlab.viz.reports import coword_figure, keyness_figure, similarity_heatmap, topic_shares_figure

documents = pd.read_csv(dataset_path("reports", "documents.csv"), keep_default_na=False)
docvars = documents[["doc_id", "locality", "locality_level", "province", "year"]]
corpus_dir = os.environ.get("GOVLAB_CORPUS_DIR")
counts, source = report_term_counts(corpus_dir)  # the user's reports, or the shipped term counts
reports = dfm_from_frame(counts, docvars)
print(source)
reports

# %% [markdown]
# ## The five reports
#
# Short names used in the figures (the reports' localities; `prov-x-survey` is an unnamed province and
# `xx-city-districts` an anonymised city). Tokens are counted after removing punctuation and
# stopwords; "types" are distinct terms.

# %%
short = {"gansu-extension": "甘肃省 Gansu", "nantong-youshi": "南通市 Nantong", "prov-x-survey": "某省 Province X",
         "shangyou-620": "上犹县 Shangyou", "xx-city-districts": "xx市 City xx"}
overview = reports.docvars[["doc_id", "locality_level", "year"]].copy()
overview.insert(1, "report", overview["doc_id"].map(short))
overview["tokens"] = np.asarray(reports.matrix.sum(axis=1)).ravel()
overview["types"] = np.diff(reports.matrix.indptr)
overview

# %% [markdown]
# ## Top terms per report (词频)
#
# As in quanteda's tutorial for Chinese, single characters are dropped (`min_nchar=2`); so are numbers
# and the masks of anonymised reports (xx, ××).

# %%
content = dfm_content(reports)
top = textstat_frequency(content, n=10, groups="doc_id")
top["cell"] = top["term"] + " (" + top["frequency"].astype(str) + ")"
top["position"] = top.groupby("group").cumcount() + 1
table = top.pivot(index="position", columns="group", values="cell").rename(columns=short)
table

# %% [markdown]
# Each report has its own vocabulary: Nantong's Jiangsu brand 有事好商量 and its consultation rooms
# (协商议事室), Shangyou's member workstations (委员工作站), Gansu's townships and streets (乡镇, 街道),
# the province survey's grassroots social governance (基层社会治理) and Party building (党建), and the
# district CPPCCs (区政协) of city xx.
#
# ## Keyness between two localities (关键性)
#
# Which terms set Nantong (南通市, a city in Jiangsu) apart from Gansu province? The log-odds ratio with
# an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008) shrinks the log-odds of rare terms
# towards the whole corpus and divides by its standard error, so that a term used 30 times in one
# report and never in the other ranks above a term used once.

# %%
key = textstat_keyness(content, "nantong-youshi", reference="gansu-extension")
shown = pd.concat([key.head(12), key.tail(12)])
shown[["term", "delta", "sd", "z", "count_target", "count_reference"]].round(3)

# %%
keyness_figure(key, "南通市 Nantong", "甘肃省 Gansu", n=12).show()

# %% [markdown]
# ## Co-word network of domain terms (共词网络)
#
# The classic chain (co-word matrix → Ochiai coefficient) in two calls: keep the lexicon's domain
# terms, count in how many reports each pair of terms occurs together (`c_ij`), and normalise by
# `sqrt(c_i c_j)` (Ochiai). With five reports as units the coefficient is coarse, so the network keeps
# the 20 domain terms found in two to four reports (a term in all five links to everything) and the
# links shared by at least two reports with Ochiai ≥ 0.8. On raw text, reshape the corpus into
# sentences first (`corpus_reshape`) for sentence-level co-occurrence.

# %%
lexicon = load_lexicon()
domain = dfm_trim(dfm_select(reports, list(lexicon.terms)), min_docfreq=2, max_docfreq=4)
net = coword_network(domain, top_n=20, min_count=2, min_weight=0.8)
print(f"{net.number_of_nodes()} terms, {net.number_of_edges()} links")
edges = nx.to_pandas_edgelist(net).sort_values(["weight", "count", "source", "target"],
                                               ascending=[False, False, True, True])
edges.head(10).round(3)

# %%
coword_figure(net, seed=7, title=f"{label('共词网络')}: domain terms in 2-4 reports (Ochiai ≥ 0.8)").show()

# %% [markdown]
# ## Topics (主题模型)
#
# NMF on TF-IDF weights and LDA on counts, both from scikit-learn with a fixed seed, so the topics are
# the same on every run. With five documents the topics mostly separate the reports; the point is
# the reproducible chain, which scales to hundreds of reports.
# Notebook 04 shows the same NMF topics and the same similarities below, through
# `govlab.compare`, which calls these functions.

# %%
weighted = dfm_tfidf(content)
nmf = textmodel_nmf(weighted, 3, seed=0)
lda = textmodel_lda(dfm_trim(content, min_termfreq=3), 3, seed=0)
terms = pd.DataFrame({"NMF (TF-IDF)": nmf.top_terms(8).groupby("topic")["term"].apply(" ".join),
                      "LDA (counts)": lda.top_terms(8).groupby("topic")["term"].apply(" ".join)})
terms

# %%
comp = nmf.composition("doc_id").rename(index=short).round(6)  # stored shares hold on any CPU
names = nmf.top_terms(3).groupby("topic")["term"].apply(" ".join)
topic_shares_figure(comp, names, title=f"{label('主题模型')}: NMF topic shares per report").show()

# %% [markdown]
# ## How similar are the reports? (余弦相似度)
#
# Cosine similarity of the reports' TF-IDF vectors: low everywhere, because each report writes about
# its own locality with its own names for the same system.

# %%
sim = textstat_simil(weighted, "cosine").rename(index=short, columns=short)
similarity_heatmap(sim.round(6), title=f"{label('余弦相似度')} of the reports (TF-IDF)").show()

# %% [markdown]
# ## Raw text: tokens, agreement, keyword in context
#
# This part needs the texts themselves. It uses the project's **fictional** example reports
# (`datasets/examples/`: 青溪县, 东岭市 and 林山市 do not exist), or the real reports when
# `GOVLAB_CORPUS_DIR` is set.

# %%
from govlab.corpus import build_corpus

source = corpus_dir or str(dataset_path("examples"))
corpus = build_corpus(source)
texts, docs = dict(corpus.texts), corpus.documents
print("texts:", "GOVLAB_CORPUS_DIR" if corpus_dir else "fictional examples (datasets/examples)", f"({len(texts)} documents)")

# %% [markdown]
# Segmentation with and without the lexicon, on a fictional sentence. Without it, jieba cuts the
# domain's units apart (有事 / 好 / 商量, 六步 / 议事); with it they stay whole, in every backend.

# %%
sentence = {"fictional": "青溪县政协推行六步议事，在有事好商量协商议事室里落实党政点题、群众出题、委员荐题。"}
pd.DataFrame({
    "no lexicon": [" / ".join(tokens(sentence, lexicon=None, stopwords=None)["fictional"])],
    "rjieba + lexicon (default)": [" / ".join(tokens(sentence, stopwords=None)["fictional"])],
    "jieba + lexicon": [" / ".join(tokens(sentence, backend="jieba", stopwords=None)["fictional"])],
}).T.rename(columns={0: "tokens"})

# %% [markdown]
# Every tokens object records how it was made (the segmenter's version is recorded too, in
# `toks.segmenter_version`):

# %%
toks = tokens(texts, docs)
print(toks.segmenter, "| lexicon sha256", toks.lexicon_sha256[:16], "| stopwords sha256", toks.stopwords_sha256[:16])
print(toks.history)

# %% [markdown]
# The default backend, rjieba (jieba-rs, jieba's algorithm in Rust, a maintained library), is many
# times faster than jieba, the pure-Python reference (`benchmarks/results/tokenize.json`). On the
# Chinese spans of the texts the two agree token for token (token F1 on character spans); jieba-rs
# differs from jieba only on some runs of digits, letters and hyphens:

# %%
lex = load_lexicon()
segmentation_agreement(texts, get_segmenter("rjieba", lex), get_segmenter("jieba", lex)).round(4)

# %% [markdown]
# Keyword in context over the raw (clean) texts, with character offsets:

# %%
kwic(texts, "委员工作站", window=10).head(8)

# %% [markdown]
# A small bilingual dictionary looked up in the tokens. Entries are segmented with the same tokenizer
# as the text, so a multi-word entry is never silently missed (quanteda issue 2476); the result is a
# document-term matrix of dictionary keys:

# %%
dictionary = {
    f"{label('平台', 'en')}": ["委员工作站", "委员工作室", "委员联络站", "协商议事室", "协商议事会", "网上协商议事室"],
    f"{label('闭环', 'en')}": ["六步议事", "八个环节", "收集议题", "确定议题", "成果报送", "结果反馈"],
    "topic sources": ["党政点题", "群众出题", "委员荐题"],
    "leaks": ["议而不决", "决而不行", "行而不久"],
    "quotas and lists": ["4+X", "六有", "清单制", "建议清单", "责任清单"],
}
keys = dfm(tokens_lookup(toks, dictionary))
keys.to_dense_frame()
