"""Small synthetic data sets, made on the spot from a random generator (no downloads).

Every function returns X of shape (n_x, m), one example per column, and Y of shape (1, m),
and draws all its randomness from the ``rng: np.random.Generator`` it is given, so the same
seed gives the same data.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

import numpy as np

from core._checks import as_matrix, positive_float, positive_int

MAX_EXAMPLES = 100_000
"""Most examples one call may make (a hosted page must stay small)."""

PRICE_PER_SQUARE_FOOT = 0.15
"""House price model: thousands of dollars per square foot."""
PRICE_PER_ROOM = 12.0
"""House price model: thousands of dollars per room."""
PRICE_NOISE = 25.0
"""House price model: standard deviation of the unexplained part, in thousands of dollars."""
HOUSE_SIZES = (600.0, 3600.0)
"""House price model: the range sizes are drawn from, in square feet."""

# The course's initialization notebook: make_circles(300, noise=.05) to train, 100 to test.
COURSE_TRAIN_SIZE = 300
COURSE_TEST_SIZE = 100
COURSE_NOISE = 0.05
MOONS_NOISE = 0.2
"""Noise of ``toy_split("moons")``: enough overlap that a test point can be misclassified."""
TOY_SETS: tuple[str, ...] = ("circles", "moons")
MAX_GRID_STEPS = 200
"""Most points per axis of ``grid_covering`` (40,000 points in all)."""


class HousePrices(NamedTuple):
    """A regression set: X (2, m) = (size, rooms) per column, Y (1, m) = price."""

    X: np.ndarray
    Y: np.ndarray
    feature_names: tuple[str, str] = ("size", "rooms")
    feature_units: tuple[str, str] = ("sq ft", "rooms")
    target_name: str = "price"
    target_unit: str = "thousand $"


class LabelledPoints(NamedTuple):
    """A binary classification set: X (2, m) points, Y (1, m) labels 0.0 or 1.0."""

    X: np.ndarray
    Y: np.ndarray


class TrainTestSplit(NamedTuple):
    """X_train (n_x, m_train), Y_train (k, m_train), X_test (n_x, m_test), Y_test (k, m_test)."""

    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray


def _example_count(m: int, minimum: int) -> int:
    m = positive_int(m, "m", maximum=MAX_EXAMPLES)
    if m < minimum:
        raise ValueError(f"m must be at least {minimum} here (one example per class); got {m}.")
    return m


def _generator(rng: np.random.Generator) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"rng must be a numpy Generator such as np.random.default_rng(0); got {rng!r}."
        )
    return rng


def house_prices(
    m: int, rng: np.random.Generator, *, sizes: tuple[float, float] = HOUSE_SIZES
) -> HousePrices:
    """m houses whose two features live on very different scales.

    size ~ Uniform(600, 3600) sq ft (thousands); rooms = round(2 + size/1500 + N(0, 1)),
    clipped to 1…8 (units); price = 0.15·size + 12·rooms + N(0, 25²), in thousands of dollars.
    Rooms correlate with size (≈ 0.5); normalizing rescales but does not decorrelate, so the
    normalized cost contours are round-ish (κ ≈ 3), not perfect circles.
    ``sizes`` = (low, high) draws the sizes from another range instead, e.g. a test set from
    a neighbourhood of larger houses; the price model stays the same.
    Shapes: X (2, m) with rows (size, rooms), Y (1, m).
    """
    m = _example_count(m, 1)
    rng = _generator(rng)
    low, high = _size_range(sizes)
    size = rng.uniform(low, high, m)
    rooms = np.clip(np.round(2.0 + size / 1500.0 + rng.standard_normal(m)), 1.0, 8.0)
    price = (
        PRICE_PER_SQUARE_FOOT * size + PRICE_PER_ROOM * rooms + PRICE_NOISE * rng.standard_normal(m)
    )
    return HousePrices(X=np.stack([size, rooms]), Y=price.reshape(1, m))


def _size_range(sizes: tuple[float, float]) -> tuple[float, float]:
    advice = f"sizes must be (low, high) with 0 < low < high, in sq ft; got {sizes!r}."
    if not isinstance(sizes, (tuple, list)) or len(sizes) != 2:
        raise ValueError(advice)
    low, high = (positive_float(size, "sizes") for size in sizes)
    if low >= high:
        raise ValueError(advice)
    return low, high


def _labelled(
    X0: np.ndarray, X1: np.ndarray, noise: float, rng: np.random.Generator
) -> LabelledPoints:
    # Class 0 then class 1, Gaussian noise on every coordinate, then the columns shuffled so
    # that any slice of the set holds both classes.
    X = np.hstack([X0, X1])
    Y = np.hstack([np.zeros(X0.shape[1]), np.ones(X1.shape[1])]).reshape(1, -1)
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(X.shape[1])
    return LabelledPoints(X=X[:, order], Y=Y[:, order])


def circles(
    m: int, rng: np.random.Generator, *, noise: float = COURSE_NOISE, factor: float = 0.8
) -> LabelledPoints:
    """Two concentric circles, like sklearn's make_circles: a large one and a small one inside.

    ⌊m/2⌋ points evenly spaced on the circle of radius 1 (label 0) and the other ⌈m/2⌉ on
    the circle of radius ``factor`` (label 1), then N(0, noise²) added to each coordinate.
    Shapes: X (2, m), Y (1, m).
    """
    m = _example_count(m, 2)
    rng = _generator(rng)
    noise = positive_float(noise, "noise", allow_zero=True)
    factor = positive_float(factor, "factor", below=1.0)
    m_outer = m // 2
    theta_outer = np.linspace(0.0, 2 * np.pi, m_outer, endpoint=False)
    theta_inner = np.linspace(0.0, 2 * np.pi, m - m_outer, endpoint=False)
    outer = np.stack([np.cos(theta_outer), np.sin(theta_outer)])
    inner = factor * np.stack([np.cos(theta_inner), np.sin(theta_inner)])
    return _labelled(outer, inner, noise, rng)


def moons(m: int, rng: np.random.Generator, *, noise: float = 0.1) -> LabelledPoints:
    """Two interleaving half circles, like sklearn's make_moons.

    ⌊m/2⌋ points evenly spaced on the upper half of the unit circle (label 0) and the other
    ⌈m/2⌉ on the lower half of the unit circle centred at (1, 0.5) (label 1), then
    N(0, noise²) added to each coordinate. Shapes: X (2, m), Y (1, m).
    """
    m = _example_count(m, 2)
    rng = _generator(rng)
    noise = positive_float(noise, "noise", allow_zero=True)
    m_outer = m // 2
    theta_outer = np.linspace(0.0, np.pi, m_outer)
    theta_inner = np.linspace(0.0, np.pi, m - m_outer)
    outer = np.stack([np.cos(theta_outer), np.sin(theta_outer)])
    inner = np.stack([1.0 - np.cos(theta_inner), 0.5 - np.sin(theta_inner)])
    return _labelled(outer, inner, noise, rng)


def train_test_split(
    X: np.ndarray, Y: np.ndarray, test_fraction: float, rng: np.random.Generator
) -> TrainTestSplit:
    """Shuffle the columns (examples) of X and Y together and split off a test set.

    The test set gets round(test_fraction · m) examples (at least one), the training set the
    rest. X (n_x, m) and Y (k, m) must have the same number of columns.
    """
    X = as_matrix(X)
    Y = as_matrix(Y, "Y")
    m = X.shape[1]
    if Y.shape[1] != m:
        raise ValueError(
            f"X has {m} examples (columns) but Y has {Y.shape[1]}; pass one label per column."
        )
    test_fraction = positive_float(test_fraction, "test_fraction", below=1.0)
    rng = _generator(rng)
    m_test = max(1, round(test_fraction * m))
    if m_test >= m:
        raise ValueError(
            f"test_fraction={test_fraction} of {m} examples leaves none to train on; "
            "lower test_fraction or pass more examples."
        )
    order = rng.permutation(m)
    test, train = order[:m_test], order[m_test:]
    return TrainTestSplit(
        X_train=X[:, train], Y_train=Y[:, train], X_test=X[:, test], Y_test=Y[:, test]
    )


def course_circles(rng: np.random.Generator) -> TrainTestSplit:
    """The course's initialization data: 300 training and 100 test points of ``circles``.

    As in the course notebook the two sets are drawn separately (training first), each
    balanced between the classes, with noise 0.05 and factor 0.8.
    """
    rng = _generator(rng)
    train = circles(COURSE_TRAIN_SIZE, rng, noise=COURSE_NOISE)
    test = circles(COURSE_TEST_SIZE, rng, noise=COURSE_NOISE)
    return TrainTestSplit(X_train=train.X, Y_train=train.Y, X_test=test.X, Y_test=test.Y)


def toy_split(name: Literal["circles", "moons"], rng: np.random.Generator) -> TrainTestSplit:
    """300 training and 100 test points of a toy set, drawn separately, training first.

    "circles" is ``course_circles``; "moons" is ``moons`` with noise ``MOONS_NOISE``.
    """
    if name not in TOY_SETS:
        raise ValueError(f"Unknown data set {name!r}; choose one of {', '.join(TOY_SETS)}.")
    if name == "circles":
        return course_circles(rng)
    rng = _generator(rng)
    train = moons(COURSE_TRAIN_SIZE, rng, noise=MOONS_NOISE)
    test = moons(COURSE_TEST_SIZE, rng, noise=MOONS_NOISE)
    return TrainTestSplit(X_train=train.X, Y_train=train.Y, X_test=test.X, Y_test=test.Y)


class Grid(NamedTuple):
    """A regular grid over the plane: the centres x1 (k,) and x2 (k,) of its cells, their
    widths step1 and step2, and every centre as a column of X (2, k²), x1 varying fastest."""

    x1: np.ndarray
    x2: np.ndarray
    step1: float
    step2: float
    X: np.ndarray


def grid_covering(X: np.ndarray, steps: int = 60, margin: float = 0.25) -> Grid:
    """A steps × steps grid of cells covering the points X (2, m) and ``margin`` beyond them
    on every side (in the data's units), for drawing a classifier's decision regions."""
    X = as_matrix(X)
    if X.shape[0] != 2:
        raise ValueError(f"X must have 2 features (rows) to draw a grid over; got {X.shape[0]}.")
    steps = positive_int(steps, "steps", maximum=MAX_GRID_STEPS)
    margin = positive_float(margin, "margin", allow_zero=True)
    low, high = X.min(axis=1) - margin, X.max(axis=1) + margin
    high = np.maximum(high, low + 1e-9)  # one point and no margin: still a grid of width > 0
    step = (high - low) / steps
    x1, x2 = (low[i] + step[i] * (np.arange(steps) + 0.5) for i in range(2))
    X1, X2 = np.meshgrid(x1, x2)
    return Grid(x1, x2, float(step[0]), float(step[1]), np.stack([X1.ravel(), X2.ravel()]))


MIN_TABLE_ROWS = 10
"""Fewest rows ``regression_columns`` accepts: enough to split off a test set and still fit."""


def regression_columns(
    columns: dict[str, np.ndarray], features: tuple[str, ...], target: str
) -> tuple[np.ndarray, np.ndarray]:
    """X (n_x, m) and Y (1, m) from the columns of a table, one example per table row.

    ``columns`` maps a column name to its values (any 1-D array, e.g. a CSV column read as
    text or numbers). Each chosen column must hold numbers only, with no missing values and
    at least two different values (a constant feature is all zeros once centred); the table
    needs at least MIN_TABLE_ROWS rows. Every refusal names the column and what to fix.
    """
    chosen = [*features, target]
    if len(set(chosen)) != len(chosen):
        raise ValueError(f"Choose {len(chosen)} different columns; got {', '.join(chosen)}.")
    for name in chosen:
        if name not in columns:
            raise ValueError(f"There is no column {name!r}; choose one of {', '.join(columns)}.")
    m = np.asarray(columns[target]).size
    if m < MIN_TABLE_ROWS:
        rows = "1 row" if m == 1 else f"{m} rows"
        raise ValueError(f"The table has {rows}; it needs at least {MIN_TABLE_ROWS} examples.")
    values = [_numeric_column(np.asarray(columns[name]).ravel(), name) for name in chosen]
    if any(column.size != m for column in values):
        raise ValueError("The columns have different lengths; pass one value per row in each.")
    return np.stack(values[:-1]), values[-1].reshape(1, m)


def _numeric_column(values: np.ndarray, name: str) -> np.ndarray:
    try:
        numbers = values.astype(np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"Column {name!r} holds text, not numbers; choose a numeric column."
        ) from None
    missing = int(np.sum(~np.isfinite(numbers)))
    if missing == numbers.size:
        raise ValueError(f"Column {name!r} is empty; choose a column with values.")
    if missing:
        raise ValueError(
            f"Column {name!r} has {missing} missing or infinite values; fill or drop those rows."
        )
    if np.all(numbers == numbers[0]):
        raise ValueError(
            f"Column {name!r} is constant ({numbers[0]:g}): it carries no information, and "
            "centring turns it into zeros; choose a column that varies."
        )
    return numbers
