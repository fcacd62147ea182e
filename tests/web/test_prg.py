"""Issue 17, defect 4: post/redirect/get for every POST that renders a page.

A POST that succeeds answers with a redirect; only a refusal (400 on invalid input, 409 on a
conflict) answers with a page. The wizard's in-form actions (rows without JavaScript, the diagram
generated from step 2) keep their result as the user's draft of the step, which the redirect shows.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from sbd_tool.web.state import project_state
from sbd_tool.web.wizard import forms
from sbd_tool.web.wizard.diagram_rows import set_diagram_choices
from sbd_tool.web.wizard.formpairs import form_pairs
from sbd_tool.web.wizard.loaders import LOADERS
from tests.conftest import example_data
from tests.web.test_review import import_example
from tests.web.test_wizard import CATALOGUE, features, new_project, save, step1, version

STEP_FORMS = {
    "purpose": forms.purpose_form,
    "features": forms.features_form,
    "diagram": forms.diagram_form,
    "questions": forms.questions_form,
    "decisions": forms.decisions_form,
    "output": forms.output_form,
}


@pytest.mark.parametrize("example", ["citizen-portal", "cloud-interagency", "internal-small"])
def test_form_pairs_give_back_the_same_form(app: Flask, example: str) -> None:
    """What the server keeps as a draft is what a browser would post for the same form."""
    answers = json.loads(json.dumps(example_data(example), default=str))
    state = project_state(CATALOGUE, answers, {})
    with app.test_request_context(method="POST"):
        for step, build in STEP_FORMS.items():
            form_class = build(CATALOGUE)
            form = form_class(formdata=None, data=LOADERS[step](CATALOGUE, answers, state), meta={"csrf": False})
            again = form_class(formdata=MultiDict(form_pairs(form)), meta={"csrf": False})
            if step == "diagram":
                set_diagram_choices(CATALOGUE, form, answers)
                set_diagram_choices(CATALOGUE, again, answers)
            assert _blank(again.data) == _blank(form.data), step


def _blank(value: Any) -> Any:
    """Form data with None as the empty text a browser sends for an empty field."""
    if isinstance(value, dict):
        return {k: _blank(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_blank(v) for v in value]
    return "" if value is None else value


def test_row_actions_redirect_to_the_row(client: FlaskClient) -> None:
    pid = new_project(client)
    url = f"/projects/{pid}/steps/purpose"
    base = {**step1(), "version": version(client.get(url).data)}
    added = client.post(url, data={**base, "action": "row:add:tasks"})
    assert added.status_code == 302 and added.headers["Location"].endswith(f"{url}#tasks-2-name")
    page = client.get(url).data.decode()
    assert 'name="tasks-2-name"' in page and 'value="T3"' in page and 'value="申請の受付"' in page
    moved = client.post(url, data={**base, "action": "row:down:tasks:0"})
    assert moved.headers["Location"].endswith("#tasks-1-name")
    page = client.get(url).data.decode()
    assert page.index('value="審査"') < page.index('value="申請の受付"')
    assert "申請の受付" not in client.get(f"/projects/{pid}/export").data.decode(), "row actions never save"


def test_generating_the_diagram_redirects_and_shows_the_unsaved_draft(client: FlaskClient) -> None:
    pid = new_project(client)
    save(client, pid, "purpose", step1())
    save(client, pid, "features", features())
    url = f"/projects/{pid}/steps/diagram"
    generated = client.post(url, data={"version": version(client.get(url).data), "action": "diagram:generate"})
    assert generated.status_code == 302 and generated.headers["Location"].endswith(url)
    page = client.get(url).data.decode()
    assert "業務の特徴から図を作成しました（まだ保存していません）" in page and "<svg" in page
    assert "下書きを破棄する" in page
    assert "diagram" not in yaml.safe_load(client.get(f"/projects/{pid}/export").data)
    again = client.get(url).data.decode()  # a reload shows the same draft: nothing is sent again
    assert re.findall(r'name="elements-\d+-label"', again) == re.findall(r'name="elements-\d+-label"', page)
    client.post(f"{url}/draft/discard")
    assert "業務の特徴から図を作成しました" not in client.get(url).data.decode()


def test_a_row_action_from_a_stale_page_is_a_conflict(client: FlaskClient) -> None:
    pid = new_project(client)
    url = f"/projects/{pid}/steps/purpose"
    stale = version(client.get(url).data)
    assert save(client, pid, "purpose", step1(name="新しい名称")).status_code == 302
    response = client.post(url, data={**step1(), "version": stale, "action": "row:add:tasks"})
    assert response.status_code == 409 and "別の画面（タブ）で先に保存されています" in response.data.decode()


def test_a_step_posted_without_its_fields_is_refused_not_a_server_error(client: FlaskClient) -> None:
    """Found on the way: step 6 posted without its level fields answered 500 (KeyError)."""
    pid = import_example(client)
    for step in ("purpose", "features", "diagram", "questions", "decisions", "output"):
        response = save(client, pid, step, {})
        assert response.status_code in (302, 400), (step, response.status_code)
