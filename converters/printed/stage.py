"""Stage 9, the printed page: the page's PDF or image beside its dump, made into the page's
pictures and each story's region on it, in ``content/<paper>/<date>/<PP>/page.json``.

It runs once per conversion run, after the articles are written (:func:`update`), over
every page of the run, converted now or unchanged: a page's PDF may arrive after its
dump.  Its own manifest, ``content/<paper>/.printed.json``, records per page the SHA-256
of the source, of each article file it matched and of each file it wrote; so

- page pictures are made only when the source's hash changed (or a picture is missing);
- regions are matched again when the source or an article file changed;
- a page whose source, articles and outputs are as recorded costs a few ``stat`` calls:
  the hashes of unchanged files (same size and mtime) come from ``.printed.cache.json``,
  which is this machine's (not in git), so the manifest is the same everywhere.

A source that cannot be read (a damaged PDF, a broken image) is a warning naming the
file in the page's report; the page's articles are converted as ever and the site shows
the page without its image.  The format of ``page.json`` is in :mod:`epaper_contract.printed`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import epaper_contract.printed as P
from converters.printed.messages import issue as _issue
from converters.printed.stories import NotAnArticle, StoryText, article_files, read_story
from epaper_contract import page_label
from epaper_contract.files import write_if_changed

if TYPE_CHECKING:
    from converters.printed.images import Picture

MANIFEST = ".printed.json"
CACHE = ".printed.cache.json"  # size and mtime -> SHA-256 of the files read and written (this machine's)
#: Bumped whenever the outputs for the same inputs change: every page is then made again.
STAGE_VERSION = "2"
PDF_SUFFIXES = (".pdf",)
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


@dataclass
class PrintJob:
    key: str  # the dump's key in the converter's manifest
    source: str  # path of the page's PDF or image
    kind: str  # "pdf" or "image"
    digest: str
    stories: list[StoryText]
    make_pictures: bool
    index: int = 0  # the page in the PDF: 0, or an edition PDF's page (key ``…/edition.pdf#n``)


@dataclass
class PrintResult:
    key: str
    ok: bool
    size: tuple[float, float, str] = (0.0, 0.0, "px")  # width, height, unit
    text_layer: bool = False
    regions: dict[str, list[list[float]]] = field(default_factory=dict)
    pictures: list[Picture] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)


def make_page(job: PrintJob) -> PrintResult:
    """One page's pictures and regions from its source (the work; no file is written)."""
    # Pillow and PDFium are imported here, in the work: most runs have no new page to draw.
    from converters.printed.images import NotAPageImage, derive, open_image, render_scale
    from converters.printed.regions import round_box, story_rectangles
    from converters.printed.textlayer import NotAPagePdf, open_pdf, read_layer

    try:
        data = Path(job.source).read_bytes()
    except OSError as exc:
        return PrintResult(job.key, False, issues=[_issue("print-unreadable", file=job.source, reason=exc.strerror)])
    if job.kind == "image":
        if not job.make_pictures:  # an image has no text layer: nothing else to make of it
            return PrintResult(job.key, True)
        try:
            img = open_image(data)
        except NotAPageImage as exc:
            return PrintResult(job.key, False, issues=[_issue("print-unreadable", file=job.source, reason=str(exc))])
        return PrintResult(job.key, True, size=(float(img.width), float(img.height), "px"),
                           pictures=derive(img) if job.make_pictures else [])
    import pypdfium2 as pdfium

    try:
        doc = open_pdf(data)
    except NotAPagePdf as exc:
        return PrintResult(job.key, False, issues=[_issue("print-unreadable", file=job.source,
                                                         reason=f"not a readable PDF: {exc}")])
    issues = []
    try:
        if len(doc) > 1 and not job.index and "#" not in job.key:
            issues.append(_issue("print-several-pages", file=job.source, pages=len(doc)))
        page = doc[min(job.index, len(doc) - 1)]
        try:
            layer = read_layer(page)
            laid_out = _laid_out_stories(page) if layer.characters else []
            pictures = []
            if job.make_pictures:
                scale = render_scale(layer.width_pt, layer.height_pt)
                bitmap = page.render(scale=scale, may_draw_forms=False)
                pictures = derive(bitmap.to_pil())
        finally:
            page.close()
    except pdfium.PdfiumError as exc:
        return PrintResult(job.key, False, issues=[_issue("print-unreadable", file=job.source,
                                                         reason=f"PDFium could not read its page: {exc}")])
    finally:
        doc.close()
    regions: dict[str, list[list[float]]] = {}
    if layer.characters:
        rects, _ = story_rectangles(layer, job.stories)
        rects.update(_exact_regions(job.stories, laid_out, layer.width_pt, layer.height_pt))
        regions = {slug: [round_box(b) for b in sorted(bs, key=lambda b: (b.y0, b.x0))]
                   for slug, bs in sorted(rects.items()) if bs}
        missing = [s for s in job.stories if s.slug not in regions]
        if missing and len(missing) == len(job.stories):
            issues.append(_issue("print-text-mismatch", file=job.source, stories=len(missing)))
        else:
            for s in missing:
                issues.append(_issue("print-story-not-found", file=job.source, title=s.title))
    else:
        issues.append(_issue("print-no-text-layer", file=job.source))
    return PrintResult(job.key, True, size=(round(layer.width_pt, 2), round(layer.height_pt, 2), "pt"),
                       text_layer=bool(layer.characters), regions=regions, pictures=pictures, issues=issues)


def _one_page(data: bytes, index: int) -> bytes:
    """Page ``index`` of an edition PDF as a PDF of its own (the page's download)."""
    import io

    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(data)
    out = pdfium.PdfDocument.new()
    try:
        out.import_pages(src, [index])
        buf = io.BytesIO()
        out.save(buf)
        # PDFium stamps the time of saving: a fixed date of the same length keeps the bytes
        # the same for the same input (and the cross-reference offsets right)
        # and a file ID made from the time: one from the source's bytes and the page instead
        ident = hashlib.sha256(data + str(index).encode()).hexdigest()[:32].upper().encode()
        pdf = re.sub(rb"/CreationDate\(D:\d{14}", b"/CreationDate(D:20000101000000", buf.getvalue(), count=1)
        return re.sub(rb"/ID\[<[0-9A-Fa-f]{32}><[0-9A-Fa-f]{32}>\]", b"/ID[<" + ident + b"><" + ident + b">]", pdf,
                      count=1)
    finally:
        out.close()
        src.close()


def _laid_out_stories(page) -> list:
    """The stories as the PDF reader lays them out (converters.pdf): their boxes are exact."""
    from converters.pdf.reader import read_page

    try:
        reading = read_page(page, {})
    except Exception:
        return []
    return [(s, reading.body) for s in reading.stories] if not reading.problem else []


def _exact_regions(stories: list[StoryText], laid_out: list, width: float, height: float) -> dict:
    """Each article's region from the PDF reader's story with the same text (most of the
    article's letters in it): the blocks the article was read from (its headline block, its
    columns), not lines matched to it; padded by the line spacing as the matcher's are."""
    from collections import Counter

    from converters.printed.textlayer import Box, normalize

    if not laid_out:
        return {}
    em = laid_out[0][1] * 1.5 / height  # a line of body type, as a fraction of the page's height
    boxes = [[Box(x0 / width, y0 / height, x1 / width, y1 / height) for x0, y0, x1, y1 in s.boxes]
             for s, _ in laid_out]
    items = [(b, k) for k, bs in enumerate(boxes) for b in bs]
    pools = [Counter(normalize(s.text)) for s, _ in laid_out]
    chosen: dict[int, str] = {}
    for story in stories:
        want = Counter(normalize("".join((story.title, *story.paragraphs))))
        total = sum(want.values())
        if not total:
            continue
        shares = [sum((want & p).values()) / total for p in pools]
        best = max(range(len(pools)), key=lambda k: shares[k])
        if shares[best] >= 0.8 and best not in chosen:
            chosen[best] = story.slug
    rects = {k: _side_by_side(boxes[k], k, items, em) for k in chosen}
    return {chosen[k]: r for k, r in rects.items()}


def _side_by_side(boxes: list, own: int, items: list, em: float) -> list:
    """A story's columns set side by side as one rectangle (the gutters between them are the
    story's), while nothing of another story is inside; its headline block stays apart (a
    centred headline does not make the space beside it the story's)."""
    from converters.printed.textlayer import Box

    head, rest = boxes[:1], list(boxes[1:])
    changed = True
    while changed:
        changed = False
        for i in range(len(rest)):
            for j in range(i + 1, len(rest)):
                a, b = rest[i], rest[j]
                gx, _ = a.gap(b)
                shared = min(a.y1, b.y1) - max(a.y0, b.y0)
                joined = a.union(b)
                if (gx <= 3 * em and shared >= 0.5 * min(a.height, b.height)
                        and not any(s != own and joined.intersects(x) for x, s in items)):
                    rest[i] = joined
                    del rest[j]
                    changed = True
                    break
            if changed:
                break
    if head and rest:
        # A narrow headline centred over its story is set across the story's measure: the
        # space beside it is the story's (while nothing else stands there).
        h = head[0]
        below = [r for r in rest if r.y0 >= h.y1 - em and r.x_overlap(h) > 0]
        if below:
            x0, x1 = min(r.x0 for r in below), max(r.x1 for r in below)
            wide = Box(min(h.x0, x0), h.y0, max(h.x1, x1), h.y1)
            # (a headline block with a line nearly as wide as the story, a subtitle across
            # the columns, is its own measure: only a narrow centred one is widened)
            if h.width < 2 / 3 * (x1 - x0) and abs((h.x0 + h.x1) - (x0 + x1)) / 2 <= em and not any(
                    s != own and wide.intersects(x) for x, s in items):
                head = [wide]
    return head + rest


def find_source(dump: Path, listing: dict[Path, list[str]]) -> tuple[Path | None, list[dict]]:
    """The page's PDF or image: beside the dump, with the dump's name (``01.txt`` →
    ``01.pdf``, ``01.jpg``…, any case).  A PDF wins over an image (noted)."""
    folder = dump.parent
    names = listing.get(folder)
    if names is None:
        try:
            names = listing[folder] = sorted(os.listdir(folder))
        except OSError:
            names = listing[folder] = []
    stem = dump.stem
    found = [n for n in names if Path(n).stem == stem and Path(n).suffix.lower() in PDF_SUFFIXES + IMAGE_SUFFIXES
             and not n.startswith(".")]
    if not found:
        return None, []
    found.sort(key=lambda n: (Path(n).suffix.lower() not in PDF_SUFFIXES, n))
    issues = []
    if len(found) > 1:
        issues.append(_issue("print-several-sources", file=str(folder / found[0]), ignored="、".join(found[1:])))
    return folder / found[0], issues


class Digests:
    """SHA-256 of files, remembered by size and mtime between runs (``.printed.cache.json``,
    local to the machine), so an unchanged page PDF is hashed once, not on every run."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.old = json.loads(path.read_text(encoding="utf-8")).get("files", {})
        except (OSError, ValueError, AttributeError):
            self.old = {}
        self.new: dict[str, list] = {}

    def of(self, path: Path, fresh: bool = False) -> str | None:
        """The file's SHA-256 (None when it is not there); ``fresh``: read it whatever the cache says."""
        try:
            st = path.stat()
        except OSError:
            return None
        key = path.as_posix()
        got = self.old.get(key) if not fresh else None
        if got and got[0] == st.st_size and got[1] == st.st_mtime_ns:
            self.new[key] = got
            return got[2]
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        self.new[key] = [st.st_size, st.st_mtime_ns, h.hexdigest()]
        return h.hexdigest()

    def wrote(self, path: Path, data: bytes) -> str:
        """Record bytes just written to ``path`` (no need to read them back)."""
        digest = hashlib.sha256(data).hexdigest()
        st = path.stat()
        self.new[path.as_posix()] = [st.st_size, st.st_mtime_ns, digest]
        return digest

    def save(self, whole: bool) -> None:
        """``whole``: the run saw every page, so files it did not touch are gone from the cache;
        a run over a few dumps keeps the others' entries."""
        files = self.new if whole else {**self.old, **self.new}
        if files or self.path.exists():
            text = json.dumps({"files": files}, sort_keys=True, separators=(",", ":"))
            write_if_changed(self.path, text.encode("utf-8"))


def _load_manifest(out: Path) -> dict:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("pages"), dict):
            return data["pages"]
    except (OSError, ValueError):
        pass
    return {}


def _outputs_as_recorded(folder: Path, outputs: dict[str, str], digests: Digests) -> bool:
    return all(digests.of(folder / name) == sha for name, sha in outputs.items())


def _remove_outputs(folder: Path, entry: dict, digests: Digests, force: bool) -> list[dict]:
    """Delete what the stage wrote for a page (a file changed since is left, with a warning)."""
    issues = []
    for name, sha in sorted((entry.get("outputs") or {}).items()):
        path = folder / name
        current = digests.of(path)
        if current is None:
            continue
        if not force and current != sha:
            issues.append(_issue("print-hand-edited-kept", file=str(path)))
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()  # only when nothing else is left in it
    return issues


def _run(jobs: list[PrintJob], workers: int) -> list[PrintResult]:
    if workers <= 1 or len(jobs) < 2:
        return [make_page(j) for j in jobs]
    context = None
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(workers, os.cpu_count() or 1, len(jobs)), mp_context=context) as pool:
        return list(pool.map(make_page, jobs))


def update(out: Path, dumps: list[tuple[str, str, Path | None]], reports: list[dict], *, jobs: int = 1,
           force: bool = False) -> None:
    """Make or refresh the printed page of every dump of this run (see the module's doc).

    ``dumps`` are the run's (path, manifest key, paper folder); ``reports`` its page
    reports, whose entries for pages with a print source are replaced by copies with the
    stage's issues and a ``print`` summary.
    """
    out = Path(out)
    manifest = _load_manifest(out)
    digests = Digests(out / CACHE)
    by_key = {r["key"]: i for i, r in enumerate(reports)}
    listing: dict[Path, list[str]] = {}
    todo: list[tuple[PrintJob, Path, dict]] = []
    extra: dict[str, list[dict]] = {}
    summary: dict[str, dict] = {}
    present = set()
    for path, key, _ in dumps:
        present.add(key)
        idx = by_key.get(key)
        report = reports[idx] if idx is not None else None
        entry = manifest.get(key)
        folder = None
        if report and report.get("date") and report.get("page") is not None:
            folder = out / report["date"] / page_label(report["page"])
        usable = report is not None and report.get("status") != "refused" and report.get("articles") and folder
        source, notes = find_source(Path(path), listing) if usable else (None, [])
        if entry is not None and (source is None or entry.get("folder") != folder.relative_to(out).as_posix()):
            # no source any more, or the page moved (its date or number was corrected)
            extra[key] = _remove_outputs(out / entry["folder"], entry, digests, force)
            manifest.pop(key)
            entry = None
        if source is None:
            continue
        digest = digests.of(source, fresh=force)
        if digest is None:
            continue
        articles = {p.name: digests.of(p) for p in article_files(folder)}
        same_source = bool(entry) and not force and entry.get("stage") == STAGE_VERSION and entry["sha256"] == digest
        if (same_source and entry.get("articles") == articles
                and _outputs_as_recorded(folder, entry.get("outputs") or {}, digests)):
            extra[key] = notes + entry.get("issues", [])
            summary[key] = dict(entry.get("summary") or {}, made=False)
            continue
        pictures_kept = same_source and bool(entry.get("images")) and _outputs_as_recorded(
            folder, {n: s for n, s in (entry.get("outputs") or {}).items() if n != P.PAGE_FILE}, digests)
        stories, bad = [], []
        for p in article_files(folder):
            try:
                stories.append(read_story(p))
            except NotAnArticle as exc:
                bad.append(_issue("print-article-unreadable", reason=str(exc)))
        kind = "pdf" if source.suffix.lower() in PDF_SUFFIXES else "image"
        _, _, number = key.partition("#")  # a page of an edition PDF
        job = PrintJob(key, str(source), kind, digest, stories, make_pictures=not pictures_kept,
                       index=int(number) - 1 if number.isdigit() else 0)
        todo.append((job, folder, {"bytes": source.stat().st_size, "articles": articles, "notes": notes + bad,
                                   "old": entry or {}, "pictures_kept": pictures_kept}))
    results = _run([j for j, _, _ in todo], jobs)
    for (job, folder, ctx), result in zip(todo, results, strict=True):
        entry, issues = _write(out, folder, job, result, ctx, digests, force)
        manifest[job.key] = entry
        extra[job.key] = extra.get(job.key, []) + ctx["notes"] + issues
        summary[job.key] = dict(entry.get("summary") or {}, made=bool(result.pictures))
    whole = bool(dumps) and all(d is not None for _, _, d in dumps)  # folders, not single dumps
    if whole:
        for key in sorted(set(manifest) - present):  # the dump is gone: so are its page's pictures
            gone = manifest.pop(key)
            _remove_outputs(out / gone["folder"], gone, digests, force)
    for key in sorted(set(extra) | set(summary)):
        idx = by_key.get(key)
        if idx is None:
            continue
        report = dict(reports[idx])
        report["issues"] = list(report.get("issues", [])) + extra.get(key, [])
        if key in summary:
            report["print"] = summary[key]
        reports[idx] = report
    if manifest or (out / MANIFEST).exists():
        out.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"version": 1, "pages": manifest}, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        write_if_changed(out / MANIFEST, text.encode("utf-8"))
        digests.save(whole)


_RECT = re.compile(r"\[\s+(\S+),\s+(\S+),\s+(\S+),\s+(\S+)\s+\]")


def page_json(page: dict) -> bytes:
    """``page.json``'s bytes: sorted keys, one line per key, a rectangle per line."""
    text = json.dumps(page, ensure_ascii=False, indent=1, sort_keys=True)
    return (_RECT.sub(r"[\1, \2, \3, \4]", text) + "\n").encode("utf-8")


def _write(out: Path, folder: Path, job: PrintJob, result: PrintResult, ctx: dict, digests: Digests,
           force: bool) -> tuple[dict, list[dict]]:
    """Write one page's files; returns its manifest entry and any issues of writing."""
    old = ctx["old"]
    issues = list(result.issues)
    name = Path(job.source).name
    base = {"folder": folder.relative_to(out).as_posix(), "source": name, "sha256": job.digest,
            "articles": ctx["articles"], "stage": STAGE_VERSION}
    if not result.ok:
        issues += _remove_outputs(folder, old, digests, force)
        return dict(base, outputs={}, images=None, issues=issues, summary={"source": name, "usable": False}), issues
    outputs: dict[str, str] = {}
    if ctx["pictures_kept"]:
        images = old["images"]
        size = tuple(old["size"]) if job.kind == "image" else result.size
        outputs = {n: s for n, s in old["outputs"].items() if n != P.PAGE_FILE}
    else:
        size = result.size
        images = []
        for pic in result.pictures:
            write_if_changed(folder / pic.name, pic.data)
            outputs[pic.name] = digests.wrote(folder / pic.name, pic.data)
            images.append({"name": pic.name, "width": pic.width, "height": pic.height, "sha256": outputs[pic.name]})
        if job.kind == "pdf":
            data = _one_page(Path(job.source).read_bytes(), job.index) if "#" in job.key else \
                Path(job.source).read_bytes()
            write_if_changed(folder / P.PDF_NAME, data)
            outputs[P.PDF_NAME] = digests.wrote(folder / P.PDF_NAME, data)
    thumb = next(i for i in images if i["name"] == P.THUMBNAIL_NAME)
    page = {
        "schema": P.SCHEMA,
        "source": {"kind": job.kind, "name": name, "sha256": job.digest, "bytes": ctx["bytes"]},
        "size": {"width": size[0], "height": size[1], "unit": size[2]},
        "images": [i for i in images if i["name"] != P.THUMBNAIL_NAME],
        "thumbnail": thumb,
        "text_layer": result.text_layer,
        "regions": result.regions,
    }
    if job.kind == "pdf":
        page["pdf"] = P.PDF_NAME
    data = page_json(page)
    target = folder / P.PAGE_FILE
    recorded = (old.get("outputs") or {}).get(P.PAGE_FILE)
    current = digests.of(target)
    if current is not None and recorded and current != recorded and not force and target.read_bytes() != data:
        issues.append(_issue("print-hand-edited-kept", file=str(target)))
        outputs[P.PAGE_FILE] = recorded
    else:
        write_if_changed(target, data)
        outputs[P.PAGE_FILE] = digests.wrote(target, data)
    for gone in sorted(set(old.get("outputs") or {}) - set(outputs)):  # e.g. page.pdf, now that it is an image
        with contextlib.suppress(FileNotFoundError):
            (folder / gone).unlink()
    summary = {"source": name, "usable": True, "regions": len(result.regions), "stories": len(job.stories)}
    return dict(base, outputs=outputs, images=images, size=list(size), issues=issues, summary=summary), issues


__all__ = ["CACHE", "MANIFEST", "make_page", "update"]
