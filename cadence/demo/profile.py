"""The demo organisation's size and span: the defaults of `generate` and the bounds it checks.

`requests` sets the scale: the gateway requests, and (capped) the workflow runs. The people
directory is `PEOPLE_SHARE_OF_HEADCOUNT` of the eligible headcount in
`seeds/business_units.csv` unless `people` says otherwise; activity, licences, surveys and
enablement follow the people.
"""

from __future__ import annotations

from datetime import date

DEFAULT_END_DATE = date(2026, 11, 22)
HISTORY_MONTHS = 15  # the period starts on the Monday on or before end_date - 15 months
DEFAULT_REQUESTS = 1_000_000
DEFAULT_SEED = 7
MIN_REQUESTS = 1_000
MIN_PEOPLE = 100
PEOPLE_SHARE_OF_HEADCOUNT = 0.75
#: Workflow runs: this share of the requests, clipped to [MIN_WORKFLOW_RUNS, MAX_WORKFLOW_RUNS].
WORKFLOW_RUNS_PER_REQUEST = 0.03
MIN_WORKFLOW_RUNS = 3_000
MAX_WORKFLOW_RUNS = 300_000
