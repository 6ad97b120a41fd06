"""Extraction accuracy never falls: each family's figures (``bench/accuracy.py``,
against the hand-labelled truth in ``tests/accuracy/truth``) stay at or above the
floors in ``tests/accuracy/floors.yaml``, which are raised as extraction improves and
never lowered."""

from __future__ import annotations

import pytest
import yaml
from conftest import REPO, bench_module

FLOORS = yaml.safe_load((REPO / "tests" / "accuracy" / "floors.yaml").read_text("utf-8"))


@pytest.fixture(scope="module")
def scores() -> dict[str, dict[str, float | None]]:
    found, skipped = bench_module("accuracy.py").run()
    return {s.family: s.counts.figures() for s in found} | {note.split(":")[0]: {} for note in skipped}


def test_every_labelled_family_has_floors() -> None:
    families = {yaml.safe_load(p.read_text("utf-8"))["family"] for p in (REPO / "tests" / "accuracy" / "truth").glob("*.yaml")}
    assert families == set(FLOORS)


@pytest.mark.parametrize("family", sorted(FLOORS))
def test_family_stays_at_or_above_its_floors(family: str, scores: dict[str, dict[str, float | None]]) -> None:
    figures = scores[family]
    if not figures:
        pytest.skip(f"{family}: its docs are not here (the shared corpus lives beside the repo in CI)")
    below = {
        metric: (figures.get(metric), floor)
        for metric, floor in FLOORS[family].items()
        if figures.get(metric) is None or figures[metric] + 1e-9 < floor
    }
    assert not below, f"{family} fell below its floors (measured, floor): {below}"
