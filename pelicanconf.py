"""Pelican settings for the e-paper (development: relative URLs, works from any sub-path).

The environment chooses the paper (``PAPER``, default zjrb) and the site's address
(``SITEURL``, default empty).  Every URL pattern of the site lives here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:  # the plugin imports the shared contract
    sys.path.insert(0, str(ROOT))

from jinja2 import FileSystemBytecodeCache  # noqa: E402

from epaper_contract.papers import load_paper  # noqa: E402

PAPER = os.environ.get("PAPER", "zjrb")
PAPER_INFO = load_paper(ROOT / "raw", PAPER)

SITENAME = PAPER_INFO.name
SITESUBTITLE = "数字报"
SITEURL = os.environ.get("SITEURL", "").rstrip("/")
RELATIVE_URLS = True  # dev: links work from file://, from / and from /<repo>/
# Canonical/og:url/JSON-LD need an absolute address; without one they are left out.
EPAPER_CANONICAL_BASE = SITEURL if SITEURL.startswith(("http://", "https://")) else ""
AUTHOR = PAPER_INFO.publisher or PAPER_INFO.name
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh-CN"
DEFAULT_DATE_FORMAT = "%Y年%-m月%-d日"
EPAPER_PAPER_FACTS = {
    "slug": PAPER_INFO.slug, "name": PAPER_INFO.name, "name_en": PAPER_INFO.name_en,
    "publisher": PAPER_INFO.publisher, "cn": PAPER_INFO.cn, "postal_code": PAPER_INFO.postal_code,
}

PATH = "content"
ARTICLE_PATHS = [""]
PAGE_PATHS = ["pages"]
# The stories' pictures, copied beside the articles by the converter (content/<paper>/images/
# <date>/<PP>/…).  Hard links, not copies: a changed picture gets a new inode, so the staged
# build of tools/build.py never writes into the published tree; unchanged ones are skipped.
STATIC_PATHS = ["images"]
# Media on a host of their own (MEDIA_URL, EPAPER_MEDIA_PATH, EPAPER_PAGE_PDF; defaults in
# plugins/epaper_site/media.py): set by publishconf.py only, so the preview shows them here.
STATIC_CREATE_LINKS = True
STATIC_CHECK_IF_MODIFIED = True
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "报纸"
FORMATTED_FIELDS: list[str] = []  # Summary stays plain text; templates escape it
ARTICLE_ORDER_BY = "reversed-date"
DEFAULT_PAGINATION = False

THEME = str(ROOT / "theme")
THEME_STATIC_DIR = "theme"
JINJA_ENVIRONMENT = {
    "auto_reload": False,
    "autoescape": True,  # text from a dump is never emitted unescaped
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": [],
}

# --- URLs ------------------------------------------------------------------------------
# Articles live under their page: /YYYY/MM/DD/PP/<slug without the YYYYMMDD-PP- prefix>/
ARTICLE_URL = "{ymd}/{pp}/{slug_tail}/"  # ymd = YYYY/MM/DD (set by the plugin: no strftime)
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
ARTICLE_LANG_URL = ARTICLE_URL
ARTICLE_LANG_SAVE_AS = ARTICLE_SAVE_AS
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = DRAFT_URL + "index.html"
PAGE_URL = "about/{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
# Our own page kinds (plugins/epaper_site/urls.py documents the placeholders).
EPAPER_EDITION_URL = "{date:%Y}/{date:%m}/{date:%d}/"
EPAPER_PAGE_URL = "{date:%Y}/{date:%m}/{date:%d}/{pp}/"
EPAPER_ARCHIVE_URL = "archive/"
EPAPER_ARCHIVE_YEAR_URL = "archive/{year}/"
EPAPER_CITY_URL = "city/{slug}/"
EPAPER_TOPIC_URL = "topic/{slug}/"
EPAPER_REPORTER_URL = "reporter/{slug}/"
EPAPER_CITIES_URL = "city/"
EPAPER_TOPICS_URL = "topic/"
EPAPER_REPORTERS_URL = "reporter/"
EPAPER_PAGINATION_URL = "{base}page/{n}/"  # 'page' is reserved: no tag slug can be 'page'
EPAPER_CITY_FEED_URL = "feeds/city/{slug}.atom.xml"
EPAPER_TOPIC_FEED_URL = "feeds/topic/{slug}.atom.xml"
EPAPER_EDITION_JSON_URL = "data/{date:%Y-%m-%d}.json"
EPAPER_CSV_URL = "data/articles-{year}.csv"
EPAPER_PER_PAGE = 50
# Local builds are the editor's: the 校对 (proofing) page of the conversion report, and the
# 标题据导语拟 badge on inferred titles.  publishconf.py turns both off for readers.
EPAPER_PROOFING = True

# Pelican's own list pages are replaced by the plugin's (they scan articles per tag).
DIRECT_TEMPLATES = ["search"]
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"
INDEX_SAVE_AS = ""
TAG_SAVE_AS = TAGS_SAVE_AS = ""
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""

# --- Feeds -----------------------------------------------------------------------------
# A local build has no SITEURL: its feeds point at the preview server (`make serve`), so Pelican
# has an absolute address for them (and no "Feeds generated without SITEURL" warning).
FEED_DOMAIN = SITEURL or os.environ.get("EPAPER_PREVIEW_URL", "http://localhost:8000")
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ATOM = None
FEED_ALL_RSS = FEED_RSS = None
CATEGORY_FEED_ATOM = CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = TRANSLATION_FEED_RSS = None
FEED_MAX_ITEMS = 50
EPAPER_CITY_FEEDS = True
EPAPER_TOPIC_FEEDS = True

# --- Caching (incremental rebuilds) ----------------------------------------------------
CACHE_PATH = os.environ.get("EPAPER_CACHE_DIR") or str(ROOT / ".cache" / "pelican" / PAPER)
# Compiled templates kept between builds (compiling the theme is ~0.5 s of every build).
JINJA_ENVIRONMENT["bytecode_cache"] = FileSystemBytecodeCache(str(Path(CACHE_PATH) / "jinja"))
Path(CACHE_PATH, "jinja").mkdir(parents=True, exist_ok=True)
# The article store of plugins/epaper_site (store.py) is the content cache: it keeps what
# each article gave the site (HTML, story facts, plain text) by file stamp, so Pelican
# reads only new or changed files.  Pelican's own cache would hold a second copy of every
# article and be loaded and saved whole on every build.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
GZIP_CACHE = False  # gzip costs more time than the disk it saves
CHECK_MODIFIED_METHOD = "mtime"

# --- Plugins ---------------------------------------------------------------------------
PLUGIN_PATHS = [str(ROOT / "plugins")]
PLUGINS = [p for p in ("epaper_site", "epaper_search") if (ROOT / "plugins" / p).is_dir()]
# sitemap.xml: written by epaper_site with pelican-sitemap's format and this setting (a
# sitemap index over per-year files beyond 50,000 URLs; see plugins/epaper_site/sitemap.py).
SITEMAP = {
    "format": "xml",
    "exclude": [r"^404", r"^search/"],
    "changefreqs": {"articles": "never", "indexes": "daily", "pages": "monthly"},
}

# Search: the box is on every page; the script only when the search engineer's file exists.
SEARCH_JS = (ROOT / "theme" / "static" / "js" / "search.js").is_file()
