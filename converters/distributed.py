"""Conversion and tagging on a Dask cluster: ``dask.bag`` over the dump files.

    python -m converters.distributed raw/zjrb --out content/zjrb [--scheduler tcp://host:8786]
                                    [--workers 2] [--no-tags] [--partitions N]

The per-dump work (decode, classify, assemble, reflow, tag: :func:`converters.page_pipeline.convert_job`)
is pure and independent per page, so it is the part that scales out: a bag of jobs,
one per dump, is mapped on the cluster's workers.  Everything that needs the whole
run (edition facts from the front page, duplicate pages, the manifest of hand edits,
atomic writes, the report) stays in :func:`converters.pipeline.run` on the client,
which is why the files written are exactly those of the local converter.

Workers read the dumps themselves (a path per job, not the bytes), so on a real cluster
``raw/`` must be on storage every worker sees (NFS, or a bucket mounted the same way);
the results (parsed pages, a few KB each) come back to the client, which writes
``content/``.  Without ``--scheduler`` a :class:`distributed.LocalCluster` is started
with ``--workers`` processes (one thread each: jieba and the parser hold the GIL).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from converters.model import PageFacts
from converters.page_pipeline import convert_job
from converters.pipeline import RunSummary, run
from converters.workers import Job, Result


def dask_map_jobs(client, partitions: int | None = None):
    """A ``map_jobs`` for :func:`converters.pipeline.run` that converts on ``client``'s cluster."""
    import dask.bag as db

    def map_jobs(jobs: list[Job]) -> list[Result]:
        if not jobs:
            return []
        nworkers = max(1, len(client.scheduler_info().get("workers", {})))
        n = partitions or min(len(jobs), nworkers * 4)
        bag = db.from_sequence(jobs, npartitions=max(1, n))
        results = bag.map(convert_job).compute(scheduler=client.get)
        return sorted(results, key=lambda r: r.key)

    return map_jobs


def convert_distributed(inputs: list[str], out: Path, *, client=None, workers: int = 2,
                        paper_slug: str | None = None, with_tags: bool = True, force: bool = False,
                        raw_root: Path | None = None, options: PageFacts | None = None,
                        partitions: int | None = None) -> RunSummary:
    """Like :func:`converters.pipeline.run`, with the per-dump work on a Dask cluster.

    ``client``: a connected :class:`distributed.Client`; when None, a LocalCluster of
    ``workers`` single-threaded processes is started for the run and closed after it.
    """
    from distributed import Client, LocalCluster

    own = client is None
    cluster = None
    if own:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=40)
        client = Client(cluster)
    try:
        return run(inputs, Path(out), paper_slug=paper_slug, options=options, force=force,
                   with_tags=with_tags, raw_root=raw_root, map_jobs=dask_map_jobs(client, partitions))
    finally:
        if own:
            client.close()
            cluster.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m converters.distributed", description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--out", required=True)
    ap.add_argument("--paper")
    ap.add_argument("--raw-root")
    ap.add_argument("--scheduler", help="address of a running Dask scheduler (default: a LocalCluster)")
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes (default 2)")
    ap.add_argument("--partitions", type=int, help="bag partitions (default 4 per worker)")
    ap.add_argument("--no-tags", action="store_true")
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args(argv)
    client = None
    if args.scheduler:
        from distributed import Client

        client = Client(args.scheduler)
    start = time.perf_counter()
    try:
        summary = convert_distributed(args.inputs, Path(args.out), client=client, workers=args.workers,
                                      paper_slug=args.paper, with_tags=not args.no_tags, force=args.force,
                                      raw_root=Path(args.raw_root) if args.raw_root else None,
                                      partitions=args.partitions)
    finally:
        if client is not None:
            client.close()
    print(f"{len(summary.pages)} dumps: {summary.converted} converted, {summary.unchanged} unchanged; "
          f"{summary.warnings} warnings, {summary.errors} errors; {time.perf_counter() - start:.1f}s -> {args.out}")
    return summary.exit_code


if __name__ == "__main__":
    sys.exit(main())
