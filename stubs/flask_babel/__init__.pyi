# Flask-Babel ships no type information; these are the parts sbd-tool uses.
from collections.abc import Callable
from typing import Any

from flask import Flask

class Babel:
    def __init__(
        self,
        app: Flask | None = ...,
        date_formats: dict[str, str] | None = ...,
        configure_jinja: bool = ...,
        default_locale: str = ...,
        default_domain: str = ...,
        default_translation_directories: str = ...,
        default_timezone: str = ...,
        locale_selector: Callable[[], str | None] | None = ...,
        timezone_selector: Callable[[], str | None] | None = ...,
    ) -> None: ...

def gettext(string: str, **variables: Any) -> str: ...
def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str: ...

# A LazyString at run time, typed as the str it stands in for: WTForms takes labels and
# messages as str, and the lazy string turns into one in the chosen language when used.
def lazy_gettext(string: str, **variables: Any) -> str: ...
def refresh() -> None: ...
