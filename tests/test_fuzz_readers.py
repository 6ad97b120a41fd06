"""Property and fuzz tests over the readers and the extractor.

For any input — real pages mutated (truncated, lines dropped or repeated, table
borders swapped, NUL/odd Unicode/RTL marks, 300-deep lists, giant cells, unbalanced
JSON), hypothesis-built pages, raw bytes in odd encodings — the readers and the
extractor must

* raise nothing (``read_document`` only ``UnreadableDocument`` with a one-line
  diagnostic): every problem is a diagnostic with a known level, the given path and a
  line inside the page; no reader/extractor safety net may have caught an exception;
* finish within a per-input wall-clock budget (SIGALRM; no catastrophic backtracking);
* produce a spec that validates against the spec JSON Schema, holds plain JSON data
  and round-trips through YAML byte for byte.

CI runs a fixed, derandomized share (well under a minute).  The long run raises every
count: ``DOCS2CLIENT_FUZZ_EXAMPLES=2000 .venv/bin/pytest tests/test_fuzz_readers.py``,
or ``bench/fuzz_long.py``.
"""

from __future__ import annotations

import codecs
import json
import random
from pathlib import Path

import pytest
from fuzzing import (
    BUDGET,
    FORMATS,
    FRAGMENTS,
    LONG_RUN,
    MARKUP_TOKENS,
    ODD_TEXT,
    OPS,
    SCALE,
    Mutation,
    assert_diagnostics,
    assert_document,
    assert_spec_sound,
    extract_page,
    fuzz_settings,
    last_line,
    mutate,
    read_page,
    seed_pages,
    timed,
)
from hypothesis import given
from hypothesis import strategies as st

from generator.extract import extract_provider
from generator.extract.http_examples import METHODS, parse_messages
from generator.extract.jsonish import MAX_DEPTH, parse_example
from generator.readers import (
    EmptyDocument,
    UnreadableDocument,
    parse_text,
    read_document,
)

PAGES = seed_pages()
SUFFIXES = (".rst", ".md", ".txt", "")

mutations = st.lists(
    st.builds(Mutation, st.sampled_from(OPS), st.integers(0, 2**20), st.integers(0, 2**20)),
    min_size=1,
    max_size=5,
)


# ---------------------------------------------------------------- real pages, then mutated


# CI: the seed pages (the corpus pages are mutated below); the long run: every page.
WHOLE_PAGES = seed_pages(corpus=bool(LONG_RUN))


@pytest.mark.parametrize("name,text", WHOLE_PAGES, ids=[name for name, _ in WHOLE_PAGES])
def test_every_seed_page_extracts_soundly_whatever_reader_is_forced(name: str, text: str) -> None:
    """The unmutated pages, read as what they are and as every other format."""
    suffix = Path(name).suffix
    for fmt in FORMATS:
        extract_page(text, f"page{suffix}", fmt)


def _recipes(name: str, count: int = 2) -> list[list[Mutation]]:
    """Fixed pseudo-random edit lists for one page (seeded by its name)."""
    rnd = random.Random(name)
    return [
        [Mutation(rnd.choice(OPS), rnd.randrange(2**20), rnd.randrange(2**20)) for _ in range(rnd.randint(1, 4))]
        for _ in range(count)
    ]


@pytest.mark.parametrize("name,text", PAGES, ids=[name for name, _ in PAGES])
def test_every_real_page_survives_fixed_edits(name: str, text: str) -> None:
    """Every page, not only those hypothesis happens to draw, with two fixed edit
    lists, each read by a different reader (or sniffed)."""
    for index, edits in enumerate(_recipes(name)):
        fmt = FORMATS[(index + len(name)) % len(FORMATS)]
        extract_page(mutate(text, edits), f"edited{Path(name).suffix}", fmt)


@fuzz_settings(ci_examples=80)
@given(page=st.sampled_from(PAGES), edits=mutations, fmt=st.sampled_from(FORMATS), suffix=st.sampled_from(SUFFIXES))
def test_mutated_pages_give_diagnostics_never_tracebacks(page: tuple[str, str], edits: list[Mutation], fmt: str | None, suffix: str) -> None:
    extract_page(mutate(page[1], edits), "mutated" + suffix, fmt)


# ---------------------------------------------------------------- hypothesis-built pages

page_lines = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.lists(st.sampled_from(MARKUP_TOKENS + ODD_TEXT + list("aZ09 /\t")), max_size=20).map("".join),
    ),
    max_size=60,
)


@fuzz_settings(ci_examples=120)
@given(lines=page_lines, fmt=st.sampled_from(FORMATS), suffix=st.sampled_from(SUFFIXES))
def test_pages_built_from_markup_fragments(lines: list[str], fmt: str | None, suffix: str) -> None:
    extract_page("\n".join(lines), "built" + suffix, fmt)


@fuzz_settings(ci_examples=60)
@given(text=st.text(max_size=3000), fmt=st.sampled_from(FORMATS))
def test_arbitrary_unicode_text(text: str, fmt: str | None) -> None:
    extract_page(text, "any.txt", fmt)


# ---------------------------------------------------------------- pathological shapes

DEEP = 300
LINES = 3000 * SCALE  # many-line shapes: docutils needs ~1 s for 3000 list items
CHARS = 100_000 * SCALE  # one-line shapes: long enough to expose quadratic regexes


def _nested(marker: str, step: int) -> str:
    return "\n".join(" " * (step * d) + f"{marker} level {d}" for d in range(DEEP))


PATHOLOGICAL = {
    "bullets 300 deep": _nested("-", 2),
    "ordered 300 deep": _nested("1.", 3),
    "rst quotes 300 deep": "\n\n".join(" " * (4 * d) + f"para {d}" for d in range(DEEP)),
    "markdown quotes 300 deep": "\n".join(">" * d + " q" for d in range(1, DEEP)),
    "sections 300 levels": "\n\n".join(f"{'#' * (1 + d % 6)} h{d}\n\n" + "=-~^\"'`#*+<>"[d % 12] * 4 for d in range(DEEP)),
    "definition lists 300 deep": "\n".join(" " * (3 * d) + f"term{d}\n" + " " * (3 * d + 3) + "def" for d in range(DEEP)),
    "directives 300 deep": "\n".join(" " * (3 * d) + ".. note::\n" for d in range(DEEP)),
    "json 10000 deep in a fence": "```json\n" + "[" * 10_000 + "]" * 10_000 + "\n```",
    "json 10000 deep unclosed": "GET /x HTTP/1.1\n\nHTTP/1.1 200 OK\n\n" + '{"a":' * 10_000,
    "json 300 deep after a request": "GET /x HTTP/1.1\n\nHTTP/1.1 200 OK\n\n" + "[" * 300 + "1" + "]" * 300,
    "giant cell": "| name | description |\n|---|---|\n| x | " + "word " * (CHARS // 5) + "|",
    "giant grid cell": "+---+---+\n| a | " + "b" * CHARS + " |\n+---+---+",
    "unbalanced grid table": "+---+---+\n| a | b\n+===+===+\n| c |   d  |\n+---+\n| e",
    "2000 columns": "|" + "a|" * 2000 + "\n|" + "-|" * 2000 + "\n|" + "b|" * 2000,
    "table rows": "| a | b |\n|---|---|\n" + "| x | y |\n" * LINES,
    "one long request line": "GET /" + "a" * CHARS,
    "unclosed fences": "```\n" * LINES,
    "list items": "- x\n" * LINES,
    "brackets only": "[" * CHARS,
    "backticks only": "`" * CHARS,
    "stars only": "*" * CHARS,
    "pipes only": "|" * CHARS,
    "colons only": ":" * CHARS,
    "name soup": "- " + "a:" * (CHARS // 2),
    "hyphen run": "curl " + "-" * CHARS,
    "brace run": "- " + "{" * CHARS,
    "underscores and spaces": "_ " * (CHARS // 2),
    "html comment never closed": "<!--" + " x" * (CHARS // 2),
    "rst interpreted text never closed": ":ref:`" + "a " * (CHARS // 2),
    "link target soup": "[a](" * (CHARS // 4),
    "header-like lines": "X-A: b\n" * LINES,
    "blank lines in json": "[" + " \n" * LINES * 10,
    "curl continuation lines": "curl https://h/x \\\n" + "  -H 'A: b' \\\n" * LINES,
    "quotes in curl": "curl " + "'\"" * (CHARS // 2),
    "term then blanks": "- name" + " " * (CHARS // 10) + "x\n\n| name" + " " * (CHARS // 10) + "x | y |\n|---|---|\n",
    "digit then blank lines": "1" + "\n" * LINES * 10 + '"a": 1',
    "placeholders": '{"a": "<' + "<" * CHARS + "\n}",
    "ellipses": "[\n" + "  ...,\n" * LINES + "]",
    "missing commas": "{\n" + '  "a": 1\n' * LINES + "}",
}


# The shape sits inside an endpoint's scope, so the extractor's table, list, term and
# example heuristics run over it too, not only the readers.
ENDPOINT = "GET /v1/items/{id} HTTP/1.1\n\nParameters:\n\n"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_shapes_stay_within_budget(name: str, fmt: str | None) -> None:
    extract_page(ENDPOINT + PATHOLOGICAL[name], "shape.txt", fmt, BUDGET * SCALE)  # time in proportion to size


def test_long_blank_run_in_a_description_dumps_in_linear_time() -> None:
    page = "# Things\n\n## GET /things\n\nReturns" + " " * 20_000 + "a thing.\n\nIt is\ta thing.\n"
    spec, _ = extract_provider("blanks", [read_page(page, "blanks.md", None)])
    assert_spec_sound(spec, 1)  # each YAML step within 1 s (~6 s while quadratic)


# ---------------------------------------------------------------- bytes → read_document

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252", "shift_jis", "koi8-r")


@st.composite
def page_bytes(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(("raw", "encoded", "bom+raw", "page+junk")))
    if kind == "raw":
        return draw(st.binary(max_size=2000))
    text = draw(st.one_of(st.text(max_size=500), st.sampled_from([t for _, t in PAGES[:4]] or [""])))
    if kind == "encoded":
        encoding = draw(st.sampled_from(ENCODINGS))
        return text.encode(encoding, errors="replace")
    if kind == "bom+raw":
        bom = draw(st.sampled_from((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, b"")))
        return bom + draw(st.binary(max_size=300)) + text.encode("utf-8")
    data = text.encode("utf-8")
    at = draw(st.integers(0, len(data)))
    return data[:at] + draw(st.binary(min_size=1, max_size=40)) + data[at:]


def _read_bytes(tmp: Path, data: bytes) -> None:
    file = tmp / "page.rst"
    file.write_bytes(data)
    try:
        document = timed("read_document", lambda: read_document(file, "docs/page.rst"))
    except UnreadableDocument as exc:
        d = exc.diagnostic
        assert d.level == ("warning" if isinstance(exc, EmptyDocument) else "error"), str(d)
        assert d.path == "docs/page.rst" and d.line >= 0, str(d)
        assert str(exc) == str(d) and "\n" not in str(d) and d.message.strip(), repr(str(d))
        return
    assert_document(document, "docs/page.rst", data.count(b"\n") + data.count(b"\r") + 2)


@fuzz_settings(ci_examples=150)
@given(data=page_bytes())
def test_read_document_reads_or_refuses_with_one_line(data: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    _read_bytes(tmp_path_factory.mktemp("bytes"), data)


@pytest.mark.parametrize(
    "data",
    [
        b"", b"   \n\t\n", b"\x00", b"\x00" * 10_000, b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00", codecs.BOM_UTF8,
        codecs.BOM_UTF8 + b"\n", codecs.BOM_UTF16_LE + "Title\n=====\n".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "# T\n".encode("utf-16-be"), codecs.BOM_UTF32_LE + "# T\n".encode("utf-32-le"),
        "Título\n======\n".encode("latin-1"), b"\x89PNG\r\n\x1a\n" + bytes(range(256)), b"%PDF-1.7\n\xe2\xe3\xcf\xd3",
        b"PK\x03\x04" + b"\x00" * 30, b"a" * 9000 + b"\x00", b"# T\n\xed\xa0\x80\n", b"\xc0\xaf", b"\xf4\x90\x80\x80",
        b"GET /x HTTP/1.1\r\n\r\n", b"\r" * 1000, "\u2028".join(["a"] * 100).encode(),
    ],
    ids=lambda data: repr(data[:12]),
)
def test_read_document_odd_files(data: bytes, tmp_path: Path) -> None:
    _read_bytes(tmp_path, data)


def test_read_document_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocument) as info:
        read_document(tmp_path / "nope.md", "docs/nope.md")
    assert info.value.diagnostic.path == "docs/nope.md" and "\n" not in str(info.value)


# ---------------------------------------------------------------- JSON examples

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=40,
)
JSON_EDITS = ("truncate", "drop_char", "trailing_comma", "comment", "ellipsis", "placeholder", "duplicate", "none")


def _json_edit(text: str, edit: str, at: int) -> str:
    at = at % (len(text) + 1)
    return {
        "truncate": text[:at],
        "drop_char": text[:at] + text[at + 1:],
        "trailing_comma": text[:at] + "," + text[at:],
        "comment": text[:at] + "// note\n" + text[at:],
        "ellipsis": text[:at] + "\n  ...\n" + text[at:],
        "placeholder": text[:at] + '"<Float' + text[at:],
        "duplicate": text[:at] + text[at // 2:],
        "none": text,
    }[edit]


def _assert_example_result(text: str) -> None:
    value, problem = timed("parse_example", lambda: parse_example(text))
    if problem is not None:
        assert value is None and problem.line >= 1 and problem.message and "\n" not in problem.message
        return
    json.dumps(value, allow_nan=False)  # JSON values only


@fuzz_settings(ci_examples=150)
@given(value=json_values, edits=st.lists(st.tuples(st.sampled_from(JSON_EDITS), st.integers(0, 10_000)), max_size=3), indent=st.sampled_from([None, 2]))
def test_parse_example_on_edited_json(value: object, edits: list[tuple[str, int]], indent: int | None) -> None:
    text = json.dumps(value, indent=indent)
    for edit, at in edits:
        text = _json_edit(text, edit, at)
    _assert_example_result(text)
    if not edits:  # valid JSON reads back as itself
        assert parse_example(text) == (value, None)


@fuzz_settings(ci_examples=80)
@given(text=st.text(st.sampled_from(list('{}[]",:.<>/\n -+eE0123456789aflnrstu\'\\')), max_size=400))
def test_parse_example_on_json_soup(text: str) -> None:
    _assert_example_result(text)


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000, "[" * 5000 + "]" * 5000, '{"a":' * 5000 + "1" + "}" * 5000, "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
     "[1e999]", "[-1e999]", "{a: NaN}", "[Infinity]", "[" + "9" * 5000 + "]", "[0." + "9" * 5000 + "]", '"' + "\\u0000" * 1000 + '"',
     '{"a": "<' + "<" * 100_000, "[\n" + "...,\n" * 50_000 + "]", "{\n" + '"a": 1\n' * 50_000 + "}"],
    ids=lambda t: f"{t[:16]!r}…{len(t)}",
)
def test_parse_example_hostile_json(text: str) -> None:
    _assert_example_result(text)


# ---------------------------------------------------------------- HTTP messages in code blocks

http_lines = st.lists(
    st.one_of(
        st.sampled_from([
            "GET /a/{b}?c=1 HTTP/1.1", "POST https://h.example.com/v1/x", "curl -X DELETE 'https://h/x' \\", "  -u key: \\",
            "  -d 'a=1&b=' \\", "  -H 'Accept: text/csv'", "$ curl -G https://h/x -d q=1", "curl --request", "curl -X",
            "HTTP/1.1 200 OK", "HTTP/2 404", "HTTP/1.0 999 Odd", "Host: api.x.com", "Content-Type: application/json",
            "", '{"a": 1}', "&next=2", "?first=1", "200 OK", "curl 'unterminated", "curl \"https://h/<id>/[x]/:y\"",
        ]),
        st.text(max_size=30),
    ),
    max_size=30,
)


@fuzz_settings(ci_examples=150)
@given(lines=http_lines)
def test_parse_messages_never_raises(lines: list[str]) -> None:
    text = "\n".join(lines)
    messages = timed("parse_messages", lambda: parse_messages(text))
    for message in messages:
        assert 1 <= message.line <= len(lines) + 1
        assert (message.method in METHODS) != bool(message.status), message
        if message.status:
            assert 100 <= int(message.status) <= 599, message.status
        message.url_parts  # noqa: B018 -- must not raise either


# ---------------------------------------------------------------- several pages at once


@fuzz_settings(ci_examples=10)
@given(picks=st.lists(st.tuples(st.sampled_from(PAGES), mutations), min_size=2, max_size=4))
def test_providers_of_several_mutated_pages(picks: list[tuple[tuple[str, str], list[Mutation]]]) -> None:
    """Cross-page work (references, schema names, servers, name collisions) on
    pages that were damaged independently."""
    documents = []
    for index, ((name, text), edits) in enumerate(picks):
        page = mutate(text, edits)
        path = f"p{index}{Path(name).suffix}"
        document = timed("reading", lambda page=page, path=path: parse_text(page, path))
        assert_document(document, path, last_line(page))
        documents.append(document)
    spec, diagnostics = timed("extracting", lambda: extract_provider("several", documents), BUDGET * 2)
    paths = {d.path for d in documents}
    for d in diagnostics:
        assert d.path in paths, str(d)
        assert_diagnostics([d], d.path, 10**9)
    assert_spec_sound(spec)
