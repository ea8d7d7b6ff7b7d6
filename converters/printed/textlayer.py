"""A page PDF's text layer as lines of text with their boxes, and its pictures' boxes.

PDFium (pypdfium2) gives every character of the page with its box; it does no layout
analysis.  Characters come in the order the PDF draws them, which for a typeset page is
line by line within each text block, so a line is a run of characters that sit on one
baseline, next to each other.  Coordinates are turned into fractions of the page (its
crop box) from the top-left corner, as the page image and the content contract use them.
"""

from __future__ import annotations

import statistics
import unicodedata
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from converters.pdf.chars import page_frame


@dataclass(frozen=True)
class Box:
    """A rectangle in fractions of the page: x to the right, y downwards, from the top-left."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def area(self) -> float:
        return max(0.0, self.width) * max(0.0, self.height)

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))

    def intersects(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def gap(self, other: Box) -> tuple[float, float]:
        """Horizontal and vertical distance between the two (0 where they overlap)."""
        return (max(0.0, max(self.x0, other.x0) - min(self.x1, other.x1)),
                max(0.0, max(self.y0, other.y0) - min(self.y1, other.y1)))

    def x_overlap(self, other: Box) -> float:
        return max(0.0, min(self.x1, other.x1) - max(self.x0, other.x0))


@dataclass(frozen=True)
class TextLine:
    text: str  # the characters as the PDF has them (no generated spaces)
    box: Box
    em: float  # the line's character height, as a fraction of the page height


@dataclass(frozen=True)
class PageLayer:
    """What the matcher needs of a page PDF: its size, text lines and pictures."""

    width_pt: float
    height_pt: float
    lines: tuple[TextLine, ...]
    pictures: tuple[Box, ...]
    characters: int  # printable characters in the text layer (0: no text layer)


def normalize(text: str) -> str:
    """Text as matched: NFKC (full-width digits and letters become ASCII), letters and
    digits only, lower case.  Punctuation is left out: a dump's and a PDF's differ in it."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).lower() if c.isalnum())


def read_layer(page: pdfium.PdfPage) -> PageLayer:
    """The page's text lines and picture boxes (a page with rotation has its text in the
    unrotated frame: only unrotated pages get lines)."""
    left, bottom, right, top = page_frame(page)
    width, height = right - left, top - bottom

    def frac(x0: float, y0: float, x1: float, y1: float) -> Box:
        return Box((x0 - left) / width, (top - y1) / height, (x1 - left) / width, (top - y0) / height)

    pictures = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        x0, y0, x1, y1 = obj.get_bounds()
        box = frac(x0, y0, x1, y1)
        if box.area > 0.0005:  # ornaments and rules are smaller than a photo
            pictures.append(box)
    if page.get_rotation() % 360:
        return PageLayer(width, height, (), tuple(pictures), 0)
    textpage = page.get_textpage()
    try:
        chars: list[tuple[str, Box]] = []
        for i in range(textpage.count_chars()):
            if pdfium_c.FPDFText_IsGenerated(textpage.raw, i) == 1:
                chars.append(("\n", Box(0, 0, 0, 0)))  # a break PDFium inferred: ends a line
                continue
            code = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
            ch = chr(code) if 0 < code < 0x110000 else ""
            if not ch or ch.isspace() or unicodedata.category(ch)[0] == "C":
                chars.append((" ", Box(0, 0, 0, 0)))
                continue
            x0, y0, x1, y1 = textpage.get_charbox(i, loose=True)
            if x1 <= x0 or y1 <= y0:
                continue
            chars.append((ch, frac(x0, y0, x1, y1)))
    finally:
        textpage.close()
    lines = _lines(chars, width / height)
    return PageLayer(width, height, tuple(lines), tuple(pictures), sum(1 for c, _ in chars if c not in " \n"))


def _lines(chars: list[tuple[str, Box]], width_per_height: float) -> list[TextLine]:
    """Runs of characters on one baseline, each next to the one before (``width_per_height``:
    the page's proportions, to compare horizontal gaps with character heights)."""
    lines: list[TextLine] = []
    text: list[str] = []
    boxes: list[Box] = []

    def close() -> None:
        if text:
            box = boxes[0]
            for b in boxes[1:]:
                box = box.union(b)
            lines.append(TextLine("".join(text), box, statistics.median(b.height for b in boxes)))
        text.clear()
        boxes.clear()

    gap_allowed = 0.0
    for ch, box in chars:
        if ch == "\n":
            close()
            continue
        if ch == " ":
            gap_allowed = 1.0  # a real space widens the gap a line may have
            continue
        if boxes:
            last = boxes[-1]
            em = last.height
            same_band = abs(box.y1 - last.y1) < 0.35 * em and abs(box.y0 - last.y0) < 0.35 * em
            dx = (box.x0 - last.x1) * width_per_height  # in fractions of the page height, like em
            if not (same_band and -0.35 * em <= dx <= (0.8 + gap_allowed) * em):
                close()
        text.append(ch)
        boxes.append(box)
        gap_allowed = 0.0
    close()
    return lines


class NotAPagePdf(ValueError):
    """The PDF could not be opened or has no page (the message says why)."""


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    """The document, or :class:`NotAPagePdf` with PDFium's reason."""
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise NotAPagePdf(str(exc)) from None
    if len(doc) < 1:
        doc.close()
        raise NotAPagePdf("it has no page")
    return doc
