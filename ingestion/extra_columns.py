"""Which undeclared columns an organisation keeps (CONTRACTS.md §5.2 and §5.5).

Columns a file carries beyond its entity's declared ones are dropped on ingest, unless
`extra_columns.csv` in the configuration folder (`--config DIR`, `CADENCE_CONFIG_DIR`, else
`seeds/`) names them: one row per kept column, `entity,column`, the column's name exact. No
file keeps nothing. A kept column lands as text; a name that suggests a person's identity or
free text (`ingestion.validate.is_personal_column`) is never kept, allow-listed or not.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

from ingestion.entities.registry import SCHEMAS
from ingestion.errors import IngestError

FILE_NAME = "extra_columns.csv"
HEADER = ("entity", "column")

#: entity -> the names of its undeclared columns to keep
ExtraColumns = Mapping[str, frozenset[str]]


class ExtraColumnsUnreadable(IngestError):
    """`extra_columns.csv` cannot be used; the message names the file, the line and why."""


def load_extra_columns(config_dir: Path | None) -> dict[str, frozenset[str]]:
    """The allow-list in `config_dir`'s `extra_columns.csv`: entity -> column names; empty
    when there is no folder or no file."""
    if config_dir is None:
        return {}
    path = Path(config_dir) / FILE_NAME
    if not path.is_file():
        return {}
    kept: dict[str, set[str]] = {}
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = [name.strip() for name in next(reader, [])]
            if any(name not in header for name in HEADER):
                raise ExtraColumnsUnreadable(
                    f"{path}, line 1: the header must name the columns entity,column "
                    f"(found: {','.join(header) or 'nothing'})"
                )
            entity_at, column_at = header.index("entity"), header.index("column")
            for values in reader:
                if not any(value.strip() for value in values):
                    continue
                if len(values) != len(header):
                    raise ExtraColumnsUnreadable(
                        f"{path}, line {reader.line_num}: {len(values)} values for "
                        f"{len(header)} columns"
                    )
                entity, column = values[entity_at].strip(), values[column_at].strip()
                if entity not in SCHEMAS:
                    raise ExtraColumnsUnreadable(
                        f"{path}, line {reader.line_num}: unknown entity {entity!r} "
                        f"(one of: {', '.join(SCHEMAS)})"
                    )
                if not column:
                    raise ExtraColumnsUnreadable(
                        f"{path}, line {reader.line_num}: no column named for {entity}"
                    )
                kept.setdefault(entity, set()).add(column)
    except UnicodeDecodeError as error:
        raise ExtraColumnsUnreadable(f"{path}: not UTF-8 text ({error.reason})") from error
    except csv.Error as error:
        raise ExtraColumnsUnreadable(f"{path}: not a CSV file ({error})") from error
    except OSError as error:
        raise ExtraColumnsUnreadable(
            f"{path}: cannot be read ({error.strerror or error})"
        ) from error
    return {entity: frozenset(columns) for entity, columns in kept.items()}
