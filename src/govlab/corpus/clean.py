"""Cleaning Chinese policy reports as researchers find them: one rule per function, every edit logged.

A report scraped from a government CMS page, copied from a document-sharing site (文库) or printed
from a newspaper page carries noise around and inside its body. :func:`clean_text` runs the stages
of :data:`PIPELINE` in order, then re-runs a stage only if a later stage made an edit that can
change its result (each :class:`Stage` names what it ``affects``), until nothing is left to do. So
cleaning a clean text changes nothing (``clean_text(clean_text(x).text).text == clean_text(x).text``,
checked by property-based tests on 10,000 generated inputs).

Each rule is a function ``rule(text, ctx)`` that only *proposes* edits ``(start, end, replacement,
rule)`` in the current text's coordinates; :class:`~govlab.corpus._edits.TrackedText` (the one
offset map) applies them and translates them into offsets of the **raw decoded text** (the string
:func:`govlab.corpus.read_document` returns), so a researcher can look up every dropped block with
``raw[raw_start:raw_end]``; ``CleanResult.parts`` holds what replaced each block, so the log and the
raw text give back the clean text (checked by property-based tests).

How to read the log
-------------------
* Each row is one block: ``raw[raw_start:raw_end]`` in the raw decoded text. A block may span text
  an earlier rule dropped, except for the removals of the ``normalise``, ``whitespace``,
  ``duplicates`` and ``layout`` steps and batches of more than 16 removals, which are split into
  one row per raw-contiguous run (as the earlier engines logged them).
* ``replaced_by`` is the length of what replaced the block: 0 for a removal, 1 for an HTML block
  tag that became a line break or a JavaScript escape that became its character.
* ``dropped_chars`` counts the raw characters the row dropped for the first time; summed per rule it
  says how much text each kind of noise took (a line break that stood for an HTML tag and is dropped
  later by ``blank_lines`` counts 0: the tag was counted by ``html_tag``). Touching removals of one
  rule are merged into one block.
* One-for-one character substitutions (traditional to simplified, punctuation width) keep offsets
  and are not logged row by row; they are counted in ``t2s_chars`` and ``width_chars``.

The steps and rules, in pipeline order, are listed in :mod:`govlab.corpus.rules`, beside their tables.

Lone surrogates (left by a broken decoder or a ``\\ud800`` escape in a script) become U+FFFD,
logged as ``lone_surrogate``.

Everything is plain Python over the standard library's ``re`` and ``html`` and OpenCC; regular
expressions do the scanning. ``benchmarks/bench_cleaning.py`` measures the throughput on real text.

Numbers, including masked numbers (``××``, ``xx``, ``x``), are never changed.

References
----------
The rules follow the pipeline recommended in govlab's research notes (``research/textmining.md``
section 4): unwrap ``document.write`` before extraction, then line filters for 责任编辑/来源/浏览次数/
打印本页/ICP备/版权所有 and a gambling/spam blacklist, exact paragraph de-duplication.
"""
from __future__ import annotations

import bisect
import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING

from govlab.corpus import rules
from govlab.corpus._edits import Edit, TrackedText
from govlab.corpus.rules import LINE_RULES, RULE_TERMS, LineRule

if TYPE_CHECKING:  # (pandas is imported when a log table is asked for, not to clean)
    import pandas as pd

__all__ = ["LOG_COLUMNS", "PIPELINE", "RULE_TERMS", "LINE_RULES", "CleanResult", "clean_text", "detect_script",
           "log_frame", "apply_line_rules"]

LOG_COLUMNS = ["step", "rule", "raw_start", "raw_end", "length", "replaced_by", "dropped_chars"]


@dataclass(frozen=True)
class CleanResult:
    """The result of :func:`clean_text`.

    Attributes
    ----------
    text : str
        Clean text in simplified script, one paragraph per line, ending with ``"\\n"`` (empty when
        nothing is left).
    log : pandas.DataFrame
        One row per edit, in the order applied: ``step``, ``rule``, ``raw_start``, ``raw_end``
        (offsets into the input text), ``length`` (``raw_end - raw_start``), ``replaced_by`` (length
        of what replaced the block; 0 when it was removed) and ``dropped_chars`` (raw characters this
        edit dropped for the first time: a line break that stood for an HTML tag and is removed later
        drops 0, the tag was counted by ``html_tag``). Built on first access from ``rows``.
    converted : bool
        Whether traditional characters were converted to simplified ones.
    script : str
        The input's script: ``"traditional"`` or ``"simplified"``.
    t2s_chars : int
        Characters changed by the traditional-to-simplified conversion.
    width_chars : int
        Characters changed by width normalisation.
    passes : int
        Sweeps of the pipeline worklist (1 when no stage had to run twice).
    rows : tuple
        The log as tuples ``(step, rule, raw_start, raw_end, replaced_by, dropped_chars)``.
    parts : tuple
        For each row, the blocks it replaced, ``((raw_start, raw_end, chars, text), ...)`` (``chars``:
        how many characters of the text being cleaned the block held; ``text``: what replaced it):
        one part, the row's own block, unless touching edits of one rule were merged into the row.
        With the raw text they give back the clean text.
    """

    text: str
    rows: tuple = ()
    converted: bool = False
    script: str = "simplified"
    t2s_chars: int = 0
    width_chars: int = 0
    passes: int = 1
    parts: tuple = ()

    @functools.cached_property
    def log(self) -> pd.DataFrame:
        return log_frame(self.rows)


@dataclass
class _Ctx:
    kind: str = "auto"  # "html", "text" or "auto"
    title: str = ""
    detected_script: str | None = None
    converted: bool = False
    t2s_chars: int = 0
    width_chars: int = 0


def _drop_line(text: str, start: int, end: int, rule: str) -> Edit:
    """An edit removing the line ``[start, end)`` with its line break."""
    if end < len(text) and text[end] == "\n":
        return (start, end + 1, "", rule)
    return (start, end, "", rule)  # the last line: the line break before it is left to layout


def _lines(text: str):
    """``(start, end, line)`` of every line of ``text`` (``end`` excludes the line break)."""
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


# ---------------------------------------------------------------------------------------------
# step: normalise
def halfwidth_alnum(td: TrackedText, ctx: _Ctx) -> int:
    """Full-width digits, Latin letters and ``％`` become ASCII (one-for-one, counted in
    ``width_chars``), so that numbers read the same everywhere (２０２２ → 2022)."""
    if not rules.FW_ALNUM_RE.search(td.text):
        return 0
    n = td.substitute(td.text.translate(rules.FW_ALNUM))
    ctx.width_chars += n
    return n


def normalise_characters(text: str, ctx: _Ctx) -> list[Edit]:
    """``lone_surrogate``: a lone surrogate becomes U+FFFD. ``line_endings``: CR LF, lone CR, vertical
    tab, form feed and Unicode line/paragraph separators become LF. ``invisible_chars``: zero-width
    spaces and joiners, soft hyphens, stray BOMs and C0 control characters are removed.

    Examples
    --------
    >>> clean_text("委员\\r\\n工作\\u200b站\\r").text
    '委员\\n工作站\\n'
    >>> r = clean_text("委员\\ud800工作站")
    >>> r.text, list(r.log["rule"])
    ('委员\\ufffd工作站\\n', ['lone_surrogate', 'final_newline'])
    """
    edits = []
    n = len(text)
    for m in rules.NORM_RE.finditer(text):
        i = m.start()
        c = text[i]
        if c == "\r":
            if i + 1 < n and text[i + 1] == "\n":
                edits.append((i, i + 1, "", "line_endings"))  # CR LF: the CR goes
            else:
                edits.append((i, i + 1, "\n", "line_endings"))
        elif c in rules.LINE_BREAKS:
            edits.append((i, i + 1, "\n", "line_endings"))
        elif "\ud800" <= c <= "\udfff":
            edits.append((i, i + 1, "\ufffd", "lone_surrogate"))
        else:
            edits.append((i, i + 1, "", "invisible_chars"))
    return edits


# ---------------------------------------------------------------------------------------------
# step: javascript
def _js_unescape(esc: str) -> str:
    if len(esc) == 11:  # a surrogate pair written as two escapes: one character
        return chr(0x10000 + ((int(esc[1:5], 16) - 0xD800) << 10) + int(esc[7:], 16) - 0xDC00)
    if esc[0] in "ux" and len(esc) > 1:
        c = chr(int(esc[1:], 16))
        return "\ufffd" if "\ud800" <= c <= "\udfff" else c
    if esc == "\n":  # line continuation
        return ""
    return rules.JS_SIMPLE.get(esc, esc)


def unwrap_document_write(text: str, ctx: _Ctx) -> list[Edit]:
    """Keep the string literals of ``document.write("...")``/``document.writeln("...")`` calls and drop
    the calls; unescape JavaScript escapes inside them (a lone surrogate escape becomes U+FFFD,
    logged as ``lone_surrogate``). The page is treated as HTML afterwards.

    Some sites deliver an article as a script that writes the page (``document.writeln("<p>...<\\/p>")``);
    extractors then see no text at all (research notes section 4). The ``<script>`` element around
    a run of such calls is dropped with them, so the written page is not taken for a script.

    Examples
    --------
    >>> clean_text('document.writeln("<p>委员工作站<\\\\/p>");').text
    '委员工作站\\n'
    >>> clean_text('<p>站</p><script>document.write("<p>委员<\\\\/p>");</script>').text
    '站\\n委员\\n'
    """
    if "document" not in text or "write" not in text:
        return []
    edits: list[Edit] = []
    prev_end = None
    groups: list[list[int]] = []  # runs of calls separated by whitespace only: [start, end]
    for m in rules.JS_CALL.finditer(text):
        ms, me = m.span()
        if prev_end is not None and ms > prev_end and not text[prev_end:ms].strip():
            edits.append((prev_end, ms, "", "js_wrapper"))
        if groups and groups[-1][1] == prev_end and not text[prev_end:ms].strip():
            groups[-1][1] = me
        else:
            groups.append([ms, me])
        body = "body" if m.group("q2") is None else "body2"
        if m.group(body) is None:
            edits.append((ms, me, "", "js_wrapper"))
        else:
            bs, be = m.span(body)
            edits.append((ms, bs, "", "js_wrapper"))
            if "\\" in text[bs:be]:
                for e in rules.JS_ESCAPE.finditer(text, bs, be):
                    es, esc = e.start(), e.group(1)
                    rep = _js_unescape(esc)
                    if rep == esc:  # \/ \" \' \\: only the backslash goes
                        edits.append((es, es + 1, "", "js_unescape"))
                    else:
                        lone = len(esc) == 5 and 0xD800 <= int(esc[1:], 16) <= 0xDFFF
                        rule = "lone_surrogate" if lone else "js_unescape"
                        edits.append((es, e.end(), rep, rule))
            edits.append((be, me, "", "js_wrapper"))
        prev_end = me
    for gs, ge in groups:  # the <script> element around a run of calls goes too
        opening, closing = rules.JS_SCRIPT_OPEN.search(text, max(0, gs - 300), gs), rules.JS_SCRIPT_CLOSE.match(text, ge)
        if opening and closing:
            edits += [(opening.start(), gs, "", "js_wrapper"), (ge, closing.end(), "", "js_wrapper")]
    if edits:
        ctx.kind = "html"
    return edits


# ---------------------------------------------------------------------------------------------
# step: html
def _looks_html(text: str) -> bool:
    signs = rules.HTML_SIGNS.finditer(text, 0, min(len(text), 200_000))
    return next(signs, None) is not None and next(signs, None) is not None


def strip_html_blocks(text: str, ctx: _Ctx) -> list[Edit]:
    """Drop comments, ``<script>``/``<style>``/``<head>`` and similar elements, navigation and footer
    elements, hidden (``display:none``) elements, and elements whose class or id names navigation,
    breadcrumbs, footers or share tools. Unclosed elements run to the end of the text.

    Examples
    --------
    >>> clean_text("<div class='nav'>首页 | 新闻</div><p>委员工作站建成。</p><!-- x -->").text
    '委员工作站建成。\\n'
    """
    if ctx.kind == "text" or "<" not in text or (ctx.kind == "auto" and not _looks_html(text)):
        return []
    ctx.kind = "html"
    edits = []
    for m in rules.HTML_DROP.finditer(text):
        if text.startswith("<!--", m.start()):
            rule = "html_comment"
        elif m.group("tag"):
            rule = {"script": "html_script", "style": "html_style", "head": "html_head"}.get(
                m.group("tag").lower(), "html_script")
        elif m.group("ctag") or m.group("ntag"):
            rule = "html_chrome"
        else:
            rule = "html_hidden"
        edits.append((m.start(), m.end(), "", rule))
    return edits


@functools.lru_cache(maxsize=4096)
def _unescape(entity: str) -> str:
    return html.unescape(entity)


def html_to_text(text: str, ctx: _Ctx) -> list[Edit]:
    """Remove the remaining tags of an HTML text (block tags become line breaks) and decode
    character entities with :func:`html.unescape` (also in texts that are not HTML, where
    ``&ldquo;`` can only be a left-over).

    Tags separated only by whitespace form one block, which becomes a line break when one of its
    tags is a block tag (after the last line break written beside a tag of the block), unless the
    source already has a line break beside it.

    Examples
    --------
    >>> clean_text("<p>&#22996;&#21592;<b>&#x5de5;&#x4f5c;</b>站</p><p>&amp;二</p>", kind="html").text
    '委员工作站\\n&二\\n'
    """
    if ctx.kind == "text" or ("<" not in text and "&" not in text):
        return []
    edits: list[Edit] = []
    runs: list[tuple[int, int]] = []
    if ctx.kind == "html" and "<" in text:
        n = len(text)
        run = None  # [start, end, block tag seen after the last line break, line break before]
        prev_end = -1
        for m in rules.HTML_TAG.finditer(text):
            s, e = m.span()
            if run is None or text[prev_end:s].strip():
                if run is not None:
                    runs.append(run)
                run = [s, e, False, s > 0 and text[s - 1] == "\n"]
            run[1] = e
            name = m.group(2)
            if name is not None and name.lower() in rules.BLOCK_TAGS:
                run[2] = True
            if e < n and text[e] == "\n":  # a line break follows: the block's break is written
                run[2] = False
            prev_end = e
        if run is not None:
            runs.append(run)
        edits = [(s, e, "\n" if (brk and not before and not (e < n and text[e] == "\n")) else "", "html_tag")
                 for s, e, brk, before in runs]
    if "&" in text:
        run_starts = [r[0] for r in runs]
        for m in rules.ENTITY.finditer(text):
            ent, s = m.group(), m.start()
            rep = _unescape(ent)
            if rep == ent:
                continue
            r = bisect.bisect_right(run_starts, s) - 1
            if r >= 0 and s < runs[r][1]:  # an entity inside a tag goes with the tag
                continue
            edits.append((s, m.end(), rep, "html_entity"))
    return edits


# ---------------------------------------------------------------------------------------------
# step: spam
def remove_link_farm(text: str, ctx: _Ctx) -> list[Edit]:
    """Drop link-farm lines: many short items, most of them pornographic or gambling keywords.

    Lines holding at least three characters typical of such keywords (码, 赌, 娱, 彩 ...) are
    checked. A line is spam when it has at least 4 items (split on ``| , 、 ; /`` and spaces) and at
    least half of them hold a blacklisted keyword, or when it holds 8 or more keyword hits with fewer than 20
    characters per hit. Body sentences fail both tests.

    Examples
    --------
    >>> clean_text("久久精品在线观看,亚洲无码视频,欧美成人午夜福利,国产自拍偷拍\\n委员工作站").text
    '委员工作站\\n'
    """
    if len(rules.SPAM_CHAR_RE.findall(text)) < 3:
        return []
    verdict: dict[str, bool] = {}  # a line printed several times is checked once
    edits = []
    for s, e, line in _lines(text):
        spam = verdict.get(line)
        if spam is None:
            spam = verdict[line] = len(rules.SPAM_CHAR_RE.findall(line)) >= 3 and _is_link_farm(line)
        if spam:
            edits.append(_drop_line(text, s, e, "link_farm"))
    return edits


def _is_link_farm(line: str) -> bool:
    """Whether a line (holding at least three characters typical of spam keywords) is a link farm."""
    hits = len(rules.SPAM_TERMS.findall(line))
    if hits < 2:
        return False
    items = [it for it in rules.SPAM_SPLIT.split(line) if it]
    spam_items = sum(1 for it in items if rules.SPAM_TERMS.search(it))
    return (len(items) >= 4 and spam_items * 2 >= len(items) and len(line) / max(1, len(items)) < 25) or \
        (hits >= 8 and len(line) / hits < 20)


# ---------------------------------------------------------------------------------------------
# steps: chrome and notice (line rules)
@functools.lru_cache(maxsize=64)
def _rule_index(line_rules: tuple[LineRule, ...]):
    """For a tuple of line rules: a pattern finding the triggers of all rules, one finding those of
    the rules that can drop prose lines (over 40 characters and holding 。: the rules without
    ``no_terminal``), a map trigger -> rule positions, the positions of the rules without triggers
    (tried on lines starting with a digit or bracket) and the longest ``max_len``."""

    def pattern(words):
        words = sorted(set(words), key=len, reverse=True)
        return re.compile("|".join(map(re.escape, words))) if words else None

    by_word: dict[str, list[int]] = {}
    for i, r in enumerate(line_rules):
        for t in r.triggers:
            by_word.setdefault(t, []).append(i)
    return (pattern(t for r in line_rules for t in r.triggers),
            pattern(t for r in line_rules if not r.no_terminal and r.max_len > 40 for t in r.triggers),
            by_word, tuple(i for i, r in enumerate(line_rules) if not r.triggers), max(r.max_len for r in line_rules))


def apply_line_rules(text: str, line_rules: tuple[LineRule, ...] = LINE_RULES, protect: str = "") -> list[Edit]:
    """Drop the lines matched by ``line_rules`` (tried in order; the first that matches names the
    drop). Only lines holding one of a rule's triggers (or, for rules without triggers, starting
    with a digit or bracket) are checked. A line equal to ``protect`` (the title) is never dropped.
    A line printed several times is checked once.

    Examples
    --------
    >>> apply_line_rules("责任编辑：王某\\n委员工作站建成。\\n")
    [(0, 8, '', 'page_meta')]
    """
    line_rules = tuple(line_rules)
    index = _LINE_RULES_INDEX if line_rules is LINE_RULES else _rule_index(line_rules)
    verdict: dict[str, str | None] = {}
    edits = []
    for s, e, raw in _lines(text):
        if raw and len(raw) <= index[4] + 40:
            if raw not in verdict:
                verdict[raw] = _line_rule(raw, line_rules, protect, index)
            if verdict[raw] is not None:
                edits.append((s, e + 1 if e < len(text) else e, "", verdict[raw]))
    return edits


_LINE_RULES_INDEX = _rule_index(LINE_RULES)


def _line_rule(raw: str, line_rules: tuple[LineRule, ...], protect: str, index) -> str | None:
    """The name of the first of ``line_rules`` that drops the line ``raw``, or None."""
    trigger, prose, by_word, untriggered, max_len = index
    pat = prose if len(raw) > 40 and "。" in raw else trigger
    found = pat.findall(raw) if pat is not None else []
    if not found and not (untriggered and rules.DIGIT_LINE.match(raw)):
        return None
    line = raw.strip(rules.SPACE_CHARS)
    if not line or line == protect or len(line) > max_len:
        return None
    idx = {i for w in found for i in by_word[w]}
    if untriggered and (line[0].isdigit() or line[0] in "(（"):
        idx.update(untriggered)
    return next((line_rules[i].rule for i in sorted(idx) if line_rules[i].matches(line)), None)


def remove_chrome_and_notices(text: str, ctx: _Ctx) -> list[Edit]:
    """All line rules of the ``chrome`` and ``notice`` steps in one scan (see :data:`LINE_RULES`)."""
    return apply_line_rules(text, LINE_RULES, ctx.title)


def remove_site_header(text: str, ctx: _Ctx) -> list[Edit]:
    """Drop a short site-name line just above a welcome (欢迎来到…), breadcrumb or app-prompt line
    among the first five lines of the page (the welcome line itself is a line rule)."""
    lines = []  # the first six non-blank lines (stripped) of the first 3000 characters
    for s, e, ln in _lines(text[:3000]):
        stripped = ln.strip(rules.SPACE_CHARS)
        if stripped:
            lines.append((s, e, stripped))
            if len(lines) == 6:
                break
    if len(lines) < 2:
        return []
    header = [any(r.matches(ln) for r in (rules.WELCOME, rules.NAVIGATION, rules.APP_PROMPT)) for _, _, ln in lines]
    edits = []
    for i in range(min(5, len(lines) - 1)):
        s, e, ln = lines[i]
        if not header[i] and header[i + 1] and len(ln) <= 16 and not rules.CLAUSE_MARK.search(ln) and ln != ctx.title:
            edits.append(_drop_line(text, s, e, "site_header"))
    return edits


# ---------------------------------------------------------------------------------------------
# step: placeholder
def replace_tab_placeholders(text: str, ctx: _Ctx) -> list[Edit]:
    """``?`` runs standing for lost tabs between bibliographic fields (``[中图分类号]D630? ? ?[文献标识码]``)
    become a space. Only ``?`` after a Latin letter, digit or closing bracket and before an opening
    bracket or the end of the line are touched, in lines holding Chinese text."""
    if "?" not in text:
        return []
    edits = []
    line_end, han = -1, False  # the current line's end and whether it holds Chinese (each line once)
    for m in rules.TAB_Q.finditer(text):
        p = m.start()
        if p > line_end:
            ls, line_end = text.rfind("\n", 0, p) + 1, text.find("\n", p) % (len(text) + 1)
            han = rules.HAN_RE.search(text, ls, line_end) is not None
        if han:
            edits.append((p, m.end(), " ", "tab_placeholder"))
    return edits


# ---------------------------------------------------------------------------------------------
# step: gloss
def remove_pinyin_glosses(text: str, ctx: _Ctx) -> list[Edit]:
    """``pinyin_gloss``: a bracketed pinyin syllable with a tone mark
    (``政協(xié)委員``, as some mirror sites print after each less common character) is removed, so
    that the words around it read whole. Brackets holding anything else are kept.

    Examples
    --------
    >>> clean_text("（虚构）县政協(xié)委員(wěi)走進(jìn )社區(qū)(2023)").text
    '（虚构）县政协委员走进社区（2023)\\n'
    """
    if "(" not in text and "（" not in text:
        return []
    return [(m.start(), m.end(), "", "pinyin_gloss") for m in rules.PINYIN_GLOSS.finditer(text)]


# ---------------------------------------------------------------------------------------------
# step: script (one-for-one)
@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=1)
def _traditional_chars() -> re.Pattern:
    """A character class of the Han characters that OpenCC t2s changes (traditional-only forms)."""
    src = "".join(map(chr, [*range(0x4E00, 0xA000), *range(0x3400, 0x4DC0)]))
    out = _t2s().convert(src)
    if len(out) != len(src):  # pragma: no cover - t2s is one-for-one on single characters
        out = "".join(_t2s().convert(c)[:1] or c for c in src)
    return re.compile("[" + "".join(a for a, b in zip(src, out) if a != b) + "]")  # Han only: no escapes


def detect_script(text: str) -> str:
    """``"traditional"`` when at least 3 characters, and at least 10% of the non-ASCII characters,
    are forms that OpenCC's ``t2s`` would change; else ``"simplified"``. Texts over 400,000
    characters are judged on their first and last 200,000.

    Examples
    --------
    >>> detect_script("協商議事室的會議記錄"), detect_script("协商议事室的会议记录")
    ('traditional', 'simplified')
    """
    sample = text if len(text) <= 400_000 else text[:200_000] + text[-200_000:]
    n_trad = len(_traditional_chars().findall(sample))
    if n_trad < 3:
        return "simplified"
    n_wide = len(sample) - len(sample.encode("ascii", "ignore"))
    return "traditional" if n_trad >= 0.1 * n_wide else "simplified"




def convert_script(td: TrackedText, ctx: _Ctx) -> int:
    """Convert traditional characters to simplified ones with OpenCC ``t2s``.

    Every line holding a character that ``t2s`` changes is converted (so a simplified report quoting
    a traditional name is made consistent too, and the result does not depend on how much of the
    text is traditional). One-for-one changes are not logged; they are counted in ``t2s_chars`` and
    flagged by ``converted``. A line whose length changes (a rare phrase conversion) is replaced as
    a block and logged as ``t2s_phrase``. The original script (:func:`detect_script` on the first
    sweep) is reported as ``CleanResult.script``.
    """
    text = td.text
    trad = _traditional_chars()
    if not trad.search(text):
        ctx.detected_script = ctx.detected_script or "simplified"
        return 0
    if ctx.detected_script is None:
        ctx.detected_script = detect_script(text)
    lines = [(s, e, ln) for s, e, ln in _lines(text) if trad.search(ln)]
    distinct = list(dict.fromkeys(ln for _, _, ln in lines))  # a line printed several times: once
    conv = _t2s().convert
    converted = conv("\n".join(distinct)).split("\n") if not rules.CROSS_LINE.search(text) else []
    if len(converted) != len(distinct):
        converted = [conv(line) for line in distinct]
    as_converted = dict(zip(distinct, converted))
    parts, phrase_edits, prev = [], [], 0
    for s, e, line in lines:
        c = as_converted[line]
        if len(c) != len(line):
            phrase_edits.append((s, e, c, "t2s_phrase"))
            continue
        parts += [text[prev:s], c]
        prev = e
    parts.append(text[prev:])
    n = td.substitute("".join(parts))
    if phrase_edits:
        n += td.apply("script", phrase_edits)
    if n:
        ctx.converted = True
        ctx.t2s_chars += n
    return n


# ---------------------------------------------------------------------------------------------
# step: width (one-for-one)
def normalise_width(td: TrackedText, ctx: _Ctx) -> int:
    """ASCII ``, ; : ! ? ( )`` written next to Chinese text become the Chinese full-width forms
    (GB/T 15834 style; full-width digits and letters were made ASCII by :func:`halfwidth_alnum`).
    ``:`` ``!`` ``?`` and ``)`` change when they follow Chinese text; ``,`` ``;`` and ``(`` also when
    Chinese text follows them. Numbers are unchanged (``2,058`` and ``23:22`` stay).

    Examples
    --------
    >>> clean_text("建成２个站,覆盖率100%(含园区);时间23:22,共2,058字").text
    '建成2个站，覆盖率100%（含园区）；时间23:22，共2,058字\\n'
    """
    total = 0
    ctx_char = rules.CTX_CHAR.match
    for _ in range(6):  # a converted bracket can put the next mark in Chinese context
        text = td.text
        parts, prev = [], 0
        for m in rules.WIDTH_MARK.finditer(text):
            i, c = m.start(), m.group()
            if (i and ctx_char(text, i - 1)) or (c in ",;(" and ctx_char(text, i + 1)):
                parts += [text[prev:i], rules.HW_TO_FW[c]]
                prev = i + 1
        if not parts:
            break
        parts.append(text[prev:])
        total += td.substitute("".join(parts))
    ctx.width_chars += total
    return total


# ---------------------------------------------------------------------------------------------
# step: whitespace
def normalise_whitespace(text: str, ctx: _Ctx) -> list[Edit]:
    """Three whitespace rules in one scan.

    ``indent``: spaces (including U+3000 ideographic spaces and tabs) at the start and end of a line
    are removed. ``soft_space``: inside a line of prose (at least 20 characters, holding ，。；) a
    run of spaces between two Chinese characters or marks is removed: a left-over of a line break in
    the printed page (包抓 督导 → 包抓督导). ``space``: any other run becomes one ASCII space, so
    headline spaces (搭建委员履职平台 打通基层协商) and spaces in numbers (1 868) stay.

    Examples
    --------
    >>> clean_text("\\u3000\\u3000建立领导包抓 督导机制，省政协主 席会议成员分片联系。  ").text
    '建立领导包抓督导机制，省政协主席会议成员分片联系。\\n'
    """
    n = len(text)
    edits = []
    line_end, prose = -1, False  # the current line's end and whether it is prose (each line looked at once)
    for m in rules.SPACE_RUN.finditer(text):
        s, e = m.span()
        if s == 0 or e >= n or text[s - 1] == "\n" or text[e] == "\n":
            edits.append((s, e, "", "indent"))
            continue
        if rules.CTX_CHAR.match(text, s - 1) and rules.CTX_CHAR.match(text, e):
            if s > line_end:
                ls, line_end = text.rfind("\n", 0, s) + 1, text.find("\n", e) % (n + 1)  # (-1: the end)
                prose = line_end - ls >= 20 and rules.PROSE_MARK.search(text, ls, line_end) is not None
            if prose:
                edits.append((s, e, "", "soft_space"))
                continue
        if text[s] == " ":
            if e - s > 1:
                edits.append((s + 1, e, "", "space"))
        else:
            edits.append((s, e, " ", "space"))
    return edits




# ---------------------------------------------------------------------------------------------
# step: reflow


def _width(s: str) -> int:
    """Display width for wrap detection: ASCII counts 1, everything else 2 (Chinese text); spaces
    (also tabs and wide spaces) count 0 and ``, ; : ! ? ( )`` count 2, so that later whitespace and
    width normalisation do not change a line's width.

    Examples
    --------
    >>> _width("委员 work,站")
    12
    """
    n_ascii = len(s.encode("ascii", "ignore"))
    w = 2 * len(s) - n_ascii
    if n_ascii:
        w += sum(map(s.count, ",;:!?()")) - s.count(" ") - s.count("\t")
    if not s.isascii():
        w -= 2 * len(rules.WIDE_SPACE.findall(s))
    return w


def _wrap_width(widths: list[int], lines: list[str]) -> int:
    """The wrap width of a text (0 when it is not wrapped): the widest ``2c + 1`` over the width
    classes ``c`` (widths ``2c`` and ``2c + 1`` within 20-240) holding a line, whose band of widths
    ``[0.9 * (2c + 1), 1.06 * (2c + 1)]`` holds at least ``max(5, 0.35 * non-blank lines)`` lines, at
    least 70% of them not ending a sentence; 0 also when no class holds two lines."""
    hist = [0] * 257
    open_hist = [0] * 257
    n_nonblank = 0
    for w, ln in zip(widths, lines):
        if ln:
            n_nonblank += 1
            if w <= 256:
                hist[w] += 1
                open_hist[w] += ln[-1] not in rules.TERMINAL
    need = max(5.0, 0.35 * n_nonblank)
    if n_nonblank < 5 or sum(hist[18:257]) < need:
        return 0
    classes = [(c, hist[2 * c] + (hist[2 * c + 1] if 2 * c + 1 <= 240 else 0)) for c in range(10, 121)]
    if max(k for _, k in classes) < 2:
        return 0
    cum, cum_open = list(accumulate(hist, initial=0)), list(accumulate(open_hist, initial=0))
    best = 0
    for c, k in classes:
        wmax = 2 * c + 1
        lo, hi = int(-(-0.9 * wmax // 1)), int(wmax * 1.06 // 1) + 1
        n_band, n_open = cum[hi] - cum[lo], cum_open[hi] - cum_open[lo]
        if k and n_band >= need and n_open >= 0.7 * n_band:
            best = wmax
    return best


def join_hard_wraps(text: str, ctx: _Ctx) -> list[Edit]:
    """Join lines of text wrapped at a fixed width (copies of PDF or print pages), which break
    paragraphs and even words (市\\\\n县政协 → 市县政协).

    The wrap width is detected as a display width (Chinese characters count 2) shared by many
    non-blank lines: the text is treated as wrapped only when at least 5 lines and 35% of all
    non-blank lines lie within 10% below that width and most of them do not end a sentence. A line
    at least 75% of the wrap width is then joined to the next non-blank line unless it ends a
    sentence or the next line starts a heading. Blank lines always separate paragraphs."""
    lines = text.split("\n")
    if len(lines) < 5:
        return []
    widths = list(map(_width, lines))
    best = _wrap_width(widths, lines)
    if not best:
        return []
    edits = []
    pos = 0
    for i in range(len(lines) - 1):
        ln, nxt = lines[i], lines[i + 1]
        pos += len(ln) + 1
        if ln and nxt and widths[i] >= 0.75 * best and ln[-1] not in rules.TERMINAL and not rules.HEADING_START.match(nxt):
            a, b = ln[-1], nxt[0]
            join = " " if a < "\x7f" and b < "\x7f" and a.isalnum() and b.isalnum() else ""
            edits.append((pos - 1, pos, join, "hard_wrap"))
    return edits


# ---------------------------------------------------------------------------------------------
# step: duplicates
def remove_duplicate_paragraphs(text: str, ctx: _Ctx) -> list[Edit]:
    """Drop paragraphs (lines) printed before, keeping the first copy (spaces do not count). Every
    run of neighbouring repeated paragraphs that holds one of 10 or more characters goes, so that a
    whole section printed twice goes with its headings while a repeated short line elsewhere stays.
    One pass, hashing each paragraph once (linear time)."""
    seen: set[str] = set()
    edits: list[Edit] = []
    run: list[Edit] = []
    run_long = False
    for s, e, ln in _lines(text):
        key = ln.replace(" ", "")
        if not key:
            continue  # blank lines neither break nor join a run
        if key in seen:
            run.append((s, e + 1 if e < len(text) else e, "", "duplicate_paragraph"))
            run_long |= len(key) >= 10
            continue
        if run_long:
            edits += run
        run, run_long = [], False
        seen.add(key)
    return edits + run if run_long else edits


def remove_repeated_passages(text: str, ctx: _Ctx) -> list[Edit]:
    """Drop a long paragraph whose text (ignoring spaces and a trailing ellipsis) repeats the text of
    other paragraphs run together: a sharing site's preview or an abstract printed again as one long
    paragraph. The longer copy that merely repeats is dropped; the paragraphs it repeats are kept.

    Candidates are paragraphs of at least 60 characters; a candidate is checked only at the start of
    other paragraphs whose first 12 characters equal its own (a dictionary lookup), so the work is
    linear in the text length."""
    paras = [(s, e, ln) for s, e, ln in _lines(text) if ln.strip()]
    if len(paras) < 2 or max(len(ln) for _, _, ln in paras) < 60:
        return []
    flat_parts = [ln.replace(" ", "") for _, _, ln in paras]
    starts = []  # position of each paragraph in flat
    pos = 0
    for k in flat_parts:
        starts.append(pos)
        pos += len(k)
    flat = "".join(flat_parts)
    index: dict[str, list[int]] = {}
    for i, st in enumerate(starts):
        index.setdefault(flat[st:st + 12], []).append(i)
    removed: set[int] = set()
    edits = []
    order = sorted((i for i in range(len(paras)) if len(flat_parts[i]) >= 60), key=lambda i: (-len(flat_parts[i]), i))
    for i in order:
        core = flat_parts[i]
        if core.endswith((".", "…")):  # (the only endings the pattern removes)
            core = rules.ELLIPSIS_TAIL.sub("", core)
        if len(core) < 60:
            continue
        own_start, own_end = starts[i], starts[i] + len(flat_parts[i])
        tried = 0
        for j in index.get(core[:12], ()):
            if j == i or j in removed or len(core) <= len(flat_parts[j]):
                continue
            tried += 1
            if tried > 4:  # near-identical paragraphs: bound the work per candidate
                break
            st = starts[j]
            end = st + len(core)
            if (own_start < end and st < own_end) or not flat.startswith(core, st):
                continue  # (the repeat must lie in other paragraphs)
            last = bisect.bisect_left(starts, end)  # paragraphs j .. last-1 hold the repeat
            if any(k in removed for k in range(j, last)):
                continue
            removed.add(i)
            edits.append(_drop_line(text, paras[i][0], paras[i][1], "repeated_passage"))
            break
    return edits


# ---------------------------------------------------------------------------------------------
# step: layout
def remove_blank_lines(text: str, ctx: _Ctx) -> list[Edit]:
    """Collapse empty lines: the clean text has one paragraph per line (a leading run of line
    breaks goes whole, any other run keeps its first)."""
    if "\n\n" not in text and not text.startswith("\n"):
        return []
    return [(m.start() + (m.start() > 0), m.end(), "", "blank_lines") for m in rules.NL_RUN.finditer(text)
            if m.start() == 0 or m.end() - m.start() > 1]


def final_newline(text: str, ctx: _Ctx) -> list[Edit]:
    """End a non-empty text with one line break."""
    if text and not text.endswith("\n"):
        return [(len(text), len(text), "\n", "final_newline")]
    return []


# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Stage:
    """One entry of the cleaning pipeline.

    ``affects`` names the stages whose result an edit of this stage can change (``"all"``, or
    ``"later"`` for every stage after it, plus any names listed); it drives the worklist in
    :func:`clean_text`, which re-runs a stage only when an affecting stage has edited the text since.
    A ``substitution`` stage changes characters one-for-one through ``fn(td, ctx)``.
    """

    name: str
    step: str | None  # None: the rules name their own step (see RULE_STEPS)
    fn: Callable
    affects: tuple[str, ...] = ("all",)
    substitution: bool = False


# Removing whole lines (with their line break) changes no line's content and leaves no empty line:
# it can only change what depends on which lines are neighbours or first.
_REMOVALS = ("site_header", "reflow", "blank_lines", "duplicates", "passages", "blank_lines_2", "final_newline")
_LATE_REMOVALS = ("site_header", "reflow", "blank_lines_2", "final_newline")
#: The cleaning pipeline, in order.
PIPELINE: tuple[Stage, ...] = (
    Stage("normalise", "normalise", normalise_characters),
    Stage("halfwidth", "width", halfwidth_alnum, ("later",), substitution=True),
    Stage("javascript", "javascript", unwrap_document_write),
    Stage("html_blocks", "html", strip_html_blocks),
    Stage("html_text", "html", html_to_text),
    Stage("gloss", "gloss", remove_pinyin_glosses, ("later",)),
    Stage("normalise_2", "normalise", normalise_characters),
    Stage("halfwidth_2", "width", halfwidth_alnum, ("later",), substitution=True),
    Stage("script", "script", convert_script, ("later",), substitution=True),
    Stage("placeholder", "placeholder", replace_tab_placeholders, ("later",)),
    Stage("width", "width", normalise_width, ("later",), substitution=True),
    Stage("whitespace", "whitespace", normalise_whitespace, ("later",)),
    Stage("reflow", "reflow", join_hard_wraps, ("placeholder", "width", "whitespace", "reflow", "later")),
    Stage("spam", "spam", remove_link_farm, _REMOVALS),
    Stage("site_header", "chrome", remove_site_header, _REMOVALS),
    Stage("lines", None, remove_chrome_and_notices, _REMOVALS),
    Stage("blank_lines", "layout", remove_blank_lines, ("reflow",)),
    Stage("duplicates", "duplicates", remove_duplicate_paragraphs, _LATE_REMOVALS),
    Stage("passages", "duplicates", remove_repeated_passages, _LATE_REMOVALS),
    Stage("blank_lines_2", "layout", remove_blank_lines, ("reflow",)),
    Stage("final_newline", "layout", final_newline, ()),
)
#: The step of each line rule (the chrome and notice rules run in one stage).
RULE_STEPS = {r.rule: r.step for r in LINE_RULES}
MAX_SWEEPS = 64  # reports settle in 2-3 sweeps; nested unterminated document.write calls peel one a sweep,
#                  and a lower cap (6) left them half peeled: cleaning was then not idempotent
# A batch of removals only is logged one row per raw-contiguous run (see ``TrackedText.apply``)
# when it comes from these stages or holds more than 16 edits; other batches one row per block.
# (This keeps the log rows of the earlier engines; splitting every batch would add rows.)
_SPLIT_STAGES = frozenset({"normalise", "normalise_2", "whitespace", "duplicates", "blank_lines", "blank_lines_2"})


def _affects(i: int) -> int:
    """The stages an edit of stage ``i`` can affect, as a bit mask."""
    names = [st.name for st in PIPELINE]
    out: set[int] = set()
    for a in PIPELINE[i].affects:
        out.update(range(len(PIPELINE)) if a == "all" else range(i + 1, len(PIPELINE)) if a == "later"
                   else [names.index(a)])
    return sum(1 << j for j in out)


_AFFECTS = [_affects(i) for i in range(len(PIPELINE))]


def _run(td: TrackedText, ctx: _Ctx) -> int:
    """Run the pipeline as a worklist: every stage once, then again only those that an edit made
    after their last run can affect, until none is left (at most :data:`MAX_SWEEPS` sweeps)."""
    dirty = (1 << len(PIPELINE)) - 1
    sweeps = 0
    while dirty and sweeps < MAX_SWEEPS:
        sweeps += 1
        for i, st in enumerate(PIPELINE):
            if not dirty >> i & 1:
                continue
            dirty &= ~(1 << i)
            if st.substitution:
                n = st.fn(td, ctx)
            else:
                edits = st.fn(td.text, ctx)
                if not edits:
                    continue
                split = (st.name in _SPLIT_STAGES or len(edits) > 16) and not any(e[2] for e in edits)
                n = td.apply(st.step or RULE_STEPS, edits, split)
            if n:
                dirty |= _AFFECTS[i]
    return sweeps


def log_frame(rows, doc_ids=None) -> pd.DataFrame:
    """A log DataFrame from ``(step, rule, raw_start, raw_end, replaced_by, dropped_chars)`` tuples
    (with a leading ``doc_id`` column when ``doc_ids`` is given, one per row).

    Examples
    --------
    >>> log_frame([("layout", "blank_lines", 3, 5, 0, 2)])[["rule", "length"]].values.tolist()
    [['blank_lines', 2]]
    """
    import pandas as pd

    step, rule, rs, re_, rb, dr = (list(c) for c in zip(*rows)) if rows else ([] for _ in range(6))
    frame = pd.DataFrame({"step": step, "rule": rule, "raw_start": rs, "raw_end": re_,
                          "length": [b - a for a, b in zip(rs, re_)], "replaced_by": rb, "dropped_chars": dr},
                         columns=LOG_COLUMNS)
    frame = frame.astype({c: "int64" for c in LOG_COLUMNS[2:]})
    if doc_ids is not None:
        frame.insert(0, "doc_id", list(doc_ids))
    return frame


def clean_text(text: str, *, script: str | None = None, kind: str = "auto", title: str = "") -> CleanResult:
    """Clean one report's text: remove noise, keep the body, log every edit.

    Parameters
    ----------
    text : str
        The raw decoded text (as :func:`govlab.corpus.read_document` returns it).
    script : {"traditional", "simplified", None}
        The original script if known (from a manifest); ``None`` detects it. Traditional text is
        converted to simplified with OpenCC ``t2s``.
    kind : {"auto", "html", "text"}
        ``"html"`` parses tags; ``"auto"`` does so when the text looks like HTML; ``"text"`` never.
    title : str
        The report's title if known; a header rule never removes a line equal to it.

    Returns
    -------
    CleanResult
        ``text`` (one paragraph per line, ending with a line break), ``log`` (offsets into ``text``
        as given), ``parts`` (what replaced each logged block), ``converted``, ``script``.

    Notes
    -----
    The pipeline (:data:`PIPELINE`) is run again until a pass changes nothing (at most
    :data:`MAX_SWEEPS` sweeps), so ``clean_text(clean_text(x).text).text == clean_text(x).text``.

    Examples
    --------
    >>> r = clean_text("当前位置：首页 > 新闻\\n委員工作站建成 ××个。\\n版权所有 某某网")
    >>> r.text
    '委员工作站建成 ××个。\\n'
    >>> list(r.log["rule"])
    ['navigation', 'legal_footer']
    >>> r.converted
    True
    """
    if not isinstance(text, str):
        raise TypeError(f"clean_text() needs a str, not {type(text).__name__}")
    if script not in (None, "", "traditional", "simplified"):
        from govlab.errors import InputError

        raise InputError(f"script must be 'traditional' or 'simplified', not {script!r}", key="script")
    if kind not in ("auto", "html", "text"):
        raise ValueError(f"kind must be 'auto', 'html' or 'text', not {kind!r}")
    td = TrackedText(text)
    ctx = _Ctx(kind=kind, title=title.strip() if title else "")
    passes = _run(td, ctx)
    return CleanResult(text=td.text, rows=tuple(td.rows), converted=ctx.converted,
                       script=ctx.detected_script or "simplified", t2s_chars=ctx.t2s_chars,
                       width_chars=ctx.width_chars, passes=passes, parts=tuple(td.parts))
