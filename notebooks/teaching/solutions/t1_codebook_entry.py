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
# # Exercise 1 (solution): write a codebook entry and test it
#
# Reports from other provinces name platforms the shipped codebook does not know. In south-western
# villages residents often meet in the courtyard or square in front of houses (院坝, "courtyard") for
# a courtyard consultation (院坝协商), also called a courtyard meeting (院坝会, 坝坝会). This solution
# adds a code for it, tests it on the code's own examples, and then on a short paragraph written for
# the exercise. All example sentences are fictional and marked （虚构）.

# %%
import govlab

govlab.setup(display=True)

from govlab.coding import check_codebook_examples, code_text
from govlab.teaching import check, codebook_with, summary

# %% [markdown]
# ## 1. The code
#
# A first try with the single term `院坝` also codes sentences about paving a courtyard (院坝硬化),
# which are not consultations: the counter-example catches that. The solution names the consultation
# forms instead (terms), plus one regular expression for written variants (院坝议事, 院坝协商会).

# %%
my_code = """
id: platform.courtyard_meeting
category: platform
zh: 院坝协商
en: courtyard consultation
definition: An open-air consultation of villagers in a courtyard or village square (院坝).
patterns:
  terms: [院坝协商, 院坝会, 坝坝会]
  regex: ['院坝(?:协商|议事)(?:会)?']
examples: ['（虚构）村里每月开一次院坝会。', '（虚构）委员参加了院坝协商。']
counter_examples: ['（虚构）村里完成了院坝硬化工程。']
"""
codebook = codebook_with(my_code)
[c.id for c in codebook.codes if c.id.startswith("platform.")]

# %% [markdown]
# ## 2. Test the code on its own examples
#
# `check_codebook_examples` codes each example and counter-example on its own: every example must
# get the code and no counter-example may.

# %%
failures = [f for f in check_codebook_examples(codebook) if f.startswith("platform.courtyard_meeting")]
failures

# %% [markdown]
# ## 3. Test it on a paragraph
#
# The paragraph below (fictional) mentions two courtyard consultations and one paved courtyard.
# The code should find the two consultations, with offsets that point at them in the text.

# %%
paragraph = ("（虚构）东岭村在村口召开院坝协商会，二十多位村民参加。"
             "上个月的坝坝会讨论了道路维护。村里还完成了院坝硬化。")
coded = code_text(paragraph, codebook, doc_id="exercise")
mine = coded[coded["code"] == "platform.courtyard_meeting"]
mine[["start", "end", "matched"]]

# %%
results = [
    check("the codebook with my code is valid", codebook is not None),
    check("every example coded, no counter-example coded", not failures, "; ".join(failures)),
    check("both courtyard consultations found, and nothing else",
          sorted(mine["start"]) == [paragraph.index("院坝协商"), paragraph.index("坝坝会")],
          f"found {mine['matched'].tolist()}"),
    check("offsets point at the matched text",
          all(paragraph[r.start:r.end] == r.matched for r in mine.itertuples())),
    check("the paved courtyard is not coded", not (mine["start"] > paragraph.index("院坝硬化") - 1).any()),
]
print(summary(results))

# %% [markdown]
# ## What to take away
#
# * A code is data: definition, patterns, exclusions and examples in YAML, validated when loaded.
# * Counter-examples are tests too: they catch a pattern that is too broad.
# * Run the whole codebook on the paragraph and look at the other codes: one of them (a social
#   organisation, 商会) fires inside 院坝协商会. Spotting such overlaps is why every code keeps its
#   offsets and matched text.
