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


def edition_facts(pages: list[PageFacts]) -> EditionFacts:
    """What all pages of one date agree on; conflicting claims are noted."""
    issues = sorted({p.issue for p in pages if p.issue is not None})
    totals = sorted({p.pages_total for p in pages if p.pages_total is not None})
    notes = []
    if len(issues) > 1:
        notes.append(f"pages of one edition claim different issue numbers {issues}")
    if len(totals) > 1:
        notes.append(f"pages of one edition claim different page counts {totals}")
    present = tuple(sorted({p.page for p in pages if p.page is not None}))
    return EditionFacts(issues[0] if issues else None, totals[-1] if totals else None, present, notes)


def group_by_edition(items: dict[str, PageFacts]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for key, facts in sorted(items.items()):
        groups[facts.date].append(key)
    return dict(groups)
