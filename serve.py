"""The app as it is served: `streamlit run serve.py`.

The same app as `streamlit run app.py`, with every page's defaults computed as the
server starts (serving/warm_up.py) instead of on its first visitor's time, and a
``/ready`` route that says when that is done.
"""

import streamlit as st

from serving.warm_up import ROUTES, lifespan

app = st.App("app.py", lifespan=lifespan, routes=ROUTES)
