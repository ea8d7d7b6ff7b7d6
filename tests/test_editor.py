"""The editor's morning, through the real CLI and make targets: corrections that never
duplicate a story, a report of today's problems in Chinese, a preview that builds although
a dump was refused, checked mastheads, duplicate dumps, a paper set up from scratch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from converters.gold import page_articles, parse_article
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
