"""Bounds on what one documented example can become, so that build time and memory
follow the docs' real structure, not the size of a sample.

A JSON example is data for the generated tests and the source of an inferred schema.
A ten-thousand-item list or a generated "laughs" document (ten keys, ten levels)
says nothing more than its first items and its first levels do, yet it would be
written into the spec, the tests' tables and thousands of model classes.  After
extraction (``pipeline.extract``) every example and schema of the spec is held to:

* ``MAX_EXAMPLE_VALUES`` JSON values per example: lists are cut to their first
  items (as few as it takes, never fewer than one), then objects nested deeper
  than it takes are emptied;
* ``MAX_MODELS`` object schemas with fields per schema tree, counted from the top,
  level by level: deeper ones become free-form objects (``dict[str, Any]``);
* ``MAX_DEPTH`` levels of nested schemas.

Each cut is a warning naming the example or schema's ``file:line``.
"""

from __future__ import annotations

import json
import re
from collections import deque
from typing import Any

from generator.document import Diagnostic
from generator.spec import Schema, Spec

MAX_EXAMPLE_VALUES = 2_000
MAX_MODELS = 100
MAX_DEPTH = 16


def bound_spec(spec: Spec, fallback: str = "") -> list[Diagnostic]:
    """Hold ``spec``'s examples and schemas to the bounds (in place); the warnings."""
    found: list[Diagnostic] = []
    for op in spec.operations:
        for response in op.responses:
            where = response.source or op.source or fallback
            response.example = _example(response.example, where, found)
            if response.schema is not None:
                response.schema = _schema(response.schema, where, found)
        for param in op.parameters:
            where = param.source or op.source or fallback
            param.example = _example(param.example, where, found)
            param.schema = _schema(param.schema, where, found)
        if op.body is not None:
            op.body.example = _example(op.body.example, op.body.source or op.source or fallback, found)
    for name in sorted(spec.schemas):
        schema = spec.schemas[name]
        spec.schemas[name] = _schema(schema, schema.source or fallback, found)
    return found


def _warn(found: list[Diagnostic], where: str, message: str) -> None:
    match = re.fullmatch(r"(?:override:)?(.+):(\d+)", where)
    path, line = (match.group(1), int(match.group(2))) if match else (where, 0)
    found.append(Diagnostic("warning", path, line, message))


def _count(value: Any, limit: int) -> int:
    """How many JSON values ``value`` holds (counting stops past ``limit``)."""
    total = 0
    stack = [value]
    while stack and total <= limit:
        node = stack.pop()
        total += 1
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return total


def _cut_lists(value: Any, keep: int) -> Any:
    if isinstance(value, list):
        return [_cut_lists(v, keep) for v in value[:keep]]
    if isinstance(value, dict):
        return {k: _cut_lists(v, keep) for k, v in value.items()}
    return value


def _cut_depth(value: Any, depth: int) -> Any:
    if isinstance(value, (dict, list)) and depth <= 0:
        return type(value)()
    if isinstance(value, list):
        return [_cut_depth(v, depth - 1) for v in value]
    if isinstance(value, dict):
        return {k: _cut_depth(v, depth - 1) for k, v in value.items()}
    return value


def _example(value: Any, where: str, found: list[Diagnostic]) -> Any:
    if value is None or not isinstance(value, (dict, list)):
        return value
    size = _count(value, MAX_EXAMPLE_VALUES)
    if size <= MAX_EXAMPLE_VALUES:
        return value
    cut, how = value, ""
    for keep in (10, 3, 1):
        cut, how = _cut_lists(value, keep), f"lists cut to their first {keep} item{'s' if keep > 1 else ''}"
        if _count(cut, MAX_EXAMPLE_VALUES) <= MAX_EXAMPLE_VALUES:
            break
    depth = 64
    while _count(cut, MAX_EXAMPLE_VALUES) > MAX_EXAMPLE_VALUES and depth > 1:
        depth //= 2
        cut = _cut_depth(_cut_lists(value, 1), depth)
        how = f"lists cut to their first item and objects below level {depth} emptied"
    _warn(
        found,
        where,
        f"JSON example of more than {MAX_EXAMPLE_VALUES} values ({len(json.dumps(value)) // 1000} KB) "
        f"is kept with {how}",
    )
    return cut


def _is_model(schema: Schema) -> bool:
    return schema.type in ("object", None) and bool(schema.properties) and not schema.ref


def _schema(schema: Schema, where: str, found: list[Diagnostic]) -> Schema:
    """``schema`` with object schemas past ``MAX_MODELS`` (counted level by level)
    or deeper than ``MAX_DEPTH`` made free-form."""
    models = 1 if _is_model(schema) else 0
    cut = 0
    queue: deque[tuple[Schema, int]] = deque([(schema, 0)])
    while queue:
        node, depth = queue.popleft()
        for child in node.children():
            if _is_model(child) and (models >= MAX_MODELS or depth + 1 > MAX_DEPTH):
                _free_form(child)
                cut += 1
                continue
            models += _is_model(child)
            queue.append((child, depth + 1))
    if cut:
        _warn(
            found,
            where,
            f"schema with more than {MAX_MODELS} nested objects or {MAX_DEPTH} levels: {cut} deeper "
            "object(s) kept as free-form objects, without a model class",
        )
    return schema


def _free_form(schema: Schema) -> None:
    schema.type = "object"
    schema.properties = {}
    schema.required = []
    schema.items = None
    schema.additional_properties = None
    schema.example = None
