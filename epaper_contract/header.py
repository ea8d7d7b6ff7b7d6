"""The metadata header of a content file, read one way by every reader of the Markdown.

The site reads the files with Python-Markdown's ``meta`` extension (Pelican's Markdown
reader), so that is what a header *means*: this module runs the extension's own
patterns and loop (``markdown.extensions.meta.MetaPreprocessor.run``), so the
converter's tools (``converters.gold``, ``converters.report``, the printed page) and
the site's fast reader see exactly the keys and values Pelican would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markdown.extensions.meta import BEGIN_RE, END_RE, META_MORE_RE, META_RE


@dataclass
class Header:
    """A file's metadata (keys lower-cased, each key's lines in order, as Python-Markdown's
    ``Markdown.Meta``) and the index of the first body line in the file's lines."""

    meta: dict[str, list[str]] = field(default_factory=dict)
    body_start: int = 0

    def get(self, key: str, default: str = "") -> str:
        """One key's value (its lines joined by newlines); ``key`` in any case."""
        lines = self.meta.get(key.lower())
        return "\n".join(lines) if lines else default


def parse_lines(lines: list[str]) -> Header:
    """The header at the top of ``lines`` (a file split on ``\\n``), as the meta extension
    reads it: an optional ``---`` line, ``Key: value`` lines and indented continuation
    lines, ended by a blank line, ``---``/``...``, or the first line that is neither."""
    meta: dict[str, list[str]] = {}
    key = None
    i, n = 0, len(lines)
    if n and BEGIN_RE.match(lines[0]):
        i = 1
    while i < n:
        line = lines[i]
        m1 = META_RE.match(line)
        if line.strip() == "" or END_RE.match(line):
            i += 1
            break
        if m1:
            key = m1.group("key").lower().strip()
            meta.setdefault(key, []).append(m1.group("value").strip())
        else:
            m2 = META_MORE_RE.match(line)
            if m2 and key:
                meta[key].append(m2.group("value").strip())
            else:
                break
        i += 1
    return Header(meta, i)


def parse(text: str) -> tuple[Header, str]:
    """(header, body) of a content file's text."""
    lines = text.split("\n")
    header = parse_lines(lines)
    return header, "\n".join(lines[header.body_start:])


def read(path: Path) -> tuple[Header, str]:
    """(header, body) of a content file; undecodable bytes are replaced, never fatal."""
    return parse(Path(path).read_text(encoding="utf-8", errors="replace"))
