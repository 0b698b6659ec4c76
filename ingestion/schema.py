"""Declared schemas: the contract of each canonical entity (CONTRACTS.md §1).

A schema is data, not code: each entity module holds one `EntitySchema` constant and the
shared machinery (`ingestion.validate`, `ingestion.landing`) turns it into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["string", "timestamp", "date", "integer", "number", "boolean", "enum"]

#: DuckDB / Parquet type each kind lands as.
DUCKDB_TYPES: dict[str, str] = {
    "string": "VARCHAR",
    "timestamp": "TIMESTAMP",
    "date": "DATE",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "enum": "VARCHAR",
}

LINEAGE_COLUMNS: dict[str, str] = {
    "_batch_id": "VARCHAR",
    "_source_file": "VARCHAR",
    "_source_row": "BIGINT",
    "_ingested_at": "TIMESTAMP",
}


@dataclass(frozen=True)
class Column:
    """One declared column: its kind, whether it is required, and the rules it must meet.

    `minimum`/`maximum` bound numbers (inclusive); `allowed` lists enum values (or the only
    integers allowed); `not_future` refuses values later than now plus the clock skew;
    `required_when` names an `(other_column, value)` pair under which a value is required;
    `default` fills an empty value; `pseudonymise` replaces the value by its keyed hash;
    `pattern` is a `(regular expression, what it means)` pair a text value must match whole.
    """

    name: str
    kind: Kind
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    allowed: tuple[str | int, ...] | None = None
    not_future: bool = False
    required_when: tuple[str, str] | None = None
    default: str | bool | None = None
    pseudonymise: bool = False
    landed_type: str | None = None
    pattern: tuple[str, str] | None = None

    @property
    def duckdb_type(self) -> str:
        return self.landed_type or DUCKDB_TYPES[self.kind]


@dataclass(frozen=True)
class EntitySchema:
    """A canonical entity: its columns, natural key and the column that dates each row."""

    name: str
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...]
    event_date_from: str | None
    dropped: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)
