"""Stage 2b, blocks: the dump's lines -> one :class:`Block` per line, with its line number.

Every later warning points at a line, so the line number travels with the text.  What the
layout tool's decoration said (a heading mark, whole-line emphasis, an indent, a picture)
was read by :mod:`converters.dialects`; here it becomes the block's hints.
"""

from __future__ import annotations

from converters.dialects import Dump, Line, normalise
from converters.model import Block, Kind


def to_blocks(lines: list[Line]) -> list[Block]:
    blocks: list[Block] = []
    for ln in lines:
        b = Block(line=ln.number, text=ln.text, blank_before=ln.blank_before, level=ln.level,
                  bold=ln.bold, indent=ln.indent, figure=ln.figure, marked=bool(ln.level or ln.bold))
        if ln.figure is not None:
            b.kind = Kind.FIGURE
        blocks.append(b)
    return blocks


def read_blocks(text: str) -> tuple[list[Block], Dump]:
    """Text -> blocks, and the dump as the dialect stage saw it (its notes, its processors)."""
    dump = normalise(text)
    return to_blocks(dump.lines), dump


def split_blocks(text: str) -> list[Block]:
    return read_blocks(text)[0]
