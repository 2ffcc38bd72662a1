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
# # Replication: every figure of the five reports, extracted and modelled
#
# The five reports give a few dozen figures: counts of platforms and units, coverage rates, quotas,
# review weights, participants and problems solved. This notebook puts each one beside two
# independent reproductions: the value govlab's figure extractor finds in the report's text, and
# the value the calibrated model produces (the synthetic locality for structural figures, the
# calibrated scenario baseline for flows). A figure is *replicated* when both agree with the report.
#
# Sources: `datasets/replication_targets.csv` (the reported figures, facts only),
# `datasets/reports/figures.csv` and `loops.csv` (extracted by `govlab.coding` from the real
# reports), `govlab.network` and `govlab.scenarios` (the models). Any source that is missing shows as
# "not available". The logic is `govlab.replication` (tested in `tests/test_replication.py`).

# %%
import govlab

govlab.setup(display=True)

import pandas as pd
import plotly.graph_objects as go

from govlab.replication import (STATUSES, load_extracted, load_extracted_loops, load_targets, model_values,
                                replication_table, status_summary)

# %% [markdown]
# ## The reported figures
#
# One row per figure in the five reports (each row names its report by `doc_id`): the value, how a reproduction must
# relate to it (`==`, `>` for "over", `approx` with a tolerance), and where each reproduction looks.

# %%
targets = load_targets()
targets.groupby("doc_id").agg(figures=("target_id", "size"),
                              modelled=("model_source", lambda s: int((s != "").sum())))

# %% [markdown]
# ## Three sources side by side
#
# The extracted figures are matched on report, value, kind and counted thing (a number that equals the
# reported one but counts something else is "value only"). The model values come from each report's
# locality config, built with seed 0, and from the calibrated scenario baselines (replicate means,
# scaled to the real locality's population).

# %%
extracted = load_extracted()
loops = load_extracted_loops()
modelled = model_values(targets, seed=0)
pd.Series({"extracted figures": 0 if extracted is None else len(extracted),
           "extracted loop steps": 0 if loops is None else len(loops),
           "model values": len(modelled)})

# %%
table = replication_table(targets, extracted, modelled, loops)
show = ["doc_id", "figure", "op", "value", "unit", "extracted", "text_status", "model", "model_status", "status"]
table[show].round(2)

# %% [markdown]
# ## How much replicates
#
# `replicated`: text and model both agree with the report; `extracted` / `modelled`: one agrees and
# the other has no value; `value only`: the number is in the text but the extractor did not tie it to
# what it counts; `differs`: one disagrees; `missing`: the extractor did not find it; `not
# available`: neither source has it.

# %%
summary = status_summary(table)
summary

# %%
colors = {"replicated": "#55A868", "extracted": "#8CC084", "modelled": "#64B5CD", "value only": "#CCB974",
          "differs": "#C44E52",
          "missing": "#DD8452", "not available": "#BBBBBB"}
fig = go.Figure([go.Bar(name=s, y=summary.index, x=summary[s], orientation="h", marker_color=colors[s])
                 for s in STATUSES if s in summary.columns])
fig.update_layout(barmode="stack", title="Figures of the five reports by replication status",
                  xaxis_title="figures", yaxis=dict(automargin=True), height=360)
fig.show()

# %% [markdown]
# ## Where the model and the report disagree
#
# The relative difference of each modelled figure from the reported one. For "over X" figures the
# model only has to exceed X, so a positive difference there is no disagreement.

# %%
with_model = table[table["model"].notna()].copy()
with_model["relative"] = (with_model["model"] / with_model["value"] - 1).round(4)
with_model = with_model.sort_values(["doc_id", "target_id"])
fig = go.Figure(go.Scatter(
    x=with_model["relative"], y=with_model["target_id"], mode="markers",
    marker=dict(size=10, color=[colors["differs"] if s == "off" else colors["replicated"]
                                for s in with_model["model_status"]]),
    text=with_model["op"], hovertemplate="%{y}: %{x:.1%} (%{text})<extra></extra>"))
fig.add_vline(x=0, line_color="#999")
fig.update_layout(title="Model vs report: relative difference", xaxis_tickformat=".0%",
                  yaxis=dict(automargin=True, autorange="reversed"), height=60 + 22 * len(with_model))
fig.show()

# %%
table.loc[table["status"].isin(["differs", "missing", "value only"]), ["target_id", "value", "extracted", "text_status",
                                                         "model", "model_status", "model_source"]].round(2)

# %% [markdown]
# ## Reading the table
#
# * Almost every figure is found in the text with the thing it counts; the exceptions are rates whose
#   counted thing the extractor names only as a "ratio" (value only), a figure a report writes as a
#   word rather than a number, and lists of names (the pilot places), which are not numbers in the text.
# * The synthetic localities reproduce the structural figures by construction: each config states them
#   as targets. Flow figures (participants, problems solved) come from the calibrated scenario model
#   and carry its uncertainty; a "differs" there means the calibrated baseline's mean falls outside the
#   report's tolerance.
# * Figures that neither model represents (review weights, the xx districts' topic counts and
#   specialities) stay text-only: they describe how the reports' authors summarised, not the network.
