"""The query algorithm, in Python: the reference for ``theme/static/js/search.js``.

Tests and benchmarks run it over a built ``search/`` folder through a ``fetch`` callable,
so they see exactly the files (and bytes) a browser would fetch:

1. ``index.json`` (segments, shard counts, date ranges);
2. per segment, the shards holding the query's tokens (two-character bigrams covering
   each term, ``w:<term>`` for ranking, ``c:``/``t:`` for filters);
3. candidates = AND of the tokens' postings within a term, AND across terms;
4. ranking from the postings' flags: headline matches, whole-word matches, frequency,
   then newer first;
5. for candidates in rank order: their metadata block (url, headline, byline…) and their
   article page, whose ``.story-body`` (and picture caption) give the text to check the
   exact substring (needed only when a term is longer than one token and jieba did not
   cut it as a word there) and to cut the snippet.
"""

from __future__ import annotations

import gzip
import html as htmlmod
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from .index import Doc, decode_meta, decode_postings, decode_shard, shard_of
from .text import junction_tokens, lookup_tokens, normalize, query_terms, term_tokens, whole_word_term

#: Before checking candidates, look at this many of the best: if some need the text
#: check, fetch the terms' junction bigrams (:func:`text.junction_tokens`) and drop the
#: candidates lacking them; each dropped one would have cost an article page.
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


def fulltext(rec: dict) -> str:
    """The searchable text of a result, as :meth:`Doc.fulltext` built it: the metadata
    block's headline and byline, the page's caption and body (``c``, ``b``)."""
    return "\n".join(rec[k] for k in ("k", "t", "s", "a", "c", "b") if rec.get(k))


def headline(rec: dict) -> str:
    return "\n".join(rec[k] for k in ("k", "t", "s") if rec.get(k))


def search(fetch: Fetch, query: str, *, city: str = "", topic: str = "", date_from: str = "",
           date_to: str = "", verify: bool = True, limit: int | None = None,
           fetch_page: Fetch | None = None) -> Result:
    """Every document containing all terms of ``query``, best first.

    ``fetch`` reads a file of the index folder, ``fetch_page`` an article page by its URL
    (default: ``fetch.page``).  With ``limit``, stop checking candidates once ``limit``
    confirmed hits are ranked (what the browser does for one page of results); otherwise
    check all.
    """
    fetch_page = fetch_page or fetch.page
    terms = query_terms(query)
    res = Result(terms)
    if not terms:
        res.error = "empty"
        return res
    if any(not term_tokens(t) for t in terms):
        res.error = "too-short"
        return res
    manifest = json.loads(fetch("index.json"))
    block = manifest["block"]
    filters = ([f"c:{normalize(city)}"] if city else []) + ([f"t:{normalize(topic)}"] if topic else [])
    cands: list[Hit] = []
    shards: dict[str, dict[str, bytes]] = {}  # fetched once per search, as the browser caches
    segs = {}
    for seg in manifest["segments"]:
        days = sorted(seg["dates"])
        if (date_from and days[-1] < date_from) or (date_to and days[0] > date_to):
            continue
        segs[seg["id"]] = seg
        cands.extend(_search_segment(fetch, seg, terms, filters, date_from, date_to, shards))
    cands.sort(key=Hit.key)
    if verify:
        cands = _narrow(fetch, segs, terms, cands, shards)
    res.candidates = len(cands)
    if not verify:
        res.hits = cands
        return res
    blocks: dict[tuple[str, int], list[dict]] = {}
    for hit in cands:
        if limit is not None and len(res.hits) >= limit:
            break
        key = (hit.segment, hit.doc // block)
        if key not in blocks:
            blocks[key] = decode_meta(fetch(f"{hit.segment}/m/{hit.doc // block}.bin"))
        rec = dict(blocks[key][hit.doc % block])
        rec["c"], rec["b"] = page_text(fetch_page(rec["u"]).decode("utf-8"))
        text = normalize(fulltext(rec))
        if not all(t in text for t in terms):
            continue
        head = normalize(headline(rec))
        hit.headline = sum(t in head for t in terms)
        hit.record = rec
        res.hits.append(hit)
    res.hits.sort(key=Hit.key)
    return res


def _postings_of(fetch: Fetch, seg: dict, tokens: set[str], shards: dict[str, dict[str, bytes]]):
    """Fetch the shards holding ``tokens`` in ``seg`` (each once); a postings look-up."""
    nshards = seg["shards"]
    for n in sorted({shard_of(tok, nshards) for tok in tokens}):
        path = f"{seg['id']}/s/{n}.bin"
        if path not in shards:
            shards[path] = decode_shard(fetch(path))

    def postings(tok: str) -> dict[int, int]:
        data = shards[f"{seg['id']}/s/{shard_of(tok, nshards)}.bin"].get(tok)
        return dict(decode_postings(data)) if data else {}

    return postings


def _narrow(fetch: Fetch, segs: dict[str, dict], terms: list[str], cands: list[Hit],
            shards: dict[str, dict[str, bytes]]) -> list[Hit]:
    """Drop candidates lacking a junction bigram of a term they are unsure of.

    Done only when one of the best :data:`NARROW_WINDOW` candidates needs the text check
    (a whole-word term like 集成电路 seldom does; 人才咖啡 does).  Every article holding the
    term holds all its bigrams, so nothing found is lost.
    """
    need = sorted({k for h in cands[:NARROW_WINDOW] for k in h.unsure})
    extra = {k: junction_tokens(terms[k]) for k in need}
    extra = {k: v for k, v in extra.items() if v}
    if not extra:
        return cands
    keep: dict[str, dict[int, set[int]]] = {}
    for sid in sorted({h.segment for h in cands}):
        postings = _postings_of(fetch, segs[sid], {t for v in extra.values() for t in v}, shards)
        keep[sid] = {}
        for k, toks in extra.items():
            docs: set[int] | None = None
            for tok in toks:
                got = set(postings(tok))
                docs = got if docs is None else docs & got
            keep[sid][k] = docs or set()
    return [h for h in cands if all(h.doc in keep[h.segment][k] for k in h.unsure if k in extra)]


def _search_segment(fetch: Fetch, seg: dict, terms: list[str], filters: list[str],
                    date_from: str, date_to: str, shards: dict[str, dict[str, bytes]]) -> list[Hit]:
    plan = {t: lookup_tokens(t) for t in terms}
    wanted = {tok for toks in plan.values() for tok in toks} | set(filters)
    wanted |= {f"w:{t}" for t in terms if whole_word_term(t)}
    postings = _postings_of(fetch, seg, wanted, shards)

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
