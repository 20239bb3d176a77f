"""The normalizing-inputs page's controls, its cached runs of core/ and its sentences.

Three parts, as on the page: the data (built-in house prices or an uploaded CSV) in three
stages, gradient descent on the cost before and after normalizing, and the test set
normalized with the training statistics or its own.
"""

import codecs
import csv
import io
import re
from typing import NamedTuple

import numpy as np
import pandas as pd
import streamlit as st

from charts import motion
from charts import normalization as charts
from core import conditioning as cond
from core import datasets
from core.normalization import Normalizer, normalize_train_test
from ui.links import lazy_tabs, url_toggle
from ui.presentation import font_scale, secondary
from ui.text import latex_text, markdown_plain

MAX_MB, MAX_ROWS, MAX_COLUMNS = 5, 100_000, 100
SHOWN_EXAMPLES = 2_000
SOURCES = ("Built-in house prices", "My CSV file")
TOLERANCES = (1e-2, 1e-3, 1e-4, 1e-6)
# Every control's starting value, by widget key: the widgets and the walkthrough read it.
DEFAULTS = {
    "ni_src": SOURCES[0], "ni_m": 200, "ni_mt": 40, "ni_shift": 1_000, "ni_seed": 0,
    "ni_lr": 0.5, "ni_tol": 1e-3, "ni_wrong": False, "ni_part": "A long valley",
}  # fmt: skip
BOUND = {"bind": "query-params"}
PART = "ni_part"  # the tabs' key, and the query parameter of the open part
PARTS = {
    "A long valley": (),
    "Subtract μ, divide by σ": (),
    "The test set": ("ni_wrong",),
}
"""The three parts under the hero, by tab label (the value ni_part takes in links), and
their own controls' keys."""


def part_tabs() -> list:
    """The three parts' tabs, bound to the URL as ni_part; only the open one's part runs
    (``ui.links.lazy_tabs``): a first visit draws 4 charts fewer."""
    return lazy_tabs(PART, PARTS, DEFAULTS, lambda _key, text: url_toggle(text))


# Control characters no text file holds (tab, line feed and carriage return are text).
CONTROL_BYTE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@st.cache_data(max_entries=32, show_spinner=False)
def built_in(m: int, m_test: int, shift: int, seed: int) -> tuple[datasets.TrainTestSplit, dict]:
    rng = np.random.default_rng(seed)
    train = datasets.house_prices(m, rng)
    low, high = datasets.HOUSE_SIZES
    test = datasets.house_prices(m_test, rng, sizes=(low + shift, high + shift))
    target = f"{train.target_name} ({train.target_unit})"
    meta = {"names": train.feature_names, "units": train.feature_units, "target": target}
    return datasets.TrainTestSplit(train.X, train.Y, test.X, test.Y), meta


COLUMN_KEYS = ("ni_x1", "ni_x2", "ni_y")
FILE_KEY = "ni_file"  # session state: the upload whose columns the choices were made for


HEADER_KB = 64  # the column names and the first row of values must end within 64 KB
SNIFF_CHARACTERS = 4_096  # csv.Sniffer's quote search takes time quadratic in a line's length
SEPARATORS = ",;\t|"


class Header(NamedTuple):
    """The first row of an uploaded table, read with the csv module before pandas."""

    names: list[str]
    separator: str  # one of SEPARATORS
    blank_lines: int  # lines before it that hold nothing (pandas is told to skip them)


def read_header(content: bytes) -> Header:
    """The column names and the separator, read from the file's first HEADER_KB only, or a
    ValueError saying why the table cannot be used.

    This bounds what any upload costs before pandas sees it. pandas makes a column of
    every name in the header, renaming duplicates in quadratic Python (40,000 columns
    named "a" cost 18 s of CPU), and of every value in the first row beyond the header's
    count, as a level of the row index (2.6 million values, four minutes and 5 GB), so
    both rows must end within HEADER_KB and hold at most MAX_COLUMNS values. Later rows
    that are too long pandas refuses itself, at once. The separator is a comma, or what
    csv.Sniffer finds in the first lines (a semicolon, a tab or a bar); a file whose
    separator it cannot tell is refused when its first row holds one of those."""
    # 4 bytes more: a whole character after the rows. Shorter than csv.field_size_limit().
    head = content[: HEADER_KB * 2**10 + 4]
    whole = len(head) == len(content)
    text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=whole)
    try:
        separator = csv.Sniffer().sniff(text[:SNIFF_CHARACTERS], SEPARATORS).delimiter
    except csv.Error:
        separator = ","
    lines = io.StringIO(text, newline="")  # "\r", "\n" and "\r\n" end a line, as in pandas
    rows = csv.reader(lines, delimiter=separator)
    names, blank_lines = [], 0
    for row in rows:  # the first row with a name: pandas is told to skip the lines before it
        if any(name.strip() for name in row):
            names = row
            break
        blank_lines = rows.line_num
    at_least = "" if whole or lines.tell() < len(text) else "at least "  # the row was cut
    if len(names) > MAX_COLUMNS:
        raise ValueError(
            f"it has {at_least}{len(names):,} columns; this page needs 3 to {MAX_COLUMNS}"
        )
    if len(names) < 3 and separator == "," and any(other in "".join(names) for other in ";\t|"):
        raise ValueError(
            "it does not separate its values with commas, and its first lines show no other "
            "separator used evenly; save it with commas between the values"
        )
    # The first row of values; pandas skips blank lines, which are empty or white space.
    values = next((row for row in rows if len(row) > 1 or (row and row[0].strip())), [])
    at_least = "" if whole or lines.tell() < len(text) else "at least "
    if len(values) > len(names):
        raise ValueError(
            f"its first row of values has {at_least}{len(values):,} fields for "
            f"{len(names)} column names; give every row one value per column"
        )
    if at_least:
        raise ValueError(
            f"its column names and first row of values do not end within its first {HEADER_KB}"
            " KB (very long names or values, or a quote left open); this page needs 3 to "
            f"{MAX_COLUMNS} columns of numbers"
        )
    return Header(names, separator, blank_lines)


@st.cache_data(max_entries=4, show_spinner="Reading the CSV…")
def read_csv(content: bytes) -> pd.DataFrame:
    """The table, after read_header has found its separator and at most MAX_COLUMNS names.
    pandas' parser errors say where a text file breaks (a ragged row, an open quote); of a
    binary file they only echo its tokenizer, so that refusal is reworded."""
    header = read_header(content)
    try:
        return pd.read_csv(
            io.BytesIO(content), sep=header.separator, skiprows=header.blank_lines,
            nrows=MAX_ROWS + 1,
        )  # fmt: skip
    except pd.errors.ParserError:
        control = CONTROL_BYTE.search(content)
        if control is None:
            raise
        raise ValueError(
            f"it is not a readable CSV text file: byte {control.start() + 1:,} is the control "
            f"character 0x{control.group()[0]:02X}, which text files do not hold; save the "
            "table as CSV text and upload that"
        ) from None


def _usable(values: np.ndarray | pd.Series) -> bool:
    numbers = isinstance(values, np.ndarray) and np.issubdtype(values.dtype, np.number)
    return numbers and bool(np.isfinite(values).any())


def table_columns(table: pd.DataFrame) -> dict[str, np.ndarray | pd.Series]:
    """The table's columns by name: numbers as arrays; text as pandas keeps it, compact,
    until a column is chosen (as Python strings, 100 columns of short text within 5 MB
    would take about 100 MB)."""
    return {
        str(name): values.to_numpy() if pd.api.types.is_numeric_dtype(values) else values
        for name, values in table.items()
    }


def default_features(columns: dict[str, np.ndarray]) -> tuple[int, int]:
    """Indices of the features' first choices: the first two numeric columns with values,
    when there are three such columns; else the first two columns, for regression_columns
    to say what is wrong with them."""
    numeric = [i for i, values in enumerate(columns.values()) if _usable(values)]
    return (numeric[0], numeric[1]) if len(numeric) >= 3 else (0, 1)


def _choose_for_new_file(file_id: str, columns: dict[str, np.ndarray], features) -> None:
    # Selectboxes keep a value across files when the new file has a column of that name,
    # which can pair a text column or one column twice. A new file keeps the choices (a
    # link's, say) only if they are three different numeric columns of it; otherwise all
    # three start again from its defaults.
    if st.session_state.get(FILE_KEY) == file_id:
        return
    st.session_state[FILE_KEY] = file_id
    names = list(columns)
    chosen = [st.session_state.get(key) for key in COLUMN_KEYS]
    if len(set(chosen)) == 3 and all(c in columns and _usable(columns[c]) for c in chosen):
        return
    x1, x2 = (names[i] for i in features)
    y = names[default_target(columns, (x1, x2))]
    for key, name in zip(COLUMN_KEYS, (x1, x2, y), strict=True):
        st.session_state[key] = name


def default_target(columns: dict[str, np.ndarray], features: tuple[str, str]) -> int:
    """Index of the target's first choice: the last numeric column with values that is not
    a feature. With none, the third column, for regression_columns to say what is wrong."""
    candidates = [
        i
        for i, (name, values) in enumerate(columns.items())
        if name not in features and _usable(values)
    ]
    return candidates[-1] if candidates else 2


def uploaded_table(content: bytes) -> pd.DataFrame:
    """The uploaded file's table, or a ValueError saying why it cannot be used: over MAX_MB,
    over MAX_ROWS rows, not 3 to MAX_COLUMNS columns, or what read_csv refuses."""
    if len(content) > MAX_MB * 2**20:
        raise ValueError(f"it is over {MAX_MB} MB")
    table = read_csv(content)
    if len(table) > MAX_ROWS:
        raise ValueError(f"it has over {MAX_ROWS:,} rows; upload a sample of them")
    if not 3 <= table.shape[1] <= MAX_COLUMNS:
        raise ValueError(f"it has {table.shape[1]} columns; this page needs 3 to {MAX_COLUMNS}")
    return table


def csv_controls():
    """The uploaded CSV as (split, meta), or None after saying why it cannot be used."""
    upload = st.sidebar.file_uploader("CSV file", type="csv", max_upload_size=MAX_MB, key="ni_csv")
    st.sidebar.caption("An uploaded file cannot be kept in a link; the column choices are.")
    if upload is None:
        return None
    try:
        columns = table_columns(uploaded_table(upload.getvalue()))
        names = list(columns)
        first, second = default_features(columns)
        _choose_for_new_file(upload.file_id, columns, (first, second))
        x1 = st.sidebar.selectbox("Feature x₁", names, index=first, key="ni_x1", **BOUND)
        x2 = st.sidebar.selectbox("Feature x₂", names, index=second, key="ni_x2", **BOUND)
        target = default_target(columns, (x1, x2))
        y = st.sidebar.selectbox("Target y", names, index=target, key="ni_y", **BOUND)
        X, Y = datasets.regression_columns(columns, (x1, x2), y)
        split = datasets.train_test_split(X, Y, 0.2, np.random.default_rng(0))
        cond.hessian(split.X_train)  # refuses values too large to square, before normalizing
        # κ > 1e12 after normalizing: the features' correlation is ±1 up to rounding.
        if cond.condition_number(Normalizer().fit_transform(split.X_train)) > 1e12:
            raise ValueError(
                f"{x1} and {x2} lie on one line (one is a linear function of the other), so the "
                "cost has no single minimum; choose two features that vary independently"
            )
    except UnicodeDecodeError:
        st.error(
            f"Cannot use {markdown_plain(upload.name)}: it is not UTF-8 text; save it as a "
            "UTF-8 CSV."
        )
        return None
    except ValueError as error:  # pandas' parser errors (ragged rows, no columns) included
        st.error(f"Cannot use {markdown_plain(upload.name)}: {markdown_plain(error)}")
        return None
    return split, {"names": (x1, x2), "units": ("", ""), "target": y, "csv": True}


def data_controls():
    st.sidebar.header("Data")
    source = st.sidebar.radio(
        "Data", SOURCES, SOURCES.index(DEFAULTS["ni_src"]), key="ni_src", **BOUND
    )
    if source == "My CSV file":
        uploaded = csv_controls()
        if uploaded is None:
            st.sidebar.info("Showing the built-in house prices until a usable CSV is chosen.")
        return uploaded or default_houses()
    more = secondary()
    m = more.slider("Training houses m", 10, 5_000, DEFAULTS["ni_m"], 10, key="ni_m", **BOUND)
    m_test = more.slider("Test houses", 5, 1_000, DEFAULTS["ni_mt"], 5, key="ni_mt", **BOUND)
    shift = more.slider(
        "Test neighbourhood: houses larger by (sq ft)", 0, 2_000, DEFAULTS["ni_shift"], 100,
        key="ni_shift", help="Test sizes are drawn from 600–3600 sq ft plus this.", **BOUND,
    )  # fmt: skip
    seed = more.number_input("Random seed", 0, 9_999, DEFAULTS["ni_seed"], key="ni_seed", **BOUND)
    return built_in(m, m_test, shift, seed)


def default_houses() -> tuple[datasets.TrainTestSplit, dict]:
    """The built-in house prices at the controls' defaults."""
    return built_in(DEFAULTS["ni_m"], DEFAULTS["ni_mt"], DEFAULTS["ni_shift"], DEFAULTS["ni_seed"])


def descent_controls(where=st) -> tuple[float, float]:
    """The shared learning rate (as a fraction) and the tolerance, in ``where``."""
    fraction = where.slider(
        "One learning rate α for both, as a fraction of 2/λ_max (normalized)",
        0.05, 1.2, DEFAULTS["ni_lr"], 0.05, key="ni_lr", **BOUND,
        help="α = this fraction × 2/λ_max of the normalized inputs; for two normalized "
        "features 2/λ_max = 2/(1 + |ρ|), between 1 and 2, and above 1 gradient descent "
        "diverges on them. Raw inputs get the same α.",
    )  # fmt: skip
    tolerance = where.select_slider(
        "Converged once the distance to w* has shrunk by", TOLERANCES, DEFAULTS["ni_tol"],
        format_func=lambda value: f"{value:.0e}", key="ni_tol", **BOUND,
    )  # fmt: skip
    return fraction, tolerance


@st.cache_data(max_entries=16, show_spinner=False)
def stage_points(X: np.ndarray) -> tuple[pd.DataFrame, Normalizer, np.ndarray]:
    """The examples raw, centred and scaled; the fitted Normalizer; H = (1/m) X Xᵀ."""
    H = cond.hessian(X)  # first: it refuses values too large to square, before any warning
    normalizer, shown = Normalizer().fit(X), X[:, :SHOWN_EXAMPLES]
    centred = Normalizer(with_std=False).fit(X).transform(shown)
    scaled = normalizer.transform(shown)
    sets = dict(zip(STAGE_TITLES, (shown, centred, scaled), strict=True))
    return charts.points_frame(sets, "stage"), normalizer, H


def shared_learning_rate(X_normalized: np.ndarray, fraction: float) -> float:
    """The one α both panels use: ``fraction`` of 2/λ_max on the normalized inputs."""
    return fraction * cond.learning_rate_stability_limit(X_normalized)


LEVELS = 8  # contour ellipses per panel, log-spaced in J − J*
EQUAL_UNITS_UP_TO = 100.0  # κ: up to a valley 10 times longer than wide, axes in equal units


def frame_steps(last: int, ends: tuple[int, ...] = ()) -> np.ndarray:
    """The steps drawn of a run of ``last`` steps: at most motion.AT_MOST, the first ones
    one by one, then log-spaced (motion.frames), with ``last`` and each of ``ends`` (where
    a shorter run stops) among them."""
    kept = motion.frames(last + 1, motion.AT_MOST - len(ends), spacing="log")
    return np.union1d(kept, [end for end in ends if end <= last]).astype(np.int64)


def contour_levels(quadratic: cond.Quadratic, w0: np.ndarray) -> np.ndarray:
    """LEVELS values of J − J*, log-spaced from the ellipse through the start w0 down to
    one whose long axis is a twentieth of the start's distance to w*."""
    lambdas = np.linalg.eigvalsh(quadratic.H)
    distance = float(np.linalg.norm(w0.reshape(-1, 1) - quadratic.w_star))
    top = float(quadratic.costs(w0.reshape(-1, 1))[0] - quadratic.J_star)
    if not top > 0:  # the start is the minimum: any small ellipses will do
        return np.geomspace(1.0, 1e-3, LEVELS)
    bottom = 0.5 * max(lambdas[0], 0.0) * (distance / 20) ** 2
    return np.geomspace(top, min(bottom, top / 100) or top / 100, LEVELS)


def _window(path: np.ndarray, w_star: np.ndarray, equal_units: bool) -> tuple:
    # The plot's axes: the best run's path, the start and w*, with a margin. In equal
    # units both axes get the longer span, centred on the points.
    low, high = path.min(axis=0), path.max(axis=0)
    low, high = np.minimum(low, w_star), np.maximum(high, w_star)
    middle, half = (low + high) / 2, (high - low) / 2
    half = np.where(half > 0, half, np.abs(middle) + 1.0) * 1.12
    if equal_units:
        half[:] = half.max()
    return tuple((float(m - h), float(m + h)) for m, h in zip(middle, half, strict=True))


class Descent(NamedTuple):
    """Gradient descent on one panel's inputs, at their best α* and at the shared α."""

    facts: dict  # steps [at the shared α, at α*] (None: never), kappa, limit, best
    paths: pd.DataFrame  # path_frame of both runs, the shared α's last (drawn on top)
    frames: pd.DataFrame  # motion.frame_table of the steps drawn
    ellipses: pd.DataFrame  # ellipse_frame of LEVELS contours (empty if H is singular)
    window: tuple  # ((w1 low, high), (w2 low, high))
    equal_units: bool  # both axes to one scale (else the valley is too narrow to see)
    w_star: tuple[float, float]
    drawn: int  # steps drawn of the longest run
    last: int  # the longest run's last step drawn


def run_names(alpha: float, facts: dict) -> dict[str, str]:
    """Each run's name, by style (charts.RUN_STYLES): its rate and what it did, as the
    legend, the tooltips and the page's data write them."""
    best, limit = facts["best"], facts["limit"]
    return {
        "best": f"best α* = {best:.3g}: {outcome_text(facts['steps'][1], best, limit)}",
        "shared": f"α = {alpha:.3g}, both panels: {outcome_text(facts['steps'][0], alpha, limit)}",
    }


@st.cache_data(max_entries=64, show_spinner="Running gradient descent…")
def descent_runs(X: np.ndarray, Y: np.ndarray, alpha: float, tolerance: float) -> Descent:
    """Both runs of gradient descent on X, drawn at frame_steps, and the cost's contours."""
    quadratic = cond.cost_quadratic(X, Y)
    limit, best = cond.learning_rate_stability_limit(X), cond.best_stable_learning_rate(X)
    rates = {"shared": alpha, "best": best}
    steps = {
        run: cond.steps_to_converge(X, Y, rate, None, tolerance) for run, rate in rates.items()
    }
    known = [n for n in steps.values() if n is not None]
    last = max(known, default=1_000)  # no run arrives: a thousand steps show that
    frames = frame_steps(last, tuple(known))
    played = motion.frame_table(frames)
    kappa = cond.condition_number(X)
    facts = {"steps": [steps["shared"], steps["best"]], "kappa": kappa, "limit": limit,
             "best": best}  # fmt: skip
    names = run_names(alpha, facts)
    runs = {}
    for run in ("best", "shared"):  # the shared α last: drawn on top
        shown = frames if steps[run] is None else frames[frames <= steps[run]]
        snap = cond.gradient_descent_at_steps(X, Y, rates[run], shown)
        runs[run] = charts.path_frame(
            snap.steps, snap.path, snap.costs - quadratic.J_star, names[run], run, played
        )
    equal_units = kappa <= EQUAL_UNITS_UP_TO
    w0, w_star = np.zeros(2), quadratic.w_star.ravel()
    best_path = np.vstack([runs["best"][["w1", "w2"]].to_numpy(), w0])
    try:
        ellipses = {
            level: cond.contour_ellipse(quadratic.H, w_star, level)
            for level in contour_levels(quadratic, w0)
        }
    except ValueError:  # H singular to rounding: its level sets are no ellipses
        ellipses = {}
    return Descent(
        facts,
        pd.concat(runs.values(), ignore_index=True),
        played,
        charts.ellipse_frame(ellipses),
        _window(best_path, w_star, equal_units),
        equal_units,
        (float(w_star[0]), float(w_star[1])),
        drawn=max(len(path) for path in runs.values()),
        last=int(max(path["step"].max() for path in runs.values())),
    )


def contour_titles(label: str, names: tuple[str, str]) -> tuple[str, tuple[str, str]]:
    """The contour chart's title and its axes' titles, for ``label`` inputs."""
    axes = (f"w₁, weight of {label} {names[0]}", f"w₂, weight of {label} {names[1]}")
    return f"J − J* on {label} inputs", axes


def outcome_text(steps: int | None, alpha: float, limit: float) -> str:
    """What gradient descent at α did: its step count, "diverges" (α above 2/λ_max) or
    "never arrives" (1 − αλ_min rounds to 1, or α is 2/λ_max to the last digit, as α* is
    when κ passes 1e16)."""
    if steps is not None:
        return f"{count_text(steps)} steps"
    return "diverges" if alpha > limit else "never arrives"


def count_text(steps: int | None) -> str:
    """A step count as the hero writes it: 9, 12,345, 11.3 M, 2.1 billion; None: never."""
    if steps is None:
        return "never"
    if steps >= 1e9:
        return f"{steps / 1e9:.3g} billion"
    return f"{steps / 1e6:.3g} M" if steps >= 1e6 else f"{steps:,}"


def hero_number(raw: dict, scaled: dict) -> str:
    """The page's result in a few words: steps at each input's best α*, raw → normalized."""
    return f"{_steps_phrase(raw['steps'][1])} → {_steps_phrase(scaled['steps'][1])}"


def _steps_phrase(steps: int | None) -> str:
    if steps is None:
        return "never there"
    return f"{count_text(steps)} step{'' if steps == 1 else 's'}"


def hero_label(tolerance: float) -> str:
    """What the hero's number counts."""
    return (
        f"Gradient descent until w is {1 / tolerance:,.0f}× closer to w*, each at its best "
        "learning rate α*: raw inputs → normalized"
    )


def shared_alpha_text(raw: dict, scaled: dict, alpha: float) -> str:
    """What the one α of the slider does on both inputs, in a sentence."""
    raw_steps, steps = raw["steps"][0], scaled["steps"][0]
    at = f"At one α = {alpha:.3g} for both"
    if steps is None:
        raw_words = (
            f"take {raw_steps:,} steps" if raw_steps is not None
            else "diverge too" if alpha > raw["limit"] else "never arrive"
        )  # fmt: skip
        return f"{at}: normalized inputs diverge; raw inputs {raw_words}."
    if raw_steps is None and alpha > raw["limit"]:
        return (
            f"{at}: normalized inputs take {steps:,} steps; raw inputs diverge, stable only "
            f"below 2/λ_max = {raw['limit']:.3g}, {factor_text(scaled['limit'] / raw['limit'])} "
            "times lower."
        )
    if raw_steps is None:
        return f"{at}: normalized inputs take {steps:,} steps; raw inputs never arrive."
    saves = (
        f"normalizing cuts the steps {factor_text(raw_steps / steps)}-fold"
        if steps < raw_steps
        else "normalizing saves no steps at this α"
    )
    return f"{at}: raw inputs take {raw_steps:,} steps, normalized {steps:,}; {saves}."


def lesson_lines(descent: Descent) -> list[str]:
    """What a contour panel writes under its title: the valley's stretch, whether the axes
    are stretched, and how many of its longest run's steps are drawn."""
    kappa = descent.facts["kappa"]
    if not np.isfinite(kappa):
        lines = ["valley endless: H is singular (κ = ∞)"]
    elif kappa**0.5 < 1.05:
        lines = [f"valley round (κ = {kappa:.3g})"]
    else:
        lines = [f"valley {stretch_text(kappa**0.5)}× longer than wide (κ = {kappa_text(kappa)})"]
    drawn = f"{descent.drawn - 1:,} of {count_text(descent.last)} steps drawn"
    if not descent.equal_units:
        lines.append(
            "axes stretched to show it" + (f"; {drawn}" if descent.drawn - 1 < descent.last else "")
        )
    elif descent.drawn - 1 < descent.last:
        lines.append(drawn)
    return lines


def stretch_text(ratio: float) -> str:
    """A valley's length over its width: 1.6, 12, 1,800."""
    return f"{ratio:.2g}" if ratio < 10 else f"{float(f'{ratio:.2g}'):,.0f}"


def kappa_text(kappa: float) -> str:
    """κ to three figures, millions as M: 2.5, 812, 3.26 M, 1e+18."""
    if kappa >= 1e9:
        return f"{kappa:.2g}"
    return f"{kappa / 1e6:.3g} M" if kappa >= 1e6 else f"{kappa:,.3g}"


def contour_tables(descent: Descent) -> dict[str, pd.DataFrame]:
    """The tables charts.contour_chart draws, by name."""
    return {
        charts.ELLIPSES: descent.ellipses,
        charts.PATHS: descent.paths,
        charts.MINIMUM: charts.minimum_frame(descent.w_star, descent.window),
        charts.LESSON: charts.lesson_frame(lesson_lines(descent), font_scale()),
        charts.FRAMES: descent.frames,
    }


COLOUR_NAMES = {"#e45756": "red", "#5b3c99": "purple"}
"""The words for the runs' colours (charts.RUN_STYLES)."""


def run_style_words(run: str) -> str:
    """How a run (a charts.RUN_STYLES key) is drawn, in words: "red circles"."""
    colour, marker = charts.RUN_STYLES[run]
    return f"{COLOUR_NAMES[colour]} {marker}s"


def contour_description(label: str) -> str:
    """The contour chart's alternative text: what it draws (its numbers are written on it)."""
    return (
        f"Contour ellipses of the cost J − J* on {label} inputs around its minimum w* (a "
        "cross), the first weight across and the second up. On top, gradient descent's two "
        f"paths from w = 0: at the best learning rate α* ({run_style_words('best')}) and at "
        f"the α both panels share ({run_style_words('shared')}), a line through the first "
        "steps and dots at later ones. Above the plot, how much longer than wide the valley "
        "is, with κ, and how many steps are drawn; the legend gives each run's rate and step "
        "count. ▶ play replays the paths."
    )


@st.cache_data(max_entries=16, show_spinner=False)
def test_sets(split: datasets.TrainTestSplit) -> dict:
    """Per way of normalizing the test set (own statistics or not): both sets' points,
    the test RMSE of least squares fitted on the normalized training set, the test mean."""
    errors = {}
    for own in (False, True):
        sets = normalize_train_test(split.X_train, split.X_test, use_train_statistics=not own)
        fit = cond.fit_linear_regression(sets.X_train, split.Y_train)
        frame = charts.points_frame({"training": sets.X_train, "test": sets.X_test}, "set")
        rmse = cond.root_mean_squared_error(fit.predict(sets.X_test), split.Y_test)
        errors[own] = frame, rmse, sets.mu_test[0, 0]
    return errors


@st.cache_data(max_entries=16, show_spinner=False)
def stage_conditioning(X: np.ndarray) -> tuple[cond.StageConditionNumbers, float]:
    """κ raw, centred only, scaled only and normalized; the two features' correlation ρ."""
    return cond.condition_numbers_by_stage(X), float(cond.correlation(X)[0, 1])


class PageData(NamedTuple):
    """The chosen data and what every section of the page draws from them."""

    split: datasets.TrainTestSplit
    meta: dict  # names and units of the two features, the target's name, "csv" if uploaded
    stage_points: pd.DataFrame  # the examples raw, centred and scaled (stage_points)
    normalizer: Normalizer  # fitted on split.X_train
    H: np.ndarray  # (1/m) X Xᵀ of the raw training inputs, (2, 2)
    errors: dict  # test_sets(split)
    stages: cond.StageConditionNumbers  # κ of the training inputs after each stage
    rho: float  # the correlation of the two training features


def prepared(split: datasets.TrainTestSplit, meta: dict) -> PageData:
    """What every section draws from the chosen data (see PageData)."""
    return PageData(split, meta, *stage_points(split.X_train), test_sets(split),
                    *stage_conditioning(split.X_train))  # fmt: skip


def usable_data() -> PageData:
    """The chosen data, or the built-in house prices after saying why an uploaded table
    that passed the upload's checks still cannot be used (too large to square, say)."""
    split, meta = data_controls()
    try:
        return prepared(split, meta)
    except ValueError as error:
        st.error(
            f"These data cannot be used: {markdown_plain(error)} Showing the built-in house "
            "prices instead."
        )
    return prepared(*default_houses())


def tex(value: float) -> str:
    mantissa, exponent = f"{value:.3e}".split("e")
    small = abs(int(exponent)) <= 3
    return f"{value:.4g}" if small else rf"{float(mantissa):g}\times10^{{{int(exponent)}}}"


def steps_text(steps: int | None) -> str:
    return "never" if steps is None else f"{steps:,}"


# KaTeX ends an aligned block with a 2 px spacer that overhangs the formula's box (its
# scrollWidth exceeds its width); a thin space after the block keeps the spacer inside.
ALIGNED_END = r"\,"
MEAN_AND_VARIANCE = (
    r"\begin{aligned}\mu &= \frac{1}{m}\sum_{i=1}^{m} x^{(i)}\\"
    r"\sigma^2 &= \frac{1}{m}\sum_{i=1}^{m}\bigl(x^{(i)}-\mu\bigr)^2\\"
    r"x &:= \frac{x-\mu}{\sigma}\end{aligned}" + ALIGNED_END
)
"""μ, σ² and the map, one per line: each fits a phone's width."""


def feature_formulas(names: tuple[str, str], normalizer: Normalizer) -> list[str]:
    """Per feature, its name, then μ and σ², then the map x := (x − μ)/σ with the numbers
    put in, one per line (narrow enough for a phone)."""
    mu, variance, sigma = normalizer.mu_[:, 0], normalizer.variance_[:, 0], normalizer.sigma_[:, 0]
    return [
        rf"\begin{{aligned}}&\text{{{latex_text(name)}}}:\\"
        rf"&\mu_{i} = {tex(mu[i - 1])},\ \sigma_{i}^2 = {tex(variance[i - 1])}\\"
        rf"&x_{i} := \frac{{x_{i} - {tex(mu[i - 1])}}}{{{tex(sigma[i - 1])}}}\end{{aligned}}"
        + ALIGNED_END
        for i, name in enumerate(names, start=1)
    ]


def statistics_frame(data: PageData) -> pd.DataFrame:
    """One row per feature: μ, σ², σ, and (1/m) Σ x⁽ⁱ⁾², which is σ² + μ² on raw data."""
    normalizer = data.normalizer
    return pd.DataFrame({
        "feature": data.meta["names"], "unit": data.meta["units"], "μ": normalizer.mu_[:, 0],
        "σ²": normalizer.variance_[:, 0], "σ": normalizer.sigma_[:, 0],
        "(1/m) Σ x⁽ⁱ⁾², raw": data.H.diagonal(),
    })  # fmt: skip


STAGE_TITLES = ("Raw x", "Centred: x − μ", "Scaled: (x − μ) / σ")
EQUAL_SPREADS_UP_TO = 3.0  # spreads this close share one scale; farther apart, each its own


class StageView(NamedTuple):
    """What stage_chart draws of one stage of the data."""

    points: pd.DataFrame  # columns example, x1, x2
    title: str
    axis_titles: tuple[str, str]
    domains: tuple[tuple[float, float], tuple[float, float]]
    lesson: list[str]  # lines under the title


def spread_ratio(normalizer: Normalizer) -> float:
    """How many times the wider-spread feature's σ is the other's."""
    sigma = normalizer.sigma_[:, 0]
    return float(max(sigma) / min(sigma))


def stage_views(data: PageData) -> list[StageView]:
    """The three stages of the training examples, each on axes that show its spread: one
    scale for both axes where the spreads are within EQUAL_SPREADS_UP_TO of each other (and
    always once scaled), else one per axis, said on the chart; raw axes reach 0."""
    names, units = data.meta["names"], data.meta["units"]
    # The lesson says which side of EQUAL_SPREADS_UP_TO the spreads are, not their ratio,
    # which spread_notice writes under the charts: a move of the data's sliders keeps the
    # charts' specs.
    to_scale = spread_ratio(data.normalizer) <= EQUAL_SPREADS_UP_TO
    apart = (
        f"spreads within {EQUAL_SPREADS_UP_TO:g}× of each other"
        if to_scale
        else f"spreads over {EQUAL_SPREADS_UP_TO:g}× apart"
    )
    scale_note = [] if to_scale else ["axes not to scale"]
    raw_titles = tuple(
        f"{name} ({unit})" if unit not in ("", name) else name
        for name, unit in zip(names, units, strict=True)
    )
    titles = (
        raw_titles,
        tuple(f"{name} − μ{i}" for i, name in zip("₁₂", names, strict=True)),
        tuple(f"({name} − μ{i}) / σ{i}" for i, name in zip("₁₂", names, strict=True)),
    )
    notes = (
        [f"{names[0]} and {names[1]}: {apart}", *scale_note],
        [f"centred on 0; {apart}", *scale_note],
        ["σ = 1 on both axes", "one scale for both"],
    )
    views = []
    for index, stage in enumerate(STAGE_TITLES):
        points = data.stage_points[data.stage_points["stage"] == stage]
        X = points[["x1", "x2"]].to_numpy()
        equal = to_scale or index == 2
        domains = _stage_domains(X, reach_zero=index == 0, equal=equal)
        views.append(
            StageView(points.drop(columns="stage"), stage, titles[index], domains, notes[index])
        )
    return views


def _stage_domains(X: np.ndarray, *, reach_zero: bool, equal: bool) -> tuple:
    # Each axis from its data with a margin, through 0 when reach_zero (raw data sit far
    # from it), else centred on 0; with equal, both axes one span, centred on the data.
    if reach_zero:
        low, high = np.minimum(X.min(axis=0), 0.0), np.maximum(X.max(axis=0), 0.0)
    else:
        high = np.abs(X).max(axis=0)
        low = -high
    middle, half = (low + high) / 2, (high - low) / 2 * 1.1
    half = np.where(half > 0, half, 1.0)
    if equal:
        half[:] = half.max()
    return tuple((float(m - h), float(m + h)) for m, h in zip(middle, half, strict=True))


def stage_description(view: StageView) -> str:
    """A stage chart's alternative text: what it draws, without the data's numbers (the
    axes and spread_notice give them), so that a move of the data's sliders keeps it."""
    notes = "; ".join(view.lesson)
    return (
        f"Scatter plot of the training examples, {view.title}: {view.axis_titles[0]} across, "
        f"{view.axis_titles[1]} up, each axis fitted to the cloud, dashed lines at 0; {notes}."
    )


def spread_notice(names: tuple[str, str], normalizer: Normalizer) -> str:
    sigma = normalizer.sigma_[:, 0]
    return (
        f"Raw, the two features' spreads differ {spread_ratio(normalizer):,.3g}-fold (σ = "
        f"{sigma[0]:,.4g} for {names[0]}, {sigma[1]:,.4g} for {names[1]}). After subtracting μ "
        "the cloud sits on the origin; after dividing by σ both spread by exactly 1."
    )


STAGES = ("raw", "centred only: x − μ", "scaled only: x / σ", "both: (x − μ) / σ")


KAPPA_DESCRIPTION = (
    "Bars of the condition number κ on a log scale from κ = 1 (a round valley), one per "
    f"stage of normalizing: {', '.join(STAGES)}; each bar is labelled with its κ."
)
"""The κ-by-stage chart's alternative text (its values are written on its bars)."""


def stage_frame(stages: cond.StageConditionNumbers) -> pd.DataFrame:
    """One row per stage, in STAGES' order: its κ and κ as the page writes it (kappa_frame)."""
    return charts.kappa_frame(STAGES, stages, [f"{k:,.3g}" for k in stages])


def factor_text(value: float) -> str:
    """A ratio to two significant figures, millions in words: 4.3, 11, 120,000, 1.3 million."""
    rounded = float(f"{value:.2g}")
    if rounded >= 1e9:
        return f"{value:.2g}"
    return f"{rounded / 1e6:g} million" if rounded >= 1e6 else f"{rounded:,g}"


def _change(before: float, after: float) -> str:
    # Which way κ moved, and how far.
    if after <= before:
        return f"divides κ by {factor_text(before / after)}"
    return f"multiplies κ by {factor_text(after / before)}"


def stage_notice(stages: cond.StageConditionNumbers, rho: float, names: tuple[str, str]) -> str:
    """What each step of normalizing does to κ, and why κ stays above 1 after both."""
    return f"{_steps_sentence(stages)} {_shape_sentence(stages.normalized, rho, names)}"


def _steps_sentence(k: cond.StageConditionNumbers) -> str:
    overall = k.raw / k.normalized
    if overall <= 0.5:
        return (
            f"Here normalizing raises κ {factor_text(1 / overall)}-fold, from {k.raw:,.3g} to "
            f"{k.normalized:,.3g}."
        )
    if overall < 2:
        harm = "it does no harm" if k.normalized <= k.raw else "here it even raises κ a little"
        return (
            f"Normalizing changes κ little here ({k.raw:,.3g} raw, {k.normalized:,.3g} "
            f"normalized), as when features already come on similar scales; {harm}."
        )
    # What each step adds on top of the other: ≥ 2-fold counts as earning its place.
    centring_adds, scaling_adds = k.scaled / k.normalized >= 2, k.centred / k.normalized >= 2
    if centring_adds and scaling_adds:
        return (
            f"Both steps earn their place: centring alone {_change(k.raw, k.centred)}, scaling "
            f"alone {_change(k.raw, k.scaled)}, and the two together divide it by "
            f"{factor_text(overall)}."
        )
    if scaling_adds or centring_adds:
        does, does_alone, other, other_adds = (
            ("Dividing by σ", _change(k.raw, k.scaled), "subtracting μ", k.scaled)
            if scaling_adds
            else ("Subtracting μ", _change(k.raw, k.centred), "dividing by σ", k.centred)
        )
        return (
            f"{does} does the work here: alone it {does_alone}; {other} as well moves κ less "
            f"than 2-fold ({other_adds:,.3g} → {k.normalized:,.3g})."
        )
    return (
        "Neither step adds 2-fold on top of the other, yet together they divide κ by "
        f"{factor_text(overall)}."
    )


def _shape_sentence(kappa: float, rho: float, names: tuple[str, str]) -> str:
    # Normalized, H is the correlation matrix: κ = (1 + |ρ|)/(1 − |ρ|).
    pair = f"{names[0]} and {names[1]}"
    if abs(rho) < 0.05:
        return (
            f"After both, κ = {kappa:.3g}: {pair} barely correlate (ρ = {rho:.2f}), so the "
            "valley is round."
        )
    return (
        f"After both, κ = {kappa:.3g}, not 1, because {pair} correlate (ρ = {rho:.2f}): the "
        f"valley stays an ellipse {kappa**0.5:.2g} times longer than wide, as normalizing "
        "rescales each feature but cannot undo a correlation."
    )


def steps_frame(raw: dict, scaled: dict, alpha: float) -> pd.DataFrame:
    """κ, 2/λ_max, α* and both step counts (rows), raw and normalized (two columns, so
    that the table fits a phone: the facts of descent)."""
    return pd.DataFrame({
        label: [
            f"{f['kappa']:,.4g}", f"{f['limit']:.3g}", f"{f['best']:.3g}",
            steps_text(f["steps"][0]), steps_text(f["steps"][1]),
        ]
        for label, f in (("raw inputs", raw), ("normalized inputs", scaled))
    }, index=pd.Index(["condition number κ", "stable for α below 2/λ_max", "best α*",
                       f"steps at α = {alpha:.3g}", "steps at α*"], name="inputs"))  # fmt: skip


def paths_caption(raw: Descent, tolerance: float) -> str:
    """How the panels are drawn: which steps, which window, where the counts come from."""
    return (
        "Each ellipse is a level set J − J* = constant, log-spaced from the one through the "
        "start inward; the lines are exact, from H's eigenvectors and eigenvalues. Paths "
        "start at w = 0: a line joins the first steps, taken one by one, and dots mark "
        f"log-spaced later ones, about {motion.AT_MOST} per path (on raw inputs "
        f"{raw.drawn - 1:,} of {raw.last:,} steps); a path that diverges is cut at the "
        "window's edge. ▶ play replays them in your browser. The step counts (until the "
        f"distance to w* has shrunk by {tolerance:.0e}) come from the closed form of gradient "
        "descent on a quadratic, w_k − w* = (I − αH)^k (w_0 − w*)."
    )


def descent_warning(raw: dict, scaled: dict, alpha: float) -> str | None:
    """Why gradient descent fails at one α where it does: normalized inputs diverging (on
    raw ones too, or not), or raw inputs stalled by rounding; None when it works."""
    at = f"α = {alpha:.3g}"
    raw_steps, steps = raw["steps"][0], scaled["steps"][0]
    if steps is None:
        others = (
            "on raw and normalized inputs alike: normalizing moves the limit, it does not "
            "remove it."
            if raw_steps is None
            else f"on normalized inputs; raw inputs, stable up to {raw['limit']:.3g}, get there "
            f"in {steps_text(raw_steps)} steps."
        )
        return (
            f"At {at}, above 2/λ_max = {scaled['limit']:.3g} of the normalized inputs, the "
            f"error along the steepest direction is multiplied by |1 − αλ_max| ≥ 1 at every "
            f"step, so gradient descent never converges {others}"
        )
    if raw["steps"][1] is None or (raw_steps is None and alpha < raw["limit"]):
        where = "their best rate α* and below" if raw["steps"][1] is None else at
        return (  # only an uploaded table gets here: κ near 1e16 or more
            f"On raw inputs κ = {raw['kappa']:,.3g}: at {where} each step multiplies the error "
            "along the flattest direction by 1 − αλ_min, which rounds to exactly 1 in float64, "
            f"so gradient descent never gets there. After normalizing it needs "
            f"{steps_text(steps)} steps at {at}."
        )
    return None


def test_description(names: tuple[str, str]) -> str:
    """The training-and-test chart's alternative text: what it draws, for either way of
    normalizing (the toggle above it), without the data's numbers, which the notice and
    the two errors beside the chart give."""
    return (
        f"Scatter plot of the training examples (blue) and the test examples (orange) after "
        f"normalizing, normalized {names[0]} across and normalized {names[1]} up, on equal "
        "axes centred on 0. Normalized with the training μ and σ, the test set keeps its "
        "shift from the training set; with its own μ and σ (the toggle above), it is forced "
        "onto the training cloud. The sets' means and both test errors are written beside "
        "the chart."
    )


def test_notice(data: PageData, wrong: bool, where=st) -> None:
    """How far apart the two sets' means are, and what either way of normalizing does."""
    (_, right_rmse, _), (_, wrong_rmse, own_mean) = data.errors[False], data.errors[True]
    name, train_mean = data.meta["names"][0], data.normalizer.mu_[0, 0]
    shift = f"The test set's mean {name} is {own_mean:,.4g}, the training set's {train_mean:,.4g}"
    if wrong:
        where.warning(
            f"{shift}, yet with its own μ and σ the test set is forced onto mean 0 and spread "
            "1: its points slide onto the training cloud, the model sees other inputs than there "
            f"are, and the test error grows from {right_rmse:,.4g} to {wrong_rmse:,.4g}."
        )
    else:
        where.success(
            f"{shift}. Both sets go through the same map x ↦ (x − μ_train)/σ_train, so a test "
            "point lands where a training point with the same raw values would: test error "
            f"{right_rmse:,.4g} (its own μ and σ would give {wrong_rmse:,.4g})."
        )
