"""Build the search index (:mod:`.format` describes its files): segments, caches, updates.

Documents are grouped into segments (months of the latest year, closed years), each
tokenised (:func:`.terms.doc_terms`, cached by content hash so a daily update runs jieba on
the new edition only) and written as buckets of postings, metadata blocks and a days file.
A segment whose documents hash to the manifest's signature is skipped, and every file is
written only when its bytes differ: a daily update changes its month's folder and
``index.json``, nothing else.

A build split by year (:class:`ShardSpec`, one Pelican process per year shard): each process
builds its own years' segment folders and writes a small state file instead of
``index.json``; :func:`.stitch.stitch_index` then writes the manifest from every state file.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import os
import pickle
import re
import signal
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from epaper_contract.files import write_if_changed

from .format import (
    BUCKET_TARGET_BYTES,
    FORMAT_VERSION,
    META_BLOCK,
    bucket_of,
    bucket_path,
    choose_buckets,
    current_segments,
    days_path,
    dumps,
    encode_bucket,
    encode_days,
    encode_meta,
    encode_packed,
    is_segment_name,
    manifest,
    meta_path,
    rmtree,
    segment_name,
)
from .terms import CACHE_VERSION, Doc, doc_terms, fastcut, pack_terms, sort_key, unpack_terms

log = logging.getLogger(__name__)


def _signed_bytes(url: str, sig: str) -> bytes:
    return f"{url}\x00{sig}".encode()


def _doc_bytes(d: Doc) -> bytes:
    """Every field of a document, for hashing (``asdict`` deep-copies and is slow)."""
    if d.sig:  # the caller's fingerprint of every field
        return _signed_bytes(d.url, d.sig)
    return "\x00".join((d.url, d.date, str(d.page), str(d.order), d.title, d.kicker, d.subtitle,
                        "\x01".join(d.authors), d.caption, d.body, "\x01".join(d.cities),
                        "\x01".join(d.topics))).encode("utf-8")


def _signature(chunks: Iterable[bytes]) -> str:
    h = hashlib.sha256(f"v{FORMAT_VERSION}:{BUCKET_TARGET_BYTES}:{META_BLOCK}".encode())
    for c in chunks:
        h.update(c)
        h.update(b"\x02")
    return h.hexdigest()[:20]


def segment_signature(docs: list[Doc]) -> str:
    """The signature of a segment's documents, in :func:`sort_key` order."""
    return _signature(_doc_bytes(d) for d in docs)


@dataclass
class SegmentResult:
    name: str
    ndocs: int
    nbuckets: int
    dates: dict[str, list[int]]
    written: int
    removed: int
    bytes: int


def segment_entry(r: SegmentResult, sig: str) -> dict:
    """A segment's entry in the manifest: what a query needs before reading it (its size,
    bucket count and first and last day, to skip it under a date filter), not its days."""
    days = sorted(r.dates)
    return {"id": r.name, "n": r.ndocs, "buckets": r.nbuckets, "from": days[0] if days else "",
            "to": days[-1] if days else "", "sig": sig}


#: The cache file's name: ``v<term format>c2-<month>.pickle``.  Plain pickles: Actions
#: stores its cache as a zstd ``--long`` tarball, which finds the terms repeated across a
#: month's documents and shrinks them about tenfold; zlib'd files (a 32 KB window) would
#: come out 2.6× smaller on disk but 3.7× larger in Actions' cache (measured at one year).
CACHE_PREFIX = f"v{CACHE_VERSION}c2-"
CACHE_SUFFIX = ".pickle"
#: Files of the term cache, of this format or an older one, by segment name.
_CACHE_NAME_RE = re.compile(r"v\d+[a-z]\d*-(\d{4}(?:-\d{2})?)\.pickle")


def _cache_file(cache_dir: Path, name: str) -> Path:
    return cache_dir / f"{CACHE_PREFIX}{name}{CACHE_SUFFIX}"


def is_open_segment(name: str) -> bool:
    """A month of the latest year: the segments a daily update may append to, and which
    merge into their year on New Year.  A closed year is frozen: the term cache keeps
    nothing of it (see :func:`prune_cache`)."""
    return len(name) == 7


def _load_cache(cache_dir: Path | None, name: str) -> dict[str, tuple[str, bytes]]:
    """The segment's cached terms; a year segment takes its months' (the New Year merge,
    or the months :func:`_warm_years` just tokenised)."""
    if cache_dir is None:
        return {}
    out: dict[str, tuple[str, bytes]] = {}
    paths = [_cache_file(cache_dir, name)] if is_open_segment(name) else sorted(
        cache_dir.glob(_cache_file(cache_dir, f"{name}-*").name))
    for path in paths:
        with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, ValueError):
            out.update(pickle.loads(path.read_bytes()))
    return out


def _save_cache(cache_dir: Path | None, name: str, terms: dict[str, tuple[str, bytes]]) -> None:
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        path = _cache_file(cache_dir, name)
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(terms, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)


def prune_cache(cache_dir: Path, keep: Iterable[str], owns: Callable[[str], bool] = lambda _: True) -> int:
    """Remove the cache files of segments not in ``keep`` (closed years, months gone) and
    of older cache formats, among the segments ``owns`` (a year shard's own); returns how
    many.  What Actions carries between builds is then the open months' terms only: a
    closed year changes only when an old article is corrected, and is then tokenised
    again (month by month, on every core: :func:`_warm_years`)."""
    keep = set(keep)
    removed = 0
    for path in cache_dir.iterdir() if cache_dir.is_dir() else []:
        m = _CACHE_NAME_RE.fullmatch(path.name)
        if m is None or not owns(m.group(1)):
            continue
        if path.name != _cache_file(cache_dir, m.group(1)).name or m.group(1) not in keep:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def doc_hash(doc: Doc) -> str:
    return hashlib.sha1(_doc_bytes(doc)).hexdigest()


def build_segment(name: str, docs: list[Doc], outdir: Path, cache_dir: Path | None = None) -> SegmentResult:
    """Tokenise one segment's documents and write its buckets, metadata blocks and days file.

    With ``cache_dir``, each document's terms are kept by content hash, so the daily
    update tokenises only the new edition (jieba is most of the cost).
    """
    docs = sorted(docs, key=sort_key)
    cached = _load_cache(cache_dir, name)
    fresh: dict[str, tuple[str, bytes]] = {}
    postings: dict[str, array] = defaultdict(lambda: array("I"))  # 4 bytes a posting
    dates: dict[str, list[int]] = {}
    for i, doc in enumerate(docs):
        key = doc_hash(doc)
        if key in cached:
            fresh[key] = cached[key]
            terms = unpack_terms(cached[key])
        else:
            terms = doc_terms(doc)
            if cache_dir is not None:
                fresh[key] = pack_terms(terms)
        for term, info in terms.items():
            postings[term].append(i << 8 | info)
        lo_hi = dates.setdefault(doc.date, [i, i])
        lo_hi[1] = i
    encoded = {t: encode_packed(p) for t, p in postings.items()}
    del postings
    # bucket count from the compressed size of the whole segment: a query fetches one
    # bucket per token, so bytes per query ~ compressed size / buckets
    whole = zlib.compressobj(1)
    total = 0
    for t in sorted(encoded):
        total += len(whole.compress(t.encode() + encoded[t]))
    total += len(whole.flush())
    nbuckets = choose_buckets(total)
    log.debug("segment %s: %d bytes compressed (level 1), %d buckets", name, total, nbuckets)
    buckets: list[dict[str, bytes]] = [{} for _ in range(nbuckets)]
    for term, data in encoded.items():
        buckets[bucket_of(term, nbuckets)][term] = data
    del encoded
    segdir = outdir / name
    wanted: set[Path] = set()
    written = size = 0
    for n, bucket in enumerate(buckets):
        path = outdir / bucket_path(name, n)
        data = encode_bucket(bucket)
        wanted.add(path)
        written += write_if_changed(path, data)
        size += len(data)
    for b in range(0, len(docs), META_BLOCK):
        path = outdir / meta_path(name, b // META_BLOCK)
        data = encode_meta([d.record() for d in docs[b:b + META_BLOCK]])
        wanted.add(path)
        written += write_if_changed(path, data)
        size += len(data)
    path = outdir / days_path(name)
    data = encode_days(dates)
    wanted.add(path)
    written += write_if_changed(path, data)
    size += len(data)
    removed = _remove_unwanted(segdir, wanted)
    if cache_dir is not None and not is_open_segment(name):
        # a closed year keeps no terms (its months' caches, merged into it, go too)
        for path in cache_dir.glob(_cache_file(cache_dir, f"{name}-*").name):
            path.unlink(missing_ok=True)
    elif cache_dir is not None and (fresh.keys() != cached.keys()
                                    or not _cache_file(cache_dir, name).exists()):
        _save_cache(cache_dir, name, fresh)
    return SegmentResult(name, len(docs), nbuckets, dates, written, removed, size)


def _remove_unwanted(segdir: Path, wanted: set[Path]) -> int:
    """Remove files of the segment no longer written (and folders of older formats)."""
    removed = 0
    if segdir.is_dir():
        for path in sorted(segdir.rglob("*"), reverse=True):
            if path.is_dir():
                with contextlib.suppress(OSError):
                    path.rmdir()  # only when empty
            elif path not in wanted:
                path.unlink()
                removed += 1
    return removed


# Documents handed to forked workers without pickling them (copy-on-write).
_SEGMENTS: dict[str, list[Doc]] = {}


def _build_worker(args: tuple[str, str, str | None]) -> SegmentResult:
    name, outdir, cache_dir = args
    return build_segment(name, _SEGMENTS[name], Path(outdir), Path(cache_dir) if cache_dir else None)


def _warm_worker(args: tuple[str, str]) -> str:
    month, cache_dir = args
    folder = Path(cache_dir)
    known = _load_cache(folder, month)
    for doc in _SEGMENTS[month]:
        known[doc_hash(doc)] = pack_terms(doc_terms(doc))
    _save_cache(folder, month, known)
    return month


def _warm_years(segments: dict[str, list[Doc]], todo: list[str], cache_dir: Path, workers: int) -> None:
    """Tokenise the uncached documents of closed years month by month, in parallel.

    A closed year is one segment, built by one process; without this, its jieba work
    (the bulk of a cold build) would run on one core.  The month caches written here are
    merged into the year's by :func:`build_segment`.
    """
    months: dict[str, list[Doc]] = defaultdict(list)
    for name in todo:
        if len(name) != 4:
            continue
        known = _load_cache(cache_dir, name)
        for d in segments[name]:
            if doc_hash(d) not in known:
                months[d.date[:7]].append(d)
    if len(months) < 2:
        return
    fastcut()  # the dictionary loaded once, before forking
    _SEGMENTS.clear()
    _SEGMENTS.update(months)
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, initializer=_default_sigterm) as pool:
        for _ in pool.imap_unordered(_warm_worker, [(m, str(cache_dir)) for m in sorted(months)]):
            pass
    _SEGMENTS.clear()


def _default_sigterm() -> None:
    """In a pool worker: SIGTERM kills again.

    Workers fork from the search helper, whose SIGTERM handler raises ``SystemExit``;
    ``Pool.terminate`` (the end of its ``with`` block) sends SIGTERM to idle workers while
    the pool holds the queue's lock.  A worker was seen to survive it, waiting for that lock
    (a test hung; an exception raised where Python swallows it, in a finaliser, would do
    that); with the default action the signal cannot be lost.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


class DocKey(NamedTuple):
    """What deciding whether a document's segment is up to date takes: no text."""

    url: str
    date: str
    page: int
    order: int
    sig: str
    cities: list[str]
    topics: list[str]


@dataclass
class FrozenSegment:
    """A segment whose files and manifest entry are up to date (:func:`freeze_unchanged`):
    what the manifest sums over every document is all that is left of its documents."""

    name: str
    ndocs: int
    cities: Counter
    topics: Counter


@dataclass
class ShardSpec:
    """One process's share of a build split by year (see :func:`stitch_index`).

    ``latest_year`` is the whole archive's, not the shard's: it decides whether a year is
    indexed by month or as one closed segment, which must come out as in a whole build.
    """

    #: The years (``"2023"``) whose documents and segment folders are this shard's.
    years: tuple[str, ...]
    #: The latest year of the whole archive.
    latest_year: str
    #: Where the shard writes its state file (its manifest entries and counts) for the stitch.
    state: Path

    def __post_init__(self) -> None:
        self.years = tuple(str(y) for y in self.years)
        self.latest_year = str(self.latest_year)
        self.state = Path(self.state)

    def owns(self, segment: str) -> bool:
        return segment[:4] in self.years


def freeze_unchanged(items: list[Any], outdir: Path, key: Callable[[Any], DocKey],
                     shard: ShardSpec | None = None) -> tuple[list[Any], list[FrozenSegment]]:
    """(the items of segments to build, the segments that are up to date).

    Only for documents that carry a ``sig`` (a fingerprint of all their fields, from the
    caller's store): a segment whose signature is the manifest's is skipped by
    :func:`build_index`, so its documents need not be made, let alone copied to the
    process that builds the index; a daily update hands over one month of documents, not
    the archive.  ``key`` gives an item's :class:`DocKey`; the items of the segments to
    build keep their order.  With ``shard``, the archive's latest year is the shard's
    ``latest_year`` (the items are its years' only); the manifest is the last stitch's.
    """
    keys = [key(i) for i in items]
    if not keys or not all(k.sig for k in keys):
        return items, []
    latest = shard.latest_year if shard is not None else max(k.date[:4] for k in keys)
    groups: dict[str, list[int]] = defaultdict(list)
    for n, k in enumerate(keys):
        groups[segment_name(k.date, latest)].append(n)
    old_segs = current_segments(Path(outdir) / "index.json")
    build: list[int] = []
    frozen: list[FrozenSegment] = []
    for name, members in groups.items():
        ordered = sorted((keys[n] for n in members), key=lambda k: (k.date, k.page, k.order, k.url))
        sig = _signature(_signed_bytes(k.url, k.sig) for k in ordered)  # as segment_signature does
        if old_segs.get(name, {}).get("sig") == sig and (Path(outdir) / name).is_dir():
            cities: Counter[str] = Counter()
            topics: Counter[str] = Counter()
            for k in ordered:
                cities.update(dict.fromkeys(k.cities, 1))
                topics.update(dict.fromkeys(k.topics, 1))
            frozen.append(FrozenSegment(name, len(members), cities, topics))
        else:
            build.extend(members)
    build.sort()
    return [items[n] for n in build], frozen


def build_index(docs: Iterable[Doc], outdir: Path, workers: int | None = None,
                cache_dir: Path | None = None, frozen: Iterable[FrozenSegment] = (),
                shard: ShardSpec | None = None) -> dict:
    """Build or update ``outdir`` (the ``search/`` folder); returns a summary.

    Segments whose documents did not change since the manifest was written are skipped
    entirely; the others are rebuilt in parallel (one process per core, by segment).
    ``frozen`` are segments the caller found up to date (:func:`freeze_unchanged`), given
    without their documents.

    With ``shard``, ``docs`` and ``frozen`` are the shard's years only: their segments are
    built, only their years' stale folders are removed (other shards own the rest, and may
    be writing them now), and the shard's state file is written instead of ``index.json``
    (which :func:`stitch_index` writes from every shard's state).
    """
    outdir = Path(outdir)
    docs = list(docs)
    frozen = list(frozen)
    if shard is not None:
        _check_owned(shard, docs, frozen)
        latest = shard.latest_year
    else:
        latest = max([*(d.date[:4] for d in docs), *(f.name[:4] for f in frozen)], default="")
    segments: dict[str, list[Doc]] = defaultdict(list)
    cities: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    for d in docs:
        segments[segment_name(d.date, latest)].append(d)
        cities.update(dict.fromkeys(d.cities, 1))
        topics.update(dict.fromkeys(d.topics, 1))
    ndocs = len(docs) + sum(f.ndocs for f in frozen)
    for f in frozen:
        cities.update(f.cities)
        topics.update(f.topics)
    del docs  # the segments hold them now, and let them go once built
    names = sorted([*segments, *(f.name for f in frozen)])
    old_segs = current_segments(outdir / "index.json")
    sigs = {name: segment_signature(sorted(ds, key=sort_key)) for name, ds in segments.items()}
    todo = [name for name in sorted(segments)
            if old_segs.get(name, {}).get("sig") != sigs[name] or not (outdir / name).is_dir()]
    results: dict[str, SegmentResult] = {}
    workers = workers or min(len(todo), os.cpu_count() or 1)
    if todo and cache_dir is not None and workers > 1:
        _warm_years(segments, todo, cache_dir, workers)
    if todo:
        _SEGMENTS.clear()
        _SEGMENTS.update({n: segments[n] for n in todo})
        if workers > 1 and len(todo) > 1:
            fastcut()  # the dictionary loaded once, before forking
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(workers, initializer=_default_sigterm) as pool:
                # largest first (a closed year), so the other worker takes the months meanwhile
                order = sorted(todo, key=lambda n: -len(segments[n]))
                jobs = [(n, str(outdir), str(cache_dir) if cache_dir else None) for n in order]
                for res in pool.imap_unordered(_build_worker, jobs):
                    results[res.name] = res
        else:
            _SEGMENTS.clear()
            for n in todo:  # a built segment's documents are freed (the caller may pass an iterator)
                results[n] = build_segment(n, segments.pop(n), outdir, cache_dir)
        _SEGMENTS.clear()
    seg_entries = []
    for name in names:
        if name in results:
            r = results[name]
            seg_entries.append(segment_entry(r, sigs[name]))
        else:
            seg_entries.append(old_segs[name])
    gone = []
    for path in outdir.iterdir() if outdir.is_dir() else []:
        if (path.is_dir() and path.name not in names and is_segment_name(path.name)
                and (shard is None or shard.owns(path.name))):
            rmtree(path)
            gone.append(path.name)
    if cache_dir is not None:
        prune_cache(cache_dir, [n for n in names if is_open_segment(n)],
                    owns=shard.owns if shard is not None else lambda _: True)
    if shard is None:
        write_if_changed(outdir / "index.json", dumps(manifest(seg_entries, cities, topics)))
    else:
        state = {"v": FORMAT_VERSION, "block": META_BLOCK, "years": list(shard.years),
                 "latest_year": shard.latest_year, "segments": seg_entries,
                 "cities": dict(cities), "topics": dict(topics), "docs": ndocs}
        write_if_changed(shard.state, dumps(state))
    return {"segments": len(names), "rebuilt": sorted(results),
            "files_written": sum(r.written for r in results.values()),
            "files_removed": sum(r.removed for r in results.values()),
            "touched": sorted([*results, *gone]),  # segment folders written or removed: all else is as it was
            "docs": ndocs}


def _check_owned(shard: ShardSpec, docs: list[Doc], frozen: list[FrozenSegment]) -> None:
    """A document of another shard's year would make a segment that two states claim, or
    that another shard's build deletes: refuse it rather than stitch a wrong manifest."""
    for d in docs:
        if d.date[:4] not in shard.years:
            raise ValueError(f"search shard {list(shard.years)}: document {d.url} is dated "
                             f"{d.date!r}, outside the shard's years")
    for f in frozen:
        if not shard.owns(f.name):
            raise ValueError(f"search shard {list(shard.years)}: segment {f.name} is another shard's")


