"""Free text typed by users, made safe for the formats it ends up in.

``clean_input`` is the one normaliser of user text: the web forms apply it as text arrives
(``sbd_tool.web.forms``), the answers parser applies it to every text of an answers file (so an
import and every stored project read back go through it), and the renderers apply it once more
to whatever they are given, so that text stored before a rule existed cannot break a document.
``xml_safe`` removes only what XML cannot carry.
"""

from __future__ import annotations

import re

# Everything XML 1.0 cannot carry: C0 controls other than tab, line feed and carriage return,
# lone surrogates, and U+FFFE/U+FFFF.
# Written as the characters refused, not as the complement of those allowed: the same set (checked
# over every code point), but the negated class over all of Unicode took 3 ms to compile per process.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What a person never means to type: the above, plus DEL and the C1 controls (NEL, CSI, …).
_NOT_INPUT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Line ends: Windows and old Mac newlines, and the Unicode line and paragraph separators, which
# text shapers, Word and Markdown each read differently (and Pillow's shaper fails on).
_NEWLINE = re.compile("\r\n?|[\u2028\u2029]")
# Format characters (Unicode category Cf, as of Unicode 15.1): invisible, and some of them change
# how the text around them is shown: bidi embeddings, overrides and isolates (U+202A–U+202E,
# U+2066–U+2069) make "txt.exe" look like "exe.txt"; zero-width characters hide inside names.
_FORMAT = (
    "\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
_FORMAT_IN_LINE = re.compile(f"[{_FORMAT}]")
# In multi-line text the joiners stay: U+200D (ZWJ) builds emoji such as 👩🏽‍💻, U+200C (ZWNJ) is
# part of the spelling of some scripts; neither changes the order or the look of other text.
_FORMAT_IN_TEXT = re.compile(f"(?![\u200c\u200d])[{_FORMAT}]")
# What ``has_line_break`` looks for: every character Python's ``str.splitlines`` splits at.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 does not allow (lxml and openpyxl refuse them)."""
    return _NOT_XML.sub("", text)


def clean_input(text: str, *, multiline: bool = True) -> str:
    """User text as the tool keeps it.

    Always: control characters (C0 except tab and newline, DEL, C1), lone surrogates and
    U+FFFE/U+FFFF are removed, and \\r\\n, \\r, U+2028 and U+2029 are line ends.

    ``multiline`` (a text area: purpose, description, reason): line ends become ``\\n``; format
    characters are removed except the joiners U+200C/U+200D.

    One line (a name, a label, an id, a title): line ends and tabs become a space; every format
    character is removed, the joiners too, so no name can hide or reorder text in a document.
    Forms and imports refuse a line end in a one-line field (``has_line_break``) before it gets
    here; this is what text stored before that rule, or from any other source, is shown as.
    """
    text = _NEWLINE.sub("\n", text)
    if multiline:
        return _FORMAT_IN_TEXT.sub("", _NOT_INPUT.sub("", text))
    return _FORMAT_IN_LINE.sub("", _NOT_INPUT.sub("", text.replace("\n", " ").replace("\t", " ")))


def one_line(text: str) -> str:
    """``clean_input(text, multiline=False)``: a name or label as it may be shown anywhere."""
    return clean_input(text, multiline=False)


def has_line_break(text: str) -> bool:
    """Whether ``text`` has anything a reader, a shaper or ``str.splitlines`` takes for a line end."""
    return _LINE_BREAK.search(text) is not None
