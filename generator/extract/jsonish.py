"""JSON examples as real docs write them → values, and values → schemas.

Docs write JSON with trailing commas, ``//`` comments, ``...`` ellipses and type
placeholders (``"<Float>"``, ``"<JobStatus Enum>"``, even unterminated ones).  We
try the strict parser first, then repair the known patterns and hand the text to
``json5`` (the maintained JSON5 parser).  A value that still will not parse is
reported with the line of the problem and skipped, never raised.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

import json5

from generator.spec import Schema

# [ \t], not \s: \s also matches newlines, and "^\s*" then rescans every following blank
# line from every line start (quadratic on a block of blank lines)
_ELLIPSIS_LINE = re.compile(r"^[ \t]*(\.\.\.|…)[ \t]*,?[ \t]*$", re.MULTILINE)
_ELLIPSIS_ITEM = re.compile(r",\s*(\.\.\.|…)(?=\s*[\]}])")
# "<String (something)",  ← a placeholder string that lost its closing quote
_UNCLOSED_PLACEHOLDER = re.compile(r'"(<[^"\n>]*)(?:>)?,\s*$', re.MULTILINE)
# a bare <placeholder> where a value should be:  "id": <jobID>
_BARE_PLACEHOLDER = re.compile(r'(:\s*|\[\s*|,\s*)(<[^<>"\n]{1,80}>)(?=\s*[,}\]\n])')
# key/value pairs missing the comma between them on separate lines: "a": 1\n "b": 2
_MISSING_COMMA = re.compile(r'("|\d|true|false|null|[}\]])([^\S\n]*\n\s*")(?=[^"\n]*"\s*:)')  # not \s*\n\s*: quadratic


MAX_DEPTH = 64  # levels of nesting kept in an example; real payloads stay far below
MAX_REPAIR_CHARS = 50_000  # larger examples must be strict JSON: json5 reads only ~20-50 KB/s


@dataclass
class JsonProblem:
    line: int  # 1-based, relative to the example text
    message: str


def looks_like_json(text: str) -> bool:
    stripped = text.lstrip()
    return stripped.startswith(("{", "["))


def parse_example(text: str) -> tuple[Any, JsonProblem | None]:
    """Parse a documented JSON example.  Returns ``(value, None)`` or
    ``(None, problem)``; never raises."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        if len(text) > MAX_REPAIR_CHARS:
            return None, JsonProblem(1, f"JSON example is not strict JSON and too large to repair ({len(text)} characters); not read")
        repaired = repair(text)
        try:
            value = json5.loads(repaired)
        except RecursionError:
            return None, JsonProblem(1, "JSON example nests too deeply to read")
        except ValueError as exc:
            return None, JsonProblem(
                _error_line(exc, repaired),
                f"JSON example does not parse: {_short(exc)}",
            )
        except Exception as exc:  # json5 raises plain Exceptions on some inputs
            return None, JsonProblem(1, f"JSON example does not parse: {_short(exc)}")
    problem = _unrepresentable(value)
    return (None, problem) if problem else (value, None)


def _unrepresentable(value: Any) -> JsonProblem | None:
    """A parsed value a spec cannot hold: nested deeper than ``MAX_DEPTH`` (the YAML
    writer and reader recurse per level) or holding NaN/±Infinity (not JSON; Python's
    parser reads ``1e999`` as infinity)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return JsonProblem(
                1, f"JSON example nests more than {MAX_DEPTH} levels deep; not read"
            )
        if isinstance(node, float) and not math.isfinite(node):
            return JsonProblem(
                1,
                "JSON example holds NaN or an infinite number, which JSON cannot represent; not read",
            )
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return None


def repair(text: str) -> str:
    """Rewrite the doc habits json5 does not accept itself (it already takes
    trailing commas, comments, single quotes, unquoted keys)."""
    text = _ELLIPSIS_LINE.sub("", text)
    text = _ELLIPSIS_ITEM.sub("", text)
    text = _UNCLOSED_PLACEHOLDER.sub(lambda m: f'"{m.group(1)}>",', text)
    text = _BARE_PLACEHOLDER.sub(lambda m: f'{m.group(1)}"{m.group(2)}"', text)
    text = _MISSING_COMMA.sub(lambda m: m.group(1) + "," + m.group(2), text)
    return text


def _error_line(exc: Exception, text: str) -> int:
    match = re.search(r"line (\d+)|<string>:(\d+)", str(exc))
    if match:
        return int(match.group(1) or match.group(2))
    pos = getattr(exc, "pos", None)
    if isinstance(pos, int):
        return text.count("\n", 0, pos) + 1
    return 1


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


# ---------------------------------------------------------------------------
# values → schemas

_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_URI = re.compile(r"^https?://\S+$")
_PLACEHOLDER = re.compile(r"^<\s*([^<>]*?)\s*>?$")

_PLACEHOLDER_TYPES: list[tuple[re.Pattern[str], str, str | None]] = [
    (re.compile(r"\b(iso ?8601|date|time|timestamp)\b", re.I), "string", "date-time"),
    (re.compile(r"\b(float|double|decimal|number|real)\b", re.I), "number", None),
    (re.compile(r"\b(int|integer|long|short)\b", re.I), "integer", None),
    (re.compile(r"\b(bool|boolean)\b", re.I), "boolean", None),
    (re.compile(r"\b(url|uri)\b", re.I), "string", "uri"),
    (re.compile(r"\b(string|hex ?string|guid|text|id|code|name)\b", re.I), "string", None),
]


def placeholder(value: str) -> str | None:
    """The inside of a ``"<Type>"`` placeholder, or None for an ordinary string."""
    match = _PLACEHOLDER.match(value.strip()) if value.strip().startswith("<") else None
    return match.group(1) if match else None


_ENUM_WORD = re.compile(r"(enum|enumeration)\b", re.I)


def _enum_name(inner: str) -> str | None:
    r"""``JobStatus Enum`` → ``JobStatus``; None without an enum word.  What
    ``re.match(r"^(.*?)\s*(enum|enumeration)\b", inner, re.I)`` gives as group 1, but
    linear: that lazy prefix rescans the blanks after each of its positions."""
    match = _ENUM_WORD.search(inner)
    if match is None:
        return None
    name = inner[: match.start()].rstrip()
    return None if "\n" in name else name  # "." stops at a line break


def placeholder_schema(inner: str, enum_ref: Any = None) -> Schema:
    """``Float`` → number; ``ISO 8601 Date String`` → date-time string; ``JobStatus Enum``
    → ``$ref`` via ``enum_ref(name)`` when it resolves, else string."""
    enum_name = _enum_name(inner)
    if enum_name is not None:
        ref = enum_ref(enum_name) if enum_ref else None
        if ref:
            return Schema(ref=ref)
        return Schema(type="string", description=f"{enum_name} enumeration")
    for pattern, type_, fmt in _PLACEHOLDER_TYPES:
        if pattern.search(inner):
            return Schema(type=type_, format=fmt)
    return Schema()  # <Value>: any


def infer_schema(value: Any, enum_ref: Any = None, depth: int = 0) -> Schema:
    """A schema describing ``value``; placeholders become types, example values are
    kept as ``example`` on leaves."""
    if depth > 64:
        return Schema()
    if value is None:
        return Schema(nullable=True)
    if isinstance(value, bool):
        return Schema(type="boolean", example=value)
    if isinstance(value, int):
        return Schema(type="integer", example=value)
    if isinstance(value, float):
        return Schema(type="number", example=value)
    if isinstance(value, str):
        inner = placeholder(value)
        if inner is not None:
            return placeholder_schema(inner, enum_ref)
        return Schema(type="string", format=string_format(value), example=value)
    if isinstance(value, list):
        items: Schema | None = None
        for item in value:
            item_schema = infer_schema(item, enum_ref, depth + 1)
            items = item_schema if items is None else merge_schemas(items, item_schema)
        if items is not None and items.type == "string" and items.example is not None and not items.format:
            if placeholder(str(items.example)) is None and " " in str(items.example) and len(value) == 1:
                items = Schema(description=str(items.example))  # "List of Jobs (see below)"
        return Schema(type="array", items=items or Schema())
    if isinstance(value, dict):
        keys = list(value)
        if keys and all(placeholder(str(k)) is not None for k in keys):
            values = [infer_schema(v, enum_ref, depth + 1) for v in value.values()]
            merged = values[0]
            for other in values[1:]:
                merged = merge_schemas(merged, other)
            return Schema(type="object", additional_properties=merged)
        return Schema(
            type="object",
            properties={str(k): infer_schema(v, enum_ref, depth + 1) for k, v in value.items()},
        )
    return Schema()


def string_format(value: str) -> str | None:
    if _DATE_TIME.match(value):
        return "date-time"
    if _DATE.match(value):
        return "date"
    if _UUID.match(value):
        return "uuid"
    if _URI.match(value):
        return "uri"
    return None


_WIDER = {("integer", "number"): "number", ("number", "integer"): "number"}


def merge_schemas(base: Schema, extra: Schema) -> Schema:
    """Combine two descriptions of the same value; ``base`` wins on conflicts except
    where ``extra`` is more specific (a type where base has none, a wider number)."""
    if base.ref or extra.ref:
        return base if base.ref else extra
    merged = Schema(
        type=base.type or extra.type,
        format=base.format or extra.format,
        description=base.description or extra.description,
        enum=list(base.enum) or list(extra.enum),
        required=list(base.required) or list(extra.required),
        nullable=base.nullable or extra.nullable,
        example=base.example if base.example is not None else extra.example,
        source=base.source or extra.source,
    )
    if base.type and extra.type and base.type != extra.type:
        merged.type = _WIDER.get((base.type, extra.type), base.type)
    if base.format and extra.format and base.format != extra.format:
        merged.format = None
    merged.properties = dict(base.properties)
    for key, schema in extra.properties.items():
        merged.properties[key] = merge_schemas(merged.properties[key], schema) if key in merged.properties else schema
    if base.items is not None and extra.items is not None:
        merged.items = merge_schemas(base.items, extra.items)
    else:
        merged.items = base.items or extra.items
    if base.additional_properties is not None and extra.additional_properties is not None:
        merged.additional_properties = merge_schemas(base.additional_properties, extra.additional_properties)
    else:
        merged.additional_properties = base.additional_properties or extra.additional_properties
    if merged.type not in (None, "object"):
        merged.properties, merged.additional_properties = {}, None
    return merged


def stamp_field_lines(schema: Schema, text: str, first_line: int, path: str) -> None:
    """Give each property inferred from an example the source line where the example
    writes its key.  Properties are visited in the order the example writes them
    (depth first), so each key is searched from the previous key's line onwards."""
    lines = text.split("\n")
    cursor = 0

    def visit(node: Schema, depth: int) -> None:
        nonlocal cursor
        if depth > 64:
            return
        for name, child in node.properties.items():
            needle = json.dumps(name)
            for index in range(cursor, len(lines)):
                if needle in lines[index]:
                    cursor = index
                    if not child.source:
                        child.source = f"{path}:{first_line + index}"
                    break
            visit(child, depth + 1)
        for child in (node.items, node.additional_properties):
            if child is not None:
                visit(child, depth + 1)

    visit(schema, 0)


def drop_examples(schema: Schema) -> None:
    """Definitions show placeholders or one instance, not values a client should
    take for typical: keep no ``example`` anywhere in the schema."""
    stack = [schema]
    while stack:
        node = stack.pop()
        node.example = None
        stack.extend(node.children())
