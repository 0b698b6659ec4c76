"""Text from the configuration or the data inside the page's Markdown (CONTRACTS.md §5.5 as
issue 16 reads it: text renders as text, everywhere). Streamlit renders Markdown in
st.markdown, captions, alerts, metric labels, values and help, and great-tables renders it in
the columns given to `fmt_markdown`; a name, criterion or reason is escaped before it joins
the page's own Markdown, so it can add no emphasis, link, image (a fetch from the reader's
browser) or directive."""

from __future__ import annotations

import re

import polars as pl

# Every character to which Markdown (CommonMark + GFM) or Streamlit's Markdown gives a meaning:
# emphasis, code, links and images, headings, lists, tables, HTML and entities, `:color[…]`
# and `:material/…:` directives, emoji short codes and `$` maths.
MARKDOWN_SYNTAX = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&=^])")
# GFM's literal autolinks (http://…, www.…, name@host) and Streamlit's `:material/…:` icons and
# emoji short codes are found in the text after escapes are read, so an escape cannot stop
# them: an invisible word joiner after the scheme, `www`, `@` or a colon that starts a word
# does (the reader sees the same characters; nothing becomes a link or an icon).
AUTOLINK = re.compile(r"(?i)\b(?:https?|ftp|www)(?=\\[:.])|@|\\:(?=[\w/])")
WORD_JOINER = "\u2060"


def literal(value: object) -> str:
    """A value from the configuration or the data (a name, a criterion, a reason), escaped to
    read as literal text inside Markdown: no emphasis, link, image or directive of its own
    (`**bold**` shows its asterisks; `![x](http://…)` is text, never fetched or linked). Line
    breaks become spaces. The page's own Markdown goes around it."""
    if value is None:
        return ""
    escaped = MARKDOWN_SYNTAX.sub(r"\\\1", " ".join(str(value).splitlines()))
    return AUTOLINK.sub("\\g<0>" + WORD_JOINER, escaped)


def no_maths(markdown: str | None) -> str | None:
    """The page's own Markdown with every `$` shown as a dollar sign: Streamlit reads text
    between two `$` as LaTeX ("reported $10 + estimate $20" would typeset "10 + estimate ")."""
    if markdown is None:
        return None
    return re.sub(r"(?<!\\)\$", r"\\$", markdown)


# A cell a spreadsheet would read as a formula (OWASP, "CSV injection"): one starting with
# `=`, `+`, `-` or `@`, or with a tab or carriage return before one.
FORMULA_LEAD = r"^[=+\-@\t\r]"


def csv_text(frame: pl.DataFrame) -> str:
    """A table's rows as CSV for a download: list columns joined with spaces, and every text
    cell a spreadsheet would run as a formula (`=HYPERLINK(…)` as a model name) prefixed with
    `'`, so it opens as the text it is. Numbers stay numbers (a negative one included)."""
    flat = frame.with_columns(
        pl.col(name).cast(pl.List(pl.String)).list.join(" ")
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.List)
    ).with_columns(
        pl.col(name).cast(pl.String)
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.Categorical | pl.Enum)
    )
    return flat.with_columns(
        pl.when(pl.col(name).str.contains(FORMULA_LEAD))
        .then(pl.format("'{}", pl.col(name)))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in flat.schema.items()
        if dtype == pl.String
    ).write_csv()
