"""Jinja filters for Chinese dates and page numbers.

Plain functions rather than template macros: an archive renders them hundreds of
thousands of times, and a Jinja macro call costs ten times a filter call.
"""

from __future__ import annotations

import datetime as dt

from epaper_contract import page_label


def date_cn(d: dt.date) -> str:
    """2024-03-17 -> 2024年3月17日"""
    return f"{d.year}年{d.month}月{d.day}日"


def weekday_cn(d: dt.date) -> str:
    """2024-03-17 -> 星期日"""
    return "星期" + "一二三四五六日"[d.weekday()]


def page_cn(n: int) -> str:
    """1 -> 第01版"""
    return f"第{page_label(n)}版"


FILTERS = {"date_cn": date_cn, "weekday_cn": weekday_cn, "page_cn": page_cn}
