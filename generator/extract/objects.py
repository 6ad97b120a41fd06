"""An object defined on a page → the schema of that object.

Docs define the objects endpoints return in three shapes, often together:

* a JSON example of the object (``## Example`` then a code block);
* a field table: ``Field | Type | Description`` rows (Discord's "Emoji Structure");
  ``name?`` marks a field that may be absent, ``?type`` one that may be null;
* attribute headings: an ``Attributes`` section whose subsections are each titled
  with one field name and say ``Type: String (Enumerable oneOf)`` and list
  ``` `value` = meaning``` lines (Mastodon's entity pages).

``object_schema`` reads whichever of them a region of a page holds and merges them:
the example gives the shape, the table and headings add the fields the example
left out, their types, descriptions and enumerated values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from generator.document import Block, CodeBlock, Paragraph, Section, Table, walk
from generator.extract.enums import described_values, enumerated_part, set_values
from generator.extract.jsonish import (
    drop_examples,
    infer_schema,
    looks_like_json,
    merge_schemas,
    parse_example,
    placeholder_schema,
)
from generator.extract.records import name_markers, table_records
from generator.spec import Schema

_ATTRIBUTES_TITLE = re.compile(r"\b(attributes|fields|properties|structure|members)\b", re.I)
_FIELD_NAME = re.compile(r"[A-Za-z_][\w.\[\]-]*")
_MARKERS = re.compile(r"\s*\((optional|nullable|deprecated|removed|required)\)", re.I)
_TYPE_LINE = re.compile(r"^\s*type\s*:\s*(.+)$", re.I | re.M)
_DESCRIPTION_LINE = re.compile(r"^\s*description\s*:\s*(.+)$", re.I | re.M)
_ENUM_LINE = re.compile(r"^\s*(\S+)\s+(?:=|-|—|–)\s+\S")

Link = Callable[[str, int], Schema | None]  # a field's linked type → its schema, if known
Values = Callable[[str, int], list[Any] | None]  # a linked table of values → the values


def object_schema(blocks: list[Block], path: str, link: Link | None = None, values: Values | None = None) -> Schema | None:
    """The object the blocks define, or None when they define none."""
    example = _first_example(blocks)
    schema: Schema | None = None
    if example is not None:
        value, problem = parse_example(example.text)
        if problem is None and isinstance(value, dict):
            schema = infer_schema(value)
            drop_examples(schema)
            schema.source = f"{path}:{example.line}"
    fields = _field_table(blocks, path, link, values) or _attribute_headings(blocks, path)
    if fields is None:
        return schema
    if schema is None:
        return fields
    for name, prop in fields.properties.items():
        current = schema.properties.get(name)
        schema.properties[name] = prop if current is None else _described(current, prop)
    return schema


def _described(found: Schema, documented: Schema) -> Schema:
    """An example's field, with what the docs say of it (their type wins where the
    example shows only null; their enum and description are added)."""
    merged = merge_schemas(documented, found) if documented.type else merge_schemas(found, documented)
    merged.description = documented.description or found.description
    merged.enum = list(documented.enum) or list(found.enum)
    merged.source = documented.source or found.source
    return merged


def _first_example(blocks: list[Block]) -> CodeBlock | None:
    for block in walk(blocks):
        if isinstance(block, CodeBlock) and looks_like_json(block.text) and block.text.lstrip().startswith("{"):
            return block
    return None


def _field_table(blocks: list[Block], path: str, link: Link | None, values: Values | None) -> Schema | None:
    for block in walk(blocks):
        if not isinstance(block, Table):
            continue
        roles, records = table_records(block)
        if "name" not in roles or not ({"type", "description"} & set(roles)) or not records:
            continue
        schema = Schema(type="object", source=f"{path}:{block.line}")
        name_markers(records)  # "id?" may be absent, "flags *" carries a footnote mark
        for record in records:
            name = record.name.strip()
            optional = record.get("required").lower() in ("no", "false", "optional", "n")
            if not _FIELD_NAME.fullmatch(name):
                continue
            type_text = record.get("type").strip()
            nullable = type_text.startswith("?")
            prop = _typed(type_text.lstrip("?"), record.blocks.get("type", []), link)
            prop.nullable = prop.nullable or nullable
            prop.description = record.get("description")
            prop.source = f"{path}:{record.line}"
            target = enumerated_part(prop)
            if not target.enum and not target.ref:
                found = described_values(name, record.blocks.get("description", []), record.get("description"), values)
                if found:
                    set_values(prop, found)
            schema.properties[name] = prop
            if not optional:
                schema.required.append(name)
        return schema if schema.properties else None
    return None


def _typed(type_text: str, blocks: list[Block], link: Link | None) -> Schema:
    """``integer``, ``array of [role](#role-object) objects``, ``[type](#types)``."""
    text = type_text.strip()
    array = re.match(r"^(array|list)s?\s+of\s+(.*)$", text, re.I)
    inner_text = array.group(2) if array else text
    inner: Schema | None = None
    if link is not None:
        for block in blocks:
            if isinstance(block, Paragraph):
                for span in block.spans:
                    if span.kind in ("link", "ref") and span.target:
                        inner = link(span.target, block.line)
                        if inner is not None:
                            break
            if inner is not None:
                break
    if inner is None:
        if re.fullmatch(r"(hash|object|map|dictionary)", inner_text.strip(), re.I):
            inner = Schema(type="object")
        else:
            inner = placeholder_schema(inner_text) if inner_text else Schema()
    return Schema(type="array", items=inner) if array else inner


def _attribute_headings(blocks: list[Block], path: str) -> Schema | None:
    """An "Attributes" section whose subsections are each one field."""
    for block in walk(blocks):
        if not isinstance(block, Section) or not _ATTRIBUTES_TITLE.search(block.title):
            continue
        fields = [child for child in block.children if isinstance(child, Section)]
        schema = Schema(type="object", source=f"{path}:{block.line}")
        for child in fields:
            name = _MARKERS.sub("", child.title).strip().strip("`").strip()
            if not _FIELD_NAME.fullmatch(name) or "[" in name:
                continue
            schema.properties[name] = _attribute(child, path)
        if len(schema.properties) >= 2:
            return schema
    return None


def _attribute(section: Section, path: str) -> Schema:
    text = "\n".join(b.text for b in section.children if isinstance(b, Paragraph))
    codes = {s.text for b in section.children if isinstance(b, Paragraph) for s in b.spans if s.kind == "code"}
    type_line = _TYPE_LINE.search(text)
    schema = _typed(_first_type_words(type_line.group(1)), [], None) if type_line else Schema()
    if type_line and re.search(r"\bor null\b|\bnullable\b", type_line.group(1), re.I):
        schema.nullable = True
    if type_line and re.search(r"\benum(erable|eration)?\b|\bone ?of\b", type_line.group(1), re.I):
        values = [m.group(1).strip("`") for line in text.split("\n") if (m := _ENUM_LINE.match(line)) and m.group(1).strip("`") in codes]
        if values:
            holder = schema.items if schema.type == "array" and schema.items is not None else schema
            holder.enum = values
            holder.type = holder.type or "string"
    description = _DESCRIPTION_LINE.search(text)
    schema.description = description.group(1).strip() if description else ""
    schema.source = f"{path}:{section.line}"
    return schema


_TYPE_WORD = re.compile(r"\b(string|integer|int|float|number|boolean|bool|hash|object|array|list|url|uri|date ?time|datetime|date|timestamp)\b", re.I)


def _first_type_words(text: str) -> str:
    """``String (cast from an integer)`` → ``String``: the first type word decides;
    ``Array of String`` keeps its element type; a date-time string stays one."""
    array = re.match(r"^\s*(array|list)s?\s+of\s+", text, re.I)
    rest = text[array.end():] if array else text
    first = _TYPE_WORD.search(rest)
    word = first.group(1) if first else rest
    if word.lower() in ("hash", "object"):
        word = "object"
    elif word.lower() == "string" and re.search(r"\bdate ?time|\biso ?8601\b", rest, re.I):
        word = "datetime"
    return (array.group(0) if array else "") + word
