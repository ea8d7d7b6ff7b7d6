"""Stage 4, assemble: classified blocks -> :class:`Article` objects.

Where an article starts (a headline, or a dateline lead when the headline was lost),
which byline belongs to whom (orphan bylines after a body are reattached), what is
dropped (masthead, fragments of title graphics: reported with their text).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from converters import segment, subject
from converters.headline import is_short_lead
from converters.model import Article, Block, Credits, Kind, Page
from converters.textutil import ends_sentence


@dataclass(eq=False)
class _OrphanByline:
    """A byline found after an article's body, before the next headline."""

    after: Article
    line: int
    authors: list[str] = field(default_factory=list)
    correspondents: list[str] = field(default_factory=list)
    author_role: str = ""


def assemble(blocks: list[Block], page: Page) -> list[Article]:
    articles: list[Article] = []
    cur: Article | None = None
    closed = False  # the current article ended with a 下转 jump line
    head_id = 0  # the headline (its decks' ``head``) the current article started at
    orphans: list[_OrphanByline] = []
    last_orphan: _OrphanByline | None = None  # a byline after a body, no headline since
    name_sink: list[str] | None = None  # where lone name lines go
    pending_caption: list[Block] = []
    pending_figures: list[Block] = []

    def start(line: int, headline: bool) -> Article:
        nonlocal cur, closed, last_orphan, name_sink, head_id
        art = Article(line=line, headline_in_dump=headline)
        if pending_caption:
            art.caption = " ".join(c.text for c in pending_caption)
            pending_caption.clear()
        art.figures.extend(f.figure for f in pending_figures)
        pending_figures.clear()
        articles.append(art)
        cur, closed, last_orphan, name_sink, head_id = art, False, None, None, 0
        return art

    def open_headless(b: Block, why: str) -> Article:
        orphan = last_orphan
        art = start(b.line, headline=False)
        if orphan is not None:
            # Body after a byline that follows another article: the byline heads this one.
            orphans.remove(orphan)
            art.authors, art.correspondents = orphan.authors, orphan.correspondents
            art.author_role = orphan.author_role
        page.warn("headline-missing", b.line, why=why)
        return art

    for i, b in enumerate(blocks):
        k = b.kind
        if k in (Kind.MASTHEAD, Kind.FOLIO):
            continue
        if k in (Kind.KICKER, Kind.HEADLINE, Kind.SUBTITLE):
            if head_id != b.head or cur is None:
                start(b.line, headline=True)
                head_id = b.head
            if k is Kind.KICKER:
                cur.kicker = f"{cur.kicker} {b.text}".strip()
            elif k is Kind.SUBTITLE:
                cur.subtitle = f"{cur.subtitle} {b.text}".strip()
            elif b.decks is not None:  # the decks the headline rules found in it (one line may hold two)
                cur.title, cur.column = b.decks.title, b.decks.column
                cur.kicker = b.decks.kicker or cur.kicker
                cur.subtitle = b.decks.subtitle or cur.subtitle
            else:
                cur.title = b.text
            continue
        if k in (Kind.FIGURE, Kind.CAPTION):
            # A picture and its caption above a headline belong to the story under it.
            if cur is None or _next_starts_story(blocks, i):
                (pending_figures if k is Kind.FIGURE else pending_caption).append(b)
            elif k is Kind.FIGURE:
                cur.figures.append(b.figure)
            else:
                cur.caption = f"{cur.caption} {b.text}".strip()
            continue
        if k is Kind.CREDIT:
            if cur is None:
                page.warn("orphan-byline-dropped", b.line, dropped=b.text, names=b.text)
            else:
                _credit(cur, b.credits.authors, b.credits.correspondents)
                cur.author_role = cur.author_role or b.credits.role
            continue
        if k is Kind.BYLINE:
            credits = b.credits or Credits()
            names, cors = list(credits.authors), list(credits.correspondents)
            if b.trailing and cur is not None:
                _credit(cur, names, cors)  # a name closing the story it ends
                cur.author_role = cur.author_role or credits.role
                continue
            # (a line naming only correspondents under the reporters' line is the byline's
            # second line: 本报记者 张三 / 本报通讯员 李四)
            if (cur is not None and not cur.has_body and not closed
                    and (not (cur.authors or cur.correspondents) or (cors and not names and not cur.correspondents))):
                cur.authors.extend(names)
                cur.correspondents.extend(cors)
                cur.author_role = cur.author_role or credits.role
                name_sink = cur.correspondents if b.names_follow == "correspondents" else cur.authors
            else:
                orphan = _OrphanByline(after=cur, line=b.line, authors=names, correspondents=cors,
                                       author_role=credits.role)
                orphans.append(orphan)
                last_orphan = orphan
                name_sink = orphan.correspondents if b.names_follow == "correspondents" else orphan.authors
            continue
        if k is Kind.BYLINE_NAME:
            if name_sink is not None:
                name_sink.append(b.text)
            continue
        name_sink = None
        if k is Kind.JUMP:
            if b.jump.direction == "on":
                if cur is None:
                    page.warn("jump-without-article", b.line, text=b.text)
                else:
                    cur.continued_on = b.jump.page
                    closed = True
            else:
                art = cur if cur is not None and not cur.has_body and not closed else start(b.line, False)
                art.continued_from = b.jump.page
            continue
        if k is Kind.FRAGMENT:
            reason = b.fragment_why or "a piece of a title graphic, not body text"
            page.warn("orphan-fragment-dropped", b.line, dropped=b.text, text=b.text, reason=reason)
            continue
        if k is Kind.LEAD:
            if cur is None or closed or cur.has_body or last_orphan is not None:
                cur = open_headless(b, "a new dateline lead")
            if not cur.dateline:
                cur.dateline = b.lead.dateline
            cur.author_role = cur.author_role or b.credits.role
            for name in b.credits.authors:
                if name not in cur.authors:
                    cur.authors.append(name)
            for name in b.credits.correspondents:
                if name not in cur.correspondents:
                    cur.correspondents.append(name)
            cur.body.append(b)
            continue
        # BODY and SUBHEAD
        if cur is None or closed or last_orphan is not None:
            cur = open_headless(b, "body after a jump line" if closed else "body with no headline before it")
        cur.body.append(b)

    for f in pending_figures:  # a picture after the last story: it is the last story's
        if articles:
            articles[-1].figures.append(f.figure)
    for art in articles:
        for fig in art.figures:
            _alt_text(art, fig, page)
    for c in pending_caption:  # a caption and no article after it: nothing to attach it to
        page.warn("orphan-caption-dropped", c.line, dropped=c.text, text=c.text)
    for o in orphans:
        _place_orphan_byline(o, articles, page)
    kept = []
    for a in articles:
        if a.body or a.title:  # body text, subheads or a headline: an article
            kept.append(a)
            continue
        left = " ".join(x for x in (a.caption, *a.authors, *a.correspondents) if x)
        if left:  # a jump line with only a caption or a byline after it
            page.warn("empty-article-dropped", a.line, dropped=left, at=a.line, left=left)
    return kept


_GENERIC_ALT = frozenset({"image", "img", "picture", "figure", "photo", "图", "图片", "照片", "插图"})


def _alt_text(art: Article, fig, page: Page) -> None:
    """A picture's description in the dump: the story's caption when it has none, else noted
    (it is not text of the page, but nothing of the dump goes unmentioned)."""
    alt = fig.alt.strip()
    if not alt or alt.lower() in _GENERIC_ALT:
        return
    if not art.caption:
        art.caption = alt
    elif alt not in art.caption:
        page.info("figure-alt-dropped", fig.line, dropped=alt, alt=alt[:30])


def _next_starts_story(blocks: list[Block], i: int) -> bool:
    """Is the next block past pictures and captions the first line of a headline?"""
    for b in blocks[i + 1:]:
        if b.kind in (Kind.FIGURE, Kind.CAPTION):
            continue
        return b.kind in (Kind.KICKER, Kind.HEADLINE, Kind.SUBTITLE) or (
            b.kind is Kind.JUMP and b.jump is not None and b.jump.direction == "from")
    return False


def _credit(art: Article, authors: list[str], correspondents: list[str]) -> None:
    """Credits that close a story (or name its reporters after a bare 本报记者) join its byline."""
    for n in authors:
        if n not in art.authors:
            art.authors.append(n)
    for n in correspondents:
        if n not in art.correspondents:
            art.correspondents.append(n)


def best_split(art: Article) -> tuple[int, float] | None:
    """Where the body of ``art`` changes subject: (index into art.body, similarity), or None.

    Candidates are sentence ends with body on both sides; the score is the cosine
    similarity of the two halves' content words, the headline counting with the first.
    """
    body = art.body
    if len(body) < 3:
        return None
    head_words = segment.content_words(" ".join(x for x in (art.kicker, art.title, art.subtitle) if x))
    per_block = [subject.words([b]) for b in body]
    left: Counter = Counter()
    for w, x in head_words.items():
        left[w] += 2 * x
    right: Counter = Counter()
    for c in per_block:
        right.update(c)
    # Moving a block from the right half to the left changes the dot product and the
    # norms only for its own words: O(block) per candidate, not O(vocabulary).
    dot = sum(x * right.get(w, 0) for w, x in left.items())
    nl = sum(x * x for x in left.values())
    nr = sum(x * x for x in right.values())
    best: tuple[int, float] | None = None
    for k in range(1, len(body)):
        for w, x in per_block[k - 1].items():
            lw, rw = left[w], right[w]
            dot += x * rw - x * lw - x * x
            nl += 2 * x * lw + x * x
            nr += -2 * x * rw + x * x
            left[w], right[w] = lw + x, rw - x
        prev, nxt = body[k - 1], body[k]
        if nxt.kind is not Kind.BODY or not ends_sentence(prev.text):
            continue
        if sum(1 for b in body[k:] if b.kind is Kind.BODY) < 2:
            continue
        sim = dot / math.sqrt(nl * nr) if nl > 0 and nr > 0 else 0.0
        if is_short_lead(nxt.text):
            sim -= 0.03  # a punchy one-line opening is how features start
        if best is None or sim < best[1]:
            best = (k, sim)
    return best


def _place_orphan_byline(o: _OrphanByline, articles: list[Article], page: Page) -> None:
    names = "、".join(o.authors + o.correspondents) or "(no names)"
    art = o.after
    if art is None:
        page.warn("orphan-byline-dropped", o.line, dropped=names, names=names)
        return
    split = best_split(art) if art.headline_in_dump or art.authors else None
    if split is not None and subject.changed(split[1]):
        k = split[0]
        new = Article(line=art.body[k].line, headline_in_dump=False, authors=o.authors, author_role=o.author_role,
                      correspondents=o.correspondents, body=art.body[k:])
        art.body = art.body[:k]
        articles.insert(articles.index(art) + 1, new)
        page.warn("headline-missing-split", new.line, names=names, at=new.line)
        return
    if art.authors or art.correspondents:
        page.warn("orphan-byline-extra", o.line, names=names)
    else:
        page.warn("orphan-byline-attached", o.line, names=names, at=art.line)
    art.author_role = art.author_role or o.author_role
    for n in o.authors:
        if n not in art.authors:
            art.authors.append(n)
    for n in o.correspondents:
        if n not in art.correspondents:
            art.correspondents.append(n)
