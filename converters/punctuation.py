"""Full-width punctuation restored in Chinese text (，（）：；？！).

OCR and layout tools emit ASCII punctuation.  A mark is made full-width when it
touches Chinese; numbers (1,000  10:30), Latin text and URLs keep theirs.
"""

from __future__ import annotations

import re

from converters.textutil import is_cjk

_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_CJK_PUNCT = set("“”‘’《》「」『』、。，：；？！（）…—·【】％")
_URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+")


def _cjkish(ch: str) -> bool:
    return bool(ch) and (is_cjk(ch) or ch in _CJK_PUNCT)


def restore(text: str) -> str:
    if _MARKS.search(text) is None:
        return text
    if "://" not in text and "www." not in text and "@" not in text:
        return _restore_plain(text)
    # Leave URLs and e-mail addresses alone.
    parts: list[str] = []
    last = 0
    for m in _URL.finditer(text):
        parts.append(_restore_plain(text[last:m.start()]))
        parts.append(m.group(0))
        last = m.end()
    parts.append(_restore_plain(text[last:]))
    return "".join(parts)


_MARKS = re.compile(r"[,:;?!()]")


def _neighbour(text: str, i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(text) and text[j] == " ":
        j += step
    return text[j] if 0 <= j < len(text) else ""


def _restore_plain(text: str) -> str:
    positions = [m.start() for m in _MARKS.finditer(text)]
    if not positions:
        return text
    chars = list(text)
    # Parentheses first, as pairs: a pair around or beside Chinese becomes full-width.
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i in positions:
        if text[i] == "(":
            stack.append(i)
        elif text[i] == ")" and stack:
            pairs.append((stack.pop(), i))
    paired = set()
    for o, c in pairs:
        if (any(is_cjk(x) for x in text[o + 1:c]) or _cjkish(_neighbour(text, o, -1))
                or _cjkish(_neighbour(text, c, 1))):
            chars[o], chars[c] = "（", "）"
        paired.update((o, c))
    for i in positions:
        ch = text[i]
        prev, nxt = _neighbour(text, i, -1), _neighbour(text, i, 1)
        if ch in "()":
            if i not in paired and (_cjkish(prev) or _cjkish(nxt)):
                chars[i] = _FULL[ch]
            continue
        if ch in ",:;" and prev.isdigit() and nxt.isdigit():
            continue  # 1,000  10:30
        if ch in "?!":
            if _cjkish(prev):
                chars[i] = _FULL[ch]
            continue
        if _cjkish(prev) or (_cjkish(nxt) and (not prev.isascii() or prev in "%0123456789")):
            chars[i] = _FULL[ch]
    out = "".join(chars)
    # A space after a full-width mark is layout, not text.
    return _SPACE_AFTER.sub("", out)


_SPACE_AFTER = re.compile(r"(?<=[，：；？！）])[ ]+(?=[^\sA-Za-z0-9])")
