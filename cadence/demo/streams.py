"""Who sends the gateway requests, how many per day, and to which models.

A stream is the untagged traffic (everyone who has adopted AI, along the adoption S-curve) or
one use case's traffic (its business unit's adopters, light in pilot and ramping after its
production date). `ModelTables` holds, per stream and per business unit, the model mixes the
requests draw from and the fall-backs the routing uses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cadence.demo.operating_model import Config, Model, UseCase
from cadence.demo.organisation.models import SHADOW_BY_BUSINESS_UNIT, SHADOW_DEFAULT
from cadence.demo.organisation.use_cases import (
    UNTAGGED_PROFILE,
    USE_CASE_PROFILES,
    UseCaseProfile,
)
from cadence.demo.people import People
from cadence.demo.sampling import cumulative
from cadence.demo.timeline import Calendar, retire_day


@dataclass
class Pool:
    """People eligible for a stream, ordered by adoption day, with cumulative propensity."""

    order: np.ndarray
    adopt: np.ndarray
    cumulative: np.ndarray

    def pick(self, rng: np.random.Generator, day: np.ndarray) -> np.ndarray:
        k = np.maximum(np.searchsorted(self.adopt, day, side="right"), 1)
        u = rng.random(len(day)) * self.cumulative[k - 1]
        j = np.minimum(np.searchsorted(self.cumulative, u, side="right"), k - 1)
        return self.order[j]


def _pool(people: People, members: np.ndarray) -> Pool | None:
    members = members[people.adopt_day[members] < 10**5]
    if len(members) == 0:
        return None
    order = members[np.argsort(people.adopt_day[members], kind="stable")]
    return Pool(order, people.adopt_day[order], np.cumsum(people.propensity[order]))


@dataclass
class Stream:
    use_case: UseCase | None
    profile: UseCaseProfile
    pool: Pool
    intensity: np.ndarray


def _use_case_phase(use_case: UseCase, cal: Calendar) -> np.ndarray:
    """Relative traffic of a use case per day: light in pilot, ramping in production."""
    days = np.arange(cal.n_days)
    phase = np.zeros(cal.n_days)
    if use_case.pilot_start is not None:
        phase[days >= cal.day_of(use_case.pilot_start)] = 0.12
    if use_case.production is not None:
        live = cal.day_of(use_case.production)
        ramp = 0.3 + 0.7 * np.clip((days - live) / 42, 0, 1)
        if use_case.stage == "scaled":
            ramp = ramp * (1 + 0.6 * np.clip((days - live - 120) / 90, 0, 1))
        phase = np.where(days >= live, ramp, phase)
    phase[days >= retire_day(use_case, cal)] = 0.0
    return phase


def make_streams(config: Config, people: People, cal: Calendar) -> list[Stream]:
    """The untagged stream first, then one per use case with any traffic in the period."""
    everyone = _pool(people, np.arange(len(people.user_ids)))
    assert everyone is not None, "nobody ever adopts AI: raise `people`"
    days = np.arange(cal.n_days)
    adopted = np.sort(people.adopt_day[people.adopt_day < 10**5])
    share = np.searchsorted(adopted, days, side="right") / len(people.user_ids)
    untagged = UNTAGGED_PROFILE.traffic * share * (1 - 0.2 * days / cal.n_days)
    streams = [Stream(None, UNTAGGED_PROFILE, everyone, untagged)]
    unit_ids = [unit for unit, _ in config.business_units]
    for use_case in config.use_cases:
        phase = _use_case_phase(use_case, cal)
        if not phase.any():
            continue
        profile = USE_CASE_PROFILES.get(use_case.use_case_id, UseCaseProfile())
        unit = (
            unit_ids.index(use_case.business_unit_id)
            if use_case.business_unit_id in unit_ids
            else -1
        )
        pool = _pool(people, np.flatnonzero(people.bu0 == unit)) or everyone
        streams.append(Stream(use_case, profile, pool, profile.traffic * phase))
    return streams


@dataclass
class ModelTables:
    """Per-stream cumulative model mixes and the routing fall-backs, over config.models."""

    chat: np.ndarray
    embed: np.ndarray
    shadow: np.ndarray  # per business unit, over models
    shadow_rate: np.ndarray  # per business unit
    chat_fallback: int
    embed_fallback: int
    agent_model: int


def _best(models: tuple[Model, ...], candidates: list[int]) -> int:
    """The candidate cleared for the most sensitive data (the first of equals)."""
    return max(candidates, key=lambda i: (models[i].max_class, -i))


def _stream_mixes(
    models: tuple[Model, ...], streams: list[Stream]
) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Per stream, weights over models for chat and for embeddings; the two fall-backs."""
    by_name = {m.model: i for i, m in enumerate(models)}
    approved = [i for i, m in enumerate(models) if m.approved]
    approved_chat = [i for i in approved if not models[i].is_embedding]
    approved_embed = [i for i in approved if models[i].is_embedding] or approved_chat
    embed_default = min(approved_embed, key=lambda i: (models[i].max_class, i))
    embed_secure = _best(models, approved_embed)
    chat = np.zeros((len(streams), len(models)))
    embed = np.zeros((len(streams), len(models)))
    for s, stream in enumerate(streams):
        for name, weight in stream.profile.models:
            if name in by_name and models[by_name[name]].approved:
                chat[s, by_name[name]] += weight
        if chat[s].sum() == 0:
            chat[s, approved_chat] = 1.0
        secure = stream.profile.classification[3] >= 0.1
        embed[s, embed_secure if secure else embed_default] = 1.0
    return chat, embed, _best(models, approved_chat), embed_secure


def _shadow_mixes(models: tuple[Model, ...], unit_ids: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per business unit, weights over the unapproved models, and the shadow share."""
    by_name = {m.model: i for i, m in enumerate(models)}
    shadow = np.zeros((len(unit_ids), len(models)))
    rate = np.zeros(len(unit_ids))
    for u, unit in enumerate(unit_ids):
        rate[u], mix = SHADOW_BY_BUSINESS_UNIT.get(unit, SHADOW_DEFAULT)
        for name, weight in mix:
            if name in by_name and not models[by_name[name]].approved:
                shadow[u, by_name[name]] += weight
        if shadow[u].sum() == 0:
            rate[u] = 0.0
            shadow[u, 0] = 1.0
    return shadow, rate


def model_tables(config: Config, streams: list[Stream]) -> ModelTables:
    models = config.models
    chat, embed, chat_fallback, embed_fallback = _stream_mixes(models, streams)
    shadow, rate = _shadow_mixes(models, [unit for unit, _ in config.business_units])
    by_name = {m.model: i for i, m in enumerate(models)}
    return ModelTables(
        cumulative(chat),
        cumulative(embed),
        cumulative(shadow),
        rate,
        chat_fallback,
        embed_fallback,
        by_name.get("gpt-4o", chat_fallback),
    )
