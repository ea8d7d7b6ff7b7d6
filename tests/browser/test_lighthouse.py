"""Lighthouse (mobile, npm's lighthouse pinned in package-lock.json) on the site with printed
pages: home, edition, page (with its picture and regions), article, and an image page.

Every category (performance, accessibility, best practices, SEO) must score >= 0.95.
Lighthouse's mobile run simulates a slow phone and network (its default throttling),
so the scores do not depend much on how busy the machine is; they are printed in the
test summary with the machine's load.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.badinput.figures import record
from tests.conftest import CHROMIUM, ROOT, chromium_available

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {  # (paper, path)
    "home": ("zjrb", "/"),
    "edition": ("zjrb", "/2024/03/17/"),
    "page": ("zjrb", "/2024/03/17/01/"),
    "article": ("zjrb", "/2024/03/17/01/shaoxing-jun-niao-tengfei-zheng-dangshi/"),
    "image page": ("rmrb", "/2025/03/18/15/"),
}


def lighthouse(url: str, work: Path) -> dict:
    """One mobile Lighthouse run in a fresh Chromium profile; the report as JSON."""
    report = work / "report.json"
    flags = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
             "--disable-component-update --disable-sync --no-first-run "
             f"--user-data-dir={work / 'profile'}")
    r = subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                        f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}"],
                       capture_output=True, text=True, timeout=300,
                       env=dict(os.environ, CHROME_PATH=str(CHROMIUM)))
    assert r.returncode == 0 and report.exists(), (r.stdout + r.stderr)[-3000:]
    return json.loads(report.read_text(encoding="utf-8"))


def test_lighthouse_mobile_scores(printed_site, serve_site, tmp_path, request):
    if not chromium_available():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    if not LIGHTHOUSE.exists():
        pytest.skip("node_modules/.bin/lighthouse is missing: run `npm ci` (what .ci/run does)")
    servers = {paper: serve_site(printed_site.output[paper]) for paper in ("zjrb", "rmrb")}
    figures: dict[str, object] = {"load average": " ".join(f"{x:.2f}" for x in os.getloadavg())}
    low = []
    for kind, (paper, path) in PAGES.items():
        work = tmp_path / kind.replace(" ", "-")
        work.mkdir()
        data = lighthouse(servers[paper].base + path, work)
        scores = {c: data["categories"][c]["score"] for c in CATEGORIES}
        lcp = data["audits"]["largest-contentful-paint"]["displayValue"]
        figures[kind] = " ".join(f"{c}={scores[c]:.2f}" for c in CATEGORIES) + f" LCP={lcp}"
        print(f"lighthouse {kind}: {figures[kind]}")
        for c, s in scores.items():
            if s is None or s < 0.95:
                failing = [a for a in data["categories"][c]["auditRefs"]
                           if a.get("weight") and (data["audits"][a["id"]].get("score") or 0) < 1]
                low.append((kind, c, s, [(a["id"], data["audits"][a["id"]].get("displayValue")) for a in failing]))
    figures["load average after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    record(request.config, "lighthouse", {k: v for k, v in figures.items()})
    assert not low, low
