"""revision_merge.merge_documents: two versions merged field by field (the conflict page's merge)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from sbd_tool.compare.revision_diff import diff_revisions
from sbd_tool.compare.revision_merge import merge_documents
from sbd_tool.content import Catalogue
from tests.conftest import example_data


def stored(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(example_data(name), default=str))
    return data


def edited(doc: dict[str, Any]) -> dict[str, Any]:
    """Changes of every kind the wizard makes: texts, a task removed and one added, a matrix, the
    diagram, an answer, a decision's level and reason, the output settings."""
    mine = copy.deepcopy(doc)
    project = mine["project"]
    project["name"] = "別の名称"
    removed = project["tasks"].pop(0)
    project["tasks"].append({"id": "T9", "name": "新しい業務", "description": "追加", "means": ["internet"]})
    project["tasks"][0]["description"] = "書き直した内容"
    project["tasks"][0]["means"] = ["office_lan"]
    assert removed["id"] != project["tasks"][0]["id"]
    mine["diagram"]["elements"][0]["label"] = "改名した要素"
    mine["diagram"]["flows"].pop()
    mine["answers"]["network"] = ["closed"]
    mine.setdefault("decisions", {})["AT-1"] = {"level": "high", "reason": "理由"}
    mine["decisions"].pop("AC-2", None)
    mine.setdefault("parameters", {})["log_retention"] = "10年間"
    mine.setdefault("document", {})["title"] = "表題"
    return mine


@pytest.mark.parametrize("example", ["citizen-portal", "cloud-interagency"])
def test_taking_all_gives_mine_and_none_gives_theirs(catalogue: Catalogue, example: str) -> None:
    theirs = stored(example)
    mine = edited(theirs)
    changes = diff_revisions(catalogue, theirs, mine).fields
    assert len(changes) >= 10
    everything = merge_documents(theirs, mine, [c.where for c in changes])
    assert diff_revisions(catalogue, everything, mine).fields == ()
    assert merge_documents(theirs, mine, []) == theirs
    assert theirs == stored(example), "nothing changed in place"


@pytest.mark.parametrize("example", ["citizen-portal", "cloud-interagency"])
def test_each_field_alone_changes_only_that_field(catalogue: Catalogue, example: str) -> None:
    theirs = stored(example)
    mine = edited(theirs)
    for change in diff_revisions(catalogue, theirs, mine).fields:
        merged = merge_documents(theirs, mine, [change.where])
        moved = [c.where for c in diff_revisions(catalogue, theirs, merged).fields]
        # A task added as a whole brings its own fields along; a field of a task that is only in
        # one of the versions comes (or not) with the task; a decision taken back to the proposal
        # takes its reason with it. Nothing outside the item moves.
        item = change.where.rsplit(".", 1)[0] if change.where.count(".") >= 2 else change.where
        assert all(w.startswith(item) for w in moved), (change.where, moved)
        if change.before != "（なし）" and change.after != "（なし）":
            assert change.where in moved, (change.where, moved)


def clauses_edited(doc: dict[str, Any]) -> dict[str, Any]:
    """Step 6's clause page: a clause reworded, one's 必須/提案 changed, clauses added to two
    requirements (the diff numbers a requirement's added clauses by their place)."""
    mine = copy.deepcopy(doc)
    mine.setdefault("tailoring", {})["AT-1.low.1"] = {"text": "文言", "reason": "理由", "catalogue_text": "元"}
    mine.setdefault("obligations", {})["AT-1.low.2"] = {"obligation": "proposal", "reason": "理由"}
    added = mine.setdefault("added_clauses", [])
    added.append({"requirement": "AT-1", "text": "一つ目", "reason": "理由", "obligation": "required"})
    added.append({"requirement": "AC-2", "text": "別の要件", "reason": "理由", "obligation": "proposal"})
    added.append({"requirement": "AT-1", "text": "二つ目", "reason": "理由", "obligation": "required"})
    return mine


@pytest.mark.parametrize("example", ["citizen-portal", "cloud-interagency"])
def test_clause_changes_merge_field_by_field(catalogue: Catalogue, example: str) -> None:
    theirs = stored(example)
    mine = clauses_edited(theirs)
    changes = diff_revisions(catalogue, theirs, mine).fields
    assert {"added_clauses.AT-1.1", "added_clauses.AT-1.2", "added_clauses.AC-2.1"} <= {c.where for c in changes}
    assert diff_revisions(catalogue, merge_documents(theirs, mine, [c.where for c in changes]), mine).fields == ()
    for change in changes:
        merged = merge_documents(theirs, mine, [change.where])
        moved = [c.where for c in diff_revisions(catalogue, theirs, merged).fields]
        # A reason without its 必須/提案 is no entry (as a decision's reason without its level); an
        # added clause taken without the ones before it takes the first free place.
        if change.where.startswith("added_clauses."):
            assert moved == [change.where.rsplit(".", 1)[0] + ".1"], moved
        else:
            assert moved == [change.where] or (moved == [] and change.where.startswith("obligations.")), moved
    # Their added clauses, mine taken by place: the second of mine replaces none of theirs.
    theirs_too = clauses_edited(theirs)
    theirs_too["added_clauses"] = [a for a in theirs_too["added_clauses"] if a["text"] != "二つ目"]
    merged = merge_documents(theirs_too, mine, ["added_clauses.AT-1.2"])
    assert [a["text"] for a in merged["added_clauses"]] == ["一つ目", "二つ目", "別の要件"]
    assert [a["text"] for a in merge_documents(mine, theirs, ["added_clauses.AT-1.1"])["added_clauses"]] == [
        "二つ目",
        "別の要件",
    ]
    assert theirs == stored(example), "nothing changed in place"
