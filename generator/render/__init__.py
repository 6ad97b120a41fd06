"""Spec → render context → Jinja → black → ``{relative path: file text}``.

``render_provider`` is pure: same spec, same bytes (every collection is sorted
before rendering, Jinja runs with ``StrictUndefined``, black runs in-process with
one fixed ``Mode``).  ``write_tree`` (``generator.render.tree``) puts the files
under ``generated/<provider>/``.

One concern per module: ``types`` (schemas → classes), ``operations`` (endpoints →
methods), ``context`` (the whole package's render context), ``cases`` (the generated
tests' expectations), ``templates`` (Jinja), ``tree`` (writing).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from generator import escaping
from generator.cache import Cache
from generator.document import Diagnostic
from generator.files import MANIFEST
from generator.formatting import FormatError, Formatter
from generator.render.cases import build_suite, build_tables, table_text
from generator.render.context import (
    Package,
    RenderError,
    build_package,
    generated_header,
)
from generator.render.readme import build_readme
from generator.render.templates import environment
from generator.render.tree import write_tree
from generator.spec import Spec

__all__ = [
    "MANIFEST",
    "Formatter",
    "RenderError",
    "Rendered",
    "render_diagnostics",
    "render_provider",
    "write_tree",
]


def format_files(fmt: Formatter, texts: dict[str, str]) -> dict[str, str]:
    try:
        return fmt.format_all(texts)
    except FormatError as exc:  # a generator bug: never write code black cannot parse
        where = next((p for p, t in texts.items() if _invalid(t)), "a file")
        raise RenderError(f"generated {where} is not valid Python: {exc}") from None


def _invalid(text: str) -> bool:
    import black
    from black.parsing import InvalidInput

    from generator.formatting import BLACK_MODE

    try:
        black.format_str(text, mode=BLACK_MODE)
    except InvalidInput:
        return True
    return False


def _with_header(path: str, header: str, text: str) -> str:
    if path.endswith(".md"):
        return f"{escaping.html_comment(header)}\n{text}"
    return f"{escaping.comment(header)}\n{text}"


def render_package(pkg: Package, fmt: Formatter | None = None) -> dict[str, str]:
    """Render every template, then black-format the Python files in one batch (the
    header is a comment black leaves alone, so it is added afterwards).  The tests'
    tables are JSON and carry the header as their first field."""
    fmt = fmt or Formatter()
    env = environment(fmt)
    package = pkg.package
    header = generated_header(pkg.spec_path)
    raw: dict[str, str] = {}

    def render(template: str, path: str, **context: object) -> None:
        raw[path] = env.get_template(template).render(**context)

    render("pyproject.toml.jinja", "pyproject.toml", pkg=pkg)
    render("README.md.jinja", "README.md", readme=build_readme(pkg))
    render("py.typed.jinja", f"{package}/py.typed", pkg=pkg)
    for module in ("__init__", "_runtime", "_client", "models"):
        render(f"{module}.py.jinja", f"{package}/{module}.py", pkg=pkg)
    render("resources_init.py.jinja", f"{package}/resources/__init__.py", pkg=pkg)
    for res in pkg.resources:
        render("resource.py.jinja", f"{package}/resources/{res.name}.py", pkg=pkg, res=res)
    # The tests are a package named after the provider: pytest (default import mode)
    # puts generated/<provider> on sys.path for it, so the client imports uninstalled,
    # and test modules of different providers never clash.
    tests = f"{pkg.provider}_tests"
    tables = build_tables(pkg)
    render("tests_init.py.jinja", f"{tests}/__init__.py", pkg=pkg)
    render("test_endpoints.py.jinja", f"{tests}/test_endpoints.py", pkg=pkg, suite=build_suite(pkg, tables))
    formatted = format_files(fmt, {p: t for p, t in raw.items() if p.endswith(".py")})
    out = {path: _with_header(path, header, formatted.get(path, text)) for path, text in raw.items()}
    for res in pkg.resources:
        out[f"{tests}/cases/{res.name}.json"] = table_text(header, res, tables[res.name])
    return {path: out[path] for path in sorted(out)}


def render_provider(
    spec: Spec, spec_path: str, version: str = "", cache: Cache | None = None
) -> dict[str, str]:
    """Every file of ``generated/<provider>/``: relative POSIX path → final text.
    ``version`` is the package version (default: derived from the spec's content);
    ``cache`` keeps black's output by content, so unchanged files are not reformatted.
    """
    return render_with_diagnostics(spec, spec_path, version, cache).files


class Rendered(NamedTuple):
    files: dict[str, str]
    diagnostics: list[Diagnostic]
    sources: dict[str, str]  # path → digest of its unformatted render (the manifest records it)


def render_with_diagnostics(
    spec: Spec,
    spec_path: str,
    version: str = "",
    cache: Cache | None = None,
    workers: int | None = None,
    known: Mapping[str, str] | None = None,
) -> Rendered:
    """``render_provider`` and ``render_diagnostics`` from one render context;
    ``workers`` as in ``Formatter`` (default: one per core); ``known`` (source digest
    → formatted text, from a committed tree) stands in for black where it matches."""
    pkg = build_package(spec, spec_path, version)
    fmt = Formatter(cache, workers, known)
    files = render_package(pkg, fmt)
    return Rendered(files, render_diagnostics(spec, spec_path, pkg), dict(fmt.sources))


def render_diagnostics(
    spec: Spec, spec_path: str, pkg: Package | None = None
) -> list[Diagnostic]:
    """Warnings about names the generator had to change (collisions, reserved words)."""
    pkg = pkg or build_package(spec, spec_path)
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
