"""``sitemap.xml`` from the pages this build produced, rendered or kept, in one pass.

pelican-sitemap queues every written file through the ``content_written`` signal and
rewrites one ``urlset`` on every build.  Two things break at an archive's scale: a page
kept unrendered (see :mod:`.render_cache`) is never "written", and the sitemap protocol
allows 50,000 URLs per file (a year of the paper is ~27,000 pages, a decade 270,000).
So the generator hands its pages (URL, last change, kind) to :class:`Sitemap`, other
generators' pages (Pelican's own pages, the search page) arrive by ``content_written``,
and the file is written with pelican-sitemap's own format and settings (``SITEMAP``:
``exclude``, ``changefreqs``, ``priorities``).

``sitemap.xml`` (the address robots.txt names) is a sitemap index over one gzip-compressed
``urlset`` per year (``sitemaps/<year>.xml.gz``, split in 50,000s) and one for the pages of
no year (``sitemaps/site.xml.gz``).  The protocol allows both (an index may list gzipped
sitemaps; Google and Bing read them): a year's 27,000 entries are ~5 MB as text and a
twentieth of that compressed, and a daily update rewrites the index, the current year and
the site's file only.  The compressed bytes are the same for the same entries (no name,
no time in the gzip header).
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import re
from collections import defaultdict
from pathlib import Path

from pelican.plugins.sitemap.sitemap import (
    CHANGEFREQ_DEFAULTS,
    PRIORITY_DEFAULTS,
    XML_FOOTER,
    XML_HEADER,
    XML_URL,
    format_date,
)

from . import settings as epaper_settings
from .writer import keep_all, write_if_changed

MAX_URLS = 50_000
INDEX_HEADER = ('<?xml version="1.0" encoding="utf-8"?>\n'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
INDEX_ENTRY = "<sitemap>\n<loc>{0}/{1}</loc>\n<lastmod>{2}</lastmod>\n</sitemap>\n"
#: zlib's default level: within a few per cent of level 9 on this XML, at a fraction of the time.
GZIP_LEVEL = 6
INDEX_FOOTER = "</sitemapindex>\n"
_INDEX_HTML = re.compile(r"(?:^|(?<=/))index.html$")
_YEAR = re.compile(r"^(\d{4})/")


def clean_url(url: str) -> str:
    """``a/index.html`` -> ``a/``: the URL a reader sees."""
    return _INDEX_HTML.sub("", url)


def group_of(url: str) -> str:
    """The sitemap file a page is listed in: its year's (``2024/…``), else the site's."""
    m = _YEAR.match(url)
    return m.group(1) if m else "site"


_STAMPS: dict[dt.datetime, str] = {}


def stamp(date: dt.datetime) -> str:
    """``lastmod`` as pelican-sitemap writes it (memoised: a year has 365 distinct dates)."""
    got = _STAMPS.get(date)
    if got is None:
        got = _STAMPS[date] = format_date(date)
    return got


class Sitemap:
    """URL -> (last change as written, kind) for one build; written once at the end.

    The last change is kept as its text so that entries can be cached with render keys
    and handed back without being formatted again.
    """

    def __init__(self) -> None:
        self.entries: dict[str, tuple[str | None, str]] = {}
        #: Groups a daily update keeps as they are (closed years): group -> its index lines
        #: ``(file stem, newest, file name)``; their entries are not even gathered.
        self.kept: dict[str, list[tuple[str, str, str]]] = {}
        #: The groups written by :meth:`write`, as ``kept`` holds them (for the next build).
        self.lines: dict[str, list[tuple[str, str, str]]] = {}

    def add(self, url: str, date: dt.datetime, kind: str = "indexes") -> None:
        self.entries[_INDEX_HTML.sub("", url)] = (stamp(date), kind)

    def write(self, output_path: str, siteurl: str, config: dict) -> list[str]:
        """Write ``sitemap.xml`` and the ``sitemaps/*.xml.gz`` it lists; returns their names."""
        excluded = [re.compile(p) for p in config.get("exclude", ())]
        changefreqs = dict(CHANGEFREQ_DEFAULTS, **config.get("changefreqs", {}))
        priorities = dict(PRIORITY_DEFAULTS, **config.get("priorities", {}))
        def entry(url: str) -> str:
            lastmod, kind = self.entries[url]
            return XML_URL.format(siteurl, url, lastmod, changefreqs[kind], float(priorities[kind]), translations="")

        urls = sorted(u for u in self.entries if not any(p.search(u) for p in excluded))
        out = Path(output_path)
        groups: dict[str, list[str]] = defaultdict(list)
        for u in urls:
            groups[group_of(u)].append(u)
        names, index = ["sitemap.xml"], []
        self.lines = {}
        for group in sorted(groups.keys() | self.kept.keys()):
            if group in self.kept and group not in groups:
                lines = self.kept[group]
                keep_all(str(out), [name for _, _, name in lines])
            else:
                members = groups[group]
                lines = self.lines[group] = []
                for i in range(0, len(members), MAX_URLS):
                    part = members[i:i + MAX_URLS]
                    stem = f"sitemaps/{group}" if i == 0 else f"sitemaps/{group}-{i // MAX_URLS + 1}"
                    xml = XML_HEADER + "".join(map(entry, part)) + XML_FOOTER
                    write_if_changed(out / f"{stem}.xml.gz",
                                     gzip.compress(xml.encode("utf-8"), GZIP_LEVEL, mtime=0))
                    newest = max(self.entries[u][0] for u in part)  # same zone throughout: text order is time order
                    lines.append((stem, newest, f"{stem}.xml.gz"))
            for _stem, newest, name in lines:
                index.append(INDEX_ENTRY.format(siteurl, name, newest))
                names.append(name)
        write_if_changed(out / "sitemap.xml", INDEX_HEADER + "".join(index) + INDEX_FOOTER)
        return names


#: The sitemap of the build in progress (reset at ``initialized``, written at ``finalized``).
CURRENT = Sitemap()


def reset(*_args, **_kw) -> None:
    global CURRENT
    CURRENT = Sitemap()


def queue_written(path: str, context: dict) -> None:
    """Pages written by other generators (Pelican's pages, direct templates) by ``content_written``."""
    obj = context.get("article") or context.get("page")
    output = context.get("OUTPUT_PATH") or ""
    url = getattr(obj, "url", None)
    if url is None:
        url = os.path.relpath(path, output).replace(os.sep, "/") if output else os.path.basename(path)
    if getattr(obj, "status", "published") != "published" or getattr(obj, "private", "") == "True":
        return
    date = getattr(obj, "modified", None) or getattr(obj, "date", None)
    kind = "articles" if context.get("article") is not None else "pages" if obj is not None else "indexes"
    if isinstance(date, dt.datetime):
        CURRENT.add(url, date, kind)
    else:
        CURRENT.entries.setdefault(_INDEX_HTML.sub("", url), (None, kind))  # dated at write time


def write(pelican) -> None:
    settings = pelican.settings
    if not epaper_settings.get(settings, "EPAPER_SITEMAP"):
        return
    if (epaper_settings.get(settings, "EPAPER_SHARD") or {}).get("role") == "year":
        return  # a year's entries go to its summary; the stitch writes the sitemap
    fallback = max((d for d, _ in CURRENT.entries.values() if d is not None), default=None)
    if fallback is None:
        fallback = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    for url, (date, kind) in list(CURRENT.entries.items()):
        if date is None:  # undated pages get the newest date of the site, never the clock
            CURRENT.entries[url] = (fallback, kind)
    CURRENT.write(pelican.output_path, settings.get("SITEURL", ""), settings.get("SITEMAP", {}))
