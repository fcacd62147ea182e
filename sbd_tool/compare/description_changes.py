"""The revision diff's fields of wizard steps 1 to 3: the project and its tasks, each task's
subjects, information and means, and the system diagram's zones, elements and flows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sbd_tool.compare.raw_document import as_mapping, as_sequence, as_text, option_label, or_absent, union
from sbd_tool.compare.revision_model import NONE, NOT_ANSWERED, FieldChange
from sbd_tool.compare.revision_side import RevisionSide
from sbd_tool.content.catalogue import Catalogue

Changes = Iterator[FieldChange]


def description_changes(catalogue: Catalogue, old: RevisionSide, new: RevisionSide) -> Changes:
    """Steps 1 to 3 in order; unchanged fields may come too (the caller keeps the changes)."""
    for section in (_project, _features, _diagram):
        yield from section(catalogue, old, new)


def _project(catalogue: Catalogue, old: RevisionSide, new: RevisionSide) -> Changes:
    """Step 1: the project's texts, then each task (added, removed, renamed, described)."""
    for f in catalogue.steps.project_fields:
        yield FieldChange(
            "purpose",
            f"project.{f.id}",
            f.label,
            or_absent(as_text(old.project.get(f.id)), NOT_ANSWERED),
            or_absent(as_text(new.project.get(f.id)), NOT_ANSWERED),
        )
    for tid in union(old.tasks, new.tasks):
        before, after = old.tasks.get(tid), new.tasks.get(tid)
        if before is None or after is None:
            yield FieldChange(
                "purpose",
                f"tasks.{tid}",
                f"業務 {tid}",
                NONE if before is None else or_absent(as_text(before.get("name")), "（名称未入力）"),
                NONE if after is None else or_absent(as_text(after.get("name")), "（名称未入力）"),
            )
        for f in catalogue.steps.task_fields:
            if f.id == "name" and (before is None or after is None):
                continue  # shown by the task's own line
            texts = as_text((before or {}).get(f.id)), as_text((after or {}).get(f.id))
            if texts[0] == texts[1]:
                continue  # also when both are empty, whether or not the task exists
            yield FieldChange(
                "purpose",
                f"tasks.{tid}.{f.id}",
                f"業務 {tid} の{f.label.removeprefix('業務の')}",
                or_absent(texts[0], NOT_ANSWERED if before is not None else NONE),
                or_absent(texts[1], NOT_ANSWERED if after is not None else NONE),
            )


def _features(catalogue: Catalogue, old: RevisionSide, new: RevisionSide) -> Changes:
    """Step 2: each task's subjects, information and means."""
    matrix = catalogue.steps.matrix
    classes = {c.id: c.classes for c in matrix.classifications}

    def subjects(task: dict[Any, Any]) -> str:
        out = []
        for s in as_sequence(task.get("subjects")):
            raw = as_mapping(s)
            kind = or_absent(option_label(matrix.subject_kinds, raw.get("kind")), "（種類未設定）")
            out.append(f"{kind}：{or_absent(as_text(raw.get('name')), '（名称未入力）')}")
        return "、".join(out)

    def information(task: dict[Any, Any]) -> str:
        out = []
        for item in as_sequence(task.get("information")):
            raw = as_mapping(item)
            grades = [option_label(opts, raw.get(axis, opts[0].id)) for axis, opts in classes.items()]
            grades.append(option_label(matrix.pii, raw.get("pii", matrix.pii[0].id)))
            out.append(f"{or_absent(as_text(raw.get('name')), '（名称未入力）')}：{'・'.join(grades)}")
        return "、".join(out)

    def means(task: dict[Any, Any]) -> str:
        given = [as_text(m) for m in as_sequence(task.get("means"))]
        ids = {o.id for o in matrix.means}
        labels = [o.label for o in matrix.means if o.id in given]
        return "、".join(labels + [m for m in dict.fromkeys(given) if m not in ids])

    parts: tuple[tuple[str, str, Callable[[dict[Any, Any]], str]], ...] = (
        ("subjects", "主体", subjects),
        ("information", "情報", information),
        ("means", "利用環境・手段", means),
    )
    for tid in union(old.tasks, new.tasks):
        before, after = old.tasks.get(tid, {}), new.tasks.get(tid, {})
        for key, label, show in parts:
            yield FieldChange(
                "features",
                f"tasks.{tid}.{key}",
                f"業務 {tid} の{label}",
                or_absent(show(before), NONE),
                or_absent(show(after), NONE),
            )


def _diagram(catalogue: Catalogue, old: RevisionSide, new: RevisionSide) -> Changes:
    """Step 3: zones, elements and flows added, removed or changed, by id."""
    vocab = catalogue.steps.diagram
    means = catalogue.steps.matrix.means

    def zone(side: RevisionSide, raw: dict[Any, Any]) -> str:
        kind = option_label(vocab.zone_kinds, raw.get("kind"))
        return f"{or_absent(as_text(raw.get('label')), kind or '（名称未入力）')}（種類：{or_absent(kind, '未設定')}）"

    def place(side: RevisionSide, zid: str) -> str:
        if not zid:
            return "区域外"
        found = side.zones.get(zid)
        return f"{zid} {as_text(found.get('label'))}".rstrip() if found is not None else zid

    def element(side: RevisionSide, raw: dict[Any, Any]) -> str:
        kind = or_absent(option_label(vocab.element_kinds, raw.get("kind")), "未設定")
        name = or_absent(as_text(raw.get("label")), "（名称未入力）")
        return f"{name}（種類：{kind}、区域：{place(side, as_text(raw.get('zone')))}）"

    def end(side: RevisionSide, eid: str) -> str:
        if not eid:
            return "（未設定）"
        found = side.elements.get(eid)
        return f"{eid} {as_text(found.get('label'))}".rstrip() if found is not None else eid

    def flow(side: RevisionSide, raw: dict[Any, Any]) -> str:
        info = or_absent(as_text(raw.get("information")), "（情報未設定）")
        how = or_absent(option_label(means, raw.get("means")), "未設定")
        return f"{info}：{end(side, as_text(raw.get('from')))} → {end(side, as_text(raw.get('to')))}（手段：{how}）"

    # Compared on what is stored (references by id), shown with the labels of the same revision.
    parts: tuple[tuple[str, str, tuple[str, ...], Callable[[RevisionSide, dict[Any, Any]], str]], ...] = (
        ("zones", "区域", ("kind", "label"), zone),
        ("elements", "要素", ("kind", "label", "zone"), element),
        ("flows", "流れ", ("from", "to", "information", "means"), flow),
    )
    for key, label, compared, show in parts:
        older: dict[str, dict[Any, Any]] = getattr(old, key)
        newer: dict[str, dict[Any, Any]] = getattr(new, key)
        for iid in union(older, newer):
            before, after = older.get(iid), newer.get(iid)
            if (
                before is not None
                and after is not None
                and all(as_text(before.get(k)) == as_text(after.get(k)) for k in compared)
            ):
                continue
            yield FieldChange(
                "diagram",
                f"diagram.{key}.{iid}",
                f"システム概要図の{label} {iid}",
                NONE if before is None else show(old, before),
                NONE if after is None else show(new, after),
            )
