"""Symmetrisation by group averaging, and the displacement it costs.

For a group G of operations g = (R, t) mapping the structure onto itself within a
tolerance, the symmetrised structure is the group average

    x̄_j = (1/|G|) Σ_g (R x_{π_g⁻¹(j)} + t),

the orthogonal projection of the configuration onto the G-invariant ones (at fixed
lattice). The largest |x̄_j − x_j| is the atomic displacement needed to reach G — what the
tolerance ladder and the approximate symmetry report.
"""

from __future__ import annotations

import numpy as np


def symmetrization_shifts(positions: np.ndarray, numbers: np.ndarray, rotations: np.ndarray,
                          translations: np.ndarray | None, lattice: np.ndarray | None) -> np.ndarray:
    """(N, 3) shifts x̄ − x, in the coordinates of ``positions``.

    Crystals: ``positions`` fractional, ``translations`` given, differences taken modulo
    lattice vectors and distances measured with ``lattice`` (rows a, b, c, Å).
    Molecules: ``positions`` Cartesian about the centre the operations fix,
    ``translations`` and ``lattice`` None.
    """
    x = np.asarray(positions, float)
    numbers = np.asarray(numbers)
    n = len(x)
    metric = np.eye(3) if lattice is None else np.asarray(lattice, float)
    other_species = numbers[:, None] != numbers[None, :]
    acc = np.zeros_like(x)
    rows = np.arange(n)
    for k, R in enumerate(np.asarray(rotations, float)):
        y = x @ R.T
        if translations is not None:
            y = y + translations[k]
        d = y[:, None, :] - x[None, :, :]  # image of atom i minus atom j
        if lattice is not None:
            d -= np.round(d)
        dist = np.einsum("ijk,kl->ijl", d, metric)
        dist = np.einsum("ijk,ijk->ij", dist, dist)
        dist[other_species] = np.inf
        j = np.argmin(dist, axis=1)
        np.add.at(acc, j, d[rows, j])
    return acc / len(rotations)


def max_symmetrization_displacement(positions, numbers, rotations, translations, lattice) -> float:
    """Largest atomic displacement (Å) that symmetrises the structure to the given group."""
    shifts = symmetrization_shifts(positions, numbers, rotations, translations, lattice)
    cart = shifts if lattice is None else shifts @ np.asarray(lattice, float)
    return float(np.max(np.linalg.norm(cart, axis=1))) if len(cart) else 0.0


def spglib_displacement(frac: np.ndarray, lattice: np.ndarray, dataset) -> float:
    """Largest displacement (Å) between the input atoms and spglib's idealised structure.

    spglib's standardised positions are symmetrised for the group it *identified*, which
    at large tolerances can hold more operations than the search returned in the input
    cell; comparing with them measures the displacement to the group that is reported.
    With x_s = P x + p (mod 1) and conventional lattice rows L_s = P⁻ᵀ L (spglib's
    ``transformation_matrix`` P and ``origin_shift`` p), each input atom is matched to the
    nearest standardised atom of the same primitive orbit; the difference is measured at
    the input's own metric, so lattice strain is not counted.
    """
    P = np.asarray(dataset.transformation_matrix, float)
    xs = (np.asarray(frac, float) @ P.T + dataset.origin_shift)
    L_conv = np.linalg.inv(P).T @ np.asarray(lattice, float)
    std = np.asarray(dataset.std_positions, float)
    std_map = np.asarray(dataset.std_mapping_to_primitive)
    worst = 0.0
    for i, m in enumerate(np.asarray(dataset.mapping_to_primitive)):
        cand = std[std_map == m]
        d = cand - xs[i]
        d -= np.round(d)
        dist = np.linalg.norm(d @ L_conv, axis=1)
        worst = max(worst, float(dist.min()))
    return worst
