"""GitHub billing reports (Copilot's metered spend) -> usage_daily.

Since June 2026 Copilot's premium requests and AI credits are billed per use beside the seats.
GitHub's billing pages export two CSV reports that say what was used and charged (docs:
"Billing reports reference"); both land as a vendor's aggregated usage and cost per UTC day,
provider `github_copilot` (CONTRACTS.md §5.1): reconciled on the data-health page against the
per-call logs of the same provider and day, never added to them.

**Metered usage report** (summarized or detailed; `date`, `product`, `sku`, `quantity`,
`unit_type`, `applied_cost_per_quantity`, `gross_amount`, `discount_amount`, `net_amount`,
`organization`, `repository`, `cost_center_name`, and in the detailed report `username` and
`workflow_path`) -> source `github_billing`; its premium-request variant (with `model`) ->
source `github_billing_by_model`, kept apart because it bills the same premium requests as the
plain report (two sources are never summed, so landing both counts nothing twice):

| usage_daily column | from |
|---|---|
| usage_date | `date` (GitHub logs all usage in UTC) |
| model | `model` when the report has one, else null |
| cost, currency | `net_amount` (the amount billed: `gross_amount - discount_amount`), USD |
| requests, tokens | null: `quantity` counts premium-request units, weighted by each model's multiplier (a call to a 10x model uses 10), so it is not a count of calls |

Only Copilot's metered use lands: rows of product `copilot` whose `unit_type` is not a seat
(a `user-months` row is a seat licence, which cadence models from `licenses` and the seat price
assumption), summed per day and model (a report sums per SKU, organization, repository, cost
centre and user). The other products' rows (Actions, Packages, ...) and Copilot's seat rows
are counted and reported as skipped; a file with no metered Copilot row is refused, saying what
it holds. A day must come whole in one file (`_usage_reports.py`): export the enterprise's
report, or one organisation per day, as a second organisation's file for the same day replaces
the first's rows.

**Premium request analytics report** (`Timestamp`, `User`, `Model`, `Requests Used`,
`Exceeds Monthly Quota`, `Total Monthly Quota`: one row per recorded use; a file without
`User`, as an admin may hand it over, is read alike) -> source
`github_premium_requests`: `usage_date` = the UTC date of `Timestamp`, `model` = `Model`,
`requests` = the recorded uses of the day and model; no cost (the report holds none: the metered
usage report has the money).

Never read or stored: `username` / `User` (a GitHub handle), `repository`, `workflow_path`;
named in the ingest summary as not landed, like `sku`, `quantity`, `unit_type`,
`gross_amount`, `discount_amount`, `organization`, `cost_center_name`, `Requests Used`,
`Exceeds Monthly Quota` and `Total Monthly Quota`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ingestion.connectors._common import (
    Rows,
    VendorFormat,
    as_date,
    land_vendor_files,
    missing_fields,
    name_key,
    read_csv,
    refuse_missing,
    resembled,
    track_fields,
)
from ingestion.connectors._usage_reports import DailyTotals, amount, rfc3339_time
from ingestion.entities import usage_daily
from ingestion.errors import FileRefused
from ingestion.extra_columns import ExtraColumns
from ingestion.landing import FileResult

CONNECTOR = "github-billing"
PROVIDER = "github_copilot"
BILLING_SOURCE = "github_billing"
#: The metered report's premium-request variant (with `model`): its own source, as it bills
#: the same premium requests as the plain report's Copilot rows (never summed with them).
MODEL_BILLING_SOURCE = "github_billing_by_model"
PREMIUM_SOURCE = "github_premium_requests"
#: `unit_type` words of a seat licence charge (a month of a user's seat), not metered use.
SEAT_UNITS = ("user", "seat")
COPILOT = "copilot"

METERED = VendorFormat(
    "GitHub metered usage report (billing)",
    ("date", "product", "sku", "net_amount"),
    ("sku", "unit_type", "applied_cost_per_quantity", "gross_amount", "discount_amount"),
)
PREMIUM = VendorFormat(
    "GitHub premium request analytics report",
    ("Timestamp", "Model", "Requests Used"),
    ("Requests Used", "Exceeds Monthly Quota", "Total Monthly Quota"),
)
FORMATS = (METERED, PREMIUM)


def load(
    paths: Sequence[Path],
    home: Path,
    *,
    echo: Callable[[str], None] | None = None,
    extra_columns: ExtraColumns | None = None,
) -> list[FileResult]:
    """Land GitHub metered usage or premium request analytics reports under `home` as
    usage_daily rows."""
    return land_vendor_files(
        paths,
        home,
        connector=CONNECTOR,
        primary=usage_daily.SCHEMA,
        reshape=lambda path: [reshape(path)],
        echo=echo,
        extra_columns=extra_columns,
    )


def report_kind(header: Sequence[str]) -> VendorFormat | None:
    """The report a CSV header is, or None: every field its format requires, by name."""
    keys = {name_key(name) for name in header}
    for fmt in FORMATS:
        if all(name_key(name) in keys for name in fmt.required):
            return fmt
    return None


def reshape(path: Path) -> Rows:
    """The usage_daily rows of one report file; refuse a file that is neither report, naming
    the report it resembles and the fields it lacks."""
    header, lines = read_csv(path, [])
    fmt = report_kind(header)
    if fmt is None:
        near = resembled(header, FORMATS)
        if near is not None:
            raise refuse_missing(path, near, missing_fields(header, near.required), header)
        raise FileRefused(
            path,
            "not a GitHub billing report: expected the metered usage report's "
            f"{', '.join(METERED.required)} or the premium request analytics report's "
            f"{', '.join(PREMIUM.required)} (found: {', '.join(header)})",
            1,
        )
    if fmt is PREMIUM:
        return _premium(path, _columns(header, PREMIUM.required), lines)
    return _metered(path, _columns(header, [*METERED.required, "model", "unit_type"]), lines)


def _columns(header: Sequence[str], wanted: Sequence[str]) -> dict[str, str]:
    """The header's spelling of each wanted field (matched however it is spelt)."""
    by_key = {name_key(name): name for name in header}
    return {name: by_key[name_key(name)] for name in wanted if name_key(name) in by_key}


def _metered(path: Path, names: Mapping[str, str], lines: Iterable[tuple[int, dict]]) -> Rows:
    source = MODEL_BILLING_SOURCE if "model" in names else BILLING_SOURCE
    totals = DailyTotals(path, PROVIDER, source)
    other: Counter[str] = Counter()
    for line, raw in lines:
        row = track_fields(raw)
        product = (row.get(names["product"]) or "").strip()
        if product.lower() != COPILOT:
            other[product or "(no product)"] += 1
            continue
        unit = (row.get(names["unit_type"]) or "").lower() if "unit_type" in names else ""
        if any(word in unit for word in SEAT_UNITS):
            other["copilot seats"] += 1  # licences: cadence models them from `licenses`
            continue
        day = _day(path, line, row.get(names["date"]))
        totals.days.setdefault(day, line)
        model = _text(row.get(names["model"])) if "model" in names else None
        cost = row.get(names["net_amount"])
        totals.add(line, day, model, currency="USD", cost=amount(cost.strip() if cost else None))
    if not totals.groups:
        raise FileRefused(path, _no_copilot(other))
    rows = totals.rows()
    rows.skipped = dict(sorted(other.items(), key=lambda item: (-item[1], item[0])))
    rows.skipped_what = "row(s) that are not Copilot's metered use"
    return rows


def _premium(path: Path, names: Mapping[str, str], lines: Iterable[tuple[int, dict]]) -> Rows:
    totals = DailyTotals(path, PROVIDER, PREMIUM_SOURCE)
    for line, raw in lines:
        row = track_fields(raw)
        stamp = row.get(names["Timestamp"])
        moment = rfc3339_time(stamp)
        if moment is None:
            raise FileRefused(path, f"Timestamp is missing or not a time: {stamp!r}", line)
        day = moment.date()
        totals.days.setdefault(day, line)
        model = _text(row.get(names["Model"]))
        totals.add(line, day, model, requests=1)
    if not totals.groups:
        raise FileRefused(path, "holds no premium request (a header and no row)")
    return totals.rows()


def _text(value: Any) -> str | None:
    """A CSV value trimmed; None when blank."""
    return value.strip() or None if isinstance(value, str) else None


def _day(path: Path, line: int, value: Any) -> date:
    day = as_date(value.strip() if isinstance(value, str) else value)
    if day is None:
        raise FileRefused(path, f"date is missing or not a date: {value!r}", line)
    return day


def _no_copilot(other: Mapping[str, int]) -> str:
    held = ", ".join(f"{count} row(s) of {product}" for product, count in other.items())
    return (
        "holds no metered Copilot charge (product 'copilot', not seats): "
        + (held or "no row at all")
        + "; cadence lands Copilot's metered spend only"
    )
