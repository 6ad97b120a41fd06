"""The spec model: what extraction produces and generation, export and diff read.

A spec is plain data with provenance.  ``dump_yaml`` (generator/spec_yaml.py)
writes it with a stable key order and no timestamps; ``load_yaml`` reads it with PyYAML's *safe* loader and
validates it against ``spec.schema.json`` before building the model.

Schemas are a JSON-Schema subset (``Schema``); references between them use
``$ref: '#/schemas/Name'``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

SPEC_VERSION = 1

JSON = Any  # a JSON-compatible value (example bodies, defaults, enum members)


@dataclass
class Schema:
    type: str | None = None  # object|array|string|integer|number|boolean|None (any)
    format: str | None = None  # date-time, uri, uuid, binary, ...
    description: str = ""
    enum: list[JSON] = field(default_factory=list)
    properties: dict[str, Schema] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)
    items: Schema | None = None
    additional_properties: Schema | None = None  # map values; None = not a map
    ref: str | None = None  # name in Spec.schemas
    nullable: bool = False
    example: JSON = None
    source: str = ""

    def children(self) -> list[Schema]:
        """The schemas directly inside this one: properties, items, map values."""
        out = list(self.properties.values())
        out += [s for s in (self.items, self.additional_properties) if s is not None]
        return out

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.ref:
            out["$ref"] = f"#/schemas/{self.ref}"
        if self.type:
            out["type"] = self.type
        if self.format:
            out["format"] = self.format
        if self.nullable:
            out["nullable"] = True
        if self.description:
            out["description"] = self.description
        if self.enum:
            out["enum"] = list(self.enum)
        if self.properties:
            out["properties"] = {k: v.to_dict() for k, v in self.properties.items()}
        if self.required:
            out["required"] = list(self.required)
        if self.items is not None:
            out["items"] = self.items.to_dict()
        if self.additional_properties is not None:
            out["additionalProperties"] = self.additional_properties.to_dict()
        if self.example is not None:
            out["example"] = self.example
        if self.source:
            out["source"] = self.source
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Schema:
        ref = data.get("$ref")
        return cls(
            type=data.get("type"),
            format=data.get("format"),
            description=data.get("description", ""),
            enum=list(data.get("enum", [])),
            properties={
                k: cls.from_dict(v) for k, v in data.get("properties", {}).items()
            },
            required=list(data.get("required", [])),
            items=cls.from_dict(data["items"]) if "items" in data else None,
            additional_properties=(
                cls.from_dict(data["additionalProperties"])
                if "additionalProperties" in data
                else None
            ),
            ref=ref.rsplit("/", 1)[-1] if ref else None,
            nullable=bool(data.get("nullable", False)),
            example=data.get("example"),
            source=data.get("source", ""),
        )


@dataclass
class Parameter:
    name: str  # as sent on the wire, e.g. "job_id", "cluster[nodes]", "Accept"
    location: str  # path | query | header | body
    required: bool = False
    description: str = ""
    schema: Schema = field(default_factory=Schema)
    default: JSON = None
    example: JSON = None
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "in": self.location}
        out["required"] = self.required
        if self.description:
            out["description"] = self.description
        out["schema"] = self.schema.to_dict()
        if self.default is not None:
            out["default"] = self.default
        if self.example is not None:
            out["example"] = self.example
        out["source"] = self.source
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Parameter:
        return cls(
            name=data["name"],
            location=data["in"],
            required=bool(data.get("required", False)),
            description=data.get("description", ""),
            schema=Schema.from_dict(data.get("schema", {})),
            default=data.get("default"),
            example=data.get("example"),
            source=data.get("source", ""),
        )


@dataclass
class Body:
    """A request body.  Form/JSON bodies list their fields as ``Parameter``s with
    ``location='body'`` on the operation; ``Body`` says how they are encoded."""

    media_type: str  # application/json | application/x-www-form-urlencoded | application/octet-stream
    required: bool = False
    description: str = ""
    example: JSON = None
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"media_type": self.media_type, "required": self.required}
        if self.description:
            out["description"] = self.description
        if self.example is not None:
            out["example"] = self.example
        out["source"] = self.source
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Body:
        return cls(
            media_type=data["media_type"],
            required=bool(data.get("required", False)),
            description=data.get("description", ""),
            example=data.get("example"),
            source=data.get("source", ""),
        )


@dataclass
class Response:
    status: str  # "200", "404", or "default"
    description: str = ""
    media_type: str = ""
    schema: Schema | None = None
    example: JSON = None
    source: str = ""

    @property
    def is_success(self) -> bool:
        return self.status.startswith("2")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status}
        if self.description:
            out["description"] = self.description
        if self.media_type:
            out["media_type"] = self.media_type
        if self.schema is not None:
            out["schema"] = self.schema.to_dict()
        if self.example is not None:
            out["example"] = self.example
        out["source"] = self.source
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Response:
        return cls(
            status=str(data["status"]),
            description=data.get("description", ""),
            media_type=data.get("media_type", ""),
            schema=Schema.from_dict(data["schema"]) if "schema" in data else None,
            example=data.get("example"),
            source=data.get("source", ""),
        )


@dataclass
class Operation:
    name: str  # snake_case, unique within the spec
    method: str  # upper-case HTTP method
    path: str  # template with {snake_case} variables, no query string
    summary: str = ""
    description: str = ""
    parameters: list[Parameter] = field(default_factory=list)
    body: Body | None = None
    responses: list[Response] = field(default_factory=list)
    security: list[str] | None = None  # None = the spec's default; [] = none
    accept: str = ""  # media type the client sends in Accept, when documented
    source: str = ""
    resource: str = ""  # client.<resource> it is on; "" = from the docs' structure (overrides set it)
    section: str = ""  # the heading that groups it with others on its page, when the page groups by headings

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "method": self.method, "path": self.path}
        if self.resource:
            out["resource"] = self.resource
        if self.section:
            out["section"] = self.section
        if self.summary:
            out["summary"] = self.summary
        if self.description:
            out["description"] = self.description
        if self.security is not None:
            out["security"] = list(self.security)
        if self.accept:
            out["accept"] = self.accept
        out["parameters"] = [p.to_dict() for p in self.parameters]
        if self.body is not None:
            out["body"] = self.body.to_dict()
        out["responses"] = [r.to_dict() for r in self.responses]
        out["source"] = self.source
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Operation:
        return cls(
            name=data["name"],
            method=data["method"],
            path=data["path"],
            summary=data.get("summary", ""),
            description=data.get("description", ""),
            parameters=[Parameter.from_dict(p) for p in data.get("parameters", [])],
            body=Body.from_dict(data["body"]) if "body" in data else None,
            responses=[Response.from_dict(r) for r in data.get("responses", [])],
            security=list(data["security"]) if "security" in data else None,
            accept=data.get("accept", ""),
            source=data.get("source", ""),
            resource=data.get("resource", ""),
            section=data.get("section", ""),
        )


@dataclass
class ServerVariable:
    name: str
    default: str
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "default": self.default}
        if self.description:
            out["description"] = self.description
        return out


@dataclass
class Server:
    url: str  # may hold {variables}
    description: str = ""
    variables: list[ServerVariable] = field(default_factory=list)
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"url": self.url}
        if self.description:
            out["description"] = self.description
        if self.variables:
            out["variables"] = [v.to_dict() for v in self.variables]
        out["source"] = self.source
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Server:
        return cls(
            url=data["url"],
            description=data.get("description", ""),
            variables=[
                ServerVariable(v["name"], v["default"], v.get("description", ""))
                for v in data.get("variables", [])
            ],
            source=data.get("source", ""),
        )


@dataclass
class SecurityScheme:
    """``kind``: ``apiKey`` (``location`` query|header|cookie, ``param`` name),
    ``basic`` (HTTP basic; ``description`` says what goes in user/password),
    ``bearer`` (``Authorization: Bearer``; OAuth2 access tokens)."""

    name: str
    kind: str
    location: str = ""
    param: str = ""
    description: str = ""
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.location:
            out["in"] = self.location
        if self.param:
            out["param"] = self.param
        if self.description:
            out["description"] = self.description
        out["source"] = self.source
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SecurityScheme:
        return cls(
            name=data["name"],
            kind=data["kind"],
            location=data.get("in", ""),
            param=data.get("param", ""),
            description=data.get("description", ""),
            source=data.get("source", ""),
        )


@dataclass
class Spec:
    provider: str
    title: str = ""
    servers: list[Server] = field(default_factory=list)
    security_schemes: list[SecurityScheme] = field(default_factory=list)
    security: list[str] = field(default_factory=list)  # default for operations
    operations: list[Operation] = field(default_factory=list)
    schemas: dict[str, Schema] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)  # documents read

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.head_dict(),
            "operations": [o.to_dict() for o in self.operations],
            "schemas": {k: v.to_dict() for k, v in sorted(self.schemas.items())},
        }

    def head_dict(self) -> dict[str, Any]:
        """``to_dict`` up to the operations (which, with the schemas, come last)."""
        return {
            "docs2client": SPEC_VERSION,
            "provider": self.provider,
            "title": self.title,
            "sources": list(self.sources),
            "servers": [s.to_dict() for s in self.servers],
            "security_schemes": [s.to_dict() for s in self.security_schemes],
            "security": list(self.security),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Spec:
        return cls(
            provider=data["provider"],
            title=data.get("title", ""),
            servers=[Server.from_dict(s) for s in data.get("servers", [])],
            security_schemes=[
                SecurityScheme.from_dict(s) for s in data.get("security_schemes", [])
            ],
            security=list(data.get("security", [])),
            operations=[Operation.from_dict(o) for o in data.get("operations", [])],
            schemas={k: Schema.from_dict(v) for k, v in data.get("schemas", {}).items()},
            sources=list(data.get("sources", [])),
        )

    def operation(self, name: str) -> Operation:
        for op in self.operations:
            if op.name == name:
                return op
        raise KeyError(name)


class SpecError(Exception):
    """A spec file that cannot be read or does not match the spec format."""


def spec_json_schema() -> dict[str, Any]:
    text = resources.files("generator").joinpath("spec.schema.json").read_text("utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


def validate(data: Any, origin: str) -> None:
    """Raise SpecError naming ``origin`` and the JSON path of the first problem."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(spec_json_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top level)"
        raise SpecError(f"{origin}: error: spec does not match the spec format at {where}: {first.message}")


class _Loader(yaml.SafeLoader):
    """Safe loader for JSON values only: timestamps stay strings; aliases (the
    "billion laughs" expansion), ``!!binary``, ``!!set``, ``!!omap``, ``!!pairs`` and
    non-finite floats are refused with the line they are on."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases are not allowed in a spec", event.start_mark
            )
        node: yaml.Node | None = super().compose_node(parent, index)
        return node


def _timestamp_as_text(loader: _Loader, node: yaml.Node) -> Any:
    return loader.construct_yaml_str(node)


def _not_json(loader: _Loader, node: yaml.Node) -> Any:
    raise yaml.constructor.ConstructorError(
        None, None, f"{node.tag} is not a JSON value; a spec holds JSON values only", node.start_mark
    )


def _finite_float(loader: _Loader, node: yaml.ScalarNode) -> Any:
    value = loader.construct_yaml_float(node)
    if value != value or value in (float("inf"), float("-inf")):
        return _not_json(loader, node)
    return value


def _json_values_only(loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]) -> None:
    loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
    loader.add_constructor("tag:yaml.org,2002:float", _finite_float)
    for tag in ("binary", "set", "omap", "pairs"):
        loader.add_constructor(f"tag:yaml.org,2002:{tag}", _not_json)


_json_values_only(_Loader)


def load_yaml(text: str, origin: str) -> Spec:
    try:
        data = _load(text)
    except yaml.YAMLError as exc:
        raise SpecError(_yaml_error(exc, text, origin)) from None
    validate(data, origin)
    return Spec.from_dict(data)


def _load(text: str) -> Any:
    """``text`` through _Loader's rules.  Parsed and composed by libyaml when PyYAML
    has it (several times faster); a composed graph that shares a node came from an
    alias, and goes, like any text libyaml refuses (it also refuses a few PyYAML
    accepts, such as a tab opening a line of a block scalar, which _Dumper writes),
    to PyYAML's own loader, which refuses or reads it exactly as before."""
    if _CLoader is not None:
        loader = _CLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            if not _shares_nodes(node):
                return loader.construct_document(node)
        except yaml.YAMLError:
            pass
        finally:
            loader.dispose()
    return yaml.load(text, Loader=_Loader)


def _shares_nodes(root: yaml.Node) -> bool:
    """Whether a node is reachable twice (libyaml's composer resolves an alias to the
    anchored node itself, so nothing is expanded before this check)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


_CLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _LibyamlLoader(yaml.CSafeLoader):
        pass

    _json_values_only(_LibyamlLoader)
    _CLoader = _LibyamlLoader


def _yaml_error(exc: yaml.YAMLError, text: str, origin: str) -> str:
    """One line: origin:line, the JSON path when the document parsed, the problem."""
    mark = getattr(exc, "problem_mark", None)
    where = f"{origin}:{mark.line + 1}" if mark is not None else origin
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"{context}: {problem}" if context else problem
    path = _node_path(text, mark.index) if mark is not None else None
    at = f" at {'/'.join(path) or '(top level)'}" if path is not None else ""
    return f"{where}: error: not valid YAML{at}: {' '.join(message.split())}"


def _node_path(text: str, index: int) -> list[str] | None:
    """The JSON path of the node starting at ``index``, if the text composes."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    path: list[str] = []
    while node is not None and node.start_mark.index != index:
        if isinstance(node, yaml.MappingNode):
            children = [(str(key.value), value) for key, value in node.value]
        elif isinstance(node, yaml.SequenceNode):
            children = [(str(i), item) for i, item in enumerate(node.value)]
        else:
            return None
        inside = [c for c in children if c[1].start_mark.index <= index < c[1].end_mark.index]
        if not inside:
            return None
        key, node = inside[0]
        path.append(key)
    return path if node is not None else None
