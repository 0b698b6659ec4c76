"""The quarterly review as one self-contained HTML file for the board pack: no script, no
external stylesheet or font, every table's CSS inline in the file (nanoplots are inline SVG)."""

from __future__ import annotations

import html

import polars as pl

PAGE_CSS = """
body { font-family: -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif;
       margin: 2rem auto; max-width: 1400px; color: #1f2328; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; padding-bottom: .3rem; }
p.meta { color: #59636e; font-size: .9rem; }
ul.decisions li { margin: .35rem 0; }
ul.decisions b { display: inline-block; min-width: 12rem; }
footer { margin-top: 2rem; color: #59636e; font-size: .8rem; }
"""


def decisions_html(frame: pl.DataFrame) -> str:
    """The decisions list (columns decision, subject, why) as an HTML list."""
    if frame.is_empty():
        return "<p>No decision is flagged for this quarter.</p>"
    items = "".join(
        f"<li><b>{html.escape(row['decision'])}</b> {html.escape(row['subject'])} — "
        f"{html.escape(row['why'])}</li>"
        for row in frame.iter_rows(named=True)
    )
    return f'<ul class="decisions">{items}</ul>'


def verdicts_html(sentences: list[str]) -> str:
    """The KPI effects' verdicts (rpt_kpi_values.effect_verdict_text) as an HTML list."""
    if not sentences:
        return "<p>No KPI is defined at the period's end.</p>"
    items = "".join(f"<li>{html.escape(sentence)}</li>" for sentence in sentences)
    return f"<ul>{items}</ul>"


def board_pack(title: str, meta: list[str], sections: list[tuple[str, str]], footer: str) -> str:
    """One HTML document: a title, metadata lines, then (heading, HTML fragment) sections."""
    meta_html = "".join(f'<p class="meta">{html.escape(line)}</p>' for line in meta)
    body = "".join(
        f"<section><h2>{html.escape(heading)}</h2>{fragment}</section>"
        for heading, fragment in sections
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{PAGE_CSS}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{meta_html}{body}"
        f"<footer>{html.escape(footer)}</footer></body></html>\n"
    )
