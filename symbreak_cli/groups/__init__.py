"""Numpy-only group theory: rotations, point groups as Cartesian matrices, their names,
classes and Mulliken labels, character tables, O(3) irreps (one Wigner-D, spherical
harmonics, branching) and stabilisers of signals.

Each concept has one private module; everything public is re-exported here (as
``e3nn.o3`` does), so callers write ``from symbreak_cli.groups import PointGroup``:

=====================  ==========================================================
``_rotations``         axis–angle (Rodrigues) rotations and their inverse
``_tolerances``        every tolerance of the layer, named, with its unit
``_operations``        classify one 3×3 matrix (kind, axis, order, ITA symbol)
``_point_group``       PointGroup (immutable), subgroup relations and cosets
``_classes``           conjugacy classes with textbook labels and roles
``_catalogue``         the named point groups: generators, identification
``_names``             symbol conventions: HM ↔ Schoenflies, crystal system, Bravais,
                       Pearson, Seitz
``_characters``        character tables (Burnside), restriction, breaking irreps
``_mulliken``          Mulliken labels from characters
``_harmonics``         e3nn's real spherical harmonics and Wigner-D, numpy only
``_o3``                O(3) irrep labels, characters, branching, invariant bases
``_polynomials``       invariants as readable polynomials
``_stabilizer``        the point group (or continuous group) a signal keeps
=====================  ==========================================================

Nothing here imports torch, e3nn, spglib, pydantic or anything else of symbreak's but
its errors.

>>> G = PointGroup.named("Oh")
>>> [ir.label for ir in character_table(G).irreps][:3]
['A1g', 'A2g', 'Eg']
"""

from symbreak_cli.groups._tolerances import DEFAULT_TOL
from symbreak_cli.groups._rotations import axis_angle, random_o3, rotation_axis_angle
from symbreak_cli.groups._operations import OpInfo, canonical_axis, classify
from symbreak_cli.groups._point_group import (
    ConjugacyClass,
    PointGroup,
    SubgroupRelation,
    close_matrices,
    embed,
    match_indices,
    subgroup_relation,
    unique_matrices,
)
from symbreak_cli.groups._catalogue import identify, identify_matrices, mirror, named_group, point_group_names, rot
from symbreak_cli.groups._names import (
    bravais_symbol,
    canonical_name,
    crystal_system,
    hm_symbol,
    pearson_symbol,
    rotation_axis,
    rotation_type,
    seitz_symbol,
)
from symbreak_cli.groups._characters import CharacterTable, Irrep, breaking_irreps, character_table, restriction_multiplicity
from symbreak_cli.groups._harmonics import block_diag_D, monomials, spherical_harmonics, wigner_D
from symbreak_cli.groups._o3 import (
    BranchingRow,
    branching_table,
    decompose,
    decomposition_text,
    invariant_basis,
    irrep_label,
    n_invariants,
    new_invariant_basis,
    o3_characters,
    parse_irrep,
    parse_signal,
)
from symbreak_cli.groups._polynomials import describe_polynomial, new_invariant_polynomials, polynomial_text
from symbreak_cli.groups._stabilizer import SignalSymmetry, stabilizer_of_signal

#: earlier name of :func:`wigner_D` (same function), kept importable
wigner_from_polynomials = wigner_D

__all__ = [
    "DEFAULT_TOL", "axis_angle", "rotation_axis_angle",
    "OpInfo", "canonical_axis", "classify",
    "ConjugacyClass", "PointGroup", "SubgroupRelation", "close_matrices", "embed", "match_indices",
    "subgroup_relation", "unique_matrices",
    "canonical_name", "identify", "identify_matrices", "mirror", "named_group", "point_group_names", "rot",
    "bravais_symbol", "crystal_system", "hm_symbol", "pearson_symbol", "rotation_axis", "rotation_type",
    "seitz_symbol",
    "CharacterTable", "Irrep", "breaking_irreps", "character_table", "restriction_multiplicity",
    "block_diag_D", "monomials", "random_o3", "spherical_harmonics", "wigner_D",
    "BranchingRow", "branching_table", "decompose", "decomposition_text", "describe_polynomial", "invariant_basis",
    "irrep_label", "n_invariants", "new_invariant_basis", "new_invariant_polynomials", "o3_characters",
    "parse_irrep", "parse_signal", "polynomial_text",
    "SignalSymmetry", "stabilizer_of_signal", "wigner_from_polynomials",
]
