"""The demo organisation, byte for byte: the sha256 of every file of two small organisations.

The digests in `golden_manifest.json` were recorded from `cadence/generate.py` at commit
7107a08, before the generator became the package `cadence/demo` (issue 13, item 4); a
refactor of the package must keep them. The organisations are `cadence generate --out DIR
--requests 20000` (seed 7, the default end date and size of the people directory) and a
smaller one whose fifteen months end on 2026-03-31 (another weekday alignment and month
count).

The bytes depend on more than the generator's code, so the manifest records the rest:

- the four seeds the generator reads (their digests; a changed seed fails with its name);
- numpy's version: NEP 19 lets `numpy.random.Generator` streams change between releases;
- polars' version: its writers make the bytes, and each Parquet file names the polars that
  wrote it;
- the machine architecture: another one may compile numpy's floating point differently.

Where numpy, polars or the architecture differ from the manifest (uv.lock pins numpy 2.4.6
on Python 3.11 and 2.5.5 on 3.12), the test skips and says why. On the recorded ones the
digests are stable: every draw comes from `numpy.random.default_rng((seed, stream))`,
nothing reads the clock, and the same files came out with `POLARS_MAX_THREADS=1` and with
numpy's SIMD dispatch off (`NPY_DISABLE_CPU_FEATURES=X86_V3,X86_V4,AVX512_ICL`).

When the output is meant to change, re-record and say why in the commit:
`.venv/bin/python tests/demo/test_demo_output.py "what the digests were recorded from"`.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from cadence.demo.generate import generate
from cadence.demo.operating_model import DEFAULT_SEEDS_DIR

MANIFEST_PATH = Path(__file__).with_name("golden_manifest.json")
MANIFEST = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
SEEDS_READ = ("business_units.csv", "kpis.csv", "models.csv", "use_cases.csv")
ORGANISATIONS: dict[str, dict[str, object]] = {
    "requests_20000": {"requests": 20_000},
    "requests_5000_people_400_to_2026_03_31": {
        "requests": 5_000,
        "people": 400,
        "end_date": date(2026, 3, 31),
    },
}
ENVIRONMENT = {"machine": platform.machine(), "numpy": np.__version__, "polars": pl.__version__}

pytestmark = pytest.mark.skipif(
    MANIFEST["environment"] != ENVIRONMENT,
    reason=f"digests recorded with {MANIFEST['environment']}, this is {ENVIRONMENT}",
)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _arguments(name: str) -> dict[str, object]:
    """The organisation's arguments as the manifest writes them (dates in ISO format)."""
    return {
        key: value.isoformat() if isinstance(value, date) else value
        for key, value in ORGANISATIONS[name].items()
    }


def _write(name: str, root: Path) -> dict[str, dict[str, object]]:
    """Generate an organisation under `root`; {relative path: {bytes, sha256}} per file."""
    files = generate(root, **ORGANISATIONS[name])  # type: ignore[arg-type]
    listed = sorted(path for paths in files.values() for path in paths)
    written = sorted(path for path in root.rglob("*") if path.is_file())
    assert listed == written, "generate() wrote files it did not return, or the reverse"
    return {
        path.relative_to(root).as_posix(): {"bytes": path.stat().st_size, "sha256": _sha256(path)}
        for path in written
    }


def test_seeds_are_the_recorded_ones() -> None:
    changed = [
        name
        for name, digest in MANIFEST["seeds"].items()
        if _sha256(DEFAULT_SEEDS_DIR / name) != digest
    ]
    assert not changed, (
        f"seeds/ changed since the digests were recorded ({', '.join(changed)}): if the demo "
        "organisation is meant to change with them, re-record (see the module docstring)"
    )


@pytest.mark.parametrize("name", sorted(ORGANISATIONS))
def test_every_file_has_the_recorded_bytes(name: str, tmp_path: Path) -> None:
    recorded = MANIFEST["organisations"][name]
    assert recorded["arguments"] == _arguments(name)
    written = _write(name, tmp_path)
    differing = sorted(
        path
        for path in recorded["files"].keys() | written.keys()
        if recorded["files"].get(path) != written.get(path)
    )
    assert not differing, f"{len(differing)} of {len(written)} files differ: {differing}"


def _record(recorded_from: str) -> None:
    """Rewrite the manifest from the code installed now."""
    organisations = {}
    for name in sorted(ORGANISATIONS):
        with tempfile.TemporaryDirectory() as folder:
            files = _write(name, Path(folder))
        organisations[name] = {"arguments": _arguments(name), "files": files}
    manifest = {
        "recorded_from": recorded_from,
        "environment": ENVIRONMENT,
        "seeds": {name: _sha256(DEFAULT_SEEDS_DIR / name) for name in SEEDS_READ},
        "organisations": organisations,
    }
    MANIFEST_PATH.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    _record(sys.argv[1])
