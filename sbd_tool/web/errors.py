"""Error pages: one Japanese page per HTTP status the app answers with."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, render_template

from sbd_tool.web.marks import N_

ERRORS = (
    (
        400,
        N_("入力を処理できません"),
        N_("送信された内容を処理できませんでした。画面を読み込み直してから、もう一度操作してください。"),
    ),
    (
        401,
        N_("サインインが必要です"),
        N_(
            "サインインしていないか、一定時間操作がなかったためサインアウトしました。"
            "サインインしてから、もう一度操作してください。"
        ),
    ),
    (403, N_("権限がありません"), N_("この操作を行う権限がありません。必要な場合は組織の管理者に相談してください。")),
    (404, N_("見つかりません"), N_("指定の案件又はページは見つからないか、閲覧する権限がありません。")),
    (405, N_("操作できません"), N_("この画面ではその操作はできません。")),
    (409, N_("処理できません"), N_("この版は回答が未完成のため、仕様書を作れません。")),
    (413, N_("ファイルが大きすぎます"), N_("送信できる大きさを超えています。2MB 以下にしてください。")),
)


def _error_page(code: int, title: str, message: str) -> Callable[[Exception], tuple[str, int]]:
    def handler(_error: Exception) -> tuple[str, int]:
        return render_template("errors/error.html", title=title, message=message), code

    return handler


def init_app(app: Flask) -> None:
    for code, title, message in ERRORS:
        app.register_error_handler(code, _error_page(code, title, message))
