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
