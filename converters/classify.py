"""Stage 3, classify: give every block a :class:`Kind`, from its content and its neighbours.

Two passes.  The first (here) runs :data:`CONTENT_RULES`, the content rules of
:mod:`converters.rules` (one rule type and a priority registry, Python-Markdown's): each
rule has ``test`` and ``run``; they are tried in priority order on each block left to
right, and the first whose test passes decides, recording on the block its kind and what
it parsed (typed: a :class:`JumpRef`, a :class:`Lead`, :class:`Credits`).  They recognise what a
line's own text says it is: a jump line, the masthead and folio, a dateline lead, credits,
a byline, a caption, a picture, a fragment of a title graphic.  A heading mark (``#``,
``**bold**``) only makes a block a *heading candidate*: layout tools disagree on marks.

The second pass (:mod:`converters.structure`) decides what the heading candidates are —
a story's kicker, title and subtitle, or a subhead inside a story — and whether a
name-shaped line is a byline, from where they stand: a title is followed by a byline, a
dateline lead or a jump line, or opens the page or follows a story's end; a subhead sits
between body paragraphs of one story.  A new quirk of some paper is one new rule
(``CONTENT_RULES.add(Rule(name, priority, test, run))``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from converters import credits as cr
from converters import masthead as mh
from converters import segment
from converters.model import Block, Credits, JumpRef, Kind, Lead, PageFacts
from converters.rules import Rule, Rules, run_first
from converters.textutil import complete, cut_at_one_width, ends_sentence, has_sentence_punct, visible_len

DATELINE = re.compile(
    r"^(?P<dateline>(?:本报|新华社|中新社)(?:讯|[\u4e00-\u9fff]{0,6}\d{1,2}月\d{1,2}日[电讯])|据新华社电)"
    r"[\s\u3000]*(?:[(（](?P<credits>[^()（）]{1,80})[)）])?[\s\u3000]*(?P<rest>.*)$")
JUMP = re.compile(r"^[(（]\s*(?P<dir>下转|上接|紧接|转|接)\s*第?\s*"
                  r"(?P<page>[一二三四五六七八九十百\d]{1,4})\s*版\s*[)）]$")
#: How a photo caption ends: its credit.
CAPTION_CREDITS = ("供图", "摄影", "摄", "制图", "新华社发", "资料图片", "视觉中国")


@dataclass
class ClassifyContext:
    """What the content rules see: the blocks (in dump order) and what the page said so far."""

    blocks: list[Block] = field(default_factory=list)
    paper_names: dict[str, str] = field(default_factory=dict)  # masthead text -> paper name
    facts: PageFacts = field(default_factory=PageFacts)
    has_marks: bool = True  # does the dump mark headings (# or bold) at all?
    seen_headline: bool = False


# -- helpers -----------------------------------------------------------------

#: Every masthead line below has one of these (a date's or number's digits, 农历, 报, 出版物号
#: or 邮发代号's 号, CN): a cheap test that lets most short lines skip the parsers.
_MASTHEAD_HINT = re.compile(r"[\d报农号C]")


def _is_masthead_text(text: str, ctx: ClassifyContext) -> bool:
    if len(text) > 64:  # masthead lines are short; most blocks are paragraphs
        return False
    if _MASTHEAD_HINT.search(text) is None:
        return text in ctx.paper_names
    return bool(mh.parse_date_line(text) or mh.LUNAR_LINE.match(text) or mh.parse_issue_line(text)
                or mh.parse_cn_line(text) or text in ctx.paper_names
                or (re.search(r"(报业集团|日报社|报社)$", text) and len(text) <= 12))


def _near_masthead(blocks: list[Block], i: int, ctx: ClassifyContext, reach: int = 2) -> bool:
    return any(j != i and 0 <= j < len(blocks) and _is_masthead_text(blocks[j].text, ctx)
               for j in range(i - reach, i + reach + 1))


def looks_like_byline(text: str) -> bool:
    """Role and names (本报记者 张三), a role alone (本报记者: names follow), a newsroom's own
    name (本报评论员), after a mark some papers set before it (□本报记者 张三)."""
    text = cr.without_mark(text)
    return len(text) <= 50 and cr.ROLE_HINT.search(text) is not None and (
        cr.is_lone_role(text) or bool(cr.COLLECTIVE.match(text)) or cr.parse_credits(text) is not None)


# -- rules -------------------------------------------------------------------------

def _figure_test(ctx: ClassifyContext, i: int) -> bool:
    return ctx.blocks[i].figure is not None


def _figure_run(ctx: ClassifyContext, i: int) -> None:
    ctx.blocks[i].kind = Kind.FIGURE


# A bracket closing a paragraph: where a page runs a jump line or the reporters' names on
# after the last sentence instead of setting them on a line of their own.
_RUN_ON = re.compile(r"[（(][^（）()]{2,40}[)）]$")


def run_on_mark(text: str) -> tuple[str, str, str] | None:
    """A jump line or closing credits run on after a paragraph's last sentence (……需求。
    （下转第三版）, ……春光。（本报记者 王芳）): ("jump" or "credits", the paragraph, the mark)."""
    m = _RUN_ON.search(text)
    if m is None:
        return None
    before = text[:m.start()].rstrip()
    if not before or not complete(before):
        return None
    mark = m.group(0)
    if JUMP.match(mark):
        return "jump", before, mark
    return ("credits", before, mark) if cr.parse_closing_credits(mark) is not None else None


def _jump_test(ctx: ClassifyContext, i: int) -> bool:
    t = ctx.blocks[i].text
    return (t[:1] in "(（") and bool(JUMP.match(t))


def _jump_run(ctx: ClassifyContext, i: int) -> None:
    m = JUMP.match(ctx.blocks[i].text)
    b = ctx.blocks[i]
    b.kind = Kind.JUMP
    b.jump = JumpRef("on" if _goes_on(m) else "from", mh.cn_numeral(m["page"]))


def _goes_on(m: re.Match) -> bool:
    return m["dir"] in ("下转", "转")


def jump_on(text: str) -> bool:
    """A jump line saying the story goes on on another page ((下转第二版))."""
    m = JUMP.match(text.strip())
    return m is not None and _goes_on(m)


# A web address: the paper's site printed in its masthead (人民网网址：www.people.com.cn).
_WEB_ADDRESS = re.compile(r"(?i)(?:https?://|www\.)[\w.-]+|\b[\w-]+\.(?:com|cn|net|org)\b")


def _masthead_test(ctx: ClassifyContext, i: int) -> bool:
    blocks = ctx.blocks
    text = blocks[i].text
    if _is_masthead_text(text, ctx):
        return True
    return bool(mh.LATIN_MASTHEAD.match(text) or mh.PAPER_NAME.match(text)
                or (len(text) <= 40 and _WEB_ADDRESS.search(text))) and _near_masthead(blocks, i, ctx)


def _masthead_run(ctx: ClassifyContext, i: int) -> None:
    b = ctx.blocks[i]
    b.kind = Kind.MASTHEAD
    f = ctx.facts
    if (d := mh.parse_date_line(b.text)) is not None:
        f.date, f.weekday, f.lunar = d.date, d.weekday or f.weekday, d.lunar or f.lunar
    elif mh.LUNAR_LINE.match(b.text):
        f.lunar = b.text
    elif (iss := mh.parse_issue_line(b.text)) is not None:
        f.pages_total = iss[0] if iss[0] is not None else f.pages_total
        f.issue = iss[1] if iss[1] is not None else f.issue
    elif (cn := mh.parse_cn_line(b.text)) is not None:
        f.cn, f.postal_code = cn[0] or f.cn, cn[1] or f.postal_code
    elif b.text in ctx.paper_names:
        f.paper = f.paper or ctx.paper_names[b.text]
    elif mh.PAPER_NAME.match(b.text):  # a paper's name the registry does not know (no paper.toml)
        f.paper = f.paper or b.text


# The page name before the page number on one line (评论 05), as a tool joins a folio's items.
_FOLIO_SECTION_PAGE = re.compile(r"^(?P<section>[\u4e00-\u9fff]{1,6})[\s·:：]*(?P<page>\d{1,3})$")


def _folio_match(text: str) -> re.Match | None:
    return mh.FOLIO_PAGE_SECTION.match(text) or mh.FOLIO_PAGE.match(text) or _FOLIO_SECTION_PAGE.match(text)


def _folio_test(ctx: ClassifyContext, i: int) -> bool:
    blocks = ctx.blocks
    if ctx.seen_headline:
        return False
    text = blocks[i].text
    if _folio_match(text):
        return _near_masthead(blocks, i, ctx)
    # The page name (版名) printed next to the folio's page number, after it or before it.
    prev = blocks[i - 1] if i > 0 else None
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    return bool(mh.SECTION_WORD.match(text)) and (
        (prev is not None and prev.kind is Kind.FOLIO and prev.folio_page is not None)
        or (nxt is not None and mh.FOLIO_PAGE.match(nxt.text) is not None and _near_masthead(blocks, i + 1, ctx)))


def _folio_run(ctx: ClassifyContext, i: int) -> None:
    b = ctx.blocks[i]
    b.kind = Kind.FOLIO
    m = _folio_match(b.text)
    if m:
        b.folio_page = int(m["page"])
        ctx.facts.page = int(m["page"])
        section = m.groupdict().get("section")
        if section:
            ctx.facts.section = section
    else:
        ctx.facts.section = b.text


def _staff_test(ctx: ClassifyContext, i: int) -> bool:
    return mh.is_page_staff(ctx.blocks[i].text)


def _staff_run(ctx: ClassifyContext, i: int) -> None:
    b = ctx.blocks[i]
    b.kind, b.page_staff = Kind.FOLIO, True


def dateline_of(text: str) -> re.Match | None:
    """The dateline a line opens with (本报讯, 新华社北京3月17日电, 据新华社电), if any."""
    return DATELINE.match(text) if text[:1] in "本新中据" else None


def _lead_test(ctx: ClassifyContext, i: int) -> bool:
    return dateline_of(ctx.blocks[i].text) is not None


def _lead_run(ctx: ClassifyContext, i: int) -> None:
    b = ctx.blocks[i]
    m = DATELINE.match(b.text)
    rest, credits = m["rest"], Credits()
    if m["credits"]:
        c = cr.parse_credits(m["credits"])
        if c is not None:
            credits = c
        else:  # not credits after all: keep the parenthesis as text
            rest = b.text[len(m["dateline"]):].lstrip()
    b.kind = Kind.LEAD
    b.lead, b.credits = Lead(m["dateline"], rest), credits


def _credit_test(ctx: ClassifyContext, i: int) -> bool:
    """Credits in brackets close a story: never right over a byline, which opens one (a
    column's label wrapped under its title, （高山札记）, over the columnist's byline)."""
    t = ctx.blocks[i].text
    after = ctx.blocks[i + 1].text if i + 1 < len(ctx.blocks) else ""
    return t[:1] in "(（" and t[-1:] in ")）" and len(t) <= 200 and cr.parse_closing_credits(t) is not None \
        and not looks_like_byline(after)


def _credit_run(ctx: ClassifyContext, i: int) -> None:
    b = ctx.blocks[i]
    c = cr.parse_closing_credits(b.text)
    b.kind = Kind.CREDIT
    b.credits = c


def _byline_test(ctx: ClassifyContext, i: int) -> bool:
    text = ctx.blocks[i].text
    # 本报记者 周敏岚摄: the photographer's credit closing a caption, not the story's byline
    return looks_like_byline(text) and not is_caption_text(text)


def _byline_run(ctx: ClassifyContext, i: int) -> None:
    b = ctx.blocks[i]
    b.kind = Kind.BYLINE
    if cr.COLLECTIVE.match(b.text):  # 本报评论员: the newsroom signs
        b.credits = Credits([b.text], [])
        return
    c = cr.parse_credits(b.text)
    if c is None:  # a lone role word: the names follow, one per line (or close the story)
        reporter = cr.role_is_reporter(b.text)
        b.credits = Credits([], [], b.text.strip() if reporter else "")
        b.names_follow = "authors" if reporter else "correspondents"
    else:
        b.credits = c


def _byline_name_test(ctx: ClassifyContext, i: int) -> bool:
    blocks = ctx.blocks
    prev = blocks[i - 1] if i > 0 else None
    if prev is None or prev.kind not in (Kind.BYLINE, Kind.BYLINE_NAME):
        return False
    if prev.kind is Kind.BYLINE and not prev.names_follow:
        return False
    return cr.looks_like_name(blocks[i].text)


def _byline_name_run(ctx: ClassifyContext, i: int) -> None:
    b = ctx.blocks[i]
    b.kind = Kind.BYLINE_NAME


# The agency after a photographer's credit: 周敏岚摄（人民视觉）, 陈海伟摄（影像中国）.
_CREDIT_AGENCY = re.compile(r"\s*[（(][^（()）]{1,12}[)）]$")


def is_caption_text(text: str) -> bool:
    """``俯瞰…新区。 管委会供图``, ``周敏岚摄（人民视觉）``: ends with a photo credit (its
    agency in brackets after it), is not a sentence."""
    if len(text) > 200 or ends_sentence(text):
        return False
    return text.rstrip(")）").endswith(CAPTION_CREDITS) or _CREDIT_AGENCY.sub("", text).endswith(CAPTION_CREDITS)


def _caption_test(ctx: ClassifyContext, i: int) -> bool:
    return is_caption_text(ctx.blocks[i].text)


def _caption_run(ctx: ClassifyContext, i: int) -> None:
    ctx.blocks[i].kind = Kind.CAPTION


def _caption_before_credit_test(ctx: ClassifyContext, i: int) -> bool:
    """A short line right above a photo credit standing alone (陈海伟摄（影像中国）): the
    caption the credit closes, set on lines of its own."""
    blocks = ctx.blocks
    b = blocks[i]
    if b.marked or b.figure is not None or i + 1 >= len(blocks) or visible_len(b.text) > 60:
        return False
    credit = blocks[i + 1].text
    # (a credit after its caption's own sentence, 游客在景区内参观游览。 本报记者 周敏岚摄, is
    # a whole caption: the line above it is none of it)
    return visible_len(credit) <= 20 and is_caption_text(credit) and not is_caption_text(b.text) \
        and not any(ch in "。！？!?" for ch in credit)


def _marked_fragment_test(ctx: ClassifyContext, i: int) -> bool:
    b = ctx.blocks[i]
    return b.marked and visible_len(b.text) <= 1


def _heading_test(ctx: ClassifyContext, i: int) -> bool:
    return ctx.blocks[i].marked


def _heading_run(ctx: ClassifyContext, i: int) -> None:
    """A heading candidate: :mod:`converters.structure` decides which deck or subhead it is."""
    ctx.blocks[i].kind = Kind.HEADLINE
    ctx.seen_headline = True


def _bare_name_test(ctx: ClassifyContext, i: int) -> bool:
    t = ctx.blocks[i].text
    return visible_len(t) <= 14 and not has_sentence_punct(t) and cr.parse_bare_names(t) is not None


def _marked_name_test(ctx: ClassifyContext, i: int) -> bool:
    """Names alone on a marked line right under a heading: a byline the tool wrote as a
    heading (``## 陈  凌``, ``### 王云杉``); the mark is only a hint."""
    blocks = ctx.blocks
    if not blocks[i].marked or not _bare_name_test(ctx, i):
        return False
    prev = next((b for b in reversed(blocks[:i]) if b.figure is None), None)
    return prev is not None and prev.kind is Kind.HEADLINE


def _bare_name_run(ctx: ClassifyContext, i: int) -> None:
    """Names alone on a line: a byline only where it stands under a headline or closes a
    story (decided by the structure pass), else a fragment."""
    b = ctx.blocks[i]
    b.kind = Kind.BYLINE
    b.credits, b.bare_names = Credits(cr.parse_bare_names(b.text), []), True


def _fragment_test(ctx: ClassifyContext, i: int) -> bool:
    blocks = ctx.blocks
    text = blocks[i].text
    if visible_len(text) > 6 or has_sentence_punct(text):
        return False
    prev = blocks[i - 1] if i > 0 else None
    # Right after a body line cut mid-sentence, a short line is that sentence's end; right
    # before running text, it is the first piece of a paragraph cut by a column.
    # (Not Latin letters alone after Chinese text: a word of a sentence cut there would be
    # Chinese too; they are a piece of the masthead's or a title graphic's lettering.)
    if prev is not None and prev.kind in (Kind.BODY, Kind.LEAD) and not ends_sentence(prev.text) \
            and not (text.isascii() and text.isalpha() and not prev.text.rstrip()[-1:].isascii()):
        return False
    if visible_len(text) > 2 and _runs_on_into(blocks, i + 1, ctx):
        return False
    # the first line of a headline wrapped in a narrow column (甘肃加强祁连 / 山等重点生态):
    # a word runs across the cut into the line right under it
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    return not (nxt is not None and nxt.goes_on_from(blocks[i]) and visible_len(text) > 2 and (
        segment.spans_boundary(text, nxt.text) or (
            nxt.line == blocks[i].line + 1 and visible_len(text) >= 4
            and visible_len(nxt.text) >= visible_len(text) - 1 and cut_at_one_width([text, nxt.text]))))


def _runs_on_into(blocks: list[Block], j: int, ctx: ClassifyContext) -> bool:
    """Is block ``j`` running text a short line before it could continue (not a heading, a
    byline, a masthead line, a jump line, or another short line)?"""
    if j >= len(blocks):
        return False
    b = blocks[j]
    return (not b.marked and b.figure is None and visible_len(b.text) > 6 and not looks_like_byline(b.text)
            and not _jump_test(ctx, j) and not _is_masthead_text(b.text, ctx))


def _fragment_run(ctx: ClassifyContext, i: int) -> None:
    ctx.blocks[i].kind = Kind.FRAGMENT


def _body_run(ctx: ClassifyContext, i: int) -> None:
    ctx.blocks[i].kind = Kind.BODY


#: What a line's own text says it is, for every input (see :mod:`converters.rules`): the
#: first rule whose test passes decides; a paper's quirk is one ``CONTENT_RULES.add``.
CONTENT_RULES: Rules[ClassifyContext] = Rules([
    Rule("figure", 100, _figure_test, _figure_run),
    Rule("jump", 90, _jump_test, _jump_run),
    Rule("masthead", 80, _masthead_test, _masthead_run),
    Rule("page-staff", 78, _staff_test, _staff_run),
    Rule("folio", 75, _folio_test, _folio_run),
    Rule("lead", 70, _lead_test, _lead_run),
    Rule("credit", 68, _credit_test, _credit_run),
    Rule("byline", 65, _byline_test, _byline_run),
    Rule("byline-name", 62, _byline_name_test, _byline_name_run),
    Rule("caption", 55, _caption_test, _caption_run),
    Rule("caption-before-credit", 54, _caption_before_credit_test, _caption_run),
    Rule("marked-fragment", 52, _marked_fragment_test, _fragment_run),
    Rule("marked-name", 51, _marked_name_test, _bare_name_run),
    Rule("heading", 50, _heading_test, _heading_run),
    Rule("bare-name", 45, _bare_name_test, _bare_name_run),
    Rule("fragment", 30, _fragment_test, _fragment_run),
    Rule("body", 0, lambda *_: True, _body_run),
])


def classify(blocks: list[Block], ctx: ClassifyContext, rules: Rules[ClassifyContext] | None = None) -> list[Block]:
    """Classify ``blocks`` in place (and return them); ``ctx.facts`` collects the masthead."""
    from converters.structure import resolve

    ordered = (rules if rules is not None else CONTENT_RULES).ordered()
    ctx.blocks = blocks
    ctx.has_marks = any(b.marked for b in blocks)
    for i, block in enumerate(blocks):
        if block.kind is not Kind.FIGURE:
            block.kind = Kind.BODY
        run_first(ordered, ctx, i)
    return resolve(blocks)
