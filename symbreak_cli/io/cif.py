"""Read CIF and magnetic CIF (.mcif) files with gemmi, pymatgen's CifParser as the fallback.

Strategy (chosen by measurement, see benchmarks/read.py):

- gemmi parses the file (fast: ~0.04 s import) and gives the sites and the file-declared
  symmetry operations; we expand the sites ourselves with exactly those operations (so a
  file's own ``Ccce`` operations are never replaced by another setting's);
- a magnetic CIF's operations are its magnetic operations combined with its magnetic
  centerings (time reversal ignored), so MnO expands to the whole rock-salt cell;
- with no operations in the file, the space group comes from its Hall symbol, its
  Hermann–Mauguin symbol (old style ``F m 3 m`` and full ``P 1 21 1`` alike) or its number;
- coordinates written as 0.3333/0.6667/0.1667 are read as the thirds and sixths they stand
  for (when the written digits are exactly k/6 rounded to them, see :func:`snap_sixths`);
- sites with occupancy 0 are dropped; partially occupied sites are read as disorder: the
  average structure, one atom type per species/occupancy mixture, named in a warning
  (:mod:`.disorder`);
- the file's ``_chemical_formula_sum`` × ``_cell_formula_units_Z`` must match what was read;
- a file gemmi's strict syntax refuses is tokenised by pymatgen's forgiving ``CifFile`` and
  then read the same way; a block whose space-group symbol gemmi cannot name goes whole to
  pymatgen's ``CifParser``.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import replace

import numpy as np

from symbreak_cli.errors import InputError
from symbreak_cli.io.cell import Cell
from symbreak_cli.io.cif_symmetry import UnknownSymbol, block_operations, column, raw_column, value
from symbreak_cli.io.disorder import Entry, merge_entries

#: a coordinate written with at least this many decimals that is k/6 rounded to those decimals
#: is read as k/6 (0.3333 -> 1/3, 0.667 -> 2/3; 0.333341 or 0.17 are left alone)
SNAP_MIN_DECIMALS = 3
#: images of one site closer than this (Å) are the same atom (a site on a special position)
MERGE_TOL_A = 0.01
#: occupancies within this of 1 are full, at or below OCC_ZERO the site is empty
OCC_TOL = 0.02
OCC_ZERO = 1e-6

_CELL = ("length_a", "length_b", "length_c", "angle_alpha", "angle_beta", "angle_gamma")


class _Fallback(Exception):
    """gemmi could not read this block; pymatgen may."""


_value, _column, _raw_column = value, column, raw_column


def lattice_from_parameters(a, b, c, alpha, beta, gamma) -> np.ndarray:
    """Lattice rows from a, b, c (Å) and α, β, γ (degrees): a along x, b in the xy plane.

    >>> np.round(lattice_from_parameters(2, 3, 4, 90, 90, 90), 12).tolist()
    [[2.0, 0.0, 0.0], [0.0, 3.0, 0.0], [0.0, 0.0, 4.0]]
    """
    cos = [0.0 if abs(x - 90.0) < 1e-10 else float(np.cos(np.radians(x))) for x in (alpha, beta, gamma)]
    ca, cb, cg = cos
    sg = float(np.sqrt(1.0 - cg * cg))
    cy = (ca - cb * cg) / sg
    cz2 = 1.0 - cb * cb - cy * cy
    if not np.isfinite(cz2) or cz2 <= 1e-12:
        raise ValueError("angles")
    return np.array([[a, 0.0, 0.0], [b * cg, b * sg, 0.0], [c * cb, c * cy, c * np.sqrt(cz2)]])


def _cell(block, source: str) -> np.ndarray:
    import gemmi

    pars = []
    for name in _CELL:
        raw = _value(block, (f"_cell_{name}", f"_cell.{name}"))
        if raw is None:
            raise InputError(f"has atom sites with fractional coordinates but no _cell_{name}", path=source)
        x = gemmi.cif.as_number(raw)
        if not np.isfinite(x):
            raise InputError(f"_cell_{name} is {raw!r}, not a finite number", path=source)
        if name.startswith("length") and not 0.0 < x < 1e5:
            raise InputError(f"_cell_{name} is {raw} Å; a cell length must be positive and finite", path=source)
        if name.startswith("angle") and not 0.0 < x < 180.0:
            raise InputError(f"_cell_{name} is {raw}°; a cell angle must lie between 0 and 180", path=source)
        pars.append(x)
    try:
        return lattice_from_parameters(*pars)
    except ValueError:
        raise InputError("the cell angles (_cell_angle_alpha/beta/gamma) do not form a cell (zero volume)",
                         path=source) from None


def snap_sixths(raw: str, x: float) -> float:
    """``x`` as k/6 when its text ``raw`` is k/6 rounded to the digits written, else ``x``.

    >>> snap_sixths("0.3333", 0.3333) == 1 / 3, snap_sixths("0.333341", 0.333341), snap_sixths("0.17", 0.17)
    (True, 0.333341, 0.17)
    """
    m = re.fullmatch(r"\s*[+-]?\d*\.(\d+)(\(\d+\))?\s*", raw)
    if not m or len(m.group(1)) < SNAP_MIN_DECIMALS:
        return x
    k = round(x * 6.0)
    return k / 6.0 if abs(x - k / 6.0) <= 0.5 * 10.0 ** -len(m.group(1)) + 1e-12 else x


def _expand(frac: np.ndarray, ops, lattice: np.ndarray) -> np.ndarray:
    """The distinct images of one site in the unit cell, identity first."""
    images = np.array([r @ frac + t for r, t in ops])
    images -= np.floor(images + 1e-9)
    images[np.abs(images - 1.0) < 1e-9] = 0.0
    kept: list[np.ndarray] = []
    for x in images:
        if kept:
            d = np.array(kept) - x
            d -= np.round(d)
            if np.min(np.linalg.norm(d @ lattice, axis=1)) < MERGE_TOL_A:
                continue
        kept.append(x)
    return np.array(kept)


def _element_from_label(text: str):
    """The element a label like 'Ob1' or 'KM' starts with (two letters first, as pymatgen does)."""
    import gemmi

    letters = re.match(r"[A-Za-z]*", text or "").group(0)
    for n in (2, 1):
        if len(letters) >= n:
            el = gemmi.Element(letters[:n].capitalize())
            if el.atomic_number:
                return el
    return None


def _formula_counts(text: str) -> dict[str, float] | None:
    tokens = re.findall(r"([A-Z][a-z]?)\s*([0-9]*\.?[0-9]*)", text)
    if not tokens or re.sub(r"[A-Za-z0-9.\s()+-]", "", text):
        return None
    out: dict[str, float] = {}
    for el, n in tokens:
        out[el] = out.get(el, 0.0) + (float(n) if n not in ("", ".") else 1.0)
    return out


def _check_formula(block, content: dict[str, float], source: str) -> str | None:
    """The file's own formula and Z against what was read (``content``: element → atoms,
    occupancy-weighted): an error when the atom list contradicts it (a truncated loop), a
    note when only hydrogen atoms are missing.
    """
    import gemmi

    formula = _value(block, ("_chemical_formula_sum", "_chemical_formula.sum"))
    z_raw = _value(block, ("_cell_formula_units_Z", "_cell.formula_units_Z"))
    if not formula or not z_raw:
        return None
    want, z = _formula_counts(formula), gemmi.cif.as_number(z_raw)
    if want is None or not np.isfinite(z) or z <= 0:
        return None
    got = dict(content)
    if "D" in got and "D" not in want:  # deuterium written as H in the formula
        got["H"] = got.get("H", 0) + got.pop("D")
    def matches(factor: float) -> bool:
        return all(abs(got.get(el, 0) - want.get(el, 0.0) * factor) <= max(0.5, 0.01 * want.get(el, 0.0) * factor)
                   for el in set(want) | set(got))

    # the formula is per formula unit (× Z) — or, as pymatgen writes it, the whole cell's content
    if matches(z) or matches(1.0):
        return None
    heavy = {el: n for el, n in got.items() if el != "H"}
    if got.get("H", 0) < want.get("H", 0.0) * z and all(
            abs(heavy.get(el, 0) - want.get(el, 0.0) * z) <= max(0.5, 0.01 * want.get(el, 0.0) * z)
            for el in set(want) | set(heavy) if el != "H"):
        return (f"the file's formula {formula!r} (Z = {z:g}) has {want['H'] * z:g} H but its atom list has "
                f"{got.get('H', 0)}: hydrogen atoms not located are missing from the analysis")
    el = max(set(want) | set(got), key=lambda e: abs(got.get(e, 0) - want.get(e, 0.0) * z))
    raise InputError(
        f"{sum(got.values()):g} atoms were read ({got.get(el, 0):g} {el}) but the file's _chemical_formula_sum {formula!r} "
        f"with _cell_formula_units_Z {z:g} means {int(round(sum(want.values()) * z))} ({want.get(el, 0.0) * z:g} {el})"
        + ("; is the atom list truncated?" if sum(got.values()) < sum(want.values()) * z else ""),
        path=source,
    )


def _block_cell(block, source: str, label: str) -> Cell:
    import gemmi

    try:
        small = gemmi.make_small_structure_from_block(block)
    except Exception as err:
        raise _Fallback(str(err)) from None
    if not len(small.sites):
        if len(block.find_values("_atom_site_Cartn_x")) or len(block.find_values("_atom_site.Cartn_x")):
            raise _Fallback("Cartesian atom sites")
        raise InputError("holds no atom sites (_atom_site_fract_x)", path=source)
    lattice = _cell(block, source)
    pars = [gemmi.cif.as_number(_value(block, (f"_cell_{n}", f"_cell.{n}"))) for n in _CELL]
    try:
        ops, _origin = block_operations(block, source, pars)
    except UnknownSymbol as why:
        raise _Fallback(str(why)) from None
    entries: list[Entry] = []
    dropped = 0
    guessed: set[str] = set()
    dotted: set[str] = set()
    raw = [[str(v) for v in _raw_column(block, (f"_atom_site_fract_{a}", f"_atom_site.fract_{a}"))] for a in "xyz"]
    if any(len(col) != len(small.sites) for col in raw):
        raw = [[""] * len(small.sites)] * 3
    for k, site in enumerate(small.sites):
        el = site.element
        if el.atomic_number == 0:
            el = _element_from_label(site.type_symbol or site.label)
            if el is None:
                raise InputError(f"site {site.label!r} has no known element (type {site.type_symbol!r})", path=source)
            guessed.add(f"site {site.label!r} (type {site.type_symbol!r}) read as {el.name}")
        x = np.array([site.fract.x, site.fract.y, site.fract.z], float)
        inapplicable = [a for a in range(3) if raw[a][k].strip() == "." and not np.isfinite(x[a])]
        if inapplicable:  # '.' (ICSD writes it for a fixed 0) is read as 0
            x[inapplicable] = 0.0
            dotted.add(site.label)
        if not np.all(np.isfinite(x)):
            raise InputError(f"site {site.label!r} has a missing or non-numeric _atom_site_fract coordinate",
                             path=source)
        if np.any(np.abs(x) > 1e6):
            raise InputError(f"site {site.label!r} has an absurd fractional coordinate {x.max():g}", path=source)
        occ = float(site.occ)
        if not np.isfinite(occ) or occ < 0 or occ > 1 + OCC_TOL:
            raise InputError(f"site {site.label!r} has occupancy {occ:g}; it must lie between 0 and 1", path=source)
        if occ <= OCC_ZERO:
            dropped += 1
            continue
        x = np.array([snap_sixths(raw[a][k], x[a]) for a in range(3)])
        for img in _expand(x, ops, lattice):
            entries.append(Entry(img, el.name, el.atomic_number, min(occ, 1.0), site.label))
    if not entries:
        raise InputError("every atom site has occupancy 0", path=source)
    from symbreak_cli.io.checks import make_cell

    merged = merge_entries(entries, lattice, source, MERGE_TOL_A)  # partial occupancy: one type per mixture
    symbols, numbers, frac = list(merged.symbols), merged.numbers, merged.positions
    notes = (f"dropped {dropped} site(s) with occupancy 0",) if dropped else ()
    notes += merged.notes
    notes += tuple(sorted(guessed))
    if dotted:
        notes += (f"coordinates written '.' read as 0 (site {', '.join(sorted(dotted))})",)
    if _origin.startswith("none"):
        notes += ("the file declares no symmetry operations or space group; its sites were read as P1",)
    cell = make_cell(lattice, np.array(frac) @ lattice, numbers, symbols, True, source, label, warnings=notes,
                     types=merged.types)
    note = _check_formula(block, merged.weights, source)
    if note:
        cell = replace(cell, warnings=cell.warnings + (note,))
    return cell


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_cif(data: bytes, source: str, frame: int | None = None) -> list[Cell]:
    """Every data block with atom sites in a CIF/mCIF; ``frame`` picks one block."""
    import gemmi

    text = _decode(data)
    try:
        doc = gemmi.cif.read_string(text, check_level=0)  # duplicate tags: the first wins, as in pymatgen
    except Exception as err:
        why = re.sub(r"^string:(\d+):\S*", r"line \1:", str(err).strip().splitlines()[0] if str(err).strip() else "")
        if not re.search(r"(?im)^\s*data_", text):
            raise InputError(f"cannot be read as CIF: {why or 'no data_ block'}", path=source) from None
        doc = _retokenise(text, source, why)
    blocks = [b for b in doc if _has_sites(b)]
    if not blocks:
        raise InputError("holds no atoms (no data block with atom sites)", path=source)
    multi = len(blocks) > 1
    if frame not in (None, 0):
        _check_index(frame, len(blocks), source)
        blocks, multi = [blocks[frame]], True
    out = []
    for k, block in enumerate(blocks):
        label = (block.name or f"block {k + 1}") if multi else ""
        try:
            out.append(_block_cell(block, source, label))
        except _Fallback as why:
            cells = _read_pymatgen(text, source, str(why), block=block.name)
            out.append(cells[0])
    return out


def _retokenise(text: str, source: str, why: str):
    """A CIF gemmi's strict syntax refuses, tokenised by pymatgen's forgiving parser and written back."""
    import gemmi

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pymatgen.io.cif import CifFile

        try:
            return gemmi.cif.read_string(str(CifFile.from_str(text)), check_level=0)
        except Exception as err:
            msg = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise InputError(f"cannot be read as CIF: {why} (pymatgen: {msg})", path=source) from None


def _has_sites(block) -> bool:
    return any(len(block.find_values(t)) for t in ("_atom_site_fract_x", "_atom_site.fract_x", "_atom_site_Cartn_x",
                                                    "_atom_site.Cartn_x", "_atom_site_label", "_atom_site.label"))


def _check_index(frame: int, n: int, source: str) -> None:
    if not -n <= frame < n:
        raise InputError(f"has no data block {frame} (it holds {n})", path=source)


def _select(cells: list[Cell], frame: int | None, source: str) -> list[Cell]:
    if frame in (None, 0) or not cells:
        return cells
    _check_index(frame, len(cells), source)
    return [cells[frame]]


def _read_pymatgen(text: str, source: str, why: str, block: str | None = None) -> list[Cell]:
    """Pymatgen's forgiving CifParser, for what gemmi cannot read."""
    from symbreak_cli.io.pymatgen_json import cell_from_pymatgen

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pymatgen.io.cif import CifParser

        try:
            parser = CifParser.from_str(text, occupancy_tolerance=1.0 + OCC_TOL)
            structures = parser.parse_structures(primitive=False, on_error="raise")
            names = list(parser.as_dict())
        except Exception as err:
            msg = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise InputError(f"cannot be read as CIF: {why} (pymatgen: {msg})", path=source) from None
    if not structures:
        raise InputError(f"cannot be read as CIF: {why}", path=source)
    if block is not None and block in names and len(names) == len(structures):
        structures = [structures[names.index(block)]]
    multi = len(structures) > 1
    return [cell_from_pymatgen(s, source, f"block {k + 1}" if multi else "", False) for k, s in enumerate(structures)]
