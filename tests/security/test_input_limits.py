"""Issue 12, hardening: how many tasks, matrix rows and diagram zones, elements and flows a
project may hold (``sbd_tool.limits``, one place). The answers parser refuses more with a
located message, so does the import; the wizard's forms state the limit as help and refuse a
longer list with the message next to the first row past it."""

from __future__ import annotations

import copy
import html
import io
import re
from typing import Any

import pytest
import yaml
from flask.testing import FlaskClient

from sbd_tool import limits
from sbd_tool.answers.read import AnswersError, parse_answers
from sbd_tool.content import Catalogue
from tests.conftest import MINIMAL
from tests.web.test_review import import_example
from tests.web.test_wizard import Controls, version


def tasks(n: int, subjects: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "id": f"T{i}",
            "name": f"業務{i}",
            "subjects": [{"name": f"主体{i}-{j}", "kind": "staff"} for j in range(subjects)],
        }
        for i in range(1, n + 1)
    ]


def diagram(zones: int = 1, elements: int = 2, flows: int = 0) -> dict[str, Any]:
    return {
        "zones": [{"id": f"Z{i}", "kind": "office_lan", "label": f"区域{i}"} for i in range(1, zones + 1)],
        "elements": [
            {"id": f"E{i}", "kind": "server", "label": f"要素{i}", "zone": "Z1"} for i in range(1, elements + 1)
        ],
        "flows": [{"id": f"F{i}", "from": "E1", "to": "E2"} for i in range(1, flows + 1)],
    }


def data_with(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(MINIMAL)
    if "tasks" in changes:
        data["project"]["tasks"] = changes["tasks"]
    if "diagram" in changes:
        data["diagram"] = changes["diagram"]
    return data


def problems(data: dict[str, Any], catalogue: Catalogue) -> list[str]:
    with pytest.raises(AnswersError) as caught:
        parse_answers(data, catalogue, partial=True)
    return [str(p) for p in caught.value.problems]


def test_the_limits_are_set_in_one_place() -> None:
    assert (limits.MAX_TASKS, limits.MAX_MATRIX_ROWS) == (50, 200)
    assert (limits.MAX_DIAGRAM_ZONES, limits.MAX_DIAGRAM_ELEMENTS, limits.MAX_DIAGRAM_FLOWS) == (50, 300, 600)
    from sbd_tool.answers import read as answers

    assert answers.MAX_DIAGRAM_ELEMENTS == 300 and answers.MAX_DIAGRAM_FLOWS == 600  # what the step-3 page states


def test_at_the_limits_a_project_is_accepted(catalogue: Catalogue) -> None:
    parse_answers(data_with(tasks=tasks(50, subjects=4)), catalogue, partial=True)  # 200 matrix rows
    parse_answers(data_with(diagram=diagram(zones=50, elements=300, flows=600)), catalogue, partial=True)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"tasks": tasks(51)}, "project.tasks: 業務は50件までにしてください（51件あります）"),
        (
            {"tasks": tasks(40, subjects=5) + [{"id": "T41", "name": "業務41", "information": [{"name": "情報"}]}]},
            "project.tasks[40].information[0]: "
            "主体と情報（すべての業務の合計）は200行までにしてください（201行あります）",
        ),
        ({"diagram": diagram(zones=51)}, "diagram.zones: システム概要図の区域は50個までにしてください（51個あります）"),
        (
            {"diagram": diagram(elements=301)},
            "diagram.elements: システム概要図の要素は300個までにしてください（301個あります）",
        ),
        (
            {"diagram": diagram(flows=601)},
            "diagram.flows: システム概要図の情報の流れは600本までにしてください（601本あります）",
        ),
    ],
    ids=["tasks", "matrix rows", "zones", "elements", "flows"],
)
def test_the_parser_refuses_more_with_a_located_message(
    catalogue: Catalogue, changes: dict[str, Any], expected: str
) -> None:
    assert expected in problems(data_with(**changes), catalogue)


def test_the_import_says_the_limit(client: FlaskClient) -> None:
    data = data_with(tasks=tasks(60), diagram=diagram(elements=400))
    raw = yaml.safe_dump(data, allow_unicode=True).encode()
    response = client.post("/projects/import", data={"file": (io.BytesIO(raw), "big.yaml")})
    page = html.unescape(response.data.decode())
    assert response.status_code == 400
    assert "project.tasks: 業務は50件までにしてください（60件あります）" in page
    assert "diagram.elements: システム概要図の要素は300個までにしてください（400個あります）" in page


def _page_values(page: str) -> dict[str, str]:
    controls = Controls(page)
    values = {**controls.texts, **controls.selected}
    for name, value in re.findall(r'<input id="[^"]+" name="([^"]+)"[^>]*type="(?:text|hidden)" value="([^"]*)"', page):
        values[name] = html.unescape(value)
    for name, checked in controls.checked.items():
        values[name] = checked[0]
    return values


def test_the_purpose_step_states_and_enforces_the_task_limit(client: FlaskClient) -> None:
    pid = import_example(client)
    page = client.get(f"/projects/{pid}/steps/purpose").data.decode()
    assert "業務は50件まで入力できます。" in page
    values = _page_values(page)
    for i in range(51):
        values[f"tasks-{i}-id"] = values.get(f"tasks-{i}-id", "")
        values[f"tasks-{i}-name"] = f"業務{i}"
        values[f"tasks-{i}-description"] = ""
    response = client.post(f"/projects/{pid}/steps/purpose", data={**values, "version": version(page.encode())})
    shown = html.unescape(response.data.decode())
    assert response.status_code == 400
    assert "業務は50件までです。この行以降を削除するか、まとめてください。" in shown
    values.pop("tasks-50-name")  # 50 tasks: saved
    del values["tasks-50-id"], values["tasks-50-description"]
    page = client.get(f"/projects/{pid}/steps/purpose").data
    assert client.post(f"/projects/{pid}/steps/purpose", data={**values, "version": version(page)}).status_code == 302


def test_the_features_step_states_and_enforces_the_row_limit(client: FlaskClient) -> None:
    pid = import_example(client)
    page = client.get(f"/projects/{pid}/steps/features").data.decode()
    assert "主体と情報（すべての業務の合計）は200行まで入力できます。" in page
    values = _page_values(page)
    for j in range(201):
        values[f"tasks-0-subjects-{j}-name"] = f"主体{j}"
        values[f"tasks-0-subjects-{j}-kind"] = "staff"
    response = client.post(f"/projects/{pid}/steps/features", data={**values, "version": version(page.encode())})
    assert response.status_code == 400
    assert (
        "主体と情報（すべての業務の合計）は200行までです。この行以降を削除するか、まとめてください。"
        in html.unescape(response.data.decode())
    )


def test_the_diagram_step_enforces_the_element_and_flow_limits(client: FlaskClient) -> None:
    pid = import_example(client)
    page = client.get(f"/projects/{pid}/steps/diagram").data.decode()
    values = _page_values(page)
    for i in range(301):
        values[f"elements-{i}-id"] = f"E{i + 1}"
        values[f"elements-{i}-label"] = f"要素{i}"
        values[f"elements-{i}-kind"] = "server"
        values[f"elements-{i}-zone"] = ""
    for i in range(601):
        values[f"flows-{i}-id"] = f"F{i + 1}"
        values[f"flows-{i}-source"] = "E1"
        values[f"flows-{i}-target"] = "E2"
    response = client.post(f"/projects/{pid}/steps/diagram", data={**values, "version": version(page.encode())})
    shown = html.unescape(response.data.decode())
    assert response.status_code == 400
    assert "システム概要図の要素は300個までです。この行以降を削除するか、まとめてください。" in shown
    assert "システム概要図の情報の流れは600本までです。この行以降を削除するか、まとめてください。" in shown
