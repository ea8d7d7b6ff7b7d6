"""Publishing past GitHub Pages' 1 GB: media and the whole site on an S3 bucket, the host's limits.

A real S3-compatible server, ``rclone serve s3`` on 127.0.0.1 over a temporary folder, is
started by the tests; the remote is configured through rclone's environment variables
(``RCLONE_CONFIG_TESTS3_*``), as an editor's or the workflow's credentials would be.  The
real ``make`` targets run: ``make deploy DEPLOY=rclone`` publishes the built sample (its
page PDF typeset by ``tests/support/printed_pages.py``, a story picture beside the dump) with its
media on their own bucket, then the pages, pictures and PDFs are fetched back over HTTP.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import html5lib
import pytest

from tests.conftest import ROOT, free_port, run_converter
from tests.support.printed_site import require_typesetting

pytestmark = pytest.mark.slow

RCLONE = Path(sys.executable).parent / "rclone"
SAMPLE = ROOT / "raw" / "zjrb"
MASTHEADS = (("2024年3月17日 星期日 农历甲辰年二月初八", "第27323期"),
             ("2024年3月18日 星期一 农历甲辰年二月初九", "第27324期"),
             ("2024年3月19日 星期二 农历甲辰年二月初十", "第27325期"))
_SCRUB = ("SITEURL", "CNAME", "FORCE", "GIT_DIR", "GIT_WORK_TREE", "MAKEFLAGS", "RAWDIR", "INPUTDIR",
          "OUTPUTDIR", "MEDIA_URL", "MEDIA_DIR", "MEDIA_REMOTE", "PAGE_PDF", "DEPLOY", "REMOTE",
          "SITE_LIMIT", "FILE_LIMIT")
MEDIA_SUFFIXES = (".webp", ".pdf", ".jpg")


class S3Server:
    """``rclone serve s3`` over ``data`` on a fixed port of 127.0.0.1: killed and restarted at will."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.base = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = subprocess.Popen([str(RCLONE), "serve", "s3", str(self.data), "--addr", f"127.0.0.1:{self.port}",
                                      "--config", "/dev/null"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise AssertionError("rclone serve s3 did not start")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def env(self) -> dict[str, str]:
        """The remote ``tests3:`` for rclone, from the environment (no config file)."""
        return {"RCLONE_CONFIG": "/dev/null", "RCLONE_CONFIG_TESTS3_TYPE": "s3",
                "RCLONE_CONFIG_TESTS3_PROVIDER": "Rclone",
                "RCLONE_CONFIG_TESTS3_ENDPOINT": self.base, "RCLONE_CONFIG_TESTS3_ACCESS_KEY_ID": "editor",
                "RCLONE_CONFIG_TESTS3_SECRET_ACCESS_KEY": "secret",
                # a dead server is reported in seconds, not after rclone's minutes of retries (a
                # few low-level retries: the test server answers a burst of first uploads with a 500)
                "RCLONE_RETRIES": "1", "RCLONE_LOW_LEVEL_RETRIES": "3", "RCLONE_CONTIMEOUT": "3s",
                "RCLONE_TIMEOUT": "10s"}


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {}, b""


def day_dump(n: int) -> str:
    text = (SAMPLE / "2024-03-17" / "01.txt").read_text(encoding="utf-8")
    for old, new in zip(MASTHEADS[0], MASTHEADS[n], strict=True):
        assert text.count(old) == 1
        text = text.replace(old, new)
    lines = text.split("\n")  # a photo after the first paragraph of the byline's story
    i = next(k for k, line in enumerate(lines) if line.startswith("本报记者 程少波"))
    j = next(k for k in range(i + 1, len(lines)) if lines[k].strip())
    lines.insert(j + 1, "\n![](images/photo.jpg)\n")
    return "\n".join(lines)


def add_day(raw: Path, n: int, pdf: bytes | None) -> None:
    """A day's dump, its page PDF and its photo, as the editor puts them in raw/."""
    from PIL import Image

    folder = raw / f"2024-03-{17 + n}"
    (folder / "images").mkdir(parents=True, exist_ok=True)
    (folder / "01.txt").write_text(day_dump(n), encoding="utf-8")
    Image.new("RGB", (64, 48), (40 * n, 90, 160)).save(folder / "images" / "photo.jpg", quality=90)
    if pdf is not None:
        (folder / "01.pdf").write_bytes(pdf)


class Desk:
    """An editor's folders under ``tmp`` and the server; ``make`` runs with them."""

    def __init__(self, tmp: Path, server: S3Server) -> None:
        self.tmp, self.server = tmp, server
        self.raw = tmp / "raw" / "zjrb"
        self.content = tmp / "content" / "zjrb"
        self.output = tmp / "output"
        self.media = tmp / "output.media"
        self.site_url = f"{server.base}/site"
        self.media_url = f"{server.base}/media"

    def variables(self, **extra: str) -> list[str]:
        v = {"RAWDIR": str(self.raw), "INPUTDIR": str(self.content), "OUTPUTDIR": str(self.output),
             "SITEURL": self.site_url, "MEDIA_URL": self.media_url, "MEDIA_REMOTE": "tests3:media",
             "DEPLOY": "rclone", "REMOTE": "tests3:site", **extra}
        return [f"{k}={val}" for k, val in v.items()]

    def env(self, **extra: str) -> dict[str, str]:
        base = {k: v for k, v in os.environ.items() if k not in _SCRUB and not k.startswith("RCLONE_")}
        base.update(PAPER="zjrb", EPAPER_CACHE_DIR=str(self.tmp / "cache"), EPAPER_LANG="en")
        base.update(self.server.env())
        base.update(extra)
        return base

    def make(self, target: str, env: dict[str, str] | None = None, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), target, *self.variables(**extra)],
                              capture_output=True, text=True, env=self.env(**(env or {})), timeout=600)


def media_links(html: bytes) -> list[str]:
    """Every picture and PDF a page links to (src, srcset, href)."""
    root = html5lib.parse(html, namespaceHTMLElements=False)
    out = []
    for el in root.iter():
        for attr in ("src", "href"):
            if el.get(attr):
                out.append(el.get(attr))
        if el.get("srcset"):
            out.extend(part.strip().split()[0] for part in el.get("srcset").split(","))
    return [u for u in out if urlsplit(u).path.endswith(MEDIA_SUFFIXES)]


def online_pages(desk: Desk) -> dict[str, bytes]:
    """The HTML pages in the site bucket (the server's folder: also when the server is down)."""
    root = desk.server.data / "site"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.html")}


def assert_media_links_resolve(desk: Desk, pages: dict[str, bytes]) -> set[str]:
    """Every media link of the pages is on the media bucket (fetched over HTTP); returns them."""
    seen: set[str] = set()
    for path, html in pages.items():
        for link in media_links(html):
            url = urljoin(f"{desk.site_url}/{path}", link)
            assert url.startswith(desk.media_url + "/"), f"{path}: {link} is not on the media host"
            if url not in seen:
                status, _headers, body = get(url)
                assert status == 200 and body, f"{path} links to {url}: HTTP {status}"
                seen.add(url)
    return seen


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    require_typesetting()
    assert RCLONE.is_file(), "rclone is not installed: pip install -r requirements-publish.txt"
    from tests.support.printed_pages import typeset

    tmp = tmp_path_factory.mktemp("media")
    server = S3Server(tmp / "s3")
    (tmp / "s3").mkdir()
    server.start()
    d = Desk(tmp, server)
    d.raw.mkdir(parents=True)
    shutil.copy(SAMPLE / "paper.toml", d.raw / "paper.toml")
    add_day(d.raw, 0, None)  # converted first: the page PDF is typeset from its articles
    conv = run_converter(d.raw, d.content, "zjrb")
    assert conv.returncode == 0, conv.stdout + conv.stderr
    laid = typeset(d.content / "2024-03-17" / "01", paper="浙江日报", date_line=" ".join(MASTHEADS[0]), page=1,
                   section="要闻")
    d.pdf = laid.pdf  # type: ignore[attr-defined]
    (d.raw / "2024-03-17" / "01.pdf").write_bytes(laid.pdf)
    d.day1 = d.make("deploy")  # type: ignore[attr-defined]
    yield d
    server.kill()


def test_day_one_media_and_site_on_the_bucket_every_link_resolves(desk):
    run = desk.day1
    assert run.returncode == 0, run.stdout + run.stderr
    # media out of the site folder, in the media folder, on the media bucket
    in_site = [p for p in desk.output.rglob("*") if p.suffix in MEDIA_SUFFIXES]
    assert in_site == []
    media = sorted(p.relative_to(desk.media).as_posix() for p in desk.media.rglob("*") if p.is_file())
    assert "2024/03/17/01/page.pdf" in media and "images/2024-03-17/01/photo.jpg" in media
    assert "2024/03/17/01/page-thumb.webp" in media
    assert f"media: {len(media)} files sent" in run.stdout
    assert run.stdout.index("media: ") < run.stdout.index("site: ")  # media before the pages
    # the pages over HTTP, as built, each with its Content-Type
    html_type = "text/html; charset=utf-8"
    for path, ctype in (("index.html", html_type), ("2024/03/17/01/index.html", html_type),
                        ("feeds/all.atom.xml", "application/atom+xml; charset=utf-8"),
                        ("data/2024-03-17.json", "application/json; charset=utf-8"),
                        ("robots.txt", "text/plain; charset=utf-8")):
        status, headers, body = get(f"{desk.site_url}/{path}")
        assert status == 200 and body == (desk.output / path).read_bytes(), path
        assert headers["content-type"] == ctype, (path, headers["content-type"])
    # the PDF and the pictures over HTTP: the converter's bytes
    status, headers, body = get(f"{desk.media_url}/2024/03/17/01/page.pdf")
    assert status == 200 and body == (desk.content / "2024-03-17" / "01" / "page.pdf").read_bytes()
    assert headers["content-type"] == "application/pdf"
    status, headers, body = get(f"{desk.media_url}/images/2024-03-17/01/photo.jpg")
    assert status == 200 and headers["content-type"] == "image/jpeg"
    pages = online_pages(desk)
    assert len(pages) == len(list(desk.output.rglob("*.html")))
    links = assert_media_links_resolve(desk, pages)
    assert links == {f"{desk.media_url}/{m}" for m in media}  # every file of the media folder is linked
    page = pages["2024/03/17/01/index.html"].decode()
    assert f"img-src 'self' {desk.server.base}" in page  # the CSP lets the media host's pictures in


def test_a_second_day_sends_only_that_days_files_and_deletes_nothing(desk):
    before = {p.relative_to(desk.server.data).as_posix(): p.stat().st_mtime_ns
              for p in desk.server.data.rglob("*") if p.is_file()}
    add_day(desk.raw, 1, desk.pdf)
    run = desk.make("deploy")
    assert run.returncode == 0, run.stdout + run.stderr
    sent = [line.split("media: sent ", 1)[1] for line in run.stdout.splitlines() if line.startswith("media: sent ")]
    day2 = sorted(p.relative_to(desk.media).as_posix() for p in desk.media.rglob("*")
                  if p.is_file() and ("2024/03/18" in p.as_posix() or "2024-03-18" in p.as_posix()))
    assert sorted(sent) == day2 and len(day2) == 5, (sent, day2)  # 3 pictures, the PDF, the photo
    assert f"media: {len(day2)} files sent" in run.stdout
    assert "0 deleted" in run.stdout.split("site: ", 1)[1]
    after = {p.relative_to(desk.server.data).as_posix(): p.stat().st_mtime_ns
             for p in desk.server.data.rglob("*") if p.is_file()}
    assert set(before) <= set(after)  # nothing of the first day deleted
    assert {k: after[k] for k in before if k.startswith("media/")} == {k: v for k, v in before.items()
                                                                        if k.startswith("media/")}
    assert_media_links_resolve(desk, online_pages(desk))
    for path in ("index.html", "2024/03/17/01/index.html", "2024/03/18/01/index.html"):  # changed, kept, new
        status, headers, body = get(f"{desk.site_url}/{path}")
        assert status == 200 and body == (desk.output / path).read_bytes(), path
        assert headers["content-type"] == "text/html; charset=utf-8", (path, headers["content-type"])


def test_the_server_killed_mid_upload_fails_clearly_and_a_rerun_completes(desk):
    add_day(desk.raw, 2, desk.pdf)
    online_before = online_pages(desk)
    cmd = ["make", "--no-print-directory", "-C", str(ROOT), "deploy", *desk.variables()]
    env = desk.env(RCLONE_BWLIMIT="40k", RCLONE_TRANSFERS="1")  # slow enough to be caught mid-way
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    out = []
    for line in proc.stdout:
        out.append(line)
        if line.startswith("media: sent "):
            desk.server.kill()  # one file up, the others under way
            break
    rest, err = proc.communicate(timeout=300)
    out.append(rest)
    assert proc.returncode != 0, "".join(out)
    assert "make media: the upload to tests3:media failed" in err and "Run it again" in err, err
    assert "site: " not in rest  # no page was sent
    # the pages online are the ones before, and each of their media is there (on disk: the server is down)
    assert online_pages(desk) == online_before
    for path, html in online_before.items():
        for link in media_links(html):
            url = urljoin(f"{desk.site_url}/{path}", link)
            assert (desk.server.data / "media" / url[len(desk.media_url) + 1:]).is_file(), (path, url)
    desk.server.start()
    run = desk.make("deploy")
    assert run.returncode == 0, run.stdout + run.stderr
    pages = online_pages(desk)
    assert "2024/03/19/01/index.html" in pages
    assert_media_links_resolve(desk, pages)


def test_page_pdfs_left_out_or_linked_on_the_papers_own_host(desk, tmp_path):
    out = tmp_path / "out"
    pattern = "https://pdf.example.cn/zjrb/{date:%Y%m%d}/{pp}.pdf"
    for page_pdf, link in (("none", None), (pattern, "https://pdf.example.cn/zjrb/20240317/01.pdf")):
        run = desk.make("publish", env={"EPAPER_CACHE_DIR": str(tmp_path / "cache")}, OUTPUTDIR=str(out),
                        MEDIA_DIR=str(tmp_path / "media"), MEDIA_REMOTE="", PAGE_PDF=page_pdf)
        assert run.returncode == 0, run.stdout + run.stderr
        assert not list((tmp_path / "media").rglob("*.pdf")) and not list(out.rglob("*.pdf"))
        assert list((tmp_path / "media").rglob("page.webp"))
        html = (out / "2024" / "03" / "17" / "01" / "index.html").read_text(encoding="utf-8")
        pdf_links = [u for u in media_links(html.encode()) if u.endswith(".pdf")]
        assert pdf_links == ([link] if link else []), pdf_links


# --- the host's limits ----------------------------------------------------------------------

def test_make_publish_refuses_over_the_hosts_limit_and_warns_from_80_percent(tmp_path):
    from tools.publish_remote import tree_size

    def publish(**extra: str) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
        env.update(PAPER="zjrb", EPAPER_CACHE_DIR=str(tmp_path / "cache"), EPAPER_LANG="en")
        args = ["make", "--no-print-directory", "-C", str(ROOT), "publish", f"RAWDIR={SAMPLE}",
                f"INPUTDIR={tmp_path / 'content'}", f"OUTPUTDIR={tmp_path / 'output'}", "SITEURL=https://example.org/x"]
        return subprocess.run(args + [f"{k}={v}" for k, v in extra.items()], capture_output=True, text=True,
                              env=env, timeout=600)

    first = publish()
    assert first.returncode == 0, first.stdout + first.stderr
    assert "of its 1.0 GB a site" in first.stdout and "warning" not in first.stderr  # GitHub Pages' own limit
    size = tree_size(tmp_path / "output")
    over = publish(SITE_LIMIT=str(size.total - 1))
    assert over.returncode != 0
    assert "refusing to publish: the site is" in over.stderr and "MEDIA_URL=" in over.stderr, over.stderr
    assert "DEPLOY=rclone" in over.stderr and "PAGE_PDF=none" in over.stderr
    near = publish(SITE_LIMIT=str(int(size.total / 0.85)))
    assert near.returncode == 0, near.stdout + near.stderr
    assert "warning: the site is 85% of the limit of GitHub Pages" in near.stderr, near.stderr
    below = publish(SITE_LIMIT=str(int(size.total / 0.75)))
    assert below.returncode == 0 and "warning" not in below.stderr, below.stderr
    big_file = publish(FILE_LIMIT=str(size.largest[0] - 1))
    assert big_file.returncode != 0 and f"refusing to publish: {size.largest[1]} is" in big_file.stderr
    on_bucket = publish(SITE_LIMIT=str(size.total - 1), DEPLOY="rclone")  # a bucket has no such limit
    assert on_bucket.returncode == 0 and "no size limit" in on_bucket.stdout, on_bucket.stderr


# --- the settings ------------------------------------------------------------------------------

def test_media_settings_refuse_what_cannot_work_and_name_the_setting():
    from plugins.epaper_site.media import MediaSettingsError, media_link, media_settings

    assert not media_settings({}).elsewhere and media_settings({}).publish_pdf  # the defaults: as before
    m = media_settings({"MEDIA_URL": "https://media.example.org/zjrb/", "EPAPER_MEDIA_PATH": "/tmp/m"})
    assert m.url == "https://media.example.org/zjrb" and m.origin == "https://media.example.org"
    assert media_link("2024/03/17/01/page.webp", "2024/03/17/01/", "../../../..", m.url) == \
        "https://media.example.org/zjrb/2024/03/17/01/page.webp"
    assert media_link("2024/03/17/01/page.webp", "2024/03/17/01/", "../../../..") == "page.webp"  # in the site
    for bad, setting in (({"MEDIA_URL": "media.example.org", "EPAPER_MEDIA_PATH": "/tmp/m"}, "MEDIA_URL"),
                         ({"MEDIA_URL": "https://m.example.org"}, "EPAPER_MEDIA_PATH"),
                         ({"EPAPER_PAGE_PDF": "pdf.example.org/{pp}.pdf"}, "EPAPER_PAGE_PDF")):
        with pytest.raises(MediaSettingsError, match=setting):
            media_settings(bad)
    import datetime as dt

    ext = media_settings({"EPAPER_PAGE_PDF": "https://pdf.example.cn/{date:%Y/%m%d}/{pp}.pdf"})
    assert not ext.publish_pdf and ext.external_pdf(dt.date(2024, 3, 17), "01") == "https://pdf.example.cn/2024/0317/01.pdf"
    assert media_settings({"EPAPER_PAGE_PDF": "none"}).external_pdf(dt.date(2024, 3, 17), "01") == ""
