"""Shared machinery of the connectors of providers' usage and cost reports -> usage_daily.

The OpenAI Usage and Costs APIs and Anthropic's Usage and Cost Admin API answer in the same
shape: pages (`{"data": [bucket, ...], "has_more": ..., "next_page": ...}`) of time buckets,
each with its start, its end and a list of `results`, one per group of the query's
`group_by`. A file may hold one page, one page per line (JSON Lines), a JSON array of pages,
or the buckets themselves (one per line or an array).

- A bucket's day is the UTC date of its start. Buckets of a minute or an hour add up to their
  day; a bucket longer than a day, or one that crosses midnight UTC, is refused (the APIs snap
  buckets to the minute, hour or day in UTC, so an export as the APIs give it never is).
- Results of the same day and model are summed, whatever else they are grouped by (project,
  API key, workspace, service tier, line item): `usage_daily` is one row per day x provider x
  model x source x business unit. The grouping fields are named as not landed.
- A day whose buckets hold no result at all lands one row with no model and zeros: the report
  covered the day and says nothing was used (`fct_usage_reconciliation` then shows the
  per-call usage of that day as unreported, not as missing data).
- A day must come whole in one file: a second file with the same day replaces its rows (the
  natural key's latest version), it does not add to them.
- A count that is not a number is passed on, so validation quarantines the day's row with its
  reason; a file holding no bucket is refused whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ingestion.connectors._common import Rows, iter_json, objects, track_fields
from ingestion.entities import usage_daily
from ingestion.errors import FileRefused

ONE_DAY = timedelta(days=1)

Moment = Callable[[Any], datetime | None]


@dataclass(frozen=True)
class Bucket:
    """One time bucket of a report: the line it starts on, its UTC day and its results."""

    line: int
    day: date
    results: list[Mapping[str, Any]]


def is_page(record: Any, start_key: str) -> bool:
    """Whether a JSON value is a page of buckets (or a bucket) that start at `start_key`."""
    if not isinstance(record, Mapping):
        return False
    if isinstance(record.get("results"), list) and start_key in record:
        return True
    data = record.get("data")
    if not isinstance(data, list):
        return False
    first = next(iter(objects(data)), None)
    return first is None or (start_key in first and "results" in first)


def buckets(
    path: Path, *, start_key: str, end_key: str, moment: Moment, kind: str
) -> Iterator[Bucket]:
    """Every bucket of a report file, with its UTC day; refuse the file when a value is no
    page or bucket of `kind`, or a bucket's times are missing, unreadable or span days."""
    found = False
    for line, value in iter_json(path):
        for record in _bucket_records(value):
            if not isinstance(record, Mapping) or not isinstance(record.get("results"), list):
                shown = ", ".join(list(value)[:6]) if isinstance(value, Mapping) else value
                raise FileRefused(
                    path,
                    f"not a page of {kind} buckets (expected data[].results; found: {shown})",
                    line,
                )
            bucket = track_fields(record)
            start, end = moment(bucket.get(start_key)), moment(bucket.get(end_key))
            if start is None:
                problem = (
                    f"a bucket's {start_key} is missing or not a time: {record.get(start_key)!r}"
                )
                raise FileRefused(path, problem, line)
            if end is not None and (
                end - start > ONE_DAY or (end - timedelta(microseconds=1)).date() != start.date()
            ):
                raise FileRefused(
                    path,
                    f"a bucket from {start.isoformat()} to {end.isoformat()} is not within one UTC "
                    "day (export with bucket_width 1d, 1h or 1m)",
                    line,
                )
            found = True
            yield Bucket(line, start.date(), objects(bucket.get("results")))
    if not found:
        raise FileRefused(path, f"holds no {kind} bucket (an empty page names no day)")


def _bucket_records(value: Any) -> list[Any]:
    if isinstance(value, Mapping) and isinstance(value.get("data"), list):
        return list(value["data"])
    if isinstance(value, list):
        return value
    return [value]


def unix_time(value: Any) -> datetime | None:
    """Unix seconds (OpenAI's `start_time` / `end_time`) as a UTC time."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (ValueError, OverflowError, OSError):
        return None


def rfc3339_time(value: Any) -> datetime | None:
    """An RFC 3339 timestamp (Anthropic's `starting_at` / `ending_at`) as a UTC time."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def amount(value: Any, scale: int = 0) -> Any:
    """A money amount (a JSON number or a decimal string) as a Decimal divided by 10**scale;
    anything else is passed on, for validation to quarantine the row."""
    if isinstance(value, bool) or value is None:
        return value
    try:
        return Decimal(str(value)).scaleb(-scale)
    except InvalidOperation:
        return value


MEASURES = ("input_tokens", "output_tokens", "requests", "cost")


@dataclass
class DailyTotals:
    """The usage_daily rows of one file: results summed per (day, model), days covered with
    no result as one zero row each."""

    path: Path
    provider: str
    source: str
    groups: dict[tuple[date, Any], dict[str, Any]] = field(default_factory=dict)
    days: dict[date, int] = field(default_factory=dict)

    def cover(self, bucket: Bucket) -> None:
        """Note that the file reports on the bucket's day."""
        self.days.setdefault(bucket.day, bucket.line)

    def add(self, line: int, day: date, model: Any, currency: Any = None, **measures: Any) -> None:
        """Add one result's measures (None = not reported) to its day and model."""
        group = self.groups.setdefault(
            (day, model), {"line": line, "currency": None, **dict.fromkeys(MEASURES)}
        )
        if currency is not None:
            code = str(currency).strip().upper()
            if group["currency"] not in (None, code):
                raise FileRefused(
                    self.path,
                    f"two currencies ({group['currency']}, {code}) for {model or 'all models'} "
                    f"on {day}: one day and model must be in one currency",
                    line,
                )
            group["currency"] = code
        for name, value in measures.items():
            group[name] = _plus(group[name], value)

    def rows(self) -> Rows:
        """One usage_daily row per (day, model); a covered day with none gets a zero row."""
        rows = Rows(usage_daily.SCHEMA)
        for day, line in sorted(self.days.items()):
            if not any(key[0] == day for key in self.groups):
                reported = self._reported()
                self.groups[(day, None)] = {
                    "line": line,
                    "currency": None,
                    **{name: 0 if name in reported else None for name in MEASURES},
                }
        for (day, model), group in sorted(
            self.groups.items(), key=lambda item: (item[0][0], str(item[0][1] or ""))
        ):
            rows.add(
                group["line"],
                usage_date=day.isoformat(),
                provider=self.provider,
                model=model,
                source=self.source,
                currency=group["currency"],
                **{name: _plain(group[name]) for name in MEASURES},
            )
        return rows

    def _reported(self) -> list[str]:
        """The measures this file reports (the others stay null on a zero row)."""
        return [
            name for name in MEASURES if any(g[name] is not None for g in self.groups.values())
        ] or [name for name in MEASURES if name != "cost"]


def _plus(total: Any, value: Any) -> Any:
    """A running sum that stays None until a value is reported and passes on the first value
    that is not a number (so its row is quarantined with its reason)."""
    if value is None:
        return total
    if not _is_number(value):
        return value if total is None or _is_number(total) else total
    if total is None:
        return value
    if not _is_number(total):
        return total
    if isinstance(total, Decimal) or isinstance(value, Decimal):
        return Decimal(str(total)) + Decimal(str(value))
    return total + value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _plain(value: Any) -> Any:
    """A Decimal sum as text (exact), anything else as it is."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def count(record: Mapping[str, Any], *names: str) -> Any:
    """The sum of a result's counts `names` (missing ones skipped; None when all are)."""
    total: Any = None
    for name in names:
        total = _plus(total, record.get(name))
    return total
