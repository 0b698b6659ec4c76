"""Pseudonyms are stable and identical across entities; raw ids and prompt/response text are
written nowhere under the cadence home (landed, quarantined, ledger, refusals included)."""

from __future__ import annotations

import hashlib
import re
import shutil
import stat
from pathlib import Path

import duckdb
import pytest
from ingest_helpers import (
    KEY,
    KEY_HEX,
    landed,
    quarantined,
    raw_row,
    write_csv,
    write_json_array,
    write_jsonl,
    write_parquet,
)

from ingestion.entities.registry import SCHEMAS
from ingestion.landing import FileResult, ingest_files
from ingestion.pseudonymise import pseudonym

SECRET_ID = "zz.secret.person@example.test"
OTHER_ID = "yy.another.person@example.test"
PROMPT = "TOP-SECRET-PROMPT-TEXT"
RESPONSE = "TOP-SECRET-RESPONSE-TEXT"
UNCLOSED_QUOTE = (
    'a quoted value is not closed (a " with no closing "): the rest of the file was read as one '
    "value"
)
FIELD_TOO_MANY = (
    "this row has 10 field(s) where the header has 9: a field too many (a comma in a value that "
    "is not quoted?)"
)
#: Searched case-insensitively in every byte and every value under the home.
NEEDLES = ("zz.secret.person", "secret.person@example", "yy.another.person", "top-secret-")


def _requests_rows(user: str, i: int, **overrides: str) -> dict[str, str]:
    return {
        **raw_row("requests", i),
        "user_id": user,
        "prompt": PROMPT,
        "response": RESPONSE,
        **overrides,
    }


def _land_everything(home: Path, inputs: Path) -> list[FileResult]:
    """The secret person in every entity, under differently cased and spaced spellings, in
    landed and quarantined rows, in every format, and in files refused whole."""
    results: list[FileResult] = []

    def go(entity: str, *paths: Path) -> None:
        results.extend(ingest_files(SCHEMAS[entity], list(paths), home))

    requests = [
        _requests_rows("ZZ.Secret.Person@Example.TEST", 1),
        _requests_rows("  zz.secret.person@example.test ", 2, status="not-a-status"),
        _requests_rows(OTHER_ID, 3),
    ]
    typed = {c.name: c.duckdb_type for c in SCHEMAS["requests"].columns}
    typed |= {"prompt": "VARCHAR", "response": "VARCHAR"}
    go(
        "requests",
        write_csv(inputs / "requests.csv", requests),
        write_jsonl(inputs / "requests.jsonl", [_requests_rows(SECRET_ID, 4)]),
        write_json_array(inputs / "requests.json", [_requests_rows(SECRET_ID, 5)]),
        write_parquet(
            inputs / "requests.parquet",
            [{**_requests_rows(SECRET_ID, 6), "occurred_at": "2026-03-02 09:30:00"}],
            typed,
        ),
    )
    # Column names are exact, but prompt text under a differently cased name is not kept either.
    shouting = [
        {
            **{
                k: v
                for k, v in _requests_rows(SECRET_ID, 7).items()
                if k not in ("prompt", "response")
            },
            "Prompt": PROMPT,
            "RESPONSE": RESPONSE,
        }
    ]
    go("requests", write_csv(inputs / "shouting.csv", shouting))
    go(
        "activity",
        write_csv(
            inputs / "activity.csv",
            [
                {**raw_row("activity", 1), "user_id": " ZZ.SECRET.PERSON@EXAMPLE.TEST"},
                {**raw_row("activity", 2), "user_id": SECRET_ID, "is_active": "maybe"},
            ],
        ),
    )
    go(
        "people",
        write_jsonl(inputs / "people.jsonl", [{**raw_row("people", 1), "user_id": SECRET_ID}]),
    )
    go(
        "workflow_events",
        write_csv(
            inputs / "workflow.csv",
            [
                {**raw_row("workflow_events", 1), "actor_id": SECRET_ID.upper()},
                {**raw_row("workflow_events", 2), "actor_id": SECRET_ID, "quality_score": "9"},
            ],
        ),
    )
    for entity in ("survey_responses", "enablement_events", "licenses"):
        go(
            entity,
            write_csv(inputs / f"{entity}.csv", [{**raw_row(entity, 1), "user_id": SECRET_ID}]),
        )

    # Refused whole: a missing column, a malformed row early, and one far past the sniffed
    # sample (where DuckDB quotes the offending row in its error).
    header = "request_id,occurred_at,user_id,tool,provider,model,operation,status,prompt\n"
    good = f"r1,2026-03-02T09:30:00Z,{SECRET_ID},gateway,openai,gpt-4o,chat,success,{PROMPT}\n"
    bad = f'r2,2026-03-02T09:30:00Z,{SECRET_ID},gateway,openai,gpt-4o,chat,success,"{PROMPT}\n'
    extra = f"r3,2026-03-02T09:30:00Z,{SECRET_ID},gateway,openai,gpt-4o,chat,success,{PROMPT},x\n"
    (inputs / "no_status.csv").write_text(
        header.replace(",status", "") + good.replace(",success", "")
    )
    (inputs / "quote.csv").write_text(header + good + bad + good)
    (inputs / "late_quote.csv").write_text(header + good * 30_000 + bad + good)
    (inputs / "late_extra.csv").write_text(header + good * 30_000 + extra + good)
    (inputs / "bad.jsonl").write_text(
        f'{{"request_id": "r1", "user_id": "{SECRET_ID}", "prompt": "{PROMPT}"}}\n'
        f'{{"request_id": "r2", "user_id": "{SECRET_ID}", "prompt": "{PROMPT}",}}\n'
    )
    go(
        "requests",
        *(
            inputs / n
            for n in ("no_status.csv", "quote.csv", "late_quote.csv", "late_extra.csv", "bad.jsonl")
        ),
    )
    return results


@pytest.fixture(scope="module")
def everything(
    tmp_path_factory: pytest.TempPathFactory, blank_home: Path
) -> tuple[Path, list[FileResult]]:
    """One cadence home holding all of `_land_everything`, shared by the checks below."""
    root = tmp_path_factory.mktemp("privacy")
    home = root / "home"
    shutil.copytree(blank_home, home)
    inputs = root / "inputs"
    inputs.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CADENCE_PSEUDONYM_KEY", KEY_HEX)
        results = _land_everything(home, inputs)
    return home, results


def test_ids_are_pseudonymised_identically_across_entities(
    everything: tuple[Path, list[FileResult]],
) -> None:
    home, results = everything
    assert [r.status for r in results].count("refused") == 5

    secret = pseudonym(KEY, SECRET_ID)
    other = pseudonym(KEY, OTHER_ID)
    assert re.fullmatch(r"u_[0-9a-f]{20}", secret)
    assert secret != other
    assert secret != "u_" + hashlib.sha256(SECRET_ID.encode()).hexdigest()[:20]  # keyed

    requests = landed(home, "requests")
    assert requests.select("_source_file", "user_id").rows() == [
        ("requests.csv", secret),
        ("requests.csv", other),
        ("requests.json", secret),
        ("requests.jsonl", secret),
        ("requests.parquet", secret),
        ("shouting.csv", secret),
    ]
    for entity in ("activity", "people", "survey_responses", "enablement_events", "licenses"):
        assert landed(home, entity)["user_id"].to_list() == [secret], entity
    assert landed(home, "workflow_events")["actor_id"].to_list() == [secret]

    # Quarantined rows carry the pseudonym too.
    assert quarantined(home, "requests")["user_id"].to_list() == [secret]
    assert quarantined(home, "activity")["user_id"].to_list() == [secret]
    assert quarantined(home, "workflow_events")["actor_id"].to_list() == [secret]

    # prompt / response are not columns anywhere, whatever their case.
    for frame in (requests, quarantined(home, "requests")):
        assert not {"prompt", "response"} & {name.lower() for name in frame.columns}


def _parquet_text(path: Path) -> str:
    """Every column name and value of a Parquet file, as text."""
    con = duckdb.connect()
    try:
        relation = con.sql(
            "select * from read_parquet($p, hive_partitioning=false)", params={"p": str(path)}
        )
        return repr(relation.columns) + repr(relation.fetchall())
    finally:
        con.close()


def test_raw_ids_and_prompts_are_written_nowhere_under_the_home(
    everything: tuple[Path, list[FileResult]],
) -> None:
    home, results = everything

    files = [p for p in home.rglob("*") if p.is_file()]
    parquet = [p for p in files if p.suffix == ".parquet"]
    assert len(parquet) > 30  # landed, quarantined, ledger batches and rejections
    for path in files:
        data = path.read_bytes().lower()
        texts = [data.decode("utf-8", "replace")]
        if path.suffix == ".parquet":
            texts.append(_parquet_text(path).lower())
        for needle in NEEDLES:
            for text in texts:
                assert needle not in text, f"{needle!r} found in {path.relative_to(home)}"
    # Nor in what the user is told (the terminal line may end up in logs).
    for result in results:
        for needle in NEEDLES:
            assert needle not in result.message.lower(), result.message
            assert needle not in result.summary().lower()


def test_refusal_reasons_keep_line_and_problem_without_the_row(
    everything: tuple[Path, list[FileResult]],
) -> None:
    _, results = everything
    refused = {r.path.name: r.message.split(": ", 1)[1] for r in results if r.status == "refused"}
    assert refused == {
        "no_status.csv": refused["no_status.csv"],  # names the column, checked in test_refused
        "quote.csv": f"cannot be read as CSV: {UNCLOSED_QUOTE}",
        "late_quote.csv": f"cannot be read as CSV: {UNCLOSED_QUOTE}",
        "late_extra.csv": f"cannot be read as CSV: {FIELD_TOO_MANY}",
        "bad.jsonl": "invalid JSON: Expecting property name enclosed in double quotes",
    }
    lines = {
        r.path.name: r.message.split(": ", 1)[0].rsplit(", line ", 1)[-1]
        for r in results
        if r.status == "refused"
    }
    assert lines["quote.csv"] == "3"
    assert lines["late_quote.csv"] == "30002"
    assert lines["late_extra.csv"] == "30002"
    assert lines["bad.jsonl"] == "2"


def test_key_is_generated_once_and_kept_outside_the_data(
    home: Path, inputs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without CADENCE_PSEUDONYM_KEY a 256-bit key is generated on first use, readable by its
    owner only, and reused: the same person keeps the same pseudonym."""
    monkeypatch.delenv("CADENCE_PSEUDONYM_KEY")
    first = write_csv(inputs / "a.csv", [{**raw_row("licenses", 1), "user_id": SECRET_ID}])
    second = write_jsonl(
        inputs / "b.jsonl", [{**raw_row("licenses", 2), "user_id": SECRET_ID.upper()}]
    )

    ingest_files(SCHEMAS["licenses"], [first], home)
    key_file = home / ".secrets" / "pseudonym.key"
    key = bytes.fromhex(key_file.read_text())
    ingest_files(SCHEMAS["licenses"], [second], home)

    assert len(key) == 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert landed(home, "licenses")["user_id"].to_list() == [pseudonym(key, SECRET_ID)] * 2
    assert bytes.fromhex(key_file.read_text()) == key


def test_key_file_location_is_configurable(
    home: Path, inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CADENCE_PSEUDONYM_KEY")
    key_file = tmp_path / "elsewhere" / "cadence.key"
    monkeypatch.setenv("CADENCE_KEY_FILE", str(key_file))

    path = write_csv(inputs / "a.csv", [{**raw_row("licenses", 1), "user_id": SECRET_ID}])
    ingest_files(SCHEMAS["licenses"], [path], home)

    assert not (home / ".secrets").exists()
    key = bytes.fromhex(key_file.read_text())
    assert landed(home, "licenses")["user_id"].to_list() == [pseudonym(key, SECRET_ID)]
