"""Uploading bad CSV files to the normalizing-inputs page: wrong encodings, ragged rows,
huge and non-finite numbers, degenerate columns, binary garbage, files too large, headers
of thousands of columns. Each one is refused with a message saying what is wrong, never a
traceback, and the page goes on with the built-in house prices; a good file afterwards is
used as usual, and so is one separated by semicolons, tabs or bars.

What an upload costs is measured the way benchmarks are, as CPU time, printed (run with
-s to see the figures) and never asserted: the tests fail only when a refusal is missing.
The product's bound is 2 s of CPU and 200 MB for any upload within the 5 MB limit.

One AppTest per worker takes the uploads one after another, as a person trying file
after file would (Streamlit's AppTest can set a file_uploader's value)."""

from __future__ import annotations

import codecs
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from core import conditioning as cond
from core import datasets
from core.normalization import Normalizer
from panels import normalizing_inputs as panel
from tests.test_page_normalizing_inputs import built_in_split, rmse_on_test

PAGE = "../pages/normalizing_inputs.py"
BUILT_IN_RMSE = f"{rmse_on_test(built_in_split(), True):,.4g}"


@pytest.fixture(scope="module")
def page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["ni_src"] = "My CSV file"
    at.query_params["ni_part"] = "The test set"  # the tab of the test set's errors
    at.run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, content: bytes, name: str = "data.csv") -> AppTest:
    at.get("file_uploader")[0].set_value((name, content, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def shows_built_in_data(at: AppTest) -> bool:
    return at.metric[0].value == BUILT_IN_RMSE


def metric_values(at: AppTest) -> list[str]:
    return [metric.value for metric in at.metric]


def table(header: str, rows: list[str]) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def columns(*values: np.ndarray, header: str = "a,b,c") -> bytes:
    return table(
        header, [",".join(repr(float(v)) for v in row) for row in zip(*values, strict=True)]
    )


RNG = np.random.default_rng(6)
I = np.arange(1.0, 41.0)
NOISE = RNG.normal(size=40)
GOOD = columns(RNG.uniform(0, 1_000, 40), RNG.uniform(0, 5, 40), NOISE)
UTF16_NUMBERS = "a,b,c\n" + "".join(f"{i},{i * i},{i % 7}\n" for i in range(30))

BAD_UPLOADS = {
    # name: (file content, a phrase the error must contain)
    "latin-1 text": (
        b"a,b,c\n" + "".join(f"{i},{i * i},café{i}\n" for i in range(30)).encode("latin-1"),
        "not UTF-8",
    ),
    "UTF-16 with BOM": (codecs.BOM_UTF16_LE + UTF16_NUMBERS.encode("utf-16-le"), "not UTF-8"),
    "UTF-32": (UTF16_NUMBERS.encode("utf-32"), "not UTF-8"),
    "row with too many fields": (table("a,b,c", ["1,2,3", "4,5,6,7"] + ["1,2,3"] * 20), "fields"),
    "rows with too few fields": (
        table("a,b,c", [f"{i},{i % 4}" if i < 3 else f"{i},{i % 4},{i % 3}" for i in range(20)]),
        "3 missing",
    ),
    "unterminated quote": (table("a,b,c", ['1,"2,3'] + ["1,2,3"] * 20), "EOF inside string"),
    "1e308 everywhere": (columns(1e308 * np.sign(NOISE), I, NOISE), "too large to square"),
    "1e400 overflows": (table("a,b,c", [f"{i}e400,{i},{i % 3}" for i in range(20)]), "infinite"),
    "NaN": (
        table("a,b,c", [f"{i},{'NaN' if i == 4 else i},{i % 3}" for i in range(20)]),
        "1 missing",
    ),
    "inf and -inf": (
        table("a,b,c", [f"{i},{i},{['inf', '-inf', '1'][i % 3]}" for i in range(20)]),
        "infinite",
    ),
    "all NaN": (table("a,b,c", [f"{i},nan,{i % 3}" for i in range(20)]), "is empty"),
    "one row": (b"a,b,c\n1,2,3\n", "1 row;"),
    "header only": (b"a,b,c\n", "0 rows"),
    "no numeric columns": (table("a,b,c", [f"x{i},y{i},z{i}" for i in range(20)]), "holds text"),
    "empty file": (b"", "No columns"),
    "blank lines only": (b"\n\n \n", "No columns"),
    "two columns": (table("a,b", ["1,2"] * 20), "2 columns"),
    "semicolons, separator unclear": (b"a;b;c\n" + b"1\n" * 20, "with commas"),
    "first row longer than the header": (
        table("a,b,c", ["1,2,3,4"] + ["1,2,3"] * 20),
        "first row of values has 4 fields for 3 column names",
    ),
    "a trailing separator": (table("a,b,c", ["1,2,3,"] * 20), "4 fields for 3 column names"),
    "101 columns": (table(",".join(f"c{j}" for j in range(101)), ["1," * 100 + "2"] * 5), "101"),
    "100,001 rows": (table("a,b,c", ["1,2,3"] * 100_001), "over 100,000 rows"),
    "over 5 MB": (table("a,b,c", ["1.5,2.25,3.125"] * 400_000), "over 5 MB"),
    "binary garbage": (RNG.bytes(20_000), "not UTF-8"),
    "a zip file named .csv": (b"PK\x03\x04" + RNG.bytes(5_000), "not UTF-8"),
    "NUL bytes": (b"a,b,c\n" + b"\x00\x01\x02,\x00,\x00\n" * 20, "holds text"),
    "proportional features": (columns(I, 2 * I, NOISE), "lie on one line"),
    "affine features": (columns(I, 5 - 3 * I, NOISE), "lie on one line"),
    "subnormal feature": (columns(I * 1e-310, RNG.uniform(0, 5, 40), NOISE), "lie on one line"),
    "constant feature": (columns(np.full(40, 7.0), I, NOISE), "is constant"),
    "same column twice": (
        table("a,a,c", [f"{i},{i},{i % 3}" for i in range(20)]),  # read as a, a.1, c
        "lie on one line",
    ),
}


@pytest.mark.parametrize("case", BAD_UPLOADS, ids=list(BAD_UPLOADS))
def test_a_bad_upload_is_explained_and_the_built_in_data_stay(page, case):
    content, phrase = BAD_UPLOADS[case]
    at = upload(page, content)
    assert len(at.error) == 1, [error.value for error in at.error]
    message = at.error[0].value
    assert message.startswith("Cannot use data.csv: ") and phrase in message, message
    assert "Traceback" not in message and "Exception" not in message
    assert "until a usable CSV is chosen" in at.sidebar.info[0].value
    assert shows_built_in_data(at)


def test_a_good_file_after_bad_ones_is_used_and_the_page_keeps_working(page):
    for case in ("binary garbage", "1e308 everywhere", "proportional features"):
        assert shows_built_in_data(upload(page, BAD_UPLOADS[case][0]))
    at = upload(page, GOOD)
    assert not at.error and not shows_built_in_data(at)
    at.slider(key="ni_lr").set_value(1.2).run()  # the rest of the page still reacts
    assert "never converges" in at.warning[0].value
    at.slider(key="ni_lr").set_value(0.5).run()
    assert shows_built_in_data(upload(page, BAD_UPLOADS["empty file"][0]))


def test_a_utf8_file_with_a_byte_order_mark_is_read(page):
    at = upload(page, codecs.BOM_UTF8 + GOOD)
    assert not at.error
    assert at.selectbox(key="ni_x1").options[0] == "a"  # not "\ufeffa"


def test_a_feature_with_a_huge_offset_explains_why_raw_descent_never_arrives(page):
    # κ ≈ 1e18 on raw inputs: 1 − αλ_min rounds to 1, whatever α below the limit.
    at = upload(page, columns(1e9 + I, NOISE, I + NOISE))
    assert not at.error
    split = datasets.train_test_split(
        np.vstack([1e9 + I, NOISE]), (I + NOISE)[None, :], 0.2, np.random.default_rng(0)
    )
    X_normalized = Normalizer().fit_transform(split.X_train)
    limit = cond.learning_rate_stability_limit(X_normalized)
    steps = cond.steps_to_converge(X_normalized, split.Y_train, 0.5 * limit, tolerance=1e-3)
    assert cond.steps_to_converge(split.X_train, split.Y_train, 0.5 * limit) is None
    warning = at.warning[0].value
    assert "rounds to exactly 1" in warning and f"needs {steps:,} steps" in warning
    assert "|1 − αλ_max| ≥ 1" not in warning


def test_a_target_fitted_exactly_shows_a_zero_error_without_dividing_by_it(page):
    # y is the column b, and in these small numbers least squares recovers it exactly.
    a = np.array([1.0, 0, 4, 3, 2, 2, 4, 2, 3, 3, 0, 1])
    b = np.array([0.5, 0.5, 1, 1, 0.5, 0, 0, 0.5, 1, 0.5, 1, 1])
    at = upload(page, columns(a, b, b))
    assert not at.error and at.metric[0].value == "0"
    assert at.metric[1].proto.delta == ""  # no "× the right one" ratio to a zero error


# Random CSV-like text: numbers of every size, words, empty cells and stray separators,
# in ragged rows; most of it is refused, some is used, none of it may break the page.
_cell = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["", " ", "nan", "NA", "-inf", "1e400", "1e-320", "x", '"', "é", "\t"]),
)
_row = st.lists(_cell, min_size=1, max_size=5).map(",".join)
random_csv = st.lists(_row, max_size=30).map(lambda rows: "\n".join(rows).encode())


@settings(max_examples=15, deadline=None, database=None)
@given(content=st.one_of(random_csv, st.binary(max_size=2_000)))
def test_random_csv_text_and_bytes_never_break_the_page(page, content):
    at = upload(page, content)
    if at.error:
        assert at.error[0].value.startswith("Cannot use data.csv: ")
        assert shows_built_in_data(at)
    assert at.metric  # the page ran to its end


def test_column_names_with_tex_and_markdown_characters_are_shown_as_typed(page):
    at = upload(
        page, columns(I, NOISE, I + NOISE, header="area_m2,cost_$,price^k"), "my_*data*.csv"
    )
    assert not at.exception and not at.error
    try:  # the formulas are on the tab of the stages
        at.query_params["ni_part"] = at.session_state["ni_part"] = "Subtract μ, divide by σ"
        at.run()
        formulas = " ".join(latex.value for latex in at.latex)
        assert r"\text{area\_m2}" in formulas and r"\text{cost\_\$}" in formulas
    finally:  # the page the other tests share goes back to the test set's tab
        at.query_params["ni_part"] = at.session_state["ni_part"] = "The test set"
        at.run()


@pytest.mark.parametrize("separator", [";", "\t", "|"], ids=["semicolon", "tab", "bar"])
def test_a_file_separated_by_semicolons_tabs_or_bars_is_read_like_the_comma_one(page, separator):
    shown = metric_values(upload(page, GOOD))
    at = upload(page, GOOD.replace(b",", separator.encode()))
    assert not at.error, at.error[0].value
    assert at.selectbox(key="ni_x1").options == ["a", "b", "c"]
    assert metric_values(at) == shown and not shows_built_in_data(at)


@pytest.mark.parametrize(
    "prefix", [b"\n\n", b" \r\n\t\n", b",,\n"], ids=["blank", "white space", "empty fields"]
)
def test_lines_with_no_name_before_the_header_are_skipped(page, prefix):
    shown = metric_values(upload(page, GOOD))
    at = upload(page, prefix + GOOD)
    assert not at.error and at.selectbox(key="ni_x1").options == ["a", "b", "c"]
    assert metric_values(at) == shown


# ---------------------------------------------------------------- hostile headers

MAX_BYTES = panel.MAX_MB * 2**20
PROBE = {
    # name: (file content, a phrase the refusal must contain)
    "40,000 columns named a (78 KB)": (b"a," * 39_999 + b"a\n1\n", "at least 32,771 columns"),
    "200,000 distinct names (1.8 MB)": (
        ",".join(f"c{i}" for i in range(200_000)).encode() + b"\n",
        "columns; this page needs 3 to 100",
    ),
    "a 5 MB header": (b"a," * (MAX_BYTES // 2 - 1) + b"\n", "columns; this page needs 3 to 100"),
    "5 MB without a line break": (b"a" * MAX_BYTES, "do not end within its first 64 KB"),
    "a quote left open": (b'"a' + b",a" * 100_000 + b"\n1,2\n", "a quote left open"),
    "2.6 million values in the first row": (
        b"a,b,c\n" + b"1," * (MAX_BYTES // 2 - 8) + b"1\n",
        "first row of values has at least",
    ),
}


@pytest.mark.parametrize("case", PROBE, ids=list(PROBE))
def test_a_header_of_thousands_of_columns_is_refused_before_pandas_reads_it(page, case):
    content, phrase = PROBE[case]
    assert len(content) <= MAX_BYTES
    start = time.process_time()  # the script runs in a thread of this process
    at = upload(page, content)
    cpu = time.process_time() - start
    print(f"\nupload of {case}: {cpu:.3f} s of CPU for the whole script run (bound 2 s)")
    assert len(at.error) == 1 and phrase in at.error[0].value, [e.value for e in at.error]
    assert shows_built_in_data(at)


@pytest.fixture(scope="module")
def header_cpu():
    """(seconds of CPU, the header) of every read_csv call of the header fuzz; the worst
    is printed when the module's tests are done."""
    figures: list[tuple[float, str]] = []
    yield figures
    if figures:
        cpu, header = max(figures)
        print(
            f"\nCSV header fuzz: {len(figures)} files read; the most CPU one took: {cpu:.3f} s "
            f"({header}; bound 2 s)"
        )


@st.composite
def header_files(draw) -> tuple[bytes, int, str]:
    """A file within the 5 MB limit whose first row holds `count` names, distinct,
    all alike or from a small set, with any of the separators; sometimes blank lines
    before it, sometimes rows of values after it, up to the limit; what it is, in words."""
    separator = draw(st.sampled_from(panel.SEPARATORS))
    kind = draw(st.sampled_from(["distinct", "duplicate", "repeating"]))
    values = draw(st.booleans())
    name_bytes = {"distinct": 9, "duplicate": 2, "repeating": 5}[kind]  # with the separator
    most = (MAX_BYTES - 64) // (name_bytes + 2 * values)
    count = draw(st.one_of(st.integers(1, 2 * panel.MAX_COLUMNS), st.integers(1, most)))
    name = {"distinct": "c{}".format, "duplicate": lambda i: "a", "repeating": "r{}".format}
    repeat = draw(st.integers(1, 999))
    names = (name[kind](i % repeat if kind == "repeating" else i) for i in range(count))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    blank = end * draw(st.integers(0, 2))
    text = blank + separator.join(names) + end
    row = separator.join(["1"] * count) + end
    rows = draw(st.sampled_from([0, 1, (MAX_BYTES - len(text)) // len(row)])) if values else 0
    content = (text + row * rows).encode()
    assert len(content) <= MAX_BYTES
    return content, count, f"{count:,} {kind} names, {separator!r}, {rows:,} rows"


@settings(max_examples=40, deadline=None, database=None)
@given(file=header_files())
def test_a_header_of_any_width_within_5_mb_is_read_or_refused_cheaply(header_cpu, file):
    content, count, header = file
    start = time.process_time()
    try:
        panel.uploaded_table(content)
        refused = False
    except ValueError:  # pandas' errors and UnicodeDecodeError included
        refused = True
    header_cpu.append((time.process_time() - start, header))
    if count > panel.MAX_COLUMNS:
        assert refused, f"{header}: not refused"
