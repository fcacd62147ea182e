"""The shipped sample projects (``examples/``): their names and their answers as the wizard
stores them."""

from __future__ import annotations

import json
from typing import Any

import yaml

from sbd_tool.web.marks import N_
from sbd_tool.web.paths import ROOT

EXAMPLES = ROOT / "examples"
SAMPLES = {
    "internal-small": N_("小規模な内部システム（職員のみ・閉域・庁舎内設置）"),
    "citizen-portal": N_("国民向け電子申請ポータル（要配慮個人情報・インターネット）"),
    "cloud-interagency": N_("クラウド上の府省庁間連携システム"),
}


def sample_answers(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
    stored: dict[str, Any] = json.loads(
        json.dumps(data, default=str)
    )  # dates as ISO strings, as the wizard stores them
    return stored
