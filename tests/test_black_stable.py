"""The formatter skips black for pieces ``is_black_stable`` accepts, so that rule must
be sound: every piece it accepts is exactly what black gives.  Checked on every
piece of the generated packages (seed specs, fixtures, the hostile spec, a
synthetic corpus), on random doc text, and on shapes black does change."""

from __future__ import annotations

import keyword
from pathlib import Path

import black
import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from test_bench_corpus import corpus_module
from test_formatting import _unformatted

from generator import escaping, formatting
from generator.black_stable import is_black_stable
from generator.formatting import (
    BLACK_MODE,
    Formatter,
    already_formatted,
    format_piece,
    split,
)
from generator.pipeline import extract
from generator.render.layout import Bracketed
from generator.spec import load_yaml


def _check_pieces(texts: dict[str, str]) -> tuple[int, int]:
    """Assert every accepted piece is black's own output; return (accepted, all)
    characters of the resource modules."""
    accepted = total = 0
    for path, text in sorted(texts.items()):
        for part in split(text):
            if isinstance(part, str):
                continue
            fast = already_formatted(part)
            if "/resources/" in path:
                total += len(part[0])
                accepted += len(part[0]) if fast is not None else 0
            if fast is not None:
                assert fast == format_piece(part), f"{path}:\n{part[0]}"
    return accepted, total


@pytest.fixture
def split_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formatting, "SPLIT_MIN_CHARS", 0)


SPECS = (
    sorted((REPO / "specs").glob("*.yaml"))
    + sorted((REPO / "tests" / "fixtures" / "specs").glob("*.yaml"))
    + [REPO / "tests" / "hostile" / "hostile.yaml"]
)


@pytest.mark.parametrize("spec_file", [s for s in SPECS if not s.name.endswith(".overrides.yaml")], ids=lambda p: p.stem)
def test_accepted_pieces_of_generated_packages_are_blacks_output(spec_file: Path, split_everything: None) -> None:
    spec = load_yaml(spec_file.read_text("utf-8"), str(spec_file))
    _check_pieces(_unformatted(spec, f"specs/{spec_file.name}"))


def test_accepted_pieces_of_a_synthetic_corpus_are_blacks_output_and_most_of_it(
    tmp_path: Path, split_everything: None
) -> None:
    corpus = corpus_module.generate(tmp_path, 40, seed=11)
    accepted = total = 0
    for provider, pages in sorted(corpus.providers.items()):
        result = extract(provider, [corpus.root / p for p in pages], root=corpus.root)
        done, size = _check_pieces(_unformatted(result.spec, f"specs/{provider}.yaml"))
        accepted, total = accepted + done, total + size
    assert accepted > 0.8 * total  # the templates really emit black's layout


def _as_black(text: str, depth: int = 0) -> str:
    return format_piece((text, depth))


def _assert_sound(text: str, depth: int = 0) -> None:
    limit = BLACK_MODE.line_length - 4 * depth
    if is_black_stable(text, limit):
        assert _as_black(text, depth) == "".join(
            "    " * depth + line if line != "\n" else line for line in text.splitlines(True)
        ), text


_doc_text = st.text(
    alphabet=st.sampled_from(list("ab \n\"'\\`{}<>#;:,.-_()[]*|=é漢\t")), max_size=60
)


@settings(max_examples=150, deadline=None)
@given(summary=_doc_text, field=_doc_text, wire=st.text(max_size=12), value=st.text(max_size=12))
def test_accepted_classes_with_random_doc_text_are_blacks_output(summary: str, field: str, wire: str, value: str) -> None:
    class_doc = escaping.docstring(summary, "    ")
    class_doc = f"{class_doc}\n    " if "\n" in class_doc else class_doc
    field_doc = escaping.docstring(field, "    ")
    field_doc = f"{field_doc}\n    " if "\n" in field_doc else field_doc
    alias = Bracketed("name: str | None = Field(", ["default=None", f"alias={escaping.literal(wire)}"], ")")
    text = (
        f'class Thing(_rt.Model):\n    """{class_doc or "x"}"""\n\n'
        f"    {alias.text('    ')}\n"
        f'    """{field_doc or "y"}"""\n'
        f"    VALUE = {escaping.literal(value)}\n"
    )
    _assert_sound(text)


_identifier = st.from_regex(r"[a-z][a-z_0-9]{0,40}", fullmatch=True).filter(
    lambda n: not keyword.iskeyword(n)  # names come through generator.naming, which renames keywords
)


@settings(max_examples=100, deadline=None)
@given(
    name=_identifier,
    params=st.lists(_identifier.filter(lambda n: len(n) <= 21), max_size=6, unique=True),
    doc=_doc_text,
    path=st.text(max_size=40),
)
def test_accepted_methods_and_endpoints_with_random_names_are_blacks_output(
    name: str, params: list[str], doc: str, path: str
) -> None:
    signature = Bracketed(
        f"def {name}(", ["self", *(["*", *(f"{p}: str | None = None" for p in params)] if params else [])], ") -> Result:"
    )
    body = escaping.docstring(doc, "    ")
    body = f"{body}\n    " if "\n" in body else body
    method = f'{signature.text("")}\n    """{body or "x"}"""\n    return self._call(_E, locals())\n'
    _assert_sound(method, 1)
    endpoint = Bracketed(
        f"_{name.upper()} = _rt.Endpoint(",
        [escaping.literal(name), '"GET"', escaping.literal(path), "Result", Bracketed("{", [f'"{p}": "query"' for p in params], "}")],
        ")",
    )
    _assert_sound(endpoint.text("") + "\n")


BLACK_CHANGES = {
    "magic trailing comma on one line": "x = f(a, b,)\n",
    "magic trailing comma in a list": 'x = ["a",]\n',
    "magic trailing comma in a call of one argument": "x = f(a,)\n",
    "one-item tuple exploded": 'x = (\n    "a",\n)\n',
    "over-indented docstring": 'class A(B):\n    """Doc.\n\n        indented\n    """\n',
    "docstring with a first line only": 'class A(B):\n    """Doc.\n    """\n',
    "blank line before a function docstring": 'def f(self) -> X:\n\n    """Doc."""\n    return 1\n',
    "redundant parentheses": "x = (1)\n",
    "two spaces": "x  = 1\n",
    "keyword argument with spaces": "x = f(a = 1)\n",
    "docstring ending with a quote": 'class A(B):\n    """Say "hi\\""""\n',
    "a line too long": "x = f(" + ", ".join(f"a{i}" for i in range(30)) + ")\n",
    "trailing blank lines inside a class": "class A(B):\n    x: int = 1\n\n\n    y: int = 2\n",
    "import in parentheses on one line": "from a import (b, c)\n",
}


@pytest.mark.parametrize("name", sorted(BLACK_CHANGES))
def test_shapes_black_changes_are_refused(name: str) -> None:
    text = BLACK_CHANGES[name]
    assert black.format_str(text, mode=BLACK_MODE) != text  # the trap is real
    assert not is_black_stable(text)


def test_the_formatter_skips_black_for_accepted_pieces(monkeypatch: pytest.MonkeyPatch, split_everything: None) -> None:
    calls: list[str] = []
    original = formatting.format_piece

    def counting(piece: formatting.Piece) -> str:
        calls.append(piece[0])
        return original(piece)

    monkeypatch.setattr(formatting, "format_piece", counting)
    stable = 'class A(_rt.Model):\n    """Doc."""\n\n    a: int | None = None\n'
    unstable = "x  = 1\n"
    out = Formatter(workers=1).format_all({"a.py": stable + "\n\n" + unstable})
    assert out == {"a.py": black.format_str(stable + "\n\n" + unstable, mode=BLACK_MODE)}
    assert calls == [unstable + "\n"]  # the file's last piece, with its blank line
