"""jieba with the gazetteer and the vocabulary as one custom dictionary, cached on disk.

Place names and topic terms must come out of segmentation as whole words (so 富阳区 is one
word and 西湖 inside 西湖大学 is a word we can reject by its neighbour).  jieba builds its
prefix dictionary in about a second; we give it a combined dictionary file (jieba's own
dict.txt plus our words) and let it keep its marshal cache next to that file under the
repo's git-ignored ``.cache/jieba/``, keyed by a hash of the words, so a warm start is a
single cache load and an edit of the data files rebuilds it once.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import marshal
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import jieba

from converters.fastcut import FastCut

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CACHE_DIR = Path(os.environ.get("EPAPER_JIEBA_CACHE", REPO_ROOT / ".cache" / "jieba"))
_KEEP_CACHES = 4  # dictionaries kept per cache dir (older ones are pruned)


def _default_dict() -> Path:
    return Path(jieba.__file__).resolve().parent / "dict.txt"


def _key(words: Iterable[str]) -> str:
    h = hashlib.sha256()
    base = _default_dict()
    h.update(f"{jieba.__version__}|{base.stat().st_size}\n".encode())
    for w in words:
        h.update(w.encode("utf-8") + b"\n")
    return h.hexdigest()[:16]


def _base_tokenizer(cache_dir: Path) -> jieba.Tokenizer:
    """jieba's default dictionary, only used to size the frequencies of our words."""
    tk = jieba.Tokenizer()
    tk.tmp_dir = str(cache_dir)
    tk.cache_file = "jieba.default.cache"
    tk.initialize()
    return tk


def _write_combined(path: Path, words: list[tuple[str, str]], cache_dir: Path) -> None:
    """jieba's dict.txt plus one line per word, with jieba's own suggested frequency
    (high enough to be cut out whole, no higher: the rest of segmentation is unchanged)."""
    base = _base_tokenizer(cache_dir)
    lines = []
    for word, tag in words:
        freq = base.suggest_freq(word, tune=False)
        lines.append(f"{word} {max(int(freq), 3)} {tag}\n")
    fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(_default_dict().read_text(encoding="utf-8"))
        out.writelines(lines)
    os.replace(tmp, path)


def _prune(cache_dir: Path, keep: str) -> None:
    dicts = sorted(cache_dir.glob("epaper-*.txt"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in dicts[_KEEP_CACHES:]:
        if keep in old.name:
            continue
        for path in (old, old.with_suffix(".cache"), old.with_suffix(".base")):
            with contextlib.suppress(OSError):
                path.unlink()


def build_tokenizer(places: Iterable[str], terms: Iterable[str],
                    cache_dir: Path | str | None = None) -> jieba.Tokenizer:
    """A ready jieba.Tokenizer knowing ``places`` (tagged ns) and ``terms`` (tagged nz)."""
    cache_dir = Path(cache_dir) if cache_dir else DEFAULT_CACHE_DIR
    cache_dir.mkdir(parents=True, exist_ok=True)
    words = [(w, "ns") for w in sorted(set(places))]
    seen = {w for w, _ in words}
    words += [(w, "nz") for w in sorted(set(terms) - seen)]
    key = _key(f"{w} {t}" for w, t in words)
    dict_path = cache_dir / f"epaper-{key}.txt"
    if not dict_path.is_file():
        _write_combined(dict_path, words, cache_dir)
    tk = jieba.Tokenizer(str(dict_path))
    tk.tmp_dir = str(cache_dir)
    tk.cache_file = f"epaper-{key}.cache"
    # loading half a million dict entries trips the cyclic GC over and over; none are cycles
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        tk.initialize()
    finally:
        if was_enabled:
            gc.enable()
    tk._epaper_base_diff = _base_diff(tk, cache_dir / f"epaper-{key}.base", cache_dir)
    _prune(cache_dir, key)
    return tk


def _base_diff(tk: jieba.Tokenizer, path: Path, cache_dir: Path) -> tuple[int, dict[str, int | None]]:
    """How jieba's default dictionary differs from the combined one ``tk`` loaded: its total,
    and the entries to change (word -> default frequency, None: not in the default table).
    Saved next to the combined dictionary's cache, so a process needs to load only one."""
    try:
        with open(path, "rb") as f:
            total, diff = marshal.load(f)
        if isinstance(total, int) and isinstance(diff, dict):
            return total, diff
    except (OSError, ValueError, EOFError, TypeError):
        pass
    base = _base_tokenizer(cache_dir)
    missing = object()
    diff = {w: base.FREQ.get(w) for w, f in tk.FREQ.items() if base.FREQ.get(w, missing) != f}
    fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "wb") as out:
        marshal.dump((base.total, diff), out)
    os.replace(tmp, path)
    return base.total, diff


def default_table(tk: jieba.Tokenizer) -> tuple[dict[str, int], int]:
    """jieba's default dictionary (the ``FREQ`` table and total ``jieba.dt`` would load), made
    from the combined one ``tk`` holds: a dict copy and a few thousand changes instead of
    loading a second half-million-entry table (~0.7 s and ~50 MB per process)."""
    total, diff = tk._epaper_base_diff
    freq = dict(tk.FREQ)
    for w, f in diff.items():
        if f is None:
            del freq[w]
        else:
            freq[w] = f
    return freq, total


def cut(tk: jieba.Tokenizer, text: str) -> list[str]:
    """Accurate mode without HMM: unknown words fall apart into characters instead of being
    guessed, which is what the rules want (a guessed word could swallow a place name).
    Exactly ``list(tk.cut(text, HMM=False))``, computed by :class:`converters.fastcut.FastCut`."""
    fast = getattr(tk, "_epaper_fastcut", None)
    if fast is None:
        fast = tk._epaper_fastcut = FastCut(tk)
    return fast.cut(text)
