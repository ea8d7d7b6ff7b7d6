"""Printed pages for the build benchmark: page PDFs, pictures and page.json for a synthetic year.

Typesetting and rendering 2,920 page PDFs would take the benchmark an hour, and the site
build reads a page's files the same whoever made them, so:

1. **The template edition** (cached under ``benchmarks/work/``): one synthetic edition as
   raw dumps, converted, its pages typeset into PDFs by WeasyPrint (``tests/support/printed_pages.py``),
   the PDFs put beside the dumps and converted again: real pictures and regions, made by
   the converter.  The same edition converted from scratch with its PDFs is what
   ``bench_build.py`` times as the converter's share of a morning.
2. **Every page of the year** then gets the template page of its number: its pictures and
   PDF as hard links, and a ``page.json`` whose regions are the template's, story by
   story in reading order, under the page's own slugs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import corpus  # noqa: E402

from converters.printed.stage import page_json  # noqa: E402
from epaper_contract.printed import FILE_NAMES, PAGE_FILE  # noqa: E402

PY = sys.executable


def _convert(raw: Path, content: Path, paper: str) -> subprocess.CompletedProcess:
    r = subprocess.run([PY, "-m", "converters", str(raw), "--out", str(content), "--paper", paper, "-q", "-j", "2"],
                       cwd=ROOT, capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(f"converter failed:\n{r.stdout}\n{r.stderr}")
    return r


def template_edition(work: Path, pages: int, per_page: int, seed: int, paper: str) -> Path:
    """The folder of the template edition: ``raw/<paper>/<date>/<PP>.txt`` and ``.pdf``, and
    ``content/<paper>`` converted with them.  Made once (a minute of typesetting)."""
    from tests.support.printed_pages import typeset

    base = work / f"printed-template-p{pages}-n{per_page}-s{seed}"
    if (base / ".complete").exists():
        return base
    shutil.rmtree(base, ignore_errors=True)
    day = dt.date(2023, 12, 31)
    corpus.write_corpus(base / "raw", 1, pages, per_page, "raw", seed + 7, paper, start=day)
    shutil.copy(ROOT / "raw" / paper / "paper.toml", base / "raw" / paper / "paper.toml")
    raw_day = base / "raw" / paper / day.isoformat()
    content = base / "content" / paper
    _convert(base / "raw" / paper, content, paper)
    for folder in sorted((content / day.isoformat()).iterdir()):
        page = int(folder.name)
        laid = typeset(folder, paper="浙江日报", date_line=f"{day:%Y年%-m月%-d日}", page=page,
                       section=corpus.SECTIONS.get(page, ""))
        (raw_day / f"{folder.name}.pdf").write_bytes(laid.pdf)
    shutil.rmtree(content)
    _convert(base / "raw" / paper, content, paper)  # converted with its PDFs, as on an editor's night
    (base / ".complete").write_text(day.isoformat())
    return base


def _orders(folder: Path) -> dict[int, str]:
    """Order -> slug of the articles in a page folder."""
    out = {}
    for md in folder.glob("*.md"):
        head = md.read_text(encoding="utf-8").split("\n\n", 1)[0]
        meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
        out[int(meta.get("Order", "0"))] = meta["Slug"]
    return out


def add_printed(content: Path, template: Path, paper: str) -> int:
    """Give every page folder under ``content`` (``<date>/<PP>/``) the template page of its
    number; returns how many pages got one."""
    day = (template / ".complete").read_text().strip()
    tpl_pages: dict[str, tuple[Path, dict, dict[int, list]]] = {}
    for folder in sorted((template / "content" / paper / day).iterdir()):
        data = json.loads((folder / PAGE_FILE).read_text(encoding="utf-8"))
        by_order = {o: data["regions"].get(slug, []) for o, slug in _orders(folder).items()}
        tpl_pages[folder.name] = (folder, data, by_order)
    n = 0
    for folder in sorted(p for p in content.glob("*/*") if p.is_dir()):
        tpl = tpl_pages.get(folder.name)
        if tpl is None:
            continue
        src, data, by_order = tpl
        for name in FILE_NAMES[1:]:
            target = folder / name
            if not target.exists():
                os.link(src / name, target)
        regions = {slug: by_order[o] for o, slug in _orders(folder).items() if by_order.get(o)}
        (folder / PAGE_FILE).write_bytes(page_json(dict(data, regions=dict(sorted(regions.items())))))
        n += 1
    return n
