"""Large inputs: one very big page, and one provider with very many endpoints.

Run on demand (never part of the test suite):

    .venv/bin/python bench/large.py                       # 20 MB page, 10 000-endpoint provider
    .venv/bin/python bench/large.py --page-mb 5 --endpoints 2000   # a quick look

Each input goes through ``docs2client extract`` (docs → spec, no cache) in its own
subprocess, beside a peer measured in the same run: the bare docutils (RST) or
markdown-it (Markdown) parse of the same text, also in its own subprocess.  Printed:
wall and CPU seconds, peak resident memory, and the ratios ours / peer.

- *page*: cielo24-shaped RST endpoint pages from the synthetic corpus (bench/corpus.py)
  concatenated into one document of about ``--page-mb`` MB, so it declares many
  endpoints, tables and examples in one doctree.
- *provider*: ``--endpoints`` xplenty-shaped Markdown pages of one provider (Markdown
  keeps the run short; the RST reader's per-page cost is in run.py's figures).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import corpus as synthetic  # noqa: E402
from run import DOCUTILS_SETTINGS, Run, measured, tool  # noqa: E402

BARE = """
import sys
from pathlib import Path
files = [Path(p) for p in sys.argv[2:]]
if sys.argv[1] == "rst":
    from docutils.core import publish_doctree
    for f in files:
        publish_doctree(f.read_text("utf-8"), source_path=str(f), settings_overrides={settings!r})
else:
    from markdown_it import MarkdownIt
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    for f in files:
        md.parse(f.read_text("utf-8"))
"""


def big_page(root: Path, megabytes: float, seed: int) -> Path:
    """One RST page of about ``megabytes`` MB, made of synthetic cielo24 pages."""
    pages_dir = root / "pages"
    target = int(megabytes * 1_000_000)
    n = 64
    while True:
        made = synthetic.generate(pages_dir, n, seed=seed, shapes=("cielo",))
        texts = [(made.root / p).read_text("utf-8") for p in made.providers["synth_cielo"] if "overview" not in p]
        if sum(map(len, texts)) >= target:
            break
        n *= 2
    out = root / "big.rst"
    size = 0
    with out.open("w", encoding="utf-8") as stream:
        for text in texts:
            if size >= target:
                break
            stream.write(text + "\n\n")
            size += len(text) + 2
    return out


def many_pages(root: Path, endpoints: int, seed: int) -> list[Path]:
    made = synthetic.generate(root / "provider", endpoints, seed=seed, shapes=("xplenty",))
    return [made.root / p for p in made.providers["synth_xplenty"]]


def measure(kind: str, files: list[Path], work: Path) -> tuple[Run, Run, int]:
    ours = measured(
        [tool("docs2client"), "extract", "--provider", "big", "-q", "-o", str(work / f"{kind}.yaml"), *map(str, files)],
        cwd=work,
        env={**os.environ, "DOCS2CLIENT_CACHE": "off"},
    )
    if not ours.ok:
        print(f"  ! docs2client extract failed ({ours.code}): {ours.err.strip()[-400:]}", file=sys.stderr)
    fmt = "rst" if files[0].suffix == ".rst" else "md"
    script = BARE.format(settings=DOCUTILS_SETTINGS)
    peer = measured([sys.executable, "-c", script, fmt, *map(str, files)], cwd=work)
    if not peer.ok:
        print(f"  ! bare parse failed ({peer.code}): {peer.err.strip()[-400:]}", file=sys.stderr)
    operations = 0
    spec = work / f"{kind}.yaml"
    if spec.is_file():
        operations = sum(1 for line in spec.read_text("utf-8").splitlines() if line.startswith("- name: "))
    return ours, peer, operations


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page-mb", type=float, default=20.0)
    parser.add_argument("--endpoints", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="keep the inputs and specs here")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="docs2client-large-"))
    work.mkdir(parents=True, exist_ok=True)

    print(f"  making a {args.page_mb:g} MB page", file=sys.stderr, flush=True)
    page = big_page(work, args.page_mb, args.seed)
    print("  extracting it", file=sys.stderr, flush=True)
    rows = [("one page", page.stat().st_size, 1, *measure("page", [page], work))]
    print(f"  making a provider of {args.endpoints} endpoint pages", file=sys.stderr, flush=True)
    files = many_pages(work, args.endpoints, args.seed)
    print("  extracting it", file=sys.stderr, flush=True)
    rows.append(("one provider", sum(f.stat().st_size for f in files), len(files), *measure("provider", files, work)))

    print(f"\n`{' '.join(['.venv/bin/python', 'bench/large.py', *(argv or sys.argv[1:])])}` on "
          f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}\n")
    print("| input | size | pages | operations | docs2client extract: wall / CPU / peak | bare parse: wall / CPU / peak | wall × | CPU × | memory × |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, size, pages, ours, peer, operations in rows:
        print(
            f"| {name} | {size / 1e6:.1f} MB | {pages} | {operations} "
            f"| {ours.wall:.1f} s / {ours.cpu:.1f} s / {ours.rss_mib:.0f} MiB "
            f"| {peer.wall:.1f} s / {peer.cpu:.1f} s / {peer.rss_mib:.0f} MiB "
            f"| {ours.wall / peer.wall:.2f} | {ours.cpu / peer.cpu:.2f} | {ours.rss_mib / peer.rss_mib:.2f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
