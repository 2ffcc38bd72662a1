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
# # Practice codes and figures, each with its evidence
#
# Researchers of grassroots consultation (基层协商) usually hand-code report clauses in NVivo and copy
# figures into spreadsheets; nobody can re-run the study. govlab makes both steps reproducible:
#
# * a **bilingual codebook** (`datasets/codebook.yaml`) with categories for platforms (平台), process steps
#   (协商环节), mechanisms (工作机制), actors (参与主体), topic sources (议题来源), problems (存在问题),
#   localities (地方) and recommendations (对策建议); each code has a definition, patterns, exclusions and
#   fictional examples;
# * **open vocabulary**: platforms, places and problems are also found by their structure, so names the
#   codebook has never seen are coded (an unknown brand becomes `platform.other` with the brand as
#   evidence, a place gets its administrative level as code);
# * **coding** gives a long table: document, code, character offsets into the clean text, the matched
#   term and the report section (practice / problems / recommendations);
# * **figures**: every number that counts something, with unit, counted thing, approximate (约, 余, 多,
#   近, 以上) or masked (××, xx: missing, never zero), and its offsets.
#
# By default this notebook reads the derived tables shipped in `datasets/reports/` (built from the five
# real reports; they hold codes, figures and offsets, never sentences). With `GOVLAB_CORPUS_DIR` set it
# rebuilds them from the raw reports first.

# %%
import govlab

govlab.setup(display=True)

import os

import pandas as pd

from govlab import label
from govlab.coding import (check_codebook_examples, code_profile, code_text, extract_figures,
                           extract_step_sequences, load_codebook, parse_codebook)
from govlab.compare import report_tables
from govlab.viz.reports import hbar, presence_heatmap

cb = load_codebook()
tables, source = report_tables(os.environ.get("GOVLAB_CORPUS_DIR"), cb)  # the user's reports, or the shipped tables
codes, figures, loops, profiles = (tables[k] for k in ("codes", "figures", "loops", "profiles"))
names = {d: d for d in profiles["doc_id"]}  # reports are labelled by doc_id
print(source)
print(f"{len(profiles)} reports, {len(codes)} coded spans, {len(figures)} figures, {len(loops)} loop steps")

# %% [markdown]
# ## The codebook
#
# Seven categories; each code is written for the field, not for five texts: brand names from other
# provinces (请你来协商, 有事来协商, 民生议事堂 …), other platform names (议事厅, 议事堂, 民主恳谈会),
# other quota wordings ("2+N", 每年……不少于). Every code's examples are checked automatically:

# %%
overview = (cb.table().groupby("category", sort=False)
            .agg(codes=("code", "size"), terms=("n_terms", "sum"), regexes=("n_regex", "sum"),
                 examples=("n_examples", "sum")))
overview.index = [f"{c.zh} {c.en}" for c in cb.categories]
overview

# %%
print("examples that fail:", check_codebook_examples(cb))
cb.table().loc[cb.table()["category"] == "mechanism", ["code", "zh", "en", "definition"]]

# %% [markdown]
# ## Codes per report
#
# Counts of coded spans per category and report. The problems column is where the reports differ
# most: the Gansu report names nearly every problem the field knows (换届, 误工补贴, 空心化 …).

# %%
doc_ids = list(profiles["doc_id"])
by_cat = code_profile(codes, cb, doc_ids=doc_ids, level="category")
by_cat.columns = [f"{c.zh} {c.en}" for c in cb.categories]
by_cat.index = [names[d] for d in by_cat.index]
by_cat

# %%
by_code = code_profile(codes, cb, doc_ids=doc_ids, value="presence")
shown = [c for c in cb.codes if c.category in ("platform", "mechanism", "problem") and by_code[c.id].sum() > 0]
z = by_code[[c.id for c in shown]].T
presence_heatmap(z.set_axis([f"{c.zh} {c.en}" for c in shown]).rename(columns=names),
                 title=f"{label('平台')} / mechanisms / problems named in each report (presence)").show()

# %% [markdown]
# ### Evidence
#
# Every coded span carries its offsets into the clean text (`text[start:end] == matched`) and the
# section it sits in, found from the report's headings. Recommendation codes are scoped to
# recommendation sections, so praise in a practice section is not mistaken for advice.

# %%
codes[codes["category"].isin(["problem", "topic_source"])].head(12)

# %%
pd.crosstab(codes["category"], codes["section"]).reindex([c.id for c in cb.categories], fill_value=0)

# %% [markdown]
# ### Names the codebook has never seen
#
# Platforms are found by their structure as well as by their known names: a quoted brand before a
# platform word (协商品牌, 平台, 驿站, 联系点 ...), a quoted name with a consultation word in it, or a name
# ending in a platform word. Where the codebook knows the type (workstation, studio, room, council ...)
# the known code wins; otherwise the name is reported as `platform.other`. An actor word inside a platform
# or step name (政协委员 in 政协委员工作室) is not coded as an actor. Places are coded by their
# administrative suffix, a chain of units (省 > 市 > 县 > 镇 > 村) as one place at its lowest level; problems by
# generic cues (薄弱, 不足, 缺乏, 存在……问题) and named livelihood issues, with the phrase as evidence.
# On a fictional sentence:

# %%
demo_codes = ("（虚构）白石镇下河村推出“院坝来协商”平台，政协委员工作室每周开放；副主席王一表示，"
              "村里路灯安装和停车位不足的问题要协商解决，但议事室缺乏专业指导。")
code_text(demo_codes, cb)[["code", "category", "matched"]]

# %% [markdown]
# ## Figures with their evidence
#
# Only the numeral span is converted (Arabic, Chinese numerals, 万/亿, 一半, 八成, 百分之…), and only
# where a measure word, `%`, a date or a named quota anchors it; 六步议事, 一是, 十四五, 三农 and 第十三届
# never become numbers. Masked numbers (××) stay missing.

# %%
summary = figures.assign(report=figures["doc_id"].map(names)).pivot_table(
    index="report", columns="kind", values="start", aggfunc="count", fill_value=0)
summary["masked"] = figures.groupby(figures["doc_id"].map(names))["masked"].sum()
summary

# %%
cols = ["doc_id", "matched", "kind", "value", "value_max", "unit", "counted", "approx", "masked", "start", "end"]
figures.loc[figures["kind"] != "date", cols].head(20).round(2)

# %% [markdown]
# The counted thing is normalised: enumerations of units stay together (镇(街道、园区), 村(社区)), the
# head noun is taken from a lexicon (富有特色的委员之家 → 委员之家), and a number with no noun after it
# borrows one from before it (开展协商活动不少于4次 → 协商活动) or from an earlier figure with the same
# measure word in the sentence (8个区中仅有2个 → 区).

# %%
top = (figures[(figures["kind"].isin(["count", "percent"])) & (figures["counted"] != "")]
       .groupby("counted").size().sort_values(ascending=False, kind="stable").head(15))  # ties: by name
hbar(top, title="What the figures count (all five reports)", xaxis_title="figures").show()

# %% [markdown]
# On a fictional sentence, in other wordings:

# %%
demo = ("（虚构）截至去年底，林山市共建成“民情议事厅”236个，覆盖全部128个乡镇（街道）；组织委员1500余人次下沉一线，"
        "百分之八十五的村（社区）建立了议事会，区财政安排经费50余万元，推行“3+N”模式。一是收集议题，二是确定议题，"
        "围绕十四五规划和三农工作推行六步议事；全区××名委员参加。")
extract_figures(demo, "demo")[["matched", "kind", "value", "unit", "counted", "approx", "masked"]]

# %% [markdown]
# ## The loops each report names
#
# Named loops are found as enumerations of step names and mapped onto the canonical vocabulary
# (`datasets/loop_steps.csv`); notebook 04 aligns them.

# %%
loops.assign(report=loops["doc_id"].map(names))[["report", "position", "named", "step", "start", "end"]]

# %% [markdown]
# The three known loops are special cases of a general rule: any list of short step names written as a
# sequence (arrows, a step word such as 环节 / 工作法 / N步 next to it, one-character steps, 一是…二是…,
# 第一步…) is kept, each step mapped onto the canonical vocabulary where it can be and kept as written
# (`step` empty) where it cannot, so a step such as 监督 does not break the sequence:

# %%
demo_steps = ("（虚构）村里按照议题收集→入户调研→集中议事→监督→结果反馈的流程推进；"
              "镇里的议事会按“提、议、办、评”四个环节运行。")
extract_step_sequences(demo_steps, doc_id="demo")

# %% [markdown]
# ## How to add a code
#
# Add an entry under `codes:` in `datasets/codebook.yaml` (or your own copy, passed with
# `govlab code RAW_DIR --codebook my.yaml`):
#
# ```yaml
#   - id: mechanism.points
#     category: mechanism
#     zh: 履职积分
#     en: duty points
#     definition: Members earn points for duties; points are published or ranked.
#     patterns:
#       regex: ['履职积分', '积分(?:制|管理|排名)']
#     examples: ['（虚构）委员履职实行积分管理。']
# ```
#
# then run `govlab codebook my.yaml`: it validates keys and regular expressions (a typo such as
# `patrens:` or an unbalanced bracket is an error naming the code) and checks every example. The same
# in Python:

# %%
import copy

import yaml

data = yaml.safe_load(open(cb.source, encoding="utf-8"))
mine = copy.deepcopy(data)
mine["codes"].append({"id": "mechanism.points", "category": "mechanism", "zh": "履职积分", "en": "duty points",
                      "definition": "Members earn points for duties; points are published or ranked.",
                      "patterns": {"regex": ["履职积分", "积分(?:制|管理|排名)"]},
                      "examples": ["（虚构）委员履职实行积分管理。"]})
cb2 = parse_codebook(mine, source="my codebook")
print(len(cb2.codes), "codes; failing examples:", check_codebook_examples(cb2))
code_text("（虚构）青溪县对委员实行积分管理，每季度公布积分排名。", cb2)[["code", "start", "end", "matched"]]

# %%
bad = copy.deepcopy(mine)
bad["codes"][-1]["patterns"] = {"regex": ["积分(?:制"]}
try:
    parse_codebook(bad, source="my codebook")
except govlab.ConfigError as exc:
    print(exc)
