"""The articles handed over: to the templates and generators (Pelican's context) and to
the search plugin (``epaper_search_docs_ready``), the same way by a full build, a daily
update (daily.py) and a year shard."""

from __future__ import annotations

from typing import Any

from blinker import signal

from . import store
from .generator import CONTEXT_KEY
from .media import media_settings
from .urls import Urls

DOCS_READY = signal("epaper_search_docs_ready")


def unique_by_slug(records: list[store.ArticleRecord], log: Any) -> list[store.ArticleRecord]:
    """The records in their order, the second of two with one slug skipped (and warned of)."""
    unique: list[store.ArticleRecord] = []
    seen: set[str] = set()
    for rec in records:
        if rec.story.slug in seen:
            log.warning("epaper: two articles with the slug %s (%s); the second is skipped",
                        rec.story.slug, rec.source)
            continue
        seen.add(rec.story.slug)
        unique.append(rec)
    return unique


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


def share(generator: Any, views: list, paper: Any, by_slug: dict, signatures: dict[str, str]) -> None:
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
