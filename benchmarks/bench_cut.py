"""Segmenter benchmark (issue 26, "measure, then choose"): jieba, ``epaper_contract.fastcut``
and ``rjieba`` (the jieba-rs binding), on the same texts.

    python benchmarks/bench_cut.py [--days 60] [--agree-days 365] [--rounds 3]

What it prints:

- **agreement**, word for word, line by line: on the bundled texts (``content/**/*.md``) each
  segmenter against jieba itself, in the three uses the project has: jieba's default
  dictionary without HMM (the search index's terms), with HMM (the converter's slugs and
  word boundaries, ``converters/segment.py``), and the tagger's combined dictionary (jieba's
  plus the gazetteer's places and the vocabulary's terms, ``converters/tagging/segment.py``)
  without HMM.  rjieba cannot load a dictionary file; the tagger's words are given to it
  with ``add_word`` at the frequency jieba gives them.  On ``--agree-days`` of the synthetic
  year (``benchmarks/corpus.py``) rjieba is compared with fastcut (which ``tests/test_tagging.py``
  checks against jieba word for word; jieba itself would take minutes there).
- **cost**, each segmenter in a fresh process, ``--rounds`` times in turn (paired: the same
  minute for each): start-up (import and dictionary, wall and CPU seconds), cutting
  ``--days`` of the synthetic year without HMM (CPU seconds: the per-core cost whatever else
  the machine runs), and the process's peak RSS, next to a process that only reads the
  texts.  fastcut's memo of repeated runs is off (``EPAPER_SEGMENT_MEMO=0``): the synthetic
  year repeats its sentences far more than real pages do.

rjieba is not a dependency: without it its rows say so and the rest runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import generate  # noqa: E402  (benchmarks/ is on the path: this script's folder)

SEGMENTERS = ("none", "jieba", "fastcut", "rjieba")

# One child process: load one segmenter, cut every line, print its figures as JSON.
_CHILD = r"""
import json, os, sys, time
sys.path.insert(0, {root!r})
with open({texts!r}, encoding="utf-8") as fh:
    lines = json.load(fh)
which = {which!r}
wall, cpu = time.perf_counter(), time.process_time()
if which == "jieba":
    from epaper_contract.jiebatable import import_jieba
    jieba = import_jieba()
    jieba.initialize()
    cut = lambda s: jieba.dt.cut(s, HMM=False)
elif which == "fastcut":
    from epaper_contract.fastcut import FastCut
    from epaper_contract.jiebatable import default_table
    freq, total = default_table()
    cut = FastCut(freq=freq, total=total).cut
elif which == "rjieba":
    import rjieba
    rjieba.cut("启动")  # its dictionary is loaded on first use
    cut = lambda s: rjieba.cut(s, False)
else:
    cut = None
startup = (time.perf_counter() - wall, time.process_time() - cpu)
words = 0
cpu = time.process_time()
if cut is not None:
    for line in lines:
        words += sum(1 for _ in cut(line))
cutting = time.process_time() - cpu
with open("/proc/self/status") as fh:  # VmHWM: this process's peak (ru_maxrss keeps the parent's after exec)
    peak = next(int(ln.split()[1]) for ln in fh if ln.startswith("VmHWM:"))
print(json.dumps({{"startup_wall": startup[0], "startup_cpu": startup[1], "cut_cpu": cutting, "words": words,
                  "rss_mb": peak / 1024}}))
"""


def has_rjieba() -> bool:
    try:
        import rjieba  # noqa: F401
    except ImportError:
        return False
    return True


def bundled_lines() -> list[str]:
    """Every non-blank line of the bundled content (headers too: ASCII, digits and dates are
    where segmenters differ most)."""
    lines = []
    for path in sorted((ROOT / "content").glob("**/*.md")):
        lines += [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return lines


def corpus_lines(days: int) -> list[str]:
    """The synthetic year's titles, kickers and paragraphs (8 pages of ~7 articles a day)."""
    lines = []
    for edition in generate(days, 8, 7):
        for art in edition:
            lines += [t for t in (art.kicker, art.title, *art.subheads.values(), *art.paragraphs) if t]
    return lines


def differing(lines: list[str], cut: Callable[[str], list[str]], reference: Callable[[str], list[str]]
              ) -> tuple[int, str]:
    """How many lines two segmenters cut differently, and the first difference shown."""
    count, example = 0, ""
    for line in lines:
        a, b = cut(line), reference(line)
        if a != b:
            count += 1
            if not example:
                i = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
                example = f"{'/'.join(a[max(0, i - 2):i + 3])}  vs  {'/'.join(b[max(0, i - 2):i + 3])}"
    return count, example


def agreement(bundled: list[str], year: list[str]) -> None:
    from converters.tagging import Tagger
    from epaper_contract.fastcut import FastCut
    from epaper_contract.jiebatable import default_table, import_jieba

    jieba = import_jieba()
    jieba.initialize()
    freq, total = default_table()
    fast = FastCut(freq=freq, total=total)
    tk = Tagger.load().tokenizer
    fast_tagger = FastCut(tk)
    rows = [("fastcut", "default dict, no HMM (search)", bundled, lambda s: fast.cut(s),
             lambda s: list(jieba.dt.cut(s, HMM=False))),
            ("fastcut", "default dict, HMM (slugs)", bundled, lambda s: fast.cut(s, hmm=True), jieba.lcut),
            ("fastcut", "tagger's dict, no HMM (tags)", bundled, fast_tagger.cut,
             lambda s: list(tk.cut(s, HMM=False)))]
    if has_rjieba():
        import rjieba

        tagged = rjieba.Jieba()  # its own dictionary (jieba-rs's copy of jieba's), plus the tagger's words
        added = 0
        for word in sorted(tk._epaper_base_diff[1]):
            if tk.FREQ.get(word):
                tagged.add_word(word, tk.FREQ[word], None)
                added += 1
        print(f"rjieba: the tagger's {added} words given with add_word")
        rows += [("rjieba", "default dict, no HMM (search)", bundled, lambda s: rjieba.cut(s, False),
                  lambda s: list(jieba.dt.cut(s, HMM=False))),
                 ("rjieba", "default dict, HMM (slugs)", bundled, lambda s: rjieba.cut(s, True), jieba.lcut),
                 ("rjieba", "tagger's dict, no HMM (tags)", bundled, lambda s: tagged.cut(s, False),
                  lambda s: list(tk.cut(s, HMM=False))),
                 ("rjieba", "year corpus, no HMM, vs fastcut", year, lambda s: rjieba.cut(s, False),
                  lambda s: fast.cut(s)),
                 ("rjieba", "year corpus, HMM, vs fastcut", year, lambda s: rjieba.cut(s, True),
                  lambda s: fast.cut(s, hmm=True))]
    else:
        print("rjieba: not installed (pip install rjieba): its rows are left out")
    print(f"\nagreement with jieba 0.42.1, line by line ({len(bundled):,} bundled lines, "
          f"{len(year):,} year-corpus lines)")
    for name, use, lines, cut, reference in rows:
        count, example = differing(lines, cut, reference)
        print(f"  {name:8s} {use:34s} {count:6,} of {len(lines):,} lines differ  {example}")


def cost(lines: list[str], rounds: int) -> None:
    which = [s for s in SEGMENTERS if s != "rjieba" or has_rjieba()]
    with tempfile.TemporaryDirectory(prefix="bench-cut-") as tmp:
        texts = Path(tmp) / "texts.json"
        texts.write_text(json.dumps(lines, ensure_ascii=False), encoding="utf-8")
        env = dict(os.environ, EPAPER_SEGMENT_MEMO="0")
        runs: dict[str, list[dict]] = {s: [] for s in which}
        for _ in range(rounds):
            for s in which:  # each round runs every segmenter once, in turn
                code = _CHILD.format(root=str(ROOT), texts=str(texts), which=s)
                out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                                     check=True)
                runs[s].append(json.loads(out.stdout.strip().splitlines()[-1]))
    chars = sum(len(s) for s in lines)
    print(f"\ncost, {len(lines):,} lines ({chars / 1e6:.2f} M characters), medians of {rounds} paired rounds")
    print(f"  {'':8s} {'start-up wall':>13s} {'start-up CPU':>12s} {'cut CPU-s':>10s} {'M chars/CPU-s':>13s} "
          f"{'peak RSS MB':>11s} {'words':>11s}")
    for s in which:
        med = {k: statistics.median(r[k] for r in runs[s]) for k in runs[s][0]}
        speed = f"{chars / med['cut_cpu'] / 1e6:13.2f}" if s != "none" and med["cut_cpu"] > 0 else f"{'-':>13s}"
        print(f"  {s:8s} {med['startup_wall']:13.3f} {med['startup_cpu']:12.3f} {med['cut_cpu']:10.2f} {speed} "
              f"{med['rss_mb']:11.0f} {int(med['words']):11,}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=60, help="days of the synthetic year cut for the cost")
    ap.add_argument("--agree-days", type=int, default=365, help="days of it compared word for word")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, rjieba {'present' if has_rjieba() else 'absent'}")
    agreement(bundled_lines(), corpus_lines(args.agree_days))
    cost(corpus_lines(args.days), args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
