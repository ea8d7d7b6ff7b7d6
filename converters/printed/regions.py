"""Where each story stands on the page: text lines matched to stories, merged into rectangles.

Pure functions over :class:`~converters.printed.textlayer.TextLine` and
:class:`~converters.printed.stories.StoryText`:

1. **match** — a line belongs to the story whose text contains it (letters and digits
   only: a dump's punctuation differs from the PDF's).  Lines too short to tell (a
   paragraph's last two characters, a jump line ``下转第二版``) or found in several stories
   take the story of the line right above or below them in the same column, in the same
   size of type and at most a line and a half away, at most two lines from a matched
   one; a long line in no story's text (the masthead, an advertisement) is nobody's.  A
   byline made of the story's reporters' names is the story's.  A line of eight characters
   or more that is in no text exactly (the PDF was corrected after the dump) goes to the
   story sharing most of its character trigrams, when that is clear.
2. **pictures** — a photo goes to the story whose caption touches it, else to the story
   whose lines touch it above and below.
3. **merge** — per story, its lines and pictures are joined into rectangles: the lines of
   a column into one, then neighbouring rectangles (columns side by side, the headline
   above them) into their bounding box as long as that box holds no line or picture of
   anything else.  The rectangles are padded by the line spacing, never into another
   story's.
"""

from __future__ import annotations

import bisect
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from converters.printed.stories import StoryText
from converters.printed.textlayer import Box, PageLayer, TextLine, normalize

#: A line this long (letters and digits) found in exactly one story is that story's.
MIN_MATCH = 4
#: A line this long in no story's text is not a story's (unless most of its trigrams are).
FOREIGN = 8
#: How many lines away from a matched line a neighbour's story is still taken.
MAX_INHERIT = 2
#: Byline words left out before comparing a line with the story's names.
BYLINE_WORDS = ("本报记者", "本报通讯员", "新华社记者", "记者", "通讯员", "实习生", "报道组",
                "摄影", "摄", "文图", "文", "图")


@dataclass
class StoryPool:
    """One story's printed texts, normalised, for matching."""

    story: StoryText
    text: str  # every part, joined with '|' (no line spans two parts)
    caption: str
    trigrams: frozenset[str] = field(default_factory=frozenset)


def pools(stories: Sequence[StoryText]) -> list[StoryPool]:
    out = []
    for s in stories:
        parts = [normalize(p) for p in (s.kicker, s.title, s.subtitle, s.caption, *s.paragraphs)]
        text = "|".join(p for p in parts if p)
        grams = frozenset(text[i:i + 3] for i in range(len(text) - 2) if "|" not in text[i:i + 3])
        out.append(StoryPool(s, text, normalize(s.caption), grams))
    return out


@dataclass
class Matched:
    """Which story (index into the pools) each line belongs to, and how it was decided."""

    story: list[int | None]
    how: list[str]  # "text", "caption", "byline", "similar", "neighbour" or ""


def _byline_of(norm: str, pools_: list[StoryPool]) -> int | None:
    """The story whose reporters a byline line names (all that is left are byline words)."""
    if not norm:
        return None
    found = None
    for i, p in enumerate(pools_):
        names = [normalize(n) for n in p.story.names if normalize(n)]
        rest = norm
        hit = False
        for n in sorted(names, key=len, reverse=True):
            if n in rest:
                rest = rest.replace(n, "")
                hit = True
        if not hit:
            continue
        for w in BYLINE_WORDS:
            rest = rest.replace(w, "")
        if len(rest) <= 1:
            if found is not None:
                return None  # two stories by the same reporters: the neighbours decide
            found = i
    return found


def _similar(norm: str, pools_: list[StoryPool]) -> int | None:
    """The story sharing most of the line's trigrams, when it shares most of them and
    clearly more than any other."""
    grams = {norm[i:i + 3] for i in range(len(norm) - 2)}
    if len(grams) < 6:
        return None
    scores = sorted(((len(grams & p.trigrams) / len(grams), i) for i, p in enumerate(pools_)), reverse=True)
    best = scores[0]
    runner = scores[1][0] if len(scores) > 1 else 0.0
    return best[1] if best[0] >= 0.6 and best[0] >= runner + 0.25 else None


def match_lines(lines: Sequence[TextLine], pools_: list[StoryPool]) -> Matched:
    story: list[int | None] = [None] * len(lines)
    how = [""] * len(lines)
    may_inherit = [False] * len(lines)
    for k, line in enumerate(lines):
        norm = normalize(line.text)
        if len(norm) >= MIN_MATCH:
            hits = [i for i, p in enumerate(pools_) if norm in p.text]
            if len(hits) == 1:
                story[k] = hits[0]
                how[k] = "caption" if norm in pools_[hits[0]].caption else "text"
                continue
            if hits:
                may_inherit[k] = True  # in several stories: the neighbours decide
                continue
        byline = _byline_of(norm, pools_)
        if byline is not None:
            story[k], how[k] = byline, "byline"
            continue
        if len(norm) >= FOREIGN:
            similar = _similar(norm, pools_)
            if similar is not None:
                story[k], how[k] = similar, "similar"
            # else: a line this long in no story is not a story's (the masthead, an advertisement)
            continue
        may_inherit[k] = True  # too short to tell: a paragraph's tail, a jump line, a dash
    _inherit(lines, story, how, may_inherit)
    return Matched(story, how)


def _neighbours(lines: Sequence[TextLine]) -> tuple[list[int | None], list[int | None]]:
    """For each line, the nearest line right above and right below it in its column (they
    overlap sideways; a short last line of a paragraph does not hide the line above it)."""
    order = sorted(range(len(lines)), key=lambda k: lines[k].box.y0)
    tops = [lines[k].box.y0 for k in order]
    tallest = max((ln.em for ln in lines), default=0.0)
    above: list[int | None] = [None] * len(lines)
    below: list[int | None] = [None] * len(lines)
    best_above = [float("inf")] * len(lines)
    best_below = [float("inf")] * len(lines)
    for k in order:
        a = lines[k]
        # every line that starts below a's top and at most 1.6 of the tallest line under its bottom
        lo = bisect.bisect_left(tops, a.box.y0)
        hi = bisect.bisect_right(tops, a.box.y1 + 1.6 * tallest)
        for j in order[lo:hi]:
            if j == k:
                continue
            b = lines[j]
            gap = b.box.y0 - a.box.y1
            if gap < -0.3 * min(a.em, b.em) or gap > 1.6 * max(a.em, b.em):
                continue  # on a's band (another column), or too far below
            narrow = min(a.box.width, b.box.width)
            if narrow <= 0 or a.box.x_overlap(b.box) < 0.3 * narrow:
                continue
            if gap < best_below[k]:
                best_below[k], below[k] = gap, j
            if gap < best_above[j]:
                best_above[j], above[j] = gap, k
    return above, below


def _inherit(lines: Sequence[TextLine], story: list[int | None], how: list[str], may: list[bool]) -> None:
    """Lines that could not tell take the story of a neighbour set like them: right above or
    below in the column, the same size of type, at most a line and a half away."""
    above, below = _neighbours(lines)
    distance = [0 if s is not None else None for s in story]

    def alike(a: TextLine, b: TextLine) -> bool:
        gap = max(b.box.y0 - a.box.y1, a.box.y0 - b.box.y1)
        return 0.6 <= a.em / b.em <= 1.6 and gap <= 1.5 * min(a.em, b.em)

    for _ in range(MAX_INHERIT):
        changed = []
        for k in range(len(lines)):
            if story[k] is not None or not may[k]:
                continue
            for n in (above[k], below[k]):
                if (n is not None and story[n] is not None and (distance[n] or 0) < MAX_INHERIT
                        and alike(lines[k], lines[n])):
                    changed.append((k, story[n], (distance[n] or 0) + 1))
                    break
        if not changed:
            break
        for k, s, d in changed:
            story[k], how[k], distance[k] = s, "neighbour", d


def assign_pictures(pictures: Sequence[Box], lines: Sequence[TextLine], matched: Matched) -> list[int | None]:
    """The story each picture belongs to: the one whose caption touches it, else the one
    whose lines touch it above and below (a photo set inside a story's columns)."""
    out: list[int | None] = []
    for pic in pictures:
        touching: list[tuple[int, str, str]] = []  # (story, how, side)
        for k, line in enumerate(lines):
            s = matched.story[k]
            if s is None or line.box.x_overlap(pic) < 0.5 * line.box.width:
                continue
            if 0 <= line.box.y0 - pic.y1 <= 2.5 * line.em:
                touching.append((s, matched.how[k], "below"))
            elif 0 <= pic.y0 - line.box.y1 <= 2.5 * line.em:
                touching.append((s, matched.how[k], "above"))
        captions = {s for s, how, _ in touching if how == "caption"}
        if len(captions) == 1:
            out.append(captions.pop())
            continue
        sides = {s for s, _, side in touching if side == "above"} & {s for s, _, side in touching if side == "below"}
        out.append(sides.pop() if len(sides) == 1 else None)
    return out


def _clean(box: Box, own: int, items: Sequence[tuple[Box, int | None]]) -> bool:
    """No line or picture of anything but story ``own`` inside ``box``."""
    return not any(s != own and box.intersects(b) for b, s in items)


def story_rectangles(layer: PageLayer, stories: Sequence[StoryText]) -> tuple[dict[str, list[Box]], Matched]:
    """Each story's rectangles on the page (by slug; a story not found is left out)."""
    pools_ = pools(stories)
    matched = match_lines(layer.lines, pools_)
    pic_story = assign_pictures(layer.pictures, layer.lines, matched)
    items: list[tuple[Box, int | None]] = [(ln.box, s) for ln, s in zip(layer.lines, matched.story, strict=True)]
    items += list(zip(layer.pictures, pic_story, strict=True))
    ems = [ln.em for ln, s in zip(layer.lines, matched.story, strict=True) if s is not None]
    em = statistics.median(ems) if ems else 0.01
    out: dict[int, list[Box]] = {}
    for i in range(len(pools_)):
        own = [b for b, s in items if s == i]
        if own:
            out[i] = _merge(own, i, items, em)
    padded = _pad(out, items, em)
    return {pools_[i].story.slug: rects for i, rects in sorted(padded.items())}, matched


def _merge(boxes: list[Box], own: int, items: Sequence[tuple[Box, int | None]], em: float) -> list[Box]:
    """Join a story's boxes into as few rectangles as keep out everything else."""
    # 1. columns: each box joins the run right above it when they overlap sideways
    runs: list[Box] = []
    for b in sorted(boxes, key=lambda b: (b.y0, b.x0)):
        for r, run in enumerate(runs):
            narrow = min(run.width, b.width)
            if (0 <= b.y0 - run.y1 <= 2.5 * em or run.intersects(b)) and run.x_overlap(b) >= 0.5 * narrow:
                joined = run.union(b)
                if _clean(joined, own, items):
                    runs[r] = joined
                    break
        else:
            runs.append(b)
    # 2. neighbouring rectangles into their bounding box, while it stays clean
    changed = True
    while changed and len(runs) > 1:
        changed = False
        runs.sort(key=lambda b: (b.y0, b.x0))
        for a in range(len(runs)):
            for b in range(a + 1, len(runs)):
                gx, gy = runs[a].gap(runs[b])
                if gx > 3 * em or gy > 3 * em:
                    continue
                joined = runs[a].union(runs[b])
                if _clean(joined, own, items):
                    runs[a] = joined
                    del runs[b]
                    changed = True
                    break
            if changed:
                break
    # rectangles inside others add nothing
    return [r for r in runs if not any(o is not r and o.x0 <= r.x0 and o.y0 <= r.y0 and o.x1 >= r.x1
                                       and o.y1 >= r.y1 for o in runs)]


def _pad(rects: dict[int, list[Box]], items: Sequence[tuple[Box, int | None]], em: float) -> dict[int, list[Box]]:
    """Grow each rectangle by the line spacing, but not into another story's rectangle or
    over anything that is not the story's, and not off the page."""
    pad = 0.3 * em
    out: dict[int, list[Box]] = {}
    for i, boxes in rects.items():
        others = [b for j, bs in rects.items() if j != i for b in bs]
        grown = []
        for r in boxes:
            g = Box(max(0.0, r.x0 - pad), max(0.0, r.y0 - pad), min(1.0, r.x1 + pad), min(1.0, r.y1 + pad))
            if any(g.intersects(o) for o in others) or not _clean(g, i, items):
                g = r
            grown.append(g)
        out[i] = grown
    return out


def round_box(b: Box) -> list[float]:
    """Four decimals (a tenth of a pixel on a 1000-pixel image): stable JSON."""
    return [round(b.x0, 4), round(b.y0, 4), round(b.x1, 4), round(b.y1, 4)]
