"""Schemas → Python types: one class per object/enum schema, named once, with
fields and enum members already named (``generator.naming``) and documented
(``generator.escaping``).  Also plausible sample values for undocumented examples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator import escaping, naming
from generator.render.layout import Bracketed, class_header
from generator.spec import Schema, Spec


@dataclass
class EnumMember:
    name: str
    value: str  # Python literal


@dataclass
class ClassDef:
    """A generated class (model or enum) for one schema."""

    name: str
    kind: str  # "model" | "enum"
    schema: Schema
    doc: str = ""
    base: str = "_rt.Model"
    members: list[EnumMember] = field(default_factory=list)
    fields: list[FieldDef] = field(default_factory=list)
    wire_to_field: dict[str, str] = field(default_factory=dict)
    deps: set[str] = field(default_factory=set)  # names of classes used by fields

    @property
    def header(self) -> str:
        return class_header(self.name, self.base)


@dataclass
class FieldDef:
    name: str
    annotation: str
    default: str  # Python source
    doc: str
    alias: str = ""  # Python literal of the wire name, when it differs

    @property
    def line(self) -> str:
        """The field's statement, in a class body, as black lays it out."""
        head = f"{self.name}: {self.annotation} = "
        if not self.alias:
            return head + self.default
        call = Bracketed(head + "Field(", ["default=None", f"alias={self.alias}"], ")")
        return call.text("    ")


def doc(text: str, indent: str) -> str:
    """A docstring body; multi-line ones end with the closing quotes on their own line."""
    body = escaping.docstring(text, indent)
    return f"{body}\n{indent}" if "\n" in body else body


def _schema_doc(schema: Schema, fallback: str) -> str:
    return schema.description.strip() or fallback


class Types:
    """Schema → Python type expressions; registers a class per enum/object schema."""

    def __init__(self, spec: Spec, classes: naming.Namespace) -> None:
        self.spec = spec
        self.ns = classes
        self.by_id: dict[int, ClassDef] = {}
        self.by_ref: dict[str, ClassDef] = {}
        self.pending: list[tuple[ClassDef, str]] = []
        self.unresolved: list[str] = []

    def resolve(self, schema: Schema) -> Schema:
        seen: set[str] = set()
        while schema.ref and schema.ref in self.spec.schemas and schema.ref not in seen:
            seen.add(schema.ref)
            schema = self.spec.schemas[schema.ref]
        return schema

    @staticmethod
    def enum_base(schema: Schema) -> str | None:
        values = schema.enum
        if values and all(isinstance(v, str) for v in values):
            return "_rt.OpenEnum"
        if values and all(
            isinstance(v, int) and not isinstance(v, bool) for v in values
        ):
            return "_rt.OpenIntEnum"
        return None

    def _enum_value_type(self, schema: Schema) -> str:
        return "str" if self.enum_base(schema) == "_rt.OpenEnum" else "int"

    @staticmethod
    def is_model(schema: Schema) -> bool:
        return schema.type in ("object", None) and bool(schema.properties)

    def register(
        self, schema: Schema, name_hint: str, source: str, original: str
    ) -> ClassDef | None:
        """The class generated for ``schema`` (created on first sight), if it gets one."""
        if id(schema) in self.by_id:
            return self.by_id[id(schema)]
        base = self.enum_base(schema)
        if base is None and not self.is_model(schema):
            return None
        name = self.ns.claim(
            original, naming.pascal(name_hint, "Model"), source or schema.source
        )
        kind = "enum" if base else "model"
        cls = ClassDef(name=name, kind=kind, schema=schema, base=base or "_rt.Model")
        self.by_id[id(schema)] = cls
        self.pending.append((cls, source))
        return cls

    def register_named(self) -> None:
        for ref in sorted(self.spec.schemas):
            cls = self.register(
                self.spec.schemas[ref], ref, self.spec.schemas[ref].source, ref
            )
            if cls is not None:
                self.by_ref[ref] = cls

    def expr(
        self, schema: Schema, hint: str, *, prefix: str = "", param: bool = False
    ) -> str:
        """A type expression for ``schema``; ``hint`` names inline classes."""
        return self._expr(schema, hint, prefix, param, 0)

    def _expr(
        self, schema: Schema, hint: str, prefix: str, param: bool, depth: int
    ) -> str:
        if depth > 20:
            return "Any"
        if schema.ref:
            if schema.ref not in self.spec.schemas:
                self.unresolved.append(schema.ref)
                return "Any"
            cls = self.by_ref.get(schema.ref)
            if cls is not None and cls.kind == "enum" and param:
                return f"{prefix}{cls.name} | {self._enum_value_type(cls.schema)}"
            if cls is not None:
                return prefix + cls.name
            return self._expr(
                self.spec.schemas[schema.ref], hint, prefix, param, depth + 1
            )
        if param and len(schema.enum) > 1 and self.enum_base(schema):
            # Enumerated parameter values get an enum class too; any value of the
            # base type is still accepted (docs often list only some values).
            cls = self.register(schema, hint, schema.source, hint)
            if cls is not None:
                return f"{prefix}{cls.name} | {self._enum_value_type(schema)}"
        if not param:
            cls = self.register(schema, hint, schema.source, hint)
            if cls is not None:
                return prefix + cls.name
        if schema.enum and self.enum_base(schema):
            return self._enum_value_type(schema)
        kind = schema.type
        if kind == "array":
            item = schema.items or Schema()
            return f"list[{self._expr(item, hint + ' Item', prefix, param, depth + 1)}]"
        if kind == "object" or (
            kind is None and (schema.properties or schema.additional_properties)
        ):
            if schema.additional_properties is not None:
                value = self._expr(
                    schema.additional_properties,
                    hint + " Value",
                    prefix,
                    param,
                    depth + 1,
                )
                return f"dict[str, {value}]"
            return "dict[str, Any]"
        if kind == "string" and param:
            return "str"
        if kind == "string":
            return {"date-time": "datetime", "date": "date"}.get(
                schema.format or "", "str"
            )
        return {"integer": "int", "number": "float", "boolean": "bool"}.get(
            kind or "", "Any"
        )


def optional(annotation: str) -> str:
    return annotation if annotation == "Any" else f"{annotation} | None"


def build_classes(types: Types) -> None:
    """Fill fields/members of every registered class (registering nested ones)."""
    done = 0
    while done < len(types.pending):
        cls, _source = types.pending[done]
        done += 1
        schema = cls.schema
        if cls.kind == "enum":
            cls.doc = doc(
                _schema_doc(schema, ""), "    "
            )
            members = naming.Namespace(f"member of enum {cls.name}", separator="_")
            for value in sorted(schema.enum, key=lambda v: (str(v), repr(v))):
                member = members.claim(
                    str(value), naming.upper(str(value), "VALUE"), schema.source
                )
                cls.members.append(EnumMember(member, escaping.literal(value)))
            types.ns.renames.extend(members.renames)
            cls.members.sort(key=lambda m: m.name)
            continue
        cls.doc = doc(_schema_doc(schema, ""), "    ")
        fields = naming.Namespace(
            f"field of {cls.name}",
            reserved=naming.MODEL_ATTRIBUTES | naming.ANNOTATION_NAMES,
        )
        for wire in sorted(schema.properties):
            prop = schema.properties[wire]
            name = fields.claim(
                wire, naming.snake(wire, "field"), prop.source or schema.source
            )
            annotation = types.expr(prop, f"{cls.name} {naming.pascal(wire, 'Field')}")
            for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", annotation):
                cls.deps.add(word)
            alias = "" if name == wire else escaping.literal(wire)
            default = f"Field(default=None, alias={alias})" if alias else "None"
            field_doc = doc(prop.description.strip(), "    ")
            cls.fields.append(
                FieldDef(name, optional(annotation), default, field_doc, alias)
            )
            cls.wire_to_field[wire] = name
        types.ns.renames.extend(fields.renames)
        cls.fields.sort(key=lambda f: f.name)


def ordered(classes: list[ClassDef]) -> list[ClassDef]:
    """Classes sorted by name, but every class after the classes its fields use."""
    by_name = {c.name: c for c in classes}
    out: list[ClassDef] = []
    state: dict[str, int] = {}

    def visit(cls: ClassDef) -> None:
        if state.get(cls.name):
            return
        state[cls.name] = 1
        for dep in sorted(cls.deps):
            if dep in by_name and dep != cls.name:
                visit(by_name[dep])
        state[cls.name] = 2
        out.append(cls)

    for cls in sorted(classes, key=lambda c: c.name):
        visit(cls)
    return out


def sample(schema: Schema, types: Types, depth: int = 0) -> object:
    """A plausible value for ``schema`` (used when the docs give no example)."""
    schema = types.resolve(schema)
    if schema.example is not None:
        return schema.example
    if schema.enum:
        return schema.enum[0]
    if depth > 4:
        return None
    kind = schema.type
    if kind == "object" or (kind is None and schema.properties):
        return {
            k: sample(v, types, depth + 1) for k, v in sorted(schema.properties.items())
        }
    if kind == "array":
        return [sample(schema.items or Schema(type="string"), types, depth + 1)]
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    if kind == "string":
        return {"date-time": "2024-01-02T03:04:05+00:00", "date": "2024-01-02"}.get(
            schema.format or "", "string"
        )
    return "value"


def fits(value: object, schema: Schema, types: Types) -> bool:
    """Whether ``value`` matches the documented parameter type (for test values)."""
    schema = types.resolve(schema)
    checks: dict[str, tuple[type, ...]] = {
        "string": (str,),
        "integer": (int,),
        "number": (int, float),
        "boolean": (bool,),
        "array": (list,),
        "object": (dict,),
    }
    if value is None:
        return False
    if schema.type in checks:
        ok = isinstance(value, checks[schema.type])
        return ok and not (
            isinstance(value, bool) and schema.type in ("integer", "number")
        )
    return isinstance(value, (str, int, float, bool))
