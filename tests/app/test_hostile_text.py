"""Issue 16, items 4 and 5: text from the configuration and the data renders as text, and no
CSV the app offers opens as a formula.

A copy of the session's demo home has its published marts' names, criteria and reasons
replaced by hostile ones (what an analyst's configuration or a vendor's model name can hold):
Markdown emphasis, links and images pointing at 127.0.0.1:9 (nothing listens there), Streamlit
directives, raw HTML, and spreadsheet formulas. Then:

- every CSV download on every page (AppTest, each `st.download_button` recorded) has no cell a
  spreadsheet would run: a formula-leading text cell starts with `'`;
- the board pack (one HTML file) holds them as text;
- in Chromium, every page shows the hostile strings as the characters they are, draws no image
  and no link from them, and no request leaves for 127.0.0.1:9.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import duckdb
import pytest
import streamlit
import test_browser as shared
from app_helpers import APP, PAGES
from streamlit.testing.v1 import AppTest
from test_browser import PAGE_TITLES, open_page, screenshot

from app.text import csv_text, literal
from cadence.published import read_pointer

# test_browser.py's fixtures, bound here so that pytest finds them in this module; `server`
# serves this module's `published_home`, the hostile copy below.
server = shared.server
browser = shared.browser
page = shared.page

TRAP = "http://127.0.0.1:9"  # nothing listens on port 9: a fetch fails, and fails the page
# Column -> the hostile value (SQL over the original, so names stay unique and joins hold).
HOSTILE = {
    "use_case_name": "'**bold** ' || use_case_name",
    "exit_criterion": f"'![x]({TRAP}/exit.png)'",
    "model": f"'=HYPERLINK(\"{TRAP}/m\",\"' || model || '\")'",
    # rpt_operations_breakdown_weekly: a model's or a use case's rows
    "item_id": f"if(breakdown_kind = 'model', '=HYPERLINK(\"{TRAP}/m\",\"' || item_id || '\")', "
    "item_id)",
    "item_label": f"if(breakdown_kind = 'model', '=HYPERLINK(\"{TRAP}/m\",\"' || item_label "
    "|| '\")', '**bold** ' || item_label)",
    "kpi_name": f"'[link]({TRAP}/kpi) ' || kpi_name",
    "portfolio_name": "':red[' || portfolio_name || '] :material/home:'",
    "business_unit_name": "'@' || business_unit_name",
    "outcome_owner": f"'<img src={TRAP}/owner.png> ' || outcome_owner",
    "readiness_gaps": f"concat_ws('; ', readiness_gaps, '![g]({TRAP}/gap.png)')",
    "recommendation_reasons": f"concat_ws('; ', recommendation_reasons, '![r]({TRAP}/r.png)')",
    "subject": "'**' || subject || '**'",
    "why": f"why || ' ![w]({TRAP}/why.png)'",
}
APPENDED = {"readiness_gaps", "recommendation_reasons"}  # lists: one hostile item added
FORMULA = re.compile(r"^[=+\-@\t\r]")
NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")  # a spreadsheet reads it as a number


def make_hostile(source: Path, target: Path) -> Path:
    """Copy a published home and rewrite its published marts' text columns (HOSTILE)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("writer.lock", "tmp"))
    pointer = read_pointer(target)
    assert pointer is not None
    warehouse = Path(str(pointer["published_path"]))
    assert warehouse.is_relative_to(target)
    warehouse.chmod(0o644)
    con = duckdb.connect(str(warehouse))
    try:
        columns = con.execute(
            "select c.schema_name, c.table_name, c.column_name from duckdb_columns() c "
            "join duckdb_tables() t using (database_name, schema_name, table_name) "
            "where c.database_name = current_database() and c.data_type = 'VARCHAR' "
            "and c.schema_name in ('main', 'config') and list_contains($names, c.column_name)",
            {"names": list(HOSTILE)},
        ).fetchall()
        assert len(columns) >= len(HOSTILE)
        for schema, table, column in columns:
            every_row = "true" if column in APPENDED else f'"{column}" is not null'
            con.execute(
                f'update "{schema}"."{table}" set "{column}" = {HOSTILE[column]} where {every_row}'
            )
        con.execute("checkpoint")
    finally:
        con.close()
    return target


@pytest.fixture(scope="module")
def published_home(published_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's demo home, copied and made hostile (HOSTILE): what this module serves."""
    return make_hostile(published_home, tmp_path_factory.mktemp("hostile") / "home")


# ----------------------------------------------------------------------- known answers


def test_literal_escapes_every_markdown_construct() -> None:
    assert literal("**bold**") == r"\*\*bold\*\*"
    # GFM's literal autolinks are broken by a word joiner (U+2060) after the scheme, www or @
    assert literal("![x](http://h/t.png)") == "\\!\\[x\\]\\(http\u2060\\:\u2060//h/t\\.png\\)"
    assert literal("www.h.com a@b.org") == "www\u2060\\.h\\.com a@\u2060b\\.org"
    assert (
        literal(":red[x] :material/home: $1 + $2")
        == "\\:\u2060red\\[x\\] \\:\u2060material/home\\: \\$1 \\+ \\$2"
    )
    assert literal("# h\n- item") == r"\# h \- item"
    assert literal("<b>&amp;</b>") == r"\<b\>\&amp;\</b\>"
    assert literal("Claims triage") == "Claims triage"
    assert literal(None) == ""


def test_csv_text_neutralises_formula_cells_only() -> None:
    import polars as pl

    frame = pl.DataFrame(
        {
            "model": ['=HYPERLINK("x","y")', "+1", "-2", "@a", "\tb", "gpt-4o", None],
            "change": [-1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
            "tags": [["=a", "b"], [], ["c"], ["d"], ["e"], ["f"], ["g"]],
        }
    )
    rows = list(csv.reader(io.StringIO(csv_text(frame))))
    assert rows[0] == ["model", "change", "tags"]
    assert [row[0] for row in rows[1:]] == [
        '\'=HYPERLINK("x","y")',
        "'+1",
        "'-2",
        "'@a",
        "'\tb",
        "gpt-4o",
        "",
    ]
    assert rows[1][1] == "-1.5"  # a number stays a number
    assert rows[1][2] == "'=a b"  # a list column is joined, then neutralised


# ------------------------------------------------------------------------------- pages


@pytest.fixture
def downloads(published_home: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes | str]:
    """Every st.download_button the pages draw, by file name, served from the hostile home."""
    monkeypatch.setenv("CADENCE_HOME", str(published_home))
    monkeypatch.delenv("CADENCE_MIN_GROUP_SIZE", raising=False)
    monkeypatch.delenv("CADENCE_DEFAULT_ROLE", raising=False)
    seen: dict[str, bytes | str] = {}
    original = streamlit.download_button

    def record(label: str, data: bytes | str, *args: object, **kwargs: object) -> bool:
        seen[str(kwargs.get("file_name", label))] = data
        return original(label, data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(streamlit, "download_button", record)
    return seen


def test_every_csv_download_opens_as_text_in_a_spreadsheet(downloads) -> None:
    for page_file in PAGES.values():
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.switch_page(page_file)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    csvs = {name: data for name, data in downloads.items() if name.endswith(".csv")}
    assert len(csvs) >= 10, sorted(csvs)
    for name, data in csvs.items():
        text = data.decode() if isinstance(data, bytes) else data
        for row in csv.reader(io.StringIO(text)):
            dangerous = [cell for cell in row if FORMULA.match(cell) and not NUMBER.match(cell)]
            assert not dangerous, f"{name}: {dangerous[:3]}"
    # the model name reaches the downloads the issue found (operations by model, operations
    # of a use case, and shadow-AI models where a row is above the minimum group size)
    with_models = [name for name in csvs if name.startswith(("operations_", "shadow_ai_models"))]
    assert "operations_by_model.csv" in with_models
    assert any(name.startswith("operations_uc") for name in with_models), sorted(csvs)
    for name in with_models:
        if name != "operations_by_use_case.csv":
            assert "'=HYPERLINK(" in str(csvs[name]), name


def test_the_board_pack_shows_hostile_text_as_text(downloads) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.switch_page(PAGES["quarterly"])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (pack,) = [data for name, data in downloads.items() if name.endswith(".html")]
    pack = pack() if callable(pack) else pack  # the page builds it when it is downloaded
    pack = (pack.decode() if isinstance(pack, bytes) else pack).replace("\u2060", "")
    assert f'src="{TRAP}' not in pack
    assert f'href="{TRAP}' not in pack
    assert "<strong>bold</strong>" not in pack
    assert "<img src=http" not in pack
    assert f"![g]({TRAP}/gap.png)" in pack  # a readiness gap, escaped for fmt_markdown
    assert "**bold** " in pack


@pytest.mark.browser
@pytest.mark.parametrize("path", list(PAGE_TITLES))
def test_hostile_text_renders_as_text_and_fetches_nothing(path: str, server: str, page) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    open_page(page, server, path)
    screenshot(page, f"hostile-{path}")
    main = page.locator('[data-testid="stMain"]')
    shown = main.inner_text().replace("\u2060", "")  # literal()'s invisible word joiners
    assert not [url for url in requests if url.startswith(TRAP)], requests
    # nothing the data holds became an image, a link, emphasis or HTML
    assert main.locator(f'img[src^="{TRAP}"], a[href^="{TRAP}"]').count() == 0
    assert main.locator("strong", has_text=re.compile(r"^bold$")).count() == 0
    if path == "use_case_detail":
        assert "**bold** " in shown
        assert f"![x]({TRAP}/exit.png)" in shown
        assert f"![r]({TRAP}/r.png)" in shown
        assert f"<img src={TRAP}/owner.png>" in shown
        assert ":material/home:" in shown  # a portfolio name's icon directive, as text
    if path == "quarterly_executive_review":
        assert "**bold** " in shown
        assert f"![g]({TRAP}/gap.png)" in shown  # a readiness gap, in the great-tables table
