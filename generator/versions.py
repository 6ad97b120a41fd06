"""Versions of generated packages: they increase with every change of what the
package holds, so ``pip install -U`` always takes the newer client and package
indexes accept them (no ``+local`` part).

A build starts from the version in the committed ``generated/<provider>/pyproject.toml``
and bumps it when the package changes, by the scheme the provider's configuration
names (``version_scheme``):

* ``semver`` (default): ``MAJOR.MINOR.PATCH``, starting at ``0.1.0``.  A breaking
  change (``docs2client diff`` says which are: a method or parameter removed,
  moved or made required, a response field removed...) bumps MAJOR, or MINOR while
  MAJOR is 0; an addition (a method, an optional parameter, a field) bumps MINOR, or
  PATCH while MAJOR is 0; any other change (descriptions, examples, a newer
  docs2client generating different code) bumps PATCH.
* ``serial``: ``1``, ``2``, ``3``... one more at every change.

A configured ``version = "..."`` is used as it is, and never bumped.  A version
the scheme cannot read (such as the ``0+<hash>`` of earlier docs2client releases)
restarts at the scheme's first version, which PEP 440 orders after it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

from generator.diff import Change

SCHEMES = ("semver", "serial")
FIRST = {"semver": "0.1.0", "serial": "1"}
_SEMVER = re.compile(r"(\d+)\.(\d+)\.(\d+)")


def committed_version(package_dir: Path) -> str | None:
    """The version in a generated package's pyproject.toml, if it has one."""
    try:
        data = tomllib.loads((package_dir / "pyproject.toml").read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    version = data.get("project", {}).get("version")
    return version if isinstance(version, str) else None


def readable(version: str, scheme: str) -> bool:
    """Whether ``scheme`` can bump ``version``."""
    return version.isdigit() if scheme == "serial" else bool(_SEMVER.fullmatch(version))


def next_version(previous: str | None, scheme: str, changes: Iterable[Change]) -> str:
    """The version after ``previous`` for a package that changed by ``changes``
    (none: the code changed, not the spec)."""
    changes = list(changes)
    if scheme == "serial":
        return str(int(previous) + 1) if previous and previous.isdigit() else FIRST[scheme]
    match = _SEMVER.fullmatch(previous or "")
    if match is None:
        return FIRST["semver"]
    major, minor, patch = (int(g) for g in match.groups())
    if any(c.breaking for c in changes):
        return f"0.{minor + 1}.0" if major == 0 else f"{major + 1}.0.0"
    if any(c.kind.endswith("-added") for c in changes):
        return f"0.{minor}.{patch + 1}" if major == 0 else f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"
