"""How many structure files each reader reads, and whether what it reads has the same atoms
and space group as pymatgen's reading.

Usage::

    PYTHONPATH=. python benchmarks/read.py READER FILE_OR_DIR... > READER.jsonl
    python benchmarks/read.py --compare REFERENCE.jsonl OTHER.jsonl

READER is ``symbreak`` (``symbreak_cli.io.structures`` from PYTHONPATH, so an older checkout
can be measured too), ``pymatgen`` (CifParser / Poscar), ``gemmi`` (gemmi's own expansion) or
``ase`` (``ase.io.read``). Each line: file, atoms read (first block), spglib space-group number
at symprec 1e-3, or the error.
"""

from __future__ import annotations

import json
import os
import sys
import time
import warnings


def _read(reader: str, path: str):
    """(lattice, fractional, numbers) of the first structure in ``path``."""
    import numpy as np

    if reader == "symbreak":
        from symbreak_cli.io.structures import read_structures

        c = read_structures(path)[0]
        if c.lattice is None:
            raise ValueError("read as a molecule")
        return c.lattice, c.fractional, np.asarray(c.numbers)
    if reader == "pymatgen":
        from pymatgen.io.cif import CifParser

        s = CifParser(path).parse_structures(primitive=False, on_error="raise")[0]
        if not s.is_ordered:
            raise ValueError("disordered")
        return s.lattice.matrix, s.frac_coords, np.array([site.specie.Z for site in s])
    if reader == "gemmi":
        import gemmi

        small = gemmi.read_small_structure(path)
        small.setup_cell_images()
        sites = small.get_all_unit_cell_sites()
        if any(abs(s.occ - 1) > 0.02 for s in sites):
            raise ValueError("disordered")
        lat = np.array(small.cell.orth.mat.tolist()).T
        return lat, np.array([[s.fract.x, s.fract.y, s.fract.z] for s in sites]), np.array(
            [s.element.atomic_number for s in sites])
    if reader == "ase":
        import ase.io

        a = ase.io.read(path)
        return a.cell.array, a.get_scaled_positions(), a.numbers
    raise SystemExit(f"unknown reader {reader}")


def measure(reader: str, paths: list[str]) -> None:
    import spglib

    files = []
    for p in paths:
        files += sorted(os.path.join(p, f) for f in os.listdir(p)) if os.path.isdir(p) else [p]
    t0 = time.perf_counter()
    for f in files:
        row = {"file": os.path.basename(f)}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                lat, frac, num = _read(reader, f)
                row["n"] = int(len(num))
                ds = spglib.get_symmetry_dataset((lat, frac, num), symprec=1e-3)
                row["sg"] = int(ds.number) if ds is not None else None
        except Exception as err:  # a benchmark records every failure, whatever its type
            row["error"] = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"[:200]
        print(json.dumps(row), flush=True)
    print(f"{reader}: {len(files)} files in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def compare(ref_path: str, other_path: str) -> None:
    ref = {r["file"]: r for r in map(json.loads, open(ref_path))}
    other = {r["file"]: r for r in map(json.loads, open(other_path))}
    read_by_ref = [f for f, r in ref.items() if "error" not in r]
    refused = [f for f in read_by_ref if "error" in other.get(f, {"error": "missing"})]
    misread = [f for f in read_by_ref if f not in refused and (other[f]["n"], other[f].get("sg")) != (ref[f]["n"], ref[f].get("sg"))]
    extra = [f for f, r in other.items() if "error" not in r and f in ref and "error" in ref[f]]
    print(f"{other_path} vs {ref_path}: files {len(ref)}, read by reference {len(read_by_ref)}; "
          f"refused {len(refused)}, misread (atoms or space group differ) {len(misread)}, "
          f"read where the reference refuses {len(extra)}")
    for f in refused:
        print(f"  refused  {f}: {other[f]['error'] if f in other else 'missing'}")
    for f in misread:
        print(f"  misread  {f}: n={other[f]['n']} sg={other[f].get('sg')}  (reference n={ref[f]['n']} sg={ref[f].get('sg')})")
    for f in extra:
        print(f"  extra    {f}: n={other[f]['n']} sg={other[f].get('sg')}  (reference: {ref[f]['error']})")


def bench(quick: bool) -> list:
    """Rows for benchmarks/run.py: reading the sample CIFs and xyz files, ours vs ase.io.read, in process."""
    from pathlib import Path

    from _row import Row, repeat

    sample = Path(__file__).resolve().parents[1] / "sample_data"
    files = sorted(str(p) for p in sample.iterdir() if p.suffix in (".cif", ".xyz"))
    from symbreak_cli.io.structures import read_structures

    import ase.io

    n = 2 if quick else 7
    _read("symbreak", files[0])  # imports out of the timing, on both sides
    ase.io.read(files[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        base = repeat(lambda: [ase.io.read(f) for f in files], n)
    return [Row("read", f"{len(files)} sample CIF/xyz files", "ase.io.read", repeat(lambda: [read_structures(f) for f in files], n),
                base)]


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        compare(sys.argv[2], sys.argv[3])
    else:
        measure(sys.argv[1], sys.argv[2:])
