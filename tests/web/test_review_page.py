"""Issue 17: a comment lands where it was written (defect 6); the decision box comes after the
requirements, and no 「レビューを依頼する」 is offered for a revision already approved (review page)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.web.test_review import adviser, decide, import_example, submit  # noqa: F401  (fixture)
from tests.web.test_wizard import CATALOGUE


def ids(page: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page))


def test_a_comment_returns_to_itself(app: Flask, client: FlaskClient, adviser: FlaskClient) -> None:  # noqa: F811
    """Defect 6: the redirect named #req-AC-1-new, an id no element has."""
    pid = import_example(client)
    submit(client, app, pid)
    url = f"/projects/{pid}/review"
    page = adviser.get(url).data.decode()
    last = list(CATALOGUE.requirements)[-1]  # far down the page
    posted = adviser.post(f"/projects/{pid}/comments", data={"body": "確認します。", "requirement": last, "next": url})
    target = posted.headers["Location"]
    assert re.fullmatch(rf"{url}#comment-\d+", target), target
    page = adviser.get(url).data.decode()
    fragment = target.split("#")[1]
    assert fragment in ids(page)
    block = page[page.index(f'id="req-{last}"') :]
    assert block.index(f'id="{fragment}"') < block.index("確認します。") + 200, "inside the requirement's block"
    # A reply lands on the reply; a refused comment on the block it was about.
    parent = fragment.removeprefix("comment-")
    reply = adviser.post(f"/projects/{pid}/comments", data={"body": "追記", "parent": parent, "next": url})
    assert reply.headers["Location"].split("#")[1] in ids(adviser.get(url).data.decode())
    empty = adviser.post(f"/projects/{pid}/comments", data={"body": "", "requirement": "AC-1", "next": url})
    assert empty.headers["Location"] == f"{url}#req-AC-1"
    general = adviser.post(f"/projects/{pid}/comments", data={"body": "", "next": url})
    assert general.headers["Location"] == f"{url}#general" and "general" in ids(page)


def test_decision_box_after_the_requirements(app: Flask, client: FlaskClient, adviser: FlaskClient) -> None:  # noqa: F811
    pid = import_example(client)
    submit(client, app, pid)
    page = adviser.get(f"/projects/{pid}/review").data.decode()
    last = list(CATALOGUE.requirements)[-1]
    assert page.index(f'id="req-{last}"') < page.index('id="decide-h"'), "the decision comes last"
    first = next(iter(CATALOGUE.requirements))
    assert page.index('href="#decide-h"') < page.index(f'id="req-{first}"'), "a link at the top leads to it"


def test_no_review_request_for_an_approved_revision(app: Flask, client: FlaskClient, adviser: FlaskClient) -> None:  # noqa: F811
    pid = import_example(client)
    submit(client, app, pid)
    assert "第1版を承認しました" in decide(adviser, pid, "approve")
    for url in (f"/projects/{pid}/review", f"/projects/{pid}/steps/output", f"/projects/{pid}/submit"):
        page = client.get(url).data.decode()
        assert f'href="/projects/{pid}/submit"' not in page, url
        assert "現在の版（第1版）は承認済みです" in page, url
    assert client.get(f"/projects/{pid}/submit").data.decode().count('name="adviser"') == 0
    refused = client.post(f"/projects/{pid}/submit", data={"adviser": "1"}, follow_redirects=True)
    assert "第1版は既に承認されています" in refused.data.decode()
    # A later save makes an unapproved revision: the request is offered again.
    page = client.get(f"/projects/{pid}/steps/output").data.decode()
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page)
    assert version
    client.post(f"/projects/{pid}/steps/conditions", data={"version": version.group(1), "action": "save"})
    assert f'href="/projects/{pid}/submit"' in client.get(f"/projects/{pid}/steps/output").data.decode()
