"""The app factory. It only wires: settings come from ``settings.py`` (one table), each part
registers its own hooks (``init_app``), and nothing here writes to the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker
from werkzeug.middleware.proxy_fix import ProxyFix

from sbd_tool.content import Catalogue, load_catalogue
from sbd_tool.storage import settings
from sbd_tool.storage.db import make_engine, pending_migrations
from sbd_tool.storage.settings import ConfigError
from sbd_tool.web import (
    admin,
    auth,
    errors,
    headers,
    i18n,
    inbox,
    pages,
    projects,
    releases,
    review,
    shares,
    store,
    training,
    wizard,
)
from sbd_tool.web import catalogue as catalogue_pages
from sbd_tool.web.admin import audit_log
from sbd_tool.web.paths import ROOT
from sbd_tool.web.wizard import clauses as clause_pages

csrf = CSRFProtect()
BLUEPRINTS = (
    auth.bp,
    projects.bp,
    wizard.bp,
    review.bp,
    admin.bp,
    audit_log.bp,
    inbox.bp,
    shares.bp,
    catalogue_pages.bp,
    training.bp,
    clause_pages.bp,  # step 6: one requirement's clauses
    i18n.bp,
)
HOOKS = (auth, store, pages, errors, headers, shares)  # each one's init_app adds its hooks


class NotMigratedError(ConfigError):
    """The database schema is missing or older than the code."""


def open_database(url: str) -> Engine:
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


def configure(app: Flask, overrides: dict[str, Any]) -> None:
    """Defaults, then the SBD_* environment (``settings.py``), then what the caller passes."""
    app.config.update(
        CONTENT_DIR=None,
        MAX_CONTENT_LENGTH=2_000_000,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        PASSWORD_HASH_METHOD="scrypt",
    )
    app.config.update(settings.from_environment())
    app.config.update(overrides)
    # A CSRF token never outlives the session it belongs to.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", int(float(app.config["SESSION_LIFETIME_HOURS"]) * 3600))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.secret_key(Path(app.instance_path))
    if app.config["TRUSTED_PROXIES"]:
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def create_app(test_config: dict[str, Any] | None = None, *, catalogue: Catalogue | None = None) -> Flask:
    """Build the app: configuration, content, database, hooks, blueprints. ``catalogue`` lets a
    caller (a test) hand over content it has already loaded."""
    app = Flask("sbd_tool.web", static_folder=str(ROOT / "static"), instance_path=str(ROOT / "instance"))
    configure(app, test_config or {})
    shipped = catalogue or load_catalogue(app.config["CONTENT_DIR"])
    engine = open_database(app.config["DATABASE_URL"])
    app.extensions["sbd"] = {
        "catalogue": shipped,
        "engine": engine,
        "sessions": sessionmaker(engine, expire_on_commit=False),
    }
    releases.start(app, shipped)
    csrf.init_app(app)
    for part in HOOKS:
        part.init_app(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    return app
