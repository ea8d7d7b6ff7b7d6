"""An article's lead, shortened: the summary both halves show (page lists, the page's
``<meta name="description">``, feeds), made from the text itself so that it follows the
article when an editor changes it.  An editor's own ``Summary:`` wins."""

from __future__ import annotations

import html
import re

SUMMARY_LEN = 120
_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")


def shorten_lead(lead: str, limit: int = SUMMARY_LEN) -> str:
    """The lead up to ``limit`` characters, cut after a sentence when one ends late enough."""
    lead = lead.strip()
    if len(lead) <= limit:
        return lead
    cut = lead[:limit]
    stop = max(cut.rfind(c) for c in "。！？；")
    return cut[:stop + 1] if stop >= limit // 3 else cut + "…"


def first_paragraph(content_html: str) -> str:
    """The plain text of the first paragraph of an article's HTML (subheads are not ``<p>``)."""
    for m in _PARAGRAPH.finditer(content_html or ""):
        text = html.unescape(_TAG.sub("", m.group(1))).strip()
        if text:
            return text
    return ""
