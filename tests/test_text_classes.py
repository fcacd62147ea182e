"""The control-character classes of ``sbd_tool.text`` are written as the characters refused (fast
to compile); they must be exactly the complement of the characters allowed (issue 16)."""

from __future__ import annotations

import re

from sbd_tool import text

ALLOWED_XML = re.compile("[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
ALLOWED_INPUT = re.compile("[\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def test_refused_characters_are_the_complement_of_the_allowed_ones() -> None:
    for code in range(0x110000):
        char = chr(code)
        assert bool(text._NOT_XML.match(char)) != bool(ALLOWED_XML.match(char)), hex(code)
        assert bool(text._NOT_INPUT.match(char)) != bool(ALLOWED_INPUT.match(char)), hex(code)
