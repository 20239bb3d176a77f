"""The math of Optimization Setup Lab: numpy and the standard library only.

Conventions, stated once for every module here (they follow the lecture):

* X has shape (n_x, m): one example per column, n_x features, m examples.
* Y has shape (1, m) for the binary classifiers and regressions used here.
* W[l] has shape (n[l], n[l-1]) and b[l] has shape (n[l], 1); parameters travel
  in a dict {"W1", "b1", ..., "WL", "bL"}, as in the course notebooks.
* Z[l] = W[l] A[l-1] + b[l] and A[l] = g[l](Z[l]), with A[0] = X.
* Randomness is always passed in as ``rng: np.random.Generator``; nothing here
  seeds numpy globally.
* Bad input is refused at the public boundary with a ``ValueError`` whose message
  says what to do; numerical trouble (overflow, NaN) is reported as a result.

Nothing here imports streamlit, pandas or altair, so ``import core`` works in any
notebook.
"""
