"""Extraction: the neutral documents of one provider → a ``Spec`` + diagnostics.

Pipeline per provider: index every page (labels, titles) for cross-references →
per page, find endpoint declarations and their scopes → collect the facts of each
scope → build one operation per declaration → decide servers, auth and names
across the provider.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from generator.cache import Cache
from generator.document import Diagnostic, Document, Section, source_place
from generator.extract.context import classify
from generator.extract.conventions import BaseUrl, StatedAuth, base_urls, stated_auth
from generator.extract.endpoints import (
    Declaration,
    Scope,
    find_declarations,
    own_parts,
    path_variables,
    route,
    scopes,
    snake,
)
from generator.extract.facts import collect
from generator.extract.http_examples import METHODS
from generator.extract.operation import Draft, build, credential_header
from generator.extract.resolve import Resolver, page_index
from generator.extract.validity import enforce
from generator.naming import path_segment
from generator.pages import Pages
from generator.spec import SecurityScheme, Server, ServerVariable, Spec

_TOKEN_PARAM = re.compile(r"^(api[_-]?token|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|token|key|x-api-key|x-auth-token)$", re.I)
_API_ROOT = re.compile(r"^(api|rest|v\d+(\.\d+)?|api-v\d+)$", re.I)


def extract_provider(
    provider: str,
    documents: Sequence[Document] | Pages,
    title: str = "",
    base_url: str = "",
    cache: Cache | None = None,
    root: Path | None = None,
    include_from: list[Path] | None = None,
    files_read: dict[str, str] | None = None,
) -> tuple[Spec, list[Diagnostic]]:
    """The spec of one provider's pages.  Given ``Pages``, each page is built once
    for its endpoints (and again only where a reference points into it), so memory
    follows the largest page, not the provider.

    With a ``cache`` and pages that carry keys, what a page gives on its own (its
    drafts and diagnostics) is kept per page: a page whose extraction asked nothing
    of the other pages is not built again while its text and the tool are unchanged.
    Pages that consulted the resolver are always extracted again, in order, so the
    named schemas they share come out as without a cache.

    Pages may include files (examples, definitions) from the folders in
    ``include_from`` (default: ``root``); ``files_read`` is filled with each one
    read (path shown → sha256), for caches to check."""
    diagnostics: list[Diagnostic] = []
    pages = Pages.of(documents, page_index)
    resolver = Resolver(pages, root, include_from)
    drafts: list[Draft] = []
    bases: list[tuple[str, BaseUrl | StatedAuth]] = []  # (page, what its conventions state)
    for number in range(len(pages)):
        key = pages.keys[number]  # the page's text, path and the tool's code
        stored = _stored_drafts(cache.get("drafts", key)) if cache is not None and key else None
        if stored is not None:
            found, drafts_here, bases_here = stored
            diagnostics.extend(found)
            drafts.extend(drafts_here)
            bases.extend((pages.paths[number], b) for b in bases_here)
            continue
        document = pages[number]
        found = list(document.diagnostics)
        resolver.consulted = False
        try:
            bases_here = [*base_urls(document), *stated_auth(document)]
            drafts_here = _document_drafts(document, resolver, found)
        except Exception as exc:  # a bug of ours must not lose the other pages
            found.append(
                Diagnostic("error", document.path, 0, f"internal error while extracting this page ({type(exc).__name__}: {exc}); please report it with the page")
            )
            diagnostics.extend(found)
            continue
        if not drafts_here:
            found.append(Diagnostic("note", document.path, 0, "documents no endpoint"))
        if cache is not None and key and not resolver.consulted:
            cache.put("drafts", key, (found, drafts_here, bases_here))  # pickled now, before the provider-wide passes edit the drafts
        diagnostics.extend(found)
        drafts.extend(drafts_here)
        bases.extend((document.path, b) for b in bases_here)
    _literal_paths(drafts)
    prefix = _server_prefix(drafts)
    stated = _stated_servers([(page, b) for page, b in bases if isinstance(b, BaseUrl)], drafts)
    auth = [(page, a) for page, a in bases if isinstance(a, StatedAuth)]
    drafts = _dedupe(drafts, diagnostics)
    spec = Spec(provider=provider, title=title or provider, sources=list(pages.paths))
    spec.operations = [d.operation for d in drafts]
    _unique_names(spec, diagnostics)
    _servers(spec, drafts, prefix, base_url, stated)
    _security(spec, drafts, auth[0] if auth else None)
    spec.schemas = dict(sorted(resolver.schemas.items()))
    enforce(spec, diagnostics)
    diagnostics.extend(resolver.diagnostics)
    diagnostics.extend(resolver.files.diagnostics)
    if files_read is not None:
        files_read.update(resolver.files.read)
    return spec, diagnostics


def _stored_drafts(value: object) -> tuple[list[Diagnostic], list[Draft], list[BaseUrl | StatedAuth]] | None:
    if (
        isinstance(value, tuple)
        and len(value) == 3
        and all(isinstance(v, list) for v in value)
        and all(isinstance(d, Diagnostic) for d in value[0])
        and all(isinstance(d, Draft) for d in value[1])
        and all(isinstance(b, (BaseUrl, StatedAuth)) for b in value[2])
    ):
        return value[0], value[1], value[2]
    return None


def _document_drafts(document: Document, resolver: Resolver, diagnostics: list[Diagnostic]) -> list[Draft]:
    drafts: list[Draft] = []
    declarations = find_declarations(document)
    for scope in scopes(document, declarations):
        for part in own_parts(scope):
            facts = collect(part.blocks, document.path, resolver)
            for declaration in part.declarations:
                name = _operation_name(document, scope, declaration)
                draft = build(declaration, part, facts, resolver, name, document.path)
                draft.declaration = replace(declaration, holder=None)  # the page is not kept
                drafts.append(draft)
            diagnostics.extend(dict.fromkeys(facts.diagnostics))  # after building: it warns too, once per part
    if len(drafts) >= 4:  # two groups of two endpoints at least
        _group_by_headings(drafts)
    return drafts


_ENDPOINT_HEADING = re.compile(r"(^|\s)/\S|^(" + "|".join(METHODS) + r")\b")
_METHOD_FIRST = re.compile(r"^(" + "|".join(METHODS) + r")\s")
_METHOD_PATH_TITLE = re.compile(r"^(" + "|".join(METHODS) + r")\s+/")


def _group_by_headings(drafts: list[Draft]) -> None:
    """A page that groups its endpoints under headings (``## Users`` with three
    endpoints, ``## Orders`` with four) names each endpoint's group: the first level
    below the page's common headings where the endpoints part, when at least two of
    the parts and at least half of them hold two or more endpoints, and the paths
    are about more than one thing.  Pages with a heading per endpoint (the usual
    reference page), headings that are endpoints themselves (``## /users``) and
    pages whose paths all start alike group nothing: their resource is the page's."""
    headings = [draft.declaration.headings for draft in drafts]
    depth = 0
    while True:  # (title, line) names a section of the page
        keys = [chain[depth] if len(chain) > depth else None for chain in headings]
        if all(key is None for key in keys):
            return
        if all(key == keys[0] for key in keys):
            depth += 1
            continue
        break
    sizes = Counter(key for key in keys if key is not None)
    grouped = sum(1 for size in sizes.values() if size >= 2)
    if grouped < 2 or grouped * 2 < len(sizes):
        return
    if len({path_segment(draft.operation.path) for draft in drafts}) < 2:
        return  # the paths are about one thing (versions of one family's methods): one resource
    titles = {key: key[0].strip() for key in sizes}
    if any(not title or _ENDPOINT_HEADING.search(title) for title in titles.values()):
        return
    for draft, key in zip(drafts, keys):
        if key is not None:
            draft.operation.section = titles[key]


def _operation_name(document: Document, scope: Scope, declaration: Declaration) -> str:
    title = scope.title
    if not title and declaration.holder is not None and not classify(declaration.holder.title):
        title = declaration.holder.title  # the section it is declared in (not "Request Syntax"), not the page's first
    if not title or _METHOD_FIRST.match(title):
        title = _page_title(document) or ""
    if _METHOD_PATH_TITLE.match(title) or not snake(title):
        words = [s for s in declaration.path.split("/") if s and not s.startswith("{")]
        title = declaration.method.lower() + " " + " ".join(words[-2:])
    name = _without_filler(title)
    if len(scope.declarations) > 1:
        same_method = [d for d in scope.declarations if d.method == declaration.method]
        suffix = snake(declaration.qualifier) if declaration.qualifier else ""
        if not suffix:
            suffix = declaration.method.lower() if len(same_method) == 1 else snake(declaration.path.split("/")[-1])
        name = f"{name}_{suffix}" if suffix else name
    if name and name[0].isdigit():
        name = "op_" + name
    return name or "operation"


_FILLER = {"a", "an", "the"}


def _without_filler(title: str) -> str:
    """``Get a Widget (deprecated)`` → ``get_widget``: remarks in parentheses and
    articles say nothing a method name needs."""
    bare = re.sub(r"\s*\([^()]*\)", " ", title).strip() or title
    words = [w for w in snake(bare).split("_") if w and w not in _FILLER]
    return "_".join(words) or snake(title)


def _page_title(document: Document) -> str:
    for block in document.children:
        if isinstance(block, Section):
            return block.title
    return ""


def _literal_paths(drafts: list[Draft]) -> None:
    """Example IDs in declared paths became variables (``/todos/2.json`` →
    ``/todos/{todo_id}.json``); where two declarations written with different IDs
    meet in one template (``/things/1``, ``/things/2``, each documented on its own),
    the IDs are the endpoints' own paths, and they stay as written."""
    groups: dict[tuple[str, str], set[str]] = {}
    for draft in drafts:
        declaration = draft.declaration
        if not declaration.from_example:
            key = (draft.operation.method, draft.operation.path)
            groups.setdefault(key, set()).add(declaration.literal or declaration.path)
    for draft in drafts:
        declaration = draft.declaration
        key = (draft.operation.method, draft.operation.path)
        if declaration.literal and not declaration.from_example and len(groups.get(key, ())) > 1:
            draft.operation.path = declaration.literal
            kept = set(path_variables(declaration.literal))
            draft.operation.parameters = [p for p in draft.operation.parameters if p.location != "path" or snake(p.name) in kept]


def _dedupe(drafts: list[Draft], diagnostics: list[Diagnostic]) -> list[Draft]:
    """One method + path documented more than once.

    An example of an endpoint that a page declares (a guide's curl, a README) is
    that endpoint: the declared one is kept.  Two examples of one endpoint are one
    endpoint: the more detailed is kept.  Two *declarations* are two documented
    variants (os-api-ref's many ``POST /servers/{id}/action``, a page documenting an
    endpoint twice): both are kept under their own names, and a warning names both
    places, since the client calls them alike and a reader should check."""
    kept: dict[tuple[str, str], list[Draft]] = {}
    order: list[tuple[str, str]] = []
    for draft in drafts:
        key = (draft.operation.method, route(draft.operation.path))
        if key not in kept:
            kept[key] = [draft]
            order.append(key)
            continue
        group = kept[key]
        declared = [d for d in group if not d.declaration.from_example]
        if draft.declaration.from_example:
            if not declared and _weight(draft) > _weight(group[0]):
                group[0] = draft
            continue
        if not declared:  # the examples so far were of this declaration
            group[:] = [draft]
            continue
        first = declared[0]
        diagnostics.append(
            Diagnostic.at(
                "warning", draft.operation.source,
                f"{draft.operation.method} {draft.operation.path} is also documented at {first.operation.source}; "
                "both are kept as separate operations (an override can rename or remove either)",
            )
        )
        _same_variable_names(draft, first)
        group.append(draft)
    return [d for k in order for d in kept[k]]


def _same_variable_names(draft: Draft, first: Draft) -> None:
    """Two variants of one route name its variables alike (``{id}`` and
    ``{server_id}`` would be two templates of one path)."""
    names = path_variables(first.operation.path)
    mine = path_variables(draft.operation.path)
    renames = {old: new for old, new in zip(mine, names) if old != new}
    if not renames:
        return
    draft.operation.path = first.operation.path
    for param in draft.operation.parameters:
        if param.location == "path" and param.name in renames:
            param.name = renames[param.name]


def _weight(draft: Draft) -> tuple[int, int]:
    return (0 if draft.declaration.from_example else 1, len(draft.operation.parameters) + len(draft.operation.responses))


def _unique_names(spec: Spec, diagnostics: list[Diagnostic]) -> None:
    """Names are unique per provider: a second use takes the path segment that tells
    the two apart (``create_filter_v1`` beside v2's ``create_filter``), else a
    number."""
    seen: dict[str, str] = {}
    paths: dict[str, str] = {}
    for op in spec.operations:
        base, counter = op.name, 2
        if op.name in seen:
            other = paths[op.name].strip("/").split("/")
            telling = [snake(s) for s in op.path.strip("/").split("/") if not s.startswith("{") and s not in other]
            if telling and telling[0] and f"{base}_{telling[0]}" not in seen:
                op.name = f"{base}_{telling[0]}"
        while op.name in seen:
            op.name = f"{base}_{counter}"
            counter += 1
        if op.name != base:
            diagnostics.append(
                Diagnostic.at("warning", op.source, f"operation name '{base}' also used at {seen[base]}; renamed to '{op.name}'")
            )
        seen[op.name] = op.source
        paths[op.name] = op.path


def _server_prefix(drafts: list[Draft]) -> str:
    """The path prefix that belongs in the server URL (``/v1``, ``/{account_id}/api``):
    from declared paths whose examples carry an extra prefix, and from pages that
    give only full URLs.  The most common one wins, and only if every example path
    starts with an instance of it (``/xplenation/api`` for ``/{account_id}/api``),
    but for a few host-less ones: those lose it.  Where full URLs or many paths leave
    the prefix (``/oauth/token`` beside ``/api/v1/...``, ``/api/v2/...``), every path
    keeps its own full path."""
    prefixes: Counter[str] = Counter()
    for draft in drafts:
        if draft.declaration.from_example:
            prefixes[draft.evidence.prefix or _api_root(draft.operation.path)] += 1
        elif draft.evidence.prefix:
            prefixes[draft.evidence.prefix] += 1
    prefix = prefixes.most_common(1)[0][0] if prefixes else ""
    if not prefix or not any(d.evidence.origins for d in drafts):
        return ""  # no host to put it on: paths keep their prefix
    cuts: list[tuple[Draft, str]] = []
    uncut: list[Draft] = []
    for draft in drafts:
        cut = _instance_length(prefix, draft.operation.path)
        if not draft.declaration.from_example:
            if cut and not draft.evidence.prefix:  # declared with the prefix written in
                cuts.append((draft, _below(draft.operation.path, cut)))
            continue
        if cut:
            cuts.append((draft, _below(draft.operation.path, cut)))
        else:
            uncut.append(draft)
    # An example whose URL skips part of the prefix (xplenty's README shows
    # ``/<accountID>/clusters`` for ``/<accountID>/api/clusters``) is taken for the
    # endpoint it names when one is documented; otherwise the prefix is not the
    # server's and nothing moves.
    taken = {(d.operation.method, d.operation.path) for d in drafts if not d.declaration.from_example}
    taken |= {(d.operation.method, path) for d, path in cuts}
    leaving: list[Draft] = []
    for draft in uncut:
        have = draft.operation.path.strip("/").split("/")
        rest = "/" + "/".join(have[_partial_instance_length(prefix, have) :])
        if rest == draft.operation.path or (draft.operation.method, rest) not in taken:
            leaving.append(draft)
        else:
            cuts.append((draft, rest))
    # A full URL outside the prefix, or many paths outside it, say the prefix is not
    # the server's; a few host-less paths outside it (``GET /rate_limit_status`` in a
    # conventions page) are written below the server, as documented paths are.
    if any(d.declaration.origin for d in leaving) or len(leaving) * 10 > len(cuts) + len(leaving):
        return ""
    for draft, path in cuts:
        draft.operation.path = path
        _drop_server_variables(draft, prefix)
    return prefix


def _below(path: str, segments: int) -> str:
    """``path`` without its first ``segments`` segments: what is below a prefix."""
    return "/" + "/".join(path.strip("/").split("/")[segments:])


def _partial_instance_length(prefix: str, have: list[str]) -> int:
    """Leading segments of ``have`` that match the start of the template ``prefix``
    but not all of it (0 = none).  A variable of the prefix matches only a variable
    (``<accountID>``), never a literal segment that may be a resource."""
    want = prefix.strip("/").split("/")
    count = 0
    for pattern, segment in zip(want[:-1], have[:-1]):
        if pattern != segment and not (pattern.startswith("{") and segment.startswith("{")):
            break
        count += 1
    return count


def _instance_length(prefix: str, path: str) -> int:
    """Segments of ``path`` that match the template ``prefix`` (0 = no match)."""
    want = prefix.strip("/").split("/")
    have = path.strip("/").split("/")
    if len(have) <= len(want):
        return 0
    for pattern, segment in zip(want, have):
        if pattern != segment and not pattern.startswith("{"):
            return 0
    return len(want)


def _stated_servers(bases: list[tuple[str, BaseUrl]], drafts: list[Draft]) -> list[Server]:
    """The base URLs the conventions pages state, primary ones first; an operation
    path written with a stated base's path in front (``/api/...`` below
    ``https://discord.com/api``) loses it, as the server now holds it."""
    seen: set[str] = set()
    ordered = sorted(bases, key=lambda item: item[1].secondary)
    servers: list[Server] = []
    for page, base in ordered:
        if base.url in seen:
            continue
        seen.add(base.url)
        server = _server(base.url, f"{page}:{base.line}")
        if base.secondary:
            server.description = "sandbox / test environment, as the docs state"
        servers.append(server)
    if servers:
        prefix = urlsplit(servers[0].url).path.rstrip("/")
        if prefix:
            for draft in drafts:
                cut = _instance_length(prefix, draft.operation.path)
                if cut:
                    draft.operation.path = _below(draft.operation.path, cut)
                    _drop_server_variables(draft, prefix)
    return servers


def _servers(spec: Spec, drafts: list[Draft], prefix: str, base_url: str, stated: list[Server] | None = None) -> None:
    origins: Counter[str] = Counter()
    first_source: dict[str, str] = {}
    for draft in drafts:
        path = source_place(draft.operation.source)[0]
        for origin, line in draft.evidence.origins:
            origin = origin.rstrip("/")
            origins[origin] += 1
            first_source.setdefault(origin, f"{path}:{line}")
    for origin, _ in sorted(origins.items(), key=lambda item: (-item[1], item[0])):
        spec.servers.append(_server(origin + prefix, first_source[origin]))
    if stated:
        urls = {s.url for s in stated}
        spec.servers = list(stated) + [s for s in spec.servers if s.url not in urls]
    if base_url:
        configured = _server(base_url.rstrip("/"), "pyproject.toml")
        spec.servers = [configured] + [s for s in spec.servers if s.url != configured.url]


def _drop_server_variables(draft: Draft, prefix: str) -> None:
    """Path variables that moved into the server URL are server variables now."""
    moved = set(re.findall(r"\{([^{}]+)\}", prefix))
    draft.operation.parameters = [
        p for p in draft.operation.parameters if not (p.location == "path" and snake(p.name) in moved)
    ]


def _api_root(path: str) -> str:
    """``/{account_id}/api/jobs/{job_id}`` → ``/{account_id}/api``: leading variables and
    API-root segments belong to the server when a page gives only full URLs."""
    segments = path.strip("/").split("/")
    count = 0
    while count < len(segments) - 1 and (segments[count].startswith("{") or _API_ROOT.match(segments[count])):
        count += 1
    return "/" + "/".join(segments[:count]) if count else ""


def _server(url: str, source: str) -> Server:
    """Template parts of a documented base URL become server variables:
    ``api.{your-domain.com}`` → ``api.{domain}`` (default ``your-domain.com``)."""
    variables: list[ServerVariable] = []

    def variable(match: re.Match[str]) -> str:
        written = match.group(1)
        words = [w for w in re.findall(r"[A-Za-z0-9]+", snake(written).replace("_", " ")) if w != "your"]
        if len(words) > 1 and words[-1] in ("com", "org", "net", "io", "example"):
            words = words[:-1]
        name = "_".join(words) or "host"
        if name[0].isdigit():
            name = "var_" + name
        default = written if "." in written else ""
        if not any(v.name == name for v in variables):
            variables.append(ServerVariable(name, default, f"the {written} part of the base URL"))
        return "{" + name + "}"

    return Server(url=re.sub(r"\{([^{}]+)\}", variable, url), variables=variables, source=source)


def _security(spec: Spec, drafts: list[Draft], stated: tuple[str, StatedAuth] | None = None) -> None:
    schemes: dict[str, SecurityScheme] = {}
    uses: dict[int, list[str]] = {}
    if stated is not None and not any(_auth_evidence(d) for d in drafts):
        # no example shows a credential: the conventions page's header is every call's
        page, auth = stated
        for draft in drafts:
            if auth.header.lower() == "authorization" and auth.value.lower().startswith("basic"):
                draft.evidence.basic_users.append(("<user>:<password>", 0))
            else:
                credential_header(draft.evidence, auth.header, auth.value, 0, f"Authorization: {auth.value}", stated=True)
        where = f"{page}:{auth.line}"
    else:
        where = ""
    for draft in drafts:
        op = draft.operation
        names: list[str] = []
        for param in list(op.parameters):
            if param.location in ("query", "header", "body") and _TOKEN_PARAM.match(param.name):
                name = snake(param.name)
                schemes.setdefault(
                    name,
                    SecurityScheme(name, "apiKey", location="query" if param.location == "body" else param.location, param=param.name, description=param.description, source=param.source),
                )
                op.parameters.remove(param)
                names.append(name)
        path = source_place(op.source)[0]
        for user, line in draft.evidence.basic_users:
            name, _, password = user.partition(":")
            # only <placeholders> are quoted: a real-looking key in an example stays out of the spec
            shown = name.strip("<>") if name.startswith("<") else "user name"
            description = f"HTTP basic auth: user = your {shown}" + (", password empty" if not password.strip() else ", password = your password")
            schemes.setdefault("basic", SecurityScheme("basic", "basic", description=description, source=f"{path}:{line}" if line else where))
            names.append("basic")
        for header, description, line in draft.evidence.api_key_headers:
            name = snake(header) if header.lower() != "authorization" else "authorization_key"
            schemes.setdefault(
                name,
                SecurityScheme(name, "apiKey", location="header", param=header, description=description or f"API key sent in the {header} header", source=f"{path}:{line}" if line else where),
            )
            names.append(name)
        for description, line in draft.evidence.bearer:
            schemes.setdefault("bearer", SecurityScheme("bearer", "bearer", description=description or "Authorization: Bearer <access token>", source=f"{path}:{line}" if line else where))
            names.append("bearer")
        uses[id(draft)] = list(dict.fromkeys(names))
    spec.security_schemes = sorted(schemes.values(), key=lambda s: s.name)
    counts = Counter(n for names in uses.values() for n in names)
    default = [name for name, _ in counts.most_common()][:1] if counts else []
    spec.security = default
    for draft in drafts:
        names = uses[id(draft)]
        if draft.evidence.unauthenticated or (schemes and not names and _has_token_elsewhere(schemes)):
            draft.operation.security = []
        elif names and names != default:
            draft.operation.security = names


def _auth_evidence(draft: Draft) -> bool:
    """Whether an operation's own docs show a credential."""
    evidence = draft.evidence
    return bool(evidence.basic_users or evidence.bearer or evidence.api_key_headers) or any(
        p.location in ("query", "header", "body") and _TOKEN_PARAM.match(p.name) for p in draft.operation.parameters
    )


def _has_token_elsewhere(schemes: dict[str, SecurityScheme]) -> bool:
    """An operation without the API-key parameter that every other call sends
    (cielo24's login) is unauthenticated; basic/bearer apply to every call."""
    return any(s.kind == "apiKey" for s in schemes.values())
