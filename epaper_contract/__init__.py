"""The contract between the converters and the site.

The Markdown files in ``content/`` are the only thing the two halves share.  Their
metadata keys, the slug rules and the paper registry live here so that both sides
import one definition and neither imports the other's pipeline.
"""

from __future__ import annotations

# Metadata keys written by the converter, read by the site plugin and by other tools.
TITLE = "Title"  # 主题
KICKER = "Kicker"  # 引题
SUBTITLE = "Subtitle"  # 副题
TITLE_INFERRED = "TitleInferred"  # "true" when the dump lost the headline
COLUMN = "Column"  # 栏目, e.g. the label in a title's parentheses
AUTHORS = "Authors"  # reporters, comma-separated
AUTHOR_ROLE = "AuthorRole"  # the reporters' role as the byline prints it (本报记者); 作者 for a bare name
CORRESPONDENTS = "Correspondents"  # 通讯员 / 报道组, comma-separated
DATELINE = "Dateline"  # 本报讯 / 本报杭州3月16日电
DATE = "Date"  # YYYY-MM-DD
PAPER = "Paper"  # 浙江日报
PAPER_SLUG = "PaperSlug"  # zjrb
ISSUE = "Issue"  # 27323
PAGE = "Page"  # 1
PAGES = "Pages"  # 4 (pages in the edition, when known)
SECTION = "Section"  # 版名: 要闻, 生态
CONTINUED_ON = "ContinuedOn"  # 下转第二版 -> 2
CONTINUED_FROM = "ContinuedFrom"  # 上接第一版 -> 1
#: On a first part (下转): the Slug of its continuation, as the converter paired them (its page
#: is ContinuedOn), so the site links both parts without pairing jump lines again.
CONTINUED_ON_SLUG = "ContinuedOnSlug"
#: On a continuation (上接): the Slug of its first part, as the converter paired them, so the
#: site links both parts without pairing jump lines again.
CONTINUED_FROM_SLUG = "ContinuedFromSlug"
CAPTION = "Caption"
IMAGES = "Images"  # the story's pictures: files under the paper's content folder (images/<date>/<PP>/…)
CITIES = "Cities"
TOPICS = "Topics"
SLUG = "Slug"
ORDER = "Order"  # reading order of the article on its page, 1-based
SUMMARY = "Summary"  # an editor's summary; never written by the converter (the site shortens the lead)
SOURCE = "Source"  # dump path and first line, for editors

#: Keys in the order the converter writes them.
KEY_ORDER = (
    TITLE, KICKER, SUBTITLE, TITLE_INFERRED, COLUMN, AUTHORS, AUTHOR_ROLE, CORRESPONDENTS, DATELINE,
    DATE, PAPER, PAPER_SLUG, ISSUE, PAGE, PAGES, SECTION, ORDER, CONTINUED_ON, CONTINUED_ON_SLUG,
    CONTINUED_FROM, CONTINUED_FROM_SLUG, CAPTION, IMAGES, CITIES, TOPICS, SLUG, SUMMARY, SOURCE,
)

#: Keys whose value is a comma-separated list.
LIST_KEYS = frozenset({AUTHORS, CORRESPONDENTS, CITIES, TOPICS, IMAGES})

LIST_SEPARATOR = ", "


def split_list(value: str | None) -> list[str]:
    """Split a comma-separated metadata value (ASCII or full-width commas)."""
    if not value:
        return []
    parts = value.replace("，", ",").replace("、", ",").split(",")
    return [p.strip() for p in parts if p.strip()]


def join_list(values) -> str:
    return LIST_SEPARATOR.join(v for v in values if v)


def page_label(page: int) -> str:
    """Zero-padded page number used in paths and URLs: 1 -> '01'."""
    return f"{int(page):02d}"
