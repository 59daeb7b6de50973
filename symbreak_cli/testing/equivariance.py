r"""Numerical equivariance checks (after e3nn's ``e3nn/util/test.py``).

:func:`assert_equivariant` compares :math:`f(g\cdot x)` with :math:`g\cdot f(x)` for every
element of a finite :class:`~symbreak_cli.groups.PointGroup`, or for random elements of
O(3) (Haar rotations, each also times −1), and raises ``AssertionError`` when the largest
relative error exceeds the tolerance of the computation's dtype, :data:`FLOAT_TOLERANCE`.

>>> import numpy as np
>>> from symbreak_cli.groups import named_group
>>> f = lambda x: x.sum(axis=0, keepdims=True)          # a vector: equivariant
>>> act = lambda R, v: v @ R.T
>>> x = np.random.default_rng(0).normal(size=(5, 3))
>>> assert_equivariant(f, named_group("Oh"), x, act, act) < FLOAT_TOLERANCE["float64"]
True
>>> assert_equivariant(lambda x: x[:1] * [1, 0, 0], "O(3)", x, act, act)
Traceback (most recent call last):
...
AssertionError: not equivariant under O(3): relative error ... > ...
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

# Largest relative equivariance error accepted, per dtype of the computation (e3nn's values:
# float64 leaves ~1e-16 rounding per operation, float32 ~1e-7, over a few hundred operations)
FLOAT_TOLERANCE: dict[str, float] = {"float16": 1e-1, "bfloat16": 1e-1, "float32": 1e-3, "float64": 1e-10}
N_RANDOM = 8  # random rotations for O(3) (each also times −1, so 16 elements)


def dtype_name(dtype: Any) -> str:
    """'float64' for np.float64, np.dtype('float64'), torch.float64, 'float64', …"""
    if type(dtype).__module__.startswith("torch"):
        return str(dtype).rsplit(".", 1)[-1]
    try:
        return np.dtype(dtype).name
    except TypeError:
        return str(dtype)


def group_elements(group, n_random: int = N_RANDOM, seed: int = 0) -> np.ndarray:
    """(n, 3, 3) float64: every element of a PointGroup, or random O(3) elements for 'O(3)'."""
    if isinstance(group, str):
        if group != "O(3)":
            raise ValueError(f"group must be 'O(3)' or a PointGroup, not {group!r}")
        rng = np.random.default_rng(seed)
        Q, R = np.linalg.qr(rng.normal(size=(n_random, 3, 3)))
        Q = Q * np.sign(np.diagonal(R, axis1=1, axis2=2))[:, None, :]
        Q = Q * np.sign(np.linalg.det(Q))[:, None, None]
        return np.concatenate([Q, -Q])
    return np.asarray(group.matrices, dtype=np.float64)


def _to_numpy(y) -> np.ndarray:
    if hasattr(y, "detach"):
        y = y.detach().cpu()
    return np.asarray(y, dtype=np.float64)


def equivariance_errors(f: Callable, group, x, act_in: Callable, act_out: Callable, *,
                        n_random: int = N_RANDOM, seed: int = 0) -> np.ndarray:
    """(n_elements,) max |f(g·x) − g·f(x)| / max |f(x)| for each group element g.

    ``act_in(R, x)`` and ``act_out(R, y)`` apply the 3×3 Cartesian matrix R (numpy
    float64) to an input and to an output.
    """
    fx = f(x)
    scale = float(np.abs(_to_numpy(fx)).max()) or 1.0
    return np.array([float(np.abs(_to_numpy(f(act_in(R, x))) - _to_numpy(act_out(R, fx))).max()) / scale
                     for R in group_elements(group, n_random, seed)])


def assert_equivariant(f: Callable, group, x, act_in: Callable, act_out: Callable, *, dtype: Any = "float64",
                       tol: float | None = None, n_random: int = N_RANDOM, seed: int = 0) -> float:
    """Assert f is equivariant under ``group`` (a PointGroup, or 'O(3)'); return the error.

    ``dtype`` names the precision of the computation (chooses ``FLOAT_TOLERANCE``);
    ``tol`` overrides it. The error is the largest over the elements of the relative
    error of :func:`equivariance_errors`.
    """
    limit = FLOAT_TOLERANCE[dtype_name(dtype)] if tol is None else tol
    err = float(equivariance_errors(f, group, x, act_in, act_out, n_random=n_random, seed=seed).max())
    name = group if isinstance(group, str) else getattr(group, "schoenflies", "group")
    if not err <= limit:
        raise AssertionError(f"not equivariant under {name}: relative error {err:.3g} > {limit:.3g}")
    return err
