"""Overrides: corrections to an extracted spec that survive re-extraction.

Extraction rewrites ``specs/<provider>.yaml`` from the docs on every build, so hand
edits there are lost.  Put corrections in ``specs/<provider>.overrides.yaml`` instead;
they are merged over every freshly extracted spec.  The file names things by
*identity* (operation name, parameter location and name, response status, schema
name), never by list position, so it keeps applying when the docs change around it.

Format
------
::

    title: "cielo24 public API"                       # top-level values are replaced:
    servers: [{url: "https://api.cielo24.com"}]       #   title, servers, security_schemes,
    security: [api_token]                             #   security
    operations:
      job_info:                                       # an operation, by name
        summary: "Get information about a job"        # operation fields: name, method, path,
        accept: application/json                      #   summary, description, security,
        resource: jobs                                #   accept, body, resource (the
                                                      #   client.<resource> it is on)
        parameters:
          query/job_id: {required: true}              # a parameter, by location/name
          query/v: null                               # null removes it
          "+header/X-Trace": {schema: {type: string}} # a leading + adds it when absent
        responses:
          "400": {description: Unknown job or token}  # a response, by status (quote it)
      "+job_delete": {method: POST, path: /api/job/delete, responses: {"+200": {}}}
    schemas:
      JobInfo:                                        # a named schema
        description: A job and its state
        properties/MediaLengthSeconds: {type: number} # a path into it
      JobInfo/properties/JobStatus: {enum: [Authorizing, Pending, Complete]}
      "+Money": {type: object, properties: {amount: {type: number}}}

Rules:

* **Values merge.**  A mapping is merged into the object it names, key by key, the
  way a JSON Merge Patch (RFC 7386) does: nested ``schema``, ``properties``,
  ``items``, ``additionalProperties`` and ``body`` mappings merge recursively,
  ``null`` removes a key (nothing to do when it is already absent), and everything
  else (strings, lists such as ``enum`` or ``required``, ``example`` values)
  replaces what was there.
* **Paths.**  A key containing ``/`` is a path into the object, through the keys of
  its spec form (``schema/properties/Tasks/items/properties/TaskStatus``); escape a
  ``/`` in a name as ``~1`` and ``~`` as ``~0``.  A path does not follow ``$ref``:
  override the named schema under ``schemas:`` instead.  Every step of a path must
  exist, except a last step naming a field of an object (``Priority/enum``) or a
  property being removed; to add a property, merge it into its parent
  (``Name/properties: {New: {...}}``).
* **References.**  A schema mapping with ``$ref`` replaces the schema it lands on
  (a reference has no other content); ``$ref: null`` turns a reference back into
  an inline schema to fill in.
* **Adding and removing.**  An operation, parameter, response or named schema key
  with a leading ``+`` is created when missing (then merged).  ``key: null``
  removes the thing.  Without ``+``, a key must match something in the spec.
* **Renames.**  An entry may rename what it names (``name:``, ``in:``, ``status:``);
  a later run finds the thing under either identity, so applying twice is the same
  as applying once.  Renaming onto a name another entry uses, or onto an existing
  thing, is an error.
* **Provenance.**  Each object whose own fields an override sets or removes, and
  each object it creates, gets ``source: override:<overrides file>:<line>``, where
  the line is that of the key naming the object (``query/job_id:``,
  ``JobInfo/properties/JobStatus:``, ``MediaLengthSeconds:``); the objects around
  it keep the provenance of the docs.  ``source`` cannot be set by hand.
* **Diagnostics.**  An entry (one operation's fields, one parameter, one response,
  one ``schemas:`` key, one top-level key) that matches nothing, in whole or in
  part (the operation, parameter, response or schema path is gone from the docs),
  is skipped with a warning naming the key and ``file:line``; with ``strict`` it
  is an error.  Malformed YAML, an unknown key, a value of the wrong type, a YAML
  tag that builds objects (``!!python/object``), an alias or a duplicate key is an
  error, and so is an entry that leaves the spec outside the spec format (the
  message names the entry).  If any error is reported, the spec is returned
  unchanged.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import cache, partial
from typing import Any

import yaml

from generator.document import Diagnostic
from generator.spec import Spec, SpecError, spec_json_schema, validate

OVERRIDES_SUFFIX = ".overrides.yaml"
TOP_LEVEL_FIELDS = ("title", "servers", "security_schemes", "security")
LOCATIONS = ("path", "query", "header", "body")

# (object kind, key) → kind of the mapping under that key; other values are opaque
_CHILD_KINDS = {
    ("operation", "body"): "body",
    ("parameter", "schema"): "schema",
    ("response", "schema"): "schema",
    ("schema", "items"): "schema",
    ("schema", "additionalProperties"): "schema",
    ("schema", "properties"): "properties",
}


def overrides_path_for(spec_path: str) -> str:
    """``specs/cielo24.yaml`` → ``specs/cielo24.overrides.yaml``."""
    return spec_path.removesuffix(".yaml") + OVERRIDES_SUFFIX


def apply_overrides(
    spec: Spec, overrides_text: str, overrides_path: str, strict: bool = False
) -> tuple[Spec, list[Diagnostic]]:
    """Merge the overrides file over ``spec``; see the module docstring for the format.
    Returns the merged spec (``spec`` itself, unchanged, when any error is reported)
    and the diagnostics, in file order."""
    try:
        tree = _load(overrides_text)
    except _Bad as bad:
        return spec, [Diagnostic("error", overrides_path, bad.line, bad.message)]
    if tree is None:
        return spec, []
    # Fast path: check the spec format once at the end.  Only when that fails, apply
    # again checking after every entry, to name the entry that broke it.
    applier = _Applier(spec.to_dict(), overrides_path, strict, check_each=False)
    applier.apply(tree)
    try:
        validate(applier.data, overrides_path)
    except SpecError:
        applier = _Applier(spec.to_dict(), overrides_path, strict, check_each=True)
        applier.apply(tree)
    if any(d.level == "error" for d in applier.diagnostics):
        return spec, applier.diagnostics
    return Spec.from_dict(applier.data), applier.diagnostics


# --- reading the file with line numbers ---------------------------------------------


class _Bad(Exception):
    """Invalid override content: becomes an error diagnostic at ``line``."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _Gone(Exception):
    """The override names something the spec no longer has."""

    def __init__(self, what: str, hint: str = "") -> None:
        super().__init__(what)
        self.what = what
        self.hint = hint


class _Map(dict):  # type: ignore[type-arg]
    """A YAML mapping that remembers its own line and the line of each key."""

    line: int = 0
    lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, plus line numbers; refuses aliases and duplicate keys,
    and keeps timestamps as strings (spec values are JSON)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None,
                None,
                "aliases (*name) are not supported in overrides files",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> Any:
    data = _Map()
    data.line = node.start_mark.line + 1
    data.lines = {}
    yield data
    seen: set[str] = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        if key_node.value in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key_node.value!r}", key_node.start_mark
            )
        seen.add(key_node.value)
    data.update(loader.construct_mapping(node))
    for key_node, _ in node.value:
        data.lines[loader.construct_object(key_node)] = key_node.start_mark.line + 1


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _load(text: str) -> _Map | None:
    try:
        tree = yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        problem = exc.problem or "unreadable"
        if exc.context and exc.context_mark is not None:
            problem = f"{exc.context} (line {exc.context_mark.line + 1}): {problem}"
        if "python/" in problem:
            problem = f"refused: {problem} (overrides are plain data; no object-building tags)"
        raise _Bad(f"not valid overrides YAML: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise _Bad(f"not valid overrides YAML: {exc}") from None
    if tree is None:
        return None
    if not isinstance(tree, _Map):
        raise _Bad(
            "an overrides file is a mapping (title, servers, operations, schemas, ...)",
            1,
        )
    return tree


def _plain(value: Any, line: int) -> Any:
    """A JSON-compatible copy of a YAML value (``_Map`` → ``dict``)."""
    if isinstance(value, dict):
        if "source" in value:
            raise _Bad("`source` is set by docs2client; remove it from the override", line)
        return {str(k): _plain(v, line) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, line) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise _Bad(f"a value of type {type(value).__name__} is not JSON data", line)


@cache
def _fields(kind: str) -> frozenset[str]:
    """Keys an override may set on an object of ``kind``, from spec.schema.json."""
    properties = spec_json_schema()["$defs"][kind]["properties"]
    return frozenset(properties) - {"source", "parameters", "responses"}


def _unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def _split_plus(key: Any) -> tuple[bool, str]:
    text = str(key)
    return (True, text[1:]) if text.startswith("+") else (False, text)


def _subset(tree: _Map, keys: list[Any]) -> _Map:
    out = _Map((k, tree[k]) for k in keys)
    out.line = tree.line
    out.lines = {k: tree.line_of(k) for k in keys}
    return out


# --- applying -----------------------------------------------------------------------


class _Applier:
    def __init__(self, data: dict[str, Any], path: str, strict: bool, check_each: bool) -> None:
        self.data = data
        self.path = path
        self.strict = strict
        self.check_each = check_each  # validate the spec after every entry
        self.diagnostics: list[Diagnostic] = []

    # diagnostics and units

    def error(self, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic("error", self.path, line, message))

    def unit(self, label: str, line: int, change: Callable[[], None]) -> None:
        """Apply one entry; on a problem restore the spec and report it at ``line``."""
        snapshot = copy.deepcopy(self.data)
        try:
            change()
            if self.check_each:
                validate(self.data, f"{self.path}:{line}")
            return
        except _Bad as bad:
            self.error(bad.line or line, f"override `{label}`: {bad.message}")
        except _Gone as gone:
            level = "error" if self.strict else "warning"
            hint = f"; {gone.hint}" if gone.hint else ""
            message = (
                f"override `{label}` matches nothing: {gone.what} is not in the spec "
                f"(removed or renamed in the docs?){hint}"
            )
            self.diagnostics.append(Diagnostic(level, self.path, line, message))
        except SpecError as exc:
            problem = str(exc).split(": error: ", 1)[-1]
            self.error(line, f"override `{label}` leaves the spec invalid: {problem}")
        self.data.clear()
        self.data.update(snapshot)

    def source(self, line: int) -> str:
        return f"override:{self.path}:{line}"

    def mark(self, obj: dict[str, Any], line: int) -> None:
        obj["source"] = self.source(line)

    # the file

    def apply(self, tree: _Map) -> None:
        for key, value in tree.items():
            line = tree.line_of(key)
            if key == "operations":
                self.operations(value, line)
            elif key == "schemas":
                self.schemas(value, line)
            elif key in TOP_LEVEL_FIELDS:
                self.unit(str(key), line, partial(self.top_field, key, value, line))
            else:
                expected = ", ".join((*TOP_LEVEL_FIELDS, "operations", "schemas"))
                self.error(line, f"unknown top-level key `{key}`; expected one of {expected}")

    def top_field(self, key: str, value: Any, line: int) -> None:
        if key in ("servers", "security_schemes") and isinstance(value, list):
            items = []
            for item in value:
                plain = _plain(item, line)
                if isinstance(plain, dict):
                    plain["source"] = self.source(getattr(item, "line", line))
                items.append(plain)
            self.data[key] = items
        else:
            self.data[key] = _plain(value, line)

    # operations

    def operations(self, value: Any, line: int) -> None:
        if not isinstance(value, _Map):
            self.error(line, "`operations` must map operation names to their changes")
            return
        clashes = _rename_clashes(value, "operation")
        for key, patch in value.items():
            if key in clashes:
                self.error(value.line_of(key), clashes[key])
            else:
                self.operation(key, patch, value.line_of(key))

    def find_operation(self, *names: Any) -> dict[str, Any] | None:
        for name in names:
            for op in self.data["operations"]:
                if op["name"] == name:
                    return op  # type: ignore[no-any-return]
        return None

    def operation_entry(
        self,
        change: Callable[[dict[str, Any], Any, Any, int], None],
        name: str,
        rename: Any,
        key: Any,
        patch: Any,
        line: int,
    ) -> None:
        """Apply one parameter or response entry to the operation it belongs to."""
        op = self.find_operation(name, rename)
        if op is None:
            raise _Gone(f"operation `{name}`")
        change(op, key, patch, line)

    def operation(self, key: Any, patch: Any, line: int) -> None:
        create, name = _split_plus(key)
        label = f"operations/{key}"
        if patch is None:
            self.unit(label, line, partial(self.remove_operation, name))
            return
        if not isinstance(patch, _Map):
            self.error(
                line,
                f"override `{label}` must be a mapping of operation fields or null",
            )
            return
        rename = patch.get("name")
        fields = _subset(patch, [k for k in patch if k not in ("parameters", "responses")])
        self.unit(
            label,
            line,
            partial(self.operation_fields, name, rename, create, fields, line),
        )
        if self.find_operation(name, rename) is None:
            return  # reported by the unit above
        for part in ("parameters", "responses"):
            if part in patch:
                self.operation_part(part, name, rename, patch[part], patch.line_of(part), label)

    def remove_operation(self, name: str) -> None:
        op = self.find_operation(name)
        if op is None:
            raise _Gone(f"operation `{name}`")
        self.data["operations"].remove(op)

    def operation_fields(
        self, name: str, rename: Any, create: bool, fields: _Map, line: int
    ) -> None:
        op = self.find_operation(name, rename)
        if op is None:
            if not create:
                raise _Gone(f"operation `{name}`")
            op = {"name": name, "parameters": [], "responses": []}
            self.mark(op, line)
            self.data["operations"].append(op)
        self.patch(op, "operation", fields, line)
        _unique(self.data["operations"], lambda o: o["name"], "operation")

    def operation_part(
        self, part: str, name: str, rename: Any, entries: Any, line: int, label: str
    ) -> None:
        if not isinstance(entries, _Map):
            self.error(line, f"override `{label}/{part}` must be a mapping")
            return
        change = self.parameter if part == "parameters" else self.response
        clashes = _rename_clashes(entries, part[:-1])
        for key, patch in entries.items():
            key_line = entries.line_of(key)
            if key in clashes:
                self.error(key_line, clashes[key])
                continue
            self.unit(
                f"{label}/{part}/{key}",
                key_line,
                partial(self.operation_entry, change, name, rename, key, patch, key_line),
            )

    def parameter(self, op: dict[str, Any], key: Any, patch: Any, line: int) -> None:
        create, ident = _split_plus(key)
        location, slash, name = ident.partition("/")
        if not slash or location not in LOCATIONS or not name:
            raise _Bad(
                f"a parameter key is `location/name` with location one of {', '.join(LOCATIONS)}"
            )
        if patch is not None and not isinstance(patch, _Map):
            raise _Bad("a parameter override must be a mapping or null")
        moved = (patch.get("in", location), patch.get("name", name)) if patch else None
        params = op["parameters"]
        param = next(
            (p for p in params if (p["in"], p["name"]) in {(location, name), moved}),
            None,
        )
        if param is None and (patch is None or not create):
            raise _Gone(f"parameter {location}/{name} of `{op['name']}`")
        if patch is None:
            params.remove(param)
            return
        if param is None:
            param = {
                "name": name,
                "in": location,
                "required": location == "path",
                "schema": {},
            }
            self.mark(param, line)
            params.append(param)
        self.patch(param, "parameter", patch, line)
        _unique(params, lambda p: (p["in"], p["name"]), "parameter")

    def response(self, op: dict[str, Any], key: Any, patch: Any, line: int) -> None:
        create, status = _split_plus(key)
        if patch is not None and not isinstance(patch, _Map):
            raise _Bad("a response override must be a mapping or null")
        renamed = str(patch.get("status", status)) if patch else status
        responses = op["responses"]
        response = next((r for r in responses if r["status"] in (status, renamed)), None)
        if response is None and (patch is None or not create):
            raise _Gone(f"response {status} of `{op['name']}`")
        if patch is None:
            responses.remove(response)
            return
        if response is None:
            response = {"status": status}
            self.mark(response, line)
            responses.append(response)
        self.patch(response, "response", patch, line)
        _unique(responses, lambda r: r["status"], "response")

    # named schemas

    def schemas(self, value: Any, line: int) -> None:
        if not isinstance(value, _Map):
            self.error(line, "`schemas` must map schema names (or paths) to their changes")
            return
        for key, patch in value.items():
            key_line = value.line_of(key)
            self.unit(
                f"schemas/{key}",
                key_line,
                partial(self.named_schema, key, patch, key_line),
            )

    def named_schema(self, key: Any, patch: Any, line: int) -> None:
        create, ident = _split_plus(key)
        name, slash, rest = ident.partition("/")
        schemas = self.data.setdefault("schemas", {})
        if slash:
            if create:
                raise _Bad("`+` creates named schemas, not paths; merge into the parent instead")
            if name not in schemas:
                raise _Gone(f"schema `{name}`")
            self.patch_path(schemas[name], "schema", rest, patch, line)
            return
        if patch is not None and not isinstance(patch, _Map):
            raise _Bad("a schema override must be a mapping or null")
        if name not in schemas and (patch is None or not create):
            raise _Gone(f"schema `{name}`")
        if patch is None:
            del schemas[name]
            return
        if name not in schemas:
            schemas[name] = {}
            self.mark(schemas[name], line)
        self.patch(schemas[name], "schema", patch, line)

    # merging: ``line`` is always the line of the key that names ``obj``.  What gets
    # marked depends only on the override, never on what the spec held before (setting
    # or removing a field marks its object; creating an object marks only that object),
    # so a second application marks exactly what the first did.

    def patch(self, obj: dict[str, Any], kind: str, patch: _Map, line: int) -> None:
        if kind == "schema" and patch.get("$ref") is not None:
            obj.clear()  # a reference replaces the schema: it has no other content
        for key, value in patch.items():
            key_line = patch.line_of(key)
            if isinstance(key, str) and "/" in key:
                self.patch_path(obj, kind, key, value, key_line)
            else:
                self.set(obj, kind, key, value, line, key_line)

    def set(
        self,
        obj: dict[str, Any],
        kind: str,
        key: Any,
        value: Any,
        line: int,
        key_line: int,
    ) -> None:
        """Set ``obj[key]`` (a field of a ``kind`` object) from the override at ``key_line``."""
        if key not in _fields(kind):
            allowed = ", ".join(sorted(_fields(kind)))
            raise _Bad(f"unknown {kind} key `{key}`; expected one of {allowed}", key_line)
        child_kind = _CHILD_KINDS.get((kind, key))
        if value is None:
            obj.pop(key, None)
            self.mark(obj, line)
        elif child_kind and isinstance(value, _Map):
            child = obj.get(key)
            if not isinstance(child, dict):
                child = obj[key] = {}
                if child_kind != "properties":
                    self.mark(child, key_line)
            self.patch_child(child, child_kind, value, key_line, obj, line)
        else:
            obj[key] = _plain(value, key_line)
            self.mark(obj, line)

    def patch_child(
        self,
        child: dict[str, Any],
        kind: str,
        patch: _Map,
        child_line: int,
        owner: dict[str, Any],
        owner_line: int,
    ) -> None:
        """Merge into a nested object, or into a ``properties`` map owned by ``owner``."""
        if kind != "properties":
            self.patch(child, kind, patch, child_line)
            return
        for name, value in patch.items():
            line = patch.line_of(name)
            if value is None:  # removed, or already absent: either way the owner says so
                child.pop(name, None)
                self.mark(owner, owner_line)
            elif isinstance(value, _Map):
                if not isinstance(child.get(name), dict):
                    child[name] = {}
                    self.mark(child[name], line)
                self.patch(child[name], "schema", value, line)
            else:
                raise _Bad(f"property `{name}` must be a schema mapping or null", line)

    def patch_path(self, obj: dict[str, Any], kind: str, path: str, value: Any, line: int) -> None:
        """Walk ``path`` from ``obj`` and merge ``value`` there.  Every step must exist,
        except a last step that names a field of an object (``Priority/enum``) or a
        property being removed."""
        segments = [_unescape(s) for s in path.split("/")]
        parent, parent_kind, owner = obj, kind, obj
        for depth, segment in enumerate(segments, start=1):
            if parent_kind != "properties" and segment not in _fields(parent_kind):
                raise _Bad(f"path `{path}`: `{segment}` is not a key of the {parent_kind}", line)
            last = depth == len(segments)
            # a missing last step is fine when it names a field, or a property to remove
            settable = parent_kind != "properties" or value is None
            if segment not in parent and not (last and settable):
                ref = parent.get("$ref") if parent_kind == "schema" else None
                hint = (
                    f"it is a $ref to {ref}; override that schema under `schemas:`" if ref else ""
                )
                raise _Gone(f"`{segment}` in path `{path}`", hint)
            if last:
                break
            parent, parent_kind, owner = self.step(parent, parent_kind, owner, segment, path, line)
        if parent_kind == "properties":
            self.patch_child(
                parent, "properties", _one(segments[-1], value, line), line, owner, line
            )
        else:
            self.set(parent, parent_kind, segments[-1], value, line, line)

    def step(
        self,
        parent: dict[str, Any],
        kind: str,
        owner: dict[str, Any],
        segment: str,
        path: str,
        line: int,
    ) -> tuple[dict[str, Any], str, dict[str, Any]]:
        """One step down a path: the child, its kind, and the object that owns it."""
        child = parent[segment]
        child_kind = "schema" if kind == "properties" else _CHILD_KINDS.get((kind, segment))
        if child_kind is None or not isinstance(child, dict):
            raise _Bad(f"path `{path}`: `{segment}` holds a value; override it whole", line)
        return child, child_kind, (owner if child_kind == "properties" else child)


def _identity(kind: str, key: Any, patch: Any) -> tuple[str, str]:
    """An entry's identity before and after the renames it asks for."""
    _, ident = _split_plus(key)
    if not isinstance(patch, dict):
        return ident, ident
    if kind == "operation":
        return ident, str(patch.get("name", ident))
    if kind == "response":
        return ident, str(patch.get("status", ident))
    location, _, name = ident.partition("/")
    return ident, f"{patch.get('in', location)}/{patch.get('name', name)}"


def _rename_clashes(entries: _Map, kind: str) -> dict[Any, str]:
    """Entries renaming their target to what another entry names: applied twice, the
    other entry would hit the renamed thing.  Maps key → error message."""
    names = {_identity(kind, key, patch)[0] for key, patch in entries.items()}
    clashes = {}
    for key, patch in entries.items():
        before, after = _identity(kind, key, patch)
        if after != before and after in names:
            clashes[key] = (
                f"override `{key}` renames the {kind} to `{after}`, which another entry "
                "here also names; applying the file twice would change the renamed one"
            )
    return clashes


def _unique(
    items: list[dict[str, Any]], identity: Callable[[dict[str, Any]], Any], kind: str
) -> None:
    seen: set[Any] = set()
    for item in items:
        if identity(item) in seen:
            raise _Bad(f"two {kind}s are now named {identity(item)}")
        seen.add(identity(item))


def _one(key: str, value: Any, line: int) -> _Map:
    out = _Map({key: value})
    out.line = line
    out.lines = {key: line}
    return out
