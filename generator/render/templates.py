"""The Jinja environment of the templates (``templates/``), with the templates it
compiled kept in the build cache."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2

from generator.cache import Cache
from generator.cache import key as cache_key
from generator.formatting import Formatter


def _template_source(name: str) -> str:
    return resources.files("generator.templates").joinpath(name).read_text("utf-8")


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates (checked against each template's source), kept in
    the build cache.  Compiled templates are code: like every cache entry they are
    loaded only when this machine's key authenticates them (``Cache.get_bytes``), so
    a planted one is compiled again instead of run.  An unreadable entry is a miss
    and a write that fails only loses the saving."""

    def __init__(self, cache: Cache):
        self.cache = cache

    def _entry(self, bucket: jinja2.bccache.Bucket) -> str:
        # Jinja checks a template's source but not the environment's options or its
        # own version: both are in the key (the tool's code is in every key).
        return cache_key("templates", jinja2.__version__, bucket.key)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.cache.get_bytes("templates", self._entry(bucket))
        if data is None:
            return
        try:
            bucket.bytecode_from_string(bytes(data))
        except Exception:  # from another Python
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.cache.put_bytes("templates", self._entry(bucket), bucket.bytecode_to_string())


@lru_cache(maxsize=4)
def _environment(compiled: Path | None) -> jinja2.Environment:
    """The templates' environment; with a cache folder, templates compiled by an
    earlier run are loaded from it instead of compiled again."""
    cache = Cache(compiled) if compiled is not None else None
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(_template_source),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        bytecode_cache=_CompiledTemplates(cache) if cache is not None and cache.folder is not None else None,
    )


def environment(fmt: Formatter) -> jinja2.Environment:
    """The environment for a render formatted by ``fmt`` (whose cache, if any, keeps
    the compiled templates)."""
    return _environment(fmt.cache.folder if fmt.cache is not None else None)
