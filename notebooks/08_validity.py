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
# # Validity: does the text mining hold up on reports it was not built on?
#
# govlab's figures and codes were written for five reports. This chapter scores them on a
# development set of 25 other real texts (other localities' news, speeches and papers, with
# web noise kept), hand-annotated with every figure and every actor, platform, locality, problem
# and step sequence they name. The texts are other people's writing and are never part of the
# project: the scores shown here are the ones stored in `datasets/evaluation/`. When the development
# set is on this machine (`GOVLAB_DEVSET_DIR`, or `../shared/devset` beside the repository), the
# notebook re-scores it with `govlab.evaluate` and checks that the stored figure scores are still
# what the code gives; the tables below do not change either way.
#
# The set is split once: 17 texts to tune the rules on, 8 held out and scored once at the end
# (`datasets/evaluation/split.csv`). Every metric is defined in `govlab.evaluate`'s docstring; the
# command is `govlab evaluate GOLD_DIR --split each`.

# %%
import govlab

govlab.setup()

import os
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from govlab.evaluate import evaluate, load_evaluation

# %% tags=["parameters"]
devset_dir = ""  # empty: GOVLAB_DEVSET_DIR, else ../shared/devset beside the repository

# %%
devset_dir = devset_dir or os.environ.get("GOVLAB_DEVSET_DIR") or "../../shared/devset"
stored = {name: load_evaluation(name) for name in
          ("scores_before", "scores_after", "scores_baseline", "errors", "figure_misses", "confusion", "split")}
if (Path(devset_dir) / "raw").is_dir():
    live = evaluate(devset_dir, split="each").scores
    live_fig = live[live["group"] == "figures"].astype(str).reset_index(drop=True)
    kept = stored["scores_after"]
    kept_fig = kept[kept["group"] == "figures"].astype(str).reset_index(drop=True)
    assert live_fig.equals(kept_fig), "the stored figure scores are stale: regenerate datasets/evaluation/"
stored["split"]["part"].value_counts()

# %% [markdown]
# ## Figures: govlab beside a naive regex
#
# *Strict* means the value and the counted thing are both right; *lenient*, the value alone.
# Precision is over the rows that are not dates or durations. The baseline is the 27-line regex a
# new user writes first (a number, a measure word and the next few characters:
# `govlab.evaluate.baseline_figures`); *before* is govlab's extractor before this work.

# %%
def _wide(scores, source):
    s = scores[scores["group"] == "figures"].copy()
    s["source"] = source
    return s


figs = pd.concat([_wide(stored["scores_baseline"], "baseline"), _wide(stored["scores_before"], "before"),
                  _wide(stored["scores_after"], "govlab")], ignore_index=True)
figs["value"] = figs["score"] + " (" + figs["numerator"].astype(str) + "/" + figs["denominator"].astype(str) + ")"
figs.pivot_table(index=["category", "metric"], columns=["part", "source"], values="value", aggfunc="first",
                 sort=False)[["tune", "heldout"]]

# %%
shown = figs[figs["category"].isin(["strict", "lenient"])].copy()
shown["pct"] = shown["score"].astype(float)
fig = go.Figure()
for source, color in (("baseline", "#bbbbbb"), ("before", "#7f9cc0"), ("govlab", "#1f4e8c")):
    sub = shown[shown["source"] == source]
    fig.add_bar(name=source, x=[sub["part"], sub["category"] + " " + sub["metric"]], y=sub["pct"],
                marker_color=color)
fig.add_hline(y=90, line_dash="dot", line_color="#c0392b")
fig.update_layout(barmode="group", title="Figure scores on the development set (goal: 90% strict)",
                  yaxis_title="percent", yaxis_range=[0, 100])
fig.show()

# %% [markdown]
# On the tuning part every gold figure is found with its counted thing; on the held-out part
# strict recall and precision are well above the baseline and the old extractor but below the 90%
# goal. The value is almost always found (lenient recall); what remains wrong is mostly the counted
# thing. The held-out numbers are the honest estimate for new reports.

# %% [markdown]
# ## What the figure errors look like
#
# Each error as its value, counted noun and offsets in the clean text (the document by its number;
# no sentence of the texts is shown).

# %%
stored["figure_misses"]

# %% [markdown]
# ## Codes per category
#
# A gold item is recalled when a code of its category overlaps it in the text; a code is right when
# it overlaps a gold item of its category. Cohen's kappa is computed over candidate units (overlapping
# gold items and codes merged), so units of the other categories give the "absent" cases.

# %%
after = stored["scores_after"]
codes = after[(after["group"] == "codes") & after["metric"].isin(["recall", "precision", "kappa"])]
codes.pivot_table(index="category", columns=["part", "metric"], values="score", aggfunc="first",
                  sort=False)[["tune", "heldout"]]

# %% [markdown]
# Step sequences: a gold sequence is *found* when one extracted sequence names all its steps, and
# *in order* when it names them in the gold order.

# %%
steps = after[after["group"] == "steps"].copy()
steps["value"] = steps["score"] + " (" + steps["numerator"].astype(str) + "/" + steps["denominator"].astype(str) + ")"
steps.pivot_table(index="metric", columns="part", values="value", aggfunc="first", sort=False)[["tune", "heldout"]]

# %% [markdown]
# ## Confusion of code categories
#
# Rows: the gold category of a candidate unit (`none`: no gold item there). Columns: the category of
# the code govlab put there (`none`: no code). Off-diagonal cells are codes of the wrong category, for
# example actor codes that fire inside platform names.

# %%
conf = stored["confusion"].set_index("gold")
fig = go.Figure(go.Heatmap(z=conf.values, x=list(conf.columns), y=list(conf.index), colorscale="Blues",
                           text=conf.values, texttemplate="%{text}", showscale=False))
fig.update_layout(title="Candidate units by gold and coded category (all 25 texts)",
                  xaxis_title="coded as", yaxis_title="gold", yaxis_autorange="reversed")
fig.show()

# %% [markdown]
# ## Errors by type

# %%
err = stored["errors"]
fig = go.Figure()
for part, color in (("tune", "#7f9cc0"), ("heldout", "#1f4e8c")):
    sub = err[err["part"] == part]
    fig.add_bar(name=part, y=sub["group"] + " · " + sub["category"] + " · " + sub["error"], x=sub["count"],
                orientation="h", marker_color=color)
fig.update_layout(barmode="group", title="Misses and wrong predictions by type", xaxis_title="count",
                  height=650, margin={"l": 330})
fig.show()

# %% [markdown]
# Reading the errors: the codes miss most named problems, localities and platform brands outside
# the closed codebook, and actor codes fire inside platform names; step sequences outside the three
# known loops are not found. These are the codebook and loop parts of issue 13; the figure rules here
# cover the noun before the number, compounds and enumerations of units, head nouns over modifiers,
# quoted brands, money by kind, Chinese numerals outside a closed list, approximate forms and masks.
