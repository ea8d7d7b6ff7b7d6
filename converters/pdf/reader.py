"""The page PDF as the source of a page's structure: one page in, typed blocks out.

``read_page`` runs the stages of this package on one PDF page — characters
(:mod:`~converters.pdf.chars`), lines, blocks, bands and reading order
(:mod:`~converters.pdf.layout`), roles (:mod:`~converters.pdf.roles`) — and returns what
the converter's later stages take: typed :class:`~converters.model.Block` objects in
reading order, the facts the masthead or folio prints, each story's boxes on the page (the
printed page's regions come from these), and whether the text layer can be trusted.

A text layer is not trusted when the page has next to no text (a scan), or when more than
a few of its glyphs have no Unicode value (private-use code points, U+FFFD: a font without
a Unicode map); the caller then reports the page and reads the dump instead.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import pypdfium2 as pdfium

from converters import masthead as mh
from converters.model import Block, Kind, PageFacts
from converters.pdf import layout as L
from converters.pdf.chars import PageChars, read_chars
from converters.pdf.roles import decide, facts_line, labels_heading_nothing, leave_out_adverts, typed_blocks

#: Fewer printable characters than this: no text layer to speak of (a scanned page).
MIN_TEXT = 40
#: More than this share of glyphs without a Unicode value: the text layer is garbled.
MAX_UNTRUSTED = 0.01

#: One character making up more than this share of a page's glyphs: not text (real Chinese
#: text's most frequent characters, 的 and ，, are a few per cent each).
MAX_ONE_GLYPH = 0.3

Box = tuple[float, float, float, float]


@dataclass
class PdfStory:
    """One story as the layout shows it: its boxes (points, y down) and its text."""

    boxes: list[Box] = field(default_factory=list)
    title: str = ""
    text: str = ""


@dataclass
class PdfReading:
    width: float
    height: float
    blocks: list[Block]
    facts: PageFacts
    masthead_paper: str = ""
    stories: list[PdfStory] = field(default_factory=list)
    problem: str = ""  # "" when usable; else "no-text" or "garbled"
    body: float = 10.0  # the running text's type size, points
    untrusted: int = 0
    printable: int = 0
    adverts: list[str] = field(default_factory=list)  # the advertisements left out: each one's first words
    advert_text: str = ""  # and all their text (a dump of the page holds it)
    labels: list[str] = field(default_factory=list)  # display type that heads no story (a banner)
    scanned: bool = False  # the text is set on an image of the page (a scan with an OCR text layer)

    @property
    def text(self) -> str:
        """The page's text, masthead and folio aside (what a dump of it holds)."""
        return "".join(b.text for b in self.blocks if b.kind not in (Kind.MASTHEAD, Kind.FOLIO)) + self.advert_text


class NotAPdf(ValueError):
    """The file could not be opened as a PDF (the message says why: damaged, encrypted, not a PDF)."""


def open_document(data: bytes) -> pdfium.PdfDocument:
    """The document, or :class:`NotAPdf` with PDFium's reason (an encrypted PDF: its password)."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise NotAPdf("it is not a PDF (no %PDF header)")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if "password" in reason.lower():
            raise NotAPdf("it is encrypted (a password is needed to open it)") from None
        raise NotAPdf(f"PDFium cannot open it ({reason})") from None
    if len(doc) < 1:
        doc.close()
        raise NotAPdf("it has no page")
    return doc


def band_facts(lines: list[L.Line], paper_names: dict[str, str]) -> tuple[PageFacts, str, list[str]]:
    """What the masthead or folio prints: date, weekday, lunar date, issue, CN and postal
    numbers, page number and page name; the paper's name when the masthead prints it; the
    pieces read (a line is cut at gaps wider than two characters)."""
    facts = PageFacts()
    paper = ""
    pieces: list[str] = []
    for ln in lines:
        cur: list = []
        for c in ln.chars:
            if cur and c.x0 - cur[-1].x1 > 2.0 * c.size:
                pieces.append("".join(x.text for x in cur))
                cur = []
            cur.append(c)
        if cur:
            pieces.append(L._line(cur).text)
    numbers = []
    for raw in pieces:
        text = L.unspace(raw)
        if (d := mh.parse_date_line(text)) is not None:
            facts.date, facts.weekday, facts.lunar = d.date, d.weekday or facts.weekday, d.lunar or facts.lunar
            rest = text[text.find("星期"):] if "星期" in text else ""
            facts.weekday = facts.weekday or rest[:3]
        elif re.fullmatch(r"星期[一二三四五六日天]", text):
            facts.weekday = text
        elif mh.LUNAR_LINE.match(text):
            facts.lunar = text
        elif (iss := mh.parse_issue_line(text)) is not None and (iss[0] or iss[1]):
            facts.pages_total = iss[0] if iss[0] is not None else facts.pages_total
            facts.issue = iss[1] if iss[1] is not None else facts.issue
        elif (cn := mh.parse_cn_line(text)) is not None:
            facts.cn, facts.postal_code = cn[0] or facts.cn, cn[1] or facts.postal_code
        elif text in paper_names:
            paper = paper_names[text]
        elif (m := mh.FOLIO_PAGE_SECTION.match(text) or mh.FOLIO_PAGE.match(text)) is not None:
            numbers.append(int(m["page"]))
            if m.groupdict().get("section"):
                facts.section = m["section"]
        elif (m := re.fullmatch(r"(?P<section>[\u4e00-\u9fff·]{1,6})\s*(?P<page>\d{1,3})", text)) is not None:
            facts.section, _ = m["section"], numbers.append(int(m["page"]))
        elif mh.SECTION_WORD.match(text) and not mh.PAPER_NAME.match(text):
            facts.section = facts.section or text
    if numbers:
        facts.page = numbers[0]
    elif paper:
        facts.page = 1  # the masthead with the paper's name is printed on the front page
    facts.paper = paper
    return facts, paper, pieces


def _drawn(page: pdfium.PdfPage, chars: PageChars, body: float) -> tuple[list[Box], list[Box], list[Box]]:
    """(pictures, rules, boxes) in points from the top-left, from one pass over the page's paths.
    Pictures: the images, and filled shapes of a photo's size with no text on them (a
    placeholder or a drawn picture).  Rules: the lines the page draws across (between
    stories), paths no taller than a third of the body's type and wider than ten
    characters of it, and the top and bottom edges of a box drawn that wide (a boxed
    advertisement or story across the page parts the page as a rule does).  Boxes: those
    boxes (a frame, or a band of colour text is set on)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    pics, rules, boxes = list(chars.pictures), [], []
    left, _bottom, _right, top = page.get_cropbox()
    area = chars.width * chars.height
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    mode, stroke = ctypes.c_int(), ctypes.c_int()
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2):
        x0, y0, x1, y1 = obj.get_bounds()
        box = (x0 - left, top - y1, x1 - left, top - y0)
        if box[3] - box[1] <= body / 3 and box[2] - box[0] >= 10 * body:
            if box not in rules:
                rules.append(box)
            continue
        if box[2] - box[0] >= 10 * body and box[3] - box[1] >= 2 * body:
            if box not in boxes:
                boxes.append(box)
            for y in (box[1], box[3]):
                edge = (box[0], y, box[2], y)
                if edge not in rules:
                    rules.append(edge)
        if (box[2] - box[0]) * (box[3] - box[1]) < 0.005 * area:
            continue
        if not pdfium_c.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(mode), ctypes.byref(stroke)) or mode.value == 0:
            continue
        if not pdfium_c.FPDFPageObj_GetFillColor(obj.raw, *(ctypes.byref(v) for v in (r, g, b, a))):
            continue
        if a.value < 128 or (r.value + g.value + b.value) / 3 > 215:  # a tint behind text, not a picture
            continue
        if any(box[0] <= (c.x0 + c.x1) / 2 <= box[2] and box[1] <= (c.y0 + c.y1) / 2 <= box[3]
               for c in chars.chars):
            continue  # text set on it: a box or a band, not a picture
        if box not in pics:
            pics.append(box)
    return pics, rules, boxes


def read_page(page: pdfium.PdfPage, paper_names: dict[str, str]) -> PdfReading:
    """One page of a PDF read (see the module's doc)."""
    chars = read_chars(page)
    reading = PdfReading(chars.width, chars.height, [], PageFacts(), untrusted=chars.untrusted,
                         printable=chars.printable, scanned=bool(chars.grounds))
    if chars.printable < MIN_TEXT:
        reading.problem = "no-text"
        return reading
    common = Counter(c.text for c in chars.chars).most_common(1)[0][1]
    if chars.untrusted_share > MAX_UNTRUSTED or common > MAX_ONE_GLYPH * chars.printable:
        # glyphs without Unicode values, or one glyph for most of the page (a font whose
        # glyphs all map to one placeholder character): no text to publish
        reading.problem = "garbled"
        reading.untrusted = max(chars.untrusted, common)
        return reading
    lines = L.make_lines(chars.chars)
    blocks = L.make_blocks(lines)
    body = reading.body = L.body_size(blocks)

    def headline(b: L.TextBlock) -> bool:
        """A title's type that is not the paper's name, edition facts or a folio's page (a
        story's headline set beside the masthead)."""
        text = L.unspace(b.text)
        if b.size < 1.3 * body or len(text) < 5 or text in paper_names:
            return False
        pieces = band_facts(b.lines, paper_names)[2]
        return not all(L.unspace(t) in paper_names or facts_line(L.unspace(t))
                       or re.fullmatch(r"[\u4e00-\u9fff·]{0,6}\s*第?\d{1,3}版?", L.unspace(t)) for t in pieces)

    top, rest, foot = L.bands(blocks, chars.height, body, headline)
    band_lines = [ln for b in top + foot for ln in b.lines]
    reading.facts, reading.masthead_paper, pieces = band_facts(band_lines, paper_names)
    pictures, rules, boxes = _drawn(page, chars, body)
    # The pictures take part in cutting the page (a photo fills its column as text does,
    # so no cut runs across it), and are left out of the text's order.
    laid = [*rest, *(L.Picture(box) for box in pictures)]
    order = [b for b in L.reading_order(laid, lambda b: b.box, 0.3 * body,
                                        running=lambda b: isinstance(b, L.TextBlock)
                                        and abs(b.size - body) <= 0.15 * body and not b.bold,
                                        rules=rules,
                                        upright=lambda b: isinstance(b, L.TextBlock) and b.set_vertically)
             if isinstance(b, L.TextBlock)]
    flow = decide(order, body, pictures, paper_names, rules, boxes)
    # advertisements are no stories (their pictures neither); named in the report
    reading.adverts, reading.advert_text, in_advert = leave_out_adverts(flow, boxes, 0.5 * chars.width * chars.height)
    outside = [ln for p in flow.items if p.kind is Kind.MASTHEAD for ln in p.block.lines]
    if outside:  # a masthead beside the stories, not in a band across the page
        reading.facts, reading.masthead_paper, pieces = band_facts(band_lines + outside, paper_names)
    columns = _column_lefts(rest, body)
    # (the page's staff in a band: a folio line, named in the report)
    band_blocks = [Block(line=n + 1, text=t, kind=Kind.MASTHEAD if reading.masthead_paper and not mh.is_page_staff(t)
                         else Kind.FOLIO, page_staff=mh.is_page_staff(t)) for n, t in enumerate(pieces)]
    first = len(band_blocks)
    story_of_picture = dict(flow.caption_of)
    for n, pic in enumerate(pictures):  # a picture without a caption: the story right under or above it
        if n not in story_of_picture and n not in in_advert and (near := _story_near(flow, pic)) is not None:
            story_of_picture[n] = near
    reading.labels = labels_heading_nothing(flow, set(story_of_picture.values()))
    figures: dict[int, list[Box]] = {}
    for n in sorted(story_of_picture, key=lambda n: (pictures[n][1], pictures[n][0])):
        figures.setdefault(story_of_picture[n], []).append(pictures[n])
    reading.blocks = band_blocks + typed_blocks(flow, columns, lambda k: first + k, figures)
    stories: dict[int, PdfStory] = {}
    heads: dict[int, Box] = {}  # a story's headline block: decks and the byline under them, one rectangle
    for n, p in enumerate(flow.items):
        if p.story < 0:
            continue
        s = stories.setdefault(p.story, PdfStory())
        in_head = p.kind in (Kind.KICKER, Kind.HEADLINE, Kind.SUBTITLE) or (
            p.kind is Kind.BYLINE and not p.trailing and n > 0 and flow.items[n - 1].kind in
            (Kind.KICKER, Kind.HEADLINE, Kind.SUBTITLE, Kind.BYLINE))
        if in_head:
            h = heads.get(p.story)
            b = p.block.box
            heads[p.story] = b if h is None else (min(h[0], b[0]), min(h[1], b[1]), max(h[2], b[2]), max(h[3], b[3]))
        else:
            s.boxes.append(p.block.box)
        s.text += p.block.text
        if p.kind is Kind.HEADLINE:
            s.title += p.block.text
    for n, story in story_of_picture.items():
        if story in stories:
            stories[story].boxes.append(pictures[n])
    for k, story in stories.items():
        story.boxes = ([heads[k]] if k in heads else []) + merge_columns(story.boxes, 3 * body)
    reading.stories = [stories[k] for k in sorted(stories)]
    return reading


def _story_near(flow, pic: Box) -> int | None:
    """The story of the block right under or above a picture, overlapping it across."""
    near = min((p for p in flow.items if p.story >= 0 and min(p.block.x1, pic[2]) - max(p.block.x0, pic[0]) > 0),
               key=lambda p: min(abs(p.block.y0 - pic[3]), abs(pic[1] - p.block.y1)), default=None)
    return near.story if near is not None else None


def merge_columns(boxes: list[Box], reach: float) -> list[Box]:
    """A story's boxes as the page sets it: the blocks one above the other in a column (its
    text, a subhead centred in it, the next text) as one rectangle, when at most ``reach``
    apart; side by side columns stay apart."""
    out = list(boxes)
    merged = True
    while merged:
        merged = False
        for i in range(len(out)):
            for j in range(i + 1, len(out)):
                a, b = out[i], out[j]
                overlap = min(a[2], b[2]) - max(a[0], b[0])
                gap = max(a[1], b[1]) - min(a[3], b[3])
                if overlap >= 0.5 * min(a[2] - a[0], b[2] - b[0]) and gap <= reach:
                    out[i] = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                    del out[j]
                    merged = True
                    break
            if merged:
                break
    return out


def _column_lefts(blocks: list[L.TextBlock], body: float) -> list[float]:
    """The left edges of the page's text columns: where blocks of running text start."""
    lefts = sorted({round(b.x0) for b in blocks if len(b.lines) >= 3 and abs(b.size - body) <= 0.1 * body})
    out: list[float] = []
    for x in lefts:
        if not out or x - out[-1] > 3 * body:
            out.append(x)
    return out
