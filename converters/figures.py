"""Pictures: the files a dump's picture references name, found beside the dump.

A layout tool writes the page's photos next to its text (MinerU ``images/…jpg``, marker
``_page_0_Picture_1.jpeg``, PaddleOCR ``imgs/…jpg``) and references them in the dump.  A
reference whose file is there becomes one of the article's images, copied into the
content folder (``images/<date>/<PP>/<name>``, which the site publishes as static files);
one whose file is missing, remote, outside the dump's folder or not a picture is
reported with its line and dropped, never left in the text.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from converters.model import Page
from epaper_contract import page_label

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"})
MAX_IMAGE_BYTES = 20 * 1024 * 1024
IMAGES_DIR = "images"  # under the paper's content folder; STATIC_PATHS in pelicanconf.py
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def image_rel(date: str, page_no: int, name: str) -> str:
    """Where a picture of a page goes, relative to the paper's content folder."""
    return f"{IMAGES_DIR}/{date}/{page_label(page_no)}/{name}"


def resolve_figures(page: Page, dump: Path) -> list[tuple[str, Path]]:
    """Give each article's figures their file in the content folder; return (rel, source) of
    the files to copy.  Problems are reported on ``page`` with the reference's line."""
    copies: dict[str, Path] = {}
    if not any(art.figures for art in page.articles):
        return []
    base = dump.resolve().parent
    for art in page.articles:
        for fig in art.figures:
            src = fig.src.strip()
            if not src:
                page.info("figure-placeholder", fig.line)
                continue
            problem, path = _locate(src, base)
            if problem:
                page.warn("figure-missing", fig.line, dropped=src, src=src, problem=problem)
                continue
            name = _name(path)
            rel = image_rel(page.facts.date, page.facts.page or 0, name)
            while rel in copies and copies[rel] != path:  # two folders, one file name
                name = f"{PurePosixPath(name).stem}-{len(copies)}{PurePosixPath(name).suffix}"
                rel = image_rel(page.facts.date, page.facts.page or 0, name)
            copies[rel] = path
            if rel not in art.images:
                art.images.append(rel)
    return sorted(copies.items())


def _locate(src: str, base: Path) -> tuple[str, Path]:
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", src) or src.startswith("//"):
        return "is a remote or non-file address (not fetched)", base
    path = (base / src.split("?")[0].split("#")[0]).resolve()
    if base not in path.parents:
        return "points outside the dump's folder", path
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return "is not a picture file", path
    if not path.is_file():
        return "is not there", path
    if path.stat().st_size > MAX_IMAGE_BYTES:
        return "is too large", path
    return "", path


def _name(path: Path) -> str:
    stem = _SAFE.sub("-", path.stem).strip("-.") or "picture"
    return f"{stem[:60]}{path.suffix.lower()}"

