"""Classes → modules: each model, enum and documented error lives in the module of
the one resource that uses it, or in the shared ``models`` module when several
resources (or none) do; and each module's imports.

A page's endpoints and the classes only they use are then one module, so a
changed page changes one module, and importing a resource loads its own classes
and the shared ones, never the other resources'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generator.render.layout import LINE_LENGTH
from generator.render.operations import ErrorDef, Op
from generator.render.types import ClassDef, ordered

SHARED = "models"
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class Module:
    """A module of the package that holds generated classes."""

    name: str  # "models", or the resource's name (a module under resources/)
    enums: list[ClassDef] = field(default_factory=list)
    models: list[ClassDef] = field(default_factory=list)
    errors: list[ErrorDef] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)  # names it imports from models
    imports: list[list[str]] = field(default_factory=list)  # import lines, in isort groups

    @property
    def classes(self) -> list[str]:
        return sorted([c.name for c in self.enums + self.models] + [e.name for e in self.errors])


def isort_key(name: str, member: bool = True) -> tuple[Any, ...]:
    """The order ruff's isort (default settings) gives imported names (``member``)
    or module paths: constants, then classes, then the rest; within each, natural
    order ignoring case (digit runs compare as numbers)."""
    kind = 2
    if member and len(name) > 1 and name == name.upper() and name != name.lower():
        kind = 0
    elif member and name[:1].isupper():
        kind = 1
    chunks = tuple(
        (0, int(chunk), "") if chunk.isdigit() else (1, 0, chunk)
        for chunk in re.findall(r"\d+|\D", name.lower())
    )
    return (kind, chunks, name)


def _names(text: str) -> set[str]:
    return set(_WORD.findall(text))


def place(
    resources: dict[str, list[Op]], classes: list[ClassDef], errors: list[ErrorDef]
) -> dict[str, Module]:
    """Module name → its classes, for ``resources`` (resource name → operations)."""
    by_name = {c.name: c for c in classes}
    error_by_name = {e.name: e for e in errors}
    users: dict[str, set[str]] = {}  # class or error name → resources using it

    def reach(name: str, resource: str) -> None:
        stack = [name]
        while stack:
            current = stack.pop()
            if resource in users.setdefault(current, set()):
                continue
            users[current].add(resource)
            cls = by_name.get(current)
            if cls is not None:
                stack.extend(d for d in cls.deps if d in by_name)
            error = error_by_name.get(current)
            if error is not None and error.model in by_name:
                stack.append(error.model)

    for resource, ops in resources.items():
        for op in ops:
            words = _names(" ".join([op.result_type, *(p.annotation for p in op.params)]))
            words |= {name for _, name in op.errors}
            for word in sorted(words):
                if word in by_name or word in error_by_name:
                    reach(word, resource)

    def home(name: str) -> str:
        found = users.get(name, set())
        return next(iter(found)) if len(found) == 1 else SHARED

    modules = {name: Module(name) for name in [SHARED, *resources]}
    for cls in classes:
        module = modules[home(cls.name)]
        (module.enums if cls.kind == "enum" else module.models).append(cls)
    for error in errors:
        modules[home(error.name)].errors.append(error)
    for module in modules.values():
        module.enums.sort(key=lambda c: c.name)
        module.models = ordered(module.models)
        module.errors.sort(key=lambda e: e.name)
    return modules


def imports(module: Module, ops: list[Op], shared: Module, package_level: str) -> None:
    """Fill ``module.shared`` and ``module.imports`` from what its code names.
    ``package_level`` is the relative import of the package (``.`` or ``..``)."""
    annotations = " ".join(
        [f.annotation for c in module.models for f in c.fields]
        + [p.annotation for o in ops for p in o.params]
        + [o.result_type for o in ops]
    )
    used = _names(annotations) | {e.model for e in module.errors}
    used |= {name for o in ops for _, name in o.errors}
    if module is not shared:
        module.shared = sorted(used & set(shared.classes), key=isort_key)
    stdlib = []
    dates = [n for n in ("date", "datetime") if n in used]
    if dates:
        stdlib.append(f"from datetime import {', '.join(dates)}")
    if "Any" in used:
        stdlib.append("from typing import Any")
    third = ["from pydantic import Field"] if any(f.default != "None" for c in module.models for f in c.fields) else []
    local = []
    if module.enums or module.models or module.errors or ops:
        local.append(f"from {package_level} import _runtime as _rt")
    if module.shared:
        line = f"from {package_level}{SHARED} import {', '.join(module.shared)}"
        if len(line) > LINE_LENGTH:  # as black writes it: one name per line
            line = "\n".join([line.split(" import ")[0] + " import (", *(f"    {n}," for n in module.shared), ")"])
        local.append(line)
    module.imports = [group for group in (stdlib, third, local) if group]
