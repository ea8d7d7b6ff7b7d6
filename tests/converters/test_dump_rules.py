"""The content rules that dumps of real extraction tools broke, each from its principle on a
small page written here (not a sample's text), and the two column readers on pages laid
out here.  Fast: no tool runs (``tests/converters/test_tool_dumps.py`` runs the real tools)."""

from __future__ import annotations

import pytest

from converters import columns, segment
from converters.dialects import (
    Dump,
    Line,
    _has_titles_abreast,
    _run_titles_abreast,
    _two_lines,
    _without_repeats,
    column_paragraphs,
    normalise,
)
from converters.pipeline import convert_text, paper_names
from epaper_contract.papers import known_papers, load_paper
from tests.conftest import ROOT

PAPER = load_paper(ROOT / "raw", "rmrb")
NAMES = paper_names([PAPER, *known_papers(ROOT / "raw").values()])
BODY_A = "近日，某省召开会议，部署加快打造先进制造业集群。会议指出，要加快推进重点产业链建设，提升产业整体竞争力。"
BODY_B = "据介绍，该省今年以来新开工项目数量同比增长两成，一批重大项目相继投产达效，带动就业持续增加。"


def convert(text: str, source: str = "raw/rmrb/2025-04-08/01.txt"):
    from converters.link import facts_from_path

    return convert_text(text, source, paper=PAPER, names=NAMES, path_facts=facts_from_path(source),
                        with_tags=False)


def test_masthead_web_address_is_not_a_kicker():
    """The masthead's last line (the paper's web address) stays in the masthead: the story's
    kicker and title under it are its own."""
    page = convert("人民日报\n2025年4月8日 星期二\n人民网网址：www.people.com.cn\n\n坚持稳中求进\n\n"
                   f"辽宁加快打造先进制造业集群\n\n本报记者 刘成友 郝迎灿\n\n　　{BODY_A}\n")
    [art] = page.articles
    assert (art.kicker, art.title, art.subtitle) == ("坚持稳中求进", "辽宁加快打造先进制造业集群", "")
    assert art.authors == ["刘成友", "郝迎灿"]


def test_the_pages_staff_is_no_storys_text():
    """A line naming the page's editors and designers (本版责编：…　版式设计：…), at the page's
    foot or top, as marked or plain text: no story's paragraph, and named in the report."""
    for staff in ("本版责编：王强　李梅　版式设计：赵敏", "**编辑：陈静　美编：周婷**", "（本版编辑：陈静）"):
        page = convert(f"## 辽宁加快打造先进制造业集群\n\n本报记者 刘成友\n\n　　{BODY_A}\n\n　　{BODY_B}\n\n{staff}\n")
        [art] = page.articles
        assert [p.text for p in art.paragraphs] == [BODY_A, BODY_B]
        assert [dict(i.params)["text"] for i in page.issues if i.code == "page-staff"] == [staff.strip("*")]
    page = convert(f"本版编辑：陈静\n\n## 辽宁加快打造先进制造业集群\n\n　　{BODY_A}\n")
    assert [a.title for a in page.articles] == ["辽宁加快打造先进制造业集群"]
    assert [p.text for p in page.articles[0].paragraphs] == [BODY_A]


def test_headline_phrases_under_a_shorter_line_are_the_title():
    """Two unmarked decks: a long second deck is a subtitle only when it reads as a sentence;
    a headline's phrases under a shorter line are the title, that line its kicker."""
    page = convert("2025年4月8日 星期二\n\n04\n\n某某在某省调研时强调\n\n"
                   "扎实推进改革开放 打造引领新时代对外开放重要门户\n\n"
                   f"　　新华社某地4月7日电  （记者张三）{BODY_A}\n", "raw/rmrb/2025-04-08/04.txt")
    [art] = page.articles
    assert art.kicker == "某某在某省调研时强调"
    assert art.title == "扎实推进改革开放 打造引领新时代对外开放重要门户"


def test_photo_credit_line_is_the_caption_not_a_title():
    """A credit standing alone, its agency in brackets (周敏岚摄（人民视觉）), closes the
    caption above it; neither is a title, and the stories keep their own headlines."""
    page = convert(f"2025年4月8日 星期二\n\n02\n\n要闻\n\n## 某地春耕忙\n\n本报记者 李四\n\n　　{BODY_A}\n\n"
                   "田间的春耕景象。\n\n周敏岚摄（人民视觉）\n\n## 某地新项目投产\n\n本报记者 王五\n\n"
                   f"　　{BODY_B}\n", "raw/rmrb/2025-04-08/02.txt")
    titles = [a.title for a in page.articles]
    assert titles == ["某地春耕忙", "某地新项目投产"]
    captions = " ".join(a.caption for a in page.articles)  # (above a headline: the story under it)
    assert "田间的春耕景象。 周敏岚摄（人民视觉）" in captions
    assert all("周敏岚" not in p.text for a in page.articles for p in a.paragraphs)


def test_byline_written_as_heading_is_a_byline_and_folio_is_not_a_kicker():
    """pymupdf4llm: the folio in a block quote (``> **评论** **<mark>05</mark>**``), the
    byline as a heading (``## 陈  凌``)."""
    page = convert("> **评论** **<mark>05</mark>** \n\n2025年5月13日 星期二 \n\n"
                   "# **做优增量与盘活存量（评论员观察）** \n\n## 陈  凌 \n\n"
                   f"{BODY_A}\n\n{BODY_B}\n", "raw/rmrb/2025-05-13/05.txt")
    [art] = page.articles
    assert (art.kicker, art.title, art.subtitle) == ("", "做优增量与盘活存量（评论员观察）", "")
    assert art.authors == ["陈凌"]
    assert page.facts.page == 5


def test_wrapped_title_is_one_title():
    """A title the tool cut onto two lines (a word runs across the cut: 产|能, or a quotation
    is left open: “就|好业”), and one it joined with a space (建 设), is one title."""
    page = convert(f"2025年4月8日 星期二\n\n07\n\n东北黑土区耕地质量与粮食产\n能协同提升\n\n"
                   f"　　本报哈尔滨4月7日电  （记者郭晓龙）{BODY_A}\n", "raw/rmrb/2025-04-08/07.txt")
    assert [a.title for a in page.articles] == ["东北黑土区耕地质量与粮食产能协同提升"]
    # Cut inside a quotation left open (no word across 就|好业): one title all the same.
    page = convert(f"2025年4月8日 星期二\n\n07\n\n推动“好就业”“就\n好业”（子夜走笔）\n\n本报记者 曹怡晴\n\n"
                   f"　　{BODY_A}\n", "raw/rmrb/2025-04-08/07.txt")
    assert [(a.title, a.authors) for a in page.articles] == [("推动“好就业”“就好业”（子夜走笔）", ["曹怡晴"])]
    heading = normalise("# **江西持续推动“无废城市”建 设**\n\n## 压实责任  明确任务\n").lines
    assert [ln.text for ln in heading] == ["**江西持续推动“无废城市”建设**", "压实责任  明确任务"] or \
        [ln.text for ln in heading] == ["江西持续推动“无废城市”建设", "压实责任  明确任务"]


def test_a_column_label_is_no_deck_of_its_own():
    """A headline whose column label a tool joined on with a space (pymupdf4llm:
    ``# **乐见招才引智亮新招 （纵横）**``): one title, the label closing it — not a kicker
    over a title ``（纵横）``."""
    page = convert("2025年4月8日 星期二\n\n05\n\n# **乐见招才引智亮新招 （纵横）** \n\n### 本报记者 熊丽 \n\n"
                   f"{BODY_A}\n", "raw/rmrb/2025-04-08/05.txt")
    [art] = page.articles
    assert (art.kicker, art.title, art.authors) == ("", "乐见招才引智亮新招（纵横）", ["熊丽"])


def _side_by_side(left: list[str], right: list[str], gutter: int) -> str:
    """Two columns set side by side, one character cell per glyph, as pdftotext -layout does."""
    width = max(len(x) for x in left)
    rows = [f"{a.ljust(width)}{' ' * gutter}{b}" for a, b in zip(left, right, strict=False)]
    return "\n".join(rows) + "\n"


def _lines(text: str, n: int) -> list[str]:
    return [text[i:i + n] for i in range(0, len(text), n)]


def test_side_by_side_columns_are_read_column_by_column():
    """A headline over two columns set side by side, gutters of one and of four cells: the
    left column is read whole, then the right, each paragraph whole."""
    left, right = _lines(BODY_A, 14), _lines(BODY_B, 14)
    right += [""] * (len(left) - len(right))
    for gutter in (1, 4):
        text = "某省加快打造先进制造业集群\n\n" + _side_by_side(["　　" + left[0][:12], *left[1:]], right, gutter)
        lines = [t for _, t, _, _, _ in columns.ordered_lines(text)]
        assert lines[0] == "某省加快打造先进制造业集群"
        joined = "".join(lines[1:])
        assert BODY_B in joined, (gutter, lines)
        assert joined.index(BODY_B) > joined.index(left[1]), (gutter, lines)


def test_stories_side_by_side_on_different_line_spacings_are_read_by_position():
    """Two stories side by side whose lines never share a row (set on different line
    spacings, as a layout-keeping tool writes them: the right story's lines set in by white
    space on rows of their own, no gutter-wide gap inside a line): the positions say the
    columns, so each story is read whole, not line by line in turns."""
    left, right = _lines(BODY_A * 3, 14), _lines(BODY_B * 3, 13)
    rows = [row for i in range(max(len(left), len(right)))
            for row in (left[i:i + 1] + [" " * 34 + r for r in right[i:i + 1]])]
    text = "\n".join(rows) + "\n"
    assert columns.side_by_side(text.split("\n"))
    joined = "".join(ln.text for ln in normalise(text).lines)
    assert joined == "".join(left) + "".join(right)


def test_headline_subtitle_and_byline_centred_over_side_by_side_columns_come_first():
    """A headline, its subtitle and its byline centred over a story's columns on rows of
    their own, one under the other (a space in the subtitle and between the role and the
    name falling where a column starts): read before the columns, each a line, and the
    story's text column after column."""
    left, right = _lines(BODY_A * 2, 14), _lines(BODY_B * 2, 14)
    n = min(len(left), len(right))
    body = _side_by_side(left[:n], right[:n], 4)
    second = len(left[0]) + 4  # the cell where the second column starts
    heads = [" " * 10 + "某省加快打造先进制造业集群", " " * (second - 8) + "——消费新亮点 发展新赛道",
             " " * (second - 5) + "本报记者 李四"]
    text = "\n".join(heads) + "\n\n" + body
    assert columns.side_by_side(text.split("\n"))
    lines = [ln.text for ln in normalise(text).lines]
    assert lines[:3] == ["某省加快打造先进制造业集群", "——消费新亮点 发展新赛道", "本报记者 李四"], lines
    assert "".join(lines[3:]) == "".join(left[:n]) + "".join(right[:n])


def test_columns_merged_row_by_row_are_dealt_back():
    """Lines of two columns joined row by row into one paragraph (pymupdf4llm): the column
    count that makes each column's lines continue each other wins, and each column's text
    comes back whole."""
    freq = segment._fast().freq
    a, b = _lines(BODY_A + BODY_A, 13), _lines(BODY_B + BODY_B, 13)
    n = min(len(a), len(b))
    merged = " ".join(x for pair in zip(a[:n], b[:n], strict=True) for x in pair)
    parts = columns.pieces(merged)
    k, lead, _ = columns.unmerge(parts, freq)
    assert (k, lead) == (2, 0)
    left, right = columns.column_texts(parts, k, lead, freq)
    assert "".join(left) == "".join(a[:n]) and "".join(right) == "".join(b[:n])


def test_a_space_after_a_half_width_mark_in_chinese_text_is_a_join():
    """Chinese text set with half-width commas (日前,在…): the space a tool put between two
    lines after one (…的现场, 咖香…) is where it joined them, as between two Chinese
    characters; a space between Latin words or numbers is not."""
    assert columns.pieces("杭州市富阳区“人才咖啡”的现场, 咖香氤氲中,10余名区欧美同学会") == [
        "杭州市富阳区“人才咖啡”的现场,", "咖香氤氲中,10余名区欧美同学会"]
    assert columns.pieces("DeepSeek, OpenAI 等公司") == ["DeepSeek, OpenAI 等公司"]


def test_a_word_across_by_chance_does_not_deal_a_line_to_the_wrong_column():
    """Three columns merged row by row: a line that does not run on from its column's last
    line (政府|信息化: the cut fell between words) but makes a word with the next column's
    (确保封|信息 — 封信 is a word too) still goes to its own column, since the row read on in
    turn runs on (封|关运作) and read on from the next column does not."""
    freq = segment._fast().freq
    left = ["近日，某省召开全省会议，部", "署今年自贸港建设重点任务。",
            "会议指出，要坚持稳中求进，", "推动各项改革举措落地见效。"]
    middle = ["会议强调，要统筹推进智慧城", "市建设，加快推进数字政府",
              "信息化平台建设，提升治理效", "能，更好服务企业和群众。"]
    right = ["今年是封关运作之年，要把各", "项准备工作做实做细，确保封",
             "关运作平稳有序、万无一失，", "为全面开放打下坚实基础。"]
    parts = [x for row in zip(left, middle, right, strict=True) for x in row]
    assert columns.unmerge(parts, freq)[:2] == (3, 0)
    assert columns.column_texts(parts, 3, 0, freq) == [left, middle, right]


def test_a_column_written_in_two_passages_goes_on_where_its_words_run():
    """A tool that merges rows writes a story's upper rows as one passage and its lower rows
    as the next: the second column's top (合”的模式…) goes on from the first column's foot
    (…“农牧结), written in the later passage.  Each column's text is read on its own and
    put after the text its words run on from; nothing is glued across a column's foot."""
    top_left = ["行走在广袤田野上，我们总", "能从细微处感受到现代农业发",
                "展的强劲脉动。秸秆角色的转", "变，是观察农业的好视角。"]
    top_right = ["合”的模式，有效连接了种", "植业与养殖业，显著提升了农",
                 "业整体效益，这正是现代生", "态农业发展的应有之义。"]
    foot_left = ["以往，秸秆一直是农民心头挥", "之不去的烦恼。如今秸秆化",
                 "作牲畜口粮，助力畜牧业降", "本增效，这种“农牧结"]
    foot_right = ["秸秆的能耐远不止于此。在一", "些能源需求较大的地区，秸",
                  "秆成为清洁能源的新选择，", "也契合了双碳目标要求。"]

    def merged(a: list[str], b: list[str]) -> str:
        return " ".join(x for pair in zip(a, b, strict=True) for x in pair)

    dump = (f"# 秸秆尽其用折射现代农业密码\n\n常钦\n\n{merged(top_left, top_right)}\n\n"
            f"{merged(foot_left, foot_right)}\n")
    texts = [ln.text for ln in normalise(dump).lines][2:]
    assert texts == ["".join(top_left), "".join(foot_left), "".join(top_right), "".join(foot_right)]


def test_a_columns_text_broken_off_at_its_foot_is_filled_in_from_the_second_writing():
    """A column's text that ends inside a sentence at the column's foot, then written again
    by the tool with the lines the first writing lost: one paragraph, the second writing
    dropped and reported.  (A deck that a paragraph opens with is not so filled in:
    ``test_passage_written_twice_fills_in_what_the_first_writing_lost``.)"""
    first, again = Line(1, BODY_A[:30]), Line(2, BODY_A)
    d = Dump(text="", lines=[])
    kept = _without_repeats(d, [first, again], feet={id(first)})
    assert [ln.text for ln in kept] == [BODY_A]
    assert [i.code for i in d.issues] == ["passage-repeated"]
    first, again = Line(1, BODY_A[:30]), Line(2, BODY_A)  # not a column's foot: both kept
    assert [ln.number for ln in _without_repeats(Dump(text="", lines=[]), [first, again])] == [1, 2]


def test_reading_order_that_cannot_be_recovered_is_reported_once():
    """Two columns' lines on each line with a single space and no gutter: one warning for
    the page, naming the problem and the page PDF; the text is all kept."""
    a, b = _lines(BODY_A * 3, 13), _lines(BODY_B * 3, 13)
    n = min(len(a), len(b))
    dump = "2025年4月8日 星期二\n\n03\n\n## 某省加快打造先进制造业集群\n\n" + \
        "\n".join(f"{x} {y}" for x, y in zip(a[:n], b[:n], strict=True)) + "\n"
    page = convert(dump, "raw/rmrb/2025-04-08/03.txt")
    warned = [i for i in page.issues if i.code in ("columns-interleaved", "columns-alternating")]
    assert len(warned) == 1
    kept = "".join(p.text for art in page.articles for p in art.paragraphs)
    assert sum(len(x) for x in a[:n] + b[:n]) <= len(kept) + 10


def test_dateline_with_its_space_opens_the_first_column_of_a_merged_row():
    """A column's line is short only where a paragraph ends: the first line of a story's
    first column, ``本报西宁4月7日电 （记``, holds a space the page set (before the bracket),
    and its two short pieces are one line, not the first lines of two columns.  So the
    reporter in the brackets is found and both columns come back whole."""
    lead = "本报西宁4月7日电 （记者李明）"
    a, b = _lines(lead + BODY_A * 3, 14), _lines(BODY_B * 3, 14)
    assert " " in a[0]
    n = min(len(a), len(b))
    dump = "2025年4月8日 星期二\n\n03\n\n# 某省加快打造先进制造业集群\n\n" + \
        " ".join(x for pair in zip(a[:n], b[:n], strict=True) for x in pair) + "\n"
    lines = [ln.text for ln in normalise(dump).lines]
    assert any(t.startswith(lead + BODY_A[:10]) for t in lines), lines
    assert any(BODY_B in t for t in lines), lines
    page = convert(dump, "raw/rmrb/2025-04-08/03.txt")
    assert [(a.dateline, a.authors) for a in page.articles] == [("本报西宁4月7日电", ["李明"])]


def test_a_line_cut_by_its_own_space_inside_a_merged_row_is_one_line():
    """The space the page set in a line is no column's cut further down a merged row either:
    a piece under half a line that ends no sentence starts a line (``者 李明）近日…``, the
    dateline's bracket carried over from the line above), so the columns are dealt back
    whole and the reporter is found."""
    body = BODY_A * 3
    a = ["本报西宁4月7日电 （记", "者 李明）" + body[:9], *_lines(body[9:], 14)]
    b = _lines(BODY_B * 3, 14)
    n = min(len(a), len(b))
    dump = "2025年4月8日 星期二\n\n03\n\n# 某省加快打造先进制造业集群\n\n" + \
        " ".join(x for pair in zip(a[:n], b[:n], strict=True) for x in pair) + "\n"
    page = convert(dump, "raw/rmrb/2025-04-08/03.txt")
    [art] = page.articles
    assert (art.dateline, art.authors) == ("本报西宁4月7日电", ["李明"])
    text = "".join(p.text for p in art.paragraphs)
    assert body[:9] + "".join(a[2:n]) in text and "".join(b[:n]) in text, text


def test_a_caption_and_its_credit_before_a_merged_row_are_a_line_of_their_own():
    """A photo's caption closed by its credit (``本报记者 刘 洋摄``, the name spaced) that the
    tool wrote at the head of the columns' merged rows: a line of its own, the story's
    caption, and the columns after it dealt back whole."""
    a, b = _lines(BODY_A * 3, 14), _lines(BODY_B * 3, 14)
    n = min(len(a), len(b))
    caption = "市民在公园里健身休闲。 本报记者 刘 洋摄"
    dump = "2025年4月8日 星期二\n\n03\n\n# 某省加快打造先进制造业集群\n\n本报记者 李明\n\n" + caption + " " + \
        " ".join(x for pair in zip(a[:n], b[:n], strict=True) for x in pair) + "\n"
    lines = [ln.text for ln in normalise(dump).lines]
    assert caption in lines, lines
    page = convert(dump, "raw/rmrb/2025-04-08/03.txt")
    [art] = page.articles
    assert art.caption.startswith("市民在公园里健身休闲。") and art.caption.endswith("洋摄"), art.caption
    text = "".join(p.text for p in art.paragraphs)
    assert "".join(a[:n]) in text and "".join(b[:n]) in text, text


def _column(paragraphs: list[str], n: int) -> list[str]:
    """Paragraphs set in a column ``n`` characters wide, each first line indented by two."""
    out: list[str] = []
    for p in paragraphs:
        out += [p[:n - 2], *_lines(p[n - 2:], n)]
    return out


def test_merged_rows_keep_paragraphs_and_cut_lines_joined_beside_latin_text():
    """Two columns' lines, as dealt back from rows a tool merged: a paragraph whose last line
    fills the column still ends there, as the next line is indented (narrower); a column's
    text cut mid-word at its foot ends there (where it goes on is for the story's flow to
    say: the top of the next column, read next, or a passage written elsewhere).  A column's line
    that the tool joined to its neighbour's line starting with digits (no cut between
    Chinese text: ``…建 2024年…``) is cut back into its two lines."""
    first = "会议强调，要坚持稳中求进工作总基调，统筹推进各项工作，推动全省经济持续回升向好。"
    left = _column([first, BODY_A], 14)
    right = _column([BODY_B], 14)
    assert (len(first) - 12) % 14 == 0  # its last line fills the column
    usual = 28  # fourteen Chinese characters
    lines_of_first = (len(first) - 12) // 14 + 1
    assert column_paragraphs([left[:4], left[4:], right], usual) == [
        (0, first), (0, "".join(left[lines_of_first:4])), (1, "".join(left[4:])), (2, BODY_B)]
    assert "".join(left[lines_of_first:]) == BODY_A
    assert column_paragraphs([left], usual) == [(0, first), (0, BODY_A)]
    joined = f"{left[1]} 2024年{right[1]}"
    assert _two_lines(joined, usual) == [left[1], f"2024年{right[1]}"]
    assert _two_lines(left[1], usual) == [left[1]]


def test_passage_written_twice_fills_in_what_the_first_writing_lost():
    """A tool that writes a passage twice (pymupdf4llm): the second writing, given in full
    in the first, is dropped; one that holds lines the first lost where its column broke
    off puts them in where the first departs from it; a later paragraph that only opens
    with a phrase of an earlier one, or with a whole deck's words, is kept as it is."""
    lost = "该省今年以来新开工项目数量同比增长两成，"
    first = Line(1, BODY_A + "据介绍，" + BODY_B.removeprefix("据介绍，该省今年以来新开工项目数量同比增长两成，"))
    again = Line(2, BODY_A + "据介绍，" + lost)
    repeat = Line(3, BODY_A[:30])
    phrase = Line(4, BODY_A[:20] + "会议还研究了其他事项，部署了下一阶段的重点工作任务。")
    deck = Line(5, "做优增量，既能创造当下的市场需求，也是在为未来发展蓄积后劲")  # over the columns
    body = Line(6, deck.text + "。会议还研究了其他事项。")  # a paragraph opening with its words
    d = Dump(text="", lines=[])
    kept = _without_repeats(d, [first, again, repeat, phrase, deck, body])
    assert [ln.number for ln in kept] == [1, 4, 5, 6]
    assert deck.text == "做优增量，既能创造当下的市场需求，也是在为未来发展蓄积后劲"
    assert kept[0].text == BODY_A + BODY_B
    assert [i.code for i in d.issues] == ["passage-repeated", "passage-repeated"]


def test_one_columns_lines_joined_with_spaces_are_one_paragraph():
    """A block set in one column whose lines a tool joined with spaces (a deck, a caption):
    its pieces but the last are one width (a justified column), so the spaces are line ends
    and go; a byline's names, short and of different widths, keep theirs."""
    deck = "会议指出，要加快推进重点产业链建设，提升产业整体竞争力，推动经济持续回升向好。"
    wrapped = " ".join(_lines(deck, 16))
    assert wrapped.count(" ") == 2
    byline = "新华社记者 孙少龙 丁小溪 王子铭"
    dump = f"2025年4月8日 星期二\n\n03\n\n# 某省加快打造先进制造业集群\n\n{byline}\n\n{wrapped}\n\n{BODY_A}\n"
    texts = [ln.text for ln in normalise(dump).lines]
    assert deck in texts and byline in texts and wrapped not in texts, texts


def test_jump_line_and_closing_credits_run_on_after_the_last_sentence():
    """A jump line set on the paragraph's last line (……增加。（下转第三版）) says where the story
    goes on, and is no text of it; so are the reporters' names in brackets after a story's
    last sentence, where the next headline is marked or the page ends."""
    page = convert(f"2025年4月8日 星期二\n\n02\n\n## 某地春耕忙\n\n本报记者 李四\n\n　　{BODY_A}\n\n"
                   f"　　{BODY_B}（下转第三版）\n\n## 某地新项目投产\n\n"
                   f"　　{BODY_A}\n\n　　{BODY_B}（本报记者 赵六）\n\n## 某地新建公园\n\n"
                   f"　　{BODY_B}（本报记者 钱七）\n", "raw/rmrb/2025-04-08/02.txt")
    first, second, third = page.articles
    assert first.continued_on == 3 and [p.text for p in first.paragraphs] == [BODY_A, BODY_B]
    assert [p.text for p in second.paragraphs] == [BODY_A, BODY_B]
    assert second.authors == ["赵六"] and second.author_role == "本报记者"
    assert [p.text for p in third.paragraphs] == [BODY_B] and third.authors == ["钱七"]
    assert not [i for i in page.issues if i.code == "body-ends-mid-sentence"]


def test_byline_after_an_ornament():
    """Some papers set a mark before the byline (□本报记者 张三, ◎ 本报评论员): a byline."""
    for line in ("□本报记者 张三", "◎ 本报记者 张三"):
        page = convert(f"2025年4月8日 星期二\n\n02\n\n## 某地春耕忙\n\n{line}\n\n　　{BODY_A}\n",
                       "raw/rmrb/2025-04-08/02.txt")
        [art] = page.articles
        assert art.authors == ["张三"] and art.author_role == "本报记者", line
        assert [p.text for p in art.paragraphs] == [BODY_A]


def _hard_wrapped(paragraphs: list[str], n: int) -> str:
    """Paragraphs as pdftotext writes a column ``n`` characters wide: one line a line, the
    indent dropped (a paragraph's first line two characters short), no blank lines."""
    out: list[str] = []
    for p in paragraphs:
        out += [p[:n - 2], *_lines(p[n - 2:], n)]
    return "\n".join(out)


def test_a_headline_as_wide_as_its_column_over_a_dateline_is_not_the_paragraph_above():
    """Hard-wrapped text (no heading marks): a title that happens to fill the column's width,
    right over a dateline (本报讯), is the next story's title — a dateline opens a story, so the
    title is never the rest of the line above, nor of a paragraph the column left open (its
    rest written elsewhere)."""
    title = "咖啡香里面对面解难题"  # ten characters, the column's width
    first = BODY_A[:-1]  # left open: its last sentence's end is in a column written elsewhere
    page = convert(f"2025年4月8日 星期二\n\n02\n\n某地加快打造先进制造业集群\n本报记者 张三\n"
                   f"{_hard_wrapped([first], 10)}\n{title}\n{_hard_wrapped(['本报讯（记者 李四）' + BODY_B], 10)}\n",
                   "raw/rmrb/2025-04-08/02.txt")
    assert [a.title for a in page.articles] == ["某地加快打造先进制造业集群", title]
    assert page.articles[1].dateline == "本报讯" and page.articles[1].authors == ["李四"]
    assert page.articles[1].paragraphs[0].text == BODY_B


def test_a_headline_over_its_byline_is_not_the_paragraph_above():
    """Hard-wrapped text (no heading marks): a title written right over a reporter's byline
    (本报记者 李四) is the next story's headline even after a paragraph the column left open
    (its rest in a column written elsewhere): a byline, as a dateline, opens a story."""
    title = "咖啡香里面对面解难题"
    first = BODY_A[:-1]  # left open: its last sentence's end is in a column written elsewhere
    page = convert(f"2025年4月8日 星期二\n\n02\n\n某地加快打造先进制造业集群\n本报记者 张三\n"
                   f"{_hard_wrapped([first], 10)}\n{title}\n本报记者 李四\n{_hard_wrapped([BODY_B], 10)}\n",
                   "raw/rmrb/2025-04-08/02.txt")
    assert [(a.title, a.authors) for a in page.articles] == [
        ("某地加快打造先进制造业集群", ["张三"]), (title, ["李四"])]
    assert page.articles[1].paragraphs[0].text == BODY_B


def test_a_title_over_a_whole_caption_is_no_line_of_the_caption():
    """A photo's caption written whole on its line, its sentence and then its credit
    (市民在公园里健身休闲。 本报记者 王五摄), under a headline: the title over it is the
    headline's, not the caption's first line (only a credit standing alone, with no sentence
    of its own, closes the caption written on the lines above it)."""
    page = convert("2025年4月8日 星期二\n\n02\n\n某地创新载体倾听人才诉求服务人才发展\n\n咖啡香里面对面解难题\n\n"
                   f"市民在公园里健身休闲。 本报记者 王五摄\n\n{_hard_wrapped(['本报讯（记者 李四）' + BODY_B], 10)}\n",
                   "raw/rmrb/2025-04-08/02.txt")
    [art] = page.articles
    assert (art.kicker, art.title) == ("某地创新载体倾听人才诉求服务人才发展", "咖啡香里面对面解难题")
    assert art.caption == "市民在公园里健身休闲。 本报记者 王五摄"


def test_a_kicker_and_a_title_each_wrapped_onto_a_last_character_are_one_headline():
    """pdftotext writes a kicker and a title each cut a character before its end, the last
    character on the next line of its block (…服务人才发 / 展, …面对面解难 / 题): the
    character closes its deck, which takes no place of its own among a headline's decks —
    the title under the kicker is still the same headline's."""
    page = convert("2025年4月8日 星期二\n\n02\n\n某地创新载体倾听人才诉求服务人才发\n展\n\n咖啡香里面对面解难\n题\n"
                   f"{_hard_wrapped(['本报讯（记者 李四）' + BODY_B], 10)}\n", "raw/rmrb/2025-04-08/02.txt")
    [art] = page.articles
    assert (art.kicker, art.title) == ("某地创新载体倾听人才诉求服务人才发展", "咖啡香里面对面解难题")
    assert (art.dateline, art.authors) == ("本报讯", ["李四"])


def test_a_headline_wrapped_in_a_narrow_column_and_a_credit_under_its_caption():
    """A title set in a narrow column wraps onto lines the tool writes as one block (甘肃加强
    祁连 / 山等重点生态 / 功能区保护): one title.  A photographer's credit on a line of its
    own under the caption (本报记者 王五摄) is the caption's, not the story's byline; a
    dateline the column broke before its reporters' bracket is one lead with it."""
    text = (f"2025年4月8日 星期二\n\n02\n\n某地加快打造先进制造业集群\n本报记者 张三\n{_hard_wrapped([BODY_B], 12)}\n\n"
            "甘肃加强祁连\n山等重点生态\n功能区保护\n\n"
            "工人在生产线上忙碌。\n本报记者 王五摄\n\n本报兰州4月7日电\n"
            f"{_hard_wrapped(['（记者 李四）' + BODY_A], 12)}\n")
    _, art = convert(text, "raw/rmrb/2025-04-08/02.txt").articles
    assert (art.kicker, art.title) == ("", "甘肃加强祁连山等重点生态功能区保护")
    assert art.caption == "工人在生产线上忙碌。 本报记者 王五摄"
    assert (art.dateline, art.authors) == ("本报兰州4月7日电", ["李四"])
    assert [p.text for p in art.paragraphs] == [BODY_A]


def test_a_deck_ending_on_the_next_line_of_its_block_and_a_title_that_asks():
    """The tool writes a deck's last character, or its column label, on the next line of the
    same block (绍兴“俊鸟”腾飞正当 / 时; 从监管优化看数字消费 / （人民时评）): one title.  A
    title that asks (…去哪儿了？) over its column label is a title, not a sentence.  A kicker
    over its title in the same block stays a kicker (two phrases, no word across)."""
    body = _hard_wrapped([BODY_A], 16)
    for lines, title in ((["绍兴“俊鸟”腾飞正当", "时"], "绍兴“俊鸟”腾飞正当时"),
                         (["从监管优化看数字消费", "（人民时评）"], "从监管优化看数字消费（人民时评）"),
                         (["以旧换新后旧的去哪儿了？", "（读者点题·共同关注）"],
                          "以旧换新后旧的去哪儿了？（读者点题·共同关注）")):
        text = "2025年4月8日 星期二\n\n05\n\n" + "\n".join(lines) + f"\n本报记者 张三\n{body}\n"
        [art] = convert(text, "raw/rmrb/2025-04-08/05.txt").articles
        assert (art.kicker, art.title, art.authors) == ("", title, ["张三"]), text
    body = _hard_wrapped([BODY_A], 24)  # (a column wider than the kicker: not a line cut at its width)
    text = ("2025年4月8日 星期二\n\n05\n\n青田着力推进科技创新首位战略\n让山区县孕育出更多科创果实\n"
            f"本报记者 张三\n{body}\n")
    [art] = convert(text, "raw/rmrb/2025-04-08/05.txt").articles
    assert (art.kicker, art.title) == ("青田着力推进科技创新首位战略", "让山区县孕育出更多科创果实")


def test_a_heading_set_in_a_narrow_column_written_with_spaces_is_one_title():
    """pymupdf4llm writes a heading that wrapped in a narrow column on one line, a space at
    each line end (``# **广东今年将 开展义务植 树活动2万场 次**``): three pieces or more as
    long as each other but the last are one title; two phrases set apart by a space stay as
    they are (a title of two phrases)."""
    for heading, title in (("广东今年将 开展义务植 树活动2万场 次", "广东今年将开展义务植树活动2万场次"),
                           ("某省全力 提升粮食大 面积单产 （坚定信 心，打开改 革发展新天 地）",
                            "某省全力提升粮食大面积单产（坚定信心，打开改革发展新天地）")):
        page = convert(f"2025年4月8日 星期二\n\n09\n\n# **{heading}** \n\n本报记者 张三 \n\n{BODY_A}\n",
                       "raw/rmrb/2025-04-08/09.txt")
        [art] = page.articles
        assert (art.kicker, art.title, art.subtitle) == ("", title, ""), heading
    for two in ("扎实推进改革开放 打造引领新时代对外开放重要门户", "压实责任 明确任务 狠抓落实见成效",
                "稳就业 保民生 促发展"):
        assert [ln.text for ln in normalise(f"# **{two}**\n").lines] in ([f"**{two}**"], [two])


def test_a_folio_written_as_the_page_shows_it_is_the_folio():
    """A tool that keeps the page's white space (pdftotext -layout) writes the folio's items
    far apart on one line: the page number, the page's name and the date are the folio, not
    a headline, whichever order the page sets them in."""
    for folio in ("06" + " " * 30 + "经济" + " " * 30 + "2025年4月8日 星期二",
                  "2025年4月8日 星期二" + " " * 25 + "经济" + " " * 25 + "06"):
        page = convert(f"{folio}\n\n\n某地加快打造先进制造业集群\n\n本报记者 张三\n\n　　{BODY_A}\n",
                       "raw/rmrb/2025-04-08/06.txt")
        [art] = page.articles
        assert (art.title, art.authors) == ("某地加快打造先进制造业集群", ["张三"]), folio
        assert (page.facts.page, page.facts.section) == (6, "经济"), folio


def test_a_dateline_written_apart_from_its_reporters_bracket_goes_on_in_it():
    """pdftotext writes a dateline set in bold on a line of its own (本报兰州4月7日电), in one
    piece with the headline over it, apart from its reporters' bracket, which opens the next
    piece ((记者 李四）…) among the lines of the columns written in turns (here a story in
    one column beside one in two).  The dateline's column goes on in the bracket (the two
    stand on one row), so the lead keeps its reporters."""
    more = "会议要求，各地要坚持问题导向，聚焦企业关切，持续优化营商环境，推动各项政策落地见效。"
    left = _hard_wrapped([BODY_A, more, BODY_B, more], 12).split("\n")
    right = _hard_wrapped(["（记者 李四）" + BODY_B, more, BODY_A], 12).split("\n")
    half = -(-len(right) // 2)
    pieces = [left[0], left[1], "甘肃加强生态功能区保护\n本报兰州4月7日电"]
    pieces += [col[r] for r in range(max(len(left) - 2, half)) for col in (left[2:], right[:half], right[half:])
               if r < len(col)]
    text = "2025年4月8日 星期二\n\n02\n\n某地加快打造先进制造业集群\n本报记者 张三\n\n" + "\n\n".join(pieces) + "\n"
    page = convert(text, "raw/rmrb/2025-04-08/02.txt")
    assert {"columns-alternating", "columns-unwoven"} <= {i.code for i in page.issues}
    art = next(a for a in page.articles if a.dateline)
    assert (art.dateline, art.authors) == ("本报兰州4月7日电", ["李四"])


def test_two_headlines_side_by_side_written_one_after_the_other():
    """Two stories' headlines set side by side, each a title closed by its column label: the
    tool writes the second right after the first, before the byline under the first.  A label
    closes its title, so the second opens a headline of its own (no subtitle of the first);
    the byline and the text under it are the headline's whose words the text shares, and the
    other headline goes to the next story opener (its byline after a paragraph).  With a
    byline for each written under both, the bylines are theirs in turn."""
    head = "2025年4月8日 星期二\n\n05\n\n加快打造先进制造业集群（经济观察）\n\n让就业更稳更充分（人民时评）\n\n"
    page = convert(f"{head}本报记者 刘成友\n\n　　{BODY_A}\n\n本报记者 郝迎灿\n\n　　{BODY_B}\n",
                   "raw/rmrb/2025-04-08/05.txt")
    assert [(a.kicker, a.title, a.authors) for a in page.articles] == [
        ("", "加快打造先进制造业集群（经济观察）", ["刘成友"]), ("", "让就业更稳更充分（人民时评）", ["郝迎灿"])]
    assert [p.text for p in page.articles[0].paragraphs] == [BODY_A]
    assert [p.text for p in page.articles[1].paragraphs] == [BODY_B]
    page = convert(f"{head}本报记者 刘成友\n\n本报记者 郝迎灿\n\n　　{BODY_A}\n\n　　{BODY_B}\n",
                   "raw/rmrb/2025-04-08/05.txt")
    assert [(a.kicker, a.title, a.authors) for a in page.articles] == [
        ("", "加快打造先进制造业集群（经济观察）", ["刘成友"]), ("", "让就业更稳更充分（人民时评）", ["郝迎灿"])]


@pytest.mark.parametrize(("title", "width"), [
    ("推动就业服务持续提质增效（子夜走笔）", 18),
    # a title that asks, its label of two parts: the label closes it after a question mark too
    ("老旧小区加装电梯难在哪里？（读者点题·共同关注）", 24),
])
def test_a_name_under_a_title_closed_by_its_column_label_is_its_byline(title: str, width: int):
    """A dump cut at the column width (pdftotext, no indents): a title as wide as the column,
    closed by its column label, over the columnist's name on the next line of its block.  The
    label ends the headline: the name is not the rest of its line but the byline under it."""
    body = "".join([BODY_A, BODY_B])
    lines = [body[k:k + width] for k in range(0, len(body), width)]
    page = convert("\n".join(["2025年4月8日 星期二", "", "05", "", title, "王小明", *lines]) + "\n",
                   "raw/rmrb/2025-04-08/05.txt")
    [art] = page.articles
    assert (art.title, art.authors) == (title, ["王小明"])


def test_a_title_closed_by_its_label_over_its_byline_opens_a_headline_after_another():
    """Three title-shaped lines written one after the other (two stories' headlines side by
    side: one story's title, the other's kicker), then a title closed by its column label
    with its byline under it: that title opens a headline of its own with its byline, never
    the rest of a paragraph left open by the line above it."""
    title = "让就业更稳更充分（人民时评）"
    page = convert(f"2025年4月8日 星期二\n\n05\n\n加快打造先进制造业集群\n\n稳住就业基本盘\n\n织密社会保障网\n\n"
                   f"{title}\n\n本报记者 郝迎灿\n\n　　{BODY_B}\n", "raw/rmrb/2025-04-08/05.txt")
    story = next((a for a in page.articles if a.title == title), None)
    assert story is not None, [(a.kicker, a.title) for a in page.articles]
    assert story.authors == ["郝迎灿"] and [p.text for p in story.paragraphs] == [BODY_B]


BOX_TEXT = ("乡村振兴的底气，来自一年年扎实的投入。走进村里，道路硬化了，产业兴旺了，"
            "村民的腰包鼓起来了，乡村振兴的底气也就更足了。")


def test_a_title_wrapped_in_one_block_of_one_type_is_one_title():
    """pdftotext in its reading order (a form feed ends the page, blank lines part its
    blocks) builds a block only of lines in one type size: a title set large enough to wrap
    onto two lines of one block (打好城乡融合发展的 / “组合拳”, no word across the cut) is
    one title, never a kicker (set smaller, in a block of its own) over a title."""
    text = (f"2025年4月8日 星期二\n\n02\n\n打好城乡融合发展的\n“组合拳”\n本报记者 张三\n\n"
            f"{_hard_wrapped([BODY_A, BODY_B], 12)}\n\f")
    [art] = convert(text, "raw/rmrb/2025-04-08/02.txt").articles
    assert (art.kicker, art.title) == ("", "打好城乡融合发展的“组合拳”")
    assert art.authors == ["张三"]
    # The same two lines a tool wrote without pdftotext's blocks (no form feed): kicker and title.
    [art] = convert(text.replace("\f", ""), "raw/rmrb/2025-04-08/02.txt").articles
    assert (art.kicker, art.title) == ("打好城乡融合发展的", "“组合拳”")


def test_a_signed_title_under_a_wrapped_title_is_another_storys_headline():
    """pdftotext writes a lead story's title (wrapped onto two lines of one block, in one
    type), the masthead's lettering set beside it, then a boxed commentary's title closed by
    its column label with its writer's name under it, the box's text, and only then the lead
    story's byline and text: the labelled title with its byline is a headline of its own
    (a title set large has no deck under it but a subtitle), a letter alone after Chinese
    text is no word of its sentence, and the byline after the box's paragraph opens the
    story whose headline has none — the lead's, read first, as its headline stands first."""
    text = (f"2025年4月8日 星期二\n\n01\n\n打好城乡融合发展的\n“组合拳”\n\nR\n\nB\n\n"
            f"乡村振兴，底气从何而来（短评）\n王五\n\n{BOX_TEXT}\n\n本报记者 张三 李四\n\n"
            f"{_hard_wrapped([BODY_A, BODY_B], 12)}\n\f")
    page = convert(text, "raw/rmrb/2025-04-08/01.txt")
    assert [(a.title, a.authors) for a in page.articles] == [
        ("打好城乡融合发展的“组合拳”", ["张三", "李四"]), ("乡村振兴，底气从何而来（短评）", ["王五"])]
    lead, box = page.articles
    assert [p.text for p in lead.paragraphs] == [BODY_A, BODY_B]
    assert [p.text for p in box.paragraphs] == [BOX_TEXT]


def test_the_first_titles_subtitle_written_among_the_second_storys_lines_is_its_own():
    """Two headlines side by side, the lead's on the left with its subtitle (——…) under it, a
    boxed commentary's on the right: pdftotext writes the lines as they come down the page,
    so the commentary's byline and first line, set higher, come before the lead's subtitle.
    The subtitle is the lead's (a deck's shape, a story's text never opens with a dash while
    its sentence runs on around it), not a line of the commentary."""
    subtitle = "——某地推进城乡融合发展纪实"
    text = (f"2025年4月8日 星期二\n\n01\n\n打好城乡融合发展的\n“组合拳”\n\n"
            f"乡村振兴，底气从何而来（短评）\n王五\n\n{BOX_TEXT[:20]}\n\n{subtitle}\n\n{BOX_TEXT[20:]}\n\n"
            f"本报记者 张三 李四\n\n{_hard_wrapped([BODY_A, BODY_B], 12)}\n\f")
    lead, box = convert(text, "raw/rmrb/2025-04-08/01.txt").articles
    assert (lead.title, lead.subtitle, lead.authors) == ("打好城乡融合发展的“组合拳”", subtitle, ["张三", "李四"])
    assert (box.title, box.subtitle, box.authors) == ("乡村振兴，底气从何而来（短评）", "", ["王五"])
    assert subtitle not in "".join(p.text for p in box.paragraphs)


def test_a_paragraph_ends_where_its_line_ends_a_sentence_short_of_the_column_or_the_next_is_indented():
    """Hard-wrapped text whose tool dropped the indent (pdftotext): a justified line inside a
    paragraph fills its column, so a line that ends a sentence a character short of it ends
    its paragraph; one that fills it ends its paragraph when the next line is short by the
    indent and runs on.  A paragraph's first line, short by its indent, ends no paragraph for
    that alone, even where it ends a sentence."""
    paragraphs = [
        ["近日，某市召开了春耕生产", "工作会议，部署农资供应和农机", "检修等工作，确保不误农时。"],
        ["春播期间天气总体较有利。", "气象部门提示各地做好防范低温", "天气的准备。"],
        ["会议指出，今年要稳定粮食", "播种面积，推广良种良法，提升", "单产水平，努力夺取全年丰收。"],
        ["据介绍，全市已储备化肥十", "万余吨，检修农机具三千余台，", "农技人员已下田开展指导服务。"],
    ]
    assert all(len(p[0]) == 12 and len(p[1]) == 14 for p in paragraphs)
    dump = "\n".join(line for p in paragraphs for line in p) + "\n"
    assert [ln.text for ln in normalise(dump).lines] == ["".join(p) for p in paragraphs]


def test_a_short_phrase_between_paragraphs_of_hard_wrapped_text_is_a_subhead():
    """Hard-wrapped text without indents or marks (pdftotext): a phrase on a line of its own,
    short of its column even with an indent added, after a sentence's end and over a
    paragraph's first line, is no paragraph's line (a wrapped line fills its column) but a
    subhead; so is a line of two phrases apart by a space, however wide."""
    first = ["近日，某市召开了春耕生产", "工作会议，部署农资供应和农机", "检修等工作，确保不误农时。"]
    second = ["会议指出，今年要稳定粮食", "播种面积，推广良种良法，提升", "单产水平，努力夺取全年丰收。"]
    third = ["据介绍，全市已储备化肥十", "万余吨，检修农机具三千余台，", "农技人员已下田开展指导服务。"]
    body = "\n".join([*first, "强化科技支撑", *second, "稳住面积 提升单产", *third])
    page = convert(f"2025年4月8日 星期二\n\n02\n\n某市全力抓好春耕生产\n本报记者 张三\n{body}\n",
                   "raw/rmrb/2025-04-08/02.txt")
    [art] = page.articles
    assert [(p.subhead, p.text) for p in art.paragraphs] == [
        (False, "".join(first)), (True, "强化科技支撑"), (False, "".join(second)),
        (True, "稳住面积 提升单产"), (False, "".join(third))]


def test_a_dateline_bracket_cut_by_its_column_beside_another_column_keeps_its_reporters():
    """A tool that writes two columns' lines on one line, a space between them, or in turns:
    a dateline's reporters' bracket cut at its column's line end (（记 | 者 李四）, （记者 李 |
    四）) has its start followed by the other column's text and its rest at the head of a
    line below.  The bracket is made whole before the lines are read, so the lead keeps its
    dateline and its reporters and the bracket leaves the text."""
    more = "会议要求，各地要坚持问题导向，聚焦企业关切，持续优化营商环境，推动各项政策落地见效。"
    lead = "本报兰州4月7日电 （记者 李四）" + BODY_A + more
    for cut in (lead.index("者"), lead.index("四")):  # （记 | 者 李四）  and  （记者 李 | 四）
        left = [lead[:cut]] + [lead[k:k + 14] for k in range(cut, len(lead), 14)]
        right = [(BODY_B + more + BODY_A)[k:k + 14] for k in range(0, len(BODY_B + more + BODY_A), 14)]
        rows = [f"{a} {b}".strip() for a, b in zip(left, right + [""] * len(left), strict=False)]
        text = "2025年4月8日 星期二\n\n02\n\n甘肃加强生态功能区保护\n" + "\n".join(rows) + "\n"
        page = convert(text, "raw/rmrb/2025-04-08/02.txt")
        assert "columns-interleaved" in {i.code for i in page.issues}
        art = next(a for a in page.articles if a.dateline)
        assert (art.dateline, art.authors) == ("本报兰州4月7日电", ["李四"])
        assert "（记" not in "".join(p.text for p in art.paragraphs)


def test_a_correspondents_line_under_the_reporters_line_is_the_same_byline():
    """A byline set on two lines, the reporters' and under it the correspondents'
    (本报记者 张三 / 本报通讯员 李四): the second line is the byline's rest, never a byline
    that opens a story of its own."""
    for gap in ("\n", "\n\n"):
        byline = f"本报记者 刘成友{gap}本报通讯员 郝迎灿{gap}"
        page = convert(f"2025年4月8日 星期二\n\n05\n\n加快打造先进制造业集群\n{byline}"
                       f"　　{BODY_A}\n\n　　{BODY_B}\n", "raw/rmrb/2025-04-08/05.txt")
        [art] = page.articles
        assert (art.title, art.authors, art.correspondents) == ("加快打造先进制造业集群", ["刘成友"], ["郝迎灿"])
        assert [p.text for p in art.paragraphs] == [BODY_A, BODY_B]


def test_a_caption_written_whole_is_never_the_rest_of_the_line_above():
    """A dump cut at the column width whose columns' lines the tool wrote around a photo: a
    column's line cut mid-sentence, then a caption written whole on its line, its sentence
    and then its credit.  The caption opens with its own sentence: it does not go on the
    line above, and the story's caption is the caption alone.  (Its last word or two before
    the credit, 览。 本报记者 王五摄, would be the rest of a wrapped caption.)"""
    body = "".join([BODY_A, BODY_B])
    lines = [body[k:k + 18] for k in range(0, len(body), 18)]
    caption = "市民在公园里健身休闲。 本报记者 王五摄"
    page = convert("\n".join(["2025年4月8日 星期二", "", "05", "", "加快打造先进制造业集群", "本报记者 刘成友",
                              *lines[:3], caption, *lines[3:]]) + "\n", "raw/rmrb/2025-04-08/05.txt")
    [art] = page.articles
    assert art.caption == caption


def test_a_photo_credit_cut_inside_its_role_is_made_whole():
    """A caption's credit cut by the caption's line end inside its role (本 | 报记者 王五摄):
    the tool writes the credit's rest on a line of its own and its start as a word of its
    own near it — alone on a line, or after the caption's sentence at its line's end, with a
    column's line between; or the whole role alone on a line over the names (本报记者 /
    王五摄).  The caption keeps its whole credit, no stray 本 is left, and the photographer
    is no author of the story."""
    body = "".join([BODY_A, BODY_B])
    lines = [body[k:k + 18] for k in range(0, len(body), 18)]
    head = ["2025年4月8日 星期二", "", "05", "", "加快打造先进制造业集群", "本报记者 刘成友", *lines[:3]]
    alone = ["", "工人在生产线上忙碌。", "报记者 王五摄", "", "本", ""]  # the start alone, under the rest
    at_end = ["工人在生产线上忙碌。 本", lines[3], "报记者 王五摄"]  # the start at the caption's end
    whole_role = ["", "工人在生产线上忙碌。", "", "本报记者", "", "王五摄", ""]  # the role alone, the names under it
    for photo in (alone, at_end, whole_role):
        rest = lines[4:] if photo is at_end else lines[3:]
        page = convert("\n".join([*head, *photo, *rest]) + "\n", "raw/rmrb/2025-04-08/05.txt")
        [art] = page.articles
        assert art.caption == "工人在生产线上忙碌。 本报记者 王五摄"
        assert not [i for i in page.issues if i.code == "orphan-fragment-dropped"]
        assert art.authors == ["刘成友"]


def test_a_dateline_bracket_cut_beside_a_few_lines_of_another_column_keeps_its_reporters():
    """A page cut at the column width where the tool wrote another column's line beside the
    lead's first line only (too few such lines for the page to count as interleaved): the
    bracket is still made whole.  Where the lead's line ends in the open bracket and the
    next line closes it, the lead reads on as one paragraph, its lines' widths intact."""
    body = BODY_A + BODY_B
    lead = "本报兰州4月7日电 （记者 李四）" + body
    cut = lead.index("李")
    rows = [lead[:cut] + " 会议要求，各地要坚持问题导向，"] + [lead[k:k + 18] for k in range(cut, len(lead), 18)]
    for first in (rows, [lead[:cut], *rows[1:]]):
        text = "2025年4月8日 星期二\n\n02\n\n甘肃加强生态功能区保护\n" + "\n".join(first) + "\n"
        page = convert(text, "raw/rmrb/2025-04-08/02.txt")
        art = next(a for a in page.articles if a.dateline)
        assert (art.dateline, art.authors) == ("本报兰州4月7日电", ["李四"])
        assert "".join(p.text for p in art.paragraphs).endswith(body)


def test_a_dateline_bracket_whose_rest_the_tool_wrote_rows_later_keeps_its_reporters():
    """Columns written in turns: between the lead's first line (its bracket left open, the
    next column's text beside it) and the line closing the bracket, the tool wrote three
    lines of the neighbouring columns.  The bracket is made whole all the same."""
    others = [(BODY_B + BODY_A)[k:k + 16] for k in range(0, 48, 16)]
    lead = "本报兰州4月7日电 （记者 李四）" + BODY_A
    cut = lead.index("李")
    text = "\n\n".join(["2025年4月8日 星期二", "02", "甘肃加强生态功能区保护", lead[:cut] + " 据介绍，该省今年以来",
                        *others, lead[cut:]]) + "\n"
    page = convert(text, "raw/rmrb/2025-04-08/02.txt")
    art = next(a for a in page.articles if a.dateline)
    assert (art.dateline, art.authors) == ("本报兰州4月7日电", ["李四"])


def test_a_column_label_wrapped_under_its_title_over_a_byline_is_no_closing_credit():
    """A title whose column label the tool wrote on the next line (朗读中聆听文字的回响 /
    （金台随笔）), the columnist's byline under it, after another story's paragraph that a
    column left open.  Brackets right over a byline are no credits closing a story (a byline
    opens one): the label closes the title, and a labelled title over a reporter's byline
    opens a headline even after a paragraph left open, the byline written right under it or
    a blank line apart."""
    left_open = BODY_A[:30]
    for gap in ("\n", "\n\n"):
        text = (f"2025年4月8日 星期二\n\n05\n\n加快打造先进制造业集群\n\n本报记者 刘成友\n\n{BODY_B}\n\n{left_open}\n\n"
                f"推动就业服务持续提质增效\n（高山札记）{gap}本报记者 王小明\n\n{BODY_A}\n\n{BODY_B}\n")
        page = convert(text, "raw/rmrb/2025-04-08/05.txt")
        story = next((a for a in page.articles if a.authors == ["王小明"]), None)
        assert story is not None, [(a.title, a.authors) for a in page.articles]
        assert story.title == "推动就业服务持续提质增效（高山札记）"
        assert all("高山札记" not in a.authors for a in page.articles)


def test_a_dateline_whose_bracket_the_column_cut_off_before_it_keeps_its_reporters():
    """The column cut between a dateline and its reporters' bracket, on a page whose columns'
    lines the tool wrote side by side: the dateline's line goes on with another column's
    text after a space, and the bracket, closed, opens a line below with the lead's text
    after it (（记者 李四）近日，…).  The bracket is the dateline's: the lead keeps its
    reporters, and the bracket leaves the text."""
    other = "会议要求，各地要坚持问题导向，"
    for gap in ("\n", "\n据介绍，该省今年以来\n", "\n\n"):
        text = (f"2025年4月8日 星期二\n\n02\n\n甘肃加强生态功能区保护\n本报兰州4月7日电 {other}{gap}"
                f"（记者 李四）{BODY_A}\n\n{BODY_B}\n")
        page = convert(text, "raw/rmrb/2025-04-08/02.txt")
        art = next(a for a in page.articles if a.dateline)
        assert (art.dateline, art.authors) == ("本报兰州4月7日电", ["李四"]), gap
        assert "（记者" not in "".join(p.text for p in art.paragraphs)


def test_a_phrase_written_in_one_block_with_the_paragraph_above_is_no_briefs_headline():
    """pdftotext in its reading order (type-blocks) writes a phrase set in the text's type (a
    bold subhead) in one block with the paragraph above it, a headline in its own: such a
    phrase over a paragraph that opens as a lead does (近日，…) is no unsigned brief's
    headline, and the story goes on under it."""
    text = ("2025年4月8日 星期二\n\n经济\n\n某地倾听企业诉求服务人才发展\n\n本报讯 （记者 张三）\n"
            "日前，某市在人才服务中心举\n办座谈会，十余名企业代表与\n有关部门面对面交流，就青年\n"
            "人才培育等话题提出意见和建\n议。\n以改革促发展\n\n近日，某市一家半导体企业收\n"
            "到了创业项目补助资金。企业\n负责人介绍，公司落户以来，\n人才专员多次上门服务，帮助\n"
            "企业解决了用工难题。\n\f")
    page = convert(text)
    assert [a.title for a in page.articles] == ["某地倾听企业诉求服务人才发展"], [a.title for a in page.articles]
    assert "某市一家半导体企业" in "".join(p.text for p in page.articles[0].paragraphs)


SOIL_LEAD = "近日，某省发布黑土地保护报告。报告显示，该省黑土地保护成效明显，粮食产能稳步提升。"
SCHOOL_TEXT = "入学准备是孩子成长中的重要一环。业内人士呼吁，幼儿园和小学应当尊重孩子的成长规律。"


def _headlines_side_by_side() -> str:
    """A lead story's kicker, title and byline beside a brief's title set in two lines (a word
    running across the cut: 粮食产 / 能协同提升), written as pdftotext writes them: the
    brief's title, the lead's kicker, the lead's title with its byline, then the brief's
    dateline lead naming its reporter, then the lead's text."""
    return ("2025年4月8日 星期二\n\n07\n\n某省黑土地保护与粮食产\n能协同提升\n\n尊重成长规律，避免拔苗助长\n\n"
            "入学准备，如何科学衔接（倾听）\n本报记者 张三\n\n"
            f"　　本报沈阳4月7日电  （记者 李四）{SOIL_LEAD}\n\n　　{SCHOOL_TEXT}\n")


def test_a_deck_over_a_signed_title_under_another_title_is_that_titles_kicker():
    """A line of its own between one title and a title closed by its column label with its
    byline under it (two stories' headlines side by side): the labelled title's kicker,
    standing over it, never the first title's title under a kicker (nor its subtitle, which
    opens with a dash)."""
    page = convert(_headlines_side_by_side(), "raw/rmrb/2025-04-08/07.txt")
    heads = {(a.kicker, a.title) for a in page.articles}
    assert heads == {("尊重成长规律，避免拔苗助长", "入学准备，如何科学衔接（倾听）"),
                     ("", "某省黑土地保护与粮食产能协同提升")}


def test_a_byline_over_a_lead_that_names_its_reporters_is_the_other_headlines():
    """Two headlines written one after the other, a byline written with the second, then a
    dateline lead naming its own reporters ((记者 李四)) whose words are the first's: the lead
    is the first's story, which has no byline line (its lead names its reporters), and the
    byline stays the second's, whose story is read first (its headline was written over the
    first's text)."""
    page = convert(_headlines_side_by_side(), "raw/rmrb/2025-04-08/07.txt")
    assert [(a.title, a.authors) for a in page.articles] == [
        ("入学准备，如何科学衔接（倾听）", ["张三"]), ("某省黑土地保护与粮食产能协同提升", ["李四"])]
    assert page.articles[1].dateline == "本报沈阳4月7日电"
    assert page.articles[1].paragraphs[0].text == SOIL_LEAD


def test_a_captions_sentence_over_its_credit_line_is_never_the_rest_of_a_title():
    """A dump cut at the column width: a title as wide as the column, then a photo's caption,
    its sentence on one line and its photographer's credit alone on the next, then the story's
    dateline lead.  The caption's sentence opens the caption its credit closes: it is not the
    rest of the title's line, and the title stays the headline's."""
    title = "人才咖啡馆里面对面解难题"
    lead = f"本报讯 （记者 李四）{BODY_A}"
    page = convert("\n".join(["2025年4月8日 星期二", "", "11", "", title, "市民在公园里健身休闲。", "本报记者 王五摄",
                              _hard_wrapped([lead, BODY_B], 12)]) + "\n", "raw/rmrb/2025-04-08/11.txt")
    [art] = page.articles
    assert (art.title, art.caption, art.authors) == (title, "市民在公园里健身休闲。 本报记者 王五摄", ["李四"])


def test_the_folio_line_between_two_headlines_parts_no_headlines_and_a_caption_parts_no_story_from_text():
    """Two headlines side by side, written one after the other with the folio's date line
    (set at the page's top) between them, then one byline and its text: the folio line parts
    no headlines, so the text goes to the headline whose words it shares (with the byline
    over it), and the other headline to the dateline lead further on — even where a
    picture's caption stands between that lead and the paragraph before it."""
    comment = ["数字消费的安心感，来自监管的细致。平台规则要透明，消费者的权益才有保障。",
               "守护数字消费，还要让投诉渠道更畅通，让每一笔消费都有据可查。",
               "网购商品货不对板，直播带货夸大其词，都让数字消费打了折扣。",
               "监管要跟上新业态，分领域制定规则和标准，守住安全底线。",
               "平台要担起主体责任，对商家资质严格把关，及时处置违规行为。",
               "消费者也要增强维权意识，保存好订单和聊天记录。",
               "行业协会可以发布消费提示，引导商家诚信经营。",
               "多方合力，数字消费才能更安心、更放心。"]
    brief = "本报某地4月7日电 （记者 王五）记者从某省林业局获悉：该省建成一批林木良种基地，良种使用率稳步提高。"
    text = (f"经济\n\n07\n\n让数字消费更安心（短评）\n\n2025年4月8日 星期二\n\n某省建成一批林木良种基地\n\n"
            f"本报记者 李四\n\n{_hard_wrapped(comment, 14)}\n\n市民在公园里健身休闲。 本报记者 赵六摄\n\n"
            f"{_hard_wrapped([brief], 14)}\n\f")
    comment_story, brief_story = convert(text, "raw/rmrb/2025-04-08/07.txt").articles
    assert (comment_story.title, comment_story.authors, comment_story.dateline) == (
        "让数字消费更安心（短评）", ["李四"], "")
    assert [p.text for p in comment_story.paragraphs] == comment
    assert (brief_story.title, brief_story.authors, brief_story.dateline) == (
        "某省建成一批林木良种基地", ["王五"], "本报某地4月7日电")


JOBS_TEXT = ("今年以来，各地把稳就业摆在突出位置，就业服务持续提质增效，让劳动者就业更充分、更稳定，"
             "高校毕业生等重点群体就业总体稳定。")
VILLAGE_LEAD = "记者从某省农业农村厅获悉：今年该省建成一批示范村，带动周边村庄改善人居环境，农民收入持续增长。"


def test_two_titles_on_one_line_are_cut_apart_when_a_line_continues_the_first():
    """Two stories side by side whose titles share a baseline: the tool writes both on one
    line a space apart, and the narrow one's wrapped rest on the lines under it.  A line that
    continues the first piece (the second closed by its column label, or a word running
    across the cut) proves two headlines: the line is cut, the first with its rest, the
    second a block of its own.  One deck of two phrases wraps only at its end: kept whole."""
    lines = [ln.text for ln in normalise("某省建成12个 让就业更稳更充分（人民时评）\n乡村振兴示范片\n区\n"
                                         "本报记者 郝迎灿\n").lines]
    assert lines[:4] == ["某省建成12个", "乡村振兴示范片", "区", "让就业更稳更充分（人民时评）"]
    lines = [ln.text for ln in normalise("某省加强黑土地保护与粮食产 让就业更稳更充分\n能协同提升\n").lines]
    assert lines == ["某省加强黑土地保护与粮食产", "能协同提升", "让就业更稳更充分"]
    lines = [ln.text for ln in normalise("传统产业加快升级 新兴产业蓬勃\n发展\n本报记者 郝迎灿\n").lines]
    assert lines[0] == "传统产业加快升级 新兴产业蓬勃"


def test_two_titles_on_one_line_each_head_their_story():
    """The page with two titles on one line (pdftotext: a form feed ends it): each heads its
    own story — the one whose byline is written under the line takes the text under it, the
    other the dateline lead whose words it shares further down."""
    page = convert("2025年4月8日 星期二\n\n05\n\n某省建成12个 让就业更稳更充分（人民时评）\n乡村振兴示范片\n区\n"
                   f"本报记者 郝迎灿\n本报通讯员 王五\n\n{_hard_wrapped([JOBS_TEXT], 12)}\n\n"
                   f"本报沈阳4月7日电 （记者 李四）{VILLAGE_LEAD}\n\f", "raw/rmrb/2025-04-08/05.txt")
    heads = {(a.title, tuple(a.authors)) for a in page.articles}
    assert heads == {("某省建成12个乡村振兴示范片区", ("李四",)), ("让就业更稳更充分（人民时评）", ("郝迎灿",))}


def test_a_correspondents_byline_completes_the_reporters_byline_over_it():
    """Two headlines written one after the other, then bylines: a byline naming correspondents
    alone (本报通讯员 …) completes the reporters' byline over it, so the first headline's
    byline is both lines and the next byline the second's; with no next byline, both lines
    are one story's."""
    head = "2025年4月8日 星期二\n\n05\n\n加快打造先进制造业集群（经济观察）\n\n让就业更稳更充分（人民时评）\n\n"
    page = convert(f"{head}本报记者 刘成友\n\n本报通讯员 王五\n\n本报记者 郝迎灿\n\n　　{BODY_A}\n\n　　{BODY_B}\n",
                   "raw/rmrb/2025-04-08/05.txt")
    assert [(a.title, a.authors, a.correspondents) for a in page.articles] == [
        ("加快打造先进制造业集群（经济观察）", ["刘成友"], ["王五"]), ("让就业更稳更充分（人民时评）", ["郝迎灿"], [])]


def test_two_titles_of_one_size_with_a_smaller_deck_between_head_two_stories():
    """A headline has one title, set in its biggest type.  A tool that writes a page's
    headings by their height (pymupdf4llm, ``#`` by type size) writes two stories' headlines
    side by side one after the other: a ``#`` title, a smaller ``##`` deck, a ``#`` title.
    The second ``#`` is another story's title, the deck between its kicker (no dash: a
    kicker stands over its title); each heads its own story, the dateline lead naming its
    reporter the first's."""
    page = convert("2025年4月8日 星期二\n\n05\n\n# **某省建成12个乡村振兴示范片区**\n\n## 稳就业 促增收\n\n"
                   "# **让就业更稳更充分**\n\n### 本报记者 郝迎灿\n\n"
                   f"本报沈阳4月7日电 （记者 李四）{VILLAGE_LEAD}\n\n{JOBS_TEXT}\n",
                   "raw/rmrb/2025-04-08/05.txt")
    heads = [(a.kicker, a.title) for a in page.articles]
    assert ("", "某省建成12个乡村振兴示范片区") in heads
    assert ("稳就业 促增收", "让就业更稳更充分") in heads


def test_two_titles_on_one_line_in_a_layout_dump_keep_their_wrapped_line():
    """pdftotext -layout: the line of two titles and the narrow one's wrapped line right under
    it may be read apart as the columns are read (a blank line between them where the page has
    none); the tool's very next line is still set right under the title, so the line is cut
    in two and the first title keeps its rest."""
    d = Dump(text="", lines=[Line(number=6, text="某省建成12个 让就业更稳更充分（人民时评）", blank_before=1),
                             Line(number=7, text="乡村振兴示范片", blank_before=1),
                             Line(number=12, text="区", blank_before=0),
                             Line(number=8, text="本报记者 郝迎灿", blank_before=1)])
    assert _has_titles_abreast(d)
    _run_titles_abreast(d)
    assert [ln.text for ln in d.lines] == ["某省建成12个", "乡村振兴示范片", "区", "让就业更稳更充分（人民时评）",
                                           "本报记者 郝迎灿"]


def test_a_title_of_one_size_over_a_labelled_title_with_its_byline_heads_another_story():
    """A tool that marks type sizes (pymupdf4llm, ``#``) writes a title's wrapped lines in one
    heading, so a ``#`` title right over a ``#`` title closed by its column label with its
    byline under it is no line of that title, nor its kicker: two stories' headlines side by
    side, written one after the other, each heading its own story."""
    page = convert("2025年4月8日 星期二\n\n05\n\n# **某省建成12个乡村振兴示范片区**\n\n"
                   "# **让就业更稳更充分（人民时评）**\n\n本报记者 郝迎灿\n\n"
                   f"{JOBS_TEXT}\n\n本报沈阳4月7日电 （记者 李四）{VILLAGE_LEAD}\n",
                   "raw/rmrb/2025-04-08/05.txt")
    heads = [(a.kicker, a.title) for a in page.articles]
    assert ("", "让就业更稳更充分（人民时评）") in heads, heads
    assert not any(k.startswith("某省") for k, _ in heads), heads
