"""Generated packages' versions increase with every change of the package, by the
configured scheme, and each changelog entry carries the version it made."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from generator.build import build_all, check_all
from generator.cache import Cache
from generator.config import ConfigError, load_config
from generator.diff import Change, diff_specs
from generator.overrides import apply_overrides
from generator.spec import load_yaml
from generator.versions import committed_version, next_version

BREAKING = Change("parameter-removed", True, "x", "gone")
ADDED = Change("operation-added", False, "y", "new")
OTHER = Change("docs-changed", False, "spec", "words")


@pytest.mark.parametrize(
    ("previous", "changes", "expected"),
    [
        (None, [ADDED], "0.1.0"),
        ("0+a877cf340fce", [], "0.1.0"),
        ("0.1.0", [BREAKING, ADDED], "0.2.0"),
        ("0.2.0", [ADDED, OTHER], "0.2.1"),
        ("0.2.1", [OTHER], "0.2.2"),
        ("0.2.2", [], "0.2.3"),
        ("1.4.2", [BREAKING], "2.0.0"),
        ("1.4.2", [ADDED], "1.5.0"),
        ("1.4.2", [OTHER], "1.4.3"),
    ],
)
def test_semver_bumps_by_what_changed(previous: str | None, changes: list[Change], expected: str) -> None:
    assert next_version(previous, "semver", changes) == expected


def test_serial_counts_changes() -> None:
    assert next_version(None, "serial", []) == "1"
    assert next_version("0.3.0", "serial", [BREAKING]) == "1"
    assert next_version("41", "serial", [OTHER]) == "42"


def project_copy(tmp_path: Path, scheme: str = "") -> Path:
    root = tmp_path / "project"
    root.mkdir()
    text = (REPO / "pyproject.toml").read_text()
    if scheme:
        text = text.replace("[tool.docs2client]\n", f'[tool.docs2client]\nversion_scheme = "{scheme}"\n')
    (root / "pyproject.toml").write_text(text)
    shutil.copytree(REPO / "seeds", root / "seeds")
    return root


def test_versions_increase_with_every_spec_change_and_the_changelog_carries_them(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    config = load_config(root / "pyproject.toml")
    package = root / "generated/cielo24"
    build_all(config, providers=["cielo24"], cache=Cache(None))
    assert committed_version(package) == "0.1.0"
    assert not (package / "CHANGELOG.md").exists()

    page = root / "seeds/cielo24/2015-09-08/job_info.rst"
    newer = page.read_bytes()
    page.write_bytes((root / "seeds/cielo24/2014-08-05/job_info.rst").read_bytes())  # fields removed: breaking
    build_all(config, providers=["cielo24"], cache=Cache(None))
    assert committed_version(package) == "0.2.0"
    page.write_bytes(newer)  # and back: fields added again, others removed
    build_all(config, providers=["cielo24"], cache=Cache(None))
    assert committed_version(package) == "0.3.0"
    text = (package / "CHANGELOG.md").read_text()
    assert text.index("## 0.3.0") < text.index("## 0.2.0")

    build_all(config, providers=["cielo24"], cache=Cache(None))  # nothing changed: nothing bumped
    assert committed_version(package) == "0.3.0"
    assert check_all(config, providers=["cielo24"], cache=Cache(None)).exit_code == 0


def test_a_changed_description_is_a_patch_and_the_serial_scheme_counts(tmp_path: Path) -> None:
    root = project_copy(tmp_path, scheme="serial")
    config = load_config(root / "pyproject.toml")
    build_all(config, providers=["xplenty"], cache=Cache(None))
    assert committed_version(root / "generated/xplenty") == "1"
    page = root / "seeds/xplenty/get-job-information.md"
    page.write_text(page.read_text().replace("the numeric job ID", "the job's number"))
    build_all(config, providers=["xplenty"], cache=Cache(None))
    assert committed_version(root / "generated/xplenty") == "2"
    assert "## 2\n" in (root / "generated/xplenty/CHANGELOG.md").read_text()


def test_an_unknown_version_scheme_is_a_configuration_error(tmp_path: Path) -> None:
    root = project_copy(tmp_path, scheme="calver")
    with pytest.raises(ConfigError, match=r"version_scheme in \[tool.docs2client\] must be a string: semver or serial"):
        load_config(root / "pyproject.toml")


def test_a_package_of_the_flat_layout_gets_a_breaking_entry_showing_the_new_call(tmp_path: Path) -> None:
    """Packages generated before resources existed (``client.py``, ``0+<hash>``) are
    migrated by the next build: a new version, and an entry naming every moved call."""
    root = project_copy(tmp_path)
    (root / "specs").mkdir()
    shutil.copy(REPO / "specs/textking.yaml", root / "specs/textking.yaml")
    legacy = root / "generated/textking"
    legacy.mkdir(parents=True)
    (legacy / "pyproject.toml").write_text('[project]\nname = "textking-client"\nversion = "0+0123456789ab"\n')
    (legacy / ".docs2client-manifest").write_text("# manifest\npyproject.toml\ntextking_client/client.py\n")
    (legacy / "textking_client").mkdir()
    (legacy / "textking_client/client.py").write_text("# the flat client\n")
    config = load_config(root / "pyproject.toml")
    build_all(config, providers=["textking"], cache=Cache(None))
    assert committed_version(legacy) == "0.1.0"
    text = (legacy / "CHANGELOG.md").read_text()
    assert "## 0.1.0\n\n**Breaking**" in text
    assert "`client.get_job(...)` is now `client.project.get_job(...)`" in text
    assert not (legacy / "textking_client/client.py").exists()


def test_the_diff_calls_a_regrouped_operation_breaking() -> None:
    spec = load_yaml((REPO / "specs/xplenty.yaml").read_text(), "specs/xplenty.yaml")
    moved, _ = apply_overrides(spec, "operations:\n  get_job_information: {resource: runs}\n", "o.yaml")
    changes = [c for c in diff_specs(spec, moved) if c.kind == "operation-moved"]
    assert [(c.breaking, c.message) for c in changes] == [
        (True, "`client.jobs.get_job_information(...)` is now `client.runs.get_job_information(...)`")
    ]
