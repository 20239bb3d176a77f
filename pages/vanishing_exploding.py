"""Vanishing & exploding gradients (placeholder until its dashboard lands)."""

import streamlit as st

st.title("Vanishing & exploding gradients")
st.write("Push a signal through hundreds of layers and see where float32 and float64 give up.")
st.info("This page is being built; the experiment will appear here.")
