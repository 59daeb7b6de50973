"""O(3) irreps (l, p) restricted to a finite point group: branching and invariants.

Irrep labels are e3nn's: "2e" is (l, p) = (2, +1), "1o" is (1, −1) (:func:`parse_irrep`,
:func:`irrep_label`, the one parser). Characters need no Wigner matrices: a proper
rotation by θ has χ_l(θ) = sin((2l+1)θ/2) / sin(θ/2), and an improper g = −R multiplies
by the parity p (e3nn's convention: ``Irrep(l, p)`` maps the inversion to p·1). So the
branching table, n_Γ = (1/|G|) Σ_g χ_(l,p)(g) χ_Γ(g), and the invariant count
n_inv = (1/|G|) Σ_g χ_(l,p)(g) are closed forms.

New invariants of G → H (H ⊂ G): the (l, p) with n_inv(H) > n_inv(G); their readable
polynomials come from :mod:`._polynomials` ("2z² − x² − y²" for Oh → D4h, 2e). In e3nn's
own basis, :func:`invariant_basis` is the image of the projector P_G = (1/|G|) Σ_g D(g)
(:func:`~symbreak_cli.groups._harmonics.wigner_D`), and :func:`new_invariant_basis` that of
P_H − P_G.

>>> from symbreak_cli.groups._point_group import PointGroup
>>> n_invariants(PointGroup.named("D4h"), *parse_irrep("2e"))
1
>>> decomposition_text(decompose(PointGroup.named("Oh"), 2, 1))
'Eg + T2g'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from symbreak_cli.errors import OptionError
from symbreak_cli.groups._harmonics import MAX_L, wigner_D
from symbreak_cli.groups._point_group import PointGroup
from symbreak_cli.groups._polynomials import describe_new_invariants

#: projector eigenvalues above this are 1 (invariant directions), below it 0 (dimensionless)
_PROJECTOR_SPLIT = 0.5


def parse_irrep(label: str) -> tuple[int, int]:
    """(l, p) of an e3nn irrep label: '2e' → (2, 1), '1o' → (1, −1); OptionError otherwise.

    >>> parse_irrep("2e"), parse_irrep("1o")
    ((2, 1), (1, -1))
    """
    m = re.fullmatch(r"\s*(\d+)([eo])\s*", label)
    if not m:
        raise OptionError(f"not an O(3) irrep: {label!r} (expected e3nn notation like '1o', '2e')")
    return int(m.group(1)), (1 if m.group(2) == "e" else -1)


def irrep_label(l: int, p: int) -> str:
    """e3nn label of (l, p), the inverse of :func:`parse_irrep`.

    >>> irrep_label(3, -1)
    '3o'
    """
    return f"{l}{'e' if p > 0 else 'o'}"


def parse_signal(coeffs: dict) -> dict[tuple[int, int], np.ndarray]:
    """{(l, p): (2l+1,) float64} from {label: coefficients}; parts with one label summed.

    >>> parse_signal({"1o": [0, 0, 1]})
    {(1, -1): array([0., 0., 1.])}
    """
    parts: dict[tuple[int, int], np.ndarray] = {}
    for label, v in coeffs.items():
        l, p = parse_irrep(label)
        v = np.asarray(v, dtype=np.float64).ravel()
        if v.size != 2 * l + 1:
            raise OptionError(f"signal part {label!r} has {v.size} components, expected {2 * l + 1}")
        parts[(l, p)] = parts.get((l, p), 0) + v
    return parts


def o3_characters(G: PointGroup, l: int, p: int) -> np.ndarray:
    """(|G|,) characters of the O(3) irrep (l, p) on the elements of G (full precision)."""
    dets = np.linalg.det(G.matrices)
    proper = G.matrices * np.sign(dets)[:, None, None]
    c = np.clip((np.einsum("aii->a", proper) - 1) / 2, -1, 1)
    theta = np.arccos(c)
    s = np.sin(theta / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        chi = np.where(np.abs(s) < 1e-9, 2 * l + 1, np.sin((2 * l + 1) * theta / 2) / np.where(s == 0, 1, s))
    return chi * np.where(dets < 0, p, 1)


def n_invariants(G: PointGroup, l: int, p: int) -> int:
    """Dimension of the G-invariant subspace of (l, p): (1/|G|) Σ_g χ(g)."""
    return int(round(float(o3_characters(G, l, p).mean())))


def decompose(G: PointGroup, l: int, p: int) -> dict[str, int]:
    """(l, p)↓G as {Mulliken label: multiplicity}, in table order."""
    from symbreak_cli.groups._characters import character_table

    t = character_table(G)
    mult = t.decompose(o3_characters(G, l, p))
    return {ir.label: int(round(m)) for ir, m in zip(t.irreps, mult) if round(m) > 0}


def decomposition_text(dec: dict[str, int]) -> str:
    """{'Eg': 1, 'T2g': 1} → 'Eg + T2g' (multiplicities as 2T1u)."""
    return " + ".join(f"{m if m > 1 else ''}{lab}" for lab, m in dec.items()) or "0"


@dataclass(frozen=True)
class BranchingRow:
    """One O(3) irrep restricted to G (and optionally to a subgroup H)."""

    irrep: str  # e3nn label, e.g. "2e"
    l: int
    parity: int
    decomposition: dict[str, int]
    n_invariant: int
    n_invariant_child: int | None = None
    new_invariants: tuple[str, ...] = ()  # readable polynomials, only when the child gains some

    @property
    def breaks(self) -> bool:
        return self.n_invariant_child is not None and self.n_invariant_child > self.n_invariant


def branching_table(G: PointGroup, H: PointGroup | None = None, lmax: int = 6) -> list[BranchingRow]:
    """Rows for l = 0..lmax, both parities; with H ⊂ G (same frame) the new invariants too."""
    if lmax < 0 or lmax > MAX_L:
        raise OptionError(f"lmax must be between 0 and {MAX_L}, got {lmax}")
    rows = []
    for l in range(lmax + 1):
        for p in (1, -1) if l % 2 == 0 else (-1, 1):
            nG = n_invariants(G, l, p)
            nH = n_invariants(H, l, p) if H is not None else None
            new: tuple[str, ...] = ()
            if H is not None and nH > nG:
                new = describe_new_invariants(G, H, l, p)
            rows.append(BranchingRow(irrep_label(l, p), l, p, decompose(G, l, p), nG, nH, new))
    return rows


def invariant_basis(G: PointGroup, l: int, p: int) -> np.ndarray:
    """(k, 2l+1) orthonormal basis of the G-invariant vectors of (l, p), e3nn's basis.

    >>> from symbreak_cli.groups._point_group import PointGroup
    >>> invariant_basis(PointGroup.named("Oh"), 4, 1).shape       # the cubic harmonic
    (1, 9)
    """
    P = wigner_D(l, p, G.matrices).mean(axis=0)
    w, V = np.linalg.eigh((P + P.T) / 2)
    return V[:, w > _PROJECTOR_SPLIT].T


def new_invariant_basis(G: PointGroup, H: PointGroup, l: int, p: int) -> np.ndarray:
    """(k, 2l+1) orthonormal basis of the H-invariants orthogonal to the G-invariants.

    P_H − P_G is the orthogonal projector onto them when H ⊂ G (G-invariants ⊂ H-invariants).
    """
    D = wigner_D(l, p, H.matrices).mean(axis=0) - wigner_D(l, p, G.matrices).mean(axis=0)
    w, V = np.linalg.eigh((D + D.T) / 2)
    return V[:, w > _PROJECTOR_SPLIT].T
