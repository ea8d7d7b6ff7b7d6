"""The daily update loads the latest year and what it reaches, and writes a cold build's bytes.

A daily build (``plugins/epaper_site/daily.py``) joins the latest year's articles with the
state the last build kept of the closed years, and carries the closed years' units over
unchecked.  These tests build an archive across a New Year, add a day, and compare the
site with a cold build of the same content, file by file; they read from the build's own
account (``tools/build.py``'s line, from ``run_record.RUN``) which path it took and how
many store folders it loaded.  A correction in a closed year takes the full path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402

PAPER = "zjrb"
FIRST = dt.date(2023, 12, 26)
DAYS = 26  # to 2024-01-20: six days of 2023, twenty of 2024
NEW_DAY = FIRST + dt.timedelta(days=DAYS)
#: Feeds of cities and topics reach back as far as their newest 50 stories: off, the year's
#: own folders are all a daily update may load.
NO_TAG_FEEDS = ("-e", "EPAPER_CITY_FEEDS=false", "EPAPER_TOPIC_FEEDS=false")


def build(content: Path, out: Path, cache: Path, extra: tuple[str, ...] = ()) -> str:
    env = dict(os.environ, PAPER=PAPER, EPAPER_CACHE_DIR=str(cache), EPAPER_BUILD_SYNC_DELETE="1")
    res = subprocess.run([sys.executable, str(ROOT / "tools" / "build.py"), str(content), "-o", str(out),
                          "-s", str(ROOT / "pelicanconf.py"), *extra], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    assert res.returncode == 0, f"build failed:\n{res.stdout}\n{res.stderr}"
    return " ".join(res.stdout.split())


def account(log: str) -> dict[str, int | str]:
    """What the build says it did: its path, folders loaded, units rendered and carried."""
    m = re.search(r"units rendered (\d+), kept unrendered (\d+), carried (\d+); (\w+) path, "
                  r"store folders loaded (\d+) \((\d+) articles\), render shelves opened (\d+)", log)
    assert m, log[-2000:]
    return {"rendered": int(m[1]), "kept": int(m[2]), "carried": int(m[3]), "path": m[4],
            "folders": int(m[5]), "records": int(m[6]), "shelves": int(m[7])}


def tree(out: Path) -> dict[str, tuple[str, int, int]]:
    return {p.relative_to(out).as_posix(): (hashlib.sha1(p.read_bytes()).hexdigest(), p.stat().st_ino,
                                             p.stat().st_mtime_ns)
            for p in out.rglob("*") if p.is_file()}


def same_bytes(a: Path, b: Path) -> None:
    ta, tb = tree(a), tree(b)
    assert sorted(ta) == sorted(tb)
    differ = [k for k in ta if ta[k][0] != tb[k][0]]
    assert not differ, differ[:10]


def as_cold(content: Path, out: Path, fresh: Path, extra: tuple[str, ...] = ()) -> Path:
    """Build ``content`` cold in ``fresh`` (a full build, asserted) and hold ``out`` to its
    bytes; returns the cold build's output."""
    shutil.copytree(content, fresh / "content", copy_function=os.link)
    assert account(build(fresh / "content", fresh / "out", fresh / "cache", extra))["path"] == "full"
    same_bytes(out, fresh / "out")
    return fresh / "out"


@pytest.fixture(scope="module")
def corpus_dirs(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("daily")
    corpus.write_corpus(tmp / "archive", DAYS, 2, 3, "content", seed=3, paper=PAPER, start=FIRST)
    corpus.write_corpus(tmp / "next", 1, 2, 3, "content", seed=4, paper=PAPER, start=NEW_DAY)
    return {"archive": tmp / "archive" / PAPER, "next": tmp / "next" / PAPER}


@pytest.mark.parametrize("extra", [(), NO_TAG_FEEDS], ids=["tag-feeds", "no-tag-feeds"])
def test_a_daily_update_loads_the_year_only_and_writes_a_cold_builds_bytes(corpus_dirs, tmp_path, extra):
    content, out, cache = tmp_path / "content", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(corpus_dirs["archive"], content, copy_function=os.link)
    cold = account(build(content, out, cache, extra))
    assert cold["path"] == "full" and cold["carried"] == 0

    again = account(build(content, out, cache, extra))
    assert again["path"] == "daily" and again["rendered"] == 0
    assert cold["shelves"] == 0 and again["shelves"] == 1  # 2024's render keys; 2023's carried unopened
    assert again["carried"] >= 6 + 1  # the six editions of 2023 and its CSV, never looked at

    before = tree(out)
    shutil.copytree(corpus_dirs["next"], content, copy_function=os.link, dirs_exist_ok=True)
    upd = account(build(content, out, cache, extra))
    assert upd["path"] == "daily"
    year_folders = [p for p in content.iterdir() if p.is_dir() and p.name.startswith("2024-")]
    stored_2024 = len(year_folders) - 1  # the new day's folder is read, not loaded
    if extra == NO_TAG_FEEDS:
        assert upd["folders"] == stored_2024  # 2023's folders are not even opened
    else:
        assert upd["folders"] < len(list(content.iterdir()))
    after = tree(out)
    closed = [k for k in before if k.startswith("2023/")]
    assert closed and all(after[k] == before[k] for k in closed)  # bytes, inode and mtime

    as_cold(content, out, tmp_path / "fresh", extra)


def test_a_correction_in_a_closed_year_takes_the_full_path(corpus_dirs, tmp_path):
    content, out, cache = tmp_path / "content", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(corpus_dirs["archive"], content)
    build(content, out, cache)
    victim = sorted((content / "2023-12-28").rglob("*.md"))[0]
    text = victim.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n\n")
    victim.write_text(head + sep + "更正：" + body, encoding="utf-8")
    said = build(content, out, cache)
    assert "changed, in a closed year; building again in full" in said  # found by the check beside the update
    log = account(said)
    assert log["path"] == "full" and log["carried"] == 0
    as_cold(content, out, tmp_path / "fresh")
    assert account(build(content, out, cache))["path"] == "daily"  # the full build wrote the state again


@pytest.mark.parametrize("change", ["touched", "added", "edition removed", "linked by file name",
                                    "published rewritten"])
def test_a_daily_update_that_meets_a_closed_years_change_builds_in_full(corpus_dirs, tmp_path, change):
    """The daily path leaves the closed years' folders to a check beside the build; whatever
    it finds (an old article saved again unchanged, a file added to an old edition), and
    whatever sends the update to the full path after it started (an old edition gone, a new
    article linking another by its file name), and a closed year's published pages another
    tool rewrote (the carried units' check: one ``stat`` a unit), the published tree is a
    cold build's."""
    content, out, cache = tmp_path / "content", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(corpus_dirs["archive"], content)
    build(content, out, cache)
    old = sorted((content / "2023-12-28").rglob("*.md"))
    if change == "touched":
        os.utime(old[0], ns=(old[0].stat().st_atime_ns, old[0].stat().st_mtime_ns + 10**9))
    elif change == "added":
        shutil.copy(old[0], old[0].with_name("extra.md"))
        text = old[0].with_name("extra.md").read_text(encoding="utf-8")
        old[0].with_name("extra.md").write_text(re.sub(r"^(Title|Slug): (.*)$", r"\1: \2-补", text, flags=re.M),
                                                encoding="utf-8")
    elif change == "edition removed":
        shutil.rmtree(content / "2023-12-28")
    elif change == "published rewritten":  # a closed year's pages rewritten by another tool
        for page in (out / "2023").rglob("*.html"):
            page.write_bytes(page.read_bytes() + b"\n")
    shutil.copytree(corpus_dirs["next"], content, copy_function=os.link, dirs_exist_ok=True)
    if change == "linked by file name":
        new = sorted((content / NEW_DAY.isoformat()).rglob("*.md"))[0]
        text = new.read_text(encoding="utf-8")
        new.unlink()  # a hard link into the module's corpus: written anew, not through it
        new.write_text(text + f"\n\n[见]({{filename}}/{old[0].relative_to(content)})\n", encoding="utf-8")
    said = build(content, out, cache)
    assert account(said)["path"] == "full"
    assert ("building again in full" in said) == (change != "edition removed")  # that one is seen by the walk
    if change == "published rewritten":  # seen by the check of the carried units
        assert "the render cache does not hold edition:2023-" in said, said[-1500:]
    as_cold(content, out, tmp_path / "fresh")


def test_the_closed_years_tag_pages_are_carried_as_one_block(tmp_path):
    """The tag pages a daily update carries (those only the closed years' stories fill) are
    one block after the first daily update: the next carries it whole, opening nothing; one
    that carries fewer (a city of the closed years named again this year) opens it and
    makes a new one.  A damaged block file, and tag pages another tool rewrote (seen in the
    block's sample of first files), make the build full.  After each, the bytes are a cold
    build's."""
    start = dt.date(2023, 11, 20)  # 41 days of 2023: tags whose first archive pages hold only 2023's stories
    corpus.write_corpus(tmp_path / "archive", 50, 2, 3, "content", seed=5, paper=PAPER, start=start)
    corpus.write_corpus(tmp_path / "next", 1, 2, 3, "content", seed=6, paper=PAPER, start=start + dt.timedelta(50))
    content, out, cache = tmp_path / "content", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(tmp_path / "archive" / PAPER, content)
    build(content, out, cache)
    block = cache / "epaper_site" / "render-v4-carried.pickle"
    first = account(build(content, out, cache))
    assert first["path"] == "daily" and block.is_file()
    shutil.copytree(tmp_path / "next" / PAPER, content, dirs_exist_ok=True)
    upd = account(build(content, out, cache))
    assert (upd["path"], upd["shelves"], upd["carried"]) == ("daily", 1, first["carried"])
    as_cold(content, out, tmp_path / "fresh")

    def cities(year: str) -> dict[str, Path]:
        found = {}
        for md in sorted(content.glob(f"{year}-*/**/*.md")):
            m = re.search(r"^Cities: (.+)$", md.read_text(encoding="utf-8"), flags=re.M)
            found.update((c.strip(), md) for c in (m[1].split(",") if m else []) if c.strip())
        return found
    closed_only = sorted(cities("2023").keys() - cities("2024").keys())
    assert closed_only  # a city the block carries the pages of
    md = sorted(cities("2024").values())[0]  # a story of the year now names it too
    md.write_text(re.sub(r"^Cities: (.*)$", rf"Cities: \1, {closed_only[0]}", md.read_text(encoding="utf-8"),
                         count=1, flags=re.M), encoding="utf-8")
    moved = account(build(content, out, cache))  # the city's pages leave the block: opened, made anew
    assert (moved["path"], moved["shelves"]) == ("daily", 2) and moved["carried"] < upd["carried"], moved
    as_cold(content, out, tmp_path / "fresh-moved")
    again = account(build(content, out, cache))
    assert (again["path"], again["shelves"], again["carried"]) == ("daily", 1, moved["carried"])
    block.write_bytes(block.read_bytes()[:block.stat().st_size // 2])  # damaged: its pages are rendered again
    said = build(content, out, cache)
    assert account(said)["path"] == "full" and "the render cache does not hold tag:" in said, said[-1500:]
    as_cold(content, out, tmp_path / "fresh-damaged")
    assert account(build(content, out, cache))["path"] == "daily" and block.is_file()

    pages = sorted(p for kind in ("city", "topic", "reporter", "feeds") for p in (out / kind).rglob("*.*"))
    for page in pages:  # the block's among them
        page.write_bytes(page.read_bytes() + b"\n")
    said = build(content, out, cache)
    assert account(said)["path"] == "full"
    assert "the render cache does not hold the carried block as it was published" in said, said[-1500:]
    as_cold(content, out, tmp_path / "fresh-2")


def test_a_first_year_smaller_than_the_feed_is_updated_daily(corpus_dirs, tmp_path):
    """No closed year: the whole paper's feed, though it holds every article, reaches no
    further than the year, so a young archive (a paper's first weeks) is updated daily too,
    an edition taken away as well as one added."""
    content, out, cache = tmp_path / "content", tmp_path / "out", tmp_path / "cache"
    content.mkdir()
    for day in sorted(corpus_dirs["archive"].iterdir()):
        if day.is_dir() and "2024-01-01" <= day.name <= "2024-01-07":  # 42 articles: under FEED_MAX_ITEMS
            shutil.copytree(day, content / day.name, copy_function=os.link)
    assert account(build(content, out, cache))["path"] == "full"
    last = max(content.iterdir())
    (tmp_path / "later").mkdir()
    for step in ("taken away", "put back"):
        if step == "taken away":
            last.rename(tmp_path / "later" / last.name)
        else:
            (tmp_path / "later" / last.name).rename(last)
        assert account(build(content, out, cache))["path"] == "daily", step
        as_cold(content, out, tmp_path / f"fresh-{step.replace(' ', '-')}")


def test_a_daily_update_sweeps_stale_files_from_the_list_without_walking(corpus_dirs, tmp_path):
    """Staged from the last build's record, a daily update looks for stale files only among
    the last build's files of the units it did not carry over and its loose files (here a
    picture under STATIC_PATHS, no unit's): an edition taken away and a picture deleted
    leave no file behind, as a cold build of what is left.  The next build, staged from a
    record that names only the search segments rebuilt, writes the same bytes again."""
    content, out, cache = tmp_path / "content", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(corpus_dirs["archive"], content, copy_function=os.link)
    picture = content / "images" / "map.png"
    picture.parent.mkdir()
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert account(build(content, out, cache))["path"] == "full"
    assert "the tree walked" in build(content, out, cache)  # the first rebuild stages with cp -al
    assert (out / "images" / "map.png").is_file()
    picture.unlink()
    last = max(p for p in content.iterdir() if p.name[:1].isdigit())
    shutil.rmtree(last)
    log = build(content, out, cache)
    assert account(log)["path"] == "daily"
    m = re.search(r"(\d+) stale files removed \(of (\d+) listed\)", log)
    assert m, log[-600:]
    assert int(m[1]) > 2  # the edition's pages and the picture
    assert not (out / "images" / "map.png").exists()
    cold = as_cold(content, out, tmp_path / "fresh")
    assert account(build(content, out, cache))["rendered"] == 0
    same_bytes(out, cold)


def test_a_tag_no_story_names_any_more_is_gone(tmp_path):
    """The year's editions converted again from other dumps (a re-run of the converter): a
    city, topic or reporter only the old text named has no page after a daily update, as
    after a cold build (the state still lists it from the last build)."""
    start = dt.date(2024, 3, 17)
    corpus.write_corpus(tmp_path / "a", 2, 2, 6, "content", seed=1, paper=PAPER, start=start)
    corpus.write_corpus(tmp_path / "b", 3, 2, 6, "content", seed=2, paper=PAPER, start=start)
    content, out, cache = tmp_path / "content", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(tmp_path / "a" / PAPER, content)
    build(content, out, cache)
    before = set(tree(out))
    shutil.rmtree(content)
    shutil.copytree(tmp_path / "b" / PAPER, content)
    assert account(build(content, out, cache))["path"] == "daily"
    cold = as_cold(content, out, tmp_path / "fresh")
    gone = {k for k in before - set(tree(cold)) if k.split("/")[0] in ("city", "topic", "reporter")}
    assert gone  # the two corpora do name different tags: the test tests something


def test_a_run_of_edits_each_gives_a_cold_builds_bytes(tmp_path):
    """Editions added, taken away, back-filled and converted again, tags changed by hand, in
    a seeded order across a New Year: after each, the kept build (the daily path whenever it
    can) writes what a cold build of the same content writes."""
    rng = random.Random(1)
    first = dt.date(2023, 12, 28)
    for name, days, seed, start in (("base", 10, 3, first), ("alt", 10, 7, first),
                                    ("more", 3, 9, first + dt.timedelta(days=10))):
        corpus.write_corpus(tmp_path / name, days, 2, 5, "content", seed=seed, paper=PAPER, start=start)
    content, out, cache = tmp_path / "content", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(tmp_path / "base" / PAPER, content)
    build(content, out, cache)
    paths = []
    for step in range(8):
        have = sorted(p.name for p in content.iterdir() if p.is_dir())
        year = [d for d in have if d[:4] == max(have)[:4]]
        op = rng.choice(["add", "remove", "rewrite", "Authors", "Cities", "backfill"])
        if op == "add":
            more = sorted(p.name for p in (tmp_path / "more" / PAPER).iterdir())
            day = next((d for d in more if d not in have), None)
            if day is not None:
                shutil.copytree(tmp_path / "more" / PAPER / day, content / day)
        elif op == "remove" and len(year) > 2:
            shutil.rmtree(content / rng.choice(year[1:]))
        elif op == "rewrite":
            day = rng.choice(year[1:])
            if (tmp_path / "alt" / PAPER / day).is_dir():
                shutil.rmtree(content / day)
                shutil.copytree(tmp_path / "alt" / PAPER / day, content / day)
        elif op in ("Authors", "Cities"):
            md = rng.choice(sorted((content / rng.choice(year)).rglob("*.md")))
            value = rng.choice(["王小明", "程少波", "杭州", "宁波", "新名字"])
            md.write_text(re.sub(rf"^{op}: .*$", f"{op}: {value}", md.read_text(encoding="utf-8"), count=1,
                                 flags=re.M), encoding="utf-8")
        elif op == "backfill":
            gone = [d for d in sorted(p.name for p in (tmp_path / "base" / PAPER).iterdir())
                    if d not in have and d[:4] == max(have)[:4]]
            if gone:
                shutil.copytree(tmp_path / "base" / PAPER / gone[0], content / gone[0])
        paths.append(account(build(content, out, cache))["path"])
        shutil.rmtree(as_cold(content, out, tmp_path / f"fresh-{step}").parent)
    assert paths.count("daily") >= 6, paths  # the run exercises the daily path, not only full builds
