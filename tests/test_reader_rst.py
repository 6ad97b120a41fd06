"""The reStructuredText reader: real seed and corpus pages, Sphinx constructs, lines, hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.document import (
    BulletList,
    CodeBlock,
    DefinitionList,
    Diagnostic,
    Directive,
    Endpoint,
    Include,
    Document,
    Paragraph,
    Raw,
    Section,
    Table,
)
from generator.readers.rst import read_rst

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
SEED_000 = REPO / "seeds/cielo24/2014-08-05/job_info.rst"
SEED_001 = REPO / "seeds/cielo24/2015-09-08/job_info.rst"
SEED_004 = REPO / "seeds/cloudfoundry/retrieve-job.rst"
CORPUS_FILES = sorted((CORPUS / "cielo24").rglob("*.rst")) + sorted((CORPUS / "history").rglob("*.rst"))


def read(path: Path) -> Document:
    return read_rst(path.read_text(encoding="utf-8"), str(path))


def corpus(relative: str) -> Path:
    path = CORPUS / relative
    if not path.exists():
        pytest.skip(f"development corpus not present at {CORPUS}")
    return path


def blocks(doc: Document, kind: type) -> list:
    return [b for b in doc.walk() if isinstance(b, kind)]


def errors(doc: Document) -> list[str]:
    return [str(d) for d in doc.diagnostics if d.level == "error"]


def table_after(doc: Document, heading: str) -> Table:
    """The first table after the paragraph ``heading`` (cielo24 uses bold paragraphs as headings)."""
    seen = False
    for block in doc.walk():
        seen = seen or (isinstance(block, Paragraph) and block.text.startswith(heading))
        if seen and isinstance(block, Table):
            return block
    raise AssertionError(f"no table after {heading!r}")


# ---------------------------------------------------------------- real pages


@pytest.mark.parametrize("seed", [SEED_000, SEED_001, SEED_004], ids=["000", "001", "004"])
def test_seed_reads_without_errors(seed: Path) -> None:
    doc = read(seed)
    assert doc.format == "rst" and doc.children
    assert errors(doc) == []


def test_every_corpus_page_reads_without_errors() -> None:
    if not CORPUS_FILES:
        pytest.skip(f"development corpus not present at {CORPUS}")
    failures = {str(p): errors(read(p)) for p in CORPUS_FILES}
    assert {p: e for p, e in failures.items() if e} == {}
    assert len(CORPUS_FILES) >= 20


def test_real_docutils_warnings_become_located_diagnostics() -> None:
    doc = read(corpus("cielo24/access_control/sandbox_access.rst"))
    assert [(d.level, d.line, d.message) for d in doc.diagnostics] == [
        ("warning", 2, "Title underline too short.")
    ]


def test_http_get_directive_of_seed_000() -> None:
    [endpoint] = blocks(read(SEED_000), Endpoint)
    assert (endpoint.method, endpoint.target, endpoint.line) == ("GET", "/api/job/info", 8)


def test_get_and_post_directives_of_add_media() -> None:
    doc = read(corpus("cielo24/job_control/add_media_to_job.rst"))
    found = [(d.method, d.target, d.line) for d in blocks(doc, Endpoint)]
    assert found == [
        ("GET", "/api/job/add_media (from URL)", 21),
        ("POST", "/api/job/add_media (from local file)", 23),
    ]


def test_parameter_table_of_seed_000_has_spans_resolved() -> None:
    table = table_after(read(SEED_000), "Query String Parameters")
    assert table.line == 12
    [header] = table.header
    assert [c.text for c in header] == ["Name", "Details", "Details"]
    assert header[1] is header[2]
    assert len(table.rows) == 9 and all(len(row) == 3 for row in table.rows)
    assert [[c.text for c in row] for row in table.rows[:3]] == [
        ["v", "Description", "The version of the API to use"],
        ["v", "Allowed Values", "1"],
        ["v", "Example", "v=1"],
    ]
    v = table.rows[0][0]
    assert table.rows[1][0] is v and table.rows[2][0] is v
    assert table.rows[3][0] is not v
    assert (v.row, v.col) == (1, 0)  # grid position, header rows counted first
    api_token = table.rows[3][0]
    assert api_token.text == "api_token"
    assert api_token.line == 21  # `| api_token        | `Description` ...` in the file
    assert table.rows[4][1].line == 23  # its `Allowed Values` row
    assert table.rows[0][1].children[0].spans[0].kind == "emphasis"  # `Description`
    assert table.rows[2][2].children[0].spans[0].kind == "code"  # ``v=1``


def contents_of_400(doc: Document) -> list:
    table = table_after(doc, "Responses")
    rows = [row for row in table.rows if row[0].text == "400"]
    [contents] = [row[2] for row in rows if row[1].text == "Contents"]
    return contents.children


def test_response_table_400_contents_holds_code_block_and_raw_note() -> None:
    code, raw = contents_of_400(read(SEED_000))
    assert isinstance(code, CodeBlock) and code.language == "javascript"
    assert '"ErrorType": "ERROR_TYPE_ENUM"' in code.text
    assert code.line == 53
    assert isinstance(raw, Raw) and raw.format == "html"
    assert raw.text == "See\nError Format for details."


def test_response_table_400_contents_refers_to_error_format_in_seed_001() -> None:
    code, note = contents_of_400(read(SEED_001))
    assert isinstance(code, CodeBlock) and "ErrorType" in code.text
    assert isinstance(note, Paragraph) and note.line == 61
    assert note.text == "See error-format-label for details."
    assert note.refs() == ["error-format-label"]


def test_example_request_sourcecode_block() -> None:
    code = next(b for b in blocks(read(SEED_000), CodeBlock) if b.text.startswith("GET "))
    assert code.language == "http"
    assert code.line == 69
    assert code.text.splitlines() == [
        "GET /api/job/info?v=1&api_token=7ca5dc5c7cce449fb0fff719307e8f5f HTTP/1.1",
        "    &job_id=64bea283eff6475ea6596027a6ba0929",
        "Host: api.cielo24.com",
    ]


def test_target_labels_point_at_their_sections() -> None:
    doc = read(corpus("cielo24/output_formats/formats.rst"))
    labels = doc.labels()
    section = labels["job-info-format-label"]
    assert (section.title, section.level, section.line) == ("Job Info Format", 2, 8)
    assert labels["job-info-format"] is section  # its own slug
    assert labels["error-format-label"].title == "Error Format"


def test_enum_values_in_raw_html_under_their_label() -> None:
    section = read(corpus("cielo24/output_formats/enums.rst")).labels()["job-status-label"]
    [raw] = [b for b in section.children if isinstance(b, Raw)]
    values = [line for line in raw.text.splitlines() if line]
    assert values == ["Authorizing", "Pending", "In Process", "Complete", "Media Failure", "Reviewing"]
    assert raw.line == 40


def test_cloudfoundry_sections_table_and_literal_blocks() -> None:
    doc = read(SEED_004)
    sections = {(s.title, s.level, s.line) for s in blocks(doc, Section)}
    assert {("Retrieve Job Error message", 1, 2), ("GET /v2/jobs/:guid", 2, 6), ("Fields", 2, 11),
            ("Headers", 3, 36), ("Body", 3, 86)} <= sections
    [table] = blocks(doc, Table)
    assert [c.text for c in table.header[0]][:4] == ["Name", "Description", "Default", "Valid Values"]
    status = next(row for row in table.rows if row[0].text == "status")
    [values] = status[3].children
    assert isinstance(values, BulletList) and values.line == 24
    assert [item.children[0].text for item in values.items] == ["failed", "finished", "queued", "running"]
    literals = blocks(doc, CodeBlock)
    assert (literals[0].text, literals[0].line, literals[0].language) == ("Host: example.org\nCookie:", 41, "")
    assert literals[-1].text.startswith("{") and literals[-1].line == 91


# ---------------------------------------------------------------- Sphinx constructs (inline)

SPHINX = """\
.. _the-top:

Top
===

.. cssclass:: fields

.. http:post:: /api/job/add (from URL)
   :noindex:

   :query job_id: the job
   :statuscode 200: ok

.. tabs::
   :sync: x

   Inside *tabs*.

See :ref:`The thing <the-top>`, :doc:`basics`, :http:get:`/api/x`, :term:`token`,
:class:`~pkg.mod.Klass` and `Link <https://example.com/>`_.

.. note::

   Noted.

.. versionadded:: 1.2 Added this.

.. literalinclude:: secret.py

.. highlight:: json

.. toctree::

   hidden/page

::

   literal
"""


def test_sphinx_directives_and_roles() -> None:
    doc = read_rst(SPHINX, "sphinx.rst")
    assert doc.diagnostics == []
    [top] = doc.children
    assert top.labels == ["the-top", "top"]
    [post] = blocks(doc, Endpoint)
    [tabs] = blocks(doc, Directive)
    assert (post.method, post.target, post.line) == ("POST", "/api/job/add (from URL)", 8)
    # an included file is an edge for the extractor to follow: never opened here
    assert blocks(doc, Include) == [Include("example", "secret.py", 28)]
    [fields] = post.children
    assert isinstance(fields, DefinitionList) and fields.line == 11
    assert [(i.term, i.children[0].text, i.line) for i in fields.items] == [
        ("query job_id", "the job", 11), ("statuscode 200", "ok", 12)]
    assert (tabs.name, tabs.options, tabs.children[0].text) == ("tabs", {"sync": "x"}, "Inside tabs.")
    refs = next(b for b in doc.walk() if isinstance(b, Paragraph) and b.text.startswith("See "))
    assert refs.text == "See The thing, basics, /api/x, token,\nKlass and Link."
    assert [(s.kind, s.text, s.target) for s in refs.spans] == [
        ("ref", "The thing", "the-top"), ("ref", "basics", "basics"), ("code", "/api/x", ""),
        ("emphasis", "token", ""), ("code", "Klass", ""), ("link", "Link", "https://example.com/")]
    texts = [b.text for b in top.children if isinstance(b, Paragraph)]
    assert "Noted." in texts and "New in version 1.2: Added this." in texts
    assert "hidden/page" not in doc_text(doc) and "json" not in doc_text(doc)
    assert [(c.text, c.line) for c in blocks(doc, CodeBlock)] == [("literal", 38)]


def doc_text(doc: Document) -> str:
    return repr(doc.children)


def test_unknown_directive_with_content_is_kept_with_its_children() -> None:
    doc = read_rst(".. openapi:thing:: spec.yaml\n   :a: 1\n\n   - x\n   - y\n", "u.rst")
    [kept] = doc.children
    assert (kept.name, kept.argument, kept.options, kept.line) == ("openapi:thing", "spec.yaml", {"a": "1"}, 1)
    assert isinstance(kept.children[0], BulletList) and kept.children[0].line == 4
    assert doc.diagnostics == []


def test_info_messages_are_dropped_and_nothing_reaches_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    doc = read_rst("Title\n====\n\nsee `nowhere`_ and :unknown:`x`\n", "w.rst")
    assert [(d.level, d.line) for d in doc.diagnostics] == [("warning", 2), ("error", 4)]
    assert capfd.readouterr() == ("", "")


# ---------------------------------------------------------------- malformed tables

MISALIGNED = """\
Intro.

+------+-------------+
| Name | Details     |
+======+====+========+
| v    | a  | b      |
|      +----+--------+
|      | c  | d         |
+------+----+--------+
"""


def test_table_docutils_rejects_is_recovered_with_a_warning() -> None:
    doc = read_rst(MISALIGNED, "t.rst")
    assert [(d.level, d.line) for d in doc.diagnostics] == [("warning", 3)]
    assert "malformed" in doc.diagnostics[0].message
    [table] = blocks(doc, Table)
    assert table.line == 3
    assert [[c.text for c in row] for row in table.rows] == [["v", "a", "b"], ["v", "c", "d"]]
    assert table.rows[0][0] is table.rows[1][0]
    assert table.rows[1][2].line == 8


# ---------------------------------------------------------------- hostile input


def test_file_inclusion_never_reads_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-MARKER-42\n")
    text = "\n\n".join([
        ".. include:: /etc/passwd", f".. include:: {secret}", f".. raw:: html\n   :file: {secret}",
        f".. csv-table:: T\n   :file: {secret}", f".. literalinclude:: {secret}",
        f".. csv-table:: T\n   :url: file://{secret}",
    ]) + "\n"
    doc = read_rst(text, "inc.rst")
    dumped = repr(doc)
    assert "SECRET-MARKER-42" not in dumped and "root:" not in dumped
    # docutils' own file options are refused here; include and literalinclude become
    # edges that the extractor follows only inside the docs' folder (test_included_files)
    assert [d.line for d in doc.diagnostics] == [5, 8, 13]
    assert all(d.level == "warning" for d in doc.diagnostics)
    assert [(b.kind, b.target) for b in blocks(doc, Include)] == [
        ("page", "/etc/passwd"), ("page", str(secret)), ("example", str(secret))]


HOSTILE = {
    "empty": "",
    "nul": "Title\n=====\n\nsome \x00 text\n",
    "unterminated table": "Para\n\n+----+----+\n| a  | b  |\n+====+====+\n| c  | d  |\n",
    "deep list": "".join("  " * i + f"- item {i}\n\n" for i in range(200)),
    "latin-1 garbage": bytes(range(256)).decode("latin-1") * 8,
    "broken markup": "*open **bold ``code\n\n.. [1] \n\n.. |x| image::\n\n.. code-block\n\n====\n",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_input_never_raises_and_diagnostics_carry_lines(name: str) -> None:
    doc = read_rst(HOSTILE[name], f"{name}.rst")
    assert isinstance(doc, Document)
    assert all(d.line >= 1 for d in doc.diagnostics), doc.diagnostics
    if name != "empty":
        assert doc.diagnostics


def test_hostile_details() -> None:
    nul = read_rst(HOSTILE["nul"], "n.rst")
    assert (nul.diagnostics[0].line, nul.children[0].children[0].text) == (4, "some \ufffd text")
    table = read_rst(HOSTILE["unterminated table"], "t.rst")
    [recovered] = blocks(table, Table)
    assert recovered.line == 3 and [c.text for c in recovered.rows[0]] == ["c", "d"]
    assert [(d.level, d.line) for d in table.diagnostics] == [("warning", 3)]
    deep = read_rst(HOSTILE["deep list"], "d.rst")
    assert [d.level for d in deep.diagnostics] == ["error"]


def test_reading_is_deterministic() -> None:
    # Cells compare by identity (the model's choice), so whole documents compare by repr.
    for text in (SEED_000.read_text(), SPHINX, MISALIGNED, HOSTILE["latin-1 garbage"]):
        assert repr(read_rst(text, "x.rst")) == repr(read_rst(text, "x.rst"))
    assert read_rst(SPHINX, "x.rst") == read_rst(SPHINX, "x.rst")  # no tables: plain equality


def test_reading_is_identical_under_different_hash_seeds() -> None:
    import os
    import subprocess
    import sys

    script = ("import sys; from generator.readers.rst import read_rst; "
              "print(repr(read_rst(open(sys.argv[1]).read(), 'x.rst')))")
    outputs = {
        subprocess.run([sys.executable, "-c", script, str(SEED_001)], capture_output=True, text=True, check=True,
                       cwd=REPO, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1 and "Table(" in outputs.pop()
