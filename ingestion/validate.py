"""Turn a declared schema into SQL that casts every value and names each broken rule.

For one `Source`, `typed_sql` selects the canonical columns with their landed types, the
file's extra columns (as text), the lineage columns and `_rejected` (true when any rule is
broken: cheap boolean tests only). `raw_sql` selects the rejected rows' values as received
(text) with `_reason`, the broken rules as `column: rule` items joined by '; ', for the
quarantine. Identifiers come from the declared schema or
are quoted; values come from bound parameters.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from ingestion.readers import EXTRA_COLUMN_NAME, Source, quote_identifier
from ingestion.schema import LINEAGE_COLUMNS, Column, EntitySchema

#: Clock skew tolerated before a timestamp counts as "in the future".
FUTURE_SKEW = "interval 5 minute"
NUMERIC_SOURCE_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
)
PSEUDONYM_TABLE = "pseudonyms"
#: What a required text value may not consist of only: space, tab, newline, CR, VT, FF.
BLANK_CHARACTERS = "(' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))"
#: Extra columns whose name suggests a person's identity or free text are never stored, even
#: when `extra_columns.csv` names them: nobody's raw identity may land (ids are pseudonymised
#: only in the declared columns). Undeclared columns are dropped unless allow-listed anyway;
#: this is the second guard.
PERSONAL_COLUMN_NAME = re.compile(
    r"(?i)(mail|user|actor|login|principal|upn|person|employee|display_?name|full_?name|"
    r"first_?name|last_?name|^name$|phone|address|^ip$|ip_?addr|"
    r"(^|_)(prompt|completion|message|content|input_text|output_text)s?($|_)|"
    r"(^|_)responses?(_(text|body|content|message)s?)?$)"
)


def is_personal_column(name: str) -> bool:
    """Whether an extra column's name suggests a person's identity or free text; camelCase
    words count as words (`promptText`, `responseText` are `prompt_text`, `response_text`)."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return bool(PERSONAL_COLUMN_NAME.search(name) or PERSONAL_COLUMN_NAME.search(words))


@dataclass(frozen=True)
class Plan:
    """The SQL for one file: typed rows with `_reason`, and raw rows for the quarantine."""

    typed_sql: str
    raw_sql: str
    extra_columns: tuple[str, ...]
    pseudonymised: tuple[str, ...]
    dropped: tuple[str, ...] = ()  # undeclared columns not kept, in file order
    withheld: tuple[str, ...] = ()  # of those, allow-listed ones that are never kept


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _text(expr: str, source_type: str | None = None) -> str:
    """The value as text, empty text as null (whitespace is kept: trimming every string of a
    large file costs more than it is worth; casts ignore surrounding space anyway)."""
    if source_type == "VARCHAR":
        return f"nullif({expr}, '')"
    return f"nullif(cast({expr} as varchar), '')"


def _typed(column: Column, src: str, source_type: str | None) -> str:
    """Expression casting `src` (of `source_type`; None = absent) to the landed type."""
    if source_type is None:
        return f"cast(null as {column.duckdb_type})"
    native = source_type.upper()
    text = src if native == "VARCHAR" else _text(src)
    kind = column.kind
    if kind == "string":
        return text
    if kind == "enum":
        return f"lower(trim({text}))"
    if kind == "timestamp":
        if native == "TIMESTAMP" or native.startswith("TIMESTAMP_") or native == "DATE":
            return f"cast({src} as timestamp)"
        return f"timezone('UTC', try_cast({text} as timestamptz))"
    if kind == "date":
        if native in ("DATE", "TIMESTAMP") or native.startswith("TIMESTAMP"):
            value = f"cast({src} as date)"
        else:
            value = (
                f"coalesce(try_cast({text} as date), cast(try_cast({text} as timestamp) as date))"
            )
        return f"case when isfinite({value}) then {value} end"
    if kind == "integer":
        if native in NUMERIC_SOURCE_TYPES:
            return f"try_cast({src} as {column.duckdb_type})"
        # try_cast('1.5' as bigint) rounds; accept a value only when it is integral.
        return (
            f"case when try_cast({text} as double) = try_cast({text} as hugeint) "
            f"then try_cast({text} as {column.duckdb_type}) end"
        )
    if kind == "number":
        value = (
            f"cast({src} as double)"
            if native in (*NUMERIC_SOURCE_TYPES, "DOUBLE", "FLOAT") or native.startswith("DECIMAL")
            else f"try_cast({text} as double)"
        )
        return f"case when isfinite({value}) then {value} end"
    if kind == "boolean":
        if native == "BOOLEAN":
            return src
        return f"try_cast(trim({text}) as boolean)"  # the one cast that rejects padding
    raise ValueError(f"unknown kind {kind}")


def _rules(
    column: Column, typed: str, present: str, cast_can_fail: bool = True
) -> list[tuple[str, str]]:
    """(condition, reason) pairs for one column; a condition is true when the rule is broken
    and never null. `cast_can_fail` is False when a present value always casts (text kept as
    text, a native integer or boolean column), which saves a test per row on large files."""
    name = column.name
    rules: list[tuple[str, str]] = []
    if column.required:
        rules.append((f"not ({present})", f"{name}: required value missing"))
    if column.kind == "enum" and column.allowed:
        allowed = ", ".join(_literal(v) for v in column.allowed)
        shown = ", ".join(str(v) for v in column.allowed)
        rules.append(
            (
                f"({present}) and coalesce({typed} not in ({allowed}), true)",
                f"{name}: unknown value (allowed: {shown})",
            )
        )
    elif cast_can_fail and column.kind in ("timestamp", "date"):
        # 'infinity' and '-infinity' cast but are not instants
        rules.append(
            (
                f"({present}) and coalesce(not isfinite({typed}), true)",
                f"{name}: not a valid {column.kind}",
            )
        )
    elif cast_can_fail:
        rules.append((f"({present}) and {typed} is null", f"{name}: not a valid {column.kind}"))
    if column.kind == "integer" and column.allowed:
        allowed = ", ".join(str(v) for v in column.allowed)
        rules.append(
            (f"coalesce({typed} not in ({allowed}), false)", f"{name}: must be one of {allowed}")
        )
    if column.pattern is not None:
        expression, meaning = column.pattern
        rules.append(
            (
                f"coalesce(not regexp_full_match({typed}, {_literal(expression)}), false)",
                f"{name}: {meaning}",
            )
        )
    if column.minimum is not None:
        rules.append(
            (
                f"coalesce({typed} < {column.minimum!r}, false)",
                f"{name}: below the minimum of {column.minimum:g}",
            )
        )
    if column.maximum is not None:
        rules.append(
            (
                f"coalesce({typed} > {column.maximum!r}, false)",
                f"{name}: above the maximum of {column.maximum:g}",
            )
        )
    if column.not_future:
        limit = f"(timezone('UTC', now()) + {FUTURE_SKEW})"
        if column.kind == "date":
            limit = f"cast({limit} as date)"
        rules.append(
            (f"coalesce(isfinite({typed}) and {typed} > {limit}, false)", f"{name}: in the future")
        )
    return rules


def build_plan(schema: EntitySchema, source: Source, keep: Collection[str] = ()) -> Plan:
    """The SQL that validates `source` against `schema`; of the file's undeclared columns,
    only those named in `keep` (`extra_columns.csv`) land, as text.

    Three layers, so each value is trimmed and cast once: `texts` (the file's values, text
    trimmed, pseudonyms joined), `typed` (cast to the landed types) and the rule checks.
    `typed_sql` expects a temp table `batch_meta(_batch_id, _source_file, _ingested_at)` and,
    for pseudonymised columns, `pseudonyms(raw, pseudonym)`.
    """
    declared = set(schema.column_names)
    never_stored = {name.lower() for name in schema.dropped}  # "Prompt" is never stored either
    undeclared = [
        name for name in source.columns if name not in declared and name.lower() not in never_stored
    ]
    extras = tuple(
        name
        for name in undeclared
        if name in keep
        and not name.startswith("_")
        and name.lower() != "batch_id"  # the hive partition column of the landing zone
        and EXTRA_COLUMN_NAME.match(name)
        and not is_personal_column(name)
    )
    dropped = tuple(name for name in undeclared if name not in extras)
    withheld = tuple(name for name in dropped if name in keep)

    text_items = ["src._source_row as _source_row"]
    typed_items = ["_source_row"]
    rules: list[tuple[str, str]] = []
    raw_items: list[str] = []
    output_items: list[str] = []
    joins: list[str] = []
    pseudonymised: list[str] = []

    for index, column in enumerate(schema.columns):
        name = quote_identifier(column.name)
        text_name = quote_identifier(f"__text_{column.name}")
        present_name = quote_identifier(f"__present_{column.name}")
        original = source.columns.get(column.name)
        if original is None:
            typed_items.append(f"{_typed(column, 'null', None)} as {name}")
            typed_items.append(f"false as {present_name}")
            raw_items.append(f"cast(null as varchar) as {name}")
        else:
            src = f"src.{quote_identifier(original[0])}"
            source_type = original[1]
            is_text = source_type == "VARCHAR"
            text_items.append(f"{_text(src, source_type) if is_text else src} as {text_name}")
            # An id of only spaces has no pseudonym: it counts as empty, like an empty id;
            # so does a required text value of only spaces (the contract asks for a value).
            present = name if column.pseudonymise else text_name
            if column.required and column.kind == "string" and is_text and not column.pseudonymise:
                # A first character above the space is never blank: trim only the rest.
                typed_items.append(
                    f"case when {text_name} is null then false "
                    f"when ascii({text_name}) > 32 then true "
                    f"else trim({text_name}, {BLANK_CHARACTERS}) <> '' end as {present_name}"
                )
            else:
                typed_items.append(f"{present} is not null as {present_name}")
            typed_items.append(text_name)
            if column.pseudonymise:
                alias = f"p{index}"
                key = src if is_text else f"cast({src} as varchar)"
                joins.append(f"left join {PSEUDONYM_TABLE} as {alias} on {alias}.raw = {key}")
                text_items.append(f"{alias}.pseudonym as {name}")
                typed_items.append(name)
                raw_items.append(f"{name}")
                pseudonymised.append(column.name)
            else:
                typed_items.append(
                    f"{_typed(column, text_name, 'VARCHAR' if is_text else source_type)} as {name}"
                )
                raw_items.append(f"{text_name if is_text else _text(text_name)} as {name}")
        native = (original[1] if original is not None else "").upper()
        cast_can_fail = original is not None and not (
            column.pseudonymise
            or column.kind == "string"
            or (column.kind == "integer" and native in NUMERIC_SOURCE_TYPES)
            or (column.kind == "boolean" and native == "BOOLEAN")
        )
        rules.extend(_rules(column, name, present_name, cast_can_fail))
        if column.default is not None:
            output_items.append(f"coalesce({name}, {_literal(column.default)}) as {name}")
        else:
            output_items.append(name)

    for column in schema.columns:
        if column.required_when is not None:
            other, value = column.required_when
            rules.append(
                (
                    f"coalesce({quote_identifier(other)} = {_literal(value)}, false) "
                    f"and {quote_identifier(column.name)} is null",
                    f"{column.name}: required when {other} is {value}",
                )
            )

    for name in extras:
        quoted = quote_identifier(name)
        original_name, source_type = source.columns[name]
        text_items.append(
            f"{_text(f'src.{quote_identifier(original_name)}', source_type)} as {quoted}"
        )
        typed_items.append(quoted)
        output_items.append(quoted)
        raw_items.append(quoted)

    rejected = " or ".join(f"({condition})" for condition, _ in rules) or "false"
    reason = (
        "concat_ws('; ', "
        + ", ".join(f"case when {condition} then {_literal(text)} end" for condition, text in rules)
        + ")"
    )
    lineage = ", ".join(
        "_source_row" if name == "_source_row" else f"batch_meta.{name}" for name in LINEAGE_COLUMNS
    )
    texts = f"select {', '.join(text_items)} from {source.from_sql} as src {' '.join(joins)}"
    typed = f"select {', '.join(typed_items)} from ({texts})"
    typed_sql = (
        f"select {', '.join(output_items)}, {lineage}, {rejected} as _rejected "
        f"from ({typed}) cross join batch_meta"
    )
    raw_sql = (
        f"select {', '.join(raw_items)}, {reason} as _reason, {lineage} "
        f"from ({typed}) cross join batch_meta where {rejected}"
    )
    return Plan(typed_sql, raw_sql, extras, tuple(pseudonymised), dropped, withheld)
