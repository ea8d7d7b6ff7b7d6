"""Shared fixtures: one converted and built copy of the bundled edition per test session.

Building is slow (jieba, Pelican), so tests share one build: ``built_site`` converts
``raw/<paper>`` with the real converter into a temporary ``content/`` and builds it with
the real ``pelicanconf.py``.  ``serve_site`` serves any output folder over HTTP on
loopback, optionally under a sub-path, as GitHub Pages serves a project site.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "tests" / "gold"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")


@dataclass
class BuiltSite:
    paper: str
    content: Path  # content/<paper>
    output: Path
    siteurl: str


def run_converter(raw: Path, out: Path, paper: str, *extra: str, lang: str = "en") -> subprocess.CompletedProcess:
    """The real CLI; its report in English unless ``lang`` says otherwise (the default for an
    editor is Chinese: tests/converters/test_editor.py reads that)."""
    return subprocess.run([sys.executable, "-m", "converters", str(raw), "--out", str(out),
                           "--paper", paper, "--lang", lang, *extra], cwd=ROOT, capture_output=True, text=True)


def run_pelican(content: Path, output: Path, settings: Path, paper: str, siteurl: str | None = None,
                extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PAPER=paper)
    if siteurl is not None:
        env["SITEURL"] = siteurl
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-m", "pelican", str(content), "-o", str(output),
                           "-s", str(settings)], cwd=ROOT, capture_output=True, text=True, env=env)


def build_site(tmp: Path, paper: str = "zjrb", settings: str = "pelicanconf.py",
               siteurl: str | None = None) -> BuiltSite:
    content = tmp / "content" / paper
    output = tmp / "output"
    conv = run_converter(ROOT / "raw" / paper, content, paper)
    assert conv.returncode == 0, f"converter failed:\n{conv.stdout}\n{conv.stderr}"
    built = run_pelican(content, output, ROOT / settings, paper, siteurl)
    assert built.returncode == 0, f"pelican failed:\n{built.stdout}\n{built.stderr}"
    return BuiltSite(paper=paper, content=content, output=output, siteurl=siteurl or "")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuiltSite:
    """The bundled 浙江日报 edition, converted and built with pelicanconf.py."""
    return build_site(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    prefix = ""

    def translate_path(self, path: str) -> str:
        if self.prefix:
            if not path.startswith(self.prefix):
                return str(Path(self.directory) / "__not_under_prefix__")
            path = path[len(self.prefix):] or "/"
        return super().translate_path(path)

    def log_message(self, *args) -> None:  # keep test output quiet
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SiteServer:
    """An HTTP server for a folder on 127.0.0.1, optionally under a sub-path like ``/repo``."""

    def __init__(self, root: Path, prefix: str = "") -> None:
        handler = type("Handler", (_SubPathHandler,), {"prefix": prefix.rstrip("/")})
        self.port = free_port()
        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", self.port), functools.partial(handler, directory=str(root)))
        self.base = f"http://127.0.0.1:{self.port}{prefix.rstrip('/')}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve_site():
    servers: list[SiteServer] = []

    def start(root: Path, prefix: str = "") -> SiteServer:
        server = SiteServer(root, prefix)
        servers.append(server)
        return server

    yield start
    for s in servers:
        s.close()


def chromium_available() -> bool:
    return CHROMIUM.exists() and shutil.which(str(CHROMIUM)) is not None


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Playwright driving Debian's Chromium (skips when it is not installed)."""
    if not chromium_available():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def printed_site(tmp_path_factory):
    """Both bundled papers with page PDFs and a page image (tests/support/printed_site.py), built."""
    from tests.support.printed_site import build_printed_site, require_typesetting

    require_typesetting()
    return build_printed_site(tmp_path_factory.mktemp("printed"))
