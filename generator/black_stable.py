"""Which pieces of code black would leave exactly as they are, decided without black.

``is_black_stable(text, line_length)`` is *sound*, not complete: True only for code
made of a small set of shapes whose black form is fixed by a few rules, checked
here line by line; anything else (a comment, a backslash, a slice, a line too
long, a blank line black might move...) is False, and the piece goes to black.
The templates emit those shapes (``generator.render.layout``), so most of a
generated package is written without running black, and every file is still what
``black --check`` accepts: ``tests/test_black_stable.py`` holds the rule against
black itself on every piece of the generated packages, a synthetic corpus and
random doc text.

The shapes:

* tokens: names, plain ``"..."`` strings (no backslash), integers and decimal
  fractions, and the operators the templates use; no comments, tabs, backslashes;
* spacing: black's, for those tokens (``f(a, b=1)``, ``a: int | None = None``,
  ``def f(self, *, a: int = 1) -> X:``, ``{"k": v}``, ``("a",)``, ``x = -1``);
* a bracket closes on the line that opens it, or is *exploded*: it ends its line,
  each item follows on a line of its own one level deeper and ends with a comma
  (black keeps such a "magic" trailing comma, and the explosion with it), and its
  closer starts the line after the items, at the opening line's level;
* every code line fits in ``line_length`` (as black measures width);
* triple-quoted strings only as whole statements, in the form black gives a
  docstring: no blanks or quotes next to the delimiters, continuation lines at the
  statement's indentation (deeper ones only beside one that is not), closing quotes
  after the last text (when that fits) or alone on the next line;
* ``from`` imports on one line;
* blank lines only singly, after a class's docstring or after an import in a
  function body, where black keeps them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


_TOKEN = re.compile(
    r'(?P<str>"(?!"")[^"\n]*")|(?P<num>\d+(?:\.\d+)?(?![\w.]))|(?P<name>[A-Za-z_][A-Za-z0-9_]*)'
    r"|(?P<op>->|==|!=|[-+*/%@|&<>=.,:()\[\]{}])|(?P<sp> +)"
)
_IMPORT = re.compile(r"(from \.*[A-Za-z_][A-Za-z0-9_.]*|from \.+) import [A-Za-z_]\w*( as \w+)?(, [A-Za-z_]\w*( as \w+)?)*")
_IMPORT_OPEN = re.compile(r"(from \.*[A-Za-z_][A-Za-z0-9_.]*|from \.+) import \(")
_PAIRS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = frozenset(_PAIRS.values())
# Names after which a bracket does not start a call or subscript: black puts a space.
_KEYWORDS = frozenset(
    "and as assert async await class def del elif else except for from global if import in is "
    "lambda nonlocal not or pass raise return try while with yield".split()
)
_SPACED = frozenset({"->", "==", "!=", "|", "&", "+", "%", "/", "<", ">"})


class _Unstable(Exception):
    pass


def str_width(line: str) -> int:
    """An upper bound of the width black measures a line by: a character outside
    ASCII counts two (none is wider), so a line that fits here fits for black."""
    return len(line) if line.isascii() else 2 * len(line)


@dataclass
class _Bracket:
    opener: str
    line: int  # where it opened
    exploded: bool = False
    item_indent: int = 0
    items: int = 0
    call: bool = False  # a call's or a def's parentheses (not a tuple or a subscript)
    commas: int = 0  # top-level commas on its own line


@dataclass
class _Statement:
    indent: int
    first: str  # first token
    last: str  # last token
    doc: bool = False  # a triple-quoted string statement


def is_black_stable(text: str, line_length: int = 88) -> bool:
    """Whether black (at ``line_length``) leaves ``text`` exactly as it is; False when
    in doubt.  ``text`` is one piece: whole top-level statements at indentation 0."""
    if not text.endswith("\n") or any(c in text for c in "\\\t\r\x0c\x0b"):
        return False
    try:
        _check(text.split("\n")[:-1], line_length)
    except _Unstable:
        return False
    return True


def _check(lines: list[str], limit: int) -> None:
    done: list[_Statement] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line:
            if not done or i + 1 >= len(lines) or not lines[i + 1] or not _blank_kept(done, lines[i + 1]):
                raise _Unstable
            i += 1
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent % 4:
            raise _Unstable
        if not done:
            if indent:
                raise _Unstable
        elif done[-1].last == ":":
            if indent != done[-1].indent + 4:
                raise _Unstable
        elif indent > done[-1].indent:
            raise _Unstable
        if line[indent:].startswith('"""'):
            i = _docstring(lines, i, indent, limit)
            done.append(_Statement(indent, '"""', '"""', doc=True))
        elif line[indent:].startswith(("from ", "import ")):
            i = _import(lines, i, indent, limit)
            done.append(_Statement(indent, "from", "import"))
        else:
            i, first, last = _statement(lines, i, indent, limit)
            done.append(_Statement(indent, first, last))


def _import(lines: list[str], i: int, indent: int, limit: int) -> int:
    """Check a ``from`` import: on one line, or its names one per line in
    parentheses with a trailing comma (as black writes an import too long for one
    line); return the index of the line after it."""
    line = lines[i]
    if str_width(line) > limit:
        raise _Unstable
    if _IMPORT.fullmatch(line[indent:]):
        return i + 1
    if not _IMPORT_OPEN.fullmatch(line[indent:]):
        raise _Unstable
    pad = " " * (indent + 4)
    j = i + 1
    while j < len(lines) and lines[j] != " " * indent + ")":
        if not re.fullmatch(pad + r"[A-Za-z_]\w*( as \w+)?,", lines[j]):
            raise _Unstable
        j += 1
    if j >= len(lines) or j == i + 1:
        raise _Unstable
    return j + 1


def _blank_kept(done: list[_Statement], following: str) -> bool:
    """A single blank line black keeps: after the module's docstring, between two
    imports of the module, after a class's docstring (before more of its body), or
    after an import inside a function."""
    last = done[-1]
    following_indent = len(following) - len(following.lstrip(" "))
    if not last.indent and not following_indent:
        if last.doc:
            return len(done) == 1  # the module docstring, at the start of the file
        return last.first == "from" and following.startswith(("from ", "import "))
    if not last.indent or following_indent != last.indent:
        return False
    if last.doc:
        return len(done) >= 2 and done[-2].first == "class" and done[-2].indent == last.indent - 4
    return last.first == "from" and any(s.first in ("def", "async") and s.indent < last.indent for s in done)


def _docstring(lines: list[str], i: int, indent: int, limit: int) -> int:
    """Check a triple-quoted string statement starting at ``lines[i]``; return the
    index of the line after it."""
    pad = " " * indent
    first = lines[i][indent + 3 :]
    if first.endswith('"""') and len(first) > 3:  # one line
        text = first[:-3]
        if '"""' in text or text != text.strip() or text[0] == '"' or text[-1] == '"':
            raise _Unstable
        return i + 1
    if '"""' in first or not first or first != first.strip() or first[0] == '"':
        raise _Unstable
    at_indent = False  # a continuation line starts right at the statement's indentation
    j = i + 1
    while True:
        if j >= len(lines):
            raise _Unstable
        line = lines[j]
        if line.endswith(" "):
            raise _Unstable
        if line == pad + '"""':
            break
        closing = line.endswith('"""')
        body = line[:-3] if closing else line
        if '"""' in body:
            raise _Unstable
        if body:
            if not body.startswith(pad) or not body.strip():
                raise _Unstable
            at_indent |= body[indent] != " "
        if closing:
            if not body.strip() or body[-1] == '"' or len(line) > limit:
                raise _Unstable
            break
        j += 1
    if not at_indent:
        raise _Unstable  # black would dedent every continuation line, or join them
    return j + 1


def _tokens(line: str, start: int) -> list[tuple[str, str]]:
    out = []
    at = start
    while at < len(line):
        match = _TOKEN.match(line, at)
        if match is None:
            raise _Unstable
        out.append((match.lastgroup or "", match.group()))
        at = match.end()
    return out


def _statement(lines: list[str], i: int, indent: int, limit: int) -> tuple[int, str, str]:
    """Check one statement, over one or more lines; return the index of the line
    after it and its first and last tokens."""
    stack: list[_Bracket] = []
    level = indent
    first = ""
    while True:
        if i >= len(lines):
            raise _Unstable
        line = lines[i]
        if not line.strip() or line.endswith(" ") or str_width(line) > limit:
            raise _Unstable
        if stack and line.lstrip(" ").startswith(_PAIRS[stack[-1].opener]):
            level = stack[-1].item_indent - 4  # the closer comes back to the opening line's level
        if len(line) - len(line.lstrip(" ")) != level:
            raise _Unstable
        spaced = _tokens(line, level)
        found = [t for k, t in spaced if k != "sp"]
        first = first or found[0]
        inside = stack[-1] if stack else None  # an exploded bracket, if any
        closer_line = inside is not None and found[0] == _PAIRS[inside.opener]
        if inside is not None and not closer_line:
            _one_item(found)
            inside.items += 1
        _spacing(spaced, len(stack) > 0 and not closer_line)
        depth_at_start = len(stack)
        for n, token in enumerate(found):
            if token in _PAIRS:
                before = found[n - 1] if n else ""
                call = bool(before) and (before[-1:] in ")]\"" or (before[0].isalpha() or before[0] == "_") and before not in _KEYWORDS)
                if token == "(" and not call and not stack and (before == "=" or before in _KEYWORDS):
                    raise _Unstable  # parentheses black may make invisible
                stack.append(_Bracket(token, i, call=token == "(" and call))
            elif token == "," and stack:
                stack[-1].commas += 1
            elif token in _CLOSERS:
                if not stack or _PAIRS[stack[-1].opener] != token:
                    raise _Unstable
                bracket = stack.pop()
                if not bracket.exploded and n and found[n - 1] == ",":
                    if bracket.call or bracket.opener != "(" or bracket.commas != 1:
                        raise _Unstable  # a magic trailing comma: black explodes the bracket
                if bracket.exploded:
                    if n != 0 or bracket.items == 0 or (not bracket.call and bracket.opener == "(" and bracket.items < 2):
                        raise _Unstable  # only as the line's first token; a one-item tuple is joined back
                    if stack and found[1:] != [","]:
                        raise _Unstable  # a nested explosion ends with the parent's comma
                elif bracket.line != i:
                    raise _Unstable
        i += 1
        if not stack:
            return i, first, found[-1]
        if closer_line and len(stack) >= depth_at_start:
            raise _Unstable  # a closer line that leaves a new bracket open
        top = stack[-1]
        if top.line == i - 1 and not top.exploded:
            # the line's last token opens the explosion; nothing else opened here is left open
            if found[-1] != top.opener or any(b.line == i - 1 and not b.exploded for b in stack[:-1]):
                raise _Unstable
            if top.opener == "[" and not _after_value(found):
                raise _Unstable
            top.exploded, top.item_indent = True, level + 4
            level = top.item_indent
        elif top.exploded and found[-1] == ",":
            level = top.item_indent
        else:
            raise _Unstable


def _after_value(found: list[str]) -> bool:
    """A ``[`` that opens a list display (not a subscript)."""
    before = found[-2] if len(found) > 1 else ""
    return before in ("=", "(", ",", ":", "[", "{", "return")


def _one_item(found: list[str]) -> None:
    """An item line of an exploded bracket: ends with a comma (or opens an exploded
    bracket of its own) and holds no other top-level comma."""
    depth = 0
    for n, token in enumerate(found):
        if token in _PAIRS:
            depth += 1
        elif token in _CLOSERS:
            depth -= 1
            if depth < 0:
                raise _Unstable
        elif token == "," and depth == 0 and n != len(found) - 1:
            raise _Unstable
    if not ((found[-1] == "," and depth == 0) or (found[-1] in _PAIRS and depth == 1)):
        raise _Unstable


def _spacing(spaced: list[tuple[str, str]], in_brackets: bool) -> None:
    """Black's spacing between the tokens of one line.  ``in_brackets``: the line is
    an item of an exploded bracket (so a "=" there is a keyword argument's)."""
    open_here: list[list[bool]] = []  # per bracket opened on this line: [item has ":"]
    tokens: list[tuple[str, str]] = []
    gaps: list[str] = []
    gap = ""
    for kind, text in spaced:
        if kind == "sp":
            if gap or text != " ":
                raise _Unstable
            gap = text
            continue
        if not tokens and gap:
            raise _Unstable
        tokens.append((kind, text))
        gaps.append(gap)
        gap = ""
    if gap:
        raise _Unstable
    annotated = False  # the current item (statement or argument) has an annotation ":"
    stack: list[str] = []
    for n, (kind, text) in enumerate(tokens):
        if n:
            want = _space(tokens, n, stack, annotated, in_brackets)
            if (gaps[n] == " ") != want:
                raise _Unstable
        if text in _PAIRS:
            stack.append(text)
            open_here.append([annotated])
            annotated = False
        elif text in _CLOSERS:
            if stack:
                stack.pop()
                annotated = open_here.pop()[0]
        elif text == ",":
            annotated = False
        elif text == ":":
            if stack and stack[-1] == "[":
                raise _Unstable  # a slice
            if not stack or stack[-1] == "(":
                annotated = True


def _space(tokens: list[tuple[str, str]], n: int, stack: list[str], annotated: bool, in_brackets: bool) -> bool:
    """Whether black puts one space before ``tokens[n]``."""
    b_kind, b = tokens[n - 1]
    a_kind, a = tokens[n]
    if b_kind == "str" and a_kind == "str":
        raise _Unstable  # implicit concatenation
    if a in (",", ":", ".") or a in _CLOSERS:
        return False
    if b in _PAIRS or b == ".":
        return False
    if b == "@":
        if n != 1 or a_kind != "name":
            raise _Unstable
        return False
    if a == "@":
        raise _Unstable
    if b in (",", ":"):
        return True
    if a == "=" or b == "=":
        if stack or in_brackets:
            return annotated  # a default after an annotation; else a keyword argument
        return True
    if a == "*" or b == "*":
        # a bare "*" between parameters: "(self, *, a)"
        if a == "*" and b in (",", "(") and n + 1 < len(tokens) and tokens[n + 1][1] == ",":
            return b == ","
        if b == "*" and a == ",":
            return False
        raise _Unstable
    if a == "-":
        if n + 1 < len(tokens) and tokens[n + 1][0] == "num" and (b in ("=", "(", "[", "{", ",", ":") or b in _KEYWORDS):
            return True  # a unary minus: the space is before it
        raise _Unstable
    if b == "-":
        if a_kind == "num" and n >= 2 and (tokens[n - 2][1] in ("=", "(", "[", "{", ",", ":") or tokens[n - 2][1] in _KEYWORDS):
            return False
        raise _Unstable
    if a in ("(", "["):
        if b_kind == "name":
            return b in _KEYWORDS
        if b in _CLOSERS or b_kind == "str":
            return False
        return True
    if a in _SPACED or b in _SPACED:
        return True
    if a == "{":
        return True
    if b_kind in ("name", "num", "str") or b in _CLOSERS:
        if a_kind in ("name", "num", "str"):
            return True
    raise _Unstable
