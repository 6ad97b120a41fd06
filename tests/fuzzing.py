"""Shared machinery of the fuzz and hostile-document tests (not a test module).

* ``budget``: a wall-clock limit per input, enforced with SIGALRM, so catastrophic
  regex backtracking or a runaway loop fails the test instead of hanging CI;
* ``read_page``/``extract_page``: the readers and the extractor under that budget,
  with every invariant checked (diagnostics only, lines inside the page, no
  swallowed internal error);
* ``assert_spec_sound``: the spec extracted from any page validates against the spec
  JSON Schema, holds plain JSON data only and round-trips through YAML byte for byte;
* ``mutate``: deterministic mutations of real pages, driven by hypothesis-drawn
  ``Mutation`` tuples (so hypothesis can shrink a failing case to a few edits);
* ``EXAMPLES``: ``DOCS2CLIENT_FUZZ_EXAMPLES`` raises every example count (the long
  run, ``bench/fuzz_long.py``); unset, CI runs a small derandomized share.
"""

from __future__ import annotations

import faulthandler
import json
import math
import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple, TypeVar

import yaml
from conftest import CORPUS, SEEDS
from hypothesis import HealthCheck, settings
from openapi_spec_validator import OpenAPIV31SpecValidator
from openapi_spec_validator import validate as validate_openapi

from generator.document import (
    BulletList,
    Cell,
    DefinitionList,
    Diagnostic,
    Document,
    Section,
    Table,
)
from generator.extract import extract_provider
from generator.openapi import to_openapi
from generator.readers import parse_text
from generator.spec import Spec, load_yaml
from generator.spec_yaml import dump_yaml

T = TypeVar("T")

LONG_RUN = int(os.environ.get("DOCS2CLIENT_FUZZ_EXAMPLES", "0") or 0)
SCALE = 4 if LONG_RUN else 1  # size factor of the generated pathological pages
BUDGET = float(os.environ.get("DOCS2CLIENT_FUZZ_BUDGET", "5"))  # seconds per input; 0: none
LEVELS = ("error", "warning", "note")
FORMATS = ("rst", "markdown", "text", None)  # None: sniffed from the path and the text
# Messages with which the readers/extractor report an exception of their own that
# they caught: on fuzzed input that is still a bug, only a contained one.
INTERNAL_ERRORS = (
    "internal error while extracting",
    "markdown reader failed",
    "text reader failed",
    "could not convert the doctree",
    "docutils transforms failed",
)
# Pages larger than this are mutated only in the long run (CI time).
CI_MAX_SEED_BYTES = 64_000


def fuzz_settings(ci_examples: int, **extra: Any) -> settings:
    """Derandomized and database-free in CI (the same examples every run); the long
    run draws ``DOCS2CLIENT_FUZZ_EXAMPLES`` fresh random examples per test."""
    return settings(
        max_examples=LONG_RUN or ci_examples,
        derandomize=not LONG_RUN,
        database=None,
        deadline=None,  # time is enforced per input by ``budget``
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
        **extra,
    )


# ---------------------------------------------------------------- time budget


class Overtime(BaseException):
    """Raised by SIGALRM inside the code under test.  A BaseException, so the
    readers' own ``except Exception`` safety nets cannot swallow it."""


@contextmanager
def budget(seconds: float, what: str) -> Iterator[None]:
    """Not re-entrant: an inner budget would disarm the outer one; give the callee
    its own ``seconds`` instead of nesting."""
    if seconds <= 0:  # no budget: a driver with its own timer (libFuzzer's -timeout)
        yield
        return
    if not hasattr(signal, "setitimer"):  # no SIGALRM: the elapsed-time check below still runs
        start = time.monotonic()
        yield
        assert time.monotonic() - start <= seconds, f"{what}: over the {seconds}s budget"
        return

    def fire(signum: int, frame: Any) -> None:
        raise Overtime

    # SIGALRM handlers run between bytecodes, never inside one C call (a backtracking
    # ``re`` match): past a generous multiple of the budget a watchdog thread dumps
    # every stack and ends the process, so CI fails with a traceback instead of hanging
    faulthandler.dump_traceback_later(seconds * 4 + 30, exit=True)
    previous = signal.signal(signal.SIGALRM, fire)
    # fires again every 0.25 s until disarmed: an Overtime raised where Python cannot
    # propagate it (a gc callback, a ``__del__``) is lost, the next one is not
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.25)
    start = time.monotonic()
    try:
        yield
    except Overtime:
        raise AssertionError(f"{what}: still running after the {seconds}s budget (runaway regex or loop?)") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        faulthandler.cancel_dump_traceback_later()
    elapsed = time.monotonic() - start
    # an Overtime swallowed by a bare ``except:`` must not pass unnoticed
    assert elapsed <= seconds, f"{what}: took {elapsed:.1f}s, over the {seconds}s budget"


def timed(what: str, call: Callable[[], T], seconds: float = BUDGET) -> T:
    with budget(seconds, what):
        return call()


# ---------------------------------------------------------------- invariants


def assert_diagnostics(diagnostics: list[Diagnostic], path: str, last_line: int) -> None:
    for d in diagnostics:
        assert isinstance(d, Diagnostic), d
        assert d.level in LEVELS, str(d)
        assert d.path == path, str(d)
        assert isinstance(d.line, int) and 0 <= d.line <= last_line, f"line outside the page (1..{last_line}): {d}"
        assert isinstance(d.message, str) and d.message.strip(), str(d)
        assert "\n" not in d.message, f"diagnostic spans lines: {d!r}"
        assert not any(marker in d.message for marker in INTERNAL_ERRORS), f"caught internal error: {d}"


def assert_document(document: Document, path: str, last_line: int) -> None:
    assert isinstance(document, Document)
    assert document.path == path
    assert document.format in ("rst", "markdown", "text")
    assert_diagnostics(document.diagnostics, path, last_line)
    for block in document.walk():
        assert isinstance(block.line, int) and 0 <= block.line <= last_line, f"{type(block).__name__} at line {block.line}"
        if isinstance(block, Section):
            assert block.level >= 1
        elif isinstance(block, Table):
            for row in block.header + block.rows:
                assert all(isinstance(cell, Cell) and cell.line >= 0 for cell in row)
        elif isinstance(block, BulletList):
            assert all(item.line >= 0 for item in block.items)
        elif isinstance(block, DefinitionList):
            assert all(isinstance(item.term, str) for item in block.items)


def last_line(text: str) -> int:
    """The highest line number a diagnostic may name (one past the end is allowed:
    "the file ends here")."""
    return text.count("\n") + text.count("\r") + 2


def read_page(text: str, path: str, fmt: str | None, seconds: float = BUDGET) -> Document:
    document = timed(f"reading {path} as {fmt or 'sniffed'}", lambda: parse_text(text, path, fmt), seconds)
    assert_document(document, path, last_line(text))
    return document


def extract_page(text: str, path: str, fmt: str | None, seconds: float = BUDGET) -> tuple[Spec, list[Diagnostic]]:
    """Read, extract and check one page; ``seconds`` is the budget of each step."""
    document = read_page(text, path, fmt, seconds)
    spec, diagnostics = timed(f"extracting {path}", lambda: extract_provider("fuzzed", [document]), seconds)
    assert_diagnostics(diagnostics, path, last_line(text))
    assert_spec_sound(spec, seconds)
    return spec, diagnostics


PLAIN = (dict, list, str, int, float, bool, type(None))


def assert_plain(data: Any) -> None:
    """Only JSON-shaped plain data: no tagged object, no set, no date, no NaN."""
    stack = [data]
    while stack:
        node = stack.pop()
        assert type(node) in PLAIN, f"{type(node).__name__} in a spec: {node!r}"[:300]
        if isinstance(node, float):
            assert math.isfinite(node), f"non-finite number in a spec: {node!r}"
        elif isinstance(node, dict):
            assert all(type(k) is str for k in node), f"non-string key in {list(node)[:5]!r}"
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def assert_spec_sound(spec: Spec, seconds: float = BUDGET) -> str:
    """A spec from any page: no tag in its YAML, plain JSON data only, valid against
    the spec JSON Schema (``load_yaml`` validates), dump → load → dump gives the
    same bytes, and its OpenAPI export is valid OpenAPI 3.1.  Returns the YAML text."""
    document = timed("exporting OpenAPI", lambda: to_openapi(spec), seconds)
    timed("validating the OpenAPI export", lambda: validate_openapi(document, cls=OpenAPIV31SpecValidator), seconds * 4)
    text = timed("dumping the spec", lambda: dump_yaml(spec), seconds)
    assert no_tags(text), "the spec YAML carries a tag"
    data = timed("safe-loading the spec", lambda: yaml.load(text, Loader=FAST_SAFE_LOADER), seconds)
    assert_plain(data)
    json.dumps(data, allow_nan=False)
    again = timed("loading the spec", lambda: load_yaml(text, "fuzzed spec"), seconds)
    assert dump_yaml(again) == text, "spec does not round-trip through YAML byte for byte"
    return text


FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same tokens, 10x faster


def no_tags(text: str) -> bool:
    """The YAML text carries no tag (``!!python/…``, ``!!binary``, ``!custom``): text
    such as ``!!python/object`` can only be inside a scalar."""
    return not any(isinstance(token, yaml.TagToken) for token in yaml.scan(text, Loader=FAST_SAFE_LOADER))


# ---------------------------------------------------------------- seed pages


def seed_pages(corpus: bool = True) -> list[tuple[str, str]]:
    """(name, text) of every real page: seeds/ always, the shared corpus when it is
    beside the repo (and ``corpus``).  CI takes the pages up to ``CI_MAX_SEED_BYTES``."""
    roots = [SEEDS] + ([CORPUS] if corpus and CORPUS.is_dir() else [])
    pages = []
    for root in roots:
        for file in sorted(root.rglob("*")):
            if file.suffix not in (".rst", ".md", ".txt", ".mdx", ".inc") or not file.is_file():
                continue
            if not LONG_RUN and file.stat().st_size > CI_MAX_SEED_BYTES:
                continue
            pages.append((f"{root.name}/{file.relative_to(root).as_posix()}", file.read_text("utf-8")))
    return pages


# ---------------------------------------------------------------- mutations


class Mutation(NamedTuple):
    op: str
    where: int  # position seed (line or character index modulo the text)
    arg: int  # size / choice seed


ODD_TEXT = [
    "\x00", "\u202e", "\u200f", "\u200b", "\ufeff", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029",
    "\U0001f600", "\u0301", "\t", "\r", "\r\n", "\\", "\ufffd", "\U0010ffff", "\u0130", "ß", "\x7f", "\x1b[31m",
]
MARKUP_TOKENS = [
    "{", "}", "[", "]", "<", ">", "|", "+", "=", "-", "*", "_", "`", "``", "**", ":", "::", "..", "#", "\"",
    "'", "://", "?", "&", "%", "@", "\\", "{{", "}}", "{%", "%}", "</script>", "<!--", "-->", "<br>",
]
SNIPPETS = [
    "GET /{1st-id}/x HTTP/1.1\nHost: {9lives.example.com}\n",
    "curl -X POST 'ftp://h/x/{a}' -d 'a=1' -u k:",
    "curl -X PROPFIND 'https://h/x'",
    "curl 'https://{9x}.api.com/v1/<9id>/y?a=1&=2&b' -H 'Authorization: Bearer x' -d '{\"\": 1}'",
    ".. http:post:: https://[your host]/a/:b/<c d>?x#y (from URL)",
    ".. http:get::\n   /x\n\n   :query int n: count",
    "### DELETE https://a.b/{}/<>/[]/:",
    "Request: PUT //x//y",
    "HTTP/1.1 999 Weird\nContent-Type: application/json\n\n{\"a\": [1, {\"b\": -1e999}]}",
    "HTTP/1.1 200 OK\n\n" + "[" * 300 + "]" * 300,
    "```json\n{\"a\": NaN, \"b\": Infinity, \"c\": 1e400, \"d\": -0, \"__proto__\": null, \"\": 1, \"1\": 2}\n```",
    ".. code-block:: json\n\n   {\"x\": 12345678901234567890123456789, 'y': .5, z: +1, // c\n   }",
    "| Name | Type | Description |\n|---|---|---|\n| api_key | string | key |\n| 9x | int | Possible values are: a, b |\n| id | | id of the thing |",
    "| Name | Example | Default |\n|---|---|---|\n| n | " + "9" * 5000 + " | " + "9" * 400 + ".5 |",
    "+---+---+\n| a | b |\n+===+\n| c | d |",
    "+-----+\n| a |\n+--+--+",
    "* **status** - one of the following values:\n  * a\n  * b\n    * c",
    "    \"id\": <jobID>,\n    \"x\": \"<String\n",
    "{\"a\": \"<Foo Enum>\", \"b\": [\"<Bar Enum>\"], \"<k>\": 1}",
    ":statuscode 200: ok\n:statuscode 9999: x\n:reqheader Authorization: oauth token\n:query int 2: x",
    "Status Codes\n------------\n\n:statuscode 200: ok\n:statuscode 000: x",
    ".. _label:\n\nSee :ref:`label` and :ref:`missing <nowhere>` and :doc:`x`.",
    ".. include:: /etc/passwd\n.. literalinclude:: /etc/passwd\n.. raw:: html\n   :file: /etc/passwd",
    "{{ 7*7 }} {% for x in range(10**9) %}x{% endfor %} !!python/object/apply:os.system [\"echo pwned\"]",
    "&a [*a, *a] *a !!binary AAAA !!set {a} !!timestamp 2001-12-14",
]


def _line_mutation(lines: list[str], m: Mutation) -> list[str]:
    i = m.where % len(lines)
    j = m.arg % len(lines)
    op = m.op
    if op == "delete_line":
        del lines[i]
    elif op == "duplicate_line":
        lines.insert(j, lines[i])
    elif op == "swap_lines":
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "indent_line":
        lines[i] = " " * (1 + m.arg % 8) + lines[i]
    elif op == "dedent_line":
        lines[i] = lines[i].lstrip()
    elif op == "long_line":
        lines[i] += ("x" if m.arg % 2 else "ab ") * (5_000 + m.arg % 50_000)
    elif op == "deep_list":
        marker = ["- ", "* ", "1. ", "• "][m.arg % 4]
        step = 2 + m.arg % 3
        lines[i:i] = [" " * (step * d) + marker + f"item {d}" for d in range(300)]
    elif op == "deep_quote":
        lines[i:i] = [">" * (1 + d) + " quoted" for d in range(0, 300, 3)]
    elif op == "giant_cell":
        cell = "w" * (2_000 + m.arg % 100_000)
        lines[i:i] = ["| name | " + cell + " |", "|---|---|", "| a | b | c | d |", "| e |"]
    elif op == "swap_borders":
        table = str.maketrans({"+": "|", "|": "+", "-": "=", "=": "-"})
        lines[i] = lines[i].translate(table)
    elif op == "unbalance_json":
        line = lines[i]
        k = next((n for n in range(len(line)) if line[n] in "{}[]\""), -1)
        lines[i] = line[:k] + line[k + 1:] if k >= 0 else line + "{[" * (1 + m.arg % 5)
    elif op == "snippet":
        lines[i:i] = SNIPPETS[m.arg % len(SNIPPETS)].split("\n")
    elif op == "underline":
        lines.insert(i + 1, "=-~^*#+"[m.arg % 7] * max(1, len(lines[i]) + m.arg % 5 - 2))
    return lines or [""]


LINE_OPS = (
    "delete_line", "duplicate_line", "swap_lines", "indent_line", "dedent_line", "long_line",
    "deep_list", "deep_quote", "giant_cell", "swap_borders", "unbalance_json", "snippet", "underline",
)
CHAR_OPS = ("truncate", "odd_text", "markup", "nul_run", "line_endings")
OPS = LINE_OPS + CHAR_OPS


def mutate(text: str, mutations: list[Mutation]) -> str:
    for m in mutations:
        if m.op in LINE_OPS:
            text = "\n".join(_line_mutation(text.split("\n"), m))
            continue
        at = m.where % (len(text) + 1)
        if m.op == "truncate":
            text = text[:at]
        elif m.op == "odd_text":
            text = text[:at] + ODD_TEXT[m.arg % len(ODD_TEXT)] * (1 + m.arg % 7) + text[at:]
        elif m.op == "markup":
            text = text[:at] + MARKUP_TOKENS[m.arg % len(MARKUP_TOKENS)] + text[at:]
        elif m.op == "nul_run":
            text = text[:at] + "\x00" * (1 + m.arg % 64) + text[at:]
        elif m.op == "line_endings":
            text = text.replace("\n", ["\r\n", "\r", "\u2028", "\n\n"][m.arg % 4])
    return text


# ---------------------------------------------------------------- generated pages

# Lines in the shapes the readers look for, for hypothesis to combine freely.
FRAGMENTS = [
    "Title", "=====", "-----", "~~~~~", "# Heading", "## GET /jobs/{id}", "### Request", "Response:",
    "**Query String Parameters** - Required", "Parameters:", "", "", "", "    indented", "\tTabbed\tcells\there",
    "| Name | Type | Description |", "|------|------|-------------|", "| --- | :-: |", "| job_id | string | The job |",
    "+------+------+", "| a    | b    |", "+======+======+", "+------+", "```", "```json", "~~~", ".. code-block:: json",
    ".. http:get:: /api/job/info", ".. http:post:: /v1/x/<id>", "   :query job_id: the job", ":param str name: who",
    ":statuscode 200: ok", ".. note::", ".. _label:", ".. [1] footnote", "- item", "* item", "  - nested", "1. first",
    "• bullet", "term", "   definition", "GET /api/v1/jobs?x=1 HTTP/1.1", "Host: api.example.com",
    "Content-Type: application/json", "Authorization: Bearer <token>", "HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found",
    "curl -X POST https://api.example.com/v1/jobs -d 'a=1' -u key:", "curl -H 'Accept: application/json' \\",
    '{', '}', '[', ']', '  "id": 1,', '  "name": "<String>",', '  "state": "<JobStatus Enum>"', '  "x": [1, 2, ...]',
    "  ...", '{"a": {"b": [', "]}}", "See :ref:`job-info` for details.", "<table><tr><td>x</td></tr></table>",
    "<!-- comment", "-->", "---", "key: value", "> quoted", ">> quoted twice", "Returns the job.", "200 OK",
]
