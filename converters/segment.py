"""Word-level text similarity with jieba, for the few decisions that need meaning:
where a run of body text changes subject (an article whose headline was lost).

jieba is loaded once per process and only when a page needs it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache

# Words too common in news to say anything about the subject.
_STOPWORDS = frozenset("""
我们 他们 你们 一个 一些 这些 那些 这个 那个 没有 可以 已经 通过 进行 表示 介绍 目前 今年 去年 相关
负责人 相关负责人 记者 本报 日前 近日 近年来 以来 同时 其中 以及 并且 因为 所以 如果 就是 还是 这样 一种 不断
进一步 更加 全面 持续 推动 推进 加快 实现 发展 工作 提升 建设 重要 主要
""".split())  # noqa: SIM905 (a word list reads better this way)


@cache
def _fast():
    """jieba's default dictionary; taken from the tagger's when a tagger is loaded already
    (its combined dictionary holds the default one), else from its compact copy
    (:mod:`epaper_contract.jiebatable`)."""
    from converters.fastcut import FastCut

    shared = _tagger_tokenizer()
    if shared is not None:
        from converters.tagging.segment import default_table

        freq, total = default_table(shared)
        return FastCut(freq=freq, total=total)
    from epaper_contract.jiebatable import default_table as jieba_table

    freq, total = jieba_table()
    return FastCut(freq=freq, total=total)


def _tagger_tokenizer():
    import sys

    tagger = sys.modules.get("converters.tagging.tagger")
    for loaded in list(getattr(tagger, "_LOADED", {}).values()):
        if hasattr(loaded.tokenizer, "_epaper_base_diff"):
            return loaded.tokenizer
    return None


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def content_words(text: str) -> Counter:
    """Character bigrams of the Chinese text, minus those of stopwords.

    Bigrams (as in Lucene's CJK analyser) follow a change of subject as well as jieba
    words do for this purpose, at a fraction of the cost: no dictionary, no DAG.
    """
    grams: Counter = Counter()
    for run in _CJK_RUN.findall(text):
        grams.update(run[i:i + 2] for i in range(len(run) - 1))
    for w in _STOPWORDS:
        grams.pop(w, None)
    return grams


def cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def lcut(text: str) -> list[str]:
    """``jieba.lcut(text)`` (default dictionary, HMM on), word for word, via FastCut."""
    return _fast().cut(text, hmm=True)


def word_freq(word: str) -> int:
    """How often jieba's dictionary has seen ``word`` as a word (0 when it is not one): a
    common word (金融, 高速) is rarely a person's name, which the dictionary seldom holds."""
    return _fast().freq.get(word) or 0


def spans_boundary(left: str, right: str, reach: int = 3) -> bool:
    """Does a word run across the end of ``left`` into ``right`` (审议 / 时指出 -> 审议时?)
    Only the few characters around the cut are segmented."""
    a, b = left[-reach:], right[:reach]
    if not a or not b:
        return False
    pos = 0
    for word in lcut(a + b):
        end = pos + len(word)
        if pos < len(a) < end:
            return True
        pos = end
    return False


def runs_across(left: str, right: str) -> bool:
    """Does text cut into two lines run on across the cut: a quotation or a bracket left
    open (推动“好就业”“就 / 好业”), or a word running across it (粮食产 / 能协同提升)?"""
    from converters.textutil import open_bracket, open_quote

    return open_quote(left) or open_bracket(left) or spans_boundary(left, right)
