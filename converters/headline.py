"""Headlines as a newspaper sets them: kicker (引题), title (主题), subtitle (副题).

A dump often puts a two-deck headline on one line, separated by spaces:
``传统产业破旧立新 新兴产业异军突起 绍兴,“俊鸟”腾飞正当时``.  Pieces of a parallel
pair (对仗, equal length) belong to the same deck; the long explanatory deck is the
kicker when it comes first and the subtitle when it comes last; the short one is the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from converters.textutil import bracketed, ends_sentence, visible_len

_SPACES = re.compile(r"[ \u3000\t]+")
_COLUMN = re.compile(r"^(?P<title>.+?)[(（](?P<column>[^()（）]{2,30})[)）]$")
_TIME_ADVERBIAL = re.compile(
    r"^(近年来|近日|日前|近期|目前|今年以来|去年以来|年初以来|当前|眼下|如今|今年|去年|昨天|昨日|今天|今日|"
    r"\d{4}年(\d{1,2}月)?(\d{1,2}日)?|\d{1,2}月\d{1,2}日|据悉|据了解|记者从.{1,20}?获悉|记者.{0,10}?了解到|"
    r"本报讯)$")


#: How a news story's first sentence opens when nothing precedes it: a time or source
#: adverbial set off by a comma or colon (近日，… / 记者从…获悉：…).  Only the ones that stand
#: at a sentence's start; 今年, 目前 and the like also follow a subject mid-sentence.
_LEAD_OPENER = re.compile(
    r"^(近日|日前|近期|近年来|今年以来|去年以来|年初以来|据悉|据了解|记者从[^，。,]{1,20}?获悉|"
    r"记者[^，。,]{0,10}?了解到|(\d{4}年)?\d{1,2}月\d{1,2}日)[，,：:]")


def opens_like_a_lead(text: str) -> bool:
    """Does ``text`` open as a story's lead does (近日，…)?  The right piece of a column cut
    continues a sentence and does not."""
    return _LEAD_OPENER.match(text.lstrip()) is not None


@dataclass
class Headline:
    kicker: str = ""
    title: str = ""
    subtitle: str = ""
    column: str = ""


def _pieces(text: str) -> list[str]:
    """Split on spaces, but never inside brackets or quotes."""
    out: list[str] = []
    depth = 0
    current = ""
    for ch in text:
        if ch in "(（“‘《【":
            depth += 1
        elif ch in ")）”’》】" and depth:
            depth -= 1
        if _SPACES.match(ch) and depth == 0:
            if current:
                out.append(current)
            current = ""
        else:
            current += ch
    if current:
        out.append(current)
    return out


def _parallel(a: str, b: str) -> bool:
    return abs(visible_len(a) - visible_len(b)) <= 1 and visible_len(a) <= 12


def split_headline(text: str) -> Headline:
    """One headline line -> kicker/title/subtitle (column label extracted, title kept whole)."""
    text = _SPACES.sub(" ", text.strip())
    pieces = _pieces(text)
    best: tuple[int, int] | None = None  # (contrast, k)
    for k in range(1, len(pieces)):
        if _parallel(pieces[k - 1], pieces[k]):
            continue  # never cut a parallel pair
        if k == len(pieces) - 1 and bracketed(pieces[k]):
            continue  # a column's label closes its title (乐见招才引智亮新招 （纵横）): no deck alone
        left, right = " ".join(pieces[:k]), " ".join(pieces[k:])
        lo, hi = sorted((visible_len(left), visible_len(right)))
        # Two decks differ clearly in length; a title with an inner space does not.
        if hi - lo < 4 or hi < 1.3 * lo:
            continue
        contrast = hi - lo
        if best is None or contrast > best[0]:
            best = (contrast, k)
    head = Headline(title=text)
    if best is not None:
        k = best[1]
        left, right = " ".join(pieces[:k]), " ".join(pieces[k:])
        if visible_len(left) > visible_len(right):
            head = Headline(kicker=left, title=right)
        else:
            head = Headline(title=left, subtitle=right)  # a dash before it stays, as printed
    m = _COLUMN.match(head.title)
    if m:
        head.column = m["column"].strip()
    return head


def infer_title(lead: str, max_len: int = 28) -> str:
    """A title for an article whose headline was lost: a clause of its lead.

    The first sentence when it is short (``营商环境,“优”无止境。``); otherwise its first
    clause that is not a time or source adverbial (近年来, 日前, 记者从…获悉).
    """
    text = lead.strip()
    first = re.split(r"(?<=[。！？!?])", text, maxsplit=1)[0].strip()
    if not first:
        return ""
    bare = first.rstrip("。！？!?")
    if 4 <= visible_len(bare) <= max_len:
        return _balance_quotes(bare)
    clauses = [c.strip() for c in re.split(r"[，,；;：:]", bare) if c.strip()]
    for clause in clauses:
        if _TIME_ADVERBIAL.match(clause) or visible_len(clause) < 6:
            continue
        if visible_len(clause) > max_len:
            clause = clause[:max_len].rstrip("的和与及、") + "…"
        return _balance_quotes(clause)
    return _balance_quotes(bare[:max_len] + ("…" if len(bare) > max_len else ""))


def _balance_quotes(text: str) -> str:
    """Drop a quote mark whose partner was cut off with the rest of the sentence."""
    for o, c in (("“", "”"), ("‘", "’"), ("《", "》"), ("（", "）"), ("(", ")")):
        if text.count(o) > text.count(c) and text.endswith(o) is False:
            if text.startswith(o) and c not in text:
                text = text[len(o):]
            elif text.count(o) - text.count(c) == 1 and c not in text[text.rfind(o):]:
                text = text + c
        elif text.count(c) > text.count(o) and text.startswith(c):
            text = text[len(c):]
    return text.strip()


def is_short_lead(text: str) -> bool:
    """A punchy one-sentence opening (营商环境,“优”无止境。) that a feature starts with."""
    return visible_len(text) <= 20 and ends_sentence(text)
