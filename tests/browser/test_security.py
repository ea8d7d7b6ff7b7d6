"""The built site against hostile dumps: valid HTML, a strict CSP, and nothing from a dump runs.

A dump planting every string of ``tests/badinput/generate.py:HOSTILE`` in a kicker, a
title, a subtitle, a byline line, a photo caption and the body is converted and built
next to the bundled edition.  Then:

* every HTML page parses with html5lib in strict mode (no parse error), and passes the
  current Nu checker (``vnu.jar`` from npm's ``vnu-jar``, needs Java; skipped without it);
* every page carries a Content-Security-Policy ``<meta>`` whose ``script-src`` allows no
  inline script (no ``'unsafe-inline'``, ``'unsafe-eval'``, ``data:`` or ``*``) unless it is
  hashed, and every inline script of the page is allowed by its hash; no page has an
  ``on…=`` event attribute or a ``javascript:`` URL;
* in Chromium, each article page, the edition, the home page and the search page
  (queried for the hostile strings) runs nothing: no dialog, ``window.__pwned`` stays
  undefined, no request leaves the test server; and the hostile text is shown as text
  (its characters are in the page's visible text) once the converter has read what is a
  layout tool's markup in it (``HOSTILE_SHOWN``: tags, links and picture references are
  decoration, dropped and reported, never shown live).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree

import html5lib
import pytest

from converters.gold import norm
from tests.badinput.figures import record
from tests.badinput.generate import HOSTILE, HOSTILE_SHOWN
from tests.conftest import ROOT, run_converter, run_pelican
from tests.support.nu import check_site, unexplained

PLACES = ("kicker", "title", "subtitle", "byline line", "caption", "body")
META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
DATA_BLOCK = re.compile(r"""\btype\s*=\s*["']?application/(?:ld\+)?json""", re.I)
URL_ATTRS = ("href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href")
FIGURES: dict[str, int] = {}


def hostile_edition() -> str:
    """One page: article i plants HOSTILE[i] in every place a dump's text can go."""
    parts = ["2024年3月17日 星期日\n\n今日4版 第27323期\n\n"]
    for i, s in enumerate(HOSTILE, start=1):
        # (A kicker 引题1 would read as a folio, page name and number, and move the page to 1.)
        parts.append(f"### 这是第{i}篇的引题{s}\n\n## 第{i}篇{s}标题\n\n### ——副题{i}{s}\n\n本报记者 张三{s}\n\n"
                     f"图{i}{s}说明 李四 摄\n\n第{i}篇正文开头。{s}正文结尾。\n\n")
    return "".join(parts)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    raw = tmp / "raw" / "zjrb"
    (raw / "2024-03-17").mkdir(parents=True)
    shutil.copy(ROOT / "raw" / "zjrb" / "paper.toml", raw / "paper.toml")
    shutil.copy(ROOT / "raw" / "zjrb" / "2024-03-17" / "01.txt", raw / "2024-03-17" / "01.txt")
    (raw / "2024-03-17" / "05.txt").write_text(hostile_edition(), encoding="utf-8")
    content, output = tmp / "content" / "zjrb", tmp / "output"
    conv = run_converter(raw, content, "zjrb")
    assert conv.returncode == 0, conv.stdout + conv.stderr
    built = run_pelican(content, output, ROOT / "pelicanconf.py", "zjrb",
                        extra_env={"EPAPER_CACHE_DIR": str(tmp / "cache")})
    assert built.returncode == 0, built.stdout + built.stderr
    FIGURES["planted"] = len(HOSTILE) * len(PLACES)
    return content, output


def html_pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def test_every_page_parses_strictly(hostile_site):
    _, output = hostile_site
    pages = html_pages(output)
    assert len(pages) > 50
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    bad = {}
    for p in pages:
        try:
            parser.parse(p.read_bytes())
        except Exception as exc:  # html5lib raises ParseError at the first error
            bad[p.relative_to(output).as_posix()] = str(exc)
    assert bad == {}
    FIGURES["html_pages_checked"] = len(pages)


def test_nu_validator(hostile_site):
    """The current Nu checker (vnu.jar from npm's vnu-jar) finds nothing on any page or CSS file."""
    _, output = hostile_site
    messages = check_site(output)
    assert [str(m) for m in messages if m.kind == "error"] == []
    assert [str(m) for m in unexplained(messages)] == []
    FIGURES["nu_validated_pages"] = len(html_pages(output))


def _directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = words[1:]
    return out


def test_every_page_has_a_strict_csp_and_no_inline_code(hostile_site):
    _, output = hostile_site
    for p in html_pages(output):
        text = p.read_text(encoding="utf-8")
        rel = p.relative_to(output).as_posix()
        m = META_CSP.search(text)
        assert m, f"{rel}: no Content-Security-Policy meta"
        d = _directives(m.group(1).replace("&#39;", "'").replace("&quot;", '"'))
        script = d.get("script-src", d.get("default-src"))
        assert script is not None, f"{rel}: CSP without script-src or default-src"
        for forbidden in ("'unsafe-inline'", "'unsafe-eval'", "data:", "*", "http:", "https:"):
            assert forbidden not in script, f"{rel}: script-src allows {forbidden}"
        assert d.get("object-src") == ["'none'"], f"{rel}: object-src is not 'none'"
        assert "base-uri" in d, f"{rel}: no base-uri"
        hashes = {s.strip("'") for s in script if s.startswith("'sha")}
        for attrs, body in INLINE_SCRIPT.findall(text):
            if DATA_BLOCK.search(attrs):  # JSON-LD: data, not script; dump text must stay inside it
                assert "<" not in body, f"{rel}: '<' unescaped inside a JSON data block"
                json.loads(body)
                continue
            digest = "sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
            assert digest in hashes, f"{rel}: inline script not allowed by a hash in the CSP"
        for el in html5lib.parse(text, namespaceHTMLElements=False).iter():
            for name, value in el.attrib.items():
                assert not name.lower().startswith("on"), f"{rel}: event handler attribute {name}={value!r}"
                if name.lower() in URL_ATTRS:
                    assert not re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "vbscript:")), \
                        f"{rel}: script URL {value!r}"
            if el.tag in ("iframe", "object", "embed", "svg", "math", "style", "base"):
                pytest.fail(f"{rel}: <{el.tag}> element in the page")
        assert "<script>window.__pwned" not in text and "<img src=x" not in text, f"{rel}: markup unescaped"


def test_feeds_and_data_carry_dump_text_as_text(hostile_site):
    """Atom feeds parse as XML; their HTML parts (summary, content) hold no markup from a dump."""
    _, output = hostile_site
    atom = "{http://www.w3.org/2005/Atom}"
    feeds = sorted(output.rglob("*.xml"))
    entries = 0
    for p in feeds:
        root = ElementTree.parse(p).getroot()  # well-formed, or this raises
        for entry in root.iter(f"{atom}entry"):
            entries += 1
            for part in ("summary", "content"):
                el = entry.find(f"{atom}{part}")
                if el is None or el.get("type") != "html" or not el.text:
                    continue
                for node in html5lib.parse(el.text, namespaceHTMLElements=False).iter():
                    assert node.tag not in ("script", "img", "svg", "iframe", "style", "a", "object"), \
                        f"{p.name}: <{node.tag}> from a dump in an entry's {part}: {el.text[:200]!r}"
                    assert not any(a.lower().startswith("on") for a in node.attrib), f"{p.name}: event attribute"
    assert entries > 0
    for p in sorted(output.rglob("*.json")):
        json.loads(p.read_text(encoding="utf-8"))
    FIGURES["feeds_checked"] = len(feeds)


def _article_pages(output: Path) -> list[Path]:
    """The hostile edition's article pages (``2024/03/17/05/<slug>/index.html``), in HOSTILE's order."""
    by_number = {}
    for p in (output / "2024" / "03" / "17" / "05").glob("*/index.html"):
        m = re.search(r"<title>第(\d+)篇", p.read_text(encoding="utf-8"))
        assert m, f"{p}: no numbered title"
        by_number[int(m.group(1))] = p
    return [by_number[i] for i in sorted(by_number)]


@pytest.mark.browser
def test_nothing_from_a_dump_runs_in_chromium(hostile_site, serve_site, browser, request):
    _, output = hostile_site
    server = serve_site(output)
    control = output.parent / "control"  # the payload unescaped, no CSP: the detector must see it run
    control.mkdir(exist_ok=True)
    (control / "index.html").write_text("<!doctype html><title>c</title>" + HOSTILE[1], encoding="utf-8")
    control_base = serve_site(control).base
    hosts = {urlsplit(server.base).netloc, urlsplit(control_base).netloc}
    articles = _article_pages(output)
    assert len(articles) == len(HOSTILE), [p.parent.name for p in articles]
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    foreign: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    def route(r) -> None:
        url = r.request.url
        if urlsplit(url).netloc not in hosts:
            foreign.append(url)
            r.abort()
        else:
            r.continue_()

    page.route("**/*", route)
    page.goto(control_base + "/")
    page.wait_for_timeout(100)
    assert page.evaluate("typeof window.__pwned") == "number", "the detector does not see an executed payload"
    executed = 0
    shown_missing: list[str] = []
    urls = [server.base + "/" + p.relative_to(output).parent.as_posix() + "/" for p in articles]
    urls += [server.base + "/", server.base + "/2024/03/17/", server.base + "/archive/"]
    urls += [f"{server.base}/search/?q={quote(q)}" for q in ("第1篇", "pwned", "script", "标题")]
    try:
        for url in urls:
            page.goto(url, wait_until="load")
            page.wait_for_timeout(50)
            if page.evaluate("typeof window.__pwned") != "undefined":
                executed += 1
        for i, (s, path) in enumerate(zip(HOSTILE, articles, strict=True), start=1):
            page.goto(server.base + "/" + path.relative_to(output).parent.as_posix() + "/")
            visible = norm(page.inner_text("body"))
            shown = HOSTILE_SHOWN[s][0]  # what is left once the layout tool's markup is read
            for piece in (f"第{i}篇正文开头。{shown}正文结尾。", f"第{i}篇{shown}标题", f"图{i}{shown}说明"):
                if norm(piece) not in visible:
                    shown_missing.append(f"article {i}: {piece!r}")
            title = page.title()
            assert f"第{i}篇" in title, title
    finally:
        context.close()
    FIGURES.update({"pages_loaded_in_chromium": len(urls), "executed": executed + len(dialogs),
                    "dialogs": len(dialogs), "external_requests": len(foreign)})
    record(request.config, "security", dict(FIGURES))
    assert dialogs == [], dialogs
    assert executed == 0
    assert foreign == [], foreign
    assert shown_missing == [], shown_missing


def test_csv_cells_from_a_dump_never_start_a_formula():
    """The yearly CSV opens in spreadsheets (it has Excel's BOM): a title, kicker, byline…
    starting with = + - @ (CSV injection) gets a leading ' there, other text is unchanged."""
    import csv
    import datetime as dt
    import io
    import sys

    sys.path.insert(0, str(ROOT / "plugins"))
    from epaper_site.export import index_csv
    from epaper_site.model import Story

    hostile = Story(slug="a", title='=HYPERLINK("http://x","点")', date=dt.date(2024, 3, 17), page=1, order=1,
                    kicker="+1+1", subtitle="-2", authors=["@张三", "李四"], dateline="\t本报讯",
                    cities=["杭州"], topics=["=cmd|' /c calc'!A0"], section="要闻", url="2024/03/17/01/a/")
    plain = Story(slug="b", title="营商环境，“优”无止境", date=dt.date(2024, 3, 17), page=1, order=2,
                  kicker="a=b", authors=["张三"], url="2024/03/17/01/b/")
    rows = list(csv.DictReader(io.StringIO(index_csv([hostile, plain], {}, ""))))
    bad = rows[0]
    for field in ("Title", "Kicker", "Subtitle", "Authors", "Dateline", "Topics"):
        assert bad[field].startswith("'"), (field, bad[field])
        assert bad[field][1] in "=+-@\t", (field, bad[field])
    assert bad["Title"] == "'" + hostile.title and bad["Authors"] == "'@张三, 李四"
    assert bad["Section"] == "要闻" and bad["Cities"] == "杭州"
    good = rows[1]
    assert good["Title"] == plain.title and good["Kicker"] == "a=b" and good["Authors"] == "张三"
