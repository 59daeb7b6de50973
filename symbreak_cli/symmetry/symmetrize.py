"""Displacements that symmetrise a structure to a group (tolerance ladder, approximate symmetry).

Molecules: the group average over Cartesian point operations g (about the centre they fix),

    x̄_j = (1/|G|) Σ_g R_g x_{π_g⁻¹(j)},

the orthogonal projection of the configuration onto the G-invariant ones; the largest
|x̄_j − x_j| is the displacement. Crystals: the distance to spglib's idealised structure
(:func:`spglib_displacement`), which is symmetrised for the group spglib *names*.
"""

from __future__ import annotations

import numpy as np


def symmetrization_shifts(positions: np.ndarray, numbers: np.ndarray, rotations: np.ndarray) -> np.ndarray:
    """(N, 3) shifts x̄ − x (Å) for Cartesian ``positions`` about the centre the
    ``rotations`` (n, 3, 3) fix; an atom maps onto the nearest one of its element.
    """
    x = np.asarray(positions, float)
    numbers = np.asarray(numbers)
    other_species = numbers[:, None] != numbers[None, :]
    acc = np.zeros_like(x)
    rows = np.arange(len(x))
    for R in np.asarray(rotations, float):
        d = (x @ R.T)[:, None, :] - x[None, :, :]  # image of atom i minus atom j
        dist = np.einsum("ijk,ijk->ij", d, d)
        dist[other_species] = np.inf
        j = np.argmin(dist, axis=1)
        np.add.at(acc, j, d[rows, j])
    return acc / len(rotations)


def max_symmetrization_displacement(positions: np.ndarray, numbers: np.ndarray, rotations: np.ndarray) -> float:
    """Largest atomic displacement (Å) that symmetrises the molecule to the given group."""
    shifts = symmetrization_shifts(positions, numbers, rotations)
    return float(np.max(np.linalg.norm(shifts, axis=1))) if len(shifts) else 0.0


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


def permutation_shifts(positions: np.ndarray, rotations: np.ndarray, permutations: np.ndarray) -> np.ndarray:
    """(N, 3) shifts x̄ − x (Å), x̄_i = (1/|G|) Σ_g R_gᵀ x_{π_g(i)}, with R_g x_i ≈ x_{π_g(i)}.

    The same group average as :func:`symmetrization_shifts`, in O(|G| N), with the atom
    correspondence the search found instead of nearest neighbours.

    >>> x = np.array([[1.0, 0, 0], [-0.9, 0, 0]])
    >>> permutation_shifts(x, np.array([np.eye(3), -np.eye(3)]), np.array([[0, 1], [1, 0]]))[:, 0].round(3).tolist()
    [-0.05, -0.05]
    """
    x = np.asarray(positions, float)
    R = np.asarray(rotations, float)
    xbar = np.einsum("gji,gnj->ni", R, x[np.asarray(permutations)]) / len(R)
    return xbar - x
