import streamlit as st

from app import data

st.title("Published warehouse")
pointer = data.published()
if pointer is None:
    st.info(
        "No warehouse is published yet. Ingest data with `cadence ingest <entity> FILE...` "
        "(or run `make demo`), then `cadence build`."
    )
else:
    st.caption(f"Build {pointer['build_id']}, published {pointer['published_at']}")
    st.dataframe(data.public_tables(), width="stretch", hide_index=True)
