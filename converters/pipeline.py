"""The conversion run: discovery, incremental skipping, the workers, the edition pass,
writing and the report, for a whole paper folder.

One page's conversion is :mod:`converters.page_pipeline` (``convert_text`` is pure: text in,
:class:`Page` out); the worker protocol and the pool, :mod:`converters.workers`; what a page
takes from its edition, :mod:`converters.edition` (beside :mod:`converters.link`).  Their
names are re-exported here, so ``from converters.pipeline import …`` keeps working.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from converters import CONVERTER_VERSION, printed
from converters.edition import check_jump_targets, continuations_by_page, edition_stamp, link_continuations, page_place
from converters.identity import page_claim, predecessor_by_bytes, predecessor_by_page
from converters.link import JumpSource, edition_facts, facts_from_path
from converters.model import Article, Issue, Page, PageFacts, Severity
from converters.page_pipeline import (
    MAX_BYTES,
    PAGE_STORY_LIMIT,
    PAGE_TEXT_LIMIT,
    convert_blocks,
    convert_job,
    convert_pdf_job,
    convert_text,
    expected_name,
    odd_page_name,
    paper_names,
    source_digest,
    valid_date,
    valid_paper_slug,
)
from converters.pdf import source as pdf_source
from converters.report import page_report
from converters.workers import Job, Result, preload, rendered_result, run_jobs
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
from epaper_contract.papers import known_papers, load_paper

REPORT_NAME = "conversion-report.json"


DUMP_SUFFIXES = (".txt", ".md", ".text")


#: Besides dumps, what a date folder holds: the printed page (PP.pdf, PP.jpg…), pictures a dump
#: names, and PDFs of the whole edition (read by the PDF reader): none of these is complained of.
_OTHER_SUFFIXES = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".tif", ".tiff"})


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
                                       expected=expected_name(f.with_suffix(".txt").name, None)))
    return issues


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
    convert = map_jobs or (lambda js: run_jobs(js, jobs))
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
            if e.get("edition") != edition_stamp(editions, jumps_into, continued, page_facts.get(k))]
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

    # The edition's facts and the first parts of its continuations given to each page.
    links_in: dict[str, list[list]] = {k: e.get("links_in", []) for k, e in cached.items()}

    def settle(r: Result) -> None:
        if r.refused or r.page is None or r.page.has_errors or not r.page.articles:
            return
        page = r.page
        f = page.facts
        if r.key in losers:
            page.error(losers[r.key][1], kept=losers[r.key][0], date=f.date, page=f.page)
            return
        ed = editions.get(f.date)
        if ed is not None:
            f.issue = f.issue if f.issue is not None else ed.issue
            f.pages_total = f.pages_total if f.pages_total is not None else ed.pages_total
            if ed.paper and not page.masthead_paper:
                f.paper = ed.paper  # an inner page's folio does not name the paper
            for note in ed.notes:
                page.warn("edition-disagree", **note)
            check_jump_targets(page, ed, continued)
        relinked, links_in[r.key] = link_continuations(page, jumps_into.get((f.date, f.page or 0), []), ed,
                                                        _previous(manifest.dumps.get(r.key)))
        if relinked and r.parts is not None:
            r.parts = [(article_path(page, a), render_parts(page, a)) if a in relinked else part
                       for part, a in zip(r.parts, page.articles, strict=True)]

    for r in sorted(results, key=lambda r: r.key):
        settle(r)
    # The continuations' slugs, known now, go on their first parts (ContinuedOnSlug): a cached
    # page whose continuation took another slug is redone.
    continued_by = continuations_by_page(page_facts, links_in)
    stale = [k for k, e in cached.items()
             if e.get("continued_by", []) != continued_by.get(page_place(page_facts.get(k)), [])]
    if stale:
        extra = convert([Job(p, k, paper, names, options, with_tags, _previous(manifest.dumps.get(k)))
                         for p, k, _ in found if k in stale])
        for k in stale:
            cached.pop(k)
        learn(extra)
        for r in sorted(extra, key=lambda r: r.key):
            settle(r)
        results.extend(extra)
        continued_by = continuations_by_page(page_facts, links_in)

    # Render everything first, journal the hashes, then write: a kill leaves a repairable state.
    plans = []
    for r in sorted(results, key=lambda r: r.key):
        if r.refused or r.page is None:
            plans.append((r, None))
            continue
        page = r.page
        if not page.has_errors:
            slugs = dict(continued_by.get(page_place(page.facts), []))
            for art in page.articles:
                if art.continued_on is not None:
                    art.continued_on_slug = slugs.get(art.order, "")
        if page.has_errors:
            plans.append((r, []))
        elif r.parts is None:
            plans.append((r, render_page(page) + _picture_files(r, page)))
        else:
            plans.append((r, [(rel, join_parts(parts, edition_values(page, art)), art)
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
                                 "edition": edition_stamp(editions, jumps_into, continued, page.facts),
                                 "outputs": outputs, "report": report, "masthead_paper": page.masthead_paper,
                                 "stories": _stories_now(r, page),
                                 "jumps_out": [j.as_list() for j in r.jumps_out], "jumps_in": r.jumps_in}
        place = page_place(page.facts)
        if links_in.get(r.key):  # its continuations' first parts: (page, order, the continuation's slug)
            manifest.dumps[r.key]["links_in"] = links_in[r.key]
        if continued_by.get(place):  # its first parts' continuations: (order, slug)
            manifest.dumps[r.key]["continued_by"] = continued_by[place]
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
        return source_digest(Path(path), Path(path).read_bytes())
    except OSError:
        return ""


# The names these had before the split (pipeline.py was one module), for code that imports them.
_convert_job, _convert_pdf_job, _run_jobs, _rendered_result = convert_job, convert_pdf_job, run_jobs, rendered_result
_edition_stamp, _link_continuations, _check_jump_targets = edition_stamp, link_continuations, check_jump_targets

__all__ = ["MAX_BYTES", "PAGE_STORY_LIMIT", "PAGE_TEXT_LIMIT", "Job", "Result", "RunSummary", "Severity",
           "convert_blocks", "convert_job", "convert_pdf_job", "convert_text", "discover", "odd_page_name",
           "paper_names", "preload", "run", "valid_date", "valid_paper_slug"]
