"""The audit log: one row per security-relevant action, written in the request's transaction."""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context, request

from sbd_tool.storage.models import AuditEvent
from sbd_tool.web.marks import N_

ACTIONS = {
    "login": N_("サインイン"),
    "login_failed": N_("サインイン失敗"),
    "login_throttled": N_("サインイン制限"),
    "logout": N_("サインアウト"),
    "password_change": N_("パスワード変更"),
    "project_create": N_("案件作成"),
    "project_import": N_("案件取込み"),
    "project_delete": N_("案件削除"),
    "project_restore": N_("案件復元"),
    "revision": N_("版の保存"),
    "review_submit": N_("レビュー依頼"),
    "review_approve": N_("承認"),
    "review_return": N_("差戻し"),
    "comment": N_("コメント"),
    "comment_resolve": N_("コメント解決"),
    "export": N_("出力"),
    "model_answer": N_("模範解答の設定"),
    "share_create": N_("共有リンク作成"),
    "share_revoke": N_("共有リンク取消し"),
    "bidder_view": N_("入札者の閲覧"),
    "admin_user_create": N_("利用者作成"),
    "admin_user_update": N_("利用者変更"),
    "admin_user_unlock": N_("サインイン制限の解除"),
    "admin_org_create": N_("組織作成"),
    "admin_audit_export": N_("監査ログ出力"),
    "course_create": N_("研修の作成"),
    "course_update": N_("研修の変更"),
    "catalogue_import": N_("対策要件集の取込み"),
    "catalogue_activate": N_("対策要件集の有効化"),
    "catalogue_export": N_("対策要件集の書出し"),
    "catalogue_adopt": N_("案件の対策要件集の切替え"),
}


def client_address() -> str:
    return (request.remote_addr or "")[:64] if has_request_context() else ""


def record(
    session: Any,
    action: str,
    *,
    project_id: int | None = None,
    username: str | None = None,
    user_id: int | None = None,
    **detail: Any,
) -> None:
    """Add an event to the session; it commits with the change it describes."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    who = g.get("user") if has_request_context() else None
    session.add(
        AuditEvent(
            user_id=user_id if user_id is not None else (who.id if who else None),
            username=(username if username is not None else (who.username if who else ""))[:64],
            action=action,
            project_id=project_id,
            detail=detail,
            address=client_address(),
        )
    )
