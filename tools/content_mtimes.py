"""Give a fresh checkout's content files the mtimes the saved build state knows them by.

    python tools/content_mtimes.py save    content/zjrb .cache/pelican/zjrb.content-mtimes.json
    python tools/content_mtimes.py restore content/zjrb .cache/pelican/zjrb.content-mtimes.json

The article store (``plugins/epaper_site/store.py``) and the year shards (``tools/shards.py``)
know an unchanged content file by its size and mtime: an edit in place changes the mtime,
and stamping is what keeps a daily update from reading the archive.  A git checkout gives
every file the time of the checkout, so a CI runner that restored yesterday's build state
(``.github/workflows/pages.yml``) would still read every article again.  ``save`` records
each content file's size, digest and mtime after a build; ``restore``, after the next
checkout, gives each file whose size and digest are as recorded its recorded mtime.  A new
or changed file keeps the checkout's time, so the build reads it.  Putting back the mtime of
a file whose bytes are those the store read is always safe; nothing else is touched.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

VERSION = 1


def _digest(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, lambda: hashlib.blake2b(digest_size=16)).hexdigest()


def _files(content: Path) -> list[str]:
    """Every file under ``content`` (relative, POSIX separators), hidden ones included."""
    out = []
    for dirpath, _, names in os.walk(content):
        rel = os.path.relpath(dirpath, content)
        for n in names:
            out.append(n if rel == "." else f"{rel}/{n}".replace(os.sep, "/"))
    return sorted(out)


def save(content: Path, state: Path) -> str:
    files = {}
    for rel in _files(content):
        full = os.path.join(content, rel)
        st = os.stat(full)
        files[rel] = [st.st_size, _digest(full), st.st_mtime_ns]
    state.parent.mkdir(parents=True, exist_ok=True)
    tmp = state.with_name(state.name + ".tmp")
    tmp.write_text(json.dumps({"v": VERSION, "files": files}, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, state)
    return f"content mtimes: {len(files)} files of {content} recorded in {state}"


def restore(content: Path, state: Path) -> str:
    try:
        saved = json.loads(state.read_text(encoding="utf-8"))
        known = saved["files"] if saved.get("v") == VERSION else {}
    except (OSError, ValueError, KeyError, AttributeError):
        known = None
    names = _files(content)
    if known is None:
        return f"content mtimes: no record at {state}: all {len(names)} files of {content} are new to this build"
    kept = 0
    for rel in names:
        was = known.get(rel)
        full = os.path.join(content, rel)
        if was and os.stat(full).st_size == was[0] and _digest(full) == was[1]:
            os.utime(full, ns=(was[2], was[2]))
            kept += 1
    return (f"content mtimes: {len(names)} files of {content}: {kept} as in the build state, "
            f"{len(names) - kept} new or changed")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=["save", "restore"])
    ap.add_argument("content", type=Path, help="the content folder (content/<paper>)")
    ap.add_argument("state", type=Path, help="the record, kept with the build state")
    args = ap.parse_args(argv)
    if not args.content.is_dir():
        print(f"content mtimes: {args.content} is not a folder", file=sys.stderr)
        return 2
    print((save if args.action == "save" else restore)(args.content, args.state))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
