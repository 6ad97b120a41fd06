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
import os
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import lru_cache
from itertools import pairwise
from typing import Any, TypeGuard

from generator.black_stable import is_black_stable
from generator.cache import Cache, digest
from generator.cache import key as code_key
from generator.pool import map_in_processes

# Generated packages declare requires-python >= 3.11; black infers the same targets
# from that when run as ``black --check`` on the tree, so in-process and CLI agree.
# black itself is imported only when something has to be formatted: a run whose
# code is cached, or already in black's layout, never loads it.
LINE_LENGTH = 88
MODE_ID = f"target-versions>=py311 line-length={LINE_LENGTH}"  # what BLACK_MODE sets: keys hold it


def __getattr__(name: str) -> Any:
    if name == "BLACK_MODE":
        return _black_mode()
    raise AttributeError(name)


@lru_cache(maxsize=1)
def _black_mode() -> Any:
    import black
    from black.mode import TargetVersion

    return black.Mode(
        target_versions={v for v in TargetVersion if v.value >= TargetVersion.PY311.value},
        line_length=LINE_LENGTH,
    )


INDENT = "    "
SPLIT_MIN_CHARS = 1_000  # smaller files are one piece: splitting would not pay
RESPLIT_MIN_CHARS = 100_000  # larger files keep their split for the next build (see ``resplit``)
PARALLEL_MIN_CHARS = 300_000  # below this much unformatted code a process pool costs more

Piece = tuple[str, int]  # (source at depth 0, depth it is re-indented to)
Part = Piece | str  # a piece to format, or blank lines to put between two pieces


def format_piece(piece: Piece) -> str:
    """black on one piece, then re-indented to its depth."""
    import black

    text, depth = piece
    mode = _black_mode()
    if not depth:
        return str(black.format_str(text, mode=mode))
    mode = replace(mode, line_length=mode.line_length - len(INDENT) * depth)
    out = black.format_str(text, mode=mode)
    pad = INDENT * depth
    return "".join(pad + line if line != "\n" else line for line in out.splitlines(True))


def format_text(text: str) -> str:
    """The whole of black's output for ``text``, computed piece by piece."""
    return "".join(p if isinstance(p, str) else format_piece(p) for p in split(text))


def split(text: str) -> list[Part]:
    """``text`` as pieces and the separators black puts between them."""
    return _split(text)[0]


Span = tuple[int, int]  # first and last line (1-based) of a piece in its file; (0, 0): a separator


def _split(text: str) -> tuple[list[Part], list[Span]]:
    """``split`` and, beside each part, where it lies in ``text``."""
    if len(text) < SPLIT_MIN_CHARS or "\r" in text or "\x0c" in text:
        return [(text, 0)], [(1, text.count("\n") + 1)]
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):  # black reports it, with its own message
        return [(text, 0)], [(1, text.count("\n") + 1)]
    lines = text.split("\n")
    parts: list[Part] = []
    spans: list[Span] = []
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
                for part, span in class_parts:
                    parts.append(part)
                    spans.append(span)
                group.clear()
                return
        parts.append((_source(lines, start, end), 0))
        spans.append((start, end))
        group.clear()

    for i, node in enumerate(tree.body):
        if group:
            sep = _top_level_separator(tree.body, i, lines)
            if sep is not None:
                flush(last_piece=False)
                parts.append(sep)
                spans.append((0, 0))
        group.append(node)
    if not group:
        return [(text, 0)], [(1, len(lines))]
    flush(last_piece=True)
    return parts, spans


def resplit(earlier: str, split_earlier: tuple[list[Part], list[Span]], text: str) -> tuple[list[Part], list[Span]]:
    """``_split(text)``, given the split of an ``earlier`` version of the text.

    When only method pieces changed, and each changed one still reads, alone and
    dedented, as one method ``_split_class`` would cut out, the file's statements
    are those of the earlier text with those methods replaced: every other line is
    the same, each method is complete by itself, so what follows it reads as it
    did.  Then only the changed methods are parsed, and the other pieces and the
    separators are kept (moved by the lines gained or lost).  Anything else, and
    any doubt, is split again from scratch."""
    parts, spans = split_earlier
    if len(text) < SPLIT_MIN_CHARS or "\r" in text or "\x0c" in text or len(parts) < 2:
        return _split(text)
    if text == earlier:
        return split_earlier
    old, new = earlier.split("\n"), text.split("\n")
    methods = [k for k, part in enumerate(parts) if not isinstance(part, str) and part[1] == 1]
    next_first = {k: spans[m][0] for k, m in pairwise(methods)}  # the next method's first line
    out_parts: list[Part] = []
    out_spans: list[Span] = []
    old_at = new_at = 0  # lines matched so far, in each text
    for k, (part, (first, last)) in enumerate(zip(parts, spans)):
        if isinstance(part, str) or part[1] != 1:  # a separator or a top-level piece: its lines are checked below
            out_parts.append(part)
            out_spans.append((first + new_at - old_at, last + new_at - old_at) if first else (0, 0))
            continue
        before = old[old_at : first - 1]  # what lies between the previous method and this one
        if new[new_at : new_at + len(before)] != before:
            return _split(text)
        new_at, old_at = new_at + len(before), first - 1
        following = next_first.get(k)
        anchor = old[last:following]  # up to the next method's first line, or to the end
        end = _found(new, anchor, new_at, last - old_at, old[old_at:last], last_method=following is None)
        if end is None:
            return _split(text)
        if new[new_at:end] == old[old_at:last]:
            out_parts.append(part)
        else:
            method = _method_alone(new[new_at:end])
            if method is None:
                return _split(text)
            out_parts.append((method, 1))
        out_spans.append((new_at + 1, end))
        new_at, old_at = end, last
    if new[new_at:] != old[old_at:]:
        return _split(text)
    return out_parts, out_spans


def _found(new: list[str], anchor: list[str], start: int, length: int, same: list[str], last_method: bool) -> int | None:
    """Where a method that began at ``start`` of ``new`` ends: right before
    ``anchor`` (the lines that followed it), first where it is unchanged."""
    if new[start : start + length] == same and new[start + length : start + length + len(anchor)] == anchor:
        return start + length
    if last_method:
        return len(new) - len(anchor)  # the caller checks that those lines follow it
    for end in range(start + 1, len(new) - len(anchor) + 1):
        if new[end] == anchor[0] and new[end : end + len(anchor)] == anchor:
            return end
    return None


def _method_alone(lines: list[str]) -> str | None:
    """The piece ``_split_class`` makes of these lines of a class body, when they
    are exactly one method it would split out, else None.  They are parsed as the
    body of a class of their own, so the method is cut out as in the module."""
    framed = ["class _:", *lines]
    try:
        tree = ast.parse("\n".join(framed))
    except (SyntaxError, ValueError):
        return None
    body = getattr(tree.body[0], "body", []) if len(tree.body) == 1 else []
    if len(body) != 1:
        return None
    method = body[0]
    if (
        not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef))
        or _start(method) != 2
        or method.end_lineno != len(framed)
        or _is_stub(method)
    ):
        return None
    return _dedented(method, framed)


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


def _split_class(node: ast.ClassDef, lines: list[str]) -> list[tuple[Part, Span]] | None:
    """A class as its header (everything before the first method) and one piece per
    method, each with its span, or None when it does not have that shape."""
    methods = [s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if len(methods) < 2 or _is_stub(node):
        return None
    first = node.body.index(methods[0])
    if first == 0 or node.body[first:] != methods:
        return None  # no header statement, or attributes between the methods
    parts: list[tuple[Part, Span]] = []
    header_end = node.body[first - 1].end_lineno or node.body[first - 1].lineno
    parts.append(((_source(lines, _start(node), header_end), 0), (_start(node), header_end)))
    previous: ast.stmt = node.body[first - 1]
    for method in methods:
        if _is_stub(method) or _gap(lines, previous, method) is None:
            return None
        piece = _dedented(method, lines)
        if piece is None:
            return None
        parts.append(("\n", (0, 0)))
        parts.append(((piece, 1), (_start(method), method.end_lineno or method.lineno)))
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


_MEMORY: dict[str, str] = {}
MEMORY_ENTRIES = 200_000


def already_formatted(piece: Piece) -> str | None:
    """What ``format_piece`` gives, when ``is_black_stable`` shows black would leave the
    piece as it is (but for blank lines at its end, which black drops); else None."""
    text, depth = piece
    trimmed = text.rstrip("\n") + "\n"
    if not is_black_stable(trimmed, LINE_LENGTH - len(INDENT) * depth):
        return None
    if not depth:
        return trimmed
    pad = INDENT * depth
    return "".join(pad + line if line != "\n" else line for line in trimmed.splitlines(True))


class Formatter:
    """black with one fixed mode over a batch of files.  Whole files are cached by
    their unformatted text; a file that changed is formatted piece by piece, and
    pieces are cached too (in memory, and per file in the build's content-addressed
    cache when given), so changing one endpoint reformats one method, not the
    module.  Large batches of misses are spread over a process pool."""

    def __init__(
        self,
        cache: Cache | None = None,
        workers: int | None = None,
        known: Mapping[str, str] | None = None,
    ):
        self.cache = cache
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        # source digest → formatted text, from a committed tree whose manifest records
        # what each file's unformatted render was (``check`` only: trusted, never cached)
        self.known = known or {}
        self.sources: dict[str, str] = {}  # path → source digest of each file formatted
        # entry → formatted, files and pieces alike; shared by the formatters of one
        # process (entries are keyed by content), so identical files of several
        # providers (the runtime) are formatted once
        if len(_MEMORY) > MEMORY_ENTRIES:
            _MEMORY.clear()
        self.memory = _MEMORY

    def format_all(self, texts: dict[str, str]) -> dict[str, str]:
        """path → unformatted text, to path → black-formatted text."""
        done: dict[str, str] = {}
        changed: dict[str, tuple[str, list[Part], dict[str, str]]] = {}
        for path, text in texts.items():
            entry = cache_key("black", text)
            self.sources[path] = source_digest(entry)
            found = self._lookup("black", entry)
            if found is None:
                found = self.known.get(self.sources[path])
            if found is not None:
                done[path] = found
                continue
            stored = self.cache.get("black-pieces", cache_key("black-pieces", path)) if self.cache else None
            known = stored if isinstance(stored, dict) else {}
            changed[path] = (entry, self._split(path, text), known)

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
                elif (stable := already_formatted(part)) is not None:
                    self.memory[entry] = stable
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

    def _split(self, path: str, text: str) -> list[Part]:
        """``split(text)``; a large file is split again from its last split when only
        methods changed (``resplit``), which spares parsing the whole module."""
        if self.cache is None or len(text) < RESPLIT_MIN_CHARS:
            return split(text)
        slot = code_key("black-split", path)  # split rules are the tool's code, not black's
        stored = self.cache.get("black-split", slot)
        if _is_stored_split(stored):
            earlier, parts, spans = stored
            done = resplit(earlier, (parts, spans), text)
        else:
            done = _split(text)
        self.cache.put("black-split", slot, (text, *done))
        return done[0]

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
        except Exception as exc:  # a generator bug: never write code black cannot parse
            from black.parsing import InvalidInput

            if isinstance(exc, InvalidInput):
                raise FormatError(str(exc)) from None
            raise


def _is_stored_split(value: object) -> TypeGuard[tuple[str, list[Part], list[Span]]]:
    return (
        isinstance(value, tuple)
        and len(value) == 3
        and isinstance(value[0], str)
        and isinstance(value[1], list)
        and isinstance(value[2], list)
        and len(value[1]) == len(value[2])
    )


class FormatError(Exception):
    """Generated code black cannot parse (a generator bug)."""


# black's output depends on black and the mode alone, not on the generator: entries
# survive a changed template or extractor, and only the pieces that changed rerun.
@lru_cache(maxsize=1)
def _black_id() -> bytes:
    from importlib.metadata import version

    return f"black {version('black')} {MODE_ID}".encode()


def cache_key(kind: str, *parts: str) -> str:
    return digest(kind, *parts, prefix=_black_id())


def source_digest(entry: str) -> str:
    """What a package's manifest records of a file's unformatted render: black's
    cache key of it (black's version and mode included), shortened."""
    return entry[:32]


def _piece_key(piece: Piece) -> str:
    return cache_key("black-piece", str(piece[1]), piece[0])


def _size(pieces: Iterable[Piece]) -> int:
    return sum(len(text) for text, _ in pieces)
