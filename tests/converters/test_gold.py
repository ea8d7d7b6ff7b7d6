"""The converter against the gold expectations: every article of every shared sample, the
pages of an edition converted together; the same pages as other layout tools write them;
and the jump from page 1 to page 2 of 2025-04-08 followed both ways."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from converters.gold import FIELDS, compare_page, norm, page_articles, score
from tests.badinput.figures import record
from tests.conftest import GOLD_DIR, ROOT, run_converter
from tests.support.dialects import DIALECTS, render

GOLDS = sorted(GOLD_DIR.glob("*.json"))
DUMPS = ROOT / "tests" / "dumps"  # samples that are another tool's dump of a bundled page
JUMP = json.loads((GOLD_DIR / "jump" / "2025-04-08.json").read_text(encoding="utf-8"))


def _gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _bundled(gold: dict) -> Path:
    """The bundled dump a gold describes: raw/<paper>/<date>/<PP>.txt."""
    return ROOT / "raw" / gold["source"].split("-")[0] / gold["date"] / f"{gold['page']:02d}.txt"


def _convert_alone(dump: Path, root: Path, paper: str) -> Path:
    """One dump converted on its own, as page <PP> of its date, with the paper's paper.toml."""
    raw = root / "raw" / paper
    (raw / "x").mkdir(parents=True)
    shutil.copy(ROOT / "raw" / paper / "paper.toml", raw / "paper.toml")
    shutil.copy(dump, raw / "x" / dump.name)
    result = run_converter(raw, root / "content" / paper, paper)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "content"


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, Path]:
    """Content root per gold: the bundled papers converted with the real CLI (tags on, as
    `make content` does, each paper's pages together); a dump that is another tool's
    writing of a bundled page (tests/dumps/) converted on its own."""
    root = tmp_path_factory.mktemp("gold")
    for paper in sorted({g.name.split("-")[0] for g in GOLDS}):
        result = run_converter(ROOT / "raw" / paper, root / paper, paper)
        assert result.returncode == 0, result.stdout + result.stderr
    out = {}
    for g in GOLDS:
        gold = _gold(g)
        paper = g.name.split("-")[0]
        if (DUMPS / gold["source"]).exists():
            out[g.stem] = _convert_alone(DUMPS / gold["source"], root / g.stem, paper)
        else:
            assert _bundled(gold).exists(), f"{g.name}: its dump is neither bundled nor in tests/dumps"
            out[g.stem] = root
    return out


def _page(converted: dict[str, Path], gold_path: Path):
    gold = _gold(gold_path)
    arts = page_articles(converted[gold_path.stem] / gold_path.name.split("-")[0], gold["date"], gold["page"])
    return gold, arts


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_gold_field(converted, gold_path, field):
    gold, arts = _page(converted, gold_path)
    problems = compare_page(gold, arts)[field]
    assert problems == [], "\n".join(problems)


def test_gold_scores(converted, request):
    scores = {}
    for g in GOLDS:
        gold, arts = _page(converted, g)
        scores[g.stem] = round(score(gold, compare_page(gold, arts)), 3)
    record(request.config, "gold", scores)
    assert scores == {g.stem: 1.0 for g in GOLDS}


def test_every_shared_sample_is_bundled_or_a_fixture():
    for g in GOLDS:
        gold = _gold(g)
        dump = DUMPS / gold["source"] if (DUMPS / gold["source"]).exists() else _bundled(gold)
        assert dump.read_bytes(), g.name
    assert len(GOLDS) == 7
    assert {g.stem.split("-")[0] for g in GOLDS} == {"zjrb", "rmrb"}


def test_jump_followed_both_ways(converted):
    """Page 1 ends （下转第二版）, page 2 opens （上接第一版）: converted together, the
    continuation carries the story's title and byline, ContinuedFrom/ContinuedOn on both."""
    rmrb = converted["rmrb-2025-04-08-01"] / "rmrb"
    first = [a for a in page_articles(rmrb, JUMP["date"], 1) if a.get("ContinuedOn")]
    second = page_articles(rmrb, JUMP["date"], 2)
    (part1,) = first
    cont, other = second
    assert norm(part1.get("Title")) == norm(cont.get("Title")) == norm(JUMP["article_title"])
    assert part1.get("ContinuedOn") == str(JUMP["continued_on"])
    assert cont.get("ContinuedFrom") == str(JUMP["continued_from"]) and not cont.get("TitleInferred")
    assert cont.get("ContinuedFromSlug") == part1.get("Slug")  # the pairing, for the site, both ways
    assert part1.get("ContinuedOnSlug") == cont.get("Slug")
    assert cont.list("Authors") == part1.list("Authors") and cont.list("Authors")
    assert [norm(p) for p in part1.paragraphs] == [norm(p) for p in JUMP["first_part"]]
    assert [norm(p) for p in cont.paragraphs] == [norm(p) for p in JUMP["continuation"]]
    assert cont.get("Slug") != part1.get("Slug") and cont.get("Slug").startswith("20250408-02-")
    want = JUMP["other_article_on_page_2"]
    assert norm(other.get("Title")) == norm(want["title"]) and other.list("Authors") == want["authors"]
    assert [norm(p) for p in other.paragraphs] == [norm(p) for p in want["paragraphs"]]


def test_jump_alone_is_reported(tmp_path):
    """Only the continuation converted: its headline is inferred and the report says the
    first part is not in the archive."""
    raw = tmp_path / "raw" / "rmrb" / JUMP["date"]
    raw.mkdir(parents=True)
    shutil.copy(ROOT / "raw" / "rmrb" / "paper.toml", raw.parent / "paper.toml")
    shutil.copy(ROOT / "raw" / "rmrb" / JUMP["date"] / "02.txt", raw / "02.txt")
    result = run_converter(raw.parent, tmp_path / "content", "rmrb")
    assert result.returncode == 0, result.stdout
    assert "jump-target-missing" in result.stdout and "continued from page 1" in result.stdout
    cont = page_articles(tmp_path / "content", JUMP["date"], 2)[0]
    assert cont.get("TitleInferred") == "true" and cont.get("ContinuedFrom") == "1"
    assert not cont.get("ContinuedFromSlug")
    # the first part arrives later: the continuation is redone and names it
    shutil.copy(ROOT / "raw" / "rmrb" / JUMP["date"] / "01.txt", raw / "01.txt")
    assert run_converter(raw.parent, tmp_path / "content", "rmrb").returncode == 0
    (part1,) = [a for a in page_articles(tmp_path / "content", JUMP["date"], 1) if a.get("ContinuedOn")]
    cont = page_articles(tmp_path / "content", JUMP["date"], 2)[0]
    assert cont.get("ContinuedFromSlug") == part1.get("Slug") and not cont.get("TitleInferred")
    assert part1.get("ContinuedOnSlug") == cont.get("Slug")


# -- the same pages as other layout tools write them ----------------------------------------

@pytest.fixture(scope="module")
def dialect_content(tmp_path_factory) -> Path:
    """Every bundled page rewritten in every dialect (tests/support/dialects.py), each dialect's
    pages of a paper converted together (no tags: tags do not depend on layout)."""
    root = tmp_path_factory.mktemp("dialects")
    for dialect in DIALECTS:
        for paper in sorted({g.name.split("-")[0] for g in GOLDS}):
            raw = root / dialect / "raw" / paper
            raw.mkdir(parents=True)
            shutil.copy(ROOT / "raw" / paper / "paper.toml", raw / "paper.toml")
            for g in GOLDS:
                gold = _gold(g)
                if not g.name.startswith(paper) or (DUMPS / gold["source"]).exists():
                    continue
                starts = {norm(p)[:12] for a in gold["articles"] for p in a["paragraphs"]}
                dump = raw / gold["date"] / f"{gold['page']:02d}.txt"
                dump.parent.mkdir(exist_ok=True)
                dump.write_text(render(_bundled(gold).read_text(encoding="utf-8"), dialect, starts),
                                encoding="utf-8")
            result = run_converter(raw, root / dialect / "content" / paper, paper, "--no-tags")
            assert result.returncode == 0, result.stdout + result.stderr
    return root


BUNDLED = [g for g in GOLDS if not (DUMPS / _gold(g)["source"]).exists()]
SCORES: dict[str, float] = {}


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("gold_path", BUNDLED, ids=lambda p: p.stem)
def test_dialect_reaches_the_gold(dialect_content, gold_path, dialect):
    gold = _gold(gold_path)
    arts = page_articles(dialect_content / dialect / "content" / gold_path.name.split("-")[0], gold["date"],
                         gold["page"])
    bad = compare_page(gold, arts)
    SCORES[f"{dialect}/{gold_path.stem}"] = round(score(gold, bad), 3)
    problems = [f"{f}: {p}" for f, ps in bad.items() for p in ps]
    assert problems == [], "\n".join(problems)


def test_zz_dialect_scores(request):
    if SCORES:
        values = list(SCORES.values())
        record(request.config, "dialects", {"pages": len(values), "mean": round(sum(values) / len(values), 3),
                                            "min": min(values)})
