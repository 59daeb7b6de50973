r"""Read VASP POSCAR/CONTCAR files (VASP 5 with a species line, or VASP 4 without one).

Our own parser (no ase.io import, ~10 ms faster per process): a VASP 4 file names its
species on the comment line (as ASE reads it) or per atom after the coordinates
(``0.0 0.0 0.0 # Na1``, as in spglib's test suite). A VASP 4 file that names no elements
at all is read with one placeholder type per species (``X1``, ``X2``, … with numbers
:data:`PLACEHOLDER_Z` + k), which is all a space group needs, and a warning saying so.

>>> text = "Si\n1.0\n0 2.7 2.7\n2.7 0 2.7\n2.7 2.7 0\nSi\n2\nDirect\n0 0 0\n0.25 0.25 0.25\n"
>>> read_poscar(text, "POSCAR").symbols
('Si', 'Si')
"""

from __future__ import annotations

import re

import numpy as np

from symbreak_cli.errors import InputError
from symbreak_cli.io.cell import Cell


#: atomic "numbers" of the placeholder species X1, X2, … (beyond every element)
PLACEHOLDER_Z = 200


def _element(word: str):
    import gemmi

    letters = re.match(r"[A-Za-z]*", word).group(0)
    for n in (2, 1):
        if len(letters) >= n:
            el = gemmi.Element(letters[:n].capitalize())
            if el.atomic_number and (n == len(letters) or n == 2 or not letters[1:2].islower()):
                return el
    return None


def _floats(line: str, n: int, what: str, source: str) -> np.ndarray:
    words = line.split()
    try:
        v = np.array([float(w) for w in words[:n]])
    except ValueError:
        raise InputError(f"{what} is not {n} number(s): {line.strip()!r}", path=source) from None
    if len(v) < n:
        raise InputError(f"{what} has {len(v)} number(s), not {n}: {line.strip()!r}", path=source)
    return v


def read_poscar(text: str, source: str) -> Cell:
    """The structure in a POSCAR/CONTCAR text."""
    from symbreak_cli.io.checks import make_cell

    lines = text.splitlines()
    if len(lines) < 8:
        raise InputError(f"is not a POSCAR: {len(lines)} lines, at least 8 are needed", path=source)
    scale = _floats(lines[1], 1, "the scale factor (line 2)", source)
    words = lines[1].split()
    if len(words) >= 3 and all(re.fullmatch(r"[-+.\deE]+", w) for w in words[:3]):
        scale = _floats(lines[1], 3, "the scale factors (line 2)", source)
    lattice = np.array([_floats(lines[k], 3, f"lattice vector {k - 1} (line {k + 1})", source) for k in (2, 3, 4)])
    if not np.all(np.isfinite(scale)) or np.any(scale == 0):
        raise InputError(f"the scale factor (line 2) is {lines[1].strip()!r}; it must be non-zero and finite",
                         path=source)
    factor = scale if len(scale) == 3 else scale[0]
    if len(scale) == 1 and scale[0] < 0:  # a negative scale is the cell volume
        vol = abs(np.linalg.det(lattice))
        if not np.isfinite(vol) or vol < 1e-12:
            raise InputError("the lattice vectors (lines 3–5) have zero volume", path=source)
        factor = (-scale[0] / vol) ** (1 / 3)
    lattice = lattice * factor
    row = 5
    species_line = lines[row].split()
    names: list[str] | None = None
    if species_line and not re.fullmatch(r"\d+", species_line[0]):
        names = [re.split(r"[_/]", w)[0] for w in species_line]
        row += 1
    try:
        counts = [int(w) for w in lines[row].split()]
    except ValueError:
        raise InputError(f"line {row + 1} should hold the atom counts, not {lines[row].strip()!r}", path=source) from None
    if not counts or any(c < 0 for c in counts) or sum(counts) == 0:
        raise InputError(f"the atom counts (line {row + 1}) are {lines[row].strip()!r}", path=source)
    row += 1
    if lines[row].strip()[:1] in ("S", "s"):
        row += 1
    mode = lines[row].strip()[:1].lower() if row < len(lines) else ""
    cartesian = mode in ("c", "k")
    row += 1
    n = sum(counts)
    if len(lines) < row + n:
        raise InputError(f"holds {len(lines) - row} coordinate line(s) but its counts say {n} atoms", path=source)
    coords, comments = [], []
    for k in range(n):
        line = lines[row + k]
        coords.append(_floats(line, 3, f"atom {k + 1} (line {row + k + 1})", source))
        rest = line.split("#", 1)[1].split() if "#" in line else line.split()[3:]
        rest = [w for w in rest if w not in ("T", "F")]
        comments.append(rest[0] if rest else "")
    if names is None:  # VASP 4: the comment line, else each atom's trailing name
        head = lines[0].split()
        if len(head) >= len(counts) and all(_element(w) for w in head[: len(counts)]):
            names = head[: len(counts)]
    if names is not None:
        if len(names) != len(counts):
            raise InputError(f"names {len(names)} species but gives {len(counts)} counts", path=source)
        per_atom = [name for name, c in zip(names, counts) for _ in range(c)]
    else:
        per_atom = comments
    elements = [(_element(name) if name else None) for name in per_atom]
    notes: tuple[str, ...] = ()
    if names is None and all(e is None for e in elements):
        notes = (f"a VASP 4 POSCAR that names no elements: its {len(counts)} species are read as types "
                 f"X1–X{len(counts)}",)
        symbols = [f"X{k + 1}" for k, c in enumerate(counts) for _ in range(c)]
        numbers = [PLACEHOLDER_Z + k + 1 for k, c in enumerate(counts) for _ in range(c)]
    else:
        for k, el in enumerate(elements):
            if el is None:
                raise InputError(f"atom {k + 1} has no element ({per_atom[k]!r}); give the species line (line 6)",
                                 path=source)
        symbols, numbers = [e.name for e in elements], [e.atomic_number for e in elements]
    coords = np.array(coords)
    if not np.all(np.isfinite(coords)):
        bad = int(np.argwhere(~np.isfinite(coords))[0, 0])
        raise InputError(f"atom {bad + 1} ({symbols[bad]}) has a non-finite coordinate", path=source)
    from symbreak_cli.io.checks import check_lattice

    lattice = check_lattice(lattice, source, "the POSCAR lattice (scale factor × lines 3–5)")
    if cartesian:
        positions = coords * factor
    else:
        big = np.abs(coords).max(axis=1)
        if big.max() > 1e6:
            bad = int(np.argmax(big))
            raise InputError(f"atom {bad + 1} ({symbols[bad]}) has a fractional coordinate of {big[bad]:.3g}, not a "
                             "physical position", path=source)
        positions = coords @ lattice
    return make_cell(lattice, positions, numbers, symbols, True, source, "", warnings=notes,
                     field="the POSCAR lattice (scale factor × lines 3–5)")
