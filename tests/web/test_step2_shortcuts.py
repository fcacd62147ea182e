"""Step 2's shortcuts without JavaScript (issue 17): copy a row, add a task's rows to other tasks,
apply a task's means to every task; and the classification definitions on the page.

The buttons submit ``row:copy|merge|fill`` actions that ``sbd_tool.web.wizard.rows`` applies to the
form as typed: nothing is saved until 保存, and the answers file keeps its format (answers@1).
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import yaml
from flask.testing import FlaskClient

from sbd_tool.answers.read import parse_answers
from sbd_tool.web.wizard.rows import apply_row_action
from tests.web.test_wizard import CATALOGUE, Controls, features, new_project, save, step1, version


def project_at_step2(client: FlaskClient) -> int:
    pid = new_project(client)
    assert save(client, pid, "purpose", step1()).status_code == 302
    return pid


def act(client: FlaskClient, pid: int, data: dict[str, Any], action: str) -> str:
    page = client.get(f"/projects/{pid}/steps/features").data
    response = client.post(
        f"/projects/{pid}/steps/features",
        data={**data, "version": version(page), "action": action},
        follow_redirects=True,
    )
    assert response.status_code == 200
    return response.data.decode()


class TextValues(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("type") == "text" and a.get("name"):
            self.values[a["name"] or ""] = a.get("value") or ""


def value(page: str, name: str) -> str | None:
    """The text in the named field as the browser shows it; None when there is no such field."""
    return TextValues(page).values.get(name)


def test_copy_a_row_keeps_its_classification(client: FlaskClient) -> None:
    pid = project_at_step2(client)
    page = act(client, pid, features(), "row:copy:tasks:0:information:0")
    chosen = Controls(page).selected
    assert value(page, "tasks-0-information-1-name") == "申請データ"
    assert [chosen[f"tasks-0-information-1-{k}"] for k in ("confidentiality", "integrity", "availability", "pii")] == [
        "2",
        "2",
        "1",
        "sensitive",
    ]
    assert "申請データ" not in client.get(f"/projects/{pid}/export").data.decode(), "a row action saves nothing"


def test_a_task_is_added_to_the_other_tasks_without_losing_theirs(client: FlaskClient) -> None:
    pid = project_at_step2(client)
    data = {**features(), "tasks-1-means": "office_lan"}
    page = act(client, pid, data, "row:merge:tasks:0:all")
    controls = Controls(page)
    assert [value(page, f"tasks-1-subjects-{n}-name") for n in range(3)] == ["審査職員", "国民", None]
    assert controls.selected["tasks-1-subjects-1-kind"] == "public"
    assert [value(page, f"tasks-1-information-{n}-name") for n in range(3)] == ["審査記録", "申請データ", None]
    assert controls.selected["tasks-1-information-1-pii"] == "sensitive"
    assert controls.checked["tasks-1-means"] == ["office_lan", "internet"]
    # What the page now shows saves as an ordinary answers@1 file.
    merged = {
        **data,
        "tasks-1-subjects-1-name": "国民",
        "tasks-1-subjects-1-kind": "public",
        "tasks-1-information-1-name": "申請データ",
        "tasks-1-information-1-confidentiality": "2",
        "tasks-1-information-1-integrity": "2",
        "tasks-1-information-1-availability": "1",
        "tasks-1-information-1-pii": "sensitive",
        "tasks-1-means": controls.checked["tasks-1-means"],
    }
    assert save(client, pid, "features", merged).status_code == 302
    stored = yaml.safe_load(client.get(f"/projects/{pid}/export").data)
    assert stored["format"] == "sbd-tool/answers@1"
    parse_answers(stored, CATALOGUE, partial=True)
    second = stored["project"]["tasks"][1]
    assert [s["name"] for s in second["subjects"]] == ["審査職員", "国民"]
    assert second["means"] == ["office_lan", "internet"]


def test_a_task_is_added_to_one_chosen_task(client: FlaskClient) -> None:
    pid = project_at_step2(client)
    page = act(client, pid, features(), "row:merge:tasks:1:0")
    assert [value(page, f"tasks-0-subjects-{n}-name") for n in range(3)] == ["国民", "審査職員", None]
    assert value(page, "tasks-1-subjects-1-name") is None, "the source task is unchanged"


def test_means_applied_to_every_task(client: FlaskClient) -> None:
    pid = project_at_step2(client)
    data = {**features(), "tasks-0-means": ["internet", "email"], "tasks-1-means": "office_lan"}
    checked = Controls(act(client, pid, data, "row:fill:tasks:0:means")).checked
    assert checked["tasks-0-means"] == checked["tasks-1-means"] == ["internet", "email"]


def test_the_classification_definitions_are_where_levels_are_chosen(client: FlaskClient) -> None:
    pid = project_at_step2(client)
    page = client.get(f"/projects/{pid}/steps/features").data.decode()
    assert page.count("機密性・完全性・可用性の格付の定義") == 2  # one per task
    for axis in CATALOGUE.steps.matrix.classifications:
        for option in axis.classes:
            assert f'<th scope="row">{option.label}</th><td>{option.help}</td>' in page
    client.get("/lang/en")
    english = client.get(f"/projects/{pid}/steps/features").data.decode()
    assert "Definitions of the confidentiality, integrity and availability classes" in english
    assert "Information requiring the confidentiality of a classified document." in english
    assert "Add subjects, information and means to every other task" in english


# ---------------------------------------------------------------- the row actions as data


def tasks(*rows: dict[str, Any]) -> dict[str, Any]:
    return {"tasks": list(rows)}


def test_merge_adds_only_what_the_target_lacks() -> None:
    source = {"id": "T1", "subjects": [{"name": "国民", "kind": "public"}, {"name": "職員", "kind": "staff"}],
              "information": [{"name": ""}], "means": ["internet"]}  # fmt: skip
    target = {"id": "T2", "subjects": [{"name": "職員", "kind": "partner"}, {"name": " "}],
              "information": [{"name": "記録", "pii": "pii"}], "means": ["office_lan", "internet"]}  # fmt: skip
    result = apply_row_action(tasks(source, target), "row:merge:tasks:0:1")["tasks"]
    assert result[0] == source
    assert result[1] == {
        "id": "T2",
        "subjects": [{"name": "職員", "kind": "partner"}, {"name": "国民", "kind": "public"}],
        "information": [{"name": "記録", "pii": "pii"}],
        "means": ["office_lan", "internet"],
    }
    again = apply_row_action({"tasks": result}, "row:merge:tasks:0:all")["tasks"]
    assert again == result, "adding twice adds nothing more"


def test_row_actions_refuse_nonsense_quietly() -> None:
    data = tasks({"id": "T1", "means": ["internet"]}, {"id": "T2", "means": []})
    for action in (
        "row:merge:tasks:0:0",
        "row:merge:tasks:0:-1",
        "row:merge:tasks:0:9",
        "row:merge:tasks:9:all",
        "row:fill:tasks:0:id",
        "row:fill:tasks:5:means",
        "row:copy:tasks:0:subjects:3",
    ):
        assert apply_row_action(data, action) == data, action
    copied = apply_row_action(data, "row:copy:tasks:1")["tasks"]
    assert [t["id"] for t in copied] == ["T1", "T2", "T3"], "a copied row with an id gets a free one"
