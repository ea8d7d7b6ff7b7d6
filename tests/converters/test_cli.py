"""The converter's command line on real and deliberately bad dumps: robustness,
determinism, incremental runs and hand edits."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from converters.gold import compare_page, norm, page_articles, parse_article
from tests.conftest import GOLD_DIR, ROOT, run_converter

SAMPLE = ROOT / "raw" / "zjrb" / "2024-03-17" / "01.txt"
GOLD = json.loads((GOLD_DIR / "zjrb-2024-03-17-01.json").read_text(encoding="utf-8"))


def make_raw(tmp: Path, pages: dict[str, bytes | str], paper: str = "zjrb") -> Path:
    """A raw/<paper>/ folder with paper.toml and the given dumps (relative path -> content)."""
    root = tmp / "raw" / paper
    root.mkdir(parents=True)
    shutil.copy(ROOT / "raw" / paper / "paper.toml", root / "paper.toml")
    for rel, data in pages.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return root


def convert(raw: Path, out: Path, *extra: str):
    return run_converter(raw, out, raw.name, "--no-tags", *extra)


def assert_gold(out: Path) -> None:
    problems = compare_page(GOLD, page_articles(out, "2024-03-17", 1))
    assert {f: p for f, p in problems.items() if p} == {}


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def sample() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def test_sample_converts_and_matches_gold(tmp_path):
    raw = make_raw(tmp_path, {"2024-03-17/01.txt": sample()})
    r = convert(raw, tmp_path / "out")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "6 articles (2 inferred titles)" in r.stdout
    assert_gold(tmp_path / "out")


@pytest.mark.parametrize("variant", ["gb18030", "crlf-bom", "utf16", "lone-cr", "no-blank-lines",
                                     "masthead-first", "masthead-last", "indented"])
def test_variants_of_the_sample_give_the_same_articles(tmp_path, variant):
    text = sample()
    masthead = re.search(r"2024年3月17日.*?ZHEJIANG DAILY PRESS GROUP\n", text, re.S).group(0)
    data: bytes
    if variant == "gb18030":
        data = text.encode("gb18030")
    elif variant == "crlf-bom":
        data = ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")
    elif variant == "utf16":
        data = text.encode("utf-16")
    elif variant == "lone-cr":
        data = text.replace("\n", "\r").encode()
    elif variant == "no-blank-lines":
        data = re.sub(r"\n\s*\n+", "\n", text).encode()
    elif variant == "masthead-first":
        data = (masthead + "\n" + text.replace(masthead, "")).encode()
    elif variant == "masthead-last":
        data = (text.replace(masthead, "") + "\n\n" + masthead).encode()
    else:
        data = "\n".join("　　" + line if line and not line.startswith("#") else line
                         for line in text.split("\n")).encode()
    raw = make_raw(tmp_path, {"2024-03-17/01.txt": data})
    r = convert(raw, tmp_path / "out")
    assert r.returncode == 0, r.stdout + r.stderr
    assert_gold(tmp_path / "out")


def test_headlines_without_marks(tmp_path):
    raw = make_raw(tmp_path, {"2024-03-17/01.txt": re.sub(r"^#+ ", "", sample(), flags=re.M)})
    assert convert(raw, tmp_path / "out").returncode == 0
    arts = page_articles(tmp_path / "out", "2024-03-17", 1)
    got = [(a.get("Kicker"), a.get("Title"), a.list("Authors")) for a in arts]
    want = [(g["kicker"].replace(",", "，"), g["title"].replace(",", "，"), g["authors"])
            for g in GOLD["articles"] if g["headline_in_dump"]]
    assert [x for x in got if x[1] in {w[1] for w in want}] == want
    assert len(arts) == 6


def test_articles_reordered(tmp_path):
    text = sample()
    start, end = text.index("### 青田着力"), len(text)
    moved = text[start:end].rstrip() + "\n\n" + text[:start]
    raw = make_raw(tmp_path, {"2024-03-17/01.txt": moved})
    assert convert(raw, tmp_path / "out").returncode == 0
    arts = page_articles(tmp_path / "out", "2024-03-17", 1)
    assert arts[0].get("Title") == "让山区县孕育出更多科创果实"
    assert sorted(a.get("Title") for a in arts) == sorted(
        parse_article(p).get("Title") for p in _converted_sample(tmp_path / "ref"))


def _converted_sample(out: Path) -> list[Path]:
    raw = make_raw(out, {"2024-03-17/01.txt": sample()})
    convert(raw, out / "c")
    return sorted((out / "c").rglob("*.md"))


def test_bad_files_are_named_others_still_converted(tmp_path):
    raw = make_raw(tmp_path, {"2024-03-17/01.txt": sample(), "2024-03-17/02.txt": bytes(range(256)) * 8,
                              "2024-03-17/03.txt": b"", "2024-03-17/04.txt": b"  \n\n \t\n"})
    r = convert(raw, tmp_path / "out")
    assert r.returncode == 1
    assert "02.txt" in r.stdout and "looks binary" in r.stdout
    assert "Traceback" not in r.stdout + r.stderr
    report = json.loads((tmp_path / "out" / "conversion-report.json").read_text(encoding="utf-8"))
    status = {p["key"]: p["status"] for p in report["pages"]}
    assert status == {"2024-03-17/01.txt": "converted", "2024-03-17/02.txt": "refused",
                      "2024-03-17/03.txt": "converted", "2024-03-17/04.txt": "converted"}
    empty = next(p for p in report["pages"] if p["key"] == "2024-03-17/03.txt")
    assert [i["code"] for i in empty["issues"]] == ["empty-dump"]
    assert_gold(tmp_path / "out")


def test_markup_in_a_dump_is_read_never_live(tmp_path):
    """A layout tool's markup is read (tags and emphasis go, link addresses and scripts are
    reported), never written as live HTML; text that only looks like markup shows as text."""
    hostile = ("## 标题<script>alert(1)</script>\n\n本报记者 张三\n\n"
               "正文<img src=x onerror=alert(1)>和[链接](javascript:alert(1))以及**粗体**。\n\n"
               "Title: 伪造的元数据\n\n{{ config }} 和 {% include x %} 结束，a<b 而 c>d。\n")
    raw = make_raw(tmp_path, {"2024-03-17/05.txt": hostile})
    assert convert(raw, tmp_path / "out").returncode == 0
    (md,) = (tmp_path / "out").rglob("*.md")
    text = md.read_text(encoding="utf-8")
    header, _, body = text.partition("\n\n")
    assert "<script" not in text and "<img" not in text and "](" not in body and "**" not in body
    assert "{{" not in body and "{%" not in body
    assert [ln.split(":")[0] for ln in header.splitlines()].count("Title") == 1
    art = parse_article(md)
    assert art.get("Title") == "标题" and art.list("Authors") == ["张三"]
    shown = norm("".join(art.paragraphs))
    for piece in ("正文和链接以及粗体。", "Title: 伪造的元数据", "{{ config }} 和 {% include x %} 结束，a<b 而 c>d。"):
        assert norm(piece) in shown  # every character of the page's text shown as text
    report = json.loads((tmp_path / "out" / "conversion-report.json").read_text(encoding="utf-8"))
    dropped = {i["code"]: i.get("dropped", "") for p in report["pages"] for i in p["issues"] + p["notes"]}
    assert "<script>alert(1)</script>" in dropped["markup-dropped"] or any(
        "<script>" in i.get("dropped", "") for p in report["pages"] for i in p["issues"])
    assert dropped["link-dropped"] == "javascript:alert(1)"
    assert dropped["figure-missing"] == "x"


def test_same_input_gives_byte_identical_output(tmp_path):
    raw = make_raw(tmp_path, {"2024-03-17/01.txt": sample()})
    convert(raw, tmp_path / "a")
    convert(raw, tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_second_run_is_incremental_and_touches_nothing(tmp_path):
    raw = make_raw(tmp_path, {"2024-03-17/01.txt": sample()})
    out = tmp_path / "out"
    convert(raw, out)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.md")}
    time.sleep(0.01)
    r = convert(raw, out)
    assert "0 converted, 1 unchanged" in r.stdout
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.md")} == before


def test_new_day_converts_only_that_dump(tmp_path):
    raw = make_raw(tmp_path, {"2024-03-17/01.txt": sample()})
    out = tmp_path / "out"
    convert(raw, out)
    old = {p: p.stat().st_mtime_ns for p in out.rglob("*.md")}
    nxt = sample().replace("2024年3月17日 星期日 农历甲辰年二月初八", "2024年3月18日 星期一 农历甲辰年二月初九")
    nxt = nxt.replace("第27323期", "第27324期")
    (raw / "2024-03-18").mkdir()
    (raw / "2024-03-18" / "01.txt").write_text(nxt, encoding="utf-8")
    r = convert(raw, out)
    assert "1 converted, 1 unchanged" in r.stdout
    assert {p: p.stat().st_mtime_ns for p in old} == old
    new = sorted((out / "2024-03-18").rglob("*.md"))
    assert len(new) == 6 and all("Issue: 27324" in p.read_text(encoding="utf-8") for p in new)


def test_hand_edits_survive_reruns_and_changes_but_not_force(tmp_path):
    raw = make_raw(tmp_path, {"2024-03-17/01.txt": sample()})
    out = tmp_path / "out"
    convert(raw, out)
    target = sorted(out.rglob("*yidi-qianyue*.md"))[0]
    edited = target.read_text(encoding="utf-8").replace("Title: 一地签约 全省共享", "Title: 编辑改过的标题")
    target.write_text(edited, encoding="utf-8")
    # The same dump again, a change elsewhere in it, and a correction of the edited story
    # itself: the edit stays; only the correction under it is a warning, with the diff.
    corrected = sample().replace("惠及12万余名", "惠及13万余名")
    for dump, warned in ((sample(), False), (sample() + "\n\n新增的一段。\n", False), (corrected, True)):
        (raw / "2024-03-17" / "01.txt").write_text(dump, encoding="utf-8")
        r = convert(raw, out)
        assert r.returncode == 0
        assert target.read_text(encoding="utf-8") == edited
        assert ("hand-edited-dump-changed" in r.stdout) is warned, r.stdout
    assert "-地签约、全省共享”目标任务，惠及12万余名" in r.stdout
    assert "+地签约、全省共享”目标任务，惠及13万余名" in r.stdout
    r = convert(raw, out, "--force")
    assert "Title: 一地签约 全省共享" in target.read_text(encoding="utf-8")


def test_two_dumps_claiming_one_page(tmp_path):
    """The newer dump (by modification time) is converted, the older one refused and named."""
    raw = make_raw(tmp_path, {"2024-03-17/01.txt": sample(), "extra/zjrb-2024-03-17-01.txt": sample()})
    old = raw / "extra" / "zjrb-2024-03-17-01.txt"
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    r = convert(raw, tmp_path / "out")
    assert r.returncode == 1
    assert "extra/zjrb-2024-03-17-01.txt" in r.stdout
    assert "is an older dump of page 1 of 2024-03-17 than 2024-03-17/01.txt" in r.stdout
    assert len(list((tmp_path / "out").rglob("*.md"))) == 6


def test_masthead_disagreeing_with_path_is_reported(tmp_path):
    raw = make_raw(tmp_path, {"2024-03-18/01.txt": sample()})
    r = convert(raw, tmp_path / "out")
    assert r.returncode == 0
    assert "masthead says 2024-03-17, path says 2024-03-18" in r.stdout
    assert (tmp_path / "out" / "2024-03-17" / "01").is_dir()


def test_dump_without_any_date_is_refused_with_reason(tmp_path):
    raw = make_raw(tmp_path, {"misc/notes.txt": "## 标题\n\n正文。"})
    r = convert(raw, tmp_path / "out")
    assert r.returncode == 1 and "no edition date" in r.stdout
    r = convert(raw, tmp_path / "out2", "--date", "2024-03-20", "--page", "3")
    assert r.returncode == 0 and (tmp_path / "out2" / "2024-03-20" / "03").is_dir()


def test_dropped_text_is_reported_not_lost(tmp_path):
    raw = make_raw(tmp_path, {"2024-03-17/01.txt": sample()})
    convert(raw, tmp_path / "out")
    report = json.loads((tmp_path / "out" / "conversion-report.json").read_text(encoding="utf-8"))
    body_chars = "".join(p for md in (tmp_path / "out").rglob("*.md") for p in parse_article(md).paragraphs)
    dropped = [i["dropped"] for i in report["pages"][0]["issues"] if i.get("dropped")]
    assert sorted(dropped) == ["优", "扩大", "浙江"]
    assert "营商环境" in body_chars


def test_a_dump_far_larger_than_a_page_is_refused_with_its_numbers(tmp_path):
    """50 MB of text is no printed page: refused at once, with its size and the limit, nothing
    written (issue 25: it used to become 16,056 articles and a 25,716-line report)."""
    text = sample()
    body = text[text.index("## 传统产业"):]
    copies = 50 * 1024 * 1024 // len(body.encode()) + 1
    raw = make_raw(tmp_path, {"2024-03-17/01.txt": text + ("\n\n" + body) * copies})
    size = (raw / "2024-03-17" / "01.txt").stat().st_size
    assert size > 50 * 1024 * 1024
    started = time.perf_counter()
    r = convert(raw, tmp_path / "out")
    assert time.perf_counter() - started < 60
    assert r.returncode == 1
    assert f"holds {size // 1024:,} KB of text, more than a printed page can (limit 200 KB" in r.stdout
    assert len(r.stdout.splitlines()) < 10
    assert not list((tmp_path / "out").rglob("*.md"))


def test_a_dump_of_more_stories_than_a_page_is_refused_with_its_numbers(tmp_path):
    """The sample's later stories four times over (over 20 stories) convert; ten times over
    (over 50 stories, under 200 KB) is more than a page carries: refused, counted."""
    text = sample()
    body = text[text.index("## 传统产业"):]
    raw = make_raw(tmp_path, {"2024-03-17/01.txt": text + ("\n\n" + body) * 4})
    r = convert(raw, tmp_path / "out")
    assert r.returncode == 0, r.stdout
    before = sorted((tmp_path / "out").rglob("*.md"))
    assert len(before) > 20
    (raw / "2024-03-17" / "01.txt").write_text(text + ("\n\n" + body) * 10, encoding="utf-8")
    r = convert(raw, tmp_path / "out")
    assert r.returncode == 1
    m = re.search(r"refused-too-many-stories: holds (\d+) stories \(([\d.]+) KB\), more than a printed page "
                  r"does \(limit 50\)", r.stdout)
    assert m and int(m[1]) > 50, r.stdout
    assert sorted((tmp_path / "out").rglob("*.md")) == before  # the refused dump's page keeps its last articles


def test_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    raw = make_raw(tmp_path, {"2024-03-17/01.txt": sample()})
    from converters import page_pipeline, pipeline

    monkeypatch.setattr(page_pipeline, "MAX_BYTES", 1000)
    summary = pipeline.run([str(raw)], tmp_path / "out", paper_slug="zjrb", with_tags=False)
    assert summary.errors == 1
    issue = summary.pages[0]["issues"][0]
    assert issue["code"] == "refused-too-large" and issue["params"] == {"size": 0, "limit": 0}
    assert "超过单版 0 MB 的上限" in issue["message"]  # Chinese unless EPAPER_LANG=en
    assert not list((tmp_path / "out").rglob("*.md"))


def test_files_stay_inside_out(tmp_path):
    evil = "## ../../etc/passwd\n\n本报记者 张三\n\n正文。\n"
    raw = make_raw(tmp_path, {"2024-03-17/01.txt": evil})
    out = tmp_path / "content" / "zjrb"
    assert convert(raw, out).returncode == 0
    written = [p for p in tmp_path.rglob("*") if p.is_file() and "raw" not in p.parts]
    assert written and all(out in p.parents for p in written)
    assert all(os.sep not in p.name and ".." not in p.name for p in written)
