"""dbt's Jinja context for SQLFluff's jinja templater (`.sqlfluff`, `library_path`).

`make lint` renders every model and singular test with SQLFluff's jinja templater rather
than the dbt templater: no warehouse, build or database connection. This module stands in
for the parts of dbt's context the models use; the project's own macros are loaded from
`macros/` (`load_macros_from_path`), and SQLFluff supplies `ref`, `source`, `this` and
`config`. Each stand-in renders what dbt-duckdb 1.11 renders: rendered this way, every
model matches `dbt compile` token for token but for the names of relations (`ref`,
`source`, `this`), dbt's injected ephemeral CTEs and the batch ids `run_query` lists. A
model that calls something missing here fails the lint ("Undefined jinja template
variable").

A file renders as a full build compiles it. With `lint_incremental_build = True` in the
templater context (`incremental_build.cfg`, the second pass of `make lint`) it renders
as an incremental build does: `is_incremental()` is true and `run_query` answers as
after earlier builds.

SQLFluff makes every top-level name here a Jinja global: the helpers' names (and the
imports') start with an underscore, clear of dbt's.
"""

import datetime as _datetime
from pathlib import Path as _Path
from typing import Any as _Any

import jinja2 as _jinja2
import yaml as _yaml
from sqlfluff.core.templaters.builtins.dbt import DbtMacroWrapper as _DbtMacroWrapper

_VARS: dict[str, _Any] = _yaml.safe_load(
    (_Path(__file__).resolve().parents[1] / "dbt_project.yml").read_text()
)["vars"]
_MISSING = object()


class _Namespace(dict):
    """A dict whose keys read as attributes, like dbt's `target` and `model`."""

    def __getattr__(self, name: str) -> _Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


target = _Namespace(
    type="duckdb", name="ci", schema="main", database="memory", profile_name="cadence"
)
model = _Namespace(
    checksum=_Namespace(name="sha256", checksum="0" * 64),
    resource_type="model",
    unique_id="model.cadence.linted",
    # the yml columns (`closed_review_rows` renders one expression per contract column): a
    # stand-in of each kind of type
    columns=_Namespace(
        {
            name: _Namespace(name=name, data_type=data_type)
            for name, data_type in (
                ("period_grain", "string"),
                ("period_start", "date"),
                ("scope_id", "string"),
                ("figure", "double"),
                ("is_restated", "boolean"),
            )
        }
    ),
)
run_started_at = _datetime.datetime(2026, 1, 1, tzinfo=_datetime.UTC)
# The command being run (`flags.WHICH`): a build, as `cadence build` runs it.
flags = _Namespace(WHICH="build")
# Rendering SQL, as dbt compile does (the parse pass renders with `execute` false).
execute = True


def var(name: str, default: _Any = _MISSING) -> _Any:
    """dbt's `var()`: the `vars:` of dbt_project.yml, else the default."""
    if name in _VARS:
        return _VARS[name]
    if default is _MISSING:
        raise KeyError(f"var {name!r} is neither in dbt_project.yml nor given a default")
    return default


def env_var(name: str, default: _Any = _MISSING) -> _Any:
    """dbt's `env_var()`, always the default: lint renders the same on every machine."""
    if default is _MISSING:
        raise KeyError(f"env_var {name!r} has no default")
    return default


@_jinja2.pass_context
def is_incremental(context: _Any) -> bool:
    """False (a full build) unless the context sets `lint_incremental_build`."""
    return bool(context.get("lint_incremental_build", False))


class _Column:
    def __init__(self, values: list[_Any]) -> None:
        self._values = values

    def values(self) -> list[_Any]:
        return self._values


class _Table:
    def __init__(self, values: list[_Any]) -> None:
        self.columns = [_Column(values)]


@_jinja2.pass_context
def run_query(context: _Any, sql: str) -> _Table:
    """One row, one column: 0 after a full build (no older log entries), else 1.

    The models and tests read it as a count or as a list of batch ids.
    """
    return _Table([1 if context.get("lint_incremental_build", False) else 0])


def _dispatched(context: _Any, name: str) -> _Any:
    """The project macro dbt-duckdb's dispatch would pick for `name`."""
    for candidate in (f"duckdb__{name}", f"default__{name}"):
        macro = context.get(candidate)
        if macro is not None:
            return _DbtMacroWrapper(macro)
    raise KeyError(f"no duckdb__{name} or default__{name} macro in macros/")


class _Adapter:
    unsafe_callable = False
    alters_data = False

    @_jinja2.pass_context
    def dispatch(self, context: _Any, name: str, macro_namespace: str | None = None) -> _Any:
        return _dispatched(context, name)

    def quote(self, identifier: str) -> str:
        return f'"{identifier}"'

    def get_columns_in_relation(self, relation: _Any) -> list[_Any]:
        return []


adapter = _Adapter()


class _ProjectMacros:
    """`cadence.<macro>(...)`: a macro of this project, called by its package name."""

    def __getattr__(self, name: str) -> _Any:
        @_jinja2.pass_context
        def call(context: _Any, *args: _Any, **kwargs: _Any) -> _Any:
            return _DbtMacroWrapper(context[name])(*args, **kwargs)

        return call


cadence = _ProjectMacros()


class _DbtMacros:
    """The `dbt.*` cross-database macros the project calls, as dbt-duckdb 1.11 renders them."""

    @staticmethod
    def type_string() -> str:
        return "TEXT"

    @staticmethod
    def type_bigint() -> str:
        return "bigint"

    @staticmethod
    def type_int() -> str:
        return "integer"

    @staticmethod
    def type_float() -> str:
        return "float"

    @staticmethod
    def type_boolean() -> str:
        return "boolean"

    @staticmethod
    def type_timestamp() -> str:
        return "timestamp"

    @staticmethod
    def cast(field: str, type_: str) -> str:
        return f"cast({field} as {type_})"

    @staticmethod
    def safe_cast(field: str, type_: str) -> str:
        return f"try_cast({field} as {type_})"

    @staticmethod
    def concat(fields: list[str]) -> str:
        return " || ".join(str(field) for field in fields)

    @staticmethod
    def hash(field: str) -> str:
        return f"md5(cast({field} as TEXT))"

    @staticmethod
    def dateadd(datepart: str, interval: _Any, from_date_or_timestamp: str) -> str:
        return f"({from_date_or_timestamp} + cast({interval} as bigint) * interval 1 {datepart})"

    @staticmethod
    def datediff(first_date: str, second_date: str, datepart: str) -> str:
        return f"(date_diff('{datepart}', {first_date}::timestamp, {second_date}::timestamp))"

    @staticmethod
    def date_trunc(datepart: str, date: str) -> str:
        return f"date_trunc('{datepart}', {date})"

    @staticmethod
    def listagg(
        measure: str,
        delimiter_text: str = "','",
        order_by_clause: str | None = None,
        limit_num: int | None = None,
    ) -> str:
        if limit_num is not None:
            raise NotImplementedError("dbt.listagg with limit_num")
        order_by = f" {order_by_clause}" if order_by_clause else ""
        return f"string_agg({measure}, {delimiter_text}{order_by})"

    @staticmethod
    def split_part(string_text: str, delimiter_text: str, part_number: int) -> str:
        return f"string_split({string_text}, {delimiter_text})[{part_number}]"

    @staticmethod
    def current_timestamp() -> str:
        return "now()"


dbt = _DbtMacros()


def _sources() -> dict[str, _Namespace]:
    """dbt's `graph.sources`, as far as the models read it: each source table of the
    project's `*sources.yml` with its `source_name`, `name` and `config.freshness` (the
    table's own, else its source's)."""
    nodes: dict[str, _Namespace] = {}
    models = _Path(__file__).resolve().parents[1] / "models"
    for path in sorted(models.rglob("*sources.yml")):
        for source in _yaml.safe_load(path.read_text()).get("sources", []):
            source_config = source.get("config") or {}
            for table in source.get("tables", []):
                table_config = table.get("config") or {}
                freshness = table_config.get("freshness", source_config.get("freshness"))
                unique_id = f"source.cadence.{source['name']}.{table['name']}"
                nodes[unique_id] = _Namespace(
                    unique_id=unique_id,
                    source_name=source["name"],
                    name=table["name"],
                    config=_Namespace(freshness=freshness),
                )
    return nodes


# dbt's `graph` (the project's nodes), as far as the models read it: its sources.
graph = _Namespace(sources=_sources())
