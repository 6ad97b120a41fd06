"""reStructuredText reader: docutils doctree → the neutral document model.

docutils parses; this module only (1) teaches docutils the Sphinx constructs API docs use
(httpdomain ``http:*`` directives, ``code-block``, ``:ref:``, …) so they parse cleanly, and
(2) converts the doctree into ``generator.document`` blocks with reliable source lines.
``read_rst`` never raises and never reads other files: ``include`` & co. become ``Include``
blocks that the extractor follows (``sphinx.py``).
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

from docutils import frontend, nodes, utils
from docutils.parsers.rst import Directive, Parser, directives, roles, states
from docutils.parsers.rst.languages import en as _ENGLISH
from docutils.readers import standalone

from generator.document import (
    Block,
    BulletList,
    Cell,
    CodeBlock,
    DefinitionItem,
    DefinitionList,
    Diagnostic,
    Document,
    ListItem,
    Paragraph,
    Raw,
    Section,
    Span,
    Table,
)
from generator.readers.sphinx import sphinx_block

MAX_DEPTH = 60  # nested block levels kept; deeper content is dropped with a warning

# ---------------------------------------------------------------- docutils extensions


class _AnyOptions(dict):
    """An option spec accepting every option (Sphinx directives have many)."""

    def __missing__(self, key: str):
        return directives.unchanged

    def __bool__(self) -> bool:
        return True


class kept_directive(nodes.General, nodes.Element):
    """A directive kept as a typed block (``http:get``, unknown directives)."""


class xref(nodes.Inline, nodes.TextElement):
    """A Sphinx cross-reference (``:ref:``, ``:doc:``); ``target`` attribute."""


class _Base(Directive):
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = _AnyOptions()

    def _at_line(self, node: nodes.Element) -> nodes.Element:
        node.line = self.lineno
        return node

    def _parsed_content(self, node: nodes.Element) -> nodes.Element:
        if self.content:
            self.state.nested_parse(self.content, self.content_offset, node)
        return self._at_line(node)


class _Kept(_Base):
    def run(self):
        options = {k: "" if v is None else str(v) for k, v in self.options.items()}
        # the raw content lines with their 1-based source lines, for directives whose
        # content is data rather than text (os-api-ref's ``- name: key`` lists)
        content = [(text, self.content_offset + index + 1) for index, text in enumerate(self.content)]
        node = kept_directive(directive=self.name, argument=" ".join(self.arguments), options=options, content=content)
        if self.name.lower() in _DATA_CONTENT:
            return [self._at_line(node)]
        return [self._parsed_content(node)]


_DATA_CONTENT = {"rest_parameters", "literalinclude", "include"}


class _Code(_Base):
    def run(self):
        text = "\n".join(self.content)
        language = self.arguments[0].split()[0].lower() if self.arguments else ""
        return [self._at_line(nodes.literal_block(text, text, language=language))]


class _Flatten(_Base):
    """Content shown in place; the argument is not text (``only``, ``rst-class``)."""

    def run(self):
        return [self._parsed_content(nodes.container())] if self.content else []


_VERSION_LABELS = {"versionadded": "New in version", "versionchanged": "Changed in version",
                   "versionremoved": "Removed in version", "deprecated": "Deprecated since version",
                   "seealso": "See also"}


class _FlattenWithArgument(_Base):
    """Content shown in place, led by the argument as a paragraph (``deprecated:: 1.2 Use x``)."""

    def run(self):
        container = nodes.container()
        if self.arguments:
            version, _, rest = self.arguments[0].partition(" ")
            text = f"{_VERSION_LABELS[self.name]} {version}" + (f": {rest}" if rest else "")
            if self.name == "seealso":
                text = f"See also: {self.arguments[0]}"
            inline, messages = self.state.inline_text(text, self.lineno)
            container += self._at_line(nodes.paragraph(text, "", *inline))
            container += messages
        return [self._parsed_content(container)]


class _Drop(_Base):
    def run(self):
        return []


_HTTP = ("get", "post", "put", "patch", "delete", "head", "options", "trace", "connect", "copy", "any")
_DIRECTIVES: dict[str, type[Directive]] = {
    **{f"http:{method}": _Kept for method in _HTTP},
    **dict.fromkeys(("code-block", "sourcecode", "code"), _Code),
    **dict.fromkeys(("cssclass", "rst-class", "only", "glossary", "hlist"), _Flatten),
    **dict.fromkeys(_VERSION_LABELS, _FlattenWithArgument),
    **dict.fromkeys(("highlight", "toctree", "index", "tabularcolumns", "sectionauthor",
                     "codeauthor", "moduleauthor"), _Drop),
    **dict.fromkeys(("literalinclude", "include", "rest_method", "rest_parameters"), _Kept),
}
_DIRECTIVE_NAME = re.compile(r"\.\.[ ]+((?:(?!_)\w)+(?:[-._+:](?:(?!_)\w)+)*)[ ]?::(?=[ ]|$)", re.MULTILINE)


def _register(text: str, document: nodes.document) -> None:
    """Register the Sphinx directives, and keep every other unknown directive named in
    ``text`` as a ``Directive`` instead of an error.  docutils' registry is process-wide;
    registering is idempotent."""
    for name, cls in _DIRECTIVES.items():
        directives.register_directive(name, cls)
    for name in sorted({m.lower() for m in _DIRECTIVE_NAME.findall(text)}):
        found, _ = directives.directive(name, _ENGLISH, document)
        if found is None:
            directives.register_directive(name, _Kept)


_EMPHASIS_ROLES = {"term", "abbr", "dfn", "guilabel", "menuselection", "rfc", "pep"}


def _split_title(text: str) -> tuple[str, str]:
    r"""``title <target>`` → (title, target); else (text, text).  By the last ``<``, not
    the regex ``^(.+?)\s*<([^<>]+)>$``: its lazy title retries the blanks after every
    position (quadratic on a long run of blanks)."""
    body = text.removesuffix("\n")  # as "$" allows one final newline
    start = body.rfind("<")
    target = body[start + 1:-1]
    if start < 1 or not body.endswith(">") or not target or ">" in target:
        return text, text
    head = body[:start]
    return head.rstrip() or head[:1], target


def _inliner() -> states.Inliner:
    """docutils' inliner, except for interpreted text: ``:ref:``/``:doc:`` become
    cross-references, and a role docutils does not know becomes code or emphasis text
    instead of an error.  (Bound on the instance: docutils builds its patterns from
    ``vars(type(self))``, which a subclass would break.)"""
    inliner = states.Inliner()
    stock = inliner.interpreted

    def interpreted(rawsource, text, role, lineno):
        name = role.lower()
        if name in ("ref", "doc"):
            title, target = _split_title(utils.unescape(text))
            target = nodes.fully_normalize_name(target) if name == "ref" else target.strip()
            return [xref(rawsource, title, target=target)], []
        if name not in ("rfc", "pep") and roles.role(name, inliner.language, lineno, inliner.reporter)[0]:
            return stock(rawsource, text, role, lineno)
        return [_role_text(name, rawsource, text)], []

    inliner.interpreted = interpreted
    stock_parse = inliner.parse

    def parse(text, lineno, memo, parent):
        # docutils' inline patterns (reference names ``a:b-c_``, standalone URIs and
        # e-mail addresses) rescan a run of name/URI characters from every position
        # that may start one: quadratic in the run ("a:a:a:…" of 20 KB takes 10 s).
        # A run of MAX_MARKUP_RUN+ non-blanks is no markup anyone wrote: plain text.
        if len(text) < MAX_MARKUP_RUN or not _LONG_RUN.search(text):
            return stock_parse(text, lineno, memo, parent)
        found, messages = [], []
        for index, part in enumerate(_LONG_RUN.split(text)):
            if index % 2:
                found.append(nodes.Text(utils.escape2null(part)))
            elif part:
                more, problems = stock_parse(part, lineno, memo, parent)
                found += more
                messages += problems
        return found, messages

    inliner.parse = parse
    return inliner


MAX_MARKUP_RUN = 1000
_LONG_RUN = re.compile(rf"(\S{{{MAX_MARKUP_RUN},}})")


def _role_text(name: str, rawsource: str, text: str) -> nodes.Inline:
    """What Sphinx would show for ``:name:`text```: the explicit title, ``~a.b`` → ``b``."""
    shown = _split_title(utils.unescape(text))[0].strip()
    if shown.startswith("~"):
        shown = shown[1:].split(".")[-1]
    shown = {"rfc": "RFC ", "pep": "PEP "}.get(name, "") + shown.lstrip("!")
    node_class = nodes.emphasis if name in _EMPHASIS_ROLES else nodes.literal
    return node_class(rawsource, shown)


# ---------------------------------------------------------------- parsing

_SETTINGS = {
    "report_level": 5, "halt_level": 5, "traceback": False, "file_insertion_enabled": False,
    "raw_enabled": True, "_disable_config": True, "syntax_highlight": "none",
    "doctitle_xform": False, "sectsubtitle_xform": False, "docinfo_xform": False,
    "smart_quotes": False, "line_length_limit": 100_000,
}
# str.splitlines() (docutils) breaks lines on these; editors do not.
_ODD_BREAKS = str.maketrans({c: " " for c in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"} | {"\x00": "\ufffd"})


@cache
def _default_settings() -> frontend.Values:
    settings = frontend.get_default_settings(Parser, standalone.Reader)
    for key, value in _SETTINGS.items():
        setattr(settings, key, value)
    return settings


def _settings() -> frontend.Values:
    """A fresh copy of the reader's docutils settings.  Building them from docutils'
    option parser costs about a millisecond; it is done once per process and copied
    (shallow: docutils assigns settings, it never edits one in place, except the
    dependency list, which gets its own)."""
    settings = _default_settings().copy()
    settings.record_dependencies = utils.DependencyList()
    return settings


def _parse(text: str, path: str) -> tuple[nodes.document, list[nodes.system_message], list[Diagnostic]]:
    """docutils doctree of ``text`` plus every system message docutils reported."""
    parser = Parser(inliner=_inliner())
    document = utils.new_document(path, _settings())
    messages: list[nodes.system_message] = []
    crashes: list[Diagnostic] = []
    try:
        _register(text, document)
        document.reporter.attach_observer(messages.append)
        parser.parse(text, document)
    except Exception as exc:  # noqa: BLE001 -- docutils bug or recursion limit: keep what was parsed
        line = _last_line(document)
        reason = f"{type(exc).__name__}: {exc}"
        crashes.append(Diagnostic("error", path, line, f"docutils gave up here; the rest was not read ({reason})"))
    try:
        document.transformer.populate_from_components((standalone.Reader(parser=parser), parser))
        document.transformer.apply_transforms()
    except Exception as exc:  # noqa: BLE001 -- read_rst never raises
        crashes.append(Diagnostic("error", path, 0, f"docutils transforms failed ({type(exc).__name__}: {exc})"))
    return document, messages, crashes


def _last_line(document: nodes.document) -> int:
    """The last source line docutils turned into a node (where it gave up)."""
    try:
        return max((n.line for n in document.findall() if isinstance(n.line, int)), default=0)
    except RecursionError:
        return 0


def _message_diagnostic(msg: nodes.system_message, path: str, offset: int) -> Diagnostic | None:
    level = msg.get("level", 0)
    if level < 2:
        return None
    texts = [c.astext() for c in msg.children if isinstance(c, nodes.paragraph)]
    text = " ".join(" ".join(texts).split()) or "docutils reported a problem"
    stated = re.match(r"Line (\d+) ", text)  # e.g. the line-length-limit error
    line = msg.get("line") or (int(stated.group(1)) if stated else 0)
    return Diagnostic("warning" if level == 2 else "error", path, line + offset if line else 0, text)


# ---------------------------------------------------------------- conversion


class _HTMLText(HTMLParser):
    """Text of an HTML fragment, one source line per line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        self.parts.append("\n" * (self.get_starttag_text() or "").count("\n"))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        self.parts.append("\n" * data.count("\n") if self.skip else data)

    def handle_comment(self, data):
        self.parts.append("\n" * data.count("\n"))


def html_text(markup: str) -> str:
    parser = _HTMLText()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # noqa: BLE001 -- html.parser is lenient; be safe anyway
        return markup
    return "\n".join(line.strip() for line in "".join(parser.parts).split("\n")).strip("\n")


def _span(node: nodes.Node) -> Span | None:
    if isinstance(node, nodes.strong):
        return Span("strong", node.astext())
    if isinstance(node, (nodes.emphasis, nodes.title_reference)):
        return Span("emphasis", node.astext())
    if isinstance(node, nodes.literal):
        return Span("code", node.astext())
    if isinstance(node, xref):
        return Span("ref", node.astext(), node["target"])
    if isinstance(node, nodes.reference) and node.get("refuri"):
        return Span("link", node.astext(), node["refuri"])
    if isinstance(node, nodes.reference) and node.get("refid"):
        return Span("ref", node.astext(), node["refid"])
    return None


def _spans(node: nodes.Element) -> list[Span]:
    found: list[Span] = []
    for child in node.children:
        if isinstance(child, nodes.Element) and not isinstance(child, nodes.system_message):
            span = _span(child)
            found.extend([span] if span else _spans(child))
    return found


_NOTHING = (nodes.target, nodes.comment, nodes.substitution_definition, nodes.transition, nodes.pending,
            nodes.image, nodes.label, nodes.colspec)


class _Converter:
    def __init__(self, lines: list[str], path: str, offset: int = 0) -> None:
        self.lines = lines  # the parsed text's lines; docutils' node.line indexes them
        self.path = path
        self.offset = offset  # added to every line: non-zero for a re-parsed table
        self.diagnostics: list[Diagnostic] = []
        self.recovered: set[int] = set()  # ids of system messages replaced by a recovery
        self.too_deep = False

    # ---- lines

    def text_line(self, text: str, start: int) -> int:
        """Source line of the first non-blank line of ``text``, searched from ``start``."""
        lines = text.split("\n")
        first = next((line.strip() for line in lines if line.strip()), "")
        skipped = next((i for i, line in enumerate(lines) if line.strip()), 0)
        for number in range(max(start, 1), min(start + 200, len(self.lines)) + 1):
            if first and first in self.lines[number - 1]:
                return number - skipped
        return start

    def line(self, node: nodes.Node, fallback: int) -> int:
        """The source line where ``node`` starts, absolute; ``fallback`` when unknown."""
        raw = node.line if isinstance(node.line, int) and node.line > 0 else None
        if raw is None:
            return fallback
        if isinstance(node, (nodes.title, nodes.literal_block)) and "language" not in node:
            raw = self._confirm(raw, node)
        return raw + self.offset

    def _confirm(self, raw: int, node: nodes.Node) -> int:
        """docutils reports a title's underline and (in older versions) the line after a
        literal block; move to the nearest earlier line that holds the node's text."""
        first = next((s.strip() for s in (node.rawsource or node.astext()).splitlines() if s.strip()), "")
        if not first:
            return raw
        reach = raw - len(node.astext().splitlines()) - 3
        for candidate in range(min(raw, len(self.lines)), max(reach, 0), -1):
            if first in self.lines[candidate - 1]:
                return candidate
        return raw

    # ---- blocks

    def blocks(self, children, fallback: int, depth: int) -> list[Block]:
        out: list[Block] = []
        for child in children:
            if not isinstance(child, nodes.Element):
                continue
            if depth >= MAX_DEPTH:
                self.dropped_deep_content(self.line(child, fallback))
                break
            out.extend(self.block(child, out[-1].line if out else fallback, depth + 1))
        return out

    def dropped_deep_content(self, line: int) -> None:
        if not self.too_deep:
            self.too_deep = True
            self.diagnostics.append(Diagnostic("warning", self.path, line,
                                               f"content nested more than {MAX_DEPTH} levels deep was dropped"))

    def block(self, node: nodes.Element, fallback: int, depth: int) -> list[Block]:
        at = self.line(node, fallback)
        if isinstance(node, nodes.section) and isinstance(node.parent, (nodes.document, nodes.section)):
            return [self.section(node, at, depth)]
        if isinstance(node, nodes.raw):
            text = html_text(node.astext())
            return [Raw(node.get("format", "").lower(), text, at)] if text.strip() else []
        if isinstance(node, (nodes.literal_block, nodes.doctest_block, nodes.math_block)):
            fixed = {nodes.doctest_block: "python", nodes.math_block: "math"}
            text = node.astext()
            block = CodeBlock(text, at, fixed.get(type(node), node.get("language", "")))
            block.content_line = self.text_line(text, at)
            return [block]
        if isinstance(node, (nodes.bullet_list, nodes.enumerated_list)):
            items = [self.item(li, at, depth) for li in node.children if isinstance(li, nodes.list_item)]
            at = self.line(node, items[0].line if items else at)
            return [BulletList(items, at, ordered=isinstance(node, nodes.enumerated_list))]
        if isinstance(node, (nodes.definition_list, nodes.field_list, nodes.option_list)):
            entries = [self.definition(i, at, depth) for i in node.children]
            return [DefinitionList(entries, self.line(node, entries[0].line if entries else at))]
        if isinstance(node, nodes.table):
            return self.table(node, at, depth)
        if isinstance(node, kept_directive):
            children = self.blocks(node.children, at, depth)
            content = [(text, number + self.offset) for text, number in node.get("content", [])]
            return [sphinx_block(node["directive"], node["argument"], dict(node["options"]), children, at, content)]
        if isinstance(node, nodes.system_message):
            return self.recover_table(node, depth)
        if isinstance(node, nodes.topic) and "contents" in node["classes"]:
            return []  # a generated table of contents
        if isinstance(node, _NOTHING):
            return []
        if isinstance(node, nodes.TextElement):  # paragraphs, titles of topics, rubrics, lines, …
            text = node.astext()
            return [Paragraph(text, at, _spans(node))] if text.strip() else []
        return self.blocks(node.children, at, depth)  # containers, admonitions, quotes, …

    def section(self, node: nodes.section, at: int, depth: int) -> Section:
        title = node.children[0] if node.children and isinstance(node.children[0], nodes.title) else None
        title_text = title.astext() if title else ""
        at = self.line(title, at) if title else at
        own = nodes.fully_normalize_name(title_text)
        labels = [n for n in node["names"] if n != own] + list(node["ids"])
        children = self.blocks([c for c in node.children if c is not title], at, depth)
        level = sum(1 for a in _ancestors(node) if isinstance(a, nodes.section)) + 1
        return Section(title_text, level, at, children, list(dict.fromkeys(labels)), _spans(title) if title else [])

    def item(self, node: nodes.list_item, fallback: int, depth: int) -> ListItem:
        children = self.blocks(node.children, fallback, depth)
        return ListItem(children, self.line(node, children[0].line if children else fallback))

    def definition(self, node: nodes.Element, fallback: int, depth: int) -> DefinitionItem:
        heads = (nodes.term, nodes.classifier, nodes.field_name, nodes.option_group)
        term = " : ".join(c.astext() for c in node.children if isinstance(c, heads))
        body = [c for c in node.children if not isinstance(c, heads)]
        children = self.blocks(body, fallback, depth)
        return DefinitionItem(term, children, self.line(node, children[0].line if children else fallback))

    # ---- tables

    def table(self, node: nodes.table, at: int, depth: int) -> list[Block]:
        out: list[Block] = []
        for child in node.children:
            if isinstance(child, nodes.title):
                out.append(Paragraph(child.astext(), self.line(child, at), _spans(child)))
            elif isinstance(child, nodes.tgroup):
                out.append(self.tgroup(child, at, depth))
        return out

    def tgroup(self, node: nodes.tgroup, at: int, depth: int) -> Table:
        columns = max(int(node.get("cols", 0) or 0), 1)
        head = [r for part in node.children if isinstance(part, nodes.thead) for r in part.children]
        body = [r for part in node.children if isinstance(part, nodes.tbody) for r in part.children]
        grid = self.grid(head + body, columns, at, depth)
        return Table(grid[: len(head)], grid[len(head):], at)

    def grid(self, rows: list[nodes.row], columns: int, at: int, depth: int) -> list[list[Cell]]:
        """Rows × columns with spanning cells placed in every position they cover."""
        grid: list[list[Cell | None]] = [[None] * columns for _ in rows]
        row_line = at
        for r, row in enumerate(rows):
            entries = [e for e in row.children if isinstance(e, nodes.entry)]
            cells = [self.blocks(e.children, row_line, depth) for e in entries]
            row_line = min((c[0].line for c in cells if c), default=row_line)
            col = 0
            for entry, children in zip(entries, cells):
                while col < columns and grid[r][col] is not None:
                    col += 1
                if col >= columns:
                    break
                cell = Cell(children, children[0].line if children else row_line, r, col)
                for dr in range(int(entry.get("morerows", 0)) + 1):
                    for dc in range(int(entry.get("morecols", 0)) + 1):
                        if r + dr < len(rows) and col + dc < columns:
                            grid[r + dr][col + dc] = cell
                col += int(entry.get("morecols", 0)) + 1
            for c in range(columns):
                if grid[r][c] is None:
                    grid[r][c] = Cell([], row_line, r, c)
        return grid  # type: ignore[return-value]

    def recover_table(self, msg: nodes.system_message, depth: int) -> list[Block]:
        """A grid table docutils rejected: normalise its borders, parse it again."""
        source = next((c.astext() for c in msg.children if isinstance(c, nodes.literal_block)), "")
        text = msg.children[0].astext() if msg.children else ""
        if not text.startswith("Malformed table.") or not source.startswith("+"):
            return []
        lines = source.split("\n")
        start = _find_back(self.lines, lines[0].strip(), msg.get("line") or 1)
        fixed = normalise_grid_table(lines)
        document, messages, _ = _parse("\n".join(fixed), self.path)
        table = document.next_node(nodes.table)
        if table is None:
            return []
        sub = _Converter(fixed, self.path, self.offset + start - 1)
        blocks = sub.block(table, start + self.offset, depth)
        reason = " ".join(text.replace("Malformed table.", "").split())
        self.recovered.add(id(msg))
        self.diagnostics.append(Diagnostic(
            "warning", self.path, start + self.offset,
            f"grid table is malformed for docutils ({reason or 'rejected'}); read it after normalising its borders"))
        self.diagnostics.extend(d for m in messages if (d := _message_diagnostic(m, self.path, sub.offset)))
        self.diagnostics.extend(sub.diagnostics)
        return blocks


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def _find_back(lines: list[str], needle: str, before: int) -> int:
    for candidate in range(min(before, len(lines)), 0, -1):
        if lines[candidate - 1].strip() == needle:
            return candidate
    return before


def normalise_grid_table(lines: list[str]) -> list[str]:
    """Make a hand-drawn grid table acceptable to docutils: fit every line to the top
    border's width (adding or removing blanks before the right border, never text),
    rebuild ``+===+`` header rules from the column boundaries above and below them, and
    add a missing bottom border."""
    lines = [line.strip() for line in lines if line.strip()]
    width = len(lines[0])
    fixed = [_fit(line, width) for line in lines]
    for i in range(1, len(fixed) - 1):
        if set(fixed[i]) <= {"+", "="} and len(fixed[i - 1]) == len(fixed[i + 1]) == width:
            around = zip(fixed[i - 1], fixed[i + 1])
            fixed[i] = "".join("+" if "|" in pair or "+" in pair else "=" for pair in around)
    if not re.fullmatch(r"\+[-+]*\+", fixed[-1]):
        fixed.append(re.sub(r"[^+]", "-", fixed[0]))
    return fixed


def _fit(line: str, width: int) -> str:
    border = line[-1] if line[-1] in "+|" else "|"
    core = line[:-1] if line[-1] in "+|" else line
    fill = (core.strip("+")[:1] or "-") if line[0] == "+" else " "
    if len(core) >= width:
        return core[: width - 1] + border if not core[width - 1:].strip(fill) else line
    return core + fill * (width - 1 - len(core)) + border


def read_rst(text: str, path: str) -> Document:
    """Parse reStructuredText into a ``Document``.  Never raises; docutils' warnings and
    errors (and anything that went wrong while reading) become diagnostics."""
    diagnostics: list[Diagnostic] = []
    nul = text.find("\x00")
    if nul >= 0:
        diagnostics.append(Diagnostic("warning", path, text.count("\n", 0, nul) + 1,
                                      "NUL characters replaced by U+FFFD"))
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_ODD_BREAKS)
    document, messages, crashes = _parse(text, path)
    converter = _Converter(text.split("\n"), path)
    try:
        children = converter.blocks(document.children, 1, 0)
    except Exception as exc:  # noqa: BLE001 -- a converter bug must not take the pipeline down
        children = []
        crashes.append(Diagnostic("error", path, 0, f"could not convert the doctree ({type(exc).__name__}: {exc})"))
    diagnostics += [d for m in messages if id(m) not in converter.recovered
                    and (d := _message_diagnostic(m, path, 0))]
    return Document(path, "rst", children, diagnostics + converter.diagnostics + crashes)
