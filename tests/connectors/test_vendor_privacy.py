"""No raw e-mail, login or display name of the vendor exports (issue 18) reaches any file under
the cadence home, nor what the user is told: ids are pseudonymised, display names never read."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion.connectors import github_copilot, m365_copilot
from ingestion.connectors.auto import load

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


GATEWAY_FILES = (
    "azure_openai_request_response.json",
    "azure_openai_log_analytics.json",
    "bedrock_invocation_logs.jsonl",
    "litellm_spend_logs.csv",
    "litellm_spend_logs_v2.json",
    "langfuse_observations.json",
)
#: Identities, display names, addresses and prompt / completion text in the per-call fixtures.
GATEWAY_NEEDLES = (
    "megan.bowen",
    "lee.gu",
    "alex.wilber",
    "alex wilber",
    "nestor.wilke",
    "irvin.sayers",
    "adele.vance",
    "contoso.example",
    "svc-search-app",
    "3f1c9d2e-7a4b",  # an Entra object id
    "198.51.100.7",  # a caller's address
    "203.0.113",
    "secret prompt",
    "secret completion",
    "can't help with that",
    "timed out: timeout after",  # a status message: read for one word, never stored
)


def test_no_identity_or_prompt_of_a_per_call_log_reaches_the_home(
    home: Path, fixtures: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "spend.csv"  # refused: its reason must not quote a row either
    text = (fixtures / "litellm_spend_logs.csv").read_text()
    broken.write_text(text.replace("request_id,", "req,", 1))
    results = load([fixtures / name for name in GATEWAY_FILES] + [broken], home)
    assert [r.status for r in results] == ["landed"] * 6 + ["refused"]

    files = [path for path in home.rglob("*") if path.is_file()]
    for path in files:
        texts = [path.read_bytes().decode("utf-8", "replace").lower()]
        if path.suffix == ".parquet":
            texts.append(_parquet_text(path).lower())
        for needle in GATEWAY_NEEDLES:
            for text in texts:
                assert needle not in text, f"{needle!r} found in {path.relative_to(home)}"
    for result in results:
        for needle in GATEWAY_NEEDLES:
            assert needle not in result.summary().lower(), result.summary()
