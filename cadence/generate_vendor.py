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
- `otel-genai/spans-<first>-to-<last>.jsonl`: the last eight weeks of OTLP/JSON agent
  traces, one export per day, from three agents instrumented with OpenTelemetry (tools of
  their own, so no model call duplicates a gateway request). `claims-triage-agent` and
  `pr-review-agent` are registered in seeds/agents.csv; `knowledge_assistant` is not (a
  shadow agent, naming itself by `gen_ai.agent.name` only). Planted: the claims agent's
  `fetch_claim_history` tool fails a third of its calls (retried once; the run fails when
  the retry fails too: a success rate near 89%, amber); the review agent is slow (a long
  review generation: p95 run duration past two minutes, red); the assistant's tool span is
  nested under its chat span, with a few timeouts, content-filter stops and evaluation
  events, and a tenth of runs name no user.

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


#: The demo's agents (issue 17): two in seeds/agents.csv, one nobody registered (a shadow
#: agent). Per agent: service, business unit of its users, runs on a weekday / weekend day,
#: provider and model, and whether `gen_ai.agent.id` is set (the unregistered one names itself
#: only, as many homegrown agents do).
AGENTS = {
    "claims-triage-agent": ("claims-triage", "bu_claims", 12, 3, AGENT_MODELS[0], True),
    "pr-review-agent": ("pr-review-bot", "bu_engineering", 7, 1, AGENT_MODELS[1], True),
    "knowledge_assistant": ("knowledge-assistant", None, 20, 6, AGENT_MODELS[0], False),
}
#: Weeks of traces, ending on the demo's last day: enough runs per quarter for the
#: recommendation (recommend_min_agent_runs) and a weekly trend.
TRACE_WEEKS = 8


class _Trace:
    """The spans of one agent run (one trace), with ids unique across the demo."""

    def __init__(self, rng: np.random.Generator, run: int, common: list[dict]) -> None:
        self.trace = f"{int(rng.integers(0, 2**63)):016x}{run:016x}"
        self.run = run
        self.common = common
        self.spans: list[dict] = []

    def add(self, parent: str, name: str, start_ns: int, ms: int, attrs: list[dict], **kw) -> str:
        span_id = f"{self.run:08x}{len(self.spans) + 1:08x}"
        self.spans.append(
            _span(self.trace, span_id, parent, name, start_ns, ms, [*attrs, *self.common], **kw)
        )
        return span_id


def _chat(
    trace: _Trace,
    parent: str,
    model: tuple[str, str],
    at_ns: int,
    ms: int,
    tokens: tuple[int, int],
    *,
    error: str | None = None,
    filtered: bool = False,
    events: list[dict] | None = None,
) -> str:
    provider, name = model
    attrs = [
        _attr("gen_ai.operation.name", "chat"),
        _attr("gen_ai.provider.name", provider),
        _attr("gen_ai.request.model", name),
        _attr("gen_ai.usage.input_tokens", tokens[0]),
        _attr("gen_ai.usage.output_tokens", 0 if error else tokens[1]),
        _attr("gen_ai.response.finish_reasons", ["content_filter" if filtered else "stop"]),
    ]
    if error:
        attrs.append(_attr("error.type", error))
    return trace.add(
        parent, f"chat {name}", at_ns, ms, attrs, error=error is not None, events=events
    )


def _tool(trace: _Trace, parent: str, tool: str, at_ns: int, ms: int, *, error: bool) -> str:
    attrs = [_attr("gen_ai.operation.name", "execute_tool"), _attr("gen_ai.tool.name", tool)]
    if error:
        attrs.append(_attr("error.type", "HTTPError"))
    return trace.add(parent, f"execute_tool {tool}", at_ns, ms, attrs, error=error)


def _evaluation(rng: np.random.Generator, at_ns: int) -> list[dict]:
    good = rng.random() < 0.8
    score = round(float(rng.uniform(0.7, 1) if good else rng.uniform(0, 0.4)), 2)
    return [
        {
            "timeUnixNano": str(at_ns),
            "name": "gen_ai.evaluation.result",
            "attributes": [
                _attr("gen_ai.evaluation.name", "Relevance"),
                _attr("gen_ai.evaluation.score.value", score),
                _attr("gen_ai.evaluation.score.label", "relevant" if good else "not_relevant"),
            ],
        }
    ]


def _claims_triage(
    rng: np.random.Generator, trace: _Trace, agent: str, ns: int
) -> tuple[int, bool]:
    """Read the claim, fetch its history (a flaky tool: a third of calls fail, and the agent
    retries once), classify, route. The run fails when the retry fails too."""
    model = AGENTS["claims-triage-agent"][4]
    at = ns + 15 * 10**6
    first = int(rng.lognormal(6.9, 0.4))
    _chat(
        trace, agent, model, at, first, (int(rng.integers(900, 2500)), int(rng.integers(80, 300)))
    )
    at += (first + 10) * 10**6
    failed = False
    for _ in range(2):
        failed = bool(rng.random() < 0.33)
        ms = int(rng.lognormal(6.2, 0.5)) if not failed else int(rng.uniform(3000, 8000))
        _tool(trace, agent, "fetch_claim_history", at, ms, error=failed)
        at += (ms + 5) * 10**6
        if not failed:
            break
    if failed:
        return int((at - ns) / 10**6) + 20, False
    second = int(rng.lognormal(7.2, 0.4))
    _chat(
        trace, agent, model, at, second, (int(rng.integers(2000, 5000)), int(rng.integers(50, 200)))
    )
    at += (second + 10) * 10**6
    ms = int(rng.lognormal(5.0, 0.4))
    _tool(trace, agent, "route_claim", at, ms, error=False)
    return int((at - ns) / 10**6) + ms + 20, True


def _pr_review(rng: np.random.Generator, trace: _Trace, agent: str, ns: int) -> tuple[int, bool]:
    """Plan, read the diff, review it (a long generation: the slow agent), post comments."""
    model = AGENTS["pr-review-agent"][4]
    at = ns + 20 * 10**6
    plan = int(rng.lognormal(8.3, 0.3))
    _chat(
        trace, agent, model, at, plan, (int(rng.integers(1500, 4000)), int(rng.integers(150, 500)))
    )
    at += (plan + 10) * 10**6
    diff = int(rng.lognormal(7.0, 0.6))
    _tool(trace, agent, "get_pull_request_diff", at, diff, error=False)
    at += (diff + 10) * 10**6
    review = int(rng.lognormal(11.1, 0.45))  # about 66 s, a long tail past two minutes
    timeout = bool(rng.random() < 0.02)
    _chat(
        trace,
        agent,
        model,
        at,
        review,
        (int(rng.integers(8000, 30000)), int(rng.integers(800, 3000))),
        error="TimeoutError" if timeout else None,
    )
    at += (review + 10) * 10**6
    if timeout:
        return int((at - ns) / 10**6), False
    post = int(rng.lognormal(6.0, 0.4))
    _tool(trace, agent, "post_review_comments", at, post, error=False)
    return int((at - ns) / 10**6) + post + 20, True


def _knowledge_assistant(
    rng: np.random.Generator, trace: _Trace, agent: str, ns: int
) -> tuple[int, bool]:
    """Answer, then search the intranet; a few timeouts, content-filter stops, evaluations."""
    model = AGENTS["knowledge_assistant"][4]
    chat_ms = int(rng.lognormal(7.0, 0.5))
    timeout = bool(rng.random() < 0.03)
    filtered = not timeout and bool(rng.random() < 0.02)
    events = None if timeout or rng.random() >= 0.3 else _evaluation(rng, ns + chat_ms * 10**6)
    chat = _chat(
        trace,
        agent,
        model,
        ns + 20 * 10**6,
        chat_ms,
        (int(rng.integers(400, 3000)), int(rng.integers(50, 700))),
        error="TimeoutError" if timeout else None,
        filtered=filtered,
        events=events,
    )
    if timeout:
        return chat_ms + 40, False
    tool_ms = int(rng.lognormal(5.0, 0.6))
    _tool(trace, chat, "search_intranet", ns + (chat_ms + 30) * 10**6, tool_ms, error=False)
    return chat_ms + tool_ms + 40, True


RUNS = {
    "claims-triage-agent": _claims_triage,
    "pr-review-agent": _pr_review,
    "knowledge_assistant": _knowledge_assistant,
}


def _agent_users(people: pl.DataFrame, activity: pl.DataFrame, end: date) -> dict[str, list[str]]:
    """Who runs each agent: the people of its business unit (the unregistered assistant: the
    recently active GitHub Copilot users)."""
    recent = (
        activity.filter(pl.col("activity_date") >= end - timedelta(days=REPORT_DAYS))["user_id"]
        .unique()
        .sort()
        .to_list()
    ) or people["user_id"].head(50).to_list()
    users = {}
    for agent, (_, unit, *_rest) in AGENTS.items():
        if unit is None:
            users[agent] = recent
            continue
        members = people.filter(pl.col("business_unit_id") == unit)["user_id"].unique().sort()
        users[agent] = members.to_list() or recent
    return users


def _otel(
    folder: Path, rng: np.random.Generator, people: pl.DataFrame, activity: pl.DataFrame, end: date
) -> Path:
    """TRACE_WEEKS weeks of OTLP/JSON agent traces, one export per day (a line of the file)."""
    folder.mkdir(parents=True, exist_ok=True)
    users = _agent_users(people, activity, end)
    first = end - timedelta(days=7 * TRACE_WEEKS - 1)
    lines = []
    run = 0
    for offset in range(7 * TRACE_WEEKS):
        day = first + timedelta(days=offset)
        midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
        resource_spans = []
        for agent, (service, _, weekday, weekend, model, has_id) in AGENTS.items():
            traces = []
            for _ in range(int(rng.poisson(weekday if day.weekday() < 5 else weekend))):
                run += 1
                common = []
                user = users[agent][int(rng.integers(len(users[agent])))]
                if rng.random() < 0.9:
                    common.append(_attr("user.id", user))
                trace = _Trace(rng, run, common)
                common.append(_attr("gen_ai.conversation.id", f"conv_{trace.trace[:12]}"))
                start = midnight + timedelta(seconds=int(rng.integers(7 * 3600, 19 * 3600)))
                ns = int(start.timestamp()) * 10**9
                agent_attrs = [
                    _attr("gen_ai.operation.name", "invoke_agent"),
                    _attr("gen_ai.provider.name", model[0]),
                    _attr("gen_ai.request.model", model[1]),
                    _attr("gen_ai.agent.name", agent),
                ]
                if has_id:
                    agent_attrs.append(_attr("gen_ai.agent.id", agent))
                trace.spans.append({})  # the agent span, first in the trace, once its end is known
                span_id = f"{run:08x}{0:08x}"
                total_ms, ok = RUNS[agent](rng, trace, span_id, ns)
                trace.spans[0] = _span(
                    trace.trace,
                    span_id,
                    "",
                    f"invoke_agent {agent}",
                    ns,
                    total_ms,
                    [*agent_attrs, *common],
                    error=not ok,
                )
                traces.extend(trace.spans)
            resource_spans.append(
                {
                    "resource": {
                        "attributes": [
                            _attr("service.name", service),
                            _attr("service.version", "2.3.0"),
                        ]
                    },
                    "scopeSpans": [
                        {"scope": {"name": "opentelemetry.instrumentation.genai"}, "spans": traces}
                    ],
                }
            )
        lines.append(json.dumps({"resourceSpans": resource_spans}, sort_keys=True))
    path = folder / f"spans-{first.isoformat()}-to-{end.isoformat()}.jsonl"
    path.write_text("\n".join(lines) + "\n")
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
