"""``[tool.docs2client]`` is checked against its schema before anything runs: an
unknown key names itself and the closest known key, a wrong type names the type
wanted; either is exit 2 with nothing written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from generator.cli import main
from generator.config import ConfigError, load_config

DIAGNOSTIC = re.compile(r"^pyproject\.toml(:\d+)?: error: .+$")


def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: tuple[str, str]) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    text = (REPO / "pyproject.toml").read_text()
    assert edit[0] in text
    (root / "pyproject.toml").write_text(text.replace(edit[0], edit[1], 1))
    shutil.copytree(REPO / "seeds", root / "seeds")
    monkeypatch.chdir(root)
    monkeypatch.setenv("DOCS2CLIENT_CACHE", "off")
    return root


def line_of(root: Path, needle: str) -> int:
    return next(n for n, line in enumerate((root / "pyproject.toml").read_text().splitlines(), 1) if needle in line)


CASES = {
    "misspelt provider key": (
        ('docs = ["seeds/xplenty/', 'base_ur1 = "https://example.net"\ndocs = ["seeds/xplenty/'),
        "base_ur1 =",
        "unknown key 'base_ur1' in [tool.docs2client.providers.xplenty]; did you mean 'base_url'?",
    ),
    "misspelt top-level key": (
        ('generated = "generated"', 'genrated = "generated"'),
        "genrated =",
        "unknown key 'genrated' in [tool.docs2client]; did you mean 'generated'?",
    ),
    "unknown key, nothing close": (
        ('specs = "specs"', 'specs = "specs"\nflavour = "mild"'),
        "flavour =",
        "unknown key 'flavour' in [tool.docs2client]; known keys: generated, providers, specs, version_scheme",
    ),
    "number for a folder": (
        ('specs = "specs"', "specs = 42"),
        "specs = 42",
        "specs in [tool.docs2client] must be a string, not an integer (42)",
    ),
    "string for a list": (
        ('docs = ["seeds/textking/get-job.txt"]', 'docs = "seeds/textking/get-job.txt"'),
        'docs = "seeds/textking',
        (
            "docs in [tool.docs2client.providers.textking] must be a non-empty list of strings, "
            "not a string ('seeds/textking/get-job.txt')"
        ),
    ),
    "number for a title": (
        ('title = "TextKing Translation API"', "title = 3"),
        "title = 3",
        "title in [tool.docs2client.providers.textking] must be a string, not an integer (3)",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_bad_key_is_an_error_naming_it_and_nothing_is_written(
    case: str, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    edit, where, message = CASES[case]
    root = project(tmp_path, monkeypatch, edit)
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    assert main([command]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [f"pyproject.toml:{line_of(root, where)}: error: {message}"], err
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before  # no specs/, no 42/


def test_every_problem_is_reported_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, monkeypatch, ('specs = "specs"', 'specs = 42\nbase_url = "x"'))
    with pytest.raises(ConfigError) as info:
        load_config(root / "pyproject.toml")
    lines = str(info.value).splitlines()
    assert len(lines) == 2 and all(DIAGNOSTIC.match(line) for line in lines), lines
    assert "'base_url' in [tool.docs2client]; did you mean" not in lines[1]  # base_url belongs to providers
    assert "unknown key 'base_url' in [tool.docs2client]" in lines[1]


def test_a_provider_without_docs_names_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, monkeypatch, ('docs = ["seeds/textking/get-job.txt"]\n', ""))
    with pytest.raises(ConfigError, match=r"^pyproject\.toml:\d+: error: \[tool\.docs2client\.providers\.textking\] needs docs"):
        load_config(root / "pyproject.toml")


def test_the_repository_configuration_is_valid() -> None:
    config = load_config(REPO / "pyproject.toml")
    assert [p.name for p in config.providers] == ["cielo24", "cloudfoundry", "textking", "xplenty"]
    assert config.providers[0].docs == [REPO / "seeds/cielo24/2015-09-08/job_info.rst"]
