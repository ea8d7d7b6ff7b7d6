"""Pages the converter has never seen: the golds' stories laid out anew.

A page is made of stories drawn from every gold (kickers, titles, subtitles, bylines in
one of the forms papers print, datelines, captions, subheads, paragraphs), in a random
order, on a front page (masthead) or an inner page (folio), with column cuts at random
places inside paragraphs (a word sometimes repeated across the cut, as layout tools do)
and jump lines.  It is written as the samples are (``##`` titles, ``###`` decks and
subheads); :func:`tests.support.dialects.render` then writes it as another tool would.  The page's
gold is known exactly, in the format of ``tests/gold/*.json``.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from converters.textutil import ends_sentence, is_cjk

GOLD_DIR = Path(__file__).resolve().parents[1] / "gold"


def story_pool() -> list[dict]:
    """Every gold story that stands on one page with its headline (no continuation, no lost
    headline: those depend on their neighbours in the original page)."""
    pool = []
    for path in sorted(GOLD_DIR.glob("*.json")):
        if "flat" in path.stem:
            continue
        for a in json.loads(path.read_text(encoding="utf-8"))["articles"]:
            if a["headline_in_dump"] and a.get("continued_from") is None and a["paragraphs"][0][:1] not in "地的":
                pool.append(dict(a, paper=path.stem.split("-")[0]))
    return pool


def _cut(text: str, rng: random.Random, start: int = 6) -> list[str] | None:
    """A column cut inside ``text`` (not before ``start``): two pieces, the left not ending a
    sentence, sometimes with the last word of the left repeated at the start of the right
    (扩大 / 扩大到)."""
    from converters.reflow import doubled_prefix

    # Not where the text itself repeats a word across the spot (研发投入投入强度): a cut there
    # reads as a layout tool's doubled word, and the converter writes it once.
    spots = [i for i in range(start, len(text) - 4) if not ends_sentence(text[:i]) and text[i - 1] not in "“‘《（("
             and not doubled_prefix(text[:i], text[i:])]
    if not spots:
        return None
    i = rng.choice(spots)
    left, right = text[:i], text[i:]
    if rng.random() < 0.3 and len(left) >= 2 and all(is_cjk(c) for c in left[-2:]) and is_cjk(right[0]):
        right = left[-2:] + right
    return [left, right]


def _byline(story: dict, rng: random.Random) -> tuple[list[str], list[str], str]:
    """(lines under the headline, lines at the story's end, what to put before the first paragraph)."""
    authors, cors, dateline = story["authors"], story["correspondents"], story.get("dateline") or ""
    if dateline:
        credit = " ".join(["记者", *authors] + (["通讯员", *cors] if cors else []))
        if dateline.endswith("电"):
            return [], [], f"{dateline}  （{credit}）" if authors else f"{dateline}  "
        return [], [], f"{dateline}({credit})" if authors else dateline
    if not authors and not cors:
        return [], [], ""
    if len(authors) > 4:  # a roundup: the label under the headline, the names closing it
        return ["本报记者"], [f"（本报记者{'、'.join(authors)}）"], ""
    padded = ["  ".join(n) if len(n) == 2 else n for n in authors]
    form = rng.choice(["role", "bare" if not cors else "role", "role-lines" if not cors else "role"])
    if form == "bare":
        return ["  ".join(padded)], [], ""
    if form == "role-lines":
        return ["本报记者", *authors], [], ""
    line = "本报记者 " + " ".join(padded) + (" 通讯员 " + " ".join(cors) if cors else "")
    return [line], [], ""


def make_page(seed: int, pool: list[dict] | None = None, unsigned: float = 0.0) -> tuple[str, dict]:
    """(dump in the samples' own style, its gold) for one random page.  ``unsigned``: the
    share of stories printed without byline or dateline (briefs, 简讯)."""
    rng = random.Random(seed)
    pool = pool if pool is not None else story_pool()
    page_no = rng.choice([1, 2, 3, 5, 8])
    stories = rng.sample(pool, rng.randint(2, 4))
    stories = [dict(s, authors=[], correspondents=[], dateline="") if rng.random() < unsigned else s
               for s in stories]
    lines: list[str] = []
    if page_no == 1:
        lines += ["2024年3月17日 星期日 农历甲辰年二月初八", "今日8版 第27323期",
                  "国内统一连续出版物号:CN 33-0001 邮发代号:31-1", "浙江日报报业集团"]
    else:
        lines += ["2024年3月17日 星期日", f"{page_no:02d}", "要闻"]
    articles = []
    for n, story in enumerate(stories):
        if story.get("kicker"):
            lines.append(f"### {story['kicker']}")
        lines.append(f"## {story['title']}")
        if story.get("subtitle"):
            lines.append(f"### {story['subtitle']}")
        under, closing, lead = _byline(story, rng)
        lines += under
        if story.get("caption"):
            lines.append(story["caption"])
        paragraphs = list(story["paragraphs"])
        subheads = list(story.get("subheads") or [])
        gaps = len(paragraphs) - 1
        at = {round((k + 1) * gaps / (len(subheads) + 1)) + 1: s for k, s in enumerate(subheads)} if gaps > 0 else {}
        for k, p in enumerate(paragraphs):
            if k in at:
                lines.append(f"### {at[k]}")
            text = (lead + p) if k == 0 and lead else p
            # Not inside a dateline's credits: a cut there is not followed (a known limitation).
            pieces = _cut(text, rng, len(lead) + 1 if k == 0 and lead else 6) \
                if rng.random() < 0.2 and len(text) > 30 else None
            lines += pieces or [text]
        lines += closing
        jump = rng.random() < 0.25 and n == len(stories) - 1 and page_no < 8
        if jump:
            lines.append(f"（下转第{'一二三四五六七八九'[page_no]}版）")
        articles.append({**{k: story.get(k) for k in ("kicker", "title", "subtitle", "authors", "correspondents",
                                                       "dateline", "caption", "subheads", "paragraphs")},
                         "headline_in_dump": True, "continued_on": page_no + 1 if jump else None})
    gold = {"source": f"synthetic-{seed}", "paper": "浙江日报", "date": "2024-03-17", "page": page_no,
            "issue": 27323 if page_no == 1 else None, "pages_total": 8 if page_no == 1 else None,
            "cn": "CN 33-0001" if page_no == 1 else None, "lunar": "农历甲辰年二月初八" if page_no == 1 else None,
            "articles": articles}
    return "\n\n".join(lines) + "\n", gold
