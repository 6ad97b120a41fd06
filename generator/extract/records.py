"""Tables, bullet lists and definition lists → uniform ``Record``s.

A record is one documented thing (a parameter, a field, a status code, an enum
value) with role-tagged details.  The same record comes out of a grid table, a
pivoted "Name | Details" table, a Markdown pipe table, a ``**name** - text`` bullet
list or a field list; what the record *means* is decided later from its context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.document import (
    Block,
    BulletList,
    Cell,
    CodeBlock,
    DefinitionList,
    Paragraph,
    Raw,
    Table,
    block_text,
)

# column header / pivot label → role
_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("required", re.compile(r"^(required\??|optional\??|mandatory\??|req(uired)?\.?)$", re.I)),
    ("location", re.compile(r"^(in|location|located in|param(eter)? ?type|where|sent in|placement)$", re.I)),
    ("default", re.compile(r"^default( value)?s?$", re.I)),
    ("enum", re.compile(r"^(valid|allowed|possible|accepted|permitted)? ?(values?|options?)$", re.I)),
    ("example", re.compile(r"^(example|examples|example values?|sample)$", re.I)),
    ("type", re.compile(r"^(type|data ?type|format|value type)$", re.I)),
    ("description", re.compile(r"^(description|details?|meaning|notes?|comments?|explanation|summary)$", re.I)),
    ("content", re.compile(r"^(contents?|body|payload|response body)$", re.I)),
    ("name", re.compile(r"^(name|param(eter)?( name)?|field( name)?|header( name)?|key|attribute|property|argument|http code|http status( code)?|status( code)?|code|value|state)$", re.I)),
]


@dataclass
class Record:
    name: str
    line: int
    details: dict[str, str] = field(default_factory=dict)  # role → text
    blocks: dict[str, list[Block]] = field(default_factory=dict)  # role → cell blocks
    values: list[Record] = field(default_factory=list)  # nested enum values / sub-fields
    nested_kind: str = ""  # "enum" | "fields" | ""

    def get(self, role: str) -> str:
        return self.details.get(role, "")


def role_of(label: str) -> str:
    text = _MARKS.sub("", label).strip().rstrip(":").strip()
    for role, pattern in _ROLES:
        if pattern.match(text):
            return role
    return ""


_MARKS = re.compile(r"[`*_]")
_SPACES = re.compile(r"\s+")


def _cell_text(cell: Cell) -> str:
    return _SPACES.sub(" ", block_text(cell.children)).strip()


def _list_values(blocks: list[Block]) -> list[str]:
    for block in blocks:
        if isinstance(block, BulletList):
            return [re.sub(r"\s+", " ", block_text(item.children)).strip() for item in block.items]
    return []


def table_records(table: Table) -> tuple[list[str], list[Record]]:
    """(column roles, records).  Handles plain tables and the pivoted form where a
    spanning header ("Details") covers a label column and a value column."""
    header = table.header[-1] if table.header else []
    labels = [_cell_text(c) for c in header]
    if len(header) >= 3 and header[1] is header[2] and table.rows:
        return ["name", "pivot"], _pivot_records(table)
    roles = [role_of(label) for label in labels]
    if not header or "name" not in roles:
        roles = ["name"] + [r or "description" for r in roles[1:]] if header else []
        if not header and table.rows:
            roles = ["name"] + ["description"] * (len(table.rows[0]) - 1)
    records: list[Record] = []
    for row in table.rows:
        record = _row_record(row, roles, labels)
        if record is not None:
            records.append(record)
    return roles, records


def _row_record(row: list[Cell], roles: list[str], labels: list[str]) -> Record | None:
    name_index = roles.index("name") if "name" in roles else 0
    if name_index >= len(row):
        return None
    name = _cell_text(row[name_index])
    if not name:
        return None
    record = Record(name=name, line=row[name_index].line)
    for index, cell in enumerate(row):
        if index == name_index or index >= len(roles):
            continue
        role = roles[index] or (labels[index].lower() if index < len(labels) else f"column{index}")
        text = _cell_text(cell)
        if role in record.details:
            record.details[role] += " " + text
            record.blocks[role] += cell.children
        else:
            record.details[role] = text
            record.blocks[role] = list(cell.children)
        if role == "enum":
            for value in _list_values(cell.children):
                record.values.append(Record(name=value, line=cell.line))
            record.nested_kind = "enum" if record.values else ""
    return record


def _pivot_records(table: Table) -> list[Record]:
    records: list[Record] = []
    current: Record | None = None
    current_row = -1
    for row in table.rows:
        if len(row) < 3:
            continue
        name_cell = row[0]
        if current is None or name_cell.row != current_row:
            current = Record(name=_cell_text(name_cell), line=name_cell.line)
            current_row = name_cell.row
            records.append(current)
        label = _cell_text(row[1])
        role = role_of(label) or label.strip("`* ").lower()
        current.details[role] = _cell_text(row[2])
        current.blocks[role] = list(row[2].children)
    return [r for r in records if r.name]


# One whitespace run per gap: "\s*(…)?\s*" (or "\s*\s+") splits a run of blanks in every
# possible way before failing, which is cubic on "name" + 3000 blanks + "x".  (An
# alternative "\s+-+\s+" separator was never reached: the first one takes any dash.)
_TERM = re.compile(r"^\s*([`*\"']*)([A-Za-z_$@][\w.\[\]$@-]*|\d{3})\1\s*(?:\(([^)]*)\)\s*)?(?:[-–—:=]|\.\.\.)\s*(.*)$", re.S)


def list_records(blocks: BulletList) -> list[Record]:
    """``**name** - description`` / ``name: description`` bullet items → records;
    a nested list under an item becomes its values (enum) or sub-fields."""
    records: list[Record] = []
    for item in blocks.items:
        first = next((b for b in item.children if isinstance(b, Paragraph)), None)
        if first is None:
            continue
        term = _leading_term(first)
        if term is None:
            continue
        name, qualifier, description = term
        record = Record(name=name, line=first.line, details={"description": description})
        if qualifier:
            record.details["qualifier"] = qualifier
        record.blocks["description"] = [first]
        for child in item.children:
            if isinstance(child, BulletList):
                record.values.extend(list_records(child) or [
                    Record(name=block_text(i.children).strip(), line=i.line) for i in child.items
                ])
        if record.values:
            says_values = re.search(r"(possible|valid|allowed|one of|following) (values|states|options)|values are|can be", description, re.I)
            record.nested_kind = "enum" if says_values or all(not v.values for v in record.values) and not any(
                _looks_like_field(v) for v in record.values
            ) else "fields"
        records.append(record)
    return records


def _looks_like_field(record: Record) -> bool:
    return bool(re.search(r"\b(the|a|an)\b", record.get("description"), re.I)) and "_" in record.name


def _leading_term(paragraph: Paragraph) -> tuple[str, str, str] | None:
    text = paragraph.text.strip()
    lead = paragraph.spans[0] if paragraph.spans else None
    if lead is not None and lead.kind in ("strong", "code") and text.startswith(lead.text):
        rest = text[len(lead.text):].strip()
        qualifier = ""
        paren = re.match(r"^\(([^)]*)\)\s*(.*)$", rest, re.S)
        if paren:
            qualifier, rest = paren.group(1), paren.group(2)
        rest = re.sub(r"^[-–—:=]+\s*", "", rest)
        return lead.text.strip(), qualifier, rest
    match = _TERM.match(text)
    if match:
        return match.group(2), match.group(3) or "", match.group(4).strip()
    return None


def definition_records(blocks: DefinitionList) -> list[Record]:
    records = []
    for item in blocks.items:
        text = re.sub(r"\s+", " ", block_text(item.children)).strip()
        record = Record(name=item.term.strip(), line=item.line, details={"description": text})
        record.blocks["description"] = list(item.children)
        records.append(record)
    return records


# (?<!\s): a separator starts where a blank run starts, so a long run of blanks is
# scanned once, not once from each of its positions
_VALUE_DASH = re.compile(r"(?<!\s)\s+[—–]\s*|(?<!\s)\s+-\s+")


def value_lines(blocks: list[Block]) -> list[tuple[str, str, int]]:
    """Enumeration values written one per line (raw HTML lists, line blocks,
    paragraphs): ``VALUE — description`` → (value, description, line)."""
    found: list[tuple[str, str, int]] = []
    for block in blocks:
        if isinstance(block, (Raw, Paragraph, CodeBlock)):
            for offset, line in enumerate(block.text.split("\n")):
                stripped = line.strip()
                if not stripped or stripped in ("-", "·"):
                    continue
                parts = _VALUE_DASH.split(stripped, maxsplit=1)
                value = parts[0].strip()
                description = parts[1].strip() if len(parts) > 1 else ""
                if len(value) <= 48 and len(value.split()) <= 4:
                    start = block.first_line if isinstance(block, CodeBlock) else block.line
                    found.append((value, description, start + offset))
        elif isinstance(block, BulletList):
            for record in list_records(block) or [
                Record(name=block_text(i.children).strip(), line=i.line) for i in block.items
            ]:
                found.append((record.name, record.get("description"), record.line))
    return found


_FOOTNOTE_MARKS = re.compile(r"(?:\s*(?:\*+|\[\d+\]|\\\[\d+\\\]|†+|‡+))+\s*$")


def name_markers(records: list[Record]) -> None:
    """Names that carry markers: ``limit?`` is optional, and in a table that marks
    its optional rows so, an unmarked row is required; trailing ``*`` are footnote
    marks (``bitrate*``).  Names lose the marks; an explicit Required column wins."""
    for record in records:  # footnote marks: "flags *", "bitrate**", "message_snapshots? [5]"
        bare = _FOOTNOTE_MARKS.sub("", record.name.strip())
        if bare and not re.search(r"\s", bare.rstrip("?")):
            record.name = bare
    if not any(r.name.strip().endswith("?") for r in records):
        return
    for record in records:
        name = record.name.strip()
        optional = name.endswith("?")
        name = name.rstrip("?").strip()
        if not name or re.search(r"\s", name):
            continue
        record.name = name
        if not record.get("required"):
            record.details["required"] = "no" if optional else "yes"
