"""``[tool.docs2client]`` in pyproject.toml → typed configuration.

```toml
[tool.docs2client]
specs = "specs"            # where specs/<provider>.yaml are written
generated = "generated"    # where generated/<provider>/ packages are written

[tool.docs2client.providers.cielo24]
title = "cielo24 API"
docs = ["seeds/cielo24/2015-09-08/job_info.rst"]   # files or folders (*.rst, *.md, *.txt)
base_url = "https://api.cielo24.com"               # optional: where the docs are silent
version = "1.2.0"                                  # optional: package version
```
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

PROVIDER_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# What a folder of docs is made of: pages in these suffixes (``.inc`` is how Sphinx
# projects such as os-api-ref name included RST fragments, ``.mdx`` Markdown with JSX).
# Other files (JSON samples, YAML definitions, images) are read only when a page
# includes them.
DOC_SUFFIXES = (".rst", ".rest", ".inc", ".md", ".markdown", ".mdx", ".txt", ".text")


class ConfigError(Exception):
    """Unusable configuration; the message is a one-line diagnostic."""


@dataclass
class ProviderConfig:
    name: str
    docs: list[Path]
    title: str = ""
    base_url: str = ""
    version: str = ""


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
    try:
        data = tomllib.loads(pyproject.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{pyproject}: error: cannot read configuration: {exc}") from None
    section = data.get("tool", {}).get("docs2client")
    if not isinstance(section, dict):
        raise ConfigError(f"{pyproject}: error: no [tool.docs2client] section")
    root = pyproject.parent
    config = Config(
        root=root,
        specs_dir=root / str(section.get("specs", "specs")),
        generated_dir=root / str(section.get("generated", "generated")),
    )
    providers = section.get("providers", {})
    if not isinstance(providers, dict):
        raise ConfigError(f"{pyproject}: error: [tool.docs2client.providers] must be a table")
    for name in sorted(providers):
        entry = providers[name]
        try:
            check_provider_name(name)
        except ConfigError as exc:
            raise ConfigError(f"{pyproject}: error: {exc}") from None
        docs = entry.get("docs") if isinstance(entry, dict) else None
        if not isinstance(docs, list) or not all(isinstance(d, str) for d in docs) or not docs:
            raise ConfigError(f"{pyproject}: error: provider {name!r} needs docs = [\"path\", ...]")
        config.providers.append(
            ProviderConfig(
                name=name,
                docs=[root / d for d in docs],
                title=str(entry.get("title", "")),
                base_url=str(entry.get("base_url", "")),
                version=str(entry.get("version", "")),
            )
        )
    return config
