"""The atomic tree writer: puts a rendered package under ``generated/<provider>/``.

``write_tree`` writes only what changed, each file atomically, swaps the whole
package in at once, and deletes only files its own manifest says it wrote earlier.
"""

from __future__ import annotations

import ctypes
import os
import shutil
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from generator.files import (
    MANIFEST,
    manifest_text,
    plain_relative,
    read_manifest,
    read_text,
    write_atomic,
)
from generator.render.context import RenderError


def _safe_relative(path: str) -> PurePosixPath:
    if not plain_relative(path):
        raise RenderError(f"refusing to write {path!r}: not a plain relative path")
    return PurePosixPath(path)


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
    out_dir: Path,
    files: dict[str, str],
    unlisted: dict[str, str] | None = None,
    sources: Mapping[str, str] | None = None,
    spec: str = "",
    spec_source: str = "",
) -> list[str]:
    """Write ``files`` under ``out_dir``; return the relative paths that changed
    (written or deleted).  Files listed in the previous manifest but no longer
    produced are deleted; files the generator never wrote are left alone.
    ``unlisted`` files (the changelog) are written in the same swap but kept out of
    the manifest, so no later build deletes them; ``sources`` (path → digest of the
    unformatted render) go into the manifest beside each file's digest, ``spec``
    (the digest of the spec text) and ``spec_source`` (of the data it was written
    from) at its head.

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
    manifest = manifest_text(files, sources, spec, spec_source)
    if differing is not None and not differing and read_text(out_dir / MANIFEST) == manifest:
        return []
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.parent / f".{out_dir.name}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        if out_dir.is_dir():
            shutil.copytree(out_dir, staging, symlinks=True, copy_function=_link_or_copy)
        else:
            staging.mkdir()
        changed = _apply(staging, files, unlisted, manifest, differing)
    except BaseException:  # a full disk, a read-only folder, Ctrl-C: out_dir is untouched
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if not out_dir.exists():
        os.rename(staging, out_dir)  # atomic: the package appears whole
    elif _exchange(staging, out_dir):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous tree
    else:  # no atomic exchange on this system: update in place, file by file
        shutil.rmtree(staging, ignore_errors=True)
        changed = _apply(out_dir, files, unlisted, manifest)
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
        if read_text(_inside(root, _safe_relative(path), checked)) != text
    }


def _apply(
    root: Path,
    files: dict[str, str],
    unlisted: dict[str, str],
    manifest: str,
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
    write_atomic(root / MANIFEST, manifest)
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
