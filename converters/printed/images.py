"""The page's pictures for the site: the page at reading and at screen size, and a thumbnail.

All WebP (every browser the site supports shows it; a text-heavy page is about a third
of its JPEG), made with fixed settings and from a fresh image without metadata, so the
same source gives the same bytes on every run.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

import epaper_contract.printed as P

#: (file name, largest width in pixels, WebP quality, WebP method) of each picture made of a page: the
#: large one (opened on demand) with a faster method, 2 % larger, half the time.
SIZES = ((P.LARGE_IMAGE_NAME, 1600, 80, 2), (P.IMAGE_NAME, 800, 78, 4), (P.THUMBNAIL_NAME, 256, 72, 4))
#: A page image larger than this (pixels) is refused: a decompression bomb, not a page.
MAX_PIXELS = 80_000_000


@dataclass(frozen=True)
class Picture:
    name: str
    width: int
    height: int
    data: bytes


class NotAPageImage(ValueError):
    """The image could not be read (the message says why)."""


def open_image(data: bytes) -> Image.Image:
    """A page image (JPEG, PNG or WebP) as RGB on white, turned upright by its EXIF tag."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        img = Image.open(io.BytesIO(data))
        if img.format not in ("JPEG", "PNG", "WEBP"):
            raise NotAPageImage(f"it is {img.format or 'an unknown format'}, not JPEG, PNG or WebP")
        img.load()
    except NotAPageImage:
        raise
    except Image.DecompressionBombError as exc:
        raise NotAPageImage(f"it is too large ({exc})") from None
    except (OSError, SyntaxError, ValueError) as exc:  # what Pillow raises for broken files
        raise NotAPageImage(f"it is not a readable image ({exc})") from None
    img = ImageOps.exif_transpose(img)
    return flatten(img)


def flatten(img: Image.Image) -> Image.Image:
    """RGB without transparency (on white) and without any metadata."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        base = Image.new("RGB", rgba.size, (255, 255, 255))
        base.paste(rgba, mask=rgba.getchannel("A"))
        img = base
    elif img.mode != "RGB":
        img = img.convert("RGB")
    clean = Image.new("RGB", img.size)
    clean.paste(img)
    return clean


def derive(page: Image.Image) -> list[Picture]:
    """The page's pictures, largest first; never wider than the page image itself."""
    out = []
    current = page
    for name, width, quality, method in SIZES:
        if current.width > width:
            height = max(1, round(current.height * width / current.width))
            current = current.resize((width, height), Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        current.save(buf, format="WEBP", quality=quality, method=method)
        out.append(Picture(name, current.width, current.height, buf.getvalue()))
    return out


def render_scale(width_pt: float, height_pt: float) -> float:
    """The scale at which PDFium renders a page for the largest picture (1600 px wide, and
    no side over 4000 px for an unusually long page)."""
    widest = SIZES[0][1]
    return min(widest / width_pt, 4000 / max(width_pt, height_pt))
