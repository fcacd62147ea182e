"""The catalogue as a zip: deterministic export, a safe and validating import, an atomic install."""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import warnings
import zipfile
from pathlib import Path

import pytest

from sbd_tool.content import Catalogue, ContentError, load_catalogue
from sbd_tool.content.bundle import BundleError, bundle_files, export_bundle
from sbd_tool.content.bundle_install import install_bundle
from sbd_tool.content.bundle_read import _expand, read_bundle
from sbd_tool.storage.releases import check_bundle, check_files
from tests.conftest import CONTENT


def make_zip(entries: dict[str, bytes] | list[tuple[str, bytes]], *, symlinks: tuple[str, ...] = ()) -> bytes:
    """A zip with exactly these entries, however unsafe their names."""
    buffer = io.BytesIO()
    items = entries.items() if isinstance(entries, dict) else entries
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in items:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            with warnings.catch_warnings():  # zipfile warns of a duplicate name, which is the point
                warnings.simplefilter("ignore", UserWarning)
                archive.writestr(info, data)
    return buffer.getvalue()


def shipped() -> dict[str, bytes]:
    return bundle_files(CONTENT)


def edited(relative: str, old: str, new: str) -> dict[str, bytes]:
    files = shipped()
    text = files[relative].decode("utf-8")
    assert old in text, f"{old!r} not in {relative}"
    files[relative] = text.replace(old, new, 1).encode("utf-8")
    return files


def refused(data: bytes, **limits: int) -> list[str]:
    with pytest.raises(BundleError) as info:
        check_bundle(data, **limits)
    return [str(p) for p in info.value.problems]


# ---------------------------------------------------------------- export


def test_export_holds_exactly_what_the_loader_reads(content_copy: Path) -> None:
    names = zipfile.ZipFile(io.BytesIO(export_bundle(CONTENT))).namelist()
    expected = sorted(
        f"{folder}/{p.name}"
        for folder in ("questionnaires", "requirement_sets")
        for p in (CONTENT / folder).glob("*.yaml")
    )
    assert names == expected
    assert "questionnaires/rule_tests.yaml" in names and not any(n.startswith("docx_templates") for n in names)


def test_export_is_deterministic(content_copy: Path) -> None:
    data = export_bundle(CONTENT)
    assert export_bundle(CONTENT) == data
    os.utime(content_copy / "questionnaires" / "rules.yaml", (0, 0))  # another copy, other times
    assert export_bundle(content_copy) == data
    for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
        assert info.date_time == (1980, 1, 1, 0, 0, 0)


def test_export_of_a_folder_without_content(tmp_path: Path) -> None:
    with pytest.raises(BundleError) as info:
        export_bundle(tmp_path)
    assert [str(p) for p in info.value.problems] == [
        "questionnaires: フォルダがありません",
        "requirement_sets: フォルダがありません",
    ]


# ---------------------------------------------------------------- import: content


def test_round_trip_keeps_the_content_version(catalogue: Catalogue) -> None:
    bundle = check_bundle(export_bundle(CONTENT))
    assert bundle.content_version == catalogue.content_version
    assert bundle.files == shipped()
    assert bundle.rule_tests_checked == 3 * len(catalogue.requirements)
    assert list(bundle.catalogue.requirements) == list(catalogue.requirements)


def test_a_broken_file_gives_the_same_problems_as_check_content(content_copy: Path) -> None:
    old, new = "        purpose: 情報システムを利用する者", "        purpose_: x"
    files = edited("requirement_sets/AC.yaml", old, new)
    found = refused(make_zip(files))
    assert any(
        re.match(
            r"^requirement_sets/AC\.yaml:\d+: policies\[0\]\.requirements\[0\]\.purpose: 必須の項目がありません", p
        )
        for p in found
    ), found
    # Exactly what check-content says about the same edit in a folder.
    path = content_copy / "requirement_sets" / "AC.yaml"
    path.write_bytes(files["requirement_sets/AC.yaml"])
    with pytest.raises(ContentError) as info:
        load_catalogue(content_copy)
    assert found == [str(p) for p in info.value.problems]


def test_a_yaml_syntax_error_is_located() -> None:
    found = refused(make_zip(edited("questionnaires/rules.yaml", "requirements:", "requirements: [unclosed")))
    assert any(re.match(r"^questionnaires/rules\.yaml:\d+: YAMLとして読めません", p) for p in found), found


def test_a_missing_file_is_named() -> None:
    files = shipped()
    del files["questionnaires/conditions.yaml"]
    assert "questionnaires/conditions.yaml: ファイルがありません" in refused(make_zip(files))


def test_a_rule_test_broken_by_the_edit_is_reported() -> None:
    old, new = "when: {any: [C-internet, C-extlink]}", "when: {any: [C-public]}"
    found = refused(make_zip(edited("questionnaires/rules.yaml", old, new)))
    assert any(
        re.match(r"^questionnaires/rule_tests\.yaml:\d+: cases\[2\]\.expect\.AT-1: .*AT-1 は中位のはずが低位と提案", p)
        for p in found
    ), found


def test_a_yaml_error_in_the_rule_tests_is_located() -> None:
    found = refused(make_zip(edited("questionnaires/rule_tests.yaml", "cases:", "cases: [unclosed")))
    assert any(re.match(r"^questionnaires/rule_tests\.yaml:\d+: YAMLとして読めません", p) for p in found), found


def test_check_files_accepts_the_shipped_files(catalogue: Catalogue) -> None:
    assert check_files(shipped()).content_version == catalogue.content_version


# ---------------------------------------------------------------- import: the zip itself


VALID = shipped()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../x.yaml", "エラー: zip 内のパス '../x.yaml' に「..」が含まれています"),
        ("questionnaires/../../x.yaml", "zip 内のパス 'questionnaires/../../x.yaml' に「..」が含まれています"),
        ("/etc/x.yaml", "zip 内のパス '/etc/x.yaml' が絶対パスです"),
        ("C:/x.yaml", "zip 内のパス 'C:/x.yaml' が絶対パスです"),
        ("questionnaires/notes.txt", "'questionnaires/notes.txt' は .yaml ファイルではありません"),
        (
            "docx_templates/x.yaml",
            "zip に questionnaires/ 又は requirement_sets/ の直下以外のファイル 'docx_templates/x.yaml'",
        ),
        ("x.yaml", "zip に questionnaires/ 又は requirement_sets/ の直下以外のファイル 'x.yaml'"),
        ("questionnaires/sub/x.yaml", "の直下以外のファイル 'questionnaires/sub/x.yaml'"),
        ("questionnaires/.hidden.yaml", "ファイル名 'questionnaires/.hidden.yaml' には英数字"),
        ("requirement_sets/AC.yaml", "'requirement_sets/AC.yaml' が zip に2回以上含まれています"),
        ("requirement_sets/ac.yaml", "'requirement_sets/ac.yaml' が zip に2回以上含まれています"),
    ],
)
def test_unsafe_or_stray_entries_are_refused(name: str, message: str) -> None:
    data = make_zip([*VALID.items(), (name, b"id: x\n")])
    found = refused(data)
    assert any(message.removeprefix("エラー: ") in p for p in found), found


def test_a_symlink_is_refused() -> None:
    data = make_zip(
        [*VALID.items(), ("questionnaires/link.yaml", b"/etc/passwd")], symlinks=("questionnaires/link.yaml",)
    )
    assert "'questionnaires/link.yaml' はシンボリックリンクです（取り込めません）" in refused(data)


def test_every_bad_entry_is_reported_at_once() -> None:
    data = make_zip([*VALID.items(), ("../a.yaml", b""), ("/b.yaml", b""), ("questionnaires/c.txt", b"")])
    assert len(refused(data)) == 3


def test_folder_entries_are_allowed_but_no_others() -> None:
    assert check_bundle(make_zip([("questionnaires/", b""), ("requirement_sets/", b""), *VALID.items()]))
    found = refused(make_zip([("docx_templates/", b""), *VALID.items()]))
    assert found == ["zip に questionnaires/ 又は requirement_sets/ 以外のフォルダ 'docx_templates/' が含まれています"]


def test_not_a_zip() -> None:
    assert refused(b"this is not a zip")[0].startswith("zip ファイルとして読めません")


def test_a_zip_too_large_is_refused_before_opening() -> None:
    data = export_bundle(CONTENT)
    found = refused(data, max_bytes=len(data) - 1)
    assert found == [f"zip ファイルが大きすぎます（{len(data):,} バイト。上限は {len(data) - 1:,} バイト）"]


def test_too_many_files() -> None:
    data = make_zip([*VALID.items(), *((f"questionnaires/x{i}.yaml", b"") for i in range(200))])
    assert refused(data) == [f"zip に含まれるファイルが多すぎます（{len(VALID) + 200} 個。上限は 200 個）"]


def test_a_zip_bomb_declaring_its_size_is_refused_without_expanding() -> None:
    data = make_zip([*VALID.items(), ("questionnaires/bomb.yaml", b" " * 6_000_000)])
    assert len(data) < 100_000  # small on the wire
    found = refused(data)
    assert len(found) == 1 and re.match(
        r"^展開後の合計が大きすぎます（[\d,]+ バイト。上限は 5,000,000 バイト）$", found[0]
    )


def lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """Patch the uncompressed size in the entry's local header and central directory record."""
    out = bytearray(data)
    encoded = name.encode()
    # (signature, offset of the uncompressed size, of the name's length, of the name)
    for signature, size_at, length_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        start = 0
        while (start := out.find(signature, start)) != -1:
            (name_length,) = struct.unpack_from("<H", out, start + length_at)
            if bytes(out[start + name_at : start + name_at + name_length]) == encoded:
                struct.pack_into("<I", out, start + size_at, size)
            start += 4
    return bytes(out)


def test_a_zip_bomb_lying_about_its_size_is_refused() -> None:
    honest = make_zip([*VALID.items(), ("questionnaires/bomb.yaml", b" " * 6_000_000)])
    lying = lie_about_size(honest, "questionnaires/bomb.yaml", 10)
    info = zipfile.ZipFile(io.BytesIO(lying)).getinfo("questionnaires/bomb.yaml")
    assert info.file_size == 10  # the declared total passes
    found = refused(lying)
    assert len(found) == 1 and found[0].startswith("'questionnaires/bomb.yaml' を展開できません"), found


def test_what_comes_out_is_counted_while_reading() -> None:
    data = make_zip({"questionnaires/a.yaml": b"a" * 50_000, "questionnaires/b.yaml": b"b" * 50_000})
    with zipfile.ZipFile(io.BytesIO(data)) as archive, pytest.raises(BundleError) as info:
        _expand(archive, archive.infolist(), 70_000)
    assert [str(p) for p in info.value.problems] == [
        "展開すると上限（70,000 バイト）を超えます（'questionnaires/b.yaml' の途中）"
    ]


def test_an_encrypted_or_unusually_compressed_entry_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in VALID.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_BZIP2 if name.endswith("AC.yaml") else None)
    found = refused(buffer.getvalue())
    assert found == ["'requirement_sets/AC.yaml' の圧縮方式には対応していません（無圧縮又は Deflate にしてください）"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not utf-8", "requirement_sets/AC.yaml:1: UTF-8 のテキストとして読めません"),
        (b"a: &x [1, 2]\nb: *x\n", "requirement_sets/AC.yaml:1: アンカー（&x）は使えません"),
        (b"a: 1\nb: *x\n", "requirement_sets/AC.yaml:2: エイリアス（*x）は使えません"),
        (b"[" * 100 + b"]" * 100, "requirement_sets/AC.yaml:1: 入れ子が深すぎます（上限 40 段）"),
    ],
    ids=["not utf-8", "anchor", "alias", "deep"],
)
def test_files_the_loader_would_choke_on(content: bytes, message: str) -> None:
    files = shipped() | {"requirement_sets/AC.yaml": content}
    found = refused(make_zip(files))
    assert any(p.startswith(message) for p in found), found


def test_read_bundle_returns_the_files_sorted() -> None:
    files = read_bundle(make_zip(dict(reversed(list(VALID.items())))))
    assert list(files) == sorted(VALID) and files == VALID


# ---------------------------------------------------------------- install


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_install_replaces_the_content_and_keeps_the_rest(content_copy: Path, catalogue: Catalogue) -> None:
    (content_copy / "questionnaires" / "rules.yaml").write_text("broken: [", encoding="utf-8")
    (content_copy / "requirement_sets" / "ZZ.yaml").write_text("id: ZZ\n", encoding="utf-8")  # gone after
    (content_copy / "questionnaires" / "README.md").write_text("メモ", encoding="utf-8")  # not content: kept
    (content_copy / "docx_templates").mkdir()
    (content_copy / "docx_templates" / "x.docx").write_bytes(b"PK")
    bundle = check_bundle(export_bundle(CONTENT))
    install_bundle(bundle.files, content_copy)
    assert load_catalogue(content_copy).content_version == catalogue.content_version
    assert bundle_files(content_copy) == bundle.files
    assert (content_copy / "questionnaires" / "README.md").read_text(encoding="utf-8") == "メモ"
    assert (content_copy / "docx_templates" / "x.docx").exists()
    assert sorted(p.name for p in content_copy.iterdir()) == ["docx_templates", "questionnaires", "requirement_sets"]


def test_install_into_a_new_folder(tmp_path: Path, catalogue: Catalogue) -> None:
    target = tmp_path / "new" / "content"
    install_bundle(shipped(), target)
    assert load_catalogue(target).content_version == catalogue.content_version


@pytest.mark.parametrize("failing_call", [0, 1, 2, 3])
def test_a_failed_install_leaves_the_content_as_it_was(
    content_copy: Path, monkeypatch: pytest.MonkeyPatch, failing_call: int
) -> None:
    """Each of the four renames (old questionnaires out, new in, the same for requirement_sets) fails in turn."""
    before = snapshot(content_copy)
    files = edited("requirement_sets/AC.yaml", "主体認証機能を設けること。", "主体認証の機能を設けること。")
    rename = os.rename
    calls: list[int] = []

    def flaky(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append(1)
        if len(calls) == failing_call + 1:
            raise OSError(28, "No space left on device")
        rename(src, dst)

    monkeypatch.setattr(os, "rename", flaky)
    with pytest.raises(OSError, match="No space left"):
        install_bundle(files, content_copy)
    assert snapshot(content_copy) == before
    assert sorted(p.name for p in content_copy.iterdir()) == ["questionnaires", "requirement_sets"]


def test_a_failure_while_writing_leaves_the_content_as_it_was(
    content_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(content_copy)
    calls: list[int] = []

    def failing_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 5:
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="Input/output"):
        install_bundle(shipped(), content_copy)
    assert snapshot(content_copy) == before
    assert sorted(p.name for p in content_copy.iterdir()) == ["questionnaires", "requirement_sets"]


def test_install_refuses_unsafe_names(tmp_path: Path) -> None:
    with pytest.raises(BundleError) as info:
        install_bundle({"../evil.yaml": b"x", "questionnaires/ok.yaml": b"x"}, tmp_path / "content")
    assert [str(p) for p in info.value.problems] == ["zip 内のパス '../evil.yaml' に「..」が含まれています"]
    assert not (tmp_path / "content").exists() and not (tmp_path / "evil.yaml").exists()
