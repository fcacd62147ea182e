"""What-if by answer on step 4 (issue 17): next to each question, the levels that move if its
answer changes, from the engine (one derivation reused across alternatives)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from sbd_tool.answers.read import parse_answers
from sbd_tool.engine.rules import evaluate
from sbd_tool.engine.whatif import what_if_by_question
from tests.conftest import example_data
from tests.web.test_review import import_example
from tests.web.test_wizard import CATALOGUE, new_project


def test_step4_shows_what_each_answer_moves(client: FlaskClient) -> None:
    pid = import_example(client)
    page = client.get(f"/projects/{pid}/steps/questions").data.decode()
    answers = parse_answers(example_data("citizen-portal"), CATALOGUE)
    moving = what_if_by_question(CATALOGUE, answers)
    shown = re.findall(r'<details class="whatif-answer" id="whatif-([\w-]+)">', page)
    assert sorted(shown) == sorted(moving), "one per question that moves a level"
    first = next(iter(moving))
    block = page[page.index(f'id="whatif-{first}"') :]
    block = block[: block.index("</details>")]
    change = moving[first][0]
    assert f"{change.requirement} {CATALOGUE.level_label(change.before)}→{CATALOGUE.level_label(change.after)}" in block
    resolved = evaluate(CATALOGUE, answers).answers
    asked_still = [q for q, r in resolved.items() if r.source != "not_applicable" and q not in moving]
    assert page.count("この回答を変えても、どの対策要件の提案レベルも変わりません。") == len(asked_still)
    english = client.get("/lang/en", follow_redirects=True)
    assert english.status_code == 200
    page_en = client.get(f"/projects/{pid}/steps/questions").data.decode()
    assert "Levels that move if this answer changes" in page_en


def test_nothing_is_shown_while_questions_are_unanswered(client: FlaskClient) -> None:
    pid = new_project(client)
    page = client.get(f"/projects/{pid}/steps/questions").data.decode()
    assert "whatif-answer" not in page
