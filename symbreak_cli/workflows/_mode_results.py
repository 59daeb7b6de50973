"""A :class:`~symbreak_cli.symmetry.modes.ModeDecomposition` as the report's
:class:`~symbreak_cli.results.modes.ModeAnalysisModel`: copied and rounded for the JSON.

>>> from symbreak_cli.io.structures import read_structures
>>> from symbreak_cli.symmetry.modes import decompose
>>> d = decompose(read_structures("sample_data/BaTiO3_Pm-3m.cif")[0], read_structures("sample_data/BaTiO3_P4mm.cif")[0])
>>> m = mode_model(d)
>>> m.irreps[0].irrep, m.irreps[0].n_modes, m.strain[0].irrep
('GM4-', 3, 'GM1+')
"""

from __future__ import annotations

import numpy as np

from symbreak_cli.results import modes as r
from symbreak_cli.symmetry.modes import ModeDecomposition

#: decimals kept for amplitudes and displacements, Å
AMPLITUDE_DECIMALS = 6
#: decimals kept for mode vectors and directions
VECTOR_DECIMALS = 6
#: decimals kept for strains
STRAIN_DECIMALS = 7


def _round(a, decimals) -> list:
    return (np.round(np.asarray(a, float), decimals) + 0.0).tolist()


def mode_model(d: ModeDecomposition, vectors: bool = True) -> r.ModeAnalysisModel:
    """The report model (``vectors=False`` leaves the per-atom mode vectors out)."""
    m = d.matching
    matching = r.MatchingModel(
        basis_P=m.basis.tolist(), origin_shift_p=_round(m.origin_shift, 9), supercell_matrix=m.supercell.tolist(),
        pairing=[int(i) + 1 for i in m.pairing], displacements_A=_round(m.displacements, AMPLITUDE_DECIMALS),
        max_displacement_A=round(m.max_displacement, AMPLITUDE_DECIMALS),
        total_distortion_A=round(m.total_distortion, AMPLITUDE_DECIMALS), strain=_round(m.strain, STRAIN_DECIMALS),
    )
    irreps = [r.IrrepAmplitudeModel(
        irrep=a.label, kpoint=_round(a.kpoint, 9), star_arms=a.n_arms, irrep_dimension=a.irrep_dimension,
        direction=_round(a.direction, VECTOR_DECIMALS), direction_text=a.direction_text,
        amplitude_parent_A=round(a.amplitude_parent, AMPLITUDE_DECIMALS), amplitude_child_A=round(a.amplitude_child, AMPLITUDE_DECIMALS),
        share=round(a.share, 8), isotropy_subgroup=a.isotropy_hm, isotropy_subgroup_number=a.isotropy_number,
        n_modes=a.n_modes, multiplicity=a.multiplicity, mode_amplitudes_A=_round(a.mode_amplitudes, AMPLITUDE_DECIMALS),
        mode_vectors=_round(a.modes, VECTOR_DECIMALS) if vectors else None,
    ) for a in d.irreps]
    strain = [r.StrainIrrepModel(irrep=s.label, amplitude=round(s.amplitude, STRAIN_DECIMALS), tensor=_round(s.tensor, STRAIN_DECIMALS))
              for s in d.strain]
    return r.ModeAnalysisModel(
        parent_space_group=d.parent.hm, parent_space_group_number=d.parent.number, parent_origin=d.origin,
        child_space_group=d.child_hm, child_space_group_number=d.child_number, normalisation=d.normalisation,
        metric=d.metric,
        repeated_supercell=d.hull.tolist(), matching=matching, total_parent_A=round(d.total_parent, AMPLITUDE_DECIMALS),
        total_child_A=round(d.total_child, AMPLITUDE_DECIMALS), irreps=irreps, strain=strain,
    )


__all__ = ["mode_model"]
