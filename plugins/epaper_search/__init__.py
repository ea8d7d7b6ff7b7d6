"""Pelican plugin: a static Chinese full-text search index built from the articles read.

Hooks ``article_generator_finalized`` to collect the articles (headline, byline, body
text without markup, date, page, cities, topics, url) and ``finalized`` to write
``<OUTPUT_PATH>/<SEARCH_INDEX_DIR>/`` (see :mod:`.index` for the format and
:mod:`.query` for how the browser reads it).  Settings:

- ``SEARCH_INDEX_DIR`` (default ``"search/data"``): folder under the output;
- ``SEARCH_WORKERS`` (default: all cores): processes building segments in parallel;
- ``SEARCH_CACHE_PATH`` (default ``<CACHE_PATH>/epaper_search``): per-document terms kept
  between builds, so an update tokenises only new or changed articles (``""`` turns it off).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from pelican import signals

from .index import Doc, build_index
from .text import html_to_text, plain

log = logging.getLogger(__name__)

DEFAULT_DIR = "search/data"
_articles: list = []


def _list(value) -> list[str]:
    """A metadata list value, whether Pelican left it a string or a plugin made objects."""
    if value is None:
        return []
    if isinstance(value, str):
        parts = value.replace("，", ",").replace("、", ",").split(",")
        return [p.strip() for p in parts if p.strip()]
    out = []
    for v in value if isinstance(value, list | tuple) else [value]:
        name = getattr(v, "name", None) or str(v)
        if name.strip():
            out.append(name.strip())
    return out


def _int(value, default: int = 0) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def article_to_doc(article) -> Doc:
    """The index's view of a Pelican article."""
    meta = article.metadata
    authors = _list(getattr(article, "authors", None) or meta.get("authors"))
    authors += [c for c in _list(meta.get("correspondents")) if c not in authors]
    date = getattr(article, "date", None)
    body = html_to_text(article.content or "")
    dateline = plain(str(meta.get("dateline") or ""))
    if dateline and not body.startswith(dateline):
        body = f"{dateline}\n{body}"
    return Doc(
        url=article.url,
        date=date.strftime("%Y-%m-%d") if date else str(meta.get("date", ""))[:10],
        page=_int(meta.get("page")),
        order=_int(meta.get("order")),
        title=plain(str(getattr(article, "title", "") or "")),
        kicker=plain(str(meta.get("kicker") or "")),
        subtitle=plain(str(meta.get("subtitle") or "")),
        authors=authors,
        caption=plain(str(meta.get("caption") or "")),
        body=body,
        cities=_list(meta.get("cities")),
        topics=_list(meta.get("topics")),
    )


def collect(generator) -> None:
    _articles.clear()
    _articles.extend(generator.articles)


def write_index(pelican) -> None:
    settings = pelican.settings
    outdir = Path(settings["OUTPUT_PATH"]) / settings.get("SEARCH_INDEX_DIR", DEFAULT_DIR)
    start = time.perf_counter()
    docs = [article_to_doc(a) for a in _articles]
    cache = settings.get("SEARCH_CACHE_PATH")
    if cache is None and settings.get("CACHE_PATH"):
        cache = Path(settings["CACHE_PATH"]) / "epaper_search"
    summary = build_index(docs, outdir, workers=settings.get("SEARCH_WORKERS"),
                          cache_dir=Path(cache) if cache else None)
    log.info("epaper_search: %d docs, %d segments (rebuilt %d), %d files written in %.1f s",
             summary["docs"], summary["segments"], len(summary["rebuilt"]),
             summary["files_written"], time.perf_counter() - start)


def register() -> None:
    signals.article_generator_finalized.connect(collect)
    signals.finalized.connect(write_index)
