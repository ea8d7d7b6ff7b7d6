"""Lines of neighbouring columns written in turns (``pdftotext`` on open leading), read back
column by column (``converters.unweave``).

The dumps here are built from the principle, not from a tool: the golds' stories set in two
to four columns of 12 to 20 characters (a paragraph's first line two short, its indent
dropped), the columns' lines written row by row, each line a paragraph of its own, under
the headline and byline.  The real tool's dumps of typeset pages are scored in
``tests/converters/test_pdfset_dumps.py`` and ``tests/converters/test_tool_dumps.py``.
"""

from __future__ import annotations

import random

from converters import dialects
from converters import unweave as unweave_module
from converters.dialects import Line
from converters.gold import norm
from converters.link import facts_from_path
from converters.pipeline import convert_text, paper_names
from converters.segment import _fast
from converters.unweave import unweave
from epaper_contract.papers import known_papers, load_paper
from tests.conftest import ROOT
from tests.support.synthpage import story_pool

PAPER = load_paper(ROOT / "raw", "zjrb")
NAMES = paper_names([PAPER, *known_papers(ROOT / "raw").values()])
SOURCE = "raw/zjrb/2024-03-17/03.txt"
CASES = 30
#: Share of the stories' paragraphs that come out whole (in the tool's order: about 2 in 100).
WHOLE = 0.55


def _column_lines(paragraphs: list[str], width: int) -> list[str]:
    out = []
    for p in paragraphs:
        first = True
        while p:
            n = width - 2 if first else width
            out.append(p[:n])
            p, first = p[n:], False
    return out


def _in_turns(story: dict, columns: int, width: int) -> str:
    lines = _column_lines(story["paragraphs"], width)
    per = -(-len(lines) // columns)
    cols = [lines[c * per:(c + 1) * per] for c in range(columns)]
    pieces = [story["title"]] + ([f"本报记者 {' '.join(story['authors'])}"] if story["authors"] else [])
    pieces += [col[r] for r in range(per) for col in cols if r < len(col)]
    return "\n\n".join(pieces) + "\n"


def _cases():
    pool = [s for s in story_pool() if sum(map(len, s["paragraphs"])) > 300 and not s.get("dateline")]
    for seed in range(CASES):
        rng = random.Random(seed)
        yield rng.choice(pool), rng.choice([2, 3, 4]), rng.choice([12, 14, 17, 20])


def test_lines_written_in_turns_are_read_back_by_how_sentences_run_on():
    whole = total = 0
    for story, columns, width in _cases():
        page = convert_text(_in_turns(story, columns, width), SOURCE, paper=PAPER, names=NAMES,
                            path_facts=facts_from_path(SOURCE), with_tags=False)
        codes = {i.code for i in page.issues}
        assert {"columns-alternating", "columns-unwoven"} <= codes, (columns, width, codes)
        texts = [norm("".join(p.text for p in a.paragraphs)) for a in page.articles]
        for p in story["paragraphs"]:
            total += 1
            whole += any(norm(p) in t for t in texts)
    print(f"\n{whole} of {total} paragraphs whole")
    assert whole >= WHOLE * total


def test_every_line_is_kept_once_and_the_reading_is_the_same_each_time():
    freq = _fast().freq
    for story, columns, width in _cases():
        text = _in_turns(story, columns, width)
        first = dialects.split_lines(text).lines
        out, read = unweave(first, freq, dialects._standalone)
        assert sorted(ln.number for ln in out) == [ln.number for ln in first]
        again, _ = unweave(dialects.split_lines(text).lines, freq, dialects._standalone)
        assert [ln.number for ln in again] == [ln.number for ln in out]
        assert read == 0 or read >= 2


def test_a_page_not_written_in_turns_is_left_as_it_is():
    """One column's lines, each a paragraph of its own: read on as written."""
    story = next(iter(_cases()))[0]
    text = "\n\n".join(_column_lines(story["paragraphs"], 16)) + "\n"
    lines = dialects.split_lines(text).lines
    out, read = unweave(lines, _fast().freq, dialects._standalone)
    assert read == 0 and [ln.number for ln in out] == [ln.number for ln in lines]


def _rows(paragraphs: list[str], columns: int, width: int) -> list[str]:
    lines = _column_lines(paragraphs, width)
    per = -(-len(lines) // columns)
    cols = [lines[c * per:(c + 1) * per] for c in range(columns)]
    return [col[r] for r in range(per) for col in cols if r < len(col)]


def _story(title: str) -> dict:
    return next(s for s in story_pool() if s["title"].startswith(title))


def test_a_deck_over_a_headline_across_the_columns_stays_its_kicker():
    """A story's columns written in turns, then the next story's kicker, about as wide as a
    column and ending no sentence, on a line of its own, and its title, wider than a column,
    written with the first line of its columns under it (the tool writes the lines in the
    order they come down the page): the kicker stays over its title (it is no column's line
    cut mid-sentence), the title opens its story's first column and does not go on the
    column written before it, and nothing runs on from the kicker."""
    above, under = _story("咖啡香里"), _story("让山区县")
    kicker, title = "青田着力推进科技创新首位战略", "让山区县孕育出更多科创果实 走出县域创新发展新路径"
    lines = _rows(["本报讯（记者 叶轲）" + under["paragraphs"][0], *under["paragraphs"][1:]], 3, 14)
    text = "\n\n".join([above["title"], f"本报记者 {above['authors'][0]}", *_rows(above["paragraphs"], 2, 14),
                        kicker, f"{title}\n{lines[0]}", *lines[1:]]) + "\n"
    page = convert_text(text, SOURCE, paper=PAPER, names=NAMES, path_facts=facts_from_path(SOURCE),
                        with_tags=False)
    assert "columns-unwoven" in {i.code for i in page.issues}
    story = next((a for a in page.articles if a.title == title), None)
    assert story is not None, [(a.kicker, a.title) for a in page.articles]
    assert story.kicker == kicker and story.authors == ["叶轲"]


def test_a_column_closed_by_a_jump_line_takes_no_later_line():
    """A story's last column ends in its jump line (下转第二版, written in one piece with the
    column's last line): the story goes on on another page, so no line of the story the tool
    writes next is read on in that column."""
    freq = _fast().freq
    read = 0
    for first, then in (("咖啡香里", "让山区县"), ("推动“好就业”", "乐见招才"), ("从监管优化", "朗读中聆听")):
        for width in (12, 14, 17):
            above = _rows(_story(first)["paragraphs"][:3], 2, width)
            below = _story(then)
            text = "\n\n".join([_story(first)["title"], *above[:-1], above[-1] + "\n（下转第二版）", below["title"],
                                *_rows(below["paragraphs"][:3], 3, width)]) + "\n"
            out, columns = unweave(dialects.split_lines(text).lines, freq, dialects._standalone)
            if not columns:
                continue
            read += 1
            jump = next(ln for ln in out if ln.text == "（下转第二版）")
            assert not [ln.text for ln in out if ln.column == jump.column and ln.number > jump.number], width
    assert read >= 6


def test_a_headline_and_the_masthead_written_in_blocks_stay_where_they_stand():
    """pdftotext writes the masthead's items (date, weekday, lunar date, issue) as one block of
    short lines, and a title set large enough to wrap onto two lines of one block (打好城乡
    融合发展的 / “组合拳”): a column's lines fill its width but where a paragraph ends, so
    neither block is a column's, and no column's line is read on after it — the page reads
    masthead, headline, byline, then the story's columns."""
    story = _story("咖啡香里")
    masthead = ["2025年4月8日", "星期二", "农历乙巳年三月十一", "第27640期"]
    title = ["打好城乡融合发展的", "“组合拳”"]
    text = "\n\n".join(["\n".join(masthead), "\n".join(title), "本报记者 张三",
                        *_rows(story["paragraphs"][:4], 3, 14)]) + "\n\f"
    lines = dialects.normalise(text).lines
    texts = [ln.text for ln in lines]
    assert texts[:len(masthead)] == masthead, texts[:8]
    assert "".join(texts[len(masthead):]).startswith("".join(title) + "本报记者 张三"), texts[:8]
    assert lines[len(masthead)].blank_before  # (the title runs on from no masthead line)


def test_a_title_closed_by_its_column_label_is_no_columns_line():
    """A title closed by its column's label (…（短评）), written on a line of its own before
    the lines of columns in turns: a headline, not a column's first line, so no column is
    read on after it (two commentaries side by side: the first's title would take the lines
    of the other's columns)."""
    story = _story("咖啡香里")
    title = "某地做优增量靠创新（短评）"
    text = "\n\n".join(["2024年3月17日 星期日", title, *_rows(story["paragraphs"][:4], 3, 14)]) + "\n\f"
    lines = dialects.normalise(text).lines
    at = next(k for k, ln in enumerate(lines) if ln.text == title)
    assert [ln.text for ln in lines if ln.column == lines[at].column] == [title]


def test_a_story_set_under_another_in_one_of_its_columns_is_read_after_it():
    """A page column that holds the end of one story and, under it, the next story's headline
    written in one piece with its dateline (a headline no wider than its column): the column
    is cut there, and the story under is read after the columns of the story above (which
    started higher on the page), not between them; a dateline after a line left open is no
    such cut (the column was read wrongly there, not stacked)."""
    def piece(*texts: str) -> list[Line]:
        return [Line(number=0, text=t) for t in texts]

    runs = [piece("近日，某市召开春耕生产工作"),      # 0: left column, story above
            piece("会议，部署农资供应和农机检"),      # 1: right column, story above
            piece("修等工作，确保不误农时。"),        # 2: left column, its story ends
            piece("今年全市将稳定粮食播种面积"),      # 3: right column
            piece("某县加快推进高标准农田建设", "本报讯（记者 李四）某县日前"),  # 4: the story under
            piece("提升单产水平。"),                  # 5: right column ends
            piece("召开会议，部署高标准农田建设。")]  # 6: the story under goes on
    opens = dialects._opens_dateline
    assert unweave_module._stacked([[0, 2, 4, 6], [1, 3, 5]], runs, opens) == [[0, 2], [1, 3, 5], [4, 6]]
    runs[2] = piece("修等工作，确保不误农时，")
    assert unweave_module._stacked([[0, 2, 4, 6], [1, 3, 5]], runs, opens) == [[0, 2, 4, 6], [1, 3, 5]]


def test_a_byline_written_after_a_headline_that_opens_its_column_stands_under_it():
    """A commentary whose title is narrower than its columns (so it opens the story's first
    column), the columnist's name under it (陈  明, a padded two-character name) on a line of
    its own, then the columns' lines in turns.  The name stays under the headline: read among
    the columns by where it begins, it would come after the whole column, and the story
    would lose its byline."""
    for title, columns, width in (("从监管优化", 2, 17), ("乐见招才", 3, 18), ("朗读中聆听", 3, 20)):
        story = _story(title)
        text = "\n\n".join(["2025年4月8日 星期二", story["title"], "陈  明",
                            *_rows(story["paragraphs"][:5], columns, width)]) + "\n"
        page = convert_text(text, SOURCE, paper=PAPER, names=NAMES, path_facts=facts_from_path(SOURCE),
                            with_tags=False)
        assert "columns-unwoven" in {i.code for i in page.issues}
        assert [(a.title, a.authors) for a in page.articles] == [(story["title"], ["陈明"])]


def test_a_headline_written_in_one_block_with_its_lead_is_a_columns_start():
    """pdftotext may write a short headline and the lead under it with no blank line between
    (the lead's first line joined with the next column's, wider than a column): such a block
    holds running text, so it is no masthead's block of labels; it is the story's first
    column, and the kicker written over it reads on into it, not into the next story's title
    (a labelled commentary beside it, its lines written in turns with the first's)."""
    story, other = _story("咖啡香里"), _story("朗读中聆听")
    lead = _column_lines(["本报讯（记者 李四）" + story["paragraphs"][0], *story["paragraphs"][1:4]], 20)
    left, right = lead[:len(lead) // 2], lead[len(lead) // 2:]
    beside = _column_lines(other["paragraphs"][:3], 20)
    kicker, title = "某市创新载体倾听人才诉求服务人才", "咖啡香里话发展"
    rows = [x for r in range(1, len(left)) for x in (left[r], right[r], beside[r - 1]) if x]
    text = "\n\n".join(["2025年4月8日 星期二", "经济", kicker, f"{title}\n{left[0]} {right[0]}",
                        "某地做优增量靠创新\n（短评）\n本报记者 王五", *rows]) + "\n\f"
    out = [ln.text for ln in dialects.normalise(text).lines]
    assert out[out.index(kicker) + 1] == title, out[:8]


def test_a_title_closed_by_its_label_over_its_byline_never_goes_on_a_line_cut_mid_sentence():
    """A commentary's title closed by its column's label, its byline and its first line written
    in one piece among the rows of the story beside it: it opens its story's first column, so
    it never goes on a column whose line was cut mid-sentence (the rest of that sentence is
    no title), and no column's line runs on into it."""
    above_story, story = _story("咖啡香里"), _story("朗读中聆听")
    title = "某地做优增量靠创新（短评）"
    freq = _fast().freq
    for width in (12, 14, 17, 20):
        above = _rows(above_story["paragraphs"][:3], 2, width)
        body = _column_lines(story["paragraphs"][:3], width)
        half = len(body) // 2
        rows = [x for r in range(1, half) for x in (body[r], body[half + r]) if x]
        text = "\n\n".join(["2025年4月8日 星期二", *above[:-1], f"{title}\n本报记者 王五\n{body[0]}", above[-1],
                            *rows]) + "\n"
        out, columns = unweave(dialects.split_lines(text).lines, freq, dialects._standalone,
                               dialects._dateline_alone, opens=dialects._opens_dateline,
                               byline=dialects._names_line)
        assert columns, width
        head = next(ln for ln in out if ln.text == title)
        assert head.blank_before, width
        assert [ln.text for ln in out if ln.column == head.column][:2] == [title, "本报记者 王五"], width


def test_a_byline_never_stands_under_a_column_that_opens_with_running_text():
    """A column whose first line is running text (a sentence's line filling the column, cut
    mid-sentence: a lead whose headline stands elsewhere) opens with no headline, so a byline
    the tool wrote right after it is not moved under it; under a title it is."""
    usual = unweave_module.width("近日，某市召开春耕生产工作会")
    lead = "近日，某市召开春耕生产工作会"
    assert unweave_module._running(lead, usual)
    assert not unweave_module._running("某地做优增量靠创新", usual)
    cols = [[0, 2, 4], [1], [3, 5]]  # 0 opens a column, 1 is a byline written right after it
    bylines = [False, True, False, False, False, False]
    for first, moved in ((lead, False), ("某地做优增量靠创新", True)):
        texts = (first, "本报记者 王五", "议，部署农资供应和农机检修", "", "", "")
        titles = [not unweave_module._running(t, usual) for t in texts]
        out = unweave_module._under_headlines(cols, bylines, titles)
        assert (out[0][:2] == [0, 1]) is moved, (first, out)


def test_a_paragraphs_first_line_written_in_one_piece_under_another_columns_line_is_cut_off():
    """pdftotext may write two columns' lines as one piece when one stands a hair lower: under
    a line cut mid-sentence that fills its column (13 characters), a line as wide as a
    paragraph's first line (11: the indent dropped) that goes on, with no word across the
    cut, is another column's.  Lines holding figures or quotation marks measure no column
    and a line ending the paragraph may be as narrow as it likes: those stay together."""
    freq = _fast().freq

    def cut(below: str) -> list[list[str]]:
        runs = unweave_module.pieces(dialects.split_lines(f"村里今年修好了三条新路和两\n{below}\n").lines)
        runs_on = lambda a, b: unweave_module._runs_on(a, b, freq)  # noqa: E731
        return [[ln.text for ln in r] for r in unweave_module._rows_apart(runs, 26, runs_on)]

    assert cut("镇上学校也迎来新老师，") == [["村里今年修好了三条新路和两"], ["镇上学校也迎来新老师，"]]
    for below in ("镇上2所学校迎来新老师，", "镇上“学校”迎来新老师", "座桥，方便了村民出行。"):
        assert cut(below) == [["村里今年修好了三条新路和两", below]]


def test_two_columns_lines_written_as_one_piece_are_read_into_their_columns():
    """Two columns written in turns where the tool wrote one row's second-column line and the
    first column's next line (a paragraph's first line, set a hair lower) as one piece: the
    paragraph it opens comes out whole."""
    freq, whole, tried = _fast().freq, 0, 0
    for story in story_pool():
        if story.get("dateline") or sum(map(len, story["paragraphs"])) < 400 or tried == 6:
            continue
        lines = _column_lines(story["paragraphs"], 13)
        per = -(-len(lines) // 2)
        left, right = lines[:per], lines[per:]
        starts = {0}
        for p in story["paragraphs"][:-1]:
            starts.add(max(starts) + 1 + max(0, -(-(len(p) - 11) // 13)))
        for r in range(min(len(left), len(right)) - 1):
            above, below = right[r], left[r + 1]
            if r + 1 in starts and len(above) == 13 and len(below) == 11 \
                    and unweave_module._measured(above + below) and not unweave_module.ends_sentence(above) \
                    and not unweave_module._runs_on(above, below, freq):
                rows = _rows(story["paragraphs"], 2, 13)
                at = rows.index(above)
                text = "\n\n".join([story["title"], *rows[:at], f"{above}\n{below}", *rows[at + 2:]]) + "\n"
                out, _ = unweave(dialects.split_lines(text).lines, freq, dialects._standalone)
                read = norm("".join(("\n" if ln.blank_before else "") + ln.text for ln in out))
                whole += norm(next(p for p in story["paragraphs"] if p.startswith(below))) in read
                tried += 1
                break
    assert tried == 6 and whole >= 4, (whole, tried)
