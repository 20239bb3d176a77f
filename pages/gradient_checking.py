"""Gradient checking (placeholder until its dashboard lands)."""

import streamlit as st

st.title("Gradient checking")
st.write("Plant a bug in backprop and let the relative difference point at the broken block.")
st.info("This page is being built; the experiment will appear here.")
