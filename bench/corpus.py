"""Synthetic documentation corpus for the benchmark: N endpoint pages, deterministic.

Every page is a variation of a real page shape from ``seeds/`` and ``../shared/corpus``,
one synthetic provider per shape:

``cielo``        RST, Sphinx ``.. http:get::`` directive, pivoted ``Name | Details`` grid
                 tables (rows spanning ``Description`` / ``Allowed Values`` / ``Example``),
                 a ``Responses`` grid table with a code block in a cell, ``sourcecode:: http``
                 request and response examples (cielo24 ``job_info.rst``).
``cloudfoundry`` RST, ``GET /v2/apps/:guid`` as a heading, a five-column ``Fields`` grid
                 table with bullet lists in cells, literal blocks for route, cURL, status
                 and body (Cloud Foundry ``retrieve-job.rst``).
``xplenty``      Markdown, ``###`` sections, a bullet list of response fields, a pipe
                 table of input parameters, a ``curl`` block with ``<accountID>`` in the
                 URL, a JSON response block (xplenty ``sections/*.md``).
``textking``     pasted wiki text: ``Request: GET /project/{projectId}``, pipe tables
                 without a leading pipe, a one-line raw HTTP request, a JSON body (TextKing).

Each provider also gets one guide page that documents no endpoint.  ``generate``
returns, for every endpoint, the method and path the extractor is expected to find
(path variables in ``{snake_case}``, server prefixes removed), so a test can check the
corpus is understood before anything is timed.  Same ``n`` and ``seed`` → same bytes.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

SHAPES = ("cielo", "cloudfoundry", "xplenty", "textking")

RESOURCES = [
    "job",
    "account",
    "cluster",
    "schedule",
    "package",
    "invoice",
    "customer",
    "project",
    "document",
    "media",
    "caption",
    "user",
    "team",
    "webhook",
    "report",
    "dataset",
    "pipeline",
    "connection",
    "secret",
    "order",
    "payment",
    "refund",
    "subscription",
    "plan",
    "product",
    "coupon",
    "shipment",
    "ticket",
    "comment",
    "attachment",
    "label",
    "milestone",
    "release",
    "build",
    "artifact",
    "deployment",
    "environment",
    "region",
    "volume",
    "snapshot",
    "image",
    "network",
    "firewall",
    "domain",
    "record",
    "certificate",
    "bucket",
    "queue",
    "topic",
    "message",
    "notification",
    "template",
    "campaign",
    "contact",
    "segment",
    "workspace",
    "folder",
    "note",
    "task",
    "workflow",
    "alert",
    "metric",
    "quota",
]

FIELD_WORDS = [
    "name",
    "title",
    "description",
    "status",
    "state",
    "priority",
    "language",
    "region",
    "zone",
    "type",
    "kind",
    "owner",
    "email",
    "phone",
    "country",
    "city",
    "currency",
    "amount",
    "price",
    "total",
    "balance",
    "size",
    "duration",
    "progress",
    "score",
    "rating",
    "version",
    "checksum",
    "format",
    "locale",
    "timezone",
    "label",
    "color",
    "source",
    "target",
    "reason",
    "comment",
    "note",
    "category",
    "channel",
    "provider",
    "plan",
    "tier",
    "mode",
    "level",
]

STATES = [
    "pending",
    "running",
    "completed",
    "failed",
    "stopped",
    "queued",
    "active",
    "archived",
    "draft",
    "delivered",
    "canceled",
    "expired",
    "approved",
    "rejected",
]

ACTIONS_CIELO = [
    "info",
    "list",
    "new",
    "delete",
    "update",
    "authorize",
    "archive",
    "export",
    "restore",
    "fetch",
    "perform_sync",
    "add",
    "get",
    "remove",
    "set",
]


@dataclass(frozen=True)
class Endpoint:
    provider: str
    file: str  # path relative to the corpus root
    method: str
    path: str  # as the extractor should report it


@dataclass
class Corpus:
    root: Path
    n: int
    seed: int
    providers: dict[str, list[str]] = field(default_factory=dict)  # provider → pages (relative)
    endpoints: list[Endpoint] = field(default_factory=list)

    def pages(self, suffixes: tuple[str, ...] = (".rst", ".md", ".txt")) -> list[Path]:
        return [self.root / p for pages in self.providers.values() for p in pages if p.endswith(suffixes)]

    def save(self) -> Path:
        """``corpus.json`` beside the pages, so a measuring subprocess can ``load`` it."""
        target = self.root / "corpus.json"
        data = {
            "n": self.n,
            "seed": self.seed,
            "providers": self.providers,
            "endpoints": [[e.provider, e.file, e.method, e.path] for e in self.endpoints],
        }
        target.write_text(json.dumps(data, indent=1), "utf-8")
        return target

    @classmethod
    def load(cls, root: Path) -> Corpus:
        data = json.loads((root / "corpus.json").read_text("utf-8"))
        return cls(
            root=root,
            n=data["n"],
            seed=data["seed"],
            providers=data["providers"],
            endpoints=[Endpoint(*e) for e in data["endpoints"]],
        )

    def write_pyproject(self) -> Path:
        """A ``[tool.docs2client]`` project over the corpus, for ``docs2client build``."""
        lines = ["[tool.docs2client]", 'specs = "specs"', 'generated = "generated"', ""]
        for provider in self.providers:
            lines += [
                f"[tool.docs2client.providers.{provider}]",
                f'title = "Synthetic {provider} API"',
                f'docs = ["docs/{provider}"]',
                "",
            ]
        target = self.root / "pyproject.toml"
        target.write_text("\n".join(lines), "utf-8")
        return target

    def change_one_page(self, round_: int = 1) -> Path:
        """Edit one endpoint page as a docs author would: a new sentence in its
        description.  Returns the page changed."""
        page = self.root / self.endpoints[len(self.endpoints) // 2].file
        lines = page.read_text("utf-8").split("\n")
        # the first prose line after the title block
        for index, line in enumerate(lines[3:], start=3):
            if line and line[0].isalpha() and not line.startswith(("Request", "GET", "POST")):
                lines[index] = line + f" Revised in edit {round_}."
                break
        page.write_text("\n".join(lines), "utf-8")
        return page


def generate(root: Path, n: int, seed: int = 0, shapes: tuple[str, ...] = SHAPES) -> Corpus:
    """Write ``n`` endpoint pages under ``root/docs/<provider>/`` (providers = shapes,
    endpoints dealt round-robin) and return what the extractor should find."""
    rng = random.Random(f"docs2client-bench:{seed}:{n}")
    corpus = Corpus(root=root, n=n, seed=seed)
    counts = {shape: n // len(shapes) + (1 if i < n % len(shapes) else 0) for i, shape in enumerate(shapes)}
    for shape in shapes:
        provider = f"synth_{shape}"
        folder = root / "docs" / provider
        folder.mkdir(parents=True, exist_ok=True)
        writer = _WRITERS[shape]
        pages: list[str] = []
        guide = folder / ("overview" + _SUFFIX[shape])
        guide.write_text(_guide(shape, rng), "utf-8")
        pages.append(guide.relative_to(root).as_posix())
        for index, plan in enumerate(_plans(shape, counts[shape], rng)):
            text = writer(plan, rng)
            page = folder / f"{index:05d}_{plan.slug}{_SUFFIX[shape]}"
            page.write_text(text, "utf-8")
            relative = page.relative_to(root).as_posix()
            pages.append(relative)
            corpus.endpoints.append(Endpoint(provider, relative, plan.method, plan.expected_path))
        corpus.providers[provider] = pages
    return corpus


# ---------------------------------------------------------------- endpoint plans


@dataclass
class _Plan:
    method: str
    title: str
    slug: str
    resource: str
    sub: str | None
    expected_path: str
    written_path: str  # as the page spells it
    variables: list[str]  # path variables as the page spells them
    collection: bool  # returns a list


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def _camel(word: str) -> str:
    return word[:1].upper() + word[1:]


def _title(*words: str) -> str:
    return " ".join(w.replace("_", " ").title() for w in words if w)


def _unique(rng: random.Random, count: int, make) -> list[_Plan]:
    plans: list[_Plan] = []
    seen: set[tuple[str, str]] = set()
    titles: set[str] = set()
    attempts = 0
    while len(plans) < count:
        attempts += 1
        if attempts > count * 200:
            raise ValueError(f"vocabulary too small for {count} distinct endpoints")
        plan = make(rng)
        key = (plan.method, plan.expected_path)
        if key in seen or plan.title in titles:
            continue
        seen.add(key)
        titles.add(plan.title)
        plans.append(plan)
    return plans


def _plans(shape: str, count: int, rng: random.Random) -> list[_Plan]:
    return _unique(rng, count, _PLANNERS[shape])


def _plan_cielo(rng: random.Random) -> _Plan:
    resource = rng.choice(RESOURCES)
    action = rng.choice(ACTIONS_CIELO)
    sub = rng.choice(RESOURCES) if action in ("add", "get", "remove", "set", "fetch", "export") else None
    if sub == resource:
        sub = None
    segment = f"{action}_{sub}" if sub else action
    method = "POST" if action in ("update", "set", "add", "remove") and rng.random() < 0.6 else "GET"
    path = f"/api/{resource}/{segment}"
    return _Plan(
        method, _title(resource, segment), f"{resource}_{segment}", resource, sub, path, path, [], action == "list"
    )


def _plan_rest(rng: random.Random, var_style: str) -> _Plan:
    """Resource-style paths: /clusters, /clusters/<clusterID>, /clusters/<clusterID>/notes[/<noteID>]."""
    resource = rng.choice(RESOURCES)
    sub = rng.choice(RESOURCES) if rng.random() < 0.55 else None
    if sub == resource:
        sub = None
    item = rng.random() < 0.5
    method = rng.choice(("GET", "GET", "GET", "POST", "PUT", "DELETE"))
    if not item and method in ("PUT", "DELETE"):
        item = True

    def var(word: str) -> tuple[str, str]:
        name = f"{word}_id"
        spelled = {
            "angle": f"<{word}ID>",
            "brace_camel": "{" + word + "Id}",
            "colon": ":guid" if word == resource else f":{word}_guid",
        }[var_style]
        expected = {"angle": name, "brace_camel": name, "colon": "guid" if word == resource else f"{word}_guid"}[
            var_style
        ]
        return spelled, expected

    spelled_parts, expected_parts, variables = [], [], []
    if var_style == "brace_camel":  # TextKing: /project/{projectId}/job/{jobId}
        names = [resource] + ([sub] if sub else [])
        for position, word in enumerate(names):
            spelled_parts.append(word)
            expected_parts.append(word)
            if position < len(names) - 1 or item:
                s, e = var(word)
                spelled_parts.append(s)
                expected_parts.append("{" + e + "}")
                variables.append(s)
    else:
        prefix = ["v2"] if var_style == "colon" else []
        spelled_parts += prefix + [_plural(resource)]
        expected_parts += prefix + [_plural(resource)]
        if sub or item:
            s, e = var(resource)
            spelled_parts.append(s)
            expected_parts.append("{" + e + "}")
            variables.append(s)
        if sub:
            spelled_parts.append(_plural(sub))
            expected_parts.append(_plural(sub))
            if item:
                s, e = var(sub)
                spelled_parts.append(s)
                expected_parts.append("{" + e + "}")
                variables.append(s)
    leaf = sub or resource
    collection = not item and method == "GET"
    verb = {"GET": "List" if collection else "Get", "POST": "Create", "PUT": "Update", "DELETE": "Delete"}[method]
    if sub:
        title = f"{verb} {_title(leaf) if item or method == 'POST' else _title(_plural(leaf))} of {_title(resource)}"
        if not item and method == "PUT":
            title += " Collection"
    else:
        title = f"{verb} {_title(_plural(leaf)) if collection else _title(leaf)}"
        if method == "GET" and item:
            title += " Information"
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return _Plan(
        method,
        title,
        slug,
        resource,
        sub,
        "/" + "/".join(expected_parts),
        "/" + "/".join(spelled_parts),
        variables,
        collection,
    )


_PLANNERS = {
    "cielo": _plan_cielo,
    "cloudfoundry": lambda rng: _plan_rest(rng, "colon"),
    "xplenty": lambda rng: _plan_rest(rng, "angle"),
    "textking": lambda rng: _plan_rest(rng, "brace_camel"),
}
_SUFFIX = {"cielo": ".rst", "cloudfoundry": ".rst", "xplenty": ".md", "textking": ".txt"}


# ---------------------------------------------------------------- realistic values


def _hex(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def _uuid(rng: random.Random) -> str:
    h = _hex(rng)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _date(rng: random.Random, style: str) -> str:
    day = f"20{rng.randint(12, 24):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    clock = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    return {
        "micro": f"{day}T{clock}.{rng.randint(0, 999999):06d}",
        "z": f"{day}T{clock}Z",
        "offset": f"{day}T{clock}-07:00",
    }[style]


def _field_name(word: str, case: str) -> str:
    if case == "pascal":
        return "".join(part.title() for part in word.split("_"))
    return word


def _fields(rng: random.Random, resource: str, case: str, date_style: str, depth: int = 0) -> dict:
    """A JSON object such a resource might return: ids, names, enums, counts, dates,
    flags, nulls, a nested object and a list of objects."""
    out: dict = {}
    out[_field_name("id", case) if case != "pascal" else f"{_camel(resource)}Id"] = (
        _hex(rng) if case == "pascal" else _uuid(rng) if date_style == "offset" else rng.randint(1, 99999)
    )
    words = rng.sample(FIELD_WORDS, rng.randint(4, 12 if depth == 0 else 5))
    for word in words:
        roll = rng.random()
        if word in ("status", "state", "priority", "kind", "type", "mode", "level", "tier"):
            value: object = rng.choice(STATES)
        elif word in ("amount", "price", "total", "balance", "score", "rating", "progress"):
            value = round(rng.uniform(0, 1000), 2)
        elif word in ("size", "duration", "version"):
            value = rng.randint(0, 10**6)
        elif roll < 0.08:
            value = None
        else:
            value = f"example_{word}_{rng.randint(1, 999)}"
        out[_field_name(word, case)] = value
    for stamp in rng.sample(("created_at", "updated_at", "started_at", "completed_at", "due_date"), rng.randint(1, 3)):
        out[_field_name(stamp, case)] = _date(rng, date_style)
    if rng.random() < 0.5:
        out[_field_name(f"is_{rng.choice(('active', 'public', 'locked', 'default'))}", case)] = rng.random() < 0.5
    out[_field_name(f"{rng.choice(FIELD_WORDS)}_count", case)] = rng.randint(0, 500)
    if depth == 0 and rng.random() < 0.7:
        nested = rng.choice(RESOURCES)
        out[_field_name(nested, case)] = _fields(rng, nested, case, date_style, depth + 1)
    if depth == 0 and rng.random() < 0.6:
        child = rng.choice(RESOURCES)
        out[_field_name(_plural(child), case)] = [
            {
                _field_name("rel", case): rng.choice(("self", "parent", "next")),
                _field_name("href", case): f"https://api.example.com/{_plural(child)}/{rng.randint(1, 999)}",
            }
            for _ in range(rng.randint(1, 3))
        ]
    if case != "pascal":
        out["url"] = f"https://api.example.com/{_plural(resource)}/{rng.randint(1, 9999)}"
    return out


def _example(rng: random.Random, plan: _Plan, case: str, date_style: str) -> object:
    leaf = plan.sub or plan.resource
    body = _fields(rng, leaf, case, date_style)
    return [body, _fields(rng, leaf, case, date_style)] if plan.collection else body


def _params(rng: random.Random, plan: _Plan, count: tuple[int, int]) -> list[tuple[str, str, str, bool]]:
    """(name, description, example value, required) for query/body parameters."""
    words = rng.sample(FIELD_WORDS, rng.randint(*count))
    out = []
    for word in words:
        if word in ("status", "state", "priority", "type", "mode"):
            example = rng.choice(STATES)
            description = f"Only {_plural(plan.resource)} in this {word}"
        elif word in ("size", "duration", "version", "amount", "price", "total"):
            example = str(rng.randint(1, 500))
            description = f"The {word} of the {plan.resource}"
        else:
            example = f"example_{word}"
            description = f"The {word} to set on the {plan.resource}"
        out.append((word, description, example, rng.random() < 0.3))
    return out


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else line for line in text.split("\n"))


# ---------------------------------------------------------------- grid tables (RST)


def _grid(widths: list[int], header: list[list[str]], rows: list[list[list[str]]]) -> str:
    """A plain grid table: every cell a list of lines."""

    def rule(char: str) -> str:
        return "+" + "+".join(char * (w + 2) for w in widths) + "+"

    def lines_of(cells: list[list[str]]) -> list[str]:
        height = max(len(c) for c in cells)
        return [
            "| " + " | ".join((c[i] if i < len(c) else "").ljust(w) for c, w in zip(cells, widths)) + " |"
            for i in range(height)
        ]

    out = [rule("-")] + lines_of(header) + [rule("=")]
    for row in rows:
        out += lines_of(row) + [rule("-")]
    return "\n".join(out)


def _pivoted(head: tuple[str, str], rows: list[tuple[str, list[tuple[str, list[str]]]]]) -> str:
    """cielo24's ``Name | Details`` table: the name cell spans one sub-row per detail."""
    w1 = max([len(head[0])] + [len(name) for name, _ in rows]) + 1
    w2 = max(len(f"`{key}`") for _, details in rows for key, _ in details) + 1
    w3 = max([40] + [len(line) for _, details in rows for _, value in details for line in value]) + 1
    full = w2 + w3 + 3
    out = [
        "+" + "-" * (w1 + 2) + "+" + "-" * (full + 2) + "+",
        f"| {head[0].ljust(w1)} | {head[1].ljust(full)} |",
        "+" + "=" * (w1 + 2) + "+" + "=" * (w2 + 2) + "+" + "=" * (w3 + 2) + "+",
    ]
    for name, details in rows:
        for index, (key, value) in enumerate(details):
            for line_no, line in enumerate(value):
                left = name if index == 0 and line_no == 0 else ""
                shown_key = f"`{key}`" if line_no == 0 else ""
                out.append(f"| {left.ljust(w1)} | {shown_key.ljust(w2)} | {line.ljust(w3)} |")
            if index < len(details) - 1:
                out.append("|" + " " * (w1 + 2) + "+" + "-" * (w2 + 2) + "+" + "-" * (w3 + 2) + "+")
        out.append("+" + "-" * (w1 + 2) + "+" + "-" * (w2 + 2) + "+" + "-" * (w3 + 2) + "+")
    return "\n".join(out)


# ---------------------------------------------------------------- page writers


def _cielo(plan: _Plan, rng: random.Random) -> str:
    method = plan.method.lower()
    required = [
        ("v", "The version of the API to use", "1", "``v=1``"),
        ("api_token", "The API token used for this session", "Hex String", f"``api_token={_hex(rng)}``"),
    ]
    if plan.resource and rng.random() < 0.8:
        required.append(
            (
                f"{plan.resource}_id",
                f"The ID of the {plan.resource}",
                "Hex String",
                f"``{plan.resource}_id={_hex(rng)}``",
            )
        )
    optional = [
        (name, description, "String" if not example.isdigit() else "Integer", f"``{name}={example}``")
        for name, description, example, _ in _params(rng, plan, (0, 6))
    ]
    where = "Request Body" if plan.method == "POST" else "Query String Parameters"

    def table(params: list[tuple[str, str, str, str]]) -> str:
        rows = []
        for name, description, allowed, example in params:
            details = [("Description", [description]), ("Allowed Values", [allowed])]
            if rng.random() < 0.3:
                details.append(("Default Value", ["None"]))
            details.append(("Example", [example]))
            rows.append((name, details))
        return _pivoted(("Name", "Details"), rows)

    example = _example(rng, plan, "pascal", "micro")
    body = json.dumps(example, indent=4)
    inline = rng.random() < 0.4
    success = [".. code-block:: javascript", ""]
    if inline:
        success += [
            "  " + line
            for line in json.dumps(example if not isinstance(example, list) else example[0], indent=2).split("\n")
        ]
    else:
        success += [
            f" JSON formatted {plan.resource} details.",
            "",
            ".. container::",
            "",
            f"   See :ref:`{plan.resource}-format-label` for details.",
        ]
    error = [
        ".. code-block:: javascript",
        "",
        " {",
        '   "ErrorType": "ERROR_TYPE_ENUM",',
        '   "ErrorComment": "Description of error details."',
        " }",
    ]
    responses = _pivoted(
        ("HTTP Code", "Details"),
        [
            ("200", [("Description", ["Success"]), ("Contents", success)]),
            ("400", [("Description", ["An error occurred"]), ("Contents", error)]),
        ],
    )
    query = "&".join(f"{name}={e.strip('`').split('=', 1)[1]}" for name, _, _, e in required[:1] + required[2:])
    parts = [
        plan.title,
        "=" * len(plan.title),
        "",
        f"{rng.choice(('Get', 'Return', 'Change', 'Look up'))} {plan.title.lower()} for an existing {plan.resource}.",
        "",
        "**HTTP Method**",
        "",
        f".. http:{method}:: {plan.written_path}",
        "",
        f"**{where}** - Required",
        "",
        table(required),
        "",
    ]
    if optional:
        parts += [f"**{where}** - Optional", "", table(optional), ""]
    parts += [
        "**Responses**",
        "",
        responses,
        "",
        "**Example Requests**",
        "",
        ".. sourcecode:: http",
        "",
        f"    {plan.method} {plan.written_path}?{query} HTTP/1.1",
        "    Host: api.cielo-synth.com",
        "",
        "**Example Response**",
        "",
        ".. sourcecode:: http",
        "",
        "    HTTP/1.1 200 OK",
        "    Content-Type: application/json",
        "",
        _indent(body, "    "),
        "",
    ]
    return "\n".join(parts)


def _cloudfoundry(plan: _Plan, rng: random.Random) -> str:
    example = _example(rng, plan, "snake", "offset")
    record = example[0] if isinstance(example, list) else example
    envelope = {
        "metadata": {
            "guid": _uuid(rng),
            "created_at": _date(rng, "offset"),
            "url": re.sub(r":\w+", lambda m: _uuid(rng), plan.written_path),
        },
        "entity": record,
    }
    if isinstance(example, list):
        envelope = {
            "total_results": len(example),
            "total_pages": 1,
            "prev_url": None,
            "next_url": None,
            "resources": [envelope],
        }
    rows = []
    for name, value in list(record.items())[:10]:
        valid = [f"- {s}" for s in rng.sample(STATES, 3)] if isinstance(value, str) and value in STATES else [""]
        rows.append([[name], [f"The {name.replace('_', ' ')} of the {plan.sub or plan.resource}."], [""], valid, [""]])
    widths = [max([6] + [len(r[0][0]) for r in rows]), max([11] + [len(r[1][0]) for r in rows]), 7, 12, 14]
    table = _grid(widths, [["Name"], ["Description"], ["Default"], ["Valid Values"], ["Example Values"]], rows)
    concrete = re.sub(r":(\w+)", lambda m: _uuid(rng), plan.written_path)
    status = {"POST": "201 Created", "DELETE": "204 No Content"}.get(plan.method, "200 OK")
    section = plan.title
    parts = [
        "",
        section,
        "-" * len(section),
        "",
        "",
        f"{plan.method} {plan.written_path}",
        "~" * len(f"{plan.method} {plan.written_path}"),
        "",
        f"This endpoint {plan.title.lower()} for the given guid.",
        "",
        "Fields",
        "~~~~~~",
        "",
        ".. cssclass:: fields table-striped table-bordered table-condensed",
        "",
        "",
        table,
        "",
        "",
        "Request",
        "~~~~~~~",
        "",
        "",
        *_literal_section("Headers", ["Host: example.org", f"Authorization: bearer {_hex(rng)[:24]}"]),
        *_literal_section("Route", [f"{plan.method} {concrete}"]),
        *_literal_section(
            "cURL",
            [f'curl "https://api.[your-domain.com]{concrete}" -X {plan.method} \\', '\t-H "Host: example.org"'],
        ),
        "Response",
        "~~~~~~~~",
        "",
        "",
        *_literal_section(
            "Headers", ["Content-Type: application/json;charset=utf-8", f"X-VCAP-Request-ID: {_uuid(rng)}"]
        ),
        *_literal_section("Status", [status]),
    ]
    if plan.method != "DELETE":
        parts += ["Body", "^^^^", "", "::", "", _indent(json.dumps(envelope, indent=2), "  "), ""]
    return "\n".join(parts)


def _literal_section(title: str, lines: list[str]) -> list[str]:
    """A ``^``-underlined RST subsection holding one literal block, as the Cloud
    Foundry pages write them."""
    return [title, "^" * len(title), "", "::", "", *(f"  {line}" for line in lines), "", ""]


def _xplenty(plan: _Plan, rng: random.Random) -> str:
    example = _example(rng, plan, "snake", "z")
    record = example[0] if isinstance(example, list) else example
    bullets = [f"* **{name}** - the {name.replace('_', ' ')} of the {plan.sub or plan.resource}" for name in record]
    url = f"https://api.xplenty-synth.com/<accountID>/api{plan.written_path}"
    params = _params(rng, plan, (0, 5)) if plan.method in ("GET", "POST", "PUT") else []
    parts = [
        f"## {plan.title}",
        "",
        "### Description",
        f"This call {plan.title.lower()}. Use it to monitor your {_plural(plan.resource)}.",
        "",
        "The details returned are:",
        "",
        *bullets,
        "",
    ]
    curl = f'curl -X {plan.method} -H "Accept: application/vnd.xplenty+json" -u <APIkey>: "{url}'
    if params and plan.method == "GET":
        curl += "?" + "&".join(f"{name}=<{name}>" for name, *_ in params) + '"'
    elif params:
        curl += '" \\\n' + " \\\n".join(f'\t-d "{plan.resource}[{name}]={example}"' for name, _, example, _ in params)
    else:
        curl += '"'
    parts += ["### Input Parameters"]
    if params:
        parts += ["|Name|Required?|Default|Description|", "|----|---------|-------|-----------|"]
        for name, description, _, required in params:
            shown = name if plan.method == "GET" else f"{plan.resource}[{name}]"
            parts.append(f"{shown}|{'Y' if required else 'N'}| |{description}|")
    else:
        parts.append(f"The **{plan.resource} resource ID** must be supplied at the end of the request URL.")
    status = {"POST": "201 Created"}.get(plan.method, "200 OK")
    parts += [
        "",
        "### Request (Curl Call) Syntax",
        "```shell",
        curl,
        "```",
        "",
        "### Response Example",
        "```HTTP",
        f"HTTP/1.1 {status}",
        "```",
        "",
        "```json",
        json.dumps(example, indent=4),
        "```",
        "",
    ]
    return "\n".join(parts)


def _textking(plan: _Plan, rng: random.Random) -> str:
    example = _example(rng, plan, "snake", "z")
    concrete = plan.written_path
    for variable in plan.variables:
        concrete = concrete.replace(variable, _uuid(rng))
    states = rng.sample(STATES, rng.randint(3, 6))
    status_line = {"POST": "201 Created", "DELETE": "204 No Content"}.get(plan.method, "200 Ok")
    parts = [
        "- ",
        "                Notifications",
        "    You must be signed in to change notification settings ",
        "- Fork 0",
        plan.title.replace(" Information", "").replace("Get ", f"{plan.method} "),
        f"        Someone Editor edited this page {rng.choice(('Dec', 'Jan', 'Mar'))} {rng.randint(1, 28)}, 2013 ",
        "        ·",
        f"        {rng.randint(1, 12)} revisions",
        "      ",
        f"    Request: {plan.method} {plan.written_path}",
        f"{plan.title} for a specific {plan.resource}.",
        f"A {plan.sub or plan.resource} can be in one of the following states.",
        "| Name | Description | ",
        "|---|---|",
    ]
    parts += [f"| {state} | The {plan.sub or plan.resource} is {state}. | " for state in states]
    parts += [
        "| Header | Description | ",
        "|---|---|",
        "| Authorization | oAuth 2 authentication header | ",
        "| Accept | application/jsonorapplication/xml | ",
        "| HTTP status | Description | ",
        "|---|---|",
        f"| {status_line} | Successful request. | ",
        "| 400 Bad Request | One of the IDs is not a valid UUID. | ",
        f"| 404 Not Found | The {plan.resource} with the given ID does not exist. | ",
        f"Load the {plan.sub or plan.resource}:",
        (
            f"{plan.method} /v1{concrete} HTTP/1.1 Host: api.textking-synth.com Accept: application/json "
            "Authorization: Bearer youraccesstoken"
        ),
        "Response:",
        f"HTTP/1.1 {status_line}",
        "Content-Type: application/json; charset=utf-8",
    ]
    if plan.method != "DELETE":
        parts.append(json.dumps(example, indent=4))
    return "\n".join(parts) + "\n"


_WRITERS = {"cielo": _cielo, "cloudfoundry": _cloudfoundry, "xplenty": _xplenty, "textking": _textking}


def _guide(shape: str, rng: random.Random) -> str:
    """A page that documents no endpoint (basics, terms, workflow guides)."""
    prose = (
        "All requests use HTTPS. Responses are JSON unless stated otherwise. "
        "Dates are ISO 8601 in UTC. Errors carry a type and a human-readable comment."
    )
    if shape in ("cielo", "cloudfoundry"):
        return f"API Basics\n==========\n\n{prose}\n\nConventions\n-----------\n\n- one\n- two\n"
    if shape == "xplenty":
        return f"## Typical Workflow\n\n{prose}\n\n1. Create a cluster\n2. Run a job\n"
    return f"API Basics\nEdited this page Dec 13, 2013\n{prose}\n"
