"""Search: tokeniser, index format, the reference query algorithm, and the page in Chromium.

The promise under test is recall: a query of two or more Chinese characters finds every
article containing that exact string, however jieba cuts it.  The unit tests check the
Python reference (``plugins/epaper_search/query.py``) against a plain substring scan on
random text; the browser tests check ``search.js`` the same way on the bundled edition.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "plugins"))

from epaper_search.build import build_index  # noqa: E402
from epaper_search.format import (  # noqa: E402
    decode_bucket,
    decode_days,
    decode_meta,
    decode_postings,
    encode_bucket,
    encode_postings,
    fnv1a,
)
from epaper_search.query import DirFetcher, page_text, search, story_page, write_story_pages  # noqa: E402
from epaper_search.terms import Doc  # noqa: E402
from epaper_search.text import (  # noqa: E402
    html_to_text,
    junction_tokens,
    lookup_tokens,
    normalize,
    query_terms,
    term_tokens,
    tokens,
)

# ---------------------------------------------------------------------------------------
# Tokeniser


def test_tokens_are_bigrams_and_latin_words():
    assert tokens(normalize("绍兴GDP增速2023年")) == ["绍兴", "gdp", "增速", "2023"]
    assert tokens("集成电路") == ["集成", "成电", "电路"]
    assert tokens("鸟") == []  # a lone character: queries need two


def test_normalize_folds_full_width():
    assert normalize("ＧＤＰ５Ｇ") == "gdp5g"
    assert query_terms("  绍兴　“集成电路” ") == ["绍兴", "集成电路"]


@pytest.mark.parametrize(("term", "expected"), [
    ("绍兴", ["绍兴"]),
    ("集成电", ["集成", "成电"]),
    ("集成电路", ["集成", "电路"]),
    ("新质生产力", ["新质", "生产", "产力"]),
    ("产业链上", ["产业", "链上"]),
    ("5g工厂", ["5g", "工厂"]),
    ("鸟", []),
])
def test_term_tokens_cover_every_character(term, expected):
    assert term_tokens(term) == expected


@given(st.text(alphabet="产业链上下游集成电路绍兴", min_size=2, max_size=12))
def test_term_tokens_cover_the_term(term):
    toks = term_tokens(term)
    covered = set()
    for tok in toks:
        start = 0
        while (i := term.find(tok, start)) >= 0:
            covered.update(range(i, i + 2))
            start = i + 1
    assert covered == set(range(len(term)))


def test_lookup_and_junction_tokens():
    assert lookup_tokens("集成电路") == ["集成", "电路"] and junction_tokens("集成电路") == ["成电"]
    assert lookup_tokens("政务服务增值化改革") == ["政务", "增值", "改革"]
    assert junction_tokens("政务服务增值化改革") == ["务服", "化改"]
    assert junction_tokens("绍兴") == [] and junction_tokens("集成电") == []


def test_html_to_text_keeps_blocks_apart():
    assert html_to_text("<p>绍兴&amp;上虞</p><h3>破立并举</h3><p>a  b</p>") == "绍兴&上虞\n破立并举\na b"


@given(st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 255)), max_size=50))
def test_postings_round_trip(pairs):
    entries = sorted({d: i for d, i in pairs}.items())
    assert decode_postings(encode_postings(entries)) == entries


def test_fnv1a_known_values():
    # FNV-1a 32 test vectors; search.js must agree (checked in the browser test too).
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968


# ---------------------------------------------------------------------------------------
# Index + reference query on small corpora


def make_doc(i: int, body: str, title: str = "", date: str = "2024-03-17", **kw) -> Doc:
    return Doc(url=f"a/{i}/", date=date, page=kw.pop("page", 1), order=i, title=title or f"标题{i}",
               body=body, **kw)


def scan(docs: list[Doc], query: str) -> set[str]:
    terms = query_terms(query)
    return {d.url for d in docs if all(t in normalize(d.fulltext()) for t in terms)}


def run(outdir: Path, query: str, **kw):
    """The reference query over ``<site>/search/data`` (article pages read from ``<site>``)."""
    return search(DirFetcher(outdir), query, **kw)


def build(docs: list[Doc], site: Path, **kw) -> Path:
    """The index of ``docs`` in ``<site>/search/data`` and a bare article page for each."""
    write_story_pages(docs, site)
    out = site / "search" / "data"
    build_index(docs, out, **kw)
    return out


CHARS = "产业链上下游集成电路绍兴俊鸟腾笼换社会治理人才咖啡家庭医生"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bodies=st.lists(st.text(alphabet=CHARS + "，。 ", min_size=0, max_size=60), min_size=1, max_size=12),
       queries=st.lists(st.text(alphabet=CHARS, min_size=2, max_size=6), min_size=1, max_size=5))
def test_recall_and_precision_equal_a_substring_scan(tmp_path_factory, bodies, queries):
    dates = ["2023-11-05", "2024-02-10", "2024-03-17"]  # a closed year and two months
    docs = [make_doc(i, b, date=dates[i % 3]) for i, b in enumerate(bodies)]
    out = build(docs, tmp_path_factory.mktemp("idx"), workers=1)
    for q in queries + [b[1:5] for b in bodies if len(b) > 5]:
        terms = query_terms(q)
        if not terms or not all(term_tokens(t) for t in terms):
            continue  # a lone character: the page asks for two
        got = {h.record["u"] for h in run(out, q).hits}
        assert got == scan(docs, q), q


SAMPLE = [
    make_doc(0, "绍兴汽车产业链上的2000多家企业抢抓开工红。", title="绍兴，“俊鸟”腾飞正当时",
             kicker="传统产业破旧立新", authors=["程少波", "苗丽娜"], cities=["绍兴"], topics=["腾笼换鸟"]),
    make_doc(1, "腾退出的上万亩土地用于发展集成电路、生物医药等新兴产业。绍兴集成电路产业园。",
             title="集成电路产业链上下游", cities=["绍兴", "柯桥"], topics=["集成电路"], date="2024-03-18"),
    make_doc(2, "舟山在全省率先推出家庭医生签约医保服务。", title="舟山家庭医生", cities=["舟山"],
             topics=["家庭医生"], date="2024-04-01"),
    make_doc(3, "浙江集成电路产业加速发展，集成电路集成电路。", title="浙江新闻", cities=["杭州"],
             topics=["集成电路"], date="2024-04-02"),
    make_doc(4, "营商环境，“优”无止境。在杭州市富阳区“人才咖啡”的现场。", title="富阳人才",
             authors=["施安南"], cities=["富阳"], topics=["营商环境"], date="2024-05-09"),
]


@pytest.fixture(scope="module")
def sample_index(tmp_path_factory) -> Path:
    return build(SAMPLE, tmp_path_factory.mktemp("sample"), workers=2)


@pytest.mark.parametrize("query", ["集成电路", "绍兴", "家庭医生", "营商环境", "人才咖啡", "俊鸟", "产业链上",
                                   "程少波", "绍兴 集成电路", "传统产业", "集成电路产业链", "无止境"])
def test_sample_queries_match_scan(sample_index, query):
    assert {h.record["u"] for h in run(sample_index, query).hits} == scan(SAMPLE, query)


def test_newest_first_then_headline_matches_within_a_day(sample_index, tmp_path):
    hits = run(sample_index, "集成电路").hits
    assert [h.record["u"] for h in hits] == ["a/3/", "a/1/"]  # 2024-04-02, then 2024-03-18
    day = [make_doc(0, "浙江集成电路产业。", title="浙江新闻", page=1),
           make_doc(1, "集成电路，集成电路，集成电路。", title="产业", page=2),
           make_doc(2, "一条集成电路。", title="集成电路产业链", page=3),
           make_doc(3, "昨天的集成电路。", title="旧闻", date="2024-03-16")]
    got = [h.record["u"] for h in run(build(day, tmp_path), "集成电路").hits]
    assert got == ["a/2/", "a/1/", "a/0/", "a/3/"]  # in the title; three times beats once; the day before


def test_no_match_and_too_short(sample_index):
    assert run(sample_index, "量子纠缠").hits == []
    assert run(sample_index, "鸟").error == "too-short"
    assert run(sample_index, "  ").error == "empty"


def test_filters(sample_index):
    def urls(**kw):
        return sorted(h.record["u"] for h in run(sample_index, "集成电路", **kw).hits)

    assert urls(city="柯桥") == ["a/1/"]
    assert urls(topic="集成电路") == ["a/1/", "a/3/"]
    assert urls(date_from="2024-04-01") == ["a/3/"]
    assert urls(date_to="2024-03-31") == ["a/1/"]
    assert urls(date_from="2024-03-18", date_to="2024-03-18") == ["a/1/"]


def test_limit_fetches_only_what_it_shows(sample_index):
    fetcher = DirFetcher(sample_index)
    res = search(fetcher, "集成电路", limit=1)
    assert len(res.hits) == 1
    assert sum("/m/" in f for f in fetcher.files) == 1  # its metadata block
    assert [f for f in fetcher.files if f.startswith("a/")] == [res.hits[0].record["u"]]  # its page


def test_files_are_compressed_buckets_metadata_blocks_and_days(sample_index):
    files = sorted(str(p.relative_to(sample_index)) for p in sample_index.rglob("*") if p.is_file())
    assert "index.json" in files
    assert all(re.fullmatch(r"\d{4}-\d{2}/([bm]/\d+|days)\.bin", f) for f in files if f != "index.json"), files
    seg = sample_index / "2024-03"
    assert decode_days((seg / "days.bin").read_bytes()) == {"2024-03-17": [0, 0], "2024-03-18": [1, 1]}
    entry = json.loads((sample_index / "index.json").read_text())["segments"][0]
    assert {k: entry[k] for k in ("id", "n", "from", "to")} == {
        "id": "2024-03", "n": 2, "from": "2024-03-17", "to": "2024-03-18"}
    assert [r["u"] for r in decode_meta((seg / "m" / "0.bin").read_bytes())] == ["a/0/", "a/1/"]
    assert "b" not in decode_meta((seg / "m" / "0.bin").read_bytes())[0]  # the body is in the page
    terms = {}
    for bucket in (seg / "b").iterdir():
        terms.update(decode_bucket(bucket.read_bytes()))
    assert {d for d, _ in decode_postings(terms["绍兴"])} == {0, 1}
    assert decode_bucket(encode_bucket({"绍兴": b"\x00\x05", "w:集成电路": b""})) == {
        "绍兴": b"\x00\x05", "w:集成电路": b""}


def test_page_text_reads_the_story_body_and_caption():
    page = ('<html><head><title>x</title><script src="s.js"></script></head><body><main>'
            '<article class="story"><header class="story-head"><p class="kicker">引题</p>'
            '<h1 class="title">标&amp;题</h1><p class="byline"><span class="role">记者</span> 张三</p></header>'
            '<figure class="caption"><figcaption><span class="label">图片说明</span>绍兴  集成<b>电路</b>'
            '</figcaption></figure><div class="story-body"><p class="dateline">本报杭州3月17日电</p>'
            '<p>第一段<em>绍</em>兴&nbsp;上虞<br>第二行</p><h3>小标题</h3><img src="a.png" alt="图"><p>末段'
            '</p></div><footer class="story-foot"><p class="tags">城市 绍兴</p></footer></article>'
            '</main></body></html>')
    assert page_text(page) == ("绍兴 集成电路", "本报杭州3月17日电\n第一段绍兴 上虞\n第二行\n小标题\n末段")
    for doc in SAMPLE:
        assert page_text(story_page(doc)) == (doc.caption, doc.body)


def test_parallel_build_gives_the_same_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    build_index(SAMPLE, a, workers=1)
    build_index(SAMPLE, b, workers=2)
    files_a = {p.relative_to(a): p.read_bytes() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b): p.read_bytes() for p in b.rglob("*") if p.is_file()}
    assert files_a == files_b


def snapshot(root: Path) -> dict[Path, tuple[int, bytes]]:
    return {p.relative_to(root): (p.stat().st_mtime_ns, p.read_bytes())
            for p in root.rglob("*") if p.is_file()}


def test_incremental_update_leaves_other_months_untouched(tmp_path):
    out = build(SAMPLE, tmp_path, workers=1)
    before = snapshot(out)
    time.sleep(0.01)
    again = build_index(SAMPLE, out, workers=1)
    assert again["rebuilt"] == [] and snapshot(out) == before

    new = make_doc(9, "新的一期：集成电路。", title="五月新闻", date="2024-05-10")
    write_story_pages([new], tmp_path)
    summary = build_index([*SAMPLE, new], out, workers=2)
    assert summary["rebuilt"] == ["2024-05"]
    after = snapshot(out)
    changed = {p for p in after if before.get(p) != after[p]}
    assert changed, "the new edition must be written"
    assert all(p.parts[0] in ("2024-05", "index.json") for p in changed), changed
    assert {h.record["u"] for h in run(out, "集成电路").hits} == {"a/1/", "a/3/", "a/9/"}

    build_index(SAMPLE, out, workers=1)  # the edition withdrawn again
    assert [r["u"] for r in decode_meta((out / "2024-05" / "m" / "0.bin").read_bytes())] == ["a/4/"]
    assert {h.record["u"] for h in run(out, "集成电路").hits} == {"a/1/", "a/3/"}


def test_term_cache_tokenises_only_new_articles(tmp_path, monkeypatch):
    import epaper_search.build as ix

    calls: list[str] = []
    real = ix.doc_terms
    monkeypatch.setattr(ix, "doc_terms", lambda d: calls.append(d.url) or real(d))
    cache = tmp_path / "cache"
    out = build(SAMPLE, tmp_path, workers=1, cache_dir=cache)
    assert len(calls) == len(SAMPLE)
    plain = tmp_path / "plain"
    build_index([*SAMPLE, make_doc(9, "集成电路", date="2024-05-10")], plain, workers=1)
    calls.clear()
    build_index([*SAMPLE, make_doc(9, "集成电路", date="2024-05-10")], out, workers=1, cache_dir=cache)
    assert calls == ["a/9/"]
    assert snapshot_bytes(out) == snapshot_bytes(plain)


def test_closed_years_merge_into_one_segment(tmp_path):
    cache = tmp_path / "cache"
    out = build(SAMPLE, tmp_path, workers=2, cache_dir=cache)
    assert [s["id"] for s in json.loads((out / "index.json").read_text())["segments"]] == [
        "2024-03", "2024-04", "2024-05"]
    new_year = make_doc(7, "新年第一期：集成电路。", title="元旦", date="2025-01-01")
    write_story_pages([new_year], tmp_path)
    summary = build_index([*SAMPLE, new_year], out, workers=2, cache_dir=cache)
    manifest = json.loads((out / "index.json").read_text())
    assert [s["id"] for s in manifest["segments"]] == ["2024", "2025-01"]
    assert summary["rebuilt"] == ["2024", "2025-01"]
    assert sorted(p.name for p in out.iterdir()) == ["2024", "2025-01", "index.json"]
    # the closed year keeps no terms: only the open month is cached
    assert sorted(p.name for p in cache.iterdir()) == ["v2c2-2025-01.pickle"]
    assert {h.record["u"] for h in run(out, "集成电路").hits} == {"a/1/", "a/3/", "a/7/"}
    assert {h.record["u"] for h in run(out, "集成电路", date_from="2024-04-01", date_to="2024-12-31").hits} \
        == {"a/3/"}


def test_cold_build_of_closed_years_tokenises_by_month_in_parallel(tmp_path):
    docs = [make_doc(i, f"第{i}篇：集成电路产业链上。", date=f"2023-{1 + i % 4:02d}-0{1 + i % 5}")
            for i in range(12)] + [make_doc(20, "今年：集成电路。", date="2024-02-01")]
    plain = build(docs, tmp_path / "plain", workers=1)
    warm = build(docs, tmp_path / "warm", workers=2, cache_dir=tmp_path / "cache")
    assert snapshot_bytes(warm) == snapshot_bytes(plain)
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["v2c2-2024-02.pickle"]
    assert len(run(warm, "产业链上").hits) == 12


def test_term_cache_keeps_open_months_only_and_a_corrected_closed_year_equals_a_cold_build(tmp_path):
    """Issue 27: the cache Actions carries holds the latest year's months, not the archive.
    A correction to an article of a closed year (no cached terms) rebuilds that year from
    its documents, and the index is byte for byte a cold build's."""
    import epaper_search.build as ix

    docs = [make_doc(i, f"第{i}篇：集成电路产业链上。", date=f"{2022 + i % 3}-{1 + i % 4:02d}-0{1 + i % 5}")
            for i in range(18)]
    cache = tmp_path / "cache"
    # a closed year's terms (kept before issue 27) and a month of an older term format: pruned
    cache.mkdir()
    (cache / "v2c2-2022.pickle").write_bytes(b"old")
    (cache / "v1c2-2024-01.pickle").write_bytes(b"old")
    out = build(docs, tmp_path / "warm", workers=2, cache_dir=cache)
    assert snapshot_bytes(out) == snapshot_bytes(build(docs, tmp_path / "cold1", workers=1))
    open_months = sorted({d.date[:7] for d in docs if d.date[:4] == "2024"})
    assert sorted(p.name for p in cache.iterdir()) == [f"v2c2-{m}.pickle" for m in open_months]

    fixed = [make_doc(d_i, "更正：集成电路产业链上，绍兴。", date=d.date) if d.url == "a/4/" else d
             for d_i, d in enumerate(docs)]
    assert fixed[4].date[:4] == "2023"  # a closed year
    for workers in (1, 2):
        target = tmp_path / f"update{workers}"
        target.mkdir()
        for src in out.rglob("*"):
            dst = target / src.relative_to(out)
            dst.mkdir(exist_ok=True) if src.is_dir() else dst.write_bytes(src.read_bytes())
        shutil.copytree(cache, tmp_path / f"cache{workers}")
        summary = build_index(fixed, target, workers=workers, cache_dir=tmp_path / f"cache{workers}")
        assert summary["rebuilt"] == ["2023"]
        assert snapshot_bytes(target) == snapshot_bytes(build(fixed, tmp_path / f"cold{workers}", workers=1))
        assert sorted(p.name for p in (tmp_path / f"cache{workers}").iterdir()) == [
            f"v2c2-{m}.pickle" for m in open_months]
    assert ix.prune_cache(cache, []) == len(open_months)
    assert list(cache.iterdir()) == []


def test_an_empty_site_has_an_empty_index(tmp_path):
    build_index([], tmp_path / "search", workers=2)
    assert json.loads((tmp_path / "search" / "index.json").read_text())["segments"] == []
    assert run(tmp_path / "search", "集成电路").hits == []


def snapshot_bytes(root: Path) -> dict[Path, bytes]:
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# ---------------------------------------------------------------------------------------
# The bundled edition in Chromium

BROWSER_QUERIES = ["集成电路", "绍兴", "家庭医生", "营商环境", "人才咖啡", "俊鸟", "腾笼换鸟", "产业链上"]
NO_MATCH = "量子纠缠计算机"


def _md_plain(line: str) -> str:
    line = re.sub(r"^#+\s*", "", line)
    line = re.sub(r"\\(.)", r"\1", line)
    return " ".join(html.unescape(line).split())


def converted_articles(content: Path) -> list[dict]:
    """Each converted article's fields as plain text, read straight from the Markdown."""
    arts = []
    for path in sorted(content.rglob("*.md")):
        head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        meta = {}
        for line in head.splitlines():
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip()] = value.strip()
        fields = [meta.get(k, "") for k in ("Kicker", "Title", "Subtitle", "Authors", "Correspondents",
                                             "Caption", "Dateline")]
        fields += [_md_plain(line) for line in body.splitlines() if line.strip()]
        date = meta["Date"]
        page = int(meta["Page"])
        prefix = f"{date.replace('-', '')}-{page:02d}-"
        slug = meta["Slug"]
        tail = slug[len(prefix):] if slug.startswith(prefix) else slug
        arts.append({
            "url": f"{date[:4]}/{date[5:7]}/{date[8:]}/{page:02d}/{tail}/",
            "headline": "\n".join(_md_plain(meta.get(k, "")) for k in ("Kicker", "Title", "Subtitle")),
            "text": "\n".join(_md_plain(f) for f in fields if f),
            "cities": [c.strip() for c in meta.get("Cities", "").split(",") if c.strip()],
        })
    return arts


def expected(arts: list[dict], query: str) -> tuple[set[str], set[str]]:
    terms = query_terms(query)
    found = {a["url"] for a in arts if all(t in normalize(a["text"]) for t in terms)}
    in_head = {a["url"] for a in arts
               if a["url"] in found and all(t in normalize(a["headline"]) for t in terms)}
    return found, in_head


def browser_search(page, base: str, query: str, extra: str = "") -> tuple[str, list[str]]:
    from urllib.parse import quote

    page.goto(f"{base}/search/?q={quote(query)}{extra}")
    page.wait_for_selector('#search-status[data-round="1"]', state="attached", timeout=20000)
    rounds = 1
    while page.is_visible("#search-more"):
        page.click("#search-more")
        rounds += 1
        # a CSS wait, not wait_for_function: the page's CSP forbids eval
        page.wait_for_selector(f'#search-status[data-round="{rounds}"]', state="attached", timeout=20000)
    urls = page.eval_on_selector_all("#search-results li", "els => els.map(e => e.dataset.url)")
    return page.get_attribute("#search-status", "data-state") or "", urls


@pytest.mark.browser
@pytest.mark.slow
def test_search_page_finds_exactly_the_articles_containing_the_query(built_site, serve_site, browser,
                                                                     artifacts_dir):
    arts = converted_articles(built_site.content)
    assert arts, "the converter wrote no articles"
    assert (built_site.output / "search" / "data" / "index.json").is_file()
    server = serve_site(built_site.output)
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for query in BROWSER_QUERIES:
        want, in_head = expected(arts, query)
        assert want, f"{query} should occur in the bundled edition"
        state, urls = browser_search(page, server.base, query)
        assert state == "done", (query, page.inner_text("#search-status"))
        assert len(urls) == len(set(urls))
        assert set(urls) == want, query
        if in_head:
            assert urls[0] in in_head, f"{query}: headline match should come first"
    page.screenshot(path=str(artifacts_dir / "search-results.png"), full_page=True)
    state, urls = browser_search(page, server.base, NO_MATCH)
    assert state == "none" and urls == []
    assert "没有找到" in page.inner_text("#search-status")
    assert not errors, errors


@pytest.mark.browser
@pytest.mark.slow
def test_hit_is_highlighted_in_the_article_and_js_agrees_with_python(built_site, serve_site, browser):
    server = serve_site(built_site.output)
    page = browser.new_page()
    browser_search(page, server.base, "集成电路")
    first = page.locator("#search-results li a").first
    assert "集成电路" in first.locator("xpath=ancestor::li").inner_text()
    assert "第01版" in first.locator("xpath=ancestor::li").inner_text()  # as the pages say it, not 第1版
    assert page.locator("#search-results mark").count() > 0
    first.click()
    page.wait_for_load_state()
    assert "hl=" in page.url
    marks = page.eval_on_selector_all("article mark", "els => els.map(e => e.textContent)")
    assert marks and all(m == "集成电路" for m in marks)
    # the JS tokeniser and hash are the Python ones
    for term in ["绍兴", "集成电路", "新质生产力", "5G工厂", "w:腾笼换鸟", "c:绍兴", "政务服务增值化改革", "人才咖啡"]:
        js = page.evaluate("t => [epaperSearch.fnv1a(t), epaperSearch.termTokens(epaperSearch.normalize(t)),"
                           " epaperSearch.lookupTokens(epaperSearch.normalize(t)),"
                           " epaperSearch.junctionTokens(epaperSearch.normalize(t))]", term)
        t = normalize(term)
        assert js == [fnv1a(term), term_tokens(t), lookup_tokens(t), junction_tokens(t)], term


@pytest.mark.browser
@pytest.mark.slow
def test_filters_in_the_browser(built_site, serve_site, browser):
    arts = converted_articles(built_site.content)
    want, _ = expected(arts, "绍兴")
    cities = sorted({c for a in arts if a["url"] in want for c in a["cities"]})
    assert cities
    city = cities[0]
    server = serve_site(built_site.output)
    page = browser.new_page()
    from urllib.parse import quote

    state, urls = browser_search(page, server.base, "绍兴", f"&city={quote(city)}")
    assert set(urls) == {a["url"] for a in arts if a["url"] in want and city in a["cities"]}
    assert page.locator("#search-city option").count() > 1  # filled from the index
    assert page.input_value("#search-city") == city
    state, urls = browser_search(page, server.base, "绍兴", "&from=2999-01-01")
    assert state == "none"


@pytest.mark.browser
@pytest.mark.slow
def test_without_javascript_the_page_says_so(built_site, serve_site, browser):
    server = serve_site(built_site.output)
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(f"{server.base}/search/?q=绍兴")
    assert "需要启用 JavaScript" in page.inner_text("main")
    page.goto(f"{server.base}/")
    action = page.get_attribute("form[role=search]", "action")
    page.fill("form[role=search] input[name=q]", "绍兴")
    page.press("form[role=search] input[name=q]", "Enter")
    page.wait_for_load_state()
    assert "/search/" in page.url and action
    assert "需要启用 JavaScript" in page.inner_text("main")
    ctx.close()


@pytest.mark.browser
@pytest.mark.slow
def test_search_under_a_sub_path(built_site, serve_site, browser, tmp_path_factory):
    """As a GitHub project site: served under /<repo>/, with relative and with absolute URLs."""
    from tests.conftest import build_site

    arts = converted_articles(built_site.content)
    want, _ = expected(arts, "腾笼换鸟")
    page = browser.new_page()
    relative = serve_site(built_site.output, "/epaper")
    _, urls = browser_search(page, relative.base, "腾笼换鸟")
    assert set(urls) == want
    href = page.get_attribute("#search-results li a", "href")
    assert href.startswith(relative.base + "/")

    tmp = tmp_path_factory.mktemp("subpath")
    (tmp / "output").mkdir()
    absolute = serve_site(tmp / "output", "/repo")
    site = build_site(tmp, settings="publishconf.py", siteurl=absolute.base)
    assert json.loads((site.output / "search" / "data" / "index.json").read_text())["segments"]
    _, urls = browser_search(page, absolute.base, "腾笼换鸟")
    assert set(urls) == want
    assert page.get_attribute("#search-results li a", "href").startswith(absolute.base + "/")


@pytest.mark.browser
@pytest.mark.slow
def test_js_agrees_with_the_python_reference_on_a_synthetic_week(tmp_path_factory, serve_site, browser):
    """Hundreds of articles: many candidates to check, pages of results, ranking order.

    The page must list exactly the articles a substring scan finds, in the order of the
    Python reference (which the unit tests pin down).
    """
    from tests.conftest import run_pelican

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import write_corpus

    tmp = tmp_path_factory.mktemp("week")
    write_corpus(tmp / "content", days=4, pages=4, per_page=7, seed=3)
    built = run_pelican(tmp / "content" / "zjrb", tmp / "output", ROOT / "pelicanconf.py", "zjrb",
                        extra_env={"EPAPER_CACHE_DIR": str(tmp / "cache")})
    assert built.returncode == 0, built.stderr
    arts = converted_articles(tmp / "content" / "zjrb")
    server = serve_site(tmp / "output")
    page = browser.new_page()
    index = tmp / "output" / "search" / "data"
    for query in [*BROWSER_QUERIES, "社会治理", "绍兴 集成电路", "链上下游", "新质生产力"]:
        want, _ = expected(arts, query)
        state, urls = browser_search(page, server.base, query)
        assert set(urls) == want, query
        reference = [h.record["u"] for h in run(index, query).hits]
        assert urls == reference, query
        assert state == ("done" if want else "none")


# ---------------------------------------------------------------------------------------
# The plugin's hand-over: the context's documents, built in a helper process


class _FakeGenerator:
    def __init__(self, context: dict, settings: dict) -> None:
        self.context, self.settings, self.articles = context, settings, []


class _FakePelican:
    def __init__(self, settings: dict) -> None:
        self.settings = settings


@pytest.mark.parametrize("background", [True, False])
def test_plugin_builds_from_the_context_documents(tmp_path, background):
    import dataclasses

    import epaper_search as plugin

    settings = {"OUTPUT_PATH": str(tmp_path), "CACHE_PATH": str(tmp_path / "cache"),
                "SEARCH_IN_BACKGROUND": background, "SEARCH_WORKERS": 2}
    docs = [dataclasses.asdict(d) for d in SAMPLE]
    pelican = _FakePelican(settings)
    plugin.start_helper(pelican)
    assert (plugin._state["helper"] is not None) == background
    plugin.hand_over([_FakeGenerator({plugin.CONTEXT_KEY: docs}, settings)])
    plugin.write_index(pelican)
    assert plugin._state["helper"] is None
    write_story_pages(SAMPLE, tmp_path)
    out = tmp_path / "search" / "data"
    assert {h.record["u"] for h in run(out, "集成电路").hits} == scan(SAMPLE, "集成电路")
    assert (tmp_path / "cache" / "epaper_search").is_dir()


def test_plugin_reports_a_failed_background_build(tmp_path):
    import epaper_search as plugin

    settings = {"OUTPUT_PATH": str(tmp_path), "SEARCH_WORKERS": 1}
    pelican = _FakePelican(settings)
    plugin.start_helper(pelican)
    plugin.hand_over([_FakeGenerator({plugin.CONTEXT_KEY: [{"url": "a/"}]}, settings)])  # no date
    with pytest.raises(RuntimeError, match="building the index failed"):
        plugin.write_index(pelican)


_FAILING_BUILD = """
import sys
sys.path[:0] = [{root!r}, {plugins!r}]
import epaper_search
from epaper_search.terms import Doc

class Pelican:
    settings = {{"OUTPUT_PATH": {out!r}, "SEARCH_WORKERS": 2}}

epaper_search.start_helper(Pelican())
helper = epaper_search._state["helper"]
print(helper.proc.pid, flush=True)
if {submitted!r}:  # the helper is building (a few seconds' work) when the build fails
    docs = [Doc(url=f"a/{{i}}/", date=f"2024-{{1 + i % 12:02d}}-01", page=1, order=i, title="标题",
                body="集成电路产业链上下游" * 100 + str(i)) for i in range(3000)]
    helper.submit(docs, [], {out!r} + "/search/data", 2, None)
raise RuntimeError("the build failed")
"""


@pytest.mark.parametrize("submitted", [False, True], ids=["before the hand-over", "while building"])
def test_a_failing_build_exits_instead_of_waiting_for_the_search_helper(tmp_path, submitted):
    """A build failing before it hands the helper its documents (an article refused) used
    to hang at exit: multiprocessing's exit hook joined the helper, still waiting on its
    pipe.  It must exit at once with the build's error, and leave no helper running."""
    import subprocess

    code = _FAILING_BUILD.format(root=str(ROOT), plugins=str(ROOT / "plugins"), out=str(tmp_path),
                                 submitted=submitted)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert "RuntimeError: the build failed" in proc.stderr
    assert time.perf_counter() - start < 30
    helper = Path(f"/proc/{int(proc.stdout.split()[0])}/status")
    assert not helper.exists() or "zombie" in helper.read_text(), "the helper outlived the build"
    assert not (tmp_path / "search" / "data" / "index.json").exists()


def test_up_to_date_segments_are_handed_over_without_their_documents(tmp_path):
    """freeze_unchanged: the segments whose signature is the manifest's go to build_index
    as counts only (their documents are never made), and the index is what a build from
    every document makes: same files, same manifest (cities and topics counted over all)."""
    import dataclasses

    from epaper_search import doc_key
    from epaper_search.build import freeze_unchanged

    signed = [dataclasses.replace(d, sig=f"s{d.url}") for d in SAMPLE]
    closed = make_doc(8, "去年的集成电路新闻。", title="旧闻", date="2023-11-02", cities=["绍兴"], topics=["集成电路"],
                      sig="s-old")
    docs = [closed, *signed]
    out = build(docs, tmp_path / "a", workers=1)

    new = make_doc(9, "五月的集成电路新闻。", title="五月新闻", date="2024-05-10", cities=["杭州"], sig="s-new")
    made: list[str] = []

    class Lazy:  # as the site plugin's items: a key now, the document only on demand
        def __init__(self, doc):
            self.doc = doc

        def search_key(self):
            d = self.doc
            return (d.url, d.date, d.page, d.order, d.sig, d.cities, d.topics)

        def as_dict(self):
            made.append(self.doc.url)
            return dataclasses.asdict(self.doc)

    items = [Lazy(d) for d in [*docs, new]]
    build_items, frozen = freeze_unchanged(items, out, doc_key)
    assert sorted(f.name for f in frozen) == ["2023", "2024-03", "2024-04"]
    assert [i.doc.url for i in build_items] == [d.url for d in [*docs, new] if d.date.startswith("2024-05")]
    assert made == [], "no document is made to decide what is up to date"
    summary = build_index([dataclasses.replace(i.doc) for i in build_items], out, workers=1, frozen=frozen)
    assert summary["rebuilt"] == ["2024-05"] and summary["docs"] == len(docs) + 1

    fresh = build([*docs, new], tmp_path / "b", workers=1)
    assert snapshot_bytes(out) == snapshot_bytes(fresh)
    changed = dataclasses.replace(closed, body="去年的集成电路新闻，改过。", sig="s-old-2")
    build_items, frozen = freeze_unchanged([changed, *signed, new], out, doc_key)
    assert "2023" not in {f.name for f in frozen} and changed in build_items


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from("ＡＢ１２３，。：；（）！？％…　·—“”①㈱ﬁ̈́̈ÅÅ가각")),
               max_size=40))
def test_normalize_is_nfkc_then_lower_case(text):
    """The short cut (each character to its own NFKC form, checked) is NFKC itself."""
    import unicodedata

    assert normalize(text) == unicodedata.normalize("NFKC", text).lower()
