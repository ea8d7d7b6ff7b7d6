"""The article as sections of jieba words, the shape both the city and the topic rules read."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Section names, in reading order; the weights live with the rules that use them.
TITLE, KICKER, LEAD, BODY = "title", "kicker", "lead", "body"

_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}  # ，-> ,  Ａ -> A  １ -> 1
_FULLWIDTH[0x3000] = 0x20
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Half-width ASCII forms and single spaces: the dump and the converter's output differ
    only in punctuation width, and the tags must not."""
    return _SPACES.sub(" ", (text or "").translate(_FULLWIDTH)).strip()


@dataclass(frozen=True)
class Section:
    name: str
    text: str
    words: tuple[str, ...]
    starts: tuple[int, ...]  # character offset of each word in text


def make_section(name: str, text: str, cut) -> Section:
    words = tuple(cut(text))
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w)
    return Section(name, text, words, tuple(starts))
