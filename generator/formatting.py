"""black, in-process, applied piece by piece so a rebuild reformats only what changed.

A generated module is mostly a long run of independent statements: one model class
per schema, one method per endpoint in each client class.  black decides the layout
of each of them on its own; between them it only puts blank lines, by fixed rules.
So a module is cut into *pieces* wherever one of those rules holds, each piece is
formatted by black alone (and cached by its text), and the results are joined with
the blank lines black itself would have put there:

- two blank lines before and after a top-level ``def``/``class``;
- between two top-level simple statements (assignments, expressions), the blank
  lines the text already had, at most two;
- one blank line between the methods of a class; a method is formatted dedented
  with the line length reduced by the indent it loses, then re-indented (black
  measures lines with their indent, so every length decision comes out the same).

Anything outside those shapes stays in one piece: comments between statements, stub
bodies (``...``, whose blank lines black leaves to the author), imports, multi-line
string literals other than docstrings inside a method (a whitespace-only line in
one would lose its spaces), ``\\r``/form feeds.  The result is byte-identical to black on the whole file;
``tests/test_formatting.py`` checks that on every generated file of the seed
providers, the hostile spec and a synthetic corpus.
"""

from __future__ import annotations

import ast
import hashlib
import os
from collections.abc import Iterable
from dataclasses import replace

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput

from generator.cache import Cache
from generator.pool import map_in_processes

# Generated packages declare requires-python >= 3.11; black infers the same targets
# from that when run as ``black --check`` on the tree, so in-process and CLI agree.
BLACK_MODE = black.Mode(
    target_versions={v for v in TargetVersion if v.value >= TargetVersion.PY311.value}
)
INDENT = "    "
SPLIT_MIN_CHARS = 1_000  # smaller files are one piece: splitting would not pay
PARALLEL_MIN_CHARS = 300_000  # below this much unformatted code a process pool costs more

Piece = tuple[str, int]  # (source at depth 0, depth it is re-indented to)
Part = Piece | str  # a piece to format, or blank lines to put between two pieces


def format_piece(piece: Piece) -> str:
    """black on one piece, then re-indented to its depth."""
    text, depth = piece
    if not depth:
        return black.format_str(text, mode=BLACK_MODE)
    mode = replace(BLACK_MODE, line_length=BLACK_MODE.line_length - len(INDENT) * depth)
    out = black.format_str(text, mode=mode)
    pad = INDENT * depth
    return "".join(pad + line if line != "\n" else line for line in out.splitlines(True))


def format_text(text: str) -> str:
    """The whole of black's output for ``text``, computed piece by piece."""
    return "".join(p if isinstance(p, str) else format_piece(p) for p in split(text))


def split(text: str) -> list[Part]:
    """``text`` as pieces and the separators black puts between them."""
    if len(text) < SPLIT_MIN_CHARS or "\r" in text or "\x0c" in text:
        return [(text, 0)]
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):  # black reports it, with its own message
        return [(text, 0)]
    lines = text.split("\n")
    parts: list[Part] = []
    group: list[ast.stmt] = []  # statements that stay in the current piece

    def flush(last_piece: bool) -> None:
        first, last = group[0], group[-1]
        start = 1 if not parts else _start(first)
        end = len(lines) if last_piece else (last.end_lineno or last.lineno)
        if (
            len(group) == 1
            and isinstance(first, ast.ClassDef)
            and start == _start(first)
            and not any(line.strip() for line in lines[last.end_lineno or 0 : end])
        ):
            class_parts = _split_class(first, lines)
            if class_parts is not None:
                parts.extend(class_parts)
                group.clear()
                return
        parts.append((_source(lines, start, end), 0))
        group.clear()

    for i, node in enumerate(tree.body):
        if group:
            sep = _top_level_separator(tree.body, i, lines)
            if sep is not None:
                flush(last_piece=False)
                parts.append(sep)
        group.append(node)
    if not group:
        return [(text, 0)]
    flush(last_piece=True)
    return parts


def _start(node: ast.stmt) -> int:
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _source(lines: list[str], first: int, last: int) -> str:
    """Lines ``first``..``last`` (1-based, inclusive) with a final newline."""
    return "\n".join(lines[first - 1 : last]) + "\n"


def _gap(lines: list[str], before: ast.stmt, after: ast.stmt) -> int | None:
    """Blank lines between two statements; None if anything else is there (a
    comment, a second statement on the same line)."""
    end = before.end_lineno or before.lineno
    start = _start(after)
    if start <= end or getattr(after, "col_offset", 0) != _col(lines, after):
        return None
    between = lines[end : start - 1]
    if any(line.strip() for line in between):
        return None
    return len(between)


def _col(lines: list[str], node: ast.stmt) -> int:
    line = lines[_start(node) - 1]
    return len(line) - len(line.lstrip(" "))


def _is_def(node: ast.stmt) -> bool:
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))


def _is_stub(node: ast.stmt) -> bool:
    """A body of only ``...`` (or a docstring and ``...``): black lets the author
    choose the blank lines around those."""
    body = getattr(node, "body", None)
    if not isinstance(body, list):
        return False
    rest = [s for s in body if not _is_docstring(s)]
    return all(
        isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) and s.value.value is Ellipsis
        for s in rest
    ) or any(isinstance(s, ast.Pass) for s in rest)


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


_SIMPLE = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr)


def _top_level_separator(body: list[ast.stmt], i: int, lines: list[str]) -> str | None:
    """What black puts between ``body[i-1]`` and ``body[i]``, if a rule fixes it."""
    before, after = body[i - 1], body[i]
    gap = _gap(lines, before, after)
    if gap is None:
        return None
    if _is_def(before) or _is_def(after):
        if (_is_def(before) and _is_stub(before)) or (_is_def(after) and _is_stub(after)):
            return None
        return "\n\n"
    if i - 1 == 0 and _is_docstring(before):  # the module docstring has its own rule
        return None
    if isinstance(before, _SIMPLE) and isinstance(after, _SIMPLE):
        return "\n" * min(gap, 2)
    return None


def _split_class(node: ast.ClassDef, lines: list[str]) -> list[Part] | None:
    """A class as its header (everything before the first method) and one piece per
    method, or None when it does not have that shape."""
    methods = [s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if len(methods) < 2 or _is_stub(node):
        return None
    first = node.body.index(methods[0])
    if first == 0 or node.body[first:] != methods:
        return None  # no header statement, or attributes between the methods
    parts: list[Part] = []
    header_end = node.body[first - 1].end_lineno or node.body[first - 1].lineno
    parts.append((_source(lines, _start(node), header_end), 0))
    previous: ast.stmt = node.body[first - 1]
    for method in methods:
        if _is_stub(method) or _gap(lines, previous, method) is None:
            return None
        piece = _dedented(method, lines)
        if piece is None:
            return None
        parts.append("\n")
        parts.append((piece, 1))
        previous = method
    return parts


def _dedented(method: ast.stmt, lines: list[str]) -> str | None:
    """The method's source one level out, or None when that could change a string."""
    if _col(lines, method) != len(INDENT):
        return None
    source = lines[_start(method) - 1 : method.end_lineno]
    if not _only_docstring_spans_lines(method, source, lines):
        return None  # a multi-line literal: a blank line inside it must keep its spaces
    out = []
    for line in source:
        if line.strip():
            if not line.startswith(INDENT):
                return None
            out.append(line[len(INDENT) :])
        else:
            out.append("")
    return "\n".join(out) + "\n"


def _only_docstring_spans_lines(method: ast.stmt, source: list[str], lines: list[str]) -> bool:
    """No string literal in ``method`` but its docstring runs over several lines.

    A string spans lines only with triple quotes or a backslash at the end of a
    line, so text with neither (or only the docstring's own pair of triple quotes)
    needs no look at the tree; anything else is decided by walking it."""
    body = getattr(method, "body", [])
    docstring = body[0] if body and isinstance(body[0], ast.Expr) and _is_docstring(body[0]) else None
    if not any(line.endswith("\\") for line in source):
        quotes = sum(line.count('"""') + line.count("'''") for line in source)
        if quotes == 0:
            return True
        if quotes == 2 and docstring is not None:
            opening = lines[docstring.lineno - 1][docstring.col_offset :].lstrip("rRuU")
            if opening.startswith(('"""', "'''")):
                return True
    multiline = (
        sub
        for sub in ast.walk(method)
        if isinstance(sub, (ast.Constant, ast.JoinedStr)) and sub.end_lineno not in (None, sub.lineno)
    )
    return all(docstring is not None and sub is docstring.value for sub in multiline)


class Formatter:
    """black with one fixed mode over a batch of files.  Whole files are cached by
    their unformatted text; a file that changed is formatted piece by piece, and
    pieces are cached too (in memory, and per file in the build's content-addressed
    cache when given), so changing one endpoint reformats one method, not the
    module.  Large batches of misses are spread over a process pool."""

    def __init__(self, cache: Cache | None = None, workers: int | None = None):
        self.cache = cache
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.memory: dict[str, str] = {}  # entry → formatted, files and pieces alike

    def format_all(self, texts: dict[str, str]) -> dict[str, str]:
        """path → unformatted text, to path → black-formatted text."""
        done: dict[str, str] = {}
        changed: dict[str, tuple[str, list[Part], dict[str, str]]] = {}
        for path, text in texts.items():
            entry = cache_key("black", text)
            found = self._lookup("black", entry)
            if found is not None:
                done[path] = found
                continue
            stored = self.cache.get("black-pieces", cache_key("black-pieces", path)) if self.cache else None
            known = stored if isinstance(stored, dict) else {}
            changed[path] = (entry, split(text), known)

        wanted: dict[str, Piece] = {}  # piece entry → piece, for those not cached
        for _, parts, known in changed.values():
            for part in parts:
                if isinstance(part, str):
                    continue
                entry = _piece_key(part)
                if entry in self.memory or entry in wanted:
                    continue
                if isinstance(known.get(entry), str):
                    self.memory[entry] = known[entry]
                else:
                    wanted[entry] = part
        self.memory.update(zip(wanted, self._run(list(wanted.values())), strict=True))

        for path, (entry, parts, _) in changed.items():
            keyed = [(p, None) if isinstance(p, str) else (None, _piece_key(p)) for p in parts]
            used = {key: self.memory[key] for _, key in keyed if key is not None}
            text = "".join(sep if key is None else used[key] for sep, key in keyed)  # type: ignore[misc]
            done[path] = self.memory[entry] = text
            if self.cache is not None:
                self.cache.put("black", entry, text)
                if len(used) > 1:
                    self.cache.put("black-pieces", cache_key("black-pieces", path), used)
        return done

    def _lookup(self, kind: str, entry: str) -> str | None:
        found = self.memory.get(entry)
        if found is None and self.cache is not None:
            stored = self.cache.get(kind, entry)
            if isinstance(stored, str):
                found = self.memory[entry] = stored
        return found

    def _run(self, pieces: list[Piece]) -> list[str]:
        try:
            if self.workers < 2 or len(pieces) < 2 or _size(pieces) < PARALLEL_MIN_CHARS:
                return [format_piece(piece) for piece in pieces]
            order = sorted(range(len(pieces)), key=lambda i: -len(pieces[i][0]))  # big first
            chunk = max(1, len(pieces) // (self.workers * 8))
            done = map_in_processes(format_piece, [pieces[i] for i in order], self.workers, chunk)
            results = dict(zip(order, done, strict=True))
            return [results[i] for i in range(len(pieces))]
        except InvalidInput as exc:  # a generator bug: never write code black cannot parse
            raise FormatError(str(exc)) from None


class FormatError(Exception):
    """Generated code black cannot parse (a generator bug)."""


# black's output depends on black and the mode alone, not on the generator: entries
# survive a changed template or extractor, and only the pieces that changed rerun.
_BLACK_ID = f"black {getattr(black, '__version__', '')} {BLACK_MODE.get_cache_key()}".encode()


def cache_key(kind: str, *parts: str) -> str:
    digest = hashlib.sha256(_BLACK_ID)
    for part in (kind, *parts):
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _piece_key(piece: Piece) -> str:
    return cache_key("black-piece", str(piece[1]), piece[0])


def _size(pieces: Iterable[Piece]) -> int:
    return sum(len(text) for text, _ in pieces)
