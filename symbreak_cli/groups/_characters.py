"""Character tables generated from the group itself (Burnside's class-sum method).

With classes K_1 … K_r (sizes h_i) the class sums multiply as C_j C_i = Σ_k c_jik C_k, where
c_jik = #{x ∈ K_j : x⁻¹ z ∈ K_i} for any fixed z ∈ K_k. For each irrep χ of degree d the
vector ω_i = h_i χ_i / d is a common eigenvector, Σ_k c_jik ω_k = ω_j ω_i, so the
eigenvectors of one generic combination Σ_j r_j M_j (M_j)_ik = c_jik, scaled to ω_E = 1,
give every irrep; d follows from Σ_i h_i |χ_i|² = |G|, i.e. d² = |G| / Σ_i |ω_i|²/h_i.

*Physically irreducible* irreps: a complex irrep and its conjugate are merged into one real
irrep of twice the degree with characters χ + χ̄ (``complex_pair=True``); point groups
have no quaternionic irreps, so every real-character irrep is already real.

Mulliken labels (:func:`mulliken_labels`) are assigned from the characters:
A/B (1D, χ(principal) = ±1), E, T, G, H by degree; subscripts 1/2 from C2′ (else σv),
E_k from χ(principal) = 2cos(2πk/n); T1/T2 from χ(C4 or S4) (cubic) or χ(C5) (icosahedral);
D2/D2h: B1/B2/B3 by which of C2(z), C2(y), C2(x) is symmetric; g/u by χ(i); ′/″ by χ(σh).

Restriction: the multiplicity of H's identity irrep in Γ↓H is (1/|H|) Σ_{h∈H} χ_Γ(h);
:func:`breaking_irreps` lists the irreps of G with a positive one (those that can carry
the breaking G → H).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from symbreak_cli.errors import SymmetryError
from symbreak_cli.groups._mulliken import mulliken_labels, sort_key
from symbreak_cli.groups._point_group import PointGroup, embed
from symbreak_cli.groups._tolerances import CHARACTER_SNAP

_CACHE: "weakref.WeakKeyDictionary[PointGroup, CharacterTable]" = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Irrep:
    """One physically irreducible representation.

    ``characters`` (r,) float64, one per class in ``CharacterTable.classes`` order.
    ``complex_pair`` marks an irrep merged from a complex-conjugate pair (χ + χ̄).
    """

    label: str
    dim: int
    characters: np.ndarray
    complex_pair: bool = False


@dataclass(frozen=True)
class CharacterTable:
    group: PointGroup
    irreps: tuple[Irrep, ...]

    @property
    def classes(self):
        return self.group.classes

    @property
    def class_sizes(self) -> np.ndarray:
        return np.array([c.size for c in self.group.classes])

    def matrix(self) -> np.ndarray:
        """(n_irreps, n_classes) characters."""
        return np.array([ir.characters for ir in self.irreps])

    def irrep(self, label: str) -> Irrep:
        for ir in self.irreps:
            if ir.label == label:
                return ir
        raise SymmetryError(
            f"{self.group.schoenflies} has no irrep {label!r}; it has {', '.join(i.label for i in self.irreps)}"
        )

    def element_characters(self, ir: Irrep) -> np.ndarray:
        """(|G|,) characters per group element."""
        return ir.characters[self.group.class_of]

    def decompose(self, chars_per_element: np.ndarray) -> np.ndarray:
        """Multiplicities n_Γ = (1/|G|) Σ_g χ(g) χ_Γ(g) / (1 for real, 2 for merged pairs)."""
        chi = np.asarray(chars_per_element, float)
        out = []
        for ir in self.irreps:
            norm = 2.0 if ir.complex_pair else 1.0
            out.append(float(chi @ self.element_characters(ir)) / self.group.order / norm)
        return np.array(out)


def _class_constants(G: PointGroup) -> np.ndarray:
    """c[j, i, k] = #{x ∈ K_j : x⁻¹ z_k ∈ K_i}, z_k a representative of K_k."""
    r = len(G.classes)
    c = np.zeros((r, r, r))
    cls = G.class_of
    for k, K in enumerate(G.classes):
        z = K.members[0]
        y = G.table[G.inverse, z]  # y[x] = x⁻¹ z
        np.add.at(c[:, :, k], (cls, cls[y]), 1.0)
    return c


def _complex_characters(G: PointGroup) -> np.ndarray:
    """(r, r) complex character table, rows = irreps, columns = classes (``G.classes`` order)."""
    c = _class_constants(G)
    r = c.shape[0]
    sizes = np.array([K.size for K in G.classes], float)
    rng_coeffs = [np.sin(np.arange(1, r + 1) * (1.0 + 0.37 * t)) + 1.3 for t in range(5)]
    for coeff in rng_coeffs:
        M = np.einsum("j,jik->ik", coeff, c)
        w, V = np.linalg.eig(M)
        if r == 1 or np.min(np.abs(w[:, None] - w[None, :]) + np.eye(r) * 1e9) > 1e-6:
            break
    else:  # pragma: no cover - generic combinations always separate the irreps
        raise SymmetryError(f"could not separate the irreps of {G.schoenflies}")
    omega = V / V[0][None, :]  # class 0 is {E}: ω_E = 1
    rows = []
    for a in range(r):
        om = omega[:, a]
        d = np.sqrt(G.order / np.sum(np.abs(om) ** 2 / sizes))
        d = round(float(d.real))
        rows.append(d * om / sizes)
    chi = np.array(rows)
    return _snap(chi.real) + 1j * _snap(chi.imag)


def _snap(x: np.ndarray) -> np.ndarray:
    """Exact integers where the eigen-solver is within CHARACTER_SNAP of one.

    Most characters are integers; exact ones keep the textbook comparisons and labels exact.
    """
    r = np.round(x)
    return np.where(np.abs(x - r) < CHARACTER_SNAP, r, x) + 0.0


def character_table(G: PointGroup) -> CharacterTable:
    """The physically irreducible character table of G, Mulliken-labelled, cached per group."""
    if G in _CACHE:
        return _CACHE[G]
    chi = _complex_characters(G)
    irreps: list[tuple[int, np.ndarray, bool]] = []
    used = set()
    for a in range(len(chi)):
        if a in used:
            continue
        if np.abs(chi[a].imag).max() < 1e-7:
            irreps.append((int(round(chi[a, 0].real)), chi[a].real + 0.0, False))
            continue
        b = next(b for b in range(len(chi)) if b not in used and b != a and np.allclose(chi[b], chi[a].conj(), atol=1e-6))
        used.update((a, b))
        irreps.append((2 * int(round(chi[a, 0].real)), 2 * chi[a].real + 0.0, True))
    labels = mulliken_labels(G, [(d, ch) for d, ch, _ in irreps])
    table = CharacterTable(
        group=G,
        irreps=tuple(
            sorted(
                (Irrep(lab, d, _snap(ch), cp) for lab, (d, ch, cp) in zip(labels, irreps)),
                key=lambda ir: sort_key(ir.label),
            )
        ),
    )
    _CACHE[G] = table
    return table


def restriction_multiplicity(table: CharacterTable, H: PointGroup, tol: float | None = None) -> list[tuple[str, float]]:
    """For each irrep Γ of G: (label, (1/|H|) Σ_{h∈H} χ_Γ(h)) — H given in G's frame.

    Multiplicities are returned at full precision (integers up to ~1e-12); callers round.
    """
    idx = embed(table.group, H, tol)
    out = []
    for ir in table.irreps:
        chi = table.element_characters(ir)[idx]
        out.append((ir.label, float(chi.sum()) / H.order))
    return out


restrict = restriction_multiplicity


def breaking_irreps(G: PointGroup, H: PointGroup, tol: float | None = None) -> list[tuple[str, int]]:
    """Irreps of G that can carry the breaking G → H, with their multiplicity in Γ↓H.

    Those whose restriction to H contains H's identity irrep, less G's own identity irrep:
    that one is in every restriction (multiplicity 1) and lowers nothing. They are the
    order parameters able to lower G to (a group containing) H.

    >>> from symbreak_cli.groups import PointGroup
    >>> breaking_irreps(PointGroup.named("Oh"), PointGroup.named("C4v"))
    [('Eg', 1), ('T1u', 1)]
    """
    table = character_table(G)
    identity = table.irreps[0].label  # Mulliken order puts the totally symmetric irrep first
    return [(lab, int(round(m))) for lab, m in restriction_multiplicity(table, H, tol) if m > 0.5 and lab != identity]
