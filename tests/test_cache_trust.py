"""The build cache is untrusted input (CI restores it across branches and pull
requests): an entry planted in it never runs code, whatever its kind, and an
entry written with another machine's key is a miss."""

from __future__ import annotations

import os
import pickle
import re
import shutil
import stat
from pathlib import Path

import jinja2
import pytest
from conftest import REPO

from generator import formatting
from generator.render import templates
from generator.build import build_all, check_all
from generator.cache import MAC_BYTES, Cache, key_path, machine_key
from generator.cli import main
from generator.config import load_config

KINDS = {
    "documents", "drafts", "extractions", "specs", "yaml-elements", "renders",
    "black", "black-pieces", "black-split", "templates",
}  # fmt: skip


class Payload:
    """Unpickling this runs ``exec``: it appends the entry's kind to a marker file."""

    def __init__(self, marker: Path, kind: str):
        self.marker, self.kind = marker, kind

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return exec, (f"open({str(self.marker)!r}, 'a').write({self.kind + chr(10)!r})",)


def planted(marker: Path, kind: str, prefixed: bool) -> bytes:
    data = pickle.dumps(Payload(marker, kind), protocol=pickle.HIGHEST_PROTOCOL)
    if kind == "templates":  # the layout of a compiled template: magic, pickled checksum, code
        data = jinja2.bccache.bc_magic + data
    return os.urandom(MAC_BYTES) + data if prefixed else data


def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(REPO / "seeds", root / "seeds")
    monkeypatch.chdir(root)
    monkeypatch.delenv("DOCS2CLIENT_CACHE", raising=False)
    monkeypatch.delenv("DOCS2CLIENT_CACHE_DIR", raising=False)
    monkeypatch.setattr(formatting, "RESPLIT_MIN_CHARS", 0)  # so the seeds give every kind of entry
    monkeypatch.setattr(formatting, "_MEMORY", {})  # what other tests formatted: as in a new process
    templates._environment.cache_clear()
    formatting._MEMORY.clear()
    return root


def outputs(root: Path) -> dict[str, bytes]:
    """Every output file, but what grows at every change: the changelog, and the
    package version (in pyproject.toml, whose digest the manifest holds)."""
    found = {}
    for folder in ("specs", "generated"):
        for p in sorted((root / folder).rglob("*")):
            if not p.is_file() or p.name == "CHANGELOG.md":
                continue
            data = p.read_bytes()
            if p.name == "pyproject.toml":
                data = re.sub(rb'(?m)^version = ".*"$', b'version = "?"', data)
            elif p.name == ".docs2client-manifest":
                data = re.sub(rb"(?m)^.* pyproject\.toml$", b"", data)
            found[p.relative_to(root).as_posix()] = data
    return found


@pytest.mark.parametrize("prefixed", [False, True], ids=["bare-pickle", "behind-a-forged-mac"])
def test_a_planted_entry_of_any_kind_never_runs(
    prefixed: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, monkeypatch)
    assert main(["build", "-q"]) == 0
    page = root / "seeds/textking/get-job.txt"  # a second build fills the split and piece entries
    page.write_text(page.read_text().replace("| 404 Not Found |", "| 410 Gone |"))
    assert main(["build", "-q"]) == 0
    good = outputs(root)

    marker = tmp_path / "ran"
    entries = [p for p in (root / ".docs2client-cache").rglob("*") if p.is_file()]
    kinds = {p.relative_to(root / ".docs2client-cache").parts[0] for p in entries}
    assert kinds >= KINDS, KINDS - kinds
    for entry in entries:
        entry.write_bytes(planted(marker, entry.relative_to(root / ".docs2client-cache").parts[0], prefixed))

    consulted: set[str] = set()  # the kinds of entry the runs below read: every kind
    get_bytes = Cache.get_bytes

    def spy(self: Cache, kind: str, entry: str) -> memoryview | None:
        consulted.add(kind)
        return get_bytes(self, kind, entry)

    monkeypatch.setattr(Cache, "get_bytes", spy)
    templates._environment.cache_clear()  # as in a new process
    formatting._MEMORY.clear()
    assert main(["check"]) == 0
    page.write_text(page.read_text().replace("| 410 Gone |", "| 404 Not Found |"))
    assert main(["build", "-q"]) == 0
    assert main(["check"]) == 0
    capsys.readouterr()
    assert not marker.exists(), f"planted entries ran: {marker.read_text()}"
    assert consulted >= KINDS, KINDS - consulted
    page.write_text(page.read_text().replace("| 404 Not Found |", "| 410 Gone |"))
    assert main(["build", "-q"]) == 0
    assert outputs(root) == good  # the misses were computed again, the same bytes


def test_entries_written_with_another_key_are_misses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache folder restored from another machine (or CI run) simply misses: the
    check renders again and, as on a runner with no cache, takes the committed files
    their manifest vouches for instead of formatting them; still up to date."""
    import black

    root = project(tmp_path, monkeypatch)
    config = load_config(root / "pyproject.toml")
    assert build_all(config).exit_code == 0
    formatted: list[str] = []
    original = black.format_str

    def counted(text: str, **kwargs: object) -> str:
        formatted.append(text)
        return original(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(black, "format_str", counted)
    assert check_all(config, cache=Cache.for_project(root)).exit_code == 0
    assert formatted == []  # warm: nothing formatted

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "elsewhere"))
    machine_key.cache_clear()
    templates._environment.cache_clear()
    formatting._MEMORY.clear()
    try:
        restored = Cache.for_project(root)
        assert check_all(config, cache=restored).exit_code == 0
        assert formatted == [] and restored.misses > 0
    finally:
        monkeypatch.undo()
        machine_key.cache_clear()


def test_the_key_is_private_to_the_user_and_outside_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    machine_key.cache_clear()
    try:
        key = machine_key()
        path = key_path()
        assert key is not None and path.read_bytes() == key and len(key) == 32
        assert path.is_relative_to(tmp_path / "home-cache")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        machine_key.cache_clear()
        assert machine_key() == key  # made once, then read

        path.chmod(0o644)  # readable by others: it authenticates nothing, so no cache
        machine_key.cache_clear()
        assert machine_key() is None
        assert Cache(tmp_path / "cache").folder is None
    finally:
        monkeypatch.undo()
        machine_key.cache_clear()
