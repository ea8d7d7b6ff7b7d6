"""Command line: ``python -m converters DUMP_OR_DIR... --out DIR``."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from converters import printed
from converters.messages import render
from converters.model import PageFacts
from converters.pipeline import run, valid_date, valid_paper_slug
from converters.report import format_report, issue_line, run_line
from converters.write import Manifest, take_path


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m converters",
        description="Convert raw page dumps into one Markdown file per article (Pelican metadata).")
    ap.add_argument("inputs", nargs="+", help="dump files or folders (raw/<paper>/<YYYY-MM-DD>/<PP>.txt)")
    ap.add_argument("--out", required=True, help="content folder of the paper, e.g. content/zjrb")
    ap.add_argument("--paper", help="paper slug (default: the folder name under raw/)")
    ap.add_argument("--raw-root", help="folder holding <paper>/paper.toml (default: parent of the input folder)")
    ap.add_argument("--date", help="edition date YYYY-MM-DD, when neither masthead nor path has it")
    ap.add_argument("--issue", type=int, help="issue number, when the masthead lacks it")
    ap.add_argument("--page", type=int, help="page number, when neither folio nor path has it")
    ap.add_argument("--force", action="store_true",
                    help="reconvert every dump and overwrite files edited by hand")
    ap.add_argument("--take", action="append", default=[], metavar="FILE",
                    help="overwrite this hand-edited file (path under --out, or as the report names it) with "
                         "what the dump gives now; may be repeated")
    ap.add_argument("--no-tags", action="store_true", help="skip cities and topics (faster)")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="worker processes (default 1)")
    ap.add_argument("-q", "--quiet", action="store_true", help="leave out the pages without warnings or errors")
    ap.add_argument("--all", action="store_true", help="also the warnings of dumps that did not change")
    ap.add_argument("--lang", choices=("zh", "en"), help="report language (default: EPAPER_LANG, else zh)")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.lang:
        os.environ["EPAPER_LANG"] = args.lang  # the workers' messages too
    missing = [i for i in args.inputs if not Path(i).exists()]
    for m in missing:
        print(f"error: {m}: no such file or folder", file=sys.stderr)
    inputs = [i for i in args.inputs if Path(i).exists()]
    if args.date and not valid_date(args.date):
        print(f"error: --date {args.date!r} is not a date YYYY-MM-DD", file=sys.stderr)
        return 2
    paper = args.paper
    if paper is None:  # the folder name under raw/, as run() would take it
        paper = next((Path(i).name for i in inputs if Path(i).is_dir()), None)
    if paper is not None and not valid_paper_slug(paper):
        print(f"error: paper slug {paper!r} (--paper or the input folder's name) is not a folder name: "
              "use ASCII letters, digits, '-' and '_'", file=sys.stderr)
        return 2
    options = PageFacts(date=args.date or "", issue=args.issue, page=args.page)
    out = Path(args.out)
    manifest = Manifest.load(out)
    take: list[str] = []
    for given in args.take:
        rel = take_path(out, given, manifest)
        if rel is None:
            example = next(iter(sorted(manifest.files)), "YYYY-MM-DD/PP/<slug>.md")
            print("error: " + render("take-no-match", {"given": given, "out": args.out, "example": example}),
                  file=sys.stderr)
            return 2
        take.append(rel)
    edited = {rel for rel in take if (out / rel).is_file() and not manifest.ours(rel, (out / rel).read_bytes())}
    started = time.perf_counter()
    summary = run(inputs, out, paper_slug=args.paper, options=options, force=args.force,
                  with_tags=not args.no_tags, jobs=args.jobs, take=take,
                  raw_root=Path(args.raw_root) if args.raw_root else None)
    elapsed = time.perf_counter() - started
    pages = [p for p in summary.pages if p["issues"]] if args.quiet else summary.pages
    for notice in summary.notices:
        print(issue_line(notice.as_dict()).strip())
    text = format_report(pages, verbose=args.all, content=args.out.rstrip("/"))
    if text:
        print(text)
    print(run_line(summary, elapsed, args.out))
    if take:  # each --take said what it did
        manifest = Manifest.load(out)
        for rel in take:
            now_ours = (out / rel).is_file() and manifest.ours(rel, (out / rel).read_bytes())
            code = ("take-taken" if rel in edited else "take-not-edited") if now_ours else "take-orphan"
            print(render(code, {"rel": rel}))
    if printed_line := printed.summary_line(summary.pages):
        print(printed_line)
    return 1 if (summary.errors or missing) else 0
