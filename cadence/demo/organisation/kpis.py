"""How each of Contoso's KPIs moves in the generated observations (by `kpi_id` in
`seeds/kpis.csv`).

Most KPIs close a share of the gap to their target along a curve from launch. A KPI with a
`step` moves by exactly that much, at once, in its use case's business unit from its
production date, while the other units it is observed in stay where they were until the use
case is scaled (then they take the same step): the effect the estimator must find
(`fct_kpi_effects`, `planted.PLANTED_EFFECTS`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KpiProfile:
    """How a KPI's observations behave: share of the gap to target realised, grain, units."""

    realisation: float = 0.75
    grain: str = "week"
    business_units: tuple[str | None, ...] | None = None  # None: the use case's unit
    source: str = "bi_extract"
    hidden_baseline: float | None = None  # the truth when kpis.csv leaves baseline empty
    noise: float = 0.025
    decimals: int = 2
    seasonality: float = 0.005  # amplitude of a yearly wave, as a share of the value
    step: float | None = None  # a planted effect (in the KPI's unit) instead of the curve


KPI_PROFILES: dict[str, KpiProfile] = {
    "kpi_claims_cycle_time": KpiProfile(realisation=1.0, source="claims_system", noise=0.02),
    "kpi_claims_cost_per_claim": KpiProfile(
        realisation=0.95,
        grain="month",
        business_units=(None,),
        source="finance_cost_model",
        noise=0.01,
    ),
    # Observed in Claims Operations, where triage goes live, and in three units where it does
    # not until it is scaled: a clear effect against a flat comparison.
    "kpi_claims_handling_time": KpiProfile(
        step=-12.0,
        business_units=("bu_claims", "bu_customer_service", "bu_risk", "bu_finance"),
        source="claims_system",
        noise=0.02,
    ),
    # Improves in both units it is observed in, the one without the use case too: a before /
    # after that the comparison explains away.
    "kpi_cc_first_contact_resolution": KpiProfile(
        realisation=0.95,
        business_units=("bu_customer_service", "bu_claims"),
        source="ccaas_export",
        noise=0.015,
    ),
    "kpi_cc_handle_time": KpiProfile(realisation=1.0, source="ccaas_export"),
    "kpi_email_backlog": KpiProfile(realisation=0.6, source="case_management", decimals=0),
    "kpi_pr_lead_time": KpiProfile(realisation=1.05, source="git_analytics"),
    # A null effect: no move and no seasonality that would pass for one.
    "kpi_close_days": KpiProfile(
        realisation=0.0,
        grain="month",
        source="erp_close_calendar",
        noise=0.008,
        decimals=2,
        seasonality=0.0,
    ),
    "kpi_hr_resolution_time": KpiProfile(realisation=0.75, source="hr_service_desk"),
    "kpi_kyc_alerts_per_analyst": KpiProfile(realisation=0.55, source="case_management"),
    "kpi_contract_turnaround": KpiProfile(realisation=0.25, source="legal_matter_system"),
    "kpi_alt_text_time_to_publish": KpiProfile(
        realisation=1.0, source="dam_export", hidden_baseline=30.0
    ),
    "kpi_metadata_completeness": KpiProfile(realisation=0.9, source="dam_export", noise=0.015),
    # Quarterly: one whole quarter after its June launch by the demo's end, too few to judge.
    "kpi_video_time_to_publish": KpiProfile(realisation=0.8, grain="quarter", source="dam_export"),
    "kpi_search_success_rate": KpiProfile(realisation=0.35, source="search_analytics"),
    "kpi_proposal_turnaround": KpiProfile(realisation=0.0, source="crm_export"),
}
