"""Page PDFs for the tests, typeset from a converted page's articles, with the boxes laid out.

There is no real page PDF in the repository, so the tests make one: the articles of a
page folder (``content/<paper>/<date>/<PP>/*.md``) are set by WeasyPrint (a real
typesetting engine: CSS columns, line breaking, font subsetting) with Debian's Noto CJK
fonts, as a broadsheet: a masthead (front page) or folio, two column stacks with a rule
between stories, each story's body in CSS columns, and on the lead story a photograph (a
raster image of its own) above its caption.  The box of every story as WeasyPrint laid it
out is returned, in fractions of the page, so a test can compare the regions the
converter finds in the PDF's text layer with where the stories really are.

``python -m tests.support.printed_pages CONTENT_PAGE_FOLDER OUT.pdf`` writes one for a look.
"""

from __future__ import annotations

import base64
import html
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path

PAGE_MM = (330.0, 480.0)  # a broadsheet's type area plus margins, portrait
MARGIN_MM = 12.0
LARGEST_PT, SMALLEST_PT = 12.0, 6.0
PHOTO_PX = (1200, 640)


@dataclass
class LaidOutStory:
    slug: str
    title: str
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # x0, y0, x1, y1 (0..1, top-left)


@dataclass
class TypesetPage:
    pdf: bytes
    stories: dict[str, LaidOutStory]
    font_size_pt: float
    photo_box: tuple[float, float, float, float] | None


@dataclass
class _Article:
    slug: str
    title: str
    kicker: str
    subtitle: str
    authors: list[str]
    correspondents: list[str]
    caption: str
    order: int
    paragraphs: list[tuple[str, bool]]  # (text, is subhead)
    continued_on: str = ""
    continued_from: str = ""

    @property
    def chars(self) -> int:
        return sum(len(t) for t, _ in self.paragraphs)


def read_articles(folder: Path) -> list[_Article]:
    """The converter's Markdown files of one page, in reading order (a minimal reader: the
    header's ``Key: value`` lines, then paragraphs and ``###`` subheads)."""
    out = []
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        head, _, body = text.partition("\n\n")
        meta = {}
        for line in head.splitlines():
            key, _, value = line.partition(": ")
            meta[key] = html.unescape(value)
        paragraphs = []
        for line in body.splitlines():
            if line.strip():
                sub = line.startswith("### ")
                paragraphs.append((html.unescape(line[4:] if sub else line), sub))
        out.append(_Article(slug=meta.get("Slug", path.stem), title=meta.get("Title", ""),
                            kicker=meta.get("Kicker", ""), subtitle=meta.get("Subtitle", ""),
                            authors=[n for n in meta.get("Authors", "").split(", ") if n],
                            correspondents=[n for n in meta.get("Correspondents", "").split(", ") if n],
                            caption=meta.get("Caption", ""), order=int(meta.get("Order", "0") or 0),
                            paragraphs=paragraphs, continued_on=meta.get("ContinuedOn", ""),
                            continued_from=meta.get("ContinuedFrom", "")))
    return sorted(out, key=lambda a: (a.order, a.slug))


def photo_png(width: int = PHOTO_PX[0], height: int = PHOTO_PX[1]) -> bytes:
    """A photograph stand-in: sky, water and a skyline, as a PNG (no text in it)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(img)
    for y in range(height):
        t = y / height
        sky = (int(120 + 100 * t), int(160 + 60 * t), int(215 + 30 * t))
        water = (int(40 + 40 * t), int(90 + 40 * t), int(120 + 30 * t))
        draw.line([(0, y), (width, y)], fill=sky if t < 0.62 else water)
    x = 0
    seed = 7
    while x < width:
        seed = (seed * 1103515245 + 12345) % 2**31
        w = 30 + seed % 70
        h = 60 + (seed // 7) % int(height * 0.45)
        shade = 50 + (seed // 13) % 80
        draw.rectangle([x, int(height * 0.62) - h, x + w, int(height * 0.62)], fill=(shade, shade, shade + 20))
        x += w + 4
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _story_html(a: _Article, columns: int, photo: str | None) -> str:
    e = html.escape
    parts = [f'<article class="story" data-slug="{e(a.slug)}">']
    if a.kicker:
        parts.append(f'<p class="kicker">{e(a.kicker)}</p>')
    parts.append(f'<h1 class="{"lead" if photo else ""}">{e(a.title)}</h1>')
    if a.subtitle:
        parts.append(f'<p class="subtitle">——{e(a.subtitle)}</p>')
    names = []
    if a.authors:
        names.append("本报记者 " + " ".join(a.authors))
    if a.correspondents:
        names.append("通讯员 " + " ".join(a.correspondents))
    if names:
        parts.append(f'<p class="byline">{e("　".join(names))}</p>')
    if photo:
        parts.append(f'<figure><img src="{photo}" alt=""><figcaption>{e(a.caption)}</figcaption></figure>')
    parts.append(f'<div class="body" style="column-count: {columns}">')
    if a.continued_from:
        parts.append(f'<p class="jump">（上接第{int(a.continued_from):d}版）</p>')
    for text, sub in a.paragraphs:
        parts.append(f'<h2>{e(text)}</h2>' if sub else f"<p>{e(text)}</p>")
    if a.continued_on:
        parts.append(f'<p class="jump">（下转第{int(a.continued_on):d}版）</p>')
    parts.append("</div></article>")
    return "".join(parts)


def page_html(articles: list[_Article], *, paper: str, date_line: str, page: int, section: str,
              font_pt: float, photo_uri: str) -> tuple[str, str | None]:
    """The page as HTML and the slug of the story that carries the photo (if any)."""
    lead = next((a for a in articles if a.caption), None) or max(articles, key=lambda a: a.chars)
    main, side = [lead], []
    load_main, load_side = lead.chars / 1.7, 0.0
    for a in articles:
        if a is lead:
            continue
        if load_side <= load_main:
            side.append(a)
            load_side += a.chars
        else:
            main.append(a)
            load_main += a.chars / 1.7
    main.sort(key=lambda a: (a.order, a.slug))
    side.sort(key=lambda a: (a.order, a.slug))
    photo_slug = lead.slug if lead.caption else None

    def stack(items: list[_Article], columns: int) -> str:
        rule = '<div class="rule"></div>'
        return rule.join(_story_html(a, columns, photo_uri if a.slug == photo_slug else None) for a in items)

    if page == 1:
        head = (f'<header class="masthead"><div class="name">{html.escape(paper)}</div>'
                f'<div class="facts">{html.escape(date_line)}</div></header>')
    else:
        head = (f'<header class="folio"><span>{html.escape(date_line)}</span>'
                f'<span class="no">第{page:02d}版 {html.escape(section)}</span>'
                f'<span>{html.escape(paper)}</span></header>')
    css = f"""
@page {{ size: {PAGE_MM[0]}mm {PAGE_MM[1]}mm; margin: {MARGIN_MM}mm; }}
html {{ font-family: "Noto Serif CJK SC"; font-size: {font_pt}pt; line-height: 1.5; color: #111; }}
body {{ margin: 0; }}
.masthead {{ display: flex; justify-content: space-between; align-items: flex-end;
  border-bottom: 3pt double #a00; padding-bottom: 3mm; margin-bottom: 5mm; }}
.masthead .name {{ font-size: 48pt; font-weight: bold; color: #a00; line-height: 1; letter-spacing: 4pt; }}
.masthead .facts {{ font-family: "Noto Sans CJK SC"; font-size: 9pt; text-align: right; width: 40%; }}
.folio {{ display: flex; justify-content: space-between; font-family: "Noto Sans CJK SC"; font-size: 9pt;
  border-bottom: 1.5pt solid #a00; padding-bottom: 1.5mm; margin-bottom: 5mm; }}
.folio .no {{ font-weight: bold; color: #a00; }}
.columns {{ overflow: hidden; }}
.main {{ float: left; width: 62%; }} .side {{ float: right; width: 35.5%; }}
.story {{ margin: 0; padding: 0; }}
.rule {{ border-top: 0.75pt solid #555; margin: 3.5mm 0; }}
.kicker, .subtitle {{ font-family: "Noto Sans CJK SC"; font-size: 1.1em; text-align: center; margin: 0; }}
h1 {{ font-size: 2.1em; line-height: 1.3; text-align: center; margin: 0.1em 0 0.25em; font-weight: bold; }}
h1.lead {{ font-size: 2.8em; }}
h2 {{ font-family: "Noto Sans CJK SC"; font-size: 1.05em; font-weight: bold; text-align: center; margin: 0.3em 0;
  break-after: avoid; }}
.byline {{ font-family: "Noto Sans CJK SC"; font-size: 0.9em; text-align: center; margin: 0 0 0.5em; }}
figure {{ margin: 0 0 0.6em; }}
figure img {{ width: 100%; display: block; }}
figcaption {{ font-family: "Noto Sans CJK SC"; font-size: 0.85em; margin-top: 0.3em; }}
.body {{ column-gap: 1.2em; text-align: justify; }}
.body p {{ margin: 0; text-indent: 2em; }}
.body p.jump {{ text-indent: 0; text-align: right; font-family: "Noto Sans CJK SC"; }}
"""
    body = (f"<!doctype html><html lang=zh><head><meta charset=utf-8><style>{css}</style></head><body>{head}"
            f'<div class="columns"><div class="main">{stack(main, 3)}</div>'
            f'<div class="side">{stack(side, 2)}</div></div></body></html>')
    return body, photo_slug


def _boxes(page_box) -> tuple[dict[str, tuple[float, float, float, float]], tuple | None]:
    """Each story's border box (CSS px, top-left origin) and the photo's, from the layout tree."""
    stories: dict[str, tuple[float, float, float, float]] = {}
    photo = None
    todo = [page_box]
    while todo:
        box = todo.pop()
        element = getattr(box, "element", None)
        tag = getattr(box, "element_tag", "")
        if element is not None and tag == "article" and element.get("data-slug"):
            x, y = box.border_box_x(), box.border_box_y()
            stories[element.get("data-slug")] = (x, y, x + box.border_width(), y + box.border_height())
        if element is not None and tag == "img" and photo is None and hasattr(box, "border_box_x"):
            x, y = box.border_box_x(), box.border_box_y()
            photo = (x, y, x + box.border_width(), y + box.border_height())
        todo.extend(getattr(box, "children", []) or [])
    return stories, photo


def _font_sizes(chars: int) -> list[float]:
    """Type sizes to try, largest first, from the one the page's area suggests (laying out a
    page takes seconds: the first guess should be close)."""
    area = (PAGE_MM[0] - 2 * MARGIN_MM) * (PAGE_MM[1] - 2 * MARGIN_MM - 30)  # mm², masthead off
    area -= 0.62 * (PAGE_MM[0] - 2 * MARGIN_MM) ** 2 * PHOTO_PX[1] / PHOTO_PX[0] * 0.62
    per_char_at_1pt = 0.3528**2 * 1.5 * 1.3  # mm² of a character at 1 pt: line height, indents, gaps
    guess = (0.8 * area / (max(chars, 1) * per_char_at_1pt)) ** 0.5
    start = max(SMALLEST_PT, min(LARGEST_PT, int(guess * 2) / 2))
    return [start - 0.5 * i for i in range(int((start - SMALLEST_PT) * 2) + 1)]


def typeset(folder: Path, *, paper: str, date_line: str, page: int, section: str = "") -> TypesetPage:
    """Typeset the page folder's articles on one broadsheet page; the largest type that fits."""
    from weasyprint import HTML

    articles = read_articles(folder)
    if not articles:
        raise ValueError(f"{folder}: no articles to typeset")
    photo_uri = "data:image/png;base64," + base64.b64encode(photo_png()).decode("ascii")
    for font_pt in _font_sizes(sum(a.chars + len(a.title) * 4 for a in articles)):
        source, _ = page_html(articles, paper=paper, date_line=date_line, page=page, section=section,
                              font_pt=font_pt, photo_uri=photo_uri)
        doc = HTML(string=source).render()
        if len(doc.pages) == 1:
            break
    else:
        raise ValueError(f"{folder}: the articles do not fit on one page even at {SMALLEST_PT} pt")
    pg = doc.pages[0]
    width, height = pg.width, pg.height  # CSS px, margins included
    boxes, photo_box = _boxes(pg._page_box)
    by_slug = {a.slug: a for a in articles}

    def frac(b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        return (b[0] / width, b[1] / height, b[2] / width, b[3] / height)

    stories = {slug: LaidOutStory(slug, by_slug[slug].title, [frac(b)]) for slug, b in boxes.items()}
    missing = set(by_slug) - set(stories)
    if missing:
        raise ValueError(f"{folder}: stories not laid out: {sorted(missing)}")
    return TypesetPage(pdf=doc.write_pdf(), stories=stories, font_size_pt=font_pt,
                       photo_box=frac(photo_box) if photo_box else None)


def main(argv: list[str]) -> int:
    folder, target = Path(argv[0]), Path(argv[1])
    page = int(folder.name)
    result = typeset(folder, paper=argv[2] if len(argv) > 2 else "浙江日报",
                     date_line=f"{folder.parent.name}  第{page:02d}版", page=page)
    target.write_bytes(result.pdf)
    for s in result.stories.values():
        print(s.slug, [tuple(round(v, 3) for v in b) for b in s.boxes])
    print(f"{target}: {len(result.pdf)} bytes, type {result.font_size_pt} pt")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
