"""The segmenter benchmark runs end to end on a day of the synthetic year.

``benchmarks/bench_cut.py`` is what the choice between jieba, ``fastcut`` and ``rjieba``
rests on (``docs/scaling.md``): this checks that it still compares every use the project
has and that fastcut still cuts as jieba does in each (0 lines differ).
"""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT


def test_the_segmenter_benchmark_compares_every_use_and_costs_each_segmenter() -> None:
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_cut.py"), "--days", "1",
                          "--agree-days", "1", "--rounds", "1"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    for use in ("default dict, no HMM (search)", "default dict, HMM (slugs)", "tagger's dict, no HMM (tags)"):
        assert re.search(rf"fastcut  {re.escape(use)} +0 of [\d,]+ lines differ", run.stdout), use
    costs = dict(re.findall(r"^  (none|jieba|fastcut|rjieba) .* ([\d,]+)$", run.stdout, re.M))
    assert {"none", "jieba", "fastcut"} <= costs.keys(), run.stdout
    assert costs["none"] == "0" and costs["jieba"] == costs["fastcut"] != "0"
