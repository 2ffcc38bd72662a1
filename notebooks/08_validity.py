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
# govlab's figures and codes were written for five reports. This chapter scores them on real texts
# of other localities (news, speeches and papers, with web noise kept), hand-annotated with every
# figure and every actor, platform, locality, problem and step sequence they name:
#
# * the **development set**: 25 texts, split once into 17 to tune on and 8 held out;
# * a **second, blind annotation** of the development set, adjudicated with the first: how far two
#   people agree is the ceiling for a program;
# * an **extra set** of 20 fresh texts from 20 other localities, annotated blind: half tuned on,
#   half held out, scored once after the first round of work and then tuned on in the second;
# * a **final test set** of texts from yet other localities, annotated blind while the second round
#   was being written and scored once at the very end.
#
# The texts are other people's writing and are never part of the project: the scores shown here
# are the ones stored in `datasets/evaluation/`. When the development set is on this machine
# (`GOVLAB_DEVSET_DIR`, or `../shared/devset` beside the repository), the notebook re-scores it with
# `govlab.evaluate` and checks that the stored scores are still what the code gives; the tables
# below do not change either way. Every metric is defined in `govlab.evaluate`'s docstring; the
# command is `govlab evaluate GOLD_DIR --split each`.

# %%
import govlab

govlab.setup()

import os
from pathlib import Path

import pandas as pd

from govlab.evaluate import evaluate, load_evaluation
from govlab.viz.evaluation import confusion_heatmap, error_bars, score_bars

# %% tags=["parameters"]
devset_dir = ""  # empty: GOVLAB_DEVSET_DIR, else ../shared/devset beside the repository

# %%
devset_dir = devset_dir or os.environ.get("GOVLAB_DEVSET_DIR") or "../../shared/devset"
stored = {name: load_evaluation(name) for name in
          ("scores_before", "scores_after", "scores_baseline", "scores_adjudicated", "errors", "figure_misses",
           "confusion", "split", "agreement")}
if (Path(devset_dir) / "raw").is_dir():
    live = evaluate(devset_dir, split="each").scores.astype(str).reset_index(drop=True)
    kept = stored["scores_after"].astype(str).reset_index(drop=True)
    assert live.equals(kept), "the stored scores are stale: regenerate datasets/evaluation/"
stored["split"]["part"].value_counts()


# %%
def scored(scores: pd.DataFrame, source: str) -> pd.DataFrame:
    """Scores with the count beside the percentage, tagged with their source."""
    s = scores.copy()
    s["source"] = source
    s["value"] = s["score"] + " (" + s["numerator"].astype(str) + "/" + s["denominator"].astype(str) + ")"
    return s


# %% [markdown]
# ## Figures: govlab beside a naive regex
#
# *Strict* means the value and the counted thing are both right; *lenient*, the value alone.
# Precision is over the rows that are not dates or durations. The baseline is the 27-line regex a
# new user writes first (a number, a measure word and the next few characters:
# `govlab.evaluate.baseline_figures`); *before* is govlab's extractor before issue 13.

# %%
figs = pd.concat([scored(stored[f"scores_{s}"], s if s != "after" else "govlab") for s in ("baseline", "before", "after")],
                 ignore_index=True)
figs = figs[figs["group"] == "figures"]
figs.pivot_table(index=["category", "metric"], columns=["part", "source"], values="value", aggfunc="first",
                 sort=False)[["tune", "heldout"]]

# %%
score_bars({"baseline": stored["scores_baseline"], "before": stored["scores_before"], "govlab": stored["scores_after"]},
           [("figures", "strict", "recall"), ("figures", "strict", "precision"),
            ("figures", "lenient", "recall"), ("figures", "lenient", "precision")],
           goal=90, title="Figure scores on the development set (goal: 90% strict)").show()

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
# A gold item is recalled when a code of its category overlaps it in the text. Precision counts
# distinct predictions, as the gold lists each item once: per text and category, a word coded
# twenty times counts once (`precision_mentions` counts every mention). Cohen's kappa is computed
# over candidate units (overlapping gold items and codes merged), so units of the other categories
# give the "absent" cases.

# %%
after = stored["scores_after"]
codes = after[(after["group"] == "codes") & after["metric"].isin(["recall", "precision", "precision_mentions", "kappa"])]
codes.pivot_table(index="category", columns=["part", "metric"], values="score", aggfunc="first",
                  sort=False)[["tune", "heldout"]]

# %% [markdown]
# Step sequences: a gold sequence is *found* when one extracted sequence names all its steps, and
# *in order* when it names them in the gold order. Every sequence a text names counts, not only its
# main loop.

# %%
steps = scored(after[after["group"] == "steps"], "govlab")
steps.pivot_table(index="metric", columns="part", values="value", aggfunc="first", sort=False)[["tune", "heldout"]]

# %% [markdown]
# ## Confusion of code categories
#
# Rows: the gold category of a candidate unit (`none`: no gold item there). Columns: the category of
# the code govlab put there (`none`: no code). Off-diagonal cells are codes of the wrong category, for
# example actor codes that fire inside platform names.

# %%
confusion_heatmap(stored["confusion"], title="Candidate units by gold and coded category (all 25 texts)").show()

# %% [markdown]
# ## Errors by type

# %%
error_bars(stored["errors"]).show()

# %% [markdown]
# ## Two annotators: how much agreement is there to reach?
#
# A second annotator went through the 25 texts blind (without the first gold and without govlab's
# output), and the two lists were adjudicated item by item by the set's conventions
# (`datasets/evaluation/adjudicated_codes.csv`; the second annotator also adjudicated, so the
# adjudication leans their way). *PSA*, the positive specific agreement, is the F1 of one
# annotator against the other: a program scored against one annotator can hardly be expected to do
# better than the other annotator does.

# %%
stored["agreement"]

# %% [markdown]
# The annotators agree on almost every figure and on the steps of named sequences, and much less on
# codes: the first annotator listed fewer actors, problems and parent places and counted
# mechanisms, documents and activity forms as platforms. The same govlab scored against the
# adjudicated gold:

# %%
adj = pd.concat([scored(stored["scores_after"], "first annotator"), scored(stored["scores_adjudicated"], "adjudicated")],
                ignore_index=True)
adj = adj[adj["metric"].isin(["recall", "precision"]) & adj["group"].isin(["figures", "codes"])
          & ~adj["category"].isin(["lenient"])]
adj.pivot_table(index=["group", "category", "metric"], columns=["part", "source"], values="value", aggfunc="first",
                sort=False)[["tune", "heldout"]]

# %% [markdown]
# ## Fresh texts: the extra set and the final test set
#
# The development set's held-out part is small (8 texts, 14 figures) and has been looked at more
# than once. Two fresh sets of other localities' texts were annotated blind for this work (their
# sources and gold, but not their texts, are in `datasets/evaluation/extra/` and
# `datasets/evaluation/final/`):
#
# * the **extra set** (20 texts): its held-out half was scored at the start of the second session
#   (*start*) and once after the first round of rules, which was tuned on its other half (*round 1*);
#   in the second round all of it was tuning data;
# * the **final test set** (24 texts): annotated blind while the second round was written, never
#   used to design a rule, and scored once at the end with govlab before issue 13 (*before*), at the
#   start of the second session (*start*) and now (*govlab*), beside the naive regex (*baseline*).

# %%
columns = {"extra: start": "extra/scores_start", "extra: round 1": "extra/scores_round1",
           "final: baseline": "final/scores_baseline", "final: before": "final/scores_before",
           "final: start": "final/scores_start", "final: govlab": "final/scores_after"}
fresh = pd.concat([scored(load_evaluation(t), name) for name, t in columns.items()], ignore_index=True)
fresh = fresh[fresh["part"] == "heldout"]
shown = [("figures", "strict", "recall"), ("figures", "strict", "precision"), ("figures", "lenient", "recall"),
         ("figures", "no_figure_texts", "figures_emitted"), ("codes", "actor", "recall"),
         ("codes", "platform", "recall"), ("codes", "locality", "recall"), ("codes", "problem", "recall"),
         ("codes", "all", "precision"), ("steps", "sequence", "in_order")]
table = fresh.pivot_table(index=["group", "category", "metric"], columns="source", values="value", aggfunc="first",
                          sort=False)
table.reindex(pd.MultiIndex.from_tuples(shown, names=table.index.names))[list(columns)]

# %%
score_bars({"before": load_evaluation("final/scores_before"), "start": load_evaluation("final/scores_start"),
            "govlab": load_evaluation("final/scores_after")},
           [r for r in shown if r[2] != "figures_emitted"], parts=("heldout",), goal=None,
           title="Final test set (24 texts never seen): before issue 13, at the second session's start, now").show()

# %% [markdown]
# ## Reading the errors
#
# * **The tuned parts overstate.** On the texts the rules were written for, figures and codes score
#   near 100; on texts never seen, strict figure recall is 61–89% and platform and problem
#   recall 38–50%. Only the held-out and final columns are estimates for a new report.
# * **Figures: the value is found, the counted thing is not.** On the final set the value of 96% of
#   the figures is found (lenient recall), but only 61% with the right counted thing. The second
#   session's rule work, tuned on 37 texts, did not raise that on the final set at all (63.3% at the
#   start, 61.2% now: one figure fewer of 49), while the first session's work did (38.8% to 63.3%).
#   The remaining errors are in how the noun is read: enumerations and compounds (州县两级政协委员,
#   农业界别委员及村民代表), nouns after the measure word that are events or groups (委员履职小组),
#   and masked numbers (`****户`). More hand rules on the same few texts stop paying here; a
#   counted-noun model learned from the 69 annotated texts, scored by cross-validation, is the next
#   step.
# * **Codes: open vocabulary helps on new texts.** Platform recall on the final set went from 29% (a
#   closed codebook) to 50%, problems from 1% to 38%, localities from none to 76%, with code precision
#   90%. Most platform misses are named brands and mechanisms that follow no structural pattern.
# * **The gold matters as much as the program.** The two annotators of the development set agree on
#   figures (PSA 0.99) but only moderately on codes (0.66 adjudicated, 0.47 by exact spelling). Code
#   precision against the first annotator (53% held out) and against the adjudicated gold (86%) tell
#   two different stories about the same output; the goals of issue 13 for codes lie above what two
#   careful people reach with each other.
