"""The procurement specification: a plain document model, and its Word rendering."""

from sbd_tool.document.docx_render import DEFAULT_TEMPLATE, TemplateError, render_docx
from sbd_tool.document.model import Approval, DocumentModel, build_document

__all__ = ["DEFAULT_TEMPLATE", "Approval", "DocumentModel", "TemplateError", "build_document", "render_docx"]
