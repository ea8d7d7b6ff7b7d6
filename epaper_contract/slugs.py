"""ASCII slugs for Chinese text, and collision-free assignment.

Pelican slugifies names on its own and silently merges two people or places whose
slugs coincide (汤丽 and 唐丽 are both "tangli").  Everything that becomes a URL here
goes through :func:`assign_slugs`, which never gives two names one slug.
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


def tone_slug(text: str) -> str:
    """Pinyin with tone numbers, to tell apart names that differ only by tone (tang1li4, tang2li4)."""
    got = _MEMO.get(("TONE3", text))
    if got is None:
        got = _MEMO[("TONE3", text)] = _NON_SLUG.sub("", "".join(_lazy_pinyin(text, "TONE3")).lower())
    return got


def assign_slugs(names: Iterable[str], taken: Iterable[str] = ()) -> dict[str, str]:
    """Give every name a distinct ASCII slug, deterministically.

    ``names`` should come in a stable order (e.g. by first appearance in the archive):
    the first name of a pinyin keeps the plain slug, later ones get the tone-marked
    pinyin, then a suffix from the characters' code points.  Because a daily update
    only appends names, it never changes a slug that was already published.
    """
    used = set(taken) | RESERVED
    out: dict[str, str] = {}
    for name in names:
        if name in out:
            continue
        base = pinyin_slug(name) or "x"
        if base.isdigit() or base in RESERVED:
            base = f"{base}-x"
        candidates = [base, f"{base}-{tone_slug(name)}",
                      f"{base}-{'-'.join(f'{ord(c):x}' for c in name)}"]
        slug = next((c for c in candidates if c not in used), None)
        n = 2
        while slug is None:
            slug = f"{base}-{n}" if f"{base}-{n}" not in used else None
            n += 1
        used.add(slug)
        out[name] = slug
    return out
