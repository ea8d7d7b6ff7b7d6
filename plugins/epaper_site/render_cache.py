"""Skip rendering outputs whose inputs did not change since the last build.

A page of the site is a pure function of a few inputs; when a hash of those inputs (the
*render key*) and the files it produced (size and mtime as recorded) are the same as last
time, the files are kept without rendering.  Keys are per *unit*:

- an edition (its article pages, page pages, edition page and edition JSON): the
  fingerprints of its articles (content and metadata, see :mod:`.store`), the previous
  and next edition's dates, the URLs of the cities, topics and reporters it links to;
- a tag list page: the stories it lists (their fingerprints), its pager, the tag's count
  on the root page;
- a feed: the stories in it; a year's CSV: the year's stories.

Every key also holds the *environment*: the settings, the theme's templates and this
plugin's code, so editing a template re-renders everything.  The keys live in
``<CACHE_PATH>/epaper_site/render-v<N>.pickle`` (written at the end of a build,
atomically).  ``EPAPER_RENDER_CACHE = False`` turns this off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from epaper_contract.files import atomic_write

from .heap import bulk_objects
from .run_record import RUN

VERSION = 3


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


def _stable(v: Any) -> Any:
    """A value as repr can show it the same in every process (objects by their class only)."""
    if isinstance(v, str | int | float | bool | type(None)):
        return v
    if isinstance(v, dict):
        return {str(k): _stable(x) for k, x in v.items()}
    if isinstance(v, list | tuple | set | frozenset):
        items = [_stable(x) for x in v]
        return sorted(items, key=repr) if isinstance(v, set | frozenset) else items
    return f"<{type(v).__module__}.{type(v).__qualname__}>"


_WHERE = frozenset({"OUTPUT_PATH", "CACHE_PATH", "PATH", "ARTICLE_PATHS", "ARTICLE_EXCLUDES", "PAGE_EXCLUDES",
                    "EPAPER_SHARD", "SEARCH_SHARD"})


def _settings_digest(settings: dict[str, Any]) -> str:
    h = hashlib.sha1()
    for k in sorted(settings):
        v = settings[k]
        # where, not what: which files are read shows in the units' keys, and a year shard's
        # folder list (ARTICLE_PATHS, which Pelican copies into PAGE_EXCLUDES) grows daily
        if k in _WHERE:
            continue
        if isinstance(v, str | int | float | bool | list | tuple | dict | type(None)):
            h.update(f"{k}={_stable(v)!r}\n".encode())
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


def cache_file(settings: dict[str, Any]) -> Path:
    """Where the render keys of a build with these settings are kept."""
    return Path(settings["CACHE_PATH"]) / "epaper_site" / f"render-v{VERSION}.pickle"


def digest(*parts: Any) -> str:
    h = hashlib.sha1()
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass") if isinstance(p, str) else repr(p).encode())
        h.update(b"\0")
    return h.hexdigest()


class RenderCache:
    """unit -> (render key, [(output file, size, mtime_ns), ...], extra) of the last build.

    ``extra`` is what the unit told others when it was rendered (its sitemap entries),
    handed back when it is kept.
    """

    def __init__(self, path: Path | None, env: str) -> None:
        self.path = path
        self.env = env
        self.old: dict[str, tuple[str, list[tuple[str, int, int]], Any]] = {}
        self.new: dict[str, tuple[str, list[tuple[str, int, int]], Any]] = {}
        self.carried: set[str] = set()
        RUN.units.update(kept=0, rendered=0, carried=0)
        if path is not None:
            try:
                raw = path.read_bytes()
                with bulk_objects():  # 30,000 units' keys and files at ten years
                    data = pickle.loads(raw)
                del raw
                if data.get("v") == VERSION and data.get("env") == env:
                    self.old = data["entries"]
            except (OSError, pickle.UnpicklingError, EOFError, ValueError, KeyError, AttributeError, TypeError):
                self.old = {}

    def kept(self, unit: str, key: str, root: str) -> tuple[list[str], Any] | None:
        """The unit's files (relative to ``root``) and extra when they are what ``key`` rendered last time."""
        entry = self.old.get(unit)
        if entry is None or entry[0] != key:
            return None
        for name, size, mtime in entry[1]:
            try:
                st = os.stat(os.path.join(root, name))
            except OSError:
                return None
            if (st.st_size, st.st_mtime_ns) != (size, mtime):
                return None
        self.new[unit] = entry
        RUN.units["kept"] += 1
        return [name for name, _, _ in entry[1]], entry[2]

    def holds(self, unit: str, root: str) -> bool:
        """The unit is recorded and its first file is as recorded (a tree another tool
        rewrote since shows there; one ``stat`` a unit, not one a file)."""
        entry = self.old.get(unit)
        if entry is None:
            return False
        if not entry[1]:
            return True
        name, size, mtime = entry[1][0]
        try:
            st = os.stat(os.path.join(root, name))
        except OSError:
            return False
        return (st.st_size, st.st_mtime_ns) == (size, mtime)

    def carry(self, unit: str) -> tuple[list[str], Any] | None:
        """A unit the build knows unchanged without a key (a daily update's closed years):
        its last files and extra, not even stat'ed (the staging tree is the published one)."""
        entry = self.old.get(unit)
        if entry is None:
            return None
        self.new[unit] = entry
        self.carried.add(unit)
        RUN.units["carried"] += 1
        return [name for name, _, _ in entry[1]], entry[2]

    def record(self, unit: str, key: str, root: str, names: list[str], extra: Any = None) -> None:
        RUN.units["rendered"] += 1
        files = []
        for name in names:
            try:
                st = os.stat(os.path.join(root, name))
            except OSError:
                return  # not recorded: rendered again next time
            files.append((name, st.st_size, st.st_mtime_ns))
        self.new[unit] = (key, files, extra)
        base = os.path.abspath(root)
        RUN.owned.update(os.path.join(base, name) for name in names)

    def unsure(self) -> list[str]:
        """The last build's files of every unit not carried over in this one (sorted, relative):
        what a daily update's stale-file sweep looks at (:attr:`RunRecord.swept`)."""
        return sorted({name for unit, (_, files, _) in self.old.items() if unit not in self.carried
                       for name, _, _ in files})

    def save(self) -> None:
        if self.path is None:
            return
        atomic_write(self.path, pickle.dumps({"v": VERSION, "env": self.env, "entries": self.new},
                                             protocol=pickle.HIGHEST_PROTOCOL))
