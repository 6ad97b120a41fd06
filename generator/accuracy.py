"""Extraction accuracy: a spec scored against hand-labelled truth.

A truth file (format: ``tests/accuracy/README.md``) lists, per documentation page,
every endpoint a careful reader finds there, and for a sample of them what the
reader found about it: parameters, required flags, success statuses, top-level
response fields, enum values.  ``score`` pairs the spec's operations with those
endpoints and counts what matches; ``Score`` turns the counts into the figures the
accuracy report prints.  Items the labeller marked as doubtful are left out of both
sides, and a figure with nothing to count is ``None`` ("n/a"), never a free 1.0.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from generator.document import source_place
from generator.extract.endpoints import route
from generator.extract.http_examples import METHODS
from generator.spec import Operation, Schema, Spec

LOCATIONS = ("path", "query", "header", "body")


class TruthError(Exception):
    """A truth file that does not follow the documented format."""


@dataclass
class Endpoint:
    """One endpoint as the labeller read it."""

    file: str
    method: str
    path: str
    line: int = 0
    name: str = ""
    labelled: bool = False
    params: list[tuple[str, str, bool]] = field(default_factory=list)  # (in, name, required)
    status: list[int] | None = None
    fields: list[str] | None = None
    enums: dict[str, list[Any]] = field(default_factory=dict)
    doubt: set[str] = field(default_factory=set)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    @property
    def key(self) -> tuple[str, str]:
        return self.method, normal_path(self.path)


@dataclass
class Truth:
    family: str
    root: str  # "corpus" | "seeds"
    docs: list[str]
    files: list[str]
    endpoints: list[Endpoint]
    origin: str = ""


def load_truth(path: Path) -> Truth:
    """Read and check one truth file; every mistake is a ``TruthError`` naming it."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TruthError(f"{path}: error: cannot read truth: {exc}") from None
    origin = str(path)

    def need(condition: bool, message: str) -> None:
        if not condition:
            raise TruthError(f"{origin}: error: {message}")

    need(isinstance(data, dict), "a truth file is a mapping")
    for key in ("family", "root", "docs", "files"):
        need(key in data, f"missing key {key!r}")
    need(data["root"] in ("corpus", "seeds"), "root must be 'corpus' or 'seeds'")
    need(isinstance(data["docs"], list) and all(isinstance(d, str) for d in data["docs"]), "docs must be a list of paths")
    need(isinstance(data["files"], list), "files must be a list")
    files: list[str] = []
    endpoints: list[Endpoint] = []
    for entry in data["files"]:
        need(isinstance(entry, dict) and isinstance(entry.get("file"), str), f"each files entry needs file: {entry!r}")
        name = entry["file"]
        need(name not in files, f"{name} listed twice")
        files.append(name)
        listed = entry.get("endpoints") or []
        need(isinstance(listed, list), f"{name}: endpoints must be a list")
        for item in listed:
            endpoints.append(_endpoint(name, item, need))
    return Truth(str(data["family"]), data["root"], list(data["docs"]), files, endpoints, origin)


def _endpoint(file: str, item: Any, need: Any) -> Endpoint:
    need(isinstance(item, dict), f"{file}: an endpoint is a mapping: {item!r}")
    method = str(item.get("method", "")).upper()
    path = item.get("path")
    need(method in METHODS, f"{file}: unknown method {item.get('method')!r}")
    need(isinstance(path, str) and path.startswith("/"), f"{file}: path must start with '/': {path!r}")
    endpoint = Endpoint(file, method, path, int(item.get("line") or 0), str(item.get("name") or ""))
    endpoint.labelled = bool(item.get("labelled", False))
    endpoint.doubt = {str(d) for d in item.get("doubt") or []}
    for param in item.get("params") or []:
        need(isinstance(param, dict) and "name" in param and param.get("in") in LOCATIONS, f"{endpoint.where}: bad param {param!r}")
        endpoint.params.append((param["in"], str(param["name"]), bool(param.get("required", False))))
    if "status" in item:
        endpoint.status = [int(s) for s in item.get("status") or []]
    if "fields" in item:
        endpoint.fields = [str(f) for f in item.get("fields") or []]
    enums = item.get("enums") or {}
    need(isinstance(enums, dict), f"{endpoint.where}: enums must be a mapping")
    endpoint.enums = {str(k): list(v or []) for k, v in enums.items()}
    return endpoint


def normal_path(path: str) -> str:
    """Paths compared with every variable name blanked and no trailing slash."""
    path = route(path.split("?", 1)[0])
    return path.rstrip("/") or "/"


# ----------------------------------------------------------------------------- counting


@dataclass
class Counts:
    """What one family (or all of them) scored; figures come from these."""

    endpoints: int = 0  # labelled endpoints (listed ones)
    matched: int = 0
    operations: int = 0  # operations the spec holds
    extras: int = 0
    param_tp: int = 0
    param_fp: int = 0
    param_fn: int = 0
    required_right: int = 0
    required_total: int = 0
    field_tp: int = 0
    field_fp: int = 0
    field_fn: int = 0
    enum_tp: int = 0
    enum_fp: int = 0
    enum_fn: int = 0
    status_right: int = 0
    status_total: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> dict[str, float | None]:
        return {
            "endpoint_recall": _ratio(self.matched, self.endpoints),
            "endpoint_precision": _ratio(self.operations - self.extras, self.operations),
            "param_f1": _f1(self.param_tp, self.param_fp, self.param_fn),
            "required_accuracy": _ratio(self.required_right, self.required_total),
            "field_f1": _f1(self.field_tp, self.field_fp, self.field_fn),
            "enum_f1": _f1(self.enum_tp, self.enum_fp, self.enum_fn),
            "status_accuracy": _ratio(self.status_right, self.status_total),
        }


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _f1(tp: int, fp: int, fn: int) -> float | None:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None


@dataclass
class Finding:
    """One miss or extra, for ``--details``."""

    kind: str  # missed-endpoint | extra-operation | missed-param | extra-param | wrong-required | ...
    where: str  # file:line
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.kind}: {self.what}"


@dataclass
class Score:
    family: str
    counts: Counts
    findings: list[Finding]


def score(spec: Spec, truth: Truth) -> Score:
    """Pair the spec's operations with the truth's endpoints (same method and path,
    then the same page, then the nearest line) and count what agrees."""
    counts = Counts(endpoints=len(truth.endpoints), operations=len(spec.operations))
    findings: list[Finding] = []
    prefix = _server_path(spec)
    by_key: dict[tuple[str, str], list[Operation]] = defaultdict(list)
    for op in spec.operations:
        by_key[(op.method, normal_path(prefix + op.path))].append(op)
    wanted: dict[tuple[str, str], list[Endpoint]] = defaultdict(list)
    for endpoint in truth.endpoints:
        wanted[endpoint.key].append(endpoint)
    for key in sorted(set(by_key) | set(wanted)):
        pairs, missed, extra = _pair(wanted.get(key, []), by_key.get(key, []))
        counts.matched += len(pairs)
        counts.extras += len(extra)
        for endpoint in missed:
            findings.append(Finding("missed-endpoint", endpoint.where, f"{endpoint.method} {endpoint.path}"))
        for op in extra:
            findings.append(Finding("extra-operation", op.source or "?", f"{op.method} {prefix}{op.path} ({op.name})"))
        for endpoint, op in pairs:
            if endpoint.labelled:
                _score_endpoint(endpoint, op, spec, counts, findings)
    return Score(truth.family, counts, findings)


def _server_path(spec: Spec) -> str:
    """The path part of the spec's first server (``/{account_id}/api``): operation
    paths are below it."""
    if not spec.servers:
        return ""
    url = spec.servers[0].url
    path = urlsplit(url).path if "://" in url else url
    return path.rstrip("/")


def _pair(
    endpoints: list[Endpoint], ops: list[Operation]
) -> tuple[list[tuple[Endpoint, Operation]], list[Endpoint], list[Operation]]:
    """Greedy pairing: same file first, nearest line."""
    places = [source_place(op.source) for op in ops]
    candidates = sorted(
        (0 if places[j][0] == endpoint.file else 1, abs(places[j][1] - endpoint.line), i, j)
        for i, endpoint in enumerate(endpoints)
        for j in range(len(ops))
    )
    used_e: set[int] = set()
    used_o: set[int] = set()
    pairs: list[tuple[Endpoint, Operation]] = []
    for _, _, i, j in candidates:
        if i in used_e or j in used_o:
            continue
        used_e.add(i)
        used_o.add(j)
        pairs.append((endpoints[i], ops[j]))
    missed = [e for i, e in enumerate(endpoints) if i not in used_e]
    extra = [o for j, o in enumerate(ops) if j not in used_o]
    return pairs, missed, extra


def _param_key(location: str, name: str, path: str) -> tuple[str, str]:
    """Path variables are compared by position (their names are the path's, and
    paths are matched with names blanked); headers case-blind."""
    if location == "path":
        names = [n.strip() for n in re.findall(r"\{([^{}]*)\}", path)]
        if name in names:
            return "path", f"#{names.index(name)}"
    if location == "header":
        return "header", name.lower()
    return location, name


def _brackets(name: str) -> list[str]:
    """``cluster[task][nodes]`` → [cluster, task, nodes]."""
    return [part for part in re.split(r"[\[\]]+", name) if part]


def _wire_to_documented(key: tuple[str, str], documented: dict[tuple[str, str], Any]) -> tuple[str, str]:
    """A body field sent as ``cluster[nodes]`` is the documented ``nodes``: the wire
    name ends with the documented one (the one documented name that it ends with)."""
    location, name = key
    if location != "body" or key in documented:
        return key
    wire = _brackets(name)
    ends = [k for k in documented if k[0] == "body" and 0 < len(_brackets(k[1])) < len(wire) and wire[-len(_brackets(k[1])):] == _brackets(k[1])]
    return ends[0] if len(ends) == 1 else key


def _score_endpoint(endpoint: Endpoint, op: Operation, spec: Spec, counts: Counts, findings: list[Finding]) -> None:
    where = endpoint.where
    doubt = endpoint.doubt
    auth_params = {(s.location, s.param.lower() if s.location == "header" else s.param) for s in spec.security_schemes if s.kind == "apiKey"}

    truth_params = {
        _param_key(loc, name, endpoint.path): (name, required)
        for loc, name, required in endpoint.params
        if f"param:{loc}/{name}" not in doubt
    }
    doubted = {_param_key(d.split(":", 1)[1].split("/", 1)[0], d.split("/", 1)[1], endpoint.path) for d in doubt if d.startswith("param:") and "/" in d}
    full_path = _server_path(spec) + op.path
    got_params = {
        _param_key(p.location, p.name, full_path): (p.name, p.required)
        for p in op.parameters
    }
    got_params = {_wire_to_documented(k, truth_params): v for k, v in got_params.items()}
    got_params = {k: v for k, v in got_params.items() if k not in doubted and k not in auth_params}
    for key, (name, required) in truth_params.items():
        if key in got_params:
            counts.param_tp += 1
            if f"required:{key[0]}/{name}" in doubt:
                continue
            counts.required_total += 1
            if got_params[key][1] == required:
                counts.required_right += 1
            else:
                findings.append(Finding("wrong-required", where, f"{key[0]} {name}: required is {required}, spec says {got_params[key][1]}"))
        else:
            counts.param_fn += 1
            findings.append(Finding("missed-param", where, f"{key[0]} {name}"))
    for key, (name, _) in got_params.items():
        if key not in truth_params:
            counts.param_fp += 1
            findings.append(Finding("extra-param", op.source, f"{key[0]} {name} on {endpoint.method} {endpoint.path}"))

    if endpoint.status is not None and "status" not in doubt:
        counts.status_total += 1
        statuses = sorted(int(r.status) for r in op.responses if r.status.isdigit() and r.is_success)
        if statuses == sorted(set(endpoint.status)):
            counts.status_right += 1
        else:
            findings.append(Finding("wrong-status", where, f"{endpoint.method} {endpoint.path}: documented {sorted(set(endpoint.status))}, spec says {statuses}"))

    response_fields = _response_fields(op, spec)
    if endpoint.fields is not None and "fields" not in doubt:
        want = set(endpoint.fields)
        got = set(response_fields)
        counts.field_tp += len(want & got)
        counts.field_fp += len(got - want)
        counts.field_fn += len(want - got)
        if want - got:
            findings.append(Finding("missed-fields", where, ", ".join(sorted(want - got))))
        if got - want:
            findings.append(Finding("extra-fields", op.source, ", ".join(sorted(got - want))))

    want_enums = {
        (name, _enum_value(v)) for name, values in endpoint.enums.items() if f"enum:{name}" not in doubt for v in values
    }
    got_enums: set[tuple[str, Any]] = set()
    documented_names = {key: name for key, (name, _) in truth_params.items()}
    documented_names |= {(loc, name): name for loc, name, _ in endpoint.params}
    for param in op.parameters:
        key = _wire_to_documented(_param_key(param.location, param.name, full_path), documented_names)
        name = documented_names.get(key, param.name)
        for value in _enum_of(param.schema, spec):
            got_enums.add((name, _enum_value(value)))
    for name, schema in response_fields.items():
        for value in _enum_of(schema, spec):
            got_enums.add((name, _enum_value(value)))
    # a labelled name may constrain a nested field (``entity.status``): found at any
    # depth, while unlabelled nested enums are not counted against the spec
    for name, schema in _nested_fields(op, spec, set(endpoint.enums) - set(response_fields)):
        for value in _enum_of(schema, spec):
            got_enums.add((name, _enum_value(value)))
    got_enums = {(n, v) for n, v in got_enums if f"enum:{n}" not in doubt}
    counts.enum_tp += len(want_enums & got_enums)
    counts.enum_fp += len(got_enums - want_enums)
    counts.enum_fn += len(want_enums - got_enums)
    for name, value in sorted(want_enums - got_enums, key=repr):
        findings.append(Finding("missed-enum", where, f"{name} = {value!r}"))
    for name, value in sorted(got_enums - want_enums, key=repr):
        findings.append(Finding("extra-enum", op.source, f"{name} = {value!r}"))


def _enum_value(value: Any) -> Any:
    """Values keep their type; 1 and 1.0 are one value, a string stays a string."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (list, dict)):
        return repr(value)
    return value


def _resolve(schema: Schema | None, spec: Spec, depth: int = 0) -> Schema | None:
    while schema is not None and schema.ref and depth < 20:
        schema = spec.schemas.get(schema.ref)
        depth += 1
    return schema


def _enum_of(schema: Schema, spec: Spec) -> list[Any]:
    resolved = _resolve(schema, spec)
    if resolved is None:
        return []
    if resolved.type == "array" and resolved.items is not None:
        resolved = _resolve(resolved.items, spec) or resolved
    return list(resolved.enum)


def _response_fields(op: Operation, spec: Spec) -> dict[str, Schema]:
    """Top-level properties of the success responses (an array: its elements')."""
    found: dict[str, Schema] = {}
    for response in op.responses:
        if not response.is_success:
            continue
        schema = _resolve(response.schema, spec)
        if schema is not None and schema.type == "array" and schema.items is not None:
            schema = _resolve(schema.items, spec)
        if schema is not None:
            for name, prop in schema.properties.items():
                found.setdefault(name, prop)
    return found


def _nested_fields(op: Operation, spec: Spec, names: set[str]) -> list[tuple[str, Schema]]:
    found: list[tuple[str, Schema]] = []
    seen: set[int] = set()

    def visit(schema: Schema | None, depth: int) -> None:
        schema = _resolve(schema, spec)
        if schema is None or depth > 8 or id(schema) in seen:
            return
        seen.add(id(schema))
        for name, prop in schema.properties.items():
            if name in names:
                found.append((name, prop))
            visit(prop, depth + 1)
        visit(schema.items, depth + 1)

    if names:
        for response in op.responses:
            if response.is_success:
                visit(response.schema, 0)
    return found


def total(scores: Iterable[Score]) -> Counts:
    counts = Counts()
    for item in scores:
        counts.add(item.counts)
    return counts


def truth_root(truth: Truth, repo: Path) -> Path:
    """Where the truth's page paths start: the shared corpus beside the checkout,
    or this repository's seeds."""
    return repo / "seeds" if truth.root == "seeds" else repo.parent / "shared" / "corpus"


def extract_family(truth: Truth, root: Path) -> tuple[Spec, list[Any]]:
    """Extract the family as a user would: one provider pointed at its docs, paths
    shown relative to the truth's root so operations name the labelled files."""
    from generator.pipeline import extract

    provider = re.sub(r"[^a-z0-9_]", "_", truth.family.lower())
    extraction = extract(provider, [root / d for d in truth.docs], root=root, workers=1)
    return extraction.spec, extraction.diagnostics
