"""Each converter stage alone, with a few lines of input."""

from __future__ import annotations

import html

import markdown
import pytest

from converters import credits, headline, masthead, punctuation, read, reflow, textutil
from converters.assemble import assemble
from converters.blocks import split_blocks
from converters.classify import ClassifyContext, classify
from converters.escape import markdown_text, metadata_value
from converters.link import agree, edition_facts, facts_from_path
from converters.model import Article, Block, Kind, Page, PageFacts

NAMES = {"浙江日报": "浙江日报", "浙江日报报业集团": "浙江日报", "人民日报": "人民日报"}


def kinds(text: str) -> list[tuple[str, str]]:
    blocks = classify(split_blocks(text), ClassifyContext(paper_names=NAMES))
    return [(str(b.kind), b.text) for b in blocks]


# -- read ------------------------------------------------------------------------

SAMPLE = "本报讯(记者 朱承)近年来,浙江民营企业走出去步伐不断加快。\n\n2024年3月17日 星期日\n"


@pytest.mark.parametrize("encoding,expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-bom"), ("utf-16", "utf-16-le-bom"), ("gb18030", "gb18030"),
    ("gbk", "gb18030")])
def test_read_detects_encodings(encoding, expected):
    decoded = read.decode(SAMPLE.encode(encoding))
    assert decoded.text == SAMPLE
    assert decoded.encoding == expected


def test_read_normalises_line_ends_and_bom():
    decoded = read.decode(("\ufeff" + SAMPLE.replace("\n", "\r\n")).encode("utf-8"))
    assert decoded.text == SAMPLE
    assert read.decode(SAMPLE.replace("\n", "\r").encode()).text == SAMPLE


def test_read_refuses_binary():
    with pytest.raises(read.NotText):
        read.decode(bytes(range(256)) * 4)


def test_read_keeps_truncated_utf8_and_reports_line():
    data = SAMPLE.encode() + "浙".encode()[:2]
    decoded = read.decode(data)
    assert decoded.text.startswith(SAMPLE)
    assert decoded.issues and decoded.issues[0].code == "invalid-utf8" and decoded.issues[0].line == 4


# -- blocks and classify ---------------------------------------------------------------

def test_blocks_keep_line_numbers_and_heading_levels():
    blocks = split_blocks("\n\n## 标题\n\n　　正文第一段。  \n第二段。\n")
    assert [(b.line, b.level, b.text, b.blank_before) for b in blocks] == [
        (3, 2, "标题", 2), (5, 0, "正文第一段。", 1), (6, 0, "第二段。", 0)]


def test_classify_masthead_lines():
    text = ("2024年3月17日 星期日 农历甲辰年二月初八\n今日4版 第27323期\n"
            "国内统一连续出版物号:CN 33-0001 邮发代号:31-1\n浙江日报报业集团\nZHEJIANG DAILY PRESS GROUP\n")
    ctx = ClassifyContext(paper_names=NAMES)
    blocks = classify(split_blocks(text), ctx)
    assert {b.kind for b in blocks} == {Kind.MASTHEAD}
    f = ctx.facts
    assert (f.date, f.issue, f.pages_total, f.cn, f.postal_code, f.paper, f.lunar) == (
        "2024-03-17", 27323, 4, "CN 33-0001", "31-1", "浙江日报", "农历甲辰年二月初八")


def test_classify_folio_of_inner_page():
    ctx = ClassifyContext(paper_names=NAMES)
    classify(split_blocks("2025年3月18日 星期二\n\n15\n\n生态\n\n## 标题一个\n\n正文。"), ctx)
    assert (ctx.facts.page, ctx.facts.section, ctx.facts.date) == (15, "生态", "2025-03-18")


def test_classify_heading_roles():
    got = kinds("### 引题在上面\n## 主题\n### 副题在下面\n\n正文。\n\n### 小标题\n\n正文。")
    assert [k for k, _ in got] == ["kicker", "headline", "subtitle", "body", "subhead", "body"]


def test_classify_bylines_leads_captions_jumps_fragments():
    got = dict((t, k) for k, t in kinds(
        "## 标题\n\n本报记者 程少波 苗丽娜\n\n俯瞰新区。 管委会供图\n\n正文结束了。\n\n(下转第二版)\n\n"
        "优\n\n本报讯(记者 施安南 通讯员 陈怡灵)日前,正文。\n\n本报记者\n\n金春华\n\n浙江"))
    assert got["本报记者 程少波 苗丽娜"] == "byline"
    assert got["俯瞰新区。 管委会供图"] == "caption"
    assert got["(下转第二版)"] == "jump"
    assert got["优"] == "fragment"
    assert got["本报讯(记者 施安南 通讯员 陈怡灵)日前,正文。"] == "lead"
    assert got["本报记者"] == "byline" and got["金春华"] == "byline-name"
    assert got["浙江"] == "fragment"  # a place, not a name: a piece of the title graphic


def test_short_line_after_a_cut_is_body_not_fragment():
    got = kinds("## 标题\n\n正文说到这里被切断在\n\n中间\n\n又一段。")
    assert [k for k, _ in got] == ["headline", "body", "body", "body"]


# -- credits and headlines ------------------------------------------------------------

@pytest.mark.parametrize("line,authors,correspondents", [
    ("本报记者 程少波 苗丽娜 金燕翔", ["程少波", "苗丽娜", "金燕翔"], []),
    ("记者 施安南 通讯员 陈怡灵 叶城钢", ["施安南"], ["陈怡灵", "叶城钢"]),
    ("记者 叶轲 县委报道组 叶叶志", ["叶轲"], ["叶叶志"]),
    ("本报记者  原韬雄  高  炳", ["原韬雄", "高炳"], []),
    ("本报记者  崔  佳  祝大伟", ["崔佳", "祝大伟"], []),
    ("记者李纵", ["李纵"], []),
    ("文/图 张三", ["张三"], []),
    ("文｜张三　图｜李四", ["张三", "李四"], []),
])
def test_parse_credits(line, authors, correspondents):
    c = credits.parse_credits(line)
    assert c is not None and (c.authors, c.correspondents) == (authors, correspondents)


@pytest.mark.parametrize("line", ["记者了解到,今年我省", "本报记者 浙江 杭州", "记者 走访 发现"])
def test_parse_credits_rejects_prose(line):
    assert credits.parse_credits(line) is None


@pytest.mark.parametrize("text,kicker,title,subtitle", [
    ("传统产业破旧立新 新兴产业异军突起 绍兴,“俊鸟”腾飞正当时", "传统产业破旧立新 新兴产业异军突起",
     "绍兴,“俊鸟”腾飞正当时", ""),
    ("舟山破除家庭医生签约医保服务地域限制 一地签约 全省共享", "舟山破除家庭医生签约医保服务地域限制",
     "一地签约 全省共享", ""),
    ("富阳创新载体倾听人才诉求服务人才发展 咖啡香里,面对面解难题", "富阳创新载体倾听人才诉求服务人才发展",
     "咖啡香里,面对面解难题", ""),
    ("咖啡香里 面对面解难题", "", "咖啡香里 面对面解难题", ""),
    ("一地签约 全省共享 舟山破除家庭医生签约医保服务地域限制", "", "一地签约 全省共享",
     "舟山破除家庭医生签约医保服务地域限制"),
])
def test_split_headline(text, kicker, title, subtitle):
    h = headline.split_headline(text)
    assert (h.kicker, h.title, h.subtitle) == (kicker, title, subtitle)


def test_column_label_extracted_but_title_kept():
    h = headline.split_headline("陕西扎实推进能源结构绿色转型（坚定信心，打开改革发展新天地）")
    assert h.title.endswith("）") and h.column == "坚定信心，打开改革发展新天地"


@pytest.mark.parametrize("lead,title", [
    ("近年来,浙江民营企业走出去步伐不断加快,对外贸易和投资规模持续增长。", "浙江民营企业走出去步伐不断加快"),
    ("营商环境,“优”无止境。", "营商环境,“优”无止境"),
    ("日前,记者从省林业局获悉,全省造林绿化面积创历年新高,达到三十万亩以上。", "全省造林绿化面积创历年新高"),
])
def test_infer_title(lead, title):
    assert headline.infer_title(lead) == title


# -- reflow, punctuation, escaping -------------------------------------------------------

def _article(*texts: str) -> Article:
    art = Article(line=1, title="t")
    art.body = [Block(line=i + 1, text=t) for i, t in enumerate(texts)]
    return art


def test_reflow_joins_column_cuts_and_removes_doubled_word():
    page = Page(source="x", facts=PageFacts())
    art = _article("范围,扩大", "扩大到省内所有定点基层医疗机构。", "占", "全省的80.7%。", "新的一段。")
    reflow.reflow_article(art, page)
    assert [p.text for p in art.paragraphs] == ["范围，扩大到省内所有定点基层医疗机构。", "占全省的80.7%。",
                                                "新的一段。"]
    assert any(i.code == "doubled-word-removed" and i.dropped == "扩大" for i in page.issues)


def test_reflow_warns_when_body_starts_mid_sentence():
    page = Page(source="x", facts=PageFacts())
    reflow.reflow_article(_article("地签约、全省共享”目标任务,惠及人员。"), page)
    assert [i.code for i in page.issues] == ["body-starts-mid-sentence"]


@pytest.mark.parametrize("before,after", [
    ("2023年,全省增长20.5%,占全省的80.7%", "2023年，全省增长20.5%，占全省的80.7%"),
    ("“两高一低”(高耗能、高排放)现象", "“两高一低”（高耗能、高排放）现象"),
    ("订单太多了!”他说:好?", "订单太多了！”他说：好？"),
    ("1,000 and 10:30, Hello (world)", "1,000 and 10:30, Hello (world)"),
    ("见 http://example.com/a?b=1,2 网站", "见 http://example.com/a?b=1,2 网站"),
])
def test_fullwidth_punctuation(before, after):
    assert punctuation.restore(before) == after


HOSTILE = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '[点我](javascript:alert(1))',
           '![图](http://x/y.png)', '**粗体** _斜体_ `代码`', '# 不是标题', '1. 不是列表', '> 不是引用',
           '{{ config }} {% raw %}', 'a | b | c', '\\*转义\\*', '<!-- 注释 -->', '&amp; &lt;']


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_renders_back_to_itself(text):
    md = markdown.Markdown(extensions=["extra", "meta", "toc"])
    rendered = md.convert(markdown_text(text))
    assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered
    assert "<strong" not in rendered and "<em" not in rendered and "<code" not in rendered
    assert "<h1" not in rendered and "<ol" not in rendered and "<blockquote" not in rendered
    assert "<table" not in rendered
    visible = html.unescape(rendered.removeprefix("<p>").removesuffix("</p>"))
    assert visible == text


def test_metadata_value_is_one_line():
    assert metadata_value("a\nTitle: b\r\n c") == "a Title: b c"


# -- link ------------------------------------------------------------------------------------

def test_facts_from_path_conventions():
    assert facts_from_path("raw/zjrb/2024-03-17/01.txt") == PageFacts(date="2024-03-17", page=1)
    assert facts_from_path("zjrb-2024-03-17-01.txt") == PageFacts(date="2024-03-17", page=1)
    assert facts_from_path("notes.txt") == PageFacts()


def test_agree_prefers_masthead_and_reports_disagreement():
    a = agree(PageFacts(date="2024-03-17"), PageFacts(date="2024-03-18", page=2), PageFacts(issue=5))
    assert (a.facts.date, a.facts.page, a.facts.issue) == ("2024-03-17", 2, 5)
    assert a.disagreements == [{"field": "date", "first": "masthead", "first_value": "2024-03-17",
                                "second": "path", "second_value": "2024-03-18"}]


def test_edition_facts_shared_by_pages():
    ed = edition_facts([PageFacts(date="d", page=1, issue=7, pages_total=4), PageFacts(date="d", page=2)])
    assert (ed.issue, ed.pages_total, ed.pages_present, ed.notes) == (7, 4, (1, 2), [])


# -- assemble --------------------------------------------------------------------------------

def test_orphan_byline_after_body_is_credited_to_its_article():
    text = ("## 一个标题在这里\n\n第一段讲的是医保报销。\n\n第二段还是讲医保报销比例。\n\n"
            "本报记者\n\n金春华\n\n王逸群\n\n## 下一篇\n\n正文。")
    blocks = classify(split_blocks(text), ClassifyContext(paper_names=NAMES))
    arts = assemble(blocks, Page(source="x", facts=PageFacts()))
    assert arts[0].authors == ["金春华", "王逸群"] and arts[1].title == "下一篇"


def test_textutil_sentence_ends():
    assert textutil.ends_sentence("好。”") and textutil.ends_sentence("发展——")
    assert not textutil.ends_sentence("中的“数") and not textutil.ends_sentence("占")


def test_masthead_numerals():
    assert [masthead.cn_numeral(x) for x in ("二", "十二", "二十三", "15")] == [2, 12, 23, 15]


def test_render_parts_join_to_render_with_any_edition_facts():
    """Workers render before the edition is known (issue 7): the parts, joined with the
    edition's paper name, issue and page count, are the bytes render() gives with those facts."""
    from dataclasses import replace

    from converters.model import Paragraph
    from converters.write import edition_values, join_parts, render, render_parts

    art = Article(line=3, title="标题", kicker="引题", authors=["王五"], slug="20240317-01-biao-ti", order=1,
                  cities=["杭州"], topics=["民营经济"],
                  paragraphs=[Paragraph("本报讯 正文，第一段。", 4), Paragraph("小标题", 5, subhead=True),
                              Paragraph("第二段 <b>&", 6)])
    empty = Article(line=9, title="无正文", slug="x", order=2)
    # a first part (下转): its continuation's slug is known only once the other page is linked
    jumper = Article(line=12, title="转版", slug="20240317-01-zhuan", order=3, continued_on=2,
                     paragraphs=[Paragraph("开头。", 13)])
    for page_no in (1, None):
        base = PageFacts(paper="浙江日报", paper_slug="zjrb", date="2024-03-17", page=page_no, section="要闻")
        for a in (art, empty, jumper):
            parts = render_parts(Page(source="raw/zjrb/2024-03-17/01.txt", facts=base), a)
            for paper, issue, total in (("浙江日报", None, None), ("", 27323, None), ("浙江日报", None, 8),
                                        ("人民日报", 27323, 8)):
                page = Page(source="raw/zjrb/2024-03-17/01.txt",
                            facts=replace(base, paper=paper, issue=issue, pages_total=total))
                for partner in ("", "20240317-02-zhuan"):
                    linked = replace(a, continued_on_slug=partner)
                    expected = render(page, linked).encode("utf-8")
                    assert join_parts(parts, edition_values(page, linked)) == expected
                    assert (f"ContinuedOnSlug: {partner}\n".encode() in expected) == bool(
                        partner and a.continued_on)
