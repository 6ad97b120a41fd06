"""Content-addressed cache: parsed documents and black-formatted files.

Keys hash the inputs *and* the tool itself (every source file of the ``generator``
package and every template), so a changed reader, extractor or template never
serves a stale entry.  The folder (``.docs2client-cache/`` at the project root, or
``$DOCS2CLIENT_CACHE_DIR``) is safe to delete at any time; ``DOCS2CLIENT_CACHE=off``
turns caching off.  Entries are written atomically; an unreadable entry is a miss.
A provider's parsed pages and drafts are kept in one pack per kind (``Packed``).

The folder is untrusted input (CI restores caches across branches and pull
requests), yet entries are pickles and compiled templates, which run code when
loaded.  So every entry starts with an HMAC-SHA256 of its slot and content under
a key that never leaves this machine (``machine_key``: 32 random bytes in the
user's cache folder, outside any project, mode 0600), and is loaded only when
that MAC is right.  An entry planted, edited or written on another machine is a
miss, never code that runs.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
import stat
import sys
import tempfile
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


def digest(*parts: str | bytes, prefix: bytes = b"") -> str:
    """SHA-256 of ``prefix`` and the parts, each behind its length (so no two lists
    of parts run together alike), hex."""
    hashed = hashlib.sha256(prefix)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hashed.update(len(data).to_bytes(8, "big"))
        hashed.update(data)
    return hashed.hexdigest()


def key(*parts: str | bytes) -> str:
    """A cache key: ``digest`` of the parts and of the tool's own code."""
    return digest(*parts, prefix=code_fingerprint().encode())


KEY_BYTES = 32
MAC_BYTES = 32  # HMAC-SHA256


def key_path() -> Path:
    """Where this user's cache key lives: the user's cache folder, never a project."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "docs2client" / "cache-key"


@lru_cache(maxsize=1)
def machine_key() -> bytes | None:
    """The key that authenticates cache entries, made on first use; None (no cache)
    when it can neither be read nor made, or is not this user's private file."""
    path = key_path()
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        return None
    try:
        return _make_key(path)
    except FileExistsError:  # another process made it first
        pass
    except OSError:
        return None
    try:
        return _read_key(path)
    except (OSError, ValueError):
        return None


def _read_key(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{path} is not a regular file")
        if os.name == "posix" and (info.st_uid != os.getuid() or info.st_mode & 0o077):
            raise ValueError(f"{path} is not private to this user")
        data = os.read(fd, KEY_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) != KEY_BYTES:
        raise ValueError(f"{path} does not hold a key")
    return data


def _make_key(path: Path) -> bytes:
    """A new key, written whole under a temporary name (0600) and linked into place,
    so a concurrent reader never sees half a key and two writers agree on one."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    data = secrets.token_bytes(KEY_BYTES)
    handle, temp = tempfile.mkstemp(prefix=".cache-key.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.link(temp, path)  # FileExistsError when another process won
    finally:
        os.unlink(temp)
    return data


class Cache:
    def __init__(self, folder: Path | None):
        self._key = machine_key() if folder is not None else None
        self.folder = folder if self._key is not None else None  # no key: no cache
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

    def _mac(self, kind: str, entry: str, payload: bytes | memoryview) -> bytes:
        assert self._key is not None
        mac = hmac.new(self._key, f"docs2client-cache\0{kind}\0{entry}\0".encode(), hashlib.sha256)
        mac.update(payload)
        return mac.digest()

    def get_bytes(self, kind: str, entry: str) -> memoryview | None:
        """The content stored for ``entry``, if this machine's key wrote it there."""
        path = self._path(kind, entry)
        if path is None:
            return None
        try:
            data = memoryview(path.read_bytes())
        except OSError:
            self.misses += 1
            return None
        payload = data[MAC_BYTES:]
        if len(data) < MAC_BYTES or not hmac.compare_digest(data[:MAC_BYTES], self._mac(kind, entry, payload)):
            self.misses += 1  # planted, edited, truncated, or written with another key
            return None
        self.hits += 1
        return payload

    def put_bytes(self, kind: str, entry: str, payload: bytes) -> None:
        path = self._path(kind, entry)
        if path is None:
            return
        try:
            write_atomic_bytes(path, self._mac(kind, entry, payload) + payload)
        except OSError:
            pass  # a read-only checkout still works, just without a cache

    def get(self, kind: str, entry: str) -> Any | None:
        payload = self.get_bytes(kind, entry)
        if payload is None:
            return None
        try:
            return pickle.loads(payload)  # authenticated: written by this tool on this machine
        except Exception:  # from another Python or another version of a class: a miss
            self.hits -= 1
            self.misses += 1
            return None

    def put(self, kind: str, entry: str, value: Any) -> None:
        if self.folder is not None:
            self.put_bytes(kind, entry, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


PACK_MIN_ENTRIES = 32  # a run that adds fewer entries of a kind writes them as files of their own
PACK_MAX_BYTES = 64 << 20  # a pack is read whole into memory: past this, entries stay files


class Packed(Cache):
    """``base`` with the entries of ``kinds`` that one provider's extraction reads
    and writes together (its parsed pages, its drafts) kept in one file per kind,
    a pack, as well as in files of their own.  Writing two thousand small files
    cost a cold check of 1000 pages 0.8 s, most of it in the kernel.

    A pack is an entry like any other (authenticated whole, then unpickled into
    entry → pickled payload).  An entry not in the pack is looked for as a file.
    ``save`` writes the pack again, with the entries this run used, when the run
    added many entries; else the few it added are written as files of their own,
    so one changed page does not rewrite its provider's pack."""

    def __init__(self, base: Cache, kinds: tuple[str, ...], slot: str):
        self._key = base._key
        self.folder = base.folder
        self.hits = self.misses = 0
        self.kinds = frozenset(kinds)
        self.slot = slot
        self._packs: dict[str, dict[str, bytes]] = {}  # kind → its pack, read on first use
        self._used: dict[str, dict[str, bytes]] = {}  # kind → entries this run read or wrote
        self._new: dict[str, dict[str, bytes]] = {}  # kind → entries this run wrote

    def _pack(self, kind: str) -> dict[str, bytes]:
        if kind not in self._packs:
            stored = super().get(f"{kind}-pack", self.slot)
            valid = isinstance(stored, dict) and all(
                isinstance(k, str) and isinstance(v, bytes) for k, v in stored.items()
            )
            self._packs[kind] = stored if valid else {}
        return self._packs[kind]

    def has(self, kind: str, entry: str) -> bool:
        return (kind in self.kinds and entry in self._pack(kind)) or super().has(kind, entry)

    def get(self, kind: str, entry: str) -> Any | None:
        if kind not in self.kinds or self.folder is None:
            return super().get(kind, entry)
        payload = self._pack(kind).get(entry)
        if payload is None:
            loose = self.get_bytes(kind, entry)
            if loose is None:
                return None
            payload = bytes(loose)
        try:
            value = pickle.loads(payload)  # authenticated: the pack's MAC, or the entry's own
        except Exception:  # from another Python or another version of a class: a miss
            return None
        self._used.setdefault(kind, {})[entry] = payload
        return value

    def put(self, kind: str, entry: str, value: Any) -> None:
        if kind not in self.kinds or self.folder is None:
            super().put(kind, entry, value)
            return
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._new.setdefault(kind, {})[entry] = payload
        self._used.setdefault(kind, {})[entry] = payload

    def save(self) -> None:
        """Write what this run added (see the class)."""
        for kind in sorted(self._new):
            new, used = self._new[kind], self._used[kind]
            if len(new) >= PACK_MIN_ENTRIES and sum(map(len, used.values())) <= PACK_MAX_BYTES:
                super().put(f"{kind}-pack", self.slot, used)
            else:
                for entry, payload in new.items():
                    self.put_bytes(kind, entry, payload)
        self._new.clear()
