"""Numerical gradients: one-sided and two-sided differences, their geometry and their error."""

import streamlit as st

from charts.numerical_gradients import (
    error_chart,
    error_sides,
    estimate_frame,
    number,
    secant_chart,
    secant_frames,
    sweep_frames,
    tex,
)
from core.finite_differences import is_exact_for_f
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
    "A derivative is the slope of a tangent, but a computer can only measure the slopes of "
    "secants. Step ε to one side of θ and the secant's slope is off by an amount that "
    "shrinks like ε; step both ways and the first-order errors cancel, leaving one that "
    "shrinks like ε². Make ε too small, though, and round-off takes over."
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

st.latex(rf"f(\theta) = {formula.latex},\qquad f'(\theta) = {formula.derivative_latex}")
lecture, live = st.columns([2, 3])
lecture.markdown("**The lecture's two quotients**")
lecture.latex(r"\frac{f(\theta+\varepsilon)-f(\theta)}{\varepsilon} = f'(\theta) + O(\varepsilon)")
lecture.latex(
    r"\frac{f(\theta+\varepsilon)-f(\theta-\varepsilon)}{2\varepsilon}"
    r" = f'(\theta) + O(\varepsilon^2)"
)
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
secants = secant_frames(g, panel.points_apart(epsilon, half_width), kink)
show(secant_chart, *secants, name="secants", where=left)
straight = is_exact_for_f(curves["float64"], "forward")
if note := panel.picture_caption(formula.text, theta, epsilon, half_width, kink, straight):
    left.caption(note)
chosen = curves[dtype]
turning, sides = panel.turning_point(chosen), error_sides(chosen, kink)
show(error_chart, *sweep_frames(chosen, kink), epsilon, e, turning, sides,
     name=f"error_vs_epsilon_{dtype}", where=right)  # fmt: skip
right.caption(panel.error_caption(dtype, sides))
st.info(panel.error_notice(at_epsilon, curves, dtype, epsilon, kink))

link.report()
