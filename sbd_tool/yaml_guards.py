"""The guards that check a YAML document while it is composed, before anything is constructed:
the limits of an untrusted document, the error that says what to fix, and the ``Guards`` mixin
that refuses anchors, aliases, tags other than the plain types, lone surrogates, too many values,
too deep a nesting and a key given twice. ``safe_yaml`` mixes them into its loaders.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent, Event, NodeEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# The limits of an untrusted document: an answers file uses a few thousand values and a dozen
# levels; the whole shipped catalogue about 7,000 values. Past them, loading takes seconds.
MAX_DEPTH = 40
MAX_NODES = 50_000
MAX_BYTES = 1_000_000

# Explicit tags that only name what the value would be anyway; every other tag is refused.
_CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = frozenset(
    {"!", *(_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp"))}
)


_MERGE = _CORE + "merge"
# A string no file can hold: a lone surrogate (from an escape such as "\\ud800").
_SURROGATE = re.compile("[\ud800-\udfff]")


class UnsafeYamlError(ValueError):
    """The document cannot be loaded; the message (Japanese) says what to fix: ``reason``, at
    1-based ``line`` when known (``str()`` is 「3行目: reason」); ``limit`` names the limit it
    went past ("nodes", "depth", "bytes"), if that is why."""

    def __init__(self, reason: str, line: int | None = None, *, limit: str | None = None) -> None:
        super().__init__(f"{line}行目: {reason}" if line is not None else reason)
        self.reason = reason
        self.line = line
        self.limit = limit


def line_of(mark: Any) -> int | None:
    """The 1-based line of a mark of either parser (PyYAML's or libyaml's), which count from 0."""
    return mark.line + 1 if mark is not None else None


def _key_path(path: list[str | int]) -> str:
    """``['project', 'tasks', 0, 'name']`` → ``project.tasks[0].name`` (as answers problems say)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def too_deep(max_depth: int) -> str:
    """The refusal of a document nested deeper than ``max_depth``."""
    return (
        f"入れ子が深すぎます（上限 {max_depth} 段）。"
        "決められた形式（回答ファイルなら docs/answers-format.md）どおりの構造にしてください"
    )


class Guards(Composer, SafeConstructor):
    """Checks each node as it is composed, before any is constructed. Mixed into a loader in
    front of its composer."""

    max_depth = MAX_DEPTH
    max_nodes = MAX_NODES
    unique_keys = True  # refuse a key given twice in a mapping
    depth = 0
    nodes = 0
    key_path: list[str | int]  # where the node being composed is (set by ``safe_yaml``)
    keys_seen: dict[int, set[Any]]  # per mapping (by id), the keys composed so far

    if TYPE_CHECKING:  # provided by the parser it is mixed with

        def peek_event(self) -> Event: ...

        def dispose(self) -> None: ...

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise UnsafeYamlError(
                f"エイリアス（*{event.anchor}）は使えません。参照せずに、同じ値をそのまま書いてください",
                line_of(event.start_mark),
            )
        if isinstance(event, NodeEvent) and event.anchor is not None:
            raise UnsafeYamlError(
                f"アンカー（&{event.anchor}）は使えません。"
                "&名前 を削除し、同じ値が必要な箇所にはそのまま書いてください",
                line_of(event.start_mark),
            )
        if isinstance(event, ScalarEvent | CollectionStartEvent) and event.tag not in (None, *ALLOWED_TAGS):
            raise UnsafeYamlError(
                f"タグ '{event.tag}' は使えません。値の前の「!」で始まる型の指定を削除してください",
                line_of(event.start_mark),
            )
        if isinstance(event, ScalarEvent) and (bad := _SURROGATE.search(event.value)):
            raise UnsafeYamlError(
                f"使えない文字（U+{ord(bad.group()):04X}）が含まれています。削除してください", line_of(event.start_mark)
            )
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise UnsafeYamlError(
                f"値の数が多すぎます（上限 {self.max_nodes:,} 個）。必要なデータ以外が含まれていないか確認してください",
                line_of(event.start_mark),
                limit="nodes",
            )
        self.depth += 1
        if self.depth > self.max_depth:
            raise UnsafeYamlError(too_deep(self.max_depth), line_of(event.start_mark), limit="depth")
        path = self.key_path
        pushed = False
        if isinstance(parent, SequenceNode):
            path.append(index)
            pushed = True
        elif isinstance(parent, MappingNode) and isinstance(index, Node):  # the value of key ``index``
            path.append(index.value if isinstance(index, ScalarNode) else "?")
            pushed = True
            if self.unique_keys:
                self._check_unique(parent, index, path)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1
            if pushed:
                path.pop()

    def _check_unique(self, mapping: MappingNode, key: Node, path: list[str | int]) -> None:
        """Refuse ``key`` if ``mapping`` had an equal key (one set per mapping: linear, and with
        aliases refused every node is composed once)."""
        if not isinstance(key, ScalarNode) or key.tag == _MERGE:
            return  # a collection as a key cannot be constructed anyway: refused then
        keys = self.keys_seen.setdefault(id(mapping), set())
        value = self.construct_object(key)
        try:
            duplicate = value in keys
            keys.add(value)
        except TypeError:  # unhashable: the constructor says so
            return
        if duplicate:
            raise UnsafeYamlError(
                f"キー '{key.value}' が2回書かれています（{_key_path(path)}）。どちらか一方を削除してください",
                line_of(key.start_mark),
            )

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
                f"値 '{shown}' を読み取れません（{exc}）。"
                '日付は YYYY-MM-DD の形で書き、文字列として扱う値は引用符（"）で囲んでください',
                line_of(node.start_mark),
            ) from exc
