"""Printed pages for the tool-dump tests: the golds' stories typeset in varied grids.

A page here is a folio over rows of stories; a row holds one to three stories side by side,
each a headline (kicker, title in large type, byline) over its body set in CSS columns.
The column count, the gutter, the type sizes and which stories stand side by side vary
with the page's ``seed``, so that a test sees grids no sample has (narrow gutters, a story
beside another of another height, a headline spanning its columns).  WeasyPrint typesets
it with Debian's Noto CJK fonts; the real extraction tools then read the PDF
(``tests/converters/test_tool_dumps.py``).  The gold is what the page prints, in the format of
``tests/gold/*.json``.
"""

from __future__ import annotations

import html
import itertools
import random
from dataclasses import dataclass

from tests.support.synthpage import story_pool


@dataclass(frozen=True)
class Grid:
    """How a page is set: what varies from one paper's template to another."""

    columns: int  # the body columns of a full-width story
    gutter_mm: float
    body_pt: float
    title_pt: float
    stories_per_row: tuple[int, ...]  # the page's rows, each with its stories side by side


def _story_html(story: dict, columns: int, grid: Grid) -> str:
    parts = []
    if story.get("kicker"):
        parts.append(f'<p class="kicker">{html.escape(story["kicker"])}</p>')
    parts.append(f'<h1>{html.escape(story["title"])}</h1>')
    if story.get("subtitle"):
        parts.append(f'<p class="subtitle">{html.escape(story["subtitle"])}</p>')
    lead = ""
    if story.get("dateline"):
        lead = f'{story["dateline"]}  （记者 {" ".join(story["authors"])}）' if story["authors"] else story["dateline"]
    elif story.get("authors"):
        parts.append(f'<p class="byline">本报记者 {html.escape(" ".join(story["authors"]))}</p>')
    body = "".join(f"<p>{html.escape(lead if k == 0 else '')}{html.escape(p)}</p>"
                   for k, p in enumerate(story["paragraphs"]))
    return (f'<section class="story" style="flex: {columns}">{"".join(parts)}'
            f'<div class="body" style="column-count: {columns}">{body}</div></section>')


def page(seed: int, grid: Grid, pool: list[dict] | None = None) -> tuple[str, dict]:
    """(the page's HTML, its gold): stories drawn from the golds (their first paragraphs, up
    to a length), without subheads or captions; a byline under the headline, or the
    reporters in the dateline's brackets."""
    rng = random.Random(seed)
    pool = [dict(s, paragraphs=_first(s["paragraphs"], 700)) for s in (pool or story_pool())
            if not s.get("subheads") and not s.get("caption") and len(s["authors"]) <= 3]
    page_no = rng.choice([2, 3, 5, 8])
    rows, articles = [], []
    for count in grid.stories_per_row:
        stories = rng.sample(pool, count)
        pool = [s for s in pool if s not in stories]
        widths = _split(grid.columns, count, rng)
        rows.append('<div class="row">' + "".join(_story_html(s, w, grid) for s, w in zip(stories, widths, strict=True))
                    + "</div>")
        for s in stories:
            articles.append({"kicker": s.get("kicker") or "", "title": s["title"], "subtitle": s.get("subtitle") or "",
                             "authors": s["authors"], "correspondents": [], "dateline": s.get("dateline") or "",
                             "caption": None,
                             "subheads": [], "paragraphs": s["paragraphs"], "headline_in_dump": True,
                             "continued_on": None})
    style = f"""
      @page {{ size: 330mm 470mm; margin: 12mm; }}
      body {{ font-family: 'Noto Serif CJK SC'; font-size: {grid.body_pt}pt; line-height: 1.45; margin: 0; }}
      .folio {{ display: flex; justify-content: space-between; font-family: 'Noto Sans CJK SC';
                font-size: 10pt; border-bottom: 1.5pt solid black; margin-bottom: 4mm; }}
      .row {{ display: flex; gap: {grid.gutter_mm * 2}mm; margin-bottom: 6mm; }}
      .story {{ min-width: 0; }}
      h1 {{ font-size: {grid.title_pt}pt; margin: 1mm 0 2mm; font-weight: bold; }}
      .kicker {{ font-family: 'Noto Sans CJK SC'; font-size: {grid.body_pt + 2}pt; margin: 0; }}
      .subtitle {{ font-size: {grid.body_pt + 3}pt; margin: 0 0 1mm; }}
      .byline {{ font-family: 'Noto Sans CJK SC'; font-size: {grid.body_pt}pt; margin: 0 0 2mm; }}
      .body {{ column-gap: {grid.gutter_mm}mm; text-align: justify; }}
      .body p {{ margin: 0; text-indent: 2em; }}
    """
    folio = (f'<div class="folio"><span>2024年3月17日 星期日</span><span>要闻</span>'
             f'<span>{page_no:02d}</span></div>')
    doc = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{style}</style></head>'
           f'<body>{folio}{"".join(rows)}</body></html>')
    gold = {"source": f"typeset-{seed}", "paper": "浙江日报", "date": "2024-03-17", "page": page_no,
            "issue": None, "pages_total": None, "cn": None, "lunar": None, "articles": articles}
    return doc, gold


def _split(columns: int, count: int, rng: random.Random) -> list[int]:
    """``columns`` shared among ``count`` stories, each at least one."""
    cuts = sorted(rng.sample(range(1, columns), count - 1)) if count > 1 else []
    edges = [0, *cuts, columns]
    return [b - a for a, b in itertools.pairwise(edges)]


def pdf(doc: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=doc).write_pdf()


def _first(paragraphs: list[str], budget: int) -> list[str]:
    """The story's first paragraphs, as many as fit in ``budget`` characters (one at least)."""
    out: list[str] = []
    for p in paragraphs:
        if out and sum(map(len, out)) + len(p) > budget:
            break
        out.append(p)
    return out
