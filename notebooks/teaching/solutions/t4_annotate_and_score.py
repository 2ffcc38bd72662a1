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
# # Exercise 4 (solution): annotate a text, score govlab against it, and measure your agreement
#
# How good is a text-mining tool? Only a hand annotation can say, and only as good as the
# annotation is. This solution annotates one short paragraph as the development set's annotators did, scores govlab against it, and compares it with a colleague's annotation. The paragraph is fictional, written for the exercise, and marked （虚构）.
#
# The exercise is `../t4_annotate_and_score.ipynb`.

# %%
import govlab

govlab.setup(display=True)

import tempfile

import pandas as pd

from govlab.evaluate import annotator_agreement, evaluate, pair_annotations, write_gold_folder
from govlab.teaching import check, summary

# %%
paragraph = ("（虚构）青山县政协在全县12个乡镇建成委员工作站15个，组织86名政协委员下沉联系群众。"
             "今年以来，各工作站围绕停车难、农村饮水安全等问题开展协商，按照“征集议题→调研→协商→反馈”"
             "的流程，共收集社情民意43条。")

# %% [markdown]
# ## 1. Your gold figures
#
# The convention (the one of govlab's development set): every number that counts something, with
# the thing it counts spelled as in the text (`counted_zh`), `approx` 1 for 余/多/近/约, `context` 1
# for a background number. Dates, durations and ordinals are not figures.
#
# Four numbers count something: townships, workstations, members and reported opinions.

# %%
my_figures = """
qingshan,12,个,townships with workstations,乡镇,0,0
qingshan,15,个,member workstations,委员工作站,0,0
qingshan,86,名,CPPCC members sent down,政协委员,0,0
qingshan,43,条,opinions collected,社情民意,0,0
"""

# %% [markdown]
# ## 2. Your gold codes
#
# One row per actor, platform, locality, problem and step the paragraph names (`category`,
# `item_zh` as spelled, alternatives separated by `|`); a step's `note` is its place in the sequence.
#
# Actors are the county CPPCC, its members and the residents; the steps are the four items of the
# arrow chain.

# %%
my_codes = """
qingshan,platform,委员工作站,
qingshan,actor,青山县政协,
qingshan,actor,政协委员,
qingshan,actor,群众,
qingshan,locality,青山县,county
qingshan,problem,停车难,
qingshan,problem,农村饮水安全,
qingshan,step,征集议题,1
qingshan,step,调研,2
qingshan,step,协商,3
qingshan,step,反馈,4
"""

# %% [markdown]
# ## 3. Score govlab against your gold

# %%
folder = write_gold_folder(tempfile.mkdtemp(), {"qingshan": paragraph}, my_figures, my_codes)
ev = evaluate(folder)
ev.table()

# %%
ev.misses

# %% [markdown]
# ## 4. A second annotator
#
# A colleague annotated the same paragraph without seeing yours. Pair the two lists item by item
# (`pair_annotations`, exact spelling) and measure the agreement: *PSA*, the positive specific
# agreement, is the F1 of one annotator against the other.

# %%
colleague = pd.DataFrame({"file": "qingshan", "category": ["actor", "actor", "platform", "locality", "problem", "problem"],
                          "item_zh": ["青山县政协", "政协委员", "委员工作站", "青山县", "停车难", "饮水安全"]})
mine = pd.read_csv(folder / "gold_codes.csv", dtype=str, keep_default_na=False)
pairs = pair_annotations(mine[mine["category"] != "step"], colleague)
agreement = annotator_agreement(pairs)
agreement[["category", "first", "second", "both", "psa"]]

# %%
gold_fig = pd.read_csv(folder / "gold_figures.csv", dtype=str, keep_default_na=False)
gold_codes = mine
results = [
    check("four figures in your gold (12, 15, 86, 43)",
          sorted(pd.to_numeric(gold_fig["value"], errors="coerce").dropna()) == [12, 15, 43, 86],
          f"you have {sorted(gold_fig['value'].tolist())}"),
    check("every counted_zh is spelled as in the text",
          all(any(a in paragraph for a in str(c).split("|")) for c in gold_fig["counted_zh"]),
          "copy the counted thing from the paragraph"),
    check("the four steps of the named sequence, numbered 1-4",
          sorted(gold_codes.loc[gold_codes["category"] == "step", "note"].tolist()) == ["1", "2", "3", "4"],
          "add 征集议题, 调研, 协商, 反馈 with notes 1-4"),
    check("both problems coded", {"停车难"} <= set(gold_codes.loc[gold_codes["category"] == "problem", "item_zh"])
          and gold_codes.loc[gold_codes["category"] == "problem", "item_zh"].str.contains("饮水").any(),
          "停车难 and the drinking-water problem"),
    check("govlab's strict figure recall is computed on your gold",
          ev.scores.set_index(["category", "metric"]).loc[("strict", "recall"), "denominator"] == 4),
]
print(summary(results))

# %% [markdown]
# **Questions.** (a) govlab counts 86 名 as *委员*; your gold may say 政协委员. Read how
# `govlab.evaluate.counted_matches` decides that these match: is that fair? (b) The colleague wrote
# 饮水安全 where you may have written 农村饮水安全. `pair_annotations` does not pair them; would a
# person? What does that do to the PSA? (c) If two careful annotators agree at a PSA of 0.66 on codes
# (the development set's figure, `datasets/evaluation/agreement.csv`), what recall and precision
# can a program be expected to reach against either one of them?
