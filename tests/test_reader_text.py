"""The pasted-text reader: the textking wiki page and small inline snippets."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.document import (
    BulletList,
    CodeBlock,
    Document,
    Paragraph,
    Section,
    Span,
    Table,
    block_text,
)
from generator.readers.text import read_text, split_glued_headers

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "textking" / "get-job.txt"


def read(text: str) -> Document:
    return read_text(text, "snippet.txt")


def blocks_of(doc: Document, kind: type) -> list:
    return [block for block in doc.walk() if isinstance(block, kind)]


def warnings_at(doc: Document) -> list[int]:
    return [d.line for d in doc.diagnostics if d.level == "warning"]


@pytest.fixture(scope="module")
def seed() -> Document:
    return read_text(SEED.read_text(encoding="utf-8"), str(SEED))


# ---------------------------------------------------------------- the textking seed


def test_seed_chrome_is_dropped_and_title_holds_the_page(seed: Document) -> None:
    assert seed.format == "text" and seed.diagnostics == []
    [page] = seed.children
    assert isinstance(page, Section)
    assert (page.title, page.level, page.line, page.labels) == ("GET Job", 1, 5, ["get-job"])
    everything = block_text(seed.children)
    for chrome in ("Notifications", "signed in", "Fork", "edited this page", "revisions", "·"):
        assert chrome not in everything


def test_seed_prose_paragraphs(seed: Document) -> None:
    paragraphs = [(p.line, p.text) for p in seed.children[0].children if isinstance(p, Paragraph)]
    assert paragraphs == [
        (10, "Request: GET /project/{projectId}/job/{jobId}"),
        (11, ("Returns a single job with the given ID for a specific project.\n"
              "A job can be in one of the following states.")),
        (30, ("Load the job with the ID d0c30471-7c70-45d4-bcc1-a7773cb352b for the project "
              "with the ID bc141454-5949-401b-9c05-7591ee2f562:")),
        (32, "Response:"),
    ]


def test_seed_three_back_to_back_tables(seed: Document) -> None:
    states, headers, statuses = blocks_of(seed, Table)
    assert [t.line for t in (states, headers, statuses)] == [13, 21, 25]
    assert [c.text for c in states.header[0]] == ["Name", "Description"]
    assert [row[0].text for row in states.rows] == [
        "new", "translation-pending", "translation-delivered", "revision-requested", "completed", "canceled",
    ]
    assert [row[0].line for row in states.rows] == list(range(15, 21))
    assert states.rows[0][1].text == "The job has been created and the corresponding project is no yet started."
    assert [c.text for c in headers.header[0]] == ["Header", "Description"]
    assert [[c.text for c in row] for row in headers.rows] == [
        ["Authorization", "oAuth 2 authentication header"],
        ["Accept", "application/jsonorapplication/xml"],
    ]
    assert [c.text for c in statuses.header[0]] == ["HTTP status", "Description"]
    assert [row[0].text for row in statuses.rows] == ["200 Ok", "400 Bad Request", "404 Not Found"]
    assert (statuses.rows[2][1].line, statuses.rows[2][1].row, statuses.rows[2][1].col) == (29, 3, 1)


def test_seed_glued_request_is_split_into_lines(seed: Document) -> None:
    request, _response = blocks_of(seed, CodeBlock)
    assert (request.language, request.line) == ("http", 31)
    assert request.text.split("\n") == [
        "GET /v1/project/bc141454-5949-401b-9c05-7591ee2f562/job/d0c30471-7c70-45d4-bcc1-a7773cb352b HTTP/1.1",
        "Host: api.textking.com",
        "Accept: application/json",
        "Authorization: Bearer youraccesstoken",
    ]


def test_seed_response_holds_status_headers_and_json_body(seed: Document) -> None:
    response = blocks_of(seed, CodeBlock)[1]
    assert (response.language, response.line) == ("http", 33)
    head, body = response.text.split("\n\n", 1)
    assert head.split("\n") == ["HTTP/1.1 200 Ok", "Content-Type: application/json; charset=utf-8"]
    value = json.loads(body)
    assert value["id"] == "d0c30471-7c70-45d4-bcc1-a7773cb352bd"
    assert value["state"] == "translation-delivered" and len(value["links"]) == 6


def test_reading_twice_gives_equal_documents() -> None:
    text = SEED.read_text(encoding="utf-8") + "\n| a | b |\n|---|---|\n| 1 | 2 | 3 |\n{ \"open\": [\n"
    assert dataclasses.asdict(read(text)) == dataclasses.asdict(read(text))


# ---------------------------------------------------------------- HTTP and JSON shapes


@pytest.mark.parametrize(
    ("rest", "expected"),
    [
        ("Host: a.test Accept: application/json", ("", ["Host: a.test", "Accept: application/json"])),
        ("Ok Content-Type: text/plain; charset=utf-8", ("Ok", ["Content-Type: text/plain; charset=utf-8"])),
        ("X-Note: see: this Accept: a", ("", ["X-Note: see: this", "Accept: a"])),
        ("Authorization: Bearer a Note: b", ("", ["Authorization: Bearer a Note: b"])),
        ("Host: h Api-Key: k x-trace-id: 1", ("", ["Host: h", "Api-Key: k", "x-trace-id: 1"])),
        ("Not Found", ("Not Found", [])),
    ],
)
def test_split_glued_headers(rest: str, expected: tuple[str, list[str]]) -> None:
    assert split_glued_headers(rest) == expected


def test_multi_line_message_with_headers_and_body() -> None:
    doc = read("Example:\nPOST /v1/jobs HTTP/1.1\nContent-Type: application/json\n{\"name\": \"x\"}\nThat creates a job.\n")
    intro, code, after = doc.children
    assert intro == Paragraph("Example:", 1, [])
    assert code == CodeBlock('POST /v1/jobs HTTP/1.1\nContent-Type: application/json\n\n{"name": "x"}', 2, "http")
    assert after == Paragraph("That creates a job.", 5, [])


def test_status_line_alone_and_xml_body() -> None:
    doc = read("HTTP/1.1 204 No Content\n\nHTTP/1.1 404 Not Found\n\n<error>\n  <code>404</code>\n</error>\nafter\n")
    empty, xml, after = doc.children
    assert empty == CodeBlock("HTTP/1.1 204 No Content", 1, "http")
    assert xml == CodeBlock("HTTP/1.1 404 Not Found\n\n<error>\n  <code>404</code>\n</error>", 3, "http")
    assert after.line == 8


def test_request_prose_line_is_not_a_message() -> None:
    doc = read("Request: GET /jobs/{id}\nResponse:\n")
    assert doc.children == [Paragraph("Request: GET /jobs/{id}", 1, []), Paragraph("Response:", 2, [])]


def test_json_value_runs_until_brackets_balance() -> None:
    doc = read('Some prose here.\n[\n  {"a": "}]", "b": [1, 2]},\n  {"c": "\\""}\n]\nMore prose.\n')
    _prose, code, more = doc.children
    assert code.language == "json" and code.line == 2
    assert json.loads(code.text) == [{"a": "}]", "b": [1, 2]}, {"c": '"'}]
    assert more == Paragraph("More prose.", 6, [])


def test_bracketed_prose_is_not_json() -> None:
    doc = read("[Preview Job Output] (https://x.test/a)\n{projectId} is the id.\n")
    [para] = doc.children
    assert isinstance(para, Paragraph) and para.line == 1
    assert para.spans == [Span("link", "https://x.test/a", "https://x.test/a")]


def test_unbalanced_json_is_warned_and_stops_before_prose() -> None:
    doc = read('Intro.\n{\n  "a": [1,\n  "b": 2\nThen prose again.\n')
    _intro, code, prose = doc.children
    assert code == CodeBlock('{\n  "a": [1,\n  "b": 2', 2, "json")
    assert prose == Paragraph("Then prose again.", 5, [])
    assert warnings_at(doc) == [2]


# ---------------------------------------------------------------- tables, lists, chrome


def test_ragged_pipe_table_pads_and_warns() -> None:
    doc = read("Intro.\n| a | b | c |\n|---|---|---|\n| 1 | 2 |\n| 1 | 2 | 3 | 4 |\n|| x ||\nafter\n")
    _intro, table, after = doc.children
    assert [[c.text for c in row] for row in table.rows] == [["1", "2", ""], ["1", "2", "3"], ["", "x", ""]]
    assert table.rows[0][2].children == []
    assert warnings_at(doc) == [5]
    assert after == Paragraph("after", 7, [])


def test_tab_separated_table_from_a_copied_html_table() -> None:
    doc = read("Parameters.\nName\tRequired\tDescription\nid\tyes\tThe job id\nlimit\t\t\nDone.\n")
    _intro, table, done = doc.children
    assert [c.text for c in table.header[0]] == ["Name", "Required", "Description"]
    assert [[c.text for c in row] for row in table.rows] == [["id", "yes", "The job id"], ["limit", "", ""]]
    assert (table.line, done.line) == (2, 5)


def test_bullets_nest_by_indentation_and_take_continuations() -> None:
    doc = read("Fields.\n- id - the id\n  - nested value\n    continued\n- name\n\n1. first\n2. second\n")
    _intro, bullets, numbered = doc.children
    assert isinstance(bullets, BulletList) and not bullets.ordered
    assert [i.line for i in bullets.items] == [2, 5]
    nested = bullets.items[0].children[1]
    assert nested.items[0].children == [Paragraph("nested value\ncontinued", 3, [])]
    assert numbered.ordered and [i.children[0].text for i in numbered.items] == ["first", "second"]


def test_chrome_words_inside_the_body_are_kept_and_footer_dropped() -> None:
    doc = read("- Star 12\nWebhooks\nYou can subscribe.\nNotifications\n\nClone this wiki locally\nhttps://x.test/w.git\n")
    [page] = doc.children
    assert page.title == "Webhooks"
    assert [p.text for p in page.children] == ["You can subscribe.\nNotifications"]


def test_page_without_title() -> None:
    doc = read("This page explains jobs.\nMore text.\n")
    assert doc.children == [Paragraph("This page explains jobs.\nMore text.", 1, [])]


# ---------------------------------------------------------------- robustness


def test_empty_input() -> None:
    for text in ("", "\n \n", "Notifications\n- Fork 0\n"):
        doc = read(text)
        assert doc.children == []
    assert [(d.level, d.line) for d in read("").diagnostics] == [("warning", 1)]


def test_nul_bytes_are_replaced_and_reported() -> None:
    doc = read("Title\nsome\0text.\n")
    assert doc.children[0].children == [Paragraph("some\ufffdtext.", 2, [])]
    assert warnings_at(doc) == [2]


def test_deep_nesting() -> None:
    doc = read("[" * 50_000 + "]" * 50_000 + "\n" + "\n".join(" " * i + "- x" for i in range(50)))
    code, bullets = doc.children
    assert code.language == "json" and code.line == 1
    depth, block = 0, bullets
    while isinstance(block, BulletList):
        depth += 1
        block = block.items[-1].children[-1]
    assert depth == 10
    assert warnings_at(doc) == [12]  # the first bullet deeper than ten levels


def test_two_megabyte_lines() -> None:
    size = 2_000_000
    cases = {
        "prose": "word " * (size // 5),
        "request": "GET /" + "x" * size + " HTTP/1.1 Host: a.test",
        "glued": "GET /x HTTP/1.1 " + "A: " * (size // 3),
        "escapes": '{"a": "' + "\\\"" * (size // 2) + "\\",
        "quotes": "{" + '"' * size,
        "wide cell": "| a | b |\n|---|---|\n| 1 | " + "x" * size + " |\n",
        "too many columns": "| a |" + " b |" * (size // 4) + "\n|---|\n| 1 |\n",
        "bullet": "-" + " " * size + "x",
    }
    docs = {name: read(text) for name, text in cases.items()}
    assert all(not [d for d in doc.diagnostics if d.level == "error"] for doc in docs.values())
    assert isinstance(docs["prose"].children[0], Paragraph)
    request = docs["request"].children[0]
    assert request.language == "http" and request.text.endswith("HTTP/1.1\nHost: a.test")
    glued = docs["glued"].children[0].text.split("\n")
    assert len(glued) == 2 and glued[0] == "GET /x HTTP/1.1" and glued[1].startswith("A: A: A: ")
    assert docs["escapes"].children[0].language == "json" and warnings_at(docs["escapes"]) == [1]
    assert docs["quotes"].children[0].language == "json"
    table = docs["wide cell"].children[0]
    assert isinstance(table, Table) and [len(c.text) for c in table.rows[0]] == [1, size]
    assert isinstance(docs["too many columns"].children[0], Paragraph)
    assert docs["bullet"].children[0].items[0].children[0].text == "x"


def test_hundred_thousand_lines() -> None:
    lines = []
    for n in range(25_000):
        lines += [f"Step {n} does things.", f"- item {n}", "{", f'  "n": {n}']
    doc = read("\n".join(lines))
    paragraphs = [b for b in doc.children if isinstance(b, Paragraph)]
    lists, codes = blocks_of(doc, BulletList), blocks_of(doc, CodeBlock)
    assert len(lines) == 100_000
    assert len(lists) == 25_000 and len(codes) == 25_000
    assert codes[-1] == CodeBlock('{\n  "n": 24999', 99_999, "json")
    assert len(warnings_at(doc)) == 25_000  # every JSON value is unclosed
    assert len(paragraphs) == 25_000 and paragraphs[1] == Paragraph("Step 1 does things.", 5, [])


FRAGMENTS = list('|-:{}[]"\\ \t\n\r\0aZ1.·/') + ["|---|", "HTTP/1.1 200 OK ", "GET /a HTTP/1.1 ", "Host: x ", "- "]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS) | st.characters(), max_size=120).map("".join))
def test_any_text_reads_without_errors(text: str) -> None:
    doc = read(text)
    assert not [d for d in doc.diagnostics if d.level == "error"]
    last = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    for block in doc.walk():
        assert 1 <= block.line <= last


def test_extra_closing_bracket_is_warned() -> None:
    doc = read('Intro.\n{"a": [1]}}\nMore.\n')
    assert doc.children[1] == CodeBlock('{"a": [1]}}', 2, "json")
    assert warnings_at(doc) == [2]
