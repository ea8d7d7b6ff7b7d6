"""The edition pass, beside ``link.py``: what a page takes from the other pages of its edition.

A continuation (上接) gets its first part's headline and byline; a first part (下转) names its
continuation's slug; jump lines are checked against the pages present; and a page's *edition
stamp* records what it took, so an incremental run redoes a page when that changes.
"""

from __future__ import annotations

from collections import Counter

from converters.enrich import article_slug
from converters.link import JumpSource, continue_story, pair_jumps
from converters.model import Article, Page, PageFacts


def edition_stamp(editions: dict, jumps_into: dict, continued: dict, facts: PageFacts | None) -> list | None:
    """What a page's files and report take from the rest of its edition (the edition's facts,
    the first parts of its continuations, the continuations of its stories): when it
    changes, the page is redone."""
    if facts is None or facts.date not in editions:
        return None
    ed = editions[facts.date]
    here = facts.page or 0
    return [ed.issue, ed.pages_total, list(ed.pages_present), ed.paper,
            [j.as_list() for j in jumps_into.get((facts.date, here), [])],
            sorted([q, c[here]] for (d, q), c in continued.items() if d == facts.date and c.get(here))]


def check_jump_targets(page: Page, ed, continued: dict) -> None:
    """A jump line names a page: is that page in the archive, and does it carry the story on?"""
    here = page.facts.page or 0
    sent = Counter(a.continued_on for a in page.articles if a.continued_on is not None)
    for art in page.articles:
        for target, word in ((art.continued_on, "jump to"), (art.continued_from, "continued from")):
            if target is not None and target not in ed.pages_present:
                page.warn("jump-target-missing", art.line, word=word, target=target)
        target = art.continued_on
        if target is not None and target in ed.pages_present:
            found = continued.get((page.facts.date, target), Counter()).get(here, 0)
            if found < sent[target]:
                page.warn("jump-continuation-missing", art.line, target=target, page=here, found=found,
                          sent=sent[target])


def link_continuations(page: Page, sources: list[JumpSource], ed,
                        previous: list[dict]) -> tuple[list[Article], list[list]]:
    """Give each continuation on ``page`` (上接第N版) its first part's headline and byline;
    return the articles changed, and for each continuation linked its first part's page and
    order and its own slug (what the first part names, ContinuedOnSlug).  A continuation whose
    first part is not found is reported."""
    conts = [a for a in page.articles if a.continued_from is not None]
    if not conts:
        return [], []
    pairs = pair_jumps(conts, sources)
    paired = {id(a) for a, _ in pairs}
    for art in conts:
        if id(art) not in paired and ed is not None and art.continued_from in ed.pages_present:
            page.warn("jump-unmatched", art.line, from_page=art.continued_from, page=page.facts.page)
    taken = {a.slug: 1 for a in page.articles if id(a) not in paired}
    changed = []
    for art, src in pairs:
        before = (art.title, art.kicker, art.subtitle, list(art.authors), list(art.correspondents),
                  art.title_inferred, art.slug, art.continued_from_slug)
        continue_story(art, src)
        known = next((s["slug"] for s in previous if s["line"] == art.line and s["slug"] not in taken), None)
        art.slug = known or article_slug(art, page.facts.date, page.facts.page or 0, taken)
        page.info("jump-linked", art.line, from_page=src.page, title=src.title, names="、".join(src.authors))
        if before != (art.title, art.kicker, art.subtitle, art.authors, art.correspondents, art.title_inferred,
                      art.slug, art.continued_from_slug):
            changed.append(art)
    return changed, [[src.page, src.order, art.slug] for art, src in pairs]


def page_place(facts: PageFacts | None) -> tuple[str, int] | None:
    return None if facts is None else (facts.date, facts.page or 0)


def continuations_by_page(page_facts: dict[str, PageFacts], links_in: dict[str, list[list]]) -> dict:
    """(date, page) -> ``[order, slug]`` of the continuation of each of its first parts, sorted:
    what the first parts' ContinuedOnSlug say, from the pairs their continuations' pages made."""
    by_page: dict[tuple[str, int], list[list]] = {}
    for key, links in sorted(links_in.items()):
        facts = page_facts.get(key)
        if facts is None:
            continue
        for from_page, order, slug in links:
            by_page.setdefault((facts.date, from_page), []).append([order, slug])
    return {place: sorted(pairs) for place, pairs in by_page.items()}
