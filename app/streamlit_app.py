"""The cadence review app: router, shared settings. Pages live in app/app_pages/."""

import streamlit as st

st.set_page_config(page_title="cadence", page_icon=":material/monitoring:", layout="wide")

navigation = st.navigation(
    {
        "Warehouse": [
            st.Page(
                "app_pages/warehouse.py",
                title="Published warehouse",
                icon=":material/database:",
                default=True,
            )
        ]
    }
)
navigation.run()
