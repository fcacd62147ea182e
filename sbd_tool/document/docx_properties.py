"""A .docx file's extended properties (docProps/app.xml) as the document's own, for the template
and for every document drawn on it."""

from __future__ import annotations

import docx

APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Company>{company}</Company><DocSecurity>0</DocSecurity></Properties>"
)


def extended_properties(document: docx.document.Document, company: str) -> None:
    """docProps/app.xml as this document's own: the organisation as company, nothing left over
    from the file python-docx started from (an application name, a page count of 1). A package
    thumbnail, which would show that other file's first page, is dropped."""
    from xml.sax.saxutils import escape

    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document.part.package
    blob = APP_XML.format(company=escape(company)).encode("utf-8")
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]
    existing = next((p for p in package.iter_parts() if p.partname == "/docProps/app.xml"), None)
    if existing is not None:
        existing._blob = blob
        return
    part = Part(PackURI("/docProps/app.xml"), APP_CONTENT_TYPE, blob, package)
    package.relate_to(part, RT.EXTENDED_PROPERTIES)


APP_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
