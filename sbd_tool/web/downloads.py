"""Files the app hands out: one place for their media types, their names and the attachment header."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import Response, abort, request

from sbd_tool.document.kinds import OUTPUT_KINDS, OutputKind
from sbd_tool.text import one_line

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "yaml": "application/x-yaml",
    "zip": "application/zip",
}
# What Windows, macOS and Linux refuse or misread in a file name, and runs of blanks.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_BLANKS = re.compile(r"\s+")
MAX_NAME = 60  # characters of the procurement's name in a file name
# The ASCII name a browser falls back to when it does not read ``filename*``: what, by kind.
ASCII_KINDS = {"paste": "security", "approval": "viewing", "full": "spec", "matrix": "compliance"}


def _ascii(filename: str) -> str:
    """An ASCII stand-in for a file name (accents dropped, anything else replaced)."""
    text = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "download"


def document_filename(name: str, what: str, revision: int | None, extension: str) -> str:
    """「補助金電子申請システム_情報セキュリティ要件_第12版.docx」: the procurement's name (made safe
    for any file system and shortened), what the file is, and the revision it was made from."""
    safe = _BLANKS.sub("_", _UNSAFE.sub("_", one_line(name))).strip("._ ")[:MAX_NAME] or "調達"
    parts = [safe, what] + ([f"第{revision}版"] if revision is not None else [])
    return "_".join(parts) + f".{extension}"


def ascii_filename(kind: str, project_id: int, revision: int | None, extension: str) -> str:
    """「sbd-security-12-r3.docx」: the same file named in ASCII, for the header's fallback."""
    suffix = f"-r{revision}" if revision is not None else ""
    return f"sbd-{ASCII_KINDS.get(kind, kind)}-{project_id}{suffix}.{extension}"


def attachment(data: bytes | str, filename: str, fallback: str | None = None) -> Response:
    """A download named ``filename`` (any Unicode); its type follows the suffix. The header
    gives an ASCII ``filename`` for old clients and, when the name is not ASCII, the UTF-8 name
    as ``filename*`` (RFC 6266 / RFC 5987), which current browsers use."""
    kind = filename.rsplit(".", 1)[-1]
    plain = fallback or (filename if filename.isascii() else _ascii(filename))
    plain = re.sub(r'["\\\r\n]', "_", plain)
    disposition = f'attachment; filename="{plain}"'
    if filename != plain:
        disposition += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return Response(data, mimetype=MEDIA_TYPES[kind], headers={"Content-Disposition": disposition})


def requested_output() -> OutputKind:
    """The output a download asks for (``?output=paste|approval|full``): the section to paste into
    the office's 調達仕様書, the 閲覧資料 / approval file, or the full package (the default); 404
    for anything else. Step 7 and the review page offer the same three."""
    wanted = request.args.get("output", "full")
    if wanted not in OUTPUT_KINDS:
        abort(404)
    return next(kind for kind in OUTPUT_KINDS if kind == wanted)
