"""Fuzzing the formula parser with thousands of generated strings: whatever the text, the
answer is a Formula or a ValueError, found quickly, with Python's own code runners out of
reach; and a parsed formula evaluates to numbers whose NaN and inf check_domain names."""

from __future__ import annotations

import builtins
import contextlib
import gc
import tempfile
import time
import uuid
import warnings
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.formula import (
    CONSTANTS,
    FUNCTIONS,
    MAX_CHARACTERS,
    MAX_NESTING,
    VARIABLES,
    Formula,
    parse_formula,
)

# A refusal costs microseconds and the slowest accepted formula (100 tokens, 30 deep)
# about 2 ms of CPU; 50 ms leaves room for a slow machine, not for a blow-up. Measured
# as CPU time of this thread, with the garbage collector paused (a collection of
# Hypothesis's own objects can take 60 ms), so that only the parser counts.
PARSE_CPU_SECONDS = 0.05
FUZZ = settings(
    max_examples=200,
    deadline=1_000,  # ms of wall time per example: parse, evaluate and check the domain
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# A file the injections below try to create; no call may ever create it.
SENTINEL = Path(tempfile.gettempdir()) / f"formula-fuzz-{uuid.uuid4().hex}"


class CodeRunnerCalled(BaseException):
    """Raised by the patched eval/exec/compile/__import__; BaseException so that no
    `except Exception` inside the parser could swallow it."""


@contextlib.contextmanager
def code_runners_forbidden():
    """eval, exec and compile fail while the block runs, and so does importing anything
    but numpy's own modules (numpy imports some of its parts lazily, e.g. for dtype.name)."""
    real_import = builtins.__import__

    def forbidden(*args, **kwargs):
        raise CodeRunnerCalled(f"called with {args[:1]!r}")

    def numpy_only(name, *args, **kwargs):
        if name != "numpy" and not name.startswith("numpy."):
            forbidden(name)
        return real_import(name, *args, **kwargs)

    with contextlib.ExitStack() as stack:
        for name in ("eval", "exec", "compile"):
            stack.enter_context(mock.patch.object(builtins, name, forbidden))
        stack.enter_context(mock.patch.object(builtins, "__import__", numpy_only))
        yield


def parse_or_refuse(text: str) -> Formula | None:
    """parse_formula(text) timed and with code runners forbidden: a Formula, or None when
    the text was refused with a ValueError (any other exception fails the test)."""
    gc.disable()
    start = time.thread_time()
    try:
        with code_runners_forbidden():
            formula = parse_formula(text)
    except ValueError as refusal:
        assert str(refusal), "a refusal must say what is wrong"
        formula = None
    finally:
        elapsed = time.thread_time() - start
        gc.enable()
    assert elapsed < PARSE_CPU_SECONDS, f"parsing {text!r} took {elapsed:.3f} s of CPU"
    assert not SENTINEL.exists(), f"parsing {text!r} ran code"
    assert formula is None or isinstance(formula, Formula)
    return formula


# ---------------------------------------------------------------- strategies

_variable = st.sampled_from(VARIABLES)
_number = st.one_of(
    st.integers(0, 10**6).map(str),
    st.floats(0, 1e6, allow_nan=False).map(repr),
    st.sampled_from([".5", "1e-3", "2E+2", "1e308", "1e999", "0.0", "007", "1.", "9" * 30]),
)
_atom = st.one_of(_variable, _number, st.sampled_from(list(CONSTANTS)))


def _grow(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    calls = st.builds("{}({})".format, st.sampled_from(FUNCTIONS), children)
    pairs = st.builds("max({}, {})".format, children, children)
    operators = st.sampled_from(["+", "-", "*", "/", "^", "**"])
    binary = st.builds("{} {} {}".format, children, operators, children)
    return st.one_of(calls, pairs, binary, children.map("({})".format), children.map("-{}".format))


# Formulas from the grammar, often valid, often out of domain (log(-1), 1/0, exp(1e6)).
grammatical = st.recursive(_atom, _grow, max_leaves=12)


@st.composite
def mutated(draw) -> str:
    """A grammatical formula with a few characters deleted, replaced or inserted."""
    text = draw(grammatical)
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.integers(0, len(text)))
        piece = draw(st.sampled_from([*"()+-*/^,.eE0θx ", "**", "theta", "sin(", ")"]))
        action = draw(st.sampled_from(["delete", "replace", "insert"]))
        if action == "insert":
            text = text[:where] + piece + text[where:]
        else:
            text = text[:where] + ("" if action == "delete" else piece) + text[where + 1 :]
    return text


# Characters and tokens of the grammar and of Python, in any order.
_alphabet = st.sampled_from(
    [*"θx0123456789.eE+-*/^(),[]{}'\"_:;@!#$%&|<>=~` \t\n\\", "theta", "**", "sin", "max",
     "log", "pi", "abs", "relu", "exp", "1e999", "__", "lambda", "import", "os", "for", "in"]
)  # fmt: skip
alphabet_soup = st.lists(_alphabet, max_size=60).map("".join)

_other_name = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True).filter(
    lambda name: name not in (*VARIABLES, *CONSTANTS, *FUNCTIONS)
)
# Python constructs the grammar leaves out, each wrapped around a formula or a name.
_REFUSED_TEMPLATES = [
    "__import__('os').system('touch {sentinel}')",
    "__import__('pathlib').Path('{sentinel}').touch()",
    "open('{sentinel}', 'w')",
    "({f}).__class__.__mro__",
    "{f}.real",
    "theta.__add__({f})",
    "{f}[0]",
    "[{f}][0]",
    "lambda: {f}",
    "(lambda theta: {f})(1)",
    "[{f} for theta in (1, 2)]",
    "{{{f}}}",
    "'{f}'",
    '"{f}"',
    "f'{{{f}}}'",
    "{f} if theta else 0",
    "{f}; {name}",
    "{f} @ {f}",
    "{name}",
    "{name}({f})",
    "{f} * {name}",
    "sin({name})",
    "theta + x + {f}",
    "{f} == {f}",
    "{f} // 2",
    "{f} % 2",
    "not {f}",
    "{f} and {f}",
]


@st.composite
def refused_construct(draw) -> str:
    template = draw(st.sampled_from(_REFUSED_TEMPLATES))
    return template.format(f=draw(grammatical), name=draw(_other_name), sentinel=SENTINEL)


@st.composite
def exponent_tower(draw) -> str:
    """a^b^c^… with 2 to 8 levels, numbers or θ, written with ^ or **, and sometimes
    parenthesized from the right: 9^(9^(9^9))."""
    levels = st.one_of(st.integers(0, 99).map(str), _variable)
    bases = draw(st.lists(levels, min_size=2, max_size=8))
    operator = draw(st.sampled_from(["^", "**"]))
    if draw(st.booleans()):
        closing = ")" * (len(bases) - 1)
        return operator.join(f"({base}" for base in bases[:-1]) + bases[-1] + closing
    return operator.join(bases)


@st.composite
def nested(draw) -> str:
    """A formula inside n parentheses or n function calls, n around the nesting limit."""
    depth = draw(st.integers(0, 3 * MAX_NESTING))
    inner = draw(st.one_of(_atom, grammatical))
    if draw(st.booleans()):
        return "(" * depth + inner + ")" * depth
    function = draw(st.sampled_from(FUNCTIONS[:-1]))  # every function but max takes one
    return f"{function}(" * depth + inner + ")" * depth


@st.composite
def overlong(draw) -> str:
    """A valid formula repeated past MAX_CHARACTERS (or just under it)."""
    piece = draw(grammatical)
    length = draw(st.integers(MAX_CHARACTERS - 5, 20 * MAX_CHARACTERS))
    return ("+".join([piece] * (length // (len(piece) + 1) + 1)))[:length]


# Any unicode at all, and unicode that looks like the grammar: full-width digits, other
# Greek letters, minus signs and multiplication dots, combining marks, right-to-left text.
_lookalikes = st.sampled_from(
    [*"θϑΘ𝜃０１２９−–·×÷∗＾（）", "\u0301", "\u202e", "\u200b", "\ufeff", "\x00", "😀", "ｓｉｎ"]
)
unicode_text = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(_lookalikes, _alphabet), max_size=40).map("".join),
)

every_kind_of_text = st.one_of(
    grammatical, mutated(), alphabet_soup, refused_construct(), exponent_tower(), nested(),
    overlong(), unicode_text,
)  # fmt: skip


# ---------------------------------------------------------------- properties


@FUZZ
@given(text=alphabet_soup)
def test_alphabet_soup_gives_a_formula_or_a_value_error(text):
    parse_or_refuse(text)


@FUZZ
@given(text=st.one_of(grammatical, mutated()))
def test_grammatical_and_mutated_formulas_give_a_formula_or_a_value_error(text):
    parse_or_refuse(text)


@FUZZ
@given(text=refused_construct())
def test_python_constructs_are_always_refused_without_running(text):
    assert parse_or_refuse(text) is None


@FUZZ
@given(text=exponent_tower())
def test_exponent_towers_are_parsed_or_refused_quickly(text):
    formula = parse_or_refuse(text)
    if "(" not in text and text.count("^") + text.count("**") > 2:  # more than a^b^c
        assert formula is None
    if formula is not None and not any(name in text for name in VARIABLES):
        # 9^(9^(9^9)) is caught by the limit on constant exponents instead; a constant
        # tower that passes is an ordinary finite number.
        assert np.isfinite(formula.f(1.0))


@FUZZ
@given(text=nested())
def test_deep_nesting_is_refused_past_the_limit_without_recursion_errors(text):
    formula = parse_or_refuse(text)
    if paren_depth(text) > MAX_NESTING:  # the count of "(" overstates it: (θ) + sin(θ)
        assert formula is None


def paren_depth(text: str) -> int:
    """How deep the parentheses of ``text`` nest."""
    depth = deepest = 0
    for character in text:
        depth += {"(": 1, ")": -1}.get(character, 0)
        deepest = max(deepest, depth)
    return deepest


@FUZZ
@given(text=overlong())
def test_text_over_the_character_limit_is_refused(text):
    formula = parse_or_refuse(text)
    if len(text) > MAX_CHARACTERS:
        assert formula is None


@FUZZ
@given(text=unicode_text)
def test_arbitrary_unicode_gives_a_formula_or_a_value_error(text):
    parse_or_refuse(text)


_theta = st.one_of(
    st.floats(-50, 50, allow_nan=False),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 1e-300, -1e-300, 5e-324, 710.0, 1e300]),
)


def test_check_domain_reports_a_constant_formula_beyond_float32():
    formula = parse_formula("1e39")
    with np.errstate(over="ignore"):
        assert np.isinf(formula.f(np.float32(1.0)))
    with pytest.raises(ValueError, match="float32"):
        formula.check_domain(np.float32(1.0))


@settings(FUZZ, max_examples=400)
@given(
    text=st.one_of(grammatical, mutated()),
    theta=st.lists(_theta, min_size=1, max_size=8).map(np.array),
    dtype=st.sampled_from([np.float64, np.float32]),
)
def test_a_parsed_formula_gives_numbers_and_check_domain_names_every_nan_or_inf(text, theta, dtype):
    formula = parse_or_refuse(text)
    if formula is None:
        return
    with np.errstate(over="ignore"):
        theta = theta.astype(dtype)  # 1e300 becomes inf in float32: refused below
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning may reach the page
        values, slopes = formula.f(theta), formula.df(theta)
        assert np.shape(values) == np.shape(slopes) == theta.shape
        assert values.dtype == slopes.dtype == dtype
        if not np.all(np.isfinite(theta)):
            with pytest.raises(ValueError, match="real and finite"):
                formula.check_domain(theta)
            return
        broken = not (np.all(np.isfinite(values)) and np.all(np.isfinite(slopes)))
        if broken:  # NaN or inf somewhere: the check must say where and why
            with pytest.raises(ValueError, match=r"^f′?\((θ|x)\) at (θ|x) = "):
                formula.check_domain(theta)
        else:
            formula.check_domain(theta)
