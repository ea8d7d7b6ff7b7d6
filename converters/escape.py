"""Escaping: whatever a dump contains shows as text, whatever renders it.

Markdown and HTML syntax is replaced by numeric character references, which every
Markdown flavour passes through unchanged and every browser shows as the character
itself, so the output does not depend on which Markdown extensions the site enables.
"""

from __future__ import annotations

import re

_INLINE = {
    "&": "&amp;", "<": "&lt;", ">": "&gt;", "\\": "&#92;", "`": "&#96;", "*": "&#42;", "_": "&#95;",
    "[": "&#91;", "]": "&#93;", "{": "&#123;", "}": "&#125;", "|": "&#124;", "~": "&#126;", "^": "&#94;",
    "$": "&#36;", "=": "&#61;",
}
_INLINE_RE = re.compile("[" + re.escape("".join(_INLINE)) + "]")
# Things that are syntax only at the start of a line.
_LINE_START = re.compile(r"^(\s*)([#+\-:>]|\d+[.)])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def markdown_text(text: str) -> str:
    """One paragraph of plain text as Markdown that renders back to exactly that text."""
    text = _CONTROL.sub("", text).replace("\n", " ")
    text = _INLINE_RE.sub(lambda m: _INLINE[m.group(0)], text)

    def _start(m: re.Match) -> str:
        token = m.group(2)
        return m.group(1) + "".join(f"&#{ord(c)};" for c in token)

    text = _LINE_START.sub(_start, text)
    # Four leading spaces would make a code block.
    return text.lstrip()


_SPACE_RUN = re.compile(r"\s+")
# What metadata_value changes: control characters, whitespace other than one inner space.
_NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f]|[^\S ]|  |^ | $")


def metadata_value(text: str) -> str:
    """A metadata value on one line: plain text, no line breaks, no control characters."""
    if not text or _NOT_ONE_LINE.search(text) is None:  # most values: nothing to change
        return text
    return _SPACE_RUN.sub(" ", _CONTROL.sub("", text)).strip()
