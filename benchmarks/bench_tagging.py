"""Benchmark converters.tagging: dictionary load time (cold and warm) and tagging throughput.

    .venv/bin/python benchmarks/bench_tagging.py [--rounds N]

Cold = no jieba cache: a fresh process with an empty cache folder (benchmarks/work/, git-
ignored) builds the combined dictionary and jieba's prefix dict.  Warm = a fresh process
with the repo's .cache/jieba/ present, as every conversion after the first.  Throughput =
tagging the bundled gold articles in one process after loading, per-article memo off,
measured in CPU time (the machine may be busy with other work; wall clock is shown too).
Target (issue 3): at most 5 ms per average (~1,500-character) article after loading.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / "benchmarks" / "work" / "jieba-cold"
TARGET_MS = 5.0

_LOAD = """
import sys, time
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
from converters.tagging import Tagger
Tagger.load(cache_dir={cache!r})
print(time.perf_counter() - t0)
"""


def load_seconds(cache_dir: Path | None) -> float:
    code = _LOAD.format(root=str(ROOT), cache=str(cache_dir) if cache_dir else None)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def gold_articles() -> list[dict]:
    arts = []
    for path in sorted((ROOT / "tests" / "gold").glob("*.json")):
        for art in json.loads(path.read_text(encoding="utf-8"))["articles"]:
            paras = art["paragraphs"]
            arts.append({"title": art["title"] if art.get("headline_in_dump", True) else "",
                         "kicker": art.get("kicker") or "", "lead": paras[0], "paragraphs": paras})
    return arts


def main() -> int:
    ap = argparse.ArgumentParser(description="tagging benchmark")
    ap.add_argument("--rounds", type=int, default=30)
    args = ap.parse_args()

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    cold = load_seconds(WORK)
    shutil.rmtree(WORK, ignore_errors=True)
    load_seconds(None)  # make sure the repo cache exists
    warm = statistics.median(load_seconds(None) for _ in range(3))
    print(f"dictionary load, cold (no jieba cache):  {cold * 1000:8.0f} ms")
    print(f"dictionary load, warm (cache present):   {warm * 1000:8.0f} ms  (median of 3 processes)")

    from converters.tagging import Tagger

    tagger = Tagger.load()
    arts = gold_articles()
    chars = [sum(len(p) for p in a["paragraphs"]) + len(a["title"]) + len(a["kicker"]) for a in arts]
    for a in arts:  # warm-up
        tagger.tag(**a, cache=False)
    per_article: list[float] = []
    t_all, cpu_all = time.perf_counter(), time.process_time()
    for _ in range(args.rounds):
        for a in arts:
            t0 = time.perf_counter()
            tagger.tag(**a, cache=False)
            per_article.append(time.perf_counter() - t0)
    wall = time.perf_counter() - t_all
    total = time.process_time() - cpu_all  # CPU time: what tagging costs, whatever else runs
    n = len(per_article)
    mean_chars = statistics.mean(chars)
    ms_per_article = total / n * 1000
    ms_per_1500 = total / (sum(chars) * args.rounds) * 1500 * 1000
    longest = max(range(len(arts)), key=chars.__getitem__)
    t0 = time.process_time()
    for _ in range(args.rounds):
        tagger.tag(**arts[longest], cache=False)
    ms_longest = (time.process_time() - t0) / args.rounds * 1000
    print(f"articles: {len(arts)} gold articles x {args.rounds} rounds, mean {mean_chars:.0f} chars")
    print(f"throughput (CPU time):                   {n / total:8.0f} articles/s"
          f"  (wall clock {n / wall:.0f}/s, load average {os.getloadavg()[0]:.1f})")
    print(f"per article (mean {mean_chars:.0f} chars), CPU:    {ms_per_article:8.2f} ms"
          f"  (wall p50 {statistics.median(per_article) * 1000:.2f} ms,"
          f" p95 {sorted(per_article)[int(n * 0.95)] * 1000:.2f} ms)")
    print(f"per 1,500 characters, CPU:               {ms_per_1500:8.2f} ms   target <= {TARGET_MS:.1f} ms")
    print(f"longest gold article ({chars[longest]} chars), CPU: {ms_longest:8.2f} ms")
    memo_t0 = time.perf_counter()
    for a in arts:
        tagger.tag(**a)
    memo_ms = (time.perf_counter() - memo_t0) * 1000
    print(f"memoised re-tag of all {len(arts)}:                {memo_ms:8.2f} ms")
    return 0 if ms_per_1500 <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
