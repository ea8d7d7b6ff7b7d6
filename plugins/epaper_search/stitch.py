"""Stitch a build split by year shards: ``index.json`` from each shard's state file.

Each year shard (:class:`.build.ShardSpec`) builds its own years' segment folders and
writes its manifest entries and counts to a state file; the stitch writes the manifest a
build over all documents would write, byte for byte, and removes folders no state lists.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from epaper_contract.files import write_if_changed

from .format import FORMAT_VERSION, META_BLOCK, dumps, is_segment_name, manifest, rmtree


class StitchError(RuntimeError):
    """The shards' state files cannot make the manifest a whole build would write."""


def _read_state(path: Path) -> dict:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise StitchError(f"search shard state file {path} is missing (did its shard run?)") from err
    except (OSError, ValueError) as err:
        raise StitchError(f"search shard state file {path} is unreadable: {err}") from err
    if not isinstance(state, dict) or not isinstance(state.get("segments"), list):
        raise StitchError(f"search shard state file {path} is not a shard state")
    if state.get("v") != FORMAT_VERSION or state.get("block") != META_BLOCK:
        raise StitchError(f"search shard state file {path} is of another index format "
                          f"(v{state.get('v')}, block {state.get('block')}): rerun its shard")
    return state


def stitch_index(states: list[Path], outdir: Path) -> dict:
    """Write ``outdir/index.json`` from the shards' state files; returns a summary.

    The manifest is the one :func:`build_index` writes over every shard's documents, byte
    for byte: segments by id, cities and topics summed and ordered alike.  Segment folders
    no state lists (a year gone from the archive) are removed.  The states must agree on
    the archive's latest year as their segments show it (months for the latest year only):
    a closed year's state stays valid across New Year, the year before's does not.
    """
    outdir = Path(outdir)
    entries: dict[str, dict] = {}
    owner: dict[str, Path] = {}
    cities: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    ndocs = 0
    for path in map(Path, states):
        state = _read_state(path)
        for entry in state["segments"]:
            name = entry["id"]
            if name in entries:
                raise StitchError(f"segment {name} is in two shard states: {owner[name]} and {path}")
            entries[name], owner[name] = entry, path
        cities.update(state.get("cities", {}))  # a mapping: counts add
        topics.update(state.get("topics", {}))
        ndocs += state.get("docs", 0)
    latest = max((name[:4] for name in entries), default="")
    for name, path in owner.items():
        if (len(name) == 7) != (name[:4] == latest):
            raise StitchError(f"segment {name} of {path} was built for another latest year than "
                              f"{latest} (the latest in any state): rerun that shard with "
                              f"latest_year {latest!r}")
        if not (outdir / name).is_dir():
            raise StitchError(f"segment {name} of {path} has no folder in {outdir}")
    removed = []
    for path in sorted(outdir.iterdir()) if outdir.is_dir() else []:
        if path.is_dir() and path.name not in entries and is_segment_name(path.name):
            rmtree(path)
            removed.append(path.name)
    names = sorted(entries)
    written = write_if_changed(outdir / "index.json",
                               dumps(manifest([entries[n] for n in names], cities, topics)))
    return {"segments": len(names), "docs": ndocs, "states": len(states), "removed": removed,
            "written": written}
