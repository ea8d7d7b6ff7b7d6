"""epaper_contract: the one header parser and the jump partner key, as every reader needs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown import Markdown

import epaper_contract as K
from epaper_contract.header import parse

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "content").rglob("*.md"))


def _markdown_meta(text: str) -> dict[str, list[str]]:
    md = Markdown(extensions=["markdown.extensions.meta"])
    md.convert(text)
    return md.Meta


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_header_is_what_python_markdown_reads(path: Path) -> None:
    """What the site (Pelican's Markdown reader) sees is what the converter's tools see."""
    text = path.read_text(encoding="utf-8")
    header, body = parse(text)
    assert header.meta == _markdown_meta(text)
    assert header.get(K.SLUG) and body.strip()


@pytest.mark.parametrize("text", [
    "---\nTitle: 甲\nAuthors: 汤丽,\n    唐丽\n---\n正文\n",  # YAML-style fences, a continuation line
    "Title: 甲\nnot a key line\n\n正文\n",  # the header ends at the first line that is neither
    "正文：不是标题\n\n第二段\n",  # a body-only file: a CJK "key" is not a key
    "Title:\nSlug: x\n\n",
])
def test_edge_cases_agree_with_python_markdown(text: str) -> None:
    header, _ = parse(text)
    assert header.meta == _markdown_meta(text)


def test_get_joins_lines_and_ignores_case() -> None:
    header, body = parse("Title: 甲\nAuthors: 汤丽,\n    唐丽\n\n正文\n")
    assert header.get("TITLE") == "甲" and header.get("authors") == "汤丽,\n唐丽"
    assert header.get("Missing", "-") == "-" and body == "正文\n"


def test_a_bundled_continuation_names_its_first_part() -> None:
    """The converter paired the jump (下转 ↔ 上接): the continuation carries its first part's
    slug, and that first part is on the page it names and jumps to the continuation's page."""
    parts = {}
    for path in BUNDLED:
        header, _ = parse(path.read_text(encoding="utf-8"))
        parts[header.get(K.SLUG)] = header
    continued = [h for h in parts.values() if h.get(K.CONTINUED_FROM_SLUG)]
    assert continued, "the bundled rmrb 2025-04-08 page 2 continues a page-1 story"
    for h in continued:
        first = parts[h.get(K.CONTINUED_FROM_SLUG)]
        assert first.get(K.PAGE) == h.get(K.CONTINUED_FROM) and first.get(K.CONTINUED_ON) == h.get(K.PAGE)
