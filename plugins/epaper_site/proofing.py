"""The 校对 (proofing) page: every warning of the conversion, with links to the article it
concerns and to the line of the dump it points at — for the editor, in local builds only
(``EPAPER_PROOFING``; publishconf.py turns it off, so readers never see it).

It reads ``content/<paper>/conversion-report.json``, which the converter writes beside the
articles (the contract's report, not the converter's code), and the dumps it names.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from .model import Newspaper, Story

SEVERITY_CN = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass
class Row:
    severity: str
    severity_cn: str
    line: int
    code: str
    message: str
    dropped: str
    story: Story | None
    source_url: str  # the dump's view, at the line
    diff: list[str] = field(default_factory=list)


@dataclass
class DumpSection:
    source: str
    key: str
    status: str
    date: str
    page: int | None
    rows: list[Row]
    view_url: str
    notes: int


def source_view_url(key: str) -> str:
    """``proofing/source/2024-03-17-01.txt.html``: one page per dump, its lines numbered."""
    return f"proofing/source/{key.replace('/', '-')}.html"


def _story_at(stories: list[Story], line: int) -> Story | None:
    """The story on the page that starts at or before ``line`` (its Source says where)."""
    starts = [(_start(s), s) for s in stories]
    starts.sort(key=lambda t: t[0])
    i = bisect.bisect_right([t[0] for t in starts], line) - 1
    return starts[i][1] if i >= 0 and line else None


def _start(s: Story) -> int:
    _, _, line = s.source.rpartition(":")
    return int(line) if line.isdigit() else 0


def report_dates(report_path: Path) -> set[dt.date]:
    """The edition dates of the pages the report names (a daily update loads just those)."""
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    out = set()
    for p in report.get("pages", []):
        try:
            out.add(dt.date.fromisoformat(p.get("date") or ""))
        except ValueError:
            continue
    return out


def sections(report_path: Path, paper: Newspaper) -> list[DumpSection]:
    """The report's pages as the proofing page lists them, newest edition first."""
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    on_page: dict[tuple[str, int], list[Story]] = {}
    for ed in paper.editions.values():
        for s in ed.stories:
            on_page.setdefault((s.date.isoformat(), s.page), []).append(s)
    out = []
    for p in report.get("pages", []):
        stories = on_page.get((p.get("date") or "", p.get("page") or 0), [])
        view = source_view_url(p["key"])
        rows = [Row(i["severity"], SEVERITY_CN.get(i["severity"], i["severity"]), i.get("line", 0), i["code"],
                    i.get("message", ""), i.get("dropped", ""), _story_at(stories, i.get("line", 0)),
                    f"{view}#L{i['line']}" if i.get("line") else view, list(i.get("diff", [])))
                for i in p.get("issues", [])]
        out.append(DumpSection(p.get("source", p["key"]), p["key"], p.get("status", ""), p.get("date") or "",
                               p.get("page"), rows, view, len(p.get("notes", []))))
    out.sort(key=lambda d: (d.date, d.page or 0), reverse=True)
    return out


def signature(d: DumpSection) -> str:
    """What a section shows (its rows, the stories they link), for the render key."""
    return json.dumps([d.source, d.status, d.notes, [(r.severity, r.line, r.code, r.message, r.diff,
                                                     r.story.url if r.story else "", r.story.title if r.story else "")
                                                    for r in d.rows]], ensure_ascii=False)


def file_stamp(source: str, base: Path) -> str:
    path = Path(source) if Path(source).is_absolute() else base / source
    try:
        st = path.stat()
    except OSError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}"


def dump_lines(source: str, base: Path) -> list[str]:
    """The dump's lines as the converter read them (UTF-8; anything else shown replaced); a page
    PDF is not text: one line says so."""
    path = Path(source) if Path(source).is_absolute() else base / source
    try:
        data = path.read_bytes()
    except OSError:
        return []
    if data[:5] == b"%PDF-":  # a page PDF read by the converter's PDF reader: not text to show
        return ["（版面 PDF：由转换器的 PDF 读取器读取，见本版的 page.pdf；警告的行号是它读出的第几段）"]
    return data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n").split("\n")
