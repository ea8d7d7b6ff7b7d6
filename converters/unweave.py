"""The lines of neighbouring columns written in turns, read back column by column.

``pdftotext`` (without ``-layout``) on columns set with narrow gutters and open leading
writes each line as a paragraph of its own (a *piece*; a few lines of one column written
together are one piece too), in the order the lines' baselines come down the page: the
first line of each column, then the second of each, and so on.  Read in that order, every
story is scrambled.  The columns come back as the sentences run: a line cut off
mid-sentence goes on at the start of the next line of its column, where a word of the
dictionary runs across the cut (政|策) in about half the pairs and in one of twenty pairs
taken at random; the turns the columns take say which column's line comes next.  A beam
search finds the reading of the whole page that is likeliest under both
(:func:`_follow`); it is used only when its lines run on plainly more often than the
tool's order does.  Lines that are no column's (the folio's, a byline, a label, the kicker
over a headline set across the columns) stand where the tool wrote them; such a headline
opens its story's first column, and a column closed by a jump line (下转第二版) ends.  A
story set in a page column under another's end is read after the story above
(:func:`_stacked`).
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import Counter
from collections.abc import Callable
from functools import cache
from operator import itemgetter
from typing import TYPE_CHECKING

from converters import columns
from converters.classify import jump_on
from converters.structure import has_column_label
from converters.textutil import bracketed, ends_sentence, has_sentence_punct

if TYPE_CHECKING:
    from converters.dialects import Line

# Log-likelihoods.  A line that ends mid-sentence and the next line of its column: a word
# runs across the cut in about half the pairs, in one pair of twenty taken at random.
WORD_ACROSS, NO_WORD_ACROSS = 2.3, -0.7
COMMON = 10  # a word this common in the dictionary
NEW_COLUMN = 3.0  # a column whose first line comes now (a story's headline, a column set lower)
PASS = 2.0  # each column passed over out of turn, staying on
ENDS = 1.0  # a column ending after a line that ends a sentence
ENDS_OPEN = 3.0  # a column ending mid-sentence (unless the next column starts with the rest)
NEW_COLUMN_FEW = 0.3  # the same while fewer columns take turns than the page has there
ENDS_NEEDED = 2.5  # and one while no more take turns than the page has there
ENDS_EXCESS = 1.0  # a column ending while more take turns than the page has there
SAME = 2.5  # a piece right after the piece it reads on from (the tool would have written them as one)
BEAM = 32
BETTER = 0.15  # how much more often lines must run on, read column by column
MAX_TURNS = 8  # columns taking turns, at most
NEAR = 12  # pieces either side counted for how many take turns
INDENT = 4  # a paragraph's first line is this much narrower than its column (two characters)
MAX_PIECES = 3000  # a dump longer than this is not read again (the search grows with it)


def width(text: str) -> int:
    """Printed width in half-width units: a CJK character counts 2."""
    return (len(text.encode("utf-8")) + len(text)) // 2


def pieces(lines: list[Line]) -> list[list[Line]]:
    """The dump's lines in the runs the tool wrote between blank lines."""
    out: list[list[Line]] = []
    for ln in lines:
        if out and ln.blank_before == 0:
            out[-1].append(ln)
        else:
            out.append([ln])
    return out


def _rows_apart(runs: list[list[Line]], usual: int, runs_on: Callable[[str, str], bool]) -> list[list[Line]]:
    """The pieces cut where a line filling its column, cut mid-sentence, is followed by one
    as wide as a paragraph's first line there (the full line less the indent) that ends no
    sentence and that no word runs across into.  Under a line cut mid-sentence a column's
    next line goes on filling the column or ends the paragraph; a line as narrow as a
    paragraph's first line (the tool drops the indent) that goes on is another column's
    first line of a paragraph, which the tool wrote in one piece with the row beside it
    (its baseline a hair lower).  Only lines whose widths measure their columns exactly
    (:func:`_measured`) say so."""
    out: list[list[Line]] = []
    for run in runs:
        start = 0
        for k in range(1, len(run)):
            above, below = run[k - 1].text, run[k].text
            if _open(above, usual) and not _wide(above, usual) and not run[k - 1].level \
                    and _measured(above) and _measured(below) \
                    and width(above) - INDENT - 1 <= width(below) <= width(above) - INDENT \
                    and not ends_sentence(below) and not bracketed(below) and not runs_on(above, below):
                out.append(run[start:k])
                start = k
        out.append(run[start:])
    return out


def _measured(text: str) -> bool:
    """A line whose width measures its column exactly: every character full-width and none a
    quotation mark (set narrower as the line needs), none a figure or a Latin letter (which
    take what width their type gives them)."""
    return all(width(ch) == 2 and ch not in "“”‘’" for ch in text)


def column_width(lines: list[Line]) -> int:
    """A full column line's width: most lines of running text are full."""
    widths = sorted(width(ln.text) for ln in lines if len(ln.text) >= 6)
    return widths[(len(widths) * 3) // 4] if widths else 0


def unweave(lines: list[Line], freq: dict[str, int], standalone: Callable[[str], bool] = lambda text: False,
            lead: Callable[[str], bool] = lambda text: False,
            opens: Callable[[str], bool] = lambda text: False,
            byline: Callable[[str], bool] = lambda text: False) -> tuple[list[Line], int]:
    """(the lines read column by column, how many columns they were read into; 0 when the
    tool's order is kept).  ``standalone`` says a line is no column's; ``lead`` that a line
    is a dateline alone (本报南昌3月25日电), whose column goes on in its reporters' bracket
    on the next line ((记者 周欢）…): the line is open, and only a bracket runs on from it;
    ``opens`` that a line opens a story (a dateline); ``byline`` that a line is a byline
    (本报记者 张三, 陈  凌), which stands under the headline written right before it
    (:func:`_under_headlines`)."""
    usual = column_width(lines)
    if not usual:
        return lines, 0

    def lone(ln: Line) -> bool:  # a line that is no column's: it stands where the tool wrote it
        return bool(ln.level or ln.figure is not None or standalone(ln.text) or _wide(ln.text, usual))

    # (a piece is one column's: a headline written with its first lines stays with them)
    runs = _rows_apart(pieces(lines), usual, lambda a, b: _runs_on(a, b, freq))
    if len(runs) > MAX_PIECES:
        return lines, 0
    alone = [all(lone(ln) or (_one_type(r, usual) and _label([ln], usual)) for ln in r) or _label(r, usual)
             or _heading(r, usual, lead) or (k + 1 < len(runs) and _deck_over(r, runs[k + 1], usual))
             for k, r in enumerate(runs)]
    # (a title closed by its column's label over its byline or dateline opens its story too)
    titled = [len(r) > 1 and _labelled(r[0].text) and (byline(r[1].text) or opens(r[1].text)) for r in runs]
    cols = _stacked(_follow(runs, usual, freq, alone, lead, titled), runs, opens)
    if sum(1 for c in cols if len(c) >= 3) < 2:  # one column after all: as the tool wrote it
        return lines, 0
    before = _running_on([list(range(len(runs)))], runs, usual, freq, lead)
    after = _running_on(cols, runs, usual, freq, lead)
    if after < before + BETTER:  # not plainly better read so: as the tool wrote it
        return lines, 0
    cols = _under_headlines(cols, [alone[k] and all(byline(ln.text) for ln in r) for k, r in enumerate(runs)],
                            [not _running(r[0].text, usual) for r in runs])
    out: list[Line] = []
    was_lone = True  # (nothing runs on from a line that is no column's: a deck, a byline, a label)
    for n, col in enumerate(cols, start=1):
        for k, i in enumerate(col):
            for j, ln in enumerate(runs[i]):
                ln.column = n
                if j == 0 and k > 0:
                    ln.blank_before = 0
        first = runs[col[0]][0]
        # (a column ending mid-sentence goes on, never in a title that opens a story)
        if out and not was_lone and not titled[col[0]] and _open(out[-1].text, usual, lead):
            first.blank_before = 0
        elif not first.blank_before:
            first.blank_before = 1
        out += [ln for i in col for ln in runs[i]]
        was_lone = len(col) == 1 and alone[col[0]]
    return out, sum(1 for c in cols if len(c) > 1)


def _stacked(cols: list[list[int]], runs: list[list[Line]], opens: Callable[[str], bool]) -> list[list[int]]:
    """The columns cut where a story opens in them (a piece that holds its headline over its
    dateline, after a line that ends a sentence: a story set in a page column under another
    story's end), in the order their first pieces were written: a story set under another
    is read after the columns of the one above, which started higher on the page, and its
    own columns follow it."""
    out: list[list[int]] = []
    for col in cols:
        start = 0
        for k in range(1, len(col)):
            piece, above = runs[col[k]], runs[col[k - 1]][-1].text
            if (ends_sentence(above) or jump_on(above)) and not has_sentence_punct(piece[0].text) \
                    and any(opens(ln.text) for ln in piece[1:]):
                out.append(col[start:k])
                start = k
        out.append(col[start:])
    return sorted(out)


def _under_headlines(cols: list[list[int]], bylines: list[bool], titles: list[bool]) -> list[list[int]]:
    """Bylines written right after the first lines of columns (headlines, each opening its
    story's first column; several when stories stand side by side) stand under them: the
    tool writes a headline, then the row under it.  Read among the columns by where they
    begin, a byline would come after the whole column its headline opens.  The first such
    byline goes under the first of those headlines, the next under the next (a byline under
    each of two headlines side by side is theirs in turn); a column's next line written
    before the byline ends the run (the byline is no longer right under a headline)."""
    column_of = {c[0]: n for n, c in enumerate(cols) if len(c) > 1 and titles[c[0]]}
    placed_in = {i: n for n, c in enumerate(cols) for i in c}
    heads: list[int] = []  # the columns whose first lines were written one after the other
    taken = 0
    moved: dict[int, int] = {}  # a byline -> the column it goes under
    for i in range(len(bylines)):
        if i in column_of:
            if taken:
                heads, taken = [], 0
            heads.append(column_of[i])
        elif bylines[i]:
            if taken < len(heads):
                moved[i] = heads[taken]
                taken += 1
        elif len(cols[placed_in[i]]) > 1:  # a column's next line: no headline row any more
            heads, taken = [], 0
    if not moved:
        return cols
    out = [list(c) for c in cols if not (len(c) == 1 and c[0] in moved)]
    for i, n in sorted(moved.items()):
        col = next(c for c in out if c[0] == cols[n][0])
        at = 1
        while at < len(col) and col[at] in moved:
            at += 1
        col.insert(at, i)
    return out


def _running_on(cols: list[list[int]], runs: list[list[Line]], usual: int, freq: dict[str, int],
                lead: Callable[[str], bool]) -> float:
    """The share of lines cut mid-sentence that run on into the next piece of their column."""
    cut = on = 0
    for col in cols:
        for a, b in itertools.pairwise(col):
            tail = runs[a][-1].text
            if _open(tail, usual, lead):
                cut += 1
                on += _runs_on(tail, runs[b][0].text, freq, lead)
    return on / cut if cut else 0.0


def _label(piece: list[Line], usual: int) -> bool:
    """A word or two on a line of its own that ends no sentence (a section's name in the
    folio, a label): no column's line."""
    text = piece[0].text
    return len(piece) == 1 and width(text) < usual // 2 and not ends_sentence(text) and not bracketed(text) \
        and not _open(text, usual)


def _one_type(piece: list[Line], usual: int) -> bool:
    """Lines the tool wrote as one block in one type size (pdftotext's blocks): a block of
    labels and lines that are no column's (the masthead's date, weekday, issue and numbers)
    is none of a column's lines either.  A block holding running text (a line of a sentence
    as wide as a column or wider) is no masthead's: the tool may write a headline and the
    lead under it with no blank line between, and that lead is its column's first line."""
    return all(ln.one_type for ln in piece[1:]) \
        and not any(has_sentence_punct(ln.text) and width(ln.text) >= usual for ln in piece)


def _heading(piece: list[Line], usual: int, lead: Callable[[str], bool]) -> bool:
    """Two lines or more, none filling a column's line or ending a sentence, the first maybe
    closed by a column's label: a column's lines fill its width but where a paragraph ends,
    so these are a headline wrapped in its large type (打好城乡融合发展的 / “组合拳”) or a
    title over its byline (…（短评） / 王五): no column's lines; nor is a title closed by its
    column's label on a line of its own."""
    def short(text: str) -> bool:
        return not _fills(text, usual) and not ends_sentence(text) and not bracketed(text) \
            and not lead(text) and not has_sentence_punct(text)

    first = piece[0].text
    labelled = _labelled(first)
    return (len(piece) >= 2 or labelled) and (short(first) or labelled) and all(short(ln.text) for ln in piece[1:])


def _running(text: str, usual: int) -> bool:
    """A line of running text: a sentence's, filling its column (not wider: a line set across
    the columns is a headline's) and cut off mid-sentence: a column's line, never a headline."""
    return has_sentence_punct(text) and not _wide(text, usual) and not ends_sentence(text) \
        and _fills(text, usual)


def _labelled(text: str) -> bool:
    """A title closed by its column's label (…（评论员观察）): a headline, never a column's line."""
    return has_column_label(text) and not ends_sentence(text)


def _wide(text: str, usual: int) -> bool:
    """Wider than a column (by more than two characters): set across columns."""
    return width(text) > usual + 4


def _headline(text: str, usual: int) -> bool:
    """A line wider than a column that is no sentence's: a headline set over its story's columns."""
    return _wide(text, usual) and not has_sentence_punct(text)


def _deck_over(piece: list[Line], after: list[Line], usual: int) -> bool:
    """A phrase on a line of its own that the tool wrote right before a headline over the
    columns (丁薛祥在海南调研时强调 over 扎实推进…): its kicker, stacked over it, never a
    column's line cut mid-sentence, however near a column's width it is."""
    text = piece[0].text
    return len(piece) == 1 and not after[0].level and _headline(after[0].text, usual) \
        and not has_sentence_punct(text) and not ends_sentence(text) and not bracketed(text)


def _open(text: str, usual: int, lead: Callable[[str], bool] = lambda text: False) -> bool:
    """A line that ends mid-sentence, filling its column or inside brackets, or a dateline
    alone: the next line of its column goes on with it."""
    if lead(text):
        return True
    if text.count("（") + text.count("(") > text.count("）") + text.count(")"):
        return True
    return _fills(text, usual) and not ends_sentence(text) and not bracketed(text)


def _fills(text: str, usual: int) -> bool:
    """As wide as a full line of its column, give or take a paragraph's first line (two
    characters short of the others: the tool drops the indent)."""
    return width(text) >= usual - INDENT - max(2, usual // 16)


def _runs_on(left: str, right: str, freq: dict[str, int], lead: Callable[[str], bool] = lambda text: False) -> bool:
    """Does a word of the dictionary, not one of its rarest, run across the cut (政|策)?  After
    a dateline alone: does its reporters' bracket open the next line?"""
    if lead(left):
        return right[:1] in "(（"
    return columns.continues(left, right, freq, COMMON) == 1.0


def _turns(lone: list[bool], is_open: list[bool],
           runs_on: Callable[[int, int], bool]) -> tuple[list[int], list[int]]:
    """For each piece, how many columns take turns around it (0: cannot tell): the step, in
    pieces, at which a line cut mid-sentence most often runs on into a later piece, counted
    over the pieces near it.  Read row by row, a column's next line comes a row later.
    (The most common step, and the same where it is plainly the most common.)  Each piece
    ends mid-sentence or not as ``is_open`` says; ``runs_on`` is :func:`_follow`'s, whose
    answers the search asks for again."""
    placed = [i for i in range(len(lone)) if not lone[i]]
    steps: list[list[int]] = []
    for a, i in enumerate(placed):
        steps.append([j for j in range(1, MAX_TURNS + 1) if a + j < len(placed) and is_open[i]
                      and runs_on(i, placed[a + j])])
    likely, plain = [0] * len(lone), [0] * len(lone)
    for a, i in enumerate(placed):
        votes = Counter(j for near in steps[max(0, a - NEAR):a + NEAR + 1] for j in near)
        ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
        if ranked and ranked[0][1] >= 3:
            likely[i] = ranked[0][0]
            if ranked[0][1] >= 4 and (len(ranked) == 1 or ranked[0][1] >= 1.5 * ranked[1][1]):
                plain[i] = ranked[0][0]
    return likely, plain


def _follow(runs: list[list[Line]], usual: int, freq: dict[str, int], lone: list[bool],
            lead: Callable[[str], bool] = lambda text: False, titled: list[bool] | None = None) -> list[list[int]]:
    """The pieces grouped into columns, each in the order written.  The tool writes lines in
    the order their baselines come down the page, left to right where they are level: the
    next piece is the next line of the column whose next line stands highest (of those
    level, the leftmost), a piece of several lines taking that column down as many rows.
    Each piece goes on that column, or another (those passed over stay on, or have ended),
    or starts a column of its own, beside the last (level with it) or at the left (a row
    down); the reading whose lines run on best (a word across each cut) for the fewest such
    steps wins: a beam search over the page, so that one piece taken wrongly does not
    mislead the rest.  How many columns take turns where a piece stands (:func:`_turns`)
    makes a column cheap to start while fewer are open, and one cheap to end while more are."""
    is_open = [_open(r[-1].text, usual, lead) for r in runs]

    @cache
    def runs_on(tail: int, piece: int) -> bool:
        return _runs_on(runs[tail][-1].text, runs[piece][0].text, freq, lead)

    likely, turns = _turns(lone, is_open, runs_on)

    def join(tail: int, piece: int) -> float:
        if not is_open[tail]:
            return 0.0  # a paragraph, a headline or a column ended: anything may follow
        return WORD_ACROSS if runs_on(tail, piece) else NO_WORD_ACROSS

    # (a dateline alone shares its row with its reporters' bracket, the column's next line)
    heights = [len(r) - lead(r[-1].text) for r in runs]
    # A piece led by a headline over the columns starts its story's first column; a column
    # closed by a jump line (下转第二版) goes on on another page, never here.
    heads = [_headline(r[0].text, usual) or bool(titled and titled[k]) for k, r in enumerate(runs)]
    closed = [jump_on(r[-1].text) for r in runs]
    # A reading: its columns and the row each column's next line stands in (its layout),
    # the column that took the last piece and the live columns left to right.  Of the
    # hundreds of readings made at each piece all but BEAM are dropped, so a reading made
    # is not written out but named by how it was made: (the number of the layout it was
    # made from, the column that took the piece (a new one: the next number), the row that
    # column's next line then stands in, the live columns).  A layout is made in one way
    # only (the piece is its column's last; without it, it is the layout it was made from),
    # so two readings are the same exactly when their names are, and telling them apart
    # takes a few small numbers instead of the whole page read so far.  The layouts of the
    # readings kept are written out and numbered, each column a node (its last piece, under
    # the node of the column before it: -1 under its first), so that a column taking on a
    # piece is not copied.
    parent: list[int] = []
    first: list[int] = []  # the column's first piece
    end: list[int] = []  # and its last

    def column(under: int, piece: int) -> int:
        """The node of the column `under` (-1: none) with `piece` taken on."""
        parent.append(under)
        first.append(first[under] if under >= 0 else piece)
        end.append(piece)
        return len(end) - 1

    Layout = tuple[tuple[int, ...], tuple[int, ...]]  # (each column's node, the row its next line stands in)
    Made = tuple[int, int, int, tuple[int, ...]]  # (layout made from, column taking the piece, its row, live)
    Kept = tuple[int, int, tuple[int, ...]]  # (layout, the column that took the last piece, live)
    layouts: list[Layout] = [((), ())]
    beam: list[tuple[Kept, float]] = [((0, -1, ()), 0.0)]
    for i in range(len(runs)):
        if lone[i]:  # stands alone where it is; the turns go on around it
            continue
        nxt: dict[Made, float] = {}
        # A reading made from a layout that no other kept reading has is made only once at
        # this piece (the moves from one reading make different readings).  Once BEAM such
        # readings score as well or better, one is not made at all: it would be sorted after
        # them (made later), whose scores cannot change, so it could not be kept.  (The best
        # BEAM scores of readings made once, in a heap.)
        best_once: list[float] = []
        shared = {layout for layout, n in Counter(kept[0] for kept, _ in beam).items() if n > 1}

        def add(score: float, reading: Made, once: bool, nxt: dict[Made, float] = nxt,
                best_once: list[float] = best_once) -> None:
            if not once:
                old = nxt.get(reading)
                if old is None or old < score:  # (a reading made again, and better, keeps its place)
                    nxt[reading] = score
            elif len(best_once) < BEAM:
                heapq.heappush(best_once, score)
                nxt[reading] = score
            elif score > best_once[0]:
                heapq.heapreplace(best_once, score)
                nxt[reading] = score

        # (a dateline is often set in another weight than its bracket: the tool may part them)
        height, after_open = heights[i], i > 0 and is_open[i - 1] and not lead(runs[i - 1][-1].text)
        for (layout, last, order), score in beam:
            cols, rows = layouts[layout]
            once = layout not in shared
            floor = best_once[0] if once and len(best_once) == BEAM else -math.inf  # what a reading made must beat
            m = len(order)
            few, many = likely[i] and m < likely[i], turns[i] and m > turns[i]
            due = sorted(order, key=rows.__getitem__)  # (stable: of those level, the leftmost)
            ends: dict[int, float] = {}  # what ending each live column costs
            for k, c in enumerate(order):
                tail = end[cols[c]]
                if many:
                    ends[c] = ENDS_EXCESS
                elif not is_open[tail]:
                    ends[c] = ENDS_NEEDED if turns[i] and m <= turns[i] else ENDS
                else:  # a column ending mid-sentence goes on at the top of the next
                    ends[c] = ENDS if k + 1 < m and runs_on(tail, first[cols[order[k + 1]]]) else ENDS_OPEN

            left = list(order)  # the live columns once those passed over have ended
            passed = 0.0  # and what their ending costs (whole and half points: summed exactly)
            for d, c in enumerate(due):
                tail = end[cols[c]]
                base = score + join(tail, i)
                if tail == i - 1 and after_open:
                    base -= SAME  # lines running on are one piece: the tool wrote another column between
                if heads[i] or closed[tail]:
                    base = -math.inf  # (no reading made: every score is above it)
                row = rows[c] + height
                if base - PASS * d > floor:
                    add(base - PASS * d, (layout, c, row, order), once)
                if d:
                    passed += ends[due[d - 1]]
                    left.remove(due[d - 1])
                    if base - passed > floor:
                        add(base - passed, (layout, c, row, tuple(left)), once)
            new = len(cols)
            if last in order:  # beside the last column, level with the row it took the last piece in
                at, row_now = order.index(last) + 1, rows[last] - heights[end[cols[last]]]
            else:
                at, row_now = m, 0
            start = score - (NEW_COLUMN_FEW if few else NEW_COLUMN)
            if start > floor:
                add(start, (layout, new, row_now + height, (*order[:at], new, *order[at:])), once)
                add(start, (layout, new, row_now + 1 + height, (new, *order)), once)
            if m:  # every live column ends
                alone = start - sum(ends.values())
                if alone > floor:
                    add(alone, (layout, new, row_now + height, (new,)), once)

        numbers: dict[tuple[int, int, int], int] = {}  # a kept layout's name -> its number
        written: list[Layout] = []
        beam = []
        # (the best first; of those scored alike, the one made first: sorted() is stable)
        for (was, c, row, order), score in sorted(nxt.items(), key=itemgetter(1), reverse=True)[:BEAM]:
            layout = numbers.get((was, c, row))
            if layout is None:
                layout = numbers[was, c, row] = len(written)
                cols, rows = layouts[was]
                if c < len(cols):
                    written.append(((*cols[:c], column(cols[c], i), *cols[c + 1:]), (*rows[:c], row, *rows[c + 1:])))
                else:
                    written.append(((*cols, column(-1, i)), (*rows, row)))
            beam.append(((layout, c, order), score))
        layouts = written

    def pieces_of(node: int) -> list[int]:
        out = []
        while node >= 0:
            out.append(end[node])
            node = parent[node]
        return out[::-1]

    best = layouts[beam[0][0][0]][0]
    return sorted([pieces_of(node) for node in best] + [[i] for i in range(len(runs)) if lone[i]])
