"""The audit log: one row per security-relevant action, written in the request's transaction."""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context, request

from sbd_tool.storage.models import AuditEvent

ACTIONS = {
    "login": "サインイン",
    "login_failed": "サインイン失敗",
    "login_throttled": "サインイン制限",
    "logout": "サインアウト",
    "password_change": "パスワード変更",
    "project_create": "案件作成",
    "project_import": "案件取込み",
    "project_delete": "案件削除",
    "project_restore": "案件復元",
    "revision": "版の保存",
    "review_submit": "レビュー依頼",
    "review_approve": "承認",
    "review_return": "差戻し",
    "comment": "コメント",
    "comment_resolve": "コメント解決",
    "export": "出力",
    "model_answer": "模範解答の設定",
    "share_create": "共有リンク作成",
    "share_revoke": "共有リンク取消し",
    "bidder_view": "入札者の閲覧",
    "admin_user_create": "利用者作成",
    "admin_user_update": "利用者変更",
    "admin_user_unlock": "サインイン制限の解除",
    "admin_org_create": "組織作成",
    "admin_audit_export": "監査ログ出力",
    "course_create": "研修の作成",
    "course_update": "研修の変更",
    "catalogue_import": "対策要件集の取込み",
    "catalogue_activate": "対策要件集の有効化",
    "catalogue_export": "対策要件集の書出し",
    "catalogue_adopt": "案件の対策要件集の切替え",
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
