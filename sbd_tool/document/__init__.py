"""The procurement specification: a plain document model, and its Word rendering."""

from sbd_tool.document.blocks import OUTPUT_KINDS, OutputKind
from sbd_tool.document.docx_render import DEFAULT_TEMPLATE, TemplateError, render_docx, render_docx_with_notes
from sbd_tool.document.model import Approval, DocumentModel, build_document

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
