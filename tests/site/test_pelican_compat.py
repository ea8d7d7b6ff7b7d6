"""The one module touching Pelican's internals, checked against the installed Pelican."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))

import pelican  # noqa: E402
from epaper_site import pelican_compat  # noqa: E402

#: Pelican's private names the plugin leans on: they may appear in pelican_compat.py only.
PRIVATE = ("_include_path", "_open_w", "_written_files", "_overridden_files", "process_translations",
           "_context", "_parse_metadata", "save_cache", "_update_content", "_status", "_source_path",
           "_md")  # (``_content`` too, but the article store's records name their own lazy field so)


def test_installed_pelican_is_a_version_the_compat_module_was_checked_against() -> None:
    problem = pelican_compat.version_problem()
    assert problem is None, problem


def test_version_problem_names_the_module_and_the_versions(monkeypatch) -> None:
    monkeypatch.setattr(pelican, "__version__", "99.0.0")
    problem = pelican_compat.version_problem()
    assert problem is not None
    assert "99.0.0" in problem and "pelican_compat.py" in problem
    assert all(v in problem for v in pelican_compat.CHECKED_VERSIONS)


def test_the_pinned_pelican_is_a_checked_version() -> None:
    pinned = re.search(r"^pelican==(\S+)", (ROOT / "requirements.txt").read_text(encoding="utf-8"), re.M)
    assert pinned and pinned.group(1) in pelican_compat.CHECKED_VERSIONS


def test_pelican_private_names_are_touched_in_the_compat_module_only() -> None:
    """The site plugin and the build tools name Pelican's internals nowhere else."""
    pattern = r"\b(" + "|".join(re.escape(n) for n in PRIVATE) + r")\b"
    found = subprocess.run(["grep", "-rnwE", pattern, "--include=*.py", "plugins/epaper_site", "tools"],
                           cwd=ROOT, capture_output=True, text=True).stdout.splitlines()
    code = [line for line in found if "pelican_compat.py:" not in line
            and not line.split(":", 2)[2].lstrip().startswith("#")]
    assert code == [], code


def test_article_files_finds_what_pelicans_own_walk_finds(tmp_path) -> None:
    """``article_files`` rewrites ``Generator.get_files`` for speed: the same files, under the
    same rules (excluded folders, IGNORE_FILES, hidden files, other extensions, symbolic links)."""
    import os

    from pelican.generators import Generator
    from pelican.settings import DEFAULT_CONFIG

    content = tmp_path / "content"
    for rel in ("zjrb/2024-03-17/01/a.md", "zjrb/2024-03-17/01/b.markdown", "zjrb/2024-03-17/page.json",
                "zjrb/2024-03-17/.hidden.md", "zjrb/.git/x.md", "zjrb/drafts/c.md", "zjrb/sub/d.md",
                "pages/about.md", "top.md", "notes.txt"):
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text("Title: x\n\ny\n", encoding="utf-8")
    os.symlink(content / "zjrb" / "sub", content / "zjrb" / "linked")
    settings = dict(DEFAULT_CONFIG, PATH=str(content), IGNORE_FILES=[".*"], CACHE_CONTENT=False)
    gen = Generator(context={}, settings=settings, path=str(content), theme=settings["THEME"],
                    output_path=str(tmp_path / "out"))
    for paths, exclude in (([""], ["pages", "zjrb/drafts"]), (["zjrb"], []), (["top.md", "zjrb/sub"], ["pages"])):
        folders: pelican_compat.Folders = {}
        ours = pelican_compat.article_files(gen, paths, exclude, None, folders)
        theirs = sorted(os.path.normpath(f) for f in gen.get_files(paths, exclude=exclude))
        assert ours == theirs, (paths, exclude)
        assert ours  # the case finds something
        # each file once, under its own folder, with the stamp the article store compares
        pairs = sorted((src, stamp, rel) for rel, got in folders.items() for src, stamp in got)
        assert [src for src, _, _ in pairs] == ours
        for src, stamp, rel in pairs:
            st = os.stat(content / src)
            assert stamp == (st.st_mtime_ns, st.st_size) and rel == os.path.dirname(src) + "/" * ("/" in src)
