"""Regenerate govlab's fictional example reports (run from the repository root:
``python datasets/examples/_generate.py``).

Everything here is FICTIONAL, written for govlab: 青溪县 (Qingxi County), 东岭市 (Dongling City) and 林山市
(Linshan City) do not exist, and every name, number, telephone number and web address is invented.
The texts imitate the *kinds* of noise found in real copies of CPPCC reports (site chrome, link-farm
spam, JavaScript wrappers, paywall and terms notices, repeated passages, hard line wraps, soft spaces,
traditional script, several encodings) so that tests and notebooks run without the real reports.
The script writes the files byte-for-byte deterministically.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------------------------------------
# 1. A county CPPCC web page (CMS), GB18030 bytes with a declared gb2312 charset.
WORKSTATIONS_BODY = [
    "近年来，青溪县政协把委员工作站建设作为推动政协协商向基层延伸的重要抓手，按照&ldquo;党委领导、政府支持、政协搭台、"
    "各方参与、服务群众&rdquo;的思路，在全县14个乡镇（街道）布局建设6个片区委员工作站和21个委员工作室，形成了"
    "“县有委员之家、片有工作站、村有议事点”的工作格局。",
    "一、阵地建设有标准。县政协制定《委员工作站建设规范》，对照“六有”标准（有阵地、有标识、有制度、有流程、有活动、"
    "有实效），统一标识牌、议事规则和台账格式。每个工作站由1名县政协副主席联系，站长由所在乡镇党委副书记兼任，"
    "下沉委员平均每站18人。",
    "二、履职活动有定额。推行“4+X”履职模式，要求每个工作站每年至少开展4次协商议事活动、报送10条以上社情民意信息，"
    "同时结合实际开展若干项特色活动。2022年，各工作站共开展协商活动126场次，参与群众3200余人次，收集社情民意信息"
    "415条，其中××条得到县委、县政府领导批示。",
    "三、成果转化有回音。对协商形成的意见建议，实行建议清单、责任清单、落实清单“三张清单”管理，由县政协提案委员会"
    "跟踪督办。截至年底，建议办结率为92.5%，群众满意度测评为96.1分。",
    "四、议题来源有渠道。各工作站建立党政点题、群众出题、委员荐题三项机制，在村（社区）设立意见箱、开通微信群，2022年"
    "共征集议题213个，经县政协主席会议审定后确定协商议题58个，其中群众出题的占比达到41.4%。",
    "五、协商流程有规范。各工作站统一实行“六步议事法”：收集议题、确定议题、议前调研、开展协商、成果报送、结果反馈。"
    "每次协商前，召集委员带领相关界别委员深入村组走访，形成调研报告；协商时邀请乡镇分管领导、县直部门负责人、人大代表、"
    "村民代表和利益相关方共同参与，做到众人的事情由众人商量。",
    "六、委员履职有平台。县政协为每名委员建立履职档案，把参加工作站活动的情况作为年度评先评优的重要依据。2022年，"
    "全县委员人均参加工作站活动3.6次，人均提交社情民意信息1.9条，另有××名委员因长期不参加活动被约谈提醒。",
    "调研中也发现，部分工作站存在“重建设、轻运行”的倾向，站长随乡镇换届调整后工作衔接不畅；非公有制经济人士参加活动"
    "没有误工补贴，参与积极性不高；少数村组青壮年外出务工，议事活动难以召集。下一步，县政协将推动工作经费列入县级"
    "财政预算，探索开设网上协商议事室，让协商更接地气。",
]


def workstations_html() -> bytes:
    body = "\n".join(f"<p>&nbsp;&nbsp;{p}</p>" for p in WORKSTATIONS_BODY)
    page = f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>青溪县政协“委员工作站”建设观察_青溪政协网</title>
<style type="text/css">.main{{font-size:14px;color:#333}} .nav a{{margin:0 8px}}</style>
<script type="text/javascript">var _hmt = _hmt || []; (function(){{ var hm = document.createElement("script"); }})();</script>
</head>
<body>
<div class="top">青溪政协网</div>
<div class="nav"><a href="/">首页</a> | <a href="/yw/">政协要闻</a> | <a href="/xs/">协商议政</a> | <a href="/wy/">委员风采</a></div>
<div style="display:none"><a href="#">澳门博彩娱乐城</a> <a href="#">百家乐真人投注</a> <a href="#">六合彩开奖</a> <a href="#">时时彩</a></div>
<style>.main p{{text-indent:2em;line-height:1.8}}</style>
<table><tr><td>当前位置：<a href="/">首页</a> &gt; <a href="/jc/">基层协商</a> &gt; 正文</td></tr></table>
<div class="main">
<h1>青溪县政协“委员工作站”建设观察</h1>
<div class="info">发布时间：2023-03-15 09:30&nbsp;&nbsp;来源：青溪县政协办公室&nbsp;&nbsp;浏览次数：1024</div>
{body}
<p class="tools">【<a href="javascript:window.print()">打印本页</a>】 【<a href="javascript:window.close()">关闭窗口</a>】</p>
</div>
<!-- 页脚开始 -->
<div class="bottom">
<p>版权所有：青溪县政协办公室　备案号：某ICP备00000000号-1</p>
<p>联系电话：0000-0000000　地址：青溪县城关镇民主路1号</p>
<p><a href="#top">返回顶部</a></p>
</div>
<script>document.getElementById("count").innerHTML = "<b>1024</b>";</script>
</body>
</html>
"""
    return page.encode("gb18030")


# ---------------------------------------------------------------------------------------------
# 2. A page delivered as JavaScript: document.writeln with escaped HTML (UTF-8).
LOOP_BODY = [
    "东岭市各区政协协商议事“六步法”运行情况调查",
    "东岭市xx区政协自2021年起推行协商议事“六步法”，即收集议题、确定议题、议前调研、开展协商、成果报送、结果反馈，"
    "形成闭环。全区x个街道均已建立协商议事室，全年确定协商议题xx个。",
    "（一）议题来源更加多元。区政协通过党政点题、群众出题、委员荐题三条渠道征集议题，其中群众出题的比例由2021年的18%"
    "提高到2022年的31%。",
    "（二）协商过程更加规范。每次协商前由召集委员带队开展议前调研，协商会邀请相关部门负责人、人大代表、居民代表和"
    "专家学者共同参与，平均每场参与xx人。",
    "（三）存在的问题。部分议题“议而不决”“决而不行”，成果报送后缺少反馈；个别协商议事室一年仅开展1次活动；"
    "网上协商议事室使用率偏低，8个区中只有2个区开通了线上议事。",
    "（四）对策建议。建议把协商成果落实情况纳入街道年度考核，建立提案办理“回头看”制度，对答复为B类的建议开展"
    "二次督办，推动“行而不久”的问题得到解决。",
    "（五）典型案例。xx区某街道老旧小区加装电梯议题，由群众出题、委员荐题后列入年度协商计划。区政协组织委员开展议前"
    "调研，走访住户xx户，召开协商会x次，最终形成“政府补一点、居民出一点、企业让一点”的方案，推动首批x部电梯开工建设。",
    "（六）下一步工作。区政协将把协商议事室建设纳入“六有”标准化管理，推动每个社区每年至少开展2次协商，并探索利用"
    "网上协商议事室开展“线上+线下”协商，让外出务工人员也能参与家乡事务的讨论。",
]


def _js_string(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("/", "\\/")


def loop_js() -> bytes:
    calls = ['document.writeln("<table width=\\"100%\\">");', 'document.writeln("<tr><td class=\\"tip\\">");',
             'document.writeln("<span>该文章免费阅读，以下是该文章的全部内容：<\\/span><\\/td><\\/tr>");',
             'document.writeln("<tr><td>");']
    for p in LOOP_BODY:
        calls.append(f'document.writeln("<p>{_js_string(p)}</p>");')
    calls += ['document.writeln("<\\/td><\\/tr>");', 'document.writeln("<\\/table>");']
    return (" ".join(calls[:4]) + "\n" + "\n".join(calls[4:]) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------------------------
# 3. A journal article copied from a hacked site: traditional script, Big5 bytes, link-farm spam.
ROOMS_TRAD = [
    "澳門賭場線上娛樂城,百家樂真人投注,六合彩開獎直播,時時彩免費試玩,老虎機在線,成人午夜影院,體育投注平台,棋牌遊戲大廳 ?",
    "",
    "林山市「有事好商量」協商議事室建設實踐",
    "",
    "2022-05-10 14:20:31某某某",
    "某某社會主義學院學報 2022年第3期",
    "",
    "某某某",
    "",
    "摘 要：協商議事室是推動政協協商與基層協商銜接的重要平臺。林山市政協自2020年起在全市推開協商議事室建設，"
    "形成了「黨委領導、政府支持、政協搭臺、各方參與、服務群眾」的工作格局。",
    "",
    "關鍵詞：協商議事室；基層治理；協商民主",
    "",
    "[中圖分類號]D627? ? ?[文獻標識碼]A? [文章編號]0000-0000(2022)03-0001-04",
    "",
    "一、建設情況",
    "",
    "到2021年底，全市96個鎮、街道和1 204個村、社區實現了協商議事室全覆蓋，並在全市政協系統86個界別建立界別協商議事室。",
    "",
    "二、運行機制",
    "",
    "林山市的協商流程分為八步：搭建平臺、確定議題、明確主體、商前調研、開展協商、報送成果、轉化落實、評估質效；"
    "通過黨政點題、群眾出題、委員薦題徵集議題，協商成果報送同級黨委，形成建議清單、責任清單和落實清單。",
    "",
    "三、存在問題",
    "",
    "個別村組的協商會開得熱烈，散會後卻少有下文，議而不決、決而不行的情形時有出現；部分鎮村協商經費沒有保障，委員參加活動"
    "自付交通費用，非公經濟人士參與協商沒有誤工補貼。",
    "",
    "四、對策建議",
    "",
    "建議把協商議事室運行經費列入市、縣兩級財政預算，建立委員聯繫協商議事室制度，推動每名市政協委員每年至少參加2次"
    "基層協商活動；完善「回頭看」機制，對協商成果辦理情況開展評估，防止「行而不久」。",
    "",
    "同時，要加強網上協商議事室建設，拓寬外出務工人員和青年群體參與協商的渠道，提高協商議事的代表性和廣泛性。",
    "",
    "責任編輯：某某某",
    "",
    "主站蜘蛛池模板: 久久精品國產| 亞洲無碼在線| 歐美成人午夜| 日韓精品一區二區| 國產自拍偷拍| 澳門賭場| 六合彩開獎| 時時彩平臺| 百家樂真人| 成人影院在線觀看|",
]


def rooms_big5() -> bytes:
    return ("\n".join(ROOMS_TRAD) + "\n").encode("big5")


# ---------------------------------------------------------------------------------------------
# 4. A copy from a document-sharing site (文库): UTF-16 with BOM, hard-wrapped lines, a repeated
#    abstract/preview, terms notice and uploader card.
SURVEY_TITLE = "关于青溪县政协协商向村组延伸的调研报告"
SURVEY_PARAS = [
    "为推动政协协商向村组延伸，县政协组成调研组，于2023年4月至6月深入全县14个乡镇、××个村（社区）开展调研，"
    "召开座谈会9场，发放问卷1,200份，回收有效问卷1,136份。",
    "一、基本情况",
    "全县已建成委员工作站6个、委员工作室21个，覆盖率达到100%；××%的县政协委员下沉到片区工作站，"
    "每名委员每年参加协商活动不少于2次。协商议题中，民生类议题占比为67.3%，较上年提高×个百分点。",
    "二、存在问题",
    "一是议题选择偏窄，群众出题比例偏低；二是协商形式较为单一，以座谈会为主；三是成果转化机制不健全，"
    "个别议题存在议而不决的情况；四是保障不足，村级协商没有专项经费。",
    "调研中，有××%的受访群众表示不知道村里设有协商议事点，有31.5%的受访委员表示本职工作繁忙、难以按时参加活动。"
    "部分工作站站长由乡镇党委副书记兼任，换届后人员变动频繁，工作衔接不畅。",
    "三、对策建议",
    "建立党政点题、群众出题、委员荐题相结合的议题征集机制，把协商经费列入财政预算，对参与协商的非公有制"
    "经济人士给予误工补贴，并将协商成果落实情况纳入乡镇年度考核。",
    "同时，建议建立委员联系工作站的双向选择机制，按照委员的专业特长、居住地和工作单位合理安排下沉，推动每个工作站"
    "至少有1名熟悉基层工作的委员常驻联系，切实解决“委员下不去、群众找不到”的问题。",
]


def _wrap(text: str, width: int = 60) -> list[str]:
    """Hard-wrap at a display width (Chinese characters count 2)."""
    import unicodedata

    lines, cur, w = [], "", 0
    for ch in text:
        cw = 2 if unicodedata.east_asian_width(ch) in "WFA" else 1
        if w + cw > width:
            lines.append(cur)
            cur, w = "", 0
        cur += ch
        w += cw
    if cur:
        lines.append(cur)
    return lines


def survey_utf16() -> bytes:
    out = ["电脑桌面", "添加某某文库到电脑桌面", "安装后可以在桌面快捷访问", "", SURVEY_TITLE, "", SURVEY_TITLE]
    for p in SURVEY_PARAS:
        out.extend(_wrap(p))
    preview = SURVEY_TITLE + "".join(SURVEY_PARAS)[:150] + "..."
    out += [preview, "",
            "1、用户付费下载本文档后，仅获得文档的使用权，不代表购买了版权，不得用于其他商业用途。",
            "2、本站文档均由网友上传，本站不对文档的完整性和准确性做任何保证。",
            "3、如文档内容涉及侵犯著作权，请点击“违规举报”。",
            "", "碎片内容", "", "关注 青山+", "已实名认证", "文档贡献者", "", "这位用户很懒，暂无简介", "",
            "确认删除?", "返回顶部", "联系客服"]
    return "\ufeff".encode("utf-16-le") + "\r\n".join(out).encode("utf-16-le")


# ---------------------------------------------------------------------------------------------
# 5. A newspaper page (UTF-8 with BOM, .md): metadata lines, soft spaces, the body printed twice.
PAPER_HEAD = ["青溪县政协推动协商议事向村组延伸", "2023年06月08日", "字数：1,326", "版次：02"]
PAPER_BODY = [
    "今年以来，青溪县政协坚持把协商 议事作为履职的重要抓手，推动政协协商向村组延伸。",
    "一、搭平台",
    "县政协在6个片区委员工作站的基础上，在××个行政村设立协商议事点，由驻村委 员和村“两委”成员共同召集，"
    "全年开展“有事好商量”协商活动48场次。",
    "二、建机制",
    "县政协推行六步议事法，把收集议题、确定议题、议前调研、开展协商、成果报送、结果反馈六个环节固定下来，"
    "协商成果由乡镇党委 研究后交有关部门办理，办理结果在村务公开栏公示。",
    "三、强保障",
    "县财政每年安排基层协商工作经费30万元，对参加协商的群众代表给予适当补贴，有效破解了“没钱办事”的难题。",
    "四、重实效",
    "截至5月底，全县协商议事点共形成协商成果××项，其中32项已经办结，涉及农村道路维修、饮水安全、村级公益事业等"
    "群众关心的问题。一位村民代表说：“过去有事找不到地方说，现在家门口就能商量。” （上）",
]


def paper_md() -> bytes:
    lines = PAPER_HEAD + PAPER_BODY + PAPER_BODY[1:]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------------------------
# 6. Plain township notes (GB18030 without any declaration; a control text with little noise).
NOTES = [
    "城关镇委员工作室协商议事工作小结",
    "",
    "　　2022年，城关镇委员工作室围绕老旧小区改造、农贸市场提升、学校周边交通安全等群众关心的问题，开展协商议事活动"
    "7次，收集社情民意信息23条，全部按照“4+X”要求完成年度任务。",
    "　　工作室坚持“群众出题、委员答题、部门解题”，每次协商前由委员入户走访，形成调研报告后再召开协商会。"
    "老旧小区改造议题协商后，镇政府将××个小区列入年度改造计划，惠及居民1,580户。",
    "　　一年来，工作室共接待群众来访56人次，组织委员入户走访120余户，推动解决路灯维修、垃圾清运、停车管理等"
    "“小事”21件。镇政府对协商意见逐条办理，并在镇政务公开栏公示办理结果。",
    "　　工作室还探索“协商+网格”模式，把协商议题征集与网格员日常走访结合起来，网格员发现的问题经梳理后提交工作室，"
    "形成“发现问题—协商议事—推动落实—反馈评价”的闭环。",
    "　　存在的不足：青壮年居民外出务工较多，白天协商难以召集；部分建议办理周期长，群众反映“行而不久”。",
    "　　下一步，工作室将利用晚上和节假日开展协商，并把协商成果办理情况纳入镇年度考核。",
]


def notes_gb18030() -> bytes:
    return ("\r\n".join(NOTES) + "\r\n").encode("gb18030")


FILES = {
    "qingxi-workstations.html": workstations_html,
    "dongling-six-steps.txt": loop_js,
    "linshan-rooms.txt": rooms_big5,
    "qingxi-survey.txt": survey_utf16,
    "qingxi-paper.md": paper_md,
    "chengguan-notes.txt": notes_gb18030,
}

FICTIONAL = "FICTIONAL example written for govlab"
MANIFEST = [
    # file, doc_id, title, author, venue, published, locality, locality_level, province, script, source, doi, noise
    ("chengguan-notes.txt", "ex-chengguan-notes", "城关镇委员工作室协商议事工作小结", "", "township work summary (fictional)",
     "2023-01-10", "城关镇 (青溪县)", "township", "", "simplified", FICTIONAL, "",
     "GB18030 without a declared charset; CRLF line ends; ideographic-space indents; little noise (control text)"),
    ("dongling-six-steps.txt", "ex-dongling-six-steps", "东岭市各区政协协商议事“六步法”运行情况调查", "",
     "unknown web page (fictional)", "2023", "东岭市 and its districts", "city", "", "simplified", FICTIONAL, "",
     "whole text wrapped in document.writeln(...) with escaped HTML; free-reading notice; xx / x masked numbers"),
    ("linshan-rooms.txt", "ex-linshan-rooms", "林山市“有事好商量”协商议事室建设实践", "某某某",
     "某某社会主义学院学报 2022年第3期 (fictional)", "2022", "林山市", "city", "", "traditional", FICTIONAL, "",
     "Big5 bytes; traditional script; link-farm spam line at head and block at tail; '?' for tabs; date-time line"),
    ("qingxi-paper.md", "ex-qingxi-paper", "青溪县政协推动协商议事向村组延伸", "", "newspaper page 02 (fictional)",
     "2023-06-08", "青溪县", "county", "", "simplified", FICTIONAL, "",
     "UTF-8 with BOM; date/字数/版次 lines; body from section 一 printed twice; soft spaces inside words"),
    ("qingxi-survey.txt", "ex-qingxi-survey", "关于青溪县政协协商向村组延伸的调研报告", "", "document-sharing site (fictional)",
     "", "青溪县", "county", "", "simplified", FICTIONAL, "",
     "UTF-16 with BOM; CRLF; desktop prompt at head; title twice; hard-wrapped lines; preview repeating the body; "
     "terms notice; uploader card; ×× masked numbers"),
    ("qingxi-workstations.html", "ex-qingxi-workstations", "青溪县政协“委员工作站”建设观察", "",
     "county CPPCC web page (fictional)", "2023-03-15", "青溪县", "county", "", "simplified", FICTIONAL, "",
     "HTML in GB18030 declared gb2312; <script>/<style>; navigation, breadcrumb, meta line; hidden link farm; "
     "print/close tools; copyright, ICP, telephone and address footer; HTML entities"),
]
COLUMNS = ["file", "doc_id", "title", "author", "venue", "published", "locality", "locality_level", "province",
           "script", "source", "doi", "noise"]


def main() -> None:
    for name, make in FILES.items():
        (HERE / name).write_bytes(make())
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    w.writerows(MANIFEST)
    (HERE / "manifest.csv").write_bytes(buf.getvalue().encode("utf-8"))


if __name__ == "__main__":
    main()
