"""One structure's :class:`~symbreak_cli.symmetry.types.StructureAnalysis` as the report's
:class:`~symbreak_cli.results.detect.StructureResult`: copied, rounded for the JSON.

>>> from symbreak_cli.io.structures import read_structures
>>> from symbreak_cli.symmetry.detect import analyse_cell
>>> r = structure_result(analyse_cell(read_structures("sample_data/NH3.xyz")[0]))
>>> r.molecule.point_group_schoenflies, r.molecule.order, len(r.molecule.operations[1].rotation)
('C3v', 6, 3)
"""

from __future__ import annotations

import numpy as np

from symbreak_cli.results import detect as m
from symbreak_cli.symmetry import types as d
from symbreak_cli.workflows._group_results import character_table_model, parent_analysis_model

#: decimals kept for fractional coordinates of Wyckoff representatives
FRACTIONAL_DECIMALS = 6
#: decimals kept for crystal translations (fractional): spglib's are exact fractions to ~1e-12
TRANSLATION_DECIMALS = 9
#: decimals kept for Cartesian molecule operations
MOLECULE_MATRIX_DECIMALS = 12
#: decimals kept for ladder displacements, Å
DISPLACEMENT_DECIMALS = 6


def _lattice(p: d.LatticeParameters) -> m.LatticeParameters:
    return m.LatticeParameters(a_A=p.a, b_A=p.b, c_A=p.c, alpha_deg=p.alpha, beta_deg=p.beta, gamma_deg=p.gamma,
                               volume_A3=p.volume)


def crystal_model(s: d.CrystalSymmetry, operations: bool = True) -> m.CrystalSymmetry:
    """``operations=False`` (``--no-operations``) leaves the per-operation list empty and says so."""
    ops = []
    if operations:  # converted in bulk: a 192-operation group costs one numpy call, not 192
        rotations = s.rotations.astype(float).tolist()
        translations = (np.round(s.translations, TRANSLATION_DECIMALS) + 0.0).tolist()
        ops = [m.Operation(seitz=name, rotation=R, translation=t) for name, R, t in zip(s.seitz, rotations, translations)]
    orbits = [m.WyckoffOrbit(element=o.element, wyckoff=o.wyckoff, multiplicity=o.multiplicity, site_symmetry=o.site_symmetry,
                             atoms=[int(i) + 1 for i in o.atoms],  # the report counts atoms from 1
                             representative=[round(float(x), FRACTIONAL_DECIMALS) for x in o.representative])
              for o in s.wyckoff]
    return m.CrystalSymmetry(
        space_group_number=s.number, hm_short=s.hm_short, hm_full=s.hm_full, hall=s.hall, hall_number=s.hall_number,
        schoenflies=s.schoenflies, point_group_hm=s.point_group_hm, point_group_schoenflies=s.point_group_schoenflies,
        point_group_order=s.point_group_order, crystal_system=s.crystal_system, bravais=s.bravais, pearson=s.pearson,
        lattice=_lattice(s.lattice_parameters), n_operations=s.n_operations, operations=ops, wyckoff=orbits,
        operations_omitted=not operations,
        symprec_A=s.symprec, angle_tolerance_deg=s.angle_tolerance,
    )


def layer_model(s: d.LayerSymmetry, operations: bool = True) -> m.LayerSymmetry:
    """A slab's layer group; ``operations=False`` leaves the per-operation list empty and says so."""
    ops = []
    if operations:
        translations = (np.round(s.translations, TRANSLATION_DECIMALS) + 0.0).tolist()
        ops = [m.Operation(seitz=name, rotation=R, translation=t)
               for name, R, t in zip(s.seitz, s.rotations.astype(float).tolist(), translations)]
    orbits = [m.WyckoffOrbit(element=o.element, wyckoff=o.wyckoff, multiplicity=o.multiplicity, site_symmetry=o.site_symmetry,
                             atoms=[int(i) + 1 for i in o.atoms],
                             representative=[round(float(x), FRACTIONAL_DECIMALS) + 0.0 for x in o.representative])
              for o in s.wyckoff]
    return m.LayerSymmetry(
        layer_group_number=s.number, hm_short=s.hm_short, hall=s.hall, point_group_hm=s.point_group_hm,
        point_group_schoenflies=s.point_group_schoenflies, point_group_order=s.point_group_order,
        crystal_system=s.crystal_system, lattice_system=s.lattice_system, aperiodic_axis="abc"[s.aperiodic_axis],
        lattice=_lattice(s.lattice_parameters), n_operations=s.n_operations, operations=ops,
        operations_omitted=not operations, wyckoff=orbits, symprec_A=s.symprec,
    )


def molecule_model(s: d.MoleculeSymmetry) -> m.MoleculeSymmetry:
    ops = [m.Operation(seitz=name, rotation=(R.round(MOLECULE_MATRIX_DECIMALS) + 0.0).tolist())
           for name, R in zip(s.symbols, s.operations)]
    return m.MoleculeSymmetry(point_group_schoenflies=s.schoenflies, point_group_hm=s.hm, order=s.order, linear=s.linear,
                              n_operations=len(ops), operations=ops, tolerance_A=s.tolerance, matrix_tolerance=s.matrix_tolerance)


def ladder_model(s: d.LadderStep) -> m.LadderStep:
    return m.LadderStep(tolerance_A=s.tolerance, group=s.group, number=s.number, point_group_order=s.point_group_order,
                        n_operations=s.n_operations, max_displacement_A=round(s.max_displacement, DISPLACEMENT_DECIMALS))


def structure_result(a: d.StructureAnalysis, operations: bool = True) -> m.StructureResult:
    """The report entry of one analysed structure (``operations``: list each crystal operation)."""
    cell = a.cell
    if isinstance(a.symmetry, d.CrystalSymmetry):
        kw = {"crystal": crystal_model(a.symmetry, operations)}
    elif isinstance(a.symmetry, d.LayerSymmetry):
        kw = {"layer": layer_model(a.symmetry, operations)}
    else:
        kw = {"molecule": molecule_model(a.symmetry)}
    if a.parent is not None:
        kw["parent"] = parent_analysis_model(a.parent)
        if a.modes is not None or a.modes_note is not None:
            from symbreak_cli.workflows._mode_results import mode_model

            kw["parent"] = kw["parent"].model_copy(update={
                "modes": mode_model(a.modes) if a.modes is not None else None, "modes_note": a.modes_note})
    if a.own_group is not None:
        kw["character_table"] = character_table_model(a.own_group)
    if a.pseudo is not None:  # detect --pseudo
        from symbreak_cli.workflows._pseudo_results import pseudo_model

        kw["pseudo"] = pseudo_model(a.pseudo)
    return m.StructureResult(
        path=cell.source, label=cell.label, formula=cell.formula, n_atoms=cell.n_atoms, periodic=cell.periodic,
        pbc=list(cell.pbc), disordered=cell.disordered,
        ladder=[ladder_model(s) for s in a.ladder],
        approximate=ladder_model(a.approximate) if a.approximate is not None else None,
        max_displacement_allowed_A=a.max_displacement, warnings=list(cell.warnings), **kw,
    )


__all__ = ["crystal_model", "ladder_model", "layer_model", "molecule_model", "structure_result"]
