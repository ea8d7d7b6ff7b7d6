"""Stage 3b, structure: what the heading candidates and the name lines are, from where they stand.

Layout tools disagree on heading marks — every heading ``#``, or ``##``; levels by font
size (``#`` title, ``####`` kicker, ``###`` subhead); bold lines; no marks at all — so a
mark says only "this line was set apart".  What a line is follows from its neighbours:

* a **story's headline** (kicker, title, subtitle: one to three consecutive lines) is
  followed by a byline, a dateline lead or a jump line (上接), or opens the page or follows
  a story's end (a 下转 jump line, closing credits, a byline after a body);
* a **subhead** sits between body paragraphs of one story; a line there that reads like a
  sentence or a lead-in (``产业升级，助推绿色发展——``) stays a body paragraph;
* where position does not tell (a marked line between paragraphs, no byline after it),
  the marks decide when the dump gives subheads a level of their own, and otherwise the
  text does: a change of subject across the line (character-bigram cosine) makes it a new
  story, the same subject a subhead;
* a **name line** (``李洪兴``, ``熊  丽``) is a byline under a headline or at a story's
  end, and a fragment of a title graphic anywhere else.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from converters import segment, subject
from converters.headline import Headline, opens_like_a_lead, split_headline
from converters.model import Block, Kind
from converters.textutil import (
    bracketed,
    complete,
    cut_at_one_width,
    ends_sentence,
    has_sentence_punct,
    open_bracket,
    open_quote,
    starts_mid_sentence,
    visible_len,
)

HEAD_KINDS = (Kind.KICKER, Kind.HEADLINE, Kind.SUBTITLE)
#: Blocks that do not interrupt the flow of a story: looking for neighbours skips them.
_SKIP = (Kind.FIGURE, Kind.CAPTION, Kind.FRAGMENT)
#: Lines that part no two headlines written one after the other: the folio's lines too.
_APART = (*_SKIP, Kind.MASTHEAD, Kind.FOLIO)
#: Distinct bigrams each side needs before their similarity says anything (about two
#: paragraphs): two short paragraphs of one subject share almost none.
_MIN_WORDS = 60
_BOLD_LEVEL, _UNMARKED_LEVEL = 7, 8
_ENUMERATED = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十\d]{1,3}[)）]"
                         r"|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]{1,3}[，,、]?|[①-⑳])")
_LEAD_IN = ("——", "：", ":", "……", "…")
# A deck line ending in one of these ends there: no word runs on into the next line.
_CLOSED_BY = "，,。！？!?；;：:、—）)》”’"
_LABEL_TEXT = r"[(（][\u4e00-\u9fff·・、]{2,12}[)）]"  # a column's label: （今日谈）, （读者点题·共同关注）
_COLUMN_LABEL = re.compile(rf"[\u4e00-\u9fff”》？！]{_LABEL_TEXT}$")  # (a title may ask: …去哪儿了？（…）)
_LABEL = re.compile(_LABEL_TEXT)
_SPACED = re.compile(r"[\u4e00-\u9fff”》）][ \u3000]+[\u4e00-\u9fff“《（]")


@dataclass
class _Group:
    members: list[int]  # indices into the blocks, consecutive
    head: bool = False

    @property
    def first(self) -> int:
        return self.members[0]

    @property
    def last(self) -> int:
        return self.members[-1]


def _level(b: Block) -> int:
    return b.level or (_BOLD_LEVEL if b.bold else _UNMARKED_LEVEL)


def _prev(blocks: list[Block], i: int) -> Block | None:
    for j in range(i - 1, -1, -1):
        if blocks[j].kind not in _SKIP:
            return blocks[j]
    return None


def _next(blocks: list[Block], i: int) -> Block | None:
    for j in range(i + 1, len(blocks)):
        if blocks[j].kind not in _SKIP:
            return blocks[j]
    return None


_DASHES = ("——", "—", "－")


def title_shaped(text: str, first: bool = True, last: bool = True) -> bool:
    """Could be a headline deck set without a mark: short, not a sentence, not a note in
    brackets.  A kicker above the title may end with a dash (…开展——), a subtitle under it
    may start with one (——消费新亮点), the title does neither."""
    if len(text) > 60:
        return False
    n = visible_len(text)
    if not 2 <= n <= 40 or "。" in text or bracketed(text) or starts_mid_sentence(text):
        return False
    if text.startswith(_DASHES) and first:
        return False
    if text.rstrip()[-1:] in "，,、；;：:":  # a clause cut off, never a headline
        return False
    return not ends_sentence(text) or (not last and text.rstrip().endswith("——"))


def subhead_shaped(text: str) -> bool:
    """Could be a subhead set without a mark: short, enumerated (一、…) or unpunctuated."""
    n = visible_len(text)
    if not 2 <= n <= 24 or ends_sentence(text) or "。" in text or "；" in text or text.startswith(("—", "－")):
        return False
    if _ENUMERATED.match(text):
        return True
    # A two-phrase subhead set with a space (压实责任  明确任务, 破立并举,持续突破 成长天花板):
    # running text never has spaces between Chinese characters, so the first piece of a
    # paragraph cut by a column (安徽省委制定全省 / 学习教育…) never looks so.
    return spaced_phrases(text)


def spaced_phrases(text: str) -> bool:
    """Two phrases of Chinese text apart by a space (压实责任  明确任务): a heading's, since
    running text never sets a space between Chinese characters."""
    return _SPACED.search(text) is not None


def is_lead_in(text: str) -> bool:
    """A line that introduces what follows (…——, …：): text of the story, never a headline."""
    return text.rstrip().endswith(_LEAD_IN)


def _head_evidence(blocks: list[Block], g: _Group) -> bool:
    after = _next(blocks, g.last)
    if after is None:
        return False
    if after.kind in (Kind.BYLINE, Kind.BYLINE_NAME, Kind.LEAD):
        return True
    return after.kind is Kind.JUMP and after.jump is not None and after.jump.direction == "from"


def _boundary_before(blocks: list[Block], g: _Group) -> bool:
    """Nothing of a story is open before the group: the page's top, or a story's end (a 下转
    jump line, closing credits, a byline after a body)."""
    j = g.first - 1
    while j >= 0 and blocks[j].kind in _SKIP:
        j -= 1
    if j < 0:
        return True
    before = blocks[j]
    if before.kind in (Kind.MASTHEAD, Kind.FOLIO, Kind.CREDIT):
        return True
    if before.kind in (Kind.BYLINE, Kind.BYLINE_NAME):
        # A byline closes a story when a finished paragraph stands before it; under a
        # headline it opens one.
        while j >= 0 and blocks[j].kind in (*_SKIP, Kind.BYLINE, Kind.BYLINE_NAME):
            j -= 1
        return j >= 0 and blocks[j].kind in (Kind.BODY, Kind.LEAD) and (
            ends_sentence(blocks[j].text) or bracketed(blocks[j].text))
    return before.kind is Kind.JUMP and before.jump is not None and before.jump.direction == "on"


def _marked_groups(blocks: list[Block]) -> list[_Group]:
    """Runs of consecutive heading candidates (a picture reference between them does not
    part a headline's decks), each holding one title (:func:`_second_title`)."""
    groups: list[_Group] = []
    for i, b in enumerate(blocks):
        if b.kind is not Kind.HEADLINE:
            continue
        if groups and all(blocks[k].kind is Kind.FIGURE for k in range(groups[-1].last + 1, i)):
            cut = _second_title(blocks, groups[-1].members, i)
            if cut is None:
                groups[-1].members.append(i)
            else:
                groups[-1].members, rest = groups[-1].members[:cut], groups[-1].members[cut:]
                groups.append(_Group([*rest, i]))
        else:
            groups.append(_Group([i]))
    return groups


def _second_title(blocks: list[Block], members: list[int], i: int) -> int | None:
    """A headline has one title, set in its biggest type; its lines in that type stand
    together (a title wrapped).  A line marked as big as a title above it with a smaller deck
    between is another story's title: two headlines side by side, written one after the other
    (pymupdf4llm writes a page's headings by height).  Where the second begins: at the
    smaller deck when it opens with no dash (a kicker stands over its title), else at the
    line itself (a subtitle, ——…, stays under its own).  A tool that marks sizes writes a
    title's wrapped lines in one heading, so a whole title (closed by its column label, its
    byline under it) marked as big as the title right above it, in a heading of its own, is
    another story's too.  None when one headline goes on."""
    level = blocks[i].level
    if level and _level(blocks[members[-1]]) == level and blocks[members[-1]].line != blocks[i].line \
            and _signed_title(blocks, i) \
            and not blocks[i].text.lstrip().startswith(_DASHES):
        return len(members)  # (a whole title, its label and byline, under a title of its size)
    if not level or _level(blocks[members[-1]]) <= level:
        return None
    tops = [n for n, k in enumerate(members) if blocks[k].level == level]
    if not tops:
        return None
    start = tops[-1] + 1  # (the decks under the last title line)
    first_deck = next((n for n in range(start, len(members))
                       if not blocks[members[n]].text.lstrip().startswith(_DASHES)), None)
    return first_deck if first_deck is not None else len(members)


def _unmarked_heads(blocks: list[Block], marked: list[_Group], has_marks: bool) -> list[_Group]:
    """Runs of one to three unmarked title-shaped lines that stand where a headline stands."""
    found: list[_Group] = []
    starts = {g.first: g for g in marked}
    ends = {g.last: g for g in marked}
    i = 0
    n = len(blocks)
    while i < n:
        if i - 1 in ends and blocks[i].kind is Kind.BODY and blocks[i].text.startswith(_DASHES) \
                and title_shaped(blocks[i].text, first=False):
            # A subtitle (——…) right under a marked title, left unmarked: a tool that marks
            # by type size may leave a deck set little above the body unmarked.
            ends[i - 1].members.append(i)
            i += 1
            continue
        if blocks[i].kind is not Kind.BODY or not (title_shaped(blocks[i].text, last=False) or _asks(blocks, i)):
            i += 1
            continue
        j, deck, decks, set_big, wraps = i, blocks[i].text, 1, False, 0
        while j + 1 < n and blocks[j + 1].kind is Kind.BODY:
            if _tail(blocks[j], blocks[j + 1]):  # a wrapped deck's last character or two, or its label
                deck += blocks[j + 1].text.strip()
            elif _same_deck(blocks[j], blocks[j + 1]) and title_shaped(blocks[j + 1].text, first=False, last=False):
                deck, decks, set_big = deck + blocks[j + 1].text.strip(), decks + 1, True
            elif set_big and _signed_title(blocks, j + 1):
                break  # under a title wrapped in its large type, a title with its own byline: another headline
            elif decks - wraps == 1 and _kicker_over_signed(blocks, j + 1):
                break  # under one deck, a deck of its own over a title with its byline: another headline
            elif decks < 3 and not _closes_title(deck, blocks[j + 1].text) and not _word_alone(blocks, j + 1) \
                    and _deck_shaped(blocks, j + 1, first=False, last=False):
                wraps += _word_wrapped(blocks[j], blocks[j + 1])  # (a deck cut inside a word: one deck)
                deck, decks = blocks[j + 1].text, decks + 1
            else:
                break
            j += 1
        while j > i and not _deck_shaped(blocks, j, first=j == i):
            j -= 1  # the run's last line is the title or a subtitle: no lead-in dash after it
        if not (_deck_shaped(blocks, j, first=j == i) or (j == i and _asks(blocks, i))):
            i += 1
            continue
        while j + 1 < n and blocks[j + 1].kind is Kind.BODY and _tail(blocks[j], blocks[j + 1]):
            j += 1  # the last character or two of a wrapped deck, or its column label, on a line of its own
        run = _Group(list(range(i, j + 1)))
        before = _prev(blocks, i)
        # (after a headline closed by its column label, a line is no paragraph's rest)
        after = _next(blocks, j)
        # (right after another headline, a labelled title over its byline opens one too)
        signed = has_column_label("".join(blocks[k].text for k in run.members)) and after is not None \
            and after.kind in (Kind.BYLINE, Kind.BYLINE_NAME)
        cut_before = before is not None and before.kind in (Kind.BODY, Kind.LEAD) and not complete(before.text) \
            and not (found and blocks[found[-1].last] is before and (has_column_label(before.text) or signed))
        if cut_before and after is not None and (after.kind is Kind.LEAD or (
                after.kind is Kind.BYLINE and not after.bare_names and (after.line == blocks[j].line + 1 or signed))):
            # over a dateline (本报讯…), or a reporter's byline written right under it (本报记者
            # 李四), a line is a headline even after a paragraph left open (its rest in a column
            # the tool wrote elsewhere): a dateline or a byline opens a story
            found.append(run)
            i = j + 1
            continue
        if not cut_before:
            if j + 1 in starts and _boundary_before(blocks, run):
                # An unmarked kicker over a marked title: one headline.
                starts[j + 1].members[:0] = run.members
                i = j + 1
                continue
            if _head_evidence(blocks, run) or (
                    not has_marks and _boundary_before(blocks, run)
                    and not has_sentence_punct(blocks[i].text.replace("，", "").replace(",", ""))):
                found.append(run)
                i = j + 1
                continue
            if not has_marks and _unsigned_head(blocks, run):
                found.append(run)
                i = j + 1
                continue
        i += 1
    return found


def _word_alone(blocks: list[Block], k: int) -> bool:
    """A word of two characters on a line of its own under a deck, closing no quotation or
    bracket left open above it and making no word with its end (…树种种 / 子园): a label
    (the page's name, 经济), no deck of a headline."""
    above, text = blocks[k - 1].text, blocks[k].text
    return visible_len(text) <= 2 and not open_bracket(above) and not open_quote(above) \
        and not segment.runs_across(above.rstrip(), text.lstrip())


def _word_wrapped(upper: Block, lower: Block) -> bool:
    """A deck the tool cut in one block where a word runs across the cut (粮食产 / 能协同提升):
    one line of type too long for its width, one deck (joined by :func:`_join_wrapped_decks`)."""
    t = upper.text.rstrip()
    return _one_block(upper, lower) and not _tail(upper, lower) and t[-1:] not in _CLOSED_BY \
        and not lower.text.startswith(_DASHES) and segment.spans_boundary(t, lower.text.lstrip())


def _kicker_over_signed(blocks: list[Block], k: int) -> bool:
    """A line the tool wrote apart from the deck above it (a blank line between), right over a
    title closed by its column label with its byline under it, and opening with no subtitle's
    dash: it opens that headline (its kicker, or its title's first line), never a deck of the
    headline above (a kicker stands over its title; a subtitle under its own opens with ——)."""
    return k + 1 < len(blocks) and not blocks[k].goes_on_from(blocks[k - 1]) \
        and not blocks[k].text.startswith(_DASHES) and blocks[k + 1].kind is Kind.BODY \
        and _signed_title(blocks, k + 1)


def _signed_title(blocks: list[Block], k: int) -> bool:
    """A title closed by its column label (…（短评）) with a byline right under it: a whole headline."""
    after = _next(blocks, k)
    return has_column_label(blocks[k].text) and after is not None and after.kind in (Kind.BYLINE, Kind.BYLINE_NAME)


def _closes_title(text: str, after: str) -> bool:
    """Does a headline line end its headline: a title closed by its column label (…（评论员观察）)
    has no deck under it but a subtitle (——…); the next title-shaped line opens another
    headline (two stories' headlines side by side, written one after the other).  Not a line
    holding two pieces apart by a space: two titles run together, the label closing the second."""
    return has_column_label(text) and not _SPACED.search(text) and not after.startswith(_DASHES)


def _deck_shaped(blocks: list[Block], k: int, first: bool = True, last: bool = True) -> bool:
    """Is line ``k`` title-shaped — or the rest of the line above, cut where that one left a
    quotation or bracket open (推动“好就业”“就 / 好业”（子夜走笔）), the two title-shaped together?"""
    text = blocks[k].text
    if title_shaped(text, first=first, last=last):
        return True
    above = blocks[k - 1].text if k else ""
    return not first and (open_quote(above) or open_bracket(above)) and title_shaped(above + text, last=last)


def _unsigned_head(blocks: list[Block], run: _Group) -> bool:
    """In a dump without heading marks, a headline with no byline under it (a brief, 简讯):
    title-shaped lines alone between finished paragraphs that carry a column label
    (（子夜走笔）), over a paragraph that opens as a lead does (近日，…), or a kicker ending
    in a dash over an unpunctuated title.  Anything less
    stays text: the first piece of a paragraph cut by a column looks the same.  Never a line
    pdftotext wrote in one block with the paragraph above it: set in the text's type (a bold
    subhead over the paragraph, which may open as a lead does), not a headline's."""
    before, after = _prev(blocks, run.first), _next(blocks, run.last)
    if before is None or before.kind not in (Kind.BODY, Kind.LEAD) or not ends_sentence(before.text):
        return False
    if blocks[run.first].one_type:  # written in one block with the paragraph above: the text's type
        return False
    if after is None or after.kind is not Kind.BODY or starts_mid_sentence(after.text):
        return False
    last = blocks[run.last].text
    if visible_len(last) < 4 or segment.spans_boundary(last, after.text):
        return False
    if has_column_label(last):
        return True
    if opens_like_a_lead(after.text) and not has_sentence_punct(last.replace("，", "").replace(",", "")):
        return True  # 甘肃加强祁连山生态保护 / 近日，甘肃部署…: a new story's lead under its title
    return len(run.members) == 2 and is_lead_in(blocks[run.first].text) and not has_sentence_punct(last)


def has_column_label(text: str) -> bool:
    """``…（子夜走笔）``: a column's label closes a headline, never a subhead or a sentence."""
    return bool(_COLUMN_LABEL.search(text)) and not bracketed(text)


def _subject_changes(blocks: list[Block], g: _Group, heads: list[_Group], default: bool) -> bool:
    """Does the text after ``g`` talk of something else than the story before it?  ``default``:
    the answer when there is too little text on either side to compare."""
    start = max((h.last for h in heads if h.last < g.first), default=-1)
    before = [b for b in blocks[start + 1:g.first] if b.kind in (Kind.BODY, Kind.LEAD)]
    after: list[Block] = []
    for b in blocks[g.last + 1:]:
        if b.kind in (Kind.HEADLINE, *HEAD_KINDS, Kind.JUMP, Kind.BYLINE, Kind.MASTHEAD) or len(after) >= 8:
            break
        if b.kind in (Kind.BODY, Kind.LEAD):
            after.append(b)
    a, b = subject.words(before), subject.words(after)
    if len(a) < _MIN_WORDS or len(b) < _MIN_WORDS:
        return default  # too little text to compare
    return subject.changed(segment.cosine(a, b))


def _decide(blocks: list[Block], marked: list[_Group], unmarked: list[_Group]) -> list[_Group]:
    for g in marked:
        g.head = _head_evidence(blocks, g) or _boundary_before(blocks, g)
    for g in unmarked:
        g.head = True
    heads = [g for g in (*marked, *unmarked) if g.head]
    ambiguous = [g for g in marked if not g.head]
    levels = {min(_level(blocks[k]) for k in g.members) for g in heads}
    if not levels:
        levels = {min((min(_level(blocks[k]) for k in g.members) for g in marked), default=1)}
    top = min(levels)
    # Do subheads have a level of their own?  Then the marks can be trusted.
    own_level = any(_level(blocks[k]) not in levels for g in ambiguous for k in g.members)
    for g in sorted(ambiguous, key=lambda g: g.first):
        lvl = min(_level(blocks[k]) for k in g.members)
        text = blocks[g.first].text
        if lvl < top:
            g.head = True
        elif own_level:
            g.head = lvl in levels
        elif len(g.members) >= 2 or has_column_label(blocks[g.last].text):
            g.head = True  # decks, or a column's label: a headline
        elif is_lead_in(text) or _ENUMERATED.match(text) or ends_sentence(text) or _SPACED.search(text):
            g.head = False  # a lead-in, an enumerated or two-phrase subhead, a sentence
        else:
            # The text decides: a change of subject is a new story; with too little text to
            # tell, a subhead (a story cut into pieces at its subheads is the worse mistake).
            g.head = _subject_changes(blocks, g, sorted((h for h in marked + unmarked if h.head),
                                                        key=lambda h: h.first), default=False)
    return sorted((g for g in (*marked, *unmarked)), key=lambda g: g.first)


def _title_index(blocks: list[Block], g: _Group) -> int:
    """Which line of a headline is the title (主题): the biggest mark; among equal marks, not a
    line that starts with a dash (a subtitle) or introduces the next (a kicker ending ——),
    and the clearly shorter one (the title is set biggest, so it is short); else the last
    of two (kicker above title) or the middle of three."""
    members = g.members
    if len(members) == 1:
        return 0
    lv = [_level(blocks[k]) for k in members]
    top = [i for i, x in enumerate(lv) if x == min(lv)]
    if len(top) == 1:
        return top[0]
    texts = [blocks[members[i]].text for i in top]
    ok = [i for i, t in zip(top, texts, strict=True)
          if not t.startswith(("——", "—", "－")) and not (i != len(members) - 1 and is_lead_in(t))]
    if len(ok) == 1:
        return ok[0]
    ok = ok or top
    if len(ok) == 2:
        a, b = (visible_len(blocks[members[i]].text) for i in ok)
        # A much longer second deck is a subtitle when it reads as a sentence (它…，…);
        # a headline's phrases (扎实推进… 打造…) under a shorter line make the title, and
        # that line is its kicker (丁薛祥在海南调研时强调).
        if a * 1.3 <= b and has_sentence_punct(blocks[members[ok[1]]].text):
            return ok[0]
        return ok[1]
    return ok[len(ok) // 2]


def _join_wrapped_decks(blocks: list[Block], g: _Group) -> list[Block]:
    """A headline line that runs on: a deck too long for the width it is set in is cut into
    lines by the tool, each read as a deck of its own (粮食产 / 能协同提升).  A line that ends
    no phrase, with a word running across the cut into the next line of the same mark or a
    quotation or bracket left open (推动“好就业”“就 / 好业”), is joined with it: one deck.
    Returns the lines joined into the line above."""
    kept, joined = [g.members[0]], []
    above = blocks[g.members[0]]  # the line right above ``cur`` (joined into ``prev`` or not)
    narrow = _set_narrow(blocks, g.members)
    for k in g.members[1:]:
        prev, cur = blocks[kept[-1]], blocks[k]
        wrapped = (narrow and _one_block(above, cur)) or _same_deck(above, cur)
        above_was, above = above, cur
        t = prev.text.rstrip()
        if _level(prev) == _level(cur) and t and (
                (t[-1] not in _CLOSED_BY
                 and (segment.runs_across(t, cur.text.lstrip()) or wrapped))
                or _tail(above_was, cur)):
            sep = " " if t[-1].isascii() and t[-1].isalnum() and cur.text.lstrip()[:1].isascii() else ""
            prev.text = t + sep + cur.text.lstrip()
            joined.append(cur)
            continue
        kept.append(k)
    g.members = kept
    return joined


def _set_narrow(blocks: list[Block], members: list[int]) -> bool:
    """Three or more lines the tool wrote as one block, all but the last as long as each
    other (甘肃加强祁连 / 山等重点生态 / 功能区保护): a deck set in a narrow column, its lines
    cut at the column's width, not a kicker over a title (two phrases of their own)."""
    lines = [blocks[k] for k in members]
    return len(lines) >= 3 and all(_one_block(a, b) for a, b in itertools.pairwise(lines)) \
        and cut_at_one_width([b.text for b in lines])


def _same_deck(upper: Block, lower: Block) -> bool:
    """A line the tool wrote in one block with the line over it, in the same type (pdftotext
    parts its blocks where the type size changes), more than the deck's last character or
    two (:func:`_tail`) and opening no subtitle (——…): the rest of a deck set large enough to
    wrap (打好城乡融合发展的 / “组合拳”) — a title, since a kicker is set small over the
    title's width and spills a character or two at most."""
    return lower.one_type and _one_block(upper, lower) and not lower.text.startswith(_DASHES) \
        and not _tail(upper, lower)


def _tail(upper: Block, lower: Block) -> bool:
    """The end of a deck the tool wrote on the next line of its block: its last character or
    two (绍兴，“俊鸟”腾飞正当 / 时), or the column's label (从监管优化看数字消费 / （人民时评）)."""
    text = lower.text.strip()
    if not _one_block(upper, lower) or upper.text.rstrip()[-1:] in "，,。；;：:、—":
        return False
    return (visible_len(text) <= 2 and not has_sentence_punct(text) and not bracketed(text)) or (
        _LABEL.fullmatch(text) is not None)


def _asks(blocks: list[Block], i: int) -> bool:
    """A headline that asks (…旧的去哪儿了？), told from a sentence by the column label on
    the line under it, in the same block."""
    text = blocks[i].text.rstrip()
    if text[-1:] not in "？?！!" or visible_len(text) > 40 or "。" in text or i + 1 >= len(blocks):
        return False
    return _one_block(blocks[i], blocks[i + 1]) and _LABEL.fullmatch(blocks[i + 1].text.strip()) is not None


def _one_block(upper: Block, lower: Block) -> bool:
    """Two unmarked lines the tool wrote one right under the other in one block (no blank
    line between), the lower no longer than the upper but by a character: maybe one line
    of type cut where its column ends (the callers say what more it takes)."""
    return lower.goes_on_from(upper) and lower.line == upper.line + 1 \
        and visible_len(upper.text) + 1 >= visible_len(lower.text)


def _assign_decks(blocks: list[Block], g: _Group, gid: int) -> None:
    t = _title_index(blocks, g)
    for pos, k in enumerate(g.members):
        b = blocks[k]
        b.kind = Kind.KICKER if pos < t else Kind.HEADLINE if pos == t else Kind.SUBTITLE
        b.head = gid


def _in_story(b: Block) -> None:
    """A marked line inside a story: a subhead, unless it reads as text (a sentence, a lead-in)."""
    b.head = 0
    b.kind = Kind.SUBHEAD if (not ends_sentence(b.text) and visible_len(b.text) <= 40) else Kind.BODY


def _unmarked_subheads(blocks: list[Block]) -> None:
    """``一、城乡居民增收促进行动`` alone between paragraphs, or a title-shaped phrase the
    dump set apart (``whole``: a hard-wrapped line no paragraph's line could be): a
    subhead, not a column cut — unless a word runs across into the next line (a cut after all)."""
    for i, b in enumerate(blocks):
        if b.kind is not Kind.BODY or not (subhead_shaped(b.text) or (b.whole and title_shaped(b.text))):
            continue
        before = _prev(blocks, i)
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if (before is None or before.kind not in (Kind.BODY, Kind.LEAD, Kind.SUBHEAD)
                or (before.kind is not Kind.SUBHEAD and not ends_sentence(before.text))):
            continue
        if nxt is None or nxt.kind is not Kind.BODY or starts_mid_sentence(nxt.text):
            continue
        if segment.spans_boundary(b.text, nxt.text):
            continue
        b.kind = Kind.SUBHEAD


def _names(blocks: list[Block]) -> None:
    """Name lines: a byline under a headline, a trailing byline at a story's end, else a fragment."""
    for i, b in enumerate(blocks):
        if b.kind is not Kind.BYLINE or not b.bare_names:
            continue
        before = _prev(blocks, i)
        if before is not None and (before.kind in HEAD_KINDS or before.kind is Kind.BYLINE):
            continue
        after = _next(blocks, i)
        closes = before is not None and before.kind in (Kind.BODY, Kind.LEAD) and ends_sentence(before.text)
        ends = after is None or after.kind in (*HEAD_KINDS, Kind.JUMP, Kind.MASTHEAD, Kind.FOLIO, Kind.CREDIT,
                                                Kind.BYLINE)
        if closes and ends:
            b.trailing = True
        else:
            b.kind, b.credits, b.bare_names = Kind.FRAGMENT, None, False
            b.fragment_why = "a name-shaped line neither under a headline nor closing a story"


def _headline_between(blocks: list[Block]) -> list[Block]:
    """Two headlines written one after the other, then a byline and the text: the headlines
    stand side by side on the page (the tool wrote each whole before the byline under one of
    them).  With a byline for each, they are the headlines' in turn; with one, the byline
    and the text under it are the headline's that shares more of the text's words (its
    character pairs), and the other goes to the first story opener later on the page with
    no headline over it (a byline or a dateline lead after a paragraph, a caption between
    aside), where its text is.  The folio's lines written between the headlines part none.
    A byline over a dateline lead naming its own reporters is never that lead's story's: it
    stays the second's when the lead is the first's (:func:`_names_its_reporters`)."""
    i = 0
    while i < len(blocks):
        b = blocks[i]
        p = i - 1  # (pieces of a title graphic, a picture or a caption between them part no headlines,
        while p >= 0 and blocks[p].kind in _APART:  # nor the folio's lines, set at the page's top)
            p -= 1
        if b.kind not in HEAD_KINDS or p < 0 or blocks[p].kind not in HEAD_KINDS or blocks[p].head == b.head:
            i += 1
            continue
        start = p
        while start > 0 and blocks[start - 1].kind in HEAD_KINDS and blocks[start - 1].head == blocks[p].head:
            start -= 1
        folio = [c for c in blocks[p + 1:i] if c.kind in (Kind.MASTHEAD, Kind.FOLIO)]
        if folio:  # (read before the headlines, so that whatever moves under them stands right under them)
            blocks = [*blocks[:start], *folio, *blocks[start:p + 1],
                      *(c for c in blocks[p + 1:i] if not any(c is f for f in folio)), *blocks[i:]]
            start, p = start + len(folio), p + len(folio)
        end = i
        while end + 1 < len(blocks) and blocks[end + 1].kind in HEAD_KINDS and blocks[end + 1].head == b.head:
            end += 1
        after = blocks[end + 1] if end + 1 < len(blocks) else None
        if after is None or after.kind not in (Kind.BYLINE, Kind.BYLINE_NAME):
            i = end + 1
            continue
        signed = end + 2  # (a byline naming correspondents alone completes the one over it)
        while signed < len(blocks) and blocks[signed].kind is Kind.BYLINE and _correspondents_only(blocks[signed]):
            signed += 1
        if after.kind is Kind.BYLINE and not after.names_follow and signed < len(blocks) \
                and blocks[signed].kind is Kind.BYLINE:
            # (the first's byline under it)
            blocks = [*blocks[:i], *blocks[end + 1:signed], *blocks[i:end + 1], *blocks[signed:]]
            i = signed
            continue
        text: list[str] = []
        for c in blocks[end + 2:end + 10]:
            if c.kind in HEAD_KINDS:
                break
            if c.kind in (Kind.BODY, Kind.LEAD) and not _deck_of_dashes(c):  # (a subtitle is no text)
                text.append(c.text)
        words = segment.content_words("".join(text)).keys()
        first, second = (len(words & segment.content_words("".join(c.text for c in blocks[x:y])).keys())
                         for x, y in ((start, p + 1), (i, end + 1)))
        if first == second:  # cannot tell
            i = end + 1
            continue
        if first > second and _names_its_reporters(blocks, end + 2):
            # The text under the byline opens with a dateline naming its own reporters: the
            # byline is not its story's but the second headline's, written with it; the first
            # headline goes over the text its words share, the second (and its byline) is read
            # first, as its headline stands over the first's in the tool's order of lines.
            blocks = blocks[:start] + blocks[p + 1:end + 2] + blocks[start:p + 1] + blocks[end + 2:]
            i = end + 2
            continue
        to = None
        for k in range(end + 2, len(blocks)):
            c = blocks[k]
            if c.kind in HEAD_KINDS:
                break
            if c.kind in (Kind.BYLINE, Kind.LEAD) and _after_text(blocks, k):
                to = k
                break
        if to is None:
            i = end + 1
            continue
        if first < second:  # the text is the second's: the first's is where a story opens with no headline
            stop = next((k for k in range(to, len(blocks)) if blocks[k].kind in HEAD_KINDS), len(blocks))
            between = blocks[p + 1:to]
            sub = _subtitle_among(blocks[start:p + 1], between[end + 2 - (p + 1):])
            if sub is not None:  # (set under the first title, written after the second's lines set higher)
                between.remove(sub)
                sub.kind, sub.head = Kind.SUBTITLE, blocks[p].head
            # (the first headline's story first, as the headlines stand)
            blocks = blocks[:p + 1] + ([sub] if sub is not None else []) + blocks[to:stop] + between + blocks[stop:]
            i = stop
            continue
        blocks = blocks[:i] + blocks[end + 1:to] + blocks[i:end + 1] + blocks[to:]
        i = to
    return blocks


def _after_text(blocks: list[Block], k: int) -> bool:
    """Does block ``k`` stand after a paragraph (or a subhead), a picture's caption between
    them aside?  A story opener there (a byline, a dateline lead) starts a story of its own."""
    j = k - 1
    while j >= 0 and blocks[j].kind in _SKIP:
        j -= 1
    return j >= 0 and blocks[j].kind in (Kind.BODY, Kind.SUBHEAD)


def _correspondents_only(b: Block) -> bool:
    """A byline naming correspondents alone (本报通讯员 李四): it completes the reporters'
    byline over it (a story's correspondents are named after its reporters), so it is never
    a second story's byline of its own."""
    return b.credits is not None and bool(b.credits.correspondents) and not b.credits.authors


def _names_its_reporters(blocks: list[Block], k: int) -> bool:
    """Does block ``k`` open a story with a dateline that names its reporters (本报哈尔滨3月25日电
    （记者 李四）…), none of them named by the byline right over it?  Such a story has no
    byline line over it: its reporters are in its lead."""
    if k >= len(blocks) or blocks[k].kind is not Kind.LEAD or blocks[k].credits is None:
        return False
    signed = blocks[k - 1].credits.authors if blocks[k - 1].credits is not None else []
    return bool(blocks[k].credits.authors) and not set(signed) & set(blocks[k].credits.authors)


def _subtitle_among(head: list[Block], text: list[Block]) -> Block | None:
    """The subtitle of a headline that has none (——…, a deck's shape) where the tool wrote it
    among another story's lines: the lines of the story beside it that stand higher come
    first in its order (a boxed commentary's byline and first line beside a lead's title)."""
    if any(b.kind is Kind.SUBTITLE for b in head):
        return None
    return next((b for b in text if _deck_of_dashes(b)), None)


def _deck_of_dashes(b: Block) -> bool:
    """A line of text shaped as a subtitle (——…, short, no sentence)."""
    return b.kind is Kind.BODY and b.text.startswith(_DASHES) and title_shaped(b.text, first=False)


def resolve(blocks: list[Block]) -> list[Block]:
    """Decide headings and name lines in place (see the module docstring); return the blocks
    (without the lines of a wrapped deck joined into the line above)."""
    marked = _marked_groups(blocks)
    has_marks = bool(marked)
    unmarked = _unmarked_heads(blocks, marked, has_marks)
    groups = _decide(blocks, marked, unmarked)
    gid = 0
    joined: set[int] = set()
    for g in groups:
        if g.head:
            gid += 1
            joined.update(id(b) for b in _join_wrapped_decks(blocks, g))
            _assign_decks(blocks, g, gid)
        else:
            for k in g.members:
                _in_story(blocks[k])
    blocks = [b for b in blocks if id(b) not in joined]  # their text is in the deck above
    blocks = _headline_between(blocks)
    _unmarked_subheads(blocks)
    _names(blocks)
    decide_decks(blocks)
    return blocks


def decide_decks(blocks: list[Block]) -> None:
    """What each title line holds (``Block.decks``), for every input.  A title that is its
    story's only deck (no kicker above it, no subtitle right under it) may be two decks a
    tool ran into one line (传统产业破旧立新 绍兴，“俊鸟”腾飞正当时): they are parted where
    they differ clearly in length (:func:`converters.headline.split_headline`) — not where
    the page PDF showed the title's lines in one type (``whole``: its decks are its blocks).
    Any title gives the column label it ends with (…（子夜走笔）)."""
    with_kicker: set[int] = set()
    for i, b in enumerate(blocks):
        if b.kind is Kind.KICKER and b.text.strip():
            with_kicker.add(b.head)
        if b.kind is not Kind.HEADLINE:
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        subtitle_under = nxt is not None and nxt.kind is Kind.SUBTITLE and nxt.head == b.head
        if b.head in with_kicker or subtitle_under or b.whole:
            b.decks = Headline(title=b.text, column=split_headline(b.text).column)
        else:
            b.decks = split_headline(b.text)
