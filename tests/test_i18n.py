"""The English labels: every message pybabel extracts has an English translation, the catalogue is
checked and compiled, the choice of language switches the text, and anything missing stays Japanese."""

from __future__ import annotations

import ast
import datetime as dt
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import flask_babel
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.ctx import RequestContext
from markupsafe import Markup

from sbd_tool.answers.read import parse_answers
from sbd_tool.content import Catalogue
from sbd_tool.document import build_document
from sbd_tool.document.bidder import bidder_requirements
from sbd_tool.engine.rules import evaluate
from sbd_tool.web import audit, i18n
from sbd_tool.web.admin.blueprint import ROLE_LABELS
from sbd_tool.web.admin.forms import NewUserForm, OrganisationForm, UserForm
from sbd_tool.web.auth.forms import LoginForm, PasswordForm
from sbd_tool.web.auth.passwords import password_problem
from sbd_tool.web.catalogue.forms import ImportForm as CatalogueImportForm
from sbd_tool.web.errors import ERRORS
from sbd_tool.web.projects.forms import ImportForm, NewProjectForm
from sbd_tool.web.projects.samples import SAMPLES
from sbd_tool.web.review.blueprint import STATUS_LABELS
from sbd_tool.web.review.forms import CommentForm, DecideForm, SubmitForm
from sbd_tool.web.shares.forms import ShareForm
from sbd_tool.web.training.forms import CourseForm
from tests.conftest import example_data

WEB = Path(i18n.__file__).parent
ROOT = WEB.parent.parent
PO = i18n.TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"


@lru_cache(maxsize=1)
def english() -> dict[str, str]:
    """The shipped English catalogue: Japanese message id → English."""
    with PO.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and isinstance(m.id, str)}


@lru_cache(maxsize=1)
def extracted() -> Catalog:
    """What ``pybabel extract -F babel.cfg`` finds in the Python modules and the templates."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract", "-F", "babel.cfg",
             "-k", "lazy_gettext", "-o", str(pot), "."], cwd=ROOT, check=True,
        )  # fmt: skip
        with pot.open("rb") as f:
            return read_po(f)


def untranslated(found: Catalog, english: dict[str, str]) -> dict[str, str]:
    """Each extracted message without a non-empty English text → where it is written."""
    return {
        m.id: "{}:{}".format(*m.locations[0])
        for m in found
        if m.id and isinstance(m.id, str) and not (english.get(m.id) or "").strip()
    }


def test_every_extracted_message_has_an_english_translation() -> None:
    found = extracted()
    assert len(found) > 600, "the extraction finds the templates' and the modules' messages"
    assert "「%(name)s」を複製しました。" in found, "Python messages are extracted with their placeholders"
    assert "保存して次の手順へ" in found, "templates are extracted too"
    assert untranslated(found, english()) == {}, "add these to " + str(PO.relative_to(ROOT))


def test_the_check_finds_a_missing_translation() -> None:
    found = Catalog()
    found.add("訳のない文", locations=[("x.html", 3)])
    found.add("保存")
    assert untranslated(found, {"保存": "Save", "訳のない文": " "}) == {"訳のない文": "x.html:3"}


def test_the_catalogue_is_clean_and_compiled() -> None:
    """Placeholders agree (Babel's own checks), and the shipped .mo holds exactly the .po."""
    with PO.open("rb") as f:
        catalog = read_po(f)
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert problems == []
    with PO.with_suffix(".mo").open("rb") as f:
        compiled = {m.id: m.string for m in read_mo(f) if m.id}
    assert compiled == english(), "run: pybabel compile -d sbd_tool/web/translations"


def test_no_flash_message_escapes_gettext() -> None:
    """Every message flashed in sbd_tool/web is translated where it is written: no bare text or
    f-string reaches flash() (a value goes in as a %(placeholder)s)."""
    bare = []
    for path in sorted(WEB.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "flash":
                bare += [f"{path.name}:{node.lineno}" for text in _outside_gettext(node.args[0])]
    assert bare == []


def _outside_gettext(node: ast.expr) -> list[ast.expr]:
    """Text literals in ``node`` that are not the message of a gettext call."""
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("gettext", "ngettext"):
        return []
    if isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return [node]
    return [
        text for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr) for text in _outside_gettext(child)
    ]


def test_the_flash_check_can_fail() -> None:
    assert _outside_gettext(ast.parse('f"「{x}」を削除しました。"', mode="eval").body)
    assert _outside_gettext(ast.parse('"保存しました。" if a else gettext("b")', mode="eval").body)
    assert not _outside_gettext(ast.parse('note or gettext("保存しました。")', mode="eval").body)


FORMS = (LoginForm, PasswordForm, NewProjectForm, ImportForm, DecideForm, SubmitForm, CommentForm, CourseForm,
         ShareForm, CatalogueImportForm, OrganisationForm, UserForm, NewUserForm)  # fmt: skip
# The modules whose fixed messages (flash, validation errors) are translated when the page shows them.
MODULES = ("admin/forms", "admin/organisations", "admin/users", "auth/views", "catalogue/project_update",
           "catalogue/release_pages", "projects/files", "projects/trash", "projects/views",
           "review/comments", "review/history", "review/submission", "shares/manage", "training/manage",
           "training/pages", "training/practice", "wizard/clauses", "wizard/output_views", "wizard/saving",
           "wizard/step_views", "wizard/whatif_compare")  # fmt: skip


def _form_texts(form: type) -> list[str]:
    """A form's labels, descriptions and validators' messages still given as plain text (the field
    macros pass them through _()); those marked with lazy_gettext are found by the extraction."""
    texts = []
    for field in vars(form).values():
        if not hasattr(field, "field_class"):
            continue
        texts += [field.args[0]] if field.args and isinstance(field.args[0], str) else []
        description = field.kwargs.get("description")
        texts += [description] if isinstance(description, str) else []  # lazy ones are extracted
        validators = field.kwargs.get("validators") or (field.args[1] if len(field.args) > 1 else [])
        texts += [v.message for v in validators if isinstance(getattr(v, "message", None), str)]
    return texts


def _fixed_messages(module: str) -> list[str]:
    """The literal texts a module flashes or reports as a field's error; messages built with values
    (f-strings) are left out: they stay Japanese."""
    texts = []
    tree = ast.parse((WEB / f"{module}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        found: list[ast.expr] = []
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("flash", "ValidationError"):
            arg = node.args[0]
            found = [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]
        elif isinstance(node, ast.Assign) and getattr(node.targets[0], "attr", None) == "errors":
            found = list(getattr(node.value, "elts", []))
        found = [
            n.args[0] if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "gettext" else n for n in found
        ]
        texts += [n.value for n in found if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return texts


def test_texts_from_the_code_have_english_entries(catalogue: Catalogue) -> None:
    """Titles, messages and labels that the code hands to the templates, which translate them at render time."""
    texts = [text for _code, title, message in ERRORS for text in (title, message)]
    texts += [*ROLE_LABELS.values(), *STATUS_LABELS.values(), *SAMPLES.values(), *audit.ACTIONS.values(), "未回答"]
    for form in FORMS:
        texts += _form_texts(form)
    for module in MODULES:
        texts += _fixed_messages(module)
    assert "研修を終了しました。" in texts and "同じ名前の組織が既にあります。" in texts, "the scan finds them"
    texts += [password_problem(p, "someone") or "" for p in ("x" * 201, "a" * 14)]
    texts.append(password_problem("someone12345", "someone12345") or "")
    answers = parse_answers(example_data("cloud-interagency"), catalogue)
    evaluation = evaluate(catalogue, answers)
    model = build_document(catalogue, answers, evaluation, dt.date(2026, 4, 1))
    texts += sorted({label for r in bidder_requirements(catalogue, evaluation, model) for label, _ in r.details})
    assert [t for t in texts if t not in english()] == []


@pytest.fixture
def web() -> Iterator[Flask]:
    app = Flask(__name__)  # only a request context and Flask-Babel: the language is read from the cookie
    i18n.init_babel(app)
    yield app


def english_request(app: Flask) -> RequestContext:
    return app.test_request_context(headers={"Cookie": f"{i18n.COOKIE}=en"})


def test_japanese_by_default_english_when_chosen(web: Flask) -> None:
    assert i18n.language() == "ja"  # outside a request
    with web.test_request_context():
        assert i18n.language() == "ja"
        assert i18n.gettext("保存して次の手順へ") == "保存して次の手順へ"
    with web.test_request_context(headers={"Cookie": f"{i18n.COOKIE}=fr"}):
        assert i18n.language() == "ja", "an unknown choice is the default"
    with english_request(web):
        assert i18n.language() == "en"
        assert i18n.gettext("保存して次の手順へ") == "Save and go to the next step"


def test_missing_translations_fall_back_to_japanese(web: Flask) -> None:
    with english_request(web):
        assert i18n.gettext("まだ訳されていない文") == "まだ訳されていない文"
        assert i18n.gettext("%(x)s件", x=3) == "3件"
        assert i18n.gettext(None) is None


def test_values_are_escaped_and_markup_is_kept(web: Flask) -> None:
    for request in (web.test_request_context(), english_request(web)):
        with request:
            text = i18n.gettext("案件「%(name)s」を削除しますか", name="<b>x</b>")
            assert isinstance(text, Markup) and "&lt;b&gt;x&lt;/b&gt;" in text and "<b>" not in text
            link = Markup('<a href="/q">x</a>')
            assert link in i18n.gettext("未回答の設問があります（%(questions)s）。%(step4)sで回答してください。",
                                        questions="Q", step4=link)  # fmt: skip
    with web.test_request_context():
        assert i18n.gettext("手順%(number)s　%(title)s", number=6, title="対策要件の決定") == "手順6　対策要件の決定"
    with english_request(web):
        assert i18n.gettext("手順%(number)s　%(title)s", number=6, title="Deciding") == "Step 6: Deciding"


def test_catalogue_names_follow_the_language(web: Flask, catalogue: Catalogue) -> None:
    step = catalogue.steps.steps[5]
    req = catalogue.requirements["AC-1"].requirement
    question = catalogue.questions["hosting"]
    with web.test_request_context():
        assert i18n.local_name(step) == step.title
        assert i18n.local_name(req) == req.name
        assert i18n.level_name(catalogue, "middle") == "中位"
        assert i18n.level_names(catalogue) is None
        assert i18n.value_name(catalogue, "network", ["internet", "closed"]) == "・".join(
            catalogue.option_label("network", o) for o in ("internet", "closed")
        )
        assert i18n.value_name(catalogue, "hosting", None) == "未回答"
        assert i18n.ja_attr() == ""
    with english_request(web):
        assert i18n.local_name(step) == step.title_en == "Deciding the requirement levels"
        assert i18n.local_name(req) == req.name_en
        assert i18n.local_name(question) == question.label_en
        assert i18n.option_name(catalogue, "hosting", question.options[0].id) == question.options[0].label_en
        assert i18n.level_name(catalogue, "middle") == "Middle"
        assert i18n.level_names(catalogue) == {"not_applicable": "Not applicable", "low": "Low", "middle": "Middle",
                                               "high": "High"}  # fmt: skip
        assert i18n.value_name(catalogue, "hosting", None) == "Not answered"
        assert i18n.ja_attr() == ' lang="ja"'
        assert i18n.local_name(None) == ""


def test_messages_with_values_are_translated_where_written(web: Flask) -> None:
    """Python marks a message's values as %(placeholders)s; the English keeps them."""
    text = "対策要件集を版 %(version)s に切り替えました（第%(revision)s版）。"
    with english_request(web):
        assert flask_babel.gettext(text, version="1.1.0+abc", revision=7) == (
            "Switched the requirement set to version 1.1.0+abc (revision 7)."
        )
        assert flask_babel.gettext("「%(name)s」を複製しました。", name="補助金<b>ポータル</b>") == (
            "Duplicated “補助金<b>ポータル</b>”."
        )
        assert flask_babel.gettext("どこにもない文です。") == "どこにもない文です。"
    with web.test_request_context():
        assert flask_babel.gettext("第%(revision)s版を承認しました。", revision=3) == "第3版を承認しました。"


def test_each_request_asks_the_cookie_again() -> None:
    """Tests send several requests through one app context: the locale must not stick."""
    app = Flask(__name__)
    app.register_blueprint(i18n.bp)
    app.add_url_rule("/t", "t", lambda: flask_babel.gettext("保存"))
    client = app.test_client()
    with app.app_context():
        assert client.get("/t").text == "保存"
        client.set_cookie(i18n.COOKIE, "en")
        assert client.get("/t").text == "Save"
        client.set_cookie(i18n.COOKIE, "ja")
        assert client.get("/t").text == "保存"


def test_form_labels_and_messages_are_lazy(web: Flask) -> None:
    """A label written at import time turns into the language of the request that shows it."""
    web.config["SECRET_KEY"] = "test"
    for request, label in ((web.test_request_context(), "利用者名"), (english_request(web), english()["利用者名"])):
        with request:
            form = LoginForm(meta={"csrf": False}, formdata=None)
            assert str(form.username.label.text) == label
            assert not form.validate()
            assert str(form.username.errors[0]) == gettext_for(request, "利用者名を入力してください。")


def gettext_for(request: RequestContext, text: str) -> str:
    return english()[text] if request.request.cookies.get(i18n.COOKIE) == "en" else text
