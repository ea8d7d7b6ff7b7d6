"""schema.org NewsArticle for an article page: what search engines read of the print facts."""

from __future__ import annotations

from typing import Any

from .model import Story


def news_article(s: Story, *, paper_name: str, siteurl: str) -> dict[str, Any]:
    """A NewsArticle with printEdition (期号) and printPage (版次).

    URLs are given only when the site has an absolute SITEURL: a relative one would be
    wrong for every consumer of the data.  The periodical's URL is the paper's home, the
    site's root (the page, 版, is not the periodical).

    Lean on purpose (it is on 20,000 pages a year): the print facts a crawler cannot read
    off the page (headline, date, edition, page, reporters, the periodical) and nothing
    else.  What the page shows or the site states once is not repeated: the lead is the
    ``<meta name="description">``, the language ``<html lang>``; the section (in the folio
    line), correspondents (byline), cities and topics (their links) are on the page; the
    publisher is the same on every page (the colophon and the open data's ``paper``).
    """
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": s.title[:110],
        "datePublished": s.date.isoformat(),
        "printPage": str(s.page),
        "isPartOf": {"@type": "Periodical", "name": paper_name},
    }
    if s.issue:
        data["printEdition"] = f"第{s.issue}期"
    if s.authors:
        data["author"] = [{"@type": "Person", "name": n} for n in s.authors]
    if siteurl.startswith(("http://", "https://")):
        data["url"] = f"{siteurl}/{s.url}"
        data["isPartOf"]["url"] = f"{siteurl}/"
    return data
