"""English labels for the web pages, for vendors and trainers who work in English.

Japanese is the default and the source language: templates write their Japanese text through
``_("…")``, and ``i18n_en.yaml`` maps each Japanese source string to its English text. A string
without an entry stays Japanese, so a missing translation never breaks a page. The choice lives
in the ``sbd_lang`` cookie, set by ``/lang/<code>`` (the header's 「English」/「日本語」 link).

Catalogue names (requirements, steps, questions, options, conditions, levels, parties) come
from the content's own ``name_en``/``title_en``/``label_en`` fields through ``local_name`` and
friends. What the engine and the document builder write (reasons, condition sentences, spec
clauses, the Word and Excel files) stays Japanese: that is the specification.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from flask import Blueprint, Flask, Response, abort, current_app, g, has_request_context, redirect, request, url_for
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.content import Catalogue
from sbd_tool.web import access
from sbd_tool.web.auth import safe_next

LANGUAGES = ("ja", "en")
DEFAULT = "ja"
COOKIE = "sbd_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
ENGLISH_FILE = Path(__file__).with_name("i18n_en.yaml")
PLACEHOLDER = re.compile(r"\{(\w+)\}")

bp = Blueprint("i18n", __name__)


# ---------------------------------------------------------------- the English strings


class TranslationFileError(ValueError):
    """``i18n_en.yaml`` is not a clean mapping of Japanese text to English text."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice (PyYAML would keep the last silently)."""


def _unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise TranslationFileError(f"line {key_node.start_mark.line + 1}: {key!r} is given twice")
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def load_english(path: Path = ENGLISH_FILE) -> dict[str, str]:
    """Read and check the translation file: text to text, no blanks, the same ``{placeholders}``."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506 (a safe loader)
    if not isinstance(data, dict):
        raise TranslationFileError(f"{path.name}: expected a mapping of Japanese text to English text")
    problems = []
    for source, english_text in data.items():
        if not isinstance(source, str) or not source.strip():
            problems.append(f"{source!r}: the Japanese source must be non-empty text")
        elif not isinstance(english_text, str) or not english_text.strip():
            problems.append(f"{source!r}: the English text must be non-empty text")
        elif set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(english_text)):
            problems.append(f"{source!r}: the English text must use the same {{placeholders}}")
    if problems:
        raise TranslationFileError(f"{path.name}: " + "; ".join(problems))
    return data


@lru_cache(maxsize=1)
def english() -> dict[str, str]:
    """The shipped translations, read once."""
    return load_english()


# ---------------------------------------------------------------- the user's language


def language() -> str:
    """``en`` when the user chose English, else ``ja`` (also outside a request).

    Every translated string and catalogue name asks (a few hundred times a page), so the answer
    is worked out once per request and kept on ``g`` with the request it belongs to."""
    if not has_request_context():
        return DEFAULT
    current = request._get_current_object()  # type: ignore[attr-defined]
    cached = g.get("sbd_language")
    if cached is None or cached[0] is not current:
        cached = (current, "en" if request.cookies.get(COOKIE) == "en" else DEFAULT)
        g.sbd_language = cached
    lang: str = cached[1]
    return lang


def is_english() -> bool:
    return language() == "en"


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Entries with ``{placeholders}`` as regular expressions over whole messages, so a message
    made in code with values in it (「「{name}」を作成しました。」) finds its English too."""
    found = []
    for source, english_text in english().items():
        if PLACEHOLDER.search(source):
            parts = PLACEHOLDER.split(source)  # text, name, text, name, …, text
            regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
            found.append((re.compile(f"^{regex}$", re.DOTALL), english_text))
    return tuple(found)


def translate(text: str, lang: str) -> str:
    """``text`` (Japanese) in ``lang``; Japanese when there is no English entry. A message with
    values in it is matched against the entries that have placeholders, and the values are kept."""
    if lang != "en":
        return text
    exact = english().get(text)
    if exact is not None:
        return exact
    for pattern, english_text in _patterns():
        match = pattern.match(text)
        if match:
            return english_text.format_map(match.groupdict())
    return text


def gettext(text: Any, /, **values: Any) -> Any:
    """The template function ``_``: ``_("保存")`` is 保存 or Save.

    With ``values`` the chosen text is a ``str.format`` pattern and the result is Markup: the
    pattern is escaped, each value is escaped unless it is already Markup (a link built in the
    template), so a sentence can keep its word order around a link in either language.
    Anything but text (None, an undefined value) is returned unchanged.
    """
    if not isinstance(text, str):
        return text
    chosen = translate(str(text), language())
    if values:
        return escape(chosen).format(**values)
    return Markup(chosen) if isinstance(text, Markup) else chosen


# ---------------------------------------------------------------- catalogue names


def local_name(item: Any, attr: str | None = None) -> str:
    """A catalogue item's name in the chosen language: ``name``/``title``/``label`` or its ``*_en``.

    ``attr`` names the Japanese attribute when it is none of those (e.g. ``level_label``).
    """
    if item is None:
        return ""
    attr = attr or next((a for a in ("name", "title", "label") if hasattr(item, a)), None)
    if attr is None:
        raise AttributeError(f"{type(item).__name__} has no name, title or label")
    japanese: str = getattr(item, attr)
    if is_english():
        return getattr(item, f"{attr}_en", None) or japanese
    return japanese


def level_name(catalogue: Catalogue, level: str) -> str:
    """低位 or Low, for a level id."""
    if is_english():
        return next(lv.label_en for lv in catalogue.meta.levels if lv.id == level)
    return catalogue.level_label(level)


def level_names(catalogue: Catalogue) -> dict[str, str] | None:
    """Level id → English label for a level select; None in Japanese (the form's labels stand)."""
    return {lv.id: lv.label_en for lv in catalogue.meta.levels} if is_english() else None


def party_name(catalogue: Catalogue, party: str) -> str:
    assert catalogue.cloud is not None
    return local_name(next(p for p in catalogue.cloud.parties if p.id == party))


def party_names(catalogue: Catalogue) -> dict[str, str] | None:
    """Party id → English label for a party select; None in Japanese."""
    if not is_english() or catalogue.cloud is None:
        return None
    return {p.id: p.label_en for p in catalogue.cloud.parties}


def option_name(catalogue: Catalogue, question_id: str, option_id: str) -> str:
    question = catalogue.questions[question_id]
    return local_name(next(o for o in question.options if o.id == option_id))


def value_name(catalogue: Catalogue, question_id: str, value: str | Iterable[str] | None) -> str:
    """An answer's option labels (as ``explain.value_label``), or 未回答 / Not answered."""
    if value is None:
        return translate("未回答", language())
    ids = (value,) if isinstance(value, str) else tuple(value)
    return (", " if is_english() else "・").join(option_name(catalogue, question_id, v) for v in ids)


def ja_attr() -> Markup:
    """`` lang="ja"`` for an element holding Japanese text on an English page (for screen readers)."""
    return Markup(' lang="ja"') if is_english() else Markup("")


def ja_label(label: str) -> dict[str, str]:
    """The attributes of a control named in Japanese (``aria-label``, e.g. 「要素の名称（2行目）」,
    which sbd.js renumbers in place), holding Japanese names: ``lang="ja"`` on an English page."""
    return {"aria-label": label, "lang": "ja"} if is_english() else {"aria-label": label}


_KANA_KANJI = "\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff01-\uff5e"
_JAPANESE_RUN = re.compile(f"[0-9]*[{_KANA_KANJI}](?:[{_KANA_KANJI}0-9.・/ ]*[{_KANA_KANJI}])?")


def ja_runs(text: Any) -> Markup:
    """The filter ``|ja_runs``: on an English page, each run of Japanese in a translated text in a
    ``<span lang="ja">`` (WCAG 3.1.2), e.g. 「情報セキュリティに関する事項」 or 令和8年12月1日 quoted in
    an English sentence. Escaped like any text; unchanged on a Japanese page."""
    markup = escape(text)
    if not is_english():
        return markup
    return Markup(_JAPANESE_RUN.sub(lambda m: f'<span lang="ja">{m.group(0)}</span>', str(markup)))


# ---------------------------------------------------------------- the switch


def here() -> str:
    """Where the language link brings the user back to: this page, if it can be fetched with GET."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    try:
        current_app.url_map.bind("localhost").match(request.path, method="GET")
    except HTTPException:
        return url_for("projects.index")
    return request.path


def language_switch(back: bool = True) -> dict[str, str]:
    """The header link to the other language; ``back=False`` (error pages) leaves out the way back,
    so an error page never echoes the address asked for (a missing and a forbidden project look alike)."""
    other = "ja" if is_english() else "en"
    target = url_for("i18n.switch", code=other, next=here()) if back else url_for("i18n.switch", code=other)
    return {"code": other, "label": "日本語" if other == "ja" else "English", "url": target}


@bp.get("/lang/<code>")
@access.rule("public")
def switch(code: str) -> BaseResponse:
    """Remember the chosen language and go back to a page of this site (never elsewhere)."""
    if code not in LANGUAGES:
        abort(404)
    response = redirect(safe_next(request.args.get("next")))
    secure = bool(current_app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure
    response.set_cookie(COOKIE, code, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True, secure=secure)
    return response


@bp.app_context_processor
def _page_language() -> dict[str, Any]:
    return {"lang": language(), "language_switch": language_switch}


@bp.after_app_request
def _vary(response: Response) -> Response:
    """Pages differ by the language cookie: shared caches must not mix them up."""
    if response.mimetype == "text/html":
        response.vary.add("Cookie")
    return response


HELPERS: Mapping[str, Any] = {
    "_": gettext,
    "local_name": local_name,
    "level_name": level_name,
    "level_names": level_names,
    "party_name": party_name,
    "party_names": party_names,
    "option_name": option_name,
    "value_name": value_name,
    "ja_attr": ja_attr,
    "ja_label": ja_label,
}


@bp.record_once
def _install(state: Any) -> None:
    """Registering the blueprint also gives every template (and macro) the helpers above."""
    app: Flask = state.app
    app.jinja_env.globals.update(HELPERS)
    app.jinja_env.filters["ja_runs"] = ja_runs
