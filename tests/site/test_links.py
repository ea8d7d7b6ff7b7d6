"""Link check: every internal href/src of the built site resolves, on disk and over HTTP.

On disk for the development build (relative URLs); over HTTP under a sub-path
(``/repo``, as a GitHub Pages project site) for the same build and for a publish build
whose absolute SITEURL carries the sub-path (its page links are relative too; canonical
URLs, feeds, the sitemap and 404.html are absolute).  Fragments must name an existing id.
"""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import html5lib
import pytest

from tests.conftest import build_site

LINK_ATTRS = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("form", "action"))
ATOM = "{http://www.w3.org/2005/Atom}"


def links_and_ids(html: bytes) -> tuple[list[str], set[str]]:
    root = html5lib.parse(html, namespaceHTMLElements=False, transport_encoding="utf-8")
    links = [el.get(attr) for tag, attr in LINK_ATTRS for el in root.iter(tag) if el.get(attr)]
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    return links, ids


def is_external(url: str) -> bool:
    return (bool(urlsplit(url).scheme) and not url.startswith("file:")) or url.startswith("mailto:")


def check_on_disk(output: Path) -> tuple[int, list[str]]:
    """Resolve every relative link of every page against the file tree."""
    broken: list[str] = []
    ids_of: dict[Path, set[str]] = {}
    pending: list[tuple[Path, str, Path]] = []
    checked = 0
    for page in sorted(output.rglob("*.html")):
        links, ids = links_and_ids(page.read_bytes())
        ids_of[page.resolve()] = ids
        for link in links:
            if is_external(link):
                broken.append(f"{page.relative_to(output)}: absolute URL {link} in a relative build")
                continue
            url, frag = urldefrag(link)
            target = (page.parent / url).resolve() if url else page.resolve()
            if url.endswith("/") or target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.is_file() or output.resolve() not in target.parents:
                broken.append(f"{page.relative_to(output)}: {link}")
            elif frag:
                pending.append((page, link, target))
    for page, link, target in pending:
        if target.suffix == ".html" and urldefrag(link)[1] not in ids_of.get(target, set()):
            broken.append(f"{page.relative_to(output)}: missing #{urldefrag(link)[1]} ({link})")
    return checked, broken


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read(), r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        return e.code, b"", ""


def crawl(base: str, follow_xml: bool = True) -> tuple[int, list[str]]:
    """Breadth-first over every internal URL reachable from the home page, plus feed entries.

    Feeds and the sitemap need an absolute SITEURL; a dev build has none, so its crawl
    fetches them (they must exist) but does not follow the root-relative links inside.
    """
    start = base.rstrip("/") + "/"
    seen = {start}
    queue = deque([(start, "(start)")])
    broken: list[str] = []
    while queue:
        url, referrer = queue.popleft()
        status, body, ctype = fetch(url)
        if status != 200:
            broken.append(f"{referrer} -> {url} ({status})")
            continue
        found: list[str] = []
        if "html" in ctype:
            found = links_and_ids(body)[0]
        elif url.endswith((".xml", ".xml.gz")) and follow_xml:
            root = ET.fromstring(gzip.decompress(body) if url.endswith(".gz") else body)
            found = [e.get("href") for e in root.iter(f"{ATOM}link") if e.get("href")]
            found += [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
        for link in found:
            absolute = urldefrag(urljoin(url, link))[0]
            if urlsplit(absolute).netloc != urlsplit(start).netloc:
                continue
            if not absolute.startswith(start):
                broken.append(f"{url} -> {absolute} (outside the sub-path)")
                continue
            if absolute not in seen:
                seen.add(absolute)
                queue.append((absolute, url))
    return len(seen), broken


def test_no_broken_internal_link_on_disk(built_site):
    checked, broken = check_on_disk(built_site.output)
    assert checked > 100
    assert not broken, "\n".join(broken[:20])


def test_dev_build_works_under_a_sub_path(built_site, serve_site):
    server = serve_site(built_site.output, "/repo")
    assert fetch(server.base.replace("/repo", "/") + "index.html")[0] == 404  # really a sub-path
    seen, broken = crawl(server.base, follow_xml=False)
    assert seen > 30
    assert not broken, "\n".join(broken[:20])


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A publishconf.py build for http://127.0.0.1:PORT/repo, and the server for it."""
    from tests.conftest import SiteServer

    tmp = tmp_path_factory.mktemp("published")
    (tmp / "output").mkdir()
    server = SiteServer(tmp / "output", "/repo")
    try:
        site = build_site(tmp, settings="publishconf.py", siteurl=server.base)
        yield site, server
    finally:
        server.close()


def test_publish_build_under_a_sub_path(published):
    site, server = published
    seen, broken = crawl(server.base)
    assert seen > 30
    assert not broken, "\n".join(broken[:20])
    home = html5lib.parse((site.output / "index.html").read_bytes(), namespaceHTMLElements=False)
    links = {el.get("rel"): el.get("href") for el in home.iter("link")}
    assert links["stylesheet"] == "./theme/css/epaper.css"  # links between pages: relative
    assert links["canonical"] == f"{server.base}/"  # the page's address: absolute
    feed = ET.parse(site.output / "feeds" / "all.atom.xml").getroot()
    entry_links = [e.get("href") for e in feed.iter(f"{ATOM}link") if e.get("rel") == "alternate"]
    assert entry_links and all(h.startswith(server.base + "/") for h in entry_links)
    assert f"Sitemap: {server.base}/sitemap.xml" in (site.output / "robots.txt").read_text()
