"""The editor's morning, through the real CLI and make targets: corrections that never
duplicate a story, a report of today's problems in Chinese, a preview that builds although
a dump was refused, checked mastheads, duplicate dumps, a paper set up from scratch; a page
that never vanishes across a rename, a move or a removal of its dump, and ``make publish``
refusing an edition that lost pages or stories; impossible masthead dates as errors; odd
file names named; ``--take`` saying what it did; a report that is capped, shows real paths
and refuses nothing when only viewed; ``make html`` printing no SITEURL warning."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import converters.printed.messages  # noqa: F401  (its codes join MESSAGES)
from converters.gold import page_articles, parse_article
from converters.messages import MESSAGES
from tests.conftest import ROOT, run_converter, run_pelican

SAMPLE = ROOT / "raw" / "zjrb" / "2024-03-17" / "01.txt"


def raw_tree(tmp: Path, files: dict[str, str | bytes], paper: str = "zjrb", toml: bool = True) -> Path:
    raw = tmp / "raw" / paper
    raw.mkdir(parents=True)
    if toml:
        shutil.copy(ROOT / "raw" / paper / "paper.toml", raw / "paper.toml")
    for rel, data in files.items():
        (raw / rel).parent.mkdir(parents=True, exist_ok=True)
        (raw / rel).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return raw


def convert(raw: Path, out: Path, *extra: str, lang: str = "zh") -> subprocess.CompletedProcess:
    return run_converter(raw, out, raw.name, "--no-tags", *extra, lang=lang)


def sample() -> str:
    return SAMPLE.read_text(encoding="utf-8")


PY = str(ROOT / ".venv" / "bin" / "python")
DAY18 = ("2024年3月17日 星期日 农历甲辰年二月初八", "2024年3月18日 星期一 农历甲辰年二月初九")


def day18() -> str:
    """The sample front page as printed the next day (masthead date, weekday and lunar date)."""
    return sample().replace(*DAY18)


def md_names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.md")) if folder.is_dir() else []


def make(target: str, raw: Path, tmp: Path, *extra: str) -> subprocess.CompletedProcess:
    """A real make target on a raw tree of the temporary folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("PAPER", "SITEURL", "FORCE", "MAKEFLAGS")}
    env["EPAPER_CACHE_DIR"] = str(tmp / "cache")
    return subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), target, f"PAPER={raw.name}",
                           f"RAWDIR={raw}", f"INPUTDIR={tmp / 'content' / raw.name}", f"OUTPUTDIR={tmp / 'output'}",
                           *extra], capture_output=True, text=True, env=env, timeout=600)


def report_codes(out: Path) -> dict[str, list[str]]:
    report = json.loads((out / "conversion-report.json").read_text(encoding="utf-8"))
    codes = {p["key"]: [i["code"] for i in p["issues"]] for p in report["pages"]}
    codes["(run)"] = [n["code"] for n in report.get("notices", [])]
    return codes


# -- corrections -------------------------------------------------------------------------------

def test_a_corrected_headline_keeps_one_story_with_its_hand_edit(tmp_path):
    """A headline corrected in the dump: the story keeps its file (no second one on the page);
    a hand edit of it stays, the dump's change is reported with its diff, and --take takes it."""
    raw = raw_tree(tmp_path, {"2024-03-17/01.txt": sample()})
    out = tmp_path / "content" / "zjrb"
    assert convert(raw, out).returncode == 0
    (target,) = out.rglob("*kafei-xiangli*.md")
    before = sorted(p.name for p in out.rglob("*.md"))
    edited = target.read_text(encoding="utf-8").replace("咖香氤氲中", "咖啡香气中")
    target.write_text(edited, encoding="utf-8")
    corrected = sample().replace("咖啡香里,面对面解难题", "咖啡香里,面对面解决难题")
    (raw / "2024-03-17" / "01.txt").write_text(corrected, encoding="utf-8")
    r = convert(raw, out)
    assert r.returncode == 0, r.stdout
    assert sorted(p.name for p in out.rglob("*.md")) == before  # one story, its file kept
    assert target.read_text(encoding="utf-8") == edited  # the hand edit stays
    assert "hand-edited-dump-changed" in r.stdout and "手改保留" in r.stdout
    assert "-Title: 咖啡香里，面对面解难题" in r.stdout and "+Title: 咖啡香里，面对面解决难题" in r.stdout
    orders = [parse_article(p).get("Order") for p in out.rglob("*.md")]
    assert len(orders) == len(set(orders))
    # Taking it: the dump's version replaces the hand edit, the file keeps its name.
    rel = target.relative_to(out).as_posix()
    r = convert(raw, out, "--take", rel)
    assert r.returncode == 0
    assert "Title: 咖啡香里，面对面解决难题" in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in out.rglob("*.md")) == before


def test_a_story_not_hand_edited_follows_the_correction_under_its_old_name(tmp_path):
    raw = raw_tree(tmp_path, {"2024-03-17/01.txt": sample()})
    out = tmp_path / "content" / "zjrb"
    convert(raw, out)
    names = sorted(p.name for p in out.rglob("*.md"))
    renamed = sample().replace("让山区县孕育出更多科创果实", "让山区县结出更多科创果实")
    (raw / "2024-03-17" / "01.txt").write_text(renamed, encoding="utf-8")
    r = convert(raw, out)
    assert sorted(p.name for p in out.rglob("*.md")) == names
    (story,) = out.rglob("*shanquxian*.md")
    assert parse_article(story).get("Title") == "让山区县结出更多科创果实"
    assert "story-kept-across-correction" not in r.stdout  # a note, not a warning


def test_two_files_of_one_story_refuse_make_publish(tmp_path):
    raw = raw_tree(tmp_path, {"2024-03-17/01.txt": sample()})
    out = tmp_path / "content" / "zjrb"
    convert(raw, out)
    (first, *_rest) = sorted(out.rglob("*.md"))
    shutil.copy(first, first.with_name("copy-of-a-story.md"))
    r = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-m", "converters.report", str(out)],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 1
    assert "两个文件讲同一篇稿件" in r.stderr and "copy-of-a-story.md" in r.stderr


def test_the_lead_follows_a_hand_edit_unless_an_editor_wrote_a_summary(tmp_path):
    raw = raw_tree(tmp_path, {"2024-03-17/01.txt": sample()})
    content = tmp_path / "content" / "zjrb"
    convert(raw, content)
    (story,) = content.rglob("*kafei-xiangli*.md")
    (other,) = content.rglob("*shanquxian*.md")
    assert "Summary:" not in story.read_text(encoding="utf-8")  # the converter leaves it to the text
    lead = story.read_text(encoding="utf-8").replace("日前，在杭州市富阳区", "编辑改过的导语：在杭州市富阳区")
    story.write_text(lead, encoding="utf-8")
    header, _, body = other.read_text(encoding="utf-8").partition("\n\n")
    other.write_text(f"{header}\nSummary: 编辑写的摘要。\n\n{body}", encoding="utf-8")
    output = tmp_path / "output"
    built = run_pelican(content, output, ROOT / "pelicanconf.py", "zjrb", siteurl="https://example.org",
                        extra_env={"EPAPER_CACHE_DIR": str(tmp_path / "cache")})
    assert built.returncode == 0, built.stderr
    page = (output / "2024" / "03" / "17" / "01" / "index.html").read_text(encoding="utf-8")
    assert "编辑改过的导语：在杭州市富阳区" in page and "编辑写的摘要。" in page
    (art,) = output.glob("2024/03/17/01/kafei-xiangli*/index.html")
    assert '<meta name="description" content="编辑改过的导语：在杭州市富阳区' in art.read_text(encoding="utf-8")
    feed = (output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert "编辑改过的导语：在杭州市富阳区" in feed and "编辑写的摘要。" in feed


# -- the report ------------------------------------------------------------------------------

def test_a_second_days_report_shows_today_in_chinese_errors_last(tmp_path):
    raw = raw_tree(tmp_path, {"2024-03-17/01.txt": sample()})
    out = tmp_path / "content" / "zjrb"
    convert(raw, out)
    second = sample().replace("2024年3月17日 星期日 农历甲辰年二月初八", "2024年3月18日 星期一 农历甲辰年二月初九")
    (raw / "2024-03-18").mkdir()
    (raw / "2024-03-18" / "01.txt").write_text(second, encoding="utf-8")
    (raw / "2024-03-18" / "02.txt").write_bytes(b"PK\x03\x04\x00\x00word/document.xml\x00\x00" * 40)  # a .docx
    r = convert(raw, out)
    lines = r.stdout.strip().splitlines()
    assert r.returncode == 1
    assert not any("2024-03-17/01.txt：" in ln for ln in lines)  # yesterday: one line of totals only
    assert any(ln.startswith("未变的版面 1 份") for ln in lines)
    assert "2024-03-18/01.txt：6 篇稿件" in r.stdout and "[已转换]" in r.stdout
    errors_at = next(i for i, ln in enumerate(lines) if ln.startswith("错误 1 条"))
    assert "2024-03-18/02.txt" in lines[errors_at + 1] and "refused-binary" in lines[errors_at + 1]
    assert lines[-1].startswith("3 份版面：转换 1，未变 1；")  # errors collected after every page
    report = json.loads((out / "conversion-report.json").read_text(encoding="utf-8"))
    refused = next(p for p in report["pages"] if p["status"] == "refused")
    assert refused["issues"][0]["code"] == "refused-binary"  # the code is kept for scripts
    english = convert(raw, out, lang="en")
    assert "1 errors (these dumps were not converted" in english.stdout


def test_stale_messages_go(tmp_path):
    """Page 2 arriving clears page 1's jump-target-missing; deleting a kept hand-edited file
    clears its notice."""
    p1 = (ROOT / "raw" / "rmrb" / "2025-04-08" / "01.txt").read_text(encoding="utf-8")
    p2 = (ROOT / "raw" / "rmrb" / "2025-04-08" / "02.txt").read_text(encoding="utf-8")
    raw = raw_tree(tmp_path, {"2025-04-08/01.txt": p1}, paper="rmrb")
    out = tmp_path / "content" / "rmrb"
    r = convert(raw, out)
    assert "jump-target-missing" in r.stdout
    (raw / "2025-04-08" / "02.txt").write_text(p2, encoding="utf-8")
    convert(raw, out)
    report = json.loads((out / "conversion-report.json").read_text(encoding="utf-8"))
    codes = {i["code"] for p in report["pages"] for i in p["issues"]}
    assert "jump-target-missing" not in codes
    (story,) = (out / "2025-04-08" / "02").glob("*tuidong*.md")
    story.write_text(story.read_text(encoding="utf-8") + "\n编辑加的一段。\n", encoding="utf-8")
    (raw / "2025-04-08" / "02.txt").write_text(p2.replace("子夜走笔", "子夜随笔"), encoding="utf-8")
    assert "hand-edited-dump-changed" in convert(raw, out).stdout
    story.unlink()  # the editor gives up the edit: the converter writes the story again
    convert(raw, out)
    report = json.loads((out / "conversion-report.json").read_text(encoding="utf-8"))
    assert not [i for p in report["pages"] for i in p["issues"] if i["code"].startswith("hand-edited")]


# -- one refused file, the preview still builds ----------------------------------------------

def test_make_html_builds_the_rest_when_a_dump_is_refused(tmp_path):
    raw = raw_tree(tmp_path, {"2024-03-17/01.txt": sample(), "2024-03-17/02.txt": b"\xd0\xcf\x11\xe0" + bytes(400)})
    env = {k: v for k, v in os.environ.items() if k not in ("PAPER", "SITEURL")}
    env["EPAPER_CACHE_DIR"] = str(tmp_path / "cache")
    run = subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), "html", f"RAWDIR={raw}",
                          f"INPUTDIR={tmp_path / 'content'}", f"OUTPUTDIR={tmp_path / 'output'}"],
                         capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "refused-binary" in run.stdout
    assert (tmp_path / "output" / "2024" / "03" / "17" / "01" / "index.html").exists()
    publish = subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), "publish", f"RAWDIR={raw}",
                              f"INPUTDIR={tmp_path / 'content'}", f"OUTPUTDIR={tmp_path / 'pub'}",
                              "SITEURL=https://example.org"], capture_output=True, text=True, env=env, timeout=600)
    assert publish.returncode != 0 and "拒绝发布" in publish.stderr


# -- checks ---------------------------------------------------------------------------------------

def test_a_masthead_date_typo_is_caught_by_its_weekday_and_lunar_date(tmp_path):
    """3-12 printed in the 3-17 folder: 星期日 and 农历二月初八 fit 3-17, not 3-12."""
    typo = sample().replace("2024年3月17日 星期日", "2024年3月12日 星期日")
    raw = raw_tree(tmp_path, {"2024-03-17/01.txt": typo})
    out = tmp_path / "content" / "zjrb"
    r = convert(raw, out)
    assert "masthead-date-suspect" in r.stdout and "采用 2024-03-17" in r.stdout
    assert page_articles(out, "2024-03-17", 1) and not (out / "2024-03-12").exists()
    wrong = sample().replace("农历甲辰年二月初八", "农历甲辰年二月初九")  # lunar date alone wrong: said
    raw2 = raw_tree(tmp_path / "b", {"2024-03-17/01.txt": wrong})
    assert "masthead-date-inconsistent" in convert(raw2, tmp_path / "b" / "out").stdout


def test_of_two_dumps_of_a_page_the_newer_is_kept_and_the_older_named(tmp_path):
    raw = raw_tree(tmp_path, {"2024-03-17/01.txt": sample()})
    out = tmp_path / "content" / "zjrb"
    convert(raw, out)
    newer = raw / "2024-03-17" / "01 (1).txt"
    newer.write_text(sample().replace("咖啡香里,面对面解难题", "咖啡香里,面对面解决难题"), encoding="utf-8")
    os.utime(newer, (time.time() + 5, time.time() + 5))
    r = convert(raw, out)
    assert r.returncode == 1
    assert "2024-03-17/01.txt" in r.stdout and "较旧" in r.stdout and "01 (1).txt" in r.stdout
    titles = [parse_article(p).get("Title") for p in out.rglob("*.md")]
    assert "咖啡香里，面对面解决难题" in titles and len(titles) == 6


def test_a_new_paper_without_paper_toml_is_warned_and_set_up_later(tmp_path):
    rmrb = ROOT / "raw" / "rmrb" / "2025-04-08"
    masthead = (rmrb / "01.txt").read_text(encoding="utf-8").replace("人民日报", "杭州日报", 1)
    raw = raw_tree(tmp_path, {"2025-04-08/01.txt": masthead, "2025-04-08/02.txt": (rmrb / "02.txt").read_text(
        encoding="utf-8")}, paper="hzrb", toml=False)
    out = tmp_path / "content" / "hzrb"
    r = convert(raw, out)
    assert "no-paper-toml" in r.stdout and "docs/new-paper.md" in r.stdout
    assert "paper-name-unknown" in r.stdout and "杭州日报" in r.stdout
    assert {a.get("Paper") for p in (1, 2) for a in page_articles(out, "2025-04-08", p)} == {"杭州日报"}
    (story,) = (out / "2025-04-08" / "02").glob("*tuidong*.md")
    edited = story.read_text(encoding="utf-8").replace("Title: 推动", "Title: 编辑改过：推动")
    story.write_text(edited, encoding="utf-8")
    (raw / "paper.toml").write_text('name = "杭州日报"\n[sections]\n1 = "要闻"\n2 = "综合新闻"\n', encoding="utf-8")
    fixed = (rmrb / "02.txt").read_text(encoding="utf-8").replace("\n要闻\n", "\n")  # no page name in the folio
    (raw / "2025-04-08" / "02.txt").write_text(fixed, encoding="utf-8")
    r = convert(raw, out)
    assert "no-paper-toml" not in r.stdout and "paper-name-unknown" not in r.stdout
    text = story.read_text(encoding="utf-8")
    assert "Title: 编辑改过：推动" in text  # the hand edit is untouched
    assert {a.get("Section") for a in page_articles(out, "2025-04-08", 2)} == {"综合新闻"}


def test_make_html_installs_the_build_set_only():
    """`make html` installs requirements.txt: the site's own pinned set, no test tools."""
    build = (ROOT / "requirements.txt").read_text(encoding="utf-8").lower()
    for tool in ("pytest", "playwright", "dask", "hypothesis", "html5lib", "ruff"):
        assert tool not in build
    plan = subprocess.run(["make", "-n", "-C", str(ROOT), "html", "VENV=/nonexistent/venv"], capture_output=True,
                          text=True).stdout
    assert "-r requirements.txt" in plan and "requirements-test.txt" not in plan


def test_make_serve_shows_the_404_page(tmp_path):
    """tools/serve.py (make serve): a missing path answers 404 with the site's 404.html."""
    import socket
    import urllib.error
    import urllib.request

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<title>home</title>", encoding="utf-8")
    (site / "404.html").write_text("<title>找不到这个页面</title>", encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "tools" / "serve.py"), str(site),
                             "--port", str(port), "--base", "/epaper"], stdout=subprocess.PIPE, text=True)
    try:
        proc.stdout.readline()  # "serving …": listening
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/epaper/") as r:
            assert b"home" in r.read()
        for path in ("/epaper/no/such/page/", "/elsewhere/"):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}")
                raise AssertionError(f"{path} found")
            except urllib.error.HTTPError as err:
                assert err.code == 404 and "找不到这个页面" in err.read().decode("utf-8")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_inference_badge_and_the_proofing_page_are_the_editors_only(tmp_path):
    """A local build (pelicanconf.py) shows 标题据导语拟 and has the 校对 page linking the
    report's warnings to their articles and dump lines; a publish build has neither."""
    raw = raw_tree(tmp_path, {"2024-03-17/01.txt": sample()})
    content = tmp_path / "content" / "zjrb"
    convert(raw, content)
    local, public = tmp_path / "local", tmp_path / "public"
    env = {"EPAPER_CACHE_DIR": str(tmp_path / "cache")}
    assert run_pelican(content, local, ROOT / "pelicanconf.py", "zjrb", extra_env=env).returncode == 0
    assert run_pelican(content, public, ROOT / "publishconf.py", "zjrb", siteurl="https://example.org",
                       extra_env={"EPAPER_CACHE_DIR": str(tmp_path / "cache2")}).returncode == 0
    page = "2024/03/17/01/index.html"
    assert "标题据导语拟" in (local / page).read_text(encoding="utf-8")
    assert "标题据导语拟" not in (public / page).read_text(encoding="utf-8")
    proofing = (local / "proofing" / "index.html").read_text(encoding="utf-8")
    assert not (public / "proofing").exists()
    assert "orphan-fragment-dropped" in proofing and "孤立的片段“优”已删去" in proofing
    assert 'href="../proofing/source/2024-03-17-01.txt.html#L104"' in proofing  # the dump's line
    assert "营商环境" in proofing and "noindex" in proofing  # the article it concerns; not for search engines
    source = local / "proofing" / "source" / "2024-03-17-01.txt.html"
    assert 'id="L104"' in source.read_text(encoding="utf-8")
    assert "proofing" not in (local / "sitemap.xml").read_text(encoding="utf-8")


def test_each_paper_has_its_output_folder_and_pages_branch():
    """`make html PAPER=rmrb` builds into output/rmrb/, `make github PAPER=rmrb` publishes to
    gh-pages-rmrb: another paper never overwrites the default paper's site or branch."""
    def plan(*args: str) -> str:
        return subprocess.run(["make", "-n", "-C", str(ROOT), *args, "SITEURL=https://example.org"],
                              capture_output=True, text=True).stdout

    assert f'-o "{ROOT}/output/zjrb"' in plan("html") and f'-o "{ROOT}/output/rmrb"' in plan("html", "PAPER=rmrb")
    assert "-b gh-pages " in plan("github") and f'"{ROOT}/output/zjrb"' in plan("github")
    assert "-b gh-pages-rmrb " in plan("github", "PAPER=rmrb")
    assert "-b gh-pages " in plan("github", "PAPER=rmrb", "DEFAULT_PAPER=rmrb")


# -- a page never vanishes -------------------------------------------------------------------

def test_a_renamed_dump_keeps_its_page_and_its_hand_edit(tmp_path):
    """Issue 25, finding 1: the front page saved as 02.txt (its masthead says page 1), then
    renamed 01.txt, as the report's advice leads to: the page keeps its six stories (it held
    none for a run), a hand edit stays, and the report says what happened."""
    raw = raw_tree(tmp_path, {"2024-03-18/02.txt": day18()})
    out = tmp_path / "content" / "zjrb"
    first = convert(raw, out)
    assert first.returncode == 0, first.stdout
    page = out / "2024-03-18" / "01"
    names = md_names(page)
    assert len(names) == 6
    edited = page / next(n for n in names if "kafei" in n)
    edited.write_text(edited.read_text(encoding="utf-8") + "\n编辑加的一段。\n", encoding="utf-8")
    (raw / "2024-03-18" / "02.txt").rename(raw / "2024-03-18" / "01.txt")
    r = convert(raw, out)
    assert r.returncode == 0, r.stdout
    assert md_names(page) == names
    assert edited.read_text(encoding="utf-8").endswith("编辑加的一段。\n")
    assert ("提示  全文  dump-renamed: 2024-03-18/02.txt 改名为 2024-03-18/01.txt：仍是 2024-03-18 第 1 版，"
            "6 篇稿件沿用原文件") in r.stdout
    again = convert(raw, out)  # and the run after it changes nothing
    assert md_names(page) == names and "未变 1" in again.stdout


def test_a_dump_moved_and_corrected_keeps_its_story_files(tmp_path):
    """Moved to another name and corrected at once (a new export): the page is known by the
    date and page its masthead prints, so the corrected story keeps its file name."""
    raw = raw_tree(tmp_path, {"2024-03-18/02.txt": day18()})
    out = tmp_path / "content" / "zjrb"
    convert(raw, out)
    names = md_names(out / "2024-03-18" / "01")
    (raw / "2024-03-18" / "02.txt").unlink()
    corrected = day18().replace("让山区县孕育出更多科创果实", "让山区县结出更多科创果实")
    (raw / "2024-03-18" / "01.txt").write_text(corrected, encoding="utf-8")
    r = convert(raw, out)
    assert r.returncode == 0, r.stdout
    assert md_names(out / "2024-03-18" / "01") == names
    assert "让山区县结出更多科创果实" in {a.get("Title") for a in page_articles(out, "2024-03-18", 1)}
    assert "dump-renamed: 2024-03-18/02.txt 改名为 2024-03-18/01.txt" in r.stdout


def test_a_duplicate_deleted_leaves_the_page_to_the_other_dump(tmp_path):
    """01.txt and a newer 02.txt both print page 1: 02 wins the contest; the editor deletes it
    and 01.txt makes the page again, in the same run; then deleting 01 instead works too."""
    raw = raw_tree(tmp_path, {"2024-03-18/01.txt": day18()})
    out = tmp_path / "content" / "zjrb"
    convert(raw, out)
    names = md_names(out / "2024-03-18" / "01")
    dup = raw / "2024-03-18" / "02.txt"
    dup.write_text(day18(), encoding="utf-8")
    os.utime(dup, (time.time() + 5, time.time() + 5))
    r = convert(raw, out)
    assert "refused-duplicate" in r.stdout and md_names(out / "2024-03-18" / "01") == names
    dup.unlink()
    r = convert(raw, out)
    assert r.returncode == 0, r.stdout
    assert md_names(out / "2024-03-18" / "01") == names
    assert "dump-removed" not in r.stdout  # its page is still made: nothing was removed
    assert page_articles(out, "2024-03-18", 1)[0].get("Source").startswith(str(raw / "2024-03-18" / "01.txt"))


def test_make_publish_refuses_an_edition_that_lost_stories_unless_explained(tmp_path):
    """After `make publish`, an edition with fewer stories (a truncated export of page 1) is
    refused by the next `make publish`, with the page and the files gone; FORCE=1 publishes.
    A dump removed on purpose is the reason its page goes: the check lets it pass."""
    rmrb = ROOT / "raw" / "rmrb" / "2025-04-08"
    p1, p2 = ((rmrb / n).read_text(encoding="utf-8") for n in ("01.txt", "02.txt"))
    raw = raw_tree(tmp_path, {"2025-04-08/01.txt": p1, "2025-04-08/02.txt": p2}, paper="rmrb")
    content = tmp_path / "content" / "rmrb"
    html = make("html", raw, tmp_path)
    assert html.returncode == 0, html.stdout + html.stderr
    assert "SITEURL" not in html.stdout + html.stderr  # no "Feeds generated without SITEURL" warning
    first = make("publish", raw, tmp_path, "SITEURL=https://example.org")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "已记下发布的 2 个版面" in first.stdout
    published = json.loads((content / ".published.json").read_text(encoding="utf-8"))["editions"]
    assert published["2025-04-08"]["01"] == md_names(content / "2025-04-08" / "01") != []

    # A truncated export of page 1: one of its stories is no longer in it.
    lines = p1.splitlines(keepends=True)
    (raw / "2025-04-08" / "01.txt").write_text("".join(lines[:len(lines) // 2]), encoding="utf-8")
    before = len(published["2025-04-08"]["01"])
    refused = make("check-report", raw, tmp_path)
    now = len(md_names(content / "2025-04-08" / "01"))
    assert now < before
    assert refused.returncode != 0
    assert (f"2025-04-08 第 1 版：上次发布有 {before} 篇稿件，现在只有 {now} 篇（不见了：" in refused.stderr
            and "报告里也没有删除它的版面文件的记录" in refused.stderr), refused.stderr
    assert "拒绝发布：比上次发布少了版面或稿件（见上；若是有意，FORCE=1）" in refused.stderr
    assert make("check-report", raw, tmp_path, "FORCE=1").returncode == 0

    # The page restored, page 2's dump removed on purpose: said, and accepted.
    (raw / "2025-04-08" / "01.txt").write_text(p1, encoding="utf-8")
    (raw / "2025-04-08" / "02.txt").unlink()
    ok = make("check-report", raw, tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "dump-removed: 2025-04-08/02.txt 已从 raw/ 删除：2025-04-08 第 2 版的" in ok.stdout
    assert not (content / "2025-04-08" / "02").exists() or not md_names(content / "2025-04-08" / "02")


# -- dates that cannot be --------------------------------------------------------------------

def test_impossible_masthead_dates_are_errors_naming_the_line(tmp_path):
    """Day 81, month 13, 2 February 30, and a weekday no candidate date has: errors with the
    masthead's line, the page not converted, the date never body text."""
    cases = {"01.txt": ("2024年3月81日 星期一", "没有 81 日"), "02.txt": ("2024年13月18日 星期一", "没有 13 月"),
             "03.txt": ("2024年2月30日 星期一", "2024 年 2 月只有 29 天，没有 30 日"),
             "04.txt": ("2024年3月18日 星期三", "与报头的星期和农历日期不符，也没有别的日期")}
    raw = raw_tree(tmp_path, {f"2024-03-18/{name}": sample().replace("2024年3月17日 星期日", printed)
                              for name, (printed, _) in cases.items()})
    out = tmp_path / "content" / "zjrb"
    r = convert(raw, out)
    assert r.returncode == 1
    line = next(i for i, t in enumerate(sample().splitlines(), 1) if t.startswith("2024年3月17日"))
    for name, (_, why) in cases.items():
        said = next(ln for ln in r.stdout.splitlines() if f"2024-03-18/{name}  错误" in ln)
        assert f"第{line}行" in said and why in said, said
    assert "masthead-date-impossible: 报头日期“2024年3月81日 星期一 农历甲辰年二月初八”不存在" in r.stdout
    assert not list(out.rglob("*.md"))


def test_a_broken_masthead_never_wins_the_duplicate_contest(tmp_path):
    """Finding 2: a newer 02.txt with 3月81日 beside a sound 01.txt, and a newer dump whose
    date is a typo (caught by its weekday and lunar date) beside a sound older one: the sound
    dump makes the page each time."""
    broken = sample().replace("2024年3月17日", "2024年3月81日")
    raw = raw_tree(tmp_path, {"2024-03-17/01.txt": sample(), "2024-03-17/02.txt": broken})
    os.utime(raw / "2024-03-17" / "02.txt", (time.time() + 5, time.time() + 5))
    out = tmp_path / "content" / "zjrb"
    r = convert(raw, out)
    assert "masthead-date-impossible" in r.stdout
    arts = page_articles(out, "2024-03-17", 1)
    assert len(arts) == 6 and all(str(raw / "2024-03-17" / "01.txt") in a.get("Source") for a in arts)
    assert not any("3月81日" in p for a in arts for p in a.paragraphs)

    typo = sample().replace("2024年3月17日 星期日", "2024年3月12日 星期日")  # fits 3-17, the folder's date
    raw2 = raw_tree(tmp_path / "b", {"2024-03-17/01.txt": sample(), "2024-03-17/01 (1).txt": typo})
    os.utime(raw2 / "2024-03-17" / "01 (1).txt", (time.time() + 5, time.time() + 5))
    r = convert(raw2, tmp_path / "b" / "out")
    assert ("refused-duplicate-faulty: 与 2024-03-17/01.txt 是同一版（2024-03-17 第 1 版），但本文件的报头有误"
            in r.stdout), r.stdout
    arts = page_articles(tmp_path / "b" / "out", "2024-03-17", 1)
    assert all(a.get("Source").startswith(str(raw2 / "2024-03-17" / "01.txt:")) for a in arts)


# -- names, options, the report ----------------------------------------------------------------

def test_odd_file_names_in_a_date_folder_are_named_with_the_expected_name(tmp_path):
    inner = "## 一条新闻的标题\n\n本报讯 正文一段，内容完整。\n"
    raw = raw_tree(tmp_path, {"2024-03-19/第05版 要闻.txt": inner, "2024-03-19/06 .txt": inner,
                              "2024-03-19/07.docx": b"PK\x03\x04", "2024-03-19/edition.pdf": b"%PDF-1.4\n",
                              "2024-03-19/README": "where these pages come from",
                              "2024-03-19/01.txt": sample().replace(*DAY18).replace("3月18日 星期一 农历甲辰年二月初九",
                                                                                  "3月19日 星期二 农历甲辰年二月初十")})
    out = tmp_path / "content" / "zjrb"
    r = convert(raw, out)
    assert r.returncode == 1
    assert "no-date" not in r.stdout  # the folder gives the date: the name is the problem
    assert ("file-name-not-page: 文件名“第05版 要闻.txt”不是版次：日期文件夹里的版面文件应叫 PP.txt（两位版次），"
            "版头也没有版次；请改名为 05.txt") in r.stdout
    assert "文件名“06 .txt”不是版次" in r.stdout and "请改名为 06.txt" in r.stdout
    assert ("07.docx 不是版面文件：日期文件夹里放 PP.txt（版面文字）或 PP.pdf（版面 PDF），如 07.txt；"
            "此文件未读取") in r.stdout
    # A whole edition's PDF is the PDF reader's (which reports this one as damaged), not a
    # misnamed dump; a README beside the pages is a note, not a stray file.
    named = [line for line in r.stdout.splitlines() if "file-not-a-dump" in line or "file-name-" in line]
    assert not [line for line in named if "edition.pdf" in line or "README" in line], named
    assert "edition.pdf" in r.stdout and "pdf-unusable" in r.stdout
    assert len(page_articles(out, "2024-03-19", 1)) == 6
    english = convert(raw, out, lang="en")
    assert "the file name '第05版 要闻.txt' is not a page number" in english.stdout


def test_take_accepts_the_report_and_tree_paths_confirms_and_refuses_a_path_matching_nothing(tmp_path):
    raw = raw_tree(tmp_path, {"2024-03-17/01.txt": sample()})
    out = tmp_path / "content" / "zjrb"
    convert(raw, out)
    (story,) = out.rglob("*kafei*.md")
    rel = story.relative_to(out).as_posix()
    tree = story.relative_to(tmp_path).as_posix()  # content/zjrb/2024-03-17/01/….md, as `ls` shows it

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([PY, "-m", "converters", "raw/zjrb", "--out", "content/zjrb", "--no-tags", *args],
                              cwd=tmp_path, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))

    for given in (tree, rel, str(story)):
        story.write_text(story.read_text(encoding="utf-8") + "\n手改\n", encoding="utf-8")
        r = cli("--take", given)
        assert r.returncode == 0, r.stdout + r.stderr
        assert f"已采用：{rel} 现为版面文件给出的版本（手改已替换）" in r.stdout
        assert "手改" not in story.read_text(encoding="utf-8")
    r = cli("--take", rel)
    assert f"{rel} 没有手改，本就是版面文件给出的版本：无需 --take" in r.stdout
    story.write_text(story.read_text(encoding="utf-8") + "\n手改\n", encoding="utf-8")
    for nothing in ("nosuch.md", "content/zjrb/2024-03-17/01/nosuch.md"):
        r = cli("--take", nothing)
        assert r.returncode == 2
        assert f"--take {nothing}：content/zjrb 下没有这个文件（写报告里的路径，如 " in r.stderr
        assert r.stdout == "" and story.read_text(encoding="utf-8").endswith("手改\n")  # nothing converted


def test_viewing_the_report_refuses_nothing_and_its_hints_show_real_paths(tmp_path):
    raw = raw_tree(tmp_path, {"2024-03-17/01.txt": sample(), "2024-03-17/02.txt": b"\x00\x01binary" * 50})
    out = tmp_path / "content" / "zjrb"
    convert(raw, out)
    again = convert(raw, out)
    assert f"看全部：python -m converters.report {out} --all）" in again.stdout
    view = subprocess.run([PY, "-m", "converters.report", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert view.returncode == 1  # errors stand: a script can still tell
    assert "拒绝发布：" not in view.stdout + view.stderr and "refused-binary" in view.stdout
    check = subprocess.run([PY, "-m", "converters.report", str(out), "--publish-check"], cwd=ROOT,
                           capture_output=True, text=True)
    assert check.returncode == 1 and "拒绝发布：转换报告有错误" in check.stderr


def test_the_terminal_report_is_capped_with_a_count_of_what_is_not_shown(tmp_path):
    """Sixty editions at once (a first import): the report stops at its limit and says how
    many dumps and messages it left out, and where they all are."""
    files = {}
    for i in range(60):
        day = f"2024-04-{i % 30 + 1:02d}" if i < 30 else f"2024-05-{i % 30 + 1:02d}"
        files[f"{day}/01.txt"] = sample().replace("2024年3月17日 星期日 农历甲辰年二月初八", "")
    raw = raw_tree(tmp_path, files)
    out = tmp_path / "content" / "zjrb"
    r = run_converter(raw, out, "zjrb", "--no-tags", "-j", "2", lang="zh")
    assert r.returncode == 0, r.stdout[-2000:]
    lines = r.stdout.splitlines()
    assert len(lines) < 320
    m = re.search(r"…另有 (\d+) 份版面、(\d+) 条消息未显示（全部：python -m converters.report (\S+) --all，或 (\S+)）",
                  r.stdout)
    assert m, r.stdout[-1000:]
    shown = sum(1 for ln in lines if ln.endswith("[已转换]"))
    report = json.loads((out / "conversion-report.json").read_text(encoding="utf-8"))
    assert shown + int(m[1]) == len(report["pages"]) == 60
    hidden = sorted(report["pages"], key=lambda p: p["key"])[shown:]
    assert int(m[2]) == sum(len(p["issues"]) for p in hidden)
    assert m[3] == str(out) and m[4] == f"{out}/conversion-report.json"
    full = subprocess.run([PY, "-m", "converters.report", str(out), "--all"], cwd=ROOT, capture_output=True, text=True)
    assert sum(1 for ln in full.stdout.splitlines() if ln.endswith("]")) == 60


# -- the docs match the tool -------------------------------------------------------------------

def test_every_message_code_is_in_the_troubleshooting_table_with_its_chinese():
    """docs/messages.md: one row per code, keyed on the code, quoting the Chinese the tool
    prints (its fixed words, up to the first parameter)."""
    doc = (ROOT / "docs" / "messages.md").read_text(encoding="utf-8")
    rows = {m[1]: m[0] for m in re.finditer(r"^\| `([a-z0-9-]+)` \|.*$", doc, re.M)}
    assert set(rows) == set(MESSAGES), (set(MESSAGES) - set(rows), set(rows) - set(MESSAGES))
    for code, (zh, _en) in MESSAGES.items():
        words = re.split(r"\{[^}]*\}", zh)
        fixed = max(words, key=len).strip()
        assert fixed in rows[code].replace("\\|", "|"), (code, fixed)



# -- docs/new-paper.md, verbatim, in a clone -----------------------------------------------------

def _shell_blocks(doc: str) -> dict[str, list[str]]:
    """Each ``## N.`` section of the doc -> the lines of its ```sh blocks (comments cut)."""
    blocks: dict[str, list[str]] = {}
    section = ""
    inside = False
    for line in doc.splitlines():
        if line.startswith("## "):
            section = line[3:5].rstrip(".")
        elif line.strip() == "```sh":
            inside = True
        elif line.strip() == "```":
            inside = False
        elif inside:
            blocks.setdefault(section, []).append(line.strip())
    return blocks


def test_the_new_paper_doc_works_verbatim_in_a_clone(tmp_path):
    """docs/new-paper.md's commands, as written, in a fresh clone whose origin is the project
    it was cloned from: the paper set up, built, committed (dumps and articles) and pushed to
    the editor's own repository (a local bare one for github.com), and `make github` says
    where it pushes, then pushes the paper's Pages branch there."""
    if not (ROOT / ".git").exists():
        import pytest

        pytest.skip("not a git checkout")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k not in ("PAPER", "SITEURL")}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org", EPAPER_CACHE_DIR=str(tmp_path / "cache"))
    clone, own = tmp_path / "clone", tmp_path / "you-hzrb-epaper.git"
    git = ["git", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "clone", "-q", str(ROOT), str(clone)], check=True, env=env)
    subprocess.run([*git, "-C", str(clone), "checkout", "-q", "-B", "main"], check=True, env=env)
    subprocess.run([*git, "init", "-q", "--bare", str(own)], check=True, env=env)
    (clone / ".venv").symlink_to(ROOT / ".venv")
    blocks = _shell_blocks((ROOT / "docs" / "new-paper.md").read_text(encoding="utf-8"))

    def sh(lines: list[str]) -> subprocess.CompletedProcess:
        script = "set -e\n" + "\n".join(lines).replace("git@github.com:you/hzrb-epaper.git", str(own))
        return subprocess.run(["bash", "-c", script], cwd=clone, capture_output=True, text=True, env=env,
                              timeout=600)

    for step in ("1", "2"):
        assert sh(blocks[step]).returncode == 0, step
    dump = (ROOT / "raw" / "rmrb" / "2025-04-08" / "01.txt").read_text(encoding="utf-8").replace("人民日报", "杭州日报")
    (clone / "raw" / "hzrb" / "2025-04-08").mkdir(parents=True)
    (clone / "raw" / "hzrb" / "2025-04-08" / "01.txt").write_text(dump, encoding="utf-8")
    built = sh([ln for ln in blocks["4"] if not ln.startswith("make serve")])
    assert built.returncode == 0, built.stdout + built.stderr
    assert "no-paper-toml" not in built.stdout
    assert {a.get("Paper") for a in page_articles(clone / "content" / "hzrb", "2025-04-08", 1)} == {"杭州日报"}
    setup, publish = blocks["5"][:-1], blocks["5"][-1:]
    pushed = sh(setup)
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    assert f"origin\t{own} (push)" in pushed.stdout
    tree = subprocess.run(["git", "-C", str(own), "ls-tree", "-r", "--name-only", "main"], capture_output=True,
                          text=True, env=env).stdout.split()
    assert "raw/hzrb/paper.toml" in tree and "raw/hzrb/2025-04-08/01.txt" in tree
    assert any(f.startswith("content/hzrb/2025-04-08/01/") and f.endswith(".md") for f in tree)
    published = sh(publish)
    assert published.returncode == 0, published.stdout + published.stderr
    assert f"pushing branch gh-pages-hzrb to origin = {own}" in published.stdout
    pages = subprocess.run(["git", "-C", str(own), "ls-tree", "-r", "--name-only", "gh-pages-hzrb"],
                           capture_output=True, text=True, env=env).stdout.split()
    assert "index.html" in pages and ".nojekyll" in pages
