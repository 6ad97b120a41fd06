"""The Markdown reader: real xplenty pages and small inline snippets → document model."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.document import (
    BulletList,
    CodeBlock,
    Directive,
    Document,
    Paragraph,
    Raw,
    Section,
    Span,
    Table,
)
from generator.readers.markdown import read_markdown

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "xplenty" / "get-job-information.md"
CORPUS = ROOT.parent / "shared" / "corpus"
XPLENTY = CORPUS / "xplenty-v1"


def corpus_file(name: str) -> Path:
    path = XPLENTY / name
    if not path.exists():
        pytest.skip(f"development corpus not available at {XPLENTY}")
    return path


def read(text: str) -> Document:
    return read_markdown(text, "snippet.md")


def blocks_of(doc: Document, kind: type) -> list:
    return [block for block in doc.walk() if isinstance(block, kind)]


def warnings_at(doc: Document) -> list[int]:
    return [d.line for d in doc.diagnostics if d.level == "warning"]


@pytest.fixture(scope="module")
def seed() -> Document:
    return read_markdown(SEED.read_text(encoding="utf-8"), str(SEED))


# ---------------------------------------------------------------- the xplenty seed


def test_seed_sections_nest_by_heading_level(seed: Document) -> None:
    assert seed.format == "markdown" and seed.diagnostics == []
    [page] = seed.children
    assert isinstance(page, Section)
    assert (page.title, page.level, page.line, page.labels) == (
        "Get Job Information", 1, 1, ["get-job-information"],
    )
    subsections = [(s.title, s.level, s.line, s.labels) for s in page.children if isinstance(s, Section)]
    assert subsections == [
        ("Description", 2, 3, ["description"]),
        ("Input Parameters", 2, 37, ["input-parameters"]),
        ("Request (Curl Call) Syntax", 2, 40, ["request-curl-call-syntax"]),
        ("Response Example", 2, 45, ["response-example"]),
    ]


def test_seed_field_list_with_nested_status_values(seed: Document) -> None:
    description = seed.labels()["description"]
    [fields] = [b for b in description.children if isinstance(b, BulletList)]
    assert fields.line == 11 and not fields.ordered
    assert len(fields.items) == 17
    first = fields.items[0].children[0]
    assert first == Paragraph("id - the numeric job ID", 11, [Span("strong", "id")])

    status = fields.items[1]
    assert status.line == 12
    assert status.children[0].text == "status - the job status. Possible values are:"
    nested = status.children[1]
    assert isinstance(nested, BulletList) and nested.line == 13
    values = [item.children[0] for item in nested.items]
    assert [p.spans for p in values] == [
        [Span("strong", name)]
        for name in ("idle", "pending", "running", "completed", "failed", "pending_stoppage", "stopping", "stopped")
    ]
    assert values[0].text == "idle - the user sent a request to run the job"
    assert values[-1].text == "stopped - the job has stopped"
    assert [p.line for p in values] == list(range(13, 21))
    assert fields.items[2].children[0].text.startswith("variables - ")
    assert fields.items[2].line == 21


def test_seed_fences_keep_language_and_fence_line(seed: Document) -> None:
    curl, example = blocks_of(seed, CodeBlock)
    assert (curl.language, curl.line) == ("shell", 41)
    assert curl.text.strip().startswith('curl -X GET -H "Accept: application/vnd.xplenty+json"')
    assert (example.language, example.line) == ("json", 46)
    assert example.text.startswith('{\n    "id": 157,') and example.text.endswith("}")


def test_seed_link_written_with_a_space_stays_text(seed: Document) -> None:
    [para] = [p for p in blocks_of(seed, Paragraph) if "Preview Job Output" in p.text]
    assert para.line == 6
    assert "[Preview Job Output] (https://github.com/" in para.text
    assert not [s for s in para.spans if s.kind == "link"]


def test_reading_twice_gives_equal_documents() -> None:
    text = SEED.read_text(encoding="utf-8") + "\n|a|b|\n|-|-|\n|1|2|3|\n"
    assert dataclasses.asdict(read(text)) == dataclasses.asdict(read(text))


# ---------------------------------------------------------------- the xplenty corpus


def test_create_cluster_parameter_table() -> None:
    path = corpus_file("sections/create-cluster.md")
    doc = read_markdown(path.read_text(encoding="utf-8"), str(path))
    [table] = blocks_of(doc, Table)
    assert table.line == 35
    assert [[cell.text for cell in row] for row in table.header] == [["Name", "Required?", "Default", "Description"]]
    names = [row[0].text for row in table.rows]
    # Eight rows, two of them written without a leading pipe ("type|N|production|…").
    assert names == ["nodes", "type", "name", "description", "terminate_on_idle", "time_to_idle", "region", "zone"]
    assert all(len(row) == 4 for row in table.rows)
    rows = {row[0].text: row for row in table.rows}
    assert rows["type"][2].text == "production" and rows["type"][2].line == 38
    assert rows["type"][3].text.startswith('If the value is set to "sandbox"')
    zone = rows["zone"]
    assert zone[2].children == [] and zone[2].text == ""
    assert zone[3].text.startswith("The zone in which")
    assert (zone[0].line, zone[0].row, zone[2].col) == (44, 8, 2)
    assert rows["nodes"][2].children == []  # "| |" is an empty cell too


def test_every_corpus_page_reads_cleanly() -> None:
    pages = sorted(corpus_file("sections").glob("*.md")) + [corpus_file("README.md")]
    assert len(pages) > 10
    for path in pages:
        doc = read_markdown(path.read_text(encoding="utf-8"), str(path))
        assert [d for d in doc.diagnostics if d.level == "error"] == [], path
        assert doc.children, path
        # every pipe row ended up in a table, none in prose
        assert [p.line for p in blocks_of(doc, Paragraph) if "|" in p.text] == [], path


def test_corpus_tables_without_leading_pipes_keep_every_row() -> None:
    path = corpus_file("sections/run-job.md")
    doc = read_markdown(path.read_text(encoding="utf-8"), str(path))
    [table] = blocks_of(doc, Table)
    assert [row[0].text for row in table.rows] == ["cluster_id", "package_id", "variables", "dynamic_variables"]
    assert [row[0].line for row in table.rows] == [41, 42, 43, 44]


# ---------------------------------------------------------------- inline snippets


def test_inline_spans_and_plain_text() -> None:
    [para] = read("A **bold _both_** `code` [docs](https://x.test/a) <https://auto.test>\nnext").children
    assert para.text == "A bold both code docs https://auto.test\nnext"
    assert para.spans == [
        Span("strong", "bold both"),
        Span("emphasis", "both"),
        Span("code", "code"),
        Span("link", "docs", "https://x.test/a"),
        Span("link", "https://auto.test", "https://auto.test"),
    ]


def test_sections_level_is_depth_and_slugs_are_unique() -> None:
    doc = read("### Deep first\n\n# Top\n## Top\n#### Skipped levels\n# Top\n")
    first, top, again = doc.children
    assert (first.level, first.labels) == (1, ["deep-first"])
    child = top.children[0]
    assert (child.level, child.labels, child.line) == (2, ["top-1"], 4)
    assert (child.children[0].level, child.children[0].title) == (3, "Skipped levels")
    assert again.labels == ["top-2"]
    assert set(doc.labels()) == {"deep-first", "top", "top-1", "skipped-levels", "top-2"}


def test_heading_title_spans() -> None:
    [section] = read("## The `id` field\n").children
    assert section.title == "The id field"
    assert section.title_spans == [Span("code", "id")]


def test_ordered_list_and_indented_code() -> None:
    doc = read("1. one\n2. two\n\nText:\n\n    GET /jobs/1\n    Accept: x\n")
    numbered, _, code = doc.children
    assert isinstance(numbered, BulletList) and numbered.ordered
    assert [i.line for i in numbered.items] == [1, 2]
    assert code == CodeBlock("GET /jobs/1\nAccept: x", 6, "", content_line=6)


def test_fence_info_string_first_word_lower_cased() -> None:
    [code] = read("text\n\n~~~ JSON title=x\n{}\n~~~\n").children[1:]
    assert (code.language, code.line, code.text) == ("json", 3, "{}")


def test_unclosed_fence_is_warned_at_its_line() -> None:
    doc = read("Intro\n\n```json\n{\"a\": [1,\n")
    [code] = blocks_of(doc, CodeBlock)
    assert code.text == '{"a": [1,'
    assert warnings_at(doc) == [3]


def test_html_block_is_raw_text_with_lines_kept() -> None:
    doc = read("<table>\n  <tr><td>id</td>\n  <td>Job id</td></tr>\n</table>\n\ntext <b>bold</b> tail\n\n<a name=\"x\"></a>\n")
    raw, para, anchor = doc.children
    assert raw == Raw("html", "\n  id\n  Job id", 1)
    assert para == Paragraph("text bold tail", 6, [])
    assert anchor == Raw("html", "", 8)


def test_table_ragged_rows_pad_and_warn() -> None:
    doc = read("|a|b|c|\n|---|---|---|\n|1|2|\n|1|2|3|4|5|\n")
    [table] = doc.children
    short, long = table.rows
    assert [c.text for c in short] == ["1", "2", ""] and short[2].children == []
    assert [c.text for c in long] == ["1", "2", "3"]
    [diagnostic] = doc.diagnostics
    assert (diagnostic.line, diagnostic.level) == (4, "warning") and "4 | 5" in diagnostic.message


def test_table_with_miscounted_separator_is_repaired() -> None:
    doc = read("Intro\n|Name|Type|Description|\n|---|---|\n|id|int|The id|\n")
    intro, table = doc.children
    assert intro == Paragraph("Intro", 1, [])
    assert [c.text for c in table.header[0]] == ["Name", "Type", "Description"]
    assert [c.text for c in table.rows[0]] == ["id", "int", "The id"]
    assert table.line == 2 and warnings_at(doc) == [3]


def test_table_rows_indented_like_code_stay_in_the_table() -> None:
    doc = read("|a|b|\n|-|-|\n|1|2|\n        |3|4|\n     5|6\n\nafter\n")
    table, after = doc.children
    assert [[c.text for c in row] for row in table.rows] == [["1", "2"], ["3", "4"], ["5", "6"]]
    assert [row[0].line for row in table.rows] == [3, 4, 5]
    assert after == Paragraph("after", 7, [])
    assert warnings_at(doc) == [4, 5]


def test_table_inside_blockquote_counts_cells_after_the_marker() -> None:
    doc = read("> |a|b|\n> |-|-|\n> |1|2|\n")
    [table] = doc.children
    assert [c.text for c in table.rows[0]] == ["1", "2"] and doc.diagnostics == []


def test_front_matter_becomes_a_directive() -> None:
    doc = read("---\ntitle: Get Job\nlayout: page\n---\n# Get Job\n")
    front, section = doc.children
    assert front == Directive("front-matter", "", 1, {"title": "Get Job", "layout": "page"})
    assert (section.title, section.line) == ("Get Job", 5)


def test_crlf_and_nul_bytes_keep_line_numbers() -> None:
    doc = read("a\r\n\r\n# H\0\r\ntext\0\n")
    para, section = doc.children
    assert (para.line, section.line, section.title) == (1, 3, "H\ufffd")
    assert section.children == [Paragraph("text\ufffd", 4, [])]
    [diagnostic] = doc.diagnostics
    assert diagnostic.line == 3 and "NUL" in diagnostic.message


def test_empty_input() -> None:
    for text in ("", "\n\n   \n"):
        doc = read(text)
        assert doc.children == []
        assert [(d.level, d.line) for d in doc.diagnostics] == [("warning", 1)]


def test_deep_nesting_is_cut_with_a_warning() -> None:
    text = "\n".join("  " * depth + f"- level {depth}" for depth in range(40))
    doc = read(text + "\n\n" + ">" * 60 + " quoted\n")
    assert isinstance(doc.children[0], BulletList)
    assert doc.diagnostics and all(d.level == "warning" and d.line > 0 for d in doc.diagnostics)
    assert "nested" in doc.diagnostics[0].message


def test_hostile_inputs_do_not_raise() -> None:
    for text in (
        "{" + '"a\\"' * 50_000,
        "|" * 200_000 + "\n|---|\n",
        "*" * 50_000 + "a" + "_" * 50_000,
        "<div>" * 20_000 + "\n<!--" * 500,
        "[" * 20_000 + "x" + "]" * 20_000 + "(u)",
    ):
        doc = read(text)
        assert doc.children and not [d for d in doc.diagnostics if d.level == "error"]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("|-:#*_`>[](){}<>/\\ \t\n\r\0aZ1!.")) | st.characters(), max_size=300))
def test_any_text_reads_without_errors(text: str) -> None:
    doc = read(text)
    assert not [d for d in doc.diagnostics if d.level == "error"]
    last = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    for block in doc.walk():
        assert 1 <= block.line <= last


def test_reading_markdown_does_not_load_docutils() -> None:
    """A rebuild that re-parses one Markdown page pays for its own reader only."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from generator.readers import parse_text\n"
        "doc = parse_text('# Jobs\\n\\nGET /jobs lists them.\\n', 'jobs.md')\n"
        "assert doc.children, doc\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'docutils'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
