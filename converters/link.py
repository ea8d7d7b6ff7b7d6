"""Stage 7, link: facts agreed across sources and across the pages of an edition.

Date, paper, issue and page come from the masthead when the dump has one, else from
the file's path, else from the command line; disagreement is reported.  The front
page's issue number and page count are the edition's, so inner pages get them too.
Jump lines are checked against the pages the archive holds.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, fields
from pathlib import PurePath

from converters.model import PageFacts

_PATH_DATE_PAGE = re.compile(
    r"(?:^|[/\\])(?:(?P<paper>[A-Za-z][\w-]*?)[/\\-])?(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})"
    r"(?:[/\\]|-)(?P<page>\d{1,3})\.[A-Za-z0-9]+$")


def facts_from_path(path: str) -> PageFacts:
    """``raw/zjrb/2024-03-17/01.txt`` or ``zjrb-2024-03-17-01.txt`` -> date and page."""
    m = _PATH_DATE_PAGE.search(PurePath(path).as_posix())
    if not m:
        return PageFacts()
    return PageFacts(date=f"{m['y']}-{m['m']}-{m['d']}", page=int(m["page"]))


@dataclass
class Agreement:
    facts: PageFacts
    disagreements: list[str]


def agree(masthead: PageFacts, path: PageFacts, options: PageFacts) -> Agreement:
    """Merge in order of trust: masthead, then path, then options; list disagreements."""
    out = PageFacts()
    notes: list[str] = []
    sources = (("masthead", masthead), ("path", path), ("options", options))
    for f in fields(PageFacts):
        chosen = None
        chosen_from = ""
        for name, facts in sources:
            value = getattr(facts, f.name)
            if value in (None, ""):
                continue
            if chosen is None:
                chosen, chosen_from = value, name
            elif value != chosen:
                notes.append(f"{f.name}: {chosen_from} says {chosen}, {name} says {value}; using {chosen_from}")
        if chosen is not None:
            setattr(out, f.name, chosen)
    return Agreement(out, notes)


@dataclass
class EditionFacts:
    issue: int | None
    pages_total: int | None
    pages_present: tuple[int, ...]
    notes: list[str]
    paper: str = ""  # the paper's name as a masthead of the edition prints it


def edition_facts(pages: list[PageFacts], mastheads: list[str] | None = None) -> EditionFacts:
    """What all pages of one date agree on; conflicting claims are noted.  ``mastheads``: the
    paper names the edition's mastheads print (an inner page's folio has none)."""
    issues = sorted({p.issue for p in pages if p.issue is not None})
    totals = sorted({p.pages_total for p in pages if p.pages_total is not None})
    names = sorted({m for m in mastheads or () if m})
    notes = []
    if len(issues) > 1:
        notes.append(f"pages of one edition claim different issue numbers {issues}")
    if len(totals) > 1:
        notes.append(f"pages of one edition claim different page counts {totals}")
    if len(names) > 1:
        notes.append(f"mastheads of one edition name different papers {names}")
    present = tuple(sorted({p.page for p in pages if p.page is not None}))
    return EditionFacts(issues[0] if issues else None, totals[-1] if totals else None, present, notes,
                        names[0] if names else "")


@dataclass(frozen=True)
class JumpSource:
    """The first part of a story that jumps to another page (下转): what its continuation lacks."""

    page: int
    order: int
    to: int
    title: str
    kicker: str = ""
    subtitle: str = ""
    column: str = ""
    title_inferred: bool = False
    authors: tuple[str, ...] = ()
    correspondents: tuple[str, ...] = ()
    author_role: str = ""

    @classmethod
    def of(cls, page: int, art) -> JumpSource:
        return cls(page=page, order=art.order, to=art.continued_on, title=art.title, kicker=art.kicker,
                   subtitle=art.subtitle, column=art.column, title_inferred=art.title_inferred,
                   authors=tuple(art.authors), correspondents=tuple(art.correspondents),
                   author_role=art.author_role)

    def as_list(self) -> list:
        return [self.page, self.order, self.to, self.title, self.kicker, self.subtitle, self.column,
                self.title_inferred, list(self.authors), list(self.correspondents), self.author_role]

    @classmethod
    def from_list(cls, v: list) -> JumpSource:
        return cls(*v[:8], authors=tuple(v[8]), correspondents=tuple(v[9]), author_role=v[10])


def pair_jumps(continuations: list, sources: list[JumpSource]) -> list[tuple[object, JumpSource]]:
    """Continuations on one page (上接第N版) with the first parts that jump to it from page N:
    a continuation that prints a title takes the part of that title, the others go in
    reading order (the order the jump lines are printed in)."""
    pairs = []
    free = sorted(sources, key=lambda s: (s.page, s.order))
    rest = []
    for art in continuations:
        same = next((s for s in free if s.page == art.continued_from and art.headline_in_dump
                     and s.title == art.title), None)
        if same is not None:
            pairs.append((art, same))
            free.remove(same)
        else:
            rest.append(art)
    for art in rest:
        src = next((s for s in free if s.page == art.continued_from), None)
        if src is not None:
            pairs.append((art, src))
            free.remove(src)
    return pairs


def continue_story(art, src: JumpSource) -> None:
    """The continuation is the same story: its headline and byline are the first part's
    (the later page prints neither, or only a short jump title)."""
    if not art.headline_in_dump or art.title_inferred:
        art.title, art.kicker, art.subtitle, art.column = src.title, src.kicker, src.subtitle, src.column
        art.title_inferred = src.title_inferred
        art.headline_in_dump = True
    if not art.authors and not art.correspondents:
        art.authors, art.correspondents = list(src.authors), list(src.correspondents)
        art.author_role = src.author_role


def group_by_edition(items: dict[str, PageFacts]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for key, facts in sorted(items.items()):
        groups[facts.date].append(key)
    return dict(groups)
