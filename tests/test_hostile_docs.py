"""Hostile documentation pages → spec: nothing in a page may execute, expand without
bound, or become anything but text.

tests/fixtures/hostile_docs/ holds small hand-written pages whose titles, parameter
names, descriptions and examples carry YAML tags (``!!python/object/apply:os.system``),
anchors and aliases, Jinja syntax (``{{ 7*7 }}``, ``{% for x in range(10**9) %}``),
triple quotes, backslashes, ``</script>`` and keys like ``__proto__``/``__class__``;
JSON bombs are generated here (10 000 levels deep; ~1-2 MB wide).  Every spec
extracted from them must be plain YAML scalars (no tag emitted, ``safe_load`` gives
the exact strings back), hold only JSON data, validate and round-trip; a spec *file*
carrying a real ``!!python`` tag must be refused by ``load_yaml`` without running it.
(Rendering specs whose text is hostile is tests/hostile/'s subject; the end-to-end
test here only checks that doc text reaches generated code as inert text.)
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from fuzzing import (
    BUDGET,
    LONG_RUN,
    assert_plain,
    assert_spec_sound,
    extract_page,
    no_tags,
    timed,
)

from generator.extract import extract_provider
from generator.readers import parse_text
from generator.spec import SpecError, load_yaml
from generator.spec_yaml import dump_yaml

HOSTILE = Path(__file__).parent / "fixtures" / "hostile_docs"
PAGES = sorted(p for p in HOSTILE.iterdir() if p.is_file())

# Strings that must come back from the spec exactly (names, example values) or
# inside a longer text (descriptions).
EXACT = {
    "yaml_tags.md": [
        "!!python/object:__main__.Evil", "&anchor", "*alias", "__proto__", "__class__",
        "!!python/object/apply:os.system", "{{ 7*7 }}", "*a", "&a",
        "{% for x in range(10**9) %}{{ x }}{% endfor %}",
        "--- !!python/object/new:os.system [echo pwned]\n...",
        "2001-12-14t21:59:43.10-05:00", "0o777", "~", "yes", "no",
    ],
    "jinja.rst": [
        "{{ config.__class__.__init__.__globals__['os'].popen('id').read() }}",
        "{% include '/etc/passwd' %} {# never closed", '"""', "'''", "back\\slash", "\\", "</script>", "<!--",
        "__init__", "{% import os %}",
    ],
    "bombs.txt": ["&a [*a,*a]", "*b", "!!binary", "aGVsbG8=", "!!python/object/new:os.system [echo pwned]", "*d"],
}
INSIDE = {
    "yaml_tags.md": ['!!python/object/apply:os.system ["echo pwned"]', "&anchor [*anchor]", "%YAML 1.1 ---", "!!python/name:os.system"],
    "jinja.rst": ["{{ 7*7 }}", "{% for x in range(10**9) %}{{ x }}{% endfor %}", "{{ lipsum.__globals__.os.system('echo pwned') }}"],
    "bombs.txt": ['a: &a ["lol"', "[*c,*c,*c", "&id001 the bomb id *id001"],
}


def strings(data: Any) -> set[str]:
    found: set[str] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            found.add(node)
        elif isinstance(node, dict):
            found.update(k for k in node if isinstance(k, str))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def armed(text: str, marker: Path) -> str:
    """The page with every "echo pwned" turned into a command that would leave a file."""
    return text.replace("echo pwned", f"touch {marker}")


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_hostile_page_becomes_plain_text_in_the_spec(page: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = page.read_text("utf-8")
    spec, diagnostics = extract_page(armed(text, marker), f"docs/{page.name}", None)  # invariants + round trip
    assert spec.operations, [str(d) for d in diagnostics]
    yaml_text = dump_yaml(spec)
    assert no_tags(yaml_text)
    found = strings(yaml.safe_load(yaml_text))
    for needle in EXACT[page.name]:
        assert armed(needle, marker) in found, f"{needle!r} not a plain value of the spec"
    for needle in INSIDE[page.name]:
        assert any(armed(needle, marker) in s for s in found), f"{needle!r} lost from the spec text"
    loaded = load_yaml(yaml_text, "hostile.yaml")
    assert_plain(loaded.to_dict())
    assert not marker.exists()
    if page.name == "jinja.rst":  # GET /api/{{ 7*7 }}/run: no template of ours, so no operation
        assert [op.path for op in spec.operations] == ["/api/run"]
        assert any(d.level == "error" and "unbalanced or nested braces" in d.message for d in diagnostics)


def test_the_readers_open_no_other_file(tmp_path: Path) -> None:
    """``include``/``literalinclude``/``raw :file:`` name files; none is read."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", "utf-8")
    page = f".. include:: {secret}\n\n.. literalinclude:: {secret}\n\n.. raw:: html\n   :file: {secret}\n\n.. raw:: html\n   :url: file://{secret}\n"
    document = parse_text(page, "docs/include.rst", "rst")
    assert "TOP-SECRET-CONTENT" not in repr(document)


# ---------------------------------------------------------------- JSON bombs


def _deep(levels: int) -> str:
    return "[" * levels + "1" + "]" * levels


def _wide(target_bytes: int) -> str:
    """Billion-laughs shape within a size: lists of lists of "lol" (strict JSON)."""
    row = ["lol"] * 50
    rows = max(1, target_bytes // len(json.dumps(row)))
    return json.dumps([row] * rows)


def _bomb_pages(body: str) -> dict[str, tuple[str, str]]:
    http = "GET /bomb HTTP/1.1\nHost: api.example.com\n\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n"
    indented = "\n".join("   " + line for line in body.split("\n"))
    return {
        "markdown": ("bomb.md", f"# Bomb\n\n## GET /bomb\n\n### Response\n\n```json\n{body}\n```\n"),
        "rst": ("bomb.rst", f"Bomb\n====\n\n.. http:get:: /bomb\n\n**Response**\n\n.. code-block:: json\n\n{indented}\n"),
        "text": ("bomb.txt", f"Bomb\n\n{http}{body}\n"),
    }


@pytest.mark.parametrize("fmt", ["markdown", "rst", "text"])
def test_json_nested_ten_thousand_deep_is_a_warning(fmt: str) -> None:
    name, page = _bomb_pages(_deep(10_000))[fmt]
    spec, diagnostics = extract_page(page, name, None)
    assert any("deep" in d.message for d in diagnostics), [str(d) for d in diagnostics]
    assert all(r.example is None for op in spec.operations for r in op.responses)


def test_wide_json_bomb_stays_proportional() -> None:
    """A wide strict-JSON example is read (real ones are large: cielo24's element list
    is 440 KB) and the spec grows with it linearly, not more: no alias, no expansion.
    CI: 500 KB; the long run: 2 MB.  (The time goes to the pure-Python YAML dump and
    load of the spec, ~150 KB/s.)"""
    name, page = _bomb_pages(_wide(2_000_000 if LONG_RUN else 500_000))["markdown"]
    document = timed("reading the bomb", lambda: parse_text(page, name))
    spec, diagnostics = timed("extracting the bomb", lambda: extract_provider("bomb", [document]))
    yaml_text = assert_spec_sound(spec, BUDGET * (6 if LONG_RUN else 2))
    assert len(yaml_text) < 3 * len(page), (len(yaml_text), len(page))
    assert any(r.example for op in spec.operations for r in op.responses), [str(d) for d in diagnostics]


def test_large_json_that_needs_repair_is_refused_quickly() -> None:
    """The lenient (json5) path is slow per byte; large non-strict examples are skipped
    with a warning instead of stalling the run."""
    body = _wide(1_500_000)[:-1] + ",]"  # a trailing comma: not strict JSON
    name, page = _bomb_pages(body)["markdown"]
    _, diagnostics = extract_page(page, name, None)
    assert any("too large" in d.message for d in diagnostics), [str(d) for d in diagnostics]


# ---------------------------------------------------------------- spec files with real tags

VALID = "docs2client: 1\nprovider: evil\ntitle: {title}\noperations:\n- name: op\n  method: GET\n  path: /x\n  parameters: []\n  responses:\n  - status: '200'\n    example: {example}\n"
ATTACKS = [
    '!!python/object/apply:os.system ["touch {marker}"]',
    '!!python/object/new:os.system ["touch {marker}"]',
    "!!python/object/apply:subprocess.check_call [[touch, {marker}]]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/object:generator.spec.Spec {{provider: x}}",
    '!<tag:yaml.org,2002:python/object/apply:os.system> ["touch {marker}"]',
    "!custom value",
]


@pytest.mark.parametrize("where", ["title", "example", "document"])
@pytest.mark.parametrize("attack", ATTACKS, ids=[a.split()[0] for a in ATTACKS])
def test_spec_with_a_python_tag_is_refused_and_never_run(attack: str, where: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    payload = attack.format(marker=marker)
    if where == "document":
        text = f"--- {payload}\n"
    else:
        text = VALID.format(title=payload if where == "title" else "ok", example=payload if where == "example" else "1")
    with pytest.raises(SpecError) as info:
        timed("load_yaml", lambda: load_yaml(text, "specs/evil.yaml"))
    assert "\n" not in str(info.value) and str(info.value).startswith("specs/evil.yaml")
    assert not marker.exists()


@pytest.mark.parametrize(
    "value",
    ["!!binary aGVsbG8=", "!!set {a, b}", "!!float .nan", "!!float .inf", "!!omap [a: 1]", "!!pairs [a: 1]"],
)
def test_spec_values_that_are_not_json_are_refused(value: str) -> None:
    """A spec holds JSON values only: where the JSON Schema says nothing (examples),
    a safe-loader type that JSON lacks (bytes, set, NaN, ordered pairs) must still be
    refused, or the OpenAPI export and the generator get non-JSON data."""
    text = VALID.format(title="ok", example=value)
    try:
        spec = load_yaml(text, "specs/odd.yaml")
    except SpecError:
        return
    assert_plain(spec.to_dict())


def test_spec_with_an_alias_bomb_is_refused_quickly() -> None:
    """Specs never hold anchors (dump_yaml writes none); a hand-made alias bomb must
    fail fast instead of expanding 9**9 strings during validation."""
    anchors = "schemas:\n  A:\n    enum: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level in range(1, 9):
        anchors += f"  A{level}:\n    enum: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]\n"
    text = "docs2client: 1\nprovider: bomb\noperations: []\n" + anchors + "sources: [" + ", ".join(["*l8"] * 9) + "]\n"
    with pytest.raises(SpecError):
        timed("load_yaml of an alias bomb", lambda: load_yaml(text, "specs/bomb.yaml"), 2)


# ---------------------------------------------------------------- docs → spec → code


def test_hostile_doc_text_reaches_generated_code_as_inert_text(tmp_path: Path) -> None:
    from generator.render import render_provider

    marker = tmp_path / "pwned"
    documents = [parse_text(armed(p.read_text("utf-8"), marker), f"docs/{p.name}") for p in PAGES]
    spec, _ = extract_provider("hostile", documents)
    spec = load_yaml(dump_yaml(spec), "specs/hostile.yaml")
    files = timed("rendering", lambda: render_provider(spec, "specs/hostile.yaml"), BUDGET * 3)
    forbidden = {"system", "popen", "eval", "exec", "__import__", "check_call", "subprocess"}
    for path, text in files.items():
        if not path.endswith(".py"):
            continue
        tree = ast.parse(text, path)  # the page's quotes and backslashes did not break out
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                assert name not in forbidden, f"{path}: call to {name}"
    rendered = "\n".join(files.values())
    assert "{{ 7*7 }}" in rendered  # shown literally, never evaluated by Jinja
    assert not marker.exists()
