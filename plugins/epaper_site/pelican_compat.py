"""Every touch of Pelican's internals, in one place, each naming the Pelican code it leans on.

The plugin uses Pelican's public signals and settings wherever they suffice; what they do
not offer (reading only the files the article store lacks, a writer that replaces a file
only when its bytes change, an article that is not read from a file, a linear
``process_translations``) is done here, against Pelican's private names.  Pelican is pinned
(requirements.txt); :data:`CHECKED_VERSIONS` lists the versions these lines were read
against, and ``tests/site/test_pelican_compat.py`` fails, naming this module, when the
installed Pelican is another: read each comment's Pelican code again before adding it.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import re
from collections.abc import Callable
from itertools import groupby
from operator import attrgetter
from typing import Any

import pelican
from pelican import generators as pelican_generators
from pelican import utils as pelican_utils
from pelican.contents import Article
from pelican.readers import MarkdownReader
from pelican.writers import FileOverwriteFailedError, Writer

#: Pelican versions whose code every function here was checked against.
CHECKED_VERSIONS = ("4.12.0",)


def version_problem() -> str | None:
    """Why the installed Pelican may not fit this module, or None when it was checked."""
    installed = getattr(pelican, "__version__", "unknown")
    if installed in CHECKED_VERSIONS:
        return None
    return (f"Pelican {installed} is installed, but plugins/epaper_site/pelican_compat.py was checked "
            f"against {', '.join(CHECKED_VERSIONS)} only: read the Pelican code each of its functions "
            "names, mend what changed, then add the version to CHECKED_VERSIONS")


# -- the article generator: reading ----------------------------------------------------------------

def take_over_article_reading(
        generator: Any, split: Callable[[list[str], Folders, Deferred | None], list[str]],
        defer: Callable[[str], bool] | None = None) -> None:
    """Let ``split`` choose which of the article files Pelican reads; our generator writes
    article pages and the all-articles feed.

    - ``Generator.get_files`` (pelican/generators.py) is wrapped.  ``ArticlesGenerator.
      generate_context`` calls it with the very list ``self.settings["ARTICLE_PATHS"]``,
      told apart from other callers by identity; those paths are walked by
      :func:`article_files` (Pelican's rules, faster) and the result goes to ``split``
      (normalised paths, sorted, and each folder's files with their stamps).  Folders
      ``defer`` is true of are left out of the walk; ``split``'s third argument names
      them and walks them when asked (None: none were left out).
      ``Generator._check_disabled_readers`` calls it again
      with ``extensions=self.readers.disabled_extensions`` (files of disabled readers):
      none are disabled here, so it is answered empty and the archive is not walked twice.
    - ``Generator._include_path`` is replaced by the same test with ``IGNORE_FILES``
      compiled once (Pelican runs ``fnmatch`` per pattern per file).
    - ``ArticlesGenerator.generate_articles`` and ``generate_feeds`` (called from
      ``generate_output``) do nothing: ``EpaperGenerator`` writes both.
    """
    settings = generator.settings
    original = generator.get_files

    def get_files(paths, exclude=None, extensions=None):
        if extensions is not None and extensions is not False and not extensions:
            return []
        if paths is not settings["ARTICLE_PATHS"]:
            return original(paths, exclude=exclude or [], extensions=extensions)
        folders: Folders = {}
        deferred: list[tuple[str, str]] = []
        files = article_files(generator, paths, exclude or [], extensions, folders, defer, deferred)
        rest = Deferred([rel for _, rel in deferred], lambda: folder_files(generator, exclude or [], extensions,
                                                                            deferred)) if deferred else None
        return split(files, folders, rest)

    generator.get_files = get_files
    generator._include_path = _compiled_include_path(generator)
    generator.generate_articles = lambda write: None
    generator.generate_feeds = lambda writer: None


@dataclasses.dataclass
class Deferred:
    """Folders a walk left out: their names (relative, ending in ``/``), and their walk."""

    folders: list[str]
    walk: Callable[[], Folders]


#: A file's stamp as the article store keeps it: (``st_mtime_ns``, ``st_size``), None when
#: it cannot be stat'ed.
Stamp = tuple[int, int] | None
#: Folder (relative, ``""`` or ending in ``/``) -> its article files (relative paths) and stamps.
Folders = dict[str, list[tuple[str, Stamp]]]


def article_files(generator: Any, paths: list[str], exclude: list[str], extensions: Any,
                  folders: Folders | None = None, defer: Callable[[str], bool] | None = None,
                  deferred: list[tuple[str, str]] | None = None) -> list[str]:
    """``Generator.get_files`` (pelican/generators.py) for the article paths, with ``os.scandir``.

    The same files as Pelican's walk (symbolic links followed, ``exclude`` folders and
    folders matching ``IGNORE_FILES`` pruned, files tested by ``_include_path``), as
    normalised relative paths, sorted; without a ``relpath``/``join``/``stat`` per file
    in Python, which made the walk and the stamps most of a daily update at ten years.
    ``folders``, when given, is filled with each folder's files and their stamps, taken
    from the walk's own entries (the article store compares them; nobody stats again).
    ``defer`` (one article path only): a folder (relative, ending in ``/``) it is true of
    is not walked but put on ``deferred`` as (absolute, relative) for :func:`folder_files`.
    """
    base = generator.path
    walk = _walker(generator, exclude, extensions, folders)
    if len(paths) > 1:  # a file under two of the paths is listed once (one path, the usual case)
        walk.seen = set()
    elif defer is not None:
        walk.defer, walk.deferred = defer, deferred if deferred is not None else []
    for path in paths:
        root = os.path.join(base, path) if path else base
        if os.path.isdir(root):
            rel = os.path.relpath(root, base)  # normalised, so are the paths under it
            walk(root.rstrip(os.sep) if root != os.sep else root, "" if rel == "." else rel + "/")
        elif os.path.exists(root) and walk.included(os.path.basename(path), extensions):
            path = os.path.normpath(path)
            if walk.seen is None or path not in walk.seen:
                if walk.seen is not None:
                    walk.seen.add(path)
                walk.found.append(path)
                if folders is not None:
                    rel = os.path.dirname(path)
                    folders.setdefault(rel + "/" if rel else "", []).append(
                        (path, file_stamp(os.path.join(base, path))))
    return _sorted(walk.found)


def folder_files(generator: Any, exclude: list[str], extensions: Any, roots: list[tuple[str, str]]) -> Folders:
    """The files and stamps under folders :func:`article_files` deferred, walked by the same rules."""
    folders: Folders = {}
    walk = _walker(generator, exclude, extensions, folders)
    for folder, rel in roots:
        walk(folder, rel)
    return folders


def _sorted(found: list[str]) -> list[str]:
    if os.sep != "/":
        return sorted(os.path.normpath(f) for f in found)
    return sorted(found)


class _walker:
    """One walk's rules and results (see :func:`article_files`)."""

    def __init__(self, generator: Any, exclude: list[str], extensions: Any, folders: Folders | None) -> None:
        self.ignored = _ignore_pattern(generator)
        self.excluded: dict[str, set[str]] = {}
        for e in exclude:
            parent, sub = os.path.split(os.path.join(generator.path, e))
            self.excluded.setdefault(parent, set()).add(sub)
        self.included = _name_test(generator)
        self.extensions = extensions
        self.folders = folders
        self.found: list[str] = []
        self.seen: set[str] | None = None
        self.defer: Callable[[str], bool] | None = None
        self.deferred: list[tuple[str, str]] = []

    def __call__(self, folder: str, rel: str) -> None:
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError:
            return  # as os.walk: an unreadable folder is skipped
        skip = self.excluded.get(folder, ())
        ignored, included, extensions, seen = self.ignored, self.included, self.extensions, self.seen
        found, stamped = self.found, self.folders is not None
        here: list[tuple[str, Stamp]] = []
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if name not in skip and not (ignored is not None and ignored.match(name)):
                    sub = rel + name + "/"
                    if self.defer is not None and self.defer(sub):
                        self.deferred.append((entry.path, sub))
                    else:
                        self(entry.path, sub)
            elif included(name, extensions):
                path = rel + name
                if seen is not None:
                    if path in seen:
                        continue
                    seen.add(path)
                found.append(path)
                if stamped:
                    try:
                        st = entry.stat()
                        here.append((path, (st.st_mtime_ns, st.st_size)))
                    except OSError:
                        here.append((path, None))
        if here:
            self.folders.setdefault(rel, []).extend(here)  # type: ignore[union-attr]


def file_stamp(path: str) -> Stamp:
    """A file's :data:`Stamp` (where no walk has it: a file named in the paths, an article
    Pelican has just read)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def _ignore_pattern(generator: Any) -> re.Pattern | None:
    """``IGNORE_FILES`` as one compiled pattern (Pelican runs ``fnmatch`` per pattern per name)."""
    ignores = generator.settings.get("IGNORE_FILES") or []
    return re.compile("|".join(fnmatch.translate(p) for p in ignores)) if ignores else None


def _name_test(generator: Any) -> Callable[[str, Any], bool]:
    """``Generator._include_path``'s test on a file name (pelican/generators.py): not matched
    by ``IGNORE_FILES``, and its extension (``os.path.splitext``'s) one of ``extensions``,
    else one the readers read."""
    ignored = _ignore_pattern(generator)
    default = frozenset(generator.readers.extensions)

    def included(name: str, extensions: Any = None) -> bool:
        if ignored is not None and ignored.match(name):
            return False
        i = name.rfind(".")
        # os.path.splitext: the last dot, unless only dots come before it (".md" has none)
        ext = name[i + 1:] if i > 0 and (name[0] != "." or name[:i].lstrip(".")) else ""
        if extensions is None:
            return ext in default
        return extensions is False or ext in extensions

    return included


def _compiled_include_path(generator: Any) -> Callable[..., bool]:
    """``Generator._include_path`` (pelican/generators.py) as :func:`_name_test` of the basename."""
    included = _name_test(generator)

    def include(path: str, extensions=None) -> bool:
        return included(os.path.basename(path), extensions)

    return include


def _linear_process_translations(content_list, translation_id=None):
    """``process_translations`` (pelican/utils.py) without its quadratic last step.

    Pelican ends with ``[x for x in content_list if x not in index]``: a list scan per
    article (20,000 x 20,000 comparisons for a year).  Contents compare by identity, so
    a set of ids gives the same result in linear time; the rest is Pelican's code.
    """
    if not translation_id:
        return content_list, []
    if isinstance(translation_id, str):
        translation_id = {translation_id}
    key = attrgetter(*translation_id)
    content_list.sort(key=key)
    index = []
    for id_vals, group in groupby(content_list, key):
        id_vals = (id_vals,) if len(translation_id) == 1 else id_vals
        with_str = "with" + ", ".join([' {} "{{}}"'] * len(translation_id)).format(
            *translation_id).format(*id_vals)
        items = list(group)
        index.extend(pelican_utils.get_original_items(items, with_str))
        for a in items:
            a.translations = [x for x in items if x != a]
    kept = {id(x) for x in index}
    return index, [x for x in content_list if id(x) not in kept]


def install_linear_translations() -> None:
    """``pelican.generators`` imports ``process_translations`` by name (``from pelican.utils
    import ...``) and calls it from ``ArticlesGenerator.generate_context`` and
    ``PagesGenerator.generate_context``: replace that name."""
    pelican_generators.process_translations = _linear_process_translations


# -- the reader ------------------------------------------------------------------------------------

class _NoDeregister:
    """Stands in for a Markdown instance when no metadata field is formatted."""

    class preprocessors:
        @staticmethod
        def deregister(name: str, strict: bool = True) -> None:
            return None


class MetadataMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader whose metadata step can be run on a parsed header."""

    def parse_metadata(self, meta: dict, source_path: str) -> dict:
        """``MarkdownReader._parse_metadata`` (pelican/readers.py), which converts formatted
        fields with ``self._md`` after deregistering its ``meta`` preprocessor: give it a
        throwaway instance then (never a shared one), else a stand-in that deregisters nothing.
        ``self._source_path`` names the file in its warnings (``MarkdownReader.read`` sets it)."""
        self._source_path = source_path
        formatted = {f.lower() for f in self.settings["FORMATTED_FIELDS"]}
        if any(k.lower() in formatted for k in meta):
            from markdown import Markdown

            self._md = Markdown(**self.settings["MARKDOWN"])
        else:
            self._md = _NoDeregister()
        return self._parse_metadata(meta)


# -- the writer ------------------------------------------------------------------------------------

class BufferingWriter(Writer):
    """Pelican's writer with every file opened through :meth:`open_buffer`.

    ``Writer._open_w`` (pelican/writers.py) is the one place ``write_file`` and
    ``write_feed`` open files; its bookkeeping (``_written_files``, ``_overridden_files``,
    set in ``Writer.__init__``) is kept as Pelican's, only the file object differs.
    """

    def open_buffer(self, filename: str, encoding: str):
        raise NotImplementedError

    def _open_w(self, filename, encoding, override=False):
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)')
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}" as Pelican has already written to it previously '
                "(set `override=True` if intended)")
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return self.open_buffer(filename, encoding)


def raw_html(content: Any) -> str:
    """A content object's HTML as its reader made it: ``Content._content``, set by
    ``Content.__init__`` (pelican/contents.py); the public ``content`` property rewrites
    intrasite links for ``SITEURL`` first (``get_content``), which we do once, later."""
    return getattr(content, "_content", "") or ""


# -- an article not read from a file -----------------------------------------------------------------

class BareArticle(Article):
    """A Pelican ``Article`` made without ``Content.__init__`` (pelican/contents.py), which
    would read metadata, format dates and URLs from settings for every stored article.

    Sets the attributes Pelican's own methods read (``settings``, ``_context`` for
    ``_update_content``'s intrasite links, ``_status``, ``translations``,
    ``in_default_lang``, ``template``); ``_content`` is :meth:`stored_html`, and
    ``get_content`` is Pelican's ``_update_content`` without ``Content.get_content``'s
    memo (that keeps every article's HTML for the whole build).
    """

    def __init__(self, settings: dict, context: dict) -> None:
        self.settings = settings
        self._context = context
        self.in_default_lang = True
        self.translations: list = []
        self._status = "published"
        self.template = "article"

    def stored_html(self) -> str:
        raise NotImplementedError

    def store_html(self, value: str) -> None:
        raise NotImplementedError

    @property
    def _content(self) -> str:
        return self.stored_html()

    @_content.setter
    def _content(self, value: str) -> None:
        self.store_html(value)

    def get_content(self, siteurl: str) -> str:
        return self._update_content(self._content, siteurl)
