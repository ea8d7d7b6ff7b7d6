"""jieba's accurate-mode ``cut``, word for word the same, at a fraction of its cost.

jieba (0.42) segments each run of CJK/ASCII word characters by building a DAG of the
dictionary words starting at every character (``get_DAG``), then choosing the most
probable path right to left (``calc``: ``max((log(freq) - log(total) + route[x + 1], x))``)
and reading it left to right.  It spends most of its time in generator expressions,
tuple comparisons and a ``math.log`` per DAG edge.  :class:`FastCut` runs the same
dynamic programme in one loop per character over the tokenizer's own ``FREQ`` table
(no copy), with the logarithms memoised per frequency value and the float arithmetic in
jieba's order, so the chosen path, ties included (the larger end wins), is identical.
Runs of text already segmented are remembered (bounded), since news text repeats its
clauses (datelines, bylines, set phrases).

Only the modes the converter and the search index use are here: accurate mode with and
without HMM (the HMM only ever sees the buffered unknown characters, as in jieba, via
``jieba.finalseg``).  ``tests/converters/test_tagging.py`` checks it against jieba word for word.
"""

from __future__ import annotations

import os
import re
from math import log

# jieba's own patterns (jieba/__init__.py: re_han_default, re_skip_default, re_eng)
_RE_HAN = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
#: The runs jieba cuts one at a time (its ``re_han_default``).
HAN_BLOCK = _RE_HAN
_RE_SKIP = re.compile("(\r\n|\\s)", re.U)
_ENG = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

#: Runs remembered (~12 MB at most), cleared when full.  EPAPER_SEGMENT_MEMO=0 turns the memo
#: off: the benchmark's synthetic corpus reuses a small pool of sentences, so it repeats
#: runs far more than real pages do (97% of runs against ~8% on raw/'s pages); without the
#: memo it shows the speed on text that does not repeat.
_MEMO_SIZE = int(os.environ.get("EPAPER_SEGMENT_MEMO", "20000") or 0)


class _LogFreq(dict):
    """freq -> log(freq) - log(total), computed once per distinct frequency."""

    def __init__(self, logtotal: float) -> None:
        super().__init__()
        self.logtotal = logtotal

    def __missing__(self, freq: int) -> float:
        value = self[freq] = log(freq) - self.logtotal
        return value


class FastCut:
    """``FastCut(tokenizer).cut(text, hmm)`` == ``list(tokenizer.cut(text, HMM=hmm))``."""

    def __init__(self, tokenizer=None, *, freq: dict[str, int] | None = None, total: int = 0) -> None:
        """From an initialised ``jieba.Tokenizer``, or from a prefix table like its ``FREQ``
        (word -> frequency, 0 for a mere prefix) and the frequencies' ``total``."""
        if tokenizer is not None:
            tokenizer.check_initialized()
            freq, total = tokenizer.FREQ, tokenizer.total
        if freq is None or total <= 0:
            raise ValueError("FastCut needs a tokenizer or a frequency table and its total")
        self.freq: dict[str, int] = freq
        self.logtotal = log(total)
        self._lf = _LogFreq(self.logtotal)
        self._memo: dict[str, tuple[str, ...]] = {}  # without HMM
        self._memo_hmm: dict[str, tuple[str, ...]] = {}

    def route(self, s: str) -> list[int]:
        """End index (inclusive) of the best word starting at each character."""
        get = self.freq.get
        lf = self._lf
        n = len(s)
        fallback = log(1) - self.logtotal  # jieba: log(FREQ.get(c) or 1) - logtotal
        rp = [0.0] * (n + 1)  # best log probability from idx to the end
        rx = [0] * n
        for idx in range(n - 1, -1, -1):
            best_p = None
            best_x = idx
            j = idx + 1
            f = get(s[idx])
            while f is not None:
                if f:
                    p = lf[f] + rp[j]
                    # max((p, x)) over ascending x: a later x wins a tie
                    if best_p is None or p >= best_p:
                        best_p = p
                        best_x = j - 1
                if j >= n:
                    break
                j += 1
                f = get(s[idx:j])
            if best_p is None:  # no dictionary word starts here: the character alone
                best_p = fallback + rp[idx + 1]
            rp[idx] = best_p
            rx[idx] = best_x
        return rx

    def _block_no_hmm(self, s: str) -> list[str]:
        rx = self.route(s)
        out: list[str] = []
        x, n, buf = 0, len(s), ""
        while x < n:
            y = rx[x] + 1
            if y - x == 1 and s[x] in _ENG:
                buf += s[x]
            else:
                if buf:
                    out.append(buf)
                    buf = ""
                out.append(s[x:y])
            x = y
        if buf:
            out.append(buf)
        return out

    def _flush_hmm(self, buf: str, out: list[str]) -> None:
        if len(buf) == 1:
            out.append(buf)
        elif not self.freq.get(buf):
            from epaper_contract.jiebatable import import_jieba

            out.extend(import_jieba().finalseg.cut(buf))
        else:
            out.extend(buf)

    def _block_hmm(self, s: str) -> list[str]:
        rx = self.route(s)
        out: list[str] = []
        x, n, buf = 0, len(s), ""
        while x < n:
            y = rx[x] + 1
            if y - x == 1:
                buf += s[x]
            else:
                if buf:
                    self._flush_hmm(buf, out)
                    buf = ""
                out.append(s[x:y])
            x = y
        if buf:
            self._flush_hmm(buf, out)
        return out

    def cut(self, text: str, hmm: bool = False) -> list[str]:
        memo = self._memo_hmm if hmm else self._memo
        block = self._block_hmm if hmm else self._block_no_hmm
        words: list[str] = []
        for blk in _RE_HAN.split(text):
            if not blk:
                continue
            if _RE_HAN.match(blk):
                got = memo.get(blk)
                if got is None:
                    got = tuple(block(blk))
                    if len(memo) >= _MEMO_SIZE:
                        memo.clear()
                    if _MEMO_SIZE > 0:
                        memo[blk] = got
                words.extend(got)
            else:
                for x in _RE_SKIP.split(blk):
                    if _RE_SKIP.match(x):
                        words.append(x)
                    else:
                        words.extend(x)
        return words
