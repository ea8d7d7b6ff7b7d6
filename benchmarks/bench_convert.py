"""Conversion benchmark (issue 2): pages/s and peak memory, with and without tags, 1 and 2 jobs.

    python benchmarks/bench_convert.py [--pages-total 1000] [--jobs 1 2] [--seed 1]

The input is ``--pages-total`` synthetic page dumps from ``benchmarks/corpus.py --format
raw``: the sample's sentences, titles and bylines reshuffled into dumps shaped like
``raw/zjrb/2024-03-17/01.txt`` (masthead on page 1, folios, ``##`` headlines, bylines,
subheads, column cuts in mid-sentence, jump lines), cached under ``benchmarks/work/``.
Each configuration converts them into an empty folder with the real CLI
(``python -m converters``) in a child process; the figures are

- pages/s over the CLI's own conversion time (what it prints) and over the whole
  process (with interpreter start-up and, with tags, loading jieba);
- peak memory: the largest process's max RSS and the process tree's peak PSS.

"Pages per CPU-second" (pages over the tree's user+system time) is the per-core rate
that does not depend on what else the machine is running.

The corpus reshuffles a small pool of sample sentences, so the same runs of text recur
far more often than on real pages; the segmenter remembers runs it has cut
(``converters/fastcut.py``), which flatters the figures with tags.  ``--no-memo`` turns
that memo off, for the speed on text that does not repeat.

Targets: >= 200 pages/s per core without tags, peak < 300 MB; >= 100 pages/s with tags
using both cores.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402
from bench_build import PY, WORK, measure  # noqa: E402

PAPER = "zjrb"


def raw_corpus(pages_total: int, pages: int, seed: int) -> tuple[Path, int]:
    days = -(-pages_total // pages)
    base = WORK / f"convert-raw-d{days}-p{pages}-s{seed}"
    if not (base / ".complete").exists():
        shutil.rmtree(base, ignore_errors=True)
        start = time.perf_counter()
        n = corpus.write_corpus(base, days, pages, 7, "raw", seed, PAPER)
        (base / ".complete").write_text(json.dumps({"articles": n}))
        print(f"raw corpus: {days * pages} pages ({n} articles) generated in {time.perf_counter() - start:.1f} s")
    return base / PAPER, days * pages


def _filesystem(path: Path) -> str:
    """The type of the file system ``path`` is on (from /proc/mounts), or "?"."""
    try:
        mounts = [line.split() for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return "?"
    real = str(path.resolve())
    best = max((m for m in mounts if len(m) > 2 and (real == m[1] or real.startswith(m[1].rstrip("/") + "/"))),
               key=lambda m: len(m[1]), default=None)
    return best[2] if best else "?"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages-total", type=int, default=1000)
    ap.add_argument("--pages", type=int, default=8, help="pages per edition")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tags-only", action="store_true", help="only the runs with tags")
    ap.add_argument("--out-dir", type=Path, default=WORK,
                    help="where the runs write (default benchmarks/work/); e.g. /dev/shm to leave "
                    "out the disk: creating 7,480 files costs 0.6 s of system time on tmpfs here, "
                    "1-6 s on this machine's ext4 (mounted with discard)")
    ap.add_argument("--no-memo", action="store_true",
                    help="turn off the segmenter's memo of text runs (EPAPER_SEGMENT_MEMO=0): the "
                    "synthetic corpus repeats its sentences, real pages hardly do")
    args = ap.parse_args(argv)
    env = dict(os.environ, EPAPER_SEGMENT_MEMO="0") if args.no_memo else None
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    raw, npages = raw_corpus(args.pages_total, args.pages, args.seed)
    size = sum(p.stat().st_size for p in raw.rglob("*.txt"))
    print(f"input: {npages} page dumps, {size / 1e6:.1f} MB under {raw}")
    out_dir = args.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    print(f"output under {out_dir} ({_filesystem(out_dir)})")
    rows = []
    for tags in (True,) if args.tags_only else (False, True):
        for jobs in args.jobs:
            out = Path(tempfile.mkdtemp(prefix="bench-convert-", dir=out_dir))
            cmd = [PY, "-m", "converters", str(raw), "--out", str(out / PAPER), "--paper", PAPER,
                   "--raw-root", str(ROOT / "raw"), "-q", "--jobs", str(jobs)]
            if not tags:
                cmd.append("--no-tags")
            label = f"{'with' if tags else 'without'} tags, {jobs} job{'s' if jobs > 1 else ''}"
            run = measure(label, cmd, env=env)
            # the CLI's own time, from its last line (either language of the report)
            m = re.search(r"([\d.]+) ?(?:s|秒) (?:->|→)", run.tail)
            inner = float(m[1]) if m else run.wall
            articles = len(list((out / PAPER).rglob("*.md")))
            shutil.rmtree(out, ignore_errors=True)
            line = (f"{label:<24} {npages / inner:7.0f} pages/s ({npages / inner / jobs:5.0f} per job) "
                    f"[{npages / run.wall:5.0f} pages/s with start-up, {run.wall:5.1f} s wall; "
                    f"{npages / max(run.cpu, 1e-9):5.0f} pages per CPU-second]  "
                    f"max RSS {run.max_rss_mb:4.0f} MB, tree PSS {run.tree_pss_mb:4.0f} MB, {articles} articles"
                    + ("" if run.rc == 0 else f"  (exit {run.rc})"))
            rows.append(line)
            print(line, flush=True)
    print("\ntargets: >= 200 pages/s per core without tags, peak < 300 MB; >= 100 pages/s with tags on 2 cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
