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
# # Exercise 3: run a lever and read its uncertainty
#
# Station heads are often township Party deputy secretaries who are rotated after each term (换届),
# and a station can go quiet when its head leaves. One lever the reports suggest: give every station
# a deputy head who is a CPPCC member and stays. Run Shangyou's consultation years with and without
# that lever, and read what the intervals say, with few and with more replicates.
#
# Edit the cells marked **EXERCISE**, then run the notebook from the top: the last code cell prints
# which checks pass. A solution is in `solutions/t3_lever_uncertainty.ipynb`.

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
#
# **EXERCISE.** Run the same comparison with 16 replicates into a variable `many` and show it
# rounded to 4 digits, as above.

# %%
many = None  # EXERCISE: replace None

# %% [markdown]
# ## 3. Read the intervals
#
# An effect is clear when its interval excludes zero.
#
# **EXERCISE.** From the 16-replicate table, say for each metric whether the lever has a clear
# effect (`True` or `False`), and whether the intervals got narrower with more replicates.
# (`interval_width(table, metric)` gives `diff_hi - diff_lo`.)

# %%
answer_clear = {"continuity": None, "stations_broken": None, "participants": None, "solved_per_10k": None}
answer_narrower = None  # are the intervals narrower with 16 replicates?

# %%
results = []
if many is None:
    results.append(check("16-replicate table", False, "set `many` above"))
else:
    clear = {m: bool((r.diff_lo > 0) or (r.diff_hi < 0)) for m, r in many.set_index("metric").iterrows()}
    ratio = {m: interval_width(many, m) / interval_width(few, m) for m in METRICS if interval_width(few, m) > 0}
    results += [check(f"{m}: clear effect read correctly", answer_clear.get(m) == clear[m], "look at diff_lo and diff_hi")
                for m in METRICS]
    results.append(check("more replicates give narrower intervals",
                         answer_narrower == all(v < 1 for v in ratio.values()), "compare interval widths"))
print(summary(results))

# %% [markdown]
# **Questions.** (a) By how much should an interval shrink with four times the replicates? (b) The
# lever keeps stations running; why might that not show up in participants or problems solved over
# three years? Draw `plot_comparison(many, metric_names=METRICS)` to see it.
