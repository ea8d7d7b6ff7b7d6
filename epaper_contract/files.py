"""Writing files so that readers never see half of one, and unchanged files stay untouched.

Shared by the converter (content/), the site plugin and the search index (output/):
a temporary file named ``.<name>.<random>.tmp`` (hidden from Pelican and web servers,
recognisable for clean-up after a killed run) is renamed into place.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def atomic_write(path: Path | str, data: bytes) -> None:
    """Replace ``path`` by ``data`` in one rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
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
