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
#   was being written and scored once at the very end;
# * a **fresh test set** of 24 texts from 24 further localities, annotated blind in a later session
#   while two learned models were tried, and scored once when everything was fixed, and a second one;
# * three more fresh sets in the sixth session, which rewrote the figure rules on the errors of all
#   the sets above: two scored blind between rounds of rules, and one, never looked at, scored once
#   at the end.
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

from govlab.evaluate import EVALUATION_TABLES, evaluate, load_evaluation, pool_scores, score_table
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
# ## The human ceiling: each goal beside an annotator scored like govlab
#
# Agreement says how far two people agree; the goals are stated in the harness's own measures. So
# the second annotator's items are scored *as if they were govlab's output*, against the first
# gold, by the very rules that score govlab (`govlab evaluate ../shared/devset --split each
# --annotation-codes datasets/evaluation/second_annotation_codes.csv --annotation-figures
# datasets/evaluation/second_annotation_figures.csv`). Where the annotator falls short of a goal
# (*above_ceiling*), the goal asks a program to agree with the first annotator more than a second
# careful reader does. On the fresh set, the third annotator (12 texts, independent) is the fairer
# reader; its second annotator's wording was close to the first's.

# %%
ceiling = load_evaluation("human_ceiling")
ceiling["set"] = ceiling["set"] + " " + ceiling["part"] + ", " + ceiling["annotator"]
shown_ceiling = ceiling[(ceiling["metric"] != "figures_emitted") & (ceiling["part"] == "heldout")]
shown_ceiling.pivot_table(index=["group", "category", "metric", "goal"], columns="set",
                          values=["annotator_score", "govlab_score"], aggfunc="first", sort=False)

# %% [markdown]
# On the development set's held-out part the second annotator finds every figure and every
# sequence, so those goals are fair ones; but they reach 51% code precision and 55% platform recall
# against the first gold, where the goals ask 90 and 85. That gold came with the issue: it lists few
# actors, problems and places and many mechanisms and activity forms as platforms; a reader following
# the written guide lists more, and loses precision for it. Every other annotation here was made by
# the project's annotation helpers. On fresh8 two of them, each reading only the texts and the guide,
# agree on almost everything, and either reaches the goals against the other: there the ceiling is
# high, and govlab is well below it (code precision 65 against 90).

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
#   start of the second session (*start*) and now (*govlab*), beside the naive regex (*baseline*);
#   its errors were design data in session 6, so *govlab* no longer estimates a new report.

# %%
columns = {"extra: start": "extra/scores_start", "extra: round 1": "extra/scores_round1",
           "final: baseline": "final/scores_baseline", "final: before": "final/scores_before",
           "final: start": "final/scores_start", "final: govlab": "final/scores_after"}
shown = [("figures", "strict", "recall"), ("figures", "strict", "precision"), ("figures", "lenient", "recall"),
         ("figures", "no_figure_texts", "figures_emitted"), ("codes", "actor", "recall"),
         ("codes", "platform", "recall"), ("codes", "locality", "recall"), ("codes", "problem", "recall"),
         ("codes", "all", "precision"), ("steps", "sequence", "in_order")]
score_table({name: load_evaluation(t) for name, t in columns.items()}, shown)

# %%
score_bars({"before": load_evaluation("final/scores_before"), "start": load_evaluation("final/scores_start"),
            "govlab": load_evaluation("final/scores_after")},
           [r for r in shown if r[2] != "figures_emitted"], parts=("heldout",), goal=None,
           title="Final test set (24 texts never seen): before issue 13, at the second session's start, now").show()

# %% [markdown]
# ## The fresh test set: what to expect on a new report
#
# The final set was looked at once it was scored, so a **fresh test set** was made: 24 texts from 24
# further cities, counties and districts, found and annotated blind by two annotation helpers who did not see
# govlab's code or output (`datasets/evaluation/fresh/`). *Blind* is the engine that scored it once
# in session 5 (no rule had changed since the tables above); *govlab* is this engine, whose session-6
# rules were designed with the set's errors in view, so only *blind* estimates a new report.
# *Adjudicated* is this engine scored against the gold after a second pass and an adjudication by
# the written annotation guide (`docs/annotation_guide.md`).

# %%
columns = {"baseline": "fresh/scores_baseline", "before issue 13": "fresh/scores_before",
           "blind": "fresh/scores_session6_start", "govlab": "fresh/scores_after",
           "govlab, adjudicated gold": "fresh/scores_adjudicated"}
score_table({name: load_evaluation(t) for name, t in columns.items()}, shown)

# %%
score_bars({"before issue 13": load_evaluation("fresh/scores_before"),
            "blind": load_evaluation("fresh/scores_session6_start"), "govlab": load_evaluation("fresh/scores_after")},
           [r for r in shown if r[2] != "figures_emitted"], parts=("heldout",), goal=None,
           title="Fresh test set: before issue 13, scored blind in session 5, now (designed on it)").show()

# %% [markdown]
# A **second fresh set** of 24 more texts, annotated blind by the written guide at the end of
# session 5 and scored once (`datasets/evaluation/fresh4/`; *blind*), gives a second estimate; it too
# was design data in session 6:

# %%
columns4 = {"baseline": "fresh4/scores_baseline", "before issue 13": "fresh4/scores_before",
            "blind": "fresh4/scores_session6_start", "govlab": "fresh4/scores_after"}
score_table({name: load_evaluation(t) for name, t in columns4.items()}, shown)

# %% [markdown]
# ## Session 6: a round of rules on every seen error, judged on two sets nobody had seen
#
# The sixth session rewrote how figures read their counted thing (levels and the noun they qualify,
# counts of persons before their verb, enumerations of persons, group heads, quoted names, shares
# of a set, ordinals kept apart), added open rules for problems (a named matter with a word of
# deficiency, the subjects a consultation is about) and for actors (names by title and by list,
# bodies with a place prefix), and dropped bylines as the guide says. Everything above was design
# data. Three more sets of 24 texts each were annotated blind by the guide:
#
# * **fresh5** was scored once, blind, after the first round (*blind*); its errors were then seen and
#   a second round of figure rules followed;
# * **fresh6** was scored once, blind, after the second round (*blind*); a third round looked at its
#   errors;
# * **fresh7** was scored once at the very end, with every rule fixed: its *blind* column is the
#   estimate for a new report at the end of session 6. *start* is the engine the session began with;
#   *now* is this govlab, whose seventh session read fresh7's errors.

# %%
columns56 = {"fresh5: start": "fresh5/scores_session6_start", "fresh5: blind": "fresh5/scores_blind",
             "fresh6: start": "fresh6/scores_session6_start", "fresh6: blind": "fresh6/scores_blind"}
score_table({name: load_evaluation(t) for name, t in columns56.items()}, shown)

# %%
columns7 = {"baseline": "fresh7/scores_baseline", "before issue 13": "fresh7/scores_before",
            "start": "fresh7/scores_session6_start", "blind": "fresh7/scores_blind", "now": "fresh7/scores_after"}
score_table({name: load_evaluation(t) for name, t in columns7.items()}, shown)

# %% [markdown]
# The same rules gained far more on the sets they were designed on than on the sets they were not:
# strict figure recall at the session's start, when scored blind (fresh5, fresh6) and now, on each set.

# %%
gain = {"start": {}, "blind": {}, "govlab": {}}
for folder in ("final", "fresh", "fresh4", "fresh5", "fresh6", "fresh7"):
    for column, table in (("start", "scores_session6_start"), ("blind", "scores_blind"), ("govlab", "scores_after")):
        if f"{folder}/{table}" not in EVALUATION_TABLES:  # only fresh5, fresh6 and fresh7 have a blind score
            continue
        t = load_evaluation(f"{folder}/{table}")
        row = t[(t["part"] == "heldout") & (t["category"] == "strict") & (t["metric"] == "recall")]
        gain[column][folder] = float(row["score"].iloc[0])
gain = pd.DataFrame(gain)
gain["designed on it"] = ["yes", "yes", "yes", "after its blind score", "after its blind score",
                          "after its blind score (session 7)"]
gain

# %%
score_bars({"start": load_evaluation("fresh7/scores_session6_start"), "blind": load_evaluation("fresh7/scores_blind")},
           [r for r in shown if r[2] != "figures_emitted"], parts=("heldout",), goal=None,
           title="fresh7 (24 texts never seen, scored once): session 6 start and end").show()

# %% [markdown]
# How far the two annotators of the fresh set agree after adjudication (PSA as above). The adjudicator
# found the second pass's wording close to the first's, so these may overstate what two independent
# people reach.

# %%
load_evaluation("fresh/agreement")[["items", "category", "both", "first_only", "second_only", "psa"]]

# %% [markdown]
# To check, a third annotator went through half of the texts (the 12 even-numbered ones) seeing no
# other annotation. Paired by exact spelling before any adjudication (a lower bound), the third
# agrees with the first and second about as the two annotators of the development set did, far less
# than the second with the first:

# %%
load_evaluation("fresh/agreement_exact").pivot_table(index="category", columns="pair", values="psa", aggfunc="first",
                                                     sort=False)

# %% [markdown]
# ## Session 7: a sixth blind set, and what to expect on a new report
#
# The seventh session measured the human ceiling (above), moved the pinyin glosses of mirror sites
# into the cleaning (so the coding modules lost their work-arounds, with byte-identical output on 193
# real texts), and wrote general rules on the errors of every set seen so far: step sequences
# (dash chains, lists closed by their count of steps, phases, slogan chains), problems (quoted
# themes, survey objects, named difficulties) and figures (formulas such as "1+N" name a model;
# 一一 is no number). **fresh8**, 36 texts annotated blind by three annotators, was scored once at the
# end: *start* is the engine the session began with, *now* this govlab.

# %%
columns8 = {"baseline": "fresh8/scores_baseline", "before issue 13": "fresh8/scores_before",
            "start": "fresh8/scores_session7_start", "now": "fresh8/scores_after"}
score_table({name: load_evaluation(t) for name, t in columns8.items()}, shown)

# %% [markdown]
# The session's rules changed almost nothing on fresh8 (one problem more; its only step sequence,
# an arrow chain of three quoted consultation forms, is still missed), while they raised step
# sequences in order from 10 to 16 of 17 and problem recall from 68% to 78% on the sets they were
# designed on. fresh8's figures score far above fresh7's with the same engine: sets of two dozen
# texts differ a lot. Pooled over the first blind score of each of the six fresh sets (each
# scored by the engine of its time, before anyone read its errors), this is what govlab has done on
# text it had not seen:

# %%
first_blind = {"fresh": "fresh/scores_session6_start", "fresh4": "fresh4/scores_session6_start",
               "fresh5": "fresh5/scores_blind", "fresh6": "fresh6/scores_blind", "fresh7": "fresh7/scores_blind",
               "fresh8": "fresh8/scores_after"}
pooled = pool_scores({name: load_evaluation(t) for name, t in first_blind.items()})
pooled[pooled["metric"].isin(["recall", "precision", "in_order"])
       & pooled["category"].isin(["strict", "actor", "platform", "locality", "problem", "all", "sequence"])]

# %%
spread = {}
for name, table in first_blind.items():
    t = load_evaluation(table).set_index(["part", "category", "metric"])["score"]
    spread[name] = {"figures strict recall": float(t[("heldout", "strict", "recall")]),
                    "figures strict precision": float(t[("heldout", "strict", "precision")])}
pd.DataFrame(spread).T

# %% [markdown]
# ## Two learned models, tried and not adopted
#
# If hand rules overfit, can a small model learned from the 60 annotated tuning texts do better? Two
# were tried (`govlab.experiments`), each a logistic regression over candidate spans with general
# features, judged by cross-validation grouped by document (a text is never in its own training
# fold), then once on the fresh set:
#
# * choosing a figure's **counted noun** among the spans around the number (`counted_cv.csv`);
# * a **span classifier** for platform, problem and actor codes, added to the rules' codes
#   (`code_spans_cv.csv`).
#
# The counted-noun model, on the fresh set:

# %%
load_evaluation("fresh/learned_counted")

# %% [markdown]
# and in cross-validation (`extra2_devset` is the final set; its row *trained on the other sets* is
# the fairest: the rules were never tuned on the final set, and the model never saw it):

# %%
cv = load_evaluation("counted_cv")
cv[cv["method"].isin(["rules", "learned"])][["design", "set", "method", "recall", "precision"]]

# %% [markdown]
# The span classifier on the two fresh sets, beside the rules alone:

# %%
spans = pd.concat([load_evaluation("fresh/learned_spans"), load_evaluation("fresh4/learned_spans")])
spans.pivot_table(index=["category", "metric"], columns=["set", "system"], values="score", aggfunc="first",
                  sort=False)

# %% [markdown]
# Could a higher threshold keep the recall gain without the precision cost? Over a grid of thresholds,
# by cross-validation on the 84 tuning and fresh texts, no threshold keeps code precision at the
# rules' level (`meets_rule`):

# %%
load_evaluation("code_spans_threshold_grid")

# %% [markdown]
# The counted-noun model is no better than the rules on new text. The span classifier's recall gain
# holds on the fresh set (actors and platforms up about ten points) but costs code precision, and
# the rule fixed before the experiment was to adopt it only without that cost; the pipeline keeps
# the rules. With about 130 annotated figures and 1,200 code items, the models mostly learn to copy
# the rules on the texts the rules were tuned on, which is where most training data comes from.

# %% [markdown]
# ## Reading the errors
#
# * **The tuned parts overstate.** On the texts the rules were written for, figures and codes score
#   near 100, and the sets used as design data in session 6 gained 17–25 points of strict figure
#   recall. On texts not yet seen the gain is small: scored blind, strict figure recall went from 74%
#   to 77% on fresh5, 66% to 74% on fresh6 and 71% to 73% on fresh7 (precision 53 → 57, 63 → 70,
#   67 → 70); session 7's rules moved fresh8 by one problem code. Only the held-out and *blind*
#   columns, and fresh8, estimate a new report: pooled over the six fresh sets' first blind scores,
#   76% strict figure recall at 72% precision, actor 82%, platform 72%, problem 44% recall, code
#   precision 67%, 4 of 11 sequences.
# * **Figures: the value is found, the counted thing less so.** On the three blind scores together
#   (217 figures), 93% of the values are found and 74% with the right counted thing, at 66%
#   precision. The remaining errors are spread thin: background and per-unit numbers the annotators
#   left out, group and event nouns read from a distance, status phrases as the counted thing (已落实
#   办理44件), compound numerals (2万3千), numbers in campaign names. Each new rule fixes one or two of
#   them on the texts it was written for and rarely more on new ones.
# * **Codes: open rules help, the gold limits.** On fresh7, actor recall is 86%, platform 60%,
#   locality 85%, problem 52%, with code precision 68% against one annotator. Most "wrong" codes are
#   generic groups (委员, 群众) and problems the annotator did not list; the written guide and the
#   older gold disagree on bylines and liaison groups, and govlab follows the guide.
# * **The gold matters as much as the program.** The two annotators of the development set agree on
#   figures (PSA 0.99) but only moderately on codes (0.66 adjudicated, 0.47 by exact spelling); an
#   independent third annotator of the fresh set agrees with the first at 0.66. Scored like govlab,
#   the development set's second annotator reaches 51% code precision and 55% platform recall on the
#   held-out part, where issue 13 asks 90 and 85: those goals lie above what a careful second
#   reader reaches (the human ceiling, above).
