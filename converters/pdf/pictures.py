"""A story's pictures, cut from its page PDF: the photo's box rendered and saved as WebP.

The reader (:mod:`converters.pdf.reader`) knows each picture's box and its story (the
caption under it, else the story right under or above it) and puts a FIGURE block in the
story whose ``src`` names the box (``pdf-box:x0,y0,x1,y1``, points from the page's top-left).
Here each such figure becomes a file: PDFium renders the page's box (an image object, or a
photo drawn as shapes, shows as printed, cropped and scaled as the page sets it) at
:data:`DPI`, Pillow writes it as WebP with fixed settings, and its name is the digest of its
bytes, so the same PDF gives the same files and a file is rewritten only when it changed.
A box of one flat colour (a layout's grey placeholder for a photo) is not published.
"""

from __future__ import annotations

import hashlib
import io
import re

from converters.figures import image_rel
from converters.model import Figure, Page

SCHEME = "pdf-box:"
#: Resolution of a story's picture: a photo two columns wide (~90 mm) is ~700 px, what an
#: article page shows; :data:`MAX_SIDE` bounds a picture across the whole page.
DPI = 200
MAX_SIDE = 1600
#: WebP quality and method: fixed, so the bytes are the same on every run.
QUALITY, METHOD = 80, 4
_BOX = re.compile(r"^pdf-box:(-?[\d.]+),(-?[\d.]+),(-?[\d.]+),(-?[\d.]+)$")

Box = tuple[float, float, float, float]


def figure_for(box: Box, line: int) -> Figure:
    """The figure naming a picture's box on its page."""
    return Figure(src=SCHEME + ",".join(f"{v:.2f}" for v in box), line=line)


def is_pdf_figure(fig: Figure) -> bool:
    return fig.src.startswith(SCHEME)


#: A rendered box whose every channel spans fewer levels than this is one flat colour: a
#: placeholder for a photo (a grey box in a layout), not a picture worth publishing.
FLAT = 8


#: Below this share of a dump story's letters, no PDF story is taken for the same story.
UNPLACED = 0.3


def take_dump_figures(page: Page, dump_page: Page) -> None:
    """The dump's own picture files (the photos as delivered, better than a rendering of the
    printed page) for the stories the PDF reader made: each dump story's figures go to the
    PDF's story with its title, else the one sharing most of its text, in place of the
    figures cut from the page."""
    from converters.pdf.source import agreement

    for dump_art in dump_page.articles:
        if not dump_art.figures or not page.articles:
            continue
        target = next((a for a in page.articles if a.title == dump_art.title), None)
        if target is None:
            text = "".join(b.text for b in dump_art.body)
            share, target = max(((agreement("".join(b.text for b in a.body), text), a) for a in page.articles),
                                key=lambda t: t[0])
            if share < UNPLACED:  # no PDF story tells this one: reported, never given to a stranger
                for fig in dump_art.figures:
                    page.warn("pdf-figure-unplaced", fig.line, dropped=fig.src, src=fig.src or "?")
                continue
        target.figures = [f for f in target.figures if not is_pdf_figure(f)] + list(dump_art.figures)


def render_box(page, box: Box) -> bytes | None:
    """The box of an open PDFium page as WebP bytes; None when it is one flat colour."""
    x0, y0, x1, y1 = box
    width, height = page.get_size()
    scale = min(DPI / 72, MAX_SIDE / max(x1 - x0, y1 - y0, 1.0))
    crop = (max(x0, 0.0), max(height - y1, 0.0), max(width - x1, 0.0), max(y0, 0.0))
    # a glance first (a tenth of a millisecond; the full rendering takes tens): a placeholder
    # is flat inside its edges
    inset = tuple(c + 2.0 for c in crop)
    if all(hi - lo < FLAT for lo, hi in page.render(scale=0.25, crop=inset).to_pil().convert("RGB").getextrema()):
        return None
    img = page.render(scale=scale, crop=crop).to_pil().convert("RGB")
    if all(hi - lo < FLAT for lo, hi in img.getextrema()):
        return None
    buf = io.BytesIO()
    img.save(buf, format="WEBP", quality=QUALITY, method=METHOD)
    return buf.getvalue()


def resolve_pdf_figures(page: Page, pdf_page) -> list[tuple[str, bytes]]:
    """Render each article's ``pdf-box:`` figures from ``pdf_page`` (the PDFium page the
    reader read, still open): the article's ``images`` get their files' places
    (``images/<date>/<PP>/<digest>.webp``); returns (rel, bytes) of the files to write.  The
    figures are taken off the articles (they are not references to files beside a dump)."""
    out: dict[str, bytes] = {}
    for art in page.articles:
        for fig in art.figures:
            m = _BOX.match(fig.src) if is_pdf_figure(fig) else None
            if m is None:
                continue
            data = render_box(pdf_page, tuple(float(v) for v in m.groups()))
            if data is None:  # a placeholder box: the story's region, no figure
                page.info("figure-placeholder", fig.line)
                continue
            rel = image_rel(page.facts.date, page.facts.page or 0, f"pdf-{hashlib.sha256(data).hexdigest()[:16]}.webp")
            out[rel] = data
            if rel not in art.images:
                art.images.append(rel)
        art.figures = [f for f in art.figures if not is_pdf_figure(f)]
    return sorted(out.items())
