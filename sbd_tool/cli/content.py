"""Commands over the catalogue: check-content, and content export, import and drift."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from sbd_tool.answers.read import AnswersError, read_answers_data
from sbd_tool.cli.common import (
    catalogue_or_fail,
    content_option,
    database_or_fail,
    fail,
    write_atomically,
)
from sbd_tool.cli.group import main
from sbd_tool.content import default_content_root
from sbd_tool.content.loader import read_content_files
from sbd_tool.problems import Problem


@main.command("check-content")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
def check_content(directory: Path | None) -> None:
    """questionnaires/ と requirement_sets/ の内容を検証する。"""
    from sbd_tool.engine.rule_tests import run_rule_tests

    root = directory or default_content_root()
    catalogue = catalogue_or_fail(root)
    checked, problems = run_rule_tests(catalogue, read_content_files(root))
    if problems:
        fail(problems, 1)
    click.echo(
        f"OK: 設問 {len(catalogue.questions)}、判断条件 {len(catalogue.conditions)}、"
        f"対策要件 {len(catalogue.requirements)}（版 {catalogue.content_version}）"
        + (f"、規則の確認例 {checked} 件はすべて期待どおり" if checked else "")
    )


@main.group("content")
def content_group() -> None:
    """対策要件集（questionnaires/ と requirement_sets/）の書き出し・取り込みと、改訂の影響の確認。"""


@content_group.command("export")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="出力する .zip ファイル"
)
@content_option
def content_export(output: Path, content_dir: Path | None) -> None:
    """対策要件集を zip ファイルに書き出す（check-content の検証に通る内容だけ）。"""
    from sbd_tool.content.bundle import BundleError, export_bundle
    from sbd_tool.engine.rule_tests import run_rule_tests

    root = content_dir or default_content_root()
    catalogue = catalogue_or_fail(root)
    _, problems = run_rule_tests(catalogue, read_content_files(root))
    if problems:
        fail(problems, 1)
    try:
        data = export_bundle(root)
    except BundleError as exc:
        fail(exc.problems, 1)
    write_atomically(output, data)
    click.echo(f"{output} を出力しました（対策要件集の版: {catalogue.content_version}）")


@content_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--activate", is_flag=True, help="取り込んだ版を有効にする（新しい案件がこの版で始まる）")
@click.option("--note", default="", help="版の説明（管理画面の一覧に表示）")
@click.option(
    "--into",
    "into",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="データベースではなくフォルダに展開する（その中の questionnaires/ と requirement_sets/ を置き換える。"
    "内容を編集する場合に使う）",
)
def content_import(file: Path, activate: bool, note: str, into: Path | None) -> None:
    """zip ファイルの対策要件集を検証し、問題がなければ版としてデータベースに取り込む（問題があれば何も変更しない）。

    管理画面の「対策要件集」からの取り込みと同じ処理で、同じ版の一覧に加わる。"""
    from sbd_tool.content.bundle import MAX_BYTES, BundleError
    from sbd_tool.content.bundle_install import install_bundle
    from sbd_tool.storage.releases import check_bundle

    try:
        with file.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)  # check_bundle refuses anything longer
    except OSError as exc:
        fail([Problem(str(file), f"ファイルを読めません（{exc.strerror}）")], 2)
    try:
        checked = check_bundle(data)
    except BundleError as exc:
        fail(exc.problems, 1)
    catalogue = checked.catalogue
    summary = (
        f"設問 {len(catalogue.questions)}、判断条件 {len(catalogue.conditions)}、"
        f"対策要件 {len(catalogue.requirements)}（版 {checked.content_version}）"
        + (f"、規則の確認例 {checked.rule_tests_checked} 件はすべて期待どおり" if checked.rule_tests_checked else "")
    )
    if into is not None:
        try:
            install_bundle(checked.files, into)
        except OSError as exc:
            fail([Problem(str(into), f"書き込めませんでした（{exc.strerror or exc}）。内容は変更していません")], 1)
        click.echo(f"{into} に展開しました: {summary}")
        return
    outcome: list[str] = []
    database_or_fail(lambda engine: outcome.append(_store_release(engine, checked, note=note, activate=activate)))
    click.echo(f"{outcome[0]}: {summary}")


def _store_release(engine: Any, checked: Any, *, note: str, activate: bool) -> str:
    from sqlalchemy.orm import Session

    from sbd_tool.storage import releases
    from sbd_tool.storage.db import pending_migrations

    if pending_migrations(engine):
        fail(
            [
                Problem(
                    "", "データベースのスキーマが古いため取り込めません。先に `sbd-tool db upgrade` を実行してください"
                )
            ],
            2,
        )
    with Session(engine) as session, session.begin():
        release, created = releases.save(session, checked, source="import", note=note)
        if activate:
            releases.activate(session, release)
    said = "取り込みました" if created else "この版は既に取り込まれています"
    return said + ("（有効にしました）" if activate else "（有効にするには管理画面又は --activate）")


@content_group.command("drift")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--new",
    "new_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="新しい対策要件集（questionnaires/ と requirement_sets/ を含むフォルダ）",
)
@content_option
def content_drift(file: Path, new_dir: Path, content_dir: Path | None) -> None:
    """回答ファイルの案件を新しい対策要件集で評価し直すと何が変わるかを表示する（--content が現在の版）。"""
    from sbd_tool.compare.drift import drift
    from sbd_tool.compare.drift_report import cloud_sentences, drift_summary, question_sentence, requirement_sentence

    old, new = catalogue_or_fail(content_dir), catalogue_or_fail(new_dir)
    try:
        data = read_answers_data(file)
    except AnswersError as exc:
        fail(exc.problems, 2)
    if not isinstance(data, dict):
        fail([Problem(str(file), "回答ファイルの先頭はキーと値の組（マッピング）にしてください")], 2)
    result = drift(old, new, data)
    click.echo(f"対策要件集の版: {result.old_version} → {result.new_version}")
    for r in result.requirements:
        if not r.changed:
            continue
        click.echo(requirement_sentence(old, new, r))
        for change in r.clause_changes:
            if change.before is not None and change.after is not None:
                click.echo(f"    変更前: {change.before}")
                click.echo(f"    変更後: {change.after}")
            elif change.after is not None:
                click.echo(f"    追加: {change.after}")
            elif change.before is not None:
                click.echo(f"    削除: {change.before}")
    for line in cloud_sentences(result):
        click.echo(line)
    for q in result.questions:
        if q.affects_project:
            click.echo(question_sentence(old, new, q))
    for problem in result.answer_problems:
        click.echo(f"注意（新しい版では使えない回答）: {problem}")
    click.echo(f"まとめ: {drift_summary(result)}")
