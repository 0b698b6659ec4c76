"""App settings read from the environment or `.streamlit/secrets.toml` (never committed).

- `CADENCE_HOME` (env): where `published.json` lives (default `./warehouse`).
- `CADENCE_DEFAULT_ROLE` (env) or `default_role` (secrets): the landing page without `?role=`.

The minimum group size is not an app setting: the app applies the one the published warehouse
was built with (`data.min_group_size`, from `dim_thresholds`; `CADENCE_MIN_GROUP_SIZE` is read
by `cadence build`).
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

QUERY_TTL_SECONDS = 3600
ROLES = ("executive", "sponsor", "platform")


def _secret(name: str) -> object | None:
    """One value from st.secrets, or None when there is no secrets file or no such key."""
    try:
        return st.secrets.get(name)
    except Exception:  # no secrets.toml at all is the normal case
        return None


def _setting(env_name: str, secret_name: str) -> object | None:
    value = os.environ.get(env_name)
    return value if value not in (None, "") else _secret(secret_name)


def cadence_home() -> Path:
    """The cadence home folder holding `published.json` (env `CADENCE_HOME`)."""
    return Path(os.environ.get("CADENCE_HOME", "warehouse")).expanduser().resolve()


def default_role() -> str:
    """The role whose review is the landing page when the URL names none."""
    value = str(_setting("CADENCE_DEFAULT_ROLE", "default_role") or "executive").lower()
    return value if value in ROLES else "executive"
