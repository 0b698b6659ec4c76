"""Crash safety: `cadence ingest` and `cadence build` killed with SIGKILL at random moments (and
at the named points of their critical sections, `crash_points.py`) never damage what is
published, never lose or double a landed row, and leave nothing the next writer does not
sweep.

The harness replays one pipeline (every entity's files, then request files and builds in
turns) on a home where each command is first killed a few times, then re-run to completion;
a second home runs the same commands never killed. After every kill the published warehouse
(if any) is whole: its file opens read-only, its stamp is the pointer's build id, its marts
answer. After every completed re-run, nothing is stray (tmp/, `*.tmp` files, uncommitted
batch folders, unpublished warehouse files) and the landed rows of the ledger's committed
batches (count and a checksum of natural keys, per entity, quarantine included) equal the
never-killed home's.

The default run kills each command twice, each build once (about 20 kills, two to three
minutes); `CADENCE_SOAK=1` kills every command many more times and at every named point
(about 120 kills: 88 of ingests, 32 of builds; half an hour or more).
`CADENCE_CRASH_SEED` changes the seed (default 20261124).

A build that the machine stops (file size limit here; a full disk or a permission error
fails the same write) exits 1 with one paragraph naming the problem, and the published
pointer and file are untouched.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from reliability_helpers import (
    CADENCE,
    REPO,
    cadence,
    cli_env,
    copy_home,
    landed_summary,
    ok,
    published_check,
    strays,
)

from cadence.published import read_pointer

SOAK = os.environ.get("CADENCE_SOAK", "") not in ("", "0")
SEED = int(os.environ.get("CADENCE_CRASH_SEED", "20261124"))
INGEST_POINTS = ["ingest_before_commit", "ingest_after_commit"]
BUILD_POINTS = [
    "build_before_stamp",
    "build_after_stamp",
    "build_pointer_half_written",
    "build_after_pointer",
    "build_after_prune",
]
CRITICAL_BUILD_POINTS = ["build_before_stamp", "build_pointer_half_written", "build_after_pointer"]
#: Random-offset kills of each ingest and each build command, at an offset within the duration
#: of the same ingest on the never-killed home, or of the last completed build. The default
#: run kills its first build once at a crash point picked by the seed and its second once at
#: random; the soak run kills every build at every point and at random.
RANDOM_INGEST_KILLS = 6 if SOAK else 1
RANDOM_BUILD_KILLS = 3 if SOAK else 0
#: How many times the pipeline lands request files and builds.
BUILDS = 4 if SOAK else 2

pytestmark = pytest.mark.timeout(7200 if SOAK else 1200)


@dataclass
class Kill:
    step: str
    how: str  # "random <offset>s" or a crash point
    landed: bool  # the process was still running and died of the signal


@dataclass
class Harness:
    home: Path
    rng: random.Random
    kills: list[Kill] = field(default_factory=list)
    estimate: dict[str, float] = field(default_factory=lambda: {"ingest": 1.0, "build": 25.0})
    pace: float = 1.0  # how long a command takes here / on the never-killed home
    attempted: set[str] = field(default_factory=set)  # steps run here at least once

    def kill_at_random(
        self, step: str, kind: str, args: list[str], reference: float | None = None
    ) -> None:
        """Start `cadence args` and SIGKILL its process group after a random offset within
        the command's expected duration (`reference`, the same command on the never-killed
        home, times `pace`; else the last completed command of its kind); a command done by
        then just completes, and its time sets `pace`: the reference home ran on a machine
        as busy or as idle as it was then, and a kill timed from it alone can fall after the
        end of every later command (only a step's first attempt: it does the whole work)."""
        expected = reference * self.pace if reference else self.estimate[kind]
        first = step not in self.attempted
        self.attempted.add(step)
        offset = self.rng.uniform(min(0.3, expected / 2), 0.9 * expected)
        started = time.monotonic()
        process = subprocess.Popen(
            [*CADENCE, *args],
            cwd=REPO,
            env=cli_env(self.home),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            process.wait(timeout=offset)
            landed = False
            if reference and first:
                self.pace = min(max((time.monotonic() - started) / reference, 0.25), 4.0)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            landed = True
        self.kills.append(Kill(step, f"random {offset:.2f}s", landed))
        self.after_kill()

    def kill_at_point(self, step: str, point: str, args: list[str]) -> None:
        """Run `cadence args` so that it SIGKILLs itself at `point`."""
        result = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("crash_points.py")), point, *args],
            cwd=REPO,
            env=cli_env(self.home),
            capture_output=True,
            text=True,
            timeout=1200,
            check=False,
        )
        assert result.returncode in (0, -signal.SIGKILL), result.stdout + result.stderr
        self.kills.append(Kill(step, point, result.returncode == -signal.SIGKILL))
        self.after_kill()

    def after_kill(self) -> None:
        published_check(self.home)  # None, or whole: opens, stamp = pointer, marts answer

    def complete(self, kind: str, args: list[str]) -> None:
        clock = time.monotonic()
        ok(cadence(self.home, *args))
        self.estimate[kind] = max(time.monotonic() - clock, 0.5)
        assert strays(self.home) == []


def _pipeline(org_files: dict[str, list[Path]]) -> list[tuple[str, list[str]]]:
    """(kind, cadence arguments) of the replayed pipeline."""
    steps = [
        ("ingest", ["ingest", entity, *map(str, files)])
        for entity, files in org_files.items()
        if entity != "requests"
    ]
    requests = org_files["requests"]
    for turn in range(BUILDS):
        chunk = requests[turn * len(requests) // BUILDS : (turn + 1) * len(requests) // BUILDS]
        steps.append(("ingest", ["ingest", "requests", *map(str, chunk)]))
        steps.append(("build", ["build"]))
    return steps


def test_killed_writers_lose_nothing_double_nothing_and_leave_nothing(
    tmp_path: Path, org_files: dict[str, list[Path]], record_property
) -> None:
    rng = random.Random(SEED)
    steps = _pipeline(org_files)
    reference_home = tmp_path / "reference"
    reference: list[dict[str, dict[str, int]]] = []
    durations: list[float | None] = []  # each ingest on the reference home: where to kill it
    for kind, args in steps:
        clock = time.monotonic()
        if kind == "ingest":
            ok(cadence(reference_home, *args))
        durations.append(time.monotonic() - clock if kind == "ingest" else None)
        reference.append(landed_summary(reference_home))

    harness = Harness(tmp_path / "home", rng)
    # The default run's one build point: where a crash would most likely tear a publish.
    build_points = list(BUILD_POINTS) if SOAK else [rng.choice(CRITICAL_BUILD_POINTS)]
    published: list[str] = []
    for index, (kind, args) in enumerate(steps):
        step = f"{index}:{' '.join(args[:2])}"
        if kind == "ingest":
            points = INGEST_POINTS if SOAK else [rng.choice(INGEST_POINTS)]
            randoms = RANDOM_INGEST_KILLS
        else:
            points = build_points if SOAK else [] if published else build_points[:1]
            randoms = RANDOM_BUILD_KILLS if SOAK or not published else 1
        for _ in range(randoms):
            harness.kill_at_random(step, kind, args, durations[index])
        for point in points:
            harness.kill_at_point(step, point, args)
        harness.complete(kind, args)
        assert landed_summary(harness.home) == reference[index], step
        pointer = published_check(harness.home)
        if kind == "build":
            assert pointer is not None
            assert pointer["build_id"] not in published
            published.append(str(pointer["build_id"]))
            requests = reference[index]["requests"]
            # the build counts every landed model call (agent and tool spans are not ones)
            assert pointer["requests"] == requests["model_calls"]

    landed = [kill for kill in harness.kills if kill.landed]
    summary = {
        "seed": SEED,
        "soak": SOAK,
        "kills": len(harness.kills),
        "landed": len(landed),
        "points": sorted({kill.how for kill in landed if not kill.how.startswith("random")}),
    }
    record_property("crash_harness", json.dumps(summary))
    sys.stderr.write(f"crash harness: {json.dumps(summary)}\n")  # shown with -s
    assert len(landed) >= len(harness.kills) // 2  # most kills hit a running writer


RLIMIT = """
import os, resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
os.execv(sys.argv[2], sys.argv[2:])
"""


def _with_file_size_limit(home: Path, limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    """`cadence args` in a process that may not write a file beyond `limit` bytes: its writes
    fail with EFBIG (Python ignores SIGXFSZ), as they would with ENOSPC on a full disk."""
    return subprocess.run(
        [sys.executable, "-c", RLIMIT, str(limit), *CADENCE, *args],
        cwd=REPO,
        env=cli_env(home),
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )


def test_a_build_that_cannot_write_its_copy_leaves_the_published_warehouse(
    tmp_path: Path, built_home: Path
) -> None:
    home = copy_home(built_home, tmp_path / "home")
    pointer = (home / "published.json").read_bytes()
    published = Path(str(read_pointer(home)["published_path"]))
    size = published.stat().st_size
    result = _with_file_size_limit(home, size // 2, "build", "--force")
    assert result.returncode == 1, result.stdout + result.stderr
    announced, message = result.stdout.strip().splitlines()  # the folder, then the failure
    assert announced.startswith("configuration: "), announced
    assert "cadence build failed: could not write" in message
    assert "File too large" in message
    assert "the published warehouse is unchanged" in message
    assert "Traceback" not in result.stdout + result.stderr
    assert (home / "published.json").read_bytes() == pointer
    assert published.stat().st_size == size
    published_check(home)
    assert strays(home) == []  # the half-written copy is gone already


def test_a_build_stopped_by_the_machine_inside_dbt_leaves_the_published_warehouse(
    tmp_path: Path, built_home: Path
) -> None:
    home = copy_home(built_home, tmp_path / "home")
    pointer = (home / "published.json").read_bytes()
    published = Path(str(read_pointer(home)["published_path"]))
    size = published.stat().st_size
    # A full refresh builds from nothing: dbt itself hits the limit part way through.
    result = _with_file_size_limit(home, size // 3, "build", "--full-refresh")
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "failed; the published warehouse is unchanged." in out
    assert "File too large" in out
    assert "The machine refused a write (disk full, file size limit or permissions)" in out
    assert "Traceback" not in out + result.stderr
    assert (home / "published.json").read_bytes() == pointer
    assert published.stat().st_size == size
    published_check(home)
    # The next build, with room to write, publishes and sweeps the stopped build's leftovers
    # (`--force`: nothing changed since the published build, which a plain build would skip).
    ok(cadence(home, "build", "--force"))
    assert (
        json.loads((home / "published.json").read_text())["build_id"]
        != json.loads(pointer)["build_id"]
    )
    published_check(home)
    assert strays(home) == []


def test_an_ingest_stopped_by_the_machine_is_not_taken_for_a_bad_file(
    tmp_path: Path, org_files: dict[str, list[Path]]
) -> None:
    home = tmp_path / "home"
    ok(cadence(home, "ingest", "people", str(org_files["people"][0])))
    before = landed_summary(home)
    files = [str(path) for path in org_files["requests"][:2]]
    # Room for the ledger's small files, not for a batch of requests.
    result = _with_file_size_limit(home, 3000, "ingest", "requests", *files)
    assert result.returncode == 1, result.stdout + result.stderr
    message = result.stdout.strip().splitlines()[-1]
    assert message.startswith("cadence ingest failed: could not land"), message
    assert "File too large" in message
    assert "nothing of that file was committed" in message
    assert "REFUSED" not in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert landed_summary(home) == before  # no batch, no refusal recorded against the file
    out = ok(cadence(home, "ingest", "requests", *files))
    assert "0 refused" in out
    assert landed_summary(home)["requests"]["batches"] == 2
    assert strays(home) == []
