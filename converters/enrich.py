"""Stage 6, enrich: what the text itself tells beyond its layout.

Lost headlines inferred from the lead (and marked), the ASCII slug, and
the cities and topics (from :mod:`converters.tagging`, loaded once per process).
"""

from __future__ import annotations

from functools import cache

from converters import segment
from converters.headline import infer_title
from converters.model import Article, Page
from epaper_contract import page_label
from epaper_contract.slugs import pinyin_slug


@cache
def _tagger():
    import jieba

    from converters.tagging import Tagger

    jieba.setLogLevel(60)  # no "Building prefix dict" chatter on stderr
    return Tagger.load()


def lead_text(art: Article) -> str:
    return next((p.text for p in art.paragraphs if not p.subhead), "")


def infer_missing_title(art: Article, page: Page) -> None:
    if art.title:
        return
    title = infer_title(lead_text(art))
    if not title:  # no lead at all: a subhead is the next best thing
        title = next((p.text for p in art.paragraphs if p.subhead), "")
    art.title = title or f"第{page_label(page.facts.page or 0)}版 无题"
    art.title_inferred = True


def article_slug(art: Article, date: str, page_no: int, taken: dict[str, int]) -> str:
    """``YYYYMMDD-PP-<pinyin of title>``: readable, stable for the same text, unique on the page."""
    prefix = f"{date.replace('-', '')}-{page_label(page_no)}"
    words = segment.lcut(art.title) if art.title else []
    tail = pinyin_slug(art.title, words=words, max_len=48) or f"article-{art.order}"
    slug = f"{prefix}-{tail}"
    if slug in taken:  # the same title twice on a page: number the repeats
        n = taken.get(slug, 1) + 1
        while f"{slug}-{n}" in taken:
            n += 1
        taken[slug] = n
        slug = f"{slug}-{n}"
    taken[slug] = 1
    return slug


def tag(art: Article) -> None:
    result = _tagger().tag(title=art.title if not art.title_inferred else "", kicker=art.kicker,
                           lead=lead_text(art),
                           paragraphs=[p.text for p in art.paragraphs if not p.subhead])
    art.cities, art.topics = list(result.cities), list(result.topics)


def enrich(page: Page, *, with_tags: bool = True) -> Page:
    if with_tags:
        _tagger()  # loaded before the slugs' segmenter, which then shares its dictionary
    taken: dict[str, int] = {}
    for order, art in enumerate(page.articles, start=1):
        art.order = order
        infer_missing_title(art, page)
        art.slug = article_slug(art, page.facts.date, page.facts.page or 0, taken)
        if with_tags:
            tag(art)
    return page
