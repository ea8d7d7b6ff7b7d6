"""Writing output files: only when the bytes change, always by rename, and on the record.

Three promises every output file of the site keeps, whoever writes it (Pelican's writer
for article pages and feeds, our generator for list pages and data):

- a file whose new bytes equal its old bytes is not touched (same inode, same mtime), so
  a daily update changes only what the new edition changes;
- a changed file is written to a temporary file and renamed over the old one: a reader
  or a killed build never sees half a file, and in a staging copy made of hard links
  (``tools/build.py``) only the changed file's link is broken, never the published one;
- every path produced by this build is recorded (:data:`.run_record.RUN`), so the build
  entry point can remove outputs that no longer have a source (stale files).

A publish build (``EPAPER_MINIFY_HTML``, set in publishconf.py) also writes its HTML pages
through minify-html: a year's HTML is ~6 MB (4 %) smaller, and renders
the same (tests/site/test_minify.py compares screenshots); the preview keeps readable markup.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from pathlib import Path

from epaper_contract.files import write_if_changed as _write_if_changed

from . import settings as epaper_settings
from .pelican_compat import BufferingWriter
from .run_record import RUN

#: Whether HTML pages are written minified: the setting ``EPAPER_MINIFY_HTML``, read when a
#: Pelican run starts (:func:`configure`).
_MINIFY_HTML = False


def minified(html: str) -> str:
    """``html`` minified by minify-html, keeping every end tag and the ``<html>``/``<head>``
    start tags (valid either way; kept so the markup stays the shape tools expect), comments
    dropped, attribute values unquoted only where the HTML standard allows."""
    import minify_html  # only publish builds need it

    return minify_html.minify(html, keep_closing_tags=True, keep_html_and_head_opening_tags=True)


def keep_all(root: str, names: list[str], owned: bool = False) -> None:
    """Record files this build produced without rewriting them (their inputs did not change).

    ``names`` are relative to the output folder ``root``, as the render cache records them;
    ``owned``: they are a unit's, as the render cache holds it (:attr:`RunRecord.owned`).
    """
    base = os.path.abspath(root)
    paths = [os.path.join(base, n) for n in names]
    RUN.produced.update(paths)
    if owned:
        RUN.owned.update(paths)


def write_if_changed(path: Path | str, data: str | bytes) -> bool:
    """Record ``path`` as produced by this build, then write it only if its bytes changed
    (an HTML page minified first, in a publish build)."""
    if _MINIFY_HTML and str(path).endswith(".html"):
        data = minified(data if isinstance(data, str) else data.decode("utf-8"))
    raw = data.encode("utf-8") if isinstance(data, str) else data
    full = os.path.abspath(path)
    RUN.produced.add(full)
    if _write_if_changed(path, raw):
        RUN.written.add(full)
        return True
    return False


def link_if_changed(src: Path | str, path: Path | str) -> bool:
    """Publish the file ``src`` (a page picture, a PDF: large and written once) at ``path`` as
    a hard link, or a copy where a link cannot be made; recorded as produced.

    Nothing is written when ``path`` already is ``src`` (the same inode) or holds its bytes.
    The converter replaces its files by rename, never in place, so the published link keeps
    the bytes it was built with until a build links the new file.  Returns whether it wrote.
    """
    full = os.path.abspath(path)
    RUN.produced.add(full)
    s = os.stat(src)
    try:
        d = os.stat(path)
        if (d.st_ino, d.st_dev) == (s.st_ino, s.st_dev):
            return False
        if d.st_size == s.st_size and Path(path).read_bytes() == Path(src).read_bytes():
            return False
    except FileNotFoundError:
        os.makedirs(os.path.dirname(full), exist_ok=True)
    tmp = os.path.join(os.path.dirname(full), f".{os.path.basename(full)}.{os.getpid()}.link.tmp")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    try:
        os.link(src, tmp)
    except OSError:  # another file system, or links not allowed: a copy
        shutil.copyfile(src, tmp)
        os.chmod(tmp, 0o644)
    os.replace(tmp, full)
    RUN.written.add(full)
    return True


class _Pending(io.StringIO):
    """A text buffer that lands in its file through :func:`write_if_changed` on close."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self._path = path

    def close(self) -> None:
        if not self.closed:
            write_if_changed(self._path, self.getvalue())
        super().close()


class EpaperWriter(BufferingWriter):
    """Pelican's writer, but a file is replaced only when its bytes change.

    Pelican rewrites every article page and feed on every build (same bytes, new mtime),
    and writes in place, which would also change the published copy of a hard-linked
    staging tree.  The file object is a buffer committed on close
    (:class:`.pelican_compat.BufferingWriter` keeps Pelican's bookkeeping).
    """

    def open_buffer(self, filename: str, encoding: str) -> _Pending:
        return _Pending(filename)


def configure(pelican) -> None:
    """Pelican's ``initialized`` signal: the run's minify setting, before anything is written."""
    global _MINIFY_HTML
    _MINIFY_HTML = bool(epaper_settings.get(pelican.settings, "EPAPER_MINIFY_HTML"))


def get_writer(pelican) -> type:
    return EpaperWriter
