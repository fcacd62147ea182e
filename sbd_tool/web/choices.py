"""A typed name for WTForms' ``SelectChoice`` (WTForms 3.2+), which types-WTForms predates.

At run time this is WTForms' own class (WTForms checks ``isinstance`` against it and reads
render_kw and optgroup from it too); the type checker sees it as the (value, label) pair the
stubs accept as a choice, which is all sbd-tool builds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:

    class SelectChoice(NamedTuple):
        value: Any
        label: str

else:
    from wtforms.fields.choices import SelectChoice

__all__ = ["SelectChoice"]
