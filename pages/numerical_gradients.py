"""Numerical gradients (placeholder until its dashboard lands)."""

import streamlit as st

st.title("Numerical gradients")
st.write("One-sided against two-sided differences: secants, tangent, and the error's U-curve.")
st.info("This page is being built; the experiment will appear here.")
