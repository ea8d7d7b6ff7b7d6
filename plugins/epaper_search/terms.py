"""What one article gives the index: :class:`Doc` and its terms (:func:`doc_terms`).

Every CJK bigram and Latin/digit word of the text (:mod:`.text`) with its packed ``info``
(:mod:`.format`); jieba's words only add ranking (``w:<word>`` postings for words of three
or more characters, the whole-word bit for two); cities and topics as ``c:``/``t:`` terms
for the filters.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from epaper_contract.fastcut import HAN_BLOCK, FastCut

from .format import TF_CAP
from .text import CJK_CLASS, normalize, tokens

#: The term cache's format (what :func:`doc_terms` returns), independent of the files'.
CACHE_VERSION = 2


@dataclass
class Doc:
    """What the index knows of one article (all plain text)."""

    url: str
    date: str
    page: int
    order: int
    title: str
    kicker: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    caption: str = ""
    body: str = ""
    cities: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    #: A fingerprint of all the fields above, when the caller has one (the site plugin's
    #: article store does): hashing it instead of the text lets a build skip unchanged
    #: segments without being handed their bodies (see ``build.freeze_unchanged``).
    sig: str = ""

    def headline(self) -> str:
        return "\n".join(p for p in (self.kicker, self.title, self.subtitle) if p)

    def byline(self) -> str:
        return "、".join(self.authors)

    def fulltext(self) -> str:
        """The searchable text: headline, byline, caption and body, one field per line.

        ``search.js`` builds the same string from a metadata block and the article page.
        """
        return "\n".join(p for p in (self.kicker, self.title, self.subtitle, self.byline(),
                                     self.caption, self.body) if p)

    def record(self) -> dict:
        """The document's entry in a metadata block: what a result shows besides the snippet.

        No caption or body: the browser takes those from the article page (it fetches the
        page anyway to check the candidate and cut the snippet).
        """
        rec = {"u": self.url, "d": self.date, "p": self.page, "t": self.title, "k": self.kicker,
               "s": self.subtitle, "a": self.byline(), "ci": self.cities, "to": self.topics}
        return {k: v for k, v in rec.items() if v not in ("", [], None)}


def sort_key(doc: Doc) -> tuple:
    """Reading order, the order of ids within a segment: a date range is an id range."""
    return (doc.date, doc.page, doc.order, doc.url)


def pack_terms(terms: dict[str, int]) -> tuple[str, bytes]:
    """A document's terms for the cache: one string of terms and one byte of info each
    (far smaller than a dict in memory, and unpacked by C code)."""
    return "\n".join(terms), bytes(terms.values())


def unpack_terms(packed: tuple[str, bytes]) -> dict[str, int]:
    return dict(zip(packed[0].split("\n"), packed[1], strict=True)) if packed[0] else {}


_words_memo: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
_CJK_WORD_RE = re.compile(f"[{CJK_CLASS}]{{2,}}")
_FAST: list = []


def fastcut() -> FastCut:
    """jieba's accurate cut without HMM, word for word, at about half the cost
    (:mod:`epaper_contract.fastcut`), over jieba's own dictionary, loaded from its compact
    copy (:mod:`epaper_contract.jiebatable`: a fifth of jieba's load time, which a daily
    update with a few dozen new articles would otherwise spend most of its index time on)."""
    if not _FAST:
        from epaper_contract.jiebatable import default_table

        freq, total = default_table()
        _FAST.append(FastCut(freq=freq, total=total))
    return _FAST[0]


def _block_words(block: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """jieba's two-character and longer CJK words of one of its blocks, memoised.

    The words are jieba's: :func:`fastcut` runs jieba's dynamic programme over jieba's
    dictionary and is tested against it word for word.

    jieba cuts a line block by block (runs of ``re_han_default``), each on its own, so
    cutting the blocks one at a time and remembering repeated ones (datelines, set
    phrases, repeated sentences) gives exactly the words of cutting the whole line.
    """
    got = _words_memo.get(block)
    if got is None:
        two, long = [], []
        for w in fastcut().cut(block, False):
            if _CJK_WORD_RE.fullmatch(w):
                (two if len(w) == 2 else long).append(w)
        got = (tuple(two), tuple(long))
        if len(_words_memo) > 200_000:
            _words_memo.clear()
        _words_memo[block] = got
    return got


def doc_terms(doc: Doc) -> dict[str, int]:
    """Every index term of one document with its packed ``info``."""
    head = normalize(doc.headline())
    full = normalize(doc.fulltext())
    tf = Counter(tokens(full))
    head_tokens = set(tokens(head))
    words: set[str] = set()
    long_words: Counter[str] = Counter()
    for block in HAN_BLOCK.findall(full):
        two, long = _block_words(block)
        words.update(two)
        long_words.update(long)
    out: dict[str, int] = {}
    cap = TF_CAP
    for tok, n in tf.items():
        out[tok] = ((n if n < cap else cap) << 2) | ((tok in head_tokens) << 1) | (tok in words)
    for w, n in long_words.items():
        out["w:" + w] = ((n if n < cap else cap) << 2) | ((w in head) << 1) | 1
    for c in doc.cities:
        out["c:" + normalize(c)] = 0
    for t in doc.topics:
        out["t:" + normalize(t)] = 0
    return out
