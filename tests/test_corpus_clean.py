"""Each cleaning rule on its own, on fictional strings; offsets of the log; spans."""
from __future__ import annotations

import pytest

from govlab.corpus import clean_text, detect_script, sentence_bounds, text_spans
from govlab.errors import InputError

BODY = "青溪县政协在全县14个乡镇建成委员工作站6个，全年开展协商活动126场次，收集社情民意信息××条。"
BODY2 = "推行“4+X”履职模式，每个工作站每年至少开展4次协商议事活动、报送10条以上社情民意信息。"


def rules(result) -> list[str]:
    return list(result.log["rule"])


def removed(raw: str, result, rule: str) -> list[str]:
    """The raw blocks a rule removed, looked up by the log's offsets."""
    log = result.log[(result.log["rule"] == rule)]
    return [raw[s:e] for s, e in zip(log["raw_start"], log["raw_end"])]


def test_body_is_kept_exactly():
    r = clean_text(BODY + "\n" + BODY2)
    assert r.text == BODY.replace("，", "，") + "\n" + BODY2 + "\n"
    assert r.log.empty or set(rules(r)) <= {"final_newline"}


def test_link_farm_line():
    spam = "久久精品在线观看,亚洲无码视频,欧美成人午夜福利,国产自拍偷拍,澳门百家乐真人投注 ?"
    raw = f"{spam}\n\n{BODY}\n主站蜘蛛池模板: 夜夜| 久久综合| 亚洲天堂| 欧美在线| 国产视频| 日韩精品|"
    r = clean_text(raw)
    assert r.text == BODY + "\n"
    assert removed(raw, r, "link_farm")[0].startswith(spam)
    assert "蜘蛛池" in removed(raw, r, "link_farm")[1]


def test_body_sentence_with_spam_words_is_kept():
    s = "部分村组青壮年外出务工，国产设备和亚洲市场的议题由委员荐题，群众参与协商的热情高。"
    assert clean_text(s).text == s + "\n"


def test_document_writeln_wrapper_and_escapes():
    raw = ('document.writeln("<table><tr><td>"); document.writeln("<p>' + BODY +
           '<\\/p>"); document.writeln("<p>\\u59d4\\u5458 \\"有事好商量\\"<\\/p>");')
    r = clean_text(raw)
    assert r.text == BODY + "\n委员 \"有事好商量\"\n"
    assert "js_wrapper" in rules(r) and "js_unescape" in rules(r) and "html_tag" in rules(r)
    assert all(b.startswith("document.writeln(") or b.startswith('"') or not b.strip()
               for b in removed(raw, r, "js_wrapper"))


def test_html_script_style_and_tags():
    raw = ("<html><head><title>t</title><style>p{color:red}</style></head><body>"
           "<script>var s='<p>不该出现</p>';</script><p>" + BODY + "</p><p>" + BODY2 +
           "&nbsp;</p><noscript>请启用脚本</noscript></body></html>")
    r = clean_text(raw, kind="html")
    assert r.text == BODY + "\n" + BODY2 + "\n"
    assert "<style>p{color:red}</style>" in "".join(removed(raw, r, "html_head"))
    assert any("不该出现" in b for b in removed(raw, r, "html_script"))


def test_truncated_html():
    raw = "<div><p>" + BODY + "</p><script>var x = 1; <p>半截"
    assert clean_text(raw, kind="html").text == BODY + "\n"
    assert clean_text("<p>" + BODY + "</p><di", kind="html").text == BODY + "\n"


def test_hidden_link_farm_and_nav_elements():
    raw = ('<div class="nav"><a>首页</a> | <a>要闻</a></div><div style="display:none"><a>澳门博彩</a></div>'
           '<p>' + BODY + '</p><div id="footer">版权所有 某某网</div>')
    r = clean_text(raw)
    assert r.text == BODY + "\n"
    assert {"html_chrome", "html_hidden"} <= set(rules(r))


def test_html_entities():
    r = clean_text("<p>&ldquo;有事好商量&rdquo;协商议事室&amp;委员之家&#24037;作站</p>")
    assert r.text == "“有事好商量”协商议事室&委员之家工作站\n"


@pytest.mark.parametrize("line,rule", [
    ("当前位置：首页 > 基层协商 > 正文", "navigation"),
    ("您的位置: 首页 » 理论研究", "navigation"),
    ("首页 政协要闻 协商议政 委员风采 联系我们", "navigation"),
    ("欢迎来到某某政协网!", "site_header"),
    ("发布时间：2023-03-15 09:30 来源：某某县政协 作者：佚名", "page_meta"),
    ("【字号 大 中 小】 浏览次数：1024", "page_meta"),
    ("责任编辑：某某", "page_meta"),
    ("字数：1,326", "page_meta"),
    ("2023-03-15 09:30:12某某某", "page_meta"),
    ("2023年06月08日", "page_meta"),
    ("【打印本页】 【关闭窗口】", "page_tools"),
    ("返回顶部", "page_tools"),
    ("上一篇：关于开展协商活动的通知", "page_tools"),
    ("版权所有：某某县政协办公室 备案号：某ICP备00000000号-1", "legal_footer"),
    ("本站部分信息由用户提供，本站对此不承担任何保证责任。", "legal_footer"),
    ("某某网络技术有限公司主办--某某信息平台", "legal_footer"),
    ("联系电话：0000-0000000；监督电话：00000000000", "contact"),
    ("地址：某某县城关镇民主路1号。", "contact"),
    ("联系QQ:000000", "contact"),
    ("原文链接：https://example.org/a/1.shtml", "source_link"),
    ("https://example.org/a/1.shtml", "source_link"),
    ("添加某某文库到电脑桌面", "app_prompt"),
    ("安装后可以在桌面快捷访问", "app_prompt"),
    ("青山+ 关注", "uploader_profile"),
    ("该用户很懒，什么也没介绍", "uploader_profile"),
    ("实名认证", "uploader_profile"),
    ("添加客服", "uploader_profile"),
    ("1、用户付费下载本文档后，仅获得文档的使用权，不得用于其他商业用途。", "paywall_notice"),
    ("2、本站文档均由网友上传，本站不对文档的完整性做任何保证。", "terms_notice"),
    ("该文章免费阅读，以下是该文章的全部内容：", "paywall_notice"),
])
def test_chrome_and_notice_lines(line, rule):
    raw = f"{BODY}\n{line}\n{BODY2}"
    r = clean_text(raw)
    assert r.text == f"{BODY}\n{BODY2}\n"
    assert removed(raw, r, rule) == [line + "\n"]


def test_site_name_above_welcome_line():
    raw = f"某某政务中心\n\n欢迎来到某某网！\n{BODY}"
    r = clean_text(raw)
    assert r.text == BODY + "\n" and rules(r).count("site_header") == 2


def test_title_is_not_taken_for_a_site_name():
    raw = f"委员服务中心\n当前位置：首页 > 正文\n{BODY}"
    assert clean_text(raw, title="委员服务中心").text.startswith("委员服务中心\n")


def test_body_lines_mentioning_labels_are_kept():
    lines = ["县政协主办的协商会邀请了群众代表、人大代表和专家，议题来源：党政点题、群众出题、委员荐题，共计3类。",
             "2023年，县政协坚持问题导向，开展协商活动48场次，参与群众1,580人次。"]
    raw = "\n".join(lines)
    assert clean_text(raw).text == raw + "\n"


def test_tab_placeholders():
    raw = "[中图分类号]D627? ? ?[文献标识码]A? [文章编号]0000-0000(2022)03-0001-04\n" + BODY
    r = clean_text(raw)
    assert r.text.splitlines()[0] == "[中图分类号]D627 [文献标识码]A [文章编号]0000-0000(2022)03-0001-04"
    assert rules(r).count("tab_placeholder") == 2


def test_question_marks_in_text_are_kept():
    assert clean_text("委员们问：怎么办?").text == "委员们问：怎么办？\n"


def test_traditional_to_simplified():
    raw = "林山市政協建成協商議事室96個，實現鎮、街道全覆蓋。"
    r = clean_text(raw)
    assert r.text == "林山市政协建成协商议事室96个，实现镇、街道全覆盖。\n"
    assert r.converted and r.script == "traditional" and r.t2s_chars > 5
    assert not clean_text(BODY).converted
    assert detect_script(raw) == "traditional" and detect_script(BODY) == "simplified"


def test_script_hint():
    assert clean_text("議事", script="traditional").text == "议事\n"
    with pytest.raises(InputError, match="script"):
        clean_text("议事", script="klingon")


def test_width_normalisation():
    r = clean_text("２０２２年，建成工作站６个(含１个园区站),覆盖率１００％;时间23:22,共2,058字。")
    assert r.text == "2022年，建成工作站6个（含1个园区站），覆盖率100%；时间23:22，共2,058字。\n"
    assert r.width_chars > 0


def test_soft_spaces_in_prose_and_headline_spaces():
    raw = "搭建委员履职平台 打通基层协商“最后一公里”\n建立领导包抓 督导机制，省政协主 席会议成员分 片联系，建成 1 204个议事室。"
    r = clean_text(raw)
    assert r.text == ("搭建委员履职平台 打通基层协商“最后一公里”\n"
                      "建立领导包抓督导机制，省政协主席会议成员分片联系，建成 1 204个议事室。\n")
    assert rules(r).count("soft_space") == 3


def test_masked_numbers_are_kept_exactly():
    s = "全省××个县（市、区）×××个乡镇已建立召集人制度，xx区有x个委员工作站，占比xx%，其中XX街道1个。"
    assert clean_text(s).text == s + "\n"


def test_indents_blank_lines_and_line_endings():
    raw = "\u3000\u3000" + BODY + "  \r\n\r\n\r\n  " + BODY2 + "\r\n"
    r = clean_text(raw)
    assert r.text == BODY + "\n" + BODY2 + "\n"
    assert {"indent", "line_endings", "blank_lines"} <= set(rules(r))


def test_duplicate_paragraph_keeps_first():
    raw = "\n".join([BODY, BODY2, BODY])
    r = clean_text(raw)
    assert r.text == BODY + "\n" + BODY2 + "\n"
    log = r.log[r.log["rule"] == "duplicate_paragraph"]
    assert len(log) == 1 and log["raw_start"].iloc[0] == len(BODY) + len(BODY2) + 2


def test_section_printed_twice_with_headings():
    section = ["一、基本情况", BODY, "（一）存在问题", BODY2]
    raw = "\n".join(["标题：某某调研报告", *section, *section])
    r = clean_text(raw)
    assert r.text == "\n".join(["标题：某某调研报告", *section]) + "\n"
    assert removed(raw, r, "duplicate_paragraph") == ["\n".join(section)]  # one block: the second copy


def test_short_repeated_line_outside_a_repeat_is_kept():
    raw = "\n".join(["一是", BODY, "一是", BODY2])
    assert clean_text(raw).text == raw + "\n"


def test_repeated_passage_preview():
    paras = [BODY, BODY2, "三是成果转化有回音，建议办结率为92.5%，群众满意度测评为96.1分。"]
    preview = "".join(paras)[:80] + "..."
    raw = "\n".join(["某某县调研报告", *paras, preview])
    r = clean_text(raw)
    assert r.text == "\n".join(["某某县调研报告", *paras]) + "\n"
    assert removed(raw, r, "repeated_passage") == [preview]


def test_preview_before_the_body_is_dropped_and_body_kept():
    paras = [BODY, BODY2]
    raw = "\n".join(["".join(paras)[:70] + "…", *paras])
    assert clean_text(raw).text == "\n".join(paras) + "\n"


def test_hard_wrapped_text_is_reflowed():
    para = BODY * 3
    wrapped = [para[i:i + 30] for i in range(0, len(para), 30)]
    raw = "\n".join(["某某调研报告", *wrapped, "一、基本情况", *wrapped[:4]])
    r = clean_text(raw)
    lines = r.text.splitlines()
    assert lines[0] == "某某调研报告" and lines[1] == para and lines[2] == "一、基本情况"
    assert "hard_wrap" in rules(r)


def test_paragraph_per_line_text_is_not_reflowed():
    raw = "\n".join([BODY, BODY2, BODY + "补充", BODY2 + "补充", "一、小结", BODY[:20]])
    assert "hard_wrap" not in rules(clean_text(raw))


def test_log_offsets_point_into_raw_text():
    raw = ("当前位置：首页 > 正文\r\n\u3000\u3000" + BODY + "\r\n版权所有 某某网\r\n" + BODY)
    r = clean_text(raw)
    for row in r.log.itertuples():
        assert 0 <= row.raw_start <= row.raw_end <= len(raw)
        assert row.length == row.raw_end - row.raw_start
    assert removed(raw, r, "navigation") == ["当前位置：首页 > 正文\r\n"]
    assert removed(raw, r, "legal_footer") == ["版权所有 某某网\r\n"]
    assert removed(raw, r, "duplicate_paragraph") == [BODY]
    assert list(r.log.columns) == ["step", "rule", "raw_start", "raw_end", "length", "replaced_by", "dropped_chars"]


def test_idempotent_on_examples_of_each_rule():
    raw = ("document.writeln(\"<p>当前位置：首页 > 正文<\\/p><p>" + BODY + "<\\/p>\");\n版权所有\n" + BODY)
    once = clean_text(raw).text
    assert clean_text(once).text == once


def test_empty_and_noise_only():
    assert clean_text("").text == ""
    assert clean_text("  \n\n ").text == ""
    assert clean_text("返回顶部\n版权所有 某某网").text == ""


def test_sentence_and_paragraph_spans():
    text = "一、现状\n建成3个站。群众满意！还要“回头看”？\n省略……下一步\n"
    sp = text_spans(text, "d")
    paras = sp[sp["kind"] == "paragraph"]
    sents = sp[sp["kind"] == "sentence"]
    assert [text[s:e] for s, e in zip(paras["start"], paras["end"])] == ["一、现状", "建成3个站。群众满意！还要“回头看”？", "省略……下一步"]
    assert [text[s:e] for s, e in zip(sents["start"], sents["end"])] == [
        "一、现状", "建成3个站。", "群众满意！", "还要“回头看”？", "省略……", "下一步"]
    assert sentence_bounds("数字1.5和3.0不切开。") == [(0, 13)]


def test_line_widths_match_the_documented_width():
    from govlab.corpus import clean as C
    from govlab.corpus._edits import TrackedText

    text = "委员工作站, 6个(含园区)\n\nabc def\n协商议事室：××个。"
    td = TrackedText(text, C.char_flags)
    assert C._line_widths(td) == [C._width(line) for line in text.split("\n")]


def test_removed_by_rule_counts_each_raw_character_once():
    from govlab.corpus import removed_by_rule

    raw = "<p>当前位置：首页 > 正文</p>\n\n\n<p>" + BODY + "</p>"
    r = clean_text(raw, kind="html")
    table = removed_by_rule(r.log)
    assert table["removed_chars"].sum() == len(raw) - len(BODY)  # everything but the body, once
    assert set(table["rule"]) >= {"html_tag", "navigation"}


def test_lone_surrogate_gets_a_documented_error_naming_the_offset():
    from govlab.corpus import clean_text
    from govlab.errors import InputError

    with pytest.raises(InputError, match=r"U\+D800 at offset 2"):
        clean_text("協商\ud800議事")


@pytest.mark.parametrize("line", ["关注 青山+", "已实名认证", "这位用户很懒，暂无简介", "暂无简介", "该用户很懒，什么也没写"])
def test_uploader_card_variants_are_dropped(line):
    from govlab.corpus import clean_text

    body = "青溪县政协在各乡镇设立委员工作站，全年开展协商活动12场。"
    assert clean_text(body + "\n" + line + "\n").text.strip() == body


def test_replacements_apply_as_the_same_edits_given_one_by_one():
    """``Replacements`` (sorted edits as arrays, the fast path of many rules) log and map offsets
    exactly as the same edits given as a list of tuples."""
    import random

    import numpy as np

    from govlab.corpus import clean as C
    from govlab.corpus._edits import Replacements, TrackedText

    rng = random.Random(7)
    for _ in range(200):
        text = "".join(rng.choice("委员工作站 \n<>&;x。") for _ in range(rng.randint(20, 200)))
        rest = text[1:]  # the text after the first removal below, which the edits are for
        cuts = sorted(rng.choices(range(len(rest) + 1), k=2 * rng.randint(1, 12)))  # (touching, empty edits too)
        edits = sorted((a, b, rng.choice(["", "", "\n", " ", "站站", rest[a:a + 1]]), rng.choice(["r1", "r2"]))
                       for a, b in zip(cuts[0::2], cuts[1::2]))
        results = []
        for given in (edits, Replacements(np.array([e[0] for e in edits], dtype=np.int64),
                                          np.array([e[1] for e in edits], dtype=np.int64),
                                          [e[2] for e in edits], [e[3] for e in edits])):
            td = TrackedText(text, C.char_flags)
            td.apply("s", [(0, 1, "", "first")])  # an earlier removal: raw offsets no longer contiguous
            td.apply("s", given)
            results.append((td.text, td.rows, td.lo.tolist(), td.hi.tolist(), td.codes.tolist()))
        assert results[0] == results[1]


def test_compiled_kernels_apply_edits_as_the_array_code_does():
    """``TrackedText`` with class flags applies edits with compiled numba kernels; without flags,
    with numpy. Both give the same text, log and offset maps, for removals (sorted or not,
    overlapping, touching, of one rule or several), replacements and lists of edits, applied one
    after another (so that raw offsets are no longer contiguous)."""
    import random

    import numpy as np

    from govlab.corpus import clean as C
    from govlab.corpus._edits import Removals, Replacements, TrackedText, _codes

    rng = random.Random(11)
    for _ in range(150):
        text = "".join(rng.choice("委员工作站 \n<>&;x。\u3000") for _ in range(rng.randint(0, 160)))
        tds = [TrackedText(text, C.char_flags), TrackedText(text)]
        for _ in range(rng.randint(1, 5)):
            n = len(tds[0].text)
            kind = rng.choice(["removals", "removals_rules", "list", "replacements"])
            cuts = sorted(rng.choices(range(n + 1), k=2 * rng.randint(1, 20)))
            pairs = list(zip(cuts[0::2], cuts[1::2]))
            if kind.startswith("removals"):
                if rng.random() < 0.3:  # unsorted, possibly overlapping
                    pairs = [(a, min(n, a + rng.randint(0, 4))) for a in rng.choices(range(n + 1), k=rng.randint(1, 12))]
                S = np.array([a for a, _ in pairs], dtype=np.int64)
                E = np.array([b for _, b in pairs], dtype=np.int64)
                rules = "r0" if kind == "removals" else [rng.choice(["r1", "r2"]) for _ in pairs]
                make = lambda: Removals(S, E, rules)  # noqa: E731
            else:
                cur = tds[0].text
                edits = sorted((a, b, rng.choice(["", "", "\n", " ", "站站", cur[a:a + 1], cur[a:b]]),
                                rng.choice(["r1", "r2"])) for a, b in pairs)
                if kind == "list":
                    make = lambda: list(edits)  # noqa: E731
                else:
                    make = lambda: Replacements(np.array([e[0] for e in edits], dtype=np.int64),  # noqa: E731
                                                np.array([e[1] for e in edits], dtype=np.int64),
                                                [e[2] for e in edits], [e[3] for e in edits])
            assert tds[0].apply("s", make()) == tds[1].apply("s", make())
            kernel, arrays = tds
            assert (kernel.text, kernel.rows, kernel.lo.tolist(), kernel.hi.tolist()) == (
                arrays.text, arrays.rows, arrays.lo.tolist(), arrays.hi.tolist())
            assert kernel.codes.tolist() == _codes(kernel.text).tolist()
            assert kernel.flags.tolist() == C.char_flags(kernel.text).tolist()


def test_line_bounds_kernel_matches_the_lines():
    from govlab.corpus import clean as C
    from govlab.corpus._edits import TrackedText

    for text in ["", "\n", "a", "委员\n\n工作站\n", "一\n二\n三"]:
        starts, ends = C._line_starts_ends(TrackedText(text, C.char_flags))
        pos, expected = 0, []
        for line in text.split("\n"):
            expected.append((pos, pos + len(line)))
            pos += len(line) + 1
        assert list(zip(starts.tolist(), ends.tolist())) == expected


def test_importing_the_corpus_package_does_not_import_numba():
    import subprocess
    import sys

    code = "import sys, govlab.corpus; print('numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_html_tag_kernel_finds_what_the_tag_regex_finds():
    """The compiled tag scanner of html_to_text matches ``_HTML_TAG.finditer`` exactly (spans, tag name
    group, and whether non-space text precedes each tag), on tag-heavy random strings."""
    import random

    import numpy as np

    import govlab.corpus.clean as cl
    from govlab.corpus._edits import _codes, _kernels, _regex_classes

    rng = random.Random(7)
    alphabet = (list("<<<>>/!??aAzZ:-_-0١\u212a\u0130é中 \t\n\u3000\u00a0\u2028\x1c=\"'pdivbrspan&;")
                + ["<p>", "</div>", "<br/>", "<!--", "-->", "<?xml", "?>", "< p>", "<a:b->", "<a-:", "<p\u3000>"])
    scan = _kernels().html_tags
    for _ in range(3000):
        t = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        expected, prev = [], 0
        for m in cl._HTML_TAG.finditer(t):
            gap = t[prev:m.start()]
            expected.append((m.start(), m.end(), m.start(2), m.end(2) if m.group(2) is not None else -1,
                             bool(gap) and not gap.isspace()))
            prev = m.end()
        size = t.count("<")
        arrays = [np.empty(size, np.int64) for _ in range(4)]
        text_before = np.empty(size, bool)
        k = scan(_codes(t), _regex_classes(), *arrays, text_before)
        got = [(int(arrays[0][i]), int(arrays[1][i]), int(arrays[2][i]), int(arrays[3][i]), bool(text_before[i]))
               for i in range(k)]
        assert got == expected, repr(t)
