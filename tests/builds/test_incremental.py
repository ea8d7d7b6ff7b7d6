"""The daily update is incremental and the build is crash-safe (tools/build.py).

A small multi-day corpus (benchmarks/corpus.py) is built with ``tools/build.py`` as
``make html`` does; the output tree is snapshotted (bytes, mtime_ns, inode); one more
edition is added and the site rebuilt.  Only the files the new edition concerns may
change: its own pages and articles, home, archive, the previous edition's page (its
"next edition" link), the tag pages and feeds of the cities, topics and reporters it
touches, the tag indexes, the all-articles feed, the exports, the sitemap, and its
month's search segment.  Every other file keeps its bytes *and* its mtime.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402

PAPER = "zjrb"
DAYS = 4
NEW_DAY = dt.date(2024, 1, 1) + dt.timedelta(days=DAYS)


def build_cmd(content: Path, out: Path) -> list[str]:
    return [sys.executable, str(ROOT / "tools" / "build.py"), str(content), "-o", str(out),
            "-s", str(ROOT / "pelicanconf.py")]


def build_env(cache: Path) -> dict[str, str]:
    return dict(os.environ, PAPER=PAPER, EPAPER_CACHE_DIR=str(cache), EPAPER_BUILD_SYNC_DELETE="1")


def build(content: Path, out: Path, cache: Path) -> subprocess.CompletedProcess:
    res = subprocess.run(build_cmd(content, out), cwd=ROOT, env=build_env(cache),
                         capture_output=True, text=True)
    assert res.returncode == 0, f"build failed:\n{res.stdout}\n{res.stderr}"
    return res


def snapshot(out: Path) -> dict[str, tuple[str, int, int]]:
    snap = {}
    for p in out.rglob("*"):
        if p.is_file():
            st = p.stat()
            snap[p.relative_to(out).as_posix()] = (hashlib.sha1(p.read_bytes()).hexdigest(),
                                                   st.st_mtime_ns, st.st_ino)
    return snap


def touched_tags(out: Path) -> set[str]:
    """``city/<slug>`` etc. linked from the new edition's article pages."""
    found: set[str] = set()
    for page in (out / NEW_DAY.strftime("%Y/%m/%d")).rglob("index.html"):
        found |= {f"{k}/{s}" for k, s in re.findall(r'(city|topic|reporter)/([a-z0-9_-]+)/"',
                                                     page.read_text(encoding="utf-8"))}
    return found


def allowed(rel: str, tags: set[str]) -> bool:
    prev_day = (NEW_DAY - dt.timedelta(days=1)).strftime("%Y/%m/%d")
    if rel.startswith(NEW_DAY.strftime("%Y/%m/%d/")) or rel == f"{prev_day}/index.html":
        return True
    if rel in {"index.html", "sitemap.xml", f"sitemaps/{NEW_DAY.year}.xml.gz", "sitemaps/site.xml.gz",
               "feeds/all.atom.xml", "city/index.html", "topic/index.html",
               "reporter/index.html", f"data/{NEW_DAY.isoformat()}.json", f"data/articles-{NEW_DAY.year}.csv"}:
        return True
    if rel.startswith("archive/") or rel.startswith(f"search/data/{NEW_DAY:%Y-%m}/") \
            or rel == "search/data/index.json":
        return True
    m = re.match(r"(city|topic|reporter)/([a-z0-9_-]+)/", rel)
    if m:
        return f"{m[1]}/{m[2]}" in tags
    m = re.match(r"feeds/(city|topic)/([a-z0-9_-]+)\.atom\.xml$", rel)
    if m:
        return f"{m[1]}/{m[2]}" in tags
    return False


@pytest.fixture(scope="module")
def corpus_dirs(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("incremental")
    corpus.write_corpus(tmp / "year", DAYS, 2, 3, "content", seed=3, paper=PAPER)
    corpus.write_corpus(tmp / "next", 1, 2, 3, "content", seed=4, paper=PAPER, start=NEW_DAY)
    return {"year": tmp / "year" / PAPER, "next": tmp / "next" / PAPER, "tmp": tmp}


def test_daily_update_touches_only_what_the_new_edition_concerns(corpus_dirs, tmp_path):
    content, out, cache = tmp_path / "content" / PAPER, tmp_path / "output", tmp_path / "cache"
    shutil.copytree(corpus_dirs["year"], content)
    build(content, out, cache)
    first = snapshot(out)
    assert any(k.startswith("2024/01/04/") for k in first) and "search/data/index.json" in first

    # A rebuild with nothing new changes nothing at all.
    build(content, out, cache)
    assert snapshot(out) == first

    shutil.copytree(corpus_dirs["next"], content, dirs_exist_ok=True)
    build(content, out, cache)
    after = snapshot(out)
    tags = touched_tags(out)
    assert tags, "the new articles link to their cities, topics and reporters"

    removed = set(first) - set(after)
    added = set(after) - set(first)
    changed = {k for k in set(first) & set(after) if first[k] != after[k]}
    assert not removed
    assert not [k for k in sorted(added | changed) if not allowed(k, tags)]
    # Unchanged files keep bytes, mtime and inode: the same file, not a rewrite.
    for k in set(first) - changed:
        assert after[k] == first[k], k
    # The new edition is there, and what must change did.
    new_articles = [k for k in added if k.startswith(NEW_DAY.strftime("%Y/%m/%d/")) and k.count("/") == 5]
    assert len(new_articles) >= 4
    assert {"index.html", "feeds/all.atom.xml", f"data/{NEW_DAY.isoformat()}.json"} <= added | changed
    assert "archive/index.html" in changed
    # Old article pages and other editions' list pages are untouched.
    old = [k for k in first if re.match(r"2024/01/0[1-3]/", k)]
    assert old and not [k for k in old if k in changed]


def test_stale_outputs_are_removed(corpus_dirs, tmp_path):
    content, out, cache = tmp_path / "content" / PAPER, tmp_path / "output", tmp_path / "cache"
    shutil.copytree(corpus_dirs["year"], content)
    build(content, out, cache)
    victim = sorted((content / "2024-01-02").rglob("*.md"))[0]
    slug = re.search(r"^Slug: (.+)$", victim.read_text(encoding="utf-8"), re.M)[1]
    pages = [p for p in out.glob("2024/01/02/*/*/index.html") if slug.endswith(p.parent.name)]
    assert len(pages) == 1
    before = snapshot(out)
    victim.unlink()
    build(content, out, cache)
    assert not pages[0].exists()
    after = snapshot(out)
    untouched = [k for k in before if k.startswith("2024/01/03/")]
    assert untouched and all(after[k] == before[k] for k in untouched)


def test_killed_build_leaves_old_or_new_output_and_is_repaired(corpus_dirs, tmp_path):
    """SIGKILL at random moments of an update: output/ is the old tree or the new one."""
    content, out, cache = tmp_path / "content" / PAPER, tmp_path / "output", tmp_path / "cache"
    shutil.copytree(corpus_dirs["year"], content)
    build(content, out, cache)
    old = {k: v[0] for k, v in snapshot(out).items()}
    # The expected new tree, built separately from the same inputs.
    ref_content, ref_out = tmp_path / "ref" / PAPER, tmp_path / "ref-out"
    shutil.copytree(content, ref_content)
    shutil.copytree(corpus_dirs["next"], ref_content, dirs_exist_ok=True)
    build(ref_content, ref_out, tmp_path / "ref-cache")
    new = {k: v[0] for k, v in snapshot(ref_out).items()}
    assert new != old

    old_copy = tmp_path / "old-copy"
    shutil.copytree(out, old_copy)
    shutil.copytree(corpus_dirs["next"], content, dirs_exist_ok=True)
    rng = random.Random(7)
    for _ in range(4):
        proc = subprocess.Popen(build_cmd(content, out), cwd=ROOT, env=build_env(cache),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.2, 2.5))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        state = {k: v[0] for k, v in snapshot(out).items()}
        assert state in (old, new), "output/ is neither the old nor the new site"
        if state == new:  # start the next kill from the old site again
            shutil.rmtree(out)
            shutil.copytree(old_copy, out)
    build(content, out, cache)  # repairs whatever the last kill left, then updates
    assert {k: v[0] for k, v in snapshot(out).items()} == new
    # What a finished build keeps beside output/: the previous tree (the next build's
    # staging starts from it) and the record of what this build changed.
    kept = {".output.spare", ".output.changes.json"}
    leftovers = [p.name for p in out.parent.iterdir()
                 if p.name.startswith(".output.") and "trash" not in p.name and p.name not in kept]
    assert not leftovers
