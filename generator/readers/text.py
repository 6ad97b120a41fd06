"""Pasted-text reader: text copied from a rendered web page → the neutral document model.

``read_text(text, path)`` never raises; problems become ``Diagnostic`` values.  Pasted
pages carry no reliable markup, so the reader recognises general *shapes*, line by line:

* page chrome in the head zone (before the first content line) and, after a strong
  footer marker, the tail zone is dropped — see ``HEAD_CHROME``/``FOOTER_MARKERS``;
* the first short non-sentence line of the head zone is the page title: a level-1
  ``Section`` holding everything else;
* pipe tables: a ``| a | b |`` row followed by a ``|---|---|`` separator starts a table,
  which runs until a line without ``|`` or until the next header+separator pair; rows of
  tab-separated cells (a copied HTML table) form a table too, first row as header;
* HTTP messages: a request line (``GET /x HTTP/1.1``) or status line (``HTTP/1.1 200 OK``)
  starts a ``CodeBlock("http")`` with its header lines and a JSON/XML body; headers glued
  onto the first line are split off (see ``split_glued_headers``).  The block text is the
  normalised message: start line, one header per line, a blank line, the body;
* a line starting a JSON value (``{"…``, ``[…``) starts a ``CodeBlock("json")`` that runs
  until its brackets balance (strings respected; JSON strings never span lines);
* ``- ``/``* ``/``• `` and ``1. `` lines → ``BulletList`` (indentation nests, at most
  ``MAX_LIST_DEPTH`` levels);
* everything else is prose: consecutive lines form one ``Paragraph``; a line ending in
  ``:`` ends its paragraph, and a short ``Label: value`` line is a paragraph of its own.
  URLs in prose become ``link`` spans.

Every pattern is anchored and free of nested quantifiers, so time stays linear in the
input size.
"""

from __future__ import annotations

import re
from itertools import pairwise

from generator.document import (
    Block,
    BulletList,
    Cell,
    CodeBlock,
    Diagnostic,
    Document,
    ListItem,
    Paragraph,
    Section,
    Span,
    Table,
)
from generator.readers.markdown import (
    anchor_slug,
    is_separator_row,
    normalise_source,
    split_row,
)

# Web/wiki page chrome seen above the content of a pasted page (GitHub wikis, docs
# sites).  Matched against whole short lines in the head zone, after a leading "- ".
HEAD_CHROME = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"notifications?",
        r"you must be signed in to .*",
        r"(fork|star|watch|unwatch|unstar|starred|watching)( \d[\d,.]*k?)?",
        r"[^\n]{1,80} edited this page[^\n]*",
        r"\d[\d,]* (revisions?|commits?)",
        r"(jump to bottom|skip to content|edit page|new page|edit|sign in|sign up|log in)",
        r"(toggle navigation|navigation menu|table of contents|on this page|last updated[^\n]*)",
        r"[-·•|*–—]{1,3}",  # lone separators
    )
]
# A line matching one of these near the end starts the footer; it and the rest go.
FOOTER_MARKERS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"clone this wiki locally",
        r"footer navigation",
        r"toggle table of contents.*",
        r"add a custom (sidebar|footer)",
        r"© ?\d{4}\b.*",
    )
]
FOOTER_WINDOW = 60
MAX_CHROME_LINE = 200
MAX_LIST_DEPTH = 10
MAX_TABLE_COLUMNS = 256  # a wider "header" row is prose with pipes, not a table
MAX_ROW_WARNINGS = 5  # per table; the rest are counted in one summary warning

HTTP_METHODS = "GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE|CONNECT"
_REQUEST_LINE = re.compile(rf"(?:{HTTP_METHODS}) \S+ HTTP/\d(?:\.\d)?(?= |$)")
_STATUS_LINE = re.compile(r"HTTP/\d(?:\.\d)? \d{3}(?= |$)")
_HEADER_LINE = re.compile(r"[A-Za-z][A-Za-z0-9-]*: \S")
_HEADER_START = re.compile(r"(?:^|(?<= ))([A-Za-z][A-Za-z0-9-]*): ")
_TITLE_CASE_NAME = re.compile(r"[A-Z][a-z0-9]*(?:-[A-Za-z][a-z0-9]*)+")
KNOWN_HEADERS = frozenset(
    ["accept", "accept-charset", "accept-encoding", "accept-language", "accept-ranges", "age", "allow", "authorization", "cache-control", "connection", "content-disposition", "content-encoding", "content-language", "content-length", "content-location", "content-range", "content-type", "cookie", "date", "etag", "expect", "expires", "forwarded", "from", "host", "if-match", "if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "last-modified", "link", "location", "max-forwards", "origin", "pragma", "proxy-authenticate", "proxy-authorization", "range", "referer", "retry-after", "server", "set-cookie", "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "vary", "via", "warning", "www-authenticate"]
)
# A string always matches (to its quote or the line end), so scanning never backtracks.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?$)|[{}\[\]]')
_JSON_OBJECT_START = re.compile(r"""\{\s*(?:$|["'}]|[A-Za-z_$][\w$]*\s*:)""")
_JSON_ARRAY_START = re.compile(r"""\[\s*(?:$|["'{\[\]\-\d]|true\b|false\b|null\b)""")
_JSONISH_LINE = re.compile(r"""[{}\[\]",:/\d'-]|true\b|false\b|null\b""")
_BULLET = re.compile(r"([-*•]|\d{1,9}[.)]) +(?=\S)")
_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+")
_LABEL = re.compile(r"[A-Z][A-Za-z0-9()/ -]{0,29}: \S")


def read_text(text: str, path: str) -> Document:
    diagnostics: list[Diagnostic] = []
    try:
        lines = normalise_source(text, path, diagnostics)
        start, title = _head(lines)
        end = _footer_start(lines, start)
        blocks = _Scanner(lines, start, end, path, diagnostics).blocks()
        if title is not None:
            label = anchor_slug(title[1], {})
            blocks = [Section(title[1], 1, title[0], blocks, [label] if label else [])]
    except Exception as exc:  # noqa: BLE001 — a reader bug must not stop the pipeline
        diagnostics.append(Diagnostic("error", path, 0, f"text reader failed ({type(exc).__name__}: {exc})"))
        blocks = []
    return Document(path, "text", blocks, diagnostics)


# ---------------------------------------------------------------- chrome and title


def _is_chrome(line: str) -> bool:
    body = line.strip()
    if len(body) > MAX_CHROME_LINE:
        return False
    body = body[2:].strip() if body[:2] in ("- ", "* ", "· ") else body
    return any(p.fullmatch(body) for p in HEAD_CHROME)


def _looks_like_title(line: str) -> bool:
    body = line.strip()
    return (
        0 < len(body) <= 80
        and len(body.split()) <= 10
        and body[-1] not in ".:;,!?"
        and body[0] not in "{[|<-*•#"
        and "|" not in body
        and "\t" not in body
        and not _REQUEST_LINE.match(body)
        and not _STATUS_LINE.match(body)
        and not _HEADER_LINE.match(body)
    )


def _head(lines: list[str]) -> tuple[int, tuple[int, str] | None]:
    """(index of the first content line, (line, title) or None)."""
    title = None
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip() or _is_chrome(line):
            index += 1
        elif title is None and _looks_like_title(line):
            title = (index + 1, line.strip())
            index += 1
        else:
            break
    return index, title


def _footer_start(lines: list[str], start: int) -> int:
    for index in range(max(start, len(lines) - FOOTER_WINDOW), len(lines)):
        body = lines[index].strip()
        if len(body) <= MAX_CHROME_LINE and any(p.fullmatch(body) for p in FOOTER_MARKERS):
            return index
    return len(lines)


# ---------------------------------------------------------------- HTTP and JSON shapes


def _is_header_name(name: str) -> bool:
    """Names safe to split a glued line at: registered headers, ``X-…``, and
    Title-Case-Hyphenated names (``Api-Key``).  A bare ``Note`` is not."""
    lower = name.lower()
    return lower in KNOWN_HEADERS or lower.startswith("x-") or bool(_TITLE_CASE_NAME.fullmatch(name))


def split_glued_headers(rest: str) -> tuple[str, list[str]]:
    """Split what follows a request/status line into (leading text, header lines).

    ``"Ok Content-Type: a; b"`` → ``("Ok", ["Content-Type: a; b"])``.  A header starts
    at the beginning of ``rest``, or after a space where the name passes
    ``_is_header_name`` — so a value like ``see: this`` is not split."""
    rest = rest.strip()
    starts = [
        match.start(1)
        for match in _HEADER_START.finditer(rest)
        if match.start(1) == 0 or _is_header_name(match.group(1))
    ]
    if not starts:
        return rest.strip(), []
    bounds = starts + [len(rest)]
    headers = [rest[a:b].strip() for a, b in pairwise(bounds)]
    return rest[: starts[0]].strip(), headers


def json_starts(line: str) -> bool:
    body = line.lstrip()
    return bool(_JSON_OBJECT_START.match(body) or _JSON_ARRAY_START.match(body))


def _bracket_depth(line: str, depth: int) -> tuple[int, bool]:
    """Depth after ``line``; True if it reached 0 (or below) at some bracket."""
    closed = False
    for token in _JSON_TOKEN.findall(line):
        if token in "{[":
            depth += 1
        elif token in "}]":
            depth -= 1
            closed = closed or depth <= 0
    return depth, closed


# ---------------------------------------------------------------- the block scanner


class _Scanner:
    def __init__(self, lines: list[str], start: int, end: int, path: str, diagnostics: list[Diagnostic]):
        self.lines, self.index, self.end = lines, start, end
        self.path, self.diagnostics = path, diagnostics

    def warn(self, index: int, message: str) -> None:
        self.diagnostics.append(Diagnostic("warning", self.path, index + 1, message))

    def blocks(self) -> list[Block]:
        out: list[Block] = []
        readers = (self._table, self._tab_table, self._http, self._json, self._bullets)
        while self.index < self.end:
            if not self.lines[self.index].strip():
                self.index += 1
                continue
            for reader in readers:
                block = reader()
                if block is not None:
                    out.append(block)
                    break
            else:
                out.append(self._paragraph())
        return out

    def _starts_block(self, index: int) -> bool:
        line = self.lines[index].lstrip()
        return (
            self._table_starts(index)
            or self._tab_table_starts(index)
            or bool(_REQUEST_LINE.match(line) or _STATUS_LINE.match(line))
            or json_starts(line)
            or bool(_BULLET.match(line))
        )

    # -- tables

    def _table_starts(self, index: int) -> bool:
        return (
            index + 1 < self.end
            and "|" in self.lines[index]
            and not is_separator_row(self.lines[index])
            and is_separator_row(self.lines[index + 1])
            and self.lines[index].count("|") <= MAX_TABLE_COLUMNS + 1
        )

    def _table(self) -> Table | None:
        if not self._table_starts(self.index):
            return None
        start = self.index
        header = split_row(self.lines[start])
        self.index += 2
        body: list[tuple[int, list[str]]] = []
        while self.index < self.end:
            line = self.lines[self.index]
            if not line.strip() or "|" not in line or self._table_starts(self.index):
                break
            body.append((self.index, split_row(line)))
            self.index += 1
        return self._build_table(start, header, body)

    def _tab_cells(self, index: int) -> list[str]:
        """Cells of a tab-separated row; trailing tabs are empty cells, leading ones indent."""
        body = self.lines[index].strip(" ").lstrip("\t")
        return [cell.strip() for cell in body.split("\t")] if "\t" in body else []

    def _tab_table_starts(self, index: int) -> bool:
        if index + 1 >= self.end:
            return False
        first, second = self._tab_cells(index), self._tab_cells(index + 1)
        return len(first) >= 2 and len(first) == len(second)

    def _tab_table(self) -> Table | None:
        if not self._tab_table_starts(self.index):
            return None
        start = self.index
        header = self._tab_cells(start)
        self.index += 1
        body: list[tuple[int, list[str]]] = []
        while self.index < self.end and self._tab_cells(self.index):
            body.append((self.index, self._tab_cells(self.index)))
            self.index += 1
        return self._build_table(start, header, body)

    def _build_table(self, start: int, header: list[str], body: list[tuple[int, list[str]]]) -> Table:
        width = len(header)
        rows: list[list[Cell]] = []
        long_rows = [(index, cells) for index, cells in body if len(cells) > width]
        for index, cells in long_rows[:MAX_ROW_WARNINGS]:
            dropped = " | ".join(cells[width:])
            self.warn(index, f"table row has {len(cells)} cells but the header has {width}; dropped: {dropped[:80]}")
        if len(long_rows) > MAX_ROW_WARNINGS:
            self.warn(long_rows[MAX_ROW_WARNINGS][0], f"{len(long_rows) - MAX_ROW_WARNINGS} more rows of this table have too many cells")
        for grid_row, (index, cells) in enumerate(body, 1):
            cells = (cells + [""] * width)[:width]
            rows.append([_cell(text, index + 1, grid_row, col) for col, text in enumerate(cells)])
        head = [_cell(text, start + 1, 0, col) for col, text in enumerate(header)]
        return Table([head], rows, start + 1)

    # -- HTTP messages and JSON

    def _http(self) -> CodeBlock | None:
        first = self.lines[self.index].strip()
        match = _REQUEST_LINE.match(first) or _STATUS_LINE.match(first)
        if match is None:
            return None
        start = self.index
        lead, headers = split_glued_headers(first[match.end():])
        message = [f"{match.group(0)} {lead}".rstrip()] + headers
        self.index += 1
        while self.index < self.end and _HEADER_LINE.match(self.lines[self.index].strip()):
            message.append(self.lines[self.index].strip())
            self.index += 1
        body = self._http_body()
        if body:
            message += [""] + body
        return CodeBlock("\n".join(message), start + 1, "http")

    def _http_body(self) -> list[str]:
        index = self.index
        while index < self.end and not self.lines[index].strip():
            index += 1
        if index >= self.end:
            return []
        if json_starts(self.lines[index]):
            self.index = index
            return self._json_lines()
        if self.lines[index].lstrip().startswith("<"):  # XML/HTML: tags and indented lines
            self.index = index + 1
            while self.index < self.end and self.lines[self.index][:1] in ("<", " ", "\t") and self.lines[self.index].strip():
                self.index += 1
            return [line.rstrip() for line in self.lines[index:self.index]]
        return []

    def _json(self) -> CodeBlock | None:
        if not json_starts(self.lines[self.index]):
            return None
        start = self.index
        return CodeBlock("\n".join(self._json_lines()), start + 1, "json")

    def _json_lines(self) -> list[str]:
        """Lines of the JSON value at ``self.index``: until its brackets balance, or —
        unbalanced — until the last JSON-looking line before prose (warned)."""
        start = self.index
        depth, last, closed = 0, start, False
        for index in range(start, self.end):
            body = self.lines[index].strip()
            if not body:
                continue
            if index > start and not _JSONISH_LINE.match(body):
                break
            depth, closed = _bracket_depth(body, depth)
            last = index
            if closed:
                break
        if closed and depth < 0:
            self.warn(last, "JSON value has more closing than opening brackets")
        elif not closed:
            self.warn(start, f"JSON value starting here is not closed ({depth} bracket(s) open at line {last + 1})")
        self.index = last + 1
        return [line.rstrip() for line in self.lines[start : last + 1]]

    # -- lists and prose

    def _bullets(self) -> BulletList | None:
        if not _BULLET.match(self.lines[self.index].lstrip()):
            return None
        root = BulletList([], self.index + 1, ordered=self.lines[self.index].lstrip()[0].isdigit())
        stack: list[tuple[int, BulletList]] = [(_indent(self.lines[self.index]), root)]
        warned = False
        while self.index < self.end:
            line = self.lines[self.index]
            marker = _BULLET.match(line.lstrip())
            if marker is None:
                if not line.strip() or self._starts_block(self.index) or _indent(line) <= stack[-1][0]:
                    break
                _append_text(stack[-1][1].items[-1], line.strip())  # continuation line
                self.index += 1
                continue
            indent = _indent(line)
            while len(stack) > 1 and indent < stack[-1][0]:
                stack.pop()
            if indent > stack[-1][0] and stack[-1][1].items:
                if len(stack) < MAX_LIST_DEPTH:
                    nested = BulletList([], self.index + 1, ordered=marker.group(1)[0].isdigit())
                    stack[-1][1].items[-1].children.append(nested)
                    stack.append((indent, nested))
                elif not warned:
                    self.warn(self.index, f"list nested more than {MAX_LIST_DEPTH} levels; kept at that depth")
                    warned = True
            text = line.lstrip()[marker.end():].strip()
            stack[-1][1].items.append(ListItem([_paragraph(text, self.index + 1)], self.index + 1))
            self.index += 1
        return root

    def _paragraph(self) -> Paragraph:
        start = self.index
        texts: list[str] = []
        while self.index < self.end:
            body = self.lines[self.index].strip()
            if not body or (texts and (self._starts_block(self.index) or _LABEL.match(body))):
                break
            texts.append(body)
            self.index += 1
            if body.endswith(":") or _LABEL.match(body):
                break
        return _paragraph("\n".join(texts), start + 1)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _paragraph(text: str, line: int) -> Paragraph:
    spans = [Span("link", url.rstrip(".,;:"), url.rstrip(".,;:")) for url in _URL.findall(text)]
    return Paragraph(text, line, spans)


def _append_text(item: ListItem, text: str) -> None:
    first = item.children[0]
    if isinstance(first, Paragraph):
        item.children[0] = _paragraph(f"{first.text}\n{text}", first.line)


def _cell(text: str, line: int, row: int, col: int) -> Cell:
    return Cell([_paragraph(text, line)] if text else [], line, row, col)
