"""Export to OpenAPI 3.1: valid documents a third-party generator accepts, the mapping
decisions, and deterministic output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from generator.openapi import dump_openapi, to_openapi
from generator.spec import (
    Body,
    Operation,
    Parameter,
    Response,
    Schema,
    Spec,
    SpecError,
    load_yaml,
)
from generator.spec_yaml import dump_yaml

FIXTURE_DIR = Path(__file__).parent / "fixtures" / "openapi"
FIXTURES = sorted(FIXTURE_DIR.glob("*.yaml"))
VENV_BIN = Path(sys.executable).parent


def load(name: str) -> Spec:
    path = FIXTURE_DIR / f"{name}.yaml"
    return load_yaml(path.read_text("utf-8"), str(path))


def walk(node: Any, in_properties: bool = False) -> Iterator[tuple[str, Any]]:
    """Every (key, value) of the document, skipping property *names*."""
    if isinstance(node, dict):
        for key, value in node.items():
            if not in_properties:
                yield key, value
            yield from walk(
                value, in_properties=key == "properties" and not in_properties
            )
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_is_a_valid_spec_and_exports_valid_openapi_31(path: Path) -> None:
    spec = load_yaml(path.read_text("utf-8"), str(path))
    doc = to_openapi(spec)
    assert doc["openapi"] == "3.1.0"
    validate(doc, cls=OpenAPIV31SpecValidator)
    keys = {key for key, _ in walk(doc)}
    assert (
        "nullable" not in keys
        and "source" not in keys
        and "example" not in _schema_keys(doc)
    )


def _schema_keys(doc: dict[str, Any]) -> set[str]:
    return {key for key, _ in walk(doc.get("components", {}).get("schemas", {}))}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_openapi_python_client_generates_every_operation(
    path: Path, tmp_path: Path
) -> None:
    spec = load_yaml(path.read_text("utf-8"), str(path))
    assert_peer_generates(spec, tmp_path)


SEED_DOCS = {
    "cielo24": "cielo24/2015-09-08/job_info.rst",
    "cielo24_2014": "cielo24/2014-08-05/job_info.rst",
    "xplenty": "xplenty/get-job-information.md",
    "textking": "textking/get-job.txt",
    "cloudfoundry": "cloudfoundry/retrieve-job.rst",
}


@pytest.mark.parametrize("provider", sorted(SEED_DOCS))
def test_seed_specs_export_valid_openapi_the_peer_accepts(provider: str, tmp_path: Path) -> None:
    """The extracted seed specs (not hand-written fixtures) through the CLI's export."""
    from generator.pipeline import extract

    from conftest import REPO, SEEDS

    result = extract(provider, [SEEDS / SEED_DOCS[provider]], root=REPO)
    spec = load_yaml(dump_yaml(result.spec), provider)
    validate(to_openapi(spec))
    assert_peer_generates(spec, tmp_path)


def assert_peer_generates(spec: Spec, tmp_path: Path) -> None:
    document = tmp_path / "openapi.json"
    document.write_text(dump_openapi(spec), "utf-8")
    package = tmp_path / "client"
    env = {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "NO_COLOR": "1",
    }
    result = subprocess.run(
        [
            str(VENV_BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(document),
            "--output-path",
            str(package),
            "--meta",
            "none",
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert (
        "Warning" not in output and "WARNING" not in output and "Error" not in output
    ), output
    modules = {p.stem for p in (package / "api").rglob("*.py") if p.stem != "__init__"}
    assert modules == {op.name for op in spec.operations}, output


def test_dump_is_deterministic_across_runs_and_hash_seeds() -> None:
    dumps = {p.stem: dump_openapi(load(p.stem)) for p in FIXTURES}
    assert dumps == {p.stem: dump_openapi(load(p.stem)) for p in FIXTURES}
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from generator.openapi import dump_openapi\n"
        "from generator.spec import load_yaml\n"
        "out = {}\n"
        "for p in sorted(Path(sys.argv[1]).glob('*.yaml')):\n"
        "    out[p.stem] = dump_openapi(load_yaml(p.read_text('utf-8'), str(p)))\n"
        "print(json.dumps(out))\n"
    )
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", script, str(FIXTURE_DIR)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=60,
        )
        assert json.loads(result.stdout) == dumps


def test_dump_is_indented_json_with_trailing_newline() -> None:
    spec = load("cielo24")
    text = dump_openapi(spec)
    assert text.endswith("}\n") and text.startswith('{\n  "openapi": "3.1.0",')
    assert json.loads(text) == to_openapi(spec)


def test_info_title_version_and_provider() -> None:
    spec = load("cielo24")
    info = to_openapi(spec)["info"]
    assert info["title"] == "cielo24 API"
    assert info["x-docs2client-provider"] == "cielo24"
    assert info["x-docs2client-sources"] == ["seeds/cielo24/2015-09-08/job_info.rst"]
    assert (
        info["version"].startswith("0+")
        and info["version"] == to_openapi(load("cielo24"))["info"]["version"]
    )
    spec.operations[0].summary = "Changed"
    assert to_openapi(spec)["info"]["version"] != info["version"]
    assert to_openapi(Spec(provider="bare"))["info"]["title"] == "bare"


def test_security_schemes_map_to_openapi_types() -> None:
    schemes = {
        name: to_openapi(load(name))["components"]["securitySchemes"]
        for name in ("cielo24", "xplenty", "textking", "clusters")
    }
    assert schemes["cielo24"]["api_token"] == {
        "type": "apiKey",
        "in": "query",
        "name": "api_token",
        "description": "The API token used for this session",
        "x-source": "seeds/cielo24/2015-09-08/job_info.rst:21",
    }
    assert schemes["xplenty"]["api_key"]["type"] == "http"
    assert schemes["xplenty"]["api_key"]["scheme"] == "basic"
    assert (
        schemes["textking"]["oauth2"]["type"],
        schemes["textking"]["oauth2"]["scheme"],
    ) == ("http", "bearer")
    assert schemes["clusters"]["api_key"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Api-Key",
    }


def test_security_requirements_top_level_and_per_operation() -> None:
    assert to_openapi(load("cielo24"))["security"] == [{"api_token": []}]
    cloudfoundry = to_openapi(load("cloudfoundry"))
    assert "security" not in cloudfoundry and "securitySchemes" not in cloudfoundry.get(
        "components", {}
    )
    assert cloudfoundry["paths"]["/v2/jobs/{guid}"]["get"]["security"] == []
    assert (
        "security" not in to_openapi(load("cielo24"))["paths"]["/api/job/info"]["get"]
    )


def test_server_variables_have_default_and_description_and_no_enum() -> None:
    xplenty = to_openapi(load("xplenty"))["servers"]
    assert xplenty == [
        {
            "url": "https://api.xplenty.com/{account_id}/api",
            "variables": {
                "account_id": {
                    "default": "xplentation",
                    "description": "Your account ID",
                }
            },
            "x-source": "seeds/xplenty/get-job-information.md:42",
        }
    ]
    cloudfoundry = to_openapi(load("cloudfoundry"))["servers"][0]
    assert cloudfoundry["url"] == "https://api.{domain}"
    assert cloudfoundry["variables"] == {
        "domain": {"default": "example.org", "description": "Your Cloud Foundry domain"}
    }


def test_refs_point_at_components() -> None:
    doc = to_openapi(load("cielo24"))
    get = doc["paths"]["/api/job/info"]["get"]
    assert get["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/JobInfo"
    }
    assert get["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorFormat"
    }
    job_info = doc["components"]["schemas"]["JobInfo"]
    assert job_info["properties"]["JobStatus"] == {
        "$ref": "#/components/schemas/JobStatus"
    }
    assert doc["components"]["schemas"]["JobStatus"]["enum"][0] == "Authorizing"
    assert "#/schemas/" not in dump_openapi(load("cielo24"))


def test_nullable_becomes_31_type_lists_and_any_of() -> None:
    job = to_openapi(load("xplenty"))["components"]["schemas"]["Job"]["properties"]
    assert job["failed_at"]["type"] == ["string", "null"]
    assert job["failed_at"]["format"] == "date-time"
    cluster = to_openapi(load("clusters"))["components"]["schemas"]["Cluster"][
        "properties"
    ]
    assert cluster["last_job"] == {
        "anyOf": [{"$ref": "#/components/schemas/JobSummary"}, {"type": "null"}],
        "description": "The last job run on the cluster, if any.",
    }
    assert cluster["type"] == {
        "anyOf": [
            {"type": "string", "enum": ["production", "sandbox"]},
            {"type": "null"},
        ]
    }


def test_parameters_enums_examples_and_ignored_headers() -> None:
    params = to_openapi(load("cielo24"))["paths"]["/api/job/info"]["get"]["parameters"]
    assert params[0] == {
        "name": "v",
        "in": "query",
        "required": True,
        "description": "The version of the API to use",
        "schema": {"type": "integer", "enum": [1]},
        "example": 1,
        "x-source": "seeds/cielo24/2015-09-08/job_info.rst:15",
    }
    assert [p["name"] for p in params] == [
        "v",
        "job_id",
    ]  # the api_token is the security scheme
    textking = to_openapi(load("textking"))["paths"][
        "/project/{project_id}/job/{job_id}"
    ]["get"]
    assert [p["name"] for p in textking["parameters"]] == [
        "project_id",
        "job_id",
    ]  # no Authorization


def test_path_parameters_are_required_and_template_variables_always_declared() -> None:
    spec = Spec(
        provider="demo",
        operations=[
            Operation(
                "get_item",
                "GET",
                "/groups/{group}/items/{item_id}",
                parameters=[
                    Parameter(
                        "item_id", "path", required=False, schema=Schema(type="integer")
                    )
                ],
            )
        ],
    )
    doc = to_openapi(spec)
    validate(doc, cls=OpenAPIV31SpecValidator)
    params = doc["paths"]["/groups/{group}/items/{item_id}"]["get"]["parameters"]
    assert {p["name"]: p["required"] for p in params} == {
        "item_id": True,
        "group": True,
    }
    assert doc["paths"]["/groups/{group}/items/{item_id}"]["get"]["responses"] == {
        "default": {"description": "Response not documented"}
    }
    for path in FIXTURES:
        for key, value in walk(to_openapi(load(path.stem))):
            if key == "parameters":
                assert all(p["required"] for p in value if p["in"] == "path")


def test_x_source_provenance_everywhere_it_is_known() -> None:
    doc = to_openapi(load("cielo24"))
    get = doc["paths"]["/api/job/info"]["get"]
    origin = "seeds/cielo24/2015-09-08/job_info.rst"
    assert get["x-source"] == f"{origin}:8"
    assert get["parameters"][1]["x-source"] == f"{origin}:27"
    assert get["responses"]["400"]["x-source"] == f"{origin}:50"
    assert doc["components"]["schemas"]["JobInfo"]["x-source"] == f"{origin}:79"
    assert doc["servers"][0]["x-source"] == f"{origin}:71"
    body = to_openapi(load("clusters"))["paths"]["/clusters"]["post"]["requestBody"]
    assert body["x-source"] == "docs/create-cluster.md:18"
    assert (
        body["content"]["application/x-www-form-urlencoded"]["schema"]["properties"][
            "cluster[nodes]"
        ]["x-source"]
        == "docs/create-cluster.md:20"
    )


def test_examples_in_schemas_and_media_types() -> None:
    doc = to_openapi(load("cielo24"))
    assert doc["components"]["schemas"]["JobInfo"]["properties"]["MediaLengthSeconds"][
        "examples"
    ] == [607.81]
    media = doc["paths"]["/api/job/info"]["get"]["responses"]["400"]["content"][
        "application/json"
    ]
    assert media["example"] == {
        "ErrorType": "ERROR_TYPE_ENUM",
        "ErrorComment": "Description of error details.",
    }


def test_responses_descriptions_and_media_types() -> None:
    textking = to_openapi(load("textking"))["paths"][
        "/project/{project_id}/job/{job_id}"
    ]["get"]["responses"]
    assert textking["404"] == {
        "description": "The job or project with the given ID does not exist.",
        "x-source": "seeds/textking/get-job.txt:29",
    }
    xplenty = to_openapi(load("xplenty"))["paths"]["/jobs/{job_id}"]["get"]["responses"]
    assert xplenty["200"]["description"] == "OK"
    assert list(xplenty["200"]["content"]) == [
        "application/vnd.xplenty+json"
    ]  # the documented Accept
    clusters = to_openapi(load("clusters"))["paths"]
    assert (
        clusters["/clusters/{cluster_id}"]["delete"]["responses"]["404"]["description"]
        == "Not Found"
    )
    assert (
        "content"
        not in clusters["/clusters/{cluster_id}"]["delete"]["responses"]["404"]
    )
    assert list(clusters["/clusters"]["post"]["responses"]["201"]["content"]) == [
        "application/json"
    ]
    cloudfoundry = to_openapi(load("cloudfoundry"))["paths"]["/v2/jobs/{guid}"]["get"][
        "responses"
    ]
    assert list(cloudfoundry["200"]["content"]) == ["application/json;charset=utf-8"]


def test_accept_gives_success_responses_a_media_type_even_without_schema() -> None:
    spec = Spec(
        provider="demo",
        operations=[
            Operation(
                "get_doc",
                "GET",
                "/doc",
                accept="application/xml",
                responses=[Response("200"), Response("404")],
            )
        ],
    )
    responses = to_openapi(spec)["paths"]["/doc"]["get"]["responses"]
    assert responses == {
        "200": {"description": "OK", "content": {"application/xml": {}}},
        "404": {"description": "Not Found"},
    }


def test_form_encoded_body_keeps_wire_names_and_required_fields() -> None:
    post = to_openapi(load("clusters"))["paths"]["/clusters"]["post"]
    body = post["requestBody"]
    assert body["required"] is True
    schema = body["content"]["application/x-www-form-urlencoded"]["schema"]
    assert schema["type"] == "object"
    assert list(schema["properties"]) == [
        "cluster[nodes]",
        "cluster[type]",
        "cluster[name]",
    ]
    assert schema["required"] == ["cluster[nodes]"]
    assert schema["properties"]["cluster[nodes]"]["examples"] == [2]
    assert schema["properties"]["cluster[type]"]["default"] == "production"
    assert [p["name"] for p in post["parameters"]] == [
        "X-Request-Id"
    ]  # body fields are not parameters


def test_json_and_binary_bodies() -> None:
    paths = to_openapi(load("clusters"))["paths"]
    tags = paths["/clusters/{cluster_id}/tags"]["post"]["requestBody"]
    assert tags["content"]["application/json"] == {
        "schema": {
            "type": "object",
            "properties": {"tags": {"type": "array", "items": {"type": "string"}}},
            "required": ["tags"],
        },
        "example": {"tags": ["nightly"]},
    }
    upload = paths["/clusters/{cluster_id}/bootstrap"]["put"]["requestBody"]
    assert upload == {
        "description": "The bootstrap script.",
        "content": {
            "application/octet-stream": {
                "schema": {
                    "type": "string",
                    "format": "binary",
                    "contentMediaType": "application/octet-stream",
                }
            }
        },
        "required": True,
    }
    assert "delete" in paths["/clusters/{cluster_id}"]


def _one_op_spec(**changes: Any) -> Spec:
    op = Operation(
        "get_a", "GET", "/a/{a_id}", parameters=[Parameter("a_id", "path", True)]
    )
    spec = Spec(provider="demo", operations=[op])
    for key, value in changes.items():
        setattr(spec, key, value)
    return spec


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        (
            _one_op_spec(schemas={"A": Schema(ref="Missing", source="x.md:9")}),
            "x.md:9: error: $ref to undefined schema 'Missing'",
        ),
        (
            _one_op_spec(schemas={"Bad Name": Schema(type="object")}),
            "'Bad Name' is not a valid OpenAPI component",
        ),
        (_one_op_spec(security=["nowhere"]), "undefined security scheme 'nowhere'"),
        (
            _one_op_spec(
                operations=[
                    Operation(
                        "a", "GET", "/a", parameters=[Parameter("x", "path", True)]
                    )
                ]
            ),
            "path parameter 'x' is not a variable of the path /a",
        ),
        (
            _one_op_spec(
                operations=[
                    Operation(
                        "a",
                        "PUT",
                        "/a",
                        body=Body("application/octet-stream"),
                        parameters=[Parameter("f", "body")],
                    )
                ]
            ),
            "cannot be sent as application/octet-stream",
        ),
    ],
    ids=[
        "dangling-ref",
        "bad-schema-name",
        "unknown-scheme",
        "stray-path-param",
        "fields-in-binary-body",
    ],
)
def test_specs_openapi_cannot_represent_are_refused(spec: Spec, fragment: str) -> None:
    with pytest.raises(SpecError) as info:
        to_openapi(spec)
    assert fragment in str(info.value)


def test_documented_variants_of_one_method_and_path_export_as_one_operation() -> None:
    """OpenAPI allows one operation per method and path; os-api-ref documents each
    server action as its own POST /servers/{id}/action.  The export keeps every
    variant: its body as one of a oneOf, its parameters, its responses."""
    reboot = Operation(
        "reboot", "POST", "/servers/{id}/action", summary="Reboot.",
        parameters=[Parameter("id", "path", True), Parameter("reboot", "body", True), Parameter("X-Trace", "header", True)],
        responses=[Response("202")],
    )
    resize = Operation(
        "resize", "POST", "/servers/{id}/action", summary="Resize.",
        parameters=[Parameter("id", "path", True), Parameter("resize", "body", True)],
        responses=[Response("202"), Response("409", description="Conflict")],
    )
    document = to_openapi(_one_op_spec(operations=[reboot, resize]))
    validate(document)
    exported = document["paths"]["/servers/{id}/action"]["post"]
    assert exported["operationId"] == "reboot"
    assert exported["x-docs2client-variants"] == ["reboot", "resize"]
    bodies = exported["requestBody"]["content"]["application/json"]["schema"]["oneOf"]
    assert [(b["title"], sorted(b["properties"])) for b in bodies] == [("reboot", ["reboot"]), ("resize", ["resize"])]
    by_name = {p["name"]: p["required"] for p in exported["parameters"]}
    assert by_name == {"id": True, "X-Trace": False}  # a header only one variant sends is optional
    assert sorted(exported["responses"]) == ["202", "409"]
