"""Step 3 stays small as the diagram grows (issue 16): each element is listed once, in a shared
<datalist>, not once per flow; it still works without JavaScript. Sizes, not timings."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import yaml
from flask import Flask
from flask.testing import FlaskClient

from sbd_tool.storage.models import Project, User
from tests.conftest import example_data
from tests.web.test_wizard import diagram_form, save


def diagram_project(app: Flask, elements: int) -> int:
    """The citizen portal with ``elements`` elements and a flow from each to the portal."""
    data: dict[str, Any] = json.loads(json.dumps(example_data("citizen-portal"), default=str))
    diagram = data["diagram"]
    diagram["elements"], diagram["flows"] = diagram["elements"][:1], []
    for n in range(2, elements + 1):
        diagram["elements"].append({"id": f"E{n}", "kind": "subject", "label": f"利用者{n}", "zone": f"Z{n % 3 + 1}"})
        diagram["flows"].append({"id": f"F{n}", "from": f"E{n}", "to": "E1", "means": "internet"})
    with app.extensions["sbd"]["sessions"]() as session:
        officer = session.query(User).filter_by(username="officer").one()
        project = Project(name="図の大きい案件", answers=copy.deepcopy(data), visited={}, version=1,
                          organisation_id=officer.organisation_id, created_by=officer.id)  # fmt: skip
        session.add(project)
        session.commit()
        return project.id


def step3(client: FlaskClient, pid: int) -> str:
    response = client.get(f"/projects/{pid}/steps/diagram")
    assert response.status_code == 200
    return response.data.decode()


def test_each_element_is_listed_once(app: Flask, client: FlaskClient) -> None:
    page = step3(client, diagram_project(app, 40))
    assert page.count('<option value="E7">') == 1  # in the shared list, not in every flow's ends
    assert re.search(r'<input id="flows-0-source" name="flows-0-source" value="E2" list="choices-elements"', page)
    assert re.search(r'<input id="flows-0-target" name="flows-0-target" value="E1" list="choices-elements"', page)
    assert '<input id="elements-0-zone" name="elements-0-zone" value="Z1" list="choices-zones"' in page
    assert '<datalist id="choices-elements" data-empty="（選択）" data-ref="elements">' in page
    assert '<select id="elements-0-kind"' in page  # a diagram of usual size keeps its selects for fixed lists
    assert "区域は50個まで、要素は300個まで、情報の流れは600本まで" in page  # the limits are stated


def test_a_large_diagram_page_grows_linearly(app: Flask, client: FlaskClient) -> None:
    sizes = {n: len(step3(client, diagram_project(app, n)).encode()) for n in (100, 300)}
    per_row = (sizes[300] - sizes[100]) / 200  # one element, its flow, and both drawn in the SVG
    assert per_row < 3_500, sizes  # was about 41,000 bytes a row with a select of every element per end
    page = step3(client, diagram_project(app, 300))
    assert '<input name="elements-0-kind" value="server" list="choices-kinds"' in page
    assert '<datalist id="choices-means" data-empty="（指定なし）">' in page


def test_a_300_element_page_stays_under_half_a_megabyte(app: Flask, client: FlaskClient) -> None:
    """The largest diagram the form allows: the picture is its own (cacheable) file, not inline."""
    pid = diagram_project(app, 300)
    page = step3(client, pid)
    assert len(page.encode()) < 500_000
    assert "<svg" not in page
    found = re.search(
        r'<img src="([^"]+)" data-diagram-image alt="システム概要図（区域3個、要素300個、情報の流れ299本。', page
    )
    assert found, "the picture has a text alternative that says what it shows"
    picture = client.get(found.group(1).replace("&amp;", "&"))
    assert picture.status_code == 200 and picture.mimetype == "image/svg+xml"
    assert b"<svg" in picture.data and b"\xe5\x88\xa9\xe7\x94\xa8\xe8\x80\x85300" in picture.data  # 利用者300
    again = client.get(found.group(1).replace("&amp;", "&"), headers={"If-None-Match": picture.headers["ETag"]})
    assert again.status_code == 304  # the browser keeps it; a reload costs no drawing
    # Each field still has its accessible name, and saving the page as shown changes nothing.
    assert page.count('の送信元"') == 299 and 'aria-label="F300の利用環境・手段"' in page
    before = yaml.safe_load(client.get(f"/projects/{pid}/export").data)["diagram"]
    data = diagram_form(page)
    assert data["flows-298-source"] == "E300" and data["elements-299-zone"] == "Z1"
    assert save(client, pid, "diagram", data).status_code == 302
    assert yaml.safe_load(client.get(f"/projects/{pid}/export").data)["diagram"] == before


def test_a_large_diagram_as_typed_is_drawn_inline(app: Flask, client: FlaskClient) -> None:
    """A refused save shows what was typed: that drawing (or none), never the stored picture, and the
    field in error keeps its id (what an error links to) and is tied to its message."""
    pid = diagram_project(app, 300)
    data = diagram_form(step3(client, pid)) | {"flows-0-target": "E999"}
    page = save(client, pid, "diagram", data).data.decode()
    assert "data-diagram-image" not in page
    assert '<input id="flows-0-target" name="flows-0-target" value="E999"' in page
    assert 'aria-describedby="flows-0-target-error"' in page and 'id="flows-0-target-error"' in page


def test_typed_references_are_checked_by_the_server(app: Flask, client: FlaskClient) -> None:
    """Without JavaScript the ends of a flow are typed (or picked from the browser's suggestions)."""
    pid = diagram_project(app, 5)
    page = step3(client, pid)
    data = diagram_form(page)
    data |= {"flows-0-target": "E3"}
    assert save(client, pid, "diagram", data).status_code == 302
    stored = yaml.safe_load(client.get(f"/projects/{pid}/export").data)["diagram"]
    assert stored["flows"][0] == {"id": "F2", "from": "E2", "to": "E3", "means": "internet"}
    bad = save(client, pid, "diagram", data | {"flows-1-source": "E99"})
    assert bad.status_code == 400 and 'id="flows-1-source-error"' in bad.data.decode()
