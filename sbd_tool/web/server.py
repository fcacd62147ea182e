"""The web's own commands, added to ``sbd-tool`` by ``sbd_tool.main``: serve (the wizard, with
gunicorn for several workers), create-admin and unlock-user."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from sbd_tool.cli.common import (
    database_or_fail,
    fail,
)
from sbd_tool.problems import Problem


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="待ち受けるアドレス")
@click.option("--port", default=5000, show_default=True, type=int, help="待ち受けるポート")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=int,
    help="ワーカープロセス数（2以上で gunicorn を使う。状態はすべてデータベースにある）",
)
def serve(host: str, port: int, workers: int) -> None:
    """ウィザード（Webアプリ）を起動する。"""
    from sbd_tool.storage.settings import ConfigError
    from sbd_tool.web import create_app
    from sbd_tool.web.logredact import install_werkzeug_filter

    try:  # checked once here, so a bad setting is reported once, not by every worker
        app = create_app()
    except ConfigError as exc:
        fail([Problem("", str(exc))], 2)
    if workers > 1:
        app.extensions["sbd"]["engine"].dispose()
        gunicorn = Path(sys.executable).parent / "gunicorn"
        args = [
            str(gunicorn),
            "--workers",
            str(workers),
            "--bind",
            f"{host}:{port}",
            "--access-logfile",
            "-",
            "--logger-class",
            "sbd_tool.web.logredact.RedactingGunicornLogger",
            "sbd_tool.web.wsgi:app",
        ]
        os.execv(args[0], args)
    install_werkzeug_filter()
    click.echo(f"sbd-tool を起動しました: http://{host}:{port}/ （終了は Ctrl+C）")
    app.run(host=host, port=port, threaded=True, debug=False, use_reloader=False)


@click.command("create-admin")
@click.option("--username", default="admin", show_default=True, help="管理者の利用者名")
@click.option("--display-name", default="管理者", show_default=True, help="画面に表示する氏名")
@click.option("--password-stdin", is_flag=True, help="パスワードを標準入力の1行目から読む（自動化用）")
@click.option("--if-missing", is_flag=True, help="有効な管理者が既にいれば何もしない")
def create_admin(username: str, display_name: str, password_stdin: bool, if_missing: bool) -> None:
    """最初の管理者アカウントを作成する（既定のパスワードはなく、必ずここで決める）。"""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session
    from werkzeug.security import generate_password_hash

    from sbd_tool.storage.db import pending_migrations, upgrade
    from sbd_tool.storage.models import User
    from sbd_tool.web.auth.passwords import password_problem

    created: list[str] = []
    taken = "この利用者名は既に使われています。--username で別の名前を指定してください"
    no_terminal = "パスワードを入力できません。端末で実行するか --password-stdin を使ってください"

    def create(engine: Any) -> None:
        if pending_migrations(engine):
            upgrade(engine)
        with Session(engine) as session:
            if if_missing and session.scalar(select(User).where(User.role == "admin", User.active.is_(True))):
                click.echo("有効な管理者アカウントが既にあります。")
                return
            if session.scalar(select(User).where(func.lower(User.username) == username.lower())):
                fail([Problem(username, taken)], 1)
            if password_stdin:
                password = sys.stdin.readline().rstrip("\n")
            elif sys.stdin.isatty():
                password = click.prompt("パスワード", hide_input=True, confirmation_prompt="パスワード（確認）")
            else:
                fail([Problem("", no_terminal)], 2)
            problem = password_problem(password, username)
            if problem:
                fail([Problem("password", problem)], 2)
            session.add(
                User(
                    username=username,
                    display_name=display_name,
                    role="admin",
                    organisation_id=None,
                    password_hash=generate_password_hash(password, method="scrypt"),
                )
            )
            session.commit()
            created.append(username)

    database_or_fail(create)
    if created:
        click.echo(f"管理者「{username}」を作成しました。サインインして、組織と利用者を作成してください。")


@click.command("unlock-user")
@click.argument("username")
def unlock_user(username: str) -> None:
    """サインインの失敗で止まっている利用者のサインイン制限を解除する（管理者自身が止められたとき用）。"""
    from sqlalchemy.orm import Session

    from sbd_tool.web.throttle import lift

    cleared: list[int] = []

    def unlock(engine: Any) -> None:
        with Session(engine) as session:
            cleared.append(lift(session, username))
            session.commit()

    database_or_fail(unlock)
    click.echo(f"利用者「{username}」のサインイン制限を解除しました（{cleared[0]}件）。")


WEB_COMMANDS = (serve, create_admin, unlock_user)
