"""The article store and render keys: a build from them is a build that read everything.

The daily update is fast because a build hands Pelican only new or changed content
files (``plugins/epaper_site/store.py``) and renders only units whose inputs changed
(``render_cache.py``).  These tests check that the shortcuts change nothing a reader
sees: a build from the store writes the same bytes as a build that read everything,
an edited article is read again and re-rendered, a deleted one disappears.  The reader
is tests/site/test_reader.py, the sitemap writer tests/site/test_sitemap.py.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
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
sys.path.insert(0, str(ROOT))

import corpus  # noqa: E402

PAPER = "zjrb"


def build(content: Path, out: Path, cache: Path) -> str:
    env = dict(os.environ, PAPER=PAPER, EPAPER_CACHE_DIR=str(cache), EPAPER_BUILD_SYNC_DELETE="1")
    res = subprocess.run([sys.executable, str(ROOT / "tools" / "build.py"), str(content), "-o", str(out),
                          "-s", str(ROOT / "pelicanconf.py")], cwd=ROOT, env=env, capture_output=True, text=True)
    assert res.returncode == 0, f"build failed:\n{res.stdout}\n{res.stderr}"
    return res.stdout + res.stderr


def tree(out: Path) -> dict[str, tuple[str, int]]:
    return {p.relative_to(out).as_posix(): (hashlib.sha1(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in out.rglob("*") if p.is_file()}


def read_counts(log: str) -> tuple[int, int]:
    m = re.search(r"(\d+) articles: (\d+) read now, (\d+) from the store", " ".join(log.split()))
    assert m, log[-2000:]
    return int(m[2]), int(m[3])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("store")
    corpus.write_corpus(tmp / "c", 3, 2, 3, "content", seed=11, paper=PAPER)
    content = tmp / "c" / PAPER
    log = build(content, tmp / "out", tmp / "cache")
    return {"tmp": tmp, "content": content, "out": tmp / "out", "cache": tmp / "cache", "log": log}


def test_second_build_reads_nothing_and_changes_nothing(site):
    before = tree(site["out"])
    log = build(site["content"], site["out"], site["cache"])
    read, stored = read_counts(log)
    assert read == 0 and stored > 0
    assert tree(site["out"]) == before


def test_build_from_the_store_equals_a_build_that_reads_everything(site, tmp_path):
    """Same bytes whether articles come from the store or from Pelican's reader."""
    fresh = tmp_path / "fresh"
    build(site["content"], fresh, tmp_path / "cache")
    ours = {k: v[0] for k, v in tree(site["out"]).items()}
    theirs = {k: v[0] for k, v in tree(fresh).items()}
    assert ours == theirs


def test_an_edited_article_is_read_again_and_only_its_edition_rerendered(site):
    out = site["out"]
    md = sorted(site["content"].rglob("*.md"))[0]
    day = md.relative_to(site["content"]).parts[0]
    before = tree(out)
    text = md.read_text(encoding="utf-8")
    md.write_text(text.replace("\n\n", "\n\n编者按：这是一处修改。\n\n", 1), encoding="utf-8")
    try:
        log = build(site["content"], out, site["cache"])
        read, _ = read_counts(log)
        assert read == 1
        after = tree(out)
        changed = {k for k in after if before.get(k) != after[k]}
        assert any("这是一处修改" in (out / k).read_text(encoding="utf-8") for k in changed if k.endswith(".html"))
        prefix = day.replace("-", "/") + "/"
        other_days = {k for k in changed if re.match(r"\d{4}/\d\d/\d\d/", k) and not k.startswith(prefix)}
        assert not other_days, other_days
    finally:
        md.write_text(text, encoding="utf-8")
        build(site["content"], out, site["cache"])


def test_a_deleted_article_loses_its_page(site):
    out = site["out"]
    md = sorted(site["content"].rglob("*.md"))[-1]
    slug = re.search(r"^Slug: (.+)$", md.read_text(encoding="utf-8"), re.M)[1]
    pages = [p for p in out.rglob("index.html") if p.parent.name == slug.split("-", 2)[-1]]
    assert pages
    keep = md.read_bytes()
    md.unlink()
    try:
        build(site["content"], out, site["cache"])
        assert not any(p.exists() for p in pages)
        sitemaps = "".join(gzip.decompress(f.read_bytes()).decode("utf-8") for f in (out / "sitemaps").glob("*.gz"))
        assert "<url>" in sitemaps and slug.split("-", 2)[-1] not in sitemaps
    finally:
        md.write_bytes(keep)
        build(site["content"], out, site["cache"])


def test_a_lost_output_file_is_rendered_again(site):
    out = site["out"]
    victim = next(p for p in sorted(out.rglob("index.html")) if re.match(r"\d{4}/", p.relative_to(out).as_posix()))
    data = victim.read_bytes()
    victim.unlink()
    build(site["content"], out, site["cache"])
    assert victim.read_bytes() == data


def test_a_build_removes_what_other_versions_of_the_caches_left(site):
    """A cache format's version changes with the code; the files of the old version are
    removed by the next build (at ten years the old render cache alone was 37 MB), the
    current ones kept."""
    folder = site["cache"] / "epaper_site"
    current = sorted(p.name for p in folder.iterdir())
    assert any(n.startswith("render-v") for n in current) and any(n.startswith("store-v") for n in current)
    (folder / "render-v1.pickle").write_bytes(b"old")
    (folder / "render-v1-2019.pickle").write_bytes(b"old")
    (folder / "daily-v0.pickle").write_bytes(b"old")
    (folder / "store-v1").mkdir()
    (folder / "store-v1" / "2019-01.pickle").write_bytes(b"old")
    (folder / "rendered-notes.txt").write_bytes(b"not a cache of ours")
    build(site["content"], site["out"], site["cache"])
    assert sorted(p.name for p in folder.iterdir()) == sorted([*current, "rendered-notes.txt"])


def test_a_template_change_rerenders_everything(site, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<!-- v2 --></body>"), encoding="utf-8")
    conf = tmp_path / "conf.py"
    conf.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *  # noqa\n"
                    f"THEME = {str(theme)!r}\n", encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    shutil.copytree(site["out"], out)
    shutil.copytree(site["cache"], cache)
    env = dict(os.environ, PAPER=PAPER, EPAPER_CACHE_DIR=str(cache), EPAPER_BUILD_SYNC_DELETE="1")
    res = subprocess.run([sys.executable, str(ROOT / "tools" / "build.py"), str(site["content"]), "-o", str(out),
                          "-s", str(conf)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    articles = [p for p in out.rglob("index.html") if len(p.relative_to(out).parts) == 6]
    assert articles and all("<!-- v2 -->" in p.read_text(encoding="utf-8") for p in articles)


# -- pieces ------------------------------------------------------------------------------------

def test_store_rows_round_trip():
    from epaper_site import store
    from epaper_site.model import Story

    zone = __import__("zoneinfo").ZoneInfo("Asia/Shanghai")
    story = Story(slug="20240317-01-a", title="标题", date=dt.date(2024, 3, 17), page=1, order=2,
                  url="2024/03/17/01/a/",
                  authors=["程少波"], cities=["杭州"], topics=["营商环境"], summary="导语")
    rec = store.ArticleRecord(source="2024-03-17/01/a.md", stamp=(1, 2), story=story, content="<p>正文</p>",
                              title="标题", summary="导语", date=dt.datetime(2024, 3, 17, tzinfo=zone),
                              authors=["程少波"], category="报纸", lang="zh-CN", text="正文", fingerprint="f")
    back = store._from_row(store._to_row(rec))
    assert back == rec
    assert back.date.tzinfo.key == "Asia/Shanghai"


def test_staging_from_the_spare_tree_gives_the_same_site_as_a_fresh_build(tmp_path):
    """Three updates staged from the previous tree (not ``cp -al``) end where a cold build ends."""
    corpus.write_corpus(tmp_path / "c", 4, 2, 3, "content", seed=21, paper=PAPER)
    days = sorted((tmp_path / "c" / PAPER).iterdir())
    content = tmp_path / "content"
    content.mkdir()
    for d in days[:2]:
        shutil.copytree(d, content / d.name)
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache)  # the first build has no previous tree to keep
    assert "cp -al" in build(content, out, cache)  # the second copies, and keeps the first as spare
    shutil.copytree(days[2], content / days[2].name)  # a new day
    assert "from the spare tree" in build(content, out, cache)
    shutil.rmtree(content / days[0].name)  # a day withdrawn
    assert "from the spare tree" in build(content, out, cache)
    shutil.copytree(days[3], content / days[3].name)
    assert "from the spare tree" in build(content, out, cache)
    fresh = tmp_path / "fresh"
    build(content, fresh, tmp_path / "cache2")
    assert {k: v[0] for k, v in tree(out).items()} == {k: v[0] for k, v in tree(fresh).items()}
    spare = tmp_path / ".out.spare"
    assert spare.is_dir()

    # output/ replaced behind the build's back: the record no longer fits, it copies instead.
    shutil.copytree(out, tmp_path / "out-copy")
    shutil.rmtree(out)
    os.rename(tmp_path / "out-copy", out)
    assert "cp -al" in build(content, out, cache)
    assert {k: v[0] for k, v in tree(out).items()} == {k: v[0] for k, v in tree(fresh).items()}


def test_reading_in_workers_gives_the_same_site_and_leaves_bad_files_to_pelican(site, tmp_path):
    """Forked readers (a cold build of many files) write what Pelican's own reading writes."""
    content = tmp_path / "content"
    shutil.copytree(site["content"], content)
    (content / "broken.md").write_text("这不是一篇文章：没有标题，也没有日期。\n", encoding="utf-8")
    outs = {}
    for name, extra in (("workers", "EPAPER_READ_PARALLEL_MIN = 1\nEPAPER_READ_JOBS = 2\n"),
                        ("serial", "EPAPER_READ_JOBS = 1\n")):
        conf = tmp_path / f"{name}.py"
        conf.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *  # noqa\n{extra}",
                        encoding="utf-8")
        env = dict(os.environ, PAPER=PAPER, EPAPER_CACHE_DIR=str(tmp_path / f"cache-{name}"),
                   EPAPER_BUILD_SYNC_DELETE="1")
        res = subprocess.run([sys.executable, str(ROOT / "tools" / "build.py"), str(content), "-o",
                              str(tmp_path / name), "-s", str(conf)], cwd=ROOT, env=env, capture_output=True, text=True)
        assert res.returncode == 0, res.stderr
        assert "broken.md" in " ".join((res.stdout + res.stderr).split())  # reported by Pelican, once read
        outs[name] = {k: v[0] for k, v in tree(tmp_path / name).items()}
    assert outs["workers"] == outs["serial"]
    assert outs["workers"] == {k: v[0] for k, v in tree(site["out"]).items()}


def _stored_record(source: str, body: str):
    from epaper_site import store
    from epaper_site.model import Story

    zone = __import__("zoneinfo").ZoneInfo("Asia/Shanghai")
    folder = source.rsplit("/", 1)[0]
    story = Story(slug=source, title="标题", date=dt.date(2024, 3, 17), page=1, order=1, url=f"{folder}/a/")
    return store.ArticleRecord(source=source, stamp=(1, 2), story=story, content=f"<p>{body}</p>", title="标题",
                               summary="导语", date=dt.datetime(2024, 3, 17, tzinfo=zone), authors=[],
                               category="报纸", lang="zh-CN", text=body, fingerprint=body)


def test_stored_texts_are_read_only_when_asked_for(tmp_path):
    """The facts of every stored article are loaded; an edition's HTML and texts only when
    one of its articles' content or text is read (a daily update renders one edition)."""
    from epaper_site import store

    recs = [_stored_record("2024-03-17/01/a.md", "甲"), _stored_record("2024-03-17/01/b.md", "乙"),
            _stored_record("2024-03-18/01/c.md", "丙")]
    st = store.ArticleStore(tmp_path / "s")
    st.replace_all(recs)
    st.save()
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == [
        "2024-03-17.pickle", "2024-03-17.text.pickle", "2024-03-18.pickle", "2024-03-18.text.pickle"]

    back = store.ArticleStore(tmp_path / "s").records
    assert all(r.__dict__["_content"] is None and r.__dict__["_text"] is None for r in back.values())
    assert back["2024-03-17/01/a.md"].chars == 1  # facts need no text
    from pelican.settings import DEFAULT_CONFIG

    view = store.StoredArticle(back["2024-03-17/01/b.md"], dict(DEFAULT_CONFIG), {})
    assert view.get_content("") == "<p>乙</p>"  # loads its folder, and only its folder
    assert back["2024-03-17/01/a.md"].__dict__["_text"] == "甲"
    assert back["2024-03-18/01/c.md"].__dict__["_content"] is None
    assert [back[r.source] for r in recs] == recs  # and nothing differs from what was stored


def test_the_store_keeps_one_file_per_edition_under_a_papers_folder(tmp_path):
    """content/<paper>/<date>/: the edition, not the paper, is the unit of the store, so a
    daily update writes the new edition's files and leaves the archive's untouched."""
    from epaper_site import store

    recs = [_stored_record("zjrb/2024-03-17/01/a.md", "甲"), _stored_record("zjrb/2024-03-18/01/c.md", "丙")]
    st = store.ArticleStore(tmp_path / "s")
    st.replace_all(recs)
    st.save()
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == [
        "zjrb__2024-03-17.pickle", "zjrb__2024-03-17.text.pickle",
        "zjrb__2024-03-18.pickle", "zjrb__2024-03-18.text.pickle"]
    before = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "s").iterdir()}

    st = store.ArticleStore(tmp_path / "s")
    st.replace_all([*st.records.values(), _stored_record("zjrb/2024-03-19/01/d.md", "丁")])
    st.save()
    after = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "s").iterdir()}
    assert {k for k in after if after[k] != before.get(k)} == {"zjrb__2024-03-19.pickle",
                                                              "zjrb__2024-03-19.text.pickle"}
    assert sorted(store.ArticleStore(tmp_path / "s").records) == [
        "zjrb/2024-03-17/01/a.md", "zjrb/2024-03-18/01/c.md", "zjrb/2024-03-19/01/d.md"]


def test_a_store_file_of_another_grouping_is_not_read_and_is_removed(tmp_path, monkeypatch):
    """A store saved when a whole paper's folder was one file (an older grouping) is not
    taken (its articles are read again) and its files go at the next save."""
    from epaper_site import store

    recs = [_stored_record("zjrb/2024-03-17/01/a.md", "甲"), _stored_record("zjrb/2024-03-18/01/c.md", "丙")]
    with monkeypatch.context() as m:
        m.setattr(store, "folder_of", lambda source: "zjrb")
        old = store.ArticleStore(tmp_path / "s")
        old.replace_all(recs)
        old.save()
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == ["zjrb.pickle", "zjrb.text.pickle"]
    st = store.ArticleStore(tmp_path / "s")
    assert st.records == {}
    st.replace_all(recs)
    st.save()
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == [
        "zjrb__2024-03-17.pickle", "zjrb__2024-03-17.text.pickle",
        "zjrb__2024-03-18.pickle", "zjrb__2024-03-18.text.pickle"]


def test_a_damaged_store_is_read_again_or_stops_the_build(tmp_path):
    """Texts changed behind the store's back: the folder is not taken from the store (its
    files are read again); changed after the facts were loaded: an error naming the file,
    never an article published without its text."""
    from epaper_site import store

    st = store.ArticleStore(tmp_path / "s")
    st.replace_all([_stored_record("2024-03-17/01/a.md", "甲"), _stored_record("2024-03-18/01/c.md", "丙")])
    st.save()
    text = tmp_path / "s" / "2024-03-17.text.pickle"
    text.write_bytes(text.read_bytes() + b"x")
    assert sorted(store.ArticleStore(tmp_path / "s").records) == ["2024-03-18/01/c.md"]

    later = tmp_path / "s" / "2024-03-18.text.pickle"
    back = store.ArticleStore(tmp_path / "s").records["2024-03-18/01/c.md"]
    later.write_bytes(b"garbage")
    with pytest.raises(RuntimeError, match=re.escape("2024-03-18.text.pickle")):
        _ = back.content
