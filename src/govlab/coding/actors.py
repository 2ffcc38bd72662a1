"""Actors found by structure: persons named in lists or after a title, and bodies named after a place.

The codebook's patterns find actors by their words (政协委员, 县政协主席林某某). Two classes of actors are
not words but structures, and are found here (see ``docs/annotation_guide.md`` §2):

* **persons named by name**: a name right after a person's title (副市长, 馆长, 县领导, 委员), every name
  of a 、-list that continues it (副主席王某、李某某), and every name of a 、-list closed by 等 or by a
  count and a person noun (张某、李某某等驻镇委员; 张某、李某某四名委员). A name is a common surname
  and one or two more characters that are not a common word of the segmenter's dictionary; where the
  text runs on after a name, the dictionary decides whether the name has two or three characters.
  A lone name with no such context is not coded (bylines and authors are no actors);
* **bodies named after a place**: a place name (a locality match of the codebook, chained: 白山市青石区)
  directly followed by 政协 or a Party branch (党支部, 党总支) names that body (白山市青石区政协).

The rules run only when the codebook has the codes they give (``actor.persons``,
``actor.cppcc_committee``, ``actor.party_committee``).
"""
from __future__ import annotations

import functools
import re

__all__ = ["person_name_spans", "place_body_spans", "add_structured_actors", "SURNAMES"]

#: Common single-character Chinese surnames (simplified), the 百家姓 list and frequent modern ones.
SURNAMES = frozenset(
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎"
    "鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平"
    "黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童"
    "颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔"
    "吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班"
    "仰秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池"
    "乔阴胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍却璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充"
    "慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾"
    "敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公付肖雒覃谌揭佘粟兰楼岳闫冼麦佟练"
    "涂阳代晋修隋仝邸")
#: Compound surnames (two characters).
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "令狐", "长孙", "宇文",
                     "司徒", "夏侯", "端木", "独孤", "慕容", "南宫", "西门")
#: Titles after which a name follows (县政协主席林某某, 副市长张某某, 县领导王某某, 委员李某某); 领导 only
#: after a level (县领导), as 领导 alone runs on into verbs (领导包联).
_TITLE = re.compile(
    r"(?:副?(?:主席|书记|主任|组长|部长|局长|县长|市长|区长|镇长|乡长|省长|州长|旗长|厅长|处长|科长|站长|"
    r"馆长|会长|社长|院长|校长|所长|队长|秘书长|理事长)|董事长|总经理|召集人|委员|常委|[省市县区州镇乡]领导|负责人|律师|教授)")
#: Person nouns that close a list of names (张某、李某某等驻镇委员, 张某、李某某四名委员).
_PERSON_NOUN = re.compile(
    r"[\u4e00-\u9fff]{0,6}?(?:委员|常委|同志|代表|领导|干部|负责人|成员|主席|书记|主任|专家|群众|村民|居民|党员)")
_COUNT = re.compile(r"[一二两三四五六七八九十\d]{1,3}[名位个]")
#: Characters that end a name when they come right after two characters of it (王某说, 王某在).
_AFTER_NAME = frozenset("说讲在到为对向就将把被让从也都还又是率带等及和与的了")
_HAN = re.compile(r"[\u4e00-\u9fff]")
#: Dictionary tags of words that are no name's first two characters (verbs, adverbs, function words).
_NOT_NAME_START = frozenset({"v", "vn", "vd", "d", "ad", "p", "c", "u", "r", "m", "mq", "q", "y", "e", "o",
                             "i", "l", "z", "f", "s"})
_NAME_TAGS = frozenset({"nr", "nrt", "nrfg"})
#: Surnames that are far more often a conjunction, adverb or preposition (和, 都, 从, 向): no name begins
#: with them here.
_FUNCTION_SURNAMES = frozenset("和都从向能通全时经相后别那")
#: A given name that is a common word this frequent in the dictionary (和群众: 群众) makes no name.
_COMMON_GIVEN_FREQ = 5000
#: A dictionary word this rare may still be a name (付强, 方维 are in the dictionary as words).
_RARE_WORD_FREQ = 50


@functools.lru_cache(maxsize=1)
def _to_simplified():
    from govlab.corpus.clean import _t2s

    conv = _t2s()
    return lambda s: "".join(conv.convert(c)[:1] or c for c in s)


def _tags() -> dict:
    from govlab.coding.coding import _dictionary_tags

    return _dictionary_tags()


def _is_han(ch: str) -> bool:
    return bool(ch) and bool(_HAN.match(ch))


def _surname_length(s: str) -> int:
    """1 or 2 when ``s`` starts with a surname (compound first), else 0."""
    if s[:2] in COMPOUND_SURNAMES:
        return 2
    return 1 if s[:1] in SURNAMES else 0


def _plausible_name(name: str) -> bool:
    """A surname and one or two characters, and no common word: the whole is no dictionary word other
    than a person's name, and its first two characters are no verb, adverb or function word."""
    if not 2 <= len(name) <= 4 or not all(_is_han(c) for c in name):
        return False
    k = _surname_length(name)
    if k == 0 or not 1 <= len(name) - k <= 2 or name[0] in _FUNCTION_SURNAMES or name[-1] in "省市县区州旗":
        return False
    tags = _tags()
    given = tags.get(name[k:])
    if given is not None and given[1] not in _NAME_TAGS and given[0] > _COMMON_GIVEN_FREQ:
        return False
    whole = tags.get(name)
    if whole is not None and whole[1] not in _NAME_TAGS and whole[0] > _RARE_WORD_FREQ:
        return False
    if len(name) - k == 2:
        start = tags.get(name[:k + 1])
        if start is not None and start[1] in _NOT_NAME_START and start[0] > 100:
            return False
    return True


def _freq(word: str) -> int:
    hit = _tags().get(word)
    return hit[0] if hit is not None else 0


def _name_at(text: str, p: int, simp: str) -> int:
    """The end of a name starting at ``p`` (``simp`` is the simplified text), or -1.

    The name ends where the text stops being Chinese, at 、 and 等; where the text runs on, a second
    given-name character is kept unless the dictionary reads it as the start of the next word (徐某联合:
    two characters; 张某星主持: three)."""
    k = _surname_length(simp[p:p + 2])
    if k == 0:
        return -1
    a = p + k  # first given-name character
    if not _is_han(simp[a:a + 1]) or simp[a] in "、等第" or _TITLE.match(simp, a):
        return -1  # 书记任组长, 主席任第一召集人: 任 is the verb "serve as" before a title or an ordinal
    c2, c3 = simp[a + 1:a + 2], simp[a + 2:a + 3]
    if not _is_han(c2) or c2 in _AFTER_NAME:
        end = a + 1
    elif not _is_han(c3) or c3 in "、等及和与":
        end = a + 2
    else:
        w2, w3 = _freq(simp[a + 1:a + 3]), _freq(simp[a + 2:a + 4])
        if w2 > w3:
            end = a + 1
        else:
            end = a + 2
    return end if _plausible_name(simp[p:end]) else -1


def _name_before(simp: str, q: int) -> int:
    """The start of a name of two or three characters ending at ``q`` (right before 、 or 等), or -1:
    three characters when the third from the end is a surname that is no word's end (支持张某某),
    else two."""
    for n in (3, 2, 4):
        s = q - n
        if s < 0:
            continue
        cand = simp[s:q]
        if not _plausible_name(cand):
            continue
        if n == 3 and s > 0 and _is_han(simp[s - 1]) and _freq(simp[s - 1:s + 1]) > 0:
            continue  # the surname closes a word before it (同志李某: 志李 is no word, 支持 is)
        if n == 2 and s > 0 and _is_han(simp[s - 1]) and (_freq(simp[s - 1:s + 1]) > 0 or (
                simp[s - 1] in SURNAMES and _plausible_name(simp[s - 1:q]))):
            continue  # 竹林湾: 林 ends the word 竹林
        return s
    return -1


def _list_after(text: str, simp: str, p: int) -> list[tuple[int, int]]:
    """Names from ``p`` on, separated by 、; the last may follow 和, 及 or 与 (王某芳和何某君)."""
    out = []
    while True:
        end = _name_at(text, p, simp)
        if end < 0:
            break
        out.append((p, end))
        if simp[end:end + 1] == "、":
            p = end + 1
            continue
        if simp[end:end + 1] in ("和", "及", "与"):
            last = _name_at(text, end + 1, simp)
            if last > 0:
                out.append((end + 1, last))
        break
    return out


def person_name_spans(text: str) -> list[tuple[int, int]]:
    """Spans of persons named by name in ``text``: after a title, and in lists closed by 等 or a count
    and a person noun (see the module docstring). Traditional script is read as simplified.

    Parameters
    ----------
    text : str
        Clean text.

    Returns
    -------
    list of (start, end)
        One span per name, sorted; a name after a title is given with its title.

    Examples
    --------
    >>> t = "（虚构）县政协主席林某峰，副主席马某高、徐某联合视察。"
    >>> [t[s:e] for s, e in person_name_spans(t)]
    ['主席林某峰', '副主席马某高', '徐某']
    >>> t = "（虚构）会上，董某杰、桂某、林某棕等驻镇委员发言。"
    >>> [t[s:e] for s, e in person_name_spans(t)]
    ['董某杰', '桂某', '林某棕']
    """
    simp = _to_simplified()(text)
    spans: set[tuple[int, int]] = set()
    # 1. a title, then a name and the names that continue it
    for hit in _TITLE.finditer(simp):
        i = hit.end() + (simp[hit.end():hit.end() + 1] in (" ", "\u3000"))  # 主席 王某: one space
        names = _list_after(text, simp, i)
        for j, (s, e) in enumerate(names):
            spans.add((hit.start() if j == 0 else s, e))
    # 2. a 、-list (or one name) closed by 等 or a count, then a person noun
    for m in re.finditer(r"等|[一二两三四五六七八九十\d]{1,3}[名位]", simp):
        q = m.start()
        after = m.end()
        if m.group() == "等":
            count = _COUNT.match(simp, after)
            after = count.end() if count else after
        if not _PERSON_NOUN.match(simp, after):
            continue
        names = []
        s = _name_before(simp, q)
        while s >= 0:
            names.append((s, q))
            if s > 0 and simp[s - 1] == "、":
                q = s - 1
                s = _name_before(simp, q)
            else:
                break
        if m.group() != "等" and len(names) < 2:
            continue
        spans.update(names)
    return _merge(sorted(spans))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


#: Heads that name a body when they follow a place name directly: code id -> pattern.
_PLACE_HEADS = (
    ("actor.cppcc_committee", re.compile(r"政协(?!委员|主席|副主席|党组|领导|办公室|机关|工作室|工作站|联络|工委|片组)")),
    ("actor.party_committee", re.compile(r"党(?:总)?支部(?!书记|副书记|委员|成员)")),
)


def place_body_spans(text: str, places: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """Bodies named by a place and a head (白山市青石区政协, 青石村党支部): ``(code id, start, end)``.

    Parameters
    ----------
    text : str
        Clean text.
    places : list of (start, end)
        Place names found in the text (adjacent ones are read as one: 白山市 + 青石区).

    Returns
    -------
    list of (str, int, int)

    Examples
    --------
    >>> t = "（虚构）白山市青石区政协和石桥村党支部一起调研。"
    >>> [(c, t[s:e]) for c, s, e in place_body_spans(t, [(4, 7), (7, 10), (13, 16)])]
    [('actor.cppcc_committee', '白山市青石区政协'), ('actor.party_committee', '石桥村党支部')]
    """
    runs: list[list[int]] = []
    for s, e in sorted(set(places)):
        if runs and s <= runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], e)
        else:
            runs.append([s, e])
    out = []
    for s, e in runs:
        for code_id, rx in _PLACE_HEADS:
            m = rx.match(text, e)
            if m is not None:
                out.append((code_id, s, m.end()))
                break
    return out


def _union(found: list[tuple[int, int, str]], new: list[tuple[int, int]], text: str) -> list[tuple[int, int, str]]:
    """``found`` with ``new`` spans added; overlapping spans are joined into one."""
    spans = sorted([(s, e) for s, e, _ in found] + list(new))
    return [(s, e, text[s:e]) for s, e in _merge(spans)]


def add_structured_actors(text: str, found_by_code: dict, places: list[tuple[int, int]]) -> None:
    """Add, in place, the persons (:func:`person_name_spans`) to ``actor.persons`` and the bodies named
    after a place (:func:`place_body_spans`) to their codes, for the codes ``found_by_code`` has; a new
    span overlapping a match of the same code is joined with it."""
    if "actor.persons" in found_by_code:
        names = person_name_spans(text)
        if names:
            found_by_code["actor.persons"] = _union(found_by_code["actor.persons"], names, text)
    new: dict[str, list[tuple[int, int]]] = {}
    for code_id, s, e in place_body_spans(text, places):
        if code_id in found_by_code:
            new.setdefault(code_id, []).append((s, e))
    for code_id, spans in new.items():
        found_by_code[code_id] = _union(found_by_code[code_id], spans, text)
