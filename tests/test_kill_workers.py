"""A build's pool workers never outlive it: ``kill -9`` of the build leaves no
worker behind, and Ctrl-C ends it with one line saying what was kept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import corpus as synthetic

pytestmark = [
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc"),
    pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: the build starts no worker"),
]


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a live process; None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1])


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[1] == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")  # a zombie has exited


@pytest.fixture(scope="module")
def corpus_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pool-project")
    corpus = synthetic.generate(root, 240, seed=3)  # 60 pages a provider: parsed by a pool
    corpus.write_pyproject()
    return root


def start_build(root: Path, **popen: object) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DOCS2CLIENT_CACHE": "off", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "build", "-q"],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen,  # type: ignore[call-overload]
    )


def workers_of(process: subprocess.Popen[bytes], timeout: float = 60) -> list[int]:
    """The build's worker processes, once it has started some."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the build ended before it started a worker"
        found = children(process.pid)
        if len(found) >= 2:
            time.sleep(0.3)  # well into their work
            return children(process.pid)
        time.sleep(0.02)
    raise AssertionError("the build started no worker")


def survivors(pids: list[int], within: float = 5.0) -> list[int]:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        left = [pid for pid in pids if alive(pid)]
        if not left:
            return []
        time.sleep(0.05)
    return left


def test_kill_9_of_a_build_leaves_no_worker(corpus_project: Path, tmp_path: Path) -> None:
    for trial in range(3):
        process = start_build(corpus_project)
        try:
            workers = workers_of(process)
            time.sleep(0.4 * trial)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            left = survivors(workers)
        finally:
            for pid in children(process.pid):
                os.kill(pid, signal.SIGKILL)
        for pid in left:  # do not leave them to the next test
            os.kill(pid, signal.SIGKILL)
        assert left == [], f"trial {trial}: workers {left} outlived the killed build"


def test_a_worker_without_pdeathsig_notices_its_parent_is_gone(tmp_path: Path) -> None:
    """Where the kernel cannot kill a worker with its parent, the worker's own
    watch thread does it."""
    script = (
        "import os, sys, time\n"
        "import generator.pool as pool\n"
        "pool._die_with_parent = lambda: False\n"
        "with pool.process_pool(2) as p:\n"
        "    list(p.map(time.sleep, [0.01, 0.01]))\n"
        "    print(*[q.pid for q in p._processes.values()], flush=True)\n"
        "    time.sleep(60)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    workers = [int(pid) for pid in process.stdout.readline().split()]
    assert len(workers) == 2 and all(alive(pid) for pid in workers)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    left = survivors(workers)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_ctrl_c_prints_one_line_saying_what_was_kept(corpus_project: Path) -> None:
    process = start_build(corpus_project, start_new_session=True)
    try:
        workers = workers_of(process)
        os.killpg(process.pid, signal.SIGINT)  # as a terminal does: the whole group
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130
    text = err.decode()
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text
    lines = text.strip().splitlines()
    assert len([line for line in lines if "interrupted" in line]) == 1, lines
    assert lines[-1].startswith("docs2client: interrupted: ")
    assert "kept" in lines[-1] or "nothing written" in lines[-1]
    assert survivors(workers) == []
    assert not list((corpus_project / "generated").glob(".*.staging-*")) if (corpus_project / "generated").is_dir() else True
