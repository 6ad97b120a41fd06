"""The invariant: whatever the docs say, ``extract`` writes a spec that docs2client
loads and whose OpenAPI export is valid.  What would break it is dropped with an
error naming its ``file:line``; what can be kept is kept, with a warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, SEEDS
from fuzzing import assert_spec_sound

from generator.config import expand_docs
from generator.document import Diagnostic
from generator.extract import extract_provider
from generator.extract.validity import enforce
from generator.pipeline import extract
from generator.readers import parse_text
from generator.spec import Operation, Parameter, Spec

FAMILIES = ["cielo24", "xplenty-v1", "mastodon", "discord", "nova"]


def _messages(diagnostics: list[Diagnostic]) -> list[str]:
    return [str(d) for d in diagnostics]


def test_a_path_that_is_another_tools_template_is_dropped_with_an_error() -> None:
    spec = Spec("demo", operations=[
        Operation("upload", "PUT", "/{{storage_url}}/objects", source="a.md:4"),
        Operation("ok", "GET", "/objects/{object_id}", source="a.md:9"),
    ])
    diagnostics: list[Diagnostic] = []
    enforce(spec, diagnostics)
    assert [op.name for op in spec.operations] == ["ok"]
    assert _messages(diagnostics) == [
        "a.md:4: error: PUT /{{storage_url}}/objects: the path has unbalanced or nested braces "
        "(a template of another tool?); the operation is dropped"
    ]


def test_a_table_column_named_path_is_not_a_path_parameter() -> None:
    spec = Spec("demo", operations=[Operation("get", "GET", "/{account_id}/jobs", parameters=[
        Parameter("account_id", "path", True, source="a.md:5"),
        Parameter("path", "path", True, source="a.md:7"),
    ], source="a.md:3")])
    diagnostics: list[Diagnostic] = []
    enforce(spec, diagnostics)
    assert [p.name for p in spec.operations[0].parameters] == ["account_id"]
    assert _messages(diagnostics) == ["a.md:7: error: path parameter 'path' of get is not a variable of /{account_id}/jobs; it is dropped"]


def test_every_dangling_reference_of_a_named_schema_is_repaired() -> None:
    from generator.spec import Schema

    job = Schema(
        type="object",
        properties={
            "a": Schema(type="object", properties={"x": Schema(ref="Gone", source="docs/job.md:4")}),
            "b": Schema(type="array", items=Schema(ref="Lost", source="docs/job.md:9")),
            "c": Schema(ref="Job"),
            "d": Schema(type="timestamp"),  # not a JSON type: the repair walks on
        },
    )
    spec = Spec("demo", schemas={"Job": job})
    found: list[Diagnostic] = []
    enforce(spec, found)
    assert job.properties["a"].properties["x"].ref is None and job.properties["b"].items.ref is None  # type: ignore[union-attr]
    assert job.properties["c"].ref == "Job"
    assert sorted(str(d) for d in found) == [
        "docs/job.md:4: error: reference to the undefined schema 'Gone'; the value is left untyped",
        "docs/job.md:9: error: reference to the undefined schema 'Lost'; the value is left untyped",
    ]


def test_duplicate_rows_merge_keeping_required_and_both_descriptions() -> None:
    page = """# List Things

GET /things

| Name | Required | Description |
|------|----------|-------------|
| limit | no | Page size. |
| user id | no | Whose things. |
| limit | yes | At most 100. |
"""
    spec, diagnostics = extract_provider("demo", [parse_text(page, "things.md")])
    [op] = spec.operations
    [limit] = [p for p in op.parameters if p.name == "limit"]
    assert limit.required and limit.description == "Page size. At most 100."
    assert "things.md:9: warning: query parameter 'limit' of list_things is documented again here (first at things.md:7); the two are merged" in _messages(diagnostics)
    assert "things.md:8: warning: row 'user id' has a space in its name: read as a sub-heading, not as a parameter" in _messages(diagnostics)


def _corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (it lives beside the repo in CI)")
    return CORPUS


@pytest.mark.parametrize("family", FAMILIES)
def test_every_corpus_family_as_a_folder_gives_a_loadable_spec_and_valid_openapi(family: str) -> None:
    root = _corpus()
    result = extract(family.replace("-", "_"), [root / family], root=root, workers=1)
    assert result.spec.operations
    assert_spec_sound(result.spec, seconds=60)


def _pages() -> list[Path]:
    roots = [SEEDS] + ([CORPUS / f for f in FAMILIES] if CORPUS.is_dir() else [])
    return [page for root in roots for page in expand_docs([root])]


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.name)
def test_every_page_alone_gives_a_loadable_spec_and_valid_openapi(page: Path) -> None:
    result = extract("page", [page], root=page.parent, workers=1)
    assert_spec_sound(result.spec, seconds=30)
