"""Small facts about Chinese text that several stages need."""

from __future__ import annotations

import re

CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    if o < 0x3400:
        return False
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FA1F


def cjk_count(text: str) -> int:
    return sum(1 for ch in text if is_cjk(ch))


def visible_len(text: str) -> int:
    """Length without spaces: how long a headline looks when set (block text holds no line
    breaks, so spaces, ideographic spaces and tabs are all the white space there is)."""
    return len(text) - text.count(" ") - text.count("\u3000") - text.count("\t")


def cut_at_one_width(pieces: list[str]) -> bool:
    """Lines of text as long as each other (within a character) but the last, which is no
    longer: what a tool leaves of one line of type cut where a column ends (甘肃加强祁连 /
    山等重点生态 / 功能区保护), not phrases of their own lengths."""
    widths = [visible_len(p) for p in pieces]
    if len(widths) < 2 or not all(widths):
        return False
    return max(widths[:-1]) - min(widths[:-1]) <= 1 and widths[-1] <= max(widths[:-1]) + 1


# What may end a paragraph.  A closing quote or bracket ends one only after a stop
# (…。” ends, …“数 does not).
_STOPS = "。！？!?…；;：:"
_CLOSERS = "”’」』）)》】"
SENTENCE_PUNCT = set("。！？!?…；;，,、：:")


def ends_sentence(text: str) -> bool:
    t = text.rstrip()
    if not t:
        return False
    if t.endswith("——"):
        return True
    while t and t[-1] in _CLOSERS:
        t = t[:-1]
        if t and t[-1] in _STOPS:
            return True
        if not t or t[-1] not in _CLOSERS:
            return False
    return t[-1] in _STOPS


def bracketed(text: str) -> bool:
    """Wholly in one pair of brackets: a note (（摘编自《经济日报》）), never a headline."""
    t = text.strip()
    return len(t) > 2 and t[0] in "(（" and t[-1] in ")）" and t.count("（") + t.count("(") == \
        t.count("）") + t.count(")")


def open_bracket(text: str) -> bool:
    """Does the text leave a bracket open (（记者 施…)?"""
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def open_quote(text: str) -> bool:
    """Does the text leave a quotation or a book title open (推动“好就业”“就…, 《加快…)?"""
    return text.count("“") > text.count("”") or text.count("《") > text.count("》")


def complete(text: str) -> bool:
    """A paragraph that needs nothing after it: a sentence's end, a note wholly in brackets,
    or the attribution under a quotation (——人民网网友15****7)."""
    if ends_sentence(text) or bracketed(text):
        return True
    t = text.strip()
    return t.startswith("——") and len(t) <= 40 and not any(c in t for c in "，。,")


def has_sentence_punct(text: str) -> bool:
    return any(ch in SENTENCE_PUNCT for ch in text)


# Particles and function characters that rarely open a sentence: a paragraph starting
# with one most likely lost its beginning (the column it came from was not dumped).
_CONTINUATION_OPENERS = set("的了、，,。；;：:”’）)")


def starts_mid_sentence(text: str) -> bool:
    t = text.lstrip()
    if not t:
        return False
    if t[0] in _CONTINUATION_OPENERS:
        return True
    first = re.split(r"[。！？!?]", t, maxsplit=1)[0]
    # A closing quote before any opening one: the quotation began in the lost part.
    close = first.find("”")
    return close != -1 and "“" not in first[:close]
