"""Sphinx extension directives → neutral blocks.

Each API-documentation extension of Sphinx declares endpoints, parameters and examples
with its own directives; docutils keeps them as named directives (``rst.py``) and this
module maps the ones that carry API structure onto the document model, so the
extractor sees an ``Endpoint`` or an ``Include`` whichever extension wrote it:

* sphinxcontrib-httpdomain: ``.. http:get:: /jobs/(int:id)`` → ``Endpoint`` (its
  field lists stay its children);
* os-api-ref (every OpenStack service): ``.. rest_method:: GET /servers/{id}`` →
  ``Endpoint``; ``.. rest_parameters:: parameters.yaml`` with ``- name: key`` items →
  ``Include("definitions")``;
* Sphinx itself: ``.. literalinclude:: ../samples/x.json`` → ``Include("example")``;
  ``.. include:: other.inc`` → ``Include("page")``.

Every other directive stays a ``Directive`` whose content is read in place.
"""

from __future__ import annotations

import re

from generator.document import Block, Directive, Endpoint, Include

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_ENTRY = re.compile(r"^\s*[-*]\s+([^:\s][^:]*?)\s*:\s*(\S+)\s*$")
_METHOD_TARGET = re.compile(r"^\s*([A-Za-z]+)\s+(\S+)")


def sphinx_block(
    name: str,
    argument: str,
    options: dict[str, str],
    children: list[Block],
    line: int,
    content: list[tuple[str, int]],
) -> Block:
    """The neutral block for directive ``name`` at ``line``; ``content`` holds its raw
    content lines with their source lines."""
    lowered = name.lower()
    if lowered.startswith("http:") and lowered[5:].upper() in METHODS and argument.strip():
        return Endpoint(lowered[5:].upper(), argument.strip(), line, children)
    if lowered == "rest_method":
        match = _METHOD_TARGET.match(argument)
        if match and match.group(1).upper() in METHODS:
            return Endpoint(match.group(1).upper(), match.group(2), line, children)
    if lowered == "rest_parameters" and argument.strip():
        entries = [(m.group(1), m.group(2), number) for text, number in content if (m := _ENTRY.match(text))]
        return Include("definitions", argument.strip(), line, entries=entries)
    if lowered == "literalinclude" and argument.strip():
        return Include("example", argument.strip(), line, language=options.get("language", "").strip().lower())
    if lowered == "include" and argument.strip():
        return Include("page", argument.strip(), line)
    return Directive(name, argument, line, options, children)
