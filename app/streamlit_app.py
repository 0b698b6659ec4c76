"""The cadence review app: router, page config and the shared sidebar. Pages live in
app/app_pages/. `?role=executive|sponsor|platform` picks the landing page."""

import streamlit as st

from app import data, settings, shell

st.set_page_config(
    page_title="cadence · AI operating-model scorecard",
    page_icon="📈",  # an emoji favicon is inlined; a Material one is fetched from a CDN
    layout="wide",
    initial_sidebar_state="expanded",
)
# The wide layout's 5rem side margins leave a 1280 px screen with the sidebar open 820 px
# for a review's tables; 2rem gives them 916 px.
st.html(
    "<style>[data-testid='stMainBlockContainer']{padding-left: 2rem; padding-right: 2rem}</style>"
)

ROLE_LANDING = {"executive": "quarterly", "sponsor": "monthly", "platform": "weekly"}

PAGES = {
    "quarterly": st.Page(
        "app_pages/quarterly_executive_review.py",
        title="Quarterly executive review",
        icon=":material/account_balance:",
    ),
    "monthly": st.Page(
        "app_pages/monthly_portfolio_review.py",
        title="Monthly portfolio review",
        icon=":material/query_stats:",
    ),
    "weekly": st.Page(
        "app_pages/weekly_operations_review.py",
        title="Weekly operations review",
        icon=":material/monitor_heart:",
    ),
    "use_case": st.Page(
        "app_pages/use_case_detail.py", title="Use case detail", icon=":material/target:"
    ),
    "data_health": st.Page(
        "app_pages/data_health.py", title="Data health", icon=":material/health_and_safety:"
    ),
}
GRAIN = {"quarterly": "quarter", "monthly": "month", "weekly": "week"}


def land() -> None:
    """The root URL: send each role to its review (`?role=`, else the configured default)."""
    role = str(st.query_params.get("role", settings.default_role())).lower()
    landing = ROLE_LANDING.get(role, ROLE_LANDING[settings.default_role()])
    st.switch_page(PAGES[landing])


# Every review keeps its own URL (/quarterly_executive_review, ...); the hidden default page
# at the root only routes.
PAGES["landing"] = st.Page(
    land, title="cadence", url_path="landing", default=True, visibility="hidden"
)

navigation = st.navigation(
    {
        "Reviews": [PAGES["quarterly"], PAGES["monthly"], PAGES["weekly"], PAGES["landing"]],
        "Drill down": [PAGES["use_case"], PAGES["data_health"]],
    }
)
current = next(name for name, page in PAGES.items() if page.title == navigation.title)

# A writer may publish and prune between this rerun's reading of the pointer and a query
# opening the file: rerun on the new pointer (a few times at most), never show the gap.
SUPERSEDED_RERUNS = "_cadence_superseded_reruns"
try:
    if current != "landing":
        shell.sidebar(GRAIN.get(current), organisational_filters=current != "data_health")
    navigation.run()
    st.session_state[SUPERSEDED_RERUNS] = 0
except data.WarehouseGone as gone:
    reruns = st.session_state.get(SUPERSEDED_RERUNS, 0)
    if reruns < 3 and data.is_superseded(gone):
        st.session_state[SUPERSEDED_RERUNS] = reruns + 1
        st.rerun()
    st.session_state[SUPERSEDED_RERUNS] = 0
    st.warning(str(gone), icon=":material/database_off:")
except data.DataUnavailable as problem:
    st.warning(str(problem), icon=":material/database_off:")
