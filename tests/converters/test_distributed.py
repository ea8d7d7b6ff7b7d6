"""converters.distributed on a Dask LocalCluster writes the same files as the local converter."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

distributed = pytest.importorskip("distributed")

import corpus  # noqa: E402

from converters.distributed import convert_distributed  # noqa: E402
from converters.pipeline import run  # noqa: E402

PAPER = "zjrb"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("dist-raw")
    corpus.write_corpus(tmp, 2, 3, 3, "raw", seed=5, paper=PAPER)
    # and the real sample edition, with its masthead
    for f in (ROOT / "raw" / PAPER).rglob("*.txt"):
        dst = tmp / PAPER / f.relative_to(ROOT / "raw" / PAPER)
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_bytes(f.read_bytes())
    return tmp / PAPER


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                           silence_logs=40)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.mark.parametrize("with_tags", [True, False])
def test_same_files_as_the_local_converter(raw, client, tmp_path, with_tags):
    local, dist = tmp_path / "local" / PAPER, tmp_path / "dist" / PAPER
    a = run([str(raw)], local, paper_slug=PAPER, with_tags=with_tags, raw_root=ROOT / "raw")
    b = convert_distributed([str(raw)], dist, client=client, paper_slug=PAPER, with_tags=with_tags,
                            raw_root=ROOT / "raw")
    assert a.errors == b.errors == 0
    assert a.converted == b.converted > 6
    left, right = tree(local), tree(dist)
    assert len([k for k in left if k.endswith(".md")]) > 20
    assert left.keys() == right.keys()
    assert [k for k in left if left[k] != right[k]] == []


def test_incremental_rerun_on_the_cluster_converts_nothing(raw, client, tmp_path):
    out = tmp_path / PAPER
    convert_distributed([str(raw)], out, client=client, paper_slug=PAPER, raw_root=ROOT / "raw")
    before = tree(out)
    again = convert_distributed([str(raw)], out, client=client, paper_slug=PAPER, raw_root=ROOT / "raw")
    assert again.converted == 0 and again.unchanged == len(again.pages)
    report = "conversion-report.json"  # says "unchanged" now: the articles are what must not move
    assert {k: v for k, v in tree(out).items() if k != report} == {k: v for k, v in before.items() if k != report}


def test_own_local_cluster(raw, tmp_path):
    out = tmp_path / PAPER
    summary = convert_distributed([str(raw)], out, workers=1, paper_slug=PAPER, with_tags=False,
                                  raw_root=ROOT / "raw")
    assert summary.exit_code == 0 and summary.converted == len(summary.pages)
