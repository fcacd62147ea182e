"""Clauses fitted to the system: a clause with its own condition (``when``) is printed only when
that condition holds, and the trace says which clauses were left out and why."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sbd_tool.answers.read import Answers, parse_answers
from sbd_tool.content import Catalogue, load_catalogue
from sbd_tool.document import build_document
from sbd_tool.engine.explain import requirement_reasons
from sbd_tool.engine.rules import evaluate, printed_clauses
from tests.conftest import CONTENT, MINIMAL
from tests.test_engine_properties import _answers_strategy

CATALOGUE = load_catalogue(CONTENT)


def printed(catalogue: Catalogue, answers: Answers) -> dict[str, str]:
    """Requirement id → every clause the document prints for it, joined."""
    model = build_document(catalogue, answers, evaluate(catalogue, answers), dt.date(2026, 11, 24))
    return {r.id: "\n".join(r.clauses) for c in model.security for p in c.policies for r in p.requirements}


# A closed, staff-only system on premises with removable media: nothing arrives by mail or web.
CLOSED = {"confidentiality": "c3", "media": "used", "equipment": "procured", "terminals": "office"}
# An Internet-facing public service that receives mail and lets staff browse the web.
OPEN = {
    "users": "public",
    "confidentiality": "c3",
    "network": ["internet"],
    "mail": "send_receive",
    "web_browsing": "used",
    "equipment": "procured",
    "terminals": "portable",
    "places": ["office", "remote"],
    "wireless": "used",
    "media": "used",
}
PAAS = {
    "network": ["internet"],
    "users": "partners",
    "hosting": "cloud",
    "cloud_model": "paas",
    "data_location": "domestic",
    "customer_keys": "not_required",
}

# (case, requirement, words that must not appear, words that must appear)
ROWS: list[tuple[str, dict[str, Any], str, tuple[str, ...], tuple[str, ...]]] = [
    (
        "closed: no mail or web inspection",
        CLOSED,
        "AT-5",
        ("電子メール", "ウェブ", "サンドボックス"),
        ("外部記録媒体",),
    ),
    ("closed: no proxy", {**CLOSED, "places": ["office", "remote"]}, "AT-2", ("プロキシ", "無線LAN"), ("VPN",)),
    (
        "open: mail, web and uploads inspected",
        OPEN,
        "AT-5",
        (),
        ("受信する電子メール", "ウェブサイトから取得", "アップロード"),
    ),
    ("open: proxy, wireless and remote entry", OPEN, "AT-2", (), ("プロキシ", "無線LAN", "VPN", "WAF")),
    ("open: sender authentication both ways", OPEN, "AT-9", (), ("DMARC", "受信する電子メールは中継サーバで")),
    ("send only: no inbound mail checks", {**OPEN, "mail": "send"}, "AT-9", ("受信する電子メール",), ("DMARC",)),
    ("no mail at all", {**OPEN, "mail": "none"}, "AT-9", ("電子メール",), ("リバースプロキシ",)),
    (
        "open: the infrastructure it runs",
        OPEN,
        "AT-9",
        ("他の組織のログ",),
        ("DNSSEC", "プロキシサーバは", "リバースプロキシ"),
    ),
    ("monitoring others", {**OPEN, "platform_role": "monitoring"}, "AT-9", (), ("他の組織のログ",)),
    ("data kept in Japan", {"hosting": "datacenter"}, "SC-3", ("所在国を明示",), ("日本国内に置く", "準拠法を日本法")),
    (
        "data may be abroad",
        {"hosting": "datacenter", "data_location": "unspecified"},
        "SC-3",
        ("日本国内に置く",),
        ("所在国を明示",),
    ),
    ("cloud SLA agreed by the office", PAAS, "DA-3", (), ("サービスレベル合意（SLA）",)),
    (
        "keys held by the office on premises",
        {"pii": "sensitive"},
        "PR-2",
        ("事業者が管理する場合",),
        ("発注者（又は発注者の指示",),
    ),
    (
        "keys held by the provider when the office does not ask",
        {**PAAS, "pii": "sensitive", "customer_keys": "not_required"},
        "PR-2",
        ("発注者（又は発注者の指示",),
        ("事業者が管理する場合",),
    ),
    ("sensitive data: a PIA", {"pii": "sensitive"}, "PR-5", ("番号法",), ("プライバシー影響評価",)),
    (
        "My Number: the Act and its assessment instead of a PIA",
        {"pii": "sensitive", "mynumber": "handled"},
        "PR-5",
        ("プライバシー影響評価",),
        ("特定個人情報保護評価", "番号法", "安全管理措置"),
    ),
    (
        "the office's own policy binds the contractor",
        {"outsourcing": "outsourced"},
        "SC-1",
        (),
        ("発注者の情報セキュリティポリシー",),
    ),
    ("no SLA clause on premises", {}, "DA-3", ("SLA",), ("発注者が指定する稼働率",)),
    ("no terminals procured", {**OPEN, "terminals": "none"}, "PR-2", ("ノートパソコン", "携帯端末"), ("外部記録媒体",)),
    ("no equipment procured", {**OPEN, "equipment": "not_procured"}, "PH-1", ("端末", "セキュリティワイヤー"), ()),
    ("portable terminals procured", OPEN, "PR-2", (), ("ノートパソコン",)),
    ("office terminals only", {**OPEN, "terminals": "office"}, "PH-1", ("携帯端末",), ("セキュリティワイヤー",)),
    ("PaaS: no VLAN or DMZ", PAAS, "AT-1", ("VLAN", "DMZ", "セグメント"), ("管理画面", "データベース等")),
    ("on premises: VLAN and DMZ", {"network": ["internet"]}, "AT-1", ("管理画面",), ("VLAN", "DMZ")),
    ("IaaS builds its own network", {**PAAS, "cloud_model": "iaas"}, "AT-1", ("管理画面",), ("VLAN", "DMZ")),
    ("staff-only web: no WAF", {**OPEN, "users": "staff"}, "AT-2", ("WAF",), ("プロキシ",)),
    ("no app distributed", {**OPEN}, "UP-1", ("電子署名を付して配布",), ()),
    ("app distributed", {**OPEN, "user_screens": "app"}, "UP-1", (), ("電子署名を付して配布",)),
]


@pytest.mark.parametrize(("name", "answers", "rid", "absent", "present"), ROWS, ids=[r[0] for r in ROWS])
def test_clause_conditions(
    catalogue: Catalogue,
    make_answers: Callable[..., Answers],
    name: str,
    answers: dict[str, Any],
    rid: str,
    absent: tuple[str, ...],
    present: tuple[str, ...],
) -> None:
    text = printed(catalogue, make_answers(**answers))[rid]
    for word in absent:
        assert word not in text, (name, word)
    for word in present:
        assert word in text, (name, word)


def test_the_trace_says_which_clauses_are_left_out(catalogue: Catalogue, make_answers: Callable[..., Answers]) -> None:
    # Connected to another organisation and sending mail only: asked about mail, and it does not receive any.
    evaluation = evaluate(catalogue, make_answers(**CLOSED, network=["interorg"], mail="send"))
    at5 = evaluation.requirements["AT-5"]
    assert at5.decided == "high"
    left_out = {(o.level, o.conditions) for o in at5.omitted}
    assert ("middle", ("C-mail-in",)) in left_out and ("high", ("C-browse",)) in left_out
    reasons = requirement_reasons(catalogue, at5)
    assert any(
        r.startswith("判断条件「外部から電子メールを受信するか」に該当しないため、次の条項は記載しない：")
        for r in reasons
    )
    # Omitted clauses are exactly the ones not printed.
    printed_now = set(printed_clauses(catalogue, at5))
    assert not printed_now & {o.text for o in at5.omitted}


def test_omissions_above_the_decided_level_are_not_mentioned(
    catalogue: Catalogue, make_answers: Callable[..., Answers]
) -> None:
    outcome = evaluate(catalogue, make_answers()).requirements["AT-5"]
    assert outcome.decided == "low" and any(o.level == "high" for o in outcome.omitted)
    assert not any("高位「" in r or "中位「" in r for r in requirement_reasons(catalogue, outcome))


def test_clauses_out_only_because_their_question_was_not_asked_are_not_listed(
    catalogue: Catalogue, make_answers: Callable[..., Answers]
) -> None:
    """On premises nobody is asked the cloud model, so 「PaaS又はSaaSを利用するか」 is no decision:
    AT-1's managed-service clauses stay out of the document and out of the reasons. On IaaS the
    question was asked and answered no, so the reasons say which clauses that leaves out."""
    on_premises = evaluate(catalogue, make_answers(hosting="onpremise")).requirements["AT-1"]
    managed = [o for o in on_premises.omitted if o.conditions == ("C-managed",)]
    assert managed and all(o.unasked for o in managed)
    assert not any("PaaS又はSaaS" in r for r in requirement_reasons(catalogue, on_premises))
    assert not set(printed_clauses(catalogue, on_premises)) & {o.text for o in managed}

    iaas = evaluate(catalogue, make_answers(hosting="cloud", cloud_model="iaas")).requirements["AT-1"]
    asked = [o for o in iaas.omitted if o.conditions == ("C-managed",)]
    assert asked and not any(o.unasked for o in asked)
    notes = [r for r in requirement_reasons(catalogue, iaas) if r.startswith("判断条件「PaaS又はSaaSを利用するか」")]
    assert len(notes) == 1 and "次の条項は記載しない：" in notes[0]
    # Named by what it requires, not only by the purpose it shares with the printed clause.
    assert "低位「管理機能への不正な接続を防止するため、クラウドサービスの" in notes[0]


def test_mail_is_derived_from_the_matrix(catalogue: Catalogue) -> None:
    data: dict[str, Any] = copy.deepcopy(MINIMAL)
    data["answers"]["network"] = ["internet"]
    data["project"]["tasks"] = [
        {"id": "T1", "name": "通知", "subjects": [{"name": "職員", "kind": "staff"}], "means": ["internet", "email"]}
    ]
    resolved = evaluate(catalogue, parse_answers(data, catalogue)).answers["mail"]
    assert (resolved.value, resolved.source) == ("send", "derived")
    data["project"]["tasks"][0]["means"] = ["internet"]
    assert evaluate(catalogue, parse_answers(data, catalogue)).answers["mail"].value == "none"


# Words that only make sense when the system has the channel; a printed clause may use them only
# when the answers say the channel exists.
CHANNELS: list[tuple[str, Callable[[dict[str, bool]], bool], tuple[str, ...]]] = [
    ("inbound mail", lambda c: c["C-mail-in"], ("受信する電子メール", "受信した電子メール")),
    ("web browsing", lambda c: c["C-browse"], ("ウェブサイトの閲覧", "ウェブサイトから取得")),
    ("terminals", lambda c: c["C-terminals"], ("本調達で導入する端末",)),
    ("portable devices", lambda c: c["C-portable"], ("ノートパソコン", "携帯端末")),
    ("own network", lambda c: c["C-ownnet"], ("VLAN", "DMZ")),
    ("wireless", lambda c: c["C-wireless"], ("無線LAN",)),
    ("remote use", lambda c: c["C-remote"], ("庁外からの接続", "庁外からの利用")),
    ("removable media", lambda c: c["C-media"], ("外部記録媒体",)),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_answers_strategy(CATALOGUE), st.booleans())
def test_no_clause_addresses_a_channel_the_answers_rule_out(answers: dict[str, Any], everything_high: bool) -> None:
    data: dict[str, Any] = {**MINIMAL, "answers": answers}
    if everything_high:  # print every level, so every clause with a condition is tested
        data["decisions"] = {rid: {"level": "high", "reason": "試験"} for rid in CATALOGUE.requirements}
    parsed = parse_answers(data, CATALOGUE)
    evaluation = evaluate(CATALOGUE, parsed)
    truths = {cid: c.met for cid, c in evaluation.conditions.items()}
    model = build_document(CATALOGUE, parsed, evaluation, dt.date(2026, 11, 24))
    provider = CATALOGUE.cloud.provider_clause if CATALOGUE.cloud else ""
    for section in (r for c in model.security for p in c.policies for r in p.requirements):
        for clause in section.clauses:
            if clause == provider:
                continue
            for name, has, words in CHANNELS:
                if not has(truths):
                    assert not any(w in clause for w in words), (section.id, name, clause)


OFFICE_KEYS = "発注者（又は発注者の指示を受けた受注者）が生成及び管理"
PROVIDER_KEYS = ("クラウドサービス事業者が管理する", "事業者が管理する鍵により暗号化")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_answers_strategy(CATALOGUE), st.booleans())
def test_no_document_asks_for_both_office_and_provider_keys(answers: dict[str, Any], everything_high: bool) -> None:
    """PR-2's key clauses and the cloud chapter's key clauses follow one fact (customer_keys)."""
    data: dict[str, Any] = {**MINIMAL, "answers": answers}
    if everything_high:
        data["decisions"] = {rid: {"level": "high", "reason": "試験"} for rid in CATALOGUE.requirements}
    parsed = parse_answers(data, CATALOGUE)
    evaluation = evaluate(CATALOGUE, parsed)
    model = build_document(CATALOGUE, parsed, evaluation, dt.date(2026, 11, 24))
    texts = [c for cat in model.security for p in cat.policies for r in p.requirements for c in r.clauses]
    if model.cloud is not None:
        texts += [c for _, clauses in model.cloud.topics for c in clauses]
    office = any(OFFICE_KEYS in t for t in texts)
    provider = any(any(p in t for p in PROVIDER_KEYS) for t in texts)
    assert not (office and provider)


def test_keys_are_derived_from_sensitive_personal_data(catalogue: Catalogue) -> None:
    data: dict[str, Any] = copy.deepcopy(MINIMAL)
    data["answers"].update(hosting="cloud", cloud_model="iaas", confidentiality="c2", pii="sensitive")
    data["answers"].pop("pii")
    data["project"]["tasks"] = [
        {
            "id": "T1",
            "name": "受付",
            "subjects": [{"name": "職員", "kind": "staff"}],
            "information": [
                {"name": "診断書", "confidentiality": 2, "integrity": 1, "availability": 1, "pii": "sensitive"}
            ],
        }
    ]
    evaluation = evaluate(catalogue, parse_answers(data, catalogue))
    keys = evaluation.answers["customer_keys"]
    assert (keys.value, keys.source) == ("required", "derived")
    assert keys.evidence[0].name == "診断書"


def test_my_number_is_derived_from_the_matrix(catalogue: Catalogue) -> None:
    data: dict[str, Any] = copy.deepcopy(MINIMAL)
    data["answers"].pop("pii")
    data["project"]["tasks"] = [
        {
            "id": "T1",
            "name": "給付",
            "subjects": [{"name": "職員", "kind": "staff"}],
            "information": [
                {"name": "給付台帳", "confidentiality": 2, "integrity": 2, "availability": 1, "pii": "mynumber"}
            ],
        }
    ]
    evaluation = evaluate(catalogue, parse_answers(data, catalogue))
    assert evaluation.answers["pii"].value == "sensitive"
    assert (evaluation.answers["mynumber"].value, evaluation.answers["mynumber"].source) == ("handled", "derived")
    assert evaluation.conditions["C-mynumber"].met and not evaluation.conditions["C-sensitive-only"].met


@pytest.mark.parametrize("name", ["citizen-portal", "cloud-interagency", "internal-small"])
def test_every_printed_clause_is_named_by_a_unique_key_of_its_catalogue_place(name: str) -> None:
    """A clause's key (``AU-1.middle.2``, ``cloud.exit.1``, ``AU-1.confirm``) is what tailoring, the
    matrix and drift hold on to: unique in a document, and pointing back at the clause it prints."""
    from tests.conftest import example_data

    answers = parse_answers(example_data(name), CATALOGUE)
    model = build_document(CATALOGUE, answers, evaluate(CATALOGUE, answers), dt.date(2026, 11, 24))
    clauses = [c for cat in model.security for p in cat.policies for r in p.requirements for c in r.clauses]
    if model.cloud is not None:
        clauses += [c for _, topic in model.cloud.topics for c in topic]
    keys = [c.key for c in clauses]
    assert len(keys) == len(set(keys)) and all(keys)
    for clause in clauses:
        head, _, tail = clause.key.partition(".")
        if head == "cloud":
            topic, n = tail.split(".")
            assert CATALOGUE.cloud is not None
            source = next(t for t in CATALOGUE.cloud.topics if t.id == topic).clauses[int(n) - 1].text
        elif tail == "confirm":
            continue
        else:
            level, n = tail.split(".")
            source = CATALOGUE.requirements[head].requirement.levels[level].clauses[int(n) - 1]
        # The printed text is the catalogue's, with its party mark in front and parameters filled.
        fixed = source.split("{")[0]
        assert fixed.strip() and fixed.strip() in clause
