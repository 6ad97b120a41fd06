"""The accuracy scorer counts what a human would: a small spec against a small hand
truth, each figure worked out by hand in the comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.accuracy import TruthError, load_truth, score
from generator.spec import Operation, Parameter, Response, Schema, Server, Spec

TRUTH = """
family: toy
root: corpus
docs: [toy]
files:
  - file: toy/widgets.md
    endpoints:
      - method: GET
        path: /v1/widgets
        line: 3
        labelled: true
        params:
          - {name: limit, in: query, required: false}
          - {name: sort, in: query, required: true}
          - {name: debug, in: query, required: false}
        status: [200]
        fields: [id, colour, size]
        enums:
          colour: [red, blue]
        doubt: [param:query/debug]
      - method: POST
        path: /v1/widgets/{widget_id}/paint
        line: 30
        labelled: true
        params:
          - {name: widget_id, in: path, required: true}
          - {name: colour, in: body, required: true}
        status: [201]
        fields: []
      - {method: DELETE, path: "/v1/widgets/{id}", line: 50}
  - file: toy/guide.md
    endpoints: []
"""


def _truth(tmp_path: Path, text: str = TRUTH):
    path = tmp_path / "toy.yaml"
    path.write_text(text)
    return load_truth(path)


def _spec() -> Spec:
    colour = Schema(type="string", enum=["red", "green"])
    listing = Schema(type="array", items=Schema(ref="Widget"))
    return Spec(
        provider="toy",
        servers=[Server(url="https://api.toy.test/v1")],
        operations=[
            Operation(
                "list_widgets", "GET", "/widgets",
                parameters=[
                    Parameter("limit", "query", required=False),
                    Parameter("sort", "query", required=False),  # wrong required flag
                    Parameter("debug", "query"),  # doubted: neither rewarded nor punished
                    Parameter("page", "query"),  # not documented: a false positive
                ],
                responses=[Response("200", schema=listing)],
                source="toy/widgets.md:3",
            ),
            Operation(
                "paint_widget", "POST", "/widgets/{id}/paint",  # another variable name: same endpoint
                parameters=[Parameter("id", "path", required=True)],
                responses=[Response("200")],
                source="toy/widgets.md:31",
            ),
            Operation("curl_option", "GET", "/-X", source="toy/guide.md:9"),  # not an endpoint
        ],
        schemas={"Widget": Schema(type="object", properties={"id": Schema(type="string"), "colour": colour})},
    )


def test_figures_are_the_hand_counted_ones(tmp_path: Path) -> None:
    result = score(_spec(), _truth(tmp_path))
    figures = result.counts.figures()
    # 3 endpoints listed, 2 found (DELETE missed); 3 operations, 1 of them no endpoint
    assert figures["endpoint_recall"] == pytest.approx(2 / 3)
    assert figures["endpoint_precision"] == pytest.approx(2 / 3)
    # params: GET tp limit, sort; fp page; (debug doubted).  POST: tp path #0, fn body colour
    # → tp 3, fp 1, fn 1 → F1 = 6 / 8
    assert figures["param_f1"] == pytest.approx(6 / 8)
    # required among the 3 matched: sort wrong → 2 / 3
    assert figures["required_accuracy"] == pytest.approx(2 / 3)
    # fields: GET wants id, colour, size; has id, colour → tp 2 fn 1; POST wants none, has none
    assert figures["field_f1"] == pytest.approx(4 / 5)
    # enums: colour red (tp), blue (fn), green (fp)
    assert figures["enum_f1"] == pytest.approx(2 / 4)
    # status: GET 200 right, POST 200 for a documented 201 wrong
    assert figures["status_accuracy"] == pytest.approx(1 / 2)
    kinds = sorted({f.kind for f in result.findings})
    assert kinds == ["extra-enum", "extra-operation", "extra-param", "missed-endpoint", "missed-enum", "missed-fields", "missed-param", "wrong-required", "wrong-status"]
    extra = next(f for f in result.findings if f.kind == "extra-operation")
    assert str(extra) == "toy/guide.md:9: extra-operation: GET /v1/-X (curl_option)"


def test_nothing_labelled_is_not_applicable_never_a_free_one(tmp_path: Path) -> None:
    truth = _truth(tmp_path, "family: toy\nroot: corpus\ndocs: [toy]\nfiles:\n  - file: toy/a.md\n    endpoints:\n      - {method: GET, path: /a}\n")
    spec = Spec(provider="toy", operations=[Operation("a", "GET", "/a", source="toy/a.md:1")])
    figures = score(spec, truth).counts.figures()
    assert figures["endpoint_recall"] == 1.0 and figures["endpoint_precision"] == 1.0
    assert figures["param_f1"] is None
    assert figures["required_accuracy"] is None
    assert figures["field_f1"] is None
    assert figures["enum_f1"] is None
    assert figures["status_accuracy"] is None
    assert score(Spec(provider="toy"), truth).counts.figures()["endpoint_precision"] is None


def test_the_same_method_and_path_twice_pairs_by_page_and_line(tmp_path: Path) -> None:
    text = """family: toy
root: corpus
docs: [toy]
files:
  - file: toy/a.rst
    endpoints:
      - {method: POST, path: "/servers/{id}/action", line: 10, labelled: true, params: [{name: reboot, in: body}]}
      - {method: POST, path: "/servers/{id}/action", line: 40, labelled: true, params: [{name: resize, in: body}]}
"""
    spec = Spec(provider="toy", operations=[
        Operation("resize", "POST", "/servers/{server_id}/action", parameters=[Parameter("resize", "body")], source="toy/a.rst:41"),
        Operation("reboot", "POST", "/servers/{server_id}/action", parameters=[Parameter("reboot", "body")], source="toy/a.rst:11"),
    ])
    figures = score(spec, _truth(tmp_path, text)).counts.figures()
    assert figures["endpoint_recall"] == 1.0
    assert figures["param_f1"] == 1.0


@pytest.mark.parametrize("broken, message", [
    ("family: toy\nroot: elsewhere\ndocs: []\nfiles: []\n", "root must be"),
    ("family: toy\nroot: corpus\ndocs: [toy]\nfiles:\n  - file: a.md\n    endpoints:\n      - {method: FETCH, path: /a}\n", "unknown method"),
    ("family: toy\nroot: corpus\ndocs: [toy]\nfiles:\n  - file: a.md\n    endpoints:\n      - {method: GET, path: a}\n", "must start with '/'"),
    ("family: toy\nroot: corpus\ndocs: [toy]\nfiles:\n  - file: a.md\n  - file: a.md\n", "listed twice"),
    ("family: toy\nroot: corpus\ndocs: [toy]\nfiles:\n  - file: a.md\n    endpoints:\n      - {method: GET, path: /a, params: [{name: x, in: cookie}]}\n", "bad param"),
])
def test_a_malformed_truth_file_is_an_error_naming_it(tmp_path: Path, broken: str, message: str) -> None:
    with pytest.raises(TruthError, match=message):
        _truth(tmp_path, broken)


def test_wire_names_and_nested_enums_count_as_the_documented_ones(tmp_path: Path) -> None:
    """A body field sent as ``cluster[nodes]`` is the documented ``nodes``; a labelled
    enum may constrain a nested field (Cloud Foundry's ``entity.status``); path
    variables are compared by position in the full path, server prefix included."""
    text = """family: toy
root: corpus
docs: [toy]
files:
  - file: toy/a.md
    endpoints:
      - method: POST
        path: "/{account_id}/api/clusters/{cluster_id}"
        labelled: true
        params: [{name: cluster_id, in: path, required: true}, {name: nodes, in: body}, {name: type, in: body}]
        enums: {status: [up, down]}
"""
    entity = Schema(type="object", properties={"status": Schema(type="string", enum=["up", "down"])})
    spec = Spec(
        provider="toy",
        servers=[Server(url="https://x.test/{account_id}/api")],
        operations=[Operation(
            "update", "POST", "/clusters/{id}",
            parameters=[Parameter("id", "path", True), Parameter("cluster[nodes]", "body"), Parameter("cluster[type]", "body")],
            responses=[Response("200", schema=Schema(type="object", properties={"entity": entity}))],
            source="toy/a.md:1",
        )],
    )
    figures = score(spec, _truth(tmp_path, text)).counts.figures()
    assert figures["param_f1"] == 1.0
    assert figures["enum_f1"] == 1.0
