"""Which model library should generated clients use?  Measure, don't guess.

Run on demand:  ``.venv/bin/python bench/bench_models.py [--n 10000]``

Each contender defines the same typed model for cielo24's ``job_info`` response
(strings, a float, three enums, date-times, two free-form objects) the way a
generated package would, then we measure

* parse: the documented example, ``n`` times, from JSON bytes (what a client gets)
  and from an already-decoded dict;
* import: a fresh interpreter importing the library and defining the models
  (what every user of the generated package pays once), minus bare start-up;
* forward compatibility: the behaviours the generated clients must have
  (unknown field kept, unknown enum value accepted, int where a number is
  documented, documented field missing).

Figures are printed as ratios against the best contender.  msgspec is optional
(``pip install msgspec`` into the venv to include it).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable

EXAMPLE = {
    "JobId": "d4fb871e07514304b23131b45f8caa1f",
    "JobName": "example_job",
    "MediaLengthSeconds": 607.81,
    "ExternalID": "sample_id",
    "Priority": "STANDARD",
    "Fidelity": "MECHANICAL",
    "JobStatus": "Complete",
    "SourceLanguage": "en",
    "TargetLanguage": "en",
    "CreationDate": "2014-08-27T14:00:06.472706",
    "StartDate": "2014-08-27T14:00:06.472706",
    "DueDate": "2014-08-29T14:00:06.472706",
    "CompletedDate": "2014-08-27T14:10:41.923125",
    "ReturnDate": "2014-08-27T14:10:42.885185",
    "AuthorizationDate": "2014-08-27T14:00:06.472706",
    "JobDifficulty": "Unknown",
    "ReturnTargets": {"url": [{"callback_url": "https://sample-url.com/return/"}]},
    "Options": {"option_name": {"label": "option_label", "setting": "option_setting"}},
}

FIELDS = [  # (wire name, python name, kind)
    ("JobId", "job_id", "str"),
    ("JobName", "job_name", "str"),
    ("MediaLengthSeconds", "media_length_seconds", "float"),
    ("ExternalID", "external_id", "str"),
    ("Priority", "priority", "Priority"),
    ("Fidelity", "fidelity", "Fidelity"),
    ("JobStatus", "job_status", "JobStatus"),
    ("SourceLanguage", "source_language", "str"),
    ("TargetLanguage", "target_language", "str"),
    ("CreationDate", "creation_date", "datetime"),
    ("StartDate", "start_date", "datetime"),
    ("DueDate", "due_date", "datetime"),
    ("CompletedDate", "completed_date", "datetime"),
    ("ReturnDate", "return_date", "datetime"),
    ("AuthorizationDate", "authorization_date", "datetime"),
    ("JobDifficulty", "job_difficulty", "str"),
    ("ReturnTargets", "return_targets", "dict[str, Any]"),
    ("Options", "options", "dict[str, Any]"),
]

ENUMS = """
class Priority(OpenEnum):
    PRIORITY = "PRIORITY"
    STANDARD = "STANDARD"


class Fidelity(OpenEnum):
    MECHANICAL = "MECHANICAL"
    PREMIUM = "PREMIUM"
    PROFESSIONAL = "PROFESSIONAL"


class JobStatus(OpenEnum):
    AUTHORIZING = "Authorizing"
    COMPLETE = "Complete"
    IN_PROCESS = "In Process"
    MEDIA_FAILURE = "Media Failure"
    PENDING = "Pending"
    REVIEWING = "Reviewing"
"""

OPEN_ENUM = '''
class OpenEnum(str, enum.Enum):
    """An enum that accepts values the docs did not list (as pseudo-members)."""

    @classmethod
    def _missing_(cls, value):
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member
'''


def _pydantic_source() -> str:
    fields = "\n".join(
        f"    {py}: {kind} | None = Field(default=None, alias={wire!r})"
        for wire, py, kind in FIELDS
    )
    return (
        "import enum\nfrom datetime import datetime\nfrom typing import Any\n"
        "from pydantic import BaseModel, ConfigDict, Field\n"
        + OPEN_ENUM
        + ENUMS
        + "\nclass JobInfo(BaseModel):\n"
        "    model_config = ConfigDict(extra='allow', populate_by_name=True)\n"
        + fields
        + "\n\ndef parse_json(b):\n    return JobInfo.model_validate_json(b)\n"
        "\ndef parse_dict(d):\n    return JobInfo.model_validate(d)\n"
    )


def _msgspec_source() -> str:
    fields = "\n".join(
        f"    {py}: {kind} | None = msgspec.field(default=None, name={wire!r})"
        for wire, py, kind in FIELDS
    )
    # msgspec needs closed enums (no _missing_ hook); unknown values raise.
    enums = ENUMS.replace("OpenEnum", "str, enum.Enum")
    return (
        "import enum\nfrom datetime import datetime\nfrom typing import Any\nimport msgspec\n"
        + enums
        + "\nclass JobInfo(msgspec.Struct, kw_only=True):\n"
        + fields
        + "\n\n_dec = msgspec.json.Decoder(JobInfo)\n"
        "def parse_json(b):\n    return _dec.decode(b)\n"
        "\ndef parse_dict(d):\n    return msgspec.convert(d, JobInfo, strict=False)\n"
    )


def _dataclasses_source() -> str:
    """Stdlib dataclasses plus the small reflective converter a generated
    ``_runtime.py`` would have to carry (no third-party model library)."""
    fields = "\n".join(
        f"    {py}: {kind} | None = field(default=None, metadata={{'wire': {wire!r}}})"
        for wire, py, kind in FIELDS
    )
    converter = """
_PLANS = {}


def _plan(cls):
    plan = _PLANS.get(cls)
    if plan is None:
        hints = typing.get_type_hints(cls)
        plan = []
        for f in fields(cls):
            if f.name == "extra":
                continue
            tp = [a for a in typing.get_args(hints[f.name]) if a is not type(None)][0]
            plan.append((f.metadata["wire"], f.name, _converter(tp)))
        _PLANS[cls] = plan
    return plan


def _converter(tp):
    if tp is datetime:
        return lambda v: datetime.fromisoformat(v) if isinstance(v, str) else v
    if tp is float:
        return lambda v: float(v) if isinstance(v, (int, float)) else v
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    return lambda v: v


def parse_dict(d):
    obj = JobInfo.__new__(JobInfo)
    known = set()
    for wire, name, conv in _plan(JobInfo):
        v = d.get(wire)
        known.add(wire)
        setattr(obj, name, None if v is None else conv(v))
    obj.extra = {k: v for k, v in d.items() if k not in known}
    return obj


def parse_json(b):
    return parse_dict(json.loads(b))
"""
    return (
        "import enum, json, typing\nfrom dataclasses import dataclass, field, fields\n"
        "from datetime import datetime\nfrom typing import Any\n"
        + OPEN_ENUM
        + ENUMS
        + "\n@dataclass\nclass JobInfo:\n"
        + fields
        + "\n    extra: dict[str, Any] = field(default_factory=dict)\n"
        + converter
    )


def _generated_source() -> str:
    """The model docs2client actually generates (pydantic plus the lenient runtime
    ``Model``: unknown fields kept, unparseable values set aside), rendered from the
    cielo24 fixture spec into a temporary folder."""
    import tempfile
    from pathlib import Path

    from generator.render import render_provider, write_tree
    from generator.spec import load_yaml

    fixture = (
        Path(__file__).resolve().parents[1]
        / "tests"
        / "fixtures"
        / "specs"
        / "cielo24.yaml"
    )
    spec = load_yaml(fixture.read_text("utf-8"), str(fixture))
    spec.provider = "bench_cielo24"
    root = Path(tempfile.mkdtemp(prefix="bench-models-"))
    write_tree(root, render_provider(spec, "specs/cielo24.yaml"))
    return (
        f"import sys\nsys.path.insert(0, {str(root)!r})\n"
        "from bench_cielo24_client.models import JobInfo\n"
        "def parse_json(b):\n    return JobInfo.model_validate_json(b)\n"
        "def parse_dict(d):\n    return JobInfo.model_validate(d)\n"
    )


CONTENDERS: dict[str, Callable[[], str]] = {
    "pydantic": _pydantic_source,
    "generated": _generated_source,
    "msgspec": _msgspec_source,
    "dataclasses": _dataclasses_source,
}


def _available(name: str) -> bool:
    if name in ("dataclasses", "generated"):
        return True
    try:
        __import__(name)
    except ImportError:
        return False
    return True


def _load(name: str, code: str) -> dict[str, object]:
    namespace: dict[str, object] = {"__name__": f"bench_{name}"}
    exec(compile(code, f"<{name}>", "exec", dont_inherit=True), namespace)  # noqa: S102
    return namespace


def _time_parse(fn: Callable[[object], object], arg: object, n: int) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(n):
            fn(arg)
        best = min(best, time.perf_counter() - start)
    return best


def _time_import(name: str, code: str, runs: int = 7) -> float:
    script = f"exec(compile({code!r}, '<m>', 'exec'), {{'__name__': 'm'}})"
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", script], check=True)
        times.append(time.perf_counter() - start)
    base = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        base.append(time.perf_counter() - start)
    return max(statistics.median(times) - statistics.median(base), 1e-4)


def _compat(ns: dict[str, object]) -> dict[str, bool]:
    parse = ns["parse_dict"]
    assert callable(parse)

    def ok(data: dict[str, object], check: Callable[[object], bool]) -> bool:
        try:
            return check(parse(data))
        except Exception:  # noqa: BLE001 - any failure means "not supported"
            return False

    def extra(m: object) -> dict[str, object]:
        found = getattr(m, "model_extra", None) or getattr(m, "extra", None)
        return found if isinstance(found, dict) else {}

    return {
        "unknown field kept": ok(
            {**EXAMPLE, "NewField": 1}, lambda m: extra(m).get("NewField") == 1
        ),
        "unknown enum value": ok(
            {**EXAMPLE, "JobStatus": "Archived"},
            lambda m: getattr(m, "job_status").value == "Archived",  # noqa: B009
        ),
        "int for number": ok(
            {**EXAMPLE, "MediaLengthSeconds": 1},
            lambda m: getattr(m, "media_length_seconds") == 1.0,  # noqa: B009
        ),
        "field missing": ok(
            {k: v for k, v in EXAMPLE.items() if k != "JobName"},
            lambda m: getattr(m, "job_name") is None,  # noqa: B009
        ),
    }


def _ratios(values: dict[str, float]) -> dict[str, str]:
    best = min(values.values())
    return {k: f"{v / best:5.2f}x" for k, v in values.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="parses per measurement")
    args = parser.parse_args(argv)
    names = [n for n in CONTENDERS if _available(n)]
    raw = json.dumps(EXAMPLE).encode()
    parse_json: dict[str, float] = {}
    parse_dict: dict[str, float] = {}
    imports: dict[str, float] = {}
    compat: dict[str, dict[str, bool]] = {}
    for name in names:
        code = CONTENDERS[name]()
        ns = _load(name, code)
        pj, pd = ns["parse_json"], ns["parse_dict"]
        assert callable(pj) and callable(pd)
        parse_json[name] = _time_parse(pj, raw, args.n)
        parse_dict[name] = _time_parse(pd, EXAMPLE, args.n)
        imports[name] = _time_import(name, code)
        compat[name] = _compat(ns)

    rows = [
        (f"parse JSON x{args.n}", parse_json),
        (f"parse dict x{args.n}", parse_dict),
        ("import + define", imports),
    ]
    width = max(len(n) for n in names) + 2
    print("ratio against the best contender (1.00x = best); absolute ms in brackets")
    print(" " * 24 + "".join(n.rjust(width + 12) for n in names))
    for label, values in rows:
        ratios = _ratios(values)
        cells = "".join(
            f"{ratios[n]} ({values[n] * 1000:6.1f})".rjust(width + 12) for n in names
        )
        print(label.ljust(24) + cells)
    print()
    print("forward compatibility (the generated clients need all four):")
    for check in next(iter(compat.values())):
        cells = "".join(
            ("yes" if compat[n][check] else "NO").rjust(width + 12) for n in names
        )
        print(textwrap.shorten(check, 24).ljust(24) + cells)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
