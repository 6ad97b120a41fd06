"""Enumerations written in words, whatever the markup.

Docs list the values a parameter or field takes in sentences and lists rather than
in a schema:

* "One of `followed`, `list`, or `none`", "Specify `warn`, `hide` or `blur`",
  "Possible values are `alpha`, `beta`", "either `running` or `finished`",
  "`asc` or `desc`";
* a lead-in and a list: "The sort keys are limited to:" then ``- ``created_at``…``;
* a link to a table of values: "the [type of channel](#channel-types)" where that
  table lists ``GUILD_TEXT | 0 | …`` (``values_of_table``).

Values are the code-marked words (backticks, or the quotes of a definition file's
RST), in their documented spelling; all-integer values become integers.  What reads
as an example ("e.g. `v9`", "such as `a` or `b`"), a single value, or a run that
goes on into more words ("one of the `redirect_uris` declared") is no enumeration.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from generator.document import Block, BulletList, Paragraph, Table, block_text
from generator.spec import Schema

_CODE = r"(?:``([^`\n]+)``|`([^`\n]+)`|[\"“]([^\"”\s]{1,40})[\"”])"
# a run of two or more code values joined by commas / "or" / "and" / "/"
# (a value may carry a remark: "``asc`` (ascending) or ``desc`` (descending)")
_VALUE = rf"{_CODE}(?:\s*\([^()\n]{{0,40}}\))?"
_RUN = re.compile(rf"{_VALUE}(?:\s*(?:,\s*(?:or\s+|and\s+)?|\s+or\s+|\s+and\s+|\s*/\s*)\s*{_VALUE})+")
_TRIGGER = re.compile(
    r"\b(one of|either|specify(?: at least one of| whether to [\w ]{0,40}?)?|possible values?(?: are| include)?|"
    r"valid (?:values|options)(?: are)?|allowed values?(?: are)?|accepted values?(?: are)?|supported values?(?: are)?|"
    r"values? (?:are|is|can be)|can be(?: one of)?|must be(?: one of)?|limited to|options? (?:are|is)|set to|pass|use)\b[^.;]*$",
    re.I,
)
_EXAMPLE = re.compile(r"\b(e\.g\.|eg\.|for example|for instance|such as|like|including|example:?)\s*$", re.I)
_AFTER_OK = re.compile(r"^\s*(?:$|[.;:)!]|,\s|\s*\(|\s+(?:are|is|can|for|as|to|by|if|when|which|default|will|depending|\()\b)", re.I)
_LEAD_IN = re.compile(r"\b(one of|following|limited to|possible|valid|allowed|accepted|supported|values?|options?|enum(?:eration)?|mapped)\b[^:]*:+\s*$", re.I)


# "can be set to: 60, 1440, 4320, 10080": numbers after a trigger need no code marks
_NUMBERS = re.compile(r"\b(?:set to|one of|either|values? (?:are|is)|can be|must be)\s*:?\s*(-?\d{1,9}(?:\s*(?:,\s*(?:or\s+|and\s+)?|\s+or\s+|\s+and\s+)-?\d{1,9})+)\b(?!\s*(?:%|-|\.\d|[a-z]))", re.I)


def prose_enum(text: str) -> list[Any] | None:
    """The values a description enumerates, or None.  ``text`` keeps its code marks."""
    found = _listed_after_lead_in(text)
    if found:
        return found
    numbers = _NUMBERS.search(text)
    if numbers and not _EXAMPLE.search(text[: numbers.start()][-40:]):
        values = re.findall(r"-?\d+", numbers.group(1))
        if len(set(values)) >= 2:
            return _typed(values)
    for match in _RUN.finditer(text):
        before = text[: match.start()]
        sentence = re.split(r"(?<=[.;!?])\s+|\n\s*\n", before)[-1]
        if _EXAMPLE.search(before[-40:]):
            continue
        if not _AFTER_OK.match(text[match.end():]):
            continue
        joined = match.group(0)
        if not _TRIGGER.search(sentence) and " or " not in joined:
            continue
        values = [a or b or c for a, b, c in re.findall(_CODE, joined)]
        return _typed(values) if len(set(values)) >= 2 else None
    return None


def _listed_after_lead_in(text: str) -> list[Any] | None:
    """"… limited to:" (a lead-in that may wrap over lines) and then one code value
    per list line ("- ``locked`` (New in version 2.73)")."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if not line.rstrip().endswith(":"):
            continue
        start = index
        while start > 0 and lines[start - 1].strip() and not re.match(r"^\s*[-*+]\s", lines[start - 1]):
            start -= 1
        lead_in = " ".join(part.strip() for part in lines[start : index + 1])
        if not _LEAD_IN.search(lead_in):
            continue
        values: list[str] = []
        for item in lines[index + 1 :]:
            stripped = item.strip()
            if not stripped:
                if values:
                    break
                continue
            match = re.match(rf"^[-*+]\s+{_CODE}(?:\s.*)?$", stripped)
            mapped = re.match(r"^(-?\d{1,9})\s*[:=]\s+\S", stripped)  # "0: NOSTATE" under "mapped as::"
            if match is not None:
                values.append(match.group(1) or match.group(2) or match.group(3))
            elif mapped is not None:
                values.append(mapped.group(1))
            else:
                break
        if len(values) >= 2:
            return _typed(values)
    return None


def _typed(values: list[str]) -> list[Any]:
    values = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    if values and all(re.fullmatch(r"-?\d{1,18}", v) for v in values):
        return [int(v) for v in values]
    return values


def marked_text(blocks: list[Block]) -> str:
    """The text of paragraphs (and list items) with their code spans in backticks,
    so that ``prose_enum`` sees which words are values."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(_marked(block))
        elif isinstance(block, BulletList):
            for item in block.items:
                inner = marked_text(item.children)
                if inner:
                    parts.append("- " + inner.replace("\n", " "))
    return "\n".join(parts)


def _marked(paragraph: Paragraph) -> str:
    text = paragraph.text
    out: list[str] = []
    position = 0
    for span in paragraph.spans:
        if span.kind != "code" or not span.text:
            continue
        at = text.find(span.text, position)
        if at < 0:
            continue
        out.append(text[position:at])
        out.append(f"`{span.text}`")
        position = at + len(span.text)
    out.append(text[position:])
    return "".join(out)


_VALUE_HEADER = re.compile(r"^(value|id|code|level|key|type|name|mode|status|state|feature|flag|scope|event|style|tier|format|kind|permission|option|integer|int|number)s?$", re.I)


def values_of_table(table: Table) -> list[Any] | None:
    """The values a table of values lists: an all-integer column (``ID``, ``Value``,
    ``Level``) when it has one, else its first column when that column is headed as
    values are (``Type``, ``Feature``, ``Mode``...; a ``Field`` or ``Extension``
    column is not).  A table of bit flags (``1 << 3``) is no enumeration."""
    header = [block_text(cell.children).strip() for cell in (table.header[-1] if table.header else [])]
    rows = [[block_text(cell.children).strip().strip("`").strip() for cell in row] for row in table.rows]
    rows = [row for row in rows if row and row[0]]
    if len(rows) < 2 or not header:
        return None
    columns = [[row[i] if i < len(row) else "" for row in rows] for i in range(len(header))]
    if any("<<" in value for column in columns for value in column):
        return None
    for index, column in enumerate(columns):
        if _VALUE_HEADER.match(header[index]) and all(re.fullmatch(r"-?\d{1,18}", v) for v in column):
            return [int(v) for v in column]
    if _VALUE_HEADER.match(header[0]) and all(re.fullmatch(r"[\w.:-]+", v) for v in columns[0]):
        return _typed(columns[0])
    return None


# "Default: 20", "Defaults to 20 statuses", "default is `asc`", "(default `created`)"
_DEFAULT = re.compile(
    r"\bdefaults?(?:\s+value)?(?:\s+(?:is|to|of))?\s*[:=]?\s*(?:``([^`\n]+)``|`([^`\n]+)`|\"([^\"\n]{1,40})\"|(-?\d+(?:\.\d+)?|true|false)\b(?![-/.]\d))",
    re.I,
)
_MARKED_DEFAULT = re.compile(r"(?:``([^`\n]+)``|`([^`\n]+)`)\s*\(default\)", re.I)


def prose_default(text: str) -> str:
    """The default a description states, as written ("" when none): a number, a
    boolean or a code-marked value right after "default(s) (is|to|:)", or a value
    marked "(default)" in a list of values."""
    match = _DEFAULT.search(text)
    if match:
        return next(g for g in match.groups() if g is not None)
    marked = _MARKED_DEFAULT.search(text)
    return (marked.group(1) or marked.group(2)) if marked else ""


Linked = Callable[[str, int], "list[Any] | None"]  # a link's target and line → the values it lists


def described_values(name: str, blocks: list[Block], text: str, linked: Linked | None = None) -> list[Any] | None:
    """The values a parameter's or field's description gives: enumerated in its
    words (``blocks`` when the description was parsed, else ``text``), or in a table
    of values it links to by the field's own name ("the [type of channel](#types)")."""
    values = prose_enum(marked_text(blocks) if blocks else text)
    if values is not None or linked is None:
        return values
    for block in blocks:
        if isinstance(block, Paragraph):
            for span in block.spans:
                if span.kind in ("link", "ref") and span.target and names_field(span.text, name):
                    found = linked(span.target, block.line)
                    if found:
                        return found
    return None


def names_field(link_text: str, field: str) -> bool:
    """Whether a link's words name the field (``type of channel`` for ``type``,
    ``verification level`` for ``verification_level``), so what it links to is the
    field's value set rather than something the description mentions."""
    words = {w for w in re.split(r"[^a-z0-9]+", field.lower()) if len(w) >= 3}
    text = link_text.lower()
    return bool(words) and any(re.search(rf"\b{re.escape(w)}", text) for w in words)


def enumerated_part(schema: Schema) -> Schema:
    """Where an enumeration goes: the schema, or its items when it is an array."""
    return schema.items if schema.type == "array" and schema.items is not None else schema


def set_values(schema: Schema, values: list[Any]) -> None:
    """``values`` as the schema's enumeration (its items' when it is an array),
    typed by the values when the schema has no type."""
    target = enumerated_part(schema)
    target.enum = values
    target.type = target.type or ("integer" if all(isinstance(v, int) for v in values) else "string")
