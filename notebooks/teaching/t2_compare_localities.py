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
# # Exercise 2: compare two localities
#
# Nantong (南通市, a city) put a consultation room ("有事好商量") in every town and every village; Shangyou
# (上犹县, a county) built six area workstations and about twenty member studios. Which design brings
# platforms closer to residents, and which one sinks more members? Build both calibrated synthetic
# localities and compare them.
#
# Edit the cells marked **EXERCISE**, then run the notebook from the top: the last code cell prints
# which checks pass. A solution is in `solutions/t2_compare_localities.ipynb`.

# %%
import govlab

govlab.setup(display=True)

import pandas as pd
import plotly.graph_objects as go

from govlab import label
from govlab.network import synthesize
from govlab.network.targets import members_sunk, unit_coverage
from govlab.teaching import check, summary

# %%
localities = {name: synthesize(name, seed=0) for name in ["nantong-youshi", "shangyou-620"]}
pd.DataFrame({name: loc.units["level"].value_counts() for name, loc in localities.items()}).fillna(0).astype(int)


# %% [markdown]
# ## 1. Platform coverage
#
# **EXERCISE.** Write `platform_coverage(loc, level)`: the share of units at a level (township 乡镇,
# village 村) that host at least one platform. A locality is a set of pandas tables: `loc.units`
# (with `unit_id` and `level`) and `loc.platforms` (with the `unit_id` each platform sits in).
# Hint: `Series.isin` and `.mean()`.

# %%
def platform_coverage(loc, level):
    """Share of units at ``level`` that host at least one platform."""
    return float("nan")  # EXERCISE: replace this line


# %% [markdown]
# ## 2. A comparison table
#
# Three measures per locality: township and village coverage, and the share of members sunk to a
# platform (the network flow's `members_sunk`).

# %%
rows = []
for name, loc in localities.items():
    rows.append({"locality": name,
                 "township coverage": platform_coverage(loc, "township"),
                 "village coverage": platform_coverage(loc, "village"),
                 "members sunk": members_sunk(loc),
                 "platforms": len(loc.platforms), "members": len(loc.members)})
comparison = pd.DataFrame(rows).set_index("locality")
comparison.round(3)

# %% [markdown]
# **EXERCISE.** Read the table and name the locality for each question below (`"nantong-youshi"` or
# `"shangyou-620"`).

# %%
answer_closer = None      # which design brings platforms closer to villagers?
answer_sinks_more = None  # which one sinks a larger share of its members?

# %%
results = [check(f"{name}: {level} coverage matches govlab's measure",
                 abs(platform_coverage(loc, level) - unit_coverage(loc, level)) < 1e-12,
                 "write platform_coverage above")
           for name, loc in localities.items() for level in ("township", "village")]
results.append(check("closer to villagers", answer_closer == max(localities, key=lambda n: unit_coverage(localities[n], "village")),
                     "set answer_closer"))
results.append(check("sinks more members", answer_sinks_more == max(localities, key=lambda n: members_sunk(localities[n])),
                     "set answer_sinks_more"))
print(summary(results))

# %% [markdown]
# **Going further.** Draw the three measures as a grouped bar chart with plotly (labels from
# `govlab.label`, e.g. `label("南通市")`), and write two sentences on what each design trades away.
