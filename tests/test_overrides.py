"""Overrides: corrections that survive re-extraction, with provenance and diagnostics.

The "freshly extracted" spec is the hand-written cielo24 job_info 2015 fixture from
tests/fixtures/diff/; override files live in tests/fixtures/overrides/.
"""

from __future__ import annotations

import copy
import textwrap
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import overrides
from generator.diff import diff_specs
from generator.document import Diagnostic
from generator.overrides import apply_overrides, overrides_path_for
from generator.spec import Spec, load_yaml, validate
from generator.spec_yaml import dump_yaml

HERE = Path(__file__).parent
EXTRACTED = HERE / "fixtures" / "diff" / "job_info_2015.yaml"
OVERRIDES = HERE / "fixtures" / "overrides"
GOOD = "specs/cielo24.overrides.yaml"  # the name diagnostics and provenance use


@cache
def _extracted_data() -> dict[str, Any]:
    return load_yaml(EXTRACTED.read_text("utf-8"), str(EXTRACTED)).to_dict()


def extracted() -> Spec:
    """A fresh copy of the "freshly extracted" spec."""
    return Spec.from_dict(copy.deepcopy(_extracted_data()))


def fixture(name: str) -> str:
    return (OVERRIDES / name).read_text("utf-8")


def apply(
    text: str, spec: Spec | None = None, strict: bool = False
) -> tuple[Spec, list[Diagnostic]]:
    return apply_overrides(spec or extracted(), text, GOOD, strict=strict)


def param(spec: Spec, name: str) -> Any:
    return next(p for p in spec.operation("job_info").parameters if p.name == name)


def response(spec: Spec, status: str) -> Any:
    return next(r for r in spec.operation("job_info").responses if r.status == status)


def errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.level == "error"]


# --- applying --------------------------------------------------------------------------


def test_overrides_change_the_spec_where_they_say() -> None:
    spec, diagnostics = apply(fixture("cielo24.overrides.yaml"))
    assert diagnostics == []
    assert spec.title == "cielo24 public API v1"
    assert spec.operation("job_info").summary == "Get information about an existing job"
    assert param(spec, "job_id").description == "The job's ID (32 hex digits)."
    assert param(spec, "job_id").required is True  # untouched fields stay
    assert param(spec, "iwp_name").schema.type == "string"  # "+query/iwp_name" created it
    assert response(spec, "400").description == "The job does not exist or the token is invalid"
    job = spec.schemas["JobInfo"].properties
    assert job["JobStatus"].enum[-1] == "Reviewing"
    assert job["Priority"].enum == ["STANDARD", "PRIORITY", "CRITICAL"]
    assert job["MediaLengthSeconds"].description == "Length of the media in seconds"
    assert "JobDifficulty" not in job
    validate(spec.to_dict(), "merged")


def test_overridden_objects_carry_override_provenance_and_others_keep_theirs() -> None:
    spec, _ = apply(fixture("cielo24.overrides.yaml"))
    assert param(spec, "job_id").source == f"override:{GOOD}:7"
    assert param(spec, "iwp_name").source == f"override:{GOOD}:8"
    assert spec.operation("job_info").source == f"override:{GOOD}:4"  # summary
    assert response(spec, "400").source == f"override:{GOOD}:12"
    job = spec.schemas["JobInfo"]
    assert job.properties["JobStatus"].source == f"override:{GOOD}:15"
    assert job.properties["Priority"].source == f"override:{GOOD}:17"
    assert job.properties["MediaLengthSeconds"].source == f"override:{GOOD}:19"
    assert job.source == f"override:{GOOD}:18"  # its property list changed
    assert job.properties["JobId"].source == "seeds/cielo24/2015-09-08/job_info.rst:81"
    assert param(spec, "v").source == "seeds/cielo24/2015-09-08/job_info.rst:15"


def test_applying_twice_is_the_same_as_once() -> None:
    text = fixture("cielo24.overrides.yaml")
    once, _ = apply(text)
    twice, diagnostics = apply(text, once)
    assert diagnostics == []
    assert dump_yaml(twice) == dump_yaml(once)
    assert diff_specs(once, twice) == []


def test_overrides_survive_re_extraction_that_reorders_and_rewords() -> None:
    """The docs changed: parameters moved and job_id got a new description.  The
    override still lands on job_id, by identity, and still wins."""
    data = extracted().to_dict()
    op = data["operations"][0]
    op["parameters"].reverse()
    op["parameters"][0]["description"] = "The job to look up"
    spec, diagnostics = apply(fixture("cielo24.overrides.yaml"), Spec.from_dict(data))
    assert diagnostics == []
    assert param(spec, "job_id").description == "The job's ID (32 hex digits)."


def test_renaming_an_operation_is_idempotent() -> None:
    text = "operations:\n  job_info: {name: get_job}\n"
    once, _ = apply(text)
    twice, diagnostics = apply(text, once)
    assert [op.name for op in twice.operations] == ["get_job"]
    assert diagnostics == []


def test_null_removes_and_plus_creates() -> None:
    text = (
        "operations:\n"
        "  job_info:\n"
        "    parameters:\n"
        "      query/v: null\n"
        "  '+job_delete':\n"
        "    method: POST\n"
        "    path: /api/job/delete\n"
        "    responses: {'+200': {description: Deleted}}\n"
    )
    spec, diagnostics = apply(text)
    assert diagnostics == []
    assert [p.name for p in spec.operation("job_info").parameters] == ["job_id"]
    created = spec.operation("job_delete")
    assert (created.method, created.path, created.source) == (
        "POST",
        "/api/job/delete",
        f"override:{GOOD}:5",
    )
    assert created.responses[0].description == "Deleted"


def test_renaming_a_parameter_is_idempotent() -> None:
    text = "operations:\n  job_info:\n    parameters:\n      query/job_id: {name: id, in: header}\n"
    once, _ = apply(text)
    twice, diagnostics = apply(text, once)
    assert diagnostics == []
    assert [(p.location, p.name) for p in twice.operation("job_info").parameters] == [
        ("query", "v"),
        ("header", "id"),
    ]


def test_a_rename_onto_another_entry_is_an_error() -> None:
    """Deleting job_id and renaming v to job_id would, applied again, delete the renamed v."""
    text = (
        "operations:\n  job_info:\n    parameters:\n"
        "      query/job_id: null\n      query/v: {name: job_id}\n"
    )
    _, diagnostics = apply(text)
    assert [(d.level, d.line) for d in diagnostics] == [("error", 5)]
    assert "renames the parameter to `query/job_id`" in diagnostics[0].message


def test_an_operation_rename_onto_another_entry_is_an_error() -> None:
    text = "operations:\n  job_info: {name: get_job}\n  '+get_job': {method: GET, path: /x}\n"
    _, diagnostics = apply(text)
    assert [(d.level, d.line) for d in diagnostics] == [("error", 2)]
    assert "renames the operation to `get_job`" in diagnostics[0].message


def test_a_rename_onto_an_existing_parameter_is_an_error() -> None:
    text = "operations:\n  job_info:\n    parameters:\n      query/v: {name: job_id}\n"
    _, diagnostics = apply(text)
    assert [(d.level, d.line) for d in diagnostics] == [("error", 4)]
    assert "two parameters are now named ('query', 'job_id')" in diagnostics[0].message


def test_a_ref_replaces_an_inline_schema() -> None:
    text = "operations:\n  job_info:\n    parameters:\n      query/job_id: {schema: {$ref: '#/schemas/JobInfo'}}\n"
    spec, diagnostics = apply(text)
    assert diagnostics == []
    schema = param(spec, "job_id").schema
    assert (schema.ref, schema.type) == ("JobInfo", None)


def test_the_documented_example_applies_cleanly() -> None:
    """The format example in generator/overrides.py (copied to the README) works."""
    doc = overrides.__doc__ or ""
    example = doc.split("::\n", 1)[1].split("\nRules:", 1)[0]
    spec, diagnostics = apply(textwrap.dedent(example))
    assert diagnostics == []
    assert spec.operation("job_delete").responses[0].status == "200"
    assert param(spec, "X-Trace").location == "header"
    assert spec.schemas["Money"].properties["amount"].type == "number"


def test_no_overrides_file_content_changes_nothing() -> None:
    spec, diagnostics = apply("# nothing yet\n")
    assert diagnostics == [] and dump_yaml(spec) == dump_yaml(extracted())


def test_overrides_path_sits_next_to_the_spec() -> None:
    assert overrides_path_for("specs/cielo24.yaml") == "specs/cielo24.overrides.yaml"


# --- overrides that no longer match ----------------------------------------------------


def test_dangling_overrides_warn_with_file_and_line() -> None:
    spec, diagnostics = apply(fixture("dangling.overrides.yaml"))
    assert [(d.level, d.path, d.line) for d in diagnostics] == [
        ("warning", GOOD, 5),
        ("warning", GOOD, 7),
        ("warning", GOOD, 9),
        ("warning", GOOD, 12),
    ]
    assert "`operations/job_info/parameters/query/jobid` matches nothing" in diagnostics[0].message
    assert "$ref to #/schemas/JobInfo" in diagnostics[1].message  # says where to look instead
    assert "operation `job_list`" in diagnostics[2].message
    assert "schema `Task`" in diagnostics[3].message
    assert str(diagnostics[0]).startswith(f"{GOOD}:5: warning: ")
    assert dump_yaml(spec) == dump_yaml(extracted())


def test_dangling_overrides_are_errors_when_strict() -> None:
    spec, diagnostics = apply(fixture("dangling.overrides.yaml"), strict=True)
    assert [d.level for d in diagnostics] == ["error"] * 4
    assert dump_yaml(spec) == dump_yaml(extracted())


def test_a_partly_dangling_entry_is_skipped_whole() -> None:
    text = "operations:\n  job_info:\n    responses:\n      '200': {description: OK, schema/properties/Tasks: {}}\n"
    spec, diagnostics = apply(text)
    assert [d.level for d in diagnostics] == ["warning"]
    assert response(spec, "200").description == "Success"


# --- invalid overrides: error diagnostics, never tracebacks ------------------------------


def test_malformed_yaml_is_an_error_with_a_line() -> None:
    spec, diagnostics = apply(fixture("malformed.overrides.yaml"))
    (error,) = diagnostics
    assert (error.level, error.path, error.line) == ("error", GOOD, 5)
    assert "line 4" in error.message
    assert spec == extracted()


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        (
            "operations:\n  job_info:\n    parameters:\n      query/job_id: {required: 'yes'}\n",
            4,
            "'yes' is not of type 'boolean'",
        ),
        (
            "operations:\n  job_info:\n    summery: typo\n",
            3,
            "unknown operation key `summery`",
        ),
        ("colour: blue\n", 1, "unknown top-level key `colour`"),
        ("operations: [job_info]\n", 1, "`operations` must map"),
        ("operations:\n  job_info:\n    parameters:\n      job_id: {}\n", 4, "`location/name`"),
        ("operations:\n  job_info: {source: mine.rst:1}\n", 2, "unknown operation key `source`"),
        ("schemas:\n  JobInfo/properties/JobId/type/x: 1\n", 2, "holds a value"),
        (
            "operations:\n  '+job_delete': {summary: no route}\n",
            2,
            "'method' is a required property",
        ),
        ("title: a\ntitle: b\n", 2, "duplicate key 'title'"),
        ("base: &b {summary: x}\noperations:\n  job_info: *b\n", 3, "aliases"),
        ("- just\n- a list\n", 1, "an overrides file is a mapping"),
    ],
)
def test_invalid_content_is_an_error_at_its_line(text: str, line: int, says: str) -> None:
    spec, diagnostics = apply(text)
    (error,) = errors(diagnostics)
    assert error.line == line
    assert says in error.message
    assert spec == extracted()


def test_python_object_tags_are_refused_without_running_anything(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = fixture("python_object.overrides.yaml").replace("/tmp/docs2client-pwned", str(marker))
    spec, diagnostics = apply(text)
    (error,) = diagnostics
    assert error.level == "error" and error.line == 1
    assert "refused" in error.message and "python/object/apply" in error.message
    assert not marker.exists()
    assert spec == extracted()


def test_overrides_yaml_keeps_dates_as_strings() -> None:
    spec, diagnostics = apply(
        "operations:\n  job_info:\n    parameters:\n      query/job_id: {example: 2014-08-27}\n"
    )
    assert diagnostics == []
    assert param(spec, "job_id").example == "2014-08-27"
    yaml.safe_load(dump_yaml(spec))  # still plain data


# --- idempotence over many generated override files ---------------------------------

_SCHEMA = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["string", "integer", "object", "array"]),
        "description": st.text(max_size=3),
        "enum": st.lists(st.integers(), max_size=2),
        "$ref": st.sampled_from(["#/schemas/JobInfo", "#/schemas/Error", None]),
        "properties": st.dictionaries(
            st.sampled_from(["JobId", "X"]), st.none() | st.just({"type": "string"}), max_size=2
        ),
    },
)
_PARAMETER = st.fixed_dictionaries(
    {},
    optional={
        "required": st.booleans(),
        "schema": _SCHEMA,
        "name": st.sampled_from(["job_id", "jid"]),
        "in": st.sampled_from(["query", "header"]),
    },
)
_RESPONSE = st.fixed_dictionaries(
    {},
    optional={
        "description": st.text(max_size=3),
        "schema": _SCHEMA,
        "schema/properties/JobId": st.none() | _SCHEMA,
        "status": st.sampled_from(["200", "201"]),
    },
)
_OPERATION = st.fixed_dictionaries(
    {},
    optional={
        "summary": st.text(max_size=3),
        "name": st.sampled_from(["job_info", "get_job"]),
        "parameters": st.dictionaries(
            st.sampled_from(["query/job_id", "+query/new", "query/v", "+header/X"]),
            st.none() | _PARAMETER,
            max_size=3,
        ),
        "responses": st.dictionaries(
            st.sampled_from(["200", "+201", "400"]), st.none() | _RESPONSE, max_size=2
        ),
    },
)
_OVERRIDES = st.fixed_dictionaries(
    {},
    optional={
        "title": st.text(max_size=3),
        "operations": st.dictionaries(
            st.sampled_from(["job_info", "+job_new"]), st.none() | _OPERATION, max_size=2
        ),
        "schemas": st.dictionaries(
            st.sampled_from(["JobInfo", "+New", "JobInfo/properties/JobId", "JobInfo/properties"]),
            st.none() | _SCHEMA,
            max_size=3,
        ),
    },
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_OVERRIDES)
def test_any_overrides_file_applies_twice_as_once(overrides: dict[str, Any]) -> None:
    text = yaml.safe_dump(overrides)
    once, diagnostics = apply(text)
    if errors(diagnostics):
        assert once == extracted()
        return
    twice, again = apply(text, once)
    assert errors(again) == []
    assert dump_yaml(twice) == dump_yaml(once)
