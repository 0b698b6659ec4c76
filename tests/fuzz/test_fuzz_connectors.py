"""Fuzzing the vendor connectors (GitHub Copilot, Microsoft 365 Copilot, OpenTelemetry GenAI)
and `cadence ingest auto` with generated vendor files: records of the right shape holding
values of any JSON type (wrong types, huge numbers, far-future and negative times, odd text),
extra fields carrying prompt text and display names, raw identities, and byte corruption.

Properties, each example in a fresh cadence home:

- no exception: every file is landed (one batch per entity it feeds) or refused with a
  message naming it, and a refusal leaves nothing in landing/ and a rejection in the ledger;
- counts add up: the rows each entity receives are counted here from the generated records
  (one activity row per GitHub user record, one requests row per GenAI span, ...), and
  every `_source_row` of a batch is landed or quarantined exactly once;
- the planted marker (display names, prompts, messages, raw user ids) is written nowhere.

Example counts and profiles: see tests/fuzz/conftest.py (`HYPOTHESIS_PROFILE=soak`,
`CADENCE_FUZZ_EXAMPLES=N`).
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import random
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fuzz_helpers import (
    MARKER,
    ODD_TEXT,
    assert_no_marker,
    check_home,
    identity_value,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from test_fuzz_canonical import MUTATIONS, _mutate

from cadence.cli import main
from ingestion.connectors import auto, github_copilot, m365_copilot, otel_genai
from ingestion.landing import FileResult


def examples(weight: int) -> int:
    return settings.default.max_examples * weight


SECRET = f"secret {MARKER} prompt"

# --------------------------------------------------------------------------- values

DATES = st.one_of(
    st.dates().map(str),
    st.dates().map(lambda d: f"{d}T00:00:00Z"),
    st.sampled_from(ODD_TEXT),
)
JSON_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(ODD_TEXT),
    st.text(max_size=8),
)
JSON_ANY = st.recursive(
    JSON_SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
COUNT = st.one_of(st.integers(0, 10_000), JSON_ANY)


def _dumps(value: Any) -> str:
    return json.dumps(value, allow_nan=True)


def _json_file(
    draw: st.DrawFn, folder: Path, stem: str, records: list[Any], *, wrap: str = ""
) -> Path:
    """Records as JSON Lines, or one JSON array (`wrap="value"`: a Graph `{"value": [...]}`);
    sometimes gzipped, sometimes with a byte order mark."""
    layout = draw(st.sampled_from(["lines", "array"] if not wrap else ["graph", "lines"]))
    if layout == "lines":
        text = "".join(_dumps(record) + "\n" for record in records)
        name = f"{stem}.{draw(st.sampled_from(['ndjson', 'jsonl', 'json']))}"
    elif layout == "graph":
        text = _dumps({"value": records}) if records or draw(st.booleans()) else ""
        name = f"{stem}.json"
    else:
        text = json.dumps(records, indent=draw(st.sampled_from([None, 1, 2])))
        name = f"{stem}.json"
    data = text.encode()
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if draw(st.integers(0, 4)) == 0:
        data, name = gzip.compress(data, mtime=0), name + ".gz"
    path = folder / name
    path.write_bytes(data)
    return path


def _maybe_corrupt(draw: st.DrawFn, path: Path) -> bool:
    """Corrupt the file's bytes one time in four; return whether it was."""
    if draw(st.integers(0, 3)) > 0:
        return False
    rng = random.Random(draw(st.integers(0, 2**32)))
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    for kind in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=2)):
        raw = _mutate(raw, rng, kind)
    path.write_bytes(raw)  # a .gz name over plain bytes: corrupt too
    return True


def _batch_rows(results: list[FileResult]) -> dict[str, int]:
    return {r.entity: r.rows_read for r in results if r.status == "landed"}


def _check(
    home: Path, results: list[FileResult], expected: dict[str, int], corrupted: bool
) -> None:
    check_home(home, results)
    assert_no_marker(home, results)
    statuses = {r.status for r in results}
    if "refused" in statuses:
        assert len(results) == 1, "a vendor file is refused whole, before anything lands"
        return
    if corrupted:
        return
    got = _batch_rows(results)
    if expected:  # {} when the rows per entity are not worked out here
        for entity in set(got) | set(expected):
            assert got.get(entity, 0) == expected.get(entity, 0), (entity, got, expected)


# --------------------------------------------------------------------------- GitHub Copilot


@st.composite
def github_user(draw: st.DrawFn, index: int) -> tuple[dict[str, Any], int]:
    """A user-level report record and the copilot_usage_details rows it yields."""
    record: dict[str, Any] = {
        "day": draw(DATES),
        "user_login": draw(st.one_of(identity_value(index), JSON_SCALAR)),
        "display_name": SECRET,
        "user_email": SECRET,
    }
    for name in github_copilot.COUNTS:
        if draw(st.booleans()):
            record[name] = draw(COUNT)
    for flag in github_copilot.USED_FLAGS:
        if draw(st.booleans()):
            record[flag] = draw(st.one_of(st.booleans(), JSON_SCALAR))
    details = 1
    for key, (_, dimensions) in github_copilot.BREAKDOWNS.items():
        if draw(st.booleans()):
            entries = draw(
                st.lists(
                    st.one_of(
                        st.fixed_dictionaries(
                            {d: JSON_SCALAR for d in dimensions},
                            optional={
                                "code_generation_activity_count": COUNT,
                                "prompt": st.just(SECRET),
                            },
                        ),
                        JSON_SCALAR,
                    ),
                    max_size=3,
                )
            )
            record[key] = draw(st.one_of(st.just(entries), JSON_SCALAR))
            if isinstance(record[key], list):
                details += sum(isinstance(entry, dict) for entry in record[key])
    if draw(st.booleans()):
        cli = draw(
            st.one_of(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "session_count": COUNT,
                        "request_count": COUNT,
                        "token_usage": st.one_of(
                            st.fixed_dictionaries({"prompt_tokens_sum": COUNT}), JSON_SCALAR
                        ),
                    },
                ),
                JSON_SCALAR,
            )
        )
        record["totals_by_cli"] = cli
        details += isinstance(cli, dict)
    return record, details


#: Report fields that become KPI observations: every active- or passive-user count
#: (github_copilot.AGGREGATE_KPI_FIELD) and the AI credits used.
AGGREGATE_KPI_NAMES = (
    "daily_active_users",
    "weekly_active_users",
    "monthly_active_users",
    "daily_passive_users",
    "monthly_active_chat_users",
    "weekly_active_copilot_cloud_agent_users",
    *github_copilot.AGGREGATE_KPI_EXTRA,
)
assert all(github_copilot.AGGREGATE_KPI_FIELD.match(name) for name in AGGREGATE_KPI_NAMES[:-1])


@st.composite
def github_aggregate(draw: st.DrawFn) -> tuple[dict[str, Any], int, int]:
    """An organisation/enterprise day record: (record, kpi rows, detail rows)."""
    record: dict[str, Any] = {"day": draw(DATES)}
    # a blank id names no scope (the file is refused): each report names its scope
    scope_id = st.text(min_size=1, max_size=6).filter(str.strip)
    if draw(st.booleans()):
        record["organization_id"] = draw(st.one_of(scope_id, st.integers()))
    else:
        record["enterprise_id"] = draw(scope_id)
    kpis = 0
    record["daily_active_users"] = draw(COUNT)
    for name in AGGREGATE_KPI_NAMES[1:]:
        if draw(st.booleans()):
            record[name] = draw(COUNT)
    pulls = draw(st.one_of(st.dictionaries(st.text(max_size=6), COUNT, max_size=3), JSON_SCALAR))
    record["pull_requests"] = pulls
    for name in AGGREGATE_KPI_NAMES:
        value = record.get(name)
        kpis += value is not None and not isinstance(value, dict | list)
    if isinstance(pulls, dict):
        kpis += sum(v is not None and not isinstance(v, dict | list) for v in pulls.values())
    return record, kpis, 1


@st.composite
def github_files(draw: st.DrawFn, folder: Path) -> tuple[Path, dict[str, int]]:
    records: list[Any] = []
    activity = details = kpis = 0
    for index in range(draw(st.integers(0, 5))):
        if draw(st.integers(0, 3)):
            record, rows = draw(github_user(index))
            records.append(record)
            activity += 1
            details += rows
        else:
            record, kpi_rows, rows = draw(github_aggregate())
            records.append(record)
            kpis += kpi_rows
            details += rows
    path = _json_file(draw, folder, "copilot_users", records)
    return path, {"activity": activity, "kpi_observations": kpis, "copilot_usage_details": details}


@settings(max_examples=examples(3))
@given(data=st.data())
def test_github_copilot_files(fresh_home: Callable, data: st.DataObject) -> None:
    with fresh_home() as (home, inputs):
        path, expected = data.draw(github_files(inputs), label="file")
        corrupted = _maybe_corrupt(data.draw, path)
        results = github_copilot.load([path], home)
        _check(home, results, expected, corrupted)


# --------------------------------------------------------------------------- Microsoft 365

M365_APPS = ("Microsoft Teams", "Word", "Excel", "Copilot Chat", "Some New App")


@st.composite
def m365_detail_csv(draw: st.DrawFn, folder: Path) -> tuple[Path, dict[str, int]]:
    apps = draw(st.lists(st.sampled_from(M365_APPS), unique=True, max_size=4))
    header = [
        "Report Refresh Date",
        "User Principal Name",
        "Display Name",
        "Last Activity Date",
        *(f"{app} Copilot Last Activity Date" for app in apps),
        "Report Period",
        "Prompts submitted for all apps",
    ]
    header = draw(st.permutations(header))
    rows = []
    activity = details = seats = 0
    date_text = st.one_of(DATES, st.just(""), st.just("  "))
    for index in range(draw(st.integers(0, 5))):
        row = {
            "Report Refresh Date": draw(DATES),
            "User Principal Name": draw(identity_value(index)),
            "Display Name": SECRET,
            "Last Activity Date": draw(date_text),
            "Report Period": draw(st.sampled_from(["7", "D28", "30 days", "x", "", "99"])),
            "Prompts submitted for all apps": draw(st.sampled_from(["", "3", "-1", "1e9"])),
        }
        app_dates = []
        for app in apps:
            value = draw(date_text)
            row[f"{app} Copilot Last Activity Date"] = value
            app_dates.append(value)
        dates = {d.strip() for d in [row["Last Activity Date"], *app_dates] if d.strip()}
        activity += len(dates)
        # a row with a blank refresh date is dated by nothing: its per-app days land, its
        # period totals and seat do not (m365_copilot: as the admin centre's export)
        dated = bool(row["Report Refresh Date"].strip())
        details += sum(bool(d.strip()) for d in app_dates) + dated
        seats += _seat_weeks(row["Report Refresh Date"], row["Report Period"]) if dated else 0
        rows.append(row)
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row[name] for name in header])
    path = folder / "m365_detail.csv"
    path.write_text(buffer.getvalue(), encoding=draw(st.sampled_from(["utf-8", "utf-8-sig"])))
    return path, {
        "activity": activity,
        "licenses": seats,
        "copilot_usage_details": details,
    }


def _seat_weeks(refresh: str, period: str) -> int:
    """Licence rows of one user row: one per week (Monday to Sunday) the report period
    touches, ending on the refresh date; one when the period is no count of days, or the
    refresh date no date (that row is passed on, and quarantined)."""
    try:
        day = date.fromisoformat(refresh.strip()[:10])
    except ValueError:
        return 1
    days = re.fullmatch(r"\s*[Dd]?(\d+)(\s*days?)?\s*", period)
    if days is None or int(days.group(1)) == 0:
        return 1
    first = day - timedelta(days=min(int(days.group(1)) - 1, (day - date.min).days))
    return (day - (first - timedelta(days=first.weekday()))).days // 7 + 1


def csv_writer(buffer: io.StringIO) -> Any:
    import csv

    return csv.writer(buffer, lineterminator="\n")


@st.composite
def m365_detail_json(draw: st.DrawFn, folder: Path) -> tuple[Path, dict[str, int]]:
    records = []
    for index in range(draw(st.integers(0, 4))):
        record: dict[str, Any] = {
            "reportRefreshDate": draw(st.one_of(DATES, JSON_SCALAR)),
            "userPrincipalName": draw(st.one_of(identity_value(index), JSON_SCALAR)),
            "displayName": SECRET,
            "lastActivityDate": draw(st.one_of(DATES, JSON_SCALAR)),
        }
        for app in ("microsoftTeamsCopilotLastActivityDate", "wordCopilotLastActivityDate"):
            if draw(st.booleans()):
                record[app] = draw(st.one_of(DATES, JSON_SCALAR))
        if draw(st.booleans()):
            record["copilotActivityUserDetailsByPeriod"] = draw(
                st.one_of(
                    st.lists(st.fixed_dictionaries({"reportPeriod": JSON_SCALAR}), max_size=2),
                    JSON_SCALAR,
                )
            )
        if draw(st.booleans()):
            record["promptsSubmittedForAllApps"] = draw(COUNT)
        records.append(record)
    # The rows per entity depend on which dates are blank in ways the CSV test counts; here
    # only "no exception, counts add up" is checked.
    return _json_file(draw, folder, "m365_detail", records, wrap="value"), {}


@st.composite
def m365_summary_csv(draw: st.DrawFn, folder: Path) -> tuple[Path, dict[str, int]]:
    measures = draw(
        st.lists(
            st.sampled_from(
                [
                    "Any App Enabled Users",
                    "Any App Active Users",
                    "Word Enabled Users",
                    "Teams Active Users",
                    "Total prompts submitted",
                ]
            ),
            unique=True,
            min_size=1,
        )
    )
    header = ["Report Refresh Date", "Report Period", *measures]
    values = st.one_of(st.sampled_from(["", " ", "12", "-3", "1e400", "x"]), st.integers().map(str))
    rows = [
        [draw(DATES), draw(st.sampled_from(["7", "28", "D90", "", "x"]))]
        + [draw(values) for _ in measures]
        for _ in range(draw(st.integers(0, 4)))
    ]
    kpis = sum(bool(value.strip()) for row in rows for value in row[2:])
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    path = folder / "m365_summary.csv"
    path.write_text(buffer.getvalue())
    return path, {"kpi_observations": kpis}


@settings(max_examples=examples(3))
@given(data=st.data())
def test_m365_copilot_files(fresh_home: Callable, data: st.DataObject) -> None:
    with fresh_home() as (home, inputs):
        kind = data.draw(st.sampled_from([m365_detail_csv, m365_detail_json, m365_summary_csv]))
        path, expected = data.draw(kind(inputs), label="file")
        corrupted = _maybe_corrupt(data.draw, path)
        results = m365_copilot.load([path], home)
        _check(home, results, expected, corrupted)


# --------------------------------------------------------------------------- OpenTelemetry

NANOS = st.one_of(
    st.integers(1_600_000_000 * 10**9, 1_760_000_000 * 10**9).map(str),
    st.integers(-(2**80), 2**80).map(str),
    st.integers(-(2**70), 2**70),
    JSON_SCALAR,
)


def _any_value(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(
            ["stringValue", "intValue", "doubleValue", "boolValue", "arrayValue", "other"]
        )
    )
    if kind == "arrayValue":
        return {"arrayValue": {"values": [{"stringValue": draw(st.text(max_size=5))}]}}
    if kind == "other":
        return draw(st.one_of(st.just({}), st.just({"kvlistValue": None}), JSON_SCALAR))
    return {kind: draw(JSON_SCALAR)}


@st.composite
def otel_files(draw: st.DrawFn, folder: Path) -> tuple[Path, dict[str, int]]:
    genai = 0
    exports = []
    for _ in range(draw(st.integers(0, 3))):
        resource_spans = []
        for _ in range(draw(st.integers(0, 2))):
            spans = []
            for index in range(draw(st.integers(0, 3))):
                attributes = [
                    {"key": "gen_ai.prompt", "value": {"stringValue": SECRET}},
                    {"key": "gen_ai.input.messages", "value": {"stringValue": SECRET}},
                ]
                is_genai = draw(st.booleans())
                if is_genai:
                    marker = draw(st.sampled_from(otel_genai.GENAI_MARKERS))
                    attributes.append({"key": marker, "value": _any_value(draw)})
                for key in ("gen_ai.request.model", "gen_ai.usage.input_tokens", "error.type"):
                    if draw(st.booleans()):
                        attributes.append({"key": key, "value": _any_value(draw)})
                if draw(st.booleans()):
                    attributes.append(
                        {"key": "user.id", "value": {"stringValue": draw(identity_value(index))}}
                    )
                span = {
                    "traceId": draw(st.one_of(st.text(max_size=8), JSON_SCALAR)),
                    "spanId": draw(st.one_of(st.text(max_size=8), JSON_SCALAR)),
                    "startTimeUnixNano": draw(NANOS),
                    "endTimeUnixNano": draw(NANOS),
                    "attributes": draw(st.one_of(st.just(attributes), JSON_SCALAR)),
                    "status": draw(
                        st.one_of(st.fixed_dictionaries({"code": JSON_SCALAR}), JSON_SCALAR)
                    ),
                    "events": [
                        {
                            "name": "gen_ai.evaluation.result",
                            "attributes": [
                                {"key": "gen_ai.evaluation.score.label", "value": _any_value(draw)},
                                {
                                    "key": "gen_ai.evaluation.explanation",
                                    "value": {"stringValue": SECRET},
                                },
                            ],
                        }
                    ],
                }
                # a span naming a model or token usage is GenAI too (a model call)
                is_genai = any(item["key"] in otel_genai.GENAI_MARKERS for item in attributes)
                genai += is_genai and isinstance(span["attributes"], list)
                spans.append(span)
            resource_spans.append(
                {
                    "resource": {
                        "attributes": [
                            {"key": "service.name", "value": _any_value(draw)},
                            {"key": "user.email", "value": {"stringValue": SECRET}},
                        ]
                    },
                    "scopeSpans": [{"scope": {"name": "x"}, "spans": spans}],
                }
            )
        exports.append({"resourceSpans": resource_spans})
    return _json_file(draw, folder, "spans", exports), {"requests": genai}


@settings(max_examples=examples(3))
@given(data=st.data())
def test_otel_genai_files(fresh_home: Callable, data: st.DataObject) -> None:
    with fresh_home() as (home, inputs):
        path, expected = data.draw(otel_files(inputs), label="file")
        corrupted = _maybe_corrupt(data.draw, path)
        results = otel_genai.load([path], home)
        _check(home, results, expected, corrupted)


# --------------------------------------------------------------------------- auto and the CLI

VENDOR_FILES = (github_files, m365_detail_csv, m365_detail_json, m365_summary_csv, otel_files)


@settings(max_examples=examples(3))
@given(data=st.data())
def test_auto_recognises_or_refuses(fresh_home: Callable, data: st.DataObject) -> None:
    """`ingest auto` on generated vendor files (sometimes corrupted): recognised and landed, or
    refused as not recognised, with a rejection in the ledger."""
    with fresh_home() as (home, inputs):
        path, _ = data.draw(data.draw(st.sampled_from(VENDOR_FILES))(inputs), label="file")
        _maybe_corrupt(data.draw, path)
        results = auto.load([path], home)
        check_home(home, results)
        assert_no_marker(home, results)


@settings(max_examples=examples(2))
@given(data=st.data())
def test_cadence_ingest_connector_command(fresh_home: Callable, data: st.DataObject) -> None:
    """`cadence ingest <connector>|auto FILE`: exit 0 or 1, never an exception."""
    with fresh_home() as (home, inputs):
        maker = data.draw(st.sampled_from(VENDOR_FILES))
        path, _ = data.draw(maker(inputs), label="file")
        _maybe_corrupt(data.draw, path)
        connector = data.draw(
            st.sampled_from(["auto", "github-copilot", "m365-copilot", "otel-genai"])
        )
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["ingest", connector, str(path), "--home", str(home)])
        printed = out.getvalue()
        assert code == (1 if "REFUSED " in printed else 0), printed
        assert "Traceback" not in printed + err.getvalue()
        assert MARKER not in printed.lower()
        assert_no_marker(home)
