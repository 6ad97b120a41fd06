"""``[tool.docs2client]`` in pyproject.toml → typed configuration.

```toml
[tool.docs2client]
specs = "specs"            # where specs/<provider>.yaml are written
generated = "generated"    # where generated/<provider>/ packages are written

[tool.docs2client.providers.cielo24]
title = "cielo24 API"
docs = ["seeds/cielo24/2015-09-08/job_info.rst"]   # files or folders (*.rst, *.md, *.txt)
base_url = "https://api.cielo24.com"               # optional: where the docs are silent
version = "1.2.0"                                  # optional: a fixed package version
version_scheme = "semver"                          # optional: semver (default) or serial
```

The section is checked against ``SETTINGS`` and ``PROVIDER_SETTINGS`` before
anything runs: an unknown key is an error naming it and the closest known key, a
value of the wrong type an error naming the key and the type wanted.  A new key
is added there (with its type and a line for the README).

``version_scheme`` may also be set once in ``[tool.docs2client]`` for every provider;
``generator/versions.py`` says how each scheme bumps the version.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PROVIDER_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# What a folder of docs is made of: pages in these suffixes (``.inc`` is how Sphinx
# projects such as os-api-ref name included RST fragments, ``.mdx`` Markdown with JSX).
# Other files (JSON samples, YAML definitions, images) are read only when a page
# includes them.
DOC_SUFFIXES = (".rst", ".rest", ".inc", ".md", ".markdown", ".mdx", ".txt", ".text")
VERSION_SCHEMES = ("semver", "serial")  # generator/versions.py


class ConfigError(Exception):
    """Unusable configuration; the message is one diagnostic per line."""


@dataclass(frozen=True)
class Setting:
    """One key of the configuration: what its value must be, and what it does."""

    kind: str  # "string", "table" or "list of strings": said in errors
    check: Callable[[object], bool]
    help: str


def _is_string(value: object) -> bool:
    return isinstance(value, str)


def _is_strings(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v for v in value)


def _is_table(value: object) -> bool:
    return isinstance(value, dict)


SETTINGS = {  # [tool.docs2client]
    "specs": Setting("string", _is_string, "folder of the specs, `specs/<provider>.yaml` (default `specs`)"),
    "generated": Setting(
        "string", _is_string, "folder of the generated packages, `generated/<provider>/` (default `generated`)"
    ),
    "providers": Setting("table", _is_table, "one table per provider, named after it"),
    "version_scheme": Setting(
        "string: " + " or ".join(VERSION_SCHEMES),
        lambda v: v in VERSION_SCHEMES,
        "how package versions grow at each change, for every provider: `semver` (default) or `serial`",
    ),
}
PROVIDER_SETTINGS = {  # [tool.docs2client.providers.<name>]
    "docs": Setting(
        "non-empty list of strings", _is_strings, "required: documentation files or folders, relative to pyproject.toml"
    ),
    "title": Setting("string", _is_string, "API title for the spec (default: the provider name)"),
    "base_url": Setting("string", _is_string, "server URL, where the docs give none"),
    "version": Setting("string", _is_string, "a fixed package version, never bumped (default: by `version_scheme`)"),
    "version_scheme": Setting(
        "string: " + " or ".join(VERSION_SCHEMES),
        lambda v: v in VERSION_SCHEMES,
        "how this package's version grows at each change: `semver` (default) or `serial` (generator/versions.py)",
    ),
}
REQUIRED = {"docs"}


@dataclass
class ProviderConfig:
    name: str
    docs: list[Path]
    title: str = ""
    base_url: str = ""
    version: str = ""
    version_scheme: str = "semver"


@dataclass
class Config:
    root: Path
    specs_dir: Path
    generated_dir: Path
    providers: list[ProviderConfig] = field(default_factory=list)

    def provider(self, name: str) -> ProviderConfig:
        for provider in self.providers:
            if provider.name == name:
                return provider
        raise ConfigError(f"no provider named {name!r} in [tool.docs2client.providers]")


def check_provider_name(name: str) -> str:
    """Provider names become file and package names: keep them to [a-z0-9_]."""
    if not PROVIDER_NAME.match(name):
        raise ConfigError(
            f"provider name {name!r} must match {PROVIDER_NAME.pattern} "
            "(it names specs/<provider>.yaml and generated/<provider>/)"
        )
    return name


def expand_docs(paths: list[Path]) -> list[Path]:
    """Files as given; folders → their documentation files, sorted, recursively."""
    found: list[Path] = []
    for path in paths:
        found.extend(folder_pages(path) if path.is_dir() else [path])
    return found


def folder_pages(folder: Path) -> list[Path]:
    """The documentation files in ``folder`` and below, sorted."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in DOC_SUFFIXES)


def find_pyproject(start: Path) -> Path:
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    raise ConfigError(f"{start}: error: no pyproject.toml here or in a parent folder")


def load_config(pyproject: Path) -> Config:
    shown = _shown(pyproject)
    try:
        text = pyproject.read_text("utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{shown}: error: cannot read configuration: {exc}") from None
    section = data.get("tool", {}).get("docs2client")
    if not isinstance(section, dict):
        raise ConfigError(f"{shown}: error: no [tool.docs2client] section")
    problems = _problems(section, text)
    if problems:
        raise ConfigError("\n".join(f"{shown}{f':{line}' if line else ''}: error: {message}" for line, message in problems))
    root = pyproject.parent
    config = Config(
        root=root,
        specs_dir=root / str(section.get("specs", "specs")),
        generated_dir=root / str(section.get("generated", "generated")),
    )
    providers = section.get("providers", {})
    for name in sorted(providers):
        entry = providers[name]
        config.providers.append(
            ProviderConfig(
                name=name,
                docs=[root / d for d in entry["docs"]],
                title=entry.get("title", ""),
                base_url=entry.get("base_url", ""),
                version=entry.get("version", ""),
                version_scheme=entry.get("version_scheme", section.get("version_scheme", "semver")),
            )
        )
    return config


def _problems(section: dict[str, object], text: str) -> list[tuple[int, str]]:
    """What is wrong with ``[tool.docs2client]``: (line or 0, message), in order."""
    problems = _table_problems(section, SETTINGS, "tool.docs2client", text)
    providers = section.get("providers", {})
    if not isinstance(providers, dict):
        return problems
    for name, entry in providers.items():
        table = f"tool.docs2client.providers.{name}"
        if not PROVIDER_NAME.match(name):
            message = f"provider name {name!r} must match {PROVIDER_NAME.pattern} (it names specs/<provider>.yaml)"
            problems.append((_line_of(text, table), message))
            continue
        if not isinstance(entry, dict):
            problems.append((_line_of(text, "tool.docs2client.providers", name), f"[{table}] must be a table"))
            continue
        problems += _table_problems(entry, PROVIDER_SETTINGS, table, text)
        for key in sorted(REQUIRED - set(entry)):
            setting = PROVIDER_SETTINGS[key]
            problems.append((_line_of(text, table), f"[{table}] needs {key} = [\"path\", ...]: {setting.help}"))
    return problems


def _table_problems(
    table: dict[str, object], settings: dict[str, Setting], name: str, text: str
) -> list[tuple[int, str]]:
    problems = []
    for key, value in table.items():
        setting = settings.get(key)
        line = _line_of(text, name, key)
        if setting is None:
            close = difflib.get_close_matches(key, settings, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(sorted(settings))}"
            problems.append((line, f"unknown key {key!r} in [{name}]; {hint}"))
        elif not setting.check(value):
            problems.append((line, f"{key} in [{name}] must be a {setting.kind}, not {_described(value)}"))
    return problems


def _described(value: object) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list", dict: "a table"}
    kind = names.get(type(value), type(value).__name__)
    if isinstance(value, list) and not value:
        return "an empty list"
    if isinstance(value, list):
        return "a list holding " + ", ".join(sorted({names.get(type(v), type(v).__name__) for v in value}))
    return f"{kind} ({value!r})" if isinstance(value, (bool, int, float, str)) else kind


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")


def _line_of(text: str, table: str, key: str | None = None) -> int:
    """The line of ``key`` in ``[table]`` (of the table's header when ``key`` is
    None or not found there); 0 when the text does not spell it plainly."""
    current, header = "", 0
    pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*=") if key else None
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADER.match(line)
        if match:
            current = re.sub(r"\s*\.\s*", ".", match.group(1)).replace('"', "").replace("'", "")
            if current == table:
                header = number
            continue
        if current == table and pattern is not None and pattern.match(line):
            return number
    return header


def _shown(path: Path) -> str:
    """A path as diagnostics show it: relative to the working folder when inside it."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except (ValueError, OSError):
        return os.fspath(path)
