"""Bundled sample data, regenerated deterministically by ``symbreak sample-data DIR``.

Crystals (CIF, written with their space-group operations by pymatgen's CifWriter):

* ``BaTiO3_Pm-3m.cif`` — cubic perovskite, a = 4.00 Å (No. 221).
* ``BaTiO3_P4mm.cif`` — tetragonal ferroelectric, a = 3.99, c = 4.03 Å, Ti z = 0.515,
  O z offsets of −0.024 / −0.014 (Kwei et al., J. Phys. Chem. 97, 2368 (1993)-like), No. 99.
* ``SrTiO3_Pm-3m.cif`` — a = 3.905 Å (No. 221).
* ``SrTiO3_I4mcm.cif`` — the 105 K antiferrodistortive phase: TiO6 octahedra rotated
  φ = 2.1° about z, out of phase along z (Glazer a0a0c−, No. 140), as a 2×2×2 supercell.
* ``perovskite_a0a0c+_P4mbm.cif`` — in-phase rotations a0a0c+ (No. 127), φ = 5°.

Molecules (xyz): CH4 (Td), NH3 (C3v), C6H6 (D6h), SF6 (Oh), H2O (C2v), C60 (Ih).
Training data (H5MD / pairs) comes from :mod:`symbreak_cli.train.sample_data`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from symbreak_cli.io.files import atomic_write_text, check_writable


def perovskite(a: float, A: str = "Ba", B: str = "Ti", dz=(0.0, 0.0, 0.0, 0.0), c: float | None = None):
    """ABO3 in the B-site-centred setting: A at 1a (0,0,0), B at 1b (½,½,½), O at 3c.

    ``dz`` are z-shifts (fractional) of B, apical O and the two equatorial O.
    """
    from ase import Atoms

    c = a if c is None else c
    frac = np.array([[0, 0, 0], [0.5, 0.5, 0.5 + dz[0]], [0.5, 0.5, 0.0 + dz[1]], [0.5, 0.0, 0.5 + dz[2]], [0.0, 0.5, 0.5 + dz[3]]])
    frac[:, 2] %= 1.0
    return Atoms([A, B, "O", "O", "O"], scaled_positions=frac, cell=np.diag([a, a, c]), pbc=True)


def tilted_perovskite(a: float, phi_deg: float, in_phase: bool, A: str = "Sr", B: str = "Ti"):
    """2×2×2 perovskite with octahedra rotated by φ about z (Glazer a0a0c+ or a0a0c−).

    Neighbouring octahedra in the plane rotate oppositely (they share corners); along z
    they rotate alike (c+, P4/mbm) or oppositely (c−, I4/mcm). An equatorial O at
    B + ½x̂ moves by s·(a/2)·sin φ along ŷ, one at B + ½ŷ by −s·(a/2)·sin φ along x̂, with
    s = (−1)^(i+j) (× (−1)^k for c−) the sense of rotation of the B at (i, j, k).
    """
    from ase import Atoms

    shift = 0.5 * a * np.sin(np.radians(phi_deg))
    x, y, z = np.eye(3)
    symbols, pos = [], []
    for i in range(2):
        for j in range(2):
            for k in range(2):
                s = (-1) ** (i + j) * (1 if in_phase else (-1) ** k)
                b = (np.array([i, j, k]) + 0.5) * a
                symbols += [A, B, "O", "O", "O"]
                pos += [b - 0.5 * a * (x + y + z), b, b - 0.5 * a * z,
                        b + 0.5 * a * x + s * shift * y, b + 0.5 * a * y - s * shift * x]
    return Atoms(symbols, positions=np.array(pos), cell=np.diag([2 * a] * 3), pbc=True)


def _cif(atoms, symprec: float = 1e-3) -> str:
    from pymatgen.io.ase import AseAtomsAdaptor
    from pymatgen.io.cif import CifWriter

    return str(CifWriter(AseAtomsAdaptor.get_structure(atoms), symprec=symprec))


def molecules() -> dict[str, object]:
    """Ideal molecular geometries (ASE's g2 set; SF6 and C60 built with Oh / Ih symmetry)."""
    from ase import Atoms
    from ase.build import molecule

    d = 1.561  # S–F bond length, Å
    sf6 = Atoms("SF6", positions=[[0, 0, 0], [d, 0, 0], [-d, 0, 0], [0, d, 0], [0, -d, 0], [0, 0, d], [0, 0, -d]])
    return {"CH4": molecule("CH4"), "NH3": molecule("NH3"), "C6H6": molecule("C6H6"), "SF6": sf6,
            "H2O": molecule("H2O"), "C60": molecule("C60")}


def _xyz(atoms, comment: str) -> str:
    lines = [str(len(atoms)), comment]
    for s, p in zip(atoms.get_chemical_symbols(), atoms.get_positions()):
        lines.append(f"{s:2s} {p[0]: .8f} {p[1]: .8f} {p[2]: .8f}")
    return "\n".join(lines) + "\n"


def structure_samples() -> dict[str, str]:
    """File name -> text of every bundled structure file."""
    files = {
        "BaTiO3_Pm-3m.cif": _cif(perovskite(4.00)),
        "BaTiO3_P4mm.cif": _cif(perovskite(3.99, c=4.03, dz=(0.015, -0.024, -0.014, -0.014))),
        "SrTiO3_Pm-3m.cif": _cif(perovskite(3.905, A="Sr")),
        "SrTiO3_I4mcm.cif": _cif(tilted_perovskite(3.905, 2.1, in_phase=False)),
        "perovskite_a0a0c+_P4mbm.cif": _cif(tilted_perovskite(3.905, 5.0, in_phase=True)),
    }
    point_groups = {"CH4": "Td", "NH3": "C3v", "C6H6": "D6h", "SF6": "Oh", "H2O": "C2v", "C60": "Ih"}
    for name, atoms in molecules().items():
        files[f"{name}.xyz"] = _xyz(atoms, f"{name}, point group {point_groups[name]} (symbreak sample data)")
    return files


def write_sample_data(directory: str | Path, force: bool = False) -> list[Path]:
    """Write every sample file into ``directory``; refuse to overwrite without ``force``."""
    directory = Path(directory)
    texts = structure_samples()
    for name in texts:
        check_writable(directory / name, force)
    written = [atomic_write_text(directory / name, text) for name, text in texts.items()]
    try:
        from symbreak_cli.train.sample_data import write_training_samples
    except ImportError:  # training extras not built yet
        return written
    return written + list(write_training_samples(directory, force))
