"""Writing files so that readers never see half of one, and unchanged files stay untouched.

Shared by the converter (content/), the site plugin and the search index (output/):
a temporary file named ``.<name>.<pid>-<n>.tmp`` (hidden from Pelican and web servers,
recognisable for clean-up after a killed run) is renamed into place.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import shutil
from pathlib import Path

_KNOWN_DIRS: set[str] = set()  # folders this process made or saw: one mkdir each, not one per file
_COUNTER = itertools.count()


def atomic_write(path: Path | str, data: bytes) -> None:
    """Replace ``path`` by ``data`` in one rename."""
    path = os.fspath(path)
    folder, name = os.path.split(path)
    if folder and folder not in _KNOWN_DIRS:
        os.makedirs(folder, exist_ok=True)
        _KNOWN_DIRS.add(folder)
    # A name of our own (pid + counter) instead of mkstemp's random retries: O_EXCL still
    # refuses to reuse a file left by another process.
    tmp = os.path.join(folder, f".{name}.{os.getpid()}-{next(_COUNTER)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileNotFoundError:  # the folder went away since we saw it
        _KNOWN_DIRS.discard(folder)
        os.makedirs(folder, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), 0o644)  # whatever the umask: web servers read these
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_if_changed(path: Path | str, data: bytes) -> bool:
    """Write atomically, and not at all when the file already holds these bytes.

    Returns whether the file was written; an untouched file keeps its inode and mtime,
    which incremental builds and hard-linked staging copies rely on.
    """
    path = Path(path)
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    atomic_write(path, data)
    return True


def drop_other_versions(folder: Path | str, name: str, current: int) -> list[str]:
    """Remove what an earlier (or later) format version of a cache left in ``folder``:
    ``<name>-v<N>…`` files and folders with ``N`` not ``current`` (a format change would
    otherwise leave the old cache behind for good; a ten-year render cache is tens of MB).
    Returns the names removed."""
    pattern = re.compile(rf"{re.escape(name)}-v(\d+)(?:[-.].*)?")
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = pattern.fullmatch(entry.name)
        if m is None or int(m.group(1)) == current:
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(entry.name)
    return sorted(removed)
