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

The guards, the limits and ``UnsafeYamlError`` are in ``yaml_guards``; this module holds the
loaders they are mixed into (PyYAML's and libyaml's parser) and the two entry points.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from sbd_tool.yaml_guards import MAX_BYTES, MAX_DEPTH, MAX_NODES, Guards, UnsafeYamlError, line_of, too_deep


class _PythonLoader(Guards, yaml.SafeLoader):
    """``SafeLoader`` with the guards: scanning and parsing in Python."""


_Loader: type[Guards] = _PythonLoader
try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml
    pass
else:

    class _LibyamlLoader(Guards, Resolver, CParser):
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
    loader: Guards | None = None
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
            raise UnsafeYamlError(too_deep(max_depth), line_of(mark), limit="depth") from exc
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
