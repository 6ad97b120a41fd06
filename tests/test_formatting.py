"""Piecewise black (generator/formatting.py) must give black's own output, byte for
byte: checked on every generated Python file of the seed providers, the hostile
spec and a synthetic corpus (unformatted template output, split however small),
and on hand-written modules with the shapes the splitter must leave whole."""

from __future__ import annotations

from pathlib import Path

import black
import pytest
from conftest import REPO
from test_bench_corpus import corpus_module

from generator import formatting, render
from generator.cache import Cache
from generator.files import read_manifest
from generator.formatting import BLACK_MODE, Formatter, format_text, split
from generator.pipeline import extract
from generator.render.context import build_package
from generator.spec import Spec, load_yaml


def _unformatted(spec: Spec, spec_path: str) -> dict[str, str]:
    """The template output of every .py file, before black."""
    captured: dict[str, str] = {}

    class Capture(Formatter):
        def format_all(self, texts: dict[str, str]) -> dict[str, str]:
            captured.update(texts)
            return dict(texts)

    render.render_package(build_package(spec, spec_path), Capture())
    return captured


def _assert_same_as_black(texts: dict[str, str]) -> int:
    pieces = 0
    for path, text in sorted(texts.items()):
        assert format_text(text) == black.format_str(text, mode=BLACK_MODE), path
        pieces += sum(not isinstance(p, str) for p in split(text))
    return pieces


@pytest.fixture
def split_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formatting, "SPLIT_MIN_CHARS", 0)


@pytest.fixture(autouse=True)
def fresh_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """Formatters of one process share what they formatted: not across tests."""
    monkeypatch.setattr(formatting, "_MEMORY", {})


SPECS = sorted((REPO / "specs").glob("*.yaml")) + [REPO / "tests" / "hostile" / "hostile.yaml"]


@pytest.mark.parametrize("spec_file", SPECS, ids=lambda p: p.stem)
def test_pieces_equal_black_on_generated_files(spec_file: Path, split_everything: None) -> None:
    if spec_file.name.endswith(".overrides.yaml"):
        pytest.skip("overrides, not a spec")
    spec = load_yaml(spec_file.read_text("utf-8"), str(spec_file))
    texts = _unformatted(spec, f"specs/{spec_file.name}")
    files = len(texts)
    assert _assert_same_as_black(texts) > 2 * files  # the big modules really were cut up


def test_pieces_equal_black_on_a_synthetic_corpus(tmp_path: Path, split_everything: None) -> None:
    corpus = corpus_module.generate(tmp_path, 16, seed=7)
    for provider, pages in sorted(corpus.providers.items()):
        result = extract(provider, [corpus.root / p for p in pages], root=corpus.root)
        _assert_same_as_black(_unformatted(result.spec, f"specs/{provider}.yaml"))


TRICKY = {
    "comment between methods": '''
class A:
    """Doc."""

    def f(self):
        return 1
    # a comment that belongs to g

    def g(self): return [1,
      2]
''',
    "overload stubs": '''
from typing import overload
@overload
def f(x: int) -> int: ...
@overload
def f(x: str) -> str: ...
def f(x): return x
class P:
    """Doc."""
    def a(self) -> None: ...
    def b(self) -> None: ...
''',
    "multi-line string literal in a method": '''
class A:
    """Doc."""
    def f(self):
        return """line one
  line two, indented two
line three"""
    def g(self):
        return f"""{self}
    x"""
''',
    "single-quoted docstring beside a triple-quoted string, backslash continuation": "\n".join(
        [
            "class A:",
            '    """Doc."""',
            "    def f(self):",
            '        "one-line docstring"',
            '        return """a',
            "      ",  # whitespace inside a string: dedenting must not touch it
            '      b"""',
            "    def g(self):",
            '        return "first \\',
            '      second"',
            "    def h(self):",
            "        \'\'\'Docstring in single quotes,",
            "        over two lines.\'\'\'",
            "        return 1",
            "",
        ]
    ),
    "module docstring, assignments with odd blank lines, trailing comment": '''"""Module."""
X = 1



Y = 2
Z = {'a':1,
  'b': 2}
def f(): pass
W = 3
# the end
''',
    "decorated methods, long signatures, docstring needing its quotes moved": '''
import functools
class Client:
    """A client.

      Indented docstring line.
    """
    x: int = 1
    @functools.cache
    def method_with_a_rather_long_name(self, *, first_argument: str, second_argument: int | None = None, third: bool = False) -> dict[str, int]:
        """A docstring that is long enough that the closing quotes must go on their own line."""
        return {"first_argument": 1, "second_argument": 2, "third_argument_with_long_name": 3}
    async def other(self, a, b,):
        return await self.method_with_a_rather_long_name(first_argument=a, second_argument=b)
''',
    "attributes after methods and nested classes": '''
class A:
    """Doc."""
    def f(self): pass
    y = 2
    def g(self): pass
class B:
    class Inner:
        z = 1
    def f(self): pass
    def g(self): pass
''',
    "statements on one line and semicolons": '''
import os; import sys
class A:
    """Doc."""
    def f(self): return 1; 
    def g(self): return 2
if os: X = 1
def h(): return sys
''',
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_pieces_equal_black_on_shapes_the_splitter_must_respect(name: str, split_everything: None) -> None:
    text = TRICKY[name].lstrip("\n")
    assert format_text(text) == black.format_str(text, mode=BLACK_MODE)


def test_invalid_python_is_one_piece_so_black_reports_it(split_everything: None) -> None:
    assert split("def f(:\n    pass\n") == [("def f(:\n    pass\n", 0)]
    with pytest.raises(formatting.FormatError):
        Formatter(workers=1).format_all({"bad.py": "def f(:\n    pass\n"})


def _client_module(bodies: list[str]) -> str:
    methods = "\n".join(f"    def m{i}(self, a, b):\n        return {body}\n" for i, body in enumerate(bodies))
    return f'"""Generated."""\n\nclass C:\n    """Doc."""\n\n{methods}'


def test_a_rebuild_formats_only_the_changed_piece(tmp_path: Path, split_everything: None) -> None:
    bodies = [f"[a,b,{i}]" for i in range(30)]  # not in black's layout: black must run
    formatted: list[formatting.Piece] = []
    original = formatting.format_piece

    def counting(piece: formatting.Piece) -> str:
        formatted.append(piece)
        return original(piece)

    cache = Cache(tmp_path / "cache")
    first = Formatter(cache, workers=1)
    try:
        formatting.format_piece = counting  # type: ignore[assignment]
        out = first.format_all({"pkg/client.py": _client_module(bodies)})
        assert len(formatted) == 30  # the methods (the docstring and class header are black's already)
        formatted.clear()
        bodies[17] = "{'changed':a}"
        text = _client_module(bodies)
        again = Formatter(Cache(tmp_path / "cache"), workers=1).format_all({"pkg/client.py": text})
    finally:
        formatting.format_piece = original  # type: ignore[assignment]
    assert [p[0] for p in formatted] == ["def m17(self, a, b):\n    return {'changed':a}\n"]
    assert again["pkg/client.py"] == black.format_str(text, mode=BLACK_MODE)
    assert out["pkg/client.py"] != again["pkg/client.py"]


def test_parallel_formatting_gives_the_same_files_as_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = load_yaml((REPO / "tests/fixtures/specs/clusters.yaml").read_text(), "clusters.yaml")
    package = build_package(spec, "specs/clusters.yaml")
    serial = render.render_package(package, Formatter(workers=1))
    monkeypatch.setattr(formatting, "PARALLEL_MIN_CHARS", 0)  # force the pool on this small package
    monkeypatch.setattr(formatting, "SPLIT_MIN_CHARS", 0)
    assert render.render_package(package, Formatter(workers=2)) == serial


_PARENT: list[int] = []  # the pid the test runs in, seen by forked workers


def _format_piece_or_die(piece: formatting.Piece) -> str:
    """format_piece, except in a worker process, which it kills (as an out-of-memory
    kill would).  Module level, so a process pool can send it by name."""
    import os

    if os.getpid() not in _PARENT:
        os._exit(9)
    return _ORIGINAL_FORMAT_PIECE(piece)


_ORIGINAL_FORMAT_PIECE = formatting.format_piece


def test_a_dead_formatting_worker_does_not_lose_the_batch(monkeypatch: pytest.MonkeyPatch, split_everything: None) -> None:
    import os

    _PARENT[:] = [os.getpid()]
    monkeypatch.setattr(formatting, "format_piece", _format_piece_or_die)
    monkeypatch.setattr(formatting, "PARALLEL_MIN_CHARS", 0)
    text = _client_module([f"[a, b, {i}]" for i in range(10)])
    assert Formatter(workers=2).format_all({"c.py": text}) == {"c.py": black.format_str(text, mode=BLACK_MODE)}


# -- resplit: a large module split again from its last split ------------------------

_GENERATED = sorted(
    f
    for package in (REPO / "generated").iterdir()
    for f in (package / name for name in read_manifest(package) if name.endswith(".py"))
    if f.stat().st_size >= formatting.SPLIT_MIN_CHARS and f.name != "_runtime.py"
)  # only what the generator wrote: never build/ or *.egg-info left by pip install
_SNIPPETS = [
    "",
    "        x = 1",
    "        '''a docstring",
    "        '''",
    '        """',
    "    def extra(self) -> None:",
    "        pass",
    "    @property",
    "class Intruder:",
    "# a comment at the margin",
    "        # an indented comment",
    "        return {",
    "        }",
    "        y = (1,",
    "            2)",
    "        value = \\",
    "def top() -> None: ...",
    "    ...",
    "\tz = 2",
    "        async def inner(): await x",
]


@pytest.mark.parametrize("file", _GENERATED, ids=lambda f: f.relative_to(REPO / "generated").as_posix())
def test_resplit_agrees_with_split_after_any_edit(file: Path) -> None:
    """Random line edits (inside a method, across methods, breaking the syntax,
    opening strings) never make ``resplit`` differ from splitting from scratch."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    text = file.read_text("utf-8").split("\n", 1)[1]  # without the generated header: as black gets it
    lines = text.split("\n")
    earlier = formatting._split(text)

    @settings(max_examples=60, deadline=None, derandomize=True)
    @given(
        st.integers(0, len(lines)),
        st.integers(0, 4),
        st.lists(st.sampled_from(_SNIPPETS + lines[:200]), max_size=4),
    )
    def check(start: int, removed: int, inserted: list[str]) -> None:
        edited = "\n".join(lines[:start] + inserted + lines[start + removed :])
        assert formatting.resplit(text, earlier, edited) == formatting._split(edited)

    check()


def test_resplit_parses_only_the_changed_method(monkeypatch: pytest.MonkeyPatch, split_everything: None) -> None:
    bodies = [f"[a, b, {i}]" for i in range(30)]
    text = _client_module(bodies)
    earlier = formatting._split(text)
    bodies[11] = "{'changed': a,\n            'and': b}"  # a line more
    bodies[29] = "[]"  # and the last method
    bodies[2] = "[a,\n        b]"
    edited = _client_module(bodies)
    expected = formatting._split(edited)

    def whole_file(text: str) -> object:
        raise AssertionError("the whole module was parsed again")

    monkeypatch.setattr(formatting, "_split", whole_file)
    assert formatting.resplit(text, earlier, edited) == expected
    assert formatting.resplit(text, earlier, text) == earlier


def test_a_large_module_is_split_from_its_last_split(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the build's Formatter: the second run of a large client with one
    method changed splits it with ``resplit`` and still gives black's output."""
    monkeypatch.setattr(formatting, "RESPLIT_MIN_CHARS", 0)
    bodies = [f"[a, b, {i}]" for i in range(30)]
    Formatter(Cache(tmp_path / "cache"), workers=1).format_all({"pkg/client.py": _client_module(bodies)})
    bodies[3] = "{'changed':a}"
    text = _client_module(bodies)
    calls: list[str] = []
    original = formatting.resplit

    def spy(earlier: str, split_earlier: object, new: str) -> object:
        calls.append(new)
        return original(earlier, split_earlier, new)  # type: ignore[arg-type]

    monkeypatch.setattr(formatting, "resplit", spy)
    again = Formatter(Cache(tmp_path / "cache"), workers=1).format_all({"pkg/client.py": text})
    assert calls == [text]
    assert again["pkg/client.py"] == black.format_str(text, mode=BLACK_MODE)


def _has_methods(file: Path) -> bool:
    parts = formatting._split(file.read_text("utf-8").split("\n", 1)[1])[0]
    return any(not isinstance(part, str) and part[1] == 1 for part in parts)


@pytest.mark.parametrize(
    "file", [f for f in _GENERATED if _has_methods(f)], ids=lambda f: f.relative_to(REPO / "generated").as_posix()
)
def test_resplit_agrees_with_split_after_edits_inside_methods(file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Edits aimed inside methods, where ``resplit`` may keep the other pieces: the
    same split as from scratch, and (for modules with methods) the shortcut taken."""
    import random

    text = file.read_text("utf-8").split("\n", 1)[1]
    lines = text.split("\n")
    earlier = formatting._split(text)
    methods = [span for part, span in zip(*earlier) if not isinstance(part, str) and part[1] == 1]
    body = [line for first, last in methods for line in lines[first : last - 1]]
    snippets = [*_SNIPPETS, *(" " * 8 + s.strip() for s in _SNIPPETS), *body]
    whole = formatting._split
    parsed_whole: list[str] = []
    monkeypatch.setattr(formatting, "_split", lambda t: (parsed_whole.append(t), whole(t))[1])
    rnd = random.Random(file.name)
    shortcuts = 0
    for _ in range(40):
        first, last = rnd.choice(methods)
        start = rnd.randint(first, max(first, last - 1))
        inserted = [rnd.choice(snippets) for _ in range(rnd.randint(0, 3))]
        edited = "\n".join(lines[:start] + inserted + lines[start + rnd.randint(0, 2) :])
        parsed_whole.clear()
        got = formatting.resplit(text, earlier, edited)
        shortcuts += not parsed_whole
        assert got == whole(edited), (start, inserted)
    assert shortcuts > 0


@pytest.mark.parametrize(
    "body",
    [
        "'''\n        \n        kept'''",  # a multi-line string: dedenting would empty its blank line
        "(\n            a)\n        # a comment closing the method",  # a comment after the method
        "a\n\n    def added(self):\n        return 1",  # one method becomes two
        "a\n\n    x = 1",  # an attribute between methods
        "a\n\n    def stub(self): ...",  # a stub: black leaves its blank lines alone
        "(a,",  # a syntax error
    ],
)
def test_resplit_splits_from_scratch_when_the_method_changes_shape(body: str, split_everything: None) -> None:
    bodies = [f"[a, b, {i}]" for i in range(8)]
    text = _client_module(bodies)
    earlier = formatting._split(text)
    assert len(earlier[0]) > 8  # cut into methods
    bodies[4] = body
    edited = _client_module(bodies)
    assert formatting.resplit(text, earlier, edited) == formatting._split(edited)


@pytest.mark.parametrize("method", ["m0", "m5", "m7"])
def test_resplit_splits_from_scratch_when_a_comment_comes_before_a_method(method: str, split_everything: None) -> None:
    text = _client_module([f"[a, b, {i}]" for i in range(8)])
    earlier = formatting._split(text)
    assert len(earlier[0]) > 8  # cut into methods
    edited = text.replace(f"    def {method}(self, a, b):", f"    # about {method}\n    def {method}(self, a, b):")
    assert edited != text
    assert formatting.resplit(text, earlier, edited) == formatting._split(edited)
