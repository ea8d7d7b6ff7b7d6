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
tool's order does.  Lines that are no column's (the folio's, a byline, a label) stand
where the tool wrote them.
"""

from __future__ import annotations

import itertools
from collections import Counter
from functools import cache
from typing import TYPE_CHECKING

from converters import columns
from converters.textutil import bracketed, ends_sentence

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


def column_width(lines: list[Line]) -> int:
    """A full column line's width: most lines of running text are full."""
    widths = sorted(width(ln.text) for ln in lines if len(ln.text) >= 6)
    return widths[(len(widths) * 3) // 4] if widths else 0


def unweave(lines: list[Line], freq: dict[str, int], standalone=lambda text: False) -> tuple[list[Line], int]:
    """(the lines read column by column, how many columns they were read into; 0 when the
    tool's order is kept)."""
    usual = column_width(lines)
    if not usual:
        return lines, 0

    def lone(ln: Line) -> bool:  # a line that is no column's: it stands where the tool wrote it
        return bool(ln.level or ln.figure is not None or standalone(ln.text) or width(ln.text) > usual + 4)

    runs = pieces(lines)  # (a piece is one column's: a headline written with its first lines stays with them)
    if len(runs) > MAX_PIECES:
        return lines, 0
    cols = _follow(runs, usual, freq, [all(lone(ln) for ln in r) or _label(r, usual) for r in runs])
    if sum(1 for c in cols if len(c) >= 3) < 2:  # one column after all: as the tool wrote it
        return lines, 0
    before = _running_on([list(range(len(runs)))], runs, usual, freq)
    after = _running_on(cols, runs, usual, freq)
    if after < before + BETTER:  # not plainly better read so: as the tool wrote it
        return lines, 0
    out: list[Line] = []
    for n, col in enumerate(cols, start=1):
        for k, i in enumerate(col):
            for j, ln in enumerate(runs[i]):
                ln.column = n
                if j == 0 and k > 0:
                    ln.blank_before = 0
        first = runs[col[0]][0]
        if out and _open(out[-1].text, usual):  # a column ending mid-sentence goes on in the next
            first.blank_before = 0
        elif not first.blank_before:
            first.blank_before = 1
        out += [ln for i in col for ln in runs[i]]
    return out, sum(1 for c in cols if len(c) > 1)


def _running_on(cols: list[list[int]], runs: list[list[Line]], usual: int, freq: dict[str, int]) -> float:
    """The share of lines cut mid-sentence that run on into the next piece of their column."""
    cut = on = 0
    for col in cols:
        for a, b in itertools.pairwise(col):
            tail = runs[a][-1].text
            if _open(tail, usual):
                cut += 1
                on += _runs_on(tail, runs[b][0].text, freq)
    return on / cut if cut else 0.0


def _label(piece: list[Line], usual: int) -> bool:
    """A word or two on a line of its own that ends no sentence (a section's name in the
    folio, a label): no column's line."""
    text = piece[0].text
    return len(piece) == 1 and width(text) < usual // 2 and not ends_sentence(text) and not bracketed(text) \
        and not _open(text, usual)


def _open(text: str, usual: int) -> bool:
    """A line that ends mid-sentence, filling its column or inside brackets: the next line
    of its column goes on with it."""
    if text.count("（") + text.count("(") > text.count("）") + text.count(")"):
        return True
    # (a paragraph's first line is two characters short of the others: the tool drops the indent)
    return width(text) >= usual - 4 - max(2, usual // 16) and not ends_sentence(text) and not bracketed(text)




def _runs_on(left: str, right: str, freq: dict[str, int]) -> bool:
    """Does a word of the dictionary, not one of its rarest, run across the cut (政|策)?"""
    return columns.continues(left, right, freq, COMMON) == 1.0


def _turns(runs: list[list[Line]], usual: int, freq: dict[str, int],
           lone: list[bool]) -> tuple[list[int], list[int]]:
    """For each piece, how many columns take turns around it (0: cannot tell): the step, in
    pieces, at which a line cut mid-sentence most often runs on into a later piece, counted
    over the pieces near it.  Read row by row, a column's next line comes a row later.
    (The most common step, and the same where it is plainly the most common.)"""
    placed = [i for i in range(len(runs)) if not lone[i]]
    steps: list[list[int]] = []
    for a, i in enumerate(placed):
        tail = runs[i][-1].text
        steps.append([j for j in range(1, MAX_TURNS + 1) if a + j < len(placed) and _open(tail, usual)
                      and _runs_on(tail, runs[placed[a + j]][0].text, freq)])
    likely, plain = [0] * len(runs), [0] * len(runs)
    for a, i in enumerate(placed):
        votes = Counter(j for near in steps[max(0, a - NEAR):a + NEAR + 1] for j in near)
        ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
        if ranked and ranked[0][1] >= 3:
            likely[i] = ranked[0][0]
            if ranked[0][1] >= 4 and (len(ranked) == 1 or ranked[0][1] >= 1.5 * ranked[1][1]):
                plain[i] = ranked[0][0]
    return likely, plain


def _follow(runs: list[list[Line]], usual: int, freq: dict[str, int], lone: list[bool]) -> list[list[int]]:
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
    likely, turns = _turns(runs, usual, freq, lone)
    is_open = [_open(r[-1].text, usual) for r in runs]

    @cache
    def runs_on(tail: int, piece: int) -> bool:
        return _runs_on(runs[tail][-1].text, runs[piece][0].text, freq)

    def join(tail: int, piece: int) -> float:
        if not is_open[tail]:
            return 0.0  # a paragraph, a headline or a column ended: anything may follow
        return WORD_ACROSS if runs_on(tail, piece) else NO_WORD_ACROSS

    # a state: (score, columns as tuples of piece indices, the row each column's next line
    # stands in, the live columns left to right, the column that took the last piece)
    State = tuple[float, tuple[tuple[int, ...], ...], tuple[int, ...], tuple[int, ...], int]
    beam: list[State] = [(0.0, (), (), (), -1)]
    for i in range(len(runs)):
        nxt: dict[tuple, State] = {}

        def add(state: State, nxt=nxt) -> None:
            key = state[1:]
            if key not in nxt or nxt[key][0] < state[0]:
                nxt[key] = state

        if lone[i]:  # stands alone where it is; the turns go on around it
            continue
        height = len(runs[i])
        for score, cols, rows, order, last in beam:
            m = len(order)
            few, many = likely[i] and m < likely[i], turns[i] and m > turns[i]
            due = sorted(order, key=lambda c, rows=rows, order=order: (rows[c], order.index(c)))
            row_now = rows[last] - len(runs[cols[last][-1]]) if last >= 0 and last in order else 0

            def ending(c: int, cols=cols, order=order, many=many, m=m, i=i) -> float:
                if many:
                    return ENDS_EXCESS
                if not is_open[cols[c][-1]]:
                    return ENDS_NEEDED if turns[i] and m <= turns[i] else ENDS
                k = order.index(c)  # a column ending mid-sentence goes on at the top of the next
                return ENDS if k + 1 < m and runs_on(cols[c][-1], cols[order[k + 1]][0]) else ENDS_OPEN

            for d, c in enumerate(due):
                base = score + join(cols[c][-1], i)
                if cols[c][-1] == i - 1 and is_open[i - 1]:
                    base -= SAME  # lines running on are one piece: the tool wrote another column between
                grown = (*cols[:c], (*cols[c], i), *cols[c + 1:])
                moved = (*rows[:c], rows[c] + height, *rows[c + 1:])
                add((base - PASS * d, grown, moved, order, c))
                if d:
                    passed = due[:d]
                    add((base - sum(ending(p) for p in passed), grown, moved,
                         tuple(x for x in order if x not in passed), c))
            new = len(cols)
            cost = NEW_COLUMN_FEW if few else NEW_COLUMN
            grown = (*cols, (i,))
            at = order.index(last) + 1 if last in order else m
            add((score - cost, grown, (*rows, row_now + height), (*order[:at], new, *order[at:]), new))
            add((score - cost, grown, (*rows, row_now + 1 + height), (new, *order), new))
            if m:
                add((score - cost - sum(ending(c) for c in order), grown, (*rows, row_now + height), (new,), new))
        beam = sorted(nxt.values(), key=lambda t: -t[0])[:BEAM]
    return sorted([list(c) for c in beam[0][1]] + [[i] for i in range(len(runs)) if lone[i]])
