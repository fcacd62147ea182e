"""The procurement specification as plain data: what the Word renderer (or any other) draws.

``build_document`` decides every word of the document; renderers only map it to styles.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from sbd_tool.answers.obligations import clause_traits, effective, obligation_label
from sbd_tool.answers.read import Answers
from sbd_tool.content.catalogue import LEVELS, Catalogue
from sbd_tool.content.schema import Clause
from sbd_tool.diagram.draft import flow_rows
from sbd_tool.diagram.draw import Picture
from sbd_tool.document import tailored
from sbd_tool.engine.cloud import CloudOutcome, Responsibility, clause_party
from sbd_tool.engine.derive import ResolvedAnswer
from sbd_tool.engine.explain import decision_note, question_number, requirement_reasons, value_label
from sbd_tool.engine.outcomes import Evaluation
from sbd_tool.engine.parameters import parameter_value
from sbd_tool.engine.rules import printed_clauses
from sbd_tool.procurement import in_scope, left_out_note, phases_in_scope, work_phrase
from sbd_tool.wareki import wareki

PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")
SERVICE_MODEL = "{service_model}"  # in the cloud chapter's intro: the service model's label


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative column widths


class SpecClause(str):
    """One printed clause. It is a ``str`` (the text as printed, party mark and parameter values
    included), so a renderer that only prints text keeps working; beside the text it carries:

    - ``key``: which catalogue clause it is (``AU-1.middle.2``, ``cloud.keys.1``, or
      ``AU-1.confirm`` for the clause that confirms a cloud provider's share), the same in
      every output, in the compliance matrix and on the bidder page;
    - ``obligation``: ``required`` (必須) or ``proposal`` (提案);
    - ``catalogue_text``: the catalogue's wording when the officer tailored the clause for this
      procurement (``None`` when the clause is printed as the catalogue has it);
    - ``reason``: why it was tailored (or why its obligation was changed);
    - ``phase``: ``build`` (設計・構築に係る事項) or ``operation`` (運用・保守に係る事項)."""

    key: str
    obligation: str
    catalogue_text: str | None
    reason: str
    phase: str

    def __new__(
        cls,
        text: str,
        key: str,
        obligation: str = "required",
        catalogue_text: str | None = None,
        reason: str = "",
        phase: str = "build",
    ) -> SpecClause:
        obj = super().__new__(cls, text)
        obj.key = key
        obj.obligation = obligation
        obj.catalogue_text = catalogue_text
        obj.reason = reason
        obj.phase = phase
        return obj

    def __reduce__(self) -> tuple[object, ...]:
        return (SpecClause, (str(self), self.key, self.obligation, self.catalogue_text, self.reason, self.phase))


@dataclass(frozen=True)
class RequirementSection:
    id: str
    name: str
    level: str
    level_label: str
    clauses: tuple[SpecClause, ...]


@dataclass(frozen=True)
class PolicySection:
    name: str
    requirements: tuple[RequirementSection, ...]


@dataclass(frozen=True)
class CategorySection:
    id: str
    name: str
    policies: tuple[PolicySection, ...]


@dataclass(frozen=True)
class RationaleEntry:
    heading: str
    items: tuple[tuple[str, str], ...]  # (label, text)


@dataclass(frozen=True)
class CloudSection:
    """「クラウドサービス利用時の要件」: the responsibility table and the cloud clauses by topic."""

    intro: str
    responsibility: Table
    topics: tuple[tuple[str, tuple[SpecClause, ...]], ...]  # (title, clauses)


@dataclass(frozen=True)
class Approval:
    """A reviewer's approval of one revision, as the approved document states it."""

    revision: int
    approver: str
    organisation: str
    approved_on: dt.date


@dataclass(frozen=True)
class DocumentModel:
    title: str
    organisation: str
    date_text: str
    date: dt.date
    content_version: str
    catalogue_title: str
    purpose: str
    effects: str
    tasks: Table
    matrix: Table
    answers: Table
    security_intro: str
    security: tuple[CategorySection, ...]
    not_applicable: tuple[str, ...]
    decisions: Table
    rationale: tuple[RationaleEntry, ...]
    provenance: tuple[str, ...]
    warnings: tuple[str, ...] = field(default=())
    cloud: CloudSection | None = None
    diagram: Picture | None = None  # the system overview diagram, drawn when an output shows it
    flows: Table | None = None
    compliance_appendix: bool = False
    approval: str = ""  # who approved which revision when, for an approved revision's document
    name: str = ""  # the procurement's name: page header, file names
    title_lines: tuple[str, ...] = ()  # the title as printed, in lines that break between words
    start_chapter: int = 1  # the chapter number of the section to paste (document.start_chapter)
    cloud_numbers: tuple[str, ...] = ()  # CL-1 …: each cloud topic's number, as ``cloud.topics``
    training: tuple[RationaleEntry, ...] = ()  # every level explained (document.training_appendix)
    sources: Table | None = None  # each requirement's provenance, for 別紙3
    # Entry qualifications (入札参加資格): clauses the catalogue places there instead of in a requirement.
    qualifications: tuple[SpecClause, ...] = ()
    phases: tuple[str, ...] = ("build", "operation")  # the phases the procurement covers (procurement_scope)
    scope_note: str = ""  # the sentence saying which phase the document leaves out ("" when none)
    # The officer's changes of 必須/提案 on printed clauses: (clause key, 必須/提案 now, reason).
    obligation_changes: tuple[tuple[str, str, str], ...] = ()

    @property
    def diagram_png(self) -> bytes | None:
        """The diagram as a PNG (drawn on first use, once per diagram content), if there is one."""
        return self.diagram.png if self.diagram is not None else None


def fill_parameters(text: str, catalogue: Catalogue, answers: Answers, answered: Mapping[str, object]) -> str:
    """Replace ``{param}`` with the officer's value, the value implied by an answer, or the
    explicit 「発注者が指定する…」 default."""

    def one(match: re.Match[str]) -> str:
        value = parameter_value(catalogue, answers, answered, match.group(1))
        return catalogue.parameters[match.group(1)].default if value is None else value

    return PLACEHOLDER.sub(one, text)


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
    categories, not_applicable, qualifications = _security_sections(catalogue, answers, evaluation, phases)
    printed = {r.id for c in categories for p in c.policies for r in p.requirements}
    decisions = Table(
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
    tasks, matrix, answer_table = _tables(catalogue, answers, evaluation)
    diagram = _diagram(catalogue, answers)
    cloud_section = None
    if cloud is not None:
        shown = {r.id: r.clauses for c in categories for p in c.policies for r in p.requirements}
        cloud_section = _cloud_section(catalogue, cloud, answers, answered, phases, qualifications, shown)
    title_lines = (answers.document.title,) if answers.document.title else (answers.project.name, DEFAULT_TITLE)
    title = "　".join(title_lines)
    provenance = (
        f"対策要件集：{catalogue.meta.title}",
        f"版：{catalogue.content_version}",
        _printed_note(catalogue.meta.provenance),
    )
    return DocumentModel(
        title=title,
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
        security_intro=(
            f"{work_phrase(phases)}、以下の情報セキュリティ対策を実施すること。"
            "各要件の実装レベルは、業務の特徴及び定型設問への回答に基づき決定した（別紙1参照）。"
        ),
        security=tuple(categories),
        not_applicable=tuple(not_applicable),
        decisions=decisions,
        rationale=tuple(rationale),
        provenance=provenance,
        warnings=tuple(w.message for w in evaluation.warnings),
        cloud=cloud_section,
        diagram=diagram[0] if diagram else None,
        flows=diagram[1] if diagram else None,
        compliance_appendix=answers.document.compliance_appendix,
        approval=approval_text(approval) if approval else "",
        name=answers.project.name,
        title_lines=title_lines,
        start_chapter=answers.document.start_chapter,
        cloud_numbers=_cloud_numbers(catalogue, cloud_section),
        training=_training(catalogue) if answers.document.training_appendix else (),
        sources=_sources(catalogue),
        qualifications=tuple(qualifications),
        phases=tuple(p for p in ("build", "operation") if p in phases),
        scope_note=left_out_note(phases),
        obligation_changes=_obligation_changes(catalogue, answers),
    )


def _obligation_changes(catalogue: Catalogue, answers: Answers) -> tuple[tuple[str, str, str], ...]:
    """The clauses whose 必須/提案 the officer changed from the catalogue's, with the reasons."""
    found = []
    for key in answers.obligations:
        obligation, reason = effective(catalogue, answers, key)
        if reason:
            found.append((key, obligation_label(obligation), reason))
    return tuple(found)


def _security_sections(
    catalogue: Catalogue, answers: Answers, evaluation: Evaluation, phases: frozenset[str]
) -> tuple[list[CategorySection], list[str], list[SpecClause]]:
    """The requirements' printed clauses by category and policy (in the procurement's scope), the
    requirements left out (対象外), and the clauses placed in 入札参加資格."""
    answered = {qid: r.value for qid, r in evaluation.answers.items()}
    cloud = evaluation.cloud
    categories, not_applicable, qualifications = [], [], []
    for cat in catalogue.categories:
        policies = []
        for pol in cat.policies:
            sections = []
            for req in pol.requirements:
                outcome = evaluation.requirements[req.id]
                if outcome.decided == "not_applicable":
                    not_applicable.append(f"{req.id} {req.name}")
                    continue
                catalogue_clauses = printed_clauses(catalogue, outcome)
                originals = {c.key: str(c) for c in catalogue_clauses}
                printed = tailored.reword(catalogue_clauses, answers)  # the officer's wording
                if cloud is not None and catalogue.cloud is not None:
                    clauses = _cloud_clauses(catalogue, cloud, req.id, req.name, printed, answers, answered)
                else:
                    clauses = tuple(
                        _spec(catalogue, answers, fill_parameters(clause, catalogue, answers, answered), clause.key)
                        for clause in printed
                    )
                clauses = tailored.annotate(  # catalogue wording and reason; added clauses appended
                    req.id, clauses, originals, answers, lambda t: fill_parameters(t, catalogue, answers, answered),
                    _added_mark(catalogue, cloud, req.id),
                )  # fmt: skip
                clauses, placed = _place(catalogue, clauses, phases)
                qualifications += placed
                if clauses:
                    level = catalogue.level_label(outcome.decided)
                    sections.append(RequirementSection(req.id, req.name, outcome.decided, level, clauses))
            if sections:
                policies.append(PolicySection(pol.name, tuple(sections)))
        if policies:
            categories.append(CategorySection(cat.id, cat.name, tuple(policies)))
    return categories, not_applicable, qualifications


def _spec(catalogue: Catalogue, answers: Answers, text: str, key: str) -> SpecClause:
    """A printed clause with its 必須/提案 (the officer's, else the catalogue's) and its phase."""
    obligation, reason = effective(catalogue, answers, key)
    traits = clause_traits(catalogue).get(key)
    return SpecClause(text, key, obligation, reason=reason, phase=traits.phase if traits else "build")


_BOUND = re.compile(r"^〔[^〕]+〕")


def _place(
    catalogue: Catalogue, clauses: tuple[SpecClause, ...], phases: frozenset[str]
) -> tuple[tuple[SpecClause, ...], list[SpecClause]]:
    """A requirement's clauses in the procurement's scope, design/build ones first, and apart
    from them the entry qualifications (printed in 入札参加資格, without a party at their head)."""
    traits = clause_traits(catalogue)
    kept, qualified = [], []
    for clause in clauses:
        if clause.key in traits and traits[clause.key].placement == "qualification":
            text = _BOUND.sub("", clause)
            qualified.append(SpecClause(text, clause.key, clause.obligation, reason=clause.reason, phase=clause.phase))
        elif in_scope(clause.phase, phases):
            kept.append(clause)
    kept.sort(key=lambda c: c.phase == "operation")  # stable: the catalogue's order within each phase
    return tuple(kept), qualified


DEFAULT_TITLE = "調達仕様書（情報セキュリティ要件）"


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


def _cloud_clauses(
    catalogue: Catalogue,
    cloud: CloudOutcome,
    rid: str,
    name: str,
    printed: tuple[Clause, ...],
    answers: Answers,
    answered: Mapping[str, object],
) -> tuple[SpecClause, ...]:
    """On a cloud service every clause names who is bound by it (〔受注者〕…); the provider's
    clauses are followed by one clause saying how exactly those are confirmed, and by whom."""
    assert catalogue.cloud is not None
    provider = catalogue.cloud.provider
    out, confirmed = [], False
    for clause in printed:
        party = clause_party(catalogue.cloud, cloud, rid, clause)
        text = _bound(catalogue, party) + fill_parameters(clause, catalogue, answers, answered)
        out.append(_spec(catalogue, answers, text, clause.key))
        confirmed = confirmed or party == provider
    if confirmed:
        out.append(
            _spec(
                catalogue,
                answers,
                catalogue.cloud.provider_clause.replace("{requirement}", f"{name}（{rid}）"),
                f"{rid}.confirm",
            )
        )
    return tuple(out)


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


def _added_mark(catalogue: Catalogue, cloud: CloudOutcome | None, rid: str) -> str:
    """On a cloud service, who an officer's added clause binds: the requirement's party (or, when
    its split is shared, the catalogue's default party), marked as every clause there is."""
    if cloud is None or catalogue.cloud is None:
        return ""
    return _bound(catalogue, clause_party(catalogue.cloud, cloud, rid, Clause("")))


def _bound(catalogue: Catalogue, party: str) -> str:
    """「〔受注者〕」: who a clause binds, at its head (nothing when the catalogue names no party)."""
    return f"〔{catalogue.party_label(party)}〕" if party else ""


def _printed_parties(catalogue: Catalogue, clauses: tuple[SpecClause, ...]) -> set[str]:
    """The parties named at the head of printed clauses (〔受注者〕 …), leaving out the
    contractor's check of the provider's share (``….confirm``), which the intro explains."""
    assert catalogue.cloud is not None
    ids = {p.label: p.id for p in catalogue.cloud.parties}
    found = set()
    for clause in clauses:
        mark = _BOUND.match(clause)
        if mark and not clause.key.endswith(".confirm"):
            found.add(ids.get(mark.group(0)[1:-1], ""))
    return found - {""}


def _cloud_section(
    catalogue: Catalogue,
    cloud: CloudOutcome,
    answers: Answers,
    answered: Mapping[str, object],
    phases: frozenset[str],
    qualifications: list[SpecClause],
    shown: Mapping[str, tuple[SpecClause, ...]],
) -> CloudSection:
    """The cloud chapter: the responsibility table and the topics' clauses (in the procurement's
    scope, parameters filled); a topic clause placed in 入札参加資格 is added to ``qualifications``.
    The table marks the parties of the clauses the chapter before prints (``shown``), so that it
    says what the spec binds, not what clauses outside this procurement would."""
    assert catalogue.cloud is not None
    shared = catalogue.cloud.shared
    parties = [p for p in catalogue.cloud.parties if p.id != shared]  # "shared" is no column of its own
    model = catalogue.option_label(catalogue.cloud.model_question, cloud.model)
    rows = []
    for rid, placed in catalogue.requirements.items():
        r = cloud.responsibilities[rid]
        clauses = [c for level in placed.requirement.levels.values() for c in level.clauses]
        bound = _printed_parties(catalogue, shown.get(rid, ())) or {
            clause_party(catalogue.cloud, cloud, rid, c) for c in clauses
        }
        marks = tuple("●" if party.id in bound else "" for party in parties)
        notes = ["条項ごとに分担（各条項の冒頭に記載）"] if r.party == shared else []
        if r.overridden:
            notes.append(f"既定（{catalogue.party_label(r.default)}）から変更：{r.reason}")
        rows.append((rid, placed.requirement.name, *marks, "。".join(notes)))
    table = Table(("ID", "対策要件", *(p.label for p in parties), "備考"), tuple(rows), (1.2, 3.6, 1.6, 1.2, 1.2, 3))
    intro = catalogue.cloud.intro
    if SERVICE_MODEL in intro:
        intro = intro.replace(SERVICE_MODEL, model)
    else:  # an office's catalogue written before the placeholder
        intro = f"{intro}（利用するサービスの種類：{model}）"
    topics = []
    for t in cloud.topics:
        printed = tuple(
            _spec(catalogue, answers, _bound(catalogue, p) + fill_parameters(text, catalogue, answers, answered), key)
            for p, text, key in zip(t.parties, t.clauses, t.keys, strict=True)
        )
        kept, entry = _place(catalogue, printed, phases)
        qualifications += entry
        if kept:
            topics.append((t.title, kept))
    return CloudSection(intro, table, tuple(topics))
