"""Symmetry breaking G → H: the minimal breaking object, the distorted structure and its domains.

**The object.** For a point group G ⊃ H (one frame) the breaking object is the lowest-l
O(3) irrep (l, p) whose H-invariant subspace V^H holds a vector with stabiliser in G
*exactly* H. A generic v ∈ V^H is fixed by the largest K ⊆ G with V^K = V^H, so (l, p)
works iff that K is H; the vector written out is the one new invariant (or the first
basis vector, or a generic combination, of V^H ⊖ V^G) whose stabiliser is H:
Oh → D4h: 2e ∝ 3z² − r² (Eg); Oh → C4v: 1o along z (T1u); Oh → D3d: 2e ∝ xy + yz + zx (T2g).
When no single irrep up to ``lmax`` works, pairs are tried (Stab(v₁ ⊕ v₂) = Stab v₁ ∩ Stab v₂).
The irreps of G the vector belongs to are those whose isotypic projector
P_Γ = (d_Γ/|G|) Σ_g χ_Γ(g) D(g) does not annihilate it.

**The distortion** (:func:`break_structure`). Displacements are built *from the object*:
with f(r) = v · Y_l(r) (the object as a homogeneous polynomial), each atom gets the seed
s_i = ∇f(r_i) + f(r_i) r_i/|r_i|² — r_i its position about the centre (molecules) or,
summed, its bonds to the nearest-neighbour shell (crystals) — and s is projected onto the
fields that are H-invariant, transform as the object's irreps of G and are no rigid motion
(:mod:`._domains`). When the atoms cannot carry that pattern (the projection vanishes or
keeps more than H), the other irreps of G that break to H are tried, one basis vector at
a time. The field is scaled to ‖u‖ = amplitude (Å, the root of Σ_i |u_i|² over the given
cell, ISODISTORT's parent-cell amplitude at k = 0). ``strain`` adds the H-invariant,
G-non-invariant traceless strain of that Frobenius norm (a fixed generic symmetric seed,
projected). Every image g·u over G is a domain (orientational at k = 0); each is
re-detected (:func:`verify_domain`).

Modules: this one holds the object and the two entry points; :mod:`._domains` the group
acting on atoms (projectors, subgroup classes, domain images), :mod:`._patterns` the
displacement and strain patterns and their size checks, :mod:`._broken` the parent set-up,
re-detection and the zone-boundary irrep search.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from symbreak_cli.groups._arrays import unique
from symbreak_cli.errors import OptionError, SymmetryError
from symbreak_cli.groups import (
    PointGroup,
    character_table,
    describe_polynomial,
    invariant_basis,
    irrep_label,
    n_invariants,
    new_invariant_basis,
    stabilizer_of_signal,
    subgroup_relation,
    wigner_D,
)
from symbreak_cli.io.cell import Cell
from symbreak_cli.symmetry._broken import (
    Breaking,
    BrokenDomain,
    DomainCheck,
    IrrepRequest,
    NeedsSupercell,
    check_visible,
    crystal_setup,
    finish,
    irrep_distortion,
    molecule_setup,
    strain_tensor,
    strain_keepers,
    find_irrep,
    parse_direction,
    verify_domain,
)
from symbreak_cli.symmetry._patterns import breaking_margin, check_amplitude, displacement_pattern, poly_coeffs, strain_pattern
from symbreak_cli.symmetry.tolerances import DEFAULT_SYMPREC_A

#: highest l searched for the breaking object
DEFAULT_BREAK_LMAX = 8


# ----------------------------------------------------------------------------------------
# the breaking object
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class BreakingPart:
    """One O(3) irrep of the object: ``vector`` (2l+1,) unit, e3nn's basis (1o = (x, y, z));
    ``polynomial`` the same as a readable polynomial; ``parent_irreps`` the irreps of G it
    belongs to; ``n_new`` = dim V^H − dim V^G.
    """

    irrep: str
    l: int
    parity: int
    vector: np.ndarray
    polynomial: str
    parent_irreps: tuple[str, ...]
    n_new: int


@dataclass(frozen=True, eq=False)
class BreakingObject:
    """The minimal object breaking G to H: its parts, the other irreps of the same l that
    would do, and the symmetry of the object in all of O(3) (e.g. C∞v for a vector).
    """

    G: PointGroup
    H: PointGroup
    parts: tuple[BreakingPart, ...]
    alternatives: tuple[str, ...]
    o3_symmetry: str

    @property
    def irreps(self) -> tuple[str, ...]:
        return tuple(p.irrep for p in self.parts)

    def signal(self) -> dict[str, np.ndarray]:
        return {p.irrep: p.vector for p in self.parts}

    def rotated(self, R: np.ndarray) -> dict[str, np.ndarray]:
        """The object of the domain reached by the operation R: D(R) v per part."""
        return {p.irrep: wigner_D(p.l, p.parity, R[None])[0] @ p.vector for p in self.parts}


def _parities(l: int) -> tuple[int, int]:
    return (1, -1) if l % 2 == 0 else (-1, 1)


def _fixers(G: PointGroup, l: int, p: int, B: np.ndarray) -> frozenset[int]:
    """Elements of G fixing every row of B (k, 2l+1) pointwise."""
    if B.shape[0] == 0:
        return frozenset(range(G.order))
    D = wigner_D(l, p, G.matrices)
    res = np.abs(np.einsum("gij,kj->gki", D, B) - B[None]).max(axis=(1, 2))
    return frozenset(np.flatnonzero(res < 1e-6).tolist())


def _tidy(c: np.ndarray) -> np.ndarray:
    c = np.where(np.abs(c) < 1e-8 * np.abs(c).max(), 0.0, c)
    c = c / np.abs(c[c != 0]).min()
    if np.allclose(c, np.round(c), atol=1e-6):
        c = np.round(c)
    return c


def _parent_irreps(G: PointGroup, l: int, p: int, v: np.ndarray) -> tuple[str, ...]:
    t = character_table(G)
    D = wigner_D(l, p, G.matrices)
    out = []
    for ir in t.irreps:
        chi = t.element_characters(ir)
        P = ir.dim / (2.0 if ir.complex_pair else 1.0) * np.einsum("g,gij->ij", chi, D) / G.order
        if np.linalg.norm(P @ v) > 1e-6:
            out.append(ir.label)
    return tuple(out)


def _rref(C: np.ndarray) -> np.ndarray:
    """Reduced row echelon form of C (rows independent): simple polynomials spanning the same space."""
    C = C.copy()
    row = 0
    for col in range(C.shape[1]):
        if row == len(C):
            break
        piv = row + int(np.argmax(np.abs(C[row:, col])))
        if abs(C[piv, col]) < 1e-9:
            continue
        C[[row, piv]] = C[[piv, row]]
        C[row] /= C[row, col]
        for r in range(len(C)):
            if r != row:
                C[r] -= C[r, col] * C[row]
        row += 1
    return C


def _small_combinations(k: int, limit: int = 3):
    """Integer coefficient vectors (k,) with entries in −limit..limit, simplest first."""
    from itertools import product

    vals = range(-limit, limit + 1)
    combos = [np.array(c, float) for c in product(vals, repeat=k) if any(c)] if k <= 4 else []
    combos.sort(key=lambda c: (np.count_nonzero(c), np.abs(c).sum(), tuple(-c)))
    return combos


def _vector(G: PointGroup, H: PointGroup, l: int, p: int, K: frozenset[int]) -> np.ndarray:
    """A unit vector of V^H ⊖ V^G whose stabiliser in G is K (= H): the simplest small-integer
    combination of the echelon-form new invariants that has it, sign fixed so the
    polynomial's largest coefficient is positive.
    """
    Bn = new_invariant_basis(G, H, l, p)
    M = np.array([poly_coeffs(l, v) for v in Bn])  # polynomials of the basis rows
    E = _rref(M)
    T = np.linalg.lstsq(M.T, E.T, rcond=None)[0].T  # E = T M: the echelon rows as vectors
    nice = T @ Bn
    w = 1.0 / np.sqrt(np.arange(len(Bn)) + 2.0)
    for c in [*_small_combinations(len(nice)), None]:
        v = c @ nice if c is not None else w @ Bn
        v = v / np.linalg.norm(v)
        if _fixers(G, l, p, v[None]) == K:
            c = poly_coeffs(l, v)
            return -v if c[np.argmax(np.abs(c))] < 0 else v
    raise SymmetryError(f"internal: no vector of {irrep_label(l, p)} with stabiliser {H.schoenflies}")


def _part(G: PointGroup, H: PointGroup, l: int, p: int, K: frozenset[int]) -> BreakingPart:
    v = _vector(G, H, l, p, K)
    text = describe_polynomial(_tidy(poly_coeffs(l, v)), l, p)
    return BreakingPart(irrep=irrep_label(l, p), l=l, parity=p, vector=v, polynomial=text,
                        parent_irreps=_parent_irreps(G, l, p, v),
                        n_new=int(invariant_basis(H, l, p).shape[0] - n_invariants(G, l, p)))


def o3_symmetry(parts) -> str:
    """The object's own symmetry in O(3): closed forms for one part with l ≤ 2 (a vector
    C∞v, an axial vector C∞h, a uniaxial 2e tensor D∞h, another D2h; 2o likewise D∞, D2d
    for eigenvalues (a, 0, −a), D2), else :func:`symbreak_cli.groups.stabilizer_of_signal`.

    >>> o3_symmetry([BreakingPart("2o", 2, -1, np.array([0, 1.0, 0, 0, 0]), "", (), 1)])
    'D2d'
    """
    if len(parts) == 1 and parts[0].l <= 2:
        l, p, v = parts[0].l, parts[0].parity, parts[0].vector
        if l == 0:
            return "O(3)" if p > 0 else "SO(3)"
        if l == 1:
            return "C∞v" if p < 0 else "C∞h"
        c = poly_coeffs(2, v)  # monomials x², xy, xz, y², yz, z²: f = xᵀ T x
        T = np.array([[c[0], c[1] / 2, c[2] / 2], [c[1] / 2, c[3], c[4] / 2], [c[2] / 2, c[4] / 2, c[5]]])
        w = np.sort(np.linalg.eigvalsh(T))
        tol = 1e-6 * np.abs(w).max()
        uniaxial = min(w[1] - w[0], w[2] - w[1]) <= tol
        if p > 0:
            return "D∞h" if uniaxial else "D2h"
        return "D∞" if uniaxial else ("D2d" if abs(w[1]) <= tol else "D2")
    return stabilizer_of_signal({pt.irrep: pt.vector for pt in parts}).name


def breaking_object(G: PointGroup, H: PointGroup, lmax: int = DEFAULT_BREAK_LMAX) -> BreakingObject:
    """The lowest-l O(3) object whose stabiliser in G is exactly H (module docstring).

    >>> obj = breaking_object(PointGroup.named("Oh"), PointGroup.named("D4h"))
    >>> obj.irreps, obj.parts[0].parent_irreps, obj.parts[0].polynomial
    (('2e',), ('Eg',), '−x² − y² + 2z² (uniaxial, unique axis [001])')

    Raises
    ------
    SymmetryError
        H is not a subgroup of G (same frame), or nothing up to ``lmax`` breaks to it.
    """
    rel = subgroup_relation(G, H)
    target = frozenset(rel.child_in_parent)
    if G.order == H.order:
        raise SymmetryError(f"{H.schoenflies} is {G.schoenflies} itself: nothing to break")
    cands: dict[tuple[int, int], frozenset[int]] = {}
    singles: list[tuple[int, int]] = []
    pairs: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for l in range(lmax + 1):
        for p in _parities(l):
            B = invariant_basis(H, l, p)
            if B.shape[0] > n_invariants(G, l, p):
                cands[(l, p)] = _fixers(G, l, p, B)
        singles = [k for k, K in cands.items() if K == target and k[0] == l]
        if singles:
            break
        # lower-l irreps together: Stab(v₁ ⊕ v₂) = Stab v₁ ∩ Stab v₂
        pairs = [(a, b) for a, b in combinations(cands, 2) if l in (a[0], b[0]) and cands[a] & cands[b] == target]
        if pairs:
            break
    if singles:
        parts = (_part(G, H, *singles[0], target),)
        alternatives = tuple(irrep_label(*k) for k in singles[1:])
    elif pairs:
        natural = lambda k: k[1] != (-1) ** k[0]  # noqa: E731  (1o before 1e, 2e before 2o)
        pairs.sort(key=lambda ab: (ab[0][0] + ab[1][0], natural(ab[0]), natural(ab[1]), ab))
        a, b = pairs[0]
        parts = (_part(G, H, *a, cands[a]), _part(G, H, *b, cands[b]))
        alternatives = tuple(f"{irrep_label(*x)} + {irrep_label(*y)}" for x, y in pairs[1:])
    else:
        raise SymmetryError(f"no O(3) irrep (or pair) with l ≤ {lmax} has stabiliser {H.schoenflies} in {G.schoenflies}")
    o3 = o3_symmetry(parts)
    return BreakingObject(G=G, H=H, parts=parts, alternatives=alternatives, o3_symmetry=o3)


# ----------------------------------------------------------------------------------------
# a structure broken to H, every domain built and re-detected (the pieces: ._broken)
# ----------------------------------------------------------------------------------------
def break_structure(cell: Cell, to: str, amplitude: float, strain: float = 0.0, max_domains: int | None = None,
                    symprec: float = DEFAULT_SYMPREC_A, lmax: int = DEFAULT_BREAK_LMAX) -> Breaking:
    """Break a symmetric molecule or crystal to ``to`` and build every domain: at k = 0 from
    the O(3) object; a crystal target with fewer translations goes along the zone-boundary
    irrep direction that gives it with the fewest domains (:func:`find_irrep`).

    Parameters
    ----------
    cell : the symmetric parent (its group is detected at ``symprec`` Å).
    to : target point group (molecules; HM or Schoenflies) or space group (crystals; HM or number).
    amplitude : Å, ‖u‖ over the given cell; strain : Frobenius norm of the added strain (crystals).
    max_domains : build only the first N domains (None: all).

    Raises
    ------
    OptionError, SymmetryError
        bad amplitude/strain/target, H not a subgroup, atoms that cannot carry the breaking,
        or a domain that does not re-detect as H.
    """
    kind = "crystal" if cell.periodic else "molecule"
    setup = crystal_setup if cell.periodic else molecule_setup
    try:
        action, G, H, parent_name, target_name, number, n_classes, bonds = setup(cell, to, symprec)
    except NeedsSupercell as err:  # k ≠ 0: the first simple irrep direction that gives the target
        hit = find_irrep(cell, err.number, symprec)
        if hit is None:
            raise
        label, eta = hit
        return break_along_irrep(cell, label, ",".join(f"{x:g}" for x in eta), amplitude, strain=strain,
                                 max_domains=max_domains, symprec=symprec, lmax=lmax, to=to)
    E = strain_tensor(G, H, strain, cell.periodic)
    obj = breaking_object(G, H, lmax)
    try:
        u, irreps = displacement_pattern(action, obj, bonds, np.asarray(cell.positions, float))
    except SymmetryError as err:
        if E is None or len(strain_keepers(action, E)) != H.order:
            hint = "; it may need a strain: add --strain" if cell.periodic and E is None and strain_pattern(G, H) is not None else ""
            raise SymmetryError(f"{err.message}{hint}", path=cell.source) from None
        u, irreps = np.zeros((cell.n_atoms, 3)), ()  # a pure strain breaking (e.g. Pm-3m → P4/mmm)
    if irreps:
        check_amplitude(amplitude, u, cell)
        check_visible(amplitude, breaking_margin(action, u, H) * float(np.linalg.norm(u, axis=1).max()), kind, symprec)
    elif not amplitude > 0:
        raise OptionError(f"--amplitude must be positive (Å), got {amplitude}")
    return finish(cell, kind, action, G, H, obj, amplitude * u, E, max_domains, symprec, parent_name=parent_name,
                   target_name=target_name, target_number=number, pattern_irreps=irreps, amplitude=float(amplitude),
                   strain=float(strain), n_classes=n_classes)


def break_along_irrep(cell: Cell, label: str, direction: str | None, amplitude: float, strain: float = 0.0,
                      max_domains: int | None = None, symprec: float = DEFAULT_SYMPREC_A, lmax: int = DEFAULT_BREAK_LMAX,
                      origin: str | None = None, to: str | None = None) -> Breaking:
    """Break a crystal along the space-group irrep ``label`` in ``direction`` (the supercell
    follows from the irrep's k-star: :func:`symbreak_cli.symmetry.irreps.distortion`);
    with ``to`` the isotropy subgroup must be that space group.

    ``amplitude`` is ‖u‖ over the supercell (ISODISTORT's As). Domains run over the parent's
    operations on the supercell, G/T_s: orientational × translational.
    """
    from symbreak_cli.symmetry._domains import supercell_action
    from symbreak_cli.symmetry.parent import parent_group_by_name

    if not cell.periodic:
        raise OptionError("--irrep needs a crystal; break a molecule with --to POINT_GROUP", path=cell.source)
    if not amplitude > 0:
        raise OptionError(f"--amplitude must be positive (Å), got {amplitude}")
    eta = parse_direction(direction) if direction else None
    probe = irrep_distortion(cell, label, eta, amplitude, symprec, origin)
    sc = probe.modes.group
    action = supercell_action(sc)
    u = np.asarray(probe.displacements, float)
    G = action.group
    fix = action.fixers(u)
    H = PointGroup.from_matrices(unique(np.round(action.rotations[fix], 10), axis=0), tol=G.tol)
    isotropy = f"{probe.hm} ({probe.number})"
    if to is not None:
        _, hm, number = parent_group_by_name(to)
        if number is not None and number != probe.number:
            raise SymmetryError(f"{label} along ({', '.join(f'{x:g}' for x in probe.direction)}) keeps {isotropy}, not "
                                f"{hm} ({number}): choose another direction or irrep", path=cell.source)
    check_amplitude(amplitude, u / amplitude, sc.cell)
    check_visible(amplitude, breaking_margin(action, u, H) * float(np.linalg.norm(u, axis=1).max()) / amplitude,
                   "crystal", symprec)
    E = strain_tensor(G, H, strain, True)
    obj = breaking_object(G, H, lmax) if H.order < G.order else None
    request = IrrepRequest(label=probe.label, direction=np.asarray(probe.direction, float),
                           supercell=np.asarray(probe.modes.supercell, int), origin=probe.modes.origin, isotropy=isotropy)
    return finish(sc.cell, "crystal", action, G, H, obj, u, E, max_domains, symprec,
                   parent_name=f"{sc.parent.hm} ({sc.parent.number})", target_name=isotropy, target_number=probe.number,
                   pattern_irreps=(probe.label,), amplitude=float(amplitude), strain=float(strain), n_classes=1,
                   irrep=request)


__all__ = ["Breaking", "BreakingObject", "BreakingPart", "BrokenDomain", "DEFAULT_BREAK_LMAX", "DomainCheck",
           "IrrepRequest", "NeedsSupercell", "break_along_irrep", "break_structure", "breaking_object", "find_irrep",
           "o3_symmetry", "parse_direction", "verify_domain"]
