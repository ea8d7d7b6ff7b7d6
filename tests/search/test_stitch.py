"""Search index built by year shards and stitched: the same bytes as one whole build.

The per-year build runs one Pelican process per year (each indexing its own years'
segments and writing a state file) and a stitch process that writes ``index.json`` from
the states.  The promise under test: after any sequence of builds (first build, an update
of one month, New Year) the tree equals a whole-archive ``build_index`` byte for byte, and a
shard never touches another year's files.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "plugins"))

from epaper_search.build import DocKey, ShardSpec, build_index, freeze_unchanged  # noqa: E402
from epaper_search.stitch import StitchError, stitch_index  # noqa: E402
from epaper_search.terms import Doc  # noqa: E402

from tests.search.test_search import _FakeGenerator, _FakePelican  # noqa: E402  (the plugin tests' stand-ins)

CITIES = ["绍兴", "杭州", "宁波"]
TOPICS = ["集成电路", "营商环境", "人才"]
BODIES = ["集成电路产业链上下游协同发展。", "绍兴优化营商环境，人才咖啡开张。", "家庭医生签约服务覆盖城乡。",
          "腾笼换鸟，俊鸟归巢。"]


def make_doc(i: int, date: str, body: str | None = None) -> Doc:
    """A small signed document (the sig fingerprints every field, as the site's store does)."""
    doc = Doc(url=f"{date[:4]}/{i}/", date=date, page=1 + i % 3, order=i, title=f"标题{i}",
              kicker=f"引题{i}" if i % 2 else "", body=body or BODIES[i % len(BODIES)],
              authors=[f"记者{i % 3}"], cities=CITIES[: 1 + i % 3], topics=TOPICS[i % 2: 2 + i % 2])
    fields = json.dumps(dataclasses.asdict(doc), ensure_ascii=False, sort_keys=True)
    doc.sig = hashlib.sha1(fields.encode()).hexdigest()[:16]
    return doc


def archive() -> list[Doc]:
    """Three years: two closed ones, and the latest with four months."""
    days = ["2022-02-03", "2022-07-19", "2022-11-30",
            "2023-01-05", "2023-06-06", "2023-12-31",
            "2024-01-02", "2024-01-15", "2024-03-08", "2024-04-01", "2024-04-22", "2024-06-30"]
    return [make_doc(n, day) for n, day in enumerate(days)]


def years_of(docs: list[Doc]) -> list[str]:
    return sorted({d.date[:4] for d in docs})


def state_path(states: Path, year: str) -> Path:
    return states / f"search-{year}.json"


def build_shards(docs: list[Doc], out: Path, states: Path, latest: str, only: list[str] | None = None,
                 stitch: bool = True) -> dict[str, dict]:
    """Each year's shard (or only those of ``only``) over its documents, then the stitch."""
    summaries = {}
    for year in only or years_of(docs):
        spec = ShardSpec((year,), latest, state_path(states, year))
        summaries[year] = build_index([d for d in docs if d.date[:4] == year], out, workers=1, shard=spec)
    if stitch:
        stitch_index([state_path(states, y) for y in years_of(docs)], out)
    return summaries


def snapshot_bytes(root: Path) -> dict[Path, bytes]:
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def snapshot_stat(root: Path, *folders: str) -> dict[Path, tuple[int, int]]:
    """(mtime_ns, inode) of every file under ``root/<folder>``: untouched files keep both."""
    return {p.relative_to(root): (p.stat().st_mtime_ns, p.stat().st_ino)
            for f in folders for p in (root / f).rglob("*") if p.is_file()}


def assert_same_tree(a: Path, b: Path) -> None:
    files_a, files_b = snapshot_bytes(a), snapshot_bytes(b)
    assert sorted(files_a) == sorted(files_b)
    assert files_a == files_b


def segment_ids(out: Path) -> list[str]:
    return [s["id"] for s in json.loads((out / "index.json").read_text())["segments"]]


@pytest.fixture
def dirs(tmp_path) -> tuple[Path, Path, Path]:
    """(whole build's folder, sharded build's folder, the shards' state folder)."""
    return tmp_path / "whole" / "search", tmp_path / "sharded" / "search", tmp_path / "states"


def test_shards_and_stitch_equal_a_whole_build(dirs):
    whole, sharded, states = dirs
    docs = archive()
    build_index(docs, whole, workers=1)
    summaries = build_shards(docs, sharded, states, "2024", stitch=False)
    assert not (sharded / "index.json").exists(), "a shard writes its state, not the manifest"
    assert summaries["2022"]["rebuilt"] == ["2022"] and summaries["2022"]["docs"] == 3
    assert summaries["2024"]["rebuilt"] == ["2024-01", "2024-03", "2024-04", "2024-06"]
    stitched = stitch_index([state_path(states, y) for y in ("2022", "2023", "2024")], sharded)
    assert stitched["docs"] == len(docs) and stitched["segments"] == 6 and stitched["removed"] == []
    assert_same_tree(whole, sharded)
    assert segment_ids(sharded) == ["2022", "2023", "2024-01", "2024-03", "2024-04", "2024-06"]

    state = json.loads(state_path(states, "2023").read_text())
    manifest = json.loads((whole / "index.json").read_text())
    assert state["segments"] == [s for s in manifest["segments"] if s["id"] == "2023"]
    assert state["docs"] == 3 and state["years"] == ["2023"] and state["latest_year"] == "2024"
    assert sum(state["cities"].values()) == sum(len(d.cities) for d in docs if d.date[:4] == "2023")

    # the order of the states does not matter, and a second stitch writes nothing
    again = stitch_index([state_path(states, y) for y in ("2024", "2022", "2023")], sharded)
    assert again["written"] is False
    assert_same_tree(whole, sharded)


def test_an_update_rebuilds_one_month_and_leaves_other_years_untouched(dirs):
    whole, sharded, states = dirs
    docs = archive()
    build_index(docs, whole, workers=1)
    build_shards(docs, sharded, states, "2024")
    others = snapshot_stat(sharded, "2022", "2023", "2024-01", "2024-03", "2024-06")
    other_states = {y: state_path(states, y).stat().st_mtime_ns for y in ("2022", "2023")}

    docs += [make_doc(20, "2024-04-23", "新的一期：集成电路产业链上。"), make_doc(21, "2024-04-23")]
    build_index(docs, whole, workers=1)
    summary = build_shards(docs, sharded, states, "2024", only=["2024"])["2024"]
    assert summary["rebuilt"] == ["2024-04"] and summary["docs"] == len(docs) - 6
    assert_same_tree(whole, sharded)
    assert snapshot_stat(sharded, "2022", "2023", "2024-01", "2024-03", "2024-06") == others
    assert {y: state_path(states, y).stat().st_mtime_ns for y in ("2022", "2023")} == other_states

    # a rerun of an up-to-date shard rebuilds nothing and keeps its state file's bytes
    before = state_path(states, "2024").read_bytes()
    assert build_shards(docs, sharded, states, "2024", only=["2024"])["2024"]["rebuilt"] == []
    assert state_path(states, "2024").read_bytes() == before
    assert_same_tree(whole, sharded)


def test_new_year_merges_the_months_of_the_year_before(dirs, tmp_path):
    whole, sharded, states = dirs
    docs = archive()
    build_index(docs, whole, workers=1)
    build_shards(docs, sharded, states, "2024")
    closed = snapshot_stat(sharded, "2022", "2023")
    old_2024_state = state_path(states, "2024").read_bytes()

    docs.append(make_doc(30, "2025-01-01", "新年第一期：集成电路。"))
    build_index(docs, whole, workers=1)
    # the closed years' shards need no rerun: their segments do not depend on the latest year
    summaries = build_shards(docs, sharded, states, "2025", only=["2024", "2025"])
    assert summaries["2024"]["rebuilt"] == ["2024"] and summaries["2025"]["rebuilt"] == ["2025-01"]
    assert sorted(p.name for p in sharded.iterdir()) == ["2022", "2023", "2024", "2025-01", "index.json"]
    assert_same_tree(whole, sharded)
    assert snapshot_stat(sharded, "2022", "2023") == closed

    # a state of 2024 from before New Year (its months) cannot be stitched with 2025's
    stale = tmp_path / "stale-2024.json"
    stale.write_bytes(old_2024_state)
    with pytest.raises(StitchError, match=r"2024-01 of .*stale-2024\.json.*latest_year '2025'"):
        stitch_index([state_path(states, "2022"), state_path(states, "2023"), stale,
                      state_path(states, "2025")], sharded)
    assert_same_tree(whole, sharded)  # refused before touching anything


def test_a_shard_removes_only_its_own_years_folders(dirs):
    _whole, sharded, states = dirs
    docs = archive()
    build_shards(docs, sharded, states, "2024")
    others = snapshot_stat(sharded, "2023", "2024-01", "2024-03", "2024-04", "2024-06")
    # a month folder of 2022 from when 2022 was the latest year, and a stray 2023 month
    for stray in ("2022-11", "2023-05"):
        (sharded / stray / "b").mkdir(parents=True)
        (sharded / stray / "b" / "0.bin").write_bytes(b"old")

    spec = ShardSpec(("2022",), "2024", state_path(states, "2022"))
    summary = build_index([d for d in docs if d.date[:4] == "2022"], sharded, workers=1, shard=spec)
    assert summary["rebuilt"] == []
    assert not (sharded / "2022-11").exists(), "its own year's stale month goes"
    assert (sharded / "2023-05").is_dir(), "another year's folder is the other shard's"
    assert snapshot_stat(sharded, "2023", "2024-01", "2024-03", "2024-04", "2024-06") == others

    # the year gone from the archive: its shard (no documents) removes its folder, only its
    build_index([], sharded, workers=1, shard=spec)
    assert json.loads(spec.state.read_text())["segments"] == []
    assert not (sharded / "2022").exists()
    assert snapshot_stat(sharded, "2023", "2024-01", "2024-03", "2024-04", "2024-06") == others


def test_the_stitch_removes_folders_no_state_lists(dirs):
    whole, sharded, states = dirs
    docs = archive()
    build_shards(docs, sharded, states, "2024")
    rest = [d for d in docs if d.date[:4] != "2022"]
    build_index(rest, whole, workers=1)
    summary = stitch_index([state_path(states, y) for y in ("2023", "2024")], sharded)
    assert summary["removed"] == ["2022"]
    assert_same_tree(whole, sharded)


def doc_key(d: Doc) -> DocKey:
    return DocKey(d.url, d.date, d.page, d.order, d.sig, d.cities, d.topics)


def test_freeze_unchanged_in_a_shard_builds_nothing_up_to_date(dirs):
    _whole, sharded, states = dirs
    docs = archive()
    build_shards(docs, sharded, states, "2024")
    spec = ShardSpec(("2024",), "2024", state_path(states, "2024"))
    state = state_path(states, "2024").read_bytes()
    mine = [d for d in docs if d.date[:4] == "2024"]

    build, frozen = freeze_unchanged(mine, sharded, doc_key, shard=spec)
    assert build == [] and sorted(f.name for f in frozen) == ["2024-01", "2024-03", "2024-04", "2024-06"]
    summary = build_index(build, sharded, workers=1, frozen=frozen, shard=spec)
    assert summary["rebuilt"] == [] and summary["docs"] == len(mine)
    assert state_path(states, "2024").read_bytes() == state, "the state from counts is the state from documents"

    # a closed year with the archive's latest year: one segment, frozen as such
    closed = ShardSpec(("2023",), "2024", state_path(states, "2023"))
    build, frozen = freeze_unchanged([d for d in docs if d.date[:4] == "2023"], sharded, doc_key, shard=closed)
    assert build == [] and [f.name for f in frozen] == ["2023"]

    changed = dataclasses.replace(mine[0], body="改过的正文。", sig="changed")
    build, frozen = freeze_unchanged([changed, *mine[1:]], sharded, doc_key, shard=spec)
    assert [d.url for d in build] == [d.url for d in mine if d.date[:7] == "2024-01"]
    assert "2024-01" not in {f.name for f in frozen}


def test_a_shard_refuses_another_years_documents(dirs):
    _whole, sharded, states = dirs
    spec = ShardSpec(("2023",), "2024", state_path(states, "2023"))
    with pytest.raises(ValueError, match=r"2022/0/ .*outside the shard's years"):
        build_index(archive()[:4], sharded, workers=1, shard=spec)
    assert not spec.state.exists()


def test_stitch_names_a_missing_or_unreadable_state(dirs):
    _whole, sharded, states = dirs
    build_shards(archive(), sharded, states, "2024", stitch=False)
    missing = states / "search-2021.json"
    with pytest.raises(StitchError, match=re.escape(str(missing))):
        stitch_index([state_path(states, "2022"), missing], sharded)
    broken = states / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(StitchError, match=re.escape(str(broken))):
        stitch_index([broken], sharded)
    with pytest.raises(StitchError, match="2023 is in two shard states"):
        stitch_index([state_path(states, "2023"), state_path(states, "2023")], sharded)
    assert not (sharded / "index.json").exists()
    assert (sharded / "2022").is_dir()


def test_shard_spec_pickles():
    import pickle

    spec = ShardSpec(("2023",), "2024", Path("/tmp/s.json"))
    assert pickle.loads(pickle.dumps(spec)) == spec


# ---------------------------------------------------------------------------------------
# The plugin: SEARCH_SHARD


@pytest.mark.parametrize("background", [True, False])
def test_plugin_year_shards_and_stitch(tmp_path, background):
    import epaper_search as plugin

    docs = archive()
    whole = tmp_path / "whole"
    build_index(docs, whole, workers=1)
    site = tmp_path / "site"
    states = [str(tmp_path / "states" / f"{y}.json") for y in ("2022", "2023", "2024")]
    base = {"OUTPUT_PATH": str(site), "SEARCH_CACHE_PATH": str(tmp_path / "cache"),
            "SEARCH_IN_BACKGROUND": background, "SEARCH_WORKERS": 1}
    for year, state in zip(("2022", "2023", "2024"), states, strict=True):
        settings = {**base, "SEARCH_SHARD": {"role": "year", "years": [year], "latest_year": "2024",
                                             "state": state}}
        pelican = _FakePelican(settings)
        plugin.start_helper(pelican)
        assert (plugin._state["helper"] is not None) == background
        items = [dataclasses.asdict(d) for d in docs if d.date[:4] == year]
        plugin.hand_over([_FakeGenerator({plugin.CONTEXT_KEY: items}, settings)])
        plugin.write_index(pelican)
        assert plugin._state["helper"] is None and Path(state).is_file()
    assert not (site / "search" / "data" / "index.json").exists()

    settings = {**base, "SEARCH_SHARD": {"role": "stitch", "states": states}}
    pelican = _FakePelican(settings)
    plugin.start_helper(pelican)
    assert plugin._state["helper"] is None, "a stitch needs no helper"
    plugin.docs_ready(None, docs=[dataclasses.asdict(docs[0])], settings=settings)  # ignored
    plugin.hand_over([_FakeGenerator({plugin.CONTEXT_KEY: []}, settings)])
    assert plugin._state["helper"] is None and plugin._state["sync"] is None
    plugin.write_index(pelican)
    assert_same_tree(whole, site / "search" / "data")


def test_plugin_rejects_a_malformed_shard_setting(tmp_path):
    import epaper_search as plugin

    for shard in ({"role": "years", "years": ["2023"]}, {"role": "year", "years": "2023",
                                                        "latest_year": "2024", "state": "/s.json"},
                  {"role": "stitch"}):
        with pytest.raises(ValueError, match="SEARCH_SHARD"):
            plugin.start_helper(_FakePelican({"OUTPUT_PATH": str(tmp_path), "SEARCH_SHARD": shard}))
    assert plugin._state["helper"] is None
    assert os.listdir(tmp_path) == []
