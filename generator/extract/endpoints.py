"""Where a page declares endpoints, and which part of the page belongs to each.

Declarations are explicit statements of an endpoint: an ``http:get`` directive, a
heading ``GET /v2/jobs/:guid``, a line ``Request: GET /project/{projectId}``.  A page
without declarations falls back to its request examples (curl, raw HTTP).  Each
group of declarations that sit in the same section owns a *scope*: the largest
enclosing section that holds no other group's declaration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from generator.document import (
    Block,
    CodeBlock,
    Document,
    Endpoint,
    Paragraph,
    Section,
    children_of,
)
from generator.extract.http_examples import METHODS, parse_messages, safe_urlsplit

_METHOD_PATH = re.compile(
    r"^(?:[A-Za-z ]{0,20}:\s*)?(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+((?:https?://|/)\S*)\s*(.*)$"
)
_VARIABLE = re.compile(r"\{([^{}/]+)\}|<([^<>/]+)>|^:(\w+)$|^\[([^\[\]/]+)\]$")


@dataclass
class Declaration:
    method: str
    path: str  # normalised template: /jobs/{job_id}
    line: int
    qualifier: str = ""  # "from URL" in ".. http:get:: /api/job/add_media (from URL)"
    origin: str = ""  # scheme://host[/prefix] when declared with an absolute URL
    from_example: bool = False
    holder: Section | None = None  # section that holds the declaration (None: page)
    headings: tuple[tuple[str, int], ...] = ()  # (title, line) of the sections from the page's top to ``holder``
    literal: str = ""  # the path as written, when its example IDs became variables
    query: list[str] = field(default_factory=list)  # query parameters its URI template names ({?a,b})


@dataclass
class Scope:
    declarations: list[Declaration]
    section: Section | None  # None: the whole page
    blocks: list[Block] = field(default_factory=list)
    title: str = ""


_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_ACRONYM = re.compile(r"([A-Z]+)([A-Z][a-z])")
_NON_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=8192)  # a provider's names and path segments repeat on every page
def snake(text: str) -> str:
    """camelCase / Title Case / kebab → snake_case (ASCII words only)."""
    text = _CAMEL.sub(r"\1_\2", text)
    text = _ACRONYM.sub(r"\1_\2", text)
    return _NON_WORD.sub("_", text.lower()).strip("_")


def normalise_path(raw: str) -> tuple[str, str]:
    """``https://api.x.com/<accountID>/api/jobs/:guid?x=1`` → (origin, ``/{account_id}/api/jobs/{guid}``).
    Every variable spelling (``{jobId}``, ``<jobID>``, ``:guid``, ``[id]``) becomes ``{snake_case}``."""
    origin = ""
    raw = raw.strip()
    if "{?" in raw or "{&" in raw:  # RFC 6570 "{?fields,page}": the query, not the path
        raw = _QUERY_TEMPLATE.sub("", raw)
    if "://" in raw:
        parts = safe_urlsplit(raw)
        if parts.scheme.lower() in ("http", "https") and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
            raw = parts.path or "/"
        else:  # not an HTTP URL (``ht|tps://``, ``ftp://``): keep only the path after the host
            raw = "/" + raw.split("://", 1)[1].partition("/")[2]
    raw = raw.split("?", 1)[0].split("#", 1)[0]
    segments = []
    for segment in raw.split("/"):
        segments.append(_normalise_segment(segment))
    path = "/".join(segments)
    # whitespace ends a URL in prose (``/api/job/info\nHTTP/1.1``, U+2028 in a pasted URL)
    path = re.split(r"\s", path, maxsplit=1)[0]
    if not path.startswith("/"):
        path = "/" + path
    if len(path) > 1:
        path = path.rstrip("/")
    return origin, path


_QUERY_TEMPLATE = re.compile(r"\{[?&]([^{}]*)\}")


def template_query(raw: str) -> list[str]:
    """The query parameters a URI template names: ``/notes{?fields,page}`` → both."""
    return [name.strip().rstrip("*") for group in _QUERY_TEMPLATE.findall(raw) for name in group.split(",") if name.strip()]


def _normalise_segment(segment: str) -> str:
    def variable(match: re.Match[str]) -> str:
        name = next(g for g in match.groups() if g)
        return "{" + (snake(name) or "param") + "}"

    if segment.startswith(":") and re.fullmatch(r":\w+", segment):
        return "{" + (snake(segment[1:]) or "param") + "}"
    if not any(mark in segment for mark in "({<["):
        return segment  # most segments are plain words
    # httpdomain's (int:id) / (string:slug) / (id), Flask's <int:id>: the name after the converter
    if "(" in segment:
        segment = _CONVERTER_PAREN.sub(r"{\1}", segment)
    if "<" in segment:
        segment = _CONVERTER_ANGLE.sub(r"{\1}", segment)
    return _SEGMENT_VARIABLE.sub(variable, segment)


_CONVERTER_PAREN = re.compile(r"\((?:[A-Za-z]+:)?([A-Za-z_]\w*)\)")
_CONVERTER_ANGLE = re.compile(r"<[A-Za-z]+:([A-Za-z_]\w*)>")
_SEGMENT_VARIABLE = re.compile(r"\{([^{}/]+)\}|<([^<>/]+)>|\[([^\[\]/]+)\]")


def route(path: str) -> str:
    """``/items/{id}`` and ``/items/{item_id}`` are one route: the path with its
    variable names blanked (as OpenAPI compares templated paths)."""
    return _ANY_VARIABLE.sub("{}", path)


_ANY_VARIABLE = re.compile(r"\{[^{}]*\}")


def path_variables(path: str) -> list[str]:
    return re.findall(r"\{([^{}]+)\}", path)


def path_matches(template: str, concrete: str) -> str | None:
    """If ``concrete`` (an example path) ends with ``template`` (variables match any
    segment), return the prefix before it ("" or "/v1"), else None."""
    want = template.strip("/").split("/")
    have = concrete.strip("/").split("/")
    if len(have) < len(want):
        return None
    tail = have[len(have) - len(want):]
    for pattern, value in zip(want, tail):
        if not (pattern == value or re.fullmatch(r"\{[^{}]+\}", pattern) or re.fullmatch(r"\{[^{}]+\}", value)):
            return None
    prefix = have[: len(have) - len(want)]
    return ("/" + "/".join(prefix)) if prefix else ""


def find_declarations(document: Document) -> list[Declaration]:
    found: list[Declaration] = []
    _scan(document.children, (), found)
    if not found:
        _scan_examples(document.children, (), found)
    return found


def _declaration(method: str, target: str, rest: str, line: int, above: tuple[Section, ...]) -> Declaration:
    origin, path = normalise_path(target)
    # "(from URL)" qualifies the declaration; "will return the todo." is prose
    rest = rest.strip()
    qualifier = rest[1 : rest.index(")")].strip() if rest.startswith("(") and ")" in rest else ""
    template = _concrete_ids_to_variables(path)
    return Declaration(
        method.upper(), template, line, qualifier, origin, holder=above[-1] if above else None,
        literal=path if template != path else "", query=template_query(target), headings=_headings(above),
    )


def _headings(above: tuple[Section, ...]) -> tuple[tuple[str, int], ...]:
    return tuple((section.title, section.line) for section in above)


def _scan(blocks: list[Block], above: tuple[Section, ...], out: list[Declaration]) -> None:
    """Declarations in ``blocks``; ``above``: the sections that hold them, from the top."""
    for block in blocks:
        if isinstance(block, Endpoint):
            if block.method in METHODS and block.target.strip():
                target, *rest = block.target.split(None, 1)
                out.append(_declaration(block.method, target, " ".join(rest), block.line, above))
            continue
        if isinstance(block, Section):
            match = _METHOD_PATH.match(block.title.strip())
            if match:
                out.append(_declaration(match.group(1), match.group(2), match.group(3), block.line, above))
            _scan(block.children, (*above, block), out)
            continue
        if isinstance(block, Paragraph) and len(block.text) < 200:
            first_line = block.text.strip().split("\n", 1)[0]
            match = _METHOD_PATH.match(first_line)
            if match and (":" in first_line.split(match.group(1), 1)[0] or first_line.startswith(match.group(1))) and not _is_link(block):
                out.append(_declaration(match.group(1), match.group(2), match.group(3), block.line, above))
            continue
        _scan(children_of(block), above, out)


def _is_link(paragraph: Paragraph) -> bool:
    """A paragraph that is one link ("See also: [POST /statuses/:id/bookmark](...)")
    points at an endpoint documented elsewhere; it declares nothing."""
    text = paragraph.text.strip()
    return any(span.kind in ("link", "ref") and span.text.strip() == text for span in paragraph.spans)


def _scan_examples(blocks: list[Block], above: tuple[Section, ...], out: list[Declaration]) -> None:
    for block in blocks:
        if isinstance(block, Section):
            _scan_examples(block.children, (*above, block), out)
        elif isinstance(block, CodeBlock):
            for message in parse_messages(block.text):
                if not message.method:
                    continue
                origin, path = normalise_path(message.target)
                path = _concrete_ids_to_variables(path)
                if not any(d.method == message.method and route(d.path) == route(path) for d in out):
                    declaration = Declaration(
                        message.method, path, block.first_line + message.line - 1, origin=origin,
                        from_example=True, holder=above[-1] if above else None, headings=_headings(above),
                    )
                    out.append(declaration)
        else:
            _scan_examples(children_of(block), above, out)


_ID_SEGMENT = re.compile(r"^(\d+|[0-9a-fA-F]{16,}|[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})(\.[a-z]{2,5})?$")


def _concrete_ids_to_variables(path: str) -> str:
    """A path written with example IDs (``/clusters/167``, Basecamp's
    ``/projects/1/todos/2.json``) documents ``/clusters/{cluster_id}``,
    ``/projects/{project_id}/todos/{todo_id}.json``: each ID is named after the
    resource before it; a format suffix stays."""
    segments = path.split("/")
    for index, segment in enumerate(segments):
        match = _ID_SEGMENT.match(segment) if index else None
        if match and not (index == 1 and re.fullmatch(r"\d+(\.\d+)*", segment)):
            previous = segments[index - 1].strip("{}") if index > 1 else "resource"
            singular = _singular(snake(previous)) or "resource"
            segments[index] = "{" + singular + "_id}" + (match.group(3) or "")
    return "/".join(segments)


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def scopes(document: Document, declarations: list[Declaration]) -> list[Scope]:
    """Group declarations by holding section; give each group its widest exclusive scope."""
    groups: dict[int, list[Declaration]] = {}
    holders: dict[int, Section | None] = {}
    for declaration in declarations:
        key = id(declaration.holder)
        groups.setdefault(key, []).append(declaration)
        holders[key] = declaration.holder
    parents = _parents(document.children, None, {})
    result = []
    for key, group in groups.items():
        scope_section = holders[key]
        while scope_section is not None:
            parent = parents.get(id(scope_section))
            siblings = parent.children if parent is not None else document.children
            if not _only_group(siblings, key, groups, root=parent is None):
                break
            scope_section = parent
        blocks = scope_section.children if scope_section is not None else document.children
        title = scope_section.title if scope_section is not None else ""
        result.append(Scope(group, scope_section, blocks, title))
    return result


def _parents(blocks: list[Block], parent: Section | None, out: dict[int, Section | None]) -> dict[int, Section | None]:
    for block in blocks:
        if isinstance(block, Section):
            out[id(block)] = parent
            _parents(block.children, block, out)
    return out


def _only_group(blocks: list[Block], key: int, groups: dict[int, list[Declaration]], root: bool) -> bool:
    """True when no other group's declaration sits below ``blocks`` (``root``: the
    page's top level, which also holds the groups declared outside any section)."""
    inside = _holders_below(blocks)
    for other, members in groups.items():
        if other == key:
            continue
        holder = members[0].holder
        if (holder is None and root) or (holder is not None and id(holder) in inside):
            return False
    return True


def _holders_below(blocks: list[Block]) -> set[int]:
    found: set[int] = set()
    for block in blocks:
        if isinstance(block, Section):
            found.add(id(block))
            found |= _holders_below(block.children)
    return found


def own_parts(scope: Scope) -> list[Scope]:
    """A scope whose declarations each have content of their own, split so that each
    endpoint owns what follows it down to the next one: two httpdomain directives
    with their field lists, two endpoints written one after the other in one
    section.  Declarations written back to back (``.. http:get::`` then
    ``.. http:post::``, then the tables) share what follows them; blocks before the
    first declaration are the section's preface, shared by every part."""
    if len(scope.declarations) < 2:
        return [scope]
    ordered = sorted(scope.declarations, key=lambda d: d.line)
    blocks, outer = scope.blocks, []
    while True:  # all in one section of the scope: look inside it
        positions = [_position(blocks, d.line) for d in ordered]
        holder = blocks[positions[0]]
        if len(set(positions)) != 1 or not isinstance(holder, Section):
            break
        outer += blocks[: positions[0]]
        blocks = holder.children
    groups: list[tuple[list[Declaration], int]] = []  # (declarations, position of the first)
    last = -1  # position of the last declaration so far
    for declaration, position in zip(ordered, positions):
        shares = groups and not (position > last + 1 or (position > last and _has_content(blocks[last])))
        if shares:
            groups[-1][0].append(declaration)
        else:
            groups.append(([declaration], position))
        last = position
    if len(groups) < 2:
        return [scope]
    preface = outer + blocks[: groups[0][1]]
    parts = []
    for index, (members, start) in enumerate(groups):
        end = groups[index + 1][1] if index + 1 < len(groups) else len(blocks)
        parts.append(Scope(members, scope.section, preface + blocks[start:end], scope.title))
    return parts


def _position(blocks: list[Block], line: int) -> int:
    """Index of the block that holds ``line`` (the last one starting at or before it)."""
    found = 0
    for index, block in enumerate(blocks):
        if block.line <= line:
            found = index
        else:
            break
    return found


def _has_content(block: Block) -> bool:
    """A declaration that carries its own content (httpdomain's nested fields)."""
    return isinstance(block, Endpoint) and bool(block.children)
