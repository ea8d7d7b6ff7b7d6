"""Year shards: one Pelican process per year of the archive, and a stitch for what spans years.

A build of the whole archive in one process costs every build something per year kept (at
ten years a daily update spends ~25 s loading and indexing 200,000 stored articles before
it renders one page).  With ``tools/shards.py`` each year is built by its own process and
only the years whose inputs changed are built at all; one more process, the *stitch*,
writes the pages that list several years (city/topic/reporter lists and indexes, the
archive calendar, feeds, the sitemap, the search manifest, 404, robots) from small
per-year summaries.  The output is byte for byte what the one-process build writes
(``tests/builds/test_shards.py`` checks it), because every shard sees what that build would:

- **slugs** of tags depend on the name alone (``epaper_contract.slugs.tag_slug``), so a
  year names its tags without knowing the others;
- **editions** link to their neighbours: the first and last edition of a year get the
  dates of the previous year's last and the next year's first edition (``before``/``after``);
- **the latest year** renders the home page, and the search index splits it into months.

The setting ``EPAPER_SHARD`` (a dict; absent for a whole-archive build) says which part a
process plays: ``role`` is ``"year"`` (render the year) or ``"stitch"``.  Files live in
``state``: ``edges-<year>.json`` (the year's first and last edition, for its neighbours)
and ``summary-<year>.pickle`` per year.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from epaper_contract.files import atomic_write

from . import settings as epaper_settings
from .model import Edition, Newspaper, Story, add_to_edition, index_tags

SUMMARY_VERSION = 2


@dataclass(frozen=True)
class ShardRole:
    """What ``EPAPER_SHARD`` asks of this process (see the module docstring)."""

    role: str  # "year" | "stitch"
    state: Path
    year: int | None = None
    latest_year: int | None = None
    before: dt.date | None = None  # the last edition before this year
    after: dt.date | None = None  # the first edition after it
    stamp: str = ""  # the orchestrator's digest of the year's content files
    years: tuple[int, ...] = field(default=())  # stitch: every year of the archive

    @property
    def is_latest(self) -> bool:
        return self.year is not None and self.year == self.latest_year


def role_of(settings: dict[str, Any]) -> ShardRole | None:
    """The shard this process builds, or None for a build of the whole archive."""
    spec = epaper_settings.get(settings, "EPAPER_SHARD")
    if not spec:
        return None
    role = spec.get("role")
    if role not in {"year", "stitch"}:
        raise ValueError(f"EPAPER_SHARD: unknown role {role!r} (year or stitch)")

    def day(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    return ShardRole(role=role, state=Path(spec["state"]), year=spec.get("year"),
                     latest_year=spec.get("latest_year"), before=day(spec.get("before")),
                     after=day(spec.get("after")), stamp=spec.get("stamp", ""),
                     years=tuple(spec.get("years", ())))


# -- the year's edges ---------------------------------------------------------------------------

def edges_path(state: Path, year: int) -> Path:
    return state / f"edges-{year}.json"


def write_edges(state: Path, year: int, stamp: str, stories: list[Story]) -> None:
    """The year's first and last edition's dates (the neighbours of the years around it), as
    its articles say them (the orchestrator's first guess is its folders' names)."""
    dates = [s.date for s in stories]
    data = {"year": year, "stamp": stamp,
            "first": min(dates).isoformat() if dates else None, "last": max(dates).isoformat() if dates else None}
    atomic_write(edges_path(state, year), json.dumps(data, sort_keys=True).encode("utf-8"))


def read_edges(state: Path, year: int) -> dict[str, Any] | None:
    """A year's edges file, or None when it is missing or unreadable."""
    try:
        data = json.loads(edges_path(state, year).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("year") == year else None


# -- editions at the edges of a year --------------------------------------------------------------

def attach_neighbours(paper: Newspaper, before: dt.date | None, after: dt.date | None) -> None:
    """Link the year's first and last edition to the editions of the years around it.

    Only their dates are shown (上一期/下一期), so a bare :class:`Edition` stands in.
    """
    eds = paper.edition_list
    if not eds:
        return
    if before is not None:
        eds[0].prev = Edition(date=before)
    if after is not None:
        eds[-1].next = Edition(date=after)


# -- the year's summary for the stitch --------------------------------------------------------------

class ListedStory:
    """A story as the stitch needs it: what list pages show, what picks a feed's articles and
    what their keys hold.  Slotted, and a tenth of a :class:`Story`: the stitch of ten
    years holds 200,000 of them."""

    __slots__ = (
        "authors",
        "cities",
        "correspondents",
        "date",
        "issue",
        "order",
        "page",
        "pages",
        "slug",
        "title",
        "title_inferred",
        "topics",
        "url",
    )

    def __init__(self, slug: str, title: str, title_inferred: bool, date: dt.date, page: int, order: int,
                 url: str, cities: list[str], topics: list[str], authors: list[str], correspondents: list[str],
                 issue: int | None, pages: int | None) -> None:
        self.slug, self.title, self.title_inferred, self.date = slug, title, title_inferred, date
        self.page, self.order, self.url = page, order, url
        self.cities, self.topics, self.authors, self.correspondents = cities, topics, authors, correspondents
        self.issue, self.pages = issue, pages


def listing_row(s: Story) -> tuple:
    """A story's :class:`ListedStory` fields as plain values (the date as its ordinal)."""
    return (s.slug, s.title, s.title_inferred, s.date.toordinal(), s.page, s.order, s.url, s.cities, s.topics,
            s.authors, s.correspondents, s.issue, s.pages)


def build_listing(stories: list[ListedStory]) -> Newspaper:
    """The stitch's newspaper: editions (their facts, no pages) and tags, as
    :func:`.model.build_newspaper` makes them from the same stories (same slugs, same order)."""
    ordered = sorted(stories, key=lambda s: (s.date, s.page, s.order, s.slug))
    paper = Newspaper()
    for s in ordered:
        add_to_edition(paper, s)
    index_tags(paper, ordered)
    return paper


def summary_path(state: Path, year: int) -> Path:
    return state / f"summary-{year}.pickle"


def write_summary(state: Path, year: int, records: list[Any], sitemap_entries: dict) -> None:
    """What the stitch needs of a year: each article's listing, fingerprint and source (the
    store of the year's shard gives a feed its HTML), and the year's sitemap entries."""
    rows = [(listing_row(r.story), r.fingerprint, r.source) for r in records]
    data = {"v": SUMMARY_VERSION, "year": year, "stories": rows, "sitemap": dict(sitemap_entries)}
    atomic_write(summary_path(state, year), pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


def listed_stories(rows: list[tuple]) -> list[tuple[ListedStory, str, str]]:
    """(story, fingerprint, source) from a summary's rows."""
    days: dict[int, dt.date] = {}
    out = []
    for row, fingerprint, source in rows:
        day = days.get(row[3])
        if day is None:
            day = days[row[3]] = dt.date.fromordinal(row[3])
        out.append((ListedStory(*row[:3], day, *row[4:]), fingerprint, source))
    return out


def read_summary(state: Path, year: int) -> dict[str, Any]:
    path = summary_path(state, year)
    try:
        data = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError, TypeError) as err:
        raise RuntimeError(f"epaper: stitch: the summary of {year} cannot be read ({path}: {err}); "
                           "remove that file and build again (the year is then built again)") from err
    if data.get("v") != SUMMARY_VERSION or data.get("year") != year:
        raise RuntimeError(f"epaper: stitch: {path} is of another version; "
                           "remove that file and build again (the year is then built again)")
    return data
