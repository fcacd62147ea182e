"""The blocks of the appendices (別紙1–5) and of the parts the 閲覧資料 shares with them: the
changes of 必須/提案, the warnings, and the clauses reworded or added for the procurement."""

from __future__ import annotations

from collections.abc import Iterator

from sbd_tool.document.block_types import Block, Label, Labelled, Para, TableBlock
from sbd_tool.document.compliance import FILL_IN, compliance_rows
from sbd_tool.document.model import DocumentModel, Table
from sbd_tool.document.tailored import CHANGES_TITLE, changes_table


def obligation_change_blocks(model: DocumentModel) -> Iterator[Block]:
    """The clauses whose 必須/提案 the officer changed, numbered as the spec numbers them, with why."""
    printed = [c for cat in model.security for p in cat.policies for r in p.requirements for c in r.clauses]
    if model.cloud is not None:
        printed += [c for _, clauses in model.cloud.topics for c in clauses]
    printed += model.qualifications
    numbers = {c.key: row.number for c, row in zip(printed, compliance_rows(model), strict=True)}
    rows = tuple((numbers[key], now, reason) for key, now, reason in model.obligation_changes if key in numbers)
    if rows:
        yield Label("必須／提案の変更（対策要件集の区分から変更した条項）")
        yield TableBlock(Table(("番号", "区分", "変更の理由"), rows, (1.3, 1, 7.7)), "必須／提案を変更した条項")


def change_blocks(model: DocumentModel) -> Iterator[Block]:
    """The clauses reworded or added for this procurement, with the reasons (not in the section to paste)."""
    table = changes_table(model)
    if table is not None:
        yield Label(CHANGES_TITLE)
        yield Para("次の条項は、対策要件集の文言を本調達のために変更し、又は追加したものである。")
        yield TableBlock(table, CHANGES_TITLE)


def warning_blocks(model: DocumentModel) -> Iterator[Block]:
    if model.warnings:
        yield Label("確認事項（回答と業務の特徴の不一致）")
        yield from (Para("・" + warning, "note") for warning in model.warnings)


def appendices(model: DocumentModel) -> Iterator[Block]:
    yield Para("別紙1　対策要件の実装レベル決定表", "appendix")
    yield Para("各対策要件について、判断条件から提案された実装レベルと、決定した実装レベル及びその理由を示す。")
    yield TableBlock(model.decisions, "対策要件の実装レベル決定表")
    yield from obligation_change_blocks(model)
    yield from warning_blocks(model)
    yield from change_blocks(model)
    yield Para("別紙2　入札者向け説明（対策要件の根拠）", "appendix")
    yield Para(
        "入札者が要件の趣旨を理解し、同じ前提で提案できるよう、本調達で求める各対策要件について、"
        "その根拠、提出を求める証跡（決定した実装レベルで確認する事項）及び対策の提案例を示す。"
    )
    for entry in model.rationale:
        yield Label(entry.heading)
        yield from (Labelled(label, text) for label, text in entry.items)
    yield Para("別紙3　対策要件集の版及び出典", "appendix")
    yield from (Para(line) for line in model.provenance)
    if model.sources is not None:
        yield TableBlock(model.sources, "対策要件ごとの出典")
    number = 4
    if model.compliance_appendix:
        yield Para(f"別紙{number}　対応表", "appendix")
        number += 1
        yield Para(
            "入札者は、各要件への対応可否（対応可・一部対応・対応不可）、提案内容、実施者及び備考を記入して提出すること。"
        )
        rows = tuple((r.number, f"【{r.kind}】{r.clause}", "", "", r.party, "") for r in compliance_rows(model))
        table = Table(("番号", "要件（仕様書の記載）", *FILL_IN), rows, (1.3, 5, 1.2, 3, 1.2, 1.5))
        yield TableBlock(table, "対応表")
    if model.training:
        yield Para(f"別紙{number}　実装レベルの考え方（研修用）", "appendix")
        yield Para(
            "研修及び参考のため、各対策要件について全ての実装レベルの考え方と確認の方法を示す。"
            "本調達で求める実装レベルは別紙1のとおりであり、本別紙は入札者に対する要件ではない。"
        )
        for entry in model.training:
            yield Label(entry.heading)
            yield from (Labelled(label, text) for label, text in entry.items)
