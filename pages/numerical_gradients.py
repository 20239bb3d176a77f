"""Numerical gradients: one-sided and two-sided differences, their geometry and their error."""

import streamlit as st

from charts import numerical_gradients as charts
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
    "Shrink ε and watch the errors: the one-sided quotient's falls like ε, the two-sided "
    "one's like ε², until round-off takes over."
)

# The experiment first: the step and the function beside the errors they give.
step_box, function_box, headline_box = st.columns([5, 3, 4], vertical_alignment="bottom")
epsilon = panel.epsilon_control(step_box)
formula = panel.formula_control(function_box)
theta = panel.theta_control()
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

text = formula.text
kink = panel.kink(text, theta)
at_epsilon = {d: panel.sweep(text, theta, d, (epsilon,)) for d in DIGITS}
curves = {d: panel.sweep(text, theta, d) for d in DIGITS}
g, above = panel.hero_geometry(text, theta, epsilon)
across = at_epsilon["float64"].kink if not kink else float("nan")  # a kink inside θ ± ε

secants, errors = st.columns(2, gap="medium")
show(charts.tangent_chart, name="secants_against_tangent",
     tables=charts.tangent_tables(above, g, kink), description=panel.tangent_description(kink),
     where=secants)  # fmt: skip
secants.caption(panel.tangent_caption(curves["float64"], epsilon, kink))
chart_box = errors.container()
dtype = panel.dtype_control(errors)
chosen = curves[dtype]
top = panel.headline(at_epsilon[dtype], g.f_theta)
headline_box.metric(top.label, top.value, top.delta, delta_color=top.color, delta_arrow=top.arrow)
sides = charts.error_sides(chosen, kink)
reach = chosen.kink_distance if not kink else float("inf")
lecture = charts.LECTURE_METHODS
show(charts.error_chart, theory=False, name=f"error_vs_epsilon_{dtype}", where=chart_box,
     tables=charts.error_tables(*charts.sweep_frames(chosen, kink, lecture), epsilon,
                                charts.short(epsilon), panel.turning_point(chosen), sides, reach,
                                f"kink at {chosen.kink:.6g} inside θ ± ε →"),
     description=panel.error_description(chosen, lecture))  # fmt: skip
errors.caption(panel.error_caption(dtype, sides, chosen, lecture))
st.markdown(panel.error_notice(at_epsilon, curves, dtype, epsilon, kink, g))

# The lecture's two quotients, worked out with these numbers.
st.header("The lecture's two quotients")
shown = panel.shown_numbers(g)
st.markdown(
    f"With θ = {shown.theta} and ε = {shown.epsilon}, in float64, against "
    f"f′(θ) = {charts.number(g.derivative)}:"
)
st.latex(panel.function_latex(formula))
for method, column in zip(lecture, st.columns(2, gap="medium"), strict=True):
    column.latex(panel.lecture_latex(method))
    column.latex(panel.live_latex(shown, g, method))
st.caption("Both orders need f smooth between θ − ε and θ + ε.")


def picture_section():
    """The lecture's picture: f, its tangent and both triangles in a window around θ."""
    st.header("The lecture's picture")
    controls, drawing = st.columns([1, 2], gap="medium")
    half_width = panel.window_control(controls)
    smooth_below = curves["float64"].kink_distance
    drawn = epsilon if kink else panel.picture_epsilon(text, theta, epsilon, half_width,
                                                       smooth_below)  # fmt: skip
    picture = panel.geometry(text, theta, drawn, half_width)
    show(charts.secant_chart, name="secants", where=drawing,
         tables=charts.secant_tables(picture, panel.points_apart(drawn, half_width), kink, across),
         description=panel.picture_description())  # fmt: skip
    caption = panel.picture_caption(text, theta, epsilon, drawn, half_width, kink,
                                    panel.tangent_below(curves["float64"]), across)  # fmt: skip
    controls.caption(caption)


# A fragment: its window control reruns the picture only (in presentation mode the
# control is in the sidebar, where Streamlit 1.67's fragments can draw too).
st.fragment(picture_section)()

methods = st.expander("Four methods at this ε, in float64 and float32", key="ng_methods",
                      on_change="rerun")  # fmt: skip
if methods.open:  # drawn only when opened
    methods.dataframe(charts.estimate_frame(at_epsilon, DIGITS))
    methods.caption(panel.estimates_caption(formula))
    every = tuple(chosen.methods)
    show(charts.error_chart, title="Error against ε, every method",
         name=f"error_vs_epsilon_all_{dtype}",
         tables=charts.error_tables(*charts.sweep_frames(chosen, kink), epsilon,
                                    charts.short(epsilon), panel.turning_point(chosen), sides,
                                    reach, f"kink at {chosen.kink:.6g} inside θ ± ε →"),
         description=panel.error_description(chosen, every, theory=True))  # fmt: skip
    st.caption(panel.error_caption(dtype, sides, chosen, every, theory=True))
    st.caption(
        "The complex step subtracts nothing, so round-off never takes over, but it needs an "
        "analytic f. Richardson combines two two-sided quotients to cancel their ε² term."
    )

link.report()
