"""GitHub Copilot usage metrics -> activity, kpi_observations, copilot_usage_details.

Reads the files GitHub publishes for Copilot usage (NDJSON, or a JSON array as in GitHub's
example schema; `.gz` too), one record per line:

- user-level reports (`/copilot/metrics/reports/users-1-day` and `users-28-day`): one record
  per user x day. Each becomes an `activity` row (tool `github_copilot`): interactions =
  `user_initiated_interaction_count`, generations = `code_generation_activity_count`,
  acceptances = `code_acceptance_activity_count`, lines suggested =
  `loc_suggested_to_add_sum`, lines accepted = `loc_added_sum`, tokens = the CLI's
  `token_usage` (the only tokens the report gives), active when any count, CLI request or
  `used_*` flag shows use. Its breakdowns become `copilot_usage_details` rows: `ide`,
  `feature`, `language_feature`, `language_model`, `model_feature`, `cli` (sessions,
  requests, prompts, tokens) and `user_day` (the `used_agent` / `used_chat` / `used_cli` /
  `used_copilot_coding_agent` / code review flags, lines deleted).
- organisation- and enterprise-level reports (`organization-1-day`, `organization-28-day`,
  `enterprise-1-day`, `enterprise-28-day`): a record with `day_totals` (or one day's totals).
  Active-user counts and every number of the `pull_requests` block become
  `kpi_observations` (grain `day`, source `github_copilot`), so a use case can adopt them:
  `github_copilot_<field>` (`github_copilot_daily_active_users`, `..._weekly_active_users`,
  `..._monthly_active_users`, ...) and `github_pr_<field>` (`github_pr_total_merged`,
  `github_pr_median_minutes_to_merge`, `github_pr_median_minutes_to_merge_copilot_authored`,
  `github_pr_total_created_by_copilot`, ...). Enterprise figures carry these ids as they
  are; an organisation's carry the suffix `_org_<organization_id>` so both can be kept.
  The day's totals and breakdowns become `copilot_usage_details` rows of that scope.
- the legacy `/orgs/{org}/copilot/metrics` (and `/enterprises/...`) JSON, retired in April
  2026: one record per `date`. `total_active_users` and `total_engaged_users` become
  `github_copilot_daily_active_users` / `github_copilot_daily_engaged_users` observations
  (so the history continues the new reports' series), and the editor x model x language
  completions, editor x model IDE chat, github.com chat and pull-request summaries become
  `copilot_usage_details` rows (scope `organization`; the file does not name it).

User ids are the `user_login` (see `ingestion.connectors._common` for mapping logins to the
people directory's ids). A file with a record of none of these shapes, or that is not valid
JSON, is refused whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ingestion.connectors._common import (
    Rows,
    VendorField,
    add,
    dig,
    iter_json,
    land_vendor_files,
    load_identity_map,
    map_identity,
    number,
    objects,
    track_fields,
)
from ingestion.entities import activity, copilot_usage_details, kpi_observations
from ingestion.errors import FileRefused
from ingestion.extra_columns import ExtraColumns
from ingestion.landing import FileResult

CONNECTOR = "github-copilot"
TOOL = "github_copilot"

#: The user-level report record (one user x day) and what each field feeds.
USER_RECORD: tuple[VendorField, ...] = (
    VendorField("day", "date", required=True, feeds="activity_date"),
    VendorField("user_login", "string", required=True, feeds="user_id"),
    VendorField("user_id", "integer"),
    VendorField("enterprise_id", "string", feeds="scope_id"),
    VendorField("organization_id", "string", feeds="scope_id"),
    VendorField("user_initiated_interaction_count", "integer", feeds="interactions"),
    VendorField("code_generation_activity_count", "integer", feeds="generations"),
    VendorField("code_acceptance_activity_count", "integer", feeds="acceptances"),
    VendorField("loc_suggested_to_add_sum", "integer", feeds="lines_suggested"),
    VendorField("loc_added_sum", "integer", feeds="lines_accepted"),
    VendorField("loc_deleted_sum", "integer", feeds="lines_deleted"),
    VendorField("totals_by_ide", "array"),
    VendorField("totals_by_feature", "array"),
    VendorField("totals_by_language_feature", "array"),
    VendorField("totals_by_language_model", "array"),
    VendorField("totals_by_model_feature", "array"),
    VendorField("totals_by_cli", "object"),
    VendorField("used_agent", "boolean", feeds="is_agent_used"),
    VendorField("used_chat", "boolean", feeds="is_chat_used"),
    VendorField("used_cli", "boolean", feeds="is_cli_used"),
    VendorField("used_copilot_coding_agent", "boolean", feeds="is_coding_agent_used"),
    VendorField("used_copilot_code_review_active", "boolean", feeds="is_code_review_used"),
)
#: Per-day counts of an organisation- or enterprise-level report, as KPI observations.
AGGREGATE_KPI_FIELDS: tuple[str, ...] = (
    "daily_active_users",
    "weekly_active_users",
    "monthly_active_users",
    "monthly_active_chat_users",
    "monthly_active_agent_users",
    "daily_active_cli_users",
    "daily_active_copilot_code_review_users",
    "weekly_active_copilot_code_review_users",
    "monthly_active_copilot_code_review_users",
    "daily_passive_copilot_code_review_users",
    "weekly_passive_copilot_code_review_users",
    "monthly_passive_copilot_code_review_users",
)
#: Legacy metrics API day totals, as the new reports' KPI ids.
LEGACY_KPI_FIELDS: dict[str, str] = {
    "total_active_users": "daily_active_users",
    "total_engaged_users": "daily_engaged_users",
}
#: Counts of a breakdown entry -> copilot_usage_details columns.
COUNTS: dict[str, str] = {
    "user_initiated_interaction_count": "interactions",
    "code_generation_activity_count": "generations",
    "code_acceptance_activity_count": "acceptances",
    "loc_suggested_to_add_sum": "lines_suggested",
    "loc_added_sum": "lines_accepted",
    "loc_deleted_sum": "lines_deleted",
}
#: Breakdown arrays of the new reports and the dimensions each entry names.
BREAKDOWNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "totals_by_ide": ("ide", ("ide",)),
    "totals_by_feature": ("feature", ("feature",)),
    "totals_by_language_feature": ("language_feature", ("language", "feature")),
    "totals_by_language_model": ("language_model", ("language", "model")),
    "totals_by_model_feature": ("model_feature", ("model", "feature")),
}
USED_FLAGS: dict[str, str] = {
    field.name: field.feeds for field in USER_RECORD if field.name.startswith("used_")
}


def load(
    paths: Sequence[Path],
    home: Path,
    *,
    identity_map: Path | str | None = None,
    echo: Callable[[str], None] | None = None,
    extra_columns: ExtraColumns | None = None,
) -> list[FileResult]:
    """Land GitHub Copilot usage metrics files under `home`; one result per file x entity."""
    identities = load_identity_map(identity_map)
    return land_vendor_files(
        paths,
        home,
        connector=CONNECTOR,
        primary=activity.SCHEMA,
        reshape=lambda path: reshape(path, identities),
        echo=echo,
        extra_columns=extra_columns,
    )


def record_kind(record: Any) -> str | None:
    """`user`, `aggregate`, `legacy` or None for one JSON value of a report file."""
    if not isinstance(record, Mapping):
        return None
    if "day_totals" in record or ("day" in record and "daily_active_users" in record):
        return "aggregate"
    if "day" in record and ("user_login" in record or "user_id" in record):
        return "user"
    if "date" in record and (
        "total_active_users" in record or any(str(k).startswith("copilot_") for k in record)
    ):
        return "legacy"
    return None


def reshape(path: Path, identities: Mapping[str, str] | None = None) -> list[Rows]:
    """Canonical rows of one report file: activity, kpi_observations, copilot_usage_details."""
    identities = identities or {}
    out = _Out()
    for line, raw in iter_json(path):
        record = track_fields(raw)  # top-level fields never read are reported as not landed
        kind = record_kind(record)
        if kind == "user":
            _user(out, line, record, identities)
        elif kind == "aggregate":
            days = objects(record.get("day_totals")) if "day_totals" in record else [record]
            for day in days:
                _aggregate(out, line, day, record)
        elif kind == "legacy":
            _legacy(out, line, record)
        elif isinstance(record, Mapping) and "download_links" in record:
            raise FileRefused(
                path,
                "this is the API's list of download links, not a report: "
                "download the files it links to and ingest those",
                line,
            )
        else:
            shown = ", ".join(list(record)[:6]) if isinstance(record, Mapping) else type(record)
            raise FileRefused(
                path,
                "not a GitHub Copilot usage metrics record (expected `day` with `user_login`, "
                f"`day_totals`, or the legacy `date`; found: {shown})",
                line,
            )
    return [out.activity, out.kpis, out.details]


class _Out:
    def __init__(self) -> None:
        self.activity = Rows(activity.SCHEMA)
        self.kpis = Rows(kpi_observations.SCHEMA)
        self.details = Rows(copilot_usage_details.SCHEMA)

    def detail(self, line: int, **values: Any) -> None:
        self.details.add(line, tool=TOOL, **values)

    def kpi(self, line: int, kpi_id: str, day: Any, value: Any) -> None:
        if value is None or isinstance(value, Mapping | list):
            return
        self.kpis.add(line, kpi_id=kpi_id, period_start=day, grain="day", value=value, source=TOOL)


def _counts(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {column: entry.get(name) for name, column in COUNTS.items()}


def _breakdowns(out: _Out, line: int, record: Mapping[str, Any], **where: Any) -> None:
    for key, (breakdown, dimensions) in BREAKDOWNS.items():
        for entry in objects(record.get(key)):
            out.detail(
                line,
                breakdown=breakdown,
                **where,
                **{name: entry.get(name) for name in dimensions},
                **_counts(entry),
            )
    cli = record.get("totals_by_cli")
    if isinstance(cli, Mapping):
        out.detail(
            line,
            breakdown="cli",
            **where,
            sessions=cli.get("session_count"),
            requests=cli.get("request_count"),
            prompts=cli.get("prompt_count"),
            input_tokens=dig(cli, "token_usage", "prompt_tokens_sum"),
            output_tokens=dig(cli, "token_usage", "output_tokens_sum"),
        )


def _is_active(record: Mapping[str, Any]) -> bool:
    counts = (
        record.get("user_initiated_interaction_count"),
        record.get("code_generation_activity_count"),
        record.get("code_acceptance_activity_count"),
        record.get("loc_added_sum"),
        dig(record, "totals_by_cli", "request_count"),
    )
    if any((number(value) or 0) > 0 for value in counts):
        return True
    flags = ("used_agent", "used_chat", "used_cli", "used_copilot_coding_agent")
    return any(record.get(flag) is True for flag in (*flags, "used_copilot_code_review_active"))


def _user(out: _Out, line: int, record: Mapping[str, Any], identities: Mapping[str, str]) -> None:
    login = record.get("user_login")
    if login is None and record.get("user_id") is not None:
        login = str(record.get("user_id"))
    user = map_identity(identities, login)
    day = record.get("day")
    out.activity.add(
        line,
        user_id=user,
        activity_date=day,
        tool=TOOL,
        interactions=record.get("user_initiated_interaction_count"),
        generations=record.get("code_generation_activity_count"),
        acceptances=record.get("code_acceptance_activity_count"),
        lines_suggested=record.get("loc_suggested_to_add_sum"),
        lines_accepted=record.get("loc_added_sum"),
        input_tokens=dig(record, "totals_by_cli", "token_usage", "prompt_tokens_sum"),
        output_tokens=dig(record, "totals_by_cli", "token_usage", "output_tokens_sum"),
        is_active=_is_active(record),
    )
    where = {
        "activity_date": day,
        "scope": "user",
        "scope_id": record.get("organization_id") or record.get("enterprise_id"),
        "user_id": user,
    }
    out.detail(
        line,
        breakdown="user_day",
        **where,
        **_counts(record),
        **{column: record.get(flag) for flag, column in USED_FLAGS.items()},
    )
    _breakdowns(out, line, record, **where)


def _slug(value: Any) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(value).strip().lower()).strip("_")


def _aggregate(
    out: _Out, line: int, day_record: Mapping[str, Any], parent: Mapping[str, Any]
) -> None:
    parent_organization, parent_enterprise = (
        parent.get("organization_id"),
        parent.get("enterprise_id"),
    )
    organization = day_record.get("organization_id") or parent_organization
    enterprise = day_record.get("enterprise_id") or parent_enterprise
    scope = "organization" if organization is not None else "enterprise"
    suffix = f"_org_{_slug(organization)}" if organization is not None else ""
    day = day_record.get("day")
    for name in AGGREGATE_KPI_FIELDS:
        out.kpi(line, f"{TOOL}_{name}{suffix}", day, day_record.get(name))
    pulls = day_record.get("pull_requests")
    if isinstance(pulls, Mapping):
        for name, value in pulls.items():
            out.kpi(line, f"github_pr_{name}{suffix}", day, value)
    where = {
        "activity_date": day,
        "scope": scope,
        "scope_id": organization if organization is not None else enterprise,
    }
    out.detail(line, breakdown="day_total", **where, **_counts(day_record))
    _breakdowns(out, line, day_record, **where)


def _legacy(out: _Out, line: int, record: Mapping[str, Any]) -> None:
    day = record.get("date")
    for name, kpi in LEGACY_KPI_FIELDS.items():
        out.kpi(line, f"{TOOL}_{kpi}", day, record.get(name))
    where = {"activity_date": day, "scope": "organization"}
    completions = record.get("copilot_ide_code_completions")
    for editor in objects(dig(completions, "editors") if completions else None):
        for model in objects(editor.get("models")):
            for language in objects(model.get("languages")):
                out.detail(
                    line,
                    breakdown="ide_code_completions",
                    **where,
                    ide=editor.get("name"),
                    model=model.get("name"),
                    language=language.get("name"),
                    feature="code_completion",
                    generations=language.get("total_code_suggestions"),
                    acceptances=language.get("total_code_acceptances"),
                    lines_suggested=language.get("total_code_lines_suggested"),
                    lines_accepted=language.get("total_code_lines_accepted"),
                    engaged_users=language.get("total_engaged_users"),
                )
    chat = record.get("copilot_ide_chat")
    for editor in objects(dig(chat, "editors") if chat else None):
        for model in objects(editor.get("models")):
            out.detail(
                line,
                breakdown="ide_chat",
                **where,
                ide=editor.get("name"),
                model=model.get("name"),
                feature="chat",
                interactions=model.get("total_chats"),
                acceptances=add(
                    model.get("total_chat_insertion_events"), model.get("total_chat_copy_events")
                ),
                engaged_users=model.get("total_engaged_users"),
            )
    dotcom = record.get("copilot_dotcom_chat")
    for model in objects(dig(dotcom, "models") if dotcom else None):
        out.detail(
            line,
            breakdown="dotcom_chat",
            **where,
            model=model.get("name"),
            feature="dotcom_chat",
            interactions=model.get("total_chats"),
            engaged_users=model.get("total_engaged_users"),
        )
    pulls = record.get("copilot_dotcom_pull_requests")
    for repository in objects(dig(pulls, "repositories") if pulls else None):
        for model in objects(repository.get("models")):
            out.detail(
                line,
                breakdown="dotcom_pull_requests",
                **where,
                repository=repository.get("name"),
                model=model.get("name"),
                feature="pull_request_summary",
                generations=model.get("total_pr_summaries_created"),
                engaged_users=model.get("total_engaged_users"),
            )
