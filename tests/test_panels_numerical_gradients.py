"""The numerical-gradients page's chart builders and sentences, straight from core's
results: each sentence's branches with the numbers that trigger them, and the charts' labels
laid out so that none runs into another, a rule or the plot's edge."""

import functools
import itertools
import json
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


def hero_tables(text, theta, epsilon, kink=False):
    g = geometry(text, theta, epsilon, 2 * epsilon)
    return charts.tangent_tables(above_tangent(g), g, kink)


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
    labels = hero_tables("theta**3", 1.0, 0.01)["labels"]
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
    ("kink", "line"),
    [(False, "the tangent"), (True, "the line of slope f′(θ) by convention")],
)  # fmt: skip
def test_the_hero_picture_is_described_in_words_its_tilts_are_on_its_labels(kink, line):
    said = panel.tangent_description(kink)
    assert f"heights measured from {line}, which is drawn flat" in said
    assert "each secant's tilt is its quotient's error, written beside its right end" in said


@pytest.mark.parametrize(("text", "theta", "epsilon"), [("theta**3", 1.0, 0.01),
                                                        ("theta**3", 1.0, 1e-9),
                                                        ("sin(theta)", 2.0, 0.3)])  # fmt: skip
def test_the_hero_draws_f_from_fewer_points_that_stay_within_a_fraction_of_a_pixel(
    text, theta, epsilon
):
    g = geometry(text, theta, epsilon, 2 * epsilon)
    a = above_tangent(g)
    found = hero_tables(text, theta, epsilon)
    drawn = found["lines"][found["lines"]["series"] == "f"]
    assert len(drawn) < len(a.grid) / 2
    low, high = found["frame"]["y"]
    step = (a.grid - g.theta) / g.epsilon
    between = np.interp(step, drawn["step"], drawn["height"])
    px = np.abs(between - a.curve) * charts.TANGENT_HEIGHT / (high - low)
    assert px.max() <= charts._THIN_PX + 1e-9


def test_thinning_keeps_the_corners_the_ends_and_one_point_per_gap():
    x = np.arange(9.0)
    y = np.array([0, 1, 2, 3, 2, 1, np.nan, np.nan, 5.0])
    keep = charts.thinned(x, y, 0.01)
    assert list(np.flatnonzero(keep)) == [0, 3, 5, 6, 8]  # ends, the corner, the gap's first
    assert charts.thinned(x[:2], y[:2], 0.01).all()


def test_a_line_is_cut_to_the_heights_the_picture_shows():
    ends = pd.DataFrame({"theta": [0.0, 2.0, 0.0, 2.0, 0.0, 2.0],
                         "value": [-1.0, 3.0, 5.0, 6.0, 0.5, 0.5]})  # fmt: skip
    cut = charts._cut(ends, 0.0, 2.0)
    np.testing.assert_allclose(cut[:2], [[0.5, 0.0], [1.5, 2.0]])  # enters low, leaves high
    assert np.isnan(cut[2:4, 1]).all()  # above the picture: not drawn
    np.testing.assert_allclose(cut[4:], [[0.0, 0.5], [2.0, 0.5]])  # inside: as it is


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


def error_tables(curves, epsilon, kink_distance=math.inf, kink_text=""):
    """The tables of the error chart the page draws for this sweep and step."""
    return charts.error_tables(*charts.sweep_frames(curves), epsilon, charts.short(epsilon),
                               panel.turning_point(curves), charts.error_sides(curves),
                               kink_distance, kink_text)  # fmt: skip


@pytest.mark.parametrize(("text", "theta"), [("theta**3", 1.0), ("sin(theta)", 2.0),
                                             ("abs(theta)", 0.05), ("theta**3", 0.0)])  # fmt: skip
def test_the_error_charts_line_labels_never_overlap(text, theta):
    for methods in (LECTURE, None):
        found = error_tables(sweep(text, theta, methods=methods), 0.01)
        low, high = found["frame"]["y"]
        to_px = charts._log_px(low, high, charts.ERROR_HEIGHT)[0]
        rows = label_pixels(found["labels"], to_px)
        assert all(b - a >= charts._LINE_PX - 1e-6 for a, b in itertools.pairwise(rows))
        assert rows[0] >= 0 and rows[-1] <= charts.ERROR_HEIGHT


def test_the_lecture_picture_names_its_lines_and_keeps_the_slopes_for_its_tooltips():
    g = geometry("theta**3", 1.0, 0.3, 1.0)
    curves = charts.secant_frames(g, labelled=True)[0]
    assert list(dict.fromkeys(curves["curve"])) == [
        "f(θ)", "tangent · slope 3", "one-sided secant · slope 3.99",
        "two-sided secant · slope 3.09"]  # fmt: skip
    labels = charts.secant_tables(g, labelled=True)["labels"]
    assert set(labels["text"]) == {"f", "tangent", "one-sided", "two-sided"}
    # θ+ε at the window's edge (ε = the half-width) is drawn whole: no text mark is clipped.
    spec = charts.secant_chart().to_dict(validate=False)
    names = [layer["mark"] for layer in spec["layer"] if layer["mark"].get("type") == "text"]
    assert names and not any(mark.get("clip") for mark in names)


def test_the_lecture_picture_frames_f_and_cuts_its_lines_to_it():
    g = geometry("theta**3", 1.0, 0.3, 1.0)
    found = charts.secant_tables(g, labelled=True)
    low, high = charts.picture_range(g.curve, [g.f_minus, g.f_theta, g.f_plus])
    np.testing.assert_allclose(found["frame"], [[0.0, low], [2.0, high]])
    lines = found["curves"][found["curves"]["series"] != "f"]
    assert lines["value"].between(low, high).all()  # the tangent ran down to -2 at θ = 0
    drawn = found["curves"][found["curves"]["series"] == "f"]
    assert len(drawn) < len(g.grid) / 4
    within = charts._THIN_PX * (high - low) / charts.PICTURE_HEIGHT
    np.testing.assert_allclose(np.interp(g.grid, drawn["theta"], drawn["value"]), g.curve,
                               atol=within)  # fmt: skip


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


SIDE = {"right": "left", "left": "right", "center": "center"}  # a text's side, by its align


@pytest.mark.parametrize("epsilon", [1e-16, 1e-9, 5e-6, 0.01, 0.3, 1.0])
@pytest.mark.parametrize(("text", "theta", "dtype"), [("theta**3", 1.0, "float64"),
                                                      ("theta**3", 1.0, "float32"),
                                                      ("abs(theta)", 0.05, "float64")])  # fmt: skip
def test_band_labels_never_overlap_and_rules_start_below_them(epsilon, text, theta, dtype):
    # "truncation dominates →" ran into the "your ε" marker, and "← round-off dominates"
    # into a dashed line (issue 21). Checked on the drawn tables, at a phone's plot width
    # (the short wording) and at a laptop's (the long one where the chart chose it).
    curves = sweep(text, theta, dtype=dtype)
    found = error_tables(curves, epsilon, curves.kink_distance, "kink at 0 inside θ ± ε →")
    low, high = found["frame"]["x"]
    labels = found["band"]
    assert any(labels["short"].str.startswith("your ε"))
    for width, long in ((charts._NARROW, False), (charts._WIDE, True)):
        spans: dict[float, list] = {}
        for _, label in labels.iterrows():
            words = label["long"] if long and label["wide"] else label["short"]
            share = charts._share(label["x"], low, high)
            left, right = charts._span(words, share, SIDE[label["align"]], width)
            assert left >= 0 and right <= width, (words, width)
            row = label["down"]
            assert all(right <= a or left >= b for a, b in spans.get(row, [])), (words, width)
            spans.setdefault(row, []).append((left, right))
    lowest = labels["down"].max() * charts.ERROR_HEIGHT + charts._ROW_PX / 2
    for rules in (found["rules"], found["best"]):
        assert (rules["down"] * charts.ERROR_HEIGHT >= lowest).all()
    spec = charts.error_chart().to_dict(validate=False)
    drawn = [layer for layer in spec["layer"] if layer["mark"].get("type") == "rule"]
    assert drawn and all(rule["encoding"]["y2"] == {"value": "height"} for rule in drawn)


def test_the_band_has_the_long_wording_on_a_wide_plot_and_the_short_on_a_phone():
    band = error_tables(sweep("theta**3"), 0.01)["band"].set_index("long")
    assert band.loc["← round-off dominates", "short"] == "← round-off"
    assert band.loc["← round-off dominates", "wide"]
    assert not band.loc["your ε = 0.01", "wide"]  # one wording
    spec = json.dumps(charts.error_chart().to_dict(validate=False))
    assert "width >= 300 && datum.wide ? datum.long : datum.short" in spec


def test_the_error_axis_leaves_the_band_free_of_curves():
    curves = sweep("theta**3")
    errors = charts.sweep_frames(curves)[0]
    found = error_tables(curves, 0.01)
    low, high = found["frame"]["y"]
    to_px = charts._log_px(low, high, charts.ERROR_HEIGHT)[0]
    assert to_px(errors["error"].max()) >= found["rules"]["down"].min() * charts.ERROR_HEIGHT
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
    band = error_tables(curves, 0.01)["band"]
    words = " ".join([*band["long"], *band["short"]])
    assert "truncation" in words and "round-off" not in words


def test_the_error_lines_carry_their_fitted_slopes():
    errors = charts.sweep_frames(sweep("theta**3"))[0]
    details = dict(zip(errors["method"], errors["detail"], strict=False))
    assert details["one-sided"].startswith("slope ≈ 1.0")
    assert details["two-sided"].startswith("slope ≈ 2.0")
    assert details["Richardson"] == "exact for this f"  # exact on a cubic: no slope


@pytest.mark.parametrize(("text", "theta"), [("theta**3", 1.0), ("abs(theta)", 0.0)])
def test_the_error_chart_is_described_in_words_and_its_caption_says_where_curves_bottom_out(
    text, theta
):
    curves = sweep(text, theta, methods=LECTURE)
    said = panel.error_description(curves, LECTURE)
    assert said.startswith(
        "Absolute error against the step ε in float64, both on log scales from 1e-16 to 1: one "
        "line per method (one-sided, two-sided)"
    )
    assert said == panel.error_description(sweep(text, theta + 0.05, methods=LECTURE), LECTURE)
    bottoms = panel.bottoms(curves, LECTURE)
    for method in LECTURE:
        errors, name = curves.methods[method], charts.METHOD_NAMES[method]
        if np.isfinite(errors.truncation_slope):
            assert (f"the {name} error bottoms out near {charts.short(errors.best_error)} at "
                    f"ε ≈ {charts.short(errors.best_epsilon)}") in bottoms  # fmt: skip
        else:
            assert f"the {name} error has no truncation side to bottom out on" in bottoms
    caption = panel.error_caption("float64", ("round-off",), curves, LECTURE)
    assert f"Diamonds: the bottom of each curve, its best step ({bottoms}). " in caption


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


@pytest.mark.parametrize(("text", "theta"), [("theta**3", 1.0), ("abs(theta)", 0.0)])
def test_the_every_method_chart_is_described_with_its_dashed_theoretical_best_steps(text, theta):
    curves = sweep(text, theta)
    methods = tuple(curves.methods)
    plain = panel.error_description(curves, methods)
    every = panel.error_description(curves, methods, theory=True)
    assert "dashed" not in plain
    assert every == plain.replace(
        ", and a rule at your ε.",
        ", a dashed rule at the theoretical best ε of each method whose error falls with ε, "
        "and a rule at your ε.",
    )
    assert every == panel.error_description(sweep(text, theta + 0.05), methods, theory=True)


def test_the_lecture_picture_is_described_in_words_and_its_slopes_are_written_beside_it():
    said = panel.picture_description()
    assert "one-sided and two-sided secants" in said and not re.search(r"\d", said)
    g = geometry("theta**3", 1.0, 0.3, 1.0)  # D₊ = 3 + 3ε + ε², D = 3 + ε²
    assert panel.picture_slopes(g, 0.3) == (
        "Slopes at your ε = 0.3: f′(θ) = 3, one-sided secant 3.99, two-sided secant 3.09."
    )
    assert panel.picture_slopes(g, 0.01) == (
        "Slopes at the picture's ε = 0.3: f′(θ) = 3, one-sided secant 3.99, two-sided secant 3.09."
    )


@pytest.mark.parametrize(
    ("case", "text", "theta", "epsilon", "drawn", "half_width", "across", "whose"),
    [
        ("enlarged", "theta**3", 1.0, 0.01, 0.3, 1.0, math.nan, "the picture's ε = 0.3"),
        ("as drawn", "theta**3", 1.0, 0.3, 0.3, 1.0, math.nan, "your ε = 0.3"),
        ("outside the window", "theta**3", 1.0, 0.3, 0.3, 0.1, math.nan, "your ε = 0.3"),
        ("across a kink", "abs(theta)", 0.05, 0.1, 0.1, 1.0, 0.0, "your ε = 0.1"),
        ("one secant hidden", "theta**3", 1.0, 0.03, 0.03, 1.0, math.nan, "your ε = 0.03"),
        ("too close to label", "log(theta)", 0.5, 0.1, 0.1, 2.0, math.nan, "your ε = 0.1"),
    ],
)
def test_a_picture_caption_short_of_some_slope_ends_with_them_at_the_step_drawn(
    case, text, theta, epsilon, drawn, half_width, across, whose
):
    caption = panel.picture_caption(text, theta, epsilon, drawn, half_width, False, 0.0, across)
    g = geometry(text, theta, drawn, half_width)
    slopes = panel.picture_slopes(g, epsilon)
    assert slopes.startswith(f"Slopes at {whose}: ")
    assert caption.endswith(f" {slopes}") and caption.count("Slopes at") == 1, case


@pytest.mark.parametrize(
    ("text", "theta", "epsilon", "half_width", "kink", "slopes"),
    [
        # |θ| at its kink: D₊ = 1, D = 0, whatever ε.
        ("abs(theta)", 0.0, 0.01, 1.0, True, "The secants' slopes, 1 and 0,"),
        ("theta**3", 1.0, 1e-12, 0.01, False, "(slopes {one} and {two} against f′(θ) = 3)"),
    ],
)
def test_a_picture_caption_that_gives_all_three_slopes_does_not_repeat_them(
    text, theta, epsilon, half_width, kink, slopes
):
    caption = panel.picture_caption(text, theta, epsilon, epsilon, half_width, kink)
    g = geometry(text, theta, epsilon, half_width)
    said = slopes.format(one=charts.number(g.one_sided), two=charts.number(g.two_sided))
    assert caption.count(said) == 1
    assert "Slopes at" not in caption


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
