"""The configuration folder a home builds from, remembered (issue 16, item 7).

A home records the folder of operating-model CSVs its last published build used, in
`$CADENCE_HOME/config_folder.json`. A command given no folder uses the remembered one (and
says so), so an analyst who added a KPI with `--config DIR` does not lose it on the next plain
`cadence build`. The folder is chosen, in order, from:

1. `--config DIR`: explicit; a build with it is remembered once it publishes;
2. `CADENCE_CONFIG_DIR`;
3. the remembered folder;
4. the repository's `seeds/` (a home with nothing remembered).

A build from a folder other than the remembered one (2 or 4) and not given with `--config`
is refused when its KPIs, use cases or models (`kpis.csv`, `use_cases.csv`, `models.csv`)
differ from the configuration of the published build (the ledger's configuration history,
`cadence.config_history`): the message names both folders and the files that differ, and
`--config` with either folder goes on.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cadence import config_history
from cadence.config import DEFAULT_SEEDS

RECORD = "config_folder.json"
ENVIRONMENT = "CADENCE_CONFIG_DIR"
# The files whose difference changes what a review says is measured and for whom.
GUARDED = ("kpis", "use_cases", "models")
HOW = {
    "--config": "given with --config",
    ENVIRONMENT: f"from {ENVIRONMENT}",
    "remembered": "remembered by this home",
    "default": "the repository's seeds/: this home remembers no folder",
}


class ConfigFolderRefused(RuntimeError):
    """A build would silently switch configuration folders; the message says what to do."""


@dataclass(frozen=True)
class ConfigChoice:
    """The folder a command uses, how it was chosen, and the folder the home remembers."""

    path: Path
    how: str  # a key of HOW
    remembered: Path | None

    def describe(self) -> str:
        return f"configuration: {self.path} ({HOW[self.how]})"


def _resolve(value: str | Path) -> Path:
    return Path(value).expanduser().resolve()


def remembered(home: Path) -> Path | None:
    """The folder this home's last published build used, or None (nothing recorded yet)."""
    record = Path(home) / RECORD
    try:
        document = json.loads(record.read_text())
        return Path(document["config_dir"])
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as error:
        raise ConfigFolderRefused(
            f"{record} is damaged ({error}): remove it and pass --config DIR to say which "
            "configuration folder this home builds from."
        ) from error


def remember(home: Path, path: Path, build_id: str) -> None:
    """Record `path` as the home's configuration folder (after `build_id` published)."""
    record = Path(home) / RECORD
    staged = record.with_name(record.name + ".tmp")
    document = {
        "config_dir": str(path),
        "build_id": build_id,
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    staged.write_text(json.dumps(document, indent=2) + "\n")
    staged.replace(record)


def choose(home: Path, override: str | Path | None) -> ConfigChoice:
    """The configuration folder for a command given `override` (`--config`, or None)."""
    known = remembered(home)
    if override:
        return ConfigChoice(_resolve(override), "--config", known)
    if os.environ.get(ENVIRONMENT):
        return ConfigChoice(_resolve(os.environ[ENVIRONMENT]), ENVIRONMENT, known)
    if known is not None:
        if not known.is_dir():
            raise ConfigFolderRefused(
                f"this home builds from the configuration folder {known} (remembered from its "
                "last published build), which is not there any more: pass --config DIR with "
                "the folder to build from."
            )
        return ConfigChoice(known, "remembered", known)
    return ConfigChoice(_resolve(DEFAULT_SEEDS), "default", None)


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def check_build(home: Path, choice: ConfigChoice) -> None:
    """Refuse to build from a folder that was neither given with `--config` nor remembered
    when its KPIs, use cases or models differ from the published build's configuration."""
    if choice.how in ("--config", "remembered") or choice.path == choice.remembered:
        return
    recorded = config_history.recorded_digests(home)
    if not recorded:
        return  # nothing built yet: nothing to differ from
    differ = [
        f"{name}.csv"
        for name in GUARDED
        if recorded.get(name) != _digest(choice.path / f"{name}.csv")
    ]
    if not differ:
        return
    published_from = (
        f"the remembered folder {choice.remembered}"
        if choice.remembered is not None
        else "a configuration folder this home did not record (built before it remembered one)"
    )
    keep = f"`--config {choice.remembered}` to build from it, or " if choice.remembered else ""
    raise ConfigFolderRefused(
        f"refusing to build from {choice.path} ({HOW[choice.how]}): its "
        f"{', '.join(differ)} differ from the configuration of the published build, which came "
        f"from {published_from}. Publishing it would change the KPIs, use cases or models the "
        f"reviews show. Pass {keep}`--config {choice.path}` to switch this home to it."
    )
