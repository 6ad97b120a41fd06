"""The stages wired together: docs → spec (→ generated package).

The CLI only parses arguments and prints; this module does the work and returns
diagnostics as values.  A page that cannot be read is an error for that page
alone: every other page is still extracted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.config import expand_docs
from generator.document import Diagnostic, Document
from generator.extract import extract_provider
from generator.cache import Cache
from generator.cache import key as cache_key
from generator.readers import UnreadableDocument, load_bytes, read_bytes
from generator.spec import Spec


@dataclass
class Extraction:
    spec: Spec
    diagnostics: list[Diagnostic] = field(default_factory=list)
    unreadable: bool = False  # some input could not be read at all (exit 2)

    @property
    def errors(self) -> bool:
        return any(d.level == "error" for d in self.diagnostics)


def display_path(file: Path, root: Path | None) -> str:
    """Paths in specs and diagnostics: relative to the project root when inside it
    (so specs do not depend on where the checkout lives), POSIX separators."""
    resolved = file.resolve()
    base = (root or Path.cwd()).resolve()
    try:
        return resolved.relative_to(base).as_posix()
    except ValueError:
        return Path(os.path.relpath(resolved, base)).as_posix() if resolved.anchor == base.anchor else resolved.as_posix()


def read_documents(
    files: list[Path], root: Path | None, cache: Cache | None = None
) -> tuple[list[Document], list[Diagnostic], bool]:
    """Read every page; parsed pages come from ``cache`` when their bytes, display
    path and the tool's code are unchanged."""
    documents: list[Document] = []
    diagnostics: list[Diagnostic] = []
    unreadable = False
    for file in expand_docs(files):
        shown = display_path(file, root)
        try:
            data = load_bytes(file, shown)
            entry = cache_key("document", shown, data)
            document = cache.get("documents", entry) if cache else None
            if not isinstance(document, Document):
                document = read_bytes(data, shown)
                if cache:
                    cache.put("documents", entry, document)
            documents.append(document)
        except UnreadableDocument as exc:
            diagnostics.append(exc.diagnostic)
            unreadable = True
    return documents, diagnostics, unreadable


def extract(
    provider: str,
    files: list[Path],
    root: Path | None = None,
    title: str = "",
    base_url: str = "",
    cache: Cache | None = None,
) -> Extraction:
    documents, diagnostics, unreadable = read_documents(files, root, cache)
    spec, found = extract_provider(provider, documents, title=title, base_url=base_url)
    return Extraction(spec, diagnostics + found, unreadable)
