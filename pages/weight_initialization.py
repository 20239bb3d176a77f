"""Weight initialization (placeholder until its dashboard lands)."""

import streamlit as st

st.title("Weight initialization")
st.write("Zeros, small, large, Xavier, Glorot and He: the same network trained six ways.")
st.info("This page is being built; the experiment will appear here.")
