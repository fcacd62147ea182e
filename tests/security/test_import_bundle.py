"""Issue 12, item 11: the catalogue zip import cannot be pinned on CPU or crashed. Every YAML
file of a bundle is checked under the answers import's limits (no anchors or aliases, depth,
number of values, size) before anything expensive, whatever the parser would stumble on first,
and refused with a message naming the file and line; through ``sbd-tool content import`` and the
admin's import page alike.

The 2-second ceilings guard against a hang; they are not timing assertions (each payload is
refused in a fraction of that)."""

from __future__ import annotations

import html
import io
import time
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from sbd_tool.content.bundle import BundleError, bundle_files
from sbd_tool.storage.models import CatalogueRelease
from sbd_tool.storage.releases import check_bundle
from tests.conftest import CONTENT
from tests.test_cli_content import run
from tests.web.test_catalogue import admin_client

HANG_GUARD = 2.0  # seconds


def alias_chain(levels: int = 8, fanout: int = 6) -> str:
    """Each mapping refers to the previous one ``fanout`` times: a walk that follows the aliases
    (duplicate-key detection, validation) visits fanout ** levels nodes."""
    lines = ["a0: &a0 {k: v}"]
    for i in range(1, levels + 1):
        refs = ", ".join(f"k{j}: *a{i - 1}" for j in range(fanout))
        lines.append(f"a{i}: &a{i} {{{refs}}}")
    return "\n".join(lines) + "\n"


PAYLOADS = {
    # libyaml stops at the surrogate escape; the pure-Python loader accepts it and then walked
    # the alias chain exponentially.
    "a lone surrogate before an alias chain": (
        'note: "\\ud800"\n' + alias_chain(),
        "requirement_sets/AC.yaml:1: 使えない文字（U+D800）が含まれています",
    ),
    "an alias chain": (alias_chain(), "requirement_sets/AC.yaml:1: アンカー（&a0）は使えません"),
    "an escape of no character": ('name: "\\U00110000"\n', "requirement_sets/AC.yaml:1: 文字として読めないエスケープ"),
    "150,000 values in 300 KB": ("x: [" + "0," * 150_000 + "0]\n", "値の数が多すぎます（上限 50,000 個）"),
    "deep nesting": (
        "x: " + "[" * 50 + "]" * 50 + "\n",
        "requirement_sets/AC.yaml:1: 入れ子が深すぎます（上限 40 段）",
    ),
    "a tag": ("x: !!python/object/apply:os.system [ls]\n", "requirement_sets/AC.yaml:1: タグ"),
}


def bundle_with(content: str) -> bytes:
    files = bundle_files(CONTENT) | {"requirement_sets/AC.yaml": content.encode("utf-8")}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("payload", list(PAYLOADS), ids=list(PAYLOADS))
def test_the_core_refuses_quickly(payload: str) -> None:
    content, message = PAYLOADS[payload]
    data = bundle_with(content)
    start = time.perf_counter()
    with pytest.raises(BundleError) as caught:
        check_bundle(data)
    assert time.perf_counter() - start < HANG_GUARD
    found = [str(p) for p in caught.value.problems]
    assert any(message in p for p in found), found


def test_each_is_the_only_problem_reported() -> None:
    """Refused before the loader runs: no validation noise after the real reason."""
    for content, message in PAYLOADS.values():
        with pytest.raises(BundleError) as caught:
            check_bundle(bundle_with(content))
        assert len(caught.value.problems) == 1 and message in str(caught.value.problems[0])


@pytest.mark.parametrize("payload", list(PAYLOADS), ids=list(PAYLOADS))
def test_the_command_line_refuses_quickly(tmp_path: Path, content_copy: Path, payload: str) -> None:
    content, message = PAYLOADS[payload]
    bundle = tmp_path / "hostile.zip"
    bundle.write_bytes(bundle_with(content))
    before = bundle_files(content_copy)
    start = time.perf_counter()
    code, _, err = run("content", "import", str(bundle), "--into", str(content_copy))
    assert time.perf_counter() - start < HANG_GUARD
    assert code == 1 and message in err, err
    assert "Traceback" not in err
    assert bundle_files(content_copy) == before


def release_count(app: Flask) -> int:
    with app.extensions["sbd"]["sessions"]() as session:
        return int(session.scalar(select(func.count()).select_from(CatalogueRelease)) or 0)


@pytest.mark.parametrize("payload", list(PAYLOADS), ids=list(PAYLOADS))
def test_the_admin_import_refuses_quickly(app: Flask, payload: str) -> None:
    content, message = PAYLOADS[payload]
    admin = admin_client(app)
    before = release_count(app)
    start = time.perf_counter()
    response = admin.post(
        "/admin/catalogue",
        data={"file": (io.BytesIO(bundle_with(content)), "hostile.zip")},
        content_type="multipart/form-data",
    )
    assert time.perf_counter() - start < HANG_GUARD
    assert response.status_code == 400
    assert message in html.unescape(response.data.decode())
    assert release_count(app) == before
