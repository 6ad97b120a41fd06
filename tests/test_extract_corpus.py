"""Extraction over the real doc sets in ../shared/corpus (skipped where absent).

The expected endpoints per page were read from the pages: cielo24's
``.. http:<method>::`` directives, xplenty's curl syntax lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import extract
from generator.spec import Spec, load_yaml
from generator.spec_yaml import dump_yaml

CIELO24 = {
    "access_control/generate_api_key.rst": [("GET", "/api/account/generate_api_key")],
    "access_control/login.rst": [("GET", "/api/account/login")],
    "access_control/logout.rst": [("GET", "/api/account/logout")],
    "access_control/remove_api_key.rst": [("GET", "/api/account/remove_api_key")],
    "access_control/sandbox_access.rst": [("POST", "/api/account/create")],
    "access_control/update_password.rst": [("POST", "/api/account/update_password")],
    "access_control/update_setting.rst": [("POST", "/api/account/update_setting")],
    "job_control/add_media_to_job.rst": [("GET", "/api/job/add_media"), ("POST", "/api/job/add_media")],
    "job_control/authorize_job.rst": [("GET", "/api/job/authorize")],
    "job_control/create_job.rst": [("GET", "/api/job/new")],
    "job_control/delete_job.rst": [("GET", "/api/job/delete")],
    "job_control/get_caption.rst": [("GET", "/api/job/get_caption")],
    "job_control/job_info.rst": [("GET", "/api/job/info")],
    "job_control/job_list.rst": [("GET", "/api/job/list")],
    "job_control/perform_transcription.rst": [("GET", "/api/job/perform_transcription")],
}
CIELO24_NO_ENDPOINT = [
    "access_control/index.rst", "basics.rst", "job_control/index.rst", "output_formats/index.rst",
    "output_formats/enums.rst", "output_formats/formats.rst", "output_formats/elementlist.rst",
]

XPLENTY = {
    "clone-schedule.md": [("POST", "/schedules/{schedule_id}/clone")],
    "create-cluster.md": [("POST", "/clusters")],
    "create-schedule.md": [("POST", "/schedules")],
    "delete-schedule.md": [("DELETE", "/schedules/{schedule_id}")],
    "get-cluster-information.md": [("GET", "/clusters/{cluster_id}")],
    "get-job-information.md": [("GET", "/jobs/{job_id}")],
    "get-package-information.md": [("GET", "/packages/{package_id}")],
    "get-schedule-information.md": [("GET", "/schedules/{schedule_id}")],
    "list-clusters.md": [("GET", "/clusters")],
    "list-jobs.md": [("GET", "/jobs")],
    "list-packages.md": [("GET", "/packages")],
    "list-schedules.md": [("GET", "/schedules")],
    "preview-output.md": [("GET", "/jobs/{job_id}/outputs/{output_id}/preview")],
    "run-job.md": [("POST", "/jobs")],
    "terminate-cluster.md": [("DELETE", "/clusters/{cluster_id}")],
    "terminate-job.md": [("DELETE", "/jobs/{job_id}")],
    "update-cluster.md": [("PUT", "/clusters/{cluster_id}")],
    "update-schedule.md": [("PUT", "/schedules/{schedule_id}")],
    "watch-clusters-and-jobs.md": [
        ("POST", "/clusters/{cluster_id}/watchers"), ("DELETE", "/clusters/{cluster_id}/watchers"),
        ("GET", "/clusters/{cluster_id}/watchers"), ("POST", "/jobs/{job_id}/watchers"),
        ("DELETE", "/jobs/{job_id}/watchers"), ("GET", "/jobs/{job_id}/watchers"),
    ],
}
XPLENTY_NO_ENDPOINT = ["xplenty-terms.md", "xplenty-control-and-monitoring-tasks.md"]


def endpoints_by_page(spec: Spec) -> dict[str, set[tuple[str, str]]]:
    pages: dict[str, set[tuple[str, str]]] = {}
    for op in spec.operations:
        pages.setdefault(op.source.rsplit(":", 1)[0], set()).add((op.method, op.path))
    return pages


@pytest.fixture(scope="module")
def cielo24(request: pytest.FixtureRequest):
    corpus = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"shared corpus not found at {corpus}")
    return corpus, extract("cielo24", [corpus / "cielo24"], root=corpus / "cielo24")


@pytest.fixture(scope="module")
def xplenty(request: pytest.FixtureRequest):
    corpus = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"shared corpus not found at {corpus}")
    return corpus, extract("xplenty", [corpus / "xplenty-v1"], root=corpus / "xplenty-v1")


def test_cielo24_every_endpoint_page(cielo24) -> None:
    _, result = cielo24
    assert not result.errors, [str(d) for d in result.diagnostics if d.level == "error"]
    pages = endpoints_by_page(result.spec)
    for page, expected in CIELO24.items():
        assert pages.get(page) == set(expected), page
    for page in CIELO24_NO_ENDPOINT:
        assert page not in pages
        assert any(d.path == page and "documents no endpoint" in d.message for d in result.diagnostics)


def test_cielo24_cross_references_resolve(cielo24) -> None:
    _, result = cielo24
    spec = result.spec
    job_info = spec.operation("job_info")
    ok = next(r for r in job_info.responses if r.status == "200")
    assert ok.schema is not None and ok.schema.ref == "JobInfo"
    job = spec.schemas["JobInfo"]
    assert job.properties["JobStatus"].ref == "JobStatus"  # "<JobStatus Enum>"
    assert job.properties["MediaLengthSeconds"].type == "number"  # "<Float>"
    assert job.properties["CreationDate"].format == "date-time"  # "<ISO 8601 Date String>"
    assert job.properties["Options"].additional_properties is not None  # "<JobConfigOption>": "<Value>"
    assert spec.schemas["JobStatus"].enum == ["Authorizing", "Pending", "In Process", "Complete", "Media Failure", "Reviewing"]
    assert spec.schemas["Priority"].enum == ["STANDARD", "PRIORITY"]
    error = next(r for r in job_info.responses if r.status == "400")
    assert error.schema is not None and error.schema.ref == "Error"
    assert spec.schemas["Error"].properties["ErrorType"].ref == "ErrorType"
    assert "BAD_API_TOKEN" in spec.schemas["ErrorType"].enum
    fidelity = next(p for p in spec.operation("perform_transcription").parameters if p.name == "transcription_fidelity")
    assert fidelity.schema.ref == "Fidelity" and fidelity.required


def test_cielo24_servers_auth_and_conditional_parameters(cielo24) -> None:
    _, result = cielo24
    spec = result.spec
    assert [s.url for s in spec.servers][:2] == ["https://api.cielo24.com", "https://sandbox.cielo24.com"]
    assert [(s.name, s.kind, s.location) for s in spec.security_schemes] == [("api_token", "apiKey", "query")]
    assert spec.operation("login").security == []  # login is how you get the token
    from_url = spec.operation("add_media_to_job_from_url")
    from_file = spec.operation("add_media_to_job_from_local_file")
    assert any(p.name == "media_url" and p.required for p in from_url.parameters)
    assert not any(p.name == "media_url" for p in from_file.parameters)
    assert from_file.body is not None and from_file.body.media_type == "application/octet-stream"


def test_xplenty_every_endpoint_page(xplenty) -> None:
    _, result = xplenty
    assert not result.errors, [str(d) for d in result.diagnostics if d.level == "error"]
    pages = endpoints_by_page(result.spec)
    for page, expected in XPLENTY.items():
        assert set(expected) <= pages.get(f"sections/{page}", set()), page
    for page in XPLENTY_NO_ENDPOINT:
        assert f"sections/{page}" not in pages
    assert [s.url for s in result.spec.servers] == ["https://api.xplenty.com/{account_id}/api"]
    assert [s.kind for s in result.spec.security_schemes] == ["basic"]


def test_xplenty_form_body_uses_wire_names(xplenty) -> None:
    _, result = xplenty
    create = result.spec.operation("create_cluster")
    assert create.body is not None and create.body.media_type == "application/x-www-form-urlencoded"
    nodes = next(p for p in create.parameters if p.name == "cluster[nodes]")
    assert nodes.location == "body" and nodes.required and nodes.example == 4
    kind = next(p for p in create.parameters if p.name == "cluster[type]")
    assert not kind.required and kind.default == "production"


@pytest.mark.parametrize("index", range(5))
def test_job_info_history_extracts_without_errors(index: int) -> None:
    history = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "history" / "cielo24-job_info"
    if not history.is_dir():
        pytest.skip(f"history corpus not found at {history}")
    page = sorted(history.glob("*.rst"))[index]
    result = extract("cielo24", [page], root=history)
    assert not result.errors, [str(d) for d in result.diagnostics]
    (op,) = result.spec.operations
    assert (op.method, op.path) == ("GET", "/api/job/info")
    assert {p.name for p in op.parameters} >= {"job_id"}
    text = dump_yaml(result.spec)
    assert dump_yaml(load_yaml(text, page.name)) == text


def test_xplenty_readme_auth_example_is_the_list_clusters_endpoint_not_another(xplenty) -> None:
    """README.md shows authentication with ``GET …/<accountID>/clusters`` (no ``/api``);
    that is the list-clusters call documented in sections/, not an endpoint of its own."""
    _, result = xplenty
    routes = [(op.method, op.path) for op in result.spec.operations]
    assert ("GET", "/{account_id}/clusters") not in routes
    assert routes.count(("GET", "/clusters")) == 1
    assert result.spec.operation("list_clusters").source.startswith("sections/list-clusters.md:")
    assert "security" not in [op.name for op in result.spec.operations]


def test_a_partial_server_prefix_never_merges_a_resource_path() -> None:
    """Only a variable of the prefix (``{account_id}``) may be skipped as a partial
    prefix, and only onto an endpoint that exists: ``/users/{id}`` stays itself, and
    since its full URL leaves the prefix, no path is cut (the server is the host)."""
    from generator.document import Document
    from generator.readers import parse_text

    pages = {
        "a.md": "# Get thing\n\n```\ncurl https://api.example.com/{account}/api/{id}\n```\n",
        "c.md": "# Other\n\n```\ncurl https://api.example.com/users/{id}\n```\n",
    }
    from generator.extract import extract_provider

    documents: list[Document] = [parse_text(text, name) for name, text in pages.items()]
    spec, _ = extract_provider("demo", documents)
    assert sorted(op.path for op in spec.operations) == ["/users/{id}", "/{account}/api/{id}"]
    assert [s.url for s in spec.servers] in ([], ["https://api.example.com"])
