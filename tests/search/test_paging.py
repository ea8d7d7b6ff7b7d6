"""Search at archive scale: a page of results reads the newest segments only, and every page
up to the last, together, is exactly what a substring scan finds.

The reference (``plugins/epaper_search/query.py``) is checked on small archives of
several years (closed years and the latest year's months); ``search.js`` in Debian's
Chromium on the same kind of archive, served over HTTP: "more results" reads older years,
a date filter reads only its segments, and the count the page shows is never wrong.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "plugins"))

from epaper_search.build import build_index  # noqa: E402
from epaper_search.query import DirFetcher, Hit, Search, search, write_search_page, write_story_pages  # noqa: E402
from epaper_search.terms import Doc  # noqa: E402
from epaper_search.text import normalize, query_terms, term_tokens  # noqa: E402

CHARS = "产业链上下游集成电路绍兴俊鸟腾笼换社会治理人才咖啡家庭医生"


def scan(docs: list[Doc], query: str) -> set[str]:
    terms = query_terms(query)
    return {d.url for d in docs if all(t in normalize(d.fulltext()) for t in terms)}


def build(docs: list[Doc], site: Path) -> Path:
    write_story_pages(docs, site)
    out = site / "search" / "data"
    build_index(docs, out, workers=1)
    return out


def walk(fetcher: DirFetcher, query: str, page_size: int, truth: int, **kw) -> list[list[Hit]]:
    """Every page of results up to the last; the count checked after each (never wrong)."""
    s = Search(fetcher, query, page_size=page_size, **kw)
    pages = []
    while not s.done():
        page = s.more()
        assert len(page) <= page_size
        pages.append(page)
        known, exact = s.count()
        assert known <= truth and (not exact or known == truth), (query, known, exact, truth)
        assert len(pages) < 1000
    assert s.count() == (truth, True)
    return pages


def archive(rng: random.Random, bodies: list[str]) -> list[Doc]:
    """Documents over three years: two closed ones (one segment each) and the latest's months."""
    days = [f"{y}-{m:02d}-{d:02d}" for y in (2022, 2023, 2024) for m in (1, 4, 7, 11) for d in (3, 19)]
    return [Doc(url=f"a/{i}/", date=rng.choice(days), page=1 + i % 4, order=i, title=f"标题{i}",
                body=b, kicker=rng.choice(["", "集成电路", "绍兴"])) for i, b in enumerate(bodies)]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bodies=st.lists(st.text(alphabet=CHARS + "，。 ", min_size=0, max_size=40), min_size=1, max_size=40),
       queries=st.lists(st.text(alphabet=CHARS, min_size=2, max_size=5), min_size=1, max_size=4),
       page_size=st.sampled_from([1, 3, 10]), seed=st.integers(0, 1000))
def test_every_page_up_to_the_last_equals_a_substring_scan(tmp_path_factory, bodies, queries, page_size, seed):
    docs = archive(random.Random(seed), bodies)
    out = build(docs, tmp_path_factory.mktemp("idx"))
    for q in queries + [b[1:5] for b in bodies if len(b) > 5][:4]:
        terms = query_terms(q)
        if not terms or not all(term_tokens(t) for t in terms):
            continue
        want = scan(docs, q)
        pages = walk(DirFetcher(out), q, page_size, len(want))
        hits = [h for p in pages for h in p]
        assert [h.record["u"] for h in hits] == [h.record["u"] for h in sorted(hits, key=Hit.key)]
        assert len(hits) == len({h.record["u"] for h in hits}) and {h.record["u"] for h in hits} == want, q
        assert [h.date for h in hits] == sorted((h.date for h in hits), reverse=True)  # newest first
        # the exact count, asked for at once, is the same
        assert Search(DirFetcher(out), q).count_all() == (len(want), True)


def dense_archive() -> list[Doc]:
    """Three years in which every edition has articles with 集成电路 (in every segment)."""
    rng = random.Random(7)
    docs = []
    for y in (2022, 2023, 2024):
        for m in range(1, 13):
            for d in (5, 15, 25):
                for k in range(5):
                    i = len(docs)
                    body = "集成电路产业。" + "".join(rng.choice(["绍兴人才咖啡。", "人才和咖啡。", "社会治理。",
                                                             "产业链上下游。"]) for _ in range(2))
                    docs.append(Doc(url=f"a/{i}/", date=f"{y}-{m:02d}-{d:02d}", page=1 + k, order=k,
                                    title=f"标题{i}", body=body))
    return docs


@pytest.fixture(scope="module")
def dense(tmp_path_factory) -> tuple[list[Doc], Path]:
    docs = dense_archive()
    return docs, build(docs, tmp_path_factory.mktemp("dense"))


def segments_fetched(fetcher: DirFetcher) -> set[str]:
    return {f.split("/")[0] for f in fetcher.files if f != "index.json" and not f.startswith("a/")}


def test_the_first_page_reads_the_newest_segment_only(dense):
    _docs, out = dense
    fetcher = DirFetcher(out)
    res = search(fetcher, "集成电路", limit=10)
    assert len(res.hits) == 10 and {h.date for h in res.hits} <= {"2024-12-25", "2024-12-15"}
    assert segments_fetched(fetcher) == {"2024-12"}
    assert sum(f.startswith("a/") for f in fetcher.files) == 10  # the pages it shows, no more
    assert not res.exact and res.count >= 10  # "10+": older segments are not read


def test_a_date_filter_reads_only_its_segments(dense):
    docs, out = dense
    fetcher = DirFetcher(out)
    res = search(fetcher, "集成电路", date_from="2023-03-01", date_to="2023-05-31")
    assert segments_fetched(fetcher) == {"2023"}
    assert {h.record["u"] for h in res.hits} == {d.url for d in docs if "2023-03-01" <= d.date <= "2023-05-31"}
    fetcher = DirFetcher(out)
    search(fetcher, "集成电路", date_from="2024-11-10")
    assert segments_fetched(fetcher) == {"2024-11", "2024-12"}


def test_a_rare_query_reads_one_year_per_page(tmp_path):
    docs = dense_archive()
    docs[0].body += "量子纠缠。"  # 2022-01-05, the oldest edition
    out = build(docs, tmp_path)
    fetcher = DirFetcher(out)
    s = Search(fetcher, "量子纠缠")
    assert s.more() == [] and not s.done()
    assert segments_fetched(fetcher) == {f"2024-{m:02d}" for m in range(1, 13)}  # this year only
    assert s.count() == (0, False)
    assert s.more() == [] and s.read[-1] == "2023"
    assert [h.record["u"] for h in s.more()] == ["a/0/"] and s.done() and s.count() == (1, True)


def test_a_daily_update_touches_its_month_and_the_manifest_only(dense, tmp_path):
    docs, _ = dense
    out = build(docs, tmp_path)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    manifest_before = (out / "index.json").read_bytes()
    new = Doc(url="a/new/", date="2024-12-31", page=1, order=0, title="新的一期", body="集成电路。")
    write_story_pages([new], tmp_path)
    build_index([*docs, new], out, workers=1)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    changed = {p.relative_to(out).parts[0] for p in after if before.get(p) != after[p]}
    assert changed == {"2024-12", "index.json"}
    assert len((out / "index.json").read_bytes()) == len(manifest_before)  # one day more: same size
    assert search(DirFetcher(out), "集成电路", limit=1).hits[0].record["u"] == "a/new/"


# ---------------------------------------------------------------------------------------
# search.js in Chromium over a three-year archive


@pytest.fixture(scope="module")
def dense_site(dense, tmp_path_factory) -> tuple[list[Doc], Path]:
    docs, out = dense
    site = out.parent.parent
    write_search_page(site, ROOT / "theme" / "static" / "js" / "search.js")
    return docs, site


def open_search(page, base: str, query: str, extra: str = "") -> list[str]:
    """The search page for ``query``; returns the index files it fetched (relative paths)."""
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url.split("/search/data/", 1)[1])
            if "/search/data/" in r.url else None)
    page.goto(f"{base}/search/?q={quote(query)}{extra}")
    page.wait_for_selector('#search-status[data-round="1"]', state="attached", timeout=20000)
    return fetched


def shown(page) -> list[str]:
    return page.eval_on_selector_all("#search-results li", "els => els.map(e => e.dataset.url)")


def status_count(page) -> tuple[int, bool]:
    return (int(page.get_attribute("#search-status", "data-count")),
            page.get_attribute("#search-status", "data-exact") == "true")


@pytest.mark.browser
def test_more_results_reads_older_years_and_the_count_is_never_wrong(dense_site, serve_site, browser):
    docs, site = dense_site
    server = serve_site(site)
    index = site / "search" / "data"
    for query in ["集成电路", "社会治理 绍兴", "人才咖啡"]:
        truth = scan(docs, query)
        page = browser.new_page()
        fetched = open_search(page, server.base, query)
        first = DirFetcher(index)
        search(first, query, limit=10)
        assert sorted(fetched) == sorted(f for f in first.files if not f.startswith("a/")), query  # as the reference
        assert "2022" not in {f.split("/")[0] for f in fetched}
        reference = [h.record["u"] for h in search(DirFetcher(index), query).hits]
        assert shown(page) == reference[:10]
        rounds = 1
        while page.is_visible("#search-more"):
            known, exact = status_count(page)
            assert known <= len(truth) and (not exact or known == len(truth)), query
            page.click("#search-more")
            rounds += 1
            page.wait_for_selector(f'#search-status[data-round="{rounds}"]', state="attached", timeout=20000)
            assert shown(page) == reference[:len(shown(page))]
        assert shown(page) == reference and set(reference) == truth, query
        assert status_count(page) == (len(truth), True)
        assert {f.split("/")[0] for f in fetched} >= {"2022", "2023"}  # older years, read on "more"
        page.close()


@pytest.mark.browser
def test_a_date_filter_fetches_only_its_years_in_the_browser(dense_site, serve_site, browser):
    docs, site = dense_site
    server = serve_site(site)
    page = browser.new_page()
    fetched = open_search(page, server.base, "集成电路", "&from=2023-03-01&to=2023-05-31")
    want = scan([d for d in docs if "2023-03-01" <= d.date <= "2023-05-31"], "集成电路")
    while page.is_visible("#search-more"):
        n = int(page.get_attribute("#search-status", "data-round"))
        page.click("#search-more")
        page.wait_for_selector(f'#search-status[data-round="{n + 1}"]', state="attached", timeout=20000)
    assert set(shown(page)) == want
    assert {f.split("/")[0] for f in fetched if f != "index.json"} == {"2023"}
    page.close()


@pytest.mark.browser
def test_counting_all_gives_the_exact_number(dense_site, serve_site, browser):
    docs, site = dense_site
    server = serve_site(site)
    page = browser.new_page()
    open_search(page, server.base, "人才咖啡")
    known, exact = status_count(page)
    truth = len(scan(docs, "人才咖啡"))
    assert not exact and known < truth and "+" in page.inner_text("#search-status")
    page.click("#search-count")
    page.wait_for_selector('#search-status[data-round="2"]', state="attached", timeout=30000)
    assert status_count(page) == (truth, True)
    assert f"找到 {truth:,} 篇" in page.inner_text("#search-status")
    assert page.is_hidden("#search-count") and len(shown(page)) == 10
    manifest = json.loads((site / "search" / "data" / "index.json").read_text())
    assert len(manifest["segments"]) == 2 + 12
    page.close()
