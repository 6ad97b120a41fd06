"""What a rebuild takes from the cache instead of redoing: the drafts of a page
whose extraction asked nothing of the other pages, the YAML of the elements those
drafts give, and the spec of an unchanged provider only if something needs it.
Whatever is cached, the spec, the diagnostics and the generated tree are those of
a run with no cache at all."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SEEDS
from test_check import project_copy
from test_pages import _linked_pages

import generator.build as build_module
import generator.extract as extract_module
from generator.build import build_all
from generator.cache import Cache
from generator.config import load_config
from generator.pipeline import extract
from generator.spec_yaml import dump_yaml


def _extraction(pages: list[Path], root: Path, cache: Cache) -> tuple[str, list[str]]:
    result = extract("demo", pages, root=root, cache=cache, workers=1)
    return dump_yaml(result.spec), [str(d) for d in result.diagnostics]


class _Counting:
    """``_document_drafts`` that records the page of every call."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.pages: list[str] = []
        self.original = extract_module._document_drafts
        monkeypatch.setattr(extract_module, "_document_drafts", self)

    def __call__(self, document, resolver, diagnostics):  # type: ignore[no-untyped-def]
        self.pages.append(document.path)
        return self.original(document, resolver, diagnostics)


def _three_ways(pages: list[Path], root: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Extract with no cache, with an empty cache and with the cache that run
    filled; all three must agree.  Returns the pages extracted again on the warm run."""
    bare = _extraction(pages, root, Cache(None))
    cold = _extraction(pages, root, Cache(cache_dir))
    counting = _Counting(monkeypatch)
    warm = _extraction(pages, root, Cache(cache_dir))
    monkeypatch.undo()
    assert cold == bare
    assert warm == bare
    return counting.pages


@pytest.mark.parametrize("provider", sorted(p.name for p in SEEDS.iterdir() if p.is_dir()))
def test_seed_drafts_from_the_cache_give_the_same_spec(tmp_path: Path, provider: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = sorted(f for f in (SEEDS / provider).rglob("*") if f.is_file())
    again = _three_ways(pages, SEEDS, tmp_path / "cache", monkeypatch)
    assert len(again) < len(pages)  # most seed pages stand alone


def test_corpus_drafts_from_the_cache_give_the_same_spec(tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """cielo24's pages refer to each other (formats, enums); xplenty's do not."""
    for provider in ("cielo24", "xplenty-v1"):
        pages = sorted(f for f in (corpus / provider).rglob("*") if f.suffix in (".rst", ".md"))
        assert len(pages) > 10, provider
        again = _three_ways(pages, corpus, tmp_path / provider, monkeypatch)
        assert len(again) < len(pages), provider


def test_pages_that_consult_other_pages_are_extracted_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page's response is a format defined on the next page: the named schemas
    exist only because the pages asking for them are extracted, so none of those
    pages may come from the cache; a page that documents no endpoint may."""
    pages = _linked_pages(tmp_path, 6)
    guide = tmp_path / "guide.rst"
    guide.write_text("Guide\n=====\n\nHow to authenticate: send your key.\n", "utf-8")
    again = _three_ways([*pages, guide], tmp_path, tmp_path / "cache", monkeypatch)
    assert again == [f"thing{n:02d}.rst" for n in range(6)]


def test_a_page_naming_an_enum_of_another_page_is_extracted_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``"<ThingStatus Enum>"`` in an example is looked up among the other pages'
    titles: the named enum exists only if the page asking is extracted."""
    (tmp_path / "thing.rst").write_text(
        """Get Thing
=========

.. http:get:: /api/thing

   Returns the thing.

**Response example**

.. sourcecode:: javascript

    {"Id": "abc", "Status": "<ThingStatus Enum>"}
""",
        "utf-8",
    )
    (tmp_path / "enums.rst").write_text(
        """Enumerations
============

ThingStatus
-----------

- Ready
- Gone
""",
        "utf-8",
    )
    pages = [tmp_path / "thing.rst", tmp_path / "enums.rst"]
    again = _three_ways(pages, tmp_path, tmp_path / "cache", monkeypatch)
    assert again == ["thing.rst"]
    spec = _extraction(pages, tmp_path, Cache(None))[0]
    assert "ThingStatus:" in spec and "- Ready" in spec and "$ref: '#/schemas/ThingStatus'" in spec


def test_a_changed_page_is_extracted_again_and_the_others_are_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_bench_corpus import corpus_module

    corpus = corpus_module.generate(tmp_path / "project", 24, seed=5)
    cache = Cache(tmp_path / "cache")
    for provider, files in corpus.providers.items():
        pages = [corpus.root / f for f in files]
        _extraction(pages, corpus.root, cache)
    changed = corpus.change_one_page(1)
    provider = next(p for p, files in corpus.providers.items() if changed.relative_to(corpus.root).as_posix() in files)
    pages = [corpus.root / f for f in corpus.providers[provider]]
    counting = _Counting(monkeypatch)
    warm = _extraction(pages, corpus.root, cache)
    monkeypatch.undo()
    assert warm == _extraction(pages, corpus.root, Cache(None))
    assert "Revised in edit 1." in " ".join(warm[0].split())  # YAML may fold the line
    assert counting.pages == [changed.relative_to(corpus.root).as_posix()]


def test_an_unreadable_drafts_entry_is_a_miss(tmp_path: Path) -> None:
    pages = sorted(f for f in (SEEDS / "textking").rglob("*") if f.is_file())
    cache = Cache(tmp_path / "cache")
    first = _extraction(pages, SEEDS, cache)
    stored = [f for f in (tmp_path / "cache" / "drafts").rglob("*") if f.is_file()]
    assert stored
    for entry in stored:
        entry.write_bytes(entry.read_bytes()[:30])
    assert _extraction(pages, SEEDS, cache) == first
    assert all(f.stat().st_size > 30 for f in stored)  # stored again, whole


def test_an_unchanged_provider_never_loads_its_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project_copy(tmp_path)
    config = load_config(root / "pyproject.toml")
    cache = Cache(tmp_path / "cache")
    first = build_all(config, cache=cache)

    def refuse(*args: object) -> object:
        raise AssertionError("the spec of an unchanged provider was loaded")

    monkeypatch.setattr(build_module, "_spec_of", refuse)
    again = build_all(config, cache=cache)
    assert again.exit_code == first.exit_code == 0
    counts = [line.split(" (")[0] for line in first.summary if "operation(s)" in line]
    assert counts == [line.split(" (")[0] for line in again.summary if "operation(s)" in line]
    assert "cielo24: 1 operation(s) → specs/cielo24.yaml" in counts


def test_a_lost_render_is_redone_from_the_spec_text(tmp_path: Path) -> None:
    """The extraction is cached but its render and kept spec are gone: the spec is
    read back from its YAML, and the package comes out the same."""
    root = project_copy(tmp_path)
    config = load_config(root / "pyproject.toml")
    cache = Cache(tmp_path / "cache")
    build_all(config, cache=cache)
    tree = {p.relative_to(root): p.read_bytes() for p in (root / "generated").rglob("*") if p.is_file()}
    shutil.rmtree(tmp_path / "cache" / "renders")
    shutil.rmtree(tmp_path / "cache" / "specs")
    shutil.rmtree(root / "generated")
    result = build_all(config, cache=cache)
    assert result.exit_code == 0
    assert {p.relative_to(root): p.read_bytes() for p in (root / "generated").rglob("*") if p.is_file()} == tree


def test_yaml_of_elements_that_went_through_the_cache_is_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Drafts come back from the cache as equal objects that share their strings
    differently: their operations' YAML must still come from the memo, not be
    emitted again (which cost a third of the first rebuild after a cold build)."""
    import pickle

    from test_bench_corpus import corpus_module

    import generator.spec_yaml as spec_module

    corpus = corpus_module.generate(tmp_path / "project", 8, seed=2)
    pages = [corpus.root / f for f in corpus.providers["synth_xplenty"]]
    spec = extract("demo", pages, root=corpus.root, workers=1).spec
    memo: dict[str, str] = {}
    text = dump_yaml(spec, memo)
    again = pickle.loads(pickle.dumps(spec))
    assert pickle.dumps(again.operations[0]) != pickle.dumps(spec.operations[0])  # the case at hand
    emitted: list[object] = []
    real = spec_module._dump
    monkeypatch.setattr(spec_module, "_dump", lambda data: (emitted.append(data), real(data))[1])
    assert dump_yaml(again, memo) == text
    elements = [d for d in emitted if isinstance(d, dict) and (d.get("operations") or d.get("schemas"))]
    assert elements == []
    assert len(emitted) <= 2  # the head, and an empty section

    again.operations[1].summary = "Changed in the docs."
    emitted.clear()
    changed = dump_yaml(again, memo)
    assert "Changed in the docs." in changed and changed != text
    assert [d for d in emitted if isinstance(d, dict) and d.get("operations")] == [
        {"operations": [again.operations[1].to_dict()]}
    ]


def test_a_provider_of_many_pages_keeps_its_pages_and_drafts_in_one_pack_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold run of many pages writes a pack per kind, not a file per page; one
    changed page is then read from the pack and its new entries written alone (the
    pack is not rewritten); every run gives what a run with no cache gives."""
    from test_bench_corpus import corpus_module

    from generator.cache import PACK_MIN_ENTRIES

    corpus = corpus_module.generate(tmp_path / "project", 4 * (PACK_MIN_ENTRIES + 2), seed=3)
    pages = [corpus.root / f for f in corpus.providers["synth_xplenty"]]
    assert len(pages) > PACK_MIN_ENTRIES
    folder = tmp_path / "cache"

    def files(kind: str) -> list[Path]:
        return sorted(p for p in (folder / kind).rglob("*") if p.is_file())

    cold = _extraction(pages, corpus.root, Cache(folder))
    assert cold == _extraction(pages, corpus.root, Cache(None))
    assert len(files("documents-pack")) == len(files("drafts-pack")) == 1
    assert files("documents") == files("drafts") == []
    packs = {p: p.stat().st_mtime_ns for p in files("documents-pack") + files("drafts-pack")}

    changed = corpus.change_one_page(1)
    assert changed in pages
    counting = _Counting(monkeypatch)
    warm = _extraction(pages, corpus.root, Cache(folder))
    monkeypatch.undo()
    assert counting.pages == [changed.relative_to(corpus.root).as_posix()]
    assert warm == _extraction(pages, corpus.root, Cache(None))
    assert len(files("documents")) == len(files("drafts")) == 1  # the changed page's, alone
    assert {p: p.stat().st_mtime_ns for p in packs} == packs
    counting = _Counting(monkeypatch)
    assert _extraction(pages, corpus.root, Cache(folder)) == warm
    monkeypatch.undo()
    assert counting.pages == []  # the pack and the loose entries together


@pytest.mark.parametrize("prefixed", [False, True], ids=["bare-pickle", "behind-a-forged-mac"])
def test_a_planted_pack_never_runs(tmp_path: Path, prefixed: bool) -> None:
    from test_bench_corpus import corpus_module
    from test_cache_trust import planted

    from generator.cache import PACK_MIN_ENTRIES

    corpus = corpus_module.generate(tmp_path / "project", 4 * (PACK_MIN_ENTRIES + 2), seed=3)
    pages = [corpus.root / f for f in corpus.providers["synth_xplenty"]]
    folder = tmp_path / "cache"
    first = _extraction(pages, corpus.root, Cache(folder))
    marker = tmp_path / "ran"
    packs = [p for kind in ("documents-pack", "drafts-pack") for p in (folder / kind).rglob("*") if p.is_file()]
    assert len(packs) == 2
    for pack in packs:
        pack.write_bytes(planted(marker, pack.parent.parent.name, prefixed))
    assert _extraction(pages, corpus.root, Cache(folder)) == first
    assert not marker.exists()


def test_a_link_to_a_whole_page_in_a_description_does_not_keep_the_page_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a link to a section can name a table of values; a page whose parameter
    description links a whole page asks nothing of the other pages, so a warm run
    takes its drafts from the cache."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "things.md").write_text(
        "# List things\n\n`GET /things`\n\n## Query parameters\n\n| Name | Type | Description |\n| --- | --- | --- |\n"
        "| kind | string | The [kind of thing](types.md) to list. |\n"
    )
    (docs / "types.md").write_text("# Types\n\nKinds of things.\n")
    pages = sorted(docs.iterdir())
    spec = extract("demo", pages, root=tmp_path, workers=1).spec
    assert [p.name for p in spec.operations[0].parameters] == ["kind"]
    assert _three_ways(pages, tmp_path, tmp_path / "cache", monkeypatch) == []
