"""Step 6's clause page when two tabs edit the same requirement's clauses: the stale tab's save
shows, per field of this page (wording with its reason, 必須/提案 and its reason, added clauses),
what differs from the version saved meanwhile and who changed it; keep mine, take theirs or merge
per field each store what was chosen; a choice about a version that moved again shows the new
differences; nothing typed is lost on the way."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from tests.web.test_clause_page import _form, _page, _post
from tests.web.test_review import import_example
from tests.web.test_versions import export, picks

THEIRS = "ほかのタブで変えた文言。"
MINE = "このタブで変えた文言。"
ADDED = "このタブで追加した条項。"
URL = "/projects/{pid}/steps/decisions/AT-1/clauses"


def _keys(page: str) -> list[str]:
    """The page's clause keys, in order (c0, c1, …)."""
    return re.findall(r'<span class="key">([^<]+)</span>', page)


def _two_tabs(client: FlaskClient) -> tuple[int, dict[str, str], list[str]]:
    """A stale tab's input (wording of c0 changed, a clause added) and the other tab's save that
    came first (wording of c0, 必須/提案 of c1); the project's id and the clause keys."""
    pid = import_example(client)
    page, stale = _page(client, pid)
    _, other = _page(client, pid)
    other |= {"text_c0": THEIRS, "reason_c0": "ほかのタブの理由。", "action": "save"}
    other |= {"obligation_c1": "proposal", "obligation_reason_c1": "製品により異なるため。"}
    assert _post(client, pid, other).status_code == 302
    stale |= {"text_c0": MINE, "reason_c0": "このタブの理由。", "action": "save"}
    stale |= {"text_new": ADDED, "reason_new": "追加の理由。"}
    return pid, stale, _keys(page)


def _base(page: str) -> str:
    found = re.search(r'name="conflict_base" value="(\d+)"', page)
    assert found, "the conflict page names the version it shows"
    return found.group(1)


def test_a_stale_clause_save_shows_what_differs_with_the_input_kept(client: FlaskClient) -> None:
    pid, stale, (k0, k1, *_) = _two_tabs(client)
    response = _post(client, pid, stale)
    page = response.data.decode()
    assert response.status_code == 409 and "別の画面（タブ）で先に保存されています" in page
    assert MINE in page and ADDED in page and "このタブの理由。" in page, "the input is kept in the form"
    assert "保存済みの内容との違い" in page and THEIRS in page
    assert picks(page) == {
        f"tailoring.{k0}": "mine",  # changed in both tabs: the user's own input preselected
        f"obligations.{k1}.obligation": "theirs",
        f"obligations.{k1}.reason": "theirs",
        "added_clauses.AT-1.1": "mine",
    }
    assert "両方で変更" in page and "あなたが変更" in page and "ほかの画面で変更" in page
    assert _base(page) == _page(client, pid)[1]["version"], "the choice is about the version saved meanwhile"
    assert re.search(r'<legend class="visually-hidden">「[^」]+」に残す内容</legend>', page)
    assert export(client, pid)["tailoring"][k0]["text"] == THEIRS, "nothing saved"


def test_merge_per_field_stores_what_was_chosen(client: FlaskClient) -> None:
    pid, stale, (k0, k1, *_) = _two_tabs(client)
    base = _base(_post(client, pid, stale).data.decode())
    choice = {f"pick:tailoring.{k0}": "theirs", "pick:added_clauses.AT-1.1": "mine"}
    choice |= {f"pick:obligations.{k1}.obligation": "theirs", f"pick:obligations.{k1}.reason": "theirs"}
    merged = _post(client, pid, stale | choice | {"action": "conflict:merge", "conflict_base": base})
    assert merged.status_code == 302, merged.data.decode()[:3000]
    saved = export(client, pid)
    assert saved["tailoring"][k0]["text"] == THEIRS and saved["tailoring"][k0]["reason"] == "ほかのタブの理由。"
    assert saved["obligations"][k1] == {"obligation": "proposal", "reason": "製品により異なるため。"}
    assert [a["text"] for a in saved["added_clauses"] if a["requirement"] == "AT-1"] == [ADDED]
    assert "選んだとおりに統合して保存しました" in client.get(merged.headers["Location"]).data.decode()


def test_merge_can_take_the_other_way_round(client: FlaskClient) -> None:
    pid, stale, (k0, k1, *_) = _two_tabs(client)
    base = _base(_post(client, pid, stale).data.decode())
    choice = {f"pick:tailoring.{k0}": "mine", "pick:added_clauses.AT-1.1": "theirs"}
    choice |= {f"pick:obligations.{k1}.obligation": "mine", f"pick:obligations.{k1}.reason": "mine"}
    assert _post(client, pid, stale | choice | {"action": "conflict:merge", "conflict_base": base}).status_code == 302
    saved = export(client, pid)
    assert saved["tailoring"][k0]["text"] == MINE and "obligations" not in saved
    assert not [a for a in saved.get("added_clauses") or [] if a["requirement"] == "AT-1"]


def test_keep_mine_or_take_theirs(client: FlaskClient) -> None:
    pid, stale, (k0, k1, *_) = _two_tabs(client)
    base = _base(_post(client, pid, stale).data.decode())
    theirs = _post(client, pid, stale | {"action": "conflict:theirs", "conflict_base": base})
    assert theirs.status_code == 302
    saved = export(client, pid)
    assert saved["tailoring"][k0]["text"] == THEIRS and saved["obligations"][k1]["obligation"] == "proposal"
    assert "この画面の入力は破棄しました" in client.get(theirs.headers["Location"]).data.decode()
    mine = _post(client, pid, stale | {"action": "conflict:mine", "conflict_base": base})
    assert mine.status_code == 302
    saved = export(client, pid)
    assert saved["tailoring"][k0] == {**saved["tailoring"][k0], "text": MINE, "reason": "このタブの理由。"}
    assert "obligations" not in saved, "the page's input is saved whole: c1 as the catalogue has it"
    assert [a["text"] for a in saved["added_clauses"] if a["requirement"] == "AT-1"] == [ADDED]
    assert "あなたの入力で上書きして保存しました" in client.get(mine.headers["Location"]).data.decode()


def test_a_choice_about_a_version_that_moved_again_shows_the_new_differences(client: FlaskClient) -> None:
    pid, stale, (k0, k1, *_) = _two_tabs(client)
    base = _base(_post(client, pid, stale).data.decode())
    _, third = _page(client, pid)  # a third tab saves meanwhile
    third |= {"text_c1": "三つ目のタブの文言。", "reason_c1": "三つ目の理由。", "action": "save"}
    assert _post(client, pid, third).status_code == 302
    before = export(client, pid)
    again = _post(client, pid, stale | {"action": "conflict:mine", "conflict_base": base})
    page = again.data.decode()
    assert again.status_code == 409 and int(_base(page)) > int(base)
    assert "三つ目のタブの文言。" in page and f"tailoring.{k1}" in picks(page)
    assert picks(page)[f"tailoring.{k1}"] == "theirs"
    assert MINE in page and ADDED in page, "the input is still kept"
    assert export(client, pid) == before


def test_a_clause_added_in_the_other_tab_is_compared_by_the_rows_this_page_had(client: FlaskClient) -> None:
    pid = import_example(client)
    page, stale = _page(client, pid)
    _, other = _page(client, pid)
    other |= {"text_new": "ほかのタブで追加した条項。", "reason_new": "理由。", "action": "save"}
    assert _post(client, pid, other).status_code == 302
    k0 = _keys(page)[0]
    response = _post(client, pid, stale | {"text_c0": MINE, "reason_c0": "理由。", "action": "save"})
    shown = response.data.decode()
    assert response.status_code == 409
    assert picks(shown) == {f"tailoring.{k0}": "mine", "added_clauses.AT-1.1": "theirs"}
    base = _base(shown)
    mine = stale | {"text_c0": MINE, "reason_c0": "理由。", "action": "conflict:merge", "conflict_base": base}
    merged = _post(client, pid, mine | {f"pick:{where}": pick for where, pick in picks(shown).items()})
    assert merged.status_code == 302
    saved = export(client, pid)
    assert saved["tailoring"][k0]["text"] == MINE
    assert [a["text"] for a in saved["added_clauses"] if a["requirement"] == "AT-1"] == ["ほかのタブで追加した条項。"]


def test_a_stale_autosave_is_refused_and_the_page_offers_the_differences(client: FlaskClient) -> None:
    pid, stale, (k0, *_) = _two_tabs(client)
    draft = client.post(URL.format(pid=pid) + "/draft", data=stale)
    assert draft.status_code == 409
    page, _ = _page(client, pid)
    assert "復元しました" not in page and MINE not in page, "the stale input is no draft of the newer version"
    shown = _post(client, pid, stale | {"action": "conflict:show"})
    assert shown.status_code == 409 and f"tailoring.{k0}" in picks(shown.data.decode())
    current: dict[str, Any] = _form(page)
    assert _post(client, pid, current | {"action": "conflict:show"}).status_code == 200


def test_a_stale_input_with_errors_is_kept_with_its_errors_and_not_compared(client: FlaskClient) -> None:
    pid, stale, _ = _two_tabs(client)
    response = _post(client, pid, stale | {"reason_c0": ""})
    page = response.data.decode()
    assert response.status_code == 409 and "入力に誤りがあるため、保存済みの内容と比べられません" in page
    assert MINE in page and re.search(r'<p class="error" id="reason_c0-error">', page)


def test_a_cloud_topics_page_has_the_same_conflict_page(client: FlaskClient) -> None:
    pid = import_example(client, "cloud-interagency")
    url = f"/projects/{pid}/steps/decisions/cloud.exit/clauses"
    page = client.get(url).data.decode()
    stale, (key, *_) = _form(page), _keys(page)
    assert client.post(url, data=stale | {"text_c0": THEIRS, "reason_c0": "先"}).status_code == 302
    response = client.post(url, data=stale | {"text_c0": MINE, "reason_c0": "後"})
    shown = response.data.decode()
    assert response.status_code == 409 and MINE in shown and THEIRS in shown
    assert picks(shown) == {f"tailoring.{key}": "mine"} and "両方で変更" in shown
    kept = client.post(
        url, data=stale | {"text_c0": MINE, "reason_c0": "後", "action": "conflict:mine", "conflict_base": _base(shown)}
    )
    assert kept.status_code == 302
    assert export(client, pid)["tailoring"][key]["text"] == MINE


def test_a_page_whose_clauses_changed_meanwhile_is_not_compared_row_by_row(client: FlaskClient) -> None:
    """Another tab decides another level, which prints other clauses: the stale page's rows were
    other clauses, so its save is refused with the input kept (reload and redo), as before, rather
    than compared or merged into the wrong clauses."""
    pid = import_example(client)
    page, stale = _page(client, pid)
    step6 = _form(client.get(f"/projects/{pid}/steps/decisions").data.decode())
    assert step6["level_AT-1"] != "low"
    step6 |= {"level_AT-1": "low", "reason_AT-1": "庁内のみで折り返す構成のため。", "action": "save"}
    assert client.post(f"/projects/{pid}/steps/decisions", data=step6).status_code == 302
    assert _keys(_page(client, pid)[0]) != _keys(page)
    stale |= {"text_c0": MINE, "reason_c0": "このタブの理由。", "action": "save"}
    for extra in ({}, {"action": "conflict:mine", "conflict_base": "99"}, {"action": "conflict:show"}):
        response = _post(client, pid, stale | extra)
        shown = response.data.decode()
        assert response.status_code == 409 and "項目ごとには比べられません" in shown and MINE in shown
        assert not picks(shown) and f'value="{stale["clause_keys"]}"' in shown
    assert "tailoring" not in export(client, pid)
