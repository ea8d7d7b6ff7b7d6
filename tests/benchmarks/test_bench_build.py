"""The build benchmark runs end to end on a tiny archive (its figures are not judged here).

A benchmark that crashes after its first rows gives no figures at all: this runs every
step of ``benchmarks/bench_build.py`` (printed pages, make html, make publish, rebuild,
daily update, correction) on three days of two pages and checks what it prints.
"""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT


def test_the_build_benchmark_prints_every_row_and_sorts_every_file_by_kind() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_build.py"), "--days", "3", "--pages", "2",
         "--per-page", "3", "--skip-stock", "--skip-hugo"],
        capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    summary = run.stdout.split("\nsummary\n", 1)[1]
    for label in ("converter: 2 dumps + page PDFs", "full build (cold cache)", "make publish build (cold)",
                  "rebuild, nothing changed", "daily update", "correction (one article edited)"):
        assert label in summary, label
    assert re.search(r"rebuild, nothing changed .* files added/changed/removed: 0/0/0", summary)
    # Page pictures and PDFs are their own kind, not lumped with the home page.
    pictures = re.findall(r"page pictures and PDFs\s+(\d+) files", summary)
    assert pictures and all(int(n) == 24 for n in pictures), pictures  # 6 pages x 3 pictures + PDF
    catch_all = [int(n) for n in re.findall(r"home, 404, robots\.txt\s+(\d+) files", summary)]
    assert catch_all == [3, 3], catch_all
    assert "targets: full build" in summary
    # Pages on GitHub Pages, media on a bucket (a local rclone serve s3): the sizes apart, and the
    # daily make media sends only the new edition's 2 pages x 4 files.
    m = re.search(r"pages only \(GitHub Pages\): [\d.]+ MB in (\d+) files; "
                  r"media only \(bucket\): [\d.]+ MB in (\d+) files", summary)
    assert m and int(m.group(2)) == 24, summary
    assert re.search(r"make media: the year's media, first upload .*, media: 24 files sent", summary), summary
    assert re.search(r"make media: daily .*, media: 8 files sent \([\d.]+ [kM]B\), 24 unchanged, 0 deleted", summary)
