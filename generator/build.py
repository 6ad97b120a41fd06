"""``docs2client build`` and ``docs2client check``: every configured provider,
docs → specs/<p>.yaml → generated/<p>/.

Both run the same in-memory pipeline (``provider_output``); build writes what
changed, check compares and writes nothing.  One provider's failure never loses
another's output: each provider is extracted, written and generated on its own,
and the exit code is the worst of them.

Committed output is user data: a provider with a page that could not be read (or
is empty, or a folder without pages) keeps its spec and package as they are, and
an error says so; ``allow_partial`` (``--allow-partial``) writes what the other
pages give instead.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path

from generator import escaping
from generator.cache import Cache
from generator.cache import key as cache_key
from generator.config import Config, ProviderConfig, expand_docs
from generator.diff import Change
from generator.document import Diagnostic
from generator.files import (
    Manifest,
    file_digest,
    known_renders,
    read_text,
    write_atomic,
)
from generator.overrides import overrides_path_for
from generator.pipeline import Extraction, display_path, extract
from generator.spec import Spec
from generator.spec_yaml import data_digest, dump_yaml

EXIT_OK, EXIT_DOC_ERRORS, EXIT_USAGE = 0, 1, 2


@dataclass
class ProviderOutput:
    provider: ProviderConfig
    extraction: Extraction | CachedExtraction
    spec_file: Path
    spec_text: str
    out_dir: Path
    files: dict[str, str] | None  # None when the package could not be rendered
    spec_source: str = ""  # digest of the spec data spec_text was written from (the manifest records it)
    manifest: Manifest = field(default_factory=Manifest)  # the committed package's, read once
    committed_spec: str | None = None  # the committed spec's text, read once (None: none readable)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # path → digest of its unformatted render
    release: Release | None = None  # the package version, and the changes its changelog entry lists
    spec_changed: bool = False  # build: specs/<provider>.yaml was rewritten
    files_changed: list[str] = field(
        default_factory=list
    )  # build: paths written/deleted
    stale: list[str] = field(default_factory=list)  # check: one line per stale file
    kept: bool = False  # partial input: nothing of this provider is written or compared

    @property
    def spec(self) -> Spec:
        return self.extraction.spec


@dataclass
class Release:
    version: str
    changes: list[Change]  # for the changelog entry (none: no entry)
    moves: list[Change] = field(default_factory=list)  # of them, what the layout of earlier docs2client moved


@dataclass
class CachedExtraction:
    """An extraction the cache gave back whole: its diagnostics and size at once,
    its spec (a large object graph) only if something asks for it, so an
    unchanged provider costs a few reads."""

    diagnostics: list[Diagnostic]
    operations: int
    load: Callable[[], Spec]
    unreadable: bool = False
    skipped: list[str] = field(default_factory=list)  # never cached: always complete

    @property
    def errors(self) -> bool:
        return any(d.level == "error" for d in self.diagnostics)

    @property
    def partial(self) -> bool:
        return self.unreadable or bool(self.skipped)

    @cached_property
    def spec(self) -> Spec:
        return self.load()


@dataclass
class Result:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    exit_code: int = EXIT_OK
    outputs: list[ProviderOutput] = field(default_factory=list)

    def worsen(self, code: int) -> None:
        self.exit_code = max(self.exit_code, code)


def relative(config: Config, path: Path) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return path.as_posix()


Progress = Callable[[str], None]


def _silent(message: str) -> None:
    return None


def provider_output(
    config: Config,
    provider: ProviderConfig,
    cache: Cache,
    strict: bool = False,
    progress: Progress = _silent,
    workers: int | None = None,
    inputs: str | None = None,
    allow_partial: bool = False,
    trust_tree: bool = False,
) -> ProviderOutput:
    """Extract, apply overrides, dump and render one provider, all in memory.  A
    provider whose pages, overrides, settings and tool are all unchanged is taken
    whole from the cache (its pages are read and hashed, nothing is parsed).  When
    some of its input gave nothing, the output is ``kept`` (neither overridden,
    dumped nor rendered) unless ``allow_partial``.  ``trust_tree`` (check): a
    committed file whose manifest records the render it was formatted from stands
    in for black when the render is the same."""
    spec_file = config.specs_dir / f"{provider.name}.yaml"
    out_dir = config.generated_dir / provider.name
    manifest, committed_spec = Manifest.read(out_dir), read_text(spec_file)
    overrides = _overrides_file(config, provider)
    progress(f"{provider.name}: extracting")
    inputs = inputs or _inputs_key(config, provider, strict)
    stored = _stored_extraction(cache.get("extractions", inputs) if inputs else None)
    if stored is not None and not _unchanged(config, stored[3]):
        stored = None  # a file the pages include changed: extract again
    extraction: Extraction | CachedExtraction
    if stored is not None:
        found, spec_text, operations, _, spec_source = stored
        shown = relative(config, spec_file)
        extraction = CachedExtraction(found, operations, partial(_spec_of, spec_text, shown, cache))
    else:
        extraction = extract(
            provider.name,
            provider.docs,
            root=config.root,
            title=provider.title,
            base_url=provider.base_url,
            cache=cache,
            workers=workers,
        )
        if extraction.partial and not allow_partial:
            output = ProviderOutput(provider, extraction, spec_file, "", out_dir, None, kept=True)
            output.diagnostics.append(_kept(config, output))
            return output
        if overrides.is_file():
            apply_overrides_file(extraction, overrides, relative(config, overrides), strict)
        committed = None
        if trust_tree:
            spec_source = data_digest(extraction.spec)
            committed = _trusted_spec(committed_spec, manifest, spec_source)
        if committed is not None:
            spec_text = committed
        else:
            spec_text, spec_source = _dump_cached(extraction.spec, relative(config, spec_file), cache)
        if inputs and not extraction.partial and committed is None:  # what was taken on trust is never cached
            cache.put(
                "extractions",
                inputs,
                (extraction.diagnostics, spec_text, extraction.operations, extraction.dependencies, spec_source),
            )
            cache.put("specs", cache_key("spec", spec_text), extraction.spec)
    output = ProviderOutput(
        provider,
        extraction,
        spec_file,
        spec_text,
        out_dir,
        None,
        spec_source=spec_source,
        manifest=manifest,
        committed_spec=committed_spec,
    )
    progress(f"{provider.name}: generating")
    release, settled = _plan_release(config, output, cache)
    known = known_renders(out_dir, manifest) if trust_tree else None

    def render(version: str) -> tuple[dict[str, str], dict[str, str]] | None:
        found: list[Diagnostic] = []
        rendered = _render_cached(
            extraction, relative(config, spec_file), spec_text, version, cache, found, workers, known
        )
        output.diagnostics[:] = found
        return rendered

    rendered = render(release.version)
    if rendered is not None and not settled and _code_changed(output.out_dir, rendered[0]):
        # the same spec, other code (a newer docs2client): a new version all the same
        changes = release.moves or [_REGENERATED]
        release.version = _next(output.provider, release.version, changes)
        release.changes = changes
        rendered = render(release.version)
    if rendered is not None:
        output.files, output.sources = rendered
    output.release = release
    return output


def _kept(config: Config, output: ProviderOutput) -> Diagnostic:
    """The error that says a provider's committed output stays as it is."""
    skipped = output.extraction.skipped
    first = skipped[0] if skipped else ""
    why = next((d.message for d in output.extraction.diagnostics if d.path == first), "gave nothing")
    what = f"{first}: {why}" if len(skipped) <= 1 else f"{len(skipped)} inputs gave nothing, {first} first: {why}"
    spec, package = relative(config, output.spec_file), relative(config, output.out_dir)
    return Diagnostic(
        "error",
        spec,
        0,
        f"not rebuilt from partial input ({what}): {spec} and {package}/ stay as they are; "
        "fix the docs, or pass --allow-partial to use what the other pages give",
    )




_REGENERATED = Change(
    "code-regenerated", False, "package", "generated again by a newer docs2client (the spec did not change)"
)


def _next(provider: ProviderConfig, previous: str | None, changes: list[Change]) -> str:
    """The version after ``previous`` (a provider that pins its version never gets here)."""
    from generator.versions import next_version

    return next_version(previous, provider.version_scheme, changes)


def _plan_release(config: Config, output: ProviderOutput, cache: Cache) -> tuple[Release, bool]:
    """The version of the package to generate, the changes its changelog entry
    lists, and whether that is settled before rendering.  A package already
    generated from this spec keeps its version (so a run killed after writing the
    package and before the spec bumps nothing twice) unless its code changes."""
    from generator.versions import FIRST, committed_version, readable

    provider = output.provider
    previous = committed_version(output.out_dir)
    if previous is None and not provider.version:  # a first package: no changes to list
        return Release(FIRST[provider.version_scheme], []), True
    old_text = output.committed_spec
    moves = _layout_moves(output)
    changes = _spec_changes(config, output, cache, old_text) + moves
    if provider.version:
        return Release(provider.version, changes, moves), True
    if not readable(previous, provider.version_scheme):  # e.g. 0+<hash> of earlier releases
        scheme = Change(
            "version-scheme",
            False,
            "package",
            f"versions follow the {provider.version_scheme} scheme from here on (was {previous})",
        )
        return Release(FIRST[provider.version_scheme], [*changes, scheme], moves), True
    digest = file_digest(output.spec_text)
    if (output.manifest.spec or (file_digest(old_text) if old_text is not None else "")) == digest:
        return Release(previous, changes, moves), False
    return Release(_next(provider, previous, changes), changes or [_DOCS_CHANGED], moves), True


_DOCS_CHANGED = Change("docs-changed", False, "spec", "descriptions, examples or sources changed; the API did not")


def _spec_changes(config: Config, output: ProviderOutput, cache: Cache, old_text: str | None) -> list[Change]:
    """The semantic diff from the committed spec to the new one."""
    from generator.diff import diff_specs
    from generator.spec import SpecError, load_yaml

    if old_text is None or old_text == output.spec_text:
        return []
    old = cache.get("specs", cache_key("spec", old_text))  # written by the last build
    try:
        if not isinstance(old, Spec):
            old = load_yaml(old_text, relative(config, output.spec_file))
        return diff_specs(old, output.spec)
    except SpecError:
        return []


def _layout_moves(output: ProviderOutput) -> list[Change]:
    """Every method, when the committed package is in the layout of docs2client
    before resources (one flat client): each call site changes."""
    from generator.render.context import is_placeholder
    from generator.render.resources import resource_of

    package = f"{output.provider.name}_client"
    if f"{package}/client.py" not in output.manifest.entries:
        return []
    moves = [
        Change(
            "operation-moved",
            True,
            name,
            f"`client.{name}(...)` is now `client.{resource}.{name}(...)`: methods are grouped by resource",
            new_source=output.spec.operation(name).source,
        )
        for name, resource in sorted(resource_of(output.spec).items())
    ]
    servers = output.spec.servers[:1]
    placeholders = [v for s in servers for v in s.variables if v.default.strip() and is_placeholder(v.default)]
    return moves + [
        Change(
            "argument-required",
            True,
            "Client",
            f"`Client()` no longer fills `{{{v.name}}}` in the server URL with {v.default!r}, a placeholder"
            f" from the docs: pass the real value, or base_url=",
            new_source=servers[0].source,
        )
        for v in placeholders
    ]


def _code_changed(out_dir: Path, files: dict[str, str]) -> bool:
    """Whether any generated file but pyproject.toml (which holds the version)
    differs from the committed package."""
    return any(
        read_text(out_dir / path) != text for path, text in files.items() if path != "pyproject.toml"
    )


def _stored_extraction(value: object) -> tuple[list[Diagnostic], str, int, dict[str, str], str] | None:
    if (
        isinstance(value, tuple)
        and len(value) == 5
        and isinstance(value[0], list)
        and all(isinstance(d, Diagnostic) for d in value[0])
        and isinstance(value[1], str)
        and isinstance(value[2], int)
        and isinstance(value[3], dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in value[3].items())
        and isinstance(value[4], str)
    ):
        return value[0], value[1], value[2], value[3], value[4]
    return None


def _trusted_spec(committed: str | None, manifest: Manifest, spec_source: str) -> str | None:
    """``check`` without a cache: the committed spec's text when the package's
    manifest proves it is what ``dump_yaml`` makes of this data (the manifest
    records the data's digest and the text's, and the file still has that text);
    None when nothing proves it, and the spec is dumped and compared instead."""
    if committed is None or manifest.spec_source != spec_source or file_digest(committed) != manifest.spec:
        return None
    return committed


def _unchanged(config: Config, dependencies: dict[str, str]) -> bool:
    """Whether every file an extraction read besides its pages still holds the
    bytes it read (paths relative to the project root)."""
    for shown, recorded in dependencies.items():
        try:
            data = (config.root / shown).read_bytes()
        except OSError:
            return False
        if hashlib.sha256(data).hexdigest() != recorded:
            return False
    return True


def _spec_of(spec_text: str, shown: str, cache: Cache) -> Spec:
    """The spec whose YAML is ``spec_text``: as the build that wrote it kept it, or
    read back from the text (which round-trips) when that entry is gone."""
    stored = cache.get("specs", cache_key("spec", spec_text))
    if isinstance(stored, Spec):
        return stored
    from generator.spec import load_yaml

    return load_yaml(spec_text, shown)


def _overrides_file(config: Config, provider: ProviderConfig) -> Path:
    return config.specs_dir / overrides_path_for(f"{provider.name}.yaml")


def _inputs_key(config: Config, provider: ProviderConfig, strict: bool) -> str | None:
    """Everything an extraction depends on, hashed (the tool's own code is in every
    cache key); None when a page cannot be read, so the error is reported afresh."""
    overrides = _overrides_file(config, provider)
    parts: list[str | bytes] = [provider.name, provider.title, provider.base_url, str(strict)]
    try:
        for file in expand_docs(provider.docs):
            parts += [display_path(file, config.root), file.read_bytes()]
        parts.append(overrides.read_bytes() if overrides.is_file() else b"")
    except OSError:
        return None
    return cache_key("extraction", *parts)


def _dump_cached(spec: Spec, spec_path: str, cache: Cache) -> tuple[str, str]:
    """``dump_yaml`` with the YAML text of every operation and schema kept per spec
    file between runs, so one changed page re-emits one operation; and the digest
    of the data the text was written from (``data_digest``, from the same keys)."""
    slot = cache_key("yaml-elements", spec_path)
    stored = cache.get("yaml-elements", slot)
    memo = stored if isinstance(stored, dict) else {}
    keys: list[str] = []
    text = dump_yaml(spec, memo, keys)
    cache.put("yaml-elements", slot, memo)
    return text, data_digest(spec, keys)


def apply_overrides_file(
    extraction: Extraction, path: Path, shown: str, strict: bool
) -> None:
    """Merge ``specs/<provider>.overrides.yaml`` over a fresh extraction."""
    from generator.overrides import apply_overrides

    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        extraction.diagnostics.append(
            Diagnostic("error", shown, 0, f"cannot read overrides: {exc}")
        )
        return
    extraction.spec, found = apply_overrides(
        extraction.spec, text, shown, strict=strict
    )
    extraction.diagnostics.extend(found)


def _render_cached(
    extraction: Extraction | CachedExtraction,
    spec_path: str,
    spec_text: str,
    version: str,
    cache: Cache,
    diagnostics: list[Diagnostic],
    workers: int | None = None,
    known: dict[str, str] | None = None,
) -> tuple[dict[str, str], dict[str, str]] | None:
    """The package for ``spec`` and the digest of each file's unformatted render;
    reused from the cache (with its warnings) when the spec text, its path and the
    tool are unchanged, so a no-op run never starts Jinja or black and still reports
    what the first run reported.  ``known`` (see ``provider_output``): a render that
    took committed files on trust is never cached."""
    entry = cache_key("render", spec_path, version, spec_text)
    stored = cache.get("renders", entry)
    if isinstance(stored, tuple) and len(stored) == 3 and isinstance(stored[0], dict) and isinstance(stored[2], dict):
        diagnostics.extend(stored[1])
        return stored[0], stored[2]
    from generator.render import RenderError, render_with_diagnostics

    try:
        files, found, sources = render_with_diagnostics(
            extraction.spec, spec_path, version, cache, workers, known
        )
        diagnostics.extend(found)
    except RenderError as exc:
        diagnostics.append(
            Diagnostic("error", spec_path, 0, f"cannot generate the client: {exc}")
        )
        return None
    if not known:
        cache.put("renders", entry, (files, found, sources))
    return files, sources


def _outputs(
    config: Config,
    providers: list[str] | None,
    cache: Cache,
    result: Result,
    strict: bool,
    progress: Progress,
    allow_partial: bool = False,
    trust_tree: bool = False,
) -> list[ProviderOutput]:
    chosen = (
        [config.provider(name) for name in providers] if providers else config.providers
    )
    outputs = []
    for output in _each_output(config, chosen, cache, strict, progress, allow_partial, trust_tree):
        result.diagnostics.extend(output.extraction.diagnostics + output.diagnostics)
        if output.extraction.unreadable or output.kept:
            result.worsen(EXIT_USAGE)
        elif output.extraction.errors or any(
            d.level == "error" for d in output.diagnostics
        ):
            result.worsen(EXIT_DOC_ERRORS)
        outputs.append(output)
    result.outputs = outputs
    return outputs


PARALLEL_MIN_BYTES = 2_000_000  # of docs: below this, worker start-up costs more than it saves


def _each_output(
    config: Config,
    chosen: list[ProviderConfig],
    cache: Cache,
    strict: bool,
    progress: Progress,
    allow_partial: bool = False,
    trust_tree: bool = False,
) -> Iterator[ProviderOutput]:
    """``provider_output`` of every chosen provider, in order.  Providers the cache
    already holds are cheap and taken in this process.  Of the rest, when there are
    at least as many as cores, none dominates and there is enough to do, whole
    providers run side by side, one process each (their one-core stages - analysis,
    YAML, templates - then overlap too); otherwise one at a time, each spreading its
    parsing and formatting over the cores."""
    cores = os.cpu_count() or 1
    keys = {p.name: _inputs_key(config, p, strict) for p in chosen}

    def here(provider: ProviderConfig) -> ProviderOutput:
        return provider_output(
            config,
            provider,
            cache,
            strict,
            progress,
            inputs=keys[provider.name],
            allow_partial=allow_partial,
            trust_tree=trust_tree,
        )

    cold = [p for p in chosen if not _cached(cache, keys[p.name])]
    sizes = [_docs_bytes(provider) for provider in cold]
    if cores < 2 or len(cold) < cores or sum(sizes) < PARALLEL_MIN_BYTES or max(sizes) * cores > sum(sizes):
        yield from map(here, chosen)
        return
    from generator.pool import process_pool

    progress(f"{len(cold)} providers, {cores} at a time")
    with process_pool(cores) as pool:
        # the largest first: the last to start is then a small one, and the cores end together
        futures = {
            p.name: pool.submit(
                provider_output, config, p, cache, strict, _silent, 1, keys[p.name], allow_partial, trust_tree
            )
            for p, _ in sorted(zip(cold, sizes), key=lambda pair: -pair[1])
        }
        for provider in chosen:
            if provider.name not in futures:
                yield here(provider)
                continue
            try:
                output = futures[provider.name].result()
            except Exception:  # its worker died (killed, out of memory): do it here
                output = here(provider)
            progress(f"{provider.name}: done")
            yield output


def _cached(cache: Cache, inputs: str | None) -> bool:
    return inputs is not None and cache.has("extractions", inputs)


def _docs_bytes(provider: ProviderConfig) -> int:
    total = 0
    for file in expand_docs(provider.docs):
        try:
            total += file.stat().st_size
        except OSError:
            pass
    return total


def build_all(
    config: Config,
    providers: list[str] | None = None,
    cache: Cache | None = None,
    strict: bool = False,
    progress: Progress = _silent,
    allow_partial: bool = False,
) -> Result:
    """Build every chosen provider.  Ctrl-C raises ``Interrupted``, which says what
    was written and what was kept."""
    written: dict[str, str] = {}  # provider → "package" (swapped in) or "all" (and its spec)
    try:
        return _build_all(config, providers, cache, strict, progress, allow_partial, written)
    except KeyboardInterrupt:
        names = providers or [p.name for p in config.providers]
        raise Interrupted(_interrupted(names, written)) from None


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a build; the message is the one line that says what was kept."""


def _interrupted(names: list[str], written: dict[str, str]) -> str:
    kept = [name for name in names if name not in written]
    done = [name for name in names if written.get(name) == "all"]
    half = [name for name in names if written.get(name) == "package"]
    if not done and not half:
        return "docs2client: interrupted: nothing written; specs/ and generated/ are as they were"
    parts = [f"wrote {', '.join(done)}"] if done else []
    parts += [f"wrote the package of {name} but not yet its spec (the next build finishes it)" for name in half]
    if kept:
        parts.append(f"kept {', '.join(kept)} as they were")
    return "docs2client: interrupted: " + "; ".join(parts)


def _build_all(
    config: Config,
    providers: list[str] | None,
    cache: Cache | None,
    strict: bool,
    progress: Progress,
    allow_partial: bool,
    written: dict[str, str],
) -> Result:
    result = Result()
    cache = cache or Cache.for_project(config.root)
    for output in _outputs(config, providers, cache, result, strict, progress, allow_partial):
        name = output.provider.name
        if output.kept:
            result.summary.append(
                f"{name}: kept {relative(config, output.spec_file)} and {relative(config, output.out_dir)}/"
                " as they are (input errors above)"
            )
            continue
        lines = []
        # The package (with its changelog entry) is swapped in before the spec is
        # written: a run killed in between leaves the old spec, so the next run
        # finds the same change again, and an entry already on top is not repeated.
        # A package that cannot be written (full disk, read-only folder) leaves the
        # old package whole, and the old spec with it.
        if output.files is not None:
            from generator.render import RenderError, write_tree

            changelog = _changelog(config, output, cache)
            unlisted = {CHANGELOG: changelog} if changelog is not None else {}
            try:
                changed_files = output.files_changed = write_tree(
                    output.out_dir, output.files, unlisted, output.sources, file_digest(output.spec_text), output.spec_source
                )
            except (OSError, RenderError) as exc:
                _cannot_write(config, result, output, output.out_dir, "the package", exc)
                continue
            lines.append(
                f"{name}: {len(output.files)} file(s) → {relative(config, output.out_dir)}/ ({len(changed_files)} changed)"
            )
            written[name] = "package"
        try:
            changed = output.spec_changed = write_atomic(output.spec_file, output.spec_text)
        except OSError as exc:
            _cannot_write(config, result, output, output.spec_file, "the spec", exc)
            continue
        written[name] = "all"
        result.summary.append(
            f"{name}: {output.extraction.operations} operation(s) → {relative(config, output.spec_file)}"
            + (" (updated)" if changed else " (unchanged)")
        )
        result.summary.extend(lines)
    return result


def _cannot_write(
    config: Config, result: Result, output: ProviderOutput, path: Path, what: str, exc: Exception
) -> None:
    """One error naming the path and the cause; what was there stays as it was."""
    cause = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    shown = relative(config, path)
    result.diagnostics.append(
        Diagnostic("error", shown, 0, f"cannot write {what}: {cause}; the previous {what.split()[-1]} is kept")
    )
    result.summary.append(f"{output.provider.name}: not written ({shown}: {cause})")
    result.worsen(EXIT_USAGE)


CHANGELOG = "CHANGELOG.md"
CHANGELOG_HEAD = (
    "{header}\n"
    "# Changelog of {dist}\n\n"
    "Written by `docs2client build` at every build that changed the package (the semantic\n"
    "diff of `{spec}`, or why the code changed), newest first, each entry headed by the\n"
    "package version it made. Breaking means code using this client may need to change.\n\n"
)


def _changelog(config: Config, output: ProviderOutput, cache: Cache) -> str | None:
    """``generated/<provider>/CHANGELOG.md`` with an entry for this build's version
    on top (its changes: the semantic diff from the committed spec, or why the code
    changed), or None when it stays as it is (kept by the build, never listed in the
    manifest)."""
    from generator.diff import render_markdown

    release = output.release
    if release is None or not release.changes or output.files is None:
        return None
    path = output.out_dir / CHANGELOG
    previous = read_text(path) or ""
    spec = relative(config, output.spec_file)
    head = CHANGELOG_HEAD.format(
        header=escaping.html_comment(f"Generated by docs2client from {spec}; each build that changes the package adds its entry on top."),
        dist=f"{output.provider.name.replace('_', '-')}-client",
        spec=spec,
    )
    entry = render_markdown(release.changes, release.version) + "\n"
    first_entry = previous.find("\n## ")
    earlier = previous[first_entry + 1 :] if first_entry >= 0 else ""
    if earlier.startswith(entry):
        return None  # written by a run killed before it could write the spec
    return head + entry + earlier


def check_all(
    config: Config,
    providers: list[str] | None = None,
    cache: Cache | None = None,
    diff: bool = False,
    strict: bool = False,
    progress: Progress = _silent,
    allow_partial: bool = False,
) -> Result:
    """Exit 0 when specs/ and generated/ are what a build would write; 1 otherwise
    (2 when some input could not be read: that provider is not compared)."""
    result = Result()
    cache = cache or Cache.for_project(config.root)
    for output in _outputs(config, providers, cache, result, strict, progress, allow_partial, trust_tree=True):
        if output.kept:
            continue
        stale = _compare_text(config, output.spec_file, output.committed_spec, output.spec_text, diff)
        if output.files is not None:
            stale += _compare_tree(config, output, diff)
        if stale:
            result.worsen(EXIT_DOC_ERRORS)
            result.summary.extend(stale)
            output.stale = [
                line
                for line in stale
                if not line.startswith(("---", "+++", "@@", " ", "+", "-"))
            ]
    if result.exit_code == EXIT_OK:
        result.summary.append(f"up to date: {len(result.outputs)} provider(s)")
    return result


def _compare(config: Config, path: Path, expected: str, diff: bool) -> list[str]:
    return _compare_text(config, path, read_text(path), expected, diff)


def _compare_text(config: Config, path: Path, actual: str | None, expected: str, diff: bool) -> list[str]:
    """What check says of ``path``, whose text is ``actual`` (None: unreadable)."""
    shown = relative(config, path)
    if actual is None:
        return [f"{shown}: missing (run docs2client build)"]
    if actual == expected:
        return []
    lines = [f"{shown}: stale (differs from what the docs give now)"]
    if diff:
        lines.extend(
            difflib.unified_diff(
                actual.splitlines(),
                expected.splitlines(),
                f"a/{shown}",
                f"b/{shown}",
                lineterm="",
            )
        )
    return lines


def _compare_tree(config: Config, output: ProviderOutput, diff: bool) -> list[str]:
    from generator.files import MANIFEST, manifest_text

    out_dir, files = output.out_dir, output.files or {}
    stale: list[str] = []
    for path, text in sorted(files.items()):
        stale += _compare(config, out_dir / path, text, diff)
    expected = manifest_text(files, output.sources, file_digest(output.spec_text), output.spec_source)
    stale += _compare(config, out_dir / MANIFEST, expected, False)
    for old in sorted(set(output.manifest.entries) - set(files)):
        if (out_dir / old).is_file():
            stale.append(
                f"{relative(config, out_dir / old)}: no longer generated (run docs2client build)"
            )
    return stale


def to_json(result: Result, config: Config) -> str:
    """Machine-readable summary of a build or check."""
    data = {
        "exit_code": result.exit_code,
        "providers": [
            {
                "name": o.provider.name,
                "operations": o.extraction.operations,
                "spec": relative(config, o.spec_file),
                "spec_changed": o.spec_changed,
                "generated": relative(config, o.out_dir),
                "files_changed": o.files_changed,
                "stale": o.stale,
                "kept": o.kept,
            }
            for o in result.outputs
        ],
        "diagnostics": [
            {"level": d.level, "path": d.path, "line": d.line, "message": d.message}
            for d in result.diagnostics
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
