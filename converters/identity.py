"""A story keeps its identity across corrections of its dump.

The file of an article is named by the slug of its title, so a headline corrected in the
dump would give the story a new file beside the old one (two stories on the page, one of
them perhaps hand-edited).  Instead, each converted story is remembered in the manifest
(:func:`story_record`): where it stood in the dump, its title and the start of its lead.
When the dump changes, a new article that matches a remembered story — the same title, the
same lead, or the same place in the dump — keeps that story's slug, so its file, its URL
and any hand edit stay where they are.
"""

from __future__ import annotations

from converters.gold import norm
from converters.model import Article, Page

_LEAD = 40  # characters of the lead that identify a story


def _lead(art: Article) -> str:
    return norm(next((p.text for p in art.paragraphs if not p.subhead), ""))[:_LEAD]


def story_record(art: Article) -> dict:
    """What the manifest remembers of a converted story."""
    return {"slug": art.slug, "line": art.line, "order": art.order, "title": art.title, "lead": _lead(art)}


def _score(art: Article, lead: str, old: dict) -> int:
    score = 0
    if norm(art.title) == norm(old.get("title", "")) and not art.title_inferred:
        score += 4
    if lead and lead == old.get("lead"):
        score += 4
    elif lead and old.get("lead") and (lead[:12] == old["lead"][:12]):
        score += 2
    if art.order == old.get("order"):
        score += 1
    if abs(art.line - old.get("line", -99)) <= 3:
        score += 1
    return score


def keep_slugs(page: Page, previous: list[dict]) -> None:
    """Give articles that match a remembered story that story's slug (best matches first;
    a match needs the title or the lead, place alone is not enough).  Reported as a note."""
    if not previous:
        return
    leads = [_lead(a) for a in page.articles]
    pairs = sorted(((_score(a, leads[i], old), i, j) for i, a in enumerate(page.articles)
                    for j, old in enumerate(previous)), reverse=True)
    used_new: set[int] = set()
    used_old: set[int] = set()
    kept: dict[int, str] = {}
    for score, i, j in pairs:
        if score < 3 or i in used_new or j in used_old:
            continue
        used_new.add(i)
        used_old.add(j)
        kept[i] = previous[j]["slug"]
    taken = {kept[i] for i in kept}
    for i, art in enumerate(page.articles):
        if i in kept:
            if kept[i] != art.slug:
                page.info("story-kept-across-correction", art.line, title=art.title, rel=kept[i])
            art.slug = kept[i]
        elif art.slug in taken:  # a new story whose slug a kept one holds: number it
            n = 2
            while f"{art.slug}-{n}" in taken:
                n += 1
            art.slug = f"{art.slug}-{n}"
        taken.add(art.slug)


def page_claim(facts: dict | None) -> str:
    """The page a dump's facts claim, as ``YYYY-MM-DD/PP`` (what identifies a page of the
    paper whatever its dump is called); "" when the date or page is unknown."""
    facts = facts or {}
    if not facts.get("date") or facts.get("page") is None:
        return ""
    return f"{facts['date']}/{int(facts['page']):02d}"


def predecessor_by_bytes(digest: str, vanished: dict[str, dict], taken: set[str],
                         path_facts: dict | None = None) -> str | None:
    """The vanished dump (manifest key) with exactly these bytes: the same file renamed or
    moved, provided the new path does not name another date or page than the one it made
    (its story files are named by date and page: they would not be the same files)."""
    path_facts = path_facts or {}

    def fits(facts: dict) -> bool:
        return all(path_facts.get(k) in (None, "", facts.get(k)) for k in ("date", "page"))

    return next((k for k, e in sorted(vanished.items())
                 if k not in taken and e.get("sha256") == digest and fits(e.get("facts") or {})), None)


def predecessor_by_page(claim: str, vanished: dict[str, dict], taken: set[str]) -> str | None:
    """The vanished dump that made the page this dump's masthead or folio names (date and
    page): the same page, renamed or moved and corrected too."""
    if not claim:
        return None
    return next((k for k, e in sorted(vanished.items()) if k not in taken and page_claim(e.get("facts")) == claim),
                None)
