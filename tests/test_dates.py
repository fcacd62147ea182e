"""Typed dates (issue 17, defect 9): every form an officer writes reads as the same ISO date."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sbd_tool.dates import DateFormatError, normalise_date, parse_date
from sbd_tool.wareki import wareki

DEC_1 = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-01",
        "2026-12-1",
        "2026/12/1",
        "2026/12/01",
        "2026.12.1",
        "2026年12月1日",
        "令和8年12月1日",
        "令和8年12月1日 ",
        "R8.12.1",
        "r8.12.1",
        "R08/12/01",
        "Ｒ８．１２．１",  # full width
        "２０２６／１２／１",
        "２０２６年１２月１日",
        "令和８年１２月１日",
        "㋿8年12月1日",  # the one-character era sign
        " 2026 / 12 / 1 ",
    ],
)
def test_every_usual_form_reads_as_the_same_day(text: str) -> None:
    assert parse_date(text) == DEC_1
    assert normalise_date(text) == "2026-12-01"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("令和1年5月1日", dt.date(2019, 5, 1)),
        ("平成31年4月30日", dt.date(2019, 4, 30)),
        ("H31.4.30", dt.date(2019, 4, 30)),
        ("平成元年1月8日", dt.date(1989, 1, 8)),
        ("S64.1.7", dt.date(1989, 1, 7)),
    ],
)
def test_era_boundaries(text: str, day: dt.date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("平成31年5月1日", "平成の期間にない日付"),  # that day is 令和元年5月1日
        ("令和0年1月1日", "令和の期間にない日付"),
        ("R1.4.30", "令和の期間にない日付"),
        ("2026-02-30", "という日付はありません"),
        ("2026/13/1", "という日付はありません"),
        ("明日", "2026/12/1、令和8年12月1日 又は R8.12.1"),
        ("R8", "を日付として読めません"),
        ("20261201x", "を日付として読めません"),
    ],
)
def test_what_is_not_a_date_is_refused_with_the_reason(text: str, says: str) -> None:
    with pytest.raises(DateFormatError, match=says):
        parse_date(text)
    assert normalise_date(text) == text, "the filter leaves it for the form's own check"


def test_the_filter_leaves_empty_and_other_values_alone() -> None:
    assert normalise_date("") == ""
    assert normalise_date("  ") == "  "
    assert normalise_date(None) is None


days = st.dates(min_value=dt.date(1873, 1, 1), max_value=dt.date(2200, 12, 31))


@given(days)
def test_wareki_reads_back(day: dt.date) -> None:
    assert parse_date(wareki(day)) == day


@given(days)
def test_gregorian_forms_read_back(day: dt.date) -> None:
    for text in (day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}年{day.month}月{day.day}日"):
        assert parse_date(text) == day
        wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
        assert unicodedata.normalize("NFKC", wide) == text
        assert parse_date(wide) == day
