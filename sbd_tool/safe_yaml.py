"""Loading YAML (or JSON) that a user supplied: an answers file imported on the web or given
to the command line.

``yaml.safe_load`` already refuses arbitrary Python objects, but it still expands aliases (a
"billion laughs" document is a few hundred bytes that turn into gigabytes once the result is
walked or serialised) and accepts any nesting depth and size. Here the document is checked
while it is composed, before anything is constructed: anchors and aliases, explicit tags other
than the plain JSON-like types, nesting depth and the number of nodes are all limited, and a key
given twice in a mapping (which ``safe_load`` would silently resolve to the last) is refused.
Answers files and the catalogue's content files need none of these features, so a document
that uses them is refused with a message saying what to change. The same limits guard the
answers import (``load_untrusted``) and the catalogue zip import (``check_untrusted``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent, Event, NodeEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

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


def _at(mark: Any) -> int | None:
    """The 1-based line of a mark of either parser (PyYAML's or libyaml's), which count from 0."""
    return mark.line + 1 if mark is not None else None


def _key_path(path: list[str | int]) -> str:
    """``['project', 'tasks', 0, 'name']`` → ``project.tasks[0].name`` (as answers problems say)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _too_deep(max_depth: int) -> str:
    return (
        f"入れ子が深すぎます（上限 {max_depth} 段）。"
        "決められた形式（回答ファイルなら docs/answers-format.md）どおりの構造にしてください"
    )


class _Guards(Composer, SafeConstructor):
    """Checks each node as it is composed, before any is constructed. Mixed into a loader in
    front of its composer."""

    max_depth = MAX_DEPTH
    max_nodes = MAX_NODES
    unique_keys = True  # refuse a key given twice in a mapping
    depth = 0
    nodes = 0
    key_path: list[str | int]  # where the node being composed is (set by ``_guarded``)
    keys_seen: dict[int, set[Any]]  # per mapping (by id), the keys composed so far

    if TYPE_CHECKING:  # provided by the parser it is mixed with

        def peek_event(self) -> Event: ...

        def dispose(self) -> None: ...

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise UnsafeYamlError(
                f"エイリアス（*{event.anchor}）は使えません。参照せずに、同じ値をそのまま書いてください",
                _at(event.start_mark),
            )
        if isinstance(event, NodeEvent) and event.anchor is not None:
            raise UnsafeYamlError(
                f"アンカー（&{event.anchor}）は使えません。"
                "&名前 を削除し、同じ値が必要な箇所にはそのまま書いてください",
                _at(event.start_mark),
            )
        if isinstance(event, ScalarEvent | CollectionStartEvent) and event.tag not in (None, *ALLOWED_TAGS):
            raise UnsafeYamlError(
                f"タグ '{event.tag}' は使えません。値の前の「!」で始まる型の指定を削除してください",
                _at(event.start_mark),
            )
        if isinstance(event, ScalarEvent) and (bad := _SURROGATE.search(event.value)):
            raise UnsafeYamlError(
                f"使えない文字（U+{ord(bad.group()):04X}）が含まれています。削除してください", _at(event.start_mark)
            )
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise UnsafeYamlError(
                f"値の数が多すぎます（上限 {self.max_nodes:,} 個）。必要なデータ以外が含まれていないか確認してください",
                _at(event.start_mark),
                limit="nodes",
            )
        self.depth += 1
        if self.depth > self.max_depth:
            raise UnsafeYamlError(_too_deep(self.max_depth), _at(event.start_mark), limit="depth")
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
                _at(key.start_mark),
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
                _at(node.start_mark),
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
                f"使えない文字（U+{ord(raw[exc.start]):04X}）が含まれています。削除してください", line
            ) from exc
    else:
        size = len(raw)
    if size > max_bytes:
        raise UnsafeYamlError(
            f"ファイルが大きすぎます（{size:,} バイト、上限 {max_bytes:,} バイト）。不要な部分を削除してください",
            limit="bytes",
        )
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UnsafeYamlError(
            "UTF-8 のテキストとして読めません。"
            "文字コードを UTF-8 にして保存し直してください（Shift_JIS などは読めません）",
            line,
        ) from exc


def _guarded(
    text: str, max_depth: int, max_nodes: int, unique_keys: bool, *, construct: bool, python: bool = False
) -> tuple[Any, int]:
    """Compose (and, if ``construct``, construct) ``text`` under the guards; the data (or the root
    node) and the number of values. Every failure is an ``UnsafeYamlError`` with its line.
    ``python``: with the pure-Python parser, which ``yaml.SafeLoader`` uses, even where libyaml is."""
    loader: _Guards | None = None
    try:
        kind = _PythonLoader if python else _Loader
        loader = kind(text)  # type: ignore[call-arg]  # every loader takes the stream
        loader.max_depth, loader.max_nodes, loader.unique_keys = max_depth, max_nodes, unique_keys
        loader.key_path, loader.keys_seen = [], {}
        data = loader.get_single_data() if construct else loader.get_single_node()
        return data, loader.nodes
    except UnsafeYamlError:
        raise
    except yaml.reader.ReaderError as exc:
        # The reader reports the first character YAML does not allow (a raw control character).
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        line = text[: max(text.find(char), 0)].count("\n") + 1
        raise UnsafeYamlError(f"使えない文字（U+{ord(char):04X}）が含まれています。削除してください", line) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "maximum nesting depth" in (exc.problem or ""):  # libyaml's own limit (1,000), met while scanning ahead
            raise UnsafeYamlError(_too_deep(max_depth), _at(mark), limit="depth") from exc
        where = f"{mark.line + 1}行目、{mark.column + 1}文字目付近" if mark is not None else "位置不明"
        detail = "、".join(p for p in (exc.context, exc.problem) if p)
        raise UnsafeYamlError(
            f"ファイルの形式が正しくありません（YAML の書式の誤り、{where}：{detail}）。"
            "括弧や引用符の閉じ忘れ、字下げのずれ、「:」の後の空白を確認してください"
        ) from exc
    except yaml.YAMLError as exc:
        raise UnsafeYamlError(f"ファイルの形式が正しくありません（{exc}）") from exc
    except ValueError as exc:  # the pure-Python scanner: an escape of no character ("\U00110000")
        at = getattr(loader, "line", None)
        raise UnsafeYamlError(
            f"文字として読めないエスケープがあります（{exc}）。「\\U」「\\u」の後の番号を確認してください",
            at + 1 if isinstance(at, int) else None,
        ) from exc
    finally:
        if loader is not None:
            loader.dispose()


def load_untrusted(
    raw: bytes | str, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES
) -> Any:
    """The data in a YAML (or JSON) document from a user, as ``yaml.safe_load`` would return it
    (dates become ``datetime.date``); raise ``UnsafeYamlError`` if it is too big, not UTF-8,
    not valid YAML, uses anchors, aliases or tags, gives a key twice in a mapping, nests deeper
    than ``max_depth`` or has more than ``max_nodes`` values."""
    return _guarded(_decode(raw, max_bytes), max_depth, max_nodes, True, construct=True)[0]


def check_untrusted(
    raw: bytes | str,
    *,
    max_bytes: int = MAX_BYTES,
    max_depth: int = MAX_DEPTH,
    max_nodes: int = MAX_NODES,
    unique_keys: bool = True,
    python: bool = False,
) -> int:
    """Check a document under the same limits as ``load_untrusted`` without constructing it
    (its structure only: fast, for a file that another loader will then read); the number of
    values in it. Raise ``UnsafeYamlError`` as ``load_untrusted`` does. ``python`` checks with
    the pure-Python parser (that of ``yaml.SafeLoader``), which accepts a little that libyaml
    refuses, such as "\\ud800"."""
    text = _decode(raw, max_bytes)
    return int(_guarded(text, max_depth, max_nodes, unique_keys, construct=False, python=python)[1])
