"""Group–subgroup analysis of a child structure against its parent (``detect --parent``).

Three ways to name the parent G of a child with point group H:

* a parent **crystal** structure: the setting relation (supercell matrix N, strain) is
  found from the lattices (:mod:`.setting`) and the child's rotations are written in the
  parent's standardised Cartesian frame; translational domains = V_child,prim / V_parent,prim;
* a parent **molecule** for a molecule child: point groups only, the child's group
  turned into the parent's frame by :func:`~.setting.align_subgroup`;
* a **group name** (``--parent-group``: HM ``m-3m``/``Pm-3m``, Schoenflies ``Oh`` or a
  space-group number ``221``): G is that point group in its standard orientation and H the
  child's point group in the child's standardised frame (cubic/tetragonal axes on x, y, z),
  aligned into G when needed. A named *space* group must also contain the child's space
  group as a subgroup type (:func:`is_space_subgroup`), not only its point group.

A parent of the other kind (a molecule for a crystal child, or a crystal for a molecule)
is refused: the two have no common frame or lattice, and a point-group-only comparison
is what ``--parent-group`` with the parent's point group gives, explicitly.

The answer, :class:`~.types.GroupSubgroup`, keeps G and H as matrices in one frame with
the cosets G/H (the orientational domains); the character table of G, the breaking irreps
and the O(3) branching follow from G and H by :mod:`symbreak_cli.groups` (no torch needed).

>>> from symbreak_cli.io.structures import read_structures
>>> child = read_structures("sample_data/BaTiO3_P4mm.cif")[0]
>>> parent = read_structures("sample_data/BaTiO3_Pm-3m.cif")[0]
>>> a = parent_analysis(child, parent=parent)
>>> (a.G.hm, a.H.hm, a.total_domains, a.frame.value)
('m-3m', '4mm', 6, 'parent_standard')
>>> a.coset_representatives.shape
(6, 3, 3)
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from symbreak_cli.groups._arrays import unique
from symbreak_cli.errors import OptionError, SymmetryError
from symbreak_cli.groups import PointGroup, subgroup_relation
from symbreak_cli.io.cell import Cell
from symbreak_cli.symmetry.detect import crystal_symmetry, molecule_symmetry, molecule_tolerance, own_point_group
from symbreak_cli.symmetry.setting import align_subgroup, find_setting
from symbreak_cli.symmetry.tolerances import (
    DEFAULT_ANGLE_TOLERANCE_DEG,
    DEFAULT_LMAX,
    DEFAULT_MAX_STRAIN,
    DEFAULT_SYMPREC_A,
)
from symbreak_cli.symmetry.types import CrystalSymmetry, Frame, GroupSubgroup


# ----------------------------------------------------------------------------------------
# the groups of the two sides
# ----------------------------------------------------------------------------------------
def _symmetry(cell: Cell, symprec: float, angle_tolerance: float):
    """(point group, CrystalSymmetry or None): crystals in their standardised frame,
    molecules in their input axes (a continuous group is a SymmetryError).
    """
    if cell.periodic:
        sym = crystal_symmetry(cell, symprec, angle_tolerance)
        return sym.point_group, sym
    return own_point_group(cell, molecule_symmetry(cell, molecule_tolerance(symprec))), None


@lru_cache(maxsize=1)
def _maximal_subgroup_types() -> dict[int, frozenset[int]]:
    """Space-group number → numbers of its maximal subgroup types (t-, k- and the
    lowest-index isomorphic ones; the International Tables / Bilbao MAXSUB list that
    pymatgen ships as ``symmetry/symm_data.json``, read without importing pymatgen).
    """
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("pymatgen")
    roots = list(spec.submodule_search_locations or []) if spec is not None else []
    for root in roots:
        path = Path(root) / "symmetry" / "symm_data.json"
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))["maximal_subgroups"]
            return {int(k): frozenset(int(x) for x in v) for k, v in data.items()}
    raise SymmetryError("pymatgen's table of maximal subgroups (pymatgen/symmetry/symm_data.json) is not installed")


@lru_cache(maxsize=None)
def subgroup_types(number: int) -> frozenset[int]:
    """Numbers of every space-group type occurring as a subgroup of space group ``number``
    (itself included): the closure of the maximal-subgroup relation. Every subgroup of
    finite index is reached through a chain of maximal subgroups, so this is complete.

    >>> 99 in subgroup_types(221), 99 in subgroup_types(230), 225 in subgroup_types(221)
    (True, False, True)
    """
    table = _maximal_subgroup_types()
    seen, todo = {int(number)}, [int(number)]
    while todo:
        for sub in table[todo.pop()]:
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return frozenset(seen)


def is_space_subgroup(child_number: int, parent_number: int) -> bool:
    """Whether space-group type ``child_number`` is a subgroup type of ``parent_number``
    (P4mm, 99, is one of Pm-3m, 221, but not of Ia-3d, 230: that has only 4₁/4₃ screws).
    """
    return int(child_number) in subgroup_types(int(parent_number))


@lru_cache(maxsize=1)
def _space_group_types() -> dict[str, tuple[int, str, str]]:
    """Space-group number and HM symbols (short, full, no spaces) → (number, short HM, point group HM)."""
    import spglib

    out: dict[str, tuple[int, str, str]] = {}
    for hall in range(1, 531):
        t = spglib.get_spacegroup_type(hall)
        entry = (int(t.number), t.international_short, t.pointgroup_international)
        names = (t.international_short, t.international_full.replace(" ", ""), t.international.replace(" ", ""))
        for key in (str(t.number), *names):
            out.setdefault(key, entry)
    return out


def parent_group_by_name(name: str) -> tuple[PointGroup, str | None, int | None]:
    """(point group in standard orientation, space-group HM or None, number or None).

    Accepts a point-group name (``Oh``, ``m-3m``), a space-group HM symbol (``Pm-3m``,
    ``P 4/m -3 2/m``) or a space-group number (``221``).
    """
    key = name.strip().replace(" ", "")
    try:
        return PointGroup.named(key), None, None
    except SymmetryError:
        pass
    sg = _space_group_types().get(key)
    if sg is None:
        raise OptionError(
            f"--parent-group {name!r}: not a point group (Oh, m-3m, D4h, 4/mmm), space-group symbol (Pm-3m) or number (1–230)"
        )
    number, hm, pg = sg
    return PointGroup.named(pg), hm, number


# ----------------------------------------------------------------------------------------
# the analysis
# ----------------------------------------------------------------------------------------
def _crystal_pair(child: Cell, parent: Cell, symprec: float, angle_tolerance: float, max_strain: float):
    """(G, H, lattice match, translational index, child and parent CrystalSymmetry)."""
    sym_c = crystal_symmetry(child, symprec, angle_tolerance)
    sym_p = crystal_symmetry(parent, symprec, angle_tolerance)
    G = sym_p.point_group
    W = unique(sym_c.rotations, axis=0)
    try:
        match = find_setting(child.lattice, W, sym_p.primitive_lattice, G, max_strain)
    except SymmetryError as err:
        raise SymmetryError(
            f"parent {parent.source} ({sym_p.hm_short}, point group {G.hm}) is not a supergroup of the child "
            f"({sym_c.hm_short}, point group {sym_c.point_group_hm}): {err.message}") from None
    H = PointGroup.from_matrices(match.rotations)
    # translations of the child's input cell over the parent's primitive lattice
    t = match.det / sym_c.n_lattice_translations
    if abs(t - round(t)) > 1e-6:
        raise SymmetryError(f"child primitive cell is {t:g} parent primitive cells: not a supercell")
    return G, H, match, int(round(t)), sym_c, sym_p


def check_options(parent, parent_group: str | None, lmax: int, max_strain: float) -> None:
    """OptionError for inconsistent or out-of-range parent options (before any work)."""
    if parent is not None and parent_group is not None:
        raise OptionError("give --parent or --parent-group, not both")
    if parent is None and parent_group is None:
        raise OptionError("give one of --parent and --parent-group")
    if not (0 <= lmax <= 12):
        raise OptionError(f"--lmax must be between 0 and 12, got {lmax}")
    if not (0 < max_strain < 0.5):
        raise OptionError(f"--max-strain must be in (0, 0.5), got {max_strain}")
    if parent_group is not None:
        parent_group_by_name(parent_group)


def _space_groups(parent: CrystalSymmetry | None, child: CrystalSymmetry | None) -> dict:
    out = {}
    if parent is not None:
        out.update(parent_space_group=parent.hm_short, parent_space_group_number=parent.number)
    if child is not None:
        out.update(child_space_group=child.hm_short, child_space_group_number=child.number)
    return out


def parent_analysis(
    child: Cell,
    parent: Cell | None = None,
    parent_group: str | None = None,
    symprec: float = DEFAULT_SYMPREC_A,
    angle_tolerance: float = DEFAULT_ANGLE_TOLERANCE_DEG,
    lmax: int = DEFAULT_LMAX,
    max_strain: float = DEFAULT_MAX_STRAIN,
) -> GroupSubgroup:
    """G ⊃ H for one child against a parent structure or a named parent group.

    Parameters
    ----------
    child, parent : structures (crystal or molecule); exactly one of ``parent`` and
        ``parent_group`` is given.
    parent_group : HM/Schoenflies point group, HM space-group symbol or number.
    symprec : Å, angle_tolerance : degrees — as for detection, used for both structures.
    lmax : highest l of the O(3) branching table (kept in the answer; 0–12).
    max_strain : largest principal shape strain accepted between the two lattices.

    Raises
    ------
    SymmetryError
        when the parent's group does not contain the child's (no setting works).
    """
    check_options(parent, parent_group, lmax, max_strain)
    lattice, translational, alignment = None, None, None
    if parent_group is not None:
        G, sg_hm, sg_number = parent_group_by_name(parent_group)
        H0, sym_c = _symmetry(child, symprec, angle_tolerance)
        H, alignment = _aligned(G, H0)
        _check_named_space_group(child, sym_c, parent_group, sg_hm, sg_number)
        sg = dict(parent_space_group=sg_hm, parent_space_group_number=sg_number, **_space_groups(None, sym_c))
        source, kind, frame, basis = parent_group, "group", Frame.NAMED_GROUP, None
    elif child.periodic and parent.periodic:
        G, H, lattice, translational, sym_c, sym_p = _crystal_pair(child, parent, symprec, angle_tolerance, max_strain)
        sg = _space_groups(sym_p, sym_c)
        source, kind, frame, basis = parent.source, "structure", Frame.PARENT_STANDARD, sym_p.std_rotation_matrix
    elif child.periodic or parent.periodic:
        raise _other_kind(child, parent, symprec, angle_tolerance)
    else:
        G, _ = _symmetry(parent, symprec, angle_tolerance)
        H0, _ = _symmetry(child, symprec, angle_tolerance)
        H, alignment = _aligned(G, H0)
        sg = {}
        source, kind, frame, basis = parent.source, "molecule", Frame.PARENT_INPUT, np.eye(3)
    return GroupSubgroup(
        parent=source, parent_kind=kind, G=G, H=H, frame=frame, frame_basis=basis, relation=subgroup_relation(G, H),
        alignment=alignment, translational_domains=translational, lattice=lattice, max_strain=float(max_strain),
        symprec=float(symprec), angle_tolerance=float(angle_tolerance), lmax=int(lmax), **sg,
    )


def _kind(cell: Cell) -> str:
    return "crystal" if cell.periodic else "molecule"


def _other_kind(child: Cell, parent: Cell, symprec: float, angle_tolerance: float) -> SymmetryError:
    """The error for a parent of the other kind, naming the point-group-only alternative."""
    try:
        G, _ = _symmetry(parent, symprec, angle_tolerance)
        hint = f"; to compare point groups only, pass --parent-group {G.schoenflies} instead"
    except SymmetryError:
        hint = ""
    return SymmetryError(f"is a {_kind(child)} but --parent {parent.source} is a {_kind(parent)}: a parent must be "
                         f"the same kind of structure{hint}", path=child.source)


def _check_named_space_group(child: Cell, sym_c: CrystalSymmetry | None, name: str, sg_hm: str | None,
                             sg_number: int | None) -> None:
    """A named space group needs a crystal child whose space group is one of its subgroup
    types (called once the point groups are known to fit).
    """
    if sg_number is None:
        return
    if sym_c is None:
        raise SymmetryError(f"is a molecule, but --parent-group {name!r} names a space group; "
                            "name a point group (e.g. Oh, m-3m) for a molecule", path=child.source)
    if not is_space_subgroup(sym_c.number, sg_number):
        raise SymmetryError(
            f"space group {sym_c.hm_short} ({sym_c.number}) is not a subgroup of --parent-group {sg_hm} ({sg_number}) "
            f"(its point group {sym_c.point_group_hm} is, but not its operations: no chain of maximal subgroups "
            f"leads from {sg_hm} to {sym_c.hm_short})", path=child.source)


def _aligned(G: PointGroup, H0: PointGroup) -> tuple[PointGroup, np.ndarray | None]:
    """(H in G's frame, the rotation Q used, or None when H0 already lies in G)."""
    try:
        Q = align_subgroup(G, H0)
    except SymmetryError as err:
        raise SymmetryError(f"parent {G.hm} ({G.schoenflies}) is not a supergroup of the child's {H0.hm} "
                            f"({H0.schoenflies}): {err}") from None
    H = PointGroup.from_matrices(Q @ H0.matrices @ Q.T, tol=max(G.tol, H0.tol))
    return H, (None if (G.index_of(H0.matrices) >= 0).all() else Q)


__all__ = ["check_options", "is_space_subgroup", "parent_analysis", "parent_group_by_name", "subgroup_types"]
