"""Layout analysis of one page: characters -> lines -> text blocks -> reading order.

Modelled on pdfminer.six's layout analysis (characters into lines by baseline and gap,
lines into boxes by vertical closeness and horizontal overlap) and on the recursive XY-cut
for reading order, with what a newspaper page adds:

* a **line** is a run of characters drawn one after another on one baseline, each close to
  the one before (a gap wider than a character's width with no space drawn ends it: a
  gutter between columns, however narrow, is never crossed);
* a **block** is a run of lines set in the same type (font, size, weight) one under the
  other in the same column, line spacing apart: a column of body text, a headline's deck,
  a byline, a caption, a subhead;
* the **reading order** cuts the page recursively at whitespace that runs right across
  the region: a gutter running down the whole region first (stories side by side, a
  story's columns), else a gap across it (a headline over its columns, stories stacked).
  A headline set across several columns is above all of them, so it is read before them;
* the **bands**: lines at the page's top (or foot) above the first gap that runs right
  across the page, with no running text in them — the masthead or the folio.

All coordinates are PDF points from the page's top-left corner, y downwards.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from converters.pdf.chars import Char


@dataclass(eq=False)
class Line:
    chars: list[Char]
    x0: float
    y0: float
    x1: float
    y1: float
    size: float  # the type size most of its characters have
    bold: bool
    font: str
    text: str = ""

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass(eq=False)
class TextBlock:
    lines: list[Line] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return min(ln.x0 for ln in self.lines)

    @property
    def x1(self) -> float:
        return max(ln.x1 for ln in self.lines)

    @property
    def y0(self) -> float:
        return self.lines[0].y0

    @property
    def y1(self) -> float:
        return self.lines[-1].y1

    @cached_property
    def _major(self) -> Line:
        """The line whose type most of the block is set in (a bold dateline opening a
        paragraph of body type does not make the block bold).  Read once the block is made."""
        weight: Counter = Counter()
        first: dict = {}
        for ln in self.lines:
            key = (ln.font, ln.bold, round(ln.size * 10))
            weight[key] += len(ln.chars)
            first.setdefault(key, ln)
        return first[max(weight, key=lambda k: (weight[k], -self.lines.index(first[k])))]

    @property
    def size(self) -> float:
        return self._major.size

    @property
    def bold(self) -> bool:
        return self._major.bold

    @property
    def font(self) -> str:
        return self._major.font

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)

    @property
    def text(self) -> str:
        return "".join(ln.text for ln in self.lines)

    @property
    def chars(self) -> int:
        return sum(len(ln.chars) for ln in self.lines)

    @property
    def set_vertically(self) -> bool:
        """Type set top to bottom (a vertical headline): three or more lines, each one
        character wide."""
        return len(self.lines) >= 3 and all(len(ln.chars) == 1 and ln.width <= 1.5 * ln.size for ln in self.lines)


@dataclass(frozen=True)
class Picture:
    """A picture's place on the page, among the blocks while the page is cut into its parts."""

    box: tuple[float, float, float, float]


_SPACED = re.compile(r"(?<=[\u4e00-\u9fffA-Z])[ \u3000](?=[\u4e00-\u9fffA-Z](?:[ \u3000]|$))")


def unspace(text: str) -> str:
    """Letter-spaced display text (人 民 日 报, 聚 焦 全 国 两 会) as words."""
    return _SPACED.sub("", text).strip()


def _is_wide(ch: str) -> bool:
    """CJK ideographs, kana, full-width forms and CJK punctuation: set without spaces."""
    o = ord(ch)
    return (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0x3000 <= o <= 0x303F
            or 0x20000 <= o <= 0x3FFFF or ch in "“”‘’—…·")


def make_lines(chars: tuple[Char, ...] | list[Char]) -> list[Line]:
    """Characters in drawing order -> lines (see the module's doc)."""
    lines: list[Line] = []
    run: list[Char] = []

    def close() -> None:
        if run:
            lines.append(_line(run[:]))
            run.clear()

    for ch in chars:
        if run:
            last = run[-1]
            em = max(last.size, ch.size, 0.1)
            same_band = abs((ch.y0 + ch.y1) - (last.y0 + last.y1)) / 2 < 0.3 * em
            dx = ch.x0 - last.x1
            limit = 1.6 * em if ch.space_before else 0.55 * em
            broken = ch.break_before and not (same_band and -0.2 * em <= dx <= 0.3 * em)
            # type half as large again after a space: another block's (a headline set
            # vertically beside a column, its character level with a line of the text)
            small = min(last.size, ch.size)
            jump = em > 1.5 * small and dx > 0.25 * small
            if broken or jump or not same_band or not (-0.3 * em <= dx <= limit or _overhang(last, ch, em)):
                close()
        run.append(ch)
    close()
    return lines


def _overhang(last: Char, ch: Char, em: float) -> bool:
    """A glyph whose box reaches back over the one before (a dash's loose box in some CJK
    fonts) but ends after it: the next character of the same line."""
    if abs(ch.x0 - last.x0) < 0.1 * em and abs(ch.x1 - last.x1) < 0.1 * em:
        return True  # two glyphs drawn as one (a 2-em dash ligature): both have its box
    return ch.x1 > last.x1 + 0.2 * em and ch.x0 >= last.x0 - 0.1 * em and ch.x0 - last.x1 > -1.5 * em


def _line(chars: list[Char]) -> Line:
    sizes = Counter(c.size for c in chars)
    fonts = Counter((c.font, c.bold) for c in chars)
    (font, bold), _ = fonts.most_common(1)[0]
    text = []
    prev: Char | None = None
    for c in chars:
        if prev is not None:
            gap = c.x0 - prev.x1
            # a space the PDF drew, or a gap as wide as a third of the type, between words
            if ((c.space_before or gap > 0.3 * c.size) and not (_is_wide(prev.text) and _is_wide(c.text)
                                                              and not c.space_before)) or c.space_before:
                text.append(" ")
        text.append(c.text)
        prev = c
    return Line(chars, min(c.x0 for c in chars), min(c.y0 for c in chars), max(c.x1 for c in chars),
                max(c.y1 for c in chars), sizes.most_common(1)[0][0], bold, font, "".join(text).strip())


def same_type(a: Line, b: Line) -> bool:
    return a.font == b.font and a.bold == b.bold and abs(a.size - b.size) <= 0.05 * max(a.size, b.size)


def make_blocks(lines: list[Line]) -> list[TextBlock]:
    """Lines -> blocks: each line joins the block whose last line stands right above it, in
    the same type and the same column (see the module's doc)."""
    blocks: list[TextBlock] = []
    open_blocks: list[TextBlock] = []
    spans: dict[int, tuple[float, float]] = {}  # id(block) -> its (x0, x1), kept as lines join
    ordered = sorted(lines, key=lambda ln: (round(ln.y0, 1), ln.x0))
    for at, ln in enumerate(ordered):
        best: TextBlock | None = None
        best_gap, best_under = 0.0, False
        for b in open_blocks:
            last = b.lines[-1]
            em = max(ln.size, last.size)
            gap = ln.y0 - last.y1
            # Loose glyph boxes (the font's ascent to descent, up to 1.5 em tall) overlap
            # the line above when type is set solid, as headlines are.
            if not -max(0.25 * em, 0.4 * min(ln.height, last.height)) <= gap <= 0.9 * em:
                continue
            # A headline set vertically goes on at its own spacing: one stacked under it
            # (another story's, under the next rule) starts a block of its own.
            upright = all(len(x.chars) == 1 for x in b.lines)  # (so far) a headline set vertically
            if upright and (len(ln.chars) > 1 or (len(b.lines) >= 2 and gap > (last.y0 - b.lines[-2].y1) + 0.3 * em)):
                continue  # (nor does a line of more than one character: another headline's, level with it)
            # Another type: a new block, unless the line above runs on into this one (a
            # dateline set in bold to the column's end, the paragraph continuing in body type
            # at its own line spacing and size; a centred subhead or a byline ends short of
            # the column, or stands further above; a caption is smaller).
            if not same_type(ln, last) and not (abs(ln.size - last.size) <= 0.05 * em and len(b.lines) == 1
                                                and last.x1 >= ln.x1 - 0.25 * em and ln.x0 <= last.x0 + 0.5 * em
                                                and gap <= _spacing_under(ordered, at) + 0.25 * em):
                continue
            # The same column: the line starts where the block's lines start (or up to an
            # indent left of a first line), or is centred under it (a headline's second line).
            bx0, bx1 = spans[id(b)]
            left = bx0 - 2.5 * em <= ln.x0 <= bx0 + 2.5 * em
            centred = abs((ln.x0 + ln.x1) - (bx0 + bx1)) / 2 <= em and ln.x1 - ln.x0 <= bx1 - bx0 + em
            if not (left or centred):
                continue
            # a character right under a headline set vertically (its characters one under
            # another) goes on with it, before any other block
            under = upright and len(ln.chars) == 1 and min(ln.x1, last.x1) - max(ln.x0, last.x0) > 0.5 * em
            if best is None or (under, -gap) > (best_under, -best_gap):
                best, best_gap, best_under = b, gap, under
        if best is None:
            best = TextBlock()
            blocks.append(best)
            open_blocks.append(best)
            spans[id(best)] = (ln.x0, ln.x1)
        best.lines.append(ln)
        bx0, bx1 = spans[id(best)]
        spans[id(best)] = (min(bx0, ln.x0), max(bx1, ln.x1))
        # blocks far above cannot take more lines
        open_blocks = [b for b in open_blocks if b.lines[-1].y1 > ln.y0 - 3 * ln.size]
    return blocks


def _spacing_under(ordered: list[Line], at: int) -> float:
    """The gap between line ``at`` and the line under it in the same type and column (its
    paragraph's spacing), or minus infinity when there is none (nothing to say the line
    above is set at that spacing)."""
    ln = ordered[at]
    for below in ordered[at + 1:]:
        if below.y0 > ln.y1 + ln.size:
            break
        if same_type(ln, below) and abs(below.x0 - ln.x0) <= 2.5 * ln.size and below.y0 > ln.y0 + 0.5 * ln.height:
            return below.y0 - ln.y1
    return float("-inf")


def body_size(blocks: list[TextBlock]) -> float:
    """The running text's type size: the size most characters of the page are set in."""
    sizes: Counter = Counter()
    for b in blocks:
        for ln in b.lines:
            sizes[ln.size] += len(ln.chars)
    return sizes.most_common(1)[0][0] if sizes else 10.0


# -- reading order: recursive XY-cut ----------------------------------------------------

Box = tuple[float, float, float, float]


def _gaps(spans: list[tuple[float, float]], minimum: float) -> list[tuple[float, float]]:
    """Intervals not covered by any span, between the first start and the last end."""
    spans = sorted(spans)
    out = []
    reach = spans[0][1]
    for a, b in spans[1:]:
        if a - reach >= minimum:
            out.append((reach, a))
        reach = max(reach, b)
    return out


def reading_order(items: list, box_of, gutter: float, running=lambda it: False,
                  rules: Sequence[Box] = (), upright=lambda it: False) -> list:
    """``items`` in reading order by recursive XY-cut: cut at gutters running down the whole
    region first (left to right), else at gaps across it (top to bottom); a region that
    cannot be cut is read top to bottom, left to right.  ``gutter``: the narrowest gap
    between columns that counts.  Two rows of ``running`` text set in the same columns (a
    gap across them where paragraphs happen to end at one height) are one run of columns,
    read column by column.  ``rules``: lines the page draws across; one that runs across
    the whole region between its blocks parts it first, top from bottom (a rule between
    stories; cut down the gutters first, a story's short column would run on into the
    empty place beside the story under the rule).  ``upright``: a headline set vertically;
    side by side with other parts, see ``_heads_first``."""
    if len(items) <= 1:
        return list(items)
    boxes = [box_of(it) for it in items]
    across = _rules_across(boxes, rules)
    if across:
        parts = _split(items, boxes, [(y, y) for y in across], 1)
        if len(parts) > 1:
            return [x for part in parts for x in reading_order(part, box_of, gutter, running, rules, upright)]
    vertical = _gaps([(b[0], b[2]) for b in boxes], gutter)
    vertical = _drop_cuts_under_heads(items, boxes, vertical, gutter, running)
    # A gap across the whole region near as wide as any gutter down it (if any), and wider
    # than a paragraph's space, is cut first: rows of stories, read row by row (a story
    # spanning the row below on the same column grid as the stories above leaves a gutter
    # running down the whole page; stories side by side in two rows, their headlines
    # level, leave none).  Glyph boxes stand out over their lines, so a row gap set as
    # wide as the space between stories measures less.
    gaps_across = _gaps([(b[1], b[3]) for b in boxes], 0.01)
    widest = max((b - a for a, b in vertical), default=0.0)
    rows = [g for g in gaps_across if g[1] - g[0] >= max(0.6 * widest, 4 * gutter)]
    if rows:
        parts = _split(items, boxes, rows, 1)
        if len(parts) > 1:
            return _read_rows(parts, box_of, gutter, running, rules, upright)
    if vertical:
        parts = _split(items, boxes, vertical, 0)
        under = _upright_stacked(parts, box_of, boxes, upright)
        if under:  # headlines set vertically one under another: each heads the row beside it
            return _read_rows(_split(items, boxes, [(y, y) for y in under], 1), box_of, gutter, running, rules,
                              upright)
        parts = _heads_first(parts, upright, running)
        return [x for part in parts for x in reading_order(part, box_of, gutter, running, rules, upright)]
    horizontal = _drop_chance_gaps(items, boxes, gaps_across, gutter, running)
    if horizontal:
        return _read_rows(_split(items, boxes, horizontal, 1), box_of, gutter, running, rules, upright)
    top = min(range(len(items)), key=lambda k: (boxes[k][1], boxes[k][0]))
    rest = items[:top] + items[top + 1:]
    if not running(items[top]) and sum(1 for it in rest if running(it) and len(it.lines) >= 2) >= 2 and all(
            b[1] >= boxes[top][3] - gutter for k, b in enumerate(boxes) if k != top):
        # a headline over columns of text, too close above them for a gap to count: read
        # first, the columns cut by their own gutters
        return [items[top], *reading_order(rest, box_of, gutter, running, rules, upright)]
    return [it for _, it in sorted(zip(boxes, items, strict=True), key=lambda t: (t[0][1], t[0][0]))]


def _read_rows(parts: list[list], box_of, gutter: float, running, rules, upright) -> list:
    """Parts one over another, top to bottom; two of running text in the same columns (a
    gap across them where paragraphs happen to end at one height) are one run of columns."""
    merged: list[list] = []
    for part in parts:
        if merged and _same_columns(merged[-1], part, box_of, gutter, running):
            merged[-1] = merged[-1] + part
        else:
            merged.append(part)
    if len(merged) == 1:  # all one run of columns: read it by its gutters
        return _by_columns(merged[0], box_of, gutter, running)
    return [x for part in merged for x in reading_order(part, box_of, gutter, running, rules, upright)]


def _upright_stacked(parts: list[list], box_of, boxes: list[Box], upright) -> list[float]:
    """Heights where a part of headlines set vertically, one under another (two stories'
    titles at the right of their rows), parts the whole region: no block runs across."""
    out = []
    for part in parts:
        if len(part) < 2 or not all(upright(it) for it in part):
            continue
        for a, b in itertools.pairwise(sorted((box_of(it) for it in part), key=lambda b: b[1])):
            y = (a[3] + b[1]) / 2
            if a[3] <= b[1] and not any(x[1] < y < x[3] for x in boxes):
                out.append(y)
    return sorted(out)


def _heads_first(parts: list[list], upright, running=lambda it: False) -> list[list]:
    """Parts side by side, left to right, with the headlines set vertically read first:
    a run of such parts is read right to left (as vertical type is: kicker, title,
    subtitle), and one at the right end, or with a story of its own headline on its
    right, the headline of the text on its left (back to the part before it that has a
    headline of its own), before it."""
    out: list[list] = []
    k = 0
    while k < len(parts):
        end = k
        while end < len(parts) and all(upright(it) for it in parts[end]):
            end += 1
        if end == k:
            out.append(parts[k])
            k += 1
            continue
        run = parts[k:end][::-1]
        if end == len(parts) or (out and _headed(parts[end], running)):
            # before the text on its left, back to the last part that has a headline
            at = max((i + 1 for i, p in enumerate(out) if _headed(p, running) or all(upright(it) for it in p)),
                     default=0)
            out[at:at] = run + _over_the_text(out, at)
        else:
            out.extend(run)
        k = end
    return out


def _over_the_text(out: list[list], at: int) -> list[list]:
    """The text a headline set vertically heads (``out[at:]``): a line or two narrower than
    its columns, standing above all of it (a byline centred over the story's columns, cut
    with the column under it) is taken out of its part, to be read right after the
    headline."""
    items = [it for p in out[at:] for it in p]
    if len(items) < 3:
        return []
    top = min(items, key=lambda it: it.box[1])
    columns = [it.box[2] - it.box[0] for it in items if isinstance(it, TextBlock) and len(it.lines) > 2]
    if not isinstance(top, TextBlock) or len(top.lines) > 2 or not columns \
            or top.box[2] - top.box[0] > 0.9 * min(columns) \
            or any(it.box[1] < top.box[3] - 0.25 * top.size for it in items if it is not top):
        return []
    for k in range(at, len(out)):
        if top in out[k] and len(out[k]) > 1:
            out[k] = [it for it in out[k] if it is not top]
            return [[top]]
    return []


def _headed(part: list, running) -> bool:
    """Does the part start with a headline: above its first line of running text, a block
    in type half as large again as that text (under a kicker in smaller type, too)?"""
    texts = [it for it in part if isinstance(it, TextBlock)]
    sizes = [it.size for it in texts if running(it)]
    if not sizes:
        return False
    first = min(it.box[1] for it in texts if running(it))
    top = min(part, key=lambda it: it.box[1])
    return isinstance(top, TextBlock) and not running(top) and any(
        not running(it) and it.box[1] < first and it.size >= 1.3 * max(sizes) for it in texts)


def _rules_across(boxes: list[Box], rules: Sequence[Box]) -> list[float]:
    """The heights of the rules that run across the whole width of the region the boxes
    fill (within a twentieth of it), between its blocks (none crosses the rule), with
    blocks above and below."""
    x0, x1 = min(b[0] for b in boxes), max(b[2] for b in boxes)
    y0, y1 = min(b[1] for b in boxes), max(b[3] for b in boxes)
    slack = 0.05 * (x1 - x0)
    out = []
    for r in rules:
        y = (r[1] + r[3]) / 2
        if r[0] <= x0 + slack and r[2] >= x1 - slack and y0 < y < y1 \
                and not any(b[1] < y < b[3] for b in boxes):
            out.append(y)
    return sorted(out)


def _drop_chance_gaps(items: list, boxes: list[Box], gaps: list[tuple[float, float]], gutter: float,
                      running) -> list[tuple[float, float]]:
    """The gaps across left when those that only happen to be free are not cuts: narrower
    than a paragraph's space (under a byline, a caption), with a gutter running down
    through the text on both sides of it (one column's headline ending just above the
    next column's text, a story beside another ending level with the other's byline).  Cut
    there, the columns beside each other would be read band by band instead of column by
    column."""
    kept = list(gaps)
    for g in gaps:
        if g[1] - g[0] >= 2.5 * gutter:
            continue
        k = kept.index(g)
        top = (kept[k - 1][0] + kept[k - 1][1]) / 2 if k else float("-inf")
        bottom = (kept[k + 1][0] + kept[k + 1][1]) / 2 if k + 1 < len(kept) else float("inf")
        near = [(it, b) for it, b in zip(items, boxes, strict=True) if top < (b[1] + b[3]) / 2 < bottom]
        gutters = _gaps([(b[0], b[2]) for _, b in near], gutter)
        if gutters and not _heads_columns(near, g, gutters, gutter, running):
            kept.remove(g)
    return kept


def _heads_columns(near: list, gap: tuple[float, float], gutters: list[tuple[float, float]], gutter: float,
                   running) -> bool:
    """Is the gap the foot of what heads the columns under it, they filling the region's
    width: a story's headline (no running text above the gap), or its byline (short lines
    only above)?  Not chance, then: cut there, it is read before every column.  (Headlines
    of stories side by side stand on both sides of the gutter between them: the stories
    are parted down it.)"""
    below = [b for _, b in near if b[1] >= gap[1]]
    above = [(it, b) for it, b in near if b[3] <= gap[0]]
    if not below or not above:
        return False
    x0, x1 = min(b[0] for b in below), max(b[2] for b in below)
    if x0 > min(b[0] for _, b in near) + 4 * gutter or x1 < max(b[2] for _, b in near) - 4 * gutter:
        return False  # (within a body size or so: a byline set to the story's edge)
    display = [b for it, b in above if not running(it)]
    if any(any(b[2] <= u for b in display) and any(b[0] >= v for b in display) for u, v in gutters):
        return False
    return not any(running(it) for it, _ in above) or (
        bool(_gaps([(b[0], b[2]) for b in below], gutter)) and all(_small_line(it) for it, _ in above))


def _drop_cuts_under_heads(items: list, boxes: list[Box], gaps: list[tuple[float, float]], gutter: float,
                           running) -> list[tuple[float, float]]:
    """The gutters left when those under a headline narrower than its columns are not cuts
    (each judged between the parts on either side of it, as the other cuts leave them)."""
    gaps = list(gaps)
    dropped = True
    while dropped and gaps:
        dropped = False
        cuts = [(a + b) / 2 for a, b in gaps]
        for k in range(len(gaps)):
            lo = cuts[k - 1] if k else float("-inf")
            hi = cuts[k + 1] if k + 1 < len(cuts) else float("inf")
            near = [(it, b) for it, b in zip(items, boxes, strict=True) if lo < (b[0] + b[2]) / 2 <= hi]
            if _under_centred_head([it for it, _ in near], [b for _, b in near], gaps[k], gutter, running):
                del gaps[k]
                dropped = True
                break
    return gaps


def _under_centred_head(items: list, boxes: list[Box], gap: tuple[float, float], gutter: float, running) -> bool:
    """Is this gutter a column edge under a headline narrower than its columns?  A headline
    centred over its story's columns may leave the outer columns' gutters running up to the
    top of the region; cut there, the outer column would be read before the headline.  It is
    one when one side is a column of running text from its top (a subhead further down is
    part of it), all of it below a headline (not running text) on the other side, with a
    block starting where a column of running text on the other side starts (the first row
    of the story's columns).
    (A story beside it starts at its own headline, or, headless, at the region's top: above
    the headline's foot.)"""
    cut = (gap[0] + gap[1]) / 2
    left = [(it, b) for it, b in zip(items, boxes, strict=True) if (b[0] + b[2]) / 2 < cut]
    right = [(it, b) for it, b in zip(items, boxes, strict=True) if (b[0] + b[2]) / 2 >= cut]
    for side, other in ((left, right), (right, left)):
        # a byline alone at the far end, level with the headline's foot or right under it
        if len(side) == 1 and _small_line(side[0][0]) and any(
                isinstance(it, TextBlock) and it.size >= 1.3 * side[0][0].size
                and -side[0][0].size <= side[0][1][1] - b[3] <= 1.5 * side[0][0].size for it, b in other):
            return True
    for text_side, other in ((left, right), (right, left)):
        # (a byline set level with the headline, at the far end of its row, above the text
        # on its side, is the headline's)
        body = [t[0].size for t in text_side if running(t[0]) and isinstance(t[0], TextBlock)]
        heads_level = [b for it, b in other if isinstance(it, TextBlock) and body and it.size >= 1.3 * min(body)]
        if text_side and body:
            it, b = min(text_side, key=lambda t: t[1][1])
            if _small_line(it) and it.size <= 1.05 * min(body) and any(
                    min(b[3], h[3]) - max(b[1], h[1]) > 0 for h in heads_level):
                text_side = [t for t in text_side if t[0] is not it]
        if not text_side or not other:
            continue
        first = min(text_side, key=lambda t: t[1][1])[0]
        over = isinstance(first, Picture) or (_small_line(first) and bool(body) and first.size <= 1.1 * max(body))
        if not running(first) and not (over and any(running(it) for it, _ in text_side)):
            continue  # (a column of text, or a photo or a subhead over it, from its top)
        top = min(b[1] for _, b in text_side)
        heads = [b for it, b in other if not running(it) and b[3] <= top]
        if not heads:
            continue
        # the columns under the headline: not its byline right under it (a subhead at a
        # column's top is where that column starts)
        foot = max(b[3] for b in heads)
        size = max(it.size for it, _ in text_side if running(it))
        columns = [b for it, b in other if b[1] >= foot and (not isinstance(it, TextBlock) or it.size <= 1.1 * size)
                   and not (_small_line(it) and running(it) and b[1] - foot <= 1.5 * it.size)]
        if _wider_than_gutters(text_side, [(it, b) for it, b in other if running(it) and not _small_line(it)],
                               gutter):
            continue
        # where a column of the other side starts (no block of it above in its x-range)
        starts = [b[1] for b in columns if not any(
            c[3] <= b[1] and min(b[2], c[2]) - max(b[0], c[0]) > 0 for c in columns)]
        if any(abs(u - b[1]) <= 2 * gutter for u in starts for _, b in text_side):
            return True
    return False


def _wider_than_gutters(side: list, columns: list, gutter: float) -> bool:
    """Is the column beside the other side's columns set further from them than they are
    from each other: the space between two stories, not a gutter?  Measured by the columns'
    left edges (where every line starts; their right edges vary with the marks that end a
    line), the distance to the nearest against the columns' pitch."""
    lefts: list[float] = []
    for it, b in sorted(columns, key=lambda t: t[1][0]):
        if isinstance(it, TextBlock) and len(it.lines) >= 2 and not (lefts and b[0] - lefts[-1] < 2 * gutter):
            lefts.append(b[0])
    if len(lefts) < 2:
        return False
    steps = sorted(b - a for a, b in itertools.pairwise(lefts))
    pitch = steps[len(steps) // 2]
    own = [b[0] for it, b in side if isinstance(it, TextBlock) and len(it.lines) >= 2]
    if not own:
        return False
    distance = lefts[0] - max(own) if max(own) < lefts[0] else min(own) - lefts[-1]  # (the nearest column)
    return distance > pitch + 0.5 * gutter


def _small_line(it) -> bool:
    """A line or two of short text (a byline, when no larger than the text's)."""
    return isinstance(it, TextBlock) and len(it.lines) <= 2 and it.chars <= 40


def _columns_of(part: list, box_of, gutter: float) -> list[tuple[float, float]]:
    return _gaps([(box_of(it)[0], box_of(it)[2]) for it in part], gutter)


def _same_columns(a: list, b: list, box_of, gutter: float, running) -> bool:
    """Rows of running text in the same columns: the same gutters (within a gutter's width)."""
    if not all(running(it) for it in a + b):
        return False
    ga, gb = _columns_of(a, box_of, gutter), _columns_of(b, box_of, gutter)
    return bool(ga) and len(ga) == len(gb) and all(
        abs((x0 + x1) - (y0 + y1)) / 2 <= 2 * gutter for (x0, x1), (y0, y1) in zip(ga, gb, strict=True))


def _by_columns(part: list, box_of, gutter: float, running) -> list:
    """A run of columns read column by column, each top to bottom."""
    boxes = [box_of(it) for it in part]
    gaps = _columns_of(part, box_of, gutter)
    cols = _split(part, boxes, gaps, 0) if gaps else [part]
    return [it for col in cols for it in sorted(col, key=lambda it: (box_of(it)[1], box_of(it)[0]))]


def _split(items: list, boxes: list[Box], gaps: list[tuple[float, float]], axis: int) -> list[list]:
    cuts = [(a + b) / 2 for a, b in gaps]
    parts: list[list] = [[] for _ in range(len(cuts) + 1)]
    for it, b in zip(items, boxes, strict=True):
        centre = (b[axis] + b[axis + 2]) / 2
        k = sum(1 for c in cuts if centre > c)
        parts[k].append(it)
    return [p for p in parts if p]


def bands(blocks: list[TextBlock], page_height: float, body: float,
          headline=lambda b: False) -> tuple[list[TextBlock], list[TextBlock], list[TextBlock]]:
    """(top band, the rest, foot band): the lines above the first gap that runs across the
    whole page, when none of them is running text (a block of several body-size lines) or a
    ``headline`` (a story set beside the masthead), and likewise at the foot; set apart by
    half a body size at least (a kicker over its title is no band).  The band stands in
    the page's top third, or its bottom fifth, however far the stories end from it.  A
    page without such a band has none."""
    if not blocks:
        return [], [], []
    gaps = _gaps([(b.y0, b.y1) for b in blocks], 0.2 * body)
    top: list[TextBlock] = []
    foot: list[TextBlock] = []
    rest = list(blocks)
    if gaps:
        cut = (gaps[0][0] + gaps[0][1]) / 2
        above = [b for b in rest if b.y1 <= cut]
        if gaps[0][0] < 0.35 * page_height and gaps[0][1] - gaps[0][0] >= 0.5 * body \
                and not any(_running(b, body) or headline(b) for b in above):
            top = above
            rest = [b for b in rest if b.y1 > cut]
        cut = (gaps[-1][0] + gaps[-1][1]) / 2
        below = [b for b in rest if b.y0 >= cut]
        if below and gaps[-1][1] > 0.8 * page_height and gaps[-1][1] - gaps[-1][0] >= 0.5 * body \
                and not any(_running(b, body) or headline(b) for b in below):
            foot = below
            rest = [b for b in rest if b.y0 < cut]
    return top, rest, foot


def _running(b: TextBlock, body: float) -> bool:
    return abs(b.size - body) <= 0.1 * body and (len(b.lines) >= 3 or b.chars > 40)


def median_line_height(blocks: list[TextBlock]) -> float:
    hs = [ln.height for b in blocks for ln in b.lines]
    return statistics.median(hs) if hs else 10.0
