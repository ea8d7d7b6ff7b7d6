"""Run every benchmark in turn (``make bench``); each prints its own figures.

By default the runs are sized to finish in a few minutes; ``--full`` runs the sizes
the issues quote (a synthetic year of about 20,000 articles, 1,000+ pages converted)
and a two-year archive (``bench_archive.py --years 10`` is the decade, ~10 minutes).
Pagefind is compared only when ``pagefind[extended]`` is installed in the venv.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--full", action="store_true", help="the full sizes (a synthetic year)")
    args = ap.parse_args()
    days = "365" if args.full else "30"
    pagefind = importlib.util.find_spec("pagefind") is not None
    runs = [
        ["bench_convert.py", "--pages-total", "1000" if args.full else "400"],
        ["bench_pdf.py", "--rounds", "5" if args.full else "2"],
        ["bench_tagging.py"],
        ["bench_search.py", "--days", days, "--no-browser", *([] if pagefind else ["--no-pagefind"])],
        ["bench_build.py", "--days", days],
        *([["bench_archive.py", "--years", "2"]] if args.full else []),
    ]
    failed = 0
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}", flush=True)
    for cmd in runs:
        print(f"\n=== {' '.join(cmd)}", flush=True)
        failed += subprocess.call([sys.executable, str(HERE / cmd[0]), *cmd[1:]], cwd=HERE.parent) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
