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
# # Prediction: out-of-sample checks, full-scale Gansu, and a locality drafted from a report
#
# The replication notebook (07) separates the figures a config sets (inputs), the figures the
# calibration fits, and the figures the model predicts when they are left out of the fit. This
# notebook looks closer at the predictions and at two things that decide whether they mean
# anything:
#
# 1. **Leave-one-out with posterior predictive intervals**: for every locality with two or more flow
#    figures, each figure is left out, the rates refitted on the others, and the figure predicted
#    from posterior draws (parameter uncertainty and simulation noise together).
# 2. **Scale**: Gansu is calibrated at full scale (25 million residents). At the 0.05 demo scale
#    every county is a pilot, so the report's phased roll-out disappears; the same rates then give
#    other totals.
# 3. **A locality drafted from a report**: `govlab network draft` turns a new report into a config
#    whose every value is an extracted figure or a marked prior, and a baseline year runs on it.
#
# The tables of parts 1 and 2 are written by `python -m govlab.scenarios.calibrate --loo` and
# `python -m govlab.scenarios.calibrate --scale-check` (minutes); this notebook reads them.

# %%
import govlab

govlab.setup()

import os
import tempfile
from pathlib import Path

import pandas as pd

from govlab.datasets import dataset_path
from govlab.network import load_locality_config, synthesize
from govlab.network.draft import draft_locality, provenance_of, write_draft
from govlab.network.targets import check_structure_targets
from govlab.scenarios import run_scenario
from govlab.scenarios.calibrate import coverage_summary
from govlab.viz.scenarios import plot_rollout

# %% [markdown]
# ## 1. Leave-one-out predictions
#
# `predicted` is the median of the posterior predictive sample, `pi_low`-`pi_high` its 90% interval,
# both at the real locality's scale. `covered`: the interval and the reported interval share a value.
# `share_inside` is the predictive probability of the reported interval and `width_ratio` the
# interval's width over the reported interval's: a figure covered only by a very wide interval is
# weak evidence.

# %%
loo = pd.read_csv(dataset_path("scenarios", "loo.csv"))
loo[["locality", "left_out", "reported_low", "reported_high", "predicted", "pi_low", "pi_high", "covered",
     "share_inside", "width_ratio", "note"]]

# %%
coverage_summary(loo)

# %% [markdown]
# How sharp are the predictions? The mean predictive probability of the reported interval, per
# locality (1 would be a model that puts all its mass where the report is):

# %%
loo[loo["predicted"].notna()].groupby("locality")[["share_inside", "width_ratio"]].mean().round(2)

# %% [markdown]
# Which rates the remaining figures leave unconstrained, per fold (`prior_width_share` near 1: the
# posterior is as wide as the prior):

# %%
post = pd.read_csv(dataset_path("scenarios", "loo_posterior.csv"))
post.pivot_table(index=["locality", "left_out"], columns="parameter", values="prior_width_share").round(2)

# %% [markdown]
# ## 2. Gansu at full scale and at the demo scale
#
# The same calibrated rates, the same seeds, two builds of the province: scale 1 (87 county-level
# units, 1,350 townships, 17,000 villages; 3 pilots from 2018, 2 counties per prefecture from 2019,
# then the rest) and scale 0.05 (one county per prefecture, so every county is a pilot). The
# statistics are expressed at the real province's population, so the two are comparable.

# %%
scale = pd.read_csv(dataset_path("scenarios", "scale_check.csv"))
totals = scale[scale["year"].isna()]
totals[["locality", "scale", "statistic", "mean", "lo_90", "hi_90", "reported_low", "reported_high", "holds"]]

# %%
plot_rollout(scale).show()

# %% [markdown]
# Gansu's plan sets two values the report does not give (ASSUMPTION): half of counties budget
# township funds (the report names missing funds), and a station whose cadre head is moved at the
# term change keeps 60% of its activity when a member deputy stays. One at a time, with everything
# else as shipped (`python -m govlab.scenarios.calibrate --sensitivity`):

# %%
sens = pd.read_csv(dataset_path("scenarios", "sensitivity.csv"))
sens.pivot_table(index=["parameter", "value"], columns="statistic", values="mean").round(0)

# %% [markdown]
# ## 3. A locality drafted from a report
#
# The fictional example report `ex-qingxi-workstations` (written for govlab) is drafted into a
# config. Each value says where it comes from: `report` (an extracted figure, with its offsets in the
# cleaned text and the thing it counts) or `assumption` (a prior).

# %%
draft = draft_locality("ex-qingxi-workstations")
pd.DataFrame(provenance_of(draft.config), columns=["key", "status"])

# %%
draft.used[["value", "unit", "counted", "start", "end", "used_for"]]

# %% [markdown]
# The draft validates (its targets are the figures it took from the report), builds, and a baseline
# year runs on it:

# %%
folder = Path(tempfile.mkdtemp())
path = write_draft(draft, folder / "draft.yaml")
loc = synthesize(load_locality_config(path), seed=0)
check_structure_targets(loc)[["id", "op", "target", "value", "ok"]]

# %%
res = run_scenario({"locality": str(path), "years": 1, "replicates": 2, "start_year": 2023})
res.summary().query("metric in ['events', 'participations', 'solved', 'representativeness']")[
    ["metric", "year", "mean"]].round(3)

# %% [markdown]
# With `GOVLAB_CORPUS_DIR` set, the same runs on a real report (the five reports are not shipped;
# nothing of their text is shown here, only the provenance of the drafted values):

# %%
if os.environ.get("GOVLAB_CORPUS_DIR"):
    real = draft_locality("shangyou-620")
    out = pd.DataFrame(provenance_of(real.config), columns=["key", "status"])
else:
    out = "GOVLAB_CORPUS_DIR is not set: the real reports are not shipped, so this step is skipped."
out
