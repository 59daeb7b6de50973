"""Array helpers shared by the group-theory and symmetry code.

:func:`unique` is ``np.unique`` without its one hidden cost: numpy 2's plain ``np.unique(a)``
asks ``np.ma.is_masked(a)``, which imports all of ``numpy.ma`` (about 20 ms, a tenth of a
``detect --parent`` run beyond the interpreter) the first time; asking for the indices skips
that check and gives the same sorted values.

>>> unique(np.array([3, 1, 3, 2])).tolist()
[1, 2, 3]
>>> unique(np.array([[1, 0], [0, 1], [1, 0]]), axis=0).tolist()
[[0, 1], [1, 0]]
"""

from __future__ import annotations

import numpy as np


def unique(a, axis: int | None = None) -> np.ndarray:
    """The sorted distinct values (or rows, with ``axis=0``) of ``a``, as ``np.unique``."""
    return np.unique(a, return_index=True, axis=axis)[0]
