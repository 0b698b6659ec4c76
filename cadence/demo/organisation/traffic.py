"""The shape of Contoso's gateway requests: sizes and latencies per operation, the
gateway's regions and the prompts of the months whose export still carries them.
"""

#: Per operation: median input tokens, median output tokens, median latency (ms).
OPERATION_SHAPE: dict[str, tuple[float, float, float]] = {
    "chat": (1200, 350, 1600),
    "text_completion": (600, 120, 700),
    "embeddings": (350, 0, 90),
    "retrieval": (120, 0, 180),
    "execute_tool": (800, 150, 450),
    "invoke_agent": (5000, 900, 6500),
    "generate_content": (1500, 300, 2200),
}
GATEWAY_REGIONS = ("westeurope", "northeurope", "eastus2")
PROMPTS = (
    "Summarise the attached notes in five bullet points for my manager.",
    "Draft a polite reply to the customer explaining the next steps.",
    "Rewrite this paragraph in plain English.",
    "What does clause 14.2 of the supplier agreement mean for renewal?",
    "Generate test cases for the function below.",
    "Translate this message into German and French.",
    "Extract the policy number, claim date and amount from this email.",
    "Suggest three subject lines for the campaign email.",
    "Explain this SQL error and propose a fix.",
    "Create an agenda for Thursday's project review.",
)
