"""The pseudonym key (issue 16, item 3): once anything has landed, a missing key stops ingest
with where it was and how to restore it (never a silent new key, which gives every person a
second pseudonym); the ledger records a fingerprint of the key (a keyed hash, never the key)
and a different key is refused the same way; a key shorter than 32 bytes is refused; a
malformed key names the problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ingest_helpers import landed, ledger_batches, raw_row, write_csv

from cadence.cli import main
from ingestion.entities.registry import SCHEMAS
from ingestion.errors import KeyProblem
from ingestion.landing import ingest_files

OTHER_KEY_HEX = "ab" * 32


@pytest.fixture
def key_file_home(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home whose key lives in its key file (no CADENCE_PSEUDONYM_KEY)."""
    monkeypatch.delenv("CADENCE_PSEUDONYM_KEY")
    return home


def _file(inputs: Path, i: int) -> Path:
    return write_csv(inputs / f"licenses-{i}.csv", [raw_row("licenses", i)])


def _land(home: Path, path: Path) -> None:
    [result] = ingest_files(SCHEMAS["licenses"], [path], home)
    assert result.status == "landed", result.message


def _every_byte_under(home: Path, *, but: Path | None = None) -> bytes:
    return b"".join(
        path.read_bytes() for path in sorted(home.rglob("*")) if path.is_file() and path != but
    )


def test_a_moved_key_stops_ingest_and_says_how_to_restore_it(
    key_file_home: Path, inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = key_file_home
    _land(home, _file(inputs, 1))
    key_file = home / ".secrets" / "pseudonym.key"
    backup = tmp_path / "backup.key"
    shutil.move(key_file, backup)
    second = _file(inputs, 2)

    assert main(["ingest", "--home", str(home), "licenses", str(second)]) == 1

    out = capsys.readouterr().out
    assert f"the pseudonym key file {key_file} is missing" in out
    assert "1 batch(es) have landed" in out
    assert f"put your backup of it back at {key_file}" in out
    assert "CADENCE_KEY_FILE" in out
    assert "CADENCE_PSEUDONYM_KEY" in out
    assert "Traceback" not in out
    assert not key_file.exists()  # no new key was made
    assert ledger_batches(home).height == 1

    shutil.move(backup, key_file)  # restored: ingest goes on with the same pseudonyms
    _land(home, second)
    assert landed(home, "licenses")["user_id"].n_unique() == 1


def test_the_ledger_records_a_fingerprint_never_the_key(key_file_home: Path, inputs: Path) -> None:
    home = key_file_home
    _land(home, _file(inputs, 1))
    _land(home, _file(inputs, 2))
    key_file = home / ".secrets" / "pseudonym.key"
    key_hex = key_file.read_text().strip()

    fingerprints = ledger_batches(home)["key_fingerprint"].to_list()
    assert len(set(fingerprints)) == 1
    assert len(fingerprints[0]) == 16
    assert fingerprints[0] not in key_hex
    everything = _every_byte_under(home, but=key_file)
    assert key_hex.encode() not in everything
    assert bytes.fromhex(key_hex) not in everything


def test_a_different_key_is_refused(
    home: Path, inputs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _land(home, _file(inputs, 1))
    monkeypatch.setenv("CADENCE_PSEUDONYM_KEY", OTHER_KEY_HEX)

    with pytest.raises(KeyProblem) as refused:
        ingest_files(SCHEMAS["licenses"], [_file(inputs, 2)], home)

    message = str(refused.value)
    [recorded] = set(ledger_batches(home)["key_fingerprint"].to_list())
    assert "the pseudonym key from the environment variable CADENCE_PSEUDONYM_KEY" in message
    assert f"pseudonymised with the key whose fingerprint is {recorded}" in message
    assert "a second pseudonym" in message
    assert OTHER_KEY_HEX not in message
    assert ledger_batches(home).height == 1


def test_a_different_key_file_is_refused_too(
    key_file_home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = key_file_home
    _land(home, _file(inputs, 1))
    (home / ".secrets" / "pseudonym.key").write_text(OTHER_KEY_HEX)

    assert main(["ingest", "--home", str(home), "licenses", str(_file(inputs, 2))]) == 1

    out = capsys.readouterr().out
    assert "is not the key the data here was pseudonymised with" in out
    assert ledger_batches(home).height == 1


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("00", "is 1 byte(s) long; it must be at least 32 bytes (64 hex digits)"),
        ("ab" * 31, "is 31 byte(s) long; it must be at least 32 bytes"),
        ("zz" * 32, "is not hexadecimal: it holds 'z' at character 1"),
        ("ab" * 31 + "a", "has an odd number of hex digits (63)"),
        ("ab" * 16 + " cd" * 16, "is not hexadecimal: it holds ' ' at character 33"),
    ],
)
def test_a_short_or_malformed_key_in_the_environment_is_refused(
    home: Path, inputs: Path, monkeypatch: pytest.MonkeyPatch, key: str, problem: str
) -> None:
    monkeypatch.setenv("CADENCE_PSEUDONYM_KEY", key)
    with pytest.raises(
        KeyProblem, match="the environment variable CADENCE_PSEUDONYM_KEY"
    ) as refused:
        ingest_files(SCHEMAS["licenses"], [_file(inputs, 1)], home)
    assert problem in str(refused.value)
    assert ledger_batches(home).height == 0


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"00\n", "is 1 byte(s) long"),
        (b"not a key at all", "is not hexadecimal: it holds 'n' at character 1"),
        (b"\xff\xfe" + b"a" * 64, "is not text"),
        (b"", "is empty"),
    ],
)
def test_a_short_or_malformed_key_file_names_the_problem(
    key_file_home: Path,
    inputs: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
    problem: str,
) -> None:
    """A key file that was not hex ended in a ValueError traceback."""
    home = key_file_home
    key_file = home / ".secrets" / "pseudonym.key"
    key_file.parent.mkdir(parents=True)
    key_file.write_bytes(content)

    assert main(["ingest", "--home", str(home), "licenses", str(_file(inputs, 1))]) == 1

    out = capsys.readouterr().out
    assert str(key_file) in out
    assert problem in out
    assert "Traceback" not in out
    assert ledger_batches(home).height == 0
