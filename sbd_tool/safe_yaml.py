"""Loading YAML (or JSON) that a user supplied: an answers file imported on the web or given
to the command line.

``yaml.safe_load`` already refuses arbitrary Python objects, but it still expands aliases (a
"billion laughs" document is a few hundred bytes that turn into gigabytes once the result is
walked or serialised) and accepts any nesting depth and size. Here the document is checked
while it is composed, before anything is constructed: anchors and aliases, explicit tags other
than the plain JSON-like types, nesting depth and the number of nodes are all limited. Answers
files need none of these features, so a document that uses them is refused with a message
saying what to change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent, Event, NodeEvent, ScalarEvent
from yaml.nodes import Node
from yaml.resolver import Resolver

# Explicit tags that only name what the value would be anyway; every other tag is refused.
_CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = frozenset(
    {"!", *(_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp"))}
)


class UnsafeYamlError(ValueError):
    """The document cannot be loaded; the message (Japanese) says what to fix."""


def _line(mark: Any) -> str:
    """「3行目: 」 for a mark of either parser (PyYAML's or libyaml's), which count from 0."""
    return f"{mark.line + 1}行目: " if mark is not None else ""


def _too_deep(max_depth: int) -> str:
    return (
        f"入れ子が深すぎます（上限 {max_depth} 段）。"
        "回答ファイルの形式（docs/answers-format.md）どおりの構造にしてください"
    )


class _Guards(Composer, SafeConstructor):
    """Checks each node as it is composed, before any is constructed. Mixed into a loader in
    front of its composer."""

    max_depth = 40
    max_nodes = 100_000
    depth = 0
    nodes = 0

    if TYPE_CHECKING:  # provided by the parser it is mixed with

        def peek_event(self) -> Event: ...

        def dispose(self) -> None: ...

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise UnsafeYamlError(
                f"{_line(event.start_mark)}エイリアス（*{event.anchor}）は使えません。"
                "参照せずに、同じ値をそのまま書いてください"
            )
        if isinstance(event, NodeEvent) and event.anchor is not None:
            raise UnsafeYamlError(
                f"{_line(event.start_mark)}アンカー（&{event.anchor}）は使えません。"
                "&名前 を削除し、同じ値が必要な箇所にはそのまま書いてください"
            )
        if isinstance(event, ScalarEvent | CollectionStartEvent) and event.tag not in (None, *ALLOWED_TAGS):
            raise UnsafeYamlError(
                f"{_line(event.start_mark)}タグ '{event.tag}' は使えません。"
                "値の前の「!」で始まる型の指定を削除してください"
            )
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise UnsafeYamlError(
                f"{_line(event.start_mark)}値の数が多すぎます（上限 {self.max_nodes:,} 個）。"
                "回答ファイル以外のデータが含まれていないか確認してください"
            )
        self.depth += 1
        if self.depth > self.max_depth:
            raise UnsafeYamlError(f"{_line(event.start_mark)}{_too_deep(self.max_depth)}")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        """Values the plain types cannot hold (a 2026-13-45 date, an integer of 5,000 digits)
        raise ``ValueError`` deep in PyYAML; say where instead."""
        try:
            return super().construct_object(node, deep)
        except UnsafeYamlError:
            raise
        except (ValueError, OverflowError) as exc:
            value = node.value if isinstance(node.value, str) else ""
            shown = value if len(value) <= 40 else value[:40] + "…"
            raise UnsafeYamlError(
                f"{_line(node.start_mark)}値 '{shown}' を読み取れません（{exc}）。"
                '日付は YYYY-MM-DD の形で書き、文字列として扱う値は引用符（"）で囲んでください'
            ) from exc


class _PythonLoader(_Guards, yaml.SafeLoader):
    """``SafeLoader`` with the guards: scanning and parsing in Python."""


_Loader: type[_Guards] = _PythonLoader
try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml
    pass
else:

    class _LibyamlLoader(_Guards, Resolver, CParser):
        """The same, with libyaml scanning and parsing (about four times faster). The composer
        stays Python (``Composer`` comes before ``CParser``), so the guards still see every
        event; it is ``yaml.CSafeLoader`` with Python composition."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            Composer.__init__(self)

    _Loader = _LibyamlLoader


def _decode(raw: bytes | str, max_bytes: int) -> str:
    if isinstance(raw, str):
        try:
            size = len(raw.encode("utf-8"))
        except UnicodeEncodeError as exc:  # a lone surrogate: no file can hold it
            line = raw[: exc.start].count("\n") + 1
            raise UnsafeYamlError(
                f"{line}行目: 使えない文字（U+{ord(raw[exc.start]):04X}）が含まれています。削除してください"
            ) from exc
    else:
        size = len(raw)
    if size > max_bytes:
        raise UnsafeYamlError(
            f"ファイルが大きすぎます（{size:,} バイト、上限 {max_bytes:,} バイト）。不要な部分を削除してください"
        )
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UnsafeYamlError(
            f"{line}行目: UTF-8 のテキストとして読めません。"
            "文字コードを UTF-8 にして保存し直してください（Shift_JIS などは読めません）"
        ) from exc


def load_untrusted(
    raw: bytes | str, *, max_bytes: int = 1_000_000, max_depth: int = 40, max_nodes: int = 100_000
) -> Any:
    """The data in a YAML (or JSON) document from a user, as ``yaml.safe_load`` would return it
    (dates become ``datetime.date``); raise ``UnsafeYamlError`` if it is too big, not UTF-8,
    not valid YAML, uses anchors, aliases or tags, nests deeper than ``max_depth`` or has more
    than ``max_nodes`` values."""
    text = _decode(raw, max_bytes)
    loader: _Guards | None = None
    try:
        loader = _Loader(text)  # type: ignore[call-arg]  # every loader takes the stream
        loader.max_depth, loader.max_nodes = max_depth, max_nodes
        return loader.get_single_data()
    except yaml.reader.ReaderError as exc:
        # The reader reports the first character YAML does not allow (a raw control character).
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        line = text[: max(text.find(char), 0)].count("\n") + 1
        raise UnsafeYamlError(
            f"{line}行目: 使えない文字（U+{ord(char):04X}）が含まれています。削除してください"
        ) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "maximum nesting depth" in (exc.problem or ""):  # libyaml's own limit (1,000), met while scanning ahead
            raise UnsafeYamlError(f"{_line(mark)}{_too_deep(max_depth)}") from exc
        where = f"{mark.line + 1}行目、{mark.column + 1}文字目付近" if mark is not None else "位置不明"
        detail = "、".join(p for p in (exc.context, exc.problem) if p)
        raise UnsafeYamlError(
            f"ファイルの形式が正しくありません（YAML の書式の誤り、{where}：{detail}）。"
            "括弧や引用符の閉じ忘れ、字下げのずれ、「:」の後の空白を確認してください"
        ) from exc
    except yaml.YAMLError as exc:
        raise UnsafeYamlError(f"ファイルの形式が正しくありません（{exc}）") from exc
    finally:
        if loader is not None:
            loader.dispose()
