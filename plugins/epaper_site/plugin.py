"""Signal handlers: Pelican reads the articles, we index them once and add our generator."""

from __future__ import annotations

from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import Any

from pelican import generators as pelican_generators
from pelican import signals
from pelican import utils as pelican_utils
from pelican.contents import Article

from epaper_contract import page_label

from . import render_cache
from .filters import FILTERS
from .generator import CONTEXT_KEY, EpaperGenerator
from .jsonld import news_article
from .model import build_newspaper, slug_tail, story_from_metadata
from .urls import Urls
from .writer import get_writer


def add_url_fields(instance: Any) -> None:
    """Give ARTICLE_URL its ``{pp}`` (zero-padded page) and ``{slug_tail}`` placeholders."""
    if not isinstance(instance, Article):
        return
    meta = instance.metadata
    try:
        story = story_from_metadata(meta | {"slug": getattr(instance, "slug", meta.get("slug", ""))})
    except (TypeError, ValueError):
        return
    d = story.date
    meta["ymd"] = f"{d.year:04d}/{d.month:02d}/{d.day:02d}"  # no strftime per URL access
    meta["pp"] = page_label(story.page)
    meta["slug_tail"] = slug_tail(story.slug, story.date, story.page)
    instance._epaper_story = story  # index_articles reuses it


def index_articles(generator: Any) -> None:
    """Build the newspaper once from all articles and hang it on the shared context.

    Also empties Pelican's own category/tag/author lists: we do not publish those
    pages, and Pelican would otherwise scan every article for each of them.
    """
    articles = list(generator.articles)
    stories = []
    by_slug: dict[str, Article] = {}
    for a in articles:
        s = getattr(a, "_epaper_story", None)
        if s is None or s.slug != a.slug:
            s = story_from_metadata(a.metadata | {"slug": a.slug})
        # Pelican formats the URL patterns anew on every access (~7 times per article);
        # fix them once, through Pelican's own override_* attributes.
        a.override_url, a.override_save_as = a.url, a.save_as
        s.url = a.url
        stories.append(s)
        by_slug[s.slug] = a
    paper = build_newspaper(stories)
    settings = generator.settings
    urls = Urls(patterns=settings, paper=paper)
    facts = settings.get("EPAPER_PAPER_FACTS", {})
    siteurl = settings.get("SITEURL", "")
    for s in stories:
        a = by_slug[s.slug]
        a.story = s
        a.jsonld = news_article(s, paper_name=facts.get("name", settings.get("SITENAME", "")),
                                publisher=facts.get("publisher", ""), siteurl=siteurl,
                                page_url=urls.page(date=s.date, number=s.page))
    _render_keys(generator, stories, by_slug, urls)
    generator.categories, generator.authors, generator.tags = [], [], {}
    ctx = generator.context
    ctx.update({"categories": [], "authors": [], "tags": {}})
    ctx[CONTEXT_KEY] = paper
    ctx["epaper_urls"] = urls
    ctx["epaper_articles"] = by_slug


def _render_keys(generator: Any, stories: list, by_slug: dict, urls: Urls) -> None:
    """Give each article its render key (see render_cache) so unchanged pages are not rendered."""
    settings = generator.settings
    if not settings.get("EPAPER_RENDER_CACHE", True) or not settings.get("CACHE_PATH"):
        render_cache.CURRENT = None
        return
    cache_file = Path(settings["CACHE_PATH"]) / "epaper_site" / f"render-v{render_cache.VERSION}.pickle"
    render_cache.CURRENT = render_cache.RenderCache(cache_file)
    env = render_cache.environment_key(settings, settings.get("THEME", ""))
    for s in stories:
        a = by_slug[s.slug]
        a.render_key = render_cache.article_key(env, a, s, urls)


def save_render_cache(pelican: Any) -> None:
    if render_cache.CURRENT is not None:
        render_cache.CURRENT.save()
        render_cache.CURRENT = None


def add_filters(generator: Any) -> None:
    """Every generator renders our templates, so every Jinja environment gets the filters."""
    env = getattr(generator, "env", None)
    if env is not None:
        env.filters.update(FILTERS)
        # JSON-LD as UTF-8, not \uXXXX: a third of the bytes for Chinese text.  ``tojson``
        # still escapes < > & ' so the script element cannot be closed from the data.
        env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}


def _process_translations(content_list, translation_id=None):
    """Pelican's ``process_translations`` without its quadratic last step.

    Pelican ends with ``[x for x in content_list if x not in index]``: a list scan per
    article (20,000 x 20,000 comparisons for a year).  Contents compare by identity, so
    a set of ids gives the same result in linear time; the rest is Pelican's code.
    """
    if not translation_id:
        return content_list, []
    if isinstance(translation_id, str):
        translation_id = {translation_id}
    key = attrgetter(*translation_id)
    content_list.sort(key=key)
    index = []
    for id_vals, group in groupby(content_list, key):
        id_vals = (id_vals,) if len(translation_id) == 1 else id_vals
        with_str = "with" + ", ".join([' {} "{{}}"'] * len(translation_id)).format(
            *translation_id).format(*id_vals)
        items = list(group)
        index.extend(pelican_utils.get_original_items(items, with_str))
        for a in items:
            a.translations = [x for x in items if x != a]
    kept = {id(x) for x in index}
    return index, [x for x in content_list if id(x) not in kept]


def get_generators(pelican: Any) -> type:
    return EpaperGenerator


def register() -> None:
    pelican_generators.process_translations = _process_translations
    signals.generator_init.connect(add_filters)
    signals.content_object_init.connect(add_url_fields)
    signals.article_generator_finalized.connect(index_articles)
    signals.get_generators.connect(get_generators)
    signals.get_writer.connect(get_writer)
    signals.finalized.connect(save_render_cache)
