"""Issue 17, defect 1: every link and button on the projects list leads where that user may go.

The adviser's list once sent the project name and 「開く」 to the wizard, which answers 403 for
advisers. Here every role's list is read, and every address it offers (links and the forms of
the project tables) is requested as that user: none may be refused.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from flask import Flask

from tests.web.test_access import client_for, denied, make_world


class Targets(HTMLParser):
    """The links (GET) and form actions (POST) of a page that name a project."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and re.match(r"/projects/\d+/", a.get("href") or ""):
            self.links.append(a["href"] or "")
        elif tag == "form" and re.match(r"/projects/\d+/", a.get("action") or ""):
            self.forms.append(a["action"] or "")  # every form of the tables posts


@pytest.mark.parametrize("actor", ["officer", "adviser", "trainer"])
def test_every_link_on_the_projects_list_is_allowed(app: Flask, actor: str) -> None:
    world = make_world(app)
    client = client_for(app, actor)
    page = client.get("/").data.decode()
    targets = Targets(page)
    assert targets.links, f"{actor} sees a project"
    for url in dict.fromkeys(targets.links):
        response = client.get(url)
        assert not denied(response), f"{actor}: GET {url} answered {response.status_code}"
    # Forms last: they change things (duplicate, model answer), but each must be the user's to use.
    for url in dict.fromkeys(targets.forms):
        response = client.post(url)
        assert not denied(response), f"{actor}: POST {url} answered {response.status_code}"
    if actor == "adviser":  # the name and 「開く」 open the review of the project shared with them
        pid = world.ids["procurement"]
        assert f'<a href="/projects/{pid}/review">procurement</a>' in page
        assert f"/projects/{pid}/steps/" not in page
