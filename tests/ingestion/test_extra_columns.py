"""Extra columns are kept, except those that would store a person's identity or free text;
special timestamp values ('infinity') are not valid timestamps."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion.entities.registry import SCHEMAS
from ingestion.landing import ingest_files

HEADER = "request_id,occurred_at,user_id,tool,provider,model,operation,status"


def _land(home: Path, inputs: Path, header_extra: str, rows: list[str]) -> list:
    path = inputs / "requests.csv"
    path.write_text(f"{HEADER}{header_extra}\n" + "\n".join(rows) + "\n")
    return ingest_files(SCHEMAS["requests"], [path], home)


def _landed_columns(home: Path) -> list[str]:
    glob = str(home / "landing" / "requests" / "batch_id=2*" / "*.parquet")
    return [
        row[0]
        for row in duckdb.execute(
            "describe select * from read_parquet($g, hive_partitioning = false)", {"g": glob}
        ).fetchall()
    ]


def test_identity_and_free_text_extras_are_dropped_others_kept(home: Path, inputs: Path) -> None:
    result = _land(
        home,
        inputs,
        ",gateway_region,email,UserPrincipalName,display_name,message_text,batch_id",
        [
            "r1,2026-03-02T09:30:00Z,a@corp.test,gateway,openai,gpt-4.1,chat,success,"
            "eu-west,zz.secret@corp.test,zz.secret@corp.test,Zed Secret,hello there,b-1"
        ],
    )
    assert [r.rows_landed for r in result] == [1]
    columns = _landed_columns(home)
    assert "gateway_region" in columns
    for dropped in ("email", "UserPrincipalName", "display_name", "message_text"):
        assert dropped not in columns
    assert columns.count("batch_id") == 0  # would shadow the hive partition column
    for path in home.rglob("*.parquet"):
        assert b"zz.secret" not in path.read_bytes()


def test_infinite_timestamps_are_quarantined(home: Path, inputs: Path) -> None:
    result = _land(
        home,
        inputs,
        "",
        [
            "r1,infinity,a@corp.test,gateway,openai,gpt-4.1,chat,success",
            "r2,-infinity,a@corp.test,gateway,openai,gpt-4.1,chat,success",
            "r3,2026-03-02T09:30:00Z,a@corp.test,gateway,openai,gpt-4.1,chat,success",
        ],
    )
    assert (result[0].rows_landed, result[0].rows_quarantined) == (1, 2)
    glob = str(home / "quarantine" / "requests" / "batch_id=2*" / "*.parquet")
    reasons = duckdb.execute(
        "select _source_row, _reason from read_parquet($g) order by 1", {"g": glob}
    ).fetchall()
    assert reasons == [
        (1, "occurred_at: not a valid timestamp"),
        (2, "occurred_at: not a valid timestamp"),
    ]
