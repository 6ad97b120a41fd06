"""Operations → method contexts: parameters (named, typed, ordered), the declarative
``Endpoint`` description the runtime sends from, the typed result, documented
errors, docstrings and ``wait_for_*`` pollers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator import escaping, naming
from generator.render.layout import Bracketed, class_header, tuple_literal
from generator.render.types import ClassDef, Types, doc, fits, optional, sample
from generator.spec import Operation, Parameter, Response, Schema, Spec

IDEMPOTENT = frozenset({"DELETE", "GET", "HEAD", "OPTIONS", "PUT"})
POLL_OPTIONS = ("poll_timeout", "poll_interval")
TERMINAL_WORDS = frozenset(
    [
        "aborted",
        "cancelled",
        "canceled",
        "complete",
        "completed",
        "done",
        "error",
        "errored",
        "expired",
        "failed",
        "failure",
        "finished",
        "rejected",
        "stopped",
        "succeeded",
        "success",
        "terminated",
    ]
)


@dataclass
class ErrorDef:
    name: str
    model: str  # model class name
    doc: str

    @property
    def header(self) -> str:
        return class_header(self.name, f"_rt.DocumentedError[{self.model}]")


@dataclass
class Param:
    name: str  # Python name
    wire: str  # wire name (raw)
    wire_literal: str
    location: str
    annotation: str
    default: str | None  # Python source; None = required
    schema: Schema
    doc: str  # raw text for the Args section
    value: object = (
        None  # a plausible value (example/default/synthesised) for tests and README
    )

    @property
    def signature(self) -> str:
        if self.default is None:
            return f"{self.name}: {self.annotation}"
        return f"{self.name}: {self.annotation} = {self.default}"


@dataclass
class Wait:
    name: str
    const: str
    path: tuple[str, ...]  # attribute names
    wire_path: tuple[str, ...]
    states: list[str]  # all documented states
    terminal: list[str]
    definition: str  # the module-level Terminal(...) statement
    doc: str


@dataclass
class Op:
    name: str
    original: str
    summary: str
    const: str
    method: str
    path: str
    doc: str
    params: list[Param]
    body_kind: str
    result_type: str  # annotation in the resource module (and runtime value of Endpoint.result)
    result_class: ClassDef | None
    result_schema: Schema | None
    success: Response | None
    errors: list[tuple[str, str]]  # (status, exception class name)
    error_responses: list[Response]
    security: list[str]
    accept: str
    endpoint: str  # the module-level Endpoint(...) statement, Python source
    wait: Wait | None
    source: str
    doc_async: str = ""  # the async method's docstring body: it points to the sync one

    def point_async_doc(self, sync_class: str) -> None:
        """The async method's docstring: the summary, and where the rest is (one copy
        of each endpoint's documentation per package, not two)."""
        first = self.summary.strip().split("\n", 1)[0].strip()
        text = f"{first}\n\nAwaitable ``{sync_class}.{self.name}``: see its documentation for the arguments, result and errors."
        self.doc_async = doc(text, "        ")

    @property
    def idempotent(self) -> bool:
        return self.method in IDEMPOTENT

    def _def(self, prefix: str, name: str, extra: list[str]) -> str:
        params = [p.signature for p in self.params] + extra
        items: list[str | Bracketed] = ["self", *(["*", *params] if params else [])]
        return Bracketed(f"{prefix}def {name}(", items, f") -> {self.result_type}:").text("    ")

    @property
    def sync_def(self) -> str:
        """The method's ``def`` line(s), as black lays them out in a class body."""
        return self._def("", self.name, [])

    @property
    def async_def(self) -> str:
        return self._def("async ", self.name, [])

    @property
    def wait_def(self) -> str:
        assert self.wait is not None
        return self._def("", self.wait.name, list(WAIT_OPTIONS))

    @property
    def wait_async_def(self) -> str:
        assert self.wait is not None
        return self._def("async ", self.wait.name, list(WAIT_OPTIONS))


WAIT_OPTIONS = ("poll_timeout: float = 600.0", "poll_interval: float = 2.0")


# -- operations ---------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def _security(spec: Spec, op: Operation) -> list[str]:
    known = {s.name for s in spec.security_schemes}
    names = spec.security if op.security is None else op.security
    return [n for n in names if n in known]


def _is_auth_param(spec: Spec, security: list[str], param: Parameter) -> bool:
    return any(
        scheme.name in security
        and scheme.kind == "apiKey"
        and scheme.location == param.location
        and scheme.param.lower() == param.name.lower()
        for scheme in spec.security_schemes
    )


def _param_value(param: Parameter, types: Types) -> object:
    for candidate in (param.example, param.default, param.schema.example):
        if fits(candidate, param.schema, types):
            return candidate
    schema = types.resolve(param.schema)
    if schema.enum and fits(schema.enum[0], param.schema, types):
        return schema.enum[0]
    value = sample(param.schema, types)
    if schema.type == "string" and not schema.format and not schema.enum:
        return f"{naming.snake(param.name, 'value')}-1"
    return value


def _param_doc(param: Parameter, types: Types) -> str:
    parts = [param.description.strip().rstrip(".")] if param.description.strip() else []
    schema = types.resolve(param.schema)
    if schema.enum:
        parts.append("One of: " + ", ".join(repr(v) for v in schema.enum))
    if param.default is not None:
        parts.append(f"Server default: {param.default!r}")
    return ". ".join(parts) + "." if parts else ""


def _params(
    spec: Spec, op: Operation, types: Types, security: list[str], body_kind: str
) -> list[Param]:
    scope = naming.Namespace(
        f"parameter of {op.name}",
        reserved=naming.BUILTINS | frozenset({"self", "cls", *POLL_OPTIONS}),
    )
    wanted = [p for p in op.parameters if not _is_auth_param(spec, security, p)]
    placeholders = _PLACEHOLDER.findall(op.path)
    path_names = {p.name for p in wanted if p.location == "path"}
    for missing in placeholders:
        if missing not in path_names:
            wanted.append(
                Parameter(
                    missing, "path", True, "", Schema(type="string"), source=op.source
                )
            )
    wanted = [p for p in wanted if p.location != "path" or p.name in placeholders]
    if body_kind == "content":
        wanted = [p for p in wanted if p.location != "body"]
        wanted.append(
            Parameter(
                "content",
                "body",
                bool(op.body and op.body.required),
                "The request body.",
                Schema(type="string", format="binary"),
                source=op.source,
            )
        )
    elif body_kind and not any(p.location == "body" for p in wanted):
        wanted.append(
            Parameter(
                "body",
                "body",
                bool(op.body and op.body.required),
                "The request body.",
                Schema(type="object"),
                source=op.source,
            )
        )
    order = {"path": 0, "query": 1, "header": 2, "body": 3}
    out: list[Param] = []
    for p in sorted(wanted, key=lambda p: (order.get(p.location, 4), p.name)):
        name = scope.claim(p.name, naming.snake(p.name, "param"), p.source or op.source)
        hint = f"{naming.pascal(op.name, 'Operation')} {naming.pascal(p.name, 'Param')}"
        annotation = types.expr(p.schema, hint, param=True)
        if body_kind == "content" and p.location == "body":
            annotation = "bytes | str"
        resolved = types.resolve(p.schema)
        default: str | None = None
        value = _param_value(p, types)
        if (
            p.required
            and len(resolved.enum) == 1
            and fits(resolved.enum[0], p.schema, types)
        ):
            default = escaping.literal(resolved.enum[0])
            value = resolved.enum[0]
        elif not p.required:
            annotation, default = optional(annotation), "None"
        out.append(
            Param(
                name,
                p.name,
                escaping.literal(p.name),
                p.location,
                annotation,
                default,
                p.schema,
                _param_doc(p, types),
                value,
            )
        )
    types.ns.renames.extend(scope.renames)
    out.sort(key=lambda p: (p.default is not None, p.name))
    return out


def _body_kind(op: Operation) -> str:
    if op.body is None:
        return "json" if any(p.location == "body" for p in op.parameters) else ""
    media = op.body.media_type.lower()
    if "json" in media:
        return "json"
    if "x-www-form-urlencoded" in media or "multipart/form-data" in media:
        return "form"
    return "content"


def _success(op: Operation) -> Response | None:
    found = sorted((r for r in op.responses if r.is_success), key=lambda r: r.status)
    with_schema = [r for r in found if r.schema is not None]
    chosen = with_schema or found
    return chosen[0] if chosen else None


def _is_error(response: Response) -> bool:
    return not response.is_success and response.status[:1] in ("4", "5", "d")


def _where(params: list[Param], body_kind: str) -> Bracketed:
    """``Endpoint.params``: each argument's location (and wire name when it differs),
    as a Python dict display."""
    body = [p for p in params if p.location == "body"]
    whole = (
        body_kind
        and len(body) == 1
        and body[0].wire in ("body", "content")
        and body[0].name in ("body", "content")
    )
    items = []
    for p in params:
        if p.location == "body" and whole:
            where = "payload"
        else:
            where = p.location if p.wire == p.name else f"{p.location}:{p.wire}"
        items.append(f"{escaping.literal(p.name)}: {escaping.literal(where)}")
    return Bracketed("{", list(items), "}")


def _terminal(values: list[object]) -> list[str]:
    out = []
    for value in values:
        if isinstance(value, str):
            found = {w.lower() for w in re.findall(r"[A-Za-z]+", value)}
            if found & TERMINAL_WORDS:
                out.append(value)
    return sorted(out)


def _status_field(
    types: Types, cls: ClassDef, depth: int = 0
) -> tuple[tuple[str, ...], tuple[str, ...], Schema] | None:
    """The (attribute path, wire path, enum schema) of a status-like enum field."""
    schema = cls.schema
    candidates = []
    for wire in sorted(schema.properties):
        prop = schema.properties[wire]
        resolved = types.resolve(prop)
        label = f"{wire} {prop.ref or ''}".lower()
        if ("status" in label or "state" in label) and _terminal(resolved.enum):
            candidates.append(((cls.wire_to_field[wire],), (wire,), resolved))
    if candidates:
        return candidates[0]
    if depth:
        return None
    for wire in sorted(schema.properties):
        nested = types.by_id.get(id(types.resolve(schema.properties[wire])))
        if nested is not None and nested.kind == "model":
            found = _status_field(types, nested, depth + 1)
            if found:
                return (cls.wire_to_field[wire], *found[0]), (wire, *found[1]), found[2]
    return None


def _resource(op: Operation) -> str:
    segments = [s for s in op.path.split("/") if s]
    if segments and _PLACEHOLDER.fullmatch(segments[-1]) and len(segments) > 1:
        literal = segments[-2]
        if not _PLACEHOLDER.fullmatch(literal):
            return (
                literal[:-1] if literal.endswith("s") and len(literal) > 3 else literal
            )
    for p in sorted(op.parameters, key=lambda p: p.name):
        if p.required and p.name.lower().endswith("_id") and len(p.name) > 3:
            return p.name[:-3]
    return re.sub(r"^(get|retrieve|fetch|read|show|describe)_", "", op.name)


def _op_doc(
    op: Operation, params: list[Param], result: str, raises: list[tuple[str, str]]
) -> str:
    summary = (
        op.summary.strip()
        or naming.snake(op.name, "operation").replace("_", " ").capitalize() + "."
    )
    lines = [summary, ""]
    if op.description.strip() and op.description.strip() != summary:
        lines += [op.description.strip(), ""]
    lines += [f"``{op.method} {op.path}``"]
    if params:
        lines += ["", "Args:"]
        for p in params:
            text = f"{p.doc} " if p.doc else ""
            text += (
                f"({p.location} {p.wire!r})"
                if p.location != "body"
                else f"(body {p.wire!r})"
            )
            lines.append(f"    {p.name}: " + text.replace("\n", "\n        "))
    lines += ["", "Returns:", f"    {result}"]
    lines += ["", "Raises:"]
    lines += [f"    {name}: {why}".replace("\n", "\n        ") for name, why in raises]
    return "\n".join(lines)


def build_op(
    spec: Spec,
    op: Operation,
    name: str,
    types: Types,
    errors: dict[str, ErrorDef],
    error_ns: naming.Namespace,
) -> Op:
    security = _security(spec, op)
    body_kind = _body_kind(op)
    params = _params(spec, op, types, security, body_kind)
    pascal = naming.pascal(name, "Operation")
    success = _success(op)
    result_class = None
    result_schema = None
    if success is not None and success.schema is not None:
        result_schema = types.resolve(success.schema)
        result_type = types.expr(success.schema, f"{pascal} Response")
        result_class = types.by_id.get(id(result_schema))
    elif success is not None and (success.status == "204" or op.method == "HEAD"):
        result_type = "None"
    else:
        result_type = "Any"
    raises: list[tuple[str, str]] = []
    error_map: list[tuple[str, str]] = []
    error_responses = sorted(
        (r for r in op.responses if _is_error(r)), key=lambda r: r.status
    )
    for response in error_responses:
        why = f"HTTP {response.status}" + (
            f": {response.description.strip()}" if response.description.strip() else ""
        )
        if response.schema is None:
            raises.append((status_class(response.status), why))
            continue
        model_type = types.expr(response.schema, f"{pascal} {response.status} Response")
        model = types.by_id.get(id(types.resolve(response.schema)))
        if model is None or model.kind != "model":
            raises.append((status_class(response.status), why))
            continue
        if model.name not in errors:
            stem = model.name.removesuffix("Response")
            error_name = error_ns.claim(
                f"{model.name} error",
                naming.pascal(stem + " Error", "ApiError"),
                response.source,
            )
            errors[model.name] = ErrorDef(
                error_name,
                model_type,
                doc(
                    f"A documented error response with a ``{model.name}`` body (``.error``).",
                    "    ",
                ),
            )
        error_map.append((response.status, errors[model.name].name))
        raises.append((errors[model.name].name, why))
    raises.append(
        ("APIStatusError", "any other non-2xx response (subclasses by status).")
    )
    raises.append(("APIConnectionError", "the request got no response."))
    doc_text = _op_doc(
        op,
        params,
        f"{result_type}: "
        + (
            success.description.strip()
            if success and success.description.strip()
            else "the parsed response body."
        ),
        raises,
    )
    const = "_" + name.upper()
    accept = (
        op.accept
        or (success.media_type if success and success.media_type else "")
        or "application/json"
    )
    args: list[str | Bracketed] = [
        escaping.literal(op.name),
        escaping.literal(op.method),
        escaping.literal(op.path),
        "_rt.NoBody" if result_type == "None" else result_type,
    ]
    if params:
        args.append(_where(params, body_kind))
    if security:
        args.append("security=" + tuple_literal([escaping.literal(s) for s in security]))
    if accept != "application/json":
        args.append(f"accept={escaping.literal(accept)}")
    if body_kind:
        args.append(f"body={escaping.literal(body_kind)}")
    if error_map:
        errors_items = [f"{escaping.literal(s)}: {e}" for s, e in error_map]
        args.append(Bracketed("errors={", list(errors_items), "}"))
    endpoint = Bracketed(f"{const} = _rt.Endpoint(", args, ")").text("")
    return Op(
        name=name,
        original=op.name,
        summary=op.summary.strip()
        or (
            op.description.strip().split("\n\n")[0]
            if op.description.strip()
            else name.replace("_", " ").capitalize() + "."
        ),
        const=const,
        method=op.method,
        path=op.path,
        doc=doc(doc_text, "        "),
        params=params,
        body_kind=body_kind,
        result_type=result_type,
        result_class=result_class,
        result_schema=result_schema,
        success=success,
        errors=error_map,
        error_responses=error_responses,
        security=security,
        accept=accept,
        endpoint=endpoint,
        wait=None,
        source=op.source,
    )


def status_class(status: str) -> str:
    names = {
        "400": "BadRequestError",
        "401": "AuthenticationError",
        "403": "PermissionDeniedError",
        "404": "NotFoundError",
        "409": "ConflictError",
        "422": "UnprocessableEntityError",
        "429": "RateLimitError",
    }
    if status in names:
        return names[status]
    return "InternalServerError" if status.startswith("5") else "APIStatusError"


def add_wait(op: Op, types: Types, methods: naming.Namespace) -> None:
    if op.method != "GET" or op.result_class is None or op.result_class.kind != "model":
        return
    found = _status_field(types, op.result_class)
    if found is None:
        return
    path, wire_path, enum_schema = found
    terminal = _terminal(enum_schema.enum)
    resource = naming.snake(
        _resource(
            Operation(
                op.original,
                op.method,
                op.path,
                parameters=[
                    Parameter(p.wire, p.location, p.default is None) for p in op.params
                ],
            )
        ),
        "resource",
    )
    name = methods.claim(f"wait_for_{resource}", f"wait_for_{resource}", op.source)
    states = ", ".join(repr(s) for s in terminal)
    text = (
        f"Call ``{op.name}`` until ``{'.'.join(path)}`` is final ({states}).\n\n"
        f"Polls with growing, jittered intervals starting at ``poll_interval`` seconds and\n"
        f"raises ``WaitTimeoutError`` (with ``.last``) after ``poll_timeout`` seconds.\n"
        f"Other arguments are those of ``{op.name}``."
    )
    op.wait = Wait(
        name=name,
        const=f"{op.const}_DONE",
        path=path,
        wire_path=wire_path,
        states=sorted(str(v) for v in enum_schema.enum),
        terminal=terminal,
        definition=Bracketed(
            f"{op.const}_DONE = _rt.Terminal(",
            [
                tuple_literal([escaping.literal(p) for p in path]),
                tuple_literal([escaping.literal(t) for t in terminal]),
            ],
            ")",
        ).text(""),
        doc=doc(text, "        "),
    )
