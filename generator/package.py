"""``docs2client package``: wheel + sdist of each generated client, for other teams.

Uses the standard ``build`` frontend (PEP 517) on ``generated/<provider>/``; the
package version is the one the build wrote into its ``pyproject.toml`` (configured
``version``, or derived from the spec's content hash).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.document import Diagnostic


@dataclass
class Built:
    provider: str
    files: list[Path]


def package_provider(package_dir: Path, out_dir: Path, shown: str) -> tuple[Built | None, list[Diagnostic]]:
    if not (package_dir / "pyproject.toml").is_file():
        return None, [Diagnostic("error", shown, 0, "no generated package here: run docs2client build first")]
    out_dir.mkdir(parents=True, exist_ok=True)
    before = set(out_dir.iterdir())
    with tempfile.TemporaryDirectory() as scratch:
        # build from a copy: setuptools leaves *.egg-info and build/ in the source folder
        source = Path(scratch) / package_dir.name
        shutil.copytree(package_dir, source, ignore=shutil.ignore_patterns(".*", "__pycache__", "*.egg-info", "build"))
        completed = subprocess.run(
            [sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out_dir.resolve()), str(source)],
            capture_output=True,
            text=True,
            check=False,
        )
    if completed.returncode != 0:
        tail = (completed.stderr or completed.stdout).strip().splitlines()[-3:]
        return None, [Diagnostic("error", shown, 0, "building the package failed: " + " | ".join(tail))]
    made = sorted(set(out_dir.iterdir()) - before) or sorted(
        p for p in out_dir.iterdir() if p.name.startswith(package_dir.name.replace("-", "_"))
    )
    return Built(package_dir.name, made), []
