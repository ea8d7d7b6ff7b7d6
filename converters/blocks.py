"""Stage 2b, blocks: the dump's lines -> one :class:`Block` per line, with its line number.

Every later warning points at a line, so the line number travels with the text.  What the
layout tool's decoration said (a heading mark, whole-line emphasis, an indent, a picture)
was read by :mod:`converters.dialects`; here it becomes the block's hints.
"""

from __future__ import annotations

from converters.classify import run_on_mark
from converters.dialects import Dump, Line, normalise
from converters.model import Block, Kind


def to_blocks(lines: list[Line]) -> list[Block]:
    """One block a line; a jump line run on after a paragraph's last sentence (……需求。
    （下转第三版）) a block of its own, as the page sets it, and so closing credits run on
    after a story's last sentence, where the dump marks the next headline (or ends): in
    the middle of a story, bracketed names may close one item of a round-up."""
    blocks: list[Block] = []
    for k, ln in enumerate(lines):
        found = run_on_mark(ln.text) if ln.figure is None and not ln.level else None
        after = lines[k + 1] if k + 1 < len(lines) else None
        if found is not None and (found[0] == "jump" or after is None or after.level or after.bold):
            blocks += [Block(line=ln.number, text=found[1], blank_before=ln.blank_before, indent=ln.indent),
                       Block(line=ln.number, text=found[2])]
            continue
        b = Block(line=ln.number, text=ln.text, blank_before=ln.blank_before, level=ln.level,
                  bold=ln.bold, indent=ln.indent, figure=ln.figure, marked=bool(ln.level or ln.bold),
                  one_type=ln.one_type, whole=ln.apart)
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
