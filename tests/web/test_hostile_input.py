"""Hostile text typed into the wizard: stored, shown escaped, exported, and written into Word intact."""

from __future__ import annotations

import html
import io
import re

import docx
import openpyxl
import yaml
from flask.testing import FlaskClient

from tests.web.test_review import import_example
from tests.web.test_wizard import Controls, save

HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }} {% raw %}",
    "]]>&amp;&lt;",
    "\u202e右から左\u202c と \u200d 結合子",
    "👩🏽‍💻 絵文字 🏛️",
    "制御\x00文字\x01\x08\x0b\x0c\x1b\x7f\x85あり",
    "改行\r\nCRLF\rCR",
    "長い" * 90,
]


def visible(text: str, *, multiline: bool = True) -> str:
    """What survives: control characters and bidi controls dropped, newlines as \\n; in a
    one-line field the joiner (U+200D) goes too."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e]", "", text)
    return text if multiline else text.replace("\u200d", "")


def test_hostile_text_through_wizard_export_and_word(client: FlaskClient) -> None:
    pid = import_example(client)
    page = client.get(f"/projects/{pid}/steps/purpose").data.decode()
    form = Controls(page)
    values = {**form.texts, **form.selected}
    inputs = re.findall(r'<input id="[^"]+" name="([^"]+)"[^>]*type="(?:text|hidden)" value="([^"]*)"', page)
    values.update({name: html.unescape(value) for name, value in inputs})  # task ids are hidden inputs
    values.update({"name": HOSTILE[0], "organisation": HOSTILE[4], "purpose": "\n".join(HOSTILE)})
    values["tasks-0-name"] = HOSTILE[1]
    response = save(client, pid, "purpose", values)
    assert response.status_code == 302, response.data.decode()[:3000]
    decisions = Controls(client.get(f"/projects/{pid}/steps/decisions").data.decode()).values
    decisions["reason_AT-1"] = HOSTILE[6] + HOSTILE[2] + HOSTILE[3]
    assert save(client, pid, "decisions", decisions).status_code == 302
    client.post(f"/projects/{pid}/comments", data={"body": HOSTILE[1] + HOSTILE[5], "requirement": "AT-1"})

    # Shown escaped everywhere it appears.
    for url in (f"/projects/{pid}/steps/purpose", f"/projects/{pid}/steps/decisions", "/",
                f"/projects/{pid}/review", f"/projects/{pid}/history", f"/projects/{pid}/spec.html"):  # fmt: skip
        shown = client.get(url)
        assert shown.status_code == 200, url
        body = shown.data.decode()
        assert "<script>alert" not in body and "<img src=x" not in body, url
        assert "&lt;script&gt;" in body or "&lt;img" in body, url
        assert "\x00" not in body and "\x1b" not in body, url

    # Stored and exported as typed, minus control characters.
    exported = yaml.safe_load(client.get(f"/projects/{pid}/export").data.decode())
    assert exported["project"]["name"] == HOSTILE[0]
    assert exported["project"]["organisation"] == visible(HOSTILE[4], multiline=False) == "右から左 と  結合子"
    assert exported["project"]["purpose"] == visible("\n".join(HOSTILE))
    assert exported["decisions"]["AT-1"]["reason"] == visible(HOSTILE[6] + HOSTILE[2] + HOSTILE[3])

    # Word and Excel files open, and carry the text.
    document = docx.Document(io.BytesIO(client.get(f"/projects/{pid}/spec.docx").data))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    for piece in (HOSTILE[0], HOSTILE[1], visible(HOSTILE[4]), HOSTILE[5], "制御文字あり", "長い" * 90):
        assert piece in text, piece
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/projects/{pid}/compliance.xlsx").data))
    assert workbook.active.max_row > 10
    assert client.get(f"/projects/{pid}/spec.md").status_code == 200


def test_overlong_text_is_refused_with_a_message_and_kept_in_the_form(client: FlaskClient) -> None:
    pid = import_example(client)
    decisions = Controls(client.get(f"/projects/{pid}/steps/decisions").data.decode()).values
    decisions["reason_AT-1"] = "長" * 2001
    response = save(client, pid, "decisions", decisions)
    assert response.status_code == 400
    text = response.data.decode()
    assert "理由は2000文字以内にしてください。" in text and "長" * 2001 in text
