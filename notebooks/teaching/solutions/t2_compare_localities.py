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
# # Exercise 2 (solution): compare two localities
#
# Nantong (南通市, a city) put a consultation room ("有事好商量") in every town and every village; Shangyou
# (上犹县, a county) built six area workstations and about twenty member studios. Which design brings
# platforms closer to residents, and which one sinks more members? This solution builds both
# calibrated synthetic localities and compares them on three measures.

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
# The share of units at a level (township 乡镇, village 村) that host at least one platform. A locality
# is a set of pandas tables: `loc.units` (with `unit_id` and `level`) and `loc.platforms` (with the
# `unit_id` each platform sits in).

# %%
def platform_coverage(loc, level):
    """Share of units at ``level`` that host at least one platform."""
    units = loc.units.loc[loc.units["level"] == level, "unit_id"]
    return float(units.isin(loc.platforms["unit_id"]).mean())


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

# %%
measures = ["township coverage", "village coverage", "members sunk"]
fig = go.Figure([go.Bar(name=name, x=measures, y=comparison.loc[name, measures].round(3)) for name in comparison.index])
fig.update_layout(barmode="group", yaxis_title="share", yaxis_range=[0, 1],
                  title=f"{label('南通市')} vs {label('上犹县')}: where the platforms are")
fig.show()

# %%
results = [check(f"{name}: {level} coverage matches govlab's measure",
                 abs(platform_coverage(loc, level) - unit_coverage(loc, level)) < 1e-12)
           for name, loc in localities.items() for level in ("township", "village")]
answer_closer = "nantong-youshi"   # which design brings platforms closer to villagers?
answer_sinks_more = "shangyou-620"  # which one sinks a larger share of its members?
results.append(check("closer to villagers", answer_closer == max(localities, key=lambda n: unit_coverage(localities[n], "village"))))
results.append(check("sinks more members", answer_sinks_more == max(localities, key=lambda n: members_sunk(localities[n]))))
print(summary(results))

# %% [markdown]
# ## Reading the comparison
#
# Nantong reaches every village with a room, while Shangyou's workstations and studios cover its
# townships but few villages: residents there travel to an area station. Yet Shangyou sinks almost
# all of its county members to a station, while Nantong's rooms are run mostly by townships and
# villages, with a smaller share of members attached. The two designs trade reach for member
# presence; notebook 05 puts all five localities side by side on more measures.
