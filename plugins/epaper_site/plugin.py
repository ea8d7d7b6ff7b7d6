"""Signal handlers: Pelican reads the articles, we index them once and add our generator."""

from __future__ import annotations

import html
import logging
import shutil
from pathlib import Path
from typing import Any

from blinker import signal
from pelican import generators as pelican_generators
from pelican import signals
from pelican.contents import Article

from epaper_contract import page_label, slugs
from epaper_contract.lead import first_paragraph, shorten_lead

from . import generator as generator_module
from . import pelican_compat, shards, sitemap, store
from . import settings as epaper_settings
from .filters import FILTERS
from .generator import CONTEXT_KEY, EpaperGenerator
from .heap import bulk_objects
from .media import media_link, media_settings
from .model import build_newspaper, slug_tail, story_from_metadata
from .parallel_read import read_in_workers
from .reader import use_reusing_reader
from .run_record import RUN
from .urls import Urls
from .writer import configure as configure_writer
from .writer import get_writer, keep_all

#: Sent with the search documents once every article is known (``epaper_search`` listens).
DOCS_READY = signal("epaper_search_docs_ready")
log = logging.getLogger(__name__)


def add_url_fields(instance: Any) -> None:
    """Give ARTICLE_URL its ``{pp}`` (zero-padded page) and ``{slug_tail}`` placeholders."""
    if not isinstance(instance, Article):
        return
    meta = instance.metadata
    try:
        story = story_from_metadata(meta | {"slug": getattr(instance, "slug", meta.get("slug", ""))})
    except (TypeError, ValueError):
        # No usable date (an empty or foreign file): Pelican then reports the missing
        # fields and skips the file; its URL must still format.
        meta.update({"ymd": "", "pp": "", "slug_tail": meta.get("slug", "")})
        return
    if "summary" not in meta:
        # The lead of the text as it stands (a hand edit of the body reaches the page lists,
        # the description and the feeds); Pelican's feeds take it as HTML, hence the escape.
        story.summary = shorten_lead(first_paragraph(pelican_compat.raw_html(instance)))
        meta["summary"] = html.escape(story.summary, quote=False)
    d = story.date
    meta["ymd"] = f"{d.year:04d}/{d.month:02d}/{d.day:02d}"  # no strftime per URL access
    meta["pp"] = page_label(story.page)
    meta["slug_tail"] = slug_tail(story.slug, story.date, story.page)
    instance._epaper_story = story  # index_articles reuses it


def prepare_reading(generator: Any) -> None:
    """Let Pelican read only the content files the article store does not hold unchanged.

    Also takes article pages and the all-articles feed away from Pelican: our generator
    writes them for every article, read this time or stored (see :mod:`.store`).
    """
    if not isinstance(generator, pelican_generators.ArticlesGenerator):
        return
    settings = generator.settings
    folder = None
    if epaper_settings.get(settings, "EPAPER_STORE") and settings.get("CACHE_PATH"):
        folder = store.store_folder(settings["CACHE_PATH"])
        for old in folder.parent.glob("store-v*"):  # an older format's store: never read again
            if old.name != folder.name and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
    st = store.ArticleStore(folder)
    if folder is not None:
        slugs.load_memo(folder / "pinyin.pickle")
        _PINYIN_MEMO[:] = [folder / "pinyin.pickle"]
    generator._epaper_store = st
    generator._epaper_kept = []

    def split(files: list[str]) -> list[str]:
        to_read, kept = st.split(generator.path, files)
        read, left = read_in_workers(generator, to_read)
        generator._epaper_kept = kept + read
        generator._epaper_read_elsewhere = len(read)
        return left

    pelican_compat.take_over_article_reading(generator, split)


class SearchDoc:
    """An article as the search plugin takes it (``epaper_search``'s ``docs_ready``): its
    key now, its document with the text only if its segment of the index has to be built
    again (``freeze_unchanged``), so a daily update does not make the archive's documents."""

    __slots__ = ("record",)

    def __init__(self, record: store.ArticleRecord) -> None:
        self.record = record

    def search_key(self) -> tuple:
        """(url, date, page, order, sig, cities, topics): what decides whether a segment changed."""
        s = self.record.story
        return (s.url, s.date.isoformat(), s.page, s.order, self.record.fingerprint, s.cities, s.topics)

    def as_dict(self) -> dict:
        """The fields of epaper_search's ``Doc``, plus ``dateline`` and ``correspondents``,
        which the search plugin folds in itself.  The body is the record's plain text as
        it is, so no text is processed again on a build."""
        rec, s = self.record, self.record.story
        return {"url": s.url, "date": s.date.isoformat(), "page": s.page, "order": s.order,
                "title": s.title, "kicker": s.kicker, "subtitle": s.subtitle, "authors": list(s.authors),
                "correspondents": s.correspondents, "dateline": s.dateline, "caption": s.caption,
                "body": rec.text, "cities": list(s.cities), "topics": list(s.topics),
                "sig": rec.fingerprint}  # changes whenever any field above changes


def index_articles(generator: Any) -> None:
    """Build the newspaper once from all articles (read now or stored) and share it.

    Also empties Pelican's own category/tag/author lists: we do not publish those
    pages, and Pelican would otherwise scan every article for each of them.
    """
    settings = generator.settings
    shard = shards.role_of(settings)
    if shard is not None and shard.role == "stitch":
        _index_stitch(generator, shard)
        return
    st: store.ArticleStore | None = getattr(generator, "_epaper_store", None)
    records: list[store.ArticleRecord] = list(getattr(generator, "_epaper_kept", []))
    records.extend(store.record_of(a, generator.path) for a in generator.articles)
    records.sort(key=lambda r: (r.story.date, r.story.page, r.story.order, r.story.slug, r.source))
    if st is not None:
        st.replace_all(records)
        _STORES.append(st)
        generator.context["epaper_store"] = st
    if shard is not None:
        stray = next((r for r in records if r.story.date.year != shard.year), None)
        if stray is not None:  # its pages would be another year's process's to write
            raise RuntimeError(f"epaper: {stray.source} is dated {stray.story.date} but lies in a folder of "
                               f"{shard.year}; a sharded build places articles by their folder: move it to "
                               f"its date's folder, or build with tools/build.py")
        shards.write_edges(shard.state, shard.year, shard.stamp, [r.story for r in records])
        _SUMMARY[:] = [(shard, records)]
    unique: list[store.ArticleRecord] = []
    seen: set[str] = set()
    for rec in records:
        if rec.story.slug in seen:
            log.warning("epaper: two articles with the slug %s (%s); the second is skipped",
                        rec.story.slug, rec.source)
            continue
        seen.add(rec.story.slug)
        unique.append(rec)
    ordered = sorted(unique, key=lambda r: r.story.slug)
    ordered.sort(key=lambda r: r.date, reverse=True)  # Pelican's order: newest first, then by slug
    # The search index needs only the records: hand its documents over now (oldest first),
    # so the index is built on the other core while this process builds the newspaper.
    if DOCS_READY.receivers:
        DOCS_READY.send(generator, docs=[SearchDoc(r) for r in reversed(ordered)], settings=settings)
    generated = generator.context.setdefault("generated_content", {})
    stories = []
    by_slug: dict[str, store.StoredArticle] = {}
    for rec in unique:
        view = store.StoredArticle(rec, settings, generator.context)
        view.story = rec.story  # linked by build_newspaper; unlinked again before the store is saved
        generated[rec.source] = view  # intrasite links ({filename}...) to stored articles resolve too
        stories.append(view.story)
        by_slug[rec.story.slug] = view
    paper = build_newspaper(stories)
    if shard is not None:
        shards.attach_neighbours(paper, shard.before, shard.after)
    slugs.release_pypinyin()  # every name has its slug now (the memo keeps them for next time)
    views = [by_slug[r.story.slug] for r in ordered]
    _share(generator, views, paper, by_slug,
           {slug: f"{v.url}\1{v.record.fingerprint}" for slug, v in by_slug.items()})
    kept = len(getattr(generator, "_epaper_kept", [])) - getattr(generator, "_epaper_read_elsewhere", 0)
    RUN.articles.update(articles=len(views), read=len(records) - kept, stored=kept)
    log.info("epaper: %d articles, %d read now, %d from the store", len(views), len(records) - kept, kept)


def _share(generator: Any, views: list, paper: Any, by_slug: dict, signatures: dict[str, str]) -> None:
    """Hand the articles (newest first, as Pelican orders them) and the newspaper to the
    templates and generators; Pelican's own category/tag/author lists stay empty.

    ``signatures`` (slug -> URL and fingerprint) go into the list pages' render keys: every
    story's, from the records or, in the stitch, from the years' summaries."""
    generator.articles = views
    generator.categories, generator.authors, generator.tags = [], [], {}
    ctx = generator.context
    ctx.update({"articles": views, "categories": [], "authors": [], "tags": {}})
    ctx[CONTEXT_KEY] = paper
    ctx["epaper_urls"] = Urls(patterns=generator.settings, paper=paper)
    ctx["epaper_media"] = media_settings(generator.settings)
    ctx["epaper_articles"] = by_slug
    ctx["epaper_signatures"] = signatures


def _index_stitch(generator: Any, shard: shards.ShardRole) -> None:
    """The stitch of a sharded build: the archive from the years' summaries, no article read.

    Every story comes back (tag lists and the calendar need them all, at ~100 bytes of
    facts each); an article's stored record, with its HTML, only when a feed carries it.
    """
    with bulk_objects():  # 200,000 stories at ten years, none in a cycle
        _stitch_newspaper(generator, shard)
    slugs.release_pypinyin()  # every name has its slug (its collection skips the frozen stories)


def _stitch_newspaper(generator: Any, shard: shards.ShardRole) -> None:
    settings = generator.settings
    stories: list = []
    fingerprints: dict[str, str] = {}
    sources: dict[str, tuple[int, str]] = {}
    entries: dict = {}
    for year in shard.years:
        data = shards.read_summary(shard.state, year)
        for s, fingerprint, source in shards.listed_stories(data["stories"]):
            if s.slug in fingerprints:
                log.warning("epaper: two articles with the slug %s (%s); the second is skipped", s.slug, source)
                continue
            stories.append(s)
            fingerprints[s.slug] = fingerprint
            sources[s.slug] = (year, source)
        entries.update(data["sitemap"])
    sitemap.CURRENT.entries.update(entries)  # the years' pages; the stitch adds its own
    paper = shards.build_listing(stories)
    # Pelican's order (newest first, then by slug) decides the whole paper's feed
    ordered = sorted(stories, key=lambda s: s.slug)
    ordered.sort(key=lambda s: s.date, reverse=True)
    limit = settings.get("FEED_MAX_ITEMS") or None
    wanted = {s.slug for s in ordered[:limit]} if settings.get("FEED_ALL_ATOM") else set()
    for kind in ("city", "topic"):
        if epaper_settings.get(settings, f"EPAPER_{kind.upper()}_FEEDS"):
            for tag in paper.tags(kind).values():
                wanted.update(s.slug for s in tag.stories[:limit])
    by_year: dict[int, list[str]] = {}
    for slug in sorted(wanted):
        year, source = sources[slug]
        by_year.setdefault(year, []).append(source)
    records: dict[str, store.ArticleRecord] = {}
    for year, srcs in by_year.items():
        folder = store.store_folder(Path(shard.state) / "cache" / str(year))
        records.update(store.load_records(folder, srcs))
    by_slug: dict[str, store.StoredArticle] = {}
    generated = generator.context.setdefault("generated_content", {})
    for slug in wanted:
        rec = records[sources[slug][1]]
        view = store.StoredArticle(rec, settings, generator.context)
        view.story = rec.story
        generated[rec.source] = view
        by_slug[slug] = view
    _share(generator, [by_slug[s.slug] for s in ordered[:limit]] if settings.get("FEED_ALL_ATOM") else [],
           paper, by_slug, {s.slug: f"{s.url}\1{fingerprints[s.slug]}" for s in stories})
    RUN.articles.update(articles=len(stories), read=0, stored=len(stories))
    log.info("epaper: stitch of %d years: %d articles, %d records loaded for the feeds",
             len(shard.years), len(stories), len(records))


_STORES: list[store.ArticleStore] = []
_PINYIN_MEMO: list[Path] = []
#: (shard, records) of a year shard: its summary is written at ``finalized``.
_SUMMARY: list = []


def save_store(pelican: Any) -> None:
    """Saved at the end of a build that got this far (a failed build re-reads next time)."""
    while _SUMMARY:
        shard, records = _SUMMARY.pop()
        shards.write_summary(shard.state, shard.year, records, sitemap.CURRENT.entries)
    while _STORES:
        _STORES.pop().save()
    while _PINYIN_MEMO:
        slugs.save_memo(_PINYIN_MEMO.pop())
    while generator_module.ACTIVE:
        generator_module.ACTIVE.pop().finish()


def add_filters(generator: Any) -> None:
    """Every generator renders our templates, so every Jinja environment gets the filters."""
    env = getattr(generator, "env", None)
    if env is not None:
        env.filters.update(FILTERS)
        env.filters["media"] = media_link
        # JSON-LD as UTF-8, not \uXXXX: a third of the bytes for Chinese text.  ``tojson``
        # still escapes < > & ' so the script element cannot be closed from the data.
        env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}


def get_generators(pelican: Any) -> type:
    return EpaperGenerator


def record_static(generator) -> None:
    """The stories' pictures are linked into the output by Pelican's static generator, not by
    our writer: put them on the record of this build's files, or the stale-file sweep of
    tools/build.py would delete them."""
    out = generator.output_path
    keep_all(out, [sf.save_as for sf in generator.staticfiles])


def register() -> None:
    pelican_compat.install_linear_translations()
    signals.generator_init.connect(add_filters)
    signals.readers_init.connect(use_reusing_reader)
    signals.content_object_init.connect(add_url_fields)
    signals.article_generator_init.connect(prepare_reading)
    signals.article_generator_finalized.connect(index_articles)
    signals.get_generators.connect(get_generators)
    signals.get_writer.connect(get_writer)
    signals.static_generator_finalized.connect(record_static)
    signals.initialized.connect(sitemap.reset)
    signals.initialized.connect(configure_writer)
    signals.content_written.connect(sitemap.queue_written)
    signals.finalized.connect(sitemap.write)
    signals.finalized.connect(save_store)
