"""Hypothesis profiles and fixtures of the ingestion fuzz tests.

Profiles (chosen with `HYPOTHESIS_PROFILE`, default `ci`):

- `ci`: derandomized (the same examples on every run, so CI is reproducible), no example
  database, no deadline; `max_examples` is the base count (4) that each test multiplies by
  its own weight (2 to 5): 104 examples, about a minute of CPU for the whole folder.
- `soak`: random seeds, 25x the examples, failures saved to `.hypothesis/` for replay.

`CADENCE_FUZZ_EXAMPLES=N` overrides the base count of either profile.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from ingestion.landing import ensure_home

KEY_HEX = "f0" * 32
CI_EXAMPLES = 4
_SUPPRESSED = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

settings.register_profile(
    "ci",
    max_examples=int(os.environ.get("CADENCE_FUZZ_EXAMPLES", CI_EXAMPLES)),
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=_SUPPRESSED,
)
settings.register_profile(
    "soak",
    max_examples=int(os.environ.get("CADENCE_FUZZ_EXAMPLES", CI_EXAMPLES * 25)),
    derandomize=False,
    deadline=None,
    print_blob=True,
    suppress_health_check=_SUPPRESSED,
)
settings.register_profile(
    "explore",  # while hunting bugs: random seeds, no shrinking (report the raw failure fast)
    parent=settings.get_profile("soak"),
    phases=[Phase.explicit, Phase.generate],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True, scope="module")
def _pseudonym_key() -> Iterator[None]:
    """A known pseudonymisation key, and no identity map, for every example of a module (a
    module-scoped fixture: hypothesis runs many examples per test function)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CADENCE_PSEUDONYM_KEY", KEY_HEX)
        patch.delenv("CADENCE_KEY_FILE", raising=False)
        patch.delenv("CADENCE_IDENTITY_MAP", raising=False)
        yield


@pytest.fixture(scope="session")
def blank_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cadence home with its layout and zero-row schema batches, copied for each example."""
    home = tmp_path_factory.mktemp("fuzz-template") / "home"
    ensure_home(home)
    return home


@pytest.fixture(scope="session")
def fresh_home(
    blank_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[], AbstractContextManager[tuple[Path, Path]]]:
    """A factory of fresh cadence homes (and an input folder), one per hypothesis example;
    each is removed when its example ends."""
    root = tmp_path_factory.mktemp("fuzz-examples")
    counter = iter(range(1 << 30))

    @contextmanager
    def make() -> Iterator[tuple[Path, Path]]:
        folder = root / f"example-{next(counter)}"
        home = folder / "home"
        shutil.copytree(blank_home, home)
        inputs = folder / "inputs"
        inputs.mkdir()
        try:
            yield home, inputs
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    return make
