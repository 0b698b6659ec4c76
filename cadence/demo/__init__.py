"""The deterministic demo organisation: canonical input files for `cadence demo`.

`cadence.demo.generate.generate(out_dir, requests=..., seed=..., end_date=...)` writes the
canonical files (CONTRACTS.md §1) of a fictitious enterprise ("Contoso", identities
`@contoso.example`) about fifteen months into scaling AI. It reads the operating-model
configuration in `seeds/` (CONTRACTS.md §2) so that use cases, KPIs, models and business
units agree with it. Same arguments, same bytes: every random draw comes from
`numpy.random.default_rng` keyed by `(seed, stream)`, and nothing reads the clock. The
period runs from the Monday on or before `end_date` minus 15 months through `end_date`
(default 2025-08-18 to the Sunday 2026-11-22).

Files (under `out_dir/<entity>/`), formats chosen to exercise every reader:

- `requests/requests_YYYY-MM.parquet`: one file per calendar month, so large scales stream.
  The first five months carry a `prompt` column (free text the ingest must drop); months
  from the eleventh on carry an extra `gateway_region` column; the eighth month is exported
  with every value as text (numbers and timestamps stringified).
- `activity/github_copilot_usage.csv`, `activity/m365_copilot_usage.csv`: user x day x tool.
- `workflow_events/workflow_events.jsonl`.
- `kpi_observations/kpi_observations.csv`.
- `survey_responses/survey_responses.jsonl`: numbers written as JSON strings.
- `enablement_events/enablement_events.csv`, `people/people.csv`, `licenses/licenses.parquet`.

What the organisation shows (see `planted.PLANTED_EFFECTS`): adoption spreading along an
S-curve with weekday seasonality; traffic of each use case from its pilot (light) and production
date (full); a KPI that improves after launch and is on track (`kpi_claims_cycle_time`);
a KPI that does not move after launch (`kpi_close_days`); the effects `fct_kpi_effects`
must find: a 12-minute fall in claim handling time in the one business unit where claims
triage is live against three flat ones (`kpi_claims_handling_time`), first-contact resolution
improving in a unit without the use case too (`kpi_cc_first_contact_resolution`), a quarterly
KPI with too few periods since launch (`kpi_video_time_to_publish`) and AI-assisted
contact-centre runs faster than the rest (`kpi_cc_handle_time`); a use case whose reviewers
override about a third of AI outputs (`uc_contract_review`); shadow AI through the web
proxy to models absent from the catalogue (`deepseek/deepseek-chat`, mostly Sales and
Marketing and Engineering; `mistral/mistral-large-latest`, mostly Media) and to catalogue
models that are not approved; confidential or restricted data sent to models cleared only
for less; a five-day Azure OpenAI incident (errors and latency); idle and removed licences.
The people directory's `valid_to` is the last day a row is valid (inclusive); a mover's
next row starts the day after.

Modules:

- `generate`: the entry point; checks the arguments and runs the streams below in turn.
- `profile`: the size and span (default requests and end date, people per headcount, bounds).
- `operating_model`: reads `seeds/`; `organisation/`: Contoso's literal tables (names, use
  case and KPI behaviour, shadow models, request shapes); `contract`: the canonical columns
  and coded values; `planted`: the planted stories and bad rows.
- `timeline`, `sampling`, `frames`: the calendar, the shared random draws, arrays to columns.
- One module per entity stream: `people`, `licenses`, `activity`, `streams` (who sends the
  requests) and `requests`, `workflow_events`, `kpi_observations`, `survey_responses`,
  `enablement_events`. Each stream draws from its own generator `(seed, k)`.
"""
