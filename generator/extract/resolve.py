"""Cross-document references → named schemas.

cielo24 pages say "See :ref:`job-info-format-label`" and write type placeholders
such as ``"<JobStatus Enum>"``.  The resolver indexes every section of every page
given for a provider (by label and by squashed title) and builds named schemas on
demand: a section holding a JSON example becomes an object schema, a section that
lists values becomes an enum.  Unresolvable references are reported once, as notes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator.document import (
    BulletList,
    CodeBlock,
    Diagnostic,
    Directive,
    Document,
    Include,
    Paragraph,
    Raw,
    Section,
    Table,
    walk,
)
from generator.extract.enums import set_values, values_of_table
from generator.extract.included import IncludedFiles
from generator.extract.jsonish import (
    drop_examples,
    infer_schema,
    looks_like_json,
    merge_schemas,
    parse_example,
)
from generator.extract.objects import object_schema
from generator.extract.records import table_records, value_lines
from generator.pages import PageIndex, Pages
from generator.spec import Schema

_SUFFIXES = re.compile(r"(?<!\s)\s*\b(format|enumeration|enum|object|type definition)\s*$", re.I)  # (?<!\s): linear


_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def squash(text: str) -> str:
    return _NOT_ALNUM.sub("", text.lower())


def schema_name(title: str) -> str:
    base = _SUFFIXES.sub("", title.strip()) or title
    words = re.findall(r"[A-Za-z0-9]+", base)
    name = "".join(w[:1].upper() + w[1:] for w in words)
    if not name or not name[0].isalpha():
        name = "Schema" + name
    return name


def page_index(document: Document) -> PageIndex:
    """The labels and titles of ``document``'s sections, for ``Resolver``; computed
    where the page is parsed, so the resolver never builds a page to index it."""
    labels: dict[str, int] = {}
    titles: dict[str, int] = {}
    includes: list[str] = []
    number = 0
    for block in document.walk():
        if isinstance(block, Section):
            for key in (squash(block.title), squash(_SUFFIXES.sub("", block.title))):
                if key:
                    titles.setdefault(key, number)
            for label in block.labels:
                labels.setdefault(label, number)
            number += 1
        elif isinstance(block, Include) and block.kind == "page":
            includes.append(block.target)
    return PageIndex(labels, titles, tuple(dict.fromkeys(includes)))


class Resolver:
    """Builds named schemas from the sections references point to.  Sections are
    named by (page number, section number) and their pages built only when a
    reference needs them."""

    def __init__(self, pages: Pages, root: Path | None = None, include_from: list[Path] | None = None):
        self.pages = pages
        self.files = IncludedFiles(root, include_from)
        self._page_files = {path: file for path, file in zip(pages.paths, pages.files) if file is not None}
        self._numbers = {path: number for number, path in enumerate(pages.paths)}
        self._values: dict[tuple[int, int | None], list[Any] | None] = {}
        self._linked_pages: dict[str, int | None] = {}
        self.labels: dict[str, tuple[int, int]] = {}
        self.titles: dict[str, tuple[int, int]] = {}
        for page, index in enumerate(pages.indexes):
            for key, section in index.titles.items():
                self.titles.setdefault(key, (page, section))
            for label, section in index.labels.items():
                self.labels.setdefault(label, (page, section))
        self.schemas: dict[str, Schema] = {}
        self.diagnostics: list[Diagnostic] = []
        self._by_section: dict[tuple[int, int], str | None] = {}
        self._reported: set[str] = set()
        # Set by every question asked of, and every change made to, what the pages
        # share: a page whose extraction leaves it False depends on its own text alone.
        self.consulted = False

    def ref_for_label(self, label: str, path: str, line: int) -> str | None:
        """A ``:ref:`` target → name of the schema its section defines."""
        self.consulted = True
        found = self.labels.get(label)
        if found is None:
            self._note(path, line, label, f"reference '{label}' not resolved: give the page that defines it to resolve its schema")
            return None
        return self._schema_for(*found)

    def ref_for_type(self, name: str) -> str | None:
        """``JobStatus`` (from ``"<JobStatus Enum>"``) → named enum schema, if a page defines it."""
        self.consulted = True
        key = squash(name)
        found = self.titles.get(key) or self.titles.get(key + "enumeration")
        if found is None:
            return None
        return self._schema_for(*found)

    def ref_for_link(self, target: str, page: str, line: int) -> str | None:
        """A link to where an object is defined (``entities/status``,
        ``#emoji-object``, ``/developers/resources/user#user-object``) → the name of
        the schema built from that definition, once per provider."""
        self.consulted = True
        found = self._target(target, page)
        return None if found is None else self._defined_object(*found)

    def values_for_link(self, target: str, page: str, line: int) -> list[Any] | None:
        """A link to a table of values ("the [type of channel](#channel-types)") →
        the values it lists (``enums.values_of_table``)."""
        if "#" not in target:
            return None  # a whole page lists no one set of values: nothing asked of the other pages
        self.consulted = True
        found = self._target(target, page)
        if found is None or found[1] is None:
            return None
        if found not in self._values:
            section = self.pages.sections(found[0])[found[1]]
            # the section's own tables: a broad section's subsections list other things
            tables = [b for b in walk([c for c in section.children if not isinstance(c, Section)]) if isinstance(b, Table)]
            # several tables: the link names a broad section, not one value set
            self._values[found] = values_of_table(tables[0]) if len(tables) == 1 else None
        return self._values[found]

    def _target(self, target: str, page: str) -> tuple[int, int | None] | None:
        """(page, section or None for the whole page) a link points at."""
        path, _, anchor = target.strip().partition("#")
        number = self._page_of(path, page)
        if number is None:
            return None
        if not anchor:
            return number, None
        labels = self.pages.indexes[number].labels
        section = labels.get(anchor)
        if section is None:
            section = next((n for label, n in labels.items() if label.lower() == anchor.lower()), None)
        return None if section is None else (number, section)

    def _page_of(self, link: str, page: str) -> int | None:
        """The page a link path names: the one whose path ends with the most of the
        link's segments (``/developers/resources/user`` → ``resources/user.mdx``)."""
        if not link.strip():
            return self._numbers.get(page)
        if link not in self._linked_pages:  # the same links recur on every page
            self._linked_pages[link] = self._best_page(link)
        return self._linked_pages[link]

    def _best_page(self, link: str) -> int | None:
        if "://" in link:
            link = link.split("://", 1)[1].partition("/")[2]
        wanted = [s for s in re.sub(r"\.(md|mdx|markdown|rst|html?|txt|inc)$", "", link.strip("/").lower()).split("/") if s not in ("", ".", "..")]
        best: tuple[int, int] | None = None  # (segments matched, page)
        for number, shown in enumerate(self.pages.paths):
            have = re.sub(r"\.[A-Za-z]+$", "", shown.lower()).split("/")
            matched = 0
            while matched < min(len(wanted), len(have)) and wanted[-1 - matched] == have[-1 - matched]:
                matched += 1
            if matched and (best is None or matched > best[0]):
                best = (matched, number)
        return best[1] if best is not None else None

    def _defined_object(self, page: int, section: int | None) -> str | None:
        where = (page, -1 if section is None else section)
        if where in self._by_section:
            return self._by_section[where]
        self._by_section[where] = None  # cycle guard
        document = self.pages[page]
        path = self.pages.paths[page]
        if section is None:
            blocks = document.children
            title = _page_title(document) or path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            name_section: Section | None = None
        else:
            name_section = self.pages.sections(page)[section]
            blocks, title = name_section.children, name_section.title
        schema = object_schema(
            blocks, path,
            lambda target, line: self._linked_type(target, path, line),
            lambda target, line: self.values_for_link(target, path, line),
        )
        if schema is None:
            return None
        name = self._unique(schema_name(title), name_section)
        schema.description = schema.description or (_first_paragraph(name_section) if name_section else "")
        self._by_section[where] = name
        self.schemas[name] = schema
        return name

    def _linked_type(self, target: str, path: str, line: int) -> Schema | None:
        """A field typed by a link: to a table of values (an enumeration), or to
        another object's definition."""
        values = self.values_for_link(target, path, line)
        if values:
            schema = Schema()
            set_values(schema, values)
            return schema
        name = self.ref_for_link(target, path, line)
        return Schema(ref=name) if name else None

    def included_text(self, page: str, target: str, line: int) -> tuple[str, str] | None:
        """(text, shown path) of a file that ``page`` includes at ``line``."""
        self.consulted = True
        return self.files.text(self._page_files.get(page), page, target, line)

    def definitions(self, page: str, target: str, line: int) -> dict[str, Any]:
        """The definitions a data file that ``page`` names at ``line`` holds."""
        self.consulted = True
        return self.files.definitions(self._page_files.get(page), page, target, line)

    def enrich(self, name: str, extra: Schema) -> None:
        """Merge what an endpoint's own example shows into a named schema."""
        self.consulted = True
        if name in self.schemas:
            self.schemas[name] = merge_schemas(self.schemas[name], extra)

    def schema(self, name: str) -> Schema | None:
        """The named schema, to be completed in place by the page asking."""
        self.consulted = True
        return self.schemas.get(name)

    def _note(self, path: str, line: int, key: str, message: str) -> None:
        if key not in self._reported:
            self._reported.add(key)
            self.diagnostics.append(Diagnostic("note", path, line, message))

    def _schema_for(self, page: int, number: int) -> str | None:
        where = (page, number)
        if where in self._by_section:
            return self._by_section[where]
        self._by_section[where] = None  # cycle guard
        section = self.pages.sections(page)[number]
        path = self.pages.paths[page]
        name = self._unique(schema_name(section.title), section)
        schema = self._object_schema(path, section) or self._enum_schema(path, section)
        if schema is None:
            return None
        self._by_section[where] = name
        self.schemas[name] = schema
        return name

    def _unique(self, name: str, section: Section | None) -> str:
        candidate, counter = name, 2
        while candidate in self.schemas:
            candidate, counter = f"{name}{counter}", counter + 1
        return candidate

    def _object_schema(self, path: str, section: Section) -> Schema | None:
        for block in section.children:
            if isinstance(block, CodeBlock) and looks_like_json(block.text):
                value, problem = parse_example(block.text)
                if problem is not None:
                    self.diagnostics.append(
                        Diagnostic("warning", path, block.first_line + problem.line - 1, problem.message)
                    )
                    return None
                schema = infer_schema(value, self.ref_for_type)
                drop_examples(schema)
                schema.description = schema.description or _first_paragraph(section)
                schema.source = f"{path}:{block.line}"
                return schema
        return None

    def _enum_schema(self, path: str, section: Section) -> Schema | None:
        own = [b for b in section.children if not isinstance(b, Section)]
        values: list[str] = []
        for block in own:
            if isinstance(block, Table):
                _, records = table_records(block)
                values.extend(r.name for r in records)
            elif isinstance(block, (Raw, BulletList)):
                values.extend(v for v, _, _ in value_lines([block]))
        values = [v for v in dict.fromkeys(values) if v]
        if not values:
            return None
        return Schema(
            type="string",
            enum=list(values),
            description=_first_paragraph(section) or section.title,
            source=f"{path}:{section.line}",
        )


def _page_title(document: Document) -> str:
    """A page's title: its front matter's ``title``, else its first heading."""
    for block in document.children:
        if isinstance(block, Directive) and block.name == "front-matter" and block.options.get("title"):
            return block.options["title"]
        if isinstance(block, Section):
            return block.title
    return ""


def _first_paragraph(section: Section) -> str:
    for block in section.children:
        if isinstance(block, Paragraph):
            return block.text.strip()
    return ""
