"""``docs2client build`` / ``check``: committed outputs match the docs, staleness is
named per file, a no-op check never formats code, and one bad provider does not
stop the others."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build_all, check_all
from generator.build import provider_output as _ORIGINAL_PROVIDER_OUTPUT
from generator.cache import Cache
from generator.config import load_config

from conftest import REPO


def project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(REPO / "seeds", root / "seeds")
    return root


def test_committed_specs_and_generated_tree_are_up_to_date() -> None:
    """What a fresh clone holds is exactly what the docs give (the CI gate)."""
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "check"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_touching_a_seed_doc_makes_check_fail_naming_the_files(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    config = load_config(root / "pyproject.toml")
    cache = Cache(tmp_path / "cache")
    assert build_all(config, cache=cache).exit_code == 0
    assert check_all(config, cache=cache).exit_code == 0

    page = root / "seeds/textking/get-job.txt"
    page.write_text(page.read_text().replace("| 404 Not Found |", "| 410 Gone |"))
    result = check_all(config, cache=cache, diff=True)
    assert result.exit_code == 1
    text = "\n".join(result.summary)
    assert "specs/textking.yaml: stale" in text
    assert "+  - status: '410'" in text  # the unified diff
    assert not any(line.startswith("specs/cielo24.yaml") for line in result.summary)

    assert build_all(config, cache=cache).exit_code == 0
    assert check_all(config, cache=cache).exit_code == 0


def test_second_build_changes_nothing(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    config = load_config(root / "pyproject.toml")
    build_all(config, cache=Cache(None))
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    result = build_all(config, cache=Cache(None))
    assert all("(unchanged)" in line or "(0 changed)" in line for line in result.summary), result.summary
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert before == after


def test_noop_check_does_not_run_black(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project_copy(tmp_path)
    config = load_config(root / "pyproject.toml")
    cache = Cache(tmp_path / "cache")
    build_all(config, cache=cache)
    import black

    def refuse(*args: object, **kwargs: object) -> str:
        raise AssertionError("black ran during a no-op check")

    monkeypatch.setattr(black, "format_str", refuse)
    assert check_all(config, cache=cache).exit_code == 0


def test_one_unreadable_provider_does_not_lose_the_others(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    (root / "seeds/xplenty/get-job-information.md").write_bytes(b"\x00\x01binary")
    config = load_config(root / "pyproject.toml")
    result = build_all(config, cache=Cache(None))
    assert result.exit_code == 2
    assert any(d.level == "error" and d.path.endswith("get-job-information.md") for d in result.diagnostics)
    for name in ("cielo24", "cloudfoundry", "textking"):
        assert (root / f"specs/{name}.yaml").is_file()
        assert (root / f"generated/{name}/{name}_client/_client.py").is_file()


def test_override_survives_re_extraction_and_dangling_override_warns(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    (root / "specs").mkdir()
    (root / "specs/cloudfoundry.overrides.yaml").write_text(
        "servers: [{url: 'https://api.run.example-cf.io'}]\n"
        "operations:\n"
        "  retrieve_job_error_message:\n"
        "    parameters:\n"
        "      path/guid: {description: The job's GUID}\n"
        "  no_such_operation:\n"
        "    summary: gone\n"
    )
    config = load_config(root / "pyproject.toml")
    result = build_all(config, providers=["cloudfoundry"], cache=Cache(None))
    assert result.exit_code == 0
    warnings = [str(d) for d in result.diagnostics if d.level == "warning"]
    assert any(w.startswith("specs/cloudfoundry.overrides.yaml:6: warning:") and "no_such_operation" in w for w in warnings), warnings
    spec = (root / "specs/cloudfoundry.yaml").read_text()
    assert "url: https://api.run.example-cf.io" in spec
    assert "description: The job's GUID\n" in spec
    assert "source: override:specs/cloudfoundry.overrides.yaml:5" in spec

    page = root / "seeds/cloudfoundry/retrieve-job.rst"
    page.write_text(page.read_text().replace("The guid of the job.", "The job guid."))
    build_all(config, providers=["cloudfoundry"], cache=Cache(None))
    assert "description: The job's GUID\n" in (root / "specs/cloudfoundry.yaml").read_text()

    strict = build_all(config, providers=["cloudfoundry"], cache=Cache(None), strict=True)
    assert strict.exit_code == 1
    assert any(d.level == "error" and "no_such_operation" in d.message for d in strict.diagnostics)


def test_build_writes_a_changelog_entry_from_the_spec_diff(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    config = load_config(root / "pyproject.toml")
    build_all(config, providers=["cielo24"], cache=Cache(None))
    changelog = root / "generated/cielo24/CHANGELOG.md"
    assert not changelog.exists()  # first build: nothing to compare with

    # the provider's docs go back to the 2014 page: the job details become a task list again
    new = root / "seeds/cielo24/2015-09-08/job_info.rst"
    new.write_bytes((root / "seeds/cielo24/2014-08-05/job_info.rst").read_bytes())
    build_all(config, providers=["cielo24"], cache=Cache(None))
    text = changelog.read_text()
    assert text.startswith("<!-- Generated by docs2client from specs/cielo24.yaml;")
    assert "\n# Changelog of cielo24-client\n" in text and "\n## 0.2.0\n" in text
    assert "**Breaking**" in text and "job_info / response 200 / MediaLengthSeconds: field `MediaLengthSeconds` removed" in text
    assert "**Other changes**" in text and "job_info / response 200 / Tasks: field `Tasks` added" in text
    assert check_all(config, providers=["cielo24"], cache=Cache(None)).exit_code == 0  # not a stale file

    build_all(config, providers=["cielo24"], cache=Cache(None))
    assert changelog.read_text() == text  # no change, no entry


def test_rebuild_after_one_page_changed_extracts_only_that_provider_and_matches_a_cold_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.build as build_module

    root = project_copy(tmp_path)
    config = load_config(root / "pyproject.toml")
    cache = Cache(tmp_path / "cache")
    build_all(config, cache=cache)

    extracted: list[str] = []
    original = build_module.extract

    def counting(provider: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        extracted.append(provider)
        return original(provider, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "extract", counting)
    new = root / "seeds/cielo24/2015-09-08/job_info.rst"
    new.write_bytes((root / "seeds/cielo24/2014-08-05/job_info.rst").read_bytes())
    build_all(config, cache=cache)
    assert extracted == ["cielo24"]
    warm = {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert b"field `MediaLengthSeconds` removed" in warm[Path("generated/cielo24/CHANGELOG.md")]

    # the same tree as a build with no cache at all from the same history
    (tmp_path / "cold").mkdir()
    cold_root = project_copy(tmp_path / "cold")
    cold_config = load_config(cold_root / "pyproject.toml")
    build_all(cold_config, cache=Cache(None))
    (cold_root / "seeds/cielo24/2015-09-08/job_info.rst").write_bytes(new.read_bytes())
    build_all(cold_config, cache=Cache(None))
    cold = {p.relative_to(cold_root): p.read_bytes() for p in cold_root.rglob("*") if p.is_file()}
    assert warm == cold


def test_a_cached_rebuild_reports_the_same_warnings_as_the_first(tmp_path: Path) -> None:
    from test_bench_corpus import corpus_module

    corpus = corpus_module.generate(tmp_path / "project", 12, seed=3)
    corpus.write_pyproject()
    config = load_config(corpus.root / "pyproject.toml")
    cache = Cache(tmp_path / "cache")
    first = [str(d) for d in build_all(config, cache=cache).diagnostics]
    again = [str(d) for d in build_all(config, cache=cache).diagnostics]
    assert any("is generated as" in line for line in first)  # a rename warning from the render step
    assert again == first


def test_a_run_killed_before_writing_the_spec_does_not_repeat_the_changelog_entry(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    config = load_config(root / "pyproject.toml")
    build_all(config, providers=["cielo24"], cache=Cache(None))
    spec = root / "specs/cielo24.yaml"
    old_spec = spec.read_bytes()
    new = root / "seeds/cielo24/2015-09-08/job_info.rst"
    new.write_bytes((root / "seeds/cielo24/2014-08-05/job_info.rst").read_bytes())
    build_all(config, providers=["cielo24"], cache=Cache(None))
    changelog = root / "generated/cielo24/CHANGELOG.md"
    once = changelog.read_text()
    assert "MANIFEST" not in once and "CHANGELOG.md" not in (root / "generated/cielo24/.docs2client-manifest").read_text()

    spec.write_bytes(old_spec)  # the package was swapped in, then the run died
    build_all(config, providers=["cielo24"], cache=Cache(None))
    assert changelog.read_text() == once
    assert spec.read_bytes() != old_spec


def test_providers_built_side_by_side_give_the_same_result_as_one_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.build as build_module

    results = {}
    for mode in ("serial", "parallel"):
        (tmp_path / mode).mkdir()
        root = project_copy(tmp_path / mode)
        config = load_config(root / "pyproject.toml")
        if mode == "parallel":  # the seeds are too small to choose it on their own
            monkeypatch.setattr(build_module, "PARALLEL_MIN_BYTES", 0)
            monkeypatch.setattr(build_module, "_docs_bytes", lambda provider: 1)
            monkeypatch.setattr(build_module.os, "cpu_count", lambda: 2)
        messages: list[str] = []
        cache = Cache(tmp_path / f"cache-{mode}")
        first = build_all(config, cache=cache, progress=messages.append)
        assert any("4 providers, 2 at a time" in m for m in messages) == (mode == "parallel")
        # two providers change: those two run side by side, the two cached ones in this process
        for page in ("seeds/textking/get-job.txt", "seeds/xplenty/get-job-information.md"):
            (root / page).write_text((root / page).read_text().replace("job", "task", 1))
        messages.clear()
        second = build_all(config, cache=cache, progress=messages.append)
        assert any("2 providers, 2 at a time" in m for m in messages) == (mode == "parallel")
        files = {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}
        results[mode] = [(r.exit_code, r.summary, [str(d) for d in r.diagnostics]) for r in (first, second)], files
    assert results["parallel"] == results["serial"]


_PARENT: list[int] = []  # the pid the test runs in, seen by forked workers


def _provider_output_or_die(*args, **kwargs):  # type: ignore[no-untyped-def]
    """provider_output, except for textking in a worker process, which it kills (as
    an out-of-memory kill would).  Module level, so the pool can send it by name."""
    import os

    if os.getpid() not in _PARENT and args[1].name == "textking":
        os._exit(9)
    return _ORIGINAL_PROVIDER_OUTPUT(*args, **kwargs)


def test_a_provider_whose_worker_dies_is_built_in_the_main_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    import generator.build as build_module

    root = project_copy(tmp_path)
    config = load_config(root / "pyproject.toml")
    expected = build_all(config, cache=Cache(None))
    shutil.rmtree(root / "generated")
    shutil.rmtree(root / "specs")

    _PARENT[:] = [os.getpid()]
    monkeypatch.setattr(build_module, "provider_output", _provider_output_or_die)
    monkeypatch.setattr(build_module, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(build_module, "_docs_bytes", lambda provider: 1)
    monkeypatch.setattr(build_module.os, "cpu_count", lambda: 2)
    result = build_all(config, cache=Cache(tmp_path / "cache"))
    assert (result.exit_code, result.summary) == (expected.exit_code, expected.summary)
    assert (root / "generated/textking/textking_client/_client.py").is_file()


def _parse_one_or_die(page: tuple[bytes, str]):  # type: ignore[no-untyped-def]
    """The pipeline's page parser, except in a worker process, which it kills."""
    import os

    from generator.readers import read_bytes

    if os.getpid() not in _PARENT:
        os._exit(9)
    return read_bytes(*page)


def test_a_dead_parsing_worker_does_not_lose_the_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import generator.pipeline as pipeline

    pages = sorted((REPO / "seeds").rglob("*.*"))
    pages = [p for p in pages if p.suffix in (".rst", ".md", ".txt")]
    expected, _, _ = pipeline.read_documents(pages, REPO, workers=1)
    _PARENT[:] = [os.getpid()]
    monkeypatch.setattr(pipeline, "_parse_one", _parse_one_or_die)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_PAGES", 2)
    documents, diagnostics, unreadable = pipeline.read_documents(pages, REPO, workers=2)
    assert [d.path for d in documents] == [d.path for d in expected] and len(documents) == len(pages)
    assert not unreadable


def _mark_slowly(marker: str) -> str:
    """A pool task that leaves a trace of having run."""
    import time

    time.sleep(0.1)
    Path(marker).touch()
    return marker


def test_a_pool_whose_caller_stops_early_does_not_finish_the_batch(tmp_path: Path) -> None:
    """Parsed pages stream out of the pool; when the reader stops (an error, Ctrl-C)
    the pages not yet started are dropped instead of parsed for nobody."""
    from generator.pool import imap_in_processes

    markers = [str(tmp_path / f"{i}.done") for i in range(40)]
    results = imap_in_processes(_mark_slowly, markers, workers=2)
    assert next(results) == markers[0]
    results.close()
    assert 1 <= len(list(tmp_path.iterdir())) < 10


def test_a_changed_included_file_makes_the_cached_provider_stale(tmp_path: Path) -> None:
    """The cache keeps whole providers by their pages' bytes; a JSON example or a
    definitions file that a page includes is an input too (os-api-ref's samples)."""
    root = tmp_path / "project"
    docs = root / "docs"
    (docs / "samples").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[tool.docs2client]\nspecs = "specs"\ngenerated = "generated"\n\n'
        '[tool.docs2client.providers.flavors]\ndocs = ["docs"]\nbase_url = "https://compute.test"\n'
    )
    (docs / "parameters.yaml").write_text("limit:\n  in: query\n  required: false\n  type: integer\n  description: Page size.\n")
    (docs / "samples" / "list.json").write_text('{"flavors": [{"id": "1"}]}')
    (docs / "flavors.inc").write_text(
        "List Flavors\n============\n\n.. rest_method:: GET /flavors\n\nNormal response codes: 200\n\n"
        "Request\n-------\n\n.. rest_parameters:: parameters.yaml\n\n  - limit: limit\n\n"
        "Response\n--------\n\n.. literalinclude:: samples/list.json\n   :language: javascript\n"
    )
    config = load_config(root / "pyproject.toml")
    cache = Cache(tmp_path / "cache")
    assert build_all(config, cache=cache).exit_code == 0
    assert check_all(config, cache=cache).exit_code == 0
    (docs / "samples" / "list.json").write_text('{"flavors": [{"id": "1", "name": "tiny"}]}')
    stale = check_all(config, cache=cache, diff=True)
    assert stale.exit_code == 1 and "specs/flavors.yaml: stale" in "\n".join(stale.summary)
    assert build_all(config, cache=cache).exit_code == 0
    (docs / "parameters.yaml").write_text("limit:\n  in: query\n  required: true\n  type: integer\n  description: Page size.\n")
    assert check_all(config, cache=cache).exit_code == 1

def test_a_cold_check_proves_the_committed_tree_current_without_black(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh CI runner has no cache: the manifest records, per file, the digest of
    the render black made it from, so check renders and compares digests instead of
    formatting again; and it still catches a hand edit and a doc change."""
    import black

    from generator import formatting
    from generator.files import MANIFEST, Manifest

    root = project_copy(tmp_path)
    config = load_config(root / "pyproject.toml")
    assert build_all(config, cache=Cache(tmp_path / "build-cache")).exit_code == 0
    entries = Manifest.read(root / "generated/xplenty").entries
    assert entries["xplenty_client/_runtime.py"][1]  # formatted from a recorded render
    assert entries["README.md"][1] == ""  # nothing formatted

    calls: list[str] = []
    original = black.format_str

    def counting(text: str, **kwargs: object) -> str:
        calls.append(text)
        return original(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(black, "format_str", counting)
    monkeypatch.setattr(formatting, "_MEMORY", {})  # as in a new process
    assert check_all(config, cache=Cache(tmp_path / "cold-1")).exit_code == 0
    assert calls == []

    module = root / "generated/xplenty/xplenty_client/resources/jobs.py"
    module.write_text(module.read_text().replace("locals())", "locals())  # edited", 1))
    monkeypatch.setattr(formatting, "_MEMORY", {})
    result = check_all(config, cache=Cache(tmp_path / "cold-2"))
    assert result.exit_code == 1
    assert "generated/xplenty/xplenty_client/resources/jobs.py: stale (differs from what the docs give now)" in result.summary
    assert not any(line.startswith("generated/cielo24") for line in result.summary)

    assert build_all(config, cache=Cache(tmp_path / "build-cache")).exit_code == 0
    page = root / "seeds/xplenty/get-job-information.md"
    page.write_text(page.read_text().replace("the numeric job ID", "the job's number"))
    monkeypatch.setattr(formatting, "_MEMORY", {})
    result = check_all(config, cache=Cache(tmp_path / "cold-3"))
    assert result.exit_code == 1
    assert "generated/xplenty/xplenty_client/resources/jobs.py: stale (differs from what the docs give now)" in result.summary
    assert (root / "generated/xplenty" / MANIFEST).is_file()


def test_a_cold_check_never_caches_what_it_took_on_trust(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit of a file together with its recorded digest passes a cold check (it
    trusts the manifest), but never reaches the cache: the next build repairs it."""
    from generator import formatting
    from generator.files import MANIFEST, file_digest

    root = project_copy(tmp_path)
    config = load_config(root / "pyproject.toml")
    build_all(config, providers=["xplenty"], cache=Cache(None))
    module = root / "generated/xplenty/xplenty_client/resources/jobs.py"
    before = module.read_text()
    edited = before.replace("locals())", "locals())  # edited", 1)
    module.write_text(edited)
    manifest = root / "generated/xplenty" / MANIFEST
    manifest.write_text(manifest.read_text().replace(file_digest(before), file_digest(edited)))
    cache = Cache(tmp_path / "cache")
    monkeypatch.setattr(formatting, "_MEMORY", {})  # as in a new process
    assert check_all(config, providers=["xplenty"], cache=cache).exit_code == 0
    monkeypatch.setattr(formatting, "_MEMORY", {})
    build_all(config, providers=["xplenty"], cache=cache)
    assert module.read_text() == before


def test_a_cold_check_takes_the_spec_on_the_manifests_word_only_when_both_digests_match(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a cache, check does not dump the spec's YAML again when the package's
    manifest records the digest of the data the committed spec was written from
    and the spec file still has the recorded text; a hand edit of the spec and a
    doc change are still caught, and what was taken on trust is never cached."""
    from generator import build
    from generator.files import MANIFEST, file_digest

    root = project_copy(tmp_path)
    config = load_config(root / "pyproject.toml")
    assert build_all(config, providers=["xplenty"], cache=Cache(None)).exit_code == 0
    spec_file = root / "specs/xplenty.yaml"
    committed = spec_file.read_text()
    assert "# spec-source " in (root / "generated/xplenty" / MANIFEST).read_text()

    def no_dump(*args: object, **kwargs: object) -> str:
        raise AssertionError("the spec was dumped again")

    with monkeypatch.context() as patched:
        patched.setattr(build, "dump_yaml", no_dump)
        assert check_all(config, providers=["xplenty"], cache=Cache(tmp_path / "cold-1")).exit_code == 0

    edited = committed.replace("numeric job ID", "numeric job id", 1)
    assert edited != committed
    spec_file.write_text(edited)
    result = check_all(config, providers=["xplenty"], cache=Cache(tmp_path / "cold-2"))
    assert result.exit_code == 1
    assert "specs/xplenty.yaml: stale (differs from what the docs give now)" in result.summary

    # an edit together with its recorded digest is taken on trust, never cached
    manifest = root / "generated/xplenty" / MANIFEST
    manifest.write_text(manifest.read_text().replace(file_digest(committed), file_digest(edited)))
    cache = Cache(tmp_path / "cold-3")
    assert check_all(config, providers=["xplenty"], cache=cache).exit_code == 0
    build_all(config, providers=["xplenty"], cache=cache)
    assert spec_file.read_text() == committed

    page = root / "seeds/xplenty/get-job-information.md"
    page.write_text(page.read_text().replace("the numeric job ID", "the job's number"))
    result = check_all(config, providers=["xplenty"], cache=Cache(tmp_path / "cold-4"))
    assert result.exit_code == 1
    assert "specs/xplenty.yaml: stale (differs from what the docs give now)" in result.summary


def test_the_spec_source_digest_follows_the_data_and_the_dumper_not_the_rest_of_the_tool(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The manifest's spec-source line must not change with every change of
    docs2client (every committed manifest would go stale), only with what the
    spec's text is made from; a build (from the keys of its dump) and a check
    (from the data alone) must compute the same digest."""
    from generator import cache
    from generator.spec import Operation, Schema, Spec
    from generator.spec_yaml import data_digest, dump_yaml

    spec = Spec(
        "shop",
        operations=[Operation("list_users", "GET", "/users", description="All users.")],
        schemas={"User": Schema(type="object", properties={"id": Schema(type="integer")})},
    )
    before = data_digest(spec)
    keys: list[str] = []
    dump_yaml(spec, {}, keys)
    assert len(keys) == 2 and data_digest(spec, keys) == before
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another docs2client")
    assert data_digest(spec) == before
    spec.operations[0].description = "All users, newest first."
    assert data_digest(spec) != before
    spec.operations[0].description = "All users."
    spec.title = "Shop"
    assert data_digest(spec) != before  # the head is data too


def test_a_manifest_entry_outside_the_package_is_never_read_as_a_render(tmp_path: Path) -> None:
    """The manifest is committed text: an entry naming a path outside the folder
    (absolute, ``..``) or a file behind a symlink vouches for nothing."""
    from generator.files import MANIFEST, Manifest, file_digest, known_renders

    outside = tmp_path / "outside.py"
    outside.write_text("# header\nsecret = 1\n")
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "sub" / "linked.py").symlink_to(outside)
    (package / "own.py").write_text("# header\nown = 1\n")
    digest = file_digest(outside.read_text())
    lines = [
        f"{digest} {'a' * 32} {outside}",
        f"{digest} {'b' * 32} ../outside.py",
        f"{digest} {'c' * 32} sub/linked.py",
        f"{file_digest((package / 'own.py').read_text())} {'d' * 32} own.py",
    ]
    (package / MANIFEST).write_text("# manifest\n" + "\n".join(lines) + "\n")
    assert known_renders(package, Manifest.read(package)) == {"d" * 32: "own = 1\n"}
