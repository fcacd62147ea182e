"""The English labels: every text the templates translate has an English entry, the file is checked
when loaded, the choice of language switches the text, and anything missing stays Japanese."""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.ctx import RequestContext
from markupsafe import Markup

from sbd_tool.answers import parse_answers
from sbd_tool.bidder import bidder_requirements
from sbd_tool.content import Catalogue
from sbd_tool.document import build_document
from sbd_tool.rules import evaluate
from sbd_tool.web import audit, i18n
from sbd_tool.web.admin import ROLE_LABELS, NewUserForm, OrganisationForm, UserForm
from sbd_tool.web.auth import LoginForm, PasswordForm, password_problem
from sbd_tool.web.catalogue import ImportForm as CatalogueImportForm
from sbd_tool.web.courses import CourseForm
from sbd_tool.web.errors import ERRORS
from sbd_tool.web.projects import SAMPLES, ImportForm, NewProjectForm
from sbd_tool.web.review import STATUS_LABELS, CommentForm, DecideForm, SubmitForm
from sbd_tool.web.shares import ShareForm
from tests.conftest import example_data

TEMPLATES = Path(i18n.__file__).parent / "templates"
# _("…") or _('…') with a literal first argument (not part of a longer name such as gettext_)
CALL = re.compile(r"""(?<![\w.])_\(\s*(?P<q>['"])(?P<text>.*?)(?P=q)""")


def template_strings() -> dict[str, str]:
    """Each literal passed to _() in the templates → the first template using it."""
    found: dict[str, str] = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        for match in CALL.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(match.group("text"), str(path.relative_to(TEMPLATES)))
    return found


def test_every_translated_template_string_has_an_english_entry() -> None:
    found = template_strings()
    assert len(found) > 150, "the scan finds the templates' strings"
    missing = {text: where for text, where in found.items() if text not in i18n.english()}
    assert missing == {}, "add these to sbd_tool/web/i18n_en.yaml"


FORMS = (LoginForm, PasswordForm, NewProjectForm, ImportForm, DecideForm, SubmitForm, CommentForm, CourseForm,
         ShareForm, CatalogueImportForm, OrganisationForm, UserForm, NewUserForm)  # fmt: skip
# The modules whose fixed messages (flash, validation errors) are translated when the page shows them.
MODULES = ("admin", "auth", "catalogue", "clauses", "courses", "projects", "review", "shares", "wizard")


def _form_texts(form: type) -> list[str]:
    """A form's labels, descriptions and validators' messages (the field macros pass them through _())."""
    texts = []
    for field in vars(form).values():
        if not hasattr(field, "field_class"):
            continue
        texts += [field.args[0]] if field.args and isinstance(field.args[0], str) else []
        texts += [field.kwargs["description"]] if field.kwargs.get("description") else []
        validators = field.kwargs.get("validators") or (field.args[1] if len(field.args) > 1 else [])
        texts += [v.message for v in validators if isinstance(getattr(v, "message", None), str)]
    return texts


def _fixed_messages(module: str) -> list[str]:
    """The literal texts a module flashes or reports as a field's error; messages built with values
    (f-strings) are left out: they stay Japanese."""
    texts = []
    tree = ast.parse((TEMPLATES.parent / f"{module}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        found: list[ast.expr] = []
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("flash", "ValidationError"):
            arg = node.args[0]
            found = [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]
        elif isinstance(node, ast.Assign) and getattr(node.targets[0], "attr", None) == "errors":
            found = list(getattr(node.value, "elts", []))
        texts += [n.value for n in found if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return texts


def test_texts_from_the_code_have_english_entries(catalogue: Catalogue) -> None:
    """Titles, messages and labels that the code hands to the templates, which translate them at render time."""
    texts = [text for _code, title, message in ERRORS for text in (title, message)]
    texts += [*ROLE_LABELS.values(), *STATUS_LABELS.values(), *SAMPLES.values(), *audit.ACTIONS.values(), "未回答"]
    texts += ["（なし：管理者のみ）", "利用者が見つかりません。"]
    for form in FORMS:
        texts += _form_texts(form)
    for module in MODULES:
        texts += _fixed_messages(module)
    assert "研修を終了しました。" in texts and "同じ名前の組織が既にあります。" in texts, "the scan finds them"
    texts += [password_problem(p, "someone") or "" for p in ("short", "x" * 201, "a" * 14)]
    texts.append(password_problem("someone12345", "someone12345") or "")
    answers = parse_answers(example_data("cloud-interagency"), catalogue)
    evaluation = evaluate(catalogue, answers)
    model = build_document(catalogue, answers, evaluation, dt.date(2026, 4, 1))
    texts += sorted({label for r in bidder_requirements(catalogue, evaluation, model) for label, _ in r.details})
    assert [t for t in texts if t not in i18n.english()] == []


def test_the_file_is_checked_when_loaded(tmp_path: Path) -> None:
    english = i18n.load_english()
    assert english["保存"] == "Save"
    for text, problem in (
        ('"保存": "Save"\n"保存": "Keep"\n', "given twice"),
        ('"第{number}版": "Revision {n}"\n', "placeholders"),
        ('"保存": ""\n', "non-empty"),
        ('"保存": 3\n', "non-empty"),
        ("- 保存\n", "mapping"),
    ):
        path = tmp_path / "en.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(i18n.TranslationFileError, match=problem):
            i18n.load_english(path)


@pytest.fixture
def web() -> Iterator[Flask]:
    yield Flask(__name__)  # only a request context is needed: the language is read from the cookie


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
        assert i18n.gettext("{x}件", x=3) == "3件"
        assert i18n.gettext(None) is None


def test_values_are_escaped_and_markup_is_kept(web: Flask) -> None:
    for request in (web.test_request_context(), english_request(web)):
        with request:
            text = i18n.gettext("案件「{name}」を削除しますか", name="<b>x</b>")
            assert isinstance(text, Markup) and "&lt;b&gt;x&lt;/b&gt;" in text and "<b>" not in text
            link = Markup('<a href="/q">x</a>')
            assert link in i18n.gettext("未回答の設問があります（{questions}）。{step4}で回答してください。",
                                        questions="Q", step4=link)  # fmt: skip
    with web.test_request_context():
        assert i18n.gettext("手順{number}　{title}", number=6, title="対策要件の決定") == "手順6　対策要件の決定"
    with english_request(web):
        assert i18n.gettext("手順{number}　{title}", number=6, title="Deciding") == "Step 6: Deciding"


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


def test_messages_with_values_find_their_english() -> None:
    from sbd_tool.web.i18n import translate

    assert translate("「補助金<b>ポータル</b>」を複製しました。", "en") == "Duplicated “補助金<b>ポータル</b>”."
    assert translate("対策要件集を版 1.1.0+abc に切り替えました（第7版）。", "en") == (
        "Switched the requirement set to version 1.1.0+abc (revision 7)."
    )
    assert translate("第3版を承認しました。", "en") == "Approved revision 3."
    assert translate("第3版を承認しました。", "ja") == "第3版を承認しました。"
    assert translate("どこにもない文です。", "en") == "どこにもない文です。"
