"""Hugo shortcodes in Markdown → plain Markdown, line for line.

Hugo sites (Mastodon's docs among many) write links and markers as shortcodes:
``[Status]({{< relref "entities/status" >}})``, ``{{<required>}}``,
``{{< page-relref ref="methods/statuses#bookmark" caption="POST ..." >}}``.  Before
markdown-it parses a page, each shortcode is replaced by what the rendered page
shows, so the rest of the reader (and the extractor) never sees shortcode syntax:

* a reference shortcode (``relref``, ``ref``) → its target, usable as a link target;
* a shortcode with a ``ref``/``url`` and a ``caption`` → a Markdown link;
* a bare marker (``{{<required>}}``, ``{{%optional%}}``, ``{{<nullable>}}``) → its
  name in parentheses, as prose would write it: ``(required)``;
* any other shortcode (``hint``, ``figure``, closing tags) → nothing; the content
  between an opening and a closing tag stays.

Shortcodes never span lines here, so line numbers are unchanged.
"""

from __future__ import annotations

import re

_SHORTCODE = re.compile(r"\{\{([<%])\s*(/?)\s*([A-Za-z][\w-]*)([^{}]*?)\s*[>%]\}\}")
_ARGUMENT = re.compile(r"""(?:([A-Za-z][\w-]*)\s*=\s*)?(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")
_REFERENCES = ("relref", "ref")


def has_shortcodes(text: str) -> bool:
    return "{{<" in text or "{{%" in text


def expand_shortcodes(line: str) -> str:
    return _SHORTCODE.sub(_replacement, line) if "{{" in line else line


def _replacement(match: re.Match[str]) -> str:
    closing, name, rest = match.group(2), match.group(3), match.group(4)
    if closing:
        return ""
    positional: list[str] = []
    named: dict[str, str] = {}
    for key, double, single, bare in _ARGUMENT.findall(rest):
        value = double or single or bare
        if key:
            named[key.lower()] = value
        else:
            positional.append(value)
    if name.lower() in _REFERENCES:
        return positional[0] if positional else named.get("ref", "")
    target = named.get("ref") or named.get("url") or named.get("href")
    if target:
        caption = named.get("caption") or named.get("title") or target
        return f"[{caption}]({target})"
    if not positional and not named:
        return f"({name})"
    return ""
