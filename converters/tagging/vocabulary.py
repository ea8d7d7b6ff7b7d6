"""The controlled topic vocabulary (``converters/data/topics.tsv``) and the stopword list.

Topics come only from this hand-edited file, so a tag page is always a subject an editor
chose; synonyms fold spellings together (民营企业 -> 民营经济).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from converters.tagging.gazetteer import DATA_DIR

DEFAULT_VOCABULARY = DATA_DIR / "topics.tsv"
DEFAULT_STOPWORDS = DATA_DIR / "stopwords.txt"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Topic:
    name: str
    broader: str = ""
    synonyms: tuple[str, ...] = ()


@dataclass
class Vocabulary:
    topics: dict[str, Topic] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)  # term (name or synonym) -> topic name

    def words(self) -> list[str]:
        """Every multi-character term, for jieba's user dictionary."""
        return sorted(t for t in self.terms if len(t) >= 2)


def load_stopwords(path: Path | str = DEFAULT_STOPWORDS) -> frozenset[str]:
    words = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            word = line.split("#", 1)[0].strip()
            if word:
                words.add(word)
    return frozenset(words)


def parse_vocabulary(lines, stopwords: frozenset[str] = frozenset(),
                     places: frozenset[str] = frozenset()) -> Vocabulary:
    """Parse the TSV.  Stopwords, place names and one-character terms are dropped with a
    warning rather than failing the conversion: an editor's slip must not stop the paper."""
    vocab = Vocabulary()

    def usable(term: str, lineno: int) -> bool:
        if len(term) < 2:
            reason = "is one character"
        elif term in stopwords:
            reason = "is a stopword or newsroom word"
        elif term in places:
            reason = "is a place name (a city tag, not a topic)"
        elif term in vocab.terms:
            reason = f"already belongs to {vocab.terms[term]}"
        else:
            return True
        log.warning("topics line %d: %r %s; ignored", lineno, term, reason)
        return False

    for lineno, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [*line.split("\t"), "", ""]
        name, broader, synonyms = (c.strip() for c in cols[:3])
        if not name or not usable(name, lineno):
            continue
        vocab.terms[name] = name
        kept: list[str] = []
        for syn in (s.strip() for s in synonyms.split("|")):
            if syn and syn != name and usable(syn, lineno):
                vocab.terms[syn] = name
                kept.append(syn)
        vocab.topics[name] = Topic(name=name, broader=broader, synonyms=tuple(kept))
    for topic in vocab.topics.values():
        if topic.broader and topic.broader not in vocab.topics:
            log.warning("topics: broader topic %r of %r is not defined", topic.broader, topic.name)
    return vocab


def load_vocabulary(path: Path | str = DEFAULT_VOCABULARY, stopwords: frozenset[str] = frozenset(),
                    places: frozenset[str] = frozenset()) -> Vocabulary:
    with open(path, encoding="utf-8") as f:
        return parse_vocabulary(f, stopwords, places)
