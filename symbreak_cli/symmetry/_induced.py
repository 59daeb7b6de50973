"""Full irreps of G/T_s induced from spgrep's small irreps at one k, and a canonical real
basis for them (private helpers of :mod:`.irreps`).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from symbreak_cli.symmetry._supercell import Supercell, symmetric_form


@lru_cache(maxsize=256)
def _small_irreps(rot: bytes, trans: bytes, n: int, k: tuple[float, float, float]):
    import spgrep

    R = np.frombuffer(rot, dtype=np.int64).reshape(n, 3, 3)
    t = np.frombuffer(trans, dtype=np.float64).reshape(n, 3)
    irreps, mapping = spgrep.get_spacegroup_irreps_from_primitive_symmetry(R, t, np.array(k))
    return [np.asarray(D) for D in irreps], np.asarray(mapping)


def _stars(kpoints: np.ndarray, Rk: np.ndarray) -> list[np.ndarray]:
    """k-points grouped into stars ∪ (−star), Γ first."""
    left = [k for k in kpoints]
    out = []
    while left:
        k = left.pop(0)
        arms = np.concatenate([(Rk @ k) % 1.0, (Rk @ -k) % 1.0])
        arms[np.abs(arms - 1) < 1e-8] = 0.0
        star = np.unique(np.round(arms, 8), axis=0)
        out.append(star)
        left = [q for q in left if not np.any(np.abs(((star - q) + 0.5) % 1.0 - 0.5).max(axis=1) < 1e-6)]
    return out


def _induction(sc: Supercell, k0: np.ndarray, mapping: np.ndarray):
    """Per element g and arm c': (arm c, little-group position, phase) of g_c⁻¹ g g_c'."""
    P = sc.parent
    R, tau = P.rotations, P.translations
    Rk = symmetric_form(R)
    arms, reps = [], []
    for o in range(len(R)):
        a = (Rk[o] @ k0) % 1.0
        if not any(np.abs(((a - b) + 0.5) % 1.0 - 0.5).max() < 1e-6 for b in arms):
            arms.append(a)
            reps.append(o)
    arms = np.array(arms)
    lookup = {R[o].tobytes(): o for o in range(len(R))}
    pos = {int(o): i for i, o in enumerate(mapping)}
    G, na = sc.order, len(reps)
    cidx = np.empty((G, na), int)
    lpos = np.empty((G, na), int)
    phase = np.empty((G, na), complex)
    T = sc.translations
    nT = len(T)
    for o in range(len(R)):
        for cp, rc in enumerate(reps):
            a = (Rk[o] @ arms[cp]) % 1.0
            c = int(np.flatnonzero(np.abs(((arms - a) + 0.5) % 1.0 - 0.5).max(axis=1) < 1e-6)[0])
            Rci = np.rint(np.linalg.inv(R[reps[c]])).astype(np.int64)
            Rh = Rci @ R[o] @ R[rc]
            oh = lookup[Rh.tobytes()]
            base = Rci @ (R[o] @ tau[rc] + tau[o] - tau[reps[c]]) - tau[oh]
            th = base[None, :] + T @ Rci.T  # (nT, 3), integers
            sl = slice(o * nT, (o + 1) * nT)
            cidx[sl, cp] = c
            lpos[sl, cp] = pos[oh]
            phase[sl, cp] = np.round(np.exp(-2j * np.pi * (th @ k0)), 12)
    return arms, cidx, lpos, phase


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


def _canonical(D: np.ndarray) -> np.ndarray:
    """D_R in a basis where commuting symmetric involutions are diagonal (signs fixed)."""
    d = D.shape[1]
    if d == 1:
        return D
    eye = np.eye(d)
    _, first = np.unique(np.round(D, 8).reshape(len(D), -1), axis=0, return_index=True)
    cand = D[np.sort(first)]
    symmetric = np.abs(cand - cand.transpose(0, 2, 1)).max(axis=(1, 2)) < 1e-8
    trivial = (np.abs(cand - eye).max(axis=(1, 2)) < 1e-8) | (np.abs(cand + eye).max(axis=(1, 2)) < 1e-8)
    chosen: list[np.ndarray] = []
    for M in cand[symmetric & ~trivial]:
        if not chosen or np.abs(np.einsum("ij,gjk->gik", M, np.array(chosen))
                                - np.einsum("gij,jk->gik", np.array(chosen), M)).max() < 1e-8:
            chosen.append(M)
    if chosen:
        C = np.array(chosen)
        A = np.einsum("g,gij->ij", (1.0 + 0.6180339887 * np.arange(len(C))) ** 1.5, C)
        _, U = np.linalg.eigh(A)
        sig = np.einsum("ij,gik,kj->jg", U, C, U)
        order = sorted(range(d), key=lambda j: tuple(-np.round(sig[j], 6)))
        U = U[:, order]
    else:
        U = eye
    Dc = np.einsum("ji,gjk,kl->gil", U, D, U)
    link = np.abs(Dc[:, :, 0]) > 1e-6  # (G, d): elements linking basis vector i to vector 0
    for i in range(1, d):  # sign of basis vector i: first element linking it to vector 0 positive
        if link[:, i].any() and Dc[int(np.argmax(link[:, i])), i, 0] < 0:
            Dc[:, i, :] *= -1
            Dc[:, :, i] *= -1
    return Dc
