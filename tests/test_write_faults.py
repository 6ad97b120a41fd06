"""File-system faults while writing (a read-only ``generated/``, a full disk) end in
one ``path: error: cause`` line and exit 2, with no staging folder or temporary
file left behind and the previous spec and package as they were."""

from __future__ import annotations

import errno
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from conftest import REPO

from generator import files as files_module
from generator.render import tree as render_tree
from generator.cli import main


def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    for name in ("seeds", "specs", "generated"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(root)
    monkeypatch.setenv("DOCS2CLIENT_CACHE", "off")
    page = root / "seeds/textking/get-job.txt"  # the docs changed: spec and package would change
    page.write_text(page.read_text().replace("| 404 Not Found |", "| 410 Gone |"))
    return root


def everything(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for folder in ("specs", "generated")
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


def leftovers(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for folder in ("specs", "generated")
        for p in (root / folder).rglob("*")
        if ".staging-" in p.name or p.name.endswith(".tmp")
    )


def build(capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["build", "--provider", "textking", "-q"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err.strip().splitlines()


def test_a_read_only_generated_folder_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, monkeypatch)
    before = everything(root)

    def read_only(source: str, target: str, *args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), target)

    monkeypatch.setattr(render_tree.shutil, "copytree", read_only)
    code, lines = build(capsys)
    assert code == 2
    assert len(lines) == 1 and re.fullmatch(
        r"generated/textking: error: cannot write the package: Read-only file system; .*", lines[0]
    ), lines
    assert everything(root) == before  # the old package, and the old spec with it
    assert leftovers(root) == []


@pytest.mark.parametrize("fresh", [False, True], ids=["over-the-previous-package", "first-build"])
@pytest.mark.parametrize("after", [0, 3])
def test_a_full_disk_leaves_no_staging_and_the_previous_tree(
    fresh: bool, after: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The disk fills up ``after`` files into the new package."""
    root = project(tmp_path, monkeypatch)
    if fresh:
        shutil.rmtree(root / "generated/textking")
    before = everything(root)
    real = files_module._temp_beside
    written = [0]

    def filling(path: Path, chunks: Iterable[bytes]) -> str:
        def full() -> Iterator[bytes]:
            if written[0] >= after:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            written[0] += 1
            yield from chunks

        return real(path, full())

    monkeypatch.setattr(files_module, "_temp_beside", filling)
    code, lines = build(capsys)
    assert code == 2
    assert len(lines) == 1 and re.fullmatch(
        r"generated/textking: error: cannot write the package: No space left on device; .*", lines[0]
    ), lines
    assert everything(root) == before
    assert leftovers(root) == []

    monkeypatch.undo()  # room again: the next build completes
    monkeypatch.chdir(root)
    monkeypatch.setenv("DOCS2CLIENT_CACHE", "off")
    assert build(capsys) == (0, [])
    assert "'410'" in (root / "specs/textking.yaml").read_text()


def test_a_full_disk_when_writing_the_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, monkeypatch)
    spec = (root / "specs/textking.yaml").read_bytes()
    real = files_module._temp_beside

    def full_for_specs(path: Path, chunks: Iterable[bytes]) -> str:
        if path.parent.name != "specs":
            return real(path, chunks)

        def full() -> Iterator[bytes]:
            yield b"half a spec"
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        return real(path, full())

    monkeypatch.setattr(files_module, "_temp_beside", full_for_specs)
    code, lines = build(capsys)
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith(
        "specs/textking.yaml: error: cannot write the spec: No space left on device"
    ), lines
    assert (root / "specs/textking.yaml").read_bytes() == spec
    assert leftovers(root) == []


def test_extract_to_an_unwritable_place_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def read_only(*args: object, **kwargs: object) -> object:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(tmp_path / "out"))

    monkeypatch.setattr(files_module.tempfile, "mkstemp", read_only)
    code = main(["extract", "--provider", "x", str(REPO / "seeds/xplenty"), "-o", str(tmp_path / "out/spec.yaml")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().splitlines() == [f"{tmp_path / 'out'}: error: Read-only file system"]


def test_ctrl_c_while_writing_says_what_was_written_and_what_was_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C lands while the second provider's package is being assembled: the
    first is written, the second's staging folder is removed and its package and
    spec are as they were, and one line says so."""
    root = project(tmp_path, monkeypatch)
    for name in ("cielo24", "cloudfoundry"):
        shutil.rmtree(root / "generated" / name)
        (root / "specs" / f"{name}.yaml").unlink()
    real = files_module._temp_beside
    calls = [0]

    def interrupted(path: Path, chunks: Iterable[bytes]) -> str:
        if ".cloudfoundry.staging-" in str(path):
            calls[0] += 1
            if calls[0] == 3:
                raise KeyboardInterrupt
        return real(path, chunks)

    monkeypatch.setattr(files_module, "_temp_beside", interrupted)
    before = everything(root)
    code = main(["build", "-q"])
    err = capsys.readouterr().err
    assert code == 130
    assert err.splitlines() == [
        "docs2client: interrupted: wrote cielo24; kept cloudfoundry, textking, xplenty as they were"
    ], err
    after = everything(root)
    assert {p for p in after if "cielo24" in p} and not {p for p in after if "cloudfoundry" in p}
    assert {p: b for p, b in after.items() if "cielo24" not in p} == before
    assert leftovers(root) == []
