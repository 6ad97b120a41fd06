"""The one naming path and the one escaping path, on their own."""

from __future__ import annotations

import ast
import keyword
import math
import tomllib

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from generator import escaping, naming


@pytest.mark.parametrize(
    ("text", "snake", "pascal", "upper"),
    [
        ("JobId", "job_id", "JobId", "JOB_ID"),
        ("ExternalID", "external_id", "ExternalID", "EXTERNAL_ID"),
        ("cluster[nodes]", "cluster_nodes", "ClusterNodes", "CLUSTER_NODES"),
        ("a-b", "a_b", "AB", "A_B"),
        ("Media Failure", "media_failure", "MediaFailure", "MEDIA_FAILURE"),
        ("JOB_STATUS", "job_status", "JobStatus", "JOB_STATUS"),
        ("Ünïcödé", "unicode", "Unicode", "UNICODE"),
        ("名前", "x", "X", "X"),
        ("", "x", "X", "X"),
        ("%%%", "x", "X", "X"),
        ("1", "x_1", "X1", "X_1"),
        ("../../x", "x", "X", "X"),
        ("__init__", "init", "Init", "INIT"),
    ],
)
def test_shapes(text: str, snake: str, pascal: str, upper: str) -> None:
    assert naming.snake(text, "x") == snake
    assert naming.pascal(text, "X") == pascal
    assert naming.upper(text, "X") == upper


@pytest.mark.parametrize(
    "word", sorted(naming.KEYWORDS | {"self", "id", "json", "dict", "model_config"})
)
def test_namespace_never_returns_a_reserved_or_invalid_name(word: str) -> None:
    scope = naming.Namespace(
        "parameter", reserved=naming.BUILTINS | naming.MODEL_ATTRIBUTES | {"self"}
    )
    name = scope.claim(word, naming.snake(word, "param"))
    assert name.isidentifier()
    assert not keyword.iskeyword(name) and not keyword.issoftkeyword(name)
    assert name not in naming.BUILTINS | naming.MODEL_ATTRIBUTES | {"self"}


def test_collisions_get_deterministic_suffixes_and_are_reported() -> None:
    scope = naming.Namespace("field of Job")
    names = [
        scope.claim(o, naming.snake(o, "field"), f"spec:{i}")
        for i, o in enumerate(["JobId", "job_id", "job-id"])
    ]
    assert names == ["job_id", "job_id_2", "job_id_3"]
    assert [r.original for r in scope.renames] == ["job_id", "job-id"]
    assert "'JobId' (spec:0)" in scope.renames[0].reason  # names the other source
    classes = naming.Namespace("class", separator="")
    assert [classes.claim(o, naming.pascal(o, "M")) for o in ["job", "Job"]] == [
        "Job",
        "Job2",
    ]


def test_dunder_and_symbol_names_are_neutralised() -> None:
    scope = naming.Namespace("Client method")
    assert scope.claim("__init__", "__init__") == "init_"
    assert scope.claim("", naming.snake("", "operation")) == "operation"
    assert scope.renames[-1].reason.startswith("it has no letters")


HOSTILE_TEXT = [
    'a """ b',
    'ends with a quote"',
    'ends with quotes""',
    "ends with a backslash\\",
    'backslash then quote \\"',
    '\\"""',
    '""""""',
    "nul \x00 bell \x07 escape \x1b",
    "line\rseparator\u2028paragraph\u2029next\x85",
    "tab\tand form feed\x0c",
    "{{ 7*7 }} {% raw %} ${x}",
    "'''",
    '"""; import os; os.system(\'echo pwned\'); x = """',
]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_docstring_cannot_escape_its_string(text: str) -> None:
    body = escaping.docstring(text, "    ")
    source = f'def f():\n    """{body}"""\n    return 1\n'
    tree = ast.parse(source)
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    assert len(func.body) == 2  # the docstring and the return: nothing injected
    doc = ast.get_docstring(func, clean=False)
    assert doc is not None
    for word in ("import os", "7*7", "raw"):
        if word in text:
            assert word in doc


@given(st.text(max_size=40).filter(lambda t: "\n" not in t and "\r" not in t))
@example("")
@example("  indented, and blanks after  ")
@example("ends in a quote\"")
@example("back\\slash")
@example("tab\tthen text")
def test_a_one_line_docstring_is_escaped_as_any_other(text: str) -> None:
    """One line with nothing to escape takes a shortcut; a final newline forces the
    full path, which drops it: both must give the same."""
    assert escaping.docstring(text, "    ") == escaping.docstring(text + "\n", "    ")


@pytest.mark.parametrize(
    "value",
    [*HOSTILE_TEXT, 1, 1.5, True, None, float("nan"), [1, {"a": "b"}], {"k": ['"']}],
)
def test_literal_round_trips(value: object) -> None:
    source = escaping.literal(value)
    result = eval(source, {"__builtins__": {"float": float}})
    if isinstance(value, float) and math.isnan(value):
        assert math.isnan(result)
    else:
        assert result == value


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_comment_is_one_line(text: str) -> None:
    line = escaping.comment(text)
    assert line.startswith("# ") and "\n" not in line and "\r" not in line
    assert ast.parse(line + "\nx = 1\n").body[0].lineno == 2


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_toml_string_parses_back(text: str) -> None:
    assert tomllib.loads(f"x = {escaping.toml_string(text)}\n")["x"] == text


def test_markdown_and_html_comment_neutralise_markup() -> None:
    assert "<script>" not in escaping.markdown("<script>alert(1)</script> ```")
    assert "\\`\\`\\`" in escaping.markdown("```")
    comment = escaping.html_comment("specs/x --> <b>y</b>")
    assert comment.count("-->") == 1 and comment.endswith("-->")
