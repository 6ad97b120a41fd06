"""Spec → render context → Jinja → black → ``{relative path: file text}``; plus the
atomic tree writer that puts those files under ``generated/<provider>/``.

``render_provider`` is pure: same spec, same bytes (every collection is sorted
before rendering, Jinja runs with ``StrictUndefined``, black runs in-process with
one fixed ``Mode``).  ``write_tree`` writes only what changed, each file atomically,
and deletes only files its own manifest says it wrote earlier.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
from functools import lru_cache
from importlib import resources
from pathlib import Path, PurePosixPath

import black
import jinja2
from black.parsing import InvalidInput

from generator import escaping
from generator.cache import Cache
from generator.cache import key as cache_key
from generator.document import Diagnostic
from generator.files import MANIFEST, manifest_text, read_manifest, write_atomic
from generator.formatting import BLACK_MODE, FormatError, Formatter
from generator.render_context import (
    Package,
    RenderError,
    build_package,
    build_readme,
    generated_header,
)
from generator.render_tests import build_test_helper, build_test_modules
from generator.spec import Spec

__all__ = [
    "MANIFEST",
    "RenderError",
    "render_diagnostics",
    "render_provider",
    "write_tree",
]

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


def format_files(fmt: Formatter, texts: dict[str, str]) -> dict[str, str]:
    try:
        return fmt.format_all(texts)
    except FormatError as exc:  # a generator bug: never write code black cannot parse
        where = next((p for p, t in texts.items() if _invalid(t)), "a file")
        raise RenderError(f"generated {where} is not valid Python: {exc}") from None


def _invalid(text: str) -> bool:
    try:
        black.format_str(text, mode=BLACK_MODE)
    except InvalidInput:
        return True
    return False


def _with_header(path: str, header: str, text: str) -> str:
    if path.endswith(".md"):
        return f"{escaping.html_comment(header)}\n{text}"
    return f"{escaping.comment(header)}\n{text}"


def render_package(pkg: Package, fmt: Formatter | None = None) -> dict[str, str]:
    """Render every template, then black-format the Python files in one batch (the
    header is a comment black leaves alone, so it is added afterwards)."""
    fmt = fmt or Formatter()
    env = _environment(fmt.cache.folder if fmt.cache is not None else None)
    package = pkg.package
    raw: dict[str, str] = {}

    def render(template: str, path: str, **context: object) -> None:
        raw[path] = env.get_template(template).render(**context)

    render("pyproject.toml.jinja", "pyproject.toml", pkg=pkg)
    render("README.md.jinja", "README.md", readme=build_readme(pkg))
    render("py.typed.jinja", f"{package}/py.typed", pkg=pkg)
    for module in ("__init__", "_runtime", "models", "errors", "client"):
        render(f"{module}.py.jinja", f"{package}/{module}.py", pkg=pkg)
    # The tests are a package named after the provider: pytest (default import mode)
    # puts generated/<provider> on sys.path for it, so the client imports uninstalled,
    # and test modules of different providers never clash.
    tests = f"{pkg.provider}_tests"
    helper = build_test_helper(pkg)
    render("tests_init.py.jinja", f"{tests}/__init__.py", pkg=pkg)
    render("test_helper.py.jinja", f"{tests}/helpers.py", helper=helper)
    for test in build_test_modules(pkg, helper):
        render("test_endpoint.py.jinja", f"{tests}/{test.module}.py", test=test)
    raw.update(format_files(fmt, {p: t for p, t in raw.items() if p.endswith(".py")}))
    header = generated_header(pkg.spec_path)
    return {path: _with_header(path, header, raw[path]) for path in sorted(raw)}


def render_provider(
    spec: Spec, spec_path: str, version: str = "", cache: Cache | None = None
) -> dict[str, str]:
    """Every file of ``generated/<provider>/``: relative POSIX path → final text.
    ``version`` is the package version (default: derived from the spec's content);
    ``cache`` keeps black's output by content, so unchanged files are not reformatted.
    """
    return render_with_diagnostics(spec, spec_path, version, cache)[0]


def render_with_diagnostics(
    spec: Spec,
    spec_path: str,
    version: str = "",
    cache: Cache | None = None,
    workers: int | None = None,
) -> tuple[dict[str, str], list[Diagnostic]]:
    """``render_provider`` and ``render_diagnostics`` from one render context;
    ``workers`` as in ``Formatter`` (default: one per core)."""
    pkg = build_package(spec, spec_path, version)
    files = render_package(pkg, Formatter(cache, workers))
    return files, render_diagnostics(spec, spec_path, pkg)


def render_diagnostics(
    spec: Spec, spec_path: str, pkg: Package | None = None
) -> list[Diagnostic]:
    """Warnings about names the generator had to change (collisions, reserved words)."""
    pkg = pkg or build_package(spec, spec_path)
    out = [
        Diagnostic(
            "warning",
            spec_path,
            0,
            f"schema reference {ref!r} names no schema; typed as Any",
        )
        for ref in sorted(set(pkg.types.unresolved))
    ]
    for rename in pkg.renames:
        path, line = _location(rename.source, spec_path)
        out.append(
            Diagnostic(
                "warning",
                path,
                line,
                str(rename).split(": ", 1)[-1] if rename.source else str(rename),
            )
        )
    return out


def _location(source: str, fallback: str) -> tuple[str, int]:
    match = re.fullmatch(r"(?:override:)?(.+):(\d+)", source or "")
    return (match.group(1), int(match.group(2))) if match else (fallback, 0)


# -- writing ------------------------------------------------------------------------


def _safe_relative(path: str) -> PurePosixPath:
    rel = PurePosixPath(path)
    if (
        not path
        or rel.is_absolute()
        or "\\" in path
        or any(p in ("", ".", "..") for p in path.split("/"))
    ):
        raise RenderError(f"refusing to write {path!r}: not a plain relative path")
    return rel


def _inside(root: Path, rel: PurePosixPath, checked: set[Path] | None = None) -> Path:
    """``root/rel``, refusing any symlink on the way (it could lead outside ``root``).
    ``rel`` is a plain relative path (``_safe_relative``) and ``root`` no symlink, so
    with no symlink on the way the target is inside ``root``.  Folders in ``checked``
    were checked earlier in the same write."""
    target = root
    for part in rel.parts:
        target = target / part
        if checked is not None and target in checked:
            continue
        if target.is_symlink():
            raise RenderError(f"refusing to write through symlink {target}")
        if checked is not None and target != root / rel:
            checked.add(target)
    return target


def write_tree(
    out_dir: Path, files: dict[str, str], unlisted: dict[str, str] | None = None
) -> list[str]:
    """Write ``files`` under ``out_dir``; return the relative paths that changed
    (written or deleted).  Files listed in the previous manifest but no longer
    produced are deleted; files the generator never wrote are left alone.
    ``unlisted`` files (the changelog) are written in the same swap but kept out of
    the manifest, so no later build deletes them.

    The new tree is assembled in a staging copy beside ``out_dir`` and swapped in
    with one atomic directory exchange, so a run killed at any point leaves either
    the whole previous package or the whole new one (never a mix that fails to
    import); a later run removes a dead run's staging folder."""
    out_dir = Path(out_dir)
    if out_dir.is_symlink():
        raise RenderError(f"refusing to write into symlink {out_dir}")
    unlisted = unlisted or {}
    for path in [*files, *unlisted]:
        _safe_relative(path)
    if MANIFEST in files or MANIFEST in unlisted:
        raise RenderError(f"refusing to overwrite the manifest {MANIFEST}")
    _remove_dead_staging(out_dir)
    differing = _differing(out_dir, files, unlisted) if out_dir.is_dir() else None
    if differing is not None and not differing and _read(out_dir / MANIFEST) == manifest_text(files):
        return []
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.parent / f".{out_dir.name}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        if out_dir.is_dir():
            shutil.copytree(out_dir, staging, symlinks=True, copy_function=_link_or_copy)
        else:
            staging.mkdir()
        changed = _apply(staging, files, unlisted, differing)
    except BaseException:  # a full disk, a read-only folder, Ctrl-C: out_dir is untouched
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if not out_dir.exists():
        os.rename(staging, out_dir)  # atomic: the package appears whole
    elif _exchange(staging, out_dir):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous tree
    else:  # no atomic exchange on this system: update in place, file by file
        shutil.rmtree(staging, ignore_errors=True)
        changed = _apply(out_dir, files, unlisted)
    return changed


def _link_or_copy(source: str, target: str) -> None:
    """Staging starts as hard links to the current tree: every write replaces a file
    by rename (a new inode), so the current tree never changes under a reader."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _differing(root: Path, files: dict[str, str], unlisted: dict[str, str]) -> set[str]:
    """The paths of ``files`` and ``unlisted`` whose text under ``root`` is not theirs."""
    checked: set[Path] = set()
    return {
        path
        for path, text in [*files.items(), *unlisted.items()]
        if _read(_inside(root, _safe_relative(path), checked)) != text
    }


def _read(path: Path) -> str | None:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _apply(
    root: Path,
    files: dict[str, str],
    unlisted: dict[str, str],
    differing: set[str] | None = None,
) -> list[str]:
    """Bring ``root`` to ``files`` + ``unlisted``; ``differing`` (when known) are the
    only paths whose text differs there."""
    every = {**unlisted, **files}
    checked: set[Path] = set()
    targets = {
        path: _inside(root, _safe_relative(path), checked)
        for path in sorted(every)
        if differing is None or path in differing
    }
    changed = [
        path for path, target in targets.items() if write_atomic(target, every[path])
    ]
    for old in sorted(set(read_manifest(root)) - set(files)):
        try:
            target = _inside(root, _safe_relative(old))
        except RenderError:
            continue  # a tampered manifest never deletes outside out_dir
        if target.is_file():
            target.unlink()
            changed.append(old)
            _prune_empty(root, target.parent)
    write_atomic(root / MANIFEST, manifest_text(files))
    return sorted(changed)


def _remove_dead_staging(out_dir: Path) -> None:
    """Staging folders of runs that were killed before their swap."""
    if not out_dir.parent.is_dir():
        return
    for stale in out_dir.parent.glob(f".{out_dir.name}.staging-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue  # another build is working there right now
        shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux ``renameat2(RENAME_EXCHANGE)``);
    False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    result = renameat2(
        _AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE
    )
    return bool(result == 0)


def _prune_empty(root: Path, folder: Path) -> None:
    root = root.resolve()
    while folder.resolve() != root and folder.resolve().is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
