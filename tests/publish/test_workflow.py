"""The Pages workflow's build job, run twice on this machine against a cache folder.

GitHub's runners cannot be reached from here, so the build job's steps are read from
``.github/workflows/pages.yml`` and run in order by a small emulator, offline:

- ``actions/checkout``: a fresh workspace (the same path every run, as on a runner) holding
  the repository's files with the checkout's own mtimes, plus whatever the push brings;
- ``actions/cache/restore`` and ``actions/cache/save``: the exact key, then the newest entry
  under each restore key's prefix, from a cache folder; an entry is immutable (a second
  save under a key is refused); archives are made and unpacked with the ``tar`` arguments
  actions/cache uses (``--posix``, ``-P -C <workspace>``), outputs ``cache-hit``,
  ``cache-primary-key`` and ``cache-matched-key``;
- ``actions/configure-pages`` gives a ``base_url``; ``actions/upload-pages-artifact`` checks
  the folder; ``actions/setup-python`` is this test's Python (its ``.venv``: ``VENV`` points
  there and pip may not use the network);
- ``run`` steps run in ``bash -e -o pipefail`` with the workflow's, job's and step's ``env``
  and ``${{ }}`` expressions evaluated (``||``, ``&&``, ``==``, contexts, ``hashFiles``).

An action the emulator does not know fails the test, so it keeps up with the workflow.
The first run finds no state and builds cold; the second, after a push with the next
day's dump, must restore the first run's state and do a daily update: the build's own
summary says how many articles came from the store and how many units were kept.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
SAMPLE = ROOT / "raw" / "zjrb" / "2024-03-17" / "01.txt"
#: The sample's masthead date and issue number, and those of the next two days.
MASTHEADS = (("2024年3月17日 星期日 农历甲辰年二月初八", "第27323期"),
             ("2024年3月18日 星期一 农历甲辰年二月初九", "第27324期"),
             ("2024年3月19日 星期二 农历甲辰年二月初十", "第27325期"))
BASE_URL = "https://example.github.io/epaper"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


# -- ${{ }} expressions -----------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(\|\||&&|==|!=|\(|\)|,)|'((?:[^']|'')*)'|([A-Za-z_][\w.\-]*))")


def evaluate(expr: str, ctx: dict, workspace: Path) -> object:
    """A GitHub Actions expression: literals, contexts, ``hashFiles``, ``||``, ``&&``, ``==``, ``!=``."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(expr.rstrip()):
        m = _TOKEN.match(expr, pos)
        assert m, f"cannot read the expression {expr!r} at {expr[pos:]!r}"
        op, text, name = m.groups()
        tokens.append(("op", op) if op else ("str", text.replace("''", "'")) if text is not None else ("name", name))
        pos = m.end()
    i = 0

    def peek() -> tuple[str, str] | None:
        return tokens[i] if i < len(tokens) else None

    def take() -> tuple[str, str]:
        nonlocal i
        i += 1
        return tokens[i - 1]

    def atom() -> object:
        kind, value = take()
        if kind == "str":
            return value
        if (kind, value) == ("op", "("):
            v = either()
            assert take() == ("op", ")")
            return v
        assert kind == "name", expr
        if value in ("true", "false"):
            return value == "true"
        if peek() == ("op", "("):
            take()
            args = [either()]
            while peek() == ("op", ","):
                take()
                args.append(either())
            assert take() == ("op", ")")
            assert value == "hashFiles", f"function {value} is not emulated"
            return hash_files(workspace, [str(a) for a in args])
        v: object = ctx
        for part in value.split("."):
            v = v.get(part) if isinstance(v, dict) else None
        return v

    def compare() -> object:
        left = atom()
        while peek() in (("op", "=="), ("op", "!=")):
            op = take()[1]
            right = atom()
            left = (left == right) if op == "==" else (left != right)
        return left

    def both() -> object:
        left = compare()
        while peek() == ("op", "&&"):
            take()
            right = compare()
            left = right if left else left
        return left

    def either() -> object:
        left = both()
        while peek() == ("op", "||"):
            take()
            right = both()
            left = left if left else right
        return left

    value = either()
    assert i == len(tokens), f"unread rest of {expr!r}"
    return value


def substitute(text: str, ctx: dict, workspace: Path) -> str:
    def one(m: re.Match) -> str:
        v = evaluate(m.group(1), ctx, workspace)
        return "" if v is None else ("true" if v is True else "false" if v is False else str(v))

    return re.sub(r"\$\{\{(.*?)\}\}", one, text)


def hash_files(workspace: Path, patterns: list[str]) -> str:
    files = sorted({p for pat in patterns for p in workspace.glob(pat) if p.is_file()})
    if not files:
        return ""
    h = hashlib.sha256()
    for p in files:
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


# -- the runner -------------------------------------------------------------------------------

def repository_files() -> list[str]:
    """What a checkout holds: the tracked files and the new ones git does not ignore."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    res = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=ROOT, env=env,
                         capture_output=True)
    if res.returncode != 0:
        pytest.skip(f"not a git checkout: {res.stderr.decode().strip()}")
    return sorted(n for n in res.stdout.decode().split("\0") if n and (ROOT / n).is_file())


class Runner:
    """The build job's steps on this machine: one workspace path, one cache folder."""

    def __init__(self, tmp: Path, workflow: dict) -> None:
        self.workspace = tmp / "runner" / "work" / "epaper" / "epaper"
        self.caches = tmp / "actions-cache"
        self.caches.mkdir(parents=True)
        self.workflow = workflow
        self.log: list[str] = []

    def checkout(self, extra: dict[str, bytes]) -> None:
        if self.workspace.exists():
            shutil.rmtree(self.workspace)  # a fresh runner: nothing of the last run's tree
        for name in repository_files():
            dst = self.workspace / name
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / name, dst)  # the checkout's time, not the file's history
        for name, data in extra.items():
            (self.workspace / name).parent.mkdir(parents=True, exist_ok=True)
            (self.workspace / name).write_bytes(data)

    def _entries(self) -> list[tuple[float, str]]:
        return sorted(((p.stat().st_mtime, p.name.removesuffix(".tar")) for p in self.caches.glob("*.tar")),
                      reverse=True)

    def restore(self, key: str, restore_keys: list[str]) -> dict[str, str]:
        entries = self._entries()
        matched = key if any(k == key for _, k in entries) else ""
        for prefix in ([] if matched else restore_keys):
            found = [k for _, k in entries if k.startswith(prefix)]
            if found:
                matched = found[0]  # the newest
                break
        if matched:
            subprocess.run(["tar", "-xf", str(self.caches / f"{matched}.tar"), "-P", "-C", str(self.workspace)],
                           check=True)
            self.log.append(f"Cache restored from key: {matched}")
        else:
            self.log.append(f"Cache not found for input keys: {key}, {', '.join(restore_keys)}")
        return {"cache-hit": "true" if matched == key else "false", "cache-primary-key": key,
                "cache-matched-key": matched}

    def save(self, key: str, paths: list[str]) -> dict[str, str]:
        assert key, "actions/cache/save needs a key"
        target = self.caches / f"{key}.tar"
        if target.exists():  # caches are immutable
            self.log.append(f"Failed to save: Unable to reserve cache with key {key}, "
                            "another job may be creating this cache.")
            return {}
        present = [p for p in paths if (self.workspace / p).exists()]
        assert present, f"nothing to save of {paths}"
        subprocess.run(["tar", "--posix", "-cf", str(target), "-P", "-C", str(self.workspace), *present], check=True)
        self.log.append(f"Cache saved with key: {key}")
        return {}

    def run_job(self, name: str, run_id: int, extra: dict[str, bytes]) -> str:
        job = self.workflow["jobs"][name]
        self.log = []
        ctx: dict = {"github": {"run_id": str(run_id), "run_attempt": "1", "workspace": str(self.workspace)},
                     "runner": {"os": "Linux"}, "vars": {}, "inputs": {}, "steps": {}, "env": {}}
        env: dict[str, str] = {}
        for scope in (self.workflow.get("env") or {}, job.get("env") or {}):
            for k, v in scope.items():
                env[k] = substitute(str(v), ctx | {"env": env}, self.workspace)
        for step in job["steps"]:
            ctx["env"] = env
            outputs = self._step(step, ctx, env, extra)
            if step.get("id"):
                ctx["steps"][step["id"]] = {"outputs": outputs}
        return "\n".join(self.log)

    def _step(self, step: dict, ctx: dict, env: dict[str, str], extra: dict[str, bytes]) -> dict[str, str]:
        ws = self.workspace
        with_ = {k: substitute(str(v), ctx, ws) for k, v in (step.get("with") or {}).items()}
        action = step.get("uses", "").split("@")[0]
        if action == "actions/checkout":
            self.checkout(extra)
            return {}
        if action == "actions/setup-python":
            return {"python-version": sys.version.split()[0]}
        if action == "actions/cache/restore":
            return self.restore(with_["key"], [k for k in with_.get("restore-keys", "").splitlines() if k.strip()])
        if action == "actions/cache/save":
            return self.save(with_["key"], [p for p in with_["path"].splitlines() if p.strip()])
        if action == "actions/configure-pages":
            return {"base_url": BASE_URL, "base_path": "/epaper"}
        if action == "actions/upload-pages-artifact":
            assert (ws / with_["path"] / "index.html").is_file(), f"nothing to upload in {with_['path']}"
            self.log.append(f"artifact: {with_['path']}")
            return {}
        assert "run" in step, f"the emulator does not know {step.get('uses')}"
        step_env = {k: substitute(str(v), ctx, ws) for k, v in (step.get("env") or {}).items()}
        outputs_file = ws.parent / f"github-output-{time.time_ns()}"
        outputs_file.write_text("")
        tools = ws.parent / "setup-python-bin"  # `python` as setup-python puts it on PATH
        tools.mkdir(exist_ok=True)
        if not (tools / "python").exists():
            (tools / "python").symlink_to(sys.executable)
        proc_env = dict(os.environ, **env, **step_env, GITHUB_WORKSPACE=str(ws), GITHUB_OUTPUT=str(outputs_file),
                        CI="true", VENV=str(ROOT / ".venv"), PIP_NO_INDEX="1",
                        PATH=f"{tools}{os.pathsep}{os.environ.get('PATH', '')}")
        for k in ("SITEURL", "CNAME", "FORCE", "OUTPUTDIR", "MAKEFLAGS", "EPAPER_CACHE_DIR"):
            if k not in env and k not in step_env:
                proc_env.pop(k, None)  # this test's environment is not the runner's
        script = substitute(step["run"], ctx, ws)
        res = subprocess.run(["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", script], cwd=ws,
                             env=proc_env, capture_output=True, text=True, timeout=900)
        self.log.append(f"$ {step.get('name') or script}\n{res.stdout}{res.stderr}")
        assert res.returncode == 0, "\n".join(self.log)
        return dict(line.split("=", 1) for line in outputs_file.read_text().splitlines() if "=" in line)


def _summary(log: str) -> re.Match:
    m = re.search(r"^build: .* published in [\d.]+ s \(staging [\d.]+ s: ([^;]+); (\d+) articles: (\d+) read now, "
                  r"(\d+) from the store; units rendered (\d+), kept unrendered (\d+), carried \d+; (\w+) path",
                  log, re.M)
    assert m, log
    return m


def _next_day(n: int) -> dict[str, bytes]:
    """The push of an editor's morning: the sample dump as the paper of ``n`` days later."""
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in zip(MASTHEADS[0], MASTHEADS[n], strict=True):
        assert text.count(old) == 1
        text = text.replace(old, new)
    return {f"raw/zjrb/2024-03-{17 + n}/01.txt": text.encode("utf-8")}


def _mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_the_build_job_three_times_each_push_after_the_first_runs_the_daily_update(workflow, tmp_path):
    runner = Runner(tmp_path, workflow)
    site = runner.workspace / "output" / "zjrb"
    first = runner.run_job("build", 1001, {})
    assert "Cache not found" in first and "::notice title=Cold build::" in first
    how, articles, read, stored, _, kept, path = _summary(first).groups()
    assert how == "empty" and int(read) == int(articles) > 0 and stored == "0" and kept == "0"
    assert path == "full"
    assert "Cache saved with key: build-state-zjrb-Linux-py3.11-" in first
    assert (site / "index.html").is_file() and BASE_URL in (site / "robots.txt").read_text(encoding="utf-8")

    pushed: dict[str, bytes] = {}
    for n, run_id in ((1, 1002), (2, 1003)):
        before = _mtimes(site)
        pushed |= _next_day(n)  # dumps only: the earlier days' articles are not committed, CI converts them
        log = runner.run_job("build", run_id, pushed)
        assert "Cache restored from key: build-state-zjrb-Linux-py3.11-" in log and f"-{run_id - 1}-1" in log
        assert "::notice title=Cold build::" not in log
        known = len(list((ROOT / "content" / "zjrb").rglob("*.md"))) * n  # committed, and converted last run
        m = re.search(r"content mtimes: \d+ files of content/zjrb: (\d+) as in the build state", log)
        assert m and int(m.group(1)) >= known, log
        how, articles, read, stored, rendered, kept, path = _summary(log).groups()
        assert how == "cp -al"  # from the restored tree (a runner has no spare tree of the last build)
        assert path == "daily", log  # the derived state came back with the cache (plugins/epaper_site/daily.py)
        new_day = len(list((runner.workspace / "content" / "zjrb" / f"2024-03-{17 + n}").rglob("*.md")))
        assert new_day > 0 and int(read) == new_day  # only the new edition is read...
        assert int(stored) == int(articles) - new_day > 0  # ...the rest comes from the restored store
        assert (site / "2024" / "03" / f"{17 + n}" / "index.html").is_file()
        assert "Cache saved with key: build-state-zjrb-Linux-py3.11-" in log and f"-{run_id}-1" in log
        if n == 2:  # the first edition is no neighbour of the new one: kept, not rendered
            assert int(kept) > 0 and int(rendered) > 0
            after = _mtimes(site)
            first_edition = [k for k in before if k.startswith("2024/03/17/")]
            assert first_edition and all(after[k] == before[k] for k in first_edition)
    assert len(list(runner.caches.glob("*.tar"))) == 3


def test_a_cache_entry_is_never_overwritten(workflow, tmp_path):
    runner = Runner(tmp_path, workflow)
    runner.workspace.mkdir(parents=True)
    (runner.workspace / "output").mkdir()
    (runner.workspace / "output" / "a").write_text("1")
    runner.save("k-1", ["output"])
    (runner.workspace / "output" / "a").write_text("2")
    runner.save("k-1", ["output"])
    assert "Unable to reserve cache with key k-1" in runner.log[-1]
    shutil.rmtree(runner.workspace / "output")
    assert runner.restore("k-2", ["k-"])["cache-matched-key"] == "k-1"
    assert (runner.workspace / "output" / "a").read_text() == "1"


# -- the workflow file itself ----------------------------------------------------------------

def _steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def _index(job: dict, pred) -> int:
    found = [i for i, s in enumerate(_steps(job)) if pred(s)]
    assert len(found) == 1, found
    return found[0]


def _uses(action: str):
    return lambda s: s.get("uses", "").split("@")[0] == action


def _runs(pattern: str):
    return lambda s: re.search(pattern, s.get("run", "")) is not None


def test_the_workflow_keeps_the_build_state_and_deploys_without_waiting_for_the_tests(workflow):
    jobs = workflow["jobs"]
    build, deploy, test = jobs["build"], jobs["deploy"], jobs["test"]
    assert deploy["needs"] == ["build"]  # not the test suite
    assert "needs" not in test and any(_runs(r"\bmake test\b")(s) for s in _steps(test))
    assert workflow["permissions"] == {}  # each job its own; actions/cache needs none
    assert build["permissions"] == test["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}

    order = [_index(build, _uses("actions/checkout")), _index(build, _uses("actions/cache/restore")),
             _index(build, _runs(r"content_mtimes\.py restore")), _index(build, _runs(r"\bmake gold\b")),
             _index(build, _runs(r"\bmake publish\b")), _index(build, _runs(r"content_mtimes\.py save")),
             _index(build, _uses("actions/cache/save")), _index(build, _uses("actions/upload-pages-artifact"))]
    assert order == sorted(order), order

    restore = _steps(build)[order[1]]
    save = _steps(build)[order[6]]
    # a key of its own per run (caches are immutable), the newest earlier state by prefix
    key = restore["with"]["key"]
    assert "${{ github.run_id }}" in key and "${{ github.run_attempt }}" in key
    prefixes = [k for k in restore["with"]["restore-keys"].splitlines() if k.strip()]
    assert prefixes and all(key.startswith(p) for p in prefixes)
    assert "${{ env.PAPER }}" in prefixes[-1] and "hashFiles('requirements.txt')" in prefixes[-1]
    assert save["with"]["key"] == f"${{{{ steps.{restore['id']}.outputs.cache-primary-key }}}}"
    assert "if" not in save  # saved only when every step before succeeded
    paths = [p.strip() for p in restore["with"]["path"].splitlines() if p.strip()]
    assert paths == [p.strip() for p in save["with"]["path"].splitlines() if p.strip()]
    assert paths == ["${{ env.SITE_DIR }}", "${{ env.STATE_DIR }}", "${{ env.MEDIA_DIR }}"]
    env = workflow["env"]
    assert env["SITE_DIR"] == "output/${{ vars.PAPER || 'zjrb' }}"  # the Makefile's OUTPUTDIR
    assert env["STATE_DIR"] == ".cache/pelican"  # pelicanconf's CACHE_PATH
    publish = _steps(build)[order[4]]
    assert 'OUTPUTDIR="$GITHUB_WORKSPACE/$SITE_DIR"' in publish["run"]
    assert _steps(build)[order[7]]["with"]["path"] == "${{ env.SITE_DIR }}"
    notice = _steps(build)[order[2]]
    assert "cache-matched-key" in notice["env"]["RESTORED"] and "::notice title=Cold build::" in notice["run"]
    # dumps pushed without their articles are converted before the mtimes are put back
    assert notice["run"].index("make content") < notice["run"].index("content_mtimes.py restore")
    # one build at a time, so each starts from the state the last one saved
    assert build["concurrency"]["group"] and build["concurrency"]["cancel-in-progress"] is False


# --- zizmor: the workflow holds only the rights it needs ----------------------------------

def _zizmor(workflow_file: Path) -> list[dict]:
    """zizmor's findings of medium severity or more on a workflow, offline (no GitHub API)."""
    binary = Path(sys.executable).parent / "zizmor"
    assert binary.is_file(), "zizmor is not installed: pip install -r requirements-test.txt"
    res = subprocess.run([str(binary), "--offline", "--format=json", "--min-severity=medium", str(workflow_file)],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode in (0, 10, 11, 12, 13, 14), res.stderr  # 1x: findings of that severity
    return yaml.safe_load(res.stdout)  # JSON is YAML


def test_zizmor_finds_nothing_of_medium_severity_or_more_in_the_workflow():
    findings = _zizmor(WORKFLOW)
    assert findings == [], [(f["ident"], f["determinations"]["severity"]) for f in findings]


def test_zizmor_would_catch_the_old_workflow_s_rights(tmp_path):
    """The check can fail: Pages rights for every job (the test job too), a checkout keeping
    its credentials and actions by tag are findings (the workflow before issue 24 had 13)."""
    bad = tmp_path / ".github" / "workflows" / "pages.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text("name: Pages\non:\n  push:\n    branches: [main]\npermissions:\n  contents: read\n"
                   "  pages: write\n  id-token: write\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - uses: actions/checkout@v5\n      - run: make test\n"
                   "  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/deploy-pages@v4\n",
                   encoding="utf-8")
    idents = {f["ident"] for f in _zizmor(bad)}
    assert {"unpinned-uses", "artipacked", "excessive-permissions"} <= idents, idents


def test_media_go_up_in_the_deploy_job_before_the_pages_with_the_only_secrets(workflow):
    """With MEDIA_REMOTE set, the deploy job restores the state the build saved (its media
    folder), runs make media, then deploys; the bucket's secrets reach that one step only."""
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    publish = next(s for s in _steps(build) if _runs(r"\bmake publish\b")(s))
    assert publish["env"]["MEDIA_URL"] == "${{ vars.MEDIA_URL }}"
    assert 'MEDIA_DIR="$GITHUB_WORKSPACE/$MEDIA_DIR"' in publish["run"]
    assert "MEDIA_REMOTE" not in publish.get("env", {})  # the build job uploads nothing
    assert build["outputs"]["state-key"] == "${{ steps.state.outputs.cache-primary-key }}"
    steps = _steps(deploy)
    restore = _index(deploy, _uses("actions/cache/restore"))
    media = _index(deploy, _runs(r"\bmake media\b"))
    pages = _index(deploy, _uses("actions/deploy-pages"))
    assert restore < media < pages
    assert steps[restore]["with"]["key"] == "${{ needs.build.outputs.state-key }}"
    assert steps[restore]["with"]["fail-on-cache-miss"] is True
    save = next(s for s in _steps(build) if _uses("actions/cache/save")(s))
    assert steps[restore]["with"]["path"] == save["with"]["path"]  # the same cache version
    for i, s in enumerate(steps):
        if i != pages:
            assert s.get("if") == "vars.MEDIA_REMOTE != ''", s  # nothing of this without a bucket
    holders = [(name, s.get("name") or s.get("uses")) for name, job in workflow["jobs"].items() for s in _steps(job)
               if "secrets." in str(s)]
    assert holders == [("deploy", steps[media]["name"])], holders
    assert "secrets." not in str({k: v for k, v in workflow.items() if k != "jobs"})
