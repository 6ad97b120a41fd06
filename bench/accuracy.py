"""Extraction accuracy per documentation family, against the hand-labelled truth in
``tests/accuracy/truth/``.

    .venv/bin/python bench/accuracy.py [--family NAME ...] [--details] [--json]

Each family is extracted as a user would run it (one provider pointed at the
family's docs folder), then scored: endpoint recall and precision, parameter F1
(name + location), required accuracy, response-field F1, enum F1 and success-status
accuracy.  "n/a" means nothing was labelled for that figure.  ``--details`` lists
every miss and extra with ``file:line``.  Families whose docs are absent (the shared
corpus lives beside the checkout) are skipped, saying so.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.accuracy import (  # noqa: E402
    Counts,
    Score,
    extract_family,
    load_truth,
    score,
    total,
    truth_root,
)

TRUTH = REPO / "tests" / "accuracy" / "truth"
COLUMNS = [
    ("endpoint_recall", "recall"),
    ("endpoint_precision", "precision"),
    ("param_f1", "param F1"),
    ("required_accuracy", "required"),
    ("field_f1", "field F1"),
    ("enum_f1", "enum F1"),
    ("status_accuracy", "status"),
]


def run(families: list[str] | None = None) -> tuple[list[Score], list[str]]:
    """Scores of every truth family found (or of ``families``), and the skip notes."""
    scores: list[Score] = []
    skipped: list[str] = []
    for path in sorted(TRUTH.glob("*.yaml")):
        truth = load_truth(path)
        if families and truth.family not in families:
            continue
        root = truth_root(truth, REPO)
        if not all((root / d).exists() for d in truth.docs):
            skipped.append(f"{truth.family}: skipped, docs not found under {root}")
            continue
        spec, _ = extract_family(truth, root)
        scores.append(score(spec, truth))
    return scores, skipped


def _cell(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def table(scores: list[Score]) -> str:
    rows = [(s.family, s.counts) for s in scores]
    if len(scores) > 1:
        rows.append(("overall", total(scores)))
    header = ["family", "endpoints", *[title for _, title in COLUMNS]]
    lines = [header]
    for family, counts in rows:
        figures = counts.figures()
        lines.append([family, str(counts.endpoints), *[_cell(figures[key]) for key, _ in COLUMNS]])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = ["| " + " | ".join(cell.ljust(w) for cell, w in zip(line, widths)) + " |" for line in lines]
    out.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(out)


def as_json(scores: list[Score]) -> dict[str, object]:
    def entry(counts: Counts) -> dict[str, object]:
        return {"figures": counts.figures(), "counts": {k: getattr(counts, k) for k in counts.__dataclass_fields__}}

    out: dict[str, object] = {s.family: entry(s.counts) for s in scores}
    out["overall"] = entry(total(scores))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--family", action="append", help="score only this family (repeatable)")
    parser.add_argument("--details", action="store_true", help="list every miss and extra with file:line")
    parser.add_argument("--json", action="store_true", help="the same figures as JSON")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    scores, skipped = run(args.family)
    for note in skipped:
        print(note, file=sys.stderr)
    if args.json:
        print(json.dumps(as_json(scores), indent=2, sort_keys=True))
        return 0
    if args.details:
        for item in scores:
            print(f"## {item.family}")
            for finding in sorted(item.findings, key=lambda f: (f.kind, f.where)):
                print(finding)
            print()
    print(table(scores))
    print(f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
