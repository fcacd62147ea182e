"""Loading the content once per content, not once per call (issue 16): each file is parsed once
(by libyaml when present) and a validated catalogue is reused for the same bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sbd_tool.content import ContentError, loader, yamlfile
from sbd_tool.content.loader import content_version, load_catalogue


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    loader._cache.clear()  # other tests loaded the shipped content (which content_copy copies)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every YAML text parsed from now on (its first line)."""
    seen: list[str] = []
    real = yamlfile.compose_and_construct

    def counting(text: str) -> object:
        seen.append(text.split("\n", 1)[0])
        return real(text)

    monkeypatch.setattr(yamlfile, "compose_and_construct", counting)
    return seen


def test_libyaml_is_used_when_present() -> None:
    expected = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader
    assert yamlfile.Loader is expected


def test_one_parse_gives_nodes_with_lines_and_the_same_data_as_safe_load(content_copy: Path) -> None:
    text = (content_copy / "questionnaires" / "questions.yaml").read_text(encoding="utf-8")
    node, data = yamlfile.compose_and_construct(text)
    assert data == yaml.safe_load(text)
    assert isinstance(node, yaml.MappingNode) and node.value[0][0].start_mark.line >= 0
    assert yamlfile.compose_and_construct("") == (None, None)


def test_the_same_content_is_loaded_once(content_copy: Path, parses: list[str]) -> None:
    first = load_catalogue(content_copy)
    files = len(parses)
    assert files >= 10  # every content file, each parsed once
    assert load_catalogue(content_copy) is first and len(parses) == files  # same bytes: no parsing
    assert first.content_version == content_version(content_copy, first.meta.version)


def test_changed_content_is_loaded_again(content_copy: Path) -> None:
    first = load_catalogue(content_copy)
    path = content_copy / "requirement_sets" / "catalogue.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# 変更\n", encoding="utf-8")
    second = load_catalogue(content_copy)
    assert second is not first and second.content_version != first.content_version


def test_problems_are_not_cached_and_keep_their_lines(content_copy: Path) -> None:
    path = content_copy / "questionnaires" / "rules.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nbroken: [1, 2\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ContentError) as error:
            load_catalogue(content_copy)
        assert any(str(p).startswith("questionnaires/rules.yaml:") for p in error.value.problems)


def test_the_cache_keeps_only_the_last_few(content_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "CACHE_SIZE", 1)
    first = load_catalogue(content_copy)
    path = content_copy / "requirement_sets" / "catalogue.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\n# 一時的な変更\n", encoding="utf-8")
    load_catalogue(content_copy)
    path.write_text(original, encoding="utf-8")
    assert load_catalogue(content_copy) is not first  # evicted, so read again
    assert len(loader._cache) == 1
