"""Every case of the bad-input corpus (tests/badinput/generate.py) through the real CLI.

Each case is converted with ``python -m converters RAW --out <tmp>/box/content/<paper>``
and must end as its table says — converted (with the named warning) or refused (with
a message naming the file or the option) — never with a traceback, and never with a
file written outside the out folder.  The counts are recorded at the end.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from converters.gold import norm, parse_article
from tests.badinput.figures import record
from tests.badinput.generate import Case, cases, write_case
from tests.conftest import ROOT

CASES = {c.name: c for c in cases(with_huge=False)}
NAMES = [*CASES, "huge-50mb"]
RESULTS: dict[str, dict] = {}
HEADER_LINE = re.compile(r"^[A-Za-z]+: \S")


def _files(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def _article_text(md: Path) -> str:
    """Everything a reader can be shown of an article: metadata values and body, unescaped."""
    art = parse_article(md)
    return "\n".join([*art.meta.values(), *art.subheads, *art.paragraphs])


def _check_markdown_file(md: Path) -> None:
    """A converted file: one header of ``Key: value`` lines (each key once), an escaped body."""
    header, _, body = md.read_text(encoding="utf-8").partition("\n\n")
    keys = []
    for line in header.splitlines():
        assert HEADER_LINE.match(line), f"{md.name}: bad header line {line!r}"
        keys.append(line.split(":", 1)[0])
    assert len(keys) == len(set(keys)), f"{md.name}: repeated metadata keys {keys}"
    assert "Title" in keys
    for bad in ("<", "{{", "{%", "{#", "](", "`", "**"):
        assert bad not in body, f"{md.name}: {bad!r} left unescaped in the body"
    # A body line like ``Title: x`` is text: Pelican reads metadata only before the first blank line.


@dataclass
class Ran:
    case: Case
    box: Path
    out: Path
    before: dict[str, int]
    after: dict[str, int]
    proc: subprocess.CompletedProcess


def _run_case(root: Path, case: Case) -> Ran:
    raw = write_case(root, case)
    box = root / case.name
    out = box / "box" / "content" / case.paper
    before = _files(box)
    cmd = [sys.executable, "-m", "converters", str(raw), "--out", str(out), "--no-tags", "--lang", "en", *case.args]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    return Ran(case, box, out, before, _files(box), proc)


@pytest.fixture(scope="module")
def corpus_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("badinput")


@pytest.fixture(scope="module")
def ran(corpus_root: Path) -> dict[str, Ran]:
    """All the quick cases, run three at a time (each is its own converter process)."""
    with ThreadPoolExecutor(max_workers=3) as pool:
        return {r.case.name: r for r in pool.map(lambda c: _run_case(corpus_root, c), CASES.values())}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(name: str, ran: dict[str, Ran]) -> None:
    check(ran[name])


@pytest.mark.slow
def test_bad_input_huge(corpus_root: Path) -> None:
    check(_run_case(corpus_root, next(c for c in cases(with_huge=True) if c.name == "huge-50mb")))


def check(run: Ran) -> None:
    """The outcome the corpus table expects, no traceback, nothing outside the out folder."""
    case, box, out, before, after, r = run.case, run.box, run.out, run.before, run.after, run.proc
    name = case.name
    said = r.stdout + r.stderr
    assert "Traceback" not in said, said[-3000:]
    new = {p for p in after if p not in before}
    outside = [p for p in new if not (box / p).resolve().is_relative_to(out.resolve())]
    assert outside == [], f"files written outside {out}: {outside}"
    changed_raw = [p for p in before if after.get(p) != before[p]]
    assert changed_raw == [], f"input files touched: {changed_raw}"

    report_path = out / "conversion-report.json"
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else None
    mds = sorted(out.rglob("*.md"))
    for md in mds:
        _check_markdown_file(md)
    codes = set()
    if report is not None:
        for p in report["pages"]:
            codes.update(i["code"] for i in p["issues"] + p.get("notes", []))
    warnings = sum(1 for p in (report or {}).get("pages", []) for i in p["issues"] if i["severity"] == "warning")

    if case.expect == "refused":
        assert r.returncode != 0, said
        if report is None:  # refused on the command line: the option or folder is named
            assert case.code in r.stderr, said
            named = [a for a in case.args if a.startswith(("..", "20"))] or [case.paper]
            assert any(n in r.stderr for n in named), r.stderr
        else:
            refusing = [p for p in report["pages"] if p["status"] == "refused"]
            assert refusing, said
            for p in refusing:
                msgs = " ".join(i["message"] for i in p["issues"] if i["severity"] == "error")
                assert case.code in msgs, msgs
                assert any(p["source"].endswith(Path(f).name) for f in case.files), p["source"]
                assert p["source"] in r.stdout  # the printed report names the file
    else:
        assert r.returncode == 0, said[-3000:]
        assert report is not None and all(p["status"] == "converted" for p in report["pages"]), said[-3000:]
        if case.code:
            assert case.code in codes, f"expected {case.code}, got {sorted(codes)}"
    assert len(mds) >= case.min_articles, f"{len(mds)} articles, expected at least {case.min_articles}"
    if case.shown:
        shown = norm("\n".join(_article_text(md) for md in mds))
        missing = [s for s in case.shown if norm(s) not in shown]
        assert missing == [], f"not shown as text: {missing}"
    if case.reported:
        dropped = [i.get("dropped", "") for p in (report or {}).get("pages", []) for i in p["issues"] + p["notes"]]
        unreported = [s for s in case.reported if not any(s in d for d in dropped)]
        assert unreported == [], f"removed without a word in the report: {unreported}"
    if mds:  # files named by slug: ASCII, no separators or dot-dot
        assert all(re.fullmatch(r"[a-z0-9-]+\.md", md.name) for md in mds), [md.name for md in mds]
        assert len({md.name for md in mds}) == len(mds)
    RESULTS[name] = {"expect": case.expect, "code": case.code, "returncode": r.returncode,
                     "articles": len(mds), "warnings": warnings}


def test_zz_badinput_figures(request) -> None:
    """The counts the hardening issue asks for (runs after the cases; partial under -k)."""
    tried = len(RESULTS)
    refused = sum(1 for r in RESULTS.values() if r["expect"] == "refused")
    warned = sum(1 for r in RESULTS.values() if r["expect"] == "converted" and r["warnings"])
    clean = tried - refused - warned
    record(request.config, "badinput", {"tried": tried, "refused": refused, "converted_with_warnings": warned,
                                        "converted_clean": clean, "tracebacks": 0, "written_outside_out": 0,
                                        "cases": RESULTS})
    assert tried == 0 or tried <= len(NAMES)
