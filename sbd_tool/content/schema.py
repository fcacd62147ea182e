"""Structure of the content files: the first of the two validation passes.

Every model forbids unknown keys, so a typo in a YAML file is an error rather than
silently ignored content. Cross-references between files are checked afterwards in
``crossref.py``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, model_validator
from pydantic_core import CoreSchema, core_schema

LevelId = Literal["not_applicable", "low", "middle", "high"]
GradedLevel = Literal["low", "middle", "high"]
FactId = Literal["subject_kind", "confidentiality", "integrity", "availability", "pii", "means", "hosting"]

Text = Annotated[str, Field(min_length=1)]
Ident = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_]*$")]
RequirementId = Annotated[str, Field(pattern=r"^[A-Z]{2}-[0-9]+$")]
ConditionId = Annotated[str, Field(pattern=r"^C-[a-z0-9]+(-[a-z0-9]+)*$")]


class Strict(BaseModel):
    # Built on first validation, not at import: a process validates only the file models it
    # reads, and the nested ones are built inside them (issue 16: cold start).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# ---------------------------------------------------------------- requirement_sets/


class LevelLabel(Strict):
    id: LevelId
    label: Text
    label_en: Text


class Edition(Strict):
    id: Ident
    label: Text


ParameterKind = Literal["period", "percentage", "time_window", "text"]
Obligation = Literal["required", "proposal"]
Phase = Literal["build", "operation", "both"]  # both: the whole contract (委託先の管理, data location …)
Placement = Literal["requirement", "qualification"]


class Parameter(Strict):
    """A buyer-set value that spec text refers to as ``{id}``.

    Filled, in order, from ``parameters`` in the answers file, from the answer to
    ``question`` through ``values``, or else ``default`` (an explicit 「発注者が指定する…」, printed
    for a parameter the officer leaves open). ``suggested`` is the value step 7 offers (a real
    value such as 「1年間」); ``kind`` decides the format check of a typed value.
    """

    id: Ident
    label: Text
    default: Text
    help: Text
    suggested: Text
    kind: ParameterKind = "text"
    question: Ident | None = None
    values: dict[str, Text] = {}


class RestrictiveName(Strict):
    """A named product, standard, certification or method that could restrict competition: a
    clause naming it must allow equivalents (「又は同等以上」) or say why it need not."""

    name: Text
    note: Text | None = None


class CatalogueMeta(Strict):
    """``requirement_sets/catalogue.yaml``: what the set is and how it is ordered."""

    id: Ident
    title: Text
    version: Text
    provenance: Text
    editions: list[Edition] = Field(min_length=1)
    levels: list[LevelLabel] = Field(min_length=4, max_length=4)
    categories: list[Annotated[str, Field(pattern=r"^[A-Z]{2}$")]] = Field(min_length=1)
    parameters: list[Parameter] = []
    restrictive_names: list[RestrictiveName] = []


class RuleGroup(Strict):
    """Conditions combined with all/any. There is deliberately no 'not': rules stay
    monotonic, so a condition becoming true can never lower a proposed level."""

    all: list[ConditionId | RuleGroup] | None = Field(default=None, min_length=1)
    any: list[ConditionId | RuleGroup] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_combinator(self) -> RuleGroup:
        if (self.all is None) == (self.any is None):
            raise ValueError("give exactly one of 'all' or 'any'")
        return self


PartyChoice = Ident | dict[Ident, Ident]  # a party, or a party per cloud service model


class ClauseSpec(Strict):
    """A clause written as a mapping: its text, the judgment conditions under which it applies,
    and (on a cloud service, for a requirement whose split is shared) who is bound by it."""

    text: Text
    when: ConditionId | RuleGroup | None = None
    party: PartyChoice | None = None
    obligation: Obligation = "required"
    phase: Phase = "build"
    placement: Placement = "requirement"
    # Why a clause may name a restrictive name without 「又は同等以上」 (e.g. a law, a list the
    # government itself keeps).
    equivalent_exempt: Text | None = None


class ClauseTraits(Strict):
    """How the catalogue marks a clause for procurement (shared by requirement and cloud clauses):
    ``obligation`` 必須/提案, ``phase`` design/build or operation/maintenance, ``placement``
    (``qualification``: an entry qualification, printed in 入札参加資格 instead of its requirement)."""

    obligation: Obligation = "required"
    phase: Phase = "build"
    placement: Placement = "requirement"
    equivalent_exempt: Text | None = None


class Clause(str):
    """One sentence of spec text. It is a ``str`` (its text), so every reader that only prints
    text keeps working; ``when`` (judgment conditions combined with all/any, as in the rules)
    says when the clause applies: a clause whose condition is false is left out of the document.

    In YAML a clause is either a plain string or ``{text: …, when: …}``.

    ``key`` names the clause across procurements and catalogue versions of the same wording
    place: ``<requirement>.<level>.<n>``, n counting from 1 in that level's list (set when the
    catalogue is indexed; see ``clause_key``)."""

    when: str | RuleGroup | None
    party: str | dict[str, str] | None
    key: str
    traits: ClauseTraits

    def __new__(
        cls,
        text: str,
        when: str | RuleGroup | None = None,
        party: str | dict[str, str] | None = None,
        key: str = "",
        traits: ClauseTraits | None = None,
    ) -> Clause:
        obj = super().__new__(cls, text)
        obj.when = when
        obj.party = party
        obj.key = key
        obj.traits = traits or ClauseTraits()
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (Clause, (str(self), self.when, self.party, self.key, self.traits))

    def party_for(self, model: str) -> str | None:
        """The party this clause names for a cloud service model, if any."""
        if isinstance(self.party, dict):
            return self.party.get(model)
        return self.party

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        def as_mapping(value: Any) -> Any:
            if isinstance(value, Clause):
                return {"text": str(value), "when": value.when, "party": value.party, **value.traits.model_dump()}
            return {"text": value} if isinstance(value, str) else value

        def from_spec(spec: ClauseSpec) -> Clause:
            traits = ClauseTraits(
                obligation=spec.obligation,
                phase=spec.phase,
                placement=spec.placement,
                equivalent_exempt=spec.equivalent_exempt,
            )
            return cls(spec.text, spec.when, spec.party, traits=traits)

        inner = handler.generate_schema(ClauseSpec)
        return core_schema.no_info_before_validator_function(
            as_mapping, core_schema.no_info_after_validator_function(from_spec, inner)
        )


def clause_key(requirement_id: str, level: str, index: int) -> str:
    """The key of a requirement's clause: ``AU-1.middle.2`` for the second clause of its 中位."""
    return f"{requirement_id}.{level}.{index + 1}"


def cloud_clause_key(topic_id: str, index: int) -> str:
    """The key of a clause of the cloud chapter: ``cloud.keys.1``."""
    return f"cloud.{topic_id}.{index + 1}"


class LevelText(Strict):
    """What one level adds to the levels below it."""

    clauses: list[Clause] = Field(min_length=1)
    verification: Text
    proposals: list[Text] = Field(min_length=1)


class Rationale(Strict):
    threat: Text
    level_basis: Text
    evidence: Text


class Reference(Strict):
    kind: Literal["unified_standards", "ismap", "iso27017", "iso27001", "other"]
    text: Text


ProvenanceStatus = Literal["confirmed", "reconstructed", "recalled", "our_addition"]


class Provenance(Strict):
    """Where a requirement comes from: ``confirmed`` (its name is the manual's, confirmed),
    ``reconstructed`` (the manual's method, our reconstruction of the name and place),
    ``recalled`` (believed to be in the manual, not confirmed), ``our_addition`` (not in the
    manual; common in real procurement specs). ``note`` says it in the document's words."""

    status: ProvenanceStatus
    note: Text


class Requirement(Strict):
    id: RequirementId
    name: Text
    name_en: Text
    purpose: Text
    edition: Ident
    levels: dict[GradedLevel, LevelText] = Field(min_length=1)
    not_applicable_note: Text | None = None
    rationale: Rationale
    references: list[Reference] = Field(min_length=1)
    provenance: Provenance | None = None  # optional: catalogues made before it was introduced still load


class Policy(Strict):
    name: Text
    name_en: Text
    requirements: list[Requirement] = Field(min_length=1)


class CategoryFile(Strict):
    """``requirement_sets/<ID>.yaml``: one 対策区分 with its policies and requirements."""

    id: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    name: Text
    name_en: Text
    description: Text
    provenance: Text
    policies: list[Policy] = Field(min_length=1)


# ---------------------------------------------------------------- questionnaires/


class Option(Strict):
    id: Ident
    label: Text
    label_en: Text
    help: Text | None = None
    help_en: Text | None = None  # shown on English pages (e.g. the classification definitions in step 2)


class Step(Strict):
    number: int = Field(ge=1, le=7)
    id: Ident
    title: Text
    title_en: Text
    purpose: Text
    example: Text


class ProjectField(Strict):
    id: Ident
    label: Text
    label_en: Text
    help: Text
    required: bool
    max_length: int = Field(gt=0)
    multiline: bool = False


class Classification(Strict):
    """Labels of one information classification axis, lowest first."""

    id: Literal["confidentiality", "integrity", "availability"]
    label: Text
    label_en: Text
    classes: list[Option] = Field(min_length=2)


class Matrix(Strict):
    subject_kinds: list[Option] = Field(min_length=1)
    classifications: list[Classification] = Field(min_length=3, max_length=3)
    pii: list[Option] = Field(min_length=1)
    means: list[Option] = Field(min_length=1)


class ZoneKind(Strict):
    """A kind of boundary in the system overview diagram, and what it says about the system."""

    id: Ident
    label: Text
    label_en: Text
    means: Ident | None = None  # a matrix means a flow into this zone (or a person in it) shows, e.g. internet
    hosting: Ident | None = None  # where the system is hosted when a server or data store sits here


class ElementKind(Strict):
    id: Ident
    label: Text
    label_en: Text
    hosts: bool = False  # a server or data store: its zone says where the system is hosted
    person: bool = False  # a subject (person or organisation), linked to a step-2 subject by name
    means: Ident | None = None  # a matrix means the element itself shows, e.g. media for 記録媒体


class DiagramVocabulary(Strict):
    zone_kinds: list[ZoneKind] = Field(min_length=1)
    element_kinds: list[ElementKind] = Field(min_length=1)


class StepsFile(Strict):
    """``questionnaires/steps.yaml``: steps 1-3 and the vocabulary of the matrix and the diagram."""

    steps: list[Step] = Field(min_length=7, max_length=7)
    project_fields: list[ProjectField] = Field(min_length=1)
    task_fields: list[ProjectField] = Field(min_length=1)
    matrix: Matrix
    diagram: DiagramVocabulary


class DerivationSource(Strict):
    """A further matrix fact that implies options of the same question."""

    fact: FactId
    map: dict[str, Ident] = Field(min_length=1)


class Derivation(Strict):
    """How the who/what/how matrix implies an answer (used when the answer is absent).

    ``also`` lists further facts: the answer is the most demanding option any of them implies
    (e.g. customer-held keys from 機密性3 information or from sensitive personal data)."""

    fact: FactId
    map: dict[str, Ident] = Field(min_length=1)
    also: list[DerivationSource] = []
    otherwise: Ident | None = None
    note: Text


class Perspective(Strict):
    id: Ident
    label: Text
    label_en: Text


class Question(Strict):
    id: Ident
    perspective: Ident
    label: Text
    label_en: Text
    term: Text  # the noun phrase a document uses for it, e.g. 利用者の範囲
    help: Text
    type: Literal["single", "multi"]
    options: list[Option] = Field(min_length=2)
    exclusive: list[Ident] = []
    derive: Derivation | None = None
    # Asked only when an earlier answer holds (e.g. the cloud questions when hosting is cloud);
    # otherwise the question does not apply and is neither shown as missing nor printed.
    applies_when: AnswerTest | None = None
    default: Ident | None = None  # the option used when the officer has not answered


class QuestionsFile(Strict):
    """``questionnaires/questions.yaml``: the fixed questions of step 4."""

    perspectives: list[Perspective] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)


class AnswerTest(Strict):
    """A test of one answer: ``in`` for single choice, ``includes`` (any of) for multi."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    question: Ident
    in_: list[Ident] | None = Field(default=None, alias="in", min_length=1)
    includes: list[Ident] | None = Field(default=None, min_length=1)

    def holds(self, value: str | tuple[str, ...] | list[str] | None) -> bool:
        """Whether an answer passes this test (the engine compiles the same rule for speed)."""
        if self.in_ is not None:
            return value in self.in_
        return bool(set(self.includes or ()).intersection(value or ()))

    @model_validator(mode="after")
    def _one_test(self) -> AnswerTest:
        if (self.in_ is None) == (self.includes is None):
            raise ValueError("give exactly one of 'in' or 'includes'")
        return self


# Question and QuestionsFile refer to AnswerTest, defined above them only now: their deferred build
# resolves the name from this module when they are first used.


class AnswerGroup(Strict):
    all: list[AnswerTest | AnswerGroup] | None = Field(default=None, min_length=1)
    any: list[AnswerTest | AnswerGroup] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_combinator(self) -> AnswerGroup:
        if (self.all is None) == (self.any is None):
            raise ValueError("give exactly one of 'all' or 'any'")
        return self


class Condition(Strict):
    id: ConditionId
    label: Text
    label_en: Text
    description: Text
    # The condition said as a fact, for reasons: 「インターネットと接続する」 (the label asks it as a question).
    statement: Text | None = None
    when: AnswerGroup


class ConditionsFile(Strict):
    """``questionnaires/conditions.yaml``: the judgment conditions (判断条件)."""

    conditions: list[Condition] = Field(min_length=1)


class Rule(Strict):
    level: GradedLevel
    when: ConditionId | RuleGroup
    reason: Text


class RequirementRules(Strict):
    default: LevelId = "low"
    default_reason: Text | None = None
    rules: list[Rule] = []


class RulesFile(Strict):
    """``questionnaires/rules.yaml``: the level rules, one entry per requirement."""

    default_reason: Text
    requirements: dict[RequirementId, RequirementRules] = Field(min_length=1)


# ---------------------------------------------------------------- requirement_sets/cloud.yaml


class Party(Strict):
    """Who implements a requirement when the system runs on a cloud service."""

    id: Ident
    label: Text
    label_en: Text
    description: Text


class CloudClause(Strict):
    """One clause of the cloud section, printed when its answer tests hold (always if no ``when``)."""

    when: AnswerGroup | None = None
    text: Text
    party: Ident | None = None  # who is bound by it; the catalogue's shared_default if not given
    obligation: Obligation = "required"
    phase: Phase = "build"
    placement: Placement = "requirement"
    equivalent_exempt: Text | None = None


class CloudTopic(Strict):
    id: Ident
    title: Text
    clauses: list[CloudClause] = Field(min_length=1)


class RationaleItem(Strict):
    label: Text
    text: Text


class CloudFile(Strict):
    """``requirement_sets/cloud.yaml``: the shared-responsibility split and the cloud section."""

    model_question: Ident  # the question whose answer (IaaS/PaaS/SaaS) picks each requirement's party
    parties: list[Party] = Field(min_length=2)
    provider: Ident  # the party whose share is covered by the service's ISMAP assessment
    # After the provider's clauses of a requirement: what the contractor confirms and how;
    # {requirement} is replaced by the requirement's id and name.
    provider_clause: Text
    # A "party" meaning the split is decided clause by clause (each clause's ``party``); a clause
    # naming none is bound to ``shared_default``. Optional: without it every split is per requirement.
    shared: Ident | None = None
    shared_default: Ident | None = None
    intro: Text
    responsibility: dict[RequirementId, dict[Ident, Ident]] = Field(min_length=1)
    topics: list[CloudTopic] = Field(min_length=1)
    rationale: list[RationaleItem] = Field(min_length=1)
