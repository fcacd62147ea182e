from typing import Any

from wtforms import FileField as _FileField
from wtforms.validators import DataRequired

class FileField(_FileField):
    data: Any

class FileRequired(DataRequired):
    def __init__(self, message: str | None = ...) -> None: ...

class FileAllowed:
    def __init__(self, upload_set: Any, message: str | None = ...) -> None: ...
    def __call__(self, form: Any, field: Any) -> None: ...

class FileSize:
    def __init__(self, max_size: int, min_size: int = ..., message: str | None = ...) -> None: ...
    def __call__(self, form: Any, field: Any) -> None: ...
