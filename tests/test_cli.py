"""The command line on the example files and on bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from sbd_tool.cli import main
from sbd_tool.content import load_catalogue
from tests.conftest import CONTENT, EXAMPLES, ROOT


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_levels_json(example: Path) -> None:
    code, out, _ = run("levels", str(example), "--json")
    assert code == 0
    data = json.loads(out)
    assert len(data["requirements"]) == len(load_catalogue(CONTENT).requirements)
    first = data["requirements"][0]
    assert set(first) >= {"id", "name", "proposed", "decided", "reasons"}
    assert all(r["reasons"] for r in data["requirements"])
    assert data["conditions"]["C-internet"] in (True, False)
    assert data["content_version"].startswith(load_catalogue(CONTENT).meta.version + "+")


def test_levels_table_is_readable() -> None:
    code, out, _ = run("levels", str(ROOT / "examples" / "citizen-portal.yaml"))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("ID    対策要件")
    assert any(line.startswith("AC-2") and "低位（引下げ）" in line for line in lines)
    assert lines[-1].startswith(f"対策要件集の版: {load_catalogue(CONTENT).meta.version}+")


def test_generate_writes_the_document(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "spec.docx"
    code, stdout, _ = run("generate", str(ROOT / "examples" / "internal-small.yaml"), "-o", str(out))
    assert code == 0, stdout
    assert out.read_bytes()[:2] == b"PK"
    assert [p.name for p in out.parent.iterdir()] == ["spec.docx"]  # no temp file left


def write_answers(tmp_path: Path, change: dict[str, object]) -> Path:
    data = yaml.safe_load((ROOT / "examples" / "internal-small.yaml").read_text(encoding="utf-8"))
    data["answers"].update(change)
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"network": ["internet", "intranet"]}, "エラー: answers.network[1]: 'intranet' は選択肢にありません"),
        ({"hosting": 3}, "エラー: answers.hosting: '3' は選択肢にありません"),
        ({"colour": "red"}, "エラー: answers.colour: 定義されていない項目です"),
    ],
)
def test_bad_answers_exit_2_and_write_nothing(tmp_path: Path, change: dict[str, object], message: str) -> None:
    path = write_answers(tmp_path, change)
    out = tmp_path / "spec.docx"
    code, _, err = run("generate", str(path), "-o", str(out))
    assert code == 2
    assert err.startswith(message)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yaml"]


def test_lowering_without_reason_exits_2(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "examples" / "citizen-portal.yaml").read_text(encoding="utf-8"))
    data["decisions"]["AT-1"] = {"level": "low"}
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    code, _, err = run("levels", str(path))
    assert code == 2
    assert "decisions.AT-1.reason: AT-1 を提案（高位）より低い低位にするには、理由を記入してください" in err


def test_unparseable_and_missing_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: [unclosed\n", encoding="utf-8")
    code, _, err = run("levels", str(bad))
    assert code == 2 and "ファイルの形式が正しくありません" in err
    code, _, err = run("levels", str(tmp_path / "nope.yaml"))
    assert code == 2 and "ファイルを読めません" in err


def test_an_existing_output_survives_a_failed_run(tmp_path: Path) -> None:
    out = tmp_path / "spec.docx"
    out.write_bytes(b"previous")
    path = write_answers(tmp_path, {"users": "aliens"})
    code, _, _ = run("generate", str(path), "-o", str(out))
    assert code == 2 and out.read_bytes() == b"previous"


def test_check_content_ok_and_broken(content_copy: Path) -> None:
    code, out, _ = run("check-content", str(CONTENT))
    cat = load_catalogue(CONTENT)
    counts = f"OK: 設問 {len(cat.questions)}、判断条件 {len(cat.conditions)}、対策要件 {len(cat.requirements)}"
    assert code == 0 and out.startswith(counts)
    assert f"規則の確認例 {3 * len(cat.requirements)} 件はすべて期待どおり" in out
    rules = content_copy / "questionnaires" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("C-extlink]", "C-extlinks]", 1), encoding="utf-8")
    code, _, err = run("check-content", str(content_copy))
    assert code == 1
    assert "questionnaires/rules.yaml" in err and "判断条件 C-extlinks がありません" in err


def test_schema_describes_the_examples() -> None:
    code, out, _ = run("schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["$id"] == "sbd-tool/answers@1"
    for example in EXAMPLES:
        data = json.loads(json.dumps(yaml.safe_load(example.read_text(encoding="utf-8")), default=str))
        jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {"format": "sbd-tool/answers@1", "project": {}, "answers": {"network": ["intranet"]}}, schema
        )


def test_console_script_runs() -> None:
    exe = shutil.which("sbd-tool") or str(Path(sys.executable).parent / "sbd-tool")
    result = subprocess.run([exe, "check-content"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
