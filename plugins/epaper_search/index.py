"""Build the static search index: segments of hashed postings shards plus metadata blocks.

Layout under ``<output>/search/data/``::

    index.json               manifest: segments, their shard counts and date ranges, facets
    <segment>/s/<n>.bin      postings shard n, zlib-compressed: (term, n, n id gaps, n info bytes)*
    <segment>/m/<b>.bin      metadata of documents b*META_BLOCK .. (b+1)*META_BLOCK-1, zlib-compressed
                             JSON list: url, date, page, kicker, title, subtitle, byline, cities, topics

A segment is a month of the latest year (``2024-03``) or a whole closed year (``2023``).

Why this shape: a query needs the postings of a few terms, so terms are spread over
shards by hash and the browser fetches only the shards of its terms; the body text is
not stored again (it is in the article page, which the browser fetches to check a
candidate and cut its snippet).  Segments by month keep the daily update local: a new
edition changes only its month's files, and every file is written only when its bytes
differ, so the rest of the archive keeps bytes and mtime.

``info`` packs ``tf << 2 | headline << 1 | word``: term frequency (capped at 63), whether
the token occurs in the kicker/title/subtitle, and whether jieba cut it as a whole word.
Words of three or more characters get their own postings under ``w:<word>``; cities and
topics under ``c:<name>`` and ``t:<name>`` serve the filters.

A build split by year (:class:`ShardSpec`): each process builds its own years' segment
folders and writes a small state file instead of ``index.json``; :func:`stitch_index`
then writes the manifest from every state file, byte for byte the one a build over all
documents writes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import multiprocessing
import os
import pickle
import re
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from epaper_contract.fastcut import HAN_BLOCK, FastCut
from epaper_contract.files import write_if_changed

from .text import CJK_CLASS, normalize, tokens

FORMAT_VERSION = 4
#: The term cache's format (what :func:`doc_terms` returns), independent of the files'.
CACHE_VERSION = 2
TF_CAP = 63
#: Shards of at most this many bytes, by a fast estimate of the segment's compressed size
#: (zlib level 1 of all its postings, which comes out ~20 % above the files' level-9 total).
#: A query fetches one shard per token per segment; 256 shards for a month of 1,700 articles.
SHARD_TARGET_BYTES = 4096
MIN_SHARDS = 8
MAX_SHARDS = 4096
#: Documents per metadata block (ids in reading order, so a block is a few pages of an edition).
META_BLOCK = 16
ZLEVEL = 9

log = logging.getLogger(__name__)


@dataclass
class Doc:
    """What the index knows of one article (all plain text)."""

    url: str
    date: str
    page: int
    order: int
    title: str
    kicker: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    caption: str = ""
    body: str = ""
    cities: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    #: A fingerprint of all the fields above, when the caller has one (the site plugin's
    #: article store does): hashing it instead of the text lets a build skip unchanged
    #: segments without being handed their bodies (see ``strip_unchanged``).
    sig: str = ""

    def headline(self) -> str:
        return "\n".join(p for p in (self.kicker, self.title, self.subtitle) if p)

    def byline(self) -> str:
        return "、".join(self.authors)

    def fulltext(self) -> str:
        """The searchable text: headline, byline, caption and body, one field per line.

        ``search.js`` builds the same string from a doc file to check a candidate.
        """
        return "\n".join(p for p in (self.kicker, self.title, self.subtitle, self.byline(),
                                     self.caption, self.body) if p)

    def record(self) -> dict:
        """The document's entry in a metadata block: what a result shows besides the snippet.

        No caption or body: the browser takes those from the article page (it fetches the
        page anyway to check the candidate and cut the snippet).
        """
        rec = {"u": self.url, "d": self.date, "p": self.page, "t": self.title, "k": self.kicker,
               "s": self.subtitle, "a": self.byline(), "ci": self.cities, "to": self.topics}
        return {k: v for k, v in rec.items() if v not in ("", [], None)}


def fnv1a(term: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes; ``search.js`` computes the same."""
    h = 0x811C9DC5
    for b in term.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def shard_of(term: str, nshards: int) -> int:
    """The shard of ``term``; a whole-word posting ``w:<word>`` lives with the bigram of the
    word's first two characters, which a query for the word fetches anyway."""
    if term.startswith("w:"):
        term = term[2:4]
    return fnv1a(term) & (nshards - 1)


def _varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


#: varint bytes of the small numbers almost every posting is made of.
_VARINT = [_varint(i) for i in range(1 << 14)]


def encode_postings(entries: list[tuple[int, int]]) -> bytes:
    """``[(doc id, info), ...]`` sorted by id -> varint(n), n varint(id - previous id - 1),
    n info bytes: two streams, so the common cases (gap 0, info 4 or 5) make long runs that
    deflate well (14 % smaller shards than interleaved pairs)."""
    table = _VARINT
    gaps = []
    prev = -1
    for doc, _ in entries:
        delta = doc - prev - 1
        gaps.append(table[delta] if delta < 16384 else _varint(delta))
        prev = doc
    return _varint(len(entries)) + b"".join(gaps) + bytes(info for _, info in entries)


def _encode_packed(packed: Iterable[int]) -> bytes:
    """Postings held as ``doc << 8 | info`` ints (a third of the memory of tuples)."""
    return encode_postings([(v >> 8, v & 0xFF) for v in packed])


def pack_terms(terms: dict[str, int]) -> tuple[str, bytes]:
    """A document's terms for the cache: one string of terms and one byte of info each
    (far smaller than a dict in memory, and unpacked by C code)."""
    return "\n".join(terms), bytes(terms.values())


def unpack_terms(packed: tuple[str, bytes]) -> dict[str, int]:
    return dict(zip(packed[0].split("\n"), packed[1], strict=True)) if packed[0] else {}


def _read_varint(raw: bytes, i: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        b = raw[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return value, i


def decode_postings(raw: bytes) -> list[tuple[int, int]]:
    if not raw:
        return []
    n, i = _read_varint(raw, 0)
    docs = []
    prev = -1
    for _ in range(n):
        delta, i = _read_varint(raw, i)
        prev = prev + 1 + delta
        docs.append(prev)
    return list(zip(docs, raw[i:i + n], strict=True))


def encode_shard(entries: dict[str, bytes]) -> bytes:
    """A shard file: zlib of ``varint(len term) term varint(len postings) postings`` by term.

    The browser inflates it with ``DecompressionStream("deflate")``.
    """
    parts = []
    for term in sorted(entries):
        t = term.encode("utf-8")
        data = entries[term]
        parts += [_varint(len(t)), t, _varint(len(data)), data]
    return zlib.compress(b"".join(parts), ZLEVEL)


def decode_shard(data: bytes) -> dict[str, bytes]:
    raw = zlib.decompress(data)
    out: dict[str, bytes] = {}
    i = 0
    while i < len(raw):
        n, i = _read_varint(raw, i)
        term = raw[i:i + n].decode("utf-8")
        i += n
        n, i = _read_varint(raw, i)
        out[term] = raw[i:i + n]
        i += n
    return out


def encode_meta(records: list[dict]) -> bytes:
    return zlib.compress(dumps(records), ZLEVEL)


def decode_meta(data: bytes) -> list[dict]:
    return json.loads(zlib.decompress(data))


_words_memo: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
_CJK_WORD_RE = re.compile(f"[{CJK_CLASS}]{{2,}}")
_FAST: list = []


def _fastcut():
    """jieba's accurate cut without HMM, word for word, at about half the cost
    (:mod:`epaper_contract.fastcut`), over jieba's own dictionary, loaded from its compact
    copy (:mod:`epaper_contract.jiebatable`: a fifth of jieba's load time, which a daily
    update with a few dozen new articles would otherwise spend most of its index time on)."""
    if not _FAST:
        from epaper_contract.jiebatable import default_table

        freq, total = default_table()
        _FAST.append(FastCut(freq=freq, total=total))
    return _FAST[0]


def _block_words(block: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """jieba's two-character and longer CJK words of one of its blocks, memoised.

    The words are jieba's: :func:`_fastcut` runs jieba's dynamic programme over jieba's
    dictionary and is tested against it word for word.

    jieba cuts a line block by block (runs of ``re_han_default``), each on its own, so
    cutting the blocks one at a time and remembering repeated ones (datelines, set
    phrases, repeated sentences) gives exactly the words of cutting the whole line.
    """
    got = _words_memo.get(block)
    if got is None:
        two, long = [], []
        for w in _fastcut().cut(block, False):
            if _CJK_WORD_RE.fullmatch(w):
                (two if len(w) == 2 else long).append(w)
        got = (tuple(two), tuple(long))
        if len(_words_memo) > 200_000:
            _words_memo.clear()
        _words_memo[block] = got
    return got


def doc_terms(doc: Doc) -> dict[str, int]:
    """Every index term of one document with its packed ``info``."""
    head = normalize(doc.headline())
    full = normalize(doc.fulltext())
    tf = Counter(tokens(full))
    head_tokens = set(tokens(head))
    words: set[str] = set()
    long_words: Counter[str] = Counter()
    for block in HAN_BLOCK.findall(full):
        two, long = _block_words(block)
        words.update(two)
        long_words.update(long)
    out: dict[str, int] = {}
    cap = TF_CAP
    for tok, n in tf.items():
        out[tok] = ((n if n < cap else cap) << 2) | ((tok in head_tokens) << 1) | (tok in words)
    for w, n in long_words.items():
        out["w:" + w] = ((n if n < cap else cap) << 2) | ((w in head) << 1) | 1
    for c in doc.cities:
        out["c:" + normalize(c)] = 0
    for t in doc.topics:
        out["t:" + normalize(t)] = 0
    return out


def segment_key(doc: Doc, latest_year: str) -> str:
    """``YYYY`` for a closed year, ``YYYY-MM`` for the months of the latest year.

    Months keep the daily update small; once a year is over its months merge into one
    segment (one rewrite, in January), so a query over decades fetches one shard per
    token per year instead of twelve.
    """
    return doc.date[:4] if doc.date[:4] < latest_year else doc.date[:7]


def _is_segment_name(name: str) -> bool:
    return bool(re.fullmatch(r"\d{4}(-\d{2})?", name))


def sort_key(doc: Doc) -> tuple:
    return (doc.date, doc.page, doc.order, doc.url)


def dumps(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


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
    h = hashlib.sha256(f"v{FORMAT_VERSION}:{SHARD_TARGET_BYTES}:{META_BLOCK}".encode())
    for c in chunks:
        h.update(c)
        h.update(b"\x02")
    return h.hexdigest()[:20]


def segment_signature(docs: list[Doc]) -> str:
    """The signature of a segment's documents, in :func:`sort_key` order."""
    return _signature(_doc_bytes(d) for d in docs)


def choose_shards(postings_bytes: int) -> int:
    n = MIN_SHARDS
    while n < MAX_SHARDS and postings_bytes / n > SHARD_TARGET_BYTES:
        n *= 2
    return n


@dataclass
class SegmentResult:
    name: str
    ndocs: int
    nshards: int
    dates: dict[str, list[int]]
    written: int
    removed: int
    bytes: int


def _cache_file(cache_dir: Path, name: str) -> Path:
    return cache_dir / f"v{CACHE_VERSION}c2-{name}.pickle"


def _load_cache(cache_dir: Path | None, name: str) -> dict[str, tuple[str, bytes]]:
    """The segment's cached terms; a year segment also takes its months' (the merge)."""
    if cache_dir is None:
        return {}
    out: dict[str, tuple[str, bytes]] = {}
    paths = [_cache_file(cache_dir, name)]
    if len(name) == 4:
        paths += sorted(cache_dir.glob(_cache_file(cache_dir, f"{name}-*").name))
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


def doc_hash(doc: Doc) -> str:
    return hashlib.sha1(_doc_bytes(doc)).hexdigest()


def build_segment(name: str, docs: list[Doc], outdir: Path, cache_dir: Path | None = None) -> SegmentResult:
    """Tokenise one segment's documents and write its shards and metadata blocks.

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
    encoded = {t: _encode_packed(p) for t, p in postings.items()}
    del postings
    # shard count from the compressed size of the whole segment: a query fetches one
    # shard per token, so bytes per query ~ compressed size / shards
    whole = zlib.compressobj(1)
    total = 0
    for t in sorted(encoded):
        total += len(whole.compress(t.encode() + encoded[t]))
    total += len(whole.flush())
    nshards = choose_shards(total)
    log.debug("segment %s: %d bytes compressed (level 1), %d shards", name, total, nshards)
    shards: list[dict[str, bytes]] = [{} for _ in range(nshards)]
    for term, data in encoded.items():
        shards[shard_of(term, nshards)][term] = data
    del encoded
    segdir = outdir / name
    wanted: set[Path] = set()
    written = size = 0
    for n, shard in enumerate(shards):
        path = segdir / "s" / f"{n}.bin"
        data = encode_shard(shard)
        wanted.add(path)
        written += write_if_changed(path, data)
        size += len(data)
    for b in range(0, len(docs), META_BLOCK):
        path = segdir / "m" / f"{b // META_BLOCK}.bin"
        data = encode_meta([d.record() for d in docs[b:b + META_BLOCK]])
        wanted.add(path)
        written += write_if_changed(path, data)
        size += len(data)
    removed = _remove_unwanted(segdir, wanted)
    if cache_dir is not None and (fresh.keys() != cached.keys()
                                  or not _cache_file(cache_dir, name).exists()):
        _save_cache(cache_dir, name, fresh)
        if len(name) == 4:  # a closed year: its months' caches were merged into it
            for path in cache_dir.glob(_cache_file(cache_dir, f"{name}-*").name):
                path.unlink(missing_ok=True)
    return SegmentResult(name, len(docs), nshards, dates, written, removed, size)


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
    _fastcut()  # the dictionary loaded once, before forking
    _SEGMENTS.clear()
    _SEGMENTS.update(months)
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        for _ in pool.imap_unordered(_warm_worker, [(m, str(cache_dir)) for m in sorted(months)]):
            pass
    _SEGMENTS.clear()


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
        groups[k.date[:4] if k.date[:4] < latest else k.date[:7]].append(n)
    old = _read_manifest(Path(outdir) / "index.json")
    old_segs = {s["id"]: s for s in old.get("segments", [])} if old.get("v") == FORMAT_VERSION else {}
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
        segments[segment_key(d, latest)].append(d)
        cities.update(dict.fromkeys(d.cities, 1))
        topics.update(dict.fromkeys(d.topics, 1))
    ndocs = len(docs) + sum(f.ndocs for f in frozen)
    for f in frozen:
        cities.update(f.cities)
        topics.update(f.topics)
    del docs  # the segments hold them now, and let them go once built
    names = sorted([*segments, *(f.name for f in frozen)])
    old = _read_manifest(outdir / "index.json")
    old_segs = {s["id"]: s for s in old.get("segments", [])} if old.get("v") == FORMAT_VERSION else {}
    sigs = {name: segment_signature(sorted(ds, key=sort_key)) for name, ds in segments.items()}
    todo = [name for name in sorted(segments)
            if old_segs.get(name, {}).get("sig") != sigs[name] or not (outdir / name).is_dir()]
    results: dict[str, SegmentResult] = {}
    workers = workers or min(len(todo), os.cpu_count() or 1)
    if cache_dir is not None and cache_dir.is_dir():  # caches of an older term format
        for path in cache_dir.glob("v*c2-*.pickle"):
            if not path.name.startswith(f"v{CACHE_VERSION}c2-"):
                path.unlink(missing_ok=True)
    if todo and cache_dir is not None and workers > 1:
        _warm_years(segments, todo, cache_dir, workers)
    if todo:
        _SEGMENTS.clear()
        _SEGMENTS.update({n: segments[n] for n in todo})
        if workers > 1 and len(todo) > 1:
            _fastcut()  # the dictionary loaded once, before forking
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(workers) as pool:
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
            seg_entries.append({"id": name, "n": r.ndocs, "shards": r.nshards, "dates": r.dates,
                                "sig": sigs[name]})
        else:
            seg_entries.append(old_segs[name])
    for path in outdir.iterdir() if outdir.is_dir() else []:
        if (path.is_dir() and path.name not in names and _is_segment_name(path.name)
                and (shard is None or shard.owns(path.name))):
            _rmtree(path)
    if shard is None:
        write_if_changed(outdir / "index.json", dumps(_manifest(seg_entries, cities, topics)))
    else:
        state = {"v": FORMAT_VERSION, "block": META_BLOCK, "years": list(shard.years),
                 "latest_year": shard.latest_year, "segments": seg_entries,
                 "cities": dict(cities), "topics": dict(topics), "docs": ndocs}
        write_if_changed(shard.state, dumps(state))
    return {"segments": len(names), "rebuilt": sorted(results),
            "files_written": sum(r.written for r in results.values()),
            "files_removed": sum(r.removed for r in results.values()),
            "docs": ndocs}


def _manifest(seg_entries: list[dict], cities: Counter, topics: Counter) -> dict:
    """``index.json``'s content (one definition for a whole build and a stitch)."""
    return {
        "v": FORMAT_VERSION,
        "block": META_BLOCK,
        "segments": seg_entries,
        "cities": sorted(cities.items(), key=lambda kv: (-kv[1], kv[0])),
        "topics": sorted(topics.items(), key=lambda kv: (-kv[1], kv[0])),
    }


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


class StitchError(RuntimeError):
    """The shards' state files cannot make the manifest a whole build would write."""


def _read_state(path: Path) -> dict:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise StitchError(f"search shard state file {path} is missing (did its shard run?)") from err
    except (OSError, ValueError) as err:
        raise StitchError(f"search shard state file {path} is unreadable: {err}") from err
    if not isinstance(state, dict) or not isinstance(state.get("segments"), list):
        raise StitchError(f"search shard state file {path} is not a shard state")
    if state.get("v") != FORMAT_VERSION or state.get("block") != META_BLOCK:
        raise StitchError(f"search shard state file {path} is of another index format "
                          f"(v{state.get('v')}, block {state.get('block')}): rerun its shard")
    return state


def stitch_index(states: list[Path], outdir: Path) -> dict:
    """Write ``outdir/index.json`` from the shards' state files; returns a summary.

    The manifest is the one :func:`build_index` writes over every shard's documents, byte
    for byte: segments by id, cities and topics summed and ordered alike.  Segment folders
    no state lists (a year gone from the archive) are removed.  The states must agree on
    the archive's latest year as their segments show it (months for the latest year only):
    a closed year's state stays valid across New Year, the year before's does not.
    """
    outdir = Path(outdir)
    entries: dict[str, dict] = {}
    owner: dict[str, Path] = {}
    cities: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    ndocs = 0
    for path in map(Path, states):
        state = _read_state(path)
        for entry in state["segments"]:
            name = entry["id"]
            if name in entries:
                raise StitchError(f"segment {name} is in two shard states: {owner[name]} and {path}")
            entries[name], owner[name] = entry, path
        cities.update(state.get("cities", {}))  # a mapping: counts add
        topics.update(state.get("topics", {}))
        ndocs += state.get("docs", 0)
    latest = max((name[:4] for name in entries), default="")
    for name, path in owner.items():
        if (len(name) == 7) != (name[:4] == latest):
            raise StitchError(f"segment {name} of {path} was built for another latest year than "
                              f"{latest} (the latest in any state): rerun that shard with "
                              f"latest_year {latest!r}")
        if not (outdir / name).is_dir():
            raise StitchError(f"segment {name} of {path} has no folder in {outdir}")
    removed = []
    for path in sorted(outdir.iterdir()) if outdir.is_dir() else []:
        if path.is_dir() and path.name not in entries and _is_segment_name(path.name):
            _rmtree(path)
            removed.append(path.name)
    names = sorted(entries)
    written = write_if_changed(outdir / "index.json",
                               dumps(_manifest([entries[n] for n in names], cities, topics)))
    return {"segments": len(names), "docs": ndocs, "states": len(states), "removed": removed,
            "written": written}


def _read_manifest(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def _rmtree(path: Path) -> None:
    for child in sorted(path.rglob("*"), reverse=True):
        child.unlink() if child.is_file() else child.rmdir()
    path.rmdir()
