"""The operation search behind :func:`symbreak_cli.symmetry.molecule.molecule_point_group`.

Every point operation g fixes the centroid and keeps each atom's element and distance r
from it. Pick a reference atom a (fewest possible images: same element, |r − r_a| ≤ tol)
and a second atom b off a's line through the centre. g is fixed by (g a, g b) and its
determinant, so the candidates are every pair (a′, b′) of possible images with
|a′ − b′| = |a − b| (within 2 tol), each as a rotation and as a rotation times the
mirror through (0, a, b). This enumerates *every* operation — no candidate axes, no
rotation orders, nothing to miss. A candidate is fitted (Kabsch, determinant fixed) to
the atom correspondence it induces, first on a few probe atoms, then on all; it is kept
when every atom lands within ``tol`` Å of a distinct atom of its element.

Cost: (images of a) × (matching images of b) × 2 cheap probe fits, plus one full O(N·w)
check per surviving candidate (w: atoms per element-and-radius window), so a
2000-atom cluster takes well under a second per tolerance.
"""

from __future__ import annotations

import numpy as np

from symbreak_cli.groups._arrays import unique
from symbreak_cli.symmetry.tolerances import MOLECULE_PROBE_ATOMS


def kabsch(X: np.ndarray, Y: np.ndarray, det: np.ndarray) -> np.ndarray:
    """Orthogonal R (k, 3, 3) minimising Σ_i |R x_i − y_i|² with det R = ``det`` (k,).

    ``X``, ``Y``: (k, m, 3) or (m, 3) source and target points.
    """
    M = np.einsum("...mi,...mj->...ij", Y, X)
    U, _, Vt = np.linalg.svd(M)
    d = np.asarray(det, float) * np.linalg.det(U) * np.linalg.det(Vt)
    D = np.zeros(np.shape(d) + (3, 3))
    D[..., 0, 0] = D[..., 1, 1] = 1.0
    D[..., 2, 2] = d
    return U @ D @ Vt


def _dist(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """|u − v| over the last axis (broadcast)."""
    w = u - v
    return np.sqrt(np.einsum("...i,...i->...", w, w))


def _frame(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(…, 3, 3) orthonormal rows: â, the part of b ⊥ a, their cross product."""
    e1 = a / np.linalg.norm(a, axis=-1, keepdims=True)
    p = b - np.sum(b * e1, axis=-1, keepdims=True) * e1
    e2 = p / np.linalg.norm(p, axis=-1, keepdims=True)
    return np.stack([e1, e2, np.cross(e1, e2)], axis=-2)


class Windows:
    """For every atom, the atoms it may map onto: its element, radius within ``tol``."""

    def __init__(self, x: np.ndarray, numbers: np.ndarray, tol: float):
        r = np.linalg.norm(x, axis=1)
        z = np.asarray(numbers, float)
        key = z * 1e7 + r  # Å below 1e6: element first, then radius
        self.order = np.argsort(key, kind="stable")
        sk = key[self.order]
        self.lo = np.searchsorted(sk, key - tol, side="left")
        self.hi = np.searchsorted(sk, key + tol, side="right")
        self.size = self.hi - self.lo
        self.r = r

    def members(self, i: int) -> np.ndarray:
        return self.order[self.lo[i]:self.hi[i]]

    def padded(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(len(idx), w) candidate partners of atoms ``idx`` and a validity mask."""
        w = int(self.size[idx].max())
        cols = self.lo[idx][:, None] + np.arange(w)[None, :]
        valid = cols < self.hi[idx][:, None]
        return self.order[np.where(valid, cols, self.lo[idx][:, None])], valid


class Grid:
    """Atoms binned in cubes of side h ≥ 2 tol: an image's partners within ``tol`` lie in
    the ≤ 8 cubes its tol-box touches, so the nearest one is found in O(1) per atom.
    """

    OFFSETS = np.array([[i, j, k] for i in (0, 1) for j in (0, 1) for k in (0, 1)])

    def __init__(self, x: np.ndarray, numbers: np.ndarray, tol: float):
        self.x, self.z, self.tol = x, np.asarray(numbers), tol
        self.h = max(2.0 * tol, 1.0)  # Å; molecules hold a few atoms per Å³
        self.origin = x.min(axis=0) - 2 * self.h
        self.m = int(np.ceil((x.max(axis=0) - self.origin).max() / self.h)) + 4
        key = self._key(np.floor((x - self.origin) / self.h).astype(np.int64))
        self.order = np.argsort(key, kind="stable")
        self.sorted_keys = key[self.order]
        self.k = int(np.max(np.unique(key, return_counts=True)[1]))

    def _key(self, cells: np.ndarray) -> np.ndarray:
        c = np.clip(cells, 0, self.m - 1)
        return (c[..., 0] * self.m + c[..., 1]) * self.m + c[..., 2]

    def nearest(self, y: np.ndarray, src: np.ndarray):
        """For images y (…, 3) of atoms ``src`` (…,): nearest same-element atom and distance
        (inf when none lies within tol).
        """
        low = np.floor((y - self.tol - self.origin) / self.h).astype(np.int64)
        keys = self._key(low[..., None, :] + self.OFFSETS)  # (…, 8)
        lo = np.searchsorted(self.sorted_keys, keys, side="left")
        cols = lo[..., None] + np.arange(self.k)  # (…, 8, k)
        ok = cols < len(self.order)
        cols = np.where(ok, cols, 0)
        ok &= self.sorted_keys[cols] == keys[..., None]
        cand = self.order[cols].reshape(y.shape[:-1] + (-1,))
        ok = ok.reshape(cand.shape) & (self.z[cand] == self.z[src][..., None])
        d = _dist(self.x[cand], y[..., None, :])
        d = np.where(ok, d, np.inf)
        best = np.argmin(d, axis=-1)
        j = np.take_along_axis(cand, best[..., None], axis=-1)[..., 0]
        dist = np.take_along_axis(d, best[..., None], axis=-1)[..., 0]
        return j, dist


def _nearest(y: np.ndarray, x: np.ndarray, part: np.ndarray, valid: np.ndarray):
    """Index and distance of the nearest allowed partner of each image y (…, m, 3)."""
    d = _dist(y[..., :, None, :], x[part])
    d = np.where(valid, d, np.inf)
    k = np.argmin(d, axis=-1)
    j = np.take_along_axis(np.broadcast_to(part, d.shape), k[..., None], axis=-1)[..., 0]
    return j, np.take_along_axis(d, k[..., None], axis=-1)[..., 0]


def _reference_atoms(x: np.ndarray, win: Windows, tol: float) -> tuple[int, int] | None:
    """(a, b): a with the fewest images away from the centre, b off a's line, fewest images."""
    r = win.r
    floor = max(2 * tol, 1e-3 * r.max())
    ok = np.flatnonzero(r > floor)
    if len(ok) == 0:
        return None
    a = int(ok[np.lexsort((-r[ok], win.size[ok]))[0]])
    u = x[a] / r[a]
    perp = np.linalg.norm(x - np.outer(x @ u, u), axis=1)
    okb = np.flatnonzero(perp > max(floor, 0.1 * perp.max()))
    if len(okb) == 0:
        return None
    b = int(okb[np.lexsort((-perp[okb], win.size[okb]))[0]])
    return a, b


def find_operations(x: np.ndarray, numbers: np.ndarray, tol: float):
    """Every operation mapping the centred molecule ``x`` onto itself within ``tol`` Å.

    Returns (R (k, 3, 3), permutations (k, N + 2) int with R x_i ≈ x_perm[i] for the N atoms
    and the last two entries swapped for improper R, residuals (k,) Å),
    identity first; None when no two atoms span a plane through the centre away from it
    (the tolerance is as large as the molecule).
    """
    n_atoms = len(x)
    win = Windows(x, numbers, tol)
    ref = _reference_atoms(x, win, tol)
    if ref is None:
        return None
    a, b = ref
    ia, ib = win.members(a), win.members(b)
    dab = np.linalg.norm(x[a] - x[b])
    A = np.repeat(ia, len(ib))
    B = np.tile(ib, len(ia))
    keep = (A != B) & (np.abs(np.linalg.norm(x[A] - x[B], axis=1) - dab) <= 2 * tol)
    A, B = A[keep], B[keep]
    perp_ok = np.linalg.norm(np.cross(x[A], x[B]), axis=1) > 1e-9
    A, B = A[perp_ok], B[perp_ok]
    F = _frame(x[a], x[b])
    Fp = _frame(x[A], x[B])
    R = np.einsum("kji,jl->kil", Fp, F)  # Fp^T F: maps a → a', b → b' (directions)
    normal = F[2]
    sigma = np.eye(3) - 2 * np.outer(normal, normal)  # mirror fixing a and b
    R = np.concatenate([R, R @ sigma])
    det = np.concatenate([np.ones(len(A)), -np.ones(len(A))])
    slot = np.concatenate([A, A]) * (2 * n_atoms) + np.concatenate([B, B]) * 2 + (det < 0)

    # probe stages: a, b and the atoms nearest the centre (short lever arms). The first
    # matches look in each probe's whole element-and-radius window (the two-atom R may
    # miss by more than tol), then on more probes in the grid.
    by_r = np.argsort(win.r)
    near = by_r[win.r[by_r] > 0]
    grid = Grid(x, numbers, tol)
    for n_probe, stage in ((4, "window"), (MOLECULE_PROBE_ATOMS, "grid")):
        probes = unique(np.concatenate([[a, b], near[:n_probe]]))
        xp = x[probes]
        if stage == "window":
            part, valid = win.padded(probes)
            j, _d = _nearest(np.einsum("kij,mj->kmi", R, xp), x, part, valid)
            R = kabsch(np.broadcast_to(xp, j.shape + (3,)), x[j], det)
            j, d = _nearest(np.einsum("kij,mj->kmi", R, xp), x, part, valid)
            alive = np.max(d, axis=1) <= 3 * tol
            miss = d.max(axis=1)
        else:
            j, d = grid.nearest(np.einsum("kij,mj->kmi", R, xp), np.broadcast_to(probes, (len(R), len(probes))))
            alive = np.all(np.isfinite(d), axis=1)
            R, det, j, slot = R[alive], det[alive], j[alive], slot[alive]
            R = kabsch(np.broadcast_to(xp, j.shape + (3,)), x[j], det)
            miss = _dist(np.einsum("kij,mj->kmi", R, xp), x[j]).max(axis=1)
            alive = miss <= 1.5 * tol
        R, det, slot, miss = R[alive], det[alive], slot[alive], miss[alive]

    # full check, best probe fit first; an operation implied by products of those already
    # kept (its images of a and b and its determinant) is not checked again
    first = np.argsort(miss, kind="stable")
    R, det, slot = R[first], det[first], slot[first]
    ops, perms, res = [np.eye(3)], [np.arange(n_atoms)], [0.0]
    covered = {a * 2 * n_atoms + b * 2}
    gens: list[int] = []
    for Rk, dk, sk in zip(R, det, slot):
        if int(sk) in covered:
            continue
        j, d = grid.nearest(x @ Rk.T, np.arange(n_atoms))
        if not np.all(np.isfinite(d)) or len(unique(j)) < n_atoms:
            continue
        Rk = kabsch(x, x[j], dk)
        e = float(_dist(x @ Rk.T, x[j]).max())
        if e > tol:
            continue
        ops.append(Rk)
        perms.append(j)
        res.append(e)
        covered.add(int(j[a]) * 2 * n_atoms + int(j[b]) * 2 + int(dk < 0))
        gens.append(len(ops) - 1)
        _add_products(x, ops, perms, res, covered, a, b, tol, gens)
    # an operation is its permutation extended by two virtual points that an improper one
    # swaps (a planar molecule's mirror in its plane permutes no atom)
    ident = np.arange(n_atoms + 2)
    uniq = {ident.tobytes()}
    out_R, out_p, out_res = [np.eye(3)], [ident], [0.0]
    for Rk, p, e in sorted(zip(ops[1:], perms[1:], res[1:]), key=lambda t: t[2]):
        improper = np.linalg.det(Rk) < 0
        ext = np.concatenate([p, [n_atoms + 1, n_atoms] if improper else [n_atoms, n_atoms + 1]])
        if ext.tobytes() not in uniq:
            uniq.add(ext.tobytes())
            out_R.append(Rk)
            out_p.append(ext)
            out_res.append(e)
    return np.array(out_R), np.array(out_p), np.array(out_res)


def _add_products(x, ops, perms, res, covered, a, b, tol, gens, max_order: int = 240) -> None:
    """Append, in place, the products g·h (g a kept generator) that fit within ``tol``:
    the group the generators span, as far as it fits.
    """
    n = len(x)
    seen = {(p.tobytes(), bool(np.linalg.det(R) < 0)) for R, p in zip(ops, perms)}
    frontier = list(range(len(ops)))
    while frontier and len(ops) <= max_order:
        new = []
        for i in frontier:
            for g in gens:
                p = perms[g][perms[i]]
                M = ops[g] @ ops[i]
                improper = bool(np.linalg.det(M) < 0)
                if (p.tobytes(), improper) in seen:
                    continue
                seen.add((p.tobytes(), improper))
                e = float(_dist(x @ M.T, x[p]).max())
                if e <= tol:
                    ops.append(M)
                    perms.append(p)
                    res.append(e)
                    covered.add(int(p[a]) * 2 * n + int(p[b]) * 2 + int(improper))
                    new.append(len(ops) - 1)
        frontier = new
