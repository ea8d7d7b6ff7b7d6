"""Stage 2a, dialects: what each layout tool adds to the text, turned into neutral lines.

Layout and OCR tools (MinerU, marker, docling, PaddleOCR, pdftotext, …) write the same
printed page in different ways: heading marks (``#`` … ``####``, ``**bold**``), picture
references (``![](images/…jpg)``, ``<img src=…>``, ``<!-- image -->``), anchors
(``<span id="page-0-3"></span>``), escapes and entities, inline math for numbers
(``$80.7\\%$``), pipe tables, and hard-wrapped lines cut at the column width with the
paragraphs marked by an indent and a form feed at the end.

Modelled on Python-Markdown's preprocessors: a registry of small processors, each with a
cheap ``test`` on the whole dump and a ``run`` over its lines, applied in priority order.
None of them decides what a line *is* (title, byline, body): they only remove the tool's
decoration and keep what it told (a heading mark becomes ``level``, whole-line emphasis
``bold``, a picture a :class:`Figure` line), so that the later stages see the same lines
whichever tool wrote the dump.  A new tool's quirk is one new processor here.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from converters import columns
from converters.classify import dateline_of, is_caption_text, looks_like_byline
from converters.credits import ROLE, parse_bare_names, parse_credits
from converters.model import Figure, Issue, Severity
from converters.segment import _fast, lcut, runs_across, word_freq
from converters.structure import has_column_label, spaced_phrases, title_shaped
from converters.textutil import (
    bracketed,
    complete,
    cut_at_one_width,
    ends_sentence,
    has_sentence_punct,
    open_bracket,
    visible_len,
)
from converters.unweave import unweave
from converters.unweave import width as _width


@dataclass(eq=False, slots=True)
class Line:
    """One line of the dump, with what the tool's decoration said about it."""

    number: int  # 1-based line in the dump (a rejoined hard-wrapped paragraph keeps its first)
    text: str
    blank_before: int = 0
    level: int = 0  # heading mark (# … ######)
    bold: bool = False  # the whole line was emphasised
    indent: bool = False  # it started with an indent (　　 or two spaces or a tab)
    figure: Figure | None = None
    column: int = 0  # the run of one column it was read from (side-by-side dumps), else 0
    one_type: bool = False  # in one block with the line above, by a tool whose blocks hold one type size
    apart: bool = False  # set on its own by its width between finished paragraphs: a subhead or a deck


@dataclass
class Dump:
    """A dump's lines while the preprocessors work on them."""

    text: str
    lines: list[Line]
    issues: list[Issue] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)  # names of the processors that ran

    def note(self, code: str, line: int = 0, dropped: str = "", severity: Severity = Severity.INFO,
             **params) -> None:
        self.issues.append(Issue.of(severity, code, line, dropped, **params))


@dataclass
class Preprocessor:
    name: str
    priority: int
    test: Callable[[Dump], bool]
    run: Callable[[Dump], None]
    tool: str = ""  # the layout tool whose signature this is, when it is one tool's


_INDENT = ("\u3000", "  ", "\t")
_EDGE_SPACE = " \t\u3000\u00a0"


def split_lines(text: str) -> Dump:
    """Text -> one :class:`Line` per non-empty line (blank lines counted, form feeds too)."""
    lines: list[Line] = []
    blank = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        if "\f" in raw:  # pdftotext ends every page with a form feed: a break like a blank line
            raw = raw.replace("\f", "")
            blank += 1
        line = raw.strip(_EDGE_SPACE)
        if not line:
            blank += 1
            continue
        lines.append(Line(number=number, text=line, blank_before=blank, indent=raw.startswith(_INDENT)))
        blank = 0
    return Dump(text=text, lines=lines)


# -- HTML: comments, pictures, anchors and other tags ------------------------------------

_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
# Unquoted attribute values may hold '=' (browsers read <svg onload=a=1> so).
_TAG = re.compile(r"""</?([A-Za-z][A-Za-z0-9]*)((?:\s+[A-Za-z_:@][-A-Za-z0-9_:.@]*"""
                  r"""(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>`]+))?)*)\s*/?>""")
_ATTR = re.compile(r"""([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'<>`]+)""")
#: Elements a layout tool writes; any other ``<word …>`` is text about markup and stays text.
HTML_ELEMENTS = frozenset("""
a abbr b big blockquote br center cite code dd del div dl dt em figcaption figure font h1 h2 h3 h4 h5 h6
hr i img ins kbd li mark ol p pre q s samp section small span strike strong sub sup table tbody td tfoot
th thead tr tt u ul var header footer article aside nav main caption colgroup col label picture source
script style iframe object embed svg math
""".split())  # noqa: SIM905
#: Their content is never text of the page.
_DROP_CONTENT = ("script", "style", "iframe", "object", "svg", "math")
#: Tags that end a line of text where they stand.
_BREAKS = frozenset("""br p div li tr table h1 h2 h3 h4 h5 h6 blockquote figure figcaption section header
footer article caption dt dd hr pre ul ol""".split())  # noqa: SIM905
_HEADING_TAG = re.compile(r"^h([1-6])$")
_HAS_CJK = re.compile(r"[\u3400-\u9fff]")


def _has_comment(d: Dump) -> bool:
    return "<!--" in d.text


def _run_comments(d: Dump) -> None:
    """docling writes ``<!-- image -->`` where a picture stands; other comments are dropped."""
    def figure(m: re.Match, ln: Line) -> Figure | None:
        body = m.group(1).strip()
        if re.fullmatch(r"(?i)(image|picture|figure|img)\b.*", body):
            return Figure(src="", alt="", line=ln.number)
        d.note("comment-dropped", ln.number, dropped=m.group(0), text=body[:40])
        return None

    d.lines = [piece for ln in d.lines
               for piece in (_explode(ln, _COMMENT, figure) if "<!--" in ln.text else [ln])]


def _explode(ln: Line, pattern: re.Pattern, figure: Callable[[re.Match, Line], Figure | None]) -> list[Line]:
    """``ln`` without what ``pattern`` matches: each match becomes a picture line (or nothing),
    set before the line's text, which stays one line (a picture inside a paragraph does not
    cut it)."""
    figures: list[Line] = []
    chunks: list[str] = []
    pos = 0
    for m in pattern.finditer(ln.text):
        chunks.append(ln.text[pos:m.start()])
        fig = figure(m, ln)
        if fig is not None:
            figures.append(Line(number=ln.number, text="", figure=fig))
        pos = m.end()
    chunks.append(ln.text[pos:])
    text = ""
    for c in (c.strip(_EDGE_SPACE) for c in chunks):
        if c:
            text += (" " if text and text[-1].isascii() and c[0].isascii() else "") + c
    kept = figures + ([Line(number=ln.number, text=text, level=ln.level, bold=ln.bold)] if text else [])
    if kept:
        kept[0].blank_before, kept[0].indent = ln.blank_before, ln.indent
    return kept


def _has_tag(d: Dump) -> bool:
    return "<" in d.text and _TAG.search(d.text) is not None


_DROP_BLOCK = re.compile(r"<(script|style|iframe|object|svg|math)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_DROP_OPEN = re.compile(r"<(script|style|iframe|object|svg|math)\b[^>]*(?<!/)>", re.I)


def _run_tags(d: Dump) -> None:
    """Tags are layout, not text: pictures become figures, headings a level, anchors and
    inline tags go (their text stays), script and style go whole (reported)."""
    _drop_blocks(d)
    out: list[Line] = []
    stripped = 0
    for ln in d.lines:
        if "<" not in ln.text:
            out.append(ln)
            continue
        figures: list[Line] = []
        pieces: list[Line] = [Line(number=ln.number, text="", level=ln.level, bold=ln.bold)]
        pos = 0
        text = ln.text
        for m in _TAG.finditer(text):
            name = m.group(1).lower()
            if name not in HTML_ELEMENTS:
                continue  # "<技术>" or "</title>": text about markup, escaped when written
            current = pieces[-1]
            current.text += text[pos:m.start()]
            pos = m.end()
            closing = m.group(0).startswith("</")
            attrs = dict((k.lower(), v.strip("\"'")) for k, v in _ATTR.findall(m.group(2) or ""))
            if name in _DROP_CONTENT or any(k.startswith("on") for k in attrs) \
                    or "javascript:" in m.group(0).lower():
                d.note("markup-dropped", ln.number, dropped=m.group(0)[:200], severity=Severity.WARNING, tag=name,
                       what="with a script or an embedded object: dropped with its content" if name in _DROP_CONTENT
                       else "with a script or an embedded object: the tag dropped, its text kept")
                if name in _DROP_CONTENT:
                    continue
            if name == "img":
                figures.append(Line(number=ln.number, text="", figure=Figure(
                    src=html.unescape(attrs.get("src", "")), alt=html.unescape(attrs.get("alt", "")),
                    line=ln.number)))
                continue
            if name in ("b", "strong") and not closing and not current.text.strip() \
                    and text[m.end():].rstrip().endswith(f"</{m.group(1)}>"):
                current.bold = True
            if name in _BREAKS:
                if current.text.strip():
                    pieces.append(Line(number=ln.number, text=""))
                hm = _HEADING_TAG.match(name)
                if hm and not closing:
                    pieces[-1].level = int(hm.group(1))
            else:
                stripped += 1
                if _HAS_CJK.search(m.group(0)):  # a title="…" in Chinese: not lost unmentioned
                    d.note("markup-attribute-dropped", ln.number, dropped=m.group(0)[:200], tag=name)
        pieces[-1].text += text[pos:]
        for p in pieces:
            p.text = p.text.strip(_EDGE_SPACE)
        kept = figures + [p for p in pieces if p.text]
        if kept:
            kept[0].blank_before, kept[0].indent = ln.blank_before, ln.indent
        out.extend(kept)
    d.lines = out
    if stripped:
        d.note("markup-stripped", count=stripped)


def _drop_blocks(d: Dump) -> None:
    """``<script>…</script>`` and the like, on one line or across lines, go with their content
    (reported, the content with them); an opening tag that is never closed goes alone."""
    out: list[Line] = []
    lines = d.lines
    i = 0
    while i < len(lines):
        ln = lines[i]
        i += 1
        if "<" not in ln.text:
            out.append(ln)
            continue
        for m in _DROP_BLOCK.finditer(ln.text):
            d.note("markup-dropped", ln.number, dropped=m.group(0)[:200], severity=Severity.WARNING,
                   tag=m.group(1).lower(), what="not text of the page, dropped with its content")
        ln.text = _DROP_BLOCK.sub("", ln.text).strip(_EDGE_SPACE)
        m = _DROP_OPEN.search(ln.text)
        if m is not None:
            name = m.group(1).lower()
            close = re.compile(rf"</{name}\s*>", re.I)
            end = next((j for j in range(i, len(lines)) if close.search(lines[j].text)), None)
            if end is not None:  # content up to the closing tag goes, the text after it stays
                gone = [ln.text[m.start():], *(x.text for x in lines[i:end])]
                tail = close.split(lines[end].text, maxsplit=1)
                gone.append(lines[end].text[:len(lines[end].text) - len(tail[-1])])
                d.note("markup-dropped", ln.number, dropped=" ".join(gone)[:200], severity=Severity.WARNING,
                       tag=name, what="not text of the page, dropped with its content")
                ln.text = ln.text[:m.start()].strip(_EDGE_SPACE)
                lines[end].text = tail[-1].strip(_EDGE_SPACE)
                i = end
        if ln.text or ln.figure is not None:
            out.append(ln)
    d.lines = [ln for ln in out if ln.text or ln.figure is not None]


# -- Markdown: pictures, headings, emphasis, escapes, math, tables ----------------------

_MD_IMAGE = re.compile(r"!\[((?:[^\[\]\\]|\\.)*)\]\(\s*<?([^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?"
                       r"(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_MD_LINK = re.compile(r"(?<!!)\[((?:[^\[\]\\]|\\.)+)\]\(\s*<?([^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?"
                      r"(?:\s+\"[^\"]*\")?\s*\)")


def _has_md_image(d: Dump) -> bool:
    return "![" in d.text


def _run_md_images(d: Dump) -> None:
    def figure(m: re.Match, ln: Line) -> Figure:
        return Figure(src=m.group(2), alt=m.group(1), line=ln.number)

    d.lines = [piece for ln in d.lines
               for piece in (_explode(ln, _MD_IMAGE, figure) if "![" in ln.text else [ln])]


def _has_md_link(d: Dump) -> bool:
    return "](" in d.text and _MD_LINK.search(d.text) is not None


def _run_md_links(d: Dump) -> None:
    """A link keeps its text; where it pointed is not part of the printed page."""
    for ln in d.lines:
        if "](" not in ln.text:
            continue

        def _one(m: re.Match, ln=ln) -> str:
            d.note("link-dropped", ln.number, dropped=m.group(2)[:80], address=m.group(2)[:60],
                   severity=Severity.WARNING if "script:" in m.group(2).lower() else Severity.INFO)
            return m.group(1)

        ln.text = _MD_LINK.sub(_one, ln.text)


_ATX = re.compile(r"^(#{1,6})[ \t\u3000]*(.*?)(?:[ \t\u3000]+#+)?[ \t\u3000]*$")


def _has_heading(d: Dump) -> bool:
    return "#" in d.text


def _run_headings(d: Dump) -> None:
    """``## 标题`` -> level 2.  A closing run of '#' is a mark only after a space (CommonMark):
    ``## 用C#编程`` keeps its '#'.  A heading the tool joined from two lines of a wrapped
    title (``# 江西持续推动“无废城市”建 设``: a word across the space) is one line again; one
    joined from two decks in two styles (``# 引题 **主题**``) is two lines."""
    out: list[Line] = []
    for ln in d.lines:
        out.append(ln)
        if ln.text.startswith("#"):
            m = _ATX.match(ln.text)
            if m and m.group(2):
                ln.level, ln.text = len(m.group(1)), _unwrap(m.group(2))
                decks = _DECKS.match(ln.text)
                if decks is not None:  # plain, then emphasised: two lines of two type styles
                    ln.text = decks.group(1)
                    out.append(Line(number=ln.number, text=decks.group(2), level=ln.level))
    d.lines = out


# A heading joined from two decks set in different styles: 尊重…揠苗助长 **幼升小，…（倾听）**
_DECKS = re.compile(r"^([^*]+?)[ \t\u3000]+(\*\*[^*]+\*\*)$")


def _unwrap(text: str) -> str:
    """Spaces between Chinese text where a word runs across them (建 设) go, and one before a
    column's label in brackets at the line's end (新招 （纵横）)."""
    if " " not in text:
        return text
    chunks = columns.JOIN.split(text)  # text, spaces, text, … (the spaces kept)
    if len(chunks) < 3 or _names_line(text.strip("*")):
        return text
    from converters.segment import runs_across, spans_boundary

    pieces = [c.strip("*").strip() for c in chunks[0::2]]
    if len(pieces) >= 3 and cut_at_one_width(pieces) and not any(p[-1:] in "，,。；;：:、—" for p in pieces[:-1]) \
            and any(runs_across(a, b) for a, b in itertools.pairwise(pieces)):
        # three lines or more as long as each other but the last, a word cut at a line end
        # (广东今年将 开展义务植 树活动2万场 次): a heading set in a narrow column, the tool's
        # spaces its line ends — not phrases set side by side (稳就业 保民生 促发展)
        return "".join(chunks[0::2]).replace("****", "")
    out = chunks[0]
    for gap, part in zip(chunks[1::2], chunks[2::2], strict=True):
        # Segmented together, a word runs across the space (建|设), not merely a dictionary
        # entry made of its neighbours (突破 成长: the dump's own space between two phrases).
        joined = out[-1:] not in "，,。！？!?；;：:、—）)》”’*" and spans_boundary(out.rstrip("*"), part.lstrip("*"))
        # nor before a full-width bracket closing the line (a column's label: 新招 （纵横）)
        joined = joined or (part.lstrip("*")[:1] == "（" and bracketed(part.strip("*").strip()))
        out += ("" if joined else gap) + part
    return out


# Emphasis: a pair of markers around text that neither starts nor ends with a space or a
# marker, and not inside a run like ``15****7`` (a masked number) or ``a*b`` (arithmetic).
_STRONG = re.compile(r"(?<![*\\])(\*\*|__)(?=[^\s*_])(.+?)(?<=[^\s*_\\])\1(?![*_])")
_EM = re.compile(r"(?<![*\\A-Za-z0-9])\*(?=[^\s*])([^*]+?)(?<=[^\s*\\])\*(?![*A-Za-z0-9])")


def _has_emphasis(d: Dump) -> bool:
    return ("**" in d.text or "__" in d.text or "*" in d.text) and bool(
        _STRONG.search(d.text) or _EM.search(d.text))


def _run_emphasis(d: Dump) -> None:
    for ln in d.lines:
        if "*" not in ln.text and "__" not in ln.text:
            continue
        whole = _STRONG.fullmatch(ln.text)
        if whole is not None and "**" not in whole.group(2):
            ln.bold = True
        ln.text = _STRONG.sub(lambda m: m.group(2), ln.text)
        ln.text = _EM.sub(lambda m: m.group(1), ln.text).strip()


# Only what a Markdown writer escapes (emphasis, links, headings, tables): a backslash before
# anything else is text (a Windows path).
_ESCAPE = re.compile(r"\\([*_#\[\]()`|<>~!$])")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _has_escapes(d: Dump) -> bool:
    return ("\\" in d.text and _ESCAPE.search(d.text) is not None) or (
        "&" in d.text and _ENTITY.search(d.text) is not None)


def _run_escapes(d: Dump) -> None:
    """Markdown backslash escapes (``\\*``) and HTML entities (``&nbsp;``) back to characters."""
    for ln in d.lines:
        if "\\" in ln.text:
            ln.text = _ESCAPE.sub(r"\1", ln.text)
        if "&" in ln.text:
            ln.text = html.unescape(ln.text).replace("\u00a0", " ").strip(_EDGE_SPACE)


# MinerU writes numbers it read as formulas in TeX: $80.7\%$, $2 0 2 3$, $\mathbf{5G}$.
_MATH = re.compile(r"\$(?!\s)([^$\n]{1,60}?)(?<!\s)\$")
_TEX_SIMPLE = re.compile(r"^[\s0-9A-Za-z.,:%+\-/~×·\\{}]*$")
_TEX_COMMAND = re.compile(r"\\(?:mathrm|mathbf|textbf|text|mathit|rm|bf)\s*")


def _has_math(d: Dump) -> bool:
    return "$" in d.text and _MATH.search(d.text) is not None


def _run_math(d: Dump) -> None:
    def _plain(m: re.Match) -> str:
        body = m.group(1)
        if not _TEX_SIMPLE.match(body):
            return m.group(0)
        body = _TEX_COMMAND.sub("", body).replace("\\%", "%").replace("\\times", "×").replace("\\", "")
        body = body.replace("{", "").replace("}", "")
        return re.sub(r"(?<=[0-9.%])\s+(?=[0-9.%])", "", body).strip()

    for ln in d.lines:
        if "$" in ln.text:
            ln.text = _MATH.sub(_plain, ln.text)


_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def _has_table(d: Dump) -> bool:
    return "|" in d.text and any(_TABLE_RULE.match(ln.text) for ln in d.lines if "-" in ln.text)


def _run_tables(d: Dump) -> None:
    """A pipe table's rows become lines of text, its cells separated by a wide space."""
    out: list[Line] = []
    for ln in d.lines:
        if _TABLE_RULE.match(ln.text):
            continue
        if ln.text.startswith("|") and ln.text.endswith("|"):
            cells = [c.strip() for c in ln.text.strip("|").split("|")]
            ln.text = "\u3000".join(c for c in cells if c)
            if not ln.text:
                continue
        out.append(ln)
    d.lines = out


_QUOTE = re.compile(r"^(?:>[ \t]?)+")


def _tool_quote(text: str) -> bool:
    """``> `` before a tool's own markup (pymupdf4llm's folio: ``> **评论** **<mark>05</mark>**``);
    before plain text it is text (shown as such, never read as a quote)."""
    return text.startswith("> ") and ("**" in text or "<mark>" in text)


def _has_quotes(d: Dump) -> bool:
    return any(_tool_quote(ln.text) for ln in d.lines)


def _run_quotes(d: Dump) -> None:
    """A block quote the tool set round its own marked-up items is decoration."""
    for ln in d.lines:
        if _tool_quote(ln.text):
            ln.text = _QUOTE.sub("", ln.text).strip(_EDGE_SPACE)
    d.lines = [ln for ln in d.lines if ln.text or ln.figure is not None]


# -- hard-wrapped text ----------------------------------------------------------------------

_JUMP_START = re.compile(r"^[(（]\s*(下转|上接|紧接|转|接)")
_JUMP_FROM = re.compile(r"^[(（]\s*(上接|紧接|接)")


def _wrapped(d: Dump) -> bool:
    """Lines cut at a column width: most lines followed directly by another end mid-sentence,
    and they are short (a column, not a paragraph per line)."""
    lines = [ln for ln in d.lines if ln.figure is None and ln.level == 0]
    if len(lines) < 8:
        return False
    follow = [a for a, b in itertools.pairwise(lines) if b.blank_before == 0]
    if len(follow) < 6:
        return False
    open_ended = sum(1 for a in follow if not ends_sentence(a.text))
    widths = sorted(_width(a.text) for a in follow)
    return open_ended >= 0.5 * len(follow) and widths[len(widths) // 2] <= 90


def _run_hard_wrap(d: Dump) -> None:
    """Rejoin lines cut at the column width.  A line continues into the next when it fills
    its column (its width is near that of its neighbours) and the next is not indented
    (when the dump marks paragraphs with an indent), not a heading, picture or jump line."""
    lines = d.lines
    indents = sum(1 for ln in lines if ln.indent)
    uses_indent = indents >= max(2, len(lines) // 20)
    widths = [_width(ln.text) + (4 if ln.indent else 0) for ln in lines]  # an indent is two wide spaces
    cols = [_column_width(lines, widths, i) for i in range(len(lines))]
    full = [_fills_column(widths[i], cols[i]) and (uses_indent or not _ends_paragraph(lines, widths, cols, i))
            for i in range(len(lines))]
    # (where the tool wrote columns' lines in turns, a line's neighbours may be another column's)
    apart = [_apart(lines, widths, cols, i) and "interleaved" not in d.applied for i in range(len(lines))]
    alone = [a or b for a, b in zip(_alone(lines, full, uses_indent), apart, strict=True)]
    out: list[Line] = []
    joined = 0
    for i, ln in enumerate(lines):
        if out and not alone[i - 1] and not (alone[i] and complete(lines[i - 1].text)) \
                and (full[i - 1] or _bare_dateline(out[-1].text, ln.text)) \
                and _continues(lines, i, uses_indent) and not _opens_byline(ln.text) and not _opens_dateline(ln.text) \
                and not _whole_caption(ln.text) and not _caption_over_credit(lines, i) \
                and not has_column_label(out[-1].text):  # a headline's end (…（今日谈）)
            prev = out[-1]
            sep = " " if prev.text[-1:].isascii() and prev.text[-1:].isalnum() and ln.text[:1].isascii() \
                and ln.text[:1].isalnum() else ""
            prev.text = (prev.text[:-1] if sep == "" and prev.text.endswith("-") and ln.text[:1].islower()
                         else prev.text) + sep + ln.text
            joined += 1
            continue
        ln.apart = apart[i]
        out.append(ln)
    d.lines = out
    if joined:
        d.note("hard-wrap-joined", count=joined)


def _apart(lines: list[Line], widths: list[int], cols: list[int], i: int) -> bool:
    """A short phrase on a line of its own after a line that ends a sentence and over a
    paragraph's first line, short of its column even with an indent added, or two phrases
    apart by a space: no paragraph's line (a wrapped line fills its column, a paragraph's
    first line all but its indent, and a paragraph's last ends a sentence), but a subhead
    or a headline's deck."""
    ln = lines[i]
    if i == 0 or i + 1 >= len(lines) or ln.level or ln.figure is not None or ln.bold or ln.blank_before:
        return False
    if not 2 <= visible_len(ln.text) <= 24 or has_sentence_punct(ln.text) or bracketed(ln.text) \
            or ln.text.startswith(("—", "－")) or _standalone(ln.text) or _opens_dateline(ln.text):
        return False
    if not spaced_phrases(ln.text) and (_fills_column(widths[i] + 4, cols[i]) or _fills_column(widths[i], cols[i])):
        return False
    prev, nxt = lines[i - 1], lines[i + 1]
    # (the line under it opens a paragraph: short of its column by the indent, or whole)
    opens = nxt.indent or widths[i + 1] <= cols[i + 1] - 3 or ends_sentence(nxt.text)
    return ends_sentence(prev.text) and opens and not nxt.blank_before and not nxt.level and nxt.figure is None \
        and not _standalone(nxt.text) and not _word_across(ln.text, nxt.text)


def _standalone(text: str) -> bool:
    """A line that is never part of a paragraph: masthead and folio lines, bylines, captions,
    jump lines (recognised by the same parsers the classify stage uses)."""
    from converters import masthead as mh
    from converters.classify import is_caption_text, looks_like_byline

    return bool(_JUMP_START.match(text) or mh.parse_date_line(text) or mh.parse_issue_line(text)
                or mh.parse_cn_line(text) or mh.LUNAR_LINE.match(text)
                or (len(text) <= 50 and (text[:1] not in "(（" or text[-1:] in ")）") and looks_like_byline(text))
                or (len(text) <= 80 and is_caption_text(text)))


def _names_line(text: str) -> bool:
    """A byline or names alone (本报记者 崔佳 祝大伟, 陈  凌): their spaces part names."""
    return looks_like_byline(text) or (len(text) <= 20 and parse_bare_names(text) is not None)


def _opens_byline(text: str) -> bool:
    """A line that starts with a reporter's role and reads as a byline (本报记者 李洪兴):
    never the rest of the line above (a headline over it fills its width too)."""
    return ROLE.match(text) is not None and len(text) <= 50 and looks_like_byline(text)


_CAPTION_SENTENCE = 6  # characters of a caption's own sentence, at least


def _whole_caption(text: str) -> bool:
    """A caption written whole on its line, its sentence and then its credit (市民在公园里健身休闲。
    本报记者 王五摄): it opens with its own sentence, so it is never the rest of the line above
    (a column's line the tool wrote before it, cut mid-sentence).  A caption's last word or
    two before its credit (览。 本报记者 王五摄) is the rest of its wrapped line, not a whole
    caption."""
    if len(text) > 80 or not is_caption_text(text):
        return False
    return _own_sentence(text)


def _own_sentence(text: str) -> bool:
    """A caption's own sentence, of six characters or more, ends on the line (its credit may follow)."""
    return max(text.rfind(ch) for ch in "。！？!?") >= _CAPTION_SENTENCE


def _caption_over_credit(lines: list[Line], i: int) -> bool:
    """A caption's sentence on a line of its own right over its photographer's credit alone
    (市民在公园里健身休闲。 / 本报记者 王五摄): it opens the caption the credit closes, never
    the rest of the line above (a headline or a column's line written before it); as for a
    caption written whole, a word or two before its sentence's end is a wrapped line's rest."""
    if i + 1 >= len(lines) or len(lines[i].text) > 60 or not ends_sentence(lines[i].text):
        return False
    credit = lines[i + 1].text
    return len(credit) <= 20 and is_caption_text(credit) and not any(ch in "。！？!?" for ch in credit) \
        and _own_sentence(lines[i].text)


def _opens_dateline(text: str) -> bool:
    """A line that starts with a dateline (本报讯, 新华社北京3月17日电): a story's first
    paragraph, never the rest of the line above (a headline that fills its column's width)."""
    return dateline_of(text) is not None


def _bare_dateline(text: str, after: str) -> bool:
    """A dateline whose reporters' bracket the column broke: alone on its line (本报兰州3月17日电
    over （记者 宋朝军）…) or the bracket left open at the line's end (本报讯（记者 李 / 四）…).
    The lead goes on in the line under it."""
    rest = _dateline_rest(text)
    if rest is None:
        return False
    return after[:1] in "(（" if not rest else rest[:1] in "(（" and open_bracket(rest)


def _dateline_alone(text: str) -> bool:
    """A dateline alone on its line (本报南昌3月25日电): the column broke the lead before its
    reporters' bracket, which opens the column's next line."""
    return _dateline_rest(text) == ""


def _dateline_rest(text: str) -> str | None:
    """What follows a dateline the line opens with, when no reporters' bracket closed there
    (None: no such dateline)."""
    m = dateline_of(text)
    return None if m is None or m["credits"] else m["rest"]


#: How far (in lines) from a credit's start its rest may stand, the column cut between them:
#: the tool writes the neighbouring columns' lines of a row or two between a column's lines.
_CUT_REACH = 6
#: The same for a bracket's start that ends its line (left open there, a column's line the
#: columns' reading carries on into a later line of its column).
_OPEN_REACH = 3
# The start of a line that closes a bracket the line above left open: a few characters (the
# rest of a role or a name: 者 宋朝军, 南) and the closing bracket.
_BRACKET_REST = re.compile(r"^(?P<rest>[\u4e00-\u9fff·\s\u3000]{1,10})[)）]")


def _has_cut_credits(d: Dump) -> bool:
    return any(_bracket_start(ln.text) is not None or _dateline_above(d.lines, j) is not None
               for j, ln in enumerate(d.lines))


def _run_cut_credits(d: Dump) -> None:
    d.lines = rejoin_cut_credits(d.lines)


def rejoin_cut_credits(lines: list[Line]) -> list[Line]:
    """A dateline's reporters' bracket cut by its column (本报兰州3月17日电 （记者 / 宋朝军）近日，…)
    made whole on the dateline's line, before the columns are read: where the tool writes
    neighbouring columns' lines on one line (or in turns), the bracket's start is followed
    by another column's text after a space, and its rest opens a line below, so no later
    rule can see the credits.  The bracket's start is the longest run before a space (or the
    line's end) that, with the rest, reads as credits; what followed it stays where it was.
    (A line that ends in the bracket, over the line that closes it, is the lead's own line
    cut at its column's end: the hard wrap reads the lead on there, line widths intact.)
    A column cut between the dateline and its bracket leaves the bracket, closed, opening a
    line below with the lead's text after it (（记者 李四）近日，…): it goes up to the nearest
    dateline without one (alone on its line, or another column's text after it)."""
    for i, ln in enumerate(lines):
        opened = _bracket_start(ln.text)
        if opened is None:
            continue
        for below in lines[i + 1:i + 1 + _CUT_REACH]:
            m = _BRACKET_REST.match(below.text)
            if m is None:
                continue
            joined = _credits_cut(ln.text[opened:], m["rest"])
            if joined is not None and joined[1] == "" and below is lines[i + 1] and not below.blank_before:
                break  # the column's next line: read on by the hard wrap
            if joined is not None and (joined[1] or below in lines[i + 1:i + 1 + _OPEN_REACH]):
                head, after = joined
                ln.text = ln.text[:opened] + head + "）" + after
                below.text = below.text[m.end():].lstrip()
            break
    for j, ln in enumerate(lines):  # the column cut between the dateline and its bracket
        found = _dateline_above(lines, j)
        if found is not None:
            i, lead, m = found
            beside = lead["rest"]  # another column's text after the dateline, or nothing
            lines[i].text = f"{lead['dateline']} {m['bracket']}" + (f" {beside}" if beside else "")
            ln.text = m["rest"]
    return [ln for ln in lines if ln.text or ln.figure is not None]


def _dateline_above(lines: list[Line], j: int) -> tuple[int, re.Match, re.Match] | None:
    """(the dateline's line, its match, the bracket's match) when line ``j`` opens
    with a closed reporters' bracket (（记者 李四）近日，…) cut from the nearest dateline above
    within reach that has no bracket of its own."""
    m = _WHOLE_BRACKET.match(lines[j].text)
    if m is None or not m["rest"] or parse_credits(m["credits"]) is None:
        return None
    for i in range(j - 1, max(-1, j - 1 - _CUT_REACH), -1):
        lead = dateline_of(lines[i].text)
        if lead is None:
            continue
        beside = lead["rest"]  # another column's text after the dateline, or nothing
        next_line = i + 1 == j and not lines[j].blank_before  # (a dateline alone: the hard wrap reads on)
        if not lead["credits"] and beside[:1] not in "(（" and (beside or not next_line):
            return i, lead, m
        return None
    return None


# A line that opens with a reporters' bracket closed on it, the lead's text after it.
_WHOLE_BRACKET = re.compile(r"^(?P<bracket>[（(](?P<credits>[^()（）]{2,40})[)）])(?P<rest>.*)$")


# A photographer's credit whose role the caption's line end cut (本 | 报记者 王五摄): its rest
# on a line of its own, and its start a word of its own on a line near it.
# (or its names alone, under its whole role on a line of its own: 本报记者 / 李强摄)
_PHOTO_CREDIT_REST = re.compile(r"^(?:(?:报|社)?记者)?[\s\u3000]*[\u4e00-\u9fff·][\u4e00-\u9fff·\s\u3000、]{0,20}摄$")
_ROLE_START = re.compile(r"^(?:本|本报|新华|新华社|(?P<whole>本报记者|新华社记者))$")


def _has_cut_photo_credit(d: Dump) -> bool:
    return any(_PHOTO_CREDIT_REST.match(ln.text) for ln in d.lines)


def _run_cut_photo_credits(d: Dump) -> None:
    """A caption's credit cut by its line's end inside its role (工人在生产线上忙碌。 本 /
    报记者 王五摄): the tool wrote the credit's rest on a line of its own and its start (本,
    本报), set apart by the justified line's space, as a word of its own on a line near it —
    alone, or after the caption's sentence (at its line's end, or before another column's
    text).  The start goes back to the credit: after the caption's sentence the whole caption
    is one line (市民在公园里健身休闲。 本报记者 王五摄, another column's text after it a line
    of its own), alone it opens the credit's line; no stray character is left in the text."""
    lines = d.lines
    out: list[Line] = list(lines)
    for ln in lines:
        if not _PHOTO_CREDIT_REST.match(ln.text) or ln not in out:
            continue
        i = out.index(ln)
        for j in sorted(range(max(0, i - _CUT_REACH), min(len(out), i + _CUT_REACH + 1)),
                        key=lambda j: (abs(j - i), j > i)):
            words = out[j].text.split(" ") if j != i and out[j].figure is None else []
            at = next((k for k in range(len(words) - 1, -1, -1) if _credit_start(words[k], ln.text)
                       and (k == 0 or ends_sentence(words[k - 1]))), None)
            if at is None:
                continue
            holder, rest = out[j], " ".join(words[at + 1:])
            if _ROLE_START.match(words[at])["whole"]:  # the role: its names on the line below it
                if j != i - 1 or at or rest:
                    continue
                ln.text = f"{words[0]} {ln.text}"
                holder.text = ""
            elif at == 0:  # the start alone: it opens the credit's line
                ln.text = words[0] + ln.text
                holder.text = rest
            else:  # after the caption's sentence: the caption whole on that line
                holder.text = " ".join([*words[:at], words[at] + ln.text])
                out.remove(ln)
                if rest:
                    out.insert(out.index(holder) + 1, Line(number=holder.number, text=rest))
            break
    d.lines = [ln for ln in out if ln.text or ln.figure is not None]


def _credit_start(word: str, rest: str) -> bool:
    """Is ``word`` the start of the photo credit whose rest is ``rest`` (本 + 报记者 王五摄,
    本报记者 + 王五摄)?"""
    m = _ROLE_START.match(word)
    if m is None:
        return False
    return rest[:1] not in "报社记" if m["whole"] else bool(ROLE.match(word + rest))


def _bracket_start(text: str) -> int | None:
    """Where a dateline's reporters' bracket, left open on this line, starts (after its
    ``（``); None when the line opens with no dateline or its bracket closes."""
    m = dateline_of(text)
    if m is None or m["credits"]:
        return None
    at = len(text) - len(m["rest"])
    return at + 1 if m["rest"][:1] in "(（" and open_bracket(m["rest"]) else None


def _credits_cut(start: str, rest: str) -> tuple[str, str] | None:
    """(the bracket's words, what followed them on the line) when the bracket's start — cut
    at the line's end or before a space — and ``rest`` read as credits; the longest such."""
    cuts = [len(start)] + [k for k in range(len(start) - 1, 0, -1) if start[k] in " \u3000"]
    for k in cuts:
        words = start[:k].rstrip() + rest.rstrip()
        if parse_credits(words) is not None:
            return words, start[k:]
    return None


def _finished(text: str) -> bool:
    return ends_sentence(text) or bracketed(text)


def _alone(lines: list[Line], full: list[bool], uses_indent: bool) -> list[bool]:
    """Lines set on their own: the masthead, bylines, captions, jump lines, and (where the dump
    marks paragraphs with an indent) a line that ends no sentence before a new paragraph or
    before another such line — a headline's decks, a subhead."""
    alone = [False] * len(lines)
    for i in range(len(lines) - 1, -1, -1):
        t = lines[i].text
        after = lines[i + 1] if i + 1 < len(lines) else None
        if _standalone(t) or (len(t) <= 14 and parse_bare_names(t) is not None):
            alone[i] = True
        elif t.endswith("——") and not lines[i].indent and after is not None and alone[i + 1]:
            alone[i] = True  # a kicker ending in a dash, above the headline
        elif uses_indent and not _finished(t) and not lines[i].indent and not (
                i > 0 and full[i - 1] and not complete(lines[i - 1].text)):  # not a wrapped line's rest
            alone[i] = after is None or after.indent or after.blank_before > 0 or alone[i + 1]
    return alone


def _continues(lines: list[Line], i: int, uses_indent: bool) -> bool:
    ln, prev = lines[i], lines[i - 1]
    if ln.blank_before or ln.level or ln.figure is not None or prev.figure is not None or prev.level:
        return False
    if uses_indent and ln.indent:
        return False
    return not (ln.text[:1] in "(（" and ends_sentence(prev.text))  # a note or closing credits after it


_CLOSING = "”’」』）)》】"


def _column_width(lines: list[Line], widths: list[int], i: int) -> int:
    """The width of line ``i``'s column: the width most lines around it have (in a
    side-by-side dump, the lines read from the same column); 0 when none tells."""
    window = sorted(w for j, w in enumerate(widths[max(0, i - 12):i + 13], start=max(0, i - 12))
                    if lines[j].figure is None and not lines[j].level and lines[j].column == lines[i].column)
    return window[(len(window) * 3) // 4] if window else 0


def _fills_column(width: int, column: int) -> bool:
    """Does a line this wide reach the width of its column?  Under it by a character or two
    (a mark pushed to the next line, half-width digits); over it only as much as counting by
    UTF-8 width can err: wider is a headline."""
    return bool(column) and column - max(4, column // 8) <= width <= column + max(6, column // 4)


def _starts_paragraph(lines: list[Line], widths: list[int], cols: list[int], i: int) -> bool:
    """Line ``i`` opens a block, or follows a line that ends a sentence or stops short of
    its column (a byline, a heading): it may be a paragraph's first line."""
    return i == 0 or lines[i].blank_before > 0 or ends_sentence(lines[i - 1].text) \
        or not _fills_column(widths[i - 1], cols[i - 1])


def _ends_paragraph(lines: list[Line], widths: list[int], cols: list[int], i: int) -> bool:
    """In a dump that drops the indent's spaces, a line that ends a sentence ends its
    paragraph when it stops a character or more short of its column (a justified line
    inside a paragraph fills it), or when the next line is short of its column by about an
    indent and runs on (a paragraph's first line).  A lead-in (…：, …——) or a clause (…；) goes on."""
    text = lines[i].text.rstrip()
    if not cols[i] or not ends_sentence(text) or text.rstrip(_CLOSING)[-1:] in "；;：:—":
        return False
    # (a half-width character's printed width is uncertain by about one unit: each gives
    # slack; a paragraph's first line is short by its indent, which the dump dropped)
    slack = max(2, sum(1 for ch in text if ch.isascii() and not ch.isspace()))
    if _starts_paragraph(lines, widths, cols, i):
        slack += 4
    if widths[i] <= cols[i] - slack:
        return True
    if i + 1 >= len(lines) or lines[i + 1].indent or not cols[i + 1]:
        return False
    nxt = lines[i + 1]
    return cols[i + 1] - 5 <= widths[i + 1] <= cols[i + 1] - 3 and not ends_sentence(nxt.text) \
        and i + 2 < len(lines) and lines[i + 2].blank_before == 0


# -- columns side by side (pdftotext -layout) -------------------------------------------------

def _side_by_side(d: Dump) -> bool:
    """Positions kept in white space; not a dump that sets its columns as pipe tables
    (markitdown), where a cell's place is not its position on the line."""
    return "   " in d.text and not _has_table(d) and columns.side_by_side(d.text.replace("\f", "").split("\n"))


def _run_side_by_side(d: Dump) -> None:
    """Lines holding the lines of neighbouring columns side by side, read back column by
    column (:mod:`converters.columns`): the dump's own lines give way to the columns' lines
    in reading order, each with its line number and its indent."""
    d.lines = [Line(number=number, text=text, blank_before=blank, indent=indent, column=run)
               for number, text, indent, blank, run in columns.ordered_lines(d.text) if text]
    d.note("columns-side-by-side", count=len(columns.column_starts(d.text.replace("\f", "").split("\n"))))


# -- two headlines on one baseline (pdftotext, -layout) ---------------------------------------

# Two title-shaped pieces apart by one run of spaces: a headline's own lines hold no space
# between Chinese characters, so such a line may hold two headlines standing side by side.
_TWO_TITLES = re.compile(r"^(?P<left>\S+)[ \u3000\u00a0]+(?P<right>\S+)$")


def _titles_abreast(text: str) -> tuple[str, str] | None:
    """The two headlines of a line that holds two side by side, else None."""
    m = _TWO_TITLES.match(text.strip())
    if m is None:
        return None
    left, right = m["left"], m["right"]
    if not all(visible_len(t) >= 4 and title_shaped(t) and not looks_like_byline(t) and dateline_of(t) is None
               for t in (left, right)):
        return None
    return left, right


def _title_rest(text: str) -> bool:
    """A headline's wrapped line: title-shaped, with no space inside (its last line may hold
    one character)."""
    t = text.strip()
    if len(t) == 1:
        return bool(_HAS_CJK.match(t))
    return bool(t) and not any(c in t for c in " \u3000\u00a0") and title_shaped(t, first=False) \
        and not looks_like_byline(t) and dateline_of(t) is None


def _title_complete(text: str) -> bool:
    """A headline that needs nothing after it: it ends with its column's label (…（纵横）) or
    asks or exclaims."""
    return has_column_label(text) or text.rstrip()[-1:] in "？！?!"


def _rest_is_left(left: str, right: str, rest: str) -> bool | None:
    """Whose wrapped lines follow a line of two headlines: the left's when the right is
    closed (its column label, a question) and the left is not, or a word runs from the left
    across the cut into the rest and none from the right; the right's the other way round;
    None when nothing tells."""
    left_on = not _title_complete(left) and runs_across(left, rest)
    right_on = not _title_complete(right) and runs_across(right, rest)
    if left_on != right_on:
        return left_on
    left_open, right_open = not _title_complete(left), not _title_complete(right)
    if left_open != right_open:
        return left_open
    return None


def _right_under(above: Line, ln: Line) -> bool:
    """A line set right under another: no blank line between, or the very next line of the
    tool's own text (``-layout``'s columns, read apart, part a headline from its wrapped line
    by a blank line where the page has none)."""
    return ln.blank_before == 0 or ln.number == above.number + 1


def _has_titles_abreast(d: Dump) -> bool:
    return any(_titles_abreast(a.text) is not None and _right_under(a, b) and _title_rest(b.text)
               for a, b in itertools.pairwise(d.lines))


def _run_titles_abreast(d: Dump) -> None:
    """Two stories side by side whose headlines share a baseline: the tool writes both titles
    on one line, a space apart, and the wrapped rest of either on the lines right under it
    (广西建成17个 乐见招才引智亮新招（纵横） / 乡土珍贵树种种 / 子园).  Each line of the rest goes
    on the headline it continues (a word running across the cut, or the other closed by its
    column label or a question mark).  One deck of two phrases apart by a space wraps only at
    its end, so the line is cut in two only when some line continues its first piece: the
    first headline with its lines, then the second as a block of its own — each heads its
    own story, and :func:`converters.structure._headline_between` gives each its text."""
    out: list[Line] = []
    lines = d.lines
    i = 0
    while i < len(lines):
        ln = lines[i]
        pair = _titles_abreast(ln.text) if ln.figure is None else None
        owned: tuple[list[Line], list[Line]] = ([], [])
        k = i + 1
        while pair is not None and k < len(lines) and _right_under(lines[k - 1], lines[k]) and lines[k].figure is None \
                and _title_rest(lines[k].text):
            left_owns = _rest_is_left("".join([pair[0], *(r.text for r in owned[0])]),
                                      "".join([pair[1], *(r.text for r in owned[1])]), lines[k].text)
            if left_owns is None:
                break
            owned[0 if left_owns else 1].append(lines[k])
            k += 1
        if pair is None or not owned[0]:
            out.append(ln)
            i += 1
            continue
        left, right = pair
        out += [Line(number=ln.number, text=left, blank_before=ln.blank_before, level=ln.level, bold=ln.bold,
                     column=ln.column), *owned[0],
                Line(number=ln.number, text=right, blank_before=1, level=ln.level, bold=ln.bold, column=ln.column),
                *owned[1]]
        i = k
    d.lines = out


# -- blocks of one type size (pdftotext in reading order) -------------------------------------

def _type_blocks(d: Dump) -> bool:
    """``pdftotext`` in its reading order (no ``-layout``): a form feed ends each page, no
    run of white space keeps a position, and blank lines part the blocks it found."""
    if "\f" not in d.text or "   " in d.text or "side-by-side" in d.applied \
            or sum(1 for ln in d.lines[1:] if ln.blank_before) < 3:
        return False
    both, running = _interleaved_lines(d)  # (two columns' lines on one line: its blocks mix columns)
    return not (both >= 5 and both >= 0.2 * running)


def _run_type_blocks(d: Dump) -> None:
    """Poppler builds a block only of lines in one type size and writes a blank line between
    blocks, so a line written right under another (no blank line between) is set in the same
    type: a headline's two lines in one block are one deck wrapped, never a kicker (smaller
    type) over its title.  Said before the lines are read again (:mod:`converters.unweave`
    reorders them and joins a column's pieces)."""
    for above, ln in itertools.pairwise(d.lines):
        ln.one_type = ln.blank_before == 0 and above.figure is None and ln.figure is None


# -- columns interleaved without a gutter (pdftotext, pymupdf4llm, markitdown) ---------------

# Two pieces of running text on one line, each of several characters, with a space between
# them: in Chinese a space does not stand between two words of a sentence, so such a line
# holds the lines of two columns (a tool that found no gutter wrote them as one).
_CJK_TEXT = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’、。，；：？！…—]"
_TWO_PIECES = re.compile(rf"{_CJK_TEXT}{{6}}[ \u00a0]+{_CJK_TEXT}{{6}}")
_CELL_TEXT = re.compile(rf"{_CJK_TEXT}{{6}}")


def _interleaved_lines(d: Dump) -> tuple[int, int]:
    """(lines holding two columns' text, lines of running text) in the dump."""
    rows = d.text.split("\n")
    both = sum(1 for raw in rows if (" " in raw or "\u00a0" in raw or "|" in raw) and (
        sum(1 for cell in raw.split("|") if _CELL_TEXT.search(cell)) >= 2  # a table row's cells
        if raw.lstrip().startswith("|") else _TWO_PIECES.search(raw) is not None))
    if both < 5:  # not worth counting the rest
        return both, 0
    return both, sum(1 for raw in rows if len(raw) >= 12 and len(_HAS_CJK.findall(raw)) >= 12)


def _broken_chunks(d: Dump) -> tuple[int, int]:
    """(chunks cut off mid-sentence, chunks of running text): a chunk is a run of lines
    between blank lines.  A tool that writes the lines of neighbouring columns in turns
    (pdftotext's reading order on narrow gutters) leaves many short chunks that end in the
    middle of a sentence whose rest stands in a later chunk."""
    lengths = sorted(len(ln.text) for ln in d.lines if len(ln.text) >= 8)
    if not lengths or lengths[len(lengths) // 2] > 30:  # a paragraph per line, not lines of a column
        return 0, len(lengths)
    broken = running = 0
    chunk: list[Line] = []
    for ln in [*d.lines, None]:
        if ln is not None and (not chunk or ln.blank_before == 0):
            chunk.append(ln)
            continue
        if chunk and len(chunk[-1].text) >= 8:
            running += 1
            broken += len(chunk) <= 2 and not ends_sentence(chunk[-1].text) and not bracketed(chunk[-1].text)
        chunk = [ln] if ln is not None else []
    return broken, running


def _interleaved(d: Dump) -> bool:
    if "side-by-side" in d.applied:
        return False
    both, running = _interleaved_lines(d)
    broken, chunks = _broken_chunks(d)
    return (both >= 5 and both >= 0.2 * running) or (broken >= 8 and broken >= 0.3 * chunks)


def _run_interleaved(d: Dump) -> None:
    """Say once for the page that its reading order is not to be trusted: the stories read
    from it may run into each other; the page's PDF beside the dump gives the order.  Lines
    written in turns are read back column by column first, as well as their sentences
    allow (:mod:`converters.unweave`)."""
    both, running = _interleaved_lines(d)
    broken, chunks = _broken_chunks(d)
    if both >= 5 and both >= 0.2 * running:
        d.note("columns-interleaved", severity=Severity.WARNING, count=both, total=running)
        return
    d.lines, reread = unweave(d.lines, _fast().freq, _standalone, _dateline_alone,
                              opens=_opens_dateline, byline=_names_line)
    d.note("columns-alternating", severity=Severity.WARNING, count=broken, total=chunks)
    if reread:
        d.note("columns-unwoven", count=reread)


# -- columns merged row by row into one line (pymupdf4llm) -------------------------------------

def _merged(ln: Line) -> list[str] | None:
    """The pieces of a line that joins many short lines of Chinese text with spaces."""
    if ln.level or ln.figure is not None or ln.text.count(" ") < 2:
        return None
    parts = columns.pieces(ln.text)
    if 3 <= len(parts) < 6:
        # One column's lines joined: every piece but the last as wide as the others (a
        # justified column has one width), the last no wider (有发 展理念…).
        widths = [_width(p) for p in parts]
        full = widths[:-1]
        return parts if min(full) >= 20 and max(full) - min(full) <= 4 and widths[-1] <= max(full) + 2 else None
    if len(parts) < 6:
        return None
    widths = sorted(_width(p) for p in parts)
    usual = widths[len(widths) // 2]
    # Lines of columns: most pieces as wide as a column's line (a dateline's or a byline's
    # spaced names are a few short pieces in one long line).
    alike = sum(1 for w in widths if 0.7 * usual <= w <= 1.3 * usual)
    return parts if usual >= 10 and alike >= 0.6 * len(parts) else None


def _has_merged(d: Dump) -> bool:
    return "side-by-side" not in d.applied and any(_merged(ln) is not None for ln in d.lines)


def _run_merged(d: Dump) -> None:
    """Lines of side-by-side columns that the tool joined row by row into one paragraph:
    read back column by column (:func:`converters.columns.unmerge`), each column's lines
    rejoined and cut into paragraphs after a short line that ends a sentence.  A passage the
    tool then wrote a second time (pymupdf4llm) is dropped, and reported."""
    freq = _fast().freq
    out: list[Line] = []
    where: dict[int, tuple[int, int]] = {}  # id of a line read from a merged line: (its line, column)
    split = 0
    for ln in d.lines:
        parts = _merged(ln)
        if parts is None:
            out.append(ln)
            continue
        usual = sorted(_width(p) for p in parts)[(len(parts) * 3) // 4]
        parts = [q for p in parts for q in _two_lines(p, usual)]
        # A jump line (（下转第二版）) is a line of its own at the foot of its column, never
        # part of a paragraph: set after the columns' text (上接… before it).
        jumps = [p for p in parts if _JUMP_START.match(p) and bracketed(p)]
        parts = [p for p in parts if p not in jumps]
        out += [Line(number=ln.number, text=j, blank_before=1) for j in jumps if _JUMP_FROM.match(j)]
        # A photo's caption closed by its credit on the rows above the columns' first lines
        # (市民在公园里健身休闲。 本报记者 刘 洋摄 近年来…): a line of its own before them.
        cut = next((n for n in range(1, min(len(parts), 8)) if _width(parts[n - 1]) <= usual / 2
                    and is_caption_text(" ".join(parts[:n]))), 0)
        if cut and len(parts) - cut >= 3:
            out.append(Line(number=ln.number, text=" ".join(parts[:cut]), blank_before=1))
            parts = parts[cut:]
        parts = _spaced_lines_whole(parts, usual)
        # No column's line is wider than the column: a wider first piece (that no space
        # cuts) is a line set across the columns above them, a deck or a standfirst.
        while len(parts) > 1 and _width(parts[0]) > usual + 4:
            out.append(Line(number=ln.number, text=parts.pop(0), blank_before=1))
        k, lead, _ = columns.unmerge(parts, freq)
        split += k > 1
        cols = columns.column_texts(parts, k, lead, freq)
        if lead:
            head = " ".join(parts[:lead])
            if _width(head) <= usual and cols[0]:  # the start of the first column's first line
                cols[0][0] = f"{head} {cols[0][0]}"  # (本报哈尔滨3月25日电 （记者…)
            else:  # a line of its own over the columns
                out.append(Line(number=ln.number, text=head, blank_before=1))
        for k, text in column_paragraphs(cols, usual):
            out.append(Line(number=ln.number, text=text, blank_before=1))
            where[id(out[-1])] = (ln.number, k)
        out += [Line(number=ln.number, text=j, blank_before=1) for j in jumps if not _JUMP_FROM.match(j)]
    feet = {id(a) for a, b in itertools.pairwise([*out, None])
            if id(a) in where and (b is None or where.get(id(b)) != where[id(a)])}  # a column's last text
    d.lines = _in_flow(_without_repeats(d, out, feet), where)
    if split:
        d.note("columns-merged-rows", count=split)


def _spaced_lines_whole(parts: list[str], usual: int) -> list[str]:
    """The pieces of a merged row with each line the page set a space in whole again.  A
    column's line is short only where a paragraph ends, so a piece under half a line that
    ends no sentence is the start of a line ((记 / 者 宋朝军）近日…), and at the row's start
    also one under a line (本报讯 （记者 施安南）日…) or under half a line whatever its end:
    it goes on in the next piece when the two make no more than a line."""
    parts = list(parts)
    k = 0
    while k < len(parts) - 1:
        w, open_end = _width(parts[k]), not ends_sentence(parts[k])
        start = (w < usual / 2 and (open_end or k == 0)) or (k == 0 and w < usual - 4 and open_end)
        if start and _width(f"{parts[k]} {parts[k + 1]}") <= usual + 2:
            parts[k:k + 2] = [f"{parts[k]} {parts[k + 1]}"]
        else:
            k += 1
    return parts


def _in_flow(lines: list[Line], where: dict[int, tuple[int, int]]) -> list[Line]:
    """The pieces of a story put back in the order its sentences run.  A tool that joins
    columns row by row also writes the blocks of one story out of order (the lower half of
    a column before the top of the next, a merged pair of columns first); a piece cut off
    mid-sentence goes on in the piece whose start a word runs into (刹|住了…, 我|们党…), and
    a 下转 jump line closes the story's text.  Between headings, a stretch holding such a
    merged passage is read again so: each piece that ends mid-sentence is followed by the
    one piece its words run into (when no other piece runs into that one already), the
    pieces not so placed keep the dump's order, and the chain with the jump line goes last."""
    out: list[Line] = []
    stretch: list[Line] = []
    for ln in [*lines, None]:
        if ln is None or ln.level or ln.bold or ln.figure is not None or (
                _standalone(ln.text) and not _JUMP_START.match(ln.text)):
            out += _stretch_in_flow(stretch, where)
            stretch = []
            if ln is not None:
                out.append(ln)
            continue
        stretch.append(ln)
    return out


def _stretch_in_flow(lines: list[Line], where: dict[int, tuple[int, int]]) -> list[Line]:
    def unit(ln: Line) -> tuple[int, int]:
        """(dump line, column) a line was read from; -1: not from columns merged in a row."""
        return where.get(id(ln), (ln.number, -1))

    units: list[list[Line]] = []
    for ln in lines:  # a merged column's lines stay together: they are in order already
        if units and unit(units[-1][-1]) == unit(ln):
            units[-1].append(ln)
        else:
            units.append([ln])
    if len(units) < 3 or not any(unit(ln)[1] > 0 for ln in lines):  # no second column merged here
        return lines

    def runs_into(a: list[Line], b: list[Line]) -> int:
        """How common the word is that runs from ``a``'s end into ``b``'s start (0: none)."""
        if ends_sentence(a[-1].text) or bracketed(a[-1].text):
            return 0
        return _word_across(a[-1].text.rstrip(), b[0].text.lstrip())

    proposed: list[tuple[int, int, int]] = []
    for i in range(len(units)):
        strength = {j: runs_into(units[i], units[j]) for j in range(len(units)) if j != i}
        best = max(strength, key=lambda j: (strength[j], j == i + 1, -j))
        if strength[best] == 0 or best == i + 1:
            continue  # ends a sentence, or goes on where the dump goes on
        if units[best][0].number == units[i][-1].number:
            continue  # the columns of one merged passage: the tool wrote them in order
        if i + 1 < len(units) and units[i + 1][0].number == units[i][-1].number and strength[best] <= 1:
            continue  # the next column of the same merged passage, unless a dictionary word says not
        if best > 0 and best - 1 != i and runs_into(units[best - 1], units[best]) >= strength[best]:
            continue  # the piece before it in the dump runs into it as well
        proposed.append((strength[best], i, best))
    after: dict[int, int] = {}
    for _, i, j in sorted(proposed, key=lambda p: (-p[0], p[1])):  # the most common word first
        if j not in after.values():
            after[i] = j
    if not after:
        return lines
    chains: list[list[int]] = []
    for i in range(len(units)):
        if i in after.values():
            continue
        chain = [i]
        while chain[-1] in after and after[chain[-1]] not in chain:
            chain.append(after[chain[-1]])
        chains.append(chain)
    placed = {i for c in chains for i in c}
    chains += [[i] for i in range(len(units)) if i not in placed]  # a loop: kept where it was
    closes = [c for c in chains if any(_JUMP_START.match(ln.text) and not _JUMP_FROM.match(ln.text)
                                       for i in c for ln in units[i])]
    chains = [c for c in chains if c not in closes] + closes
    return [ln for c in chains for i in c for ln in units[i]]


def _word_across(left: str, right: str, reach: int = 3) -> int:
    """The dictionary frequency of a word that runs across the end of ``left`` into ``right``
    (1 for a word the dictionary lacks), 0 when none does: 我|们 (我们) outweighs 我|党."""
    a, b = left[-reach:], right[:reach]
    if not a or not b:
        return 0
    pos = 0
    for word in lcut(a + b):
        end = pos + len(word)
        if pos < len(a) < end:
            return max(1, word_freq(word))
        pos = end
    return 0


def column_paragraphs(cols: list[list[str]], usual: int) -> list[tuple[int, str]]:
    """Columns' lines (each ``usual`` wide when full), read column after column, joined into
    paragraphs: (the column, its text).  A paragraph ends at a line that ends a sentence
    short of the column's width, or before an indented line (narrower than a full one)
    after a sentence's end, even where the line before fills the column; and at a column's
    foot: where a column that ends inside a sentence goes on is for the story's flow to say
    (:func:`_in_flow`: the next column's top, or text the tool wrote in another passage)."""
    out: list[tuple[int, str]] = []
    for k, col in enumerate(cols):
        paragraph = ""
        for piece in col:
            if paragraph and ends_sentence(paragraph) and _width(piece) < usual - 2:
                out.append((k, paragraph))
                paragraph = ""
            paragraph += (" " if paragraph[-1:].isascii() and paragraph[-1:].isalnum()
                          and piece[:1].isascii() and piece[:1].isalnum() else "") + piece
            if ends_sentence(piece) and _width(piece) < usual - 4:
                out.append((k, paragraph))
                paragraph = ""
        if paragraph:
            out.append((k, paragraph))
    return out


def _two_lines(piece: str, usual: int) -> list[str]:
    """A piece wider than a column's line is two lines the tool joined where one side is not
    Chinese (取得系 80%，…): cut at the space that leaves the first part one line wide."""
    if _width(piece) <= usual + 4:
        return [piece]
    cuts = [m.start() for m in re.finditer(" +", piece)]
    if not cuts:
        return [piece]
    cut = min(cuts, key=lambda c: abs(_width(piece[:c]) - usual))
    if abs(_width(piece[:cut]) - usual) > 4:
        return [piece]
    return [piece[:cut], *_two_lines(piece[cut:].strip(), usual)]


def _without_repeats(d: Dump, lines: list[Line], feet: set[int] | frozenset[int] = frozenset()) -> list[Line]:
    """Lines whose text the dump has already given (a passage written twice): dropped when
    given in full.  When the second writing holds more — lines the first lost where its
    column broke off (…五大类固|减量化… in the first, …五大类固体废物为重点，推动固体废物
    in the second) — the missing text is put in where the first writing broke off: the
    second writing starts with most of itself word for word as the first (so it is the same
    passage, not a sentence that happens to repeat a phrase)."""
    seen = ""
    kept: list[Line] = []
    for ln in lines:
        flat = re.sub(r"\s+", "", ln.text)
        if len(flat) >= 12 and (flat in seen or _fill_in(kept, flat, feet)):
            d.note("passage-repeated", ln.number, dropped=ln.text[:200], text=ln.text[:20])
            continue
        if kept and _broken_off(kept[-1], flat):
            # The first writing broke off where the second goes on (新华社海口3月25日电 （记 /
            # 新华社海口3月25日电 （记者齐中熙）中共…): the second is the passage.
            gone = kept.pop()
            d.note("passage-repeated", gone.number, dropped=gone.text[:200], text=gone.text[:20])
        seen += flat
        kept.append(ln)
    return kept


def _broken_off(before: Line, flat: str) -> bool:
    """Is ``before`` (the line just kept) the start of the next line's text ``flat``, cut off
    in the middle of a sentence: a passage whose first writing broke off?"""
    if before.level or before.figure is not None or before.bold or ends_sentence(before.text):
        return False
    given = re.sub(r"\s+", "", before.text)
    if not (len(given) >= 8 and len(flat) > len(given) + 8 and flat.startswith(given)):
        return False
    # Broken off inside a word or a bracket (…电 （记|者…), not a line that ends where a
    # paragraph opening with its words goes on (a deck over the columns, then its body).
    return open_bracket(given) or _word_across(given, flat[len(given):]) > 0


def _fill_in(kept: list[Line], flat: str, feet: set[int] | frozenset[int]) -> bool:
    """Put the rest of a passage written a second time (``flat``, without white space) into
    the kept line whose text it repeats from its start for at least half its length (20
    characters at least), where that line's text departs from it; say whether it did.
    ``feet``: the ids of lines that are a column's last text in a merged passage."""
    least = max(20, (len(flat) + 1) // 2)
    for ln in reversed(kept):
        if flat[:least] not in re.sub(r"\s+", "", ln.text):
            continue
        chars = [i for i, c in enumerate(ln.text) if not c.isspace()]
        kept_flat = "".join(ln.text[i] for i in chars)
        low, high = least, len(flat)  # a prefix found has every shorter one found: bisect
        while low < high:
            mid = (low + high + 1) // 2
            low, high = (mid, high) if flat[:mid] in kept_flat else (low, mid - 1)
        n = low
        end = kept_flat.index(flat[:n]) + n
        # All given, or the first merely ends there: a paragraph that opens with a deck's
        # words is not the deck again — unless the first is a column's text cut off at the
        # column's foot inside a sentence, which the second writing goes on with.
        if n == len(flat) or (end == len(kept_flat) and not (id(ln) in feet and not ends_sentence(ln.text))):
            continue
        rest = flat[n:]
        # The second writing may come back to the first's text after the lost lines.
        for m in range(len(rest), 3, -1):
            if kept_flat[end:].startswith(rest[-m:]):
                rest = rest[:-m]
                break
        cut = chars[end - 1] + 1
        ln.text = ln.text[:cut] + rest + ln.text[cut:]
        return True
    return False


# -- masthead items set on one line (pymupdf4llm) ----------------------------------------------

_DIGIT = re.compile(r"\d")


def _masthead_items(text: str) -> list[str] | None:
    """A line that holds several masthead items side by side (农历乙巳年二月廿七 第27630期
    国内统一连续出版物号 CN 11-0065): its items, when read one by one they tell more kinds
    of edition facts than the line read whole (今日4版 第27323期 is one issue line)."""
    if len(text) > 120 or _DIGIT.search(text) is None:  # every item has a number
        return None
    parts = columns.pieces(text)
    if len(parts) < 2:
        return None
    apart = set().union(*(_masthead_kinds(p) for p in parts))
    return parts if len(apart) >= 2 and len(apart) > len(_masthead_kinds(text)) else None


def _masthead_kinds(text: str) -> set[str]:
    """Which edition facts a masthead line gives: date, lunar date, issue, CN number."""
    from converters import masthead as mh

    date = mh.parse_date_line(text)
    found = {"date"} if date else set()
    found |= {"lunar"} if mh.LUNAR_LINE.match(text) or (date and date.lunar) else set()
    found |= {"issue"} if mh.parse_issue_line(text) else set()
    return found | ({"cn"} if mh.parse_cn_line(text) else set())


def _has_masthead_items(d: Dump) -> bool:
    return " " in d.text and any(_masthead_items(ln.text) is not None for ln in d.lines[:12])


def _has_folio_row(d: Dump) -> bool:
    """A page header the tool wrote as the page shows it, its items far apart across the
    line (06   经济   2023年4月12日 星期三), left whole (no columns were found under it)."""
    return "side-by-side" not in d.applied and "   " in d.text and not _has_table(d) and _folio_row(d) is not None


def _folio_row(d: Dump) -> tuple[int, list[str]] | None:
    header = columns.header_items(d.text.replace("\f", "").split("\n"))
    if header is None or not any(ln.number == header[0] + 1 for ln in d.lines):
        return None
    return header


def _run_folio_row(d: Dump) -> None:
    """Its items on lines of their own, as a side-by-side dump's folio is read
    (:func:`converters.columns.header_items`)."""
    header = _folio_row(d)
    assert header is not None
    row, items = header
    out: list[Line] = []
    for ln in d.lines:
        if ln.number != row + 1:
            out.append(ln)
            continue
        out += [Line(number=ln.number, text=item, blank_before=ln.blank_before if j == 0 else 0)
                for j, item in enumerate(items)]
    d.lines = out


def _run_masthead_items(d: Dump) -> None:
    """Each masthead item on a line of its own, as the masthead is read line by line."""
    out: list[Line] = []
    for k, ln in enumerate(d.lines):
        items = _masthead_items(ln.text) if k < 12 else None
        if items is None:
            out.append(ln)
            continue
        out += [Line(number=ln.number, text=item, blank_before=ln.blank_before if j == 0 else 0, bold=ln.bold)
                for j, item in enumerate(items)]
    d.lines = out


#: In priority order; each runs only when its test finds its signature in the dump.
PREPROCESSORS: list[Preprocessor] = sorted([
    Preprocessor("side-by-side", 110, _side_by_side, _run_side_by_side, tool="pdftotext -layout"),
    Preprocessor("titles-abreast", 109, _has_titles_abreast, _run_titles_abreast, tool="pdftotext"),
    Preprocessor("folio-row", 108, _has_folio_row, _run_folio_row, tool="pdftotext -layout"),
    Preprocessor("type-blocks", 107, _type_blocks, _run_type_blocks, tool="pdftotext"),
    Preprocessor("cut-credits", 106, _has_cut_credits, _run_cut_credits, tool="pdftotext"),
    Preprocessor("cut-photo-credits", 105, _has_cut_photo_credit, _run_cut_photo_credits, tool="pdftotext"),
    Preprocessor("interleaved", 104, _interleaved, _run_interleaved, tool="pdftotext/pymupdf4llm/markitdown"),
    Preprocessor("comments", 100, _has_comment, _run_comments, tool="docling"),
    Preprocessor("html-tags", 90, _has_tag, _run_tags, tool="paddleocr/marker"),
    Preprocessor("markdown-images", 80, _has_md_image, _run_md_images, tool="mineru/marker"),
    Preprocessor("markdown-links", 75, _has_md_link, _run_md_links),
    Preprocessor("block-quotes", 72, _has_quotes, _run_quotes, tool="pymupdf4llm"),
    Preprocessor("heading-marks", 70, _has_heading, _run_headings),
    Preprocessor("emphasis", 60, _has_emphasis, _run_emphasis, tool="marker"),
    Preprocessor("escapes", 50, _has_escapes, _run_escapes),
    Preprocessor("tex-numbers", 40, _has_math, _run_math, tool="mineru"),
    Preprocessor("pipe-tables", 30, _has_table, _run_tables, tool="docling/marker"),
    Preprocessor("masthead-items", 25, _has_masthead_items, _run_masthead_items, tool="pymupdf4llm"),
    Preprocessor("merged-rows", 20, _has_merged, _run_merged, tool="pymupdf4llm"),
    Preprocessor("hard-wrap", 10, _wrapped, _run_hard_wrap, tool="pdftotext"),
], key=lambda p: -p.priority)


def normalise(text: str, processors: list[Preprocessor] | None = None) -> Dump:
    """A dump's text -> its lines without the tool's decoration (see the module docstring)."""
    d = split_lines(text)
    for proc in processors if processors is not None else PREPROCESSORS:
        if proc.test(d):
            proc.run(d)
            d.applied.append(proc.name)
    return d


def dialect_name(d: Dump) -> str:
    """A name for the report: which conventions the dump used."""
    marks = sorted({ln.level for ln in d.lines if ln.level})
    parts = [p for p in d.applied if p != "heading-marks"]
    heading = (f"headings {'/'.join('#' * m for m in marks)}" if marks else "no heading marks")
    return ", ".join([heading, *parts])
