"""The compact copy of jieba's dictionary (epaper_contract.jiebatable): the same table as
jieba's own, made again when damaged, and jieba imported without pkg_resources."""

from __future__ import annotations

import subprocess
import sys

import pytest

from epaper_contract import jiebatable


@pytest.fixture
def table_dir(tmp_path, monkeypatch):
    """The table's cache file in a folder of the test's own (jieba's own cache stays put)."""
    real = jiebatable._table_path
    monkeypatch.setattr(jiebatable, "_table_path", lambda d: tmp_path / real(d).name)
    jiebatable.default_table.cache_clear()
    yield tmp_path
    jiebatable.default_table.cache_clear()


def test_the_table_is_jiebas_entry_for_entry(table_dir):
    import jieba

    jieba.dt.check_initialized()
    made = jiebatable.default_table()  # from jieba, and written
    assert made == (jieba.dt.FREQ, jieba.dt.total)
    (cached,) = table_dir.glob("epaper-jieba-*.freq")
    jiebatable.default_table.cache_clear()
    freq, total = jiebatable.default_table()  # read back from the file
    assert total == jieba.dt.total
    assert freq == jieba.dt.FREQ and list(freq) == list(jieba.dt.FREQ)  # same entries, same order
    assert cached.stat().st_size > 1_000_000


@pytest.mark.parametrize("damage", [b"", b"EPAPER-JIEBA-FREQ 2\n", b"not a table", -1, -2, -3, 0.5])
def test_a_damaged_table_is_made_again(table_dir, damage):
    import jieba

    jiebatable.default_table()
    (cached,) = table_dir.glob("epaper-jieba-*.freq")
    data = cached.read_bytes()
    if isinstance(damage, bytes):
        cached.write_bytes(damage)
    else:  # cut short: mid-character (the last word is CJK), or half-way
        cached.write_bytes(data[:damage] if damage < 0 else data[: int(len(data) * damage)])
    jiebatable.default_table.cache_clear()
    freq, total = jiebatable.default_table()
    assert (freq, total) == (jieba.dt.FREQ, jieba.dt.total)
    assert cached.read_bytes() == data


def test_jieba_is_imported_without_pkg_resources_which_stays_importable():
    code = ("import sys; from epaper_contract.jiebatable import import_jieba; j = import_jieba();"
            "assert 'pkg_resources' not in sys.modules, 'pkg_resources imported';"
            "assert j.lcut('浙江日报数字报') and j.finalseg.cut('王浩在');"
            "import importlib.util; assert importlib.util.find_spec('pkg_resources') is not None")
    subprocess.run([sys.executable, "-W", "ignore", "-c", code], check=True)
