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
# # Exercise 3 (solution): run a lever and read its uncertainty
#
# Station heads are often township Party deputy secretaries who are rotated after each term (换届),
# and a station can go quiet when its head leaves. One lever the reports suggest: give every station
# a deputy head who is a CPPCC member and stays. This solution runs Shangyou's consultation years with
# and without that lever, and reads what the intervals say, with few and with more replicates.

# %%
import govlab

govlab.setup()

from govlab.scenarios import plot_comparison, run_scenario
from govlab.teaching import check, interval_width, summary

METRICS = ["continuity", "stations_broken", "participants", "solved_per_10k"]
LEVER = {"deputies": {"levers": {"deputies": {"share": 1.0}}}}


def compare_with(replicates):
    """Baseline vs the deputies lever over three years, as a comparison table."""
    result = run_scenario({"locality": "shangyou-620", "years": 3, "replicates": replicates, "seed": 1,
                           "variants": LEVER})
    table = result.compare(metric_names=METRICS)
    return table[["variant", "metric", "baseline", "value", "diff", "diff_lo", "diff_hi", "verdict"]]


# %% [markdown]
# ## 1. Four replicates
#
# Each replicate is one simulated history with its own seed (spawned from the root seed). The
# interval `diff_lo … diff_hi` is for the difference between the variant and the baseline.

# %%
few = compare_with(4)
few.round(4)

# %% [markdown]
# ## 2. Sixteen replicates

# %%
many = compare_with(16)
many.round(4)

# %%
fig = plot_comparison(many, metric_names=METRICS, title="Deputies who stay at term changes (16 replicates)")
fig.show()

# %% [markdown]
# ## 3. Read the intervals
#
# An effect is clear when its interval excludes zero. Four times the replicates should make an
# interval about half as wide (the standard error falls with the square root of the number of runs).

# %%
clear = {m: bool((r.diff_lo > 0) or (r.diff_hi < 0)) for m, r in many.set_index("metric").iterrows()}
ratio = {m: round(interval_width(many, m) / interval_width(few, m), 2) for m in METRICS if interval_width(few, m) > 0}
clear, ratio

# %%
answer_clear = {"continuity": True, "stations_broken": True, "participants": False, "solved_per_10k": False}
answer_narrower = True  # are the intervals narrower with 16 replicates?
results = [check(f"{m}: clear effect read correctly", answer_clear.get(m) == clear[m]) for m in METRICS]
results.append(check("more replicates give narrower intervals",
                     answer_narrower == all(v < 1 for v in ratio.values())))
print(summary(results))

# %% [markdown]
# ## What to take away
#
# Deputies keep stations running through term changes (continuity up, broken stations down: clear
# effects), but over three years they do not clearly change how many residents take part or how many
# problems are solved: the intervals of those differences include zero, and more replicates shrink
# the intervals without moving them away from zero. A lever can do what it is designed to do and
# still leave the outcomes people care about unchanged; notebook 06 shows where each lever does little.
