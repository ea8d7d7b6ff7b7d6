"""Read many content files at once in forked worker processes (a cold or full build).

Pelican reads files one after another in one process.  When a build has to read many
files (the first build, or after the store was cleared), the workers each run
Pelican's own reader on a share of them (``Readers.read_file``: Markdown, metadata,
``content_object_init``, so our URL fields too), and send back :class:`ArticleRecord`
rows, which is all the site needs of an article.  Anything unusual (an error, a draft,
an invalid file) is left to Pelican in the main process, which reads and reports it
exactly as before.  Settings: ``EPAPER_READ_JOBS`` (default: all cores; 1 turns it
off), and files are only farmed out from ``EPAPER_READ_PARALLEL_MIN`` (default 400) on.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from typing import Any

from pelican import signals
from pelican.contents import Article
from pelican.readers import SkipStub

from . import settings as epaper_settings
from . import store

_GENERATOR: list[Any] = []  # the generator, inherited by forked workers (not pickled)


def _read_share(sources: list[str]) -> tuple[list[tuple], list[str]]:
    gen = _GENERATOR[0]
    rows, left = [], []
    logging.disable(logging.CRITICAL)  # whatever goes wrong is re-read and reported by the parent
    for src in sources:
        try:
            article = gen.readers.read_file(
                base_path=gen.path, path=src, content_class=Article, context=gen.context,
                preread_signal=signals.article_generator_preread, preread_sender=gen,
                context_signal=signals.article_generator_context, context_sender=gen)
            if isinstance(article, SkipStub) or not article.is_valid() or article.status != "published":
                left.append(src)
                continue
            rows.append(store._to_row(store.record_of(article, gen.path)))
        except Exception:  # Pelican, in the parent, reads it again and reports it properly
            left.append(src)
    return rows, left


def read_in_workers(generator: Any, sources: list[str]) -> tuple[list[store.ArticleRecord], list[str]]:
    """(records of the published articles among ``sources``, sources left for Pelican)."""
    settings = generator.settings
    jobs = int(epaper_settings.get(settings, "EPAPER_READ_JOBS") or os.cpu_count() or 1)
    least = int(epaper_settings.get(settings, "EPAPER_READ_PARALLEL_MIN"))
    if jobs < 2 or len(sources) < least or not hasattr(os, "fork"):
        return [], sources
    # Contiguous shares in folder order, several per worker so a slow share does not hold the rest.
    n = jobs * 8
    size = -(-len(sources) // n)
    shares = [sources[i:i + size] for i in range(0, len(sources), size)]
    _GENERATOR[:] = [generator]
    records: list[store.ArticleRecord] = []
    left: list[str] = []
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for rows, rest in pool.imap(_read_share, shares):
                records.extend(store._from_row(r) for r in rows)
                left.extend(rest)
    finally:
        _GENERATOR.clear()
    return records, left
