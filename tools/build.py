"""Build the site crash-safely and incrementally: ``python tools/build.py`` takes Pelican's arguments.

    python tools/build.py content/zjrb -o output -s pelicanconf.py [pelican options]

What it adds to ``pelican``:

1. **Staging.** The build runs in ``.<output>.building``, a copy of ``output/`` made of hard
   links (``cp -al``).  Every writer of the site replaces a changed file by rename
   (``plugins/epaper_site/writer.py``), which breaks only that file's link, so the
   published tree is never written into.  Files that Pelican or its plugins write in
   place (theme static files, ``sitemap.xml``) are unlinked in the staging copy first and
   linked back to the published inode afterwards when their bytes did not change.
2. **Untouched files.** A file whose bytes did not change keeps its inode, so its bytes
   and its mtime; a daily update changes only what the new edition changes.
3. **Stale outputs.** A file in the staging copy that no writer produced this run (an
   article that was removed, a tag that lost its last article) is deleted.
4. **Swap.** The finished staging tree is renamed ``.<output>.ready`` (complete), then
   exchanged with ``output/`` in one ``renameat2(RENAME_EXCHANGE)`` (two renames where the
   kernel lacks it), and the old tree is deleted.  A journal next to them records the
   inode of the new tree while the swap is under way.

A run killed at any moment leaves ``output/`` either as before or as after; the next run
first repairs what a killed one left (:func:`repair`): an unfinished staging tree is
deleted, a finished one is swapped in, an old tree is deleted.

``-r`` (regenerate) and ``-l`` (listen) are handed to Pelican unchanged: they build in
place, still through the writer that leaves unchanged files alone.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

log = logging.getLogger("epaper.build")

#: Written in place by Pelican or a plugin (not through a rename): unlinked before the build.
IN_PLACE_FILES = ("sitemap.xml", "sitemap.txt")
#: Added to the output by other steps (``make publish`` writes CNAME): never stale.
FOREIGN_FILES = ("CNAME", ".nojekyll")


# -- the sibling directories and the journal --------------------------------------------------

def siblings(out: Path) -> dict[str, Path]:
    base = out.parent
    return {"building": base / f".{out.name}.building", "ready": base / f".{out.name}.ready",
            "old": base / f".{out.name}.old", "journal": base / f".{out.name}.swap.json",
            "trash": base / f".{out.name}.trash", "spare": base / f".{out.name}.spare",
            "changes": base / f".{out.name}.changes.json"}


def discard(path: Path, trash: Path) -> None:
    """Delete a whole tree without waiting: rename it aside and ``rm -rf`` it detached.

    Unlinking the ~70,000 entries of a year's tree takes long on a busy disk, and the
    links are mostly the published files' own inodes, so nothing a reader sees is lost.
    ``trash`` is the name prefix of the renamed tree (the next run deletes leftovers).
    """
    if not path.exists():
        return
    target = trash.with_name(f"{trash.name}-{os.getpid()}-{time.time_ns()}")
    os.rename(path, target)
    if os.environ.get("EPAPER_BUILD_SYNC_DELETE"):
        shutil.rmtree(target, ignore_errors=True)
        return
    subprocess.Popen(["rm", "-rf", str(target)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True)


def _rmtree(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_libc = None


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False when unsupported."""
    global _libc
    if _libc is None:
        try:
            _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            _libc.renameat2  # noqa: B018 - probe
        except (OSError, AttributeError):
            _libc = False
    if not _libc:
        return False
    rc = _libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc != 0:
        err = ctypes.get_errno()
        if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            return False
        raise OSError(err, os.strerror(err), str(a))
    return True


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def swap_in(ready: Path, out: Path, keep_spare: bool = False) -> None:
    """Make the complete tree ``ready`` the published ``out``.

    The old tree is deleted, or with ``keep_spare`` kept as ``.<output>.spare``: the
    next build starts from it (see :func:`stage`).
    """
    s = siblings(out)
    journal = s["journal"]
    tmp = journal.with_name(journal.name + ".tmp")
    tmp.write_text(json.dumps({"new_ino": ready.stat().st_ino}), encoding="utf-8")
    os.replace(tmp, journal)
    _fsync_dir(out.parent)
    if out.exists():
        if exchange(ready, out):  # ready now holds the old tree
            discard(s["old"], s["trash"])
            os.rename(ready, s["old"])
        else:
            discard(s["old"], s["trash"])
            os.rename(out, s["old"])
            os.rename(ready, out)
    else:
        os.rename(ready, out)
    _fsync_dir(out.parent)
    journal.unlink(missing_ok=True)
    if keep_spare and s["old"].exists():
        discard(s["spare"], s["trash"])
        os.rename(s["old"], s["spare"])
    discard(s["old"], s["trash"])


def repair(out: Path) -> list[str]:
    """Finish or undo what a killed build left next to ``out``; returns what was done."""
    s = siblings(out)
    done: list[str] = []
    if s["building"].exists():
        discard(s["building"], s["trash"])
        done.append("removed an unfinished staging tree")
    journal_ino = None
    if s["journal"].exists():
        try:
            journal_ino = json.loads(s["journal"].read_text(encoding="utf-8"))["new_ino"]
        except (ValueError, KeyError, OSError):
            journal_ino = None
    if s["ready"].exists():
        if journal_ino is not None and out.exists() and out.stat().st_ino == journal_ino:
            discard(s["ready"], s["trash"])  # the exchange happened: 'ready' is the old tree
            done.append("removed the previous tree of a finished swap")
        else:
            swap_in(s["ready"], out)
            done.append("published a finished build that was not swapped in")
    elif not out.exists() and s["old"].exists():
        os.rename(s["old"], out)  # killed between the two renames of the fallback... and no new tree
        done.append("restored the previous output")
    s["journal"].unlink(missing_ok=True)
    s["journal"].with_name(s["journal"].name + ".tmp").unlink(missing_ok=True)
    if s["old"].exists():
        discard(s["old"], s["trash"])
        done.append("removed the previous tree")
    for left in s["trash"].parent.glob(s["trash"].name + "-*"):  # a detached delete that did not finish
        subprocess.Popen(["rm", "-rf", str(left)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    return done


# -- staging ----------------------------------------------------------------------------------

def stage(out: Path, staging: Path) -> tuple[str, dict | None]:
    """The staging tree: the published tree's files as hard links.  Returns how it was made,
    and the record of the last build when the tree was made from it (then it is exactly
    what that build published: see :func:`sweep_listed`).

    Normally from the previous build's old tree (``.<output>.spare``, which differs from
    ``output/`` only by what the last build changed): the files that build wrote are
    linked in, the ones it removed are removed, the folders written by others (theme
    files, the search index) are copied whole.  That costs what the last build changed,
    not the ~60,000 folders and files of a year (``cp -al``: 1-3 s).  When anything does
    not check out (no spare, no record of the last build, either tree replaced since),
    ``cp -al`` as before.
    """
    s = siblings(out)
    record = _take_changes(out)
    if record is not None:
        try:
            os.rename(s["spare"], staging)
            _apply_changes(out, staging, record)
            how = f"from the spare tree, {len(record['changed'])} changed, {len(record['removed'])} removed"
            return how, record
        except OSError as err:
            log.warning("build: the spare tree could not be brought up to date (%s); copying", err)
            discard(staging, s["trash"])
    discard(s["spare"], s["trash"])
    if out.is_dir():
        subprocess.run(["cp", "-al", str(out), str(staging)], check=True)
        return "cp -al", None
    staging.mkdir(parents=True)
    return "empty", None


def _take_changes(out: Path) -> dict | None:
    """The record of the last build, when it still describes ``output/`` and the spare tree.

    It is removed as it is taken: the spare tree is about to change, and a run killed
    from here on must find no record (and copy next time).
    """
    s = siblings(out)
    try:
        record = json.loads(s["changes"].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = None
    s["changes"].unlink(missing_ok=True)
    _fsync_dir(out.parent)
    try:
        if (record and record.get("v") == 1 and out.stat().st_ino == record["out_ino"]
                and s["spare"].stat().st_ino == record["spare_ino"]):
            return record
    except (OSError, KeyError, TypeError):
        pass
    return None


def _link_over(src: str, dst: str) -> None:
    """``dst`` becomes a hard link to ``src`` (by rename: readers never see it missing)."""
    with contextlib.suppress(FileNotFoundError):
        if os.lstat(dst).st_ino == os.lstat(src).st_ino:
            return  # already (and rename() of two links to one file would do nothing)
    tmp = f"{dst}.spare-link.tmp"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    os.link(src, tmp)
    os.replace(tmp, dst)


def _apply_changes(out: Path, staging: Path, record: dict) -> None:
    """Make the spare tree (now ``staging``) equal to ``output/``: same paths, same inodes."""
    made: set[str] = set()
    for rel in record["changed"]:
        src, dst = os.path.join(out, rel), os.path.join(staging, rel)
        if not os.path.lexists(src):  # gone again (removed later in that build)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(dst)
            continue
        folder = os.path.dirname(dst)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        _link_over(src, dst)
    root = str(staging)
    for rel in record["removed"]:
        dst = os.path.join(staging, rel)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(dst)
        _prune_empty(os.path.dirname(dst), root)
    for rel in record["whole"]:  # written by others (theme, search index): compared whole
        _sync_tree(out / rel, staging / rel)


def _sync_tree(src: Path, dst: Path) -> None:
    """Make ``dst`` hold exactly ``src``'s files as hard links (by inode: cheap when few differ)."""
    if not src.is_dir():
        _rmtree(dst)
        return
    for dirpath, dirnames, filenames in os.walk(src):
        rel = os.path.relpath(dirpath, src)
        target = os.path.normpath(os.path.join(dst, rel))
        os.makedirs(target, exist_ok=True)
        have = {e.name: e for e in os.scandir(target)}
        for name in filenames:
            s_path = os.path.join(dirpath, name)
            e = have.pop(name, None)
            if e is not None and not e.is_dir(follow_symlinks=False) and e.inode() == os.lstat(s_path).st_ino:
                continue
            if e is not None and e.is_dir(follow_symlinks=False):
                shutil.rmtree(e.path)
            _link_over(s_path, os.path.join(target, name))
        for name in dirnames:
            e = have.pop(name, None)
            if e is not None and not e.is_dir(follow_symlinks=False):
                os.unlink(e.path)
        for e in have.values():  # not in src
            shutil.rmtree(e.path) if e.is_dir(follow_symlinks=False) else os.unlink(e.path)


def record_changes(out: Path, changed: list[str], removed: list[str], whole: list[str],
                   loose: list[str] | None = None) -> None:
    """After a swap that kept a spare tree: what this build changed, for the next :func:`stage`
    (and ``loose``, the files it produced that are no unit's, for the next :func:`sweep_listed`)."""
    s = siblings(out)
    if not s["spare"].is_dir():
        return
    data = {"v": 1, "out_ino": out.stat().st_ino, "spare_ino": s["spare"].stat().st_ino,
            "changed": sorted(changed), "removed": sorted(removed), "whole": whole}
    if loose is not None:
        data["loose"] = sorted(loose)
    tmp = s["changes"].with_name(s["changes"].name + ".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, s["changes"])


def unlink_in_place_writes(staging: Path, theme_dir: str) -> list[str]:
    """Remove the links of files that some writer opens in place; returns their paths."""
    names = [n for n in IN_PLACE_FILES if (staging / n).exists()]
    theme = staging / theme_dir
    if theme_dir and theme.is_dir():
        names += [p.relative_to(staging).as_posix() for p in theme.rglob("*") if p.is_file()]
    for n in names:
        (staging / n).unlink()
    return names


def relink_unchanged(staging: Path, out: Path, names: list[str]) -> int:
    """Files rewritten in place with the same bytes get the published inode back."""
    kept = 0
    for n in names:
        new, old = staging / n, out / n
        try:
            if new.stat().st_size == old.stat().st_size and new.read_bytes() == old.read_bytes():
                tmp = new.with_name(f".tmp-relink-{new.name}")
                tmp.unlink(missing_ok=True)
                os.link(old, tmp)
                os.replace(tmp, new)
                kept += 1
        except OSError:
            continue
    return kept


def remove_stale(staging: Path, produced: set[str], keep_prefixes: tuple[str, ...],
                 kept_trees: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Delete files nobody produced this run (and folders left empty); returns their paths.

    ``kept_trees`` are folders whose every file was kept from the last build as a whole
    (an unchanged edition): nothing in them can be stale, so they are not walked.
    """
    removed: list[str] = []
    candidates: list[str] = []  # folders that lost a file or are empty: tried for rmdir
    prefixes = tuple(p for p in keep_prefixes if p)
    root = str(staging)
    for dirpath, dirnames, filenames in os.walk(staging):
        if dirpath in kept_trees:
            dirnames[:] = []
            continue
        rel_dir = os.path.relpath(dirpath, staging)
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        if prefixes and rel_dir.startswith(prefixes):
            dirnames[:] = []
            continue
        lost = False
        for f in filenames:
            rel = rel_dir + f
            if _not_swept(rel, prefixes):
                continue
            full = os.path.join(dirpath, f)
            if full not in produced:
                os.unlink(full)
                removed.append(rel)
                lost = True
        if dirpath != root and (lost or not (filenames or dirnames)):
            candidates.append(dirpath)
    for d in sorted(candidates, key=len, reverse=True):
        _prune_empty(d, root)
    return removed


def sweep_listed(staging: Path, produced: set[str], keep_prefixes: tuple[str, ...],
                 candidates: list[str]) -> list[str]:
    """:func:`remove_stale` where only ``candidates`` (relative paths) can be stale: a tree
    staged from the last build's record holds exactly what that build produced, and the
    files a daily update cannot have produced again are listed (``RunRecord.swept`` and the
    last build's loose files), so the archive is not walked.  Returns the paths removed."""
    prefixes = tuple(p for p in keep_prefixes if p)
    root = str(staging)
    removed: list[str] = []
    for rel in sorted(set(candidates)):
        if _not_swept(rel, prefixes):
            continue
        full = os.path.join(root, rel)
        if full in produced:
            continue
        try:
            os.unlink(full)
        except FileNotFoundError:
            continue
        removed.append(rel)
    for d in sorted({os.path.dirname(os.path.join(root, rel)) for rel in removed}, key=len, reverse=True):
        _prune_empty(d, root)
    return removed


def _not_swept(rel: str, prefixes: tuple[str, ...]) -> bool:
    """Files the stale sweep never removes: written in place, put there by others, or under
    a folder some other writer keeps (``prefixes``)."""
    return rel in IN_PLACE_FILES or rel in FOREIGN_FILES or bool(prefixes and rel.startswith(prefixes))


def _prune_empty(folder: str, root: str) -> None:
    """Remove ``folder`` and then its parents, up to ``root``, while they are empty."""
    while folder != root and folder.startswith(root):
        try:
            os.rmdir(folder)  # only succeeds when empty
        except OSError:
            return
        folder = os.path.dirname(folder)


# -- the build ------------------------------------------------------------------------------

def _plugin_module(name: str):
    """A module of the site plugin, imported the way Pelican will (by its folder name), so
    this process shares the plugin's run record (``epaper_site.run_record.RUN``)."""
    import importlib

    plugins = str(ROOT / "plugins")
    if plugins not in sys.path:
        sys.path.insert(0, plugins)
    return importlib.import_module(f"epaper_site.{name}")


def _site_settings():
    """The plugins' settings and defaults (plugins/epaper_site/settings.py)."""
    return _plugin_module("settings")


def start_run():
    """A fresh record of what the Pelican run about to start produces (``run_record.RUN``)."""
    return _plugin_module("run_record").start()


def run_stats(run) -> tuple[dict, dict]:
    """(articles in the site, read now and from the store; units rendered and kept) of a run."""
    return dict(run.articles), dict(run.units)


def run_pelican(args, may_run_again: bool):
    """One Pelican run of the site: (its run record, its settings, why it must run again in
    full or None).  ``may_run_again`` lets the daily update check the closed years beside
    the build (``RunRecord.may_run_again``)."""
    from pelican import get_instance

    run = start_run()
    run.may_run_again = may_run_again
    pelican, settings = get_instance(args)  # a new instance: plugins' per-build state starts afresh
    try:
        pelican.run()
    except _plugin_module("run_record").RunAgain as exc:
        return run, settings, str(exc)
    return run, settings, run.run_again


def _both_index_changes(a: dict | None, b: dict | None) -> dict | None:
    """What two runs into one tree wrote in the search index (None: unknown, compare it whole)."""
    if a is None or b is None:
        return None
    return {k: sorted(set(a[k]) | set(b[k])) for k in ("files", "folders")}


def build(argv: list[str]) -> int:
    from pelican import get_config, init_logging, parse_arguments
    from pelican.settings import read_settings

    args = parse_arguments(argv)
    if args.autoreload or args.listen:
        import pelican

        # Pelican writes into output/ itself: the record of the last build no longer holds.
        settings = read_settings(args.settings, override=get_config(args))
        siblings(Path(settings["OUTPUT_PATH"]).resolve())["changes"].unlink(missing_ok=True)
        return pelican.main(argv) or 0
    init_logging(level=args.verbosity, fatal=args.fatal, name="pelican")
    start = time.perf_counter()
    settings = read_settings(args.settings, override=get_config(args))
    out = Path(settings["OUTPUT_PATH"]).resolve()
    s = siblings(out)
    for note in repair(out):
        print(f"build: {note} (a previous build was interrupted)")
    staging = s["building"]
    how, last = stage(out, staging)
    t_stage = time.perf_counter() - start
    theme_dir = settings.get("THEME_STATIC_DIR", "theme")
    in_place = unlink_in_place_writes(staging, theme_dir)

    args.output = str(staging)
    try:
        run, settings, again = run_pelican(args, may_run_again=True)
        if again:  # a closed year changed after all (plugins/epaper_site/daily.py): the same tree, in full
            print(f"build: {again}; building again in full")
            first = (set(run.written), run.index_changes)
            run, settings, _ = run_pelican(args, may_run_again=False)
            run.written |= first[0]
            run.index_changes = _both_index_changes(first[1], run.index_changes)
    except Exception as exc:  # Pelican's own main() logs and exits 1 the same way
        logging.getLogger("pelican").critical("%s: %s", exc.__class__.__name__, exc, exc_info=True)
        _rmtree(staging)  # output/ was never touched
        return getattr(exc, "exitcode", 1)

    relinked = relink_unchanged(staging, out, in_place)
    search_dir = _site_settings().get(settings, "SEARCH_INDEX_DIR").strip("/") + "/"
    keep = (search_dir, theme_dir.strip("/") + "/", *tuple(settings.get("OUTPUT_RETENTION", ())))
    # run.produced holds absolute, normalised paths (the writer makes them so).
    if run.swept is not None and last is not None and last.get("loose") is not None:
        candidates = run.swept + last["loose"]
        removed = sweep_listed(staging, run.produced, keep, candidates)
        sweep = f"of {len(candidates)} listed"
    else:
        removed = remove_stale(staging, run.produced, keep, {os.path.abspath(p) for p in run.kept_trees})
        sweep = "the tree walked"
    root = str(staging)
    loose = [p[len(root) + 1:] for p in run.produced - run.owned if p.startswith(root + os.sep)]
    _rmtree(s["ready"])
    os.rename(staging, s["ready"])  # the tree is complete from here on
    swap_in(s["ready"], out, keep_spare=True)
    changed = [os.path.relpath(p, root) for p in run.written if p.startswith(root + os.sep)]
    changed += [n for n in in_place if not n.startswith(theme_dir.strip("/") + "/")]
    whole = [theme_dir.strip("/")] if theme_dir.strip("/") else []
    if run.index_changes is not None:  # the index named what it wrote: the rest need not be compared
        changed += run.index_changes["files"]
        whole += run.index_changes["folders"]
    elif search_dir.strip("/"):
        whole.append(search_dir.strip("/"))
    record_changes(out, changed, removed, whole, loose)
    st, stats = run_stats(run)
    print(f"build: {out} published in {time.perf_counter() - start:.1f} s (staging {t_stage:.1f} s: {how}; "
          f"{st['articles']} articles: {st['read']} read now, {st['stored']} from the store; "
          f"units rendered {stats['rendered']}, kept unrendered {stats['kept']}, carried {stats.get('carried', 0)}; "
          f"{'/'.join(run.path) or 'no'} path, store folders loaded {run.loaded['folders']} "
          f"({run.loaded['records']} articles), render shelves opened {run.loaded['shelves']}; "
          f"{len(removed)} stale files removed ({sweep}), {relinked} rewritten-in-place files kept)")
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        return build(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:
        return 130


def _exit_now(rc: int) -> None:
    """End the process without tearing down the build's heap object by object.

    Everything is on disk and every child has been waited for by now; freeing 20,000
    articles' worth of objects one by one only delays the editor's prompt (~0.3 s).
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(rc)


if __name__ == "__main__":
    code = main()
    if code == 0:
        _exit_now(0)
    raise SystemExit(code)
