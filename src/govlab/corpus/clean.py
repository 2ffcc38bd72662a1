"""Cleaning Chinese policy reports as researchers find them: one rule per function, every edit logged.

A report scraped from a government CMS page, copied from a document-sharing site (文库) or printed
from a newspaper page carries noise around and inside its body. :func:`clean_text` runs the stages
of :data:`PIPELINE` in order, then re-runs a stage only if a later stage made an edit that can
change its result (each :class:`Stage` names what it ``affects``), until nothing is left to do. So
cleaning a clean text changes nothing (``clean_text(clean_text(x).text).text == clean_text(x).text``,
checked by property-based tests on 10,000 generated inputs).

Each rule is a function ``rule(text, ctx)`` that only *proposes* edits in the current text's
coordinates (a list of :class:`~govlab.corpus._edits.Edit`, or :class:`~govlab.corpus._edits.Removals`
for many removals at once and :class:`~govlab.corpus._edits.Replacements` for many sorted edits as
arrays); :class:`~govlab.corpus._edits.TrackedText` applies them and translates
them into offsets of the **raw decoded text** (the string :func:`govlab.corpus.read_document`
returns), so a researcher can look up every dropped block with ``raw[raw_start:raw_end]``.

How to read the log
-------------------
* Each row is one block: ``raw[raw_start:raw_end]`` in the raw decoded text. A removal whose
  characters are not contiguous in the raw text (an earlier rule dropped something in between) is
  split into one row per contiguous run, so a removed block never spans text another rule dropped.
* ``replaced_by`` is the length of what replaced the block: 0 for a removal, 1 for an HTML block
  tag that became a line break or a JavaScript escape that became its character.
* ``dropped_chars`` counts the raw characters the row dropped for the first time; summed per rule it
  says how much text each kind of noise took (a line break that stood for an HTML tag and is dropped
  later by ``blank_lines`` counts 0: the tag was counted by ``html_tag``). Touching removals of one
  rule are merged into one block.
* One-for-one character substitutions (traditional to simplified, punctuation width) keep offsets
  and are not logged row by row; they are counted in ``t2s_chars`` and ``width_chars``.

Steps and rules (``step: rule``), in pipeline order:

* ``normalise``: ``line_endings`` (the CR of CR LF dropped; lone CR, form feed, U+2028/9 to LF),
  ``invisible_chars`` (zero-width characters, stray BOMs, control characters). ``width`` (first
  part): full-width digits, Latin letters and ％ to ASCII.
* ``javascript``: ``js_wrapper`` (``document.write``/``writeln("...")`` calls around the page,
  kept: the string contents), ``js_unescape`` (``\\/``, ``\\"``, ``\\n``, ``\\uXXXX`` escapes).
* ``html``: ``html_comment``, ``html_script``, ``html_style``, ``html_head``, ``html_chrome``
  (``<nav>``, ``<footer>``, ``<aside>``, elements whose class or id names navigation, breadcrumbs,
  footers, share tools, logos), ``html_hidden`` (``display:none`` elements, where link farms hide),
  ``html_tag`` (block tags become line breaks, inline tags vanish), ``html_entity``.
* ``script``: traditional to simplified with OpenCC ``t2s`` on every line holding traditional forms
  (one-for-one, not logged; ``CleanResult.converted`` and ``t2s_chars``).
* ``placeholder``: ``tab_placeholder`` (``?`` standing for a lost tab between bibliographic fields).
* ``width``: ASCII ``, ; : ! ? ( )`` next to Chinese text to the Chinese full-width forms.
* ``whitespace``: ``indent`` (leading and trailing spaces of a line), ``soft_space`` (spaces inside
  Chinese prose, left by line breaks in print), ``space`` (runs of spaces collapsed to one).
* ``reflow``: ``hard_wrap`` (line breaks of text wrapped at a fixed width, as in PDF copies).
* ``spam``: ``link_farm`` (lines made of many short items, most of them gambling or pornographic
  keywords, as injected into hacked sites).
* ``chrome``: ``site_header`` (welcome lines and the site name above them), ``navigation``
  (breadcrumbs, menus), ``page_meta`` (发布时间/来源/作者/浏览次数/责任编辑/字数/版次 lines, bare
  date-time stamps), ``page_tools`` (打印/关闭/分享/返回顶部/上一篇 ...), ``legal_footer`` (版权所有,
  ICP and 公网安备 numbers, disclaimers, host and sponsor lines), ``contact`` (telephone, fax,
  address, QQ, e-mail lines), ``source_link`` (原文链接 lines and bare URLs), ``app_prompt``
  (add-to-desktop, app download), ``uploader_profile`` (document-sharing uploader cards: 关注,
  实名认证, 内容提供者 ...).
* ``notice``: ``paywall_notice`` (付费下载, 免费阅读 ... 全部内容, VIP), ``terms_notice`` (a sharing
  site's terms: 使用权限, 不得用于商业用途, 侵犯著作权 ...).
* ``layout``: ``blank_lines`` (empty lines; the clean text holds one paragraph per line and ends with
  a line break), ``final_newline``.
* ``duplicates``: ``duplicate_paragraph`` (a paragraph or a whole section printed twice; the first
  copy is kept), ``repeated_passage`` (a long paragraph whose text repeats other paragraphs run
  together, such as a sharing site's preview or a repeated abstract).

The line rules (chrome, notice) are data (:data:`LINE_RULES`): literal triggers that find the few
candidate lines in one vectorised scan, a check, a length limit. They are written for Chinese
government and CMS pages and document-sharing sites in general, not for particular files.

Speed: the rules work on the whole text at once (numpy over the code points and their class
flags, one compiled regex pass, C-level ``map``/``split``) rather than line by line in Python, and a
line printed several times (a page header, a section printed twice) is checked by the line rules,
the link-farm rule and OpenCC only once. ``benchmarks/bench_cleaning.py`` measures the throughput.

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
import html as _html
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import compress, repeat

import numpy as np
import pandas as pd

from govlab.corpus._edits import Edit, Removals, Replacements, TrackedText, _codes, _kernels, _regex_classes

LOG_COLUMNS = ["step", "rule", "raw_start", "raw_end", "length", "replaced_by", "dropped_chars"]

# ---------------------------------------------------------------------------------------------
# character classes
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】「」『』…—·×－～％"
# "Chinese context": Han characters and Chinese punctuation (and the full-width forms block).
_CTX = f"{HAN}{CJK_PUNCT}\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
_SPACE = " \t\u00a0\u3000\u2002-\u200a\u202f\u205f"
_TERMINAL = "。！？!?"

# Character-class flags, looked up for every character at once with numpy (one table lookup per
# character instead of one regex scan per class).
F_SPACE, F_CTX, F_NORM, F_PUNCT, F_TRAD, F_SPAM, F_FWALNUM, F_NL = 1, 2, 4, 8, 16, 32, 64, 128
_SPACE_CHARS = " \t\u00a0\u3000\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
_NORM_CHARS = ("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029" + "".join(map(chr, range(0, 9))) + "".join(map(chr, range(0x0e, 0x1c)))
               + "\x1f\x7f\u00ad\u200b\u200c\u200d\u2060\ufeff\ufffe\ufe0f")
# Characters of link-farm keywords that are rare in policy prose (a line needs several to be checked).
_SPAM_CHARS = "码淫赌娱婷蜘偷妻嫩禁澳彩虎拍裸艳骚奶乳萝莉逼爽撸炮∨碼賭娛澳綜乐樂无無福午夜"


def _ranges(spec: str) -> list[int]:
    out = []
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.extend(range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            out.append(ord(spec[i]))
            i += 1
    return out


@functools.lru_cache(maxsize=1)
def _flag_table() -> np.ndarray:
    """The class flags of every code point (0 outside the BMP), indexed directly by code point (a
    table over all of Unicode is looked up faster than a BMP table with the codes clipped first)."""
    lut = np.zeros(0x110000, dtype=np.uint8)
    lut[[ord(c) for c in _SPACE_CHARS]] |= F_SPACE
    lut[_ranges(_CTX)] |= F_CTX
    lut[[ord(c) for c in _NORM_CHARS]] |= F_NORM
    lut[[ord(c) for c in ",;:!?()"]] |= F_PUNCT
    lut[[ord(c) for c in _traditional_chars().pattern[1:-1]]] |= F_TRAD
    lut[[ord(c) for c in _SPAM_CHARS]] |= F_SPAM
    lut[_ranges("\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff05")] |= F_FWALNUM
    lut[10] |= F_NL
    lut[0xFFFF] = 0
    return lut


def char_flags(text) -> np.ndarray:
    """The class flags (``F_*`` bits) of every character of ``text`` (a str, or an array of code
    points) as a uint8 array."""
    codes = text if isinstance(text, np.ndarray) else np.frombuffer(
        text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return _flag_table().take(codes)  # (take: much faster than indexing)


def _present(td: TrackedText) -> int:
    """The class flags (``F_*`` bits) that occur in ``td.text`` at all (one OR over the flags, cached
    until the text changes): a rule whose characters do not occur has nothing to do."""
    flags = td.flags
    cached = td.cache.get("present")
    if cached is not None and cached[0] is flags:
        return cached[1]
    value = int(np.bitwise_or.reduce(flags)) if len(flags) else 0
    td.cache["present"] = (flags, value)
    return value


def _line_starts_ends(td: TrackedText) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets of every line of ``td.text`` (cached until the text changes)."""
    flags = td.flags
    cached = td.cache.get("lines")
    if cached is not None and cached[0] is flags:
        return cached[1], cached[2]
    codes = td.codes  # (the code points are kept in step with the flags)
    starts = np.empty(len(codes) + 1, dtype=np.int64)
    ends = np.empty(len(codes) + 1, dtype=np.int64)
    k = _kernels().line_bounds(codes, starts, ends)  # (one pass of a compiled kernel)
    starts, ends = starts[:k], ends[:k]
    td.cache["lines"] = (flags, starts, ends)
    return starts, ends


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
    """

    text: str
    rows: tuple = ()
    converted: bool = False
    script: str = "simplified"
    t2s_chars: int = 0
    width_chars: int = 0
    passes: int = 1

    @functools.cached_property
    def log(self) -> pd.DataFrame:
        return log_frame(self.rows)


@dataclass
class _Ctx:
    td: TrackedText | None = None  # the text being cleaned (rules read its character flags)
    kind: str = "auto"  # "html", "text" or "auto"
    title: str = ""
    script: str | None = None  # caller's hint: "traditional" / "simplified" / None
    detected_script: str | None = None
    converted: bool = False
    t2s_chars: int = 0
    width_chars: int = 0


def _drop_line(text: str, start: int, end: int, rule: str) -> Edit:
    """An edit removing the line ``[start, end)`` with its line break."""
    if end < len(text) and text[end] == "\n":
        return (start, end + 1, "", rule)
    return (start, end, "", rule)  # the last line: the line break before it is left to layout


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    return s, (len(text) if e < 0 else e)


# ---------------------------------------------------------------------------------------------
# step: normalise


_FW_ALNUM = {c: chr(c - 0xFEE0) for c in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B))
             + list(range(0xFF41, 0xFF5B))}
_FW_ALNUM[0xFF05] = "%"


def halfwidth_alnum(td: TrackedText, ctx: _Ctx) -> int:
    """Full-width digits, Latin letters and ``％`` become ASCII (one-for-one, counted in
    ``width_chars``), so that numbers read the same everywhere (２０２２ → 2022)."""
    if not _present(td) & F_FWALNUM:
        return 0
    n = td.substitute(td.text.translate(_FW_ALNUM))
    ctx.width_chars += n
    return n


def normalise_characters(text: str, ctx: _Ctx) -> list[Edit]:
    """``line_endings``: CR LF, lone CR, vertical tab, form feed and Unicode line/paragraph separators
    become LF. ``invisible_chars``: zero-width spaces and joiners, soft hyphens, stray BOMs and C0
    control characters are removed.

    Examples
    --------
    >>> clean_text("委员\\r\\n工作\\u200b站\\r").text
    '委员\\n工作站\\n'
    """
    if not _present(ctx.td) & F_NORM:
        return []
    pos = ((ctx.td.flags & F_NORM) != 0).nonzero()[0]
    rem_s: list[int] = []
    rem_r: list[str] = []
    edits = []
    n = len(text)
    for i in pos.tolist():
        c = text[i]
        if c == "\r":
            if i + 1 < n and text[i + 1] == "\n":
                rem_s.append(i)  # CR LF: the CR goes
                rem_r.append("line_endings")
            else:
                edits.append((i, i + 1, "\n", "line_endings"))
        elif c in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029":
            edits.append((i, i + 1, "\n", "line_endings"))
        else:
            rem_s.append(i)
            rem_r.append("invisible_chars")
    if not edits:
        starts = np.asarray(rem_s, dtype=np.int64)
        return Removals(starts, starts + 1, rem_r)
    return edits + [(i, i + 1, "", r) for i, r in zip(rem_s, rem_r)]


# ---------------------------------------------------------------------------------------------
# step: javascript
# A call and its string argument: ``"..."`` (group ``body``) or ``'...'`` (group ``body2``), in which
# a backslash escapes the next character.
_JS_CALL = re.compile(
    r"document\s*\.\s*write(?:ln)?\s*\(\s*(?:(?:(?P<q>\")(?P<body>[^\"\\]*(?:\\.[^\"\\]*)*)\"|"
    r"(?P<q2>')(?P<body2>[^'\\]*(?:\\.[^'\\]*)*)')\s*)?"
    r"(?:\)\s*;?|$)", re.S)
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\s\S])")
_JS_SIMPLE = {"n": "\n", "t": "\t", "r": "", "b": "", "f": "\n", "v": "\n", "0": ""}


def _js_unescape_one(m: re.Match) -> str:
    esc = m.group(1)
    if esc[0] in "ux" and len(esc) > 1:
        return chr(int(esc[1:], 16))
    if esc == "\n":  # line continuation
        return ""
    return _JS_SIMPLE.get(esc, esc)


def unwrap_document_write(text: str, ctx: _Ctx) -> list[Edit]:
    """Keep the string literals of ``document.write("...")``/``document.writeln("...")`` calls and drop
    the calls; unescape JavaScript escapes inside them. The page is treated as HTML afterwards.

    Some sites deliver an article as a script that writes the page (``document.writeln("<p>...<\\/p>")``);
    extractors then see no text at all (research notes section 4).

    Examples
    --------
    >>> clean_text('document.writeln("<p>委员工作站<\\\\/p>");').text
    '委员工作站\\n'
    """
    if "document" not in text or "write" not in text:
        return []
    edits: list[Edit] = []
    prev_end = None
    escapes = _JS_ESCAPE.finditer
    for m in _JS_CALL.finditer(text):
        ms, me = m.span()
        if prev_end is not None and ms > prev_end and not text[prev_end:ms].strip():
            edits.append((prev_end, ms, "", "js_wrapper"))
        q = m.group("q2") is None
        if m.group("body" if q else "body2") is None:
            edits.append((ms, me, "", "js_wrapper"))
        else:
            bs, be = m.span("body" if q else "body2")
            edits.append((ms, bs, "", "js_wrapper"))
            if "\\" in text[bs:be]:
                for e in escapes(text, bs, be):
                    es = e.start()
                    rep = _js_unescape_one(e)
                    if rep == e.group(1):  # \/ \" \' \\: only the backslash goes
                        edits.append((es, es + 1, "", "js_unescape"))
                    else:
                        edits.append((es, e.end(), rep, "js_unescape"))
            edits.append((be, me, "", "js_wrapper"))
        prev_end = me
    if edits:
        ctx.kind = "html"
    return edits


# ---------------------------------------------------------------------------------------------
# step: html
_HTML_SIGNS = re.compile(r"<(?:/?(?:p|div|br|td|tr|table|span|a|li|ul|h[1-6]|html|body|head|meta|"
                         r"script|style|font|strong|b|img|section|article)\b[^<>]{0,500}>|!--)", re.I)
# Comments and elements dropped whole. An element's content runs to its first closing tag or, when
# unclosed, to the end of the text (written out as "anything but <, or a < that does not start the
# closing tag", which reads the content at the speed of a character class).
_CONTENT = r"[^<]*(?:<(?!/(?P={0})\s*>)[^<]*)*(?:</(?P={0})\s*>|\Z)"
_HTML_DROP = re.compile(
    r"<!--[^-]*(?:-(?!->)[^-]*)*(?:-->|\Z)"
    r"|<(?P<tag>script|style|noscript|template|iframe|object|svg|head|select|textarea)\b" + _CONTENT.format("tag") +
    r"|<(?P<ctag>nav|footer|aside|menu)\b[^>]*>" + _CONTENT.format("ctag") +
    r"|<(?P<htag>[a-zA-Z][\w:-]*)\b(?P<hattr>[^<>]*?(?:display\s*:\s*none|visibility\s*:\s*hidden|\bhidden\b(?!\s*=\s*[\"']?false))[^<>]*)>"
    + _CONTENT.format("htag") +
    r"|<(?P<ntag>div|ul|ol|p|span|section|td|table|dl)\b(?P<nattr>[^<>]*?\b(?:class|id)\s*=\s*[\"']?[^\"'>]*?"
    r"(?:nav|menu|breadcrumb|crumb|footer|copyright|share|toolbar|sidebar|related|position|location|logo|banner|topbar|\btop\b)[^<>]*)>"
    + _CONTENT.format("ntag"),
    re.S | re.I)
_HTML_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)\b[^<>]*(?:>|\Z)|<![^<>]*>|<\?[^<>]*\?>|</?\s*\Z", re.S)
_BLOCK_TAGS = frozenset(
    "p div br hr tr li ul ol dl dt dd h1 h2 h3 h4 h5 h6 table tbody thead tfoot section article "
    "header blockquote pre form title address figure figcaption main center caption".split())
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")


def _looks_html(text: str) -> bool:
    n = 0
    for _ in _HTML_SIGNS.finditer(text, 0, min(len(text), 200_000)):
        n += 1
        if n >= 2:
            return True
    return False


# Where a match of _HTML_DROP can start: a comment or an element named by its first three branches,
# or the tag holding a keyword of its last two branches (hidden elements, class or id names). Both
# are searched in the text folded to bytes (see _fold_table), where case-insensitive means equal.
_HTML_DROP_NAMED = re.compile(rb"<(?:!--|script|style|noscript|template|iframe|object|svg|head|select|textarea|"
                              rb"nav|footer|aside|menu)")
_HTML_DROP_KEYWORDS = (b"display", b"visibility", b"hidden", b"class", b"id")
# A tag holding a keyword can match only if it also holds a word of the hidden or class/id branch.
_HTML_DROP_WORDS = re.compile(rb"display|visibility|hidden|nav|menu|crumb|footer|copyright|share|toolbar|sidebar|"
                              rb"related|position|location|logo|banner|top")


@functools.lru_cache(maxsize=1)
def _fold_table() -> np.ndarray:
    """Every BMP character as one byte: a character that a case-insensitive pattern letter matches
    (``re.I``: ``K`` and ``k``, also the Kelvin sign) becomes that lower-case ASCII letter, ``<``,
    ``>``, ``!`` and ``-`` stay, everything else becomes NUL (indexed by code point over all of
    Unicode; no character outside the BMP matches a letter)."""
    bmp = "".join(map(chr, range(0x10000)))
    lut = np.zeros(0x110000, dtype=np.uint8)
    for x in "abcdefghijklmnopqrstuvwxyz":
        found = [ord(c) for c in re.findall(x, bmp, re.I)]
        if (lut[found] != 0).any():  # pragma: no cover - one character matching two letters
            raise RuntimeError("case folding: a character matches two letters")
        lut[found] = ord(x)
    for c in "<>!-":
        lut[ord(c)] = ord(c)
    lut[0xFFFF] = 0  # stands for every character outside the BMP (none matches a letter)
    return lut


def _html_drop_matches(text: str, codes: np.ndarray):
    """The matches of ``_HTML_DROP.finditer(text)`` (``codes``: the code points of ``text``), found by
    trying the pattern only where a match can start: a ``<`` that starts a comment or an element
    named in the pattern, or the last ``<`` before a keyword of the pattern's attribute branches with
    no ``<`` or ``>`` in between (an attribute branch matches only when its keyword lies inside the
    tag), when the tag also holds a word that one of those branches needs."""
    folded_arr = _fold_table().take(codes)
    folded = folded_arr.tobytes()
    starts = {m.start() for m in _HTML_DROP_NAMED.finditer(folded)}
    find = folded.find
    keywords = []
    for kw in _HTML_DROP_KEYWORDS:
        q = find(kw)
        while q >= 0:
            keywords.append(q)
            q = find(kw, q + len(kw))  # (one occurrence per tag is enough: none overlapping)
    if keywords:
        q = np.array(keywords, dtype=np.int64)
        lt = (folded_arr == 60).nonzero()[0]  # "<"
        gt = (folded_arr == 62).nonzero()[0]  # ">"
        i = lt.searchsorted(q) - 1
        ok = i >= 0
        tag = lt[np.maximum(i, 0)]  # the last "<" before each keyword
        if len(gt):
            g = gt.searchsorted(q) - 1
            ok &= (g < 0) | (gt[np.maximum(g, 0)] < tag)  # no ">" in between
        tag = np.sort(tag[ok])
        if len(tag):
            tag = tag[np.concatenate(([True], tag[1:] != tag[:-1]))]  # (distinct)  # each tag runs to its first "<" or ">"
            end = np.minimum(np.concatenate((lt, [len(folded)]))[lt.searchsorted(tag, side="right")],
                             np.concatenate((gt, [len(folded)]))[gt.searchsorted(tag)])
            words = _HTML_DROP_WORDS.search
            starts.update(p for p, e in zip(tag.tolist(), end.tolist()) if words(folded, p, e) is not None)
    out = []
    pos = 0
    match = _HTML_DROP.match
    for p in sorted(starts):
        if p < pos:
            continue
        m = match(text, p)
        if m is not None:
            out.append(m)
            pos = m.end()
    return out


def strip_html_blocks(text: str, ctx: _Ctx) -> list[Edit]:
    """Drop comments, ``<script>``/``<style>``/``<head>`` and similar elements, navigation and footer
    elements, hidden (``display:none``) elements, and elements whose class or id names navigation,
    breadcrumbs, footers or share tools. Unclosed elements run to the end of the text."""
    if ctx.kind == "text" or "<" not in text or (ctx.kind == "auto" and not _looks_html(text)):
        return []
    ctx.kind = "html"
    edits = []
    for m in _html_drop_matches(text, ctx.td.codes):
        if text.startswith("<!--", m.start()):
            rule = "html_comment"
        elif m.group("tag"):
            t = m.group("tag").lower()
            rule = {"script": "html_script", "style": "html_style", "head": "html_head"}.get(t, "html_script")
        elif m.group("ctag") or m.group("ntag"):
            rule = "html_chrome"
        else:
            rule = "html_hidden"
        edits.append((m.start(), m.end(), "", rule))
    if len(edits) > 16:  # (applied as more than 16 removals given one by one are)
        s_l, e_l, _, rules = zip(*edits)
        return Removals(np.array(s_l, dtype=np.int64), np.array(e_l, dtype=np.int64), list(rules))
    return edits


def html_to_text(text: str, ctx: _Ctx) -> list[Edit]:
    """Remove the remaining tags of an HTML text (block tags become line breaks) and decode
    character entities (also in texts that are not HTML, where ``&ldquo;`` can only be a left-over).

    Tags separated only by whitespace form one block, which becomes a line break when one of its
    tags is a block tag (after the last line break written beside a tag of the block), unless the
    source already has a line break beside it."""
    if ctx.kind == "text" or ("<" not in text and "&" not in text):
        return []
    edits: list = []
    run_s = run_e = None
    if ctx.kind == "html" and "<" in text:
        codes = ctx.td.codes if ctx.td is not None and ctx.td.codes is not None else _codes(text)
        # every match of _HTML_TAG, found by one pass of a compiled kernel
        size = text.count("<")
        tag_s, tag_e = np.empty(size, dtype=np.int64), np.empty(size, dtype=np.int64)
        name_s, name_e = np.empty(size, dtype=np.int64), np.empty(size, dtype=np.int64)
        new_run = np.empty(size, dtype=bool)
        # a tag starts a new block unless only whitespace separates it from the previous one
        n_tags = _kernels().html_tags(codes, _regex_classes(), tag_s, tag_e, name_s, name_e, new_run)
        if n_tags:
            tag_s, tag_e, new_run = tag_s[:n_tags], tag_e[:n_tags], new_run[:n_tags]
            new_run[0] = True
            # the tag names ("" where a tag has none)
            names = list(map(text.__getitem__, map(slice, name_s[:n_tags].tolist(), name_e[:n_tags].tolist())))
            block_of = _BLOCK_NAME
            for nm in set(names).difference(block_of):
                if len(block_of) > 10_000:
                    block_of.clear()
                block_of[nm] = nm.lower() in _BLOCK_TAGS
            block = np.fromiter(map(block_of.__getitem__, names), bool, n_tags)
            n_text = len(text)
            # a line break follows the tag
            nl_after = (codes[np.minimum(tag_e, n_text - 1)] == 10) & (tag_e < n_text)
            first = new_run.nonzero()[0]
            last = np.concatenate((first[1:] - 1, [n_tags - 1]))
            idx = np.arange(n_tags)
            # the block's line break is written by its last block tag not followed by a line break
            # in the source, and lost at any later tag that is
            reset = np.maximum.accumulate(np.maximum(np.where(nl_after, idx, -1),
                                                     (first - 1).repeat(last - first + 1)))
            last_block = np.maximum.accumulate(np.where(block, idx, -1))
            run_s = tag_s[first]
            nl_before = (codes[np.maximum(run_s - 1, 0)] == 10) & (run_s > 0)  # a line break comes before
            brk = ~nl_after[last] & ~nl_before & (last_block[last] > reset[last])
            run_e = tag_e[last]
            tag_repls = list(map(_BREAK.__getitem__, brk.tolist()))
            edits = Replacements(run_s, run_e, tag_repls, ["html_tag"] * len(tag_repls))
    if "&" in text:
        parts = _ENTITY_SPLIT.split(text)  # gap, entity, gap, entity, ..., gap
        if len(parts) > 1:
            ents = parts[1::2]
            cache = _ENTITY_TEXT
            for ent in set(ents).difference(cache):
                if len(cache) > 10_000:
                    cache.clear()
                cache[ent] = _html.unescape(ent)
            reps = list(map(cache.__getitem__, ents))
            ends = (np.fromiter(map(len, parts), np.int64, len(parts))).cumsum()
            ent_s, ent_e = ends[0:-1:2], ends[1::2]
            keep = np.fromiter(map(operator.ne, reps, ents), bool, len(ents))  # entities that change
            if run_s is not None and len(run_s):  # an entity inside a tag goes with the tag
                r = run_s.searchsorted(ent_s, side="right") - 1
                keep &= ~((r >= 0) & (ent_s < run_e[np.maximum(r, 0)]))
            sel = keep.nonzero()[0]
            if len(sel):
                ent_repls = list(map(reps.__getitem__, sel.tolist()))
                ent_rules = ["html_entity"] * len(ent_repls)
                if edits:  # (no entity starts where a tag run does)
                    S = np.concatenate((edits.starts, ent_s[sel]))
                    order = np.argsort(S, kind="stable")
                    o = order.tolist()
                    repls = edits.repls + ent_repls
                    rules = edits.rules + ent_rules
                    edits = Replacements(S[order], np.concatenate((edits.ends, ent_e[sel]))[order],
                                         list(map(repls.__getitem__, o)), list(map(rules.__getitem__, o)))
                else:
                    edits = Replacements(ent_s[sel], ent_e[sel], ent_repls, ent_rules)
    return edits


_BREAK = ("", "\n")
_ENTITY_SPLIT = re.compile(f"({_ENTITY.pattern})", _ENTITY.flags)
_BLOCK_NAME: dict = {}  # tag name as written -> whether it is a block tag
_ENTITY_TEXT: dict[str, str] = {}  # entity -> its text


# ---------------------------------------------------------------------------------------------
# step: spam
_SPAM_WORDS = (
    "无码 有码 成人 午夜 福利 精品视频 在线观看 在线播放 免费视频 视频在线 人妻 黄色 毛片 三级片 自拍 偷拍 激情 情色 乱伦 "
    "国产 亚洲 欧美 日韩 久久 一区二区 二区三区 蜘蛛池 博彩 彩票 赌场 赌博 娱乐城 百家乐 六合彩 时时彩 棋牌 老虎机 真人 "
    "投注 下注 澳门 威尼斯人 葡京 开奖 彩金 代孕 办证 刷单 夜夜 天天 婷婷 色综 五月 丁香 伊人 四虎 波多野 人成 嫩模 "
    "a∨ 18禁 av AV Av porn PORN sex SEX casino "
    # traditional forms (spam is often in the same script as the page)
    "無碼 國產 亞洲 歐美 日韓 精品視頻 在線觀看 在線播放 免費視頻 視頻在線 黃色 三級片 自拍 偷拍 情色 亂倫 一區二區 二區三區 "
    "賭場 賭博 娛樂城 百家樂 時時彩 老虎機 澳門 開獎 辦證 蜘蛛池"
).split()
_SPAM_TERMS = re.compile("|".join(sorted(set(map(re.escape, _SPAM_WORDS)), key=len, reverse=True)))
_SPAM_SPLIT = re.compile(r"[|｜,，、;；/\s_]+")


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
    td = ctx.td
    if not _present(td) & F_SPAM:
        return []
    spamc = ((td.flags & F_SPAM) != 0).nonzero()[0]
    if len(spamc) < 3:
        return []
    starts, ends = _line_starts_ends(td)
    line_of = starts.searchsorted(spamc, side="right") - 1
    counts = np.bincount(line_of, minlength=len(starts))
    edits = []
    verdict: dict[str, bool] = {}  # a line printed several times is checked once
    for li in (counts >= 3).nonzero()[0].tolist():
        s, e = int(starts[li]), int(ends[li])
        line = text[s:e]
        spam = verdict.get(line)
        if spam is None:
            spam = verdict[line] = _is_link_farm(line)
        if spam:
            edits.append(_drop_line(text, s, e, "link_farm"))
    return edits


def _is_link_farm(line: str) -> bool:
    """Whether a line (holding at least three characters typical of spam keywords) is a link farm."""
    hits = len(_SPAM_TERMS.findall(line))
    if hits < 2:
        return False
    items = [it for it in _SPAM_SPLIT.split(line) if it]
    spam_items = sum(1 for it in items if _SPAM_TERMS.search(it))
    return (len(items) >= 4 and spam_items * 2 >= len(items) and len(line) / max(1, len(items)) < 25) or \
        (hits >= 8 and len(line) / hits < 20)


# ---------------------------------------------------------------------------------------------
# steps: chrome and notice (line rules)
@dataclass(frozen=True)
class LineRule:
    """A rule that drops whole lines.

    ``triggers`` are literal strings one of which occurs in every line the rule can drop (they let
    one fast scan find the few candidate lines); ``check`` is then searched in the stripped line,
    which must be at most ``max_len`` characters long and, with ``no_terminal``, hold no 。.
    """

    step: str
    rule: str
    triggers: tuple[str, ...]
    check: re.Pattern
    max_len: int
    no_terminal: bool = False
    cond: Callable[[str], bool] | None = None

    def matches(self, line: str) -> bool:
        if len(line) > self.max_len or (self.no_terminal and "。" in line):
            return False
        return self.check.search(line) is not None and (self.cond is None or self.cond(line))


_SP = f"[{_SPACE}]"
_BULLET = "•·●◆■□▪▶►◇○◎★☆>\\-*"
_ARROW = r"(?:>|»|›|＞|&gt;|/|\||-{1,2}>)"
NAVIGATION = LineRule(
    "chrome", "navigation", ("位置", "所在", "首页", "主页"),
    re.compile(rf"^(?:(?:当前|您的|您现在的|你的|现在的)?(?:位置|所在位置|所在){_SP}*[:：]|"
               rf"(?:首页|主页|网站首页|返回首页){_SP}*{_ARROW}|"
               rf"(?:首页|网站首页)(?:[{_SPACE}|｜]+[^\s|｜]{{1,8}}){{3,}}$)"),
    160, no_terminal=True)
APP_PROMPT = LineRule(
    "chrome", "app_prompt", ("桌面", "手机版", "APP", "App", "app", "客户端", "扫码"),
    re.compile(r"(?:添加|收藏|加入).{0,15}到(?:电脑)?桌面|安装后(?:可以)?在桌面|桌面快捷|^电脑桌面$|手机版|"
               r"(?:下载|安装)\s*APP|APP\s*下载|客户端下载|扫码(?:下载|关注|阅读)", re.I),
    40, no_terminal=True)
WELCOME = LineRule(
    "chrome", "site_header", ("欢迎",),
    re.compile(r"^欢迎(?:您)?(?:来到|访问|光临|登录|进入)"), 40, no_terminal=True)
_META_LABELS = (
    "发布时间 发布日期 发表时间 发文时间 更新时间 发稿时间 时间 日期 来源 信息来源 文章来源 稿件来源 稿源 作者 编辑 责任编辑 网络编辑 "
    "编审 审核 审校 校对 浏览次数 浏览量 浏览 点击数 点击量 点击 阅读次数 阅读量 阅读数 访问量 字号 字数 版次 版面 期次 供稿 撰稿 "
    "摄影 通讯员 记者 作者单位 发布者 发布人 发布机构 所属栏目 栏目").split()
PAGE_META = LineRule(
    "chrome", "page_meta", tuple(_META_LABELS),
    re.compile(rf"(?:^|[{_SPACE}【】\[\]|｜])(?:{'|'.join(sorted(_META_LABELS, key=len, reverse=True))}){_SP}*[:：]"),
    120, no_terminal=True, cond=lambda ln: len(re.sub(r"[\s\d:：\-/.]", "", ln)) <= 90)
DATESTAMP = LineRule(
    "chrome", "page_meta", (),
    re.compile(r"^(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{4}年\d{1,2}月)(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*"
               r"(?:星期[一二三四五六日天])?[^\n，。,;；:：!！?？]{0,12}$"),
    40)
_TOOL_WORDS = (
    r"打印(?:本页|此文|文章|本文)?|关闭(?:窗口|本页)?|收藏(?:本页|本文)?|加入收藏|设为首页|返回(?:顶部|首页|列表|上一页)?|"
    r"回到顶部|TOP|top|分享(?:到|至)?[^\n。【】\[\]]{0,30}|一键分享|扫一扫[^\n。]{0,20}|(?:微信)?扫码[^\n。]{0,20}|"
    r"上一篇[^\n]{0,60}|下一篇[^\n]{0,60}|相关(?:新闻|文章|阅读|推荐|链接|资讯)|热门(?:文章|推荐|标签|资讯)|推荐阅读|"
    r"猜你喜欢|点赞|评论|我要评论|发表评论|举报|违规举报|纠错|我要纠错|字号[^\n。【】]{0,10}|放大|缩小|默认|"
    r"[大中小](?:[ \t|｜]*[大中小]){1,2}")
_TOOL = rf"[【\[]?(?:{_TOOL_WORDS})[】\]]?"
PAGE_TOOLS = LineRule(
    "chrome", "page_tools",
    ("打印", "关闭", "收藏", "设为首页", "返回", "回到顶部", "TOP", "top", "分享", "扫一扫", "扫码", "上一篇", "下一篇",
     "相关", "热门", "推荐阅读", "猜你喜欢", "点赞", "评论", "举报", "纠错", "字号", "放大", "缩小", "默认"),
    re.compile(rf"^[{_BULLET}]*{_SP}*{_TOOL}(?:[{_SPACE}|｜:：]*{_TOOL})*$"), 80, no_terminal=True)
LEGAL_FOOTER = LineRule(
    "chrome", "legal_footer",
    ("版权", "Copyright", "COPYRIGHT", "copyright", "©", "(c)", "(C)", "ICP", "公网安备", "网安备", "不承担", "免责声明",
     "违法和不良", "权利人", "未经", "有限公司", "网络技术", "信息技术", "信息中心", "主办", "承办", "协办", "技术支持",
     "本站", "本网", "浏览器", "分辨率", "网站地图", "网站声明", "网站纠错", "隐私"),
    re.compile(r"版权所有|版权归.{0,12}所有|Copyright|©|\(c\)\s*\d{4}|ICP[备证]|ICP\s*\d|公网安备|网安备|"
               r"不承担任何.{0,4}责任|免责声明|违法和不良信息|无法联系到?权利人|未经.{0,10}(?:许可|授权).{0,10}(?:转载|复制|使用)|"
               r"(?:有限公司|网络技术|信息技术|信息中心).{0,12}(?:主办|承办|运营|维护|技术支持|提供技术)|"
               r"(?:主办|承办|协办)(?:单位)?\s*(?:[:：]|-{2,}|—{1,2})|技术支持\s*[:：]|"
               r"本(?:站|网)(?:部分|所有)?.{0,12}(?:转载|信息由|内容由|文章.{0,6}来源)|"
               r"建议(?:使用|采用).{0,20}(?:浏览器|分辨率)|网站(?:地图|声明|纠错)|隐私(?:政策|声明)", re.I),
    300)
CONTACT = LineRule(
    "chrome", "contact",
    ("电话", "热线", "手机", "传真", "邮编", "邮政编码", "地址", "QQ", "qq", "邮箱", "mail", "Mail", "MAIL", "微信"),
    re.compile(r"(?:电话|热线|手机)\s*(?:号码)?\s*[:：]|传真\s*[:：]|邮编\s*[:：]|邮政编码\s*[:：]|地址\s*[:：]|"
               r"QQ(?:群)?\s*[:：]|邮箱\s*[:：]|E-?mail\s*[:：]|微信(?:公众)?号\s*[:：]", re.I),
    160, cond=lambda ln: len(ln) <= 60 or "。" not in ln)
PHONE_ONLY = LineRule(
    "chrome", "contact", (),
    re.compile(r"^(?:\(?0\d{2,3}\)?[- ]?)?\d{7,8}(?:\s*[,，/、]\s*\d{7,8})*$|^1[3-9]\d{9}$"), 60)
SOURCE_LINK = LineRule(
    "chrome", "source_link", ("链接", "地址", "网址", "转载自", "出处", "http", "HTTP", "www."),
    re.compile(r"^(?:原文链接|原文地址|本文链接|文章链接|来源网址|网址|链接|转载自|原文出处|本文地址|文章地址)\s*[:：]|"
               r"^(?:https?://|www\.)\S*$", re.I),
    300, no_terminal=True)
UPLOADER_PROFILE = LineRule(
    "chrome", "uploader_profile",
    ("实名认证", "内容提供", "贡献者", "上传", "很懒", "简介", "确认删除", "客服", "碎片内容", "下载", "VIP", "vip", "会员",
     "阅读已结束", "阅读全文", "查看更多", "加载中", "关注", "粉丝", "文档页数", "积分", "阅读", "浏览", "相关文档", "相似文档",
     "推荐文档", "文档分类"),
    re.compile(rf"^[{_BULLET}]*{_SP}*(?:已?实名认证|内容提供者|内容提供方|文档贡献者|贡献者|上传者|上传时间[^\n]{{0,30}}|"
               r"上传于[^\n]{0,30}|(?:该|这位|这个|此)?用户很懒[^\n]{0,30}|(?:暂无|没有)(?:个人)?简介|确认删除[?？]?|添加客服|联系客服|在线客服|碎片内容|下载文档|立即下载|"
               r"(?:开通|购买)(?:VIP|会员)[^\n]{0,20}|VIP专享[^\n]{0,20}|阅读已结束[^\n]{0,30}|展开阅读全文|点击阅读全文|"
               r"阅读全文|查看更多|加载中[^\n]{0,10}|[^\s，。]{1,16}\+?\s*关注|\+?\s*关注(?:\s*[^\s，。]{1,16})?|粉丝[^\n]{0,10}|"
               r"文档页数[^\n]{0,20}|下载积分[^\n]{0,20}|\d+\s*(?:次下载|次阅读|人已下载|积分|次浏览)|"
               r"相关文档|相似文档|推荐文档|文档分类[^\n]{0,30})$", re.I),
    40, no_terminal=True)
PAYWALL_NOTICE = LineRule(
    "notice", "paywall_notice",
    ("付费", "免费阅读", "全部内容", "全文内容", "剩余", "VIP", "vip", "会员", "登录后", "继续阅读", "试读", "预览", "本文",
     "全文", "此文档"),
    re.compile(r"付费(?:下载|阅读|查看|后)|免费阅读.{0,20}全部内容|以下是.{0,10}(?:全部|全文)内容|该文章免费阅读|"
               r"剩余.{0,12}(?:未读|页未读)|(?:开通|购买|成为)(?:VIP|会员).{0,20}(?:阅读|下载|查看|免费)|"
               r"登录后(?:查看|阅读|下载|可)|继续阅读(?:请|需)|试读(?:已)?结束|本文(?:档)?(?:仅)?(?:提供|支持)部分(?:内容)?(?:预览|试读)|"
               r"(?:下载|阅读)(?:本文|全文|此文档).{0,10}(?:需要|请先)", re.I),
    200)
TERMS_NOTICE = LineRule(
    "notice", "terms_notice",
    ("使用权", "版权", "商业用途", "合作方", "网友", "不对文档", "侵犯", "违规", "仅供", "侵权", "如文档", "如本文"),
    re.compile(r"只拥有了?使用权限|不意味着购买了?版权|不得用于(?:其他)?商业用途|(?:合作方|网友)上传|"
               r"不对文档的.{0,20}(?:保证|承诺)|侵犯(?:商业秘密|著作权|知识产权)|违规举报|仅供(?:研究|学习)?参考.{0,10}(?:付费|下载)前|"
               r"(?:版权|侵权)(?:申诉|投诉)|如(?:文档|本文).{0,8}(?:存在|涉及)(?:违规|侵权)", re.I),
    300)

#: Line rules in the order they are tried on a candidate line (the first that matches names the drop).
LINE_RULES: tuple[LineRule, ...] = (
    NAVIGATION, APP_PROMPT, WELCOME, PAGE_META, DATESTAMP, PAGE_TOOLS, LEGAL_FOOTER, CONTACT, PHONE_ONLY,
    SOURCE_LINK, UPLOADER_PROFILE, PAYWALL_NOTICE, TERMS_NOTICE)
_MAX_LINE = max(r.max_len for r in LINE_RULES)
# lines that start with a digit or bracket: candidates for the rules without literal triggers
_DIGIT_LINE = re.compile(rf"[{_SPACE}]*[\d(（]")


def _trigger_words(pattern: re.Pattern) -> tuple[str, ...]:
    return _TRIGGER_WORDS[pattern.pattern]


_TRIGGER_WORDS: dict[str, tuple[str, ...]] = {}


def _trigger_pattern(rules) -> re.Pattern:
    words = sorted({t for r in rules for t in r.triggers}, key=len, reverse=True)
    pattern = "|".join(map(re.escape, words))
    _TRIGGER_WORDS[pattern] = tuple(words)
    return re.compile(pattern)




_HASH_BITS = 20


@functools.lru_cache(maxsize=64)
def _bigram_index(words: tuple[str, ...]):
    """For a trigger list: a hashed table of the first two characters of every trigger (one-character
    triggers in a character table), and a map from first two characters to the triggers."""
    table = np.zeros(1 << _HASH_BITS, dtype=bool)
    singles = np.zeros(0x10000, dtype=bool)
    by_pair: dict[str, list[str]] = {}
    for w in words:
        if len(w) == 1:
            singles[min(ord(w), 0xFFFF)] = True
            by_pair.setdefault(w, []).append(w)
        else:
            table[((ord(w[0]) * 65599) ^ ord(w[1])) & ((1 << _HASH_BITS) - 1)] = True
            by_pair.setdefault(w[:2], []).append(w)
    for k in by_pair:
        by_pair[k].sort(key=len, reverse=True)
    return table, singles, by_pair


def _find_triggers(text: str, words: tuple[str, ...], codes: np.ndarray | None = None) -> list[tuple[int, str]]:
    """Positions and words of all (non-overlapping, leftmost-longest) trigger occurrences, found with
    a bigram filter (one pass of a compiled kernel) and checked exactly."""
    if not text:
        return []
    table, singles, by_pair = _bigram_index(words)
    tried = _bigram_words(words)
    if codes is None:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    codes = codes.astype(np.uint32, copy=False)
    cand = np.empty(len(codes), dtype=np.int64)
    cand = cand[:_kernels().bigram_hits(codes, table, singles, cand)]  # (one pass of a compiled kernel)
    out = []
    last = -1
    startswith = text.startswith
    get = tried.get
    for p in cand.tolist():
        if p < last:
            continue
        key = text[p:p + 2]
        ws = get(key)
        if ws is None:  # the triggers starting with these two characters, longest first, then one-character ones
            if len(tried) > 100_000:
                tried.clear()
            ws = tried[key] = tuple(by_pair.get(key, []) + by_pair.get(key[:1], []))
        for w in ws:
            if startswith(w, p):
                out.append((p, w))
                last = p + len(w)
                break
    return out


@functools.lru_cache(maxsize=64)
def _bigram_words(words: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """A cache (filled by :func:`_find_triggers`) of the triggers to try at a position, by its first
    two characters."""
    return {}


def _candidate_lines(text: str, trigger: re.Pattern | None, trigger_prose: re.Pattern | None, digits: bool,
                     max_len: int, td: TrackedText) -> list[tuple[int, int, list[str]]]:
    """Lines no longer than ``max_len`` (plus indentation) that hold a trigger, or start with a digit
    or bracket when ``digits``: ``(start, end, triggers found)``, each short line scanned on its own
    (for texts of mostly long lines; :func:`_apply_line_rules` scans texts of mostly short lines
    whole). Prose lines are scanned only for the few rules that can drop them."""
    starts, ends = _line_starts_ends(td)
    short = (((ends - starts) <= max_len + 40) & (ends > starts)).nonzero()[0]
    out = []
    find = text.find
    digit = _DIGIT_LINE.match
    for s, e in zip(starts[short].tolist(), ends[short].tolist()):
        if e - s > 40 and find("。", s, e) >= 0:
            found = trigger_prose.findall(text, s, e) if trigger_prose is not None else []
        else:
            found = trigger.findall(text, s, e) if trigger is not None else []
        if found or (digits and digit(text, s, e)):
            out.append((s, e, found))
    return out


@functools.lru_cache(maxsize=64)
def _rule_index(rules: tuple[LineRule, ...]):
    """The trigger patterns of ``rules`` (for all lines, and for prose lines: over 40 characters and
    holding 。, where only the rules without ``no_terminal`` can apply), a map trigger -> positions
    of the rules it triggers, and the positions of the rules without triggers (tried on lines
    starting with a digit or bracket)."""
    trigger = _trigger_pattern(rules) if any(r.triggers for r in rules) else None
    prose_rules = [r for r in rules if not r.no_terminal and r.max_len > 40 and r.triggers]
    trigger_prose = _trigger_pattern(prose_rules) if prose_rules else None
    by_word: dict[str, list[int]] = {}
    for i, r in enumerate(rules):
        for t in r.triggers:
            by_word.setdefault(t, []).append(i)
    untriggered = tuple(i for i, r in enumerate(rules) if not r.triggers)
    return trigger, trigger_prose, by_word, untriggered


def apply_line_rules(text: str, rules: tuple[LineRule, ...] = LINE_RULES, protect: str = "",
                     td: TrackedText | None = None) -> list[Edit]:
    """Drop the lines matched by ``rules`` (tried in order; the first that matches names the drop).
    Only lines holding one of a rule's triggers are checked against it. A line equal to ``protect``
    (the title) is never dropped. A line printed several times (a page header or footer repeated,
    a section printed twice) is checked once."""
    edits = _apply_line_rules(text, rules, protect, td)
    if isinstance(edits, Removals):
        return list(zip(edits.starts.tolist(), edits.ends.tolist(), repeat(""), edits.rules))
    return edits


def _apply_line_rules(text: str, rules: tuple[LineRule, ...], protect: str, td: TrackedText | None):
    """:func:`apply_line_rules`, giving many line drops as :class:`Removals` (which
    ``TrackedText.apply`` treats as it treats more than 16 removals given one by one)."""
    rules = rules if type(rules) is tuple else tuple(rules)
    index = _rule_index_of(rules)
    trigger, trigger_prose, by_word, untriggered, max_len = index
    if td is None or td.flags is None:
        td = TrackedText(text, char_flags)
    starts, ends = _line_starts_ends(td)
    is_short = ((ends - starts) <= max_len + 40) & (ends > starts)
    short = is_short.nonzero()[0]
    n = len(text)
    if trigger is None or int((ends[short] - starts[short]).sum()) <= 0.05 * n:
        candidates = _candidate_lines(text, trigger, trigger_prose, bool(untriggered), max_len, td)
        return [edit for s, e, found in candidates
                if (edit := _line_rule_edit(text, s, e, found, rules, protect, index, n)) is not None]
    # mostly short lines: every distinct short line is scanned for triggers and checked once
    line_s, line_e = starts[short], ends[short]
    lines = list(compress(text.split("\n"), is_short.tolist()))
    distinct = list(dict.fromkeys(lines))
    number = {line: i for i, line in enumerate(distinct)}
    which = np.fromiter(map(number.__getitem__, lines), np.int64, len(lines))
    hits: dict[int, list[str]] = {}
    found_pos = _find_triggers("\n".join(distinct), _trigger_words(trigger))
    if found_pos:
        lens = np.fromiter(map(len, distinct), np.int64, len(distinct)) + 1
        at = np.fromiter((h[0] for h in found_pos), np.int64, len(found_pos))
        for u, (_, w) in zip(((lens.cumsum() - lens).searchsorted(at, side="right") - 1).tolist(), found_pos):
            if u in hits:
                hits[u].append(w)
            else:
                hits[u] = [w]
    rule_of = [None] * len(distinct)
    digit = _DIGIT_LINE.match if untriggered else None
    prose_words = None
    for u, raw in enumerate(distinct):
        found = hits.get(u)
        if found is None:
            if digit is None or not digit(raw):
                continue
            found = []
        elif len(raw) > 40 and "。" in raw:
            if prose_words is None:
                prose_words = set(trigger_prose.pattern.split("|")) if trigger_prose is not None else set()
            found = [w for w in found if re.escape(w) in prose_words]
            if not found and (digit is None or not digit(raw)):
                continue
        rule_of[u] = _line_rule(raw, found, rules, protect, index)
    dropped = np.array([r is not None for r in rule_of], dtype=bool)
    if not dropped.any():
        return []
    rule_names = np.array(rule_of, dtype=object)
    k = dropped[which].nonzero()[0]
    S, E = line_s[k], line_e[k]
    E = np.where(E < n, E + 1, E)
    if len(k) > 16:
        return Removals(S, E, rule_names[which[k]].tolist())
    return list(zip(S.tolist(), E.tolist(), repeat(""), rule_names[which[k]].tolist()))


def _line_rule(raw: str, found: list[str], rules: tuple[LineRule, ...], protect: str, index):
    """The rule (of ``rules``, tried in order) that drops the line ``raw`` holding the triggers
    ``found``, or None (``index``: :func:`_rule_index_of` of ``rules``)."""
    trigger, trigger_prose, by_word, untriggered, max_len = index
    line = raw.strip(_SPACE_CHARS)
    if not line or line == protect or len(line) > max_len:
        return None
    tries_for = _rule_tries(rules)
    key = (tuple(found), bool(untriggered) and (line[0].isdigit() or line[0] in "(（"))
    tries = tries_for.get(key)
    if tries is None:  # the rules to try, in order: those of the triggers found (and digit-line rules)
        idx: set[int] = set()
        for w in found:
            idx.update(by_word[w])
        if key[1]:
            idx.update(untriggered)
        if len(tries_for) > 10_000:
            tries_for.clear()
        tries = tries_for[key] = tuple((rules[i].max_len, rules[i].no_terminal, rules[i].check.search,
                                        rules[i].cond, rules[i].rule) for i in sorted(idx))
    n_line = len(line)
    for r_max, r_no_terminal, search, cond, rule in tries:  # LineRule.matches, inlined
        if n_line > r_max or (r_no_terminal and "。" in line):
            continue
        if search(line) is not None and (cond is None or cond(line)):
            return rule
    return None


def _line_rule_edit(text: str, s: int, e: int, found: list[str], rules, protect: str, index, n: int):
    """The edit dropping line ``[s, e)`` (with its line break) when a rule matches it, or None."""
    rule = _line_rule(text[s:e], found, rules, protect, index)
    if rule is None:
        return None
    return (s, e + 1, "", rule) if e < n and text[e] == "\n" else (s, e, "", rule)


def _rule_tries(rules: tuple[LineRule, ...]) -> dict:
    """A cache (filled by :func:`apply_line_rules`) of the rules to try for a set of triggers found."""
    return _rule_index_of(rules, tries=True)


_RULE_CACHE: dict[int, tuple] = {}  # id of a rules tuple -> (the tuple, its index, its tries cache)


def _rule_index_of(rules: tuple[LineRule, ...], tries: bool = False):
    """:func:`_rule_index` of ``rules`` and their longest ``max_len``, looked up by the identity of
    the tuple (hashing the rules, with their compiled patterns, costs more than using them)."""
    hit = _RULE_CACHE.get(id(rules))
    if hit is None or hit[0] is not rules:
        if len(_RULE_CACHE) > 64:
            _RULE_CACHE.clear()
        hit = _RULE_CACHE[id(rules)] = (rules, _rule_index(rules) + (max(r.max_len for r in rules),), {})
    return hit[2] if tries else hit[1]


def remove_chrome_and_notices(text: str, ctx: _Ctx) -> list[Edit]:
    """All line rules of the ``chrome`` and ``notice`` steps in one scan (see :data:`LINE_RULES`)."""
    return _apply_line_rules(text, LINE_RULES, ctx.title, ctx.td)


def remove_navigation(text: str, ctx: _Ctx) -> list[Edit]:
    """Drop breadcrumb lines (当前位置：首页 > 栏目 > 正文) and menu bars that start with 首页."""
    return apply_line_rules(text, (NAVIGATION,), ctx.title, ctx.td)


def remove_app_prompts(text: str, ctx: _Ctx) -> list[Edit]:
    """Drop add-to-desktop, mobile-version and app-download prompts."""
    return apply_line_rules(text, (APP_PROMPT,), ctx.title, ctx.td)


def remove_page_meta(text: str, ctx: _Ctx) -> list[Edit]:
    """Drop page metadata lines: 发布时间/来源/作者/浏览次数/责任编辑/字数/版次 ..., and bare date or
    date-time stamps (optionally followed by a name)."""
    return apply_line_rules(text, (PAGE_META, DATESTAMP), ctx.title, ctx.td)


def remove_page_tools(text: str, ctx: _Ctx) -> list[Edit]:
    """Drop lines that are only page tools: 打印 / 关闭 / 收藏 / 分享 / 返回顶部 / 上一篇 / 举报 ..."""
    return apply_line_rules(text, (PAGE_TOOLS,), ctx.title, ctx.td)


def remove_legal_footer(text: str, ctx: _Ctx) -> list[Edit]:
    """Drop copyright, ICP licence and 公网安备 lines, disclaimers, sponsor/host and technical-support
    lines of a site footer."""
    return apply_line_rules(text, (LEGAL_FOOTER,), ctx.title, ctx.td)


def remove_contact_lines(text: str, ctx: _Ctx) -> list[Edit]:
    """Drop telephone, hotline, fax, postcode, address, QQ, e-mail and WeChat lines, and lines that
    are only a phone number."""
    return apply_line_rules(text, (CONTACT, PHONE_ONLY), ctx.title, ctx.td)


def remove_source_links(text: str, ctx: _Ctx) -> list[Edit]:
    """Drop 原文链接/本文地址 lines and lines that are only a URL."""
    return apply_line_rules(text, (SOURCE_LINK,), ctx.title, ctx.td)


def remove_uploader_profile(text: str, ctx: _Ctx) -> list[Edit]:
    """Drop document-sharing site furniture: the uploader card (关注, 实名认证, 内容提供者, 该用户很懒…),
    download and VIP buttons, customer-service links."""
    return apply_line_rules(text, (UPLOADER_PROFILE,), ctx.title, ctx.td)


def remove_paywall_notice(text: str, ctx: _Ctx) -> list[Edit]:
    """Drop paywall lines (付费下载, 免费阅读…全部内容, VIP, 登录后查看 ...)."""
    return apply_line_rules(text, (PAYWALL_NOTICE,), ctx.title, ctx.td)


def remove_terms_notice(text: str, ctx: _Ctx) -> list[Edit]:
    """Drop a sharing site's terms of use (使用权限, 不得用于商业用途, 网友上传, 侵犯著作权 ...)."""
    return apply_line_rules(text, (TERMS_NOTICE,), ctx.title, ctx.td)


def remove_site_header(text: str, ctx: _Ctx) -> list[Edit]:
    """Drop a short site-name line just above a welcome (欢迎来到…), breadcrumb or app-prompt line
    among the first five lines of the page (the welcome line itself is a line rule)."""
    lines = []  # the first six non-blank lines (stripped) of the first 3000 characters
    start = 0
    for ln in text[:3000].split("\n"):
        stripped = ln.strip(_SPACE_CHARS)
        if stripped:
            lines.append((start, start + len(ln), stripped))
            if len(lines) == 6:
                break
        start += len(ln) + 1
    if len(lines) < 2:
        return []
    header = [any(r.matches(ln) for r in (WELCOME, NAVIGATION, APP_PROMPT)) for _, _, ln in lines]
    edits = []
    for i in range(min(5, len(lines) - 1)):
        s, e, ln = lines[i]
        if not header[i] and header[i + 1]:
            if len(ln) <= 16 and not _CLAUSE_MARK.search(ln) and ln != ctx.title:
                edits.append(_drop_line(text, s, e, "site_header"))
    return edits


_CLAUSE_MARK = re.compile(r"[，。；：！？,;:!?]")


# ---------------------------------------------------------------------------------------------
# step: placeholder
_TAB_Q = re.compile(r"(?<=[A-Za-z0-9\]】])\?(?:[ \t]*\?)*(?=[ \t]*[\[【]|[ \t]*$)", re.M)


def replace_tab_placeholders(text: str, ctx: _Ctx) -> list[Edit]:
    """``?`` runs standing for lost tabs between bibliographic fields (``[中图分类号]D630? ? ?[文献标识码]``)
    become a space. Only ``?`` after a Latin letter, digit or closing bracket and before an opening
    bracket or the end of the line are touched, in lines holding Chinese text."""
    if "?" not in text:
        return []
    edits = []
    match = _TAB_Q.match
    han = _HAN_RE.search
    find = text.find
    pos = 0
    p = find("?")
    while p >= 0:  # a match starts with a "?": try the pattern at each one (as finditer would)
        if p >= pos:
            m = match(text, p)
            if m is not None:
                s, e = _line_bounds(text, p)
                if han(text, s, e):
                    edits.append((p, m.end(), " ", "tab_placeholder"))
                pos = m.end()
        p = find("?", p + 1)
    return edits


_HAN_RE = re.compile(f"[{HAN}]")


# ---------------------------------------------------------------------------------------------
# step: script (one-for-one)
@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=1)
def _traditional_chars() -> re.Pattern:
    """A character class of the Han characters that OpenCC t2s changes (traditional-only forms)."""
    conv = _t2s()
    chars = [chr(c) for c in range(0x4E00, 0xA000)] + [chr(c) for c in range(0x3400, 0x4DC0)]
    src = "".join(chars)
    out = conv.convert(src)
    if len(out) != len(src):  # pragma: no cover - t2s is one-for-one on single characters
        out = "".join(conv.convert(c)[:1] or c for c in chars)
    trad = "".join(a for a, b in zip(src, out) if a != b)
    return re.compile("[" + trad + "]")  # Han characters only: nothing to escape


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
    trad = _traditional_chars()
    m = trad.search(sample)
    if m is None:
        return "simplified"
    n_trad = len(trad.findall(sample, m.start()))
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
    if not _present(td) & F_TRAD:
        if ctx.detected_script is None:
            ctx.detected_script = "simplified"  # (no traditional form at all)
        return 0
    if ctx.detected_script is None:
        ctx.detected_script = _detect_script_flags(td)
    trad = np.zeros(len(text) + 1, dtype=bool)
    np.not_equal(td.flags & F_TRAD, 0, out=trad[:-1])
    if not trad.any():
        return 0
    conv = _t2s()
    starts, ends = _line_starts_ends(td)
    li = (np.add.reduceat(trad, starts)).nonzero()[0]  # the lines holding traditional forms
    line_s, line_e = starts[li].tolist(), ends[li].tolist()
    lines = list(map(text.__getitem__, map(slice, line_s, line_e)))
    distinct = list(dict.fromkeys(lines))  # a line printed several times is converted once
    converted = None
    codes = td.codes
    # t2s never joins or splits lines (no dictionary key holds a line break), so the lines are
    # converted in one call, unless the text holds a NUL or an ideographic description operator
    # (U+2FF0-U+2FFF, U+31EF), whose sequence OpenCC reads across a line break.
    if not ((codes == 0) | ((codes >= 0x2FF0) & (codes <= 0x2FFF)) | (codes == 0x31EF)).any():
        try:
            converted = conv.convert("\n".join(distinct)).split("\n")
        except UnicodeEncodeError:  # converted line by line below, raising for the first bad line
            converted = None
        if converted is not None and len(converted) != len(distinct):  # pragma: no cover - defensive
            converted = None
    if converted is None:
        converted = [conv.convert(line) for line in distinct]
    as_converted = dict(zip(distinct, converted))
    parts = []
    long_edits = []
    prev = 0
    for a, b, line in zip(line_s, line_e, lines):
        c = as_converted[line]
        if len(c) != len(line):
            long_edits.append(Edit(a, b, c, "t2s_phrase"))
            continue
        parts.append(text[prev:a])
        parts.append(c)
        prev = b
    parts.append(text[prev:])
    n = td.substitute("".join(parts))
    if long_edits:
        n += td.apply("script", long_edits)
    if n:
        ctx.converted = True
        ctx.t2s_chars += n
    return n


def _detect_script_flags(td: TrackedText) -> str:
    """:func:`detect_script` of ``td.text``, counted from its character flags."""
    n = len(td.text)
    regions = [(0, n)] if n <= 400_000 else [(0, 200_000), (n - 200_000, n)]
    n_trad = sum(int(np.count_nonzero(td.flags[a:b] & F_TRAD)) for a, b in regions)
    if n_trad < 3:
        return "simplified"
    n_wide = sum(b - a - int(np.count_nonzero(td.codes[a:b] < 128)) for a, b in regions)
    return "traditional" if n_trad >= 0.1 * n_wide else "simplified"


# ---------------------------------------------------------------------------------------------
# step: width (one-for-one)
_HW_TO_FW = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_AFTER_ONLY = frozenset(":!?)")  # these change only when they follow Chinese text
_AFTER_OK = np.array([chr(c) not in _AFTER_ONLY for c in range(128)], dtype=bool)  # by ASCII code
_FULL_WIDTH = np.array([ord(_HW_TO_FW.get(chr(c), chr(c))) for c in range(128)], dtype=np.uint32)


def normalise_width(td: TrackedText, ctx: _Ctx) -> int:
    """ASCII ``, ; : ! ? ( )`` written next to Chinese text become the Chinese full-width forms
    (GB/T 15834 style; full-width digits and letters were made ASCII by :func:`normalise_characters`). ``:`` ``!`` ``?`` and ``)``
    change when they follow Chinese text; ``,`` ``;`` and ``(`` also when Chinese text follows them.
    Numbers are unchanged (``2,058`` and ``23:22`` stay).

    Examples
    --------
    >>> clean_text("建成２个站,覆盖率100%(含园区);时间23:22,共2,058字").text
    '建成2个站，覆盖率100%（含园区）；时间23:22，共2,058字\\n'
    """
    total = 0
    for _ in range(6):  # a converted bracket can put the next mark in Chinese context
        if not _present(td) & F_PUNCT:
            break
        flags = td.flags
        pos = ((flags & F_PUNCT) != 0).nonzero()[0]
        if not len(pos):
            break
        n = len(flags)
        before = np.zeros(len(pos), dtype=bool)
        ok = pos > 0
        before[ok] = (flags[pos[ok] - 1] & F_CTX) != 0
        after = np.zeros(len(pos), dtype=bool)
        ok = pos + 1 < n
        after[ok] = (flags[pos[ok] + 1] & F_CTX) != 0
        marks = td.codes[pos]  # all ASCII
        conv = before | (after & _AFTER_OK.take(marks))
        if not conv.any():
            break
        codes = td.codes.copy()
        at = pos[conv]
        codes[at] = _FULL_WIDTH.take(marks[conv])
        total += td.substitute_codes(codes)
    ctx.width_chars += total
    return total


# ---------------------------------------------------------------------------------------------
# step: whitespace


def normalise_whitespace(text: str, ctx: _Ctx) -> list[Edit]:
    """Three whitespace rules in one scan.

    ``indent``: spaces (including U+3000 ideographic spaces and tabs) at the start and end of a line
    are removed. ``soft_space``: inside a line of prose (at least 20 characters, holding ，。；：、) a
    run of spaces between two Chinese characters or marks is removed: a left-over of a line break in
    the printed page (包抓 督导 → 包抓督导). ``space``: any other run becomes one ASCII space, so
    headline spaces (搭建委员履职平台 打通基层协商) and spaces in numbers (1 868) stay.

    Examples
    --------
    >>> clean_text("\\u3000\\u3000建立领导包抓 督导机制，省政协主 席会议成员分片联系。  ").text
    '建立领导包抓督导机制，省政协主席会议成员分片联系。\\n'
    """
    if not _present(ctx.td) & F_SPACE:
        return []
    flags = ctx.td.flags
    sp = (flags & F_SPACE) != 0
    ext = np.zeros(len(sp) + 2, dtype=bool)  # runs of spaces: where the mask switches on and off
    ext[1:-1] = sp
    S = (ext[1:] & ~ext[:-1]).nonzero()[0]
    E = (ext[:-1] & ~ext[1:]).nonzero()[0]
    n = len(text)
    codes = ctx.td.codes
    # indent: a run at the start or end of a line
    indent = (S == 0) | (E >= n)
    indent |= codes[np.maximum(S - 1, 0)] == 10
    indent |= codes[np.minimum(E, n - 1)] == 10
    rule = np.where(indent, 0, 2)  # 0 indent, 1 soft_space, 2 space
    # soft_space: a run between Chinese characters or marks inside a line of prose
    inner = (~indent).nonzero()[0]
    if len(inner):
        Si, Ei = S[inner], E[inner]
        cand = inner[((flags[Si - 1] & F_CTX) != 0) & ((flags[Ei] & F_CTX) != 0)]
        if len(cand):
            starts, ends = _line_starts_ends(ctx.td)
            line = starts.searchsorted(S[cand], side="right") - 1
            prose_mark = ((codes == 0xFF0C) | (codes == 0x3002) | (codes == 0xFF1B)).nonzero()[0]  # ，。；
            has_mark = np.zeros(len(starts), dtype=bool)
            has_mark[starts.searchsorted(prose_mark, side="right") - 1] = True
            prose = has_mark[line] & (ends[line] - starts[line] >= 20)
            rule[cand[prose]] = 1
    # space: any other run becomes one ASCII space (a run of ASCII spaces keeps its first)
    other = rule == 2
    ascii_run = codes[S] == 32
    replace = other & ~ascii_run
    remove = ~other | (ascii_run & (E - S > 1))
    RS = np.where(other, S + 1, S)[remove]
    RE = E[remove]
    rules = [_SPACE_RULES[r] for r in rule[remove].tolist()]
    if not replace.any():
        return Removals(RS, RE, rules)
    n_rep = int(np.count_nonzero(replace))
    starts = np.concatenate((S[replace], RS))
    order = starts.argsort(kind="stable")  # (no two runs start at one position)
    o = order.tolist()
    repls = [" "] * n_rep + [""] * len(rules)
    rules = ["space"] * n_rep + rules
    return Replacements(starts[order], np.concatenate((E[replace], RE))[order], list(map(repls.__getitem__, o)),
                        list(map(rules.__getitem__, o)))


_SPACE_RULES = ("indent", "soft_space", "space")


# ---------------------------------------------------------------------------------------------
# step: reflow
_HEADING_START = re.compile(
    r"(?:第[一二三四五六七八九十百]+[，、,章节条部分]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|"
    r"\d+[、.．]\D|[一二三四五六七八九十]是|[①②③④⑤⑥⑦⑧⑨⑩]|摘\s*要|关键词|参考文献|\[)")


def _width(s: str) -> int:
    """Display width for wrap detection: ASCII counts 1, everything else 2 (Chinese text); spaces
    count 0 and ``, ; : ! ? ( )`` count 2, so that later whitespace and width normalisation do not
    change a line's width."""
    n_ascii = len(s.encode("ascii", "ignore"))
    w = 2 * len(s) - n_ascii - s.count(" ")
    if n_ascii:
        for c in ",;:!?()":
            w += s.count(c)
    return w


@functools.lru_cache(maxsize=1)
def _width_table() -> np.ndarray:
    """:func:`_width` of every code point, from the class flags (``"\\n"`` counts 0)."""
    flags = _flag_table()
    w = np.where(np.arange(0x110000) < 128, 1, 2).astype(np.uint8)
    w[(flags & F_SPACE) != 0] = 0
    w[(flags & F_PUNCT) != 0] = 2
    w[(flags & F_NL) != 0] = 0
    w[0xFFFF] = 2  # (U+FFFF has no flags and is not ASCII: 2, as outside the BMP)
    return w


def _line_width_array(td: TrackedText) -> np.ndarray:
    """:func:`_width` of every line (an int64 array), computed for the whole text at once."""
    starts, ends = _line_starts_ends(td)
    out = np.empty(len(starts), dtype=np.int64)
    # (one pass of a compiled kernel over the flags: the widths of _width_table, without looking up
    # a table indexed by code point; the histograms, which join_hard_wraps needs, are not wanted here)
    unused = np.zeros(1, dtype=np.int64)
    _kernels().wrap_histogram(td.codes, td.flags, starts, ends, F_NL, F_PUNCT, F_SPACE, _TERMINAL_ARRAY, out,
                              unused, unused.copy())
    return out


def _line_widths(td: TrackedText) -> list[int]:
    """:func:`_width` of every line, computed for the whole text at once."""
    return _line_width_array(td).tolist()


_TERMINAL_CODES = tuple(ord(c) for c in _TERMINAL)


def _is_terminal(codes: np.ndarray) -> np.ndarray:
    """Whether each code point is a sentence end of :data:`_TERMINAL`."""
    out = codes == _TERMINAL_CODES[0]
    for c in _TERMINAL_CODES[1:]:
        out |= codes == c
    return out


def join_hard_wraps(text: str, ctx: _Ctx) -> list[Edit]:
    """Join lines of text wrapped at a fixed width (copies of PDF or print pages), which break
    paragraphs and even words (市\\\\n县政协 → 市县政协).

    The wrap width is detected as a display width (Chinese characters count 2) shared by many
    non-blank lines: the text is treated as wrapped only when at least 5 lines and 35% of all
    non-blank lines lie within 10% below that width and most of them do not end a sentence. A line
    at least 75% of the wrap width is then joined to the next non-blank line unless it ends a
    sentence or the next line starts a heading. Blank lines always separate paragraphs."""
    td = ctx.td
    starts, ends = _line_starts_ends(td)
    if len(starts) < 5:
        return []
    codes = td.codes
    # one pass of a compiled kernel: the width of every line, and a histogram of the widths of the
    # non-blank lines up to _WRAP_TOP, in all and of those not ending a sentence
    widths = np.empty(len(starts), dtype=np.int64)
    hist = np.zeros(_WRAP_TOP + 1, dtype=np.int64)
    open_hist = np.zeros(_WRAP_TOP + 1, dtype=np.int64)
    n_nonblank = _kernels().wrap_histogram(codes, td.flags, starts, ends, F_NL, F_PUNCT, F_SPACE, _TERMINAL_ARRAY, widths,
                               hist, open_hist)
    if n_nonblank < 5:
        return []
    best = _kernels().wrap_width(hist, open_hist, n_nonblank)  # the wrap width (0: none), from the histograms
    if not best:
        return []
    # lines to join to the next: both non-blank, wide enough, not ending a sentence
    nonblank = ends > starts
    cand = nonblank[:-1] & nonblank[1:] & (widths[:-1] >= 0.75 * best)
    cand[cand] = ~_is_terminal(codes[ends[:-1][cand] - 1])
    first = cand.nonzero()[0]
    if not len(first):
        return []
    # not before a heading (checked once per distinct line)
    lines = text.split("\n")
    following = [lines[i] for i in (first + 1).tolist()]
    is_heading = {ln: _HEADING_START.match(ln) is not None for ln in set(following)}
    first = first[~np.fromiter(map(is_heading.__getitem__, following), bool, len(following))]
    # joined without a space, or with one between two ASCII letters or digits
    e = ends[first]
    alnum = _ASCII_ALNUM.take(np.minimum(codes[e - 1], 127)) & _ASCII_ALNUM.take(np.minimum(codes[starts[first + 1]], 127))
    return Replacements(e, e + 1, list(map(_BREAK_JOIN.__getitem__, alnum.tolist())), ["hard_wrap"] * len(e))


_WRAP_TOP = 256  # the widest line any band of join_hard_wraps can hold (1.06 * 241)
_TERMINAL_ARRAY = np.array(_TERMINAL_CODES, dtype=np.uint32)
_ASCII_ALNUM = np.array([chr(c).isalnum() for c in range(127)] + [False], dtype=bool)  # 127: not ASCII either
_BREAK_JOIN = ("", " ")


# ---------------------------------------------------------------------------------------------
# step: duplicates


def remove_duplicate_paragraphs(text: str, ctx: _Ctx) -> list[Edit]:
    """Drop paragraphs (lines) printed before, keeping the first copy. Paragraphs of 10 or more
    characters are dropped on their own; shorter ones (headings) only next to a dropped paragraph, so
    that a whole section printed twice goes while a repeated short line elsewhere stays. One pass,
    hashing each paragraph once (linear time)."""
    lines = text.split("\n")
    if " " not in text:  # quick exit (C speed): no line repeats
        distinct = set(lines)
        distinct.discard("")
        if len(distinct) == len(lines) - lines.count(""):
            return []
    n_lines = len(lines)
    keys = list(map(_WITHOUT_SPACES, lines)) if " " in text else lines  # spaces do not count
    key_len = np.fromiter(map(len, keys), np.int64, n_lines)
    first = dict(zip(reversed(keys), range(n_lines - 1, -1, -1)))  # where each key is seen first
    first_line = np.fromiter(map(first.__getitem__, keys), np.int64, n_lines)
    entry = (key_len > 0).nonzero()[0]  # the paragraphs
    dup = first_line[entry] != entry
    if not dup.any():
        return []
    # short duplicates next to dropped ones go too (a repeated section's headings): every run of
    # neighbouring duplicate paragraphs that holds a long one goes
    run = (~dup).cumsum()
    long_run = np.bincount(run[dup & (key_len[entry] >= 10)], minlength=int(run[-1]) + 1) > 0
    drop = entry[dup & long_run[run]]
    starts, ends = _line_starts_ends(ctx.td)
    n = len(text)
    S = starts[drop]
    E = ends[drop]
    return Removals(S, np.where(E < n, E + 1, E), "duplicate_paragraph")


_WITHOUT_SPACES = operator.methodcaller("replace", " ", "")


_ELLIPSIS_TAIL = re.compile(r"(?:\.{2,}|…+|。{0,1}\.{3,})$")


def remove_repeated_passages(text: str, ctx: _Ctx) -> list[Edit]:
    """Drop a long paragraph whose text (ignoring spaces and a trailing ellipsis) repeats the text of
    other paragraphs run together: a sharing site's preview or an abstract printed again as one long
    paragraph. The longer copy that merely repeats is dropped; the paragraphs it repeats are kept.

    Candidates are paragraphs of at least 60 characters; a candidate is checked only at the start of
    other paragraphs whose first 12 characters equal its own (a dictionary lookup), so the work is
    linear in the text length."""
    paras = []
    pos = 0
    longest = 0
    for ln in text.split("\n"):
        if ln.strip():
            paras.append((pos, pos + len(ln), ln))
            longest = max(longest, len(ln))
        pos += len(ln) + 1
    if len(paras) < 2 or longest < 60:
        return []
    flat_parts = []
    starts = []  # position of each paragraph in flat
    pos = 0
    for _, _, ln in paras:
        k = ln.replace(" ", "")
        starts.append(pos)
        flat_parts.append(k)
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
            core = _ELLIPSIS_TAIL.sub("", core)
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
            if own_start < end and st < own_end:  # the repeat must lie in other paragraphs
                continue
            if not flat.startswith(core, st):
                continue
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
    """Collapse empty lines: the clean text has one paragraph per line."""
    if "\n\n" not in text and not text.startswith("\n"):
        return []
    starts, ends = _line_starts_ends(ctx.td)
    nl = ends[:-1]  # the line breaks
    # runs of line breaks: a leading run goes whole, any other keeps its first line break
    new_run = np.ones(len(nl), dtype=bool)
    new_run[1:] = nl[1:] != nl[:-1] + 1
    first = new_run.nonzero()[0]
    run_s = nl[first]
    run_e = nl[np.concatenate((first[1:], [len(nl)])) - 1] + 1
    keep_first = run_s > 0
    S = np.where(keep_first, run_s + 1, run_s)
    sel = (run_e - S > 0) & ((run_e - run_s >= 2) | ~keep_first)
    return Removals(S[sel], run_e[sel], "blank_lines")


def final_newline(text: str, ctx: _Ctx) -> list[Edit]:
    """End a non-empty text with one line break."""
    if text and not text.endswith("\n"):
        return [Edit(len(text), len(text), "\n", "final_newline")]
    return []


# ---------------------------------------------------------------------------------------------
#: The cleaning pipeline: (step, rule function), in order. One-for-one substitutions (script, width)
#: are marked with ``None`` steps handled specially.
@dataclass(frozen=True)
class Stage:
    """One entry of the cleaning pipeline.

    ``affects`` names the stages whose result an edit of this stage can change (``"all"``, or
    ``"later"`` for every stage after it, plus any names listed); it drives the worklist in
    :func:`clean_text`, which re-runs a stage only when an affecting stage has edited the text since.
    """

    name: str
    step: str | None  # None: the rule names their own step (see RULE_STEPS)
    fn: Callable
    affects: tuple[str, ...] = ("all",)
    substitution: bool = False


# Removing whole lines (with their line break) changes no line's content and leaves no empty line:
# it can only change what depends on which lines are neighbours or first.
_REMOVALS = ("site_header", "reflow", "blank_lines", "duplicates", "passages", "blank_lines_2", "final_newline")
_LATE_REMOVALS = ("site_header", "reflow", "blank_lines_2", "final_newline")
PIPELINE: tuple[Stage, ...] = (
    Stage("normalise", "normalise", normalise_characters),
    Stage("halfwidth", "width", halfwidth_alnum, ("later",), substitution=True),
    Stage("javascript", "javascript", unwrap_document_write),
    Stage("html_blocks", "html", strip_html_blocks),
    Stage("html_text", "html", html_to_text),
    Stage("normalise_2", "normalise", normalise_characters),
    Stage("halfwidth_2", "width", halfwidth_alnum, ("later",), substitution=True),
    Stage("script", "script", convert_script, ("later",), substitution=True),
    Stage("placeholder", "placeholder", replace_tab_placeholders, ("later",)),
    Stage("width", "width", normalise_width, ("later",), substitution=True),
    Stage("whitespace", "whitespace", normalise_whitespace, ("later",)),
    Stage("reflow", "reflow", join_hard_wraps, ("placeholder", "width", "reflow", "later")),
    Stage("spam", "spam", remove_link_farm, _REMOVALS),
    Stage("site_header", "chrome", remove_site_header, _REMOVALS),
    Stage("lines", None, remove_chrome_and_notices, _REMOVALS),
    Stage("blank_lines", "layout", remove_blank_lines, ("reflow",)),
    Stage("duplicates", "duplicates", remove_duplicate_paragraphs, _LATE_REMOVALS),
    Stage("passages", "duplicates", remove_repeated_passages, _LATE_REMOVALS),
    Stage("blank_lines_2", "layout", remove_blank_lines, ("reflow",)),
    Stage("final_newline", "layout", final_newline, ()),
)
#: Glossary term (``datasets/glossary.csv``) of the kind of noise each rule removes, for bilingual
#: labels via ``govlab.label``; rules not listed are labelled by their own name.
RULE_TERMS = {
    "link_farm": "链接农场", "js_wrapper": "脚本包装", "js_unescape": "脚本包装",
    "navigation": "网页框架", "site_header": "网页框架", "page_meta": "网页框架", "page_tools": "网页框架",
    "legal_footer": "网页框架", "contact": "网页框架", "source_link": "网页框架", "app_prompt": "网页框架",
    "html_chrome": "网页框架", "html_hidden": "链接农场", "uploader_profile": "上传者信息",
    "paywall_notice": "付费提示", "terms_notice": "使用条款", "duplicate_paragraph": "重复段落",
    "repeated_passage": "重复摘要", "soft_space": "软空格", "hard_wrap": "硬换行", "t2s_phrase": "繁简转换",
}
#: The step of each line rule (the chrome and notice rules run in one stage).
RULE_STEPS = {r.rule: r.step for r in LINE_RULES}
MAX_SWEEPS = 6


def _affects_index() -> list[list[int]]:
    names = [st.name for st in PIPELINE]
    out = []
    for i, st in enumerate(PIPELINE):
        idx: set[int] = set()
        for a in st.affects:
            if a == "all":
                idx.update(range(len(PIPELINE)))
            elif a == "later":
                idx.update(range(i + 1, len(PIPELINE)))
            else:
                idx.add(names.index(a))
        out.append(sorted(idx))
    return out


_AFFECTS = _affects_index()
_AFFECTS_MASKS = [sum(1 << j for j in idx) for idx in _AFFECTS]  # the same, as bit masks


def _run(td: TrackedText, ctx: _Ctx) -> int:
    """Run the pipeline as a worklist: every stage once, then again only those that an edit made
    after their last run can affect, until none is left (at most :data:`MAX_SWEEPS` sweeps)."""
    affects = _AFFECTS_MASKS
    dirty = (1 << len(PIPELINE)) - 1
    sweeps = 0
    while dirty and sweeps < MAX_SWEEPS:
        sweeps += 1
        for i, st in enumerate(PIPELINE):
            bit = 1 << i
            if not dirty & bit:
                continue
            dirty &= ~bit
            if st.substitution:
                n = st.fn(td, ctx)
            else:
                n = td.apply(st.step if st.step is not None else RULE_STEPS, st.fn(td.text, ctx))
            if n:
                dirty |= affects[i]
    return sweeps


def log_frame(rows, doc_ids=None) -> pd.DataFrame:
    """A log DataFrame from ``(step, rule, raw_start, raw_end, replaced_by, dropped_chars)`` tuples
    (with a leading ``doc_id`` column when ``doc_ids`` is given, one per row)."""
    if rows:
        step, rule, rs, re_, rb, dr = zip(*rows)
    else:
        step = rule = rs = re_ = rb = dr = ()
    rs = np.asarray(rs, dtype=np.int64)
    re_ = np.asarray(re_, dtype=np.int64)
    data = {"step": list(step), "rule": list(rule), "raw_start": rs, "raw_end": re_, "length": re_ - rs,
            "replaced_by": np.asarray(rb, dtype=np.int64), "dropped_chars": np.asarray(dr, dtype=np.int64)}
    if doc_ids is None:
        return pd.DataFrame(data, columns=LOG_COLUMNS)
    return pd.DataFrame({"doc_id": list(doc_ids), **data}, columns=["doc_id"] + LOG_COLUMNS)


_SURROGATE = re.compile("[\ud800-\udfff]")

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
        as given), ``converted``, ``script``.

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
    try:  # (UTF-32 encodes every code point but a lone surrogate: the check costs nothing)
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:
        bad = _SURROGATE.search(text)
        from govlab.errors import InputError

        raise InputError(f"lone surrogate U+{ord(bad.group()):04X} at offset {bad.start()}: the text is not "
                         "valid Unicode (decode the file with a real encoding, not 'surrogateescape')",
                         key="text") from None
    td = TrackedText(text, char_flags, codes=codes)
    ctx = _Ctx(td=td, kind=kind, title=title.strip() if title else "", script=script or None)
    passes = _run(td, ctx)
    return CleanResult(text=td.text, rows=tuple(td.rows), converted=ctx.converted,
                       script=ctx.detected_script or "simplified", t2s_chars=ctx.t2s_chars,
                       width_chars=ctx.width_chars, passes=passes)
