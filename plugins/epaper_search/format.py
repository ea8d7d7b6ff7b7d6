"""The search index's files: their layout, encodings and the manifest (what ``search.js`` reads).

Layout under ``<output>/search/data/``::

    index.json               manifest: per segment {id, n docs, buckets, from, to, sig}, newest last;
                             cities and topics with counts (for the filters)
    <segment>/days.bin       zlib JSON {day: [first id, last id]}: the segment's editions
    <segment>/b/<n>.bin      postings bucket n, zlib: (term, n, n id gaps, n info bytes)* by term
    <segment>/m/<b>.bin      metadata of documents b*META_BLOCK .. (b+1)*META_BLOCK-1, zlib
                             JSON list: url, date, page, kicker, title, subtitle, byline, cities, topics

A segment is a month of the latest year (``2024-03``) or a whole closed year (``2023``);
segments never overlap in dates, so a query can read them newest first and stop.  Within
a segment, terms are spread over *buckets* by hash (``bucket_of``), so a query fetches only
the buckets of its terms.  The manifest holds a few fields per segment (not every
edition's day), so what a query downloads first does not grow with the archive.

``info`` packs ``tf << 2 | headline << 1 | word``: term frequency (capped at 63), whether
the token occurs in the kicker/title/subtitle, and whether jieba cut it as a whole word.
"""

from __future__ import annotations

import json
import re
import zlib
from collections import Counter
from pathlib import Path

FORMAT_VERSION = 5
#: Buckets of at most this many bytes, by a fast estimate of the segment's compressed size
#: (zlib level 1 of all its postings, which comes out ~20 % above the files' level-9 total).
#: A query fetches one bucket per token per segment it reads; 256 for a month of 1,700 articles.
BUCKET_TARGET_BYTES = 4096
MIN_BUCKETS = 8
MAX_BUCKETS = 4096
#: Documents per metadata block (ids in reading order, so a block is a few pages of an edition).
META_BLOCK = 16
ZLEVEL = 9
TF_CAP = 63


def fnv1a(term: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes; ``search.js`` computes the same."""
    h = 0x811C9DC5
    for b in term.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def bucket_of(term: str, nbuckets: int) -> int:
    """The bucket of ``term``; a whole-word posting ``w:<word>`` lives with the bigram of the
    word's first two characters, which a query for the word fetches anyway."""
    if term.startswith("w:"):
        term = term[2:4]
    return fnv1a(term) & (nbuckets - 1)


def choose_buckets(postings_bytes: int) -> int:
    """The power of two that keeps a bucket near :data:`BUCKET_TARGET_BYTES`."""
    n = MIN_BUCKETS
    while n < MAX_BUCKETS and postings_bytes / n > BUCKET_TARGET_BYTES:
        n *= 2
    return n


def bucket_path(segment: str, n: int) -> str:
    return f"{segment}/b/{n}.bin"


def meta_path(segment: str, block: int) -> str:
    return f"{segment}/m/{block}.bin"


def days_path(segment: str) -> str:
    return f"{segment}/days.bin"


def segment_name(date: str, latest_year: str) -> str:
    """``YYYY`` for a closed year, ``YYYY-MM`` for the months of the latest year.

    Months keep the daily update small; once a year is over its months merge into one
    segment (one rewrite, in January), so a query reading years back fetches one bucket
    per token per year instead of twelve.
    """
    return date[:4] if date[:4] < latest_year else date[:7]


def is_segment_name(name: str) -> bool:
    return bool(re.fullmatch(r"\d{4}(-\d{2})?", name))


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
    deflate well (14 % smaller buckets than interleaved pairs)."""
    table = _VARINT
    gaps = []
    prev = -1
    for doc, _ in entries:
        delta = doc - prev - 1
        gaps.append(table[delta] if delta < 16384 else _varint(delta))
        prev = doc
    return _varint(len(entries)) + b"".join(gaps) + bytes(info for _, info in entries)


def encode_packed(packed) -> bytes:
    """Postings held as ``doc << 8 | info`` ints (a third of the memory of tuples)."""
    return encode_postings([(v >> 8, v & 0xFF) for v in packed])


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


def encode_bucket(entries: dict[str, bytes]) -> bytes:
    """A bucket file: zlib of ``varint(len term) term varint(len postings) postings`` by term.

    The browser inflates it with ``DecompressionStream("deflate")``.
    """
    parts = []
    for term in sorted(entries):
        t = term.encode("utf-8")
        data = entries[term]
        parts += [_varint(len(t)), t, _varint(len(data)), data]
    return zlib.compress(b"".join(parts), ZLEVEL)


def decode_bucket(data: bytes) -> dict[str, bytes]:
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


def encode_days(days: dict[str, list[int]]) -> bytes:
    """A segment's editions: day -> [first id, last id] (ids are in reading order)."""
    return zlib.compress(dumps(days), ZLEVEL)


def decode_days(data: bytes) -> dict[str, list[int]]:
    return json.loads(zlib.decompress(data))


def dumps(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def manifest(seg_entries: list[dict], cities: Counter, topics: Counter) -> dict:
    """``index.json``'s content (one definition for a whole build and a stitch)."""
    return {
        "v": FORMAT_VERSION,
        "block": META_BLOCK,
        "segments": seg_entries,
        "cities": sorted(cities.items(), key=lambda kv: (-kv[1], kv[0])),
        "topics": sorted(topics.items(), key=lambda kv: (-kv[1], kv[0])),
    }


def read_manifest(path: Path) -> dict:
    """The manifest at ``path``, or ``{}`` when there is none (a first build) or it is unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def current_segments(path: Path) -> dict[str, dict]:
    """The manifest's segment entries by id, when it is of this format (else none: rebuild)."""
    old = read_manifest(path)
    return {s["id"]: s for s in old.get("segments", [])} if old.get("v") == FORMAT_VERSION else {}


def rmtree(path: Path) -> None:
    for child in sorted(path.rglob("*"), reverse=True):
        child.unlink() if child.is_file() else child.rmdir()
    path.rmdir()
