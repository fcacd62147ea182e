"""English labels for the web pages, for vendors and trainers who work in English.

Japanese is the default and the source language: the message ids are the Japanese text.
Templates write it through ``_("…")``, Python through Flask-Babel's ``gettext``/``lazy_gettext``
with ``%(name)s`` placeholders marked where the message is written. The English lives in
``translations/en/LC_MESSAGES/messages.po`` (compiled to the ``.mo`` next to it, which a test
keeps in step). A string without an entry stays Japanese, so a missing translation never breaks
a page. The choice lives in the ``sbd_lang`` cookie, set by ``/lang/<code>`` (the header's
「English」/「日本語」 link), and is Flask-Babel's locale selector.

Catalogue names (requirements, steps, questions, options, conditions, levels, parties) come
from the content's own ``name_en``/``title_en``/``label_en`` fields through ``local_name`` and
friends. What the engine and the document builder write (reasons, condition sentences, spec
clauses, the Word and Excel files) stays Japanese: that is the specification.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import flask_babel
from flask import Blueprint, Flask, Response, abort, current_app, g, has_request_context, redirect, request, url_for
from flask_babel import Babel
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from sbd_tool.content import Catalogue
from sbd_tool.web import access
from sbd_tool.web.redirects import safe_next

LANGUAGES = ("ja", "en")
DEFAULT = "ja"
COOKIE = "sbd_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
TRANSLATIONS = Path(__file__).with_name("translations")

bp = Blueprint("i18n", __name__)


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


def translate(text: str) -> str:
    """``text`` (a Japanese message id) in the chosen language; itself when there is no entry."""
    return flask_babel.gettext(text)


def gettext(text: Any, /, **values: Any) -> Any:
    """The template function ``_``: ``_("保存")`` is 保存 or Save.

    With ``values`` the chosen text is a ``%(name)s`` pattern and the result is Markup: the
    pattern is escaped, each value is escaped unless it is already Markup (a link built in the
    template), so a sentence can keep its word order around a link in either language. A lazy
    string (a form's label) is already in the chosen language. Anything but text (None, an
    undefined value) is returned unchanged.
    """
    if isinstance(text, LazyString):
        return str(text)
    if not isinstance(text, str):
        return text
    chosen = translate(str(text))
    if values:
        return escape(chosen) % values
    return Markup(chosen) if isinstance(text, Markup) else chosen


_KANA_KANJI = "\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff01-\uff5e"
_JAPANESE = re.compile(f"[{_KANA_KANJI}]")
_LATIN = re.compile("[A-Za-z]")


def is_japanese(text: Any) -> bool:
    """Whether ``text`` is mostly Japanese (a message left untranslated, a name typed in Japanese):
    it has at least as many Japanese characters as Latin letters, so an English sentence quoting a
    Japanese name is English and 「Word 形式でダウンロード」 is Japanese."""
    plain = str(text or "")
    japanese = len(_JAPANESE.findall(plain))
    return japanese > 0 and japanese >= len(_LATIN.findall(plain))


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
        return flask_babel.gettext("未回答")
    ids = (value,) if isinstance(value, str) else tuple(value)
    return (", " if is_english() else "・").join(option_name(catalogue, question_id, v) for v in ids)


def ja_attr() -> Markup:
    """`` lang="ja"`` for an element holding Japanese text on an English page (for screen readers)."""
    return Markup(' lang="ja"') if is_english() else Markup("")


def ja_label(label: str) -> dict[str, str]:
    """The attributes of a control named in Japanese (``aria-label``, e.g. 「要素の名称（2行目）」,
    which sbd.js renumbers in place), holding Japanese names: ``lang="ja"`` on an English page."""
    return {"aria-label": label, "lang": "ja"} if is_english() else {"aria-label": label}


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


@bp.before_app_request
def _fresh_locale() -> None:
    """Each request asks the cookie again, also when tests send several through one app context."""
    flask_babel.refresh()


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
    "is_japanese": is_japanese,
}


def init_babel(app: Flask) -> None:
    """Flask-Babel with the cookie as the locale selector and Japanese as the source language.
    The template ``_`` is this module's ``gettext`` (HTML-escaping values), not Jinja's i18n extension."""
    Babel(app, default_locale=DEFAULT, default_translation_directories=str(TRANSLATIONS),
          locale_selector=language, configure_jinja=False)  # fmt: skip


@bp.record_once
def _install(state: Any) -> None:
    """Registering the blueprint also gives every template (and macro) the helpers above."""
    app: Flask = state.app
    init_babel(app)
    app.jinja_env.globals.update(HELPERS)
    app.jinja_env.filters["ja_runs"] = ja_runs
