"""The one row type every benchmark returns to ``benchmarks/run.py``.

Convention: a benchmark is a module ``benchmarks/<topic>.py`` (name not starting with ``_``)
that defines ``bench(quick: bool) -> list[Row]``; each row holds the repeated times of
*ours* and of the *baseline* measured in the same run, and ``run.py`` prints their medians
and the ratio. ``quick`` is a CI smoke: small inputs, one or two repeats.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Row:
    topic: str
    case: str
    baseline: str  # what it is compared against, in words
    ours: list[float]  # seconds, one per repeat
    base: list[float]
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ours) / statistics.median(self.base)


def repeat(f: Callable[[], object], n: int) -> list[float]:
    """Seconds of ``n`` calls of ``f``."""
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        f()
        out.append(time.perf_counter() - t0)
    return out
