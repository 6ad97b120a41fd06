"""Endpoints → resources: which ``client.<resource>`` each operation is on.

One rule for every provider, taken from the docs' own structure:

1. the operation's ``resource`` (set by an override: rename or regroup);
2. else the heading that groups it on its page (``section``, set by the
   extractor when a page groups its endpoints under headings, ``## Users`` and
   ``## Orders`` of one README): the heading;
3. else the page that documents it, when that page documents two or more
   endpoints (a reference page per resource: mastodon ``accounts.md``, discord
   ``channel.mdx``): the page's name;
4. else the first static segment of its path after an ``api``/version prefix
   (``/v2/jobs/{guid}`` → ``jobs``), so docs written one page per endpoint group
   their endpoints by what the paths say;
5. else the page's name, else ``api``.

Every name goes through ``generator.naming``: resources whose names shape alike
are one resource; Python keywords and the client's own attributes are renamed,
and the rename reported.  ``resource_of`` is a pure function of the spec, so the
diff of two specs can say when an endpoint moved (``generator.diff``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from generator import naming
from generator.document import source_place
from generator.naming import path_segment
from generator.spec import Operation, Spec

# Attributes of the generated clients a resource must not shadow.
CLIENT_ATTRIBUTES = frozenset({"aclose", "close", "with_raw_response"})
# Page names that say nothing about what the page documents: their folder's name is used.
GENERIC_PAGES = frozenset({"index", "readme", "api", "reference", "endpoints", "methods", "resources"})
FALLBACK = "api"


@dataclass
class Resource:
    name: str  # attribute of the client and module name under resources/
    origin: str  # raw text: where the grouping came from (a page, a path, an override)
    operations: list[Operation] = field(default_factory=list)


def page_of(op: Operation) -> str:
    """The document an operation came from ('' when an override made it)."""
    source = op.source or ""
    if source.startswith("override:") or not source:
        return ""
    return source_place(source)[0]


def _page_names(pages: list[str]) -> dict[str, str]:
    """Each page's name: its stem, or its folder's name for a generic stem; pages
    whose names clash take their folder's name in front."""

    def stem(page: str) -> str:
        path = PurePosixPath(page)
        name = path.stem
        if name.lower() in GENERIC_PAGES and path.parent.name:
            name = path.parent.name
        return name

    names = {page: stem(page) for page in pages}
    clashes = Counter(naming.snake(n, FALLBACK) for n in names.values())
    for page, name in names.items():
        parent = PurePosixPath(page).parent.name
        if clashes[naming.snake(name, FALLBACK)] > 1 and parent and parent != name:
            names[page] = f"{parent} {name}"
    return names


def raw_resources(spec: Spec) -> dict[str, tuple[str, str]]:
    """Operation name → (resource name before shaping, where it came from)."""
    by_page: dict[str, list[Operation]] = defaultdict(list)
    for op in spec.operations:
        if page_of(op):
            by_page[page_of(op)].append(op)
    page_names = _page_names(sorted(by_page))
    out: dict[str, tuple[str, str]] = {}
    for op in spec.operations:
        page = page_of(op)
        segment = path_segment(op.path)
        if op.resource:
            out[op.name] = (op.resource, "an override")
        elif op.section:
            out[op.name] = (op.section, f'the section "{op.section}" of the page {page}' if page else f'the section "{op.section}"')
        elif page and len(by_page[page]) > 1:
            out[op.name] = (page_names[page], f"the page {page}")
        elif segment:
            out[op.name] = (segment, f"the paths under /{segment}")
        elif page:
            out[op.name] = (page_names[page], f"the page {page}")
        else:
            out[op.name] = (FALLBACK, "endpoints the docs place nowhere else")
    return out


def resource_of(spec: Spec) -> dict[str, str]:
    """Operation name → the client attribute it is on (``client.<resource>``)."""
    return {op: res.name for res in group(spec)[0] for op in (o.name for o in res.operations)}


def group(spec: Spec) -> tuple[list[Resource], list[naming.Rename]]:
    """The resources of ``spec``, sorted by name, each with its operations sorted by
    name; and the renames the naming had to make."""
    scope = naming.Namespace("resource", reserved=CLIENT_ATTRIBUTES)
    shaped: dict[str, str] = {}  # snake name → claimed name
    resources: dict[str, Resource] = {}
    raw = raw_resources(spec)
    for op in sorted(spec.operations, key=lambda o: o.name):
        wanted, origin = raw[op.name]
        snake = naming.snake(wanted, FALLBACK)
        if snake not in shaped:
            shaped[snake] = scope.claim(wanted, snake, op.source)
        name = shaped[snake]
        resources.setdefault(name, Resource(name, origin)).operations.append(op)
    return sorted(resources.values(), key=lambda r: r.name), scope.renames
