"""Pseudo-symmetry search (PSEUDO-like, ``detect --pseudo``): the supergroups G ⊃ H of a
crystal's space group H that the structure nearly has, and the idealised G-symmetric
structure for each.

Not a tolerance ladder: starting from H's own operations (spglib at ``symprec``), every
*minimal* supergroup is built as a group extension (:mod:`._supergroups`) — t-type with
a lattice automorphism within ``max_strain`` and its translation solved from the cocycle
conditions, k-type with a finer lattice of index 2, 3 or 4 invariant under H's point
group — and each is climbed in turn (chains up to the cubic aristotype). For every G in
its concrete setting the structure is **idealised** by the group average

    x̄_a = (1/|G:T|) Σ_g g⁻¹(x_{π_g(a)}),   g(x_a) ≈ x_{π_g(a)} (mod T),

over the operations modulo the current lattice T, the pairing π_g of each atom with the
nearest atom of its element; it is the orthogonal projection onto the G-invariant
structures, so nested groups compose (the G-average of the H-average is the G-average).
Where the extension leaves the origin free (a polar H: P4mm → P4/mmm), the free part is
fitted to minimise Σ|x̄ − x|² (equal weights). The lattice is strained to G's metric
(the metric averaged over G's rotations, reached by a symmetric stretch).
Displacements are |x̄ − x| measured with the *child's* lattice (strain not counted);
``strain`` is the largest |principal value| of the Green–Lagrange strain ½(FᵀF − I).

A candidate is kept when its largest displacement is within ``max_displacement`` and its
idealised structure re-detects (spglib, :data:`IDEAL_SYMPREC_A`) as G itself (a G whose
average is already more symmetric is a step of the chain, not a candidate); one candidate
per (group, index), the smallest displacement kept. The chains are climbed level by level,
the :data:`BEAM` closest embeddings of each group type kept per level, within a budget of
:data:`MAX_EXAMINED` settings (``complete`` says whether it sufficed).

>>> from symbreak_cli.io.structures import read_structures
>>> s = pseudo_search(read_structures("sample_data/BaTiO3_P4mm.cif")[0], max_displacement=0.2)
>>> [(c.hm, c.index) for c in s.candidates]
[('P4/mmm', 2), ('Pm-3m', 6)]
>>> round(s.candidates[-1].max_displacement, 3)
0.09
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symbreak_cli.io.cell import Cell
from symbreak_cli.symmetry import _supergroups as sg
from symbreak_cli.symmetry.detect import spglib_dataset
from symbreak_cli.symmetry.tolerances import (
    DEFAULT_ANGLE_TOLERANCE_DEG,
    DEFAULT_MAX_STRAIN,
    DEFAULT_PSEUDO_MAX_DISPLACEMENT_A,
    DEFAULT_SYMPREC_A,
)

#: spglib tolerance (Å) at which an idealised structure must show exactly its group
IDEAL_SYMPREC_A = 1e-4
#: indices of the finer lattices tried for k-type supergroups
K_INDICES = (2, 3, 4)
#: most chain steps above the child's group (Pnma → Pm-3m takes 3 or 4)
MAX_CHAIN_STEPS = 6
#: most supergroup settings examined per search: a budget, spent closest-first; a search that
#: runs out says so (``complete`` false). The perovskites need a few dozen; a child given in
#: P1 with noise climbs through hundreds of its parent's subgroups first
MAX_EXAMINED = 400
#: embeddings of one group type (and index) climbed further at each chain step, the
#: closest first (a beam: the distinct embeddings of one type differ mostly by the
#: structure's own pseudo-symmetry and lead to the same supergroups)
BEAM = 2


@dataclass(frozen=True, eq=False)
class PseudoCandidate:
    """One supergroup G ⊃ H the structure nearly has.

    Attributes
    ----------
    hm, number : G's space-group type; ``index`` [G : H] (point-group index × lattice index).
    point_group_index, lattice_index : |P_G|/|P_H| and V_prim(H)/V_prim(G).
    chain : ((hm, number), …) from H (first) to G (last) through minimal supergroups
        (a step whose idealised structure has more symmetry than its group is listed, but
        is no candidate: its structure is the next group's).
    max_displacement, mean_displacement : Å, over the atoms, child metric.
    strain : largest |principal value| of the Green–Lagrange strain to G's metric.
    displacements : (N, 3) float, Å, x̄ − x per input atom (Cartesian, child frame).
    structure : the idealised structure in the child's cell (strained lattice).
    rotations, translations : G's operations modulo its lattice, in the fractional basis
        of ``primitive_basis`` (rows: G's primitive vectors in child fractional coordinates).
    """

    hm: str
    number: int
    index: int
    point_group_index: int
    lattice_index: int
    chain: tuple[tuple[str, int], ...]
    max_displacement: float
    mean_displacement: float
    strain: float
    displacements: np.ndarray
    structure: Cell
    rotations: np.ndarray
    translations: np.ndarray
    primitive_basis: np.ndarray


@dataclass(frozen=True, eq=False)
class PseudoSearch:
    """The search for one structure: its group and the candidates, by index then displacement;
    ``complete`` false when the budget :data:`MAX_EXAMINED` ran out before the chains ended.
    """

    hm: str
    number: int
    max_displacement: float
    max_strain: float
    candidates: tuple[PseudoCandidate, ...]
    examined: int
    complete: bool = True
    written: tuple[str | None, ...] = ()


@dataclass(frozen=True, eq=False)
class _Node:
    basis: np.ndarray  # (3, 3) primitive vectors of G's lattice, rows, child fractional coordinates
    rotations: list  # integer (3, 3), G's point group in that basis
    translations: list  # (3,) one per rotation, mod 1
    frac: np.ndarray  # (N, 3) idealised child fractional coordinates
    lattice: np.ndarray  # (3, 3) idealised child lattice (rows, Å)
    chain: tuple
    order: int  # |G : child lattice| as a count: |P_G| × V_child / V_prim(G)


# ----------------------------------------------------------------------------------------
# the primitive structure of a node, and the group average
# ----------------------------------------------------------------------------------------
def _primitive(node: _Node, numbers: np.ndarray):
    """(prim positions (M, 3), species (M,), atom map (N,), offsets (N, 3)) in node.basis."""
    y = node.frac @ np.linalg.inv(node.basis)
    reps: list[int] = []
    amap = np.empty(len(y), int)
    for j in range(len(y)):
        for k, r in enumerate(reps):
            d = y[j] - y[r]
            if numbers[j] == numbers[r] and np.abs(d - np.round(d)).max() < 1e-6:
                amap[j] = k
                break
        else:
            amap[j] = len(reps)
            reps.append(j)
    prim = y[reps]
    return prim, numbers[reps], amap, np.round(y - prim[amap])


# ----------------------------------------------------------------------------------------
# the search
# ----------------------------------------------------------------------------------------
class _Search:
    def __init__(self, cell: Cell, ds, max_displacement: float, max_strain: float):
        self.cell = cell
        self.L = np.asarray(cell.lattice, float)
        self.x0 = cell.fractional
        self.numbers = np.asarray(cell.numbers)
        self.bound = float(max_displacement)
        self.max_strain = float(max_strain)
        self.examined = 0
        self.root_ops = (np.asarray(ds.rotations, float), np.asarray(ds.translations, float))
        self.hm, self.number = ds.international, int(ds.number)

    # --- nodes -----------------------------------------------------------------------------
    def root(self) -> _Node:
        W, w = self.root_ops
        pure = [t for R, t in zip(W, w) if np.array_equal(R, np.eye(3))]
        basis = sg.reduced_basis(sg.lattice_basis(np.vstack([np.eye(3), *pure])), self.L)
        rots, taus = sg.operations_in_basis(W, w, basis)
        node = _Node(basis, rots, taus, self.x0, self.L, ((self.hm, self.number),), 0)
        prim, species, amap, off = _primitive(node, self.numbers)
        ops = list(zip(rots, taus))
        ybar = sg.group_average(prim, species, ops, basis @ self.L, np.inf)
        if ybar is None:  # spglib's operations pair every atom at any sane symprec; keep the input if not
            ybar = prim
        frac = (ybar[amap] + off) @ basis
        return _Node(basis, rots, taus, frac, self.L, node.chain, self._order(basis, rots))

    def _order(self, basis, rots) -> int:
        return int(round(len(rots) / abs(np.linalg.det(basis))))

    def _make(self, parent: _Node, ops, basis_new, prim, species, amap, off):
        """The node of G given by ``ops`` (parent's prim basis) on the lattice ``basis_new``."""
        Lp = parent.basis @ self.L
        reach = 2 * self.bound + 1e-6
        ybar = sg.group_average(prim, species, ops, Lp, reach)
        for _ in range(3):  # re-pair against the idealised images (exact pairs) until stable
            if ybar is None:
                return None
            again = sg.group_average(prim, species, ops, Lp, reach, ref=ybar)
            if again is None:
                return None
            if np.abs(again - ybar).max() < 1e-9:
                break
            ybar = again
        if sg.group_average(ybar, species, ops, Lp, 1e-6) is None:  # not G-invariant: the pairing was no group action
            return None
        frac = (ybar[amap] + off) @ parent.basis
        d = frac - self.x0
        d -= np.round(d)
        disp = np.linalg.norm(d @ self.L, axis=1)
        if disp.max() > self.bound:
            return None
        A = np.linalg.inv(parent.basis).T @ basis_new.T  # y_parent = A y_new
        Ai = np.linalg.inv(A)
        rots, taus = {}, {}
        for R, t in ops:
            Rn = np.rint(Ai @ np.asarray(R, float) @ A).astype(np.int64)
            k = Rn.tobytes()
            if k not in rots:
                tn = Ai @ t
                rots[k], taus[k] = Rn, tn - np.floor(tn + 1e-9)
        rots, taus = list(rots.values()), list(taus.values())
        lattice, _ = sg.stretch_to_metric(self.L, basis_new, rots)
        return _Node(basis_new, rots, taus, frac, lattice, parent.chain, self._order(basis_new, rots))

    # --- minimal supergroups --------------------------------------------------------------
    def supergroups(self, node: _Node):
        prim, species, amap, off = _primitive(node, self.numbers)
        P, tau = node.rotations, node.translations
        Lp = node.basis @ self.L
        hol = sg.pseudo_holohedry(Lp, self.max_strain)
        for G in sg.minimal_point_supergroups(P, hol):
            new_rots = [R for R in G if not any(np.array_equal(R, Q) for Q in P)]
            ext = sg.extension_translations(P, tau, G, new_rots[0])
            if ext is None:
                continue
            elements, (sols, free) = ext
            for w in sols:
                for ww in self._origins(w, free, elements, new_rots[0], prim, species, Lp):
                    ops = [(R, (M @ ww + c)) for R, M, c in elements]
                    yield self._make(node, ops, node.basis, prim, species, amap, off)
        index2 = sg.invariant_overlattices(P, 2)
        for n in K_INDICES:
            if any(count % n for count in np.unique(species, return_counts=True)[1]):
                continue  # Λ/T permutes each element's atoms freely: their numbers must divide
            for Kinv in sg.invariant_overlattices(P, n):
                if n == 4 and any(sg.lattice_contains(Kinv, K2) for K2 in index2):
                    continue  # not minimal: an index-2 invariant lattice lies between
                cosets = sg.lattice_cosets(Kinv)
                ops = [(R, t + v) for R, t in zip(P, tau) for v in cosets]
                basis_new = sg.reduced_basis(Kinv.T @ node.basis, self.L)
                yield self._make(node, ops, basis_new, prim, species, amap, off)

    def _origins(self, w, free, elements, W, prim, species, Lp):
        """Translations for the new generator: ``w`` itself, or with a free part, one fit per
        anchor pairing (the generator's image of the rarest element's first atom on each
        atom of that element), refined to the least-squares origin.
        """
        if free.shape[1] == 0:
            yield w
            return
        z = species.tolist()
        rare = min(set(z), key=z.count)
        a0 = z.index(rare)
        seen = []
        for b in (i for i, s in enumerate(z) if s == rare):
            r = prim[b] - W @ prim[a0] - w
            r -= np.round(r)
            s, *_ = np.linalg.lstsq(Lp.T @ free, Lp.T @ r, rcond=None)
            s = self._refine(w, free, s, elements, prim, species, Lp)
            if s is None:
                continue
            ww = w + free @ s
            ww -= np.floor(ww)
            if not any(np.abs((ww - q) - np.round(ww - q)).max() < 1e-6 for q in seen):
                seen.append(ww)
                yield ww

    def _refine(self, w, free, s, elements, prim, species, Lp):
        """The free origin s minimising Σ|x̄(s) − x|²: x̄ is affine in s for a fixed pairing."""
        reach = 2 * self.bound + 1e-6

        def avg(sv):
            return sg.group_average(prim, species, [(R, M @ (w + free @ sv) + c) for R, M, c in elements], Lp, reach)

        y0 = avg(s)
        if y0 is None:
            return None
        J = []
        for k in range(free.shape[1]):
            yk = avg(s + np.eye(free.shape[1])[k] * 1e-3)
            if yk is None:
                return s
            J.append(((yk - y0) / 1e-3 @ Lp).ravel())
        J = np.array(J).T
        r = ((prim - y0) @ Lp).ravel()
        ds, *_ = np.linalg.lstsq(J, r, rcond=None)
        return s + ds

    def group_type(self, node: _Node) -> tuple[str, int]:
        """G's own type, from the orbit of a generic point under its operations (spglib)."""
        y0 = np.array([0.1234, 0.3817, 0.2961])
        orbit = np.array([np.asarray(R, float) @ y0 + t for R, t in zip(node.rotations, node.translations)])
        Lp = node.basis @ node.lattice
        orbit_cell = Cell(Lp, (orbit - np.floor(orbit)) @ Lp, np.ones(len(orbit), int), ("H",) * len(orbit), True)
        ds = spglib_dataset(orbit_cell, IDEAL_SYMPREC_A, DEFAULT_ANGLE_TOLERANCE_DEG)
        return ds.international, int(ds.number)

    def rms(self, node: _Node) -> float:
        d = node.frac - self.x0
        d -= np.round(d)
        return float(np.sqrt(np.mean(np.sum((d @ self.L) ** 2, axis=1))))

    # --- the candidate --------------------------------------------------------------------
    def identify(self, node: _Node):
        """(hm, number) when spglib finds exactly this group in the idealised structure;
        ("", 0, hm, number) with G's own type when it finds more (no candidate, but climbed);
        None when it finds none.
        """
        from symbreak_cli.errors import SymmetryError

        ideal = Cell(node.lattice, node.frac @ node.lattice, self.numbers, self.cell.symbols, True, self.cell.source)
        try:
            ds = spglib_dataset(ideal, IDEAL_SYMPREC_A, DEFAULT_ANGLE_TOLERANCE_DEG)
        except SymmetryError:
            return None
        from symbreak_cli.groups import point_group_names

        order = point_group_names(ds.pointgroup)[1]
        n_prim = len(set(np.asarray(ds.mapping_to_primitive).tolist()))
        prim_atoms = self.cell.n_atoms * abs(np.linalg.det(node.basis))
        if order != len(node.rotations) or abs(n_prim - prim_atoms) > 1e-6:
            return ("", 0) + self.group_type(node)  # more symmetric than G: reached again one step up
        return ds.international, int(ds.number)


def _fingerprint(node: _Node) -> tuple:
    """Equal for equal idealised structures of equal group order (positions to 1e-6, mod 1)."""
    q = np.rint((node.frac - np.floor(node.frac)) * 1e6).astype(np.int64) % 1000000
    return node.order, q.tobytes()


def pseudo_search(cell: Cell, symprec: float = DEFAULT_SYMPREC_A, angle_tolerance: float = DEFAULT_ANGLE_TOLERANCE_DEG,
                  max_displacement: float = DEFAULT_PSEUDO_MAX_DISPLACEMENT_A,
                  max_strain: float = DEFAULT_MAX_STRAIN) -> PseudoSearch:
    """Candidate supergroups of a crystal's space group within ``max_displacement`` Å
    (largest atomic displacement) and ``max_strain`` (lattice automorphisms), by climbing
    minimal supergroups from the group spglib finds at ``symprec`` / ``angle_tolerance``.
    """
    from symbreak_cli.errors import SymmetryError

    if not cell.periodic:
        raise SymmetryError("--pseudo needs a crystal (a structure with a cell)", path=cell.source)
    ds = spglib_dataset(cell, symprec, angle_tolerance)
    s = _Search(cell, ds, max_displacement, max_strain)
    root = s.root()
    frontier, seen, best = [root], {_fingerprint(root)}, {}
    complete = True
    for _ in range(MAX_CHAIN_STEPS):
        level: dict[tuple, list] = {}
        for node in sorted(frontier, key=s.rms):
            if s.examined >= MAX_EXAMINED:
                complete = False
                break
            for new in s.supergroups(node):
                s.examined += 1
                if new is None or _fingerprint(new) in seen:
                    continue
                name = s.identify(new)
                if name is None:
                    continue
                step = (name[0], name[1]) if name[1] else name[2:]
                new = _Node(new.basis, new.rotations, new.translations, new.frac, new.lattice, node.chain + (step,),
                            new.order)
                seen.add(_fingerprint(new))
                level.setdefault((step[1], new.order), []).append(new)
                if name[1]:
                    _keep(best, s, root, new, name)
        frontier = [n for group in level.values() for n in sorted(group, key=s.rms)[:BEAM]]
        if not frontier:
            break
    cands = sorted(best.values(), key=lambda c: (c.index, c.max_displacement, c.number))
    return PseudoSearch(hm=s.hm, number=s.number, max_displacement=float(max_displacement), max_strain=float(max_strain),
                        candidates=tuple(cands), examined=s.examined, complete=complete)


def _keep(best: dict, s: _Search, root: _Node, node: _Node, name) -> None:
    d = node.frac - s.x0
    d -= np.round(d)
    disp = d @ s.L
    norms = np.linalg.norm(disp, axis=1)
    pg_index = len(node.rotations) // len(root.rotations)
    lat_index = int(round(abs(np.linalg.det(root.basis)) / abs(np.linalg.det(node.basis))))
    key = (name[1], pg_index * lat_index)
    if key in best and best[key].max_displacement <= norms.max():
        return
    _, strain = sg.stretch_to_metric(s.L, node.basis, node.rotations)
    ideal = Cell(node.lattice, node.frac @ node.lattice, s.numbers, s.cell.symbols, True, s.cell.source,
                 f"pseudo {name[0]}")
    best[key] = PseudoCandidate(
        hm=name[0], number=name[1], index=pg_index * lat_index, point_group_index=pg_index, lattice_index=lat_index,
        chain=node.chain, max_displacement=float(norms.max()), mean_displacement=float(norms.mean()), strain=strain,
        displacements=disp, structure=ideal, rotations=np.array(node.rotations), translations=np.array(node.translations),
        primitive_basis=node.basis.copy(),
    )


__all__ = ["IDEAL_SYMPREC_A", "PseudoCandidate", "PseudoSearch", "pseudo_search"]
