"""The one naming path: any doc-supplied name → a safe, unique Python identifier.

Shapes: ``snake`` (functions, parameters, fields, modules), ``pascal`` (classes),
``upper`` (enum members and constants).  Text is NFKD-normalised to ASCII (the rest
is dropped), split into words (camelCase, digits, any punctuation), and given a
fallback when nothing is left or it would start with a digit.

A ``Namespace`` then makes names safe and unique within one scope: reserved words
get a ``_`` suffix, later collisions a deterministic ``_2``/``_3`` (``2``/``3`` for
classes), and every such change is recorded as a ``Rename`` naming both sources.
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)
BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))

# Attributes of pydantic.BaseModel (v2, incl. deprecated v1 API) and of the generated
# runtime's ``Model``: a field with one of these names would shadow it.
MODEL_ATTRIBUTES = frozenset(
    [
        "construct",
        "copy",
        "dict",
        "from_orm",
        "json",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
        "model_computed_fields",
        "model_config",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_extra",
        "model_fields",
        "model_fields_set",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "model_unparsed",
    ]
)

# Names used in annotations inside model classes; a field with the same name would
# shadow the type while pydantic resolves the annotation.
ANNOTATION_NAMES = frozenset(
    {"Any", "bool", "bytes", "date", "datetime", "dict", "float", "int", "list", "str"}
)

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+")


@lru_cache(maxsize=65536)
def ascii_text(text: str) -> str:
    """NFKD-normalised ASCII; characters without an ASCII form are dropped."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def words(text: str) -> list[str]:
    return list(_words(text))


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(ascii_text(text)))


@lru_cache(maxsize=65536)
def snake(text: str, fallback: str) -> str:
    name = "_".join(w.lower() for w in _words(text))
    if not name:
        return fallback
    return f"{fallback}_{name}" if name[0].isdigit() else name


@lru_cache(maxsize=65536)
def pascal(text: str, fallback: str) -> str:
    found = words(text)
    shout = not any(ch.islower() for ch in ascii_text(text))
    name = "".join(
        w.capitalize() if shout or w.islower() else w[0].upper() + w[1:] for w in found
    )
    if not name:
        return fallback
    return f"{fallback}{name}" if name[0].isdigit() else name


@lru_cache(maxsize=65536)
def upper(text: str, fallback: str) -> str:
    name = "_".join(w.upper() for w in words(text))
    if not name:
        return fallback
    return f"{fallback}_{name}" if name[0].isdigit() else name


@dataclass(frozen=True)
class Rename:
    """A name the generator had to change beyond its usual shaping."""

    scope: str  # e.g. "class", "Client method", "parameter of job_info"
    original: str  # the name in the spec
    name: str  # the Python name used
    reason: str
    source: str = ""  # spec location of the thing renamed

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}{self.scope} {self.original!r} is generated as {self.name!r}: {self.reason}"


@dataclass
class Namespace:
    """One scope of Python names (a module's classes, a method's parameters...)."""

    scope: str
    reserved: frozenset[str] = frozenset()
    separator: str = "_"  # between a name and its collision counter
    taken: dict[str, str] = field(default_factory=dict)  # name -> what claimed it
    renames: list[Rename] = field(default_factory=list)

    def reserve(self, names: Iterable[str], owner: str = "the generated code") -> None:
        for name in names:
            self.taken.setdefault(name, owner)

    def claim(
        self, original: str, shaped: str, source: str = "", what: str = ""
    ) -> str:
        """The unique, safe name for ``original`` whose shaped form is ``shaped``."""
        what = what or repr(original)
        name, reasons = shaped, []
        if shaped != original and not words(original):
            reasons.append("it has no letters or digits usable in a name")
        if name in KEYWORDS or name in self.reserved or name.startswith("__"):
            name = name.strip("_") + "_" if name.strip("_") else "x_"
            reasons.append(f"{shaped!r} is reserved in Python or the generated code")
        if name in self.taken:
            other = self.taken[name]
            base, n = name, 2
            while f"{base}{self.separator}{n}" in self.taken:
                n += 1
            name = f"{base}{self.separator}{n}"
            reasons.append(f"{base!r} is already used by {other}")
        self.taken[name] = f"{what}" + (f" ({source})" if source else "")
        if reasons:
            self.renames.append(
                Rename(self.scope, original, name, "; ".join(reasons), source)
            )
        return name


_PATH_PREFIX = re.compile(r"^(api|rest|latest|v\d+([._]\d+)*|\d+([._-]\d+)*)$", re.IGNORECASE)
_PATH_VARIABLE = re.compile(r"^\{[^{}]*\}$")


def path_segment(path: str) -> str:
    """The first static segment of ``path`` after an ``api``/version prefix ('' if none):
    what the path says its endpoint is about (``/v2/jobs/{guid}`` → ``jobs``)."""
    for segment in (s for s in path.split("/") if s):
        if _PATH_VARIABLE.match(segment):
            return ""
        if not _PATH_PREFIX.match(segment):
            return segment
    return ""
