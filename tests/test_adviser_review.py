"""What an outside adviser sent back after reading the generated documents of the examples
(docs/adviser-review.md): each test reads an example's answers and checks the Word output."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import docx
import openpyxl

from sbd_tool.answers.read import parse_answers
from sbd_tool.content import Catalogue
from sbd_tool.document import build_document, render_docx
from sbd_tool.document.compliance import compliance_xlsx
from sbd_tool.engine.rules import evaluate
from tests.conftest import example_data

TODAY = dt.date(2026, 11, 24)


def word(catalogue: Catalogue, name: str, kind: str, **answers: Any) -> docx.document.Document:
    data = example_data(name)
    data["answers"] = {**data["answers"], **answers}
    parsed = parse_answers(data, catalogue)
    model = build_document(catalogue, parsed, evaluate(catalogue, parsed), TODAY)
    return docx.Document(io.BytesIO(render_docx(model, None, kind)))  # type: ignore[arg-type]


def clauses(document: docx.document.Document) -> list[str]:
    """The printed clauses, without the 【必須】/【提案】 and 〔party〕 marks."""
    out = []
    for p in document.paragraphs:
        if p.style is not None and p.style.name == "SBD Clause":
            out.append(re.sub(r"^【..】(〔[^〕]*〕)?", "", p.text))
    return out


def table_cells(document: docx.document.Document) -> list[str]:
    return [c.text for t in document.tables for r in t.rows for c in r.cells]


def test_a_clause_said_to_be_left_out_is_not_printed(catalogue: Catalogue) -> None:
    """The level table of the approval file says which clauses are left out. Where a left-out
    clause shares its purpose with a printed one (the mail and web variants of AT-5), the note
    names it so that it cannot be read as the printed clause."""
    paste = clauses(word(catalogue, "citizen-portal", "paste"))
    approval = word(catalogue, "citizen-portal", "approval")
    notes = [line for cell in table_cells(approval) for line in cell.split("\n") if "次の条項は記載しない" in line]
    assert notes
    named = [n for line in notes for n in re.findall(r"[低中高]位「([^」]*)」", line.split("記載しない：", 1)[1])]
    assert named
    for name in named:
        stem = name.rstrip("…")
        assert not any(c.startswith(stem) for c in paste), f"「{name}」 is said to be left out but is printed"
    # The portal is not on a cloud service: nobody was asked the cloud model, so AT-1's cloud
    # variant is no decision and is not mentioned (test_clauses checks how it is named on IaaS).
    assert not any(n.startswith("管理機能への不正な接続を防止するため、クラウドサービスの") for n in named)


def test_reasons_state_each_condition_as_one_fact(catalogue: Catalogue) -> None:
    """The conditions of a reason are listed with 「、」: a condition that is itself an
    alternative says 「又は」, so the list cannot be misread. And a system with 要配慮個人情報
    but no 特定個人情報 is not said to hold both."""
    cells = "\n".join(table_cells(word(catalogue, "citizen-portal", "approval")))
    assert "不特定多数が利用し、又は情報を一般に公開する［利用者の範囲＝不特定多数（国民等）" in cells
    assert "可用性2の情報を扱い、又は業務停止の許容時間が1日以内である［" in cells
    assert "組織外の利用者が操作する画面があり、又は情報を一般に公開する［" in cells
    assert "するか、" not in cells
    assert "要配慮個人情報・特定個人情報を含む" not in cells
    assert "個人情報の取扱い＝要配慮個人情報又は特定個人情報を含む" in cells


def test_the_cloud_chapter_introduces_itself_once(catalogue: Catalogue) -> None:
    """The cloud chapter's first paragraph names the service model in a sentence of its own,
    says what a clause marked 〔発注者〕 asks of the contractor, and leaves the pointer to the
    responsibility table to the section that holds it; the contractor's check of the provider's
    clauses names the requirement as its heading does."""
    paste = word(catalogue, "cloud-interagency", "paste")
    texts = [p.text for p in paste.paragraphs]
    intro = texts[texts.index("クラウドサービス利用時の要件") + 1]
    assert "利用するサービスの種類は、IaaS（仮想サーバ・ネットワーク等の基盤）とする。" in intro
    assert intro.endswith("。") and "）（" not in intro
    assert "発注者が担う条項は発注者が実施し" in intro
    assert sum("次の責任分担表のとおりとする" in t for t in texts) == 1
    checks = [c for c in clauses(paste) if "とした事項が満たされていること" in c]
    assert checks and all(re.match(r"^[^ ]+（P[A-Z]-\d）のうち", c) for c in checks), checks
    assert not [t for t in texts if re.search(r"[A-Z]{2}-\d [^ ]", t)]


def test_clauses_fit_the_system_and_read_as_one_time(catalogue: Catalogue) -> None:
    """The records clause does not speak of applications for a platform that takes none, and
    the return of data at the end of the contract has one deadline, not 「契約終了時には…前までに」."""
    cloud = clauses(word(catalogue, "cloud-interagency", "paste"))
    records = next(c for c in cloud if c.startswith("法令等が求める記録を失わないため"))
    assert "申請" not in records and "連携の記録の作成の日から3年間保存し" in records
    exit_clause = next(c for c in cloud if c.startswith("契約終了後も業務を他の情報システムで継続できるようにするため"))
    assert "契約の終了に当たっては契約終了日の60日前までに" in exit_clause
    assert "契約終了時には" not in exit_clause


def test_the_policy_the_contractor_follows_is_the_ordering_organisation_s(catalogue: Catalogue) -> None:
    """SC-1 binds the contractor to the office's own policy: in every example it names the
    organisation that orders (the cloud example named a 庁 while a 省 orders)."""
    for name in ("citizen-portal", "cloud-interagency", "internal-small"):
        data = example_data(name)
        ministry = data["project"]["organisation"].split()[0]
        sc1 = next(c for c in clauses(word(catalogue, name, "paste")) if "情報セキュリティポリシー" in c)
        assert f"{ministry}情報セキュリティポリシー" in sc1, (name, sc1)


CJK = "\u3000-\u30ff\u4e00-\u9fff\uff01-\uffef"
STRAY_SPACE = re.compile(f"[{CJK}] +[{CJK}]")


def test_no_stray_space_between_japanese_words(catalogue: Catalogue) -> None:
    """A YAML folded line of Japanese prose became a space in the printed text (「内閣サイバー
    セキュリティ センター」 in 別紙3). The organisation's name keeps its own spaces."""
    for name in ("citizen-portal", "cloud-interagency"):
        organisation = example_data(name)["project"]["organisation"]
        for kind in ("paste", "approval", "full"):
            document = word(catalogue, name, kind)
            texts = [p.text for p in document.paragraphs] + table_cells(document)
            stray = [t for t in texts if STRAY_SPACE.search(t.replace(organisation, ""))]
            assert not stray, (name, kind, stray[:3])
    full = "\n".join(p.text for p in word(catalogue, "citizen-portal", "full").paragraphs)
    assert "内閣サイバーセキュリティセンター（NISC）" in full


def test_gaps_in_the_question_numbers_are_explained(catalogue: Catalogue) -> None:
    """The 前提条件 table numbers its rows with the questions' numbers, which the reasons cite;
    a system off the cloud skips the cloud questions, and the sentence above the table says why
    the numbers jump (17, 18, 20 and 21 were missing without a word)."""
    approval = word(catalogue, "citizen-portal", "approval")
    texts = [p.text for p in approval.paragraphs]
    table = next(t for t in approval.tables if t.rows[0].cells[1].text == "設問")
    numbers = [int(r.cells[0].text) for r in table.rows[1:]]
    assert numbers != list(range(1, len(numbers) + 1))
    intro = next(t for t in texts if t.startswith("セキュリティ要件の決定に当たり前提とした条件は"))
    assert "本システムに該当しない設問は記載していないため、番号は連続しない" in intro


def test_several_answers_are_joined_so_that_each_can_be_read(catalogue: Catalogue) -> None:
    """Option labels hold 「・」 themselves (「他機関等との閉域網・専用線」), so a multiple answer
    joined with 「・」 could not be split back into its options."""
    approval = word(catalogue, "cloud-interagency", "approval")
    table = next(t for t in approval.tables if t.rows[0].cells[1].text == "設問")
    answers = {r.cells[1].text: r.cells[2].text for r in table.rows[1:]}
    assert answers["外部ネットワークとの接続"] == "他機関等との閉域網・専用線及びインターネット"
    assert answers["利用場所"] == "庁舎内及び庁外（テレワーク・出張先）"


def test_the_time_clause_binds_only_terminals_the_procurement_brings(catalogue: Catalogue) -> None:
    """The citizen portal's staff use their existing office terminals (terminals: none): the
    time synchronisation clause must not make the contractor responsible for them."""
    paste = clauses(word(catalogue, "citizen-portal", "paste"))
    time_sync = next(c for c in paste if c.startswith("複数の機器のログを時系列で正しく突き合わせられるようにするため"))
    assert "本システムを構成する機器の時刻" in time_sync and "端末" not in time_sync


def test_a_reason_does_not_claim_an_internet_facing_application_it_cannot_know(catalogue: Catalogue) -> None:
    """The inter-agency platform connects to the Internet (the operator's console) and has
    screens for other agencies (over the closed network): the reasons may say both facts, not
    that a web application is published on the Internet."""
    cells = "\n".join(table_cells(word(catalogue, "cloud-interagency", "approval")))
    assert "インターネットに公開するウェブアプリケーション" not in cells
    assert "インターネットと接続し、組織外の利用者が操作する画面又は一般に公開する情報がある［" in cells


def test_the_mark_required_is_defined_for_every_clause_that_carries_it(catalogue: Catalogue) -> None:
    """【必須】 is printed on the 入札参加資格 (binding the bidder) and on clauses marked 〔発注者〕:
    the note that explains the marks must not say that 【必須】 binds the contractor only."""
    paste = word(catalogue, "cloud-interagency", "paste")
    texts = [p.text for p in paste.paragraphs]
    note = next(t for t in texts if t.startswith("各条項の冒頭の【必須】は"))
    assert note.startswith("各条項の冒頭の【必須】は、必ず満たすべき事項を示し")
    qualification = texts[texts.index("入札参加資格（情報セキュリティに係るもの）") + 2]
    assert qualification.startswith("【必須】")
    assert any(t.startswith("【必須】〔発注者〕") for t in texts)


def test_the_responsibility_table_marks_the_parties_of_the_printed_clauses(catalogue: Catalogue) -> None:
    """The table said 受注者 for PH-1 because of a clause this procurement does not print
    (removable media are not used): each ● must be a party at the head of a printed clause (the
    contractor's check of the provider's share aside, which the chapter's intro explains)."""
    paste = word(catalogue, "cloud-interagency", "paste")
    marks: dict[str, set[str]] = {}
    current = ""
    for p in paste.paragraphs:
        heading = re.search(r"（([A-Z]{2}-\d+)）$", p.text)
        if p.style is not None and p.style.name.startswith("Heading"):
            current = heading.group(1) if heading and p.style.name == "Heading 4" else ""
        elif p.style is not None and p.style.name == "SBD Clause" and current:
            party = re.match(r"^【..】〔([^〕]*)〕", p.text)
            if party and "とした事項が満たされていること" not in p.text:
                marks.setdefault(current, set()).add(party.group(1))
    table = next(t for t in paste.tables if t.rows[0].cells[0].text == "ID")
    parties = [c.text for c in table.rows[0].cells[2:5]]
    for row in table.rows[1:]:
        rid = row.cells[0].text
        dotted = {party for party, cell in zip(parties, row.cells[2:5], strict=True) if cell.text == "●"}
        assert dotted == marks[rid], (rid, dotted, marks[rid])


def test_the_matrix_instructions_fit_operation_clauses(catalogue: Catalogue, tmp_path: Path) -> None:
    """The matrix carries the operation clauses (AT-8 …), whose evidence comes during operation:
    the instructions must not say that all evidence is due while designing and building."""
    data = example_data("citizen-portal")
    parsed = parse_answers(data, catalogue)
    model = build_document(catalogue, parsed, evaluate(catalogue, parsed), TODAY)
    path = tmp_path / "matrix.xlsx"
    path.write_bytes(compliance_xlsx(model))
    sheet = openpyxl.load_workbook(path)["記入要領"]
    text = "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    assert "設計・構築の過程で提出を求める" not in text
    assert "本業務の実施の過程（設計・構築及び運用・保守のうち本調達の範囲）で提出を求める" in text
