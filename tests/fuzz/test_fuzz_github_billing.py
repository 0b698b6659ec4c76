"""Fuzzing the GitHub billing connector (`cadence ingest github-billing`, and `ingest auto` on
the same files): the metered usage report (with and without its `model` column) and the
premium request analytics report, with cells of any text, a required column sometimes left
out, raw handles planted, byte corruption.

Properties (as in test_fuzz_connectors.py): no exception; a file lands one batch or is refused
whole with nothing in landing/; the planted handles are written nowhere. The rows per day and
model are summed by the connector's known-answer tests (tests/connectors/test_github_billing.py),
not worked out here."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from fuzz_helpers import ODD_TEXT, check_home, identity_value
from hypothesis import given, settings
from hypothesis import strategies as st
from test_fuzz_connectors import DATES, SECRET, _check, _maybe_corrupt, csv_writer, examples

from ingestion.connectors import auto, github_billing

NUMBERS = st.one_of(
    st.integers(-5, 10_000).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(ODD_TEXT),
    st.text(max_size=6),
)
MODELS = st.one_of(
    st.sampled_from(["claude-sonnet-4", "gpt-5", "Auto: GPT-5"]), st.text(max_size=6)
)


def _write(draw: st.DrawFn, folder: Path, stem: str, header: list[str], rows: list[dict]) -> Path:
    """The rows as CSV (sometimes with a byte order mark), one required column sometimes gone."""
    columns = list(header)
    if draw(st.integers(0, 7)) == 0:
        columns.remove(draw(st.sampled_from(columns)))
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(name, "") for name in columns])
    path = folder / f"{stem}.csv"
    path.write_text(buffer.getvalue(), encoding=draw(st.sampled_from(["utf-8", "utf-8-sig"])))
    return path


@st.composite
def metered_files(draw: st.DrawFn, folder: Path) -> tuple[Path, dict[str, int]]:
    with_model = draw(st.booleans())
    header = [
        "date",
        "product",
        "sku",
        *(["model"] if with_model else []),
        "quantity",
        "unit_type",
        "applied_cost_per_quantity",
        "gross_amount",
        "discount_amount",
        "net_amount",
        "username",
        "organization",
        "repository",
        "cost_center_name",
    ]
    rows = []
    for index in range(draw(st.integers(0, 5))):
        rows.append(
            {
                "date": draw(DATES),
                "product": draw(
                    st.one_of(
                        st.sampled_from(["copilot", "Copilot", "actions"]), st.text(max_size=5)
                    )
                ),
                "sku": draw(
                    st.sampled_from(["copilot_premium_request", "copilot_for_business", ""])
                ),
                "model": draw(MODELS),
                "quantity": draw(NUMBERS),
                "unit_type": draw(st.sampled_from(["requests", "user-months", "minutes", ""])),
                "applied_cost_per_quantity": draw(NUMBERS),
                "gross_amount": draw(NUMBERS),
                "discount_amount": draw(NUMBERS),
                "net_amount": draw(NUMBERS),
                "username": draw(identity_value(index)),
                "organization": "contoso",
                "repository": SECRET,
                "cost_center_name": draw(st.sampled_from(["Engineering", ""])),
            }
        )
    return _write(draw, folder, "metered_usage", header, rows), {}


@st.composite
def premium_files(draw: st.DrawFn, folder: Path) -> tuple[Path, dict[str, int]]:
    header = [
        "Timestamp",
        "User",
        "Model",
        "Requests Used",
        "Exceeds Monthly Quota",
        "Total Monthly Quota",
    ]
    rows = []
    for index in range(draw(st.integers(0, 5))):
        rows.append(
            {
                "Timestamp": draw(
                    st.one_of(
                        DATES, st.sampled_from(["2026-06-02T09:15:00Z", "2026-06-02 23:59:59"])
                    )
                ),
                "User": draw(identity_value(index)),
                "Model": draw(MODELS),
                "Requests Used": draw(NUMBERS),
                "Exceeds Monthly Quota": draw(st.sampled_from(["FALSE", "TRUE", "", "x"])),
                "Total Monthly Quota": draw(NUMBERS),
            }
        )
    return _write(draw, folder, "premium_request_analytics", header, rows), {}


@settings(max_examples=examples(3))
@given(data=st.data())
def test_github_billing_files(fresh_home: Callable, data: st.DataObject) -> None:
    with fresh_home() as (home, inputs):
        maker = data.draw(st.sampled_from([metered_files, premium_files]))
        path, expected = data.draw(maker(inputs), label="file")
        corrupted = _maybe_corrupt(data.draw, path)
        load = data.draw(st.sampled_from([github_billing.load, auto.load]))
        results = load([path], home)
        check_home(home, results)
        _check(home, results, expected, corrupted)
