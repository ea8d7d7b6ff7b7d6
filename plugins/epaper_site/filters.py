"""Jinja filters: Chinese dates and page numbers, short relative links, compact JSON-LD.

Plain functions rather than template macros: an archive renders them hundreds of
thousands of times, and a Jinja macro call costs ten times a filter call.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from markupsafe import Markup

from epaper_contract import page_label


def date_cn(d: dt.date) -> str:
    """2024-03-17 -> 2024年3月17日"""
    return f"{d.year}年{d.month}月{d.day}日"


def weekday_cn(d: dt.date) -> str:
    """2024-03-17 -> 星期日"""
    return "星期" + "一二三四五六日"[d.weekday()]


def page_cn(n: int) -> str:
    """1 -> 第01版"""
    return f"第{page_label(n)}版"


def rel(target: str, here: str, siteurl: str) -> str:
    """The link to site path ``target`` from the page at site path ``here``.

    With an absolute (or empty) SITEURL that is ``SITEURL/target``, as everywhere.  With
    relative URLs (SITEURL is ``.`` or ``../..``) the shortest relative path: from an
    article ``2024/03/17/01/a/`` its page is ``../`` and its edition ``../../``, not
    ``../../../../../2024/03/17/``.  A relative path works from ``file://``, from ``/``
    and from a sub-path alike, and ``#main`` keeps meaning this page (no ``<base>``).
    """
    if not siteurl or not siteurl.startswith("."):
        return f"{siteurl}/{target}"
    here_dirs = here.split("/")[:-1]  # "2024/03/17/01/a/" -> [2024, 03, 17, 01, a]; "404.html" -> []
    parts = target.split("/")  # last part: file name or "" for a folder URL
    dirs = parts[:-1]
    common = 0
    for a, b in zip(here_dirs, dirs, strict=False):
        if a != b:
            break
        common += 1
    up = "../" * (len(here_dirs) - common)
    rest = "/".join(parts[common:])
    return (up + rest) or "./"


_JSON_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"})


def ld_json(data: Any) -> Markup:
    """JSON for a ``<script type="application/ld+json">``: UTF-8, no spaces, sorted keys.

    Like Jinja's ``tojson`` it escapes ``< > & '``, so text from a dump can never close
    the script element; unlike it, it writes no blank after ``,`` and ``:``.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.translate(_JSON_ESCAPES))


_HEADING = re.compile(r"<(/?)h([1-6])\b")


def subheads_under_title(content: str) -> Markup:
    """An article body's HTML with its headings moved so the highest is ``<h2>``.

    The page's ``<h1>`` is the title; the converter writes subheads (小标题) as ``###``
    (``<h3>``), and a heading level must not be skipped (h1 → h3).  Levels are shifted,
    not flattened, so an editor's nested headings keep their order.
    """
    levels = [int(m.group(2)) for m in _HEADING.finditer(content) if not m.group(1)]
    if not levels or min(levels) == 2:
        return Markup(content)
    shift = 2 - min(levels)
    return Markup(_HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}", content))


FILTERS = {"date_cn": date_cn, "weekday_cn": weekday_cn, "page_cn": page_cn, "rel": rel,
           "ld_json": ld_json, "subheads_under_title": subheads_under_title}
