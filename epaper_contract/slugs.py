"""ASCII slugs for Chinese text, and collision-free assignment.

Pelican slugifies names on its own and silently merges two people or places whose
slugs coincide (汤丽 and 唐丽 are both "tangli").  Everything that becomes a URL here
goes through :func:`assign_slugs`, which never gives two names one slug.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from pypinyin import Style, lazy_pinyin

_NON_SLUG = re.compile(r"[^a-z0-9]+")

#: Names a tag slug may never take: they are file or folder names of list pages.
RESERVED = frozenset({"index", "page", "feed", "feeds", "all", "archive", "search", "city", "topic",
                      "author", "authors", "tag", "tags", "static", "theme", "data", "404"})


@functools.lru_cache(maxsize=65536)
def _chunk_slug(chunk: str) -> str:
    """One word's slug piece; memoised, since words recur across titles (pypinyin is slow)."""
    syllables = lazy_pinyin(unicodedata.normalize("NFKC", chunk), style=Style.NORMAL, errors=lambda s: [s])
    joined = "".join(syllables).lower().replace("ü", "v")
    ascii_ = unicodedata.normalize("NFKD", joined).encode("ascii", "ignore").decode()
    return _NON_SLUG.sub("-", ascii_).strip("-")


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
    return _NON_SLUG.sub("", "".join(lazy_pinyin(text, style=Style.TONE3, errors=lambda s: [s])).lower())


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
