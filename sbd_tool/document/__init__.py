"""The procurement specification: a plain document model, and its Word rendering.

The names below are loaded on first use (PEP 562), so importing one light submodule (the
model, the output kinds) does not import python-docx and the renderers with it: a command
that never writes a document does not pay for them at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sbd_tool.document.build import build_document
    from sbd_tool.document.docx_render import DEFAULT_TEMPLATE, TemplateError, render_docx, render_docx_with_notes
    from sbd_tool.document.kinds import OUTPUT_KINDS, OutputKind
    from sbd_tool.document.model import Approval, DocumentModel

_HOME = {
    "DEFAULT_TEMPLATE": "docx_render",
    "OUTPUT_KINDS": "kinds",
    "Approval": "model",
    "DocumentModel": "model",
    "OutputKind": "kinds",
    "TemplateError": "docx_render",
    "build_document": "build",
    "render_docx": "docx_render",
    "render_docx_with_notes": "docx_render",
}

__all__ = [
    "DEFAULT_TEMPLATE",
    "OUTPUT_KINDS",
    "Approval",
    "DocumentModel",
    "OutputKind",
    "TemplateError",
    "build_document",
    "render_docx",
    "render_docx_with_notes",
]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = value
    return value
