"""Committed output is user data: an input that cannot be read (a typo in a docs
path, a non-UTF-8 byte, an empty page, a folder without pages) never makes
``build`` rewrite a spec or package from what the other pages give, and never
makes ``extract -o`` overwrite its target.  An empty page is a warning for that
page only where the output is explicit (``extract``, ``diff``)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator.cli import main

from conftest import REPO, SEEDS

DIAGNOSTIC = re.compile(r"^[^\s:][^:]*(:\d+)?: (error|warning|note): .+$")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def committed_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project holding the repository's seeds, committed specs and packages."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("pyproject.toml",):
        shutil.copy(REPO / name, root / name)
    for name in ("seeds", "specs", "generated"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(root)
    monkeypatch.setenv("DOCS2CLIENT_CACHE", "off")
    return root


def tree(root: Path, *folders: str) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for folder in folders
        for p in sorted((root / folder).rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _typo(root: Path) -> str:
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("get-job-information.md", "get-job-informaton.md"))
    return "seeds/xplenty/get-job-informaton.md"


def _latin1(root: Path) -> str:
    page = root / "seeds/xplenty/get-job-information.md"
    page.write_bytes(page.read_bytes().replace(b"Job", b"J\xf6b", 1))
    return "seeds/xplenty/get-job-information.md"


def _emptied(root: Path) -> str:
    (root / "seeds/xplenty/get-job-information.md").write_bytes(b"")
    return "seeds/xplenty/get-job-information.md"


def _folder_without_pages(root: Path) -> str:
    (root / "seeds/xplenty/notes").mkdir()
    (root / "seeds/xplenty/notes/sample.json").write_text("{}")
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace('"seeds/xplenty/get-job-information.md"', '"seeds/xplenty/get-job-information.md", "seeds/xplenty/notes"')
    )
    return "seeds/xplenty/notes"


BREAKAGES: dict[str, Callable[[Path], str]] = {
    "typo in a docs path": _typo,
    "non-UTF-8 byte": _latin1,
    "empty page": _emptied,
    "folder without pages": _folder_without_pages,
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_build_keeps_the_last_good_output_of_a_provider_with_an_input_error(
    breakage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed_project(tmp_path, monkeypatch)
    kept = tree(root, "specs", "generated")
    bad = BREAKAGES[breakage](root)
    # another provider's docs changed: that provider is still built
    textking = root / "seeds/textking/get-job.txt"
    textking.write_text(textking.read_text().replace("| 404 Not Found |", "| 410 Gone |"))

    code, out, err = run(capsys, "build")
    assert code == 2
    lines = err.strip().splitlines()
    assert all(DIAGNOSTIC.match(line) for line in lines), lines
    assert "Traceback" not in err
    assert any(re.match(rf"{re.escape(bad)}(:\d+)?: (error|warning): ", line) for line in lines), lines
    said = [line for line in lines if "not rebuilt from partial input" in line]
    assert len(said) == 1 and said[0].startswith("specs/xplenty.yaml: error: ") and "--allow-partial" in said[0]
    assert "xplenty: kept specs/xplenty.yaml and generated/xplenty/" in out

    after = tree(root, "specs", "generated")
    assert {p: b for p, b in after.items() if "xplenty" in p} == {p: b for p, b in kept.items() if "xplenty" in p}
    assert after.get("generated/xplenty/CHANGELOG.md") == kept.get("generated/xplenty/CHANGELOG.md")  # no entry
    assert "'410'" in (root / "specs/textking.yaml").read_text()  # the others still build
    assert after["generated/textking/CHANGELOG.md"] != kept.get("generated/textking/CHANGELOG.md")

    code, _, check_err = run(capsys, "check")
    assert code == 2
    assert said[0] in check_err.splitlines()


def test_allow_partial_writes_what_the_other_pages_give(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed_project(tmp_path, monkeypatch)
    _typo(root)
    code, out, _ = run(capsys, "build", "--provider", "xplenty", "--allow-partial")
    assert code == 2  # the missing page is still an error
    assert "xplenty: 0 operation(s) → specs/xplenty.yaml (updated)" in out
    assert "operations: []" in (root / "specs/xplenty.yaml").read_text()


@pytest.mark.parametrize("breakage", ["missing", "empty"])
def test_extract_to_a_file_writes_nothing_on_an_input_error(
    breakage: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "spec.yaml"
    assert run(capsys, "extract", "--provider", "x", str(SEEDS / "xplenty"), "-o", str(target))[0] == 0
    before = target.read_bytes()
    page = tmp_path / "page.md"
    if breakage == "empty":
        page.write_text("\n  \n")
    for argv in (["-o", str(target)], []):
        code, out, err = run(capsys, "extract", "--provider", "x", str(page), *argv)
        assert code == 2 and out == ""
        assert "Traceback" not in err and all(DIAGNOSTIC.match(line) for line in err.splitlines()), err
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["spec.yaml", *(["page.md"] if breakage == "empty" else [])])


def test_an_empty_page_in_a_folder_is_a_warning_and_the_rest_is_extracted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS / "xplenty", docs)
    (docs / "empty.rst").write_bytes(b"")
    (docs / "bom.md").write_bytes(b"\xef\xbb\xbf\n")
    code, out, err = run(capsys, "extract", "--provider", "x", str(docs))
    assert code == 0, err
    assert re.search(r"empty\.rst: warning: empty file", err) and re.search(r"bom\.md: warning: empty file", err)
    assert ": error: " not in err
    assert yaml.safe_load(out)["operations"][0]["name"] == "get_job_information"


def test_diff_of_two_doc_versions_goes_on_past_an_empty_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    shutil.copy(SEEDS / "cielo24/2014-08-05/job_info.rst", old / "job_info.rst")
    shutil.copy(SEEDS / "cielo24/2015-09-08/job_info.rst", new / "job_info.rst")
    (new / "changelog.rst").write_text("")
    code, out, err = run(capsys, "diff", str(old), str(new), "--provider", "cielo24")
    assert code == 0, err
    assert "changelog.rst: warning: empty file" in err
    assert out.strip()  # the two versions differ and the diff says how


def test_a_folder_without_pages_is_an_error_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "sample.json").write_text("{}")
    code, out, err = run(capsys, "extract", "--provider", "x", str(folder))
    assert code == 2 and out == ""
    assert re.search(r"docs: error: folder holds no documentation page", err), err
