"""Semantic spec diff: what a user of the generated client would call breaking.

Fixtures in tests/fixtures/diff/ are hand-written specs modelled on the two seed
versions of cielo24's job_info page; focused cases edit a copy of the 2014 one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diff import Change, diff_specs, has_breaking, render_text, to_json
from generator.spec import Spec, load_yaml, validate

FIXTURES = Path(__file__).parent / "fixtures" / "diff"
OLD_RST = "seeds/cielo24/2014-08-05/job_info.rst"
NEW_RST = "seeds/cielo24/2015-09-08/job_info.rst"


def load(name: str) -> Spec:
    path = FIXTURES / name
    return load_yaml(path.read_text("utf-8"), str(path))


def edited(edit: Callable[[dict[str, Any]], None], name: str = "job_info_2014.yaml") -> Spec:
    data = yaml.safe_load((FIXTURES / name).read_text("utf-8"))
    edit(data)
    validate(data, "edited fixture")
    return Spec.from_dict(data)


def op(data: dict[str, Any], name: str = "job_info") -> dict[str, Any]:
    return next(o for o in data["operations"] if o["name"] == name)


def param(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in op(data)["parameters"] if p["name"] == name)


def ok_200(data: dict[str, Any]) -> dict[str, Any]:
    return next(r for r in op(data)["responses"] if r["status"] == "200")


def one(changes: list[Change], kind: str, where: str | None = None) -> Change:
    found = [c for c in changes if c.kind == kind and (where is None or c.where == where)]
    assert len(found) == 1, f"expected one {kind} at {where}, got:\n{render_text(changes)}"
    return found[0]


def kinds(changes: list[Change]) -> set[str]:
    return {c.kind for c in changes}


@pytest.fixture
def base() -> Spec:
    return load("job_info_2014.yaml")


# --- the cielo24 job_info change, 2014 → 2015 ----------------------------------------


def test_job_info_2014_to_2015_reports_shape_change_field_by_field() -> None:
    changes = diff_specs(load("job_info_2014.yaml"), load("job_info_2015.yaml"))

    tasks = one(changes, "response-field-removed", "job_info / response 200 / Tasks")
    language = one(changes, "response-field-removed", "job_info / response 200 / Language")
    assert tasks.breaking and language.breaking
    assert tasks.old_source == f"{OLD_RST}:86"
    assert tasks.new_source == f"{NEW_RST}:80"  # the new response object
    assert language.old_source == f"{OLD_RST}:85"

    for field, line in [("MediaLengthSeconds", 83), ("JobStatus", 87), ("ExternalID", 84)]:
        added = one(changes, "response-field-added", f"job_info / response 200 / {field}")
        assert not added.breaking
        assert added.new_source == f"{NEW_RST}:{line}"
        assert added.old_source == f"{OLD_RST}:82"

    assert "operation-removed" not in kinds(changes)  # same route: same operation
    assert one(changes, "schema-removed", "schemas / Task").breaking
    assert not one(changes, "schema-added", "schemas / JobInfo").breaking
    assert has_breaking(changes)


def test_identical_specs_have_no_changes(base: Spec) -> None:
    changes = diff_specs(base, load("job_info_2014.yaml"))
    assert changes == []
    assert not has_breaking(changes)
    assert render_text(changes) == "no changes\n"


# --- operations ------------------------------------------------------------------------


def add_operation(data: dict[str, Any]) -> None:
    data["operations"].append(
        {
            "name": "job_list",
            "method": "GET",
            "path": "/api/job/list",
            "parameters": [],
            "responses": [],
            "source": "list.rst:3",
        }
    )


def test_operation_added_is_ok_and_removed_is_breaking(base: Spec) -> None:
    bigger = edited(add_operation)
    added = one(diff_specs(base, bigger), "operation-added", "job_list")
    removed = one(diff_specs(bigger, base), "operation-removed", "job_list")
    assert not added.breaking and added.new_source == "list.rst:3"
    assert removed.breaking and removed.old_source == "list.rst:3"


def test_operation_renamed_on_same_route_is_breaking(base: Spec) -> None:
    new = edited(lambda d: op(d).update(name="get_job"))
    changes = diff_specs(base, new)
    assert one(changes, "operation-renamed", "get_job").breaking
    assert not kinds(changes) & {"operation-added", "operation-removed"}


def test_path_and_method_changes_match_by_name(base: Spec) -> None:
    new = edited(lambda d: op(d).update(path="/api/v2/job/info", method="POST"))
    changes = diff_specs(base, new)
    assert one(changes, "path-changed", "job_info").breaking
    assert one(changes, "method-changed", "job_info").breaking
    assert not kinds(changes) & {"operation-added", "operation-removed"}


def test_path_variable_rename_is_a_parameter_rename(base: Spec) -> None:
    def with_path(var: str) -> Callable[[dict[str, Any]], None]:
        def edit(d: dict[str, Any]) -> None:
            op(d)["path"] = f"/api/job/{{{var}}}"
            op(d)["parameters"].append(
                {
                    "name": var,
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                    "description": "The job",
                }
            )

        return edit

    changes = diff_specs(edited(with_path("id")), edited(with_path("job_id")))
    assert one(changes, "parameter-renamed").breaking
    assert "path-changed" not in kinds(changes)


# --- parameters ------------------------------------------------------------------------


def new_param(required: bool) -> Callable[[dict[str, Any]], None]:
    def edit(d: dict[str, Any]) -> None:
        op(d)["parameters"].append(
            {
                "name": "callback_url",
                "in": "query",
                "required": required,
                "schema": {"type": "string"},
                "source": "b.rst:30",
            }
        )

    return edit


@pytest.mark.parametrize("required", [True, False])
def test_parameter_added_is_breaking_only_when_required(base: Spec, required: bool) -> None:
    change = one(diff_specs(base, edited(new_param(required))), "parameter-added")
    assert change.breaking is required
    assert change.where == "job_info / parameter query/callback_url"
    assert change.new_source == "b.rst:30"


def test_parameter_removed_is_breaking(base: Spec) -> None:
    new = edited(lambda d: op(d)["parameters"].remove(param(d, "v")))
    change = one(diff_specs(base, new), "parameter-removed", "job_info / parameter query/v")
    assert change.breaking and change.old_source == f"{OLD_RST}:15"


def test_parameter_required_changes(base: Spec) -> None:
    relaxed = edited(lambda d: param(d, "job_id").update(required=False))
    assert not one(diff_specs(base, relaxed), "parameter-required-changed").breaking
    assert one(diff_specs(relaxed, base), "parameter-required-changed").breaking


def test_parameter_rename_with_similar_description(base: Spec) -> None:
    new = edited(
        lambda d: param(d, "job_id").update(
            name="id", description="The Id of the job whose job status is returned"
        )
    )
    changes = diff_specs(base, new)
    renamed = one(changes, "parameter-renamed", "job_info / parameter query/id")
    assert renamed.breaking and "`job_id` renamed to `id`" in renamed.message
    assert not kinds(changes) & {"parameter-added", "parameter-removed"}


def test_unrelated_parameters_are_not_a_rename(base: Spec) -> None:
    new = edited(
        lambda d: param(d, "job_id").update(
            name="callback_url", required=False, description="Where to POST when done"
        )
    )
    changes = diff_specs(base, new)
    assert "parameter-renamed" not in kinds(changes)
    assert one(changes, "parameter-removed").breaking
    assert not one(changes, "parameter-added").breaking


def test_parameter_location_change_is_breaking(base: Spec) -> None:
    new = edited(lambda d: param(d, "job_id").update({"in": "header"}))
    changes = diff_specs(base, new)
    assert one(changes, "parameter-location-changed").breaking
    assert not kinds(changes) & {"parameter-added", "parameter-removed", "parameter-renamed"}


@pytest.mark.parametrize(
    ("old", "new", "breaking"),
    [
        ({"type": "integer"}, {"type": "number"}, False),  # widening
        ({"type": "number"}, {"type": "integer"}, True),
        ({"type": "integer"}, {}, False),  # anything → untyped
        ({"type": "integer"}, {"type": "string"}, True),
        ({"type": "string", "format": "date-time"}, {"type": "string"}, False),
        ({"type": "string"}, {"type": "string", "format": "date-time"}, True),
    ],
)
def test_request_type_changes_are_judged_by_widening(
    old: dict[str, Any], new: dict[str, Any], breaking: bool
) -> None:
    before = edited(lambda d: param(d, "v").update(schema=old))
    after = edited(lambda d: param(d, "v").update(schema=new))
    assert (
        one(diff_specs(before, after), "type-changed", "job_info / parameter query/v").breaking
        is breaking
    )


def test_request_enum_value_removed_is_breaking_added_is_not(base: Spec) -> None:
    wider = edited(lambda d: param(d, "v").update(schema={"type": "integer", "enum": [1, 2]}))
    assert not one(diff_specs(base, wider), "enum-value-added").breaking
    removed = one(diff_specs(wider, base), "enum-value-removed")
    assert removed.breaking and removed.message == "value 2 removed"


# --- request bodies ------------------------------------------------------------------


def test_request_body_media_type_change_is_breaking(base: Spec) -> None:
    def body(media_type: str) -> Callable[[dict[str, Any]], None]:
        return lambda d: op(d).update(body={"media_type": media_type})

    changes = diff_specs(
        edited(body("application/json")), edited(body("application/x-www-form-urlencoded"))
    )
    assert one(changes, "request-body-changed", "job_info / body").breaking
    assert not one(
        diff_specs(base, edited(body("application/json"))), "request-body-changed"
    ).breaking


# --- responses -----------------------------------------------------------------------

TASK_STATUS = "job_info / response 200 / Tasks[] / TaskStatus"


@pytest.mark.parametrize(
    ("media_type", "breaking"),
    [("text/javascript", False), ("application/json; charset=utf-8", False), ("text/csv", True)],
)
def test_response_media_type_change_breaks_only_across_families(
    base: Spec, media_type: str, breaking: bool
) -> None:
    new = edited(lambda d: ok_200(d).update(media_type=media_type))
    assert one(diff_specs(base, new), "response-media-type-changed").breaking is breaking


def test_nested_field_through_ref_type_change_is_breaking(base: Spec) -> None:
    new = edited(
        lambda d: d["schemas"]["Task"]["properties"]["TaskStatus"].update(type="integer", enum=[])
    )
    change = one(diff_specs(base, new), "response-field-type-changed", TASK_STATUS)
    assert change.breaking
    assert change.old_source == change.new_source == f"{OLD_RST}:93"


@pytest.mark.parametrize(
    ("old", "new", "breaking"),
    [
        ("integer", "number", True),  # old clients cannot parse 607.81 as int
        ("number", "integer", False),
        ("string", None, False),
    ],
)
def test_response_type_changes_are_judged_by_narrowing(
    old: str, new: str | None, breaking: bool
) -> None:
    def field(type_: str | None) -> Callable[[dict[str, Any]], None]:
        schema = {"type": type_} if type_ else {}
        return lambda d: ok_200(d)["schema"]["properties"].update(JobId=schema)

    changes = diff_specs(edited(field(old)), edited(field(new)))
    assert (
        one(changes, "response-field-type-changed", "job_info / response 200 / JobId").breaking
        is breaking
    )


def test_response_enum_additions_are_ok_removals_break(base: Spec) -> None:
    """Clients accept unknown values (OpenEnum), but a removed value's member is gone."""

    def statuses(values: list[str]) -> Callable[[dict[str, Any]], None]:
        return lambda d: d["schemas"]["Task"]["properties"]["TaskStatus"].update(enum=values)

    changes = diff_specs(base, edited(statuses(["COMPLETE", "FAILED"])))
    added = one(changes, "enum-value-added", TASK_STATUS)
    removed = one(changes, "enum-value-removed", TASK_STATUS)
    assert not added.breaking and removed.breaking
    assert added.message == 'value "FAILED" added'
    assert removed.message == 'value "IN_PROCESS" removed'
    assert one(diff_specs(base, edited(statuses([]))), "enum-changed", TASK_STATUS).breaking
    assert not one(diff_specs(edited(statuses([])), base), "enum-changed", TASK_STATUS).breaking


def test_response_field_becoming_optional_is_breaking() -> None:
    def required(names: list[str]) -> Callable[[dict[str, Any]], None]:
        return lambda d: ok_200(d)["schema"].update(required=names)

    changes = diff_specs(edited(required(["JobId", "JobName"])), edited(required(["JobId"])))
    assert one(
        changes, "response-field-required-changed", "job_info / response 200 / JobName"
    ).breaking


def test_required_fields_added_break_requests_not_responses(base: Spec) -> None:
    def with_field(d: dict[str, Any]) -> None:
        ok_200(d)["schema"]["properties"]["JobStatus"] = {"type": "string"}
        ok_200(d)["schema"]["required"] = ["JobStatus"]
        param(d, "job_id")["schema"] = {
            "type": "object",
            "properties": {"Id": {"type": "string"}, "Tag": {"type": "string"}},
            "required": ["Tag"],
        }

    def without_field(d: dict[str, Any]) -> None:
        param(d, "job_id")["schema"] = {"type": "object", "properties": {"Id": {"type": "string"}}}

    changes = diff_specs(edited(without_field), edited(with_field))
    assert not one(changes, "response-field-added", "job_info / response 200 / JobStatus").breaking
    assert one(changes, "request-field-added", "job_info / parameter query/job_id / Tag").breaking
    removed = one(diff_specs(edited(with_field), edited(without_field)), "request-field-removed")
    assert removed.breaking


def test_nullable_is_safe_to_accept_unsafe_to_return(base: Spec) -> None:
    def nullable(d: dict[str, Any]) -> None:
        param(d, "job_id")["schema"]["nullable"] = True
        ok_200(d)["schema"]["properties"]["JobId"]["nullable"] = True

    changes = diff_specs(base, edited(nullable))
    assert not one(changes, "nullable-changed", "job_info / parameter query/job_id").breaking
    assert one(changes, "nullable-changed", "job_info / response 200 / JobId").breaking
    back = diff_specs(edited(nullable), base)
    assert one(back, "nullable-changed", "job_info / parameter query/job_id").breaking
    assert not one(back, "nullable-changed", "job_info / response 200 / JobId").breaking


def test_recursive_schemas_terminate_and_report_once() -> None:
    def recursive(sub_type: str) -> Callable[[dict[str, Any]], None]:
        def edit(d: dict[str, Any]) -> None:
            props = d["schemas"]["Task"]["properties"]
            props["Subtasks"] = {"type": "array", "items": {"$ref": "#/schemas/Task"}}
            props["TaskInfo"] = {"type": sub_type}

        return edit

    changes = diff_specs(edited(recursive("string")), edited(recursive("integer")))
    assert [c.where for c in changes] == ["job_info / response 200 / Tasks[] / TaskInfo"]


def test_success_response_removed_is_breaking_error_response_is_not(base: Spec) -> None:
    def drop(status: str) -> Callable[[dict[str, Any]], None]:
        return lambda d: op(d).update(
            responses=[r for r in op(d)["responses"] if r["status"] != status]
        )

    assert not one(diff_specs(base, edited(drop("400"))), "response-removed").breaking
    removed = one(
        diff_specs(base, edited(drop("200"))), "response-removed", "job_info / response 200"
    )
    assert removed.breaking and removed.old_source == f"{OLD_RST}:39"
    assert not one(diff_specs(edited(drop("400")), base), "response-added").breaking


def test_success_status_change_still_compares_bodies(base: Spec) -> None:
    def created(d: dict[str, Any]) -> None:
        ok_200(d)["status"] = "201"
        del ok_200_props(d)["Language"]

    def ok_200_props(d: dict[str, Any]) -> dict[str, Any]:
        return next(r for r in op(d)["responses"] if r["status"] == "201")["schema"]["properties"]

    changes = diff_specs(base, edited(created))
    assert not one(changes, "response-status-changed").breaking
    assert one(changes, "response-field-removed", "job_info / response 201 / Language").breaking
    assert "response-removed" not in kinds(changes)


# --- auth and servers ------------------------------------------------------------------


def test_auth_scheme_changes_are_breaking(base: Spec) -> None:
    header = edited(
        lambda d: d["security_schemes"][0].update({"in": "header", "param": "X-Api-Token"})
    )
    changed = one(diff_specs(base, header), "auth-changed", "auth / api_token")
    assert changed.breaking and "apiKey header X-Api-Token" in changed.message

    def basic(d: dict[str, Any]) -> None:
        d["security_schemes"].append({"name": "login", "kind": "basic"})
        d["security"] = ["login"]

    changes = diff_specs(base, edited(basic))
    assert one(changes, "auth-changed", "auth / login").breaking
    assert one(changes, "auth-changed", "auth / security").breaking
    assert one(diff_specs(edited(basic), base), "auth-changed", "auth / login").breaking


def test_operation_opting_out_of_auth_is_reported(base: Spec) -> None:
    change = one(diff_specs(base, edited(lambda d: op(d).update(security=[]))), "auth-changed")
    assert change.where == "job_info / security" and change.breaking


def test_server_url_change_is_ok_but_variable_without_default_breaks(base: Spec) -> None:
    moved = edited(lambda d: d["servers"][0].update(url="https://sandbox.cielo24.com"))
    assert not one(diff_specs(base, moved), "server-changed", "servers[0]").breaking

    def variable(default: str) -> Callable[[dict[str, Any]], None]:
        return lambda d: d["servers"][0].update(
            url="https://{region}.cielo24.com", variables=[{"name": "region", "default": default}]
        )

    no_default = [c for c in diff_specs(base, edited(variable(""))) if c.breaking]
    assert [c.message for c in no_default] == ["variable `region` added, without a default"]
    assert not has_breaking(diff_specs(base, edited(variable("api"))))


# --- output ----------------------------------------------------------------------------


def test_json_output_is_deterministic_and_complete() -> None:
    changes = diff_specs(load("job_info_2014.yaml"), load("job_info_2015.yaml"))
    text = to_json(changes)
    assert text == to_json(list(reversed(changes)))
    payload = json.loads(text)
    assert payload["breaking"] is True
    assert payload["changes"][0].keys() == {
        "kind",
        "breaking",
        "where",
        "message",
        "old_source",
        "new_source",
    }
    wheres = [(c["where"], c["kind"]) for c in payload["changes"]]
    assert wheres == sorted(wheres)


def test_text_output_lists_breaking_first_with_provenance() -> None:
    changes = diff_specs(load("job_info_2014.yaml"), load("job_info_2015.yaml"))
    lines = render_text(changes).splitlines()
    tags = [line.split()[0] for line in lines[:-1]]
    assert tags == sorted(tags, key=lambda t: t != "BREAKING")
    assert (
        f"BREAKING  job_info / response 200 / Tasks: field `Tasks` removed (was array of object Task)"
        f"  (old: {OLD_RST}:86 → new: {NEW_RST}:80)"
    ) in lines
    assert lines[-1] == f"{len(changes)} change(s), 3 breaking"


def test_two_doc_versions_diff_as_the_semantic_changes_they_are() -> None:
    """An enum, a default, a required flag and a status changed in the docs' own
    words come out as those changes, the required one breaking."""
    from generator.extract import extract_provider
    from generator.readers import parse_text

    def spec(sort: str, required: str, default: str, status: str):
        page = (
            f"# List things\n\nGET /things\n\nReturns `{status}`.\n\n"
            "| Name | Required | Description |\n|------|----------|-------------|\n"
            f"| sort | {required} | Sort order: {sort}. |\n| limit | no | Page size. Default: {default} |\n"
        )
        return extract_provider("t", [parse_text(page, "x.md")])[0]

    before = spec("`asc` or `desc`", "no", "20", "200 OK")
    after = spec("`asc`, `desc` or `rank`", "yes", "50", "201 Created")
    found = {(c.kind, c.message, c.breaking) for c in diff_specs(before, after)}
    assert ("parameter-required-changed", "optional → required", True) in found
    assert ("parameter-default-changed", "default 20 → 50", False) in found
    assert any("value \"rank\" added" in message for _, message, _ in found)
    assert any("status 200 → 201" in message for _, message, _ in found)
