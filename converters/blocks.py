"""Stage 2, blocks: text -> one :class:`Block` per non-empty line, with its line number.

Every later warning points at a line, so the line number travels with the text.
Markdown heading marks are recognised here (level kept), nothing else is interpreted.
"""

from __future__ import annotations

import re

from converters.model import Block, Kind

# A closing run of '#' is a mark only after a space (as in CommonMark): ``## 用C#编程`` keeps its '#'.
_HEADING = re.compile(r"^(#{1,6})[ \t\u3000]*(.*?)(?:[ \t\u3000]+#+)?[ \t\u3000]*$")
# Paragraph indents (full-width spaces), tabs and stray trailing spaces are layout, not text.
_EDGE_SPACE = " \t\u3000\u00a0"


def split_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    blank = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip(_EDGE_SPACE)
        if not line:
            blank += 1
            continue
        block = Block(line=number, text=line, blank_before=blank)
        m = _HEADING.match(line)
        if m and m.group(2):
            block.level = len(m.group(1))
            block.text = m.group(2)
            block.kind = Kind.HEADLINE
        blocks.append(block)
        blank = 0
    return blocks
