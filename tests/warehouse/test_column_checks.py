"""`column_checks` (dbt_project/tests/generic/column_checks.sql), a model's row checks in one
test node: each rule's failing rows counted by hand on a five-row table.

The test's Jinja is rendered as dbt renders it (`config` and the relation are the only dbt
names it uses) and its SQL run in DuckDB; the Spark build runs the same SQL on every model
(tests/warehouse/test_spark_equivalence.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import pytest

TEST_SQL = (
    Path(__file__).resolve().parents[2] / "dbt_project" / "tests" / "generic" / "column_checks.sql"
)

ROWS = """
    select * from (values
        (1, 'green', 0.5,  10, 8),
        (2, 'amber', 1.5,  10, 12),
        (null, 'blue', -1.0, 10, 10),
        (4, null, null, null, 3),
        (null, 'red', 0.0,  5, 6)
    ) as t(id, status, share, requests, errors)
"""


class CompilerError(Exception):
    pass


def _raise(message: str) -> None:
    raise CompilerError(message)


def _render(target: str = "duckdb", **arguments: Any) -> tuple[str, dict[str, Any]]:
    """The test's SQL for `arguments` against the table `t` on `target` (its type), and the
    configs it sets."""
    source = TEST_SQL.read_text()
    source = re.sub(r"{%\s*test\s+", "{% macro ", source).replace("endtest", "endmacro")
    environment = jinja2.Environment(extensions=["jinja2.ext.do"])
    configs: dict[str, Any] = {}

    def config(**values: Any) -> str:
        configs.update(values)
        return ""

    context = {
        "config": config,
        "target": {"type": target},
        "exceptions": {"raise_compiler_error": _raise},
    }
    module = environment.from_string(source).make_module(context)
    return str(module.column_checks("t", **arguments)), configs


def _broken(**arguments: Any) -> tuple[dict[tuple[str, str], int], int]:
    """Each broken rule's failing rows, and dbt's failure count (`fail_calc` over them)."""
    sql, configs = _render(**arguments)
    con = duckdb.connect()
    try:
        con.execute(f"create table t as {ROWS}")
        rows = con.execute(sql).fetchall()
        failures = con.execute(f"select {configs['fail_calc']} from ({sql}) as checks").fetchone()
    finally:
        con.close()
    assert failures is not None
    return {(column, rule): count for column, rule, count in rows}, failures[0]


def test_every_broken_rule_is_named_with_its_failing_rows() -> None:
    broken, failures = _broken(
        not_null=["id", "status", "requests"],
        accepted_values={"status": ["green", "amber", "red"]},
        accepted_range={"share": {"min_value": 0, "max_value": 1}},
        expressions=[
            "errors <= requests",
            {"expression": "share < 1", "where": "status = 'green'"},
            {"expression": "share < 1.5", "where": "status <> 'green'"},
        ],
    )
    assert broken == {
        ("id", "not_null"): 2,  # rows 3 and 5
        ("status", "not_null"): 1,  # row 4 (a null passes accepted_values)
        ("requests", "not_null"): 1,  # row 4
        ("status", 'accepted_values "green", "amber", "red"'): 1,  # 'blue'
        ("share", "accepted_range [0, 1]"): 2,  # 1.5 and -1.0; null passes, 0.0 is inside
        # 12 > 10 and 6 > 5 fail; 3 <= null is null: unknown is a failure
        ("(row)", "expression errors <= requests"): 3,
        ("(row)", 'expression share < 1.5 where status <> "green"'): 1,  # 1.5 (amber)
    }
    # `share < 1` holds on the one green row: only rows matching `where` are checked
    assert failures == 2 + 1 + 1 + 1 + 2 + 3 + 1


def test_a_model_whose_rows_all_pass_fails_nothing() -> None:
    broken, failures = _broken(
        not_null=["errors"],
        accepted_values={"id": [1, 2, 4]},
        accepted_range={"requests": {"min_value": 5}},
        expressions=[{"expression": "errors < requests", "where": "id = 1"}],
    )
    assert broken == {}
    assert failures == 0


@pytest.mark.parametrize(
    ("values", "literals"),
    [([True, False], "true, false"), ([-1, 0, 1], "-1, 0, 1"), (["it's"], "'it''s'")],
)
def test_values_are_quoted_only_when_they_are_strings(values: list[object], literals: str) -> None:
    sql, _ = _render(accepted_values={"c": values})
    assert f"c not in ({literals})" in sql


def test_strings_are_escaped_as_each_engine_reads_them() -> None:
    """DuckDB doubles a quote; Spark would read 'it''s' as 'it' 's' (adjacent literals)."""
    duckdb_sql, _ = _render(accepted_values={"c": ["it's", "a\\b"]})
    assert "c not in ('it''s', 'a\\b')" in duckdb_sql
    spark_sql, _ = _render("spark", accepted_values={"c": ["it's", "a\\b"]})
    assert "c not in ('it\\'s', 'a\\\\b')" in spark_sql


def test_an_exclusive_range_fails_its_bounds() -> None:
    broken, _ = _broken(accepted_range={"requests": {"min_value": 5, "inclusive": False}})
    assert broken == {("requests", "accepted_range (5, )"): 1}  # 5 is not above 5


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        ({}, "no rule given"),
        ({"accepted_range": {"share": {}}}, "neither min_value nor max_value"),
        ({"accepted_values": {"status": ["green", None]}}, "lists null"),
    ],
)
def test_a_check_that_checks_nothing_is_refused(arguments: dict[str, Any], said: str) -> None:
    with pytest.raises(CompilerError, match=said):
        _render(**arguments)
