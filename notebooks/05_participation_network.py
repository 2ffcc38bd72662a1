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
# # 05 · Participation networks (参与网络)
#
# The five reports describe a network without drawing it: CPPCC members (政协委员) sunk (下沉) to
# township workstations, democratic-party groups paired with streets, consultation rooms in
# villages, residents (群众) who do or do not take part. This notebook builds that network for each
# of the five localities as a **synthetic locality** (合成地区), checks it against the structural
# figures its report gives, draws it, and puts the five side by side on the measures of
# `govlab.network.measures`.
#
# Everything here runs on shipped data: the locality configs in `datasets/localities/` (facts and
# figures from the reports, each with its source; every other number a cited public statistic or a
# marked assumption). The model's assumptions are listed in `docs/model.md`.

# %%
import govlab

govlab.setup(display=True)

import pandas as pd

from govlab import label
from govlab.network import list_locality_configs, load_locality_config, synthesize
from govlab.network.config import config_provenance
from govlab.network.measures import (
    all_measures, fragmentation, head_rotation, measures_summary, participation_profile,
)
from govlab.network.layout import coverage_table, member_platform_layout
from govlab.network.targets import check_structure_targets
from govlab.viz.network import compare_figure, coverage_sunburst, member_platform_figure

SEED = 2024

# %% [markdown]
# ## The five configs and where their numbers come from
#
# Each config records, for every figure, whether it comes from the report (`report`: a `doc_id` and
# the fact), from a public statistic (`public`: the census, the CPPCC's sector list ...), is
# `derived` from other figures, or is an `assumption`. Masked numbers (××) stay parameters with a
# documented default.

# %%
configs = {name: load_locality_config(name) for name in list_locality_configs()}
prov = pd.concat([config_provenance(c).assign(config=n) for n, c in configs.items()])
counts = prov.pivot_table(index="config", columns="status", values="key", aggfunc="count", fill_value=0)
counts["masked"] = prov.groupby("config")["masked"].sum()
counts["scale"] = [configs[n].scale for n in counts.index]
counts

# %% [markdown]
# ## Build the five localities
#
# `synthesize(config, seed)` builds the hierarchy and populations, the committees and their members
# (sector 界别 and party 党派), places the platforms (as configured, by p-median or by population),
# sinks members to them with a capacity-limited assignment, adds the ties the reports describe
# (party supervision groups, department matching, leader pairing 包抓, conveners 召集人), the unit
# policies, residents as strata, and one baseline year of activity. Gansu and the unnamed province are
# built at a small default scale (the benchmark builds Gansu at full size).

# %%
localities = {name: synthesize(cfg, seed=SEED) for name, cfg in configs.items()}
sizes = pd.DataFrame({n: loc.summary().set_index("table")["rows"] for n, loc in localities.items()}).T
sizes

# %% [markdown]
# ## Does each locality reproduce its report?
#
# Every config lists the structural figures its report gives as targets. All must hold (the tests
# check them for several seeds).

# %%
targets = pd.concat([check_structure_targets(loc).assign(locality=n) for n, loc in localities.items()])
print(f"{int(targets['ok'].sum())} of {len(targets)} report figures reproduced")
targets[["locality", "id", "op", "target", "value", "ok", "fact"]].round(4)

# %% [markdown]
# ## Members and platforms as layers
#
# Members sit on one layer per CPPCC level (above), platforms on one layer per level of the unit
# that hosts them (below); a line is a member sunk to a platform. Colours are parties. In Shangyou
# county the six area workstations (片区委员工作站) and twenty studios draw nearly all county members;
# in Gansu (small scale) members of three levels sink to township workstations.

# %%
member_platform_figure(member_platform_layout(localities["shangyou-620"]), title=f"Shangyou 上犹: {label('政协委员')} × {label('平台')}").show()

# %%
member_platform_figure(member_platform_layout(localities["gansu-extension"]), title=f"Gansu 甘肃 (scale {configs['gansu-extension'].scale}): "
                       f"{label('政协委员')} × {label('平台')}").show()

# %% [markdown]
# ## Coverage on the unit hierarchy
#
# Size is population; colour is the share of residents whose own village or township hosts a
# platform. Nantong covers every village; in Gansu, councils and rooms reach over half of the
# villages and nearly all townships.

# %%
coverage_sunburst(coverage_table(localities["gansu-extension"], max_level="village"),
                  title=f"Gansu 甘肃: {label('覆盖率')} (village or township platform)").show()

# %%
coverage_sunburst(coverage_table(localities["nantong-youshi"], max_level="township"), title=f"Nantong 南通: {label('覆盖率')}").show()

# %% [markdown]
# ## The five side by side
#
# `measures_summary` reduces every measure family to headline numbers: coverage, reach (hops from each
# resident stratum to the nearest platform and member; the *last mile* gap = share of residents whose
# nearest platform is outside their village), representativeness (Duncan's dissimilarity of
# participants against the adult population), brokerage (Gould–Fernandez roles of platforms and
# members across parties, E–I index of member ties) and robustness (continuity after the term change
# 换届; residents within reach as platforms drop out). Permutation and sampling sizes are small here to
# keep the notebook fast; the CLI and benchmark use larger ones.

# %%
measures = {n: all_measures(loc, seed=SEED, n_permutations=10, betweenness_k=8, fragmentation_reps=1)
            for n, loc in localities.items()}
summary = pd.concat([measures_summary(localities[n], measures[n]) for n in localities], ignore_index=True)
wide = summary.pivot_table(index=["family", "measure", "group"], columns="locality", values="value", sort=False)
wide.round(3)

# %%
panels = [("members_sunk", "all"), ("last_mile_gap", "all"), ("member_within_4_hops", "all"),
          ("dissimilarity", "age_group"), ("dissimilarity", "occupation"), ("platform_cross_group_share", "platforms"),
          ("ei_party_rescaled", "all"), ("stations_meeting_4x", "all"), ("continuing_after_term_change", "without_deputies")]
titles = [f"{label('委员下沉')}", f"{label('最后一公里')} gap", f"{label('政协委员')} ≤ 4 hops",
          f"{label('代表性')}: age (D)", f"{label('代表性')}: occupation (D)", f"{label('中介角色')}: cross-party share",
          "E–I (party, rescaled)", f"{label('4+X')} met", f"{label('换届')}: continuing, no deputies"]
fig = compare_figure(summary, panels, titles=titles)
fig.update_layout(title="Five localities side by side")
fig.show()

# %% [markdown]
# ## Who takes part
#
# The participation ratio is a category's share of attendance over its share of the adult population
# (1 = proportional). Young adults away for work (外出务工) and employees of private firms (no
# compensation for lost work time, 误工补贴) are under-represented by construction of the propensities:
# they are assumptions that follow the reports' named problems, and the scenarios explore levers on them.

# %%
prof = participation_profile(localities["gansu-extension"])
prof[["dimension", "category", "population_share", "participant_share", "ratio"]].round(3)

# %% [markdown]
# ## Robustness: the term change and platforms dropping out
#
# In Gansu every workstation head is a township Party deputy secretary, rotated after the term; the
# report says successors are often not members and the work stalls. With one or two member deputies
# per station the work continues; without them it stops.

# %%
pd.concat([head_rotation(localities[n], seed=SEED).assign(locality=n) for n in ("gansu-extension", "shangyou-620")]).round(3)

# %%
frag = pd.concat([fragmentation(localities[n], remove="platforms", fractions=(0.0, 0.25, 0.5, 0.75), n_reps=2, seed=SEED)
                  .assign(locality=n) for n in localities])
frag.groupby(["locality", "fraction"])[["components", "giant_member_share", "residents_within_k"]].mean().round(3).unstack("fraction")

# %% [markdown]
# ## Notes
#
# * Sizes: Gansu and the unnamed province are scaled down here (`scale` in their configs); shares and
#   named structures are kept. `benchmarks/bench_network.py` builds Gansu at full size (about 25
#   million residents as strata, 20,000 members) and computes every measure.
# * Every number the reports do not give is listed with its source or marked as an assumption in the
#   config (`config_provenance`) and in `docs/model.md`, with notes on how sensitive the measures are
#   to it. Scenarios built on these localities are in notebook 06 and `docs/scenarios.md`.
