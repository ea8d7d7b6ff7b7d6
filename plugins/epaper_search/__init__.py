"""Pelican plugin: a static Chinese full-text search index built from the articles read.

The index is built while Pelican renders the pages, in other processes:

- ``initialized``: a helper process is forked while Pelican's heap is still small (it has
  read nothing yet), and waits;
- ``all_generators_finalized``: the documents are handed to it over a pipe, and it builds
  ``<OUTPUT_PATH>/<SEARCH_INDEX_DIR>/`` (see :mod:`.format` for the format, :mod:`.query`
  for how the browser reads it), forking its own workers, while Pelican writes pages;
- ``finalized``: Pelican waits for it and logs what it did (a failure fails the build).

The documents come from the site plugin's ``epaper_search_docs_ready`` signal as soon as
it knows every record (see :func:`docs_ready`); without it, from the context's
``"epaper_search_docs"`` when a plugin put them there (a list of dicts with the fields of
:class:`.terms.Doc`), otherwise from Pelican's articles.  Settings:

- ``SEARCH_INDEX_DIR`` (default ``"search/data"``): folder under the output;
- ``SEARCH_WORKERS`` (default: all cores but one in the background, since Pelican renders on
  one meanwhile; all cores otherwise): processes building segments in parallel;
- ``SEARCH_CACHE_PATH`` (default ``<CACHE_PATH>/epaper_search``): per-document terms of the
  open months kept between builds, so an update tokenises only new or changed articles
  (``""`` turns it off; a closed year keeps none: see :func:`.build.prune_cache`);
- ``SEARCH_IN_BACKGROUND`` (default ``True``): ``False`` builds at ``finalized`` in Pelican's
  own process, as before;
- ``SEARCH_SHARD`` (default ``None``: one build indexes the whole archive): for a build split
  by year, ``{"role": "year", "years": ["2023"], "latest_year": "2024", "state": "/abs.json"}``
  indexes this process's documents (those years' only) as an :class:`.build.ShardSpec` and
  writes the state file instead of ``index.json``; ``{"role": "stitch", "states": [...]}``
  (a process with no articles) indexes nothing and writes ``index.json`` from the states
  at ``finalized`` (:func:`.stitch.stitch_index`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import multiprocessing
import multiprocessing.util
import os
import signal as signal_module
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

from blinker import signal
from pelican import signals

from epaper_contract.procs import die_with_parent

from .build import DocKey, FrozenSegment, ShardSpec, build_index, freeze_unchanged
from .stitch import stitch_index
from .terms import Doc
from .text import html_to_text, plain

log = logging.getLogger(__name__)

DEFAULT_DIR = "search/data"
CONTEXT_KEY = "epaper_search_docs"
#: The site plugin's signal carrying the same documents early (a blinker signal by name).
DOCS_READY = signal("epaper_search_docs_ready")
#: Sent once the index is written, with the files and segment folders (relative to the
#: output) this build may have written or removed in it; the rest of the index is as it
#: was, so the build tool brings only those into its next staging tree.
INDEX_WRITTEN = signal("epaper_search_index_written")
_DOC_FIELDS = tuple(f.name for f in dataclasses.fields(Doc))


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


def article_fields(article) -> dict:
    """What the index needs of a Pelican article, cheap to take (``html`` still marked up)."""
    meta = article.metadata
    authors = _list(getattr(article, "authors", None) or meta.get("authors"))
    authors += [c for c in _list(meta.get("correspondents")) if c not in authors]
    date = getattr(article, "date", None)
    return {
        "url": article.url,
        "date": date.strftime("%Y-%m-%d") if date else str(meta.get("date", ""))[:10],
        "page": _int(meta.get("page")),
        "order": _int(meta.get("order")),
        "title": str(getattr(article, "title", "") or ""),
        "kicker": str(meta.get("kicker") or ""),
        "subtitle": str(meta.get("subtitle") or ""),
        "authors": authors,
        "caption": str(meta.get("caption") or ""),
        "dateline": str(meta.get("dateline") or ""),
        "html": str(article.content or ""),
        "cities": _list(meta.get("cities")),
        "topics": _list(meta.get("topics")),
    }


def fields_to_doc(f: dict) -> Doc:
    """A :class:`Doc` from :func:`article_fields` (text made plain here, in the helper)."""
    body = _dateline_first(plain(f["dateline"]), html_to_text(f["html"]))
    return Doc(url=f["url"], date=f["date"], page=f["page"], order=f["order"], title=plain(f["title"]),
               kicker=plain(f["kicker"]), subtitle=plain(f["subtitle"]), authors=f["authors"],
               caption=plain(f["caption"]), body=body, cities=f["cities"], topics=f["topics"])


def article_to_doc(article) -> Doc:
    """The index's view of a Pelican article."""
    return fields_to_doc(article_fields(article))


def _dateline_first(dateline: str, body: str) -> str:
    """The dateline (本报杭州3月17日电) is searchable text: first, unless the body has it."""
    return f"{dateline}\n{body}" if dateline and not body.startswith(dateline) else body


def to_doc(item: Any) -> Doc:
    """A document from the context key (Doc fields), from :func:`article_fields`, or from
    an object whose ``as_dict()`` gives such fields (the site plugin's, made on demand).

    Context items may also carry ``dateline`` and ``correspondents``: they are folded
    into the body and the byline here, as for Pelican's articles.
    """
    if isinstance(item, Doc):
        return item
    as_dict = getattr(item, "as_dict", None)
    if as_dict is not None:
        item = as_dict()
    if "html" in item:
        return fields_to_doc(item)
    doc = Doc(**{k: item[k] for k in _DOC_FIELDS if k in item})
    doc.body = _dateline_first(item.get("dateline", ""), doc.body)
    doc.authors = doc.authors + [c for c in item.get("correspondents", ()) if c not in doc.authors]
    return doc


# --- the helper process -------------------------------------------------------------------

def _drain(items: list):
    items.reverse()
    while items:
        yield items.pop()


def _stop(signum: int, frame) -> None:
    """SIGTERM in the helper (Pelican gave up on it): unwind, so the worker pools' ``with``
    blocks terminate their workers instead of leaving them building."""
    raise SystemExit(f"epaper_search helper stopped by signal {signum}")


def _serve(conn, parent_end, parent: int) -> None:
    """In the helper: wait for one job, build the index, send back the summary.

    The helper dies with Pelican's process: a build killed under it (a year shard's worker
    lost, then retried) must not leave it writing into the staging tree.
    """
    die_with_parent(parent)
    signal_module.signal(signal_module.SIGTERM, _stop)
    parent_end.close()
    try:
        job = conn.recv()
    except (EOFError, OSError):
        return  # Pelican ended (or failed) before handing over the documents
    items, frozen, outdir, workers, cache, shard = job
    del job
    try:
        start = time.perf_counter()
        items.reverse()
        docs = []
        while items:  # one at a time, so the dicts go as the documents come
            docs.append(to_doc(items.pop()))
        del items
        # handed over as an iterator that empties the list: build_index then holds the only
        # references, and frees each segment's documents once it is built
        summary = build_index(_drain(docs), Path(outdir), workers=workers,
                              cache_dir=Path(cache) if cache else None, frozen=frozen, shard=shard)
        summary["seconds"] = time.perf_counter() - start
        conn.send(("ok", summary))
    except BaseException:
        with contextlib.suppress(OSError):  # Pelican may have let go of the pipe
            conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


class _Helper:
    """The helper process and Pelican's end of its pipe.

    It must not outlive a failed build: multiprocessing's exit hook joins every child
    still running, and a helper waiting for documents that will never come (the build
    failed before handing them over) or building for a build that failed would keep
    Pelican's process from exiting.  A finaliser of higher priority than that join
    (:class:`multiprocessing.util.Finalize`, run by the same hook first, whatever the
    order the exit hooks were registered in) closes the pipe and stops the helper.
    """

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, self.conn, os.getpid()), name="epaper_search")
        self.proc.start()
        child.close()
        self.started = time.perf_counter()
        self.submitted = False
        self.answered = False
        self._finalizer = multiprocessing.util.Finalize(self, self.close, exitpriority=100)

    def submit(self, items: list, frozen: list, outdir: Path, workers, cache,
               shard: ShardSpec | None = None) -> None:
        self.conn.send((items, frozen, str(outdir), workers, str(cache) if cache else None, shard))
        self.submitted = True

    def result(self) -> tuple[str, object]:
        try:
            answer = self.conn.recv()
            self.answered = True
            return answer
        except EOFError:
            return "error", f"the search helper ended without an answer (exit code {self.proc.exitcode})"
        finally:
            self.close()

    def close(self) -> None:
        """Let the helper go: closing the pipe ends one still waiting for its documents;
        one still building for a build that will not take its answer is terminated."""
        self._finalizer.cancel()
        self.conn.close()
        if self.submitted and not self.answered and self.proc.is_alive():
            self.proc.terminate()
        self.proc.join()


_state: dict = {"helper": None, "sync": None, "articles": []}


def _close_helper() -> None:
    helper = _state["helper"]
    _state["helper"] = None
    if helper is not None:
        helper.close()


def _background(settings) -> bool:
    return bool(settings.get("SEARCH_IN_BACKGROUND", True)) and hasattr(os, "fork")


def _paths(settings) -> tuple[Path, Path | None]:
    outdir = Path(settings["OUTPUT_PATH"]) / settings.get("SEARCH_INDEX_DIR", DEFAULT_DIR)
    cache = settings.get("SEARCH_CACHE_PATH")
    if cache is None and settings.get("CACHE_PATH"):
        cache = Path(settings["CACHE_PATH"]) / "epaper_search"
    return outdir, (Path(cache) if cache else None)


def _shard_setting(settings) -> dict | None:
    """``SEARCH_SHARD``, checked: a typo must not quietly build (or wipe) the whole index."""
    shard = settings.get("SEARCH_SHARD")
    if shard is None:
        return None
    role = shard.get("role") if isinstance(shard, dict) else None
    if role == "year":
        missing = [k for k in ("years", "latest_year", "state") if not shard.get(k)]
        if missing or isinstance(shard["years"], str):
            raise ValueError(f"epaper_search: SEARCH_SHARD of role 'year' needs years (a list), "
                             f"latest_year and state; got {shard!r}")
    elif role == "stitch":
        if not isinstance(shard.get("states"), list | tuple):
            raise ValueError(f"epaper_search: SEARCH_SHARD of role 'stitch' needs states (a list); "
                             f"got {shard!r}")
    else:
        raise ValueError(f"epaper_search: SEARCH_SHARD needs role 'year' or 'stitch'; got {shard!r}")
    return shard


def _shard_spec(settings) -> ShardSpec | None:
    """The :class:`ShardSpec` of a year shard's build (``None`` for a whole or stitch build)."""
    shard = _shard_setting(settings)
    if shard is None or shard["role"] != "year":
        return None
    return ShardSpec(years=tuple(str(y) for y in shard["years"]), latest_year=str(shard["latest_year"]),
                     state=Path(shard["state"]))


def _stitching(settings) -> bool:
    """A stitch build has no articles: indexing its zero documents would delete every segment."""
    shard = _shard_setting(settings)
    return shard is not None and shard["role"] == "stitch"


def start_helper(pelican) -> None:
    if _background(pelican.settings) and not _stitching(pelican.settings) and _state["helper"] is None:
        _state["helper"] = _Helper()


def collect(generator) -> None:
    _state["articles"] = list(generator.articles)


def docs_ready(sender, docs: list, settings, frozen: list | tuple = ()) -> None:
    """The site plugin's documents as soon as it has them (before it builds its pages):
    the index is built on the other core from then on, not from the end of reading.
    Each item gives ``search_key()`` and, if its segment is built, ``as_dict()``.
    ``frozen`` are segments the site plugin knows unchanged without their documents (a
    daily update's closed years), as ``(name, documents, cities, topics)``."""
    _state["handed"] = True
    _state["articles"] = []
    if not _stitching(settings):
        _submit(docs, settings, [FrozenSegment(name, n, Counter(c), Counter(t)) for name, n, c, t in frozen])


def hand_over(generators) -> None:
    """``all_generators_finalized``: give the documents to the helper (or keep them),
    unless the site plugin handed them over already."""
    if _state.pop("handed", False):
        return
    gens = list(generators)
    context = next((g.context for g in gens if isinstance(getattr(g, "context", None), dict)), {})
    settings = next((g.settings for g in gens if getattr(g, "settings", None) is not None), {})
    if _stitching(settings):
        _state["articles"] = []
        return
    # the site plugin's documents (every edition, read now or not), else the articles read
    items = (list(context[CONTEXT_KEY]) if CONTEXT_KEY in context
             else [article_fields(a) for a in _state["articles"]])
    _state["articles"] = []
    _submit(items, settings)


def doc_key(item: Any) -> DocKey:
    """An item's :class:`DocKey`, without making its document."""
    key = getattr(item, "search_key", None)
    if key is not None:  # (url, date, page, order, sig, cities, topics)
        return DocKey(*key())
    if isinstance(item, Doc):
        return DocKey(item.url, item.date, item.page, item.order, item.sig, item.cities, item.topics)
    return DocKey(item.get("url", ""), item.get("date", ""), item.get("page", 0), item.get("order", 0),
                  item.get("sig", ""), item.get("cities", []), item.get("topics", []))


def _submit(items: list, settings, known: list[FrozenSegment] | None = None) -> None:
    outdir, cache = _paths(settings)
    shard = _shard_spec(settings)
    # up-to-date segments leave their documents here (not even made: see freeze_unchanged)
    items, frozen = freeze_unchanged(items, outdir, doc_key, shard=shard)
    frozen += known or []
    items = [to_doc(i) if hasattr(i, "as_dict") else i for i in items]  # plain data for the pipe
    if not _background(settings):
        _state["sync"] = (items, frozen)
        return
    if _state["helper"] is None or _state["helper"].submitted:  # e.g. a second run (autoreload)
        _close_helper()
        _state["helper"] = _Helper()
    # Pelican keeps one core busy rendering meanwhile: by default the others build the index
    # (one worker on two cores: the helper builds alone, with one copy of jieba's dictionary)
    workers = settings.get("SEARCH_WORKERS") or max(1, (os.cpu_count() or 1) - 1)
    try:
        _state["helper"].submit(items, frozen, outdir, workers, cache, shard)
    except OSError as err:  # the helper is gone: build at the end instead
        log.warning("epaper_search: search helper unavailable (%s); building at the end", err)
        _close_helper()
        _state["sync"] = (items, frozen)


def write_index(pelican) -> None:
    """``finalized``: wait for the index (or build it here when not in the background)."""
    settings = pelican.settings
    start = time.perf_counter()
    if _stitching(settings):
        _close_helper()  # none is started for a stitch; one left from an earlier run is let go
        _state["sync"], _state["articles"] = None, []
        states = [Path(p) for p in _shard_setting(settings)["states"]]
        summary = stitch_index(states, _paths(settings)[0])
        log.info("epaper_search: stitched %d shard states: %d docs, %d segments%s in %.1f s",
                 summary["states"], summary["docs"], summary["segments"],
                 f" (removed {', '.join(summary['removed'])})" if summary["removed"] else "",
                 time.perf_counter() - start)
        return
    helper = _state["helper"]
    if helper is not None and helper.submitted:
        _state["helper"] = None
        status, summary = helper.result()
        if status != "ok":
            raise RuntimeError(f"epaper_search: building the index failed:\n{summary}")
        log.info("epaper_search: %d docs, %d segments (rebuilt %d), %d files written in %.1f s "
                 "(in the background; waited %.1f s at the end)", summary["docs"], summary["segments"],
                 len(summary["rebuilt"]), summary["files_written"], summary["seconds"],
                 time.perf_counter() - start)
        _announce(settings, summary)
        return
    items, frozen = _state["sync"] or ([article_fields(a) for a in _state["articles"]], [])
    # (no sync: no all_generators_finalized, which should not happen; take what was read)
    _state["sync"] = None
    outdir, cache = _paths(settings)
    summary = build_index([to_doc(i) for i in items], outdir, workers=settings.get("SEARCH_WORKERS"),
                          cache_dir=cache, frozen=frozen, shard=_shard_spec(settings))
    log.info("epaper_search: %d docs, %d segments (rebuilt %d), %d files written in %.1f s",
             summary["docs"], summary["segments"], len(summary["rebuilt"]),
             summary["files_written"], time.perf_counter() - start)
    _announce(settings, summary)


def _announce(settings, summary: dict) -> None:
    """:data:`INDEX_WRITTEN` for a build of the whole index (a shard's or a stitch's is not sent)."""
    if INDEX_WRITTEN.receivers and _shard_setting(settings) is None:
        folder = settings.get("SEARCH_INDEX_DIR", DEFAULT_DIR).strip("/")
        prefix = f"{folder}/" if folder else ""
        INDEX_WRITTEN.send(None, files=[f"{prefix}index.json"], folders=[prefix + s for s in summary["touched"]])


def register() -> None:
    signals.initialized.connect(start_helper)
    signals.article_generator_finalized.connect(collect)
    signals.all_generators_finalized.connect(hand_over)
    DOCS_READY.connect(docs_ready)
    signals.finalized.connect(write_index)
