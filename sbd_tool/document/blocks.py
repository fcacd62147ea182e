"""The specification as a flat sequence of blocks: the one place that decides the document's
order and wording around the model. The Word, Markdown and HTML renderers only draw blocks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, NamedTuple

from sbd_tool.document.compliance import FILL_IN, compliance_rows
from sbd_tool.document.model import DocumentModel, Table

ParaStyle = Literal["title", "meta", "normal", "note", "clause", "appendix"]


class Heading(NamedTuple):
    level: int  # 1 = chapter (numbered 1., 2., …), down to 4 = requirement ((1), (2), …)
    text: str


class Para(NamedTuple):
    text: str
    style: ParaStyle = "normal"


class Label(NamedTuple):
    """A bold line that heads the labelled items after it (a requirement in the appendix)."""

    text: str


class Labelled(NamedTuple):
    label: str
    text: str


class TableBlock(NamedTuple):
    table: Table


class Figure(NamedTuple):
    png: bytes
    alt: str


Block = Heading | Para | Label | Labelled | TableBlock | Figure


def blocks(model: DocumentModel) -> Iterator[Block]:
    yield Para(model.title, "title")
    if model.organisation:
        yield Para(model.organisation, "meta")
    yield Para(model.date_text, "meta")
    yield Para(f"対策要件集の版：{model.content_version}", "meta")
    if model.approval:
        yield Para(model.approval, "meta")
    yield from _sections(model)
    yield from _appendices(model)


def _sections(model: DocumentModel) -> Iterator[Block]:
    yield Heading(1, "調達案件の概要")
    yield Heading(2, "目的")
    yield Para(model.purpose)
    if model.effects:
        yield Heading(2, "期待する効果")
        yield Para(model.effects)
    yield Heading(2, "対象業務")
    yield TableBlock(model.tasks)
    yield Heading(1, "業務の特徴")
    yield Para("対象業務ごとの主体、取り扱う情報及び利用環境・手段は、次のとおりである。")
    yield TableBlock(model.matrix)
    yield Heading(1, "システム概要図")
    if model.diagram is None:
        yield Para("情報システムの構成及び情報の流れは、別途示すシステム概要図による。")
    else:
        yield Para("情報システムの構成及び情報の流れは、次の図及び表のとおりである（図中の番号は表の番号に対応する）。")
        yield Figure(model.diagram.png, model.diagram.alt)  # drawn here, by the outputs that show it
        if model.flows is not None:
            yield TableBlock(model.flows)
    yield Heading(1, "前提条件")
    yield Para(
        "セキュリティ要件の決定に当たり前提とした条件は、次のとおりである"
        "（番号は定型設問の番号であり、別紙1で引用する）。"
    )
    yield TableBlock(model.answers)
    yield Heading(1, "セキュリティ要件")
    yield Para(model.security_intro)
    for category in model.security:
        yield Heading(2, category.name)
        for policy in category.policies:
            yield Heading(3, policy.name)
            for req in policy.requirements:
                yield Heading(4, f"{req.name}（{req.id}・{req.level_label}）")
                yield from (Para(clause, "clause") for clause in req.clauses)
    if model.not_applicable:
        yield Para("次の対策要件は、本調達では対象外とする（理由は別紙1のとおり）。")
        yield Para("、".join(model.not_applicable), "note")
    if model.cloud is not None:
        yield Heading(1, "クラウドサービス利用時の要件")
        yield Para(model.cloud.intro)
        yield Heading(2, "責任分担")
        yield Para("対策要件ごとの実施主体は、次のとおりとする（●が実施主体）。")
        yield TableBlock(model.cloud.responsibility)
        for title, clauses in model.cloud.topics:
            yield Heading(2, title)
            yield from (Para(clause, "clause") for clause in clauses)


def _appendices(model: DocumentModel) -> Iterator[Block]:
    yield Para("別紙1　対策要件の実装レベル決定表", "appendix")
    yield Para("各対策要件について、判断条件から提案された実装レベルと、決定した実装レベル及びその理由を示す。")
    yield TableBlock(model.decisions)
    if model.warnings:
        yield Label("確認事項（回答と業務の特徴の不一致）")
        yield from (Para("・" + warning, "note") for warning in model.warnings)
    yield Para("別紙2　入札者向け説明（対策要件の根拠）", "appendix")
    yield Para("入札者が要件の趣旨を理解し、同じ前提で提案できるよう、各対策要件の根拠と確認方法を示す。")
    for entry in model.rationale:
        yield Label(entry.heading)
        yield from (Labelled(label, text) for label, text in entry.items)
    yield Para("別紙3　対策要件集の版及び出典", "appendix")
    yield from (Para(line) for line in model.provenance)
    if model.compliance_appendix:
        yield Para("別紙4　対応表", "appendix")
        yield Para(
            "入札者は、各要件への対応可否（対応可・一部対応・対応不可）、提案内容、実施者及び備考を記入して提出すること。"
        )
        rows = tuple((r.number, r.clause, "", "", "", "") for r in compliance_rows(model))
        yield TableBlock(Table(("番号", "要件（仕様書の記載）", *FILL_IN), rows, (1.3, 5, 1.2, 3, 1.2, 1.5)))
