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
import sys
from collections import defaultdict
from pathlib import Path

from converters.messages import MESSAGES, SEVERITY, STATUS, language, render, word
from converters.model import Page, Severity
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


def format_page(p: dict, lang: str | None = None, with_errors: bool = True) -> list[str]:
    lines = [page_head(p, lang)]
    for i in p["issues"]:
        if with_errors or i["severity"] != "error":
            lines.append(issue_line(i, lang))
            lines.extend(f"        {d}" for d in i.get("diff", []))
    return lines


def format_report(pages: list[dict], verbose: bool = False, lang: str | None = None) -> str:
    """Today's pages (converted or refused in this run) in full, the unchanged ones in one
    line (``verbose``: in full), and every error again at the end."""
    lang = lang or language()
    out: list[str] = []
    today = [p for p in pages if p["status"] != "unchanged"]
    same = [p for p in pages if p["status"] == "unchanged"]
    for p in today:
        out.extend(format_page(p, lang, with_errors=False))
    if same:
        if verbose:
            for p in same:
                out.extend(format_page(p, lang, with_errors=False))
        else:
            warned = sum(_count(p, "warning") for p in same)
            out.append(f"未变的版面 {len(same)} 份（共 {warned} 条警告；看全部：python -m converters.report "
                       "<content/报纸> --all）" if lang == "zh" else
                       f"{len(same)} dumps unchanged ({warned} warnings; all of them: python -m converters.report "
                       "<content/paper> --all)")
    errors = [(p["source"], i) for p in pages for i in p["issues"] if i["severity"] == "error"]
    if errors:
        out.append(f"错误 {len(errors)} 条（这些版面未转换；有错误时 make publish 拒绝发布）：" if lang == "zh" else
                   f"{len(errors)} errors (these dumps were not converted; make publish refuses while they stand):")
        out.extend(issue_line(i, lang, source) for source, i in errors)
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m converters.report",
                                 description="Show the conversion report; fail when it has errors.")
    ap.add_argument("content", help="the paper's content folder, e.g. content/zjrb")
    ap.add_argument("--force", action="store_true", help="exit 0 even when the report has errors")
    ap.add_argument("--all", action="store_true", help="the unchanged pages' warnings too")
    ap.add_argument("--lang", choices=("zh", "en"), help="report language (default: EPAPER_LANG, else zh)")
    args = ap.parse_args(argv)
    lang = args.lang or language()
    path = Path(args.content) / "conversion-report.json"
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        print(f"{path}: no conversion report (run `make content` first)", file=sys.stderr)
        return 2
    text = format_report(report["pages"], verbose=args.all, lang=lang)
    if text:
        print(text)
    errors = report.get("errors", 0)
    dupes = duplicate_stories(Path(args.content))
    for d in dupes:
        print(("两个文件讲同一篇稿件：" if lang == "zh" else "two files tell one story: ") + d, file=sys.stderr)
    print(f"{len(report['pages'])} 份版面，警告 {report.get('warnings', 0)}，错误 {errors + len(dupes)}" if lang == "zh"
          else f"{len(report['pages'])} pages, {report.get('warnings', 0)} warnings, {errors + len(dupes)} errors")
    if (errors or dupes) and not args.force:
        print("拒绝发布：转换报告有错误（修好版面文件，或 FORCE=1）" if lang == "zh" else
              "refusing to publish: the conversion report has errors (fix the dumps, or FORCE=1)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
