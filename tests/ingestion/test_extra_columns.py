"""Undeclared columns are dropped unless extra_columns.csv names them (CONTRACTS.md §5.5); a
name that suggests a person's identity or free text is never kept, named or not; special
timestamp values ('infinity') are not valid timestamps."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from cadence.cli import main
from ingestion.entities.registry import SCHEMAS
from ingestion.extra_columns import ExtraColumnsUnreadable, load_extra_columns
from ingestion.landing import ingest_files

HEADER = "request_id,occurred_at,user_id,tool,provider,model,operation,status"
#: Identity and free text under names the old deny-list did not know (issue 16, item 2).
UNKNOWN_TO_THE_DENY_LIST = (
    "requester",
    "author",
    "assignee",
    "customer_name",
    "question",
    "query",
    "transcript",
    "body",
    "notes",
    "ssn",
)


def _land(
    home: Path,
    inputs: Path,
    header_extra: str,
    rows: list[str],
    allowed: frozenset[str] = frozenset(),
) -> list:
    path = inputs / "requests.csv"
    path.write_text(f"{HEADER}{header_extra}\n" + "\n".join(rows) + "\n")
    return ingest_files(SCHEMAS["requests"], [path], home, extra_columns={"requests": allowed})


def _landed_columns(home: Path) -> list[str]:
    glob = str(home / "landing" / "requests" / "batch_id=2*" / "*.parquet")
    return [
        row[0]
        for row in duckdb.execute(
            "describe select * from read_parquet($g, hive_partitioning = false)", {"g": glob}
        ).fetchall()
    ]


def _every_byte_under(home: Path) -> bytes:
    """Every file under the home, Parquet, ledger and key included, concatenated."""
    return b"".join(path.read_bytes() for path in sorted(home.rglob("*")) if path.is_file())


def test_identity_and_free_text_extras_are_dropped_even_when_allow_listed(
    home: Path, inputs: Path
) -> None:
    allowed = frozenset(
        {"gateway_region", "email", "UserPrincipalName", "display_name", "message_text", "batch_id"}
    )
    result = _land(
        home,
        inputs,
        ",gateway_region,email,UserPrincipalName,display_name,message_text,batch_id",
        [
            "r1,2026-03-02T09:30:00Z,a@corp.test,gateway,openai,gpt-4.1,chat,success,"
            "eu-west,zz.secret@corp.test,zz.secret@corp.test,Zed Secret,hello there,b-1"
        ],
        allowed,
    )
    assert [r.rows_landed for r in result] == [1]
    columns = _landed_columns(home)
    assert "gateway_region" in columns
    for dropped in ("email", "UserPrincipalName", "display_name", "message_text"):
        assert dropped not in columns
    assert columns.count("batch_id") == 0  # would shadow the hive partition column
    assert result[0].withheld == (
        "email",
        "UserPrincipalName",
        "display_name",
        "message_text",
        "batch_id",
    )
    for path in home.rglob("*.parquet"):
        assert b"zz.secret" not in path.read_bytes()


def test_undeclared_columns_are_dropped_unless_allow_listed(home: Path, inputs: Path) -> None:
    """A `requester` column of e-mail addresses (and every other identity or free-text column
    the old deny-list missed) lands nowhere: no byte of it in any file under the home."""
    header = "," + ",".join((*UNKNOWN_TO_THE_DENY_LIST, "gateway_region"))
    values = [f"zz.{name}.secret@corp.test" for name in UNKNOWN_TO_THE_DENY_LIST]
    rows = [
        "r1,2026-03-02T09:30:00Z,a@corp.test,gateway,openai,gpt-4.1,chat,success,"
        + ",".join(values)
        + ",eu-west",
        # a quarantined row (unknown status) carries them too
        "r2,2026-03-02T09:30:00Z,a@corp.test,gateway,openai,gpt-4.1,chat,nope,"
        + ",".join(values)
        + ",eu-west",
    ]
    [result] = _land(home, inputs, header, rows, frozenset({"gateway_region"}))

    assert (result.rows_landed, result.rows_quarantined) == (1, 1)
    assert result.dropped == UNKNOWN_TO_THE_DENY_LIST
    assert "not landed: requester, author, assignee" in result.summary()
    assert "gateway_region" in _landed_columns(home)
    everything = _every_byte_under(home)
    assert b"zz." not in everything
    assert b"secret@corp" not in everything


def test_cli_reads_the_allow_list_from_the_configuration_folder(
    home: Path, inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "extra_columns.csv").write_text("entity,column\nrequests,gateway_region\n")
    path = inputs / "requests.csv"
    path.write_text(
        f"{HEADER},gateway_region,requester\n"
        "r1,2026-03-02T09:30:00Z,a@corp.test,gateway,openai,gpt-4.1,chat,success,eu,"
        "zz.requester@corp.test\n"
    )

    assert (
        main(["ingest", "--home", str(home), "--config", str(config), "requests", str(path)]) == 0
    )

    out = capsys.readouterr().out
    assert "not landed: requester" in out
    assert f"name it in {config / 'extra_columns.csv'}" in out
    assert "gateway_region" in _landed_columns(home)
    assert b"zz.requester" not in _every_byte_under(home)


def test_no_allow_list_keeps_nothing_and_a_bad_one_names_the_problem(tmp_path: Path) -> None:
    assert load_extra_columns(None) == {}
    assert load_extra_columns(tmp_path) == {}  # no extra_columns.csv: nothing is kept
    (tmp_path / "extra_columns.csv").write_text("entity,column\nrequest,region\n")
    with pytest.raises(ExtraColumnsUnreadable, match=r"line 2: unknown entity 'request'"):
        load_extra_columns(tmp_path)
    (tmp_path / "extra_columns.csv").write_text("table,name\nrequests,region\n")
    with pytest.raises(ExtraColumnsUnreadable, match="header must name the columns entity,column"):
        load_extra_columns(tmp_path)
    (tmp_path / "extra_columns.csv").write_text(
        "entity,column\r\nrequests, region \r\n\r\nactivity,team\r\nrequests,cost_center\r\n"
    )
    assert load_extra_columns(tmp_path) == {
        "requests": frozenset({"region", "cost_center"}),
        "activity": frozenset({"team"}),
    }


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
