"""The built site's structure, read with a real HTML parser (html5lib).

Two builds: the bundled edition (``built_site``: the real converter and pelicanconf.py)
and a small hand-made archive written here, which has what the bundled edition lacks:
two pages with a jump between them, two editions, a title inferred from the lead, and
two reporters whose names share a pinyin (汤丽, 唐丽).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import pytest

from epaper_contract import CITIES, TOPICS, split_list
from tests.conftest import ROOT, BuiltSite, run_pelican

ATOM = "{http://www.w3.org/2005/Atom}"


# -- helpers --------------------------------------------------------------------------------

def parse(path: Path) -> Element:
    """Parse strictly: a page html5lib has to repair is a bug."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(path.read_bytes(), transport_encoding="utf-8")


def text(el: Element | None) -> str:
    return "".join(el.itertext()).strip() if el is not None else ""


def by_class(root: Element, cls: str, tag: str = "*") -> list[Element]:
    return [e for e in root.iter(tag) if cls in (e.get("class") or "").split()]


def one(root: Element, cls: str, tag: str = "*") -> Element:
    found = by_class(root, cls, tag)
    assert found, f"no .{cls}"
    return found[0]


def story_list(root: Element) -> list[Element]:
    """The entries of a city/topic/reporter list: ``<ol class="story-list">`` items."""
    return [li for ol in by_class(root, "story-list", "ol") for li in ol.findall("li")]


def listed_titles(root: Element) -> list[str]:
    """The headline of each entry of a city/topic/reporter list (its first link)."""
    return [text(li.find("a")) for li in story_list(root)]


def hrefs(root: Element) -> list[str]:
    return [a.get("href") for a in root.iter("a") if a.get("href")]


def resolve(output: Path, page: Path, href: str) -> Path:
    """The file an internal relative href points to (directories serve index.html)."""
    target = (page.parent / href.split("#")[0]).resolve()
    return target / "index.html" if target.is_dir() or href.split("#")[0].endswith("/") else target


def read_meta(md: Path) -> dict[str, str]:
    """The header of a content file (the contract's ``Key: value`` lines)."""
    head = md.read_text(encoding="utf-8").split("\n\n", 1)[0]
    out = {}
    for line in head.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            out[k.strip()] = v.strip()
    return out


def articles_of(site: BuiltSite) -> list[dict[str, str]]:
    return [read_meta(p) for p in sorted(site.content.rglob("*.md"))]


def article_file(site: BuiltSite, meta: dict[str, str]) -> Path:
    """Where the article with this metadata must be: under its page, slug prefix stripped."""
    y, m, d = meta["Date"].split("-")
    pp = f"{int(meta['Page']):02d}"
    tail = meta["Slug"].removeprefix(f"{y}{m}{d}-{pp}-")
    return site.output / y / m / d / pp / tail / "index.html"


# -- the bundled edition --------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(built_site: BuiltSite) -> BuiltSite:
    return built_site


@pytest.fixture(scope="module")
def metas(site: BuiltSite) -> list[dict[str, str]]:
    found = articles_of(site)
    assert found, "the converter wrote no articles"
    return found


def test_every_article_has_a_page_under_its_page(site, metas):
    for meta in metas:
        assert article_file(site, meta).is_file(), meta["Slug"]


def test_home_is_the_latest_edition(site, metas):
    latest = max(m["Date"] for m in metas)
    home = parse(site.output / "index.html")
    assert home.get("lang") == "zh-CN"
    h1 = text(home.find(".//h1"))
    y, m, d = (int(x) for x in latest.split("-"))
    assert f"{y}年{m}月{d}日" in h1
    titles = {text(e) for e in by_class(home, "hl-title")}
    assert {mm["Title"] for mm in metas if mm["Date"] == latest} <= titles


def test_edition_page_lists_every_page_and_headline(site, metas):
    date = metas[0]["Date"]
    y, m, d = date.split("-")
    root = parse(site.output / y / m / d / "index.html")
    cards = by_class(root, "page-card", "section")
    pages = sorted({int(mm["Page"]) for mm in metas if mm["Date"] == date})
    assert [text(c.find("h2"))[:4] for c in cards] == [f"第{p:02d}版" for p in pages]
    listed = [text(e) for e in by_class(root, "hl-title")]
    assert sorted(listed) == sorted(mm["Title"] for mm in metas if mm["Date"] == date)
    links = hrefs(root)
    assert any(h.endswith(f"data/{date}.json") for h in links)
    assert any(h.endswith(f"data/articles-{y}.csv") for h in links)


def test_page_shows_headlines_in_order_with_leads(site, metas):
    meta = metas[0]
    y, m, d = meta["Date"].split("-")
    pp = f"{int(meta['Page']):02d}"
    root = parse(site.output / y / m / d / pp / "index.html")
    on_page = sorted((mm for mm in metas if mm["Date"] == meta["Date"] and mm["Page"] == meta["Page"]),
                     key=lambda mm: int(mm["Order"]))
    assert [text(e) for e in by_class(root, "hl-title")] == [mm["Title"] for mm in on_page]
    # Every story's lead, made from its text (the converter writes no Summary: a hand edit of
    # the body reaches the page lists and the description).
    leads = [text(e) for e in by_class(root, "lead", "p")]
    assert len(leads) == len(on_page) and all(leads)
    current = [a for a in one(root, "pagenav", "nav").iter("a") if a.get("aria-current") == "page"]
    assert [text(a)[:4] for a in current] == [f"第{pp}版"]


def test_article_page_sets_the_headline_byline_and_edition_line(site, metas):
    meta = next(mm for mm in metas if mm.get("Kicker") and mm.get("Authors"))
    root = parse(article_file(site, meta))
    head = one(root, "story-head", "header")
    assert text(one(head, "kicker")) == meta["Kicker"]
    assert text(head.find("h1")) == meta["Title"]
    byline = text(one(head, "byline"))
    assert byline.startswith("记者")
    for name in split_list(meta["Authors"]):
        assert name in byline
    y, m, d = (int(x) for x in meta["Date"].split("-"))
    line = re.sub(r"\s+", " ", text(one(head, "edition-line")))
    issue = f" 第{meta['Issue']}期" if meta.get("Issue") else ""
    assert line.startswith(f"{y}年{m}月{d}日{issue} 第{int(meta['Page']):02d}版")
    # city and topic links go to pages that list this article
    for cls, key in (("city", CITIES), ("topic", TOPICS)):
        tags = [a for p in by_class(root, "tags", "p") if cls in p.get("class").split() for a in p.iter("a")]
        assert [text(a) for a in tags] == split_list(meta.get(key))
        for a in tags:
            target = parse(resolve(site.output, article_file(site, meta), a.get("href")))
            assert meta["Title"] in listed_titles(target)
    # the folio line links the edition and the page
    folio = [resolve(site.output, article_file(site, meta), a.get("href")) for a in one(head, "edition-line").iter("a")]
    assert folio == [site.output / f"{y:04d}" / f"{m:02d}" / f"{d:02d}" / "index.html",
                     site.output / f"{y:04d}" / f"{m:02d}" / f"{d:02d}" / f"{int(meta['Page']):02d}" / "index.html"]


def test_article_json_ld_and_opengraph(site, metas):
    meta = metas[0]
    root = parse(article_file(site, meta))
    scripts = [s for s in root.iter("script") if s.get("type") == "application/ld+json"]
    assert len(scripts) == 1
    data = json.loads(scripts[0].text)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == meta["Title"]
    assert data["printPage"] == str(int(meta["Page"]))
    if meta.get("Issue"):
        assert data["printEdition"] == f"第{meta['Issue']}期"
    assert data["datePublished"] == meta["Date"]
    assert [a["name"] for a in data.get("author", [])] == split_list(meta.get("Authors"))
    assert data["isPartOf"]["name"] == meta["Paper"]
    # what the page shows (section, correspondents, topics) or every page shares (publisher) is not repeated
    assert not {"printSection", "contributor", "keywords", "publisher", "description"} & set(data)
    og = {m.get("property"): m.get("content") for m in root.iter("meta") if m.get("property")}
    assert og["og:type"] == "article"
    assert og["og:title"] == meta["Title"]


def test_inferred_titles_are_marked(site, metas):
    inferred = [mm for mm in metas if mm.get("TitleInferred") == "true"]
    plain = [mm for mm in metas if mm.get("TitleInferred") != "true"]
    assert inferred, "the bundled edition has articles that lost their headline"
    for mm in inferred:
        assert by_class(parse(article_file(site, mm)), "inferred"), mm["Slug"]
    for mm in plain:
        assert not by_class(parse(article_file(site, mm)), "inferred"), mm["Slug"]


def test_jump_to_a_page_not_in_the_archive_is_plain_text(site, metas):
    jumping = [mm for mm in metas if mm.get("ContinuedOn")]
    assert jumping
    pages = {(mm["Date"], int(mm["Page"])) for mm in metas}
    for mm in jumping:
        line = one(parse(article_file(site, mm)), "jumpline", "p")
        assert f"下转第{int(mm['ContinuedOn']):02d}版" in text(line)
        has_target = (mm["Date"], int(mm["ContinuedOn"])) in pages
        assert bool(list(line.iter("a"))) == has_target


def test_archive_calendar_links_every_edition(site, metas):
    root = parse(site.output / "archive" / "index.html")
    linked = set()
    for td in root.iter("td"):
        for a in td.iter("a"):
            linked.add(resolve(site.output, site.output / "archive" / "index.html", a.get("href")))
    for date in {mm["Date"] for mm in metas}:
        assert site.output / Path(*date.split("-")) / "index.html" in linked
    assert root.find(".//table/caption") is not None


@pytest.mark.parametrize("kind,key", [("city", CITIES), ("topic", TOPICS), ("reporter", "Authors")])
def test_tag_index_counts_and_tag_pages(site, metas, kind, key):
    expected: dict[str, int] = {}
    for mm in metas:
        names = split_list(mm.get(key))
        if kind == "reporter":
            names += split_list(mm.get("Correspondents"))
        for n in dict.fromkeys(names):
            expected[n] = expected.get(n, 0) + 1
    assert expected, f"no {kind} in the bundled edition"
    index = site.output / kind / "index.html"
    root = parse(index)
    items = {text(li.find("a")): (li.find("a").get("href"), text(one(li, "count")).removesuffix("篇"))
             for li in root.iter("li") if li.find("a") is not None and by_class(li, "count")}
    assert {n: int(c) for n, (_, c) in items.items()} == expected
    for name, (href, count) in items.items():
        page = parse(resolve(site.output, index, href))
        assert name in text(page.find(".//h1"))
        assert len(story_list(page)) == min(int(count), 50)


def test_feeds_whole_paper_and_per_city_and_topic(site, metas):
    feed = ET.parse(site.output / "feeds" / "all.atom.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert len(metas) <= 50, "the bundled edition fits in one feed"
    assert sorted(titles) == sorted(mm["Title"] for mm in metas)
    city = split_list(metas[0].get(CITIES))[0]
    city_page = parse(site.output / "city" / "index.html")
    href = next(a.get("href") for a in city_page.iter("a") if text(a) == city)
    slug = href.rstrip("/").rsplit("/", 1)[-1]
    cfeed = ET.parse(site.output / "feeds" / "city" / f"{slug}.atom.xml").getroot()
    ctitles = [e.findtext(f"{ATOM}title") for e in cfeed.iter(f"{ATOM}entry")]
    assert metas[0]["Title"] in ctitles
    assert len(ctitles) == sum(1 for mm in metas if city in split_list(mm.get(CITIES)))
    topics = list((site.output / "feeds" / "topic").glob("*.atom.xml"))
    assert len(topics) == len({t for mm in metas for t in split_list(mm.get(TOPICS))})


def test_edition_json_has_every_article_with_metadata(site, metas):
    date = metas[0]["Date"]
    raw = (site.output / "data" / f"{date}.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    assert data["schema"] == 3 and data["date"] == date
    assert data["paper"]["slug"] == site.paper
    arts = [(p, a) for p in data["pages"] for a in p["articles"]]
    mine = {mm["Slug"]: mm for mm in metas if mm["Date"] == date}
    assert {a["Slug"] for _, a in arts} == set(mine)
    assert len(raw.splitlines()) >= len(arts)  # one article a line
    for p, a in arts:
        mm = mine[a["Slug"]]
        assert a["Title"] == mm["Title"]
        assert a.get("Authors", []) == split_list(mm.get("Authors"))
        assert a.get("Cities", []) == split_list(mm.get(CITIES))
        assert p["page"] == int(mm["Page"]) and p["section"] == mm.get("Section", "")
        assert isinstance(a["Order"], int)
        # the text is the article page's, not repeated here; its length is
        assert not {"Text", "Summary", "Source"} & set(a) and a["Characters"] > 20
        assert not {"Date", "Page", "Section", "Paper", "Issue"} & set(a)  # given once, above
        assert all(v not in ("", None, [], False) for v in a.values())  # empty values left out
        page = resolve(site.output, site.output / "index.html", a["URL"].removeprefix(site.siteurl).lstrip("/"))
        assert page == article_file(site, mm)
        body = text(one(parse(page), "story-body"))
        assert abs(len(body) - a["Characters"]) < len(body) // 5


def test_csv_index_has_one_row_per_article(site, metas):
    year = metas[0]["Date"][:4]
    raw = (site.output / "data" / f"articles-{year}.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert "Summary" not in rows[0]  # the lead is the article page's (URL)
    assert {r["Slug"] for r in rows} == {mm["Slug"] for mm in metas if mm["Date"].startswith(year)}
    by_slug = {mm["Slug"]: mm for mm in metas}
    for r in rows:
        assert r["Title"] == by_slug[r["Slug"]]["Title"]
        assert int(r["Characters"]) > 0
        assert r["URL"].endswith("/")


def test_every_page_has_landmarks_search_csp_and_no_inline_script(site):
    pages = sorted(site.output.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        root = parse(path)
        assert root.get("lang") == "zh-CN", path
        csp = [m.get("content") for m in root.iter("meta")
               if m.get("http-equiv") == "Content-Security-Policy"]
        assert csp and ("script-src 'self'" in csp[0] or
                        ("default-src 'self'" in csp[0] and "script-src" not in csp[0])), path
        for s in root.iter("script"):
            assert s.get("src") or s.get("type") == "application/ld+json", f"inline script in {path}"
        # banner and contentinfo: the header and footer that are children of <body> (implicit roles)
        body = root.find("body")
        assert root.find(".//main") is not None and body.find("header") is not None, path
        assert body.find("footer") is not None, path
        assert not [e for e in root.iter() if e.get("role") in ("banner", "contentinfo", "main")], path
        skip = root.find(".//body/a")
        assert skip is not None and skip.get("href") == "#main"
        form = root.find(".//form[@role='search']")
        assert form is not None and (form.get("method") or "get") == "get" and form.get("action").endswith("search/")
        assert form.find(".//input[@type='search'][@name='q']") is not None


def test_sitemap_robots_404(site, metas):
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = ET.parse(site.output / "sitemap.xml").getroot()
    assert index.tag == f"{ns}sitemapindex"
    files = [e.text.split("/sitemaps/", 1)[1] for e in index.iter(f"{ns}loc")]
    assert files and all(f.endswith(".xml.gz") for f in files)
    locs = [e.text for f in files
            for e in ET.fromstring(gzip.decompress((site.output / "sitemaps" / f).read_bytes())).iter(f"{ns}loc")]
    y, m, d = metas[0]["Date"].split("-")
    assert any(loc.endswith(f"/{y}/{m}/{d}/") for loc in locs)
    assert any(loc.endswith("/city/") for loc in locs)
    assert not any("404" in loc for loc in locs)
    assert "User-agent" in (site.output / "robots.txt").read_text()
    assert "找不到" in text(parse(site.output / "404.html").find(".//h1"))


# -- a hand-made archive: homophone reporters, jumps, two editions ----------------------------

HAND = {
    "2024-03-16/01/20240316-01-zaoqi.md": dict(
        Title="早期新闻", Authors="唐丽", Page=1, Order=1, Cities="杭州", Topics="营商环境",
        body="前一天的消息。"),
    "2024-03-17/01/20240317-01-tiaozhuan.md": dict(
        Title="跳转的报道", Kicker="引题在此", Authors="汤丽", Correspondents="唐丽", Page=1, Order=1,
        ContinuedOn=2, ContinuedOnSlug="20240317-02-tiaozhuan-xu", Cities="杭州, 绍兴", Topics="营商环境",
        Dateline="本报讯",
        body="第一版的开头。\n\n### 小标题\n\n第一版的结尾。"),
    "2024-03-17/01/20240317-01-daoyu.md": dict(
        Title="据导语拟的标题", TitleInferred="true", Authors="汤丽", Page=1, Order=2, Cities="绍兴",
        body="据导语拟的标题就是这一句。"),
    "2024-03-17/02/20240317-02-tiaozhuan-xu.md": dict(
        Title="跳转的报道", Authors="汤丽", Page=2, Order=1, ContinuedFrom=1,
        ContinuedFromSlug="20240317-01-tiaozhuan", Cities="杭州", body="第二版接着写。"),
    "2024-03-17/02/20240317-02-lingyipian.md": dict(
        Title="另一篇<script>alert(1)</script>", Authors="唐丽", Page=2, Order=2, ContinuedOn=3,
        Cities="杭州", body="没有第三版。"),
}


def write_hand_content(root: Path) -> None:
    for rel, spec in HAND.items():
        spec = dict(spec)
        body = spec.pop("body")
        date, pp, name = rel.split("/")
        head = {"Title": spec.pop("Title"), **{k: str(v) for k, v in spec.items()},
                "Date": date, "Paper": "测试日报", "PaperSlug": "zjrb", "Issue": "100",
                "Pages": "2", "Section": "要闻" if pp == "01" else "综合", "Slug": name[:-3],
                "Summary": body.split("\n")[0]}
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(f"{k}: {v}" for k, v in head.items()) + "\n\n" + body + "\n",
                        encoding="utf-8")


@pytest.fixture(scope="module")
def hand(tmp_path_factory) -> BuiltSite:
    tmp = tmp_path_factory.mktemp("hand")
    content = tmp / "content" / "zjrb"
    write_hand_content(content)
    settings = tmp / "settings.py"
    settings.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
                        "EPAPER_PER_PAGE = 2\n", encoding="utf-8")
    out = tmp / "output"
    built = run_pelican(content, out, settings, "zjrb",
                        extra_env={"EPAPER_CACHE_DIR": str(tmp / "cache")})
    assert built.returncode == 0, built.stdout + built.stderr
    return BuiltSite(paper="zjrb", content=content, output=out, siteurl="")


def test_homophone_reporters_get_two_pages(hand):
    index = parse(hand.output / "reporter" / "index.html")
    links = {text(a): a.get("href") for a in index.iter("a") if text(a) in {"汤丽", "唐丽"}}
    assert set(links) == {"汤丽", "唐丽"}
    assert links["汤丽"] != links["唐丽"]
    for name, count in (("汤丽", 3), ("唐丽", 3)):
        page_file = resolve(hand.output, hand.output / "reporter" / "index.html", links[name])
        root = parse(page_file)
        assert name in text(root.find(".//h1"))
        assert f"{count}篇" in text(root.find(".//h1"))
        # paginated by 2: the newest two on the root page; archive pages are numbered
        # from the oldest (page/1/ = the oldest two), so a new article never renumbers them
        assert len(story_list(root)) == 2
        nxt = one(root, "pager", "nav").find(".//a[@rel='next']")
        second = parse(resolve(hand.output, page_file, nxt.get("href")))
        assert len(story_list(second)) == 2
        assert "/page/1/" in str(resolve(hand.output, page_file, nxt.get("href")))
        assert f"{count}篇" not in text(second.find(".//h1"))


def test_jump_line_links_the_continued_article_both_ways(hand):
    first = hand.output / "2024/03/17/01/tiaozhuan/index.html"
    second = hand.output / "2024/03/17/02/tiaozhuan-xu/index.html"
    on = one(parse(first), "jumpline", "p").find(".//a")
    assert on is not None and "下转第02版" in text(on)
    assert resolve(hand.output, first, on.get("href")) == second
    back = one(parse(second), "jumpline", "p").find(".//a")
    assert back is not None and "上接第01版" in text(back)
    assert resolve(hand.output, second, back.get("href")) == first
    # a jump to a page the archive lacks stays plain text
    dead = one(parse(hand.output / "2024/03/17/02/lingyipian/index.html"), "jumpline", "p")
    assert "下转第03版" in text(dead) and dead.find(".//a") is None


def test_page_and_edition_navigation(hand):
    p1 = parse(hand.output / "2024/03/17/01/index.html")
    nav = one(p1, "prevnext", "nav")
    assert nav.find(".//a[@rel='prev']") is None
    nxt = nav.find(".//a[@rel='next']")
    assert resolve(hand.output, hand.output / "2024/03/17/01/index.html", nxt.get("href")) == \
        hand.output / "2024/03/17/02/index.html"
    ed = parse(hand.output / "2024/03/17/index.html")
    prev = one(ed, "edition-nav", "nav").find(".//a[@rel='prev']")
    assert "2024年3月16日" in text(prev)
    home = parse(hand.output / "index.html")
    assert "2024年3月17日" in text(home.find(".//h1"))
    # previous/next article crosses pages within the edition
    art = parse(hand.output / "2024/03/17/01/daoyu/index.html")
    nxt = one(art, "prevnext", "nav").find(".//a[@rel='next']")
    assert resolve(hand.output, hand.output / "2024/03/17/01/daoyu/index.html", nxt.get("href")) == \
        hand.output / "2024/03/17/02/tiaozhuan-xu/index.html"


def test_hand_archive_details(hand):
    art = parse(hand.output / "2024/03/17/01/tiaozhuan/index.html")
    head = one(art, "story-head", "header")
    assert text(one(head, "kicker")) == "引题在此"
    byline = re.sub(r"\s+", " ", text(one(head, "byline")))
    assert byline == "记者 汤丽 通讯员 唐丽"
    assert text(one(art, "dateline")) == "本报讯"
    assert [text(h) for h in one(art, "story-body").iter("h2")] == ["小标题"]  # ### under the h1 title: h2
    assert "第100期" in text(one(head, "edition-line"))
    inferred = parse(hand.output / "2024/03/17/01/daoyu/index.html")
    assert "标题据导语拟" in text(one(inferred, "story-head", "header"))
    # hostile text in a title is shown as text, never as markup
    hostile = (hand.output / "2024/03/17/02/lingyipian/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in hostile
    assert "&lt;script&gt;" in hostile
    title = text(parse(hand.output / "2024/03/17/02/lingyipian/index.html").find(".//h1"))
    assert title == "另一篇<script>alert(1)</script>"
    cal = parse(hand.output / "archive/index.html")
    days = sorted(text(a) for td in cal.iter("td") for a in td.iter("a"))
    assert days == ["16", "17"]


# -- the plugin's pure functions --------------------------------------------------------------

def _model():
    """The plugin's model module, imported the way Pelican finds it (PLUGIN_PATHS)."""
    if str(ROOT / "plugins") not in sys.path:
        sys.path.insert(0, str(ROOT / "plugins"))
    from epaper_site import model

    return model


def test_continuations_link_to_the_first_part_the_converter_named():
    """The site pairs nothing: ``ContinuedOnSlug`` and ``ContinuedFromSlug`` say which part each
    part carries on or continues, whatever the titles or the reading order; a slug naming a story
    on another page than its jump line's (a hand edit), or no slug, links nothing."""
    model = _model()
    d = dt.date(2024, 3, 17)
    stories = [
        model.Story(slug="a", title="甲", date=d, page=1, order=1, continued_on=2, continued_on_slug="d"),
        model.Story(slug="b", title="乙", date=d, page=1, order=2, continued_on=2, continued_on_slug="c"),
        model.Story(slug="g", title="戊", date=d, page=1, order=3, continued_on=3, continued_on_slug="c"),
        model.Story(slug="h", title="己", date=d, page=1, order=4, continued_on=3),
        model.Story(slug="c", title="甲", date=d, page=2, order=1, continued_from=1, continued_from_slug="b"),
        model.Story(slug="d", title="乙", date=d, page=2, order=2, continued_from=1, continued_from_slug="a"),
        model.Story(slug="e", title="丙", date=d, page=3, order=1, continued_from=2, continued_from_slug="a"),
        model.Story(slug="f", title="丁", date=d, page=3, order=2, continued_from=1),
    ]
    model.build_newspaper(stories)
    by = {s.slug: s for s in stories}
    assert by["a"].jump_on is by["d"] and by["d"].jump_from is by["a"]
    assert by["b"].jump_on is by["c"] and by["c"].jump_from is by["b"]
    assert by["e"].jump_from is None and by["f"].jump_from is None
    assert by["g"].jump_on is None and by["h"].jump_on is None


def test_tag_slugs_do_not_change_when_a_day_is_added():
    model = _model()
    day1 = [model.Story(slug="x", title="t", date=dt.date(2024, 3, 16), page=1, order=1,
                        authors=["汤丽"], cities=["杭州"])]
    day2 = [model.Story(slug="y", title="t", date=dt.date(2024, 3, 17), page=1, order=1,
                        authors=["唐丽", "汤丽"], cities=["杭州"])]
    before = model.build_newspaper(day1).reporter_slug
    after = model.build_newspaper(day1 + day2).reporter_slug
    assert after["汤丽"] == before["汤丽"]
    assert after["唐丽"] != after["汤丽"]
    assert model.slug_tail("20240317-01-index", dt.date(2024, 3, 17), 1) == "20240317-01-index"


def _filters():
    if str(ROOT / "plugins") not in sys.path:
        sys.path.insert(0, str(ROOT / "plugins"))
    from epaper_site import filters

    return filters


@pytest.mark.parametrize("target,here,siteurl,expected", [
    ("2024/03/17/", "2024/03/17/01/a/", "../../../../..", "../../"),
    ("2024/03/17/01/", "2024/03/17/01/a/", "../../../../..", "../"),
    ("2024/03/17/01/b/", "2024/03/17/01/a/", "../../../../..", "../b/"),
    ("2024/03/17/02/b/", "2024/03/17/01/a/", "../../../../..", "../../02/b/"),
    ("2024/03/18/", "2024/03/17/", "../../..", "../18/"),
    ("city/x/", "2024/03/17/01/a/", "../../../../..", "../../../../../city/x/"),
    ("", "2024/03/17/01/a/", "../../../../..", "../../../../../"),
    ("2024/03/17/01/a/", "2024/03/17/01/a/", "../../../../..", "./"),
    ("city/x/page/2/", "city/x/", "../..", "page/2/"),
    ("city/x/", "city/x/page/2/", "../../../..", "../../"),
    ("feeds/all.atom.xml", "", ".", "feeds/all.atom.xml"),
    ("data/2024-03-17.json", "2024/03/17/", "../../..", "../../../data/2024-03-17.json"),
    ("archive/", "404.html", ".", "archive/"),
    ("2024/03/17/", "2024/03/17/01/a/", "https://x.github.io/repo", "https://x.github.io/repo/2024/03/17/"),
    ("2024/03/17/", "2024/03/17/01/a/", "", "/2024/03/17/"),
])
def test_rel_is_the_shortest_link_that_resolves_to_the_same_page(target, here, siteurl, expected):
    from urllib.parse import urljoin

    got = _filters().rel(target, here, siteurl)
    assert got == expected
    if siteurl.startswith("."):  # relative: resolves like SITEURL/target from the page
        base = "http://h/repo/" + here
        assert urljoin(base, got) == urljoin(base, f"{siteurl}/{target}")


def test_ld_json_is_compact_and_cannot_close_the_script():
    out = str(_filters().ld_json({"b": "</script><b>&'", "a": ["汉字", 1]}))
    assert out == '{"a":["汉字",1],"b":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u0027"}'
    assert json.loads(out) == {"b": "</script><b>&'", "a": ["汉字", 1]}


def test_list_entries_show_headline_and_page_under_their_date(site, metas):
    meta = next(mm for mm in metas if split_list(mm.get(CITIES)))
    city = split_list(meta[CITIES])[0]
    index = site.output / "city" / "index.html"
    href = next(a.get("href") for a in parse(index).iter("a") if text(a) == city)
    page = parse(resolve(site.output, index, href))
    # the list is a heading per date, each followed by the <ol> of that date's entries
    heading, found = None, None
    for el in page.find(".//main"):
        if el.tag == "h2":
            heading = text(el)
        elif "story-list" in (el.get("class") or "").split():
            for li in el.findall("li"):
                if text(li.find("a")) == meta["Title"]:
                    found = (heading, text(li))
    assert found, meta["Title"]
    y, m, d = (int(x) for x in meta["Date"].split("-"))
    assert found[0] == f"{y}年{m}月{d}日"
    assert found[1].endswith(f"第{int(meta['Page']):02d}版")
    dates = [text(h) for h in page.find(".//main").findall("h2")]
    assert len(dates) == len(set(dates))  # one heading per date
