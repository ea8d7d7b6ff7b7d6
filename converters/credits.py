"""Bylines and credits: who wrote it (reporters) and who helped (correspondents).

Forms seen in dumps: ``本报记者 程少波 苗丽娜``, ``记者 施安南 通讯员 陈怡灵 叶城钢``,
``记者 叶轲 县委报道组 叶叶志``, ``记者李纵``, ``新华社记者 张三``, ``文/图 张三``, 人民日报's
padding of two-character names to three (``高  炳`` is one person, 高炳), a bare name under a
commentary's headline (``李洪兴``, ``熊  丽``), a collective byline (``本报评论员``), and the
credits that close a roundup (``（本报记者吴储岐、韩俊杰）``).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from converters.model import Credits
from converters.textutil import is_cjk

# A reporter: 记者, with the agency or paper before it (本报, 新华社, 经济日报) and a rank (特派,
# 特约, 见习, 首席, 驻京); or the credit of who wrote and photographed it (文/图).
_REPORTER = (r"(?:本报|[\u4e00-\u9fff]{1,6}?(?:社|报|台|网))?(?:特派|特约|见习|首席|驻[\u4e00-\u9fff]{1,4})?记者"
             r"|文/图|图/文|(?:文字|文图|图文|撰文|文|图)\s*[/／|｜:：]")
_CORRESPONDENT = r"本报通讯员|特约通讯员|通讯员|实习生|[\u4e00-\u9fff]{0,6}?报道组"
#: A word every byline holds (a cheap test before the full parse).
ROLE_HINT = re.compile(r"记者|通讯员|报道组|实习生|评论员|编辑部|评论部|调研组|课题组|采访组|撰文|[文图]\s*[/／|｜:：]")
ROLE = re.compile(rf"(?P<rep>{_REPORTER})|(?P<cor>{_CORRESPONDENT})")
LONE_ROLE = re.compile(rf"^(?:{_REPORTER}|{_CORRESPONDENT})$")
_SEPARATORS = re.compile(r"[\s\u3000、，,；;/]+")
_NAME = re.compile(r"^[\u4e00-\u9fff·•]{2,6}$")
# A byline in a newsroom's own name: 本报评论员, 人民日报评论员, 本报编辑部, 新华社评论员, 本报调研组.
COLLECTIVE = re.compile(r"^(?:本报|[\u4e00-\u9fff]{1,6}?(?:社|报|台|网))?(?:特约)?"
                        r"(?:评论员|编辑部|评论部|调研组|课题组|联合调研组|采访组|报道组)$")
#: Marks set before a byline (□ 李洪兴, ◎ 文/张三) or a list's item (● 城市更新…): not text.
MARKS = "□■◎●○◆◇▲△▼▽★☆◼◻▪▫•▌▍|｜"
_ORNAMENT = re.compile(rf"^[{re.escape(MARKS)}]+\s*")


def without_mark(text: str) -> str:
    """``text`` without a mark set before it (□本报记者 张三 -> 本报记者 张三)."""
    return _ORNAMENT.sub("", text.strip())
#: A word the dictionary has seen this often is a word, not a name (金融, 高速, 江南).
COMMON_WORD = 20


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
    t = without_mark(text).strip("()（）").strip()
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
        if m.group("rep") and not credits.role:
            credits.role = m.group("rep").rstrip(" /／|｜:：")
    if not credits.authors and not credits.correspondents:
        return None
    return credits


def parse_bare_names(text: str) -> list[str] | None:
    """A line that is only names (``李洪兴``, ``熊  丽``, ``原韬雄  高  炳``): the names, or None.

    Whether such a line is a byline depends on where it stands (under a headline, at a
    story's end); this only says it has the shape of one.  A name-shaped common word
    (金融, 江南) is not taken, unless it is set as a padded two-character name (熊  丽).
    """
    from converters import segment

    t = without_mark(text)
    if not t or len(t) > 24 or not is_cjk(t[0]):
        return None
    if COLLECTIVE.match(t):
        return [t]
    names = split_names(t)
    if not names or len(names) > 4:
        return None
    padded = {a + b for a, b in re.findall(r"([\u4e00-\u9fff])[\s\u3000]+([\u4e00-\u9fff])(?![\u4e00-\u9fff])", t)}
    for n in names:
        if n not in padded and "·" not in n and segment.word_freq(n) >= COMMON_WORD:
            return None
    return names


def parse_closing_credits(text: str) -> Credits | None:
    """``（本报记者吴储岐、韩俊杰）`` or ``（李洪兴）``: credits in brackets closing a story."""
    t = text.strip()
    if len(t) < 4 or t[0] not in "(（" or t[-1] not in ")）" or any(c in t[1:-1] for c in "()（）"):
        return None
    inner = t[1:-1].strip()
    c = parse_credits(inner)
    if c is not None:
        return c
    names = parse_bare_names(inner)
    return Credits(authors=names) if names else None


def is_lone_role(text: str) -> bool:
    """``本报记者`` alone: the names follow one per line (a byline set vertically)."""
    return bool(LONE_ROLE.match(text.strip()))


def role_is_reporter(text: str) -> bool:
    m = ROLE.match(text.strip())
    return bool(m and m.group("rep"))
