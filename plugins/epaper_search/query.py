"""The query algorithm, in Python: the reference for ``theme/static/js/search.js``.

Tests and benchmarks run it over a built ``search/`` folder through a ``fetch`` callable,
so they see exactly the files (and bytes) a browser would fetch.  Results come newest day
first, and within a day by relevance (terms in the headline, as whole jieba words, term
frequency), so a page of results is read from the newest segments only:

1. ``index.json``: the segments (newest first), their bucket counts and first and last
   days; segments outside the date filter are never read;
2. reading a segment: its days file and the buckets holding the query's tokens (bigrams
   covering each term, ``w:<term>`` for ranking, ``c:``/``t:`` for filters); candidates =
   AND of a term's token postings, AND across terms, within the date filter's id range;
   when one of the segment's best candidates needs the text check, the buckets of the
   terms' junction bigrams narrow them (:func:`text.junction_tokens`);
3. checking candidates in rank order, in batches: their metadata block (url, headline,
   byline…) and their article page, whose ``.story-body`` (and picture caption) give the
   text to check the exact substring and to cut the snippet;
4. a page of results is full when ``page_size`` checked hits rank before every candidate
   not yet checked; then reading stops.  Older segments are read on the next page ("more
   results"), at most one year's segments per page, so a rare query does not read the
   whole archive at once.

The count is what is known: the checked hits plus the candidates that need no check
(their postings prove the match), exact only once every segment in range is read and no
candidate is left in doubt (:meth:`Search.count`, :meth:`Search.count_all`).
"""

from __future__ import annotations

import gzip
import html as htmlmod
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from .format import (
    bucket_of,
    bucket_path,
    days_path,
    decode_bucket,
    decode_days,
    decode_meta,
    decode_postings,
    meta_path,
)
from .terms import Doc
from .text import junction_tokens, lookup_tokens, normalize, query_terms, term_tokens, whole_word_term

#: Results a page shows (``search.js``: ``PAGE_SIZE``).
PAGE_SIZE = 10
#: Candidates checked at once (the browser fetches their pages in parallel).
CHECK_BATCH = 10
#: When one of a segment's best this many candidates needs the text check, fetch the
#: terms' junction bigrams and drop the candidates lacking them; each dropped one would
#: have cost an article page.
NARROW_WINDOW = 20

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
    unsure: tuple[int, ...] = ()  # the terms (indexes) that need the check
    record: dict | None = None

    def key(self) -> tuple:
        """Newest day first; within a day headline matches, whole words, frequency, reading order."""
        return (_neg_date(self.date), -self.headline, -self.words, -self.tf, self.doc)


def _neg_date(date: str) -> str:
    return "".join(chr(0x10FFFF - ord(c)) for c in date)


@dataclass
class Result:
    terms: list[str]
    hits: list[Hit] = field(default_factory=list)
    error: str = ""
    #: Candidates of the segments read (before the text check).
    candidates: int = 0
    #: Hits known to exist (checked, or proven by their postings), and whether that is all.
    count: int = 0
    exact: bool = True
    #: Segments read, newest first.
    segments: list[str] = field(default_factory=list)


class DirFetcher:
    """Reads files under a ``search/`` folder and counts what a browser would download.

    ``page(url)`` reads an article page from the site root (by default two folders up:
    ``<site>/search/data``); its bytes count too.
    """

    def __init__(self, root: Path, site: Path | None = None) -> None:
        self.root = Path(root)
        self.site = Path(site) if site is not None else self.root.parent.parent
        self.files: list[str] = []
        self.bytes = 0
        self.gzip_bytes = 0
        self.page_bytes = 0

    def _count(self, rel: str, data: bytes) -> bytes:
        self.files.append(rel)
        self.bytes += len(data)
        self.gzip_bytes += len(gzip.compress(data, 6))
        return data

    def __call__(self, rel: str) -> bytes:
        return self._count(rel, (self.root / rel).read_bytes())

    def page(self, url: str) -> bytes:
        path = self.site / url
        if url.endswith("/") or path.is_dir():
            path = path / "index.html"
        data = self._count(url, path.read_bytes())
        self.page_bytes += len(data)
        return data


# --- the article page: where the body text comes from ------------------------------------------

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})
_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "tr",
                     "blockquote", "figcaption", "section", "article", "pre", "td", "th"})


class _StoryParser(HTMLParser):
    """The text of ``.story-body`` and of ``figure.caption figcaption`` (without its label).

    Cut into lines as :func:`text.html_to_text` cuts the article's HTML when indexing, so
    the check sees the text the index was built from; ``search.js`` walks the DOM the same way.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []  # (tag, role) of open elements
        self.body: list[str] = []
        self.caption: list[str] = []

    def _role(self, tag: str, attrs) -> str:
        classes = (dict(attrs).get("class") or "").split()
        if "story-body" in classes:
            return "body"
        if tag == "figcaption" and any(t == "figure" and r == "figure" for t, r in self.stack):
            return "caption"
        if tag == "figure" and "caption" in classes:
            return "figure"
        if "label" in classes and self._inside() == "caption":
            return "skip"
        return ""

    def _inside(self) -> str:
        for _, role in reversed(self.stack):
            if role in ("body", "caption", "skip"):
                return role
        return ""

    def _out(self) -> list[str] | None:
        where = self._inside()
        return self.body if where == "body" else self.caption if where == "caption" else None

    def handle_starttag(self, tag, attrs) -> None:
        out = self._out()
        if out is not None and tag in _BLOCKS:
            out.append("\n")
        if tag not in _VOID:
            self.stack.append((tag, self._role(tag, attrs)))

    def handle_startendtag(self, tag, attrs) -> None:
        out = self._out()
        if out is not None and tag in _BLOCKS:
            out.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag in _VOID:
            out = self._out()
            if out is not None and tag in _BLOCKS:
                out.append("\n")
            return
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k][0] == tag:
                del self.stack[k:]
                break
        out = self._out()
        if out is not None and tag in _BLOCKS:
            out.append("\n")

    def handle_data(self, data) -> None:
        out = self._out()
        if out is not None:
            out.append(data)


def _lines(parts: list[str]) -> str:
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def page_text(markup: str) -> tuple[str, str]:
    """``(caption, body)`` of an article page, as plain text one block per line."""
    p = _StoryParser()
    p.feed(markup)
    p.close()
    return _lines(p.caption), _lines(p.body)


def story_page(doc: Doc) -> str:
    """A bare article page of the shape ``article.html`` writes: for tests and benchmarks
    that build the index without Pelican."""
    esc = htmlmod.escape
    fig = (f'<figure class="caption"><figcaption><span class="label">图片说明</span>{esc(doc.caption)}'
           "</figcaption></figure>" if doc.caption else "")
    paras = "".join(f"<p>{esc(line)}</p>" for line in doc.body.split("\n"))
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{esc(doc.title)}</title>'
            f'</head><body><main><article class="story"><header class="story-head">'
            f'<h1 id="story-title" class="title">{esc(doc.title)}</h1></header>{fig}'
            f'<div class="story-body">{paras}</div></article></main></body></html>')


def write_story_pages(docs, site: Path) -> None:
    for d in docs:
        path = Path(site) / d.url / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(story_page(d), encoding="utf-8")


#: A bare search page with the elements ``search.js`` uses (``search.html`` has the same ids),
#: at ``<site>/search/``; the script at ``<site>/theme/js/search.js``.
BARE_SEARCH_HTML = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'">
<script src="../theme/js/search.js" defer></script></head><body>
<form id="search-form" data-siteurl="../" data-search-index="data/"><input id="search-q" name="q">
<select id="search-city"></select><select id="search-topic"></select>
<input id="search-from" name="from"><input id="search-to" name="to"></form>
<p id="search-status"></p><ol id="search-results"></ol><button id="search-more" hidden>更多</button>
<button id="search-count" hidden>统计全部</button></body></html>"""


def write_search_page(site: Path, script: Path) -> None:
    """A bare site around an index in ``<site>/search/data``: the search page and ``script``
    (``theme/static/js/search.js``), for tests and benchmarks that run it without Pelican."""
    site = Path(site)
    (site / "search").mkdir(parents=True, exist_ok=True)
    (site / "theme" / "js").mkdir(parents=True, exist_ok=True)
    (site / "theme" / "js" / "search.js").write_bytes(Path(script).read_bytes())
    (site / "search" / "index.html").write_text(BARE_SEARCH_HTML, encoding="utf-8")


def fulltext(rec: dict) -> str:
    """The searchable text of a result, as :meth:`Doc.fulltext` built it: the metadata
    block's headline and byline, the page's caption and body (``c``, ``b``)."""
    return "\n".join(rec[k] for k in ("k", "t", "s", "a", "c", "b") if rec.get(k))


def headline(rec: dict) -> str:
    return "\n".join(rec[k] for k in ("k", "t", "s") if rec.get(k))


class Search:
    """One query, read page by page as ``search.js`` reads it (the same files, in the same order).

    ``more()`` gives the next page of hits; ``count()`` what is known of their number;
    ``count_all()`` reads every segment in range and checks every candidate in doubt, so
    that the count is exact.
    """

    def __init__(self, fetch: Fetch, query: str, *, city: str = "", topic: str = "", date_from: str = "",
                 date_to: str = "", fetch_page: Fetch | None = None, page_size: int = PAGE_SIZE) -> None:
        self.fetch = fetch
        self.fetch_page = fetch_page or fetch.page
        self.terms = query_terms(query)
        self.page_size = page_size
        self.date_from, self.date_to = date_from, date_to
        self.filters = ([f"c:{normalize(city)}"] if city else []) + ([f"t:{normalize(topic)}"] if topic else [])
        self.error = ("empty" if not self.terms
                      else "too-short" if any(not term_tokens(t) for t in self.terms) else "")
        self.todo: list[dict] = []  # segments in range not read yet, newest first
        self.read: list[str] = []
        self.pending: list[Hit] = []  # candidates not checked yet, in rank order
        self.confirmed: list[Hit] = []  # checked hits, in rank order
        self.candidates = 0
        self.shown = 0
        self._buckets: dict[str, dict[str, bytes]] = {}  # fetched once per search, as the browser caches
        self._blocks: dict[str, list[dict]] = {}
        if self.error:
            return
        manifest = json.loads(fetch("index.json"))
        self.block = manifest["block"]
        self.todo = sorted((s for s in manifest["segments"] if s["n"] and _in_range(s, date_from, date_to)),
                           key=lambda s: s["id"], reverse=True)

    # -- what can be shown, what is known ------------------------------------------------------

    def ready(self) -> list[Hit]:
        """The checked hits that rank before every candidate not checked yet (a candidate's
        rank only falls when checked: its headline flag may have been a coincidence of bigrams)."""
        if not self.pending:
            return self.confirmed
        first = self.pending[0].key()
        return [h for h in self.confirmed if h.key() < first]

    def done(self) -> bool:
        return not self.todo and not self.pending and self.shown >= len(self.confirmed)

    def count(self) -> tuple[int, bool]:
        """(hits known to exist, whether that is all of them)."""
        known = len(self.confirmed) + sum(h.certain for h in self.pending)
        return known, not self.todo and all(h.certain for h in self.pending)

    # -- reading ------------------------------------------------------------------------------

    def more(self) -> list[Hit]:
        """The next page: hits ranked after those given so far, at most ``page_size``.

        Reads segments newest first only while the page is not full, and within one year
        (the year of the first segment it reads): the next call goes on with older years.
        """
        target = self.shown + self.page_size
        year = ""
        while True:
            ready = len(self.ready())
            if ready >= target:
                break
            if self.pending:
                self._check(self.pending[:max(CHECK_BATCH, target - ready)])
            elif self.todo and (not year or self.todo[0]["id"][:4] == year):
                year = year or self.todo[0]["id"][:4]
                self._read(self.todo.pop(0))
            else:
                break
        hits = self.ready()[self.shown:target]
        self.shown += len(hits)
        return hits

    def count_all(self) -> tuple[int, bool]:
        """Read every segment in range and check every candidate in doubt: the exact count."""
        while self.todo:
            self._read(self.todo.pop(0))
        while True:
            unsure = [h for h in self.pending if not h.certain]
            if not unsure:
                break
            self._check(unsure[:CHECK_BATCH])
        return self.count()

    def _bucket(self, path: str) -> dict[str, bytes]:
        if path not in self._buckets:
            self._buckets[path] = decode_bucket(self.fetch(path))
        return self._buckets[path]

    def _postings(self, seg: dict, tokens: set[str]):
        """Fetch the buckets holding ``tokens`` in ``seg`` (each once); a postings look-up."""
        n = seg["buckets"]
        for b in sorted({bucket_of(tok, n) for tok in tokens}):
            self._bucket(bucket_path(seg["id"], b))

        def postings(tok: str) -> dict[int, int]:
            data = self._buckets[bucket_path(seg["id"], bucket_of(tok, n))].get(tok)
            return dict(decode_postings(data)) if data else {}

        return postings

    def _read(self, seg: dict) -> None:
        """A segment's candidates, ranked and narrowed, appended to the pending ones (the
        segment is older than every segment read before, so they all rank after)."""
        days = decode_days(self.fetch(days_path(seg["id"])))
        cands = sorted(_candidates(seg, days, self.terms, self.filters, self.date_from, self.date_to,
                                   self._postings), key=Hit.key)
        cands = self._narrow(seg, cands)
        self.read.append(seg["id"])
        self.candidates += len(cands)
        self.pending.extend(cands)

    def _narrow(self, seg: dict, cands: list[Hit]) -> list[Hit]:
        """Drop candidates lacking a junction bigram of a term they are unsure of.

        Done only when one of the segment's best :data:`NARROW_WINDOW` candidates needs the
        text check (a whole-word term like 集成电路 seldom does; 人才咖啡 does).  Every article
        holding the term holds all its bigrams, so nothing found is lost.
        """
        need = sorted({k for h in cands[:NARROW_WINDOW] for k in h.unsure})
        extra = {k: junction_tokens(self.terms[k]) for k in need}
        extra = {k: v for k, v in extra.items() if v}
        if not extra:
            return cands
        postings = self._postings(seg, {t for v in extra.values() for t in v})
        keep: dict[int, set[int]] = {}
        for k, toks in extra.items():
            docs: set[int] | None = None
            for tok in toks:
                got = set(postings(tok))
                docs = got if docs is None else docs & got
            keep[k] = docs or set()
        return [h for h in cands if all(h.doc in keep[k] for k in h.unsure if k in extra)]

    def _check(self, batch: list[Hit]) -> None:
        """Check candidates against their text (metadata block and article page); keep the hits."""
        if all(a is b for a, b in zip(self.pending, batch, strict=False)):  # the usual case: the first ones
            self.pending = self.pending[len(batch):]
        else:
            done = {id(h) for h in batch}
            self.pending = [h for h in self.pending if id(h) not in done]
        for hit in batch:
            path = meta_path(hit.segment, hit.doc // self.block)
            if path not in self._blocks:
                self._blocks[path] = decode_meta(self.fetch(path))
            rec = dict(self._blocks[path][hit.doc % self.block])
            rec["c"], rec["b"] = page_text(self.fetch_page(rec["u"]).decode("utf-8"))
            text = normalize(fulltext(rec))
            if not all(t in text for t in self.terms):
                continue
            head = normalize(headline(rec))
            hit.headline = sum(t in head for t in self.terms)
            hit.record = rec
            self.confirmed.append(hit)
        self.confirmed.sort(key=Hit.key)


def _in_range(seg: dict, date_from: str, date_to: str) -> bool:
    """Whether ``seg`` has editions between the dates (either may be empty: no bound)."""
    return not ((date_from and seg["to"] < date_from) or (date_to and seg["from"] > date_to))


def search(fetch: Fetch, query: str, *, city: str = "", topic: str = "", date_from: str = "",
           date_to: str = "", limit: int | None = None, fetch_page: Fetch | None = None) -> Result:
    """Every document containing all terms of ``query``, in rank order (newest first).

    ``fetch`` reads a file of the index folder, ``fetch_page`` an article page by its URL
    (default: ``fetch.page``).  With ``limit``, the first page of at most that many results,
    reading what the browser reads for it (so at most the latest year: fewer results when it
    has fewer); otherwise every page, up to the last.
    """
    s = Search(fetch, query, city=city, topic=topic, date_from=date_from, date_to=date_to,
               fetch_page=fetch_page, page_size=limit or PAGE_SIZE)
    res = Result(s.terms, error=s.error)
    if s.error:
        return res
    if limit is not None:
        res.hits = s.more()
    else:
        while not s.done():
            res.hits += s.more()
    res.candidates = s.candidates
    res.count, res.exact = s.count()
    res.segments = list(s.read)
    return res


def _candidates(seg: dict, days: dict[str, list[int]], terms: list[str], filters: list[str],
                date_from: str, date_to: str, lookup) -> list[Hit]:
    """The documents of ``seg`` whose postings hold every token of every term and filter,
    with their probable rank."""
    plan = {t: lookup_tokens(t) for t in terms}
    wanted = {tok for toks in plan.values() for tok in toks} | set(filters)
    wanted |= {f"w:{t}" for t in terms if whole_word_term(t)}
    postings = lookup(seg, wanted)

    lo, hi = 0, seg["n"] - 1
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
        whole = postings(f"w:{term}") if whole_word_term(term) else {}
        per_term.append((term, toks, lists, whole))
    hits = []
    for doc in sorted(docs or ()):
        if not lo <= doc <= hi:
            continue
        head = words = tf = 0
        unsure = []
        for k, (term, toks, lists, whole) in enumerate(per_term):
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
                unsure.append(k)
                tf += min(i >> 2 for i in infos)
        hits.append(Hit(seg["id"], doc, date_of.get(doc, ""), head, words, tf, not unsure, tuple(unsure)))
    return hits
