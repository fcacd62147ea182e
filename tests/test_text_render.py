"""The spec as Markdown and HTML: same content and numbering as the Word document."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

from sbd_tool.answers.read import parse_answers
from sbd_tool.content import Catalogue
from sbd_tool.document import build_document
from sbd_tool.document.text_render import render_html, render_markdown
from sbd_tool.engine.rules import evaluate
from tests.conftest import ROOT, example_data
from tests.test_cli import run


def model(catalogue: Catalogue, name: str):  # type: ignore[no-untyped-def]
    answers = parse_answers(example_data(name), catalogue)
    return build_document(catalogue, answers, evaluate(catalogue, answers), dt.date(2026, 11, 24))


def test_markdown_numbers_chapters_requirements_and_clauses(catalogue: Catalogue) -> None:
    m = model(catalogue, "cloud-interagency")
    text = render_markdown(m)
    assert text.startswith("# 行政機関間情報連携基盤　調達仕様書（情報セキュリティ要件）\n")
    chapters = re.findall(r"^## (\d+)\. (.+)$", text, re.M)
    expected = ["調達案件の概要", "業務の特徴", "システム概要図", "前提条件", "セキュリティ要件"]
    assert [c[1] for c in chapters] == [
        *expected,
        "クラウドサービス利用時の要件",
        "入札参加資格（情報セキュリティに係るもの）",
    ]
    assert "##### (1) 通信経路の分離（AT-1・中位）" in text
    first = m.security[0].policies[0].requirements[0]
    assert f"- ア　【必須】{first.clauses[0]}" in text and f"- イ　【必須】{first.clauses[1]}" in text
    assert "![システム概要図](data:image/png;base64," in text
    assert "## 別紙1　対策要件の実装レベル決定表" in text and "| AT-1 | 通信経路の分離 |" in text


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_is_a_standalone_accessible_page(catalogue: Catalogue) -> None:
    page = render_html(model(catalogue, "citizen-portal"))
    outline = _Outline()
    outline.feed(page)
    tags = [t for t, _ in outline.tags]
    assert page.startswith('<!doctype html>\n<html lang="ja">')
    assert tags.count("h1") == 1 and "main" in tags
    assert all(a.get("scope") == "col" for t, a in outline.tags if t == "th")
    images = [a for t, a in outline.tags if t == "img"]
    assert len(images) == 1 and images[0]["alt"] == "システム概要図"
    assert "<h2>5. セキュリティ要件</h2>" in page and "<h5>(1) 通信経路の分離（AT-1・高位）</h5>" in page
    assert "http://" not in page and "https://" not in page  # nothing fetched from elsewhere


def test_generate_picks_the_format_by_suffix(tmp_path: Path) -> None:
    for suffix, start in ((".md", "# "), (".html", "<!doctype html>")):
        out = tmp_path / f"spec{suffix}"
        code, _, _ = run("generate", str(ROOT / "examples" / "internal-small.yaml"), "-o", str(out))
        assert code == 0 and out.read_text(encoding="utf-8").startswith(start)
