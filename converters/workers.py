"""The workers: what goes to a worker for one page (:class:`Job`), what comes back
(:class:`Result`: the page rendered but for the edition's facts), and the process pool.

``converters.distributed`` sends the same jobs to a Dask cluster instead of the pool.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from converters import segment
from converters.enrich import _tagger as enrich_tagger
from converters.identity import story_record
from converters.link import JumpSource
from converters.model import Article, Issue, Page, PageFacts
from converters.write import article_path, render_parts
from epaper_contract.papers import Paper


@dataclass
class Job:
    path: str  # as found on disk
    key: str  # stable name in the manifest (relative to the paper's raw folder)
    paper: Paper
    names: dict[str, str]
    options: PageFacts
    with_tags: bool
    previous: list[dict] = field(default_factory=list)  # the dump's stories last time (identity.py)


@dataclass
class Result:
    key: str
    path: str
    digest: str
    page: Page | None = None
    refused: Issue | None = None  # why the dump was not converted at all
    # Each article's (output path, render_parts(...)), rendered by the worker: the parent only
    # adds the edition's facts (join_parts).  None: the parent renders the page.
    parts: list[tuple[str, tuple[bytes, ...]]] | None = None
    jumps_out: list[JumpSource] = field(default_factory=list)  # its stories continued on other pages
    jumps_in: list[int] = field(default_factory=list)  # the pages its continuations (上接) come from
    stories: list[dict] = field(default_factory=list)  # identity.story_record of each article
    files: list[tuple[str, str]] = field(default_factory=list)  # pictures: (rel in content, source path)
    pictures: list[tuple[str, bytes]] = field(default_factory=list)  # cut from the page PDF: (rel, WebP bytes)


def rendered_result(key: str, path: str, digest: str, page: Page,
                    files: list[tuple[str, Path]] | None = None,
                    pictures: list[tuple[str, bytes]] | None = None) -> Result:
    """The worker's result: the page rendered but for the edition's facts, and stripped of
    what only rendering needed (blocks, paragraphs), so little goes back to the parent.  A
    continuation (上接) is kept whole: the parent gives it its first part's headline."""
    parts = None
    jumps_out: list[JumpSource] = []
    jumps_in: list[int] = []
    stories: list[dict] = []
    if not page.has_errors:
        parts = [(article_path(page, art), render_parts(page, art)) for art in page.articles]
        jumps_out = [JumpSource.of(page.facts.page or 0, a) for a in page.articles if a.continued_on is not None]
        jumps_in = [a.continued_from for a in page.articles if a.continued_from is not None]
        stories = [story_record(a) for a in page.articles]
        page.articles = [a if a.continued_from is not None else
                         Article(line=a.line, title=a.title, title_inferred=a.title_inferred,
                                 continued_on=a.continued_on, slug=a.slug, order=a.order, images=a.images)
                         for a in page.articles]
    return Result(key, path, digest, page=page, parts=parts, jumps_out=jumps_out, jumps_in=jumps_in, stories=stories,
                  files=[(rel, str(src)) for rel, src in files or ()], pictures=list(pictures or ()))


def preload(with_tags: bool) -> None:
    """Load jieba's dictionaries (and the tagger's) now: in the parent before the workers
    fork, so the workers share one copy instead of each loading its own (~0.7 s apiece)."""
    if with_tags:
        enrich_tagger()  # first: the slugs' dictionary is then made from the tagger's
    segment.lcut("")


def run_jobs(jobs: list[Job], workers: int) -> list[Result]:
    from converters.page_pipeline import convert_job  # the page pipeline imports this module

    if workers <= 1 or len(jobs) < 2:
        return [convert_job(j) for j in jobs]
    workers = min(workers, os.cpu_count() or 1, len(jobs))
    context = None
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        preload(any(j.with_tags for j in jobs))
        gc.freeze()  # the loaded dictionaries stay shared: the collector never touches their pages
        context = multiprocessing.get_context("fork")
    # small chunks: results stream back while the rest converts, and the last chunks even out
    chunk = max(1, min(16, len(jobs) // (workers * 8)))
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return list(pool.map(convert_job, jobs, chunksize=chunk))
    finally:
        if context is not None:
            gc.unfreeze()
