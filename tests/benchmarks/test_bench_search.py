"""The archive-scale search benchmark runs end to end on a tiny archive (figures not judged).

``bench_search.py --years N`` is how issue 27's figures are made; a crash after its build
would give none.  One year of one page with two articles a day: every query of
``ARCHIVE_QUERIES`` gets its row (reference and Chromium), and recall over every page is
printed, with the daily update's time and the term cache it leaves.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT, chromium_available


@pytest.mark.browser
def test_the_archive_search_benchmark_prints_every_query(tmp_path) -> None:
    if not chromium_available():
        pytest.skip("Debian's chromium is not installed")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_search import ARCHIVE_QUERIES

    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_search.py"), "--years", "1", "--pages", "1",
         "--per-page", "2", "--work", str(tmp_path), "--recall", "集成电路"],
        capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    out = run.stdout
    for q in ARCHIVE_QUERIES:
        assert re.search(rf"^{re.escape(q)}\s+\d+ KB /\s+\d+ KB gzip .*\| Chromium\s+\d+ KB", out, re.M), q
    # the daily update and the term cache it leaves: at one year, every month is open and cached
    update = r"^cold build .*; daily update [\d.]+ s .* term cache [\d.]+ MB in 12 files"
    assert re.search(update, out, re.M), out[-2000:]
    assert re.search(r"^集成电路\s+truth\s+(\d+)\s+found\s+\1\s+recall\s+100\.0%", out, re.M), out[-2000:]
