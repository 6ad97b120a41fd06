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
from importlib import resources
from pathlib import Path, PurePosixPath

import black
import jinja2
from black.mode import TargetVersion
from black.parsing import InvalidInput

from generator import escaping
from generator.cache import Cache
from generator.cache import key as cache_key
from generator.document import Diagnostic
from generator.files import MANIFEST, manifest_text, read_manifest, write_atomic
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

# Generated packages declare requires-python >= 3.11; black infers the same targets
# from that when run as ``black --check`` on the tree, so in-process and CLI agree.
BLACK_MODE = black.Mode(
    target_versions={v for v in TargetVersion if v.value >= TargetVersion.PY311.value}
)


def _template_source(name: str) -> str:
    return resources.files("generator.templates").joinpath(name).read_text("utf-8")


_ENV = jinja2.Environment(
    loader=jinja2.FunctionLoader(_template_source),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    autoescape=False,
)


PARALLEL_MIN_BYTES = (
    300_000  # below this much unformatted code, a process pool costs more
)


def _format(text: str) -> str:
    return black.format_str(text, mode=BLACK_MODE)


class Formatter:
    """black, in-process, with one fixed mode; results cached by the unformatted
    text (in memory, and in the build's content-addressed cache when given), so a
    rebuild formats only files whose generated text changed.  Large batches of
    misses are spread over a process pool (one worker per core)."""

    def __init__(self, cache: Cache | None = None, workers: int | None = None):
        self.cache = cache
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.memory: dict[str, str] = (
            {}
        )  # the runtime module is the same in every package

    def format_all(self, texts: dict[str, str]) -> dict[str, str]:
        """path → unformatted text, to path → black-formatted text."""
        done: dict[str, str] = {}
        misses: dict[str, str] = {}  # path → cache entry
        for path, text in texts.items():
            entry = cache_key("black", text)
            found = self.memory.get(entry)
            if found is None and self.cache is not None:
                stored = self.cache.get("black", entry)
                found = stored if isinstance(stored, str) else None
            if found is None:
                misses[path] = entry
            else:
                done[path] = self.memory[entry] = found
        for path, found in zip(
            misses, self._run([texts[p] for p in misses], list(misses)), strict=True
        ):
            entry = misses[path]
            if self.cache is not None:
                self.cache.put("black", entry, found)
            done[path] = self.memory[entry] = found
        return done

    def _run(self, texts: list[str], paths: list[str]) -> list[str]:
        try:
            if (
                self.workers < 2
                or len(texts) < 2
                or sum(map(len, texts)) < PARALLEL_MIN_BYTES
            ):
                return [_format(text) for text in texts]
            from concurrent.futures import ProcessPoolExecutor

            order = sorted(
                range(len(texts)), key=lambda i: -len(texts[i])
            )  # big files first
            with ProcessPoolExecutor(max_workers=self.workers) as pool:
                results = dict(
                    zip(
                        order, pool.map(_format, [texts[i] for i in order]), strict=True
                    )
                )
            return [results[i] for i in range(len(texts))]
        except (
            InvalidInput
        ) as exc:  # a generator bug: never write code black cannot parse
            where = next(
                (p for p, t in zip(paths, texts, strict=True) if _invalid(t)), "a file"
            )
            raise RenderError(f"generated {where} is not valid Python: {exc}") from None


def _invalid(text: str) -> bool:
    try:
        _format(text)
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
    package = pkg.package
    raw: dict[str, str] = {}

    def render(template: str, path: str, **context: object) -> None:
        raw[path] = _ENV.get_template(template).render(**context)

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
    raw.update(fmt.format_all({p: t for p, t in raw.items() if p.endswith(".py")}))
    header = generated_header(pkg.spec_path)
    return {path: _with_header(path, header, raw[path]) for path in sorted(raw)}


def render_provider(
    spec: Spec, spec_path: str, version: str = "", cache: Cache | None = None
) -> dict[str, str]:
    """Every file of ``generated/<provider>/``: relative POSIX path → final text.
    ``version`` is the package version (default: derived from the spec's content);
    ``cache`` keeps black's output by content, so unchanged files are not reformatted.
    """
    return render_package(build_package(spec, spec_path, version), Formatter(cache))


def render_diagnostics(spec: Spec, spec_path: str) -> list[Diagnostic]:
    """Warnings about names the generator had to change (collisions, reserved words)."""
    pkg = build_package(spec, spec_path)
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


def _inside(root: Path, rel: PurePosixPath) -> Path:
    """``root/rel``, refusing any symlink on the way (it could lead outside ``root``)."""
    target = root
    for part in rel.parts:
        target = target / part
        if target.is_symlink():
            raise RenderError(f"refusing to write through symlink {target}")
    resolved_root = root.resolve()
    if not target.resolve().is_relative_to(resolved_root):
        raise RenderError(f"refusing to write {target}: outside {root}")
    return target


def write_tree(out_dir: Path, files: dict[str, str]) -> list[str]:
    """Write ``files`` under ``out_dir``; return the relative paths that changed
    (written or deleted).  Files listed in the previous manifest but no longer
    produced are deleted; files the generator never wrote are left alone.

    The new tree is assembled in a staging copy beside ``out_dir`` and swapped in
    with one atomic directory exchange, so a run killed at any point leaves either
    the whole previous package or the whole new one (never a mix that fails to
    import); a later run removes a dead run's staging folder."""
    out_dir = Path(out_dir)
    if out_dir.is_symlink():
        raise RenderError(f"refusing to write into symlink {out_dir}")
    for path in files:
        _safe_relative(path)
    if MANIFEST in files:
        raise RenderError(f"refusing to overwrite the manifest {MANIFEST}")
    _remove_dead_staging(out_dir)
    if out_dir.is_dir() and not _would_change(out_dir, files):
        return []
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.parent / f".{out_dir.name}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    if out_dir.is_dir():
        shutil.copytree(out_dir, staging, symlinks=True)
    else:
        staging.mkdir()
    changed = _apply(staging, files)
    if not out_dir.exists():
        os.rename(staging, out_dir)  # atomic: the package appears whole
    elif _exchange(staging, out_dir):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous tree
    else:  # no atomic exchange on this system: update in place, file by file
        shutil.rmtree(staging, ignore_errors=True)
        changed = _apply(out_dir, files)
    return changed


def _would_change(root: Path, files: dict[str, str]) -> bool:
    if (root / MANIFEST).is_file() is False or _read(root / MANIFEST) != manifest_text(
        files
    ):
        return True
    return any(
        _read(_inside(root, _safe_relative(path))) != text
        for path, text in files.items()
    )


def _read(path: Path) -> str | None:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _apply(root: Path, files: dict[str, str]) -> list[str]:
    targets = {path: _inside(root, _safe_relative(path)) for path in sorted(files)}
    changed = [
        path for path, target in targets.items() if write_atomic(target, files[path])
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
