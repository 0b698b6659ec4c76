"""Keyed pseudonymisation of user and actor ids (HMAC-SHA256), identical across entities.

The key comes from `CADENCE_PSEUDONYM_KEY` (hex) or, failing that, from a key file
(`CADENCE_KEY_FILE`, default `<home>/.secrets/pseudonym.key`), generated with 256 random bits
on first use and readable by its owner only. The cadence home is never committed; keep the
key file (or the variable) stable, or the same person gets a new pseudonym.

A key is at least 32 bytes (64 hex digits). Every committed batch records the fingerprint of
the key that pseudonymised it (`fingerprint`: a keyed hash, never the key), so a key that went
missing or was replaced is noticed (`ingestion.landing.ingest_key`) instead of silently
splitting every person in two.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable
from pathlib import Path

from ingestion.errors import KeyProblem

PREFIX = "u_"
DIGEST_CHARS = 20  # 80 bits: collisions are negligible for millions of people
KEY_ENV = "CADENCE_PSEUDONYM_KEY"
KEY_FILE_ENV = "CADENCE_KEY_FILE"
MIN_KEY_BYTES = 32  # HMAC-SHA256's own block of security: 256 bits
#: What the fingerprint is a keyed hash of (a label, so it is no pseudonym of any id).
FINGERPRINT_LABEL = b"cadence pseudonym key fingerprint v1"
FINGERPRINT_CHARS = 16


def key_path(home: Path) -> Path:
    """Where the pseudonymisation key is kept for the cadence home `home`."""
    configured = os.environ.get(KEY_FILE_ENV)
    return Path(configured) if configured else home / ".secrets" / "pseudonym.key"


def key_source(home: Path) -> str:
    """Where `load_key` takes the key from, in words (for messages)."""
    if os.environ.get(KEY_ENV, "").strip():
        return f"the environment variable {KEY_ENV}"
    return f"the key file {key_path(home)}"


def parse_key(text: str, where: str) -> bytes:
    """The key written as hex in `text`; refuse one that is not hex or is too short."""
    cleaned = text.strip()
    if not cleaned:
        raise KeyProblem(f"the pseudonym key in {where} is empty")
    bad = re.search(r"[^0-9a-fA-F]", cleaned)
    if bad:
        shown = repr(bad.group()) if bad.group().isprintable() else f"byte {ord(bad.group()):#x}"
        raise KeyProblem(
            f"the pseudonym key in {where} is not hexadecimal: it holds {shown} at character "
            f"{bad.start() + 1}; a key is {MIN_KEY_BYTES * 2} or more hex digits (0-9, a-f)"
        )
    if len(cleaned) % 2:
        raise KeyProblem(
            f"the pseudonym key in {where} has an odd number of hex digits ({len(cleaned)}): "
            "two hex digits make one byte; is a digit missing?"
        )
    key = bytes.fromhex(cleaned)
    if len(key) < MIN_KEY_BYTES:
        raise KeyProblem(
            f"the pseudonym key in {where} is {len(key)} byte(s) long; it must be at least "
            f"{MIN_KEY_BYTES} bytes ({MIN_KEY_BYTES * 2} hex digits) so pseudonyms cannot be "
            "reversed by trying every key. Generate one with "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`, but only for a home "
            "where nothing has landed yet: a new key gives every person a new pseudonym"
        )
    return key


def load_key(home: Path, *, may_create: bool = True) -> bytes:
    """The pseudonymisation key: from the environment, else the key file. A missing key file
    is created with a new key only when `may_create` (nothing has landed yet)."""
    from_env = os.environ.get(KEY_ENV, "")
    if from_env.strip():
        return parse_key(from_env, f"the environment variable {KEY_ENV}")
    path = key_path(home)
    if path.exists():
        try:
            text = path.read_text(encoding="ascii")
        except UnicodeDecodeError:
            raise KeyProblem(
                f"the pseudonym key file {path} is not text: it should hold "
                f"{MIN_KEY_BYTES * 2} or more hex digits"
            ) from None
        except OSError as error:
            raise KeyProblem(
                f"the pseudonym key file {path} cannot be read: {error.strerror or error}"
            ) from error
        return parse_key(text, f"the key file {path}")
    if not may_create:
        raise KeyProblem(f"the pseudonym key file {path} is missing")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    key = secrets.token_bytes(MIN_KEY_BYTES)
    temp = path.with_suffix(".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key.hex())
    Path(temp).replace(path)
    return key


def fingerprint(key: bytes) -> str:
    """A keyed hash that identifies the key without revealing it (recorded in the ledger)."""
    return hmac.new(key, FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:FINGERPRINT_CHARS]


def pseudonym(key: bytes, raw_id: str) -> str:
    """The pseudonym of one identifier (case and surrounding space ignored)."""
    normalised = raw_id.strip().lower().encode()
    return PREFIX + hmac.new(key, normalised, hashlib.sha256).hexdigest()[:DIGEST_CHARS]


def pseudonym_rows(key: bytes, raw_ids: Iterable[str]) -> list[tuple[str, str]]:
    """(raw, pseudonym) pairs for distinct identifiers."""
    return [(raw, pseudonym(key, raw)) for raw in raw_ids]
