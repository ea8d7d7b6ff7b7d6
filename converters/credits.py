"""Bylines and credits: who wrote it (reporters) and who helped (correspondents).

Forms seen in dumps: ``本报记者 程少波 苗丽娜``, ``记者 施安南 通讯员 陈怡灵 叶城钢``,
``记者 叶轲 县委报道组 叶叶志``, ``记者李纵``, and 人民日报's padding of two-character
names to three (``高  炳`` is one person, 高炳).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from converters.model import Credits
from converters.textutil import is_cjk

_REPORTER = r"本报特派记者|本报特约记者|本报见习记者|本报记者|特派记者|特约记者|见习记者|首席记者|记者"
_CORRESPONDENT = r"本报通讯员|特约通讯员|通讯员|实习生|[\u4e00-\u9fff]{0,6}?报道组"
ROLE = re.compile(rf"(?P<rep>{_REPORTER})|(?P<cor>{_CORRESPONDENT})")
LONE_ROLE = re.compile(rf"^(?:{_REPORTER}|{_CORRESPONDENT})$")
_SEPARATORS = re.compile(r"[\s\u3000、，,；;/]+")
_NAME = re.compile(r"^[\u4e00-\u9fff·•]{2,6}$")


@cache
def surnames() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "surnames.txt"
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.update(line.split())
    return frozenset(words)


def looks_like_name(tok: str) -> bool:
    """2–4 characters (or a minority name with ·) starting with a known surname."""
    if not _NAME.match(tok) or sum(1 for c in tok if is_cjk(c)) > 5:
        return False
    if "·" in tok or "•" in tok:
        return True
    if len(tok) > 4:
        return False
    s = surnames()
    return tok[0] in s or tok[:2] in s


def _is_name_token(tok: str) -> bool:
    return looks_like_name(tok)


def split_names(segment: str) -> list[str] | None:
    """Names in a credit segment; None when the segment is not a list of names.

    Single characters are the halves of a padded two-character name (崔  佳 -> 崔佳).
    """
    tokens = [t for t in _SEPARATORS.split(segment.strip()) if t]
    names: list[str] = []
    pending = ""
    for tok in tokens:
        if len(tok) == 1 and is_cjk(tok):
            if pending:
                names.append(pending + tok)
                pending = ""
            else:
                pending = tok
            continue
        if pending:
            return None  # a lone character that pairs with nothing
        if not _is_name_token(tok):
            return None
        names.append(tok)
    if pending:
        return None
    return names


def parse_credits(text: str) -> Credits | None:
    """Credits in ``text`` (a byline line, or the parenthesis of a dateline), or None."""
    t = text.strip().strip("()（）").strip()
    matches = list(ROLE.finditer(t))
    if not matches or matches[0].start() != 0:
        return None
    credits = Credits()
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(t)
        names = split_names(t[m.end():end])
        if names is None:
            return None
        (credits.authors if m.group("rep") else credits.correspondents).extend(names)
    if not credits.authors and not credits.correspondents:
        return None
    return credits


def is_lone_role(text: str) -> bool:
    """``本报记者`` alone: the names follow one per line (a byline set vertically)."""
    return bool(LONE_ROLE.match(text.strip()))


def role_is_reporter(text: str) -> bool:
    m = ROLE.match(text.strip())
    return bool(m and m.group("rep"))
