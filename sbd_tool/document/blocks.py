"""The specification as a flat sequence of blocks: the one place that decides each output's
order and wording around the model (the appendices' blocks in ``appendix_blocks``, the block
types in ``block_types``). The Word, Markdown and HTML renderers only draw blocks.

Three outputs come from one model (``blocks(model, kind)``):

- ``paste``: only 「情報セキュリティに関する事項」 (and, on a cloud service, the cloud chapter
  after it): the binding clauses, numbered from ``model.start_chapter`` so that they continue
  the office's own 調達仕様書. No title, no tool metadata, nothing that belongs in 閲覧資料.
- ``approval``: the 閲覧資料 / approval file: the facts, the system overview diagram, the
  前提条件, the level table with its reasons, the responsibility table and the approval line.
- ``full``: everything, with the appendices (for training and filing).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from sbd_tool.answers.obligations import obligation_label
from sbd_tool.diagram.draw import to_svg
from sbd_tool.diagram.layout import layout
from sbd_tool.document.appendix_blocks import appendices, change_blocks, obligation_change_blocks, warning_blocks
from sbd_tool.document.block_types import Block, Contents, Figure, Heading, Para, TableBlock, Title
from sbd_tool.document.kinds import OUTPUT_KINDS as OUTPUT_KINDS
from sbd_tool.document.kinds import OUTPUT_NAMES as OUTPUT_NAMES
from sbd_tool.document.kinds import OutputKind as OutputKind
from sbd_tool.document.model import DocumentModel, SpecClause, Table
from sbd_tool.procurement import PHASE_TITLES, work_phrase

SECURITY_CHAPTER = "情報セキュリティに関する事項"
CLOUD_CHAPTER = "クラウドサービス利用時の要件"
APPROVAL_TITLE = "情報セキュリティ要件の決定根拠（閲覧資料）"
QUALIFICATION_CHAPTER = "入札参加資格（情報セキュリティに係るもの）"
MARKS_NOTE = (
    "各条項の冒頭の【必須】は、必ず満たすべき事項を示し、【提案】は、実現の方法又は水準を入札者の"
    "提案に委ね、提案の内容により評価する事項を示す。特定の製品、規格、認証等を示した条項は、これと同等以上の"
    "ものを認める。"
)
PHASE_NOTE = (
    "各対策要件の条項のうち、運用・保守に係る事項は〈運用・保守に係る事項〉と示した後に記載し、"
    "その前の条項は設計・構築に係る事項（委託先の管理等、業務の全体に係る事項を含む。）とする。"
)


def first_chapter(model: DocumentModel, kind: OutputKind) -> int:
    """The number of an output's first chapter: the office's next chapter for the section to paste."""
    return model.start_chapter if kind == "paste" else 1


def document_title(model: DocumentModel, kind: OutputKind) -> str:
    """An output's title as one line (a page's title, the file's properties)."""
    name = model.name or model.title
    if kind == "paste":
        return f"{name}　{SECURITY_CHAPTER}"
    return f"{name}　{APPROVAL_TITLE}" if kind == "approval" else model.title


def blocks(model: DocumentModel, kind: OutputKind = "full") -> Iterator[Block]:
    if kind == "paste":
        yield from _security(model, full=False)
        yield from _cloud(model, full=False)
        yield from _qualifications(model)
    elif kind == "approval":
        yield from _approval(model)
    else:
        yield from _full(model)


def _front(model: DocumentModel, title: tuple[str, ...]) -> Iterator[Block]:
    yield Title(title)
    if model.organisation:
        yield Para(model.organisation, "meta")
    yield Para(model.date_text, "meta")
    yield Para(f"対策要件集の版：{model.content_version}", "meta")


def _full(model: DocumentModel) -> Iterator[Block]:
    yield from _front(model, model.title_lines or (model.title,))
    if model.approval:
        yield Para(model.approval, "meta")
    yield Contents()
    yield Heading(1, "調達案件の概要")
    yield Heading(2, "目的")
    yield Para(model.purpose)
    if model.effects:
        yield Heading(2, "期待する効果")
        yield Para(model.effects)
    yield Heading(2, "対象業務")
    yield TableBlock(model.tasks, "対象業務")
    yield from _features(model)
    yield from _diagram(model)
    yield from _assumptions(model, "別紙1の判断の根拠")
    yield from _security(model, full=True)
    yield from _cloud(model, full=True)
    yield from _qualifications(model)
    yield from appendices(model)


def _approval(model: DocumentModel) -> Iterator[Block]:
    yield from _front(model, (model.name or model.title, APPROVAL_TITLE))
    yield Para(model.approval or "承認：未承認（本書の版は、まだ承認されていない。）", "meta")
    yield Para(
        "本書は、調達仕様書の「情報セキュリティに関する事項」に定めた対策要件について、その実装レベルを"
        "決定した根拠を示す閲覧資料である。入札参加希望者には、守秘義務に関する誓約を得た上で閲覧に供する。"
    )
    yield Contents()
    yield Heading(1, "対象業務")
    yield TableBlock(model.tasks, "対象業務")
    yield from _features(model)
    yield from _diagram(model)
    yield from _assumptions(model, "「実装レベルの決定」の判断の根拠")
    yield Heading(1, "実装レベルの決定")
    yield Para(
        "各対策要件について、判断条件から提案された実装レベルと、決定した実装レベル及びその理由を示す"
        "（対象外とした対策要件を含む）。"
    )
    yield TableBlock(model.decisions, "対策要件の実装レベル決定表")
    yield from obligation_change_blocks(model)
    yield from warning_blocks(model)
    yield from change_blocks(model)
    if model.cloud is not None:
        yield Heading(1, "クラウドサービスの責任分担")
        yield Para(
            "本システムはクラウドサービス上に構築するため、対策要件ごとの実施主体を次のとおりとした（●が実施主体）。"
        )
        yield TableBlock(_applicable(model, model.cloud.responsibility), "責任分担表")


def _applicable(model: DocumentModel, table: Table) -> Table:
    """A table by requirement without the requirements this procurement leaves out (対象外)."""
    left_out = {name.split(" ", 1)[0] for name in model.not_applicable}
    return dataclasses.replace(table, rows=tuple(r for r in table.rows if r[0] not in left_out))


def _features(model: DocumentModel) -> Iterator[Block]:
    yield Heading(1, "業務の特徴")
    yield Para("対象業務ごとの主体、取り扱う情報及び利用環境・手段は、次のとおりである。")
    yield TableBlock(model.matrix, "業務の特徴")


def _diagram(model: DocumentModel) -> Iterator[Block]:
    """The system overview diagram with its flow table; no chapter (and no sentence pointing to a
    diagram) when the answers have none."""
    if model.diagram is None:
        return
    yield Heading(1, "システム概要図")
    yield Para("情報システムの構成及び情報の流れは、次の図及び表のとおりである（図中の番号は表の番号に対応する）。")
    picture = model.diagram  # drawn here, by the outputs that show it
    svg = to_svg(layout(picture.catalogue, picture.diagram), title=picture.alt)
    yield Figure(picture.png, picture.alt, "システム概要図", svg)
    if model.flows is not None:
        yield TableBlock(model.flows, "情報の流れ")


def _assumptions(model: DocumentModel, cited_in: str) -> Iterator[Block]:
    yield Heading(1, "前提条件")
    numbers = [int(row[0]) for row in model.answers.rows if row and row[0].isdigit()]
    gaps = bool(numbers) and numbers != list(range(1, max(numbers) + 1))
    skipped = "。本システムに該当しない設問は記載していないため、番号は連続しない" if gaps else ""
    yield Para(
        "セキュリティ要件の決定に当たり前提とした条件は、次のとおりである"
        f"（番号は定型設問の番号であり、{cited_in}で引用する{skipped}）。"
    )
    yield TableBlock(model.answers, "前提条件（定型設問への回答）")


def _security(model: DocumentModel, *, full: bool) -> Iterator[Block]:
    """The binding clauses. In the full package with each requirement's level and the list of
    requirements left out; in the section to paste only what binds the contractor."""
    if full:
        yield Heading(1, "セキュリティ要件")
        yield Para(model.security_intro)
    else:
        yield Heading(1, SECURITY_CHAPTER)
        yield Para(
            f"{work_phrase(model.phases)}、以下の情報セキュリティ対策を実施すること。"
            "各対策要件の名称に付した記号（AT-1等）と各条項の記号（ア、イ等）は、対応表の番号（AT-1-ア等）に対応する。"
        )
    yield Para(MARKS_NOTE + (PHASE_NOTE if len(model.phases) > 1 else ""))
    if model.scope_note:
        yield Para(model.scope_note, "note")
    for category in model.security:
        yield Heading(2, category.name)
        for policy in category.policies:
            yield Heading(3, policy.name)
            for req in policy.requirements:
                yield Heading(4, f"{req.name}（{req.id}・{req.level_label}）" if full else f"{req.name}（{req.id}）")
                yield from _clauses(req.clauses, label_phases=len(model.phases) > 1)
    if full and model.not_applicable:
        yield Para("次の対策要件は、本調達では対象外とする（理由は別紙1のとおり）。")
        yield Para("、".join(model.not_applicable), "note")


def _cloud(model: DocumentModel, *, full: bool) -> Iterator[Block]:
    if model.cloud is None:
        return
    yield Heading(1, CLOUD_CHAPTER)
    yield Para(model.cloud.intro)
    yield Heading(2, "責任分担")
    yield Para("対策要件ごとの実施主体は、次の責任分担表のとおりとする（●が実施主体）。")
    yield TableBlock(_applicable(model, model.cloud.responsibility), "責任分担表")
    numbers = model.cloud_numbers or tuple("" for _ in model.cloud.topics)
    for number, (title, clauses) in zip(numbers, model.cloud.topics, strict=True):
        yield Heading(2, f"{title}（{number}）" if number else title)
        yield from _clauses(clauses, label_phases=len(model.phases) > 1)


def marked(clause: SpecClause) -> str:
    """A clause as printed: 「【必須】」 or 「【提案】」 at its head."""
    return f"【{obligation_label(clause.obligation)}】{clause}"


def _clauses(clauses: tuple[SpecClause, ...], *, label_phases: bool) -> Iterator[Block]:
    """A requirement's (or cloud topic's) clauses, each marked 必須 or 提案; when the procurement
    covers both phases, the operation/maintenance ones follow a line that says so."""
    labelled = False
    for clause in clauses:
        if label_phases and clause.phase == "operation" and not labelled:
            yield Para(f"〈{PHASE_TITLES['operation']}〉", "note")
            labelled = True
        yield Para(marked(clause), "clause")


def _qualifications(model: DocumentModel) -> Iterator[Block]:
    """入札参加資格: the certifications and registrations a bidder must hold to bid."""
    if not model.qualifications:
        return
    yield Heading(1, QUALIFICATION_CHAPTER)
    yield Para(
        "本調達の入札に参加する者は、情報セキュリティに関し、次の資格を全て満たすこと。"
        "入札参加資格を満たすことを証する書類を、入札書の提出期限までに提出すること。"
    )
    yield from (Para(marked(clause), "clause") for clause in model.qualifications)
