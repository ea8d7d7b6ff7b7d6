"""Publishing: the Makefile's publish/github targets, the Pages workflow, the daily routine.

Everything runs the real ``make`` targets an editor runs, with the Makefile's own
variables pointing at temporary folders (``RAWDIR``, ``INPUTDIR``, ``OUTPUTDIR``), so the
repository's ``content/``, ``output/`` and branches are never touched.  The link crawl
itself lives in ``tests/site/test_links.py`` (it checks a publishconf build made by calling
Pelican directly); here the same crawl runs over the site ``make publish`` builds, plus
what GitHub Pages adds: the 404 page, ``robots.txt`` under a sub-path, ``gh-pages``.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import html5lib
import pytest
import yaml

from tests.conftest import ROOT, SiteServer
from tests.site.test_links import LINK_ATTRS, crawl, fetch

pytestmark = pytest.mark.slow

SAMPLE = ROOT / "raw" / "zjrb"
MASTHEAD_DAY1 = "2024年3月17日 星期日 农历甲辰年二月初八"
MASTHEAD_DAY2 = "2024年3月18日 星期一 农历甲辰年二月初九"
ISSUE_DAY1, ISSUE_DAY2 = "第27323期", "第27324期"
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
# Variables a caller's environment might carry that would change what make does.
_SCRUB = ("SITEURL", "CNAME", "FORCE", "GIT_DIR", "GIT_WORK_TREE", "MAKEFLAGS", "RAWDIR",
          "INPUTDIR", "OUTPUTDIR", "MEDIA_URL", "MEDIA_DIR", "MEDIA_REMOTE", "PAGE_PDF", "DEPLOY", "REMOTE",
          "SITE_LIMIT", "FILE_LIMIT")


def make(target: str, tmp: Path, raw: Path = SAMPLE, env: dict[str, str] | None = None,
         **variables: str) -> subprocess.CompletedProcess:
    """Run ``make <target>`` in the repository with the paper's folders under ``tmp``."""
    base = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    base.update(PAPER="zjrb", EPAPER_CACHE_DIR=str(tmp / "cache"), EPAPER_LANG="en", **(env or {}))
    args = ["make", "--no-print-directory", "-C", str(ROOT), target, f"RAWDIR={raw}",
            f"INPUTDIR={tmp / 'content' / 'zjrb'}", f"OUTPUTDIR={tmp / 'output'}"]
    args += [f"{k}={v}" for k, v in variables.items()]
    return subprocess.run(args, capture_output=True, text=True, env=base, timeout=600)


def conversion_counts(stdout: str) -> tuple[int, int, int]:
    """(dumps, converted, unchanged) from the converter's last summary line."""
    found = re.findall(r"(\d+) dumps: (\d+) converted, (\d+) unchanged", stdout)
    assert found, f"no converter summary in:\n{stdout}"
    return tuple(int(n) for n in found[-1])  # type: ignore[return-value]


def git(repo: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env=env).stdout


def own_refs() -> str:
    """This repository's branches (or git's complaint, when ROOT is not a checkout)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    r = subprocess.run(["git", "for-each-ref", "refs/heads"], cwd=ROOT, capture_output=True, text=True, env=env)
    return r.stdout + r.stderr


def canonical_links(html: bytes | str) -> list[str]:
    """The ``<link rel="canonical">`` addresses of a page, however its markup is written."""
    root = html5lib.parse(html, namespaceHTMLElements=False)
    return [el.get("href") for el in root.iter("link") if el.get("rel") == "canonical"]


def copy_raw(tmp: Path) -> Path:
    raw = tmp / "raw" / "zjrb"
    shutil.copytree(SAMPLE, raw)
    return raw


# --- (1) make publish under a sub-path -------------------------------------------------

@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """``make publish`` for http://127.0.0.1:PORT/repo, served under /repo."""
    tmp = tmp_path_factory.mktemp("make-publish")
    (tmp / "output").mkdir()
    server = SiteServer(tmp / "output", "/repo")
    try:
        result = make("publish", tmp, env={"SITEURL": server.base})
        assert result.returncode == 0, result.stdout + result.stderr
        yield tmp / "output", server
    finally:
        server.close()


def test_make_publish_site_resolves_under_the_sub_path(made):
    """The crawl of test_links.py over the Makefile's build: links, assets, feeds, sitemap."""
    output, server = made
    seen, broken = crawl(server.base)
    assert seen > 30
    assert not broken, "\n".join(broken[:20])
    assert canonical_links((output / "index.html").read_bytes()) == [f"{server.base}/"]  # SITEURL reached Pelican
    assert not (output / "CNAME").exists()  # no CNAME unless asked for


def test_404_page_works_at_any_depth(made):
    """GitHub Pages serves /repo/404.html for any missing path: its links must be absolute."""
    _, server = made
    status, body, _ = fetch(server.base + "/404.html")
    assert status == 200
    root = html5lib.parse(body, namespaceHTMLElements=False, transport_encoding="utf-8")
    links = [el.get(attr) for tag, attr in LINK_ATTRS for el in root.iter(tag) if el.get(attr)]
    internal = [u for u in links if not u.startswith("#")]
    assert len(internal) > 5
    relative = [u for u in internal if not u.startswith(server.base + "/")]
    assert not relative, f"links in 404.html that break at depth: {relative}"
    broken = [u for u in internal if fetch(u.split("#")[0])[0] != 200]
    assert not broken, broken
    assert "找不到这个页面" in body.decode("utf-8")


def test_robots_and_sitemap_under_the_sub_path(made):
    _, server = made
    status, body, _ = fetch(server.base + "/robots.txt")
    assert status == 200
    assert f"Sitemap: {server.base}/sitemap.xml" in body.decode("utf-8").splitlines()
    status, sitemap, _ = fetch(server.base + "/sitemap.xml")
    assert status == 200
    assert "<sitemapindex" in sitemap.decode("utf-8")
    files = re.findall(r"<loc>([^<]+)</loc>", sitemap.decode("utf-8"))
    assert files and all(f.startswith(server.base + "/sitemaps/") and f.endswith(".xml.gz") for f in files)
    locs = []
    for f in files:  # gzip-compressed sitemaps, as the protocol allows
        status, body, _ = fetch(f)
        assert status == 200
        locs += re.findall(r"<loc>([^<]+)</loc>", gzip.decompress(body).decode("utf-8"))
    assert len(locs) > 10
    assert all(loc.startswith(server.base + "/") for loc in locs), locs[:5]


# --- (2) make github into a temporary repository ---------------------------------------

def test_make_github_fills_gh_pages_and_pushes_only_when_there_is_a_remote(tmp_path):
    """``make github`` (publish + ghp-import --no-jekyll + push) against a scratch repo."""
    repo = tmp_path / "site-repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    own_branches = own_refs()
    # GIT_DIR/GIT_WORK_TREE point every git call of the recipe at the scratch repository.
    env = {"GIT_DIR": str(repo / ".git"), "GIT_WORK_TREE": str(repo),
           "SITEURL": "https://example.github.io/epaper", "CNAME": "news.example.org",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}

    first = make("github", tmp_path, env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "not pushed" in first.stdout  # no origin: said so, did not fail
    files = set(git(repo, "ls-tree", "-r", "--name-only", "gh-pages").split())
    assert {".nojekyll", "index.html", "404.html", "robots.txt", "sitemap.xml",
            "feeds/all.atom.xml", "theme/css/epaper.css"} <= files
    assert any(f.startswith("2024/03/17/01/") and f.endswith("/index.html") for f in files)
    assert git(repo, "show", "gh-pages:CNAME").strip() == "news.example.org"
    home = git(repo, "show", "gh-pages:index.html")
    assert canonical_links(home) == ["https://example.github.io/epaper/"]  # a publish build
    assert "sitemaps/2024.xml.gz" in files

    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    git(repo, "remote", "add", "origin", str(origin))
    second = make("github", tmp_path, env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "not pushed" not in second.stdout
    assert f"pushing branch gh-pages to origin = {origin}" in second.stdout  # said before it pushes
    pushed = set(git(origin, "ls-tree", "-r", "--name-only", "gh-pages").split())
    assert pushed == set(git(repo, "ls-tree", "-r", "--name-only", "gh-pages").split())
    assert git(origin, "rev-parse", "gh-pages") == git(repo, "rev-parse", "gh-pages")
    assert own_refs() == own_branches  # our own repo untouched


# --- (3) the Pages workflow ------------------------------------------------------------

@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def uses(job: dict, action: str) -> list[dict]:
    return [s for s in steps(job) if s.get("uses", "").split("@")[0] == action]


def test_workflow_triggers_permissions_and_concurrency(workflow):
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on
    assert workflow["permissions"] == {}  # nothing by default: each job names what it needs
    (deploy,) = [j for j in workflow["jobs"].values() if uses(j, "actions/deploy-pages")]
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    for job in workflow["jobs"].values():  # only the deploy job writes anything
        if job is not deploy:
            assert job["permissions"] == {"contents": "read"}
    assert deploy["concurrency"]["group"] and deploy["concurrency"]["cancel-in-progress"] is False


def test_workflow_builds_with_the_makefile_and_deploys_with_the_pages_actions(workflow):
    jobs = workflow["jobs"]
    (build_name, build), = [(n, j) for n, j in jobs.items() if uses(j, "actions/upload-pages-artifact")]
    (_, deploy), = [(n, j) for n, j in jobs.items() if uses(j, "actions/deploy-pages")]
    (test_name, test), = [(n, j) for n, j in jobs.items()
                          if any(re.search(r"\bmake test\b", s.get("run", "")) for s in steps(j))]

    # Build: configure-pages gives the URL, `make publish` builds, output/ is uploaded.
    (configure,) = uses(build, "actions/configure-pages")
    publish = [s for s in steps(build) if re.search(r"\bmake publish\b", s.get("run", ""))]
    assert len(publish) == 1
    assert f"steps.{configure['id']}.outputs.base_url" in publish[0]["env"]["SITEURL"]
    assert "vars.CNAME" in publish[0]["env"]["CNAME"]
    names = [s.get("uses", s.get("run", "")) for s in steps(build)]
    assert names.index(configure["uses"]) < names.index(publish[0]["run"])
    (upload,) = uses(build, "actions/upload-pages-artifact")
    assert names.index(publish[0]["run"]) < names.index(upload["uses"])
    assert upload["with"]["path"] == "${{ env.SITE_DIR }}" and workflow["env"]["SITE_DIR"].startswith("output/")
    assert 'OUTPUTDIR="$GITHUB_WORKSPACE/$SITE_DIR"' in publish[0]["run"]  # the Makefile's OUTPUTDIR
    assert not any("apt-get" in s.get("run", "") for s in steps(build))  # the build needs no apt

    # Deploy after the build (and its gold check), not after the test suite, into the
    # github-pages environment; tests/publish/test_workflow.py runs the build job's steps.
    assert deploy["needs"] == [build_name] and test_name != build_name and "needs" not in test
    assert deploy["environment"]["name"] == "github-pages"
    (dep,) = uses(deploy, "actions/deploy-pages")
    assert "page_url" in deploy["environment"]["url"] and dep["id"] in deploy["environment"]["url"]

    # Every action is pinned to a commit (its version in a comment: tests/publish/test_workflow.py
    # runs zizmor); checkouts keep no credentials; every make target it calls exists.
    text = WORKFLOW.read_text(encoding="utf-8")
    for job in jobs.values():
        for s in steps(job):
            if "uses" in s:
                assert re.fullmatch(r"[\w./-]+@[0-9a-f]{40}", s["uses"]), s["uses"]
                assert re.search(re.escape(s["uses"]) + r"  # v\d+\.\d+\.\d+$", text, re.M), s["uses"]
            if s.get("uses", "").startswith("actions/checkout@"):
                assert s["with"]["persist-credentials"] is False
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    called = {t for j in jobs.values() for s in steps(j) for t in re.findall(r"\bmake (\w+)", s.get("run", ""))}
    assert called >= {"publish", "test", "gold", "content"}
    for target in called:
        assert re.search(rf"^{target}:", makefile, re.M), f"make {target}: no such target"


# --- (4) the daily routine ---------------------------------------------------------------

def test_a_new_days_dump_converts_alone_and_the_site_gains_the_edition(tmp_path):
    raw = copy_raw(tmp_path)
    content = tmp_path / "content" / "zjrb"
    output = tmp_path / "output"

    day1 = make("html", tmp_path, raw=raw)
    assert day1.returncode == 0, day1.stdout + day1.stderr
    assert conversion_counts(day1.stdout) == (1, 1, 0)
    old = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in content.rglob("*.md")}
    assert len(old) >= 5

    sample = (SAMPLE / "2024-03-17" / "01.txt").read_text(encoding="utf-8")
    assert sample.count(MASTHEAD_DAY1) == 1 and sample.count(ISSUE_DAY1) == 1
    day2_dump = raw / "2024-03-18" / "01.txt"
    day2_dump.parent.mkdir()
    day2_dump.write_text(sample.replace(MASTHEAD_DAY1, MASTHEAD_DAY2).replace(ISSUE_DAY1, ISSUE_DAY2),
                         encoding="utf-8")

    day2 = make("html", tmp_path, raw=raw)
    assert day2.returncode == 0, day2.stdout + day2.stderr
    assert conversion_counts(day2.stdout) == (2, 1, 1)
    report = json.loads((content / "conversion-report.json").read_text(encoding="utf-8"))
    status = {p["key"]: p["status"] for p in report["pages"]}
    assert status == {"2024-03-17/01.txt": "unchanged", "2024-03-18/01.txt": "converted"}

    # The first day's files were not rewritten: same bytes, same modification time.
    for path, (mtime, data) in old.items():
        assert path.stat().st_mtime_ns == mtime, f"{path} was rewritten"
        assert path.read_bytes() == data
    new = sorted((content / "2024-03-18").rglob("*.md"))
    assert len(new) == len(old)
    head = new[0].read_text(encoding="utf-8")
    assert "Date: 2024-03-18" in head and "Issue: 27324" in head

    # The site has both editions, and the home page shows the new one.
    for day in ("17", "18"):
        assert (output / "2024" / "03" / day / "index.html").is_file()
        assert (output / "2024" / "03" / day / "01" / "index.html").is_file()
    assert len(list((output / "2024" / "03" / "18" / "01").glob("*/index.html"))) == len(new)
    home = (output / "index.html").read_text(encoding="utf-8")
    assert "2024年3月18日" in home
    archive = (output / "archive" / "index.html").read_text(encoding="utf-8")
    assert "2024/03/17/" in archive and "2024/03/18/" in archive


# --- (5) make publish refuses on report errors unless FORCE=1 ---------------------------

def test_make_publish_refuses_on_report_errors_unless_forced(tmp_path):
    raw = copy_raw(tmp_path)
    bad = raw / "2024-03-19" / "01.txt"
    bad.parent.mkdir()
    bad.write_bytes(bytes(range(256)) * 16)  # a binary "dump": the converter refuses it
    env = {"SITEURL": "https://example.github.io/epaper"}

    refused = make("publish", tmp_path, raw=raw, env=env)
    assert refused.returncode != 0
    assert "refusing to publish" in refused.stderr
    assert "looks binary" in refused.stdout  # the editor is told which dump and why
    assert not (tmp_path / "output" / "index.html").exists()

    forced = make("publish", tmp_path, raw=raw, env=env, FORCE="1")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert "1 errors" in forced.stdout  # still reported, just not blocking
    assert (tmp_path / "output" / "2024" / "03" / "17" / "index.html").is_file()
    assert not (tmp_path / "output" / "2024" / "03" / "19").exists()


def test_make_publish_needs_an_absolute_siteurl(tmp_path):
    result = make("publish", tmp_path)
    assert result.returncode != 0
    assert "needs SITEURL" in result.stderr
    assert not (tmp_path / "output" / "index.html").exists()
