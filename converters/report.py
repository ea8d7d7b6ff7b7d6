"""The conversion report: per page, what was made and what the editor should look at.

Printed after every run, it shows what *this* run converted (today's new or changed
dumps) with their warnings, one line for the dumps that did not change, and every error
collected at the end, where it cannot be missed; in Chinese, or in English with
``EPAPER_LANG=en`` / ``--lang en``.  Each message keeps its ``code`` for scripts.

``python -m converters.report content/<paper>`` prints the last report again (``--all``:
the unchanged pages' warnings too) and exits non-zero when it holds errors, or when two
files tell the same story (``make publish`` runs this first; ``--force`` publishes anyway).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from converters.messages import MESSAGES, SEVERITY, STATUS, language, render, word
from converters.model import Page, Severity
from converters.write import Manifest, write_json
from epaper_contract.header import read as read_header


def page_report(page: Page, key: str, status: str) -> dict:
    return {
        "source": page.source,
        "key": key,
        "status": status,
        "date": page.facts.date,
        "page": page.facts.page,
        "encoding": page.encoding,
        "dialect": page.dialect,
        "articles": len(page.articles),
        "inferred_titles": sum(1 for a in page.articles if a.title_inferred),
        "titles": [a.title for a in page.articles],
        "issues": [i.as_dict() for i in sorted(page.issues, key=lambda i: i.line)
                   if i.severity is not Severity.INFO],
        "notes": [i.as_dict() for i in page.issues if i.severity is Severity.INFO],
    }


def _count(p: dict, severity: str) -> int:
    return sum(1 for i in p["issues"] if i["severity"] == severity)


def page_head(p: dict, lang: str | None = None) -> str:
    lang = lang or language()
    warnings, errors = _count(p, "warning"), _count(p, "error")
    status = word(STATUS, p["status"], lang)
    if lang == "zh":
        head = f"{p['source']}：{p['articles']} 篇稿件"
        if p.get("inferred_titles"):
            head += f"（{p['inferred_titles']} 篇标题据导语拟）"
        return f"{head}，{warnings} 条警告，{errors} 条错误  [{status}]"
    head = f"{p['source']}: {p['articles']} articles"
    if p.get("inferred_titles"):
        head += f" ({p['inferred_titles']} inferred titles)"
    return f"{head}, {warnings} warnings, {errors} errors  [{status}]"


def issue_line(i: dict, lang: str | None = None, source: str = "") -> str:
    """One message, made now from its code and params (a stored report may be in the other
    language)."""
    lang = lang or language()
    where = (f"第{i['line']}行" if lang == "zh" else f"line {i['line']}") if i.get("line") else (
        "全文" if lang == "zh" else "file")
    prefix = f"{source}  " if source else ""
    message = render(i["code"], {"line": i.get("line", 0), **i.get("params", {})}, lang) \
        if "params" in i or i["code"] in MESSAGES else i.get("message", "")
    return f"    {prefix}{word(SEVERITY, i['severity'], lang)}  {where}  {i['code']}: {message}"


#: The terminal report's limits (``--all`` lifts them): messages shown per page, lines for all
#: of today's pages, errors at the end.  A real page has a dozen messages at most; what is
#: not shown is counted, and the whole report is in conversion-report.json.
PAGE_MESSAGES = 30
REPORT_LINES = 300
ERROR_LINES = 100


def format_page(p: dict, lang: str | None = None, with_errors: bool = True, limit: int | None = None) -> list[str]:
    lines = [page_head(p, lang)]
    shown = [i for i in p["issues"] if with_errors or i["severity"] != "error"]
    for i in shown[:limit]:
        lines.append(issue_line(i, lang))
        lines.extend(f"        {d}" for d in i.get("diff", []))
    if limit is not None and len(shown) > limit:
        n = len(shown) - limit
        lines.append(f"    …本版另有 {n} 条消息未显示" if (lang or language()) == "zh" else
                     f"    … {n} more messages on this page not shown")
    return lines


def _not_shown(pages: int, messages: int, content: str, lang: str) -> str:
    """The line saying what the capped report leaves out, and where all of it is."""
    where = f"{content}/conversion-report.json"
    if lang == "zh":
        what = f"{pages} 份版面、{messages} 条消息" if pages else f"{messages} 条错误"
        return f"…另有 {what}未显示（全部：python -m converters.report {content} --all，或 {where}）"
    what = f"{pages} more dumps and {messages} more messages" if pages else f"{messages} more errors"
    return f"… {what} not shown (all of them: python -m converters.report {content} --all, or {where})"


def format_report(pages: list[dict], verbose: bool = False, lang: str | None = None,
                  content: str = "content/<paper>") -> str:
    """Today's pages (converted or refused in this run) in full, the unchanged ones in one
    line (``verbose``: in full), and every error again at the end.  Capped unless
    ``verbose`` (a dump of thousands of messages is not read in a terminal), with a count
    of what is not shown and where it is; ``content`` is the paper's content folder, for
    the hints."""
    lang = lang or language()
    out: list[str] = []
    today = [p for p in pages if p["status"] != "unchanged"]
    same = [p for p in pages if p["status"] == "unchanged"]
    limit = None if verbose else PAGE_MESSAGES
    hidden_pages = hidden_messages = 0
    for p in today + (same if verbose else []):
        lines = format_page(p, lang, with_errors=False, limit=limit)
        if not verbose and len(out) + len(lines) > REPORT_LINES:
            hidden_pages += 1
            hidden_messages += sum(1 for i in p["issues"] if i["severity"] != "error")
            continue
        out.extend(lines)
        if limit is not None:
            hidden_messages += max(0, sum(1 for i in p["issues"] if i["severity"] != "error") - limit)
    if hidden_pages:
        out.append(_not_shown(hidden_pages, hidden_messages, content, lang))
    if same and not verbose:
        warned = sum(_count(p, "warning") for p in same)
        out.append(f"未变的版面 {len(same)} 份（共 {warned} 条警告；看全部：python -m converters.report "
                   f"{content} --all）" if lang == "zh" else
                   f"{len(same)} dumps unchanged ({warned} warnings; all of them: python -m converters.report "
                   f"{content} --all)")
    errors = [(p["source"], i) for p in pages for i in p["issues"] if i["severity"] == "error"]
    if errors:
        out.append(f"错误 {len(errors)} 条（这些版面未转换；有错误时 make publish 拒绝发布）：" if lang == "zh" else
                   f"{len(errors)} errors (these dumps were not converted; make publish refuses while they stand):")
        shown = errors if verbose else errors[:ERROR_LINES]
        out.extend(issue_line(i, lang, source) for source, i in shown)
        if len(shown) < len(errors):
            out.append(_not_shown(0, len(errors) - len(shown), content, lang))
    return "\n".join(out)


def run_line(summary, elapsed: float, out: str, lang: str | None = None) -> str:
    """The last line of a run: how many dumps, what happened, where it went."""
    n = len(summary.pages)
    if (lang or language()) == "zh":
        return (f"{n} 份版面：转换 {summary.converted}，未变 {summary.unchanged}；"
                f"警告 {summary.warnings}，错误 {summary.errors}；{elapsed:.1f} 秒 → {out}")
    return (f"{n} dumps: {summary.converted} converted, {summary.unchanged} unchanged; "
            f"{summary.warnings} warnings, {summary.errors} errors; {elapsed:.1f}s -> {out}")


def duplicate_stories(content: Path) -> list[str]:
    """Two files telling one story (the same ``Source``) or sharing one ``Order`` on a page:
    a correction written beside a hand-edited file, say.  Read from the files' headers."""
    by_source: dict[str, list[str]] = defaultdict(list)
    by_order: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for md in sorted(content.rglob("*.md")):
        header, _ = read_header(md)
        meta = {key: header.get(key) for key in header.meta}
        rel = md.relative_to(content).as_posix()
        if meta.get("source"):
            by_source[meta["source"]].append(rel)
        if meta.get("order") and meta.get("page") and meta.get("date"):
            by_order[(meta["date"][:10], meta["page"], meta["order"])].append(rel)
    problems = [f"Source {src}: {', '.join(files)}" for src, files in by_source.items() if len(files) > 1]
    problems += [f"{d} page {pg} Order {o}: {', '.join(files)}" for (d, pg, o), files in by_order.items()
                 if len(files) > 1]
    return problems


PUBLISHED = ".published.json"
_PAGE_FOLDER = re.compile(r"^(\d{4}-\d{2}-\d{2})/(\d{2,3})$")


def edition_files(content: Path) -> dict[str, dict[str, list[str]]]:
    """What the content folder would publish: date -> page (``01``) -> its article files."""
    editions: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for md in sorted(content.glob("*/*/*.md")):
        m = _PAGE_FOLDER.match(md.parent.relative_to(content).as_posix())
        if m and not md.name.startswith("."):
            editions[m[1]].setdefault(m[2], []).append(md.name)
    return dict(editions)


def record_published(content: Path) -> int:
    """Remember what was published (``make publish`` does this after its build), for the next
    publish check; returns the number of pages."""
    editions = edition_files(content)
    write_json(content / PUBLISHED, {"editions": editions})
    return sum(len(pages) for pages in editions.values())


def publish_losses(content: Path) -> list[dict]:
    """Pages and stories the last publication had and the content folder has no longer,
    unless the page's dump was removed from raw/ on purpose (the converter recorded it):
    the params of each ``publish-loss``.  A page never vanishes unnoticed (issue 25: a
    renamed dump once emptied its page for a run)."""
    try:
        last = json.loads((content / PUBLISHED).read_text(encoding="utf-8")).get("editions", {})
    except (FileNotFoundError, ValueError):
        return []  # nothing published yet
    removed = Manifest.load(content).removed
    now = edition_files(content)
    losses = []
    for date, pages in sorted(last.items()):
        for page, files in sorted(pages.items()):
            have = now.get(date, {}).get(page, [])
            if len(have) >= len(files) or (not have and f"{date}/{page}" in removed):
                continue
            missing = sorted(set(files) - set(have))
            losses.append({"date": date, "page": int(page), "then": len(files), "now": len(have),
                           "files": ", ".join(missing[:5]) + (f" … ({len(missing)})" if len(missing) > 5 else "")})
    return losses


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m converters.report",
                                 description="Show the conversion report (exit 1 when it has errors); with "
                                             "--publish-check, decide whether make publish may go on.")
    ap.add_argument("content", help="the paper's content folder, e.g. content/zjrb")
    ap.add_argument("--publish-check", action="store_true",
                    help="what make publish runs: refuse on errors, on two files of one story, and on pages or "
                         "stories the last publication had and this one would lose")
    ap.add_argument("--record-published", action="store_true",
                    help="remember the content as published (make publish, after its build)")
    ap.add_argument("--force", action="store_true", help="exit 0 even when the report has errors (FORCE=1)")
    ap.add_argument("--all", action="store_true", help="the unchanged pages' warnings too, nothing capped")
    ap.add_argument("--lang", choices=("zh", "en"), help="report language (default: EPAPER_LANG, else zh)")
    args = ap.parse_args(argv)
    lang = args.lang or language()
    content = Path(args.content)
    if args.record_published:
        n = record_published(content)
        print(f"已记下发布的 {n} 个版面：{content / PUBLISHED}（下次发布据此检查有无版面或稿件丢失）" if lang == "zh"
              else f"recorded the {n} pages published in {content / PUBLISHED} (the next publish checks against it)")
        return 0
    path = content / "conversion-report.json"
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        print(f"{path}: no conversion report (run `make content` first)", file=sys.stderr)
        return 2
    text = format_report(report["pages"], verbose=args.all, lang=lang, content=args.content.rstrip("/"))
    if text:
        print(text)
    errors = report.get("errors", 0)
    dupes = duplicate_stories(content)
    for d in dupes:
        print(("两个文件讲同一篇稿件：" if lang == "zh" else "two files tell one story: ") + d, file=sys.stderr)
    losses = publish_losses(content) if args.publish_check else []
    for loss in losses:
        print(render("publish-loss", loss, lang), file=sys.stderr)
    print(f"{len(report['pages'])} 份版面，警告 {report.get('warnings', 0)}，错误 {errors + len(dupes)}" if lang == "zh"
          else f"{len(report['pages'])} pages, {report.get('warnings', 0)} warnings, {errors + len(dupes)} errors")
    if not args.publish_check:  # viewing the report refuses nothing
        return 1 if errors or dupes else 0
    if (errors or dupes or losses) and not args.force:
        why = ("转换报告有错误（修好版面文件，或 FORCE=1）" if errors or dupes else
               "比上次发布少了版面或稿件（见上；若是有意，FORCE=1）") if lang == "zh" else (
               "the conversion report has errors (fix the dumps, or FORCE=1)" if errors or dupes else
               "pages or stories the last publication had are missing (above; if on purpose, FORCE=1)")
        print(("拒绝发布：" if lang == "zh" else "refusing to publish: ") + why, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
