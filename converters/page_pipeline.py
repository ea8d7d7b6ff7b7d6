"""The page pipeline: one dump or page PDF through the stages, to a rendered page.

``convert_text`` is pure (text in, :class:`Page` out); ``convert_blocks`` starts from blocks
whose roles are decided (a dump's, or a page PDF's); ``convert_job`` is what a worker runs for
one dump: read, decode, limits, the page PDF beside it, convert, render (``converters.workers``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from pathlib import Path

from converters import masthead as mh
from converters.assemble import assemble
from converters.blocks import read_blocks
from converters.classify import ClassifyContext, classify
from converters.dialects import dialect_name
from converters.enrich import enrich
from converters.figures import resolve_figures
from converters.identity import keep_slugs
from converters.link import agree, facts_from_path, masthead_date_check
from converters.model import Issue, Kind, Page, PageFacts, Severity
from converters.pdf import pictures as pdf_pictures
from converters.pdf import source as pdf_source
from converters.read import NotText, decode
from converters.reflow import reflow
from converters.workers import Job, Result, rendered_result
from converters.write import sha256
from epaper_contract.papers import Paper

MAX_BYTES = 64 * 1024 * 1024  # not even read beyond this


#: A printed page's limits, with room to spare.  A broadsheet page set solid with body type
#: holds some 15,000-20,000 characters (about 60 KB of UTF-8); the largest real dump in this
#: repository (tests/pdfset, raw/) is 18 KB with 6 stories, and a page of briefs carries
#: 20-30.  A dump over either limit is several pages run together, or not a page at all:
#: refused with its numbers, not turned into thousands of articles (issue 25: a 50 MB dump
#: became 16,056 articles).
PAGE_TEXT_LIMIT = 200 * 1024  # bytes of text (UTF-8)


PAGE_STORY_LIMIT = 50


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def valid_date(text: str) -> bool:
    """``YYYY-MM-DD`` and a real calendar date: it becomes a folder name under content/."""
    if not _DATE.match(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def valid_paper_slug(text: str) -> bool:
    """A paper slug is a folder and URL name: lower-case ASCII letters, digits, '-' and '_'."""
    return bool(_SLUG.match(text))


def paper_names(papers: Iterable[Paper]) -> dict[str, str]:
    """Masthead texts that name a paper (its name, publisher) -> the paper's name."""
    names: dict[str, str] = {}
    for p in papers:
        for text in (p.name, p.publisher):
            if text:
                names[text] = p.name
    return names


def convert_text(text: str, source: str, *, paper: Paper, names: dict[str, str],
                 path_facts: PageFacts | None = None, option_facts: PageFacts | None = None,
                 with_tags: bool = True, previous: list[dict] | None = None) -> Page:
    """One dump's text -> a :class:`Page` of enriched articles (no file system involved)."""
    ctx = ClassifyContext(paper_names=names)
    raw_blocks, dump = read_blocks(text)
    blocks = classify(raw_blocks, ctx)
    masthead = ctx.facts
    if masthead.paper and masthead.page is None and any(b.kind is Kind.MASTHEAD for b in blocks):
        masthead.page = 1  # a masthead with the paper's name is printed on the front page only
    return convert_blocks(blocks, masthead, source, paper=paper, names=names, path_facts=path_facts,
                          option_facts=option_facts, with_tags=with_tags, previous=previous,
                          issues=dump.issues, dialect=dialect_name(dump))


def convert_blocks(blocks: list, masthead: PageFacts, source: str, *, paper: Paper, names: dict[str, str],
                   path_facts: PageFacts | None = None, option_facts: PageFacts | None = None,
                   with_tags: bool = True, previous: list[dict] | None = None, issues: Iterable[Issue] = (),
                   dialect: str = "") -> Page:
    """Blocks whose roles are decided (from a dump or a page PDF) and the masthead's facts ->
    a :class:`Page` of enriched articles: facts agreed, then assemble, reflow, enrich."""
    masthead.date, suspect = masthead_date_check(masthead, path_facts or PageFacts())
    agreed = agree(masthead, path_facts or PageFacts(), option_facts or PageFacts())
    facts = agreed.facts
    facts.paper = facts.paper or paper.name
    facts.paper_slug = paper.slug
    if not facts.cn:
        facts.cn = paper.cn
    if not facts.section and facts.page is not None:
        facts.section = paper.sections.get(facts.page, "")
    page = Page(source=source, facts=facts, masthead_paper=masthead.paper)
    page.issues.extend(issues)
    if suspect is not None:
        code = suspect.pop("code")
        if code == "masthead-date-inconsistent":  # fits no date it could be: the masthead is wrong
            page.error(code, mh.date_line_number(blocks, masthead.date)[0], **suspect)
        else:
            page.warn(code, **suspect)
    if masthead.date and (why := mh.impossible_date(masthead.date)) is not None:
        line, text = mh.date_line_number(blocks, masthead.date)
        page.error("masthead-date-impossible", line, text=text, why_zh=why[0], why=why[1])
    if masthead.paper and masthead.paper not in names:  # read from the masthead's shape alone
        page.warn("paper-name-unknown", name=masthead.paper, paper=paper.slug)
    page.dialect = dialect
    for b in blocks:
        if b.kind is Kind.FOLIO and b.page_staff:
            page.info("page-staff", b.line, text=b.text)
    for note in agreed.disagreements:
        page.warn("facts-disagree", **note)
    if facts.date and not valid_date(facts.date):
        if facts.date != masthead.date:  # the masthead's is reported above, with its line
            page.error("bad-date", date=facts.date)
    elif not facts.date:
        page.error("no-date")
    if facts.page is None:
        page.error("no-page")
    if page.has_errors:
        return page
    articles = assemble(blocks, page)
    if not articles:
        page.warn("no-articles")
    page.articles = reflow(articles, page)
    page = enrich(page, with_tags=with_tags)
    keep_slugs(page, previous or [])
    return page


def convert_job(job: Job) -> Result:
    path = Path(job.path)
    if path.suffix.lower() == ".pdf":  # issue 23: a page PDF without a dump (converters/pdf)
        return convert_pdf_job(job, path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Result(job.key, job.path, "", refused=Issue.of(Severity.ERROR, "refused-unreadable",
                                                              reason=exc.strerror or str(exc)))
    digest = source_digest(path, data)
    if len(data) > MAX_BYTES:
        return Result(job.key, job.path, digest,
                      refused=Issue.of(Severity.ERROR, "refused-too-large", size=len(data) // (1024 * 1024),
                                       limit=MAX_BYTES // (1024 * 1024)))
    try:
        decoded = decode(data)
    except NotText as exc:
        return Result(job.key, job.path, digest, refused=Issue.of(Severity.ERROR, exc.code, **exc.params))
    if not decoded.text.strip():
        page = Page(source=job.path, facts=facts_from_path(job.key))
        page.warn("empty-dump")
        return rendered_result(job.key, job.path, digest, page)
    text_bytes = len(decoded.text.encode("utf-8"))
    if text_bytes > PAGE_TEXT_LIMIT:
        return Result(job.key, job.path, digest, refused=Issue.of(
            Severity.ERROR, "refused-not-a-page", size=_kb(text_bytes), limit=_kb(PAGE_TEXT_LIMIT)))
    odd_name = odd_page_name(job.key)
    path_facts = PageFacts(date=Path(job.key).parent.name) if odd_name else facts_from_path(job.key)

    # -- issue 23: the page PDF beside the dump, when usable, decides the structure (converters/pdf) --
    beside = pdf_source.pdf_beside(path)
    page = None
    pictures: list[tuple[str, bytes]] = []
    pdf_issues: list[Issue] = []
    if beside is not None:
        with pdf_source.OpenedPage(beside, 0) as opened:
            page, pictures, pdf_issues = _convert_beside(job, opened, decoded.text, path_facts)
    if page is None:
        page = convert_text(decoded.text, job.path, paper=job.paper, names=job.names,
                            path_facts=path_facts, option_facts=job.options,
                            with_tags=job.with_tags, previous=job.previous)
    page.issues[:0] = [_fallback(i, DUMP_USED) for i in pdf_issues]
    # -- end of issue 23's reading step --
    if odd_name:
        _name_issue(page, Path(job.key).name)
    page.encoding = decoded.encoding
    page.issues[:0] = decoded.issues
    if len(page.articles) > PAGE_STORY_LIMIT:
        page.error("refused-too-many-stories", stories=len(page.articles), limit=PAGE_STORY_LIMIT,
                   size=_kb(text_bytes))
        page.articles = []
    files = resolve_figures(page, path) if not page.has_errors else []
    return rendered_result(job.key, job.path, digest, page, files, pictures if not page.has_errors else None)


_PAGE_STEM = re.compile(r"^\d{1,3}$")


def odd_page_name(key: str) -> bool:
    """A dump in a date folder (``2024-03-19/…``) named otherwise than ``PP.txt``
    (``第05版 要闻.txt``, ``06 .txt``, ``01 (1).txt``): its folder gives the date, its name no page."""
    path = Path(key)
    return valid_date(path.parent.name) and not _PAGE_STEM.match(path.stem)


def expected_name(name: str, page: int | None) -> str:
    """The name the dump should have: ``05.txt`` from its page, else from the one number in
    its name; ``PP.txt`` when neither says."""
    suffix = Path(name).suffix
    if page is None:
        numbers = re.findall(r"\d{1,3}", Path(name).stem)
        page = int(numbers[0]) if len(numbers) == 1 and int(numbers[0]) > 0 else None
    return f"{page:02d}{suffix}" if page is not None else f"PP{suffix}"


def _name_issue(page: Page, name: str) -> None:
    """Say what is wrong with the name: an error in place of ``no-page`` when no folio or
    masthead gives the page either, else a warning (the page is converted as its folio says)."""
    no_page = [i for i in page.issues if i.code == "no-page"]
    if no_page:
        page.issues = [i for i in page.issues if i.code != "no-page"]
        page.error("file-name-not-page", name=name, expected=expected_name(name, None))
    else:
        page.warn("file-name-odd", name=name, expected=expected_name(name, page.facts.page), page=page.facts.page)


def _kb(size: int) -> str:
    """A size in KB as the report prints it (one decimal below 10 KB)."""
    return f"{size / 1024:.1f}" if size < 10 * 1024 else f"{size // 1024:,}"


#: A dump referencing a picture (Markdown or HTML): the PDF's stories take its files.
_FIGURE_REFERENCE = re.compile(r"!\[[^\]]*\]\(|<img\b", re.I)


#: What the converter did instead of reading the page PDF, as the message's {fallback} says it.
DUMP_USED, NOTHING_CONVERTED = "the dump is converted instead", "nothing of it is converted"


def _fallback(issue: Issue, what: str) -> Issue:
    """A PDF issue saying what the converter did instead (when the PDF was not used).  With no
    dump to fall back on the page is lost: an error (the edition is not published without it,
    unless FORCE=1), never a warning the editor may pass over."""
    if issue.code in ("pdf-dump-differ",):
        return issue
    severity = Severity.ERROR if what == NOTHING_CONVERTED else issue.severity
    return Issue(severity, issue.code, issue.line, issue.dropped,
                 tuple(sorted({**dict(issue.params), "fallback": what}.items())), issue.detail)


def _report_left_out(page: Page, reading) -> None:
    """The advertisements and the labels heading no story that the PDF reader left out of
    the stories, named in the page's report."""
    for words in reading.adverts:
        page.info("advert-skipped", 0, text=words)
    for words in reading.labels:
        page.info("page-label", 0, text=words)


def _convert_beside(job: Job, opened: pdf_source.OpenedPage, dump_text: str,
                    path_facts: PageFacts) -> tuple[Page | None, list[tuple[str, bytes]], list[Issue]]:
    """The page from the PDF beside its dump, when the PDF is usable and agrees with the dump:
    (page or None, its figures' files, the PDF's issues)."""
    reading, pdf_issues = pdf_source.read_pdf(opened, job.names)
    if reading is not None:
        use, checked = pdf_source.cross_check(reading, dump_text, opened.path)
        pdf_issues += checked
        reading = reading if use else None
    if reading is None:
        return None, [], pdf_issues
    try:
        page = convert_blocks(reading.blocks, reading.facts, job.path, paper=job.paper, names=job.names,
                              path_facts=path_facts, option_facts=job.options,
                              with_tags=job.with_tags, previous=job.previous, dialect="pdf")
        page.masthead_paper = reading.masthead_paper
        _report_left_out(page, reading)
        if _FIGURE_REFERENCE.search(dump_text):  # the dump's own picture files, in the PDF's stories
            pdf_pictures.take_dump_figures(page, convert_text(
                dump_text, job.path, paper=job.paper, names=job.names, path_facts=path_facts,
                option_facts=job.options, with_tags=False))
        return page, pdf_pictures.resolve_pdf_figures(page, opened.page), pdf_issues
    except Exception as exc:  # a page the PDF reader cannot make sense of: the dump, and the reason
        pdf_issues.append(Issue.of(Severity.WARNING, "pdf-unusable", file=opened.path.as_posix(),
                                   reason=f"the PDF reader failed on it: {type(exc).__name__}: {exc}"))
        return None, [], pdf_issues


def convert_pdf_job(job: Job, path: Path) -> Result:
    """A page PDF alone (``01.pdf``), or one page of an edition PDF (key ``…/edition.pdf#3``)."""
    key, _, number = job.key.partition("#")
    index = int(number) - 1 if number else 0
    try:
        digest = sha256(path.read_bytes())
    except OSError as exc:
        return Result(job.key, job.path, "", refused=Issue.of(Severity.ERROR, "refused-unreadable",
                                                              reason=exc.strerror or str(exc)))
    with pdf_source.OpenedPage(path, index) as opened:
        return _convert_opened(job, opened, digest, facts_from_path(key) if not number else _folder_date(key),
                               index if number else None)


def _convert_opened(job: Job, opened: pdf_source.OpenedPage, digest: str, path_facts: PageFacts,
                    index: int | None) -> Result:
    """``convert_pdf_job`` on the opened page (``index``: its place in an edition PDF, or None)."""
    reading, issues = pdf_source.read_pdf(opened, job.names)
    if reading is None:
        page = Page(source=job.path, facts=path_facts)
        page.issues.extend(_fallback(i, NOTHING_CONVERTED) for i in issues)
        return rendered_result(job.key, job.path, digest, page)
    if index is not None and reading.facts.page is None:
        reading.facts.page = index + 1  # no folio: the page's place in the edition
    try:
        page = convert_blocks(reading.blocks, reading.facts, job.path, paper=job.paper, names=job.names,
                              path_facts=path_facts, option_facts=job.options, with_tags=job.with_tags,
                              previous=job.previous, dialect="pdf")
    except Exception as exc:  # a page the PDF reader cannot make sense of: reported, the run goes on
        page = Page(source=job.path, facts=path_facts)
        page.error("pdf-unusable", file=job.path, reason=f"the PDF reader failed on it: {type(exc).__name__}: {exc}",
                  fallback=NOTHING_CONVERTED)
        return rendered_result(job.key, job.path, digest, page)
    page.masthead_paper = reading.masthead_paper
    page.issues.extend(issues)
    _report_left_out(page, reading)
    pictures = pdf_pictures.resolve_pdf_figures(page, opened.page) if not page.has_errors else []
    return rendered_result(job.key, job.path, digest, page, pictures=pictures)


def _folder_date(key: str) -> PageFacts:
    """An edition PDF's date, from its folder's name (``2025-03-26/edition.pdf``)."""
    folder = Path(key).parent.name
    return PageFacts(date=folder) if valid_date(folder) else PageFacts()


def source_digest(path: Path, data: bytes) -> str:
    """The dump's SHA-256, or with a page PDF beside it, of both (a new PDF reconverts the page)."""
    beside = pdf_source.pdf_beside(path) if path.suffix.lower() != ".pdf" else None
    if beside is None:
        return sha256(data)
    try:
        return sha256(data + b"\0pdf\0" + beside.read_bytes())
    except OSError:
        return sha256(data)
