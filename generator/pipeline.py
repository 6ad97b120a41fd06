"""The stages wired together: docs → spec (→ generated package).

The CLI only parses arguments and prints; this module does the work and returns
diagnostics as values.  A page that cannot be read is an error for that page
alone, and an empty page a warning: every other page is still extracted.  The
extraction then says it is partial (``Extraction.partial``), so that no caller
mistakes it for what the docs give: ``build`` keeps the last good output instead,
``extract -o`` writes nothing.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from generator.bounds import bound_spec
from generator.cache import Cache, Packed
from generator.cache import key as cache_key
from generator.config import DOC_SUFFIXES, expand_docs, folder_pages
from generator.document import Diagnostic, Document
from generator.extract import extract_provider
from generator.extract.resolve import page_index
from generator.pages import MEMORY_BYTES, PageIndex, Pages
from generator.pool import imap_in_processes
from generator.readers import EmptyDocument, UnreadableDocument, load_bytes, read_bytes
from generator.spec import Spec


@dataclass
class Extraction:
    spec: Spec
    diagnostics: list[Diagnostic] = field(default_factory=list)
    unreadable: bool = False  # some input could not be read at all (exit 2)
    skipped: list[str] = field(default_factory=list)  # inputs that gave nothing: unreadable or empty
    # files read besides the pages given (included pages, examples, definitions):
    # path relative to the root → sha256 of the bytes read, for caches to check
    dependencies: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> bool:
        return any(d.level == "error" for d in self.diagnostics)

    @property
    def partial(self) -> bool:
        """Some input gave nothing, so the spec holds less than the docs do."""
        return self.unreadable or bool(self.skipped)

    @property
    def operations(self) -> int:
        return len(self.spec.operations)


def display_path(file: Path, root: Path | None) -> str:
    """Paths in specs and diagnostics: relative to the project root when inside it
    (so specs do not depend on where the checkout lives), POSIX separators."""
    resolved = _resolved_file(file)
    base = _resolved(root) if root is not None else Path.cwd().resolve()
    try:
        return resolved.relative_to(base).as_posix()
    except ValueError:
        return Path(os.path.relpath(resolved, base)).as_posix() if resolved.anchor == base.anchor else resolved.as_posix()


@lru_cache(maxsize=256)
def _resolved(folder: Path) -> Path:
    return folder.resolve()


def _resolved_file(file: Path) -> Path:
    """``file.resolve()``, its folder's resolution remembered: resolving walks every
    component of the path, which cost a build that hashes a thousand pages 40 ms."""
    if file.name in ("", ".", ".."):
        return file.resolve()
    try:
        if stat.S_ISLNK(os.lstat(file).st_mode):
            return file.resolve()
    except OSError:
        return file.resolve()
    return _resolved(file.parent.absolute()) / file.name  # absolute: the cache outlives a chdir


MAX_INCLUDE_DEPTH = 4  # rounds of "a page includes a page" followed
PARALLEL_MIN_PAGES = 24  # below this, starting worker processes costs more than it saves


@dataclass
class Reading:
    """What ``read_pages`` gives: the pages read, diagnostics, whether some input was
    an error (unreadable page, a folder without pages), and every input that gave
    nothing (display paths, errors and empty pages alike)."""

    pages: Pages
    diagnostics: list[Diagnostic]
    unreadable: bool
    skipped: list[str]


def read_documents(
    files: list[Path],
    root: Path | None,
    cache: Cache | None = None,
    workers: int | None = None,
    memory_bytes: int = MEMORY_BYTES,
) -> tuple[Pages, list[Diagnostic], bool]:
    """``read_pages`` as (pages, diagnostics, unreadable)."""
    reading = read_pages(files, root, cache, workers, memory_bytes)
    return reading.pages, reading.diagnostics, reading.unreadable


def _page_files(paths: list[Path], root: Path | None, reading: Reading) -> Iterator[tuple[Path, str]]:
    """Each file given, and each page of each folder given; a folder without pages
    is an error naming it."""
    for path in paths:
        if not path.is_dir():
            yield path, display_path(path, root)
            continue
        found = folder_pages(path)
        if not found:
            shown = display_path(path, root)
            suffixes = ", ".join(f"*{suffix}" for suffix in DOC_SUFFIXES)
            reading.diagnostics.append(
                Diagnostic("error", shown, 0, f"folder holds no documentation page ({suffixes})")
            )
            reading.unreadable = True
            reading.skipped.append(shown)
        for file in found:
            yield file, display_path(file, root)


def read_pages(
    files: list[Path],
    root: Path | None,
    cache: Cache | None = None,
    workers: int | None = None,
    memory_bytes: int = MEMORY_BYTES,
    into: Reading | None = None,
) -> Reading:
    """Read every page, in the order given; parsed pages come from ``cache`` when
    their bytes, display path and the tool's code are unchanged.  Pages to parse are
    spread over a process pool (one worker per core) when there are many.  The
    pages come back as ``Pages``: past ``memory_bytes`` they wait on disk, pickled.
    With ``into``, the pages are added to that reading's."""
    reading = into or Reading(Pages(memory_bytes), [], False, [])

    def skip(diagnostic: Diagnostic, empty: bool) -> None:
        reading.diagnostics.append(diagnostic)
        reading.skipped.append(diagnostic.path)
        reading.unreadable = reading.unreadable or not empty

    order: list[tuple[Path, str, str, int, bytes | None]] = []  # ..., bytes to parse (None: cached)
    for file, shown in _page_files(files, root, reading):
        try:
            data = load_bytes(file, shown)
        except UnreadableDocument as exc:
            skip(exc.diagnostic, False)
            continue
        entry = cache_key("document", shown, data)
        cached = cache is not None and cache.has("documents", entry)
        order.append((file, shown, entry, len(data), None if cached else data))
    parsed = _parse_all([(text, shown) for _, shown, _, _, text in order if text is not None], workers)
    pages = reading.pages
    for file, shown, entry, size, to_parse in order:
        page: Page | UnreadableDocument | None = None
        if to_parse is None:
            assert cache is not None
            page = _cached_page(cache.get("documents", entry))
            if page is None:  # stored but unreadable: parse the page here
                try:
                    to_parse = load_bytes(file, shown)
                except UnreadableDocument as exc:
                    page = exc
                else:
                    entry = cache_key("document", shown, to_parse)
                    page = _parse_page((to_parse, shown))
        else:
            page = next(parsed)
        if isinstance(page, UnreadableDocument):
            skip(page.diagnostic, isinstance(page, EmptyDocument))
            continue
        index, document = page
        blob = None
        if cache is not None and to_parse is not None:
            blob = document if isinstance(document, bytes) else pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL)
            cache.put("documents", entry, (index, blob))
        pages.add(document, index, shown, size, entry, pickled=blob, file=file)
    if not pages and reading.skipped and not reading.unreadable:
        where = reading.skipped[0]
        reading.diagnostics.append(Diagnostic("error", where, 0, "no page left to extract: every page given is empty"))
        reading.unreadable = True
    return reading


# A parsed page: its index and its Document, built or pickled.
Page = tuple[PageIndex, Document | bytes]


def _cached_page(value: object) -> Page | None:
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], PageIndex) and isinstance(value[1], bytes):
        return value[0], value[1]
    return None


def _parse_one(page: tuple[bytes, str]) -> Document | UnreadableDocument:
    data, shown = page
    try:
        return read_bytes(data, shown)
    except UnreadableDocument as exc:
        return exc


def _parse_page(page: tuple[bytes, str]) -> Page | UnreadableDocument:
    document = _parse_one(page)
    return document if isinstance(document, UnreadableDocument) else (page_index(document), document)


def _parse_page_pickled(page: tuple[bytes, str]) -> Page | UnreadableDocument:
    """``_parse_page`` in a pool worker: the Document comes back pickled once, and
    stays a pickle until the extractor needs it."""
    parsed = _parse_page(page)
    if isinstance(parsed, UnreadableDocument):
        return parsed
    index, document = parsed
    return index, pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL)


def _parse_all(pages: list[tuple[bytes, str]], workers: int | None) -> Iterator[Page | UnreadableDocument]:
    """The parsed pages, in order, as they come."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers < 2 or len(pages) < PARALLEL_MIN_PAGES:
        return map(_parse_page, pages)
    return imap_in_processes(_parse_page_pickled, pages, workers, chunksize=max(1, len(pages) // (workers * 4)))


def included_pages(pages: Pages, files: list[Path]) -> list[Path]:
    """Documentation pages that the pages include and that were not given: read as
    pages of their own (only inside the docs' folders, as any include)."""
    if not any(index.includes for index in pages.indexes):
        return []
    given = {_resolved_file(f) for f in expand_docs(files)}
    folders = docs_folders(files)
    found: list[Path] = []
    for page_file, index in zip(pages.files, pages.indexes):
        if page_file is None:
            continue
        for target in index.includes:
            candidate = (page_file.parent / target.lstrip("/")).resolve() if not target.startswith("/") else None
            if (
                candidate is not None
                and candidate.suffix.lower() in DOC_SUFFIXES
                and candidate.is_file()
                and candidate not in given
                and any(candidate.is_relative_to(folder) for folder in folders)
            ):
                given.add(candidate)
                found.append(candidate)
    return found


def docs_folders(files: list[Path]) -> list[Path]:
    """The folders a provider's docs were named as (a file: its folder): the only
    places its pages may include files from."""
    return sorted({(f if f.is_dir() else f.parent).resolve() for f in files})


def extract(
    provider: str,
    files: list[Path],
    root: Path | None = None,
    title: str = "",
    base_url: str = "",
    cache: Cache | None = None,
    workers: int | None = None,
) -> Extraction:
    if cache is not None and cache.folder is not None:  # its pages and drafts in a pack each
        where = [provider, str(_resolved(root) if root is not None else Path.cwd().resolve())]
        cache = Packed(cache, ("documents", "drafts"), cache_key("pack", *where, *(display_path(f, root) for f in files)))
    reading = read_pages(files, root, cache, workers)
    given = files
    for _ in range(MAX_INCLUDE_DEPTH):  # pages that pages include (an index.rst of .. include:: lines) are pages too
        included = included_pages(reading.pages, given)
        if not included:
            break
        given = given + included
        read_pages(included, root, cache, workers, into=reading)  # only the new pages
    dependencies: dict[str, str] = {}
    try:
        spec, found = extract_provider(
            provider,
            reading.pages,
            title=title,
            base_url=base_url,
            cache=cache,
            root=root,
            include_from=docs_folders(files),
            files_read=dependencies,
        )
    finally:
        reading.pages.close()
    if isinstance(cache, Packed):
        cache.save()
    for extra in given[len(files):]:
        try:
            dependencies[display_path(extra, root)] = hashlib.sha256(extra.read_bytes()).hexdigest()
        except OSError:
            dependencies[display_path(extra, root)] = ""
    found += bound_spec(spec)  # what a huge example may become (generator/bounds.py)
    return Extraction(spec, reading.diagnostics + found, reading.unreadable, reading.skipped, dict(sorted(dependencies.items())))
