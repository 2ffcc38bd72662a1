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
    from govlab.corpus.rules import SPACE_CHARS

    def width(line):  # the documented definition, one character at a time
        return sum(0 if c in SPACE_CHARS else 2 if c in ",;:!?()" else 1 if c < "\x80" else 2 for c in line)

    for line in ["委员工作站, 6个(含园区)", "", "abc def\t", "协商议事室：××个。\u3000\u00a0x", "\U00020000a"]:
        assert C._width(line) == width(line)


def test_removed_by_rule_counts_each_raw_character_once():
    from govlab.corpus import removed_by_rule

    raw = "<p>当前位置：首页 > 正文</p>\n\n\n<p>" + BODY + "</p>"
    r = clean_text(raw, kind="html")
    table = removed_by_rule(r.log)
    assert table["removed_chars"].sum() == len(raw) - len(BODY)  # everything but the body, once
    assert set(table["rule"]) >= {"html_tag", "navigation"}


def test_lone_surrogates_become_replacement_characters_and_are_logged():
    raw = "協商\ud800議事\udc00"
    r = clean_text(raw)
    assert r.text == "协商\ufffd议事\ufffd\n"
    assert removed(raw, r, "lone_surrogate") == ["\ud800", "\udc00"]
    # written as JavaScript escapes: a lone one becomes U+FFFD, a pair the character it encodes
    raw = 'document.writeln("<p>委员\\ud800工作站\\ud83d\\ude00</p>");'
    r = clean_text(raw)
    assert r.text == "委员\ufffd工作站\U0001f600\n"
    assert removed(raw, r, "lone_surrogate") == ["\\ud800"]
    assert clean_text("<p>&#xd800;委员</p>").text == "\ufffd委员\n"  # (html.unescape's rule)
    r.text.encode("utf-8")


@pytest.mark.parametrize("line", ["关注 青山+", "已实名认证", "这位用户很懒，暂无简介", "暂无简介", "该用户很懒，什么也没写"])
def test_uploader_card_variants_are_dropped(line):
    from govlab.corpus import clean_text

    body = "青溪县政协在各乡镇设立委员工作站，全年开展协商活动12场。"
    assert clean_text(body + "\n" + line + "\n").text.strip() == body


# Fictional sentences for pages whose Chinese is written as numeric character references.
PAGE_SENTENCES = [
    "青溪县政协在各乡镇设立委员工作站，全年开展协商活动十二场。", "委员下沉到村，听取群众对道路和饮水的意见。",
    "协商议事室实行议题征集、调研、协商、反馈四个环节。", "部分委员因本职工作繁忙，参加活动的次数偏少。",
    "下一步将建立成果转化清单，跟踪办理进度。", "群众提出的停车难问题经协商后形成三条建议。",
]


def _entity_page(k: int) -> tuple[str, str]:
    """Fictional page ``k``: the same page with its Chinese written as decimal or hexadecimal
    numeric character references (upper or lower case), and written plainly."""
    body = [PAGE_SENTENCES[(k + i) % len(PAGE_SENTENCES)] for i in range(3 + k % 3)]

    def ref(c, i):
        if "\u4e00" <= c <= "\u9fff":
            return [f"&#{ord(c)};", f"&#x{ord(c):x};", f"&#X{ord(c):X};"][(i + k) % 3]
        return c

    def page(paragraphs):
        return ("<html><head><title>第%d页</title></head><body><div class='nav'>首页 &gt; 要闻</div>" % k
                + "".join(f"<p>{p}</p>" for p in paragraphs) + "<div id='footer'>版权所有 某某网</div></body></html>")

    encoded = ["".join(ref(c, i) for i, c in enumerate(p)) for p in body]
    return page(encoded), page(body)


def test_pages_with_chinese_as_numeric_character_references_clean_one_after_another():
    """Twenty entity-heavy pages fed one after another (the old engine's entity cache crashed on the
    fourteenth such page): each cleans to the text of the same page written plainly."""
    for k in range(20):
        encoded, plain = _entity_page(k)
        r = clean_text(encoded, kind="html")
        assert r.text == clean_text(plain, kind="html").text
        assert "&#" not in r.text and r.text.count("\n") == 3 + k % 3
        assert {"html_entity", "html_tag", "html_chrome"} <= set(rules(r))


def test_caches_survive_eviction():
    """More distinct entities, tag names and rule tuples than any cache holds, through the cleaning
    several times: results stay exact after entries are evicted."""
    from govlab.corpus.clean import apply_line_rules
    from govlab.corpus.rules import LINE_RULES

    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 9000)]
    for rep in range(2):
        for start in range(0, len(chars), 600):
            chunk = chars[start:start + 600]
            raw = "<p>" + "".join(f"&#{ord(c)};" if (i + rep) % 2 else f"&#x{ord(c):x};" for i, c in enumerate(chunk))
            tags = "".join(f"<x{start + i}>" for i in range(50)) + "</p>"
            plain = clean_text("<p>" + "".join(chunk) + tags, kind="html")  # (traditional forms converted)
            assert clean_text(raw + tags, kind="html").text == plain.text and len(plain.text) == 601
    text = "责任编辑：王某\n委员工作站建成。\n版权所有 某某网\n"
    for i in range(200):  # distinct rule tuples (the index of each is cached)
        rules_i = LINE_RULES[i % 13:] + LINE_RULES[:i % 13] if i % 2 else tuple(reversed(LINE_RULES[: 1 + i % 13]))
        got = apply_line_rules(text, rules_i)
        assert all(text[s:e] in ("责任编辑：王某\n", "版权所有 某某网\n") for s, e, _, _ in got)
    assert [e[3] for e in apply_line_rules(text)] == ["page_meta", "legal_footer"]


def test_tracked_text_keeps_spans_merges_and_splits():
    from govlab.corpus._edits import TrackedText

    t = TrackedText("a\r\nb<i>c&#22996;&#21592;d")
    t.apply("s", [(1, 3, "\n", "line_endings")])  # a kept suffix keeps its own span
    assert t.rows[-1] == ("s", "line_endings", 1, 3, 1, 1) and (t.lo[1], t.hi[1]) == (2, 3)
    t.apply("s", [(3, 6, "", "tag")])
    t.apply("s", [(4, 12, "委", "ent"), (12, 20, "员", "ent")])  # touching edits of one rule: one row
    assert t.text == "a\nbc委员d" and t.rows[-1] == ("s", "ent", 8, 24, 2, 16)
    assert t.parts[-1] == ((8, 16, 8, "委"), (16, 24, 8, "员"))  # each keeps its block's span
    t.apply("s", [(2, 4, "", "drop")], split=True)  # b and c are not contiguous in the raw text
    assert t.rows[-2:] == [("s", "drop", 3, 4, 0, 1), ("s", "drop", 7, 8, 0, 1)]
    t.apply("s", [(2, 3, "", "drop")], split=False)
    assert t.rows[-1] == ("s", "drop", 8, 16, 0, 0) and t.text == "a\n员d"


def test_the_cleaning_imports_no_compiler_and_no_c_calls():
    import ast
    from pathlib import Path

    import govlab.corpus.clean as C

    for name in ("clean.py", "_edits.py", "rules.py"):
        tree = ast.parse((Path(C.__file__).parent / name).read_text(encoding="utf-8"))
        imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not imported & {"numba", "ctypes", "numpy", "cffi"}, (name, imported)


def test_importing_the_corpus_package_does_not_import_numba():
    import subprocess
    import sys

    code = "import sys, govlab.corpus; govlab.corpus.clean_text('<p>委员</p>'); print('numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("raw,kind", [
    ("<<<<<<<<<<<<<<<<", "html"),  # a run of '<' at the end: one truncated tag, not one per sweep
    ("建立领导包抓督导机制，全年开展协商活\n动十二场。建立领导包\n抓 督导机制，全年开展\n协商活动十二场。建立\n领导包抓督导机制，全\n年开展协商活动十二场\n。", "auto"),  # joined, then soft space
])
def test_cases_the_fuzzer_found_are_idempotent(raw, kind):
    once = clean_text(raw, kind=kind).text
    assert clean_text(once, kind=kind).text == once


def test_article_written_by_a_script_element_is_kept():
    raw = ('<p>页头</p><script type="text/javascript">\ndocument.writeln("<p>' + BODY + '<\\/p>");\n'
           'document.writeln("<p>' + BODY2 + '<\\/p>");\n</script><p>页尾</p>')
    r = clean_text(raw, kind="html")
    assert r.text == f"页头\n{BODY}\n{BODY2}\n页尾\n"
    assert any(b.startswith("<script") for b in removed(raw, r, "js_wrapper"))


# ----------------------------------------------------------------------------- pinyin glosses

def test_pinyin_glosses_are_removed_and_logged():
    r = clean_text("（虚构）县政協(xié)委員走進(jìn )社區(qū)，收集意見（jiàn）。")
    assert r.text == "（虚构）县政协委员走进社区，收集意见。\n"
    assert list(r.log["rule"]).count("pinyin_gloss") == 4


@pytest.mark.parametrize("text", ["（虚构）会议(2023)在县城召开。", "（虚构）委员(共12名)参加。",
                                  "（虚构）平台(App)上线。", "（虚构）拼音xié不在括号里。"])
def test_brackets_that_are_not_glosses_stay(text):
    ascii_brackets = str.maketrans("（）", "()")
    r = clean_text(text)
    assert r.text.rstrip("\n").translate(ascii_brackets) == text.translate(ascii_brackets)
    assert "pinyin_gloss" not in set(r.log["rule"])
