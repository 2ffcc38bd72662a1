"""Step sequences: find the named sequences of consultation steps in a text and map each step onto
the canonical vocabulary.

Reports name a sequence of steps in several ways: an enumeration of short step names joined by 、 or
arrows (收集议题、确定议题…, 提→立→办), ordinals (一是…二是…, 第一步…, ①②), often announced by a
count (六步工作法, 4个环节) or followed by what it is (…工作机制, …各个环节). Every candidate list is
kept as a sequence when

* it maps onto the canonical steps (``datasets/loop_steps.csv``: an exact synonym first, else the
  synonym the item ends with, since Chinese compounds are head-final: 办理反馈 is a kind of 反馈),
  at least ``min_steps`` items and ``min_share`` of them (the known loops of the five reports), or
* it is written as a sequence: arrows between the items, step ordinals (第一步), or a step word
  (环节, 步骤, 流程, 程序, 闭环, 工作法, 工作机制, N步, N个环节) right before or after it,

and it looks like a sequence of actions: at least two items map onto the step vocabulary and at
least half are step-like (map, or hold an action word such as 监督, 受理, 答复). Arrows with a step
word, step ordinals (第一环节…) and a count of steps equal to the number of items (…四个环节) are
exempt from that: their form names their items as steps.
Rejected whatever their form: web menus and breadcrumbs (a navigation word such as 首页, 当前位置,
正文 next to the list, or space-separated runs of section names) and slogan lists whose items open
with the same verb (抓…、抓…、抓…). Where two candidates overlap, an arrow chain beats a 、 list,
which beats a prose enumeration. A lead-in glued to the first item (…实行受理—交办—…) is cut off.
An ordinal clause that opens with its subject or a time phrase (一是村里要公示结果…) names its step
after the modal verb (要, 应, 将, 须); one run of clauses never mixes 一是…, 第一步… and 首先….

Two more forms are sequences by their shape. An abbreviated chain repeats a subject of two
characters or more and varies only a one-character step verb (民事民提、民事民议、…、民事民办; found by
``chain``); a slogan repeats its verb instead (抓协商、抓调研). A sequence told as narrated stages, by
order adverbs (首先…随后…最后…) or meeting phases (会前…会后…), is read clause by clause: the clause
after each order adverb and every clause naming an action are steps (found by ``narrated``); a
purpose or means (确保…, 通过…), an outcome with a count (收集到16个问题) and a restatement after a light
verb (召开协商会议，进行协商讨论) are not. It needs two steps naming actions, one of them canonical, and
is the main loop only where no listed sequence has three canonical steps. Step names map onto the
vocabulary in either script (議 as 议). Items that share their object and vary a one-character verb
(群众点单、政协派单、委员接单、群众评单) are a sequence with a step word near; items opening with the
phases of a meeting in order (会前调研、会中协商、会后督办) are one by their form (found by ``phases``);
a list of short actions after 通过, 经过, 依次 or 先后 (通过汇报、评议、协商，…) is one unless closed
by 等 or named as means (方式, 渠道; found by ``means``).

Four more forms generalise the lists above to reports govlab was not built on. Steps may be joined
by dashes, hyphens or tildes as well as arrows (线索培育-跟踪问效-成果转化, 受理～办结, 调研-->协商); a
chain that fills a pair of quotes on its own is named as one thing and needs only one canonical step.
A chain joined only by hyphens or tildes, which also join the parts of page titles and menus, must be
quoted or named by a step word.
A 、 list of actions (every item maps or holds an action word) closed by its count of steps is a
sequence: the count equals the items (登记、转办、督查和回访四到位) or, after 等, is at least their
number (制定计划、开展协商、落实监督等7个环节; found by ``count``). The phases of one action or meeting
(协商前、协商中和协商后, 会前、会中、会后) are a sequence (``phases``). A slogan chain tells each step in a
short clause ending with a lone step verb (问题群众提、事项专班办、成效大家评; found by ``slogan``), not
with a step word as the object of a verb (组织小协商、推动小监督 is no chain). An item that names a
place or a body (协商议事室, 议事亭, 三级平台) maps onto no step, whatever step word it holds.

Items are kept as written; one that maps to no canonical step keeps ``step`` empty (监督 in the
middle of a loop does not break it). :func:`extract_step_sequences` gives every sequence,
:func:`extract_loop_steps` the report's main loop: among sequences with three or more canonical
steps the one written as a sequence (arrows, a step word) first, then the one with most canonical
steps. :func:`govlab.coding.code_text` codes step words only on these sequences.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import lru_cache

import pandas as pd

from govlab.coding.coding import _texts_of, validate_text
from govlab.errors import ConfigError, InputError

__all__ = ["LOOP_COLUMNS", "SEQUENCE_COLUMNS", "load_loop_steps", "map_step", "extract_loop_steps", "extract_loops",
           "extract_step_sequences"]

#: Columns of the loop table.
LOOP_COLUMNS = ["doc_id", "position", "named", "step", "start", "end"]
#: Columns of the step-sequence table: the loop columns plus the sequence number and how it was found.
SEQUENCE_COLUMNS = LOOP_COLUMNS + ["sequence", "found_by"]

_ITEM = re.compile(r"[\u4e00-\u9fff](?:[\u4e00-\u9fff]|[ \u3000](?=[\u4e00-\u9fff])){1,11}")
#: Dashes, hyphens and tildes that join the steps of a chain (线索培育-跟踪问效-成果转化, 调研——协商, 受理～办结),
#: alone or drawn into an arrow (-->, ——>).
_DASH = "—―－～~\\-–"
#: The loose ones also join the parts of page titles and menus (网上办事-办事指南-在线办理).
_LOOSE_DASH = "―～~-–"
_SEP = rf"[ \t\u3000]*(?:[、→＞>]|[{_DASH}]{{1,3}}[>＞]?)[ \t\u3000]*"
_CANDIDATE = re.compile(rf"{_ITEM.pattern}(?:{_SEP}{_ITEM.pattern}){{2,}}")
_ORD = r"(?:[一二三四五六七八九十]是|第[一二三四五六七八九十](?:步|个?环节|个?步骤|阶段)(?:是|为)?|[①②③④⑤⑥⑦⑧⑨⑩]|[（(][一二三四五六七八九十\d][)）]|\d[.、．])"
_ORD_ITEM = re.compile(rf"{_ORD}\s*([\u4e00-\u9fff]{{2,8}})(?=[，；。,;、\s]|$|{_ORD})")
_ORD_CANDIDATE = re.compile(rf"(?:{_ORD}\s*[\u4e00-\u9fff]{{2,8}}\s*[，；,;、]?\s*){{4,}}")
#: One-character steps: a 、 list stands alone; an arrow chain may follow a lead-in verb (坚持提→议→办).
_SHORT_CANDIDATE = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff](?:[ \u3000]*[、→][ \u3000]*[\u4e00-\u9fff]){2,9}(?![\u4e00-\u9fff])"
                              r"|[\u4e00-\u9fff](?:[ \u3000]*→[ \u3000]*[\u4e00-\u9fff]){2,9}(?![\u4e00-\u9fff])")
_ARROW = re.compile(rf"→|[{_DASH}]|＞|>")
_NUM = r"[一二三四五六七八九十两\d]{1,2}"
#: Words that name what a list is: a list right after or before one of them is a sequence of steps.
_STEP_WORD = re.compile(rf"环节|步骤|流程|程序|闭环|工作法|议事规则|议事程序|{_NUM}步|{_NUM}个?环节|{_NUM}个?步骤")
#: Longest step name in a list accepted for its form alone (not for its canonical steps).
_MAX_FREE_ITEM = 6
_AFTER_WINDOW = 16
_BEFORE_WINDOW = 12
_ORD_STEP = re.compile(r"第[一二三四五六七八九十](?:步|个?环节|个?步骤|阶段)")
_CLAUSE_ORD = r"(?:[一二三四五六七八九十]是|第[一二三四五六七八九十](?:步|个?环节|个?步骤|阶段)(?:是|为)?|首先|其次|再次|然后|最后|[①②③④⑤⑥⑦⑧⑨⑩])"
_CLAUSE_ITEM = re.compile(rf"{_CLAUSE_ORD}[，：:\s]*([\u4e00-\u9fff]{{2,8}})")
_CLAUSE_RUN = re.compile(rf"{_CLAUSE_ORD}[^。\n]{{0,80}}?(?:[；;。，,\n]|$)")
_CUE = re.compile(r"^(?:构建了?|建立了?|形成了?|推行了?|实行了?|按照|包括|遵循|坚持|实施|做到|抓住|通过|经过|即|为|是|了|的|有)+")
_LEAD = re.compile(r"为|是|即|按照?|包括|遵循")
#: Action words that make an item step-like although it maps onto no canonical step (监督, 受理, 答复 in a
#: proposal chain; 决事, 问效 in a slogan of steps). A closed list of verbs: section names of a web menu
#: (政务新闻, 委员风采) contain none of them.
_ACTION = re.compile(
    r"监督|督办|督查|督促|督导|受理|转办|交办|承办|答复|回复|公示|公布|通报|听取|征求|征询|审议|审核|审查|审定|"
    r"表决|决策|决定|研判|梳理|汇总|讨论|商议|商讨|议定|论证|整改|验收|销号|归档|跟踪|问效|回访|考核|测评|申报|"
    r"提交|报批|批复|座谈|视察|调查|执行|推进|启动|部署|汇报|登记|[点提说问议定决办评督管]事$|^[提立办督评议查审访]$")
#: Words of web page chrome: a list next to one of them is a menu or a breadcrumb, not a sequence.
_NAV = re.compile(r"首页|当前位置|您的位置|现在的位置|正文|网站地图|返回顶部|上一篇|下一篇|打印本页|关闭窗口|"
                  r"字号|分享到|版权所有|无障碍")
_NAV_WINDOW = 24
_HAN = re.compile(r"[\u4e00-\u9fff]")
#: A modal verb in an ordinal clause: the step is the verb phrase after it (…要监督好…). Not inside 重要,
#: 主要, 需要 as a noun, 只要.
_MODAL = re.compile(r"(?<![重主只纲摘概简紧必想需])(?:要|应当?|须|将)(?=[\u4e00-\u9fff]{2})")
_CLAUSE_MAX = 80
#: Longest verb phrase taken from an ordinal clause after a modal.
_MAX_CLAUSE_STEP = 14
#: Words that count the steps of a list closed by its count (…等7个环节, …四到位, …三道程序, …五大步骤).
_COUNT_UNIT = r"[个项道大]?(?:环节|步骤|步|程序|流程|到位)"
_COUNT_TAIL = re.compile(rf"(?<=[\u4e00-\u9fff]{{2}})[一二三四五六七八九十两\d]{{1,2}}{_COUNT_UNIT}")
_COUNT_CLOSE = re.compile(rf"[ \u3000]*(等)?[ \u3000]*(\d{{1,2}}|[一二三四五六七八九十两]{{1,3}})[ \u3000]*{_COUNT_UNIT}")
#: Longest item of a list closed by a count of steps (拟定协商计划、组织协商活动…等6个环节).
_MAX_COUNTED_ITEM = 8
#: Form of a candidate, best first where two overlap: arrows, then 、 lists, then prose enumerations.
_KIND_RANK = {"arrow": 2, "list": 1, "short": 1, "phase": 1, "ordinal": 0, "narrated": -1}
_REQUIRED = ("step", "order", "zh", "en", "definition", "synonyms")
_OPTIONAL = ("map_only",)


def load_loop_steps(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Load the canonical loop-step vocabulary.

    Parameters
    ----------
    path : path-like, optional
        A CSV with columns ``step, order, zh, en, definition, synonyms`` and optionally ``map_only``
        (both ``|``-separated); the shipped ``datasets/loop_steps.csv`` when omitted. ``synonyms``
        are step names also coded in running text (the codebook's ``step.*`` codes match them);
        ``map_only`` are generic words (调研, 落实) used only to map an item of a named loop.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``order``; ``synonyms`` and ``map_only`` as tuples (the ``zh`` name included in
        ``synonyms``).

    Raises
    ------
    govlab.errors.ConfigError
        Missing columns, duplicate step ids or non-integer orders (naming the row).

    Examples
    --------
    >>> v = load_loop_steps()
    >>> v["step"].tolist()[:3]
    ['build_platform', 'collect_topics', 'choose_topics']
    """
    if path is None:
        from govlab.datasets import dataset_path

        path = dataset_path("loop_steps.csv")
    source = str(path)
    try:
        stat = os.stat(source)
    except OSError as exc:
        raise ConfigError(f"cannot read the step vocabulary ({exc})", source=source) from None
    return _load_loop_steps_cached(source, stat.st_mtime_ns, stat.st_size).copy()


@lru_cache(maxsize=16)
def _load_loop_steps_cached(source: str, mtime_ns: int, size: int) -> pd.DataFrame:
    """Parse a step vocabulary once per (path, modification time, size); callers get a copy."""
    path = source
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the step vocabulary ({exc})", source=source) from None
    missing = [c for c in _REQUIRED if c not in df.columns]
    if missing:
        raise ConfigError(f"missing columns {missing}", source=source)
    if df["step"].duplicated().any():
        dup = df.loc[df["step"].duplicated(), "step"].iloc[0]
        raise ConfigError(f"duplicate step id {dup!r}", source=source, key="step")
    try:
        df["order"] = df["order"].astype(int)
    except ValueError:
        raise ConfigError("order must be an integer in every row", source=source, key="order") from None
    df["synonyms"] = [tuple(dict.fromkeys([z] + [s.strip() for s in syn.split("|") if s.strip()]))
                      for z, syn in zip(df["zh"], df["synonyms"])]
    if "map_only" not in df.columns:
        df["map_only"] = ""
    df["map_only"] = [tuple(s.strip() for s in m.split("|") if s.strip()) for m in df["map_only"]]
    return df.sort_values("order", kind="mergesort").reset_index(drop=True)


def _synonym_index(vocabulary: pd.DataFrame) -> tuple[dict, list]:
    exact = {}
    pairs = []
    extra = vocabulary["map_only"] if "map_only" in vocabulary.columns else [()] * len(vocabulary)
    for step, syns, more in zip(vocabulary["step"], vocabulary["synonyms"], extra):
        for s in tuple(syns) + tuple(more):
            exact.setdefault(s, step)
            pairs.append((s, step))
    pairs.sort(key=lambda p: (-len(p[0]), p[0]))
    return exact, pairs


def _normal(named: str) -> str:
    return re.sub(r"[\s“”\"'「」]", "", named)


def map_step(named: str, vocabulary: pd.DataFrame | None = None) -> str:
    """Map a step name as written onto a canonical step id ('' when none fits).

    An exact synonym wins; otherwise a synonym the name ends with (head-final: 办理反馈 is a kind of
    反馈), else one it starts with (a verb before its object: 公示议事结果), else the synonym ending
    latest in the name; longest first.

    Parameters
    ----------
    named : str
        The step as the report names it, for example ``"议前调研"`` or ``"办理反馈"``.
    vocabulary : pandas.DataFrame, optional
        From :func:`load_loop_steps`.

    Returns
    -------
    str

    Examples
    --------
    >>> map_step("议前调研"), map_step("办理反馈"), map_step("转化落实"), map_step("民盟")
    ('research', 'feedback', 'implement', '')
    >>> map_step("公示议事结果"), map_step("做好材料收集并建档")
    ('feedback', 'collect_topics')
    """
    vocabulary = load_loop_steps() if vocabulary is None else vocabulary
    exact, pairs = _synonym_index(vocabulary)
    return _map(_normal(named), exact, pairs)


@lru_cache(maxsize=4096)
def _simplified(name: str) -> str:
    """A name in simplified script (民事民議 -> 民事民议): step names map whatever the page's script."""
    from govlab.corpus.clean import _t2s

    return _t2s().convert(name) if name else name


def _map(name: str, exact: dict, pairs: list) -> str:
    name = _simplified(name)
    if name in exact:
        return exact[name]
    best = None
    for syn, step in pairs:
        if len(syn) < 2:
            continue
        pos = name.rfind(syn)
        if pos >= 0:
            end = pos + len(syn)
            # a name ending with a step is a kind of it (办理反馈); a verb-object phrase whose object
            # holds a step word (公示议事结果) is its verb; else the step ending latest
            key = (end == len(name), name.startswith(syn), end, len(syn))
            if best is None or key > best[0]:
                best = (key, step)
    return best[1] if best else ""


def _trim_first(item: str, exact: dict, pairs: list) -> tuple[int, str]:
    """Offset and text of the step name inside the first item of an enumeration.

    A lead-in before the step (构建, 建立了 ...) is dropped: the longest exact step name ending the
    item wins, unless what it would drop itself ends with a step name (回访评价 stays whole).
    """
    for k in range(len(item) - 1):  # a step name kept from a longer item has two characters at least
        if _normal(item[k:]) in exact and not _ends_with_step(item[:k], pairs):
            # a short name (提事) keeps its subject (群众提事) unless what is dropped is a lead-in
            if len(item) - k >= 4 or not k or _CUE.fullmatch(item[:k]):
                return k, item[k:]
            break
    m = _CUE.match(item)
    if m:
        return m.end(), item[m.end():]
    # a lead-in naming the list (流程为收集 -> 收集): cut after its last linking word
    for lead in reversed(list(_LEAD.finditer(item))):
        rest = item[lead.end():]
        if len(rest) >= 1 and _map(_normal(rest), exact, pairs):
            return lead.end(), rest
    return 0, item


#: A step word glued to the end of a list's last item (调研-协商-督办闭环).
_STEP_WORD_TAIL = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?:环节|步骤|流程|程序|闭环)$")


def _trim_last(item: str, exact: dict, pairs: list) -> str:
    """The step name inside the last item: cut at 等, 的, a count of steps or a step word that ends it
    (what follows names the list: 的三事模式, 四个环节, 闭环, 流程) and drop a tail that is not a step
    (六步法).

    Examples
    --------
    >>> exact, pairs = _synonym_index(load_loop_steps())
    >>> _trim_last("督辦閉環", exact, pairs), _trim_last("跟踪反馈四个环节", exact, pairs)
    ('督辦', '跟踪反馈')
    """
    count = _COUNT_TAIL.search(item)
    named = _STEP_WORD_TAIL.search(_simplified(item))
    cut = min((k for k in (item.find("等"), item.find("的"), count.start() if count else -1,
                           named.start() if named else -1) if k > 0), default=-1)
    if cut > 0:
        item = item[:cut]
    if _normal(item) in exact:
        return item
    for k in range(len(item), 1, -1):
        if _normal(item[:k]) in exact and not _starts_with_step(item[k:], pairs):
            return item[:k]
    return item


_LAST_JOIN = re.compile(r"([\u4e00-\u9fff]{2,4}?)(?:以及|和|及|与)([\u4e00-\u9fff]{2,})")
_LEAD_IN = re.compile(r"实行|推行|做到|抓住|实施|采取|采用|按照|遵循|经过|通过|建立|构建|形成|坚持|包括|分为|即|为|是|了")


def _cut_lead_in(first: str, rest: list[str], exact: dict) -> int:
    """Where the step name starts in a first item much longer than the other items.

    The words before a list are often glued to its first item (提案办理实行受理—交办—…). When the
    first item is more than two characters longer than every other item, it is cut after its last
    lead-in verb (实行, 分为, 包括 ...) if what remains is about their length, else to its longest
    ending of that length that is a step name or an action word.

    Examples
    --------
    >>> exact, _ = _synonym_index(load_loop_steps())
    >>> item = "村里办事实行受理"
    >>> item[_cut_lead_in(item, ["交办", "答复"], exact):]
    '受理'
    >>> _cut_lead_in("收集议题", ["调研", "协商"], exact)
    0
    """
    if not rest:
        return 0
    longest = max(len(_normal(t)) for t in rest)
    if len(_normal(first)) <= longest + 2:
        return 0
    for m in reversed(list(_LEAD_IN.finditer(first))):
        tail = first[m.end():]
        if 1 <= len(_normal(tail)) <= longest + 2:
            return m.end()
    for size in range(min(len(first) - 1, longest + 2), 1, -1):
        tail = first[-size:]
        if _normal(tail) in exact or _ACTION.fullmatch(tail):
            return len(first) - size
    return 0


def _ends_with_step(s: str, pairs: list) -> bool:
    s = _normal(s)
    return any(len(syn) >= 2 and s.endswith(syn) for syn, _ in pairs)


def _starts_with_step(s: str, pairs: list) -> bool:
    s = _normal(s)
    return any(len(syn) >= 2 and s.startswith(syn) for syn, _ in pairs)


def _candidates(text: str, exact: dict, pairs: list) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Every list of short items that could be a step sequence, with how it is written.

    Returns (kind, items) pairs; kind is ``arrow``, ``list``, ``short`` (one-character steps) or
    ``ordinal``.
    """
    out = []
    for cand in _CANDIDATE.finditer(text):
        items = [(m.start(), m.end(), m.group()) for m in _ITEM.finditer(text, cand.start(), cand.end())]
        # trim the first and last items to the step names
        s0, e0, t0 = items[0]
        k, t0n = _trim_first(t0, exact, pairs)
        items[0] = (s0 + k, e0, t0n)
        sl, _, tl = items[-1]
        joined = _LAST_JOIN.match(tl)
        if joined and len(items) >= 3:  # 登记、交办、办理和答复: the last two items joined by 和
            items[-1] = (sl, sl + len(joined.group(1)), joined.group(1))
            sl, tl = sl + joined.start(2), tl[joined.start(2):]
            items.append((sl, sl + len(tl), tl))
        tl = _trim_last(tl, exact, pairs)
        items[-1] = (sl, sl + len(tl), tl)
        s0, e0, t0 = items[0]
        k = _cut_lead_in(t0, [t for _, _, t in items[1:]], exact)
        items[0] = (s0 + k, e0, t0[k:])
        kind = "arrow" if _ARROW.search(cand.group()) else "list"
        out.append((kind, [it for it in items if it[2]]))
    for cand in _SHORT_CANDIDATE.finditer(text):
        items = [(cand.start() + m.start(), cand.start() + m.end(), m.group())
                 for m in re.finditer(r"[\u4e00-\u9fff]", cand.group())]
        out.append(("arrow" if _ARROW.search(cand.group()) else "short", items))
    # ordinal lists: 一是议题征集，二是调研论证 ... / ①议题征集②调研论证 ...
    ordinal_starts = set()
    for cand in _ORD_CANDIDATE.finditer(text):
        items = [(m.start(1), m.end(1), m.group(1)) for m in _ORD_ITEM.finditer(text, cand.start(), cand.end())]
        out.append(("ordinal", items))
        ordinal_starts.add(items[0][0] if items else -1)
    # ordinal clauses: 第一步，广泛收集议题；第二步…  (the step name opens each clause)
    runs: list[list[tuple[int, int, str, str]]] = []
    last_end, last_family = -10**9, ""
    for m in _CLAUSE_RUN.finditer(text):
        item = _CLAUSE_ITEM.match(text, m.start())
        if item is None:
            continue
        entry = (item.start(1), item.end(1), item.group(1), _clause_text(text, item.start(1)))
        family = _ordinal_family(m.group())
        if runs and m.start() - last_end <= 80 and family == last_family:
            runs[-1].append(entry)
        else:
            runs.append([entry])
        last_end, last_family = m.end(), family
    for items in runs:
        if items[0][0] in ordinal_starts:
            continue
        named = [_clause_step(t, exact, pairs, whole=not _HAN.match(text, e), clause=c, at=s) for s, e, t, c in items]
        out.append(("ordinal", named))
    for items in _narrated(text, exact, pairs):
        out.append(("narrated", items))
    for items in _action_phases(text, exact, pairs):
        out.append(("phase", items))
    return out


#: Adverbs that tell the order of narrated steps (陈某首先介绍…，随后…，最后…). 随后, 然后, 接着, 其次, 再次
#: and 最后 must open a clause (最后一公里 is a slogan, not a stage).
_FIRST = re.compile(r"首先|(?<![首原事优率领争抢预祖])先(?![后进锋行生导期例天知声])(?=[\u4e00-\u9fff]{2})")
_NEXT = re.compile(r"(?<![\u4e00-\u9fff])(?:其次|随后|隨後|然后|然後|接着|接著|紧接着|再次|之后|之後|再)(?=[，,\s]|[\u4e00-\u9fff])")
_LAST = re.compile(r"(?<![\u4e00-\u9fff])最[后後](?=[，,\s]|[\u4e00-\u9fff])(?!一[公步里])")
#: Phases of a meeting that open a clause or paragraph (会前，…；会后，…).
_PHASE_BEFORE = re.compile(r"(?<![\u4e00-\u9fff])(?:会前|會前|议前|議前|事前|协商前|協商前)(?=[，,：:])")
_PHASE_AFTER = re.compile(r"(?<![\u4e00-\u9fff])(?:会后|會後|议后|議後|事后|事後|协商后|協商後)(?=[，,：:])")
#: A clause of a narrated block that is no step: a purpose (确保…), a means or recap (通过…, 经过…).
_NOT_STEP_CLAUSE = re.compile(r"^(?:确保|以确保|以便|为了|从而|进而|使|让|通过|经过|经|并?通过)")
#: A light verb before the step it names (进行跟踪, 作了补充说明, 开展调研).
_LIGHT_VERB = re.compile(r"(?:进行|开展|作了|做了|作出|做出|予以|展开)([\u4e00-\u9fff]{2,8})$")
_NARRATED_GAP = 160
_NARRATED_SPAN = 700
_NARRATED_NAME = 20


def _narrated(text: str, exact: dict, pairs: list) -> list[list[tuple[int, int, str]]]:
    """Sequences told as narrated stages: 首先…随后…最后… (order adverbs) or 会前…会后… (meeting
    phases), as lists of ``(start, end, name)``.

    A block of order adverbs starts at 首先 and goes on while a next adverb (其次, 随后, 然后, 接着,
    再次) follows within :data:`_NARRATED_GAP` characters, up to the sentence of 最后 (or of the
    third stage when 最后 never comes); a block of
    phases runs from a clause opening with 会前 to the end of the sentence of the next 会后. Each
    clause (cut at ，；。：) of the block is read by :func:`_narrated_step`: the clause right after
    an order adverb is always a step; any other clause only when it names an action. A clause that
    restates the step before it with a light verb (召开协商会议，进行协商讨论) adds nothing.

    Examples
    --------
    >>> exact, pairs = _synonym_index(load_loop_steps())
    >>> t = "（虚构）会前，委员深入村组调研，列出问题清单；会后，形成协商报告，报送镇党委，对办理情况进行跟踪。"
    >>> [n for _, _, n in _narrated(t, exact, pairs)[0]]
    ['委员深入村组调研', '列出问题清单', '形成协商报告', '报送镇党委', '跟踪']
    """
    blocks = []
    for first in _FIRST.finditer(text):
        pos, marks = first.end(), [first.start()]
        while True:
            nxt = _NEXT.search(text, pos, pos + _NARRATED_GAP)
            last = _LAST.search(text, pos, pos + _NARRATED_GAP)
            if last and (not nxt or last.start() < nxt.start()):
                marks.append(last.start())
                stop = re.compile(r"[。\n]").search(text, last.end())
                blocks.append((marks, stop.start() if stop else len(text), True))
                break
            if not nxt:
                if len(marks) >= 3:  # 首先…然后…接着…: three stages without 最后
                    stop = re.compile(r"[。\n]").search(text, marks[-1])
                    blocks.append((marks, stop.start() if stop else len(text), True))
                break
            marks.append(nxt.start())
            pos = nxt.end()
    for before in _PHASE_BEFORE.finditer(text):
        after = _PHASE_AFTER.search(text, before.end(), before.end() + _NARRATED_SPAN)
        if after:
            stop = re.compile(r"[。\n]").search(text, after.end())
            blocks.append(([before.start(), after.start()], stop.start() if stop else len(text), False))
    out = []
    for marks, stop, ordered in blocks:
        items: list[tuple[int, int, str]] = []
        last_light = False
        for clause in re.finditer(r"[^，。；,;：:\n]+", text[marks[0]:stop]):
            cs, ce = marks[0] + clause.start(), marks[0] + clause.end()
            opens = any(cs <= m < ce for m in marks)
            step = _narrated_step(text, cs, ce, exact, pairs, forced=opens and ordered)
            if step is None:
                continue
            s, e, name, light = step
            mapped = _map(_normal(name), exact, pairs)
            if light and items and mapped and mapped == _map(_normal(items[-1][2]), exact, pairs) and not last_light:
                continue  # 召开协商会议，进行协商讨论: the same step again
            items.append((s, e, name))
            last_light = light
        if len(items) >= 3:
            out.append(items)
    return out


def _narrated_step(text: str, start: int, end: int, exact: dict, pairs: list, *,
                   forced: bool = False) -> tuple[int, int, str, bool] | None:
    """The step a clause of a narrated block names, as ``(start, end, name, light)``, or None.

    The clause loses its order adverb or phase (首先, 随后, 会后) and a modal before the verb (要);
    a purpose or a means (确保…, 通过…), a clause that reports a count (收集到16个问题: an outcome)
    and a time clause ending in 后 or 前 name no step. After a light verb (进行跟踪) the step is its
    object; a clause opening with a step word (视察调研社区…) is cut after it; else the clause is the
    step, at most :data:`_NARRATED_NAME` characters. Unless ``forced`` or after a light verb, it must
    name an action: map onto a canonical step (its part after the last 的: 协商前的准备工作 is
    preparation) or hold an action word.

    Examples
    --------
    >>> exact, pairs = _synonym_index(load_loop_steps())
    >>> t = "组织人员对问题办理情况进行跟踪"
    >>> _narrated_step(t, 0, len(t), exact, pairs)
    (13, 15, '跟踪', True)
    >>> t = "充分做好协商前的准备工作"
    >>> _narrated_step(t, 0, len(t), exact, pairs) is None
    True
    """
    clause = text[start:end]
    first = r"[^\s　]{0,8}?首?先|" if forced else r"首先|"  # the subject before 先 only where it opens a stage
    lead = re.match(r"[\s　]*(?:" + first + r"其次|随后|隨後|然后|然後|紧接着|接着|接著|再次|之后|之後|最后|最後|"
                    r"再|会前|會前|议前|議前|事前|协商前|協商前|会后|會後|议后|議後|事后|事後|协商后|協商後|会上|會上|会中)?"
                    r"[\s　]*", clause)
    k = lead.end() if lead else 0
    body = clause[k:].rstrip()
    if not body or _NOT_STEP_CLAUSE.match(body) or re.search(r"\d|[一二三四五六七八九十百千两]+[个名家条项件次]", body):
        return None
    if body.endswith(("后", "前", "时")):
        return None
    at = start + k
    light = _LIGHT_VERB.search(body)
    if light:
        name, off = light.group(1), light.start(1)
    else:
        modal = _MODAL.search(body)
        off = modal.end() if modal and modal.start() <= 8 else 0
        name = body[off:]
        if not forced and not _step_like(name, _map(_normal(name.rsplit("的", 1)[-1]), exact, pairs)):
            return None
        # a clause opening with a step word (视察调研社区建设…) is cut after its last step word
        ends = [n for n in range(2, min(len(name), 6) + 1)
                if _map(_normal(name[n - 2:n]), exact, pairs) or _ACTION.fullmatch(name[n - 2:n])]
        if ends and ends[0] <= 4 and len(name) - ends[-1] > 4:
            name = name[:ends[-1]]
        name = name[:_NARRATED_NAME]
    if not all(_HAN.match(c) or c in "、" for c in name) or len(_normal(name)) < 2:
        return None
    return at + off, at + off + len(name), name, bool(light)


def _ordinal_family(clause: str) -> str:
    """Which kind of ordinal opens a clause: one run of clauses never mixes 一是…, 第一步…, 首先…
    and ①….

    Examples
    --------
    >>> _ordinal_family("二是加强"), _ordinal_family("第三环节"), _ordinal_family("最后，"), _ordinal_family("③")
    ('是', '第', '先后', '圈')
    """
    if clause[:1] == "第":
        return "第"
    if clause[1:2] == "是":
        return "是"
    if clause[:1] in "①②③④⑤⑥⑦⑧⑨⑩":
        return "圈"
    return "先后"


def _clause_text(text: str, start: int) -> str:
    """The ordinal clause from ``start`` to the next ordinal, sentence end or semicolon (80 characters
    at most)."""
    stop = re.compile(rf"[。；;\n]|{_CLAUSE_ORD}").search(text, start + 1, start + _CLAUSE_MAX)
    return text[start:stop.start() if stop else start + _CLAUSE_MAX]


def _clause_step(item: str, exact: dict, pairs: list, *, whole: bool = False, clause: str = "",
                 at: int = 0) -> tuple[int, int, str]:
    """The step named by an ordinal clause, as ``(start, end, name)``.

    Its opening when that is a step name; else, when the clause opens with its subject or a time
    phrase (区里要…, 会开完后，要…), the verb phrase after the first modal (要, 应, 将, 须) of the
    clause; else its longest opening that maps onto a canonical step; else the whole item when it is
    the whole phrase (``whole``: punctuation follows it, 召开院坝会); else its first four characters.

    Examples
    --------
    >>> exact, pairs = _synonym_index(load_loop_steps())
    >>> _clause_step("村委会要公示", exact, pairs, clause="村委会要公示结果，接受监督")
    (4, 8, '公示结果')
    >>> _clause_step("收集议题", exact, pairs, clause="收集议题，由群众提出")
    (0, 4, '收集议题')
    """
    opening = next((k for k in range(len(item), 1, -1) if _map(_normal(item[:k]), exact, pairs)), 0)
    if opening and (_normal(item[:opening]) in exact or not _MODAL.search(clause)):
        return at, at + opening, item[:opening]
    offset = 0
    for part in re.split(r"([，,：:])", clause):
        modal = _MODAL.search(part)
        if modal:
            phrase = part[modal.end():]
            if 2 <= len(phrase) <= _MAX_CLAUSE_STEP and all(_HAN.match(c) for c in phrase):
                start = at + offset + modal.end()
                return start, start + len(phrase), phrase
            break
        offset += len(part)
    if opening:
        return at, at + opening, item[:opening]
    name = item if whole else item[:4]
    return at, at + len(name), name


def _step_word_near(text: str, start: int, end: int, items: list[tuple[int, int, str]]) -> bool:
    """A step word (环节, 工作法, N步 ...; in either script: 閉環 as 闭环) in the same sentence right
    after or right before a list, or the list's count named with its items' shared last character
    (百姓点事、…、公众评事 … 六事)."""
    after = _simplified(re.split(r"[，。；,;\n]", text[end:end + _AFTER_WINDOW], maxsplit=1)[0])
    before = _simplified(re.split(r"[，。；,;\n]", text[max(0, start - _BEFORE_WINDOW):start])[-1])
    if _STEP_WORD.search(after) or _STEP_WORD.search(before) or _ORD_STEP.search(text, max(0, start - 8), end):
        return True
    last = {t[-1] for _, _, t in items if t}
    if len(last) == 1 and len(items) >= 3:
        return bool(re.search(rf"{_NUM}{re.escape(last.pop())}", after))
    return False


_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}


def _small_number(word: str) -> int | None:
    """1-99 written in digits or Chinese numerals (四, 十二, 二十); None otherwise."""
    if word.isdigit():
        return int(word)
    if "十" in word:
        tens, _, ones = word.partition("十")
        t = _DIGITS.get(tens, -1) if tens else 1
        o = _DIGITS.get(ones, -1) if ones else 0
        return t * 10 + o if t > 0 and o >= 0 else None
    return _DIGITS.get(word) if len(word) == 1 else None


def _counted_as_steps(text: str, start: int, end: int, items: list[tuple[int, int, str]]) -> bool:
    """The list is announced or closed by a count of steps that equals its number of items (协商分为
    四个环节：…; …八个环节; …的三事模式 with a shared last character 事).

    Examples
    --------
    >>> t = "（虚构）恳谈会分为介绍、提问、回应、小结四个环节。"
    >>> _counted_as_steps(t, 9, 20, [(9, 11, "介绍"), (12, 14, "提问"), (15, 17, "回应"), (18, 20, "小结")])
    True
    >>> _counted_as_steps(t, 9, 17, [(9, 11, "介绍"), (12, 14, "提问"), (15, 17, "回应")])
    False
    """
    after = re.split(r"[，。；,;\n]", text[end:end + _AFTER_WINDOW], maxsplit=1)[0]
    before = re.split(r"[，。；,;\n]", text[max(0, start - _BEFORE_WINDOW):start])[-1]
    last = {t[-1] for _, _, t in items if t}
    units = "环节|步骤|步" + (f"|{re.escape(next(iter(last)))}" if len(last) == 1 else "")
    for window in (after, before):
        for m in re.finditer(rf"(\d{{1,2}}|[一二三四五六七八九十两]{{1,3}})个?(?:{units})", window):
            if _small_number(m.group(1)) == len(items):
                return True
    return False


def _closed_by_count(text: str, end: int, n_items: int) -> bool:
    """The list is closed right after its last item by a count of steps: the count equals its
    number of items (登记、转办、督查和回访四到位), or is at least that after 等 (制定计划、开展协商、
    落实监督等7个环节: the list names some of the steps).

    Parameters
    ----------
    text : str
    end : int
        Offset right after the last item.
    n_items : int
        Number of items of the list.

    Returns
    -------
    bool

    Examples
    --------
    >>> t = "（虚构）坚持立项、调研、协商、督办等六个环节。"
    >>> _closed_by_count(t, t.index("等"), 4), _closed_by_count(t, t.index("等"), 7)
    (True, False)
    >>> t = "（虚构）做到受理、交办、答复三到位。"
    >>> _closed_by_count(t, t.index("三"), 3), _closed_by_count(t, t.index("三"), 4)
    (True, False)
    """
    m = _COUNT_CLOSE.match(text, end)
    number = _small_number(m.group(2)) if m else None
    if number is None:
        return False
    return number >= n_items if m.group(1) else number == n_items


#: One-character step verbs of an abbreviated chain (民事民提、民事民议、…、民事民办; 提→议→商→定→办).
_STEP_CHAR = "提征议商谈定决办督评立审访馈"


def _chain_suffixes(names: list[str]) -> list[str] | None:
    """The one-character steps of an abbreviated chain, or None.

    An abbreviated chain repeats a subject or object of two characters or more and varies only its
    last character, a step verb (民事民提、民事民议、民事民商、民事民定、民事民办): three or more
    items of the same length with a common opening of all but the last character, every last
    character a step verb of :data:`_STEP_CHAR` (in either script). A slogan repeats its verb and
    varies its object (抓协商、抓调研、抓落实) and is no chain.

    Examples
    --------
    >>> _chain_suffixes(["民事民提", "民事民議", "民事民商", "民事民定", "民事民辦"])
    ['提', '议', '商', '定', '办']
    >>> _chain_suffixes(["抓协商", "抓调研", "抓落实"]) is None
    True
    >>> _chain_suffixes(["一村一品", "一村一策", "一村一景"]) is None
    True
    """
    names = [_simplified(_normal(n)) for n in names]
    if len(names) < 3 or len({len(n) for n in names}) != 1 or len(names[0]) < 3:
        return None
    if len({n[:-1] for n in names}) != 1 or len({n[-1] for n in names}) != len(names):
        return None
    ends = [n[-1] for n in names]
    return ends if all(c in _STEP_CHAR for c in ends) else None


#: One-character verbs of a chain whose items share their object (群众点单、政协派单、委员接单、群众评单).
_OBJECT_VERB = _STEP_CHAR + "点派接交晒领"


def _shared_object_chain(names: list[str]) -> bool:
    """Items of one length that share their last character, an object, and vary the verb before it,
    two of them step verbs (点单、派单、接单、评单). With a step word near (…的工作闭环) such a list
    is a sequence; rooms of a centre (议事室、活动室、阅览室) vary no verb.

    Examples
    --------
    >>> _shared_object_chain(["群众点单", "政协派单", "委员接单", "群众评单"])
    True
    >>> _shared_object_chain(["议事室", "活动室", "阅览室"])
    False
    """
    names = [_simplified(_normal(n)) for n in names]
    if len(names) < 3 or len({len(n) for n in names}) != 1 or len(names[0]) < 2 or len({n[-1] for n in names}) != 1:
        return False
    return sum(n[-2] in _OBJECT_VERB for n in names) >= 2 and len({n[-2] for n in names}) == len(names)


def _phased(names: list[str]) -> bool:
    """Items that open with the phases of a meeting in order (会前调研、会中协商、会后督办).

    Examples
    --------
    >>> _phased(["会前调研", "会中协商", "会后督办"]), _phased(["会前调研", "会后督办"]), _phased(["前进", "中坚", "后盾"])
    (True, True, False)
    """
    names = [_simplified(_normal(n)) for n in names]
    if len(names) < 2 or any(len(n) < 3 for n in names) or len({n[0] for n in names}) != 1 \
            or names[0][0] not in "会议事":
        return False
    phases = [n[1] for n in names]
    order = {"前": 0, "中": 1, "后": 2}
    return all(p in order for p in phases) and phases[0] == "前" and phases[-1] == "后" \
        and all(order[a] < order[b] for a, b in zip(phases, phases[1:]))


#: Phases of an action or a meeting named as items (协商前、协商中和协商后; 会前、会中、会后).
_ACTION_PHASES = re.compile(r"([\u4e00-\u9fff]{1,4}?)前(?:[、，,]|以及|和|及|与)\1中(?:[、，,]|以及|和|及|与)\1后")


def _action_phases(text: str, exact: dict, pairs: list) -> list[list[tuple[int, int, str]]]:
    """Lists of the phases of one action, before, during and after it (协商前、协商中和协商后), as
    lists of ``(start, end, name)``.

    The three items repeat one word and add 前, 中, 后 in that order; the word names an action (it
    maps onto a canonical step or holds an action word such as 决策, 办理) or a meeting (会, 议).
    Phases of a thing or a time (节前、节中、节后) are not steps.

    Parameters
    ----------
    text : str
    exact, pairs : dict, list
        From :func:`_synonym_index`.

    Returns
    -------
    list of list of (int, int, str)

    Examples
    --------
    >>> exact, pairs = _synonym_index(load_loop_steps())
    >>> [[n for _, _, n in p] for p in _action_phases("（虚构）听取意见贯穿协商前、协商中和协商后。", exact, pairs)]
    [['协商前', '协商中', '协商后']]
    >>> _action_phases("（虚构）加强节前、节中、节后的安全检查。", exact, pairs)
    []
    """
    out = []
    for m in _ACTION_PHASES.finditer(text):
        word = m.group(1)
        if not (_step_like(word, _map(word, exact, pairs)) or word[-1] in "会议"):
            continue
        items, pos = [], m.start()
        for phase in "前中后":
            s = text.index(word + phase, pos)
            items.append((s, s + len(word) + 1, word + phase))
            pos = s + len(word) + 1
        out.append(items)
    return out




def _verb_endings(names: list[str], exact: dict) -> list[str] | None:
    """The one-character steps of a slogan chain, or None.

    A slogan chain tells each step in a short clause that ends with its verb (问题群众提、议题集体定、
    事项专班办、成效大家评): three or more items of three to seven characters, each ending in a
    different step verb of :data:`_STEP_CHAR` that stands alone (after a subject or an adverb: 群众提,
    专班办; not the end of a step word such as 协商 or 监督, the object of a verb-object phrase:
    组织小协商、推动小监督); only the last item may end otherwise (an excerpt cut inside it). The steps
    map by their verbs; items ending in anything else keep their whole name.

    Parameters
    ----------
    names : list of str
        The items as written.
    exact : dict
        Step names (from :func:`_synonym_index`).

    Returns
    -------
    list of str or None
        One key per item to map onto the canonical steps.

    Examples
    --------
    >>> exact, _ = _synonym_index(load_loop_steps())
    >>> _verb_endings(["村里事大家议", "议定后专班办", "办理中全程督"], exact)
    ['议', '办', '督']
    >>> _verb_endings(["问题群众提", "事项专班办", "成效大家评", "结果大"], exact)
    ['提', '办', '评', '结果大']
    >>> _verb_endings(["大事共商量", "难事共同办", "好事共分享"], exact) is None
    True
    >>> _verb_endings(["组织小协商", "推动小监督", "抓好小落实"], exact) is None
    True
    """
    names = [_simplified(_normal(n)) for n in names]
    if len(names) < 3 or any(not 3 <= len(n) <= 7 for n in names[:-1]) or len(names[-1]) < 2:
        return None
    alone = [n[-1] in _STEP_CHAR and n[-2:] not in exact and not _ACTION.fullmatch(n[-2:]) for n in names]
    verbs = [n[-1] for n, a in zip(names, alone) if a]
    if not all(alone[:-1]) or len(verbs) < 3 or len(set(verbs)) != len(verbs):
        return None
    return [n[-1] if a else n for n, a in zip(names, alone)]


def _align_chain(items: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Cut a lead-in glued to the first item of an abbreviated chain (做到群众事群众提、群众事群众议…):
    when the other items form a chain and the first item ends with their common opening plus a step
    verb, it keeps only that ending.

    Examples
    --------
    >>> _align_chain([(0, 6, "做到民事民议"), (7, 11, "民事民提"), (12, 16, "民事民办")])[0]
    (2, 6, '民事民议')
    """
    if len(items) < 3:
        return items
    rest = [_normal(t) for _, _, t in items[1:]]
    s0, e0, first = items[0]
    size = len(rest[0])
    if len(first) <= size:
        return items
    tail = first[-size:]
    if _chain_suffixes([tail] + rest) is None:
        return items
    return [(e0 - size, e0, tail)] + items[1:]


_MEANS = re.compile(r"通过|经过|依次|先后")
#: What a list of means or channels is called: 通过座谈、走访、调研等方式 names no order of steps.
_MEANS_KIND = re.compile(r"^\s*(?:等|方式|形式|渠道|途径|手段|相结合)")


def _means_list(text: str, items: list[tuple[int, int, str]], mapped: list[tuple]) -> list[tuple] | None:
    """The steps of a list of actions introduced by 通过, 经过, 依次 or 先后 (通过汇报、评议、协商，…), or
    None.

    Every item is an action of four characters at most (it maps onto a canonical step or holds an
    action word), two of them canonical steps; the list is not closed by 等 or named as means
    (方式, 形式, 渠道: a menu of ways, not an order of steps). The lead word is cut from the first
    item (and a subject glued before it).

    Examples
    --------
    >>> v = load_loop_steps(); exact, pairs = _synonym_index(v)
    >>> t = "（虚构）镇里通过汇报、评议、协商，推动问题解决。"
    >>> items = [(4, 10, "镇里通过汇报"), (11, 13, "评议"), (14, 16, "协商")]
    >>> m = [(_map(x[-2:], exact, pairs), s, e, x) for s, e, x in items]
    >>> [x[3] for x in _means_list(t, items, m)]
    ['汇报', '评议', '协商']
    >>> t = "（虚构）镇里通过汇报、评议、协商等方式推动问题解决。"
    >>> _means_list(t, items, m) is None
    True
    """
    s0, e0, first = items[0]
    before = text[max(0, s0 - 2):s0]
    joined = before + first  # the lead may already have been cut from the item
    lead = next((m for m in reversed(list(_MEANS.finditer(joined))) if 2 <= len(joined) - m.end() <= 4), None)
    if lead is None or len(items) < 3 or _MEANS_KIND.match(text[items[-1][1]:]):
        return None
    step0, _, _, _ = mapped[0]
    cut = lead.end() - len(before)
    name0 = first[max(cut, 0):]
    out = [(step0, s0 + max(cut, 0), e0, name0)] + list(mapped[1:])
    names = [_normal(m[3]) for m in out]
    if any(len(n) > 4 or len(n) < 2 for n in names) or not all(_step_like(n, m[0]) for n, m in zip(names, out)):
        return None
    if sum(1 for m in out if m[0]) < 2:
        return None
    return out


_OPEN_QUOTE = "“「『\"'‘"
_CLOSE_QUOTE = "”」』\"'’"


def _quoted(text: str, start: int, end: int) -> bool:
    """The list fills a pair of quotes on its own: the report names the chain as one thing.

    A quoted arrow or dash chain (形成了“线索培育-跟踪问效-成果转化”工作链) needs only one item
    mapped onto a canonical step (with half its items step-like), not two.

    Parameters
    ----------
    text : str
    start, end : int
        Offsets of the first item's start and the last item's end.

    Returns
    -------
    bool

    Examples
    --------
    >>> t = "（虚构）形成“问题征集-跟踪问效-成果转化”机制"
    >>> _quoted(t, 7, 21), _quoted(t, 8, 21)
    (True, False)
    """
    return start > 0 and text[start - 1] in _OPEN_QUOTE and text[end:end + 1] != "" \
        and text[end] in _CLOSE_QUOTE


#: Heads of a place or a body (议事室, 议事亭, 委员工作站, 三级平台): an item ending in one is no step.
_PLACE_HEAD = re.compile(r"(?:室|亭|角|站|厅|堂|之家|平台|中心)$")


def _place_name(name: str, exact: dict) -> bool:
    """An item that names a place or a body, not a step: it ends in a place head (议事室, 议事亭,
    三级平台) and is not a step name as a whole (搭建平台 is a step). Such an item maps onto no
    canonical step although it holds a step word (协商议事室 is not 协商).

    Parameters
    ----------
    name : str
        The item as written.
    exact : dict
        Step names (from :func:`_synonym_index`).

    Returns
    -------
    bool

    Examples
    --------
    >>> exact, _ = _synonym_index(load_loop_steps())
    >>> _place_name("协商议事亭", exact), _place_name("搭建平台", exact), _place_name("开展协商", exact)
    (True, False, False)
    """
    name = _simplified(_normal(name))
    return bool(_PLACE_HEAD.search(name)) and name not in exact


def _loose_chain(text: str, items: list[tuple[int, int, str]]) -> bool:
    """Items joined only by loose dashes (a hyphen, a tilde, a horizontal bar: 调研-协商-督办), which
    also join the parts of page titles and menus. Such a chain is a sequence only when quoted
    (:func:`_quoted`) or named by a step word near it.

    Parameters
    ----------
    text : str
    items : list of (int, int, str)
        The items with their offsets.

    Returns
    -------
    bool

    Examples
    --------
    >>> t = "（虚构）调研-协商-督办"
    >>> _loose_chain(t, [(4, 6, "调研"), (7, 9, "协商"), (10, 12, "督办")])
    True
    >>> t = "（虚构）调研->协商->督办"
    >>> _loose_chain(t, [(4, 6, "调研"), (8, 10, "协商"), (12, 14, "督办")])
    False
    """
    gaps = [text[e:s].strip(" \t\u3000") for (_, e, _), (s, _, _) in zip(items, items[1:])]
    return all(g and all(c in _LOOSE_DASH for c in g) for g in gaps)


def _step_like(name: str, step: str) -> bool:
    """An item that names an action: it maps onto a canonical step or contains an action word (in
    either script: 督辦 as 督办)."""
    return bool(step) or bool(_ACTION.search(_simplified(name)))


def _not_a_sequence(text: str, kind: str, items: list[tuple[int, int, str]], mapped: list[tuple], exact: dict,
                    *, formal: bool = False, min_mapped: int = 2) -> bool:
    """True for a candidate list that is not a sequence of consultation steps.

    * fewer than ``min_mapped`` items (two; one for a quoted chain, see :func:`_quoted`) map onto the
      step vocabulary, or fewer than half the items are step-like
      (:func:`_step_like`): a list of things, places or people. A ``formal`` sequence (arrows with a
      step word, step ordinals, or a count of steps equal to its items: 第一环节…第二环节…,
      点单—派单—评单四单工作法, …四个环节) is exempt: its form names its items as steps;
    * web chrome: a word of page navigation (首页, 当前位置, 正文 ...) near it, or items that are runs of
      space-separated words (a menu line);
    * a slogan list: three or more items opening with the same character (抓…、抓…、抓…; the first
      item may have lost it to trimming), none after the first a step name as a whole, not joined by
      arrows; phases (会前…、会中…、会后…; 协商前、协商中、协商后) are not slogans.

    Examples
    --------
    >>> v = load_loop_steps(); exact, pairs = _synonym_index(v)
    >>> def check(t):
    ...     return [_not_a_sequence(t, k, it, [(_map(_normal(x), exact, pairs), s, e, x) for s, e, x in it], exact)
    ...             for k, it in _candidates(t, exact, pairs)]
    >>> check("（虚构）首页>政务新闻>协商议事>正文")
    [True]
    >>> check("（虚构）坚持抓协商、抓调研、抓落实、抓反馈四个环节。")
    [True]
    >>> check("（虚构）按收集议题→调研→协商→监督→反馈推进。")
    [False]
    """
    names = [_normal(t) for _, _, t in items]
    steps = [m[0] for m in mapped]
    n_mapped = sum(1 for st in steps if st)
    if not formal and (n_mapped < min_mapped or 2 * sum(_step_like(n, st) for n, st in zip(names, steps)) < len(names)):
        return True
    start, end = items[0][0], items[-1][1]
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    window = text[max(line_start, start - _NAV_WINDOW):min(line_end, end + _NAV_WINDOW)]
    if _NAV.search(window):
        return True
    spaced = [t for _, _, t in items if re.search(r"[\u4e00-\u9fff]{2}[ \u3000]+[\u4e00-\u9fff]{2}", t)]
    if len(spaced) >= 2 or any(len(re.findall(r"[ \u3000]+", t)) >= 2 for t in spaced):
        return True
    if kind not in ("arrow", "phase") and len(names) >= 3 and all(len(n) >= 2 for n in names[1:]) \
            and _chain_suffixes(names) is None:
        lead = names[1][0]
        first_opens = names[0][:1] == lead or text[max(0, items[0][0] - 1):items[0][0]] == lead
        phases = all(n[1:2] in ("前", "中", "后") for n in names[1:])  # 会前…、会中…、会后… are phases
        if first_opens and not phases and all(n[0] == lead for n in names[1:]) \
                and not any(n in exact for n in names[1:]):
            return True
    return False


def extract_step_sequences(text: str, vocabulary: pd.DataFrame | None = None, *, doc_id: str = "doc",
                           min_steps: int = 4, min_share: float = 0.6, min_items: int = 3) -> pd.DataFrame:
    """Find every named sequence of consultation steps in a text, in order.

    Parameters
    ----------
    text : str
        Clean text of one report.
    vocabulary : pandas.DataFrame, optional
        Canonical steps (:func:`load_loop_steps`).
    doc_id : str
        Written in the ``doc_id`` column and named in errors.
    min_steps, min_share : int, float
        A list that is not written as a sequence (no arrows, no step word near it) is kept when at
        least ``min_steps`` of its items, and at least ``min_share`` of them, map onto canonical
        steps.
    min_items : int
        Fewest items of a list written as a sequence.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SEQUENCE_COLUMNS`: the loop columns (``named`` is the step as written,
        ``step`` the canonical id or '' where none fits), ``sequence`` (1 for the main loop: among
        those with three or more distinct canonical steps one written as a sequence (arrows, a step
        word) first, then most canonical steps, most items, first in the text; the others follow in
        text order)
        and ``found_by`` (``canonical``, ``arrow``, ``chain``, ``slogan``, ``phases``, ``count``,
        ``means``, ``step_word``, ``ordinal`` or ``narrated``).

    Examples
    --------
    >>> t = "（虚构）议事遵循“群众提事、两委议事、大家定事、专班办事”的四事工作法。"
    >>> df = extract_step_sequences(t)
    >>> df["named"].tolist(), df["step"].tolist(), df["found_by"].iloc[0]
    (['群众提事', '两委议事', '大家定事', '专班办事'], ['collect_topics', 'consult', '', 'implement'], 'step_word')
    >>> extract_step_sequences("（虚构）流程为收集→调研→协商→监督→反馈。")["step"].tolist()
    ['collect_topics', 'research', 'consult', '', 'feedback']
    >>> extract_step_sequences("（虚构）会场摆放了桌子、椅子、话筒和茶水。").empty
    True
    """
    validate_text(text, doc_id)
    vocabulary = load_loop_steps() if vocabulary is None else vocabulary
    exact, pairs = _synonym_index(vocabulary)
    kept = []
    for kind, items in _candidates(text, exact, pairs):
        if len(items) < min(min_items, min_steps):
            continue
        chain = slogan = None
        if kind in ("list", "arrow"):
            items = _align_chain(items)
            chain = _chain_suffixes([t for _, _, t in items])
        if kind in ("list", "arrow") and chain is None:
            slogan = _verb_endings([t for _, _, t in items], exact)
        keys = chain or slogan or [_normal(t) for _, _, t in items]
        mapped = [("" if _place_name(k, exact) else _map(k, exact, pairs), s, e, t) for k, (s, e, t) in zip(keys, items)]
        n_mapped = sum(1 for m in mapped if m[0])
        start, end = items[0][0], items[-1][1]
        near = _step_word_near(text, start, end, items)
        phased = (kind == "list" and _phased([t for _, _, t in items])) or kind == "phase"
        formal = ((chain is not None or phased or (kind == "arrow" and near)
                   or (kind == "list" and near and _shared_object_chain([t for _, _, t in items])) or bool(_ORD_STEP.search(text, max(0, start - 8), end))
                   or (kind in ("list", "short") and near and _counted_as_steps(text, start, end, items)))
                  and all(len(_normal(t)) <= _MAX_FREE_ITEM for _, _, t in items))
        if kind == "narrated":
            # told as stages: at least two of its steps name actions, one a canonical step
            n_like = sum(_step_like(_normal(t), m[0]) for m, (_, _, t) in zip(mapped, items))
            if n_mapped < 1 or n_like < 2 or _not_a_sequence(text, kind, items, mapped, exact, formal=True):
                continue
            n_distinct = len({m[0] for m in mapped if m[0]})
            # a narrated sequence is the main loop only where no listed one has three canonical steps
            kept.append(((min(n_distinct, 2), 0, n_mapped, n_distinct, len(mapped), -start), start, end, "narrated",
                         mapped, _KIND_RANK[kind]))
            continue
        quoted = kind == "arrow" and _quoted(text, start, end)
        if kind == "arrow" and not (quoted or near) and _loose_chain(text, items):
            continue  # a title or a menu: 网上办事-办事指南-在线办理
        if _not_a_sequence(text, kind, items, mapped, exact, formal=formal, min_mapped=1 if quoted else 2):
            continue
        if n_mapped >= min_steps and n_mapped / len(mapped) >= min_share:
            found_by = "canonical"
        elif len(items) < min_items:
            continue
        elif kind == "arrow":
            found_by = "arrow"
        elif chain is not None:
            found_by = "chain"
        elif slogan is not None:
            found_by = "slogan"
        elif phased:
            found_by = "phases"
        elif kind == "list" and _closed_by_count(text, end, len(items)) \
                and all(len(_normal(t)) <= _MAX_COUNTED_ITEM and _step_like(_normal(t), m[0])
                        for m, (_, _, t) in zip(mapped, items)):
            found_by = "count"  # every item an action and the list closed by its count of steps
        elif any(len(_normal(t)) > (_MAX_CLAUSE_STEP if kind == "ordinal" else _MAX_FREE_ITEM) or "的" in t
                 for _, _, t in items):
            continue  # step names are short and never phrases with 的
        elif kind == "list" and (means := _means_list(text, items, mapped)) is not None:
            mapped, start, found_by = means, means[0][1], "means"
        elif kind == "ordinal" and (near or n_mapped * 2 >= len(items)):
            found_by = "ordinal"
        elif kind != "ordinal" and near:
            found_by = "step_word"
        else:
            continue
        n_distinct = len({m[0] for m in mapped if m[0]})
        explicit = int(kind == "arrow" or near)
        # the main loop: enough canonical steps first, then a sequence written as one (arrows, a step
        # word), then most canonical steps
        main_key = (min(n_distinct, 3), explicit, n_mapped, n_distinct, len(mapped), -start)
        kept.append((main_key, start, end, found_by, mapped, _KIND_RANK[kind]))
    # overlapping candidates: an arrow chain beats a 、 list beats a prose enumeration, then the better one
    kept.sort(key=lambda k: (k[5], k[0]), reverse=True)
    chosen: list = []
    for k in kept:
        if all(k[2] <= c[1] or c[2] <= k[1] for c in chosen):
            chosen.append(k)
    chosen.sort(key=lambda k: k[0], reverse=True)
    ordered = chosen[:1] + sorted(chosen[1:], key=lambda k: k[1])
    rows = []
    for seq, (_, _, _, found_by, mapped, _) in enumerate(ordered, start=1):
        for pos, (step, s, e, t) in enumerate(mapped, start=1):
            rows.append((doc_id, pos, _normal(t), step, s, e, seq, found_by))
    df = pd.DataFrame(rows, columns=SEQUENCE_COLUMNS)
    return df.astype({"position": "int64", "start": "int64", "end": "int64", "sequence": "int64"})


def extract_loop_steps(text: str, vocabulary: pd.DataFrame | None = None, *, doc_id: str = "doc",
                       min_steps: int = 4, min_share: float = 0.6) -> pd.DataFrame:
    """Find the main named consultation loop of one report, in order.

    The main loop is the first sequence of :func:`extract_step_sequences` (see its ``sequence``
    column).

    Parameters
    ----------
    text : str
        Clean text of one report.
    vocabulary : pandas.DataFrame, optional
        Canonical steps (:func:`load_loop_steps`).
    doc_id : str
        Written in the ``doc_id`` column and named in errors.
    min_steps : int
        Fewest items mapped to canonical steps for a list not written as a sequence.
    min_share : float
        Smallest share of such a list's items that must map to canonical steps.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LOOP_COLUMNS`: ``position`` (1-based), ``named`` (the step as written, spaces
        removed), ``step`` (canonical id or '' for an extra step) and its offsets. Empty when the
        report names no sequence of steps.

    Examples
    --------
    >>> t = "（虚构）该县推行“征集议题、审定议题、会前调研、民主协商、跟踪落实、结果公开”六步工作法。"
    >>> extract_loop_steps(t)["step"].tolist()
    ['collect_topics', 'choose_topics', 'research', 'consult', 'implement', 'feedback']
    """
    seqs = extract_step_sequences(text, vocabulary, doc_id=doc_id, min_steps=min_steps, min_share=min_share)
    return seqs[seqs["sequence"] == 1][LOOP_COLUMNS].reset_index(drop=True)


def extract_loops(texts, vocabulary: pd.DataFrame | None = None, *, errors: str = "raise") -> pd.DataFrame:
    """The named loop of every document (documents without one contribute no rows).

    Parameters
    ----------
    texts : mapping of doc_id to str, or a :class:`govlab.corpus.Corpus`
    vocabulary : pandas.DataFrame, optional
    errors : {"raise", "skip"}
        On a bad document: raise naming it, or warn and skip it.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LOOP_COLUMNS`, sorted by ``doc_id`` and ``position``.

    Examples
    --------
    >>> extract_loops({"x": "（虚构）没有列出环节。"}).empty
    True
    """
    import warnings

    if errors not in ("raise", "skip"):
        raise InputError(f"expected 'raise' or 'skip', got {errors!r}", key="errors")
    mapping: Mapping = _texts_of(texts)
    vocabulary = load_loop_steps() if vocabulary is None else vocabulary
    frames = []
    for d in sorted(mapping):
        try:
            frames.append(extract_loop_steps(mapping[d], vocabulary, doc_id=str(d)))
        except InputError as exc:
            if errors == "raise":
                raise
            warnings.warn(f"skipped: {exc}", stacklevel=2)
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=LOOP_COLUMNS).astype({"position": "int64", "start": "int64", "end": "int64"})
    return pd.concat(frames, ignore_index=True)
