"""The converter against the gold expectations: every article of every bundled sample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from converters.gold import FIELDS, compare_page, page_articles
from tests.conftest import GOLD_DIR, ROOT, run_converter

GOLDS = sorted(GOLD_DIR.glob("*.json"))


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> Path:
    """Every bundled paper converted with the real CLI (tags on, as `make content` does)."""
    root = tmp_path_factory.mktemp("gold")
    for paper in sorted({g.name.split("-")[0] for g in GOLDS}):
        result = run_converter(ROOT / "raw" / paper, root / paper, paper)
        assert result.returncode == 0, result.stdout + result.stderr
    return root


def _page(converted: Path, gold_path: Path):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    arts = page_articles(converted / gold_path.name.split("-")[0], gold["date"], gold["page"])
    return gold, arts


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_gold_field(converted, gold_path, field):
    gold, arts = _page(converted, gold_path)
    problems = compare_page(gold, arts)[field]
    assert problems == [], "\n".join(problems)


def test_gold_has_every_sample():
    samples = {p.stem for p in (ROOT / "raw").glob("*/*/*.txt")}
    assert len(GOLDS) == 3
    assert {f"{g.stem.split('-')[0]}" for g in GOLDS} == {"zjrb", "rmrb"}
    assert len(samples) == 2  # 01 and 15 (zjrb's 01 and rmrb's 01 share a stem)


def test_inferred_titles_are_marked_and_never_empty(converted):
    for gold_path in GOLDS:
        gold, arts = _page(converted, gold_path)
        for g, a in zip(gold["articles"], arts, strict=True):
            assert a.get("Title"), a.path
            assert (a.get("TitleInferred") == "true") == (not g["headline_in_dump"]), a.path


def test_slugs_ascii_unique_and_prefixed(converted):
    slugs = [a.get("Slug") for g in GOLDS for a in _page(converted, g)[1]]
    assert len(slugs) == len(set(slugs))
    for s in slugs:
        assert s.isascii() and s == s.lower() and " " not in s
        assert s[:8].isdigit() and s[8] == "-"


def test_report_lists_warnings_with_lines(converted):
    report = json.loads((converted / "zjrb" / "conversion-report.json").read_text(encoding="utf-8"))
    page = report["pages"][0]
    codes = {i["code"] for i in page["issues"]}
    assert {"orphan-fragment-dropped", "body-starts-mid-sentence", "jump-target-missing",
            "doubled-word-removed", "headline-missing"} <= codes
    dropped = sorted(i["dropped"] for i in page["issues"] if i["code"] == "orphan-fragment-dropped")
    assert dropped == ["优", "浙江"]
    assert all(i["line"] > 0 for i in page["issues"])
    assert page["articles"] == 6 and page["inferred_titles"] == 2
