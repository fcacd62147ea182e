"""The wizard's blueprint, the forms of its steps and the order of the steps."""

from __future__ import annotations

from flask import Blueprint

from sbd_tool.web.store import catalogue
from sbd_tool.web.wizard import forms

bp = Blueprint("wizard", __name__, url_prefix="/projects/<int:project_id>", template_folder="templates")

FORMS = {
    "purpose": forms.purpose_form,
    "features": forms.features_form,
    "diagram": forms.diagram_form,
    "questions": forms.questions_form,
    "decisions": forms.decisions_form,
    "output": forms.output_form,
}
READ_ONLY = ("conditions",)


def step_ids() -> list[str]:
    """The step ids in the order of the wizard (steps.yaml)."""
    return [s.id for s in catalogue().steps.steps]


def neighbour(step: str, offset: int) -> str | None:
    """The step ``offset`` places from ``step``; None past either end."""
    ids = step_ids()
    i = ids.index(step) + offset
    return ids[i] if 0 <= i < len(ids) else None
