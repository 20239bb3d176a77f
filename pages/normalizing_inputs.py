"""Normalizing inputs (placeholder until its dashboard lands)."""

import streamlit as st

st.title("Normalizing inputs")
st.write("Watch elongated cost contours turn round, and gradient descent need far fewer steps.")
st.info("This page is being built; the experiment will appear here.")
