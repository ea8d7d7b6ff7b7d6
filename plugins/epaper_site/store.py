"""The article store: what a build learned from each content file, kept for the next build.

Why: Pelican reads every article on every build (from its cache, ~0.4 ms each, so ~8 s
for a year before anything is rendered) and renders every article page.  A daily update
changes one edition; everything the site needs from the other 20,000 articles (the story
facts, the HTML, the plain text for search and open data) is the same as last time.

So each published article Pelican reads becomes an :class:`ArticleRecord`, stored per
edition folder (``<CACHE_PATH>/epaper_site/store-v<N>/<folder>.pickle``) together with
the file's stamp (``mtime_ns``, size).  On the next build the plugin hands Pelican only
the files whose stamp changed or that are new (:func:`split_files`); the others come back
as records, and :class:`StoredArticle` makes a record look like the Pelican ``Article``
that templates, the feed writer and the sitemap expect.

A file that Pelican could not read, or that is a draft or hidden, is never stored, so
it is read (and reported) again on every build.  Deleted files simply drop out.

Each folder's HTML and plain texts are kept apart from its facts (``<folder>.text.pickle``)
and loaded only when asked for: a daily update needs them for the articles it renders,
the feeds and the search segment it rebuilds, not for the archive (at ten years that is
6 s and most of 2 GB a build).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import importlib
import importlib.machinery
import importlib.util
import os
import pickle
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pelican.urlwrappers import Author, Category

from epaper_contract.files import atomic_write

from .heap import bulk_objects
from .model import Story, story_from_metadata
from .pelican_compat import BareArticle, Stamp, file_stamp, raw_html
from .render_cache import digest
from .run_record import RUN


def _search_text() -> Any:
    """The search plugin's ``text`` module: its ``html_to_text`` is the house's one plain text
    (the search index cuts it, the open data counts it).  Pelican imports plugins from
    ``PLUGIN_PATHS`` without putting that folder on ``sys.path``, so the sibling package is
    found as Pelican finds it (``PathFinder.find_spec`` in the folder beside this one) and
    registered under its name, where Pelican's loader finds it again."""
    try:
        return importlib.import_module("epaper_search.text")
    except ImportError:
        spec = importlib.machinery.PathFinder.find_spec("epaper_search", [str(Path(__file__).resolve().parent.parent)])
        if spec is None or spec.loader is None:
            raise
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[spec.name]
            raise
        return importlib.import_module("epaper_search.text")


def html_to_text(markup: str) -> str:
    """The plain text of an article's HTML, as the search plugin cuts it (its module looked
    up at the first call: by then Pelican has loaded that plugin as it loads plugins)."""
    module = _SEARCH_TEXT[0] if _SEARCH_TEXT else None
    if module is None:
        module = _search_text()
        _SEARCH_TEXT.append(module)
    return module.html_to_text(markup)


_SEARCH_TEXT: list[Any] = []

#: 4: plain text as the search plugin cuts it (one html_to_text for the house).
VERSION = 4
_LINK_FIELDS = ("prev", "next", "jump_on", "jump_from")


@dataclass
class ArticleRecord:
    """One published article as the site uses it; picklable and free of Pelican objects."""

    source: str  # path relative to the content folder, as Pelican's get_files gives it
    stamp: tuple[int, int]  # (mtime_ns, size) of the file when read
    story: Story  # without prev/next/jump links
    content: str  # the HTML Pelican's reader produced (before intrasite link replacement)
    title: str
    summary: str
    date: dt.datetime
    authors: list[str]
    category: str
    lang: str
    text: str  # the body as plain text (search); emptied once handed over (see release_texts)
    fingerprint: str  # changes whenever anything above changes
    chars: int = -1  # length of ``text`` (open data's Characters), kept when the text is released

    def __post_init__(self) -> None:
        if self.chars < 0:
            self.chars = len(self.text)


class _Bodies:
    """One folder's HTML and texts, read from its text pickle the first time a record asks."""

    __slots__ = ("path", "records", "stamp")

    def __init__(self, path: Path, stamp: tuple[int, int]) -> None:
        self.path = path
        self.stamp = stamp  # (mtime_ns, size) the folder's fact pickle recorded for it
        self.records: list[ArticleRecord] = []

    def load(self) -> None:
        try:
            st = self.path.stat()
            if (st.st_mtime_ns, st.st_size) != self.stamp:
                raise ValueError("changed since its folder was stored")
            data = pickle.loads(self.path.read_bytes())
            if data.get("v") != VERSION:
                raise ValueError("another store version")
            bodies = data["bodies"]
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, KeyError, AttributeError, TypeError) as err:
            # never publish an article without its text: fail, naming the file and the cure
            raise RuntimeError(f"epaper: the article store's {self.path} cannot be read ({err}); "
                               f"remove {self.path.parent} (or run `make clean`) and build again") from err
        for r in self.records:
            content, text = bodies.get(r.source, (None, None))
            if content is None:
                raise RuntimeError(f"epaper: {r.source} is missing from the article store's {self.path}; "
                                   f"remove {self.path.parent} (or run `make clean`) and build again")
            d = r.__dict__
            if d.get("_content") is None:
                d["_content"] = content
            if d.get("_text") is None:
                d["_text"] = text
            d.pop("_bodies", None)
        self.records = []


def _lazy(name: str) -> property:
    """A record field whose value comes from its folder's text pickle when first read."""
    slot = "_" + name

    def get(self: ArticleRecord) -> str:
        value = self.__dict__.get(slot)
        if value is None:
            bodies = self.__dict__.get("_bodies")
            if bodies is None:
                return ""
            bodies.load()
            value = self.__dict__[slot]
        return value

    def put(self: ArticleRecord, value: str | None) -> None:
        self.__dict__[slot] = value

    return property(get, put, doc=f"The record's {name} (loaded from the store when first read).")


ArticleRecord.content = _lazy("content")  # type: ignore[assignment]
ArticleRecord.text = _lazy("text")  # type: ignore[assignment]


_DATE_FOLDER = re.compile(r"\d{4}-\d{2}-\d{2}")


def folder_of_dir(rel_dir: str) -> str:
    """:func:`folder_of` of every file in ``rel_dir`` (relative, ``""`` or ending in ``/``)."""
    return folder_of(rel_dir + "_")


def folder_of(source: str) -> str:
    """The store file a source belongs to: its edition, the folders down to the first one
    named like a date (``zjrb/2024-03-17/01/x.md`` -> ``zjrb__2024-03-17``); else its first
    folder; else ``_``.  One file per edition is what keeps a daily update from pickling
    the whole archive again: the papers' folders (``content/<paper>/``) are not editions."""
    parts = source.replace(os.sep, "/").lstrip("./").split("/")[:-1]
    for i, part in enumerate(parts):
        if _DATE_FOLDER.fullmatch(part):
            return "__".join(parts[:i + 1])
    return parts[0] if parts and parts[0] else "_"


def _bare_story(story: Story) -> Story:
    return dataclasses.replace(story, **dict.fromkeys(_LINK_FIELDS), key=0)


def record_from_article(article: Any, story: Story, source: str, stamp: tuple[int, int]) -> ArticleRecord:
    """Capture what later builds need from a freshly read Pelican article."""
    content = raw_html(article)
    authors = [str(a) for a in getattr(article, "authors", []) or []]
    category = str(getattr(article, "category", "") or "")
    summary = str(article.metadata.get("summary", "")) if "summary" in article.metadata else str(article.summary)
    bare = _bare_story(story)
    fingerprint = digest(content, str(article.title), summary, article.date.isoformat(), authors, category,
                         getattr(article, "lang", ""), dataclasses.astuple(bare))
    return ArticleRecord(source=source, stamp=stamp, story=bare, content=content, title=str(article.title),
                         summary=summary, date=article.date, authors=authors, category=category,
                         lang=getattr(article, "lang", ""), text=html_to_text(content),
                         fingerprint=fingerprint)


def record_of(article: Any, base_path: str) -> ArticleRecord:
    """The record of an article Pelican just read (in this process or a reading worker)."""
    s = getattr(article, "_epaper_story", None)  # made by the plugin at content_object_init
    if s is None or s.slug != article.slug:
        s = story_from_metadata(article.metadata | {"slug": article.slug})
    s.url = article.url
    source = os.path.normpath(os.path.relpath(article.source_path, base_path))
    return record_from_article(article, s, source, file_stamp(article.source_path) or (0, 0))


class StoredArticle(BareArticle):
    """A record dressed as a Pelican ``Article`` (no file read, no Markdown parsed).

    Only what our templates, Pelican's feed writer and the sitemap plugin read is set;
    ``summary``/``url`` are Pelican's own code over these attributes, ``get_content``
    :class:`.pelican_compat.BareArticle`'s.
    """

    def __init__(self, record: ArticleRecord, settings: dict, context: dict) -> None:
        super().__init__(settings, context)
        self.record = record
        self.metadata = {"title": record.title, "date": record.date, "summary": record.summary,
                         "slug": record.story.slug}
        self.title = record.title
        self.date = record.date
        self.slug = record.story.slug
        self.lang = record.lang or settings.get("DEFAULT_LANG", "")
        self.source_path = record.source
        self.relative_source_path = record.source
        self.override_url = record.story.url
        self.override_save_as = ""  # our generator writes article pages, not Pelican's

    def stored_html(self) -> str:
        """The record's HTML: read from the store only if a page or a feed needs it."""
        return self.record.content

    def store_html(self, value: str) -> None:
        self.record.content = value

    # Pelican's URL wrappers, made when first asked for (feeds): not 20,000 of them per build.
    @property
    def authors(self) -> list[Author]:
        return [Author(a, self.settings) for a in self.record.authors]

    @property
    def author(self) -> Author:
        if not self.record.authors:
            raise AttributeError("author")
        return Author(self.record.authors[0], self.settings)

    @property
    def category(self) -> Category:
        if not self.record.category:
            raise AttributeError("category")
        return Category(self.record.category, self.settings)

    @property
    def save_as(self) -> str:  # the file our generator writes
        url = self.override_url
        return f"{url}index.html" if url == "" or url.endswith("/") else url


# -- the store on disk -------------------------------------------------------------------------
# Rows of plain values, not pickled objects: unpickling 20,000 dataclasses with their
# dicts and zone-aware datetimes took 0.7 s a build; tuples of strings take a fifth of it.

_STORY_FIELDS = tuple(f.name for f in dataclasses.fields(Story) if f.name not in (*_LINK_FIELDS, "key"))
_ZONES: dict[str, ZoneInfo] = {}
# Story(*row) relies on the link fields being Story's last ones.
assert [f.name for f in dataclasses.fields(Story)][:len(_STORY_FIELDS)] == list(_STORY_FIELDS)


def _meta_row(r: ArticleRecord) -> tuple:
    """A stored row: the record without its HTML and text (those go to the text pickle)."""
    return (r.source, r.stamp, story_row(r.story), r.title, r.summary,
            r.date.isoformat(), getattr(r.date.tzinfo, "key", None), r.authors, r.category, r.lang,
            r.fingerprint, r.chars)


def _record(row: tuple, content: str | None, text: str | None) -> ArticleRecord:
    """A record from a :func:`_meta_row` and its HTML and text (None: read when asked for)."""
    (source, stamp, story, title, summary, date, zone, authors, category, lang, fingerprint, chars) = row
    return ArticleRecord(source=source, stamp=tuple(stamp), story=Story(*story), content=content, title=title,
                         summary=summary, date=_date(date, zone), authors=authors, category=category, lang=lang,
                         text=text, fingerprint=fingerprint, chars=chars)


def _from_meta_row(row: tuple, bodies: _Bodies) -> ArticleRecord:
    rec = _record(row, None, None)
    rec.__dict__["_bodies"] = bodies
    bodies.records.append(rec)
    return rec


def _date(date: str, zone: str | None) -> dt.datetime:
    value = dt.datetime.fromisoformat(date)
    if zone:  # the named zone back (same instant and wall time as the stored offset)
        tz = _ZONES.get(zone) or _ZONES.setdefault(zone, ZoneInfo(zone))
        value = value.astimezone(tz)
    return value


def _to_row(r: ArticleRecord) -> tuple:
    """A whole record, as forked readers send it back: its row, its HTML and its text."""
    return (_meta_row(r), r.content, r.text)


def _from_row(row: tuple) -> ArticleRecord:
    return _record(*row)


def _load_folder(path: Path) -> dict[str, ArticleRecord] | None:
    """One folder's records (texts loaded when asked for), or None when it is not usable."""
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError,
                             TypeError, ImportError, IndexError, KeyError):
        data = pickle.loads(path.read_bytes())
        if data.get("v") != VERSION or data.get("story_fields") != _STORY_FIELDS:
            return None
        text = path.with_name(path.stem + ".text.pickle")
        st = text.stat()  # a folder without its texts is not stored (its files are read again)
        if (st.st_mtime_ns, st.st_size) != tuple(data["text_stamp"]):
            return None
        bodies = _Bodies(text, (st.st_mtime_ns, st.st_size))
        got = {row[0]: _from_meta_row(row, bodies) for row in data["rows"]}
        RUN.loaded["folders"] += 1  # what a build had to load: the daily update's test counts it
        RUN.loaded["records"] += len(got)
        return got
    return None


def story_row(story: Story) -> tuple:
    """A story as stored: its fields without the links (``Story(*row)`` makes it again)."""
    return tuple(getattr(story, f) for f in _STORY_FIELDS)


def load_records(folder: Path, sources: list[str]) -> dict[str, ArticleRecord]:
    """The stored records of ``sources`` only, reading just their folders' pickles.

    For the stitch of a sharded build: feeds need the HTML of a few hundred articles
    spread over the archive, not the 20,000 of each year.
    """
    out: dict[str, ArticleRecord] = {}
    for f in sorted({folder_of(s) for s in sources}):
        got = _load_folder(folder / f"{f}.pickle")
        if got is None:
            raise RuntimeError(f"epaper: the article store's {folder / f}.pickle cannot be read; "
                               "build that year's shard again")
        out.update(got)
    missing = [s for s in sources if s not in out]
    if missing:
        raise RuntimeError(f"epaper: {missing[0]} is missing from the article store in {folder}; "
                           "build that year's shard again")
    return {s: out[s] for s in sources}


def store_folder(cache_path: str | Path) -> Path:
    """Where a build with this CACHE_PATH keeps its article store."""
    return Path(cache_path) / "epaper_site" / f"store-v{VERSION}"


class ArticleStore:
    """Records by source path, loaded from and saved to one pickle per edition folder."""

    def __init__(self, folder: Path | None, lazy: bool = False) -> None:
        self.folder = folder
        self.records: dict[str, ArticleRecord] = {}
        self._dirty: set[str] = set()
        self._present: set[str] = set()
        self._misfiled: list[Path] = []  # files of another grouping (see folder_of): dropped at save
        self.complete = not lazy  # every stored folder loaded (a daily update loads what it reaches)
        self._loaded: dict[str, dict[str, ArticleRecord]] = {}  # lazily: by folder
        if lazy or folder is None or not folder.is_dir():
            return
        self._load_all()

    def _load_all(self) -> None:
        assert self.folder is not None
        with bulk_objects():
            for path in self.folder.glob("*.pickle"):
                if path.name.endswith(".text.pickle"):
                    continue
                got = _load_folder(path)
                if got is not None and any(folder_of(s) != path.stem for s in got):
                    self._misfiled.append(path)  # e.g. one file for a whole paper's folder
                elif got is not None:
                    self.records.update(got)
                    self._present.add(path.stem)
        self.complete = True

    def load_everything(self) -> None:
        """The whole store after all (a daily update that found it cannot stay daily)."""
        if self.complete:
            return
        self.records.clear()
        self._present.clear()
        self._loaded.clear()
        if self.folder is not None and self.folder.is_dir():
            self._load_all()
        self.complete = True

    def load_folders(self, names: set[str] | list[str]) -> dict[str, ArticleRecord]:
        """The records of these edition folders (as :func:`folder_of` names them), loaded once.

        A folder that cannot be read gives nothing: its files are read again by Pelican
        only in a full build, so the daily update's caller treats a miss as "not daily".
        """
        out: dict[str, ArticleRecord] = {}
        for f in sorted(set(names)):
            got = self._loaded.get(f)
            if got is None and self.folder is not None:
                with bulk_objects():  # a year's records at once, as _load_all
                    got = _load_folder(self.folder / f"{f}.pickle")
                if got is None or any(folder_of(s) != f for s in got):
                    got = {}
                else:
                    self.records.update(got)
                    self._present.add(f)
                self._loaded[f] = got
            out.update(got or {})
        return out

    def replace_folders(self, names: set[str], records: list[ArticleRecord]) -> None:
        """A daily update's records of the folders it read (``names``): those are rewritten."""
        for s in [s for s in self.records if folder_of(s) in names]:
            del self.records[s]
        self.records.update((r.source, r) for r in records)
        self._dirty.update(names)

    def split(self, stamps: dict[str, Stamp]) -> tuple[list[str], list[ArticleRecord]]:
        """(sources Pelican must read, records still valid for the others), from each source's
        stamp as the walk of the content folder found it (sorted by source)."""
        to_read, kept = [], []
        for src in sorted(stamps):
            rec = self.records.get(src)
            if rec is not None and rec.stamp == stamps[src]:
                kept.append(rec)
            else:
                to_read.append(src)
        return to_read, kept

    def replace_all(self, records: list[ArticleRecord]) -> None:
        """This build's complete set of records; folders whose records changed are rewritten."""
        def by_folder(recs: dict[str, ArticleRecord]) -> dict[str, dict[str, tuple]]:
            out: dict[str, dict[str, tuple]] = defaultdict(dict)
            for s, r in recs.items():
                out[folder_of(s)][s] = (r.fingerprint, r.stamp)
            return out

        before = by_folder(self.records)
        self.records = {r.source: r for r in records}
        after = by_folder(self.records)
        for f in before.keys() | after.keys():
            if before.get(f) != after.get(f) or (f in after and f not in self._present):
                self._dirty.add(f)

    def save(self) -> None:
        """Write the folders whose records changed (as rows: links and build state left out)."""
        if self.folder is None or self.__dict__.get("released"):
            return
        for path in self._misfiled:
            path.unlink(missing_ok=True)
            path.with_name(path.stem + ".text.pickle").unlink(missing_ok=True)
        self._misfiled.clear()
        if not self._dirty:
            return
        by_folder: dict[str, dict[str, ArticleRecord]] = defaultdict(dict)
        for s, r in self.records.items():
            by_folder[folder_of(s)][s] = r
        self.folder.mkdir(parents=True, exist_ok=True)
        for f in sorted(self._dirty):
            path = self.folder / f"{f}.pickle"
            text = self.folder / f"{f}.text.pickle"
            if by_folder.get(f):
                recs = [r for _, r in sorted(by_folder[f].items())]
                bodies = {}
                for r in recs:
                    if r.chars != len(r.text):
                        raise ValueError(f"{r.source}: the text was released before the store was saved")
                    bodies[r.source] = (r.content, r.text)
                # the texts first, then the facts that name them: a kill between the two leaves
                # facts whose text stamp does not match, so the folder is read again
                atomic_write(text, pickle.dumps({"v": VERSION, "bodies": bodies}, protocol=pickle.HIGHEST_PROTOCOL))
                st = text.stat()
                atomic_write(path, pickle.dumps({"v": VERSION, "story_fields": _STORY_FIELDS,
                                                 "text_stamp": (st.st_mtime_ns, st.st_size),
                                                 "rows": [_meta_row(r) for r in recs]},
                                                protocol=pickle.HIGHEST_PROTOCOL))
            else:
                path.unlink(missing_ok=True)
                text.unlink(missing_ok=True)
        self._dirty.clear()

    def release_texts(self) -> None:
        """Drop the plain texts (saved, handed to search): the rest of the build needs their length only."""
        self.save()
        self.released = True  # texts (and later, HTML) leave memory: never saved again this build
        for r in self.records.values():
            r.text = ""
