"""The models Contoso's people reach beyond the approved catalogue (`seeds/models.csv`), and
the mix of models behind traffic tagged with no use case.
"""

#: Models outside the catalogue that people reach through the web proxy (shadow AI).
ABSENT_MODELS: tuple[tuple[str, str, float, float], ...] = (
    ("deepseek", "deepseek-chat", 0.00027, 0.0011),
    ("mistral", "mistral-large-latest", 0.002, 0.006),
)
#: Share of untagged requests going to shadow models, per business unit, at the start
#: (it falls by 60% over the period as the approved catalogue widens), and their mix.
SHADOW_BY_BUSINESS_UNIT: dict[str, tuple[float, tuple[tuple[str, float], ...]]] = {
    "bu_marketing": (
        0.16,
        (("deepseek-chat", 0.65), ("gemini-1.5-pro", 0.25), ("claude-3-haiku", 0.10)),
    ),
    "bu_engineering": (
        0.09,
        (("deepseek-chat", 0.55), ("claude-3-haiku", 0.35), ("gemini-1.5-pro", 0.10)),
    ),
    "bu_media": (0.04, (("mistral-large-latest", 0.65), ("gemini-1.5-pro", 0.35))),
}
SHADOW_DEFAULT: tuple[float, tuple[tuple[str, float], ...]] = (
    0.006,
    (("claude-3-haiku", 0.5), ("gemini-1.5-pro", 0.5)),
)
UNTAGGED_MODEL_MIX: tuple[tuple[str, float], ...] = (
    ("gpt-4.1", 0.22),
    ("gpt-4.1-mini", 0.25),
    ("gpt-4o", 0.15),
    ("gpt-4o-mini", 0.12),
    ("claude-sonnet-4", 0.14),
    ("gemini-2.5-flash", 0.12),
)
