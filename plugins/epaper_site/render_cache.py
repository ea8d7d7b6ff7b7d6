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
atomically), except an edition's and a year's CSV: those are kept on a *shelf*, one file
per year (``render-v<N>-<year>.pickle``), opened only when one of its units is looked at.
The main file holds a short index of each shelf (each unit's first file, its files
outside its own tree, its sitemap entries of other groups): what a daily update needs to
carry a closed year over without opening its shelf (:meth:`RenderCache.carry_shelf`), so
what it loads and saves does not grow with the archive.  The other units a daily update
carried one by one (the tag pages of the closed years: tens of thousands at ten years)
are kept the same way, as one *carried block* (``render-v<N>-carried.pickle``): the next
update whose tags name the same units (:attr:`RenderCache.block_sig`) carries the block
whole (:meth:`RenderCache.holds_block`, :meth:`RenderCache.carry_block`).
``EPAPER_RENDER_CACHE = False`` turns this off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any, NamedTuple

from epaper_contract.files import atomic_write, drop_other_versions

from .heap import bulk_objects
from .run_record import RUN
from .sitemap import group_of

VERSION = 4
#: Units of a carried block whose first file is checked before it is carried whole: a tree
#: another tool rewrote or restored shows in any of them, and the check does not grow with
#: the archive.
BLOCK_SAMPLE = 64


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


def shelf_of(unit: str) -> str | None:
    """The year whose shelf keeps a unit's entry (an edition's, a year's CSV and calendar), else None."""
    kind, _, rest = unit.partition(":")
    if kind in ("edition", "csv", "archive") and rest[:4].isdigit() and rest[4:5] in ("", "-"):
        return rest[:4]
    return None


def _outside(files: list[tuple[str, int, int]], tree: str | None) -> list[str]:
    """A unit's file names not under its own ``tree``."""
    return [n for n, _, _ in files if not (tree and n.startswith(tree))]


class ShelfUnit(NamedTuple):
    """What the main file keeps of a shelved unit: enough to carry it unopened."""

    first: tuple[str, int, int] | None  # its first file as recorded (``holds`` stats it)
    tree: str | None  # the folder holding only its files (the stale-file sweep skips it)
    outside: list[str]  # its files outside ``tree``
    foreign: dict[str, Any]  # its sitemap entries listed in another group than its year's


class CarriedBlock(NamedTuple):
    """What the main file keeps of the carried block: which units it holds, and a spread of
    their first files (its entries, files and sitemap entries are in a file of its own)."""

    units: frozenset[str]
    sample: tuple[tuple[str, int, int], ...]
    key: str  # the same in its file: a build killed between writing the two shows
    #: What the daily update that made it said its units are (:attr:`RenderCache.block_sig`).
    sig: str = ""


Entry = tuple[str, list[tuple[str, int, int]], Any]


class RenderCache:
    """unit -> (render key, [(output file, size, mtime_ns), ...], extra) of the last build.

    ``extra`` is what the unit told others when it was rendered (its sitemap entries),
    handed back when it is kept.
    """

    def __init__(self, path: Path | None, env: str) -> None:
        self.path = path
        self.env = env
        self.old: dict[str, Entry] = {}
        self.new: dict[str, Entry] = {}
        self.carried: set[str] = set()
        self.shelves: dict[str, dict[str, ShelfUnit]] = {}  # year -> its units, as the main file indexes them
        self.opened: set[str] = set()
        self.carried_shelves: set[str] = set()
        self.trees: dict[str, str | None] = {}
        self.block: CarriedBlock | None = None
        self.block_opened = False  # its entries are in ``old``
        self.block_carried: dict[str, Any] | None = None  # its files and sitemap entries, when carried whole
        #: A daily update's name for the units it carries outside the shelves (a digest of
        #: what makes them: the tags and their pages), kept with the block it makes of them.
        self.block_sig: str | None = None
        RUN.units.update(kept=0, rendered=0, carried=0)
        data = self._load(path)
        if data is not None:
            self.old = data["entries"]
            self.shelves = data["shelves"]
            self.block = data.get("block")

    def _load(self, path: Path | None) -> dict | None:
        if path is None:
            return None
        try:
            raw = path.read_bytes()
            with bulk_objects():  # 30,000 units' keys and files at ten years
                data = pickle.loads(raw)
            del raw
            if data.get("v") == VERSION and data.get("env") == self.env:
                return data
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, KeyError, AttributeError, TypeError):
            pass
        return None

    def _shelf_file(self, year: str) -> Path:
        assert self.path is not None
        return self.path.with_name(f"{self.path.stem}-{year}{self.path.suffix}")

    def _open(self, year: str | None) -> None:
        if year is None or year in self.opened or year not in self.shelves:
            return
        self.opened.add(year)
        RUN.loaded["shelves"] += 1
        data = self._load(self._shelf_file(year))
        if data is not None:
            self.old.update(data["entries"])

    def _block_file(self) -> Path:
        assert self.path is not None
        return self.path.with_name(f"{self.path.stem}-carried{self.path.suffix}")

    def _load_block(self) -> dict[str, Any] | None:
        """The block's file: its units' files and sitemap entries, and their entries (still
        pickled: a block carried whole does not need them)."""
        data = self._load(self._block_file())
        if data is None or self.block is None or data.get("key") != self.block.key:
            return None
        return data

    def _open_block(self) -> None:
        """The block's entries, for its units to be looked at one by one."""
        if self.block is None or self.block_opened:
            return
        self.block_opened = True
        RUN.loaded["shelves"] += 1
        data = self._load_block()
        if data is not None:
            with bulk_objects():
                entries = pickle.loads(data["entries"])
            for u, entry in entries.items():
                self.old.setdefault(u, entry)

    def _entry(self, unit: str) -> Entry | None:
        year = shelf_of(unit)
        if year is not None:
            self._open(year)
        elif self.block is not None and unit in self.block.units:
            self._open_block()
        return self.old.get(unit)

    def kept(self, unit: str, key: str, root: str, tree: str | None = None) -> tuple[list[str], Any] | None:
        """The unit's files (relative to ``root``) and extra when they are what ``key`` rendered last time."""
        entry = self._entry(unit)
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
        self.trees[unit] = tree
        RUN.units["kept"] += 1
        return [name for name, _, _ in entry[1]], entry[2]

    def holds(self, unit: str, root: str) -> bool:
        """The unit is recorded and its first file is as recorded (a tree another tool
        rewrote since shows there; one ``stat`` a unit, not one a file)."""
        year = shelf_of(unit)
        if year is not None and year not in self.opened:
            shelved = self.shelves.get(year, {}).get(unit)
            if shelved is None:
                return False
            first = shelved.first
        else:
            entry = self._entry(unit)
            if entry is None:
                return False
            first = entry[1][0] if entry[1] else None
        return _as_recorded(first, root)

    def holds_block(self, sig: str, root: str) -> bool | None:
        """Whether the carried block is the units ``sig`` names (:attr:`block_sig`) as it was
        published: None when it is not those units (carry them one by one), False when a
        file of its sample is not as recorded, True when it can be carried whole
        (:meth:`carry_block`)."""
        if self.block is None or self.block_opened or not sig or self.block.sig != sig:
            return None
        if not all(_as_recorded(first, root) for first in self.block.sample):
            return False
        data = self._load_block()
        if data is None:
            return None
        self.block_carried = data
        return True

    def carry_block(self) -> tuple[list[str], dict[str, dict[str, Any]]]:
        """The carried block whole, as :meth:`holds_block` found it: its units' files and
        their sitemap entries by sitemap group; nothing is looked at one by one."""
        assert self.block is not None and self.block_carried is not None
        RUN.units["carried"] += len(self.block.units)
        return self.block_carried["names"], self.block_carried["sitemap"]

    def carry(self, unit: str, tree: str | None = None) -> tuple[list[str], Any] | None:
        """A unit the build knows unchanged without a key (a daily update's closed years):
        its last files outside ``tree`` (the stale-file sweep skips the tree) and its extra,
        not even stat'ed (the staging tree is the published one)."""
        entry = self._entry(unit)
        if entry is None:
            return None
        self.new[unit] = entry
        self.trees[unit] = tree
        self.carried.add(unit)
        RUN.units["carried"] += 1
        return _outside(entry[1], tree), entry[2]

    def carry_shelf(self, year: str, units: dict[str, str | None]) -> dict[str, ShelfUnit] | None:
        """A closed year's shelf carried whole, unopened, when ``units`` (unit -> its tree) are
        all it holds, with the trees it was recorded with: its index (what each unit needs to
        be carried); None: carry them one by one."""
        index = self.shelves.get(year)
        if index is None or year in self.opened or set(index) != set(units) \
                or any(index[u].tree != t for u, t in units.items()):
            return None
        self.carried_shelves.add(year)
        RUN.units["carried"] += len(index)
        return index

    def record(self, unit: str, key: str, root: str, names: list[str], extra: Any = None,
               tree: str | None = None) -> None:
        RUN.units["rendered"] += 1
        files = []
        for name in names:
            try:
                st = os.stat(os.path.join(root, name))
            except OSError:
                return  # not recorded: rendered again next time
            files.append((name, st.st_size, st.st_mtime_ns))
        self.new[unit] = (key, files, extra)
        self.trees[unit] = tree
        base = os.path.abspath(root)
        RUN.owned.update(os.path.join(base, name) for name in names)

    def unsure(self) -> list[str]:
        """The last build's files of every unit not carried over in this one (sorted, relative):
        what a daily update's stale-file sweep looks at (:attr:`RunRecord.swept`)."""
        for year in self.shelves.keys() - self.carried_shelves:
            self._open(year)
        if self.block_carried is None:
            self._open_block()
        block = self.block.units if self.block_carried is not None and self.block is not None else frozenset()
        return sorted({name for unit, (_, files, _) in self.old.items()
                       if unit not in self.carried and unit not in block and shelf_of(unit) not in self.carried_shelves
                       for name, _, _ in files})

    def save(self) -> None:
        """The main file and every shelf this build changed; a shelf or the block carried
        whole is left as it is.  The units carried one by one outside the shelves become the
        block (a daily update's first, after a full build or in a new year)."""
        if self.path is None:
            return
        main: dict[str, Entry] = {}
        shelved: dict[str, dict[str, Entry]] = {}
        loose: dict[str, Entry] = {}
        for unit, entry in self.new.items():
            year = shelf_of(unit)
            if year is not None:
                shelved.setdefault(year, {})[unit] = entry
            elif unit in self.carried:
                loose[unit] = entry
            else:
                main[unit] = entry
        block = self.block if self.block_carried is not None else self._save_block(loose)
        index: dict[str, dict[str, ShelfUnit]] = {}
        for year in sorted(self.shelves.keys() | shelved.keys()):
            if year in self.carried_shelves:
                index[year] = self.shelves[year]
                continue
            entries = shelved.get(year)
            if not entries:
                self._shelf_file(year).unlink(missing_ok=True)
                continue
            index[year] = {unit: self._index(year, unit, entry) for unit, entry in entries.items()}
            if year in self.opened and index[year] == self.shelves.get(year) and all(
                    self.old.get(u) == e for u, e in entries.items()):
                continue  # opened and kept as it was: the file holds it already
            atomic_write(self._shelf_file(year), pickle.dumps({"v": VERSION, "env": self.env, "entries": entries},
                                                             protocol=pickle.HIGHEST_PROTOCOL))
        atomic_write(self.path, pickle.dumps({"v": VERSION, "env": self.env, "entries": main, "shelves": index,
                                              "block": block}, protocol=pickle.HIGHEST_PROTOCOL))
        drop_other_versions(self.path.parent, "render", VERSION)

    def _save_block(self, loose: dict[str, Entry]) -> CarriedBlock | None:
        """``loose`` (the units carried one by one outside the shelves) as the block, in a
        file of its own; None (and no file) when there are none."""
        if not loose:
            self._block_file().unlink(missing_ok=True)
            return None
        units = sorted(loose)
        names = [name for u in units for name, _, _ in loose[u][1]]
        by_group: dict[str, dict[str, Any]] = {}
        for u in units:
            for url, e in (loose[u][2] or {}).items():
                by_group.setdefault(group_of(url), {})[url] = e
        step = max(1, -(-len(units) // BLOCK_SAMPLE))
        sample = tuple(loose[u][1][0] for u in units[::step] if loose[u][1])
        key = digest(*units)
        atomic_write(self._block_file(), pickle.dumps(
            {"v": VERSION, "env": self.env, "key": key, "names": names, "sitemap": by_group,
             "entries": pickle.dumps(loose, protocol=pickle.HIGHEST_PROTOCOL)}, protocol=pickle.HIGHEST_PROTOCOL))
        return CarriedBlock(frozenset(units), sample, key, self.block_sig or "")

    def _index(self, year: str, unit: str, entry: Entry) -> ShelfUnit:
        _, files, extra = entry
        tree = self.trees.get(unit)
        return ShelfUnit(first=files[0] if files else None, tree=tree,
                         outside=_outside(files, tree),
                         foreign={u: e for u, e in (extra or {}).items() if group_of(u) != year})


def _as_recorded(first: tuple[str, int, int] | None, root: str) -> bool:
    """A unit's first file is as recorded (size and mtime; a unit without files holds)."""
    if first is None:
        return True
    name, size, mtime = first
    try:
        st = os.stat(os.path.join(root, name))
    except OSError:
        return False
    return (st.st_size, st.st_mtime_ns) == (size, mtime)
