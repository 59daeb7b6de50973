"""Full irreps of G/T_s induced from spgrep's small irreps at one k, and a canonical real
basis for them (private helpers of :mod:`.irreps`).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from symbreak_cli.groups._arrays import unique
from symbreak_cli.errors import SymmetryError
from symbreak_cli.symmetry._supercell import Supercell, symmetric_form


#: cache format of the small irreps on disk (:mod:`symbreak_cli.io.cache`); bump it when
#: what is stored changes
_CACHE_KIND = "spgrep-small-irreps/1"


@lru_cache(maxsize=256)
def _small_irreps(rot: bytes, trans: bytes, n: int, k: tuple[float, float, float]):
    """The small irreps (spgrep) of the primitive parent (``n`` operations, int64 rotations and
    float64 translations as bytes) at k, and the little group's operation indices; kept in
    memory and on disk (:mod:`symbreak_cli.io.cache`), since they depend on nothing else
    and cost more than the rest of a decomposition.
    """
    from symbreak_cli.io.cache import cache_key, cached_arrays, versions_key

    def compute() -> dict[str, np.ndarray]:
        import spgrep

        R = np.frombuffer(rot, dtype=np.int64).reshape(n, 3, 3)
        t = np.frombuffer(trans, dtype=np.float64).reshape(n, 3)
        irreps, mapping = spgrep.get_spacegroup_irreps_from_primitive_symmetry(R, t, np.array(k))
        return {"n": np.array(len(irreps)), "mapping": np.asarray(mapping), **{f"D{i}": np.asarray(D) for i, D in enumerate(irreps)}}

    def valid(a: dict[str, np.ndarray]) -> bool:
        return {"n", "mapping"} <= a.keys() and all(f"D{i}" in a for i in range(int(a["n"])))

    key = cache_key(_CACHE_KIND, versions_key("spgrep"), rot, trans, np.asarray(k, np.float64).tobytes())
    got = cached_arrays("irreps", key, compute, valid)
    return [got[f"D{i}"] for i in range(int(got["n"]))], got["mapping"]


def _stars(kpoints: np.ndarray, Rk: np.ndarray) -> list[np.ndarray]:
    """k-points grouped into stars ∪ (−star), Γ first."""
    left = [k for k in kpoints]
    out = []
    while left:
        k = left.pop(0)
        arms = np.concatenate([(Rk @ k) % 1.0, (Rk @ -k) % 1.0])
        arms[np.abs(arms - 1) < 1e-8] = 0.0
        star = unique(np.round(arms, 8), axis=0)
        out.append(star)
        left = [q for q in left if not np.any(np.abs(((star - q) + 0.5) % 1.0 - 0.5).max(axis=1) < 1e-6)]
    return out


def _arm_index(arms: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Index of the arm equal to each k-point of q (..., 3) modulo reciprocal lattice vectors."""
    diff = np.abs(((arms - q[..., None, :]) + 0.5) % 1.0 - 0.5).max(axis=-1) < 1e-6  # (..., n_arms)
    return diff.argmax(axis=-1)


def _induction(sc: Supercell, k0: np.ndarray, mapping: np.ndarray):
    """Per element g and arm c': (arm c, little-group position, phase) of g_c⁻¹ g g_c'."""
    P = sc.parent
    R, tau = P.rotations, P.translations
    Rk = symmetric_form(R)
    images = (Rk @ np.asarray(k0, float)) % 1.0  # (m, 3) k-point images, operation order
    arms, reps = [], []
    for o, a in enumerate(images):
        if not any(np.abs(((a - b) + 0.5) % 1.0 - 0.5).max() < 1e-6 for b in arms):
            arms.append(a)
            reps.append(o)
    arms = np.array(arms)
    reps = np.array(reps)
    m = len(R)
    key = _rotation_keys(R)
    lookup = {int(x): o for o, x in enumerate(key)}
    where = np.full(m, -1)
    where[np.asarray(mapping, int)] = np.arange(len(mapping))
    Rinv = np.rint(np.linalg.inv(R[reps].astype(float))).astype(np.int64)  # (n_arms, 3, 3) coset representatives⁻¹
    G, na = sc.order, len(reps)
    T = sc.translations
    nT = len(T)
    # arm c of g_o g_c' k0 for every (operation o, arm c'): (m, n_arms)
    c = _arm_index(arms, np.einsum("oij,cj->oci", Rk, arms) % 1.0)
    Rci = Rinv[c]  # (m, na, 3, 3)
    Rh = np.einsum("ocij,ojk,ckl->ocil", Rci, R, R[reps])
    oh = np.array([lookup[int(x)] for x in _rotation_keys(Rh.reshape(-1, 3, 3))]).reshape(m, na)
    base = np.einsum("ocij,ocj->oci", Rci, np.einsum("oij,cj->oci", R, tau[reps]) + tau[:, None, :] - tau[reps][c]) - tau[oh]
    th = base[:, None, :, :] + np.einsum("tj,ocij->otci", T, Rci)  # (m, nT, na, 3), integers
    if (where[oh] < 0).any():
        raise SymmetryError("spgrep's little group misses an element g_c⁻¹ g g_c' of the induction")
    cidx = np.broadcast_to(c[:, None, :], (m, nT, na)).reshape(G, na)
    lpos = np.broadcast_to(where[oh][:, None, :], (m, nT, na)).reshape(G, na)
    phase = np.round(np.exp(-2j * np.pi * (th @ np.asarray(k0, float))), 12).reshape(G, na)
    return arms, np.ascontiguousarray(cidx), np.ascontiguousarray(lpos), phase


def _rotation_keys(R: np.ndarray) -> np.ndarray:
    """One integer per 3×3 integer matrix (entries in −8…8): equal matrices, equal keys."""
    flat = (np.asarray(R, np.int64).reshape(len(R), 9) + 8) * (17 ** np.arange(9, dtype=np.int64))
    return flat.sum(axis=1)


def _induce(D: np.ndarray, cidx, lpos, phase) -> np.ndarray:
    G, na = cidx.shape
    d = D.shape[1]
    out = np.zeros((G, na * d, na * d), complex)
    blocks = phase[..., None, None] * D[lpos]  # (G, na, d, d)
    for cp in range(na):
        for c in range(na):
            sel = cidx[:, cp] == c
            out[sel, c * d:(c + 1) * d, cp * d:(cp + 1) * d] = blocks[sel, cp]
    return out


def _first_distinct(rows: np.ndarray) -> np.ndarray:
    """Index of the first occurrence of each distinct row, in order of occurrence."""
    h = rows @ np.sin(np.arange(1, rows.shape[1] + 1) * 1.234567)  # equal rows, equal keys
    _, first, group = np.unique(h, return_index=True, return_inverse=True)
    if np.array_equal(rows, rows[first[group.ravel()]]):
        return np.sort(first)
    seen: dict[bytes, int] = {}  # two distinct rows share a key: compare them exactly
    for g, row in enumerate(rows):
        seen.setdefault(row.tobytes(), g)
    return np.array(list(seen.values()))


def _canonical(D: np.ndarray) -> np.ndarray:
    """D_R in a basis where commuting symmetric involutions are diagonal (signs fixed)."""
    d = D.shape[1]
    if d == 1:
        return D
    eye = np.eye(d)
    cand = D[_first_distinct(np.round(D, 8).reshape(len(D), -1) + 0.0)]  # + 0.0: −0.0 and 0.0 alike
    symmetric = np.abs(cand - cand.transpose(0, 2, 1)).max(axis=(1, 2)) < 1e-8
    trivial = (np.abs(cand - eye).max(axis=(1, 2)) < 1e-8) | (np.abs(cand + eye).max(axis=(1, 2)) < 1e-8)
    cand = cand[symmetric & ~trivial]
    # greedily keep each candidate that commutes with all kept before it
    alive = np.ones(len(cand), bool)
    chosen: list[int] = []
    while alive.any():
        a = int(np.argmax(alive))
        chosen.append(a)
        alive[: a + 1] = False
        alive &= np.abs(cand @ cand[a] - cand[a] @ cand).max(axis=(1, 2)) < 1e-8
    if chosen:
        C = cand[chosen]
        A = np.einsum("g,gij->ij", (1.0 + 0.6180339887 * np.arange(len(C))) ** 1.5, C)
        _, U = np.linalg.eigh(A)
        sig = np.diagonal(U.T @ C @ U, axis1=1, axis2=2).T  # (d, |C|)
        order = sorted(range(d), key=lambda j: tuple(-np.round(sig[j], 6)))
        U = U[:, order]
    else:
        U = eye
    Dc = U.T @ D @ U
    link = np.abs(Dc[:, :, 0]) > 1e-6  # (G, d): elements linking basis vector i to vector 0
    for i in range(1, d):  # sign of basis vector i: first element linking it to vector 0 positive
        if link[:, i].any() and Dc[int(np.argmax(link[:, i])), i, 0] < 0:
            Dc[:, i, :] *= -1
            Dc[:, :, i] *= -1
    return Dc
