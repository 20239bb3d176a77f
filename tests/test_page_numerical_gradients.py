"""The numerical-gradients page, run headless with Streamlit's AppTest, and its chart
builders. Expected numbers come from core, never typed in (except the lecture's own)."""

import json
import re
from decimal import Decimal

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from charts import numerical_gradients as charts
from core.finite_differences import (
    error_sweep,
    has_kink,
    one_sided_difference,
    secant_geometry,
    two_sided_difference,
)
from core.formula import parse_formula
from ui.text import markdown_plain

PAGE = "../pages/numerical_gradients.py"
TITLE = "Numerical gradients"


def open_page(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params.update(query or {})
    return at.run()


def table(at: AppTest):
    return at.table[0].value


def specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def texts(spec: dict) -> list[str]:
    return [layer["mark"].get("text") for layer in spec["layer"] if layer["mark"].get("text")]


# ---------------------------------------------------------------- the page


def test_page_opens_with_the_lectures_cube_numbers():
    at = open_page()
    assert not at.exception and not at.error and not at.warning
    assert at.title[0].value.startswith(TITLE)
    estimates = table(at)
    # f(θ) = θ³ at θ = 1, ε = 0.01: one-sided 3.0301 (error 0.0301), two-sided 3.0001 (0.0001).
    assert estimates.loc["one-sided", "float64 estimate"] == "3.0301"
    assert estimates.loc["one-sided", "float64 error"] == "0.0301"
    assert estimates.loc["two-sided", "float64 estimate"] == "3.0001"
    assert estimates.loc["two-sided", "float64 error"] == "0.0001"
    live = " ".join(latex.value for latex in at.latex)
    assert r"\frac{1.030301 - 1}{0.01} = 3.0301" in live
    assert r"\frac{1.030301 - 0.970299}{2 \cdot 0.01} = 3.0001" in live
    notice = at.info[0].value
    assert "one-sided error is 0.0301" in notice and "two-sided error 0.0001" in notice
    assert "truncation side" in notice
    assert len(at.get("vega_lite_chart")) == 2


def test_a_smaller_step_shows_exactly_what_core_computes():
    at = open_page()
    at.select_slider(key="ng_eps").set_value("0.001").run()
    cube = parse_formula("theta**3")
    one = one_sided_difference(cube.f, 1.0, 1e-3)
    two = two_sided_difference(cube.f, 1.0, 1e-3)
    estimates = table(at)
    assert estimates.loc["one-sided", "float64 estimate"] == f"{one:.12g}"
    assert estimates.loc["two-sided", "float64 estimate"] == f"{two:.12g}"
    assert estimates.loc["one-sided", "float64 error"] == f"{abs(one - 3):.3g}"
    one32 = one_sided_difference(cube.f, np.float32(1.0), 1e-3)
    assert estimates.loc["one-sided", "float32 estimate"] == f"{one32:.7g}"


def test_another_function_and_point_change_the_numbers_and_formula():
    at = open_page()
    at.selectbox(key="ng_f").set_value("sin θ")
    at.slider(key="ng_theta").set_value(0.5).run()
    sine = parse_formula("sin(theta)")
    geometry = secant_geometry(sine.f, sine.df, 0.5, 0.01, 1.0)
    estimates = table(at)
    assert estimates.loc["exact f′(θ)", "float64 estimate"] == f"{np.cos(0.5):.12g}"
    assert estimates.loc["two-sided", "float64 estimate"] == f"{geometry.two_sided:.12g}"
    assert r"\sin" in at.latex[0].value and r"\cos" in at.latex[0].value


def test_float32_switches_the_error_curves_and_the_notice():
    at = open_page()
    at.segmented_control(key="ng_dtype").set_value("float32").run()
    cube = parse_formula("theta**3")
    central = error_sweep(cube.f, cube.df, 1.0, dtype=np.float32, methods=("central",))
    best = central.methods["central"]
    # ε = 0.01 lies right of float32's best two-sided step (about 2e-3, error about 3e-5).
    assert "In float32 this ε is on the truncation side" in at.info[0].value
    assert f"about {charts.short(best.best_epsilon)}" in at.info[0].value
    assert f"{charts.short(best.best_error)} in float32" in at.info[0].value
    assert any(caption.value.startswith("In float32") for caption in at.caption)


@pytest.mark.parametrize(
    ("key", "extremes"),
    [("ng_theta", (-3.0, 3.0)), ("ng_eps", ("1e-16", "1")), ("ng_zoom", ("0.01", "3"))],
)
def test_every_control_at_its_extremes_keeps_the_page_running(key, extremes):
    at = open_page()
    for value in extremes:
        widget = at.slider(key=key) if key == "ng_theta" else at.select_slider(key=key)
        widget.set_value(value).run()
        assert not at.exception and not at.error
        assert len(at.get("vega_lite_chart")) == 2


@pytest.mark.parametrize("choice", ["exp θ", "log θ", "max(θ, 0)", "|θ|"])
def test_every_preset_function_runs(choice):
    at = open_page({"ng_f": choice})
    assert not at.exception and not at.error
    assert at.selectbox(key="ng_f").value == choice


def test_garbage_in_the_link_falls_back_to_defaults_with_a_notice():
    at = open_page({"ng_eps": "garbage", "ng_theta": "99", "ng_f": "__import__('os')"})
    assert not at.exception
    assert "could not be used" in at.info[0].value
    assert table(at).loc["one-sided", "float64 estimate"] == "3.0301"


def test_a_link_reopens_the_exact_setting():
    at = open_page({"ng_f": "exp θ", "ng_theta": "0.5", "ng_eps": "1e-5", "ng_zoom": "0.3"})
    assert (at.selectbox(key="ng_f").value, at.slider(key="ng_theta").value) == ("exp θ", 0.5)
    assert (at.select_slider(key="ng_eps").value, at.select_slider(key="ng_zoom").value) == (
        "1e-5",
        "0.3",
    )
    assert not at.info[0].value.startswith("Some settings")


def test_a_refused_formula_keeps_the_last_good_one():
    at = open_page({"ng_f": "typed formula"})
    at.text_input(key="ng_formula").set_value("exp(theta)").run()
    assert table(at).loc["exact f′(θ)", "float64 estimate"] == f"{np.e:.12g}"
    at.text_input(key="ng_formula").set_value("__import__('os')").run()
    assert not at.exception
    with pytest.raises(ValueError) as refusal:
        parse_formula("__import__('os')")
    # shown as typed: escaped, so Markdown does not turn __import__ into bold "import"
    assert markdown_plain(str(refusal.value)) in at.error[0].value
    assert "Showing the last good formula: exp(theta)" in at.error[0].value
    assert table(at).loc["exact f′(θ)", "float64 estimate"] == f"{np.e:.12g}"


def test_a_theta_outside_the_domain_is_explained_not_crashed():
    at = open_page({"ng_f": "log θ", "ng_theta": "-1.0"})
    assert not at.exception
    assert "log is undefined" in at.error[0].value
    assert not at.table


def test_a_step_leaving_the_domain_marks_the_differences_undefined():
    at = open_page({"ng_f": "log θ", "ng_eps": "1"})  # θ − ε = 0
    assert not at.exception
    assert "log is undefined" in at.warning[0].value
    assert table(at).loc["two-sided", "float64 estimate"] == "undefined"


def test_complex_step_is_not_applicable_to_relu_and_the_kink_is_named():
    at = open_page({"ng_f": "max(θ, 0)", "ng_theta": "0.0"})
    estimates = table(at)
    assert estimates.loc["complex step", "float64 estimate"] == "not applicable"
    assert "not complex-differentiable" in " ".join(c.value for c in at.caption)
    assert "kink" in at.info[0].value


# ---------------------------------------------------------------- the charts


def test_error_chart_is_log_log_with_slopes_best_steps_and_both_sides_labelled():
    spec = specs(open_page())[1]
    lines = spec["layer"][0]["encoding"]
    assert lines["x"]["scale"]["type"] == "log" and lines["y"]["scale"]["type"] == "log"
    assert {t["field"] for t in lines["tooltip"]} == {"method", "epsilon", "error"}
    legend = lines["color"]["scale"]["domain"]
    assert legend[0].startswith("one-sided · slope ≈ 1.0")
    assert legend[1].startswith("two-sided · slope ≈ 2.0")
    assert legend[3] == "Richardson · exact for this f"  # exact on a cubic: no slope
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks.count("rule") == 2  # theoretical best steps, and the current ε
    assert {"← round-off dominates", "truncation dominates →", "your ε = 0.01"} <= set(texts(spec))


def test_secant_chart_draws_f_tangent_secants_and_both_triangles():
    spec = specs(open_page({"ng_eps": "0.3"}))[0]
    curves = spec["layer"][1]["encoding"]["color"]["scale"]["domain"]
    assert curves == [
        "f(θ)",
        "tangent · slope 3",
        "one-sided secant · slope 3.99",
        "two-sided secant · slope 3.09",
    ]
    assert spec["layer"][0]["mark"]["type"] == "area"
    assert spec["params"][0]["select"]["type"] == "interval"  # zoom and pan


def test_secant_frames_put_the_triangles_on_the_lectures_corners():
    cube = parse_formula("theta**3")
    geometry = secant_geometry(cube.f, cube.df, 1.0, 0.5, 1.0)
    curves, triangles, points = charts.secant_frames(geometry, labelled=True)
    assert list(points["label"]) == ["θ−ε", "θ", "θ+ε"]
    np.testing.assert_allclose(points["value"], [0.125, 1.0, 3.375])
    big = triangles[triangles["series"] == "central"]
    np.testing.assert_allclose(big[["theta", "base", "top"]], [[0.5, 0.125, 0.125],
                                                                [1.5, 0.125, 3.375]])  # fmt: skip
    assert set(curves["series"]) == {"f", "tangent", "forward", "central"}


def test_estimate_frame_marks_round_off_level_errors_and_missing_methods():
    line = parse_formula("2*theta")
    results = {
        "float64": error_sweep(line.f, line.df, 1.0, (0.5,), methods=("forward", "central")),
        "float32": error_sweep(line.f, line.df, 1.0, (0.5,), np.float32, ("forward",)),
    }
    frame = charts.estimate_frame(results, {"float64": 12, "float32": 7})
    assert frame.loc["one-sided", "float64 error"].startswith("≤ ")
    assert frame.loc["two-sided", "float32 estimate"] == "not applicable"


def test_number_formats_for_latex():
    assert charts.tex("1e-12") == "10^{-12}"
    assert charts.tex("3e-05") == r"3 \cdot 10^{-5}"
    assert charts.tex("3.0301") == "3.0301"
    assert charts.tex(charts.number(float("nan"))) == r"\text{undefined}"
    assert charts.tex("-0.25", subtracted=True) == r"\left(-0.25\right)"
    assert charts.tex("-2e-08", subtracted=True) == r"\left(-2 \cdot 10^{-8}\right)"


# ---------------------------------------------------------------- honest at every setting


def written_decimal(latex: str) -> Decimal:
    """A number as the page writes it in LaTeX (3 \\cdot 10^{-5}, \\left(-2\\right)), exactly."""
    text = latex.replace(r"\left(", "").replace(r"\right)", "").strip()
    mantissa, _, power = text.partition(r"10^{")
    mantissa = mantissa.replace(r"\cdot", "").strip() or "1"
    return Decimal(mantissa) * (Decimal(10) ** int(power.rstrip("}")) if power else 1)


def live_quotients(at: AppTest) -> list[tuple[Decimal, Decimal, Decimal, int, str]]:
    """(f(θ+ε), f(θ) or f(θ−ε), ε, 1 or 2, the result) of each quotient as written."""
    found = []
    for latex in at.latex:
        match = re.fullmatch(
            r"\\frac\{(.+) - (.+)\}\{(2 \\cdot )?(.+)\} = (.+)", latex.value.strip("$\n")
        )
        if match and r"\theta" not in latex.value:
            plus, other, two, step, result = match.groups()
            found.append((*map(written_decimal, (plus, other, step)), 2 if two else 1, result))
    return found


@pytest.mark.parametrize(
    ("choice", "theta", "step"),
    [
        ("θ³", "1.0", "1e-12"),
        ("θ³", "1.0", "3e-16"),
        ("exp θ", "0.5", "1e-8"),
        ("θ³", "1.0", "0.01"),
    ],
)
def test_the_written_subtraction_gives_the_written_quotient(choice, theta, step):
    # The lesson of a tiny ε is in f's last digits: written too short, f(θ+ε) − f(θ) over ε
    # gave 3 where the page said 3.00026670175.
    at = open_page({"ng_f": choice, "ng_theta": theta, "ng_eps": step})
    f = parse_formula({"θ³": "theta**3", "exp θ": "exp(theta)"}[choice])
    geometry = secant_geometry(f.f, f.df, float(theta), float(step), 1.0)
    quotients = live_quotients(at)
    assert [q[4] for q in quotients] == [
        charts.tex(charts.number(geometry.one_sided)),
        charts.tex(charts.number(geometry.two_sided)),
    ]
    for plus, other, epsilon, steps, result in quotients:
        by_hand = float((plus - other) / (steps * epsilon))
        assert charts.tex(charts.number(by_hand)) == result


def test_the_notice_gives_the_errors_of_the_chosen_precision():
    at = open_page({"ng_dtype": "float32"})
    cube = parse_formula("theta**3")
    at_step = error_sweep(cube.f, cube.df, 1.0, (0.01,), np.float32, ("forward", "central"))
    one, two = (at_step.methods[m].absolute_error[0] for m in ("forward", "central"))
    assert at.info[0].value.startswith(
        f"At ε = 0.01 in float32 the one-sided error is {charts.number(one, 3)} and the "
        f"two-sided error {charts.number(two, 3)}."
    )


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_at_the_lecture_step_the_picture_draws_the_triangles_at_a_visible_step():
    # At ε = 0.01 both secants lie within a line width of the tangent: the picture used to
    # show nothing. It is drawn at ε = 0.3 while the numbers stay at ε = 0.01.
    at = open_page()
    cube = parse_formula("theta**3")
    assert charts.hidden_secants(secant_geometry(cube.f, cube.df, 1.0, 0.01, 1.0))
    big = secant_geometry(cube.f, cube.df, 1.0, 0.3, 1.0)
    assert charts.hidden_secants(big) == []
    picture = specs(at)[0]
    assert picture["title"] == "Secants and tangent at θ, ε = 0.3"
    assert picture["layer"][1]["encoding"]["color"]["scale"]["domain"][2:] == [
        f"one-sided secant · slope {big.one_sided:.8g}",  # 3.99
        f"two-sided secant · slope {big.two_sided:.8g}",  # 3.09
    ]
    assert table(at).loc["two-sided", "float64 estimate"] == "3.0001"  # still at ε = 0.01
    both = error_sweep(cube.f, cube.df, 1.0, (0.01, 0.3), methods=("forward", "central"))
    one, two = (both.methods[m].absolute_error for m in ("forward", "central"))
    assert f"{one[1] / one[0]:,.0f}" == "33" and f"{two[1] / two[0]:,.0f}" == "900"
    assert (
        captions(at).count(
            "30 times the step, ε = 0.3, multiplies the one-sided error by 33 (O(ε) predicts 30) "
            "and the two-sided error by 900 (O(ε²) predicts 900). The picture is drawn at ε = 0.3: "
            "at your ε = 0.01 the secants lie within a line width of the tangent."
        )
        == 1
    )


def test_a_step_on_the_round_off_side_is_enlarged_without_a_growth_claim():
    # At ε = 1e-12 the errors are round-off: their growth to ε = 0.3 says nothing of O(ε).
    at = open_page({"ng_eps": "1e-12"})
    words = captions(at)
    assert "The picture is drawn at ε = 0.3: at your ε = 1e-12" in words
    assert "multiplies" not in words and "predicts" not in words


def test_a_visible_step_is_drawn_as_it_is_with_no_caption():
    at = open_page({"ng_eps": "0.3"})
    assert specs(at)[0]["title"] == "Secants and tangent at θ, ε = 0.3"
    assert "line width" not in captions(at) and "drawn at" not in captions(at)


def test_a_window_too_narrow_for_any_larger_step_says_so():
    at = open_page({"ng_eps": "1e-12", "ng_zoom": "0.01"})
    words = captions(at)
    assert "At ε = 1e-12 both secants lie within a line width of the tangent" in words
    assert "No larger step that fits this window parts them: widen the window." in words
    assert specs(at)[0]["title"].endswith("ε = 1e-12")


def test_a_straight_line_is_not_enlarged_its_secants_are_the_tangent():
    at = open_page({"ng_f": "typed formula", "ng_formula": "2*theta + 1"})
    words = captions(at)
    assert "For this f they are the tangent at every ε." in words
    assert "drawn at" not in words


# ---------------------------------------------------------------- kinks (issue 20, 3 and 4)


def test_a_kink_inside_the_window_is_named_and_takes_the_order_away():
    # |θ| at θ = 0.05, ε = 0.1: the two-sided slope is 0.5 against f′ = 1. It used to read
    # "on the truncation side", with O(ε²) in the table.
    at = open_page({"ng_f": "|θ|", "ng_theta": "0.05", "ng_eps": "0.1"})
    two = float(two_sided_difference(np.abs, 0.05, 0.1))
    assert two == pytest.approx(0.5)
    estimates = table(at)
    assert estimates.loc["two-sided", "float64 estimate"] == charts.number(two, 12)
    assert estimates.loc["two-sided", "truncation error"] == "not O(ε²): kink at 0 inside"
    assert estimates.loc["Richardson", "truncation error"] == "not O(ε⁴): kink at 0 inside"
    assert estimates.loc["one-sided", "truncation error"] == "O(ε)"  # θ … θ+ε misses it
    notice = at.info[0].value
    assert "the two-sided error 0.5." in notice
    assert "f has a kink at 0, inside θ ± ε" in notice
    assert "O(ε²) holds only for f smooth on θ ± ε" in notice and "ReLU" in notice
    assert "Below ε = 0.05 the kink is outside." in notice
    assert "truncation side" not in notice
    assert f"spans f's kink at 0, so its slope, {charts.number(two, 6)}," in captions(at)
    assert "Both orders need f smooth between θ − ε and θ + ε." in captions(at)
    picture, errors = specs(at)
    curves = picture["layer"][1]["encoding"]["color"]["scale"]["domain"]
    assert "two-sided secant across the kink at 0 · slope 0.5" in curves
    assert "kink at 0 inside θ ± ε →" in texts(errors)
    assert "From the dotted line at ε = 0.05 on, θ ± ε holds f's kink at 0" in captions(at)


def test_short_of_the_kink_the_same_f_is_exact_and_says_until_where():
    at = open_page({"ng_f": "|θ|", "ng_theta": "0.05", "ng_eps": "0.03"})
    assert table(at).loc["two-sided", "truncation error"] == "O(ε²)"
    notice = at.info[0].value
    assert "the two-sided error at most 1.11e-16." in notice
    assert "no truncation error in float64 until ε reaches 0.05, the kink at 0." in notice
    assert "For this f they are the tangent at every ε short of the kink, ε < 0.05." in (
        captions(at)
    )
    legend = specs(at)[1]["layer"][0]["encoding"]["color"]["scale"]["domain"]
    assert "two-sided · exact until ε reaches the kink at 0" in legend
    assert "one-sided · exact for this f" in legend  # its window never reaches the kink


def test_relu_beside_its_kink_gets_no_slope_fitted_across_it():
    legend = specs(open_page({"ng_f": "max(θ, 0)", "ng_theta": "0.05"}))[1]["layer"][0]
    labels = legend["encoding"]["color"]["scale"]["domain"]
    assert not any("slope ≈" in label for label in labels)  # was Richardson "≈ 4.32 (theory 4)"


def test_a_symmetric_kink_at_theta_passes_the_check_and_the_notice_says_why():
    # |θ| at 0: the table shows a two-sided error ≤ 1.1e-16, yet the notice said "a gradient
    # check fails there honestly".
    at = open_page({"ng_f": "|θ|", "ng_theta": "0.0"})
    assert table(at).loc["two-sided", "float64 error"] == "≤ 1.11e-16"
    notice = at.info[0].value
    assert "the two-sided error at most 1.11e-16." in notice
    assert "slopes are 1 on the right and -1 on the left" in notice
    assert "their average, 0." in notice
    assert "equals the f′ = 0 backprop uses here by convention, so a gradient check passes" in (
        notice
    )
    assert "fails there honestly" not in notice
    assert table(at).loc["two-sided", "truncation error"] == "not O(ε²): no f′ at a kink"


def test_a_lopsided_kink_at_theta_fails_the_check_with_correct_code():
    at = open_page({"ng_f": "max(θ, 0)", "ng_theta": "0.0"})
    relu = parse_formula("max(theta, 0)")
    g = secant_geometry(relu.f, relu.df, 0.0, 0.01, 1.0)
    assert (g.one_sided, g.backward, g.two_sided, g.derivative) == (1.0, 0.0, 0.5, 0.0)
    notice = at.info[0].value
    assert "slopes are 1 on the right and 0 on the left" in notice
    assert "their average, 0.5." in notice
    assert "Backprop uses f′ = 0 here by convention, so a gradient check fails by 0.5 " in notice
    assert "although the code is correct" in notice and "passes" not in notice


def test_the_introduction_does_not_deny_the_complex_step():
    # "a computer can only measure the slopes of secants", above a table with the complex step.
    at = open_page()
    intro = at.markdown[0].value
    assert "only measure the slopes of secants" not in intro
    assert "complex step" in intro and "subtracts nothing" in intro
    assert table(at).loc["complex step", "float64 estimate"] != "not applicable"


@pytest.mark.parametrize(
    "query",
    [
        {"ng_f": "|θ|", "ng_theta": "0.0"},
        {"ng_f": "max(θ, 0)", "ng_theta": "0.0", "ng_eps": "0.03", "ng_zoom": "0.1"},
        {"ng_f": "max(θ, 0)", "ng_theta": "0.0", "ng_eps": "1e-5", "ng_zoom": "0.1"},
    ],
)
def test_at_a_kink_no_sentence_or_label_claims_a_tangent_a_best_step_or_exactness(query):
    at = open_page(query)
    f = parse_formula({"|θ|": "abs(theta)", "max(θ, 0)": "max(theta, 0)"}[query["ng_f"]])
    assert has_kink(f.f, 0.0)
    picture, errors = specs(at)
    curves = picture["layer"][1]["encoding"]["color"]["scale"]["domain"]
    assert not any(label.startswith("tangent") for label in curves)
    legend = errors["layer"][0]["encoding"]["color"]["scale"]["domain"]
    assert not any("exact" in label or "slope ≈" in label for label in legend)
    assert texts(errors) == [f"your ε = {query.get('ng_eps', '0.01')}"]  # no side labels
    sweep = error_sweep(f.f, f.df, 0.0, methods=("forward", "central", "richardson"))
    assert charts.sweep_frames(sweep, kink=True)[1].empty  # no best-ε rule or diamond
    assert charts.error_sides(sweep, kink=True) == ()
    words = " ".join(c.value for c in at.caption) + at.info[0].value
    assert "kink" in words
    for claim in ("hide under", "within a line width", "on the truncation side", "best step ("):
        assert claim not in words
    assert "kink at θ, so f′(θ) does not exist" in at.info[0].value


def test_side_labels_and_best_steps_only_where_the_curves_have_those_sides():
    # θ³ at θ = 0: f(0) = 0 leaves no round-off to rise, so only a truncation side.
    cube = parse_formula("theta**3")
    sweep = error_sweep(cube.f, cube.df, 0.0, methods=("forward", "central", "richardson"))
    assert charts.error_sides(sweep) == ("truncation",)
    best = charts.sweep_frames(sweep)[1]
    assert list(best["series"]) == [
        method for method, errors in sweep.methods.items() if np.isfinite(errors.truncation_slope)
    ]
    spec = specs(open_page({"ng_theta": "0.0"}))[1]
    assert "← round-off dominates" not in texts(spec)
    halo, label = [
        layer["mark"] for layer in spec["layer"] if "dominates" in layer["mark"].get("text", "")
    ]
    assert halo["text"] == label["text"] == "truncation dominates →"
    assert halo["stroke"] == halo["color"] == "white" != label["color"]  # drawn under the words


@pytest.mark.parametrize(("step", "beside"), [("0.01", True), ("1e-12", False)])
def test_quotients_with_long_digits_take_the_full_width(step, beside):
    at = open_page({"ng_eps": step})
    live = at.columns[1]
    assert (len(live.latex) == 2) == beside  # else below both columns, where they fit
    assert len(live_quotients(at)) == 2
