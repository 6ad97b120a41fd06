"""Semantic diff of two specs, judged by code that uses the generated client.

``diff_specs(old, new)`` returns ``Change`` values sorted by ``(where, kind)``.  A
change is **breaking** when code written against the client generated from ``old``
stops working: either the call site must change after regenerating (a method or
keyword disappears, a value it reads is gone or has another type), or the old client
itself fails against the new API (it sends a request the server no longer accepts,
or cannot parse what the server now returns).

Rules
-----
Operations are matched by method and path (path variable names ignored, so renaming
``{id}`` to ``{job_id}`` shows up as a parameter rename), then by name.

* removed, renamed (same route, other name), method or path changed: breaking;
  added: not breaking.

Parameters are matched by (location, name), then by name alone (a location change),
then as renames: a removed and an added parameter in the same location with the same
type and a similar description (or the same name up to case and ``_``/``-``).

* removed, renamed, moved to another location, optional→required, added as
  required: breaking.  Added as optional, required→optional: not breaking.
* Types are compared by *variance*.  Request values flow client→server, so widening
  is safe: ``integer→number``, any type→untyped, a ``format`` dropped.  Response
  values flow server→client, so narrowing is safe: ``number→integer``, any
  type→untyped (the docs stopped saying; the data did not change), untyped→scalar.
  Every other type or format change is breaking.
* Request enums: a value removed (or an enum imposed on a free value) is breaking, a
  value added (or the enum lifted) is not.  Response enums: see below; lifting one
  is breaking (its generated class goes away), imposing one is not.

Responses are matched by status; when each side has exactly one success response
with different statuses, those two are compared with each other.  Success response
bodies are compared deeply, resolving ``$ref`` against each spec's ``schemas`` (a pair
of references already being compared on the current path stops the walk, so
recursive schemas terminate).

* a success response removed, its body no longer documented, or its media type
  changed to another family (all JSON spellings, ``text/javascript`` included, are one
  family): breaking.  Error responses added or removed, success responses added: not breaking.
* a response field removed, or no longer always present (required→optional), or
  becoming nullable: breaking.  Added: not breaking.
* Response enum values: added is not breaking, removed is.  Docs list enum values
  incompletely, so generated clients accept values they were not told about (the
  runtime's ``OpenEnum`` keeps an unknown value as a member made on the fly): an
  old client parses a new value fine.  A removed value, though, disappears from
  the regenerated enum class, and code naming it (``TaskStatus.IN_PROCESS``) stops
  working, even though the server merely stopped sending it.

A parameter's documented default changed: not breaking for code (calls still type-check),
reported so that callers who omit the parameter notice.

Request bodies: a body added as required, a media type changed to another family,
optional→required: breaking.  The body fields themselves are parameters
(``location: body``) and follow the parameter rules.

Auth: a security scheme added, removed or changed (kind, location, parameter name),
the default security requirement changed, or an operation's effective security
changed: breaking.

Servers (compared by position): URL changes, servers added or removed are not
breaking (clients take the base URL as a setting); a server variable added with an
empty default is breaking (there is no URL without it).

Resources: an operation kept (same name) that the generated client now offers on
another resource (``client.<resource>.<method>``: grouped by the page that documents
it, or regrouped by an override) is breaking: the call site changes.

Named schemas (``schemas:``) removed are breaking (their model class disappears from
the generated package); added are not.  Their contents are compared where they are
used, so a change is reported once per operation that sees it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher
from typing import TypeVar

from generator.extract.endpoints import route
from generator.spec import (
    JSON,
    Body,
    Operation,
    Parameter,
    Response,
    Schema,
    SecurityScheme,
    Server,
    Spec,
)

RENAME_SIMILARITY = 0.6  # description similarity that makes removed+added a rename


@dataclass(frozen=True)
class Change:
    kind: str  # stable machine name, e.g. "response-field-removed"
    breaking: bool
    where: str  # human path, e.g. "job_info / response 200 / Tasks[] / TaskStatus"
    message: str
    old_source: str = ""  # path:line on the old side, "" when absent
    new_source: str = ""


def diff_specs(old: Spec, new: Spec) -> list[Change]:
    """All changes from ``old`` to ``new``, sorted by ``(where, kind)``."""
    ctx = _Context(old, new)
    changes: list[Change] = []
    changes += _diff_servers(old, new)
    changes += _diff_auth(old, new)
    changes += _diff_schema_names(old, new)
    changes += _diff_operations(ctx)
    changes += diff_resources(old, new)
    return _sorted(changes)


def diff_resources(old: Spec, new: Spec) -> list[Change]:
    """Operations kept by name that moved to another ``client.<resource>``."""
    from generator.render.resources import resource_of

    before, after = resource_of(old), resource_of(new)
    sources = {op.name: op.source for op in new.operations}
    old_sources = {op.name: op.source for op in old.operations}
    return [
        Change(
            "operation-moved",
            True,
            name,
            f"`client.{before[name]}.{name}(...)` is now `client.{after[name]}.{name}(...)`",
            old_sources.get(name, ""),
            sources.get(name, ""),
        )
        for name in sorted(before.keys() & after.keys())
        if before[name] != after[name]
    ]


def has_breaking(changes: Iterable[Change]) -> bool:
    return any(c.breaking for c in changes)


def render_text(changes: Iterable[Change]) -> str:
    """One line per change, breaking ones first, then a count."""
    ordered = sorted(_sorted(changes), key=lambda c: not c.breaking)
    if not ordered:
        return "no changes\n"
    lines = [_render_line(c) for c in ordered]
    breaking = sum(c.breaking for c in ordered)
    lines.append(f"{len(ordered)} change(s), {breaking} breaking")
    return "\n".join(lines) + "\n"


def to_json(changes: Iterable[Change]) -> str:
    """``{"breaking": bool, "changes": [...]}`` with sorted keys; same input, same bytes."""
    ordered = _sorted(changes)
    payload = {
        "breaking": has_breaking(ordered),
        "changes": [asdict(c) for c in ordered],
    }
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _sorted(changes: Iterable[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: (c.where, c.kind, c.message, c.old_source, c.new_source))


def _render_line(change: Change) -> str:
    tag = "BREAKING" if change.breaking else "ok"
    line = f"{tag:<8}  {change.where}: {change.message}"
    sides = []
    if change.old_source:
        sides.append(f"old: {change.old_source}")
    if change.new_source:
        sides.append(f"new: {change.new_source}")
    if sides:
        line += "  (" + " → ".join(sides) + ")"
    return line


def render_markdown(changes: Iterable[Change], heading: str) -> str:
    """A changelog entry: ``## heading``, then breaking changes, then the others."""
    ordered = _sorted(changes)
    lines = [f"## {heading}", ""]
    for title, group in (
        ("Breaking", [c for c in ordered if c.breaking]),
        ("Other changes", [c for c in ordered if not c.breaking]),
    ):
        if group:
            lines += [f"**{title}**", ""]
            lines += [f"- {_render_line(c).split(None, 1)[1]}" for c in group]
            lines.append("")
    return "\n".join(lines) + "\n"


# --- context -----------------------------------------------------------------------


@dataclass
class _Context:
    old: Spec
    new: Spec


@dataclass(frozen=True)
class _Place:
    """Where the walk is: path segments and the nearest provenance on each side."""

    parts: tuple[str, ...]
    old_source: str = ""
    new_source: str = ""

    @property
    def where(self) -> str:
        return " / ".join(self.parts)

    def child(self, part: str, old_source: str = "", new_source: str = "") -> _Place:
        return _Place(
            self.parts + (part,),
            old_source or self.old_source,
            new_source or self.new_source,
        )

    def items(self, suffix: str) -> _Place:
        """Array items / map values: ``Tasks`` → ``Tasks[]`` (``{}`` for map values)."""
        parts = self.parts[:-1] + (self.parts[-1] + suffix,)
        return _Place(parts, self.old_source, self.new_source)

    def change(self, kind: str, breaking: bool, message: str) -> Change:
        return Change(kind, breaking, self.where, message, self.old_source, self.new_source)


# --- servers, auth, schema names ------------------------------------------------------


def _diff_servers(old: Spec, new: Spec) -> list[Change]:
    changes = []
    for i in range(max(len(old.servers), len(new.servers))):
        o = old.servers[i] if i < len(old.servers) else None
        n = new.servers[i] if i < len(new.servers) else None
        place = _Place((f"servers[{i}]",), o.source if o else "", n.source if n else "")
        if n is None:
            assert o is not None
            changes.append(place.change("server-changed", False, f"server {o.url} removed"))
        elif o is None:
            changes.append(place.change("server-changed", False, f"server {n.url} added"))
        else:
            changes += _diff_server(place, o, n)
    return changes


def _diff_server(place: _Place, o: Server, n: Server) -> list[Change]:
    changes = []
    if o.url != n.url:
        changes.append(place.change("server-changed", False, f"URL {o.url} → {n.url}"))
    old_vars = {v.name for v in o.variables}
    for var in n.variables:
        if var.name not in old_vars:
            breaking = var.default == ""
            note = "without a default" if breaking else f"default {var.default!r}"
            message = f"variable `{var.name}` added, {note}"
            changes.append(place.change("server-changed", breaking, message))
    return changes


def _diff_auth(old: Spec, new: Spec) -> list[Change]:
    changes = []
    old_by = {s.name: s for s in old.security_schemes}
    new_by = {s.name: s for s in new.security_schemes}
    for name in sorted(old_by.keys() | new_by.keys()):
        o, n = old_by.get(name), new_by.get(name)
        place = _Place(("auth", name), o.source if o else "", n.source if n else "")
        if o is None or n is None:
            what = "added" if n else "removed"
            changes.append(place.change("auth-changed", True, f"security scheme `{name}` {what}"))
        elif (o.kind, o.location, o.param) != (n.kind, n.location, n.param):
            changes.append(
                place.change(
                    "auth-changed",
                    True,
                    f"security scheme `{name}` changed: {_scheme_label(o)} → {_scheme_label(n)}",
                )
            )
    if sorted(old.security) != sorted(new.security):
        place = _Place(("auth", "security"))
        changes.append(
            place.change(
                "auth-changed",
                True,
                f"default security {_names(old.security)} → {_names(new.security)}",
            )
        )
    return changes


def _scheme_label(scheme: SecurityScheme) -> str:
    return " ".join(p for p in (scheme.kind, scheme.location, scheme.param) if p)


def _names(names: Iterable[str]) -> str:
    listed = ", ".join(sorted(names))
    return f"[{listed}]"


def _diff_schema_names(old: Spec, new: Spec) -> list[Change]:
    changes = []
    for name in sorted(old.schemas.keys() ^ new.schemas.keys()):
        o, n = old.schemas.get(name), new.schemas.get(name)
        place = _Place(("schemas", name), o.source if o else "", n.source if n else "")
        if n is None:
            changes.append(place.change("schema-removed", True, f"model `{name}` removed"))
        else:
            changes.append(place.change("schema-added", False, f"model `{name}` added"))
    return changes


# --- operations --------------------------------------------------------------------


def _route(op: Operation) -> object:
    """Method and path with variable names blanked: ``GET /jobs/{}``."""
    return op.method, route(op.path)


def _op_name(op: Operation) -> object:
    return op.name


T = TypeVar("T")


def _match(
    old: list[T], new: list[T], keys: Iterable[Callable[[T], object]]
) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """Pair items by each key in turn; returns (pairs, unpaired old, unpaired new)."""
    pairs: list[tuple[T, T]] = []
    old_left, new_left = list(old), list(new)
    for key in keys:
        for o in list(old_left):
            match = next((n for n in new_left if key(n) == key(o)), None)
            if match is not None:
                pairs.append((o, match))
                old_left.remove(o)
                new_left.remove(match)
    return pairs, old_left, new_left


def _diff_operations(ctx: _Context) -> list[Change]:
    pairs, removed, added = _match(ctx.old.operations, ctx.new.operations, (_route, _op_name))
    changes: list[Change] = []
    for op in removed:
        place = _Place((op.name,), op.source, "")
        changes.append(place.change("operation-removed", True, f"{op.method} {op.path} removed"))
    for op in added:
        place = _Place((op.name,), "", op.source)
        changes.append(place.change("operation-added", False, f"{op.method} {op.path} added"))
    # An operation equal on both sides has no change, unless a schema it names changed.
    same_schemas = ctx.old.schemas == ctx.new.schemas
    for o, n in pairs:
        if not (same_schemas and o == n):
            changes += _diff_operation(ctx, o, n)
    return changes


def _diff_operation(ctx: _Context, o: Operation, n: Operation) -> list[Change]:
    place = _Place((n.name,), o.source, n.source)
    changes = []
    if o.name != n.name:
        changes.append(
            place.change("operation-renamed", True, f"method `{o.name}` renamed to `{n.name}`")
        )
    if o.method != n.method:
        changes.append(place.change("method-changed", True, f"{o.method} → {n.method}"))
    if route(o.path) != route(n.path):
        changes.append(place.change("path-changed", True, f"{o.path} → {n.path}"))
    changes += _diff_security(ctx, place, o, n)
    changes += _diff_parameters(ctx, place, o.parameters, n.parameters)
    changes += _diff_body(place, o.body, n.body)
    changes += _diff_responses(ctx, place, o.responses, n.responses)
    return changes


def _diff_security(ctx: _Context, place: _Place, o: Operation, n: Operation) -> list[Change]:
    if o.security is None and n.security is None:
        return []  # both follow the default; a default change is reported once under auth
    before = o.security if o.security is not None else ctx.old.security
    after = n.security if n.security is not None else ctx.new.security
    if sorted(before) == sorted(after):
        return []
    message = f"security {_names(before)} → {_names(after)}"
    return [place.child("security").change("auth-changed", True, message)]


# --- parameters --------------------------------------------------------------------


def _param_place(place: _Place, o: Parameter | None, n: Parameter | None) -> _Place:
    p = n or o
    assert p is not None
    return place.child(
        f"parameter {p.location}/{p.name}", o.source if o else "", n.source if n else ""
    )


def _diff_parameters(
    ctx: _Context, place: _Place, old: list[Parameter], new: list[Parameter]
) -> list[Change]:
    pairs, removed, added = _pair_parameters(ctx, old, new)
    changes: list[Change] = []
    for o, n in pairs:
        at = _param_place(place, o, n)
        if o.location != n.location:
            changes.append(
                at.change(
                    "parameter-location-changed",
                    True,
                    f"`{n.name}` moved from {o.location} to {n.location}",
                )
            )
        elif o.name != n.name:
            changes.append(
                at.change("parameter-renamed", True, f"`{o.name}` renamed to `{n.name}`")
            )
        changes += _diff_parameter(ctx, at, o, n)
    for o in removed:
        at = _param_place(place, o, None)  # new side: the operation's provenance
        changes.append(at.change("parameter-removed", True, f"`{o.name}` removed"))
    for n in added:
        at = _param_place(place, None, n)
        what = "required" if n.required else "optional"
        changes.append(
            at.change(
                "parameter-added",
                n.required,
                f"{what} `{n.name}` added ({_describe(ctx.new, n.schema)})",
            )
        )
    return changes


def _pair_parameters(
    ctx: _Context, old: list[Parameter], new: list[Parameter]
) -> tuple[list[tuple[Parameter, Parameter]], list[Parameter], list[Parameter]]:
    pairs, old_left, new_left = _match(old, new, (_param_key, _param_name))
    scored = sorted(
        (-_rename_score(ctx, o, n), i, j)
        for i, o in enumerate(old_left)
        for j, n in enumerate(new_left)
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    for neg_score, i, j in scored:
        if -neg_score < RENAME_SIMILARITY or i in used_old or j in used_new:
            continue
        pairs.append((old_left[i], new_left[j]))
        used_old.add(i)
        used_new.add(j)
    removed = [o for i, o in enumerate(old_left) if i not in used_old]
    added = [n for j, n in enumerate(new_left) if j not in used_new]
    return pairs, removed, added


def _param_key(p: Parameter) -> object:
    return (p.location, p.name)


def _param_name(p: Parameter) -> object:
    return p.name


def _rename_score(ctx: _Context, o: Parameter, n: Parameter) -> float:
    if o.location != n.location:
        return 0.0
    if _shape(_resolve(ctx.old, o.schema)[0]) != _shape(_resolve(ctx.new, n.schema)[0]):
        return 0.0
    if _squash(o.name) == _squash(n.name):
        return 1.0
    if not (o.description and n.description):
        return 0.0
    return SequenceMatcher(None, o.description.lower(), n.description.lower()).ratio()


def _squash(name: str) -> str:
    return re.sub(r"[_\-\s]", "", name).lower()


def _diff_parameter(ctx: _Context, at: _Place, o: Parameter, n: Parameter) -> list[Change]:
    changes = []
    if o.required != n.required:
        message = "optional → required" if n.required else "required → optional"
        changes.append(at.change("parameter-required-changed", n.required, message))
    if o.default != n.default:
        # what the server assumes when the client sends nothing: a call that omits the
        # parameter now means something else, though it still type-checks
        message = f"default {_shown(o.default)} → {_shown(n.default)}"
        changes.append(at.change("parameter-default-changed", False, message))
    changes += _diff_schema(ctx, at, o.schema, n.schema, "request", frozenset())
    return changes


def _shown(value: object) -> str:
    return "none" if value is None else json.dumps(value)


def _diff_body(place: _Place, o: Body | None, n: Body | None) -> list[Change]:
    if o is None and n is None:
        return []
    at = place.child("body", o.source if o else "", n.source if n else "")
    if o is None or n is None:
        if n is not None:
            what = "required" if n.required else "optional"
            return [
                at.change(
                    "request-body-changed",
                    n.required,
                    f"{what} {n.media_type} body added",
                )
            ]
        assert o is not None
        return [at.change("request-body-changed", False, f"{o.media_type} body removed")]
    changes = []
    if o.media_type != n.media_type:
        breaking = _media_family(o.media_type) != _media_family(n.media_type)
        message = f"media type {o.media_type} → {n.media_type}"
        changes.append(at.change("request-body-changed", breaking, message))
    if o.required != n.required:
        message = "optional → required" if n.required else "required → optional"
        changes.append(at.change("request-body-changed", n.required, message))
    return changes


def _media_family(media_type: str) -> str:
    """Media types read and written the same way: every JSON spelling is ``json``."""
    essence = media_type.split(";", 1)[0].strip().lower()
    json_like = {
        "application/json",
        "text/json",
        "text/javascript",
        "application/javascript",
    }
    return "json" if essence in json_like or essence.endswith("+json") else essence


# --- responses ---------------------------------------------------------------------


def _pair_responses(
    old: list[Response], new: list[Response]
) -> tuple[list[tuple[Response, Response]], list[Response], list[Response]]:
    new_by = {r.status: r for r in new}
    pairs = [(o, new_by[o.status]) for o in old if o.status in new_by]
    paired = {o.status for o, _ in pairs}
    removed = [o for o in old if o.status not in paired]
    added = [n for n in new if n.status not in paired]
    old_ok = [r for r in removed if r.is_success]
    new_ok = [r for r in added if r.is_success]
    if len(old_ok) == 1 and len(new_ok) == 1:  # e.g. 200 → 201: compare the bodies
        pairs.append((old_ok[0], new_ok[0]))
        removed.remove(old_ok[0])
        added.remove(new_ok[0])
    return pairs, removed, added


def _diff_responses(
    ctx: _Context, place: _Place, old: list[Response], new: list[Response]
) -> list[Change]:
    pairs, removed, added = _pair_responses(old, new)
    changes = []
    for o in removed:
        at = place.child(f"response {o.status}", o.source, "")
        kind = "success" if o.is_success else "error"
        changes.append(at.change("response-removed", o.is_success, f"{kind} response removed"))
    for n in added:
        at = place.child(f"response {n.status}", "", n.source)
        changes.append(at.change("response-added", False, f"response {n.status} added"))
    for o, n in pairs:
        changes += _diff_response(ctx, place, o, n)
    return changes


def _diff_response(ctx: _Context, place: _Place, o: Response, n: Response) -> list[Change]:
    at = place.child(f"response {n.status}", o.source, n.source)
    changes = []
    if o.status != n.status:
        changes.append(
            at.change("response-status-changed", False, f"status {o.status} → {n.status}")
        )
    if not n.is_success:
        return changes
    if o.media_type and n.media_type and o.media_type != n.media_type:
        breaking = _media_family(o.media_type) != _media_family(n.media_type)
        message = f"media type {o.media_type} → {n.media_type}"
        changes.append(at.change("response-media-type-changed", breaking, message))
    if o.schema is None or n.schema is None:
        if o.schema is not None:
            changes.append(at.change("schema-changed", True, "response body no longer documented"))
        elif n.schema is not None:
            changes.append(at.change("schema-changed", False, "response body now documented"))
        return changes
    changes += _diff_schema(ctx, at, o.schema, n.schema, "response", frozenset())
    return changes


# --- schemas -----------------------------------------------------------------------

_KINDS = {
    "request": {
        "added": "request-field-added",
        "removed": "request-field-removed",
        "type": "type-changed",
        "required": "request-field-required-changed",
    },
    "response": {
        "added": "response-field-added",
        "removed": "response-field-removed",
        "type": "response-field-type-changed",
        "required": "response-field-required-changed",
    },
}
_SCALARS = {"string", "integer", "number", "boolean"}


def _resolve(spec: Spec, schema: Schema) -> tuple[Schema, str | None]:
    """Follow ``$ref`` chains; returns the target and the last name followed.
    A missing or self-referencing target reads as untyped."""
    followed: list[str] = []
    while schema.ref:
        if schema.ref in followed or schema.ref not in spec.schemas:
            return Schema(source=schema.source), schema.ref
        followed.append(schema.ref)
        schema = spec.schemas[schema.ref]
    return schema, (followed[-1] if followed else None)


def _shape(schema: Schema) -> str | None:
    if schema.type == "array" or schema.items is not None:
        return "array"
    if schema.additional_properties is not None and not schema.properties:
        return "map"
    if schema.type == "object" or schema.properties:
        return "object"
    return schema.type


def _describe(spec: Spec, schema: Schema, depth: int = 0) -> str:
    """``string (date-time)``, ``array of object Task``, ``map of integer``, ``untyped``."""
    target, name = _resolve(spec, schema)
    shape = _shape(target)
    if shape is None:
        return "untyped"
    if depth < 3 and shape == "array" and target.items is not None:
        return f"array of {_describe(spec, target.items, depth + 1)}"
    if depth < 3 and shape == "map" and target.additional_properties is not None:
        return f"map of {_describe(spec, target.additional_properties, depth + 1)}"
    if shape == "object" and name:
        return f"object {name}"
    return f"{shape} ({target.format})" if target.format else shape


def _safe_type_change(old: str | None, new: str | None, side: str) -> bool:
    if new is None:
        return True  # the docs stopped saying; values did not change
    if side == "request":
        return old == "integer" and new == "number"
    return (old == "number" and new == "integer") or (old is None and new in _SCALARS)


def _diff_schema(
    ctx: _Context,
    at: _Place,
    old: Schema,
    new: Schema,
    side: str,
    seen: frozenset[tuple[str, str]],
) -> list[Change]:
    o, old_name = _resolve(ctx.old, old)
    n, new_name = _resolve(ctx.new, new)
    if old_name and new_name:
        if (old_name, new_name) in seen:
            return []  # recursive schema: this pair is already being compared above
        seen = seen | {(old_name, new_name)}
    at = _Place(
        at.parts,
        o.source or old.source or at.old_source,
        n.source or new.source or at.new_source,
    )
    kinds = _KINDS[side]
    before, after = _shape(o), _shape(n)
    if before != after:
        safe = _safe_type_change(before, after, side)
        message = f"type {_describe(ctx.old, old)} → {_describe(ctx.new, new)}"
        return [at.change(kinds["type"], not safe, message)]
    changes = _diff_scalar_facets(at, o, n, side)
    if after == "object":
        changes += _diff_properties(ctx, at, o, n, side, seen)
    elif after == "array" and o.items is not None and n.items is not None:
        changes += _diff_schema(ctx, at.items("[]"), o.items, n.items, side, seen)
    elif after == "map" and o.additional_properties and n.additional_properties:
        changes += _diff_schema(
            ctx,
            at.items("{}"),
            o.additional_properties,
            n.additional_properties,
            side,
            seen,
        )
    return changes


def _diff_scalar_facets(at: _Place, o: Schema, n: Schema, side: str) -> list[Change]:
    changes = []
    if o.format != n.format:
        safe = side == "request" and n.format is None
        message = f"format {o.format or 'none'} → {n.format or 'none'}"
        changes.append(at.change(_KINDS[side]["type"], not safe, message))
    if o.nullable != n.nullable:
        # nullable is wider: safe to accept (request), unsafe to return (response)
        breaking = n.nullable if side == "response" else not n.nullable
        message = "now nullable" if n.nullable else "no longer nullable"
        changes.append(at.change("nullable-changed", breaking, message))
    changes += _diff_enum(at, o.enum, n.enum, side)
    return changes


def _diff_enum(at: _Place, old: list[JSON], new: list[JSON], side: str) -> list[Change]:
    if old == new:
        return []
    if not new:  # the generated enum class is gone; a request now accepts anything
        return [at.change("enum-changed", side == "response", "enum lifted: any value allowed")]
    if not old:  # requests are restricted; responses get an open enum (a str subclass)
        return [at.change("enum-changed", side == "request", "values restricted to an enum")]
    old_keys = {_json_key(v): v for v in old}
    new_keys = {_json_key(v): v for v in new}
    changes = []
    for key in sorted(old_keys.keys() - new_keys.keys()):
        # request: the server rejects it; response: its generated enum member is gone
        changes.append(at.change("enum-value-removed", True, f"value {key} removed"))
    for key in sorted(new_keys.keys() - old_keys.keys()):
        changes.append(at.change("enum-value-added", False, f"value {key} added"))
    return changes


def _json_key(value: JSON) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _diff_properties(
    ctx: _Context,
    at: _Place,
    o: Schema,
    n: Schema,
    side: str,
    seen: frozenset[tuple[str, str]],
) -> list[Change]:
    kinds = _KINDS[side]
    response = side == "response"
    changes = []
    for name in sorted(o.properties.keys() | n.properties.keys()):
        old_field, new_field = o.properties.get(name), n.properties.get(name)
        field_at = at.child(
            name,
            old_field.source if old_field else "",
            new_field.source if new_field else "",
        )
        if new_field is None:
            assert old_field is not None
            message = f"field `{name}` removed (was {_describe(ctx.old, old_field)})"
            changes.append(field_at.change(kinds["removed"], True, message))
        elif old_field is None:
            required = name in n.required
            message = f"field `{name}` added ({_describe(ctx.new, new_field)})"
            breaking = not response and required
            changes.append(field_at.change(kinds["added"], breaking, message))
        else:
            changes += _diff_field_required(field_at, name, o, n, side)
            changes += _diff_schema(ctx, field_at, old_field, new_field, side, seen)
    return changes


def _diff_field_required(at: _Place, name: str, o: Schema, n: Schema, side: str) -> list[Change]:
    before, after = name in o.required, name in n.required
    if before == after:
        return []
    # a request field that becomes required, or a response field that may now be absent
    breaking = after if side == "request" else before
    message = "optional → required" if after else "required → optional (may be absent)"
    return [at.change(_KINDS[side]["required"], breaking, message)]


__all__ = ["Change", "diff_specs", "has_breaking", "render_text", "to_json"]
