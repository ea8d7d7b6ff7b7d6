"""The article as sections of jieba words, the shape both the city and the topic rules read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

# Section names, in reading order; the weights live with the rules that use them.
TITLE, KICKER, LEAD, BODY = "title", "kicker", "lead", "body"

_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}  # ，-> ,  Ａ -> A  １ -> 1
_FULLWIDTH[0x3000] = 0x20
# The same mapping applied by a regular expression to just the full-width characters: a
# few in every sentence, so much faster than str.translate looking up every character.
_FULLWIDTH_CHARS = {chr(k): chr(v) for k, v in _FULLWIDTH.items()}
_FULLWIDTH_RE = re.compile("[\uff01-\uff5e\u3000]")
assert set(_FULLWIDTH_CHARS) == {chr(c) for c in [*range(0xFF01, 0xFF5F), 0x3000]}


def _halfwidth(m: re.Match) -> str:
    return _FULLWIDTH_CHARS[m.group()]
_SPACES = re.compile(r"\s+")
_COLUMN = re.compile(r"\s*\(([^()]{2,40})\)\s*$")


def normalise(text: str) -> str:
    """Half-width ASCII forms and single spaces: the dump and the converter's output differ
    only in punctuation width, and the tags must not."""
    return _SPACES.sub(" ", _FULLWIDTH_RE.sub(_halfwidth, text or "")).strip()


def split_column(title: str) -> tuple[str, str]:
    """``陕西扎实推进…(坚定信心,打开改革发展新天地)`` -> (title, column label): the label names
    a series, not this article's subject, so it must not get a headline's weight."""
    m = _COLUMN.search(title)
    return (title[:m.start()], m.group(1)) if m and m.start() > 0 else (title, "")


@dataclass(frozen=True)
class Section:
    name: str
    text: str
    words: tuple[str, ...]
    starts: tuple[int, ...]  # character offset of each word in text


def make_section(name: str, text: str, cut) -> Section:
    words = tuple(cut(text))
    starts = tuple(accumulate(map(len, words[:-1]), initial=0)) if words else ()
    return Section(name, text, words, starts)


def positions(words: tuple[str, ...], table) -> list[int]:
    """Indices of the words that are keys of ``table``, in order: the same as testing every
    word against ``table``, but only texts that hold a key pay for a pass over their words."""
    hits = set(filter(table.__contains__, set(words)))
    if not hits:
        return []
    return [i for i, w in enumerate(words) if w in hits]
