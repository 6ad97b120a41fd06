"""Files that pages include: examples (``literalinclude``) and definition files
(os-api-ref's ``parameters.yaml``).

Doc text is untrusted, and an include names a file to read, so a target is read only
when it lies inside one of the folders the provider's docs were named as (a file
named alone: its folder), no part of its path below that folder is hidden (``.git``,
``.ssh``), it has a data or page suffix, and it is a regular file of at most
``MAX_BYTES``.  A definition file is read with YAML's safe
loader.  Every file read is recorded (``read``), so caches can key on its content;
every problem is a diagnostic at the include's ``file:line``, once per target.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import yaml

from generator.document import Diagnostic

MAX_BYTES = 4_000_000
SUFFIXES = (".json", ".yaml", ".yml", ".xml", ".txt", ".rst", ".inc", ".md", ".http", ".sh", ".js", ".py")


class IncludedFiles:
    def __init__(self, base: Path | None, allowed: list[Path] | None = None):
        self.base = (base or Path.cwd()).resolve()  # paths are shown relative to it
        self.allowed = [folder.resolve() for folder in allowed] if allowed is not None else [self.base]
        self.read: dict[str, str] = {}  # shown path → sha256 of the bytes read
        self.diagnostics: list[Diagnostic] = []
        self._texts: dict[Path, str | None] = {}
        self._data: dict[Path, Any] = {}
        self._reported: set[tuple[str, str]] = set()

    def text(self, page_file: Path | None, page: str, target: str, line: int) -> tuple[str, str] | None:
        """(text, shown path) of ``target`` written on ``page`` at ``line``."""
        found = self._locate(page_file, page, target, line)
        if found is None:
            return None
        text = self._load(found, page, target, line)
        return None if text is None else (text, self._shown(found))

    def definitions(self, page_file: Path | None, page: str, target: str, line: int) -> dict[str, Any]:
        """The mapping a definitions file holds (key → definition); {} when unusable."""
        found = self._locate(page_file, page, target, line)
        if found is None:
            return {}
        if found not in self._data:
            text = self._load(found, page, target, line)
            data: Any = {}
            if text is not None:
                try:
                    data = yaml.safe_load(text)
                except yaml.YAMLError as exc:
                    mark = getattr(exc, "problem_mark", None)
                    where = f" (line {mark.line + 1})" if mark is not None else ""
                    self._problem("warning", page, line, target, f"definitions file {target!r} is not valid YAML{where}; its definitions are not used")
                    data = {}
            if not isinstance(data, dict):
                data = {}
            self._data[found] = data
        return self._data[found]

    def _locate(self, page_file: Path | None, page: str, target: str, line: int) -> Path | None:
        folder = (page_file if page_file is not None else self.base / page).parent
        relative = target.strip()
        candidate = folder / relative
        if relative.startswith("/"):
            # Sphinx reads "/x" from its source folder, which a page does not name:
            # the nearest folder above the page (inside the docs) that has it
            above = [f for f in (folder, *folder.parents) if any(f.resolve().is_relative_to(a) for a in self.allowed)]
            found = [f / relative.lstrip("/") for f in above if (f / relative.lstrip("/")).is_file()]
            candidate = found[0] if found else (above[-1] if above else self.base) / relative.lstrip("/")
        try:
            resolved = candidate.resolve()
        except (OSError, RuntimeError):
            resolved = candidate
        inside = [folder for folder in self.allowed if resolved.is_relative_to(folder)]
        if not inside:
            where = ", ".join(self._shown(f) or "." for f in self.allowed)
            self._problem("warning", page, line, target, f"included file {target!r} lies outside the docs folders ({where}); not read (name a folder that holds it as the provider's docs)")
            return None
        if any(part.startswith(".") for folder in inside[:1] for part in resolved.relative_to(folder).parts):
            self._problem("warning", page, line, target, f"included file {target!r} is hidden; not read")
            return None
        if resolved.suffix.lower() not in SUFFIXES:
            self._problem("warning", page, line, target, f"included file {target!r} is not a text or data file this tool reads; not read")
            return None
        if not resolved.is_file():
            self._problem("note", page, line, target, f"included file {target!r} not found; its content is missing from this page")
            return None
        return resolved

    def _load(self, found: Path, page: str, target: str, line: int) -> str | None:
        if found in self._texts:
            return self._texts[found]
        text: str | None = None
        try:
            size = found.stat().st_size
            if size > MAX_BYTES:
                self._problem("warning", page, line, target, f"included file {target!r} is {size} bytes, over the {MAX_BYTES}-byte limit; not read")
            else:
                data = found.read_bytes()
                self.read[self._shown(found)] = hashlib.sha256(data).hexdigest()
                text = data.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            self._problem("warning", page, line, target, f"included file {target!r} cannot be read ({exc})")
        self._texts[found] = text
        return text

    def _shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.base).as_posix()
        except ValueError:
            return Path(os.path.relpath(path, self.base)).as_posix()

    def _problem(self, level: str, page: str, line: int, target: str, message: str) -> None:
        if (page, target) not in self._reported:
            self._reported.add((page, target))
            self.diagnostics.append(Diagnostic(level, page, line, message))
