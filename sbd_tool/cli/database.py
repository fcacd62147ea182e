"""Commands over the database: db upgrade (migrations, and the shipped content recorded as a
release) and purge."""

from __future__ import annotations

from typing import Any

import click

from sbd_tool.cli.common import (
    database_or_fail,
    fail,
)
from sbd_tool.cli.group import main
from sbd_tool.content import default_content_root


@main.group()
def db() -> None:
    """データベースの管理（DATABASE_URL、既定は instance/ の SQLite）。"""


@db.command("upgrade")
def db_upgrade() -> None:
    """スキーマを作成又は最新の形式に更新する。"""
    from sbd_tool.storage.db import upgrade

    notes: list[str] = []

    def upgrade_and_record(engine: Any) -> None:
        upgrade(engine)
        notes.append(_record_builtin(engine))

    url = database_or_fail(upgrade_and_record)
    click.echo(f"データベースを最新の形式にしました: {url.split('@')[-1]}")
    click.echo(notes[0])


def _record_builtin(engine: Any) -> str:
    """Record the shipped content (``SBD_CONTENT_DIR`` or the bundled folders) as a release."""
    from sqlalchemy.orm import Session

    from sbd_tool.content.bundle import BundleError
    from sbd_tool.storage import releases

    try:
        checked = releases.check_folder(default_content_root())
    except BundleError as exc:
        fail(exc.problems, 1)
    with Session(engine) as session, session.begin():
        known = releases.find(session, checked.content_version) is not None
        release, activated = releases.register_builtin(session, checked)
        version = release.content_version
    said = "は登録済みです" if known else "を登録しました"
    return f"同梱の対策要件集（版 {version}）{said}" + ("。新しい案件はこの版で始まります" if activated else "")


@main.command()
def purge() -> None:
    """削除後30日を過ぎた案件、終了したセッション等を完全に削除する（cron 等で毎日実行）。"""
    from sqlalchemy.orm import Session

    from sbd_tool.storage.housekeeping import TRASH_DAYS, Purged
    from sbd_tool.storage.housekeeping import purge as purge_expired

    done: list[Purged] = []

    def run(engine: Any) -> None:
        with Session(engine) as session:
            done.append(purge_expired(session))
            session.commit()

    database_or_fail(run)
    click.echo(
        f"削除後{TRASH_DAYS}日を過ぎた案件 {done[0].projects} 件、終了したセッション {done[0].sessions} 件、"
        f"使われなくなったサインイン記録 {done[0].counters} 件、古い下書き {done[0].drafts} 件を削除しました。"
    )
