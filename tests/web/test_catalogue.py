"""The catalogue as content: admin view, export, import with check-content's errors, activation,
and each project's drift preview before adopting a newer version."""

from __future__ import annotations

import io
import re
import zipfile

import yaml
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from sbd_tool.storage.models import AuditEvent, CatalogueRelease, Project, Revision
from sbd_tool.storage.releases import check_bundle
from tests.accounts import add_user, login
from tests.conftest import ROOT
from tests.web.test_review import import_example

OLD_CLAUSE = "内部のネットワークに侵入された場合の横展開を防止するため、"
NEW_CLAUSE = "内部のネットワークに侵入された場合の被害の拡大を防止するため、"


def admin_client(app: Flask) -> FlaskClient:
    add_user(app, "root", role="admin", org=None)
    admin = app.test_client()
    login(admin, "root")
    return admin


def release_ids(app: Flask) -> dict[str, int]:
    with app.extensions["sbd"]["sessions"]() as session:
        return {r.source + ("*" if r.active else ""): r.id for r in session.scalars(select(CatalogueRelease))}


def edited_zip(original: bytes, old: str, new: str, name: str = "requirement_sets/AT.yaml") -> bytes:
    source = zipfile.ZipFile(io.BytesIO(original))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == name:
                text = data.decode()
                assert old in text
                data = text.replace(old, new).encode()
            target.writestr(info.filename, data)
    return out.getvalue()


def test_admin_sees_exports_and_reimports_the_catalogue(app: Flask) -> None:
    admin = admin_client(app)
    page = admin.get("/admin/catalogue").data.decode()
    assert "現在の版" in page and "出典" in page and "同梱" in page
    builtin = release_ids(app)["builtin*"]
    detail = admin.get(f"/admin/catalogue/{builtin}").data.decode()
    assert "AT-1" in detail and "高位" in detail and OLD_CLAUSE in detail and "判断条件" in detail
    exported = admin.get(f"/admin/catalogue/{builtin}.zip")
    assert exported.mimetype == "application/zip"
    with app.app_context():
        version = app.extensions["sbd"]["catalogue"].content_version
    assert check_bundle(exported.data).content_version == version
    again = admin.post("/admin/catalogue", data={"file": (io.BytesIO(exported.data), "c.zip")}, follow_redirects=True)
    assert "既に取り込まれています" in again.data.decode()


def test_a_broken_catalogue_is_refused_with_located_errors(app: Flask) -> None:
    admin = admin_client(app)
    original = admin.get(f"/admin/catalogue/{release_ids(app)['builtin*']}.zip").data
    broken = edited_zip(original, "clauses:", "clause:")
    response = admin.post("/admin/catalogue", data={"file": (io.BytesIO(broken), "broken.zip")})
    text = response.data.decode()
    assert response.status_code == 400 and "取り込みませんでした" in text and "requirement_sets/AT.yaml" in text
    not_zip = admin.post("/admin/catalogue", data={"file": (io.BytesIO(b"not a zip"), "x.zip")})
    assert not_zip.status_code == 400
    assert list(release_ids(app)) == ["builtin*"], "nothing stored"


def test_a_new_version_never_changes_a_project_silently(app: Flask, client: FlaskClient) -> None:
    pid = import_example(client)
    before = client.get(f"/projects/{pid}/spec.html").data.decode()
    assert OLD_CLAUSE in before
    admin = admin_client(app)
    original = admin.get(f"/admin/catalogue/{release_ids(app)['builtin*']}.zip").data
    new_zip = edited_zip(original, OLD_CLAUSE, NEW_CLAUSE)
    stored = admin.post("/admin/catalogue", data={"file": (io.BytesIO(new_zip), "new.zip"), "note": "表現の改訂"})
    new_id = int(stored.headers["Location"].rsplit("/", 1)[1])
    preview = admin.get(f"/admin/catalogue/{new_id}").data.decode()
    assert "1 件のうち、1 件で変更があります" in preview and "記載文が1か所変わります" in preview
    assert "補助金電子申請ポータル" not in preview, "admins see counts, not projects"
    # Not active yet: nothing changes for anyone.
    assert "新しい対策要件集" not in client.get(f"/projects/{pid}/steps/decisions").data.decode()
    assert admin.post(f"/admin/catalogue/{new_id}/activate").status_code == 302
    # Active: the project still prints the old text, and says a newer version exists.
    step6 = client.get(f"/projects/{pid}/steps/decisions").data.decode()
    assert "新しい対策要件集" in step6 and "自動では切り替わりません" in step6
    assert OLD_CLAUSE in client.get(f"/projects/{pid}/spec.html").data.decode()
    drift = client.get(f"/projects/{pid}/catalogue-update").data.decode()
    assert "1件の対策要件で記載文が変わります" in drift and NEW_CLAUSE in drift and OLD_CLAUSE in drift
    version = re.search(r'name="version" value="([^"]+)"', drift).group(1)  # type: ignore[union-attr]
    stale = client.post(f"/projects/{pid}/catalogue-update", data={"version": "old"}, follow_redirects=True)
    assert "もう一度変更点を確認してください" in stale.data.decode()
    adopted = client.post(f"/projects/{pid}/catalogue-update", data={"version": version}, follow_redirects=True)
    assert "に切り替えました" in adopted.data.decode()
    assert NEW_CLAUSE in client.get(f"/projects/{pid}/spec.html").data.decode()
    assert "新しい対策要件集" not in client.get(f"/projects/{pid}/steps/decisions").data.decode()
    # The adoption is a revision of its own; the old revision keeps its version.
    with app.extensions["sbd"]["sessions"]() as session:
        revisions = dict(
            session.execute(select(Revision.number, Revision.content_version).where(Revision.project_id == pid)).all()
        )
        project = session.get(Project, pid)
        assert project is not None and project.content_version == version
        assert revisions[1] != version and revisions[2] == version
        actions = set(session.scalars(select(AuditEvent.action)))
    assert {"catalogue_import", "catalogue_activate", "catalogue_adopt", "catalogue_export"} <= actions
    assert OLD_CLAUSE in client.get(f"/projects/{pid}/revisions/1/spec.html").data.decode(), (
        "old revisions as they were"
    )


CLOUD_OLD = "移行先の事業者への移行作業に協力すること。"
CLOUD_NEW = "移行先の事業者への移行作業に協力し、その結果を報告すること。"


def test_the_release_page_counts_reworded_cloud_clauses_the_new_version_changes(
    app: Flask, client: FlaskClient
) -> None:
    data = yaml.safe_load((ROOT / "examples" / "cloud-interagency.yaml").read_text(encoding="utf-8"))
    data["tailoring"] = {
        "cloud.exit.2": {"text": "移行の手順を発注者に提供すること。", "reason": "本調達の範囲に合わせるため。"}
    }
    body = yaml.safe_dump(data, allow_unicode=True).encode()
    assert client.post("/projects/import", data={"file": (io.BytesIO(body), "cloud.yaml")}).status_code == 302
    admin = admin_client(app)
    original = admin.get(f"/admin/catalogue/{release_ids(app)['builtin*']}.zip").data
    new_zip = edited_zip(original, CLOUD_OLD, CLOUD_NEW, name="requirement_sets/cloud.yaml")
    stored = admin.post("/admin/catalogue", data={"file": (io.BytesIO(new_zip), "new.zip"), "note": "クラウドの改訂"})
    preview = admin.get(stored.headers["Location"]).data.decode()
    assert "1 件のうち、1 件で変更があります" in preview
    row = re.search(r"<th scope=\"row\">クラウドサービス利用時の要件</th><td[^>]*>([^<]*)</td><td>(\d+)</td>", preview)
    assert row is not None and "cloud.exit.2" in row.group(1) and row.group(2) == "1"
