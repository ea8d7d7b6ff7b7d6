"""The sitemap writer (plugins/epaper_site/sitemap.py): an index of gzipped files by year,
split at the protocol's limit, the same bytes for the same entries."""

from __future__ import annotations

import datetime as dt
import gzip
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "plugins"))


def test_sitemap_is_an_index_of_gzipped_years_split_at_the_protocol_limit(tmp_path, monkeypatch):
    from epaper_site import sitemap

    monkeypatch.setattr(sitemap, "MAX_URLS", 3)
    sm = sitemap.Sitemap()
    zone = dt.timezone(dt.timedelta(hours=8))
    for i in range(4):
        sm.add(f"2023/01/0{i + 1}/", dt.datetime(2023, 1, i + 1, tzinfo=zone))
    sm.add("2024/01/01/", dt.datetime(2024, 1, 1, tzinfo=zone))
    sm.add("city/", dt.datetime(2024, 1, 1, tzinfo=zone))
    names = sm.write(str(tmp_path), "https://example.org", {})
    assert names == ["sitemap.xml", "sitemaps/2023.xml.gz", "sitemaps/2023-2.xml.gz", "sitemaps/2024.xml.gz",
                     "sitemaps/site.xml.gz"]
    index = (tmp_path / "sitemap.xml").read_text(encoding="utf-8")
    assert "<sitemapindex" in index and index.count("<sitemap>") == 4
    assert re.findall(r"<loc>([^<]+)</loc>", index) == [f"https://example.org/{n}" for n in names[1:]]
    assert "<lastmod>2023-01-03T00:00:00+08:00</lastmod>" in index  # the newest entry of 2023's first file
    texts = {n: gzip.decompress((tmp_path / n).read_bytes()).decode("utf-8") for n in names[1:]}
    locs = [loc for t in texts.values() for loc in re.findall(r"<loc>([^<]+)</loc>", t)]
    assert sorted(locs) == sorted(f"https://example.org/{u}" for u in sm.entries)
    assert all(t.startswith('<?xml version="1.0" encoding="utf-8"?>') and "<urlset" in t for t in texts.values())
    # the same entries give the same bytes (no name or time in the gzip header): kept by the next build
    before = {n: (tmp_path / n).stat().st_mtime_ns for n in names}
    assert sm.write(str(tmp_path), "https://example.org", {}) == names
    assert {n: (tmp_path / n).stat().st_mtime_ns for n in names} == before

    monkeypatch.setattr(sitemap, "MAX_URLS", 50_000)
    assert sm.write(str(tmp_path / "small"), "", {}) == ["sitemap.xml", "sitemaps/2023.xml.gz",
                                                         "sitemaps/2024.xml.gz", "sitemaps/site.xml.gz"]
