"""What real extraction tools write from a printed page, converted without the page PDF.

Pages are typeset here in grids no sample has (``tests/support/tool_pages.py``: other column
counts, gutters, type sizes, stories side by side), the real tools read them, and the
dumps are converted as ``make content`` would:

- ``pdftotext -layout`` (Debian's poppler-utils) sets the lines of neighbouring columns side
  by side: the converter must split them at the gutters and read the stories back whole;
- ``pdftotext`` in its reading order writes the lines of neighbouring columns in turns when
  the gutter is narrow, ``pymupdf4llm`` joins them row by row, ``markitdown`` sets them in
  table cells or side by side: the converter must read them back, or say for the page that
  its order is not to be trusted rather than publish scrambled stories quietly.

The scores are printed (``-s``); a floor catches a regression.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from converters.gold import compare_page, norm, page_articles, score
from converters.link import facts_from_path
from converters.pipeline import convert_text, paper_names
from converters.write import render_page
from epaper_contract.papers import known_papers, load_paper
from tests.conftest import ROOT
from tests.support.tool_pages import Grid, page, pdf

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils' pdftotext not installed")

PAPER = load_paper(ROOT / "raw", "zjrb")
NAMES = paper_names([PAPER, *known_papers(ROOT / "raw").values()])

#: Grids unlike each other and unlike the samples' template: columns, gutter (mm), body and
#: title type (pt), stories per row.
GRIDS = {
    "6 columns, 4 mm, two stories over one": Grid(6, 4.0, 9.5, 22.0, (2, 1)),
    "4 columns, 2 mm gutter, one over two": Grid(4, 2.0, 9.0, 20.0, (1, 2)),
    "5 columns, 3 mm, three side by side": Grid(5, 3.0, 10.0, 26.0, (3,)),
}
#: What the side-by-side reader reaches on these pages today (1.0: the gold exactly).
LAYOUT_FLOOR = 0.55


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    """Each grid typeset once: the PDF's path and the page's gold."""
    out = tmp_path_factory.mktemp("tool-pages")
    made = {}
    for seed, (name, grid) in enumerate(GRIDS.items()):
        doc, gold = page(seed, grid)
        path = out / f"{seed}.pdf"
        path.write_bytes(pdf(doc))
        made[name] = (path, gold)
    return made


def extract(path: Path, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def pymupdf4llm_dump(path: Path) -> str:
    """What ``pymupdf4llm.to_markdown`` writes (PyMuPDF 2.0 ships it)."""
    pymupdf4llm = pytest.importorskip("pymupdf4llm")
    if not hasattr(pymupdf4llm, "to_markdown"):
        pytest.skip("pymupdf4llm without to_markdown (install pymupdf==2.0)")
    return pymupdf4llm.to_markdown(str(path))


def markitdown_dump(path: Path) -> str:
    """What ``markitdown PAGE.pdf`` prints."""
    markitdown = pytest.importorskip("markitdown")
    return markitdown.MarkItDown().convert(str(path)).text_content


def convert(dump: str, gold: dict, out: Path):
    source = f"raw/zjrb/2024-03-17/{gold['page']:02d}.txt"
    page_ = convert_text(dump, source, paper=PAPER, names=NAMES, path_facts=facts_from_path(source),
                         with_tags=False)
    for rel, data, _art in render_page(page_):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    bad = compare_page(gold, page_articles(out, gold["date"], gold["page"]))
    return page_, score(gold, bad), bad


def scrambled(page_, gold: dict) -> list[str]:
    """The gold paragraphs that the converted page does not hold whole (in one article's
    text, punctuation normalised): what a reader would find cut up or mixed with another
    column's lines."""
    texts = [norm("".join(p.text for p in a.paragraphs)) for a in page_.articles]
    return [p for a in gold["articles"] for p in a["paragraphs"] if not any(norm(p) in t for t in texts)]


def show(label: str, got: float, bad: dict, lost: list[str]) -> None:
    print(f"\n{label}: score {got:.3f}, {len(lost)} paragraphs not whole")
    for field, problems in bad.items():
        for problem in problems:
            print(f"    {field}: {problem[:160]}")


@pytest.mark.parametrize("grid", list(GRIDS))
def test_layout_dump_reads_columns_back(pages, grid, tmp_path):
    """Columns side by side are split at the gutters and read column by column: every story
    found, its paragraphs whole; what is left to get right is printed."""
    path, gold = pages[grid]
    page_, got, bad = convert(extract(path, "-layout"), gold, tmp_path)
    lost = scrambled(page_, gold)
    show(f"pdftotext -layout, {grid}", got, bad, lost)
    assert any(i.code == "columns-side-by-side" for i in page_.issues)
    assert len(page_.articles) == len(gold["articles"])
    assert len(lost) <= 0.1 * sum(len(a["paragraphs"]) for a in gold["articles"]), lost
    assert got >= LAYOUT_FLOOR


@pytest.mark.parametrize("grid", list(GRIDS))
def test_reading_order_dump_never_scrambles_silently(pages, grid, tmp_path):
    """pdftotext's reading order on these pages: its paragraphs come out whole, or the page
    carries the one warning that its order is unreliable."""
    path, gold = pages[grid]
    page_, got, bad = convert(extract(path), gold, tmp_path)
    warned = [i for i in page_.issues if i.code in ("columns-interleaved", "columns-alternating")]
    lost = scrambled(page_, gold)
    show(f"pdftotext, {grid}, order {'reported unreliable' if warned else 'not reported'}", got, bad, lost)
    assert len(warned) <= 1
    assert warned or len(lost) <= 0.1 * sum(len(a["paragraphs"]) for a in gold["articles"]), lost


TOOLS = {"pymupdf4llm": pymupdf4llm_dump, "markitdown": markitdown_dump}


@pytest.mark.parametrize("tool", list(TOOLS))
@pytest.mark.parametrize("grid", list(GRIDS))
def test_other_tools_never_scramble_silently(pages, grid, tool, tmp_path):
    """pymupdf4llm (columns merged row by row, passages twice, bylines as headings) and
    markitdown (columns as table cells or side by side): every story's paragraphs come out
    whole, or the page carries the one warning that its reading order is unreliable."""
    path, gold = pages[grid]
    page_, got, bad = convert(TOOLS[tool](path), gold, tmp_path)
    warned = [i for i in page_.issues if i.code in ("columns-interleaved", "columns-alternating")]
    lost = scrambled(page_, gold)
    show(f"{tool}, {grid}, order {'reported unreliable' if warned else 'not reported'}", got, bad, lost)
    assert len(warned) <= 1
    assert warned or len(lost) <= 0.1 * sum(len(a["paragraphs"]) for a in gold["articles"]), lost
