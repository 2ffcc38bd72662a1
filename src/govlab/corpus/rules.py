"""The rule tables of the cleaning (:mod:`govlab.corpus.clean`): character classes, patterns and
word lists, kept apart from the code that applies them.

Every table here is data written for Chinese government and CMS pages and document-sharing sites
in general, not for particular files. The line rules (:data:`LINE_RULES`) each name the literal
triggers one of which occurs in every line the rule can drop, a pattern searched in the stripped
line, and a length limit.

Steps and rules (``step: rule``), in pipeline order:

* ``normalise``: ``lone_surrogate``, ``line_endings`` (the CR of CR LF dropped; lone CR, form feed, U+2028/9 to LF),
  ``invisible_chars`` (zero-width characters, stray BOMs, control characters). ``width`` (first
  part): full-width digits, Latin letters and ％ to ASCII.
* ``javascript``: ``js_wrapper`` (``document.write``/``writeln("...")`` calls around the page,
  kept: the string contents), ``js_unescape`` (``\\/``, ``\\"``, ``\\n``, ``\\uXXXX`` escapes).
* ``html``: ``html_comment``, ``html_script``, ``html_style``, ``html_head``, ``html_chrome``
  (``<nav>``, ``<footer>``, ``<aside>``, elements whose class or id names navigation, breadcrumbs,
  footers, share tools, logos), ``html_hidden`` (``display:none`` elements, where link farms hide),
  ``html_tag`` (block tags become line breaks, inline tags vanish), ``html_entity``.
* ``gloss``: ``pinyin_gloss`` (a bracketed pinyin syllable with a tone mark, ``政協(xié)``, ``區(qū)``,
  as some mirror sites insert after every less common character of an article; removed so that
  words read whole, once, here: the coding modules read text without glosses).
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


Examples
--------
>>> [r.rule for r in LINE_RULES][:3]
['navigation', 'app_prompt', 'site_header']
>>> LEGAL_FOOTER.matches("版权所有 某某市人民政府")
True
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# ---------------------------------------------------------------------------------------------
# character classes
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】「」『』…—·×－～％"
# "Chinese context": Han characters and Chinese punctuation (and the full-width forms block).
CTX = f"{HAN}{CJK_PUNCT}\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
SPACE = " \t\u00a0\u3000\u2002-\u200a\u202f\u205f"
TERMINAL = "。！？!?"
SPACE_CHARS = " \t\u00a0\u3000\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
NORM_CHARS = ("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029" + "".join(map(chr, range(0, 9))) + "".join(map(chr, range(0x0e, 0x1c)))
               + "\x1f\x7f\u00ad\u200b\u200c\u200d\u2060\ufeff\ufffe\ufe0f")
# Characters of link-farm keywords that are rare in policy prose (a line needs several to be checked).
SPAM_CHARS = "码淫赌娱婷蜘偷妻嫩禁澳彩虎拍裸艳骚奶乳萝莉逼爽撸炮∨碼賭娛澳綜乐樂无無福午夜"
FW_ALNUM_CHARS = "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff05"  # full-width digits, letters and ％

# ---------------------------------------------------------------------------------------------
# javascript
# A call and its string argument: ``"..."`` (group ``body``) or ``'...'`` (group ``body2``), in which
# a backslash escapes the next character.
JS_CALL = re.compile(
    r"document\s*\.\s*write(?:ln)?\s*\(\s*(?:(?:(?P<q>\")(?P<body>[^\"\\]*(?:\\.[^\"\\]*)*)\"|"
    r"(?P<q2>')(?P<body2>[^'\\]*(?:\\.[^'\\]*)*)')\s*)?"
    r"(?:\)\s*;?|$)", re.S)
# An escape: a surrogate pair written as two ``\\u`` escapes (one character), ``\\uXXXX``, ``\\xXX``, or
# a backslash and any character.
JS_ESCAPE = re.compile(r"\\(u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\s\S])")
JS_SIMPLE = {"n": "\n", "t": "\t", "r": "", "b": "", "f": "\n", "v": "\n", "0": ""}
# The <script> element around a run of document.write calls (its opening tag just before the first
# call, its closing tag just after the last).
JS_SCRIPT_OPEN = re.compile(r"<script\b[^<>]*>\s*\Z", re.I)
JS_SCRIPT_CLOSE = re.compile(r"\s*</script\s*>", re.I)

# ---------------------------------------------------------------------------------------------
# html
HTML_SIGNS = re.compile(r"<(?:/?(?:p|div|br|td|tr|table|span|a|li|ul|h[1-6]|html|body|head|meta|"
                         r"script|style|font|strong|b|img|section|article)\b[^<>]{0,500}>|!--)", re.I)
# Comments and elements dropped whole. An element's content runs to its first closing tag or, when
# unclosed, to the end of the text (written out as "anything but <, or a < that does not start the
# closing tag", which reads the content at the speed of a character class).
_CONTENT = r"[^<]*(?:<(?!/(?P={0})\s*>)[^<]*)*(?:</(?P={0})\s*>|\Z)"
HTML_DROP = re.compile(
    r"<!--[^-]*(?:-(?!->)[^-]*)*(?:-->|\Z)"
    r"|<(?P<tag>script|style|noscript|template|iframe|object|svg|head|select|textarea)\b" + _CONTENT.format("tag") +
    r"|<(?P<ctag>nav|footer|aside|menu)\b[^>]*>" + _CONTENT.format("ctag") +
    r"|<(?P<htag>[a-zA-Z][\w:-]*)\b(?P<hattr>[^<>]*?(?:display\s*:\s*none|visibility\s*:\s*hidden|\bhidden\b(?!\s*=\s*[\"']?false))[^<>]*)>"
    + _CONTENT.format("htag") +
    r"|<(?P<ntag>div|ul|ol|p|span|section|td|table|dl)\b(?P<nattr>[^<>]*?\b(?:class|id)\s*=\s*[\"']?[^\"'>]*?"
    r"(?:nav|menu|breadcrumb|crumb|footer|copyright|share|toolbar|sidebar|related|position|location|logo|banner|topbar|\btop\b)[^<>]*)>"
    + _CONTENT.format("ntag"),
    re.S | re.I)
HTML_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)\b[^<>]*(?:>|\Z)|<![^<>]*>|<\?[^<>]*\?>|(?:</?\s*)+\Z", re.S)
BLOCK_TAGS = frozenset(
    "p div br hr tr li ul ol dl dt dd h1 h2 h3 h4 h5 h6 table tbody thead tfoot section article "
    "header blockquote pre form title address figure figcaption main center caption".split())
ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")

# ---------------------------------------------------------------------------------------------
# spam
_SPAM_WORDS = (
    "无码 有码 成人 午夜 福利 精品视频 在线观看 在线播放 免费视频 视频在线 人妻 黄色 毛片 三级片 自拍 偷拍 激情 情色 乱伦 "
    "国产 亚洲 欧美 日韩 久久 一区二区 二区三区 蜘蛛池 博彩 彩票 赌场 赌博 娱乐城 百家乐 六合彩 时时彩 棋牌 老虎机 真人 "
    "投注 下注 澳门 威尼斯人 葡京 开奖 彩金 代孕 办证 刷单 夜夜 天天 婷婷 色综 五月 丁香 伊人 四虎 波多野 人成 嫩模 "
    "a∨ 18禁 av AV Av porn PORN sex SEX casino "
    # traditional forms (spam is often in the same script as the page)
    "無碼 國產 亞洲 歐美 日韓 精品視頻 在線觀看 在線播放 免費視頻 視頻在線 黃色 三級片 自拍 偷拍 情色 亂倫 一區二區 二區三區 "
    "賭場 賭博 娛樂城 百家樂 時時彩 老虎機 澳門 開獎 辦證 蜘蛛池"
).split()
SPAM_TERMS = re.compile("|".join(sorted(set(map(re.escape, _SPAM_WORDS)), key=len, reverse=True)))
SPAM_SPLIT = re.compile(r"[|｜,，、;；/\s_]+")


# ---------------------------------------------------------------------------------------------
# chrome and notice: line rules
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


_SP = f"[{SPACE}]"
_BULLET = "•·●◆■□▪▶►◇○◎★☆>\\-*"
_ARROW = r"(?:>|»|›|＞|&gt;|/|\||-{1,2}>)"
NAVIGATION = LineRule(
    "chrome", "navigation", ("位置", "所在", "首页", "主页"),
    re.compile(rf"^(?:(?:当前|您的|您现在的|你的|现在的)?(?:位置|所在位置|所在){_SP}*[:：]|"
               rf"(?:首页|主页|网站首页|返回首页){_SP}*{_ARROW}|"
               rf"(?:首页|网站首页)(?:[{SPACE}|｜]+[^\s|｜]{{1,8}}){{3,}}$)"),
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
    re.compile(rf"(?:^|[{SPACE}【】\[\]|｜])(?:{'|'.join(sorted(_META_LABELS, key=len, reverse=True))}){_SP}*[:：]"),
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
    re.compile(rf"^[{_BULLET}]*{_SP}*{_TOOL}(?:[{SPACE}|｜:：]*{_TOOL})*$"), 80, no_terminal=True)
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
# lines that start with a digit or bracket: candidates for the rules without literal triggers
DIGIT_LINE = re.compile(rf"[{SPACE}]*[\d(（]")

CLAUSE_MARK = re.compile(r"[，。；：！？,;:!?]")

# ---------------------------------------------------------------------------------------------
# placeholder, reflow, duplicates
#: A pinyin gloss: one syllable with at least one tone-marked vowel (or ü), in ASCII or full-width
#: brackets (a space may precede the closing bracket): no word of a report is written so.
PINYIN_GLOSS = re.compile(
    "[(（](?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7} ?[)）]")
TAB_Q = re.compile(r"(?<=[A-Za-z0-9\]】])\?(?:[ \t]*\?)*(?=[ \t]*[\[【]|[ \t]*$)", re.M)
HEADING_START = re.compile(
    r"(?:第[一二三四五六七八九十百]+[，、,章节条部分]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|"
    r"\d+[、.．]\D|[一二三四五六七八九十]是|[①②③④⑤⑥⑦⑧⑨⑩]|摘\s*要|关键词|参考文献|\[)")

ELLIPSIS_TAIL = re.compile(r"(?:\.{2,}|…+|。{0,1}\.{3,})$")

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


# ---------------------------------------------------------------------------------------------
# compiled character classes and one-for-one tables
def _class(chars: str) -> re.Pattern:
    return re.compile(f"[{chars}]")


NORM_RE = _class(re.escape(NORM_CHARS) + "\ud800-\udfff")
FW_ALNUM_RE = _class(FW_ALNUM_CHARS)
SPAM_CHAR_RE = _class(SPAM_CHARS)
SPACE_RUN = re.compile(f"[{SPACE}]+")
HAN_RE = _class(HAN)
NL_RUN = re.compile(r"\n+")
# the ASCII marks normalise_width changes next to Chinese text
WIDTH_MARK = re.compile("[,;:!?()]")
FW_ALNUM = {c: chr(c - 0xFEE0) for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
FW_ALNUM[0xFF05] = "%"
HW_TO_FW = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


CTX_CHAR = _class(CTX)
PROSE_MARK = re.compile("[，。；]")
WIDE_SPACE = re.compile("[\u00a0\u3000\u2002-\u200a\u202f\u205f]")
# OpenCC reads an ideographic description sequence (and a NUL) across a line break: such texts are
# converted line by line.
CROSS_LINE = re.compile("[\x00\u2ff0-\u2fff\u31ef]")
