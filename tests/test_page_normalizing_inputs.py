"""The normalizing-inputs page, run headless with Streamlit's AppTest: numbers on screen are
what core/ computes, every control survives its extremes, links and uploads fail softly."""

import json

import numpy as np
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from charts import motion
from charts import normalization as charts
from core import conditioning as cond
from core import datasets
from core.normalization import Normalizer, normalize_train_test
from panels import normalizing_inputs as panel
from ui.ideas import IDEAS

PAGE = "../pages/normalizing_inputs.py"
SLIDERS = {"ni_m": (10, 5_000), "ni_mt": (5, 1_000), "ni_shift": (0, 2_000), "ni_lr": (0.05, 1.2)}


def run_page(
    query: dict | None = None, opened: tuple[str, ...] = ("ni_numbers", "ni_stats")
) -> AppTest:
    """The page as a visitor who opened the ``opened`` expanders sees it."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params.update(query or {})
    for key in opened:
        at.session_state[key] = True
    at.run()
    assert not at.exception, at.exception
    return at


def built_in_split(m=200, m_test=40, shift=1_000, seed=0) -> datasets.TrainTestSplit:
    """The page's built-in data, drawn independently of the page's code."""
    rng = np.random.default_rng(seed)
    train = datasets.house_prices(m, rng)
    test = datasets.house_prices(m_test, rng, sizes=(600.0 + shift, 3_600.0 + shift))
    return datasets.TrainTestSplit(train.X, train.Y, test.X, test.Y)


def rmse_on_test(split: datasets.TrainTestSplit, use_train_statistics: bool) -> float:
    sets = normalize_train_test(
        split.X_train, split.X_test, use_train_statistics=use_train_statistics
    )
    fit = cond.fit_linear_regression(sets.X_train, split.Y_train)
    return cond.root_mean_squared_error(fit.predict(sets.X_test), split.Y_test)


def steps_table(at: AppTest):
    """The steps table with a column per fact (the page shows a row per fact)."""
    return at.table[0].value.T


def specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


STAGES = {"ni_part": "Subtract μ, divide by σ"}  # the tab of the formulas and the stages
TEST_SET = {"ni_part": "The test set"}  # the tab of the test set's errors


def metric_values(at: AppTest) -> list[str]:
    """The test set's two errors, on its tab (opened here: only the open tab runs)."""
    at.session_state["ni_part"] = at.query_params["ni_part"] = TEST_SET["ni_part"]
    at.run()
    assert not at.exception, at.exception
    return [metric.value for metric in at.metric]


def chart_title(spec: dict) -> str:
    title = spec["title"]
    return title["text"] if isinstance(title, dict) else title


def chart_spec(at: AppTest, title: str) -> dict:
    return next(spec for spec in specs(at) if chart_title(spec) == title)


def chart_tables(at: AppTest, title: str) -> list:
    """The tables (DataFrames) of the chart with this title, in the order they were given."""
    chart = next(
        c for c in at.get("vega_lite_chart") if chart_title(json.loads(c.proto.spec)) == title
    )
    return [pa.ipc.open_stream(table.data.data).read_pandas() for table in chart.proto.datasets]


def named_tables(at: AppTest, title: str) -> dict:
    """The tables (DataFrames) of the chart with this title, by name."""
    chart = next(
        c for c in at.get("vega_lite_chart") if chart_title(json.loads(c.proto.spec)) == title
    )
    return {t.name: pa.ipc.open_stream(t.data.data).read_pandas() for t in chart.proto.datasets}


def paths_of(at: AppTest, label: str):
    """The paths table of the contour chart on ``label`` inputs."""
    return named_tables(at, f"J − J* on {label} inputs")["paths"]


def shared_alpha(X: np.ndarray, fraction: float) -> float:
    """The one α of both contour panels: a fraction of 2/λ_max on the normalized inputs."""
    return fraction * cond.learning_rate_stability_limit(Normalizer().fit_transform(X))


def page_text(at: AppTest) -> str:
    kinds = ("markdown", "info", "warning", "success", "caption")
    return " ".join(element.value for kind in kinds for element in at.get(kind))


def notice_with(at: AppTest, words: str) -> str:
    kinds = ("markdown", "info", "warning")
    return next(e.value for kind in kinds for e in at.get(kind) if words in e.value)


def test_defaults_show_what_core_computes():
    at = run_page(STAGES)
    assert at.title[0].value.startswith(IDEAS[0].title)
    split = built_in_split()
    normalizer = Normalizer().fit(split.X_train)
    # The live formula: μ, σ² and σ of each feature from the Normalizer.
    live = " ".join(latex.value for latex in at.latex)
    assert "2219" in live and f"{normalizer.sigma_[0, 0]:.4g}" in live
    stats = at.dataframe[0].value
    np.testing.assert_allclose(stats["μ"], normalizer.mu_.ravel())
    np.testing.assert_allclose(stats["σ²"], normalizer.variance_.ravel())
    np.testing.assert_allclose(stats["(1/m) Σ x⁽ⁱ⁾², raw"], np.diag(cond.hessian(split.X_train)))
    # Condition numbers, limits and steps, raw and normalized, at one α for both.
    table = steps_table(at)
    X_norm = normalizer.transform(split.X_train)
    alpha = shared_alpha(split.X_train, 0.5)
    assert alpha == pytest.approx(0.7, abs=0.01)
    for row, X in (("raw inputs", split.X_train), ("normalized inputs", X_norm)):
        steps = cond.steps_to_converge(X, split.Y_train, alpha, tolerance=1e-3)
        best = cond.best_stable_learning_rate(X)
        best_steps = cond.steps_to_converge(X, split.Y_train, best)
        assert table.loc[row, "condition number κ"] == f"{cond.condition_number(X):,.4g}"
        limit = f"{cond.learning_rate_stability_limit(X):.3g}"
        assert table.loc[row, "stable for α below 2/λ_max"] == limit
        assert table.loc[row, "best α*"] == f"{best:.3g}"
        assert table.loc[row, f"steps at α = {alpha:.3g}"] == (
            "never" if steps is None else f"{steps:,}"
        )
        assert table.loc[row, "steps at α*"] == f"{best_steps:,}"
    assert table.loc["raw inputs", "steps at α = 0.7"] == "never"  # the normalized step diverges
    assert int(table.loc["raw inputs", "steps at α*"].replace(",", "")) > 1_000_000
    assert int(table.loc["normalized inputs", "steps at α*"]) < 20
    # The hero: the two step counts at each input's best α*, in large type.
    raw_best = cond.steps_to_converge(split.X_train, split.Y_train,
                                      cond.best_stable_learning_rate(split.X_train))  # fmt: skip
    norm_best = cond.steps_to_converge(
        X_norm, split.Y_train, cond.best_stable_learning_rate(X_norm)
    )
    assert at.header[0].value == f"{raw_best / 1e6:.3g} M steps → {norm_best} steps"
    assert at.header[0].value == "11.3 M steps → 9 steps"
    # Test error both ways: the wrong way is visibly worse on the shifted test population.
    right, wrong = rmse_on_test(split, True), rmse_on_test(split, False)
    assert metric_values(at) == [f"{right:,.4g}", f"{wrong:,.4g}"]
    assert wrong > 3 * right
    assert f"{wrong:,.4g}" in at.success[0].value
    assert not at.error and not at.warning


def test_learning_rate_changes_the_steps_to_what_core_computes():
    at = run_page()
    at.slider(key="ni_lr").set_value(0.9).run()
    at.select_slider(key="ni_tol").set_value(1e-6).run()
    split = built_in_split()
    X = Normalizer().fit_transform(split.X_train)
    alpha = 0.9 * cond.learning_rate_stability_limit(X)
    expected = cond.steps_to_converge(X, split.Y_train, alpha, tolerance=1e-6)
    assert steps_table(at).loc["normalized inputs", f"steps at α = {alpha:.3g}"] == f"{expected:,}"
    assert f"normalized inputs take {expected:,} steps" in notice_with(at, "At one α")


def test_above_the_stability_limit_divergence_is_shown_as_never():
    at = run_page({"ni_lr": "1.2"})
    table = steps_table(at)
    alpha = shared_alpha(built_in_split().X_train, 1.2)
    assert list(table[f"steps at α = {alpha:.3g}"]) == ["never", "never"]
    assert "never converges" in at.warning[0].value
    paths = paths_of(at, "normalized")
    shared = paths[paths["run"].str.startswith(f"α = {alpha:.3g}, both panels")]
    assert shared["run"].str.endswith(": diverges").all() and len(shared) > 2


def test_toggle_shows_the_wrong_normalization_and_its_damage():
    at = run_page(TEST_SET)
    points_before = at.get("vega_lite_chart")[-1].proto.datasets[0].data.data
    at.toggle(key="ni_wrong").set_value(True).run()
    split = built_in_split()
    assert f"{rmse_on_test(split, False):,.4g}" in at.warning[0].value
    assert "forced onto mean 0" in at.warning[0].value
    assert at.get("vega_lite_chart")[-1].proto.datasets[0].data.data != points_before


@pytest.mark.parametrize("end", [0, 1], ids=["minimum", "maximum"])
def test_every_control_at_its_extremes(end):
    at = run_page(TEST_SET)
    for key, limits in SLIDERS.items():
        at.slider(key=key).set_value(limits[end])
    at.number_input(key="ni_seed").set_value([0, 9_999][end])
    at.select_slider(key="ni_tol").set_value([1e-2, 1e-6][end])
    at.toggle(key="ni_wrong").set_value(bool(end))
    at.run()
    assert not at.exception and not at.error
    split = built_in_split(*(limits[end] for limits in list(SLIDERS.values())[:3]), [0, 9_999][end])
    assert metric_values(at)[0] == f"{rmse_on_test(split, True):,.4g}"


def test_a_link_reopens_the_exact_setting():
    at = run_page({"ni_m": "500", "ni_shift": "0", "ni_lr": "0.75", "ni_wrong": "true"})
    assert at.slider(key="ni_m").value == 500 and at.slider(key="ni_lr").value == 0.75
    assert at.toggle(key="ni_wrong").value is True
    assert not any(info.value.startswith("Some settings") for info in at.info)
    split = built_in_split(m=500, shift=0)
    assert metric_values(at)[1] == f"{rmse_on_test(split, False):,.4g}"


@pytest.mark.parametrize(
    "query", [{"ni_lr": "garbage"}, {"ni_m": "99999"}, {"ni_tol": "7"}, {"ni_src": "eval"}]
)
def test_garbage_in_a_link_opens_defaults_with_a_notice(query):
    at = run_page(query)
    assert "could not be used" in at.info[0].value and next(iter(query)) in at.info[0].value
    assert at.slider(key="ni_lr").value == 0.5 and at.slider(key="ni_m").value == 200


def upload(content: bytes, name: str = "data.csv") -> AppTest:
    at = run_page({"ni_src": "My CSV file"})
    at.get("file_uploader")[0].set_value((name, content, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def csv_rows(rows: list[str]) -> bytes:
    return ("\n".join(rows) + "\n").encode()


def test_an_uploaded_csv_is_used_with_the_chosen_columns():
    rng = np.random.default_rng(5)
    a, b = rng.uniform(0, 1_000, 60), rng.uniform(0, 5, 60)
    y = 2 * a + 30 * b + rng.normal(size=60)
    content = csv_rows(["label,a,b,y"] + [f"h{i},{a[i]},{b[i]},{y[i]}" for i in range(60)])
    at = upload(content)
    # the first two numeric columns are the features, the last other one the target
    assert [at.selectbox(key=k).value for k in ("ni_x1", "ni_x2", "ni_y")] == ["a", "b", "y"]
    assert not at.error
    X, Y = np.vstack([a, b]), y.reshape(1, -1)
    split = datasets.train_test_split(X, Y, 0.2, np.random.default_rng(0))
    assert metric_values(at)[0] == f"{rmse_on_test(split, True):,.4g}"
    raw_kappa = cond.condition_number(split.X_train)
    assert steps_table(at).loc["raw inputs", "condition number κ"] == f"{raw_kappa:,.4g}"


BAD_UPLOADS = {
    "text": (csv_rows(["a,b,c"] + [f"{i},x{i},{i}" for i in range(20)]), "holds text"),
    "empty column": (csv_rows(["a,b,c"] + [f"{i},,{i}" for i in range(20)]), "is empty"),
    "NaN": (
        csv_rows(["a,b,c"] + [f"{i},{'' if i == 3 else i * i},{i}" for i in range(20)]),
        "1 missing",
    ),
    "constant": (csv_rows(["a,b,c"] + [f"{i},5,{i}" for i in range(20)]), "is constant"),
    "single row": (b"a,b,c\n1,2,3\n", "1 row;"),
    "ragged rows": (
        csv_rows(["a,b,c", "1,2,3", "4,5,6,7,8"] + ["1,2,3"] * 20),
        "Expected 3 fields",
    ),
    "bad encoding": ("a,b,c\né,1,2\n".encode("utf-16"), "not UTF-8"),
    "no content": (b"", "No columns"),
    "two columns": (csv_rows(["a,b"] + ["1,2"] * 20), "2 columns"),
    "too large to square": (csv_rows(["a,b,c"] + ["1e200,2,3", "1e-3,5,6"] * 10), "too large"),
}


@pytest.mark.parametrize("case", BAD_UPLOADS, ids=list(BAD_UPLOADS))
def test_an_unusable_upload_is_explained_and_the_built_in_data_stay(case):
    content, message = BAD_UPLOADS[case]
    at = upload(content)
    assert message in at.error[0].value
    assert metric_values(at)[0] == f"{rmse_on_test(built_in_split(), True):,.4g}"


def test_the_target_defaults_to_a_numeric_column_not_the_third_one():
    rng = np.random.default_rng(7)
    a, b = rng.uniform(0, 1_000, 60), rng.uniform(0, 5, 60)
    y = 2 * a + 30 * b + rng.normal(size=60)
    rows = [f"{a[i]},{b[i]},h{i},{y[i]},{i % 3}" for i in range(60)]
    at = upload(csv_rows(["a,b,label,y,group", *rows]))
    # group is numeric too; the last numeric column that is no feature is the first choice.
    assert at.selectbox(key="ni_y").value == "group"
    at.selectbox(key="ni_y").set_value("y").run()
    assert not at.error
    split = datasets.train_test_split(np.vstack([a, b]), y[None, :], 0.2, np.random.default_rng(0))
    assert metric_values(at)[0] == f"{rmse_on_test(split, True):,.4g}"


def test_a_new_file_starts_from_its_own_columns_unless_the_choices_fit_it():
    rng = np.random.default_rng(8)
    a, b = rng.uniform(0, 1_000, 40), rng.uniform(0, 5, 40)
    y = 2 * a + 30 * b + rng.normal(size=40)
    at = upload(csv_rows(["city,a,b,y"] + [f"c{i},{a[i]},{b[i]},{y[i]}" for i in range(40)]))
    at.selectbox(key="ni_x1").set_value("b")
    at.selectbox(key="ni_x2").set_value("a").run()  # the learner's choice: b, a, y
    clean = csv_rows(["a,b,y"] + [f"{a[i]},{b[i]},{y[i]}" for i in range(40)])
    at.get("file_uploader")[0].set_value(("clean.csv", clean, "text/csv")).run()
    chosen = [at.selectbox(key=k).value for k in ("ni_x1", "ni_x2", "ni_y")]
    assert chosen == ["b", "a", "y"] and not at.error  # they fit the new file: kept
    other = csv_rows(["p,q,r"] + [f"{a[i]},{b[i]},{y[i]}" for i in range(40)])
    at.get("file_uploader")[0].set_value(("other.csv", other, "text/csv")).run()
    chosen = [at.selectbox(key=k).value for k in ("ni_x1", "ni_x2", "ni_y")]
    assert chosen == ["p", "q", "r"] and not at.error  # they do not: its own defaults


def test_with_no_numeric_column_left_the_target_stays_third_and_is_explained():
    at = upload(csv_rows(["a,b,label,note"] + [f"{i},{i * i % 7},h{i},n{i}" for i in range(20)]))
    assert at.selectbox(key="ni_y").value == "label"
    assert "'label' holds text" in at.error[0].value


def test_a_binary_file_is_refused_in_plain_words_not_the_tokenizer_s():
    content = b"a,b,c\n1,2,3\n\x00\x01,\x7f\x02,3,4\n" + b"1,2,3\n" * 20
    at = upload(content)
    message = at.error[0].value
    assert message.startswith("Cannot use data.csv: it is not a readable CSV text file")
    assert "0x00" in message and "tokenizing" not in message
    assert metric_values(at)[0] == f"{rmse_on_test(built_in_split(), True):,.4g}"


def test_an_upload_over_the_size_limit_is_refused():
    at = upload(b"a,b,c\n" + b"1,2,3\n" * 1_000_000)  # about 6 MB
    assert "over 5 MB" in at.error[0].value


def test_stage_panels_are_separate_square_charts_that_show_each_stage_s_spread():
    at = run_page(STAGES)
    split = built_in_split()
    normalizer = Normalizer().fit(split.X_train)
    titles = ["Raw x", "Centred: x − μ", "Scaled: (x − μ) / σ"]
    stages = [chart_spec(at, title) for title in titles]
    ratio = float(normalizer.sigma_.max() / normalizer.sigma_.min())
    scaled = normalizer.transform(split.X_train)
    arrays = (split.X_train, split.X_train - normalizer.mu_, scaled)
    windows = []
    for spec, title, X in zip(stages, titles, arrays, strict=True):
        assert spec["width"] == spec["height"] <= 270  # square, and fits a phone
        dots = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "circle")
        assert dots["data"]["name"] == charts.POINTS and dots["encoding"]["tooltip"]
        # The axes span the window the table carries (an unseen rect), no number in the spec.
        frame = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "rect")
        assert frame["data"]["name"] == charts.WINDOW and frame["mark"]["opacity"] == 0
        assert "domain" not in dots["encoding"]["x"]["scale"]
        window = named_tables(at, title)[charts.WINDOW].iloc[0]
        windows.append(window)
        x, y = (window.x1_low, window.x1_high), (window.x2_low, window.x2_high)
        assert x[0] < X[0].min() and X[0].max() < x[1] and y[0] < X[1].min() and X[1].max() < y[1]
        # Each axis spans its own feature: the raw cloud is no flat line.
        assert (y[1] - y[0]) < 3 * (X[1].max() - X[1].min())
        assert len(named_tables(at, title)[charts.POINTS]) == X.shape[1]
    raw, centred, scaled = (chart_spec(at, title)["title"]["subtitle"] for title in titles)
    assert round(ratio, -1) == 780
    assert raw == ["size and rooms: spreads over 3× apart", "axes not to scale"]
    assert centred[0] == "centred on 0; spreads over 3× apart"
    # the ratio itself is written under the charts
    assert f"spreads differ {ratio:,.3g}-fold" in " ".join(m.value for m in at.markdown)
    scaled_window = windows[2]
    assert (scaled_window.x1_low, scaled_window.x1_high) == (
        scaled_window.x2_low, scaled_window.x2_high)  # equal units  # fmt: skip
    assert scaled == ["σ = 1 on both axes", "one scale for both"]


def test_contour_panels_draw_exact_ellipses_under_both_paths_and_state_the_stretch():
    at = run_page()
    split = built_in_split()
    kappas = {}
    for label, X in (
        ("raw", split.X_train),
        ("normalized", Normalizer().fit_transform(split.X_train)),
    ):
        spec = chart_spec(at, f"J − J* on {label} inputs")
        tables = chart_tables(at, f"J − J* on {label} inputs")
        ellipses = next(table for table in tables if "level" in table)
        paths = paths_of(at, label)
        quadratic = cond.cost_quadratic(X, split.Y_train)
        points = ellipses[["w1", "w2"]].to_numpy().T
        excess = quadratic.costs(points) - quadratic.J_star
        np.testing.assert_allclose(excess, ellipses["level"], rtol=1e-6)  # on the level set
        levels = np.sort(ellipses["level"].unique())
        assert len(levels) == 8
        np.testing.assert_allclose(
            np.diff(np.log(levels)), np.log(levels[1] / levels[0])
        )  # log-spaced
        marks = [layer["mark"]["type"] for layer in spec["layer"]]
        assert marks[:4] == ["line", "line", "point", "point"]  # ellipses, then paths on top
        assert "rect" not in marks  # no heatmap
        assert paths["run"].nunique() == 2
        kappas[label] = cond.condition_number(X)
    # The valley's length over its width is √κ, from core.
    assert (
        round(kappas["raw"] ** 0.5, -2) == 1_800 and f"{kappas['normalized'] ** 0.5:.2g}" == "1.6"
    )
    assert f"{kappas['raw'] / 1e6:.3g}" == "3.26" and f"{kappas['normalized']:.3g}" == "2.5"
    # The lesson is written above each plot, from its table.
    raw_lesson = named_tables(at, "J − J* on raw inputs")["lesson"]["text"][0].split("\n")
    assert raw_lesson[0] == "valley 1,800× longer than wide (κ = 3.26 M)"
    assert raw_lesson[1].startswith("axes stretched to show it; ")
    normalized_lesson = named_tables(at, "J − J* on normalized inputs")["lesson"]["text"][0]
    assert normalized_lesson == "valley 1.6× longer than wide (κ = 2.5)"
    raw_spec = chart_spec(at, "J − J* on raw inputs")
    normalized = chart_spec(at, "J − J* on normalized inputs")
    assert normalized["width"] == normalized["height"] == raw_spec["width"]  # square panels
    # The axes span the window that the minimum's table carries.
    (minimum,) = named_tables(at, "J − J* on raw inputs")["minimum"].itertuples()
    assert minimum.w1_low < minimum.w1 < minimum.w1_high
    assert minimum.w2_low < minimum.w2 < minimum.w2_high


def test_the_contour_panels_play_in_the_browser_with_a_step_counter():
    at = run_page()
    for label in ("raw", "normalized"):
        spec = chart_spec(at, f"J − J* on {label} inputs")
        params = {param["name"]: param for param in spec["params"]}
        assert params["descent_play"]["bind"]["input"] == "checkbox"
        # As many frames whatever the run: the slider's length is part of the spec.
        assert params["descent_scrub"]["bind"]["input"] == "range"
        assert params["descent_scrub"]["bind"]["max"] == motion.AT_MOST - 1
        frames, paths = named_tables(at, f"J − J* on {label} inputs")["frames"], paths_of(at, label)
        assert len(frames) == motion.AT_MOST
        assert sorted(set(frames["step"])) == sorted(set(paths["step"]))  # every step drawn
        shown = frames["step"].to_numpy()[paths["frame"].to_numpy()]
        assert (shown == paths["step"].to_numpy()).all()  # a row appears at its step's frame
        last = paths["step"].max()
        assert frames["counter"].iloc[-1] == f"step {last:,} of {last:,}"
    kept = sorted(set(named_tables(at, "J − J* on raw inputs")["frames"]["step"]))
    assert kept[-1] == 11_258_928 and kept[:10] == list(range(10))


def test_one_alpha_drives_both_panels_and_diverges_on_raw_inputs():
    # Before, each panel took a fraction of its own 2/λ_max, and the raw one converged.
    at = run_page()
    split = built_in_split()
    alpha = shared_alpha(split.X_train, 0.5)
    runs = {}
    for label in ("raw", "normalized"):
        paths = paths_of(at, label)
        runs[label] = paths[paths["run"].str.startswith(f"α = {alpha:.3g}, both panels")]
    # The first step from w = 0 is w₁ = α · (1/m) X Yᵀ: the same α on both inputs.
    inputs = {"raw": split.X_train, "normalized": Normalizer().fit_transform(split.X_train)}
    for label, X in inputs.items():
        first = runs[label].sort_values("step")[["w1", "w2"]].to_numpy()[1]
        np.testing.assert_allclose(first, alpha * (X @ split.Y_train.T).ravel() / X.shape[1])
    assert runs["raw"]["run"].iloc[0].endswith(": diverges") and len(runs["raw"]) == 2
    steps = cond.steps_to_converge(inputs["normalized"], split.Y_train, alpha)
    assert runs["normalized"]["run"].iloc[0].endswith(f": {steps:,} steps")
    notice = notice_with(at, "At one α")
    assert f"normalized inputs take {steps:,} steps; raw inputs diverge" in notice


def test_kappa_after_each_stage_is_drawn_and_both_steps_earn_their_place():
    at = run_page()
    X = built_in_split().X_train
    stages = cond.condition_numbers_by_stage(X)
    (kappas,) = chart_tables(at, "Condition number κ after each stage")
    np.testing.assert_allclose(kappas["kappa"], stages, rtol=1e-12)
    assert list(kappas["label"]) == ["3.26e+06", "7.53e+05", "27.8", "2.5"]
    notice = notice_with(at, "earn their place")
    assert "centring alone divides κ by 4.3, scaling alone divides κ by 120,000" in notice


def test_the_page_no_longer_calls_the_normalized_valley_round_while_its_features_correlate():
    # Before: "makes the valley round" beside κ = 2.5 after normalizing.
    at = run_page()
    X = built_in_split().X_train
    rho = np.corrcoef(X)[0, 1]
    kappa = cond.condition_number(Normalizer().fit_transform(X))
    assert kappa > 2 and "makes the valley round" not in page_text(at)
    notice = notice_with(at, "because size and rooms correlate")
    assert f"κ = {kappa:.3g}, not 1, because size and rooms correlate (ρ = {rho:.2f})" in notice


def test_an_upload_on_similar_scales_is_told_that_normalizing_matters_little():
    rng = np.random.default_rng(9)
    a, b = rng.normal(0, 1, 80), rng.normal(0, 1.2, 80)
    y = 2 * a - b + rng.normal(0, 0.1, 80)
    at = upload(csv_rows(["a,b,y"] + [f"{a[i]},{b[i]},{y[i]}" for i in range(80)]))
    assert not at.error
    split = datasets.train_test_split(np.vstack([a, b]), y[None, :], 0.2, np.random.default_rng(0))
    stages = cond.condition_numbers_by_stage(split.X_train)
    assert 1 <= stages.raw / stages.normalized < 2
    notice = notice_with(at, "changes κ little")
    assert f"({stages.raw:,.3g} raw, {stages.normalized:,.3g} normalized)" in notice
    assert notice.split("; ")[0].endswith("similar scales") and "it does no harm" in notice


def test_only_the_open_tab_under_the_hero_is_computed_and_drawn():
    at = run_page(opened=())
    assert [tab.label for tab in at.tabs] == list(panel.PARTS)
    headings = [h.value for h in at.header]
    assert "Why a long valley is slow" in headings
    assert "Subtract the mean, divide by the standard deviation" not in headings
    assert not at.metric and not at.dataframe and not at.table  # the test set's, the tables
    assert len(at.get("vega_lite_chart")) == 2 + 1  # the two panels and κ after each stage
    at.session_state["ni_part"] = "Subtract μ, divide by σ"
    at.run()
    assert len(at.get("vega_lite_chart")) == 2 + 3  # the two panels and the three stages


def test_a_link_with_the_test_sets_toggle_opens_its_tab():
    at = run_page({"ni_wrong": "true"})  # shared before the parts had tabs
    assert not at.exception and not at.info
    assert at.toggle(key="ni_wrong").value is True
    assert "Normalize the test set with the training μ and σ" in [h.value for h in at.header]


def test_a_closed_tabs_unusable_link_value_is_refused_with_a_notice():
    at = run_page({"ni_part": "A long valley", "ni_wrong": "maybe"})
    assert not at.exception
    assert "ni_wrong" in at.info[0].value
