"""Content-addressed cache: parsed documents and black-formatted files.

Keys hash the inputs *and* the tool itself (every source file of the ``generator``
package and every template), so a changed reader, extractor or template never
serves a stale entry.  The folder (``.docs2client-cache/`` at the project root, or
``$DOCS2CLIENT_CACHE_DIR``) is safe to delete at any time; ``DOCS2CLIENT_CACHE=off``
turns caching off.  Entries are written atomically; an unreadable entry is a miss.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.files import write_atomic_bytes

PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the tool's own code and templates."""
    digest = hashlib.sha256()
    roots = [PACKAGE, PACKAGE.parent / "templates"]
    for root in roots:
        if not root.is_dir():
            continue
        for file in sorted(root.rglob("*")):
            if file.suffix in (".py", ".jinja", ".json") and "__pycache__" not in file.parts:
                digest.update(file.relative_to(root).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def key(*parts: str | bytes) -> str:
    digest = hashlib.sha256(code_fingerprint().encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class Cache:
    def __init__(self, folder: Path | None):
        self.folder = folder
        self.hits = 0
        self.misses = 0

    @classmethod
    def for_project(cls, root: Path) -> Cache:
        if os.environ.get("DOCS2CLIENT_CACHE", "").lower() in ("0", "off", "no", "false"):
            return cls(None)
        configured = os.environ.get("DOCS2CLIENT_CACHE_DIR")
        return cls(Path(configured) if configured else root / ".docs2client-cache")

    def _path(self, kind: str, entry: str) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / kind / entry[:2] / entry

    def has(self, kind: str, entry: str) -> bool:
        """Whether an entry is stored (it may still turn out unreadable)."""
        path = self._path(kind, entry)
        return path is not None and path.is_file()

    def get(self, kind: str, entry: str) -> Any | None:
        path = self._path(kind, entry)
        if path is None:
            return None
        try:
            value = pickle.loads(path.read_bytes())
        except Exception:  # missing, truncated or from another Python: a miss
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, kind: str, entry: str, value: Any) -> None:
        path = self._path(kind, entry)
        if path is None:
            return
        try:
            write_atomic_bytes(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a read-only checkout still works, just without a cache
