"""``sbd-tool``: the command line, a thin shell around the core.

Exit status: 0 success, 1 invalid content (``questionnaires/``, ``requirement_sets/``),
2 bad input (the answers file or the command line). Problems go to standard error, one a line.

Only what every command needs is imported at start-up; a command imports the renderers, the
bundle code, the what-if engine and the rest when it runs, so ``sbd-tool levels`` does not pay
for python-docx or openpyxl (issue 16: cold start).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any, NoReturn

import click

from sbd_tool.answers import Answers, AnswersError, read_answers_data
from sbd_tool.assessment import Assessment, assess, specification
from sbd_tool.content import Catalogue, ContentError, default_content_root, load_catalogue
from sbd_tool.content.loader import read_content_files
from sbd_tool.content.schema import Parameter
from sbd_tool.diagram import diagram_problems
from sbd_tool.document.kinds import OUTPUT_KINDS, OUTPUT_NAMES, OutputKind
from sbd_tool.explain import requirement_reasons
from sbd_tool.problems import Problem
from sbd_tool.rules import Evaluation
from sbd_tool.text import clean_input

content_option = click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="questionnaires/ と requirement_sets/ を含むフォルダ（既定: SBD_CONTENT_DIR 又は同梱のもの）",
)


def _fail(problems: list[Problem], status: int) -> NoReturn:
    for problem in problems:
        # A message may quote a key or value from the file: no control characters (terminal
        # escape sequences) reach the terminal.
        click.echo(f"エラー: {clean_input(str(problem))}", err=True)
    sys.exit(status)


def _catalogue(content_dir: Path | None) -> Catalogue:
    try:
        return load_catalogue(content_dir)
    except ContentError as exc:
        _fail(exc.problems, 1)


def _assessed(catalogue: Catalogue, file: Path) -> Assessment:
    """The file's assessment; exit 2 with every problem unless it is ready for a spec."""
    try:
        data = read_answers_data(file)
    except AnswersError as exc:
        _fail(exc.problems, 2)
    assessment = assess(catalogue, data)
    if not assessment.ready:
        _fail(list(assessment.problems), 2)
    return assessment


def _evaluated(catalogue: Catalogue, file: Path) -> tuple[Answers, Evaluation]:
    assessment = _assessed(catalogue, file)
    assert assessment.answers is not None and assessment.evaluation is not None  # ready
    return assessment.answers, assessment.evaluation


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sbd-tool")
def main() -> None:
    """SBDマニュアルの方法で、政府調達のセキュリティ要件を策定する。"""


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="JSONで出力する")
@content_option
def levels(file: Path, as_json: bool, content_dir: Path | None) -> None:
    """回答ファイルから、各対策要件の提案レベル・決定レベルと理由を表示する。"""
    catalogue = _catalogue(content_dir)
    parsed, evaluation = _evaluated(catalogue, file)
    rows: list[dict[str, Any]] = []
    cloud = evaluation.cloud
    for rid, outcome in evaluation.requirements.items():
        row: dict[str, Any] = {
            "id": rid,
            "name": catalogue.requirements[rid].requirement.name,
            "proposed": outcome.proposed,
            "decided": outcome.decided,
            "lowered": outcome.lowered,
            "decision_reason": outcome.decision_reason,
            "reasons": requirement_reasons(catalogue, outcome),
        }
        if cloud is not None:  # who implements it, on a cloud service
            resp = cloud.responsibilities[rid]
            row |= {"party": resp.party, "default_party": resp.default, "party_reason": resp.reason}
        rows.append(row)
    if as_json:
        result: dict[str, Any] = {
            "requirements": rows,
            "conditions": {cid: c.met for cid, c in evaluation.conditions.items()},
            "warnings": [w.message for w in evaluation.warnings],
            "content_version": evaluation.content_version,
        }
        if cloud is not None:
            result["cloud"] = {"model": cloud.model, "topics": [t.title for t in cloud.topics]}
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    label = catalogue.level_label
    name_width = max(_width(r["name"]) for r in rows)
    click.echo(f"{_pad('ID', 6)}{_pad('対策要件', name_width + 2)}{_pad('提案', 8)}{_pad('決定', 16)}理由")
    for r in rows:
        decided = label(r["decided"]) + ("（引下げ）" if r["lowered"] else "")
        because = " / ".join(r["reasons"])
        if r["decided"] != r["proposed"]:
            because = f"決定の理由：{r['decision_reason'] or '（記載なし）'} ／ 提案の理由：{because}"
        if "party" in r:
            because = f"[実施主体：{catalogue.party_label(r['party'])}] {because}"
        click.echo(
            f"{_pad(r['id'], 6)}{_pad(r['name'], name_width + 2)}"
            f"{_pad(label(r['proposed']), 8)}{_pad(decided, 16)}{because}"
        )
    for warning in evaluation.warnings:
        click.echo(f"注意: {warning.message}")
    for problem in diagram_problems(catalogue, parsed):
        click.echo(f"注意（システム概要図）: {problem}")
    click.echo(f"対策要件集の版: {evaluation.content_version}")


@main.command("what-if")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="JSON で出力する")
@content_option
def what_if_command(file: Path, as_json: bool, content_dir: Path | None) -> None:
    """回答を一つ変えた場合に提案レベルが変わる対策要件を表示する。"""
    from sbd_tool.whatif import change_sentence, what_if

    catalogue = _catalogue(content_dir)
    answers, evaluation = _evaluated(catalogue, file)
    changes = what_if(catalogue, answers, evaluation)
    if as_json:
        rows = [
            {
                "requirement": c.requirement,
                "question": c.question,
                "current": c.current,
                "alternative": c.alternative,
                "before": c.before,
                "after": c.after,
            }
            for c in changes
        ]
        click.echo(json.dumps({"changes": rows}, ensure_ascii=False, indent=2))
        return
    for c in changes:
        click.echo(("↑ " if c.raises else "↓ ") + change_sentence(catalogue, c))
    if not changes:
        click.echo("回答を一つ変えるだけで提案レベルが変わる対策要件はありません。")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="出力する .docx ファイル"
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Word テンプレート（既定: docx_templates/sbd-spec.docx）。足りないスタイルは追加して注記する",
)
@click.option(
    "--output-kind",
    type=click.Choice(OUTPUT_KINDS),
    default="full",
    show_default=True,
    help="paste: 調達仕様書に貼り付ける「情報セキュリティに関する事項」のみ／approval: 閲覧資料（決定根拠）／"
    "full: 一式（別紙を含む）",
)
@content_option
def generate(file: Path, output: Path, template: Path | None, output_kind: str, content_dir: Path | None) -> None:
    """回答ファイルから調達仕様書（セキュリティ要件）を出力する（.docx、.md 又は .html。拡張子で選ぶ）。"""
    from sbd_tool.document.docx_render import TemplateError, render_docx_with_notes
    from sbd_tool.document.text_render import render_html, render_markdown

    catalogue = _catalogue(content_dir)
    assessment = _assessed(catalogue, file)
    model = specification(assessment, dt.date.today())
    kind: OutputKind = next((k for k in OUTPUT_KINDS if k == output_kind), "full")
    suffix = output.suffix.lower()
    if suffix in (".md", ".markdown"):
        data = render_markdown(model, kind).encode("utf-8")
    elif suffix in (".html", ".htm"):
        data = render_html(model, kind).encode("utf-8")
    else:
        try:
            data, notes = render_docx_with_notes(model, template, kind)
        except TemplateError as exc:
            _fail([Problem("--template", str(exc))], 2)
        for note in notes:  # what had to be added to an office's template
            click.echo(f"注意: --template: {note}", err=True)
    _write_atomically(output, data)
    _warn_open_parameters(assessment.open_parameters)
    click.echo(f"{output} を出力しました（{OUTPUT_NAMES[kind]}、対策要件集の版: {catalogue.content_version}）")


def _warn_open_parameters(left_open: tuple[Parameter, ...]) -> None:
    """Parameters a printed clause uses that have no value: the document says 「発注者が指定する…」."""
    for param in left_open:
        click.echo(
            f"注意: parameters.{param.id}: 「{param.label}」が未設定のため、仕様書には「{param.default}」と記載しました"
            f"（例：「{param.suggested}」）",
            err=True,
        )


def _write_atomically(output: Path, data: bytes) -> None:
    """Write beside the target and rename, so a failure never leaves a half-written file."""
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="出力する .xlsx ファイル"
)
@content_option
def matrix(file: Path, output: Path, content_dir: Path | None) -> None:
    """入札者が記入する対応表（要件ごとの対応可否）を Excel 形式で出力する。"""
    from sbd_tool.document.compliance import compliance_xlsx

    catalogue = _catalogue(content_dir)
    model = specification(_assessed(catalogue, file), dt.date.today())
    _write_atomically(output, compliance_xlsx(model))
    click.echo(f"{output} を出力しました（対策要件集の版: {catalogue.content_version}）")


@main.command("check-content")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
def check_content(directory: Path | None) -> None:
    """questionnaires/ と requirement_sets/ の内容を検証する。"""
    from sbd_tool.rule_tests import run_rule_tests

    root = directory or default_content_root()
    catalogue = _catalogue(root)
    checked, problems = run_rule_tests(catalogue, read_content_files(root))
    if problems:
        _fail(problems, 1)
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
    from sbd_tool.rule_tests import run_rule_tests

    root = content_dir or default_content_root()
    catalogue = _catalogue(root)
    _, problems = run_rule_tests(catalogue, read_content_files(root))
    if problems:
        _fail(problems, 1)
    try:
        data = export_bundle(root)
    except BundleError as exc:
        _fail(exc.problems, 1)
    _write_atomically(output, data)
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
    from sbd_tool.content.bundle import MAX_BYTES, BundleError, install_bundle
    from sbd_tool.releases import check_bundle

    try:
        with file.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)  # check_bundle refuses anything longer
    except OSError as exc:
        _fail([Problem(str(file), f"ファイルを読めません（{exc.strerror}）")], 2)
    try:
        checked = check_bundle(data)
    except BundleError as exc:
        _fail(exc.problems, 1)
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
            _fail([Problem(str(into), f"書き込めませんでした（{exc.strerror or exc}）。内容は変更していません")], 1)
        click.echo(f"{into} に展開しました: {summary}")
        return
    outcome: list[str] = []
    _database_or_fail(lambda engine: outcome.append(_store_release(engine, checked, note=note, activate=activate)))
    click.echo(f"{outcome[0]}: {summary}")


def _store_release(engine: Any, checked: Any, *, note: str, activate: bool) -> str:
    from sqlalchemy.orm import Session

    from sbd_tool import releases
    from sbd_tool.storage.db import pending_migrations

    if pending_migrations(engine):
        _fail(
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
    from sbd_tool.drift import drift, drift_summary, question_sentence, requirement_sentence

    old, new = _catalogue(content_dir), _catalogue(new_dir)
    try:
        data = read_answers_data(file)
    except AnswersError as exc:
        _fail(exc.problems, 2)
    if not isinstance(data, dict):
        _fail([Problem(str(file), "回答ファイルの先頭はキーと値の組（マッピング）にしてください")], 2)
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
    for q in result.questions:
        if q.affects_project:
            click.echo(question_sentence(old, new, q))
    for problem in result.answer_problems:
        click.echo(f"注意（新しい版では使えない回答）: {problem}")
    click.echo(f"まとめ: {drift_summary(result)}")


@main.command()
@content_option
def schema(content_dir: Path | None) -> None:
    """回答ファイル（sbd-tool/answers@1）の JSON Schema を出力する。"""
    from sbd_tool.answers_schema import answers_schema

    click.echo(json.dumps(answers_schema(_catalogue(content_dir)), ensure_ascii=False, indent=2))


@main.command("build-template", hidden=True)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default=Path("docx_templates/sbd-spec.docx"))
def build_template_command(path: Path) -> None:
    """Rebuild the Word styles template (for developers)."""
    from sbd_tool.document.template import build_template

    build_template(path)
    click.echo(f"wrote {path}")


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

    url = _database_or_fail(upgrade_and_record)
    click.echo(f"データベースを最新の形式にしました: {url.split('@')[-1]}")
    click.echo(notes[0])


def _record_builtin(engine: Any) -> str:
    """Record the shipped content (``SBD_CONTENT_DIR`` or the bundled folders) as a release."""
    from sqlalchemy.orm import Session

    from sbd_tool import releases
    from sbd_tool.content.bundle import BundleError

    try:
        checked = releases.check_folder(default_content_root())
    except BundleError as exc:
        _fail(exc.problems, 1)
    with Session(engine) as session, session.begin():
        release, activated = releases.register_builtin(session, checked)
        version = release.content_version
    return f"同梱の対策要件集（版 {version}）を登録しました" + ("。新しい案件はこの版で始まります" if activated else "")


def _database_or_fail(work: Any) -> str:
    """Run ``work(engine)`` on the configured database; a bad URL or an unreachable server is one line, status 2."""
    from sqlalchemy.exc import SQLAlchemyError

    from sbd_tool.storage.db import make_engine
    from sbd_tool.web.settings import ConfigError, from_environment

    try:
        url = str(from_environment()["DATABASE_URL"])
        engine = make_engine(url)
        try:
            work(engine)
        finally:
            engine.dispose()
    except ConfigError as exc:
        _fail([Problem("", str(exc))], 2)
    except (SQLAlchemyError, OSError) as exc:
        lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        reason = lines[0][:200] if lines else type(exc).__name__
        _fail([Problem("", f"データベースを使えません: {reason} / Cannot use the database: {reason}")], 2)
    return url


@main.command()
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
    from sbd_tool.web import create_app
    from sbd_tool.web.logredact import install_werkzeug_filter
    from sbd_tool.web.settings import ConfigError

    try:  # checked once here, so a bad setting is reported once, not by every worker
        app = create_app()
    except ConfigError as exc:
        _fail([Problem("", str(exc))], 2)
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


@main.command("create-admin")
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
    from sbd_tool.web.auth import password_problem

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
                _fail([Problem(username, taken)], 1)
            if password_stdin:
                password = sys.stdin.readline().rstrip("\n")
            elif sys.stdin.isatty():
                password = click.prompt("パスワード", hide_input=True, confirmation_prompt="パスワード（確認）")
            else:
                _fail([Problem("", no_terminal)], 2)
            problem = password_problem(password, username)
            if problem:
                _fail([Problem("password", problem)], 2)
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

    _database_or_fail(create)
    if created:
        click.echo(f"管理者「{username}」を作成しました。サインインして、組織と利用者を作成してください。")


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

    _database_or_fail(run)
    click.echo(
        f"削除後{TRASH_DAYS}日を過ぎた案件 {done[0].projects} 件、終了したセッション {done[0].sessions} 件、"
        f"使われなくなったサインイン記録 {done[0].counters} 件、古い下書き {done[0].drafts} 件を削除しました。"
    )


@main.command("unlock-user")
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

    _database_or_fail(unlock)
    click.echo(f"利用者「{username}」のサインイン制限を解除しました（{cleared[0]}件）。")
