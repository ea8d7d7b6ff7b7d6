"""The bundled page dumps rewritten the way other layout tools write a page.

Each sample dump marks headings with ``##`` (title) and ``###`` (kicker above a title,
subtitle below it, subhead between paragraphs) and separates blocks by blank lines.
:func:`render` writes the same page as another tool would: every heading at one level,
levels by font size, bold subheads, no marks at all, picture references and anchors of
MinerU, marker, docling and PaddleOCR, or pdftotext's hard-wrapped lines with indented
paragraphs and a form feed.  The text does not change, so each rewritten dump has the
sample's gold, and the converter must reach it from any of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DIALECTS = ("flat-h1", "flat-h2", "marker", "mineru", "docling", "paddleocr", "bold-subheads", "no-marks",
            "pdftotext")

_CAPTION = re.compile(r"(供图|摄影|摄|制图)$")


@dataclass
class SourceBlock:
    text: str
    role: str  # title, kicker, subtitle, subhead, caption, text
    blank_before: int


def read_source(dump: str) -> list[SourceBlock]:
    """The sample's blocks with the roles its ``##``/``###`` convention gives them."""
    raw: list[tuple[str, int, int]] = []  # text, level, blank lines before
    blank = 0
    for line in dump.split("\n"):
        s = line.strip()
        if not s:
            blank += 1
            continue
        m = re.match(r"^(#{2,3})\s+(.*)$", s)
        raw.append((m.group(2) if m else s, len(m.group(1)) if m else 0, blank))
        blank = 0
    out: list[SourceBlock] = []
    for i, (text, level, blank) in enumerate(raw):
        role = "text"
        if level == 2:
            role = "title"
        elif level == 3:
            if i + 1 < len(raw) and raw[i + 1][1] == 2:
                role = "kicker"
            elif i > 0 and raw[i - 1][1] == 2:
                role = "subtitle"
            else:
                role = "subhead"
        elif _CAPTION.search(text):
            role = "caption"
        out.append(SourceBlock(text, role, blank))
    return out


def _wrap(text: str, width: int) -> list[str]:
    lines, cur, w = [], "", 0
    for ch in text:
        cw = 2 if len(ch.encode("utf-8")) == 3 else 1  # CJK, full-width marks and “” set one em wide
        if w + cw > width * 2 and cur:
            lines.append(cur)
            cur, w = "", 0
        cur += ch
        w += cw
    if cur:
        lines.append(cur)
    return lines


def _pdftotext(blocks: list[SourceBlock], starts: set[str]) -> str:
    """One line per printed line: paragraphs flow across the column cuts of the sample (the
    repeated word of a cut written once, as the page prints it), wrapped at 22 characters,
    indented where a paragraph starts; headings, bylines, captions and the masthead on lines
    of their own, no blank lines, a form feed at the end."""
    from converters.classify import DATELINE
    from converters.gold import norm
    from converters.reflow import doubled_prefix
    from converters.textutil import complete

    out: list[str] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            text = para[0]
            for piece in para[1:]:
                text += piece[doubled_prefix(text, piece):]
            out.extend(_wrap("\u3000\u3000" + text, 22))
            para.clear()

    for b in blocks:
        key = norm(b.text)[:12]
        starts_paragraph = key in starts or (len(key) < 12 and any(k.startswith(key) for k in starts)) \
            or bool(DATELINE.match(b.text))
        if b.role == "text" and para and not complete(para[-1]) and not starts_paragraph:
            para.append(b.text)  # a column cut of the sample: the printed paragraph flows on
            continue
        flush()
        if b.role == "text" and starts_paragraph:
            para.append(b.text)
        elif len(b.text) > 22 and b.role == "text":
            out.extend(_wrap(b.text, 22))
        else:
            out.append(b.text)
    flush()
    return "\n".join(out) + "\n\f"


def render(dump: str, dialect: str, paragraph_starts: set[str] | None = None) -> str:
    """``dump`` (a bundled sample) as ``dialect`` writes it.  ``paragraph_starts``: normalised
    openings of the gold's paragraphs (pdftotext indents those, as the printed page does)."""
    blocks = read_source(dump)
    if dialect == "pdftotext":
        return _pdftotext(blocks, paragraph_starts or set())
    out: list[str] = []
    picture = 0
    seen_text = False
    for b in blocks:
        t, r = b.text, b.role
        if dialect == "flat-h1":
            line = f"# {t}" if r in ("title", "kicker", "subtitle", "subhead") else t
        elif dialect == "flat-h2":
            line = f"## {t}" if r in ("title", "kicker", "subtitle", "subhead") else t
            if r == "caption":
                out.append("<!-- image -->")
        elif dialect == "docling":
            # Every heading, and the page header's short lines above the first story, as section headers.
            seen_text = seen_text or r in ("title", "kicker") or (r == "text" and len(t) > 24)
            line = f"## {t}" if r in ("title", "kicker", "subtitle", "subhead") or not seen_text else t
            if r == "caption":
                out.append("<!-- image -->")
        elif dialect == "marker":
            picture += r in ("title", "caption")
            anchor = f'<span id="page-0-{picture}"></span>'
            line = {"title": f"# {anchor}{t}", "kicker": f"#### {t}", "subtitle": f"### {t}",
                    "subhead": f"**{t}**"}.get(r, t.replace("*", "\\*"))
            if r == "caption":
                out.append(f"![](_page_0_Picture_{picture}.jpeg)")
        elif dialect == "mineru":
            line = f"# {t}" if r in ("title", "kicker", "subtitle", "subhead") else t
            line = re.sub(r"(?<![\d.])(\d+\.\d+)%", r"$\1\\%$", line)
            if r == "caption":
                out.append("![](images/3f9a0c1e2b4d.jpg)")
        elif dialect == "paddleocr":
            line = {"title": f"## {t}", "kicker": f"## {t}", "subtitle": f"## {t}", "subhead": f"### {t}"}.get(r, t)
            if r == "caption":
                out.append('<div style="text-align: center;"><img src="imgs/img_in_image_box_10_20_300_200.jpg" '
                           'alt="Image" width="48%" /></div>')
        elif dialect == "bold-subheads":
            line = {"title": f"## {t}", "kicker": f"### {t}", "subtitle": f"### {t}", "subhead": f"**{t}**"}.get(r, t)
        elif dialect == "no-marks":
            line = t
        else:
            raise ValueError(dialect)
        if dialect == "no-marks" or b.blank_before:
            out.append("")
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"
