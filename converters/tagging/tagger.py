"""The tagger: gazetteer, vocabulary, IDF and jieba loaded once, then pure tagging calls."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from converters.tagging import cities, topics
from converters.tagging.gazetteer import DEFAULT_GAZETTEER, Gazetteer, load_gazetteer
from converters.tagging.idf import DEFAULT_IDF, IdfTable, load_idf
from converters.tagging.segment import build_tokenizer, cut
from converters.tagging.text import BODY, KICKER, LEAD, TITLE, make_section, normalise, split_column
from converters.tagging.vocabulary import (
    DEFAULT_STOPWORDS,
    DEFAULT_VOCABULARY,
    Vocabulary,
    load_stopwords,
    load_vocabulary,
)


@dataclass(frozen=True)
class TagResult:
    cities: list[str]  # short names, most salient first; a county is followed by its city
    topics: list[str]  # 3-6 canonical vocabulary topics, best first (fewer only if fewer match)
    places: list[tuple[str, str, str]]  # (short name, kind, parent) for each city tag


_LOADED: dict[tuple, Tagger] = {}
_LOCK = threading.Lock()
_RESULT_CACHE_SIZE = 4096


class Tagger:
    """Holds the loaded data; :meth:`tag` is a pure function of the article text."""

    def __init__(self, gazetteer: Gazetteer, vocabulary: Vocabulary, idf: IdfTable, tokenizer) -> None:
        self.gazetteer = gazetteer
        self.vocabulary = vocabulary
        self.idf = idf
        self.tokenizer = tokenizer
        self._results: dict[str, TagResult] = {}

    @classmethod
    def load(cls, *, gazetteer: Path | str = DEFAULT_GAZETTEER, vocabulary: Path | str = DEFAULT_VOCABULARY,
             stopwords: Path | str = DEFAULT_STOPWORDS, idf: Path | str = DEFAULT_IDF,
             cache_dir: Path | str | None = None) -> Tagger:
        """Load once per process (per set of data files); later calls return the same Tagger.
        The data files' modification times are part of the key, so an edited file is re-read."""
        paths = tuple(Path(p).resolve() for p in (gazetteer, vocabulary, stopwords, idf))
        key = (*paths, *(p.stat().st_mtime_ns if p.exists() else 0 for p in paths), str(cache_dir))
        with _LOCK:
            tagger = _LOADED.get(key)
            if tagger is None:
                gaz = load_gazetteer(paths[0])
                stop = load_stopwords(paths[2])
                vocab = load_vocabulary(paths[1], stop, frozenset(gaz.surfaces))
                tk = build_tokenizer(gaz.words(), vocab.words(), cache_dir)
                tagger = _LOADED[key] = cls(gaz, vocab, load_idf(paths[3]), tk)
        return tagger

    def segment(self, text: str) -> list[str]:
        return cut(self.tokenizer, text)

    def tag(self, *, title: str = "", kicker: str | None = "", lead: str | None = "",
            paragraphs: list[str] | tuple[str, ...] = (), subtitle: str | None = "",
            cache: bool = True) -> TagResult:
        """Cities and topics of one article.  ``paragraphs`` may start with the lead.
        Results are memoised by a hash of the text (``cache=False`` bypasses it, for timing)."""
        title, column = split_column(normalise(title))
        parts = [(TITLE, title), (KICKER, normalise(f"{kicker or ''} {subtitle or ''}")),
                 (LEAD, normalise(lead or ""))]
        body = [normalise(p) for p in paragraphs]
        if body and parts[2][1] and body[0] == parts[2][1]:
            body = body[1:]
        body.append(column)
        parts.append((BODY, "\n".join(p for p in body if p)))
        key = hashlib.blake2b("\x00".join(t for _, t in parts).encode(), digest_size=16).hexdigest()
        cached = self._results.get(key) if cache else None
        if cached is not None:
            return cached
        sections = [make_section(name, text, self.segment) for name, text in parts if text]
        places = cities.rank(cities.mentions(sections, self.gazetteer), self.gazetteer)
        chosen = topics.select(topics.score(sections, self.vocabulary, self.idf), self.vocabulary)
        result = TagResult(cities=[p.short for p in places], topics=chosen,
                           places=[(p.short, p.kind, p.parent) for p in places])
        if len(self._results) >= _RESULT_CACHE_SIZE:
            self._results.clear()
        self._results[key] = result
        return result
