"""``sbd-tool content export | import | drift``."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sbd_tool.cli import main
from sbd_tool.compare.drift import drift
from sbd_tool.compare.drift_report import drift_summary
from sbd_tool.content import Catalogue, load_catalogue
from sbd_tool.content.bundle import bundle_files, export_bundle
from sbd_tool.storage import releases
from sbd_tool.storage.db import make_engine
from sbd_tool.storage.models import CatalogueRelease
from sbd_tool.web import create_app
from tests.conftest import CONTENT, ROOT

CITIZEN = ROOT / "examples" / "citizen-portal.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_export_writes_the_bundle(tmp_path: Path, catalogue: Catalogue) -> None:
    out = tmp_path / "sub" / "content.zip"
    code, stdout, _ = run("content", "export", "-o", str(out), "--content", str(CONTENT))
    assert code == 0, stdout
    assert out.read_bytes() == export_bundle(CONTENT)
    assert stdout == f"{out} を出力しました（対策要件集の版: {catalogue.content_version}）\n"
    assert [p.name for p in out.parent.iterdir()] == ["content.zip"]


def test_export_refuses_invalid_content(tmp_path: Path, content_copy: Path) -> None:
    edit(content_copy, "questionnaires/rules.yaml", "C-extlink]", "C-nope]")
    out = tmp_path / "content.zip"
    code, _, err = run("content", "export", "-o", str(out), "--content", str(content_copy))
    assert code == 1
    assert err.startswith("エラー: questionnaires/rules.yaml:")
    assert not out.exists()


def test_import_installs_a_valid_bundle(tmp_path: Path, catalogue: Catalogue) -> None:
    bundle = tmp_path / "content.zip"
    bundle.write_bytes(export_bundle(CONTENT))
    target = tmp_path / "office"
    code, stdout, err = run("content", "import", str(bundle), "--into", str(target))
    assert code == 0, err
    questions, conditions, requirements = (
        len(catalogue.questions),
        len(catalogue.conditions),
        len(catalogue.requirements),
    )
    counts = f"設問 {questions}、判断条件 {conditions}、対策要件 {requirements}"
    assert stdout.startswith(f"{target} に展開しました: {counts}（版 {catalogue.content_version}）")
    assert stdout.rstrip().endswith(f"規則の確認例 {3 * len(catalogue.requirements)} 件はすべて期待どおり")
    assert load_catalogue(target).content_version == catalogue.content_version
    code, stdout, _ = run("check-content", str(target))
    assert code == 0 and stdout.startswith("OK:")


def test_import_of_an_unsafe_zip_changes_nothing(tmp_path: Path, content_copy: Path) -> None:
    bundle = tmp_path / "evil.zip"
    bundle.write_bytes(zip_of({**bundle_files(CONTENT), "../escape.yaml": b"x: 1\n"}))
    before = bundle_files(content_copy)
    code, _, err = run("content", "import", str(bundle), "--into", str(content_copy))
    assert code == 1
    assert err == "エラー: zip 内のパス '../escape.yaml' に「..」が含まれています\n"
    assert bundle_files(content_copy) == before
    assert not (content_copy.parent / "escape.yaml").exists()


def test_import_reports_content_problems_like_check_content(tmp_path: Path, content_copy: Path) -> None:
    files = bundle_files(CONTENT)
    text = files["requirement_sets/AC.yaml"].decode()
    files["requirement_sets/AC.yaml"] = text.replace(
        "        purpose: 情報システムを利用する者", "        purpose_: x", 1
    ).encode()
    bundle = tmp_path / "broken.zip"
    bundle.write_bytes(zip_of(files))
    code, _, err = run("content", "import", str(bundle), "--into", str(content_copy))
    assert code == 1
    (content_copy / "requirement_sets" / "AC.yaml").write_bytes(files["requirement_sets/AC.yaml"])
    _, _, check_err = run("check-content", str(content_copy))
    assert err == check_err and "requirement_sets/AC.yaml:" in err


def test_import_of_a_missing_file(tmp_path: Path) -> None:
    code, _, err = run("content", "import", str(tmp_path / "nope.zip"), "--into", str(tmp_path / "x"))
    assert code == 2 and err.startswith(f"エラー: {tmp_path / 'nope.zip'}: ファイルを読めません")
    assert not (tmp_path / "x").exists()


def test_drift_with_the_same_content(content_copy: Path) -> None:
    code, stdout, _ = run("content", "drift", str(CITIZEN), "--new", str(content_copy), "--content", str(CONTENT))
    assert code == 0
    lines = stdout.splitlines()
    assert lines[0].startswith(f"対策要件集の版: {load_catalogue(CONTENT).meta.version}+")
    assert lines[1:] == ["まとめ: この案件への影響はありません"]


def test_drift_prints_each_change(content_copy: Path, catalogue: Catalogue) -> None:
    edit(
        content_copy,
        "questionnaires/rules.yaml",
        "when: {all: [C-internet, {any: [C-conf3, C-pii-sensitive]}]}",
        "when: {all: [C-internet, C-conf3]}",
    )
    old_clause = catalogue.requirements["AT-2"].requirement.levels["low"].clauses[0]
    new_clause = old_clause.replace("明示的に許可して", "明示的に許可し、")
    edit(content_copy, "requirement_sets/AT.yaml", old_clause, new_clause)
    code, stdout, _ = run("content", "drift", str(CITIZEN), "--new", str(content_copy))
    assert code == 0
    data = yaml.safe_load(CITIZEN.read_text(encoding="utf-8"))
    expected = drift(catalogue, load_catalogue(content_copy), data)
    assert "AT-1 通信経路の分離: レベルが高位から中位に変わります" in stdout.splitlines()
    assert "AT-2 不正通信の遮断: 記載文が1か所変わります" in stdout.splitlines()
    assert f"    変更前: {old_clause}" in stdout and f"    変更後: {new_clause}" in stdout
    assert stdout.splitlines()[-1] == f"まとめ: {drift_summary(expected)}"
    assert drift_summary(expected) == "1件の対策要件でレベルが変わり、1件の対策要件で記載文が変わります"


def test_drift_reports_answers_the_new_content_rejects(content_copy: Path) -> None:
    edit(content_copy, "questionnaires/questions.yaml", "{id: ge10000,", "{id: ge10k,")
    edit(content_copy, "questionnaires/conditions.yaml", "in: [1000to10000, ge10000]", "in: [1000to10000, ge10k]")
    code, stdout, _ = run("content", "drift", str(CITIZEN), "--new", str(content_copy))
    assert code == 0
    assert "回答「10,000人以上」は使えなくなります" in stdout
    assert "注意（新しい版では使えない回答）: answers.scale: 'ge10000' は選択肢にありません" in stdout


def test_drift_with_a_bad_answers_file(tmp_path: Path, content_copy: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("- not a mapping\n", encoding="utf-8")
    code, _, err = run("content", "drift", str(path), "--new", str(content_copy))
    assert code == 2 and "回答ファイルの先頭はキーと値の組（マッピング）にしてください" in err
    code, _, err = run("content", "drift", str(tmp_path / "missing.yaml"), "--new", str(content_copy))
    assert code == 2 and "ファイルを読めません" in err


def test_db_upgrade_records_the_shipped_content_and_the_app_start_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalogue: Catalogue
) -> None:
    """The shipped catalogue becomes a release when migrations are run on purpose, not when a
    worker starts (issue 13: no start-up work writes to the database)."""
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SBD_CONTENT_DIR", str(CONTENT))
    code, stdout, err = run("db", "upgrade")
    assert code == 0, err
    assert f"同梱の対策要件集（版 {catalogue.content_version}）を登録しました" in stdout
    code, stdout, err = run("db", "upgrade")  # run again: nothing new to record, and it says so
    assert code == 0, err
    assert f"同梱の対策要件集（版 {catalogue.content_version}）は登録済みです" in stdout
    engine = make_engine(url)
    with Session(engine) as session:
        assert releases.active_version(session) == catalogue.content_version
        counted = session.scalar(select(func.count()).select_from(CatalogueRelease))
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "t", "CONTENT_DIR": CONTENT})
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(CatalogueRelease)) == counted
    app.extensions["sbd"]["engine"].dispose()
    engine.dispose()


def test_cli_and_web_share_one_release_store(
    tmp_path: Path, content_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sbd-tool content import --activate` stores and activates a release exactly as the admin page
    does: the web's catalogue for new projects is the one the CLI imported."""
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SBD_CONTENT_DIR", str(CONTENT))
    assert run("db", "upgrade")[0] == 0
    edit(content_copy, "requirement_sets/catalogue.yaml", 'version: "', 'version: "9.')
    bundle = tmp_path / "office.zip"
    bundle.write_bytes(export_bundle(content_copy))
    imported = load_catalogue(content_copy).content_version
    code, stdout, err = run("content", "import", str(bundle), "--note", "省の版")
    assert code == 0, err
    assert stdout.startswith("取り込みました（有効にするには管理画面又は --activate）")
    code, stdout, err = run("content", "import", str(bundle), "--activate")
    assert code == 0, err
    assert stdout.startswith("この版は既に取り込まれています（有効にしました）")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "t", "CONTENT_DIR": CONTENT})
    with app.app_context():
        from sbd_tool.web import releases as web_releases
        from sbd_tool.web.store import db

        assert web_releases.active(db()).content_version == imported
        assert web_releases.active_release(db()).note == "省の版"
    app.extensions["sbd"]["engine"].dispose()


def test_import_into_an_unmigrated_database_says_what_to_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    bundle = tmp_path / "content.zip"
    bundle.write_bytes(export_bundle(CONTENT))
    code, _, err = run("content", "import", str(bundle))
    assert code == 2 and "sbd-tool db upgrade" in err
