"""Figures: every number in a report that counts something, with its evidence offsets.

The extractor follows the design measured in ``research/textmining.md`` §5: an *anchored* regular
expression finds a number only where a measure word, a percent sign, a date or a named quota anchors
it (number + optional 万/亿 + optional 余/多/近/超过 + a measure word), and only the matched numeral is
converted (Arabic by ``float``, Chinese by ``cn2an`` in ``smart`` mode on the span alone). Whole-
sentence converters turn 六步议事, 一是, 十四五, 三农 into false numbers; this never does, because

* a numeral must be followed by a measure word, ``%``, 年/月/日, or ``+X``;
* named terms (六步议事, 十四五, 三农, 四个意识, 两张皮 ...; ``figures.named_terms`` in the codebook),
  short quoted slogans (“620”, “两个全覆盖”), unquoted ones (四个到位, 三个聚焦: a Chinese numeral, 个
  and one two-character word jieba tags a verb, adjective or adverb, ending the clause), ordinals
  (第十三届), the indefinite 一 (一批, 一项; but one per period counts: 每季度开展一次), phases
  (二期工程), times of day (晚上8点半), addresses (6栋2单元) and identifiers (DOIs, URLs, phone
  numbers) are skipped; a figure pointed back at (这23个点 after 23处盲区) is given once;
* masked numbers are kept as missing (``masked=True``, ``value`` NaN), never zero: a run of up to four
  placeholder characters (×, x/X, ｘ/Ｘ, *, ＊, ○/〇, □: ××户, ****户, ○○个) in place of the number, or
  N/n standing for it before a measure word (N个); one asterisk right after a real number is a
  footnote mark, not a mask (12*个 is 12), while digits mixed with more of them (12**户) are masked;

What a figure counts (``counted``) is read, in this order:

* from the noun phrase after the measure word, whose head is its **last** lexicon noun (Chinese noun
  phrases are head-final: 政协委员基层联系点 -> 联系点), or the noun past it that ends in a noun
  suffix (委员志愿服务队 -> 志愿服务队), or the word a one-character noun ends (23处盲区 -> 盲区);
  modifiers and relative clauses before 的 are dropped (已建设工作室的委员 -> 委员), a quoted brand
  between number and noun is skipped (10个“…”工作点 -> 工作点), phrase stops (predicates such as
  落地见效, 挂牌, 加装) end the phrase only where they are words (要 ends 要开展 but not 具体要求;
  rjieba with the lexicon decides), a coordination with no noun in its first part shares the head
  of the second (集中学习或调研活动 -> 活动), alternatives in brackets are kept as written
  (委员工作室(站), 镇(街), 村(居)) and an alternative measure word is skipped (86项(件)成果),
  enumerations and compounds of administrative units stay together (镇(街道、园区), 区、县(市),
  街镇, 村居, 乡镇街道), an organ after a unit gives the unit (县区政协 -> 县区) except after person
  measure words (14位社区书记 -> 书记); 人 is a noun, so nothing after it is what it counts;
* else a change carries the noun from its first figure to its second (联系点由20个增加到35个);
* else from a lexicon noun right before the number (开展协商活动不少于4次; the word, not its last
  character: 农户860户), not when it is the whole (全村386户) and never reaching back past the
  figure before (386户1420人);
* else, when the measure word ends the clause, from the words that touch the number before it
  (社情民意76条, 专题学习会2次, 就业岗位2300余个), with a leading verb (新建, 化解) dropped;
* else inherited from an earlier figure with the same measure word in the sentence (8个区中仅有2个),
  from a ``…数量`` phrase, the measure word itself when it is a noun (2700多人 -> 人, 人次, 户; 先后4次
  -> 次), or, for a total that opens its clause, the last noun of the clause before (…议事室实现
  全覆盖，共计156个 -> 议事室).

Round 2 (phrasings of the extra set and of more real pages, all tested on fictional sentences):

* after 等 closing an enumeration the class noun after the measure word wins (甲社区、乙社区等5个示范点位);
  words between two figures name the second when its measure word ends the clause (安装路灯50盏捐资8万元);
  a figure's own words are never reread by the next one (8户居民12家饭店);
* events: a verb ending the clause after 次/场 is the event (10次民意收集, 5次走访), and so is a verb right
  before an event count (调研走访12次); a verb with an object after it is a predicate (两次获评优秀委员); a
  place before 的 modifies an event (1次市(县)区的协商议事活动);
* heads: a unit with alternatives before an unknown word (镇(街道)联络委) and 村级/县级 are modifiers
  (村级养老院 -> 养老院); a one-character noun starting a longer noun word is that word (区域, 村庄); a verb
  whose object, persons, ends the phrase cuts it (住户感谢政协委员 -> 住户); words ending in a noun after
  the last known noun are the head at a clause end (委员信箱, 委员履职档案); a phrase with no known noun
  ends at its first verb, adjective or adverb (jieba: 路灯整齐排列 -> 路灯); a verb before a numeral is a
  word (进百村), and a figure inside quotes reads no further than them (“百名委员联百企”活动);
* a total after qualifiers and verbs opening its clause (…全覆盖，共建成156个) counts the noun of the
  clause before; specific measure words (盏, 部, 台; not 个, 名, 次) inherit their noun across the text;
  the whole before a number is not counted (全村386户 -> 户); the noun before 在N人 is;
* precision: lengths and areas (米, 公里, 平方米, 亩) are recognised and dropped (they measure, they count
  nothing), and so are per-capita figures (人均, 户均); spaced-out pages (1.9 万个 " … " 议事室) are read
  (pinyin glosses of web pages, 镇(zhèn), are removed by the cleaning, before any figure is read);
* 不下 and 将近一半 are approximate; a verb before 人数 names nothing (参会人数约150人 -> 人).

Round 3 (classes of errors on the final set and the two fresh sets, session 6; fictional tests in
``tests/test_figures_round3.py``):

* levels: a count of levels names the levels with the noun they qualify, as written (三级政协委员,
  两级政协); an enumeration of levels between a count and its noun qualifies the noun (88名省、市、区
  三级政协委员 -> 委员);
* persons: a count of persons ends before its verb (20名委员走进社区 -> 委员); an enumeration of persons
  is counted whole (40多位政协委员、居民代表); secretaries are persons, not organs of their unit
  (四个村(居)书记 -> 书记); N人 before the group they make counts the group (14人委员履职小组);
* compounds: a group after units or a known noun is the head (街镇联络组, 界别组); places within each
  unit are not counted (19个街镇辖区村 -> 街镇); a noun built before a count (议事室建设5个), a
  possessor before a count (村里的4口井 -> 井), a unit holding a count (该市共有18台) and a quantity
  before a number (一梯4户 -> 户) are handled; a 由…的 relative clause is skipped;
* shares and money: a share of a set named before 中 (106条建议中，54.77% -> 建议), the owner before
  占比/比例/比重 (老年居民占比80% -> 居民), two rates given one value are two figures (办结率和满意率均达
  99%); money named after 的 (1000元的标准) or by 销售;
* ordinals: 首个 is kept with kind ``ordinal`` (value 1, not a count); 十四届、十五届 and 十六届四次会议
  are dropped; a Chinese numeral before a unit noun also counts after 在, 到, 和, 覆盖 (在两县, 覆盖八村);
  household and person nouns count after Arabic numerals without a measure word (300余农户);
* after the fresh5 and fresh6 blind scores: a quoted name followed by a verb is counted whole
  (16家“协商驿站”授牌); a person noun the lexicon lacks is read by jieba (20余名果农); a place before a
  count holds it (石河子市14个团场 -> 团场); quoted campaign names with 百/千/万 (“百名委员联系千户群众”),
  届…次 (the Nth session), per-person amounts (每人收取10元) and a unit noun that starts a longer word
  (12345市民热线) are no figures; a delegation is counted as such (调研组一行10人 -> 调研组; 一行14人 ->
  一行); a share right after a count shares its noun (收到建议580条，已解决90%); a second quantity after
  和 starts a second noun (两栋住宅楼和一片平房区 -> 住宅楼); a one-character stop ending a known noun
  is kept (基层协商会 -> 协商会).
* session 7: a quota is not read inside a longer formula ("13+5+X": no 5+X); a doubled Chinese digit
  (一一道来 "one by one", 三三两两) is no number.

Money is labelled by its kind (``money_nouns``: 总投资, 捐款, 拨款 ...), else by the word touching the
amount when it ends like a money word (善款, 慰问金, 增收, 总投入), by the goods it is worth (价值3.2万元的
路灯, 药品价值2万元), 资金 when none is named.
Percentages count the noun after ``%…的``, the rate word before them (落实比率; 知晓率从35%提升至82%
counts 知晓率 twice; 办事效率提升60%) or the subject of 占 (新面孔占了三分之一); 50%至70%的村 is one
share with a range. 种/类 count kinds (三种类型的… -> 类型); N级 counts levels only before a
level word or after an enumeration of levels (省、市、县三级政协委员), never a rank (三级甲等).
Numerals outside a closed list are read (百名, 万余个, 上千人次 as approximate, 八村 after 等/全,
首个 = 1 of kind ``ordinal`` (the first one: no count), 三成至六成 as a range, 近两成 as approximate); 一 counts only as "only/at least one", one
per period or in an enumeration of counts (一名…和十名…); N届 before a noun is an ordinal
(十九届四中全会); page metadata (浏览次数, 阅读) is no figure.

Some lists stay closed on purpose (all in the codebook's ``figures:`` section): measure words (an
open rule would read any character after a number as one), money nouns (backed by the open
"ends like a money word" rule above), and the verbs that end a noun phrase (``phrase_stops``).
The verbs cannot be told from modifiers by a tagger here: jieba tags 新建 a place name and 履职 a
verb inside 委员履职档案, so a list of predicate words does the job, and is cut only where it is a
word. jieba's tags are used only on single words: the unquoted slogan check, and in round 2 to end an
unknown noun phrase, to find a verb before persons or after an event count, and to accept nouns past the
last known one.

Columns of the result: ``doc_id, kind, value, value_max, unit, counted, approx, qualifier, masked,
date, start, end, matched``; ``start``/``end`` are offsets into the text and ``matched`` is the short
numeric span ``text[start:end]`` (number, qualifiers and measure word only).
"""
from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from govlab.coding.codebook import Codebook, FigureRules, load_codebook
from govlab.coding.coding import _texts_of, validate_text
from govlab.errors import ConfigError, InputError

__all__ = ["extract_figures", "extract_figures_corpus", "FIGURE_COLUMNS", "parse_number"]

#: Columns of the figures table.
FIGURE_COLUMNS = ["doc_id", "kind", "value", "value_max", "unit", "counted", "approx", "qualifier",
                  "masked", "date", "start", "end", "matched"]

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_HAS_FULLWIDTH = re.compile("[０-９．％]")
_FULLWIDTH_X = str.maketrans("ＸｘＮｎ", "XxNn")
_CN_YEAR_DIGIT = {"〇": "0", "零": "0", "○": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
                  "六": "6", "七": "7", "八": "8", "九": "9"}
_PUNCT = set("，。；：！？,;:!?\n\r、（）()《》【】[]")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_QUOTES = re.compile(r"“[^“”\n]{1,12}”|「[^「」\n]{1,12}」|\"[^\"\n]{1,12}\"|‘[^‘’\n]{1,12}’|『[^『』\n]{1,12}』")
_IDENT = re.compile(r"(?:https?://|www\.)[^\s，。；]+|doi\s*[:：]\s*\S+|(?<![0-9A-Za-z])10\.\d{4,9}/\S+"
                    r"|[A-Za-z0-9._\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]+|[A-Za-z]+\.[A-Za-z]+\.[A-Za-z0-9._\-]+")
_QUOTE_CHARS = str.maketrans("", "", "“”「」‘’『』\"'《》")
_ONLY_BEFORE = ("仅有", "只有", "仅", "只", "共有", "共", "唯一")
_STRIP_BEFORE = ("一般为", "一般", "通常", "大约", "约为", "平均", "总共", "一共", "全年", "每年", "每月",
                 "增加到", "增至", "达到了", "达到", "共计", "合计", "总计", "累计", "共有", "仅有", "只有",
                 "均为", "均是", "分别为", "超过", "不少于", "不低于", "至少", "人数", "数量", "总数", "个数",
                 "保持在", "控制在", "在", "建设", "建成",
                 "为", "达", "是", "有", "共", "约", "近", "仅", "只", "均", "已", "了", "的", "中", "里",
                 "内", "计", "数", "占", "等")
_PER_UNIT = re.compile(r"(?:平均)?每[\u4e00-\u9fff]{1,2}$|平均$")
#: Placeholder characters that stand for a hidden number (N/n only before a measure word, by the regex).
_MASK = frozenset("×xXｘＸ＊*○〇□NnＮｎ")
_FOOTNOTE = re.compile(r"(?<=\d)[*＊]$")  # 12*: a footnote mark after a real number
_META_BEFORE = re.compile(r"(?:浏览|点击|阅读|访问|播放|转发|点赞|评论|字数)(?:量|数|次数|人数)?\s*[：:]?\s*$")
_META_AFTER = re.compile(r"\s*(?:浏览|阅读|点击|访问|播放|转发|点赞)")
_PERSON_UNITS = frozenset(("位", "名", "人", "人次"))
_TRAILING_ALT = re.compile(r"[(（][\u4e00-\u9fff、]{1,6}[)）]$")
_BOUND_BEFORE = ("至少", "不少于", "不低于", "最少")
_ENUM_BEFORE = re.compile(r"[\u4e00-\u9fff]{1,6}、[\u4e00-\u9fff]{1,6}$")
_DIRECT_CN_BEFORE = set("等共全有计，、：（(在到和及与盖") | {""}
_SIBLING = r"[^。；，\n]{{0,12}}?[和、及与][^。；，\n]{{0,3}}?(?:\d+|[二两三四五六七八九十百千]+)\s?{u}"
_OPEN_QUOTES = "“「『‘\""
_CLOSE_QUOTES = {"“": "”", "「": "」", "『": "』", "‘": "’", "\"": "\""}
_ADMIN_CHARS = frozenset("省市县区乡镇村街")
_DELEGATION = re.compile(r"一行\s*(?:共|约|近)?\s*$")
_RATE_PAIR = re.compile(r"([\u4e00-\u9fff]{1,4}[率度])[和、与及]([\u4e00-\u9fff]{1,4}[率度])")
_QUOTED_NAME = re.compile(r"[“「『\"]([\u4e00-\u9fff ]{2,10})[”」』\"]")
_SET_BEFORE = re.compile(r"(?:中|里|当中)\s*[，,]?\s*(?:有|约|近|超过|其中)?\s*$")
_POSSESSOR_END = re.compile(r"的\s*(?:共|约|近|有|这|那)?\s*$")  # 村里的4口机电灌溉井: 村 owns them
_PERSON_GROUP = re.compile(r"[\u4e00-\u9fff]{0,6}?(?:小组|工作组|调研组|专班|团队|队伍|服务队|委员会|理事会|议事会)")
_ADVERB_TAILS = frozenset(("", "都", "也", "均", "各", "还", "已", "又", "正", "将", "分别", "共"))
_GROUP_TAIL = re.compile(r"(?:联络组|工作组|小组|组)$")
_WITHIN = re.compile(r"(?:辖区|所辖|下辖|范围内|境内)")
_LEVEL_ENUM = re.compile(r"(?:(?:街道|社区|乡镇|园区|村居|[省市县区乡镇村街])[、，,]?){2,}$")
_SHARE_SUBJECT = re.compile(r"([\u4e00-\u9fff]{1,10}?)占了?\s*$")
_FUNCTION_WORDS = frozenset("的了在对向将把被和与及等是有为中上下里内了")
_CHANGE_BEFORE = re.compile(r"(?:从|由)(?:不到|不足|原来的|原先的)?$|(?:提升|提高|增长|上升|增加|下降|降低|减少)(?:了)?$")
_CHANGE_BETWEEN = re.compile(r"\s*(?:提升|提高|增长|上升|增加|下降|降低|减少|升|降|增)?(?:了)?(?:至|到)\s*$")
_RANGE_BETWEEN = re.compile(r"\s*[至到~～〜\-—–]\s*$")
_MONEY_HEAD = re.compile(r"[\u4e00-\u9fff]*[款金费资入收贴助算额本酬薪税售]$")
_NOUN_ALT = re.compile(r"\([\u4e00-\u9fff]{1,2}\)$")
_DEMONSTRATIVE = re.compile(r"(?:这|那|此|上述|前述|以上|这些|那些)$")
_PER_BEFORE = re.compile(r"每[^，。；：！？,;:!?\n]{1,6}$")  # 每一次 is "every", not one per period
_NOUN_TAIL = re.compile(r"[\u4e00-\u9fff]{2,4}[队团组站室所厅堂馆库群班坊屋亭街]")
_COUNT_CHANGE_BETWEEN = re.compile(
    r"\s*(?:增加|扩大|提高|增长|上升|发展|减少|下降|降低|扩展|拓展|增|减)?了?(?:到|至)"
    r"(?:今年|目前|现在|年底|年末|本年|去年)?(?:底|末)?的?\s*")
_CHANGE_VERBS = ("增加", "扩大", "提高", "增长", "减少", "下降", "增至", "增到", "降至", "降到")
_CHANGE_TARGET = re.compile(r"(?:发展|增加|扩大|增长|提高|上升|扩展|拓展)了?(?:到|至)(?:现在|目前|今年|年底|年末)?的?$")
_TIME_BEFORE = re.compile(r"(?:上午|下午|晚上|早上|凌晨|中午|傍晚|夜间|早晨|清晨|夜里|每天|每晚|当晚|当天|至|到|于)\s*$")
_TIME_AFTER = re.compile(r"(?:半|钟|整|许|\d{1,2}分|[一二三四五]?十[一二三四五六七八九]?分)")
_CHANGE_ORIGIN = re.compile(r"(?:由|从)(?:去年|上年|年初|原来|原先|过去|以前|最初)?(?:底|末)?的?$")
_CN_PAIR = re.compile(r"([一二两三四五六七八])([二三四五六七八九])([十百千万])?")
_CN_ORDER = "一二三四五六七八九"
_PERSONISH = re.compile(r"(?:[员人者众民表部长记席贤家生士手农]|常委)$")
_PHASE_AFTER = re.compile(r"(?:工程|项目|建设|规划|改造|扩建|用地|地块)")
_GENERIC_UNITS = frozenset(("个", "名", "位", "人", "人次", "项", "件", "条", "次", "场", "场次", "家", "户", "批",
                            "批次", "期", "种", "类", "级", "处", "点", "份", "篇", "轮", "组", "支", "所", "座"))
_NOUN_FLAGS = frozenset(("n", "nz", "ng", "vn", "nr", "ns", "nt"))
_PER_CAPITA = re.compile(r"人均|户均|亩均|平均每(?:人|户|亩)|每人平均|每户平均|每(?:人|户)(?:每[年月天日])?[\u4e00-\u9fff]{0,4}$")
_ENUM_END = re.compile(r"等\s*$")
_COUNT_NOUN = re.compile(r"([\u4e00-\u9fff（）()、]{2,10}?)(?:数量|人数|总数|个数)")


@dataclass(frozen=True)
class _Compiled:
    regex: re.Pattern
    unit_kind: dict
    blocked: frozenset
    approx: frozenset
    lex_re: re.Pattern | None
    canon: dict
    admin: frozenset
    stops: re.Pattern | None
    named: re.Pattern | None
    named_len: int
    strip_guard: dict
    prefix_end: re.Pattern | None
    organs: frozenset
    events: frozenset
    rates: tuple
    self_counted: frozenset
    direct: frozenset
    lexicon: frozenset
    level_words: tuple
    money: dict
    money_before: re.Pattern | None
    stop_words: frozenset
    terms: tuple


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@lru_cache(maxsize=8)
def _compile(rules: FigureRules) -> _Compiled:
    ar = r"(?:\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0]\d{3})+(?!\d)|\d+(?:\.\d+)?)"
    cn = (r"(?:[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*(?:点[零〇一二三四五六七八九]+)?"
          r"|[百千万](?=[余多])|[百千](?=[名个人位家户项件条村])|(?<![千一])万(?=[户项件条])|(?<=上)[百千万](?=[名个人位家户项件条次])|首(?=个))")
    mask = r"(?:[×xXｘＸ＊*○〇□]{1,4}|(?<![+＋])[NnＮｎ](?=\s?[个名位项件条家户所座]))"
    num = (rf"(?:(?<![\d.]){ar}(?:[*＊](?![*＊×xX\d]))?|(?<![{_CN_DIGITS}]){cn}|(?<![A-Za-z0-9]){mask}(?![A-Za-z0-9]))")
    prefixes = _alt(rules.approx_prefix + rules.exact_prefix) or "(?!)"
    infix = _alt(rules.infix) or "(?!)"
    suffix = _alt(rules.suffix) or "(?!)"
    units = _alt([u for u, _ in rules.classifiers] + list(rules.blocked_units))
    direct = _alt(rules.direct_nouns) or "(?!)"
    date = (
        r"(?P<date>(?<![A-Za-z0-9_./\-])(?P<y1>(?:19|20)\d{2})[-/.](?P<m1>0?[1-9]|1[0-2])[-/.](?P<d1>0?[1-9]|[12]\d|3[01])(?!\d)"
        r"|(?<![\d.])(?P<y2>(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})\s?(?:[-—–~～至到]\s?(?P<y3>(?:19|20)\d{2})\s?)?年"
        r"(?P<yd>度)?(?:\s?(?P<m2>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s?月"
        r"(?:\s?(?P<d2>3[01]|[12]\d|0?[1-9]|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s?[日号])?)?"
        r"(?P<dq>初|底|末|以来|起|至今)?"
        r"|(?<![\d年])(?P<m3>1[0-2]|0?[1-9])\s?月\s?(?P<d3>3[01]|[12]\d|0?[1-9])\s?[日号]"
        r"|(?<![A-Za-z0-9])(?P<ymask>[×xX]{2,4})\s?年度)"
    )
    quota = r"(?P<quota>(?<![\dA-Za-z+＋])(?P<qn>\d{1,2}|[一二三四五六七八九十])\s?[+＋]\s?(?P<qx>[XxＸｘNn])(?![A-Za-z]))"
    pct = (
        rf"(?P<pct>(?:(?P<ppre>{prefixes})?(?P<share>占)\s?|(?P<ppre2>{prefixes})\s?)?(?P<pn>{num})\s?[%％](?P<psuf>以上|左右|以下|之多)?"
        rf"|(?:(?P<ppre3>{prefixes})\s?)?百分之(?P<pcn>{cn})(?P<psuf2>以上|左右|以下)?"
        rf"|(?:(?P<fpre>{prefixes})\s?)?(?P<fden>[二三四五六七八九十]{{1,2}})分之(?P<fnum>[一二三四五六七八九十]{{1,2}})"
        rf"|(?:(?P<hpre>{prefixes})\s?)?(?P<half>一半|半数|过半)(?P<psuf3>以上)?"
        rf"|(?:(?P<tpre>{prefixes})\s?)?(?<![一二两三四五六七八九十\d.])(?P<tenth>[二两三四五六七八九]|[1-9](?!\d))成(?:(?:至|到|~|-)(?P<tenth2>[二两三四五六七八九十]|[1-9]|10)成)?(?![员为果本立功效长就熟型绩了])(?P<psuf4>以上|左右|多)?)"
    )
    count = (
        rf"(?P<count>(?:(?P<pre>{prefixes})\s?)?(?P<n1>{num})(?:\s?(?P<rsep>[~～〜\-—–至到])\s?(?P<n2>{num}))?"
        rf"(?:\s?(?P<inf>{infix}))?(?:\s?(?P<mag>万亿|千万|百万|万|亿))?(?:\s?(?P<inf2>余|多))?"
        rf"(?(mag)\s?(?:(?P<unit1>{units}))?|\s?(?:(?P<unit2>{units})|(?P<direct>{direct})(?![委政长级书])))"
        rf"(?P<suf>{suffix})?)"
    )
    regex = re.compile("|".join([date, quota, pct, count]))
    lexicon = [_ascii_parens(t) for t, _ in rules.counted]
    lex_re = re.compile(f"(?=({_alt(lexicon)}))") if lexicon else None
    canon = {}
    for t, c in rules.counted:
        canon[_ascii_parens(t)] = _ascii_parens(c)
    stops = re.compile(_alt(rules.phrase_stops)) if rules.phrase_stops else None
    named = re.compile(_alt(rules.named_terms)) if rules.named_terms else None
    return _Compiled(
        regex=regex, unit_kind=dict(rules.classifiers), blocked=frozenset(rules.blocked_units),
        approx=frozenset(rules.approx_prefix) | frozenset(rules.infix) | frozenset(rules.suffix) | {"以下"},
        lex_re=lex_re, canon=canon, admin=frozenset(_ascii_parens(a) for a in rules.admin_units),
        stops=stops, named=named, named_len=max((len(t) for t in rules.named_terms), default=0),
        strip_guard={w: tuple(t for t in lexicon if t.endswith(w) and len(t) > len(w)) for w in _STRIP_BEFORE},
        prefix_end=re.compile(rf"(?:{prefixes})(?:占)?\s?$|占\s?$") if prefixes != "(?!)" else None,
        organs=frozenset(rules.organs), events=frozenset(rules.event_units), rates=tuple(sorted(rules.rate_words, key=lambda w: -len(w))),
        self_counted=frozenset(rules.self_counted), direct=frozenset(rules.direct_nouns),
        lexicon=frozenset(lexicon),
        level_words=tuple(rules.level_words),
        money={_ascii_parens(t): _ascii_parens(c) for t, c in rules.money_nouns},
        money_before=re.compile(f"(?:{_alt([t for t, _ in rules.money_nouns])})$") if rules.money_nouns else None,
        stop_words=frozenset(rules.phrase_stops),
        terms=tuple(sorted(set(lexicon))),
    )


def _ascii_parens(s: str) -> str:
    return s.replace("（", "(").replace("）", ")")


@lru_cache(maxsize=4096)
def _cn_value(s: str) -> float:
    import cn2an

    if s in ("百", "千", "万", "首"):  # 百名, 千余人, 万余个; 首个 (the first one) counts one
        return {"百": 100.0, "千": 1000.0, "万": 10000.0, "首": 1.0}[s]
    try:
        return float(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError, TypeError, AttributeError):
        return math.nan


def parse_number(span: str) -> float:
    """Convert one numeral span (Arabic, Chinese, or mixed with 万/亿) to a float.

    Only the span is converted (never a sentence). Masked spans (``××``, ``xx``) and spans that do
    not parse give NaN.

    Parameters
    ----------
    span : str
        For example ``"1 868"``, ``"2.7万"``, ``"两千三百万"``, ``"九十四点二七"``.

    Returns
    -------
    float

    Examples
    --------
    >>> parse_number("1 868"), parse_number("2.7万"), parse_number("两千三百万"), parse_number("三十")
    (1868.0, 27000.0, 23000000.0, 30.0)
    >>> import math; math.isnan(parse_number("××"))
    True
    """
    s = span.translate(_FULLWIDTH).strip()
    if not s or set(s) <= _MASK:
        return math.nan
    mult = 1.0
    for mag, m in (("万亿", 1e12), ("千万", 1e7), ("百万", 1e6), ("万", 1e4), ("亿", 1e8)):
        if s.endswith(mag) and s[: -len(mag)] and s[: -len(mag)][-1].isdigit():
            mult, s = m, s[: -len(mag)]
            break
    if re.fullmatch(r"[\d,，  .]+", s):
        try:
            return float(re.sub(r"[,，  ]", "", s)) * mult
        except ValueError:
            return math.nan
    return _cn_value(s) * mult


def _protected(work: str, s: int, e: int, comp: _Compiled, quota: bool) -> int:
    """Whether a figure at ``work[s:e]`` overlaps a named term or an identifier (1), or (except quotas)
    lies inside a short quoted span (2): a slogan such as “620” or “两个全覆盖” unless what it counts
    is a known noun (“1个主站点+N个站点”, decided once ``counted`` is known). Checked locally."""
    n = len(work)
    if comp.named is not None:
        for m in comp.named.finditer(work, max(0, s - comp.named_len), min(n, e + comp.named_len)):
            if m.start() < e and s < m.end():
                return 1
    lo = max(0, s - 80)
    if "." in work[lo:e] or "@" in work[lo:e]:
        for m in _IDENT.finditer(work, lo, min(n, e + 40)):
            if m.start() < e and s < m.end():
                return 1
    if not quota:
        for m in _QUOTES.finditer(work, max(0, s - 13), min(n, e + 13)):
            if m.start() < s and e < m.end():
                return 2
    return 0


def _lexicon_matches(seg: str, comp: _Compiled) -> dict[int, str]:
    """Longest lexicon term starting at each position of ``seg`` (overlapping)."""
    if comp.lex_re is None:
        return {}
    return {m.start(): m.group(1) for m in comp.lex_re.finditer(seg)}


def _window(text: str, start: int, limit: int, skip_quote: bool = True) -> str:
    """Raw text after a figure, up to punctuation (parenthesised admin alternatives kept).

    A quoted brand right after the measure word is skipped when a noun follows it (10个“…”工作点);
    when nothing follows, the quoted words are the noun (7场“委员社区论坛”).
    """
    lead = start
    spaced = re.search(r"[\d\u4e00-\u9fff][ \u00a0]+[\u4e00-\u9fff\d]", text[max(0, start - 6):start])
    while spaced and lead < min(limit, start + 2) and text[lead] in " \u00a0":
        lead += 1  # 建立 1.9 万个 " 有事好商量 " 协商议事室: pages that space out numbers and quotes
    if skip_quote and lead < len(text) and text[lead] in _OPEN_QUOTES:
        close = text.find(_CLOSE_QUOTES[text[lead]], lead + 1, min(limit, lead + 20))
        after = close + 1
        while 0 < close < after < min(limit, close + 3) and text[after] in " \u00a0":
            after += 1
        if close > lead + 1 and "\u4e00" <= text[after:after + 1] <= "\u9fff":
            lead = after
    start = lead
    raw = _ascii_parens(text[start:min(limit, start + 40)]).translate(_QUOTE_CHARS)
    raw = raw[:28]
    out = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "(":
            close = raw.find(")", i)
            if close > i:
                out.append(raw[i:close + 1])
                i = close + 1
                continue
            break
        if ch in _PUNCT and ch != "、" or ch.isspace() or ch.isdigit() or ch in "×%":
            break
        out.append(ch)
        i += 1
    return "".join(out)


def _clean_segment(text: str, start: int, limit: int, comp: _Compiled, event: bool = False) -> str:
    """The noun phrase after a measure word (see :func:`_segment_after`); when a quoted brand was
    skipped and no noun followed it, the brand's own words, whole (7场“委员社区论坛”以及 -> 委员社区论坛)."""
    seg = _segment_after(text, start, limit, comp, True, event)
    if not seg and start < len(text) and text[start] in _OPEN_QUOTES:
        quoted = _QUOTED_NAME.match(text, start)
        if quoted and quoted.end() <= limit:  # 18台“加装电梯”交付使用: a name is read whole, stops and all
            return quoted.group(1).replace(" ", "")
        seg = _segment_after(text, start, limit, comp, False, event)
    return seg


def _segment_after(text: str, start: int, limit: int, comp: _Compiled, skip_quote: bool,
                   event: bool = False) -> str:
    """The noun phrase after a measure word: up to punctuation, a stop word or the next figure.

    Modifiers ending in 的 are dropped (富有特色的委员之家 -> 委员之家) unless what precedes 的 is
    itself a counted noun (三个类别的研究 -> 类别); lexicon terms are never cut by a stop word
    (社会组织 keeps 组织).
    """
    raw = _window(text, start, limit, skip_quote)
    alt = re.match(r"\(([^()]{1,5})\)", raw)
    if alt and all(u in comp.unit_kind for u in re.split(r"[、，,/]", alt.group(1)) if u):
        raw = raw[alt.end():]  # 86项(件)履职成果: an alternative measure word
    if raw.startswith("、"):
        return ""  # 委员之家17个、委员工作室46个: the noun came before the number
    de = raw.find("的")
    if de >= 0:
        stops_before = _stop_positions(raw[:de], comp)
        places = {_canon(t, comp) for t in _lexicon_matches(raw[:de], comp).values()}
        if 0 in stops_before or not places and not stops_before or raw[:1] in "由被经" \
                or event and places <= comp.admin and _lexicon_matches(raw[de + 1:], comp):
            # 富有特色的委员之家; 已建设委员工作室的委员: a relative clause; 1次市(县)区的协商议事活动:
            # an event is never a place, so a place before 的 modifies the event after it
            raw = raw[de + 1:]
        # else 12家饭店及周围商铺反映的…: the noun ends before the first stop (及), not after 的
    raw = re.sub(r"[A-Za-z]+", "", raw)  # 六个NPC代表联系站: Latin letters inside the noun phrase
    lex = _lexicon_matches(raw, comp)
    stop_at = _stop_positions(raw, comp)
    out = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        term = lex.get(i)
        if term is not None:
            out.append(term)
            i += len(term)
            continue
        if ch == "(":
            close = raw.find(")", i)
            inner = raw[i + 1:close]
            if close > i and (_admin_alternatives(inner, comp, "".join(out))
                              or (out and re.fullmatch(r"[\u4e00-\u9fff]{1,2}", inner))):
                out.append(raw[i:close + 1])  # 委员工作室(站): an alternative, kept as written
                i = close + 1
                continue
            break
        if ch == "、" or ch in "·•" and out and i + 1 < len(raw) and "\u4e00" <= raw[i + 1] <= "\u9fff":
            out.append(ch)  # 委员之家·议事厅: one name, its head last
            i += 1
            continue
        if ch in "和及与" and out and raw[i + 1:i + 2] in _CN_DIGITS and "\u4e00" <= raw[i + 2:i + 3] <= "\u9fff":
            break  # 两栋住宅楼和一片平房区: a second quantity starts a second noun phrase
        if ch in "和及与" and out and _persons_pair("".join(out), raw[i + 1:], comp):
            out.append(ch)  # 政协委员及村民代表: persons and persons, one enumeration
            i += 1
            continue
        if ch in "或和及与" and i in stop_at and out and not _lexicon_matches("".join(out), comp):
            nxt = min([j for j in stop_at if j > i] + [len(raw)])
            if _lexicon_matches(raw[i + 1:nxt], comp):  # 集中学习或调研活动: one head for both
                out.append(ch)
                i += 1
                continue
        if i in stop_at and out and any(raw[j:i + 1] in comp.lexicon for j in range(max(0, i - 5), i)):
            out.append(ch)  # 基层协商会: a one-character stop that ends a known noun is part of it
            i += 1
            continue
        if ch == "的" or i in stop_at:
            break
        if not ("\u4e00" <= ch <= "\u9fff"):
            break
        out.append(ch)
        i += 1
    return "".join(out).strip("、")


@lru_cache(maxsize=8)
def _segmenter(terms: tuple):
    from govlab.text.lexicon import Lexicon
    from govlab.text.segment import get_segmenter

    return get_segmenter("rjieba", Lexicon.from_terms(terms, source="figures"))


def _tokens(s: str, comp: _Compiled) -> list[tuple[int, str]]:
    """Word tokens of ``s`` (rjieba with the counted-noun lexicon) with their start offsets."""
    out, i = [], 0
    for tok in _segmenter(comp.terms).cut(s):
        out.append((i, tok))
        i += len(tok)
    return out


def _stop_positions(raw: str, comp: _Compiled) -> set[int]:
    """Offsets where a phrase stop starts *as a word*: 要 stops 要开展, not 要求 (具体要求)."""
    if comp.stops is None or not raw:
        return set()
    hits = {}
    for i in range(len(raw)):
        m = comp.stops.match(raw, i)
        if m is not None:
            hits[i] = m.group()
    out = {i for i, w in hits.items() if len(w) > 1}  # a stop of two or more characters is a word
    single = {i: w for i, w in hits.items() if len(w) == 1}
    if not single:
        return out
    starts = dict(_tokens(raw, comp))
    for i, w in single.items():
        tok = starts.get(i)
        if tok is not None and (tok == w or 0 in _lexicon_matches(tok[1:], comp) or tok[1:2] in _CN_DIGITS):
            out.add(i)  # 进村 is 进 + 村, 进百村 is 进 + 百村: cut; 要求 is one word: not cut
    return out


def _run_before(text: str, pos: int, comp: _Compiled, lo: int = 0, event: bool = False) -> str:
    """The noun phrase written right before a number (社情民意76条, 专题学习会2次), or ''.

    The noun must touch the number (its qualifiers 共, 约, 累计 ... belong to the figure): the clause
    before ``pos`` is cut after its last punctuation and its trailing words up to the last phrase
    stop or function word are kept (at most 8 characters, at least 2); a clause ending in a verb or
    particle (为, 有, 是, 的) gives nothing. The clause starts after ``lo`` (the figure before).
    """
    lo = max(lo, pos - 24)
    clause = text[lo:pos].replace("\n", "").replace("\r", "")
    clause = _clause_tail(clause)
    clause = clause.translate(_QUOTE_CHARS).rstrip()
    origin = _CHANGE_ORIGIN.search(clause)  # 试点由3个扩大到15个
    if origin and origin.start() >= 2:
        clause = clause[:origin.start()]
    if not clause or not re.fullmatch(r"[\u4e00-\u9fff]+", clause[-2:]):
        return ""
    toks = _tokens(clause, comp)
    keep = []
    for _, tok in reversed(toks):
        kept = sum(len(t) for t in keep)
        # a stop word ends the run (可容纳50人: nothing), unless only a one-character head follows it
        # (社情民意征集点)
        nominal = event and not keep  # 调研走访12次: before an event count the verb names the event
        if not re.fullmatch(r"[\u4e00-\u9fff]+", tok) or tok in comp.stop_words and len(tok) > 1 and kept != 1 \
                and not nominal \
                or tok in _FUNCTION_WORDS or tok in ("其中", "包括", "含") or kept + len(tok) > 8 \
                or len(tok) == 2 and tok.endswith("有"):  # 两栋楼共有底商7个: 共有 (拥有, 设有) opens the noun
            break
        keep.append(tok)
    while len(keep) > 1 and keep[-1] in comp.stop_words:  # 发放宣传资料: the verb is no part of it
        keep.pop()
    run = "".join(reversed(keep))
    if re.search(rf"[{_CN_DIGITS}\d][\u4e00-\u9fff]?$", run):
        return ""  # 一梯4户: a quantity before the number, not a noun
    lead = _lexicon_matches(run, comp).get(0, "")
    for w in sorted((w for w in comp.stop_words if len(w) > 1 and run.startswith(w)), key=len, reverse=True):
        if len(run) - len(w) >= 2 and len(lead) <= len(w):  # 化解矛盾纠纷 -> 矛盾纠纷 (not 联系点)
            run = run[len(w):]
            keep = [run]
        break
    unit = re.match(_alt(comp.unit_kind) or "(?!)", run) if clause[:len(clause) - len(run)][-1:].isdigit() else None
    if unit and len(run) - unit.end() >= 2:  # 含3米太阳能路灯29盏: 3米 is a figure of its own
        run = run[unit.end():]
        keep = [run]
    counted_by = re.search(r"(?:数量|人数|总数|个数|次数|数)$", run)
    run = run[:counted_by.start()] if counted_by else run  # 参与人数: no noun
    if counted_by and not _lexicon_matches(run, comp):
        return ""  # 参会人数约150人: a verb before 人数 names nothing; 委员人数 names 委员
    if len(run) < 2 or run[-1] in _FUNCTION_WORDS or re.search(r"(?:每个?|各个?|某)$", run) \
            or re.fullmatch(r"[全本该此每各][\u4e00-\u9fff]{1,2}", run):
        return ""  # 全村386户: the whole that holds the figure, not what it counts
    return run


def _clause_tail(clause: str) -> str:
    """``clause`` after its last punctuation mark outside brackets (县(市、区) keeps its 、)."""
    depth = 0
    for i in range(len(clause) - 1, -1, -1):
        ch = clause[i]
        if ch in ")）":
            depth += 1
        elif ch in "(（":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "，。；：！？,;:!?、":
            return clause[i + 1:]
    return clause


def _has_lexicon(seg: str, comp: _Compiled) -> bool:
    return bool(seg) and bool(_lexicon_matches(seg, comp))


def _split_top(seg: str) -> list[str]:
    """Split on 、 outside parentheses."""
    parts, depth, cur = [], 0, []
    for ch in seg:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == "、" and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p for p in parts if p]


def _canon(term: str, comp: _Compiled) -> str:
    term = _ascii_parens(term)
    return comp.canon.get(term, term)


def _head(seg: str, comp: _Compiled, last: bool = False, persons: bool = False, closed: bool = False) -> str:
    """Normalised head of a noun phrase.

    Enumerations of administrative units are kept together (镇、街道、园区 -> 镇(街道、园区);
    区、县(市) and 市、县政协 as written, the organ dropped), and so are compounds of unit characters
    (街镇, 市县). Else the head is the last lexicon term of the phrase (Chinese noun phrases are
    head-final: 政协委员基层联系点 -> 联系点, 群众急难问题 -> 问题); with ``last=False`` only the first
    chain of touching lexicon terms is read (政协委员之家 -> 委员之家). An organ after a unit gives the
    unit (省辖市党委 -> 省辖市).
    """
    if not seg:
        return ""
    seg = _ascii_parens(seg)
    if last and not persons:
        seg = _before_object(seg, comp)
    elif last:
        seg = _before_predicate(seg, comp)
    parts = _split_top(seg)
    if persons and _is_person_list(seg, comp):
        return seg  # 40多位政协委员、居民代表: the enumeration of persons, as written
    if len(parts) > 1:
        tail = parts[-1]
        for organ in comp.organs:  # 市、县政协 (参观指导): the organ and what follows it dropped
            at = tail.find(organ)
            if at > 0 and _base_unit(tail[:at], comp):
                parts[-1] = tail[:at]
                break
        normal = [_canon(p, comp) for p in parts]
        if all(p in comp.admin for p in normal):
            first, rest = normal[0], [p for p in dict.fromkeys(normal[1:]) if p != normal[0]]
            return f"{first}({'、'.join(rest)})" if rest else first
        if all(_base_unit(p, comp) for p in parts):
            return "、".join(parts)
        seg = parts[0]
    if _canon(seg, comp) != seg or seg in comp.lexicon:
        return _canon(seg, comp)
    if "(" in seg and _base_unit(seg, comp):  # 镇(街), 村(居): the unit with its alternatives
        return seg
    alt = _NOUN_ALT.search(seg)
    if alt and alt.start() > 0 and "(" not in seg[:alt.start()]:  # 委员工作室(站): the head keeps its alternative
        head = _head(seg[:alt.start()], comp, last, persons)
        return head + alt.group() if head and seg[:alt.start()].endswith(head) else head
    if not persons:  # 县区政协, 县(市)党委: an organ after a unit counts the unit
        for organ in comp.organs:
            if seg.endswith(organ) and len(seg) > len(organ) and (
                    _base_unit(seg[: -len(organ)], comp) or _admin_compound(seg[: -len(organ)], comp) == seg[: -len(organ)]):
                return _canon(seg[: -len(organ)], comp)
    run = _admin_compound(seg, comp)
    if not run:  # 镇(街道)联络委: a unit with its alternatives, then no known noun
        unit = re.match(r"[^()]+\([^()]*\)", seg)
        run = unit.group() if unit and _base_unit(unit.group(), comp) else ""
    if run:
        rest = seg[len(run):]
        if _GROUP_TAIL.fullmatch(rest):
            return run + rest  # 街镇联络组: a body of each unit, named by its own head
        if not rest or rest in comp.organs or not _lexicon_matches(rest, comp) or _WITHIN.match(rest):
            return run  # 19个街镇辖区村(社区): the places inside each unit are not what is counted
    level = re.match(r"([^()]{1,3}?)级(?=[\u4e00-\u9fff]{2})", seg)
    if level and _canon(level.group(1), comp) in comp.admin:  # 村级养老院: 村级 is a modifier
        return _head(seg[level.end():], comp, last, persons)
    lex = sorted(_lexicon_matches(seg, comp).items())
    if any(len(t) == 1 for _, t in lex):  # 4个区域, 3个村庄: a word the one-character noun starts
        words = dict(_tokens(seg, comp))
        lex = [(st, words[st]) if len(t) == 1 and len(words.get(st, "")) > 1 and words[st] not in comp.stop_words
               and _pos_flag(words[st]) in _NOUN_FLAGS and not _lexicon_matches(words[st][1:], comp)
               else (st, t) for st, t in lex]  # not 区中, 村里 (a place word)
    if not lex:  # head-final: a long phrase keeps its end (巾帼志愿服务队)
        words = _noun_words(seg, comp)
        return words if len(words) <= 8 else words[-6:]
    if last:
        chain = lex
    else:
        chain = [lex[0]]
        reach = lex[0][0] + len(lex[0][1])
        for st, term in lex[1:]:
            if st > reach:
                break
            chain.append((st, term))
            reach = max(reach, st + len(term))
    head_start, head = max(chain, key=lambda kv: (kv[0] + len(kv[1]), len(kv[1])))
    if len(head) == 1 and head_start > 0:  # 23处盲区: the word the one-character noun ends
        for st, tok in _tokens(seg[:head_start + 1], comp):
            if st < head_start and st + len(tok) == head_start + 1 and re.fullmatch(r"[\u4e00-\u9fff]+", tok) \
                    and tok not in comp.stop_words and not _lexicon_matches(tok[:-1], comp):
                return tok
    if last and not persons:  # the phrase goes on past its last known noun: 委员志愿服务队 -> 志愿服务队
        tail = _NOUN_TAIL.match(seg, head_start + len(head))
        if tail and not any(st >= head_start + len(head) for st in dict(lex)) \
                and _canon(head, comp) not in comp.admin and not re.search(r"[未不没已正将尚均都也再]", tail.group()):
            return tail.group()
        end = head_start + len(head)
        if closed and end < len(seg) and not any(st >= end for st in dict(lex)) and _canon(head, comp) not in comp.admin:
            # 委员信箱, 委员履职档案: words after the last known noun, ending in a noun (jieba), are the head
            # when the phrase ends the clause (部门派员参加: before a predicate they may be one too)
            toks = [tok for _, tok in _tokens(seg[end:], comp)]
            if 0 < len(toks) <= 3 and _pos_flag(toks[-1]) in ("n", "nz", "ng", "vn") and len(seg) - end >= 2 \
                    and all(re.fullmatch(r"[\u4e00-\u9fff]+", t) and t not in comp.stop_words
                            and _pos_flag(t) in ("n", "nz", "ng", "vn", "v") for t in toks):
                return seg[end:]
    end = head_start + len(head)
    if 0 < len(seg) - end <= 2 and not any(st >= end for st in dict(lex)):
        for k in range(head_start + 1, end):  # 基层协商会: the known noun that ends the phrase
            if seg[k:] in comp.lexicon:
                return _canon(seg[k:], comp)
    if not persons and re.fullmatch(r"[组队]", seg[end:end + 1]) and seg[end + 1:] in _ADVERB_TAILS \
            and not any(st >= end for st in dict(lex)):
        return seg[head_start:end + 1]  # 三个界别组: the group of the known noun, not the noun
    head = _canon(head, comp)
    if head in comp.organs and not persons:  # 14位社区书记 counts secretaries, 8个区委 counts districts
        units = [_canon(t, comp) for st, t in chain if st < head_start and _canon(t, comp) in comp.admin]
        if units:
            return units[0]
    return head


def _group_of_persons(work: str, start: int, limit: int, comp: _Compiled) -> str:
    """After N人, a group the persons make (成立14人委员履职小组, 5人工作专班), else '': what follows
    人 is otherwise a predicate (2700多人参加)."""
    seg = _segment_after(work, start, limit, comp, False)
    group = _PERSON_GROUP.match(seg)
    return group.group() if group else ""


def _ends_in_person(phrase: str, comp: _Compiled) -> bool:
    """Whether ``phrase`` ends in a known person noun (委员, 村民代表, 负责人)."""
    lex = _lexicon_matches(phrase, comp)
    return any(st + len(t) == len(phrase) and _PERSONISH.search(_canon(t, comp)) for st, t in lex.items())


def _persons_pair(before: str, after: str, comp: _Compiled) -> bool:
    """Whether a 和/及/与 between ``before`` and ``after`` joins two person nouns (委员及村民代表)."""
    if not _ends_in_person(before.split("、")[-1], comp):
        return False
    nxt = re.match(r"[\u4e00-\u9fff]{2,8}", after)
    return bool(nxt) and any(_ends_in_person(nxt.group()[:k], comp) for k in range(2, len(nxt.group()) + 1))


def _is_person_list(seg: str, comp: _Compiled) -> bool:
    """Whether ``seg`` is an enumeration (、 和 及 与) of two or more person nouns."""
    parts = [p for p in re.split(r"[、和及与]", seg) if p]
    return len(parts) > 1 and all(_ends_in_person(p, comp) for p in parts)


def _before_predicate(seg: str, comp: _Compiled) -> str:
    """``seg`` cut before the verb that follows its first person noun (20名委员走进社区 -> 委员,
    6名政协委员列席常委会议 -> 政协委员): persons then a verb make a clause, whose subject is what a
    count of persons counts. A verb inside a known noun is no verb (联络员, 志愿服务队)."""
    lex = _lexicon_matches(seg, comp)
    covered = {k for st, t in lex.items() for k in range(st, st + len(t))}
    person_end = None
    for st, tok in _tokens(seg, comp):
        if person_end is None:
            term = lex.get(st)
            if term is not None and _PERSONISH.search(_canon(term, comp)):
                person_end = st + len(term)
            elif st == 0 and term is None and len(tok) >= 2 and _PERSONISH.search(tok) \
                    and _pos_flag(tok) in _NOUN_FLAGS:
                return tok if not _lexicon_matches(seg[len(tok):], comp) or _first_verb(seg, len(tok), comp) \
                    else seg  # 20余名果农正跟着…学习: a person noun the lexicon does not know
            continue
        if st >= person_end and st not in covered and _pos_flag(tok) in ("v", "vd", "p"):
            return seg[:st]
    return seg


def _first_verb(seg: str, start: int, comp: _Compiled) -> bool:
    """Whether the first word of ``seg`` from ``start`` is a verb or preposition (jieba)."""
    toks = _tokens(seg[start:], comp)
    return bool(toks) and _pos_flag(toks[0][1]) in ("v", "vd", "p", "d")


def _before_object(seg: str, comp: _Compiled) -> str:
    """``seg`` cut before a verb whose object, a person noun, ends it (68家住户感谢政协委员 -> 住户): a
    noun, a verb (jieba) and persons make a clause, whose subject is what the figure counts; persons
    before a further noun are a modifier (委员帮扶群众小组 -> 小组)."""
    lex = _lexicon_matches(seg, comp)
    covered = {k for st, t in lex.items() for k in range(st, st + len(t))}
    for st, tok in _tokens(seg, comp):
        if st == 0 or st in covered or _pos_flag(tok) not in ("v", "vn"):
            continue
        obj = lex.get(st + len(tok))
        if obj is not None and _PERSONISH.search(_canon(obj, comp)) and seg.endswith(obj):
            return seg[:st]
        break
    return seg


def _noun_words(seg: str, comp: _Compiled) -> str:
    """``seg`` up to its first word after the first that jieba tags a verb, adjective or adverb
    (9盏路灯整齐排列 -> 路灯): the phrase names no known noun, so its words are read one by one."""
    for st, tok in _tokens(seg, comp):
        flag = _pos_flag(tok)
        if st > 0 and flag in ("v", "a", "ad", "d", "vd", "p", "c", "u"):
            return seg[:st]
        if st == 0 and flag not in _NOUN_FLAGS:
            break  # 具体要求: the phrase does not open with a noun, so it is read whole
    return seg


def _admin_compound(seg: str, comp: _Compiled) -> str:
    """A leading compound of two or more admin units written together (街镇, 乡镇街道, 市县), or ''."""
    lex = _lexicon_matches(seg, comp)
    i, pieces = 0, 0
    while i < len(seg):
        t = lex.get(i)
        if t is not None and _canon(t, comp) in comp.admin:
            i += len(t)
        elif t is None or len(t) == 1:
            if seg[i] not in _ADMIN_CHARS:
                break
            i += 1
        else:
            break
        pieces += 1
    return seg[:i] if pieces >= 2 else ""


def _base_unit(part: str, comp: _Compiled) -> bool:
    """Whether ``part`` is an admin unit, possibly with admin alternatives in brackets (县(市), 镇(街))."""
    m = re.fullmatch(r"([^()]+)(?:\(([^()]*)\))?", part)
    if not m or _canon(m.group(1), comp) not in comp.admin:
        return False
    inner = m.group(2)
    return inner is None or _admin_alternatives(inner, comp, m.group(1))


def _admin_alternatives(inner: str, comp: _Compiled, before: str) -> bool:
    """Whether a bracket ``(inner)`` after ``before`` lists alternatives of an admin unit.

    Admin units inside (乡镇(街道), 县(市、区)) always are; after an admin unit, short abbreviations
    are too (镇(街), 村(居), 社区(村)): every part one or two Chinese characters.
    """
    parts = [p for p in re.split(r"[、，,]", inner) if p]
    if not parts:
        return False
    if all(_canon(p, comp) in comp.admin for p in parts):
        return True
    after_unit = any(before.endswith(a) for a in comp.admin)
    return after_unit and all(re.fullmatch(r"[\u4e00-\u9fff]{1,2}", p) for p in parts)


def _noun_before(text: str, pos: int, comp: _Compiled, lo: int = 0) -> str:
    """A counted noun ending right before ``pos`` (after quantity verbs are stripped), or ''.

    The clause starts after its last punctuation and after ``lo`` (the end of the figure before:
    in 386户1420人 the 户 is no noun of 1420)."""
    lo = max(lo, pos - 24)
    clause = text[lo:pos].replace("\n", "").replace("\r", "")
    clause = _clause_tail(clause)
    clause = clause.translate(_QUOTE_CHARS).rstrip()
    alt = _TRAILING_ALT.search(clause)  # 委员工作室(站)近3000个: the alternative in brackets
    clause = clause[:alt.start()] if alt else clause
    changed = True
    while changed and clause:
        changed = False
        for w in _STRIP_BEFORE:
            if clause.endswith(w) and not any(clause.endswith(t) for t in comp.strip_guard.get(w, ())):
                clause = clause[: -len(w)].rstrip()
                changed = True
                break
        stripped = _CHANGE_TARGET.sub("", _CHANGE_ORIGIN.sub("", _PER_UNIT.sub("", clause)))
        if stripped != clause:
            clause = stripped.rstrip()
            changed = True
    if not clause:
        return ""
    lex = _lexicon_matches(clause, comp)
    ending = [(s, t) for s, t in lex.items() if s + len(t) == len(clause)]
    if not ending:
        return ""
    s, term = min(ending)  # longest term ending at the clause end
    if len(term) == 1:  # 农户860户: the word the one-character noun ends
        toks = _tokens(clause[-6:], comp)
        word = toks[-1][1] if toks else term
        if len(word) > 1 and word.endswith(term) and re.fullmatch(r"[\u4e00-\u9fff]+", word) \
                and word not in comp.stop_words and word[0] not in _FUNCTION_WORDS | frozenset("全每各本该此这那某") \
                and not any(word.startswith(u) for u in comp.unit_kind):  # not 8个区 -> 个区, 全村
            s, term = len(clause) - len(word), word
    before = clause[:s]
    if re.search(r"(?:[×xX＊*]{1,4}|某)$", before) or re.search(r"(?:每个?|各个?|平均每个?|[全该本此])$", before):
        return ""  # 每个村3名, 全村386户, 该市共有18台: the unit each or all of which holds the figure
    noun = comp.canon.get(_ascii_parens(term), _ascii_parens(term))
    if alt and noun == _ascii_parens(term) and (len(alt.group()) <= 4 or _admin_alternatives(
            alt.group()[1:-1], comp, noun)):  # 委员工作室(站), 县(市、区)
        noun += _ascii_parens(alt.group())
    return noun


def _rate_before(text: str, pos: int, comp: _Compiled) -> str:
    lo = max(0, pos - 16)
    clause = text[lo:pos].replace("\n", "").replace("\r", "")
    clause = _clause_tail(clause)
    clause = clause.rstrip()
    for _ in range(2):  # 均达: two qualifiers
        for w in ("均为", "均是", "分别为", "为", "达到", "高达", "达", "是", "约占", "约", "占", "仅", "均", "在"):
            if clause.endswith(w):
                clause = clause[: -len(w)].rstrip()
                break
    clause = _CHANGE_BEFORE.sub("", clause).rstrip()  # 知晓率从35%, 办事效率提升60%, 参与度提高了
    for r in comp.rates:
        if clause.endswith(r):
            if r in ("占比", "比例", "比重"):  # 老年居民占比: the share of what is named before it
                owner = _noun_before(clause, len(clause) - len(r), comp) or _run_before(clause, len(clause) - len(r), comp)
                if owner:
                    return owner
            rate = ""
            if len(r) == 1:  # the bare 率: the word it ends (效率, 采用率)
                toks = _tokens(clause[-8:], comp)
                last = toks[-1][1] if toks else ""
                rate = last if len(last) >= 2 and last.endswith(r) else ""
            if not rate:
                pre = clause[: -len(r)][-2:]
                rate = (pre if re.fullmatch(r"[\u4e00-\u9fff]{2}", pre) and "的" not in pre else "") + r
            pair = re.search(r"[\u4e00-\u9fff]{1,3}[率度][和、与及]$", clause[: len(clause) - len(rate)])
            return pair.group() + rate if pair and len(rate) > 1 else rate  # 办结率和满意率均达99%: one value
    return ""


def _iso_date(y, m=None, d=None) -> str:
    s = f"{y:04d}" if y is not None else "-"
    if m is not None:
        s += f"-{m:02d}"
        if d is not None:
            s += f"-{d:02d}"
    elif d is not None:
        s += f"--{d:02d}"
    return s


def _small_int(s: str | None) -> int | None:
    if not s:
        return None
    if s.isdigit():
        return int(s)
    v = _cn_value(s)
    return None if math.isnan(v) else int(v)


def _year(s: str) -> int:
    if s.isdigit():
        return int(s)
    return int("".join(_CN_YEAR_DIGIT.get(ch, "0") for ch in s))


def extract_figures(text: str, doc_id: str = "doc", *, codebook: Codebook | None = None,
                    rules: FigureRules | None = None) -> pd.DataFrame:
    """Extract every figure that counts something from one text.

    Parameters
    ----------
    text : str
        Clean text of one report.
    doc_id : str
        Written in the ``doc_id`` column and named in errors.
    codebook : Codebook, optional
        Supplies the figure vocabulary (``figures:``); the shipped codebook when omitted.
    rules : FigureRules, optional
        The vocabulary itself (overrides ``codebook``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FIGURE_COLUMNS`, one row per figure, in text order:

        - ``kind``: count, percent, money, duration, ratio, ordinal (首个), date or quota (lengths and
          areas, the codebook's ``measure`` kind, are recognised but never emitted: they count nothing);
        - ``value`` (float; NaN when masked; a range's lower end) and ``value_max`` (its upper end);
        - ``unit``: the measure word (个, 名, 人次 ...), ``%``, ``元``, ``date`` or ``quota``;
        - ``counted``: what is counted, normalised (乡镇(街道), 村(社区), 委员, 界别 ...);
        - ``approx``: the number is approximate or a bound (约, 余, 多, 近, 以上, 超过, 不少于 ...);
        - ``qualifier``: those markers, ``|``-joined (for dates 初/底/以来 ...);
        - ``masked``: the number is hidden (××, xx): missing data, never zero;
        - ``date``: ISO date for dates (``2019-05``), else empty;
        - ``start``, ``end``, ``matched``: the numeric span and its offsets.

    Raises
    ------
    govlab.errors.InputError
        The text is empty or has no Chinese (names ``doc_id``).

    Examples
    --------
    >>> t = "（虚构）全县建成委员工作站86个，开展协商230余场次，40多万名群众参与，覆盖98%以上的乡镇。"
    >>> df = extract_figures(t, "demo")
    >>> df[["value", "unit", "counted", "approx"]].values.tolist()
    [[86.0, '个', '委员工作站', False], [230.0, '场次', '协商', True], [400000.0, '名', '群众', True], [98.0, '%', '乡镇', True]]
    >>> extract_figures("（虚构）推行六步议事，一是收集，二是十四五规划。", "demo").empty
    True
    """
    validate_text(text, doc_id)
    if rules is None:
        codebook = codebook or load_codebook()
        if codebook.figures is None:
            raise ConfigError("the codebook has no 'figures' section", source=codebook.source, key="figures")
        rules = codebook.figures
    comp = _compile(rules)
    return _extract(text, doc_id, comp)


def _extract(text: str, doc_id: str, comp: _Compiled) -> pd.DataFrame:
    work = text.translate(_FULLWIDTH) if _HAS_FULLWIDTH.search(text) else text
    raw = []  # dicts, text order
    for m in _candidates(work, comp):
        s, e = m.span()
        g = m.groupdict()
        if g["quota"]:
            kind = "quota"
        elif g["date"]:
            kind = "date"
        elif g["pct"]:
            kind = "percent"
        else:
            kind = "count"
        prot = _protected(work, s, e, comp, kind == "quota")
        if prot == 1 or (prot == 2 and kind != "count"):
            continue
        rec = {"kind": kind, "value": math.nan, "value_max": math.nan, "unit": "", "counted": "",
               "qualifier": [], "masked": False, "date": "", "start": s, "end": e, "_approx": False,
               "_quoted": prot == 2}
        if kind == "date":
            if not _date_record(g, rec):
                continue
        elif kind == "quota":
            rec.update(value=float(_small_int(g["qn"]) or 0), unit="quota",
                       counted=f"{_small_int(g['qn'])}+{g['qx'].translate(_FULLWIDTH_X).upper()}")
        elif kind == "percent":
            if not _percent_record(g, rec, comp):
                continue
        else:
            if not _count_record(g, rec, work, s, e, comp):
                continue
        raw.append(rec)
    _resolve_counted(work, raw, comp)
    rows = []
    for r in raw:
        quals = r["qualifier"]
        approx = r["_approx"] or any(q in comp.approx for q in quals if r["kind"] != "date")
        rows.append((doc_id, r["kind"], r["value"], r["value_max"] if not math.isnan(r["value_max"]) else r["value"],
                     r["unit"], r["counted"], bool(approx), "|".join(quals), bool(r["masked"]), r["date"],
                     r["start"], r["end"], text[r["start"]:r["end"]]))
    df = pd.DataFrame(rows, columns=FIGURE_COLUMNS)
    return df.astype({"value": "float64", "value_max": "float64", "approx": "bool", "masked": "bool",
                      "start": "int64", "end": "int64"})


_ANCHOR = re.compile(r"[0-9零〇○一二两三四五六七八九十百千万半×xXｘＸ＊*□NnＮｎ首]+")


def _candidates(work: str, comp: _Compiled):
    """Matches of the figure regex, tried only where a figure can start.

    Scanning the whole text with the full pattern is slow (it has no literal prefix). Numeral runs
    are found with a one-class pattern; the full pattern is then tried (``match``) where a
    qualifier such as 不少于 ends right before the run, and at the run itself. Lookbehinds still see
    the whole text.
    """
    regex = comp.regex
    last_end = 0
    n = len(work)
    for run in _ANCHOR.finditer(work):
        rs, re_ = run.span()
        if re_ <= last_end:
            continue
        hi = min(re_ + 16, n)
        starts = []
        lo = max(rs - 6, last_end)
        if comp.prefix_end is not None and lo < rs:
            pm = comp.prefix_end.search(work, lo, rs)
            if pm is not None:
                starts.append(pm.start())
        if rs > last_end and work[rs - 1] == "过":  # 过半
            starts.append(rs - 1)
        starts.extend(range(max(rs, last_end), re_))
        for p in starts:
            m = regex.match(work, p, hi)
            if m is not None and m.end() > m.start():
                yield m
                last_end = m.end()
                break


def _date_record(g: dict, rec: dict) -> bool:
    if g["ymask"]:
        rec.update(masked=True, unit="date", date="", qualifier=["年度"])
        return True
    if g["y1"]:
        y, mo, d = int(g["y1"]), int(g["m1"]), int(g["d1"])
    elif g["y2"]:
        y = _year(g["y2"])
        if not 1900 <= y <= 2100:
            return False
        mo, d = _small_int(g["m2"]), _small_int(g["d2"])
        if g["y3"]:
            rec["value_max"] = float(int(g["y3"]))
        if g["dq"]:
            rec["qualifier"].append(g["dq"])
        if g["yd"]:
            rec["qualifier"].append("年度")
    else:
        y, mo, d = None, _small_int(g["m3"]), _small_int(g["d3"])
    rec.update(unit="date", value=float(y) if y is not None else math.nan, date=_iso_date(y, mo, d) if y is not None
               else f"--{mo:02d}-{d:02d}")
    return True


def _percent_record(g: dict, rec: dict, comp: _Compiled) -> bool:
    rec["unit"] = "%"
    if g["pn"] is not None:
        n = _FOOTNOTE.sub("", g["pn"])
        if set(n) <= _MASK:
            rec["masked"] = True
        else:
            rec["value"] = parse_number(n)
        if g["ppre"] or g["ppre2"]:
            rec["qualifier"].append(g["ppre"] or g["ppre2"])
        if g["share"]:
            rec["_share"] = True
        if g["psuf"]:
            rec["qualifier"].append(g["psuf"])
    elif g["pcn"] is not None:
        rec["value"] = _cn_value(g["pcn"])
        if g["ppre3"]:
            rec["qualifier"].append(g["ppre3"])
        if g["psuf2"]:
            rec["qualifier"].append(g["psuf2"])
    elif g["fden"] is not None:
        den, num = _cn_value(g["fden"]), _cn_value(g["fnum"])
        if not den or math.isnan(den) or math.isnan(num) or num > den:
            return False
        rec["value"] = round(100.0 * num / den, 4)
        if g["fpre"]:
            rec["qualifier"].append(g["fpre"])
    elif g["half"] is not None:
        rec["value"] = 50.0
        if g["half"] == "过半":
            rec["qualifier"].append("过半")
            rec["_approx"] = True
        if g["hpre"]:  # 将近一半
            rec["qualifier"].append(g["hpre"])
        if g["psuf3"]:
            rec["qualifier"].append(g["psuf3"])
    else:
        rec["value"] = parse_number(g["tenth"]) * 10
        if g["tpre"]:  # 近两成, 约三成
            rec["qualifier"].append(g["tpre"])
        if g["tenth2"]:  # 三成至六成: a range of shares
            rec["value_max"] = parse_number(g["tenth2"]) * 10
        if g["psuf4"]:
            rec["qualifier"].append(g["psuf4"])
    return not (math.isnan(rec["value"]) and not rec["masked"])


def _count_record(g: dict, rec: dict, work: str, s: int, e: int, comp: _Compiled) -> bool:
    n1 = _FOOTNOTE.sub("", g["n1"])
    unit = g["unit1"] or g["unit2"] or ""
    direct = g["direct"]
    if unit in comp.blocked:
        return False
    num_start = s + (len(g["pre"]) if g["pre"] else 0)
    while num_start < len(work) and work[num_start].isspace():
        num_start += 1
    before = work[num_start - 1] if num_start > 0 else ""
    if before == "第":
        return False
    # 人均可支配收入2.3万元, 户均增收3000元: a per-capita measure, not a count of anything
    if _PER_CAPITA.search(_clause_tail(work[max(0, num_start - 12):num_start])):
        return False
    after = work[e] if e < len(work) else ""
    # page metadata (浏览次数：235次, 1.2万人阅读) counts readers, not anything the report is about
    if _META_BEFORE.search(work, max(0, num_start - 8), num_start) or _META_AFTER.match(work, e):
        return False
    # 十九届四中全会, 十二届福建省政协: N届 before a noun is an ordinal (the Nth session)
    if unit == "届" and ("\u4e00" <= after <= "\u9fff" and after != "的"
                        or re.match(r"[、和至到-][一二三四五六七八九十\d]{1,3}届", work[e:e + 6])):
        return False  # 十四届、十五届政协委员: a list of ordinals
    if unit == "次" and re.search(r"届\s*$", work[max(0, num_start - 2):num_start]):
        return False  # 十六届四次会议, 十一届五十七次主席会议: the Nth session of a term
    # 级 counts levels (省、市、区三级政协委员); elsewhere it is a rank (三级甲等, 四级调研员)
    if unit == "级" and not (any(work.startswith(w, e) for w in comp.level_words)
                            or _LEVEL_ENUM.search(work, max(0, num_start - 12), num_start)):
        return False
    masked = set(n1) <= _MASK
    is_cn = not masked and not n1[0].isdigit()
    if is_cn and len(n1) == 2 and n1[0] == n1[1] and n1[0] in "一二三四五六七八九两":
        return False  # 一一道来, 三三两两: a doubled digit is an adverb ("one by one"), never 11 (十一)
    mag = g["mag"] or ""
    if masked and not unit and not mag:
        return False
    if masked and unit == "年":
        return False
    # a Chinese numeral right before a unit noun (八村) counts only after an enumeration or a total
    # (…等八村, 全镇八村), never inside a name (三村, 五里镇)
    if direct and not masked:
        at = work.find(direct, num_start)
        word = _tokens(work[at:at + 4], comp)[0][1] if at >= 0 else direct
        if len(word) > len(direct) and word not in comp.lexicon and word.startswith(direct) and _pos_flag(word):
            return False  # 12345市民热线, 8区域: the unit noun starts a longer word
    if direct and (masked or (is_cn and before not in _DIRECT_CN_BEFORE
                              and work[max(0, num_start - 2):max(0, num_start - 1)] != "全"
                              and not _ENUM_BEFORE.search(work, max(0, num_start - 14), num_start))):
        return False  # 潘集、花园、户胡三乡镇: the total of an enumeration counts
    # the indefinite 一 (一批, 一项, 一个) is not a figure unless "only one", "at least one", or one
    # of an enumeration of counts with the same measure word (一名区代表和十名镇代表)
    if n1 == "一" and not mag and not g["inf"] and not g["n2"]:
        pre = g["pre"] or ""
        near = work[max(0, num_start - 3):num_start]
        per = (unit not in ("批", "批次", "套", "种", "类", "系列", "些", "步", "方面")
               and _PER_BEFORE.search(work, max(0, num_start - 7), num_start))
        counts_one = (pre in _ONLY_BEFORE + _BOUND_BEFORE or g["suf"] in ("多", "余", "以上", "左右") or per
                      or any(near.endswith(w) for w in _ONLY_BEFORE + _BOUND_BEFORE)
                      or (unit and re.match(_SIBLING.format(u=re.escape(unit)), work[e:e + 24])))
        if not counts_one:
            return False
    if unit == "点" and (_TIME_BEFORE.search(work, max(0, num_start - 3), num_start)
                        or _TIME_AFTER.match(work, num_start + len(n1) + 1) or _TIME_AFTER.match(work, e)):
        return False  # 晚上8点半, 到11点: a time of day, not a count of points
    # addresses: 6栋2单元, 3幢501室
    if unit in ("栋", "幢", "单元") and (work[e:e + 1].isdigit()
                                       or re.search(r"\d\s?[栋幢]\s?$", work[max(0, num_start - 3):num_start])):
        return False
    if unit == "期" and (before == "年" or _PHASE_AFTER.match(work, e)):
        return False  # 二期工程, 一期项目: a phase, not a count of sessions
    # 二次 (二次办理, 二次督办) means "a second round", not a count; a count of two is 两次
    if n1 == "二" and unit == "次" and not mag:
        return False
    if before == "上" and n1 in ("百", "千", "万"):  # 上千人次: a round "more than a thousand"
        rec["qualifier"].append("上")
        rec["_approx"] = True
        rec["start"] = num_start - 1
    kind = comp.unit_kind.get(unit, "count") if unit else "count"
    if n1 == "首" and kind == "count":
        kind = "ordinal"  # 首个工作站: "the first", kept (value 1) but no count of anything
    # 3米宽, 硬化路面2000平方米, 流转土地500亩: lengths and areas measure one thing, they count nothing;
    # the measure word is recognised (so that 5米 is not read as a count) and the figure dropped
    if kind == "measure":
        return False
    pair = _CN_PAIR.fullmatch(n1) if is_cn else None
    if pair and _CN_ORDER.find(pair.group(1).replace("两", "二")) + 1 == _CN_ORDER.find(pair.group(2)):
        # 两三个, 七八条, 三四十名: two neighbouring digits give a rough range
        scale = parse_number("一" + (pair.group(3) or "")) if pair.group(3) else 1.0
        value = parse_number(pair.group(1)) * scale * (parse_number(mag) if mag else 1.0)
        rec["value_max"] = parse_number(pair.group(2)) * scale * (parse_number(mag) if mag else 1.0)
        rec["qualifier"].append(n1)
        rec["_approx"] = True
    else:
        value = math.nan if masked else parse_number(n1 + mag)
    if not masked and (math.isnan(value) or value == 0 and kind == "count"):
        return False  # a count of nothing (0 本报讯: a stray zero of the page) is no figure
    if is_cn and n1[0] in "十百千" and before in ("数", "几"):  # 数十名, 几十个: tens of
        rec["qualifier"].append(before)
        rec["_approx"] = True
        rec["start"] = num_start - 1
    if unit == "年" and not masked:
        if not is_cn and value >= 100:
            return False
    if kind == "money" and not masked:
        value *= {"万元": 1e4, "亿元": 1e8, "千元": 1e3}.get(unit, 1.0)
    if g["n2"]:
        n2 = _FOOTNOTE.sub("", g["n2"])
        v2 = math.nan if set(n2) <= _MASK else parse_number(n2 + mag)
        if kind == "money" and not math.isnan(v2):
            v2 *= {"万元": 1e4, "亿元": 1e8, "千元": 1e3}.get(unit, 1.0)
        rec["value_max"] = v2
        rec["_approx"] = False
    out_unit = unit
    if kind == "money":
        out_unit = "元"
    elif kind == "duration":  # 个月, 个多月, 个半小时 -> 月, 小时
        out_unit = re.sub(r"^个?[多半]?", "", unit) or unit
        if "多" in unit:
            rec["_approx"] = True
    elif direct:
        out_unit = ""
    rec.update(kind=kind, value=value, unit=out_unit, masked=masked, _unit_raw=unit or (direct or ""),
               _direct=direct or "", _magonly=bool(mag and not unit and not direct), _cn=is_cn and not mag)
    for q in (g["pre"], g["inf"], g["inf2"], g["suf"]):
        if q:
            rec["qualifier"].append(q)
    return True


def _resolve_counted(work: str, raw: list[dict], comp: _Compiled) -> None:
    """Fill ``counted`` for counts and percentages (second pass: needs the next figure's start)."""
    sent_ends = None
    starts = [r["start"] for r in raw]
    keep = []
    twins = []
    for i, r in enumerate(raw):
        limit = starts[i + 1] if i + 1 < len(raw) else len(work)
        kind = r["kind"]
        if kind in ("date", "quota"):
            keep.append(True)
            continue
        e = r["end"]
        dem = _DEMONSTRATIVE.search(work, max(0, r["start"] - 2), r["start"]) if kind != "percent" else None
        if dem is not None and not r["masked"] and any(
                q["kind"] == kind and q["value"] == r["value"]
                and (q.get("_unit_raw") == r.get("_unit_raw") or dem.group() in ("这", "此", "这些"))
                for q in raw[:i]):
            keep.append(False)  # 这23个点: a figure given again, pointed back at
            continue
        if kind == "percent":
            after = ""
            if work.startswith("的", e):
                after = _head(_clean_segment(work, e + 1, limit, comp), comp)
            else:  # 半数以上委员: a counted noun right after the share
                seg = _clean_segment(work, e, limit, comp)
                if seg and 0 in _lexicon_matches(seg, comp):
                    after = _head(seg, comp)
            counted = after or _rate_before(work, r["start"], comp)
            if not counted:
                counted = _noun_before(work, r["start"], comp)
            if not counted:  # 在106条意见建议中，54.77%已落地: a share of the set named before 中
                within = _SET_BEFORE.search(work, max(0, r["start"] - 8), r["start"])
                counted = _noun_before(work, within.start(), comp) if within else ""
            if not counted:  # 新面孔占了三分之一: the subject of 占
                counted = _share_subject(work, r["start"])
            before = raw[i - 1] if i > 0 else None
            if not counted and before is not None and before["kind"] == "count" and before.get("counted") \
                    and re.fullmatch(r"[^。！？\n%％]{0,14}", work[before["end"]:r["start"]]):
                counted = before["counted"]  # 收到意见建议58179条，已解决90%: a share of what was just counted
            if not counted and r.get("_share"):
                counted = "占比"
            prev = raw[i - 1] if i > 0 else None
            between = work[prev["end"]:r["start"]] if prev is not None and prev["kind"] == "percent" else "\n"
            if keep and keep[-1] and prev is not None and _RANGE_BETWEEN.fullmatch(between) \
                    and not re.search(r"[从由]\s*$", work[max(0, prev["start"] - 2):prev["start"]]) \
                    and prev["value"] < r["value"]:
                prev["value_max"] = r["value"]  # 50%至70%的村: one share, a range
                prev["counted"] = counted or prev["counted"]
                prev["end"] = r["end"]
                keep.append(False)
                continue
            if not counted and prev is not None and _CHANGE_BETWEEN.fullmatch(between):
                counted = prev["counted"]  # 知晓率从35%提升至82%: the same rate
            pair = _RATE_PAIR.fullmatch(counted or "")
            if pair:  # 办结率和满意率均达99%: two rates, one value each
                twins.append(dict(r, counted=pair.group(1), qualifier=list(r["qualifier"])))
                counted = pair.group(2)
            r["counted"] = counted
            keep.append(True)
            continue
        if r.get("_direct"):
            at = work.rfind(r["_direct"], r["start"], r["end"])
            longer = _lexicon_matches(work[at:at + 10], comp).get(0, r["_direct"]) if at >= 0 else r["_direct"]
            r["counted"] = comp.canon.get(longer, longer)  # 300多村民 -> 村民, not 村
            keep.append(True)
            continue
        if kind == "duration":
            r["counted"] = r["unit"]
            keep.append(True)
            continue
        if r["unit"] == "级":  # 三级政协委员: the levels of what follows, written with their number
            r["counted"] = _levels_of(work, r["start"], e, limit, comp)
            keep.append(True)
            continue
        seg_start = e + 1 if work.startswith("的", e) else e
        if r["unit"] in ("种", "类"):  # 三种类型的委员工作室: what is counted are the kinds (类型)
            kinds = re.match(r"([\u4e00-\u9fff]{1,3})的|(类型|种类|类别|形式|方式|模式|渠道|途径)",
                             work[e:min(limit, e + 5)])
            if kinds:
                r["counted"] = kinds.group(1) or kinds.group(2)
                keep.append(True)
                continue
        if r.get("_quoted"):  # “百名委员联百企”活动: a figure inside quotes reads no further than them
            close = re.compile("[”」』’\"]").search(work, e, min(len(work), e + 14))
            limit = min(limit, close.start()) if close else limit
        nxt = raw[i + 1] if i + 1 < len(raw) else None
        if nxt is not None and nxt.get("unit") == "级" and (nxt["start"] == seg_start
                                                           or _names_levels(work[seg_start:nxt["start"]])):
            # 88名省、市、区三级政协委员: the levels (a figure of their own) qualify the noun after them
            seg_start = nxt["end"]
            limit = raw[i + 2]["start"] if i + 2 < len(raw) else len(work)
        seg = _clean_segment(work, seg_start, limit, comp, r.get("_unit_raw") in comp.events) \
            if r.get("_unit_raw") != "人" else _group_of_persons(work, seg_start, limit, comp)
        if seg and r.get("_unit_raw") in comp.events and 0 not in _lexicon_matches(seg, comp):
            first = _tokens(seg, comp)[0][1]
            if len(first) < len(seg) and _pos_flag(first) == "v":
                seg = ""  # 两次获评优秀委员: a verb with its object after an event count is a predicate
        quoted = _QUOTED_NAME.match(work, seg_start)
        if quoted and quoted.group(1).replace(" ", "") == seg:
            # 16家“协商驿站”授牌: a quoted name that a verb follows is the counted thing, whole
            r["counted"] = seg
            keep.append(True)
            continue
        closed = bool(seg) and work.startswith(seg, seg_start) and _ends_clause(work, seg_start + len(seg))
        counted = _head(seg, comp, last=True, persons=r.get("_unit_raw") in _PERSON_UNITS, closed=closed) \
            if r.get("_unit_raw") != "人" else seg  # 14人委员履职小组: the group, as written
        if r.get("_magonly") and not (seg and _has_lexicon(seg, comp)):
            before_noun = _noun_before(work, r["start"], comp) if (e >= len(work) or work[e] in _PUNCT) else ""
            if not before_noun:
                keep.append(False)  # 千万, 万一 ...: a magnitude with no counted noun after it
                continue
            r["counted"] = before_noun  # 人口3.6万: the noun before it
            keep.append(True)
            continue
        if r.get("_quoted") and (not (counted and _has_lexicon(counted, comp))
                                 or re.fullmatch(r"[百千万]", work[r["start"]:r["start"] + 1])):
            keep.append(False)  # “两个全覆盖”, “百名委员联系千户群众”: a quoted slogan or campaign name
            continue
        if r.get("_cn") and r["unit"] == "个" and _is_slogan(work, seg_start, seg, comp):
            keep.append(False)  # 做到四个到位, 实现两个转变: a slogan numeral, not a count
            continue
        if kind == "money":
            r["counted"] = _money_kind(work, r["start"], seg, counted, comp)
            keep.append(True)
            continue
        prev = raw[i - 1] if i > 0 else None
        lo = max(prev["end"], prev.get("_after_end", 0)) if prev is not None else 0  # 8户居民12家饭店
        if counted and (not _has_lexicon(seg, comp) or _first_verb(seg, 0, comp) and 0 not in _lexicon_matches(seg, comp)) \
                and not r.get("_cn") \
                and not _ENUM_END.search(work, max(0, r["start"] - 2), r["start"]) \
                and not _POSSESSOR_END.search(work, max(0, r["start"] - 4), r["start"]):
            # 委员45名进驻: after a noun, number and measure word, what follows is a predicate;
            # not after an enumeration closed by 等 (甲社区、乙社区等5个示范点位: the class noun),
            # nor after a place, which holds what is counted (石河子市14个团场)
            before_noun = _noun_before(work, r["start"], comp, lo)
            if before_noun and not (_canon(before_noun, comp) in comp.admin or before_noun[-1] in _ADMIN_CHARS):
                counted = before_noun
        nxt = raw[i + 1] if i + 1 < len(raw) else None
        if counted and nxt is not None and nxt["kind"] in ("count", "money") and seg \
                and work[seg_start:limit].strip() == seg and _ends_clause(work, nxt["end"]):
            # 安装路灯50盏捐资8万元: the words between two figures name the second (its measure word
            # ends the clause); the first counts the noun before it
            counted = _noun_before(work, r["start"], comp, lo) or _run_before(work, r["start"], comp, lo) or counted
        if r.get("_unit_raw") in comp.events and work.startswith(seg, seg_start):
            # 开展10次民意收集, 开展5次走访。: after an event measure word, a verb ending the clause is a
            # nominalised event (民意收集, 入户走访, 走访), not a predicate
            tail = seg_start + len(seg)
            verb = comp.stops.match(work, tail) if comp.stops is not None else None
            if verb is not None and len(verb.group()) > 1 and _ends_clause(work, verb.end()):
                counted = seg + verb.group()
        if not counted and prev is not None and prev.get("_unit_raw") == r.get("_unit_raw") and prev["counted"] \
                and _COUNT_CHANGE_BETWEEN.fullmatch(work, prev["end"], r["start"]):
            counted = prev["counted"]  # 联系点由20个增加到35个: the same thing, counted again
        if not counted:
            counted = _noun_before(work, r["start"], comp, lo)
            if counted and r.get("_unit_raw") in _PERSON_UNITS and not _PERSONISH.search(counted) \
                    and re.search(r"有\s*$", work[max(0, r["start"] - 3):r["start"]]):
                counted = ""  # 议事会有20人: the body that has them, not what is counted
        if not counted and (e >= len(work) or work[e] in _PUNCT or work[e].isspace()
                            or any(work.startswith(w, e) for w in _CHANGE_VERBS)):
            counted = _run_before(work, r["start"], comp, lo, r.get("_unit_raw") in comp.events)  # 社情民意76条
        if not counted:
            if sent_ends is None:
                sent_ends = [m.start() for m in _SENTENCE_END.finditer(work)]
            sid = bisect.bisect_right(sent_ends, r["start"])
            sent_lo = sent_ends[sid - 1] + 1 if sid > 0 else 0
            para_lo = work.rfind("\n", 0, r["start"]) + 1
            counted = _same_unit_before(raw, i, sent_lo)
            if not counted:
                hits = list(_COUNT_NOUN.finditer(work, sent_lo, r["start"]))
                if hits:
                    phrase = hits[-1].group(1).translate(_QUOTE_CHARS)
                    if _has_lexicon(phrase, comp):
                        counted = _head(phrase, comp)
            if not counted:
                counted = _same_unit_before(raw, i, para_lo)
            if not counted and r.get("_unit_raw") not in _GENERIC_UNITS:
                counted = _same_unit_before(raw, i, 0)  # 共计37盏: 盏 counted lamps earlier in the text
            if not counted and r["unit"] not in comp.self_counted:
                counted = _clause_subject(work, r["start"], sent_lo, comp)
        group = _DELEGATION.search(work, max(0, r["start"] - 12), r["start"]) \
            if r.get("_unit_raw") in _PERSON_UNITS and not seg else None
        if group:  # 调研组一行10余人: the delegation, named before 一行 when it is a group, else 一行
            named = _run_before(work, group.start(), comp)
            counted = named if re.search(r"[组团队]$", named) else "一行"
        if not counted and r["unit"] in comp.self_counted:
            counted = r["unit"]
        if counted and seg and counted in seg and work.startswith(seg, seg_start):
            r["_after_end"] = seg_start + len(seg)  # the words after it are its own
        r["counted"] = counted
        keep.append(True)
    raw[:] = [r for r, k in zip(raw, keep) if k]
    for twin in twins:  # the first of two rates given one value goes before the second
        raw.insert(next(j for j, r in enumerate(raw) if r["start"] == twin["start"]), twin)


def _levels_of(work: str, start: int, end: int, limit: int, comp: _Compiled) -> str:
    """What a count of levels counts: the levels as written with the noun they qualify.

    ``三级政协委员`` -> ``三级政协委员``, ``市县两级政协要…`` -> ``两级政协``; without a level word after
    it (省、市、区三级联动 is read as 三级联动 only when 联动 is a level word) the levels alone (``三级``).
    The number stays in the text: a count of levels names the levels, not one thing at each.
    """
    at = start
    while at < end and not ("\u4e00" <= work[at] <= "\u9fff" or work[at].isdigit()):
        at += 1
    levels = _ascii_parens(work[at:end])
    for w in sorted(comp.level_words, key=len, reverse=True):
        if work.startswith(w, end):
            seg = _segment_after(work, end, limit, comp, False)
            head = _head(seg, comp, persons=True) if seg else ""  # the first noun: 四级政协工作… -> 政协
            noun = seg[:seg.find(head) + len(head)] if head and head in seg else w
            return levels + noun
    return levels


def _names_levels(s: str) -> bool:
    """Whether ``s`` lists the levels of a level count (省、市、区; 州县; 自治区、固原市、泾源县): pieces
    separated by 、, each ending in an administrative character, at most 20 characters in all."""
    pieces = s.strip().split("、")
    return 0 < len(s) <= 20 and all(re.fullmatch(r"[\u4e00-\u9fff]{0,5}[省市州县区乡镇村街]", p) for p in pieces)


def _ends_clause(work: str, pos: int) -> bool:
    """Whether ``pos`` is the end of the text or of a clause (punctuation or a space follows)."""
    return pos >= len(work) or work[pos] in _PUNCT or work[pos].isspace()


def _clause_subject(work: str, pos: int, lo: int, comp: _Compiled) -> str:
    """For a total that opens its clause (…实现全覆盖，共计156个), the last counted noun of the clause
    before it in the same sentence (from ``lo``), or ''."""
    cut = work.rfind("，", lo, pos)
    if cut < 0:
        return ""
    lead = work[cut + 1:pos].strip()
    if lead and (len(lead) > 6 or not re.fullmatch(r"[\u4e00-\u9fff]+", lead)
                 or any(len(t) == 1 and t not in "共已均计" or t not in comp.stop_words and t != "其中"
                        for _, t in _tokens(lead, comp))):
        return ""  # only qualifiers and verbs may open the clause: 共建成156个, 已全部建立28个
    prev = work.rfind("，", lo, cut)
    clause = work[max(prev + 1, lo, cut - 30):cut].translate(_QUOTE_CHARS)
    lex = sorted(_lexicon_matches(clause, comp).items())
    if not lex:
        return ""
    end = max(st + len(t) for st, t in lex)
    term = max((kv for kv in lex if kv[0] + len(kv[1]) == end), key=lambda kv: len(kv[1]))[1]
    return _canon(term, comp)


def _is_slogan(work: str, at: int, seg: str, comp: _Compiled) -> bool:
    """Whether ``seg`` (right after a Chinese numeral and 个, at ``at``) makes an unquoted slogan
    numeral: one two-character word that is no counted noun, tagged a verb, adjective or adverb by
    jieba, and ending the clause (四个到位, 三个聚焦, 两个转变; not 三个方面, 两个支部)."""
    if len(seg) != 2 or seg in comp.lexicon or not work.startswith(seg, at):
        return False
    after = work[at + 2:at + 3]
    if after and after not in _PUNCT and not after.isspace() and after != "的":
        return False
    return _pos_flag(seg) in ("v", "vn", "a", "ad", "d", "vd")


@lru_cache(maxsize=1024)
def _pos_flag(word: str) -> str:
    """jieba's part-of-speech tag of ``word`` when it reads it as one word, else ''."""
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(60)
    cut = list(pseg.cut(word, HMM=False))
    return cut[0].flag if len(cut) == 1 else ""


def _money_kind(work: str, pos: int, seg: str, counted: str, comp: _Compiled) -> str:
    """What an amount of money is: a money noun after it (万元专项资金), else one right before it
    (总投资1.2亿元, 捐款5万元), else a counted noun after it, else 资金."""
    for i, t in sorted(_lexicon_matches(seg, comp).items()):
        if t in comp.money:
            return comp.money[t]
    for w in comp.money:
        if seg.startswith(w):
            return comp.money[w]
    worth = re.search(r"(?:价值|折合)(?:人民币)?(?:约|近|达|超过)?\s*$", work[max(0, pos - 8):pos])
    if worth and counted and work.startswith("的", pos + len(re.match(r"[^的，。；]{0,12}", work[pos:]).group())):
        return counted  # 价值3.2万元的太阳能路灯: what the money is worth in kind
    if worth:  # 发放药品价值2万余元: the goods before 价值
        goods = _run_before(work, pos - len(worth.group()), comp)
        if goods:
            return goods
    if comp.money_before is not None:
        clause = work[max(0, pos - 12):pos].rstrip()
        changed = True
        while changed:
            changed = False
            for w in ("达到", "共计", "累计", "合计", "总计", "超过", "突破", "约", "达", "为", "共", "近", "逾", "超",
                      "了", "计"):
                if clause.endswith(w):
                    clause, changed = clause[: -len(w)].rstrip(), True
        m = comp.money_before.search(clause)
        if m is not None:
            return comp.money[m.group()]
        # an open rule: the word touching the amount names money (善款, 慰问金, 增收, 总投入)
        toks = _tokens(_clause_tail(clause), comp)
        if toks and len(toks[-1][1]) >= 2 and _MONEY_HEAD.fullmatch(toks[-1][1]) and not counted:
            word = toks[-1][1]
            return ("总" + word) if len(toks) > 1 and toks[-2][1] == "总" else word
    if counted and _has_lexicon(seg, comp):
        return counted
    if seg and work.startswith("的", pos + len(re.match(r"[^的，。；]{0,12}", work[pos:]).group())):
        noun = _noun_words(seg, comp)  # 以1000元的标准资助: what the amount is (a 标准), named after 的
        if len(noun) >= 2 and _pos_flag(noun) in _NOUN_FLAGS:
            return noun
    return "资金"


def _share_subject(work: str, pos: int) -> str:
    """The subject of 占 right before a share (新面孔占了三分之一 -> 新面孔), cut at 的/中/punctuation."""
    clause = work[max(0, pos - 14):pos]
    clause = _clause_tail(clause)
    hit = _SHARE_SUBJECT.search(clause)
    if hit is None:
        return ""
    subj = re.split(r"[的中]", hit.group(1))[-1]
    return subj if len(subj) >= 2 else ""


def _same_unit_before(raw: list[dict], i: int, lo: int) -> str:
    """``counted`` of the nearest earlier figure with the same kind and measure word, from ``lo`` on."""
    r = raw[i]
    for j in range(i - 1, -1, -1):
        q = raw[j]
        if q["start"] < lo:
            break
        if q["kind"] == r["kind"] and q.get("_unit_raw") == r.get("_unit_raw") and q["counted"]:
            return q["counted"]
    return ""


# ----------------------------------------------------------------------------- corpus / Dask

def _extract_items(items, rules: FigureRules) -> pd.DataFrame:
    comp = _compile(rules)
    frames = [_extract(validate_text(t, d), d, comp) for d, t in items]
    if not frames:
        return pd.DataFrame(columns=FIGURE_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def extract_figures_corpus(texts, *, codebook: Codebook | None = None, client=None,
                           npartitions: int | None = None, errors: str = "raise") -> pd.DataFrame:
    """Extract figures from every document, in process or as partitions on a Dask cluster.

    Parameters
    ----------
    texts : mapping of doc_id to str, or a :class:`govlab.corpus.Corpus`
        Clean texts.
    codebook : Codebook, optional
        Supplies the figure vocabulary; the shipped codebook when omitted.
    client : dask.distributed.Client, optional
        When given, documents are split into ``npartitions`` partitions of a ``dask.bag`` and
        extracted on the cluster; the result is identical to the in-process one.
    npartitions : int, optional
        Number of partitions (default: 2 per worker thread, at most the number of documents).
    errors : {"raise", "skip"}
        On a bad document: raise naming it, or skip it (with a warning) and extract the rest.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FIGURE_COLUMNS`, sorted by ``doc_id`` and ``start``.

    Examples
    --------
    >>> df = extract_figures_corpus({"b": "（虚构）设立工作站3个。", "a": "（虚构）共有委员120名。"})
    >>> df[["doc_id", "value", "counted"]].values.tolist()
    [['a', 120.0, '委员'], ['b', 3.0, '工作站']]
    """
    import warnings

    if errors not in ("raise", "skip"):
        raise InputError(f"expected 'raise' or 'skip', got {errors!r}", key="errors")
    mapping = _texts_of(texts)
    codebook = codebook or load_codebook()
    if codebook.figures is None:
        raise ConfigError("the codebook has no 'figures' section", source=codebook.source, key="figures")
    rules = codebook.figures
    items = []
    for d in sorted(mapping):
        try:
            items.append((str(d), validate_text(mapping[d], str(d))))
        except InputError as exc:
            if errors == "raise":
                raise
            warnings.warn(f"skipped: {exc}", stacklevel=2)
    if client is None:
        df = _extract_items(items, rules)
    else:
        import dask.bag as db

        if npartitions is None:
            try:
                threads = sum(client.nthreads().values())
            except Exception:  # pragma: no cover - a client without workers
                threads = 1
            npartitions = max(1, min(len(items), 2 * max(threads, 1)))
        bag = db.from_sequence(items, npartitions=max(1, min(npartitions, max(len(items), 1))))
        parts = bag.map_partitions(lambda part: [_extract_items(list(part), rules)])
        frames = client.compute(parts).result()
        frames = [f for f in frames if len(f)]
        df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=FIGURE_COLUMNS)
    if df.empty:
        df = pd.DataFrame(columns=FIGURE_COLUMNS)
    df = df.astype({"value": "float64", "value_max": "float64", "approx": "bool", "masked": "bool",
                    "start": "int64", "end": "int64"})
    return df.sort_values(["doc_id", "start"], kind="mergesort").reset_index(drop=True)
