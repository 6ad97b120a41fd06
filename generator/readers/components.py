"""Endpoint declarations written as HTML/JSX components (MDX and HTML-flavoured
Markdown): an element carrying an HTTP ``method`` attribute declares an endpoint,
whose target is its ``path``/``url``/``route``/``endpoint`` attribute or, failing
that, its text:

* ``<Route method="GET">/guilds/[{guild.id}](#guild-object)/emojis</Route>`` (Discord);
* ``<Endpoint method="post" path="/v1/charges" />``, ``<ApiMethod method="DELETE"
  url="https://api.x.com/items/{id}"/>`` and the like.

Also: ES ``import``/``export`` statements, which MDX pages start with, are not text.
"""

from __future__ import annotations

import re

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_OPEN_TAG = re.compile(r"^\s*<([A-Za-z][\w.-]*)((?:\s[^<>]*?)?)\s*(/?)>\s*$", re.S)
_ATTRIBUTE = re.compile(r"""([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|\{\s*["'`]([^"'`]*)["'`]\s*\})""")
_TARGET_ATTRIBUTES = ("path", "url", "route", "endpoint", "href", "uri")
_ES_STATEMENT = re.compile(r"^\s*(import\s[^\n]*\sfrom\s+['\"][^'\"]+['\"];?|import\s+['\"][^'\"]+['\"];?|export\s+(const|let|default|function)\b[^\n]*)\s*$")


def endpoint_tag(tag: str) -> tuple[str, str, str, bool] | None:
    """(element name, method, target attribute or "", self-closing) when ``tag`` is an
    opening tag with an HTTP method attribute; else None."""
    match = _OPEN_TAG.match(tag)
    if match is None:
        return None
    attributes = {
        name.lower(): next(v for v in values if v is not None and v != "") if any(values) else ""
        for name, *values in _ATTRIBUTE.findall(match.group(2))
    }
    method = (attributes.get("method") or attributes.get("verb") or "").strip().upper()
    if method not in METHODS:
        return None
    target = next((attributes[a].strip() for a in _TARGET_ATTRIBUTES if attributes.get(a, "").strip()), "")
    return match.group(1), method, target, bool(match.group(3))


def is_es_statements(text: str) -> bool:
    """Every line an ES ``import``/``export`` statement (an MDX page's preamble)."""
    lines = [line for line in text.split("\n") if line.strip()]
    return bool(lines) and all(_ES_STATEMENT.match(line) for line in lines)
