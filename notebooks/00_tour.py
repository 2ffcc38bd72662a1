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
# # govlab in ten minutes
#
# govlab is a research suite on how China's city and county CPPCCs (市县政协) extend consultation to the
# grassroots: member workstations (委员工作站), consultation rooms, members sunk (下沉) to townships, and a
# closed loop of steps that each issue should pass. It does two things and joins them: it text-mines
# policy reports into an auditable corpus with coded practices and figures, and it models the
# participation networks those reports describe, calibrated to their figures, to run policy scenarios.
#
# This tour walks both flows once on data shipped with govlab, so it runs anywhere:
#
# ```
# reports ─► corpus ─► text ─► coding ─► compare          (notebooks 01–04)
# locality config ─► network ─► scenarios ─► measures     (notebooks 05–06)
#                         both ─► replication              (notebook 07)
# ```
#
# The reports used here are the project's own **fictional** examples (`datasets/examples/`): the five
# real reports are copyrighted, so govlab ships only facts, figures, counts and offsets derived from
# them. Set `GOVLAB_CORPUS_DIR` to a folder of real reports to run notebooks 01–04 on them.

# %%
import govlab

govlab.setup(display=True)

import pandas as pd

from govlab import label
from govlab.datasets import dataset_path
from govlab.viz.reports import hbar

# %% [markdown]
# ## Flow 1: from messy reports to codes and figures
#
# ### A clean, auditable corpus
#
# `build_corpus` reads every report in a folder, whatever its encoding (UTF-8, GB18030, Big5, UTF-16),
# cleans it with logged rules (site chrome, link-farm spam, JavaScript wrappers, repeated passages,
# traditional script) and keeps the evidence: what was removed, where, and by which rule.

# %%
from govlab.corpus import build_corpus

corpus = build_corpus(dataset_path("examples"))
corpus.documents[["doc_id", "encoding", "script", "raw_chars", "clean_chars", "n_paragraphs"]]

# %% [markdown]
# Every removed block is in the cleaning log, so a reader can audit each cut. Here is how much each
# rule removed across the examples:

# %%
removed = (corpus.log.groupby("rule", as_index=False)["length"].sum()
           .sort_values(["length", "rule"], ascending=[False, True]).head(10))
hbar(removed.set_index("rule")["length"], title="Characters removed by each cleaning rule (fictional examples)",
     xaxis_title="characters removed").show()

# %% [markdown]
# ### Tokens and a document-term matrix
#
# Segmentation uses jieba's algorithm (compiled by govlab) with a domain lexicon, so terms such as 委员工作站 or 协商议事室 stay whole
# tokens. The document-term matrix is a sparse matrix that scikit-learn accepts, and it carries each
# document's metadata along.

# %%
from govlab.text import dfm, tokens

dtm = dfm(tokens(corpus))
top = dtm.topfeatures(12).rename_axis("term").reset_index()
top

# %% [markdown]
# ### Practice codes and figures, each with its evidence
#
# The bilingual codebook (`datasets/codebook.yaml`) codes platforms, loop steps, mechanisms, actors
# and problems. Each code keeps its character offsets in the clean text. The figure extractor finds
# every number that counts something, including approximate (约, 余, 以上) and masked (××) ones.

# %%
from govlab.coding import code_corpus, extract_figures_corpus

codes = code_corpus(corpus)
codes.groupby(["doc_id", "category"]).size().unstack(fill_value=0)

# %%
figures = extract_figures_corpus(corpus)
figures.loc[figures["kind"] != "date", ["doc_id", "matched", "value", "unit", "counted", "approx", "masked"]].head(8)

# %% [markdown]
# ## Flow 2: a participation network and a policy lever
#
# ### A calibrated synthetic locality
#
# `govlab.synthesize` builds a locality from a YAML config in `datasets/localities/`: the
# administrative hierarchy, CPPCC members by level, sector and party, platforms, and members sunk to
# them. Each config must reproduce the structural figures its report gives. Here is Shangyou county's
# "620" project (six area workstations and about twenty studios):

# %%
from govlab.network import synthesize
from govlab.network.targets import check_structure_targets

shangyou = synthesize("shangyou-620", seed=0)
check_structure_targets(shangyou)[["id", "op", "target", "value", "ok", "fact"]]

# %% [markdown]
# ### A scenario: pay residents for the time they lose
#
# The reports name the lack of compensation for lost work time (误工补贴) as one reason residents stay
# away. A scenario runs the locality's consultation years with and without that lever, over
# replicates with seeds drawn from one root seed, and compares the variant with the baseline with
# intervals.

# %%
from govlab.scenarios import run_scenario
from govlab.viz.scenarios import plot_comparison

result = run_scenario({"locality": "shangyou-620", "years": 3, "replicates": 5, "seed": 1,
                       "variants": {"compensation": {"levers": {"compensation": {"residents": 1.0}}}}})
table = result.compare()
focus = ["participants", "representativeness", "solved_per_10k"]
table.loc[table["metric"].isin(focus), ["variant", "metric", "baseline", "value", "diff_lo", "diff_hi", "verdict"]].round(3)

# %%
fig = plot_comparison(table, metric_names=focus, title="Compensation for lost work time vs baseline")
fig.show()

# %% [markdown]
# ## Where next
#
# | notebook | what it shows |
# |---|---|
# | 01_corpus | build and audit the corpus (raw vs clean, removed blocks by rule) |
# | 02_text_mining | tokens, keyness, co-occurrence networks, topics |
# | 03_practice_coding | the codebook, codes and figures with evidence |
# | 04_compare_localities | locality profiles, loop alignment, a QCA truth table |
# | 05_participation_network | the five localities as networks, and their measures |
# | 06_scenarios | levers, calibration and sweeps with uncertainty |
# | 07_replication | every figure of the five reports: reported, extracted, modelled |
# | teaching/ | exercises (solutions kept apart in teaching/solutions/) |
#
# Labels of tables and figures come from the bilingual glossary (`datasets/glossary.csv`) and switch
# language with one call, `govlab.setup(lang="en")`, `"zh"` or `"both"` (the default):

# %%
print(label("委员工作站", lang="en"), "|", label("委员工作站", lang="zh"), "|", label("委员工作站", lang="both"))
