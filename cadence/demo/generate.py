"""`generate`: write the demo organisation's canonical files (the package docstring says what
they hold and show).

It checks the arguments, reads the operating model, lays out the calendar, draws the people,
their licences and the request streams the entity streams share, then has each entity's
module write its files.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from cadence.demo.activity import write_activity
from cadence.demo.contract import COLUMNS
from cadence.demo.enablement_events import write_enablement_events
from cadence.demo.kpi_observations import write_kpi_observations
from cadence.demo.licenses import make_licences, write_licences
from cadence.demo.operating_model import DEFAULT_SEEDS_DIR, Config, load_config
from cadence.demo.people import make_people, write_people
from cadence.demo.profile import (
    DEFAULT_END_DATE,
    DEFAULT_REQUESTS,
    DEFAULT_SEED,
    MIN_PEOPLE,
    MIN_REQUESTS,
    PEOPLE_SHARE_OF_HEADCOUNT,
)
from cadence.demo.requests import write_requests
from cadence.demo.streams import make_streams
from cadence.demo.survey_responses import write_survey_responses
from cadence.demo.timeline import make_calendar
from cadence.demo.workflow_events import write_workflow_events

#: The files of each entity, by glob: removed before writing, so no stale month remains.
FILE_PATTERNS: dict[str, str] = {
    "requests": "requests_*.parquet",
    "activity": "*_usage.csv",
    "workflow_events": "workflow_events.jsonl",
    "kpi_observations": "kpi_observations.csv",
    "survey_responses": "survey_responses.jsonl",
    "enablement_events": "enablement_events.csv",
    "people": "people.csv",
    "licenses": "licenses.parquet",
}


def _people_count(config: Config, people: int | None) -> int:
    headcount = sum(count for _, count in config.business_units)
    n_people = people if people is not None else round(PEOPLE_SHARE_OF_HEADCOUNT * headcount)
    if n_people < MIN_PEOPLE:
        raise ValueError(f"people must be at least {MIN_PEOPLE}")
    return n_people


def _entity_dirs(out_dir: Path) -> dict[str, Path]:
    """`out_dir/<entity>/` for each entity, created, without the files of an earlier run."""
    directory = {entity: out_dir / entity for entity in COLUMNS}
    for entity, pattern in FILE_PATTERNS.items():
        directory[entity].mkdir(parents=True, exist_ok=True)
        for stale in directory[entity].glob(pattern):
            stale.unlink()
    return directory


def generate(
    out_dir: Path,
    *,
    requests: int = DEFAULT_REQUESTS,
    seed: int = DEFAULT_SEED,
    end_date: date = DEFAULT_END_DATE,
    seeds_dir: Path | None = None,
    people: int | None = None,
) -> dict[str, list[Path]]:
    """Write the demo organisation's canonical files under out_dir; return {entity: [files]}.

    `requests` scales the gateway requests (and, capped, the workflow runs); `people` is the
    size of the people directory (default: 75% of the eligible headcount in
    `business_units.csv`). Activity, licences, surveys and enablement follow the people.
    Keep `end_date` in the past: the ingest quarantines rows dated in the future.
    """
    if requests < MIN_REQUESTS:
        raise ValueError(f"requests must be at least {MIN_REQUESTS}")
    config = load_config(Path(seeds_dir) if seeds_dir is not None else DEFAULT_SEEDS_DIR)
    cal = make_calendar(end_date)
    n_people = _people_count(config, people)
    directory = _entity_dirs(Path(out_dir))
    staff = make_people(np.random.default_rng([seed, 1]), config, n_people, cal)
    licences = make_licences(np.random.default_rng([seed, 2]), staff, config, cal)
    streams = make_streams(config, staff, cal)
    return {
        "requests": write_requests(
            directory["requests"], seed, requests, streams, staff, config, cal
        ),
        "activity": write_activity(
            directory["activity"], np.random.default_rng([seed, 3]), licences, staff, cal
        ),
        "workflow_events": [
            write_workflow_events(
                directory["workflow_events"] / "workflow_events.jsonl",
                seed,
                requests,
                config,
                staff,
                cal,
            )
        ],
        "kpi_observations": [
            write_kpi_observations(
                directory["kpi_observations"] / "kpi_observations.csv", seed, config, cal
            )
        ],
        "survey_responses": [
            write_survey_responses(
                directory["survey_responses"] / "survey_responses.jsonl", seed, config, staff, cal
            )
        ],
        "enablement_events": [
            write_enablement_events(
                directory["enablement_events"] / "enablement_events.csv", seed, config, staff, cal
            )
        ],
        "people": [
            write_people(
                directory["people"] / "people.csv",
                np.random.default_rng([seed, 4]),
                staff,
                config,
                cal,
            )
        ],
        "licenses": [
            write_licences(
                directory["licenses"] / "licenses.parquet",
                np.random.default_rng([seed, 5]),
                licences,
                staff,
                cal,
            )
        ],
    }
