"""Markdown reader: markdown-it-py tokens → the neutral document model.

``read_markdown(text, path)`` never raises: every problem becomes a ``Diagnostic``.
markdown-it (CommonMark + GFM tables + strikethrough) does all the parsing; this module
only maps its token stream onto ``generator.document`` blocks:

* headings nest into ``Section`` by heading level; ``Section.level`` is the nesting depth
  in this document (a page whose first heading is ``##`` still has level-1 sections), and
  ``labels`` holds the GitHub anchor slug of the title (``-1``, ``-2`` for repeats);
* paragraphs keep plain text (soft line breaks as ``\\n``) and ``strong``/``emphasis``/
  ``code``/``link`` spans;
* fenced and indented code → ``CodeBlock``; ``line`` is the block's first source line,
  i.e. the opening fence line for fences; ``language`` is the info string's first word;
* GFM tables → ``Table``; row *r* (header rows first) and column *c* are ``Cell.row``/
  ``Cell.col``; empty cells have no children; short rows are padded, long rows warned;
* HTML blocks, and paragraphs made only of inline HTML → ``Raw("html", text)`` with tags
  stripped and line breaks kept; inline tags inside prose are dropped from the text;
* definition lists (``term`` / ``: definition``, markdown-it's deflist plugin) →
  ``DefinitionList``;
* blockquote contents are read in place (the model has no quote block);
* an element with an HTTP ``method`` attribute (MDX ``<Route method="GET">``) →
  ``Endpoint``; MDX ``import``/``export`` lines are dropped (``components.py``);
* API Blueprint action headings (``### Retrieve a Note [GET]`` under ``## Note
  [/notes/{id}]``) → an ``Endpoint`` first in their section (``blueprint.py``);
* Hugo shortcodes are replaced by what the rendered page shows (``hugo.py``);
* YAML front matter (``---`` … ``---`` on line 1) → ``Directive("front-matter")`` whose
  options are its ``key: value`` lines.

Two source repairs run before the final parse, both keeping line numbers unchanged and
both reported as warnings: a table separator row whose cell count differs from its header
row is rebuilt to match (otherwise the whole table is read as a paragraph), and pipe rows
indented as code right after a table are dedented back into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin

from generator.document import (
    Block,
    BulletList,
    Cell,
    CodeBlock,
    DefinitionItem,
    DefinitionList,
    Diagnostic,
    Directive,
    Document,
    Endpoint,
    ListItem,
    Paragraph,
    Raw,
    Section,
    Span,
    Table,
)
from generator.readers.blueprint import blueprint_endpoints, has_blueprint_headings
from generator.readers.components import endpoint_tag, is_es_statements
from generator.readers.hugo import expand_shortcodes, has_shortcodes

_INLINE_SPANS = {"strong_open": "strong", "em_open": "emphasis", "link_open": "link"}
_SEPARATOR_CELL = re.compile(r":?-+:?")
_QUOTE_PREFIX = re.compile(r"[ \t>]*")
_CELL_BORDER = re.compile(r"(?<!\\)\|")
MAX_REPAIR_COLUMNS = 64  # wider "tables" are not worth rebuilding a separator for
MAX_ROW_WARNINGS = 5  # per table; the rest are counted in one summary warning


# ---------------------------------------------------------------- shared helpers


def normalise_source(text: object, path: str, diagnostics: list[Diagnostic]) -> list[str]:
    """Source lines with ``\\r\\n``/``\\r`` → ``\\n`` and NUL → U+FFFD (as markdown-it
    does), so list index + 1 is the line number every reader reports."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", "replace")
    elif not isinstance(text, str):
        text = "" if text is None else str(text)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if "\0" in text:
        hits = [n for n, line in enumerate(lines, 1) if "\0" in line]
        diagnostics.append(
            Diagnostic("warning", path, hits[0], f"NUL bytes on {len(hits)} line(s) replaced with U+FFFD")
        )
        lines = [line.replace("\0", "\ufffd") for line in lines]
    if not any(line.strip() for line in lines):
        diagnostics.append(Diagnostic("warning", path, 1, "document is empty"))
    return lines


def anchor_slug(title: str, seen: dict[str, int]) -> str:
    """GitHub's heading anchor: lower-case, punctuation dropped, spaces → ``-``;
    repeats get ``-1``, ``-2`` … (``seen`` is per document)."""
    base = re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")
    count = seen.get(base, 0)
    seen[base] = count + 1
    return base if count == 0 else f"{base}-{count}"


def split_row(line: str) -> list[str]:
    """Cells of a pipe-table row split as markdown-it does: a pipe after a backslash is
    a literal pipe, and one leading and one trailing pipe are optional."""
    body = line.strip()
    cells = [cell.replace("\\|", "|").strip() for cell in _CELL_BORDER.split(body)]
    if body.startswith("|"):
        cells.pop(0)
    if len(cells) > 1 and body.endswith("|") and not body.endswith("\\|"):
        cells.pop()
    return cells


def is_separator_row(line: str) -> bool:
    """``|---|:--:|`` style: only ``|-:`` and blanks, every cell ``:?-+:?``."""
    body = line.strip()
    if not body or "-" not in body or body.strip("|-: \t"):
        return False
    return all(_SEPARATOR_CELL.fullmatch(cell) for cell in split_row(body))


class _TagStripper(HTMLParser):
    """Text of an HTML fragment; tags (and script/style bodies) vanish, but every
    newline inside them is kept so the result has one line per source line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def _newlines(self, markup: str | None) -> None:
        self.parts.append("\n" * (markup or "").count("\n"))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._newlines(self.get_starttag_text())
        self.hidden += tag in ("script", "style")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._newlines(self.get_starttag_text())

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if self.hidden:
            self._newlines(data)
        else:
            self.parts.append(data)

    def handle_comment(self, data: str) -> None:
        self._newlines(data)

    def handle_decl(self, decl: str) -> None:
        self._newlines(decl)

    def handle_pi(self, data: str) -> None:
        self._newlines(data)

    def unknown_decl(self, data: str) -> None:
        self._newlines(data)


def strip_tags(html: str) -> str:
    parser = _TagStripper()
    try:
        parser.feed(html)
        parser.close()
        text = "".join(parser.parts)
    except Exception:  # noqa: BLE001 — html.parser is lenient; this is a last resort
        text = re.sub(r"<[^<>]*>", "", html)
    return "\n".join(line.rstrip() for line in text.split("\n")).rstrip("\n")


# ---------------------------------------------------------------- entry point


def read_markdown(text: str, path: str) -> Document:
    diagnostics: list[Diagnostic] = []
    try:
        lines = normalise_source(text, path, diagnostics)
        if any(has_shortcodes(line) for line in lines):
            lines = [expand_shortcodes(line) for line in lines]
        front = _front_matter(lines)
        anchors = _unwrap_headings(lines)
        _unwrap_components(lines)
        tokens, lines = _parse(lines, path, diagnostics)
        blocks = _TokenReader(tokens, lines, path, diagnostics, anchors).read()
        if has_blueprint_headings(lines):
            blueprint_endpoints(blocks)
        if front is not None:
            blocks.insert(0, front)
    except Exception as exc:  # noqa: BLE001 — a reader bug must not stop the pipeline
        diagnostics.append(
            Diagnostic("error", path, 0, f"markdown reader failed ({type(exc).__name__}: {exc})")
        )
        blocks = []
    return Document(path, "markdown", blocks, diagnostics)


_HEADING_ID = re.compile(r"\s*\{#([A-Za-z][\w:.-]*)(?:\s[^{}]*)?\}\s*$")
_TAG_ONLY = re.compile(r"^\s{0,3}</?[A-Za-z][\w-]*(\s[^<>]*)?/?>\s*$")
_ATX_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s|$)")


def _unwrap_headings(lines: list[str]) -> dict[int, list[str]]:
    """``<a id="x">`` / ``## Title`` / ``</a>``: CommonMark reads the heading as part of
    an HTML block, though authors (and readers of the rendered page) mean a heading.
    Blank the tag-only lines right around a heading; line numbers stay the same.  The
    ``id``/``name`` a blanked tag carried (``<ManualAnchor id="emoji-object" />``)
    is an anchor of the heading: returned by the heading's 1-based line."""
    anchors: dict[int, list[str]] = {}
    for index, line in enumerate(lines):
        if not _ATX_HEADING.match(line):
            continue
        for neighbour in (index - 1, index + 1):
            if 0 <= neighbour < len(lines) and _TAG_ONLY.match(lines[neighbour]):
                for found in _ANCHOR_ATTRIBUTE.findall(lines[neighbour]):
                    anchors.setdefault(index + 1, []).append(found)
                lines[neighbour] = ""
    return anchors


_COMPONENT_LINE = re.compile(r"^\s{0,3}</?[A-Z][\w.]*(\s[^<>]*)?/?>\s*$")


def _unwrap_components(lines: list[str]) -> None:
    """MDX containers (``<Info>`` … ``</Info>``, ``<Note>``, ``<Accordion title=…>``)
    hold Markdown, which CommonMark would swallow into one HTML block: blank each
    line that is only a component tag, so their content is read as what it is.  A
    component that declares an endpoint (``<Endpoint method="post" … />``) stays."""
    for index, line in enumerate(lines):
        if "<" in line and _COMPONENT_LINE.match(line) and endpoint_tag(line.strip()) is None:
            lines[index] = ""


_ANCHOR_ATTRIBUTE = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"'\s]+)["']""")


@lru_cache(maxsize=1)
def _markdown_it() -> MarkdownIt:
    # definition lists (``term`` line, ``: definition`` line) are how Hugo and
    # Pandoc-style docs list parameters; markdown-it's own plugin reads them
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(deflist_plugin)


def _front_matter(lines: list[str]) -> Directive | None:
    """``---`` on line 1 closed by ``---``/``...`` within 200 lines; its lines are
    blanked in ``lines`` so markdown-it does not read them as a heading."""
    if not lines or lines[0].rstrip() != "---":
        return None
    for end in range(1, min(len(lines), 200)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        return None
    options: dict[str, str] = {}
    for line in lines[1:end]:
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key[0].isspace():
            options[key.strip()] = value.strip().strip("'\"")
    lines[: end + 1] = [""] * (end + 1)
    return Directive("front-matter", "", 1, options)


def _parse(lines: list[str], path: str, diagnostics: list[Diagnostic]) -> tuple[list[Token], list[str]]:
    """Parse, repair table shapes markdown-it rejects, re-parse (at most three rounds)."""
    tokens = _markdown_it().parse("\n".join(lines))
    for _ in range(3):
        repaired = _repair_tables(tokens, lines, path, diagnostics)
        if repaired is None:
            break
        lines = repaired
        tokens = _markdown_it().parse("\n".join(lines))
    return tokens, lines


def _repair_tables(tokens: list[Token], lines: list[str], path: str, diagnostics: list[Diagnostic]) -> list[str] | None:
    fixed = list(lines)
    changed = False
    table_end = -1
    for index, token in enumerate(tokens):
        if token.type == "table_open" and token.map:
            table_end = token.map[1]
        elif token.type == "inline" and token.map and index and tokens[index - 1].type == "paragraph_open":
            changed |= _repair_separators(fixed, token.map, path, diagnostics)
        elif token.type == "code_block" and token.map and token.map[0] == table_end:
            changed |= _repair_indented_rows(fixed, token.map, path, diagnostics)
    return fixed if changed else None


def _repair_separators(lines: list[str], span: list[int], path: str, diagnostics: list[Diagnostic]) -> bool:
    changed = False
    for row in range(span[0], min(span[1], len(lines)) - 1):
        header, separator = lines[row], lines[row + 1]
        prefix = _QUOTE_PREFIX.match(separator).group(0)  # type: ignore[union-attr]
        if "|" not in header or not is_separator_row(separator[len(prefix):]):
            continue
        wanted = len(split_row(_QUOTE_PREFIX.sub("", header, count=1)))
        found = len(split_row(separator[len(prefix):]))
        if wanted != found and wanted <= MAX_REPAIR_COLUMNS:
            lines[row + 1] = prefix + "|" + "---|" * wanted
            diagnostics.append(Diagnostic(
                "warning", path, row + 2,
                f"table separator has {found} cells but its header row has {wanted}; read as a {wanted}-column table",
            ))
            changed = True
    return changed


def _repair_indented_rows(lines: list[str], span: list[int], path: str, diagnostics: list[Diagnostic]) -> bool:
    rows = [n for n in range(span[0], min(span[1], len(lines))) if lines[n].strip()]
    if not rows or not all("|" in lines[n] and not lines[n].lstrip().startswith(">") for n in rows):
        return False
    above = lines[span[0] - 1] if span[0] else ""  # the table's last row
    indent = above[: len(above) - len(above.lstrip())]
    for n in rows:
        lines[n] = indent + lines[n].strip()
        diagnostics.append(Diagnostic("warning", path, n + 1, "table row is indented like code; read as a table row"))
    return True


# ---------------------------------------------------------------- tokens → blocks


class _TokenReader:
    """Walks markdown-it's flat token stream once, building nested blocks."""

    def __init__(self, tokens: list[Token], lines: list[str], path: str, diagnostics: list[Diagnostic], anchors: dict[int, list[str]] | None = None):
        self.tokens, self.lines, self.path = tokens, lines, path
        self.anchors = anchors or {}
        self.diagnostics = diagnostics
        self.pos = 0
        self.slugs: dict[str, int] = {}
        self._check_nesting()

    def read(self) -> list[Block]:
        return self._blocks(None)

    def warn(self, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic("warning", self.path, line, message))

    def _check_nesting(self) -> None:
        limit = _markdown_it().options["maxNesting"]
        line = 0
        for token in self.tokens:
            line = token.map[0] + 1 if token.map else line
            if token.level >= limit - 1:
                self.warn(line, f"markup nested more than {limit} levels deep; deeper content is not read")
                return

    def _blocks(self, close: str | None) -> list[Block]:
        out: list[Block | _Heading] = []
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            if token.type == close:
                self.pos += 1
                break
            handler = getattr(self, "_on_" + token.type, None)
            if handler is not None:
                block = handler(token)
                if isinstance(block, list):
                    out.extend(block)
                elif block is not None:
                    out.append(block)
            elif token.nesting == 1 and token.type.endswith("_open"):  # unknown container
                self.pos += 1
                out.extend(self._blocks(token.type[: -len("_open")] + "_close"))
            else:
                self.pos += 1
        return _nest_sections(out)

    def _inline_after(self, opening: Token) -> Token | None:
        """The inline token of a heading/paragraph/cell; moves past the closing token."""
        self.pos += 1
        inline = None
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            self.pos += 1
            if token.type == "inline" and inline is None:
                inline = token
            if token.nesting == -1 and token.tag == opening.tag:
                break
        return inline

    def _on_heading_open(self, token: Token) -> _Heading:
        title, spans, _ = _inline_text(self._inline_after(token))
        level = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
        labels: list[str] = []
        custom = _HEADING_ID.search(title)
        if custom:  # "## Title {#anchor}" (Pandoc, Hugo, kramdown): the anchor is the id
            title = title[: custom.start()].rstrip()
            labels.append(custom.group(1))
        slug = anchor_slug(title, self.slugs)
        labels += [slug] if slug and slug not in labels else []
        labels += [a for a in self.anchors.get(_line(token), []) if a not in labels]
        return _Heading(Section(title, 1, _line(token), [], labels, spans), level)

    def _on_paragraph_open(self, token: Token) -> Block | None:
        inline = self._inline_after(token)
        endpoint = _endpoint_component(inline, _line(token))
        if endpoint is not None:
            return endpoint
        text, spans, html_only = _inline_text(inline)
        if html_only:
            return Raw("html", text, _line(token))
        if is_es_statements(text):
            return None  # an MDX page's import/export preamble
        return Paragraph(text, _line(token), spans) if text or spans else None

    def _on_fence(self, token: Token) -> CodeBlock:
        self.pos += 1
        words = token.info.split()
        language = words[0].strip("{}.").lower() if words else ""
        if not _fence_closed(token, self.lines):
            self.warn(_line(token), f"code fence {token.markup} is never closed; it runs to the end of its container")
        return CodeBlock(token.content.removesuffix("\n"), _line(token), language, content_line=_line(token) + 1)

    def _on_code_block(self, token: Token) -> CodeBlock:
        self.pos += 1
        return CodeBlock(token.content.removesuffix("\n"), _line(token), "", content_line=_line(token))

    def _on_html_block(self, token: Token) -> Raw | Endpoint:
        self.pos += 1
        first = token.content.strip().split("\n", 1)[0]
        found = endpoint_tag(first)
        if found is not None:
            _, method, target, _ = found
            target = target or strip_tags(token.content).strip().split("\n", 1)[0].strip()
            if target:
                return Endpoint(method, target, _line(token))
        return Raw("html", strip_tags(token.content), _line(token))

    def _list(self, token: Token, ordered: bool) -> BulletList:
        close = token.type.replace("_open", "_close")
        items: list[ListItem] = []
        self.pos += 1
        while self.pos < len(self.tokens) and self.tokens[self.pos].type != close:
            item = self.tokens[self.pos]
            self.pos += 1
            if item.type == "list_item_open":
                items.append(ListItem(self._blocks("list_item_close"), _line(item)))
        self.pos += 1
        return BulletList(items, _line(token), ordered)

    def _on_bullet_list_open(self, token: Token) -> BulletList:
        return self._list(token, ordered=False)

    def _on_ordered_list_open(self, token: Token) -> BulletList:
        return self._list(token, ordered=True)

    def _on_dl_open(self, token: Token) -> DefinitionList:
        """``term`` / ``: definition`` pairs; a term with several definitions keeps
        them all, in order."""
        items: list[DefinitionItem] = []
        self.pos += 1
        while self.pos < len(self.tokens) and self.tokens[self.pos].type != "dl_close":
            current = self.tokens[self.pos]
            if current.type == "dt_open":
                term, _, _ = _inline_text(self._inline_after(current))
                items.append(DefinitionItem(term.strip(), [], _line(current)))
            elif current.type == "dd_open":
                self.pos += 1
                children = self._blocks("dd_close")
                if items:
                    items[-1].children.extend(children)
                continue
            else:
                self.pos += 1
        self.pos += 1
        return DefinitionList(items, _line(token))

    def _on_blockquote_open(self, token: Token) -> list[Block]:
        self.pos += 1
        return self._blocks("blockquote_close")

    def _on_table_open(self, token: Token) -> Table:
        header: list[list[Cell]] = []
        rows: list[list[Cell]] = []
        target: list[list[Cell]] = rows
        row: list[Cell] | None = None
        grid_row = -1
        long_rows: list[tuple[int, str]] = []
        self.pos += 1
        while self.pos < len(self.tokens) and self.tokens[self.pos].type != "table_close":
            current = self.tokens[self.pos]
            if current.type in ("thead_open", "tbody_open"):
                target = header if current.type == "thead_open" else rows
            elif current.type == "tr_open":
                row, grid_row = [], grid_row + 1
                target.append(row)
                problem = self._row_too_long(current, header) if target is rows else None
                if problem:
                    long_rows.append(problem)
            elif current.type in ("th_open", "td_open") and row is not None:
                row.append(self._cell(current, grid_row, len(row)))
                continue
            self.pos += 1
        self.pos += 1
        for line, message in long_rows[:MAX_ROW_WARNINGS]:
            self.warn(line, message)
        if len(long_rows) > MAX_ROW_WARNINGS:
            more = len(long_rows) - MAX_ROW_WARNINGS
            self.warn(long_rows[MAX_ROW_WARNINGS][0], f"{more} more rows of this table have too many cells")
        return Table(header, rows, _line(token))

    def _cell(self, opening: Token, row: int, col: int) -> Cell:
        inline = self._inline_after(opening)
        line = inline.map[0] + 1 if inline is not None and inline.map else 0
        text, spans, _ = _inline_text(inline)
        children: list[Block] = [Paragraph(text, line, spans)] if text else []
        return Cell(children, line, row, col)

    def _row_too_long(self, tr: Token, header: list[list[Cell]]) -> tuple[int, str] | None:
        """markdown-it drops cells beyond the header's width; say so."""
        if not header or not tr.map or tr.map[0] >= len(self.lines):
            return None
        source = _QUOTE_PREFIX.sub("", self.lines[tr.map[0]], count=1)
        cells = split_row(source)
        if len(cells) > len(header[0]):
            extra = " | ".join(cells[len(header[0]):])
            message = f"table row has {len(cells)} cells but the header has {len(header[0])}; dropped: {extra[:80]}"
            return tr.map[0] + 1, message
        return None


def _endpoint_component(inline: Token | None, line: int) -> Endpoint | None:
    """A paragraph made of one element with an HTTP ``method`` attribute, such as
    ``<Route method="GET">/guilds/[{guild.id}](...)</Route>`` → ``Endpoint``; its text
    (links reduced to their text) is the target unless an attribute names one."""
    children = inline.children if inline is not None else None
    if not children or children[0].type != "html_inline":
        return None
    found = endpoint_tag(children[0].content)
    if found is None:
        return None
    name, method, target, closed = found
    if not target and not closed:
        rest = Token("inline", "", 0, children=[])
        for child in children[1:]:
            if child.type == "html_inline" and re.match(rf"^</{re.escape(name)}\s*>$", child.content.strip()):
                break
            rest.children.append(child)  # type: ignore[union-attr]
        target = _inline_text(rest)[0].strip()
    return Endpoint(method, target, line) if target else None


def _line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 0


def _fence_closed(token: Token, lines: list[str]) -> bool:
    if not token.map or token.map[1] - 1 <= token.map[0] or token.map[1] > len(lines):
        return False
    last = _QUOTE_PREFIX.sub("", lines[token.map[1] - 1], count=1).strip()
    marker = token.markup[:1]
    return bool(marker) and len(last) >= len(token.markup) and set(last) == {marker}


def _inline_text(inline: Token | None) -> tuple[str, list[Span], bool]:
    """(plain text, spans in document order, made only of inline HTML?)."""
    if inline is None:
        return "", [], False
    parts: list[str] = []
    size = 0
    opened: list[tuple[str, str, int, int]] = []  # kind, target, start, order
    found: list[tuple[int, int, Span]] = []
    html_seen = other_seen = False
    for order, child in enumerate(inline.children or []):
        piece = ""
        if child.type in ("text", "image"):
            piece = child.content
            other_seen |= bool(piece.strip())
        elif child.type == "code_inline":
            piece = child.content
            found.append((size, order, Span("code", piece)))
            other_seen = True
        elif child.type in ("softbreak", "hardbreak"):
            piece = "\n"
        elif child.type == "html_inline":
            piece = strip_tags(child.content)
            html_seen = True
        elif child.nesting == 1:
            opened.append((_INLINE_SPANS.get(child.type, ""), str(child.attrs.get("href", "")), size, order))
        elif child.nesting == -1 and opened:
            kind, target, start, began = opened.pop()
            if kind:
                found.append((start, began, Span(kind, "".join(parts)[start:], target)))
        parts.append(piece)
        size += len(piece)
    found.sort(key=lambda item: (item[0], item[1]))
    return "".join(parts), [span for _, _, span in found], html_seen and not other_seen


@dataclass
class _Heading:
    """A heading before nesting: its (childless) Section and Markdown level 1–6."""

    section: Section
    level: int


def _nest_sections(blocks: list[Block | _Heading]) -> list[Block]:
    """Put the blocks after each heading into its Section; heading level decides
    nesting, ``Section.level`` becomes the depth."""
    root: list[Block] = []
    stack: list[tuple[int, Section]] = []
    for block in blocks:
        if isinstance(block, _Heading):
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            block.section.level = len(stack) + 1
            (stack[-1][1].children if stack else root).append(block.section)
            stack.append((block.level, block.section))
        else:
            (stack[-1][1].children if stack else root).append(block)
    return root
