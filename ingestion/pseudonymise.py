"""Keyed pseudonymisation of user and actor ids (HMAC-SHA256), identical across entities.

The key comes from `CADENCE_PSEUDONYM_KEY` (hex) or, failing that, from a key file
(`CADENCE_KEY_FILE`, default `<home>/.secrets/pseudonym.key`), generated with 256 random bits
on first use and readable by its owner only. The cadence home is never committed; keep the
key file (or the variable) stable, or the same person gets a new pseudonym.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

PREFIX = "u_"
DIGEST_CHARS = 20  # 80 bits: collisions are negligible for millions of people


def key_path(home: Path) -> Path:
    """Where the pseudonymisation key is kept for the cadence home `home`."""
    configured = os.environ.get("CADENCE_KEY_FILE")
    return Path(configured) if configured else home / ".secrets" / "pseudonym.key"


def load_key(home: Path) -> bytes:
    """The pseudonymisation key: from the environment, else the key file (created if absent)."""
    from_env = os.environ.get("CADENCE_PSEUDONYM_KEY")
    if from_env:
        return bytes.fromhex(from_env.strip())
    path = key_path(home)
    if path.exists():
        return bytes.fromhex(path.read_text().strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    key = secrets.token_bytes(32)
    temp = path.with_suffix(".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key.hex())
    Path(temp).replace(path)
    return key


def pseudonym(key: bytes, raw_id: str) -> str:
    """The pseudonym of one identifier (case and surrounding space ignored)."""
    normalised = raw_id.strip().lower().encode()
    return PREFIX + hmac.new(key, normalised, hashlib.sha256).hexdigest()[:DIGEST_CHARS]


def pseudonym_rows(key: bytes, raw_ids: Iterable[str]) -> list[tuple[str, str]]:
    """(raw, pseudonym) pairs for distinct identifiers."""
    return [(raw, pseudonym(key, raw)) for raw in raw_ids]
