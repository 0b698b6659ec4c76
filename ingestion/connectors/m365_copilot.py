"""Microsoft 365 Copilot usage reports -> activity, licenses, kpi_observations,
copilot_usage_details.

Reads the Microsoft Graph reports, as CSV (what `$format=text/csv` or the v1.0 endpoint
streams) or as JSON (`{"value": [...]}`, or its records one per line), and the exports admins
make of the same data:

- `getMicrosoft365CopilotUsageUserDetail` (`/copilot/reports/...`, and the older beta
  `/reports/...` whose CSV puts `Report Period` second), the Microsoft 365 admin centre's
  export of the same table (`User name`, `Last activity date (UTC)`, `Last activity date of
  Teams Copilot (UTC)`, ..., `Prompts submitted (any app)`, `Active Days`; no refresh date and
  no report period) and the PowerShell exports of the Graph records (`reportRefreshDate`,
  `UserPrincipalName`, `LastActivityDate`, `copilotChatLastActivityDate`, ...; no report
  period): one row per enabled user with the last activity date in each app. Each distinct
  last-activity date of a user becomes an `activity` row (tool `m365_copilot`, active; the
  report has no per-day counts); each app's date a `copilot_usage_details` row (breakdown
  `app`: `teams`, `word`, `excel`, `powerpoint`, `outlook`, `onenote`, `loop`,
  `copilot_chat`, and the version 2 report's `copilot_chat_work`, `copilot_chat_web`,
  `m365_copilot_app`, `edge`, `copilot_agent`; an app the list does not know keeps its name in
  snake case). When the file names its refresh date, the prompt counts and active usage days
  become a `report_period` row dated the refresh date, and every listed user holds a seat
  across the report period: one `licenses` row per week (Monday to Sunday) that a day of the
  period falls in (the refresh date's week alone when the file names no period), so daily or
  weekly downloads give the same weeks again and never stack overlapping seats. (Do not also
  ingest a licence export for the same seats, or they count twice.) The admin centre's export
  names no refresh date and lists every user licensed at any time in the past 180 days, so it
  lands no seats and no period totals (its prompt and active-days columns are named as not
  landed).
- `getMicrosoft365CopilotUserCountSummary`: enabled and active users per app over the
  report period -> `kpi_observations` dated the refresh date (grain `day`), source
  `m365_copilot`: `m365_copilot_enabled_users_<n>d`, `m365_copilot_active_users_<n>d` (any
  app), `m365_copilot_<app>_enabled_users_<n>d`, `m365_copilot_<app>_active_users_<n>d`, and
  `m365_copilot_prompts_submitted_<n>d` when the report has it, n being the report period in
  days (7, 28, 30, 90 or 180).
- `getMicrosoft365CopilotUserCountTrend` (CSV with `Report Date`, or JSON `adoptionByDate`):
  the daily number of enabled and active users per app -> one observation per report date
  and count, dated the report date: the same ids with n = 1 (`m365_copilot_active_users_1d`,
  `m365_copilot_teams_enabled_users_1d`, ...), so trends of any period continue one series.

Header names are matched with stray whitespace, case and punctuation ignored; empty dates
(`""` or `null`) mean no activity. User principal names may be concealed (hashed) by the
tenant's report privacy setting: they are ids all the same (pseudonymised on ingest) and only
join the people directory when it holds the same hashes. Display names are never kept. A file
that resembles one of these reports but lacks a column it needs (`User Principal Name` /
`User name` and `Last Activity Date` for the user detail; `Report Refresh Date` and `Report
Period` for the summary; `Report Date` for a trend, which needs neither of the others: a
summary CSV with two rows of the same refresh date and period is a trend without it) is
refused whole, naming the report it resembles and the missing column; so is a file of none of
these shapes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ingestion.connectors._common import (
    Rows,
    VendorField,
    VendorFormat,
    as_date,
    as_text,
    blank,
    iter_json,
    land_vendor_files,
    load_identity_map,
    map_identity,
    missing_fields,
    name_key,
    note_not_landed,
    objects,
    read_csv,
    refuse_missing,
    resembled,
    weeks_covering,
)
from ingestion.entities import activity, copilot_usage_details, kpi_observations, licenses
from ingestion.errors import FileRefused
from ingestion.extra_columns import ExtraColumns
from ingestion.landing import FileResult

CONNECTOR = "m365-copilot"
TOOL = "m365_copilot"

#: The user detail report (CSV header / JSON property) and what each field feeds.
USER_DETAIL: tuple[VendorField, ...] = (
    VendorField("Report Refresh Date", "date", feeds="report_period date, licences"),
    VendorField("User Principal Name | User name", "string", required=True, feeds="user_id"),
    VendorField("Display Name", "string", feeds="(dropped)"),
    VendorField("Last Activity Date", "date", required=True, feeds="activity_date"),
    VendorField("<App> Copilot Last Activity Date", "date", feeds="activity_date, app"),
    VendorField("Report Period", "integer", feeds="report_period_days, licence weeks"),
    VendorField("Prompts submitted for all apps", "integer", feeds="prompts"),
    VendorField("Prompts submitted for <app>", "integer", feeds="prompts (app)"),
    VendorField("Active Usage Days for all apps", "integer", feeds="active_days"),
)
USER_COUNT_SUMMARY: tuple[VendorField, ...] = (
    VendorField("Report Refresh Date", "date", required=True, feeds="period_start"),
    VendorField("Report Period", "integer", required=True, feeds="kpi_id suffix"),
    VendorField("<App> Enabled Users", "integer", feeds="value"),
    VendorField("<App> Active Users", "integer", feeds="value"),
    VendorField("Total prompts submitted", "integer", feeds="value"),
)
USER_COUNT_TREND: tuple[VendorField, ...] = (
    VendorField("Report Refresh Date", "date"),
    VendorField("Report Period", "integer"),
    VendorField("Report Date", "date", required=True, feeds="period_start"),
    VendorField("<App> Enabled Users", "integer", feeds="value (kpi id ..._1d)"),
    VendorField("<App> Active Users", "integer", feeds="value (kpi id ..._1d)"),
)

DETAIL = VendorFormat(
    "Microsoft 365 Copilot user detail report (getMicrosoft365CopilotUsageUserDetail)",
    ("User Principal Name|User name", "Last Activity Date"),
    (
        "User Principal Name",
        "User name",
        "Display Name",
        "Last Activity Date",
        "Report Refresh Date",
        "Prompts submitted for all apps",
    ),
)
SUMMARY = VendorFormat(
    "Microsoft 365 Copilot user count summary (getMicrosoft365CopilotUserCountSummary)",
    ("Report Refresh Date", "Report Period"),
    ("Any App Enabled Users", "Any App Active Users", "Report Refresh Date"),
)
TREND = VendorFormat(
    "Microsoft 365 Copilot user count trend (getMicrosoft365CopilotUserCountTrend)",
    ("Report Date",),
    ("Report Date", "Any App Enabled Users", "Any App Active Users", "adoptionByDate"),
)

#: App names as the reports spell them (letters and digits only, lower case) -> app id.
APPS: dict[str, str] = {
    "microsoftteams": "teams",
    "teams": "teams",
    "word": "word",
    "excel": "excel",
    "powerpoint": "powerpoint",
    "outlook": "outlook",
    "onenote": "onenote",
    "loop": "loop",
    "copilotchat": "copilot_chat",
    "copilotchatwork": "copilot_chat_work",
    "copilotchatweb": "copilot_chat_web",
    "microsoft365": "m365_copilot_app",
    "microsoft365copilot": "m365_copilot_app",
    "microsoft365app": "m365_copilot_app",
    "microsoft365copilotapp": "m365_copilot_app",
    "edge": "edge",
    "microsoftedge": "edge",
    "copilotagent": "copilot_agent",
    "anyagent": "copilot_agent",
    "anyapp": "any_app",
}


def load(
    paths: Sequence[Path],
    home: Path,
    *,
    identity_map: Path | str | None = None,
    echo: Callable[[str], None] | None = None,
    extra_columns: ExtraColumns | None = None,
) -> list[FileResult]:
    """Land Microsoft 365 Copilot usage report files under `home`."""
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


# --------------------------------------------------------------------------- header names

_UTC = re.compile(r"(?i)\s*\(\s*utc\s*(\(\s*universal\s+time\s+code\s*\))?\s*\)\s*")
_LAST_ACTIVITY_OF = re.compile(r"(?i)^\s*last\s+activity\s+date\s+of\s+(.+?)\s*$")
_LAST_ACTIVITY = re.compile(r"(?i)\s*last\s*activity\s*date\s*$")
_PROMPTS_FOR = re.compile(r"(?i)^\s*prompts\s*submitted\s*for\s*")
_PROMPTS_SUBMITTED = re.compile(r"(?i)^\s*(.+?)\s+prompts\s+submitted\s*$")


def graph_name(name: str) -> str:
    """A user detail header as the Graph report spells it: the admin centre's `User name`,
    `Last activity date of Teams Copilot (UTC)`, `Prompts submitted (any app)`, `Copilot Chat
    (work) prompts submitted` and `Active Days` become `User Principal Name`, `Teams Copilot
    Last Activity Date`, `Prompts submitted for all apps`, `Prompts submitted for Copilot Chat
    (work)` and `Active Usage Days for all apps`; other names are returned as they are."""
    plain = _UTC.sub("", name).strip()
    key = name_key(plain)
    if key == "username":
        return "User Principal Name"
    if key == "promptssubmittedanyapp":
        return "Prompts submitted for all apps"
    if key == "activedays":
        return "Active Usage Days for all apps"
    if match := _LAST_ACTIVITY_OF.match(plain):
        return f"{match.group(1)} Last Activity Date"
    if match := _PROMPTS_SUBMITTED.match(plain):
        return f"Prompts submitted for {match.group(1)}"
    return plain


def _graph_keys(names: Iterable[Any]) -> set[str]:
    return {name_key(graph_name(str(name))) for name in names}


def _app(label: str) -> str:
    """App id from a report's app label ('Microsoft Teams Copilot', 'copilotChatWork')."""
    key = name_key(label)
    if key.endswith("copilot") and key not in APPS:
        key = key.removesuffix("copilot")
    if key in APPS:
        return APPS[key]
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", label.strip())
    return re.sub(r"[^a-z0-9]+", "_", snake.lower()).strip("_")


def _counts_kind(keys: set[str]) -> str | None:
    if not any(k.endswith("enabledusers") for k in keys):
        return None
    return "trend" if "reportdate" in keys else "summary"


def csv_kind(header: Iterable[str]) -> str | None:
    """`detail`, `summary`, `trend` or None for a CSV header."""
    keys = _graph_keys(header)
    if "userprincipalname" in keys:
        return "detail"
    return _counts_kind(keys)


def json_kind(record: Any) -> str | None:
    """`detail`, `summary`, `trend` or None for one JSON record (an item of a Graph
    `value`)."""
    if not isinstance(record, Mapping):
        return None
    keys = _graph_keys(record)
    if "userprincipalname" in keys:
        return "detail"
    if "adoptionbydate" in keys:
        return "trend"
    if "adoptionbyproduct" in keys:
        return "summary"
    return _counts_kind(keys)


def reshape(path: Path, identities: Mapping[str, str] | None = None) -> list[Rows]:
    """Canonical rows of one report file."""
    out = _Out(identities or {})
    suffixes = [s.lower() for s in path.suffixes]
    if ".csv" in suffixes or ".tsv" in suffixes:
        _read_csv(out, path)
    else:
        _read_json(out, path)
    return [out.activity, out.licenses, out.kpis, out.details]


class _Out:
    def __init__(self, identities: Mapping[str, str]) -> None:
        self.identities = identities
        self.activity = Rows(activity.SCHEMA)
        self.licenses = Rows(licenses.SCHEMA)
        self.kpis = Rows(kpi_observations.SCHEMA)
        self.details = Rows(copilot_usage_details.SCHEMA)


def _read_csv(out: _Out, path: Path) -> None:
    header, rows = read_csv(path, ())
    kind = csv_kind(header)
    graph_header = [graph_name(name) for name in header]
    if kind is None:
        fmt = resembled(graph_header, (DETAIL, TREND, SUMMARY))
        if fmt is None or not (missing := missing_fields(graph_header, fmt.required)):
            raise FileRefused(
                path,
                "not a Microsoft 365 Copilot usage report: expected the user detail report "
                "(User Principal Name, ... Last Activity Date), the user count summary or "
                f"trend (... Enabled Users, ... Active Users); found: {', '.join(header)}",
                1,
            )
        raise refuse_missing(path, fmt, missing, header)
    fmt = {"detail": DETAIL, "summary": SUMMARY, "trend": TREND}[kind]
    if missing := missing_fields(graph_header, fmt.required):
        raise refuse_missing(path, fmt, missing, header)
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        if kind == "detail":
            _detail(out, line, _detail_fields(row))
            continue
        if kind == "summary":
            by_key = {name_key(name): value.strip() for name, value in row.items()}
            period = (by_key.get("reportrefreshdate", ""), by_key.get("reportperiod", ""))
            if period in seen:
                # a trend whose Report Date column was renamed or left out
                raise refuse_missing(path, TREND, ["Report Date"], header, line)
            seen[period] = line
        _counts(out, line, {name.strip(): value for name, value in row.items()}, kind)


def _read_json(out: _Out, path: Path) -> None:
    for line, value in iter_json(path):
        records = value.get("value") if isinstance(value, Mapping) and "value" in value else [value]
        if not isinstance(records, list):
            raise FileRefused(path, "the Graph response's `value` is not a list", line)
        for record in records:
            kind = json_kind(record)
            if kind == "detail":
                _detail(out, line, _detail_fields(record))
            elif kind in ("summary", "trend"):
                items = _counts_from_json(record, kind)
                fmt = SUMMARY if kind == "summary" else TREND
                for item in items:
                    if missing := missing_fields(item, fmt.required):
                        raise refuse_missing(path, fmt, missing, list(item), line)
                    _counts(out, line, item, kind)
            else:
                if isinstance(record, Mapping):
                    names = [graph_name(str(name)) for name in record]
                    fmt = resembled(names, (DETAIL, TREND, SUMMARY))
                    if fmt is not None and (missing := missing_fields(names, fmt.required)):
                        raise refuse_missing(path, fmt, missing, list(record), line)
                shown = ", ".join(list(record)[:6]) if isinstance(record, Mapping) else record
                raise FileRefused(
                    path,
                    "not a Microsoft 365 Copilot usage report record (expected "
                    f"userPrincipalName, adoptionByProduct or adoptionByDate; found: {shown})",
                    line,
                )


# --------------------------------------------------------------------------- user detail


#: User detail fields read (Graph spelling, letters and digits only, lower case), besides
#: the per-app ones.
DETAIL_FIELDS = frozenset(
    {
        "reportrefreshdate",
        "userprincipalname",
        "lastactivitydate",
        "reportperiod",
        "promptssubmittedforallapps",
        "activeusagedaysforallapps",
        "copilotactivityuserdetailsbyperiod",
    }
)
#: Fields that only count over a known report period (not landed without a refresh date).
PERIOD_FIELDS = ("promptssubmittedfor", "activeusagedaysforallapps")


def _detail_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """The user detail record (CSV row or JSON object, any spelling) as the fields `_detail`
    reads; notes the fields not landed (Display Name, anything new)."""
    by_key: dict[str, Any] = {}
    names: dict[str, str] = {}
    apps: dict[str, Any] = {}
    prompts: dict[str, Any] = {}
    unread = []
    for raw_name, value in record.items():
        name = graph_name(str(raw_name))
        key = name_key(name)
        by_key[key], names[key] = value, str(raw_name)
        if key.endswith("lastactivitydate") and key != "lastactivitydate":
            apps[_app(_LAST_ACTIVITY.sub("", name))] = value
        elif key.startswith("promptssubmittedfor") and key != "promptssubmittedforallapps":
            prompts[_app(_PROMPTS_FOR.sub("", name))] = value
        elif key not in DETAIL_FIELDS:
            unread.append(str(raw_name))
    note_not_landed(unread)
    periods = [
        item.get("reportPeriod")
        for item in objects(by_key.get("copilotactivityuserdetailsbyperiod"))
    ]
    if "reportperiod" in by_key:
        periods.append(by_key["reportperiod"])
    refresh = by_key.get("reportrefreshdate")
    if blank(refresh):
        note_not_landed(
            names[key] for key in names if key.startswith(PERIOD_FIELDS) or key == "reportperiod"
        )
    return {
        "refresh": refresh,
        "user": by_key.get("userprincipalname"),
        "last": by_key.get("lastactivitydate"),
        "periods": periods or [None],
        "apps": apps,
        "prompts_all": by_key.get("promptssubmittedforallapps"),
        "prompts": prompts,
        "active_days": by_key.get("activeusagedaysforallapps"),
    }


def _period(value: Any) -> Any:
    """Report period in days: 7 from '7', 7, 'D7' or '7 days'; None when blank."""
    if blank(value):
        return None
    if isinstance(value, str):
        match = re.fullmatch(r"\s*[Dd]?(\d+)(\s*days?)?\s*", value)
        if match:
            return int(match.group(1))
    return value


def _seat_weeks(refresh: Any, period: Any) -> list[tuple[Any, Any]]:
    """(Monday, Sunday) of each week the report period touches: the seat is held across
    the period, the refresh date's week alone when the period is unknown. A refresh date that
    is no date is passed on (and quarantined)."""
    day = as_date(refresh)
    if day is None:
        return [(refresh, None)]
    # a period longer than the calendar before the refresh date starts on its first day
    back = min(period - 1, (day - date.min).days) if isinstance(period, int) and period > 0 else 0
    first = day - timedelta(days=back)
    return [
        (monday.isoformat(), sunday.isoformat()) for monday, sunday in weeks_covering(first, day)
    ]


def _detail(out: _Out, line: int, detail: Mapping[str, Any]) -> None:
    user = map_identity(out.identities, detail["user"])
    if isinstance(user, str):
        user = user.strip()
    refresh = detail["refresh"]
    dated = not blank(refresh)
    periods = [_period(p) for p in detail["periods"]]
    numeric = [p for p in periods if isinstance(p, int)]
    period = max(numeric) if numeric else periods[0]
    # A date that is not text (a number, an object) is passed on as text and quarantined.
    active_dates = {
        str(as_text(d)).strip() for d in [detail["last"], *detail["apps"].values()] if not blank(d)
    }
    for day in sorted(active_dates):
        out.activity.add(line, user_id=user, activity_date=day, tool=TOOL, is_active=True)
    for app, day in detail["apps"].items():
        if blank(day):
            continue
        out.details.add(
            line,
            tool=TOOL,
            activity_date=day.strip() if isinstance(day, str) else day,
            scope="user",
            user_id=user,
            breakdown="app",
            app=app,
            prompts=_count(detail["prompts"].get(app)) if dated else None,
            report_period_days=period,
        )
    if not dated:
        return  # the admin centre's export: no refresh date, so no period totals or seats
    for each in periods:
        out.details.add(
            line,
            tool=TOOL,
            activity_date=refresh,
            scope="user",
            user_id=user,
            breakdown="report_period",
            prompts=_count(detail["prompts_all"]),
            active_days=_count(detail["active_days"]),
            report_period_days=each,
        )
    for monday, sunday in _seat_weeks(refresh, period):
        out.licenses.add(line, user_id=user, tool=TOOL, assigned_on=monday, removed_on=sunday)


def _count(value: Any) -> Any:
    return None if blank(value) else value


# --------------------------------------------------------------------------- user counts


def _counts_from_json(record: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    """The summary's per-product items, or the trend's per-date items, each with the
    record's refresh date and period."""
    shared = {
        name: value
        for name, value in record.items()
        if name_key(name) in ("reportrefreshdate", "reportperiod")
    }
    nested = "adoptionByProduct" if kind == "summary" else "adoptionByDate"
    items = objects(record.get(nested)) or [record]
    return [{**shared, **item} for item in items]


def _counts(out: _Out, line: int, counts: Mapping[str, Any], kind: str) -> None:
    """KPI observations of one summary row (dated the refresh date, ids `..._<period>d`) or
    one trend row (dated the report date, ids `..._1d`)."""
    by_key = {name_key(str(name)): (name, value) for name, value in counts.items()}
    refresh = by_key.get("reportrefreshdate", (None, None))[1]
    if kind == "trend":
        day, suffix = by_key.get("reportdate", (None, None))[1], "_1d"
    else:
        period = _period(by_key.get("reportperiod", (None, None))[1])
        day, suffix = refresh, f"_{period}d" if isinstance(period, int) else f"_{period}"
    own = ("reportrefreshdate", "reportperiod", "reportdate", "adoptionbyproduct", "adoptionbydate")
    note_not_landed(
        name
        for key, (name, _) in by_key.items()
        if key not in own
        and not key.endswith(("enabledusers", "activeusers"))
        and "prompt" not in key
    )
    for key, (name, value) in by_key.items():
        if key in own or blank(value):
            continue
        label = str(name)
        if key.endswith(("enabledusers", "activeusers")):
            app = _app(re.sub(r"(?i)\s*(enabled|active)\s*users\s*$", "", label))
            metric = "enabled_users" if key.endswith("enabledusers") else "active_users"
            stem = TOOL if app == "any_app" else f"{TOOL}_{app}"
            kpi_id = f"{stem}_{metric}{suffix}"
        elif "prompt" in key:
            metric = re.sub(r"[^a-z0-9]+", "_", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", label).lower())
            kpi_id = f"{TOOL}_{metric.strip('_').replace('total_', '')}{suffix}"
        else:
            continue
        out.kpis.add(line, kpi_id=kpi_id, period_start=day, grain="day", value=value, source=TOOL)
