"""Walk one endpoint scope and collect what it documents, as ``Facts``.

Facts are still un-merged observations with their lines: parameter records with
their location/required/condition, response observations per status, prose field
lists, enum tables, request examples, refs.  ``operation.py`` turns them into
spec objects for each declaration of the scope.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generator.document import (
    Block,
    BulletList,
    CodeBlock,
    DefinitionList,
    Diagnostic,
    Directive,
    Endpoint,
    Include,
    Paragraph,
    Raw,
    Section,
    Table,
    block_text,
    walk,
)
from generator.extract.context import Context, classify, is_label
from generator.extract.enums import marked_text
from generator.extract.http_examples import HttpMessage, parse_messages, parse_status
from generator.extract.jsonish import looks_like_json, parse_example
from generator.extract.records import (
    Record,
    definition_records,
    list_records,
    name_markers,
    table_records,
)
from generator.extract.resolve import Resolver

_STATUS_NAME = re.compile(
    r"^\s*([1-5]\d\d)\b\s*[-–—:]?\s*(.*)$"
)  # status codes are 100-599
_HTTPDOMAIN_FIELD = re.compile(r"^(\w+|[<>]json(?:arr)?)\s+(?:(\w+)\s+)?([^\s]+)$")
_HTTPDOMAIN_KINDS = {
    "query": "query", "queryparameter": "query", "queryparam": "query", "qparam": "query",
    "param": "path", "parameter": "path", "arg": "path", "argument": "path",
    "form": "body", "formparameter": "body",
    "reqjson": "body", "<json": "body", "jsonparameter": "body", "jsonparam": "body", "json": "body",
    "reqheader": "header", "requestheader": "header",
    "resjson": "response", ">json": "response", "jsonarr": "response-array", ">jsonarr": "response-array",
    "<jsonarr": "body", "reqjsonarr": "body", "resjsonarr": "response-array",
    "resheader": "response-header", "responseheader": "response-header",
    "statuscode": "status", "status": "status", "code": "status",
}
# httpdomain's grouped field lists (":Query Parameters:" then a bullet list), as
# Sphinx renders them and some docs write them
_GROUPED_FIELDS = {
    "query parameters": "query", "parameters": "path", "form parameters": "body",
    "request json object": "body", "request json array of objects": "body",
    "response json object": "response", "response json array of objects": "response-array",
    "request headers": "header", "response headers": "response-header", "status codes": "status",
}


@dataclass
class ParamFact:
    record: Record
    location: str  # query | path | header | body | fields (request or response: decided per method)
    required: bool | None
    condition: str
    line: int


@dataclass
class ResponseFact:
    status: str  # "" = the success response, status not stated
    line: int
    description: str = ""
    media_type: str = ""
    example: Any = None
    has_example: bool = False
    refs: list[str] = field(default_factory=list)
    example_text: str = ""  # the example as written, for per-field provenance
    example_line: int = 0  # source line of its first line


@dataclass
class Facts:
    path: str
    prose: list[Paragraph] = field(default_factory=list)
    params: list[ParamFact] = field(default_factory=list)
    responses: list[ResponseFact] = field(default_factory=list)
    response_fields: list[Record] = field(default_factory=list)
    enums: list[tuple[str, list[Record], int]] = field(default_factory=list)  # (context words, values, line)
    requests: list[tuple[HttpMessage, int]] = field(default_factory=list)  # message, absolute line
    request_bodies: list[tuple[Any, int]] = field(default_factory=list)
    request_headers: list[tuple[str, str, int]] = field(default_factory=list)
    auth_headers: list[tuple[str, str, int]] = field(default_factory=list)  # (header, description, line)
    refs: list[tuple[str, int]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pending_status: str = ""
    pending_status_line: int = 0
    resolver: Resolver | None = None  # follows Include edges; None: they are skipped
    returns: list[tuple[str, bool, int]] = field(default_factory=list)  # (link to the object, array?, line)
    response_array: bool = False  # the documented response fields are those of array elements

    def warn(self, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic("warning", self.path, line, message))


def collect(blocks: list[Block], path: str, resolver: Resolver | None = None) -> Facts:
    facts = Facts(path=path, resolver=resolver)
    _walk(blocks, (), facts)
    return facts


def _walk(blocks: list[Block], titles: tuple[str, ...], facts: Facts) -> None:
    label = ""
    heading_label = False  # the label is a bold heading not yet followed by content
    previous: Block | None = None
    for block in blocks:
        context = Context(titles, label)
        if isinstance(block, Section):
            _walk(block.children, titles + (block.title,), facts)
            label = ""
        elif isinstance(block, Paragraph):
            if is_label(block):
                # "**Request Body** — Required" then "… a query string that contains the
                # following parameters:" — the bold heading still names the table
                if not heading_label:
                    label = block.text.strip()
                    heading_label = bool(block.spans) and block.spans[0].kind == "strong"
            else:
                facts.prose.append(block)
            _prose_statuses(block, facts)
            _returned_object(block, facts)
            _supported_headers(block, facts)
            if context.in_response():
                _bare_status(block, facts)
            facts.refs.extend((ref, block.line) for ref in block.refs())
        elif isinstance(block, Table):
            if not label and isinstance(previous, Paragraph):
                context = Context(titles, previous.text.strip(), from_prose=True)
            _table(block, context, facts)
        elif isinstance(block, BulletList):
            if not label and isinstance(previous, Paragraph):
                context = Context(titles, previous.text.strip())
            if _blueprint_list(block, context, facts):
                previous = block
                continue
            if _status_list(block, facts):
                previous = block
                continue
            _records(list_records(block), context, facts, block.line)
            for item in block.items:  # "* `DELETE /todos/1.json` ... will return `204 No Content`"
                for paragraph in item.children:
                    if isinstance(paragraph, Paragraph):
                        _prose_statuses(paragraph, facts)
                        _returned_object(paragraph, facts)
        elif isinstance(block, DefinitionList):
            _definitions(block, context, facts)
        elif isinstance(block, CodeBlock):
            _code(block, context, facts)
        elif isinstance(block, (Directive, Endpoint)):
            _walk(block.children, titles, facts)
        elif isinstance(block, Include):
            _include(block, context, facts)
        if not isinstance(block, Paragraph):
            heading_label = False
        previous = block


# "Normal response codes: 200, 202" / "Error response codes: badRequest(400), ..."
_CODE_LIST = re.compile(r"\b(normal|success(?:ful)?|error|failure)\s+(?:http\s+)?(?:response|status)\s+codes?\s*:\s*(.+)", re.I | re.S)
# "Returns a 204 empty response on success", "will return `201 Created`", "responds
# with 409 if ..." — a code, then what a status is followed by (never "200 guilds")
_RETURNS_CODE = re.compile(
    r"\b(?i:returns?|responds?(?:\s+with)?|will\s+return)\b[^.;\n]{0,30}?[`\"']?(?<![-\d.\w])([1-5]\d\d)\b[`\"']?"
    r"(?=\s*(?:$|[`\"'.,;:)]|\s*\(|(?:[A-Z][a-z]+\b)|(?:empty|response|status|code|error|on|if|when|success|and|or)\b))"
)


_ANY_CODE = re.compile(r"[1-5]\d\d")


def _prose_statuses(paragraph: Paragraph, facts: Facts) -> None:
    """Status codes stated in words: success codes become the documented success
    responses, error codes documented error responses."""
    text = paragraph.text
    if not _ANY_CODE.search(text):
        return  # no status code in it: most paragraphs end here
    listed = _CODE_LIST.search(text)
    if listed:  # success and error codes alike: each is a documented response
        for code in re.findall(r"\b([1-5]\d\d)\b", listed.group(2)):
            _stated_status(facts, code, paragraph.line, "")
        return
    for match in _RETURNS_CODE.finditer(text):
        code = match.group(1)
        reason = re.match(r"\s*([A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)*)", text[match.end():])
        _stated_status(facts, code, paragraph.line, reason.group(1) if reason else "")


# "This endpoint supports the `X-Audit-Log-Reason` header": a header the request may send
_SUPPORTED_HEADER = re.compile(
    r"\b(?:supports?|accepts?|honou?rs?|may (?:send|include|pass|set)|can (?:send|include|pass|set)|optional(?:ly)?)\b"
    r"[^.;\n]{0,30}?`((?:X-)?[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+)`\s+(?:request\s+)?header\b"
)
_NOT_PARAMETER_HEADERS = {"authorization", "content-type", "accept", "content-length", "host", "user-agent", "cookie"}


def _supported_headers(paragraph: Paragraph, facts: Facts) -> None:
    if "header" not in paragraph.text:
        return
    for match in _SUPPORTED_HEADER.finditer(marked_text([paragraph])):
        name = match.group(1)
        if name.lower() in _NOT_PARAMETER_HEADERS or any(p.location == "header" and p.record.name.lower() == name.lower() for p in facts.params):
            continue
        record = Record(name, paragraph.line, {"description": paragraph.text.strip()})
        facts.params.append(ParamFact(record, "header", False, "", paragraph.line))


_RETURNS_WORD = re.compile(r"\breturn(s|ed|ing)?\b", re.I)


def _returned_object(paragraph: Paragraph, facts: Facts) -> None:
    """"Returns: Array of [Status](entities/status)", "Returns a [guild](#guild-object)
    object", "Returns a list of [member](...) objects": the link names where the
    returned object is defined."""
    text = paragraph.text
    if facts.returns or not paragraph.spans or "eturn" not in text:
        return
    word = _RETURNS_WORD.search(text)
    if word is None:
        return
    position = word.end()
    for span in paragraph.spans:
        if span.kind not in ("link", "ref") or not span.target:
            continue
        at = text.find(span.text, position)
        if at < 0:
            continue
        between = text[position:at]
        if len(between) > 40 or re.search(r"[.;!?]\s|\n", between):
            return
        after = text[at + len(span.text) : at + len(span.text) + 12]
        array = bool(re.search(r"\b(array|list|collection)s?\s+of\b", between, re.I)) or bool(re.match(r"\s*objects\b", after, re.I))
        facts.returns.append((span.target, array, paragraph.line))
        return


def _bare_status(paragraph: Paragraph, facts: Facts) -> None:
    """Under a Response heading, a line that is only a status ("Header 204.",
    "200 OK", "Status: 201 Created") states the response's status."""
    match = re.fullmatch(r"(?:[A-Za-z]+:?\s+)?([1-5]\d\d)(?:\s+([A-Za-z][A-Za-z -]{0,30}))?\.?", paragraph.text.strip())
    if match:
        _stated_status(facts, match.group(1), paragraph.line, (match.group(2) or "").strip())


def _stated_status(facts: Facts, code: str, line: int, reason: str) -> None:
    if any(f.status == code for f in facts.responses):
        return
    facts.responses.append(ResponseFact(status=code, line=line, description=reason))


_STATUS_ITEM = re.compile(r"^\s*`?([1-5]\d\d)`?\b[\s:–—-]*(.*)$", re.S)


def _status_list(block: BulletList, facts: Facts) -> bool:
    """A list whose every item starts with a status code ("- 400 if the name is
    taken", "* `404` - no such user"): documented responses."""
    texts = [block_text(item.children).strip() for item in block.items]
    matches = [_STATUS_ITEM.match(t) for t in texts]
    if not texts or not all(matches):
        return False
    for item, match in zip(block.items, matches):
        assert match is not None
        reason = re.sub(r"\s+", " ", match.group(2)).strip()
        reason = re.split(r"\s+(?:--|—|–)\s+", reason, maxsplit=1)[-1]  # "Created -- created": the explanation
        _stated_status(facts, match.group(1), item.line, reason[:120])
    return True


_SECTION_ITEM = re.compile(r"^(parameters|attributes|headers|request|response)\b\s*(\d{3})?\s*(?:\(([^)]*)\))?\s*$", re.I)


def _blueprint_list(block: BulletList, context: Context, facts: Facts) -> bool:
    """API Blueprint's ``+ Parameters`` (a nested list of ``name (required,
    number) - text``), ``+ Request (application/json)`` and ``+ Response 200
    (application/json)`` items, whose examples are indented under them.  True when
    the list was such a list."""
    found = False
    for item in block.items:
        first = next((b for b in item.children if isinstance(b, Paragraph)), None)
        match = _SECTION_ITEM.match(first.text.strip()) if first is not None else None
        if match is None:
            continue
        found = True
        word = match.group(1).lower()
        nested = [b for b in item.children if isinstance(b, BulletList)]
        if word in ("parameters", "headers"):
            for listed in nested:
                _records(list_records(listed), context, facts, listed.line, "params" if word == "parameters" else "header")
            continue
        codes = [b for b in walk(item.children) if isinstance(b, CodeBlock)]
        body = next((c for c in codes if looks_like_json(c.text)), None)
        if word == "request":
            if body is not None:
                value, problem = parse_example(body.text)
                if problem is None:
                    facts.request_bodies.append((value, body.line))
            continue
        if word == "response":
            fact = ResponseFact(status=match.group(2) or "", line=first.line, media_type=(match.group(3) or "").split(";")[0].strip())  # type: ignore[union-attr]
            if body is not None:
                _example_into(fact, body.text, body.first_line, facts)
            facts.responses.append(fact)
        elif word == "attributes":
            for listed in nested:
                _records(list_records(listed), context, facts, listed.line, "response" if context.in_response() else "params")
    return found


def _include(block: Include, context: Context, facts: Facts) -> None:
    """An included example is read as if written here; an included list of
    definitions gives one record per entry, located as its definition says."""
    if facts.resolver is None:
        return
    if block.kind == "example":
        found = facts.resolver.included_text(facts.path, block.target, block.line)
        if found is not None:
            # the example's lines are the included file's; report them at the include
            _code(CodeBlock(found[0], block.line, block.language), context, facts)
        return
    if block.kind != "definitions":
        return
    table = facts.resolver.definitions(facts.path, block.target, block.line)
    by_location: dict[str, list[Record]] = {}
    for name, key, line in block.entries:
        definition = table.get(key)
        if not isinstance(definition, dict):
            facts.warn(line, f"{key!r} is not defined in {block.target}; the parameter is kept without its definition")
            definition = {}
        record = Record(name=name, line=line)
        for role, field_name in (("description", "description"), ("type", "type"), ("required", "required")):
            value = definition.get(field_name)
            if value is not None and not isinstance(value, (dict, list)):
                record.details[role] = str(value).strip()
        if definition.get("min_version"):
            note = f"New in version {definition['min_version']}."
            record.details["description"] = f"{record.get('description')} {note}".strip()
        location = str(definition.get("in", "")).strip().lower()
        by_location.setdefault(location if location in ("path", "query", "header", "body") else "", []).append(record)
    response = context.in_response() or context.kind() in ("response", "response-example")
    for location, records in by_location.items():
        if response:
            if location in ("", "body"):
                facts.response_fields.extend(records)
            continue
        _records(records, context, facts, block.line, location)


def _table(table: Table, context: Context, facts: Facts) -> None:
    roles, records = table_records(table)
    if not records:
        return
    name_markers(records)
    if sum(1 for r in records if _STATUS_NAME.match(r.name)) * 2 > len(records):
        for record in records:
            _status_record(record, facts)
        return
    header_words = " ".join(
        cell.text for cell in (table.header[-1] if table.header else [])[:1]
    )
    kind = context.kind() or classify(header_words)
    if classify(header_words) == "header":
        kind = "header"
    if kind == "enum" or (not kind and set(roles) <= {"name", "description"} and _enum_like(records)):
        facts.enums.append((context.words(), records, table.line))
        return
    if "required" in roles and (not kind or (context.from_prose and kind in ("response", "fields"))):
        # a table that says which rows are required lists what a request sends (a
        # sentence before it that mentions what is returned does not make it a response)
        kind = "params"
    _records(records, context, facts, table.line, kind)


def _enum_like(records: list[Record]) -> bool:
    return all(re.fullmatch(r"[\w.-]+", r.name) for r in records) and len(records) > 1


def _records(records: list[Record], context: Context, facts: Facts, line: int, kind: str = "") -> None:
    if not records:
        return
    kind = kind or context.kind()
    if kind in ("response", "response-example"):
        facts.response_fields.extend(records)
        return
    if kind == "enum":
        facts.enums.append((context.words(), records, line))
        return
    if kind == "status":
        for record in records:
            _status_record(record, facts)
        return
    location = {"query": "query", "path": "path", "header": "header", "body": "body"}.get(kind)
    if location is None:
        if kind in ("params", "request"):
            location = "params"
        elif kind == "fields":
            location = "fields"
        else:
            return  # a list that documents nothing we model (steps, notes)
    for record in records:
        stated = _LOCATIONS.get(record.get("location").strip().strip("`*").lower(), "")
        if stated and location in ("params", "fields", "query", "body", "path", "header"):
            # an "In" column: path | query | header | body (formData)
            _one_record(record, stated, context, facts)
            continue
        _one_record(record, location, context, facts)


_LOCATIONS = {"path": "path", "url": "path", "query": "query", "querystring": "query", "query string": "query",
              "header": "header", "headers": "header", "body": "body", "formdata": "body", "form": "body", "form data": "body", "json": "body"}


def _one_record(record: Record, location: str, context: Context, facts: Facts) -> None:
    if location == "header" and record.name.lower() in ("authorization", "cookie"):
        facts.auth_headers.append((record.name, record.get("description"), record.line))
    elif location == "header" and record.name.lower() in ("accept", "content-type", "host", "user-agent"):
        facts.request_headers.append((record.name, record.get("description") or record.get("example"), record.line))
    else:
        facts.params.append(ParamFact(record, location, context.required(), context.condition(), record.line))


def _definitions(block: DefinitionList, context: Context, facts: Facts) -> None:
    typed: dict[str, list[Record]] = {}
    plain = DefinitionList([], block.line)
    for item in block.items:
        group = _GROUPED_FIELDS.get(re.sub(r"\s+", " ", item.term.strip().rstrip(":").lower()))
        if group is None:
            plain.items.append(item)
            continue
        for listed in (child for child in item.children if isinstance(child, BulletList)):
            if group == "status":
                _status_list(listed, facts)  # "* 201 Created -- created"
            else:  # "* **name** (*string*) -- text": the type is read with the qualifier
                typed.setdefault(group, []).extend(list_records(listed))
    for record in definition_records(plain):
        match = _HTTPDOMAIN_FIELD.match(record.name)
        kind = _HTTPDOMAIN_KINDS.get(match.group(1).lower()) if match else None
        if match and kind:
            record.name = match.group(3)
            if match.group(2):
                record.details["type"] = match.group(2)
            typed.setdefault(kind, []).append(record)
        else:
            typed.setdefault("", []).append(record)
    for kind, records in typed.items():
        if kind == "status":
            for record in records:
                _status_record(record, facts)
        elif kind == "response-header":
            continue  # what the response carries, not what the client sends
        elif kind == "response-array":  # the fields of each element of a JSON array
            facts.response_array = True
            _records(records, context, facts, block.line, "response")
        elif kind:
            _records(records, context, facts, block.line, kind)
        else:
            _records(records, context, facts, block.line)


def _status_record(record: Record, facts: Facts) -> None:
    match = _STATUS_NAME.match(record.name)
    if not match:
        return
    status, reason = match.group(1), match.group(2).strip()
    fact = ResponseFact(status=status, line=record.line, description=record.get("description") or reason)
    for blocks in record.blocks.values():
        for block in _flatten(blocks):
            if isinstance(block, CodeBlock) and looks_like_json(block.text):
                _example_into(fact, block.text, block.first_line, facts)
            elif isinstance(block, Paragraph):
                fact.refs.extend(block.refs())
    description = record.get("description")
    if "description" in record.blocks and any(isinstance(b, CodeBlock) for b in record.blocks["description"]):
        description = reason
    fact.description = _first_line(description) or reason
    facts.responses.append(fact)


def _flatten(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        out.append(block)
        if isinstance(block, Directive):
            out.extend(_flatten(block.children))
    return out


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0].strip()


def _example_into(fact: ResponseFact, text: str, line: int, facts: Facts) -> None:
    value, problem = parse_example(text)
    if problem is not None:
        facts.warn(line + problem.line - 1, problem.message)
        return
    fact.example, fact.has_example = value, True
    fact.example_text, fact.example_line = text, line


def _code(block: CodeBlock, context: Context, facts: Facts) -> None:
    messages = parse_messages(block.text)
    if messages:
        for message in messages:
            line = block.first_line + message.line - 1
            if message.method:
                facts.requests.append((message, line))
            else:
                _response_message(message, line, facts)
        return
    status = parse_status(block.text)
    if status:
        facts.pending_status, facts.pending_status_line = status[0], block.line
        return
    if looks_like_json(block.text):
        kind = context.kind()
        if not context.in_response() and (context.in_request() or kind == "body"):
            value, problem = parse_example(block.text)
            if problem is not None:
                facts.warn(block.first_line + problem.line - 1, problem.message)
            else:
                facts.request_bodies.append((value, block.line))
            return
        fact = ResponseFact(status=facts.pending_status, line=block.line)
        _example_into(fact, block.text, block.first_line, facts)
        if fact.has_example:
            facts.responses.append(fact)
        return
    headers = _header_lines(block.text)
    if headers:
        for offset, (name, value) in enumerate(headers):
            if context.in_response():
                if name.lower() == "content-type":
                    _pending_media_type(facts, value, block.first_line + offset)
            else:
                facts.request_headers.append((name, value, block.first_line + offset))


def _header_lines(text: str) -> list[tuple[str, str]]:
    lines = [line for line in text.strip().split("\n") if line.strip()]
    found = [re.match(r"^\s*([A-Za-z][A-Za-z0-9-]*):\s*(.*)$", line) for line in lines]
    if lines and all(found):
        return [(m.group(1), m.group(2).strip()) for m in found if m]
    return []


def _pending_media_type(facts: Facts, value: str, line: int) -> None:
    facts.responses.append(ResponseFact(status=facts.pending_status, line=line, media_type=value.split(";")[0].strip()))


def _response_message(message: HttpMessage, line: int, facts: Facts) -> None:
    fact = ResponseFact(status=message.status, line=line, description=message.reason)
    content_type = message.header("Content-Type")
    if content_type:
        fact.media_type = content_type.split(";")[0].strip()
    if message.body.strip():
        if looks_like_json(message.body):
            _example_into(fact, message.body, line + message.body_line - message.line, facts)
    facts.pending_status, facts.pending_status_line = message.status, line
    facts.responses.append(fact)


def prose_text(paragraphs: list[Paragraph]) -> str:
    return "\n\n".join(p.text.strip() for p in paragraphs if p.text.strip())


def raw_text(blocks: list[Block]) -> str:
    return block_text([b for b in blocks if isinstance(b, Raw)])
