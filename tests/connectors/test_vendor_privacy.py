"""No raw e-mail, login or display name of the vendor exports (issue 18) reaches any file under
the cadence home, nor what the user is told: ids are pseudonymised, display names never read."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion.connectors import github_copilot, m365_copilot

M365_FILES = (
    "m365_admin_center_export.csv",
    "m365_powershell_user_detail.csv",
    "m365_usage_user_detail_v2_d28.csv",
)
GITHUB_FILES = (
    "github_users_surfaces_1_day.ndjson",
    "github_users_1_day.ndjson",
    "github_copilot_seats.json",
)
NEEDLES = (
    "megan.bowen",
    "megan bowen",
    "lee.gu",
    "lee gu",
    "alex.wilber",
    "alex wilber",
    "nestor.wilke",
    "nestor wilke",
    "irvin.sayers",
    "irvin sayers",
    "adele.vance",
    "adele vance",
    "contoso.example",
    "app-only-dev",
    "agent-only-dev",
    "credits-only-dev",
    "idle-dev",
    "cloud-agent-dev",
    "seat-holder-one",
    "seat-holder-two",
    "login1",
    "login2",
)


def _parquet_text(path: Path) -> str:
    con = duckdb.connect()
    try:
        relation = con.sql(
            "select * from read_parquet($p, hive_partitioning=false)", params={"p": str(path)}
        )
        return repr(relation.columns) + repr(relation.fetchall())
    finally:
        con.close()


def test_no_raw_identity_reaches_the_home(home: Path, fixtures: Path, tmp_path: Path) -> None:
    broken = tmp_path / "export.csv"  # a refused file: its reason must not quote a row either
    text = (fixtures / "m365_admin_center_export.csv").read_text()
    broken.write_text(text.replace("User name,", "User,", 1))
    results = m365_copilot.load([fixtures / name for name in M365_FILES], home)
    results += m365_copilot.load([broken], home)
    results += github_copilot.load([fixtures / name for name in GITHUB_FILES], home)
    assert {r.status for r in results} == {"landed", "refused"}

    files = [path for path in home.rglob("*") if path.is_file()]
    assert len([path for path in files if path.suffix == ".parquet"]) > 10
    for path in files:
        texts = [path.read_bytes().decode("utf-8", "replace").lower()]
        if path.suffix == ".parquet":
            texts.append(_parquet_text(path).lower())
        for needle in NEEDLES:
            for text in texts:
                assert needle not in text, f"{needle!r} found in {path.relative_to(home)}"
    for result in results:
        for needle in NEEDLES:
            assert needle not in result.summary().lower(), result.summary()
