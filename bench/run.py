"""docs2client benchmark: docs → spec → formatted clients, against openapi-python-client.

Run on demand (never part of the test suite):

    .venv/bin/python bench/run.py --sizes 100,1000            # full comparison
    .venv/bin/python bench/run.py --sizes 100 --skip-peer     # quick look
    .venv/bin/python bench/run.py --sizes 100,1000 --extract-only 5000 --profile 1000

Every measurement runs in its own subprocess (this file with ``--worker``), so peak
memory (``ru_maxrss`` from ``wait4``) never mixes between measurements and every
figure pays its own imports where a user would.  Wall and CPU seconds are both
printed: on a shared machine wall time is contended, CPU time much less so.  The
peer is measured in the same run, on docs2client's own OpenAPI export of the same
corpus, so ratios compare like with like.  See bench/README.md for each figure.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import corpus as synthetic

RESULT = "BENCH-RESULT "

# Every measured process (ours and the peer's) runs as Python runs by default, keeping
# compiled modules in __pycache__: an environment with PYTHONDONTWRITEBYTECODE set
# made each docs2client run recompile its own modules (about 0.1 s), while the peer,
# installed by pip, came compiled.  The report's header says so.
BYTECODE_WAS_OFF = os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None
TARGET_N = 1000
PROVIDER_TITLE = "Synthetic {} API"

# docutils settings the RST reader uses (generator/readers/rst.py), for the bare parse.
DOCUTILS_SETTINGS = {
    "report_level": 5,
    "halt_level": 5,
    "traceback": False,
    "file_insertion_enabled": False,
    "raw_enabled": True,
    "_disable_config": True,
    "syntax_highlight": "none",
    "doctitle_xform": False,
    "sectsubtitle_xform": False,
    "docinfo_xform": False,
    "smart_quotes": False,
    "line_length_limit": 100_000,
}


# ================================================================ measuring a subprocess


@dataclass
class Run:
    wall: float
    cpu: float  # user + sys of the process and everything it waited for
    rss_mib: float  # peak resident set of the largest process in the tree
    code: int
    out: str
    err: str
    data: dict = field(default_factory=dict)  # a worker's BENCH-RESULT

    @property
    def ok(self) -> bool:
        return self.code == 0


def measured(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 7200) -> Run:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.005)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    data: dict = {}
    for line in stdout.splitlines():
        if line.startswith(RESULT):
            data = json.loads(line[len(RESULT) :])
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode, stdout, stderr, data)


def best(runs: list[Run]) -> Run:
    """The fastest of repeated runs (noise on a shared machine only ever adds time)."""
    good = [r for r in runs if r.ok] or runs
    return min(good, key=lambda r: r.wall)


def worker(kind: str, root: Path, *extra: str, timeout: float = 7200) -> Run:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, "--corpus", str(root), *extra]
    run = measured(cmd, cwd=REPO, timeout=timeout)
    if not run.ok:
        print(
            f"  ! worker {kind} failed ({run.code}): {run.err.strip().splitlines()[-1:] or run.out[-300:]}",
            file=sys.stderr,
        )
    return run


def tool(name: str) -> str:
    """A console script of this interpreter's environment."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else shutil.which(name) or name


# ================================================================ workers (run in subprocesses)


def _providers(root: Path) -> synthetic.Corpus:
    return synthetic.Corpus.load(root)


def _rusage_children_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def pipeline_has_workers() -> bool:
    """Whether ``pipeline.read_documents`` has its own process pool (``workers=``)."""
    import inspect

    from generator.pipeline import read_documents

    return "workers" in inspect.signature(read_documents).parameters


def _read(files: list[Path], root: Path, workers: int = 1):
    """``pipeline.read_documents``, serial unless ``workers`` > 1 asks for its pool."""
    from generator.pipeline import read_documents

    if pipeline_has_workers():
        return read_documents(files, root, workers=workers)
    if workers > 1:
        raise RuntimeError("the pipeline has no parallel mode")
    return read_documents(files, root)


def _joined(read: list) -> object:
    """The pages of several ``read_documents`` results as one provider's input: the
    pipeline's ``Pages`` with the cross-reference index each read already made (so
    analysis is not charged for indexing again), or a plain list for a pipeline
    without ``Pages``."""
    try:
        from generator.pages import Pages
    except ImportError:
        return [d for documents in read for d in documents]
    pages = Pages()
    for held in read:
        for number, document in enumerate(held):
            pages.add(document, held.indexes[number], document.path)
    return pages


def _read_one(args: tuple[str, str]):
    file, root = args
    documents, diagnostics, _ = _read([Path(file)], Path(root))
    return documents, diagnostics


def work_extract(root: Path, pool: int, kind: str) -> dict:
    """Docs → specs, stage by stage; the serial run writes specs/*.yaml and
    openapi/*.json for the next measurements (untimed).  ``kind``: ``serial``;
    ``pipeline`` = the pipeline's own pool (``read_documents(workers=pool)``, per
    provider, as ``docs2client build`` does); ``bench`` = one pool over every page of
    every provider, driven from here."""
    t0 = time.perf_counter()
    from generator.extract import extract_provider
    from generator.spec_yaml import dump_yaml

    imports = time.perf_counter() - t0
    corpus = _providers(root)
    read_s = analyse_s = read_cpu = analyse_cpu = 0.0
    per: dict[str, dict] = {}
    specs = {}
    errors = 0
    documents_by: dict[str, object] = {}
    if kind == "bench":
        from concurrent.futures import ProcessPoolExecutor

        files = [(str(root / p), str(root)) for pages in corpus.providers.values() for p in pages]
        t, c = time.perf_counter(), time.process_time()
        with ProcessPoolExecutor(pool) as executor:
            chunk = max(1, len(files) // (pool * 8))
            results = list(executor.map(_read_one, files, chunksize=chunk))
        read_s, read_cpu = time.perf_counter() - t, time.process_time() - c  # cpu: the parent's share only
        index = 0
        for provider, pages in corpus.providers.items():
            documents_by[provider] = _joined([r[0] for r in results[index : index + len(pages)]])
            index += len(pages)
    for provider, pages in corpus.providers.items():
        t, c = time.perf_counter(), time.process_time()
        if kind == "bench":
            documents = documents_by[provider]
        else:
            documents, _, _ = _read([root / p for p in pages], root, pool if kind == "pipeline" else 1)
        t_read, c_read = time.perf_counter() - t, time.process_time() - c
        spec, diagnostics = extract_provider(provider, documents, title=PROVIDER_TITLE.format(provider))
        t_analyse, c_analyse = time.perf_counter() - t - t_read, time.process_time() - c - c_read
        if kind != "bench":
            read_s += t_read
            read_cpu += c_read  # with a pool: the parent's share only
        analyse_s += t_analyse
        analyse_cpu += c_analyse
        specs[provider] = spec
        errors += sum(d.level == "error" for d in diagnostics)
        suffix = Path(pages[-1]).suffix
        per[provider] = {
            "format": suffix,
            "pages": len(pages),
            "endpoints": len(spec.operations),
            "read_s": t_read,
            "analyse_s": t_analyse,
            "read_cpu": c_read,
            "analyse_cpu": c_analyse,
        }
    data = {
        "imports_s": imports,
        "read_s": read_s,
        "analyse_s": analyse_s,
        "extract_s": read_s + analyse_s,
        "read_cpu": read_cpu,
        "analyse_cpu": analyse_cpu,
        "extract_cpu": read_cpu + analyse_cpu,
        "pages": sum(len(p) for p in corpus.providers.values()),
        "endpoints": sum(len(s.operations) for s in specs.values()),
        "errors": errors,
        "per_provider": per,
        "children_rss_mib": _rusage_children_mib() if kind != "serial" else 0.0,
    }
    if kind == "serial":  # the serial run leaves specs and OpenAPI exports for the next measurements
        from generator.openapi import dump_openapi

        (root / "bench_specs").mkdir(exist_ok=True)
        (root / "openapi").mkdir(exist_ok=True)
        data["openapi_errors"] = {}
        for provider, spec in specs.items():
            (root / "bench_specs" / f"{provider}.yaml").write_text(dump_yaml(spec), "utf-8")
            try:
                (root / "openapi" / f"{provider}.json").write_text(dump_openapi(spec), "utf-8")
            except Exception as exc:  # noqa: BLE001 -- reported, the peer is skipped for it
                data["openapi_errors"][provider] = f"{type(exc).__name__}: {exc}"
    return data


def _cpu_tree() -> float:
    """CPU seconds of this process and of every child it has waited for."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _formatting_timer(serial: bool) -> list[float]:
    """Time the formatting phase of render.py, whichever way it runs black: around
    ``Formatter.format_all`` when render.py batches (its pool's CPU included), else
    around each ``black.format_str`` call.  ``serial`` forces ``Formatter(workers=1)``."""
    import inspect

    import black

    from generator import render

    spent = [0.0, 0, 0.0]  # wall, calls, cpu
    formatter = getattr(render, "Formatter", None)
    if formatter is not None and hasattr(formatter, "format_all"):
        original_all = formatter.format_all

        def format_all(self, texts):
            t, c = time.perf_counter(), _cpu_tree()
            try:
                return original_all(self, texts)
            finally:
                spent[0] += time.perf_counter() - t
                spent[1] += len(texts)
                spent[2] += _cpu_tree() - c

        formatter.format_all = format_all
        if serial and "workers" in inspect.signature(formatter.__init__).parameters:
            original_init = formatter.__init__

            def init(self, cache=None, *_workers, **kwargs):
                kwargs["workers"] = 1  # whether render.py passed workers by position or name
                original_init(self, cache, **kwargs)

            formatter.__init__ = init
        return spent
    original = black.format_str

    def format_str(*args, **kwargs):
        t, c = time.perf_counter(), time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - t
            spent[1] += 1
            spent[2] += time.process_time() - c

    black.format_str = format_str
    return spent


def _render_one(args: tuple[str, str, str, bool]) -> dict:
    from generator.render import render_provider, write_tree
    from generator.spec import load_yaml

    spec_file, provider, out_dir, serial = args
    spec = load_yaml(Path(spec_file).read_text("utf-8"), spec_file)
    spent = _formatting_timer(serial)
    t, c = time.perf_counter(), _cpu_tree()
    files = render_provider(spec, f"specs/{provider}.yaml")
    render_s, render_cpu = time.perf_counter() - t, _cpu_tree() - c
    t = time.perf_counter()
    write_tree(Path(out_dir) / provider, files)
    return {
        "render_s": render_s,
        "render_cpu": render_cpu,
        "black_s": spent[0],
        "black_cpu": spent[2],
        "black_files": spent[1],
        "write_s": time.perf_counter() - t,
        "files": len(files),
        "bytes": sum(len(v.encode()) for v in files.values()),
    }


def work_generate(root: Path, pool: int, kind: str) -> dict:
    """Specs → formatted packages (render_provider + write_tree), formatting timed
    apart.  ``kind``: ``pipeline`` = render.py as it is (its own black pool, if any);
    ``serial`` = one process, black serial; ``providers`` = one process per provider
    (``pool`` of them), black serial in each."""
    corpus = _providers(root)
    out = root / "bench_generated"
    shutil.rmtree(out, ignore_errors=True)
    jobs = [(str(root / "bench_specs" / f"{p}.yaml"), p, str(out), kind != "pipeline") for p in corpus.providers]
    t = time.perf_counter()
    if kind == "providers":
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(pool) as executor:
            parts = list(executor.map(_render_one, jobs))
    else:
        parts = [_render_one(job) for job in jobs]
    wall = time.perf_counter() - t
    total = {k: sum(p[k] for p in parts) for k in parts[0]}
    total["wall_s"] = wall
    total["children_rss_mib"] = _rusage_children_mib()
    return total


def work_overhead(root: Path, repeat: int) -> dict:
    """Bare docutils / markdown-it parse vs docs2client's read (serial) of the same RST
    and Markdown pages, interleaved page by page so a change of machine load hits both
    alike; then docs2client's analysis of each provider.  Every page and provider keeps
    its fastest of ``repeat`` (at least 2) passes; one process, warmed up first."""
    from docutils.core import publish_doctree
    from markdown_it import MarkdownIt

    from generator.extract import extract_provider

    corpus = _providers(root)
    chosen = {p: [root / f for f in pages if f.endswith((".rst", ".md"))] for p, pages in corpus.providers.items()}
    chosen = {p: files for p, files in chosen.items() if files}
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])

    def bare(file: Path) -> None:
        text = file.read_text("utf-8")
        if file.suffix == ".rst":
            publish_doctree(text, source_path=str(file), settings_overrides=DOCUTILS_SETTINGS)
        else:
            md.parse(text)

    for files in chosen.values():  # lazy imports of both sides happen here, untimed
        bare(files[0])
        _read(files[:1], root)
    inf = (float("inf"), float("inf"))
    bare_t: dict[Path, tuple[float, float]] = {}
    read_t: dict[Path, tuple[float, float]] = {}
    analyse_t: dict[str, tuple[float, float]] = {}

    def keep(table: dict, key: object, wall: float, cpu: float) -> None:
        old = table.get(key, inf)
        table[key] = (min(old[0], wall), min(old[1], cpu))

    for _ in range(max(2, repeat)):
        for provider, files in chosen.items():
            read = []
            for file in files:
                t, c = time.perf_counter(), time.process_time()
                bare(file)
                keep(bare_t, file, time.perf_counter() - t, time.process_time() - c)
                t, c = time.perf_counter(), time.process_time()
                read.append(_read([file], root)[0])
                keep(read_t, file, time.perf_counter() - t, time.process_time() - c)
            documents = _joined(read)
            t, c = time.perf_counter(), time.process_time()
            extract_provider(provider, documents)
            keep(analyse_t, provider, time.perf_counter() - t, time.process_time() - c)

    def total(table: dict, i: int) -> float:
        return sum(v[i] for v in table.values())

    return {
        "pages": sum(len(f) for f in chosen.values()),
        "bare_s": total(bare_t, 0),
        "bare_cpu": total(bare_t, 1),
        "read_s": total(read_t, 0),
        "read_cpu": total(read_t, 1),
        "extract_s": total(read_t, 0) + total(analyse_t, 0),
        "extract_cpu": total(read_t, 1) + total(analyse_t, 1),
    }


def work_profile(root: Path, top: int) -> dict:
    """cProfile of the two extraction phases over the corpus, apart: reading every
    page (serial), then analysing each provider.  For each: the top functions of
    generator/ by cumulative and by own time, and of all code by own time."""
    import cProfile
    import pstats

    from generator.extract import extract_provider

    corpus = _providers(root)
    reading, analysing = cProfile.Profile(), cProfile.Profile()
    for provider, pages in corpus.providers.items():
        reading.enable()
        documents, _, _ = _read([root / p for p in pages], root)
        reading.disable()
        analysing.enable()
        extract_provider(provider, documents)
        analysing.disable()

    def summary(profiler: cProfile.Profile) -> dict:
        stats = pstats.Stats(profiler)
        ours, every = [], []
        for (file, line, name), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
            row = {"function": f"{Path(file).name}:{line}({name})", "calls": nc, "tottime": tt, "cumtime": ct}
            every.append(row)
            if f"{os.sep}generator{os.sep}" in file:
                ours.append(dict(row, function=f"{file[file.index(f'generator{os.sep}'):]}:{line}({name})"))
        return {
            "total_s": stats.total_tt,  # type: ignore[attr-defined]
            "generator_cumulative": sorted(ours, key=lambda r: -r["cumtime"])[:top],
            "generator_tottime": sorted(ours, key=lambda r: -r["tottime"])[:top],
            "all_tottime": sorted(every, key=lambda r: -r["tottime"])[:top],
        }

    return {"read": summary(reading), "analyse": summary(analysing)}


def _model_parser(kind: str, package: Path, keys: set[str]):
    """(class name, example keys it knows, parse function) of the generated model that
    knows most of the example's keys: ours = pydantic ``model_validate``, the peer's =
    attrs ``from_dict``."""
    import importlib
    import inspect

    sys.path.insert(0, str(package.parent))
    if kind == "ours":
        modules = [f"{package.name}.models"] + [
            f"{package.name}.resources.{f.stem}" for f in sorted((package / "resources").glob("[!_]*.py"))
        ]  # the shared models, and each resource's own
        candidates = []
        for module in modules:
            for name, cls in vars(importlib.import_module(module)).items():
                fields = getattr(cls, "model_fields", None)
                if inspect.isclass(cls) and fields:
                    wire = {f.alias or field_name for field_name, f in fields.items()}
                    candidates.append((len(wire & keys), -len(wire), name, cls))
        score, _, name, cls = max(candidates)
        return name, score, cls.model_validate
    best_score, name, found_cls = -1, "", None
    for file in sorted((package / "models").glob("*.py")):
        text = file.read_text("utf-8")
        score = sum(f'"{k}"' in text for k in keys)
        if score > best_score:
            module = importlib.import_module(f"{package.name}.models.{file.stem}")
            found = [
                c
                for c in vars(module).values()
                if inspect.isclass(c) and c.__module__ == module.__name__ and hasattr(c, "from_dict")
            ]
            if found:
                best_score, name, found_cls = score, found[0].__name__, found[0]
    return name, best_score, found_cls.from_dict  # type: ignore[union-attr]


def work_runtime(packages: list[str], example_file: str, n: int, passes: int = 5) -> dict:
    """Parse the documented example ``n`` times per pass with each package's model
    (``kind=path`` items), passes alternating between the packages so load changes hit
    all alike; each keeps its fastest pass."""
    example = json.loads(Path(example_file).read_text("utf-8"))
    parsers = {}
    for item in packages:
        kind, _, path = item.partition("=")
        parsers[kind] = _model_parser(kind, Path(path), set(example))
    for _, _, parse in parsers.values():
        parse(dict(example))  # warm-up (validators, lazy schema builds)
    fastest = {kind: float("inf") for kind in parsers}
    for _ in range(passes):
        for kind, (_, _, parse) in parsers.items():
            t = time.perf_counter()
            for _ in range(n):
                parse(dict(example))
            fastest[kind] = min(fastest[kind], time.perf_counter() - t)
    return {
        kind: {"model": name, "fields_matched": score, "of": len(example), "seconds": fastest[kind], "n": n}
        for kind, (name, score, _) in parsers.items()
    }


def run_worker(args: argparse.Namespace) -> None:
    root = Path(args.corpus)
    if args.worker == "extract":
        data = work_extract(root, args.pool, args.pool_kind)
    elif args.worker == "generate":
        data = work_generate(root, args.pool, args.pool_kind)
    elif args.worker == "overhead":
        data = work_overhead(root, args.repeat)
    elif args.worker == "profile":
        data = work_profile(root, args.top)
    elif args.worker == "runtime":
        data = work_runtime(args.package, args.example, args.n)
    else:
        raise SystemExit(f"unknown worker {args.worker}")
    print(RESULT + json.dumps(data))


# ================================================================ the orchestration


@dataclass
class SizeResult:
    n: int
    pages: int = 0
    endpoints: int = 0
    expected: int = 0
    corpus_s: float = 0.0
    extract: Run | None = None
    extract_pool: Run | None = None
    extract_pipeline: Run | None = None
    generate: Run | None = None
    generate_pool: Run | None = None
    generate_serial: Run | None = None
    overhead: Run | None = None
    build_cold: Run | None = None
    build_one: Run | None = None
    build_noop: Run | None = None
    check_noop: Run | None = None
    check_cold: Run | None = None  # docs2client check with no cache, on the tree the cold build wrote
    generated_bytes: int = 0  # what the cold build wrote under generated/ (manifests aside)
    import_big: float | None = None  # seconds to import a generated package of N/4 endpoints
    import_one: float | None = None  # ... and of one endpoint of the same provider
    import_package: str = ""
    build_failure: str = ""
    peer: Run | None = None
    peer_endpoints: int = 0
    peer_black: Run | None = None  # the peer with black as its post-hook
    peer_bytes: int = 0
    peer_invocations: int = 0
    notes: list[str] = field(default_factory=list)


def pipeline_parallel() -> bool:
    probe = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--probe-workers"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.stdout.strip() == "yes"


def renderer_status() -> str:
    """'' when generation can run, else why not."""
    probe = subprocess.run(
        [sys.executable, "-c", "import generator.render, generator.openapi"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    return "" if probe.returncode == 0 else (probe.stderr.strip().splitlines() or ["import failed"])[-1]


def has_command(name: str) -> bool:
    probe = subprocess.run([tool("docs2client"), "--help"], capture_output=True, text=True, cwd=REPO, check=False)
    listed = probe.stdout.split("}", 1)[0].split("{", 1)[-1].split(",")  # usage: docs2client {extract,build,...}
    return name in listed


def build_failure(run: Run, root: Path, corpus: synthetic.Corpus) -> str:
    """'' when ``docs2client build`` produced every package (exit 1 only means the
    docs have errors), else what went wrong."""
    missing = [p for p in corpus.providers if not (root / "generated" / p).is_dir()]
    if run.code not in (0, 1) or "Traceback" in run.err or missing:
        tail = " ".join(run.err.strip().splitlines()[-2:])[-240:]
        return f"exit {run.code}" + (f", no generated/{missing[0]}" if missing else "") + (f": {tail}" if tail else "")
    return ""


def code_state() -> str:
    """The fingerprint of the tool's code that every build cache key holds (computed
    afresh, not the per-process cached value): a concurrent edit between two builds
    turns a warm build cold."""
    from generator.cache import code_fingerprint

    return code_fingerprint.__wrapped__()


def build_env(cache_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DOCS2CLIENT_CACHE_DIR"] = str(cache_dir)
    env.pop("DOCS2CLIENT_CACHE", None)
    return env


def measure_size(n: int, work: Path, args: argparse.Namespace, extract_only: bool, generation: str) -> SizeResult:
    result = SizeResult(n)
    root = work / f"n{n}"
    shutil.rmtree(root, ignore_errors=True)
    t = time.perf_counter()
    corpus = synthetic.generate(root, n, seed=args.seed)
    corpus.save()
    result.corpus_s = time.perf_counter() - t
    result.expected = len(corpus.endpoints)
    repeat = args.repeat
    say = lambda text: print(f"  [N={n}] {text}", file=sys.stderr, flush=True)

    say("extract (serial)")
    result.extract = best([worker("extract", root) for _ in range(repeat)])
    result.pages = result.extract.data.get("pages", 0)
    result.endpoints = result.extract.data.get("endpoints", 0)
    say(f"extract (one pool ×{args.workers} over every page, driven by the bench)")
    pool = ["--pool", str(args.workers), "--pool-kind"]
    if pipeline_parallel():
        say(f"extract (the pipeline's own pool ×{args.workers}, per provider)")
        result.extract_pipeline = best([worker("extract", root, *pool, "pipeline") for _ in range(repeat)])
    result.extract_pool = best([worker("extract", root, *pool, "bench") for _ in range(repeat)])
    say("bare parse vs extraction")
    result.overhead = worker("overhead", root, "--repeat", str(repeat))
    if extract_only:
        return result
    if generation:
        result.notes.append(f"generation n/a: {generation}")
        return result
    say("generate (as render.py runs it)")
    result.generate = best([worker("generate", root, "--pool-kind", "pipeline") for _ in range(repeat)])
    say("generate (one process, black serial)")
    result.generate_serial = best([worker("generate", root, "--pool-kind", "serial") for _ in range(repeat)])
    say(f"generate (one process per provider, {args.workers} at a time)")
    result.generate_pool = best([worker("generate", root, *pool, "providers") for _ in range(repeat)])

    corpus.write_pyproject()
    docs2client = tool("docs2client")
    cache = work / f"cache-n{n}"
    warmed_with = [""]  # the tool's code when the cache was last filled

    def cli(command: str, label: str, warm: bool) -> Run:
        state = code_state()
        if warm and state != warmed_with[0]:
            result.notes.append(
                f"generator/ or templates/ changed since the previous build, so '{label}' ran with a cold cache"
            )
        run = measured([docs2client, command, "-q"], cwd=root, env=build_env(cache))
        if command == "build":
            warmed_with[0] = state
        return run

    cold: list[Run] = []
    for _ in range(repeat):
        say("docs2client build, cold (empty cache, no output)")
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(root / "generated", ignore_errors=True)
        shutil.rmtree(root / "specs", ignore_errors=True)
        cold.append(cli("build", "cold build", warm=False))
    result.build_cold = best(cold)
    result.build_failure = build_failure(result.build_cold, root, corpus)
    if result.build_failure:
        result.notes.append(f"cold build failed: {result.build_failure}")
    result.generated_bytes = tree_bytes(root / "generated")
    say("docs2client build, nothing changed")
    result.build_noop = best([cli("build", "no-op build", warm=True) for _ in range(repeat)])
    if has_command("check"):
        say("docs2client check, nothing changed")
        result.check_noop = best([cli("check", "no-op check", warm=True) for _ in range(repeat)])
        say("docs2client check, no cache (a fresh CI runner)")
        cold_checks = []
        for _ in range(repeat):
            empty = work / f"cache-cold-check-n{n}"
            shutil.rmtree(empty, ignore_errors=True)
            cold_checks.append(measured([docs2client, "check", "-q"], cwd=root, env=build_env(empty)))
        result.check_cold = best(cold_checks)
    if not result.build_failure:
        say("cold import: the largest generated package and one endpoint of it")
        measure_imports(result, root, work, n)
    one: list[Run] = []
    for round_ in range(1, repeat + 1):
        say("docs2client build after one page changed")
        corpus.change_one_page(round_)
        one.append(cli("build", "rebuild after one page changed", warm=True))
    result.build_one = best(one)
    failure = build_failure(result.build_one, root, corpus)
    if failure:
        result.notes.append(f"rebuild after one change failed: {failure}")

    if not args.skip_peer:
        say("openapi-python-client on docs2client's OpenAPI export")
        failures = result.extract.data.get("openapi_errors", {})
        for provider, error in failures.items():
            result.notes.append(f"peer skipped {provider}: OpenAPI export failed ({error})")
        runs = [peer_run(root, corpus, root / "peer") for _ in range(repeat)]
        result.peer = best(runs)
        result.peer_invocations = len([p for p in corpus.providers if (root / "openapi" / f"{p}.json").exists()])
        result.peer_endpoints = sum(
            len([f for f in (root / "peer" / f"{p}_client" / "api").rglob("*.py") if f.name != "__init__.py"])
            for p in corpus.providers
            if (root / "peer" / f"{p}_client" / "api").is_dir()
        )
        if "not in PATH" in result.peer.out + result.peer.err:
            result.notes.append("the peer's post-hooks did not run (not in PATH): its figures are without formatting")
        if "Warning" in result.peer.out or "Warning" in result.peer.err:
            result.notes.append("peer printed warnings (some endpoints may be missing): see peer_endpoints")
        result.peer_bytes = tree_bytes(root / "peer")
        say("openapi-python-client again, black as its post-hook")
        config = root / "peer-black.yaml"
        config.write_text('post_hooks:\n  - "black ."\n', "utf-8")
        result.peer_black = best([peer_run(root, corpus, root / "peer-black", config) for _ in range(repeat)])
    return result


# The peer runs its post-hooks (ruff, or black) by name: from this environment, as
# when it is activated.  (Without this the hooks were "not in PATH", and skipped.)
PEER_ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def peer_run(root: Path, corpus: synthetic.Corpus, out_root: Path, config: Path | None = None) -> Run:
    """openapi-python-client once per provider, summed (its default post-hooks, ruff,
    unless ``config`` names others)."""
    total = Run(0.0, 0.0, 0.0, 0, "", "")
    for provider in corpus.providers:
        spec = root / "openapi" / f"{provider}.json"
        if not spec.exists():
            continue
        out = out_root / f"{provider}_client"
        run = measured(
            [
                tool("openapi-python-client"),
                "generate",
                "--path",
                str(spec),
                "--output-path",
                str(out),
                "--meta",
                "none",
                "--overwrite",
                *(["--config", str(config)] if config else []),
            ],
            cwd=root,
            env=PEER_ENV,
        )
        total = Run(
            total.wall + run.wall,
            total.cpu + run.cpu,
            max(total.rss_mib, run.rss_mib),
            total.code or run.code,
            total.out + run.out,
            total.err + run.err,
        )
    return total


def tree_bytes(folder: Path) -> int:
    """Bytes of the files under ``folder``, but caches and manifests."""
    return sum(
        p.stat().st_size
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
    )


IMPORT_SCRIPT = (
    "import sys, time; sys.path.insert(0, sys.argv[1]); import httpx, pydantic; "
    "t = time.perf_counter(); __import__(sys.argv[2]); print(time.perf_counter() - t)"
)


def measure_imports(result: SizeResult, root: Path, work: Path, n: int) -> None:
    """Cold import (a new interpreter, httpx and pydantic already loaded) of the
    largest generated package, and of a package of one of its endpoints; fastest of
    7 alternating runs each."""
    from generator.render import render_provider, write_tree
    from generator.spec import Spec, load_yaml

    specs = sorted((root / "specs").glob("*.yaml"), key=lambda f: f.stat().st_size)
    if not specs:
        return
    spec_file = specs[-1]
    spec = load_yaml(spec_file.read_text("utf-8"), str(spec_file))
    one = Spec(spec.provider, spec.title, spec.servers, spec.security_schemes, spec.security, spec.operations[:1], spec.schemas, spec.sources)
    small = work / f"import-one-n{n}"
    shutil.rmtree(small, ignore_errors=True)
    write_tree(small / spec.provider, render_provider(one, f"specs/{spec_file.name}"))
    package = f"{spec.provider}_client"
    folders = {"big": root / "generated" / spec.provider, "one": small / spec.provider}
    times: dict[str, list[float]] = {"big": [], "one": []}
    for _ in range(7):
        for kind, folder in folders.items():
            done = subprocess.run(
                [sys.executable, "-c", IMPORT_SCRIPT, str(folder), package],
                capture_output=True, text=True, check=False,
            )
            if done.returncode == 0:
                times[kind].append(float(done.stdout.strip()))
    if times["big"] and times["one"]:
        result.import_big, result.import_one = min(times["big"]), min(times["one"])
        result.import_package = f"{package} ({len(spec.operations)} endpoints)"


# ---------------------------------------------------------------- the seed providers: check + runtime


@dataclass
class SeedResult:
    check: str = ""  # printed figure or n/a
    check_s: float | None = None
    runtime: str = ""
    runtime_ratio: float | None = None
    ours: dict = field(default_factory=dict)
    peer: dict = field(default_factory=dict)


def measure_seeds(work: Path, args: argparse.Namespace, generation: str) -> SeedResult:
    """A copy of the repo's seed providers in a temp project: build, then time a no-op
    ``docs2client check``, then the generated client's model against the peer's."""
    out = SeedResult()
    project = work / "seed-project"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", project / "pyproject.toml")
    shutil.copytree(REPO / "seeds", project / "seeds")
    docs2client = tool("docs2client")
    built = None
    if not generation:
        print("  [seeds] docs2client build", file=sys.stderr, flush=True)
        built = measured([docs2client, "build", "-q"], cwd=project, env=build_env(project / ".docs2client-cache"))
    if not has_command("check"):
        out.check = "n/a: no check command yet"
    elif built is None or not built.ok:
        out.check = "n/a: the seed build failed" if built else f"n/a: {generation}"
    else:
        print("  [seeds] docs2client check (no-op)", file=sys.stderr, flush=True)
        runs = [
            measured([docs2client, "check"], cwd=project, env=build_env(project / ".docs2client-cache"))
            for _ in range(5)
        ]
        fastest = best(runs)
        out.check_s = fastest.wall
        out.check = f"{fastest.wall:.3f} s (best of 5, exit {fastest.code})"

    package = _generated_package(project / "generated" / "cielo24") or _generated_package(
        REPO / "generated" / "cielo24"
    )
    if package is None:
        out.runtime = "n/a: no generated/cielo24 package yet"
        return out
    spec_file = project / "specs" / "cielo24.yaml"
    if not spec_file.exists():
        spec_file = REPO / "specs" / "cielo24.yaml"
    example = _job_info_example(spec_file)
    if example is None:
        out.runtime = "n/a: no documented 200 example for job_info in the cielo24 spec"
        return out
    example_file = work / "job_info_example.json"
    example_file.write_text(json.dumps(example), "utf-8")
    n = args.runtime_n
    if args.skip_peer:
        print("  [seeds] generated-client runtime (ours)", file=sys.stderr, flush=True)
        ours = worker("runtime", project, "--package", f"ours={package}", "--example", str(example_file), "--n", str(n))
        out.ours = ours.data.get("ours", {})
        out.runtime = f"ours {out.ours.get('seconds', float('nan')):.3f} s for {n} parses (peer skipped)"
        return out
    openapi = work / "cielo24.openapi.json"
    export = subprocess.run(
        [docs2client, "openapi", str(spec_file), "-o", str(openapi)], capture_output=True, text=True, check=False
    )
    if export.returncode != 0:
        out.runtime = f"n/a: OpenAPI export of cielo24 failed: {export.stderr.strip()[-200:]}"
        return out
    peer_dir = work / "peer-seed" / "cielo24_peer_client"
    print("  [seeds] generated-client runtime (peer)", file=sys.stderr, flush=True)
    generated = measured(
        [
            tool("openapi-python-client"),
            "generate",
            "--path",
            str(openapi),
            "--output-path",
            str(peer_dir),
            "--meta",
            "none",
            "--overwrite",
        ],
        cwd=work,
    )
    if not generated.ok:
        out.runtime = f"n/a: openapi-python-client failed on cielo24: {generated.err.strip()[-200:]}"
        return out
    print("  [seeds] generated-client runtime (ours and the peer's, passes alternating)", file=sys.stderr, flush=True)
    both = worker(
        "runtime",
        project,
        *("--package", f"ours={package}", "--package", f"peer={peer_dir}"),
        *("--example", str(example_file), "--n", str(n)),
    )
    out.ours, out.peer = both.data.get("ours", {}), both.data.get("peer", {})
    if both.ok and out.ours and out.peer:
        out.runtime_ratio = out.ours["seconds"] / out.peer["seconds"]
        out.runtime = (
            f"ours {out.ours['model']} {out.ours['seconds']:.3f} s vs peer {out.peer['model']} "
            f"{out.peer['seconds']:.3f} s for {n} parses, fastest of 5 alternating passes"
        )
    else:
        out.runtime = "n/a: a runtime worker failed"
    return out


def _generated_package(folder: Path) -> Path | None:
    if not folder.is_dir():
        return None
    for runtime in sorted(folder.rglob("_runtime.py")):
        if (runtime.parent / "models.py").exists():
            return runtime.parent
    return None


def _job_info_example(spec_file: Path):
    if not spec_file.exists():
        return None
    sys.path.insert(0, str(REPO))
    from generator.spec import load_yaml

    spec = load_yaml(spec_file.read_text("utf-8"), str(spec_file))
    for op in spec.operations:
        if op.name == "job_info":
            for response in op.responses:
                if response.status == "200" and isinstance(response.example, dict):
                    return response.example
    return None


# ================================================================ reporting


def fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def slope(n1: int, t1: float | None, n2: int, t2: float | None) -> float | None:
    if not t1 or not t2 or n1 == n2:
        return None
    return math.log(t2 / t1) / math.log(n2 / n1)


def wc(wall: float | None, cpu: float | None) -> str:
    """``wall (cpu)`` seconds."""
    return "—" if wall is None else f"{wall:.2f}" + ("" if cpu is None else f" ({cpu:.2f})")


def _get(run: Run | None, key: str) -> float | None:
    return run.data.get(key) if run is not None and run.ok else None


def report(
    results: list[SizeResult],
    seeds: SeedResult | None,
    args: argparse.Namespace,
    argv: list[str],
    load: tuple[tuple[float, ...], tuple[float, ...]],
) -> str:
    lines: list[str] = []
    add = lines.append
    import black
    import docutils

    try:
        from importlib.metadata import version

        peer_version = version("openapi-python-client")
        ours_version = version("docs2client")
    except Exception:  # noqa: BLE001
        peer_version = ours_version = "?"
    cpus = os.cpu_count()
    add(f"Command: `python bench/run.py {' '.join(argv)}`")
    add("")
    add(
        f"Machine: {platform.machine()}, {cpus} CPUs, Python {platform.python_version()}; load average "
        f"{load[0][0]:.1f} before, {load[1][0]:.1f} after (above {cpus}: other work shared the CPUs, trust the CPU "
        f"figures over wall). docs2client {ours_version}, openapi-python-client {peer_version}, black {black.__version__}, "
        f"docutils {docutils.__version__}."
        + (" PYTHONDONTWRITEBYTECODE was set; measured runs keep bytecode caches all the same." if BYTECODE_WAS_OFF else "")
    )
    add("")
    add("### Docs → formatted clients, by stage: wall s (CPU s)")
    add("")
    w = args.workers
    add(
        f"| N | pages | endpoints | extract | extract, pipeline's pool ×{w} | extract, one pool ×{w} | generate | "
        f"of which black | generate, black serial | of which black | generate, process per provider ×{w} | "
        "cold build (CLI) | endpoints/s | peak MiB extract · generate · build |"
    )
    add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        ex, exp, gen, genp, gens = r.extract, r.extract_pool, r.generate, r.generate_pool, r.generate_serial
        pipe = r.extract_pipeline
        cold = r.build_cold if r.build_cold and not r.build_failure else None
        if cold:
            eps = f"{r.endpoints / cold.wall:.0f}"
        elif _get(ex, "extract_s"):
            eps = f"{r.endpoints / _get(ex, 'extract_s'):.0f} (extract only)"
        else:
            eps = "—"
        cold_cell = wc(cold.wall, cold.cpu) if cold else ("failed" if r.build_failure else "—")
        peaks = " · ".join(fmt(x.rss_mib if x else None, 0) for x in (ex, gen, cold))
        endpoints = f"{r.endpoints}" + ("" if r.endpoints == r.expected else f" (expected {r.expected})")
        add(
            f"| {r.n} | {r.pages} | {endpoints} | {wc(_get(ex, 'extract_s'), _get(ex, 'extract_cpu'))} | "
            f"{wc(_get(pipe, 'extract_s'), None)} | {wc(_get(exp, 'extract_s'), None)} | "
            f"{wc(_get(gen, 'wall_s'), _get(gen, 'render_cpu'))} | "
            f"{wc(_get(gen, 'black_s'), _get(gen, 'black_cpu'))} | {wc(_get(gens, 'wall_s'), _get(gens, 'render_cpu'))} | "
            f"{wc(_get(gens, 'black_s'), _get(gens, 'black_cpu'))} | {wc(_get(genp, 'wall_s'), None)} | "
            f"{cold_cell} | {eps} | {peaks} |"
        )
    add("")
    add(
        "extract = read (pages → document model) + analyse (→ spec), in-process, no cache; generate = "
        "`render_provider` + `write_tree` per provider from the extracted specs, as render.py runs it, then with "
        "black forced serial, then one process per provider; black = the formatting phase inside it; cold build = "
        "`docs2client build -q` in a fresh process, empty cache, no previous output. CPU includes child processes."
    )
    add("")
    add(
        f"| N | read | analyse | read, pipeline's pool ×{w} | read, one pool ×{w} | "
        "read CPU ms/page: rst cielo · rst cloudfoundry · md · txt | generated bytes |"
    )
    add("|---|---|---|---|---|---|---|")
    for r in results:
        ex, exp, gen, pipe = r.extract, r.extract_pool, r.generate, r.extract_pipeline
        per = ex.data.get("per_provider", {}) if ex and ex.ok else {}
        ms = " · ".join(fmt(1000 * v.get("read_cpu", v["read_s"]) / max(1, v["pages"]), 1) for v in per.values())
        size = _get(gen, "bytes")
        add(
            f"| {r.n} | {wc(_get(ex, 'read_s'), _get(ex, 'read_cpu'))} | {wc(_get(ex, 'analyse_s'), _get(ex, 'analyse_cpu'))} | "
            f"{wc(_get(pipe, 'read_s'), None)} | {wc(_get(exp, 'read_s'), None)} | {ms or '—'} | "
            f"{'—' if size is None else f'{size / 1e6:.1f} MB'} |"
        )
    add("")
    peered = [r for r in results if r.build_cold]
    if peered:
        add("### Against openapi-python-client: same corpus, same run, wall s (CPU s)")
        add("")
        add(
            "| N | docs2client cold build | peer full generation | cold ÷ peer, wall · CPU | rebuild after 1 page changed | "
            "rebuild ÷ peer | no-op build | no-op check | peak MiB ours · peer | peer endpoints |"
        )
        add("|---|---|---|---|---|---|---|---|---|---|")
        for r in peered:
            peer = r.peer
            cold = r.build_cold if not r.build_failure else None
            one, noop, check = r.build_one, r.build_noop, r.check_noop
            add(
                f"| {r.n} | {wc(cold.wall, cold.cpu) if cold else 'failed'} | {wc(peer.wall, peer.cpu) if peer else '—'} | "
                f"{fmt(ratio(cold.wall if cold else None, peer.wall if peer else None))} · "
                f"{fmt(ratio(cold.cpu if cold else None, peer.cpu if peer else None))} | "
                f"{wc(one.wall, one.cpu) if one else '—'} | {fmt(ratio(one.wall if one else None, peer.wall if peer else None), 3)} | "
                f"{wc(noop.wall, noop.cpu) if noop else '—'} | {wc(check.wall, check.cpu) if check else 'n/a'} | "
                f"{fmt(cold.rss_mib if cold else None, 0)} · {fmt(peer.rss_mib if peer else None, 0)} | "
                f"{r.peer_endpoints if peer else '—'} of {r.endpoints} |"
            )
        add("")
        if any(r.peer for r in peered):
            inv = max(r.peer_invocations for r in peered)
            add(
                f"The peer runs once per provider ({inv} invocations, each paying its start-up) with its default post-hooks "
                "(ruff), on `generator.openapi.dump_openapi` of the spec docs2client extracted; docs2client's figures "
                "include reading the docs. Both write a complete, formatted package per provider; docs2client's also "
                "holds its tests (one parametrised module and a table per resource)."
            )
            add("")
        add("### Generated packages: size, cold import, cold check, and the peer with black, same run")
        add("")
        add(
            "| N | generated bytes / endpoint, ours (tests included) · peer · ratio | cold import, largest package · "
            "its 1-endpoint cut · difference | cold check (no cache) | ÷ peer | peer, black post-hook | cold build ÷ peer with black |"
        )
        add("|---|---|---|---|---|---|---|")
        for r in peered:
            peer, check, black_peer = r.peer, r.check_cold, r.peer_black
            cold = r.build_cold if not r.build_failure else None
            ours_b = r.generated_bytes / r.endpoints if r.endpoints and r.generated_bytes else None
            peer_b = r.peer_bytes / r.peer_endpoints if r.peer_endpoints and r.peer_bytes else None
            imports = (
                f"{1000 * r.import_big:.1f} ms · {1000 * r.import_one:.1f} ms · {1000 * (r.import_big - r.import_one):+.1f} ms"
                if r.import_big is not None and r.import_one is not None
                else "—"
            )
            add(
                f"| {r.n} | {fmt(ours_b, 0)} B · {fmt(peer_b, 0)} B · {fmt(ratio(ours_b, peer_b), 3)} | {imports} | "
                f"{wc(check.wall, check.cpu) if check else '—'} | {fmt(ratio(check.wall if check else None, peer.wall if peer else None), 3)} | "
                f"{wc(black_peer.wall, black_peer.cpu) if black_peer else '—'} | "
                f"{fmt(ratio(cold.wall if cold else None, black_peer.wall if black_peer else None))} |"
            )
        add("")
        add(
            "Bytes: every file the cold build wrote under generated/ (manifests aside) against every file the peer wrote, "
            "per endpoint. Cold import: a new interpreter with httpx and pydantic already imported, importing the "
            f"package ({', '.join(r.import_package for r in peered if r.import_package) or 'n/a'}) and a package "
            "rendered from its first endpoint alone; fastest of 7. Cold check: `docs2client check -q` with an empty "
            "cache on the tree the cold build wrote."
        )
        add("")
    add(
        "### Extraction overhead over the bare parse (RST + Markdown pages, CPU s; one process, warmed up, "
        "interleaved page by page, fastest of 2 passes)"
    )
    add("")
    add(
        "| N | pages | bare docutils + markdown-it | docs2client read | read + extract | overhead: read · read + extract |"
    )
    add("|---|---|---|---|---|---|")
    for r in results:
        o = r.overhead.data if r.overhead and r.overhead.ok else {}
        if not o:
            continue
        add(
            f"| {r.n} | {o['pages']} | {fmt(o['bare_cpu'])} | {fmt(o['read_cpu'])} | {fmt(o['extract_cpu'])} | "
            f"{100 * (o['read_cpu'] / o['bare_cpu'] - 1):+.0f}% · {100 * (o['extract_cpu'] / o['bare_cpu'] - 1):+.0f}% |"
        )
    add("")
    if len(results) > 1:
        add("### Scaling exponent: log-log slope between sizes (1.0 = linear)")
        add("")
        pairs = list(itertools.pairwise(results))
        if len(results) > 2:
            pairs.append((results[0], results[-1]))
        add("| stage | " + " | ".join(f"N {a.n}→{b.n}" for a, b in pairs) + " |")
        add("|---|" + "---|" * len(pairs))

        def cold_of(r: SizeResult, cpu: bool) -> float | None:
            if not r.build_cold or r.build_failure:
                return None
            return r.build_cold.cpu if cpu else r.build_cold.wall

        stages = [
            ("extract, CPU", lambda r: _get(r.extract, "extract_cpu")),
            ("extract, wall", lambda r: _get(r.extract, "extract_s")),
            (f"extract, pipeline's pool ×{w}, wall", lambda r: _get(r.extract_pipeline, "extract_s")),
            (f"extract, one pool ×{w}, wall", lambda r: _get(r.extract_pool, "extract_s")),
            ("generate, CPU", lambda r: _get(r.generate, "render_cpu")),
            ("generate, wall", lambda r: _get(r.generate, "wall_s")),
            ("black, CPU", lambda r: _get(r.generate, "black_cpu")),
            ("cold build, CPU", lambda r: cold_of(r, True)),
            ("cold build, wall", lambda r: cold_of(r, False)),
            ("peer, CPU", lambda r: r.peer.cpu if r.peer else None),
            ("peer, wall", lambda r: r.peer.wall if r.peer else None),
        ]
        for name, get in stages:
            cells = [fmt(slope(a.n, get(a), b.n, get(b))) for a, b in pairs]
            if any(c != "—" for c in cells):
                add(f"| {name} | " + " | ".join(cells) + " |")
        add("")
    add(f"### Targets (N = {TARGET_N})")
    add("")
    add("| target | goal | measured | |")
    add("|---|---|---|---|")
    at = next((r for r in results if r.n == TARGET_N), None)

    def verdict(value: float | None, goal: float) -> str:
        return "n/a" if value is None else ("PASS" if value <= goal else "MISS")

    if at is None:
        add(f"| (the N-dependent targets) | — | n/a: run with {TARGET_N} in --sizes | n/a |")
    else:
        cold = at.build_cold if at.build_cold and not at.build_failure else None
        peer = at.peer
        why = "n/a: " + ("cold build failed" if at.build_failure else "no peer run" if not peer else "not measured")
        value = ratio(cold.wall if cold else None, peer.wall if peer else None)
        cpu = ratio(cold.cpu if cold else None, peer.cpu if peer else None)
        shown = f"{value:.2f}× (CPU {cpu:.2f}×)" if value is not None and cpu is not None else why
        black_peer = at.peer_black
        with_black = ratio(cold.wall if cold else None, black_peer.wall if black_peer else None)
        if with_black is not None:
            shown += f"; {with_black:.2f}× the peer with black"
        add(f"| cold full build, docs → formatted clients | ≤ 1.0× peer wall | {shown} | {verdict(value, 1.0)} |")
        one = at.build_one
        value = ratio(one.wall if one else None, peer.wall if peer else None)
        cpu = ratio(one.cpu if one else None, peer.cpu if peer else None)
        shown = f"{value:.3f}× (CPU {cpu:.3f}×)" if value is not None and cpu is not None else why
        add(f"| rebuild after one page changed | ≤ 0.05× peer full regeneration | {shown} | {verdict(value, 0.05)} |")
        ours_b = at.generated_bytes / at.endpoints if at.endpoints and at.generated_bytes else None
        peer_b = at.peer_bytes / at.peer_endpoints if at.peer_endpoints and at.peer_bytes else None
        value = ratio(ours_b, peer_b)
        shown = f"{ours_b:.0f} B vs {peer_b:.0f} B: {value:.3f}×" if value is not None and ours_b and peer_b else why
        add(f"| generated bytes per endpoint, tests included | ≤ 1/3 of the peer's | {shown} | {verdict(value, 1 / 3)} |")
        check = at.check_cold
        value = ratio(check.wall if check else None, peer.wall if peer else None)
        shown = f"{check.wall:.2f} s: {value:.3f}×" if value is not None and check else why
        add(f"| cold `docs2client check` (no cache) | ≤ 0.3× peer generation | {shown} | {verdict(value, 0.3)} |")
        if at.import_big is not None and at.import_one is not None:
            extra = at.import_big - at.import_one
            add(
                f"| cold import of a {at.endpoints // 4}-endpoint package vs a 1-endpoint one | ≤ +20 ms | "
                f"{1000 * extra:+.1f} ms ({1000 * at.import_big:.1f} vs {1000 * at.import_one:.1f} ms) | {verdict(extra, 0.020)} |"
            )
        o = at.overhead.data if at.overhead and at.overhead.ok else {}
        over = o["extract_cpu"] / o["bare_cpu"] - 1 if o else None
        shown = "n/a" if over is None else f"{100 * over:.0f}% (wall {100 * (o['extract_s'] / o['bare_s'] - 1):.0f}%)"
        add(f"| extraction overhead over bare docutils/markdown-it parse | ≤ 25% | {shown} | {verdict(over, 0.25)} |")
    if seeds is not None:
        add(f"| no-op `docs2client check`, seed providers | ≤ 0.3 s | {seeds.check} | {verdict(seeds.check_s, 0.3)} |")
        add(
            f"| generated model parses job-info example ×{args.runtime_n} | ≤ 0.5× peer | "
            f"{fmt(seeds.runtime_ratio)}× ({seeds.runtime}) | {verdict(seeds.runtime_ratio, 0.5)} |"
        )
    notes = [f"N={r.n}: {note}" for r in results for note in r.notes]
    if notes:
        add("")
        add("Notes: " + "; ".join(notes))
    return "\n".join(lines)


def raw(results: list[SizeResult], seeds: SeedResult | None, profile: Run | None) -> dict:
    def run(r: Run | None) -> dict | None:
        return (
            None if r is None else {"wall": r.wall, "cpu": r.cpu, "rss_mib": r.rss_mib, "code": r.code, "data": r.data}
        )

    sizes = []
    for r in results:
        item = {k: v for k, v in vars(r).items() if not isinstance(v, Run) and v is not None}
        item.update({k: run(v) for k, v in vars(r).items() if isinstance(v, Run)})
        sizes.append(item)
    return {"sizes": sizes, "seeds": vars(seeds) if seeds else None, "profile": profile.data if profile else None}


def print_profile(data: dict, n: int) -> None:
    def table(title: str, rows: list[dict], own_first: bool) -> None:
        print(f"\n{title}\n")
        print(
            "| own s | cumulative s | calls | function |"
            if own_first
            else "| cumulative s | own s | calls | function |"
        )
        print("|---|---|---|---|")
        for row in rows:
            first, second = (row["tottime"], row["cumtime"]) if own_first else (row["cumtime"], row["tottime"])
            print(f"| {first:.2f} | {second:.2f} | {row['calls']} | `{row['function']}` |")

    read, analyse = data["read"], data["analyse"]
    print(
        f"\n### cProfile of extraction, N = {n}: read {read['total_s']:.2f} s + analyse {analyse['total_s']:.2f} s "
        "under the profiler (serial)"
    )
    table("Read (pages → document model), top cumulative in generator/:", read["generator_cumulative"], False)
    table("Read, top own time, all code:", read["all_tottime"], True)
    table("Analyse (document model → spec), top cumulative in generator/:", analyse["generator_cumulative"], False)
    table("Analyse, top own time in generator/:", analyse["generator_tottime"], True)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="25,100", help="endpoint counts, comma-separated (default 25,100)")
    parser.add_argument("--extract-only", default="", help="extra sizes measured for extraction only, e.g. 5000")
    parser.add_argument("--skip-peer", action="store_true", help="do not run openapi-python-client")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the fastest is kept")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 2, help="process-pool size for the pool variants"
    )
    parser.add_argument("--seed", type=int, default=0, help="corpus seed")
    parser.add_argument("--runtime-n", type=int, default=10_000, help="parses of the job-info example")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="also cProfile read+extract at this size")
    parser.add_argument("--no-seeds", action="store_true", help="skip the seed-provider figures (check, runtime)")
    parser.add_argument("--keep", help="work in this folder and keep it (default: a temp folder, removed)")
    parser.add_argument("--json", help="also write every raw figure to this JSON file")
    # worker mode (internal)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--pool", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--pool-kind", default="serial", help=argparse.SUPPRESS)
    parser.add_argument("--probe-workers", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--top", type=int, default=10, help=argparse.SUPPRESS)
    parser.add_argument("--package", action="append", default=[], help=argparse.SUPPRESS)
    parser.add_argument("--example", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=10_000, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe_workers:
        sys.path.insert(0, str(REPO))
        print("yes" if pipeline_has_workers() else "no")
        return 0
    if args.worker:
        sys.path.insert(0, str(REPO))
        run_worker(args)
        return 0

    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    extract_only = sorted({int(s) for s in args.extract_only.split(",") if s.strip()} - set(sizes))
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="docs2client-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    generation = renderer_status()
    if generation:
        print(f"generation columns n/a: {generation}", file=sys.stderr)
    try:
        results = [measure_size(n, work, args, n in extract_only, generation) for n in sorted(sizes + extract_only)]
        seeds = None if args.no_seeds else measure_seeds(work, args, generation)
        profile = None
        if args.profile:
            root = work / f"n{args.profile}"
            if not (root / "corpus.json").exists():
                synthetic.generate(root, args.profile, seed=args.seed).save()
            print(f"  [N={args.profile}] cProfile of read + extract", file=sys.stderr, flush=True)
            profile = worker("profile", root, "--top", "10")
        print(report(results, seeds, args, argv, (load_before, os.getloadavg())))
        if args.json:
            Path(args.json).write_text(json.dumps(raw(results, seeds, profile), indent=1, default=str), "utf-8")
        if profile is not None and profile.ok:
            print_profile(profile.data, args.profile)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"\n(kept {work})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
