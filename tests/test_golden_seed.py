"""Golden spec of seed 000 (cielo24 job_info, 2014-08-05), the one seed no provider in
pyproject.toml builds (the four providers' committed specs/ are checked by
test_check.py).  The golden file was read line by line against the seed page.

To update it after an intended change, run (and read the diff against the page):

    docs2client extract --provider cielo24 --title "cielo24 API (2014-08-05)" \\
        seeds/cielo24/2014-08-05/job_info.rst -o tests/golden/cielo24-2014-08-05.yaml
"""

from __future__ import annotations

import difflib

from generator.pipeline import extract
from generator.spec_yaml import dump_yaml

from conftest import REPO

GOLDEN = REPO / "tests/golden/cielo24-2014-08-05.yaml"


def test_seed_000_matches_its_reviewed_golden_spec() -> None:
    result = extract(
        "cielo24", [REPO / "seeds/cielo24/2014-08-05/job_info.rst"], root=REPO, title="cielo24 API (2014-08-05)"
    )
    actual = dump_yaml(result.spec)
    expected = GOLDEN.read_text("utf-8")
    diff = "\n".join(difflib.unified_diff(expected.splitlines(), actual.splitlines(), "golden", "extracted", lineterm=""))
    assert actual == expected, f"{diff}\n\nupdate command: see this module's docstring"
