"""Dates as Japanese officers type them: 「2026/12/1」, 「2026年12月1日」, 「令和8年12月1日」, 「R8.12.1」,
with full-width digits too, read into one ``datetime.date`` (stored and exchanged as ISO 8601).

Pure: no Flask, no I/O. An era date must lie inside its era (平成31年4月30日 is a date,
平成31年5月1日 is not: that day is 令和元年5月1日).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from sbd_tool.wareki import ERAS

# Era names and their one-letter abbreviations (as on forms: R8.12.1, H31.4.30).
_ERA_LETTERS = {"R": "令和", "H": "平成", "S": "昭和", "T": "大正", "M": "明治"}
_ERA_START = {name: start for start, name in ERAS}
# The day each era ended on: the first day of the next one (ERAS is newest first).
_ERA_END = {older: newer_start for (newer_start, _newer), (_start, older) in zip(ERAS, ERAS[1:], strict=False)}

_GREGORIAN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_ERA = re.compile(
    r"^(令和|平成|昭和|大正|明治|[RHSTM])\s*(元|\d{1,3})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$"
)


class DateFormatError(ValueError):
    """The text is not a date in any of the accepted forms (the message says which, in Japanese)."""


def parse_date(text: str) -> dt.date:
    """``text`` as a date; raise :class:`DateFormatError` if it is none of the accepted forms.

    >>> parse_date("令和8年12月1日"), parse_date("２０２６／１２／１"), parse_date("R8.12.1")
    (datetime.date(2026, 12, 1), datetime.date(2026, 12, 1), datetime.date(2026, 12, 1))
    """
    value = unicodedata.normalize("NFKC", text).strip().upper()
    value = value.replace("−", "-").replace("ー", "-")
    match = _GREGORIAN.match(value)
    if match:
        return _day(int(match[1]), int(match[2]), int(match[3]), text)
    match = _ERA.match(value)
    if match:
        era = _ERA_LETTERS.get(match[1], match[1])
        year = 1 if match[2] == "元" else int(match[2])
        start = _ERA_START[era]
        day = _day(start.year + year - 1, int(match[3]), int(match[4]), text)
        end = _ERA_END.get(era)
        if year < 1 or day < start or (end is not None and day >= end):
            raise DateFormatError(f"「{text.strip()}」は{era}の期間にない日付です。")
        return day
    raise DateFormatError(
        f"「{text.strip()}」を日付として読めません。"
        "2026-12-01、2026/12/1、令和8年12月1日 又は R8.12.1 の形で入力してください。"
    )


def _day(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateFormatError(f"「{text.strip()}」という日付はありません。") from None


def normalise_date(value: object) -> object:
    """A form filter: typed text that reads as a date becomes ``YYYY-MM-DD``; anything else
    (empty, or not a date) is left as typed, so the form's own check can say what is wrong."""
    if not isinstance(value, str) or not value.strip():
        return value
    try:
        return parse_date(value).isoformat()
    except DateFormatError:
        return value


JST = dt.timezone(dt.timedelta(hours=9))


def japan_time(moment: dt.datetime) -> dt.datetime:
    """A stored time (UTC; naive means UTC) in Japan time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(JST)


def japan_date(moment: dt.datetime) -> dt.date:
    """The date in Japan of a stored UTC time."""
    return japan_time(moment).date()
