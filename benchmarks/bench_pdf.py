"""PDF page benchmark (issue 23): page PDFs converted per CPU-second, next to dumps.

    python benchmarks/bench_pdf.py [--rounds 3] [--tags]

Each page of ``tests/pdfset`` is converted as the converter's worker converts a job
(``converters.page_pipeline.convert_job``: read, roles, assemble, reflow, enrich, render),
once from its PDF alone and once from its ``pdftotext`` dump alone, ``--rounds`` times;
the figure is pages over the process's CPU time (user + system), so it is the per-core
rate whatever else the machine runs.  Pictures (the printed page's WebP renderings) are
left out: they are made once per page PDF, by another stage, and only when the PDF changed.
Tags (jieba, the gazetteer) are off unless ``--tags``: the dumps' target (>= 200 pages per
core) is without them.

Targets: PDF pages >= 20 per CPU-second; dumps >= 200 (as bench_convert.py measures).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from converters.model import PageFacts  # noqa: E402
from converters.page_pipeline import convert_job, paper_names  # noqa: E402
from converters.workers import Job  # noqa: E402
from epaper_contract.papers import load_paper  # noqa: E402

SET = ROOT / "tests" / "pdfset"


def jobs(folder: Path, kind: str, tags: bool) -> list[Job]:
    raw = folder / "raw"
    paper = load_paper(ROOT / "raw", "rmrb")
    names = paper_names([paper])
    out = []
    for pdf in sorted((SET / "pdf").glob("*.pdf")):
        _, y, m, d, pp = pdf.stem.split("-")
        day = raw / f"{y}-{m}-{d}"
        day.mkdir(parents=True, exist_ok=True)
        if kind == "pdf":
            target = day / f"{pp}.pdf"
            shutil.copy(pdf, target)
        else:
            target = day / f"{pp}.txt"
            shutil.copy(SET / "pdftotext" / f"{pdf.stem}.txt", target)
        out.append(Job(str(target), f"{y}-{m}-{d}/{target.name}", paper, names, PageFacts(), tags))
    return out


def rate(js: list[Job], rounds: int) -> tuple[float, int]:
    convert_job(js[0])  # imports, dictionaries: not the pages' cost
    pages = 0
    start = time.process_time()
    for _ in range(rounds):
        for j in js:
            r = convert_job(j)
            assert r.page is not None and r.page.articles, j.path
            pages += 1
    return pages / (time.process_time() - start), pages


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--tags", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        pdf_rate, n = rate(jobs(Path(tmp) / "pdf", "pdf", args.tags), args.rounds)
        dump_rate, m = rate(jobs(Path(tmp) / "dump", "dump", args.tags), args.rounds)
    tags = "with tags" if args.tags else "without tags"
    print(f"PDF pages (reader, pictures excluded, {tags}): {pdf_rate:7.1f} pages per CPU-second ({n} pages)")
    print(f"dumps (pdftotext, {tags}):                    {dump_rate:7.1f} pages per CPU-second ({m} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
