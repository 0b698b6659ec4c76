"""Contoso, the demo organisation, as literal tables.

The operating model itself (business units, portfolios, use cases, KPIs, the model catalogue)
is configuration in `seeds/` (CONTRACTS §2), read by `cadence.demo.operating_model`. These
modules hold what the seeds do not say: how the organisation behaves in the generated data.

- `workforce`: people's names, job functions, and when each business unit adopts AI.
- `use_cases`: per use case, its traffic, runs, models, data, cycle time and review outcomes.
- `kpis`: per KPI, how much of the gap to its target the organisation closes, and its noise.
- `models`: models beyond the catalogue (shadow AI) and the mix behind untagged traffic.
- `traffic`: request sizes and latencies per operation, gateway regions, example prompts.
"""
