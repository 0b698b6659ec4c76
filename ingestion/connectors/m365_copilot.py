"""Microsoft 365 Copilot usage reports (Microsoft Graph) -> activity, licenses, kpi_observations,
copilot_usage_details.

Reads the two Graph reports, as CSV (what `$format=text/csv` or the v1.0 endpoint streams) or
as JSON (`{"value": [...]}`, or its records one per line):

- `getMicrosoft365CopilotUsageUserDetail` (`/copilot/reports/...`, and the older beta
  `/reports/...` whose CSV puts `Report Period` second): one row per enabled user with the
  last activity date in each app. Each distinct last-activity date of a user becomes an
  `activity` row (tool `m365_copilot`, active; the report has no per-day counts); each app's
  date a `copilot_usage_details` row (breakdown `app`: `teams`, `word`, `excel`,
  `powerpoint`, `outlook`, `onenote`, `loop`, `copilot_chat`, and the version 2 report's
  `copilot_chat_work`, `copilot_chat_web`, `m365_copilot_app`, `edge`, `copilot_agent`; an
  app the list does not know keeps its name in snake case); the version 2 report's prompt
  counts and active usage days a `report_period` row dated the report's refresh date. Every
  listed user holds a seat: a `licenses` row for the week (Monday to Sunday) of the refresh
  date, so daily or weekly downloads never stack overlapping seats. (Do not also ingest a
  licence export for the same seats, or they count twice.)
- `getMicrosoft365CopilotUserCountSummary`: enabled and active users per app over the
  report period -> `kpi_observations` dated the refresh date (grain `day`), source
  `m365_copilot`: `m365_copilot_enabled_users_<n>d`, `m365_copilot_active_users_<n>d` (any
  app), `m365_copilot_<app>_enabled_users_<n>d`, `m365_copilot_<app>_active_users_<n>d`, and
  `m365_copilot_prompts_submitted_<n>d` when the report has it, n being the report period in
  days (7, 28, 30, 90 or 180).

Header names are matched with stray whitespace and case ignored; empty dates (`""` or
`null`) mean no activity. User principal names may be concealed (hashed) by the tenant's
report privacy setting: they are ids all the same (pseudonymised on ingest) and only join
the people directory when it holds the same hashes. Display names are never kept. A CSV
without `Report Refresh Date`, `User Principal Name`, `Last Activity Date` and
`Report Period` (detail) or `Report Refresh Date` and `Report Period` (summary), or a file
of neither shape, is refused whole.
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
    as_text,
    iter_json,
    land_vendor_files,
    load_identity_map,
    map_identity,
    note_not_landed,
    objects,
    read_csv,
)
from ingestion.entities import activity, copilot_usage_details, kpi_observations, licenses
from ingestion.errors import FileRefused
from ingestion.extra_columns import ExtraColumns
from ingestion.landing import FileResult

CONNECTOR = "m365-copilot"
TOOL = "m365_copilot"

#: The user detail report (CSV header / JSON property) and what each field feeds.
USER_DETAIL: tuple[VendorField, ...] = (
    VendorField("Report Refresh Date", "date", required=True, feeds="report_period date"),
    VendorField("User Principal Name", "string", required=True, feeds="user_id"),
    VendorField("Display Name", "string", feeds="(dropped)"),
    VendorField("Last Activity Date", "date", required=True, feeds="activity_date"),
    VendorField("<App> Copilot Last Activity Date", "date", feeds="activity_date, app"),
    VendorField("Report Period", "integer", required=True, feeds="report_period_days"),
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
DETAIL_REQUIRED = (
    "Report Refresh Date",
    "User Principal Name",
    "Last Activity Date",
    "Report Period",
)
SUMMARY_REQUIRED = ("Report Refresh Date", "Report Period")

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
    "edge": "edge",
    "copilotagent": "copilot_agent",
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


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _app(label: str) -> str:
    """App id from a report's app label ('Microsoft Teams Copilot', 'copilotChatWork')."""
    key = _key(label)
    if key.endswith("copilot") and key not in APPS:
        key = key.removesuffix("copilot")
    if key in APPS:
        return APPS[key]
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", label.strip())
    return re.sub(r"[^a-z0-9]+", "_", snake.lower()).strip("_")


def csv_kind(header: Iterable[str]) -> str | None:
    """`detail`, `summary` or None for a CSV header."""
    keys = {_key(name) for name in header}
    if "userprincipalname" in keys:
        return "detail"
    if "reportrefreshdate" in keys and any(k.endswith("enabledusers") for k in keys):
        return "summary"
    return None


def json_kind(record: Any) -> str | None:
    """`detail`, `summary` or None for one JSON record (an item of a Graph `value`)."""
    if not isinstance(record, Mapping):
        return None
    keys = {_key(str(name)) for name in record}
    if "userprincipalname" in keys:
        return "detail"
    if "adoptionbyproduct" in keys or any(k.endswith("enabledusers") for k in keys):
        return "summary"
    return None


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
    if kind is None:
        raise FileRefused(
            path,
            "not a Microsoft 365 Copilot usage report: expected the user detail report "
            "(User Principal Name, ... Last Activity Date) or the user count summary "
            f"(... Enabled Users, ... Active Users); found: {', '.join(header)}",
            1,
        )
    required = DETAIL_REQUIRED if kind == "detail" else SUMMARY_REQUIRED
    present = {_key(name) for name in header}
    missing = [name for name in required if _key(name) not in present]
    if missing:
        raise FileRefused(
            path,
            "missing required column(s): " + ", ".join(missing) + f" (found: {', '.join(header)})",
            1,
        )
    for line, row in rows:
        if kind == "detail":
            _detail(out, line, _detail_from_csv(row))
        else:
            _summary(out, line, _summary_from_csv(row))


def _read_json(out: _Out, path: Path) -> None:
    for line, value in iter_json(path):
        records = value.get("value") if isinstance(value, Mapping) and "value" in value else [value]
        if not isinstance(records, list):
            raise FileRefused(path, "the Graph response's `value` is not a list", line)
        for record in records:
            kind = json_kind(record)
            if kind == "detail":
                _detail(out, line, _detail_from_json(record))
            elif kind == "summary":
                for item in _summary_from_json(record):
                    _summary(out, line, item)
            else:
                shown = ", ".join(list(record)[:6]) if isinstance(record, Mapping) else record
                raise FileRefused(
                    path,
                    "not a Microsoft 365 Copilot usage report record (expected "
                    f"userPrincipalName or adoptionByProduct; found: {shown})",
                    line,
                )


# --------------------------------------------------------------------------- user detail


#: User detail fields read (letters and digits only, lower case), besides the per-app ones.
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


def _note_detail_fields(names: Iterable[Any]) -> None:
    """Report the user detail fields not landed (Display Name, anything new)."""
    note_not_landed(
        str(name)
        for name in names
        if (key := _key(str(name))) not in DETAIL_FIELDS
        and not key.endswith("lastactivitydate")
        and not key.startswith("promptssubmittedfor")
    )


def _detail_from_csv(row: Mapping[str, str]) -> dict[str, Any]:
    _note_detail_fields(row)
    by_key = {_key(name): value for name, value in row.items()}
    apps: dict[str, Any] = {}
    prompts: dict[str, Any] = {}
    for name, value in row.items():
        key = _key(name)
        if key.endswith("lastactivitydate") and key != "lastactivitydate":
            apps[_app(name[: name.lower().rfind("last activity date")])] = value
        elif key.startswith("promptssubmittedfor") and key != "promptssubmittedforallapps":
            prompts[_app(name.split("for", 1)[1])] = value
    return {
        "refresh": by_key.get("reportrefreshdate"),
        "user": by_key.get("userprincipalname"),
        "last": by_key.get("lastactivitydate"),
        "periods": [by_key.get("reportperiod")],
        "apps": apps,
        "prompts_all": by_key.get("promptssubmittedforallapps"),
        "prompts": prompts,
        "active_days": by_key.get("activeusagedaysforallapps"),
    }


def _detail_from_json(record: Mapping[str, Any]) -> dict[str, Any]:
    _note_detail_fields(record)
    by_key = {_key(str(name)): value for name, value in record.items()}
    apps: dict[str, Any] = {}
    prompts: dict[str, Any] = {}
    for name, value in record.items():
        key = _key(str(name))
        if key.endswith("lastactivitydate") and key != "lastactivitydate":
            apps[_app(str(name)[: -len("LastActivityDate")])] = value
        elif key.startswith("promptssubmittedfor") and key != "promptssubmittedforallapps":
            prompts[_app(str(name)[len("promptsSubmittedFor") :])] = value
    periods = [
        item.get("reportPeriod")
        for item in objects(record.get("copilotActivityUserDetailsByPeriod"))
    ]
    if "reportperiod" in by_key:
        periods.append(by_key["reportperiod"])
    return {
        "refresh": by_key.get("reportrefreshdate"),
        "user": by_key.get("userprincipalname"),
        "last": by_key.get("lastactivitydate"),
        "periods": periods or [None],
        "apps": apps,
        "prompts_all": by_key.get("promptssubmittedforallapps"),
        "prompts": prompts,
        "active_days": by_key.get("activeusagedaysforallapps"),
    }


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _week(refresh: Any) -> tuple[Any, Any]:
    """Monday and Sunday of the refresh date's week (the raw value when it is no date)."""
    try:
        day = date.fromisoformat(str(refresh).strip())
    except ValueError:
        return refresh, None
    monday = day - timedelta(days=day.weekday())
    return monday.isoformat(), (monday + timedelta(days=6)).isoformat()


def _period(value: Any) -> Any:
    """Report period in days: 7 from '7', 7, 'D7' or '7 days'."""
    if isinstance(value, str):
        match = re.fullmatch(r"\s*[Dd]?(\d+)(\s*days?)?\s*", value)
        if match:
            return int(match.group(1))
    return value


def _detail(out: _Out, line: int, detail: Mapping[str, Any]) -> None:
    user = map_identity(out.identities, detail["user"])
    if isinstance(user, str):
        user = user.strip()
    refresh = detail["refresh"]
    periods = [_period(p) for p in detail["periods"]]
    numeric = [p for p in periods if isinstance(p, int)]
    period = max(numeric) if numeric else periods[0]
    # A date that is not text (a number, an object) is passed on as text and quarantined.
    active_dates = {
        str(as_text(d)).strip() for d in [detail["last"], *detail["apps"].values()] if not _blank(d)
    }
    for day in sorted(active_dates):
        out.activity.add(line, user_id=user, activity_date=day, tool=TOOL, is_active=True)
    for app, day in detail["apps"].items():
        if _blank(day):
            continue
        out.details.add(
            line,
            tool=TOOL,
            activity_date=day.strip() if isinstance(day, str) else day,
            scope="user",
            user_id=user,
            breakdown="app",
            app=app,
            prompts=_count(detail["prompts"].get(app)),
            report_period_days=period,
        )
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
    monday, sunday = _week(refresh)
    out.licenses.add(line, user_id=user, tool=TOOL, assigned_on=monday, removed_on=sunday)


def _count(value: Any) -> Any:
    return None if _blank(value) else value


# --------------------------------------------------------------------------- summary


def _summary_from_csv(row: Mapping[str, str]) -> dict[str, Any]:
    return {name.strip(): value for name, value in row.items()}


def _summary_from_json(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    refresh = record.get("reportRefreshDate")
    items = objects(record.get("adoptionByProduct")) or [record]
    return [{"reportRefreshDate": refresh, **item} for item in items]


def _summary(out: _Out, line: int, summary: Mapping[str, Any]) -> None:
    by_key = {_key(str(name)): (name, value) for name, value in summary.items()}
    refresh = by_key.get("reportrefreshdate", (None, None))[1]
    period = _period(by_key.get("reportperiod", (None, None))[1])
    suffix = f"_{period}d" if isinstance(period, int) else f"_{period}"
    note_not_landed(
        name
        for key, (name, _) in by_key.items()
        if key not in ("reportrefreshdate", "reportperiod")
        and not key.endswith(("enabledusers", "activeusers"))
        and "prompt" not in key
    )
    for key, (name, value) in by_key.items():
        if key in ("reportrefreshdate", "reportperiod", "reportdate") or _blank(value):
            continue
        label = str(name)
        for measure in ("enabledusers", "activeusers"):
            if key.endswith(measure):
                app = _app(re.sub(r"(?i)\s*(enabled|active)\s*users\s*$", "", label))
                metric = "enabled_users" if measure == "enabledusers" else "active_users"
                stem = TOOL if app == "any_app" else f"{TOOL}_{app}"
                out.kpis.add(
                    line,
                    kpi_id=f"{stem}_{metric}{suffix}",
                    period_start=refresh,
                    grain="day",
                    value=value,
                    source=TOOL,
                )
                break
        else:
            if "prompt" in key:
                metric = re.sub(
                    r"[^a-z0-9]+", "_", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", label).lower()
                )
                metric = metric.strip("_").replace("total_", "")
                out.kpis.add(
                    line,
                    kpi_id=f"{TOOL}_{metric}{suffix}",
                    period_start=refresh,
                    grain="day",
                    value=value,
                    source=TOOL,
                )
