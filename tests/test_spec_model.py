"""The spec model's YAML form: exact round trips, stable output, safe and strict loading."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.spec import (
    Operation,
    Parameter,
    Response,
    Schema,
    Spec,
    SpecError,
    load_yaml,
)
from generator.spec_yaml import dump_yaml

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "openapi").glob("*.yaml"))


def _load(path: Path) -> Spec:
    return load_yaml(path.read_text("utf-8"), str(path))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_round_trips_through_yaml(path: Path) -> None:
    spec = _load(path)
    text = dump_yaml(spec)
    assert load_yaml(text, "dumped") == spec
    assert dump_yaml(spec) == text  # byte-identical twice
    assert dump_yaml(load_yaml(text, "dumped")) == text  # and a fixed point


MINIMAL = """\
docs2client: 1
provider: demo
operations:
- name: get_thing
  method: GET
  path: /things/{thing_id}
  parameters:
  - name: thing_id
    in: path
    required: true
    schema:
      type: string
  responses:
  - status: '200'
    schema:
      $ref: '#/schemas/Thing'
schemas:
  Thing:
    type: object
"""


def test_minimal_spec_loads() -> None:
    spec = load_yaml(MINIMAL, "demo.yaml")
    assert spec.operation("get_thing").responses[0].schema == Schema(ref="Thing")


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("operations:", "endpoints:", "(top level)"),
        ("method: GET", "method: FETCH", "operations/0/method"),
        (
            "path: /things/{thing_id}",
            "path: /things/{thing_id}?expand=1",
            "operations/0/path",
        ),
        (
            "$ref: '#/schemas/Thing'",
            "$ref: '#/operations/0'",
            "operations/0/responses/0/schema/$ref",
        ),
    ],
    ids=[
        "missing-operations",
        "bad-method",
        "query-string-in-path",
        "ref-to-non-schema",
    ],
)
def test_load_yaml_rejects_invalid_specs_in_one_line(
    old: str, new: str, path: str
) -> None:
    text = MINIMAL.replace(old, new)
    assert text != MINIMAL
    with pytest.raises(SpecError) as info:
        load_yaml(text, "specs/demo.yaml")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("specs/demo.yaml")
    assert f" at {path}:" in message


def test_load_yaml_refuses_python_tags_without_running_them(tmp_path: Path) -> None:
    marker = tmp_path / "constructed"
    text = MINIMAL.replace(
        "  - name: thing_id\n",
        f"  - name: !!python/object/apply:os.system ['touch {marker}']\n",
    )
    with pytest.raises(SpecError) as info:
        load_yaml(text, "specs/demo.yaml")
    message = str(info.value)
    assert not marker.exists()
    assert "\n" not in message
    assert message.startswith("specs/demo.yaml:8: error:")
    assert " at operations/0/parameters/0/name:" in message
    assert "python/object/apply" in message


def test_load_yaml_reports_syntax_errors_in_one_line() -> None:
    with pytest.raises(SpecError) as info:
        load_yaml(MINIMAL + "  - [unclosed\n", "specs/demo.yaml")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("specs/demo.yaml:")


def test_yaml_timestamps_stay_strings() -> None:
    text = MINIMAL.replace(
        "    type: object\n", "    type: object\n    example: 2014-08-27\n"
    )
    spec = load_yaml(text, "demo.yaml")
    assert spec.schemas["Thing"].example == "2014-08-27"
    assert load_yaml(dump_yaml(spec), "dumped") == spec


def test_shared_schema_objects_are_written_out_without_anchors() -> None:
    shared = Schema(type="string", description="An ID.")
    spec = Spec(
        provider="demo",
        operations=[
            Operation(
                name=f"op_{i}",
                method="GET",
                path=f"/things/{i}",
                parameters=[Parameter("q", "query", schema=shared)],
                responses=[Response("200", schema=shared)],
            )
            for i in range(2)
        ],
        schemas={"Id": shared, "Other": shared},
    )
    text = dump_yaml(spec)
    events = list(yaml.parse(text))
    assert not any(isinstance(e, yaml.AliasEvent) for e in events)
    assert not any(getattr(e, "anchor", None) for e in events)
    assert load_yaml(text, "dumped") == spec


def _spec_with_description(text: str) -> Spec:
    return Spec(
        provider="demo", operations=[Operation("op", "GET", "/op", description=text)]
    )


def _description_line(dumped: str) -> str:
    return next(
        line for line in dumped.splitlines() if line.lstrip().startswith("description:")
    )


@pytest.mark.parametrize(
    "text",
    [
        "Line one.\nLine two.\n",
        "No final newline.\nSecond line",
        "Trailing spaces  \nand a tab\tinside\n",
        "\tStarts with a tab.\n\tAnd again.\t\n",
        "  Leading spaces.\n\n   \nBlank-ish lines above.\n\n",
        "Ends in blanks\n \t ",
        "Keeps # and : and - markers\n- like: this\n",
    ],
)
def test_multiline_descriptions_are_literal_blocks_and_round_trip(text: str) -> None:
    spec = _spec_with_description(text)
    dumped = dump_yaml(spec)
    assert _description_line(dumped).split("description: ", 1)[1].startswith("|")
    assert load_yaml(dumped, "dumped").operations[0].description == text


def test_next_line_character_round_trips() -> None:
    text = "Windows-1252 ellipsis decoded as Latin-1:\x85\nnext line"
    spec = _spec_with_description(text)
    assert load_yaml(dump_yaml(spec), "dumped") == spec


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=40),
    st.text(st.sampled_from(" \t\n\r\x85\u2028ab#:-'\"|>"), max_size=40),
)
def test_any_text_round_trips(any_text: str, tricky: str) -> None:
    spec = Spec(
        provider="demo",
        title=any_text,
        operations=[
            Operation(
                "op",
                "GET",
                "/op",
                description=tricky,
                summary=any_text,
                parameters=[
                    Parameter(
                        "p",
                        "query",
                        schema=Schema(enum=[tricky, any_text], example=tricky),
                    )
                ],
            )
        ],
    )
    assert load_yaml(dump_yaml(spec), "dumped") == spec


def test_dump_with_memo_is_the_same_text_and_re_emits_only_what_changed() -> None:
    repo = Path(__file__).resolve().parents[1]
    paths = [*FIXTURES, *sorted((repo / "specs").glob("*.yaml")), repo / "tests/hostile/hostile.yaml"]
    for path in [p for p in paths if not p.name.endswith(".overrides.yaml")]:
        spec = _load(path)
        memo: dict[str, str] = {}
        assert dump_yaml(spec, memo) == dump_yaml(spec) == _whole(spec), path
        assert len(memo) == len(spec.operations) + len(spec.schemas)
        if not spec.operations:
            continue
        kept = dict(memo)
        spec.operations[0].description += "\nedited  \n\tand indented"
        assert dump_yaml(spec, memo) == _whole(spec), path
        assert len(set(memo) - set(kept)) == 1  # one operation emitted again


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30), st.text(st.sampled_from(" \t\n\x85ab#:-'\"|>{}[]&*!"), max_size=30))
def test_dump_with_memo_equals_the_whole_dump_for_any_text(any_text: str, tricky: str) -> None:
    spec = Spec(
        provider="demo",
        operations=[Operation(any_text or "op", "GET", "/op", description=tricky), Operation("b", "GET", tricky)],
        schemas={tricky: Schema(description=any_text), "x": Schema(enum=[tricky])},
    )
    assert dump_yaml(spec, {}) == dump_yaml(spec) == _whole(spec)


def _whole(spec: Spec) -> str:
    """One PyYAML dump of the whole document, as dump_yaml was first written."""
    from generator.spec_yaml import _dump

    return _dump(spec.to_dict(), fast=False)


_ALPHABET = st.sampled_from(list("      aaaaabbb\n\n\r\t\x0b\x85\u2028#:-'\"|>{}[]&*!%@`?,é\u00a0漢😀\\/=~"))
_JSONISH = st.recursive(
    st.one_of(st.text(_ALPHABET, max_size=200), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(_ALPHABET, max_size=12), inner, max_size=4)),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(_JSONISH)
def test_the_fast_yaml_emitter_is_used_only_where_it_writes_the_same_text(value: object) -> None:
    from generator.spec_yaml import _dump

    data = {"operations": [value]}
    assert _dump(data) == _dump(data, fast=False)


def test_the_fast_yaml_emitter_writes_the_committed_specs() -> None:
    from generator.spec_yaml import _CDumper, _dump, _plain

    if _CDumper is None:
        pytest.skip("PyYAML was built without libyaml here")
    repo = Path(__file__).resolve().parents[1]
    for path in sorted((repo / "specs").glob("*.yaml")):
        data = load_yaml(path.read_text("utf-8"), str(path)).to_dict()
        assert _plain(data), path  # the seeds take the fast path ...
        assert _dump(data) == _dump(data, fast=False) == path.read_text("utf-8")  # ... to the same bytes


@settings(max_examples=300, deadline=None)
@given(_JSONISH)
def test_the_fast_yaml_loader_reads_what_pyyaml_reads(value: object) -> None:
    import generator.spec as spec_module

    from generator.spec_yaml import _dump

    text = _dump({"operations": [value]}, fast=False)

    def outcome(load):  # type: ignore[no-untyped-def]
        try:
            return load()
        except yaml.YAMLError as exc:  # e.g. infinity: refused by both, in the same words
            return str(exc)

    assert outcome(lambda: spec_module._load(text)) == outcome(lambda: yaml.load(text, Loader=spec_module._Loader))


def test_the_fast_yaml_loader_is_the_one_that_reads_the_committed_specs(monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.spec as spec_module

    if spec_module._CLoader is None:
        pytest.skip("PyYAML was built without libyaml here")

    class Refuse(spec_module._Loader):
        def __init__(self, stream: str) -> None:
            raise AssertionError("fell back to the pure-Python loader")

    monkeypatch.setattr(spec_module, "_Loader", Refuse)
    repo = Path(__file__).resolve().parents[1]
    for path in sorted((repo / "specs").glob("*.yaml")):
        if not path.name.endswith(".overrides.yaml"):
            assert load_yaml(path.read_text("utf-8"), str(path)).provider == path.stem
