"""Build benchmark: a synthetic year with our site, with stock Pelican, with Hugo; then the daily update.

    python benchmarks/bench_build.py [--days 365] [--pages 8] [--per-page 7] [--seed 1]
                                     [--skip-stock] [--skip-hugo] [--compressed] [--publish SITEURL]

1. The corpus (``benchmarks/corpus.py``, content format) is generated once and cached
   under ``benchmarks/work/`` (git-ignored).
2. Our site: ``tools/build.py`` with ``pelicanconf.py`` (what ``make html`` runs), from a
   cold cache into an empty output folder, its size per kind of page; the same cold with
   ``publishconf.py`` and an absolute SITEURL (what ``make publish`` deploys: the size that
   counts against GitHub Pages' 1 GB); then a rebuild with nothing changed.
3. Stock Pelican 4.12 on the same content: a temporary settings file with the default
   theme, no plugins, cold; the articles get ``Tags:`` (their cities and topics) so that
   stock Pelican builds tag pages as we build city and topic pages.
4. Hugo, when ``hugo`` is on PATH (skipped cleanly otherwise): the same articles with
   YAML front matter and a minimal list/single layout.
5. The daily update: one more edition (~60 articles) is added and our site rebuilt;
   wall time and how many output files were added, changed (bytes or mtime) or removed.

With printed pages (the default; ``--no-printed`` leaves them out) every page of the year
and of the update has a ``page.json``, its pictures and its PDF (``printed_corpus.py``:
real ones, made by the converter from typeset PDFs for one template edition), and the
converter's share of a morning is timed too: one edition's dumps with their page PDFs
converted from scratch (pictures made), then again with nothing new.

Each build runs as a child process.  Peak memory is given two ways: the largest single
process (``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of a fresh helper) and the peak of the
whole process tree's PSS (proportional set size, so forked workers' shared pages count
once), sampled every 0.1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402
import printed_corpus  # noqa: E402

WORK = ROOT / "benchmarks" / "work"
PY = sys.executable
PAPER = "zjrb"


# -- measuring -----------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_kb(pid: int) -> int:
    todo, total, seen = [pid], 0, set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _pss_kb(p)
        todo += _children(p)
    return total


@dataclass
class Run:
    label: str
    wall: float
    max_rss_mb: float  # largest single process
    tree_pss_mb: float  # peak sum over the process tree
    rc: int
    tail: str = ""
    cpu: float = 0.0  # user + system seconds of the whole tree


MAXRSS_HELPER = r"""
import resource, subprocess, sys, json
rc = subprocess.call(sys.argv[1:])
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": rc, "maxrss_kb": ru.ru_maxrss, "cpu": ru.ru_utime + ru.ru_stime}), file=sys.stderr)
"""


def measure(label: str, cmd: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> Run:
    """Run ``cmd`` in a helper that reports its children's max RSS; sample the tree's PSS."""
    start = time.perf_counter()
    proc = subprocess.Popen([PY, "-c", MAXRSS_HELPER, *cmd], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], tree_pss_kb(proc.pid))
            stop.wait(0.1)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    stop.set()
    t.join()
    info = {"rc": proc.returncode, "maxrss_kb": 0, "cpu": 0.0}
    for line in reversed(err.splitlines()):
        if line.startswith("{") and "maxrss_kb" in line:
            info = json.loads(line)
            break
    run = Run(label, wall, info["maxrss_kb"] / 1024, peak[0] / 1024, info["rc"], (out + err)[-1500:],
              info.get("cpu", 0.0))
    if run.rc:
        print(f"!! {label} failed (exit {run.rc}):\n{run.tail}", file=sys.stderr)
    for line in out.splitlines():  # tools/build.py's own account: staging, articles read, units rendered
        if line.startswith("build: "):
            print("   " + line, flush=True)
    return run


def tree_size(path: Path, compressed: bool = False) -> tuple[int, int, int]:
    """(files, bytes, zlib-compressed bytes or 0) of a folder."""
    files = size = comp = 0
    for dirpath, _, names in os.walk(path):
        for n in names:
            p = os.path.join(dirpath, n)
            files += 1
            size += os.path.getsize(p)
            if compressed:
                with open(p, "rb") as f:
                    comp += len(zlib.compress(f.read(), 6))
    return files, size, comp


#: Kinds of output file, by path (the first match wins); see ``size_by_kind``.
KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((k, re.compile(p)) for k, p in (
    ("article pages", r"\d{4}/\d\d/\d\d/\d\d/[^/]+/index\.html"),
    ("page pages", r"\d{4}/\d\d/\d\d/\d\d/index\.html"),
    ("page pictures and PDFs", r"\d{4}/\d\d/\d\d/\d\d/page[^/]*\.(webp|png|jpe?g|pdf)$"),
    ("article pictures", r"images/"),
    ("edition pages", r"\d{4}/\d\d/\d\d/index\.html"),
    ("list pages (city/topic/reporter/archive)", r"(city|topic|reporter|archive)/"),
    ("open data (JSON, CSV)", r"data/"),
    ("search (index and page)", r"search/"),
    ("feeds", r"feeds/"),
    ("sitemap", r"sitemaps?[./]"),
    ("theme", r"theme/"),
    ("proofing (local builds only)", r"proofing/"),
    ("home, 404, robots.txt", r""),
))


def size_by_kind(path: Path) -> dict[str, tuple[int, int]]:
    """(files, bytes) of each kind of output file under ``path``, in ``KINDS`` order."""
    out = {k: [0, 0] for k, _ in KINDS}
    for dirpath, _, names in os.walk(path):
        rel_dir = os.path.relpath(dirpath, path)
        for n in names:
            rel = n if rel_dir == "." else f"{rel_dir}/{n}".replace(os.sep, "/")
            kind = next(k for k, pattern in KINDS if pattern.match(rel))
            out[kind][0] += 1
            out[kind][1] += os.path.getsize(os.path.join(dirpath, n))
    return {k: (v[0], v[1]) for k, v in out.items()}


def kinds_table(path: Path, title: str) -> str:
    sizes = size_by_kind(path)
    total = sum(b for _, b in sizes.values())
    lines = [f"{title}: {total / 1e6:.1f} MB in {sum(f for f, _ in sizes.values())} files"]
    lines += [f"    {k:<42} {f:7d} files {b / 1e6:8.1f} MB  {100 * b / max(total, 1):5.1f} %"
              for k, (f, b) in sizes.items()]
    return "\n".join(lines)


def snapshot(path: Path) -> dict[str, tuple[int, int, int]]:
    out = {}
    for dirpath, _, names in os.walk(path):
        for n in names:
            p = os.path.join(dirpath, n)
            st = os.stat(p)
            out[os.path.relpath(p, path)] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return out


def diff(before: dict, after: dict) -> dict[str, list[str]]:
    return {"added": sorted(set(after) - set(before)), "removed": sorted(set(before) - set(after)),
            "changed": sorted(k for k in set(before) & set(after) if before[k] != after[k])}


# -- the corpus ----------------------------------------------------------------------------

def corpus_dir(days: int, pages: int, per_page: int, seed: int) -> Path:
    """The cached corpus of ``days`` editions and, beside it, one more edition for the update."""
    base = WORK / f"build-corpus-d{days}-p{pages}-n{per_page}-s{seed}"
    if not (base / ".complete").exists():
        shutil.rmtree(base, ignore_errors=True)
        start = time.perf_counter()
        n = corpus.write_corpus(base / "year", days, pages, per_page, "content", seed, PAPER)
        day = dt.date(2024, 1, 1) + dt.timedelta(days=days)
        m = corpus.write_corpus(base / "next", 1, pages, per_page, "content", seed + 1000, PAPER, start=day)
        (base / ".complete").write_text(json.dumps({"articles": n, "next": m}))
        print(f"corpus: {n} articles + {m} for the update, generated in {time.perf_counter() - start:.1f} s")
    return base


def printed_dir(base: Path, pages: int, per_page: int, seed: int) -> tuple[Path, Path]:
    """The corpus with printed pages (hard-link copies of ``year`` and ``next`` plus each page's
    ``page.json``, pictures and PDF), cached beside it; and the template edition's folder."""
    template = printed_corpus.template_edition(WORK, pages, per_page, seed, PAPER)
    out = base / "printed"
    if not (out / ".complete").exists():
        shutil.rmtree(out, ignore_errors=True)
        start = time.perf_counter()
        n = 0
        for part in ("year", "next"):
            shutil.copytree(base / part / PAPER, out / part / PAPER, copy_function=os.link)
            n += printed_corpus.add_printed(out / part / PAPER, template, PAPER)
        (out / ".complete").write_text(str(n))
        print(f"corpus: {n} printed pages added in {time.perf_counter() - start:.1f} s")
    return out, template


def printed_size(path: Path) -> tuple[int, int]:
    """(files, bytes) of the page pictures and PDFs under ``path``."""
    files = size = 0
    for p in path.rglob("page*"):
        if p.suffix in (".webp", ".pdf"):
            files += 1
            size += p.stat().st_size
    return files, size


# -- the three generators ------------------------------------------------------------------

STOCK_CONF = """
AUTHOR = "bench"
SITENAME = "bench"
SITEURL = ""
PATH = {path!r}
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
PLUGINS = []
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""


NO_SEARCH_CONF = """import sys
sys.path.insert(0, {root!r})
from pelicanconf import *  # noqa: F403
PLUGINS = [p for p in PLUGINS if p != "epaper_search"]  # noqa: F405
"""


def build_ours(content: Path, out: Path, cache: Path, label: str, settings: Path | None = None,
               tool: str = "build.py", extra: tuple[str, ...] = (), siteurl: str | None = None,
               extra_env: dict[str, str] | None = None) -> Run:
    """Our build as ``make html`` runs it (``tool="shards.py"``: as ``make html SHARDS=1``;
    ``siteurl`` with ``publishconf.py``: as ``make publish``)."""
    env = dict(os.environ, PAPER=PAPER, EPAPER_CACHE_DIR=str(cache), **(extra_env or {}))
    if siteurl is not None:
        env["SITEURL"] = siteurl
    return measure(label, [PY, str(ROOT / "tools" / tool), *extra, str(content), "-o", str(out),
                           "-s", str(settings or ROOT / "pelicanconf.py")], env=env)


def stock_content(content: Path, dst: Path) -> Path:
    """The same articles with ``Tags: <cities>, <topics>``, so stock Pelican builds tag pages too.

    Stock Pelican knows nothing of Cities/Topics; without Tags it would skip the list
    pages that are most of the work (and of our output), and the comparison would not
    be like for like.  Cached next to the corpus.
    """
    if (dst / ".complete").exists():
        return dst / PAPER
    shutil.rmtree(dst, ignore_errors=True)
    for md in content.rglob("*.md"):
        text = md.read_text(encoding="utf-8")
        head, sep, body = text.partition("\n\n")
        meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
        tags = [t.strip() for k in ("Cities", "Topics") for t in meta.get(k, "").split(",") if t.strip()]
        if tags:
            head += "\nTags: " + ", ".join(dict.fromkeys(tags))
        out = dst / PAPER / md.relative_to(content)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(head + sep + body, encoding="utf-8")
    (dst / ".complete").write_text("")
    return dst / PAPER


def build_stock(content: Path, out: Path, tmp: Path) -> Run:
    conf = tmp / "stockconf.py"
    conf.write_text(STOCK_CONF.format(path=str(content)), encoding="utf-8")
    return measure("stock Pelican (default theme, no plugins)",
                   [PY, "-m", "pelican", str(content), "-o", str(out), "-s", str(conf)], cwd=tmp)


HUGO_CONFIG = """baseURL = "http://example.org/"
languageCode = "zh-cn"
title = "bench"
disableKinds = ["RSS"]
[taxonomies]
city = "cities"
topic = "topics"
"""
HUGO_SINGLE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }}</p>{{ .Content }}
{{ range .Params.cities }}<a href="/cities/{{ . | urlize }}/">{{ . }}</a> {{ end }}</body></html>
"""
HUGO_LIST = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<p>{{ .Summary }}</p></li>{{ end }}</ul></body></html>
"""


def hugo_site(content: Path, site: Path) -> None:
    """The same articles as a Hugo site (YAML front matter), with minimal layouts."""
    if (site / ".complete").exists():
        return
    shutil.rmtree(site, ignore_errors=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (site / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    for md in content.rglob("*.md"):
        head, _, body = md.read_text(encoding="utf-8").partition("\n\n")
        meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
        fm = {"title": meta.get("Title", ""), "date": meta.get("Date", ""), "slug": meta.get("Slug", md.stem),
              "cities": [c.strip() for c in meta.get("Cities", "").split(",") if c.strip()],
              "topics": [c.strip() for c in meta.get("Topics", "").split(",") if c.strip()],
              "summary": meta.get("Summary", "")}
        dst = site / "content" / md.relative_to(content)
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text("---\n" + json.dumps(fm, ensure_ascii=False) + "\n---\n" + body, encoding="utf-8")
    (site / ".complete").write_text("")


# -- main ----------------------------------------------------------------------------------

def row(run: Run, size: tuple[int, int, int] | None = None) -> str:
    s = (f"{run.label:<44} {run.wall:7.1f} s wall {run.cpu:6.1f} s CPU  "
         f"max RSS {run.max_rss_mb:6.0f} MB  tree PSS {run.tree_pss_mb:6.0f} MB")
    if size:
        s += f"  {size[0]:6d} files {size[1] / 1e6:6.0f} MB"
        if size[2]:
            s += f" ({size[2] / 1e6:.0f} MB compressed)"
    return s


class MediaBucket:
    """The media route of ``make publish``/``make media`` against a local S3 server
    (``rclone serve s3`` over a folder of ``tmp``, as tests/publish/test_media.py starts it)."""

    def __init__(self, tmp: Path) -> None:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.data = tmp / "s3"
        self.data.mkdir()
        self.media_dir = tmp / "publish-media.media"
        self.env = {"RCLONE_CONFIG": "/dev/null", "RCLONE_CONFIG_BENCH_TYPE": "s3",
                    "RCLONE_CONFIG_BENCH_PROVIDER": "Rclone",
                    "RCLONE_CONFIG_BENCH_ENDPOINT": f"http://127.0.0.1:{self.port}",
                    "RCLONE_CONFIG_BENCH_ACCESS_KEY_ID": "bench", "RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY": "bench"}
        rclone = Path(PY).parent / "rclone"
        self.proc = subprocess.Popen([str(rclone), "serve", "s3", str(self.data), "--addr", f"127.0.0.1:{self.port}",
                                      "--config", "/dev/null"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)

    def build_env(self) -> dict[str, str]:
        return {"MEDIA_URL": f"http://127.0.0.1:{self.port}/media", "MEDIA_DIR": str(self.media_dir)}

    def upload(self, label: str) -> tuple[float, str]:
        """``make media``'s command, timed; (seconds, its summary line)."""
        start = time.perf_counter()
        res = subprocess.run([PY, str(ROOT / "tools" / "publish_remote.py"), "media", str(self.media_dir),
                              "bench:media"], env=dict(os.environ, **self.env), capture_output=True, text=True)
        wall = time.perf_counter() - start
        lines = [line for line in res.stdout.splitlines() if line.startswith("media: ") and "files sent" in line]
        summary = lines[-1] if lines and res.returncode == 0 else f"failed (exit {res.returncode}): {res.stderr[-500:]}"
        return wall, f"{label}: {wall:.1f} s, {summary}"

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--pages", type=int, default=8)
    ap.add_argument("--per-page", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip-stock", action="store_true")
    ap.add_argument("--skip-hugo", action="store_true")
    ap.add_argument("--compressed", action="store_true", help="also measure the output's zlib size")
    ap.add_argument("--keep", action="store_true", help="keep the build folders (printed)")
    ap.add_argument("--no-printed", action="store_true", help="no printed pages (page.json, pictures, PDFs)")
    ap.add_argument("--no-search-too", action="store_true",
                    help="also build ours without the search plugin (cold), like for like with stock")
    ap.add_argument("--no-media", action="store_true",
                    help="skip the media route: a publish build with MEDIA_URL (pages-only and media-only "
                         "sizes) and `make media` to a local S3 server, cold and after the daily update")
    ap.add_argument("--publish", metavar="SITEURL", default="https://example.github.io/epaper",
                    help="also build cold with publishconf.py for this address (what GitHub Pages hosts) "
                         "and print its size per kind; '' to skip")
    args = ap.parse_args(argv)

    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
          f"python {sys.version.split()[0]}")
    base = corpus_dir(args.days, args.pages, args.per_page, args.seed)
    meta = json.loads((base / ".complete").read_text())
    print(f"corpus: {meta['articles']} articles over {args.days} days (+{meta['next']} in the update)")

    source = base
    template = None
    if not args.no_printed:
        source, template = printed_dir(base, args.pages, args.per_page, args.seed)
        print(f"printed pages: {(source / '.complete').read_text()} (page.json, 3 pictures and the PDF each)")

    tmp = Path(tempfile.mkdtemp(prefix="bench-build-", dir=WORK))
    try:
        results: list[str] = []
        if template is not None:  # the converter's share of a morning: one edition with its page PDFs
            conv = [PY, "-m", "converters", str(template / "raw" / PAPER), "--out", str(tmp / "conv" / PAPER),
                    "--paper", PAPER, "-q", "-j", "2"]
            fresh = measure(f"converter: {args.pages} dumps + page PDFs (pictures made)", conv)
            results.append(row(fresh))
            print(results[-1], flush=True)
            rerun = measure("converter: the same again (nothing new)", conv)
            results.append(row(rerun))
            print(results[-1], flush=True)
            shutil.rmtree(tmp / "conv", ignore_errors=True)
        content = tmp / "content" / PAPER
        shutil.copytree(source / "year" / PAPER, content, copy_function=os.link)
        ours_out, cache = tmp / "out-ours", tmp / "cache"

        ours = build_ours(content, ours_out, cache, "ours: full build (cold cache)")
        ours_size = tree_size(ours_out, args.compressed)
        pictures = printed_size(ours_out)
        results.append(row(ours, ours_size) + (f" (of which {pictures[0]} page pictures and PDFs, "
                                               f"{pictures[1] / 1e6:.0f} MB: hard links into content/)"
                                               if pictures[0] else ""))
        print(results[-1], flush=True)
        size_tables = [kinds_table(ours_out, "size by kind, make html (pelicanconf.py)")]
        print(size_tables[-1], flush=True)

        published = None
        if args.publish:  # what is deployed: publishconf.py with an absolute SITEURL
            pub_out = tmp / "out-publish"
            pub = build_ours(content, pub_out, tmp / "cache-publish", "ours: make publish build (cold)",
                             ROOT / "publishconf.py", siteurl=args.publish)
            published = tree_size(pub_out)
            pictures_published = printed_size(pub_out)
            # The budget: without pictures (the compressed figure, which counts them, is dropped then).
            published = (published[0], published[1] - pictures_published[1],
                         0 if pictures_published[0] else published[2])
            results.append(row(pub, published))
            print(results[-1], flush=True)
            title = f"size by kind, make publish (publishconf.py, SITEURL={args.publish})"
            size_tables.append(kinds_table(pub_out, title))
            print(size_tables[-1], flush=True)
            shutil.rmtree(pub_out, ignore_errors=True)

        bucket = None
        if args.publish and not args.no_media and template is not None:
            # Pages on GitHub Pages, media on a bucket: what each host gets, and make media's time.
            bucket = MediaBucket(tmp)
            pm_out = tmp / "publish-media"
            pm = build_ours(content, pm_out, tmp / "cache-publish-media", "ours: make publish with MEDIA_URL (cold)",
                            ROOT / "publishconf.py", siteurl=args.publish, extra_env=bucket.build_env())
            pages_only, media_only = tree_size(pm_out), tree_size(bucket.media_dir)
            results.append(row(pm, pages_only) + f"  pages only (GitHub Pages): {pages_only[1] / 1e6:.1f} MB in "
                           f"{pages_only[0]} files; media only (bucket): {media_only[1] / 1e6:.1f} MB in "
                           f"{media_only[0]} files")
            print(results[-1], flush=True)
            results.append(bucket.upload("make media: the year's media, first upload to the local S3 server")[1])
            print(results[-1], flush=True)

        if args.no_search_too:  # like for like with stock Pelican, which has no search index
            conf = tmp / "nosearch.py"
            conf.write_text(NO_SEARCH_CONF.format(root=str(ROOT)), encoding="utf-8")
            ns = build_ours(content, tmp / "out-nosearch", tmp / "cache-nosearch",
                            "ours without the search index (cold)", conf)
            results.append(row(ns, tree_size(tmp / "out-nosearch")))
            print(results[-1], flush=True)
            shutil.rmtree(tmp / "out-nosearch", ignore_errors=True)

        snap0 = snapshot(ours_out)
        again = build_ours(content, ours_out, cache, "ours: rebuild, nothing changed")
        d0 = diff(snap0, snapshot(ours_out))
        results.append(row(again) + f"  files added/changed/removed: "
                       f"{len(d0['added'])}/{len(d0['changed'])}/{len(d0['removed'])}")
        print(results[-1], flush=True)

        stock = None
        if not args.skip_stock:
            stock_out = tmp / "out-stock"
            stock_src = stock_content(base / "year" / PAPER, base / "stock")
            stock = build_stock(stock_src, stock_out, tmp)
            results.append(row(stock, tree_size(stock_out, args.compressed)))
            print(results[-1], flush=True)
            shutil.rmtree(stock_out, ignore_errors=True)

        hugo = shutil.which("hugo")
        hugo_run = None
        if hugo and not args.skip_hugo:
            site = WORK / f"hugo-{base.name}"
            hugo_site(content, site)
            hugo_out = tmp / "out-hugo"
            hugo_run = measure("Hugo (minimal layouts)", [hugo, "--quiet", "-s", str(site), "-d", str(hugo_out)])
            results.append(row(hugo_run, tree_size(hugo_out, args.compressed)))
            print(results[-1], flush=True)
            shutil.rmtree(hugo_out, ignore_errors=True)
        elif not hugo:
            print("Hugo: not on PATH, skipped")

        # The daily update: one more edition.
        snap1 = snapshot(ours_out)
        shutil.copytree(source / "next" / PAPER, content, copy_function=os.link, dirs_exist_ok=True)
        upd = build_ours(content, ours_out, cache, f"ours: daily update (+{meta['next']} articles)")
        d1 = diff(snap1, snapshot(ours_out))
        results.append(row(upd) + f"  files added/changed/removed: "
                       f"{len(d1['added'])}/{len(d1['changed'])}/{len(d1['removed'])}")
        print(results[-1], flush=True)
        kinds: dict[str, int] = {}
        for k in d1["changed"]:
            top = k.split("/")[0] if "/" in k else k
            kinds[top] = kinds.get(top, 0) + 1
        print("   changed by folder:", ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
        if bucket is not None:  # the morning's publish build with MEDIA_URL, then make media: the day's files
            pmu = build_ours(content, tmp / "publish-media", tmp / "cache-publish-media",
                             "ours: make publish with MEDIA_URL, daily update", ROOT / "publishconf.py",
                             siteurl=args.publish, extra_env=bucket.build_env())
            results.append(row(pmu))
            print(results[-1], flush=True)
            results.append(bucket.upload(f"make media: daily (+{meta['next']} articles)")[1])
            print(results[-1], flush=True)
            bucket.close()

        # A correction: one sentence of one of today's articles fixed, the site rebuilt.
        snap2 = snapshot(ours_out)
        fixed = sorted((content / sorted(p.name for p in (source / "next" / PAPER).iterdir())[0]).rglob("*.md"))[0]
        text = fixed.read_text(encoding="utf-8")
        fixed.unlink()  # a hard link into the cached corpus: write a new file, not through it
        fixed.write_text(text.replace("\n\n", "\n\n（更正）", 1), encoding="utf-8")
        corr = build_ours(content, ours_out, cache, "ours: correction (one article edited)")
        d2 = diff(snap2, snapshot(ours_out))
        results.append(row(corr) + f"  files added/changed/removed: "
                       f"{len(d2['added'])}/{len(d2['changed'])}/{len(d2['removed'])}")
        print(results[-1], flush=True)

        print("\nsummary")
        for r in results:
            print("  " + r)
        for k in size_tables:
            print("  " + k.replace("\n", "\n  "))
        if stock:
            print(f"  ours vs stock Pelican: {stock.wall / ours.wall:.1f}x faster, "
                  f"peak tree PSS {ours.tree_pss_mb:.0f} vs {stock.tree_pss_mb:.0f} MB")
        if hugo_run:
            print(f"  ours vs Hugo: {ours.wall:.1f} s vs {hugo_run.wall:.1f} s "
                  f"(ours takes {ours.wall / max(hugo_run.wall, 1e-9):.1f}x Hugo's time)")
        sized = f"{(ours_size[1] - pictures[1]) / 1e6:.0f} MB" + (
            f" (publish build {published[1] / 1e6:.0f} MB)" if published else "")
        print(f"  targets: full build <= 30 s: {ours.wall:.1f} s; peak <= 500 MB: {ours.tree_pss_mb:.0f} MB; "
              f"output <= 200 MB: {sized}"
              f"{f' ({pictures[1] / 1e6:.0f} MB of page pictures and PDFs besides)' if pictures[0] else ''}; "
              f"update <= 5 s: {upd.wall:.1f} s "
              f"(correction {corr.wall:.1f} s)")
        print(f"  machine at the end: load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
