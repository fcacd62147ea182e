"""Issue 12, hardening: text typed by users never becomes a link in the exported spec. The
Markdown export breaks what renderers autolink (GFM's www. and http(s):// links and e-mail
addresses, linkify's bare domains) with an escaped character, which shows as typed; the HTML
page never has a link at all."""

from __future__ import annotations

import datetime as dt
import re

from sbd_tool.answers.read import parse_answers
from sbd_tool.content import Catalogue
from sbd_tool.document import build_document
from sbd_tool.document.text_render import _md_text, render_html, render_markdown
from sbd_tool.engine.rules import evaluate
from tests.conftest import example_data

URLS = [
    "https://evil.example/login?next=/",
    "http://phish.example.com",
    "www.x.jp",
    "ftp://files.example.org/a",
    "admin@evil.example",
    "mailto:admin@evil.example",
    "evil.go.jp",
    "WWW.EVIL.JP",
]
# What GFM (cmark-gfm's autolink extension) and markdown-it's linkify would turn into a link,
# written as patterns over the Markdown source: an escape (\. \: \@) breaks each of them.
AUTOLINKS = [
    re.compile(r"(?i)(?:^|[\s*_~(|>　-〿＀-￯])www\.[\w-]"),  # www.example
    re.compile(r"(?i)\b(?:https?|ftp)://"),  # http://, https://, ftp://
    re.compile(r"(?i)\b(?:mailto|xmpp):\w"),  # mailto:, xmpp:
    re.compile(r"[\w.+-]+@[\w-]+\.\w"),  # user@host.tld
    re.compile(r"(?i)\b[a-z0-9-]+\.(?:com|org|net|jp|example|io)\b"),  # bare domains (linkify's fuzzy links)
]


def autolinks(markdown: str) -> list[str]:
    return [m.group() for pattern in AUTOLINKS for m in pattern.finditer(markdown)]


def test_each_url_shape_is_broken_and_shows_as_typed() -> None:
    for url in URLS:
        escaped = _md_text(f"詳細は {url} を参照")
        assert not autolinks(escaped), (url, escaped)
        # A backslash before punctuation shows as the punctuation: the reader sees the URL as typed.
        assert re.sub(r"\\(.)", r"\1", escaped) == f"詳細は {url} を参照"
    assert _md_text("バージョン 1.5 の 10:00 から") == "バージョン 1.5 の 10:00 から"  # numbers stay as they are


def test_the_markdown_export_has_no_link_from_user_text(catalogue: Catalogue) -> None:
    data = example_data("citizen-portal")
    data["project"]["name"] = "電子申請 https://evil.example"
    data["project"]["purpose"] = "\n".join(f"参照: {url}" for url in URLS)
    data["project"]["tasks"][0]["name"] = "www.x.jp で受付"
    data["diagram"]["elements"][0]["label"] = "admin@evil.example"
    data["decisions"] = {"AU-1": {"level": "high", "reason": "http://phish.example.com の指示による"}}
    answers = parse_answers(data, catalogue)
    model = build_document(catalogue, answers, evaluate(catalogue, answers), dt.date(2026, 11, 24))
    markdown = render_markdown(model)
    found = [link for link in autolinks(markdown) if not link.startswith("data:")]
    assert found == [], found
    assert "電子申請 https\\://evil\\.example" in markdown
    page = render_html(model)
    assert "<a " not in page and "href" not in page
    assert "https://evil.example" in page  # shown as text
