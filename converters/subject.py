"""Has the subject changed?  The one test, used wherever text must tell where a story ends.

Two runs of text are compared by the cosine similarity of their content words
(:func:`converters.segment.content_words`): below :data:`SUBJECT_CHANGE` they talk of
different things.  The structure pass asks it of the text either side of an ambiguous
heading (a new story or a subhead?); the byline rule asks it of the two halves of a body
that a stray byline cuts (one story, or two whose second lost its headline).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from converters import segment
from converters.model import Block

#: Below this similarity, two runs of text are about different subjects.
SUBJECT_CHANGE = 0.12


def words(blocks: Iterable[Block]) -> Counter:
    """The content words of the blocks' running text (a lead's dateline and credits left out)."""
    c: Counter = Counter()
    for b in blocks:
        c.update(segment.content_words(b.running_text))
    return c


def changed(similarity: float) -> bool:
    """Does this similarity of two runs of text say they are about different subjects?"""
    return similarity < SUBJECT_CHANGE
