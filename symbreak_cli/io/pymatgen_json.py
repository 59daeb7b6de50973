"""Read pymatgen's JSON (``Structure``, ``Molecule``, ``TransformedStructure``, entries, lists).

The dictionaries are read directly (no pymatgen import, so a JSON file is as fast to read
as a CIF): a dict with ``lattice`` and ``sites`` is a crystal, ``sites`` alone a molecule,
and a ``structure``/``final_structure``/``molecule`` key holds one (computed entries,
transformation records). Disordered sites (several species or occupancy below 1) are read as
disorder, one atom type per species/occupancy mixture (:mod:`.disorder`); occupancy-0 species
are dropped.

>>> d = {"@class": "Molecule", "sites": [{"species": [{"element": "He", "occu": 1}], "xyz": [0, 0, 0]}]}
>>> read_pymatgen_json(__import__("json").dumps(d), "he.json")[0].symbols
('He',)
"""

from __future__ import annotations

import json

import numpy as np

from symbreak_cli.errors import InputError
from symbreak_cli.io.cell import Cell
from symbreak_cli.io.disorder import Entry, merge_entries

_OCC_TOL = 0.02
_HOLDERS = ("final_structure", "structure", "molecule", "initial_structure")


def _element(name: str, where: str, source: str) -> tuple[str, int]:
    import gemmi

    el = gemmi.Element(str(name))
    if el.atomic_number == 0 or el.name.upper() != "".join(c for c in str(name) if c.isalpha()).upper():
        raise InputError(f"{where} has species {name!r}, not a chemical element", path=source)
    return el.name, el.atomic_number


def _species(site: dict, k: int, source: str) -> list[tuple[str, int, float]]:
    """(element, atomic number, occupancy) of each species present on a site (occupancy 0 dropped)."""
    where = f"site {k + 1}" + (f" ({site['label']})" if isinstance(site.get("label"), str) else "")
    species = site.get("species")
    if not isinstance(species, list) or not species:
        raise InputError(f"{where} has no 'species' list", path=source)
    present = []
    for sp in species:
        if not isinstance(sp, dict) or "element" not in sp:
            raise InputError(f"{where}: a species has no 'element'", path=source)
        occ = sp.get("occu", 1.0)
        if not isinstance(occ, (int, float)) or not np.isfinite(occ) or occ < 0 or occ > 1 + _OCC_TOL:
            raise InputError(f"{where}: occupancy {occ!r} is not a number between 0 and 1", path=source)
        if occ > 1e-6:
            present.append((*_element(sp["element"], where, source), min(float(occ), 1.0)))
    return present


def _vector(value, what: str, source: str) -> np.ndarray:
    try:
        v = np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"{what} is not a list of numbers", path=source) from None
    if v.shape != (3,):
        raise InputError(f"{what} does not hold 3 numbers", path=source)
    return v


def cell_from_dict(d: dict, source: str, label: str, molecule: bool) -> Cell:
    """One Structure/Molecule dictionary (as ``as_dict()`` writes it) as a :class:`Cell`."""
    from symbreak_cli.io.checks import make_cell

    sites = d.get("sites")
    if not isinstance(sites, list):
        raise InputError("JSON holds no 'sites' list (not a pymatgen Structure or Molecule)", path=source)
    lattice = None
    pbc = None
    lat = d.get("lattice")
    if lat is not None:
        if not isinstance(lat, dict) or "matrix" not in lat:
            raise InputError("'lattice' has no 'matrix'", path=source)
        try:
            lattice = np.asarray(lat["matrix"], dtype=float)
        except (TypeError, ValueError, OverflowError):
            raise InputError("'lattice.matrix' is not a 3 × 3 list of numbers", path=source) from None
        if lattice.shape != (3, 3):
            raise InputError(f"'lattice.matrix' has shape {lattice.shape}, not 3 × 3", path=source)
        pbc = lat.get("pbc", (True, True, True))
        if not isinstance(pbc, (list, tuple)) or len(pbc) != 3:
            raise InputError(f"'lattice.pbc' is {pbc!r}, not three true/false values", path=source)
        pbc = tuple(bool(x) for x in pbc)
    elif d.get("@class") == "Structure":
        raise InputError("a pymatgen Structure without a 'lattice'", path=source)
    entries = []
    for k, site in enumerate(sites):
        if not isinstance(site, dict):
            raise InputError(f"site {k + 1} is not an object", path=source)
        present = _species(site, k, source)
        if not present:
            continue
        if lattice is not None and "abc" in site:
            xyz = _vector(site["abc"], f"site {k + 1} 'abc'", source) @ lattice
        elif "xyz" in site:
            xyz = _vector(site["xyz"], f"site {k + 1} 'xyz'", source)
        else:
            raise InputError(f"site {k + 1} has no coordinates ('abc' or 'xyz')", path=source)
        name = site["label"] if isinstance(site.get("label"), str) else f"{k + 1}"
        entries.extend(Entry(xyz, el, z, occ, name) for el, z, occ in present)
    if not entries:
        raise InputError("every site is empty (occupancy 0)", path=source)
    # disordered sites (several species, or occupancy below 1): one atom type per mixture
    merged = merge_entries(entries, None, source, merge_tol=1e-3)
    if lattice is None or molecule:
        return make_cell(None, merged.positions, merged.numbers, merged.symbols, False, source, label,
                         warnings=merged.notes, types=merged.types)
    return make_cell(lattice, merged.positions, merged.numbers, merged.symbols, all(pbc), source, label, pbc=pbc,
                     field="'lattice.matrix'", warnings=merged.notes, types=merged.types)


def _structures(obj) -> list[dict]:
    if isinstance(obj, list):
        return [d for item in obj for d in _structures(item)]
    if not isinstance(obj, dict):
        return []
    if "sites" in obj:
        return [obj]
    for key in _HOLDERS:
        if isinstance(obj.get(key), dict):
            return _structures(obj[key])
    return []


def read_pymatgen_json(text: str, source: str, molecule: bool = False) -> list[Cell]:
    """Every structure in a pymatgen JSON document, or an InputError saying why none."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"not JSON ({err.msg} at line {err.lineno})", path=source) from None
    except RecursionError:
        raise InputError("JSON nested too deeply to be a structure", path=source) from None
    found = _structures(data)
    if not found:
        kind = data.get("@class") if isinstance(data, dict) else None
        what = f"a pymatgen {kind}" if isinstance(kind, str) else "JSON"
        raise InputError(f"{what} that holds no structure (expected a pymatgen Structure, Molecule, "
                         "TransformedStructure or entry)", path=source)
    multi = len(found) > 1
    return [cell_from_dict(d, source, f"item {k + 1}" if multi else "", molecule) for k, d in enumerate(found)]


def cell_from_pymatgen(obj, source: str, label: str, molecule: bool) -> Cell:
    """A pymatgen Structure or Molecule object as a :class:`Cell` (through its dictionary)."""
    return cell_from_dict(obj.as_dict(), source, label, molecule)
