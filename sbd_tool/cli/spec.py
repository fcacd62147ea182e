"""Commands over one answers file: levels, what-if, generate, matrix, schema (and the Word
template builder for developers)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from sbd_tool.assessment import specification
from sbd_tool.cli.common import (
    assessed,
    catalogue_or_fail,
    content_option,
    display_width,
    evaluated,
    fail,
    pad,
    write_atomically,
)
from sbd_tool.cli.group import main
from sbd_tool.content.schema import Parameter
from sbd_tool.diagram.draft import diagram_problems
from sbd_tool.document.kinds import OUTPUT_KINDS, OUTPUT_NAMES, OutputKind
from sbd_tool.engine.explain import requirement_reasons
from sbd_tool.problems import Problem


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="JSONで出力する")
@content_option
def levels(file: Path, as_json: bool, content_dir: Path | None) -> None:
    """回答ファイルから、各対策要件の提案レベル・決定レベルと理由を表示する。"""
    catalogue = catalogue_or_fail(content_dir)
    parsed, evaluation = evaluated(catalogue, file)
    rows: list[dict[str, Any]] = []
    cloud = evaluation.cloud
    for rid, outcome in evaluation.requirements.items():
        row: dict[str, Any] = {
            "id": rid,
            "name": catalogue.requirements[rid].requirement.name,
            "proposed": outcome.proposed,
            "decided": outcome.decided,
            "lowered": outcome.lowered,
            "decision_reason": outcome.decision_reason,
            "reasons": requirement_reasons(catalogue, outcome),
        }
        if cloud is not None:  # who implements it, on a cloud service
            resp = cloud.responsibilities[rid]
            row |= {"party": resp.party, "default_party": resp.default, "party_reason": resp.reason}
        rows.append(row)
    if as_json:
        result: dict[str, Any] = {
            "requirements": rows,
            "conditions": {cid: c.met for cid, c in evaluation.conditions.items()},
            "warnings": [w.message for w in evaluation.warnings],
            "content_version": evaluation.content_version,
        }
        if cloud is not None:
            result["cloud"] = {"model": cloud.model, "topics": [t.title for t in cloud.topics]}
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    label = catalogue.level_label
    name_width = max(display_width(r["name"]) for r in rows)
    click.echo(f"{pad('ID', 6)}{pad('対策要件', name_width + 2)}{pad('提案', 8)}{pad('決定', 16)}理由")
    for r in rows:
        decided = label(r["decided"]) + ("（引下げ）" if r["lowered"] else "")
        because = " / ".join(r["reasons"])
        if r["decided"] != r["proposed"]:
            because = f"決定の理由：{r['decision_reason'] or '（記載なし）'} ／ 提案の理由：{because}"
        if "party" in r:
            because = f"[実施主体：{catalogue.party_label(r['party'])}] {because}"
        click.echo(
            f"{pad(r['id'], 6)}{pad(r['name'], name_width + 2)}"
            f"{pad(label(r['proposed']), 8)}{pad(decided, 16)}{because}"
        )
    for warning in evaluation.warnings:
        click.echo(f"注意: {warning.message}")
    for problem in diagram_problems(catalogue, parsed):
        click.echo(f"注意（システム概要図）: {problem}")
    click.echo(f"対策要件集の版: {evaluation.content_version}")


@main.command("what-if")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="JSON で出力する")
@content_option
def what_if_command(file: Path, as_json: bool, content_dir: Path | None) -> None:
    """回答を一つ変えた場合に提案レベルが変わる対策要件を表示する。"""
    from sbd_tool.engine.whatif import change_sentence, what_if

    catalogue = catalogue_or_fail(content_dir)
    answers, evaluation = evaluated(catalogue, file)
    changes = what_if(catalogue, answers, evaluation)
    if as_json:
        rows = [
            {
                "requirement": c.requirement,
                "question": c.question,
                "current": c.current,
                "alternative": c.alternative,
                "before": c.before,
                "after": c.after,
            }
            for c in changes
        ]
        click.echo(json.dumps({"changes": rows}, ensure_ascii=False, indent=2))
        return
    for c in changes:
        click.echo(("↑ " if c.raises else "↓ ") + change_sentence(catalogue, c))
    if not changes:
        click.echo("回答を一つ変えるだけで提案レベルが変わる対策要件はありません。")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="出力する .docx ファイル"
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Word テンプレート（既定: docx_templates/sbd-spec.docx）。足りないスタイルは追加して注記する",
)
@click.option(
    "--output-kind",
    type=click.Choice(OUTPUT_KINDS),
    default="full",
    show_default=True,
    help="paste: 調達仕様書に貼り付ける「情報セキュリティに関する事項」のみ／approval: 閲覧資料（決定根拠）／"
    "full: 一式（別紙を含む）",
)
@content_option
def generate(file: Path, output: Path, template: Path | None, output_kind: str, content_dir: Path | None) -> None:
    """回答ファイルから調達仕様書（セキュリティ要件）を出力する（.docx、.md 又は .html。拡張子で選ぶ）。"""
    from sbd_tool.document.docx_render import TemplateError, render_docx_with_notes
    from sbd_tool.document.text_render import render_html, render_markdown

    catalogue = catalogue_or_fail(content_dir)
    assessment = assessed(catalogue, file)
    model = specification(assessment, dt.date.today())
    kind: OutputKind = next((k for k in OUTPUT_KINDS if k == output_kind), "full")
    suffix = output.suffix.lower()
    if suffix in (".md", ".markdown"):
        data = render_markdown(model, kind).encode("utf-8")
    elif suffix in (".html", ".htm"):
        data = render_html(model, kind).encode("utf-8")
    else:
        try:
            data, notes = render_docx_with_notes(model, template, kind)
        except TemplateError as exc:
            fail([Problem("--template", str(exc))], 2)
        for note in notes:  # what had to be added to an office's template
            click.echo(f"注意: --template: {note}", err=True)
    write_atomically(output, data)
    _warn_open_parameters(assessment.open_parameters)
    click.echo(f"{output} を出力しました（{OUTPUT_NAMES[kind]}、対策要件集の版: {catalogue.content_version}）")


def _warn_open_parameters(left_open: tuple[Parameter, ...]) -> None:
    """Parameters a printed clause uses that have no value: the document says 「発注者が指定する…」."""
    for param in left_open:
        click.echo(
            f"注意: parameters.{param.id}: 「{param.label}」が未設定のため、仕様書には「{param.default}」と記載しました"
            f"（例：「{param.suggested}」）",
            err=True,
        )


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="出力する .xlsx ファイル"
)
@content_option
def matrix(file: Path, output: Path, content_dir: Path | None) -> None:
    """入札者が記入する対応表（要件ごとの対応可否）を Excel 形式で出力する。"""
    from sbd_tool.document.compliance import compliance_xlsx

    catalogue = catalogue_or_fail(content_dir)
    model = specification(assessed(catalogue, file), dt.date.today())
    write_atomically(output, compliance_xlsx(model))
    click.echo(f"{output} を出力しました（対策要件集の版: {catalogue.content_version}）")


@main.command()
@content_option
def schema(content_dir: Path | None) -> None:
    """回答ファイル（sbd-tool/answers@1）の JSON Schema を出力する。"""
    from sbd_tool.answers.schema import answers_schema

    click.echo(json.dumps(answers_schema(catalogue_or_fail(content_dir)), ensure_ascii=False, indent=2))


@main.command("build-template", hidden=True)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default=Path("docx_templates/sbd-spec.docx"))
def build_template_command(path: Path) -> None:
    """Rebuild the Word styles template (for developers)."""
    from sbd_tool.document.template import build_template

    build_template(path)
    click.echo(f"wrote {path}")
