"""The printed-page set scored as an editor would feed it: each input kind laid out as
``raw/rmrb/<date>/<PP>.txt`` (a tool's dump), ``<PP>.pdf`` (the page), or both, every
edition's pages converted together with the real CLI, each page scored against its gold
(``converters.gold``: 1.0 is the gold exactly).

``python -m tests.pdfset.score [KIND ...] [--show]`` prints one row per page and kind;
``--show`` adds each page's mismatches.  Kinds: a tool's folder name (``pdftotext``,
``pdftotext-layout``, ``pymupdf4llm``, ``markitdown``), the same with ``+pdf`` (the dump
with the page PDF beside it), and ``pdf`` (the page PDF alone).

The set (``README.md`` beside this file) is one page template of many: tests built on it
check the principle on these pages; the synthetic pages of ``tests/support/printed_pages.py`` vary
the template.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from converters.gold import compare_page, page_articles, score
from tests.conftest import ROOT, run_converter

SET = Path(__file__).resolve().parent
TOOLS = ("pdftotext", "pymupdf4llm", "pdftotext-layout", "markitdown")
KINDS = (*TOOLS, *(f"{t}+pdf" for t in TOOLS), "pdf")
PAGES = sorted(p.stem for p in (SET / "pdf").glob("*.pdf"))


def gold(name: str) -> dict:
    return json.loads((SET / "gold" / f"{name}.json").read_text(encoding="utf-8"))


def lay_out(kind: str, root: Path) -> Path:
    """``root/raw/rmrb`` holding every page of the set as ``kind`` gives it."""
    raw = root / "raw" / "rmrb"
    raw.mkdir(parents=True)
    shutil.copy(ROOT / "raw" / "rmrb" / "paper.toml", raw / "paper.toml")
    tool, _, with_pdf = kind.partition("+")
    for name in PAGES:
        _, date_y, date_m, date_d, page = name.split("-")
        day = raw / f"{date_y}-{date_m}-{date_d}"
        day.mkdir(exist_ok=True)
        if tool != "pdf":
            shutil.copy(SET / tool / f"{name}.txt", day / f"{page}.txt")
        if tool == "pdf" or with_pdf:
            shutil.copy(SET / "pdf" / f"{name}.pdf", day / f"{page}.pdf")
    return raw


def convert(kind: str, root: Path) -> tuple[Path, str]:
    """The set converted as ``make content`` does; the content folder and the CLI's report."""
    raw = lay_out(kind, root)
    content = root / "content" / "rmrb"
    result = run_converter(raw, content, "rmrb")
    return content, result.stdout + result.stderr


def page_score(content: Path, name: str) -> tuple[float, dict[str, list[str]]]:
    g = gold(name)
    bad = compare_page(g, page_articles(content, g["date"], g["page"]))
    return score(g, bad), bad


def main(argv: list[str]) -> int:
    show = "--show" in argv
    kinds = [a for a in argv if not a.startswith("--")] or list(KINDS)
    print(f"{'kind':22} " + " ".join(f"{p[5:]:>13}" for p in PAGES))
    for kind in kinds:
        with tempfile.TemporaryDirectory() as tmp:
            content, _ = convert(kind, Path(tmp))
            results = {name: page_score(content, name) for name in PAGES}
        print(f"{kind:22} " + " ".join(f"{results[p][0]:>13.3f}" for p in PAGES))
        if show:
            for name, (_, bad) in results.items():
                for field, problems in bad.items():
                    for problem in problems:
                        print(f"    {name}: {field}: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
