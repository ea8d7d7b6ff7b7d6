"""Which places an article is about, from jieba words and a few rules.

A place word counts as a mention unless its neighbours show it is part of something else:
an organisation or product (西湖大学, 丽水股份, 浙江青山钢铁有限公司), a person (市委书记温暖,
县长金华说), a programme or slogan in quotes (“创业富春”), or a title in 《》.  Mentions are
weighed by where they stand (headline > lead > body); places named only once in passing
deep in the body are dropped.  A county brings its prefecture city right after it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from converters.tagging.gazetteer import Gazetteer, Place
from converters.tagging.text import BODY, KICKER, LEAD, TITLE, Section, positions


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Per-mention weight by section, and the cap on counted mentions per section.
WEIGHTS = {TITLE: (6.0, 2), KICKER: (4.0, 2), LEAD: (2.0, 3), BODY: (1.0, 1000)}
MIN_BODY_MENTIONS = 2  # a place only in the body needs this many mentions to be tagged
MAX_CITIES = 8

#: Words that end an organisation or product name: a place right before them names the org.
ORG_ENDINGS = ("大学", "学院", "学校", "中学", "小学", "公司", "集团", "股份", "控股", "钢铁", "银行",
               "医院", "研究院", "研究所", "实业", "科技", "电器", "电气", "制药", "药业", "化工",
               "机械", "汽车", "日报", "晚报", "电视台", "广播电台", "出版社", "足球队", "俱乐部",
               "酒店", "宾馆", "饭店", "商场", "超市", "基金会", "事务所", "有限公司", "有限责任公司",
               "合作组织")
#: Endings that only count right after the place (a street or a product, not an org).
NEXT_ENDINGS = ("路", "街", "大道", "大街", "公园", "号", "牌", "茶", "酒", "黄酒", "啤酒", "特产",
                "时间")  # 北京时间 is a clock, not 北京
#: A place may stand up to this many characters before an org ending (浙江迎丰科技股份).
ORG_REACH = 8
#: Words that break an org name: the place is the subject of a sentence, not a name's start.
_BREAKERS = _words(
    "的 在 和 与 及 或 是 了 将 把 被 对 向 从 到 为 等 也 都 就 还 又 并 而 让 给 由 于 以 有 "
    "设立 成立 注册 投资 建设 建成 打造 创办 落户 引进 拥有 新增 发展 举办 开设 新建 "
    "支持 推动 推进 实施 开展 加快 出台 通过")
#: Titles after which a place-looking word is a person's name (绍兴市委书记温暖说).
_TITLE_ENDINGS = ("书记", "市长", "县长", "区长", "省长", "镇长", "乡长", "村长", "主任", "局长",
                  "处长", "厅长", "部长", "院长", "校长", "董事长", "经理", "总监", "主席", "委员",
                  "代表", "记者", "通讯员", "教授", "研究员", "总裁", "专家", "老师", "医生", "队长",
                  "站长", "所长", "会长", "社长", "主编", "村民", "市民", "师傅", "工程师", "馆长")
_PERSON_AFTER = frozenset(["先生", "女士", "同志", "老人", "夫妇"])
_SPEECH = frozenset(("说", "表示", "介绍", "认为", "指出", "坦言", "告诉", "称", "透露", "强调", "笑着说",
                     "感慨"))
_SURNAMES = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
                      "蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱尹"
                      "薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严覃武戴莫孔汤")
#: A quoted span this short without sentence punctuation is a name, slogan or programme.
_QUOTED = re.compile(r"[“\"「『‘']([^“”\"「」『』‘’',.!?;:]{1,12})[”\"」』’']")
_BOOK = re.compile(r"《[^《》]{1,60}》")
_ADMIN_SUFFIX = ("省", "市", "县", "区", "州")
_PUNCT = frozenset(",.!?;:、()“”‘’\"'《》「」『』—-… ·/\n")


@dataclass
class PlaceScore:
    place: Place
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    full_name_seen: bool = False
    first: tuple[int, int] = (99, 0)  # (section order, word index) of the first mention

    @property
    def score(self) -> float:
        return sum(WEIGHTS[s][0] * min(n, WEIGHTS[s][1]) for s, n in self.counts.items())

    @property
    def in_headline(self) -> bool:
        return bool(self.counts.get(TITLE) or self.counts.get(KICKER))

    @property
    def salient(self) -> bool:
        if self.in_headline or self.counts.get(LEAD):
            return True
        return self.counts.get(BODY, 0) >= MIN_BODY_MENTIONS


def _spans(pattern: re.Pattern, text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(1) if m.groups() else m.group(0)) for m in pattern.finditer(text)]


def _is_org(words: tuple[str, ...], i: int) -> bool:
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if nxt in NEXT_ENDINGS:
        return True
    reach = 0
    for j in range(i + 1, len(words)):
        w = words[j]
        if w in _PUNCT or w.isspace() or w in _BREAKERS:
            return False
        if w.endswith(ORG_ENDINGS):
            return True
        reach += len(w)
        if reach > ORG_REACH:
            return False
    return False


def _is_person(words: tuple[str, ...], i: int) -> bool:
    prev = words[i - 1] if i > 0 else ""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if prev.endswith(_TITLE_ENDINGS) or nxt in _PERSON_AFTER:
        return True
    if "·" in (prev, nxt):  # 米兰·昆德拉: part of a transliterated personal name
        return True
    # 王金华说: a lone surname character before, a speech verb after
    return len(prev) == 1 and prev in _SURNAMES and nxt in _SPEECH


def _in_name_span(start: int, word: str, quoted, books) -> bool:
    for a, b, inner in quoted:
        if a < start < b:
            bare = inner.strip()
            # “杭州” alone is still the place; “创业富春”, “美丽丽水” are programme names
            return not (bare == word or (bare.startswith(word) and bare[len(word):] in _ADMIN_SUFFIX))
    return any(a < start < b for a, b, _ in books)


def mentions(sections: list[Section], gaz: Gazetteer) -> dict[str, PlaceScore]:
    """Counted place mentions per place short name, after the false-positive rules."""
    scores: dict[str, PlaceScore] = {}
    for order, sec in enumerate(sections):
        words = sec.words
        quoted = books = None
        for i in positions(words, gaz.surfaces):  # the words that are place surfaces, in order
            w = words[i]
            surface = gaz.surfaces[w]
            if quoted is None:
                quoted, books = _spans(_QUOTED, sec.text), _spans(_BOOK, sec.text)
            if _is_org(words, i) or _is_person(words, i) or _in_name_span(sec.starts[i], w, quoted, books):
                continue
            ps = scores.get(surface.place.short)
            if ps is None:
                ps = scores[surface.place.short] = PlaceScore(surface.place, first=(order, i))
            ps.counts[sec.name] += 1
            ps.full_name_seen |= surface.full
    # an ambiguous short name (西湖, 天台) counts only where the full name also appears
    return {k: v for k, v in scores.items() if v.full_name_seen or not v.place.ambiguous}


def rank(scores: dict[str, PlaceScore], gaz: Gazetteer) -> list[Place]:
    """Salient places, most salient first; each county followed by its prefecture city;
    a province after its own cities and counties unless the headline names it."""
    kept = sorted((s for s in scores.values() if s.salient), key=lambda s: (-s.score, s.first))
    ordered: list[Place] = []

    def emit(place: Place) -> None:
        if place not in ordered:
            ordered.append(place)

    deferred: list[Place] = []
    for s in kept:
        p = s.place
        if p.kind == "province" and "municipality" not in p.flags and not s.in_headline and any(
                _province_of(o.place, gaz) == p.short for o in kept if o is not s):
            deferred.append(p)
            continue
        emit(p)
        if p.kind == "county":
            parent = gaz.parent_of(p)
            if parent is not None:
                emit(parent)
    for p in deferred:
        emit(p)
    return ordered[:MAX_CITIES]


def _province_of(place: Place, gaz: Gazetteer) -> str:
    p: Place | None = place
    while p is not None and p.kind != "province":
        p = gaz.parent_of(p) if p.kind in ("county", "prefecture") else None
    return p.short if p is not None else ""
