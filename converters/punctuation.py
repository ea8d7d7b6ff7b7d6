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
    if not any(c in text for c in _FULL):
        return text
    # Leave URLs and e-mail addresses alone.
    parts: list[str] = []
    last = 0
    for m in _URL.finditer(text):
        parts.append(_restore_plain(text[last:m.start()]))
        parts.append(m.group(0))
        last = m.end()
    parts.append(_restore_plain(text[last:]))
    return "".join(parts)


def _neighbour(chars: list[str], i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(chars) and chars[j] == " ":
        j += step
    return chars[j] if 0 <= j < len(chars) else ""


def _restore_plain(text: str) -> str:
    chars = list(text)
    # Parentheses first, as pairs: a pair around or beside Chinese becomes full-width.
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, ch in enumerate(chars):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            pairs.append((stack.pop(), i))
    paired = set()
    for o, c in pairs:
        inner = "".join(chars[o + 1:c])
        if any(is_cjk(x) for x in inner) or _cjkish(_neighbour(chars, o, -1)) or _cjkish(_neighbour(chars, c, 1)):
            chars[o], chars[c] = "（", "）"
        paired.update((o, c))
    for i, ch in enumerate(chars):
        if ch not in _FULL or ch in "（）":
            continue
        prev, nxt = _neighbour(chars, i, -1), _neighbour(chars, i, 1)
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
        if _cjkish(prev) or (_cjkish(nxt) and not prev.isascii()) or (_cjkish(nxt) and prev in "%％0123456789"):
            chars[i] = _FULL[ch]
    out = "".join(chars)
    # A space after a full-width mark is layout, not text.
    return re.sub(r"(?<=[，：；？！）])[ ]+(?=[^\sA-Za-z0-9])", "", out)
