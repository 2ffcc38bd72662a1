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
# # Comparing localities
#
# Five reports, five localities at three levels: a province (甘肃省), an unnamed province's survey, a
# prefecture-level city (南通市), an anonymised city and its districts (xx市), and a county (上犹县).
# This notebook lines them up:
#
# 1. a **profile** per report: platforms (平台), the loop of steps (闭环), mechanisms, topic sources,
#    problems and key figures;
# 2. **loop alignment**: each named loop is mapped onto the canonical step vocabulary and aligned as a
#    sequence (Needleman-Wunsch global alignment), showing matches, gaps and extra steps;
# 3. **similarity** of the reports by their codes and by their vocabulary, and topic composition;
# 4. a crisp-set **QCA truth table** (Ragin 2008) of practice conditions against an outcome.
#
# It runs on the derived tables shipped in `datasets/reports/` (codes, figures, loops, term counts:
# no sentences of the reports); with `GOVLAB_CORPUS_DIR` set, codes, figures and loops are rebuilt from
# the raw reports.

# %%
import govlab

govlab.setup(display=True)

import os

import pandas as pd

from govlab import label
from govlab.coding import code_profile, load_codebook, load_loop_steps
from govlab.compare import (DEFAULT_CONDITIONS, align_loops, align_pair, alignment_matrix, report_tables,
                            loop_similarity, minimize, necessity, outcome_scale, profile_similarity,
                            qca_conditions, report_term_counts, solution_table, term_similarity,
                            topic_composition, truth_table)
from govlab.viz.reports import presence_heatmap, similarity_heatmap, topic_shares_figure

cb = load_codebook()
vocab = load_loop_steps()
corpus_dir = os.environ.get("GOVLAB_CORPUS_DIR")
tables, source = report_tables(corpus_dir, cb)  # the user's reports, or the shipped tables
print(source)
codes, figures, loops, profiles = (tables[k] for k in ("codes", "figures", "loops", "profiles"))
doc_ids = list(profiles["doc_id"])

# %% [markdown]
# ## Locality profiles
#
# One row per report. Lists are in codebook order; key figures are the first distinct unmasked counts,
# shares and quotas of each report (≥ marks a lower bound such as 以上 or 多, ≈ an approximation).

# %%
profiles[["doc_id", "level", "province", "platforms", "loop", "n_loop_steps", "n_figures", "n_masked"]]

# %%
profiles.set_index("doc_id")[["mechanisms", "topic_sources", "problems", "key_figures"]].T

# %% [markdown]
# ## Loop alignment
#
# Three reports name a loop: six steps in Shangyou and Gansu, eight links in Nantong. Each is aligned
# to the canonical loop (`datasets/loop_steps.csv`, ten steps) with the global alignment of
# Needleman and Wunsch (1970), scoring +2 for the same canonical step, −3 for different ones and −1
# for a gap, so that a step with no canonical place shows as an extra step rather than a forced match.

# %%
aligned = align_loops(loops, vocab)
matrix = alignment_matrix(aligned, vocab)
matrix.index = [f"{zh} {en}" for zh, en in zip(vocab["zh"], vocab["en"])] + list(matrix.index[len(vocab):])
matrix

# %%
present = (matrix != "").astype(int)
presence_heatmap(present, text=matrix, color="#9ac2e6",
                 title=f"{label('闭环')}: canonical steps each report names (cells: the report's own wording)").show()

# %% [markdown]
# Aligned directly, Shangyou's six steps and Nantong's eight links share four steps in order; Nantong
# adds platform building, naming the participants, turning results into action and an evaluation,
# Shangyou adds topic collection and feedback. Loop similarity is the alignment score over the better
# of the two self-alignment scores (1 for identical loops).

# %%
align_pair(loops, "shangyou-620", "nantong-youshi").drop(columns="score")

# %%
loop_similarity(loops).round(2)

# %% [markdown]
# ## Similarity between the reports
#
# Cosine similarity over code profiles (which practices, problems and actors a report names, counted)
# and over TF-IDF weighted counts of content terms (`datasets/reports/term_counts.csv`, computed by
# `govlab.text` exactly as in notebook 02).

# %%
prof = code_profile(codes, cb, doc_ids=doc_ids)
sims = {"codes": profile_similarity(prof)}
terms, _ = report_term_counts(corpus_dir)
sims["terms (TF-IDF)"] = term_similarity(terms).reindex(index=doc_ids, columns=doc_ids)
similarity_heatmap(sims, title="Cosine similarity between the reports").show()

# %%
{name: s.round(2) for name, s in sims.items()}["codes"]

# %% [markdown]
# ### Topic composition
#
# Non-negative matrix factorisation of the TF-IDF weighted content terms (three topics, fixed seed):
# each report's share of each topic, and the topic's top terms. It is the NMF model of notebook 02,
# through the same `govlab.text` functions.

# %%
shares, topics = topic_composition(terms, n_topics=3, seed=0, n_top_terms=8)
topic_shares_figure(shares.round(6), title="Topic shares per report (NMF, 3 topics)").show()
topics

# %% [markdown]
# ## A crisp-set truth table (QCA)
#
# **Conditions** (from codes; a report is in the set when it names the practice):
#
# | condition | meaning | codes |
# |---|---|---|
# | LOOP | names a closed loop of at least 5 steps | loop table |
# | SINK | members are sunk to township/village platforms (委员下沉) | mechanism.sinking |
# | LEAD | leaders answer for areas, or conveners per level (包抓, 召集人) | mechanism.leader_responsibility, mechanism.convener |
# | ACCT | accountability: lists, follow-up review or assessment (清单制, 回头看, 考核) | mechanism.list_system, .followup, .assessment |
#
# **Outcome** SCALE: the report documents platform coverage of (nearly) all its grassroots units: an
# unmasked share of at least 90% of townships/villages, or an unmasked count of at least 100 such units.
# Masked figures are missing data and never count.
#
# Consistency and coverage follow Ragin (2008): for a configuration X and outcome Y,
# consistency = Σmin(X, Y)/ΣX, coverage = Σmin(X, Y)/ΣY. With five cases the table illustrates the
# method; it supports no causal claim.

# %%
conds = list(DEFAULT_CONDITIONS)
data = qca_conditions(prof, loops)
data["SCALE"] = outcome_scale(figures, data.index)
data

# %%
tt = truth_table(data, conds, "SCALE", incl_cut=0.8)
tt.round(3)

# %%
necessity(data, conds, "SCALE").round(3)

# %%
solution = minimize(tt, conds)
print("conservative solution:", " + ".join(solution) if solution else "(none)")
solution_table(data, solution, "SCALE").round(3)
