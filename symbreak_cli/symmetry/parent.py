"""Group–subgroup analysis of a child structure against its parent (``detect --parent``).

Three ways to name the parent G of a child with point group H:

* a parent **crystal** structure: the setting relation (supercell matrix N, strain) is
  found from the lattices (:mod:`.setting`) and the child's rotations are written in the
  parent's standardised Cartesian frame; translational domains = V_child,prim / V_parent,prim;
* a parent **molecule** (or a molecule/crystal mix): point groups only, the child's group
  turned into the parent's frame by :func:`~.setting.align_subgroup`;
* a **group name** (``--parent-group``: HM ``m-3m``/``Pm-3m``, Schoenflies ``Oh`` or a
  space-group number ``221``): G is that point group in its standard orientation and H the
  child's point group in the child's standardised frame (cubic/tetragonal axes on x, y, z),
  aligned into G when needed.

Then G ⊃ H gives the index, the lost operations, the orientational domains |G|/|H|, the
character table of G with the breaking irreps and the O(3) branching (no torch needed).

>>> from symbreak_cli.io.structures import read_structures
>>> child = read_structures("sample_data/BaTiO3_P4mm.cif")[0]
>>> parent = read_structures("sample_data/BaTiO3_Pm-3m.cif")[0]
>>> a = parent_analysis(child, parent=parent)
>>> (a.relation.parent_hm, a.relation.child_hm, a.total_domains)
('m-3m', '4mm', 6)
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from symbreak_cli.errors import OptionError, SymmetryError
from symbreak_cli.io.cell import Cell
from symbreak_cli.results.parent import LatticeRelationModel, ParentAnalysis
from symbreak_cli.groups import PointGroup
from symbreak_cli.symmetry.setting import DEFAULT_MAX_STRAIN, LatticeMatch, align_subgroup, find_setting


# ----------------------------------------------------------------------------------------
# point groups as Cartesian matrices
# ----------------------------------------------------------------------------------------
def standard_frame_rotations(ds) -> np.ndarray:
    """A crystal's point-group rotations as Cartesian matrices of spglib's standardised
    (idealised, conventional) frame: R = L_sᵀ (P W P⁻¹) L_s⁻ᵀ with P the
    transformation matrix (x_s = P x + p) and L_s = ``std_lattice`` (rows)."""
    P = np.asarray(ds.transformation_matrix, float)
    W = np.unique(np.asarray(ds.rotations, int), axis=0).astype(float)
    Ws = np.einsum("ij,njk,kl->nil", P, W, np.linalg.inv(P))
    L = np.asarray(ds.std_lattice, float)
    return np.einsum("ji,njk,lk->nil", L, Ws, np.linalg.inv(L))


def crystal_point_group(ds) -> PointGroup:
    return PointGroup.from_matrices(standard_frame_rotations(ds))


def molecule_group(cell: Cell, symprec: float) -> PointGroup:
    from symbreak_cli.symmetry.detect import molecule_tolerance
    from symbreak_cli.symmetry.molecule import molecule_point_group

    g = molecule_point_group(cell.positions, cell.numbers, molecule_tolerance(symprec))
    if g.linear:
        raise SymmetryError(f"{g.schoenflies} is a continuous group; a finite parent/child group is needed", path=cell.source)
    return PointGroup.from_matrices(g.operations, tol=0.02)


@lru_cache(maxsize=1)
def _space_group_types() -> dict[str, tuple[int, str, str]]:
    """Space-group number and HM symbols (short, full, no spaces) → (number, short HM, point group HM)."""
    import spglib

    out: dict[str, tuple[int, str, str]] = {}
    for hall in range(1, 531):
        t = spglib.get_spacegroup_type(hall)
        entry = (int(t.number), t.international_short, t.pointgroup_international)
        for key in (str(t.number), t.international_short, t.international_full.replace(" ", ""), t.international.replace(" ", "")):
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
def _n_lattice_translations(ds) -> int:
    """Pure translations of the input cell (1 for a primitive cell, 2 for I-centred …)."""
    return int(sum(np.array_equal(R, np.eye(3, dtype=int)) for R in ds.rotations))


def _lattice_model(m: LatticeMatch, translational: int, max_strain: float) -> LatticeRelationModel:
    return LatticeRelationModel(
        supercell_matrix=m.supercell.astype(int).tolist(),
        parent_primitive_basis_A=np.round(m.parent_basis, 6).tolist(),
        strain=(np.round(m.strain, 6) + 0.0).tolist(),
        max_strain=round(m.max_strain, 6) + 0.0,
        volume_strain=round(m.volume_strain, 6) + 0.0,
        translational_index=translational,
        max_strain_allowed=max_strain,
    )


def _crystal_pair(child: Cell, parent: Cell, symprec: float, angle_tolerance: float, max_strain: float):
    from symbreak_cli.symmetry.detect import spglib_dataset

    dsc = spglib_dataset(child, symprec, angle_tolerance)
    dsp = spglib_dataset(parent, symprec, angle_tolerance)
    G = crystal_point_group(dsp)
    W = np.unique(np.asarray(dsc.rotations, int), axis=0)
    try:
        match = find_setting(child.lattice, W, dsp.primitive_lattice, G, max_strain)
    except SymmetryError as err:
        raise SymmetryError(
            f"parent {parent.source} ({dsp.international}, point group {G.hm}) is not a supergroup of the child "
            f"({dsc.international}, point group {dsc.pointgroup}): {err.message}") from None
    H = PointGroup.from_matrices(match.rotations)
    # translations of the child's input cell over the parent's primitive lattice
    t = match.det / _n_lattice_translations(dsc)
    if abs(t - round(t)) > 1e-6:
        raise SymmetryError(f"child primitive cell is {t:g} parent primitive cells: not a supercell")
    sg = dict(parent_space_group=dsp.international, parent_space_group_number=int(dsp.number),
              child_space_group=dsc.international, child_space_group_number=int(dsc.number))
    frame = "parent's standardised Cartesian frame (spglib std_lattice; conventional axes along x, y, z)"
    return G, H, match, int(round(t)), sg, frame


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


def parent_analysis(
    child: Cell,
    parent: Cell | None = None,
    parent_group: str | None = None,
    symprec: float = 1e-3,
    angle_tolerance: float = -1.0,
    lmax: int = 6,
    max_strain: float = DEFAULT_MAX_STRAIN,
) -> ParentAnalysis:
    """G ⊃ H for one child against a parent structure or a named parent group.

    Parameters
    ----------
    child, parent : structures (crystal or molecule); exactly one of ``parent`` and
        ``parent_group`` is given.
    parent_group : HM/Schoenflies point group, HM space-group symbol or number.
    symprec : Å, angle_tolerance : degrees — as for detection, used for both structures.
    lmax : highest l of the O(3) branching table.
    max_strain : largest principal shape strain accepted between the two lattices.

    Raises
    ------
    SymmetryError
        when the parent's group does not contain the child's (no setting works).
    """
    from symbreak_cli.results.groups import character_table_model, o3_branching_model, subgroup_relation_model
    from symbreak_cli.symmetry.detect import spglib_dataset

    check_options(parent, parent_group, lmax, max_strain)
    lattice, translational, sg, H0 = None, None, {}, None
    if parent_group is not None:
        G, sg_hm, sg_number = parent_group_by_name(parent_group)
        sg = dict(parent_space_group=sg_hm, parent_space_group_number=sg_number)
        if child.periodic:
            dsc = spglib_dataset(child, symprec, angle_tolerance)
            H0 = crystal_point_group(dsc)
            sg.update(child_space_group=dsc.international, child_space_group_number=int(dsc.number))
        else:
            H0 = molecule_group(child, symprec)
        source, kind = parent_group, "group"
        frame = "standard orientation of the named parent group (see `symbreak` naming: principal axis z, cubic axes x, y, z)"
        H = _aligned(G, H0)
    elif child.periodic and parent.periodic:
        G, H, match, translational, sg, frame = _crystal_pair(child, parent, symprec, angle_tolerance, max_strain)
        lattice = _lattice_model(match, translational, max_strain)
        source, kind = parent.source, "structure"
    else:
        G = molecule_group(parent, symprec) if not parent.periodic else crystal_point_group(spglib_dataset(parent, symprec, angle_tolerance))
        H0 = molecule_group(child, symprec) if not child.periodic else crystal_point_group(spglib_dataset(child, symprec, angle_tolerance))
        H = _aligned(G, H0)
        source, kind = parent.source, "molecule" if not parent.periodic else "structure"
        frame = "parent's frame (molecule: input Cartesian axes about the centroid; crystal: spglib standardised)"
    note = None
    if G.order == H.order:
        note = f"the child keeps the whole parent point group {G.hm}: no orientational domains"
    elif H0 is not None and not (G.index_of(H0.matrices) >= 0).all():
        note = ("the child's group was rotated into the parent's frame (its axes did not line up); "
                "where G holds non-conjugate copies of H, this is one of them")
    relation = subgroup_relation_model(G, H)
    total = relation.n_domains * translational if translational is not None else None
    return ParentAnalysis(
        parent=source, parent_kind=kind, frame=frame, **sg,
        relation=relation, orientational_domains=relation.n_domains, translational_domains=translational,
        total_domains=total, lattice=lattice,
        child_operations=[op.symbol for op in H.ops],
        character_table=character_table_model(G, H), branching=o3_branching_model(G, H, lmax),
        note=note,
    )


def _aligned(G: PointGroup, H0: PointGroup) -> PointGroup:
    try:
        Q = align_subgroup(G, H0)
    except SymmetryError as err:
        raise SymmetryError(f"parent {G.hm} ({G.schoenflies}) is not a supergroup of the child's {H0.hm} ({H0.schoenflies}): {err}") from None
    return PointGroup.from_matrices(Q @ H0.matrices @ Q.T, tol=max(G.tol, H0.tol))


def own_character_table(cell: Cell, symprec: float = 1e-3, angle_tolerance: float = -1.0):
    """The structure's own point-group character table (``detect --character-table``)."""
    from symbreak_cli.results.groups import character_table_model
    from symbreak_cli.symmetry.detect import spglib_dataset

    G = crystal_point_group(spglib_dataset(cell, symprec, angle_tolerance)) if cell.periodic else molecule_group(cell, symprec)
    return character_table_model(G)


def analyse_against_parent(cell: Cell, request, symprec: float, angle_tolerance: float) -> dict:
    """The ``parent`` / ``character_table`` fields of one structure's detect result."""
    update = {}
    if request.parent is not None or request.parent_group is not None:
        update["parent"] = parent_analysis(cell, request.parent, request.parent_group, symprec, angle_tolerance,
                                           request.lmax, request.max_strain)
    if request.character_table:
        update["character_table"] = own_character_table(cell, symprec, angle_tolerance)
    return update
