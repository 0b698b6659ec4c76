"""The shell every page shares: sidebar filters, page header (build and freshness), empty
states, formatting helpers and table output (HTML + CSV download).

The router (`streamlit_app.py`) calls `sidebar()` once per run; a page calls `page()` first
and gets back the `Context` it renders for.
"""

from __future__ import annotations

import base64
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import polars as pl
import streamlit as st
from great_tables import GT

from app import charts, data, freshness, privacy, settings
from app.text import csv_text, literal, no_maths

CONTEXT_KEY = "_cadence_context"
DASH = "\u2013"  # an en dash: what an empty figure shows
GRAIN_LABELS = {
    "quarter": "Quarter under review",
    "month": "Month under review",
    "week": "Week under review",
}
RAG_ICONS = {"green": ":green[●]", "amber": ":orange[●]", "red": ":red[●]"}
RAG_WORDS = {"green": "on track", "amber": "watch", "red": "off track"}

NO_WAREHOUSE = (
    "No warehouse is published yet. Load your data and build it:\n\n"
    "1. `cadence ingest <entity> FILE...` for each source "
    "(requests, activity, workflow_events, kpi_observations, survey_responses, "
    "enablement_events, people, licenses), or `make demo` for a demo organisation;\n"
    "2. `cadence build` to build, test and publish the warehouse.\n\n"
    "Then reload this page. The app reads `$CADENCE_HOME/published.json`"
)


@dataclass(frozen=True)
class Context:
    """What a page renders for: the published build and the sidebar's choices."""

    wh: data.Warehouse
    scope: data.Scope
    grain: str | None
    period_start: date | None
    periods: list[date]
    data_through: date | None
    min_group_size: int
    business_unit_names: dict[str, str] = field(default_factory=dict)
    portfolio_names: dict[str, str] = field(default_factory=dict)
    organisational_filters: bool = True
    period_labels: dict[date, str] = field(default_factory=dict)
    periods_to_date: set[date] = field(default_factory=set)

    @property
    def period_end(self) -> date | None:
        if self.grain is None or self.period_start is None:
            return None
        return data.period_end(self.grain, self.period_start)

    @property
    def previous_period_start(self) -> date | None:
        if self.grain is None or self.period_start is None:
            return None
        return data.shift_period(self.grain, self.period_start, -1)

    @property
    def period_label(self) -> str:
        if self.grain is None or self.period_start is None:
            return ""
        return period_label(
            self.grain,
            self.period_start,
            self.period_start in self.periods_to_date,
            self.period_labels.get(self.period_start),
        )

    @property
    def scope_label(self) -> str:
        parts = []
        if self.scope.portfolio_id:
            parts.append(self.portfolio_names.get(self.scope.portfolio_id, self.scope.portfolio_id))
        if self.scope.business_unit_id:
            parts.append(
                self.business_unit_names.get(
                    self.scope.business_unit_id, self.scope.business_unit_id
                )
            )
        return " · ".join(parts) if parts else "All portfolios and business units"


# ------------------------------------------------------------------------- formatting


def fmt_int(value: object) -> str:
    return DASH if value is None else f"{int(value):,}"  # type: ignore[call-overload]


def fmt_pct(value: object, digits: int = 1) -> str:
    return DASH if value is None else f"{float(value):.{digits}f}%"  # type: ignore[arg-type]


def fmt_usd(value: object) -> str:
    if value is None:
        return "\u2013"
    amount = float(value)  # type: ignore[arg-type]
    return f"${amount:,.0f}" if abs(amount) >= 1000 else f"${amount:,.2f}"


def fmt_ms(value: object) -> str:
    return DASH if value is None else f"{float(value):,.0f} ms"  # type: ignore[arg-type]


def fmt_number(value: object, digits: int = 1) -> str:
    return DASH if value is None else f"{float(value):,.{digits}f}"  # type: ignore[arg-type]


def fmt_effect(value: object, unit: object, suppressed: object = False) -> str:
    """A KPI effect with its sign and unit; 'suppressed' or 'not enough evidence' without one."""
    if suppressed:
        return "suppressed"
    if value is None:
        return "not enough evidence"
    return f"{float(value):+,.2f} {unit or ''}".rstrip()  # type: ignore[arg-type]


def fmt_date(value: object) -> str:
    if value is None:
        return "\u2013"
    if isinstance(value, datetime):
        return value.strftime("%d %b %Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d %b %Y")
    return str(value)


def humanise(identifier: str | None) -> str:
    """`checklist item undated: qa_metrics` style ids made readable (`qa metrics`)."""
    return "" if identifier is None else identifier.replace("_", " ")


def period_label(
    grain: str, start: date, to_date: bool = False, fiscal_label: str | None = None
) -> str:
    """'2026-Q3 (Jul\u2013Sep)' (the fiscal quarter as the warehouse names it, dim_periods; else
    'Q3 2026 (Jul\u2013Sep)', calendar-style), 'Sep 2026', 'Week of 16 Nov 2026'; '(to date)'
    when incomplete."""
    end = data.period_end(grain, start)
    if grain == "quarter":
        name = fiscal_label or f"Q{(start.month - 1) // 3 + 1} {start.year}"
        label = f"{name} ({start:%b}\u2013{end:%b})"
    elif grain == "month":
        label = f"{start:%B %Y}"
    else:
        label = f"Week of {start:%d %b %Y} (W{start.isocalendar().week:02d})"
    if to_date:  # dim_periods.is_period_to_date: the period holds the build date
        label += " — to date"
    return label


def split_list(text: str | None) -> list[str]:
    """A '; '-separated mart text list as items."""
    return [item.strip() for item in re.split(r";\s*", text or "") if item.strip()]


# ----------------------------------------------------------------------------- sidebar


def _data_through(wh: data.Warehouse) -> date | None:
    latest = data.data_health_summary(wh)["data_through_at"]
    return latest.date() if isinstance(latest, datetime) else None


def _default_index(grain: str, options: list[date], data_through: date | None) -> int:
    complete = [
        i
        for i, start in enumerate(options)
        if data_through is None or data.period_end(grain, start) <= data_through
    ]
    return complete[-1] if complete else len(options) - 1


def sidebar(grain: str | None, *, organisational_filters: bool = True) -> Context | None:
    """Render the shared sidebar for a page of `grain` and store the page's Context.

    The period selector offers only periods holding data (default: the latest complete one).
    """
    wh = data.published()
    if wh is None:
        st.session_state[CONTEXT_KEY] = None
        with st.sidebar:
            st.caption("No published warehouse yet.")
        return None
    data_through = _data_through(wh)
    units = data.business_units(wh)
    unit_names = dict(units.iter_rows())
    folios = data.portfolios(wh)
    folio_names = dict(folios.iter_rows())
    options: list[date] = []
    period_start = None
    with st.sidebar:
        labels: dict[date, str] = {}
        to_date: set[date] = set()
        if grain is not None:
            options = data.periods(wh, grain)
            labels = data.period_labels(wh, grain)
            to_date = data.periods_to_date(wh, grain)
            if options:
                period_start = st.selectbox(
                    GRAIN_LABELS[grain],
                    options,
                    index=_default_index(grain, options, data_through),
                    format_func=lambda start: period_label(
                        grain, start, start in to_date, labels.get(start)
                    ),
                    key=grain,
                )
        portfolio_id = st.selectbox(
            "Portfolio",
            [None, *folio_names],
            format_func=lambda pid: "All portfolios" if pid is None else folio_names[pid],
            key="portfolio",
            disabled=not organisational_filters,
        )
        business_unit_id = st.selectbox(
            "Business unit",
            [None, *unit_names],
            format_func=lambda bid: "All business units" if bid is None else unit_names[bid],
            key="business_unit",
            disabled=not organisational_filters,
            help="Filters business-unit figures (adoption, trust) and use cases owned by the unit.",
        )
        k = data.min_group_size(wh)
        st.divider()
        st.caption(
            f"Build `{wh.build_id}`  \nPublished {wh.published_at}  \n"
            f"Minimum group size: {k} people"
        )
    context = Context(
        wh=wh,
        scope=data.Scope(
            business_unit_id=business_unit_id if organisational_filters else None,
            portfolio_id=portfolio_id if organisational_filters else None,
        ),
        grain=grain,
        period_start=period_start,
        periods=options,
        data_through=data_through,
        min_group_size=k,
        business_unit_names=unit_names,
        portfolio_names=folio_names,
        organisational_filters=organisational_filters,
        period_labels=labels,
        periods_to_date=to_date,
    )
    st.session_state[CONTEXT_KEY] = context
    return context


# ------------------------------------------------------------------------------ header


def freshness_now(wh: data.Warehouse) -> freshness.Freshness:
    """The landing zone's freshness at this page load: fct_data_health's deadlines (a cached
    read) against the clock (`freshness.now()`, read on every call)."""
    return freshness.summarise(freshness.classify(data.data_health(wh), freshness.now()))


FRESHNESS_HEADINGS = {"red": "overdue", "amber": "stale"}


def freshness_text(state: freshness.Freshness) -> str:
    """The header's words: `● data freshness red — overdue: requests, activity (last event
    2026-11-22); stale: survey responses (last event 2026-09-23)`, or `● data freshness green
    (8 sources)`; the entities with no data named after them."""
    if state.status is None:
        text = "data freshness unknown"
    else:
        text = f"{RAG_ICONS[state.status]} data freshness {state.status}"
    groups = []
    for status, heading in FRESHNESS_HEADINGS.items():
        sources = [source for source in state.stale if source.status == status]
        by_day = itertools.groupby(sources, key=lambda source: source.latest_event_at.date())
        named = [
            ", ".join(humanise(source.entity) for source in same_day)
            + f" (last event {day:%Y-%m-%d})"
            for day, same_day in by_day
        ]
        if named:
            groups.append(f"{heading}: " + ", ".join(named))
    if groups:
        text += " — " + "; ".join(groups)
    elif state.status is not None:
        text += f" ({state.sources} source{'' if state.sources == 1 else 's'})"
    if state.no_data:
        text += " — no data: " + ", ".join(humanise(entity) for entity in state.no_data)
    return text


def page(title: str, question: str) -> Context:
    """Title, the question the page answers, build and freshness; stop with an empty state
    when nothing is published or the period has no data."""
    st.title(title)
    context: Context | None = st.session_state.get(CONTEXT_KEY)
    if context is None:
        st.info(NO_WAREHOUSE + f" (`{settings.cadence_home() / 'published.json'}`).")
        st.stop()
    st.caption(question)
    period = f"**{literal(context.period_label)}** · " if context.period_label else ""
    scope = f"{literal(context.scope_label)} · " if context.organisational_filters else ""
    st.markdown(
        f"{period}{scope}data through {fmt_date(context.data_through)} · "
        f"{freshness_text(freshness_now(context.wh))} · build `{context.wh.build_id}` "
        f"published {context.wh.published_at}"
    )
    if context.grain is not None and context.period_start is None:
        st.info(
            f"The published warehouse holds no {context.grain} with data yet. Ingest requests, "
            "activity or workflow events with `cadence ingest`, then run `cadence build`."
        )
        st.stop()
    return context


# ------------------------------------------------------------------------------ output


SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
ARIA_LABEL = re.compile(r'aria-label="([^"]*)"')


def _svg_as_image(match: re.Match[str]) -> str:
    svg = match.group(0)
    if "xmlns=" not in svg.split(">", 1)[0]:
        svg = svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    found = ARIA_LABEL.search(svg)
    label = found.group(1) if found else "trend"
    encoded = base64.b64encode(svg.encode()).decode()
    return (
        f'<img src="data:image/svg+xml;base64,{encoded}" alt="{label}" title="{label}" '
        'style="height:1.5em;width:5em;vertical-align:middle">'
    )


def svgs_as_images(markup: str) -> str:
    """Inline SVG (great-tables nanoplots) as data-URI images: st.html sanitises with an HTML
    profile that drops <svg>, but keeps <img> with a data URI. The title shows the summary."""
    return SVG.sub(_svg_as_image, markup)


def table(gt: GT, frame: pl.DataFrame, name: str, *, csv: pl.DataFrame | None = None) -> None:
    """Render a great-tables table and offer its rows as CSV (`csv` overrides the rows); say
    which rows of a closed period are restated."""
    st.html(svgs_as_images(gt.as_raw_html()))
    restated_caption(frame)
    download(csv if csv is not None else frame, name)


#: The column naming a review table's row, for restatement captions.
ROW_LABELS = ("kpi_name", "subject", "use_case_name", "stage")


def restated_caption(frame: pl.DataFrame) -> None:
    """Under a closed period's review table: the rows whose figures now differ from the ones
    recorded at the close (`is_restated`, the `closed_review_rows` macro), which it shows."""
    if "is_restated" not in frame.columns or not frame["is_restated"].any():
        return
    restated = frame.filter(pl.col("is_restated"))
    label = next((column for column in ROW_LABELS if column in frame.columns), None)
    names = f": {', '.join(literal(v) for v in restated[label].to_list())}" if label else ""
    st.caption(
        f":material/history: **Restated since the close** — {restated.height} "
        f"{'row differs' if restated.height == 1 else 'rows differ'} now from the figures "
        f"recorded at the close, which the table shows{names}. Why: see the note above."
    )


def download(frame: pl.DataFrame, name: str) -> None:
    """A CSV download button for one table's rows (text.csv_text: list columns joined with
    spaces, formula-leading cells neutralised)."""
    st.download_button(
        f"CSV: {name.replace('_', ' ')}",
        csv_text(frame),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv_{name}",
        icon=":material/download:",
        type="tertiary",
        on_click="ignore",
    )


def chart(factory: Callable[..., object], *args: object, **kwargs: object) -> None:
    """Render an altair chart from a factory in app/charts.py, full width; an st.info naming
    what is missing instead of an empty chart (charts.EmptyChart). A line chart of more than
    charts.MAX_SERIES series draws the reader's pick of them (`series_picker`)."""
    slot = st.container()  # the chart above the reader's pick of its series, if any
    if factory is charts.time_series:
        kwargs = series_picker(*args, **kwargs)
    try:
        drawn = factory(*args, **kwargs)
    except charts.EmptyChart as empty:
        slot.info(str(empty), icon=":material/info:")
        return
    slot.altair_chart(drawn, width="stretch")  # type: ignore[arg-type]


def series_picker(frame: pl.DataFrame, y: str, **kwargs: object) -> dict[str, object]:
    """For a line chart (charts.time_series arguments) whose `color` holds more than
    charts.MAX_SERIES series: a multiselect of the series to draw (below the chart, so charts
    side by side stay aligned), at most MAX_SERIES, those with the largest latest value
    first and picked by default; returns the factory's kwargs with the pick as `series`.
    Lines of rates or head counts cannot be summed into an "Other" line, so the reader
    chooses what to compare."""
    color = kwargs.get("color")
    if not isinstance(color, str) or frame.is_empty():
        return kwargs
    x = str(kwargs.get("x", "week_start"))
    ranked = charts.ranked_series(frame.drop_nulls(color), y, color, x)
    if len(ranked) <= charts.MAX_SERIES:
        return kwargs
    noun = charts.SERIES_NOUNS.get(color, "series")
    with st.expander(f"Choose the {noun} to compare (at most {charts.MAX_SERIES})"):
        picked = st.multiselect(
            f"{noun.capitalize()} shown (at most {charts.MAX_SERIES} of {len(ranked)})",
            ranked,
            default=ranked[: charts.MAX_SERIES],
            max_selections=charts.MAX_SERIES,
            format_func=lambda value: charts.LABELS.get(value, value),
            key=f"series_{kwargs.get('title', y)}",
            help=f"The {charts.MAX_SERIES} with the highest latest value are shown first; "
            "pick others to compare.",
            select_all=False,
            wrap=True,
        )
    return {**kwargs, "series": picked}


def suppression_caption(context: Context, suppressed: bool) -> None:
    if suppressed:
        st.caption(":material/visibility_off: " + privacy.note(context.min_group_size))


def metric(
    label: str,
    value: str,
    *,
    delta: str | None = None,
    delta_color: str = "normal",
    help: str | None = None,
) -> None:
    st.metric(
        label,
        value,
        delta=delta,
        delta_color=delta_color,  # type: ignore[arg-type]
        help=no_maths(help),
        border=True,
    )


def effect_cost_text(row: dict[str, object], period: str) -> str:
    """What an improved KPI's effect cost in the period, after its verdict sentence
    (rpt_kpi_values.effect_cost_per_unit_usd): empty where there is no such figure."""
    per_unit = row.get("effect_cost_per_unit_usd")
    if per_unit is None:
        return ""
    amount = float(per_unit)  # type: ignore[arg-type]
    shown = fmt_usd(amount) if amount >= 0.01 else f"${amount:.2g}"
    unit = literal(str(row.get("unit") or "the KPI's unit"))
    return (
        no_maths(
            f" — AI usage cost {fmt_usd(row.get('use_case_cost_usd'))} this {period}, "
            f"{shown} per unit of improvement ({unit})."
        )
        or ""
    )


def cost_and_value_tiles(
    money: dict[str, object] | None, context: Context, *, seats_attributed: bool
) -> None:
    """The period's cost (observed and estimated) and the surveys' modelled value, in four
    tiles, from rpt_cost_and_value; the modelled value is labelled and stands apart."""
    money = money or {}
    hidden = bool(money.get("is_survey_suppressed"))
    columns = st.columns(4)
    with columns[0]:
        metric(
            "AI usage cost",
            fmt_usd(money.get("usage_cost_usd")),
            help=(
                f"Reported by the sources (observed): {fmt_usd(money.get('reported_cost_usd'))}; "
                "priced from the model catalogue at the price of each request's day where none "
                f"was reported (an estimate): {fmt_usd(money.get('priced_cost_usd'))}."
            ),
        )
    with columns[1]:
        metric(
            "Licence seats (modelled)",
            fmt_usd(money.get("seat_cost_usd")) if seats_attributed else DASH,
            help=(
                f"{fmt_int(money.get('seat_days'))} seat-days held x each tool's seat price a "
                "month (value_assumptions.csv) x 12 ÷ 365: a modelled estimate."
                if seats_attributed
                else "Seats belong to people, not to a portfolio: see the organisation or a "
                "business unit."
            ),
        )
    with columns[2]:
        metric(
            "Total cost",
            fmt_usd(money.get("total_cost_usd")),
            help="AI usage cost plus licence seats"
            + ("." if seats_attributed else " (none in a portfolio)."),
        )
    with columns[3]:
        respondents = money.get("minutes_respondents")
        metric(
            "Time saved (modelled)",
            "suppressed" if hidden else fmt_usd(money.get("modelled_value_usd")),
            help=(
                "Hidden: fewer respondents than the minimum group size."
                if hidden
                else "A modelled estimate, never added to the KPI effects: "
                f"{fmt_int(respondents)} survey respondents' self-reported minutes saved a "
                f"week (mean {fmt_number(money.get('avg_minutes_saved_per_week'))}) ÷ 60 x "
                f"{fmt_usd(money.get('loaded_hourly_cost_usd'))} an hour loaded cost "
                "(value_assumptions.csv) x the weeks elapsed. People who did not answer "
                "count for nothing."
            ),
        )
    if hidden:
        suppression_caption(context, True)
    elif money.get("modelled_value_usd") is not None:
        st.caption(
            no_maths(
                "Time saved is a modelled estimate, not an observed result: "
                f"{fmt_int(money.get('minutes_respondents'))} survey respondents said they save "
                f"{fmt_number(money.get('avg_minutes_saved_per_week'))} minutes a week on "
                f"average, valued at {fmt_usd(money.get('loaded_hourly_cost_usd'))} an hour. It "
                "is never added to the KPI effects above."
            )
        )


def tile_value(tile: dict[str, object] | None, digits: int = 1) -> str:
    """A tile's value as the page shows it (rpt_review_tiles unit): suppressed, a dash, or
    the number in its unit."""
    if tile is None:
        return DASH
    if tile["is_suppressed"]:
        return privacy.SUPPRESSED
    value, unit = tile["metric_value"], tile["unit"]
    if unit == "pct":
        return fmt_pct(value, digits)
    if unit == "usd":
        return fmt_usd(value)
    if unit == "ms":
        return fmt_ms(value)
    return fmt_int(value)


def tile_change(tile: dict[str, object] | None, grain: str, digits: int = 1) -> str | None:
    """A tile's change against the previous period (like for like while the period is to
    date, CONTRACTS.md §5.4), for st.metric's delta: in points for a percentage. None when
    either value is missing or suppressed."""
    if tile is None or tile["metric_change"] is None or tile["is_suppressed"]:
        return None
    change = float(tile["metric_change"])  # type: ignore[arg-type]
    if change == 0:
        return "no change"  # review_tile greys it: neither better nor worse
    unit = tile["unit"]
    if unit == "pct":
        # a small move keeps a significant digit: -0.03 pts, never "-0.0 pts"
        while change and digits < 4 and round(abs(change), digits) == 0:
            digits += 1
        text = f"{change:+.{digits}f} pts"
    elif unit == "usd":
        text = f"{'+' if change >= 0 else '-'}${abs(change):,.2f}"
    elif unit == "ms":
        text = f"{change:+,.0f} ms"
    else:
        text = f"{change:+,.0f}"
    # the section's caption says what it is compared with (like for like when to date):
    # a longer delta is cut off in a tile at 1280 px
    return text


def tile_status(tile: dict[str, object] | None) -> str:
    """A tile's RAG band as an icon and words ("" when unbanded)."""
    status = None if tile is None else tile.get("status")
    if not status:
        return ""
    return f"{RAG_ICONS.get(str(status), '')} {RAG_WORDS.get(str(status), '')}"


def review_tile(
    tiles: dict[str, dict[str, object]],
    metric: str,
    grain: str,
    *,
    label: str | None = None,
    digits: int = 1,
    delta_color: str = "normal",
    help: str | None = None,
) -> None:
    """One headline tile from rpt_review_tiles: value, change against the previous period
    and its RAG band in the help."""
    tile = tiles.get(metric)
    status = tile_status(tile)
    restated = (
        "Restated: {} at the close, {} now ({}).".format(
            *restated_values(tile, digits), literal(tile["restatement_reason"])
        )
        if tile and tile.get("is_restated")
        else ""
    )
    text = " ".join(
        part for part in (help, f"Status: {status}." if status else "", restated) if part
    )
    metric_label = label or (str(tile["metric_label"]) if tile else metric)
    if tile and tile["metric_change"] == 0:
        delta_color = "off"
    st.metric(
        literal(metric_label),
        tile_value(tile, digits),
        delta=tile_change(tile, grain, digits),
        delta_color=delta_color,  # type: ignore[arg-type]
        help=no_maths(text or None),
        border=True,
    )


def current_tile_value(tile: dict[str, object], digits: int = 1) -> str:
    """A closed period's tile as computed now (rpt_review_tiles `current_metric_value`),
    formatted like tile_value."""
    return tile_value(
        {
            **tile,
            "metric_value": tile["current_metric_value"],
            "is_suppressed": tile["is_current_suppressed"],
        },
        digits,
    )


def restated_values(tile: dict[str, object], digits: int = 1) -> tuple[str, str]:
    """A restated tile's value at the close and now, with as many more digits (up to 4) as
    it takes for the two to read differently (1.48% and 1.48%: 1.4799% and 1.4794%)."""
    at_close, now = tile_value(tile, digits), current_tile_value(tile, digits)
    for more in range(digits + 1, 5):
        if at_close != now or tile["unit"] not in ("pct", "usd"):
            break
        if tile["unit"] == "usd":
            values = (tile["metric_value"], tile["current_metric_value"])
            if any(value is None for value in values):
                break
            at_close, now = (f"${float(value):,.{more}f}" for value in values)  # type: ignore[arg-type]
        else:
            at_close, now = tile_value(tile, more), current_tile_value(tile, more)
    return at_close, now


def close_notice(tiles: dict[str, dict[str, object]], grain: str, digits: int = 1) -> None:
    """Say that the period is closed, and list every restated tile beside the value at the
    close: the value now and why it changed (rpt_review_tiles, cadence/period_close.py)."""
    closed = [tile for tile in tiles.values() if tile.get("is_closed")]
    if not closed:
        return
    first = closed[0]
    how = "by `cadence close`" if first["close_kind"] == "manual" else "automatically"
    reason = next((t["restatement_reason"] for t in closed if t["restatement_reason"]), None)
    restated = sorted(
        (tile for tile in closed if tile["is_restated"]), key=lambda tile: tile["metric_order"]
    )
    st.markdown(
        f":material/lock: **{literal(first['period_label'])} is closed** — closed {how} on "
        f"{fmt_date(first['closed_at'])}: its figures and tables are the ones recorded then "
        "(trend charts are as computed now)."
        + (f" Since the close, {literal(reason)}." if reason and not restated else "")
    )
    if not restated:
        return
    lines = [
        f"- **{literal(tile['metric_label'])}**: "
        + " at the close, ".join(literal(value) for value in restated_values(tile, digits))
        + " now"
        for tile in restated
    ]
    st.warning(
        f"**Restated since the close** ({len(restated)} of {len(closed)} figures): "
        f"{literal(restated[0]['restatement_reason'])}.\n\n" + "\n".join(lines),
        icon=":material/history:",
    )


def previous_tile_value(tile: dict[str, object] | None, digits: int = 1) -> str:
    """A tile's previous value (rpt_review_tiles), formatted like tile_value."""
    if tile is None:
        return DASH
    return tile_value(
        {
            **tile,
            "metric_value": tile["previous_metric_value"],
            "is_suppressed": tile["is_previous_suppressed"],
        },
        digits,
    )
