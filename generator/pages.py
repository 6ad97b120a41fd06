"""A provider's parsed pages, held so that memory follows the largest page.

The document model of a page is about ten times the size of its text, and the
extractor needs every page twice: once to index its sections for cross-references
(done as the page is parsed, see ``PageIndex``) and once to extract its endpoints.
So ``Pages`` keeps the first pages as they are, then their pickles (about a fifth
of the model's size), and past ``memory_bytes`` writes the pickles to a temporary
file.  A page is rebuilt from its pickle when it is asked for; the few asked for
last stay built, since a page's references often point into the same few pages.

Pickles mostly come ready from where the page was parsed (a pool worker sends one
anyway) or from the cache (authenticated, see ``generator.cache``); only a page
parsed in this process past the budget is pickled here.  A pickle read back from
the temporary file is loaded only if its digest, kept in memory, still matches.
"""

from __future__ import annotations

import hashlib
import hmac
import pickle
import sys
import tempfile
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, overload

from generator.document import Document, Section

MEMORY_BYTES = 16_000_000  # pages held in memory before pickles go to a temporary file
MODEL_PER_SOURCE_BYTE = 10  # a page's document model takes about this many bytes per byte of text
RECENT = 4  # pages kept built after they were asked for


@dataclass(frozen=True)
class PageIndex:
    """What cross-references need of a page without building it: label → section
    number and squashed title → section number (first one wins), numbers counting
    ``Document.sections()``."""

    labels: dict[str, int] = field(default_factory=dict)
    titles: dict[str, int] = field(default_factory=dict)
    includes: tuple[str, ...] = ()  # pages this page includes (``.. include::``), as written


@dataclass
class _Built:
    document: Document
    sections: list[Section] | None = None


class Pages(Sequence[Document]):
    """The pages of one provider in order; ``pages[i]`` is the ``Document``."""

    def __init__(self, memory_bytes: int = MEMORY_BYTES):
        self.paths: list[str] = []
        self.indexes: list[PageIndex] = []
        self.keys: list[str] = []  # what identifies each page's content for a cache ("": nothing)
        self.files: list[Path | None] = []  # where each page was read from (None: given built)
        self._held: list[Document | bytes | tuple[int, int, bytes]] = []
        self._budget = memory_bytes
        self._used = 0
        self._spill: IO[bytes] | None = None
        self._recent: OrderedDict[int, _Built] = OrderedDict()

    @classmethod
    def of(cls, documents: Sequence[Document], index: Callable[[Document], PageIndex]) -> Pages:
        """Pages already built and held by the caller: kept as they are."""
        if isinstance(documents, Pages):
            return documents
        pages = cls(memory_bytes=sys.maxsize)
        for document in documents:
            pages.add(document, index(document), document.path)
        return pages

    def add(
        self,
        page: Document | bytes,
        index: PageIndex,
        path: str,
        source_bytes: int = 0,
        key: str = "",
        pickled: bytes | None = None,
        file: Path | None = None,
    ) -> None:
        """Append a page, built (``source_bytes``: the size of its text) or pickled;
        ``key`` names its content (path, bytes and the tool's code) for caches, and
        ``pickled`` is a built page's pickle if the caller already made one."""
        cost = source_bytes * MODEL_PER_SOURCE_BYTE if isinstance(page, Document) else len(page)
        held: Document | bytes | tuple[int, int, bytes] = page
        # Past the budget, pages wait on disk; but a built page is never pickled just
        # to wait while nothing else is held (one very large page stays as it is).
        if self._used + cost > self._budget and (isinstance(page, bytes) or self._used > 0):
            blob = page if isinstance(page, bytes) else pickled or pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL)
            try:
                held = self._write(blob)
            except OSError:  # no temporary folder or no room in it: the pickle waits here
                held = blob
        else:
            self._used += cost
        self.paths.append(path)
        self.indexes.append(index)
        self.keys.append(key)
        self.files.append(file)
        self._held.append(held)

    def sections(self, number: int) -> list[Section]:
        """``self[number].sections()``, computed once while the page stays built."""
        built = self._get(number)
        if built.sections is None:
            built.sections = built.document.sections()
        return built.sections

    def close(self) -> None:
        if self._spill is not None:
            self._spill.close()
            self._spill = None

    def __len__(self) -> int:
        return len(self._held)

    @overload
    def __getitem__(self, number: int) -> Document: ...
    @overload
    def __getitem__(self, number: slice) -> list[Document]: ...
    def __getitem__(self, number: int | slice) -> Document | list[Document]:
        if isinstance(number, slice):
            return [self._get(i).document for i in range(len(self))[number]]
        if number < 0:
            number += len(self)
        if not 0 <= number < len(self):
            raise IndexError(number)
        return self._get(number).document

    def __iter__(self) -> Iterator[Document]:
        for number in range(len(self)):
            yield self._get(number).document

    def _get(self, number: int) -> _Built:
        built = self._recent.get(number)
        if built is not None:
            self._recent.move_to_end(number)
            return built
        return self._build(number, self._held[number])

    def _build(self, number: int, held: Document | bytes | tuple[int, int, bytes]) -> _Built:
        if isinstance(held, Document):
            built = _Built(held)
        else:
            blob = held if isinstance(held, bytes) else self._read(*held)
            built = _Built(pickle.loads(blob))
        self._recent[number] = built
        while len(self._recent) > RECENT:
            self._recent.popitem(last=False)
        return built

    def _write(self, blob: bytes) -> tuple[int, int, bytes]:
        if self._spill is None:
            self._spill = tempfile.TemporaryFile(prefix="docs2client-pages-")  # noqa: SIM115 (closed by close())
        self._spill.seek(0, 2)
        offset = self._spill.tell()
        self._spill.write(blob)
        return offset, len(blob), hashlib.sha256(blob).digest()

    def _read(self, offset: int, length: int, digest: bytes) -> bytes:
        assert self._spill is not None
        self._spill.seek(offset)
        blob = self._spill.read(length)
        if not hmac.compare_digest(hashlib.sha256(blob).digest(), digest):
            raise OSError(f"the temporary file of parsed pages changed under docs2client (page {offset})")
        return blob
