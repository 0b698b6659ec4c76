"""Issue 15's done-when in a real browser, on the demo warehouse (the fixtures and helpers of
test_browser.py: one `streamlit run` and one Chromium for this module).

- Choosing a portfolio in the sidebar changes every headline tile of the quarterly and weekly
  reviews to the portfolio's figure in rpt_review_tiles, or the tile says it is
  organisation-wide and keeps the organisation's figure.
- A portfolio x business unit pair with no use cases says so, never an all-clear.
- The quarter to date is labelled "to date" and its changes are like for like (the previous
  quarter's same number of days, rpt_review_tiles.previous_metric_value).
- On every page of the navigation, at 1440x900 and 1280x800, no text is wider than its box, no
  figure is wider than the main block, and no chart text is cut short or drawn outside its chart.

Every test keeps full-length screenshots under $CADENCE_ARTIFACTS/screenshots/browser/
(default: artifacts/, gitignored), named <test>-<page>-<width>.png.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest
import test_browser as shared
from test_browser import PAGE_TITLES, SCREENSHOTS, STREAMLIT_PROBE, settle

# test_browser.py's fixtures, shared rather than copied: the module-scoped `server` (the app on
# a free port) and `browser` (Debian's Chromium), and the function-scoped `page` (a console
# error fails the test). Bound here so that pytest finds them in this module.
server = shared.server
browser = shared.browser
page = shared.page

pytestmark = pytest.mark.browser

SHOTS = SCREENSHOTS / "browser"  # $CADENCE_ARTIFACTS (default artifacts/)/screenshots/browser
WIDTHS = {1440: 900, 1280: 800}
DASH = "\u2013"
SUPPRESSED = "suppressed"  # app/privacy.py SUPPRESSED: what a hidden figure shows

# The headline tiles each review shows, by label: the rpt_review_tiles metrics a tile's value
# shows, in the order it shows them. A tile of one metric shows that metric's change as its
# delta; a tile of several shows no delta.
TILES = {
    "quarterly": {
        "Active users": ("active_users",),
        "Penetration": ("penetration_pct",),
        "Cost": ("cost_usd",),
        "Policy adherence": ("policy_adherence_pct",),
        "Shadow AI": ("shadow_ai_pct",),
        "KPIs G / A / R": ("kpis_green", "kpis_amber", "kpis_red"),
        # rpt_cost_and_value's (tile_rows adds them): money, labelled (issue 19)
        "AI usage cost": ("usage_cost_usd",),
        "Licence seats (modelled)": ("seat_cost_usd",),
        "Total cost": ("total_cost_usd",),
        "Time saved (modelled)": ("modelled_value_usd",),
        "In production or scaled, ready": ("use_cases_in_production", "use_cases_ready"),
        "Scale / hold / redesign": (
            "use_cases_to_scale",
            "use_cases_to_hold",
            "use_cases_to_redesign",
        ),
    },
    "weekly": {
        "Requests": ("requests",),
        "Errors": ("error_rate_pct",),
        "p95 latency": ("latency_p95_ms",),
        "Cost": ("cost_usd",),
        "Adherence": ("policy_adherence_pct",),
        "Shadow AI": ("shadow_ai_pct",),
        "Active users": ("active_users",),
    },
}
REVIEWS = {
    "quarterly": ("quarterly_executive_review", "Quarter under review", "quarter"),
    "weekly": ("weekly_operations_review", "Week under review", "week"),
}
KNOWN_BUGS: dict[tuple[str, str], str] = {}
KNOWN_CUT_CHARTS: dict[str, str] = {}
# A tile (label or help), or a caption sentence naming it, that says its figure is not the
# selection's.
ORGANISATION_WIDE = re.compile(
    r"\b(organi[sz]ation|platform|company)[- ]wide\b|\bwhole organi[sz]ation\b", re.IGNORECASE
)
NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")

# One pass over the page (adapted from /work/shared/tools/page-shots.py, which measures the same
# boxes; captions, table header cells, figure boxes and chart text added):
# - `clipped`: text wider than its box (the box itself, or a child that clips: st.metric puts an
#   ellipsis div inside its label, value and delta; a great-tables table scrolls sideways inside
#   its st.html), and figures wider than the main block or drawn wider than their own box; a
#   clipped element inside a clipped one is left out;
# - `chart_cut`: text in a chart (altair draws SVG here) that Vega cut short with an ellipsis
#   (a legend's labelLimit, a title's limit) or drew outside the chart's box, which hides it
#   (a legend taller than the chart). Text Vega hid itself (opacity 0: overlapping axis labels)
#   is not read; a glyph box may overshoot an edge by a few pixels without a visible cut.
MEASURE_JS = """
() => {
  const TEXT = ['[data-testid="stMetricValue"]', '[data-testid="stMetricDelta"]',
                '[data-testid="stMetricLabel"]', '[data-testid="stHtml"]',
                '[data-testid="stMarkdownContainer"]', '[data-testid="stCaptionContainer"]',
                '[data-testid="stTable"]', 'h1', 'h2', 'h3', 'th'].join(', ');
  const FIGURES = ['[data-testid="stVegaLiteChart"]', '[data-testid="stHtml"]',
                   '[data-testid="stDataFrame"]', '[data-testid="stTable"]',
                   '[data-testid="stImage"]', '[data-testid="stPlotlyChart"]'].join(', ');
  const EDGE_PX = 4;
  const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const words = el => (el.innerText || el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 80);
  const what = el => el.getAttribute('data-testid') || el.tagName.toLowerCase();
  const found = [];
  let checked = 0;
  for (const el of document.querySelectorAll(TEXT)) {
    if (!shown(el)) continue;
    checked += 1;
    let over = el.scrollWidth - el.clientWidth;
    for (const box of el.querySelectorAll('*')) {
      const style = getComputedStyle(box);
      if (style.overflowX !== 'visible' || style.textOverflow === 'ellipsis') {
        over = Math.max(over, box.scrollWidth - box.clientWidth);
      }
    }
    if (over > 1) found.push({el, what: what(el), over_px: over});
  }
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  const frame = main.getBoundingClientRect();
  const padding = getComputedStyle(main);
  const left = frame.left + parseFloat(padding.paddingLeft);
  const right = frame.right - parseFloat(padding.paddingRight);
  for (const figure of main.querySelectorAll(FIGURES)) {
    if (!shown(figure)) continue;
    checked += 1;
    const box = figure.getBoundingClientRect();
    const over = Math.round(Math.max(box.right - right, left - box.left));
    if (over > 1) found.push({el: figure, what: what(figure) + ' wider than the main block', over_px: over});
    for (const drawn of figure.querySelectorAll('canvas, svg.marks')) {
      const d = drawn.getBoundingClientRect();
      const spill = Math.round(Math.max(d.right - box.right, box.left - d.left));
      if (spill > 1) found.push({el: figure, what: what(figure) + ' drawn wider than its box', over_px: spill});
    }
  }
  const clipped = found.filter(f => !found.some(o => o.el !== f.el && o.el.contains(f.el)));
  const chartCut = [];
  let chartText = 0;
  for (const svg of main.querySelectorAll('[data-testid="stVegaLiteChart"] svg.marks')) {
    if (!shown(svg)) continue;
    const box = svg.getBoundingClientRect();
    const chart = ((svg.querySelector('.role-title-text') || {}).textContent || '').trim();
    for (const label of svg.querySelectorAll('text')) {
      const text = label.textContent.trim();
      if (!text || parseFloat(getComputedStyle(label).opacity) === 0) continue;
      chartText += 1;
      const r = label.getBoundingClientRect();
      const outside = Math.round(Math.max(r.right - box.right, r.bottom - box.bottom,
                                          box.left - r.left, box.top - r.top));
      if (text.endsWith('\\u2026')) chartCut.push({chart, text, why: 'cut short'});
      else if (outside > EDGE_PX) chartCut.push({chart, text, why: `${outside} px outside the chart`});
    }
  }
  return {
    checked, chart_text: chartText, chart_cut: chartCut,
    clipped: clipped.map(f => ({what: f.what, text: words(f.el), over_px: f.over_px})),
  };
}
"""
READ_TILES_JS = """
() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMetric"]')].map(m => ({
  label: m.querySelector('[data-testid="stMetricLabel"]').innerText.trim(),
  value: m.querySelector('[data-testid="stMetricValue"]').innerText.trim(),
  delta: m.querySelector('[data-testid="stMetricDelta"]')?.innerText.trim() ?? null,
}))
"""
CAPTIONS_JS = """
() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stCaptionContainer"]')]
      .map(c => c.innerText.trim())
"""


# ------------------------------------------------------------------------------ reading


@dataclass
class Tile:
    label: str
    value: str
    delta: str | None
    help: str = ""


@dataclass
class Reading:
    """One review page as shown: period picker, header line, captions and tiles by label."""

    period: str
    header: str
    captions: list[str]
    tiles: dict[str, Tile]
    scope_id: str = "organisation"
    period_start: date | None = None
    shot: Path | None = None


def watch(page, problems: list[str]) -> None:
    """Record console errors and failed requests the app causes (as test_browser's `page`)."""

    def on_console(message) -> None:
        url = (message.location or {}).get("url", "")
        if message.type != "error" or (
            message.text.startswith("Failed to load resource") and STREAMLIT_PROBE.search(url)
        ):
            return
        problems.append(f"console error: {message.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))


def keep_screenshot(page, test: str, name: str) -> Path:
    """A full-length screenshot: Streamlit scrolls its main area inside the viewport, so the
    viewport grows to the main area's height for the shot and is put back after."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    viewport = page.viewport_size
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size(
        {"width": viewport["width"], "height": min(max(height, viewport["height"]), 16_000)}
    )
    page.wait_for_timeout(150)  # a taller viewport reruns nothing; let it paint
    path = SHOTS / f"{test}-{name}-{viewport['width']}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)
    return path


def header_line(page) -> str:
    """The page header's period · scope · data through · freshness · build line."""
    return (
        page.locator('[data-testid="stMain"] [data-testid="stMarkdownContainer"]')
        .filter(has_text="data through")
        .first.inner_text()
        .strip()
    )


def read_review(page, review: str, *, helps: bool = False) -> Reading:
    """The review as shown; with `helps`, each tile's help too (hovering its help icon)."""
    _, picker, _ = REVIEWS[review]
    tiles = {}
    for shown in page.evaluate(READ_TILES_JS):
        assert shown["label"] not in tiles, f"two tiles labelled {shown['label']!r}"
        tiles[shown["label"]] = Tile(**shown)
    if helps:
        for label, tile in tiles.items():
            button = page.get_by_role("button", name=f"Help for {label}", exact=True)
            if button.count() == 0:
                continue
            button.hover()
            tip = page.locator('[data-testid="stTooltipContent"]:visible').first
            tip.wait_for()
            tile.help = tip.inner_text().strip()
            page.mouse.move(0, 0)
            tip.wait_for(state="detached")
    return Reading(
        period=page.get_by_role("combobox", name=picker).input_value(),
        header=header_line(page),
        captions=page.evaluate(CAPTIONS_JS),
        tiles=tiles,
    )


def wait_for_header(page, text: str) -> None:
    """After a sidebar choice: wait until the header names it and the rerun has drawn."""
    page.locator('[data-testid="stMain"] [data-testid="stMarkdownContainer"]').filter(
        has_text="data through"
    ).filter(has_text=text).first.wait_for()
    settle(page)


def pick(page, label: str, option: str, *, then_header: str) -> None:
    """Choose `option` in the sidebar select labelled `label` as a user does (open it, click the
    option: these lists are short, nothing to type), then wait for the header to say
    `then_header` and the rerun to draw."""
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_header(page, then_header)


def go_to(page, title: str) -> None:
    """Follow the sidebar link to a page (client-side, as a user would) and wait for it."""
    page.get_by_role("link", name=title).click()
    page.locator("h1", has_text=title).first.wait_for()
    settle(page)


# --------------------------------------------------------------------------------- mart


def period_start(mart: Callable[..., pl.DataFrame], grain: str, shown: str) -> date:
    """The period a picker names: a quarter by dim_periods' label ('2026-Q3 ...'), a week as
    'Week of 16 Nov 2026 (W47)'."""
    if grain == "week":
        found = re.match(r"Week of (\d{2} \w{3} \d{4})", shown)
        assert found, f"unexpected week label {shown!r}"
        return datetime.strptime(found.group(1), "%d %b %Y").date()
    return mart(
        "select period_start from dim_periods where period_grain = $grain and period_label = $label",
        grain=grain,
        label=shown.split(" ")[0],
    ).item()


def tile_rows(
    mart: Callable[..., pl.DataFrame], scope_id: str, grain: str, start: date
) -> dict[str, dict[str, object]]:
    """rpt_review_tiles for one scope and period, by metric; with rpt_cost_and_value's money
    figures as metrics of their own (no change against the previous period, never
    suppressed: no person is counted in them)."""
    frame = mart(
        "select * from rpt_review_tiles where scope_id = $scope and period_grain = $grain "
        "and period_start = $start",
        scope=scope_id,
        grain=grain,
        start=start,
    )
    rows = {row["metric"]: row for row in frame.iter_rows(named=True)}
    money = mart(
        "select * from rpt_cost_and_value where scope_id = $scope and period_grain = $grain "
        "and period_start = $start",
        scope=scope_id,
        grain=grain,
        start=start,
    )
    for row in money.iter_rows(named=True):
        for metric in ("usage_cost_usd", "seat_cost_usd", "total_cost_usd", "modelled_value_usd"):
            value = row[metric]
            if metric == "seat_cost_usd" and scope_id.startswith("portfolio"):
                # seats belong to people, not to a portfolio: the tile shows none and says so
                value = None
            rows[metric] = {"metric_value": value, "metric_change": None, "is_suppressed": False}
    return rows


def scope_id(
    mart: Callable[..., pl.DataFrame], portfolio_id: str, unit_id: str | None = None
) -> str:
    """The dim_scopes id of a portfolio, or of a portfolio x business unit pair."""
    return mart(
        """
        select distinct dim_scopes.scope_id
        from dim_scopes
        inner join dim_scope_cells on dim_scope_cells.scope_id = dim_scopes.scope_id
        where dim_scopes.scope_kind = $kind and dim_scope_cells.portfolio_id = $portfolio
            and ($unit is null or dim_scope_cells.business_unit_id = $unit)
        """,
        kind="portfolio" if unit_id is None else "portfolio_business_unit",
        portfolio=portfolio_id,
        unit=unit_id,
    ).item()


# ---------------------------------------------------------------------------- comparing


def numbers(text: str) -> list[tuple[float, float]]:
    """The numbers a shown figure holds, each with the rounding it carries (half its last
    digit): '+$6.84' -> [(6.84, 0.005)], '3, 2 ready' -> [(3, 0.5), (2, 0.5)]."""
    found = []
    for token in NUMBER.findall(text.replace("$", "").replace("\u2212", "-")):
        plain = token.replace(",", "")
        decimals = len(plain.split(".")[1]) if "." in plain else 0
        found.append((float(plain), 0.5 * 10**-decimals + 1e-9))
    return found


def figure_problem(
    shown: str, rows: dict[str, dict[str, object]], metrics: tuple[str, ...]
) -> str | None:
    """Why a shown tile value is not the mart's (None when it is, to its rounding)."""
    missing = [metric for metric in metrics if metric not in rows]
    if missing:
        return f"no rpt_review_tiles row for {missing}"
    if any(rows[metric]["is_suppressed"] for metric in metrics):
        return None if SUPPRESSED in shown else f"shows {shown!r}, the mart suppresses it"
    values = [rows[metric]["metric_value"] for metric in metrics]
    mart_text = " / ".join(DASH if value is None else f"{value:g}" for value in values)
    present = [float(value) for value in values if value is not None]
    got = numbers(shown)
    if shown.count(DASH) != len(values) - len(present) or len(got) != len(present):
        return f"shows {shown!r}, the mart has {mart_text}"
    for (number, rounding), value in zip(got, present, strict=True):
        if abs(number - value) > rounding:
            return f"shows {shown!r}, the mart has {mart_text}"
    return None


def delta_problem(shown: str | None, row: dict[str, object] | None) -> str | None:
    """Why a shown delta is not the mart's change against the previous period."""
    change = None
    if row is not None and not row["is_suppressed"] and row["metric_change"] is not None:
        change = float(row["metric_change"])
    if change is None:
        return None if shown is None else f"delta {shown!r}, the mart has no change"
    if shown is None:
        return f"no delta, the mart's change is {change:g}"
    if shown == "no change":  # app/shell.tile_change: an exact zero, greyed
        return None if change == 0 else f"delta {shown!r}, the mart's change is {change:g}"
    got = numbers(shown)
    if len(got) != 1 or abs(got[0][0] - change) > got[0][1]:
        return f"delta {shown!r}, the mart's change is {change:g}"
    return None


def says_organisation_wide(tile: Tile, captions: list[str]) -> bool:
    """The tile's label or help, or a caption sentence naming the tile, says its figure is the
    organisation's (platform's) whatever the selection."""
    if ORGANISATION_WIDE.search(tile.label) or ORGANISATION_WIDE.search(tile.help):
        return True
    words = [word for word in re.findall(r"[a-z]+", tile.label.lower()) if len(word) > 3]
    return any(
        ORGANISATION_WIDE.search(sentence) and any(word in sentence.lower() for word in words)
        for caption in captions
        for sentence in re.split(r"(?<=[.;])\s+", caption)
    )


def same_in_mart(
    first: dict[str, dict[str, object]],
    second: dict[str, dict[str, object]],
    metrics: tuple[str, ...],
) -> bool:
    return all(
        metric in first
        and metric in second
        and first[metric]["metric_value"] == second[metric]["metric_value"]
        for metric in metrics
    )


def choose_portfolio(
    mart: Callable[..., pl.DataFrame], periods: dict[str, date]
) -> tuple[str, str]:
    """The portfolio (id, name) whose tiles on both reviews differ most from the
    organisation's in the mart (by name on a tie): the test then sees every tile move."""
    best: tuple[int, str, str] | None = None
    folios = mart(
        "select portfolio_id, portfolio_name from dim_portfolios where has_use_cases "
        "order by portfolio_name"
    )
    for portfolio_id, name in folios.iter_rows():
        same = 0
        for review, start in periods.items():
            grain = REVIEWS[review][2]
            organisation = tile_rows(mart, "organisation", grain, start)
            selected = tile_rows(mart, scope_id(mart, portfolio_id), grain, start)
            same += sum(same_in_mart(organisation, selected, m) for m in TILES[review].values())
        if best is None or same < best[0]:
            best = (same, portfolio_id, name)
    assert best is not None, "the demo warehouse has no portfolio with use cases"
    return best[1], best[2]


# ------------------------------------------------------------- tiles and the portfolio


@dataclass
class PortfolioRun:
    portfolio_id: str
    portfolio_name: str
    organisation: dict[str, Reading]
    portfolio: dict[str, Reading]
    problems: list[str]


@pytest.fixture(scope="module")
def portfolio_run(browser, server, mart) -> Iterator[PortfolioRun]:
    """Both reviews read for the organisation, then for a portfolio chosen in the sidebar of the
    weekly review, which the quarterly review keeps when the reader follows its link (the
    sidebar is the router's: one choice for every page). One session, one browser page."""
    test = "tiles_follow_the_portfolio"
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    watch(page, problems)
    organisation: dict[str, Reading] = {}
    portfolio: dict[str, Reading] = {}

    page.goto(f"{server}/?role=executive")
    page.locator("h1", has_text=PAGE_TITLES["quarterly_executive_review"]).first.wait_for()
    settle(page)
    organisation["quarterly"] = read_review(page, "quarterly")
    organisation["quarterly"].shot = keep_screenshot(page, test, "quarterly_organisation")
    go_to(page, PAGE_TITLES["weekly_operations_review"])
    organisation["weekly"] = read_review(page, "weekly")
    organisation["weekly"].shot = keep_screenshot(page, test, "weekly_organisation")
    quarter = period_start(mart, "quarter", organisation["quarterly"].period)
    week = period_start(mart, "week", organisation["weekly"].period)
    portfolio_id, name = choose_portfolio(mart, {"quarterly": quarter, "weekly": week})
    selected = scope_id(mart, portfolio_id)

    pick(page, "Portfolio", name, then_header=name)
    portfolio["weekly"] = read_review(page, "weekly", helps=True)
    portfolio["weekly"].shot = keep_screenshot(page, test, "weekly_portfolio")
    go_to(page, PAGE_TITLES["quarterly_executive_review"])
    wait_for_header(page, name)
    assert page.get_by_role("combobox", name="Portfolio").input_value() == name
    portfolio["quarterly"] = read_review(page, "quarterly", helps=True)
    portfolio["quarterly"].shot = keep_screenshot(page, test, "quarterly_portfolio")

    for readings, scope in ((organisation, "organisation"), (portfolio, selected)):
        for review, reading in readings.items():
            reading.scope_id = scope
            reading.period_start = quarter if review == "quarterly" else week
    yield PortfolioRun(portfolio_id, name, organisation, portfolio, problems)
    context.close()


def test_portfolio_choice_runs_clean_and_shows_the_known_tiles(portfolio_run):
    """The run behind the per-tile tests: no browser error, the same periods before and after
    the choice, and the tiles each review shows are the ones TILES maps to the mart."""
    assert not portfolio_run.problems, "\n".join(portfolio_run.problems)
    for review, tiles in TILES.items():
        organisation = portfolio_run.organisation[review]
        chosen = portfolio_run.portfolio[review]
        assert organisation.period == chosen.period
        assert set(organisation.tiles) == set(tiles), f"{review}: tiles {list(organisation.tiles)}"
        assert set(chosen.tiles) == set(tiles), f"{review}: tiles {list(chosen.tiles)}"
        assert portfolio_run.portfolio_name in chosen.header
        assert "All portfolios and business units" in organisation.header


@pytest.mark.parametrize(
    ("review", "label"),
    [
        pytest.param(
            review,
            label,
            id=f"{review}-{label}",
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[(review, label)])]
            if (review, label) in KNOWN_BUGS
            else [],
        )
        for review, tiles in TILES.items()
        for label in tiles
    ],
)
def test_tile_follows_the_portfolio_or_says_organisation_wide(review, label, portfolio_run, mart):
    """The tile shows the organisation's figure and change for the organisation; for the chosen
    portfolio it shows the portfolio's (rpt_review_tiles, to the shown rounding), and so a
    different value wherever the mart's differ, or it says it is organisation-wide and keeps
    the organisation's figure."""
    metrics = TILES[review][label]
    grain = REVIEWS[review][2]
    before = portfolio_run.organisation[review]
    after = portfolio_run.portfolio[review]
    organisation_rows = tile_rows(mart, "organisation", grain, before.period_start)
    portfolio_rows = tile_rows(mart, after.scope_id, grain, after.period_start)
    shown_before, shown_after = before.tiles[label], after.tiles[label]
    wide = says_organisation_wide(shown_after, after.captions)
    expected_rows = organisation_rows if wide else portfolio_rows
    expected_scope = "organisation" if wide else after.scope_id
    problems = [
        f"organisation: {problem}"
        for problem in (
            figure_problem(shown_before.value, organisation_rows, metrics),
            delta_problem(shown_before.delta, organisation_rows.get(metrics[0]))
            if len(metrics) == 1
            else None,
        )
        if problem
    ]
    problems += [
        f"{portfolio_run.portfolio_name} ({expected_scope} figure expected"
        f"{', the tile says organisation-wide' if wide else ''}): {problem}"
        for problem in (
            figure_problem(shown_after.value, expected_rows, metrics),
            delta_problem(shown_after.delta, expected_rows.get(metrics[0]))
            if len(metrics) == 1
            else None,
        )
        if problem
    ]
    if not wide and shown_after.value == shown_before.value:
        if same_in_mart(organisation_rows, portfolio_rows, metrics):
            pass  # the mart's figures coincide: the value above proves the tile followed
        else:
            problems.append(
                f"{portfolio_run.portfolio_name}: still shows {shown_before.value!r} and does "
                "not say it is organisation-wide"
            )
    assert not problems, (
        f"{review} review ({after.period}), tile {label!r}: "
        + "; ".join(problems)
        + f" [help: {shown_after.help!r}]"
    )


# ----------------------------------------------------------------------- empty selection


def test_empty_selection_says_so_and_gives_no_all_clear(server, page, mart):
    """A portfolio x business unit pair with no use cases in the quarter under review: the
    decisions card says the selection is empty, nothing says all is well, and the tiles show
    that pair's rpt_review_tiles figures."""
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{server}/?role=executive")
    page.locator("h1", has_text=PAGE_TITLES["quarterly_executive_review"]).first.wait_for()
    settle(page)
    quarter = period_start(
        mart, "quarter", page.get_by_role("combobox", name="Quarter under review").input_value()
    )
    empty = mart(
        """
        select dim_scopes.scope_id, dim_portfolios.portfolio_name, units.name as unit_name
        from dim_scopes
        inner join dim_scope_cells on dim_scope_cells.scope_id = dim_scopes.scope_id
        inner join dim_portfolios on dim_portfolios.portfolio_id = dim_scope_cells.portfolio_id
        inner join config.business_units as units
            on units.business_unit_id = dim_scope_cells.business_unit_id
        where dim_scopes.scope_kind = 'portfolio_business_unit'
            and dim_portfolios.has_use_cases
            and not exists (
                select 1 from rpt_use_case_scorecard
                where rpt_use_case_scorecard.scope_id = dim_scopes.scope_id
                    and rpt_use_case_scorecard.period_grain = 'quarter'
                    and rpt_use_case_scorecard.period_start = $quarter
            )
        order by dim_portfolios.portfolio_name, units.name
        """,
        quarter=quarter,
    )
    if empty.is_empty():
        pytest.skip("every portfolio x business unit pair of the demo holds a use case")
    scope, portfolio_name, unit_name = empty.row(0)
    pick(page, "Portfolio", portfolio_name, then_header=portfolio_name)
    pick(page, "Business unit", unit_name, then_header=f"{portfolio_name} · {unit_name}")
    main = page.locator('[data-testid="stMain"]')
    shot = keep_screenshot(page, "empty_selection", "quarterly_executive_review")
    message = main.get_by_text("No use cases in this selection")
    assert message.count() == 1, f"no empty-selection message for {scope} (see {shot})"
    assert message.is_visible()
    assert f"{portfolio_name} · {unit_name}" in message.inner_text()
    assert main.get_by_text("No decision is flagged").count() == 0
    assert main.locator('[data-testid="stAlertContentSuccess"]').count() == 0
    reading = read_review(page, "quarterly")
    rows = tile_rows(mart, scope, "quarter", quarter)
    problems = [
        f"{label}: {problem}"
        for label, metrics in TILES["quarterly"].items()
        if (problem := figure_problem(reading.tiles[label].value, rows, metrics))
    ]
    assert not problems, f"{scope}: " + "; ".join(problems)


# --------------------------------------------------------------------------- to date


def test_quarter_to_date_is_labelled_and_compared_like_for_like(server, page, mart):
    """The quarter to date (the latest, still open) is offered as '... — to date', named so in
    the header and the tiles' caption, and each tile's delta is its value less the previous
    quarter's same number of days (rpt_review_tiles.previous_metric_value), not less the whole
    previous quarter."""
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{server}/?role=executive")
    page.locator("h1", has_text=PAGE_TITLES["quarterly_executive_review"]).first.wait_for()
    settle(page)
    box = page.get_by_role("combobox", name="Quarter under review")
    box.click()
    options = [option.inner_text().strip() for option in page.get_by_role("option").all()]
    page.keyboard.press("Escape")
    to_date = [option for option in options if "to date" in option]
    open_quarter = mart(
        "select distinct period_start from rpt_review_tiles where scope_id = 'organisation' "
        "and period_grain = 'quarter' and is_period_to_date"
    )
    assert open_quarter.height == 1, open_quarter
    start = open_quarter.item()
    assert to_date == [options[-1]], f"options {options}"
    assert period_start(mart, "quarter", to_date[0]) == start
    pick(page, "Quarter under review", to_date[0], then_header=to_date[0].split(" ")[0])
    shot = keep_screenshot(page, "quarter_to_date", "quarterly_executive_review")
    reading = read_review(page, "quarterly")
    assert reading.period == to_date[0]
    assert re.search(r"\bto date\b", reading.header), reading.header
    assert any(
        "same number of days" in caption and "quarter to date" in caption
        for caption in reading.captions
    ), reading.captions

    rows = tile_rows(mart, "organisation", "quarter", start)
    whole_previous = tile_rows(
        mart, "organisation", "quarter", rows["requests"]["previous_period_start"]
    )
    # the mart's window: the previous quarter's first days, as many as have elapsed (the money
    # figures come from rpt_cost_and_value and have no comparison: see tile_rows)
    for row in (row for row in rows.values() if "is_period_to_date" in row):
        assert row["is_period_to_date"]
        assert row["comparison"] == "to date, like for like"
        assert row["previous_window_start"] == row["previous_period_start"]
        elapsed = (row["as_of_date"] - row["period_start"]).days
        assert (row["previous_window_end"] - row["previous_window_start"]).days == elapsed
    problems = []
    like_for_like_differs = []
    for label, metrics in TILES["quarterly"].items():
        tile = reading.tiles[label]
        problem = figure_problem(tile.value, rows, metrics)
        if len(metrics) == 1:
            problem = problem or delta_problem(tile.delta, rows[metrics[0]])
        if problem:
            problems.append(f"{label}: {problem}")
            continue
        if len(metrics) > 1 or tile.delta is None or tile.delta == "no change":
            continue
        row = rows[metrics[0]]
        (value, value_rounding), (delta, delta_rounding) = (
            numbers(tile.value)[0],
            numbers(tile.delta)[0],
        )
        previous = float(row["previous_metric_value"])
        if abs(value - delta - previous) > value_rounding + delta_rounding:
            problems.append(
                f"{label}: {tile.value} less {tile.delta} is not the like-for-like previous "
                f"value {previous:g}"
            )
        whole = whole_previous[metrics[0]]["metric_value"]
        if whole is not None and abs(float(whole) - previous) > value_rounding + delta_rounding:
            like_for_like_differs.append(label)
            if abs(value - delta - float(whole)) <= value_rounding + delta_rounding:
                problems.append(f"{label}: the delta {tile.delta} is against the whole quarter")
    assert not problems, f"quarter to date {reading.period} (see {shot}): " + "; ".join(problems)
    assert like_for_like_differs, (
        "no tile tells the like-for-like change from the whole-quarter one"
    )


def test_weekly_period_label_and_caption_agree_on_to_date(portfolio_run, mart):
    """The week the weekly review opens on is 'to date' in its picker, header, caption and
    rpt_review_tiles alike, or in none of them."""
    reading = portfolio_run.organisation["weekly"]
    rows = tile_rows(mart, "organisation", "week", reading.period_start)
    caption = next(c for c in reading.captions if "Changes compare with last week" in c)
    said = {
        "picker": "to date" in reading.period,
        "header": "to date" in reading.header,
        "caption": "to date" in caption,
        "mart": bool(rows["requests"]["is_period_to_date"]),
    }
    assert len(set(said.values())) == 1, f"{reading.period}: 'to date' per place {said}"


# --------------------------------------------------------------------------- agents


def test_weekly_agents_section_shows_the_demo_agents(server, page, mart):
    """Issue 17: the weekly review's Agents table, as a browser draws it, holds the week's
    rpt_agent_periods rows: the demo's three agents with their runs, the unregistered one
    marked a shadow agent, the registered ones with their use case."""
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{server}/?role=executive")
    page.locator("h1").first.wait_for()
    settle(page)
    go_to(page, PAGE_TITLES["weekly_operations_review"])
    week = period_start(
        mart, "week", page.get_by_role("combobox", name="Week under review").input_value()
    )
    rows = mart(
        "select * from rpt_agent_periods where scope_id = 'organisation' "
        "and period_grain = 'week' and period_start = $week",
        week=week,
    )
    table = page.locator("div#agents")
    table.scroll_into_view_if_needed()
    shot = keep_screenshot(page, "agents", "weekly_operations_review")
    lines = {
        line.split("\t")[0]: line.split("\t")
        for line in table.locator("tbody tr").all_inner_texts()
    }
    named = {row["agent_name"] or row["agent_id"]: row for row in rows.iter_rows(named=True)}
    assert {"claims-triage-agent", "pr-review-agent", "knowledge_assistant"} <= set(named)
    assert set(lines) == set(named), f"{sorted(lines)} (see {shot})"
    for name, row in named.items():
        cells = lines[name]
        assert ("shadow agent" if row["is_shadow_agent"] else "registered") in cells, cells
        assert f"{row['runs']:,}" in cells, (name, cells)
        assert f"{row['success_rate_pct']:.1f}%" in cells, (name, cells)
    assert "Claims intake triage and routing" in lines["claims-triage-agent"]


# --------------------------------------------------------------------------- clipping


@pytest.fixture(scope="module")
def layouts(browser, server) -> dict[tuple[int, str], dict[str, object]]:
    """Every page of the navigation at each width, reached through the sidebar: what is
    clipped, how many elements were measured, the exceptions shown, the navigation's titles."""
    found: dict[tuple[int, str], dict[str, object]] = {}
    for width, height in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        problems: list[str] = []
        watch(page, problems)
        page.goto(f"{server}/?role=executive")
        page.locator("h1", has_text=PAGE_TITLES["quarterly_executive_review"]).first.wait_for()
        settle(page)
        links = page.locator('[data-testid="stSidebarNavLink"]')
        # a link's text starts with its Material icon's ligature name: keep the last line
        titles = [links.nth(i).inner_text().strip().splitlines()[-1] for i in range(links.count())]
        found[(width, "navigation")] = {"titles": titles, "problems": problems}
        for title in titles:
            if page.locator("h1").first.inner_text().strip() != title:
                go_to(page, title)
            measured = page.evaluate(MEASURE_JS)
            slug = next(path for path, name in PAGE_TITLES.items() if name == title)
            found[(width, title)] = {
                **measured,
                "metrics": page.locator('[data-testid="stMain"] [data-testid="stMetric"]').count(),
                "charts": page.locator(
                    '[data-testid="stMain"] [data-testid="stVegaLiteChart"]'
                ).count(),
                "exceptions": page.locator('[data-testid="stException"]').count(),
                "shot": keep_screenshot(page, "nothing_clipped", slug),
            }
        context.close()
    return found


def test_navigation_is_the_pages_measured(layouts):
    for width in WIDTHS:
        navigation = layouts[(width, "navigation")]
        assert navigation["titles"] == list(PAGE_TITLES.values())
        assert not navigation["problems"], "\n".join(navigation["problems"])


@pytest.mark.parametrize("title", list(PAGE_TITLES.values()))
@pytest.mark.parametrize("width", list(WIDTHS))
def test_nothing_is_clipped(width, title, layouts):
    measured = layouts[(width, title)]
    assert measured["exceptions"] == 0
    assert measured["checked"] > 10, "the measurement found nothing to measure"
    if "review" in title:
        assert measured["metrics"] > 0
    clipped = "\n".join(
        f"  {c['what']} +{c['over_px']} px: {c['text']!r}" for c in measured["clipped"]
    )
    assert not measured["clipped"], f"{title} at {width} px ({measured['shot']}):\n{clipped}"


@pytest.mark.parametrize(
    "title",
    [
        pytest.param(
            title,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_CUT_CHARTS[title])]
            if title in KNOWN_CUT_CHARTS
            else [],
        )
        for title in PAGE_TITLES.values()
    ],
)
@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_chart_text_is_cut(width, title, layouts):
    """Every legend entry, axis label and title a chart draws is whole and inside the chart."""
    measured = layouts[(width, title)]
    assert measured["charts"] == 0 or measured["chart_text"] > 0, "no chart text to measure"
    cut = "\n".join(f"  {c['chart']!r}: {c['text']!r} {c['why']}" for c in measured["chart_cut"])
    assert not measured["chart_cut"], f"{title} at {width} px ({measured['shot']}):\n{cut}"
