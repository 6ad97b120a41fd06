"""The format-neutral document model every reader produces.

Readers (RST, Markdown, pasted text) turn bytes into a ``Document``; the extractor
only ever sees this model, so a parameter table or a field list means the same thing
whichever reader built it.  Every block carries the 1-based line it starts on in its
source file, so diagnostics and spec provenance can say ``path:line``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Union


@dataclass(frozen=True)
class Span:
    """A marked-up run of inline text: ``strong``, ``emphasis``, ``code``, ``ref``
    (cross-reference; ``target`` is the label), ``link`` (``target`` is the URL)."""

    kind: str
    text: str
    target: str = ""


@dataclass
class Paragraph:
    text: str
    line: int
    spans: list[Span] = field(default_factory=list)

    def refs(self) -> list[str]:
        return [s.target for s in self.spans if s.kind == "ref" and s.target]


@dataclass
class CodeBlock:
    """A literal block, ``code-block``/``sourcecode`` directive or Markdown fence.
    ``language`` is lower-case and empty when unknown.  ``line`` is where the block
    starts (the directive or fence line); ``content_line`` is the source line of the
    first line of ``text`` (0: the same as ``line``), so a problem on line k of the
    text is reported at ``first_line + k - 1``."""

    text: str
    line: int
    language: str = ""
    content_line: int = 0

    @property
    def first_line(self) -> int:
        return self.content_line or self.line


@dataclass
class ListItem:
    children: list[Block]
    line: int


@dataclass
class BulletList:
    items: list[ListItem]
    line: int
    ordered: bool = False


@dataclass
class DefinitionItem:
    term: str
    children: list[Block]
    line: int


@dataclass
class DefinitionList:
    """Definition lists and field lists (``:name: body``)."""

    items: list[DefinitionItem]
    line: int


@dataclass(eq=False)
class Cell:
    """A table cell.  Spanning cells are resolved: a cell spanning two rows appears in
    both rows as the *same object* (compare with ``is``); ``row``/``col`` are the
    top-left grid position of the cell."""

    children: list[Block]
    line: int
    row: int = 0
    col: int = 0

    @property
    def text(self) -> str:
        return block_text(self.children)


@dataclass
class Table:
    header: list[list[Cell]]
    rows: list[list[Cell]]
    line: int


@dataclass
class Directive:
    """A directive the readers keep as a typed block, e.g. ``http:get`` with
    ``argument='/api/job/info'``.  Unknown directives become Directive too."""

    name: str
    argument: str
    line: int
    options: dict[str, str] = field(default_factory=dict)
    children: list[Block] = field(default_factory=list)


@dataclass
class Endpoint:
    """An endpoint declared by markup rather than prose: Sphinx httpdomain's
    ``.. http:get:: /jobs/(int:id)``, os-api-ref's ``.. rest_method:: GET /servers``,
    an MDX component such as ``<Route method="GET">/guilds/{guild.id}</Route>``.
    ``target`` is the path or URL as written (after the method); ``children`` is the
    content the markup nests under the declaration (httpdomain's field lists)."""

    method: str  # upper-case
    target: str
    line: int
    children: list[Block] = field(default_factory=list)


@dataclass
class Include:
    """An edge to another file, which the extractor follows (readers never open
    files).  ``kind``:

    * ``example`` — the file's text is a literal example (``literalinclude``);
      ``language`` as declared;
    * ``definitions`` — ``entries`` name definitions kept in a data file: each entry is
      (name shown, key in the file, line), as os-api-ref's ``rest_parameters`` lists
      ``- name: key`` against ``parameters.yaml``.

    ``target`` is written relative to the page that holds the block."""

    kind: str
    target: str
    line: int
    language: str = ""
    entries: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class Raw:
    """Raw markup (``.. raw:: html``, inline HTML in Markdown).  ``text`` is the
    tag-stripped text, one source line per line."""

    format: str
    text: str
    line: int


@dataclass
class Section:
    title: str
    level: int
    line: int
    children: list[Block] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    title_spans: list[Span] = field(default_factory=list)


Block = Union[
    Paragraph, CodeBlock, BulletList, DefinitionList, Table, Directive, Endpoint, Include, Raw, Section
]


@dataclass(frozen=True)
class Diagnostic:
    """A compiler-style message: ``path:line: level: message``."""

    level: str  # "error" | "warning" | "note"
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.level}: {self.message}"

    @classmethod
    def at(cls, level: str, source: str, message: str) -> Diagnostic:
        """A diagnostic at a spec object's ``source`` (``path:line``)."""
        path, line = source_place(source)
        return cls(level, path or "<spec>", line, message)


def source_place(source: str) -> tuple[str, int]:
    """``docs/a.md:12`` → (``docs/a.md``, 12); a source without a line → (it, 0)."""
    path, _, line = source.rpartition(":")
    return (path, int(line)) if path and line.isdigit() else (source, 0)


@dataclass
class Document:
    path: str
    format: str  # "rst" | "markdown" | "text"
    children: list[Block]
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def walk(self) -> Iterator[Block]:
        yield from walk(self.children)

    def labels(self) -> dict[str, Section]:
        """Cross-reference labels (``.. _name:``, heading anchors) → the first
        section that carries each."""
        found: dict[str, Section] = {}
        for section in self.sections():
            for label in section.labels:
                found.setdefault(label, section)
        return found

    def sections(self) -> list[Section]:
        """Every section, depth-first in document order."""
        return [block for block in self.walk() if isinstance(block, Section)]


def children_of(block: Block | ListItem | DefinitionItem | Cell) -> list[Block]:
    if isinstance(block, (Section, ListItem, DefinitionItem, Cell, Directive, Endpoint)):
        return block.children
    if isinstance(block, BulletList):
        return [c for item in block.items for c in item.children]
    if isinstance(block, DefinitionList):
        return [c for item in block.items for c in item.children]
    if isinstance(block, Table):
        seen: list[Block] = []
        done: set[int] = set()
        for row in block.header + block.rows:
            for cell in row:
                if id(cell) not in done:
                    done.add(id(cell))
                    seen.extend(cell.children)
        return seen
    return []


def walk(blocks: list[Block]) -> Iterator[Block]:
    """Depth-first, document order.  (An explicit stack: nested generators pass every
    block up through one frame per level.)"""
    stack = [iter(blocks)]
    while stack:
        for block in stack[-1]:
            yield block
            children = children_of(block)
            if children:
                stack.append(iter(children))
                break
        else:
            stack.pop()


def block_text(blocks: list[Block]) -> str:
    """Plain text of blocks, paragraphs separated by blank lines."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, (CodeBlock, Raw)):
            parts.append(block.text)
        elif isinstance(block, Section):
            parts.append(block.title)
            parts.append(block_text(block.children))
        elif isinstance(block, (Directive, Endpoint)):
            parts.append(block_text(block.children))
        elif isinstance(block, BulletList):
            parts.extend(block_text(item.children) for item in block.items)
        elif isinstance(block, DefinitionList):
            for item in block.items:
                parts.append(item.term)
                parts.append(block_text(item.children))
        elif isinstance(block, Table):
            parts.append(block_text(children_of(block)))
    return "\n\n".join(p for p in parts if p)
