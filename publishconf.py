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
# Media (page pictures, page PDFs, story pictures) on a host of their own: past GitHub
# Pages' 1 GB (plugins/epaper_site/media.py holds these settings' defaults; docs/publishing.md).
# MEDIA_URL: their base URL (media are linked there and written to EPAPER_MEDIA_PATH, not
# into the site; `make media` uploads that folder).  EPAPER_PAGE_PDF: "publish", "none", or a
# URL pattern of the paper's own PDF host.  The preview (make html) keeps media in the site.
MEDIA_URL = os.environ.get("MEDIA_URL", "").rstrip("/")
EPAPER_MEDIA_PATH = os.environ.get("MEDIA_DIR") or str(ROOT / "output" / f"{PAPER}.media")  # noqa: F405
EPAPER_PAGE_PDF = os.environ.get("PAGE_PDF") or "publish"
if MEDIA_URL:
    STATIC_PATHS = []  # the story pictures go to the media folder, not the site
