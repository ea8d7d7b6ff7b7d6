"""Open data: an edition as JSON, the archive's article index as CSV.

Field names are the content contract's metadata keys (docs/content-format.md), so a
researcher reads one schema for the Markdown files and for the exports.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from .model import Edition, Story

CSV_FIELDS = ("Date", "Issue", "Page", "Section", "Order", "Slug", "Kicker", "Title", "Subtitle",
              "TitleInferred", "Column", "Authors", "Correspondents", "Dateline", "Cities", "Topics",
              "ContinuedOn", "ContinuedFrom", "Characters", "URL")

#: 2: no Text (it is the article page), edition/page facts once, no empty values;
#: 3: no Summary (the lead opens the article page's text) and no Source (the dump's
#:    file and line: the converter's provenance, kept in the Markdown file).
JSON_SCHEMA_VERSION = 3


def export_record(s: Story, text: str | int, siteurl: str) -> dict[str, Any]:
    """Every metadata key of the contract, typed (numbers as numbers, lists as lists).

    The row of the CSV index; ``Characters`` is the length of the plain text.  The lead
    (``Summary``) and the dump's file and line (``Source``) are not exported: the lead
    is the start of the article page's text (``URL``), the source is in the Markdown.
    """
    return {
        "Title": s.title, "Kicker": s.kicker, "Subtitle": s.subtitle,
        "TitleInferred": s.title_inferred, "Column": s.column,
        "Authors": s.authors, "Correspondents": s.correspondents, "Dateline": s.dateline,
        "Date": s.date.isoformat(), "Paper": s.paper, "PaperSlug": s.paper_slug,
        "Issue": s.issue, "Page": s.page, "Pages": s.pages, "Section": s.section,
        "Order": s.order, "ContinuedOn": s.continued_on, "ContinuedFrom": s.continued_from,
        "Caption": s.caption, "Cities": s.cities, "Topics": s.topics, "Slug": s.slug,
        "URL": f"{siteurl}/{s.url}", "Characters": text if isinstance(text, int) else len(text),
    }


#: Facts of the edition or the page, given once there rather than in every article.
_HOISTED = ("Date", "Paper", "PaperSlug", "Issue", "Pages", "Page", "Section")


def edition_record(s: Story, text: str | int, siteurl: str) -> dict[str, Any]:
    """An article in the edition JSON: the contract's keys without the edition's and the
    page's facts, and without empty values (a missing key means "" / [] / null / false)."""
    r = export_record(s, text, siteurl)
    return {k: v for k, v in r.items()
            if k not in _HOISTED and v is not None and v is not False and v != "" and v != []}


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def edition_json(ed: Edition, texts: dict[str, str] | dict[str, int], paper: dict[str, str], siteurl: str) -> str:
    """The whole edition: paper facts, pages, and every article's metadata.

    Compact, one article a line (readable, and a diff shows which article changed).
    The text is not repeated here: it is the article page's ``.story-body`` (``URL``);
    ``Characters`` is its length.
    """
    head = {"schema": JSON_SCHEMA_VERSION, "paper": paper, "date": ed.date.isoformat(),
            "issue": ed.issue, "pages_total": ed.pages_total}
    pages = []
    for p in ed.page_list:
        arts = ",\n".join(_dump(edition_record(s, texts.get(s.slug, ""), siteurl)) for s in p.stories)
        pages.append(f'{{"page":{_dump(p.number)},"section":{_dump(p.section)},"articles":[\n{arts}\n]}}')
    return _dump(head)[:-1] + ',"pages":[\n' + ",\n".join(pages) + "\n]}\n"


#: A cell a spreadsheet would run as a formula (OWASP's "CSV injection" list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text_cell(value: str) -> str:
    """Text from a dump as a spreadsheet shows it, never as a formula: a leading ``'``
    before ``=``/``+``/``-``/``@``/tab/CR (the file opens in Excel, hence its BOM)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def index_csv(stories: Iterable[Story], texts: dict[str, str] | dict[str, int], siteurl: str) -> str:
    """One row per article, archive order; list fields joined with ', ' as in the contract.

    Text cells that would start a formula get a leading ``'`` (:func:`_text_cell`);
    numbers, dates and URLs are ours and written as they are.
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_FIELDS)
    t = _text_cell
    for s in stories:
        r = export_record(s, texts.get(s.slug, ""), siteurl)
        w.writerow([
            r["Date"], r["Issue"] or "", r["Page"], t(r["Section"]), r["Order"], r["Slug"], t(r["Kicker"]),
            t(r["Title"]), t(r["Subtitle"]), "true" if r["TitleInferred"] else "false", t(r["Column"]),
            t(", ".join(r["Authors"])), t(", ".join(r["Correspondents"])), t(r["Dateline"]),
            t(", ".join(r["Cities"])), t(", ".join(r["Topics"])), r["ContinuedOn"] or "",
            r["ContinuedFrom"] or "", r["Characters"], r["URL"],
        ])
    return buf.getvalue()
