"""The CLI contract: commands, outputs, diagnostics and exit codes."""

from __future__ import annotations

import re
import subprocess
import sys
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


def test_extract_prints_spec_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "extract", "--provider", "textking", str(SEEDS / "textking/get-job.txt"))
    assert code == 0, err
    data = yaml.safe_load(out)
    assert data["provider"] == "textking"
    assert [op["path"] for op in data["operations"]] == ["/project/{project_id}/job/{job_id}"]


def test_extract_writes_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "spec.yaml"
    code, out, _ = run(capsys, "extract", "--provider", "x", str(SEEDS / "xplenty"), "-o", str(target))
    assert code == 0 and out == ""
    assert yaml.safe_load(target.read_text())["operations"][0]["name"] == "get_job_information"


def test_extract_output_file_is_the_printed_spec_and_untouched_when_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The file is written piece by piece (a large spec is never whole in memory as
    text), yet holds exactly the printed spec; a run that changes nothing keeps the
    file (same inode), one that changes it replaces it whole."""
    target = tmp_path / "spec.yaml"
    _, printed, _ = run(capsys, "extract", "--provider", "x", str(SEEDS / "xplenty"))
    run(capsys, "extract", "--provider", "x", str(SEEDS / "xplenty"), "-o", str(target))
    assert target.read_text("utf-8") == printed and printed.count("\n") > 50
    inode = target.stat().st_ino
    run(capsys, "extract", "--provider", "x", str(SEEDS / "xplenty"), "-o", str(target))
    assert target.stat().st_ino == inode
    run(capsys, "extract", "--provider", "y", str(SEEDS / "xplenty"), "-o", str(target))
    assert target.stat().st_ino != inode and target.read_text("utf-8") == printed.replace("provider: x\ntitle: x", "provider: y\ntitle: y")
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_unreadable_inputs_are_one_line_errors_and_others_still_extracted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    binary = tmp_path / "image.rst"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    latin = tmp_path / "latin.md"
    latin.write_bytes("## Caf\xe9\n".encode("latin-1"))
    missing = tmp_path / "missing.rst"
    inputs = [str(empty), str(binary), str(latin), str(missing), str(SEEDS / "textking/get-job.txt")]
    code, out, err = run(capsys, "extract", "--provider", "x", *inputs, "--allow-partial")
    assert code == 2
    lines = err.strip().splitlines()
    assert all(DIAGNOSTIC.match(line) for line in lines), lines
    for bad in (binary, latin, missing):
        assert sum(bad.name in line and ": error: " in line for line in lines) == 1, bad.name
    assert sum(empty.name in line and ": warning: " in line for line in lines) == 1
    assert "Traceback" not in err
    assert yaml.safe_load(out)["operations"][0]["name"] == "get_job"  # the good page still extracted

    code, out, err = run(capsys, "extract", "--provider", "x", *inputs)  # without the flag: no spec
    assert code == 2 and out == ""


def test_page_without_endpoint_is_a_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "guide.md"
    page.write_text("# Getting started\n\nAsk support for a key.\n")
    code, out, err = run(capsys, "extract", "--provider", "x", str(page))
    assert code == 0
    assert "guide.md: note: documents no endpoint" in err
    assert yaml.safe_load(out)["operations"] == []


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "extract", "--provider", "Bad Name", str(SEEDS / "textking/get-job.txt"))
    assert code == 2 and "provider name" in err
    with pytest.raises(SystemExit) as exit_info:
        main(["extract"])
    assert exit_info.value.code == 2


def test_broken_json_example_is_a_warning_with_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "broken.md"
    page.write_text(
        "## Get Thing\n\n```shell\ncurl -X GET https://api.example.net/things/<thingID>\n```\n\n"
        "### Response Example\n```json\n{\n  \"id\": 1,\n  \"name\": \"x\" \"y\"\n}\n```\n"
    )
    code, out, err = run(capsys, "extract", "--provider", "x", str(page))
    assert code == 0
    assert re.search(r"broken\.md:11: warning: JSON example does not parse", err), err
    assert yaml.safe_load(out)["operations"][0]["path"] == "/things/{thing_id}"


def test_console_script_runs_as_a_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "extract", "--provider", "c", str(SEEDS / "cloudfoundry")],
        capture_output=True, text=True, cwd=REPO, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "path: /v2/jobs/{guid}" in result.stdout


def test_check_and_build_json_summaries(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    monkeypatch.chdir(REPO)
    code, out, _ = run(capsys, "check", "--json")
    data = json.loads(out)
    assert code == data["exit_code"] == 0
    assert [p["name"] for p in data["providers"]] == ["cielo24", "cloudfoundry", "textking", "xplenty"]
    assert all(p["stale"] == [] for p in data["providers"])
    assert {d["level"] for d in data["diagnostics"]} <= {"error", "warning", "note"}


def test_parallel_and_serial_reading_give_the_same_spec(tmp_path: Path) -> None:
    from generator.pipeline import PARALLEL_MIN_PAGES, read_documents
    from generator.spec_yaml import dump_yaml
    from generator.extract import extract_provider

    pages = []
    for index in range(PARALLEL_MIN_PAGES + 2):
        page = tmp_path / f"page{index:02d}.md"
        page.write_text(
            f"## Get Thing {index}\n\n```shell\ncurl -X GET https://api.example.net/v1/things{index}/<thingID>\n```\n"
        )
        pages.append(page)
    (tmp_path / "page99.md").write_bytes(b"caf\xe9")  # unreadable: not UTF-8
    pages.append(tmp_path / "page99.md")
    serial = read_documents(pages, tmp_path, workers=1)
    parallel = read_documents(pages, tmp_path, workers=2)
    assert serial[1] == parallel[1] and serial[2] is parallel[2] is True
    specs = [dump_yaml(extract_provider("x", docs)[0]) for docs in (serial[0], parallel[0])]
    assert specs[0] == specs[1]
    assert specs[0].count("- name: get_thing_") == PARALLEL_MIN_PAGES + 2
