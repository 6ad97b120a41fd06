"""API Blueprint headings → ``Endpoint`` blocks.

API Blueprint (Apiary's Markdown dialect) declares endpoints in headings: a resource
``## Notes [/notes/{id}{?fields}]`` and, below it, its actions ``### Retrieve a Note
[GET]`` (or an action that names its own path, ``### Remove [DELETE /notes/{id}]``,
or a whole endpoint in one heading, ``## Login [POST /login]``).  Each action heading
becomes an ``Endpoint`` (method, the resource's URI template) placed first in its
section, and the bracket leaves the title, so the extractor sees a titled section
declaring one endpoint, as in any other family.  The ``+ Parameters`` / ``+ Request``
/ ``+ Response 200 (application/json)`` lists under them are read by the extractor.
"""

from __future__ import annotations

import re

from generator.document import Block, BulletList, Endpoint, Paragraph, Section

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_RESOURCE = re.compile(r"^(.*?)\s*\[\s*(/[^\]\s]*)\s*\]\s*$")
_ACTION = re.compile(r"^(.*?)\s*\[\s*(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)(?:\s+(/[^\]\s]*))?\s*\]\s*$")


def has_blueprint_headings(lines: list[str]) -> bool:
    return any(line.lstrip().startswith("#") and (_ACTION.match(line.strip()) or _RESOURCE.match(line.strip())) for line in lines)


def blueprint_endpoints(blocks: list[Block], resource: str = "", shared: list[Block] | None = None) -> None:
    """Give each action section its ``Endpoint``, in place; a resource's
    ``+ Parameters`` list is its actions' too (the same block, so its lines stay)."""
    for block in blocks:
        if not isinstance(block, Section):
            continue
        title = block.title.strip()
        action = _ACTION.match(title)
        here, inherited = resource, shared or []
        if action:
            path = action.group(3) or resource
            if path:
                block.title = action.group(1).strip() or f"{action.group(2)} {path}"
                block.children[:0] = [Endpoint(action.group(2), path, block.line), *inherited]
        else:
            found = _RESOURCE.match(title)
            if found:
                here = found.group(2)
                block.title = found.group(1).strip() or here
                inherited = [b for b in block.children if isinstance(b, BulletList) and _is_parameters(b)]
        blueprint_endpoints(block.children, here, inherited)


def _is_parameters(listed: BulletList) -> bool:
    return any(
        isinstance(child, Paragraph) and child.text.strip().lower() == "parameters"
        for item in listed.items
        for child in item.children[:1]
    )
