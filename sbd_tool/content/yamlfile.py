"""Reading YAML so that problems can be reported with a line number and a key path."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sbd_tool.problems import Problem

# pydantic error types, said in the language of the people who edit the content.
_MESSAGES = {
    "missing": "必須の項目がありません",
    "extra_forbidden": "定義されていない項目です（綴りを確認してください）",
    "string_type": "文字列が必要です",
    "string_too_short": "空にはできません",
    "string_pattern_mismatch": "形式が正しくありません",
    "too_short": "要素が足りません",
    "too_long": "要素が多すぎます",
    "list_type": "リストが必要です",
    "dict_type": "キーと値の組（マッピング）が必要です",
    "model_type": "キーと値の組（マッピング）が必要です",
    "literal_error": "使用できない値です",
    "int_type": "整数が必要です",
    "int_parsing": "整数が必要です",
    "bool_type": "true 又は false が必要です",
    "bool_parsing": "true 又は false が必要です",
    "greater_than": "値が小さすぎます",
    "greater_than_equal": "値が小さすぎます",
    "less_than_equal": "値が大きすぎます",
    "value_error": "値が正しくありません",
}


def key_path(loc: Sequence[int | str]) -> str:
    """``('a', 0, 'b')`` → ``a[0].b``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _is_union_tag(part: int | str) -> bool:
    """pydantic names union members in ``loc`` (``AnswerTest``, ``function-after[...]``)."""
    return isinstance(part, str) and (part[:1].isupper() or part.startswith("function-"))


def yaml_error_problem(label: str, error: yaml.YAMLError) -> Problem:
    """A YAML syntax error, located at its line."""
    mark = getattr(error, "problem_mark", None)
    line = f":{mark.line + 1}" if mark else ""
    reason = getattr(error, "problem", None) or str(error)
    return Problem(f"{label}{line}", f"YAMLとして読めません（{reason}）")


# libyaml's parser when PyYAML was built with it (about twenty times faster), else PyYAML's own.
# Both give nodes with start marks (line numbers) and build the same data with the safe constructor.
Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose_and_construct(text: str) -> tuple[yaml.Node | None, Any]:
    """The document's node tree (for line numbers) and its data, from one parse: the data is
    built from the very nodes, as ``yaml.safe_load`` does internally."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


class YamlFile:
    """A parsed YAML file that remembers where each value stands."""

    def __init__(self, path: Path, label: str, text: str | None = None) -> None:
        self.path = path
        self.label = label
        self.node, self.data = compose_and_construct(path.read_text(encoding="utf-8") if text is None else text)

    def line_of(self, loc: Sequence[int | str]) -> int | None:
        """The 1-based line of the deepest node on ``loc`` that exists."""
        node = self.node
        line = node.start_mark.line + 1 if node is not None else None
        for part in loc:
            child = None
            if isinstance(node, yaml.MappingNode):
                child = next((v for k, v in node.value if k.value == part), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                child = node.value[part] if part < len(node.value) else None
            if child is None:
                break
            node, line = child, child.start_mark.line + 1
        return line

    def where(self, loc: Sequence[int | str]) -> str:
        line = self.line_of(loc)
        path = key_path(loc) or "(ファイル全体)"
        return f"{self.label}:{line}: {path}" if line else f"{self.label}: {path}"

    def problem(self, loc: Sequence[int | str], message: str) -> Problem:
        return Problem(self.where(loc), message)

    def duplicate_keys(self) -> list[Problem]:
        """YAML silently keeps the last of two equal keys; content authors must hear of it."""
        found: list[Problem] = []

        def walk(node: yaml.Node, loc: list[int | str]) -> None:
            if isinstance(node, yaml.MappingNode):
                seen: set[str] = set()
                for k, v in node.value:
                    if k.value in seen:
                        line = k.start_mark.line + 1
                        found.append(
                            Problem(
                                f"{self.label}:{line}: {key_path([*loc, k.value])}",
                                "同じキーが2回書かれています",
                            )
                        )
                    seen.add(k.value)
                    walk(v, [*loc, k.value])
            elif isinstance(node, yaml.SequenceNode):
                for i, v in enumerate(node.value):
                    walk(v, [*loc, i])

        if self.node is not None:
            walk(self.node, [])
        return found

    def validation_problems(self, error: ValidationError) -> list[Problem]:
        """pydantic's errors, located in this file and said in Japanese."""
        problems = []
        for err in error.errors():
            # Union members appear in loc as class names; they say nothing to an author.
            loc = [p for p in err["loc"] if not _is_union_tag(p)]
            message = _MESSAGES.get(err["type"], "値が正しくありません")
            detail = err["msg"].removeprefix("Value error, ")
            problems.append(self.problem(loc, f"{message}（{detail}）"))
        return problems
