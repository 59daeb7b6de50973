"""Named tolerances and defaults of the symmetry layer, with their units, defined once.

Imports nothing (the CLI's option defaults and :mod:`symbreak_cli.workflows.options` read
them at start-up without numpy).
"""

#: distance tolerance of spglib's answer, Å
DEFAULT_SYMPREC_A = 1e-3
#: angle tolerance of spglib, degrees; −1 lets spglib derive it from symprec
DEFAULT_ANGLE_TOLERANCE_DEG = -1.0
#: largest principal shape strain accepted when matching a child lattice to a parent's (dimensionless)
DEFAULT_MAX_STRAIN = 0.05
#: largest atomic displacement allowed for the "approximate symmetry" of the ladder, Å
DEFAULT_MAX_DISPLACEMENT_A = 0.1
#: largest atomic displacement allowed for a pseudo-symmetry candidate (``detect --pseudo``), Å:
#: Bilbao's PSEUDO bounds the distance between an atom's image and its partner, 2 Å by
#: default (Capillas et al., J. Appl. Cryst. 44, 1017 (2011)); each atom moves at most half that
DEFAULT_PSEUDO_MAX_DISPLACEMENT_A = 1.0
#: highest l of the O(3) branching table of a group–subgroup analysis
DEFAULT_LMAX = 6
#: smallest distance tolerance used for molecules, Å: xyz files carry few digits
MOLECULE_MIN_TOLERANCE_A = 0.01
#: tolerance scale (dimensionless) of the PointGroup built from a molecule's operations:
#: they are found to ~tolerance/size, far from 1e-5, so entries are matched to
#: 10 × 0.02 = 0.2 (``symbreak_cli.groups`` multiplies the scale by its MATCH_FACTOR)
MOLECULE_MATRIX_TOL = 0.02
#: matrix-entry tolerance (dimensionless) of the names (Seitz symbols) of molecule operations
MOLECULE_SYMBOL_TOL = 1e-4
#: highest rotation order a molecule's group may have before the tolerance is called too
#: large (C18 rings are D9h; benzene's H ring reads as D30h at 0.5 Å)
MOLECULE_MAX_AXIS_ORDER = 12
#: most operations a molecule's group may have (Ih: 120)
MOLECULE_MAX_ORDER = 120
#: atoms nearest the centre on which candidate operations are tried before all atoms
MOLECULE_PROBE_ATOMS = 12
#: most rounds of average-and-refit that make a found group's matrices exact
MOLECULE_IDEALISE_ITERATIONS = 50
