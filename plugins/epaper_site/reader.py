"""Pelican's Markdown reader with one Markdown instance for all files, and a short cut.

Pelican builds a new ``markdown.Markdown`` for every file it reads, loading every
extension again; for a year of 20,000 articles that is a third of reading them.
Python-Markdown is made to be reused: ``reset()`` clears a document's state (the meta
extension included).

What the converter writes is almost always a metadata header, paragraphs and ``###``
subheads, with none of the characters Markdown gives a meaning to.  For exactly that
subset :func:`plain_markdown` gives Python-Markdown's own output ~8× faster (it was
2/5 of reading a year); anything else (an editor's emphasis, a list, a link, HTML,
indentation) goes to Python-Markdown as before.  ``tests/site/test_reader.py`` holds the two
to the same output on every bundled file and on generated text.  Everything else is
Pelican's reader.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from epaper_contract.header import parse_lines

from .pelican_compat import MetadataMarkdownReader

#: Characters that can mean something to Markdown or to the extensions Pelican turns on
#: (extra: tables, attribute lists, fenced code, footnotes, abbreviations) anywhere in a
#: line, and the whitespace its preprocessor rewrites: any of them, and the file is Markdown's.
_UNSAFE = re.compile(r"[\\`*_\[\]<>&|{}~\r\t\x02\x03]")
_LIST_START = re.compile(r"\d+[.)]")
_BLOCK_START = frozenset("#>=+-:")
#: The extensions whose output on such text is plain paragraphs and headings (Pelican's default set).
_PLAIN_EXTENSIONS = frozenset({"markdown.extensions.meta", "markdown.extensions.extra",
                               "markdown.extensions.codehilite", "meta", "extra", "codehilite"})


def plain_markdown(text: str) -> tuple[str, dict[str, list[str]]] | None:
    """(HTML, Meta) as Python-Markdown with the meta extension makes them, or None.

    None unless ``text`` is a metadata header (``epaper_contract.header``: the meta
    extension's own patterns and loop) followed by paragraphs and ATX headings only: no character of
    ``_UNSAFE``, no line starting with a block marker (``#`` other than a plain heading,
    ``>``, ``=``, ``+``, ``-``, ``1.``) or with whitespace, none ending in whitespace.
    """
    if _UNSAFE.search(text) or not text.strip():
        return None
    lines = text.split("\n")
    header = parse_lines(lines)
    blocks: list[str] = []
    para: list[str] = []
    for line in lines[header.body_start:]:
        if not line:
            if para:
                blocks.append("<p>" + "\n".join(para) + "</p>")
                para = []
            continue
        if line[0] == "#":
            level = len(line) - len(line.lstrip("#"))
            title = line[level:].strip()
            if level > 6 or not title or "#" in title:
                return None
            if para:
                blocks.append("<p>" + "\n".join(para) + "</p>")
                para = []
            blocks.append(f"<h{level}>{title}</h{level}>")
            continue
        if line[0] in _BLOCK_START or line[0].isspace() or line[-1].isspace() or _LIST_START.match(line):
            return None
        para.append(line)
    if para:
        blocks.append("<p>" + "\n".join(para) + "</p>")
    return "\n".join(blocks), header.meta


class ReusingMarkdownReader(MetadataMarkdownReader):
    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        with pelican_open(source_path) as text:
            plain = plain_markdown(text) if self._plain_ok() else None
            if plain is not None:
                content, meta = plain
                return content, self.parse_metadata(meta, source_path)
            md = self.__dict__.get("_shared")
            if md is None:
                md = self._shared = Markdown(**self.settings["MARKDOWN"])
            md.reset()
            content = md.convert(text)
        meta = getattr(md, "Meta", None)
        return content, (self.parse_metadata(meta, source_path) if meta is not None else {})

    def _plain_ok(self) -> bool:
        """The short cut holds for the meta extension, with at most Pelican's default
        extensions besides (their syntax is in ``_UNSAFE``), writing HTML."""
        ok = self.__dict__.get("_plain")
        if ok is None:
            conf = self.settings["MARKDOWN"]
            exts = {e if isinstance(e, str) else type(e).__module__
                    for e in [*conf.get("extensions", []), *conf.get("extension_configs", {})]}
            ok = self._plain = ("markdown.extensions.meta" in exts and exts <= _PLAIN_EXTENSIONS
                                and conf.get("output_format", "xhtml") in {"html", "html5", "xhtml"}
                                and int(conf.get("tab_length", 4)) == 4)
        return ok


def use_reusing_reader(readers: Any) -> None:
    """``readers_init``: our reader for every extension Pelican's Markdown reader has."""
    for ext, cls in list(readers.reader_classes.items()):
        if cls is MarkdownReader:
            readers.reader_classes[ext] = ReusingMarkdownReader
