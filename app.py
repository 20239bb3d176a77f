"""Optimization Setup Lab: the entry point. `streamlit run serve.py` serves it warmed (see
serve.py); `streamlit run app.py` runs it as it is."""

import os
from pathlib import Path

# One BLAS thread per process, set before numpy loads: many small matrix products slow
# down badly when BLAS threads compete for two cores with twenty sessions (the heaviest
# simulation took 2.1–3.4 s of CPU with the default threads, 0.9–1.25 s with one).
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import streamlit as st  # noqa: E402

from core.network import PLANTED_BUGS  # noqa: E402
from panels.walkthrough import numeric_controls, walkthrough  # noqa: E402
from ui.charts import forget_drawn, page_data_button  # noqa: E402
from ui.entry import ROOT, navigation  # noqa: E402
from ui.links import mend_link  # noqa: E402
from ui.page_style import style_page  # noqa: E402
from ui.presentation import presentation_toggle, requested  # noqa: E402

# The icon is a file of the app's own: a Material icon's picture would come from Google's
# servers, which a lecture hall without internet cannot reach.
ICON = str(ROOT / "ui" / "favicon.png")

# First, before the navigation: a page's own icon would otherwise be the tab's, and a
# Material icon's picture comes from Google. On a projector the sidebar starts folded.
st.set_page_config(
    page_title="Optimization Setup Lab",
    page_icon=ICON,
    layout="wide",
    initial_sidebar_state="collapsed" if requested() else "auto",
)
page, path = navigation()
# Links from before the planted bugs' selects showed words held the bugs' code names.
OLD_BUG_NAMES = {name: bug.label for name, bug in PLANTED_BUGS.items()}
mend_link(
    page, renamed={"gc_bug": OLD_BUG_NAMES, "gp_guess": OLD_BUG_NAMES}, numbers=numeric_controls
)
style_page(presentation_toggle())
walkthrough(path)
forget_drawn()
page.run()
page_data_button(Path(path).stem)
