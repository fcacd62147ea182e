"""Issue 12 item 5: of several saves from the same version sent at once, exactly one lands and
every other one gets the conflict page (409) with its typed input kept — never a 500."""

from __future__ import annotations

import io
import re
from functools import partial
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from sbd_tool.storage.models import Revision
from tests.accounts import add_user
from tests.security.parallel import signed_in, together
from tests.web.test_catalogue import NEW_CLAUSE, OLD_CLAUSE, admin_client, edited_zip, release_ids
from tests.web.test_review import import_example
from tests.web.test_wizard import Controls, step1, version

TABS = 6
ROUNDS = 3
CONFLICT = "別の画面（タブ）で先に保存されています"


def _race(tabs: list[FlaskClient], url: str, forms: list[dict[str, str]]) -> list[Any]:
    """Every tab posts its form from the same version at once; returns the responses."""
    shown = version(tabs[0].get(url).data)
    sent = [{**form, "version": shown, "action": "save"} for form in forms]
    calls = [partial(tab.post, url, data=data) for tab, data in zip(tabs, sent, strict=True)]
    return together(calls)


def _check(responses: list[Any], marks: list[str]) -> int:
    """One winner (302); every loser 409 with the conflict message and its own input. The winner's index."""
    statuses = [r.status_code for r in responses]
    assert statuses.count(302) == 1, statuses
    for response, mark in zip(responses, marks, strict=True):
        if response.status_code != 302:
            text = response.data.decode()
            assert response.status_code == 409, statuses
            assert CONFLICT in text and mark in text, "the losing save keeps what was typed"
    return statuses.index(302)


def test_parallel_step_saves_lose_with_the_conflict_page(app: Flask) -> None:
    add_user(app, "officer")
    tabs = signed_in(app, "officer", TABS)
    pid = int(tabs[0].post("/projects", data={"name": "競合試験"}).headers["Location"].split("/")[2])
    url = f"/projects/{pid}/steps/purpose"
    for round_ in range(ROUNDS):
        names = [f"第{round_}回のタブ{i}の名称" for i in range(TABS)]
        responses = _race(tabs, url, [step1(name=name) for name in names])
        winner = _check(responses, [f'value="{name}"' for name in names])
        assert names[winner] in tabs[0].get(f"/projects/{pid}/export").data.decode(), "the winner's save is stored"


def test_parallel_level_decisions_lose_with_the_conflict_page(app: Flask) -> None:
    """Step 6 (decisions) goes through the same save: the same guarantee."""
    add_user(app, "officer")
    tabs = signed_in(app, "officer", TABS)
    pid = import_example(tabs[0])
    url = f"/projects/{pid}/steps/decisions"
    base = Controls(tabs[0].get(url).data.decode()).values
    level = next(k for k in base if k.startswith("level_"))
    reason = "reason_" + level.removeprefix("level_")
    for round_ in range(ROUNDS):
        reasons = [f"第{round_}回のタブ{i}の理由" for i in range(TABS)]
        responses = _race(tabs, url, [{**base, reason: text} for text in reasons])
        _check(responses, reasons)


def test_delete_racing_saves_never_fails(app: Flask) -> None:
    """Deleting (a flag, not the content) is no conflict with a save: it always lands."""
    add_user(app, "officer")
    tabs = signed_in(app, "officer", 4)
    pid = int(tabs[0].post("/projects", data={"name": "削除競合"}).headers["Location"].split("/")[2])
    url = f"/projects/{pid}/steps/purpose"
    for round_ in range(ROUNDS):
        shown = version(tabs[0].get(url).data)
        forms = [{**step1(name=f"{round_}-{i}"), "version": shown, "action": "save"} for i in range(len(tabs) - 1)]
        saves = [partial(tab.post, url, data=form) for tab, form in zip(tabs[1:], forms, strict=True)]
        responses = together([partial(tabs[0].post, f"/projects/{pid}/delete"), *saves])
        assert responses[0].status_code == 302, "the delete always lands"
        assert all(r.status_code in (302, 404, 409) for r in responses[1:]), [r.status_code for r in responses]
        assert tabs[0].post(f"/projects/{pid}/restore").status_code == 302


def test_adopting_a_new_catalogue_racing_saves_never_fails(app: Flask) -> None:
    """Adopting a newer catalogue version is a save too: a lost race is a message, not a 500."""
    add_user(app, "officer")
    tabs = signed_in(app, "officer", 4)
    pid = import_example(tabs[0])
    admin = admin_client(app)
    original = admin.get(f"/admin/catalogue/{release_ids(app)['builtin*']}.zip").data
    new_zip = edited_zip(original, OLD_CLAUSE, NEW_CLAUSE)
    stored = admin.post("/admin/catalogue", data={"file": (io.BytesIO(new_zip), "n.zip")})
    assert admin.post(f"/admin/catalogue/{stored.headers['Location'].rsplit('/', 1)[1]}/activate").status_code == 302
    drift = tabs[0].get(f"/projects/{pid}/catalogue-update").data.decode()
    new_version = re.search(r'name="version" value="([^"]+)"', drift).group(1)  # type: ignore[union-attr]
    url = f"/projects/{pid}/steps/decisions"
    page = tabs[0].get(url).data
    shown, form = version(page), Controls(page.decode()).values
    adopt = [partial(tab.post, f"/projects/{pid}/catalogue-update", data={"version": new_version}) for tab in tabs[:2]]
    saves = [partial(tab.post, url, data={**form, "version": shown, "action": "save"}) for tab in tabs[2:]]
    responses = together([*adopt, *saves])
    assert all(r.status_code in (302, 409) for r in responses), [r.status_code for r in responses]
    with app.extensions["sbd"]["sessions"]() as session:
        numbers = list(session.scalars(select(Revision.number).where(Revision.project_id == pid)))
    assert sorted(numbers) == list(range(1, len(numbers) + 1)), "no revision lost or doubled"
