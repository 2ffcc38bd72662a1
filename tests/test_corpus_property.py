"""Property-based tests: generated inputs (random bytes, Chinese text in random encodings, truncated
HTML, noisy text mixing tags, entities, ``document.write`` wrappers, JavaScript escapes, lone
surrogates, CJK and full-width characters, whitespace and line breaks) through reading and cleaning.

Only govlab's documented errors may come out; cleaning never crashes, is idempotent, and its log
reproduces the clean text from the raw text (:func:`replay`). All draws are derandomized, so every
run tries the same examples. The fuzz test alone draws 10,000 examples."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govlab.corpus import clean_text, decode_bytes
from govlab.corpus.rules import FW_ALNUM, HAN, HW_TO_FW
from govlab.errors import InputError

SETTINGS = dict(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow,
                                                                         HealthCheck.data_too_large])

# Fictional building blocks: body sentences, noise lines, markup fragments.
SENTENCES = [
    "青溪县政协建成委员工作站6个。", "全年开展协商活动126场次，参与群众3200余人次。", "收集社情民意信息××条，xx区有x个站。",
    "推行“4+X”履职模式。", "議而不決、決而不行的問題仍然存在。", "协商议事室覆盖1 204个村（社区）", "一、基本情况",
    "（二）存在问题", "办结率为92.5%;满意度96.1分!", "建立领导包抓 督导机制，", "Ｘ县２０２２年", "[中图分类号]D627? ?[文献标识码]A",
]
NOISE = [
    "当前位置：首页 > 正文", "版权所有 某某网", "联系电话：0000-0000000", "返回顶部", "【打印本页】",
    "久久精品在线观看,亚洲无码视频,欧美成人午夜,国产自拍偷拍", "该文章免费阅读，以下是该文章的全部内容：", "实名认证",
    "发布时间：2023-03-15 来源：某某", "2023年06月08日", "欢迎来到某某网!", "https://example.org/x",
]
MARKUP = [
    "<p>", "</p>", "<br>", "<div class=\"nav\">", "</div>", "<script>var a=1;", "</script>", "<style>p{}",
    "</style>", "&nbsp;", "&ldquo;", "&amp;", "&lt;p&gt;", "<!--", "-->", 'document.writeln("', '");', "\\/", "\\\"",
    "<a href='#'>", "</a>", "<", ">", "&#24037;",
]
SPACES = [" ", "  ", "\u3000", "\n", "\n\n", "\r\n", "\t", "\u200b", "...", "…"]
# Numeric character references and JavaScript escapes (Chinese written as &#22996; or \u59d4, surrogate
# pairs and lone surrogates), raw lone surrogates, full-width forms, separators.
ESCAPES = [
    "&#22996;&#21592;", "&#x4e0c;", "&#x5DE5;&#x4F5C;&#31449;", "&#xFF11;&#65298;", "&#xd800;", "&#0;", "&nbsp;&#12288;",
    "\\u59d4\\u5458", "\\ud83d\\ude00", "\\ud800", "\\udfff\\u0041", "\\x41", "\\n", "\ud800", "\udc00", "\ud83d\ude00",
    "document.write('", "');", "\u2028", "\x0c", "\r", "Ｘ", "１２％", "，", ",", "(", ")", ":", "乾隆年间",
    "<span style='display:none'>赌博娱乐城</span>", "<li>", "<td>", "</td>", "<nav>首页</nav>", "\U00020000",
]

fragments = st.sampled_from(SENTENCES + NOISE + MARKUP + SPACES + ESCAPES)
noisy_text = st.lists(fragments, max_size=25).map("".join)
mixed_text = st.one_of(
    noisy_text,
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60),
    st.lists(st.one_of(fragments, st.text(max_size=4)), max_size=20).map("".join),
)
# Text wrapped at a fixed width (reflow) and sections printed twice (duplicates).
wrapped_text = st.tuples(st.lists(st.sampled_from(SENTENCES), min_size=5, max_size=20), st.integers(8, 40)).map(
    lambda a: "\n".join("".join(a[0])[i:i + a[1]] for i in range(0, len("".join(a[0])), a[1])))
fuzz_text = st.one_of(mixed_text, wrapped_text, noisy_text.map(lambda t: t + "\n" + t),
                      st.text(max_size=40))  # (st.text draws lone surrogates too)

def replay(raw: str, result) -> str:
    """Apply the logged edits to ``raw``, one row after another, and return the text they give.

    Each character carries the raw span it stands for (``[i, i + 1)`` for a raw character, the
    block's span for a replacement), exactly as the log's offsets are defined; a row's block is the
    ``chars`` characters from the first at or after ``raw_start``, and must lie inside
    ``[raw_start, raw_end)`` and touch both ends. A replacement that is a prefix or suffix of that
    block keeps those characters; otherwise the row's ``parts`` give each replacing character its
    span.
    The unlogged one-for-one substitutions (script, width) are checked by
    :func:`same_but_substitutions`."""
    chars = [(c, i, i + 1) for i, c in enumerate(raw)]
    for (_step, _rule, rs, re_, rb, _dropped), parts in zip(result.rows, result.parts, strict=True):
        rep = "".join(p[3] for p in parts)
        n_chars = sum(p[2] for p in parts)
        assert len(rep) == rb and parts[0][0] == rs and parts[-1][1] == re_
        if n_chars:
            s = next(i for i, (_, lo, _) in enumerate(chars) if lo >= rs)
        else:  # an insertion at a point
            s = next((i for i, (_, lo, hi) in enumerate(chars) if lo >= rs and hi > lo), len(chars))
        e = s + n_chars
        assert all(rs <= lo <= hi <= re_ for _, lo, hi in chars[s:e]), (rs, re_)
        assert e == s or (chars[s][1] == rs and chars[e - 1][2] == re_), (rs, re_)
        block = "".join(c for c, _, _ in chars[s:e])
        if 0 < len(rep) < e - s and block.startswith(rep):
            new = chars[s:s + len(rep)]
        elif 0 < len(rep) < e - s and block.endswith(rep):
            new = chars[e - len(rep):e]
        else:
            new = [(c, a, b) for a, b, _, text in parts for c in text]
        chars[s:e] = new
    return "".join(c for c, _, _ in chars)


def same_but_substitutions(replayed: str, clean: str, result) -> bool:
    """Whether ``clean`` is ``replayed`` with only the one-for-one substitutions the result counts:
    full-width letters and digits to ASCII, ASCII punctuation to full width, traditional to
    simplified (each changed character a Han character both before and after)."""
    if len(replayed) != len(clean):
        return False
    changed = [(a, b) for a, b in zip(replayed, clean) if a != b]
    for a, b in changed:
        a1 = FW_ALNUM.get(ord(a), a)
        if a1 == b or HW_TO_FW.get(a1) == b:
            continue
        if not (result.converted and _HAN.match(a) and _HAN.match(b)):
            return False
    return len(changed) <= result.t2s_chars + result.width_chars


_HAN = re.compile(f"[{HAN}\U00020000-\U0003ffff]")  # (t2s maps some characters outside the BMP)


@pytest.mark.slow
@settings(max_examples=10_000, **SETTINGS)
@given(fuzz_text, st.sampled_from(["auto", "html", "text"]))
def test_fuzz_cleaning_never_crashes_replays_from_its_log_and_is_idempotent(text, kind):
    result = clean_text(text, kind=kind)
    result.text.encode("utf-8")  # no lone surrogate is left (they become U+FFFD, logged)
    assert result.text == "" or (result.text.endswith("\n") and "\n\n" not in result.text)
    assert len(result.rows) == len(result.parts)
    n = len(text)
    assert all(0 <= r[2] <= r[3] <= n and r[5] <= r[3] - r[2] for r in result.rows)
    assert same_but_substitutions(replay(text, result), result.text, result)
    assert clean_text(result.text, kind=kind).text == result.text


@settings(max_examples=1000, **SETTINGS)
@given(st.binary(max_size=300))
def test_random_bytes_decode_or_documented_error(data):
    try:
        text, encoding = decode_bytes(data, source="gen.txt")
    except InputError as exc:
        assert str(exc).startswith("gen.txt: ")
        return
    assert isinstance(text, str) and "\ufffd" not in text and encoding


CODECS = ["utf-8", "utf-8-sig", "utf-16", "gb18030", "big5hkscs"]


@settings(max_examples=1000, **SETTINGS)
@given(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6).map("".join), st.sampled_from(CODECS))
def test_encoded_chinese_text_reads_back(text, codec):
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:  # simplified characters have no Big5 code
        data = text.encode("gb18030")
        codec = "gb18030"
    try:
        decoded, encoding = decode_bytes(data, source="gen.txt")
    except InputError:
        # only very short legacy-encoded texts may be undecidable
        assert codec in ("gb18030", "big5hkscs") and len(text) < 20
        return
    if codec.startswith("utf"):
        assert decoded == text
    elif decoded != text:  # a legacy encoding guessed wrong: only for short texts
        assert len(text) < 40, (codec, encoding)
    cleaned = clean_text(decoded)
    assert clean_text(cleaned.text).text == cleaned.text


HTML_PAGE = (
    '<html><head><meta charset="gb2312"><title>某某</title><style>.a{color:red}</style></head><body>'
    '<div class="nav"><a href="/">首页</a> | <a>要闻</a></div><div class="position">当前位置：首页 &gt; 正文</div>'
    '<h1>青溪县政协“委员工作站”建设观察</h1><div class="info">发布时间：2023-03-15 来源：某某</div>'
    '<p>&nbsp;&nbsp;青溪县政协建成委员工作站6个，全年开展协商活动126场次。</p><p>推行&ldquo;4+X&rdquo;履职模式。</p>'
    '<script>var x = "<p>脚本</p>";</script><div class="footer">版权所有 某某ICP备00000000号</div></body></html>'
)


@settings(max_examples=1000, **SETTINGS)
@given(st.integers(min_value=0, max_value=len(HTML_PAGE)), st.integers(min_value=0, max_value=len(HTML_PAGE)),
       st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_truncated_html_reads_and_cleans(a, b, codec):
    lo, hi = min(a, b), max(a, b)
    fragment = HTML_PAGE[lo:hi]
    try:
        text, _ = decode_bytes(fragment.encode(codec), source="page.html", html=True)
    except InputError:
        return
    result = clean_text(text, kind="html")
    if "<style" in fragment:
        assert "color:red" not in result.text
    if "<script" in fragment:
        assert "脚本" not in result.text
    assert "<p>" not in result.text and "<div" not in result.text
    assert clean_text(result.text, kind="html").text == result.text
    assert same_but_substitutions(replay(text, result), result.text, result)
