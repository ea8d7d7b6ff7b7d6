"""Year shards as Dask tasks: a worker, or a shard process, killed under a year's shard.

``tools/shards.py --scheduler`` runs against a two-worker LocalCluster started here, so the
test can see which worker holds the year's task (``Client.processing``) and kill that
worker's process (SIGKILL) while its shard is writing into the staging tree.  With the
scheduler's default ``allowed-failures`` Dask runs the task again on a worker that lives
and the build publishes the site the one-process build writes; with ``allowed-failures``
0 the task ends in ``KilledWorker``, the build fails naming the year, and ``output/`` is
as it was.  Either way the killed worker's shard process dies with it (it must not go on
writing while the retry does).  On the build's own LocalCluster (its workers are threads)
the shard process itself is killed: its task raises and ``retries=1`` runs it again.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")
psutil = pytest.importorskip("psutil")

from tests.builds.test_shards import PAPER, ROOT, _add_days, _env, _files, _run, _stats  # noqa: E402

pytestmark = pytest.mark.slow

YEAR = "2023"


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    """Three years; 2023 has enough editions that its shard writes for a few seconds."""
    content = tmp_path / "content" / PAPER
    content.mkdir(parents=True)
    _add_days(content, dt.date(2022, 12, 30), 2, seed=1)
    _add_days(content, dt.date(2023, 1, 1), 40, seed=2)
    _add_days(content, dt.date(2024, 1, 1), 2, seed=3)
    return content


def _cluster(allowed_failures: int):
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set({"distributed.scheduler.allowed-failures": allowed_failures}):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=40)
    return cluster, Client(cluster)


def _correct_an_article_of_the_year(archive: Path) -> str:
    """Edit one 2023 article (its shard runs again); returns its page's path in the output."""
    f = sorted((archive / f"{YEAR}-01-20" / "01").glob("*.md"))[0]
    f.write_text(f.read_text(encoding="utf-8").replace("\n\n", "\n\n（更正）", 1), encoding="utf-8")
    return f"{YEAR}/01/20/01/{f.stem.split('-', 2)[2]}/index.html"


def _build_killing_the_year_s_worker(client, archive: Path, out: Path, cache: Path,
                                     written: str) -> tuple[int, str, int]:
    """Run the sharded build; SIGKILL the worker of the year's shard as soon as that shard has
    written ``written`` (a page it changes) into the staging tree.  Returns (exit code, the
    build's output, the killed shard's pid)."""
    cmd = [sys.executable, str(ROOT / "tools" / "shards.py"), "--scheduler", client.scheduler.address,
           str(archive), "-o", str(out), "-s", str(ROOT / "pelicanconf.py")]
    staged = out.parent / f".{out.name}.building" / written
    published = os.stat(out / written).st_ino
    proc = subprocess.Popen(cmd, cwd=ROOT, env=_env(cache), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    pids = client.run(os.getpid)
    shard_pid = 0
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline and not shard_pid:
        holders = [addr for addr, keys in client.processing().items()
                   if any(str(k).startswith(f"year-{YEAR}-") for k in keys)]
        try:
            rewritten = os.stat(staged).st_ino != published
        except FileNotFoundError:
            rewritten = False
        if holders and rewritten:
            worker = psutil.Process(pids[holders[0]])
            shards = [c for c in worker.children() if f"year-{YEAR}" in " ".join(c.cmdline())]
            if shards:
                shard_pid = shards[0].pid
                os.kill(worker.pid, signal.SIGKILL)
                break
        time.sleep(0.01)
    output, _ = proc.communicate(timeout=600)
    assert shard_pid, f"the year's shard was never seen writing {written}; the build said:\n{output}"
    return proc.returncode, output, shard_pid


def _build_killing_the_year_s_shard(archive: Path, out: Path, cache: Path, written: str) -> tuple[int, str]:
    """Run the sharded build on its own LocalCluster; SIGKILL the year's shard process (not a
    worker) as soon as it has written ``written`` into the staging tree."""
    cmd = [sys.executable, str(ROOT / "tools" / "shards.py"), "--jobs", "2", str(archive), "-o", str(out),
           "-s", str(ROOT / "pelicanconf.py")]
    staged = out.parent / f".{out.name}.building" / written
    published = os.stat(out / written).st_ino
    proc = subprocess.Popen(cmd, cwd=ROOT, env=_env(cache), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    killed = 0
    deadline = time.monotonic() + 300
    build = psutil.Process(proc.pid)
    while proc.poll() is None and time.monotonic() < deadline and not killed:
        try:
            rewritten = os.stat(staged).st_ino != published
        except FileNotFoundError:
            rewritten = False
        if rewritten:
            shards = [c for c in build.children(recursive=True)
                      if "--shard-process" in c.cmdline() and f"year-{YEAR}" in c.cmdline()]
            if shards:
                killed = shards[0].pid
                os.kill(killed, signal.SIGKILL)
                break
        time.sleep(0.01)
    output, _ = proc.communicate(timeout=600)
    assert killed, f"the year's shard was never seen writing {written}; the build said:\n{output}"
    return proc.returncode, output


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _same(a_out: Path, b_out: Path) -> None:
    a, b = _files(a_out), _files(b_out)
    assert sorted(a) == sorted(b), set(a) ^ set(b)
    assert [n for n in a if a[n] != b[n]] == []


def test_a_killed_worker_s_shard_is_run_again_and_the_site_is_the_same(archive: Path, tmp_path: Path) -> None:
    whole, sharded = tmp_path / "whole", tmp_path / "sharded"
    cw, cs = tmp_path / "cache-whole", tmp_path / "cache-sharded"
    for _ in range(2):  # cold, then a rebuild: from here on builds stage from the spare tree
        _run("build.py", archive, whole, cw)
        _run("shards.py", archive, sharded, cs)
    page = _correct_an_article_of_the_year(archive)
    cluster, client = _cluster(allowed_failures=3)
    try:
        rc, output, shard_pid = _build_killing_the_year_s_worker(client, archive, sharded, cs, page)
    finally:
        client.close()
        cluster.close()
    assert rc == 0, output
    assert _gone(shard_pid), "the killed worker's shard process lived on"
    line = next(x for x in output.splitlines() if x.startswith("build: "))
    assert "from the spare tree" in line
    assert re.search(rf"year-{YEAR} [\d.]+ s \([^)]*run again: its first process was lost\)", line), line
    _run("build.py", archive, whole, cw)
    _same(whole, sharded)
    # The next build stages from the spare tree by this build's record of what it changed,
    # which must hold what the killed first run wrote and the retry found already there
    # (were it missing, 2023's check of its files would find the stale copy and run it again).
    _add_days(archive, dt.date(2024, 1, 3), 1, seed=5)
    _run("build.py", archive, whole, cw)
    line = _run("shards.py", archive, sharded, cs)
    assert "from the spare tree" in line and f"year-{YEAR}" not in line
    _same(whole, sharded)


def test_a_killed_shard_process_is_run_again_by_dask_s_retries(archive: Path, tmp_path: Path) -> None:
    """The build's own LocalCluster (workers are threads): the shard process itself is
    killed, its task raises, ``Client.submit(retries=1)`` runs it again."""
    whole, sharded = tmp_path / "whole", tmp_path / "sharded"
    cw, cs = tmp_path / "cache-whole", tmp_path / "cache-sharded"
    for _ in range(2):
        _run("build.py", archive, whole, cw)
        _run("shards.py", archive, sharded, cs)
    page = _correct_an_article_of_the_year(archive)
    rc, output = _build_killing_the_year_s_shard(archive, sharded, cs, page)
    assert rc == 0, output
    line = next(x for x in output.splitlines() if x.startswith("build: "))
    assert re.search(rf"year-{YEAR} [\d.]+ s \([^)]*run again: its first process was lost\)", line), line
    _run("build.py", archive, whole, cw)
    _same(whole, sharded)


def test_a_shard_whose_workers_all_die_fails_the_build_naming_its_year(archive: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    _run("shards.py", archive, out, cache)
    before = _stats(out)
    page = _correct_an_article_of_the_year(archive)
    cluster, client = _cluster(allowed_failures=0)
    try:
        rc, output, shard_pid = _build_killing_the_year_s_worker(client, archive, out, cache, page)
    finally:
        client.close()
        cluster.close()
    assert rc != 0
    assert _gone(shard_pid)
    said = re.sub(r"\s+", " ", output)
    assert re.search(rf"the shard of [^;]*year-{YEAR} \(KilledWorker", said), said[-2000:]
    assert "output/ was not changed" in said
    assert _stats(out) == before
    assert not (tmp_path / ".out.building").exists()
    line = _run("shards.py", archive, out, cache)  # the next build, on its own LocalCluster, runs the year
    assert f"year-{YEAR}" in line
