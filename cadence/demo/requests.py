"""Gateway requests (`requests/requests_YYYY-MM.parquet`): one file per calendar month, so
large scales stream; one row per request.

The first `PROMPT_MONTHS` months carry a `prompt` column (free text the ingest must drop);
months from `REGION_FROM_MONTH` on carry an extra `gateway_region` column; month
`STRINGIFIED_MONTH` is exported with every value as text (numbers and timestamps
stringified). Planted bad rows: `planted.REQUEST_PLANTS`.

`request_month` draws one month's rows in named steps: times, users, routing (operation,
model, data classification, Copilot Studio agents, shadow AI, clearance), tokens, status and
policy, latency, cost and feedback. Each step draws from the month's generator in turn, so
the order of the steps is part of the output.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl

from cadence.demo.contract import (
    CLASSIFICATIONS,
    OPERATIONS,
    POLICY_ACTIONS,
    STATUSES,
    TOOLS,
)
from cadence.demo.frames import iso, lookup, replace_at, timestamps, with_nulls
from cadence.demo.operating_model import Config, Model
from cadence.demo.organisation.traffic import GATEWAY_REGIONS, OPERATION_SHAPE, PROMPTS
from cadence.demo.people import People
from cadence.demo.planted import REQUEST_PLANTS
from cadence.demo.sampling import categorical, cumulative, seconds_of_day
from cadence.demo.streams import ModelTables, Stream, model_tables
from cadence.demo.timeline import DAY_MS, Calendar

STRINGIFIED_MONTH = 7
PROMPT_MONTHS = 5  # months [0, 5) carry a prompt column
REGION_FROM_MONTH = 10  # months from index 10 carry gateway_region
EMBEDDING_OPERATIONS = ("embeddings", "retrieval")
FEEDBACK_OPERATIONS = ("chat", "invoke_agent", "generate_content")
INCIDENT_PROVIDER = "azure_openai"  # PLANTED_EFFECTS["incident_provider"]
#: Per operation: median input tokens, median output tokens, median latency (ms).
SHAPE = np.array([OPERATION_SHAPE[op] for op in OPERATIONS])


@dataclass(frozen=True)
class Routing:
    """Where each request went (one element per request)."""

    operation: np.ndarray  # index into OPERATIONS
    is_embedding: np.ndarray
    model: np.ndarray  # index into config.models
    classification: np.ndarray  # index into CLASSIFICATIONS
    tool: np.ndarray  # index into TOOLS
    is_shadow: np.ndarray
    is_over_clearance_blocked: np.ndarray


def _in_time_order(
    rng: np.random.Generator, stream_of: np.ndarray, day: np.ndarray, cal: Calendar
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each request's epoch milliseconds, and the requests sorted by them (ms, day, stream)."""
    ms = cal.start_ms + day * DAY_MS + seconds_of_day(rng, len(day))
    order = np.argsort(ms, kind="stable")
    return ms[order], day[order], stream_of[order]


def _users(
    rng: np.random.Generator, stream_of: np.ndarray, day: np.ndarray, streams: list[Stream]
) -> np.ndarray:
    """Each request's sender: someone of its stream's pool who has adopted AI by that day."""
    user = np.empty(len(day), dtype=np.int64)
    for s, stream in enumerate(streams):
        mask = stream_of == s
        if mask.any():
            user[mask] = stream.pool.pick(rng, day[mask])
    return user


def _operations_models_and_data(
    rng: np.random.Generator, stream_of: np.ndarray, streams: list[Stream], tables: ModelTables
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Operation, is-embedding, model (from the stream's mixes) and data classification."""
    op_cum = cumulative(
        np.array(
            [[dict(st.profile.operations).get(op, 0.0) for op in OPERATIONS] for st in streams]
        )
    )
    operation = categorical(rng, op_cum, stream_of)
    embedding_op = np.isin(operation, [OPERATIONS.index(op) for op in EMBEDDING_OPERATIONS])
    model = np.where(
        embedding_op,
        categorical(rng, tables.embed, stream_of),
        categorical(rng, tables.chat, stream_of),
    )
    class_cum = cumulative(np.array([st.profile.classification for st in streams]))
    classification = categorical(rng, class_cum, stream_of)
    return operation, embedding_op, model, classification


def _agents_and_shadow(
    rng: np.random.Generator,
    untagged: np.ndarray,
    operation: np.ndarray,
    embedding_op: np.ndarray,
    model: np.ndarray,
    progress: np.ndarray,
    unit: np.ndarray,
    tables: ModelTables,
    models: tuple[Model, ...],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tool, model and is-shadow after untagged agents go through Copilot Studio and some
    untagged traffic goes to unapproved models (uncatalogued ones through the web proxy).
    Agents' rows of `model` are set in place."""
    n = len(operation)
    tool = np.zeros(n, dtype=np.int64)  # gateway
    agent = untagged & (operation == OPERATIONS.index("invoke_agent")) & (rng.random(n) < 0.7)
    tool[agent] = TOOLS.index("copilot_studio")
    model[agent] = tables.agent_model
    shadow = (
        untagged
        & ~embedding_op
        & ~agent
        & (rng.random(n) < tables.shadow_rate[unit] * (1 - 0.6 * progress))
    )
    model = np.where(shadow, categorical(rng, tables.shadow, unit), model)
    in_catalogue = np.array([m.in_catalogue for m in models])
    tool[shadow & ~in_catalogue[model]] = TOOLS.index("web_proxy")
    return tool, model, shadow


def _clearance(
    rng: np.random.Generator,
    classification: np.ndarray,
    model: np.ndarray,
    embedding_op: np.ndarray,
    shadow: np.ndarray,
    tables: ModelTables,
    models: tuple[Model, ...],
) -> tuple[np.ndarray, np.ndarray]:
    """Model and is-blocked after routing: data above the model's clearance is mostly
    rerouted, sometimes blocked, rarely let through (a classification violation). Shadow
    traffic bypasses the gateway."""
    max_class = np.array([m.max_class for m in models])
    over = (classification > max_class[model]) & ~shadow
    route = rng.random(len(model))
    reroute = over & (route < 0.80)
    fallback = np.where(embedding_op, tables.embed_fallback, tables.chat_fallback)
    model = np.where(reroute, fallback, model)
    blocked = over & (route >= 0.80) & (route < 0.92)
    return model, blocked


def _route(
    rng: np.random.Generator,
    stream_of: np.ndarray,
    day: np.ndarray,
    unit: np.ndarray,
    streams: list[Stream],
    tables: ModelTables,
    config: Config,
    cal: Calendar,
) -> Routing:
    operation, embedding_op, model, classification = _operations_models_and_data(
        rng, stream_of, streams, tables
    )
    tool, model, shadow = _agents_and_shadow(
        rng,
        stream_of == 0,
        operation,
        embedding_op,
        model,
        day / cal.n_days,
        unit,
        tables,
        config.models,
    )
    model, blocked = _clearance(
        rng, classification, model, embedding_op, shadow, tables, config.models
    )
    return Routing(operation, embedding_op, model, classification, tool, shadow, blocked)


def _tokens(rng: np.random.Generator, operation: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Input and output tokens, around the operation's medians."""
    n = len(operation)
    input_tokens = np.round(SHAPE[operation, 0] * rng.lognormal(0, 0.8, n)).astype(np.int64) + 1
    output_tokens = np.round(SHAPE[operation, 1] * rng.lognormal(0, 0.7, n)).astype(np.int64)
    return input_tokens, output_tokens


def _incident(
    model: np.ndarray, day: np.ndarray, models: tuple[Model, ...], cal: Calendar
) -> np.ndarray:
    """Requests to the incident's provider during its five days (errors and latency)."""
    provider = np.array([m.provider for m in models])[model]
    incident_start = int(cal.n_days * 0.455)
    return (provider == INCIDENT_PROVIDER) & (day >= incident_start) & (day < incident_start + 5)


def _statuses(
    rng: np.random.Generator, routing: Routing, incident: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Status (index into STATUSES) and is-blocked (over clearance, or a prompt injection)."""
    n = len(incident)
    u = rng.random(n)
    error_p = np.where(incident, 0.08, 0.011)
    timeout_p = np.where(incident, 0.035, 0.004)
    chatty = ~routing.is_embedding
    status = np.zeros(n, dtype=np.int64)
    status[u < error_p] = 1
    status[(u >= error_p) & (u < error_p + timeout_p)] = 2
    status[chatty & (u >= error_p + timeout_p) & (u < error_p + timeout_p + 0.004)] = 4
    injection = (rng.random(n) < 0.002) & ~routing.is_shadow
    blocked = routing.is_over_clearance_blocked | injection
    status[blocked] = 3
    return status, blocked


def _policy_actions(
    rng: np.random.Generator, status: np.ndarray, blocked: np.ndarray, routing: Routing
) -> np.ndarray:
    """Policy action (index into POLICY_ACTIONS; -1 where the exporter left it empty)."""
    n = len(status)
    policy = np.zeros(n, dtype=np.int64)
    policy[blocked] = 2
    redacted = (
        (status == 0) & (routing.classification >= 2) & ~routing.is_shadow & (rng.random(n) < 0.015)
    )
    policy[redacted] = 1
    policy[(policy == 0) & (rng.random(n) < 0.05)] = -1  # exporter left the default empty
    return policy


def _latencies(
    rng: np.random.Generator,
    routing: Routing,
    status: np.ndarray,
    output_tokens: np.ndarray,
    incident: np.ndarray,
    models: tuple[Model, ...],
) -> np.ndarray:
    """Latency in ms (one decimal): by operation, model speed and output; by status."""
    n = len(status)
    speed = np.array([m.speed for m in models])[routing.model]
    latency = (
        SHAPE[routing.operation, 2] * speed * rng.lognormal(0, 0.5, n) * (1 + output_tokens / 1500)
    )
    latency = np.where(incident, latency * 2.2, latency)
    latency = np.where(status == 2, 30_000 + rng.random(n) * 30_000, latency)
    latency = np.where(status == 1, 50 + rng.random(n) * 1_950, latency)
    latency = np.where(status == 3, 15 + rng.random(n) * 65, latency)
    return np.round(latency, 1)


def _costs(
    rng: np.random.Generator,
    model: np.ndarray,
    status: np.ndarray,
    input_tokens: np.ndarray,
    output_tokens: np.ndarray,
    models: tuple[Model, ...],
) -> tuple[np.ndarray, np.ndarray]:
    """Cost in USD (six decimals) at the model's prices, and where it is left empty."""
    price_in = np.array([m.input_usd_per_1k for m in models])[model]
    price_out = np.array([m.output_usd_per_1k for m in models])[model]
    cost = (input_tokens * price_in + output_tokens * price_out) / 1000
    cost = np.where(status == 2, input_tokens * price_in / 1000, cost)
    cost = np.where(np.isin(status, [1, 3]), 0.0, cost)
    cost = np.round(cost, 6)
    in_catalogue = np.array([m.in_catalogue for m in models])
    cost_null = (rng.random(len(model)) < 0.18) | ~in_catalogue[model]
    return cost, cost_null


def _feedback(
    rng: np.random.Generator,
    operation: np.ndarray,
    status: np.ndarray,
    stream_of: np.ndarray,
    streams: list[Stream],
) -> tuple[np.ndarray, np.ndarray]:
    """Feedback score (-1, 0, 1, from the stream's mix) and whether the user gave one."""
    feedback_ops = np.isin(operation, [OPERATIONS.index(op) for op in FEEDBACK_OPERATIONS])
    has_feedback = (status == 0) & feedback_ops & (rng.random(len(status)) < 0.07)
    fb_cum = cumulative(np.array([st.profile.feedback for st in streams]))
    feedback = categorical(rng, fb_cum, stream_of) - 1
    return feedback, has_feedback


def request_month(
    rng: np.random.Generator,
    stream_of: np.ndarray,
    day: np.ndarray,
    streams: list[Stream],
    tables: ModelTables,
    people: People,
    config: Config,
    cal: Calendar,
    label: str,
) -> pl.DataFrame:
    """One month of requests, in time order (one row per request)."""
    n = len(day)
    models = config.models
    ms, day, stream_of = _in_time_order(rng, stream_of, day, cal)
    user = _users(rng, stream_of, day, streams)
    unit = people.unit_on(user, day)
    routing = _route(rng, stream_of, day, unit, streams, tables, config, cal)
    input_tokens, output_tokens = _tokens(rng, routing.operation)
    incident = _incident(routing.model, day, models, cal)
    status, blocked = _statuses(rng, routing, incident)
    policy = _policy_actions(rng, status, blocked, routing)
    latency = _latencies(rng, routing, status, output_tokens, incident, models)
    output_tokens = np.where(status == 0, output_tokens, 0)
    cost, cost_null = _costs(rng, routing.model, status, input_tokens, output_tokens, models)
    feedback, has_feedback = _feedback(rng, routing.operation, status, stream_of, streams)
    unit_null = (rng.random(n) < 0.25) | (routing.tool == TOOLS.index("web_proxy"))
    class_null = (rng.random(n) < 0.02) & (routing.tool == 0)
    use_case_index = np.array(
        [-1] + [config.use_cases.index(st.use_case) for st in streams[1:] if st.use_case]
    )
    unit_ids = [unit_id for unit_id, _ in config.business_units]
    ids = pl.Series(np.arange(n)).cast(pl.String).str.zfill(8)
    return pl.DataFrame(
        {
            "request_id": f"req-{label.replace('-', '')}-" + ids,
            "occurred_at": timestamps(ms),
            "user_id": lookup(people.user_ids, user),
            "business_unit_id": lookup(unit_ids, np.where(unit_null, -1, unit)),
            "use_case_id": lookup(
                [uc.use_case_id for uc in config.use_cases], use_case_index[stream_of]
            ),
            "tool": lookup(TOOLS, routing.tool),
            "provider": lookup([m.provider for m in models], routing.model),
            "model": lookup([m.model for m in models], routing.model),
            "operation": lookup(OPERATIONS, routing.operation),
            "input_tokens": pl.Series(input_tokens),
            "output_tokens": pl.Series(output_tokens),
            "latency_ms": pl.Series(latency),
            "status": lookup(STATUSES, status),
            "cost_usd": with_nulls(cost, cost_null, pl.Float64),
            "data_classification": lookup(
                CLASSIFICATIONS, np.where(class_null, -1, routing.classification)
            ),
            "policy_action": lookup(POLICY_ACTIONS, policy),
            "feedback_score": with_nulls(feedback, ~has_feedback, pl.Int32),
        }
    )


def _planted_cell(kind: str, label: str) -> tuple[str, object]:
    """The column and the bad value of one kind of planted request."""
    year, month = label.split("-")
    cells: dict[str, tuple[str, object]] = {
        "future_timestamp": ("occurred_at", datetime(2031, 3, 14, 10, 0, tzinfo=UTC)),
        "negative_tokens": ("input_tokens", -42),
        "unknown_status": ("status", "succeeded"),
        "non_numeric_latency": ("latency_ms", "n/a"),
        "unparseable_timestamp": ("occurred_at", f"{year}-{month}-32T09:15:00Z"),
        "feedback_five": ("feedback_score", 5),
        "missing_user": ("user_id", None),
        "missing_request_id": ("request_id", None),
        "unknown_classification": ("data_classification", "secret"),
    }
    return cells[kind]


def _plant_requests(frame: pl.DataFrame, kinds: tuple[str, ...], label: str) -> pl.DataFrame:
    for j, kind in enumerate(kinds):
        row = len(frame) * (j + 1) // (len(kinds) + 1)
        column, value = _planted_cell(kind, label)
        frame = replace_at(frame, row, column, value)
    return frame


def _export_shape(
    frame: pl.DataFrame, rng: np.random.Generator, index: int, label: str
) -> pl.DataFrame:
    """The month as its file carries it: extra columns, text values and planted rows."""
    if index < PROMPT_MONTHS:
        frame = frame.with_columns(
            prompt=lookup(PROMPTS, rng.integers(0, len(PROMPTS), len(frame)))
        )
    if index >= REGION_FROM_MONTH:
        frame = frame.with_columns(
            gateway_region=lookup(
                GATEWAY_REGIONS, rng.integers(0, len(GATEWAY_REGIONS), len(frame))
            )
        )
    if index == STRINGIFIED_MONTH:
        frame = frame.with_columns(
            iso(frame["occurred_at"]).alias("occurred_at"),
            *(pl.col(c).cast(pl.String) for c in frame.columns if c != "occurred_at"),
        )
    return _plant_requests(frame, REQUEST_PLANTS.get(index, ()), label)


def write_requests(
    directory: Path,
    seed: int,
    requests: int,
    streams: list[Stream],
    people: People,
    config: Config,
    cal: Calendar,
) -> list[Path]:
    tables = model_tables(config, streams)
    intensity = np.vstack([stream.intensity for stream in streams]) * cal.day_factor
    probabilities = intensity.ravel() / intensity.sum()
    counts = np.random.default_rng([seed, 10]).multinomial(requests, probabilities)
    counts = counts.reshape(intensity.shape)
    paths = []
    for index, (label, first, stop) in enumerate(cal.months):
        rng = np.random.default_rng([seed, 11, index])
        block = counts[:, first:stop]
        width = stop - first
        cell_stream = np.repeat(np.arange(len(streams)), width)
        cell_day = np.tile(np.arange(first, stop), len(streams))
        flat = block.ravel()
        frame = request_month(
            rng,
            np.repeat(cell_stream, flat),
            np.repeat(cell_day, flat),
            streams,
            tables,
            people,
            config,
            cal,
            label,
        )
        frame = _export_shape(frame, rng, index, label)
        path = directory / f"requests_{label}.parquet"
        frame.write_parquet(path, compression="zstd", row_group_size=262_144)
        paths.append(path)
    return paths
