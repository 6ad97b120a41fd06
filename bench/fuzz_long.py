"""The long fuzz run over the readers and the extractor, on demand.

    .venv/bin/python bench/fuzz_long.py                      # 2000 examples per property, random seed
    .venv/bin/python bench/fuzz_long.py --examples 10000 --seed 7
    .venv/bin/python bench/fuzz_long.py --atheris 600        # + 10 min coverage-guided (pip install atheris)

Mode 1 (always): tests/test_fuzz_readers.py and tests/test_hostile_docs.py under
``DOCS2CLIENT_FUZZ_EXAMPLES=N``: every hypothesis property draws N fresh random
examples instead of CI's small derandomized share, every real page (seeds and the
shared corpus, whatever its size) is read whole in every format, and the
pathological shapes are four times larger.  Same invariants as CI: no exception,
diagnostics only, a per-input time budget, specs that validate and round-trip.

Mode 2 (``--atheris SECONDS``, optional): libFuzzer-driven, coverage-guided mutation
of the real pages through ``parse_text`` → ``extract_provider`` → the spec checks,
with the readers and the extractor instrumented.  Crashes and hangs (libFuzzer's
``-timeout``) are written to ``--artifacts`` as reproducer files.

Prints what it ran, how long it took, and where to find any failing input.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TESTS = ["tests/test_fuzz_readers.py", "tests/test_hostile_docs.py"]


def run_hypothesis(examples: int, seed: int | None, budget: float, select: str) -> int:
    env = dict(os.environ, DOCS2CLIENT_FUZZ_EXAMPLES=str(examples), DOCS2CLIENT_FUZZ_BUDGET=str(budget))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--hypothesis-show-statistics",
               "--durations=10", *TESTS]
    if seed is not None:
        command.append(f"--hypothesis-seed={seed}")
    if select:
        command += ["-k", select]
    print(f"== hypothesis: {examples} examples per property, seed {seed if seed is not None else 'random'}, "
          f"{budget:g}s budget per input", flush=True)
    print("   " + " ".join(command[1:]), flush=True)
    started = time.monotonic()
    code = subprocess.call(command, cwd=REPO, env=env)
    print(f"== hypothesis: exit {code} after {time.monotonic() - started:.0f}s", flush=True)
    return code


def run_atheris(seconds: int, artifacts: Path, timeout: int) -> int:
    try:
        import atheris  # noqa: F401
    except ImportError:
        print("== atheris: not installed (.venv/bin/pip install atheris); skipped", flush=True)
        return 0
    artifacts.mkdir(parents=True, exist_ok=True)
    print(f"== atheris: {seconds}s coverage-guided, {timeout}s per input, reproducers in {artifacts}", flush=True)
    started = time.monotonic()
    code = subprocess.call(
        [sys.executable, __file__, "--atheris-worker", str(seconds), "--artifacts", str(artifacts), "--timeout", str(timeout)],
        cwd=REPO, env=dict(os.environ, DOCS2CLIENT_FUZZ_BUDGET="0"),  # libFuzzer owns SIGALRM
    )
    print(f"== atheris: exit {code} after {time.monotonic() - started:.0f}s", flush=True)
    return code


def atheris_worker(seconds: int, artifacts: Path, timeout: int) -> None:
    import atheris

    sys.path[:0] = [str(REPO), str(REPO / "tests")]
    artifacts.mkdir(parents=True, exist_ok=True)
    with atheris.instrument_imports(include=["generator.readers", "generator.extract"]):
        import generator.extract
        import generator.readers.markdown
        import generator.readers.rst
        import generator.readers.text  # noqa: F401
    from fuzzing import FORMATS, extract_page, seed_pages

    corpus = Path(tempfile.mkdtemp(prefix="docs2client-atheris-"))
    for index, (name, text) in enumerate(seed_pages()):
        (corpus / f"{index:03d}{Path(name).suffix}").write_bytes(bytes([index % len(FORMATS)]) + text.encode("utf-8"))
    print(f"   corpus: {len(list(corpus.iterdir()))} real pages in {corpus}", flush=True)

    def one_input(data: bytes) -> None:
        if not data:
            return
        fmt = FORMATS[data[0] % len(FORMATS)]
        text = data[1:].decode("utf-8", "replace")
        extract_page(text, "fuzzed" + {"rst": ".rst", "markdown": ".md", "text": ".txt"}.get(fmt or "", ""), fmt)

    atheris.Setup(
        [sys.argv[0], f"-max_total_time={seconds}", f"-timeout={timeout}", "-max_len=200000", "-rss_limit_mb=4096",
         f"-artifact_prefix={artifacts}/", "-print_final_stats=1", str(corpus)],
        one_input,
    )
    atheris.Fuzz()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=2000, help="hypothesis examples per property (CI: ~100)")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (default: random; printed on failure)")
    parser.add_argument("--budget", type=float, default=5.0, help="wall-clock seconds per input")
    parser.add_argument("-k", dest="select", default="", help="pytest -k expression: only these tests")
    parser.add_argument("--atheris", type=int, default=0, metavar="SECONDS", help="also run atheris this long")
    parser.add_argument("--artifacts", type=Path, default=Path(tempfile.gettempdir()) / "docs2client-fuzz-artifacts")
    parser.add_argument("--timeout", type=int, default=10, help="atheris: seconds per input before it is a hang")
    parser.add_argument("--atheris-worker", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.atheris_worker:
        atheris_worker(args.atheris_worker, args.artifacts, args.timeout)
        return 0
    code = run_hypothesis(args.examples, args.seed, args.budget, args.select)
    if args.atheris:
        code = code or run_atheris(args.atheris, args.artifacts, args.timeout)
    return code


if __name__ == "__main__":
    sys.exit(main())
