"""What the app reads, and that it reads figures rather than making them (issue 14).

1. `app/` holds no aggregation (STYLE.md, "Streamlit app": no `group by`, window, sum or
   delta in `app/`): every SQL string, polars call and altair encoding under `app/` is scanned
   with `ast`. The few reshapes that compute no figure are allow-listed below, each with its
   reason, and an entry that no longer matches fails the test so the list cannot rot.
2. The exposures name what the pages read: each page is run with AppTest, every relation its
   queries read (sidebar included) is recorded from the SQL `app.data.run_query` executes,
   and the set must equal its exposure's `depends_on` in `dbt_project/models/marts/
   _exposures.yml` (and in the manifest `dbt parse` makes of the project).
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest
import streamlit as st
import yaml
from app_helpers import APP, PAGES
from streamlit.testing.v1 import AppTest

from app import data

REPO = Path(__file__).resolve().parents[2]
APP_DIR = REPO / "app"
PROJECT_DIR = REPO / "dbt_project"
EXPOSURES_YML = PROJECT_DIR / "models" / "marts" / "_exposures.yml"

# ----------------------------------------------------------------------------- the scan

# SQL: a string (or f-string) with `select` and `from` in it is a query; an aggregate call, a
# grouping, window, distinct, having, qualify or pivot in it makes a figure. Whole words only,
# so columns such as `min_group_size` or `count_users` pass.
SQL_AGGREGATE_FUNCTION = re.compile(
    r"\b(sum|count|count_star|avg|mean|min|max|median|mode|list|array_agg|string_agg|"
    r"group_concat|listagg|stddev\w*|var_pop|var_samp|variance|any_value|arg_max|arg_min|"
    r"max_by|min_by|bool_or|bool_and|first|last|product|histogram|entropy|kurtosis\w*|"
    r"skewness|corr|covar\w*|regr_\w+|approx_\w+|quantile\w*|percentile\w*|favg|fsum)\s*\(",
    re.IGNORECASE,
)
SQL_AGGREGATE_CLAUSE = re.compile(
    r"\bgroup\s+by\b|\bover\s*\(|\bdistinct\b|\bhaving\b|\bqualify\b|\bpivot\b"
    r"|\bwindow\s+\w+\s+as\s*\(",
    re.IGNORECASE,
)
# `a is [not] distinct from b` compares two values (null-safe); it aggregates nothing
SQL_DISTINCT_COMPARISON = re.compile(r"\bis\s+(not\s+)?distinct\s+from\b", re.IGNORECASE)

# polars: these methods, called on anything, aggregate or compare rows (`len` counts them).
# `.any()` is left out on purpose: the pages ask whether any row came flagged
# `is_suppressed` by dbt, to show the suppression caption; it decides a caption, not a figure.
POLARS_AGGREGATES = {
    "group_by",
    "group_by_dynamic",
    "agg",
    "sum",
    "mean",
    "median",
    "min",
    "max",
    "count",
    "n_unique",
    "quantile",
    "std",
    "var",
    "pivot",
    "unique",
    "value_counts",
    "diff",
    "pct_change",
    "over",
    "mode",
    "product",
    "describe",
    "len",
}
POLARS_AGGREGATE_PREFIXES = ("rolling", "cum_")
POLARS_AGGREGATE_SUFFIXES = ("_horizontal",)
# arithmetic (other than joining text with `+`) on a polars expression computes a figure
POLARS_ROOTS = {"col", "lit", "when", "all", "exclude", "nth", "first", "last", "struct"}
ARITHMETIC = (ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)

# altair: transforms that aggregate, bin or compute, and encodings that aggregate
ALTAIR_AGGREGATING_METHODS = {
    "transform_aggregate",
    "transform_joinaggregate",
    "transform_window",
    "transform_regression",
    "transform_loess",
    "transform_density",
    "transform_quantile",
    "transform_bin",
    "transform_pivot",
}
ALTAIR_AGGREGATING_KEYWORDS = {"aggregate", "op", "bin"}
# Vega-Lite shorthand with an aggregate op: "sum(cost_usd):Q", "count()"
VEGA_SHORTHAND_AGGREGATE = re.compile(
    r"^\s*(argmax|argmin|average|count|distinct|max|mean|median|min|missing|product|q1|q3|"
    r"ci0|ci1|stderr|stdev|stdevp|sum|valid|values|variance|variancep|exponentialb?)"
    r"\s*\([^()]*\)\s*(:\s*[A-Za-z]+)?\s*$",
    re.IGNORECASE,
)
# a Vega expression that does arithmetic on a datum: `datum.a / datum.b`
VEGA_ARITHMETIC = re.compile(r"datum\.\w+\s*[-+*/%]|[-+*/%]\s*datum\.")


@dataclass(frozen=True)
class Finding:
    """One place in `app/` that aggregates or computes a figure."""

    path: str
    line: int
    function: str
    rule: str
    snippet: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.function}] {self.rule}: {self.snippet}"


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the string nodes that are docstrings (documentation, never executed)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                found.add(id(body[0].value))
    return found


def _text(node: ast.AST) -> str | None:
    """A string constant's text, or an f-string's with `{}` for each formatted value."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
        )
    return None


def _snippet(text: str, start: int) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    return text[line_start : None if line_end == -1 else line_end].strip()


def _is_polars_expression(node: ast.AST) -> bool:
    """Whether `node` builds a polars expression (`pl.col(...)`, `pl.lit(...)`, ...)."""
    for child in ast.walk(node):
        if (
            isinstance(child, ast.Call)
            and isinstance(child.func, ast.Attribute)
            and isinstance(child.func.value, ast.Name)
            and child.func.value.id == "pl"
            and child.func.attr in POLARS_ROOTS
        ):
            return True
    return False


def _is_string_concatenation(node: ast.BinOp) -> bool:
    """An `a + b + ...` chain with a string literal in it joins text, it adds no figures."""
    operands: list[ast.AST] = []
    stack: list[ast.AST] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.BinOp) and isinstance(item.op, ast.Add):
            stack += [item.left, item.right]
        else:
            operands.append(item)
    return any(_text(operand) is not None for operand in operands)


def _is_altair_call(node: ast.Call) -> bool:
    """`alt.Something(...)`, or a method called on a chain rooted at `alt.`."""
    func: ast.AST = node.func
    while isinstance(func, ast.Attribute | ast.Call):
        func = func.value if isinstance(func, ast.Attribute) else func.func
    return isinstance(func, ast.Name) and func.id == "alt"


class _Scanner(ast.NodeVisitor):
    def __init__(self, path: str, source: str, docstrings: set[int]) -> None:
        self.path = path
        self.lines = source.splitlines()
        self.docstrings = docstrings
        self.scope: list[str] = []
        self.findings: list[Finding] = []

    def _add(self, node: ast.AST, rule: str, snippet: str | None = None, line: int = 0) -> None:
        line = line or node.lineno  # type: ignore[attr-defined]
        shown = snippet if snippet is not None else self.lines[line - 1].strip()
        function = ".".join(self.scope) or "<module>"
        self.findings.append(Finding(self.path, line, function, rule, shown))

    def _visit_scope(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _visit_scope

    # SQL, and altair shorthand, in string constants and f-strings
    def _visit_text(self, node: ast.Constant | ast.JoinedStr) -> None:
        text = _text(node)
        if text is not None and id(node) not in self.docstrings:
            self._check_sql(node, text)
            if VEGA_SHORTHAND_AGGREGATE.match(text):
                self._add(node, "altair aggregate shorthand", repr(text))
        if isinstance(node, ast.JoinedStr):
            for value in node.values:  # the formatted expressions, not the literal parts
                if isinstance(value, ast.FormattedValue):
                    self.visit(value)

    def visit_Constant(self, node: ast.Constant) -> None:
        self._visit_text(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        self._visit_text(node)

    def _check_sql(self, node: ast.AST, text: str) -> None:
        lowered = text.lower()
        if not (re.search(r"\bselect\b", lowered) and re.search(r"\bfrom\b", lowered)):
            return
        searched = SQL_DISTINCT_COMPARISON.sub(lambda m: " " * len(m.group(0)), text)
        for pattern, rule in (
            (SQL_AGGREGATE_FUNCTION, "SQL aggregate function"),
            (SQL_AGGREGATE_CLAUSE, "SQL aggregation clause"),
        ):
            for match in pattern.finditer(searched):
                line = node.lineno + text.count("\n", 0, match.start())  # type: ignore[attr-defined]
                self._add(
                    node, f"{rule} `{match.group(0).strip()}`", _snippet(text, match.start()), line
                )

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Attribute):
            name = node.func.attr
            if (
                name in POLARS_AGGREGATES
                or name.startswith(POLARS_AGGREGATE_PREFIXES)
                or name.endswith(POLARS_AGGREGATE_SUFFIXES)
            ):
                combining = any(
                    keyword.arg == "aggregate_function"
                    and not (
                        isinstance(keyword.value, ast.Constant) and keyword.value.value is None
                    )
                    for keyword in node.keywords
                )
                self._add(node, f"polars .{name}({'aggregate_function=' if combining else ''})")
            if name in ALTAIR_AGGREGATING_METHODS:
                self._add(node, f"altair .{name}()")
            if name == "transform_calculate":
                for argument in [*node.args, *(k.value for k in node.keywords)]:
                    text = _text(argument)
                    if text is not None and VEGA_ARITHMETIC.search(text):
                        self._add(argument, "altair calculated figure", repr(text))
        if _is_altair_call(node) or (
            isinstance(node.func, ast.Attribute) and node.func.attr.startswith(("encode", "mark_"))
        ):
            for keyword in node.keywords:
                if keyword.arg in ALTAIR_AGGREGATING_KEYWORDS:
                    self._add(keyword.value, f"altair {keyword.arg}=")
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        arithmetic = isinstance(node.op, ARITHMETIC) or (
            isinstance(node.op, ast.Add) and not _is_string_concatenation(node)
        )
        if arithmetic and (_is_polars_expression(node.left) or _is_polars_expression(node.right)):
            self._add(node, f"polars arithmetic `{type(node.op).__name__}`")
        self.generic_visit(node)


def scan_source(source: str, path: str) -> list[Finding]:
    """Every place in one Python source that aggregates or computes a figure."""
    tree = ast.parse(source, filename=path)
    scanner = _Scanner(path, source, _docstrings(tree))
    scanner.visit(tree)
    return scanner.findings


def scan_app() -> list[Finding]:
    """The findings of every .py under app/, paths relative to the repository."""
    return [
        finding
        for path in sorted(APP_DIR.rglob("*.py"))
        for finding in scan_source(path.read_text(), str(path.relative_to(REPO)))
    ]


@dataclass(frozen=True)
class Allowed:
    """A reshape in `app/` that computes no figure: exactly `count` findings of `rule` in
    `function` of `path`."""

    path: str
    function: str
    rule: str
    reason: str
    count: int = 1


ALLOWED = [
    Allowed(
        "app/data.py",
        "_with_sparklines",
        "polars .pivot()",
        "Reshape only: one row per item x date of a long rpt_ trend model (rpt_use_case_trends, "
        "rpt_kpi_trends) becomes one list per item for a nanoplot. Every point is a figure dbt "
        "made (and suppressed); without an aggregate_function polars refuses two values for "
        "one cell, so the pivot cannot combine any.",
    ),
    Allowed(
        "app/app_pages/monthly_portfolio_review.py",
        "kpi_section",
        "polars .unique()",
        "The ids of the KPIs in the use case's fct_kpi_progress rows, in order, to draw one "
        "chart per KPI: a list of ids to loop over, not a figure shown.",
    ),
    Allowed(
        "app/tables.py",
        "_nanoplot_ready",
        "polars .len()",
        "Counts the points of each row's sparkline list (`.list.len()`) to leave out a nanoplot "
        "that would have fewer than two: decides whether to draw, shows no figure.",
    ),
    Allowed(
        "app/app_pages/use_case_detail.py",
        "<module>",
        "polars .unique()",
        "The ids of the KPIs in the use case's fct_kpi_progress rows, in order, to lay out one "
        "chart column per KPI: a list of ids to loop over, not a figure shown.",
    ),
]


def _is_allowed(finding: Finding, entry: Allowed) -> bool:
    return (finding.path, finding.function, finding.rule) == (
        entry.path,
        entry.function,
        entry.rule,
    )


# ------------------------------------------------------------------------ scanner tests

PLANTED = '''
import altair as alt
import polars as pl

SQL = """
    select rpt_x.scope_id, sum(rpt_x.cost_usd) as cost_usd, rpt_x.min_group_size
    from rpt_x
    group by rpt_x.scope_id
"""


def ranked(frame, column):
    """Select the top rows from a frame, counting distinct people (a docstring)."""
    frame.group_by("a").agg(pl.col("b").sum())
    pl.col("a").rank().over("b")
    pl.col("cost_usd") / pl.col("requests")
    return f"select count_users, max({column}) from rpt_y where rpt_y.a is distinct from rpt_y.b"


def chart(frame):
    return alt.Chart(frame).mark_bar().encode(
        y=alt.Y("sum(cost_usd):Q"),
        x=alt.X("week_start:T", aggregate="max"),
    ).transform_calculate(share="datum.a / datum.b")
'''


def test_the_scan_reports_planted_aggregations() -> None:
    """SQL in strings and f-strings, polars aggregation and arithmetic, altair aggregates."""
    found = {(f.line, f.function, f.rule) for f in scan_source(PLANTED, "planted.py")}
    assert found == {
        (6, "<module>", "SQL aggregate function `sum(`"),
        (8, "<module>", "SQL aggregation clause `group by`"),
        (14, "ranked", "polars .group_by()"),
        (14, "ranked", "polars .agg()"),
        (14, "ranked", "polars .sum()"),
        (15, "ranked", "polars .over()"),
        (16, "ranked", "polars arithmetic `Div`"),
        (17, "ranked", "SQL aggregate function `max(`"),
        (22, "chart", "altair aggregate shorthand"),
        (23, "chart", "altair aggregate="),
        (24, "chart", "altair calculated figure"),
    }
    # and nothing else: not `min_group_size`, `count_users` nor `is distinct from`


def test_the_scan_spares_column_names_comparisons_and_docstrings() -> None:
    source = '''
def f():
    """select the rows from rpt_x, counting distinct people: sum(x) of the group by."""
    return """
        select rpt_x.min_group_size, rpt_x.count_users, rpt_x.summary, rpt_x.listed
        from rpt_x
        where rpt_x.a is not distinct from $a and list_contains($b, rpt_x.b)
    """
'''
    assert scan_source(source, "clean.py") == []


def judge(findings: list[Finding], allowed: list[Allowed]) -> tuple[list[Finding], list[str]]:
    """The findings no entry allows, and the entries that do not match exactly their count."""
    violations = [f for f in findings if not any(_is_allowed(f, entry) for entry in allowed)]
    rotten = [
        f"{entry.path} [{entry.function}] {entry.rule}: expected {entry.count}, found {matched}"
        for entry in allowed
        if (matched := sum(_is_allowed(f, entry) for f in findings)) != entry.count
    ]
    return violations, rotten


def test_an_allow_list_entry_that_matches_nothing_or_more_is_reported() -> None:
    source = """
def shaped(frame):
    wide = frame.pivot(on="d", index="k", values="v")
    return wide.pivot(on="d", index="k", values="v", aggregate_function="sum")


def picked(frame):
    return frame["id"].unique()
"""
    findings = scan_source(source, "planted.py")
    allowed = [
        Allowed("planted.py", "shaped", "polars .pivot()", "reshape"),
        Allowed("planted.py", "picked", "polars .unique()", "ids", count=2),
        Allowed("planted.py", "gone", "polars .unique()", "removed since"),
    ]
    violations, rotten = judge(findings, allowed)
    assert [(f.line, f.rule) for f in violations] == [(4, "polars .pivot(aggregate_function=)")]
    assert rotten == [
        "planted.py [picked] polars .unique(): expected 2, found 1",
        "planted.py [gone] polars .unique(): expected 1, found 0",
    ]


def test_app_holds_no_aggregation() -> None:
    """No SQL aggregate, window or distinct, polars aggregation or arithmetic on expressions,
    or altair aggregate anywhere under app/, but for the allow-listed reshapes."""
    violations, rotten = judge(scan_app(), ALLOWED)
    assert not violations, "aggregation in app/ (move it into a dbt model):\n" + "\n".join(
        map(str, violations)
    )
    assert not rotten, "allow-list entries that no longer match app/:\n" + "\n".join(rotten)


# --------------------------------------------------------------------------- the reads

REF = re.compile(r"""^ref\(\s*['"](\w+)['"]\s*\)$""")
# The widgets that choose what a page shows; each is also set to another value and the page
# rerun, in case another choice reads another relation.
CHOICES = ("quarter", "month", "week", "portfolio", "business_unit", "use_case", "monthly_use_case")


def _exposures() -> dict[str, dict[str, Any]]:
    document = yaml.safe_load(EXPOSURES_YML.read_text())
    return {exposure["name"]: exposure for exposure in document["exposures"]}


def _refs(exposure: dict[str, Any]) -> set[str]:
    refs = set()
    for entry in exposure["depends_on"]:
        match = REF.match(entry.strip())
        assert match, f"{exposure['name']}: {entry!r} is not a ref()"
        refs.add(match.group(1))
    return refs


def _page_of(exposure: dict[str, Any]) -> str:
    """The page (app_helpers.PAGES key) whose file is the slug its url ends in."""
    slug = exposure["url"].rstrip("/").rsplit("/", 1)[-1]
    pages = [page for page, path in PAGES.items() if Path(path).stem == slug]
    assert pages, f"{exposure['name']}: no page app/app_pages/{slug}.py for {exposure['url']}"
    return pages[0]


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The manifest `dbt parse` makes of this checkout's project (in memory: the ci target)."""
    work = tmp_path_factory.mktemp("dbt_parse")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dbt.cli.main",
            "parse",
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(PROJECT_DIR),
            "--target",
            "ci",
            "--target-path",
            str(work / "target"),
            "--log-path",
            str(work / "logs"),
            "--no-partial-parse",
            "--log-level-file",
            "none",
            "--quiet",
        ],
        env={**os.environ, "CADENCE_HOME": str(work)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"dbt parse failed:\n{result.stdout[-3000:]}{result.stderr}"
    return json.loads((work / "target" / "manifest.json").read_text())


def _relations(manifest: dict[str, Any]) -> dict[tuple[str, str], str]:
    """The manifest's models and seeds by (schema, relation name) -> node name."""
    return {
        (node["schema"], node["alias"] or node["name"]): node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed")
    }


def relations_read(sql: str) -> set[tuple[str, str]]:
    """The (schema, table) of every table `sql` reads ('' when unqualified), from DuckDB's own
    parse of it (json_serialize_sql): FROM and JOIN items and subqueries, CTE names left out."""
    with duckdb.connect() as con:
        parsed = json.loads(con.execute("select json_serialize_sql(?)", [sql]).fetchone()[0])
    assert not parsed["error"], f"DuckDB cannot parse a query of the app: {parsed}\n{sql}"
    tables: set[tuple[str, str]] = set()
    ctes: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "BASE_TABLE":
                tables.add((node["schema_name"], node["table_name"]))
            for entry in node.get("cte_map", {}).get("map", []):
                ctes.add(entry["key"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(parsed)
    return {(schema, table) for schema, table in tables if schema or table not in ctes}


def test_relations_read_finds_joins_subqueries_and_schemas_but_not_ctes() -> None:
    sql = """
        with recent as (select 1 as x)
        select rpt_a.*
        from rpt_a
        left join config.business_units as units on rpt_a.unit_id = units.business_unit_id
        where
            exists (select 1 from dim_b where dim_b.id = rpt_a.id)
            and rpt_a.id in (select recent.x from recent)
            and rpt_a.grain = $grain
    """
    assert relations_read(sql) == {("", "rpt_a"), ("config", "business_units"), ("", "dim_b")}


@pytest.fixture
def executed_sql(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every SQL text app.data.run_query executes from now on (the pages' only way in)."""
    executed: list[str] = []
    run_query = data.run_query

    def recording(path: str, sql: str, params: dict[str, object] | None = None) -> pl.DataFrame:
        executed.append(sql)
        return run_query(path, sql, params)

    monkeypatch.setattr(data, "run_query", recording)
    return executed


def _runs(page: str) -> Iterator[AppTest]:
    """The page with the default choices, then with each choice widget set to another value;
    the query cache is emptied before every run so that no read is served from it."""
    st.cache_data.clear()
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.switch_page(PAGES[page])
    at.run()
    yield at
    for key in CHOICES:
        boxes = [box for box in at.selectbox if box.key == key and not box.disabled]
        if boxes and len(boxes[0].options) > 1:
            index = 0 if boxes[0].index else len(boxes[0].options) - 1
            st.cache_data.clear()
            boxes[0].select_index(index)
            at.run()
            yield at


@pytest.mark.parametrize("exposure_name", sorted(_exposures()))
def test_each_exposure_lists_exactly_what_its_page_reads(
    exposure_name: str,
    app_home: Path,
    executed_sql: list[str],
    manifest: dict[str, Any],
) -> None:
    """The relations a page reads (its sidebar's included), over its default choices and
    another value of each choice widget, are its exposure's `depends_on`."""
    exposure = _exposures()[exposure_name]
    page = _page_of(exposure)
    runs = 0
    for at in _runs(page):
        assert not at.exception, [error.value for error in at.exception]
        runs += 1
    assert runs >= 2 or page == "data_health", f"{page}: no choice widget was exercised"
    known = _relations(manifest)
    read = {
        (schema or "main", table) for sql in executed_sql for schema, table in relations_read(sql)
    }
    unknown = sorted(read - set(known))
    assert not unknown, f"{page} reads relations that are no dbt model or seed: {unknown}"
    nodes = {known[relation] for relation in read}
    listed = _refs(exposure)
    assert nodes == listed, (
        f"{exposure_name} ({EXPOSURES_YML.relative_to(REPO)}): "
        f"read but not listed {sorted(nodes - listed)}; "
        f"listed but not read {sorted(listed - nodes)}"
    )


def test_every_page_has_an_exposure() -> None:
    assert sorted(_page_of(exposure) for exposure in _exposures().values()) == sorted(PAGES)


def test_the_manifest_exposures_depend_on_the_yml_refs(manifest: dict[str, Any]) -> None:
    """dbt resolved every ref of _exposures.yml to a node (a typo would leave it out)."""
    in_manifest = {
        exposure["name"]: {node.rsplit(".", 1)[-1] for node in exposure["depends_on"]["nodes"]}
        for exposure in manifest["exposures"].values()
    }
    assert in_manifest == {name: _refs(exposure) for name, exposure in _exposures().items()}


def test_every_model_the_pages_read_has_an_enforced_contract(manifest: dict[str, Any]) -> None:
    """STYLE.md: every model the app reads is an enforced contract (seeds have none)."""
    listed = set().union(*(_refs(exposure) for exposure in _exposures().values()))
    loose = sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["name"] in listed
        and not node["config"]["contract"]["enforced"]
    )
    assert not loose


# The build's own record of itself (cadence.build.publish stamps every published file).
BUILD_STAMP_TABLES = ("cadence_build", "cadence_build_tests")


def test_every_column_of_every_published_mart_is_described(
    manifest: dict[str, Any], published_path: Path
) -> None:
    """Issue 14: every column of every public mart and rpt_ model (every table of the published
    `main` schema) has a description in its model's yml, and the yml documents no column the
    table does not have."""
    nodes = {
        node["alias"] or node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == "main"
    }
    with duckdb.connect(str(published_path), read_only=True) as con:
        columns = con.sql(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'main' order by table_name, ordinal_position"
        ).fetchall()
    built: dict[str, list[str]] = {}
    for table, column in columns:
        built.setdefault(table, []).append(column)
    assert built, "the published warehouse has no table in `main`"
    problems = []
    for table in BUILD_STAMP_TABLES:  # written by cadence.build, not by a dbt model
        built.pop(table, None)
    for table, names in built.items():
        node = nodes.get(table)
        if node is None:
            problems.append(f"{table}: a published table no model of the manifest builds")
            continue
        documented = {name.lower(): entry for name, entry in node["columns"].items()}
        if not node["description"].strip():
            problems.append(f"{table}: the model has no description")
        for name in names:
            entry = documented.get(name.lower())
            if entry is None or not entry["description"].strip():
                problems.append(f"{table}.{name}: no description in {node['patch_path']}")
        for name in sorted(set(documented) - {name.lower() for name in names}):
            problems.append(f"{table}.{name}: described but the table has no such column")
    assert not problems, "\n".join(problems)
