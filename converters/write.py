"""Stage 8, write: one Markdown file per article, atomic and deterministic.

Hand edits are never overwritten: the manifest records the SHA-256 of every file as
the converter wrote it; a file whose bytes no longer match was edited by someone, and
is left alone (with a warning) unless ``--force``.  Writes go to a temporary file that
is renamed into place (the rename is atomic; a killed process loses nothing the kernel
already has, so files are not fsynced one by one), and a journal of pending hashes is written first, so a run
killed half-way leaves every file either old or new and the next run repairs the rest.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import epaper_contract as K
from converters.escape import markdown_text, metadata_value
from converters.model import Article, Page
from epaper_contract import page_label
from epaper_contract.files import atomic_write

MANIFEST = ".manifest.json"
#: AuthorRole of a byline printed as the name alone (a commentary's 李洪兴, 本报评论员).
BARE_BYLINE = "作者"
PENDING = ".manifest.pending.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def article_path(page: Page, art: Article) -> str:
    """Path of an article's file relative to the paper's content folder."""
    return f"{page.facts.date}/{page_label(page.facts.page or 0)}/{art.slug}.md"


def render(page: Page, art: Article) -> str:
    """The Markdown file of one article: metadata header, blank line, body."""
    lines = [f"{key}: {value}" for key, value in _metadata(page, art)]
    lines.append("")
    lines.extend(_body_lines(art))
    return "\n".join(lines)


#: Keys whose values the whole edition decides (its front page's paper name, issue number and
#: page count; a first part's continuation, paired on another page), known only once every page
#: of the edition has been converted.
EDITION_KEYS = (K.PAPER, K.ISSUE, K.PAGES, K.CONTINUED_ON_SLUG)
_RANK = {key: i for i, key in enumerate(K.KEY_ORDER)}
#: Which chunk of :func:`render_parts` a key's line goes in: after how many edition keys.
_CHUNK = {key: sum(1 for e in EDITION_KEYS if _RANK[e] < rank) for key, rank in _RANK.items()}


def render_parts(page: Page, art: Article) -> tuple[bytes, ...]:
    """:func:`render` cut around the :data:`EDITION_KEYS` lines, as UTF-8 (one chunk more than
    there are edition keys).  Workers render these before the edition is known;
    :func:`join_parts` adds the edition's values, giving the bytes :func:`render` gives once
    ``page.facts`` has them."""
    chunks: list[list[str]] = [[] for _ in range(len(EDITION_KEYS) + 1)]
    for key, value in _metadata(page, art):
        if key in EDITION_KEYS:
            continue
        chunks[_CHUNK[key]].append(f"{key}: {value}\n")
    chunks[-1].append("\n".join(["", *_body_lines(art)]))
    return tuple("".join(c).encode("utf-8") for c in chunks)


def edition_values(page: Page, art: Article) -> dict[str, str]:
    """The values of :data:`EDITION_KEYS` for one article, as :func:`_metadata` gives them."""
    f = page.facts
    return {K.PAPER: f.paper, K.ISSUE: "" if f.issue is None else str(f.issue),
            K.PAGES: "" if f.pages_total is None else str(f.pages_total),
            K.CONTINUED_ON_SLUG: art.continued_on_slug if art.continued_on is not None else ""}


def join_parts(parts: tuple[bytes, ...], values: dict[str, str]) -> bytes:
    """The file :func:`render` makes, from :func:`render_parts` and the edition's values."""
    out = [parts[0]]
    for key, part in zip(EDITION_KEYS, parts[1:], strict=True):
        value = metadata_value(values.get(key) or "")
        if value:
            out.append(f"{key}: {value}\n".encode())
        out.append(part)
    return b"".join(out)


def _metadata(page: Page, art: Article) -> list[tuple[str, str]]:
    """(key, value) of the header lines, in order; empty values are left out."""
    f = page.facts
    meta: dict[str, str] = {
        K.TITLE: art.title,
        K.KICKER: art.kicker,
        K.SUBTITLE: art.subtitle,
        K.TITLE_INFERRED: "true" if art.title_inferred else "",
        K.COLUMN: art.column,
        K.AUTHORS: K.join_list(art.authors),
        K.AUTHOR_ROLE: (art.author_role or BARE_BYLINE) if art.authors else "",
        K.CORRESPONDENTS: K.join_list(art.correspondents),
        K.DATELINE: art.dateline,
        K.DATE: f.date,
        K.PAPER: f.paper,
        K.PAPER_SLUG: f.paper_slug,
        K.ISSUE: str(f.issue) if f.issue is not None else "",
        K.PAGE: str(f.page) if f.page is not None else "",
        K.PAGES: str(f.pages_total) if f.pages_total is not None else "",
        K.SECTION: f.section,
        K.ORDER: str(art.order),
        K.CONTINUED_ON: str(art.continued_on) if art.continued_on is not None else "",
        K.CONTINUED_ON_SLUG: art.continued_on_slug if art.continued_on is not None else "",
        K.CONTINUED_FROM: str(art.continued_from) if art.continued_from is not None else "",
        K.CONTINUED_FROM_SLUG: art.continued_from_slug if art.continued_from is not None else "",
        K.CAPTION: art.caption,
        K.IMAGES: K.join_list(art.images),
        K.CITIES: K.join_list(art.cities),
        K.TOPICS: K.join_list(art.topics),
        K.SLUG: art.slug,
        # No Summary: the site makes it from the text, so it follows a hand edit of the body;
        # an editor may still write one (it wins).
        K.SOURCE: f"{page.source}:{art.line}",
    }
    out = []
    for key in K.KEY_ORDER:
        value = metadata_value(meta.get(key, ""))
        if value:
            out.append((key, value))
    return out


def _body_lines(art: Article) -> list[str]:
    lines = []
    for p in art.paragraphs:
        lines.append(("### " if p.subhead else "") + markdown_text(p.text))
        lines.append("")
    return lines


def write_json(path: Path, data: object) -> None:
    atomic_write(path, (json_lines(data) + "\n").encode("utf-8"))


def json_lines(data: object, depth: int = 2, indent: str = "") -> str:
    """JSON with the first ``depth`` levels one item a line and everything below compact:
    a manifest's or report's diff shows which dump changed, and the C encoder (which
    ``indent=`` would turn off) writes the rest, several times faster."""
    if depth == 0 or not isinstance(data, dict | list) or not data:
        return json.dumps(data, ensure_ascii=False, sort_keys=True)
    inner = indent + " "
    if isinstance(data, dict):
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {json_lines(v, depth - 1, inner)}"
                 for k, v in sorted(data.items())]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    items = [f"{inner}{json_lines(v, depth - 1, inner)}" for v in data]
    return "[\n" + ",\n".join(items) + "\n" + indent + "]"


@dataclass
class Manifest:
    """What the converter wrote last time: per dump and per output file."""

    dumps: dict[str, dict] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # relative path -> sha256 as written
    pending: dict[str, str] = field(default_factory=dict)  # from an interrupted run
    #: Pages whose dump was removed from raw/ (``YYYY-MM-DD/PP`` -> which dump, its titles): the
    #: reason they are gone, for the publish check (converters.report); dropped when made again.
    removed: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, out: Path) -> Manifest:
        m = cls()
        try:
            data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
            m.dumps, m.files = data.get("dumps", {}), data.get("files", {})
            m.removed = data.get("removed", {})
        except (FileNotFoundError, ValueError):
            pass
        with contextlib.suppress(FileNotFoundError, ValueError):
            m.pending = json.loads((out / PENDING).read_text(encoding="utf-8")).get("files", {})
        return m

    def ours(self, rel: str, current: bytes) -> bool:
        """Is the file on disk exactly what the converter wrote (now or in an interrupted run)?"""
        h = sha256(current)
        return h == self.files.get(rel) or h == self.pending.get(rel)

    def save(self, out: Path) -> None:
        data = {"version": 1, "dumps": self.dumps, "files": self.files}
        if self.removed:
            data["removed"] = self.removed
        write_json(out / MANIFEST, data)
        with contextlib.suppress(FileNotFoundError):
            (out / PENDING).unlink()


@dataclass
class WriteOutcome:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_hand_edited: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def render_page(page: Page) -> list[tuple[str, bytes, Article]]:
    return [(article_path(page, art), render(page, art).encode("utf-8"), art) for art in page.articles]


def write_page(out: Path, page: Page, rendered: list[tuple[str, bytes, Article]], manifest: Manifest,
               previous_outputs: list[str], force: bool = False, take: frozenset[str] = frozenset(),
               old_facts: dict | None = None) -> tuple[list[str], WriteOutcome]:
    """Write the rendered articles of one page; return the page's output paths and what happened.

    A file edited by hand is kept (``force``, or its path in ``take``, overwrites it).  The
    facts paper.toml gives (``Paper``, ``Section``) still reach it, on the lines the editor
    left as the converter wrote them (``old_facts``: the page's facts last time).  When what
    the converter would write there changed otherwise too (the dump was corrected), the
    report shows the difference the hand-edited file would take, and how to take it."""
    outcome = WriteOutcome()
    outputs: list[str] = []
    root = out.resolve()
    real_dirs: dict[Path, Path] = {}
    for rel, data, art in rendered:
        target = out / rel
        real, exists = _real_path(target, real_dirs)
        if root not in real.parents:  # never write outside the content folder
            page.error("path-outside-out", art.line, rel=rel, out=str(out))
            continue
        outputs.append(rel)
        if exists:
            current = target.read_bytes()
            if current == data:
                manifest.files[rel] = sha256(data)
                outcome.unchanged.append(rel)
                continue
            if not force and rel not in take and not manifest.ours(rel, current):
                changes = _fact_changes(old_facts, page)
                updated = _set_lines(current, changes)
                if sha256(_set_lines(data, {k: (new, old) for k, (old, new) in changes.items()})) \
                        == manifest.files.get(rel):  # nothing but paper.toml's facts changed
                    page.info("hand-edited-kept", art.line, rel=rel)
                else:
                    page.warn("hand-edited-dump-changed", art.line, detail=_diff(rel, updated, data), rel=rel,
                              paper=page.facts.paper_slug)
                if updated != current:
                    atomic_write(target, updated)
                    page.info("hand-edited-facts-updated", art.line, rel=rel, keys="、".join(changes))
                manifest.files[rel] = sha256(data)  # what the converter makes now: a change warns once
                outcome.kept_hand_edited.append(rel)
                continue
        atomic_write(target, data)
        manifest.files[rel] = sha256(data)
        outcome.written.append(rel)
    for rel in previous_outputs:
        if rel in outputs:
            continue
        target = out / rel
        if target.exists() and not force and not manifest.ours(rel, target.read_bytes()):
            page.warn("hand-edited-orphan", 0, rel=rel)
            outcome.kept_hand_edited.append(rel)
            continue
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        manifest.files.pop(rel, None)
        outcome.removed.append(rel)
    return outputs, outcome


def _fact_changes(old_facts: dict | None, page: Page) -> dict[str, tuple[str, str]]:
    """Header keys whose value came from the edition's facts and changed: key -> (old, new)."""
    if not old_facts:
        return {}
    out = {}
    for key, field_name in ((K.PAPER, "paper"), (K.SECTION, "section")):
        old, new = str(old_facts.get(field_name) or ""), getattr(page.facts, field_name) or ""
        if old and new and old != new:
            out[key] = (old, new)
    return out


def _set_lines(data: bytes, changes: dict[str, tuple[str, str]]) -> bytes:
    """``data`` with each header line ``Key: old`` made ``Key: new`` (other values untouched)."""
    if not changes:
        return data
    head, sep, body = data.partition(b"\n\n")
    lines = []
    for line in head.split(b"\n"):
        key, colon, value = line.decode("utf-8", "replace").partition(":")
        if colon and key in changes and value.strip() == changes[key][0]:
            line = f"{key}: {changes[key][1]}".encode()
        lines.append(line)
    return b"\n".join(lines) + sep + body


def _diff(rel: str, current: bytes, proposed: bytes, limit: int = 40) -> tuple[str, ...]:
    """What taking the converter's version would change in the hand-edited file."""
    lines = list(difflib.unified_diff(current.decode("utf-8", "replace").splitlines(),
                                      proposed.decode("utf-8", "replace").splitlines(),
                                      f"{rel}（手改）", f"{rel}（版面）", lineterm="", n=1))
    return tuple(lines[:limit] + ([f"… 还有 {len(lines) - limit} 行"] if len(lines) > limit else []))


def _real_path(target: Path, real_dirs: dict[Path, Path]) -> tuple[Path, bool]:
    """(``target.resolve()``, ``target.exists()``) from one ``lstat``, resolving each folder
    once: the articles of a page share one.  A target that is itself a symbolic link (or a
    name like ``..``) is resolved in full."""
    if target.name in ("", ".", ".."):
        return target.resolve(), target.exists()
    try:
        if stat.S_ISLNK(os.lstat(target).st_mode):
            return target.resolve(), target.exists()
        exists = True
    except OSError:
        exists = False  # not there (yet): resolves to its folder's real path plus its name
    parent = target.parent
    real = real_dirs.get(parent)
    if real is None:
        real = real_dirs[parent] = parent.resolve()
    return real / target.name, exists


def take_path(out: Path, given: str, manifest: Manifest) -> str | None:
    """The file ``--take`` names, relative to ``out``: as the report shows it
    (``2024-03-17/01/x.md``), as the tree shows it (``content/zjrb/2024-03-17/01/x.md``, from the
    working folder) or absolute.  None when it names no article file of ``out``."""
    root = out.resolve()
    candidates = []
    as_path = Path(given)
    with contextlib.suppress(OSError, ValueError):
        candidates.append(as_path.resolve().relative_to(root).as_posix())  # from the working folder
    if not as_path.is_absolute():
        candidates.append(Path(os.path.normpath(given)).as_posix())  # relative to out, as the report says
    for rel in candidates:
        if rel.endswith(".md") and not rel.startswith("../") and ((out / rel).is_file() or rel in manifest.files):
            return rel
    return None


def remove_stale_temp(out: Path) -> int:
    """Delete the temporary files (``.<name>.<random>.tmp``) of a killed run; return how many."""
    removed = 0
    if out.is_dir():
        for p in out.rglob(".*.tmp"):
            with contextlib.suppress(OSError):
                p.unlink()
                removed += 1
    return removed


def write_pending(out: Path, pending: dict[str, str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / PENDING, {"files": pending})
