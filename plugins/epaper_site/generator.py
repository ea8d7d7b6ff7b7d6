"""The generator that writes the newspaper's own pages: editions, pages, archive, tags, data.

Pelican's tag/author generators scan every article for every tag; here each page is
rendered from the dictionaries built once in ``model.build_newspaper``.  Files are
written only when their bytes change, atomically, so a daily update leaves the rest of
``output/`` untouched and a killed build never leaves a half-written file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator
from pelican.utils import get_relative_path, path_to_url

from .calendar_grid import WEEKDAYS, months_by_year
from .export import edition_json, html_to_text, index_csv
from .model import TAG_KINDS, Newspaper, Story, Tag
from .urls import Urls, save_as
from .writer import write_if_changed

CONTEXT_KEY = "epaper"


class ListedPage:
    """What the sitemap plugin reads of a list page: its URL and the date it last changed."""

    status = "published"
    translations = ()

    def __init__(self, url: str, date: dt.datetime) -> None:
        self.url, self.date = url, date


def chunks(items: list, size: int) -> list[list]:
    """Split for pagination; an empty list is one empty page."""
    size = max(1, size)
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


class EpaperGenerator(Generator):
    """Writes every page kind that is not an article page."""

    def generate_context(self) -> None:
        """Nothing to read: the plugin built the structure when the articles were read."""

    # -- writing ---------------------------------------------------------------------------

    def _siteurl_for(self, name: str) -> str:
        if self.settings.get("RELATIVE_URLS"):
            return path_to_url(get_relative_path(name))
        return self.settings.get("SITEURL", "")

    def render(self, url: str, template: str, lastmod: dt.date | None = None, **kw: Any) -> None:
        """Render a template to the file for ``url`` with SITEURL made relative when asked.

        ``lastmod`` (the newest edition shown) is what the sitemap says for the page: a
        build-time stamp would change ``sitemap.xml`` on every build.
        """
        name = save_as(url)
        ctx = dict(self.context)
        ctx.update(kw)
        ctx["SITEURL"] = self._siteurl_for(name)
        ctx["output_file"] = name
        ctx["page_url"] = url
        out = Path(self.output_path) / name
        write_if_changed(out, self.get_template(template.removesuffix(".html")).render(ctx))
        if lastmod is None:
            latest = self.context.get(CONTEXT_KEY) and self.context[CONTEXT_KEY].latest
            lastmod = latest.date if latest else None
        if lastmod is not None:
            tz = self.__dict__.get("_tz")
            if tz is None:
                tz = self._tz = ZoneInfo(self.settings.get("TIMEZONE") or "UTC")
            ctx["page"] = ListedPage(url, dt.datetime.combine(lastmod, dt.time(), tzinfo=tz))
        signals.content_written.send(str(out), context=ctx)

    def story_item(self, s: Story, siteurl: str, urls: Urls) -> Markup:
        """A story's list entry, rendered once per SITEURL and reused on all its tag pages."""
        memo: dict[tuple[str, str], Markup] = self.__dict__.setdefault("_items", {})
        key = (s.slug, siteurl)
        item = memo.get(key)
        if item is None:
            tpl = self.get_template("_story_item")
            item = memo[key] = Markup(tpl.render(s=s, SITEURL=siteurl, epaper_urls=urls))
        return item

    def write_data(self, name: str, data: str) -> None:
        write_if_changed(Path(self.output_path) / name, data)

    # -- pages -----------------------------------------------------------------------------

    def generate_output(self, writer) -> None:
        paper: Newspaper | None = self.context.get(CONTEXT_KEY)
        if paper is None:
            return
        urls: Urls = self.context["epaper_urls"]
        per_page = int(self.settings.get("EPAPER_PER_PAGE", 50))

        editions = paper.edition_list
        latest = paper.latest
        if latest is not None:
            self.render("", "index.html", lastmod=latest.date, edition=latest)
        for ed in editions:
            self.render(urls.edition(ed), "edition.html", lastmod=ed.date, edition=ed)
            for pg in ed.page_list:
                self.render(urls.page(pg), "page.html", lastmod=ed.date, edition=ed, paper_page=pg)

        years = months_by_year(paper.editions)
        for i, (year, months) in enumerate(years.items()):
            kw = {"years": list(years), "year": year, "months": months, "weekdays": WEEKDAYS,
                  "lastmod": max(d for d in paper.editions if d.year == year)}
            if i == 0:
                self.render(urls.archive(), "archive.html", **kw)
            self.render(urls.archive(year), "archive.html", **kw)

        templates = {"city": ("city.html", "cities.html"), "topic": ("topic.html", "topics.html"),
                     "reporter": ("author.html", "authors.html")}
        for kind in TAG_KINDS:
            one, index = templates[kind]
            tags = paper.tags(kind)
            ranked = sorted(tags.values(), key=lambda t: (-t.count, t.slug))
            self.render(urls.tag_index(kind), index, kind=kind, tags=ranked)
            for tag in tags.values():
                self._tag_pages(tag, one, urls, per_page)

        self._feeds(writer, paper, urls)
        self._data(paper, urls)
        self.render("404.html", "404.html")
        self._robots()

    def _tag_pages(self, tag: Tag, template: str, urls: Urls, per_page: int) -> None:
        """The tag's root page (newest ``per_page``) and its archive pages, numbered from the oldest.

        ``tag.stories`` is newest first.  Archive page k holds the k-th ``per_page``
        stories in archive order (oldest first), so a new article changes the root page
        and the newest archive page only; older pages keep their bytes (no total count,
        no "page x of N" on them), which keeps a daily update small.
        """
        base = urls.tag(tag.kind, tag.slug)
        feed_url = urls.feed(tag.kind, tag.slug) if tag.kind != "reporter" else None
        n = len(tag.stories)
        oldest_first = tag.stories[::-1]
        parts = [oldest_first[i:i + per_page] for i in range(0, n, per_page)] if n > per_page else []
        k_root = (n - per_page - 1) // per_page + 1 if parts else 0  # holds the newest story not on the root
        root = tag.stories[:per_page]
        pager = {"number": 1, "count": 1 + len(parts), "prev": None,
                 "next": urls.tag_archive(base, k_root) if parts else None, "root": True}
        siteurl = self._siteurl_for(save_as(base))
        self.render(base, template, lastmod=root[0].date if root else None, tag=tag, pager=pager,
                    items=[self.story_item(s, siteurl, urls) for s in root], feed_url=feed_url)
        for k, stories in enumerate(parts, 1):
            url = urls.tag_archive(base, k)
            pager = {"number": k, "count": None, "root": False,
                     "prev": urls.tag_archive(base, k + 1) if k < len(parts) else base,
                     "next": urls.tag_archive(base, k - 1) if k > 1 else None}
            siteurl = self._siteurl_for(save_as(url))
            items = [self.story_item(s, siteurl, urls) for s in reversed(stories)]
            self.render(url, template, lastmod=stories[-1].date, tag=tag, items=items, pager=pager,
                        feed_url=feed_url)

    def _feeds(self, writer, paper: Newspaper, urls: Urls) -> None:
        """Atom per city and per topic, newest first, through Pelican's own feed writer."""
        by_slug = self.context.get("epaper_articles", {})
        name = self.settings.get("SITENAME", "")
        for kind, label in (("city", "城市"), ("topic", "话题")):
            if not self.settings.get(f"EPAPER_{kind.upper()}_FEEDS", True):
                continue
            for tag in paper.tags(kind).values():
                items = [by_slug[s.slug] for s in tag.stories if s.slug in by_slug]
                path = urls.feed(kind, tag.slug)
                title = f"{name} · {label} · {tag.name}"
                writer.write_feed(items, self.context, path, path, feed_title=title)

    def _data(self, paper: Newspaper, urls: Urls) -> None:
        """Open data: one JSON per edition, one CSV index per year."""
        by_slug = self.context.get("epaper_articles", {})
        siteurl = self.settings.get("SITEURL", "")
        facts = self.context.get("EPAPER_PAPER_FACTS", {})
        texts = {slug: html_to_text(a.content) for slug, a in by_slug.items()}
        by_year: dict[int, list] = {}
        for ed in paper.edition_list:
            self.write_data(urls.edition_json(ed), edition_json(ed, texts, facts, siteurl))
            by_year.setdefault(ed.date.year, []).extend(ed.stories)
        for year, stories in by_year.items():
            self.write_data(urls.csv(year), "\ufeff" + index_csv(stories, texts, siteurl))

    def _robots(self) -> None:
        siteurl = self.settings.get("SITEURL", "")
        lines = ["User-agent: *", "Allow: /"]
        if siteurl.startswith(("http://", "https://")):
            lines.append(f"Sitemap: {siteurl}/sitemap.xml")
        self.write_data("robots.txt", "\n".join(lines) + "\n")
