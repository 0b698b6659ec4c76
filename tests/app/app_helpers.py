"""Helpers shared by the app tests (imported by module name; tests/ has no packages)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pyarrow as pa
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app" / "streamlit_app.py"
PAGES = {
    "quarterly": "app_pages/quarterly_executive_review.py",
    "monthly": "app_pages/monthly_portfolio_review.py",
    "weekly": "app_pages/weekly_operations_review.py",
    "use_case": "app_pages/use_case_detail.py",
    "data_health": "app_pages/data_health.py",
}


def as_read(markdown: str) -> str:
    """Markdown source as its reader reads it, for text from the data: app.text.literal's
    backslash escapes and word joiners removed."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")


def metrics(at: AppTest) -> dict[str, str]:
    """The st.metric values shown, by label."""
    return {metric.label: metric.value for metric in at.metric}


def html_bodies(at: AppTest) -> list[str]:
    """The bodies of the st.html elements (the great-tables tables)."""
    return [element.proto.body for element in at.get("html")]


def chart_title(spec: dict) -> str | None:
    """A chart's title text (a title with a subtitle is an object)."""
    title = spec.get("title")
    return title.get("text") if isinstance(title, dict) else title


def chart_frames(at: AppTest, title: str) -> list[pl.DataFrame]:
    """The datasets (Arrow IPC in the proto) of the altair chart titled `title`."""
    for chart in at.get("vega_lite_chart"):
        if chart_title(json.loads(chart.proto.spec)) == title:
            return [
                pl.from_arrow(pa.ipc.open_stream(dataset.data.data).read_all())  # type: ignore[misc]
                for dataset in chart.proto.datasets
            ]
    raise AssertionError(f"no chart titled {title!r}")
