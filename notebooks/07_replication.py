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
# # Replication: every figure of the five reports, extracted, modelled and predicted
#
# The five reports give a few dozen figures: counts of platforms and units, coverage rates, quotas,
# review weights, participants and problems solved. This notebook puts each one beside the value
# govlab's figure extractor finds in the report's text and what the model does with it. Every figure
# has a **role**, and only one role is evidence of the model:
#
# * `input`: the figure is set in a locality config (or a calibration plan) and read back from the
#   synthetic locality. Change the config and the model value moves with it, so agreement only
#   checks that the config was built as written. Never counted as reproduced.
# * `fitted`: a calibration target. The calibrated baseline meeting it shows that the fit worked.
# * `predicted`: a fitted figure left out of the fit (the locality refitted on its other figures)
#   and predicted from posterior draws. The status is `predicted` when the reported value falls
#   inside the 90% posterior predictive interval and `missed` when it does not. Only these rows are
#   evidence that the model predicts.
#
# Sources: `datasets/replication_targets.csv` (the reported figures, facts only),
# `datasets/reports/figures.csv` and `loops.csv` (extracted by `govlab.coding` from the real
# reports), `govlab.network` and `govlab.scenarios` (the models). Any source that is missing shows as
# "not available". The logic is `govlab.replication` (tested in `tests/test_replication.py`).

# %%
import govlab

govlab.setup(display=True)

import pandas as pd

from govlab.datasets import dataset_path
from govlab.replication import (STATUSES, evidence_summary, load_extracted, load_extracted_loops, load_predictions,
                                load_targets, model_values, replication_table, status_summary)
from govlab.scenarios.calibrate import coverage_summary
from govlab.viz.replication import loo_intervals, model_report_difference, status_bars

# %% [markdown]
# ## The reported figures
#
# One row per figure in the five reports (each row names its report by `doc_id`): the value, how a reproduction must
# relate to it (`==`, `>` for "over", `approx` with a tolerance), and where each reproduction looks.

# %%
targets = load_targets()
targets.groupby("doc_id").agg(figures=("target_id", "size"),
                              inputs=("role", lambda s: int((s == "input").sum())),
                              fitted=("role", lambda s: int((s == "fitted").sum())))

# %% [markdown]
# ## Four sources side by side
#
# The extracted figures are matched on report, value, kind and counted thing (a number that equals the
# reported one but counts something else is "value only"). The model values come from each report's
# locality config, built with seed 0, and from the calibrated scenario baselines (replicate means,
# scaled to the real locality's population). The predictions come from the leave-one-out table
# `datasets/scenarios/loo.csv`, written by `python -m govlab.scenarios.calibrate --loo` (a few
# minutes; this notebook only reads it).

# %%
extracted = load_extracted()
loops = load_extracted_loops()
modelled = model_values(targets, seed=0)
predictions = load_predictions()
pd.Series({"extracted figures": 0 if extracted is None else len(extracted),
           "extracted loop steps": 0 if loops is None else len(loops),
           "model values": len(modelled),
           "leave-one-out predictions": 0 if predictions is None else int(predictions["predicted"].notna().sum())})

# %%
table = replication_table(targets, extracted, modelled, loops, predictions)
show = ["doc_id", "figure", "role", "op", "value", "extracted", "text_status", "model", "model_status",
        "predicted", "pi_low", "pi_high", "status"]
table[show].round(2)

# %% [markdown]
# ## Inputs, fits and predictions
#
# `predicted` / `missed`: a fitted figure left out and predicted (evidence); `fitted`: the calibrated
# baseline meets it (the fit worked); `input`: set in a config and read back (no evidence);
# `extracted`: the text has it and no model value exists; `value only`: the number is in the text but
# the extractor did not tie it to what it counts; `differs`: the text or the model disagrees;
# `missing`: the extractor did not find it; `not available`: no source has it.

# %%
summary = status_summary(table)
summary

# %% [markdown]
# What counts as evidence, per report: how many figures are inputs, how many were fitted, and how
# many of the fitted ones were predicted out of sample and covered by their interval.

# %%
evidence_summary(table)

# %%
status_bars(summary, STATUSES).show()

# %% [markdown]
# ## Leave-one-out: what the model predicts
#
# For every locality with two or more flow figures, each figure is left out in turn, the rates are
# refitted by rejection ABC on the others (same prior draws and simulations for every fold), and each
# accepted draw is simulated five more times with fresh seeds. The pooled values are a posterior
# predictive sample: they carry parameter uncertainty (20-32 accepted draws, not one point) and
# simulation noise. `covered`: the 90% predictive interval and the reported interval share a value;
# `share_inside`: the predictive probability of the reported interval; `width_ratio`: interval width
# over the reported interval's (coverage won by a wide interval is weak evidence); `note`: rates the
# remaining figures barely constrain, or why nothing can be predicted.

# %%
loo = pd.read_csv(dataset_path("scenarios", "loo.csv"))
loo[["locality", "left_out", "reported_low", "reported_high", "predicted", "pi_low", "pi_high", "covered",
     "share_inside", "width_ratio", "relative_error", "note"]]

# %%
coverage_summary(loo)

# %%
loo_intervals(loo).show()

# %% [markdown]
# ## Where the model and the report disagree
#
# The relative difference of each modelled figure from the reported one (inputs and fits). For
# "over X" figures the model only has to exceed X, so a positive difference there is no disagreement.

# %%
model_report_difference(table).show()

# %%
table.loc[table["status"].isin(["differs", "missed", "missing", "value only"]),
          ["target_id", "role", "value", "extracted", "text_status", "model", "model_status", "predicted",
           "status"]].round(2)

# %% [markdown]
# ## Reading the table
#
# * Almost every figure is found in the text with the thing it counts; the exceptions are rates whose
#   counted thing the extractor names only as a "ratio" (value only), a figure a report writes as a
#   word rather than a number, and lists of names (the pilot places), which are not numbers in the text.
# * Structural figures are inputs: each locality config states them, and the synthetic locality
#   reads them back. That they agree checks the builder, not the model.
# * Flow figures are fitted; the leave-one-out table is the only test of prediction. All 13
#   predictable left-out figures fall inside their 90% predictive intervals, but mostly because the
#   intervals are wide: most are 0.8 to 12 times the width of the reported interval, and on average
#   they put about a third of their probability on the reported interval. Gansu fitted to problems
#   solved predicts 366,000 participants (213,000-533,000; the report says 400,000-500,000); fitted
#   to participants it predicts 34,900 problems solved (10,000-75,000; the report says about 27,000).
#   Nantong's sector rooms at end 2020 come out at 91 (51-123) against 123. Only Shangyou's events
#   per station are predicted sharply, and that figure is all but forced by the 4+X top-up. The model
#   reproduces what it is fitted to and brackets what it is not: it does not yet predict sharply.
# * The unnamed province's two flow-like figures (funds budgeted, review compliance) are inputs read
#   from its policies: no mechanism in the model generates them, so nothing there can be predicted.
