"""The committed generated/ tree: black, ruff and mypy --strict are clean on it, and
each package, built into a wheel by ``docs2client package``, installs into a fresh
venv where its own generated tests pass against the installed copy."""

from __future__ import annotations

import os
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


def pip_leftovers(package: Path) -> None:
    """What ``pip install generated/<provider>`` leaves in the package folder
    (setuptools builds in place): a copy of the client under ``build/lib`` and
    ``*.egg-info``; and a file of the user's own."""
    name = f"{package.name}_client"
    shutil.copytree(package / name, package / "build" / "lib" / name)
    (package / "build" / "bdist.linux-x86_64").mkdir()
    info = package / f"{name}.egg-info"
    info.mkdir()
    (info / "PKG-INFO").write_text(f"Metadata-Version: 2.4\nName: {name.replace('_', '-')}\n")
    (info / "SOURCES.txt").write_text("pyproject.toml\n")
    (package / "notes.py").write_text("def untyped(x):  return x\n")  # not the generator's


def test_checks_look_only_at_the_files_the_manifest_lists(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Installing a generated package leaves build/ and *.egg-info beside it: neither
    the tree checks nor ``docs2client check`` count them as generated files."""
    root = tmp_path_factory.mktemp("project")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    for name in ("seeds", "specs", "generated"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    pip_leftovers(root / "generated" / "xplenty")

    assert check_generated_tree(root / "generated" / "xplenty", shared_mypy_cache(tmp_path_factory)) == []
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "check"], cwd=root, capture_output=True, text=True, check=False,
        env={**os.environ, "DOCS2CLIENT_CACHE": "off"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (root / "generated/xplenty/build/lib/xplenty_client/_client.py").is_file()  # and left alone
