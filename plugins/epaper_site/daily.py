"""The daily update: a build that loads the latest year and what it reaches, not the archive.

Why: a full build loads every stored record, builds the newspaper of the whole archive
and checks every unit's render key, so a daily update at ten years cost ~25 s to publish
~60 articles (docs/scaling.md).  What a new edition changes lies in the latest year: its
editions, the year's CSV and search months, the city/topic/reporter lists and feeds that
list its stories, the sitemap of the year and the site's own pages.  Closed years change
nothing of that, so their part is kept between builds as *derived state*
(``<CACHE_PATH>/epaper_site/daily-v<N>.pickle``):

- each store folder's stamp digest (its files' names, mtimes and sizes) and dates, so a
  build knows which folders changed without loading their records;
- each tag's stories before the latest year: their count and the newest ``2 × per page``
  of them (rows), which is all a list page or feed of the latest year's can reach;
- each closed year's search segment as the manifest sums it (documents, cities, topics);
- each sitemap group's index lines, so the closed years' sitemaps stay as they are.

The daily path is taken only when every change lies in the latest year, that year is
still the latest, and its first edition is the same (so no closed year's unit changes);
anything else (a correction in a closed year, New Year, another template or setting, no
state) is a full build, which writes the state again.  Units of closed years are carried
over from the render cache with their files and sitemap entries.

The whole daily path lives here: :func:`plan` (which files to read, which records to load),
:func:`index_daily` (the year's newspaper joined with the state, handed over as a full
build hands over the archive: ``articles.share``) and :func:`save_made` (the state for the
next build); ``plugin.py`` only chooses the path.  ``tests/builds/test_daily_update.py``
holds the two paths to the same bytes and counts what a daily update loads.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import logging
import multiprocessing
import os
import pickle
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from epaper_contract import slugs
from epaper_contract.files import atomic_write, drop_other_versions

from . import articles, pelican_compat, render_cache, shards, sitemap, store
from . import settings as epaper_settings
from .heap import bulk_objects
from .model import TAG_KINDS, Newspaper, Story, Tag, build_newspaper
from .run_record import RUN
from .urls import Urls

log = logging.getLogger(__name__)

VERSION = 1
#: Link syntax Pelican resolves against every article of the site (``generated_content``):
#: an article that holds it is rendered by a full build, which knows them all.
INTRASITE = ("{filename}", "|filename|")


def state_path(cache_path: str | Path) -> Path:
    return Path(cache_path) / "epaper_site" / f"daily-v{VERSION}.pickle"


@dataclasses.dataclass
class TagState:
    """A tag's stories before the latest year (count and newest rows), and its count in it."""

    kind: str
    name: str
    slug: str
    earlier: int  # stories before the latest year
    tail: list[tuple[tuple, str, str]]  # newest first: (story row, fingerprint, source), ≤ tail_size
    year: int  # stories in the latest year, as last built


@dataclasses.dataclass
class DailyState:
    env: str  # render environment (settings, templates, code) the state was made with
    latest_year: int
    tail_size: int
    folders: dict[str, tuple[str, tuple[dt.date, ...]]]  # folder -> (stamp digest, dates)
    tags: dict[tuple[str, str], TagState]
    segments: list[tuple[str, int, dict[str, int], dict[str, int]]]  # closed years' search segments
    sitemap: dict[str, list[tuple[str, str, str]]]  # group -> [(stem, newest, file name)]
    editions: dict[dt.date, str | None]  # every edition's date -> its own output tree (or None)
    total: int  # articles in the site
    year_total: int  # of which in the latest year


@dataclasses.dataclass
class DailyRun:
    """What the generator of a daily build needs beyond the year's newspaper."""

    carry: list[tuple[str, str | None]]  # units kept unchecked (closed years), with their own output tree
    carry_block: bool  # and the render cache's carried block, whole (render_cache.RenderCache.holds_block)
    all_dates: list[dt.date]  # every edition's date (the archive calendar)
    proofing_paper: Newspaper | None  # the stories of the pages the conversion report names


def load_state(cache_path: str | Path) -> DailyState | None:
    try:
        with bulk_objects():  # every closed folder's digest, tag, sitemap line: lives as long as the build
            data = pickle.loads(state_path(cache_path).read_bytes())
        if data.get("v") != VERSION or data.get("store") != store.VERSION:
            return None
        return data["state"]
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, KeyError, AttributeError, TypeError):
        return None


def save_state(cache_path: str | Path, state: DailyState | None) -> None:
    """Written at the end of a build; a build that cannot describe its result removes it."""
    path = state_path(cache_path)
    if state is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, pickle.dumps({"v": VERSION, "store": store.VERSION, "state": state},
                                    protocol=pickle.HIGHEST_PROTOCOL))
    drop_other_versions(path.parent, "daily", VERSION)
    drop_other_versions(path.parent, "store", store.VERSION)


def drop_state(cache_path: str | Path) -> None:
    """Before a build starts changing the cache: a build killed midway leaves no state."""
    state_path(cache_path).unlink(missing_ok=True)


def stamp_digest(pairs: list[tuple[str, tuple[int, int] | None]]) -> str:
    """One folder's files as the store saw them: names, mtimes and sizes (sorted by name)."""
    text = "".join([f"{source}\0{stamp}\n" for source, stamp in sorted(pairs)])
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def by_store_folder(folders: pelican_compat.Folders) -> dict[str, list[tuple[str, pelican_compat.Stamp]]]:
    """The walk's files and stamps grouped by store folder (:func:`store.folder_of`, once a folder)."""
    out: dict[str, list[tuple[str, pelican_compat.Stamp]]] = defaultdict(list)
    for rel, pairs in folders.items():
        out[store.folder_of_dir(rel)].extend(pairs)
    return out


def records_digests(records: list[store.ArticleRecord]) -> dict[str, tuple[str, tuple[dt.date, ...]]]:
    """Each folder's digest and dates from the records it stores (what the next build compares)."""
    groups: dict[str, list[store.ArticleRecord]] = defaultdict(list)
    for r in records:
        groups[store.folder_of(r.source)].append(r)
    return {f: (stamp_digest([(r.source, r.stamp) for r in recs]), tuple(sorted({r.story.date for r in recs})))
            for f, recs in groups.items()}


@dataclasses.dataclass
class Plan:
    """What a daily build reads, loads and renders; made while Pelican's files are split."""

    state: DailyState
    changed: set[str]  # store folders whose files changed, appeared or went
    year_folders: set[str]  # the latest year's folders (loaded whole)
    kept: list[store.ArticleRecord]  # stored records of the year still valid
    to_read: list[str]
    in_changed: set[str]  # the files of the changed folders (their records are stored again)
    #: The closed years' folders being checked beside the build (None: checked before it).
    check: ClosedCheck | None = None


def plan(state: DailyState, env: str, folders: pelican_compat.Folders, st: store.ArticleStore,
         pending: frozenset[str] = frozenset()) -> Plan | None:
    """The daily plan, or None when this build must be a full one (see the module's doc).

    ``folders``: the content files and their stamps, as the walk found them.  ``pending``:
    closed years' store folders the walk left out (:func:`closed_folder_test`), taken as
    unchanged here; a :class:`ClosedCheck` must confirm it before the build stands.
    """
    if state.env != env:
        return full_build("the templates or settings changed")
    sources_of = by_store_folder(folders)
    now = {f: stamp_digest(pairs) for f, pairs in sources_of.items()}
    changed = {f for f in (now.keys() | state.folders.keys()) - pending
               if f not in now or f not in state.folders or state.folders[f][0] != now[f]}
    year = state.latest_year
    folders_of_date: dict[dt.date, set[str]] = defaultdict(set)
    for f, (_, dates) in state.folders.items():
        for d in dates:
            folders_of_date[d].add(f)
    year_folders = {f for f, (_, dates) in state.folders.items() if dates and all(d.year == year for d in dates)}
    for f in changed:
        old = state.folders.get(f)
        if old is not None and any(d.year != year for d in old[1]):
            return full_build(f"{f} changed, in a closed year")
        if old is None and not _named_in_year(f, year):
            return full_build(f"{f} is new and not named in {year}")  # its dates are unknown before reading
    year_folders |= {f for f in changed if f in now}
    unchanged = year_folders - changed
    records = st.load_folders(unchanged)
    if len(records) != sum(len(sources_of.get(f, ())) for f in unchanged):
        return full_build(f"the article store lacks some of {year}'s unchanged articles")
    old_changed = st.load_folders(changed & state.folders.keys())
    kept, to_read = list(records.values()), []
    for f in sorted(changed & now.keys()):
        for s, stamp in sorted(sources_of[f]):
            rec = old_changed.get(s)
            if rec is not None and rec.stamp == stamp:
                kept.append(rec)
            else:
                to_read.append(s)
    in_changed = {s for f in changed & now.keys() for s, _ in sources_of[f]}
    return Plan(state, changed, year_folders, kept, sorted(to_read), in_changed)


def closed_folder_test(state: DailyState) -> Callable[[str], bool]:
    """Whether a content folder (relative, ending in ``/``) is a whole store folder of a
    closed year: the walk of a daily update leaves those to a :class:`ClosedCheck`."""
    closed = {f for f, (_, dates) in state.folders.items() if any(d.year != state.latest_year for d in dates)}

    def test(rel: str) -> bool:
        folder = store.folder_of_dir(rel)
        return folder in closed and folder == rel.rstrip("/").replace("/", "__")

    return test


class ClosedCheck:
    """The closed years' files compared with the state in a forked process, beside the build.

    Why: one ``stat`` per content file is what tells an editor's edit of an old article, and
    at ten years those 200,000 stats and their digests were a third of a daily update.  The
    update goes on as if nothing closed changed; the build tool asks :meth:`changed` before
    it publishes, and builds again in full when something did (``RunRecord.run_again``).
    """

    def __init__(self, state: DailyState, pending: frozenset[str], walk: Callable[[], pelican_compat.Folders]) -> None:
        ctx = multiprocessing.get_context("fork")  # the walk's rules are the parent's closures
        self._answer, send = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=_check_closed, args=(state, pending, walk, send), daemon=True)
        self._process.start()
        send.close()

    def changed(self) -> list[str]:
        """The pending folders whose files changed, appeared or went (waits for the check)."""
        try:
            got = self._answer.recv()
        except (EOFError, OSError):
            got = None
        self._process.join()
        return ["(the check of the closed years did not finish)"] if got is None else got

    def cancel(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()


def _check_closed(state: DailyState, pending: frozenset[str], walk: Callable[[], pelican_compat.Folders],
                  send: Any) -> None:
    # Its answer is wanted last (at ``finalized``) and never waited for so far, while its
    # one ``stat`` per closed file grows with the archive: at a lower priority it takes the
    # time the update and the search index's helper leave, instead of a share of theirs.
    with contextlib.suppress(OSError, AttributeError):  # (no os.nice on Windows)
        os.nice(10)
    try:
        now = {f: stamp_digest(pairs) for f, pairs in by_store_folder(walk()).items()}
        send.send(sorted(f for f in pending if now.get(f) != state.folders[f][0]) + sorted(now.keys() - pending))
    except Exception as exc:  # the parent reads a failed check as a change and builds in full
        send.send([f"(the check of the closed years failed: {exc})"])


def full_build(reason: str) -> None:
    """Say why this build is a full one (every place that decides it says it this way)."""
    log.info("epaper: a full build (%s)", reason)
    return None


def _named_in_year(folder: str, year: int) -> bool:
    """A new edition folder whose name carries a date of ``year`` (``zjrb__2024-12-31``)."""
    tail = folder.rsplit("__", 1)[-1]
    try:
        return dt.date.fromisoformat(tail).year == year
    except ValueError:
        return False


def feasible(p: Plan, records: list[store.ArticleRecord], feed_limit: int) -> str | None:
    """Why the records read and kept cannot be built daily (None: they can)."""
    year = p.state.latest_year
    dates = {r.story.date for r in records}
    if any(d.year != year for d in dates):
        return "an article outside the latest year"
    old_year_dates = sorted(d for d in p.state.editions if d.year == year)
    if not dates or not old_year_dates or min(dates) != old_year_dates[0]:
        return "the year's first edition changed"
    for r in records:
        s = r.story
        if not s.slug.startswith(f"{s.date:%Y%m%d}-"):
            return f"{r.source}: a slug without its date (it could meet another year's)"
    if len(records) < feed_limit and p.state.total > p.state.year_total:
        return "the whole paper's feed reaches into a closed year"
    return None


def merge_tags(paper: Newspaper, state: DailyState) -> set[tuple[str, str]]:
    """The year's tags joined with the closed years' (count and newest stories); returns
    the tags whose lists the year touches now or touched last time (their pages are made
    again; the others' are carried over whole)."""
    touched: set[tuple[str, str]] = set()
    for kind in TAG_KINDS:
        tags = paper.tags(kind)
        slugs = getattr(paper, f"{kind}_slug")
        for slug, tag in tags.items():
            if (kind, slug) in state.tags:
                old = state.tags[(kind, slug)]
                earlier = [Story(*row) for row, _, _ in old.tail]
                tag.stories = tag.stories + earlier
                tag.earlier = old.earlier - len(old.tail)
            touched.add((kind, slug))
        for (k, slug), old in state.tags.items():
            if k != kind or (slug not in tags and old.earlier == 0):
                continue  # another kind, or a tag of the year's stories only, none of which names it now
            slugs.setdefault(old.name, slug)
            if slug in tags:
                continue
            tag = tags[slug] = Tag(kind=kind, name=old.name, slug=slug,
                                   stories=[Story(*row) for row, _, _ in old.tail])
            tag.earlier = old.earlier - len(old.tail)
            if old.year:
                touched.add((kind, slug))
            else:
                tag.carried = True
    return touched


def tail_signatures(state: DailyState) -> dict[str, tuple[str, str]]:
    """slug -> (URL\\1fingerprint, source) of the closed years' stories the tags keep."""
    out: dict[str, tuple[str, str]] = {}
    for t in state.tags.values():
        for row, fingerprint, source in t.tail:
            s = Story(*row)
            out[s.slug] = (f"{s.url}\1{fingerprint}", source)
    return out


# -- the state after a build ------------------------------------------------------------------------

def tags_state(paper: Newspaper, latest_year: int, tail_size: int, sigs: dict[str, str],
               sources: dict[str, str], old: DailyState | None) -> dict[tuple[str, str], TagState]:
    """Each tag's closed-year part (from a full paper; in a daily build, kept from ``old``)."""
    out: dict[tuple[str, str], TagState] = {}
    for kind in TAG_KINDS:
        for slug, tag in paper.tags(kind).items():
            in_year = [s for s in tag.stories if s.date.year == latest_year]
            if old is not None:
                prev = old.tags.get((kind, slug))
                earlier, tail = (prev.earlier, prev.tail) if prev is not None else (0, [])
            else:
                before = [s for s in tag.stories if s.date.year < latest_year]
                earlier = len(before)
                tail = [(store.story_row(s), sigs[s.slug].split("\1", 1)[1], sources[s.slug])
                        for s in before[:tail_size]]
            if earlier or in_year:
                out[(kind, slug)] = TagState(kind, tag.name, slug, earlier, tail, len(in_year))
    return out


def closed_segments(records: list[store.ArticleRecord], latest_year: int) -> list[tuple]:
    """The closed years' search segments as the manifest sums them (see epaper_search)."""
    acc: dict[str, tuple[list[int], Counter, Counter]] = {}
    for r in records:
        y = r.story.date.year
        if y >= latest_year:
            continue
        n, cities, topics = acc.setdefault(f"{y:04d}", ([0], Counter(), Counter()))
        n[0] += 1
        cities.update(dict.fromkeys(r.story.cities, 1))
        topics.update(dict.fromkeys(r.story.topics, 1))
    return [(name, n[0], dict(c), dict(t)) for name, (n, c, t) in sorted(acc.items())]


def index_daily(generator: Any, plan: Plan, records: list[store.ArticleRecord],
                read_now: list[store.ArticleRecord], st: store.ArticleStore) -> tuple[str | None, dict | None]:
    """The latest year's newspaper joined with the closed years' kept state, shared with the
    templates and the search plugin as a full build shares the archive's.

    Returns why the build cannot be daily (then nothing was shared yet), or what the state
    for the next build is made from (:func:`save_made`, once the build has finished).
    """
    settings = generator.settings
    state = plan.state
    limit = settings.get("FEED_MAX_ITEMS") or 0
    reason = feasible(plan, records, limit if settings.get("FEED_ALL_ATOM") else 0)
    if reason is None and any(m in r.content for r in read_now for m in INTRASITE):
        reason = "an article links another by its file name"
    if reason is not None:
        return reason, None
    records.sort(key=lambda r: (r.story.date, r.story.page, r.story.order, r.story.slug, r.source))
    unique = articles.unique_by_slug(records, log)
    ordered = sorted(unique, key=lambda r: r.story.slug)
    ordered.sort(key=lambda r: r.date, reverse=True)
    by_slug: dict[str, store.StoredArticle] = {}
    generated = generator.context.setdefault("generated_content", {})
    stories = []
    for rec in unique:
        view = store.StoredArticle(rec, settings, generator.context)
        view.story = rec.story
        generated[rec.source] = view
        stories.append(view.story)
        by_slug[rec.story.slug] = view
    paper = build_newspaper(stories)
    year = state.latest_year
    closed = sorted(d for d in state.editions if d.year < year)
    shards.attach_neighbours(paper, closed[-1] if closed else None, None)
    merge_tags(paper, state)
    tails = tail_signatures(state)
    signatures = {slug: f"{v.url}\1{v.record.fingerprint}" for slug, v in by_slug.items()}
    for slug, (sig, _) in tails.items():
        signatures.setdefault(slug, sig)
    urls = Urls(patterns=settings, paper=paper)
    per_page = int(epaper_settings.get(settings, "EPAPER_PER_PAGE"))
    feeds_of = {kind: bool(epaper_settings.get(settings, f"EPAPER_{kind.upper()}_FEEDS")) for kind in ("city", "topic")}
    carry: list[tuple[str, str | None]] = []
    for d in closed:
        carry.append((f"edition:{d.isoformat()}", state.editions[d]))
    carry.extend((f"{kind}:{y}", None) for y in sorted({d.year for d in closed}) for kind in ("csv", "archive"))
    wanted: set[str] = set()  # closed-year stories a feed of the year's tags carries
    # The tag pages carried (the carried block): each tag's part, (kind, slug, archive pages
    # carried, whether its root page and feed are), is all that names them.
    tag_parts: list[tuple[str, str, int, bool]] = []
    for kind in ("city", "topic", "reporter"):
        for tag in paper.tags(kind).values():
            n = tag.count
            nparts = -(-n // per_page) if n > per_page else 0
            if tag.carried:
                tag_parts.append((kind, tag.slug, nparts, True))
                continue
            older = min(nparts, -(-tag.earlier // per_page))  # the archive pages k with (k - 1) * per_page < earlier
            if older:
                tag_parts.append((kind, tag.slug, older, False))
            if feeds_of.get(kind):
                wanted.update(s.slug for s in tag.stories[:limit or None] if s.slug not in by_slug)
    rc = render_cache.RenderCache(render_cache.cache_file(settings), generator._epaper_env)
    rc.block_sig = render_cache.digest("tag pages", feeds_of, tag_parts)
    whole = rc.holds_block(rc.block_sig, generator.output_path)
    if whole is False:
        return "the render cache does not hold the carried block as it was published", None
    if not whole:  # carried one by one (and made the block for the next update)
        for kind, slug, pages, carried in tag_parts:
            base = urls.tag(kind, slug)
            if carried:
                carry.append((f"tag:{base}", None))
            carry.extend((f"tag:{urls.tag_archive(base, k)}", None) for k in range(1, pages + 1))
            if carried and feeds_of.get(kind):
                carry.append((f"feed:{urls.feed(kind, slug)}", None))
    missing = next((u for u, _ in carry if not rc.holds(u, generator.output_path)), None)
    if missing is not None:
        return f"the render cache does not hold {missing} as it was published", None
    if wanted:  # their records (HTML for the feed): the folders they lie in, nothing else
        got = st.load_folders({store.folder_of(tails[s][1]) for s in wanted})
        for slug in sorted(wanted):
            rec = got.get(tails[slug][1])
            if rec is None:
                return f"the article store lacks {tails[slug][1]}", None
            view = store.StoredArticle(rec, settings, generator.context)
            view.story = rec.story
            by_slug[slug] = view
    proofing_paper = None
    if epaper_settings.get(settings, "EPAPER_PROOFING"):
        proofing_paper = _proofing_paper(generator, state, st, unique)
    if articles.DOCS_READY.receivers:
        articles.DOCS_READY.send(generator, docs=[articles.SearchDoc(r) for r in reversed(ordered)], settings=settings,
                        frozen=state.segments)
    slugs.release_pypinyin()
    st.replace_folders(plan.changed, [r for r in unique if r.source in plan.in_changed])
    generator.context["epaper_store"] = st
    views = [by_slug[r.story.slug] for r in ordered]
    articles.share(generator, views, paper, by_slug, signatures)
    generator.context["epaper_render_cache"] = rc
    generator.context["epaper_daily"] = DailyRun(
        carry=carry, carry_block=bool(whole), all_dates=sorted({*closed, *paper.editions}),
        proofing_paper=proofing_paper)
    sitemap.CURRENT.kept = {g: lines for g, lines in state.sitemap.items() if g.isdigit() and int(g) < year}
    closed_total = state.total - state.year_total
    RUN.path.append("daily")
    RUN.articles.update(articles=closed_total + len(views), read=len(read_now),
                        stored=closed_total + len(views) - len(read_now))
    log.info("epaper: daily update of %d: %d articles of the year (%d read now), %d units carried over",
             year, len(views), len(read_now), len(carry) + (len(rc.block.units) if whole and rc.block else 0))
    return None, {"mode": "daily", "settings": settings, "env": generator._epaper_env, "paper": paper,
                  "records": unique, "plan": plan}


def _proofing_paper(generator: Any, state: DailyState, st: store.ArticleStore,
                    year_records: list[store.ArticleRecord]) -> Newspaper:
    """The stories of the pages the conversion report names (its own copies, linked apart):
    the latest year's from this build's records (the store still holds the last build's),
    a closed year's from the store."""
    from . import proofing

    dates = proofing.report_dates(Path(generator.settings["PATH"]) / "conversion-report.json")
    year = state.latest_year
    closed = {f for f, (_, ds) in state.folders.items()
              if any(d in dates and d.year != year for d in ds)}
    recs = [r for r in st.load_folders(closed).values() if r.story.date.year != year]
    recs += list(year_records)
    recs.sort(key=lambda r: (r.story.date, r.story.page, r.story.order, r.story.slug, r.source))
    return build_newspaper([dataclasses.replace(r.story) for r in recs if r.story.date in dates])


def save_made(made: dict, gen: Any) -> None:
    """The state the next build's daily update starts from, written once the build is done
    (``gen``: the generator that rendered it, for its editions' render trees)."""
    settings = made["settings"]
    if gen is None or not settings.get("CACHE_PATH"):
        return
    paper, records = made["paper"], made["records"]
    per_page = int(epaper_settings.get(settings, "EPAPER_PER_PAGE"))
    tail_size = max(2 * per_page, settings.get("FEED_MAX_ITEMS") or 0)
    trees = gen.__dict__.get("edition_trees", {})
    if made["mode"] == "full":
        if not paper.editions:
            return
        year = max(paper.editions).year
        folders = records_digests(records)
        tags = tags_state(paper, year, tail_size, made["signatures"], made["sources"], None)
        segments = closed_segments(records, year)
        editions = {d: trees.get(d) for d in paper.editions}
        lines = dict(sitemap.CURRENT.lines)
        total = len(records)
        year_total = sum(1 for r in records if r.story.date.year == year)
    else:
        old: DailyState = made["plan"].state
        year = old.latest_year
        changed = made["plan"].changed
        folders = {f: v for f, v in old.folders.items() if f not in changed}
        folders.update(records_digests([r for r in records if r.source in made["plan"].in_changed]))
        tags = tags_state(paper, year, tail_size, {}, {}, old)
        segments = old.segments
        editions = {d: t for d, t in old.editions.items() if d.year < year}
        editions.update((d, trees.get(d)) for d in paper.editions)
        lines = {**sitemap.CURRENT.kept, **sitemap.CURRENT.lines}
        year_total = len(records)
        total = old.total - old.year_total + year_total
    state = DailyState(env=made["env"], latest_year=year, tail_size=tail_size, folders=folders, tags=tags,
                             segments=segments, sitemap=lines, editions=editions, total=total,
                             year_total=year_total)
    save_state(settings["CACHE_PATH"], state)
