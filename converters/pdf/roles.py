"""Roles of a page PDF's blocks, decided once, from type size, weight, position and content.

The blocks come in reading order (:mod:`converters.pdf.layout`).  One pass walks them and
decides each block's role with a registry of rules tried in priority order, as the dump's
classifier does (Python-Markdown's block processors are the model); the rules see the
block, its neighbours, the page's body type and the pictures:

* a **headline** is a run of display type (set clearly larger than the body) where a story
  can start: its largest type is the **title**, the display lines above it the **kicker**,
  below it the **subtitle**.  A run of display type inside a story that has no finished
  paragraph yet (a pull-quote under the byline, 提要) is text of that story; a run whose
  type is far larger than the body (a title) always starts a story;
* a **byline** is a short line of names (with a role word or bare) right under a headline,
  or a bare name closing a story;
* a **caption** is set next to a picture (under it, or beside it) in other type than the
  body, or in other type and ending with a photo credit;
* a **subhead** is a short line in other weight or face than the body, between its paragraphs;
* a **jump line** says where the story goes on or comes from (下转第二版);
* everything else in the body's size is running text, cut into paragraphs where a line is
  indented or the line before it ends short, and joined across columns where a column's
  last line runs to its end.

Content rules the dump's classifier owns (a dateline lead, byline names, a jump line's page)
are run through its registry, so both readers parse them alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from converters import credits as cr
from converters import masthead as mh
from converters.classify import (
    CONTENT_RULES,
    JUMP,
    ClassifyContext,
    is_caption_text,
    looks_like_byline,
    run_on_mark,
)
from converters.model import Block, Kind
from converters.pdf.layout import TextBlock, same_type, unspace
from converters.rules import Rule, Rules, run_first
from converters.structure import decide_decks
from converters.textutil import complete, open_bracket, visible_len

#: Display type: set at least this much larger than the body.
DISPLAY = 1.1
#: A headline's title: so much larger than the body that it always starts a story.
TITLE = 1.3

Box = tuple[float, float, float, float]


@dataclass(eq=False)
class Placed:
    """A block with the role decided for it and the story it belongs to (-1: none)."""

    block: TextBlock
    kind: Kind = Kind.BODY
    story: int = -1
    head: int = 0  # the headline group of KICKER/HEADLINE/SUBTITLE blocks
    trailing: bool = False  # a byline closing its story
    staff: bool = False  # a FOLIO line naming the page's staff


@dataclass
class Flow:
    """What the rules see: the blocks in reading order, the body type, the pictures."""

    items: list[Placed]
    body: TextBlock | None  # a block in the body's type (its size, face, weight)
    body_size: float
    pictures: list[Box]
    story: int = -1  # the story being read
    heads: int = 0
    story_has_text: bool = False
    story_text_done: bool = False  # its last paragraph so far ended a sentence
    caption_of: dict[int, int] = field(default_factory=dict)  # picture -> story
    paper_names: dict[str, str] = field(default_factory=dict)  # the masthead's texts that name a paper
    text_types: set[tuple[str, float, bool]] = field(default_factory=set)  # types some story's text is set in
    rules: list[Box] = field(default_factory=list)  # lines the page draws across (and boxes' edges)
    boxes: list[Box] = field(default_factory=list)  # boxes drawn round text (a sidebar, an advertisement)


def _inside(inner: Box, box: Box) -> bool:
    """Does the inner box's centre lie within the box?"""
    x, y = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _box_round(inner: Box, boxes: list[Box], largest: float = float("inf")) -> Box | None:
    """The smallest box drawn round ``inner`` (no larger than ``largest``), if any."""
    around = [b for b in boxes if _inside(inner, b) and (b[2] - b[0]) * (b[3] - b[1]) < largest]
    return min(around, key=lambda b: (b[2] - b[0]) * (b[3] - b[1])) if around else None


def _b(flow: Flow, i: int) -> TextBlock:
    return flow.items[i].block


def is_display(flow: Flow, b: TextBlock) -> bool:
    """Type larger than the body's (sizes are rounded: 1.1 em may read 10.99), unless a story's
    text is set in it (a lead story set larger than the rest of the page)."""
    return b.size >= DISPLAY * flow.body_size - 0.05 and _type(b) not in flow.text_types


def _type(b: TextBlock) -> tuple[str, float, bool]:
    return b.font, round(b.size, 1), b.bold


_SENTENCE_END = re.compile(r"[。！？][”’」』）)]?")


def text_types(blocks: list[TextBlock]) -> set[tuple[str, float, bool]]:
    """The types running text is set in: those of blocks of four lines or more holding two
    sentences or more (no headline, kicker or subtitle is set so)."""
    return {_type(b) for b in blocks if len(b.lines) >= 4 and len(_SENTENCE_END.findall(b.text)) >= 2}


def body_type(flow: Flow, b: TextBlock) -> bool:
    return (flow.body is not None and same_type(b.lines[0], flow.body.lines[0])) or (
        flow.body is not None and all(same_type(ln, flow.body.lines[0]) for ln in b.lines[1:]) and len(b.lines) > 1)


def _running(flow: Flow, b: TextBlock) -> bool:
    """Running text: body type, or any type near the body's size over several lines (a sidebar)."""
    return body_type(flow, b) or (abs(b.size - flow.body_size) <= 0.15 * flow.body_size and len(b.lines) >= 3)


# -- rules -------------------------------------------------------------------------

def _masthead_test(flow, i):
    """Masthead lines outside the top band (a masthead beside a story, not above the page):
    the paper's name, or lines that are all date, lunar date, issue or CN lines."""

    b = _b(flow, i)
    if len(b.lines) > 6 or (flow.story_has_text and not is_display(flow, b)):
        return False
    texts = [unspace(ln.text) for ln in b.lines]
    if any(t in flow.paper_names for t in texts):
        return True
    return all(facts_line(t) for t in texts)


def facts_line(t: str) -> bool:
    """A masthead's line of edition facts: a date, a lunar date, an issue number, CN numbers."""
    from converters import masthead as mh

    issue = mh.parse_issue_line(t)
    return bool(mh.parse_date_line(t) or mh.LUNAR_LINE.match(t) or (issue and (issue[0] or issue[1]))
                or mh.parse_cn_line(t))


def _masthead_run(flow, i):
    flow.items[i].kind = Kind.MASTHEAD


def _jump_line(text: str) -> bool:
    """A line of its own saying where the story goes on or came from (（下转第二版）)."""
    return len(text) <= 20 and JUMP.match(text.strip()) is not None


def _jump_test(flow, i):
    return _jump_line(_b(flow, i).text)


def _jump_apart(b: TextBlock) -> list[TextBlock]:
    """A jump line set in the body's type right under the story's last line (the same
    block, by layout) as a block of its own, so that it is read as the jump it is."""
    if len(b.lines) > 1 and _jump_line(b.lines[-1].text):
        return [TextBlock(lines=b.lines[:-1]), TextBlock(lines=b.lines[-1:])]
    return [b]


def _jump_run(flow, i):
    flow.items[i].kind = Kind.JUMP
    flow.items[i].story = _story_for_jump(flow, i)


def _story_for_jump(flow: Flow, i: int) -> int:
    m = JUMP.match(_b(flow, i).text)
    if m and m["dir"] in ("上接", "接", "紧接"):  # the start of a continuation: a story of its own
        flow.story += 1
        flow.story_has_text = flow.story_text_done = False
        return flow.story
    flow.story_text_done = True  # a story's end (下转)
    return flow.story


def _display_run(flow: Flow, i: int) -> list[int]:
    """The display blocks read one after another from ``i`` (a headline's decks)."""
    run = [i]
    while (run[-1] + 1 < len(flow.items) and is_display(flow, _b(flow, run[-1] + 1))
           and not _jump_test(flow, run[-1] + 1)
           and _b(flow, run[-1] + 1).y0 - _b(flow, run[-1]).y1 <= 1.5 * _b(flow, run[-1]).size
           and not _ruled_apart(flow, _b(flow, run[-1]), _b(flow, run[-1] + 1))):
        run.append(run[-1] + 1)
    return run


def _ruled_apart(flow: Flow, above: TextBlock, below: TextBlock) -> bool:
    """Is a rule drawn between the two blocks, across both (a banner over the page's stories,
    a label in a band of its own, and the headline under it)?"""
    x0, x1 = min(above.x0, below.x0), max(above.x1, below.x1)
    return any(above.y1 - 1 <= (r[1] + r[3]) / 2 <= below.y0 + 1 and r[0] <= x0 + 1 and r[2] >= x1 - 1
               for r in flow.rules)


def _head_test(flow, i):
    b = _b(flow, i)
    if not is_display(flow, b) or flow.items[i].kind is not Kind.BODY:
        return False
    run = _display_run(flow, i)
    if _pull_quote(flow, run):
        return False
    big = max(_b(flow, k).size for k in run)
    # A title's type, or where a story may start: none open, or the open one's text finished.
    return big >= TITLE * flow.body_size or flow.story < 0 or (flow.story_has_text and flow.story_text_done)


_NOT_WORDS = re.compile(r"[\W_]+")


def _pull_quote(flow: Flow, run: list[int]) -> bool:
    """Display type set inside a story's run of columns, quoting its words (小菜园连着大民生
    at the top of a column, the story's other columns beside it): text of that story, not
    the headline of another.  All must hold: the open story's text on its left at its
    height, running text on its right, and its words found in the open story's text before
    it, or in the running text after it other than at its start (a story's first sentence
    may repeat its own headline)."""
    if flow.story < 0 or not flow.story_has_text:
        return False
    blocks = [_b(flow, k) for k in run]
    x0, x1 = min(b.x0 for b in blocks), max(b.x1 for b in blocks)
    y0, y1 = blocks[0].y0, blocks[-1].y1
    told = [p.block for p in flow.items[:run[0]] if p.story == flow.story and p.kind is Kind.BODY]
    if not any(b.x1 <= x0 and min(b.y1, y1) - max(b.y0, y0) > 0 for b in told):
        return False  # the story's text on its left at its height
    if not any(b.x0 >= x1 and min(b.y1, y1) - max(b.y0, y0) > 0 and _running(flow, b)
               for b in (p.block for p in flow.items[run[-1] + 1:])):
        return False  # and running text on its right: inside a run of columns, not at its edge
    words = _NOT_WORDS.sub("", "".join(b.text for b in blocks))
    after = []
    for p in flow.items[run[-1] + 1:]:
        if is_display(flow, p.block):
            break
        after.append(p.block.text)
    later = _NOT_WORDS.sub("", "".join(after))
    return len(words) >= 4 and (words in _NOT_WORDS.sub("", "".join(b.text for b in told))
                                or later.find(words, 1) > 0)


def _captions_over(flow: Flow, head: int) -> None:
    """A photo and its caption set right over a headline (the caption read just before it)
    are the new story's, with the photo."""
    first = head
    while first > 0 and flow.items[first - 1].kind is Kind.CAPTION:
        first -= 1
    if first == head:
        return
    h, c = _b(flow, head), _b(flow, head - 1)
    em = flow.body_size
    if not (0 <= h.y0 - c.y1 <= 3 * em and min(h.x1, c.x1) - max(h.x0, c.x0) > 0):
        return
    for k in range(first, head):
        flow.items[k].story = flow.story
        n = _near_picture(flow, flow.items[k].block)
        if n is not None:
            flow.caption_of[n] = flow.story


def _label_over(flow: Flow, head: int) -> None:
    """A word or two in a band of its own (a box drawn round nothing else) right over a
    headline (数据, 聚焦): the new story's kicker, not a subhead of the story before."""
    if head == 0:
        return
    p, h = flow.items[head - 1], _b(flow, head)
    b = p.block
    if p.kind not in (Kind.BODY, Kind.SUBHEAD) or len(b.lines) != 1 or len(b.text.strip()) > 12:
        return
    box = _box_round(b.box, flow.boxes)
    if box is None or any(_inside(q.block.box, box) for q in flow.items if q is not p):
        return  # a box round more than the label: a sidebar, an advertisement
    if 0 <= h.y0 - box[3] <= 1.5 * h.size and min(h.x1, box[2]) - max(h.x0, box[0]) > 0:
        p.kind, p.story, p.head = Kind.KICKER, flow.story, flow.heads


def _head_run(flow, i):
    run = _display_run(flow, i)
    big = max(_b(flow, k).size for k in run)
    first_title = next(k for k in run if _b(flow, k).size == big)
    last_title = first_title
    while last_title + 1 in run and _b(flow, last_title + 1).size == big:
        last_title += 1
    flow.story += 1
    flow.heads += 1
    flow.story_has_text = flow.story_text_done = False
    _captions_over(flow, run[0])
    _label_over(flow, run[0])
    for k in run:
        p = flow.items[k]
        p.kind = Kind.KICKER if k < first_title else Kind.HEADLINE if k <= last_title else Kind.SUBTITLE
        p.story, p.head = flow.story, flow.heads
    # a byline right under the headline
    k = run[-1] + 1
    while k < len(flow.items) and _byline_shaped(flow, k):
        flow.items[k].kind = Kind.BYLINE
        flow.items[k].story = flow.story
        k += 1


def _byline_shaped(flow: Flow, k: int) -> bool:
    """Names under a headline: a role and names (本报记者 …, as many lines as the names take),
    or bare names on one line."""
    b = _b(flow, k)
    t = credit_text(b)
    if b.size > 1.05 * flow.body_size or (body_type(flow, b) and len(b.lines) > 2):
        return False
    if looks_like_byline(t) or (len(b.lines) <= 2 and cr.parse_bare_names(t) is not None):
        return True
    return len(b.lines) <= 4 and cr.ROLE_HINT.search(t[:12]) is not None and cr.parse_credits(t) is not None


def credit_text(b: TextBlock) -> str:
    """A byline's lines as one (see :func:`join_credits`)."""
    return join_credits([ln.text for ln in b.lines])


def join_credits(lines: list[str]) -> str:
    """Lines of names as one: a space where one line ends and the next begins (names on
    lines of their own, or a line broken where a space stood), none where the line broke
    a name: a character of it left alone on one side (本报记者 程少波 苗丽 / 娜 金燕翔; no
    name has one character), or a role word (本报通 / 讯员)."""
    out = lines[0]
    for k, text in enumerate(lines[1:], start=1):
        end = re.search(r"[\u4e00-\u9fff]+$", out)
        start = re.match(r"[\u4e00-\u9fff]+", text)
        if end is None or start is None:
            out += " " + text
            continue
        rest = " ".join(lines[k + 1:])
        a, b = len(end.group()), len(start.group())
        broke = (1 in (a, b) and a + b <= 4) or (
            not looks_like_byline(f"{out} {text} {rest}") and looks_like_byline(f"{out}{text} {rest}"))
        out += ("" if broke else " ") + text
    return out


_CREDITS_OPEN = re.compile(rf"[（(](?:{cr.ROLE.pattern})")  # a bracket opening with a reporter's role


def _run_on(before: str, text: str) -> str:
    """A paragraph going on in its next line or block: Chinese runs on without a space,
    but inside the brackets naming its reporters a break between names kept one
    (:func:`join_credits`: （本报记者 程少波 苗丽娜 / 金燕翔）)."""
    opened = list(_CREDITS_OPEN.finditer(before))
    if opened and not re.search(r"[）)]", before[opened[-1].start():]):
        k = opened[-1].start()
        return before[:k] + join_credits([before[k:], text])
    return before + text


def _body_text(lines) -> str:
    """A paragraph's lines as one (:func:`_run_on`)."""
    out = lines[0].text
    for ln in lines[1:]:
        out = _run_on(out, ln.text)
    return out


def _near_picture(flow: Flow, b: TextBlock) -> int | None:
    """The picture the block is set under or beside (within two lines), if any: of several,
    the one it is set under, else the nearest (a caption under a photo in one column is not
    the caption of a wider photo beside that column)."""
    near: list[tuple[int, float, int]] = []
    for n, pic in enumerate(flow.pictures):
        x0, y0, x1, y1 = pic
        if _under(b, pic):
            near.append((0, abs(b.y0 - y1), n))
        elif (0 <= b.x0 - x1 <= 2 * b.size or 0 <= x0 - b.x1 <= 2 * b.size) and y0 - b.size <= b.y0 \
                and b.y1 <= y1 + b.size and not any(_under(p.block, pic) and not body_type(flow, p.block)
                                                     for p in flow.items if p.block is not b):
            near.append((1, min(abs(b.x0 - x1), abs(x0 - b.x1)), n))  # (beside a picture without a caption under it)
    return min(near)[2] if near else None


def _under(b: TextBlock, pic: Box) -> bool:
    """Is the block set right under the picture (within two lines), mostly within its width?"""
    return -b.size <= b.y0 - pic[3] <= 2 * b.size and min(b.x1, pic[2]) - max(b.x0, pic[0]) > 0.5 * (b.x1 - b.x0)


def _caption_test(flow, i):
    b = _b(flow, i)
    if body_type(flow, b) or len(b.lines) > 8 or b.size > flow.body_size:
        return False
    if i > 0 and flow.items[i - 1].kind is Kind.CAPTION and same_type(b.lines[0], _b(flow, i - 1).lines[-1]):
        return True  # the caption's credit line, set apart
    if i + 1 < len(flow.items) and b.size < flow.body_size and is_caption_text(_b(flow, i + 1).text) \
            and same_type(b.lines[-1], _b(flow, i + 1).lines[0]):
        return True  # smaller type than the body, over its photo credit: a caption (under a picture's title)
    return _near_picture(flow, b) is not None or is_caption_text(b.lines[-1].text)


def _caption_run(flow, i):
    p = flow.items[i]
    p.kind = Kind.CAPTION
    p.story = max(flow.story, 0) if flow.story >= 0 else -1
    n = _near_picture(flow, p.block)
    if n is not None:
        flow.caption_of[n] = p.story


def _staff_test(flow, i):
    """The page's staff (本版责编：…) on a line or two of its own."""
    b = _b(flow, i)
    return len(b.lines) <= 2 and mh.is_page_staff(b.text)


def _staff_run(flow, i):
    flow.items[i].kind, flow.items[i].story, flow.items[i].staff = Kind.FOLIO, -1, True


def _subhead_test(flow, i):
    b = _b(flow, i)
    if flow.story < 0 or body_type(flow, b) or (_running(flow, b) and len(b.lines) > 3):
        return False
    # the body's size (display type inside a story is a pull-quote: text)
    return (len(b.lines) <= 3 and 0.85 * flow.body_size <= b.size < DISPLAY * flow.body_size
            and visible_len(b.text) <= 60)


def _sidebar_test(flow, i):
    """Display type heading a box drawn inside the open story's columns, the story's text
    going on after the box (相关链接, 背景): the sidebar's title, a subhead of that story —
    not the headline of a story that would take the rest of the columns."""
    b = _b(flow, i)
    if flow.story < 0 or not flow.story_has_text or not is_display(flow, b) or _pull_quote(flow, _display_run(flow, i)):
        return False  # (a pull-quote, boxed or not, is the story's text where it stands)
    box = _box_round(b.box, flow.boxes)
    if box is None:
        return False
    told = [p.block for p in flow.items[:i] if p.story == flow.story and p.kind is Kind.BODY]
    if not any(min(t.x1, box[2]) - max(t.x0, box[0]) > 0 or abs(t.x1 - box[0]) < 3 * b.size for t in told):
        return False  # not in the story's columns
    for p in flow.items[i + 1:]:
        if _inside(p.block.box, box):
            continue
        return _running(flow, p.block) and not is_display(flow, p.block)  # the story goes on after the box
    return False


def _subhead_run(flow, i):
    flow.items[i].kind = Kind.SUBHEAD
    flow.items[i].story = flow.story


def _trailing_test(flow, i):
    """Names on a line of their own after a story's last sentence, before the next headline
    (or a jump line, or the page's end): bare (评论员 closing a commentary) or with their
    role (本报记者 王芳, set under the columns); never a photo credit (…摄)."""
    b = _b(flow, i)
    if len(b.lines) != 1 or flow.story < 0 or not flow.story_text_done or is_caption_text(b.text) or (
            cr.parse_bare_names(b.text) is None and not looks_like_byline(b.text)):
        return False
    nxt = i + 1
    return nxt >= len(flow.items) or _head_test(flow, nxt) or _jump_test(flow, nxt)


def _trailing_run(flow, i):
    p = flow.items[i]
    p.kind, p.story, p.trailing = Kind.BYLINE, flow.story, True


def _body_run(flow, i):
    p = flow.items[i]
    p.kind = Kind.BODY
    if flow.story < 0:  # text before any headline: a story whose headline is not on the page
        flow.story = 0
    p.story = flow.story
    flow.story_has_text = True
    flow.story_text_done = complete(p.block.lines[-1].text) or p.block.lines[-1].x1 < p.block.x1 - p.block.size


#: What type, weight and place say a PDF's block is (see :mod:`converters.rules`); the
#: content of bylines, leads and jump lines is then parsed by ``CONTENT_RULES``.
LAYOUT_RULES: Rules[Flow] = Rules([
    Rule("masthead", 95, _masthead_test, _masthead_run),
    Rule("jump", 90, _jump_test, _jump_run),
    Rule("page-staff", 85, _staff_test, _staff_run),
    Rule("sidebar-title", 82, _sidebar_test, _subhead_run),
    Rule("headline", 80, _head_test, _head_run),
    Rule("trailing-byline", 65, _trailing_test, _trailing_run),
    Rule("caption", 60, _caption_test, _caption_run),
    Rule("subhead", 50, _subhead_test, _subhead_run),
    Rule("body", 0, lambda *_: True, _body_run),
])


def decide(blocks: list[TextBlock], body_size: float, pictures: list[Box],
           paper_names: dict[str, str] | None = None, rules: list[Box] | None = None,
           boxes: list[Box] | None = None) -> Flow:
    """Every block's role and story (see the module's doc)."""
    blocks = [part for b in blocks for part in _jump_apart(b)]
    body = next((b for b in blocks if b.size == body_size and len(b.lines) >= 3), None)
    flow = Flow([Placed(b) for b in blocks], body, body_size, pictures, paper_names=paper_names or {},
                text_types=text_types(blocks), rules=list(rules or ()), boxes=list(boxes or ()))
    ordered = LAYOUT_RULES.ordered()
    for i, p in enumerate(flow.items):
        if p.kind is not Kind.BODY or p.story >= 0:
            continue  # decided with its headline (a byline)
        run_first(ordered, flow, i)
    return flow


# -- what no story holds -------------------------------------------------------------

#: An advertisement's mark: China's advertising law has every advertisement in the press marked 广告.
_AD_MARK = re.compile(r"[(（【\[]?(?:广告|廣告|ADVERTISEMENT|Advertisement|AD)[)）】\]]?")


def leave_out_adverts(flow: Flow, boxes: list[Box], largest: float) -> tuple[list[str], str, set[int]]:
    """Take the advertisements out of the flow: for each 广告 mark, what the smallest box drawn
    round it holds (no larger than ``largest``: not a frame round the page), else the story
    the mark is read with.  Returns each one's first words, all their text (a dump of the
    page holds it), and the pictures in them."""
    ads: list[tuple[Box | None, int]] = []
    for p in flow.items:
        if p.story >= 0 and _AD_MARK.fullmatch(unspace(p.block.text)):
            box = _box_round(p.block.box, boxes, largest)
            ad = (box, -1) if box is not None else (None, p.story)
            if ad not in ads:
                ads.append(ad)

    def in_ad(box: Box, story: int, ad: tuple[Box | None, int]) -> bool:
        return _inside(box, ad[0]) if ad[0] is not None else story == ad[1]

    firsts = []
    for ad in ads:
        texts = [unspace(p.block.text) for p in flow.items if in_ad(p.block.box, p.story, ad)]
        firsts.append(next((t for t in texts if not _AD_MARK.fullmatch(t)), texts[0])[:40])
    pictures = {n for n, pic in enumerate(flow.pictures)
                if any(in_ad(pic, flow.caption_of.get(n, -1), ad) for ad in ads)}
    advert = [any(in_ad(p.block.box, p.story, ad) for ad in ads) for p in flow.items]
    text = "".join(p.block.text for p, out in zip(flow.items, advert, strict=True) if out)
    flow.items = [p for p, out in zip(flow.items, advert, strict=True) if not out]
    flow.caption_of = {n: story for n, story in flow.caption_of.items() if n not in pictures}
    return firsts, text, pictures


def labels_heading_nothing(flow: Flow, pictured: set[int]) -> list[str]:
    """A story of nothing but display type, with no picture (a banner over the page's
    stories, a label in a band of its own) is the page's, no story: its blocks become folio
    lines; returns their texts, for the report."""
    with_more = {p.story for p in flow.items if p.kind not in (Kind.KICKER, Kind.HEADLINE, Kind.SUBTITLE)}
    out = []
    for story in sorted({p.story for p in flow.items if p.story >= 0} - with_more - pictured):
        heads = [p for p in flow.items if p.story == story]
        out.append(unspace(" ".join(p.block.text for p in heads)))
        for p in heads:
            p.kind, p.story = Kind.FOLIO, -1
    return out


# -- typed blocks for the assemble stage ----------------------------------------------

def _left(b: TextBlock, col_left: float) -> float:
    """Where the block's column starts: its lines' left edge, or the column's for one line."""
    return min(ln.x0 for ln in b.lines) if len(b.lines) > 1 else min(col_left, b.x0)


def _indented(b: TextBlock, k: int, col_left: float) -> bool:
    return b.lines[k].x0 > _left(b, col_left) + 0.8 * b.size


def _bulleted(text: str) -> bool:
    """A line opening with a list's mark (●, ■, ◆ …, then text): the start of an item."""
    return len(text) > 1 and text[0] in cr.MARKS and text[1] not in cr.MARKS


def _paragraphs(b: TextBlock, col_left: float, page_indents: bool = False) -> list[tuple[int, int]]:
    """(first, last) line index of each paragraph of a block.  Chinese running text indents
    each paragraph's first line: where the block, or the page's running text
    (``page_indents``), has indented lines, they start paragraphs (the right edge says
    nothing: ragged or justified, a line may end short anywhere, as before a number that
    does not fit); a block without indents (a caption and its credit) starts one after a
    sentence's end on a line ending short."""
    right = max(ln.x1 for ln in b.lines)
    indents = page_indents or any(_indented(b, k, col_left) for k in range(len(b.lines)))
    out: list[list[int]] = []
    for k in range(len(b.lines)):
        if _bulleted(b.lines[k].text):
            starts = True  # an item of a list (● 城市更新让老街焕发新活力（第3版）)
        elif indents:
            # (not inside a bracket still open: the rest of a line set right, wrapped,
            # （本报记者 程少波 苗丽 / 娜 金燕翔）)
            starts = k == 0 or (_indented(b, k, col_left)
                                and not open_bracket("".join(ln.text for ln in b.lines[out[-1][0]:k])))
        else:
            starts = k == 0 or (b.lines[k - 1].x1 < right - 1.5 * b.size and complete(b.lines[k - 1].text))
        if starts:
            out.append([k, k])
        else:
            out[-1][1] = k
    return [(a, z) for a, z in out]


def _box(lines) -> Box:
    return (min(ln.x0 for ln in lines), min(ln.y0 for ln in lines), max(ln.x1 for ln in lines),
            max(ln.y1 for ln in lines))


_HEAD_KINDS = (Kind.KICKER, Kind.HEADLINE, Kind.SUBTITLE, Kind.BYLINE)


def typed_blocks(flow: Flow, columns: list[float], line_of: Callable[[int], int],
                 figures: dict[int, list[Box]] | None = None) -> list[Block]:
    """The flow as :class:`Block` objects, one per paragraph (a paragraph cut by a column is
    joined here, where the layout shows it runs on), with box, size, weight and column;
    ``columns``: the left edges of the page's text columns; ``line_of``: a block's ordinal
    -> the line number its warnings name; ``figures``: a story's pictures (boxes), each a
    FIGURE block right after the story's headline and byline, where assemble gives it to
    the story."""
    from converters.pdf.pictures import figure_for

    figures = figures or {}
    # where each story's pictures go: before its first block that is not its headline or byline
    # (after its last block, when it has nothing else)
    figure_at: dict[int, int] = {}
    for k, q in enumerate(flow.items):
        if q.story in figures and q.story not in figure_at and q.kind not in _HEAD_KINDS:
            figure_at[q.story] = k
    for story in figures:
        if story not in figure_at:
            figure_at[story] = max((k + 1 for k, q in enumerate(flow.items) if q.story == story), default=0)
    figures_before: dict[int, list[Box]] = {}
    for story, k in sorted(figure_at.items()):
        figures_before.setdefault(k, []).extend(figures[story])
    out: list[Block] = []
    ctx = ClassifyContext()
    open_para: Block | None = None  # the last body paragraph: the next column's unindented first line continues it
    open_lines: list = []
    # Does this page indent its paragraphs?  (Then an indent, and only an indent, starts one.)
    # (a first line set in from the block's others says so too)
    indents = any(_indented(q.block, k, q.block.x0) for q in flow.items if q.kind is Kind.BODY
                  and len(q.block.lines) > 1 for k in range(len(q.block.lines)))
    ordinal = 0

    def emit_figures(k: int) -> None:
        for box in figures_before.get(k, ()):
            line = line_of(ordinal + 1)  # the next block's line (the lines of the page's text stay as they are)
            out.append(Block(line=line, text="", kind=Kind.FIGURE, box=box, whole=True, figure=figure_for(box, line)))

    for k_item, p in enumerate(flow.items):
        emit_figures(k_item)
        b = p.block
        col = max((n for n, x in enumerate(columns) if x <= b.x0 + b.size), default=0)
        weight = 700 if b.bold else 400
        col_left = columns[col] if columns else b.x0
        if p.kind is Kind.BODY:
            paras = _paragraphs(b, col_left, indents)
            for n, (a, z) in enumerate(paras):
                lines = b.lines[a:z + 1]
                text = _body_text(lines)
                # the next column (not the same column after a paragraph space: a paragraph),
                # or, where an indent starts each paragraph, the lines right under it in
                # another measure (the text running on past a picture set into its column)
                elsewhere = bool(open_lines) and (b.x0 >= max(ln.x1 for ln in open_lines) - b.size
                                                  or b.x1 <= min(ln.x0 for ln in open_lines) + b.size
                                                  or (indents and 0 <= b.y0 - open_lines[-1].y1 <= 0.8 * b.size))
                # where paragraphs are not indented, a sentence ending short of its column ended one
                ended = not indents and bool(open_lines) and complete(open_lines[-1].text) and (
                    open_lines[-1].x1 < max(ln.x1 for ln in open_lines) - 1.5 * b.size or len(open_lines) == 1)
                # (or the rest of a bracket left open, set right on a line of its own)
                if (n == 0 and open_para is not None and open_para.story == p.story and same_type(
                        b.lines[0], open_lines[-1]) and ((elsewhere and not _bulleted(text) and not ended
                                                          and not _indented(b, 0, col_left))
                                                         or open_bracket(open_para.text))):
                    open_para.text = _run_on(open_para.text, text)
                    open_para.box = _join(open_para.box, _box(lines))
                else:
                    ordinal += 1
                    open_para = Block(line=line_of(ordinal), text=text, kind=Kind.BODY, box=_box(lines),
                                      size=b.size, weight=weight, column=col, whole=True, story=p.story)
                    out.append(open_para)
                open_lines = lines
            continue
        if p.kind is Kind.CAPTION:  # caption and credit line: one caption block each (set apart
            # from the running text, which may go on around it from one column to the next)
            for a, z in _paragraphs(b, col_left):
                ordinal += 1
                lines = b.lines[a:z + 1]
                out.append(Block(line=line_of(ordinal), text="".join(ln.text for ln in lines), kind=Kind.CAPTION,
                                 box=_box(lines), size=b.size, weight=weight, column=col, whole=True,
                                 story=p.story))
            continue
        open_para = None
        text = unspace(b.text) if p.kind in (Kind.KICKER, Kind.HEADLINE, Kind.SUBTITLE, Kind.SUBHEAD) else \
            credit_text(b)
        last = out[-1] if out else None
        if (p.head and last is not None and last.kind is p.kind and last.head == p.head):
            last.text += text  # a deck set in two blocks (a title in two lines, centred): one deck
            last.box = _join(last.box, b.box)
            continue
        ordinal += 1
        out.append(Block(line=line_of(ordinal), text=text, kind=p.kind, box=b.box, size=b.size, weight=weight,
                         column=col, whole=True, head=p.head, story=p.story, page_staff=p.staff))
    emit_figures(len(flow.items))
    out = _closing_apart(out)
    # Content the dump's classifier parses alike: dateline leads, byline names, jump pages.
    content = CONTENT_RULES
    ctx.blocks = out
    for i, blk in enumerate(out):
        under_head = i > 0 and out[i - 1].kind in (Kind.KICKER, Kind.HEADLINE, Kind.SUBTITLE) \
            and out[i - 1].story == blk.story
        if blk.kind is Kind.BODY and under_head and looks_like_byline(blk.text):
            # names right under the headline, set in the body's type close above the text
            # (one block with it): the byline, its first paragraph
            blk.kind = Kind.BYLINE
            content["byline"].run(ctx, i)
        elif blk.kind is Kind.BODY and content["lead"].test(ctx, i):
            content["lead"].run(ctx, i)
        elif blk.kind is Kind.BODY and content["credit"].test(ctx, i):  # （本报记者 …） closing a story
            content["credit"].run(ctx, i)
        elif blk.kind is Kind.JUMP:
            content["jump"].run(ctx, i)
        elif blk.kind is Kind.BYLINE:
            trailing = any(q.trailing and q.block.box == blk.box for q in flow.items)
            if looks_like_byline(blk.text) or cr.parse_credits(blk.text) is not None:
                content["byline"].run(ctx, i)
            elif cr.parse_bare_names(blk.text) is not None:
                content["bare-name"].run(ctx, i)
            else:  # not names after all: text
                blk.kind = Kind.BODY
            blk.trailing = trailing
    decide_decks(out)
    return out


def _closing_apart(out: list[Block]) -> list[Block]:
    """A jump line run on after a paragraph's last sentence (……需求。（下转第三版）), or a
    story's last paragraph ending in its reporters in brackets (……以上。（本报记者 何琳）):
    the mark as a block of its own, which the classifier's jump or credit rule parses as it
    does a line of them."""
    done: list[Block] = []
    for i, blk in enumerate(out):
        nxt = out[i + 1] if i + 1 < len(out) else None
        last = nxt is None or nxt.kind is not Kind.BODY or nxt.story != blk.story
        found = run_on_mark(blk.text) if blk.kind is Kind.BODY else None
        if found is None or (found[0] == "credits" and not last):
            done.append(blk)
            continue
        what, blk.text, mark = found
        done += [blk, Block(line=blk.line, text=mark, kind=Kind.JUMP if what == "jump" else Kind.BODY, box=blk.box,
                            size=blk.size, weight=blk.weight, column=blk.column, whole=True, story=blk.story)]
    return done


def _join(a: Box | None, b: Box) -> Box:
    if a is None:
        return b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
