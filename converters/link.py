"""Stage 7, link: facts agreed across sources and across the pages of an edition.

Date, paper, issue and page come from the masthead when the dump has one, else from
the file's path, else from the command line; disagreement is reported.  The front
page's issue number and page count are the edition's, so inner pages get them too.
Jump lines are checked against the pages the archive holds.
"""

from __future__ import annotations

import datetime
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
    disagreements: list[dict]  # params of a facts-disagree message


_WEEKDAYS = "一二三四五六日"
_LUNAR_MONTH = {"冬": "十一", "腊": "十二", "正": "一"}


def _weekday_fits(date: str, weekday: str) -> bool:
    day = weekday[-1:].replace("天", "日")
    return datetime.date.fromisoformat(date).weekday() == _WEEKDAYS.index(day) if day in _WEEKDAYS else True


def _lunar_fits(date: str, lunar: str) -> bool:
    """``农历甲辰年二月初八`` against the date's lunar date (lunar-python's calendar)."""
    from lunar_python import Solar

    y, m, d = map(int, date.split("-"))
    lu = Solar.fromYmd(y, m, d).getLunar()
    month = lu.getMonthInChinese()
    leap = month.startswith("闰")
    month = month.lstrip("闰")
    month = _LUNAR_MONTH.get(month, month)
    text = lunar.removeprefix("农历").replace("冬月", "十一月").replace("腊月", "十二月").replace("正月", "一月")
    text = re.sub(r"二十(?=[一二三四五六七八九])", "廿", text)  # 二十一 as the calendar's 廿一
    want = f"{'闰' if leap else ''}{month}月{lu.getDayInChinese()}"
    if "年" in text:
        year, _, text = text.partition("年")
        if year and year != lu.getYearInGanZhi():
            return False
    return text == want


def masthead_date_check(masthead: PageFacts, path: PageFacts) -> tuple[str, dict | None]:
    """The edition date to trust, and the params of a warning when the masthead's date does
    not fit the weekday and lunar date it prints beside it (a typo: 3-12 for 3-21).  The
    folder's date wins when those fit it instead."""
    if not masthead.date or not (masthead.weekday or masthead.lunar):
        return masthead.date, None
    try:
        def wrong(date: str) -> list[str]:
            bad = []
            if masthead.weekday and not _weekday_fits(date, masthead.weekday):
                bad.append("weekday")
            if masthead.lunar and not _lunar_fits(date, masthead.lunar):
                bad.append("lunar date")
            return bad

        bad = wrong(masthead.date)
        if not bad:
            return masthead.date, None
        checks = " and ".join(bad).replace("weekday and lunar date", "weekday and lunar date")
        if path.date and path.date != masthead.date and not wrong(path.date):
            return path.date, {"code": "masthead-date-suspect", "masthead": masthead.date, "path": path.date,
                               "checks": checks}
        return masthead.date, {"code": "masthead-date-inconsistent", "masthead": masthead.date, "checks": checks}
    except (ValueError, IndexError):  # an impossible date: reported as bad-date later
        return masthead.date, None


def agree(masthead: PageFacts, path: PageFacts, options: PageFacts) -> Agreement:
    """Merge in order of trust: masthead, then path, then options; list disagreements."""
    out = PageFacts()
    notes: list[dict] = []
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
                notes.append({"field": f.name, "first": chosen_from, "first_value": str(chosen), "second": name,
                              "second_value": str(value)})
        if chosen is not None:
            setattr(out, f.name, chosen)
    return Agreement(out, notes)


@dataclass
class EditionFacts:
    issue: int | None
    pages_total: int | None
    pages_present: tuple[int, ...]
    notes: list[dict]
    paper: str = ""  # the paper's name as a masthead of the edition prints it


def edition_facts(pages: list[PageFacts], mastheads: list[str] | None = None) -> EditionFacts:
    """What all pages of one date agree on; conflicting claims are noted.  ``mastheads``: the
    paper names the edition's mastheads print (an inner page's folio has none)."""
    issues = sorted({p.issue for p in pages if p.issue is not None})
    totals = sorted({p.pages_total for p in pages if p.pages_total is not None})
    names = sorted({m for m in mastheads or () if m})
    notes: list[dict] = []  # params of edition-disagree messages
    for what, values in (("issue numbers", issues), ("page counts", totals), ("paper names", names)):
        if len(values) > 1:
            notes.append({"what": what, "values": "、".join(map(str, values))})
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
    slug: str = ""  # the first part's file slug: written on its continuation (ContinuedFromSlug)

    @classmethod
    def of(cls, page: int, art) -> JumpSource:
        return cls(page=page, order=art.order, to=art.continued_on, title=art.title, kicker=art.kicker,
                   subtitle=art.subtitle, column=art.column, title_inferred=art.title_inferred,
                   authors=tuple(art.authors), correspondents=tuple(art.correspondents),
                   author_role=art.author_role, slug=art.slug)

    def as_list(self) -> list:
        return [self.page, self.order, self.to, self.title, self.kicker, self.subtitle, self.column,
                self.title_inferred, list(self.authors), list(self.correspondents), self.author_role,
                self.slug]

    @classmethod
    def from_list(cls, v: list) -> JumpSource:
        return cls(*v[:8], authors=tuple(v[8]), correspondents=tuple(v[9]), author_role=v[10],
                   slug=v[11] if len(v) > 11 else "")


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
    (the later page prints neither, or only a short jump title).  It also records its first
    part's slug, so the site links the two without pairing them again."""
    art.continued_from_slug = src.slug
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
