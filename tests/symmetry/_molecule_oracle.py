"""An independent brute-force point-group check for the tests (not used by the package).

Every candidate symmetry element is tried: axes along each atom, along the sums,
differences and cross products of every pair of atoms of one element and radius, along
the normals of their triples, along the principal axes of inertia and the cross products
of atoms of different sets; each axis carries C_n (n ≤ 12), S_2n and a mirror normal to
it. An element is kept when it maps every atom within ``tol`` Å onto a distinct atom of
its element. The group is named from the elements found, by the textbook flow chart
(Cotton, *Chemical Applications of Group Theory*, 3rd ed., §3.14), not by
``symbreak_cli.groups``.
"""

from __future__ import annotations

import itertools

import numpy as np

MAX_N = 12


def _rot(u: np.ndarray, phi: float) -> np.ndarray:
    u = u / np.linalg.norm(u)
    K = np.array([[0, -u[2], u[1]], [u[2], 0, -u[0]], [-u[1], u[0], 0]])
    return np.eye(3) + np.sin(phi) * K + (1 - np.cos(phi)) * K @ K


def _mirror(u: np.ndarray) -> np.ndarray:
    u = u / np.linalg.norm(u)
    return np.eye(3) - 2 * np.outer(u, u)


def _maps(R, x, same, tol) -> bool:
    d = np.linalg.norm((x @ R.T)[:, None, :] - x[None, :, :], axis=-1)
    d[~same] = np.inf
    j = d.argmin(axis=1)
    return bool(d[np.arange(len(x)), j].max() <= tol) and len(set(j.tolist())) == len(x)


def _sets(x, numbers, tol):
    r = np.linalg.norm(x, axis=1)
    out = []
    for z in np.unique(numbers):
        idx = np.flatnonzero(numbers == z)
        idx = idx[np.argsort(r[idx])]
        start = 0
        for k in range(1, len(idx) + 1):
            if k == len(idx) or r[idx[k]] - r[idx[k - 1]] > tol:
                out.append(idx[start:k])
                start = k
    return out


def _axes(x, numbers, tol) -> np.ndarray:
    vecs = list(np.linalg.eigh(x.T @ x)[1].T)
    sets = [s for s in _sets(x, numbers, tol) if np.linalg.norm(x[s[0]]) > tol]
    for s in sets:
        p = x[s]
        vecs += list(p)
        for i, j in itertools.combinations(range(len(p)), 2):
            vecs += [p[i] + p[j], p[i] - p[j], np.cross(p[i], p[j])]
        triples = itertools.combinations(range(len(p)), 3) if len(p) <= 16 else (
            (0, j, k) for j, k in itertools.combinations(range(1, len(p)), 2))
        for i, j, k in triples:
            vecs.append(np.cross(p[j] - p[i], p[k] - p[i]))
    for s, t in itertools.combinations(sets, 2):
        vecs.append(np.cross(x[s[0]], x[t[0]]))
    v = np.array([u for u in vecs if np.linalg.norm(u) > 1e-8])
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    keep: list[np.ndarray] = []
    for u in v:
        if not keep or np.max(np.abs(np.array(keep) @ u)) < 1 - 1e-10:
            keep.append(u)
    return np.array(keep)


def _distinct(elements):
    """One entry per symmetry element: validated axes within 1° are one (distinct axes of a
    finite group are ≥ 20.9° apart), the highest order and S_2n kept."""
    out: list[list] = []
    for u, n, s in elements:
        for e in out:
            if abs(abs(e[0] @ u) - 1) < 1.5e-4:
                e[1], e[2] = max(e[1], n), e[2] or s
                break
        else:
            out.append([u, n, s])
    return [tuple(e) for e in out]


def brute_force_point_group(positions, numbers, tol: float = 0.01) -> str:
    """Schoenflies symbol of the molecule's point group at ``tol`` Å ("D∞h", "C∞v" for lines).

    >>> brute_force_point_group([[0, 0, 0.119], [0, 0.763, -0.477], [0, -0.763, -0.477]], [8, 1, 1])
    'C2v'
    """
    numbers = np.asarray(numbers)
    x = np.asarray(positions, float)
    x = x - x.mean(axis=0)
    same = numbers[:, None] == numbers[None, :]
    inversion = _maps(-np.eye(3), x, same, tol)
    line = np.linalg.svd(x, full_matrices=False)[2][0]
    if np.linalg.norm(x - np.outer(x @ line, line), axis=1).max() <= tol:
        return "D∞h" if inversion else "C∞v"
    rot_axes: list[tuple[np.ndarray, int, bool]] = []  # axis, highest n, has S_2n
    mirrors: list[np.ndarray] = []
    for u in _axes(x, numbers, tol):
        ns = [n for n in range(2, MAX_N + 1) if _maps(_rot(u, 2 * np.pi / n), x, same, tol)]
        if ns:
            n = max(ns)
            s2n = _maps(_mirror(u) @ _rot(u, np.pi / n), x, same, tol)
            rot_axes.append((u, n, s2n))
        if _maps(_mirror(u), x, same, tol):
            mirrors.append(u)
    rot_axes, mirrors = _distinct(rot_axes), [m[0] for m in _distinct([(u, 0, False) for u in mirrors])]
    high = [a for a in rot_axes if a[1] >= 3]
    if len(high) >= 2:
        orders = {a[1] for a in high}
        if 5 in orders:
            return "Ih" if inversion else "I"
        if 4 in orders:
            return "Oh" if inversion else "O"
        return "Th" if inversion else ("Td" if len(mirrors) >= 6 else "T")
    if not rot_axes:
        return "Cs" if mirrors else ("Ci" if inversion else "C1")
    p, n, s2n = max(rot_axes, key=lambda a: (a[1], a[2]))
    perp_c2 = sum(1 for u, m, _ in rot_axes if m % 2 == 0 and abs(u @ p) < 1e-3)
    sigma_h = any(abs(abs(u @ p) - 1) < 1e-6 for u in mirrors)
    sigma_v = sum(1 for u in mirrors if abs(u @ p) < 1e-3)
    if perp_c2 >= n:
        return f"D{n}h" if sigma_h else (f"D{n}d" if sigma_v >= n else f"D{n}")
    if sigma_h:
        return f"C{n}h"
    if sigma_v >= n:
        return f"C{n}v"
    return f"S{2 * n}" if s2n else f"C{n}"
