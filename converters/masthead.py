"""Edition facts printed on the page: the masthead (报头) of a front page and the folio
(版头) of an inner page.  Each function recognises one kind of line and parses it."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from converters.model import Kind

_CN_NUMERALS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                "六": 6, "七": 7, "八": 8, "九": 9}

DATE_LINE = re.compile(
    r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
    r"[\s,，]*(?P<weekday>星期[一二三四五六日天]|周[一二三四五六日天])?"
    r"[\s,，]*(?P<lunar>农历\S{2,14})?\s*$")
LUNAR_LINE = re.compile(r"^农历\S{2,14}$")
ISSUE_LINE = re.compile(r"^(?:今日\s*(?P<pages>\d{1,3})\s*版)?[\s,，]*(?:第\s*(?P<issue>\d{1,6})\s*期)?"
                        r"(?:[\s,，]*[(（]?\s*(?:今日\s*(?P<pages2>\d{1,3})\s*版)\s*[)）]?)?$")
CN_LINE = re.compile(r"(?:出版物号|CN\s*\d{2}\s*[-－]\s*\d{4}|邮发代号)")
CN_NUMBER = re.compile(r"CN\s*(\d{2})\s*[-－]\s*(\d{4})(?:\s*/\s*[A-Z]+)?")
POSTAL = re.compile(r"邮发代号\s*[:：]?\s*(\d{1,2}\s*[-－]\s*\d{1,4})")
#: A paper's name as its masthead sets it (人民日报, 杭州日报, 钱江晚报): taken as one only next to
#: other masthead lines (the date, the issue number).
PAPER_NAME = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:日报|晚报|时报|商报|周报|早报|青年报|法治报|报)$")
LATIN_MASTHEAD = re.compile(r"^[A-Z][A-Z .&'’-]{3,60}$")
FOLIO_PAGE = re.compile(r"^(?:第\s*)?(?P<page>\d{1,3})(?:\s*版)?$")
FOLIO_PAGE_SECTION = re.compile(r"^第?\s*(?P<page>\d{1,3})\s*版[\s:：·]*(?P<section>[\u4e00-\u9fff]{1,8})?$")
SECTION_WORD = re.compile(r"^[\u4e00-\u9fff·]{1,6}$")
#: The page's staff (本版责编：王强　版式设计：赵敏, or in brackets): a line of the page, no story's.
PAGE_STAFF = re.compile(r"^[(（]?(?:本版)?(?:责任编辑|责编|编辑|主编|美术编辑|美编|版式设计|版式|视觉设计|设计|校对|"
                        r"制图|图表|照排|排版)\s*[：:]\s*\S")


def is_page_staff(text: str) -> bool:
    """A line naming the page's staff (short, as such a line is: not a paragraph opening so)."""
    text = text.strip()
    return len(text) <= 80 and PAGE_STAFF.match(text) is not None


def cn_numeral(text: str) -> int | None:
    """'二' -> 2, '十二' -> 12, '二十' -> 20, '12' -> 12."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in _CN_NUMERALS and c not in "十百" for c in text):
        return None
    total, current = 0, 0
    for c in text:
        if c == "百":
            total += (current or 1) * 100
            current = 0
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_NUMERALS[c]
    return total + current


@dataclass
class DateLine:
    date: str
    weekday: str
    lunar: str


def parse_date_line(text: str) -> DateLine | None:
    """A masthead's date line, also when the date cannot be (``2024年3月81日``): the line is
    the masthead's all the same, and :func:`impossible_date` says what is wrong with it, so
    it is reported, never read as the first story's text."""
    m = DATE_LINE.match(text.strip())
    if not m:
        return None
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    return DateLine(f"{y:04d}-{mo:02d}-{d:02d}", m["weekday"] or "", m["lunar"] or "")


def impossible_date(date: str) -> tuple[str, str] | None:
    """Why ``YYYY-MM-DD`` is no day of the calendar, as (中文, English); None for a real day."""
    try:
        y, mo, d = (int(x) for x in date.split("-"))
    except ValueError:
        return ("不是日期", "not a date")
    if y < 1:
        return (f"没有 {y} 年", f"there is no year {y}")
    if not 1 <= mo <= 12:
        return (f"没有 {mo} 月", f"there is no month {mo}")
    days = calendar.monthrange(y, mo)[1]
    if not 1 <= d <= days:
        return (f"{y} 年 {mo} 月只有 {days} 天，没有 {d} 日", f"{y}-{mo:02d} has {days} days, not {d}")
    return None


def date_line_number(blocks: list, date: str) -> tuple[int, str]:
    """(line, text) of the masthead line that printed ``date``; (0, "") when none did."""
    for b in blocks:
        if b.kind is Kind.MASTHEAD and (d := parse_date_line(b.text)) is not None and d.date == date:
            return b.line, b.text
    return 0, ""


def parse_issue_line(text: str) -> tuple[int | None, int | None] | None:
    """'今日4版 第27323期' -> (pages, issue); None when the line is not one."""
    t = text.strip()
    if not t:
        return None
    m = ISSUE_LINE.match(t)
    if not m or not (m["pages"] or m["issue"] or m["pages2"]):
        return None
    pages = m["pages"] or m["pages2"]
    return (int(pages) if pages else None, int(m["issue"]) if m["issue"] else None)


def parse_cn_line(text: str) -> tuple[str, str] | None:
    if not CN_LINE.search(text):
        return None
    cn = CN_NUMBER.search(text)
    postal = POSTAL.search(text)
    return (f"CN {cn.group(1)}-{cn.group(2)}" if cn else "",
            re.sub(r"\s+", "", postal.group(1)).replace("－", "-") if postal else "")
