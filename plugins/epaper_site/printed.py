"""The printed page on the site: a page's picture with its stories as links, from ``page.json``.

The converter leaves ``page.json`` and the page's pictures and PDF in the page's content
folder (``content/<paper>/<date>/<PP>/``, see :mod:`epaper_contract.printed`); here they
become a :class:`PageMap` for the templates, and the files are copied next to the page's
``index.html``.  A page without ``page.json`` is shown as before (headlines only); an
unusable one is logged with its name and shown the same way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from epaper_contract import page_label
from epaper_contract.printed import BadPageFile, PageImage, PrintedPage, load_page

log = logging.getLogger(__name__)

#: Width of the SVG overlay's coordinate system: regions become integers (a hundredth of a per cent).
MAP_WIDTH = 10000


@dataclass(frozen=True)
class Area:
    """A story's link on the page picture: its rectangles in the overlay's units."""

    story: Any  # model.Story
    rects: tuple[tuple[int, int, int, int], ...]  # x, y, width, height


@dataclass(frozen=True)
class PageMap:
    printed: PrintedPage
    height: int  # the overlay's height for MAP_WIDTH (the picture's proportions)
    areas: tuple[Area, ...]  # in reading order

    @property
    def image(self) -> PageImage:
        return self.printed.image

    @property
    def large(self) -> PageImage:
        return self.printed.images[-1]

    @property
    def thumbnail(self) -> PageImage:
        return self.printed.thumbnail

    @property
    def pdf(self) -> str:
        return self.printed.pdf

    @property
    def pdf_mb(self) -> str:
        """The PDF's size for the download link: 0.8 MB, 12 MB."""
        mb = self.printed.pdf_bytes / 1e6
        return f"{mb:.1f}" if mb < 10 else f"{mb:.0f}"

    @property
    def width(self) -> int:
        return MAP_WIDTH

    @property
    def digest(self) -> str:
        return self.printed.digest


def page_map(printed: PrintedPage, stories: list[Any]) -> PageMap:
    """The overlay for a page's stories (a story without a region gets no area)."""
    height = max(1, round(MAP_WIDTH * printed.aspect))
    areas = []
    for s in stories:
        rects = printed.regions.get(s.slug)
        if not rects:
            continue
        areas.append(Area(s, tuple((round(x0 * MAP_WIDTH), round(y0 * height), round((x1 - x0) * MAP_WIDTH),
                                    round((y1 - y0) * height)) for x0, y0, x1, y1 in rects)))
    return PageMap(printed, height, tuple(areas))


def load_maps(content: str | Path, edition: Any, memo: dict) -> None:
    """Give each page of ``edition`` its ``printed`` map (or None), reading each ``page.json`` once."""
    for pg in edition.page_list:
        key = (pg.date, pg.number)
        if key not in memo:
            folder = Path(content) / pg.date.isoformat() / page_label(pg.number)
            try:
                printed = load_page(folder)
            except BadPageFile as exc:
                log.warning("epaper: %s; the page is shown without its picture", exc)
                printed = None
            memo[key] = page_map(printed, pg.stories) if printed is not None else None
        pg.printed = memo[key]
