"""Named tolerances of the symmetry layer, with their units; imports nothing (the CLI's
option defaults read them at start-up)."""

#: distance tolerance of spglib's answer, Å
DEFAULT_SYMPREC_A = 1e-3
#: largest principal shape strain accepted when matching a child lattice to a parent's (dimensionless)
DEFAULT_MAX_STRAIN = 0.05
