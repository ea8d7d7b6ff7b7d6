"""The newspaper's structure as plain data: stories, pages, editions, tags.

Pelican hands us one flat list of articles; a newspaper is a tree (edition → page →
story) with cross-links (jumps, tags).  Everything here is a pure function of plain
dataclasses so that it can be tested without Pelican and built once per run, in
dictionaries, in time linear in the number of articles.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from epaper_contract import page_label, split_list
from epaper_contract.slugs import tag_slugs

_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>&|~])")


def plain(value: Any) -> str:
    """Metadata text as the reader should see it: entities and Markdown escapes undone.

    The converter may escape metadata like bodies (``\\*``, ``&lt;``); templates escape
    on output (Jinja autoescape), so the stored value must be the plain text.
    """
    if value is None:
        return ""
    text = str(value).strip()
    return html.unescape(_MD_ESCAPE.sub(r"\1", text))


def to_int(value: Any) -> int | None:
    """Lenient int: '02' -> 2, '' or junk -> None (a bad header must not stop the build)."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def to_bool(value: Any) -> bool:
    return str(value).strip().lower() in {"true", "yes", "1"}


@dataclass
class Story:
    """One article with the facts the site needs, independent of Pelican's classes."""

    slug: str
    title: str
    date: dt.date
    page: int
    order: int
    url: str = ""
    kicker: str = ""
    subtitle: str = ""
    title_inferred: bool = False
    column: str = ""
    authors: list[str] = field(default_factory=list)
    author_role: str = "记者"  # as the byline prints it (本报记者; 作者 for a bare name); 记者 when unsaid
    correspondents: list[str] = field(default_factory=list)
    dateline: str = ""
    issue: int | None = None
    pages: int | None = None
    section: str = ""
    continued_on: int | None = None
    continued_on_slug: str = ""  # the continuation's slug, as the converter paired them
    continued_from: int | None = None
    continued_from_slug: str = ""  # the first part's slug, as the converter paired them
    caption: str = ""
    images: list[str] = field(default_factory=list)  # picture files, relative to the site root
    cities: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    summary: str = ""
    source: str = ""
    paper: str = ""
    paper_slug: str = ""
    # Filled by link_structure():
    prev: Story | None = None
    next: Story | None = None
    jump_on: Story | None = None  # the continued part, when in the archive
    jump_from: Story | None = None
    key: int = 0  # position in archive order, for stable sorting

    @property
    def page_label(self) -> str:
        return page_label(self.page)

    @property
    def slug_tail(self) -> str:
        return slug_tail(self.slug, self.date, self.page)


def slug_tail(slug: str, date: dt.date, page: int) -> str:
    """``20240317-01-shaoxing`` -> ``shaoxing``: the URL already says date and page.

    Falls back to the whole slug when it lacks the prefix (a hand-made slug), so the
    tail is unique within its page exactly when slugs are unique in the archive.
    """
    prefix = f"{date:%Y%m%d}-{page_label(page)}-"
    tail = slug[len(prefix):] if slug.startswith(prefix) else slug
    return tail if tail and tail not in {"index", "page"} else slug


def _site_path(path: str) -> bool:
    """A picture path the site may link: relative, inside the site, no scheme (a hand edit
    could put anything in the metadata)."""
    return bool(path) and not path.startswith(("/", "\\")) and ":" not in path and ".." not in path.split("/")


def story_from_metadata(meta: Mapping[str, Any]) -> Story:
    """Build a Story from a Pelican metadata dict (lower-case keys, as Pelican stores them)."""
    date = meta.get("date")
    if isinstance(date, dt.datetime):
        date = date.date()
    elif not isinstance(date, dt.date):
        date = dt.date.fromisoformat(str(date)[:10])

    def names(key: str) -> list[str]:
        value = meta.get(key)
        if isinstance(value, list | tuple):
            return [plain(v) for v in value if plain(v)]
        return [plain(v) for v in split_list(str(value or "")) if plain(v)]

    page = to_int(meta.get("page")) or 1
    return Story(
        slug=str(meta.get("slug", "")),
        title=plain(meta.get("title")),
        date=date,
        page=page,
        order=to_int(meta.get("order")) or 0,
        kicker=plain(meta.get("kicker")),
        subtitle=plain(meta.get("subtitle")),
        title_inferred=to_bool(meta.get("titleinferred")),
        column=plain(meta.get("column")),
        authors=names("authors"),
        author_role=plain(meta.get("authorrole")) or "记者",
        correspondents=names("correspondents"),
        dateline=plain(meta.get("dateline")),
        issue=to_int(meta.get("issue")),
        pages=to_int(meta.get("pages")),
        section=plain(meta.get("section")),
        continued_on=to_int(meta.get("continuedon")),
        continued_on_slug=plain(meta.get("continuedonslug")),
        continued_from=to_int(meta.get("continuedfrom")),
        continued_from_slug=plain(meta.get("continuedfromslug")),
        caption=plain(meta.get("caption")),
        images=[p for p in names("images") if _site_path(p)],
        cities=names("cities"),
        topics=names("topics"),
        summary=plain(meta.get("summary")),
        source=plain(meta.get("source")),
        paper=plain(meta.get("paper")),
        paper_slug=plain(meta.get("paperslug")),
    )


@dataclass
class EditionPage:
    """A page (版) of one edition, its stories in reading order."""

    date: dt.date
    number: int
    section: str = ""
    stories: list[Story] = field(default_factory=list)
    prev: EditionPage | None = None
    next: EditionPage | None = None
    printed: Any = None  # the page's picture with its stories' areas (printed.PageMap), when it has one

    @property
    def label(self) -> str:
        return page_label(self.number)


@dataclass
class Edition:
    """One day's paper (期)."""

    date: dt.date
    issue: int | None = None
    pages_total: int | None = None
    pages: dict[int, EditionPage] = field(default_factory=dict)
    prev: Edition | None = None
    next: Edition | None = None

    @property
    def page_list(self) -> list[EditionPage]:
        return [self.pages[n] for n in sorted(self.pages)]

    @property
    def stories(self) -> list[Story]:
        return [s for p in self.page_list for s in p.stories]


@dataclass
class Tag:
    """A city, topic or reporter with its stories, newest first."""

    kind: str  # "city" | "topic" | "reporter"
    name: str
    slug: str
    stories: list[Story] = field(default_factory=list)
    #: Stories older than ``stories`` that this build did not load (a daily update keeps the
    #: closed years' part of a list as a count: see daily.py); 0 in a full build.
    earlier: int = 0
    #: A daily update's tag that lists nothing of the latest year: its pages are kept whole.
    carried: bool = False

    @property
    def count(self) -> int:
        return len(self.stories) + self.earlier


@dataclass
class Newspaper:
    """The whole archive, indexed once."""

    editions: dict[dt.date, Edition] = field(default_factory=dict)
    cities: dict[str, Tag] = field(default_factory=dict)  # by slug
    topics: dict[str, Tag] = field(default_factory=dict)
    reporters: dict[str, Tag] = field(default_factory=dict)
    city_slug: dict[str, str] = field(default_factory=dict)  # name -> slug
    topic_slug: dict[str, str] = field(default_factory=dict)
    reporter_slug: dict[str, str] = field(default_factory=dict)

    @property
    def edition_list(self) -> list[Edition]:
        """Oldest first."""
        return [self.editions[d] for d in sorted(self.editions)]

    @property
    def latest(self) -> Edition | None:
        return self.editions[max(self.editions)] if self.editions else None

    def tags(self, kind: str) -> dict[str, Tag]:
        return {"city": self.cities, "topic": self.topics, "reporter": self.reporters}[kind]


TAG_KINDS = ("city", "topic", "reporter")


def archive_order(stories: Iterable[Story]) -> list[Story]:
    """Date, page, reading order, slug: the order names first appear in the archive."""
    ordered = sorted(stories, key=lambda s: (s.date, s.page, s.order, s.slug))
    for i, s in enumerate(ordered):
        s.key = i
    return ordered


def tag_names(story: Story, kind: str) -> list[str]:
    """The names a story is listed under for one tag kind (reporters: authors, then correspondents)."""
    if kind == "city":
        return story.cities
    if kind == "topic":
        return story.topics
    return story.authors + story.correspondents


def build_newspaper(stories: Iterable[Story]) -> Newspaper:
    """Index stories by edition, page and tag in one pass each, and link them.

    A tag's slug is its name's alone (:func:`epaper_contract.slugs.tag_slug`), so one
    year's stories give the slugs the whole archive gives.
    """
    ordered = archive_order(stories)
    paper = Newspaper()
    for s in ordered:
        ed = add_to_edition(paper, s)
        pg = ed.pages.get(s.page)
        if pg is None:
            pg = ed.pages[s.page] = EditionPage(date=s.date, number=s.page)
        pg.section = pg.section or s.section
        pg.stories.append(s)

    index_tags(paper, ordered)
    link_structure(paper)
    return paper


def add_to_edition(paper: Newspaper, story: Any) -> Edition:
    """The story's edition (made when first seen), its issue and page count taken in."""
    ed = paper.editions.get(story.date)
    if ed is None:
        ed = paper.editions[story.date] = Edition(date=story.date)
    ed.issue = ed.issue or story.issue
    ed.pages_total = max(ed.pages_total or 0, story.pages or 0) or None
    return ed


def index_tags(paper: Newspaper, ordered: list) -> None:
    """Cities, topics and reporters with their stories, newest first (``ordered``: archive order)."""
    newest_first = ordered[::-1]
    for kind in TAG_KINDS:
        names = tag_slugs(n for s in ordered for n in tag_names(s, kind))
        getattr(paper, f"{kind}_slug").update(names)
        tags = paper.tags(kind)
        for name, slug in names.items():
            tags[slug] = Tag(kind=kind, name=name, slug=slug)
        for s in newest_first:
            for n in dict.fromkeys(tag_names(s, kind)):
                tags[names[n]].stories.append(s)


def _chain(items: list) -> None:
    for a, b in itertools.pairwise(items):
        a.next, b.prev = b, a


def link_structure(paper: Newspaper) -> None:
    """Previous/next for editions, pages and stories; each part of a jumped story to the
    partner the converter named on it (``ContinuedOnSlug`` on the first part,
    ``ContinuedFromSlug`` on the continuation), when that partner is in its edition on the page
    the part's jump line names (a hand edit could name anything).  Each part links from its own
    header: nothing is paired here."""
    _chain(paper.edition_list)
    for ed in paper.editions.values():
        pages = ed.page_list
        _chain(pages)
        stories = ed.stories
        _chain(stories)
        by_slug = {s.slug: s for s in stories}
        for s in stories:
            on = by_slug.get(s.continued_on_slug) if s.continued_on_slug else None
            if on is not None and on is not s and on.page == s.continued_on:
                s.jump_on = on
            came = by_slug.get(s.continued_from_slug) if s.continued_from_slug else None
            if came is not None and came is not s and came.page == s.continued_from:
                s.jump_from = came
