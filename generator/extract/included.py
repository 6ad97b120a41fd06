"""Files that pages include: examples (``literalinclude``) and definition files
(os-api-ref's ``parameters.yaml``).

Doc text is untrusted, and an include names a file to read, so a target is read only
when it lies inside the folder the provider's docs are read from (the project root,
or the working folder for ``docs2client extract``), has a data or page suffix, and is
a regular file of at most ``MAX_BYTES``.  A definition file is read with YAML's safe
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
    def __init__(self, base: Path | None):
        self.base = (base or Path.cwd()).resolve()
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
        candidate = (self.base / relative.lstrip("/")) if relative.startswith("/") else folder / relative
        try:
            resolved = candidate.resolve()
        except (OSError, RuntimeError):
            resolved = candidate
        if not resolved.is_relative_to(self.base):
            self._problem("warning", page, line, target, f"included file {target!r} lies outside {self._shown(self.base) or '.'}; not read")
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
