"""Pages held compactly: the same spec whether pages stay built, pickled or on disk,
and only a few pages built at any time while a provider is extracted."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from conftest import SEEDS

import generator.extract as extract_module
from generator.cache import Cache
from generator.document import Document
from generator.extract import extract_provider
from generator.pages import RECENT
from generator.pipeline import read_documents
from generator.spec_yaml import dump_yaml


def _linked_pages(folder: Path, count: int) -> list[Path]:
    """RST pages of one provider; each page's response is a format defined on the
    next page (a cross-page ``:ref:``), and the last refers back to the first."""
    pages = []
    for number in range(count):
        target = (number + 1) % count
        page = folder / f"thing{number:02d}.rst"
        details = f" Success: see :ref:`thing-{target}-format`".ljust(43)
        page.write_text(
            f"""Get Thing {number}
============

.. http:get:: /api/things/{number}

   Returns the thing.

   :query string api_token: your key

**Responses**

+-----------+-------------------------------------------+
| HTTP Code | Details                                   |
+===========+===========================================+
| 200       |{details}|
+-----------+-------------------------------------------+

Formats
=======

.. _thing-{number}-format:

Thing {number} Format
----------------------

.. sourcecode:: javascript

    {{"Id": "abc", "Size{number}": 3, "Parts": ["<String>"]}}
""",
            "utf-8",
        )
        pages.append(page)
    return pages


def _extracted(pages: list[Path], root: Path, memory_bytes: int, workers: int) -> tuple[str, list[str]]:
    held, diagnostics, _ = read_documents(pages, root, workers=workers, memory_bytes=memory_bytes)
    try:
        spec, found = extract_provider("demo", held)
    finally:
        held.close()
    return dump_yaml(spec), [str(d) for d in diagnostics + found]


@pytest.mark.parametrize("workers", [1, 2])
def test_pages_on_disk_give_the_same_spec_as_pages_in_memory(tmp_path: Path, workers: int) -> None:
    pages = _linked_pages(tmp_path, 30)
    in_memory = _extracted(pages, tmp_path, memory_bytes=1 << 40, workers=workers)
    on_disk = _extracted(pages, tmp_path, memory_bytes=0, workers=workers)
    assert on_disk == in_memory
    text = on_disk[0]
    assert on_disk[1] == []
    # every page's response is the format defined on the next page
    for number in range(30):
        assert f"\n  Thing{number}:\n    type: object\n" in text
        assert f"path: /api/things/{number}\n" in text
        assert text.count(f"$ref: '#/schemas/Thing{(number + 1) % 30}'") == 1


def test_real_cross_references_resolve_alike_from_disk(corpus: Path) -> None:
    pages = sorted((corpus / "cielo24").rglob("*.rst"))
    assert len(pages) > 10
    in_memory = _extracted(pages, corpus, memory_bytes=1 << 40, workers=1)
    on_disk = _extracted(pages, corpus, memory_bytes=0, workers=1)
    assert on_disk == in_memory
    assert "JobStatus" in on_disk[0]  # an enum defined on another page than its users


def test_seed_pages_alike_from_disk() -> None:
    for provider in sorted(p for p in SEEDS.iterdir() if p.is_dir()):
        pages = sorted(f for f in provider.rglob("*") if f.is_file())
        assert _extracted(pages, SEEDS, 0, 1) == _extracted(pages, SEEDS, 1 << 40, 1), provider.name


def test_only_a_few_pages_are_built_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory follows the largest page: while one page is extracted, the others wait
    pickled (here on disk), except the few the resolver built last."""
    pages = _linked_pages(tmp_path, 24)
    held, _, _ = read_documents(pages, tmp_path, workers=1, memory_bytes=0)
    built: list[int] = []
    original = extract_module._document_drafts

    def counting(document, resolver, diagnostics):  # type: ignore[no-untyped-def]
        result = original(document, resolver, diagnostics)
        gc.collect()
        built.append(sum(1 for o in gc.get_objects() if type(o) is Document))
        return result

    monkeypatch.setattr(extract_module, "_document_drafts", counting)
    try:
        spec, _ = extract_provider("demo", held)
    finally:
        held.close()
    assert len(spec.operations) == 24
    assert len(built) == 24 and max(built) <= RECENT + 1, built


def test_an_unreadable_cached_page_is_parsed_again(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    pages = _linked_pages(tmp_path / "docs", 3)
    cache = Cache(tmp_path / "cache")
    first = _extracted_with(pages, tmp_path, cache)
    stored = sorted((tmp_path / "cache" / "documents").rglob("*"))
    stored = [f for f in stored if f.is_file()]
    assert len(stored) == 3
    for entry in stored:
        entry.write_bytes(entry.read_bytes()[:40])  # truncated, as by a full disk
    assert _extracted_with(pages, tmp_path, cache) == first
    assert all(f.stat().st_size > 40 for f in stored)  # and stored again, whole


def _extracted_with(pages: list[Path], root: Path, cache: Cache) -> tuple[str, list[str]]:
    held, diagnostics, unreadable = read_documents(pages, root, cache, workers=1)
    assert not unreadable
    spec, found = extract_provider("demo", held)
    held.close()
    return dump_yaml(spec), [str(d) for d in diagnostics + found]


def test_one_page_past_the_budget_is_not_pickled_just_to_wait(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page parsed here is pickled to wait only when another page is already held:
    one very large page (a 20 MB reference) stays built, as it would be anyway."""
    import generator.pages as pages_module

    pickled: list[object] = []
    real_dumps = pages_module.pickle.dumps

    def counting_dumps(value: object, protocol: int | None = None) -> bytes:
        pickled.append(value)
        return real_dumps(value, protocol=protocol)

    monkeypatch.setattr(pages_module.pickle, "dumps", counting_dumps)
    pages = _linked_pages(tmp_path, 3)
    alone, _, _ = read_documents(pages[:1], tmp_path, workers=1, memory_bytes=0)
    assert pickled == [] and alone[0].path == "thing00.rst"
    several, _, _ = read_documents(pages, tmp_path, workers=1, memory_bytes=0)
    assert [d.path for d in pickled] == ["thing01.rst", "thing02.rst"]  # type: ignore[attr-defined]
    assert [d.path for d in several] == ["thing00.rst", "thing01.rst", "thing02.rst"]
    several.close()


def test_pages_wait_in_memory_when_the_temporary_folder_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.pages as pages_module

    pages = _linked_pages(tmp_path, 6)
    expected = _extracted(pages, tmp_path, memory_bytes=1 << 40, workers=1)

    def no_room(*args: object, **kwargs: object) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pages_module.tempfile, "TemporaryFile", no_room)
    assert _extracted(pages, tmp_path, memory_bytes=0, workers=1) == expected


def test_a_page_changed_in_the_temporary_file_is_refused_not_unpickled(tmp_path: Path) -> None:
    """Pages past the budget wait pickled in a temporary file; one whose bytes
    changed there is an error, never a pickle that runs."""
    import pickle

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return exec, (f"open({str(tmp_path / 'ran')!r}, 'w')",)

    pages = _linked_pages(tmp_path, 3)
    held, _, _ = read_documents(pages, tmp_path, workers=1, memory_bytes=0)
    try:
        offset, length, _ = held._held[1]  # type: ignore[misc]
        assert held._spill is not None
        held._spill.seek(offset)
        held._spill.write(pickle.dumps(Payload()).ljust(length, b"."))
        with pytest.raises(OSError, match="changed under docs2client"):
            held[1]
        assert not (tmp_path / "ran").exists()
        assert held[2].path == "thing02.rst"  # the others are intact
    finally:
        held.close()
