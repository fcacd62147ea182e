"""Issue 12 item 8: autosaved drafts belong to one user on one project, and the first autosave
from several tabs at once is one upsert (no unique-key 500)."""

from __future__ import annotations

from functools import partial

from flask import Flask
from sqlalchemy import select

from sbd_tool.storage.models import StepDraft
from tests.accounts import add_user
from tests.security.parallel import signed_in, together
from tests.web.test_wizard import save, step1, version

RESTORED = "下書き）を復元しました"


def test_a_draft_is_restored_only_for_the_user_who_typed_it(app: Flask) -> None:
    add_user(app, "officer")
    add_user(app, "colleague")
    [mine] = signed_in(app, "officer")
    [theirs] = signed_in(app, "colleague")
    pid = int(mine.post("/projects", data={"name": "下書き試験"}).headers["Location"].split("/")[2])
    url = f"/projects/{pid}/steps/purpose"
    assert save(mine, pid, "purpose", step1()).status_code == 302
    typed = {**step1(purpose="担当者Aがまだ保存していない目的"), "version": version(mine.get(url).data)}
    assert mine.post(f"{url}/draft", data=typed).status_code == 204

    other = theirs.get(url).data.decode()
    assert RESTORED not in other and "担当者Aがまだ保存していない目的" not in other
    own = mine.get(url).data.decode()
    assert RESTORED in own and "担当者Aがまだ保存していない目的" in own

    # The colleague's own draft, discard and save touch only the colleague's draft.
    theirs_typed = {**step1(purpose="担当者Bの下書き"), "version": version(theirs.get(url).data)}
    assert theirs.post(f"{url}/draft", data=theirs_typed).status_code == 204
    theirs.post(f"{url}/draft/discard")
    assert "担当者Aがまだ保存していない目的" in mine.get(url).data.decode()
    assert save(theirs, pid, "purpose", step1(purpose="担当者Bが保存した目的")).status_code == 302
    with app.extensions["sbd"]["sessions"]() as session:
        owners = {(d.user_id, d.step) for d in session.scalars(select(StepDraft))}
    assert len(owners) == 1, "A's draft is still stored (it no longer applies: B saved a newer version)"


def test_first_autosaves_from_several_tabs_at_once(app: Flask) -> None:
    add_user(app, "officer")
    tabs = signed_in(app, "officer", 6)
    pid = int(tabs[0].post("/projects", data={"name": "自動保存試験"}).headers["Location"].split("/")[2])
    url = f"/projects/{pid}/steps/purpose"
    shown = version(tabs[0].get(url).data)
    for round_ in range(2):
        with app.extensions["sbd"]["sessions"]() as session:  # every round is a first autosave
            for draft in session.scalars(select(StepDraft)):
                session.delete(draft)
            session.commit()
        forms = [{**step1(purpose=f"タブ{round_}-{i}"), "version": shown} for i in range(len(tabs))]
        calls = [partial(tab.post, f"{url}/draft", data=form) for tab, form in zip(tabs, forms, strict=True)]
        assert [r.status_code for r in together(calls)] == [204] * len(tabs)
        with app.extensions["sbd"]["sessions"]() as session:
            drafts = list(session.scalars(select(StepDraft)))
        assert len(drafts) == 1
        kept = dict(drafts[0].data["pairs"])["purpose"]
        assert kept.startswith(f"タブ{round_}-")
        assert kept in tabs[0].get(url).data.decode(), "the newest autosave is what is restored"
