"""GitHub Copilot usage metrics and seats -> activity, licenses, kpi_observations,
copilot_usage_details.

Reads the files GitHub publishes for Copilot usage (NDJSON, or a JSON array as in GitHub's
example schema; `.gz` too), one record per line:

- user-level reports (`users-1-day` and `users-28-day`, of an enterprise or an organisation):
  one record per user x day. Each becomes an `activity` row (tool `github_copilot`):
  interactions = `user_initiated_interaction_count`, generations =
  `code_generation_activity_count`, acceptances = `code_acceptance_activity_count`, lines
  suggested = `loc_suggested_to_add_sum`, lines accepted = `loc_added_sum`, tokens = the CLI's
  and the Copilot app's `token_usage` (the only tokens the report gives). A user active in any
  surface is active: any count, a CLI or Copilot app session, request or prompt, a third-party
  agent task (`totals_by_3rd_party_agent`), a VS Code agent session, AI credits used, or a
  `used_*` flag (passive code review, Copilot reviewing the user's pull request, is not use).
  Its breakdowns become `copilot_usage_details` rows: `ide`, `feature`, `language_feature`,
  `language_model`, `model_feature`, `cli` and `copilot_app` (sessions, requests, prompts,
  tokens), `third_party_agent` (app = the agent's id; tasks started as interactions) and
  `user_day` (the `used_agent` / `used_chat` / `used_cli` / `used_copilot_coding_agent` or
  `used_copilot_cloud_agent` / code review flags, lines deleted).
- organisation- and enterprise-level reports (`organization-1-day`, `organization-28-day`,
  `enterprise-1-day`, `enterprise-28-day`): a record with `day_totals` (or one day's totals).
  Every active- and passive-user count (`daily_active_users`, `weekly_active_users`,
  `monthly_active_chat_users`, `daily_active_copilot_cloud_agent_users`,
  `monthly_active_copilot_app_users`, ... : any `daily|weekly|monthly_active|passive_..._users`
  field), `ai_credits_used` and every number of the `pull_requests` block become
  `kpi_observations` (grain `day`, source `github_copilot`), so a use case can adopt them:
  `github_copilot_<field>` and `github_pr_<field>` (`github_pr_total_merged`,
  `github_pr_median_minutes_to_merge`, ...). The day's totals and breakdowns become
  `copilot_usage_details` rows of that scope.
- the legacy `/orgs/{org}/copilot/metrics` (and `/enterprises/...`) JSON, retired in April
  2026: one record per `date`. `total_active_users` and `total_engaged_users` become
  `github_copilot_daily_active_users` / `github_copilot_daily_engaged_users` observations of
  the scope the file is declared to be (so its history continues the new reports' series of
  that scope), and the editor x model x language completions, editor x model IDE chat,
  github.com chat and pull-request summaries become `copilot_usage_details` rows. The file
  does not name its scope: give it as `scope=` to `load` or in `CADENCE_GITHUB_COPILOT_SCOPE`
  (`enterprise`, or `organization:<organization_id>` with the id the new reports give the
  organisation); without it the file is refused.

- the Copilot seat-assignment API (`/orgs/{org}/copilot/billing/seats`,
  `/enterprises/{enterprise}/copilot/billing/seats`; a page `{"total_seats", "seats": [...]}`
  or the seats one per line) -> `licenses` (tool `github_copilot`): one seat per user, from the
  UTC date of the earliest `created_at` (the API lists a seat per organisation or team that
  grants one) to the day before `pending_cancellation_date` (the next billing cycle's start),
  open while any grant is not cancelled. The API lists the seats billed now: a seat removed
  before the download is not in it, so download it regularly (each download's seats keep
  their assignment date, so downloads never stack seats).

One series per scope: an enterprise's KPI ids are the plain ids above, an organisation's end
in `_org_<organization_id>` (in snake case), whichever report or API generation they come
from, so no report writes into another scope's series. A report record names its scope: one
that carries `enterprise_id` is the enterprise's (whatever `organization_id` it also carries),
else one that carries `organization_id` is that organisation's. The fields a connector has no
place for (`ai_adoption_phase`, `totals_by_ai_adoption_phase`, `totals_by_custom_agent`,
`totals_by_mcp`, `pull_request_review_times`, a user's `ai_credits_used`, ...) are named as not
landed in the ingest summary, those of `day_totals` entries included, and those inside a
breakdown with their path (`totals_by_ide.last_known_ide_version`).

User ids are the `user_login` (see `ingestion.connectors._common` for mapping logins to the
people directory's ids). A file that is not valid JSON, or with a record of none of these
shapes, is refused whole; a record that resembles one of them but lacks a field it needs
(`day`, `user_login`, `enterprise_id` or `organization_id`, `date`) refuses the file naming
the report it resembles and the field.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from ingestion.connectors._common import (
    Rows,
    VendorField,
    VendorFormat,
    add,
    as_date,
    blank,
    dig,
    iter_json,
    land_vendor_files,
    load_identity_map,
    map_identity,
    missing_fields,
    note_not_landed,
    number,
    objects,
    refuse_missing,
    resembled,
    slug,
    track_fields,
    utc_date,
)
from ingestion.entities import activity, copilot_usage_details, kpi_observations, licenses
from ingestion.errors import FileRefused
from ingestion.extra_columns import ExtraColumns
from ingestion.landing import FileResult

CONNECTOR = "github-copilot"
TOOL = "github_copilot"
SCOPE_ENV = "CADENCE_GITHUB_COPILOT_SCOPE"

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
    VendorField("totals_by_cli", "object", feeds="tokens, is_active"),
    VendorField("totals_by_copilot_app", "object", feeds="tokens, is_active"),
    VendorField("totals_by_3rd_party_agent", "array", feeds="is_active"),
    VendorField("totals_by_vscode_agent", "object", feeds="is_active"),
    VendorField("ai_credits_used", "number", feeds="is_active (not landed)"),
    VendorField("used_agent", "boolean", feeds="is_agent_used"),
    VendorField("used_chat", "boolean", feeds="is_chat_used"),
    VendorField("used_cli", "boolean", feeds="is_cli_used"),
    VendorField("used_copilot_coding_agent", "boolean", feeds="is_coding_agent_used"),
    VendorField("used_copilot_cloud_agent", "boolean", feeds="is_coding_agent_used"),
    VendorField("used_copilot_code_review_active", "boolean", feeds="is_code_review_used"),
    VendorField("used_copilot_app", "boolean", feeds="is_active (not landed)"),
    VendorField("used_vscode_agent", "boolean", feeds="is_active (not landed)"),
)
#: Per-day counts of an organisation- or enterprise-level report that become KPI
#: observations: every active- or passive-user count, and the AI credits used.
AGGREGATE_KPI_FIELD = re.compile(r"^(daily|weekly|monthly)_(active|passive)(_[a-z0-9_]+)?_users$")
AGGREGATE_KPI_EXTRA = ("ai_credits_used",)
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
#: Session blocks (CLI, Copilot app): sessions, requests, prompts and tokens.
SESSION_BLOCKS: dict[str, str] = {"totals_by_cli": "cli", "totals_by_copilot_app": "copilot_app"}
#: used_* flags -> copilot_usage_details columns (the cloud agent is the renamed coding agent).
USED_FLAGS: dict[str, str] = {
    "used_agent": "is_agent_used",
    "used_chat": "is_chat_used",
    "used_cli": "is_cli_used",
    "used_copilot_coding_agent": "is_coding_agent_used",
    "used_copilot_cloud_agent": "is_coding_agent_used",
    "used_copilot_code_review_active": "is_code_review_used",
}
#: used_* flags that show use but have no column (counted for is_active, named not landed).
USED_ONLY_FOR_ACTIVITY = ("used_copilot_app", "used_vscode_agent")

USER_FORMAT = VendorFormat(
    "GitHub Copilot user-level usage report (users-1-day / users-28-day)",
    ("day", "user_login|user_id"),
    ("user_login", "user_id", "used_agent", "used_chat", "used_cli", "ai_adoption_phase"),
)
AGGREGATE_FORMAT = VendorFormat(
    "GitHub Copilot organisation or enterprise usage report (1-day / 28-day)",
    ("day", "enterprise_id|organization_id"),
    (
        "day_totals",
        "daily_active_users",
        "weekly_active_users",
        "monthly_active_users",
        "pull_requests",
        "report_start_day",
    ),
)
SEAT_FORMAT = VendorFormat(
    "GitHub Copilot seat assignment (/orgs/{org}/copilot/billing/seats)",
    ("assignee", "created_at"),
    ("assignee", "created_at", "pending_cancellation_date", "last_activity_at", "plan_type"),
)
LEGACY_FORMAT = VendorFormat(
    "legacy GitHub Copilot metrics API response (/orgs/{org}/copilot/metrics)",
    ("date",),
    (
        "total_active_users",
        "total_engaged_users",
        "copilot_ide_code_completions",
        "copilot_ide_chat",
        "copilot_dotcom_chat",
        "copilot_dotcom_pull_requests",
    ),
)


def load(
    paths: Sequence[Path],
    home: Path,
    *,
    identity_map: Path | str | None = None,
    scope: str | None = None,
    echo: Callable[[str], None] | None = None,
    extra_columns: ExtraColumns | None = None,
) -> list[FileResult]:
    """Land GitHub Copilot usage metrics files under `home`; one result per file x entity.
    `scope` (else `CADENCE_GITHUB_COPILOT_SCOPE`) names the scope of legacy metrics files:
    `enterprise` or `organization:<organization_id>`."""
    identities = load_identity_map(identity_map)
    declared = scope if scope is not None else os.environ.get(SCOPE_ENV)
    return land_vendor_files(
        paths,
        home,
        connector=CONNECTOR,
        primary=activity.SCHEMA,
        reshape=lambda path: reshape(path, identities, declared),
        echo=echo,
        extra_columns=extra_columns,
    )


def record_kind(record: Any) -> str | None:
    """`user`, `aggregate`, `legacy`, `seats` (a seat-assignment API page), `seat` (one seat
    of it) or None for one JSON value of a report file."""
    if not isinstance(record, Mapping):
        return None
    if isinstance(record.get("seats"), list):
        return "seats"
    if "assignee" in record and "created_at" in record:
        return "seat"
    if "day_totals" in record or ("day" in record and "daily_active_users" in record):
        return "aggregate"
    if "day" in record and ("user_login" in record or "user_id" in record):
        return "user"
    if "date" in record and (
        "total_active_users" in record or any(str(k).startswith("copilot_") for k in record)
    ):
        return "legacy"
    return None


class Scope:
    """The enterprise or organisation a report's figures belong to; KPI ids of an
    organisation end in `_org_<id>`, an enterprise's carry none."""

    def __init__(self, kind: str, scope_id: Any) -> None:
        self.kind = kind
        self.scope_id = scope_id
        self.suffix = f"_org_{slug(scope_id)}" if kind == "organization" else ""

    @classmethod
    def of(cls, *records: Mapping[str, Any]) -> Scope | None:
        """The scope a report record (and the record wrapping it) names: the enterprise when
        it carries `enterprise_id`, else the organisation when it carries `organization_id`."""
        for field, kind in (("enterprise_id", "enterprise"), ("organization_id", "organization")):
            for record in records:
                value = record.get(field)
                if value is not None and str(value).strip():
                    return cls(kind, value)
        return None

    @classmethod
    def declared(cls, text: str | None) -> Scope | None:
        """A scope as given for a legacy file: `enterprise[:<id>]` or
        `organization:<id>` (`org:<id>`)."""
        if not text or not text.strip():
            return None
        kind, _, scope_id = text.strip().partition(":")
        kind = {"org": "organization", "organisation": "organization"}.get(kind, kind)
        if kind == "enterprise":
            return cls(kind, scope_id.strip() or None)
        if kind == "organization" and scope_id.strip():
            return cls(kind, scope_id.strip())
        return None


def reshape(
    path: Path, identities: Mapping[str, str] | None = None, scope: str | None = None
) -> list[Rows]:
    """Canonical rows of one report file: activity, kpi_observations, copilot_usage_details."""
    out = _Out(path, identities or {}, scope)
    for line, raw in iter_json(path):
        record = track_fields(raw)  # top-level fields never read are reported as not landed
        kind = record_kind(record)
        if kind == "user":
            _user(out, line, record)
        elif kind == "aggregate":
            days = objects(record.get("day_totals")) if "day_totals" in record else [record]
            for day in days:
                _aggregate(out, line, track_fields(day) if day is not record else day, record)
        elif kind == "legacy":
            _legacy(out, line, record)
        elif kind in ("seats", "seat"):
            seats = objects(record.get("seats")) if kind == "seats" else [record]
            for seat in seats:
                _seat(out, line, track_fields(seat) if seat is not record else seat)
        elif isinstance(record, Mapping) and "download_links" in record:
            raise FileRefused(
                path,
                "this is the API's list of download links, not a report: "
                "download the files it links to and ingest those",
                line,
            )
        else:
            formats = (USER_FORMAT, AGGREGATE_FORMAT, LEGACY_FORMAT, SEAT_FORMAT)
            fmt = resembled(record, formats) if isinstance(record, Mapping) else None
            if fmt is not None and (missing := missing_fields(record, fmt.required)):
                raise refuse_missing(path, fmt, missing, record, line)
            shown = ", ".join(list(record)[:6]) if isinstance(record, Mapping) else type(record)
            raise FileRefused(
                path,
                "not a GitHub Copilot usage metrics record (expected `day` with `user_login`, "
                f"`day_totals`, or the legacy `date`; found: {shown})",
                line,
            )
    out.land_seats()
    return [out.activity, out.licenses, out.kpis, out.details]


class _Out:
    def __init__(self, path: Path, identities: Mapping[str, str], scope: str | None) -> None:
        self.path = path
        self.identities = identities
        self.scope = scope
        self.activity = Rows(activity.SCHEMA)
        self.licenses = Rows(licenses.SCHEMA)
        self.kpis = Rows(kpi_observations.SCHEMA)
        self.details = Rows(copilot_usage_details.SCHEMA)
        #: user -> (first line, assigned_on, removed_on) of the file's seats
        self.seats: dict[Any, tuple[int, Any, Any]] = {}

    def land_seats(self) -> None:
        """One `licenses` row per user: the API lists a seat per organisation or team that
        grants one, and a user holds one seat from the earliest grant to the last day of the
        latest cancellation (none while any grant stands)."""
        for user, (line, assigned, removed) in self.seats.items():
            self.licenses.add(
                line, user_id=user, tool=TOOL, assigned_on=assigned, removed_on=removed
            )

    def detail(self, line: int, **values: Any) -> None:
        self.details.add(line, tool=TOOL, **values)

    def kpi(self, line: int, kpi_id: str, day: Any, value: Any) -> None:
        if value is None or isinstance(value, Mapping | list):
            return
        self.kpis.add(line, kpi_id=kpi_id, period_start=day, grain="day", value=value, source=TOOL)

    def scope_kpis(
        self, line: int, scope: Scope, day: Any, values: Mapping[str, Any], prefix: str = TOOL
    ) -> None:
        """One observation per value, in the scope's series (`<prefix>_<name><suffix>`): the
        one place report and legacy figures are named, so each continues the other."""
        for name, value in values.items():
            self.kpi(line, f"{prefix}_{name}{scope.suffix}", day, value)


def _counts(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {column: entry.get(name) for name, column in COUNTS.items()}


def _session_block(block: Mapping[str, Any], path: str) -> dict[str, Any]:
    """A CLI or Copilot app block: sessions, requests, prompts and tokens."""
    block = track_fields(block, path)
    usage = track_fields(block.get("token_usage"), f"{path}.token_usage")
    return {
        "sessions": block.get("session_count"),
        "requests": block.get("request_count"),
        "prompts": block.get("prompt_count"),
        "input_tokens": dig(usage, "prompt_tokens_sum"),
        "output_tokens": dig(usage, "output_tokens_sum"),
    }


def _entries(record: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """The objects of a breakdown array, noting which of their fields are read."""
    return [track_fields(entry, key) for entry in objects(record.get(key))]


def _breakdowns(out: _Out, line: int, record: Mapping[str, Any], **where: Any) -> None:
    for key, (breakdown, dimensions) in BREAKDOWNS.items():
        for entry in _entries(record, key):
            out.detail(
                line,
                breakdown=breakdown,
                **where,
                **{name: entry.get(name) for name in dimensions},
                **_counts(entry),
            )
    for key, breakdown in SESSION_BLOCKS.items():
        block = record.get(key)
        if isinstance(block, Mapping):
            out.detail(line, breakdown=breakdown, **where, **_session_block(block, key))
    for agent in _entries(record, "totals_by_3rd_party_agent"):
        out.detail(
            line,
            breakdown="third_party_agent",
            **where,
            app=agent.get("agent_id") or agent.get("agent_name"),
            interactions=agent.get("user_initiated_interaction_count"),
            sessions=agent.get("session_count"),
        )


def _positive(*values: Any) -> bool:
    return any((number(value) or 0) > 0 for value in values)


def _is_active(record: Mapping[str, Any]) -> bool:
    """Use in any surface: IDE counts, CLI or Copilot app sessions, a third-party agent task,
    a VS Code agent session, AI credits, or a `used_*` flag (passive code review aside)."""
    blocks = [record.get(key) for key in (*SESSION_BLOCKS, "totals_by_vscode_agent")]
    if _positive(
        record.get("user_initiated_interaction_count"),
        record.get("code_generation_activity_count"),
        record.get("code_acceptance_activity_count"),
        record.get("loc_added_sum"),
        record.get("ai_credits_used"),
        *(
            dig(block, name)
            for block in blocks
            if isinstance(block, Mapping)
            for name in ("session_count", "request_count", "prompt_count")
        ),
        *(
            agent.get("user_initiated_interaction_count")
            for agent in objects(record.get("totals_by_3rd_party_agent"))
        ),
    ):
        return True
    return any(record.get(flag) is True for flag in (*USED_FLAGS, *USED_ONLY_FOR_ACTIVITY))


def _tokens(record: Mapping[str, Any], name: str) -> Any:
    return add(*(dig(record, key, "token_usage", name) for key in SESSION_BLOCKS))


def _user(out: _Out, line: int, record: Mapping[str, Any]) -> None:
    login = record.get("user_login")
    if login is None and record.get("user_id") is not None:
        login = str(record.get("user_id"))
    user = map_identity(out.identities, login)
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
        input_tokens=_tokens(record, "prompt_tokens_sum"),
        output_tokens=_tokens(record, "output_tokens_sum"),
        is_active=_is_active(record),
    )
    # read for is_active only: cadence has no column for these values
    note_not_landed(name for name in ("ai_credits_used", *USED_ONLY_FOR_ACTIVITY) if name in record)
    scope = Scope.of(record)
    where = {
        "activity_date": day,
        "scope": "user",
        "scope_id": scope.scope_id if scope is not None else None,
        "user_id": user,
    }
    flags: dict[str, Any] = {}
    for flag, column in USED_FLAGS.items():
        value = record.get(flag)
        if value is not None or column not in flags:
            flags[column] = value if flags.get(column) is not True else True
    out.detail(line, breakdown="user_day", **where, **_counts(record), **flags)
    _breakdowns(out, line, record, **where)


def _aggregate(
    out: _Out, line: int, day_record: Mapping[str, Any], parent: Mapping[str, Any]
) -> None:
    if missing := missing_fields(day_record, ("day",)):
        raise refuse_missing(out.path, AGGREGATE_FORMAT, missing, day_record, line)
    scope = Scope.of(day_record, parent)
    if scope is None:
        missing = missing_fields((), ("enterprise_id|organization_id",))
        raise refuse_missing(out.path, AGGREGATE_FORMAT, missing, day_record, line)
    day = day_record.get("day")
    names = [str(name) for name in day_record]  # iterating keys does not count as reading
    out.scope_kpis(
        line,
        scope,
        day,
        {
            name: day_record.get(name)
            for name in names
            if AGGREGATE_KPI_FIELD.match(name) or name in AGGREGATE_KPI_EXTRA
        },
    )
    pulls = day_record.get("pull_requests")
    if isinstance(pulls, Mapping):
        out.scope_kpis(line, scope, day, pulls, prefix="github_pr")
    where = {"activity_date": day, "scope": scope.kind, "scope_id": scope.scope_id}
    out.detail(line, breakdown="day_total", **where, **_counts(day_record))
    _breakdowns(out, line, day_record, **where)


def _legacy(out: _Out, line: int, record: Mapping[str, Any]) -> None:
    scope = Scope.declared(out.scope)
    if scope is None:
        raise FileRefused(
            out.path,
            "a legacy Copilot metrics API file does not name its scope: give it with "
            f"{SCOPE_ENV}=organization:<organization_id> (the id the new reports give the "
            "organisation) or =enterprise, so its history continues that scope's series"
            + (f" (got {out.scope!r})" if out.scope else ""),
            line,
        )
    day = record.get("date")
    out.scope_kpis(
        line, scope, day, {kpi: record.get(name) for name, kpi in LEGACY_KPI_FIELDS.items()}
    )
    where = {"activity_date": day, "scope": scope.kind, "scope_id": scope.scope_id}
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


def _seat(out: _Out, line: int, seat: Mapping[str, Any]) -> None:
    """A seat of the Copilot seat-assignment API (`/orgs/{org}/copilot/billing/seats`,
    `/enterprises/{enterprise}/copilot/billing/seats`): held from the UTC date of `created_at`
    (when access was last granted) to the day before `pending_cancellation_date` (the start of
    the next billing cycle, when a cancelled seat ends)."""
    if missing := missing_fields(seat, ("assignee", "created_at")):
        raise refuse_missing(out.path, SEAT_FORMAT, missing, seat, line)
    assignee = seat.get("assignee")
    login = dig(assignee, "login") if isinstance(assignee, Mapping) else None
    if login is None:
        raise refuse_missing(out.path, SEAT_FORMAT, ["assignee.login"], seat, line)
    user = map_identity(out.identities, login)
    assigned = utc_date(seat.get("created_at"))
    cancelled = as_date(seat.get("pending_cancellation_date"))
    removed = (cancelled - timedelta(days=1)).isoformat() if cancelled is not None else None
    if cancelled is None and not blank(seat.get("pending_cancellation_date")):
        removed = seat.get("pending_cancellation_date")  # no date: quarantined with its reason
    if user in out.seats:
        first, earlier, later = out.seats[user]
        assigned = min(earlier, assigned, key=str)
        removed = None if later is None or removed is None else max(later, removed, key=str)
        line = first
    out.seats[user] = (line, assigned, removed)
