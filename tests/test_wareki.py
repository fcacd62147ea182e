import datetime as dt

import pytest

from sbd_tool.wareki import wareki


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 11, 24), "令和8年11月24日"),
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(1989, 1, 8), "平成元年1月8日"),
        (dt.date(1989, 1, 7), "昭和64年1月7日"),
    ],
)
def test_wareki(day: dt.date, text: str) -> None:
    assert wareki(day) == text
