"""Issue 12, item 6: line and paragraph separators, controls and format characters (bidi
overrides, zero-width characters) in typed text. They are normalised where text comes in (the
forms, the answers parser: ``sbd_tool.text.clean_input``), and every renderer copes with
whatever is stored already: no document answers 500, and no bidi control reaches a document."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import re
import unicodedata
import zipfile

import openpyxl
import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree
from sqlalchemy import select, update

from sbd_tool.answers.read import Diagram, Element, Flow, Zone, parse_answers
from sbd_tool.content import Catalogue
from sbd_tool.diagram.draw import to_png, to_svg
from sbd_tool.diagram.layout import layout
from sbd_tool.document import build_document, render_docx
from sbd_tool.document.compliance import compliance_xlsx
from sbd_tool.document.text_render import render_html, render_markdown
from sbd_tool.engine.rules import evaluate
from sbd_tool.storage.models import Project, Revision
from sbd_tool.text import clean_input, has_line_break, one_line
from tests.conftest import example_data
from tests.web.test_review import import_example
from tests.web.test_shares import create_link
from tests.web.test_wizard import Controls, diagram_form, save

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# What an outside probe typed into a diagram label: a paragraph separator, a line separator,
# an override that turns "txt.exe" into "exe.txt" on screen, and zero-width characters.
HOSTILE = "受付\u2029サーバ\u2028\u202eexe.txt\u202c\u200b\u2066隔離\u2069\x85\x0b終"
SHOWN = "受付 サーバ exe.txt隔離終"  # one line, nothing invisible left
FORMAT_CHARS = re.compile(f"[{BIDI}{ZERO_WIDTH}\u2028\u2029]")


def test_the_normaliser() -> None:
    assert one_line(HOSTILE) == SHOWN
    assert clean_input(HOSTILE) == "受付\nサーバ\nexe.txt隔離終"  # multi-line: separators are newlines
    assert clean_input("a\r\nb\rc\u2028d\u2029e") == "a\nb\nc\nd\ne"
    assert one_line("a\r\nb\tc") == "a b c"
    # Emoji built with a joiner keep it in multi-line text; a name loses every format character.
    assert clean_input("👩🏽\u200d💻\u202e") == "👩🏽\u200d💻"
    assert one_line("👩🏽\u200d💻") == "👩🏽💻"
    for ch in map(chr, range(0x110000)):  # every format character this Python knows, as of its Unicode
        if unicodedata.category(ch) == "Cf":
            assert one_line(f"a{ch}b") == "ab", f"U+{ord(ch):04X}"
            if ch not in "\u200c\u200d":
                assert clean_input(f"a{ch}b") == "ab", f"U+{ord(ch):04X}"
    assert all(has_line_break(f"a{ch}b") for ch in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
    assert not has_line_break("a\tb\u200bc")


def hostile_answers_data() -> dict:
    data = example_data("citizen-portal")
    data["project"]["name"] = "電子申請" + HOSTILE
    data["project"]["organisation"] = "\u202eデジタル庁"
    data["project"]["purpose"] = "目的\u2029" + HOSTILE
    for item in (*data["diagram"]["zones"], *data["diagram"]["elements"]):
        item["label"] += HOSTILE
    return data


def assert_clean(text: str, what: str) -> None:
    found = FORMAT_CHARS.findall(text)
    assert not found, f"{what}: {[f'U+{ord(c):04X}' for c in found]}"


def documents_text(model) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Every output of a document model, as text to search."""
    out: dict[str, str] = {}
    with zipfile.ZipFile(io.BytesIO(render_docx(model))) as package:
        out["docx"] = "".join(etree.fromstring(package.read("word/document.xml")).itertext())
        out["docx core"] = "".join(etree.fromstring(package.read("docProps/core.xml")).itertext())
    sheet = openpyxl.load_workbook(io.BytesIO(compliance_xlsx(model))).active
    out["xlsx"] = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    out["html"] = render_html(model)
    out["md"] = render_markdown(model)
    return out


def test_parsed_answers_are_normalised(catalogue: Catalogue) -> None:
    answers = parse_answers(hostile_answers_data(), catalogue)
    assert answers.project.name == "電子申請" + SHOWN
    assert answers.project.organisation == "デジタル庁"
    assert answers.project.purpose == "目的\n受付\nサーバ\nexe.txt隔離終"
    assert answers.diagram is not None
    assert all(e.label.endswith(SHOWN) for e in answers.diagram.elements)


def test_every_document_of_a_project_with_separators_in_labels(catalogue: Catalogue) -> None:
    answers = parse_answers(hostile_answers_data(), catalogue)
    model = build_document(catalogue, answers, evaluate(catalogue, answers), dt.date(2026, 11, 24))
    assert model.diagram_png is not None
    for kind, text in documents_text(model).items():
        assert_clean(text, kind)
        shown = re.sub(r"\\(.)", r"\1", text) if kind == "md" else text  # Markdown escapes show as typed
        assert "exe.txt隔離終" in shown, kind


def test_renderers_cope_with_text_that_never_went_through_the_parser(catalogue: Catalogue) -> None:
    """What is already stored, or comes from anywhere else, is cleaned by each renderer itself."""
    diagram = Diagram(
        (Zone("Z1", "internet", "外部" + HOSTILE),),
        (Element("E1", "server", "サーバ" + HOSTILE, "Z1"), Element("E2", "terminal", HOSTILE + "\n改行\t", "Z1")),
        (Flow("F1\u2029", "E1", "E2"),),
    )
    drawn = layout(catalogue, diagram)
    assert to_png(drawn).startswith(b"\x89PNG")
    svg = to_svg(drawn)
    assert_clean(svg, "svg")
    etree.fromstring(svg.encode())
    answers = parse_answers(example_data("citizen-portal"), catalogue)
    model = build_document(catalogue, answers, evaluate(catalogue, answers), dt.date(2026, 11, 24))
    tasks = dataclasses.replace(model.tasks, rows=((HOSTILE, HOSTILE, "内容" + HOSTILE),))
    model = dataclasses.replace(
        model, title="表題" + HOSTILE, organisation=HOSTILE, purpose=HOSTILE + "\r\n次", tasks=tasks
    )
    for kind, text in documents_text(model).items():
        assert_clean(text, kind)


# ---------------------------------------------------------------- the web


def _store_raw(app: Flask, pid: int, answers: dict) -> None:
    """Put answers into the database as they might have been stored before the rule existed."""
    with app.extensions["sbd"]["sessions"]() as session:
        session.execute(update(Project).where(Project.id == pid).values(answers=answers))
        session.execute(update(Revision).where(Revision.project_id == pid).values(answers=answers))
        session.commit()
        assert session.scalar(select(Project.answers).where(Project.id == pid)) == answers


def test_stored_separators_never_break_a_page_or_a_download(app: Flask, client: FlaskClient) -> None:
    pid = import_example(client)
    token = create_link(client, pid)
    stored = hostile_answers_data()
    stored["document"]["date"] = str(stored["document"]["date"])
    _store_raw(app, pid, stored)
    for url in (
        f"/projects/{pid}/spec.docx",
        f"/projects/{pid}/compliance.xlsx",
        f"/projects/{pid}/spec.html",
        f"/projects/{pid}/spec.md",
        f"/projects/{pid}/revisions/1/spec.docx",
        f"/projects/{pid}/revisions/1/spec.html",
        f"/projects/{pid}/steps/diagram",
        f"/projects/{pid}/steps/output",
        "/",
        token,
        token + "/compliance.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        if url.endswith((".html", ".md")):
            assert_clean(response.data.decode(), url)
    with zipfile.ZipFile(io.BytesIO(client.get(f"/projects/{pid}/spec.docx").data)) as package:
        assert_clean("".join(etree.fromstring(package.read("word/document.xml")).itertext()), "docx")


def _diagram_form(client: FlaskClient, pid: int, label: str) -> dict[str, str]:
    values = diagram_form(client.get(f"/projects/{pid}/steps/diagram").data.decode())
    return {**values, "elements-0-label": label}


def test_the_wizard_refuses_a_line_break_in_a_label_and_drops_format_characters(client: FlaskClient) -> None:
    pid = import_example(client)
    refused = save(client, pid, "diagram", _diagram_form(client, pid, "受付\u2029サーバ"))
    assert refused.status_code == 400
    assert "改行は入力できません" in refused.data.decode()
    saved = save(client, pid, "diagram", _diagram_form(client, pid, "\u202e受付\u200bサーバ"))
    assert saved.status_code == 302, saved.data.decode()[:3000]
    exported = client.get(f"/projects/{pid}/export").data.decode()
    assert "受付サーバ" in exported and "\u202e" not in exported and "\u200b" not in exported


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\r\n"])
def test_a_separator_in_a_multi_line_field_becomes_a_newline(client: FlaskClient, separator: str) -> None:
    pid = import_example(client)
    page = client.get(f"/projects/{pid}/steps/purpose").data.decode()
    values = {**Controls(page).texts, **Controls(page).selected}
    inputs = re.findall(r'<input id="[^"]+" name="([^"]+)"[^>]*type="(?:text|hidden)" value="([^"]*)"', page)
    values.update({name: html.unescape(value) for name, value in inputs})
    values["purpose"] = f"一行目{separator}二行目\u202e"
    assert save(client, pid, "purpose", values).status_code == 302
    assert yaml.safe_load(client.get(f"/projects/{pid}/export").data)["project"]["purpose"] == "一行目\n二行目"
