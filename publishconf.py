"""Production settings: the site's address ``SITEURL`` (e.g. https://user.github.io/repo), feeds on."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("SITEURL", "").rstrip("/")
# Links between pages stay relative (../ instead of https://<user>.github.io/<repo>/ some 28
# times a page: ~25 MB of a year's 225 MB); whatever must be absolute is: canonical and
# og:url, JSON-LD, feeds, the sitemap, robots.txt, the open data, and 404.html's links
# (served at any missing path).
RELATIVE_URLS = True
EPAPER_CANONICAL_BASE = SITEURL if SITEURL.startswith(("http://", "https://")) else ""
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
EPAPER_CITY_FEEDS = True
EPAPER_TOPIC_FEEDS = True
# HTML pages minified as they are written (plugins/epaper_site/writer.py): ~6 MB of a year's
# ~205 MB; same rendering, every end tag kept.  The preview (make html) keeps readable markup.
EPAPER_MINIFY_HTML = True
EPAPER_PROOFING = False  # no 校对 page, no 标题据导语拟 badge: the reader's site
DELETE_OUTPUT_DIRECTORY = False  # incremental: unchanged files keep their bytes and mtime
