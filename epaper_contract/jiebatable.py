"""jieba's default dictionary as a prefix table, loaded in a fifth of jieba's time.

jieba keeps its prefix table (``FREQ``: word -> frequency, 0 for a mere prefix) in a
marshal cache whose load costs about 0.9 s per process; most of a small conversion's
start-up.  The same table written as one array of frequencies and one ``\\n``-joined
string of words loads with a ``split`` and a ``zip`` (about 0.16 s here).  The file is
made once from jieba's own ``FREQ`` (so the table is jieba's, entry for entry) and keyed
by the dictionary file's size and modification time, beside jieba's cache.

``import jieba`` itself costs 0.1 s in ``pkg_resources``, which jieba only uses to find
its own data files; :func:`import_jieba` lets jieba take its fallback (plain ``open``).
"""

from __future__ import annotations

import array
import contextlib
import importlib.util
import os
import sys
import tempfile
from functools import cache
from pathlib import Path

_MAGIC = b"EPAPER-JIEBA-FREQ 2\n"  # then total, count, the words' byte length (8 bytes each)


def import_jieba():
    """``import jieba`` without ``pkg_resources`` (slow to import, deprecated; jieba falls
    back to opening its files by path)."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import fails: fallback
    try:
        import jieba
    finally:
        if blocked and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(60)
    return jieba


def _dictionary() -> Path:
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ImportError("jieba is not installed")
    return Path(spec.origin).with_name("dict.txt")


def _table_path(dictionary: Path) -> Path:
    st = dictionary.stat()
    return Path(tempfile.gettempdir()) / f"epaper-jieba-{st.st_size}-{st.st_mtime_ns}.freq"


def _read(path: Path) -> tuple[dict[str, int], int] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC)
    if not data.startswith(_MAGIC) or len(data) < head + 24:
        return None
    total, count, size = (int.from_bytes(data[head + i:head + i + 8], "little") for i in (0, 8, 16))
    start = head + 24
    if total <= 0 or len(data) != start + 8 * count + size:  # cut short, or not ours
        return None
    freqs = array.array("q")
    freqs.frombytes(data[start:start + 8 * count])
    if sys.byteorder != "little":
        freqs.byteswap()
    try:
        words = data[start + 8 * count:].decode("utf-8").split("\n")
    except UnicodeDecodeError:
        return None
    if len(words) != count:
        return None
    return dict(zip(words, freqs, strict=True)), total


def _write(path: Path, freq: dict[str, int], total: int) -> None:
    freqs = array.array("q", freq.values())
    if sys.byteorder != "little":
        freqs.byteswap()
    words = "\n".join(freq).encode("utf-8")
    blob = b"".join([_MAGIC, total.to_bytes(8, "little"), len(freq).to_bytes(8, "little"),
                     len(words).to_bytes(8, "little"), freqs.tobytes(), words])
    with contextlib.suppress(OSError):  # a read-only temp folder: no cache, still correct
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".epaper-jieba-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)


@cache
def default_table() -> tuple[dict[str, int], int]:
    """``(jieba.dt.FREQ, jieba.dt.total)`` for jieba's default dictionary."""
    dictionary = _dictionary()
    path = _table_path(dictionary)
    got = _read(path)
    if got is not None:
        return got
    jieba = import_jieba()
    jieba.dt.check_initialized()
    freq, total = jieba.dt.FREQ, jieba.dt.total
    if not any("\n" in word for word in freq):  # the format splits on newlines
        _write(path, freq, total)
    return freq, total
