"""How each of Contoso's use cases behaves in the generated data (by `use_case_id` in
`seeds/use_cases.csv`), and how the traffic tagged with no use case behaves.
"""

from __future__ import annotations

from dataclasses import dataclass

from cadence.demo.organisation.models import UNTAGGED_MODEL_MIX


@dataclass(frozen=True)
class UseCaseProfile:
    """How a use case behaves in the generated data (weights are relative)."""

    traffic: float = 0.04
    runs: float = 0.05
    operations: tuple[tuple[str, float], ...] = (
        ("chat", 0.7),
        ("retrieval", 0.15),
        ("embeddings", 0.15),
    )
    models: tuple[tuple[str, float], ...] = (("gpt-4o-mini", 0.5), ("gpt-4.1", 0.5))
    classification: tuple[float, float, float, float] = (0.05, 0.55, 0.35, 0.05)
    cycle_minutes: float = 600.0
    ai_speedup: float = 0.75
    outcomes: tuple[float, float, float] = (0.70, 0.25, 0.05)
    exception_rate: float = 0.04
    publishes: bool = False
    quality: tuple[float, float] = (8.0, 2.0)
    feedback: tuple[float, float, float] = (0.12, 0.14, 0.74)


USE_CASE_PROFILES: dict[str, UseCaseProfile] = {
    "uc_claims_triage": UseCaseProfile(
        traffic=0.12,
        runs=0.16,
        operations=(
            ("chat", 0.45),
            ("invoke_agent", 0.15),
            ("execute_tool", 0.10),
            ("retrieval", 0.15),
            ("embeddings", 0.15),
        ),
        models=(("gpt-4o", 0.5), ("gpt-4.1", 0.3), ("gpt-4o-mini", 0.2)),
        classification=(0.02, 0.28, 0.60, 0.10),
        cycle_minutes=4320,
        ai_speedup=0.62,
    ),
    "uc_contact_center_assist": UseCaseProfile(
        traffic=0.22,
        runs=0.30,
        operations=(
            ("chat", 0.55),
            ("retrieval", 0.20),
            ("embeddings", 0.15),
            ("execute_tool", 0.10),
        ),
        models=(("gpt-4o-mini", 0.5), ("gpt-4.1-mini", 0.2), ("gpt-4o", 0.3)),
        classification=(0.0, 0.35, 0.55, 0.10),
        cycle_minutes=11,
        ai_speedup=0.8,
    ),
    "uc_email_triage": UseCaseProfile(
        traffic=0.09,
        runs=0.12,
        models=(("gpt-4o-mini", 0.6), ("claude-sonnet-4", 0.4)),
        classification=(0.0, 0.30, 0.60, 0.10),
        cycle_minutes=1080,
        ai_speedup=0.55,
    ),
    "uc_code_review_assistant": UseCaseProfile(
        traffic=0.16,
        runs=0.14,
        operations=(
            ("text_completion", 0.35),
            ("chat", 0.45),
            ("execute_tool", 0.10),
            ("embeddings", 0.10),
        ),
        models=(("claude-sonnet-4", 0.6), ("gpt-4.1", 0.4)),
        classification=(0.10, 0.80, 0.10, 0.0),
        cycle_minutes=1800,
        ai_speedup=0.75,
    ),
    "uc_hr_helpdesk": UseCaseProfile(
        traffic=0.05,
        runs=0.06,
        models=(("gpt-4.1", 0.5), ("claude-sonnet-4", 0.5)),
        classification=(0.0, 0.40, 0.45, 0.15),
        cycle_minutes=1560,
        ai_speedup=0.65,
    ),
    "uc_finance_close": UseCaseProfile(
        traffic=0.03,
        runs=0.04,
        operations=(("chat", 0.8), ("execute_tool", 0.2)),
        models=(("gpt-4.1", 0.6), ("gpt-4o", 0.4)),
        classification=(0.0, 0.20, 0.70, 0.10),
        cycle_minutes=480,
        ai_speedup=0.98,
    ),
    "uc_kyc_review": UseCaseProfile(
        traffic=0.05,
        runs=0.06,
        operations=(
            ("chat", 0.5),
            ("invoke_agent", 0.2),
            ("retrieval", 0.15),
            ("embeddings", 0.15),
        ),
        models=(("gpt-4o", 1.0),),
        classification=(0.0, 0.10, 0.50, 0.40),
        cycle_minutes=40,
        ai_speedup=0.7,
        outcomes=(0.60, 0.33, 0.07),
    ),
    "uc_contract_review": UseCaseProfile(
        traffic=0.04,
        runs=0.06,
        models=(("claude-sonnet-4", 0.5), ("gpt-4o", 0.5)),
        classification=(0.0, 0.20, 0.60, 0.20),
        cycle_minutes=9360,
        ai_speedup=0.9,
        outcomes=(0.33, 0.29, 0.38),
        exception_rate=0.09,
        quality=(4.0, 3.0),
        feedback=(0.40, 0.15, 0.45),
    ),
    "uc_regulatory_change": UseCaseProfile(
        traffic=0.02,
        operations=(("chat", 0.8), ("retrieval", 0.2)),
        models=(("gpt-4o", 1.0),),
        classification=(0.0, 0.40, 0.50, 0.10),
    ),
    "uc_alt_text": UseCaseProfile(
        traffic=0.08,
        runs=0.08,
        operations=(("generate_content", 0.8), ("chat", 0.2)),
        models=(("gemini-2.5-flash", 0.7), ("gpt-4.1", 0.3)),
        classification=(0.65, 0.35, 0.0, 0.0),
        cycle_minutes=1800,
        ai_speedup=0.4,
        outcomes=(0.78, 0.18, 0.04),
        publishes=True,
    ),
    "uc_video_metadata": UseCaseProfile(
        traffic=0.04,
        runs=0.05,
        operations=(("generate_content", 0.6), ("chat", 0.4)),
        models=(("gemini-2.5-flash", 0.6), ("gpt-4.1-mini", 0.4)),
        classification=(0.5, 0.5, 0.0, 0.0),
        cycle_minutes=3240,
        ai_speedup=0.6,
        publishes=True,
    ),
    "uc_marketing_copy": UseCaseProfile(
        traffic=0.02,
        operations=(("chat", 1.0),),
        models=(("gpt-4.1", 0.5), ("claude-sonnet-4", 0.5)),
        classification=(0.4, 0.6, 0.0, 0.0),
        publishes=True,
    ),
    "uc_sales_proposals": UseCaseProfile(
        traffic=0.02,
        models=(("gpt-4.1", 0.6), ("claude-sonnet-4", 0.4)),
        classification=(0.0, 0.5, 0.5, 0.0),
    ),
    "uc_knowledge_search": UseCaseProfile(
        traffic=0.10,
        runs=0.05,
        operations=(("retrieval", 0.35), ("embeddings", 0.25), ("chat", 0.40)),
        models=(("gpt-4o-mini", 0.7), ("gpt-4.1-mini", 0.3)),
        classification=(0.2, 0.7, 0.1, 0.0),
        cycle_minutes=6,
        ai_speedup=0.85,
    ),
}
UNTAGGED_PROFILE = UseCaseProfile(
    traffic=0.9,
    operations=(
        ("chat", 0.78),
        ("text_completion", 0.05),
        ("embeddings", 0.06),
        ("retrieval", 0.04),
        ("invoke_agent", 0.04),
        ("execute_tool", 0.03),
    ),
    models=UNTAGGED_MODEL_MIX,
    classification=(0.20, 0.60, 0.17, 0.03),
)


#: Share of a use case's AI-assisted runs that a person reviews, by its risk tier.
REVIEW_RATE = {"high": 1.0, "medium": 0.85, "low": 0.55}
