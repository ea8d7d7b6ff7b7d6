"""Pelican's Markdown reader with one Markdown instance for all files.

Pelican builds a new ``markdown.Markdown`` for every file it reads, loading every
extension again; for a year of 20,000 articles that is a third of reading them.
Python-Markdown is made to be reused: ``reset()`` clears a document's state (the meta
extension included).  Everything else is Pelican's reader.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open


class _NoDeregister:
    """Stands in for a Markdown instance when no metadata field is formatted."""

    class preprocessors:
        @staticmethod
        def deregister(name: str, strict: bool = True) -> None:
            return None


class ReusingMarkdownReader(MarkdownReader):
    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        self._source_path = source_path
        md = self.__dict__.get("_shared")
        if md is None:
            md = self._shared = Markdown(**self.settings["MARKDOWN"])
        md.reset()
        with pelican_open(source_path) as text:
            content = md.convert(text)
        meta = getattr(md, "Meta", None)
        return content, (self._parse_metadata(meta) if meta is not None else {})

    def _parse_metadata(self, meta: dict) -> dict:
        """Pelican's, which converts formatted fields with ``self._md`` after removing its
        meta preprocessor: give it a throwaway instance then, never the shared one."""
        formatted = {f.lower() for f in self.settings["FORMATTED_FIELDS"]}
        if any(k.lower() in formatted for k in meta):
            self._md = Markdown(**self.settings["MARKDOWN"])
        else:
            self._md = _NoDeregister()
        return super()._parse_metadata(meta)


def use_reusing_reader(readers: Any) -> None:
    """``readers_init``: our reader for every extension Pelican's Markdown reader has."""
    for ext, cls in list(readers.reader_classes.items()):
        if cls is MarkdownReader:
            readers.reader_classes[ext] = ReusingMarkdownReader
