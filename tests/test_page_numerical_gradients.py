"""The numerical-gradients page, run headless with Streamlit's AppTest. Expected numbers
come from core, never typed in (except the lecture's own). The chart builders and the
sentences, branch by branch, are in tests/test_panels_numerical_gradients.py."""

import json
import re
from decimal import Decimal, localcontext

import numpy as np
import pandas as pd
import pyarrow as pa
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
HERO, ERRORS, PICTURE, EVERY_METHOD = range(4)  # the page's charts, in order


def open_page(
    query: dict[str, str] | None = None, opened: tuple[str, ...] = ("ng_methods",)
) -> AppTest:
    """The page as a visitor who opened the ``opened`` expanders sees it."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params.update(query or {})
    for key in opened:
        at.session_state[key] = True
    return at.run()


def table(at: AppTest):
    return at.dataframe[0].value


def specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def tables(at: AppTest, chart: int) -> dict[str, pd.DataFrame]:
    """The tables the page sent beside a chart's spec, by name."""
    found = at.get("vega_lite_chart")[chart].proto.datasets
    return {table.name: pa.ipc.open_stream(table.data.data).read_pandas() for table in found}


def band_texts(at: AppTest, chart: int) -> list[str]:
    """The words of the error chart's band, each once; a wording that depends on the
    chart's width gives both."""
    found = []
    for _, label in tables(at, chart)["band"].iterrows():
        words = [label["long"], label["short"]] if label["wide"] else [label["short"]]
        found += [word for word in words if word not in found]
    return found


def picture_points(at: AppTest) -> list[float]:
    """θ − ε, θ and θ + ε as the lecture's picture draws them."""
    return list(tables(at, PICTURE)["points"]["theta"])


def notice(at: AppTest) -> str:
    """What the error at this ε says, under the hero."""
    return next(m.value for m in at.markdown if m.value.startswith("At ε = "))


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


# ---------------------------------------------------------------- the page


def test_page_opens_on_the_experiment_with_the_lectures_cube_numbers():
    at = open_page()
    assert not at.exception and not at.error and not at.warning
    assert at.title[0].value.startswith(TITLE)
    # f(θ) = θ³ at θ = 1, ε = 0.01: one-sided 3.0301 (error 0.0301), two-sided 3.0001 (0.0001).
    (headline,) = at.metric
    assert headline.value == "0.0301 → 0.0001"
    assert headline.label == "Error at ε = 0.01, float64: one-sided → two-sided"
    assert headline.delta == "301× smaller"
    estimates = table(at)
    assert estimates.loc["one-sided", "float64 estimate"] == "3.0301"
    assert estimates.loc["one-sided", "float64 error"] == "0.0301"
    assert estimates.loc["two-sided", "float64 estimate"] == "3.0001"
    assert estimates.loc["two-sided", "float64 error"] == "0.0001"
    assert estimates.index.name == "method"  # a header for every column (axe)
    live = " ".join(latex.value for latex in at.latex)
    assert r"f(\theta+\varepsilon) &= 1.030301" in live
    assert r"f(\theta-\varepsilon) &= 0.970299" in live
    assert r"\frac{0.030301}{0.01} \\ &= \color{#d03b3b}{3.0301}" in live
    assert r"\frac{0.060002}{2 \cdot 0.01} \\ &= \color{#4c78a8}{3.0001}" in live
    said = notice(at)
    assert "one-sided error is 0.0301" in said and "two-sided error 0.0001" in said
    assert "truncation side" in said
    assert not at.info  # the lesson is on the charts and in the text, not in blue boxes
    titles = [spec["title"]["text"] if isinstance(spec["title"], dict) else spec["title"]
              for spec in specs(at)]  # fmt: skip
    assert titles == [  # no number of the setting: a move keeps each chart's spec
        "Secants against the tangent",
        "Error against the step ε",
        "Secants and tangent at θ",
        "Error against ε, every method",
    ]


def test_the_hero_holds_the_step_the_function_and_the_precision_on_the_page():
    at = open_page()
    on_page = {w.key for w in (*at.main.select_slider, *at.main.selectbox,
                               *at.main.segmented_control)}  # fmt: skip
    assert {"ng_eps", "ng_f", "ng_dtype", "ng_zoom"} <= on_page
    assert [w.key for w in at.sidebar.slider] == ["ng_theta"]


def test_the_formulas_are_coloured_like_the_lines_they_name():
    at = open_page()
    lecture = [latex.value for latex in at.latex if "O(" in latex.value]
    assert rf"\color{{{charts.COLORS['forward']}}}" in lecture[0]
    assert rf"\color{{{charts.COLORS['central']}}}" in lecture[1]


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
    assert at.metric[0].value == f"{abs(one - 3):.3g} → {abs(two - 3):.3g}"


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


def test_float32_switches_the_headline_the_error_curves_and_the_notice():
    at = open_page()
    at.segmented_control(key="ng_dtype").set_value("float32").run()
    cube = parse_formula("theta**3")
    central = error_sweep(cube.f, cube.df, 1.0, dtype=np.float32, methods=("central",))
    best = central.methods["central"]
    # ε = 0.01 lies right of float32's best two-sided step (about 2e-3, error about 3e-5).
    said = notice(at)
    assert "In float32 this ε is on the truncation side" in said
    assert f"about {charts.short(best.best_epsilon)}" in said
    assert f"{charts.short(best.best_error)} in float32" in said
    assert any(caption.value.startswith("In float32") for caption in at.caption)
    assert at.metric[0].label.startswith("Error at ε = 0.01, float32")


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
        assert len(at.get("vega_lite_chart")) == 4


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
    assert not at.info  # no "could not be used"


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
    assert not at.dataframe and not at.get("vega_lite_chart")


def test_a_step_leaving_the_domain_marks_the_differences_undefined():
    at = open_page({"ng_f": "log θ", "ng_eps": "1"})  # θ − ε = 0
    assert not at.exception
    assert "log is undefined" in at.warning[0].value
    assert table(at).loc["two-sided", "float64 estimate"] == "undefined"
    assert at.metric[0].value.endswith("→ undefined") and not at.metric[0].delta


def test_complex_step_is_not_applicable_to_relu_and_the_kink_is_named():
    at = open_page({"ng_f": "max(θ, 0)", "ng_theta": "0.0"})
    estimates = table(at)
    assert estimates.loc["complex step", "float64 estimate"] == "not applicable"
    assert "not complex-differentiable" in captions(at)
    assert "kink" in notice(at)


def test_the_complex_step_is_explained_where_its_curve_is_drawn():
    at = open_page()
    assert "complex step subtracts nothing" in captions(at).lower()
    assert table(at).loc["complex step", "float64 estimate"] != "not applicable"


# ---------------------------------------------------------------- the charts on the page


def test_the_error_charts_are_log_log_and_the_hero_draws_the_lectures_two_quotients():
    at = open_page()
    hero, every = specs(at)[ERRORS], specs(at)[EVERY_METHOD]
    lines = next(layer for layer in hero["layer"] if "tooltip" in layer["encoding"])["encoding"]
    assert lines["x"]["scale"]["type"] == "log" and lines["y"]["scale"]["type"] == "log"
    assert {t["field"] for t in lines["tooltip"]} == {"method", "epsilon", "error"}
    assert {"← round-off dominates", "truncation dominates →", "your ε = 0.01"} <= set(
        band_texts(at, ERRORS)
    )
    dashed = [layer for layer in every["layer"] if layer["mark"].get("strokeDash") == [5, 4]]
    assert dashed and not [x for x in hero["layer"] if x["mark"].get("strokeDash") == [5, 4]]


def test_every_chart_on_the_page_has_a_plot_of_its_stated_height():
    # The charts lay out their labels in their plot's pixels: the height is the plot's.
    for spec in specs(open_page()):
        assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert charts.ERROR_HEIGHT >= 320  # 20 decades need room (issue 21)


def test_only_the_every_method_chart_draws_and_describes_the_theoretical_best_steps():
    at = open_page()
    described = [spec["description"] for spec in specs(at)]
    clause = "a dashed rule at the theoretical best ε of each method whose error falls with ε"
    assert clause not in described[ERRORS] and clause in described[EVERY_METHOD]
    drawn = [json.dumps(spec["layer"]) for spec in specs(at)]
    assert "theory_epsilon" not in drawn[ERRORS] and "theory_epsilon" in drawn[EVERY_METHOD]


def test_at_the_lecture_step_the_hero_shows_the_secants_apart_and_the_picture_enlarges():
    # At ε = 0.01 both secants lie within a line width of the tangent on the lecture's
    # picture: the hero measures heights from the tangent instead, at ε itself, and the
    # lecture's picture is drawn at ε = 0.3 while the numbers stay at ε = 0.01.
    at = open_page()
    cube = parse_formula("theta**3")
    assert charts.hidden_secants(secant_geometry(cube.f, cube.df, 1.0, 0.01, 1.0))
    big = secant_geometry(cube.f, cube.df, 1.0, 0.3, 1.0)
    assert charts.hidden_secants(big) == []
    np.testing.assert_allclose(tables(at, HERO)["points"]["t"], [0.99, 1.0, 1.01])
    np.testing.assert_allclose(picture_points(at), [0.7, 1.0, 1.3])
    words = captions(at)
    assert (
        "Slopes at the picture's ε = 0.3: f′(θ) = 3, one-sided secant 3.99, two-sided secant "
        "3.09." in words
    )
    assert "Slopes at your ε" not in words
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
    assert "At this ε round-off dominates" in words  # under the hero


def test_a_visible_step_is_drawn_as_it_is():
    at = open_page({"ng_eps": "0.3"})
    np.testing.assert_allclose(picture_points(at), [0.7, 1.0, 1.3])
    assert "line width" not in captions(at) and "drawn at" not in captions(at)
    assert (
        "Slopes at your ε = 0.3: f′(θ) = 3, one-sided secant 3.99, two-sided secant 3.09."
        in captions(at)
    )


def test_a_window_too_narrow_for_any_larger_step_says_so():
    at = open_page({"ng_eps": "1e-12", "ng_zoom": "0.01"})
    words = captions(at)
    assert "At ε = 1e-12 both secants lie within a line width of the tangent" in words
    assert "No larger step that fits this window parts them: widen the window." in words
    np.testing.assert_allclose(picture_points(at), [1 - 1e-12, 1.0, 1 + 1e-12], rtol=0, atol=1e-15)


def test_a_straight_line_is_not_enlarged_its_secants_are_the_tangent():
    at = open_page({"ng_f": "typed formula", "ng_formula": "2*theta + 1"})
    words = captions(at)
    assert "For this f they are the tangent at every ε." in words
    assert "drawn at" not in words
    assert at.metric[0].delta == "both: round-off only"


# ---------------------------------------------------------------- honest at every setting


def written_decimal(latex: str) -> Decimal:
    """A number as the page writes it in LaTeX (3 \\cdot 10^{-5}, \\left(-2\\right), digits
    continued on the next rows of an aligned block), exactly."""
    text = re.sub(r"\s*\\\\\s*&\\hphantom\{\{\}=\{\}\}\s*", "", latex)
    text = text.replace(r"\left(", "").replace(r"\right)", "").strip()
    mantissa, _, power = text.partition(r"10^{")
    mantissa = Decimal(mantissa.replace(r"\cdot", "").strip() or "1")
    with localcontext(prec=100):  # the default 28 digits would round a 30-digit value
        return mantissa.scaleb(int(power.rstrip("}"))) if power else mantissa


def live_quotients(at: AppTest) -> list[tuple[Decimal, Decimal, Decimal, Decimal, str, str]]:
    """(f(θ+ε), f(θ) or f(θ−ε), their difference, the divisor, the result, the method's
    colour) of each quotient as written, row by row."""
    found = []
    for latex in at.latex:
        match = re.search(
            r"f\(\\theta\+\\varepsilon\) &= (.+?) \\\\ f\(\\theta(?:-\\varepsilon)?\) &= (.+?)"
            r" \\\\ f\(\\theta\+\\varepsilon\) - .+? &= (.+?) \\\\ .+? &= \\frac\{.+?\}\{(.+?)\}"
            r" \\\\ &= \\color\{(#[0-9a-f]+)\}\{(.+?)\}\\end\{aligned\}",
            latex.value,
        )
        if match:
            plus, other, difference, divisor, color, result = match.groups()
            two_sided = color == charts.COLORS["central"]  # over 2 · ε
            epsilon = written_decimal(divisor.removeprefix(r"2 \cdot ")) * (1 + two_sided)
            found.append((*map(written_decimal, (plus, other, difference)), epsilon, result,
                          color))  # fmt: skip
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
    assert [(q[4], q[5]) for q in quotients] == [
        (charts.tex(charts.number(geometry.one_sided)), charts.COLORS["forward"]),
        (charts.tex(charts.number(geometry.two_sided)), charts.COLORS["central"]),
    ]
    for plus, other, difference, divisor, result, _ in quotients:
        assert plus - other == difference
        assert charts.tex(charts.number(float(difference / divisor))) == result


def test_a_long_value_goes_on_over_rows_that_fit_a_phone():
    at = open_page({"ng_f": "log θ", "ng_theta": "2.95", "ng_eps": "3e-16"})  # 30 digits
    rows = [row for latex in at.latex for row in latex.value.split(r"\\")]
    continued = [row for row in rows if r"\hphantom" in row]
    assert continued
    digits = [re.sub(r"[^0-9.]", "", row.split("}}")[-1]) for row in continued]
    assert all(len(d) <= 18 for d in digits), digits


def test_the_notice_gives_the_errors_of_the_chosen_precision():
    at = open_page({"ng_dtype": "float32"})
    cube = parse_formula("theta**3")
    at_step = error_sweep(cube.f, cube.df, 1.0, (0.01,), np.float32, ("forward", "central"))
    one, two = (at_step.methods[m].absolute_error[0] for m in ("forward", "central"))
    assert notice(at).startswith(
        f"At ε = 0.01 in float32 the one-sided error is {charts.number(one, 3)} and the "
        f"two-sided error {charts.number(two, 3)}."
    )


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
    said = notice(at)
    assert "the two-sided error 0.5." in said
    assert "f has a kink at 0, inside θ ± ε" in said
    assert "O(ε²) holds only for f smooth on θ ± ε" in said and "ReLU" in said
    assert "Below ε = 0.05 the kink is outside." in said
    assert "truncation side" not in said
    assert f"spans f's kink at 0, so its slope, {charts.number(two, 6)}," in captions(at)
    assert "Both orders need f smooth between θ − ε and θ + ε." in captions(at)
    assert "kink at 0 inside θ ± ε →" in band_texts(at, ERRORS)
    assert "From the dotted line at ε = 0.05 on, θ ± ε holds f's kink at 0" in captions(at)
    assert at.metric[0].delta == "one-sided: round-off only"


def test_short_of_the_kink_the_same_f_is_exact_and_says_until_where():
    at = open_page({"ng_f": "|θ|", "ng_theta": "0.05", "ng_eps": "0.03"})
    assert table(at).loc["two-sided", "truncation error"] == "O(ε²)"
    said = notice(at)
    assert "the two-sided error at most 1.11e-16." in said
    assert "no truncation error in float64 until ε reaches 0.05, the kink at 0." in said
    assert "For this f they are the tangent at every ε short of the kink, ε < 0.05." in (
        captions(at)
    )


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
    for chart in (ERRORS, EVERY_METHOD):  # no side labels, only your ε
        assert band_texts(at, chart) == [f"your ε = {query.get('ng_eps', '0.01')}"]
    words = captions(at) + notice(at)
    assert "kink" in words
    for claim in ("hide under", "within a line width", "on the truncation side", "best step ("):
        assert claim not in words
    assert "The secants' slopes, " in words and "Slopes at" not in words  # said once
    assert "kink at θ, so f′(θ) does not exist" in notice(at)


def test_a_symmetric_kink_at_theta_passes_the_check_and_the_notice_says_why():
    # |θ| at 0: the table shows a two-sided error ≤ 1.1e-16, yet the notice said "a gradient
    # check fails there honestly".
    at = open_page({"ng_f": "|θ|", "ng_theta": "0.0"})
    assert table(at).loc["two-sided", "float64 error"] == "≤ 1.11e-16"
    said = notice(at)
    assert "the two-sided error at most 1.11e-16." in said
    assert "slopes are 1 on the right and -1 on the left" in said
    assert "their average, 0." in said
    assert "equals the f′ = 0 backprop uses here by convention, so a gradient check passes" in (
        said
    )
    assert "fails there honestly" not in said
    assert table(at).loc["two-sided", "truncation error"] == "not O(ε²): no f′ at a kink"


def test_a_lopsided_kink_at_theta_fails_the_check_with_correct_code():
    at = open_page({"ng_f": "max(θ, 0)", "ng_theta": "0.0"})
    relu = parse_formula("max(theta, 0)")
    g = secant_geometry(relu.f, relu.df, 0.0, 0.01, 1.0)
    assert (g.one_sided, g.backward, g.two_sided, g.derivative) == (1.0, 0.0, 0.5, 0.0)
    said = notice(at)
    assert "slopes are 1 on the right and 0 on the left" in said
    assert "their average, 0.5." in said
    assert "Backprop uses f′ = 0 here by convention, so a gradient check fails by 0.5 " in said
    assert "although the code is correct" in said and "passes" not in said
