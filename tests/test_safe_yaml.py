"""Loading untrusted YAML: what an answers file needs loads as ``yaml.safe_load`` loads it;
aliases, tags, deep nesting, huge or non-UTF-8 input are refused quickly, saying what to fix."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from sbd_tool import safe_yaml
from sbd_tool.safe_yaml import load_untrusted
from sbd_tool.yaml_guards import UnsafeYamlError
from tests.conftest import EXAMPLES, ROOT
from tests.test_cli import run

BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.fixture(autouse=True, params=["libyaml", "python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Every test runs with both parsers: libyaml where PyYAML has it, and the pure-Python one."""
    if request.param == "python":
        monkeypatch.setattr(safe_yaml, "_Loader", safe_yaml._PythonLoader)
    elif not yaml.__with_libyaml__:
        pytest.skip("PyYAML without libyaml")
    yield request.param


def refused(document: str | bytes, **limits: int) -> str:
    with pytest.raises(UnsafeYamlError) as caught:
        load_untrusted(document, **limits)
    return str(caught.value)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_answers_files_load_as_safe_load_loads_them(example: Path) -> None:
    raw = example.read_bytes()
    assert load_untrusted(raw) == load_untrusted(raw.decode("utf-8")) == yaml.safe_load(raw)
    data = load_untrusted(raw)
    assert isinstance(data["document"]["date"], dt.date)  # dates stay dates, as with safe_load


def test_plain_values_and_json_load() -> None:
    assert load_untrusted("") is None
    assert load_untrusted("\ufeffa: 1\n".encode()) == {"a": 1}  # a BOM is dropped
    assert load_untrusted('a: !!str 12\nb: ! 12\nc: "\\x00\\e"\nd: 2026-11-24') == {
        "a": "12",
        "b": 12,
        "c": "\x00\x1b",  # escaped control characters are text (cleaned when the answers are parsed)
        "d": dt.date(2026, 11, 24),
    }
    data = {"format": "sbd-tool/answers@1", "list": [1, 2.5, None, True, {"x": "é"}]}
    assert load_untrusted(json.dumps(data)) == data
    assert load_untrusted("[" * 40 + "]" * 40) is not None  # 40 levels is the limit, and allowed


def test_billion_laughs_is_refused_at_once() -> None:
    start = time.perf_counter()
    message = refused(BILLION_LAUGHS)
    assert time.perf_counter() - start < 0.5
    assert message.startswith("1行目: アンカー（&a）は使えません。")


def test_aliases_and_anchors_are_refused() -> None:
    assert refused("a: 1\nb: *x\n") == "2行目: エイリアス（*x）は使えません。参照せずに、同じ値をそのまま書いてください"
    assert refused("a: 1\nb: &x 2\n").startswith("2行目: アンカー（&x）は使えません。")
    assert refused("base: {a: 1}\nother:\n  <<: *base\n").startswith("3行目: エイリアス（*base）は使えません")


def test_deep_nesting_is_refused() -> None:
    assert refused("[" * 10_000 + "]" * 10_000).startswith("1行目: 入れ子が深すぎます（上限 40 段）。")
    block = "".join("  " * i + "k:\n" for i in range(100))
    assert refused(block).startswith("40行目: 入れ子が深すぎます（上限 40 段）。")
    assert refused("a: [[[1]]]", max_depth=3).startswith("1行目: 入れ子が深すぎます（上限 3 段）。")


def test_too_many_values_are_refused() -> None:
    assert load_untrusted("[1, 2, 3]", max_nodes=4) == [1, 2, 3]
    assert refused("[1, 2, 3, 4]", max_nodes=4).startswith("1行目: 値の数が多すぎます（上限 4 個）。")
    start = time.perf_counter()
    refused("[" + "0," * 150_000 + "0]")
    assert time.perf_counter() - start < 15  # stops at 100,000 values, not after reading them all


def test_too_big_is_refused() -> None:
    assert load_untrusted(b"a: " + b"x" * 97, max_bytes=100) == {"a": "x" * 97}
    message = refused(b"a: " + b"x" * 98, max_bytes=100)
    assert message == "ファイルが大きすぎます（101 バイト、上限 100 バイト）。不要な部分を削除してください"
    assert refused("a: " + "あ" * 40, max_bytes=100).startswith("ファイルが大きすぎます（123 バイト")  # UTF-8 bytes


def test_not_utf8_is_refused() -> None:
    message = refused("a: 1\nb: 申請\n".encode("shift_jis"))
    assert message.startswith("2行目: UTF-8 のテキストとして読めません。文字コードを UTF-8 にして保存し直してください")
    assert refused("a: \ud800").startswith("1行目: 使えない文字（U+D800）")  # a str no file could hold


def test_syntax_errors_say_where() -> None:
    message = refused("a: 1\nb: [unclosed, \nc: 3\n")
    assert message.startswith("ファイルの形式が正しくありません（YAML の書式の誤り、4行目")
    assert "括弧や引用符の閉じ忘れ" in message
    assert "2行目、5文字目付近" in refused("a: 1\nb: c: d\n")
    assert "expected a single document" in refused("a: 1\n---\nb: 2\n")
    assert refused("a: b\nc: d\x01\n").startswith("2行目: 使えない文字（U+0001）が含まれています。")


@pytest.mark.parametrize(
    "document",
    [
        "!!python/object/apply:os.system ['echo hacked']",
        "a: !!python/name:os.system",
        "a: !!binary aGVsbG8=",
        "!!set {a, b}",
        "a: !local 1",
    ],
)
def test_other_tags_are_refused(document: str) -> None:
    message = refused(document)
    assert "1行目: タグ '" in message and "は使えません。値の前の「!」で始まる型の指定を削除してください" in message


def test_values_python_cannot_hold_say_where() -> None:
    assert refused("a: 1\nd: 2026-13-45\n").startswith("2行目: 値 '2026-13-45' を読み取れません")
    assert refused("n: " + "1" * 5000).startswith("1行目: 値 '1111")


def test_unsafe_yaml_error_is_a_value_error() -> None:
    assert issubclass(UnsafeYamlError, ValueError)


def test_cli_refuses_an_answers_file_with_an_alias(tmp_path: Path) -> None:
    text = (ROOT / "examples" / "citizen-portal.yaml").read_text(encoding="utf-8")
    text = text.replace("- {name: 審査担当職員, kind: staff}", "- &officer {name: 審査担当職員, kind: staff}", 1)
    text = text.replace("- {name: 審査担当職員, kind: staff}", "- *officer")
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run("levels", str(path))
    assert code == 2 and out == ""
    assert err == f"エラー: {path}: 22行目: アンカー（&officer）は使えません。" + (
        "&名前 を削除し、同じ値が必要な箇所にはそのまま書いてください\n"
    )
    path.write_text("format: sbd-tool/answers@1\nanswers: *officer\n", encoding="utf-8")
    code, _, err = run("levels", str(path))
    assert code == 2 and "2行目: エイリアス（*officer）は使えません" in err


def test_cli_keeps_control_characters_out_of_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text('format: sbd-tool/answers@1\n"\\e]0;pwned\\a\\e[31m": 1\n', encoding="utf-8")
    code, _, err = run("levels", str(path))
    assert code == 2 and "]0;pwned[31m: 定義されていない項目です" in err and "\x1b" not in err and "\x07" not in err


def test_cli_refuses_deeply_nested_json(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    code, _, err = run("levels", str(path))
    assert code == 2 and "入れ子が深すぎます" in err


def test_a_key_given_twice_is_refused_with_its_path() -> None:
    assert refused("a: 1\nb:\n  - {id: x, id: y}\n") == (
        "3行目: キー 'id' が2回書かれています（b[0].id）。どちらか一方を削除してください"
    )
    assert refused('{"f": 1, "f": 2}').startswith("1行目: キー 'f' が2回書かれています（f）")
    assert refused("1: a\n01: b\n").startswith("2行目: キー '01' が2回書かれています")  # the same integer
    assert load_untrusted("a: {k: 1}\nb: {k: 2}\n") == {"a": {"k": 1}, "b": {"k": 2}}  # per mapping


def test_escapes_of_no_character_are_refused_by_either_parser() -> None:
    for document in ('a: "\\ud800"', 'a: "\\U00110000"'):
        error = pytest.raises(UnsafeYamlError, load_untrusted, document).value
        assert error.line == 1 or "YAML の書式の誤り、1行目" in str(error), str(error)
