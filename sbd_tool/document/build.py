"""Build the document model: every word of the specification, decided once for every output
format (``build_document``), from the catalogue, the answers and their evaluation."""

from __future__ import annotations

import datetime as dt

from sbd_tool.answers.obligations import effective, obligation_label
from sbd_tool.answers.read import Answers
from sbd_tool.content.catalogue import LEVELS, Catalogue
from sbd_tool.diagram.draft import flow_rows
from sbd_tool.diagram.draw import Picture
from sbd_tool.document.model import Approval, CloudSection, DocumentModel, RationaleEntry, Table
from sbd_tool.document.spec_clauses import cloud_section, security_sections
from sbd_tool.engine.cloud import Responsibility
from sbd_tool.engine.derive import ResolvedAnswer
from sbd_tool.engine.explain import decision_note, question_number, requirement_reasons, value_label
from sbd_tool.engine.outcomes import Evaluation
from sbd_tool.procurement import left_out_note, phases_in_scope, work_phrase
from sbd_tool.wareki import wareki

DEFAULT_TITLE = "調達仕様書（情報セキュリティ要件）"


def approval_text(approval: Approval) -> str:
    who = f"{approval.approver}（{approval.organisation}）" if approval.organisation else approval.approver
    return f"承認：本書（第{approval.revision}版）は、{wareki(approval.approved_on)}、{who}が承認した。"


def build_document(
    catalogue: Catalogue, answers: Answers, evaluation: Evaluation, today: dt.date, approval: Approval | None = None
) -> DocumentModel:
    """Everything the specification says, decided here once for every output format."""
    answered = {qid: r.value for qid, r in evaluation.answers.items()}
    cloud = evaluation.cloud
    date = answers.document.date or today
    phases = phases_in_scope(answered)
    categories, not_applicable, qualifications = security_sections(catalogue, answers, evaluation, phases)
    printed = {r.id for c in categories for p in c.policies for r in p.requirements}
    tasks, matrix, answer_table = _tables(catalogue, answers, evaluation)
    diagram = _diagram(catalogue, answers)
    cloud_chapter = None
    if cloud is not None:
        shown = {r.id: r.clauses for c in categories for p in c.policies for r in p.requirements}
        cloud_chapter = cloud_section(catalogue, cloud, answers, answered, phases, qualifications, shown)
    title_lines = _title_lines(answers)
    return DocumentModel(
        title="　".join(title_lines),
        organisation=answers.project.organisation,
        date_text=wareki(date),
        date=date,
        content_version=catalogue.content_version,
        catalogue_title=catalogue.meta.title,
        purpose=answers.project.purpose,
        effects=answers.project.effects,
        tasks=tasks,
        matrix=matrix,
        answers=answer_table,
        security_intro=_security_intro(phases),
        security=tuple(categories),
        not_applicable=tuple(not_applicable),
        decisions=_decisions(catalogue, evaluation),
        rationale=_rationale(catalogue, evaluation, printed),
        provenance=_provenance(catalogue),
        warnings=tuple(w.message for w in evaluation.warnings),
        cloud=cloud_chapter,
        diagram=diagram[0] if diagram else None,
        flows=diagram[1] if diagram else None,
        compliance_appendix=answers.document.compliance_appendix,
        approval=approval_text(approval) if approval else "",
        name=answers.project.name,
        title_lines=title_lines,
        start_chapter=answers.document.start_chapter,
        cloud_numbers=_cloud_numbers(catalogue, cloud_chapter),
        training=_training(catalogue) if answers.document.training_appendix else (),
        sources=_sources(catalogue),
        qualifications=tuple(qualifications),
        phases=tuple(p for p in ("build", "operation") if p in phases),
        scope_note=left_out_note(phases),
        obligation_changes=_obligation_changes(catalogue, answers),
    )


def _title_lines(answers: Answers) -> tuple[str, ...]:
    """The title in lines: the officer's own title, else the procurement's name and the default."""
    return (answers.document.title,) if answers.document.title else (answers.project.name, DEFAULT_TITLE)


def _security_intro(phases: frozenset[str]) -> str:
    return (
        f"{work_phrase(phases)}、以下の情報セキュリティ対策を実施すること。"
        "各要件の実装レベルは、業務の特徴及び定型設問への回答に基づき決定した（別紙1参照）。"
    )


def _provenance(catalogue: Catalogue) -> tuple[str, ...]:
    return (
        f"対策要件集：{catalogue.meta.title}",
        f"版：{catalogue.content_version}",
        _printed_note(catalogue.meta.provenance),
    )


def _decisions(catalogue: Catalogue, evaluation: Evaluation) -> Table:
    """別紙1: every requirement's proposed and decided level, with the reasons."""
    return Table(
        ("ID", "対策要件", "提案", "決定", "決定の理由", "判断の根拠"),
        tuple(
            (
                rid,
                p.requirement.name,
                catalogue.level_label(o.proposed),
                catalogue.level_label(o.decided) + ("（引下げ）" if o.lowered else ""),
                decision_note(catalogue, o),
                "\n".join(requirement_reasons(catalogue, o)),
            )
            for rid, p in catalogue.requirements.items()
            for o in [evaluation.requirements[rid]]
        ),
        (1.1, 2.2, 0.9, 0.9, 2, 6.5),
    )


def _rationale(catalogue: Catalogue, evaluation: Evaluation, printed: set[str]) -> tuple[RationaleEntry, ...]:
    """別紙2: the cloud split's rationale, then each printed requirement's purpose, threat, level,
    evidence and proposals."""
    cloud = evaluation.cloud
    rationale = []
    if cloud is not None and catalogue.cloud is not None:
        cloud_items = tuple((r.label, r.text) for r in catalogue.cloud.rationale)
        rationale.append(RationaleEntry("クラウドサービスの責任分担について", cloud_items))
    for rid, p in catalogue.requirements.items():
        o = evaluation.requirements[rid]
        req = p.requirement
        if o.decided not in req.levels or rid not in printed:  # 対象外, or no clause in the procurement's scope
            continue
        # What the decided level asks is its own clauses and those of the levels below it, so the
        # evidence is what those levels are checked by: nothing of a level that was not chosen.
        chosen = [lv for lv in LEVELS[1 : LEVELS.index(o.decided) + 1] if lv in req.levels]
        items = [
            ("目的", req.purpose),
            ("想定する脅威", req.rationale.threat),
            ("本調達でのレベル", f"{catalogue.level_label(o.decided)}（{decision_note(catalogue, o)}）"),
            ("提出を求める証跡", "".join(req.levels[lv].verification for lv in chosen)),
            ("対策の提案例", "／".join(req.levels[o.decided].proposals)),
        ]
        if cloud is not None:
            items.append(("実施主体", _party_note(catalogue, cloud.responsibilities[rid])))
        items.append(("参考", "／".join(r.text for r in req.references)))
        rationale.append(RationaleEntry(f"{rid} {req.name}", tuple(items)))
    return tuple(rationale)


def _obligation_changes(catalogue: Catalogue, answers: Answers) -> tuple[tuple[str, str, str], ...]:
    """The clauses whose 必須/提案 the officer changed from the catalogue's, with the reasons."""
    found = []
    for key in answers.obligations:
        obligation, reason = effective(catalogue, answers, key)
        if reason:
            found.append((key, obligation_label(obligation), reason))
    return tuple(found)


def _cloud_numbers(catalogue: Catalogue, section: CloudSection | None) -> tuple[str, ...]:
    """CL-1, CL-2, …: a cloud topic's place in the catalogue, so a number stays the same whichever
    topics a procurement prints (as requirement ids do)."""
    if section is None or catalogue.cloud is None:
        return ()
    order = [t.title for t in catalogue.cloud.topics]
    return tuple(f"CL-{order.index(title) + 1}" for title, _ in section.topics)


def _training(catalogue: Catalogue) -> tuple[RationaleEntry, ...]:
    """Every requirement's levels explained: why each level, what each is checked by, all evidence."""
    entries = []
    for rid, p in catalogue.requirements.items():
        req = p.requirement
        items = [("レベルの考え方", req.rationale.level_basis)]
        items += [
            (f"{catalogue.level_label(lv)}の確認の方法", req.levels[lv].verification)
            for lv in LEVELS[1:]
            if lv in req.levels
        ]
        items.append(("証跡の例（全レベル）", req.rationale.evidence))
        entries.append(RationaleEntry(f"{rid} {req.name}", tuple(items)))
    return tuple(entries)


def _printed_note(text: str) -> str:
    """A provenance note as a reader of the document says it: 仕様書記載例 is the catalogue's
    own word for the text that the document prints as clauses."""
    return text.replace("仕様書記載例", "仕様書の条項")


def _sources(catalogue: Catalogue) -> Table:
    rows = tuple(
        (rid, p.requirement.name, _printed_note(p.requirement.provenance.note) if p.requirement.provenance else "")
        for rid, p in catalogue.requirements.items()
    )
    return Table(("ID", "対策要件", "出典"), rows, (1, 2.5, 6.5))


def _diagram(catalogue: Catalogue, answers: Answers) -> tuple[Picture, Table] | None:
    """The diagram (drawn only if an output shows it) and its flow table, when the answers have one."""
    if answers.diagram is None or not answers.diagram.elements:
        return None
    table = Table(
        ("番号", "送信元", "送信先", "情報", "利用環境・手段", "通過する境界"),
        tuple(tuple(row) for row in flow_rows(catalogue, answers.diagram)),  # id, from, to, …: the columns
        (0.8, 2, 2, 2.6, 1.8, 2.4),
    )
    return Picture(catalogue, answers.diagram), table


def _party_note(catalogue: Catalogue, r: Responsibility) -> str:
    label = catalogue.party_label(r.party)
    if not r.overridden:
        return label
    return f"{label}（既定の{catalogue.party_label(r.default)}から変更：{r.reason or '理由の記載なし'}）"


def _tables(catalogue: Catalogue, answers: Answers, evaluation: Evaluation) -> tuple[Table, Table, Table]:
    m = catalogue.steps.matrix
    kinds = {o.id: o.label for o in m.subject_kinds}
    means = {o.id: o.label for o in m.means}
    pii = {o.id: o.label for o in m.pii}
    cls = {c.id: {o.id: o.label for o in c.classes} for c in m.classifications}
    tasks = Table(
        ("番号", "業務", "内容"), tuple((t.id, t.name, t.description) for t in answers.project.tasks), (1, 3, 6)
    )
    rows = []
    for t in answers.project.tasks:
        subjects = "\n".join(f"{s.name}［{kinds[s.kind]}］" for s in t.subjects)
        info = "\n".join(
            f"{i.name}［{cls['confidentiality'][i.confidentiality]}・{cls['integrity'][i.integrity]}・"
            f"{cls['availability'][i.availability]}" + ("" if i.pii == "none" else f"・{pii[i.pii]}") + "］"
            for i in t.information
        )
        rows.append((f"{t.id} {t.name}", subjects, info, "\n".join(means[x] for x in t.means)))
    matrix = Table(("業務", "主体", "情報（格付）", "利用環境・手段"), tuple(rows), (2, 2.5, 3.5, 2.5))
    answer_rows = []
    for qid, q in catalogue.questions.items():
        resolved = evaluation.answers[qid]
        if resolved.source == "not_applicable":  # e.g. the cloud questions of an on-premise system
            continue
        source = {"explicit": "回答", "derived": _derived_from(resolved), "default": "既定値", "missing": "未回答"}[
            resolved.source
        ]
        number = str(question_number(catalogue, qid))  # 定型設問N, as the reasons in 別紙1 cite it
        answer_rows.append((number, q.term, value_label(catalogue, qid, resolved.value), source))
    return tasks, matrix, Table(("番号", "設問", "回答", "根拠"), tuple(answer_rows), (0.8, 4.2, 4, 2))


def _derived_from(resolved: ResolvedAnswer) -> str:
    drawn = {e.entry in ("flow", "element") for e in resolved.evidence}
    if drawn == {True}:
        return "システム概要図から推定"
    return "業務の特徴・システム概要図から推定" if drawn == {True, False} else "業務の特徴から推定"
