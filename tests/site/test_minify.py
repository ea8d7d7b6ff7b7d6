"""Publish builds write minified HTML (plugins/epaper_site/writer.py): valid, and rendered the same.

The preview keeps readable markup; what GitHub Pages hosts is minified by minify-html (end
tags kept).  A minifier may only drop what does not show: these tests take the built sites
of both papers (page views with their regions included), minify every page as the writer
does, and check the copies with the Nu checker and, page kind by page kind, against the
originals in Chromium, pixel for pixel, at phone and desktop widths.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import html5lib
import pytest

from plugins.epaper_site import writer
from tests.support.nu import check_site, checked_files, unexplained

#: Attributes minify-html drops because their value is the default (the same to a browser).
DEFAULTS = {("form", "method", "get"), ("input", "type", "text"), ("script", "type", "text/javascript"),
            ("style", "type", "text/css"), ("link", "type", "text/css"), ("button", "type", "submit")}


def elements(root) -> list[tuple[str, list]]:
    return [(e.tag, sorted((k, v) for k, v in e.attrib.items() if (e.tag, k, v.lower()) not in DEFAULTS))
            for e in root.iter()]


def minified_copy(src: Path, dst: Path) -> tuple[int, int]:
    """``src`` copied to ``dst`` with every HTML page minified; (bytes before, after)."""
    shutil.copytree(src, dst)
    before = after = 0
    for page in dst.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        small = writer.minified(text)
        page.write_text(small, encoding="utf-8")
        before += len(text.encode())
        after += len(small.encode())
    return before, after


@pytest.fixture(scope="module")
def minified_sites(printed_site, tmp_path_factory):
    root = tmp_path_factory.mktemp("minified")
    sizes = {p: minified_copy(printed_site.output[p], root / p) for p in ("zjrb", "rmrb")}
    return root, sizes


def test_minified_pages_are_smaller_and_keep_their_content(printed_site, minified_sites):
    root, sizes = minified_sites
    for paper, (before, after) in sizes.items():
        assert after < before * 0.97, (paper, before, after)  # ~4-6 % of the HTML
        for page in (root / paper).rglob("*.html"):
            rel = page.relative_to(root / paper)
            small = page.read_text(encoding="utf-8")
            assert ">\n<" not in small, rel
            full, mini = (html5lib.parse(p.read_bytes(), namespaceHTMLElements=False)
                          for p in (printed_site.output[paper] / rel, page))
            # the same elements with the same attributes (but defaults), in the same order
            assert elements(full) == elements(mini), rel
            # and the same text, but for whitespace between tags
            assert "".join("".join(full.itertext()).split()) == "".join("".join(mini.itertext()).split()), rel


def test_minified_pages_pass_the_nu_checker(minified_sites):
    root, _ = minified_sites
    messages = check_site(root)
    pages, css = checked_files(root)
    print(f"\nNu checker on minified pages: {pages} pages, {css} CSS files, "
          f"{sum(m.kind == 'error' for m in messages)} errors")
    bad = unexplained(messages)
    assert not bad, "\n".join(map(str, bad[:30]))


def _pages(site: Path) -> list[str]:
    """One page of each kind, and every page (版) of the edition (the page views)."""
    def first(pattern: str) -> list[str]:
        found = sorted(site.glob(pattern))
        return [found[0].relative_to(site).as_posix()] if found else []

    kinds = ["index.html", "404.html", "search/index.html", "archive/index.html", "city/index.html"]
    kinds += first("city/*/index.html") + first("topic/*/index.html") + first("reporter/*/index.html")
    kinds += first("[0-9]*/*/*/index.html")  # an edition
    kinds += sorted(p.relative_to(site).as_posix() for p in site.glob("[0-9]*/*/*/[0-9]*/index.html"))
    kinds += [p.relative_to(site).as_posix() for p in sorted(site.glob("[0-9]*/*/*/[0-9]*/*/index.html"))[:3]]
    return [k for k in kinds if (site / k).is_file()]


def test_minified_pages_render_the_same(printed_site, minified_sites, browser, serve_site):
    from PIL import Image, ImageChops

    root, _ = minified_sites
    compared = 0
    for paper in ("zjrb", "rmrb"):
        servers = serve_site(printed_site.output[paper]), serve_site(root / paper)
        pages = _pages(printed_site.output[paper])
        assert any("/01/index.html" in p for p in pages)
        for width in (375, 1280):
            context = browser.new_context(viewport={"width": width, "height": 900})
            tab = context.new_page()
            for rel in pages:
                shots = []
                for server in servers:
                    tab.goto(f"{server.base}/{rel.removesuffix('index.html')}")
                    tab.wait_for_load_state("networkidle")
                    shots.append(Image.open(io.BytesIO(tab.screenshot(
                        full_page=True, animations="disabled", caret="hide"))).convert("RGB"))
                assert shots[0].size == shots[1].size, (paper, width, rel)
                # Chromium's anti-aliasing of a rounded corner varies by one level between two
                # loads of the very same page; anything a minifier could change is far more.
                diff = ImageChops.difference(*shots).point(lambda v: 255 if v > 2 else 0)
                assert diff.getbbox() is None, (paper, width, rel, diff.getbbox())
                compared += 1
            context.close()
    print(f"\nminified against full pages: {compared} page renderings identical")


def test_the_writer_minifies_html_only_when_asked(tmp_path):
    page, feed = tmp_path / "a.html", tmp_path / "feed.xml"
    text = ('<!doctype html>\n<html lang="zh-CN">\n<head>\n<title>t</title>\n</head>\n'
            '<body>\n<p class="x">正文</p>\n</body>\n</html>\n')
    settings = type("P", (), {"settings": {"EPAPER_MINIFY_HTML": True}})
    try:
        writer.configure(settings)
        writer.write_if_changed(page, text)
        writer.write_if_changed(feed, "<feed>\n<entry/>\n</feed>\n")
        assert page.read_text() == ("<!doctype html><html lang=zh-CN><head><title>t</title></head>"
                                    "<body><p class=x>正文</p></body></html>")
        assert feed.read_text() == "<feed>\n<entry/>\n</feed>\n"  # XML is not HTML
        writer.configure(type("P", (), {"settings": {}}))
        writer.write_if_changed(page, text)
        assert page.read_text() == text
    finally:
        writer.configure(type("P", (), {"settings": {}}))
