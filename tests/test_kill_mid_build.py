"""A build killed at any point leaves the previous package whole and importable
(or the new one whole), never a mix; the next build repairs everything."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO

PACKAGE = "generated/cielo24"


def snapshot(root: Path) -> dict[str, bytes]:
    base = root / PACKAGE
    return {
        p.relative_to(base).as_posix(): p.read_bytes()
        for p in sorted(base.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def build(root: Path, wait: float | None = None) -> None:
    env = {**os.environ, "DOCS2CLIENT_CACHE": "off", "PYTHONDONTWRITEBYTECODE": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "build", "--provider", "cielo24", "-q"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    if wait is None:
        assert process.wait(timeout=120) == 0
        return
    time.sleep(wait)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def importable(root: Path) -> bool:
    done = subprocess.run(
        [sys.executable, "-c", "import cielo24_client, cielo24_client._client, cielo24_client.models, cielo24_client.resources.job"],
        cwd=root / PACKAGE, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return done.returncode == 0


def test_killed_builds_leave_a_whole_tree_and_the_next_build_repairs(tmp_path: Path) -> None:
    template = tmp_path / "template"
    template.mkdir()
    shutil.copy(REPO / "pyproject.toml", template / "pyproject.toml")
    shutil.copytree(REPO / "seeds", template / "seeds")
    build(template)
    before = snapshot(template)
    # the docs change so that models, client and tests all change
    page = template / "seeds/cielo24/2015-09-08/job_info.rst"
    page.write_bytes((template / "seeds/cielo24/2014-08-05/job_info.rst").read_bytes())

    expected = tmp_path / "expected"
    shutil.copytree(template, expected)
    build(expected)
    after = snapshot(expected)
    assert before != after

    seen = set()
    for trial, wait in enumerate([0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.4, 3.0]):
        root = tmp_path / f"trial{trial}"
        shutil.copytree(template, root)
        build(root, wait)
        state = snapshot(root)
        assert state in (before, after), f"killed after {wait}s: a mix of old and new files"
        assert importable(root), f"killed after {wait}s: package does not import"
        seen.add("new" if state == after else "old")
        build(root)  # the next run repairs
        assert snapshot(root) == after
        assert not list((root / "generated").glob(".cielo24.staging-*"))
    assert "old" in seen  # at least one kill landed before the swap

