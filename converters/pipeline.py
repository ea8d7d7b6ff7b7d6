"""The conversion pipeline: stages strung together for one dump, and for a whole run.

``convert_text`` is pure (text in, :class:`Page` out).  ``run`` adds the file system:
discovery, incremental skipping, parallel workers, edition linking, writing, report.
"""

from __future__ import annotations

import datetime
import gc
import multiprocessing
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from converters import CONVERTER_VERSION, printed, segment
from converters import masthead as mh
from converters.assemble import assemble
from converters.blocks import read_blocks
from converters.classify import ClassifyContext, classify
from converters.dialects import dialect_name
from converters.enrich import _tagger as enrich_tagger
from converters.enrich import article_slug, enrich
from converters.figures import resolve_figures
from converters.identity import keep_slugs, page_claim, predecessor_by_bytes, predecessor_by_page, story_record
from converters.link import (
    JumpSource,
    agree,
    continue_story,
    edition_facts,
    facts_from_path,
    masthead_date_check,
    pair_jumps,
)
from converters.model import Article, Issue, Page, PageFacts, Severity
from converters.pdf import pictures as pdf_pictures
from converters.pdf import source as pdf_source
from converters.read import NotText, decode
from converters.reflow import reflow
from converters.report import page_report
from converters.write import (
    Manifest,
    article_path,
    edition_values,
    join_parts,
    remove_stale_temp,
    render_page,
    render_parts,
    sha256,
    write_json,
    write_page,
    write_pending,
)
from epaper_contract.papers import Paper, known_papers, load_paper

MAX_BYTES = 64 * 1024 * 1024  # not even read beyond this
#: A printed page's limits, with room to spare.  A broadsheet page set solid with body type
#: holds some 15,000-20,000 characters (about 60 KB of UTF-8); the largest real dump in this
#: repository (tests/pdfset, raw/) is 18 KB with 6 stories, and a page of briefs carries
#: 20-30.  A dump over either limit is several pages run together, or not a page at all:
#: refused with its numbers, not turned into thousands of articles (issue 25: a 50 MB dump
#: became 16,056 articles).
PAGE_TEXT_LIMIT = 200 * 1024  # bytes of text (UTF-8)
PAGE_STORY_LIMIT = 50
REPORT_NAME = "conversion-report.json"


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
    if masthead.paper and masthead.page is None and any(b.data.get("masthead") for b in blocks):
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


@dataclass
class Job:
    path: str  # as found on disk
    key: str  # stable name in the manifest (relative to the paper's raw folder)
    paper: Paper
    names: dict[str, str]
    options: PageFacts
    with_tags: bool
    previous: list[dict] = field(default_factory=list)  # the dump's stories last time (identity.py)


@dataclass
class Result:
    key: str
    path: str
    digest: str
    page: Page | None = None
    refused: Issue | None = None  # why the dump was not converted at all
    # Each article's (output path, render_parts(...)), rendered by the worker: the parent only
    # adds the edition's facts (join_parts).  None: the parent renders the page.
    parts: list[tuple[str, tuple[bytes, ...]]] | None = None
    jumps_out: list[JumpSource] = field(default_factory=list)  # its stories continued on other pages
    jumps_in: list[int] = field(default_factory=list)  # the pages its continuations (上接) come from
    stories: list[dict] = field(default_factory=list)  # identity.story_record of each article
    files: list[tuple[str, str]] = field(default_factory=list)  # pictures: (rel in content, source path)
    pictures: list[tuple[str, bytes]] = field(default_factory=list)  # cut from the page PDF: (rel, WebP bytes)


def _rendered_result(key: str, path: str, digest: str, page: Page,
                     files: list[tuple[str, Path]] | None = None,
                     pictures: list[tuple[str, bytes]] | None = None) -> Result:
    """The worker's result: the page rendered but for the edition's facts, and stripped of
    what only rendering needed (blocks, paragraphs), so little goes back to the parent.  A
    continuation (上接) is kept whole: the parent gives it its first part's headline."""
    parts = None
    jumps_out: list[JumpSource] = []
    jumps_in: list[int] = []
    stories: list[dict] = []
    if not page.has_errors:
        parts = [(article_path(page, art), render_parts(page, art)) for art in page.articles]
        jumps_out = [JumpSource.of(page.facts.page or 0, a) for a in page.articles if a.continued_on is not None]
        jumps_in = [a.continued_from for a in page.articles if a.continued_from is not None]
        stories = [story_record(a) for a in page.articles]
        page.articles = [a if a.continued_from is not None else
                         Article(line=a.line, title=a.title, title_inferred=a.title_inferred,
                                 continued_on=a.continued_on, slug=a.slug, order=a.order, images=a.images)
                         for a in page.articles]
    return Result(key, path, digest, page=page, parts=parts, jumps_out=jumps_out, jumps_in=jumps_in, stories=stories,
                  files=[(rel, str(src)) for rel, src in files or ()], pictures=list(pictures or ()))


#: A dump referencing a picture (Markdown or HTML): the PDF's stories take its files.
_PICTURE_REF = re.compile(r"!\[|<img\b", re.IGNORECASE)


def _convert_job(job: Job) -> Result:
    path = Path(job.path)
    if path.suffix.lower() == ".pdf":  # issue 23: a page PDF without a dump (converters/pdf)
        return _convert_pdf_job(job, path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Result(job.key, job.path, "", refused=Issue.of(Severity.ERROR, "refused-unreadable",
                                                              reason=exc.strerror or str(exc)))
    digest = _source_digest(path, data)
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
        return _rendered_result(job.key, job.path, digest, page)
    text_bytes = len(decoded.text.encode("utf-8"))
    if text_bytes > PAGE_TEXT_LIMIT:
        return Result(job.key, job.path, digest, refused=Issue.of(
            Severity.ERROR, "refused-not-a-page", size=_kb(text_bytes), limit=_kb(PAGE_TEXT_LIMIT)))
    odd_name = odd_page_name(job.key)
    path_facts = PageFacts(date=Path(job.key).parent.name) if odd_name else facts_from_path(job.key)

    # -- issue 23: the page PDF beside the dump, when usable, decides the structure (converters/pdf) --
    beside = pdf_source.pdf_beside(path)
    reading, pdf_issues = pdf_source.read_pdf(beside, 0, job.names) if beside is not None else (None, [])
    if reading is not None:
        use, checked = pdf_source.cross_check(reading, decoded.text, beside)
        pdf_issues += checked
        reading = reading if use else None
    page = None
    pictures: list[tuple[str, bytes]] = []
    if reading is not None:
        try:
            page = convert_blocks(reading.blocks, reading.facts, job.path, paper=job.paper, names=job.names,
                                  path_facts=path_facts, option_facts=job.options,
                                  with_tags=job.with_tags, previous=job.previous, dialect="pdf")
            page.masthead_paper = reading.masthead_paper
            if _PICTURE_REF.search(decoded.text):  # the dump's own picture files, in the PDF's stories
                pdf_pictures.take_dump_figures(page, convert_text(
                    decoded.text, job.path, paper=job.paper, names=job.names, path_facts=path_facts,
                    option_facts=job.options, with_tags=False, previous=job.previous))
            pictures = pdf_pictures.resolve_pdf_figures(page, beside, 0)
        except Exception as exc:  # a page the PDF reader cannot make sense of: the dump, and the reason
            pdf_issues.append(Issue.of(Severity.WARNING, "pdf-unusable", file=beside.as_posix(),
                                       reason=f"the PDF reader failed on it: {type(exc).__name__}: {exc}"))
            page = None
    if page is None:
        page = convert_text(decoded.text, job.path, paper=job.paper, names=job.names,
                            path_facts=path_facts, option_facts=job.options,
                            with_tags=job.with_tags, previous=job.previous)
    page.issues[:0] = [_fallback(i, "the dump is converted instead") for i in pdf_issues]
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
    return _rendered_result(job.key, job.path, digest, page, files, pictures if not page.has_errors else None)


DUMP_SUFFIXES = (".txt", ".md", ".text")
#: Besides dumps, what a date folder holds: the printed page (PP.pdf, PP.jpg…), pictures a dump
#: names, and PDFs of the whole edition (read by the PDF reader): none of these is complained of.
_OTHER_SUFFIXES = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".tif", ".tiff"})
_PAGE_STEM = re.compile(r"^\d{1,3}$")


def odd_page_name(key: str) -> bool:
    """A dump in a date folder (``2024-03-19/…``) named otherwise than ``PP.txt``
    (``第05版 要闻.txt``, ``06 .txt``, ``01 (1).txt``): its folder gives the date, its name no page."""
    path = Path(key)
    return valid_date(path.parent.name) and not _PAGE_STEM.match(path.stem)


def _expected_name(name: str, page: int | None) -> str:
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
        page.error("file-name-not-page", name=name, expected=_expected_name(name, None))
    else:
        page.warn("file-name-odd", name=name, expected=_expected_name(name, page.facts.page), page=page.facts.page)


def stray_files(found: list[tuple[str, str, Path | None]]) -> list[Issue]:
    """Files in a paper's date folders that are neither a dump nor a printed page or picture
    (``05.docx``): named, with the name the page should have, since nothing reads them."""
    issues = []
    for folder in sorted({d for _, _, d in found if d is not None}):
        for f in sorted(folder.glob("*/*")):
            if (f.is_file() and not f.name.startswith(".") and valid_date(f.parent.name)
                    and f.stem.upper() != "README"  # a note on where the folder's pages come from
                    and f.suffix.lower() not in DUMP_SUFFIXES and f.suffix.lower() not in _OTHER_SUFFIXES):
                issues.append(Issue.of(Severity.WARNING, "file-not-a-dump", file=display_path(f),
                                       expected=_expected_name(f.with_suffix(".txt").name, None)))
    return issues


def _kb(size: int) -> str:
    """A size in KB as the report prints it (one decimal below 10 KB)."""
    return f"{size / 1024:.1f}" if size < 10 * 1024 else f"{size // 1024:,}"


def _fallback(issue: Issue, what: str) -> Issue:
    """A PDF issue saying what the converter did instead (when the PDF was not used)."""
    if issue.code in ("pdf-dump-differ",):
        return issue
    # A page PDF with no dump to fall back on: the page is lost, so it is an error (the edition
    # is not published without it, unless FORCE=1), never a warning the editor may pass over.
    severity = Severity.ERROR if what.startswith("nothing") else issue.severity
    return Issue(severity, issue.code, issue.line, issue.dropped,
                 tuple(sorted({**dict(issue.params), "fallback": what}.items())), issue.detail)


def _convert_pdf_job(job: Job, path: Path) -> Result:
    """A page PDF alone (``01.pdf``), or one page of an edition PDF (key ``…/edition.pdf#3``)."""
    key, _, number = job.key.partition("#")
    index = int(number) - 1 if number else 0
    try:
        digest = sha256(path.read_bytes())
    except OSError as exc:
        return Result(job.key, job.path, "", refused=Issue.of(Severity.ERROR, "refused-unreadable",
                                                              reason=exc.strerror or str(exc)))
    reading, issues = pdf_source.read_pdf(path, index, job.names)
    path_facts = facts_from_path(key) if not number else _folder_date(key)
    if reading is None:
        page = Page(source=job.path, facts=path_facts)
        page.issues.extend(_fallback(i, "nothing of it is converted") for i in issues)
        return _rendered_result(job.key, job.path, digest, page)
    if number and reading.facts.page is None:
        reading.facts.page = index + 1  # no folio: the page's place in the edition
    try:
        page = convert_blocks(reading.blocks, reading.facts, job.path, paper=job.paper, names=job.names,
                              path_facts=path_facts, option_facts=job.options, with_tags=job.with_tags,
                              previous=job.previous, dialect="pdf")
    except Exception as exc:  # a page the PDF reader cannot make sense of: reported, the run goes on
        page = Page(source=job.path, facts=path_facts)
        page.error("pdf-unusable", file=job.path, reason=f"the PDF reader failed on it: {type(exc).__name__}: {exc}",
                  fallback="nothing of it is converted")
        return _rendered_result(job.key, job.path, digest, page)
    page.masthead_paper = reading.masthead_paper
    pictures = pdf_pictures.resolve_pdf_figures(page, path, index) if not page.has_errors else []
    return _rendered_result(job.key, job.path, digest, page, pictures=pictures)


def _folder_date(key: str) -> PageFacts:
    """An edition PDF's date, from its folder's name (``2025-03-26/edition.pdf``)."""
    folder = Path(key).parent.name
    return PageFacts(date=folder) if valid_date(folder) else PageFacts()


@lru_cache(maxsize=16)
def _real_folder(folder: str) -> Path:
    """A folder's real path, resolved once per run (display_path runs for every dump)."""
    return Path(folder).resolve()


def display_path(path: Path) -> str:
    """The path relative to the working folder when it is inside it (stable across checkouts)."""
    try:
        return path.resolve().relative_to(_real_folder(os.getcwd())).as_posix()
    except ValueError:
        return path.as_posix()


def discover(inputs: list[str]) -> list[tuple[str, str, Path | None]]:
    """(path, manifest key, paper folder) for every dump under ``inputs``, sorted."""
    found: list[tuple[str, str, Path | None]] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in DUMP_SUFFIXES and not f.name.startswith("."):
                    found.append((display_path(f), f.relative_to(p).as_posix(), p))
                elif f.is_file() and f.suffix.lower() == ".pdf" and not f.name.startswith("."):
                    found.extend(_pdf_pages(f, p))  # issue 23: PDFs without a dump, edition PDFs
        else:
            found.append((display_path(p), p.name, None))
    return sorted(set(found), key=lambda t: t[1])


def _pdf_pages(f: Path, folder: Path) -> list[tuple[str, str, Path | None]]:
    """A page PDF without a dump beside it, or each page of an edition PDF (``#n`` keys)."""
    key = f.relative_to(folder).as_posix()
    if pdf_source.is_page_pdf(f):
        return [] if pdf_source.has_dump(f) else [(display_path(f), key, folder)]
    pages = pdf_source.edition_pages(f)
    if pages == 0:  # cannot be opened: one job, which reports it
        return [(display_path(f), key, folder)]
    return [(display_path(f), f"{key}#{n}", folder) for n in range(1, pages + 1)]


@dataclass
class RunSummary:
    pages: list[dict] = field(default_factory=list)
    notices: list[Issue] = field(default_factory=list)  # about the run, not one dump (no paper.toml)
    errors: int = 0
    warnings: int = 0
    converted: int = 0
    unchanged: int = 0

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


def run(inputs: list[str], out: Path, *, paper_slug: str | None = None, options: PageFacts | None = None,
        force: bool = False, with_tags: bool = True, jobs: int = 1, raw_root: Path | None = None,
        map_jobs: Callable[[list[Job]], list[Result]] | None = None, take: Iterable[str] = ()) -> RunSummary:
    """Convert ``inputs`` into ``out``.  ``take``: files (relative to ``out``) to overwrite with
    what the converter makes now, although they were edited by hand."""
    out = Path(out)
    take = frozenset(Path(t).as_posix().removeprefix(out.as_posix().rstrip("/") + "/") for t in take)
    found = discover(inputs)
    if paper_slug is None:
        paper_slug = next((d.name for _, _, d in found if d is not None), None) or "paper"
    if not valid_paper_slug(paper_slug):
        raise ValueError(f"paper slug {paper_slug!r} is not a folder name (use letters, digits, '-', '_')")
    roots = {d.parent for _, _, d in found if d is not None}
    raw_root = raw_root or (next(iter(roots)) if len(roots) == 1 else Path("raw"))
    paper = load_paper(raw_root, paper_slug)
    names = paper_names([paper, *known_papers(raw_root).values()])
    options = options or PageFacts()
    manifest = Manifest.load(out)
    remove_stale_temp(out)  # left by a run killed half-way through a write

    # Which dumps changed since the last run (content, converter, tagging switch)?
    # An edit of paper.toml (the paper's name, its page names) reconverts every dump too.
    toml = raw_root / paper_slug / "paper.toml"
    stamp = {"converter": CONVERTER_VERSION, "tags": with_tags, "data": data_digest(),
             "paper": sha256(toml.read_bytes())[:16] if toml.is_file() else ""}
    todo: list[Job] = []
    cached: dict[str, dict] = {}
    # A dump renamed or moved (02.txt -> 01.txt) is the same page: its new name continues the
    # old one's stories (identity.py), and the old name's files stay where the new one writes.
    present = {k for _, k, _ in found}
    from_folders = bool(found) and all(d is not None for _, _, d in found)
    vanished = {k: e for k, e in manifest.dumps.items() if k not in present} if from_folders else {}
    moved: dict[str, str] = {}  # a new key -> the vanished key it continues
    for path, key, _ in found:
        entry = manifest.dumps.get(key)
        if entry is None and vanished:
            old = predecessor_by_bytes(_file_digest(path), vanished, set(moved.values()),
                                       asdict(facts_from_path(key)))
            if old is not None:
                moved[key] = old
                entry = dict(vanished[old], sha256="")  # its stories, never its freshness
        fresh = (entry is not None and not force and entry.get("stamp") == stamp
                 and not take.intersection(entry.get("outputs", []))
                 and entry.get("sha256") == _file_digest(path)
                 and all((out / rel).exists() for rel in entry.get("outputs", [])))
        if fresh:
            cached[key] = entry
        else:
            todo.append(Job(path, key, paper, names, options, with_tags, _previous(entry)))

    # map_jobs: another engine converting the jobs (converters.distributed uses Dask).
    convert = map_jobs or (lambda js: _run_jobs(js, jobs))
    results = convert(todo)
    if vanished:  # a new dump naming the page a vanished one made: converted again with its stories
        again = []
        for r in results:
            if r.key in manifest.dumps or r.key in moved or r.page is None or r.page.has_errors:
                continue
            old = predecessor_by_page(page_claim(asdict(r.page.facts)), vanished, set(moved.values()))
            if old is not None:
                moved[r.key] = old
                if vanished[old].get("stories"):
                    again.append(Job(r.path, r.key, paper, names, options, with_tags, _previous(vanished[old])))
        if again:
            redone = {r.key: r for r in convert(again)}
            results = [redone.get(r.key, r) for r in results]

    # Edition facts: paper, issue and page count from whichever page prints them; the
    # first parts of stories continued on another page (下转), for their continuations.
    page_facts: dict[str, PageFacts] = {k: PageFacts(**e["facts"]) for k, e in cached.items() if e.get("facts")}
    mastheads: dict[str, str] = {k: e.get("masthead_paper", "") for k, e in cached.items()}
    jumps_out: dict[str, list[JumpSource]] = {k: [JumpSource.from_list(j) for j in e.get("jumps_out", [])]
                                              for k, e in cached.items()}
    jumps_in: dict[str, list[int]] = {k: e.get("jumps_in", []) for k, e in cached.items()}

    def learn(rs: list[Result]) -> None:
        for r in rs:
            if r.page is not None and not r.page.has_errors:
                page_facts[r.key] = r.page.facts
                mastheads[r.key] = r.page.masthead_paper
                jumps_out[r.key] = r.jumps_out
                jumps_in[r.key] = r.jumps_in

    learn(results)

    def editions_now() -> tuple[dict, dict, dict]:
        by_date: dict[str, list[str]] = {}
        for key, f in sorted(page_facts.items()):
            by_date.setdefault(f.date, []).append(key)
        eds = {d: edition_facts([page_facts[k] for k in keys], [mastheads.get(k, "") for k in keys])
               for d, keys in by_date.items()}
        into: dict[tuple[str, int], list[JumpSource]] = {}
        conts: dict[tuple[str, int], Counter] = {}  # (date, page) -> its continuations by the page they come from
        for d, keys in by_date.items():
            for k in keys:
                for j in jumps_out.get(k, []):
                    into.setdefault((d, j.to), []).append(j)
                if jumps_in.get(k):
                    conts[(d, page_facts[k].page or 0)] = Counter(jumps_in[k])
        return eds, into, conts

    editions, jumps_into, continued = editions_now()

    # A cached page whose edition facts changed (its front page arrived, the first part of
    # its continued story changed) is redone.
    redo = [k for k, e in cached.items()
            if e.get("edition") != _edition_stamp(editions, jumps_into, continued, page_facts.get(k))]
    if redo:
        extra = convert([Job(p, k, paper, names, options, with_tags, _previous(manifest.dumps.get(k)))
                         for p, k, _ in found if k in redo])
        results.extend(extra)
        for k in redo:
            cached.pop(k)
        learn(extra)
        editions, jumps_into, continued = editions_now()

    summary = RunSummary()
    if not toml.is_file():
        summary.notices.append(Issue.of(Severity.WARNING, "no-paper-toml", paper=paper_slug))
    summary.notices.extend(stray_files(found))
    # Two dumps of one page (a re-export, 01 (1).txt): the newer is converted, the older
    # refused and named; an older one converted before gives its files way.
    losers = _older_duplicates(found, cached, results)
    given_way: list[str] = []
    for key, (kept, code) in sorted(losers.items()):
        if key in cached:
            e = cached.pop(key)
            manifest.dumps.pop(key, None)
            given_way.extend(e.get("outputs", []))
            f = e.get("facts") or {}
            issue = Issue.of(Severity.ERROR, code, kept=kept, date=f.get("date"), page=f.get("page"))
            summary.pages.append(dict(e["report"], status="refused", issues=[issue.as_dict()], notes=[]))

    # Render everything first, journal the hashes, then write: a kill leaves a repairable state.
    plans = []
    for r in sorted(results, key=lambda r: r.key):
        if r.refused or r.page is None:
            plans.append((r, None))
            continue
        page = r.page
        if not page.has_errors and page.articles:
            f = page.facts
            if r.key in losers:
                page.error(losers[r.key][1], kept=losers[r.key][0], date=f.date, page=f.page)
            else:
                ed = editions.get(f.date)
                if ed is not None:
                    f.issue = f.issue if f.issue is not None else ed.issue
                    f.pages_total = f.pages_total if f.pages_total is not None else ed.pages_total
                    if ed.paper and not page.masthead_paper:
                        f.paper = ed.paper  # an inner page's folio does not name the paper
                    for note in ed.notes:
                        page.warn("edition-disagree", **note)
                    _check_jump_targets(page, ed, continued)
                relinked = _link_continuations(page, jumps_into.get((f.date, f.page or 0), []), ed,
                                               _previous(manifest.dumps.get(r.key)))
                if relinked and r.parts is not None:
                    r.parts = [(article_path(page, a), render_parts(page, a)) if a in relinked else part
                               for part, a in zip(r.parts, page.articles, strict=True)]
        if page.has_errors:
            plans.append((r, []))
        elif r.parts is None:
            plans.append((r, render_page(page) + _picture_files(r, page)))
        else:
            values = edition_values(page)
            plans.append((r, [(rel, join_parts(parts, values), art)
                              for (rel, parts), art in zip(r.parts, page.articles, strict=True)]
                          + _picture_files(r, page)))

    pending = {rel: sha256(data) for _, rendered in plans if rendered for rel, data, _ in rendered}
    if pending:
        write_pending(out, pending)
    for r, rendered in plans:
        previous = (manifest.dumps.get(r.key) or {}).get("outputs", [])
        if r.refused or r.page is None:
            manifest.dumps.pop(r.key, None)
            summary.pages.append({"source": r.path, "key": r.key, "status": "refused", "articles": 0,
                                  "inferred_titles": 0, "issues": [r.refused.as_dict()], "notes": []})
            continue
        page = r.page
        outputs: list[str] = []
        if rendered:
            outputs, _ = write_page(out, page, rendered, manifest, previous, force=force, take=take,
                                    old_facts=(manifest.dumps.get(r.key) or {}).get("facts"))
        report = page_report(page, r.key, "converted" if not page.has_errors else "refused")
        summary.pages.append(report)
        if page.has_errors:
            manifest.dumps.pop(r.key, None)
            continue
        manifest.dumps[r.key] = {"sha256": r.digest, "stamp": stamp, "facts": asdict(page.facts),
                                 "edition": _edition_stamp(editions, jumps_into, continued, page.facts),
                                 "outputs": outputs, "report": report, "masthead_paper": page.masthead_paper,
                                 "stories": _stories_now(r, page),
                                 "jumps_out": [j.as_list() for j in r.jumps_out], "jumps_in": r.jumps_in}
    for _key, e in sorted(cached.items()):
        report = _refreshed(dict(e["report"], status="unchanged"), out, manifest)
        e["report"] = dict(report, status=e["report"].get("status", "converted"))
        summary.pages.append(report)
    summary.pages.sort(key=lambda p: p["key"])
    # The printed page (a PDF or image beside a dump): pictures and story regions, from content/.
    printed.update(out, found, summary.pages, jobs=jobs, force=force)
    for p in summary.pages:
        summary.errors += sum(1 for i in p["issues"] if i["severity"] == "error")
        summary.warnings += sum(1 for i in p["issues"] if i["severity"] == "warning")
        summary.converted += p["status"] == "converted"
        summary.unchanged += p["status"] == "unchanged"
    if given_way:  # an older duplicate's files, unless the newer dump wrote them again
        owned = {rel for e in manifest.dumps.values() for rel in e.get("outputs", [])}
        write_page(out, Page(source="", facts=PageFacts()), [], manifest, [x for x in given_way if x not in owned],
                   force=force)
    # Dumps that vanished from raw/: their articles go too (unless edited by hand, or written
    # again by the dump that took their page: a rename).  A page no dump makes any more is
    # recorded as removed on purpose, which the publish check accepts as the reason it went.
    if vanished:
        staying = [e for k, e in manifest.dumps.items() if k not in vanished]
        owned = {rel for e in staying for rel in e.get("outputs", [])}
        claimed = {page_claim(e.get("facts")) for e in staying}
        successor = {old: new for new, old in moved.items() if new in manifest.dumps}
        for key in sorted(vanished):
            gone = manifest.dumps.pop(key, None) or vanished[key]
            dummy = Page(source=key, facts=PageFacts())
            write_page(out, dummy, [], manifest, [rel for rel in gone.get("outputs", []) if rel not in owned],
                       force=force)
            summary.notices.extend(_vanished_notice(key, gone, successor.get(key), claimed, manifest))
    for claim in {page_claim(e.get("facts")) for e in manifest.dumps.values()}:
        manifest.removed.pop(claim, None)  # the page is made again
    manifest.save(out)
    summary.warnings += sum(1 for n in summary.notices if n.severity is Severity.WARNING)
    write_json(out / REPORT_NAME, {"paper": paper.slug, "pages": summary.pages, "notices": [
        n.as_dict() for n in summary.notices], "errors": summary.errors, "warnings": summary.warnings})
    return summary


def _vanished_notice(key: str, gone: dict, successor: str | None, claimed: set[str],
                     manifest: Manifest) -> list[Issue]:
    """What the report says of a dump gone from raw/: renamed (its page made by ``successor``),
    or removed with its page, which is then recorded in the manifest."""
    facts = gone.get("facts") or {}
    claim = page_claim(facts)
    stories = len(gone.get("stories", []))
    if successor is not None:
        return [Issue.of(Severity.INFO, "dump-renamed", old=key, new=successor, date=facts.get("date"),
                         page=facts.get("page"), stories=stories)]
    if claim and claim not in claimed:
        manifest.removed[claim] = {"key": key, "date": facts.get("date"), "page": facts.get("page"),
                                   "titles": [s.get("title", "") for s in gone.get("stories", [])]}
        return [Issue.of(Severity.WARNING, "dump-removed", old=key, date=facts.get("date"), page=facts.get("page"),
                         stories=stories)]
    return []


def _picture_files(r: Result, page: Page) -> list[tuple[str, bytes, Article]]:
    """The pictures to copy, as the writer takes them (each with the first article showing it)."""
    out = [(rel, data, next((a for a in page.articles if rel in a.images), page.articles[0]))
           for rel, data in r.pictures]
    for rel, src in r.files:
        owner = next((a for a in page.articles if rel in a.images), page.articles[0])
        try:
            out.append((rel, Path(src).read_bytes(), owner))
        except OSError:
            page.warn("figure-missing", owner.line, dropped=src, src=src, problem="could not be read")
    return out


def data_digest() -> str:
    """The converter's editable data (gazetteer, topics, IDF, stop words, surnames): an edit
    there reconverts every dump (hand-edited files are still kept)."""
    folder = Path(__file__).parent / "data"
    h = sha256(b"".join(p.name.encode() + b"\0" + p.read_bytes() for p in sorted(folder.iterdir())
                        if p.is_file() and p.suffix in (".tsv", ".txt")))
    return h[:16]


_HAND_EDIT_CODES = ("hand-edited-kept", "hand-edited-dump-changed", "hand-edited-orphan")


def _refreshed(report: dict, out: Path, manifest: Manifest) -> dict:
    """An unchanged dump's report as things stand now: a hand-edit notice goes once its file
    is gone or is the converter's again (a stale notice is noise the editor learns to skip)."""
    def still(issue: dict) -> bool:
        if issue.get("code") not in _HAND_EDIT_CODES:
            return True
        rel = (issue.get("params") or {}).get("rel", "")
        path = out / rel
        return bool(rel) and path.is_file() and not manifest.ours(rel, path.read_bytes())

    return dict(report, issues=[i for i in report["issues"] if still(i)],
                notes=[i for i in report.get("notes", []) if still(i)])


#: Warnings that say a dump's masthead is wrong: such a dump never wins a page over a sound one.
_MASTHEAD_FAULTS = ("masthead-date-suspect",)


def _older_duplicates(found: list[tuple[str, str, Path | None]], cached: dict[str, dict],
                      results: list[Result]) -> dict[str, tuple[str, str]]:
    """Dumps claiming a page another dump claims too: key -> (the key kept, the code saying
    why).  A dump with a sound masthead wins over one whose masthead is wrong; else the
    newer (by modification time) wins."""
    paths = {k: p for p, k, _ in found}
    faulty = {k for k, e in cached.items() if any(i.get("code") in _MASTHEAD_FAULTS
                                                  for i in (e.get("report") or {}).get("issues", []))}
    faulty |= {r.key for r in results if r.page is not None and any(i.code in _MASTHEAD_FAULTS
                                                                   for i in r.page.issues)}

    def mtime(key: str) -> int:
        try:
            return os.stat(paths[key]).st_mtime_ns
        except (KeyError, OSError):
            return 0

    claims: dict[tuple[str, int], set[str]] = {}
    for key, e in cached.items():
        f = e.get("facts") or {}
        if f.get("date") and f.get("page") is not None:
            claims.setdefault((f["date"], f["page"]), set()).add(key)
    for r in results:
        if r.page is not None and not r.page.has_errors and r.page.articles and r.page.facts.page is not None:
            claims.setdefault((r.page.facts.date, r.page.facts.page), set()).add(r.key)
    losers: dict[str, tuple[str, str]] = {}
    for keys in claims.values():
        ranked = sorted(keys, key=lambda k: (k not in faulty, mtime(k), k))
        kept = ranked[-1]
        for k in ranked[:-1]:
            losers[k] = (kept, "refused-duplicate-faulty" if k in faulty and kept not in faulty
                         else "refused-duplicate")
    return losers


def _stories_now(r: Result, page: Page) -> list[dict]:
    """The stories to remember: the worker's records, with the slugs the parent gave the
    continuations it linked."""
    slugs = {a.line: a.slug for a in page.articles}
    return [dict(s, slug=slugs.get(s["line"], s["slug"])) for s in r.stories]


def _previous(entry: dict | None) -> list[dict]:
    return list((entry or {}).get("stories", []))


def _file_digest(path: str) -> str:
    try:
        return _source_digest(Path(path), Path(path).read_bytes())
    except OSError:
        return ""


def _source_digest(path: Path, data: bytes) -> str:
    """The dump's SHA-256, or with a page PDF beside it, of both (a new PDF reconverts the page)."""
    beside = pdf_source.pdf_beside(path) if path.suffix.lower() != ".pdf" else None
    if beside is None:
        return sha256(data)
    try:
        return sha256(data + b"\0pdf\0" + beside.read_bytes())
    except OSError:
        return sha256(data)


def _edition_stamp(editions: dict, jumps_into: dict, continued: dict, facts: PageFacts | None) -> list | None:
    """What a page's files and report take from the rest of its edition (the edition's facts,
    the first parts of its continuations, the continuations of its stories): when it
    changes, the page is redone."""
    if facts is None or facts.date not in editions:
        return None
    ed = editions[facts.date]
    here = facts.page or 0
    return [ed.issue, ed.pages_total, list(ed.pages_present), ed.paper,
            [j.as_list() for j in jumps_into.get((facts.date, here), [])],
            sorted([q, c[here]] for (d, q), c in continued.items() if d == facts.date and c.get(here))]


def _check_jump_targets(page: Page, ed, continued: dict) -> None:
    """A jump line names a page: is that page in the archive, and does it carry the story on?"""
    here = page.facts.page or 0
    sent = Counter(a.continued_on for a in page.articles if a.continued_on is not None)
    for art in page.articles:
        for target, word in ((art.continued_on, "jump to"), (art.continued_from, "continued from")):
            if target is not None and target not in ed.pages_present:
                page.warn("jump-target-missing", art.line, word=word, target=target)
        target = art.continued_on
        if target is not None and target in ed.pages_present:
            found = continued.get((page.facts.date, target), Counter()).get(here, 0)
            if found < sent[target]:
                page.warn("jump-continuation-missing", art.line, target=target, page=here, found=found,
                          sent=sent[target])


def _link_continuations(page: Page, sources: list[JumpSource], ed, previous: list[dict]) -> list[Article]:
    """Give each continuation on ``page`` (上接第N版) its first part's headline and byline;
    return the articles changed.  A continuation whose first part is not found is reported."""
    conts = [a for a in page.articles if a.continued_from is not None]
    if not conts:
        return []
    pairs = pair_jumps(conts, sources)
    paired = {id(a) for a, _ in pairs}
    for art in conts:
        if id(art) not in paired and ed is not None and art.continued_from in ed.pages_present:
            page.warn("jump-unmatched", art.line, from_page=art.continued_from, page=page.facts.page)
    taken = {a.slug: 1 for a in page.articles if id(a) not in paired}
    changed = []
    for art, src in pairs:
        before = (art.title, art.kicker, art.subtitle, list(art.authors), list(art.correspondents),
                  art.title_inferred, art.slug, art.continued_from_slug)
        continue_story(art, src)
        known = next((s["slug"] for s in previous if s["line"] == art.line and s["slug"] not in taken), None)
        art.slug = known or article_slug(art, page.facts.date, page.facts.page or 0, taken)
        page.info("jump-linked", art.line, from_page=src.page, title=src.title, names="、".join(src.authors))
        if before != (art.title, art.kicker, art.subtitle, art.authors, art.correspondents, art.title_inferred,
                      art.slug, art.continued_from_slug):
            changed.append(art)
    return changed


def preload(with_tags: bool) -> None:
    """Load jieba's dictionaries (and the tagger's) now: in the parent before the workers
    fork, so the workers share one copy instead of each loading its own (~0.7 s apiece)."""
    if with_tags:
        enrich_tagger()  # first: the slugs' dictionary is then made from the tagger's
    segment.lcut("")


def _run_jobs(jobs: list[Job], workers: int) -> list[Result]:
    if workers <= 1 or len(jobs) < 2:
        return [_convert_job(j) for j in jobs]
    workers = min(workers, os.cpu_count() or 1, len(jobs))
    context = None
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        preload(any(j.with_tags for j in jobs))
        gc.freeze()  # the loaded dictionaries stay shared: the collector never touches their pages
        context = multiprocessing.get_context("fork")
    # small chunks: results stream back while the rest converts, and the last chunks even out
    chunk = max(1, min(16, len(jobs) // (workers * 8)))
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return list(pool.map(_convert_job, jobs, chunksize=chunk))
    finally:
        if context is not None:
            gc.unfreeze()


__all__ = ["Severity", "convert_text", "run"]
