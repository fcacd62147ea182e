"""The layers of sbd-tool, checked from the code: every import runs downward (or within its own
layer), the command line's core does not import the web, and web modules do not reach into each
other's private helpers. docs/architecture.md shows the same table; its picture is generated here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from sbd_tool.architecture import LAYERS, layer_of, mermaid
from tests.conftest import ROOT

PACKAGE = ROOT / "sbd_tool"
DOC = ROOT / "docs" / "architecture.md"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, names) of every ``sbd_tool`` import, module level or inside functions."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sbd_tool"):
            out.append((node.lineno, node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name, []) for a in node.names if a.name.startswith("sbd_tool")]
    return out


MODULES = _modules()


def _target(module: str, names: list[str]) -> list[str]:
    """``from sbd_tool.web import audit`` imports the module ``sbd_tool.web.audit``."""
    subs = [f"{module}.{n}" for n in names if f"{module}.{n}" in MODULES]
    return subs or [module]


def test_every_module_has_a_layer() -> None:
    missing = [name for name in MODULES if layer_of(name) is None]
    assert not missing, f"add these to sbd_tool/architecture.py LAYERS: {missing}"


def test_no_import_runs_upward() -> None:
    order = {name: i for i, (name, _, _) in enumerate(LAYERS)}
    upward = []
    for name, path in MODULES.items():
        own = layer_of(name)
        assert own is not None
        for line, module, names in _imports(path):
            for target in _target(module, names):
                theirs = layer_of(target)
                if theirs is not None and order[theirs] > order[own]:
                    upward.append(f"{path.relative_to(ROOT)}:{line}: {own} → {theirs} ({target})")
    assert not upward, "imports that run upward:\n" + "\n".join(upward)


def test_the_command_line_core_does_not_import_the_web() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for name, path in MODULES.items()
        if name == "sbd_tool.cli" or name.startswith("sbd_tool.cli.")
        for line, module, names in _imports(path)
        if module == "sbd_tool.web" or module.startswith("sbd_tool.web.")
    ]
    where = "the CLI's commands use the core; the web's commands live in sbd_tool/web/server.py"
    assert not found, where + ":\n" + "\n".join(found)


def test_web_modules_do_not_import_each_others_private_helpers() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {module}.{n}"
        for name, path in MODULES.items()
        if name.startswith("sbd_tool.web")
        for line, module, names in _imports(path)
        if module.startswith("sbd_tool.web.") and module != name
        for n in names
        if n.startswith("_")
    ]
    assert not found, "\n".join(found)


def test_the_architecture_page_shows_the_layers_of_the_code() -> None:
    """docs/architecture.md's picture is generated from LAYERS (``python -m sbd_tool.architecture``)."""
    text = DOC.read_text(encoding="utf-8")
    shown = re.search(r"```mermaid\n(.*?)```", text, re.S)
    assert shown is not None, "docs/architecture.md has no mermaid picture"
    assert shown.group(1) == mermaid(), "regenerate the picture: python -m sbd_tool.architecture"


@pytest.mark.parametrize("layer", [name for name, _, _ in LAYERS])
def test_each_layer_is_described_in_the_architecture_page(layer: str) -> None:
    assert f"**{layer}**" in DOC.read_text(encoding="utf-8")


MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60
# Declarative tables, not logic: the content files' pydantic models and the database models.
DECLARATIVE = {"sbd_tool.content.schema", "sbd_tool.storage.models"}


def _too_long(modules: dict[str, Path]) -> list[str]:
    found = []
    for name, path in modules.items():
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES and name not in DECLARATIVE:
            found.append(f"{name}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(f"{name}:{node.lineno} {node.name}(): {length} lines")
    return found


def test_modules_and_functions_stay_short() -> None:
    """Each module holds one thing (at most 300 lines) and each function one step (at most 60).
    Migrations are history and are not rewritten, so they are not counted."""
    assert _too_long(_modules()) == []


def test_the_length_check_can_fail(tmp_path: Path) -> None:
    long_module = tmp_path / "long.py"
    long_module.write_text("def f() -> None:\n" + "    x = 1\n" * 61 + "\n" * 300, encoding="utf-8")
    assert _too_long({"sbd_tool.long": long_module}) == [
        "sbd_tool.long: 362 lines",
        "sbd_tool.long:1 f(): 62 lines",
    ]
    assert _too_long({"sbd_tool.content.schema": long_module}) == ["sbd_tool.content.schema:1 f(): 62 lines"]
