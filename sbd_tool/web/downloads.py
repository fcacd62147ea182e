"""Files the app hands out: one place for their media types and the attachment header."""

from __future__ import annotations

from flask import Response

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "yaml": "application/x-yaml",
    "zip": "application/zip",
}


def attachment(data: bytes | str, filename: str) -> Response:
    """A download named ``filename`` (ASCII); its type follows the suffix."""
    kind = filename.rsplit(".", 1)[-1]
    return Response(
        data, mimetype=MEDIA_TYPES[kind], headers={"Content-Disposition": f"attachment; filename={filename}"}
    )
