"""Stage 3, classify: give every block a :class:`Kind`, from its content and its neighbours.

Two passes.  The first (here) is modelled on Python-Markdown's block processors: a
registry of small processors, each with ``test`` and ``run``, tried in priority order on
each block left to right; the first whose test passes decides.  They recognise what a
line's own text says it is: a jump line, the masthead and folio, a dateline lead, credits,
a byline, a caption, a picture, a fragment of a title graphic.  A heading mark (``#``,
``**bold**``) only makes a block a *heading candidate*: layout tools disagree on marks.

The second pass (:mod:`converters.structure`) decides what the heading candidates are —
a story's kicker, title and subtitle, or a subhead inside a story — and whether a
name-shaped line is a byline, from where they stand: a title is followed by a byline, a
dateline lead or a jump line, or opens the page or follows a story's end; a subhead sits
between body paragraphs of one story.  A new quirk of some paper is one new processor.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from converters import credits as cr
from converters import masthead as mh
from converters.model import Block, Kind, PageFacts
from converters.textutil import ends_sentence, has_sentence_punct, visible_len

DATELINE = re.compile(
    r"^(?P<dateline>(?:本报|新华社|中新社)(?:讯|[\u4e00-\u9fff]{0,6}\d{1,2}月\d{1,2}日[电讯])|据新华社电)"
    r"[\s\u3000]*(?:[(（](?P<credits>[^()（）]{1,80})[)）])?[\s\u3000]*(?P<rest>.*)$")
JUMP = re.compile(r"^[(（]\s*(?P<dir>下转|上接|紧接|转|接)\s*第?\s*"
                  r"(?P<page>[一二三四五六七八九十百\d]{1,4})\s*版\s*[)）]$")
#: How a photo caption ends: its credit.
CAPTION_CREDITS = ("供图", "摄影", "摄", "制图", "新华社发", "资料图片", "视觉中国")


@dataclass
class ClassifyContext:
    paper_names: dict[str, str] = field(default_factory=dict)  # masthead text -> paper name
    facts: PageFacts = field(default_factory=PageFacts)
    has_marks: bool = True  # does the dump mark headings (# or bold) at all?
    seen_headline: bool = False


@dataclass
class Processor:
    name: str
    priority: int
    test: Callable[[list[Block], int, ClassifyContext], bool]
    run: Callable[[list[Block], int, ClassifyContext], None]


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
    name (本报评论员)."""
    return len(text) <= 50 and cr.ROLE_HINT.search(text) is not None and (
        cr.is_lone_role(text) or bool(cr.COLLECTIVE.match(text)) or cr.parse_credits(text) is not None)


# -- processors ----------------------------------------------------------------

def _figure_test(blocks, i, ctx):
    return blocks[i].figure is not None


def _figure_run(blocks, i, ctx):
    blocks[i].kind = Kind.FIGURE


def _jump_test(blocks, i, ctx):
    t = blocks[i].text
    return (t[:1] in "(（") and bool(JUMP.match(t))


def _jump_run(blocks, i, ctx):
    m = JUMP.match(blocks[i].text)
    b = blocks[i]
    b.kind = Kind.JUMP
    b.data = {"direction": "on" if m["dir"] in ("下转", "转") else "from", "page": mh.cn_numeral(m["page"])}


# A web address: the paper's site printed in its masthead (人民网网址：www.people.com.cn).
_WEB_ADDRESS = re.compile(r"(?i)(?:https?://|www\.)[\w.-]+|\b[\w-]+\.(?:com|cn|net|org)\b")


def _masthead_test(blocks, i, ctx):
    text = blocks[i].text
    if _is_masthead_text(text, ctx):
        return True
    return bool(mh.LATIN_MASTHEAD.match(text) or mh.PAPER_NAME.match(text)
                or (len(text) <= 40 and _WEB_ADDRESS.search(text))) and _near_masthead(blocks, i, ctx)


def _masthead_run(blocks, i, ctx):
    b = blocks[i]
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
    b.data = {"masthead": True}


# The page name before the page number on one line (评论 05), as a tool joins a folio's items.
_FOLIO_SECTION_PAGE = re.compile(r"^(?P<section>[\u4e00-\u9fff]{1,6})[\s·:：]*(?P<page>\d{1,3})$")


def _folio_match(text: str) -> re.Match | None:
    return mh.FOLIO_PAGE_SECTION.match(text) or mh.FOLIO_PAGE.match(text) or _FOLIO_SECTION_PAGE.match(text)


def _folio_test(blocks, i, ctx):
    if ctx.seen_headline:
        return False
    text = blocks[i].text
    if _folio_match(text):
        return _near_masthead(blocks, i, ctx)
    # The page name (版名) printed next to the folio's page number.
    prev = blocks[i - 1] if i > 0 else None
    return (prev is not None and prev.kind is Kind.FOLIO and "page" in prev.data
            and bool(mh.SECTION_WORD.match(text)))


def _folio_run(blocks, i, ctx):
    b = blocks[i]
    b.kind = Kind.FOLIO
    m = _folio_match(b.text)
    if m:
        b.data = {"page": int(m["page"])}
        ctx.facts.page = int(m["page"])
        section = m.groupdict().get("section")
        if section:
            ctx.facts.section = section
    else:
        b.data = {"section": b.text}
        ctx.facts.section = b.text


def _lead_test(blocks, i, ctx):
    t = blocks[i].text
    return t[:1] in "本新中据" and bool(DATELINE.match(t))


def _lead_run(blocks, i, ctx):
    b = blocks[i]
    m = DATELINE.match(b.text)
    data: dict = {"dateline": m["dateline"], "authors": [], "correspondents": [], "rest": m["rest"]}
    if m["credits"]:
        c = cr.parse_credits(m["credits"])
        if c is not None:
            data["authors"], data["correspondents"], data["author_role"] = c.authors, c.correspondents, c.role
        else:  # not credits after all: keep the parenthesis as text
            data["rest"] = b.text[len(m["dateline"]):].lstrip()
    b.kind = Kind.LEAD
    b.data = data


def _credit_test(blocks, i, ctx):
    t = blocks[i].text
    return t[:1] in "(（" and t[-1:] in ")）" and len(t) <= 200 and cr.parse_closing_credits(t) is not None


def _credit_run(blocks, i, ctx):
    b = blocks[i]
    c = cr.parse_closing_credits(b.text)
    b.kind = Kind.CREDIT
    b.data = {"authors": c.authors, "correspondents": c.correspondents, "author_role": c.role}


def _byline_test(blocks, i, ctx):
    return looks_like_byline(blocks[i].text)


def _byline_run(blocks, i, ctx):
    b = blocks[i]
    b.kind = Kind.BYLINE
    if cr.COLLECTIVE.match(b.text):  # 本报评论员: the newsroom signs
        b.data = {"authors": [b.text], "correspondents": []}
        return
    c = cr.parse_credits(b.text)
    if c is None:  # a lone role word: the names follow, one per line (or close the story)
        reporter = cr.role_is_reporter(b.text)
        b.data = {"authors": [], "correspondents": [], "role": "reporter" if reporter else "correspondent",
                  "author_role": b.text.strip() if reporter else ""}
    else:
        b.data = {"authors": c.authors, "correspondents": c.correspondents, "author_role": c.role}


def _byline_name_test(blocks, i, ctx):
    prev = blocks[i - 1] if i > 0 else None
    if prev is None or prev.kind not in (Kind.BYLINE, Kind.BYLINE_NAME):
        return False
    if prev.kind is Kind.BYLINE and prev.data.get("role") is None:
        return False
    return cr.looks_like_name(blocks[i].text)


def _byline_name_run(blocks, i, ctx):
    b = blocks[i]
    b.kind = Kind.BYLINE_NAME
    b.data = {"name": b.text}


# The agency after a photographer's credit: 周敏岚摄（人民视觉）, 陈海伟摄（影像中国）.
_CREDIT_AGENCY = re.compile(r"\s*[（(][^（()）]{1,12}[)）]$")


def is_caption_text(text: str) -> bool:
    """``俯瞰…新区。 管委会供图``, ``周敏岚摄（人民视觉）``: ends with a photo credit (its
    agency in brackets after it), is not a sentence."""
    if len(text) > 200 or ends_sentence(text):
        return False
    return text.rstrip(")）").endswith(CAPTION_CREDITS) or _CREDIT_AGENCY.sub("", text).endswith(CAPTION_CREDITS)


def _caption_test(blocks, i, ctx):
    return is_caption_text(blocks[i].text)


def _caption_run(blocks, i, ctx):
    blocks[i].kind = Kind.CAPTION


def _caption_before_credit_test(blocks, i, ctx):
    """A short line right above a photo credit standing alone (陈海伟摄（影像中国）): the
    caption the credit closes, set on lines of its own."""
    b = blocks[i]
    if b.marked or b.figure is not None or i + 1 >= len(blocks) or visible_len(b.text) > 60:
        return False
    credit = blocks[i + 1].text
    return visible_len(credit) <= 20 and is_caption_text(credit) and not is_caption_text(b.text)


def _marked_fragment_test(blocks, i, ctx):
    b = blocks[i]
    return b.marked and visible_len(b.text) <= 1


def _heading_test(blocks, i, ctx):
    return blocks[i].marked


def _heading_run(blocks, i, ctx):
    """A heading candidate: :mod:`converters.structure` decides which deck or subhead it is."""
    blocks[i].kind = Kind.HEADLINE
    ctx.seen_headline = True


def _bare_name_test(blocks, i, ctx):
    t = blocks[i].text
    return visible_len(t) <= 14 and not has_sentence_punct(t) and cr.parse_bare_names(t) is not None


def _marked_name_test(blocks, i, ctx):
    """Names alone on a marked line right under a heading: a byline the tool wrote as a
    heading (``## 陈  凌``, ``### 王云杉``); the mark is only a hint."""
    if not blocks[i].marked or not _bare_name_test(blocks, i, ctx):
        return False
    prev = next((b for b in reversed(blocks[:i]) if b.figure is None), None)
    return prev is not None and prev.kind is Kind.HEADLINE


def _bare_name_run(blocks, i, ctx):
    """Names alone on a line: a byline only where it stands under a headline or closes a
    story (decided by the structure pass), else a fragment."""
    b = blocks[i]
    b.kind = Kind.BYLINE
    b.data = {"authors": cr.parse_bare_names(b.text), "correspondents": [], "bare": True}


def _fragment_test(blocks, i, ctx):
    text = blocks[i].text
    if visible_len(text) > 6 or has_sentence_punct(text):
        return False
    prev = blocks[i - 1] if i > 0 else None
    # Right after a body line cut mid-sentence, a short line is that sentence's end; right
    # before running text, it is the first piece of a paragraph cut by a column.
    if prev is not None and prev.kind in (Kind.BODY, Kind.LEAD) and not ends_sentence(prev.text):
        return False
    return not (visible_len(text) > 2 and _runs_on_into(blocks, i + 1, ctx))


def _runs_on_into(blocks: list[Block], j: int, ctx: ClassifyContext) -> bool:
    """Is block ``j`` running text a short line before it could continue (not a heading, a
    byline, a masthead line, a jump line, or another short line)?"""
    if j >= len(blocks):
        return False
    b = blocks[j]
    return (not b.marked and b.figure is None and visible_len(b.text) > 6 and not looks_like_byline(b.text)
            and not _jump_test(blocks, j, ctx) and not _is_masthead_text(b.text, ctx))


def _fragment_run(blocks, i, ctx):
    blocks[i].kind = Kind.FRAGMENT


def _body_run(blocks, i, ctx):
    blocks[i].kind = Kind.BODY


PROCESSORS: list[Processor] = sorted([
    Processor("figure", 100, _figure_test, _figure_run),
    Processor("jump", 90, _jump_test, _jump_run),
    Processor("masthead", 80, _masthead_test, _masthead_run),
    Processor("folio", 75, _folio_test, _folio_run),
    Processor("lead", 70, _lead_test, _lead_run),
    Processor("credit", 68, _credit_test, _credit_run),
    Processor("byline", 65, _byline_test, _byline_run),
    Processor("byline-name", 62, _byline_name_test, _byline_name_run),
    Processor("caption", 55, _caption_test, _caption_run),
    Processor("caption-before-credit", 54, _caption_before_credit_test, _caption_run),
    Processor("marked-fragment", 52, _marked_fragment_test, _fragment_run),
    Processor("marked-name", 51, _marked_name_test, _bare_name_run),
    Processor("heading", 50, _heading_test, _heading_run),
    Processor("bare-name", 45, _bare_name_test, _bare_name_run),
    Processor("fragment", 30, _fragment_test, _fragment_run),
    Processor("body", 0, lambda *_: True, _body_run),
], key=lambda p: -p.priority)


def classify(blocks: list[Block], ctx: ClassifyContext,
             processors: list[Processor] | None = None) -> list[Block]:
    """Classify ``blocks`` in place (and return them); ``ctx.facts`` collects the masthead."""
    from converters.structure import resolve

    procs = processors if processors is not None else PROCESSORS
    ctx.has_marks = any(b.marked for b in blocks)
    for i, block in enumerate(blocks):
        if block.kind is not Kind.FIGURE:
            block.kind = Kind.BODY
        for proc in procs:
            if proc.test(blocks, i, ctx):
                proc.run(blocks, i, ctx)
                break
    return resolve(blocks)
