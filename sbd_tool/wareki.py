"""Japanese era dates (和暦), as government documents write them."""

from __future__ import annotations

import datetime as dt

# (first day, era name), newest first.
ERAS = (
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
    (dt.date(1926, 12, 25), "昭和"),
    (dt.date(1912, 7, 30), "大正"),
    (dt.date(1873, 1, 1), "明治"),
)


def wareki(day: dt.date) -> str:
    """``2026-11-24`` → ``令和8年11月24日``; the first year of an era is written 元年."""
    for start, name in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            return f"{name}{'元' if year == 1 else year}年{day.month}月{day.day}日"
    raise ValueError(f"{day} is before the Meiji calendar reform")
