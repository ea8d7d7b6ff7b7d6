"""Cities and topics (converters.tagging): the gold expectations for every sample article,
one test per false-place rule, the data files' invariants and the editor's workflow."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from converters.tagging import Tagger, TagResult
from converters.tagging.gazetteer import DEFAULT_GAZETTEER, load_gazetteer
from converters.tagging.vocabulary import DEFAULT_STOPWORDS, DEFAULT_VOCABULARY, load_stopwords
from epaper_contract.slugs import RESERVED, pinyin_slug, tag_slug, tag_slugs

ROOT = Path(__file__).resolve().parents[2]
GOLD = sorted((ROOT / "tests" / "gold").glob("*.json"))

#: The newsroom words the issue names: never a topic, whatever the vocabulary says.
NEWSROOM = ("记者", "本报", "负责人", "相关负责人", "今年", "去年", "我们", "一个", "通过", "进行", "表示",
            "介绍", "目前", "近年来", "日前", "数据显示", "近日", "获悉")


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.load()


def gold_articles():
    for path in GOLD:
        data = json.loads(path.read_text(encoding="utf-8"))
        for i, art in enumerate(data["articles"], start=1):
            yield pytest.param(data, art, id=f"{path.stem}#{i}")


def tag_gold(tagger: Tagger, art: dict, lead_as_title: bool = False) -> TagResult:
    """As the converter calls it: no title when the dump lost the headline (the lead stands
    in), or with ``lead_as_title`` the first paragraph given as the title."""
    paras = art["paragraphs"]
    lost = not art.get("headline_in_dump", True)
    title = (paras[0] if lead_as_title else "") if lost else art["title"]
    return tagger.tag(title=title, kicker=art.get("kicker") or "", subtitle=art.get("subtitle") or "",
                      lead=paras[0], paragraphs=paras)


# -- gold ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("edition", "art"), list(gold_articles()))
def test_gold_cities(tagger, edition, art):
    cities = tag_gold(tagger, art).cities
    assert set(art["cities_must"]) <= set(cities), cities
    assert set(cities) <= set(art["cities_must"]) | set(art["cities_allowed"]), cities
    assert not set(cities) & set(edition["cities_forbidden"]), cities
    assert len(cities) == len(set(cities))


@pytest.mark.parametrize(("edition", "art"), list(gold_articles()))
def test_gold_topics(tagger, edition, art):
    topics = tag_gold(tagger, art).topics
    assert set(topics) & set(art["topics_any"]), topics
    assert not set(topics) & set(edition["topics_forbidden"]), topics
    assert 3 <= len(topics) <= 6, topics
    assert len(topics) == len(set(topics))
    assert all(t in tagger.vocabulary.topics for t in topics)


LOST_HEADLINE = [p for p in gold_articles() if not p.values[1]["headline_in_dump"]]


@pytest.mark.parametrize(("edition", "art"), LOST_HEADLINE)
def test_gold_lost_headline_with_lead_as_title(tagger, edition, art):
    result = tag_gold(tagger, art, lead_as_title=True)
    assert set(art["cities_must"]) <= set(result.cities)
    assert set(result.cities) <= set(art["cities_must"]) | set(art["cities_allowed"])
    assert set(result.topics) & set(art["topics_any"]) and 3 <= len(result.topics) <= 6
    assert not set(result.topics) & set(edition["topics_forbidden"])


@pytest.mark.parametrize(("edition", "art"), list(gold_articles()))
def test_gold_full_width_punctuation_gives_the_same_tags(tagger, edition, art):
    """The converter restores full-width punctuation; the tags must not change with it."""
    wide = str.maketrans({",": "，", "(": "（", ")": "）", ":": "：", ";": "；", "?": "？", "!": "！"})
    full = {**art, "title": (art["title"] or "").translate(wide),
            "kicker": (art.get("kicker") or "").translate(wide),
            "paragraphs": [p.translate(wide) for p in art["paragraphs"]]}
    assert tag_gold(tagger, full) == tag_gold(tagger, art)


def test_gold_most_salient_city_first(tagger):
    """The subject leads: 绍兴 before anything its article mentions in passing, 富阳 before 杭州."""
    for path in GOLD:
        for art in json.loads(path.read_text(encoding="utf-8"))["articles"]:
            cities = tag_gold(tagger, art).cities
            if art["cities_must"]:
                assert cities[0] in art["cities_must"], (art["title"], cities)


# -- false places --------------------------------------------------------------------------

def cities_of(tagger, title="", lead="", body=(), kicker=""):
    return tagger.tag(title=title, kicker=kicker, lead=lead, paragraphs=[lead, *body]).cities


def test_xihu_university_is_not_xihu(tagger):
    # 西湖 is a district of 杭州 (西湖区); inside 西湖大学 it names a university
    lead = "西湖大学光电研究院今天宣布，西湖大学团队研制出新器件。"
    assert "西湖" not in cities_of(tagger, "西湖大学发布新成果", lead, ["西湖大学还将扩大招生。"])
    with_district = cities_of(tagger, "西湖区举办人才活动", "杭州市西湖区今天举办活动，西湖大学参加。",
                              ["西湖区还将推出新政。"])
    assert "西湖" in with_district and with_district.index("西湖") < with_district.index("杭州")


def test_org_rule_on_a_plain_place(tagger):
    """丽水股份 is a company: its name alone, however often, does not make 丽水."""
    cities = cities_of(tagger, "丽水股份发布年报", "丽水股份是一家环保装备企业，丽水股份营收增长。",
                       ["丽水股份负责人介绍了研发情况。"])
    assert "丽水" not in cities
    assert "丽水" in cities_of(tagger, "丽水发布年报", "丽水今年经济增长。")


def test_qingshan_steel_is_not_a_place(tagger):
    cities = cities_of(tagger, "青山钢铁获批国家重点研发项目", "由浙江青山钢铁有限公司牵头申报的项目获批。",
                       ["青山钢铁是不锈钢企业。", "青山钢铁将扩大研发。"])
    assert "青山" not in cities
    assert "浙江" not in cities  # 浙江 there starts the company's name


def test_jiangnan_water_town_is_not_a_place(tagger):
    cities = cities_of(tagger, "江南水乡的春天", "绍兴是江南水乡，江南的春天来得早。", ["江南水乡风景如画。"])
    assert "江南" not in cities
    assert "绍兴" in cities


def test_person_named_like_a_word_or_a_place(tagger):
    cities = cities_of(tagger, "", "“这些年，我们持续打好转型升级组合拳。”绍兴市委书记温暖说。")
    assert "温暖" not in cities and "绍兴" in cities
    # a real place name as a person's name, after a title or between a surname and 说
    assert "金华" not in cities_of(tagger, "", "衢州市委书记金华表示，将加快发展。")
    assert "金华" not in cities_of(tagger, "", "衢州的项目负责人王金华说，明年投产。")
    assert "金华" in cities_of(tagger, "", "衢州市委书记到金华考察。")


def test_names_and_brands_that_start_with_a_place(tagger):
    assert cities_of(tagger, "", "他读完了米兰·昆德拉的小说，又看了北京时间的新闻。") == []
    assert cities_of(tagger, "", "宁波银行、杭州银行和温州医科大学附属第一医院参加活动。") == []
    assert cities_of(tagger, "", "记者在米兰看到，中欧班列货物抵达米兰。") == ["米兰"]


def test_programme_in_quotes_is_not_a_place(tagger):
    cities = cities_of(tagger, "", "富阳大力实施“创业富春”工程。")
    assert "富春" not in cities and "富阳" in cities
    # a real place inside a programme's name in quotes: “美丽丽水” is a slogan, not 丽水
    assert "丽水" not in cities_of(tagger, "", "杭州推广“美丽丽水”行动经验，“美丽丽水”走红。")
    assert "丽水" in cities_of(tagger, "", "记者来到“丽水”，看见新变化。")


def test_ordinary_words_are_not_places(tagger):
    cities = cities_of(tagger, "早春，古越大地热潮涌动",
                       "早春，古越大地热潮涌动，长三角集成电路产业链完善，屋顶天台种满了花。",
                       ["今天天气温暖。", "白银价格上涨。"])
    for word in ("古越", "长三角", "温暖", "天台", "白银", "江南", "富春"):
        assert word not in cities
    # the same words are places when the article uses the full name
    full_name = cities_of(tagger, "天台县推进共同富裕", "天台县今年新建项目20个。", ["天台还将推进改革。"])
    assert "天台" in full_name


def test_places_inside_port_and_company_names(tagger):
    lead = "2023年宁波舟山港完成集装箱吞吐量3530万标准箱，宁波舟山港集团负责人介绍。"
    cities = cities_of(tagger, "宁波舟山港集装箱吞吐量稳居全球第三", lead)
    assert cities[:2] == ["宁波", "舟山"]


def test_passing_mention_is_dropped_or_secondary(tagger):
    body = ["企业负责人说，芯片大多在上海设计，在绍兴完成制造。", "绍兴集成电路产业发展迅速。"]
    cities = cities_of(tagger, "绍兴集成电路产业异军突起", "绍兴着力发展集成电路。", body)
    assert cities[0] == "绍兴" and "上海" not in cities
    countries = cities_of(tagger, "", "浙江民营企业走出去步伐不断加快。",
                          ["专家分享到新加坡、马来西亚、日本、越南等地投资的关键考量因素。"])
    assert countries == ["浙江"]


@pytest.mark.parametrize(("county", "city", "text"), [
    ("富阳", "杭州", "富阳聚焦12类行业人才，富阳不断做优人才服务。"),
    ("青田", "丽水", "青田县实施科技创新首位战略，青田高新技术产业增长。"),
    ("柯桥", "绍兴", "柯桥区纺织印染产业集聚，柯桥的轻纺城闻名全国。"),
])
def test_county_brings_its_city_right_after_it(tagger, county, city, text):
    result = tagger.tag(title=f"{county}推进高质量发展", lead=text, paragraphs=[text])
    assert result.cities[:2] == [county, city]
    assert (county, "county", city) in result.places


def test_province_does_not_outrank_its_own_city(tagger):
    body = ["浙江将全面推进政务服务增值化改革。", "浙江还将加强人才服务。", "在湖州，企业服务中心已经运行。",
            "湖州市企业综合服务中心负责人说，渠道已经集成。"]
    cities = cities_of(tagger, "", "营商环境，“优”无止境。", body)
    assert cities == ["湖州", "浙江"]


# -- topics --------------------------------------------------------------------------------

def test_newsroom_words_are_never_topics(tagger):
    stop = load_stopwords(DEFAULT_STOPWORDS)
    assert set(NEWSROOM) <= stop
    raw_terms = set()
    for line in DEFAULT_VOCABULARY.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, syns = ([*line.split("\t"), "", ""])[:3]
            raw_terms |= {name, *syns.split("|")}
    assert not raw_terms & stop, raw_terms & stop
    assert not set(tagger.vocabulary.terms) & stop


def test_vocabulary_file_is_consistent(tagger):
    vocab = tagger.vocabulary
    assert 200 <= len(vocab.topics) <= 600
    seen: dict[str, str] = {}
    for line in DEFAULT_VOCABULARY.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        assert len(cols) == 3, line
        for term in [cols[0], *filter(None, cols[2].split("|"))]:
            assert term not in seen, f"{term} in {seen.get(term)} and {cols[0]}"
            seen[term] = cols[0]
        assert not cols[1] or cols[1] in vocab.topics, line
    assert not set(seen) & set(tagger.gazetteer.surfaces)  # places are cities, not topics
    # a term containing a city's name would swallow it as one jieba word (杭州亚运会 hides 杭州)
    hiding = [(term, s) for term in seen for s, surf in tagger.gazetteer.surfaces.items()
              if surf.place.kind != "province" and len(s) >= 2 and s in term]
    assert not hiding, hiding


def test_vocabulary_edits_are_honoured(tmp_path):
    vocab = tmp_path / "topics.tsv"
    vocab.write_text(
        DEFAULT_VOCABULARY.read_text(encoding="utf-8")
        + "咖啡经济\t消费\t人才咖啡|咖啡香\n"  # a new topic with synonyms
        + "记者\t\t本报\n",  # newsroom words: ignored, never a topic
        encoding="utf-8")
    text = ["在“人才咖啡”的现场，人才和部门面对面。", "每月举办一次“人才咖啡”，咖啡香里解难题。",
            "记者了解到，本报记者也参加。"]
    base = Tagger.load(cache_dir=tmp_path / "jieba")
    edited = Tagger.load(vocabulary=vocab, cache_dir=tmp_path / "jieba")
    assert edited is not base and edited.vocabulary.terms["人才咖啡"] == "咖啡经济"
    assert "咖啡经济" not in base.tag(title="人才咖啡解难题", lead=text[0], paragraphs=text).topics
    topics = edited.tag(title="人才咖啡解难题", lead=text[0], paragraphs=text).topics
    assert topics[0] == "咖啡经济" and "记者" not in topics
    assert "记者" not in edited.vocabulary.topics
    assert Tagger.load(vocabulary=vocab, cache_dir=tmp_path / "jieba") is edited  # loaded once


def test_short_article_still_gets_three_topics(tagger):
    topics = tagger.tag(title="舟山推进家庭医生签约", lead="家庭医生签约服务覆盖全市。").topics
    assert 3 <= len(topics) <= 6 and topics[0] == "家庭医生"
    assert "基层医疗" in topics  # the broader topic fills up a short article


def test_synonyms_fold_into_the_canonical_topic(tagger):
    topics = tagger.tag(title="民企加快出海", lead="民营企业纷纷开拓海外市场，民企出口增长。").topics
    assert "民营经济" in topics and "民营企业" not in topics and "民企" not in topics


# -- gazetteer -----------------------------------------------------------------------------

def test_gazetteer_counts():
    gaz = load_gazetteer(DEFAULT_GAZETTEER)
    kinds: dict[str, list] = {}
    for p in gaz.places.values():
        kinds.setdefault(p.kind, []).append(p)
    assert len(kinds["province"]) == 34
    assert len(kinds["prefecture"]) == 333
    zj_cities = [p for p in kinds["prefecture"] if p.parent == "浙江"]
    assert len(zj_cities) == 11
    zj_counties = [p for p in kinds["county"] if gaz.places[p.parent].parent == "浙江"]
    assert len(zj_counties) == 90
    by_suffix = {s: sum(p.name.endswith(s) for p in zj_counties) for s in ("区", "市", "县")}
    assert by_suffix == {"区": 37, "市": 20, "县": 33}  # 33 counties include 景宁畲族自治县
    assert len(kinds["country"]) >= 50 and len(kinds["foreign-city"]) >= 50
    for p in gaz.places.values():  # every county and city has a parent of the right kind
        if p.kind in ("county", "prefecture", "foreign-city"):
            parent = gaz.places[p.parent]
            assert parent.kind == {"county": "prefecture", "prefecture": "province",
                                   "foreign-city": "country"}[p.kind], p
    for p in gaz.places.values():  # an ambiguous short name needs a distinct full name to be usable
        assert not p.ambiguous or p.name != p.short, p
    assert gaz.surfaces["富阳区"].place.short == "富阳" and gaz.surfaces["富阳"].place.parent == "杭州"
    assert gaz.surfaces["青田县"].place.parent == "丽水" and gaz.surfaces["柯桥区"].place.parent == "绍兴"


def test_gazetteer_excludes_words_that_only_look_like_places():
    gaz = load_gazetteer(DEFAULT_GAZETTEER)
    for word in ("江南", "青山", "温暖", "富春", "古越", "长三角", "华立", "吉利"):
        assert word not in gaz.surfaces


# -- slugs ---------------------------------------------------------------------------------

def test_same_pinyin_places_get_distinct_slugs():
    """Every place of the gazetteer sharing a pinyin with another (泰州/台州, same sound,
    other tones; same tones too) keeps a slug of its own, made from its name alone."""
    gaz = load_gazetteer(DEFAULT_GAZETTEER)
    by_pinyin: dict[str, list[str]] = {}
    for name in gaz.places:
        by_pinyin.setdefault(pinyin_slug(name), []).append(name)
    twins = [names for names in by_pinyin.values() if len(names) > 1]
    assert twins, "the gazetteer has places sharing a pinyin (e.g. 泰州/台州)"
    slugs = tag_slugs(gaz.places)
    assert len(set(slugs.values())) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9-]+(_[0-9a-f]+(-[0-9a-f]+)*)?", s) and s not in RESERVED
               for s in slugs.values())
    assert tag_slugs(["泰州", "台州"]) == {"泰州": "taizhou_6cf0-5dde", "台州": "taizhou_53f0-5dde"}


def test_tag_slugs_depend_on_the_name_alone_and_never_meet():
    """Same tones (杨帆/扬帆), other tones (汤丽/唐丽), a name that is its own slug, a reserved
    word, digits, Latin case and punctuation: all distinct, each the same in any company."""
    names = ["汤丽", "唐丽", "杨帆", "扬帆", "5g", "5G", "index", "2024", "li hua", "li-hua", "lihua",
             "tang汤", "汤tang", "x", "X"]
    alone = {n: tag_slug(n) for n in names}
    assert tag_slugs(reversed(names)) == alone
    assert len(set(alone.values())) == len(names)
    assert alone["5g"] == "5g" and alone["lihua"] == "lihua" and alone["x"] == "x"
    assert alone["汤丽"] == "tangli_6c64-4e3d" and alone["唐丽"] == "tangli_5510-4e3d"
    assert all(s not in RESERVED and not s.isdigit() for s in alone.values())


# -- loading -------------------------------------------------------------------------------

def test_load_once_and_cache_on_disk(tmp_path):
    first = Tagger.load(cache_dir=tmp_path)
    assert Tagger.load(cache_dir=tmp_path) is first
    assert list(tmp_path.glob("epaper-*.cache")), "jieba's prefix dictionary is cached in the cache dir"


# -- speed without a different answer (issue 7) ---------------------------------------------

def _sample_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "raw").glob("*/*/*.txt")):
        texts.append(path.read_text(encoding="utf-8"))
    for path in GOLD:
        for art in json.loads(path.read_text(encoding="utf-8"))["articles"]:
            texts.extend([art.get("title") or "", *art["paragraphs"]])
    # corners of jieba's block rules: ASCII runs, digits, '-', '.', '%', spaces, line ends, emoji
    texts += ["", " ", "\r\n\r\n", "GDP增长5.2%，CPU-Z测试 3.14 a b\tc", "浙江ABC公司2024年\u3000（记者）",
              "😀杭州😀", "x", "--..%%", "富阳区富阳区西湖西湖大学", "ｆｕｌｌ　ｗｉｄｔｈ１２３"]
    return texts


def test_fastcut_is_jieba_word_for_word(tagger):
    """FastCut must give exactly jieba's words: tags, slugs and so content/ depend on them."""
    import jieba

    from converters.fastcut import FastCut
    from converters.tagging.text import normalise

    texts = _sample_texts()
    texts += [normalise(t) for t in texts]
    fast = FastCut(tagger.tokenizer)
    for text in texts:
        assert fast.cut(text) == list(tagger.tokenizer.cut(text, HMM=False)), text[:40]
        assert fast.cut(text) == list(tagger.tokenizer.cut(text, HMM=False)), text[:40]  # memoised
    jieba.initialize()
    fast_default = FastCut(jieba.dt)
    for text in texts:
        for line in text.splitlines() or [text]:
            assert fast_default.cut(line, hmm=True) == jieba.lcut(line), line[:40]


def test_default_dictionary_made_from_the_tagger_s(tagger):
    """The slugs' dictionary (jieba's default) derived from the tagger's combined one is
    jieba's own table, entry for entry."""
    import jieba

    from converters.tagging.segment import default_table

    jieba.initialize()
    freq, total = default_table(tagger.tokenizer)
    assert total == jieba.dt.total
    assert freq == jieba.dt.FREQ


def test_positions_is_a_scan_of_every_word():
    from converters.tagging.text import positions

    words = ("杭州", "的", "西湖", "杭州", ",", "绍兴", "杭州")
    table = {"杭州": 1, "绍兴": 2, "宁波": 3}
    assert positions(words, table) == [i for i, w in enumerate(words) if w in table]
    assert positions((), table) == []
    assert positions(("的",), table) == []
