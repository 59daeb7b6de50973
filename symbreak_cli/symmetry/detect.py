"""Symmetry detection: space groups of crystals (spglib), point groups of molecules
(our own search, symmetry/molecule.py), the tolerance ladder and the approximate symmetry.

>>> from symbreak_cli.symmetry.detect import detect_files, DetectOptions
>>> report = detect_files(["sample_data/BaTiO3_Pm-3m.cif"], DetectOptions(ladder=False))
>>> report.results[0].crystal.hm_short
'Pm-3m'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from symbreak_cli.symmetry.parent import ParentRequest

import numpy as np

from symbreak_cli.errors import OptionError, SymbreakError, SymmetryError
from symbreak_cli.io.cell import Cell
from symbreak_cli.results.detect import (
    CrystalSymmetry,
    DetectReport,
    LadderStep,
    LatticeParameters,
    MoleculeSymmetry,
    Operation,
    StructureResult,
    WyckoffOrbit,
)
from symbreak_cli.groups._names import bravais_symbol, crystal_system, pearson_symbol, point_group_names, seitz_symbol
from symbreak_cli.symmetry.molecule import molecule_point_group, symmetrization_displacement
from symbreak_cli.symmetry.symmetrize import spglib_displacement


@dataclass(frozen=True)
class DetectOptions:
    """Options of ``symbreak detect``; tolerances in Å (distances) and degrees (angles)."""

    symprec: float = 1e-3
    angle_tolerance: float = -1.0
    ladder: bool = True
    ladder_min: float = 1e-5
    ladder_max: float = 0.5
    ladder_steps: int = 10
    max_displacement: float = 0.1
    frame: int = 0
    molecule: bool = False
    fmt: str | None = None
    parent: "ParentRequest | None" = None  # --parent / --parent-group / --character-table

    def validate(self) -> None:
        if not (0 < self.symprec < 5):
            raise OptionError(f"--symprec must be in (0, 5) Å, got {self.symprec}")
        if self.ladder:
            if not (0 < self.ladder_min < self.ladder_max < 5):
                raise OptionError(f"ladder tolerances must satisfy 0 < --ladder-min < --ladder-max < 5 Å, got {self.ladder_min}, {self.ladder_max}")
            if not (6 <= self.ladder_steps <= 100):
                raise OptionError(f"--ladder-steps must be between 6 and 100, got {self.ladder_steps}")
        if not (0 <= self.max_displacement < 5):
            raise OptionError(f"--max-displacement must be in [0, 5) Å, got {self.max_displacement}")
        if self.angle_tolerance != -1.0 and not (0 < self.angle_tolerance < 45):
            raise OptionError(f"--angle-tol must be in (0, 45) degrees or -1, got {self.angle_tolerance}")

    @property
    def tolerances(self) -> np.ndarray:
        return np.geomspace(self.ladder_min, self.ladder_max, self.ladder_steps)


# ----------------------------------------------------------------------------------------
# crystals
# ----------------------------------------------------------------------------------------
def spglib_dataset(cell: Cell, symprec: float, angle_tolerance: float = -1.0):
    """spglib's dataset, or a :class:`SymmetryError` saying why there is none."""
    import spglib
    import spglib.error

    spglib.error.OLD_ERROR_HANDLING = False  # exceptions, not None + a deprecation warning
    try:
        ds = spglib.get_symmetry_dataset(cell.spglib_cell, symprec=symprec, angle_tolerance=angle_tolerance)
    except Exception as err:  # spglib >= 2.5 may raise instead of returning None
        raise SymmetryError(f"spglib found no space group at symprec={symprec:g} Å: {err}", path=cell.source) from None
    if ds is None:
        raise SymmetryError(f"spglib found no space group at symprec={symprec:g} Å: {spglib.get_error_message()}", path=cell.source)
    return ds


def _lattice_parameters(lattice: np.ndarray) -> LatticeParameters:
    a, b, c = (float(np.linalg.norm(v)) for v in lattice)

    def ang(u, v):
        return float(np.degrees(np.arccos(np.clip(np.dot(u, v) / np.linalg.norm(u) / np.linalg.norm(v), -1, 1))))

    return LatticeParameters(a_A=a, b_A=b, c_A=c, alpha_deg=ang(lattice[1], lattice[2]), beta_deg=ang(lattice[0], lattice[2]),
                             gamma_deg=ang(lattice[0], lattice[1]), volume_A3=float(abs(np.linalg.det(lattice))))


def crystal_symmetry(cell: Cell, symprec: float, angle_tolerance: float = -1.0) -> CrystalSymmetry:
    """Space group, point group, Wyckoff orbits and operations of a crystal (spglib)."""
    import spglib

    ds = spglib_dataset(cell, symprec, angle_tolerance)
    sgt = spglib.get_spacegroup_type(ds.hall_number)
    det_p = abs(float(np.linalg.det(ds.transformation_matrix)))
    orbits = []
    for rep in dict.fromkeys(int(i) for i in ds.equivalent_atoms):
        members = [int(i) for i in np.nonzero(ds.equivalent_atoms == rep)[0]]
        orbits.append(WyckoffOrbit(
            element=cell.symbols[rep], wyckoff=ds.wyckoffs[rep], multiplicity=int(round(len(members) / det_p)),
            site_symmetry=ds.site_symmetry_symbols[rep].strip(), atoms=[m + 1 for m in members],
            representative=[round(float(x), 6) for x in cell.fractional[rep]],
        ))
    ops = [Operation(seitz=seitz_symbol(R, t), rotation=R.astype(float).tolist(), translation=[round(float(x), 9) for x in t])
           for R, t in zip(ds.rotations, ds.translations)]
    pg = ds.pointgroup
    pg_schoenflies, pg_order = point_group_names(pg)
    return CrystalSymmetry(
        space_group_number=int(ds.number), hm_short=ds.international, hm_full=sgt.international_full,
        hall=ds.hall, hall_number=int(ds.hall_number), schoenflies=sgt.schoenflies,
        point_group_hm=pg, point_group_schoenflies=pg_schoenflies,
        point_group_order=pg_order, crystal_system=crystal_system(ds.number),
        bravais=bravais_symbol(ds.number, ds.international),
        pearson=pearson_symbol(ds.number, ds.international, len(ds.std_types)),
        lattice=_lattice_parameters(cell.lattice), n_operations=len(ds.rotations), operations=ops, wyckoff=orbits,
        symprec_A=symprec, angle_tolerance_deg=angle_tolerance,
    )


def crystal_ladder(cell: Cell, opts: DetectOptions) -> list[LadderStep]:
    """The space group at each ladder tolerance, with the displacement to reach it."""
    steps: list[LadderStep] = []
    displacement_cache: dict[tuple[int, int], float] = {}
    for tol in opts.tolerances:
        try:
            ds = spglib_dataset(cell, float(tol), opts.angle_tolerance)
        except SymmetryError:
            continue
        key = (int(ds.number), len(ds.rotations))
        if key not in displacement_cache:
            displacement_cache[key] = spglib_displacement(cell.fractional, cell.lattice, ds)
        steps.append(LadderStep(tolerance_A=float(tol), group=ds.international, number=int(ds.number),
                                point_group_order=point_group_names(ds.pointgroup)[1], n_operations=len(ds.rotations),
                                max_displacement_A=round(displacement_cache[key], 6)))
    return steps


# ----------------------------------------------------------------------------------------
# molecules
# ----------------------------------------------------------------------------------------
def molecule_tolerance(symprec: float) -> float:
    """Distance tolerance for molecules: symprec, but at least 0.01 Å (xyz files carry few digits)."""
    return max(symprec, 0.01)


def molecule_symmetry(cell: Cell, tolerance: float) -> MoleculeSymmetry:
    """Point group of a molecule and its operations as Cartesian matrices (about the centroid)."""
    if cell.n_atoms == 1:
        return MoleculeSymmetry(point_group_schoenflies="Kh", point_group_hm=None, order=None, linear=False,
                                n_operations=1, operations=[Operation(seitz="E", rotation=np.eye(3).tolist())], tolerance_A=tolerance)
    g = molecule_point_group(cell.positions, cell.numbers, tolerance)
    from symbreak_cli.groups._operations import classify

    ops = [Operation(seitz=classify(R, tol=1e-4).seitz, rotation=np.round(R, 12).tolist()) for R in g.operations]
    return MoleculeSymmetry(point_group_schoenflies=g.schoenflies, point_group_hm=g.hm,
                            order=g.order, linear=g.linear, n_operations=len(ops), operations=ops, tolerance_A=tolerance)


def molecule_ladder(cell: Cell, opts: DetectOptions) -> list[LadderStep]:
    """The point group at each ladder tolerance, with the displacement to reach it.

    A tolerance so large that no finite group fits is left out of the ladder.
    """
    steps: list[LadderStep] = []
    if cell.n_atoms < 2:
        return steps
    cache: dict[tuple[str, int], float] = {}
    for tol in opts.tolerances:
        try:
            g = molecule_point_group(cell.positions, cell.numbers, float(tol))
        except SymmetryError:
            continue
        key = (g.schoenflies, len(g.operations))
        if key not in cache:
            cache[key] = symmetrization_displacement(cell.positions, cell.numbers, g)
        steps.append(LadderStep(tolerance_A=float(tol), group=g.schoenflies, number=None, point_group_order=g.order,
                                n_operations=len(g.operations), max_displacement_A=round(cache[key], 6)))
    return steps


# ----------------------------------------------------------------------------------------
# one structure, many files
# ----------------------------------------------------------------------------------------
def _group_key(step: LadderStep) -> tuple[int, int]:
    order = step.point_group_order if step.point_group_order is not None else 10**6  # continuous groups rank highest
    return (order, step.n_operations)


def approximate_symmetry(ladder: list[LadderStep], max_displacement: float) -> LadderStep | None:
    """Highest group of the ladder reachable by moving no atom more than ``max_displacement`` Å."""
    ok = [s for s in ladder if s.max_displacement_A is not None and s.max_displacement_A <= max_displacement]
    if not ok:
        return None
    best = max(_group_key(s) for s in ok)
    return next(s for s in ok if _group_key(s) == best)


def analyse_cell(cell: Cell, opts: DetectOptions) -> StructureResult:
    """Everything ``detect`` reports about one structure."""
    if cell.periodic:
        sym = crystal_symmetry(cell, opts.symprec, opts.angle_tolerance)
        ladder = crystal_ladder(cell, opts) if opts.ladder else []
        kw = {"crystal": sym}
    else:
        sym = molecule_symmetry(cell, molecule_tolerance(opts.symprec))
        ladder = molecule_ladder(cell, opts) if opts.ladder else []
        kw = {"molecule": sym}
    if opts.parent is not None:
        from symbreak_cli.symmetry.parent import analyse_against_parent

        kw.update(analyse_against_parent(cell, opts.parent, opts.symprec, opts.angle_tolerance))
    return StructureResult(path=cell.source, label=cell.label, formula=cell.formula, n_atoms=cell.n_atoms,
                           periodic=cell.periodic, ladder=ladder, approximate=approximate_symmetry(ladder, opts.max_displacement), **kw)


def analyse_path(path: str, opts: DetectOptions) -> list[StructureResult]:
    """Read a file and analyse every structure in it; errors become entries, not exceptions."""
    from symbreak_cli.io.structures import read_structures

    try:
        cells = read_structures(path, fmt=opts.fmt, frame=opts.frame, molecule=opts.molecule)
        return [analyse_cell(c, opts) for c in cells]
    except SymbreakError as err:  # e.g. the parent analysis: name the child file in its message
        return [StructureResult(path=path, error=str(err) if path in str(err) else f"{path}: {err}")]


def _analyse_many(paths: list[str], opts: DetectOptions) -> list[list[StructureResult]]:
    return [analyse_path(p, opts) for p in paths]


def detect_files(paths: list[str], opts: DetectOptions, jobs: int = 1,
                 progress: Callable[[int, int], None] | None = None, command: str | None = None) -> DetectReport:
    """Analyse files (directories expand to their structure files) into one report.

    With ``jobs > 1`` the files are spread over a process pool in chunks; results keep
    the input order. A file that fails gets its error in its entry; the others succeed.
    ``progress(done, total)`` is called as files finish.
    """
    from symbreak_cli.io.files import sha256_file
    from symbreak_cli.io.structures import expand_inputs
    from symbreak_cli.results.base import InputFile, Inputs, make_provenance

    opts.validate()
    if not (1 <= jobs <= 512):
        raise OptionError(f"--jobs must be between 1 and 512, got {jobs}")
    if not paths:
        raise OptionError("no structure files given")
    files = expand_inputs(paths)
    if files.count("-") > 1:
        raise OptionError("'-' (stdin) can be given only once")
    results: list[StructureResult] = []
    if jobs == 1 or len(files) < 2:
        for i, p in enumerate(files):
            results.extend(analyse_path(p, opts))
            if progress is not None:
                progress(i + 1, len(files))
    else:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        import ase.io  # noqa: F401  imported once here, so forked workers don't each pay ~0.7 s
        import spglib  # noqa: F401

        n_chunks = min(len(files), jobs * 8)
        chunks = [files[i::n_chunks] for i in range(n_chunks)]  # interleaved: balances slow files
        by_path: dict[int, list[StructureResult]] = {}
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(_analyse_many, chunk, opts): c for c, chunk in enumerate(chunks)}
            for fut in as_completed(futures):
                c = futures[fut]
                for k, res in enumerate(fut.result()):
                    by_path[c + k * n_chunks] = res
                if progress is not None:
                    progress(len(by_path), len(files))
        for i in range(len(files)):
            results.extend(by_path[i])
    hashes = []
    for p in files:
        try:
            h = sha256_file(p) if p != "-" else None
        except OSError:
            h = None
        hashes.append(InputFile(path=p, sha256=h))
    options = {k: getattr(opts, k) for k in opts.__dataclass_fields__ if k != "parent"}
    options["jobs"] = jobs
    if opts.parent is not None:
        options.update(opts.parent.report_options())
        if opts.parent.parent_path not in (None, "-"):
            hashes.append(InputFile(path=opts.parent.parent_path, sha256=sha256_file(opts.parent.parent_path)))
    return DetectReport(inputs=Inputs(files=hashes, options=_rename_units(options)), provenance=make_provenance(command), results=results)


def _rename_units(options: dict) -> dict:
    units = {"symprec": "symprec_A", "angle_tolerance": "angle_tolerance_deg", "ladder_min": "ladder_min_A",
             "ladder_max": "ladder_max_A", "max_displacement": "max_displacement_A"}
    return {units.get(k, k): v for k, v in options.items()}


__all__ = ["DetectOptions", "detect_files", "analyse_cell", "analyse_path", "crystal_symmetry", "molecule_symmetry"]
