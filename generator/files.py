"""Atomic file output: write to a temporary file beside the target, then rename.

A run killed at any point leaves either the old or the new file, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _file_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


_FILE_MODE = _file_mode()


def write_atomic_bytes(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly that; returns True
    when the file changed."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, _FILE_MODE)  # mkstemp makes 0600; outputs are ordinary files
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True


def write_atomic(path: Path, text: str) -> bool:
    return write_atomic_bytes(path, text.encode("utf-8"))
