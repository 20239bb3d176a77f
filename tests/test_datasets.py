import numpy as np
import pytest
from scipy import stats

from core import datasets


def generator(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


@pytest.mark.parametrize("make", [datasets.circles, datasets.moons])
@pytest.mark.parametrize("m", [2, 3, 7, 300])
def test_classification_sets_have_lecture_shapes_and_balanced_labels(make, m):
    data = make(m, generator())
    assert data.X.shape == (2, m) and data.Y.shape == (1, m)
    assert set(np.unique(data.Y)) <= {0.0, 1.0}
    assert np.sum(data.Y == 0) == m // 2
    assert np.sum(data.Y == 1) == m - m // 2


@pytest.mark.parametrize("make", [datasets.circles, datasets.moons, datasets.house_prices])
def test_same_seed_gives_same_data_and_another_seed_different_data(make):
    first, again, other = make(50, generator(3)), make(50, generator(3)), make(50, generator(4))
    np.testing.assert_array_equal(first.X, again.X)
    np.testing.assert_array_equal(first.Y, again.Y)
    assert not np.array_equal(first.X, other.X)


@pytest.mark.parametrize("factor", [0.3, 0.5, 0.8])
def test_circles_without_noise_lie_on_the_two_radii(factor):
    data = datasets.circles(101, generator(), noise=0.0, factor=factor)
    radii = np.linalg.norm(data.X, axis=0)
    np.testing.assert_allclose(radii[data.Y[0] == 0], 1.0, rtol=1e-12)
    np.testing.assert_allclose(radii[data.Y[0] == 1], factor, rtol=1e-12)


def test_circles_noise_is_gaussian_with_the_requested_spread():
    data = datasets.circles(20_000, generator(), noise=0.05, factor=0.5)
    radii = np.linalg.norm(data.X, axis=0)
    # The noise moves each radius by about N(0, noise²) (noise is small against the radii).
    deviations = np.concatenate([radii[data.Y[0] == 0] - 1.0, radii[data.Y[0] == 1] - 0.5])
    assert np.std(deviations) == pytest.approx(0.05, rel=0.05)
    assert stats.normaltest(deviations).pvalue > 1e-3


def test_circles_points_are_evenly_spread_around_each_circle():
    data = datasets.circles(400, generator(), noise=0.0)
    for label in (0.0, 1.0):
        angles = np.sort(np.arctan2(*data.X[::-1, data.Y[0] == label]))
        np.testing.assert_allclose(np.diff(angles), 2 * np.pi / 200, rtol=1e-9)


def test_moons_without_noise_lie_on_two_interleaving_half_circles():
    data = datasets.moons(200, generator(), noise=0.0)
    upper = data.X[:, data.Y[0] == 0]
    lower = data.X[:, data.Y[0] == 1]
    np.testing.assert_allclose(np.linalg.norm(upper, axis=0), 1.0, rtol=1e-12)
    assert np.all(upper[1] >= -1e-12)
    np.testing.assert_allclose(np.linalg.norm(lower - [[1.0], [0.5]], axis=0), 1.0, rtol=1e-12)
    assert np.all(lower[1] <= 0.5 + 1e-12)


def test_house_prices_features_live_on_very_different_scales():
    data = datasets.house_prices(2_000, generator())
    size, rooms = data.X
    assert data.X.shape == (2, 2_000) and data.Y.shape == (1, 2_000)
    assert size.min() >= 600 and size.max() <= 3_600
    assert set(np.unique(rooms)) <= set(range(1, 9))
    assert np.std(size) > 100 * np.std(rooms)
    assert np.all(data.Y > 0)
    assert data.feature_names == ("size", "rooms") and len(data.feature_units) == 2
    assert data.target_name == "price"


def test_house_prices_follow_their_documented_linear_model():
    data = datasets.house_prices(20_000, generator(1))
    design = np.vstack([data.X, np.ones(20_000)])  # an intercept, to show the model has none
    w, residuals, *_ = np.linalg.lstsq(design.T, data.Y.ravel(), rcond=None)
    np.testing.assert_allclose(
        w[:2], [datasets.PRICE_PER_SQUARE_FOOT, datasets.PRICE_PER_ROOM], rtol=0.05
    )
    assert abs(w[2]) < 5.0
    assert np.sqrt(residuals[0] / 20_000) == pytest.approx(datasets.PRICE_NOISE, rel=0.05)


def test_house_prices_allow_a_single_house():
    assert datasets.house_prices(1, generator()).X.shape == (2, 1)


def test_train_test_split_keeps_examples_and_labels_together():
    X = np.vstack([np.arange(20.0), -np.arange(20.0)])
    Y = np.arange(20.0).reshape(1, -1) * 10
    split = datasets.train_test_split(X, Y, 0.25, generator())
    assert split.X_train.shape == (2, 15) and split.X_test.shape == (2, 5)
    assert split.Y_train.shape == (1, 15) and split.Y_test.shape == (1, 5)
    for X_part, Y_part in [(split.X_train, split.Y_train), (split.X_test, split.Y_test)]:
        np.testing.assert_array_equal(X_part[1], -X_part[0])
        np.testing.assert_array_equal(Y_part[0], 10 * X_part[0])
    together = np.sort(np.concatenate([split.X_train[0], split.X_test[0]]))
    np.testing.assert_array_equal(together, np.arange(20.0))


def test_train_test_split_is_deterministic_for_a_seed():
    X = np.arange(30.0).reshape(1, -1)
    first = datasets.train_test_split(X, X, 0.3, generator(5))
    again = datasets.train_test_split(X, X, 0.3, generator(5))
    np.testing.assert_array_equal(first.X_test, again.X_test)
    assert first.X_test.shape == (1, 9)


def test_train_test_split_gives_at_least_one_test_example():
    split = datasets.train_test_split(np.ones((2, 10)), np.ones((1, 10)), 0.01, generator())
    assert split.X_test.shape == (2, 1) and split.X_train.shape == (2, 9)


def test_course_circles_are_300_training_and_100_test_points():
    split = datasets.course_circles(generator(1))
    assert split.X_train.shape == (2, 300) and split.Y_train.shape == (1, 300)
    assert split.X_test.shape == (2, 100) and split.Y_test.shape == (1, 100)
    assert split.Y_train.sum() == 150 and split.Y_test.sum() == 50
    again = datasets.course_circles(generator(1))
    np.testing.assert_array_equal(split.X_train, again.X_train)
    np.testing.assert_array_equal(split.X_test, again.X_test)
    assert not np.array_equal(split.X_test, datasets.course_circles(generator(2)).X_test)


@pytest.mark.parametrize("make", [datasets.circles, datasets.moons, datasets.house_prices])
@pytest.mark.parametrize(
    "m, message",
    [
        (0, "m must be at least 1"),
        (100_001, "m must be at most 100000"),
        (2.5, "m must be a whole number"),
        (True, "m must be a whole number"),
    ],
)
def test_example_count_out_of_bounds_is_refused(make, m, message):
    with pytest.raises(ValueError, match=message):
        make(m, generator())


@pytest.mark.parametrize("make", [datasets.circles, datasets.moons])
def test_classification_sets_need_one_example_per_class(make):
    with pytest.raises(ValueError, match=r"m must be at least 2 here \(one example per class\)"):
        make(1, generator())


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"noise": -0.1}, "noise must be at least 0"),
        ({"noise": float("inf")}, "noise must be a finite number"),
        ({"factor": 1.0}, "factor must be less than 1"),
        ({"factor": 0.0}, "factor must be greater than 0"),
    ],
)
def test_circles_refuse_bad_shape_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        datasets.circles(10, generator(), **kwargs)


@pytest.mark.parametrize("make", [datasets.circles, datasets.house_prices, datasets.course_circles])
def test_a_seed_instead_of_a_generator_is_refused_with_advice(make):
    arguments = (0,) if make is datasets.course_circles else (10, 0)
    with pytest.raises(
        ValueError, match=r"rng must be a numpy Generator such as np.random.default_rng\(0\)"
    ):
        make(*arguments)


@pytest.mark.parametrize(
    "X, Y, test_fraction, message",
    [
        (np.ones((2, 10)), np.ones((1, 9)), 0.2, "X has 10 examples .* but Y has 9"),
        (np.ones((2, 10)), np.ones((1, 10)), 0.0, "test_fraction must be greater than 0"),
        (np.ones((2, 10)), np.ones((1, 10)), 1.0, "test_fraction must be less than 1"),
        (np.ones((2, 10)), np.ones((1, 10)), 0.97, "leaves none to train on"),
        (np.ones((2, 1)), np.ones((1, 1)), 0.5, "leaves none to train on"),
        (np.ones(10), np.ones((1, 10)), 0.2, "must be 2-D"),
    ],
)
def test_train_test_split_refuses_bad_input_with_advice(X, Y, test_fraction, message):
    with pytest.raises(ValueError, match=message):
        datasets.train_test_split(X, Y, test_fraction, generator())


def test_house_prices_can_come_from_another_neighbourhood_with_the_same_price_model():
    data = datasets.house_prices(20_000, generator(2), sizes=(2_000.0, 5_000.0))
    size = data.X[0]
    assert size.min() >= 2_000 and size.max() <= 5_000
    assert np.mean(size) == pytest.approx(3_500, rel=0.02)
    design = np.vstack([data.X, np.ones(20_000)])
    w, *_ = np.linalg.lstsq(design.T, data.Y.ravel(), rcond=None)
    np.testing.assert_allclose(
        w[:2], [datasets.PRICE_PER_SQUARE_FOOT, datasets.PRICE_PER_ROOM], rtol=0.05
    )


@pytest.mark.parametrize("sizes", [(3_000.0, 600.0), (0.0, 100.0), (600.0,), "big"])
def test_house_prices_refuse_a_bad_size_range_with_advice(sizes):
    with pytest.raises(ValueError, match="sizes"):
        datasets.house_prices(10, generator(), sizes=sizes)


# ------------------------------------------------------------ toy splits and grids


@pytest.mark.parametrize("name", datasets.TOY_SETS)
def test_toy_split_is_300_training_and_100_balanced_test_points(name):
    split = datasets.toy_split(name, generator(5))
    assert split.X_train.shape == (2, 300) and split.Y_train.shape == (1, 300)
    assert split.X_test.shape == (2, 100) and split.Y_test.shape == (1, 100)
    assert split.Y_train.mean() == 0.5 and split.Y_test.mean() == 0.5


def test_toy_split_circles_is_the_course_data():
    split, course = (
        datasets.toy_split("circles", generator(2)),
        datasets.course_circles(generator(2)),
    )
    for got, expected in zip(split, course, strict=True):
        np.testing.assert_array_equal(got, expected)


def test_toy_split_moons_draws_training_then_test_from_the_generator():
    rng = generator(4)
    train = datasets.moons(300, rng, noise=datasets.MOONS_NOISE)
    test = datasets.moons(100, rng, noise=datasets.MOONS_NOISE)
    split = datasets.toy_split("moons", generator(4))
    np.testing.assert_array_equal(split.X_train, train.X)
    np.testing.assert_array_equal(split.X_test, test.X)


def test_toy_split_refuses_an_unknown_set_with_the_known_ones():
    with pytest.raises(ValueError, match="circles, moons"):
        datasets.toy_split("spirals", generator())


@pytest.mark.parametrize("steps", [1, 7, 60])
def test_grid_covers_the_points_and_the_margin_with_equal_cells(steps):
    X = np.array([[-1.0, 2.0, 0.5], [0.0, 1.0, 3.0]])
    grid = datasets.grid_covering(X, steps=steps, margin=0.5)
    assert grid.x1.shape == grid.x2.shape == (steps,) and grid.X.shape == (2, steps * steps)
    # cell edges run from min − margin to max + margin on each axis
    assert grid.x1[0] - grid.step1 / 2 == pytest.approx(-1.5)
    assert grid.x1[-1] + grid.step1 / 2 == pytest.approx(2.5)
    assert grid.x2[0] - grid.step2 / 2 == pytest.approx(-0.5)
    assert grid.x2[-1] + grid.step2 / 2 == pytest.approx(3.5)
    np.testing.assert_allclose(np.diff(grid.x1), grid.step1)
    # x1 varies fastest along the columns of X
    np.testing.assert_array_equal(grid.X[0, :steps], grid.x1)
    np.testing.assert_array_equal(grid.X[1, :steps], np.full(steps, grid.x2[0]))


def test_grid_over_a_single_point_without_margin_still_has_cells():
    grid = datasets.grid_covering(np.array([[1.0], [2.0]]), steps=3, margin=0.0)
    assert grid.step1 > 0 and grid.step2 > 0 and np.isfinite(grid.X).all()


@pytest.mark.parametrize(
    "X, kwargs, message",
    [
        (np.zeros((3, 4)), {}, "2 features"),
        (np.zeros((2, 4)), {"steps": 0}, "steps"),
        (np.zeros((2, 4)), {"steps": datasets.MAX_GRID_STEPS + 1}, "at most"),
        (np.zeros((2, 4)), {"margin": -1.0}, "margin"),
    ],
)
def test_grid_refuses_bad_input_with_advice(X, kwargs, message):
    with pytest.raises(ValueError, match=message):
        datasets.grid_covering(X, **kwargs)


def table(m: int = 12) -> dict[str, np.ndarray]:
    rng = generator(3)
    return {
        "a": rng.normal(size=m),
        "b": np.arange(m),
        "y": rng.normal(size=m),
        "text": np.array(["x"] * m, dtype=object),
        "gap": np.where(np.arange(m) == 3, np.nan, 1.0 * np.arange(m)),
        "blank": np.full(m, np.nan),
        "flat": np.full(m, 7.0),
    }


def test_regression_columns_stack_features_as_rows_and_target_as_one_row():
    columns = table()
    X, Y = datasets.regression_columns(columns, ("a", "b"), "y")
    assert X.shape == (2, 12) and Y.shape == (1, 12) and X.dtype == np.float64
    np.testing.assert_array_equal(X, np.vstack([columns["a"], columns["b"]]))
    np.testing.assert_array_equal(Y[0], columns["y"])


@pytest.mark.parametrize(
    "features, target, message",
    [
        (("a", "text"), "y", "'text' holds text"),
        (("a", "gap"), "y", "'gap' has 1 missing"),
        (("a", "blank"), "y", "'blank' is empty"),
        (("flat", "a"), "y", "'flat' is constant"),
        (("a", "a"), "y", "3 different columns"),
        (("a", "nope"), "y", "no column 'nope'"),
    ],
)
def test_regression_columns_refuse_unusable_columns_by_name(features, target, message):
    with pytest.raises(ValueError, match=message):
        datasets.regression_columns(table(), features, target)


@pytest.mark.parametrize("m", [1, datasets.MIN_TABLE_ROWS - 1])
def test_regression_columns_refuse_too_few_rows(m):
    with pytest.raises(ValueError, match=f"has {m} rows?;"):
        datasets.regression_columns(table(m), ("a", "b"), "y")
