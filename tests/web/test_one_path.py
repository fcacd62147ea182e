"""One readiness verdict: every route that serves a document refuses exactly what the CLI refuses.

The same answers go to ``sbd-tool generate``/``matrix`` and, as a project, to every download of
the wizard, the review page and the bidder page; each is either served everywhere or nowhere.
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from sbd_tool.cli import main
from tests.conftest import example_data
from tests.web.test_shares import create_link


def _empty() -> dict[str, Any]:
    return {"format": "sbd-tool/answers@1", "project": {"tasks": []}, "answers": {}}


def _one_question_missing() -> dict[str, Any]:
    data = copy.deepcopy(example_data("citizen-portal"))
    del data["answers"]["hours"]
    return data


def _lowered_without_reason() -> dict[str, Any]:
    data = copy.deepcopy(example_data("citizen-portal"))
    data["decisions"]["AC-2"]["reason"] = ""
    return data


def _no_purpose() -> dict[str, Any]:
    data = copy.deepcopy(example_data("citizen-portal"))
    data["project"]["purpose"] = ""
    return data


CASES = {
    "empty": (_empty, False),
    "one question missing": (_one_question_missing, False),
    "lowered without reason": (_lowered_without_reason, False),
    "no purpose": (_no_purpose, False),
    "complete": (lambda: copy.deepcopy(example_data("citizen-portal")), True),
}


def _cli_accepts(data: dict[str, Any], tmp_path: Path) -> bool:
    source = tmp_path / "answers.json"
    source.write_text(json.dumps(data, default=str, ensure_ascii=False), encoding="utf-8")
    results = [
        CliRunner().invoke(main, ["generate", str(source), "-o", str(tmp_path / "spec.docx")]).exit_code,
        CliRunner().invoke(main, ["generate", str(source), "-o", str(tmp_path / "spec.md")]).exit_code,
        CliRunner().invoke(main, ["matrix", str(source), "-o", str(tmp_path / "matrix.xlsx")]).exit_code,
    ]
    assert set(results) in ({0}, {2}), results
    return results[0] == 0


def _import(client: FlaskClient, data: dict[str, Any]) -> int:
    body = json.dumps(data, default=str, ensure_ascii=False).encode("utf-8")
    response = client.post("/projects/import", data={"file": (io.BytesIO(body), "answers.json")})
    assert response.status_code == 302, response.data.decode()[:2000]
    return int(response.headers["Location"].split("/")[2])


def _served(client: FlaskClient, app: Flask, pid: int) -> dict[str, bool]:
    served = {}
    for path in ("spec.docx", "spec.md", "spec.html", "compliance.xlsx"):
        response = client.get(f"/projects/{pid}/{path}")
        assert response.status_code in (200, 302), (path, response.status_code)
        served[f"wizard {path}"] = response.status_code == 200
    for path in ("spec.docx", "spec.html"):
        response = client.get(f"/projects/{pid}/revisions/1/{path}")
        assert response.status_code in (200, 409), (path, response.status_code)
        served[f"revision {path}"] = response.status_code == 200
    token = create_link(client, pid)
    bidder = app.test_client()
    page = bidder.get(token)
    served["bidder page"] = page.status_code == 200 and "対応表（Excel）" in page.data.decode()
    served["bidder xlsx"] = bidder.get(f"{token}/compliance.xlsx").status_code == 200
    return served


@pytest.mark.parametrize("case", list(CASES))
def test_every_document_route_refuses_what_the_cli_refuses(
    case: str, client: FlaskClient, app: Flask, tmp_path: Path
) -> None:
    make, expected = CASES[case]
    data = make()
    assert _cli_accepts(data, tmp_path) is expected
    served = _served(client, app, _import(client, data))
    assert served == {route: expected for route in served}, served


def test_a_brand_new_project_downloads_nothing(client: FlaskClient) -> None:
    created = client.post("/projects", data={"name": "新しいシステム"})
    pid = int(created.headers["Location"].split("/")[2])
    for path in ("spec.docx", "spec.md", "spec.html", "compliance.xlsx"):
        response = client.get(f"/projects/{pid}/{path}")
        assert response.status_code == 302 and response.headers["Location"].endswith("/steps/output"), path
    page = client.get(f"/projects/{pid}/steps/output").data.decode()
    assert "一式（Word）" not in page and "仕様書に貼り付ける節（Word）" not in page
    assert "「調達の目的」を入力してください" in page, "step 7 lists what is missing"
