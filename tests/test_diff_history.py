"""Semantic diffs of real doc changes: the two seed versions of cielo24 job_info and
the consecutive versions in ../shared/corpus/history/cielo24-job_info/.  The
expected changes were read from a textual diff of the pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main
from generator.diff import Change, diff_specs, has_breaking
from generator.pipeline import extract

from conftest import REPO, SEEDS

HISTORY = REPO.parent / "shared" / "corpus" / "history" / "cielo24-job_info"


def changes(old: Path, new: Path) -> list[Change]:
    root = REPO if old.is_relative_to(REPO) else old.parent
    return diff_specs(extract("cielo24", [old], root=root).spec, extract("cielo24", [new], root=root).spec)


def summary(found: list[Change]) -> set[tuple[str, bool]]:
    return {(c.where, c.breaking) for c in found}


def test_seed_2014_to_2015_task_list_replaced_by_job_details() -> None:
    found = changes(SEEDS / "cielo24/2014-08-05/job_info.rst", SEEDS / "cielo24/2015-09-08/job_info.rst")
    assert has_breaking(found)
    breaking = {c.where for c in found if c.breaking}
    assert breaking == {"job_info / response 200 / Tasks", "job_info / response 200 / Language"}
    added = {c.where.rsplit(" / ", 1)[-1] for c in found if not c.breaking}
    assert {"MediaLengthSeconds", "JobStatus", "ReturnTargets", "Options", "DueDate"} <= added
    tasks = next(c for c in found if c.where.endswith("/ Tasks"))
    assert tasks.old_source == "seeds/cielo24/2014-08-05/job_info.rst:86"  # where the old example writes "Tasks"
    status = next(c for c in found if c.where.endswith("/ JobStatus"))
    assert status.new_source == "seeds/cielo24/2015-09-08/job_info.rst:87"


def test_diff_cli_fails_on_breaking_with_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code = main([
        "diff", str(SEEDS / "cielo24/2014-08-05/job_info.rst"), str(SEEDS / "cielo24/2015-09-08/job_info.rst"),
        "--provider", "cielo24", "--format", "json", "--fail-on", "breaking",
    ])
    out = capsys.readouterr().out
    assert code == 1
    data = json.loads(out)
    assert data["breaking"] is True
    assert {c["where"] for c in data["changes"] if c["breaking"]} == {
        "job_info / response 200 / Tasks", "job_info / response 200 / Language",
    }
    assert main(["diff", str(SEEDS / "cielo24/2015-09-08/job_info.rst"), str(SEEDS / "cielo24/2015-09-08/job_info.rst")]) == 0
    assert "no changes" in capsys.readouterr().out


@pytest.fixture
def history() -> Path:
    if not HISTORY.is_dir():
        pytest.skip(f"history corpus not found at {HISTORY}")
    return HISTORY


def test_2014_07_30_to_08_16(history: Path) -> None:
    found = changes(history / "2014-07-30_d6fcfaf.rst", history / "2014-08-16_78012ff.rst")
    # "Allowed Values: 1-" became "1"; the response got a Content-Type of application/json
    # (was text/javascript) and its first real JSON example
    assert ("job_info / parameter query/v", True) in summary(found)
    assert any(c.where == "job_info / response 200" and "application/json" in c.message and not c.breaking for c in found)


def test_2014_08_16_to_10_30_only_adds_fields(history: Path) -> None:
    found = changes(history / "2014-08-16_78012ff.rst", history / "2014-10-30_5a2dc28.rst")
    assert not has_breaking(found)
    added = {c.where.rsplit(" / ", 1)[-1] for c in found}
    assert {"StartDate", "MediaLengthSeconds", "JobStatus", "TurnaroundTimeHours", "ReturnTargets"} <= added


def test_2014_10_30_to_2015_06_09_drops_tasks(history: Path) -> None:
    found = changes(history / "2014-10-30_5a2dc28.rst", history / "2015-06-09_003e38f.rst")
    breaking = {c.where.rsplit(" / ", 1)[-1] for c in found if c.breaking}
    assert breaking == {"Tasks", "Language", "TurnaroundTimeHours"}
    assert "JobDifficulty" in {c.where.rsplit(" / ", 1)[-1] for c in found if not c.breaking}


def test_2015_06_09_to_2016_01_28_adds_dates_and_options(history: Path) -> None:
    found = changes(history / "2015-06-09_003e38f.rst", history / "2016-01-28_e70d126.rst")
    assert not has_breaking(found)
    assert {c.where for c in found} >= {
        "job_info / response 200 / ReturnDate",
        "job_info / response 200 / AuthorizationDate",
        "job_info / response 200 / Options / option_name",
    }
