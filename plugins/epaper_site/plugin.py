"""Signal handlers: Pelican reads the articles, we index them once and add our generator."""

from __future__ import annotations

import html
import logging
import shutil
from pathlib import Path
from typing import Any

import blinker
from pelican import generators as pelican_generators
from pelican import signals
from pelican.contents import Article

from epaper_contract import page_label, slugs
from epaper_contract.lead import first_paragraph, shorten_lead

from . import articles, daily, pelican_compat, render_cache, shards, sitemap, store
from . import generator as generator_module
from . import settings as epaper_settings
from .filters import FILTERS
from .generator import EpaperGenerator
from .heap import bulk_objects
from .media import media_link
from .model import build_newspaper, slug_tail, story_from_metadata
from .parallel_read import read_in_workers
from .reader import use_reusing_reader
from .run_record import RUN, RunAgain
from .writer import configure as configure_writer
from .writer import get_writer, keep_all

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
    env, state = None, None
    if (folder is not None and shards.role_of(settings) is None
            and epaper_settings.get(settings, "EPAPER_RENDER_CACHE")):
        env = render_cache.environment_key(settings, settings.get("THEME", ""))
        state = daily.load_state(settings["CACHE_PATH"])
        daily.drop_state(settings["CACHE_PATH"])  # a build killed from here on leaves none: the next is full
    st = store.ArticleStore(folder, lazy=state is not None)
    if folder is not None:
        slugs.load_memo(folder / "pinyin.pickle")
        _PINYIN_MEMO[:] = [folder / "pinyin.pickle"]
    generator._epaper_store = st
    generator._epaper_kept = []
    generator._epaper_env = env

    # a build tool that can run again in full lets the closed years be checked beside the build
    defer = daily.closed_folder_test(state) if state is not None and env and RUN.may_run_again else None

    def split(files: list[str], folders: pelican_compat.Folders, rest: pelican_compat.Deferred | None) -> list[str]:
        pending = frozenset(store.folder_of_dir(rel) for rel in rest.folders) if rest else frozenset()
        plan = daily.plan(state, env, folders, st, pending) if state is not None and env else None
        if plan is None and rest is not None:  # a full build after all: the folders left out too
            more = rest.walk()
            folders.update(more)
            files = sorted(files + [src for pairs in more.values() for src, _ in pairs])
        elif plan is not None and rest is not None:
            plan.check = daily.ClosedCheck(plan.state, pending, rest.walk)
        generator._epaper_sources = files
        if plan is not None:
            generator._epaper_daily = plan
            to_read, kept = plan.to_read, plan.kept
        else:
            st.load_everything()
            to_read, kept = st.split({src: stamp for pairs in folders.values() for src, stamp in pairs})
        read, left = read_in_workers(generator, to_read)
        generator._epaper_kept = kept + read
        generator._epaper_read_elsewhere = len(read)
        generator._epaper_read_now = read
        return left

    pelican_compat.take_over_article_reading(generator, split, defer)


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
    read_now = [store.record_of(a, generator.path) for a in generator.articles]
    records.extend(read_now)
    plan: daily.Plan | None = getattr(generator, "_epaper_daily", None)
    if plan is not None and st is not None:
        reason, made = daily.index_daily(generator, plan, records,
                                         read_now + getattr(generator, "_epaper_read_now", []), st)
        if reason is None:
            _STORES.append(st)
            _DAILY[:] = [made]
            return
        if plan.check is not None:  # the closed years were never walked: a full run from the start
            plan.check.cancel()
            raise RunAgain(reason)
        daily.full_build(reason)
        fresh = read_now + getattr(generator, "_epaper_read_now", [])
        records = _all_records(generator, st, fresh)
        read_sources = {r.source for r in fresh}
        generator._epaper_kept = [r for r in records if r.source not in read_sources]
        generator._epaper_read_elsewhere = 0
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
    unique = articles.unique_by_slug(records, log)
    ordered = sorted(unique, key=lambda r: r.story.slug)
    ordered.sort(key=lambda r: r.date, reverse=True)  # Pelican's order: newest first, then by slug
    # The search index needs only the records: hand its documents over now (oldest first),
    # so the index is built on the other core while this process builds the newspaper.
    if articles.DOCS_READY.receivers:
        articles.DOCS_READY.send(generator, docs=[articles.SearchDoc(r) for r in reversed(ordered)], settings=settings)
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
    signatures = {slug: f"{v.url}\1{v.record.fingerprint}" for slug, v in by_slug.items()}
    articles.share(generator, views, paper, by_slug, signatures)
    if shard is None and getattr(generator, "_epaper_env", None):
        RUN.path.append("full")
        _DAILY[:] = [{"mode": "full", "settings": settings, "env": generator._epaper_env, "paper": paper,
                      "records": unique, "signatures": signatures,
                      "sources": {r.story.slug: r.source for r in unique}}]
    kept = len(getattr(generator, "_epaper_kept", [])) - getattr(generator, "_epaper_read_elsewhere", 0)
    RUN.articles.update(articles=len(views), read=len(records) - kept, stored=kept)
    log.info("epaper: %d articles, %d read now, %d from the store", len(views), len(records) - kept, kept)


def _all_records(generator: Any, st: store.ArticleStore, read_now: list[store.ArticleRecord]) -> list:
    """Every article's record after all: the ones read now, the store's for the others."""
    st.load_everything()
    fresh = {r.source: r for r in read_now}
    records = []
    for src in generator._epaper_sources:
        rec = fresh.get(src) or st.records.get(src)
        if rec is None:
            raise RuntimeError(f"epaper: {src} is missing from the article store; run `make clean` and build again")
        records.append(rec)
    return records


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
    articles.share(generator, [by_slug[s.slug] for s in ordered[:limit]] if settings.get("FEED_ALL_ATOM") else [],
           paper, by_slug, {s.slug: f"{s.url}\1{fingerprints[s.slug]}" for s in stories})
    RUN.articles.update(articles=len(stories), read=0, stored=len(stories))
    log.info("epaper: stitch of %d years: %d articles, %d records loaded for the feeds",
             len(shard.years), len(stories), len(records))


_STORES: list[store.ArticleStore] = []
#: What the daily state of this build is made from, at ``finalized`` (one-process builds).
_DAILY: list[dict] = []
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
    while _DAILY:
        made = _DAILY.pop()
        check = made["plan"].check if made["mode"] == "daily" else None
        changed = check.changed() if check is not None else []
        if changed:  # no state: the full run the build tool starts now writes it
            RUN.run_again = f"{changed[0]} changed, in a closed year"
            log.info("epaper: %s; the build runs again in full", RUN.run_again)
        else:
            daily.save_made(made, next(iter(generator_module.ACTIVE), None))
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


#: The search plugin's signal naming what it wrote in the index (a blinker signal by name).
INDEX_WRITTEN = blinker.signal("epaper_search_index_written")


def record_index_changes(sender: Any, files: list[str], folders: list[str]) -> None:
    """For the build tool's staging record (``tools/build.py``)."""
    RUN.index_changes = {"files": list(files), "folders": list(folders)}


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
    INDEX_WRITTEN.connect(record_index_changes)
