"""Where cadence keeps its data and reads its configuration.

`CADENCE_HOME` (default `./warehouse`) holds the landing zone, the ledger, the warehouse
builds and the published pointer. The operating-model CSVs come from `--config DIR`, else
`CADENCE_CONFIG_DIR`, else the repository's `seeds/`.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SEEDS = REPO_ROOT / "seeds"
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
APP_ENTRYPOINT = REPO_ROOT / "app" / "streamlit_app.py"


def cadence_home(override: str | Path | None = None) -> Path:
    """The cadence home folder (absolute)."""
    value = override or os.environ.get("CADENCE_HOME") or "warehouse"
    return Path(value).expanduser().resolve()


def config_dir(override: str | Path | None = None) -> Path:
    """The folder of operating-model CSVs (absolute)."""
    value = override or os.environ.get("CADENCE_CONFIG_DIR") or DEFAULT_SEEDS
    return Path(value).expanduser().resolve()
