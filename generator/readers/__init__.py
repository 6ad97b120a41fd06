"""Readers: bytes of one documentation page → the neutral ``Document``.

``read_document`` decodes, sniffs the format and dispatches to the RST, Markdown or
pasted-text reader.  Readers never write files and never raise for document content.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.document import Diagnostic, Document


class UnreadableDocument(Exception):
    """The file cannot be read as text at all (missing, binary, undecodable)."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic

    def __reduce__(self) -> tuple[type[UnreadableDocument], tuple[Diagnostic]]:
        return type(self), (self.diagnostic,)  # as it comes back from a pool worker


class EmptyDocument(UnreadableDocument):
    """The file holds no text at all: a warning for that file, which gives nothing."""


# [ \t]*, never \s*: \s spans newlines, so "^\s*" rescans every following blank line
# from every line start (quadratic on a page of blank lines)
_RST_MARKERS = re.compile(
    r"^(\.\. [\w:-]+::|\.\. _[^:]+:|[=\-~^*#+]{3,}[ \t]*$|\+[-=]+\+)", re.MULTILINE
)
_MARKDOWN_MARKERS = re.compile(r"^(#{1,6} \S|```|\|?[ \t]*:?-{3,}:?[ \t]*\|)", re.MULTILINE)


def sniff_format(text: str, path: str) -> str:
    """``rst`` | ``markdown`` | ``text``: by file suffix, else by content."""
    suffix = Path(path).suffix.lower()
    if suffix in (".rst", ".rest"):
        return "rst"
    if suffix in (".md", ".markdown", ".mdx"):
        return "markdown"
    head = text[:200_000]
    rst = len(_RST_MARKERS.findall(head))
    markdown = len(_MARKDOWN_MARKERS.findall(head))
    if rst >= 2 and rst >= markdown:
        return "rst"
    if markdown >= 2 and any(m.startswith(("#", "`")) for m in _MARKDOWN_MARKERS.findall(head)):
        return "markdown"
    return "text"


def decode(data: bytes, path: str) -> str:
    """The page's text; raises ``EmptyDocument`` (a warning) when it holds none, and
    ``UnreadableDocument`` (an error) when it is not text."""
    text = _text(data, path)
    if not text.strip():
        raise EmptyDocument(Diagnostic("warning", path, 0, "empty file: no documentation to read; skipped"))
    return text


def _text(data: bytes, path: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise UnreadableDocument(Diagnostic("error", path, 0, "binary file (NUL bytes): not a documentation page"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnreadableDocument(
            Diagnostic("error", path, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})")
        ) from None


def parse_text(text: str, path: str, fmt: str | None = None) -> Document:
    """Parse already-decoded text with the reader for ``fmt`` (sniffed when None).
    Only that reader is imported: a rebuild that parses one Markdown page never
    loads docutils."""
    fmt = fmt or sniff_format(text, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader: Callable[[str, str], Document]
    if fmt == "rst":
        from generator.readers.rst import read_rst as reader
    elif fmt == "markdown":
        from generator.readers.markdown import read_markdown as reader
    else:
        from generator.readers.text import read_text as reader
    with _collector_paused():
        return reader(text, path)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Run one page's parse without the cyclic garbage collector, then collect the
    young generation once.  A docutils doctree is one big reference cycle (parents ↔
    children, document ↔ reporter ↔ transformer): with the collector on, every
    young-generation pass during the parse promotes the live doctree towards the old
    generation, where it dies after conversion and waits for full collections, each
    of which rescans every ``Document`` read so far.  Paused, the dead doctree is
    freed by the one young pass after the page, never promoted.  Output is the same;
    memory held is at most one page's parse garbage; a collector already disabled by
    the caller stays disabled."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


def read_document(file: Path, display: str | None = None) -> Document:
    """Read one page.  Raises ``UnreadableDocument`` (with a one-line diagnostic) only
    for files that are not text; anything wrong *inside* a page is a diagnostic."""
    shown = display or str(file)
    return read_bytes(load_bytes(file, shown), shown)


def load_bytes(file: Path, shown: str) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(Diagnostic("error", shown, 0, f"cannot read: {exc.strerror or exc}")) from None


def read_bytes(data: bytes, shown: str) -> Document:
    return parse_text(decode(data, shown), shown)
