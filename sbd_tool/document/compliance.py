"""The compliance matrix (対応表): one row per clause of the spec, for bidders to fill in.

Built from the document model, so its clause texts are exactly the spec's (placeholders filled,
the provider's short clause on a cloud service). Written as .xlsx with openpyxl, or used as an
appendix of the Word spec.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, NamedTuple

from sbd_tool.document.model import DocumentModel
from sbd_tool.text import clean_input

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

# The Japanese enumeration the Word numbering uses for clauses (ア, イ, ウ, …).
IROHA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"
ANSWERS = ("対応可", "一部対応", "対応不可")
FILL_IN = ("対応可否", "提案内容", "実施者", "備考")
MAX_CELL = 32_767  # Excel's limit; a longer text makes Excel report the file as damaged


class ComplianceRow(NamedTuple):
    number: str  # AT-1-ア
    requirement: str  # AT-1 通信経路の分離
    level: str
    clause: str


def compliance_rows(model: DocumentModel) -> list[ComplianceRow]:
    rows = []
    for category in model.security:
        for policy in category.policies:
            for req in policy.requirements:
                for i, clause in enumerate(req.clauses):
                    mark = IROHA[i] if i < len(IROHA) else str(i + 1)
                    rows.append(ComplianceRow(f"{req.id}-{mark}", f"{req.id} {req.name}", req.level_label, clause))
    return rows


def compliance_xlsx(model: DocumentModel) -> bytes:
    """The matrix as a workbook: frozen header, a drop-down on 対応可否, A4 landscape, one page wide."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "対応表"

    def put(row: int, col: int, value: str) -> Cell:
        """The one place text enters the sheet: normalised as typed text is (``clean_input``: no
        control characters, which openpyxl refuses, no separators or bidi overrides, whatever is
        stored), within Excel's 32,767 characters a cell, and never a formula."""
        text = clean_input(value)
        if len(text) > MAX_CELL:
            text = text[: MAX_CELL - 1] + "…"
        cell = sheet.cell(row=row, column=col, value=text or None)
        if cell.data_type == "f":  # user text such as "=HYPERLINK(…)" stays text
            cell.data_type = "s"
        return cell

    put(1, 1, f"{model.title}　対応表").font = Font(bold=True, size=12)
    put(2, 1, f"{model.organisation}　{model.date_text}　対策要件集の版：{model.content_version}")
    headers = ("番号", "対策要件", "実装レベル", "要件（仕様書の記載）", *FILL_IN)
    widths = (10, 22, 9, 60, 10, 40, 14, 20)
    header_row = 4
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, (title, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = put(header_row, col, title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E9EDF2")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        cell.border = border
        sheet.column_dimensions[cell.column_letter].width = width
    rows = compliance_rows(model)
    for r, row in enumerate(rows, start=header_row + 1):
        for col, value in enumerate((*row, "", "", "", ""), start=1):
            cell = put(r, col, value)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = border
    last = header_row + max(1, len(rows))
    choice = DataValidation(
        type="list",
        formula1='"' + ",".join(ANSWERS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="対応可否",
        error="「" + "」「".join(ANSWERS) + "」から選んでください。",
    )
    sheet.add_data_validation(choice)
    choice.add(f"E{header_row + 1}:E{last}")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)  # header and the number columns stay
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.auto_filter.ref = f"A{header_row}:H{last}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
