"""Every ``EPAPER_*`` and ``SEARCH_*`` setting, its default and what it means, in one place.

Pelican keeps its defaults in one ``DEFAULT_CONFIG``; this is the plugins' equivalent.
Call sites read a setting with :func:`get`, so a default is written once, here;
``docs/settings.md`` lists the same table (``tests/site/test_settings.py`` holds the two, and
the names the code reads, together).  ``pelicanconf.py``/``publishconf.py`` set what a
site changes.  The ``SEARCH_*`` settings are read by ``plugins/epaper_search`` (its own
call sites), listed here so the site has one list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple


class Setting(NamedTuple):
    default: Any
    meaning: str


#: URL patterns (``str.format`` fields: ``date``, ``pp``, ``year``, ``slug``, ``base``, ``n``);
#: a URL ending in ``/`` is saved as its ``index.html``.
URL_PATTERNS: dict[str, Setting] = {
    "EPAPER_EDITION_URL": Setting("{date:%Y}/{date:%m}/{date:%d}/", "an edition (期): its front page"),
    "EPAPER_PAGE_URL": Setting("{date:%Y}/{date:%m}/{date:%d}/{pp}/", "a page (版) of an edition"),
    "EPAPER_ARCHIVE_URL": Setting("archive/", "the archive: every year's calendar"),
    "EPAPER_ARCHIVE_YEAR_URL": Setting("archive/{year}/", "one year's calendar of editions"),
    "EPAPER_CITY_URL": Setting("city/{slug}/", "a city's stories (slug: epaper_contract.slugs.tag_slug)"),
    "EPAPER_TOPIC_URL": Setting("topic/{slug}/", "a topic's stories"),
    "EPAPER_REPORTER_URL": Setting("reporter/{slug}/", "a reporter's stories"),
    "EPAPER_CITIES_URL": Setting("city/", "the list of cities"),
    "EPAPER_TOPICS_URL": Setting("topic/", "the list of topics"),
    "EPAPER_REPORTERS_URL": Setting("reporter/", "the list of reporters"),
    "EPAPER_PAGINATION_URL": Setting("{base}page/{n}/", "page n of a long list ('page' is a reserved slug)"),
    "EPAPER_CITY_FEED_URL": Setting("feeds/city/{slug}.atom.xml", "a city's Atom feed"),
    "EPAPER_TOPIC_FEED_URL": Setting("feeds/topic/{slug}.atom.xml", "a topic's Atom feed"),
    "EPAPER_EDITION_JSON_URL": Setting("data/{date:%Y-%m-%d}.json", "an edition's open data (JSON)"),
    "EPAPER_CSV_URL": Setting("data/articles-{year}.csv", "a year's article index (CSV)"),
}

#: The site plugin's other settings.
SITE: dict[str, Setting] = {
    "EPAPER_PAPER_FACTS": Setting({}, "the paper's name, publisher, CN number...: shown in the "
                                      "masthead, the JSON-LD and the open data (pelicanconf.py from paper.toml)"),
    "EPAPER_CANONICAL_BASE": Setting("", "absolute site URL for <link rel=canonical> and JSON-LD; "
                                         "empty: none (a local build)"),
    "EPAPER_PER_PAGE": Setting(50, "entries per page of a city/topic/reporter list"),
    "EPAPER_CITY_FEEDS": Setting(True, "write an Atom feed per city"),
    "EPAPER_TOPIC_FEEDS": Setting(True, "write an Atom feed per topic"),
    "EPAPER_PROOFING": Setting(False, "the editor's 校对 page and the inferred-title badge "
                                      "(pelicanconf.py: on; publishconf.py: off)"),
    "EPAPER_SITEMAP": Setting(True, "write sitemap.xml (pelican-sitemap's format and SITEMAP settings)"),
    "EPAPER_MINIFY_HTML": Setting(False, "write HTML minified (minify-html; publishconf.py: on)"),
    "EPAPER_STORE": Setting(True, "keep read articles in the article store under CACHE_PATH, so a build "
                                  "reads only new or changed Markdown files"),
    "EPAPER_RENDER_CACHE": Setting(True, "keep each output unit's render key under CACHE_PATH, so a "
                                         "build renders only units whose inputs changed"),
    "EPAPER_READ_JOBS": Setting(None, "processes reading Markdown files in parallel; None: every core"),
    "EPAPER_READ_PARALLEL_MIN": Setting(400, "fewer files to read than this: read in this process"),
    "EPAPER_SHARD": Setting(None, "set by tools/shards.py only: the part a year-shard process plays "
                                  "({'role': 'year'|'stitch', ...}); None: the whole archive"),
}

#: Media on a host of their own (read in plugins/epaper_site/media.py; publishconf.py sets
#: them from the environment: MEDIA_URL, MEDIA_DIR, PAGE_PDF).
MEDIA: dict[str, Setting] = {
    "MEDIA_URL": Setting("", "absolute base URL of page pictures, page PDFs and story pictures; "
                             "empty: they stay in the site folder (the local preview always)"),
    "EPAPER_MEDIA_PATH": Setting("", "the folder a build with MEDIA_URL writes the media into "
                                     "(make media uploads it)"),
    "EPAPER_PAGE_PDF": Setting("publish", "the page PDFs: 'publish' (with the other media), 'none' "
                                          "(not published, no link), or a URL pattern of the paper's "
                                          "own PDF host ({date:%Y%m%d}, {pp})"),
}

#: The search plugin's settings (read in plugins/epaper_search; ``SEARCH_URL``/``SEARCH_SAVE_AS``
#: are Pelican's own direct-template settings for the search page).
SEARCH: dict[str, Setting] = {
    "SEARCH_INDEX_DIR": Setting("search/data", "folder of the search index under the output"),
    "SEARCH_WORKERS": Setting(None, "processes building index segments; None: all cores but one in "
                                    "the background, all cores otherwise"),
    "SEARCH_CACHE_PATH": Setting(None, "per-document terms kept between builds; None: "
                                       "<CACHE_PATH>/epaper_search, '': off"),
    "SEARCH_IN_BACKGROUND": Setting(True, "build the index in a forked process while Pelican renders"),
    "SEARCH_SHARD": Setting(None, "set by tools/shards.py only: a year's part of the index or the stitch"),
    "SEARCH_JS": Setting(False, "the search page's script exists (pelicanconf.py checks theme/static/js)"),
    "SEARCH_URL": Setting("search/", "the search page's URL (Pelican's direct-template setting)"),
    "SEARCH_SAVE_AS": Setting("search/index.html", "the search page's file (Pelican's direct-template setting)"),
}

#: Environment variables the settings files and tools read (not Pelican settings).
ENVIRONMENT: dict[str, str] = {
    "PAPER": "the paper's folder under raw/ and content/ (pelicanconf.py; default zjrb)",
    "SITEURL": "the site's URL (pelicanconf.py, publishconf.py)",
    "EPAPER_CACHE_DIR": "CACHE_PATH instead of .cache/pelican/<paper> (pelicanconf.py)",
    "EPAPER_BUILD_SYNC_DELETE": "tools/build.py removes the old tree before returning, not in the background",
    "EPAPER_SEGMENT_MEMO": "words memoised by epaper_contract.fastcut (default 20000; 0: off)",
    "EPAPER_JIEBA_CACHE": "folder of the converter's jieba dictionary cache (default .cache/jieba)",
    "EPAPER_LANG": "the converter's report language, zh or en (set by --lang)",
    "EPAPER_PREVIEW_URL": "the address feeds of a local build name (pelicanconf.py; default http://localhost:8000)",
}

ALL: dict[str, Setting] = {**URL_PATTERNS, **SITE, **MEDIA, **SEARCH}
#: Name -> default, as Pelican's ``DEFAULT_CONFIG``.
DEFAULT_CONFIG: dict[str, Any] = {name: s.default for name, s in ALL.items()}


def get(settings: Mapping[str, Any], name: str) -> Any:
    """A setting's value, or its default from :data:`DEFAULT_CONFIG` (a name not listed
    there is a programming error: KeyError)."""
    default = DEFAULT_CONFIG[name]
    return settings.get(name, default)
