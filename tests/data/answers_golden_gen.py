"""Writes tests/data/answers_golden.json: fuzzed answers files and the problems the parser finds.

It was run once with the hand-written parser (commit 6945615, from the repository root:
``PYTHONPATH=. python tests/data/answers_golden_gen.py tests/data/answers_golden.json``) so that
``test_answers_model.py`` holds the model-based parser to the same problems. Not a test itself.
"""

import copy
import json
import random
import sys
from pathlib import Path

import yaml

from sbd_tool.answers.read import AnswersError, parse_answers
from sbd_tool.content import load_catalogue
from tests.conftest import CONTENT

NAMES = ("citizen-portal", "cloud-interagency", "internal-small")
VALUES = [
    None,
    1,
    2.5,
    True,
    "x",
    [],
    {},
    [1],
    {"a": 1},
    "2026-13-01",
    "a\u0000b",
    "a\nb",
    [None],
    [[]],
    -1,
    "2",
    "staff",
    "high",
]


def paths(v, p=()):
    yield p
    if isinstance(v, dict):
        for k in v:
            yield from paths(v[k], p + (k,))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from paths(x, p + (i,))


def apply(data, changes):
    for path, value in changes:
        node = data
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = copy.deepcopy(value)
    return data


cat = load_catalogue(CONTENT)
base = {
    n: json.loads(json.dumps(yaml.safe_load(Path(f"examples/{n}.yaml").read_text(encoding="utf-8")), default=str))
    for n in NAMES
}
random.seed(2026)
cases = []
while len(cases) < 200:
    name = random.choice(NAMES)
    d = copy.deepcopy(base[name])
    changes = []
    for _ in range(random.randint(1, 3)):
        ps = [p for p in paths(d) if p]
        p = list(random.choice(ps))
        node = d
        for k in p[:-1]:
            node = node[k]
        if random.random() < 0.2 and isinstance(node, dict):
            p = p[:-1] + ["zz"]
        value = random.choice(VALUES)
        changes.append([p, value])
        apply(d, [changes[-1]])
    out = []
    for strict in (False, True):
        try:
            parse_answers(copy.deepcopy(d), cat, strict=strict)
            out.append([])
        except AnswersError as e:
            out.append(sorted(str(x) for x in e.problems))
    cases.append({"example": name, "changes": changes, "problems": out[0], "strict_problems": out[1]})
Path(sys.argv[1]).write_text(json.dumps(cases, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
