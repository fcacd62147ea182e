"""Issue 12, item 10: the answers-file import on the projects page. A NUL, a non-finite number
(.inf, .nan), a line end in a one-line text or a key given twice is refused with a located
message (never a 500, which PostgreSQL gave), and what is stored is the cleaned document, never
the raw one."""

from __future__ import annotations

import html
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from sbd_tool.answers.read import AnswersError, parse_answers, read_answers_data
from sbd_tool.content import Catalogue
from sbd_tool.storage.models import Project, Revision
from tests.conftest import ROOT, example_data

EXAMPLE = (ROOT / "examples" / "citizen-portal.yaml").read_text(encoding="utf-8")


def upload(client: FlaskClient, text: str | bytes, name: str = "answers.yaml") -> Any:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return client.post("/projects/import", data={"file": (io.BytesIO(raw), name)}, content_type="multipart/form-data")


def project_count(app: Flask) -> int:
    with app.extensions["sbd"]["sessions"]() as session:
        return int(session.scalar(select(func.count()).select_from(Project)) or 0)


def with_(path: list[str | int], value: Any) -> str:
    """The example with one value replaced, as YAML."""
    data = example_data("citizen-portal")
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


REFUSED = {
    "NUL in a name": (
        with_(["project", "name"], "電子申請\x00ポータル"),
        "project.name: 使えない文字（U+0000）が含まれています",
    ),
    "NUL in a diagram label": (
        with_(["diagram", "elements", 0, "label"], "受付\x00"),
        "diagram.elements[0].label: 使えない文字（U+0000）が含まれています",
    ),
    "NUL in a reason": (
        EXAMPLE.replace("decisions:", 'decisions:\n  AU-1: {level: high, reason: "a\\0b"}', 1),
        "decisions.AU-1.reason: 使えない文字（U+0000）が含まれています",
    ),
    ".inf as a name": (
        with_(["project", "name"], float("inf")),
        "project.name: 数として扱えない値（inf）です",
    ),
    ".nan in a task's description": (
        with_(["project", "tasks", 0, "description"], float("nan")),
        "project.tasks[0].description: 数として扱えない値（nan）です",
    ),
    "-.inf as an element label": (
        with_(["diagram", "elements", 1, "label"], float("-inf")),
        "diagram.elements[1].label: 数として扱えない値（-inf）です",
    ),
    "a newline in a label": (
        with_(["diagram", "zones", 0, "label"], "庁舎内\nLAN"),
        "diagram.zones[0].label: 改行は使えません",
    ),
    "a paragraph separator in a name": (
        with_(["project", "tasks", 0, "subjects", 0, "name"], "申請者\u2029"),
        "project.tasks[0].subjects[0].name: 改行は使えません",
    ),
    "a key given twice": (
        EXAMPLE.replace("  organisation:", "  name: 二つ目の名称\n  organisation:", 1),
        "キー 'name' が2回書かれています（project.name）",
    ),
    "a key given twice in JSON": (
        '{"format": "sbd-tool/answers@1", "format": "sbd-tool/answers@1", "project": {"name": "x"}}',
        "1行目: キー 'format' が2回書かれています（format）",
    ),
}


@pytest.mark.parametrize("payload", list(REFUSED), ids=list(REFUSED))
def test_import_refuses_with_a_located_message(app: Flask, client: FlaskClient, payload: str) -> None:
    document, message = REFUSED[payload]
    response = upload(client, document, "answers.json" if "JSON" in payload else "answers.yaml")
    page = html.unescape(response.data.decode())
    assert response.status_code == 400, page[-2000:]
    assert message in page, page[page.find("problem") - 200 :][:3000]
    assert project_count(app) == 0


def test_import_stores_the_cleaned_document(app: Flask, client: FlaskClient, catalogue: Catalogue) -> None:
    data = example_data("citizen-portal")
    data["project"]["organisation"] = "\u202eデジタル庁\u200b"  # a bidi override, a zero-width space
    data["project"]["purpose"] = "一行目\u2028二行目\r\n三行目\x1b[31m"  # separators, an escape sequence
    data["project"]["tasks"][0]["name"] = 12345  # a number where text is expected: kept as text
    data["diagram"]["elements"][0]["label"] += "\u2066"
    response = upload(client, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert response.status_code == 302, response.data.decode()[-3000:]
    with app.extensions["sbd"]["sessions"]() as session:
        stored = session.scalar(select(Project.answers))
        revision = session.scalar(select(Revision.answers))
    assert stored == revision
    assert stored["project"]["organisation"] == "デジタル庁"
    assert stored["project"]["purpose"] == "一行目\n二行目\n三行目[31m"
    assert stored["project"]["tasks"][0]["name"] == "12345"
    assert not any(ch in json.dumps(stored, ensure_ascii=False) for ch in "\u202e\u200b\u2066\u2028\x1b")
    # The cleaned document is an answers file that passes even the import's own checks.
    assert parse_answers(stored, catalogue, strict=True).project.organisation == "デジタル庁"


def test_every_example_imports_and_reads_back_the_same(client: FlaskClient, catalogue: Catalogue) -> None:
    for name in ("citizen-portal", "internal-small", "cloud-interagency"):
        response = upload(client, (ROOT / "examples" / f"{name}.yaml").read_bytes())
        assert response.status_code == 302, name
        pid = int(response.headers["Location"].split("/")[2])
        exported = yaml.safe_load(client.get(f"/projects/{pid}/export").data)
        assert parse_answers(exported, catalogue) == parse_answers(example_data(name), catalogue), name


def test_strict_parsing_names_every_problem(catalogue: Catalogue) -> None:
    data = example_data("citizen-portal")
    data["project"]["name"] = "a\x00"
    data["project"]["organisation"] = float("nan")
    data["diagram"]["zones"][0]["label"] = "a\rb"
    data["project"]["purpose"] = "複数行は\nここでは使える"
    with pytest.raises(AnswersError) as caught:
        parse_answers(data, catalogue, strict=True)
    where = [p.where for p in caught.value.problems]
    assert where == ["project.name", "project.organisation", "diagram.zones[0].label"]
    # Read back from storage (not strict), the same data is cleaned, never refused.
    answers = parse_answers(data, catalogue)
    assert answers.project.name == "a" and answers.diagram is not None
    assert answers.diagram.zones[0].label == "a b"


def test_a_json_answers_file_with_a_key_given_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text('{"format": "sbd-tool/answers@1", "project": {"name": "a", "name": "b"}}', encoding="utf-8")
    with pytest.raises(AnswersError) as caught:
        read_answers_data(path)
    message = "キー 'name' が2回書かれています。どちらか一方を削除してください"
    assert [p.message for p in caught.value.problems] == [message]
