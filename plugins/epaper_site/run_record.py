"""What this process's Pelican run of the site did: one explicit record for the build tools.

``tools/build.py`` and ``tools/shards.py`` run Pelican in their own process and then need
to know which files the run produced (to sweep stale ones), which it wrote (the next
build's staging record), which folders it kept whole, and how much it read and rendered
(their summary line).  The writer, the render cache and the plugin write into :data:`RUN`;
a tool calls :func:`start` before ``pelican.run()`` and reads :data:`RUN` after.  Pelican's
plugins are per process, so one record per process is what a run is.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RunRecord:
    #: Absolute, normalised paths of the files produced (written or kept unchanged).
    produced: set[str] = field(default_factory=set)
    #: Absolute paths of the files actually written (new or changed bytes).
    written: set[str] = field(default_factory=set)
    #: Absolute paths of the produced files the render cache holds as some unit's (rendered,
    #: kept or carried); the others are *loose* (the home page, the sitemap, static files).
    owned: set[str] = field(default_factory=set)
    #: A daily update's only candidates for stale files, relative to the output: the last
    #: build's files of every unit not carried over (the render cache knows them).  With the
    #: last build's loose files they are every file the closed years do not hold, so the
    #: sweep need not walk the archive.  None: sweep the whole tree.
    swept: list[str] | None = None
    #: What the search index says it wrote or removed (``{"files": [...], "folders": [...]}``,
    #: relative to the output); None: the index folder is taken as changed whole.
    index_changes: dict[str, list[str]] | None = None
    #: Absolute output folders holding only files of units kept whole: the stale-file sweep
    #: need not walk them.
    kept_trees: set[str] = field(default_factory=set)
    #: Absolute output folders holding only one unit's files, kept or rendered: when a year
    #: shard is not run at all (tools/shards.py), its folders are what its last run left.
    unit_trees: set[str] = field(default_factory=set)
    #: Articles in the site, read by Pelican now, taken from the store.
    articles: dict[str, int] = field(default_factory=lambda: {"articles": 0, "read": 0, "stored": 0})
    #: Output units rendered and kept without rendering.
    #: Output units rendered, kept without rendering, carried over unchecked (a daily
    #: update's closed-year units, see daily.py).
    units: dict[str, int] = field(default_factory=lambda: {"kept": 0, "rendered": 0, "carried": 0})
    #: Edition folders of the article store loaded, and their records, and the render
    #: cache's year shelves opened (render_cache.py): a daily update loads
    #: the folders its changes reach, a full build all of them.
    loaded: dict[str, int] = field(default_factory=lambda: {"folders": 0, "records": 0, "shelves": 0})
    #: "daily" when the build took the daily path (state kept between builds), else "full".
    path: list[str] = field(default_factory=list)
    #: Set by a tool that runs Pelican again in full when asked (``run_again``): the daily
    #: path may then check the closed years beside the build instead of before it.
    may_run_again: bool = False
    #: Why this run's output must be made again by a full run (a closed year changed after
    #: all); None: it stands.
    run_again: str | None = None

    def clear(self) -> None:
        """Empty, in place (the writer and the caches hold this object)."""
        for s in (self.produced, self.written, self.owned, self.kept_trees, self.unit_trees):
            s.clear()
        self.swept = None
        self.index_changes = None
        self.articles.update(articles=0, read=0, stored=0)
        self.units.update(kept=0, rendered=0, carried=0)
        self.loaded.update(folders=0, records=0, shelves=0)
        self.path.clear()
        self.may_run_again = False
        self.run_again = None


class RunAgain(Exception):
    """Raised when a run that may run again (:attr:`RunRecord.may_run_again`) finds, before
    writing anything, that it must be a full one after all."""


#: This process's run.
RUN = RunRecord()


def start() -> RunRecord:
    """A fresh record for the run about to start."""
    RUN.clear()
    return RUN
