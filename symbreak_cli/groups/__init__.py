"""Numpy-only group theory: point groups as Cartesian matrices, their names, classes and
Mulliken labels, character tables, O(3) irreps and branching, stabilisers of signals.

Each concept has one private module; everything public is re-exported here (as
``e3nn.o3`` does), so callers write ``from symbreak_cli.groups import PointGroup``.
Nothing here imports torch, e3nn, spglib or anything else of symbreak's.
"""

from symbreak_cli.groups._operations import OpInfo, canonical_axis, classify, rotation_axis_angle
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
from symbreak_cli.groups._catalogue import canonical_name, identify, mirror, named_group, rot
from symbreak_cli.groups._names import (
    bravais_symbol,
    crystal_system,
    pearson_symbol,
    point_group_names,
    rotation_axis,
    rotation_type,
    seitz_symbol,
)
from symbreak_cli.groups._characters import CharacterTable, Irrep, breaking_irreps, character_table, restriction_multiplicity
from symbreak_cli.groups._o3 import (
    BranchingRow,
    branching_table,
    decompose,
    decomposition_text,
    describe_polynomial,
    irrep_label,
    monomials,
    n_invariants,
    new_invariant_polynomials,
    o3_characters,
    parse_irrep,
    polynomial_text,
)
from symbreak_cli.groups._stabilizer import SignalSymmetry, stabilizer_of_signal, wigner_from_polynomials

__all__ = [
    "OpInfo", "canonical_axis", "classify", "rotation_axis_angle",
    "ConjugacyClass", "PointGroup", "SubgroupRelation", "close_matrices", "embed", "match_indices",
    "subgroup_relation", "unique_matrices",
    "canonical_name", "identify", "mirror", "named_group", "rot",
    "bravais_symbol", "crystal_system", "pearson_symbol", "point_group_names", "rotation_axis", "rotation_type",
    "seitz_symbol",
    "CharacterTable", "Irrep", "breaking_irreps", "character_table", "restriction_multiplicity",
    "BranchingRow", "branching_table", "decompose", "decomposition_text", "describe_polynomial", "irrep_label",
    "monomials", "n_invariants", "new_invariant_polynomials", "o3_characters", "parse_irrep", "polynomial_text",
    "SignalSymmetry", "stabilizer_of_signal", "wigner_from_polynomials",
]
