"""The conversion report: per page, what was made and what the editor should look at.

``python -m converters.report content/<paper>`` prints it and exits non-zero when it
holds errors (``make publish`` runs this first; ``--force`` publishes anyway).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from converters.model import Page, Severity


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


def format_page(p: dict) -> list[str]:
    warnings = [i for i in p["issues"] if i["severity"] == "warning"]
    errors = [i for i in p["issues"] if i["severity"] == "error"]
    head = f"{p['source']}: {p['articles']} articles"
    if p.get("inferred_titles"):
        head += f" ({p['inferred_titles']} inferred titles)"
    head += f", {len(warnings)} warnings, {len(errors)} errors  [{p['status']}]"
    lines = [head]
    for i in p["issues"]:
        where = f"line {i['line']}" if i.get("line") else "file"
        lines.append(f"    {i['severity']:7} {where:>9}  {i['code']}: {i['message']}")
    return lines


def format_report(pages: list[dict], verbose: bool = True) -> str:
    out: list[str] = []
    for p in pages:
        lines = format_page(p)
        out.extend(lines if verbose or p["status"] != "unchanged" else lines[:1])
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m converters.report",
                                 description="Show the conversion report; fail when it has errors.")
    ap.add_argument("content", help="the paper's content folder, e.g. content/zjrb")
    ap.add_argument("--force", action="store_true", help="exit 0 even when the report has errors")
    args = ap.parse_args(argv)
    path = Path(args.content) / "conversion-report.json"
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        print(f"{path}: no conversion report (run `make content` first)", file=sys.stderr)
        return 2
    print(format_report(report["pages"], verbose=False))
    errors = report.get("errors", 0)
    print(f"{len(report['pages'])} pages, {report.get('warnings', 0)} warnings, {errors} errors")
    if errors and not args.force:
        print("refusing to publish: the conversion report has errors (fix the dumps, or FORCE=1)",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
