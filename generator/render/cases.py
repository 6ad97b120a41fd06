"""The generated tests' tables: for every endpoint, the exact request the client must
build (method, URL with substituted path parameters, query, auth, body encoding),
the documented example response with checks on its typed field values, every
documented error response, retries, async + raw access and, where there is one,
the ``wait_for_*`` poller.

Expected values are computed here, from the spec.  They are data: one JSON table
per resource (``<provider>_tests/cases/<resource>.json``, written through
``escaping.json_text``) that one parametrised test module runs, so the tests of a
page's endpoints are one small file that no formatter has to read.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from generator import escaping, naming
from generator.render.context import Package, ResourceContext
from generator.render.operations import Op, Param, status_class
from generator.render.types import Types, sample
from generator.spec import Response, Schema

MAX_CHECKS = 40
SECRETS = {
    "apiKey": "test-key-secret-1",
    "basic": "test-user-secret-1",
    "bearer": "test-token-secret-1",
}

Check = list[Any]  # [path (attribute names, list indexes, dict keys), test, expected]


@dataclass
class Suite:
    """What the parametrised test module itself needs (it is the same for every
    resource): the tables, the client's test arguments, which tests have rows."""

    tables: list[str]  # Python literals of the table (resource) names
    client_args: str  # Python source: keyword arguments for Client(...)
    secret: str  # Python literal
    forward: bool
    errors: bool
    waits: bool


def _wire(value: object) -> str:
    """What the runtime sends for a scalar (mirrors ``_runtime._wire``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _pairs(params: list[Param]) -> list[list[str]]:
    pairs: list[tuple[str, str]] = []
    for p in params:
        values = p.value if isinstance(p.value, list) else [p.value]
        pairs.extend((p.wire, _wire(v)) for v in values if v is not None)
    return [list(pair) for pair in sorted(pairs)]


def _lit(value: object) -> str:
    return escaping.literal(value)


class Checks:
    """Checks that a parsed value holds the documented example's values.

    The test runs every check along its path and asserts each value on the way is
    not None, and the value itself before ``len`` and ``isoformat``; so a
    ``[path, "is not", None]`` row that another row's path goes through or ends at
    is left out of the table (``compact``): the assertion is still made."""

    def __init__(self, types: Types) -> None:
        self.types = types
        self.checks: list[Check] = []

    def compact(self) -> list[Check]:
        implied = set()
        for path, test, _ in self.checks:
            for end in range(len(path)):
                implied.add(tuple(path[:end]))
            if test in ("len", "isoformat"):
                implied.add(tuple(path))
        return [c for c in self.checks if not (c[1] == "is not" and tuple(c[0]) in implied)]

    def add(self, path: list[Any], test: str, expected: Any = None) -> None:
        check = [list(path), test, expected]
        if len(self.checks) < MAX_CHECKS and check not in self.checks:
            self.checks.append(check)

    def walk(
        self, path: list[Any], schema: Schema | None, value: object, top: bool = False
    ) -> None:
        if len(self.checks) >= MAX_CHECKS:
            return
        resolved = self.types.resolve(schema) if schema is not None else Schema()
        cls = self.types.by_id.get(id(resolved))
        if value is None:
            self.add(path, "is")
            return
        if cls is not None and cls.kind == "model" and isinstance(value, dict):
            if top:
                self.add(path, "isinstance", cls.name)
            else:
                self.add(path, "is not")
            for wire in sorted(value):
                if wire in cls.wire_to_field:
                    self.walk(
                        [*path, cls.wire_to_field[wire]],
                        resolved.properties[wire],
                        value[wire],
                    )
                else:
                    self.add([*path, "model_extra"], "is not")
                    self.add([*path, "model_extra", wire], "==", value[wire])
            return
        if cls is not None and cls.kind == "enum":
            members = {m.value: m.name for m in cls.members}
            if _lit(value) in members:
                self.add(path, "enum", [cls.name, members[_lit(value)]])
            elif isinstance(value, (str, int)) and not isinstance(value, bool):
                self.add(path, "==", value)
            return
        kind = resolved.type
        if kind == "array" and isinstance(value, list):
            self.add(path, "is not")
            self.add(path, "len", len(value))
            if value:
                self.walk([*path, 0], resolved.items, value[0])
            return
        if (
            kind == "string"
            and resolved.format in ("date-time", "date")
            and isinstance(value, str)
        ):
            parse = (
                datetime.fromisoformat
                if resolved.format == "date-time"
                else date.fromisoformat
            )
            try:
                iso = parse(value).isoformat()
            except ValueError:
                return
            self.add(path, "is not")
            self.add(path, "isoformat", iso)
            return
        if isinstance(value, dict) and (kind == "object" or kind is None):
            values = resolved.additional_properties
            if (
                values is None
                or self.types.by_id.get(id(self.types.resolve(values))) is None
            ):
                self.add(path, "==", value)
            return
        fits = {
            "string": isinstance(value, str),
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, (int, float)) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
        }
        if fits.get(kind or "", False):
            self.add(path, "==", value)


def _example(response: Response | None, types: Types) -> object:
    if response is not None and response.example is not None:
        return response.example
    if response is not None and response.schema is not None:
        return sample(response.schema, types)
    return None


def _client_args(pkg: Package) -> list[tuple[str, str]]:
    """The test client's arguments: a value for each server variable the docs give
    no usable value for, a credential, and a base URL where the docs give none."""
    args = []
    if pkg.uses["server"]:
        args = [(a.name, _test_value(a.name)) for a in pkg.server_vars if a.default == "None"]
    for auth in pkg.auths:
        args.append((auth.args[0].name, SECRETS.get(auth.kind, SECRETS["apiKey"])))
    if not pkg.uses["server"]:
        args.append(("base_url", "https://api.example.test"))
    return args


def _test_value(name: str) -> str:
    return "test-" + name.replace("_", "-")


def _secret(pkg: Package) -> str:
    return next(
        (SECRETS.get(a.kind, SECRETS["apiKey"]) for a in pkg.auths), "no-credentials"
    )


def _base_url(pkg: Package) -> str:
    if not pkg.uses["server"]:
        return "https://api.example.test"
    variables = dict(pkg.server_defaults)
    for arg in pkg.server_vars:
        if arg.default == "None":
            variables.update(
                {k: _test_value(arg.name) for k in variables if naming.snake(k, "server_var") == arg.name}
            )
    return re.sub(
        r"\{([A-Za-z0-9_]+)\}",
        lambda m: quote(variables.get(m.group(1), ""), safe=":"),
        pkg.server_url,
    )


def _auth_checks(pkg: Package, op: Op) -> tuple[dict[str, Any], list[list[str]]]:
    """Expected request headers (None: must be absent) or cookie for the
    credentials, and the extra query pairs they add."""
    chosen = next((a for a in pkg.auths if a.scheme in op.security), None)
    if chosen is None:
        return {"headers": {"authorization": None}}, []
    if chosen.kind == "basic":
        token = base64.b64encode(f"{SECRETS['basic']}:".encode()).decode()
        return {"headers": {"authorization": "Basic " + token}}, []
    if chosen.kind == "bearer":
        return {"headers": {"authorization": "Bearer " + SECRETS["bearer"]}}, []
    secret = SECRETS["apiKey"]
    if chosen.location == "query":
        return {"headers": {}}, [[chosen.param, secret]]
    if chosen.location == "cookie":
        return {"headers": {}, "cookie": chosen.param + "=" + secret}, []
    return {"headers": {chosen.param: secret}}, []


def _request(pkg: Package, op: Op, base_url: str) -> dict[str, Any]:
    path = op.path
    for p in op.params:
        if p.location == "path":
            segment = quote(_wire(p.value), safe="")
            segment = segment.replace(".", "%2E") if segment in (".", "..") else segment
            path = path.replace("{" + p.wire + "}", segment)
    auth, auth_pairs = _auth_checks(pkg, op)
    query = sorted(_pairs([p for p in op.params if p.location == "query"]) + auth_pairs)
    out: dict[str, Any] = {
        "method": op.method,
        "url": base_url.rstrip("/") + path,
        "query": query,
        "accept": op.accept,
        **auth,
    }
    for p in op.params:
        if p.location == "header":
            out["headers"][p.wire] = _wire(p.value)
    body = [p for p in op.params if p.location == "body"]
    if op.body_kind == "json" and body:
        out["json"] = (
            body[0].value
            if body[0].name == "body" and len(body) == 1
            else {p.wire: p.value for p in body}
        )
    elif op.body_kind == "form" and body:
        out["form"] = _pairs(body)
    elif op.body_kind == "content" and body:
        out["content"] = str(body[0].value)
    return out


def _wait(op: Op, example: object) -> dict[str, Any] | None:
    wait = op.wait
    if wait is None or not isinstance(example, dict):
        return None
    pending = [s for s in wait.states if s not in wait.terminal]
    checks = [[list(wait.path), "==", wait.terminal[0]]]  # the values on the way: not None
    return {
        "name": wait.name,
        "path": list(wait.wire_path),
        "pending": pending[0] if pending else None,
        "final": wait.terminal[0],
        "checks": checks,
    }


def _error(op: Op, response: Response, types: Types) -> dict[str, Any]:
    documented = dict(op.errors)
    media = response.media_type or "application/json"
    body = _example(response, types)
    exception = documented.get(response.status) or status_class(response.status)
    checks = Checks(types)
    if response.status in documented and response.schema is not None:
        checks.walk([], response.schema, body)
        checks.checks = [c for c in checks.compact() if c[1] != "isinstance"]
    if body is None:
        body, media = (
            response.description.strip() or f"HTTP {response.status}",
            "text/plain",
        )
    status = int(response.status) if response.status.isdigit() else 500
    return {
        "status": status,
        "body": body,
        "media": media,
        "exception": exception,
        "checks": checks.checks,
    }


def _case(pkg: Package, op: Op, base_url: str) -> dict[str, Any]:
    types = pkg.types
    success = op.success
    media = success.media_type if success and success.media_type else "application/json"
    example = _example(success, types)
    result: Any
    if op.result_type == "None":
        result = "none"
    elif op.result_type == "Any" or success is None or success.schema is None:
        result = "example"
    else:
        checks = Checks(types)
        checks.walk([], success.schema, example, top=True)
        result = checks.compact()
    case: dict[str, Any] = {
        "method": op.name,
        "source": op.source or pkg.spec_path,
        "args": {p.name: p.value for p in op.params},
        "status": int(success.status) if success and success.status.isdigit() else 200,
        "media": media,
        "example": example,
        "request": _request(pkg, op, base_url),
        "result": result,
        "idempotent": op.idempotent,
    }
    cls = op.result_class
    if cls is not None and cls.kind == "model" and isinstance(example, dict):
        case["forward"] = cls.fields[0].name if cls.fields else ""
    errors = [_error(op, r, types) for r in op.error_responses]
    if errors:
        case["errors"] = errors
    wait = _wait(op, example)
    if wait is not None:
        case["wait"] = wait
    return case


def build_suite(pkg: Package, tables: dict[str, list[dict[str, Any]]]) -> Suite:
    args = _client_args(pkg)
    rows = [case for cases in tables.values() for case in cases]
    return Suite(
        tables=[_lit(name) for name in tables],
        client_args=", ".join(f"{name}={_lit(value)}" for name, value in args),
        secret=_lit(_secret(pkg)),
        forward=any("forward" in c for c in rows),
        errors=any("errors" in c for c in rows),
        waits=any("wait" in c for c in rows),
    )


def build_tables(pkg: Package) -> dict[str, list[dict[str, Any]]]:
    """Resource name → the rows of its table, one per endpoint."""
    base_url = _base_url(pkg)
    return {res.name: [_case(pkg, op, base_url) for op in res.operations] for res in pkg.resources}


def table_text(header: str, res: ResourceContext, cases: list[dict[str, Any]]) -> str:
    """A table as JSON text: the generated header first, then one endpoint per
    block and one check per line, so a changed endpoint is a readable diff."""
    dump = escaping.json_text
    lines = ["{" + dump("generated") + ":" + dump(header) + ","]
    lines.append(dump("resource") + ":" + dump(res.name) + ",")
    lines.append(dump("cases") + ":[")
    for n, case in enumerate(cases):
        fields = []
        for key, value in case.items():
            if key in ("result",) and isinstance(value, list) or key == "errors":
                inner = ",\n".join("  " + _block(item) for item in value)
                fields.append(f" {dump(key)}:[\n{inner}\n ]")
            else:
                fields.append(f" {dump(key)}:{dump(value)}")
        lines.append("{\n" + ",\n".join(fields) + "\n}" + ("," if n + 1 < len(cases) else ""))
    lines.append("]}")
    text = "\n".join(lines) + "\n"
    json.loads(text)  # a generator bug, never a broken table
    return text


def _block(item: Any) -> str:
    if isinstance(item, dict) and "checks" in item:  # an error: its checks one per line
        head = {k: v for k, v in item.items() if k != "checks"}
        checks = ",\n".join("   " + escaping.json_text(c) for c in item["checks"])
        return escaping.json_text(head)[:-1] + ',"checks":[' + ("\n" + checks + "\n  " if checks else "") + "]}"
    return escaping.json_text(item)
