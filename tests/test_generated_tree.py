"""The committed generated/ tree: black, ruff and mypy --strict are clean on it, and
each package, built into a wheel by ``docs2client package``, installs into a fresh
venv where its own generated tests pass against the installed copy."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from test_generated_quality import check_generated_tree, shared_mypy_cache

GENERATED = REPO / "generated"
PROVIDERS = sorted(p.name for p in GENERATED.iterdir() if (p / "pyproject.toml").is_file())


def test_four_seed_providers_are_generated() -> None:
    assert PROVIDERS == ["cielo24", "cloudfoundry", "textking", "xplenty"]


def test_committed_tree_passes_black_ruff_and_mypy_strict(tmp_path_factory: pytest.TempPathFactory) -> None:
    assert check_generated_tree(GENERATED, shared_mypy_cache(tmp_path_factory)) == []


def test_wheels_install_into_a_fresh_venv_and_generated_tests_pass_there(tmp_path: Path) -> None:
    from generator.cli import main

    dist = tmp_path / "dist"
    assert main(["package", "-o", str(dist)]) == 0
    wheels = sorted(dist.glob("*.whl"))
    assert [w.name.split("-")[0] for w in wheels] == [f"{p}_client" for p in PROVIDERS]
    assert len(list(dist.glob("*.tar.gz"))) == len(PROVIDERS)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", *map(str, wheels), "pytest"], check=True)
    for provider in PROVIDERS:
        elsewhere = tmp_path / "run" / provider  # away from the source tree: tests import the install
        shutil.copytree(GENERATED / provider / f"{provider}_tests", elsewhere / f"{provider}_tests")
        done = subprocess.run(
            [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "."],
            cwd=elsewhere, capture_output=True, text=True, check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        where = subprocess.run(
            [python, "-c", f"import {provider}_client as m; print(m.__file__)"],
            cwd=elsewhere, capture_output=True, text=True, check=True,
        )
        assert str(venv) in where.stdout
