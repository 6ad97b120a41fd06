"""Render context for the tests generated with each package.

For every endpoint: the exact request the client must build (method, URL with
substituted path parameters, query, auth, body encoding), the documented example
response with assertions on typed field values, every documented error response,
an undocumented status, retries, async + raw access and, where there is one, the
``wait_for_*`` poller.  Expected values are computed here, from the spec, and land
in the tests only as ``escaping.literal`` expressions.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import quote

from generator import escaping, naming
from generator.render.context import Package
from generator.render.operations import Op, Param, status_class
from generator.render.types import Types, sample
from generator.spec import Response, Schema

MAX_CHECKS = 40
SECRETS = {
    "apiKey": "test-key-secret-1",
    "basic": "test-user-secret-1",
    "bearer": "test-token-secret-1",
}


@dataclass
class Helper:
    package: str
    module: str
    client_args: str  # Python source: keyword arguments for Client(...)


@dataclass
class ErrorTest:
    status: str
    reply: str  # Python source of a Recorder reply tuple
    exception: str
    checks: list[str]


@dataclass
class WaitTest:
    name: str
    replies: str
    checks: list[str]
    requests: int  # polls expected: 2 when a non-final state exists, else 1
    pending_reply: str  # a reply in a non-final state ("" when none is documented)


@dataclass
class TestModule:
    module: str
    helper: str
    package: str
    name: str
    doc: str
    result_type: str
    example: str  # Python literal of the example body
    example_annotation: str
    reply: str  # the success reply tuple, referencing EXAMPLE
    status: int  # its status
    method: str  # literal
    call_args: str
    request_checks: list[str]
    example_checks: list[str]
    forward_checks: list[str]
    errors: list[ErrorTest]
    idempotent: bool
    wait: WaitTest | None
    secret: str
    imports: dict[str, bool] = field(default_factory=dict)

    @property
    def returns_value(self) -> bool:
        return self.result_type != "None"

    @property
    def helper_import(self) -> str:
        return f"from .{self.helper} import Recorder" + (
            ", replace" if self.wait else ""
        )

    @property
    def typing_import(self) -> str:
        return (
            "from typing import Any, cast"
            if self.imports.get("cast")
            else "from typing import Any"
        )


def _wire(value: object) -> str:
    """What the runtime sends for a scalar (mirrors ``_runtime._wire``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _pairs(params: list[Param]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for p in params:
        values = p.value if isinstance(p.value, list) else [p.value]
        pairs.extend((p.wire, _wire(v)) for v in values if v is not None)
    return sorted(pairs)


def _lit(value: object) -> str:
    return escaping.literal(value)


def _value_expr(param: Param) -> str:
    if param.location == "body" and param.annotation == "bytes | str":
        return _lit(param.value)
    if "_m." in param.annotation:
        return f"cast(Any, {_lit(param.value)})"
    return _lit(param.value)


class Checks:
    """Assertions that a parsed value holds the documented example's values."""

    def __init__(self, types: Types) -> None:
        self.types = types
        self.lines: list[str] = []

    def add(self, line: str) -> None:
        if len(self.lines) < MAX_CHECKS and line not in self.lines:
            self.lines.append(line)

    def walk(
        self, expr: str, schema: Schema | None, value: object, top: bool = False
    ) -> None:
        if len(self.lines) >= MAX_CHECKS:
            return
        resolved = self.types.resolve(schema) if schema is not None else Schema()
        cls = self.types.by_id.get(id(resolved))
        if value is None:
            self.add(f"assert {expr} is None")
            return
        if cls is not None and cls.kind == "model" and isinstance(value, dict):
            self.add(
                f"assert isinstance({expr}, sdk.{cls.name})"
                if top
                else f"assert {expr} is not None"
            )
            for wire in sorted(value):
                if wire in cls.wire_to_field:
                    self.walk(
                        f"{expr}.{cls.wire_to_field[wire]}",
                        resolved.properties[wire],
                        value[wire],
                    )
                else:
                    self.add(f"assert {expr}.model_extra is not None")
                    self.add(
                        f"assert {expr}.model_extra[{_lit(wire)}] == {_lit(value[wire])}"
                    )
            return
        if cls is not None and cls.kind == "enum":
            members = {m.value: m.name for m in cls.members}
            if _lit(value) in members:
                self.add(f"assert {expr} == sdk.{cls.name}.{members[_lit(value)]}")
            elif isinstance(value, (str, int)) and not isinstance(value, bool):
                self.add(f"assert {expr} == {_lit(value)}")
            return
        kind = resolved.type
        if kind == "array" and isinstance(value, list):
            self.add(f"assert {expr} is not None")
            self.add(f"assert len({expr}) == {len(value)}")
            if value:
                self.walk(f"{expr}[0]", resolved.items, value[0])
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
            self.add(f"assert {expr} is not None")
            self.add(f"assert {expr}.isoformat() == {_lit(iso)}")
            return
        if isinstance(value, dict) and (kind == "object" or kind is None):
            values = resolved.additional_properties
            if (
                values is None
                or self.types.by_id.get(id(self.types.resolve(values))) is None
            ):
                self.add(f"assert {expr} == {_lit(value)}")
            return
        fits = {
            "string": isinstance(value, str),
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, (int, float)) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
        }
        if fits.get(kind or "", False):
            self.add(f"assert {expr} == {_lit(value)}")


def _example(response: Response | None, types: Types) -> object:
    if response is not None and response.example is not None:
        return response.example
    if response is not None and response.schema is not None:
        return sample(response.schema, types)
    return None


def _reply(status: str, body_name: str, media: str) -> str:
    return f"({int(status) if status.isdigit() else 500}, {body_name}, {_lit(media)})"


def build_test_helper(pkg: Package) -> Helper:
    args = [
        f"{a.name}={_lit('test-' + a.name.replace('_', '-'))}"
        for a in pkg.ctor_args
        if a.default is None
    ]
    for auth in pkg.auths:
        args.append(
            f"{auth.args[0].name}={_lit(SECRETS[auth.kind if auth.kind in SECRETS else 'apiKey'])}"
        )
    if not pkg.server_template:
        args.append(f"base_url={_lit('https://api.example.test')}")
    return Helper(pkg.package, "helpers", ", ".join(args))


def _base_url(pkg: Package, spec_url: str, variables: dict[str, str]) -> str:
    if not pkg.server_template:
        return "https://api.example.test"
    return re.sub(
        r"\{([A-Za-z0-9_]+)\}",
        lambda m: quote(variables.get(m.group(1), ""), safe=":"),
        spec_url,
    )


def _auth_checks(pkg: Package, op: Op) -> tuple[list[str], list[tuple[str, str]]]:
    """Assertions on the credentials sent, and expected extra query pairs."""
    chosen = next((a for a in pkg.auths if a.scheme in op.security), None)
    if chosen is None:
        return ['assert "authorization" not in request.headers'], []
    if chosen.kind == "basic":
        token = base64.b64encode(f"{SECRETS['basic']}:".encode()).decode()
        return [
            f'assert request.headers["authorization"] == {_lit("Basic " + token)}'
        ], []
    if chosen.kind == "bearer":
        return [
            f'assert request.headers["authorization"] == {_lit("Bearer " + SECRETS["bearer"])}'
        ], []
    secret = SECRETS["apiKey"]
    if chosen.location == "query":
        return [], [(chosen.param, secret)]
    if chosen.location == "cookie":
        return [
            f'assert {_lit(chosen.param + "=" + secret)} in request.headers["cookie"]'
        ], []
    return [f"assert request.headers[{_lit(chosen.param)}] == {_lit(secret)}"], []


def _request_checks(pkg: Package, op: Op, base_url: str) -> list[str]:
    path = op.path
    for p in op.params:
        if p.location == "path":
            segment = quote(_wire(p.value), safe="")
            segment = segment.replace(".", "%2E") if segment in (".", "..") else segment
            path = path.replace("{" + p.wire + "}", segment)
    checks, auth_pairs = _auth_checks(pkg, op)
    query = sorted(_pairs([p for p in op.params if p.location == "query"]) + auth_pairs)
    lines = [
        f"assert request.method == {_lit(op.method)}",
        f'assert str(request.url).split("?")[0] == {_lit(base_url.rstrip("/") + path)}',
        f"assert sorted(request.url.params.multi_items()) == {_tuple_list(query)}",
        f'assert request.headers["accept"] == {_lit(op.accept)}',
        *checks,
    ]
    for p in op.params:
        if p.location == "header":
            lines.append(
                f"assert request.headers[{_lit(p.wire)}] == {_lit(_wire(p.value))}"
            )
    body = [p for p in op.params if p.location == "body"]
    if op.body_kind == "json" and body:
        expected = (
            body[0].value
            if body[0].name == "body" and len(body) == 1
            else {p.wire: p.value for p in body}
        )
        lines.append(f"assert json.loads(request.content) == {_lit(expected)}")
    elif op.body_kind == "form" and body:
        pairs = [tuple(p) for p in _pairs(body)]
        lines.append(
            'assert request.headers["content-type"] == "application/x-www-form-urlencoded"'
        )
        lines.append(
            f"assert sorted(parse_qsl(request.content.decode(), keep_blank_values=True)) == {_tuple_list(pairs)}"
        )
    elif op.body_kind == "content" and body:
        lines.append(f"assert request.content == {_lit(str(body[0].value).encode())}")
    return lines


def _tuple_list(pairs: Sequence[tuple[str, ...]]) -> str:
    return (
        "["
        + ", ".join("(" + ", ".join(_lit(x) for x in pair) + ")" for pair in pairs)
        + "]"
    )


def _wait_test(op: Op, example: object, media: str) -> WaitTest | None:
    wait = op.wait
    if wait is None or not isinstance(example, dict):
        return None
    pending = [s for s in wait.states if s not in wait.terminal]
    path = "(" + "".join(_lit(w) + ", " for w in wait.wire_path) + ")"

    def reply(state: str) -> str:
        return _reply("200", f"replace(EXAMPLE, {path}, {_lit(state)})", media)

    pending_reply = reply(pending[0]) if pending else ""
    replies = [r for r in (pending_reply, reply(wait.terminal[0])) if r]
    expr = "result"
    checks = []
    for name in wait.path[:-1]:
        expr += f".{name}"
        checks.append(f"assert {expr} is not None")
    checks.append(f"assert {expr}.{wait.path[-1]} == {_lit(wait.terminal[0])}")
    return WaitTest(wait.name, ", ".join(replies), checks, len(replies), pending_reply)


def _error_test(op: Op, response: Response, types: Types, secret: str) -> ErrorTest:
    documented = dict(op.errors)
    media = response.media_type or "application/json"
    body = _example(response, types)
    exception = documented.get(response.status) or status_class(response.status)
    checks = Checks(types)
    if response.status in documented and response.schema is not None:
        checks.walk("caught.value.error", response.schema, body)
        checks.lines = [
            line for line in checks.lines if not line.startswith("assert isinstance(")
        ]
    if body is None:
        body, media = (
            response.description.strip() or f"HTTP {response.status}",
            "text/plain",
        )
    status = int(response.status) if response.status.isdigit() else 500
    lines = [f"assert caught.value.status_code == {status}", *checks.lines]
    lines.append(f"assert {_lit(secret)} not in str(caught.value)")
    return ErrorTest(
        str(status), _reply(str(status), _lit(body), media), exception, lines
    )


def build_test_modules(pkg: Package, helper: Helper) -> list[TestModule]:
    types = pkg.types
    variables = dict(pkg.server_defaults)
    for arg in pkg.ctor_args:
        if arg.default is None and arg.annotation == "str":
            variables.update(
                {
                    k: "test-" + arg.name.replace("_", "-")
                    for k in variables
                    if naming.snake(k, "server_var") == arg.name
                }
            )
    base_url = _base_url(pkg, pkg.server_url, variables)
    secret = next(
        (SECRETS.get(a.kind, SECRETS["apiKey"]) for a in pkg.auths), "no-credentials"
    )
    out = []
    for op in pkg.operations:
        success = op.success
        media = (
            success.media_type if success and success.media_type else "application/json"
        )
        example = _example(success, types)
        result_type = op.result_type.replace("_m.", "sdk.")
        checks = Checks(types)
        if op.result_type == "None":
            checks.add("assert result is None")
        elif op.result_type == "Any" or success is None or success.schema is None:
            checks.add("assert result == EXAMPLE")
        else:
            checks.walk("result", success.schema, example, top=True)
        forward: list[str] = []
        cls = op.result_class
        if cls is not None and cls.kind == "model" and isinstance(example, dict):
            forward = [
                'body = {**EXAMPLE, "x_undocumented_field": [1, "two"]}',
                f"result = call(Recorder({_reply('200', 'body', media)}).client())",
                "assert result.model_extra is not None",
                'assert result.model_extra["x_undocumented_field"] == [1, "two"]',
            ]
            if cls.fields:
                forward += [
                    f"empty = call(Recorder({_reply('200', '{}', media)}).client())",
                    f"assert empty.{cls.fields[0].name} is None",
                ]
        errors = [_error_test(op, r, types, secret) for r in op.error_responses]
        module = TestModule(
            module=f"test_{op.name}",
            helper=helper.module,
            package=pkg.package,
            name=op.name,
            doc=escaping.docstring(
                f"Generated tests of ``Client.{op.name}`` ({op.method} {op.path}), from {op.source or pkg.spec_path}.",
                "",
            ),
            result_type=result_type,
            example=_lit(example),
            example_annotation="dict[str, Any]" if isinstance(example, dict) else "Any",
            reply=_reply(success.status if success else "200", "EXAMPLE", media),
            status=int(success.status) if success and success.status.isdigit() else 200,
            method=_lit(op.method),
            call_args=", ".join(f"{p.name}={_value_expr(p)}" for p in op.params),
            request_checks=_request_checks(pkg, op, base_url),
            example_checks=checks.lines,
            forward_checks=forward,
            errors=errors,
            idempotent=op.idempotent,
            wait=_wait_test(op, example, media),
            secret=_lit(secret),
        )
        module.imports = {
            "cast": "cast(Any" in module.call_args,
            "json": op.body_kind == "json"
            and any(p.location == "body" for p in op.params),
            "parse_qsl": op.body_kind == "form"
            and any(p.location == "body" for p in op.params),
        }
        out.append(module)
    return out
