"""Columns set side by side on each line of a dump, read back into their reading order.

Tools that keep a page's layout in plain text (``pdftotext -layout``) write every printed
line of the page as one line of text: the lines of neighbouring columns stand side by side,
separated by the white space of the gutter between them.  Read line by line, the stories
come out interleaved.  This module finds the columns again from the one thing such a dump
keeps, the horizontal position of each character (one character cell each, as the tool
placed them), and the principle that defines a column: **a column is an x-range that text
flows down, and its left edge is where many lines start** (after the gutter's white space).

1. Each line is cut into *segments* at runs of white space; a segment starting where many
   other lines also start (a *column start*, within the jitter of the tool's rounding) opens
   a new column on that line, any other one continues the segment before it (a space inside
   a sentence, ``本报北京3月25日电 （记者``).
2. The page is then read as a newspaper is read, by a recursive cut (the XY-cut of document
   layout analysis): a region is split into its columns where no segment crosses the gutter
   between them (read left to right, each top to bottom); where every gutter is crossed —
   by a headline spanning columns — the region is split across at the rows of the
   spanning lines (read top to bottom) and each band is cut again.

Only positions are used: no template's numbers, no page's strings.  A tool that joined the
lines of side-by-side columns row by row with single spaces (pymupdf4llm) is read back by
:func:`unmerge` from the flow of the text instead; one that kept no gutter at all is
reported by the dialect stage (``converters.dialects``: the ``interleaved`` processor).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from converters.textutil import ends_sentence

#: Cells a column's left edge may wander on a line: the tool rounds each glyph's position to
#: a character cell, and a line set in wider glyphs than the average pushes its right
#: neighbour a few cells on.
JITTER = 6
#: White space this wide (in cells) is never inside a line of text: a gutter, or the space
#: between two things set apart on one row (the folio's date and page name).
_WIDE = 3
_GAP = re.compile(r"[ \u3000\u00a0]+")
#: Lines a heading block over columns holds at most (a kicker, a title on two lines, a
#: subtitle, a byline): more lines set in are a column's text beside an empty one.
HEAD_ROWS = 5


@dataclass(slots=True)
class Segment:
    """A run of text on one line of the dump, at character cells ``x0``…``x1``."""

    row: int  # 0-based line of the dump
    x0: int
    x1: int
    text: str
    col: int = 0  # the column whose start it stands at
    last: int = 0  # the last column it reaches into


def _cells(line: str) -> list[tuple[int, int, str]]:
    """Runs of text on a line, as (start cell, end cell, text); one cell per character."""
    runs: list[tuple[int, int, str]] = []
    pos = 0
    for m in _GAP.finditer(line):
        if m.start() > pos:
            runs.append((pos, m.start(), line[pos:m.start()]))
        pos = m.end()
    if pos < len(line):
        runs.append((pos, len(line), line[pos:]))
    return runs


def column_starts(lines: list[str]) -> list[int]:
    """Cells where many lines start a run of text after white space: the columns' left edges.

    A start shared by at least an eighth of the text lines (and at least four) is a column's
    edge; of starts within :data:`JITTER` cells of each other only the most shared counts
    (an indented first line starts a few cells right of its column's edge)."""
    counts: Counter[int] = Counter()
    text_lines = 0
    for line in lines:
        runs = _cells(line)
        if runs:
            text_lines += 1
        counts.update({x0 for x0, _, _ in runs})
    floor = max(4, text_lines // 8)
    starts = sorted(x for x, n in counts.items() if n >= floor)
    kept: list[int] = []
    for x in sorted(starts, key=lambda s: (-counts[s], s)):
        if all(abs(x - k) > JITTER for k in kept):
            kept.append(x)
    return sorted(kept)


def segments(lines: list[str], starts: list[int]) -> list[Segment]:
    """Each line's runs of text grouped into segments, one per column it has text in.

    For each column start, one run of the line nearer to it than to any other start opens
    that column; every other run continues the segment before it (a space inside the text,
    电 （记者).  Of several candidates, the one that leaves the column on its left as wide as
    that column's lines usually are wins (a justified column has one width, counted in
    printed width: a Chinese character two, a digit one); the first pass, by nearness to the
    start alone, tells what that width is."""
    first = _segments(lines, starts, None)
    widths: dict[int, int] = {}
    for k in range(len(starts)):
        ws = sorted(display_width(seg.text) for seg in first if seg.col == k and seg.last == k)
        if ws:
            widths[k] = ws[(len(ws) * 3) // 4]  # most lines fill the column; some end a paragraph
    return _join_isolated(_segments(lines, starts, widths), starts, widths)


def _join_isolated(segs: list[Segment], starts: list[int], widths: dict[int, int]) -> list[Segment]:
    """A piece after a narrow gap on its row is the rest of that row's line unless a line of
    its column just above or below starts where it starts: a column's lines share their left
    edge.  So a byline or masthead line set across a column start (新华社记者 孙少龙 丁小溪
    王子铭) or a headline with a space in it over its story's columns stays one line."""
    by_col: dict[int, list[int]] = {}
    for seg in segs:
        by_col.setdefault(seg.col, []).append(seg.row)
    usual: dict[int, int] = {}
    for col, rows in by_col.items():
        gaps = sorted(b - a for a, b in itertools.pairwise(sorted(set(rows))))
        usual[col] = gaps[len(gaps) // 2] if gaps else 1
    rows: dict[int, list[Segment]] = {}
    for seg in segs:
        rows.setdefault(seg.row, []).append(seg)

    def aligned(seg: Segment) -> bool:
        """Does a line of its column just above or below start where it starts?"""
        reach = usual[seg.col]
        if display_width(seg.text) >= widths.get(seg.col, 0) / 2:  # as wide as a line of the column:
            reach = max(reach, 2)  # lines of another spacing may sit between (a sidebar, a brief)
        return any(o.col == seg.col and abs(o.x0 - seg.x0) <= JITTER
                   for d in range(-reach, reach + 1) if d for o in rows.get(seg.row + d, ()))

    out: list[Segment] = []
    for seg in segs:
        prev = out[-1] if out else None
        if prev is not None and prev.row == seg.row and seg.x0 - prev.x1 < _WIDE and not aligned(seg):
            prev.text += " " + seg.text
            prev.x1 = seg.x1
            prev.last = max([prev.col, *(k for k, x in enumerate(starts) if x + JITTER < prev.x1 and k > prev.col)])
            continue
        out.append(seg)
    return out


def _segments(lines: list[str], starts: list[int], widths: dict[int, int] | None) -> list[Segment]:
    out: list[Segment] = []
    for row, line in enumerate(lines):
        runs = _cells(line)
        if not runs:
            continue
        opener: dict[int, int] = {0: _column_left_of(starts, runs[0][0])}
        opened = 0  # the run that opened the latest column so far
        for k, s in enumerate(starts):
            low = (starts[k - 1] + s) / 2 if k else -1
            high = (s + starts[k + 1]) / 2 if k + 1 < len(starts) else len(line)
            near = [i for i, (x0, _, _) in enumerate(runs) if i > opened and low < x0 < high]
            if not near:
                continue
            if widths is not None and k - 1 in widths:
                left = {i: display_width(" ".join(r[2] for r in runs[opened:i])) for i in near}
                near = [i for i in near if runs[i][0] - runs[i - 1][1] >= _WIDE or left[i] >= widths[k - 1] - 4] \
                    or near
                i = min(near, key=lambda i: (abs(left[i] - widths[k - 1]), -i))
            else:
                i = min(near, key=lambda i: (abs(runs[i][0] - s), -i))
            if i not in opener or opener[i] < k:
                opener[i] = k
                opened = i
        current: Segment | None = None
        for i, (x0, x1, text) in enumerate(runs):
            # A gap as wide as a gutter after a line that fills its column: something else
            # (a name beside a headline, the next item of a folio); after a shorter one, the
            # white space of a justified line (本报南昌3月25日电    （记者).
            apart = current is not None and x0 - current.x1 >= _WIDE and (
                widths is None or current.col not in widths
                or display_width(current.text) >= widths[current.col] - 4)
            if apart and i not in opener:
                opener[i] = max(current.col, _column_left_of(starts, x0))
            if current is None or (i in opener and (opener[i] > current.col or apart)):
                current = Segment(row=row, x0=x0, x1=x1, text=text, col=opener.get(i, 0))
                out.append(current)
            else:
                current.text += " " + text  # a space inside the text (电 （记者, 陈  凌): one space
                current.x1 = x1
    for seg in out:
        seg.last = max([seg.col, *(k for k, x in enumerate(starts) if x + JITTER < seg.x1 and k > seg.col)])
    return out


def _column_left_of(starts: list[int], x: int) -> int:
    return max([0, *(k for k, s in enumerate(starts) if s <= x + 1)])


def reading_order(segs: list[Segment], ncols: int) -> list[list[Segment]]:
    """The segments in reading order, as runs that flow (one column of one band each)."""
    runs: list[list[Segment]] = []
    _cut(sorted(segs, key=lambda s: (s.row, s.col)), 0, max(ncols, 1), runs)
    return runs


def _cut(segs: list[Segment], first: int, end: int, runs: list[list[Segment]]) -> None:
    """XY-cut over columns ``first``…``end-1``: across the gutters no segment crosses (each
    part read whole, left to right); while every gutter is crossed, the rows above the
    topmost spanning line are read first, then that line (a headline over its columns),
    then the rest is cut again."""
    while segs:
        if end - first <= 1:
            runs.append(segs)
            return
        heads = _heading_rows(segs, first)
        if heads:
            # Lines alone on the region's first rows, each set in from its left edge, and
            # apart from what follows: a heading centred over the columns under it (a
            # headline, its subtitle, a byline), read before them.
            block = []
            for row in heads:
                on = [s for s in segs if s.row == row]
                block.append(Segment(row=row, x0=on[0].x0, x1=on[-1].x1, text=" ".join(s.text for s in on),
                                     col=on[0].col, last=max(s.last for s in on)))
            runs.append(block)
            segs = [s for s in segs if s.row > max(heads)]
            continue
        bands = _bands(segs)
        if len(bands) > 1:
            for band in bands:
                _cut(band, first, end, runs)
            return
        crossed = {k for s in segs for k in range(s.col + 1, s.last + 1)}
        free = [k for k in range(first + 1, end) if k not in crossed]
        if free:
            edges = [first, *free, end]
            for a, b in itertools.pairwise(edges):
                _cut([s for s in segs if a <= s.col < b], a, b, runs)
            return
        top = min(s.row for s in segs if s.last > s.col)
        _cut([s for s in segs if s.row < top], first, end, runs)
        runs.append([s for s in segs if s.row == top])
        segs = [s for s in segs if s.row > top]


def _heading_rows(segs: list[Segment], first: int) -> list[int]:
    """The rows of a heading over the region's columns (else none): its first rows when each
    holds one line set in from the region's left edge (further than an indent; its pieces no
    gutter apart: a space in a subtitle or between a byline's names may fall at a column's
    start), row after row, a blank row under them; or the first row alone, in a later column
    than the region's first, a blank row under it."""
    by_row: dict[int, list[Segment]] = {}
    for seg in sorted(segs, key=lambda s: (s.row, s.x0)):
        by_row.setdefault(seg.row, []).append(seg)
    rows = sorted(by_row)
    left = min(seg.x0 for seg in segs)
    heads: list[int] = []
    for row in rows:
        on = by_row[row]
        one_line = all(b.x0 - a.x1 < _WIDE for a, b in itertools.pairwise(on))
        if not one_line or on[0].x0 <= left + JITTER or len(heads) == HEAD_ROWS \
                or (heads and row - heads[-1] != 1):
            break
        heads.append(row)
    after = [r for r in rows if heads and r > heads[-1]]
    # Apart from what follows, and over it: its first row has text at the region's left edge
    # (not the top of one column beside another that starts lower, under a photo).
    if heads and after and after[0] - heads[-1] >= 2 and any(seg.x0 <= left + JITTER for seg in by_row[after[0]]):
        return heads
    # Else one line alone on the first row, starting in a later column than the region's
    # first and apart from what follows: a heading over headings (a kicker over its title).
    top = by_row[rows[0]]
    return [rows[0]] if len(top) == 1 and top[0].col > first and len(rows) > 1 and rows[1] - rows[0] >= 2 else []


def _bands(segs: list[Segment]) -> list[list[Segment]]:
    """The region cut across where a gap runs over its whole width that is wider than its
    lines' usual spacing: rows of stories one above the other (as XY-cut cuts at the widest
    gaps first)."""
    rows = sorted({s.row for s in segs})
    gaps = sorted(b - a - 1 for a, b in itertools.pairwise(rows))
    if not gaps:
        return [segs]
    usual = gaps[len(gaps) // 2]
    per_row = Counter(s.row for s in segs)
    cuts: list[int] = []
    for a, b in itertools.pairwise(rows):
        # Only under a band that holds columns of text: headlines side by side over their
        # stories' columns stay with them.
        above = sum(1 for r, n in per_row.items() if (cuts[-1] if cuts else rows[0]) <= r <= a and n >= 2)
        if b - a - 1 >= max(2, 2 * usual + 1) and above >= 3:
            cuts.append(b)
    if not cuts:
        return [segs]
    edges = [rows[0], *cuts, rows[-1] + 1]
    return [[s for s in segs if a <= s.row < b] for a, b in itertools.pairwise(edges)]


def side_by_side(lines: list[str]) -> bool:
    """Does the dump set columns side by side?  Many lines hold two or more runs of text
    separated by a gutter-wide gap (three cells or more), or start at a column start right
    of the first, set in by white space (a column whose left neighbour has no line on that
    row: stories side by side on different line spacings) — only a dump that keeps
    positions sets text there line after line."""
    wide = re.compile(r"\S[ \u3000]{3,}\S")
    text_lines = [ln for ln in lines if ln.strip()]
    if len(text_lines) < 8:
        return False
    starts = column_starts(lines)
    if len(starts) < 2:
        return False

    def placed(line: str) -> bool:
        if wide.search(line.strip()):
            return True
        runs = _cells(line)
        x0 = runs[0][0] if runs else 0  # set in by white space to a column start
        return x0 >= _WIDE and x0 > starts[0] + JITTER and any(abs(x0 - s) <= JITTER for s in starts[1:])

    return sum(1 for ln in text_lines if placed(ln)) >= 0.3 * len(text_lines)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def ordered_lines(text: str) -> list[tuple[int, str, bool, int, int]]:
    """A side-by-side dump's text as lines in reading order: (1-based line number, text,
    indented, blank lines before, run: which column run (1, 2, …) the line belongs to).  A
    run of one column starts after a blank; within it, a gap more than twice the run's
    usual line spacing is a blank too."""
    lines = text.replace("\f", "").split("\n")
    out: list[tuple[int, str, bool, int, int]] = []
    header = header_items(lines)
    if header is not None:  # read first, one line per item set apart
        row, items = header
        out += [(row + 1, item, False, int(k == 0), 0) for k, item in enumerate(items)]
        lines = [*lines[:row], "", *lines[row + 1:]]
    starts = column_starts(lines)
    for number, run in enumerate(reading_order(segments(lines, starts), len(starts)), start=1):
        gaps = sorted(b.row - a.row for a, b in itertools.pairwise(run))
        usual = gaps[len(gaps) // 2] if gaps else 1
        edge = _left_edge(run, starts)
        for i, seg in enumerate(run):
            blank = 1 if i == 0 else int(seg.row - run[i - 1].row > 2 * usual)
            indent = edge is not None and seg.x0 - edge >= 2
            out.append((seg.row + 1, seg.text.strip(), indent, blank, number))
    return out


def _left_edge(run: list[Segment], starts: list[int]) -> int | None:
    """Where the lines of one column run start: the cell most of them start at (three lines
    at least), else the page's start for that column.  The page's column starts are shared
    by every story on the page; one story's column may sit a few cells off them (a story
    set on another grid below a boxed one), and its indents are measured from its own edge."""
    counts = Counter(seg.x0 for seg in run)
    if counts:
        x, n = max(counts.items(), key=lambda item: (item[1], -item[0]))
        if n >= 3:
            return x
    col = run[0].col if run else len(starts)
    return starts[col] if col < len(starts) else None


def header_items(lines: list[str]) -> tuple[int, list[str]] | None:
    """The folio or page header on the page's first line of text (see :func:`_header_row`):
    (its row, its items: what stands apart on it, each whole)."""
    row = _header_row(lines)
    if row is None:
        return None
    items: list[list[str]] = []
    end = None
    for x0, x1, piece in _cells(lines[row]):
        if end is None or x0 - end >= _WIDE:
            items.append([])
        items[-1].append(piece)
        end = x1
    return row, [" ".join(item) for item in items]


def _header_row(lines: list[str]) -> int | None:
    """The page's first line of text when it is a folio or page header: items set far apart
    across the width of the page (date, page name, page number), wider than any gutter."""
    widest = max((len(ln.rstrip()) for ln in lines), default=0)
    for row, line in enumerate(lines):
        runs = _cells(line)
        if not runs:
            continue
        gaps = [b[0] - a[1] for a, b in itertools.pairwise(runs)]
        wide = [g for g in gaps if g >= _WIDE]  # between items; narrower gaps are inside one
        if wide and max(wide) >= 4 * _WIDE and runs[-1][1] - runs[0][0] >= 0.6 * widest:
            return row
        return None
    return None


# -- columns merged row by row into one line (pymupdf4llm, pdftotext on narrow gutters) ------

# A space between two pieces of Chinese text (or after a half-width mark that follows Chinese
# text: 现场, 咖香…): in Chinese running text a space does not stand between two words of a
# sentence, so it is where the tool joined two lines.
_AFTER_CHINESE = r"(?:(?<=[^\x00-\x7f])|(?<=[^\x00-\x7f][,;:!?]))"
_JOIN = re.compile(_AFTER_CHINESE + r" +(?=[^\x00-\x7f])")
JOIN = re.compile(_AFTER_CHINESE + r"( +)(?=[^\x00-\x7f])")  # the same, the spaces kept


def pieces(text: str) -> list[str]:
    """A line cut where the tool joined lines (spaces between Chinese text)."""
    return [p for p in _JOIN.split(text) if p]


def continues(left: str, right: str, freq: dict[str, int], common: int = 1) -> float:
    """How plainly ``right`` continues ``left`` as the next line of one column: a word of the
    dictionary (at least ``common`` in it) across the cut (政|策), else a sentence ended at
    the cut (neither says no)."""
    for n in range(1, 4):
        for m in range(1, 4):
            if n + m >= 2 and freq.get(left[-n:] + right[:m], 0) >= common:
                return 1.0
    return 0.5 if ends_sentence(left) else 0.0


def unmerge(parts: list[str], freq: dict[str, int]) -> tuple[int, int, float]:
    """(columns, leading pieces before the first row, plausibility) of a line merged row by
    row from the lines of side-by-side columns: piece ``lead + r*k + j`` is line ``r`` of
    column ``j``.  The reading that makes each column's lines continue each other best wins
    (a sentence continues across a line end: words run across it); one column unless
    another reads plainly better."""
    best = (1, 0, -1.0)
    for lead in range(0, 3):
        for k in range(1, 7):
            body = parts[lead:]
            if len(body) < 2 * k + 1:
                break
            joins = [continues(body[i], body[i + k], freq) for i in range(len(body) - k)]
            score = sum(joins) / len(joins) - 0.1 * lead - (0.15 if k > 1 else 0.0)
            if score > best[2]:
                best = (k, lead, score)
    return best


def column_texts(parts: list[str], k: int, lead: int, freq: dict[str, int]) -> list[list[str]]:
    """Each column's lines, left to right, from a merged line read as :func:`unmerge` says.

    The pieces come row by row, so each goes to the column after the last one's; a row where
    a column has no line (its paragraph or story ended) shows as a piece that does not
    continue that column but plainly continues the next one, and goes there — when the row
    read on from there runs on as well as read on in turn (a word across a cut happens by
    chance too: 确保封|信息化 beside 确保封|关运作)."""
    columns: list[list[str]] = [[] for _ in range(k)]
    col = -1
    body = parts[lead:]
    for i, piece in enumerate(body):
        expected, skip = (col + 1) % k, (col + 2) % k
        if k > 2 and columns[expected] and columns[skip] \
                and continues(columns[expected][-1], piece, freq) < 1.0 \
                and continues(columns[skip][-1], piece, freq) == 1.0 \
                and _runs_on(columns, body[i:i + k], skip, freq) > _runs_on(columns, body[i:i + k], expected, freq):
            expected = skip
        columns[expected].append(piece)
        col = expected
    return columns


def _runs_on(columns: list[list[str]], row: list[str], first: int, freq: dict[str, int]) -> float:
    """How well the pieces of ``row`` continue the columns when dealt in turn from ``first``."""
    k = len(columns)
    return sum(continues(columns[(first + j) % k][-1], piece, freq)
               for j, piece in enumerate(row) if columns[(first + j) % k])
