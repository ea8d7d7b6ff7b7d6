"""Build the site in year shards, tasks on Dask: ``python tools/shards.py [--jobs N] <pelican arguments>``.

    python tools/shards.py content/zjrb -o output -s pelicanconf.py --jobs 2
    python tools/shards.py --scheduler tcp://host:8786 content/zjrb -o output -s pelicanconf.py

The same site as ``tools/build.py`` writes, byte for byte, built by one Pelican process
per year of the archive plus a *stitch* (see ``plugins/epaper_site/shards.py``):

1. **Plan.** The content's dated folders (``YYYY-MM-DD/``) are grouped by year, and each
   year's files are stamped (paths, sizes, mtimes).  A tag's slug depends on its name
   alone (``epaper_contract.slugs.tag_slug``), so no year needs another's names.
2. **Edges.** A year's first and last edition (what its neighbours link to) are what its
   last run found in its articles (``edges-<year>.json``) while its stamp is unchanged,
   else its folders' first and last dates.
3. **Years.** Each year whose *shard key* changed is rendered (``role: year``).  The key
   holds the year's stamp, its neighbour editions, whether it is the latest year, and
   the site's environment (settings, templates, code).  A year whose key and output
   files are as last time is not run at all: a daily update runs the latest year only;
   a year whose articles put its edges elsewhere than its folders said runs its
   neighbours again (at most ``MAX_ROUNDS`` rounds).
4. **Stitch.** One process writes what spans years from the years' summaries.
5. **Publish** as ``tools/build.py`` does: one staging tree, stale files removed, swapped in.

Each shard of a step is a task on Dask (``dask.distributed``): a ``LocalCluster`` of
``--jobs`` single-threaded workers started for the build (threads of this process: the
work is in the shard processes), or the cluster of ``--scheduler``, whose workers must
see this checkout, the content, the cache folder and the output's parent at the same
paths (shared storage).  A task runs its shard as a fresh Python process
(:func:`run_shard`); Dask schedules the tasks, runs a task again when its worker is lost
or its process was killed, and reports a task that cannot finish.  What this module adds
for that is small: the shard process dies with its worker (so a retry never shares the
staging tree with it), and a shard run twice has what its first run wrote counted as
changed (:func:`_changed_since_published`).

State (edges, summaries, shard keys, each shard's store and caches) lives in
``<CACHE_PATH>/shards/``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import logging
import os
import pickle
import re
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "tools", ROOT / "plugins"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import build as site_build  # noqa: E402  (tools/build.py: staging, sweep, swap)

log = logging.getLogger("epaper.shards")
DATED = re.compile(r"(\d{4})-\d{2}-\d{2}")
KEY_VERSION = 3  # 3: no names of earlier years (tag slugs from the name alone)
#: The largest number of rounds of year shards (a round can change a neighbour's edges).
MAX_ROUNDS = 3


@dataclass
class Year:
    """One year of the content: its dated folders and the stamp of their files."""

    year: int
    folders: list[str]
    stamp: str


def plan(content: Path, page_paths: list[str]) -> dict[int, Year]:
    """The years of the content folder.  Articles outside dated folders cannot be sharded."""
    folders: dict[int, list[str]] = {}
    if not content.is_dir():
        raise SystemExit(f"shards: {content} is not a folder (the content to build)")
    for entry in sorted(os.scandir(content), key=lambda e: e.name):
        if entry.name.startswith(".") or not entry.is_dir():
            continue
        m = DATED.fullmatch(entry.name)
        if m:
            folders.setdefault(int(m.group(1)), []).append(entry.name)
        elif entry.name not in page_paths and any(n.endswith(".md") for _, _, ns in os.walk(entry.path) for n in ns):
            raise SystemExit(f"shards: {entry.path} holds articles outside a dated folder (YYYY-MM-DD/); "
                             "a sharded build cannot place them in a year: use tools/build.py")
    return {y: Year(y, names, _stamp(content, names)) for y, names in sorted(folders.items())}


def _stamp(content: Path, folders: list[str]) -> str:
    """A digest of every file's path, size and mtime in the year's folders (an edit in place
    changes a file's mtime, not its folder's: every file is looked at)."""
    h = hashlib.sha1()
    lines: list[str] = []

    def walk(path: str, rel: str) -> None:
        with os.scandir(path) as it:
            entries = sorted(it, key=lambda e: e.name)
        for e in entries:
            name = f"{rel}/{e.name}"
            if e.is_dir(follow_symlinks=False):
                walk(e.path, name)
            else:
                st = e.stat()
                lines.append(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\n")

    for name in folders:
        walk(os.path.join(content, name), name)
    h.update("".join(lines).encode("utf-8", "surrogateescape"))
    return h.hexdigest()


# -- shard processes, as tasks on Dask ----------------------------------------------------------

#: A shard process killed by a signal (the OOM killer, say) is run again this many times by
#: Dask (``Client.submit(retries=)``).  A worker lost under a task is Dask's own affair: the
#: scheduler runs the task elsewhere, up to ``distributed.scheduler.allowed-failures`` times,
#: then reports ``KilledWorker``.  A shard that fails by itself (a content error) is not
#: retried: it would fail the same way.
RETRIES = 1
#: What the settings files and plugins read from the environment (these names and ``EPAPER_*``):
#: every shard process gets the client's values, wherever its worker runs, and none of the
#: worker's own.
SETTINGS_ENV = ("PAPER", "SITEURL")
SETTINGS_ENV_PREFIX = "EPAPER_"
#: A temporary file of ``epaper_contract.files.atomic_write``: only a killed process leaves one.
LEFTOVER_TMP = re.compile(r"\..+\.\d+-\d+\.tmp")


def settings_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k in SETTINGS_ENV or k.startswith(SETTINGS_ENV_PREFIX)}


def run_shard(name: str, job: bytes, tool: str, env: dict[str, str],
              env_names: tuple[tuple[str, ...], str] = (SETTINGS_ENV, SETTINGS_ENV_PREFIX)) -> dict:
    """A Dask task: one shard as a fresh Python process on the worker.

    A fresh process because Pelican's plugins, signals and the writer's records are per
    process.  Only the standard library is used here: the function travels to the workers
    by value.  A process killed by a signal raises (Dask runs the task again); one that
    failed by itself returns its exit code with its log.
    """
    import os
    import subprocess
    import sys
    import time

    names, prefix = env_names
    base = {k: v for k, v in os.environ.items() if k not in names and not k.startswith(prefix)}
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, tool, "--shard-process", name, str(os.getpid())], input=job,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**base, **env})
    log = proc.stdout.decode("utf-8", "replace")
    if proc.returncode < 0:
        raise RuntimeError(f"the {name} process was killed by signal {-proc.returncode}; its log ends:\n{log[-2000:]}")
    return {"rc": proc.returncode, "log": log, "seconds": time.perf_counter() - started}


def shard_process(name: str, parent: int) -> int:
    """``shards.py --shard-process NAME PID``: one Pelican run into the staging tree (the job
    on stdin); what it wrote goes to the job's result file."""
    from epaper_contract.procs import die_with_parent

    die_with_parent(parent)  # a lost worker takes its shard along, before a retry starts
    argv, staging, overrides, result, cwd = pickle.loads(sys.stdin.buffer.read())
    os.chdir(cwd)
    started = Path(result).with_suffix(".started")
    rerun = started.exists()  # this job ran before in this build and did not finish
    started.touch()
    from pelican import get_instance, init_logging, parse_arguments

    run = site_build.start_run()
    args = parse_arguments(argv)
    init_logging(level=args.verbosity, fatal=args.fatal, name="pelican")
    args.output = staging
    args.overrides = {**(args.overrides or {}), **overrides}
    try:
        pelican, _ = get_instance(args)
        pelican.run()
    except Exception as exc:
        logging.getLogger("pelican").critical("%s: %s", exc.__class__.__name__, exc, exc_info=True)
        return 1
    root = os.path.abspath(staging) + os.sep
    rel = [p[len(root):] for p in sorted(run.produced) if p.startswith(root)]
    store, stats = site_build.run_stats(run)
    data = {"produced": rel, "written": [p[len(root):] for p in sorted(run.written) if p.startswith(root)],
            "kept_trees": [p[len(root):] for p in sorted(run.kept_trees) if p.startswith(root)],
            "unit_trees": [p[len(root):] for p in sorted(run.unit_trees) if p.startswith(root)],
            "stats": stats, "store": store, "rerun": rerun}
    Path(result).write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    return 0


@contextlib.contextmanager
def dask_client(scheduler: str | None, workers: int) -> Iterator:
    """A client of the Dask scheduler at ``scheduler``, or of a LocalCluster of ``workers``
    single-threaded workers started for this build (each runs one shard process at a time)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise SystemExit("shards: year shards run on Dask: pip install -r requirements-shards.txt "
                         "(make html SHARDS=1 installs it)") from None
    logging.getLogger("distributed").setLevel(logging.WARNING)  # workers lost, tasks retried: not every heartbeat
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    # Workers in this process: a task only waits on its shard's own process, so worker
    # processes would cost their start-up and memory for nothing (measured: ~1 s and ~2
    # CPU-seconds more per build).  No workers at first, then scale: they start while the
    # content is stamped and the tree staged.
    with LocalCluster(n_workers=0, threads_per_worker=1, processes=False, dashboard_address=None,
                      silence_logs=logging.WARNING) as cluster, Client(cluster) as client:
        cluster.scale(max(1, workers))
        yield client


def run_on_dask(client, jobs: list[tuple[str, bytes]]) -> dict[str, dict]:
    """Run (name, job) shards as Dask tasks; each one's outcome (seconds, log) by name.

    Every task is waited for, failed or not (they all write into the staging tree, which is
    deleted on failure).  Raises SystemExit naming the shards that failed.
    """
    from distributed import wait

    token = uuid.uuid4().hex[:8]
    tool, env = str(Path(__file__).resolve()), settings_env()
    futures = {name: client.submit(run_shard, name, job, tool, env, key=f"{name}-{token}", retries=RETRIES,
                                   pure=False) for name, job in jobs}
    wait(list(futures.values()))
    done: dict[str, dict] = {}
    failed: list[str] = []
    for name, future in futures.items():
        if future.status != "finished":
            exc = future.exception()
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            failed.append(f"{name} ({type(exc).__name__}: {first})")
            continue
        got = future.result()
        sys.stdout.write(got["log"])
        if got["rc"] != 0:
            failed.append(f"{name} (exit code {got['rc']})")
        else:
            done[name] = got
    sys.stdout.flush()
    if failed:
        raise SystemExit(f"shards: the shard of {', '.join(failed)} failed; output/ was not changed")
    return done


def _changed_since_published(staging: Path, out: Path, rels: list[str]) -> set[str]:
    """Of ``rels``, the files whose staging copy is not the published file (by inode).

    What a shard wrote is normally its own record; a shard run twice (its first process
    killed) may find what the first one wrote and keep it, so its record misses those.
    """
    changed = set()
    for rel in rels:
        try:
            if os.stat(staging / rel).st_ino == os.stat(out / rel).st_ino:
                continue
        except FileNotFoundError:
            pass
        changed.add(rel)
    return changed


def _remove_leftovers(staging: Path) -> int:
    """Delete the temporary files a killed shard process left in the staging tree."""
    n = 0
    for dirpath, _, filenames in os.walk(staging):
        for f in filenames:
            if LEFTOVER_TMP.fullmatch(f):
                os.unlink(os.path.join(dirpath, f))
                n += 1
    return n


# -- the build ----------------------------------------------------------------------------------

def _shard_key(y: Year, before: str | None, after: str | None, latest: bool, env: str) -> str:
    key = f"v{KEY_VERSION}\0{y.year}\0{y.stamp}\0{before}\0{after}\0{latest}\0{env}\0"
    return hashlib.sha1(key.encode()).hexdigest()


def _edges(state: Path, y: Year) -> dict:
    """The year's first and last edition: as its articles said last time, while its files
    are unchanged; else as its folders' names say (what a converter writes agrees)."""
    from epaper_site import shards as shard_mod

    got = shard_mod.read_edges(state, y.year)
    if got is not None and got.get("stamp") == y.stamp:
        return got
    return {"first": min(y.folders), "last": max(y.folders)}


def _kept_ok(staging: Path, produced: list[tuple[str, int, int]]) -> bool:
    """Every file the shard produced last time is in the staging tree as it was then."""
    root = f"{staging}{os.sep}"
    stat = os.stat
    for rel, size, mtime in produced:
        try:
            st = stat(root + rel)
        except OSError:
            return False
        if st.st_size != size or st.st_mtime_ns != mtime:
            return False
    return True


def build(argv: list[str], workers: int, scheduler: str | None = None) -> int:
    """Build the site with the shards as tasks on Dask; the cluster is started first, so its
    workers come up while the content is stamped and the staging tree made."""
    from pelican import parse_arguments

    start = time.perf_counter()
    args = parse_arguments(argv)
    if args.autoreload or args.listen:
        raise SystemExit("shards: -r and -l build in place; use tools/build.py (make regenerate, make serve)")
    where = f"the scheduler at {scheduler}" if scheduler else f"a LocalCluster of {workers} workers"
    with dask_client(scheduler, workers) as client:
        return _build(args, argv, client, where, start)


def _build(args, argv: list[str], client, where: str, start: float) -> int:
    from epaper_site import render_cache
    from epaper_site import shards as shard_mod
    from pelican import get_config, init_logging
    from pelican.settings import read_settings

    init_logging(level=args.verbosity, fatal=args.fatal, name="pelican")
    settings = read_settings(args.settings, override=get_config(args))
    content = Path(settings["PATH"])
    out = Path(settings["OUTPUT_PATH"]).resolve()
    state = Path(settings["CACHE_PATH"]) / "shards"
    state.mkdir(parents=True, exist_ok=True)
    years = plan(content, list(settings.get("PAGE_PATHS") or []))
    if not years:
        raise SystemExit(f"shards: {content} has no dated folders (YYYY-MM-DD/) to build")
    latest = max(years)
    env = render_cache.environment_key(settings, settings.get("THEME", ""))

    s = site_build.siblings(out)
    for note in site_build.repair(out):
        print(f"build: {note} (a previous build was interrupted)")
    staging = s["building"]
    how, _ = site_build.stage(out, staging)
    t_stage = time.perf_counter() - start
    theme_dir = settings.get("THEME_STATIC_DIR", "theme")
    in_place = site_build.unlink_in_place_writes(staging, theme_dir)
    results = state / "runs"
    results.mkdir(exist_ok=True)
    for old in [*results.glob("*.pickle"), *results.glob("*.started")]:
        old.unlink()

    base_cache = state / "cache"
    no_side_pages = {"DIRECT_TEMPLATES": [], "THEME_STATIC_PATHS": [], "PAGE_PATHS": [], "STATIC_PATHS": []}

    def year_overrides(y: Year, role: str, before: str | None = None, after: str | None = None) -> dict:
        spec = {"role": role, "state": str(state), "year": y.year, "latest_year": latest, "stamp": y.stamp,
                "before": before, "after": after}
        return {"ARTICLE_PATHS": list(y.folders), "CACHE_PATH": str(base_cache / str(y.year)),
                "EPAPER_SHARD": spec, **no_side_pages,
                "SEARCH_SHARD": {"role": "year", "years": [str(y.year)], "latest_year": str(latest),
                                 "state": str(state / f"search-{y.year}.json")}}

    searching = any("epaper_search" in str(p) for p in settings.get("PLUGINS", []))

    def year_files(y: int) -> list[Path]:
        """What the stitch takes from a year: without them the year is built again."""
        files = [shard_mod.summary_path(state, y), shard_mod.edges_path(state, y)]
        return [*files, state / f"search-{y}.json"] if searching else files

    def job(name: str, overrides: dict) -> tuple[str, bytes]:
        result = results / f"{name}.pickle"
        result.with_suffix(".started").unlink(missing_ok=True)  # a new run of it, not a retry
        return name, pickle.dumps((argv, str(staging), overrides, str(result), os.getcwd()))

    reran: set[str] = set()

    def run(client, jobs: list[tuple[str, bytes]]) -> dict[str, float]:
        done = run_on_dask(client, jobs)
        for name in done:
            if pickle.loads((results / f"{name}.pickle").read_bytes()).get("rerun"):
                reran.add(name)
        return {name: got["seconds"] for name, got in done.items()}

    try:
        timings: dict[str, float] = {}
        # 3. the years whose key changed, until the edges of every year are known
        keys_path = state / "keys.pickle"
        try:
            keys = pickle.loads(keys_path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            keys = {}
        if keys.get("v") != KEY_VERSION:
            keys = {"v": KEY_VERSION}
        edges = {y: _edges(state, years[y]) for y in years}
        produced: dict[int, dict] = {}
        written_by_year: dict[int, set[str]] = {}
        ran: set[int] = set()
        reasons: dict[str, str] = {}
        for _ in range(MAX_ROUNDS):
            todo = []
            for y in years:
                prev = next((edges[p] for p in sorted(years, reverse=True) if p < y), None)
                nxt = next((edges[p] for p in sorted(years) if p > y), None)
                before = prev.get("last") if prev else None
                after = nxt.get("first") if nxt else None
                key = _shard_key(years[y], before, after, y == latest, env)
                last = keys.get(str(y))
                seen = shard_mod.read_edges(state, y)
                fresh = seen is not None and seen.get("stamp") == years[y].stamp
                if y in ran:
                    if last and last["key"] == key:
                        continue
                    why = "its neighbours changed"
                elif not fresh:
                    why = "content changed"
                elif not last or last["key"] != key:
                    why = "new" if not last else "neighbours or site changed"
                elif not all(f.is_file() for f in year_files(y)):
                    why = "its summary is missing"
                elif not _kept_ok(staging, [tuple(f) for f in last["files"]]):
                    why = "its output changed"
                else:
                    continue
                reasons[f"year-{y}"] = why
                todo.append((y, key, before, after))
            if not todo:
                break
            timings |= run(client, [job(f"year-{y}", year_overrides(years[y], "year", before, after))
                                    for y, _, before, after in todo])
            edges = {y: _edges(state, years[y]) for y in years}
            for y, key, _, _ in todo:
                got = pickle.loads((results / f"year-{y}.pickle").read_bytes())
                produced[y] = got
                # a year run twice: what its first run wrote is changed too (for the spare tree)
                written_by_year.setdefault(y, set()).update(got["written"])
                if f"year-{y}" in reran:
                    written_by_year[y] |= _changed_since_published(staging, out, got["produced"])
                files = []
                for rel in got["produced"]:
                    st = os.stat(f"{staging}{os.sep}{rel}")
                    files.append((rel, st.st_size, st.st_mtime_ns))
                keys[str(y)] = {"key": key, "files": files, "trees": got["unit_trees"]}
                ran.add(y)
        else:
            raise SystemExit("shards: the years' edges did not settle; build with tools/build.py")
        # 4. the stitch
        stitch = {"ARTICLE_PATHS": [], "CACHE_PATH": str(base_cache / "stitch"),
                  "EPAPER_SHARD": {"role": "stitch", "state": str(state), "years": list(years),
                                   "latest_year": latest},
                  "SEARCH_SHARD": {"role": "stitch", "states": [str(state / f"search-{y}.json") for y in years]}}
        timings |= run(client, [job("stitch", stitch)])
    except BaseException:
        site_build._rmtree(staging)  # output/ was never touched
        raise
    if reran:
        _remove_leftovers(staging)
    for y in [k for k in keys if k != "v"]:
        if int(y) not in years:
            del keys[y]
    # 5. publish: what every process produced (or kept whole) is the site; the rest is stale
    root = str(staging)
    produced_abs: set[str] = set()
    kept_trees: set[str] = set()
    written: list[str] = []
    for y in years:
        if y in produced:
            got = produced[y]
            written += sorted(written_by_year[y])
        else:  # not run: every folder of its units is as its last run left it
            got = {"produced": [f[0] for f in keys[str(y)]["files"]], "kept_trees": keys[str(y)]["trees"]}
        produced_abs.update(os.path.join(root, rel) for rel in got["produced"])
        kept_trees.update(os.path.join(root, rel) for rel in got["kept_trees"])
    got = pickle.loads((results / "stitch.pickle").read_bytes())
    produced_abs.update(os.path.join(root, rel) for rel in got["produced"])
    written += got["written"]
    if "stitch" in reran:
        written = sorted(set(written) | _changed_since_published(staging, out, got["produced"]))
    relinked = site_build.relink_unchanged(staging, out, in_place)
    search_dir = site_build._site_settings().get(settings, "SEARCH_INDEX_DIR").strip("/") + "/"
    keep = (search_dir, theme_dir.strip("/") + "/", *tuple(settings.get("OUTPUT_RETENTION", ())))
    removed = site_build.remove_stale(staging, produced_abs, keep, kept_trees)
    site_build._rmtree(s["ready"])
    os.rename(staging, s["ready"])
    site_build.swap_in(s["ready"], out, keep_spare=True)
    changed = written + [n for n in in_place if not n.startswith(theme_dir.strip("/") + "/")]
    whole = [d.strip("/") for d in (theme_dir, search_dir) if d.strip("/")]
    site_build.record_changes(out, changed, removed, whole)
    tmp = keys_path.with_name("keys.pickle.tmp")
    tmp.write_bytes(pickle.dumps(keys, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(tmp, keys_path)  # only after publishing: a failed build leaves the old keys
    runs = ", ".join(f"{n} {t:.1f} s{_detail(results / f'{n}.pickle', reasons.get(n))}" for n, t in timings.items())
    print(f"build: {out} published in {time.perf_counter() - start:.1f} s (staging {t_stage:.1f} s: {how}; "
          f"{len(years)} years, {len(ran)} year shards run on Dask ({where}): {runs}; "
          f"{len(removed)} stale files removed, {relinked} rewritten-in-place files kept)")
    return 0


def _detail(result: Path, why: str | None) -> str:
    """Why a shard process ran and what it did: articles read now and from its store, units
    rendered and kept."""
    try:
        got = pickle.loads(result.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError):
        return ""
    st, rc = got["store"], got["stats"]
    again = "; run again: its first process was lost" if got.get("rerun") else ""
    return (f" ({why + ': ' if why else ''}{st['read']} read, {st['stored']} stored; "
            f"{rc['rendered']} rendered, {rc['kept']} kept{again})")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["--shard-process"]:
        return shard_process(argv[1], int(argv[2]))
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="workers of the LocalCluster: shards at a time")
    ap.add_argument("--scheduler", default=None,
                    help="a running Dask scheduler (tcp://host:8786) instead of a LocalCluster")
    ours, rest = ap.parse_known_args(argv)
    try:
        return build(rest, ours.jobs, ours.scheduler)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    code = main()
    if code == 0:
        site_build._exit_now(0)
    raise SystemExit(code)
