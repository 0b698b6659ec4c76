"""Vendor-format files for the demo organisation, for `cadence demo` to ingest through the
connectors (`ingestion/connectors/github_copilot.py`, `m365_copilot.py`, `otel_genai.py`).

`generate_vendor(inputs)` reads the canonical files `cadence.demo` wrote under `inputs`
(people, GitHub Copilot activity, licences) and writes, under `inputs/vendor/`, files in the
vendors' own formats. Each covers a slice the canonical files do not count twice:

- `github-copilot/users-28-day.ndjson`: the GitHub Copilot usage metrics user-level report of
  the demo's last 28 days for Engineering. It re-expresses the canonical `activity` rows of
  those users and days exactly (same counts; logins in the Enterprise Managed Users style
  `first-last_contoso`, joined back to the directory by `inputs/identity_map.csv`, which `cadence demo`
  names in `CADENCE_IDENTITY_MAP`), so they land on the same natural keys and the warehouse
  keeps one of each; what the report adds is the breakdown by IDE, feature, language and
  model in `copilot_usage_details`.
- `github-copilot/enterprise-28-day.ndjson`: the enterprise-level report of the same 28 days
  (daily / weekly / monthly active users counted from the canonical activity, and a
  pull-request block) -> `github_copilot_*` and `github_pr_*` KPI observations.
- `m365-copilot/usage-user-detail-d28.csv` and `user-count-summary-d28.csv`: the Microsoft
  365 Copilot report of a pilot cohort (about 60 people holding no Microsoft 365 Copilot
  seat in the canonical licence export), refreshed on the last day: their seats, activity
  and per-app last activity, and the cohort's enabled / active counts.
- `otel-genai/spans-<day>.jsonl`: one day (the last) of OTLP/JSON spans from an internal
  "knowledge-assistant" agent instrumented with OpenTelemetry (a tool of its own, so no
  request duplicates a gateway request): agent, chat and tool spans, a few timeouts and
  content-filter stops, evaluation events, and a share of spans with no user.

Same inputs and seed, same bytes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl

REPORT_DAYS = 28
GITHUB_UNIT = "bu_engineering"
M365_COHORT = 60
SPANS_PER_DAY = 240
LANGUAGES = ("python", "typescript", "java", "go", "sql")
CHAT_MODELS = ("claude-sonnet-4", "gpt-4.1", "gemini-2.5-flash")
IDES = ("vscode", "jetbrains")
AGENT_MODELS = (("openai", "gpt-4.1-mini"), ("anthropic", "claude-sonnet-4"))
M365_APPS = (
    "Microsoft Teams",
    "Word",
    "Excel",
    "PowerPoint",
    "Outlook",
    "OneNote",
    "Loop",
    "Copilot Chat",
)


@dataclass
class VendorFiles:
    """What `generate_vendor` wrote: files per connector, and the identity map."""

    files: dict[str, list[Path]] = field(default_factory=dict)
    identity_map: Path | None = None


def emu_login(email: str) -> str:
    """A GitHub Enterprise Managed Users login for a directory id (`first-last_contoso`)."""
    return email.split("@")[0].replace(".", "-") + "_contoso"


def _read_activity(path: Path) -> pl.DataFrame:
    frame = pl.read_csv(path, infer_schema=False)
    return frame.with_columns(
        pl.col("activity_date").str.to_date(strict=False),
        *(
            pl.col(name).cast(pl.Int64, strict=False)
            for name in ("interactions", "generations", "acceptances")
        ),
        pl.col("lines_suggested").cast(pl.Int64, strict=False),
        pl.col("lines_accepted").cast(pl.Int64, strict=False),
        (pl.col("is_active").str.to_lowercase() != "false").alias("is_active"),
    ).drop_nulls(["activity_date", "user_id"])


def generate_vendor(inputs: Path, *, seed: int = 7) -> VendorFiles:
    """Write the demo's vendor files under `inputs/vendor/` from its canonical files."""
    rng = np.random.default_rng([seed, 5])
    out = inputs / "vendor"
    people = pl.read_csv(inputs / "people" / "people.csv", infer_schema=False)
    activity = _read_activity(inputs / "activity" / "github_copilot_usage.csv")
    end = activity.filter(pl.col("is_active"))["activity_date"].max()
    assert isinstance(end, date)
    start = end - timedelta(days=REPORT_DAYS - 1)
    result = VendorFiles()
    result.files["github-copilot"], result.identity_map = _github(
        out / "github-copilot", rng, people, activity, start, end
    )
    result.files["m365-copilot"] = _m365(out / "m365-copilot", rng, inputs, people, end)
    result.files["otel-genai"] = [_otel(out / "otel-genai", rng, people, activity, end)]
    return result


# --------------------------------------------------------------------------- GitHub


def _split(rng: np.random.Generator, total: int, parts: int) -> list[int]:
    if parts == 1 or total <= 0:
        return [max(total, 0)] + [0] * (parts - 1)
    cuts = np.sort(rng.integers(0, total + 1, parts - 1))
    return [int(x) for x in np.diff(np.concatenate([[0], cuts, [total]]))]


def _github(
    folder: Path,
    rng: np.random.Generator,
    people: pl.DataFrame,
    activity: pl.DataFrame,
    start: date,
    end: date,
) -> tuple[list[Path], Path]:
    folder.mkdir(parents=True, exist_ok=True)
    engineers = people.filter(pl.col("business_unit_id") == GITHUB_UNIT)["user_id"].unique()
    window = activity.filter(
        pl.col("activity_date").is_between(start, end) & pl.col("is_active")
    ).sort("activity_date", "user_id")
    report = window.filter(pl.col("user_id").is_in(engineers.implode()))
    lines = []
    for row in report.iter_rows(named=True):
        counts = {
            "user_initiated_interaction_count": row["interactions"] or 0,
            "code_generation_activity_count": row["generations"] or 0,
            "code_acceptance_activity_count": row["acceptances"] or 0,
            "loc_suggested_to_add_sum": row["lines_suggested"] or 0,
            "loc_suggested_to_delete_sum": 0,
            "loc_added_sum": row["lines_accepted"] or 0,
            "loc_deleted_sum": 0,
        }
        chat = counts["user_initiated_interaction_count"] > 0
        language = LANGUAGES[int(rng.integers(len(LANGUAGES)))]
        model = CHAT_MODELS[int(rng.integers(len(CHAT_MODELS)))]
        ide = IDES[int(rng.random() < 0.3)]
        feature = "chat_panel_agent_mode" if chat and rng.random() < 0.4 else "code_completion"
        lines.append(
            {
                "report_start_day": start.isoformat(),
                "report_end_day": end.isoformat(),
                "day": row["activity_date"].isoformat(),
                "enterprise_id": "4242",
                "user_id": int(hashlib.sha256(row["user_id"].encode()).hexdigest()[:7], 16),
                "user_login": emu_login(row["user_id"]),
                **counts,
                "totals_by_ide": [{"ide": ide, **counts}],
                "totals_by_feature": [{"feature": feature, **counts}],
                "totals_by_language_feature": [
                    {"language": language, "feature": feature, **_no_prompts(counts)}
                ],
                "totals_by_language_model": (
                    [{"language": language, "model": model, **_no_prompts(counts)}] if chat else []
                ),
                "totals_by_model_feature": (
                    [{"model": model, "feature": feature, **counts}] if chat else []
                ),
                "used_agent": feature == "chat_panel_agent_mode",
                "used_chat": chat,
                "used_cli": False,
            }
        )
    users = folder / "users-28-day.ndjson"
    users.write_text("".join(json.dumps(line, sort_keys=True) + "\n" for line in lines))

    identities = folder.parent.parent / "identity_map.csv"
    logins = report["user_id"].unique().sort()
    pl.DataFrame({"vendor_user_id": [emu_login(u) for u in logins], "user_id": logins}).write_csv(
        identities
    )

    enterprise = folder / "enterprise-28-day.ndjson"
    everyone = activity.filter(pl.col("is_active"))
    day_totals = []
    for offset in range(REPORT_DAYS):
        day = start + timedelta(days=offset)

        def active(days: int, day: date = day) -> int:
            since = day - timedelta(days=days - 1)
            return everyone.filter(pl.col("activity_date").is_between(since, day))[
                "user_id"
            ].n_unique()

        weekday = day.weekday() < 5
        created = int(rng.poisson(38 if weekday else 4))
        merged = int(rng.binomial(created, 0.8))
        by_copilot = int(rng.binomial(created, 0.12 + 0.004 * offset))
        day_totals.append(
            {
                "day": day.isoformat(),
                "enterprise_id": "4242",
                "daily_active_users": active(1),
                "weekly_active_users": active(7),
                "monthly_active_users": active(28),
                "pull_requests": {
                    "total_created": created,
                    "total_merged": merged,
                    "total_created_by_copilot": by_copilot,
                    "total_merged_created_by_copilot": int(rng.binomial(by_copilot, 0.85)),
                    "median_minutes_to_merge": round(float(rng.normal(310 - 3 * offset, 25)), 1),
                    "median_minutes_to_merge_copilot_authored": round(
                        float(rng.normal(190 - 2 * offset, 20)), 1
                    ),
                },
            }
        )
    enterprise.write_text(
        json.dumps(
            {
                "day_totals": day_totals,
                "enterprise_id": "4242",
                "report_start_day": start.isoformat(),
                "report_end_day": end.isoformat(),
            },
            sort_keys=True,
        )
        + "\n"
    )
    return [users, enterprise], identities


def _no_prompts(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if k != "user_initiated_interaction_count"}


# --------------------------------------------------------------------------- M365


def _m365(
    folder: Path, rng: np.random.Generator, inputs: Path, people: pl.DataFrame, end: date
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    seats = pl.read_parquet(inputs / "licenses" / "licenses.parquet")
    seated = seats.filter(pl.col("tool") == "m365_copilot")["user_id"].unique()
    used = _read_activity(inputs / "activity" / "m365_copilot_usage.csv")["user_id"].unique()
    candidates = (
        people.filter(
            pl.col("valid_to").is_null()
            & pl.col("business_unit_id").is_not_null()
            & ~pl.col("user_id").is_in(seated.implode())
            & ~pl.col("user_id").is_in(used.implode())
        )["user_id"]
        .unique()
        .sort()
        .to_list()
    )
    cohort = sorted(rng.choice(candidates, min(M365_COHORT, len(candidates)), replace=False))
    header = [
        "Report Refresh Date",
        "User Principal Name",
        "Display Name",
        "Last Activity Date",
        *(
            f"{app} Copilot Last Activity Date"
            if app != "Copilot Chat"
            else f"{app} Last Activity Date"
            for app in M365_APPS
        ),
        "Report Period",
        "Prompts submitted for all apps",
        "Active Usage Days for all apps",
    ]
    rows = []
    active_by_app = dict.fromkeys(M365_APPS, 0)
    for user in cohort:
        dates: list[str] = []
        if rng.random() < 0.72:
            for app in M365_APPS:
                share = 0.75 if app in ("Microsoft Teams", "Copilot Chat", "Outlook") else 0.3
                if rng.random() < share:
                    day = end - timedelta(days=int(rng.integers(0, REPORT_DAYS)))
                    dates.append(day.isoformat())
                    active_by_app[app] += 1
                else:
                    dates.append("")
        else:
            dates = [""] * len(M365_APPS)
        last = max((d for d in dates if d), default="")
        days = len({d for d in dates if d})
        prompts = int(rng.poisson(6 * days)) if days else 0
        display = " ".join(part.title() for part in str(user).split("@")[0].split("."))
        rows.append([end.isoformat(), user, display, last, *dates, "28", str(prompts), str(days)])
    detail = folder / "usage-user-detail-d28.csv"
    pl.DataFrame(rows, schema=header, orient="row").write_csv(detail)

    any_active = sum(1 for row in rows if row[3])
    summary = {"Report Refresh Date": end.isoformat(), "Report Period": "28"}
    summary["Any App Enabled Users"] = str(len(rows))
    summary["Any App Active Users"] = str(any_active)
    for app in M365_APPS:
        summary[f"{app} Enabled Users"] = str(len(rows))
        summary[f"{app} Active Users"] = str(active_by_app[app])
    summary_path = folder / "user-count-summary-d28.csv"
    pl.DataFrame([summary]).write_csv(summary_path)
    return [detail, summary_path]


# --------------------------------------------------------------------------- OTel


def _attr(key: str, value: object) -> dict:
    if isinstance(value, bool):
        return {"key": key, "value": {"boolValue": value}}
    if isinstance(value, int):
        return {"key": key, "value": {"intValue": str(value)}}
    if isinstance(value, float):
        return {"key": key, "value": {"doubleValue": value}}
    if isinstance(value, list):
        return {
            "key": key,
            "value": {"arrayValue": {"values": [{"stringValue": v} for v in value]}},
        }
    return {"key": key, "value": {"stringValue": str(value)}}


def _otel(
    folder: Path, rng: np.random.Generator, people: pl.DataFrame, activity: pl.DataFrame, end: date
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    users = (
        activity.filter(pl.col("activity_date") >= end - timedelta(days=REPORT_DAYS))["user_id"]
        .unique()
        .sort()
        .to_list()
    ) or people["user_id"].head(50).to_list()
    midnight = datetime(end.year, end.month, end.day, tzinfo=UTC)
    spans = []
    for n in range(SPANS_PER_DAY // 3):
        trace = f"{int(rng.integers(0, 2**63)):016x}{n:016x}"
        provider, model = AGENT_MODELS[int(rng.random() < 0.35)]
        user = users[int(rng.integers(len(users)))] if rng.random() < 0.85 else None
        start = midnight + timedelta(seconds=int(rng.integers(7 * 3600, 19 * 3600)))
        chat_ms = int(rng.lognormal(7.0, 0.5))
        tool_ms = int(rng.lognormal(5.0, 0.6))
        timeout = rng.random() < 0.03
        filtered = not timeout and rng.random() < 0.02
        ns = int(start.timestamp()) * 10**9
        common = [_attr("gen_ai.conversation.id", f"conv_{trace[:12]}")]
        if user:
            common.append(_attr("user.id", user))
        agent_id, chat_id, tool_id = (f"{n:08x}{k:08x}" for k in (1, 2, 3))
        total_ms = chat_ms + tool_ms + 40
        spans.append(
            _span(
                trace,
                agent_id,
                "",
                "invoke_agent knowledge_assistant",
                ns,
                total_ms,
                [
                    _attr("gen_ai.operation.name", "invoke_agent"),
                    _attr("gen_ai.provider.name", provider),
                    _attr("gen_ai.request.model", model),
                    _attr("gen_ai.agent.name", "knowledge_assistant"),
                    *common,
                ],
                error=timeout,
            )
        )
        chat_attrs = [
            _attr("gen_ai.operation.name", "chat"),
            _attr("gen_ai.provider.name", provider),
            _attr("gen_ai.request.model", model),
            _attr("gen_ai.usage.input_tokens", int(rng.integers(400, 3000))),
            _attr("gen_ai.usage.output_tokens", 0 if timeout else int(rng.integers(50, 700))),
            _attr("gen_ai.response.finish_reasons", ["content_filter" if filtered else "stop"]),
            *common,
        ]
        if timeout:
            chat_attrs.append(_attr("error.type", "TimeoutError"))
        events = []
        if not timeout and rng.random() < 0.3:
            good = rng.random() < 0.8
            events.append(
                {
                    "timeUnixNano": str(ns + (chat_ms + 5) * 10**6),
                    "name": "gen_ai.evaluation.result",
                    "attributes": [
                        _attr("gen_ai.evaluation.name", "Relevance"),
                        _attr(
                            "gen_ai.evaluation.score.value",
                            round(float(rng.uniform(0.7, 1) if good else rng.uniform(0, 0.4)), 2),
                        ),
                        _attr(
                            "gen_ai.evaluation.score.label", "relevant" if good else "not_relevant"
                        ),
                    ],
                }
            )
        spans.append(
            _span(
                trace,
                chat_id,
                agent_id,
                f"chat {model}",
                ns + 20 * 10**6,
                chat_ms,
                chat_attrs,
                error=timeout,
                events=events,
            )
        )
        if not timeout:
            spans.append(
                _span(
                    trace,
                    tool_id,
                    chat_id,
                    "execute_tool search_intranet",
                    ns + (chat_ms + 30) * 10**6,
                    tool_ms,
                    [
                        _attr("gen_ai.operation.name", "execute_tool"),
                        _attr("gen_ai.tool.name", "search_intranet"),
                        *common,
                    ],
                )
            )
    export = {
        "resourceSpans": [
            {
                "resource": {
                    "attributes": [
                        _attr("service.name", "knowledge-assistant"),
                        _attr("service.version", "2.3.0"),
                    ]
                },
                "scopeSpans": [
                    {"scope": {"name": "opentelemetry.instrumentation.genai"}, "spans": spans}
                ],
            }
        ]
    }
    path = folder / f"spans-{end.isoformat()}.jsonl"
    path.write_text(json.dumps(export, sort_keys=True) + "\n")
    return path


def _span(
    trace: str,
    span_id: str,
    parent: str,
    name: str,
    start_ns: int,
    duration_ms: int,
    attributes: list[dict],
    *,
    error: bool = False,
    events: list[dict] | None = None,
) -> dict:
    span = {
        "traceId": trace,
        "spanId": span_id,
        "parentSpanId": parent,
        "name": name,
        "kind": 3,
        "startTimeUnixNano": str(start_ns),
        "endTimeUnixNano": str(start_ns + duration_ms * 10**6),
        "attributes": attributes,
        "status": {"code": 2, "message": "timed out"} if error else {"code": 1},
    }
    if events:
        span["events"] = events
    return span
