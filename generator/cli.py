"""``docs2client`` command line: parse arguments, call the pipeline, print
diagnostics (``path:line: level: message`` on stderr), choose the exit code.

Exit codes: 0 ok; 1 problems found in the docs (errors); 2 bad usage or unreadable input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Sequence

from generator.config import ConfigError, check_provider_name, find_pyproject, load_config
from generator.document import Diagnostic
from generator.pipeline import Extraction, extract
from generator.spec import SpecError, dump_yaml, load_yaml

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
    extraction = extract(args.provider, files, root=Path.cwd(), title=args.title or "", base_url=args.base_url or "")
    _print_diagnostics(extraction.diagnostics, args.quiet)
    _write_output(dump_yaml(extraction.spec), args.output)
    return _exit_code(extraction)


def _load_spec(path: str) -> object:
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: error: cannot read spec: {exc}") from None
    return load_yaml(text, path)


def cmd_openapi(args: argparse.Namespace) -> int:
    from generator.openapi import dump_openapi

    spec = _load_spec(args.spec)
    _write_output(dump_openapi(spec), args.output)  # type: ignore[arg-type]
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from generator.build import build_all

    config = load_config(find_pyproject(Path.cwd()))
    result = build_all(config, providers=args.provider or None, quiet=args.quiet)
    _print_diagnostics(result.diagnostics, args.quiet)
    for line in result.summary:
        if not args.quiet:
            print(line)
    return result.exit_code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="docs2client", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"docs2client {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("extract", help="extract a spec from documentation pages")
    p.add_argument("--provider", required=True, help="provider name ([a-z][a-z0-9_]*)")
    p.add_argument("docs", nargs="+", help="documentation files or folders (.rst, .md, .txt)")
    p.add_argument("-o", "--output", help="write the spec here instead of stdout")
    p.add_argument("--title", help="API title for the spec")
    p.add_argument("--base-url", help="base URL where the docs give none")
    p.add_argument("-q", "--quiet", action="store_true", help="print warnings and errors only")
    p.set_defaults(func=cmd_extract)

    p = commands.add_parser("openapi", help="export a spec as OpenAPI 3.1 JSON")
    p.add_argument("spec", help="specs/<provider>.yaml")
    p.add_argument("-o", "--output", help="write here instead of stdout")
    p.set_defaults(func=cmd_openapi)

    p = commands.add_parser("build", help="every configured provider: docs → specs/ → generated/")
    p.add_argument("--provider", action="append", help="only this provider (repeatable)")
    p.add_argument("-q", "--quiet", action="store_true", help="print warnings and errors only")
    p.set_defaults(func=cmd_build)
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
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
