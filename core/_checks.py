"""Input checks shared by the public functions of core/ (private helpers)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def as_matrix(X, name: str = "X", *, allow_empty: bool = False) -> np.ndarray:
    """Return X as a float 2-D array, refusing 1-D input, emptiness and NaN/inf."""
    X = np.asarray(X)
    if X.dtype == object or not np.issubdtype(X.dtype, np.number):
        raise ValueError(f"{name} must hold numbers; got an array of dtype {X.dtype}.")
    if X.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D with shape (n_x, m), one example per column; got shape "
            f"{X.shape}. Reshape a single feature with X.reshape(1, -1) or a single "
            "example with x.reshape(-1, 1)."
        )
    if not allow_empty and X.size == 0:
        raise ValueError(f"{name} is empty (shape {X.shape}); pass at least one example.")
    if not np.all(np.isfinite(X)):
        raise ValueError(
            f"{name} contains NaN or infinite values; remove or impute them before use."
        )
    if not np.issubdtype(X.dtype, np.floating):
        X = X.astype(np.float64)
    return X


def positive_int(value, name: str, *, maximum: int | None = None) -> int:
    """Return value as an int >= 1 (and <= maximum), or raise a ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be a whole number; got {value!r}.")
    if value < 1:
        raise ValueError(f"{name} must be at least 1; got {value}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}; got {value}.")
    return int(value)


def positive_float(
    value, name: str, *, allow_zero: bool = False, below: float | None = None
) -> float:
    """Return value as a finite float > 0 (>= 0 with allow_zero, < below if given), or raise."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number; got {value!r}.")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {value}.")
    if value < 0 or (value == 0 and not allow_zero):
        bound = "at least 0" if allow_zero else "greater than 0"
        raise ValueError(f"{name} must be {bound}; got {value}.")
    if below is not None and value >= below:
        raise ValueError(f"{name} must be less than {below}; got {value}.")
    return value


def epsilon_value(epsilon) -> float:
    """Return ε as a float in (0, 1), or raise a ValueError."""
    return positive_float(epsilon, "ε (epsilon)", below=1.0)


def float_dtype_of(arrays: Mapping[str, np.ndarray]) -> np.dtype:
    """float32 when every array is float32, else float64: the dtype a check runs in."""
    all_float32 = all(np.asarray(value).dtype == np.float32 for value in arrays.values())
    return np.dtype(np.float32 if all_float32 else np.float64)


def point_and_gradient(theta, d_theta, size: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return θ and a claimed gradient dθ as real arrays (integers as float64) of one shape,
    finite and not empty, θ flat with ``size`` numbers if given; or raise a ValueError."""
    theta, d_theta = _real_array(theta, "θ (theta)"), _real_array(d_theta, "dθ (d_theta)")
    if theta.shape != d_theta.shape:
        raise ValueError(
            f"θ and dθ must have the same shape; got {theta.shape} and {d_theta.shape}."
        )
    if theta.size == 0:
        raise ValueError("θ is empty; there is nothing to check.")
    if not np.all(np.isfinite(theta)):
        raise ValueError("θ contains NaN or infinite values; check at finite parameters.")
    if not np.all(np.isfinite(d_theta)):
        raise ValueError("dθ contains NaN or infinite values; backpropagation overflowed.")
    if size is not None and (theta.ndim != 1 or theta.size != size):
        raise ValueError(
            f"With a layout, θ must be a flat vector of {size} numbers; got shape {theta.shape}."
        )
    return theta, d_theta


def _real_array(value, name: str) -> np.ndarray:
    array = np.asarray(value)
    if array.dtype == bool or not (
        np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)
    ):
        raise ValueError(f"{name} must hold real numbers; got an array of dtype {array.dtype}.")
    return array if np.issubdtype(array.dtype, np.floating) else array.astype(np.float64)


def scalar_cost(value, where: str) -> float:
    """Return a cost J as a float if it is one finite real number, or raise a ValueError
    that says what came back ``where`` (e.g. "θ + ε at W1[0, 2]")."""
    J = np.asarray(value)
    if J.ndim != 0 or J.dtype == bool or not np.issubdtype(J.dtype, np.number):
        raise ValueError(
            f"cost must return one number (a scalar); at {where} it returned "
            f"{type(value).__name__} of shape {J.shape}. Return float(J)."
        )
    if np.iscomplexobj(J):
        raise ValueError(f"cost must return a real number; at {where} it returned {value!r}.")
    if not np.isfinite(J):
        raise ValueError(
            f"cost returned {float(J)} at {where}; J must be finite near θ. Try a smaller ε "
            "or parameters where J does not overflow."
        )
    return float(J)
