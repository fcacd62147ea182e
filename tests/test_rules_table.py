"""The level rules, requirement by requirement: which conditions give which proposal.

Each row: requirement, the conditions that hold, the expected proposal. Rows come from the
mapping in the domain digest (§5) so a change to rules.yaml that departs from it fails here.
"""

from __future__ import annotations

import pytest

from sbd_tool.content import Catalogue
from sbd_tool.engine.rules import propose_levels

ROWS = [
    ("AT-1", set(), "low"),
    ("AT-1", {"C-internet"}, "middle"),
    ("AT-1", {"C-extlink"}, "middle"),
    ("AT-1", {"C-internet", "C-conf3"}, "high"),
    ("AT-1", {"C-internet", "C-pii-sensitive"}, "high"),
    ("AT-1", {"C-extlink", "C-conf3"}, "middle"),
    ("AT-2", {"C-wireless"}, "middle"),
    ("AT-2", {"C-internet", "C-conf3"}, "high"),
    ("AT-2", {"C-conf3"}, "low"),
    ("AT-2", {"C-internet", "C-webapp"}, "middle"),  # the WAF clause sits at 中位, where a public web app is
    ("AT-3", {"C-extusers"}, "middle"),
    ("AT-3", {"C-remote", "C-conf3"}, "high"),
    ("AT-3", {"C-extusers", "C-public", "C-pii"}, "middle"),  # any personal data is not enough for 高位
    ("AT-3", {"C-extusers", "C-public", "C-pii", "C-pii-sensitive"}, "high"),
    ("AT-3", {"C-extusers", "C-public", "C-large"}, "high"),
    ("AT-3", {"C-public"}, "low"),
    ("AT-4", {"C-internet"}, "low"),
    ("AT-4", {"C-internet", "C-avail2"}, "middle"),
    ("AT-4", {"C-public", "C-availcrit"}, "high"),
    ("AT-5", {"C-media"}, "middle"),
    ("AT-5", {"C-conf3"}, "high"),
    ("AT-5", {"C-internet", "C-pii-sensitive"}, "high"),
    ("AT-6", {"C-large"}, "middle"),
    ("AT-6", {"C-conf3"}, "high"),
    ("AT-7", set(), "low"),
    ("AT-7", {"C-internet"}, "middle"),
    ("AT-7", {"C-extusers"}, "middle"),
    ("AT-7", {"C-public"}, "middle"),
    ("AT-7", {"C-hosted"}, "middle"),
    ("AT-7", {"C-conf3", "C-pii-sensitive", "C-large"}, "low"),
    ("AT-7", {"C-public", "C-conf3"}, "high"),
    ("AT-7", {"C-public", "C-pii-sensitive"}, "high"),
    ("AT-7", {"C-public", "C-large"}, "high"),
    ("AT-8", set(), "low"),
    ("AT-8", {"C-internet"}, "middle"),
    ("AT-8", {"C-extusers"}, "middle"),
    ("AT-8", {"C-public"}, "middle"),
    ("AT-8", {"C-hosted"}, "low"),
    ("AT-8", {"C-public", "C-availcrit"}, "high"),
    ("AT-8", {"C-public", "C-pii-sensitive"}, "high"),
    ("AT-8", {"C-internet", "C-conf3"}, "middle"),
    ("AT-9", set(), "not_applicable"),
    ("AT-9", {"C-internet", "C-public", "C-conf3"}, "not_applicable"),  # runs no infrastructure service
    ("AT-9", {"C-mail-out"}, "low"),
    ("AT-9", {"C-browse"}, "low"),
    ("AT-9", {"C-webapp"}, "low"),
    ("AT-9", {"C-webapp", "C-public"}, "middle"),
    ("AT-9", {"C-mail-in", "C-large"}, "middle"),
    ("AT-9", {"C-monitoring"}, "middle"),
    ("AT-9", {"C-webapp", "C-availcrit"}, "high"),
    ("AT-9", {"C-monitoring", "C-conf3"}, "high"),
    ("AT-9", {"C-browse", "C-conf3"}, "low"),
    ("AU-1", {"C-extusers"}, "middle"),
    ("AU-1", {"C-pii-sensitive"}, "high"),
    ("AU-1", {"C-shared"}, "high"),
    ("AU-1", {"C-shared", "C-monitoring"}, "high"),
    ("AU-1", {"C-pii"}, "middle"),
    ("AU-2", {"C-pii"}, "middle"),
    ("AU-2", {"C-integ2"}, "high"),
    ("AU-3", {"C-extlink"}, "middle"),
    ("AU-3", {"C-integ2", "C-extusers"}, "high"),
    ("AU-3", {"C-integ2"}, "low"),
    ("AU-4", {"C-internet"}, "middle"),
    ("AU-4", {"C-internet", "C-public", "C-pii"}, "middle"),  # any personal data is not enough for 高位
    ("AU-4", {"C-internet", "C-public", "C-pii-sensitive"}, "high"),
    ("AU-4", {"C-internet", "C-public", "C-large"}, "high"),
    ("AU-4", {"C-public", "C-large"}, "low"),
    ("AU-4", {"C-conf3"}, "low"),
    ("AU-5", {"C-internet", "C-avail2"}, "middle"),
    ("AU-5", {"C-availcrit", "C-public"}, "high"),
    ("AC-1", {"C-remote"}, "middle"),
    ("AC-1", {"C-conf2", "C-pii"}, "middle"),
    ("AC-1", {"C-conf2"}, "low"),
    ("AC-1", {"C-remote", "C-conf2"}, "high"),
    ("AC-1", {"C-pii-sensitive"}, "high"),
    ("AC-2", {"C-large"}, "middle"),
    ("AC-2", {"C-conf3"}, "high"),
    ("AC-3", {"C-conf2"}, "middle"),
    ("AC-3", {"C-pii-sensitive"}, "high"),
    ("AC-4", {"C-hosted"}, "middle"),
    ("AC-4", {"C-conf3"}, "high"),
    ("PR-1", {"C-conf2"}, "low"),
    ("PR-1", {"C-conf2", "C-wireless"}, "middle"),
    ("PR-1", {"C-internet"}, "low"),
    ("PR-1", {"C-conf3"}, "high"),
    ("PR-2", {"C-conf2", "C-hosted"}, "middle"),
    ("PR-2", {"C-hosted"}, "low"),
    ("PR-2", {"C-pii-sensitive"}, "high"),
    ("PR-3", {"C-integ2"}, "middle"),
    ("PR-3", {"C-integ2", "C-extusers"}, "high"),
    ("PR-4", set(), "low"),
    ("PR-4", {"C-integ2"}, "middle"),
    ("PR-4", {"C-extusers"}, "low"),
    ("PR-4", {"C-integ2", "C-extusers"}, "high"),
    ("PR-5", set(), "not_applicable"),
    ("PR-5", {"C-pii"}, "not_applicable"),
    ("PR-5", {"C-pii", "C-pii-sensitive"}, "low"),
    ("PR-5", {"C-pii", "C-pii-sensitive", "C-sensitive-only"}, "low"),
    ("PR-5", {"C-pii", "C-pii-sensitive", "C-large"}, "middle"),
    ("PR-5", {"C-pii", "C-pii-sensitive", "C-mynumber"}, "middle"),
    ("PR-5", {"C-pii", "C-pii-sensitive", "C-mynumber", "C-public"}, "high"),
    ("PR-5", {"C-pii", "C-pii-sensitive", "C-public"}, "middle"),
    ("PH-1", {"C-conf2", "C-remote"}, "middle"),
    ("PH-1", {"C-remote"}, "low"),
    ("PH-1", {"C-hosted"}, "middle"),
    ("PH-1", {"C-conf3"}, "high"),
    ("PH-2", {"C-conf2"}, "middle"),
    ("PH-2", {"C-availcrit"}, "high"),
    ("PH-2", {"C-hosted", "C-extended"}, "high"),
    ("PH-2", {"C-hosted", "C-datacenter"}, "middle"),
    ("PH-2", {"C-extended"}, "low"),
    ("PH-3", set(), "not_applicable"),
    ("PH-3", {"C-avail2", "C-availcrit"}, "not_applicable"),
    ("PH-3", {"C-hosted"}, "low"),
    ("PH-3", {"C-hosted", "C-avail2"}, "middle"),
    ("PH-3", {"C-hosted", "C-availcrit"}, "high"),
    ("DA-1", {"C-large"}, "middle"),
    ("DA-1", {"C-availcrit"}, "high"),
    ("DA-2", {"C-avail2"}, "middle"),
    ("DA-2", {"C-availcrit"}, "high"),
    ("DA-3", set(), "low"),
    ("DA-3", {"C-avail2"}, "middle"),
    ("DA-3", {"C-public"}, "middle"),
    ("DA-3", {"C-availcrit"}, "high"),
    ("UP-1", set(), "not_applicable"),
    ("UP-1", {"C-extusers"}, "not_applicable"),  # outside users without screens (system-to-system)
    ("UP-1", {"C-extusers", "C-screens"}, "low"),
    ("UP-1", {"C-extusers", "C-public"}, "not_applicable"),
    ("UP-1", {"C-extusers", "C-public", "C-screens"}, "middle"),
    ("UP-2", set(), "not_applicable"),
    ("UP-2", {"C-pii"}, "not_applicable"),  # staff-only: no users' screens to protect
    ("UP-2", {"C-pii", "C-screens"}, "low"),
    ("UP-2", {"C-public", "C-screens"}, "middle"),
    ("UP-2", {"C-pii", "C-pii-sensitive", "C-screens"}, "high"),
    ("UP-2", {"C-pii", "C-pii-sensitive", "C-public"}, "not_applicable"),
    ("SC-1", set(), "not_applicable"),
    ("SC-1", {"C-conf3"}, "not_applicable"),
    ("SC-1", {"C-outsourced"}, "low"),
    ("SC-1", {"C-outsourced", "C-subcontract"}, "middle"),
    ("SC-1", {"C-outsourced", "C-pii-sensitive"}, "high"),
    ("SC-2", set(), "not_applicable"),
    ("SC-2", {"C-equip"}, "low"),
    ("SC-2", {"C-equip", "C-internet"}, "middle"),
    ("SC-2", {"C-equip", "C-conf3"}, "high"),
    ("SC-2", {"C-internet", "C-conf3"}, "not_applicable"),
    ("SC-3", set(), "not_applicable"),
    ("SC-3", {"C-conf3", "C-pii"}, "not_applicable"),
    ("SC-3", {"C-hosted"}, "low"),
    ("SC-3", {"C-hosted", "C-pii"}, "middle"),
    ("SC-3", {"C-hosted", "C-conf2"}, "middle"),
    ("SC-3", {"C-hosted", "C-pii-sensitive"}, "high"),
]


@pytest.mark.parametrize(
    ("requirement", "true", "expected"), ROWS, ids=[f"{r}-{'+'.join(sorted(t)) or 'none'}" for r, t, _ in ROWS]
)
def test_rule_proposes_level(catalogue: Catalogue, requirement: str, true: set[str], expected: str) -> None:
    truths = {cid: cid in true for cid in catalogue.conditions}
    proposal = propose_levels(catalogue, truths)[requirement]
    assert proposal.proposed == expected
    # The trace names exactly the rules that hold, each with its true conditions.
    for fired in proposal.fired:
        assert fired.conditions and set(fired.conditions) <= true


def test_every_requirement_has_rows(catalogue: Catalogue) -> None:
    assert {r for r, _, _ in ROWS} == set(catalogue.requirements)


def test_trace_names_only_the_conditions_that_decided(catalogue: Catalogue) -> None:
    # AC-1 高位 is: conf3, or pii-sensitive, or (remote and conf2). With conf2 true but no
    # remote use, conf2 did not decide anything and must not be named.
    truths = {cid: cid in {"C-pii-sensitive", "C-conf2"} for cid in catalogue.conditions}
    fired = [f for f in propose_levels(catalogue, truths)["AC-1"].fired if f.level == "high"]
    assert [f.conditions for f in fired] == [("C-pii-sensitive",)]
    truths["C-remote"] = True
    fired = [f for f in propose_levels(catalogue, truths)["AC-1"].fired if f.level == "high"]
    assert [f.conditions for f in fired] == [("C-pii-sensitive", "C-remote", "C-conf2")]
