"""Month calendars for the archive (往期回顾): which days have an edition."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")  # Monday first, as Chinese calendars do


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    weeks: tuple[tuple[dt.date | None, ...], ...]  # None pads days of other months
    editions: frozenset[dt.date]

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def anchor(self) -> str:
        return f"m{self.year}-{self.month:02d}"


def month_grid(year: int, month: int, dates: Iterable[dt.date]) -> Month:
    """A Monday-first grid of one month, knowing which of its days have an edition."""
    weeks = tuple(tuple(d if d.month == month else None for d in week)
                  for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month))
    days = frozenset(d for d in dates if d.year == year and d.month == month)
    return Month(year=year, month=month, weeks=weeks, editions=days)


def months_by_year(dates: Iterable[dt.date]) -> dict[int, list[Month]]:
    """Every month that has at least one edition, grouped by year, newest first."""
    by_month: dict[tuple[int, int], list[dt.date]] = {}
    for d in dates:
        by_month.setdefault((d.year, d.month), []).append(d)
    out: dict[int, list[Month]] = {}
    for (y, m) in sorted(by_month, reverse=True):
        out.setdefault(y, []).append(month_grid(y, m, by_month[(y, m)]))
    return out
