"""Cross-reference checks of the questionnaire: the steps, the diagram's zone and element kinds,
and each question's perspective, options, exclusive and default options, gate (``applies_when``)
and derivation from the system's facts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sbd_tool.content.references import Q, duplicates
from sbd_tool.content.schema import AnswerTest, Question, StepsFile
from sbd_tool.content.yamlfile import YamlFile
from sbd_tool.problems import Problem

if TYPE_CHECKING:
    from sbd_tool.content.crossref import ContentFiles


def _fact_tokens(steps: StepsFile) -> dict[str, set[str]]:
    m = steps.matrix
    classes: dict[str, set[str]] = {cl.id: {o.id for o in cl.classes} for cl in m.classifications}
    return {
        "subject_kind": {o.id for o in m.subject_kinds},
        "pii": {o.id for o in m.pii},
        "means": {o.id for o in m.means},
        "hosting": {z.hosting for z in steps.diagram.zone_kinds if z.hosting},
        **classes,
    }


def check_questions(c: ContentFiles) -> Iterator[Problem]:
    """steps.yaml (its steps and diagram kinds), then every question of questions.yaml."""
    steps_file = c.files[f"{Q}/steps.yaml"]
    tokens = _fact_tokens(c.steps)
    yield from _check_steps(c.steps, steps_file)
    yield from _check_diagram_kinds(c.steps, steps_file, tokens["means"])
    file = c.files[f"{Q}/questions.yaml"]
    perspectives = {p.id for p in c.questions.perspectives}
    for qid in duplicates(q.id for q in c.questions.questions):
        yield file.problem(["questions"], f"設問id「{qid}」が重複しています")
    for qi, q in enumerate(c.questions.questions):
        loc: list[int | str] = ["questions", qi]
        opts = {o.id for o in q.options}
        yield from _check_options(file, loc, q, opts, perspectives)
        if q.applies_when is not None:
            yield from _check_gate(file, loc, q.id, q.applies_when, c.questions.questions[:qi])
        yield from _check_derive(file, loc, q, opts, tokens)


def _check_steps(steps: StepsFile, steps_file: YamlFile) -> Iterator[Problem]:
    """The steps are numbered 1 to 7, each once."""
    numbers = [s.number for s in steps.steps]
    if sorted(numbers) != list(range(1, 8)):
        yield steps_file.problem(["steps"], "手順は1から7まで一つずつ定義してください")


def _check_diagram_kinds(steps: StepsFile, steps_file: YamlFile, means: set[str]) -> Iterator[Problem]:
    """Zone and element kinds name real means, and no kind id is given twice."""
    for zi, zone in enumerate(steps.diagram.zone_kinds):
        if zone.means is not None and zone.means not in means:
            yield steps_file.problem(
                ["diagram", "zone_kinds", zi, "means"], f"利用環境・手段「{zone.means}」がありません"
            )
    for ei, kind in enumerate(steps.diagram.element_kinds):
        if kind.means is not None and kind.means not in means:
            yield steps_file.problem(
                ["diagram", "element_kinds", ei, "means"], f"利用環境・手段「{kind.means}」がありません"
            )
    for dup in duplicates(z.id for z in steps.diagram.zone_kinds):
        yield steps_file.problem(["diagram", "zone_kinds"], f"区域の種類「{dup}」が重複しています")
    for dup in duplicates(e.id for e in steps.diagram.element_kinds):
        yield steps_file.problem(["diagram", "element_kinds"], f"要素の種類「{dup}」が重複しています")


def _check_options(
    file: YamlFile, loc: list[int | str], q: Question, opts: set[str], perspectives: set[str]
) -> Iterator[Problem]:
    """A question's perspective exists, its option ids are unique, and its exclusive and default
    options are its own."""
    if q.perspective not in perspectives:
        yield file.problem([*loc, "perspective"], f"観点「{q.perspective}」がありません")
    for dup in duplicates(o.id for o in q.options):
        yield file.problem([*loc, "options"], f"{q.id}: 選択肢id「{dup}」が重複しています")
    if q.exclusive and q.type != "multi":
        yield file.problem([*loc, "exclusive"], f"{q.id}: exclusive は複数選択の設問にだけ指定できます")
    for ex in q.exclusive:
        if ex not in opts:
            yield file.problem([*loc, "exclusive"], f"{q.id}: 選択肢「{ex}」がありません")
    if q.default is not None and q.default not in opts:
        yield file.problem([*loc, "default"], f"{q.id}: 選択肢「{q.default}」がありません")


def _check_gate(
    file: YamlFile, loc: list[int | str], qid: str, gate: AnswerTest, before: list[Question]
) -> Iterator[Problem]:
    """``applies_when`` names an earlier question and options it has."""
    earlier = {e.id: e for e in before}
    if gate.question not in earlier:
        yield file.problem(
            [*loc, "applies_when", "question"], f"{qid}: 設問「{gate.question}」はこの設問より前にありません"
        )
    else:
        gate_opts = {o.id for o in earlier[gate.question].options}
        for option in [*(gate.in_ or ()), *(gate.includes or ())]:
            if option not in gate_opts:
                yield file.problem(
                    [*loc, "applies_when"], f"{qid}: 設問「{gate.question}」に選択肢「{option}」がありません"
                )


def _check_derive(
    file: YamlFile, loc: list[int | str], q: Question, opts: set[str], tokens: dict[str, set[str]]
) -> Iterator[Problem]:
    """A derivation maps values of a known fact to the question's own options."""
    if q.derive is None:
        return
    sources: list[tuple[list[int | str], str, dict[str, str]]] = [
        ([*loc, "derive", "map"], q.derive.fact, q.derive.map),
        *(([*loc, "derive", "also", i, "map"], a.fact, a.map) for i, a in enumerate(q.derive.also)),
    ]
    for where, fact, mapping in sources:
        for token, option in mapping.items():
            if token not in tokens[fact]:
                yield file.problem([*where, token], f"{q.id}: 「{token}」は {fact} の値にありません")
            if option not in opts:
                yield file.problem([*where, token], f"{q.id}: 選択肢「{option}」がありません")
    if q.derive.otherwise is not None and q.derive.otherwise not in opts:
        yield file.problem([*loc, "derive", "otherwise"], f"{q.id}: 選択肢「{q.derive.otherwise}」がありません")
