"""The query algorithm, in Python: the reference for ``theme/static/js/search.js``.

Tests and benchmarks run it over a built ``search/`` folder through a ``fetch`` callable,
so they see exactly the files (and bytes) a browser would fetch:

1. ``index.json`` (segments, shard counts, date ranges);
2. per segment, the shards holding the query's tokens (two-character bigrams covering
   each term, ``w:<term>`` for ranking, ``c:``/``t:`` for filters);
3. candidates = AND of the tokens' postings within a term, AND across terms;
4. ranking from the postings' flags: headline matches, whole-word matches, frequency,
   then newer first;
5. doc files for candidates, in rank order, to check the exact substring (needed only
   when a term is longer than one token and jieba did not cut it as a word there) and
   to show the result.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .index import decode_postings, shard_of
from .text import normalize, query_terms, term_tokens

Fetch = Callable[[str], bytes]


@dataclass
class Hit:
    segment: str
    doc: int
    date: str
    headline: int  # terms found in the headline (probable until the doc is checked)
    words: int  # terms found as whole jieba words
    tf: int
    certain: bool  # every term known to occur without checking the text
    record: dict | None = None

    def key(self) -> tuple:
        return (-self.headline, -self.words, -self.tf, _neg_date(self.date), self.segment, -self.doc)


def _neg_date(date: str) -> str:
    return "".join(chr(0x10FFFF - ord(c)) for c in date)


@dataclass
class Result:
    terms: list[str]
    hits: list[Hit] = field(default_factory=list)
    error: str = ""
    candidates: int = 0


class DirFetcher:
    """Reads files under a ``search/`` folder and counts what a browser would download."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.files: list[str] = []
        self.bytes = 0
        self.gzip_bytes = 0

    def __call__(self, rel: str) -> bytes:
        data = (self.root / rel).read_bytes()
        self.files.append(rel)
        self.bytes += len(data)
        self.gzip_bytes += len(gzip.compress(data, 6))
        return data


def fulltext(rec: dict) -> str:
    """The searchable text of a doc file, as :meth:`Doc.fulltext` built it."""
    return "\n".join(rec[k] for k in ("k", "t", "s", "a", "c", "b") if rec.get(k))


def headline(rec: dict) -> str:
    return "\n".join(rec[k] for k in ("k", "t", "s") if rec.get(k))


def search(fetch: Fetch, query: str, *, city: str = "", topic: str = "", date_from: str = "",
           date_to: str = "", verify: bool = True, limit: int | None = None) -> Result:
    """Every document containing all terms of ``query``, best first.

    With ``limit``, stop checking candidates once ``limit`` confirmed hits are ranked
    (what the browser does for one page of results); otherwise check all.
    """
    import json

    terms = query_terms(query)
    res = Result(terms)
    if not terms:
        res.error = "empty"
        return res
    if any(not term_tokens(t) for t in terms):
        res.error = "too-short"
        return res
    manifest = json.loads(fetch("index.json"))
    filters = ([f"c:{normalize(city)}"] if city else []) + ([f"t:{normalize(topic)}"] if topic else [])
    cands: list[Hit] = []
    for seg in manifest["segments"]:
        days = sorted(seg["dates"])
        if (date_from and days[-1] < date_from) or (date_to and days[0] > date_to):
            continue
        cands.extend(_search_segment(fetch, seg, terms, filters, date_from, date_to))
    cands.sort(key=Hit.key)
    res.candidates = len(cands)
    if not verify:
        res.hits = cands
        return res
    for hit in cands:
        if limit is not None and len(res.hits) >= limit:
            break
        rec = json.loads(fetch(f"{hit.segment}/d/{hit.doc}.json"))
        text = normalize(fulltext(rec))
        if not all(t in text for t in terms):
            continue
        head = normalize(headline(rec))
        hit.headline = sum(t in head for t in terms)
        hit.record = rec
        res.hits.append(hit)
    res.hits.sort(key=Hit.key)
    return res


def _search_segment(fetch: Fetch, seg: dict, terms: list[str], filters: list[str],
                    date_from: str, date_to: str) -> list[Hit]:
    import json

    nshards = seg["shards"]
    plan = {t: term_tokens(t) for t in terms}
    wanted = {tok for toks in plan.values() for tok in toks} | set(filters)
    wanted |= {f"w:{t}" for t in terms if len(t) >= 3}
    shards: dict[int, dict] = {}
    for n in sorted({shard_of(tok, nshards) for tok in wanted}):
        shards[n] = json.loads(fetch(f"{seg['id']}/s/{n}.json"))

    def postings(tok: str) -> dict[int, int]:
        data = shards[shard_of(tok, nshards)].get(tok)
        return dict(decode_postings(data)) if data else {}

    lo, hi = 0, seg["n"] - 1
    days = seg["dates"]
    if date_from:
        lo = min((r[0] for d, r in days.items() if d >= date_from), default=seg["n"])
    if date_to:
        hi = max((r[1] for d, r in days.items() if d <= date_to), default=-1)
    date_of = {i: d for d, (a, b) in days.items() for i in range(a, b + 1)}

    docs: set[int] | None = None
    for f in filters:
        got = set(postings(f))
        docs = got if docs is None else docs & got
    per_term = []
    for term in terms:
        toks = plan[term]
        lists = [postings(tok) for tok in toks]
        found = set(lists[0]).intersection(*lists[1:]) if lists else set()
        docs = found if docs is None else docs & found
        whole = postings(f"w:{term}") if len(term) >= 3 else {}
        per_term.append((term, toks, lists, whole))
    hits = []
    for doc in sorted(docs or ()):
        if not lo <= doc <= hi:
            continue
        head = words = tf = 0
        certain = True
        for term, toks, lists, whole in per_term:
            infos = [lst[doc] for lst in lists]
            exact = len(toks) == 1 and toks[0] == term
            head += all(i & 2 for i in infos)
            if exact:
                words += infos[0] & 1
                tf += infos[0] >> 2
            elif doc in whole:
                words += 1
                tf += whole[doc] >> 2
            else:
                certain = False
                tf += min(i >> 2 for i in infos)
        hits.append(Hit(seg["id"], doc, date_of.get(doc, ""), head, words, tf, certain))
    return hits
