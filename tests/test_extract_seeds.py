"""The five seed documents, each read by a person against its spec.

Every expected value below was taken from the seed page itself (line numbers
included), not from the extractor's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, SEEDS

from generator.pipeline import extract
from generator.spec import Operation, Schema, Spec, load_yaml
from generator.spec_yaml import dump_yaml

CIELO_2014 = SEEDS / "cielo24/2014-08-05/job_info.rst"
CIELO_2015 = SEEDS / "cielo24/2015-09-08/job_info.rst"
XPLENTY = SEEDS / "xplenty/get-job-information.md"
TEXTKING = SEEDS / "textking/get-job.txt"
CLOUDFOUNDRY = SEEDS / "cloudfoundry/retrieve-job.rst"


def only_operation(doc: Path, provider: str = "p") -> tuple[Spec, Operation]:
    result = extract(provider, [doc], root=REPO)
    assert not result.errors, [str(d) for d in result.diagnostics]
    assert len(result.spec.operations) == 1, [o.name for o in result.spec.operations]
    return result.spec, result.spec.operations[0]


def params(op: Operation) -> dict[tuple[str, str], tuple[bool, list[object]]]:
    return {(p.location, p.name): (p.required, p.schema.enum) for p in op.parameters}


def response(op: Operation, status: str):
    return next(r for r in op.responses if r.status == status)


def prop(schema: Schema | None, *path: str) -> Schema:
    assert schema is not None
    node = schema
    for key in path:
        if key == "[]":
            assert node.items is not None
            node = node.items
        else:
            node = node.properties[key]
    return node


@pytest.mark.parametrize("doc", [CIELO_2014, CIELO_2015])
def test_cielo24_job_info_request(doc: Path) -> None:
    spec, op = only_operation(doc)
    assert (op.name, op.method, op.path) == ("job_info", "GET", "/api/job/info")
    assert op.source.endswith("job_info.rst:8")  # the http:get directive
    # v and job_id are required query parameters; api_token is the auth scheme
    assert params(op) == {("query", "v"): (True, [1]), ("query", "job_id"): (True, [])}
    assert [s.url for s in spec.servers] == ["https://api.cielo24.com"]  # Host: header
    (scheme,) = spec.security_schemes
    assert (scheme.kind, scheme.location, scheme.param) == ("apiKey", "query", "api_token")
    assert spec.security == ["api_token"]
    assert [r.status for r in op.responses] == ["200", "400"]
    assert response(op, "400").description == "An error occurred"
    assert set(prop(response(op, "400").schema).properties) == {"ErrorType", "ErrorComment"}
    v = next(p for p in op.parameters if p.name == "v")
    assert v.source.endswith(":15") and v.description == "The version of the API to use"


def test_cielo24_2014_returns_task_list() -> None:
    _, op = only_operation(CIELO_2014)
    ok = response(op, "200")
    assert ok.description == "Success"
    assert set(prop(ok.schema).properties) == {"JobId", "JobName", "Language", "Tasks"}
    task = prop(ok.schema, "Tasks", "[]")
    assert set(task.properties) == {"TaskId", "TaskType", "TaskRequestTime", "TaskCompletionTime", "TaskInfo", "TaskStatus"}
    assert prop(task, "TaskRequestTime").format == "date-time"
    # the example has a trailing comma after "TaskStatus" and still parses
    assert ok.example["Tasks"][0]["TaskStatus"] == "COMPLETE"


def test_cielo24_2015_returns_job_details() -> None:
    _, op = only_operation(CIELO_2015)
    ok = response(op, "200")
    fields = prop(ok.schema).properties
    assert "Tasks" not in fields and "Language" not in fields
    assert prop(ok.schema, "MediaLengthSeconds").type == "number"
    assert prop(ok.schema, "JobStatus").type == "string"
    assert prop(ok.schema, "CreationDate").format == "date-time"
    assert prop(ok.schema, "ReturnTargets", "url", "[]", "callback_url").type == "string"
    assert ok.example["JobId"] == "d4fb871e07514304b23131b45f8caa1f"


def test_cielo24_versions_differ() -> None:
    old = extract("cielo24", [CIELO_2014], root=REPO).spec
    new = extract("cielo24", [CIELO_2015], root=REPO).spec
    assert dump_yaml(old) != dump_yaml(new)
    assert old.operations[0].summary == "Get a list of all tasks done by an existing job."
    assert new.operations[0].summary == "Get information about an existing job."


def test_xplenty_get_job() -> None:
    spec, op = only_operation(XPLENTY)
    assert (op.name, op.method, op.path) == ("get_job_information", "GET", "/jobs/{job_id}")
    assert params(op) == {("path", "job_id"): (True, [])}
    (server,) = spec.servers
    assert server.url == "https://api.xplenty.com/{account_id}/api"
    assert [v.name for v in server.variables] == ["account_id"]
    (scheme,) = spec.security_schemes
    assert scheme.kind == "basic" and "APIkey" in scheme.description
    assert op.accept == "application/vnd.xplenty+json"
    ok = response(op, "200")
    status = prop(ok.schema, "status")
    assert status.enum == ["idle", "pending", "running", "completed", "failed", "pending_stoppage", "stopping", "stopped"]
    assert status.source.endswith("get-job-information.md:12")
    # prose says 0.0-1.0, the example says 1: widened to number
    assert prop(ok.schema, "progress").type == "number"
    assert prop(ok.schema, "failed_at").nullable
    assert prop(ok.schema, "outputs", "[]", "records_count").type == "integer"
    assert prop(ok.schema, "owner_id").description == "the numeric user ID"


def test_textking_get_job() -> None:
    spec, op = only_operation(TEXTKING)
    assert (op.name, op.method, op.path) == ("get_job", "GET", "/project/{project_id}/job/{job_id}")
    assert params(op) == {("path", "project_id"): (True, []), ("path", "job_id"): (True, [])}
    assert [s.url for s in spec.servers] == ["https://api.textking.com/v1"]
    assert [(s.name, s.kind) for s in spec.security_schemes] == [("bearer", "bearer")]
    assert [r.status for r in op.responses] == ["200", "400", "404"]
    assert response(op, "404").description == "The job or project with the given ID does not exist."
    state = prop(response(op, "200").schema, "state")
    assert state.enum == ["new", "translation-pending", "translation-delivered", "revision-requested", "completed", "canceled"]
    assert prop(response(op, "200").schema, "net_price").type == "number"
    assert op.summary == "Returns a single job with the given ID for a specific project."


def test_cloudfoundry_job() -> None:
    spec, op = only_operation(CLOUDFOUNDRY)
    assert (op.method, op.path) == ("GET", "/v2/jobs/{guid}")
    assert op.name == "retrieve_job_error_message"
    assert params(op) == {("path", "guid"): (True, [])}
    assert op.parameters[0].description == "The guid of the job."
    (server,) = spec.servers
    assert server.url == "https://api.{domain}"
    assert [(v.name, v.default) for v in server.variables] == [("domain", "your-domain.com")]
    assert spec.security_schemes == [] and op.security == []  # "unauthenticated access"
    ok = response(op, "200")
    assert ok.media_type == "application/json"
    assert prop(ok.schema, "entity", "status").enum == ["failed", "finished", "queued", "running"]
    assert prop(ok.schema, "entity", "error_details", "code").type == "integer"
    assert ok.example["entity"]["error_details"]["error_code"] == "UnknownError"


@pytest.mark.parametrize("doc", [CIELO_2014, CIELO_2015, XPLENTY, TEXTKING, CLOUDFOUNDRY])
def test_spec_round_trips_and_is_deterministic(doc: Path) -> None:
    first = dump_yaml(extract("p", [doc], root=REPO).spec)
    second = dump_yaml(extract("p", [doc], root=REPO).spec)
    assert first == second
    assert dump_yaml(load_yaml(first, "spec.yaml")) == first
