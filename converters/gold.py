"""Compare converted articles with the gold expectations (``tests/gold/*.json``).

Used by the tests and by ``python -m converters.gold`` to print per-field results.
Gold text keeps the dump's half-width punctuation, so both sides are normalised.
"""

from __future__ import annotations

import html
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import epaper_contract as K
from epaper_contract.header import parse

_PUNCT = str.maketrans({"，": ",", "（": "(", "）": ")", "：": ":", "；": ";", "？": "?", "！": "!"})


def norm(text: str | None) -> str:
    return re.sub(r"\s+", "", (text or "").translate(_PUNCT))


@dataclass
class ParsedArticle:
    path: Path
    meta: dict[str, str]
    paragraphs: list[str] = field(default_factory=list)
    subheads: list[str] = field(default_factory=list)

    def get(self, key: str) -> str:
        return self.meta.get(key.lower(), "")

    def list(self, key: str) -> list[str]:
        return K.split_list(self.get(key))


def parse_article(path: Path) -> ParsedArticle:
    """Read one converted file back: metadata header, paragraphs, subheads (text unescaped)."""
    header, body = parse(path.read_text(encoding="utf-8"))
    art = ParsedArticle(path, {key: header.get(key) for key in header.meta})
    for chunk in body.split("\n\n"):
        chunk = chunk.strip()
        if not chunk:
            continue
        if chunk.startswith("### "):
            art.subheads.append(html.unescape(chunk[4:]))
        else:
            art.paragraphs.append(html.unescape(chunk))
    return art


def page_articles(content: Path, date: str, page: int) -> list[ParsedArticle]:
    folder = content / date / K.page_label(page)
    arts = [parse_article(p) for p in sorted(folder.glob("*.md"))]
    return sorted(arts, key=lambda a: int(a.get(K.ORDER) or 0))


FIELDS = ("count", "kicker", "title", "subtitle", "title_inferred", "authors", "correspondents", "dateline",
          "continued_on", "continued_from", "caption", "subheads", "paragraphs", "no_leak", "edition_facts")
#: Fields judged once per page, not once per article.
PAGE_FIELDS = ("count", "edition_facts")


def compare_page(gold: dict, arts: list[ParsedArticle]) -> dict[str, list[str]]:
    """Per field, the list of mismatches (empty list: the field is right everywhere)."""
    bad: dict[str, list[str]] = {f: [] for f in FIELDS}
    golds = gold["articles"]
    if len(golds) != len(arts):
        bad["count"].append(f"{len(arts)} articles, gold has {len(golds)}")
    masthead_bits = [s for s in (f"第{gold.get('issue')}期" if gold.get("issue") else "",
                                 gold.get("cn"), gold.get("lunar"), "今日") if s]
    for i, (g, a) in enumerate(zip(golds, arts, strict=False), start=1):
        where = f"article {i} ({g.get('title') or g.get('title_hint', '')[:20]})"
        if g["headline_in_dump"]:
            for f in ("kicker", "title", "subtitle"):
                if norm(g.get(f)) != norm(a.get(f.capitalize())):
                    bad[f].append(f"{where}: {a.get(f.capitalize())!r} != {g.get(f)!r}")
            if a.get(K.TITLE_INFERRED):
                bad["title_inferred"].append(f"{where}: marked inferred but the dump has its headline")
        else:
            lead = norm(a.paragraphs[0] if a.paragraphs else "")
            if a.get(K.TITLE_INFERRED) != "true":
                bad["title_inferred"].append(f"{where}: lost headline not marked TitleInferred")
            title = norm(a.get(K.TITLE))
            if not title or title not in lead or not (4 <= len(title) <= 30):
                bad["title"].append(f"{where}: inferred title {a.get(K.TITLE)!r} is not a clause of the lead")
        for f, key in (("authors", K.AUTHORS), ("correspondents", K.CORRESPONDENTS)):
            if (g.get(f) or []) != a.list(key):
                bad[f].append(f"{where}: {a.list(key)} != {g.get(f)}")
        if norm(g.get("dateline")) != norm(a.get(K.DATELINE)):
            bad["dateline"].append(f"{where}: {a.get(K.DATELINE)!r} != {g.get('dateline')!r}")
        for f, key in (("continued_on", K.CONTINUED_ON), ("continued_from", K.CONTINUED_FROM)):
            want = str(g[f]) if g.get(f) is not None else ""
            if want != a.get(key):
                bad[f].append(f"{where}: {key} {a.get(key)!r} != {want!r}")
        if norm(g.get("caption")) != norm(a.get(K.CAPTION)):
            bad["caption"].append(f"{where}: {a.get(K.CAPTION)!r} != {g.get('caption')!r}")
        if [norm(s) for s in g.get("subheads") or []] != [norm(s) for s in a.subheads]:
            bad["subheads"].append(f"{where}: {a.subheads} != {g.get('subheads') or []}")
        gp, ap = [norm(p) for p in g["paragraphs"]], [norm(p) for p in a.paragraphs]
        if gp != ap:
            diff = next((j for j, (x, y) in enumerate(zip(gp, ap, strict=False)) if x != y), min(len(gp), len(ap)))
            bad["paragraphs"].append(f"{where}: paragraph {diff + 1} differs "
                                     f"(ours {len(ap)}, gold {len(gp)}): "
                                     f"{(a.paragraphs[diff] if diff < len(ap) else '')[:30]!r} vs "
                                     f"{(g['paragraphs'][diff] if diff < len(gp) else '')[:30]!r}")
        for p in a.paragraphs:
            leaked = [m for m in masthead_bits if norm(m) and norm(m) in norm(p)]
            if leaked or len(norm(p)) <= 3:
                bad["no_leak"].append(f"{where}: {p[:30]!r} leaks {leaked or 'a fragment'}")
    for i, g in enumerate(golds[len(arts):], start=len(arts) + 1):
        where = f"article {i} ({g.get('title') or g.get('title_hint', '')[:20]})"
        for f in FIELDS:
            if f not in PAGE_FIELDS:
                bad[f].append(f"{where}: missing")
    if arts:
        a = arts[0]
        facts = {K.DATE: gold["date"], K.PAPER: gold["paper"], K.PAGE: str(gold["page"]),
                 K.ISSUE: str(gold["issue"]) if gold.get("issue") else "",
                 K.PAGES: str(gold["pages_total"]) if gold.get("pages_total") else ""}
        for key, want in facts.items():
            if any(x.get(key) != want for x in arts):
                bad["edition_facts"].append(f"{key}: {a.get(key)!r} != {want!r}")
    return bad


def score(gold: dict, bad: dict[str, list[str]]) -> float:
    """The share of (field, article) units that are right: 1.0 is the gold exactly."""
    n = len(gold["articles"])
    right = total = 0
    for f in FIELDS:
        units = 1 if f in PAGE_FIELDS else n
        right += units - min(units, len(bad[f]))
        total += units
    return right / total if total else 1.0


def main(argv: list[str] | None = None) -> int:
    """``python -m converters.gold CONTENT_ROOT GOLD_DIR``: per-field results for every gold page."""
    argv = argv if argv is not None else sys.argv[1:]
    content_root, gold_dir = Path(argv[0]), Path(argv[1])
    totals = {f: [0, 0] for f in FIELDS}
    failures = 0
    for gpath in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        paper = gpath.name.split("-")[0]
        arts = page_articles(content_root / paper, gold["date"], gold["page"])
        bad = compare_page(gold, arts)
        n = len(gold["articles"])
        print(f"{gpath.name}: score {score(gold, bad):.3f}")
        for f in FIELDS:
            units = 1 if f in PAGE_FIELDS else n
            totals[f][0] += units - min(units, len(bad[f]))
            totals[f][1] += units
        for f, problems in bad.items():
            for p in problems:
                failures += 1
                print(f"{gpath.name}: {f}: {p}")
    print(f"{'field':16} right / total")
    for f, (ok, total) in totals.items():
        print(f"{f:16} {ok:>5} / {total}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
