"""Reusable checks for tests (ours and users'): schema validation of reports
(:func:`validate_report`), numerical equivariance under O(3) or a finite point group
(:func:`assert_equivariant`, :data:`FLOAT_TOLERANCE`), and the :class:`RelaxedModelTests`
mixin every relaxed model must pass.
"""

from __future__ import annotations

import json
from typing import Any, Callable

import numpy as np

from symbreak_cli.testing.equivariance import FLOAT_TOLERANCE, assert_equivariant, equivariance_errors
from symbreak_cli.testing.relaxed_model import RelaxedModelTests

__all__ = ["FLOAT_TOLERANCE", "RelaxedModelTests", "assert_equivariant", "equivariance_error", "equivariance_errors",
           "validate_report"]


def validate_report(doc: dict[str, Any] | str) -> str:
    """Validate a JSON report against the schema of its kind; return the kind.

    Raises ``jsonschema.ValidationError`` when the document does not conform, and checks
    that it round-trips through its pydantic model unchanged.
    """
    import jsonschema

    from symbreak_cli.results.base import json_schema, model_for_kind

    if isinstance(doc, str):
        doc = json.loads(doc)
    kind = doc["schema"].split(".", 1)[1].split("/", 1)[0]
    jsonschema.validate(doc, json_schema(kind))
    model = model_for_kind(kind).model_validate(doc)
    again = json.loads(model.to_json())
    if again != doc:
        raise AssertionError(f"{kind} report does not round-trip through its model")
    return kind


def equivariance_error(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, rotations: np.ndarray,
                       act_out: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> float:
    """Max over g of |f(g·x) − g·f(x)| for Cartesian 3×3 operations ``rotations``.

    ``x`` is (N, 3) points; ``act_out(R, y)`` applies R to an output.
    """
    fx = f(x)
    return max(float(np.max(np.abs(f(x @ R.T) - act_out(R, fx)))) for R in rotations)
