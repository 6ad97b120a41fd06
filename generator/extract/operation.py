"""One declaration + the facts of its scope → a spec ``Operation`` draft.

Also returns what the provider level needs to decide servers and auth: the
origins and prefixes seen in examples, token parameters, basic/bearer evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from generator.document import (
    Block,
    BulletList,
    Endpoint,
    Paragraph,
    Section,
    Table,
    source_place,
)
from generator.extract.endpoints import (
    Declaration,
    Scope,
    normalise_path,
    path_matches,
    path_variables,
    snake,
)
from generator.extract.enums import (
    described_values,
    enumerated_part,
    marked_text,
    prose_default,
    set_values,
)
from generator.extract.facts import Facts, ParamFact, ResponseFact
from generator.extract.http_examples import HttpMessage
from generator.extract.jsonish import (
    infer_schema,
    merge_schemas,
    placeholder_schema,
    stamp_field_lines,
)
from generator.extract.records import Record
from generator.extract.resolve import Resolver
from generator.spec import Body, Operation, Parameter, Response, Schema

_NO_BODY = ("GET", "DELETE", "HEAD", "OPTIONS")
# an operation the docs say needs no credential
_UNAUTHENTICATED = re.compile(
    r"\bunauthenticated\b|\bno authentication\b|\bwithout authentication\b|\bno auth(?:entication|orization)? (?:is )?required\b"
    r"|\bdoes not require (?:any )?auth(?:entication|orization)?\b|\bauthentication\s*:\s*none\b|\boauth\s*:\s*public\b",
    re.I,
)
# request headers that carry an API key
_KEY_HEADER = re.compile(r"^(x-)?(api[-_]?key|api[-_]?token|auth[-_]?token|access[-_]?token|app[-_]?key|apikey)$", re.I)
_TYPE_WORDS = re.compile(r"\b(string|integer|int|float|number|boolean|bool|date|iso|url|uri|hex|guid|dictionary|json|xml|tuple|list|array)\b", re.I)
_PROSE_TYPES: list[tuple[re.Pattern[str], Schema]] = [
    (re.compile(r"\bbetween \d+\.\d+ and \d+(\.\d+)?|\bpercent|\bratio\b", re.I), Schema(type="number")),
    (re.compile(r"\bdate and time\b|\btimestamp\b|\bdate\b", re.I), Schema(type="string", format="date-time")),
    (re.compile(r"^(indicates whether|whether)\b", re.I), Schema(type="boolean")),
    (re.compile(r"\b(the number of|numeric|count of)\b", re.I), Schema(type="integer")),
    (re.compile(r"^(a |the )?list of\b", re.I), Schema(type="array")),
]


@dataclass
class Evidence:
    """What an operation's examples say about servers and auth."""

    origins: list[tuple[str, int]] = field(default_factory=list)  # ("https://host", line)
    prefix: str = ""  # path prefix that belongs to the server ("/v1", "/{account_id}/api")
    basic_users: list[tuple[str, int]] = field(default_factory=list)
    bearer: list[tuple[str, int]] = field(default_factory=list)  # (description, line)
    unauthenticated: bool = False
    api_key_headers: list[tuple[str, str, int]] = field(default_factory=list)  # (header, description, line)


@dataclass
class Draft:
    operation: Operation
    evidence: Evidence
    declaration: Declaration


def build(
    declaration: Declaration,
    scope: Scope,
    facts: Facts,
    resolver: Resolver,
    name: str,
    path: str,
) -> Draft:
    src = lambda line: f"{path}:{line}"  # noqa: E731
    op = Operation(
        name=name,
        method=declaration.method,
        path=declaration.path,
        source=src(declaration.line),
    )
    intro = intro_paragraphs(scope, declaration)
    if intro:
        op.summary = first_sentence(intro[0])
        description = "\n\n".join(intro)
        op.description = description if description != op.summary else ""
    evidence = Evidence()
    if declaration.origin and real_host(declaration.origin.split("://", 1)[-1]):
        evidence.origins.append((declaration.origin, declaration.line))
    if any(_UNAUTHENTICATED.search(p.text) for p in facts.prose):
        evidence.unauthenticated = True
    examples = _matching_requests(declaration, facts.requests)
    params = _parameters(declaration, scope, facts, resolver, src, op)
    _from_examples(declaration, examples, params, evidence, op, src)
    for name in declaration.query:  # named by the URI template ({?fields}), documented or not
        if not any(p.name == name for p in params):
            params.append(Parameter(name=name, location="query", required=False, schema=Schema(type="string"), source=src(declaration.line)))
    for var in path_variables(op.path):
        if not any(p.location == "path" and snake(p.name) == var for p in params):
            params.append(Parameter(name=var, location="path", required=True, schema=Schema(type="string"), source=src(declaration.line)))
    for header, description, line in facts.auth_headers:
        if header.lower() == "authorization" and re.search(r"oauth|bearer|token", description, re.I):
            evidence.bearer.append((description, line))
    for header, value, line in facts.request_headers:
        if header.lower() == "accept" and not op.accept:
            op.accept = _media_type(value)
        if header.lower() == "host" and real_host(value.strip()):
            evidence.origins.append(("https://" + value.strip(), line))
    op.parameters = _order(params, op.path)
    _body(op, facts, examples, src)
    # a nameless field ({"": 1}, "?=1", an empty table cell) cannot be sent as a parameter
    op.parameters = [p for p in op.parameters if p.name.strip()]
    op.responses = _responses(declaration, facts, resolver, src, op)
    return Draft(op, evidence, declaration)


def credential_header(
    evidence: Evidence, header: str, value: str, line: int, bearer_text: str, stated: bool = False
) -> None:
    """A request header that carries a credential, as an example or a conventions
    page shows it: ``Authorization: Bearer …`` (bearer), ``Authorization: Token …`` /
    ``Bot …`` / a bare key, or an API-key header (``X-Api-Key``; any header when the
    page ``stated`` it is the credential's, ``X-Shopify-Access-Token``).  ``Basic`` is
    read from curl's ``-u``."""
    value = value.strip()
    if header.lower() == "authorization":
        if value.lower().startswith("bearer"):
            evidence.bearer.append((bearer_text, line))
        elif value and not value.lower().startswith("basic") and (re.match(r"^[A-Za-z][\w-]*\s+\S", value) or " " not in value):
            evidence.api_key_headers.append(("Authorization", _key_shown(value), line))
    elif stated:
        evidence.api_key_headers.append((header, _key_shown(value), line))
    elif _KEY_HEADER.match(header):
        evidence.api_key_headers.append((header, "", line))


def _key_shown(value: str) -> str:
    words = value.split()
    return f'the value is "{words[0]} <your key>"' if len(words) > 1 else "the key itself is the header's value"


def real_host(host: str) -> bool:
    """Hosts reserved for examples (RFC 2606: ``example.com``, the ``.example``
    top-level domain) and localhost are not servers."""
    return bool(host) and not re.search(r"(^|\.)example(\.(org|com|net))?(:\d+)?$|^(localhost|127\.0\.0\.1)(:\d+)?$", host)


def first_sentence(text: str) -> str:
    match = re.match(r"^(.+?[.!?])(\s|$)", text.strip(), re.S)
    sentence = match.group(1) if match else text.strip()
    return re.sub(r"\s+", " ", sentence)


def intro_paragraphs(scope: Scope, declaration: Declaration) -> list[str]:
    """The prose that introduces the endpoint: leading paragraphs of the scope, of a
    heading that is itself the declaration, or of a Description/Overview section."""
    found: list[str] = []
    fallback: list[str] = []  # "This call returns these details …:" when nothing else

    def leading(blocks: list[Block]) -> None:
        for index, block in enumerate(blocks):
            if isinstance(block, Paragraph):
                following = blocks[index + 1] if index + 1 < len(blocks) else None
                text = "\n".join(line for line in block.text.strip().split("\n") if not _is_declaration_line(line.strip())).strip()
                if text.endswith(":") and not found and not fallback:
                    fallback.append(_one_line(text[:-1]).strip() + ".")
                if not text or text.endswith(":") or (block.spans and block.spans[0].kind == "strong" and text.startswith(block.spans[0].text) and len(text) < 80):
                    continue
                if isinstance(following, (Table, BulletList)):
                    # the last line introduces the table ("… one of the following states.")
                    text = "\n".join(text.split("\n")[:-1]).strip()
                    if not text:
                        continue
                found.append(_one_line(text))
            elif isinstance(block, Section):
                if re.match(r"^(description|overview|summary|about)$", block.title.strip(), re.I) or (
                    declaration.holder is not None and block is declaration.holder and not found
                ) or _is_declaration_line(block.title):
                    leading(block.children)
                if found:
                    return
            elif isinstance(block, Endpoint):
                continue
            elif found:
                return

    blocks = scope.blocks
    while len(blocks) == 1 and isinstance(blocks[0], Section):  # the page title wraps it all
        blocks = blocks[0].children
    leading(blocks)
    return found or fallback


def _one_line(text: str) -> str:
    r"""Lines joined by one space, blanks around each line break dropped.  (Not
    ``re.sub(r"[ \t]*\n[ \t]*", …)``: that rescans a run of blanks from each of its
    positions when no line break follows — quadratic.)"""
    return " ".join(line.strip(" \t") for line in text.split("\n")) if "\n" in text else text


def _is_declaration_line(text: str) -> bool:
    return bool(re.match(r"^(?:[A-Za-z ]{0,20}:\s*)?(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(/|https?://)", text))


def _matching_requests(declaration: Declaration, requests: list[tuple[HttpMessage, int]]) -> list[tuple[HttpMessage, int, str]]:
    matched = []
    for message, line in requests:
        if message.method != declaration.method:
            continue
        _, example_path = normalise_path(message.target)
        prefix = path_matches(declaration.path, example_path)
        if prefix is not None:
            matched.append((message, line, prefix))
    return matched


def _applies(fact: ParamFact, declaration: Declaration, scope: Scope) -> bool:
    """Conditional groups ("Required (when adding media from URL)") apply to the
    declaration whose qualifier ("from URL") they mention."""
    if not fact.condition:
        return True
    qualified = [d for d in scope.declarations if d.qualifier]
    condition = snake(fact.condition)
    mentioned = [d for d in qualified if snake(d.qualifier) and snake(d.qualifier) in condition]
    if not mentioned:
        return True
    return declaration in mentioned


def _parameters(declaration: Declaration, scope: Scope, facts: Facts, resolver: Resolver, src: Any, op: Operation) -> list[Parameter]:
    params: list[Parameter] = []
    variables = path_variables(declaration.path)
    for fact in facts.params:
        if not _applies(fact, declaration, scope):
            continue
        record = fact.record
        location = fact.location
        if snake(record.name) in variables:
            location = "path"
            if record.name.strip() != snake(record.name):
                # ":id", "{id}", "<jobId>": the variable, named as in the path
                record = replace(record, name=snake(record.name))
        elif record.name == "id" and location in ("params", "fields", "body") and _id_variable(record, variables):
            # "id | Y | id of the schedule you want to clone" on /schedules/{schedule_id}/clone
            record = Record(_id_variable(record, variables), record.line, dict(record.details), dict(record.blocks))
            location = "path"
        elif location == "params":
            location = "query" if declaration.method in _NO_BODY else "body"
        elif location == "fields":
            if declaration.method in _NO_BODY:
                facts.response_fields.append(record)
                continue
            location = "body"
        if location == "body" and re.fullmatch(r"(not applicable|n/?a|none|-|body|raw( body)?)", record.name.strip(), re.I):
            op.body = Body("application/octet-stream", required=bool(fact.required), description=_clean(record.get("description")), source=src(record.line))
            continue
        if re.search(r"\s", record.name.strip()):
            # a sub-heading row inside a parameter table ("Job Options"), or a name no
            # request can carry as written ("user id"): said, not silently lost
            facts.warn(record.line, f"row {record.name.strip()!r} has a space in its name: read as a sub-heading, not as a parameter")
            continue
        # a second row for the same name is kept: validity.enforce merges the two and says so
        params.append(_parameter(record, location, fact.required, resolver, src))
    return params


def _id_variable(record: Record, variables: list[str]) -> str:
    """The one ``{<resource>_id}`` path variable whose resource the description names."""
    text = record.get("description").lower()
    found = [v for v in variables if v.endswith("_id") and v[:-3].replace("_", " ") in text]
    return found[0] if len(found) == 1 else ""


_SPACES = re.compile(r"\s+")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _parameter(record: Record, location: str, required: bool | None, resolver: Resolver, src: Any) -> Parameter:
    description = _clean(record.get("description"))
    record = _with_qualifier(record)
    flag = record.get("required").strip().lower()
    if flag:
        required = flag in ("y", "yes", "true", "required", "mandatory", "x", "✓", "✔")
    elif re.search(r"\(optional\)|^optional\b", description, re.I):
        required = False
    elif re.search(r"\(required\)|^required\b", description, re.I):
        required = True
    if not record.get("default"):
        stated = prose_default(marked_text(record.blocks.get("description", [])) or record.get("description"))
        if stated:
            record = replace(record, details={**record.details, "default": stated})
    schema = param_schema(record, resolver, src)
    example = _example_value(record.get("example"), record.name, schema)
    default = _typed_value(record.get("default"), schema)
    if location == "path":
        required = True
    return Parameter(
        name=record.name.strip(),
        location=location,
        required=bool(required),
        description=description,
        schema=schema,
        default=default,
        example=example,
        source=src(record.line),
    )


def _with_qualifier(record: Record) -> Record:
    """``id (required, number, `1`) - text``: the parenthesis after a listed name says
    whether it is required, its type and an example (API Blueprint, many READMEs)."""
    qualifier = record.get("qualifier")
    if not qualifier:
        return record
    details = dict(record.details)
    words = [w.strip() for w in qualifier.split(",")]
    for word in words:
        lowered = word.lower().strip("*_ ")
        if lowered in ("required", "optional") and not details.get("required"):
            details["required"] = "yes" if lowered == "required" else "no"
        elif re.fullmatch(r"`[^`]+`", word) and not details.get("example"):
            details["example"] = word.strip("`")
        elif _TYPE_WORDS.fullmatch(lowered) or re.fullmatch(r"(array|list)(\[.*\])?|number|object|enum(\[.*\])?", lowered):
            details.setdefault("type", lowered)
    return replace(record, details=details)


def param_schema(record: Record, resolver: Resolver, src: Any) -> Schema:
    allowed = _clean(record.get("enum"))
    type_text = _clean(record.get("type"))
    schema = Schema()
    for block in record.blocks.get("enum", []):
        if isinstance(block, Paragraph):
            for ref in block.refs():
                name = resolver.ref_for_label(ref, src(record.line).rsplit(":", 1)[0], block.line)
                if name:
                    return Schema(ref=name)
    if record.values:
        schema.enum = [v.name for v in record.values]
        schema.type = "string"
    elif allowed:
        listed = re.fullmatch(r"\[\s*(.+?)\s*\]", allowed)
        if listed:
            schema.enum = [v.strip() for v in listed.group(1).split(",") if v.strip()]
            schema.type = "string"
        elif _TYPE_WORDS.search(allowed):
            schema = placeholder_schema(allowed)
        elif _INTEGER.fullmatch(allowed):
            schema = Schema(type="integer", enum=[int(allowed)])
        elif re.fullmatch(r"[\w.-]+(\s*[,|/]\s*[\w.-]+)+", allowed):
            schema.enum = [v.strip() for v in re.split(r"[,|/]", allowed) if v.strip()]
            schema.type = "string"
    nullable = type_text.startswith("?")  # "?string": may be null (not: may be absent)
    type_text = type_text.lstrip("?").strip()
    if type_text and not schema.type:
        schema = merge_schemas(placeholder_schema(type_text), schema)
    if nullable:
        schema.nullable = True
    _prose_values(schema, record, resolver, src)
    if not schema.type and not schema.ref:
        example = _strip_example(record.get("example"), record.name) or record.get("default")
        if example:
            inferred = _scalar(example)
            schema.type = {bool: "boolean", int: "integer", float: "number"}.get(type(inferred), "string")
        else:
            schema.type = "string"
    return schema


def _prose_values(schema: Schema, record: Record, resolver: Resolver, src: Any) -> None:
    """The values a parameter's description enumerates ("Specify `warn`, `hide` or
    `blur`", a "limited to:" list, a link to a table of values); on an array
    parameter they are its items' values."""
    target = enumerated_part(schema)
    if target.enum or target.ref:
        return
    page = source_place(src(0))[0]
    values = described_values(
        record.name, record.blocks.get("description", []), record.get("description"),
        lambda link, line: resolver.values_for_link(link, page, line),
    )
    if values:
        if target.type == "string" and not record.get("type") and all(isinstance(v, int) for v in values):
            target.type = None  # typed only by a guess: the integers decide
        set_values(schema, values)


def _strip_example(text: str, name: str) -> str:
    text = text.strip().strip("`").strip()
    if text.lower().startswith(name.lower() + "="):
        text = text[len(name) + 1 :]
    if re.fullmatch(r"(not applicable|n/?a|none|-)", text, re.I):
        return ""
    return text


def _scalar(text: str) -> Any:
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if _INTEGER.fullmatch(lowered):
        return int(lowered)
    if _DECIMAL.fullmatch(lowered):
        return float(lowered)
    return text.strip()


# Longer digit runs stay text: int() refuses more than 4300 digits (ValueError) and
# float() turns 309+ digits into infinity, which no JSON spec can hold.
_INTEGER = re.compile(r"-?\d{1,300}")
_DECIMAL = re.compile(r"-?\d{1,300}\.\d{1,300}")


def _typed_value(text: str, schema: Schema) -> Any:
    text = text.strip().strip("`").strip()
    if not text or re.fullmatch(r"(blank|none|n/?a|-|empty|not applicable|system generated|\(?none\)?)", text, re.I):
        return None
    value = _scalar(text)
    if schema.type == "boolean" and isinstance(value, bool):
        return value
    if schema.type in ("integer", "number") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if schema.type in ("string", None) and re.fullmatch(r"[\w.:/@-]+", text):
        return text
    return None  # prose such as "3600 seconds (60 minutes)": stays in the description only


def _example_value(text: str, name: str, schema: Schema) -> Any:
    stripped = _strip_example(text, name)
    if not stripped:
        return None
    value = _scalar(stripped)
    if schema.type == "string" and not isinstance(value, str):
        return stripped
    return value


def _from_examples(declaration: Declaration, examples: list[tuple[HttpMessage, int, str]], params: list[Parameter], evidence: Evidence, op: Operation, src: Any) -> None:
    for message, line, prefix in examples:
        scheme, host, _, query = message.url_parts
        if host and real_host(host):
            origin, _ = normalise_path(f"{scheme or 'https'}://{host}/")
            if origin:
                # the Host: header's own line when the host came from it
                from_host = "://" not in message.target and "host" in message.header_lines
                offset = message.header_lines["host"] - message.line if from_host else 0
                evidence.origins.append((origin, line + offset))
        if prefix and not evidence.prefix:
            evidence.prefix = normalise_path(prefix)[1] if prefix != "/" else ""
        accept = message.header("Accept")
        if accept and not op.accept:
            op.accept = _media_type(accept)
        for name, value in message.headers:
            credential_header(evidence, name, value, line, "")
        if message.user is not None:
            evidence.basic_users.append((message.user, line))
        for key, value in query:
            existing = next((p for p in params if p.location == "query" and p.name == key), None)
            if existing is None and any(p.name == key for p in params):
                continue  # documented elsewhere (a form field the example writes as a query)
            if existing is None:
                params.append(Parameter(name=key, location="query", required=False, schema=Schema(type=_json_type(_scalar(value))), example=_scalar(value), source=src(line)))
            elif existing.example is None:
                existing.example = _scalar(value)
        for key, value in message.form:
            _form_field(params, key, value, src(line))
        if message.body and declaration.method not in _NO_BODY:
            pass  # JSON bodies are handled in _body


def _form_field(params: list[Parameter], key: str, value: str, source: str) -> None:
    """``-d "cluster[nodes]=4"``: the documented ``nodes`` parameter is sent as
    ``cluster[nodes]``; documented ``task[nodes]`` as ``schedule[task][nodes]``."""
    wire = _bracket_path(key)
    for param in params:
        if param.location not in ("body", "query"):
            continue
        documented = _bracket_path(param.name)
        if param.name == key or (len(documented) < len(wire) and wire[-len(documented):] == documented):
            param.name, param.location = key, "body"
            if param.example is None and not value.startswith("<"):
                param.example = _scalar(value)
            return
        if len(documented) < len(wire) - 1 and wire[1 : 1 + len(documented)] == documented and wire[-1].startswith("<"):
            # -d "job[variables][<NAME>]=..." is one entry of the documented map "variables"
            param.name, param.location = key.split("[", 1)[0] + "".join(f"[{p}]" for p in documented), "body"
            param.schema = Schema(type="object", additional_properties=Schema(type="string"), description=param.schema.description)
            return
    if any(p.name.startswith(key.split("[<", 1)[0]) for p in params if "[<" in key):
        return
    example = None if value.startswith("<") else _scalar(value)
    params.append(Parameter(name=key, location="body", required=False, schema=Schema(type=_json_type(example) if example is not None else "string"), example=example, source=source))


def _bracket_path(name: str) -> list[str]:
    r"""``a[b][c]`` → [a, b, c]: the text before each "]" back to the previous bracket
    (what ``re.findall(r"([^\[\]]*)\]", …)`` gives, without rescanning a long run of
    other characters from each of its positions)."""
    head, _, rest = name.partition("[")
    if not rest:
        return [head]
    parts = re.split(r"([\[\]])", "[" + rest)
    return [head] + [parts[i - 1] for i in range(1, len(parts), 2) if parts[i] == "]"]


def _json_type(value: Any) -> str:
    return {bool: "boolean", int: "integer", float: "number"}.get(type(value), "string")


def _media_type(value: str) -> str:
    match = re.search(r"(?<![\w.+-])[\w.+-]+/[\w.+-]+", value)  # starts at a run's start: linear
    return match.group(0) if match else ""


def _order(params: list[Parameter], path: str) -> list[Parameter]:
    """Path parameters in path order first, then the documented order."""
    variables = path_variables(path)
    rank = {"path": 0, "query": 1, "header": 2, "body": 3}
    return sorted(
        params,
        key=lambda p: (rank.get(p.location, 4), variables.index(snake(p.name)) if p.location == "path" and snake(p.name) in variables else 0),
    )


def _body(op: Operation, facts: Facts, examples: list[tuple[HttpMessage, int, str]], src: Any) -> None:
    body_params = [p for p in op.parameters if p.location == "body"]
    json_example = None
    line = 0
    for value, value_line in facts.request_bodies:
        json_example, line = value, value_line
        break
    for message, message_line, _ in examples:
        if message.body.strip().startswith(("{", "[")) and json_example is None:
            from generator.extract.jsonish import parse_example

            value, problem = parse_example(message.body)
            if problem is None:
                json_example, line = value, message_line
    if op.body is not None:
        return
    if json_example is not None:
        op.body = Body("application/json", required=True, example=json_example, source=src(line))
        known = {p.name for p in body_params}
        if isinstance(json_example, dict):
            for key, value in json_example.items():
                if key not in known:
                    op.parameters.append(Parameter(name=str(key), location="body", required=False, schema=infer_schema(value), source=src(line)))
        return
    if any(message.upload for message, _, _ in examples) and not body_params:
        message, message_line, _ = next(e for e in examples if e[0].upload)
        op.body = Body("application/octet-stream", required=True, source=src(message_line))
        return
    if body_params:
        first = min(body_params, key=lambda p: p.source)
        multipart = any(message.multipart for message, _, _ in examples)
        op.body = Body(
            "multipart/form-data" if multipart else "application/x-www-form-urlencoded",
            required=any(p.required for p in body_params),
            source=first.source,
        )


def _responses(declaration: Declaration, facts: Facts, resolver: Resolver, src: Any, op: Operation) -> list[Response]:
    by_status: dict[str, list[ResponseFact]] = {}
    statuses = [f.status for f in facts.responses if f.status]
    success = next((s for s in statuses if s.startswith("2")), "200")
    for fact in facts.responses:
        by_status.setdefault(fact.status or success, []).append(fact)
    if success not in by_status:
        by_status[success] = [ResponseFact(status=success, line=declaration.line, description="")]
    responses = []
    for status in sorted(by_status):
        group = by_status[status]
        response = Response(status=status, source=src(min(f.line for f in group)))
        response.description = next((f.description for f in group if f.description), "")
        response.media_type = next((f.media_type for f in group if f.media_type), "")
        example_fact = next((f for f in group if f.has_example), None)
        refs = [r for f in group for r in f.refs]
        schema: Schema | None = None
        for ref in refs:
            name = resolver.ref_for_label(ref, src(0).rsplit(":", 1)[0], group[0].line)
            if name:
                schema = Schema(ref=name)
                break
        if schema is None and status == success and facts.returns:
            target, array, line = facts.returns[0]
            name = resolver.ref_for_link(target, src(0).rsplit(":", 1)[0], line)
            if name:
                schema = Schema(type="array", items=Schema(ref=name)) if array else Schema(ref=name)
        if example_fact is not None:
            response.example = example_fact.example
            inferred = infer_schema(example_fact.example, resolver.ref_for_type)
            inferred.source = src(example_fact.example_line or example_fact.line)
            stamp_field_lines(inferred, example_fact.example_text, example_fact.example_line, src(0).rsplit(":", 1)[0])
            named = schema.ref if schema is not None else None
            if schema is not None and schema.type == "array" and schema.items is not None and schema.items.ref:
                named = schema.items.ref
                inferred = inferred.items if inferred.type == "array" and inferred.items is not None else Schema()
            if named:
                if inferred.type in (None, "object"):
                    resolver.enrich(named, _without_examples(inferred))
            else:
                schema = inferred
        if status == success:
            schema = _apply_fields(schema, facts, resolver, src)
        response.schema = schema
        if not response.media_type and (schema is not None or example_fact is not None):
            response.media_type = op.accept if op.accept and "json" in op.accept else "application/json"
        if not response.description:
            response.description = _reason(status)
        responses.append(response)
    return responses


def _without_examples(schema: Schema) -> Schema:
    copy = Schema(**{**schema.__dict__})
    copy.example = None
    copy.properties = {k: _without_examples(v) for k, v in schema.properties.items()}
    copy.items = _without_examples(schema.items) if schema.items else None
    copy.additional_properties = _without_examples(schema.additional_properties) if schema.additional_properties else None
    return copy


def _apply_fields(schema: Schema | None, facts: Facts, resolver: Resolver, src: Any) -> Schema | None:
    """Prose field lists and enum tables add descriptions, enums and types to the
    success response schema (matched by name, top level first, then nested)."""
    if not facts.response_fields and not facts.enums:
        return schema
    target = schema
    if target is not None and target.ref:
        target = resolver.schema(target.ref)
    if target is None:
        target = Schema(type="object")
        schema = Schema(type="array", items=target) if facts.response_array else target
    elif facts.response_array and target.type == "array" and target.items is not None:
        target = target.items
    for record in facts.response_fields:
        _apply_field(target, record, src)
    for words, values, line in facts.enums:
        _apply_enum(target, words, values, src(line))
    return schema


def _apply_field(target: Schema, record: Record, src: Any) -> None:
    record = _with_qualifier(record)
    name = record.name.strip()
    if "." in name.strip("."):
        # "resource.cpu": the field cpu of the field resource (os-api-ref lists nested
        # fields flat, named by their path)
        head, _, rest = name.partition(".")
        parent = _find_property(target, head)
        while parent is not None and parent.items is not None:
            parent = parent.items
        if parent is not None:
            _apply_field(parent, replace(record, name=rest), src)
        return
    node = _find_property(target, name)
    description = _clean(record.get("description"))
    typed = placeholder_schema(record.get("type").strip("*_ ")) if record.get("type") else None
    prose = typed if typed is not None and typed.type else _prose_schema(description)
    if node is None:
        envelope = _envelope(target)
        if envelope is not None:  # {"flavor": {...}}: the fields are the flavor's
            _apply_field(envelope, record, src)
            return
        node = prose or Schema()
        if target.type in (None, "object"):
            target.type = "object"
            target.properties[name] = node
        else:
            return
    if prose is not None and node.type in (None, "integer") and prose.type in ("number", "integer", "boolean", "array", "string"):
        if node.type is None or (node.type == "integer" and prose.type == "number"):
            node.type, node.format = prose.type, node.format or prose.format
    if prose is not None and prose.format and node.type == "string" and not node.format:
        node.format = prose.format
    node.description = node.description or re.split(r"\.?\s*Possible values are:?", description)[0].strip()
    node.source = src(record.line)  # the prose that documents the field, over the example line
    if not record.values and not node.enum and not node.ref:
        values = described_values(name, record.blocks.get("description", []), record.get("description"))
        if values:
            set_values(node, values)
    if record.values and record.nested_kind == "enum":
        node.enum = [v.name for v in record.values]
        node.type = node.type or "string"
        descriptions = [f"{v.name}: {_clean(v.get('description'))}" for v in record.values if v.get("description")]
        if descriptions:
            node.description = (node.description + "\n\n" if node.description else "") + "\n".join(descriptions)
    elif record.values:
        for child in record.values:
            _apply_field(node if node.type == "object" else target, child, src)


def _envelope(schema: Schema) -> Schema | None:
    """The object inside a one-key wrapper (``{"flavor": {...}}``, ``{"servers":
    [{...}]}``), which is where a response's documented fields live."""
    if len(schema.properties) != 1:
        return None
    inner = next(iter(schema.properties.values()))
    while inner.items is not None:
        inner = inner.items
    return inner if inner.properties else None


def _prose_schema(description: str) -> Schema | None:
    for pattern, schema in _PROSE_TYPES:
        if pattern.search(description):
            return Schema(type=schema.type, format=schema.format)
    return None


def _find_property(schema: Schema, name: str) -> Schema | None:
    if name in schema.properties:
        return schema.properties[name]
    matches: list[Schema] = []

    def search(node: Schema, depth: int) -> bool:
        """False once a second match is found: the name is ambiguous, stop looking."""
        if depth > 8:
            return True
        for key, child in node.properties.items():
            if key == name:
                matches.append(child)
                if len(matches) > 1:
                    return False
            if (child.properties or child.items is not None) and not search(child, depth + 1):
                return False
        return node.items is None or search(node.items, depth + 1)

    search(schema, 0)
    return matches[0] if len(matches) == 1 else None


def _apply_enum(target: Schema, words: str, values: list[Record], source: str) -> None:
    """"A job can be in one of the following states." + a table → the ``state`` field."""
    candidates = [snake(w).rstrip("s") for w in re.findall(r"[A-Za-z]+", words)]
    names = [n for n in ("state", "status") if n in candidates] + [c for c in candidates if len(c) > 2]
    for name in names:
        node = _find_property(target, name) or _find_property(target, name + "s")
        if node is not None:
            node.enum = [v.name for v in values]
            node.type = node.type or "string"
            lines = [f"{v.name}: {_clean(v.get('description'))}" for v in values if v.get("description")]
            node.description = node.description or "\n".join(lines)
            node.source = node.source or source
            return


_REASONS = {
    "200": "OK", "201": "Created", "202": "Accepted", "204": "No Content", "301": "Moved Permanently",
    "302": "Found", "304": "Not Modified", "400": "Bad Request", "401": "Unauthorized", "403": "Forbidden",
    "404": "Not Found", "405": "Method Not Allowed", "409": "Conflict", "410": "Gone", "422": "Unprocessable Entity",
    "429": "Too Many Requests", "500": "Internal Server Error", "502": "Bad Gateway", "503": "Service Unavailable",
}


def _reason(status: str) -> str:
    return _REASONS.get(status, "Response")
