"""Plain dataclasses that flow between the stages."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from converters.headline import Headline


class Severity(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Issue:
    """A warning or error about one place in one dump: what the editor sees in the report.

    The stages say what happened (``code`` and ``params``); the sentence, in Chinese or
    English, is made by :mod:`converters.messages`.
    """

    severity: Severity
    code: str  # stable machine-readable id, e.g. "orphan-fragment-dropped"
    line: int = 0  # 1-based line in the dump, 0 when it concerns the whole file
    dropped: str = ""  # text of the dump that is not in any article, if any
    params: tuple = ()  # (name, value) pairs, sorted: what the sentence says
    detail: tuple[str, ...] = ()  # lines shown under the message (a diff)

    @classmethod
    def of(cls, severity: Severity, code: str, line: int = 0, dropped: str = "", detail: tuple[str, ...] = (),
           **params) -> Issue:
        return cls(severity, code, line, dropped, tuple(sorted(params.items())), tuple(detail))

    def message(self, lang: str | None = None) -> str:
        from converters.messages import render

        return render(self.code, {"line": self.line, **dict(self.params)}, lang)

    def as_dict(self, lang: str | None = None) -> dict:
        d = {"severity": str(self.severity), "code": self.code, "line": self.line, "message": self.message(lang)}
        if self.params:
            d["params"] = dict(self.params)
        if self.dropped:
            d["dropped"] = self.dropped
        if self.detail:
            d["diff"] = list(self.detail)
        return d


class Kind(enum.StrEnum):
    """What a block of the dump is, in the newspaper's own words."""

    MASTHEAD = "masthead"  # 报头: paper name, date, issue, CN number
    FOLIO = "folio"  # 版头 of an inner page: date, page number, page name
    KICKER = "kicker"  # 引题 set above the title (### before ##)
    HEADLINE = "headline"  # 主题 (possibly with kicker or subtitle on the same line)
    SUBTITLE = "subtitle"  # 副题 (### right after ##)
    BYLINE = "byline"  # 本报记者 X Y
    BYLINE_NAME = "byline-name"  # a lone name continuing a byline split one name per line
    LEAD = "lead"  # a body paragraph that opens with a dateline: 本报讯(记者 X)…
    SUBHEAD = "subhead"  # 小标题 inside an article
    CAPTION = "caption"  # photo caption with credit
    JUMP = "jump"  # (下转第二版) / (上接第一版)
    CREDIT = "credit"  # credits closing a story: （本报记者吴储岐、韩俊杰）
    FIGURE = "figure"  # a picture reference of the layout tool (![](images/…jpg), <!-- image -->)
    FRAGMENT = "fragment"  # orphan piece of a title graphic
    BODY = "body"


@dataclass(eq=False, slots=True)
class Block:
    """One non-empty line of the dump: the unit every later stage works on."""

    line: int  # 1-based line number in the dump
    text: str  # stripped text, heading marks kept
    blank_before: int = 0  # blank lines before it: a column cut or a block break
    kind: Kind = Kind.BODY
    level: int = 0  # heading level for '#' lines
    # What the rules parsed from it (typed, and only what its kind carries):
    jump: JumpRef | None = None  # JUMP: where the story goes on or comes from
    lead: Lead | None = None  # LEAD: its dateline and the text after it
    credits: Credits | None = None  # LEAD, CREDIT, BYLINE: the names it gives
    names_follow: str = ""  # a BYLINE of a role alone (本报记者): "authors" or "correspondents" on the next lines
    bare_names: bool = False  # a BYLINE of names alone (陈  凌): a byline only where it stands
    trailing: bool = False  # a BYLINE that closes its story (after the body)
    head: int = 0  # KICKER/HEADLINE/SUBTITLE: the headline it is a deck of (1, 2, …; 0: none)
    decks: Headline | None = None  # a HEADLINE that is the story's only deck: kicker/title/subtitle/column it holds
    folio_page: int | None = None  # FOLIO: the page number it prints
    page_staff: bool = False  # FOLIO: the page's staff (本版责编：…), named in the report
    fragment_why: str = ""  # FRAGMENT: why it is not text of a story ("": a piece of a title graphic)
    bold: bool = False  # the whole line was set in emphasis (**…**): a heading hint
    indent: bool = False  # the line was indented (　　): a paragraph start in hard-wrapped text
    figure: Figure | None = None  # for FIGURE blocks: the picture the tool referenced
    marked: bool = False  # the layout tool marked it as a heading (# or bold): a hint, not a verdict
    one_type: bool = False  # the tool wrote it in one block with the line above, in the same type size
    # What the page's layout says, where a reader knows it (the PDF reader; a dump gives none):
    box: tuple[float, float, float, float] | None = None  # points from the page's top-left, y down
    size: float = 0.0  # type size in points (0: unknown)
    weight: int = 0  # 700 bold, 400 regular (0: unknown)
    column: int = -1  # the text column it is set in, left to right across the page (-1: unknown)
    # the layout shows a whole paragraph, or a hard-wrapped dump set the line apart (a subhead's
    # shape): reflow joins nothing to it or after it
    whole: bool = False
    story: int = -1  # the story the layout sets it in (the PDF reader's flow; -1: unknown)

    @property
    def running_text(self) -> str:
        """The text a reader reads: a dateline lead's words after its dateline and credits."""
        return self.lead.rest if self.kind is Kind.LEAD and self.lead is not None else self.text

    def goes_on_from(self, upper: Block) -> bool:
        """Written in one block with ``upper``, the line before it (no blank line between,
        neither marked as a heading): maybe the rest of one line of type that the column's
        width cut (the callers say what more it takes)."""
        return not upper.marked and not self.marked and self.blank_before == 0


@dataclass(frozen=True)
class JumpRef:
    """A jump line: ``on`` (下转第N版, the story goes on there) or ``from`` (上接, it comes from there)."""

    direction: str  # "on" or "from"
    page: int | None


@dataclass(frozen=True)
class Lead:
    """A dateline lead (本报北京3月25日电（记者 X）…): the dateline, and the text after it."""

    dateline: str
    rest: str


@dataclass(frozen=True)
class Figure:
    """A picture the layout tool referenced: ``src`` as written in the dump ("" when the tool
    wrote only a placeholder), and where the converter put the file (filled by the writer)."""

    src: str
    alt: str = ""
    line: int = 0


@dataclass
class Credits:
    authors: list[str] = field(default_factory=list)
    correspondents: list[str] = field(default_factory=list)
    role: str = ""  # the reporters' role as printed: 本报记者, 新华社记者, 记者 ("" for a bare name)


@dataclass(eq=False)
class Paragraph:
    text: str
    line: int
    subhead: bool = False


@dataclass(eq=False)
class Article:
    """An article as assembled from the dump, before and after reflow."""

    line: int  # where it starts in the dump
    title: str = ""
    kicker: str = ""
    subtitle: str = ""
    column: str = ""
    title_inferred: bool = False
    headline_in_dump: bool = False
    authors: list[str] = field(default_factory=list)
    author_role: str = ""  # 本报记者 / 记者 as the byline prints it; "" for a bare name or none
    correspondents: list[str] = field(default_factory=list)
    dateline: str = ""
    caption: str = ""
    continued_on: int | None = None
    continued_on_slug: str = ""  # a first part's continuation, once paired (the edition pass)
    continued_from: int | None = None
    continued_from_slug: str = ""  # a continuation's first part, once paired (link stage)
    figures: list[Figure] = field(default_factory=list)  # pictures of the story, in dump order
    images: list[str] = field(default_factory=list)  # their files in the content folder (write stage)
    body: list[Block] = field(default_factory=list)  # BODY / LEAD / SUBHEAD blocks, in order
    paragraphs: list[Paragraph] = field(default_factory=list)  # filled by reflow
    cities: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    slug: str = ""
    order: int = 0

    @property
    def has_body(self) -> bool:
        return any(b.kind in (Kind.BODY, Kind.LEAD) for b in self.body)


@dataclass
class PageFacts:
    """What a dump says (or its path says) about its edition and page."""

    paper: str = ""
    paper_slug: str = ""
    date: str = ""  # YYYY-MM-DD
    weekday: str = ""
    lunar: str = ""
    issue: int | None = None
    page: int | None = None
    pages_total: int | None = None
    section: str = ""
    cn: str = ""
    postal_code: str = ""


@dataclass
class Page:
    """One converted dump."""

    source: str  # path as given, relative to the repo when possible
    facts: PageFacts
    articles: list[Article] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    encoding: str = "utf-8"
    dialect: str = ""  # the layout tool's conventions, as the dialect stage recognised them
    masthead_paper: str = ""  # the paper's name as this page's masthead prints it (front pages)

    def warn(self, code: str, line: int = 0, dropped: str = "", detail: tuple[str, ...] = (), **params) -> None:
        self.issues.append(Issue.of(Severity.WARNING, code, line, dropped, detail, **params))

    def error(self, code: str, line: int = 0, **params) -> None:
        self.issues.append(Issue.of(Severity.ERROR, code, line, **params))

    def info(self, code: str, line: int = 0, dropped: str = "", **params) -> None:
        self.issues.append(Issue.of(Severity.INFO, code, line, dropped, **params))

    @property
    def has_errors(self) -> bool:
        return any(i.severity is Severity.ERROR for i in self.issues)
