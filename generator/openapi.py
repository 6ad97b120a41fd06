"""Export a spec as an OpenAPI 3.1.0 document.

``to_openapi`` maps the spec model onto OpenAPI without inventing anything the docs
did not say, except where OpenAPI requires a value:

- a response without a description gets the HTTP reason phrase;
- a path variable in the template without a declared parameter becomes a required
  string path parameter; an operation without responses gets ``default``;
- ``Accept``, ``Content-Type`` and ``Authorization`` header parameters are dropped
  (OpenAPI ignores them; they are expressed by content types and security schemes).

Provenance (``source``) becomes ``x-source`` on schemas, operations, parameters,
request bodies, responses, security schemes and servers.  A spec that OpenAPI cannot
represent (two operations on one method and path, a ``$ref`` to a schema that does
not exist, a name OpenAPI does not allow) raises ``SpecError`` naming where it came
from; the export never writes an invalid document.

``dump_openapi`` writes it as JSON: indent 2, stable key order, trailing newline.
"""

from __future__ import annotations

import hashlib
import http
import json
import re
from typing import Any

from generator.spec import (
    Body,
    Operation,
    Parameter,
    Response,
    Schema,
    SecurityScheme,
    Server,
    Spec,
    SpecError,
)

OPENAPI_VERSION = "3.1.0"

_COMPONENT_NAME = re.compile(r"[a-zA-Z0-9._-]+")
_PATH_VARIABLE = re.compile(r"\{([^{}]+)\}")
# OpenAPI: header parameters with these names "SHALL be ignored".
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
_FORM_MEDIA_TYPES = frozenset(
    {"application/x-www-form-urlencoded", "multipart/form-data"}
)


def dump_openapi(spec: Spec) -> str:
    """The OpenAPI document as JSON text: indent 2, stable order, trailing newline."""
    return (
        json.dumps(to_openapi(spec), indent=2, ensure_ascii=False, allow_nan=False)
        + "\n"
    )


def to_openapi(spec: Spec) -> dict[str, Any]:
    """The spec as an OpenAPI 3.1.0 document; ``SpecError`` if OpenAPI cannot say it."""
    _check_refs(spec)
    doc: dict[str, Any] = {"openapi": OPENAPI_VERSION, "info": _info(spec)}
    if spec.servers:
        doc["servers"] = [_server(s) for s in spec.servers]
    scheme_names = [s.name for s in spec.security_schemes]
    if spec.security:
        _check_security(spec.security, scheme_names, spec.provider)
        doc["security"] = _security_requirements(spec.security)
    doc["paths"] = _paths(spec, scheme_names)
    components: dict[str, Any] = {}
    if spec.schemas:
        for name in spec.schemas:
            _check_component_name(
                name, "schema", spec.schemas[name].source or spec.provider
            )
        components["schemas"] = {
            name: _schema(spec.schemas[name]) for name in sorted(spec.schemas)
        }
    if spec.security_schemes:
        components["securitySchemes"] = {}
        for scheme in spec.security_schemes:
            _check_component_name(
                scheme.name, "security scheme", scheme.source or spec.provider
            )
            components["securitySchemes"][scheme.name] = _security_scheme(scheme)
    if components:
        doc["components"] = components
    return doc


def spec_version(spec: Spec) -> str:
    """``0+`` and a short hash of the spec's content: changes exactly when the spec does."""
    canonical = json.dumps(
        spec.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return "0+" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def _info(spec: Spec) -> dict[str, Any]:
    info: dict[str, Any] = {
        "title": spec.title or spec.provider,
        "version": spec_version(spec),
    }
    info["x-docs2client-provider"] = spec.provider
    if spec.sources:
        info["x-docs2client-sources"] = list(spec.sources)
    return info


def _server(server: Server) -> dict[str, Any]:
    out: dict[str, Any] = {"url": server.url}
    if server.description:
        out["description"] = server.description
    if server.variables:
        out["variables"] = {}
        for var in server.variables:
            entry: dict[str, Any] = {"default": var.default}
            if var.description:
                entry["description"] = var.description
            out["variables"][var.name] = entry
    _add_source(out, server.source)
    return out


def _security_scheme(scheme: SecurityScheme) -> dict[str, Any]:
    out: dict[str, Any]
    if scheme.kind == "apiKey":
        out = {"type": "apiKey", "in": scheme.location, "name": scheme.param}
    elif scheme.kind in ("basic", "bearer"):
        out = {"type": "http", "scheme": scheme.kind}
    else:
        raise SpecError(
            f"{scheme.source or scheme.name}: error: unknown security scheme kind {scheme.kind!r}"
        )
    if scheme.description:
        out["description"] = scheme.description
    _add_source(out, scheme.source)
    return out


def _security_requirements(names: list[str]) -> list[dict[str, list[str]]]:
    # The spec lists the schemes an operation accepts; each is an alternative.
    return [{name: []} for name in names]


def _check_security(names: list[str], known: list[str], origin: str) -> None:
    for name in names:
        if name not in known:
            raise SpecError(
                f"{origin}: error: security refers to undefined security scheme {name!r}"
            )


def _paths(spec: Spec, scheme_names: list[str]) -> dict[str, Any]:
    groups: dict[tuple[str, str], list[Operation]] = {}
    for op in spec.operations:
        if op.security:
            _check_security(op.security, scheme_names, _origin(op, spec))
        groups.setdefault((op.path, op.method.lower()), []).append(op)
    paths: dict[str, dict[str, Any]] = {}
    for (path, method), ops in groups.items():
        exported = _operation(ops[0], spec) if len(ops) == 1 else _variants(ops, spec)
        paths.setdefault(path, {})[method] = exported
    return paths


def _variants(ops: list[Operation], spec: Spec) -> dict[str, Any]:
    """Operations that share a method and path (documented variants, such as the
    actions of ``POST /servers/{id}/action``) as the one operation OpenAPI allows:
    the first one's id, a request body that is one of the variants' bodies, the
    parameters of all (required where every variant requires them), the responses of
    all (first variant first), and ``x-docs2client-variants`` naming them."""
    out = _operation(ops[0], spec)
    out["x-docs2client-variants"] = [op.name for op in ops]
    lines = [f"- {op.name}: {op.summary}" if op.summary else f"- {op.name}" for op in ops]
    out["description"] = "One of these documented variants:\n\n" + "\n".join(lines)
    out.pop("summary", None)
    parameters: dict[tuple[str, str], dict[str, Any]] = {}
    counts: dict[tuple[str, str], int] = {}
    for op in ops:
        for param in _parameters(op, spec):
            key = (param["in"], param["name"].lower() if param["in"] == "header" else param["name"])
            counts[key] = counts.get(key, 0) + 1
            parameters.setdefault(key, dict(param))
    for key, param in parameters.items():
        param["required"] = param["in"] == "path" or (param["required"] and counts[key] == len(ops))
    if parameters:
        out["parameters"] = list(parameters.values())
    content: dict[str, Any] = {}
    required = True
    for op in ops:
        body = _request_body(op, spec)
        if body is None:
            required = False
            continue
        required = required and bool(body.get("required"))
        for media_type, media in body["content"].items():
            schema = {**media.get("schema", {}), "title": op.name}
            content.setdefault(media_type, {"schema": {"oneOf": []}})["schema"]["oneOf"].append(schema)
    out.pop("requestBody", None)
    if content:
        out["requestBody"] = {"content": content, "required": required}
    responses: dict[str, Any] = {}
    for op in ops:
        for status, entry in _responses(op).items():
            responses.setdefault(status, entry)
    out["responses"] = responses
    if "x-source" in out:
        out["x-source"] = out.pop("x-source")
    return out


def _origin(op: Operation, spec: Spec) -> str:
    return op.source or f"{spec.provider}:{op.name}"


def _operation(op: Operation, spec: Spec) -> dict[str, Any]:
    out: dict[str, Any] = {"operationId": op.name}
    if op.section:
        out["tags"] = [op.section]  # the docs' grouping heading, as OpenAPI groups operations
    if op.summary:
        out["summary"] = op.summary
    if op.description:
        out["description"] = op.description
    parameters = _parameters(op, spec)
    if parameters:
        out["parameters"] = parameters
    body = _request_body(op, spec)
    if body is not None:
        out["requestBody"] = body
    out["responses"] = _responses(op)
    if op.security is not None:
        out["security"] = _security_requirements(op.security)
    _add_source(out, op.source)
    return out


def _parameters(op: Operation, spec: Spec) -> list[dict[str, Any]]:
    template = _PATH_VARIABLE.findall(op.path)
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for param in op.parameters:
        if param.location == "body":
            continue
        if param.location == "header" and param.name.lower() in _IGNORED_HEADERS:
            continue
        key = (
            param.name if param.location != "header" else param.name.lower(),
            param.location,
        )
        if key in seen:
            raise SpecError(
                f"{param.source or _origin(op, spec)}: error: {op.name}: {param.location} parameter "
                f"{param.name!r} is declared twice"
            )
        seen.add(key)
        if param.location == "path" and param.name not in template:
            raise SpecError(
                f"{param.source or _origin(op, spec)}: error: {op.name}: path parameter {param.name!r} "
                f"is not a variable of the path {op.path}"
            )
        out.append(_parameter(param))
    for name in template:
        if (name, "path") not in seen:
            seen.add((name, "path"))
            out.append(
                {
                    "name": name,
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                }
            )
    return out


def _parameter(param: Parameter) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": param.name,
        "in": param.location,
        "required": param.required or param.location == "path",
    }
    if param.description:
        out["description"] = param.description
    schema = _schema(param.schema)
    if param.default is not None:
        schema["default"] = param.default
    out["schema"] = schema
    if param.example is not None:
        out["example"] = param.example
    _add_source(out, param.source)
    return out


def _request_body(op: Operation, spec: Spec) -> dict[str, Any] | None:
    fields = [p for p in op.parameters if p.location == "body"]
    if op.body is None and not fields:
        return None
    # Body fields without a Body: the docs named fields but not their encoding.
    body = op.body or Body(media_type="application/json")
    kind = _media_kind(body.media_type)
    if fields and kind not in ("json", "form"):
        raise SpecError(
            f"{body.source or _origin(op, spec)}: error: {op.name}: body parameters "
            f"{', '.join(p.name for p in fields)} cannot be sent as {body.media_type}"
        )
    media: dict[str, Any] = {"schema": _body_schema(kind, body.media_type, fields)}
    if body.example is not None:
        media["example"] = body.example
    out: dict[str, Any] = {}
    if body.description:
        out["description"] = body.description
    out["content"] = {body.media_type: media}
    out["required"] = body.required or any(p.required for p in fields)
    _add_source(out, body.source)
    return out


def _media_kind(media_type: str) -> str:
    base = media_type.split(";", 1)[0].strip().lower()
    if base == "application/json" or base.endswith("+json"):
        return "json"
    if base in _FORM_MEDIA_TYPES:
        return "form"
    if base.startswith("text/"):
        return "text"
    return "binary"


def _body_schema(kind: str, media_type: str, fields: list[Parameter]) -> dict[str, Any]:
    if kind == "text":
        return {"type": "string"}
    if kind == "binary":
        return {"type": "string", "format": "binary", "contentMediaType": media_type}
    if not fields and kind == "json":
        return {}  # any JSON value: the docs did not say more
    schema: dict[str, Any] = {"type": "object"}
    if fields:
        schema["properties"] = {p.name: _body_field(p) for p in fields}
    required = [p.name for p in fields if p.required]
    if required:
        schema["required"] = required
    return schema


def _body_field(param: Parameter) -> dict[str, Any]:
    schema = _schema(param.schema)
    if param.description and "description" not in schema:
        schema["description"] = param.description
    if param.default is not None:
        schema["default"] = param.default
    if param.example is not None and "examples" not in schema:
        schema["examples"] = [param.example]
    if param.source:
        schema["x-source"] = param.source
    return schema


def _responses(op: Operation) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for response in op.responses:
        entry = out.setdefault(response.status, _response_head(response))
        content = _response_content(response, op.accept)
        if content is not None:
            media_type, media = content
            entry.setdefault("content", {}).setdefault(media_type, media)
    for entry in out.values():
        if "x-source" in entry:
            entry["x-source"] = entry.pop("x-source")  # after the content, as elsewhere
    if not out:
        out["default"] = {"description": "Response not documented"}
    return out


def _response_head(response: Response) -> dict[str, Any]:
    out: dict[str, Any] = {
        "description": response.description or _reason(response.status)
    }
    _add_source(out, response.source)
    return out


def _response_content(
    response: Response, accept: str
) -> tuple[str, dict[str, Any]] | None:
    has_payload = response.schema is not None or response.example is not None
    if response.media_type:
        media_type = response.media_type
    elif has_payload:
        media_type = accept or "application/json"
    elif accept and response.is_success:
        media_type = accept  # the documented Accept is what a success returns
    else:
        return None
    media: dict[str, Any] = {}
    if response.schema is not None:
        media["schema"] = _schema(response.schema)
    if response.example is not None:
        media["example"] = response.example
    return media_type, media


def _reason(status: str) -> str:
    if status == "default":
        return "Default response"
    try:
        return http.HTTPStatus(int(status)).phrase
    except ValueError:
        return f"Status {status}"


def _schema(schema: Schema) -> dict[str, Any]:
    """One spec schema as an OpenAPI 3.1 (JSON Schema 2020-12) schema.

    ``nullable`` becomes ``type: [T, "null"]``; a nullable ``$ref`` or enum becomes
    ``anyOf: [<it>, {type: "null"}]`` (an enum must list ``null`` to accept it, and
    generators handle the ``anyOf`` form best)."""
    core: dict[str, Any] = {}
    if schema.ref:
        core["$ref"] = f"#/components/schemas/{schema.ref}"
    if schema.type:
        core["type"] = schema.type
    if schema.format:
        core["format"] = schema.format
    if schema.enum:
        core["enum"] = list(schema.enum)
    out: dict[str, Any]
    if schema.nullable and ("$ref" in core or "enum" in core):
        out = {"anyOf": [core, {"type": "null"}]}
    else:
        out = core
        if schema.nullable and schema.type:
            out["type"] = [schema.type, "null"]
    if schema.description:
        out["description"] = schema.description
    if schema.properties:
        out["properties"] = {
            name: _schema(prop) for name, prop in schema.properties.items()
        }
    if schema.required:
        out["required"] = list(schema.required)
    if schema.items is not None:
        out["items"] = _schema(schema.items)
    if schema.additional_properties is not None:
        out["additionalProperties"] = _schema(schema.additional_properties)
    if schema.example is not None:
        out["examples"] = [schema.example]
    _add_source(out, schema.source)
    return out


def _add_source(out: dict[str, Any], source: str) -> None:
    if source:
        out["x-source"] = source


def _check_component_name(name: str, what: str, origin: str) -> None:
    if not _COMPONENT_NAME.fullmatch(name):
        raise SpecError(
            f"{origin}: error: {what} name {name!r} is not a valid OpenAPI component name"
        )


def _check_refs(spec: Spec) -> None:
    """Every ``$ref`` names a schema of the spec (OpenAPI has no dangling references)."""
    roots: list[tuple[Schema, str]] = [
        (s, s.source or spec.provider) for s in spec.schemas.values()
    ]
    for op in spec.operations:
        origin = _origin(op, spec)
        roots += [(p.schema, p.source or origin) for p in op.parameters]
        roots += [
            (r.schema, r.source or origin) for r in op.responses if r.schema is not None
        ]
    while roots:
        schema, origin = roots.pop(0)
        origin = schema.source or origin
        if schema.ref and schema.ref not in spec.schemas:
            raise SpecError(f"{origin}: error: $ref to undefined schema {schema.ref!r}")
        children = [
            *schema.properties.values(),
            schema.items,
            schema.additional_properties,
        ]
        roots += [(child, origin) for child in children if child is not None]
