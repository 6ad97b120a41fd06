"""The spec's YAML text: deterministic (the model's insertion order, block style,
UTF-8), the same bytes from libyaml's emitter and PyYAML's own.  Its own module
because what a committed spec's text is a function of is its data, PyYAML and
this code alone: a package's manifest records a digest of the three, so a check
without a cache need not dump a spec again to know its text (generator/build.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from generator.cache import digest
from generator.spec import Spec


class _Dumper(yaml.SafeDumper):
    """Safe dumper that never emits anchors/aliases (shared objects are written out)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def analyze_scalar(self, scalar: str) -> Any:
        # PyYAML refuses block scalars for lines ending in blanks and for tabs, though a
        # literal block keeps both exactly; judge the rest of the text on its own.
        analysis = super().analyze_scalar(scalar)
        if not analysis.allow_block and "\n" in scalar:
            blanks_neutral = _TRAILING_BLANKS.sub(lambda m: "x" * len(m.group()), scalar)
            analysis.allow_block = super().analyze_scalar(blanks_neutral).allow_block
        return analysis


_TRAILING_BLANKS = re.compile(r"(?<![ \t])[ \t]+(?=\n|\Z)|\t")


def _str_representer(dumper: Any, value: str) -> yaml.ScalarNode:
    # Multi-line text (descriptions, examples) as literal blocks; PyYAML falls back to a
    # quoted style by itself where a block cannot represent the string exactly.  NEL
    # (U+0085) reads back as "\n" in every style but double-quoted, which escapes it.
    style = '"' if "\x85" in value else "|" if "\n" in value else None
    node: yaml.ScalarNode = dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)
    return node


_Dumper.add_representer(str, _str_representer)


def dump_yaml(spec: Spec, memo: dict[str, str] | None = None, keys: list[str] | None = None) -> str:
    """Deterministic YAML: insertion order of the model, block style, UTF-8 text.

    Each operation and schema is emitted on its own, exactly as it appears inside
    the whole document, and the texts are joined: the same bytes as one ``yaml.dump``
    of ``spec.to_dict()`` (tests/test_spec_model.py compares), without holding the
    whole document's YAML node graph, and an element PyYAML's emitter must write
    does not slow the rest.  ``memo`` (element key → YAML text, kept by the caller
    between runs) makes a rebuild emit only the elements that changed; on return it
    holds the entries of this spec only.  ``keys`` gets each element's key, in
    order (for ``data_digest``)."""
    return "".join(yaml_parts(spec, memo, keys))


def yaml_parts(spec: Spec, memo: dict[str, str] | None = None, keys: list[str] | None = None) -> Iterator[str]:
    """``dump_yaml`` piece by piece, so a large spec can be written out without
    its whole text in memory."""
    used: dict[str, str] = {}

    def element(section: str, entry: str, data: object) -> str:
        if keys is not None:
            keys.append(entry)
        if memo is not None and entry in memo:
            used[entry] = memo[entry]
            return memo[entry]
        text = _dump({section: data}).removeprefix(f"{section}:\n")
        if memo is not None:
            used[entry] = text
        return text

    def parts() -> Iterator[str]:
        yield _dump(spec.head_dict())
        for section, empty in (("operations", not spec.operations), ("schemas", not spec.schemas)):
            if empty:
                yield _dump({section: [] if section == "operations" else {}})
                continue
            yield f"{section}:\n"
            yield from (element(section, entry, data) for _, entry, data in _elements(spec, section))

    # A part emitted alone that ends in a keep-chomped block (``|+``) carries the
    # document end marker; only the document's last part keeps it.
    previous: str | None = None
    for part in parts():
        if previous is not None:
            yield _without_end_marker(previous)
        previous = part
    if memo is not None:
        memo.clear()
        memo.update(used)
    if previous is not None:
        yield previous


def _elements(spec: Spec, only: str = "") -> Iterator[tuple[str, str, object]]:
    """Each operation and schema (or those of section ``only``) as (section, key,
    the data its YAML is written from), one at a time; the key is a digest of that
    data (its ``repr``: it tells 1 from 1.0, True and "1", and order counts, as in
    the YAML)."""
    if only in ("", "operations"):
        for op in spec.operations:
            yield _element("operations", [op.to_dict()])
    if only in ("", "schemas"):
        for name, schema in sorted(spec.schemas.items()):
            yield _element("schemas", {name: schema.to_dict()})


def _element(section: str, data: object) -> tuple[str, str, object]:
    return section, hashlib.sha256(f"{section}\n{data!r}".encode("utf-8", "surrogatepass")).hexdigest(), data


def data_digest(spec: Spec, elements: list[str] | None = None) -> str:
    """What the spec's YAML text is a function of, as a digest: its data, PyYAML and
    this module's code (not the whole tool's, so that another change of docs2client
    does not touch every committed manifest).  ``elements``: the keys of its
    elements, when a dump just computed them (``dump_yaml``'s ``keys``)."""
    keys = elements if elements is not None else [entry for _, entry, _ in _elements(spec)]
    code = Path(__file__).read_bytes()
    return digest(code, yaml.__version__, str(yaml.__with_libyaml__), repr(spec.head_dict()), *keys)[:32]


def _without_end_marker(text: str) -> str:
    return text[: -len("...\n")] if text.endswith("\n...\n") else text


def _dump(data: object, fast: bool = True) -> str:
    """YAML text of ``data``: libyaml's emitter (several times faster) when every
    string is one both emitters write alike, PyYAML's own otherwise.  The gate is
    tested against the pure-Python result on random data (tests/test_spec_model.py)."""
    dumper = _CDumper if fast and _CDumper is not None and _plain(data) else _Dumper
    return yaml.dump(
        data,
        Dumper=dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


_CDumper: type | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _LibyamlDumper(yaml.CSafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    _LibyamlDumper.add_representer(str, _str_representer)
    _CDumper = _LibyamlDumper

# Where libyaml and PyYAML (with _Dumper's block-scalar rule) choose differently:
# tabs and blanks at line ends, characters beyond the BMP or not printable, Unicode
# line breaks and BOMs, keep-chomped blocks (two or more final newlines), empty keys.
_NOT_PLAIN = re.compile("[\t\x85\u2028\u2029\ufeff\U00010000-\U0010ffff]| \n| $|\n\n$|^\n$")


def _plain(value: object) -> bool:
    if isinstance(value, str):
        return not _NOT_PLAIN.search(value) and value.replace("\n", "").isprintable()
    if isinstance(value, dict):
        return all(isinstance(k, str) and k and _plain(k) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return True
