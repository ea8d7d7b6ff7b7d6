"""Rebuild ``converters/data/idf.tsv``: IDF of every vocabulary term, from news text.

Usage::

    .venv/bin/python -m converters.tagging.build_idf [FOLDER ...] [--out converters/data/idf.tsv]

FOLDERs hold content files: converted articles (``*.md``, Pelican metadata then the body),
gold samples (``*.json`` with ``articles[].paragraphs``) or page dumps (``*.txt``, split into
articles at blank lines and ``##`` headings).  Default: ``content/`` when it has articles,
else the bundled samples in ``tests/gold/``.

Why a blend: the project ships no news corpus, only a few sample pages, far too few to
estimate how rare a word is.  jieba ships ``analyse/idf.txt``, IDF values from a large
Chinese corpus; an IDF there is ln(M / df) for that corpus of M documents, and its largest
value (a word seen in one document) gives M = exp(max IDF).  We treat jieba's corpus and
our folders as one corpus: df(t) = M * exp(-idf_jieba(t)) + df_local(t), and
idf(t) = ln((M + N) / (df(t) + 1)) for our N documents.  A term jieba's table lacks (most
multi-word vocabulary terms: 家庭医生签约, 腾笼换鸟) is as rare as its rarest component
word; with no known component it gets the table's median.  As the archive grows, rerun
this on content/ and the local counts weigh in more.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import jieba

from converters.tagging.segment import REPO_ROOT
from converters.tagging.tagger import Tagger
from converters.tagging.vocabulary import DEFAULT_VOCABULARY

JIEBA_IDF = Path(jieba.__file__).resolve().parent / "analyse" / "idf.txt"
DEFAULT_OUT = DEFAULT_VOCABULARY.parent / "idf.tsv"
_META = re.compile(r"^[A-Za-z][A-Za-z0-9_]*:\s")


def _md_body(text: str) -> str:
    lines = text.splitlines()
    i = 0
    while i < len(lines) and _META.match(lines[i]):
        i += 1
    return "\n".join(lines[i:])


def documents(folders: list[Path]) -> list[str]:
    """One string per article found under ``folders``."""
    docs: list[str] = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix == ".md" and path.name != "README.md":
                docs.append(_md_body(path.read_text(encoding="utf-8")))
            elif path.suffix == ".json":
                try:
                    data = json.loads(path.read_text(encoding="utf-8"))
                except ValueError:
                    continue
                for art in data.get("articles", []) if isinstance(data, dict) else []:
                    docs.append("\n".join([art.get("full_headline") or "", *art.get("paragraphs", [])]))
            elif path.suffix == ".txt":
                text = path.read_text(encoding="utf-8")
                docs.extend(b for b in re.split(r"\n\s*\n|\n(?=##)", text) if len(b.strip()) >= 80)
    return [d for d in docs if d.strip()]


def read_jieba_idf(path: Path = JIEBA_IDF) -> dict[str, float]:
    table: dict[str, float] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                table[parts[0]] = float(parts[1])
    return table


def build(folders: list[Path], out: Path) -> dict[str, float]:
    tagger = Tagger.load()
    terms = sorted(tagger.vocabulary.terms)
    docs = documents(folders)
    df_local: Counter[str] = Counter()
    for doc in docs:
        df_local.update(set(tagger.segment(doc)))
    base = read_jieba_idf()
    big_m = math.exp(max(base.values()))
    median = statistics.median(base.values())
    base_tk = jieba.Tokenizer()  # default dictionary: how jieba's corpus would have split a term
    base_tk.tmp_dir = str(REPO_ROOT / ".cache" / "jieba")
    base_tk.cache_file = "jieba.default.cache"
    rows: list[tuple[str, float, str, int]] = []
    for term in terms:
        if term in base:
            prior, source = base[term], "jieba"
        else:
            parts = [p for p in base_tk.cut(term, HMM=False) if p in base and p != term]
            prior, source = (max(base[p] for p in parts), "compound") if parts else (median, "median")
        df = big_m * math.exp(-prior) + df_local[term]
        rows.append((term, math.log((big_m + len(docs)) / (df + 1.0)), source, df_local[term]))
    header = (
        "# IDF of the topic vocabulary's terms, written by converters/tagging/build_idf.py"
        f" on {date.today().isoformat()}.\n"
        f"# Corpus: jieba 0.42.1 analyse/idf.txt (implied M = {big_m:.0f} documents) blended with"
        f" {len(docs)} local articles from {', '.join(_rel(f) for f in folders)}.\n"
        "# source: jieba = jieba's IDF; compound = the rarest component word's; median = unknown.\n"
        "#term\tidf\tsource\tlocal_df\n"
    )
    out.write_text(header + "".join(f"{t}\t{v:.3f}\t{s}\t{n}\n" for t, v, s, n in rows), encoding="utf-8")
    return {t: v for t, v, _, _ in rows}


def _rel(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(p)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    folders = args.folders
    if not folders:
        content = REPO_ROOT / "content"
        has_articles = content.is_dir() and any(p.name != "README.md" for p in content.rglob("*.md"))
        folders = [content if has_articles else REPO_ROOT / "tests" / "gold"]
    table = build(folders, args.out)
    print(f"wrote {len(table)} terms to {_rel(args.out)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
