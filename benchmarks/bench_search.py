"""Benchmark: our sharded bigram index against Pagefind on a synthetic year.

    python benchmarks/bench_search.py [--days 365] [--work benchmarks/work/search] [--no-pagefind]

Prints, for each engine: index build time, peak memory (the whole process tree),
index size on disk, bytes a browser fetches for three typical queries and the time to
the first result (in Debian's Chromium, cold cache, each in a fresh context), and recall
and precision against a plain substring scan for a set of queries including compound
words (社会治理) and strings across jieba's word boundaries (产业链上).

At archive scale (issue 27), ``--years N`` takes the archive ``bench_archive.py`` simulates
(N years of ``corpus.py`` editions to 30 December ``--last-year``), builds our index
alone over it (bare article pages of the site's shape), and prints for each query of
``ARCHIVE_QUERIES`` what the first page of results downloads (bytes raw and gzip, index
files and article pages, segments read, the count it shows) by the Python reference, and
the bytes and time to the first results in Chromium; then recall over every page up to
the last for ``--recall`` queries.  ``--site OUT`` measures a site ``bench_archive.py
--keep`` built instead (its real article pages and the index the build wrote):

    python benchmarks/bench_search.py --years 3 [--site benchmarks/work/bench-archive-…/out]

Pagefind is not a project dependency; to include it install its extended binary (the
one that segments Chinese) into the venv first:

    .venv/bin/pip install 'pagefind[extended]==1.5.2'
"""

from __future__ import annotations

import argparse
import html
import json
import os
import pickle
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "plugins"))

from epaper_search.query import DirFetcher, Search, search, write_search_page, write_story_pages  # noqa: E402
from epaper_search.terms import Doc  # noqa: E402
from epaper_search.text import html_to_text, normalize, query_terms  # noqa: E402

from epaper_contract import split_list  # noqa: E402

PAGE_SIZE = 10  # results on the first page, as search.js shows them
TYPICAL = ["集成电路", "绍兴 集成电路", "人才咖啡"]
LAST_CPU_S = 0.0
RECALL = ["集成电路", "绍兴", "家庭医生", "营商环境", "人才咖啡", "俊鸟", "腾笼换鸟", "产业链上", "社会治理",
          "新质生产力", "链上下游", "绍兴 集成电路", "政务服务增值化改革", "高质量发展", "张梦龙", "5G"]


# --- corpus ------------------------------------------------------------------------------

def load_docs(content: Path) -> list[Doc]:
    """Docs as the plugin sees them: Markdown rendered by Python-Markdown, then text."""
    import markdown

    md = markdown.Markdown()
    docs = []
    for path in sorted(content.rglob("*.md")):
        head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
        md.reset()
        d = meta["Date"]
        page = int(meta["Page"])
        docs.append(Doc(
            url=f"{d[:4]}/{d[5:7]}/{d[8:]}/{page:02d}/{meta['Slug']}/", date=d, page=page,
            order=int(meta.get("Order", 0)), title=meta["Title"], kicker=meta.get("Kicker", ""),
            subtitle=meta.get("Subtitle", ""),
            authors=split_list(meta.get("Authors")) + split_list(meta.get("Correspondents")),
            caption=meta.get("Caption", ""), body=html_to_text(md.convert(body)),
            cities=split_list(meta.get("Cities")), topics=split_list(meta.get("Topics"))))
    return docs


# --- measuring a process tree --------------------------------------------------------------

def _tree_rss_kb(pid: int) -> int:
    """Memory of ``pid`` and all its descendants: the sum of their PSS, from /proc.

    PSS, not RSS: forked workers share the parent's pages (jieba's dictionary, the
    documents) and RSS would count those once per process.
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def run_measured(cmd: list[str], **kw) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall seconds and peak memory (MB, PSS summed over the process tree) of ``cmd``.

    Also records the tree's CPU seconds in ``LAST_CPU_S``: on a machine shared with other
    jobs, wall time varies and CPU time does not.
    """
    global LAST_CPU_S
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.05)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out, err = proc.communicate()
    done.set()
    t.join()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU_S = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, peak // 1024, subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def dir_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


# --- our engine ------------------------------------------------------------------------------

BUILD_SNIPPET = """
import pickle, sys, time
from pathlib import Path
sys.path.insert(0, {plugins!r})
from epaper_search.build import build_index
docs = pickle.load(open({pkl!r}, "rb"))
t = time.perf_counter()
summary = build_index(docs, Path({out!r}), cache_dir=Path({cache!r}))
print(time.perf_counter() - t)
"""


def cache_size(index: Path) -> dict:
    """The term cache :func:`build_ours` and :func:`update_ours` leave beside ``index``: on
    disk, and as actions/cache stores it (a tar through ``zstd -T0 --long=30``; ``None``
    without the zstd command)."""
    cache = index.parent / "cache"
    size, nfiles = dir_size(cache) if cache.is_dir() else (0, 0)
    stored = None
    if shutil.which("zstd") and cache.is_dir():
        tar = subprocess.Popen(["tar", "-cf", "-", "-C", str(cache.parent), cache.name], stdout=subprocess.PIPE)
        zstd = subprocess.run(["zstd", "-q", "-T0", "--long=30", "-c"], stdin=tar.stdout, capture_output=True,
                              check=True)
        tar.stdout.close()
        if tar.wait():
            raise SystemExit(f"tar of {cache} failed")
        stored = len(zstd.stdout)
    return {"bytes": size, "files": nfiles, "zstd_bytes": stored}


def build_ours(docs_pkl: Path, out: Path) -> dict:
    for folder in (out, out.parent / "cache"):
        if folder.exists():
            shutil.rmtree(folder)
    code = BUILD_SNIPPET.format(plugins=str(ROOT / "plugins"), pkl=str(docs_pkl), out=str(out),
                                cache=str(out.parent / "cache"))
    wall, peak, proc = run_measured([sys.executable, "-c", code])
    if proc.returncode:
        raise SystemExit(proc.stderr)
    size, nfiles = dir_size(out)
    return {"build_s": float(proc.stdout.strip().splitlines()[-1]), "process_s": wall, "peak_mb": peak,
            "cpu_s": LAST_CPU_S, "size_mb": size / 1e6, "files": nfiles}


def update_ours(docs: list[Doc], docs_pkl: Path, out: Path) -> dict:
    """The daily update: the year's last edition withdrawn, indexed, then added back.

    Uses the term cache the full build left, as ``make html`` would.
    """
    last = max(d.date for d in docs)
    partial = docs_pkl.with_name("docs-minus-last.pkl")
    partial.write_bytes(pickle.dumps([d for d in docs if d.date != last]))
    for pkl in (partial, docs_pkl):
        before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
        code = BUILD_SNIPPET.format(plugins=str(ROOT / "plugins"), pkl=str(pkl), out=str(out),
                                    cache=str(out.parent / "cache"))
        wall, peak, proc = run_measured([sys.executable, "-c", code])
        after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    touched = sum(1 for p, m in after.items() if before.get(p) != m)
    return {"update_s": float(proc.stdout.strip().splitlines()[-1]), "process_s": wall, "peak_mb": peak,
            "files_touched": touched, "files": len(after)}


def simulate_ours(index: Path, query: str) -> dict:
    fetcher = DirFetcher(index)
    t = time.perf_counter()
    res = search(fetcher, query, limit=PAGE_SIZE)
    return {"bytes": fetcher.bytes, "gzip_bytes": fetcher.gzip_bytes, "files": len(fetcher.files),
            "page_bytes": fetcher.page_bytes,
            "ms": (time.perf_counter() - t) * 1000, "hits_shown": len(res.hits), "candidates": res.candidates}


def recall_ours(index: Path, docs: list[Doc], texts: list[str], query: str) -> dict:
    terms = query_terms(query)
    truth = {d.url for d, t in zip(docs, texts, strict=True) if all(x in t for x in terms)}
    got = {h.record["u"] for h in search(DirFetcher(index), query).hits}
    return {"truth": len(truth), "found": len(got), "true_pos": len(got & truth)}


def prepare_our_site(index: Path, site: Path) -> None:
    """A bare site around the index: the real search.js and the elements it needs."""
    write_search_page(site, ROOT / "theme" / "static" / "js" / "search.js")
    link = site / "search" / "data"
    if not link.exists():
        link.symlink_to(index.resolve())


# --- Pagefind ---------------------------------------------------------------------------------

def pagefind_cmd() -> list[str] | None:
    try:
        import pagefind_bin_extended  # noqa: F401
    except ImportError:
        return None
    return [sys.executable, "-m", "pagefind_bin_extended"]


def write_pagefind_site(docs: list[Doc], site: Path) -> None:
    """One bare HTML page per article, the indexable part marked ``data-pagefind-body``."""
    if site.exists():
        shutil.rmtree(site)
    for d in docs:
        path = site / d.url / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        paras = "".join(f"<p>{html.escape(p)}</p>" for p in d.body.split("\n"))
        filters = "".join(f'<span data-pagefind-filter="city">{html.escape(c)}</span>' for c in d.cities)
        filters += "".join(f'<span data-pagefind-filter="topic">{html.escape(t)}</span>' for t in d.topics)
        page = (f'<!doctype html><html lang="zh-cn"><head><meta charset="utf-8"><title>{html.escape(d.title)}'
                f'</title></head><body><main data-pagefind-body>'
                f'<p>{html.escape(d.kicker)}</p><h1>{html.escape(d.title)}</h1><p>{html.escape(d.subtitle)}</p>'
                f'<p>{html.escape(d.byline())}</p><p>{html.escape(d.caption)}</p>{paras}'
                f'<div hidden>{filters}</div><span data-pagefind-meta="date">{d.date}</span>'
                '</main></body></html>')
        path.write_text(page, encoding="utf-8")
    (site / "pf.html").write_text('<!doctype html><html lang="zh-cn"><head><meta charset="utf-8"></head>'
                                  '<body></body></html>', encoding="utf-8")


def build_pagefind(site: Path) -> dict | None:
    cmd = pagefind_cmd()
    if cmd is None:
        return None
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    wall, peak, proc = run_measured([*cmd, "--site", str(site)])
    if proc.returncode:
        print(proc.stdout[-2000:], proc.stderr[-2000:])
        return None
    size, nfiles = dir_size(site / "pagefind")
    return {"build_s": wall, "peak_mb": peak, "cpu_s": LAST_CPU_S, "size_mb": size / 1e6, "files": nfiles}


# --- in the browser -----------------------------------------------------------------------------

PF_SEARCH_JS = """async ([q, all]) => {
  const t0 = performance.now();
  const pf = await import('/pagefind/pagefind.js');
  const r = await pf.search(q);
  const n = all ? r.results.length : Math.min(10, r.results.length);
  const first = n ? await r.results[0].data() : null;
  const ms = performance.now() - t0;
  const data = await Promise.all(r.results.slice(0, n).map(x => x.data()));
  const bytes = performance.getEntriesByType('resource').reduce((s, e) => s + e.encodedBodySize, 0);
  return {count: r.results.length, urls: all ? data.map(d => d.url) : [], ms, bytes, first: !!first};
}"""


def browser_measure(pf_site: Path | None, our_site: Path, docs: list[Doc], texts: list[str]) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS, SiteServer, chromium_available

    if not chromium_available():
        return {}
    out: dict = {"ours": {}, "pagefind": {}, "pagefind_recall": {}}
    ours = SiteServer(our_site)
    pf = SiteServer(pf_site) if pf_site else None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        for q in TYPICAL:
            ctx = browser.new_context()
            page = ctx.new_page()
            page.goto(f"{ours.base}/search/?q={quote(q)}")
            page.wait_for_selector('#search-status[data-ms]', timeout=60000)
            nbytes = page.evaluate("() => performance.getEntriesByType('resource')"
                                   ".filter(e => !e.name.endsWith('.js'))"
                                   ".reduce((s, e) => s + e.encodedBodySize, 0)")
            out["ours"][q] = {"bytes": nbytes, "ms": float(page.get_attribute("#search-status", "data-ms"))}
            ctx.close()
            if pf:
                ctx = browser.new_context()
                page = ctx.new_page()
                page.goto(f"{pf.base}/pf.html")
                out["pagefind"][q] = page.evaluate(PF_SEARCH_JS, [q, False])
                ctx.close()
        if pf:
            for q in RECALL:
                ctx = browser.new_context()
                page = ctx.new_page()
                page.goto(f"{pf.base}/pf.html")
                page.set_default_timeout(600000)
                res = page.evaluate(PF_SEARCH_JS, [q, True])
                terms = query_terms(q)
                truth = {"/" + d.url for d, t in zip(docs, texts, strict=True) if all(x in t for x in terms)}
                got = set(res["urls"])
                out["pagefind_recall"][q] = {"truth": len(truth), "found": len(got),
                                             "true_pos": len(got & truth)}
                ctx.close()
        browser.close()
    ours.close()
    if pf:
        pf.close()
    return out


# --- at archive scale (issue 27) -------------------------------------------------------------

#: The first page of results for these is measured at every archive size: the issue's five
#: (a common word, a place, a compound, a string across jieba's words, two terms) and others
#: (a term jieba cuts apart, a long term, two common terms, a topic word, Latin, and one
#: found nowhere, whose first page reads the whole latest year and no more).
ARCHIVE_QUERIES = ["集成电路", "绍兴", "社会治理", "产业链上", "乡村振兴 人才", "人才咖啡", "政务服务增值化改革",
                   "绍兴 集成电路", "新质生产力", "5G", "量子纠缠"]


def first_page(index: Path, site: Path, query: str) -> dict:
    """What the reference reads for the first page of ``query`` (what ``search.js`` fetches)."""
    fetcher = DirFetcher(index, site)
    t = time.perf_counter()
    s = Search(fetcher, query)
    hits = s.more()
    ms = (time.perf_counter() - t) * 1000
    known, exact = s.count()
    pages = sum(1 for f in fetcher.files if not f.endswith((".bin", ".json")))
    return {"bytes": fetcher.bytes, "gzip_bytes": fetcher.gzip_bytes, "files": len(fetcher.files),
            "pages": pages, "page_bytes": fetcher.page_bytes, "segments": list(s.read), "shown": len(hits),
            "count": known, "exact": exact, "ms": ms}


def browser_first_pages(site: Path, queries: list[str]) -> dict:
    """Chromium, cold cache (a fresh context per query): bytes as served and ms to the first page."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS, SiteServer, chromium_available

    if not chromium_available():
        return {}
    out = {}
    server = SiteServer(site)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        for q in queries:
            ctx = browser.new_context()
            page = ctx.new_page()
            page.goto(f"{server.base}/search/?q={quote(q)}")
            page.wait_for_selector("#search-status[data-ms]", state="attached", timeout=120000)
            entries = page.evaluate("() => performance.getEntriesByType('resource')"
                                    ".filter(e => !/[.](js|css)$/.test(e.name))"
                                    ".map(e => [e.name, e.encodedBodySize])")
            out[q] = {"bytes": sum(n for _, n in entries), "files": len(entries),
                      "ms": float(page.get_attribute("#search-status", "data-ms")),
                      "status": page.inner_text("#search-status")}
            ctx.close()
        browser.close()
    server.close()
    return out


def recall_all_pages(index: Path, site: Path, docs: list[Doc], texts: list[str], query: str) -> dict:
    """Every page up to the last (as "more results" reads them) against a substring scan."""
    terms = query_terms(query)
    truth = {d.url for d, t in zip(docs, texts, strict=True) if all(x in t for x in terms)}
    s = Search(DirFetcher(index, site), query)
    got: list[str] = []
    pages = 0
    while not s.done():
        got += [h.record["u"] for h in s.more()]
        pages += 1
    return {"truth": len(truth), "found": len(set(got)), "true_pos": len(set(got) & truth),
            "duplicates": len(got) - len(set(got)), "pages": pages, "count": s.count()}


def archive_main(args) -> int:
    import bench_archive

    base, meta = bench_archive.archive_dir(args.years, args.last_year, args.pages, args.per_page, 3)
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"archive: {meta['articles']} articles, {args.years} years from {meta['first']} ({base})")
    report: dict = {"years": args.years, "articles": meta["articles"]}
    docs: list[Doc] = []
    if args.site:
        site = args.site.resolve()
        index = site / "search" / "data"
        report["index"] = "built by bench_archive.py (real article pages)"
    else:
        work = args.work / f"archive-y{args.years}-to{args.last_year}" / f"p{args.pages}-n{args.per_page}"
        work.mkdir(parents=True, exist_ok=True)
        docs_pkl = work / "docs.pkl"
        t = time.perf_counter()
        if docs_pkl.exists():
            docs = pickle.loads(docs_pkl.read_bytes())
        else:
            docs = load_docs(base / "archive")
            docs_pkl.write_bytes(pickle.dumps(docs))
        print(f"documents read in {time.perf_counter() - t:.1f} s (not counted)", flush=True)
        site = work / "site"
        index = site / "search" / "data"
        if not (index / "index.json").exists() or args.rebuild:
            report["build"] = build_ours(docs_pkl, index)
            report["build"]["cache"] = cache_size(index)
            print(f"index built: {report['build']}", flush=True)
            # the daily update on top of it, and the term cache it leaves (issue 27: what
            # Actions keeps between builds besides the site)
            report["update"] = update_ours(docs, docs_pkl, index)
            report["update"]["cache"] = cache_size(index)
            print(f"daily update: {report['update']}", flush=True)
        if not (site / ".pages").exists():
            write_story_pages(docs, site)
            (site / ".pages").write_text("")
        report["index"] = "built here (bare article pages of the site's shape)"
    size, nfiles = dir_size(index)
    manifest = (index / "index.json").read_bytes()
    report["index_size"] = {"bytes": size, "files": nfiles, "manifest": len(manifest),
                            "segments": len(json.loads(manifest)["segments"])}
    report["first_page"] = {q: first_page(index, site, q) for q in ARCHIVE_QUERIES}
    if not args.no_browser:
        write_search_page(site, ROOT / "theme" / "static" / "js" / "search.js")
        report["browser"] = browser_first_pages(site, ARCHIVE_QUERIES)
    if docs and args.recall:
        texts = [normalize(d.fulltext()) for d in docs]
        report["recall"] = {q: recall_all_pages(index, site, docs, texts, q) for q in args.recall}
    print_archive_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def print_archive_report(rep: dict) -> None:
    ix = rep["index_size"]
    print(f"\n== {rep['years']} years, {rep['articles']} articles; index {ix['bytes'] / 1e6:.1f} MB in "
          f"{ix['files']} files, {ix['segments']} segments, index.json {ix['manifest']} B; {rep['index']}")
    if "build" in rep:
        b, u = rep["build"], rep["update"]
        def cached(c: dict) -> str:
            z = f", {c['zstd_bytes'] / 1e6:.1f} MB as actions/cache stores it" if c["zstd_bytes"] is not None else ""
            return f"term cache {c['bytes'] / 1e6:.1f} MB in {c['files']} files{z}"
        print(f"cold build {b['build_s']:.1f} s ({b['cpu_s']:.0f} CPU s), {cached(b['cache'])}; daily update "
              f"{u['update_s']:.2f} s (process {u['process_s']:.1f} s), {u['files_touched']} files rewritten, "
              f"{cached(u['cache'])}")
    print("first page of results (reference): bytes raw / gzip, files (of which article pages), segments read,"
          " count shown; then Chromium: bytes as served, ms to the first page")
    br = rep.get("browser", {})
    for q, r in rep["first_page"].items():
        count = f"{r['count']}{'' if r['exact'] else '+'}"
        segs = r["segments"] or ["-"]
        line = (f"{q:<12} {r['bytes'] / 1000:>6.0f} KB / {r['gzip_bytes'] / 1000:>4.0f} KB gzip  {r['files']:>3} files "
                f"({r['pages']:>2} pages)  {len(r['segments']):>2} segments ({segs[-1]}..{segs[0]})  "
                f"{r['shown']:>2} of {count:<7}")
        if q in br:
            line += f" | Chromium {br[q]['bytes'] / 1000:>6.0f} KB {br[q]['files']:>3} files {br[q]['ms']:>5.0f} ms"
        print(line)
    if rep.get("recall"):
        print("recall over every page up to the last (reference) against a plain substring scan")
        for q, r in rep["recall"].items():
            recall = r["true_pos"] / max(r["truth"], 1)
            print(f"{q:<12} truth {r['truth']:>6}  found {r['found']:>6}  recall {recall:7.1%}  "
                  f"precision {r['true_pos'] / max(r['found'], 1):7.1%}  duplicates {r['duplicates']}  "
                  f"pages {r['pages']}  count {r['count']}")


# --- main -----------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work" / "search")
    ap.add_argument("--no-pagefind", action="store_true")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--years", type=int, help="a simulated archive of this many years (see above)")
    ap.add_argument("--last-year", type=int, default=2024)
    ap.add_argument("--pages", type=int, default=8, help="with --years: pages an edition")
    ap.add_argument("--per-page", type=int, default=7, help="with --years: articles a page")
    ap.add_argument("--site", type=Path, help="with --years: a site bench_archive.py --keep built (its out/)")
    ap.add_argument("--rebuild", action="store_true", help="with --years: rebuild the index even if there")
    ap.add_argument("--recall", nargs="*", default=["集成电路", "社会治理", "产业链上", "乡村振兴 人才", "人才咖啡"],
                    help="with --years: queries whose every page is checked against a substring scan")
    args = ap.parse_args(argv)
    if args.years:
        return archive_main(args)
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    content = work / f"corpus-{args.days}d-s{args.seed}"
    if not content.exists():
        from corpus import write_corpus

        write_corpus(content, args.days, 8, 7, "content", args.seed)
    t = time.perf_counter()
    docs = load_docs(content)
    print(f"corpus: {len(docs)} articles, {sum(len(d.fulltext()) for d in docs) / 1e6:.1f} M characters "
          f"(read and rendered in {time.perf_counter() - t:.1f} s, not counted below)")
    docs_pkl = work / "docs.pkl"
    docs_pkl.write_bytes(pickle.dumps(docs))
    texts = [normalize(d.fulltext()) for d in docs]
    report: dict = {"articles": len(docs)}

    index = work / "site" / "search" / "data"
    report["ours"] = build_ours(docs_pkl, index)
    # candidates are checked against the article pages: bare ones of the site's shape
    # (the real pages carry ~5 KB more of navigation and metadata each)
    write_story_pages(docs, work / "site")
    report["ours_update"] = update_ours(docs, docs_pkl, index)
    report["ours_queries"] = {q: simulate_ours(index, q) for q in TYPICAL}
    report["ours_recall"] = {q: recall_ours(index, docs, texts, q) for q in RECALL}

    pf_site = None
    if not args.no_pagefind:
        pf_site = work / "pagefind-site"
        write_pagefind_site(docs, pf_site)
        report["pagefind"] = build_pagefind(pf_site)
        if report["pagefind"] is None:
            print("pagefind: not installed (see the module docstring); skipped")
            pf_site = None
    if not args.no_browser:
        prepare_our_site(index, work / "site")
        report["browser"] = browser_measure(pf_site, work / "site", docs, texts)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def _pct(r: dict) -> str:
    recall = r["true_pos"] / r["truth"] if r["truth"] else 1.0
    precision = r["true_pos"] / r["found"] if r["found"] else 1.0
    return f"{r['truth']:>6} {r['found']:>6} {recall:>7.1%} {precision:>9.1%}"


def print_report(rep: dict) -> None:
    o = rep["ours"]
    print(f"\n== ours (bigram + jieba, month segments, hashed shards) on {rep['articles']} articles")
    print(f"build {o['build_s']:.1f} s (process {o['process_s']:.1f} s, {o['cpu_s']:.0f} CPU s), "
          f"peak {o['peak_mb']} MB, "
          f"index {o['size_mb']:.1f} MB in {o['files']} files")
    u = rep["ours_update"]
    print(f"daily update (one edition added): {u['update_s']:.2f} s, {u['files_touched']} of {u['files']} "
          f"files rewritten, peak {u['peak_mb']} MB")
    print("query                 bytes   gzip (of which pages)  files  shown  candidates  ms(python)")
    for q, r in rep["ours_queries"].items():
        print(f"{q:<16} {r['bytes']:>10} {r['gzip_bytes']:>6} {r.get('page_bytes', 0):>17} {r['files']:>6} "
              f"{r['hits_shown']:>6} "
              f"{r['candidates']:>11} {r['ms']:>10.0f}")
    pf = rep.get("pagefind")
    if pf:
        print(f"\n== pagefind[extended] 1.5.2: build {pf['build_s']:.1f} s ({pf['cpu_s']:.0f} CPU s), "
              f"peak {pf['peak_mb']} MB, "
              f"index {pf['size_mb']:.1f} MB in {pf['files']} files")
    br = rep.get("browser") or {}
    if br:
        print("\n== in Chromium, cold cache: bytes fetched (as served) and ms to the first result")
        for q in TYPICAL:
            line = f"{q:<16} ours {br['ours'][q]['bytes']:>8} B {br['ours'][q]['ms']:>6.0f} ms"
            if q in br.get("pagefind", {}):
                r = br["pagefind"][q]
                line += f" | pagefind {r['bytes']:>8} B {r['ms']:>6.0f} ms ({r['count']} results)"
            print(line)
    print("\n== substring recall against a plain scan")
    print("query              ours:  truth  found  recall precision" + (
        " | pagefind:  truth  found  recall precision" if br.get("pagefind_recall") else ""))
    for q in RECALL:
        line = f"{q:<22} {_pct(rep['ours_recall'][q])}"
        if q in br.get("pagefind_recall", {}):
            line += f" | {_pct(br['pagefind_recall'][q])}"
        print(line)


if __name__ == "__main__":
    raise SystemExit(main())
