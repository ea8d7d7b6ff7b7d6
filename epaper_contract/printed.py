"""The printed page in the content contract: ``content/<paper>/<date>/<PP>/page.json``.

Written by the converter (``converters/printed``) next to a page's articles when the
page's PDF or image was given (``raw/<paper>/<date>/<PP>.pdf`` or ``.jpg/.png/.webp``);
read by the site (``plugins/epaper_site``), which imports this module and never the
converter.  The files it names lie in the same folder::

    {"schema": 1,
     "source": {"kind": "pdf", "name": "01.pdf", "sha256": "…", "bytes": 801234},
     "pdf": "page.pdf",                       # the page's PDF, for download (kind "pdf" only)
     "size": {"width": 935.43, "height": 1360.63, "unit": "pt"},
     "images": [{"name": "page.webp", "width": 800, "height": 1164, "sha256": "…"},
                {"name": "page-large.webp", "width": 1600, "height": 2327, "sha256": "…"}],
     "thumbnail": {"name": "page-thumb.webp", "width": 256, "height": 372, "sha256": "…"},
     "text_layer": true,
     "regions": {"<article slug>": [[x0, y0, x1, y1], …], …}}

``regions`` holds, per article (by its ``Slug``), the rectangles it covers on the page,
as fractions of the page's width and height from its top-left corner (0 to 1, four
decimals), so they apply to the page image at every size.  A page image without a text
layer (an image source, or a scanned PDF) has no regions: ``"regions": {}``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

#: The page's print file in its content folder, and the names of what it lists.
PAGE_FILE = "page.json"
PDF_NAME = "page.pdf"
IMAGE_NAME = "page.webp"  # the page on a screen (up to 800 px wide)
LARGE_IMAGE_NAME = "page-large.webp"  # the page at reading resolution (up to 1600 px wide)
THUMBNAIL_NAME = "page-thumb.webp"  # the page in the edition's page list (256 px wide)
SCHEMA = 1
#: Every file of the printed page a content folder can hold.
FILE_NAMES = (PAGE_FILE, PDF_NAME, IMAGE_NAME, LARGE_IMAGE_NAME, THUMBNAIL_NAME)


@dataclass(frozen=True)
class PageImage:
    name: str
    width: int
    height: int


@dataclass(frozen=True)
class PrintedPage:
    """What the site needs of a page's ``page.json``: its files and the stories' rectangles."""

    folder: Path
    digest: str  # of page.json's bytes: changes whenever anything in it or its files changes
    images: tuple[PageImage, ...]  # smallest first
    thumbnail: PageImage
    pdf: str  # file name, or "" for an image page
    pdf_bytes: int
    regions: dict[str, tuple[tuple[float, float, float, float], ...]]

    @property
    def image(self) -> PageImage:
        """The screen-sized image (the ``src`` of the page view)."""
        return self.images[0]

    @property
    def aspect(self) -> float:
        return self.image.height / self.image.width

    def files(self) -> list[str]:
        """The file names of the page (all in ``folder``), for copying into the site."""
        names = [i.name for i in self.images] + [self.thumbnail.name]
        return names + ([self.pdf] if self.pdf else [])


class BadPageFile(ValueError):
    """A ``page.json`` that cannot be used (message names the file)."""


def _image(path: Path, data: object) -> PageImage:
    if not isinstance(data, dict):
        raise BadPageFile(f"{path}: an image entry is not an object")
    name, width, height = data.get("name"), data.get("width"), data.get("height")
    if not isinstance(name, str) or "/" in name or name.startswith(".") or name not in FILE_NAMES:
        raise BadPageFile(f"{path}: image name {name!r} is not one of {FILE_NAMES[2:]}")
    if not (isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0):
        raise BadPageFile(f"{path}: image {name} has no positive width and height")
    return PageImage(name, width, height)


def _rect(path: Path, slug: str, value: object) -> tuple[float, float, float, float]:
    if not (isinstance(value, list) and len(value) == 4 and all(isinstance(v, int | float) for v in value)):
        raise BadPageFile(f"{path}: a region of {slug} is not [x0, y0, x1, y1]")
    x0, y0, x1, y1 = (float(v) for v in value)
    if not (0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1):
        raise BadPageFile(f"{path}: a region of {slug} is not inside the page: {value}")
    return (x0, y0, x1, y1)


def load_page(folder: Path) -> PrintedPage | None:
    """The page's print file, or None when the page has none.

    Raises :class:`BadPageFile` when the file is there but unusable, or a file it names
    is missing (the site then builds the page without its image, and says so).
    """
    path = folder / PAGE_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise BadPageFile(f"{path}: not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise BadPageFile(f"{path}: not a page file of schema {SCHEMA}")
    images = tuple(sorted((_image(path, i) for i in data.get("images") or []), key=lambda i: i.width))
    if not images:
        raise BadPageFile(f"{path}: lists no page image")
    thumbnail = _image(path, data.get("thumbnail"))
    pdf = data.get("pdf") or ""
    if pdf and pdf != PDF_NAME:
        raise BadPageFile(f"{path}: pdf {pdf!r} is not {PDF_NAME!r}")
    regions_in = data.get("regions") or {}
    if not isinstance(regions_in, dict):
        raise BadPageFile(f"{path}: regions is not an object")
    regions = {str(slug): tuple(_rect(path, slug, r) for r in rects) for slug, rects in regions_in.items()
               if isinstance(rects, list)}
    pdf_bytes = 0
    for name in [i.name for i in images] + [thumbnail.name] + ([pdf] if pdf else []):
        try:
            size = (folder / name).stat().st_size
        except FileNotFoundError:
            raise BadPageFile(f"{path}: names {name}, which is not in {folder}") from None
        if name == pdf:
            pdf_bytes = size
    return PrintedPage(folder=folder, digest=hashlib.sha256(raw).hexdigest(), images=images,
                       thumbnail=thumbnail, pdf=pdf, pdf_bytes=pdf_bytes, regions=regions)
