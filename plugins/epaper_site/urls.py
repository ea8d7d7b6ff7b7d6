"""URL patterns from the settings, applied to the newspaper's objects.

Every pattern is a setting (``EPAPER_*_URL``: defaults in settings.py, set in pelicanconf.py); a URL that ends in ``/``
is saved as ``index.html`` inside it, so links never show file names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from epaper_contract import page_label

from . import settings as epaper_settings
from .model import Edition, EditionPage, Newspaper


def save_as(url: str) -> str:
    """The output file for a URL: directories get an index.html."""
    return f"{url}index.html" if url == "" or url.endswith("/") else url


@dataclass
class Urls:
    """URL builder handed to templates (``epaper_urls.page(p)``) and to the generator."""

    patterns: Mapping[str, str]
    paper: Newspaper | None = None
    _memo: dict[tuple, str] = field(default_factory=dict, repr=False)

    def _fmt(self, key: str, **kw: Any) -> str:
        """Format a pattern, memoised: templates ask for the same few URLs thousands of times."""
        memo_key = (key, *sorted(kw.items()))
        url = self._memo.get(memo_key)
        if url is None:
            url = self._memo[memo_key] = epaper_settings.get(self.patterns, key).format(**kw)
        return url

    def edition(self, ed: Edition | dt.date) -> str:
        d = ed.date if isinstance(ed, Edition) else ed
        return self._fmt("EPAPER_EDITION_URL", date=d)

    def page(self, pg: EditionPage | None = None, *, date: dt.date | None = None, number: int | None = None) -> str:
        if pg is not None:
            date, number = pg.date, pg.number
        return self._fmt("EPAPER_PAGE_URL", date=date, pp=page_label(number or 0))

    def page_if_exists(self, date: dt.date, number: int) -> str | None:
        """The page's URL when the archive holds that page, else None (never a broken link)."""
        ed = self.paper.editions.get(date) if self.paper else None
        return self.page(ed.pages[number]) if ed and number in ed.pages else None

    def archive(self, year: int | None = None) -> str:
        return self._fmt("EPAPER_ARCHIVE_YEAR_URL", year=year) if year else self._fmt("EPAPER_ARCHIVE_URL")

    def tag(self, kind: str, slug: str) -> str:
        return self._fmt(f"EPAPER_{kind.upper()}_URL", slug=slug)

    def tag_index(self, kind: str) -> str:
        return self._fmt({"city": "EPAPER_CITIES_URL", "topic": "EPAPER_TOPICS_URL",
                          "reporter": "EPAPER_REPORTERS_URL"}[kind])

    def name(self, kind: str, name: str) -> str | None:
        """URL of a city/topic/reporter by its name, None if unknown."""
        if self.paper is None:
            return None
        slug = getattr(self.paper, f"{kind}_slug").get(name)
        return self.tag(kind, slug) if slug else None

    def feed(self, kind: str, slug: str) -> str:
        return self._fmt(f"EPAPER_{kind.upper()}_FEED_URL", slug=slug)

    def paginated(self, base: str, n: int) -> str:
        return base if n <= 1 else self._fmt("EPAPER_PAGINATION_URL", base=base, n=n)

    def tag_archive(self, base: str, k: int) -> str:
        """Archive page k of a tag list, counted from the oldest (k >= 1; the root is ``base``)."""
        return self._fmt("EPAPER_PAGINATION_URL", base=base, n=k)

    def edition_json(self, ed: Edition) -> str:
        return self._fmt("EPAPER_EDITION_JSON_URL", date=ed.date)

    def csv(self, year: int) -> str:
        return self._fmt("EPAPER_CSV_URL", year=year)
