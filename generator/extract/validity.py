"""The invariant: what extraction hands on, docs2client can load and export.

Every operation is checked as the provider's spec is assembled, against the spec
format (``spec.schema.json``) and the rules the OpenAPI export relies on: a path
that is a template of ``{identifier}`` variables, path parameters that are variables
of the path, one parameter per location and name, body fields only on a JSON or form
body, known security schemes and schema references.  What can be kept is repaired
with a warning (duplicate parameter rows merge, keeping ``required`` if either row
says so); what would break the spec is dropped with an ``error:`` naming its
``file:line``, and everything else of the provider is kept.
"""

from __future__ import annotations

import re
from typing import Any

from generator.document import Diagnostic
from generator.extract.endpoints import path_variables
from generator.extract.http_examples import METHODS
from generator.spec import Operation, Parameter, Schema, Spec

_ANY_VARIABLE_NAME = re.compile(r"\{([^{}]*)\}")  # empty names too: "{}" is refused, not skipped
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
_BODY_KINDS = re.compile(r"^(application/(x-www-form-urlencoded|json)|multipart/form-data|[\w.+-]+/[\w.+-]*\+json)\b", re.I)


def enforce(spec: Spec, diagnostics: list[Diagnostic]) -> None:
    schemes = {s.name for s in spec.security_schemes}
    spec.security = [name for name in spec.security if name in schemes]
    kept: list[Operation] = []
    for op in spec.operations:
        problem = _path_problem(op.path)
        if problem:
            diagnostics.append(Diagnostic.at("error", op.source, f"{op.method} {op.path}: {problem}; the operation is dropped"))
            continue
        _merge_duplicates(op, diagnostics)
        _drop_stray_path_parameters(op, diagnostics)
        _drop_unsendable_body_fields(op, diagnostics)
        if op.security:
            unknown = [name for name in op.security if name not in schemes]
            if unknown:
                op.security = [name for name in op.security if name in schemes]
        for param in op.parameters:
            _fit_values(param, spec)
        errors = _format_errors(op, spec, diagnostics)
        if errors:
            diagnostics.append(Diagnostic.at("error", op.source, f"{op.method} {op.path}: {errors[0]}, which the spec format does not allow; the operation is dropped"))
            continue
        kept.append(op)
    spec.operations = kept
    for schema in spec.schemas.values():  # named schemas: every dangling reference is repaired
        stack, seen = [schema], set()
        while stack:
            node = stack.pop()
            if id(node) not in seen:
                seen.add(id(node))
                _repair_reference(node, spec, diagnostics)
                stack.extend(node.children())


def _path_problem(path: str) -> str:
    if not path.startswith("/") or re.search(r"[?#\s]", path):
        return "the path is not a URL path"
    stripped = _ANY_VARIABLE_NAME.sub("", path)
    if "{" in stripped or "}" in stripped:
        return "the path has unbalanced or nested braces (a template of another tool?)"
    names = _ANY_VARIABLE_NAME.findall(path)
    bad = [n for n in names if not _IDENTIFIER.fullmatch(n)]
    if bad:
        return f"path variable {{{bad[0]}}} is not a name"
    if len(set(names)) != len(names):
        return "a path variable appears twice"
    return ""


def _key(param: Parameter) -> tuple[str, str]:
    return param.location, param.name.lower() if param.location == "header" else param.name


def _merge_duplicates(op: Operation, diagnostics: list[Diagnostic]) -> None:
    """Two rows for one parameter (``limit`` listed twice, once required): one
    parameter, required if either row says so, described by both."""
    seen: dict[tuple[str, str], Parameter] = {}
    kept: list[Parameter] = []
    for param in op.parameters:
        key = _key(param)
        first = seen.get(key)
        if first is None:
            seen[key] = param
            kept.append(param)
            continue
        first.required = first.required or param.required
        if param.description and param.description not in first.description:
            first.description = f"{first.description} {param.description}".strip()
        if first.schema.type is None and param.schema.type is not None:
            first.schema = param.schema
        for field in ("default", "example"):
            if getattr(first, field) is None:
                setattr(first, field, getattr(param, field))
        diagnostics.append(Diagnostic.at(
            "warning", param.source or op.source,
            f"{param.location} parameter {param.name!r} of {op.name} is documented again here "
            f"(first at {first.source or op.source}); the two are merged",
        ))
    op.parameters = kept


def _drop_stray_path_parameters(op: Operation, diagnostics: list[Diagnostic]) -> None:
    variables = set(path_variables(op.path))
    kept: list[Parameter] = []
    for param in op.parameters:
        if param.location == "path" and param.name not in variables:
            diagnostics.append(Diagnostic.at(
                "error", param.source or op.source,
                f"path parameter {param.name!r} of {op.name} is not a variable of {op.path}; it is dropped",
            ))
            continue
        kept.append(param)
    op.parameters = kept


def _drop_unsendable_body_fields(op: Operation, diagnostics: list[Diagnostic]) -> None:
    fields = [p for p in op.parameters if p.location == "body"]
    if not fields or op.body is None or _BODY_KINDS.match(op.body.media_type):
        return
    diagnostics.append(Diagnostic.at(
        "error", op.body.source or op.source,
        f"{op.name} sends its body as {op.body.media_type}, which cannot carry the fields "
        f"{', '.join(p.name for p in fields)}; the fields are dropped",
    ))
    op.parameters = [p for p in op.parameters if p.location != "body"]


_FORMATS = {
    "date-time": re.compile(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(:\d\d(\.\d+)?)?([Zz]|[+-]\d\d:?\d\d)?"),
    "date": re.compile(r"\d{4}-\d\d-\d\d"),
    "uuid": re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
}
_TYPES: dict[str, tuple[type, ...]] = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,), "array": (list,), "object": (dict,)}


def _fits(value: Any, schema: Schema, spec: Spec) -> bool:
    """Whether a documented default or example is a value of the schema (``absent``
    is no date-time, ``25`` no string of an integer parameter)."""
    while schema.ref and schema.ref in spec.schemas:
        schema = spec.schemas[schema.ref]
    if value is None:
        return schema.nullable
    if schema.type in _TYPES:
        wanted = _TYPES[schema.type]
        if not isinstance(value, wanted) or (isinstance(value, bool) and bool not in wanted):
            return False
    if schema.enum and value not in schema.enum:
        return False
    pattern = _FORMATS.get(schema.format or "")
    return not (pattern is not None and isinstance(value, str) and not pattern.fullmatch(value))


def _fit_values(param: Parameter, spec: Spec) -> None:
    """A default that is not a value of the parameter's schema ("absent", "none")
    stays in the description as written, not as a value clients send.  (Examples
    are shown, never sent, and stay as documented.)"""
    param.default = _as_schema_value(param.default, param.schema, spec)
    if param.default is not None and not _fits(param.default, param.schema, spec):
        note = f"Default: {param.default}."
        if note not in param.description:
            param.description = f"{param.description} {note}".strip()
        param.default = None


def _as_schema_value(value: Any, schema: Schema, spec: Spec) -> Any:
    """A number written where the schema wants text (``default 4`` for a field typed
    string) is that text: kept, not lost."""
    if schema.type == "string" and not schema.format and isinstance(value, (int, float)) and not _fits(value, schema, spec):
        text = str(value).lower() if isinstance(value, bool) else str(value)
        return text if _fits(text, schema, spec) else value
    return value


_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_REF_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STATUS = re.compile(r"[1-5][0-9][0-9]|default")
_SCHEMA_TYPES = {None, "object", "array", "string", "integer", "number", "boolean"}


def _format_errors(op: Operation, spec: Spec, diagnostics: list[Diagnostic]) -> list[str]:
    """What ``spec.schema.json`` asks of an operation that its dataclasses do not
    already guarantee (the names, enums and patterns), checked directly: a JSON
    Schema validator takes milliseconds per operation, most of an extraction.  The
    property tests load every extracted spec through the schema itself.  A
    reference to a schema the spec lacks is repaired (left untyped) on the way."""
    if not _NAME.fullmatch(op.name):
        return [f"operation name {op.name!r} is not a name"]
    if op.method not in METHODS:
        return [f"method {op.method!r} is not an HTTP method a spec holds"]
    for param in op.parameters:
        if not param.name:
            return ["a parameter has no name"]
        if param.location not in ("path", "query", "header", "body"):
            return [f"parameter {param.name!r} is in {param.location!r}"]
        problem = _schema_problem(param.schema, spec, diagnostics)
        if problem:
            return [f"parameter {param.name!r}: {problem}"]
    for response in op.responses:
        if not _STATUS.fullmatch(response.status):
            return [f"response status {response.status!r} is not a status"]
        problem = _schema_problem(response.schema, spec, diagnostics) if response.schema is not None else ""
        if problem:
            return [f"response {response.status}: {problem}"]
    return []


def _schema_problem(schema: Schema, spec: Spec, diagnostics: list[Diagnostic]) -> str:
    stack = [schema]
    while stack:  # a tree: examples and prose build no cycles (named schemas are refs)
        node = stack.pop()
        if node.type not in _SCHEMA_TYPES:
            return f"type {node.type!r} is not a JSON type"
        if node.ref and not _REF_NAME.fullmatch(node.ref):
            return f"reference {node.ref!r} is not a schema name"
        _repair_reference(node, spec, diagnostics)
        stack.extend(node.children())
    return ""


def _repair_reference(node: Schema, spec: Spec, diagnostics: list[Diagnostic]) -> None:
    if node.ref and node.ref not in spec.schemas:
        diagnostics.append(Diagnostic.at("error", node.source, f"reference to the undefined schema {node.ref!r}; the value is left untyped"))
        node.ref = None
