"""Skip rendering article pages whose inputs did not change since the last build.

Pelican renders every article page on every build; for a year of 20,000 articles that is
most of a daily update.  An article page is a pure function of: the article (its HTML and
metadata), its neighbours and jump targets (URL and title), the pages that exist in its
edition, the URLs of its cities, topics and reporters, the settings, the theme's templates
and this plugin's code.  All of that is hashed into a *render key* per article; when the
key and the output file (size and mtime as recorded) are the same as last time, the
writer keeps the file without rendering.

The keys live in ``<CACHE_PATH>/epaper_site/render-v1.pickle`` (written at the end of a
build, atomically).  ``EPAPER_RENDER_CACHE = False`` turns this off.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

VERSION = 1
#: The cache of the build in progress (set when the articles are indexed, saved at the end).
CURRENT: RenderCache | None = None
#: Article pages kept without rendering / rendered, in this process's last build.
STATS = {"kept": 0, "rendered": 0}
_SKIP_FIELDS = {"prev", "next", "jump_on", "jump_from", "key"}
_STORY_FIELDS: list[str] = []


def _files_digest(folders: list[Path], suffixes: tuple[str, ...]) -> str:
    h = hashlib.sha1()
    for folder in folders:
        if not folder.is_dir():
            continue
        for p in sorted(folder.rglob("*")):
            if p.is_file() and p.suffix in suffixes:
                h.update(p.relative_to(folder).as_posix().encode())
                h.update(p.read_bytes())
    return h.hexdigest()


def _settings_digest(settings: dict[str, Any]) -> str:
    h = hashlib.sha1()
    for k in sorted(settings):
        v = settings[k]
        if isinstance(v, str | int | float | bool | list | tuple | dict | type(None)):
            h.update(f"{k}={v!r}\n".encode())
    return h.hexdigest()


def environment_key(settings: dict[str, Any], theme: str) -> str:
    """What every page depends on: settings, templates and the plugin's code."""
    here = Path(__file__).resolve().parent
    contract = here.parent.parent / "epaper_contract"
    return hashlib.sha1("|".join([
        f"v{VERSION}", _settings_digest(settings),
        _files_digest([Path(theme) / "templates"], (".html", ".xml", ".txt")),
        _files_digest([here, contract], (".py",)),
    ]).encode()).hexdigest()


def article_key(env: str, article: Any, story: Any, urls: Any) -> str:
    """The render key of one article page (see the module docstring)."""
    if not _STORY_FIELDS:
        _STORY_FIELDS.extend(f.name for f in dataclasses.fields(story) if f.name not in _SKIP_FIELDS)
    h = hashlib.sha1(env.encode())
    # The templates read article.content, .url, .jsonld (made from the story, the
    # settings and the URLs) and .story; everything else comes from the story.
    h.update(str(article.content).encode())
    h.update(str(article.url).encode())
    h.update(repr([getattr(story, f) for f in _STORY_FIELDS]).encode())
    for other in (story.prev, story.next, story.jump_on, story.jump_from):
        h.update(repr((other.url, other.title) if other is not None else None).encode())
    pages = urls.paper.editions[story.date].pages if urls.paper and story.date in urls.paper.editions else {}
    h.update(repr(sorted(pages)).encode())
    for kind, names in (("city", story.cities), ("topic", story.topics),
                        ("reporter", story.authors + story.correspondents)):
        h.update(repr([urls.name(kind, n) for n in names]).encode())
    return h.hexdigest()


class RenderCache:
    """output file -> (render key, size, mtime_ns) of the last build."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.old: dict[str, tuple[str, int, int]] = {}
        self.new: dict[str, tuple[str, int, int]] = {}
        STATS.update(kept=0, rendered=0)
        if path is not None:
            try:
                data = pickle.loads(path.read_bytes())
                if data.get("v") == VERSION:
                    self.old = data["entries"]
            except (OSError, pickle.UnpicklingError, EOFError, ValueError, KeyError, AttributeError):
                self.old = {}

    def fresh(self, name: str, key: str, full_path: str) -> bool:
        """True when ``full_path`` is the file this key rendered last time (and is kept)."""
        entry = self.old.get(name)
        if entry is None or entry[0] != key:
            return False
        try:
            st = os.stat(full_path)
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns) != entry[1:]:
            return False
        self.new[name] = entry
        STATS["kept"] += 1
        return True

    def record(self, name: str, key: str, full_path: str) -> None:
        STATS["rendered"] += 1
        try:
            st = os.stat(full_path)
        except OSError:
            return
        self.new[name] = (key, st.st_size, st.st_mtime_ns)

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps({"v": VERSION, "entries": self.new}, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, self.path)
