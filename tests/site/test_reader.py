"""The site's Markdown reader (plugins/epaper_site/reader.py): one Markdown instance for
all files, and a short cut for plain text, each converting exactly as Pelican's fresh
reader per file and Python-Markdown would."""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "plugins"))

import corpus  # noqa: E402
from epaper_site.reader import plain_markdown  # noqa: E402

PAPER = "zjrb"


def test_reused_markdown_reader_converts_like_pelicans(tmp_path):
    from epaper_site.reader import ReusingMarkdownReader
    from pelican.readers import MarkdownReader
    from pelican.settings import DEFAULT_CONFIG

    settings = dict(DEFAULT_CONFIG, FORMATTED_FIELDS=["summary"])
    docs = sorted((ROOT / "content").rglob("*.md"))
    corpus.write_corpus(tmp_path / "c", 2, 2, 4, "content", seed=5, paper=PAPER)
    docs += sorted((tmp_path / "c").rglob("*.md"))
    extra = tmp_path / "extra.md"
    extra.write_text("Title: 表格\nSummary: **粗**体\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n脚注[^1]\n\n[^1]: 注。\n",
                     encoding="utf-8")
    ours = ReusingMarkdownReader(settings)
    marked = tmp_path / "marked.md"
    marked.write_text("Title: 强调\n\n### 小标题\n\n正文*强调*与<b>标签</b>。\n\n1. 第一\n2. 第二\n\n　缩进\n",
                      encoding="utf-8")
    for path in [*docs, extra, marked, docs[0]]:  # the same file twice: no state leaks between files
        theirs = MarkdownReader(settings).read(str(path))
        assert ours.read(str(path)) == theirs, path
    # Converter output takes the short cut, unless the dump's text held characters the
    # converter had to write as entities (15****7 -> 15&#42;&#42;…), or the synthetic corpus
    # escapes (\\*): Markdown reads those.
    texts = [p.read_text(encoding="utf-8") for p in docs]
    plain = [plain_markdown(t) is not None for t in texts]
    assert all(ok for ok, t in zip(plain, texts, strict=True) if "&" not in t and "\\" not in t), \
        "converter output should take the short cut"
    assert sum(plain) >= len(docs) // 2
    assert plain_markdown(extra.read_text(encoding="utf-8")) is None
    assert plain_markdown(marked.read_text(encoding="utf-8")) is None


_MD_ALPHABET = "浙江日报记者。，、“”（）：　 #*_-+=>:.|1234567890abcXY\n\n\n"


@hyp_settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(head=st.lists(st.sampled_from(["Title: 标题", "Date: 2024-03-17", "Cities: 杭州, 宁波", "  续行",
                                      "    续行", "---", "...", "Bad line", ""]), max_size=4),
       body=st.text(alphabet=_MD_ALPHABET, max_size=120))
def test_plain_markdown_is_python_markdown_wherever_it_answers(head, body):
    """Generated text with markers in every position: the short cut answers exactly as
    Python-Markdown with Pelican's extensions does, or leaves the text to it."""
    from markdown import Markdown

    text = "\n".join(head) + "\n\n" + body
    got = plain_markdown(text)
    if got is None:
        return
    md = Markdown(extensions=["markdown.extensions.codehilite", "markdown.extensions.extra",
                              "markdown.extensions.meta"], output_format="html5")
    assert got == (md.convert(text), md.Meta)
