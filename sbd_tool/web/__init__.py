"""The wizard: a Flask app factory that only wires the pieces together."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, g
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import sessionmaker

from sbd_tool import explain
from sbd_tool.content import load_catalogue
from sbd_tool.storage.db import database_url, make_engine, pending_migrations

ROOT = Path(__file__).resolve().parents[2]
csrf = CSRFProtect()


class NotMigratedError(RuntimeError):
    """The database schema is missing or older than the code."""


def _secret_key(instance: Path) -> str:
    """``SBD_SECRET_KEY``, else a random key kept in the instance folder (shared by workers)."""
    if os.environ.get("SBD_SECRET_KEY"):
        return os.environ["SBD_SECRET_KEY"]
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, content, database, blueprints."""
    app = Flask(__name__, static_folder=str(ROOT / "static"), instance_path=str(ROOT / "instance"))
    config = test_config or {}
    app.config.update(
        DATABASE_URL=config.get("DATABASE_URL") or database_url(),
        CONTENT_DIR=config.get("CONTENT_DIR"),
        MAX_CONTENT_LENGTH=2_000_000,
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
    )
    app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(Path(app.instance_path))
    catalogue = load_catalogue(app.config["CONTENT_DIR"])
    engine = make_engine(app.config["DATABASE_URL"])
    if pending_migrations(engine):
        raise NotMigratedError(
            "データベースのスキーマが作成されていないか古くなっています。"
            "`sbd-tool db upgrade` を実行してから起動してください。"
        )
    app.extensions["sbd"] = {
        "catalogue": catalogue,
        "engine": engine,
        "sessions": sessionmaker(engine, expire_on_commit=False),
    }
    csrf.init_app(app)

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
            "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"
        )
        return response

    from sbd_tool.web import projects, render, wizard

    app.register_blueprint(projects.bp)
    app.register_blueprint(wizard.bp)
    app.jinja_env.globals.update(
        steps=catalogue.steps.steps,
        value_label=explain.value_label,
        condition_sentence=explain.condition_sentence,
        requirement_reasons=explain.requirement_reasons,
        derivation_note=explain.derivation_note,
        render=render.render_field,
        choice_list=render.choice_list,
    )
    return app
