"""A simulated archive of several years: the cold build and the daily update on top of it.

``bench_build.py`` measures one year against stock Pelican and Hugo; this script asks how
our build grows with the archive (issue 7: "a simulated 10-year build").  It generates
``--years`` years of editions (the same generator as ``bench_build.py``, ending with
``--last-year``), builds them cold with ``tools/build.py``, adds one more edition (the
daily update), and rebuilds with nothing changed.  It prints wall time, CPU time, the
largest process's RSS, the peak PSS of the whole process tree, and the output's size.

    python benchmarks/bench_archive.py --years 10        # ~200,000 articles
    python benchmarks/bench_archive.py --years 10 --shards [--jobs 2]   # tools/shards.py

With ``--search`` it then measures the first page of results on the updated site (its real
article pages and the index the build wrote): ``bench_search.py``'s archive figures.

With ``--shards`` the builds are year shards and a stitch (``make html SHARDS=1``), tasks
on a Dask LocalCluster of ``--jobs`` workers started by each build; each build's line
then lists the shards it ran and their seconds.  ``--jobs 1`` runs one shard at a time,
so the peak is one shard's (plus the parent's and the cluster's) memory.

The corpus is cached under ``benchmarks/work/``; the build folders are removed unless
``--keep``.  Everything runs in this one process tree, so quote the figures with the
machine and its load (printed first).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_build as bb  # noqa: E402
import corpus  # noqa: E402


def archive_dir(years: int, last_year: int, pages: int, per_page: int, seed: int) -> tuple[Path, dict]:
    """The cached archive (``archive/<paper>``) and, beside it, the last day's edition (``next/``).

    The archive runs from 1 January of the first year to 30 December of ``last_year``; the
    update adds 31 December, an ordinary day (1 January would also close a year of the
    search index, a once-a-year cost).
    """
    base = bb.WORK / f"archive-y{years}-to{last_year}-p{pages}-n{per_page}-s{seed}"
    done = base / ".complete"
    if not done.exists():
        shutil.rmtree(base, ignore_errors=True)
        start, last = dt.date(last_year - years + 1, 1, 1), dt.date(last_year, 12, 31)
        t = time.perf_counter()
        n = corpus.write_corpus(base / "archive", (last - start).days, pages, per_page, "content", seed,
                                bb.PAPER, start=start)
        m = corpus.write_corpus(base / "next", 1, pages, per_page, "content", seed + 1000, bb.PAPER, start=last)
        done.write_text(json.dumps({"articles": n, "next": m, "first": start.isoformat()}))
        print(f"corpus: {n} articles + {m} for the update, generated in {time.perf_counter() - t:.1f} s", flush=True)
    return base, json.loads(done.read_text())


def search_figures(out: Path, years: int, articles: int) -> None:
    """What the first page of results downloads on the built site (issue 27)."""
    import bench_search as bs

    index = out / "search" / "data"
    size, nfiles = bs.dir_size(index)
    manifest = (index / "index.json").read_bytes()
    report = {"years": years, "articles": articles, "index": "built by tools/build.py (real article pages)",
              "index_size": {"bytes": size, "files": nfiles, "manifest": len(manifest),
                             "segments": len(json.loads(manifest)["segments"])},
              "first_page": {q: bs.first_page(index, out, q) for q in bs.ARCHIVE_QUERIES},
              "browser": bs.browser_first_pages(out, bs.ARCHIVE_QUERIES)}
    bs.print_archive_report(report)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--years", type=int, default=2)
    ap.add_argument("--last-year", type=int, default=2024)
    ap.add_argument("--pages", type=int, default=8)
    ap.add_argument("--per-page", type=int, default=7)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the build folders (printed)")
    ap.add_argument("--shards", action="store_true", help="build with tools/shards.py (year shards)")
    ap.add_argument("--jobs", type=int, default=None, help="with --shards: year processes at once")
    ap.add_argument("--search", action="store_true", help="then the first page of results (bench_search.py)")
    args = ap.parse_args(argv)
    tool = "shards.py" if args.shards else "build.py"
    extra = ("--jobs", str(args.jobs)) if args.shards and args.jobs else ()

    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
          f"python {sys.version.split()[0]}", flush=True)
    base, meta = archive_dir(args.years, args.last_year, args.pages, args.per_page, args.seed)
    print(f"archive: {meta['articles']} articles, {args.years} years from {meta['first']} "
          f"(+{meta['next']} in the update)", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench-archive-", dir=bb.WORK))
    try:
        content, out, cache = tmp / "content", tmp / "out", tmp / "cache"
        shutil.copytree(base / "archive" / bb.PAPER, content, copy_function=os.link)
        rows = []
        mode = f"shards, jobs {args.jobs or os.cpu_count()}" if args.shards else "one process"
        print(f"build: tools/{tool} ({mode})", flush=True)
        cold = bb.build_ours(content, out, cache, f"cold build, {args.years} years", tool=tool, extra=extra)
        rows.append(bb.row(cold, bb.tree_size(out)))
        print(rows[-1], flush=True)
        kinds = bb.kinds_table(out, f"size by kind, {args.years} years (make html)")
        print(kinds, flush=True)
        # The first build after a cold one stages with cp -al; later ones from the spare tree,
        # as an editor's builds do day after day.
        again = bb.build_ours(content, out, cache, "rebuild, nothing changed (stages with cp -al)",
                              tool=tool, extra=extra)
        rows.append(bb.row(again))
        print(rows[-1], flush=True)
        before = bb.snapshot(out)
        shutil.copytree(base / "next" / bb.PAPER, content, copy_function=os.link, dirs_exist_ok=True)
        upd = bb.build_ours(content, out, cache, f"daily update (+{meta['next']} articles)", tool=tool, extra=extra)
        d = bb.diff(before, bb.snapshot(out))
        rows.append(bb.row(upd) + f"  files added/changed/removed: {len(d['added'])}/{len(d['changed'])}"
                                  f"/{len(d['removed'])}")
        print(rows[-1], flush=True)
        print("\nsummary\n  " + "\n  ".join(rows) + "\n  " + kinds.replace("\n", "\n  "))
        if args.search:
            search_figures(out, args.years, meta["articles"] + meta["next"])
        if any(r.rc for r in (cold, upd, again)):
            return 1
    finally:
        if args.keep:
            print(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
