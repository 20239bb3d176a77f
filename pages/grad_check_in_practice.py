"""Grad check in practice (placeholder until its dashboard lands)."""

import streamlit as st

st.title("Grad check in practice")
st.write("Cost, regularization, dropout and ReLU kinks: each rule of thumb as an experiment.")
st.info("This page is being built; the experiment will appear here.")
