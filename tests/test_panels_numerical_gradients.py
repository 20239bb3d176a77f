"""The numerical-gradients page's chart builders and sentences, straight from core's
results: each sentence's branches with the numbers that trigger them, and the charts' labels
laid out so that none runs into another, a rule or the plot's edge."""

import functools
import itertools
import math
import re

import numpy as np
import pandas as pd
import pytest

from charts import numerical_gradients as charts
from core.finite_differences import above_tangent, error_sweep, secant_geometry
from core.formula import parse_formula
from panels import numerical_gradients as panel

LECTURE = ("forward", "central")


@functools.cache
def sweep(text, theta=1.0, epsilons=None, dtype="float64", methods=None):
    """The sweep the page makes for f, θ and these steps (all its methods by default)."""
    formula = parse_formula(text)
    if methods is None:
        methods = tuple(
            m for m in charts.METHOD_NAMES if formula.is_analytic or m != "complex_step"
        )
    return error_sweep(formula.f, formula.df, theta, epsilons, np.dtype(dtype), methods)


def geometry(text, theta, epsilon, half_width):
    formula = parse_formula(text)
    return secant_geometry(formula.f, formula.df, theta, epsilon, half_width)


def layer_frames(chart) -> list[pd.DataFrame]:
    return [layer.data for layer in chart.layer if isinstance(layer.data, pd.DataFrame)]


def line_labels(chart) -> pd.DataFrame:
    """The labels drawn beside the lines' right ends (their frame has a text column)."""
    found = [frame for frame in layer_frames(chart) if "text" in frame.columns]
    return found[0]


# ---------------------------------------------------------------- the hero's number


@pytest.mark.parametrize(
    ("text", "theta", "epsilon", "dtype", "delta", "color", "arrow"),
    [
        ("theta**3", 1.0, 0.01, "float64", "301× smaller", "normal", "down"),
        ("theta**3", 1.0, 0.01, "float32", "306× smaller", "normal", "down"),
        ("theta**3", 1.0, 1e-9, "float64", "both: round-off only", "off", "off"),
        ("theta**3", -0.1, 1.0, "float64", "1.4× larger", "inverse", "up"),  # f″ and f‴ pull apart
        ("theta**3", 0.0, 0.01, "float64", "about the same", "off", "off"),  # both ε² when f″ = 0
        ("2*theta + 1", 1.0, 0.01, "float64", "both: round-off only", "off", "off"),
        ("theta**2", 1.0, 0.01, "float64", "two-sided: round-off only", "normal", "down"),
        ("abs(theta)", 0.05, 0.1, "float64", "one-sided: round-off only", "inverse", "up"),
    ],
)
def test_the_headline_compares_the_two_errors_where_both_are_more_than_round_off(
    text, theta, epsilon, dtype, delta, color, arrow
):
    here = sweep(text, theta, (epsilon,), dtype, methods=LECTURE)
    one, two = (here.methods[m].absolute_error[0] for m in LECTURE)
    top = panel.headline(here, geometry(text, theta, epsilon, epsilon).f_theta)
    assert top.label == f"Error at ε = {charts.short(epsilon)}, {dtype}: one-sided → two-sided"
    shown = [f"≤ {here.error_floor:.2g}" if e == here.error_floor else charts.number(e, 3)
             for e in (one, two)]  # fmt: skip
    assert top.value == f"{shown[0]} → {shown[1]}"
    assert (top.delta, top.color, top.arrow) == (delta, color, arrow)


def test_the_headline_of_an_undefined_quotient_compares_nothing():
    here = sweep("log(theta)", 1.0, (1.0,), methods=LECTURE)  # θ − ε = 0
    top = panel.headline(here, 0.0)
    assert top.value.endswith("→ undefined") and top.delta is None


def test_round_off_of_a_quotient_is_a_few_roundings_of_f_over_the_step():
    for dtype, u in (("float64", np.finfo(np.float64).eps), ("float32", np.finfo(np.float32).eps)):
        here = sweep("theta**3", 1.0, (0.01,), dtype, methods=LECTURE)
        assert panel.round_off(here, 1.0) == pytest.approx(4 * u / 0.01)
    at_zero = sweep("theta**3", 0.0, (0.01,), methods=LECTURE)
    assert panel.round_off(at_zero, 0.0) == at_zero.error_floor  # nothing to round


def test_a_ratio_of_a_million_or_more_is_a_power_of_ten():
    assert [panel._ratio(r) for r in (3.04, 301.0, 4500.2, 2.3e7)] == [
        "3×", "301×", "4,500×", "2·10⁷×"]  # fmt: skip


# ---------------------------------------------------------------- the hero's picture


def test_the_hero_picture_draws_the_secants_against_the_tangent_at_the_step_itself():
    g = geometry("theta**3", 1.0, 0.01, 0.02)
    lines, points, names = charts.tangent_frames(above_tangent(g), g)
    assert lines["step"].min() == pytest.approx(-2) and lines["step"].max() == pytest.approx(2)
    assert set(lines["series"]) == {"f", "tangent", "forward", "central"}
    assert (lines.loc[lines["series"] == "tangent", "height"] == 0).all()
    np.testing.assert_allclose(points["height"], above_tangent(g).heights)
    assert list(names["lines"]) == [["f"], ["tangent", "slope 3"],
                                    ["one-sided", "off by +0.0301"],
                                    ["two-sided", "off by +0.0001"]]  # fmt: skip
    chart = charts.tangent_chart(lines, points, names, "t")
    labels = line_labels(chart)
    assert list(labels.loc[labels["line"] == 0, "text"]) == [
        "f", "tangent", "one-sided", "two-sided"]  # fmt: skip


def test_at_a_kink_the_flat_line_is_named_a_convention_not_a_tangent():
    g = geometry("max(theta, 0)", 0.0, 0.01, 0.02)
    names = charts.tangent_frames(above_tangent(g), g, kink=True)[2]
    assert names.loc[1, "lines"] == ["f′ by convention", "slope 0"]
    assert names.loc[2, "lines"] == ["one-sided", "off by +1"]


def test_the_hero_caption_says_when_rounding_tilts_the_secants():
    curves = sweep("theta**3", methods=LECTURE)
    best = curves.methods["central"].best_epsilon  # about 5e-6
    plain = panel.tangent_caption(curves, 0.01, kink=False)
    assert plain.startswith("Heights are measured from the line of slope f′(θ) through f(θ)")
    assert "round-off" not in plain
    tiny = panel.tangent_caption(curves, best / 1000, kink=False)
    assert tiny.startswith(plain) and "At this ε round-off dominates" in tiny
    kinked = sweep("abs(theta)", 0.0, methods=LECTURE)
    assert "round-off" not in panel.tangent_caption(kinked, 1e-12, kink=True)


@pytest.mark.parametrize(
    ("text", "theta", "kink", "line"),
    [("theta**3", 1.0, False, "the tangent"),
     ("max(theta, 0)", 0.0, True, "the line of slope f′(θ) by convention")],
)  # fmt: skip
def test_the_hero_picture_is_described_with_its_tilts(text, theta, kink, line):
    g = geometry(text, theta, 0.01, 0.02)
    a = above_tangent(g)
    said = panel.tangent_description(g, a, kink)
    assert f"heights measured from {line}, which is drawn flat" in said
    assert f"one-sided secant tilts by {charts.number(a.one_sided_error, 3)}, its error" in said
    assert f"two-sided secant by {charts.number(a.two_sided_error, 3)}." in said


# ---------------------------------------------------------------- labels beside the lines


def test_labels_apart_stay_where_they_are_and_labels_too_close_move_apart_within_the_plot():
    assert charts._spread([50.0, 150.0], [20.0, 20.0], 0, 300) == [50.0, 150.0]
    centres = charts._spread([100.0, 95.0, 104.0, 290.0], [38.0, 38.0, 22.0, 38.0], 0, 300)
    order = np.argsort([100.0, 95.0, 104.0, 290.0])
    tops = [centres[i] - h / 2 for i, h in zip(order, np.array([38.0, 38.0, 22.0, 38.0])[order],
                                                      strict=True)]  # fmt: skip
    bottoms = [centres[i] + h / 2 for i, h in zip(order, np.array([38.0, 38.0, 22.0, 38.0])[order],
                                                         strict=True)]  # fmt: skip
    assert all(bottom <= top + 1e-9 for bottom, top in zip(bottoms, tops[1:], strict=False))
    assert min(tops) >= 0 and max(bottoms) <= 300  # the last one pushed up from the bottom
    assert list(np.argsort(centres)) == list(order)  # still in the order they were wanted


def label_pixels(labels: pd.DataFrame, to_px) -> list[float]:
    return sorted(to_px(y) for y in labels["y"])


@pytest.mark.parametrize(("text", "theta"), [("theta**3", 1.0), ("sin(theta)", 2.0),
                                             ("abs(theta)", 0.05), ("theta**3", 0.0)])  # fmt: skip
def test_the_error_charts_line_labels_never_overlap(text, theta):
    for methods in (LECTURE, None):
        curves = sweep(text, theta, methods=methods)
        errors, best = charts.sweep_frames(curves)
        chart = charts.error_chart(errors, best, 0.01, "0.01", panel.turning_point(curves),
                                   charts.error_sides(curves))  # fmt: skip
        spec = chart.to_dict(validate=False)
        low, high = spec["layer"][0]["encoding"]["y"]["scale"]["domain"]
        to_px = charts._log_px(low, high, charts.ERROR_HEIGHT)[0]
        rows = label_pixels(line_labels(chart), to_px)
        assert all(b - a >= charts._LINE_PX - 1e-6 for a, b in itertools.pairwise(rows))
        assert rows[0] >= 0 and rows[-1] <= charts.ERROR_HEIGHT


def test_the_lecture_picture_names_its_lines_and_keeps_the_slopes_for_its_tooltips():
    g = geometry("theta**3", 1.0, 0.3, 1.0)
    curves, triangles, points = charts.secant_frames(g, labelled=True)
    assert list(dict.fromkeys(curves["curve"])) == [
        "f(θ)", "tangent · slope 3", "one-sided secant · slope 3.99",
        "two-sided secant · slope 3.09"]  # fmt: skip
    chart = charts.secant_chart(curves, triangles, points, "t")
    labels = line_labels(chart)
    assert set(labels["text"]) == {"f", "tangent", "one-sided", "two-sided"}
    # θ+ε at the window's edge (ε = the half-width) is drawn whole: no text mark is clipped.
    edge = charts.secant_frames(geometry("theta**3", 1.0, 0.3, 0.3), labelled=True)
    spec = charts.secant_chart(*edge).to_dict(validate=False)
    names = [layer["mark"] for layer in spec["layer"] if layer["mark"].get("type") == "text"]
    assert names and not any(mark.get("clip") for mark in names)


def test_secant_frames_put_the_triangles_on_the_lectures_corners():
    cube = parse_formula("theta**3")
    g = secant_geometry(cube.f, cube.df, 1.0, 0.5, 1.0)
    curves, triangles, points = charts.secant_frames(g, labelled=True)
    assert list(points["label"]) == ["θ−ε", "θ", "θ+ε"]
    np.testing.assert_allclose(points["value"], [0.125, 1.0, 3.375])
    big = triangles[triangles["series"] == "central"]
    np.testing.assert_allclose(big[["theta", "base", "top"]], [[0.5, 0.125, 0.125],
                                                                [1.5, 0.125, 3.375]])  # fmt: skip
    assert set(curves["series"]) == {"f", "tangent", "forward", "central"}


# ---------------------------------------------------------------- the band of the error chart


def error_spec(curves, epsilon, kink_distance=math.inf, kink_text=""):
    """The error chart the page draws for this sweep and step, as a Vega-Lite dict."""
    chart = charts.error_chart(*charts.sweep_frames(curves), epsilon, charts.short(epsilon),
                               panel.turning_point(curves), charts.error_sides(curves),
                               kink_distance, kink_text)  # fmt: skip
    return chart.to_dict(validate=False)


def px_down(encoding: dict) -> float:
    """The px from the plot's top (on a laptop) of a band label or a rule's top end."""
    share = float(encoding["y"]["value"]["expr"].removeprefix("height * "))
    return share * charts.ERROR_HEIGHT


def band(spec: dict) -> list[tuple[float, object, dict]]:
    """(row px, text, mark with its x) of each band label (its halo left out)."""
    return [
        (px_down(layer["encoding"]), layer["mark"]["text"],
         {**layer["mark"], "x": layer["encoding"]["x"]["datum"]})
        for layer in spec["layer"]
        if layer["mark"].get("type") == "text" and "text" in layer["mark"]
        and layer["mark"].get("stroke") != "white"
    ]  # fmt: skip


SIDE = {"right": "left", "left": "right", "center": "center"}  # a text's side, by its align


@pytest.mark.parametrize("epsilon", [1e-16, 1e-9, 5e-6, 0.01, 0.3, 1.0])
@pytest.mark.parametrize(("text", "theta", "dtype"), [("theta**3", 1.0, "float64"),
                                                      ("theta**3", 1.0, "float32"),
                                                      ("abs(theta)", 0.05, "float64")])  # fmt: skip
def test_band_labels_never_overlap_and_rules_start_below_them(epsilon, text, theta, dtype):
    # "truncation dominates →" ran into the "your ε" marker, and "← round-off dominates"
    # into a dashed line (issue 21). Checked on the drawn spec, at a phone's plot width
    # (the short wording) and at a laptop's (the long one where the chart chose it).
    curves = sweep(text, theta, dtype=dtype)
    spec = error_spec(curves, epsilon, curves.kink_distance, "kink at 0 inside θ ± ε →")
    low, high = spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
    labels = band(spec)
    assert any(str(words).startswith("your ε") for _, words, _ in labels)
    for width, pick in ((charts._NARROW, -1), (charts._WIDE, 0)):
        spans: dict[float, list] = {}
        for row, words, mark in labels:
            choices = (
                re.findall(r"'([^']*)'", words["expr"]) if isinstance(words, dict) else [words]
            )
            share = charts._share(mark["x"], low, high)
            left, right = charts._span(choices[pick], share, SIDE[mark["align"]], width)
            assert left >= 0 and right <= width, (choices[pick], width)
            assert all(right <= a or left >= b for a, b in spans.get(row, [])), (words, width)
            spans.setdefault(row, []).append((left, right))
    rows = [row for row, _, _ in labels]
    rules = [layer for layer in spec["layer"] if layer["mark"].get("type") == "rule"]
    assert rules and all(
        px_down(rule["encoding"]) >= max(rows) + charts._ROW_PX / 2
        and rule["encoding"]["y2"] == {"value": "height"}
        for rule in rules
    )


def test_the_band_has_the_long_wording_on_a_wide_plot_and_the_short_on_a_phone():
    spec = error_spec(sweep("theta**3"), 0.01)
    words = {str(text) for _, text, _ in band(spec)}
    assert any("width >= 300 ? '← round-off dominates' : '← round-off'" in w for w in words)
    assert "your ε = 0.01" in words


def test_the_error_axis_leaves_the_band_free_of_curves():
    curves = sweep("theta**3")
    errors = charts.sweep_frames(curves)[0]
    spec = error_spec(curves, 0.01)
    low, high = spec["layer"][0]["encoding"]["y"]["scale"]["domain"]
    to_px = charts._log_px(low, high, charts.ERROR_HEIGHT)[0]
    lowest_rule = min(
        px_down(layer["encoding"]) for layer in spec["layer"] if layer["mark"].get("type") == "rule"
    )
    assert to_px(errors["error"].max()) >= lowest_rule
    assert math.log10(high / low) >= charts._MIN_DECADES


# ---------------------------------------------------------------- the error curves' words


def test_relu_beside_its_kink_gets_no_slope_fitted_across_it():
    errors = charts.sweep_frames(sweep("max(theta, 0)", 0.05))[0]
    assert not any("slope ≈" in detail for detail in errors["detail"])  # was Richardson ≈ 4.32


def test_short_of_the_kink_a_method_is_exact_until_its_window_reaches_it():
    errors = charts.sweep_frames(sweep("abs(theta)", 0.05))[0]
    details = dict(zip(errors["method"], errors["detail"], strict=False))
    assert details["two-sided"] == "exact short of kink at 0"
    assert details["one-sided"] == "exact for this f"  # its window never reaches the kink


def test_at_a_kink_no_method_converges_and_no_best_step_is_marked():
    curves = sweep("abs(theta)", 0.0)
    errors, best = charts.sweep_frames(curves, kink=True)
    assert set(errors["detail"]) == {"no f′ to converge to"} and best.empty
    assert charts.error_sides(curves, kink=True) == ()


def test_side_labels_and_best_steps_only_where_the_curves_have_those_sides():
    # θ³ at θ = 0: f(0) = 0 leaves no round-off to rise, so only a truncation side.
    curves = sweep("theta**3", 0.0)
    assert charts.error_sides(curves) == ("truncation",)
    best = charts.sweep_frames(curves)[1]
    assert list(best["series"]) == [
        method for method, errors in curves.methods.items()
        if np.isfinite(errors.truncation_slope)
    ]  # fmt: skip
    spec = error_spec(curves, 0.01)
    words = " ".join(str(text) for _, text, _ in band(spec))
    assert "truncation" in words and "round-off" not in words


def test_the_error_lines_carry_their_fitted_slopes():
    errors = charts.sweep_frames(sweep("theta**3"))[0]
    details = dict(zip(errors["method"], errors["detail"], strict=False))
    assert details["one-sided"].startswith("slope ≈ 1.0")
    assert details["two-sided"].startswith("slope ≈ 2.0")
    assert details["Richardson"] == "exact for this f"  # exact on a cubic: no slope


@pytest.mark.parametrize(("text", "theta"), [("theta**3", 1.0), ("abs(theta)", 0.0)])
def test_the_error_chart_is_described_by_where_its_curves_bottom_out(text, theta):
    curves = sweep(text, theta, methods=LECTURE)
    said = panel.error_description(curves, LECTURE, 0.01)
    assert said.startswith("Absolute error against the step ε in float64, both on log scales "
                           "from 1e-16 to 1: ")  # fmt: skip
    for method in LECTURE:
        errors, name = curves.methods[method], charts.METHOD_NAMES[method]
        if np.isfinite(errors.truncation_slope):
            assert (f"the {name} error bottoms out near {charts.short(errors.best_error)} at "
                    f"ε ≈ {charts.short(errors.best_epsilon)}") in said  # fmt: skip
        else:
            assert f"the {name} error has no truncation side to bottom out on" in said
    assert said.endswith("Your ε = 0.01 is marked.")


def test_the_error_captions_say_what_their_chart_draws():
    curves = sweep("theta**3")
    hero = panel.error_caption("float64", ("round-off", "truncation"), curves)
    every = panel.error_caption("float64", ("round-off", "truncation"), curves, theory=True)
    assert "Dashed lines" not in hero and "Dashed lines" in every
    assert hero.endswith("(theory: 1 one-sided, 2 two-sided).")
    assert every.endswith("(theory: 1 one-sided, 2 two-sided and complex step, 4 Richardson).")
    assert panel.error_caption("float64", ()).startswith("In float64. At a kink no method")
    kinked = sweep("abs(theta)", 0.05)
    assert "From the dotted line at ε = 0.05 on, θ ± ε holds f's kink at 0" in (
        panel.error_caption("float64", ("round-off",), kinked)
    )


def test_the_lecture_picture_is_described_with_its_slopes():
    g = geometry("theta**3", 1.0, 0.3, 1.0)
    assert panel.picture_description(g, 1.0) == (
        "f around θ = 1, over θ ± 1, the line of slope f′(θ) = 3 through f(θ), and the "
        "one-sided and two-sided secants at ε = 0.3 (slopes 3.99 and 3.09), with the "
        "lecture's two triangles shaded."
    )


# ---------------------------------------------------------------- the formulas


def test_the_live_quotient_is_worked_out_a_row_at_a_time_in_the_lines_colour():
    g = geometry("theta**3", 1.0, 0.01, 0.02)
    shown = panel.shown_numbers(g)
    one = panel.live_latex(shown, g, "forward")
    assert one.startswith(r"\begin{aligned}f(\theta+\varepsilon) &= 1.030301 \\ f(\theta) &= 1")
    assert r"f(\theta+\varepsilon) - f(\theta) &= 0.030301" in one
    assert one.endswith(r"&= \color{#d03b3b}{3.0301}\end{aligned}")
    two = panel.live_latex(shown, g, "central")
    assert r"\frac{0.060002}{2 \cdot 0.01}" in two and r"\color{#4c78a8}{3.0001}" in two
    assert panel.lecture_latex("central").startswith(r"\color{#4c78a8}{\frac{")


def test_a_long_value_continues_on_rows_of_eighteen_characters():
    written = panel._long_number("1.0818051703517286288303012043")
    assert written == r"1.0818051703517286 \\ &\hphantom{{}={}}288303012043"
    assert panel._long_number("3.0301") == "3.0301"
    assert panel._long_number("3e-05") == r"3 \cdot 10^{-5}"


def test_f_and_its_derivative_are_written_one_under_the_other():
    latex = panel.function_latex(parse_formula("theta**3"))
    assert (
        latex
        == r"\begin{aligned} f(\theta) &= \theta^{3} \\ f'(\theta) &= 3 \theta^{2} \end{aligned}"
    )


def test_estimate_frame_marks_round_off_level_errors_and_missing_methods():
    line = parse_formula("2*theta")
    results = {
        "float64": error_sweep(line.f, line.df, 1.0, (0.5,), methods=("forward", "central")),
        "float32": error_sweep(line.f, line.df, 1.0, (0.5,), np.float32, ("forward",)),
    }
    frame = charts.estimate_frame(results, {"float64": 12, "float32": 7})
    assert frame.loc["one-sided", "float64 error"].startswith("≤ ")
    assert frame.loc["two-sided", "float32 estimate"] == "not applicable"
    assert frame.index.name == "method"


def test_number_formats_for_latex():
    assert charts.tex("1e-12") == "10^{-12}"
    assert charts.tex("3e-05") == r"3 \cdot 10^{-5}"
    assert charts.tex("3.0301") == "3.0301"
    assert charts.tex(charts.number(float("nan"))) == r"\text{undefined}"
    assert charts.tex("-0.25", subtracted=True) == r"\left(-0.25\right)"
    assert charts.tex("-2e-08", subtracted=True) == r"\left(-2 \cdot 10^{-8}\right)"
