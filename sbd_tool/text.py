"""Free text typed by users, made safe for the formats it ends up in.

``clean_input`` is applied once, where the answers are parsed; ``xml_safe`` once more where text
enters an XML-based file (the .docx, the .xlsx, the HTML page), so that text from anywhere else
(content, parameters, a caller that skipped parsing) cannot break the file either.
"""

from __future__ import annotations

import re

# Everything XML 1.0 cannot carry: C0 controls other than tab, line feed and carriage return,
# lone surrogates, and U+FFFE/U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# What a person never means to type: the above, plus DEL and the C1 controls (NEL, CSI, …).
_NOT_INPUT = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NEWLINE = re.compile("\r\n?")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 does not allow (lxml and openpyxl refuse them)."""
    return _NOT_XML.sub("", text)


def clean_input(text: str) -> str:
    """User input as the tool keeps it: newlines as ``\\n``; control characters (C0 except tab
    and newline, DEL, C1), lone surrogates and U+FFFE/U+FFFF removed. Format characters such
    as U+202E or a zero-width joiner are kept: they are part of what was typed."""
    return _NOT_INPUT.sub("", _NEWLINE.sub("\n", text))
