"""The stories of a page as the printed-page stage needs them: read back from ``content/``.

The stage runs after the articles are written, on every page that has a PDF, also on
pages whose dump did not change this run (their PDF may be new), so it reads the
articles where they are for good: the Markdown files of the content contract.  An
editor's correction of a title there is what the regions are matched against, too.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import epaper_contract as K
from epaper_contract.header import parse


@dataclass(frozen=True)
class StoryText:
    """One article's printed text: what a reader sees of it on the page."""

    slug: str
    title: str
    order: int = 0
    kicker: str = ""
    subtitle: str = ""
    caption: str = ""
    names: tuple[str, ...] = ()  # reporters and correspondents (the byline line)
    paragraphs: tuple[str, ...] = field(default=())  # body paragraphs and subheads, in order


class NotAnArticle(ValueError):
    """A Markdown file without the header the converter writes (message names the file)."""


def read_story(path: Path) -> StoryText:
    """One article file: its metadata header (read by :mod:`epaper_contract.header`, so the
    keys and values are the ones the site sees) and its body (escapes undone)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise NotAnArticle(f"{path}: not UTF-8 ({exc.reason})") from None
    header, body = parse(text)  # the one header parser, as the site reads it

    def meta(key: str) -> str:
        return html.unescape(header.get(key))

    slug = meta(K.SLUG)
    if not slug:
        raise NotAnArticle(f"{path}: no {K.SLUG} in its header")
    paragraphs = []
    for line in body.splitlines():
        line = line.strip()
        if line:
            paragraphs.append(html.unescape(line.lstrip("#").strip() if line.startswith("#") else line))
    try:
        order = int(meta(K.ORDER) or 0)
    except ValueError:
        order = 0
    return StoryText(slug=slug, title=meta(K.TITLE), order=order, kicker=meta(K.KICKER),
                     subtitle=meta(K.SUBTITLE), caption=meta(K.CAPTION),
                     names=tuple(K.split_list(meta(K.AUTHORS)) + K.split_list(meta(K.CORRESPONDENTS))),
                     paragraphs=tuple(paragraphs))


def article_files(folder: Path) -> list[Path]:
    """The page's article files, by name (hidden and temporary files left out)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == ".md" and not p.name.startswith(".") and p.is_file())
