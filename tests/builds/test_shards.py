"""Year shards (tools/shards.py) build the same site as one process (tools/build.py).

A small archive over three years is built both ways after each of a series of changes
an archive goes through: a cold build, a rebuild with nothing changed, a daily update, a
correction in a closed year that brings a new name, a new year, a year removed and put
back.  After every step the two output trees must be identical byte for byte (search
index included), and the sharded build must have run only the years it had to.  The
shards run as Dask tasks on a LocalCluster of two workers (``--jobs 2``); a worker killed
under a shard is ``tests/builds/test_shards_dask.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "plugins"))

import corpus  # noqa: E402
from epaper_site import shards  # noqa: E402
from epaper_site.model import Story, build_newspaper  # noqa: E402

PAPER = "zjrb"


def _env(cache: Path) -> dict[str, str]:
    return dict(os.environ, PAPER=PAPER, EPAPER_CACHE_DIR=str(cache), EPAPER_BUILD_SYNC_DELETE="1")


def _run(tool: str, content: Path, out: Path, cache: Path) -> str:
    jobs = ["--jobs", "2"] if tool == "shards.py" else []  # a LocalCluster of two workers
    cmd = [sys.executable, str(ROOT / "tools" / tool), *jobs, str(content), "-o", str(out),
           "-s", str(ROOT / "pelicanconf.py")]
    res = subprocess.run(cmd, cwd=ROOT, env=_env(cache), capture_output=True, text=True)
    assert res.returncode == 0, f"{tool} failed:\n{res.stdout}\n{res.stderr}"
    return next(line for line in res.stdout.splitlines() if line.startswith("build: "))


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _stats(out: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in out.rglob("*") if p.is_file()}


def _add_days(content: Path, start: dt.date, days: int, seed: int) -> None:
    tmp = content.parent / f"add-{seed}"
    corpus.write_corpus(tmp, days, 2, 3, seed=seed, start=start)
    for folder in sorted((tmp / PAPER).iterdir()):
        shutil.move(str(folder), content / folder.name)
    shutil.rmtree(tmp)


def _years_run(line: str) -> list[str]:
    return re.findall(r"year-(\d{4})", line)


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    content = tmp_path / "content" / PAPER
    content.mkdir(parents=True)
    _add_days(content, dt.date(2022, 12, 30), 2, seed=1)
    _add_days(content, dt.date(2023, 12, 30), 3, seed=2)  # 2023-12-30 .. 2024-01-01
    return content


def test_sharded_build_is_the_whole_build_through_an_archive_s_changes(archive: Path, tmp_path: Path) -> None:
    whole, sharded = tmp_path / "whole", tmp_path / "sharded"
    cw, cs = tmp_path / "cache-whole", tmp_path / "cache-sharded"

    def both() -> str:
        _run("build.py", archive, whole, cw)
        line = _run("shards.py", archive, sharded, cs)
        a, b = _files(whole), _files(sharded)
        assert sorted(a) == sorted(b), set(a) ^ set(b)
        different = [n for n in a if a[n] != b[n]]
        assert not different, different[:5]
        return line

    line = both()  # cold: every year rendered once (no names round: slugs come from the names alone)
    assert "names-" not in line
    assert sorted(_years_run(line)) == ["2022", "2023", "2024"]
    assert (sharded / "search" / "data" / "index.json").is_file()
    assert (sharded / "search" / "data" / "2022").is_dir() and (sharded / "search" / "data" / "2024-01").is_dir()

    before = _stats(sharded)
    line = both()  # nothing changed: no year runs, no file changes
    assert _years_run(line) == []
    assert _stats(sharded) == before

    _add_days(archive, dt.date(2024, 1, 2), 1, seed=5)  # the daily update: the latest year only
    line = both()
    assert _years_run(line) == ["2024"]
    after = _stats(sharded)
    for name, st in before.items():
        if name.startswith(("2022/", "2023/", "data/2022", "data/2023", "search/data/2022/", "search/data/2023/")):
            assert after[name] == st, f"{name} was rewritten by a daily update"

    # a correction in a closed year that brings names: that year alone runs (the later years'
    # slugs do not depend on it), and the site is still the one-process site
    f = sorted((archive / "2022-12-30" / "01").glob("*.md"))[0]
    text = f.read_text(encoding="utf-8")
    text = re.sub(r"^Authors: (.*)$", r"Authors: \1, 唐丽", text, count=1, flags=re.M)
    text = re.sub(r"^Cities: (.*)$", r"Cities: \1, 衢州市", text, count=1, flags=re.M)
    f.write_text(text, encoding="utf-8")
    line = both()
    assert _years_run(line) == ["2022"]

    _add_days(archive, dt.date(2025, 1, 1), 1, seed=6)  # a new year: 2024 closes (search months merge)
    line = both()
    assert sorted(_years_run(line)) == ["2024", "2025"]
    assert (sharded / "search" / "data" / "2024").is_dir() and not (sharded / "search" / "data" / "2024-01").exists()

    aside = tmp_path / "aside"
    aside.mkdir()
    for folder in sorted(archive.glob("2023-*")):  # a whole year removed, then put back
        shutil.move(str(folder), aside / folder.name)
    both()
    assert not (sharded / "2023").exists()
    for folder in sorted(aside.iterdir()):
        shutil.move(str(folder), archive / folder.name)
    both()


def test_a_single_year_sharded_is_the_whole_build(tmp_path: Path) -> None:
    """One year: its shard and the stitch write the one-process site, cold and after a day."""
    content = tmp_path / "content" / PAPER
    content.mkdir(parents=True)
    _add_days(content, dt.date(2024, 3, 1), 6, seed=7)
    whole, sharded = tmp_path / "whole", tmp_path / "sharded"
    for day in (None, dt.date(2024, 3, 7)):
        if day:
            _add_days(content, day, 1, seed=8)
        _run("build.py", content, whole, tmp_path / "cache-whole")
        line = _run("shards.py", content, sharded, tmp_path / "cache-sharded")
        assert _years_run(line) == ["2024"]
        a, b = _files(whole), _files(sharded)
        assert sorted(a) == sorted(b), set(a) ^ set(b)
        assert [n for n in a if a[n] != b[n]] == []


def test_articles_outside_dated_folders_are_refused(archive: Path, tmp_path: Path) -> None:
    (archive / "misc").mkdir()
    (archive / "misc" / "stray.md").write_text("Title: x\nDate: 2024-01-01\n\nx\n", encoding="utf-8")
    cmd = [sys.executable, str(ROOT / "tools" / "shards.py"), str(archive), "-o", str(tmp_path / "out"),
           "-s", str(ROOT / "pelicanconf.py")]
    res = subprocess.run(cmd, cwd=ROOT, env=_env(tmp_path / "cache"), capture_output=True, text=True)
    assert res.returncode != 0
    assert "misc" in res.stderr and "dated folder" in res.stderr
    assert not (tmp_path / "out").exists()


def _story(slug: str, date: dt.date, **kw) -> Story:
    return Story(slug=slug, title=slug, date=date, page=1, order=int(slug[-1]), **kw)


def test_a_year_alone_gets_the_whole_archive_s_slugs() -> None:
    """汤丽 and 唐丽 share a pinyin: each keeps its own slug, the same in a year's shard as in
    the whole archive, with no word of the other years."""
    y1 = [_story("a1", dt.date(2023, 5, 1), authors=["汤丽"], cities=["杭州"])]
    y2 = [_story("b1", dt.date(2024, 5, 1), authors=["唐丽", "汤丽"], cities=["杭州", "湖州"])]
    whole = build_newspaper(y1 + y2)
    part = build_newspaper([_story("b1", dt.date(2024, 5, 1), authors=["唐丽", "汤丽"], cities=["杭州", "湖州"])])
    assert part.reporter_slug == whole.reporter_slug
    assert part.city_slug == whole.city_slug
    assert whole.reporter_slug["汤丽"] != whole.reporter_slug["唐丽"]
    assert set(part.reporters) == {whole.reporter_slug["汤丽"], whole.reporter_slug["唐丽"]}
    assert len(part.cities[whole.city_slug["杭州"]].stories) == 1  # only this year's stories


def test_a_missing_summary_is_named(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match=r"summary-2023\.pickle"):
        shards.read_summary(tmp_path, 2023)
    assert shards.read_edges(tmp_path, 2022) is None  # a missing edges file: the folders' dates are used


def test_a_shard_s_growing_folder_list_does_not_change_its_render_environment() -> None:
    """A year shard reads a list of dated folders that grows every day (and Pelican copies it
    into PAGE_EXCLUDES); if that changed the render environment, every daily update would
    render the whole year again."""
    from epaper_site import render_cache

    base = {"SITENAME": "x", "THEME": str(ROOT / "theme"), "ARTICLE_PATHS": ["2024-01-01"],
            "PAGE_EXCLUDES": ["2024-01-01"], "EPAPER_SHARD": {"role": "year", "stamp": "a"}}
    grown = dict(base, ARTICLE_PATHS=["2024-01-01", "2024-01-02"], PAGE_EXCLUDES=["2024-01-01", "2024-01-02"],
                 EPAPER_SHARD={"role": "year", "stamp": "b"})
    theme = str(ROOT / "theme")
    assert render_cache.environment_key(base, theme) == render_cache.environment_key(grown, theme)
    assert render_cache.environment_key(base, theme) != render_cache.environment_key(dict(base, SITENAME="y"), theme)


def test_a_failed_stitch_leaves_the_output_alone_and_names_the_file(archive: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    _run("shards.py", archive, out, cache)
    before = _stats(out)
    summary = cache / "shards" / "summary-2022.pickle"
    summary.write_bytes(b"not a pickle")
    _add_days(archive, dt.date(2024, 1, 2), 1, seed=5)  # 2022 is not built again: its summary is read
    cmd = [sys.executable, str(ROOT / "tools" / "shards.py"), str(archive), "-o", str(out),
           "-s", str(ROOT / "pelicanconf.py")]
    res = subprocess.run(cmd, cwd=ROOT, env=_env(cache), capture_output=True, text=True)
    assert res.returncode != 0
    assert "summary-2022.pickle" in re.sub(r"\s+", "", res.stdout + res.stderr)  # the log wraps long lines
    assert _stats(out) == before  # output/ as it was
    assert not (tmp_path / ".out.building").exists()
    summary.unlink()  # what the message says to do: the year is built again
    line = _run("shards.py", archive, out, cache)
    assert "year-2022" in line


def test_an_article_dated_outside_its_folder_s_year_is_refused(archive: Path, tmp_path: Path) -> None:
    """Its pages would belong to another year's process: the build stops and names it."""
    f = sorted((archive / "2024-01-01" / "01").glob("*.md"))[0]
    f.write_text(re.sub(r"^Date: .*$", "Date: 2023-06-01", f.read_text(encoding="utf-8"), count=1, flags=re.M),
                 encoding="utf-8")
    cmd = [sys.executable, str(ROOT / "tools" / "shards.py"), str(archive), "-o", str(tmp_path / "out"),
           "-s", str(ROOT / "pelicanconf.py")]
    res = subprocess.run(cmd, cwd=ROOT, env=_env(tmp_path / "cache"), capture_output=True, text=True)
    assert res.returncode != 0
    said = re.sub(r"\s+", "", res.stdout + res.stderr)
    assert f.name in said and "liesinafolderof2024" in said
    assert not (tmp_path / "out").exists()
