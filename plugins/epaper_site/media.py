"""Media (page pictures, page PDFs, story pictures) on a host of their own.

A year of page pictures and PDFs is ~3.8 GB, far beyond GitHub Pages' 1 GB site, while
the pages are ~0.2 GB.  With ``MEDIA_URL`` set, a build links every media file at
``MEDIA_URL/<its site path>`` (the same path it has on the site today) and writes the
files into ``EPAPER_MEDIA_PATH`` instead of the site folder; ``make media`` uploads that
folder to a bucket (``tools/publish_remote.py``).  Unset (the default, and always in the
local preview), media stay in the site, as before.

``EPAPER_PAGE_PDF`` decides what becomes of the page PDFs: ``"publish"`` (with the other
media), ``"none"`` (no PDF link, the PDF not published), or a URL pattern of the paper's
own PDF host (``{date:%Y%m%d}``, ``{pp}`` as in ``EPAPER_PAGE_URL``), linked instead.

The settings' names, defaults and meanings are in ``settings.MEDIA``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .filters import rel
from .settings import MEDIA

#: Its settings, with their defaults from the one settings module.
DEFAULTS: dict[str, str] = {name: setting.default for name, setting in MEDIA.items()}
PDF_PUBLISH, PDF_NONE = "publish", "none"


class MediaSettingsError(ValueError):
    """Settings that cannot work together (the message names them)."""


@dataclass(frozen=True)
class Media:
    """Where a build puts and links its media."""

    url: str  # "" or an absolute base URL
    path: Path | None  # the media folder (only with url)
    page_pdf: str  # PDF_PUBLISH, PDF_NONE or a URL pattern

    @property
    def elsewhere(self) -> bool:
        """Media are linked at MEDIA_URL and written to the media folder, not the site."""
        return bool(self.url)

    @property
    def publish_pdf(self) -> bool:
        return self.page_pdf == PDF_PUBLISH

    def external_pdf(self, date: Any, pp: str) -> str:
        """The page's PDF on the paper's own host (``EPAPER_PAGE_PDF`` a pattern), else ""."""
        if self.page_pdf in (PDF_PUBLISH, PDF_NONE):
            return ""
        return self.page_pdf.format(date=date, pp=pp)

    @property
    def origin(self) -> str:
        """The media host for the pages' Content-Security-Policy (``img-src``), or ""."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}" if self.url else ""


def media_settings(settings: dict[str, Any]) -> Media:
    """The media settings, checked: a clear message instead of a site with broken pictures."""
    url = str(settings.get("MEDIA_URL", DEFAULTS["MEDIA_URL"]) or "").rstrip("/")
    folder = str(settings.get("EPAPER_MEDIA_PATH", DEFAULTS["EPAPER_MEDIA_PATH"]) or "")
    pdf = str(settings.get("EPAPER_PAGE_PDF", DEFAULTS["EPAPER_PAGE_PDF"]) or PDF_PUBLISH)
    if url and urlsplit(url).scheme not in ("http", "https"):
        raise MediaSettingsError(f"MEDIA_URL must be an absolute http(s) address, not {url!r}")
    if url and not folder:
        raise MediaSettingsError("MEDIA_URL is set but EPAPER_MEDIA_PATH is not: the media need a folder "
                                 "of their own (publishconf.py sets it from MEDIA_DIR)")
    if pdf not in (PDF_PUBLISH, PDF_NONE) and urlsplit(pdf).scheme not in ("http", "https"):
        raise MediaSettingsError(f"EPAPER_PAGE_PDF must be 'publish', 'none' or an http(s) URL pattern, not {pdf!r}")
    return Media(url, Path(folder) if url else None, pdf)


def media_link(target: str, here: str, siteurl: str, media_url: str = "") -> str:
    """The link to the media file at site path ``target`` from the page at ``here``: on the
    media host when there is one, else as any other link of the site (:func:`rel`)."""
    return f"{media_url}/{target}" if media_url else rel(target, here, siteurl)
