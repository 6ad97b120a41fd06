"""The stages wired together: docs → spec (→ generated package).

The CLI only parses arguments and prints; this module does the work and returns
diagnostics as values.  A page that cannot be read is an error for that page
alone: every other page is still extracted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from generator.config import expand_docs
from generator.document import Diagnostic, Document
from generator.extract import extract_provider
from generator.pool import map_in_processes
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
    base = _resolved(root) if root is not None else Path.cwd().resolve()
    try:
        return resolved.relative_to(base).as_posix()
    except ValueError:
        return Path(os.path.relpath(resolved, base)).as_posix() if resolved.anchor == base.anchor else resolved.as_posix()


@lru_cache(maxsize=16)
def _resolved(root: Path) -> Path:
    return root.resolve()


PARALLEL_MIN_PAGES = 24  # below this, starting worker processes costs more than it saves


def read_documents(
    files: list[Path], root: Path | None, cache: Cache | None = None, workers: int | None = None
) -> tuple[list[Document], list[Diagnostic], bool]:
    """Read every page, in the order given; parsed pages come from ``cache`` when
    their bytes, display path and the tool's code are unchanged.  Pages to parse are
    spread over a process pool (one worker per core) when there are many."""
    diagnostics: list[Diagnostic] = []
    unreadable = False
    slots: list[Document | None] = []
    misses: list[tuple[int, bytes, str, str]] = []  # slot, bytes, shown, cache entry
    for file in expand_docs(files):
        shown = display_path(file, root)
        try:
            data = load_bytes(file, shown)
        except UnreadableDocument as exc:
            diagnostics.append(exc.diagnostic)
            unreadable = True
            continue
        entry = cache_key("document", shown, data)
        document = cache.get("documents", entry) if cache else None
        if not isinstance(document, Document):
            misses.append((len(slots), data, shown, entry))
        slots.append(document if isinstance(document, Document) else None)
    for (slot, _, shown, entry), parsed in zip(misses, _parse_all(misses, workers), strict=True):
        if isinstance(parsed, Diagnostic):
            diagnostics.append(parsed)
            unreadable = True
            continue
        slots[slot] = parsed
        if cache:
            cache.put("documents", entry, parsed)
    documents = [d for d in slots if d is not None]
    return documents, diagnostics, unreadable


def _parse_one(page: tuple[bytes, str]) -> Document | Diagnostic:
    data, shown = page
    try:
        return read_bytes(data, shown)
    except UnreadableDocument as exc:
        return exc.diagnostic


def _parse_all(misses: list[tuple[int, bytes, str, str]], workers: int | None) -> list[Document | Diagnostic]:
    workers = workers if workers is not None else (os.cpu_count() or 1)
    pages = [(data, shown) for _, data, shown, _ in misses]
    if workers < 2 or len(pages) < PARALLEL_MIN_PAGES:
        return [_parse_one(page) for page in pages]
    return map_in_processes(_parse_one, pages, workers, chunksize=max(1, len(pages) // (workers * 4)))


def extract(
    provider: str,
    files: list[Path],
    root: Path | None = None,
    title: str = "",
    base_url: str = "",
    cache: Cache | None = None,
    workers: int | None = None,
) -> Extraction:
    documents, diagnostics, unreadable = read_documents(files, root, cache, workers)
    spec, found = extract_provider(provider, documents, title=title, base_url=base_url)
    return Extraction(spec, diagnostics + found, unreadable)
