"""Numerical gradients: one-sided and two-sided differences, their geometry and their error."""

import streamlit as st

from charts.numerical_gradients import (
    error_chart,
    error_sides,
    estimate_frame,
    number,
    secant_chart,
    secant_frames,
    short,
    sweep_frames,
    tex,
)
from panels import numerical_gradients as panel
from panels.numerical_gradients import DIGITS
from ui.charts import show
from ui.entry import run_inside_app
from ui.links import SharedLink
from ui.text import markdown_plain

run_inside_app()
st.title("Numerical gradients")
link = SharedLink()
st.write(
    "Shrink ε and watch the errors: the one-sided quotient's falls like ε, the two-sided one's "
    "like ε², until ε is so small that round-off takes over. Both measure a secant's slope in "
    "place of the tangent's; the complex step in the table subtracts nothing, so round-off "
    "never takes over, but it needs an analytic f."
)
formula = panel.formula_controls()
theta, epsilon, dtype, half_width = panel.step_controls()
try:
    formula.check_domain(theta)
except ValueError as error:
    st.error(f"{markdown_plain(error)} Choose another θ or another function.")
    link.report()
    st.stop()
try:
    formula.check_domain([theta - epsilon, theta + epsilon])
except ValueError as error:
    st.warning(f"{error} The differences that step there are undefined: choose a smaller ε.")

g = panel.geometry(formula.text, theta, epsilon, half_width)
at_epsilon = {d: panel.sweep(formula.text, theta, d, (epsilon,)) for d in DIGITS}
curves = {d: panel.sweep(formula.text, theta, d) for d in DIGITS}
t, e, fp, f0, fm = panel.shown_numbers(g)
kink = panel.kink(formula.text, theta)
across = at_epsilon["float64"].kink if not kink else float("nan")  # a kink inside θ ± ε

st.latex(rf"f(\theta) = {formula.latex},\qquad f'(\theta) = {formula.derivative_latex}")
lecture, live = st.columns([2, 3])
lecture.markdown("**The lecture's two quotients**")
lecture.latex(r"\frac{f(\theta+\varepsilon)-f(\theta)}{\varepsilon} = f'(\theta) + O(\varepsilon)")
lecture.latex(
    r"\frac{f(\theta+\varepsilon)-f(\theta-\varepsilon)}{2\varepsilon}"
    r" = f'(\theta) + O(\varepsilon^2)"
)
lecture.caption("Both orders need f smooth between θ − ε and θ + ε.")
live.markdown(f"**With θ = {t} and ε = {e}**, in float64, against f′(θ) = {number(g.derivative)}")
live.markdown(f"f(θ+ε) = f({t}+{e}) = {fp}  ·  f(θ) = {f0}  ·  f(θ−ε) = f({t}−{e}) = {fm}")
quotients = live if panel.fits_beside(fp, fm) else st.container()  # long digits: full width
quotients.latex(rf"\frac{{{tex(fp)} - {tex(f0, True)}}}{{{tex(e)}}} = {tex(number(g.one_sided))}")
quotients.latex(
    rf"\frac{{{tex(fp)} - {tex(fm, True)}}}{{2 \cdot {tex(e)}}} = {tex(number(g.two_sided))}"
)

st.markdown(f"**Estimates of f′(θ) at θ = {t}, ε = {e}**")
st.table(estimate_frame(at_epsilon, DIGITS))
st.caption(panel.estimates_caption(formula))

left, right = st.columns(2)
drawn = (
    epsilon
    if kink
    else panel.picture_epsilon(
        formula.text, theta, epsilon, half_width, curves["float64"].kink_distance
    )
)
picture = panel.geometry(formula.text, theta, drawn, half_width)
secants = secant_frames(picture, panel.points_apart(drawn, half_width), kink, across)
title = f"Secants and tangent at θ, ε = {short(drawn)}"
show(secant_chart, *secants, title, name="secants", where=left)
straight_below = panel.tangent_below(curves["float64"])
caption = panel.picture_caption(
    formula.text, theta, epsilon, drawn, half_width, kink, straight_below, across
)
if caption:
    left.caption(caption)
chosen = curves[dtype]
turning, sides = panel.turning_point(chosen), error_sides(chosen, kink)
reach = chosen.kink_distance if not kink else float("inf")
show(error_chart, *sweep_frames(chosen, kink), epsilon, e, turning, sides, reach,
     f"kink at {chosen.kink:.6g} inside θ ± ε →", name=f"error_vs_epsilon_{dtype}",
     where=right)  # fmt: skip
right.caption(panel.error_caption(dtype, sides, chosen))
st.info(panel.error_notice(at_epsilon, curves, dtype, epsilon, kink, g))

link.report()
