"""ASCII slugs for Chinese text: articles' (pinyin of the title) and tags' (collision-free).

Pelican slugifies names on its own and silently merges two people or places whose
slugs coincide (汤丽 and 唐丽 are both "tangli").  Every tag name that becomes a URL
here goes through :func:`tag_slug`, which never gives two names one slug and depends on
the name alone (not on the archive's order), so a year can be built without the others.
"""

from __future__ import annotations

import contextlib
import pickle
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

_NON_SLUG = re.compile(r"[^a-z0-9]+")

#: Names a tag slug may never take: they are file or folder names of list pages.
RESERVED = frozenset({"index", "page", "feed", "feeds", "all", "archive", "search", "city", "topic",
                      "author", "authors", "tag", "tags", "static", "theme", "data", "404"})


#: Pinyin already worked out, by (style, text).  pypinyin takes ~0.8 s to import (its
#: phrase dictionary); a site build whose names are all known never imports it when the
#: memo was loaded from the last build (:func:`load_memo`).
_MEMO: dict[tuple[str, str], str] = {}
_MEMO_LOADED = [0]


def _lazy_pinyin(text: str, style: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(text, style=getattr(Style, style), errors=lambda s: [s])


def release_pypinyin() -> None:
    """Let pypinyin's dictionaries go (~50 MB: its phrase table is a big JSON object).

    For a process that has worked out every slug it needs (a site build, after indexing
    the archive's names); a later call simply imports pypinyin again.
    """
    import gc
    import sys

    if any(name == "pypinyin" or name.startswith("pypinyin.") for name in sys.modules):
        for name in [n for n in sys.modules if n == "pypinyin" or n.startswith("pypinyin.")]:
            del sys.modules[name]
        gc.collect()


def load_memo(path: Path) -> None:
    """Take the pinyin a previous run saved (a cache: a bad file is ignored)."""
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        data = pickle.loads(Path(path).read_bytes())
        if isinstance(data, dict):
            _MEMO.update(data)
    _MEMO_LOADED[0] = len(_MEMO)


def save_memo(path: Path) -> None:
    """Save the memo when it learnt something since :func:`load_memo`."""
    if len(_MEMO) != _MEMO_LOADED[0]:
        from .files import atomic_write

        atomic_write(path, pickle.dumps(_MEMO, protocol=pickle.HIGHEST_PROTOCOL))
        _MEMO_LOADED[0] = len(_MEMO)


def _chunk_slug(chunk: str) -> str:
    """One word's slug piece; memoised, since words recur across titles (pypinyin is slow)."""
    got = _MEMO.get(("NORMAL", chunk))
    if got is None:
        syllables = _lazy_pinyin(unicodedata.normalize("NFKC", chunk), "NORMAL")
        joined = "".join(syllables).lower().replace("ü", "v")
        ascii_ = unicodedata.normalize("NFKD", joined).encode("ascii", "ignore").decode()
        got = _MEMO[("NORMAL", chunk)] = _NON_SLUG.sub("-", ascii_).strip("-")
    return got


def pinyin_slug(text: str, *, words: Iterable[str] | None = None, max_len: int = 60) -> str:
    """``绍兴`` -> ``shaoxing``; Latin letters and digits are kept, everything else separates.

    ``words`` (e.g. jieba's segmentation of ``text``) groups syllables into words:
    ``["绍兴", "俊鸟"]`` -> ``shaoxing-junniao``.  Without it the whole text is one word.
    """
    chunks = list(words) if words is not None else [text]
    parts = [piece for piece in map(_chunk_slug, chunks) if piece]
    slug = "-".join(parts)
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0] or slug[:max_len]
    return slug


def tag_slug(name: str) -> str:
    """A tag's slug from its name alone: readable, and never the same for two names.

    A name that is already a slug (lower-case ASCII letters and digits, not all digits,
    not a reserved word) is its own slug: ``5g``.  Any other name gets its pinyin, an
    underscore and its characters' code points in hex: ``汤丽`` -> ``tangli_6c64-4e3d``,
    ``唐丽`` -> ``tangli_5510-4e3d``.  The part after the underscore spells the name
    exactly, and the pinyin part never holds an underscore, so two names cannot meet on
    one slug, whatever else the archive holds: any year is named without the others.
    """
    if _OWN_SLUG.fullmatch(name) and not name.isdigit() and name not in RESERVED:
        return name
    return f"{pinyin_slug(name) or 'x'}_{'-'.join(f'{ord(c):x}' for c in name)}"


_OWN_SLUG = re.compile(r"[a-z0-9]+")


def tag_slugs(names: Iterable[str]) -> dict[str, str]:
    """:func:`tag_slug` of each name (a slug depends on nothing else)."""
    return {name: tag_slug(name) for name in dict.fromkeys(names)}
