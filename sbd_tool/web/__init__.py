"""The wizard: a Flask app factory that only wires the pieces together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, g, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker
from werkzeug.middleware.proxy_fix import ProxyFix

from sbd_tool import explain
from sbd_tool.content import load_catalogue
from sbd_tool.storage.db import make_engine, pending_migrations
from sbd_tool.web import settings
from sbd_tool.web.settings import ConfigError

ROOT = Path(__file__).resolve().parents[2]
csrf = CSRFProtect()


JST = dt.timezone(dt.timedelta(hours=9))
ERRORS = (
    (
        400,
        "入力を処理できません",
        "送信された内容を処理できませんでした。画面を読み込み直してから、もう一度操作してください。",
    ),
    (
        401,
        "サインインが必要です",
        "サインインしていないか、一定時間操作がなかったためサインアウトしました。"
        "サインインしてから、もう一度操作してください。",
    ),
    (403, "権限がありません", "この操作を行う権限がありません。必要な場合は組織の管理者に相談してください。"),
    (404, "見つかりません", "指定の案件又はページは見つからないか、閲覧する権限がありません。"),
    (405, "操作できません", "この画面ではその操作はできません。"),
    (409, "処理できません", "この版は回答が未完成のため、仕様書を作れません。"),
    (413, "ファイルが大きすぎます", "送信できる大きさを超えています。2MB 以下にしてください。"),
)


def datetime_ja(moment: dt.datetime | None) -> str:
    """A stored (UTC) time as Japan time, e.g. ``2026-11-27 20:05``."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M")


def _error_page(code: int, title: str, message: str) -> Callable[[Exception], tuple[str, int]]:
    def handler(_error: Exception) -> tuple[str, int]:
        return render_template("errors/error.html", title=title, message=message), code

    return handler


def _review_status() -> dict[str, Any] | None:
    """Review state of the project the request is about (for the banner on its pages)."""
    project = g.get("project")
    if project is None or g.get("user") is None:
        return None
    from sbd_tool.web.banners import review_summary  # one query (issue 16)

    latest, approved, comments = review_summary(project)
    if approved is None and latest is None and not comments:
        return None
    return {
        "project_id": project.id,
        "version": project.version,
        "approved": approved,
        "latest": latest,
        "stale": approved is not None and approved.revision_number != project.version,
        "open_comments": comments,
    }


def _catalogue_update() -> dict[str, Any] | None:
    project = g.get("project")
    if project is None or g.get("user") is None:
        return None
    from sbd_tool.web import releases
    from sbd_tool.web.store import db

    return releases.update_status(db(), project)


class NotMigratedError(ConfigError):
    """The database schema is missing or older than the code."""


def _open_database(url: str) -> Engine:
    """The engine, after checking the database answers and its schema is current (one clear line if not)."""
    try:
        engine = make_engine(url)
        behind = pending_migrations(engine)
    except OSError as error:
        raise ConfigError(
            f"データベースのフォルダを作成できません（{error.strerror}）。 / Cannot create the database folder."
        ) from None
    except SQLAlchemyError as error:
        lines = str(getattr(error, "orig", None) or error).strip().splitlines()
        reason = lines[0][:200] if lines else type(error).__name__
        raise ConfigError(
            f"データベースに接続できません: {reason}。DATABASE_URL とデータベースの起動を確認してください。"
            f" / Cannot connect to the database: {reason}."
        ) from None
    if behind:
        raise NotMigratedError(
            "データベースのスキーマが作成されていないか古くなっています。"
            "`sbd-tool db upgrade` を実行してから起動してください。"
            " / The database schema is missing or out of date: run `sbd-tool db upgrade` first."
        )
    return engine


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, content, database, blueprints."""
    app = Flask(__name__, static_folder=str(ROOT / "static"), instance_path=str(ROOT / "instance"))
    config = test_config or {}
    app.config.update(
        CONTENT_DIR=None,
        MAX_CONTENT_LENGTH=2_000_000,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        PASSWORD_HASH_METHOD="scrypt",
    )
    app.config.update(settings.from_environment())
    app.config.update(config)
    # A CSRF token never outlives the session it belongs to.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", int(float(app.config["SESSION_LIFETIME_HOURS"]) * 3600))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.secret_key(Path(app.instance_path))
    if app.config["TRUSTED_PROXIES"]:
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    catalogue = load_catalogue(app.config["CONTENT_DIR"])
    engine = _open_database(app.config["DATABASE_URL"])
    app.extensions["sbd"] = {
        "catalogue": catalogue,
        "engine": engine,
        "sessions": sessionmaker(engine, expire_on_commit=False),
    }
    csrf.init_app(app)
    from sbd_tool.web import (
        access,
        admin,
        audit_log,
        auth,
        courses,
        inbox,
        projects,
        releases,
        render,
        review,
        sessions,
        shares,
        wizard,
    )
    from sbd_tool.web import catalogue as catalogue_pages
    from sbd_tool.web import clauses as clause_pages

    releases.register_builtin(app, catalogue)
    from sbd_tool.web.store import db

    app.session_interface = auth.HttpsAwareSessions()

    @app.before_request
    def _authorise():  # type: ignore[no-untyped-def]
        if request.endpoint == "static":
            return None
        sessions.load_user(db())
        who = g.user
        if who is not None and who.must_change_password and request.endpoint not in ("auth.password", "auth.logout"):
            return redirect(url_for("auth.password"))
        return access.check_request(db())

    @app.context_processor
    def _page_context() -> dict[str, Any]:
        from sbd_tool.web.store import catalogue as request_catalogue

        return {
            "current_user": g.get("user"),
            "role_labels": admin.ROLE_LABELS,
            "review_status": _review_status(),
            "catalogue_update": _catalogue_update(),
            "steps": request_catalogue().steps.steps,
        }

    for code, title, message in ERRORS:
        app.register_error_handler(code, _error_page(code, title, message))

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db", None)
        if session is not None:
            session.close()

    @app.after_request
    def _headers(response):  # type: ignore[no-untyped-def]
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'",
        )
        if app.config.get("SESSION_COOKIE_SECURE") or request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if g.get("user") is not None:  # pages with a user's data are not kept by shared caches
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.register_blueprint(auth.bp)
    app.register_blueprint(projects.bp)
    app.register_blueprint(wizard.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(audit_log.bp)
    app.register_blueprint(inbox.bp)
    app.register_blueprint(shares.bp)
    app.register_blueprint(catalogue_pages.bp)
    app.register_blueprint(courses.bp)
    app.register_blueprint(clause_pages.bp)  # step 6: one requirement's clauses
    app.after_request(shares.bidder_headers)
    app.jinja_env.filters["datetime_ja"] = datetime_ja
    app.jinja_env.globals.update(
        value_label=explain.value_label,
        condition_sentence=explain.condition_sentence,
        requirement_reasons=explain.requirement_reasons,
        derivation_note=explain.derivation_note,
        render=render.render_field,
        choice_list=render.choice_list,
    )
    from sbd_tool.web import i18n  # English labels: the /lang route, the sbd_lang cookie, Jinja's _() (see i18n.py)

    app.register_blueprint(i18n.bp)
    return app
