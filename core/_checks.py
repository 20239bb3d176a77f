"""Input checks shared by the public functions of core/ (private helpers)."""

from __future__ import annotations

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
