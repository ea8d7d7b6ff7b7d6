"""The printed page on the site: a page's picture with its stories as links, from ``page.json``.

The converter leaves ``page.json`` and the page's pictures and PDF in the page's content
folder (``content/<paper>/<date>/<PP>/``, see :mod:`epaper_contract.printed`); here they
become a :class:`PageMap` for the templates, and the files are copied next to the page's
``index.html``.  A page without ``page.json`` is shown as before (headlines only); an
unusable one is logged with its name and shown the same way.
"""

from __future__ import annotations

import functools
import logging
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from epaper_contract import page_label
from epaper_contract.files import atomic_write
from epaper_contract.printed import PAGE_FILE, BadPageFile, PageImage, PrintedPage, load_page

log = logging.getLogger(__name__)

#: Width of the SVG overlay's coordinate system: regions become integers (a hundredth of a per cent).
MAP_WIDTH = 10000


@dataclass(frozen=True)
class Area:
    """A story's link on the page picture: its rectangles in the overlay's units."""

    story: Any  # model.Story
    rects: tuple[tuple[int, int, int, int], ...]  # x, y, width, height


class PageMap:
    """A page's printed page for the templates: pictures, PDF, and the stories' areas over the
    picture (worked out when a template first asks: a build makes one per page of the
    archive for the render keys, and renders only the new editions')."""

    def __init__(self, printed: PrintedPage, stories: list[Any]) -> None:
        self.printed = printed
        self.stories = stories

    @functools.cached_property
    def height(self) -> int:
        """The overlay's height for MAP_WIDTH (the picture's proportions)."""
        return max(1, round(MAP_WIDTH * self.printed.aspect))

    @functools.cached_property
    def areas(self) -> tuple[Area, ...]:
        """The stories with a region, in reading order, in the overlay's units."""
        h, out = self.height, []
        for s in self.stories:
            rects = self.printed.regions.get(s.slug)
            if rects:
                out.append(Area(s, tuple((round(x0 * MAP_WIDTH), round(y0 * h), round((x1 - x0) * MAP_WIDTH),
                                          round((y1 - y0) * h)) for x0, y0, x1, y1 in rects)))
        return tuple(out)

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
    return PageMap(printed, stories)


class PrintedPages:
    """Every page's ``page.json`` as read, kept between builds by the file's stat.

    A build computes every edition's render key, so it would read a year's 2,900
    ``page.json`` (0.8 s) only to find them unchanged; kept by (size, mtime, inode) in
    ``<CACHE_PATH>/epaper_site/printed-v<N>.pickle``, only new or changed ones are read.
    The converter replaces a ``page.json`` by rename, so a changed file has a new stat.
    """

    VERSION = 1

    def __init__(self, cache_path: str | None) -> None:
        self.path = Path(cache_path) / "epaper_site" / f"printed-v{self.VERSION}.pickle" if cache_path else None
        self.old: dict[str, tuple[tuple[int, int, int], PrintedPage | None]] = {}
        self.new: dict[str, tuple[tuple[int, int, int], PrintedPage | None]] = {}
        self.maps: dict[tuple, PageMap | None] = {}
        if self.path is not None:
            try:
                data = pickle.loads(self.path.read_bytes())
                if isinstance(data, dict):
                    self.old = data
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
                self.old = {}

    def page(self, folder: Path) -> PrintedPage | None:
        """The folder's printed page, or None (no ``page.json``, or an unusable one: logged)."""
        key = str(folder / PAGE_FILE)
        try:
            st = os.stat(key)
        except FileNotFoundError:
            return None
        stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
        got = self.old.get(key)
        if got is not None and got[0] == stamp:
            self.new[key] = got
            return got[1]
        try:
            printed = load_page(folder)
        except BadPageFile as exc:
            log.warning("epaper: %s; the page is shown without its picture", exc)
            printed = None
        self.new[key] = (stamp, printed)
        return printed

    def load_maps(self, content: str | Path, edition: Any) -> None:
        """Give each page of ``edition`` its ``printed`` map (or None)."""
        for pg in edition.page_list:
            key = (pg.date, pg.number)
            if key not in self.maps:
                printed = self.page(Path(content) / pg.date.isoformat() / page_label(pg.number))
                self.maps[key] = page_map(printed, pg.stories) if printed is not None else None
            pg.printed = self.maps[key]

    def save(self) -> None:
        """At the end of a build that got this far (the pages it did not see are dropped)."""
        if self.path is not None and (self.new or self.path.exists()) and self.new != self.old:
            atomic_write(self.path, pickle.dumps(self.new, protocol=pickle.HIGHEST_PROTOCOL))
