"""The benchmark's synthetic corpus is understood before anything is timed: for N=20
every page yields exactly the endpoint it was written for (method and path), per
provider shape, and the same seed writes the same bytes.  Correctness only, no timing."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import bench_module

from generator.pipeline import extract

corpus_module = bench_module("corpus.py")
N = 20


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    return corpus_module.generate(tmp_path_factory.mktemp("bench-corpus"), N, seed=0)


def test_corpus_has_n_endpoint_pages_over_every_shape(corpus) -> None:
    assert len(corpus.endpoints) == N
    assert sorted(corpus.providers) == sorted(f"synth_{shape}" for shape in corpus_module.SHAPES)
    per_provider = Counter(e.provider for e in corpus.endpoints)
    assert set(per_provider.values()) == {N // len(corpus_module.SHAPES)}
    suffixes = {Path(p).suffix for pages in corpus.providers.values() for p in pages}
    assert suffixes == {".rst", ".md", ".txt"}
    methods = {e.method for e in corpus.endpoints}
    assert {"GET", "POST"} <= methods and len(methods) >= 3


@pytest.mark.parametrize("shape", corpus_module.SHAPES)
def test_extractor_finds_each_written_endpoint(corpus, shape: str) -> None:
    provider = f"synth_{shape}"
    pages = [corpus.root / p for p in corpus.providers[provider]]
    result = extract(provider, pages, root=corpus.root)
    assert not result.errors, [str(d) for d in result.diagnostics if d.level == "error"]
    found = Counter((op.method, op.path) for op in result.spec.operations)
    expected = Counter((e.method, e.path) for e in corpus.endpoints if e.provider == provider)
    assert found == expected
    by_page = {op.source.rpartition(":")[0]: (op.method, op.path) for op in result.spec.operations}
    for endpoint in corpus.endpoints:
        if endpoint.provider == provider:
            assert by_page[endpoint.file] == (endpoint.method, endpoint.path), endpoint.file


def test_same_seed_same_bytes_other_seed_other_pages(tmp_path: Path) -> None:
    first = corpus_module.generate(tmp_path / "a", 8, seed=3)
    second = corpus_module.generate(tmp_path / "b", 8, seed=3)
    other = corpus_module.generate(tmp_path / "c", 8, seed=4)
    read = lambda c: [p.read_bytes() for p in c.pages()]
    assert read(first) == read(second)
    assert read(first) != read(other)
    assert [(e.method, e.path) for e in first.endpoints] == [(e.method, e.path) for e in second.endpoints]
