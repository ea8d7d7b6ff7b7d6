"""The generator that writes the newspaper's own pages: editions, pages, archive, tags, data.

Pelican's tag/author generators scan every article for every tag; here each page is
rendered from the dictionaries built once in ``model.build_newspaper``.  Files are
written only when their bytes change, atomically, so a daily update leaves the rest of
``output/`` untouched and a killed build never leaves a half-written file.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup
from pelican.generators import Generator
from pelican.utils import get_relative_path, path_to_url

from . import proofing, render_cache, shards, sitemap
from . import settings as epaper_settings
from . import writer as writer_module
from .calendar_grid import WEEKDAYS, months_by_year
from .export import edition_json, index_csv
from .jsonld import news_article
from .media import Media, media_settings
from .model import TAG_KINDS, Edition, Newspaper, Story, Tag
from .printed import PrintedPages
from .run_record import RUN
from .urls import Urls, save_as
from .writer import write_if_changed

CONTEXT_KEY = "epaper"
log = logging.getLogger(__name__)
#: Generators that wrote this build; their render keys are saved when the build finishes.
ACTIVE: list[EpaperGenerator] = []



_LIBC: list = []


def _give_back_memory() -> None:
    """Return freed heap pages to the system (glibc ``malloc_trim``; elsewhere nothing).

    The HTML let go after each edition is freed by Python but stays in the process's heap
    unless trimmed, and the build's peak is what the machine has to have.
    """
    if not _LIBC:
        try:
            import ctypes

            _LIBC.append(ctypes.CDLL("libc.so.6").malloc_trim)
        except (OSError, AttributeError):
            _LIBC.append(None)
    if _LIBC[0] is not None:
        _LIBC[0](0)


def chunks(items: list, size: int) -> list[list]:
    """Split for pagination; an empty list is one empty page."""
    size = max(1, size)
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


#: Output files a host serves at other paths than their own (GitHub Pages: 404.html for any
#: missing path): relative links would break there.
ANYWHERE = frozenset({"404.html"})


class EpaperGenerator(Generator):
    """Writes every page kind that is not an article page."""

    def generate_context(self) -> None:
        """Nothing to read: the plugin built the structure when the articles were read."""

    def finish(self) -> None:
        """Save the render keys (called at ``finalized``: a build that failed keeps the old ones)."""
        rc = self.__dict__.get("_rc")
        if rc:
            if self.context.get("epaper_daily") is not None:
                RUN.swept = rc.unsure()
            rc.save()
        printed = self.__dict__.get("_printed")
        if printed is not None:
            printed.save()

    # -- writing ---------------------------------------------------------------------------

    def _siteurl_for(self, name: str) -> str:
        """SITEURL as seen from output file ``name``: with relative URLs it depends only on
        how deep the file is (one answer per depth, not one path computation per page).

        The 404 page is served at whatever path was missing, so its links are absolute
        whenever the site has an absolute address (a publish build with relative links).
        """
        siteurl = self.settings.get("SITEURL", "")
        if not self.settings.get("RELATIVE_URLS") or (name in ANYWHERE and siteurl.startswith(("http://", "https://"))):
            return siteurl
        if "//" in name or "./" in name or name.startswith("/") or "\\" in name:
            return path_to_url(get_relative_path(name))  # unusual names: Pelican's answer, unmemoised
        memo: dict[int, str] = self.__dict__.setdefault("_siteurls", {})
        depth = name.count("/")
        got = memo.get(depth)
        if got is None:
            got = memo[depth] = path_to_url(get_relative_path(name))
        return got

    def render(self, url: str, template: str, lastmod: dt.date | None = None, announce: bool = True,
               **kw: Any) -> str:
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
        if announce:  # in the sitemap
            self._announce(url, lastmod)
        return name

    def story_item(self, s: Story, siteurl: str, urls: Urls) -> Markup:
        """A story's list entry, rendered once per SITEURL and reused on all its tag pages."""
        memo: dict[tuple[str, str], Markup] = self.__dict__.setdefault("_items", {})
        key = (s.slug, siteurl)
        item = memo.get(key)
        if item is None:
            tpl = self.get_template("_story_item")
            item = memo[key] = Markup(tpl.render(s=s, SITEURL=siteurl, epaper_urls=urls))
        return item

    def write_data(self, name: str, data: str) -> str:
        write_if_changed(Path(self.output_path) / name, data)
        return name

    # -- render keys ------------------------------------------------------------------------

    def _cache(self) -> render_cache.RenderCache | None:
        rc = self.__dict__.get("_rc", False)
        if rc is False:
            rc = self.context.pop("epaper_render_cache", None)  # a daily update's, loaded to check it
            if (rc is None and epaper_settings.get(self.settings, "EPAPER_RENDER_CACHE")
                    and self.settings.get("CACHE_PATH")):
                env = render_cache.environment_key(self.settings, self.settings.get("THEME", ""))
                rc = render_cache.RenderCache(render_cache.cache_file(self.settings), env)
            self._rc = rc
        return rc

    def unit(self, name: str, key_parts: tuple, produce: Callable[[], list[str]], tree: str | None = None) -> None:
        """Render a unit of outputs unless its key and files are as last time.

        ``produce`` renders and returns the output names it wrote.  The sitemap entries
        it made are kept with the key and given back when the unit is kept.  ``tree``
        (a folder holding only this unit's files) is skipped by the stale-file sweep
        when the unit is kept.
        """
        rc = self._cache()
        if rc is None:
            self._rendered = True
            produce()
            return
        key = render_cache.digest(rc.env, *key_parts)
        if tree is not None:
            RUN.unit_trees.add(os.path.join(self.output_path, tree.strip("/")))
        found = rc.kept(name, key, self.output_path, tree)
        if found is not None:
            names, entries = found
            writer_module.keep_all(self.output_path, names, owned=True)
            sitemap.CURRENT.entries.update(entries or {})
            if tree is not None:
                RUN.kept_trees.add(os.path.join(self.output_path, tree.strip("/")))
            return
        self._rendered = True
        outer = self.__dict__.get("_capture")
        self._capture = {}
        try:
            names = produce()
            captured = self._capture
        finally:
            self._capture = outer
        if outer is not None:
            outer.update(captured)
        rc.record(name, key, self.output_path, names, captured, tree)

    def _carry(self, units: list[tuple[str, str | None]], block: bool) -> None:
        """A daily update's closed-year units, and the carried block when ``block``: kept as
        the last build left them, unchecked (see daily.py); files inside a unit's own tree
        are not even listed (the stale-file sweep skips the tree), and entries of a kept
        sitemap group are not gathered."""
        rc = self._cache()
        assert rc is not None
        root = self.output_path
        kept_groups = sitemap.CURRENT.kept
        kept: list[str] = []  # every carried unit's files, recorded at once
        if block:
            names, by_group = rc.carry_block()
            kept += names
            for group, entries in by_group.items():
                if group not in kept_groups:
                    sitemap.CURRENT.entries.update(entries)
        by_shelf: dict[str | None, list[tuple[str, str | None]]] = {}
        for unit, tree in units:
            by_shelf.setdefault(render_cache.shelf_of(unit), []).append((unit, tree))
        for year, group in by_shelf.items():
            # a closed year whole: its shelf's index holds what each unit needs, unopened
            index = rc.carry_shelf(year, dict(group)) if year is not None else None
            for unit, tree in group:
                if index is not None:
                    names, entries = index[unit].outside, index[unit].foreign
                else:
                    got = rc.carry(unit, tree)
                    if got is None:  # checked before the build chose the daily path
                        raise RuntimeError(f"epaper: the render cache lost {unit} during the build")
                    names, entries = got
                if tree:
                    RUN.kept_trees.add(os.path.join(root, tree.strip("/")))
                kept += names
                if entries:
                    sitemap.CURRENT.entries.update(
                        (u, e) for u, e in entries.items() if sitemap.group_of(u) not in kept_groups)
        writer_module.keep_all(root, kept, owned=True)

    def _announce(self, url: str, lastmod: dt.date | None, obj: Any = None) -> None:
        """Put a page in the sitemap (dated by the newest edition it shows)."""
        if obj is not None:
            date, kind = sitemap.stamp(getattr(obj, "modified", None) or obj.date), "articles"
        else:
            if lastmod is None:
                latest = self.context.get(CONTEXT_KEY) and self.context[CONTEXT_KEY].latest
                lastmod = latest.date if latest else None
            date, kind = None, "indexes"
            if lastmod is not None:
                date = self.__dict__.setdefault("_dates", {}).get(lastmod)
                if date is None:
                    date = self._dates[lastmod] = sitemap.stamp(
                        dt.datetime.combine(lastmod, dt.time(), tzinfo=self._zone()))
        clean = sitemap.clean_url(url)
        sitemap.CURRENT.entries[clean] = (date, kind)
        capture = self.__dict__.get("_capture")
        if capture is not None:
            capture[clean] = (date, kind)

    def _zone(self) -> ZoneInfo:
        tz = self.__dict__.get("_tz")
        if tz is None:
            tz = self._tz = ZoneInfo(self.settings.get("TIMEZONE") or "UTC")
        return tz

    # -- pages -----------------------------------------------------------------------------

    def generate_output(self, writer) -> None:
        paper: Newspaper | None = self.context.get(CONTEXT_KEY)
        if paper is None:
            return
        urls: Urls = self.context["epaper_urls"]
        per_page = int(epaper_settings.get(self.settings, "EPAPER_PER_PAGE"))
        by_slug = self.context.get("epaper_articles", {})
        # The search index has its documents by now (handed over when the records were
        # known): the plain texts are saved in the store and no page needs them.
        st = self.context.pop("epaper_store", None)
        if st is not None:
            st.release_texts()

        run = self.context.get("epaper_daily")  # a daily update (daily.DailyRun), else None
        if run is not None:
            self._carry(run.carry, run.carry_block)
        shard = shards.role_of(self.settings)
        year_only = shard is not None and shard.role == "year"
        stitch = shard is not None and shard.role == "stitch"
        editions = [] if stitch else paper.edition_list
        latest = paper.latest
        if latest is not None and (shard is None or shard.is_latest):
            self._page_maps(latest)
            self.render("", "index.html", lastmod=latest.date, edition=latest)
        feeds = [] if year_only else self._feed_list(paper, urls)
        in_feeds = {a.slug for _, _, items in feeds for a in items}
        for i, ed in enumerate(editions, 1):
            self._edition(ed, urls, by_slug)
            if i % 32 == 0 and self.__dict__.pop("_rendered", False):
                _give_back_memory()  # only after rendering: a trim walks the whole heap
            # An article's HTML is needed again only if a feed carries it: let the rest go
            # (a year of HTML is ~100 MB, most of the build's memory).
            for s in ed.stories:
                if s.slug not in in_feeds:
                    a = by_slug[s.slug]
                    a.store_html("")
                    a.__dict__.pop("jsonld", None)

        if year_only:  # the year's open-data CSV; every list of several years is the stitch's
            self._data(paper, urls)
            ACTIVE.append(self)
            return
        self._archive(run.all_dates if run is not None else list(paper.editions), paper, urls, run is not None)

        templates = {"city": ("city.html", "cities.html"), "topic": ("topic.html", "topics.html"),
                     "reporter": ("author.html", "authors.html")}
        for kind in TAG_KINDS:
            one, index = templates[kind]
            tags = paper.tags(kind)
            ranked = sorted(tags.values(), key=lambda t: (-t.count, t.slug))
            self.render(urls.tag_index(kind), index, kind=kind, tags=ranked)
            for tag in tags.values():
                if not tag.carried:
                    self._tag_pages(tag, one, urls, per_page)
        self.__dict__.pop("_items", None)  # list entries memoised for the tag pages: done with

        self._feeds(writer, feeds)
        if not stitch:
            self._data(paper, urls)
        self.render("404.html", "404.html")
        if epaper_settings.get(self.settings, "EPAPER_PROOFING"):
            self._proofing(run.proofing_paper if run is not None and run.proofing_paper is not None else paper)
        self._robots()
        ACTIVE.append(self)

    def _page_maps(self, ed: Edition) -> None:
        """The edition's pages get their printed page (picture, areas), read once per build."""
        printed = self.__dict__.get("_printed")
        if printed is None:
            printed = self._printed = PrintedPages(self.settings.get("CACHE_PATH"))
        printed.load_maps(self.path, ed)

    def _edition_key(self, ed: Edition, paper: Newspaper, by_slug: dict) -> tuple:
        """Everything an edition's pages show that can change (see render_cache), as one string."""
        cs, ts, rs = paper.city_slug, paper.topic_slug, paper.reporter_slug
        parts = [ed.date.isoformat(), str(ed.issue), str(ed.pages_total),
                 ed.prev.date.isoformat() if ed.prev else "", ed.next.date.isoformat() if ed.next else ""]
        # the printed pages: page.json's hash covers its pictures and regions
        parts.extend(pg.printed.digest if pg.printed else "" for pg in ed.page_list)
        for s in ed.stories:
            parts.append(by_slug[s.slug].record.fingerprint)
            parts.append(s.url)
            parts.extend([cs.get(n, "") for n in s.cities])
            parts.append("|")
            parts.extend([ts.get(n, "") for n in s.topics])
            parts.append("|")
            parts.extend([rs.get(n, "") for n in s.authors])
            parts.append("|")
            parts.extend([rs.get(n, "") for n in s.correspondents])
            parts.append(s.jump_on.url if s.jump_on else "")
            parts.append(s.jump_from.url if s.jump_from else "")
        return ("edition", "\0".join(parts))

    def _edition(self, ed: Edition, urls: Urls, by_slug: dict) -> None:
        """An edition's article pages, page pages, edition page and open-data JSON: one unit."""
        def produce() -> list[str]:
            names = []
            for s in ed.stories:
                names.append(self._article(by_slug[s.slug]))
            for pg in ed.page_list:
                names.append(self.render(urls.page(pg), "page.html", lastmod=ed.date, edition=ed, paper_page=pg))
                if pg.printed is not None and not media.elsewhere:
                    names.extend(self._printed_files(pg, urls, Path(self.output_path), media))
            names.append(self.render(urls.edition(ed), "edition.html", lastmod=ed.date, edition=ed))
            names.append(self._edition_json(ed, urls, by_slug))
            return names

        self._page_maps(ed)
        media = self.media
        if media.elsewhere:  # outside the site's units: every build makes the media folder whole
            self._media_files(ed, urls, media)
        ed_url = urls.edition(ed)
        own = all(s.url.startswith(ed_url) for s in ed.stories) and all(
            urls.page(pg).startswith(ed_url) for pg in ed.page_list)
        tree = ed_url if own and ed_url else None
        self.__dict__.setdefault("edition_trees", {})[ed.date] = tree  # kept for a daily update's carry
        self.unit(f"edition:{ed.date.isoformat()}", self._edition_key(ed, urls.paper, by_slug), produce,
                  tree=tree)

    @property
    def media(self) -> Media:
        """Where media go (``MEDIA_URL``, ``EPAPER_MEDIA_PATH``, ``EPAPER_PAGE_PDF``), read once."""
        got = self.__dict__.get("_media")
        if got is None:
            got = self._media = media_settings(self.settings)
        return got

    def _printed_files(self, pg: Any, urls: Urls, root: Path, media: Media) -> list[str]:
        """The page's pictures and PDF, from its content folder, published next to its page
        under ``root`` (the site, or the media folder; hard links: a year of them is
        gigabytes, made once by the converter).  The PDF only when it is published."""
        names = []
        url = urls.page(pg)
        folder = url if url.endswith("/") else url.rsplit("/", 1)[0] + "/"
        printed = pg.printed.printed
        for name in printed.files():
            if name == printed.pdf and not media.publish_pdf:
                continue
            target = folder + name
            try:
                writer_module.link_if_changed(printed.folder / name, root / target)
            except FileNotFoundError:  # removed by hand since page.json was read: the page shows a hole
                log.warning("epaper: %s is missing; the page %s refers to it", printed.folder / name, url)
                continue
            names.append(target)
        return names

    def _media_files(self, ed: Edition, urls: Urls, media: Media) -> None:
        """With ``MEDIA_URL``: the edition's page pictures, PDFs and story pictures linked into
        the media folder at their site paths.  Nothing there is ever deleted: a page already
        online may link to it (``make media`` uploads the folder before the pages)."""
        assert media.path is not None
        for pg in ed.page_list:
            if pg.printed is not None:
                self._printed_files(pg, urls, media.path, media)
        for s in ed.stories:
            for img in s.images:
                try:
                    writer_module.link_if_changed(Path(self.path) / img, media.path / img)
                except FileNotFoundError:
                    log.warning("epaper: %s is missing; the story %s refers to it", Path(self.path) / img, s.url)

    def _article(self, article: Any) -> str:
        """An article page, rendered as Pelican's writer renders one (same context)."""
        name = article.save_as
        siteurl = self._siteurl_for(name)
        s = article.story
        facts = epaper_settings.get(self.settings, "EPAPER_PAPER_FACTS")
        article.jsonld = news_article(s, paper_name=facts.get("name", self.settings.get("SITENAME", "")),
                                      siteurl=self.settings.get("SITEURL", ""))
        self.context["localsiteurl"] = siteurl  # what Pelican's writer does: article.content reads it
        ctx = dict(self.context)
        ctx.update({"SITEURL": siteurl, "localsiteurl": siteurl, "output_file": name, "article": article,
                    "category": getattr(article, "category", None), "url": article.url, "blog": True})
        out = Path(self.output_path) / name
        write_if_changed(out, self.get_template(article.template).render(ctx))
        self._announce(article.url, None, article)
        return name

    def _archive(self, dates: list[dt.date], paper: Newspaper, urls: Urls, daily: bool) -> None:
        """A calendar page per year (the newest also at the archive's root), each a unit on its
        year's shelf: a closed year's page changes only with the list of years, at New Year,
        when the build is a full one; a daily update carries it (daily.index_daily)."""
        by_year: dict[int, list[dt.date]] = {}
        for d in sorted(dates, reverse=True):
            by_year.setdefault(d.year, []).append(d)
        years = list(by_year)
        own = {d.year for d in paper.editions}
        for i, (year, its) in enumerate(by_year.items()):
            if daily and year not in own:
                continue

            def produce(year: int = year, its: list[dt.date] = its, root: bool = i == 0) -> list[str]:
                kw = {"years": years, "year": year, "months": months_by_year(its)[year], "weekdays": WEEKDAYS,
                      "lastmod": its[0]}
                names = [self.render(urls.archive(), "archive.html", **kw)] if root else []
                return [*names, self.render(urls.archive(year), "archive.html", **kw)]

            self.unit(f"archive:{year}", ("archive", year, years, i == 0, [d.isoformat() for d in its]), produce)

    def _tag_pages(self, tag: Tag, template: str, urls: Urls, per_page: int) -> None:
        """The tag's root page (newest ``per_page``) and its archive pages, numbered from the oldest.

        ``tag.stories`` is newest first.  Archive page k holds the k-th ``per_page``
        stories in archive order (oldest first), so a new article changes the root page
        and the newest archive page only; older pages keep their bytes (no total count,
        no "page x of N" on them), which keeps a daily update small.
        """
        base = urls.tag(tag.kind, tag.slug)
        feed_url = urls.feed(tag.kind, tag.slug) if tag.kind != "reporter" else None
        n = tag.count
        earlier = tag.earlier  # a daily update's closed-year stories not loaded: their pages are carried
        oldest_first = tag.stories[::-1]  # positions earlier .. n-1
        nparts = -(-n // per_page) if n > per_page else 0
        k_root = (n - per_page - 1) // per_page + 1 if nparts else 0  # holds the newest story not on the root
        root = tag.stories[:per_page]

        sigs = self.context["epaper_signatures"]  # one string per story, joined per page: cheap keys

        def sig(stories: list[Story]) -> str:
            return "\0".join([sigs[s.slug] for s in stories])

        def page(url: str, stories: list[Story], pager: dict, lastmod: dt.date | None, count: int | None) -> None:
            def produce() -> list[str]:
                siteurl = self._siteurl_for(save_as(url))
                days = [(day, [self.story_item(s, siteurl, urls) for s in group])
                        for day, group in itertools.groupby(stories, key=lambda s: s.date)]
                return [self.render(url, template, lastmod=lastmod, tag=tag, pager=pager, days=days,
                                    feed_url=feed_url)]
            key = ("tag", tag.kind, tag.name, tag.slug, url, feed_url, count, sorted(pager.items()), sig(stories))
            self.unit(f"tag:{url}", key, produce)

        pager = {"number": 1, "count": 1 + nparts, "prev": None,
                 "next": urls.tag_archive(base, k_root) if nparts else None, "root": True}
        page(base, root, pager, root[0].date if root else None, n)
        for k in range(1, nparts + 1):
            start = (k - 1) * per_page
            if start < earlier:
                continue  # wholly older than the latest year (see daily.py): carried over
            stories = oldest_first[start - earlier:min(start + per_page, n) - earlier]
            url = urls.tag_archive(base, k)
            pager = {"number": k, "count": None, "root": False,
                     "prev": urls.tag_archive(base, k + 1) if k < nparts else base,
                     "next": urls.tag_archive(base, k - 1) if k > 1 else None}
            page(url, list(reversed(stories)), pager, stories[-1].date, None)

    def _feed_list(self, paper: Newspaper, urls: Urls) -> list[tuple[str, str | None, list]]:
        """(path, title or None for the whole paper's feed, articles newest first) of every feed."""
        by_slug = self.context.get("epaper_articles", {})
        name = self.settings.get("SITENAME", "")
        limit = self.settings.get("FEED_MAX_ITEMS") or None
        feeds: list[tuple[str, str | None, list]] = []
        all_path = self.settings.get("FEED_ALL_ATOM")
        if all_path:  # what Pelican's generate_feeds would write, in its order (newest, then slug)
            feeds.append((all_path, None, list(self.context.get("articles", []))[:limit]))
        for kind, label in (("city", "城市"), ("topic", "话题")):
            if not epaper_settings.get(self.settings, f"EPAPER_{kind.upper()}_FEEDS"):
                continue
            for tag in paper.tags(kind).values():
                if tag.carried:
                    continue  # a daily update carried its feed over
                items = [by_slug[s.slug] for s in tag.stories[:limit] if s.slug in by_slug]
                feeds.append((urls.feed(kind, tag.slug), f"{name} · {label} · {tag.name}", items))
        return feeds

    def _feeds(self, writer, feeds: list[tuple[str, str | None, list]]) -> None:
        """Atom for the whole paper, per city and per topic, by Pelican's feed writer."""
        for path, title, items in feeds:
            def produce(path=path, title=title, items=items) -> list[str]:
                if title is None:
                    writer.write_feed(items, self.context, path, self.settings.get("FEED_ALL_ATOM_URL", path))
                else:
                    writer.write_feed(items, self.context, path, path, feed_title=title)
                return [path]
            key = ("feed", path, title, [(a.url, a.record.fingerprint) for a in items])
            self.unit(f"feed:{path}", key, produce)

    def _edition_json(self, ed: Edition, urls: Urls, by_slug: dict) -> str:
        siteurl = self.settings.get("SITEURL", "")
        facts = epaper_settings.get(self.context, "EPAPER_PAPER_FACTS")
        texts = {s.slug: by_slug[s.slug].record.chars for s in ed.stories}
        name = urls.edition_json(ed)
        self.write_data(name, edition_json(ed, texts, facts, siteurl))
        return name

    def _data(self, paper: Newspaper, urls: Urls) -> None:
        """Open data: one CSV index per year (the edition JSON is part of its edition's unit)."""
        by_slug = self.context.get("epaper_articles", {})
        siteurl = self.settings.get("SITEURL", "")
        by_year: dict[int, list] = {}
        for ed in paper.edition_list:
            by_year.setdefault(ed.date.year, []).extend(ed.stories)
        for year, stories in by_year.items():
            def produce(year=year, stories=stories) -> list[str]:
                texts = {s.slug: by_slug[s.slug].record.chars for s in stories}
                name = urls.csv(year)
                self.write_data(name, "\ufeff" + index_csv(stories, texts, siteurl))
                return [name]
            key = ("csv", year, siteurl, [(s.url, by_slug[s.slug].record.fingerprint) for s in stories])
            self.unit(f"csv:{year}", key, produce)

    def _proofing(self, paper: Newspaper) -> None:
        """The editor's 校对 page and a numbered view of each dump it points into (local only):
        each a render unit keyed by what it shows, so an archive's unchanged dumps cost nothing."""
        content = Path(self.settings["PATH"])
        dumps = proofing.sections(content / "conversion-report.json", paper)

        def index() -> list[str]:
            total = {k: sum(1 for d in dumps for r in d.rows if r.severity == k) for k in ("error", "warning")}
            return [self.render("proofing/", "proofing.html", announce=False, dumps=dumps, total=total)]

        self.unit("proofing", ("proofing", [proofing.signature(d) for d in dumps]), index)
        for d in dumps:
            def view(d=d) -> list[str]:
                marked = {r.line: r for r in d.rows}
                lines = proofing.dump_lines(d.source, Path.cwd())
                return [self.render(proofing.source_view_url(d.key), "proofing_source.html", announce=False, dump=d,
                                    lines=[(n, text, marked.get(n)) for n, text in enumerate(lines, start=1)])]

            self.unit(f"proofing:{d.key}", ("proofing-source", proofing.signature(d),
                                            proofing.file_stamp(d.source, Path.cwd())), view)

    def _robots(self) -> None:
        siteurl = self.settings.get("SITEURL", "")
        lines = ["User-agent: *", "Allow: /"]
        if siteurl.startswith(("http://", "https://")):
            lines.append(f"Sitemap: {siteurl}/sitemap.xml")
        self.write_data("robots.txt", "\n".join(lines) + "\n")
