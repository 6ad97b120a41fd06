"""Issue 14, item 9: what one documented example can become is bounded (the
example kept in the spec and the tests' tables, the models inferred from it), with
a warning naming the example, so a huge sample does not make a huge build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.bounds import MAX_EXAMPLE_VALUES, MAX_MODELS
from generator.build import build_all
from generator.cache import Cache
from generator.config import load_config


def _laugh(width: int, depth: int) -> object:
    return "x" if depth == 0 else {f"k{i}": _laugh(width, depth - 1) for i in range(width)}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "big.md").write_text(
        "# Get things\n\n`GET /things`\n\nResponse:\n\n```json\n" + json.dumps({"items": list(range(200_000))}) + "\n```\n"
    )
    (docs / "laughs.md").write_text(
        "# Get laughs\n\n`GET /laughs`\n\nResponse:\n\n```json\n" + json.dumps(_laugh(8, 4), indent=1) + "\n```\n"
    )
    (tmp_path / "pyproject.toml").write_text(
        "[tool.docs2client]\n"
        '[tool.docs2client.providers.big]\ndocs = ["docs/big.md"]\n'
        '[tool.docs2client.providers.laughs]\ndocs = ["docs/laughs.md"]\n'
    )
    return tmp_path


def test_a_huge_example_is_cut_with_a_warning_naming_it(project: Path) -> None:
    result = build_all(load_config(project / "pyproject.toml"), providers=["big"], cache=Cache(None))
    warnings = [str(d) for d in result.diagnostics if d.level == "warning"]
    assert any(w.startswith("docs/big.md:7: warning: JSON example of more than") for w in warnings), warnings
    assert (project / "specs/big.yaml").stat().st_size < 10_000
    table = json.loads((project / "generated/big/big_tests/cases/things.json").read_text())
    assert len(json.dumps(table["cases"][0]["example"])) < 20 * MAX_EXAMPLE_VALUES


def test_a_wide_nested_example_gives_a_bounded_number_of_models(project: Path) -> None:
    result = build_all(load_config(project / "pyproject.toml"), providers=["laughs"], cache=Cache(None))
    warnings = [str(d) for d in result.diagnostics if d.level == "warning"]
    assert any(w.startswith("docs/laughs.md:") and "free-form" in w for w in warnings), warnings
    module = (project / "generated/laughs/laughs_client/resources/laughs.py").read_text()
    assert 0 < module.count("(_rt.Model)") <= MAX_MODELS  # 4 681 objects in the example
    assert (project / "specs/laughs.yaml").stat().st_size < 300_000
