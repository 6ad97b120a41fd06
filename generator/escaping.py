"""The one escaping path: documentation text → text that is safe inside generated files.

Docs are untrusted input that becomes code.  Every piece of doc text that reaches a
generated file goes through exactly one of these functions; templates never insert
raw doc text.  Changing them has security implications: ``tests/hostile`` proves
that injected code stays text.

* ``docstring``  — the body of a ``\"\"\"...\"\"\"`` string (never ends it early)
* ``literal``    — a Python expression for a JSON value (``repr``-based)
* ``comment``    — one ``#`` comment line
* ``markdown``   — prose in the generated README
* ``toml_string`` — a TOML basic string, quotes included
* ``json_text``  — a JSON text for a JSON value (the generated tests' tables)
* ``markdown_cell`` — prose in one cell of a README table
"""

from __future__ import annotations

import json
import math
from typing import Any

_KEEP = {"\n"}


def _visible(ch: str) -> str:
    """``ch`` itself when printable, else its Python escape (valid in a non-raw string)."""
    if ch in _KEEP or ch.isprintable():
        return ch
    if ch == "\t":
        return "    "
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_DOCSTRING_SPECIAL = ("\n", "\r", "\\", '"')


def docstring(text: str, indent: str = "") -> str:
    """Doc text as the inside of a triple-double-quoted docstring.

    Backslashes are doubled, every ``\"\"\"`` run is broken up, a trailing quote is
    escaped, control and line-separator characters become escapes, tabs become
    spaces, trailing blanks go.  Continuation lines get ``indent``.  The result
    contains no character sequence that can end the string.
    """
    if not any(ch in text for ch in _DOCSTRING_SPECIAL) and text.isprintable():
        return text.rstrip()  # one line with nothing to escape: what the steps below give
    text = _normalise_newlines(text).replace("\\", "\\\\")
    if not text.replace("\n", "").isprintable():  # else every character stays as is
        text = "".join(_visible(ch) for ch in text)
    text = text.replace('"""', '\\"\\"\\"')
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    body = "\n".join(
        f"{indent}{line}" if line and i else line for i, line in enumerate(lines)
    )
    trailing_backslashes = len(body[:-1]) - len(body[:-1].rstrip("\\"))
    if body.endswith('"') and trailing_backslashes % 2 == 0:
        body = body[:-1] + '\\"'
    return body


def literal(value: Any) -> str:
    """A Python expression that evaluates to the JSON-like ``value``."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(int(value))
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f"float({str(value)!r})"
        return repr(value)
    if isinstance(value, str):
        text = repr(value)
        if text[0] == "'" and "'" not in value and '"' not in value:
            return f'"{text[1:-1]}"'  # black's quotes, so black has less to redo
        return text
    if isinstance(value, bytes):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{literal(str(k))}: {literal(v)}" for k, v in value.items())
            + "}"
        )
    return repr(str(value))


def comment(text: str) -> str:
    """One comment line (``# ...``): newlines and control characters become spaces."""
    flat = "".join(ch if ch.isprintable() else " " for ch in _normalise_newlines(text))
    return ("# " + " ".join(flat.split())).rstrip()


def markdown(text: str) -> str:
    """Prose for the README: HTML and code-fence markup neutralised."""
    text = "".join(
        ch if ch == "\n" or ch.isprintable() else " "
        for ch in _normalise_newlines(text)
    )
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("`", "\\`")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def toml_string(text: str) -> str:
    """A TOML basic string (with its quotes)."""
    out = []
    for ch in text:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def html_comment(text: str) -> str:
    """An HTML comment (``<!-- ... -->``) whose text cannot close it early."""
    flat = comment(text)[2:]
    return "<!-- " + flat.replace("--", "- -").replace(">", "&gt;") + " -->"


def json_text(value: Any) -> str:
    """A JSON value as one line of JSON text; strings are escaped by ``json`` (so no
    doc text can end a string early), non-ASCII kept readable unless it cannot be
    written as UTF-8 (a lone surrogate), then escaped too."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    return text
