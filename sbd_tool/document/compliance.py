"""The compliance matrix (対応表): one row per binding clause of the spec, for bidders to fill in.

Built from the document model, so its rows are exactly the clauses the Word file binds the
contractor to, with the same numbers: each requirement's clauses (AT-1-ア, …) and, on a cloud
service, the cloud chapter's (CL-1-ア, …). Written as .xlsx with openpyxl (a protected sheet whose
answer cells alone are open, an instructions sheet, print titles, headers and footers, named
styles), or used as an appendix of the Word spec.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from sbd_tool.answers.obligations import obligation_label
from sbd_tool.document.model import DocumentModel
from sbd_tool.text import clean_input

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook import Workbook

# The Japanese enumeration the Word numbering uses for clauses (ア, イ, ウ, …).
IROHA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"
ANSWERS = ("対応可", "一部対応", "対応不可")
FILL_IN = ("対応可否", "提案内容", "実施者", "備考")
# The bidder's columns of the workbook, in order; 実施者 is pre-filled where the spec names the party.
ANSWER_COLUMNS = ("対応可否", "提案内容", "提案書記載箇所", "実施者", "備考")
FIXED_COLUMNS = ("番号", "対策要件", "必須／提案", "要件（仕様書の記載）", "提出を求める証跡")
# 必須 (must be met) or 提案 (open to proposal): each clause's obligation (SpecClause.obligation).
MANDATORY = "必須"
QUALIFICATION_PREFIX = "QL"  # the numbers of the 入札参加資格 rows: QL-ア, QL-イ, …
MAX_CELL = 32_767  # Excel's limit; a longer text makes Excel report the file as damaged
# 「〔受注者〕…」: on a cloud service the document names at a clause's head the party it binds.
BOUND = re.compile(r"^〔([^〕]+)〕")
EVIDENCE = "提出を求める証跡"
QUALIFICATION_TITLE = "入札参加資格"  # the label of the level's evidence in the model's rationale


class ComplianceRow(NamedTuple):
    number: str  # AT-1-ア, CL-1-ア
    requirement: str  # AT-1 通信経路の分離 / CL-1 クラウドサービスの選定
    level: str  # the requirement's level label ("" for a cloud chapter clause)
    clause: str  # the clause as the spec prints it, without the party at its head
    party: str = ""  # who implements it, where the spec says (cloud responsibility)
    kind: str = MANDATORY  # 必須 or 提案
    evidence: str = ""  # what the bidder submits to show the requirement met, at the decided level


def _mark(i: int) -> str:
    return IROHA[i] if i < len(IROHA) else str(i + 1)


def _split(clause: str) -> tuple[str, str]:
    bound = BOUND.match(clause)
    return (bound.group(1), clause[bound.end() :]) if bound else ("", clause)


def compliance_rows(model: DocumentModel) -> list[ComplianceRow]:
    evidence = {
        entry.heading.split(" ", 1)[0]: text for entry in model.rationale for label, text in entry.items
        if label == EVIDENCE
    }  # fmt: skip
    rows = []
    for category in model.security:
        for policy in category.policies:
            for req in policy.requirements:
                for i, clause in enumerate(req.clauses):
                    party, text = _split(clause)
                    # The evidence is the requirement's: given once, then referred to.
                    shown = evidence.get(req.id, "") if i == 0 else f"{req.id}-{_mark(0)}に同じ"
                    rows.append(
                        ComplianceRow(
                            f"{req.id}-{_mark(i)}", f"{req.id} {req.name}", req.level_label, text, party,
                            kind=obligation_label(clause.obligation), evidence=shown,
                        )
                    )  # fmt: skip
    if model.cloud is not None:
        numbers = model.cloud_numbers or tuple(f"CL-{n}" for n in range(1, len(model.cloud.topics) + 1))
        for number, (title, clauses) in zip(numbers, model.cloud.topics, strict=True):
            for i, clause in enumerate(clauses):
                party, text = _split(clause)
                kind = obligation_label(clause.obligation)
                rows.append(ComplianceRow(f"{number}-{_mark(i)}", f"{number} {title}", "", text, party, kind))
    for i, clause in enumerate(model.qualifications):
        rows.append(
            ComplianceRow(
                f"{QUALIFICATION_PREFIX}-{_mark(i)}", QUALIFICATION_TITLE, "", str(clause),
                kind=obligation_label(clause.obligation),
            )
        )  # fmt: skip
    return rows


INSTRUCTIONS = (
    "本表は、調達仕様書の「情報セキュリティに関する事項」{cloud}の各条項及び入札参加資格について、入札者の対応を確認するためのものである。"
    "番号は、仕様書の対策要件の記号と条項の記号を組み合わせたもの（AT-1-ア等）である。",
    "「必須／提案」が「必須」の条項は、全て満たすこと。「提案」の条項は、実現の方法又は水準を提案に委ねるものであり、"
    "提案の内容により評価する。番号が「QL-」で始まる行は入札参加資格であり、入札参加資格を満たすことを証する書類を添えること。",
    "「対応可否」は、一覧から「対応可」「一部対応」「対応不可」のいずれかを選ぶこと。"
    "「一部対応」又は「対応不可」とした条項は、その範囲と理由、代替の措置を「提案内容」に記載すること。",
    "「提案内容」には、条項を満たす方法を具体的に記載すること（製品名を記載する場合は、その機能と設定を含める。）。",
    "「提案書記載箇所」には、提案書の該当箇所（章、節及び頁）を記載すること。",
    "「実施者」には、条項を実施する者を記載すること。仕様書が条項を担う者を定めている場合（クラウドサービスの責任分担）は"
    "記入済みである。再委託先が実施する場合は、その旨と再委託先を記載すること。",
    "「提出を求める証跡」は、受注後、本業務の実施の過程（設計・構築及び運用・保守のうち本調達の範囲）で提出を求める"
    "資料である。提案時の提出は要しない。",
    "網掛けのない欄（対応可否、提案内容、提案書記載箇所、実施者、備考）にのみ記入すること。"
    "その他の欄及び表の構成は変更できないよう保護している。",
)


def compliance_xlsx(model: DocumentModel) -> bytes:
    """The matrix as a workbook: the 対応表 sheet (frozen header, a drop-down on 対応可否, A4
    landscape one page wide, the header row on every page, the procurement and page numbers in
    the header and footer, only the answer cells editable) and the 記入要領 sheet."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    book = Workbook()
    _styles(book)
    _matrix_sheet(book.active, model)
    _instructions_sheet(book.create_sheet("記入要領"), model)
    book.security = WorkbookProtection(lockStructure=True)  # no sheet added, removed or renamed
    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put(sheet: Any, row: int, col: int, value: str, style: str = "sbd_text") -> Cell:
    """The one place text enters the workbook: normalised as typed text is (``clean_input``: no
    control characters, which openpyxl refuses, no separators or bidi overrides, whatever is
    stored), within Excel's 32,767 characters a cell, and never a formula."""
    text = clean_input(value)
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    cell = sheet.cell(row=row, column=col, value=text or None)
    if cell.data_type == "f":  # user text such as "=HYPERLINK(…)" stays text
        cell.data_type = "s"
    cell.style = style
    return cell


def _matrix_sheet(sheet: Any, model: DocumentModel) -> None:
    """The 対応表 sheet: the heading lines, one row per clause, the answer columns open."""
    sheet.title = "対応表"
    _put(sheet, 1, 1, f"{model.title}　対応表", "sbd_title")
    _put(
        sheet, 2, 1, f"{model.organisation}　{model.date_text}" if model.organisation else model.date_text, "sbd_plain"
    )
    _put(sheet, 3, 1, "記入の方法は「記入要領」のシートのとおり。網掛けのない欄に記入すること。", "sbd_plain")
    headers = (*FIXED_COLUMNS, *ANSWER_COLUMNS)
    widths = (9, 16, 6, 48, 30, 9, 30, 12, 12, 14)
    header_row = 4
    for col, (title, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = _put(sheet, header_row, col, title, "sbd_header")
        sheet.column_dimensions[cell.column_letter].width = width
    rows = compliance_rows(model)
    for r, row in enumerate(rows, start=header_row + 1):
        for col, value in enumerate((row.number, row.requirement, row.kind, row.clause, row.evidence), start=1):
            _put(sheet, r, col, value)
        for col, value in enumerate(("", "", "", row.party, ""), start=len(FIXED_COLUMNS) + 1):
            _put(sheet, r, col, value, "sbd_answer")
    last = header_row + max(1, len(rows))
    _fit_rows(sheet, header_row, widths)
    _answer_choice(sheet, header_row + 1, last)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)  # header and the number columns stay
    sheet.print_title_rows = f"{header_row}:{header_row}"
    _page(sheet, model, landscape=True)
    end = sheet.cell(row=1, column=len(headers)).column_letter
    sheet.auto_filter.ref = f"A{header_row}:{end}{last}"
    _protect(sheet)


def _answer_choice(sheet: Any, first: int, last: int) -> None:
    """The drop-down of 対応可否 (対応可・一部対応・対応不可) on rows ``first`` to ``last``."""
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = sheet.cell(row=1, column=len(FIXED_COLUMNS) + 1).column_letter
    choice = DataValidation(
        type="list",
        formula1='"' + ",".join(ANSWERS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="対応可否",
        error="「" + "」「".join(ANSWERS) + "」から選んでください。",
    )
    sheet.add_data_validation(choice)
    choice.add(f"{letter}{first}:{letter}{last}")


def _instructions_sheet(notes: Any, model: DocumentModel) -> None:
    """The 記入要領 sheet: how a bidder fills in the matrix, numbered."""
    notes.column_dimensions["A"].width = 6
    notes.column_dimensions["B"].width = 100
    _put(notes, 1, 1, "記入要領", "sbd_title")
    cloud = "及び「クラウドサービス利用時の要件」" if model.cloud is not None else ""
    for i, text in enumerate(INSTRUCTIONS, start=1):
        _put(notes, 2 + i, 1, f"{i}.", "sbd_plain")
        _put(notes, 2 + i, 2, text.format(cloud=cloud), "sbd_text")
    _fit_rows(notes, 3, (6, 100))
    _page(notes, model, landscape=False)
    _protect(notes)


def _styles(book: Workbook) -> None:
    """The workbook's named styles: every cell refers to one of these, none carries its own."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    top = Alignment(vertical="top", wrap_text=True)
    shaded = PatternFill("solid", fgColor="EEF0F3")
    body = Font(size=BODY_POINTS)
    styles = (
        NamedStyle("sbd_title", font=Font(bold=True, size=12)),
        NamedStyle("sbd_plain", font=body, alignment=Alignment(vertical="top")),
        NamedStyle(
            "sbd_header",
            font=Font(bold=True, size=BODY_POINTS),
            fill=PatternFill("solid", fgColor="D9DEE5"),
            alignment=Alignment(vertical="center", wrap_text=True),
            border=border,
        ),
        NamedStyle("sbd_text", font=body, alignment=top, border=border, fill=shaded),
        NamedStyle("sbd_answer", font=body, alignment=top, border=border, protection=Protection(locked=False)),
    )
    for style in styles:
        book.add_named_style(style)


BODY_POINTS = 9


def _fit_rows(sheet: Any, first: int, widths: tuple[int, ...]) -> None:
    """Row heights for the wrapped text, estimated (neither Excel nor LibreOffice sizes the rows of
    a file it did not lay out itself): a column is ``width`` characters of the 11-point default
    font, a 9-point full-width character takes about 1.8 of them, a line about 12 points."""
    import math
    import unicodedata

    per_line = [w * 11 / BODY_POINTS for w in widths]
    for row in sheet.iter_rows(min_row=first):
        lines = 1
        for cell, room in zip(row, per_line, strict=False):
            if isinstance(cell.value, str):
                units = [sum(1.8 if unicodedata.east_asian_width(c) in "WF" else 1 for c in part) for part in
                         cell.value.split("\n")]  # fmt: skip
                lines = max(lines, sum(max(1, math.ceil(u / room)) for u in units))
        sheet.row_dimensions[row[0].row].height = lines * 12 + 4


def _footer_text(text: str) -> str:
    return clean_input(text).replace("\n", " ").replace("&", "&&")[:100]  # & starts a code in a header


def _page(ws: Any, model: DocumentModel, *, landscape: bool) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.left.text = _footer_text(model.name or model.title)
    ws.oddHeader.right.text = "対応表"
    ws.oddFooter.left.text = _footer_text(model.organisation)
    ws.oddFooter.center.text = "&P / &N"


def _protect(sheet: Any) -> None:
    """Locked cells stay as they are; the answer cells (style sbd_answer) are open. Without a
    password: the lock prevents mistakes, it is no secret. Rows may be resized and filtered."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatRows = False
    protection.formatColumns = False
    protection.autoFilter = False
