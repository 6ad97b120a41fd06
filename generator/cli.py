"""``docs2client`` command line: parse arguments, call the pipeline, print
diagnostics (``path:line: level: message`` on stderr), choose the exit code.

Exit codes: 0 ok; 1 problems found in the docs (errors); 2 bad usage or unreadable input.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator.config import (
    ConfigError,
    check_provider_name,
    find_pyproject,
    load_config,
)
from generator.document import Diagnostic
from generator.pipeline import Extraction, extract
from generator.spec import Spec, SpecError, load_yaml
from generator.spec_yaml import yaml_parts

if TYPE_CHECKING:
    from generator.build import Result
    from generator.config import Config

EXIT_OK, EXIT_DOC_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _print_diagnostics(diagnostics: Sequence[Diagnostic], quiet: bool = False) -> None:
    for diagnostic in diagnostics:
        if quiet and diagnostic.level == "note":
            continue
        print(diagnostic, file=sys.stderr)


def _write_output(text: str, output: str | None) -> None:
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    from generator.files import write_atomic

    write_atomic(Path(output), text)


def _exit_code(extraction: Extraction) -> int:
    if extraction.unreadable:
        return EXIT_USAGE
    return EXIT_DOC_ERRORS if extraction.errors else EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    try:
        check_provider_name(args.provider)
    except ConfigError as exc:
        raise UsageError(f"docs2client: error: {exc}") from None
    files = [Path(d) for d in args.docs]
    extraction = extract(
        args.provider,
        files,
        root=Path.cwd(),
        title=args.title or "",
        base_url=args.base_url or "",
    )
    _print_diagnostics(extraction.diagnostics, args.quiet)
    if extraction.unreadable and not args.allow_partial:
        where = args.output if args.output not in (None, "-") else "docs2client"
        print(
            f"{where}: note: no spec written, as some input could not be read; "
            "--allow-partial writes what the other pages give",
            file=sys.stderr,
        )
        return EXIT_USAGE
    parts = yaml_parts(extraction.spec)  # a large spec is never whole in memory as text
    if args.output is None or args.output == "-":
        sys.stdout.writelines(parts)
    else:
        from generator.files import write_atomic_parts

        write_atomic_parts(Path(args.output), parts)
    return _exit_code(extraction)


def _load_spec(path: str) -> Spec:
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: error: cannot read spec: {exc}") from None
    return load_yaml(text, path)


def cmd_openapi(args: argparse.Namespace) -> int:
    from generator.openapi import dump_openapi

    spec = _load_spec(args.spec)
    _write_output(dump_openapi(spec), args.output)
    return EXIT_OK


class Progress:
    """``provider: phase`` on one rewritten stderr line, for runs past a second, on a
    terminal only (never in CI logs or with ``--quiet``)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, message: str) -> None:
        if self.enabled and time.monotonic() - self.start > 1.0:
            sys.stderr.write(f"\r\033[K{message}…")
            sys.stderr.flush()
            self.shown = True

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _report(
    result: Result, config: Config, args: argparse.Namespace, errors_only: bool
) -> None:
    from generator.build import to_json

    if args.json:
        sys.stdout.write(to_json(result, config))
        return
    shown = (
        [d for d in result.diagnostics if d.level == "error"]
        if errors_only
        else result.diagnostics
    )
    _print_diagnostics(shown, args.quiet)
    if result.summary and (result.exit_code or not args.quiet):
        print("\n".join(result.summary))


def cmd_build(args: argparse.Namespace) -> int:
    from generator.build import build_all

    config = load_config(find_pyproject(Path.cwd()))
    progress = Progress(not args.quiet)
    try:
        result = build_all(
            config,
            providers=args.provider or None,
            strict=args.strict,
            progress=progress,
            allow_partial=args.allow_partial,
        )
    finally:
        progress.done()
    _report(result, config, args, errors_only=False)
    return result.exit_code


def cmd_check(args: argparse.Namespace) -> int:
    from generator.build import check_all

    config = load_config(find_pyproject(Path.cwd()))
    progress = Progress(not args.quiet)
    try:
        result = check_all(
            config,
            providers=args.provider or None,
            diff=args.diff,
            strict=args.strict,
            progress=progress,
            allow_partial=args.allow_partial,
        )
    finally:
        progress.done()
    _report(result, config, args, errors_only=True)
    return result.exit_code


def cmd_package(args: argparse.Namespace) -> int:
    from generator.package import package_provider

    config = load_config(find_pyproject(Path.cwd()))
    names = args.provider or [p.name for p in config.providers]
    code = EXIT_OK
    for name in names:
        config.provider(name)
        built, problems = package_provider(
            config.generated_dir / name, Path(args.output), f"generated/{name}"
        )
        _print_diagnostics(problems)
        if built is None:
            code = EXIT_USAGE
            continue
        for file in built.files:
            print(f"{name}: {file}")
    return code


def _diff_side(source: str, provider: str | None) -> Spec:
    """A spec from a spec file, from docs (extracted now), or from git (``git:REV``)."""
    if source.startswith("git:"):
        if not provider:
            raise UsageError("docs2client: error: git:REV needs --provider NAME")
        config = load_config(find_pyproject(Path.cwd()))
        spec_path = (config.specs_dir / f"{provider}.yaml").relative_to(config.root)
        revision = source[4:] or "HEAD"
        shown = f"{revision}:{spec_path.as_posix()}"
        completed = subprocess.run(
            ["git", "show", shown], cwd=config.root, capture_output=True, check=False
        )
        if completed.returncode != 0:
            message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
            raise UsageError(
                f"{shown}: error: {message[0] if message else 'git show failed'}"
            )
        return load_yaml(completed.stdout.decode("utf-8", "replace"), shown)
    path = Path(source)
    if path.is_file() and path.suffix in (".yaml", ".yml"):
        return _load_spec(source)
    if not path.exists():
        raise UsageError(f"{source}: error: no such spec, doc file or folder")
    extraction = extract(provider or "api", [path], root=Path.cwd())
    _print_diagnostics([d for d in extraction.diagnostics if d.level != "note"])
    if extraction.unreadable:
        raise UsageError(f"{source}: error: documents could not be read")
    return extraction.spec


def cmd_diff(args: argparse.Namespace) -> int:
    from generator.diff import diff_specs, has_breaking, render_text, to_json

    changes = diff_specs(
        _diff_side(args.old, args.provider), _diff_side(args.new, args.provider)
    )
    sys.stdout.write(
        to_json(changes) if args.format == "json" else render_text(changes)
    )
    if args.fail_on == "breaking" and has_breaking(changes):
        return EXIT_DOC_ERRORS
    if args.fail_on == "any" and changes:
        return EXIT_DOC_ERRORS
    return EXIT_OK


_NOTHING_WRITTEN = {  # what Ctrl-C keeps, per command (build says it itself)
    "extract": "nothing written (an output file is replaced whole or not at all)",
    "openapi": "nothing written (an output file is replaced whole or not at all)",
    "check": "nothing written (check never writes)",
    "diff": "nothing written (diff never writes)",
    "package": "the packages already in the output folder are whole; nothing else written",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="docs2client", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--version", action="version", version=f"docs2client {_version()}"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("extract", help="extract a spec from documentation pages")
    p.add_argument("--provider", required=True, help="provider name ([a-z][a-z0-9_]*)")
    p.add_argument(
        "docs", nargs="+", help="documentation files or folders (.rst, .md, .txt)"
    )
    p.add_argument("-o", "--output", help="write the spec here instead of stdout")
    p.add_argument("--title", help="API title for the spec")
    p.add_argument("--base-url", help="base URL where the docs give none")
    p.add_argument(
        "--allow-partial",
        action="store_true",
        help="write the spec even when some input could not be read",
    )
    p.add_argument(
        "-q", "--quiet", action="store_true", help="print warnings and errors only"
    )
    p.set_defaults(func=cmd_extract)

    p = commands.add_parser("openapi", help="export a spec as OpenAPI 3.1 JSON")
    p.add_argument("spec", help="specs/<provider>.yaml")
    p.add_argument("-o", "--output", help="write here instead of stdout")
    p.set_defaults(func=cmd_openapi)

    for name, handler, summary, quiet in (
        ("build", cmd_build, "every configured provider: docs → specs/ → generated/",
         "print warnings and errors only"),
        ("check", cmd_check, "exit 1 when specs/ or generated/ differ from what build would write",
         "print nothing when up to date"),
    ):  # fmt: skip
        p = commands.add_parser(name, help=summary)
        p.add_argument(
            "--provider", action="append", help="only this provider (repeatable)"
        )
        p.add_argument("-q", "--quiet", action="store_true", help=quiet)
        p.add_argument(
            "--strict",
            action="store_true",
            help="an override that matches nothing is an error",
        )
        p.add_argument(
            "--json", action="store_true", help="print a JSON summary on stdout"
        )
        p.add_argument(
            "--allow-partial",
            action="store_true",
            help="a provider with unreadable or empty pages is built from the other pages"
            " (default: its spec and package stay as they are)",
        )
        if name == "check":
            p.add_argument(
                "--diff",
                action="store_true",
                help="print a unified diff of each stale file",
            )
        p.set_defaults(func=handler)

    p = commands.add_parser(
        "diff", help="semantic diff of two specs, doc versions or git revisions"
    )
    p.add_argument(
        "old", help="SPEC.yaml, doc file/folder, or git:REV (the committed spec)"
    )
    p.add_argument("new", help="SPEC.yaml, doc file/folder, or git:REV")
    p.add_argument(
        "--provider", help="provider name (needed with git:REV; names extracted docs)"
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--json",
        action="store_const",
        const="json",
        dest="format",
        help="same as --format json",
    )
    p.add_argument(
        "--fail-on",
        choices=("breaking", "any", "never"),
        default="never",
        help="exit 1 when the diff has breaking changes (or any change)",
    )
    p.set_defaults(func=cmd_diff)

    p = commands.add_parser(
        "package", help="wheel + sdist of generated client packages"
    )
    p.add_argument(
        "--provider", action="append", help="only this provider (repeatable)"
    )
    p.add_argument(
        "-o", "--output", default="dist", help="output folder (default: dist/)"
    )
    p.set_defaults(func=cmd_package)
    return parser


def _version() -> str:
    from generator import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.func
    try:
        return handler(args)
    except (UsageError, ConfigError, SpecError) as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a full disk, a read-only folder: one line, no traceback
        where = exc.filename if exc.filename is not None else "docs2client"
        print(f"{where}: error: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:  # one line saying what was kept, no traceback
        from generator.build import Interrupted

        print(
            exc if isinstance(exc, Interrupted) else f"docs2client: interrupted: {_NOTHING_WRITTEN.get(args.command, 'nothing written')}",
            file=sys.stderr,
        )
        return 130


if __name__ == "__main__":
    sys.exit(main())
