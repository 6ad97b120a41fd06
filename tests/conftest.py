"""Shared test helpers: where the repo, the seeds and the shared corpus are."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (it lives beside the repo in CI)")
    return CORPUS


@pytest.fixture(autouse=True, scope="session")
def private_cache_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The build cache's machine key (``generator.cache.machine_key``) lives in the
    user's cache folder: during the tests, one of the session's own (subprocesses
    inherit it), never the key of whoever runs them."""
    from generator.cache import key_path, machine_key

    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    machine_key.cache_clear()
    yield key_path()
    if before is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = before
    machine_key.cache_clear()


def bench_module(filename: str) -> ModuleType:
    """A script of ``bench/`` imported as a module (``bench`` is no package), once."""
    name = "docs2client_bench_" + Path(filename).stem
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "bench" / filename)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while the class is built
        spec.loader.exec_module(module)
    return sys.modules[name]
