"""The pieces of :func:`symbreak_cli.symmetry.breaking.break_structure` and
:func:`~symbreak_cli.symmetry.breaking.break_along_irrep`: what a broken structure is
(:class:`Breaking`, its domains and their re-detection), how a molecule or a crystal
parent is set up for G → H, how a zone-boundary target finds its irrep, and the checks
on amplitude, strain and direction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from symbreak_cli.groups._arrays import unique
from symbreak_cli.errors import OptionError, SymmetryError
from symbreak_cli.groups import PointGroup, match_indices
from symbreak_cli.io.cell import Cell
from symbreak_cli.symmetry._domains import PatternDomain, SiteAction, crystal_action, domains_of, molecule_action, subgroup_classes
from symbreak_cli.symmetry._patterns import strain_pattern
from symbreak_cli.symmetry.tolerances import DEFAULT_SYMPREC_A

if TYPE_CHECKING:
    from symbreak_cli.symmetry.breaking import BreakingObject

#: largest --strain accepted (dimensionless Frobenius norm): beyond it no "small" distortion
MAX_STRAIN = 0.1


@dataclass(frozen=True)
class DomainCheck:
    """A domain re-detected: ``found`` its group (Schoenflies, or HM of a space group with
    ``number``); ``same_operations``: the operations found are the domain's own (g H g⁻¹, its
    orientation); ``ok``: the expected group in that orientation.
    """

    found: str
    number: int | None
    same_operations: bool
    ok: bool


@dataclass(frozen=True, eq=False)
class BrokenDomain:
    domain: PatternDomain
    cell: Cell
    check: DomainCheck
    max_displacement: float


@dataclass(frozen=True, eq=False)
class Breaking:
    """G → H applied to a structure.

    ``action`` the parent's operations on its atoms; ``object`` the minimal breaking object;
    ``pattern_irreps`` the irreps of G the displacements transform as; ``amplitude`` Å
    (‖u‖ over the given cell), ``strain`` (Frobenius norm, dimensionless); ``n_classes`` how
    many conjugacy classes of subgroups of H's type G has (the first was used);
    ``n_domains`` all domains, ``domains`` those built (the first ``max_domains``).
    """

    parent: Cell
    kind: Literal["molecule", "crystal"]
    action: SiteAction
    G: PointGroup
    H: PointGroup
    parent_name: str
    target_name: str
    target_number: int | None
    object: BreakingObject | None  # None when H keeps all of G's rotations (only translations lost)
    pattern_irreps: tuple[str, ...]
    amplitude: float
    strain: float
    n_classes: int
    n_domains: int
    domains: tuple[BrokenDomain, ...]
    symprec: float
    irrep: IrrepRequest | None = None


@dataclass(frozen=True, eq=False)
class IrrepRequest:
    """A breaking along one space-group irrep: ``label``, ``direction`` η (in the irrep's
    space), ``supercell`` N (child rows = N · parent rows, parent = the standardised
    primitive cell), ``origin`` (which atom sits at the origin: labels depend on it) and the
    isotropy subgroup ``isotropy`` 'HM (number)'.
    """

    label: str
    direction: np.ndarray
    supercell: np.ndarray
    origin: str
    isotropy: str


def molecule_setup(cell: Cell, to: str, symprec: float):
    """(action, G, H, G's name, H's name, None, classes of H in G, each atom's position about the centre)."""
    from symbreak_cli.groups import canonical_name
    from symbreak_cli.symmetry.detect import molecule_symmetry, molecule_tolerance, own_point_group

    sym = molecule_symmetry(cell, molecule_tolerance(symprec))
    G = own_point_group(cell, sym)
    try:
        name = canonical_name(to)
        PointGroup.named(name)
    except SymmetryError:
        raise OptionError(f"--to {to!r}: not a point group (a molecule breaks to a point group such as C4v or 4mm)") from None
    classes = subgroup_classes(G, name)
    if not classes:
        raise SymmetryError(f"{name} is not a subgroup of {G.schoenflies}: {G.schoenflies} cannot break to it", path=cell.source)
    H = PointGroup.from_matrices(G.matrices[list(classes[0])], tol=G.tol)
    action = molecule_action(cell.positions, cell.numbers, G, sym.centre, tol=molecule_tolerance(symprec))
    bonds = [np.asarray(x - sym.centre, float)[None] for x in cell.positions]
    return action, G, H, G.schoenflies, H.schoenflies, None, len(classes), bonds


def _gamma_type(sym, ops: np.ndarray, lattice: np.ndarray, symprec: float) -> int:
    """Space-group number of the parent operations ``ops`` (a k = 0 isotropy subgroup)."""
    import spglib

    t = spglib.get_spacegroup_type_from_symmetry(sym.rotations[ops], sym.translations[ops], lattice, symprec)
    return int(t.number)


def _neighbour_bonds(cell: Cell, slack: float = 1.1) -> list[np.ndarray]:
    """Each atom's bond vectors (Å) to its nearest-neighbour shell (periodic images included)."""
    X = np.asarray(cell.positions, float)
    shifts = np.array([np.array(s) - 1 for s in np.ndindex(3, 3, 3)], float) @ cell.lattice
    out = []
    for x in X:
        R = (X[None, :, :] + shifts[:, None, :] - x).reshape(-1, 3)
        d = np.linalg.norm(R, axis=1)
        R, d = R[d > 1e-6], d[d > 1e-6]
        out.append(R[d <= d.min() * slack])
    return out


class NeedsSupercell(SymmetryError):
    """The target keeps fewer translations than the parent: no k = 0 breaking reaches it."""

    def __init__(self, message: str, *, path: str | None = None, number: int = 0):
        super().__init__(message, path=path)
        self.number = number


def _directions(d: int) -> list[np.ndarray]:
    """Simple order-parameter directions of a d-dimensional irrep, most symmetric first:
    (a,0,…), (a,a,0,…), (a,…,a), (0,…,a), (a,−a,0,…).
    """
    e = np.eye(d)
    cands = [e[0]] + ([e[0] + e[1], np.ones(d), e[-1], e[0] - e[1]] if d > 1 else [])
    out: list[np.ndarray] = []
    for c in cands:
        if not any(np.array_equal(c, o) for o in out):
            out.append(c)
    return out


def find_irrep(cell: Cell, number: int, symprec: float = DEFAULT_SYMPREC_A,
               origin: str | None = None) -> tuple[str, np.ndarray] | None:
    """The zone-boundary irrep and simple direction (:func:`_directions`) whose isotropy
    subgroup is space group ``number`` with the fewest domains (the smallest index
    [G : H], translations included: a⁰a⁰c⁻ I4/mcm from one R-point irrep before a double-k
    M-point I4/mcm); ties go to the special point and irrep listed first. None when none is.
    """
    from symbreak_cli.symmetry._labels import special_points
    from symbreak_cli.symmetry._supercell import standard_parent, supercell_for, symmetric_form
    from symbreak_cli.symmetry.detect import spglib_dataset
    from symbreak_cli.symmetry.irreps import displacement_modes

    P = standard_parent(cell, symprec, origin)
    Rk = symmetric_form(P.rotations)
    mode_sets: dict[bytes, object] = {}
    best: tuple[float, str, np.ndarray] | None = None
    for letter, k in special_points(P.number, P.hm).items():
        if letter == "GM":
            continue
        N = supercell_for(unique(np.round((Rk @ k) % 1.0, 8), axis=0))
        ms = mode_sets.get(N.tobytes()) or mode_sets.setdefault(N.tobytes(), displacement_modes(
            cell, N, symprec=symprec, origin=origin))
        base = ms.cell
        for block in (b for b in ms.blocks if b.label.startswith(letter)):
            for eta in _directions(block.irrep_dimension):
                u = block.displacement(eta)
                u *= 0.05 / np.abs(u).max()
                ds = spglib_dataset(Cell(base.lattice, base.positions + u, base.numbers, base.symbols, True), symprec)
                index = ms.group.order / len(ds.rotations)
                if int(ds.number) == number and (best is None or index < best[0]):
                    best = (index, block.label, eta)
    return None if best is None else (best[1], best[2])


def crystal_setup(cell: Cell, to: str, symprec: float):
    """The crystal at k = 0: the subgroup class of H's point group whose isotropy subgroup has the
    asked space-group type (NeedsSupercell when none has), with each atom's nearest-neighbour bonds.
    """
    from symbreak_cli.symmetry.detect import crystal_symmetry
    from symbreak_cli.symmetry.parent import is_space_subgroup, parent_group_by_name

    sym = crystal_symmetry(cell, symprec)
    try:
        pg, hm, number = parent_group_by_name(to)
    except OptionError:
        raise OptionError(f"--to {to!r}: not a space group (P4mm, 99) or point group (4mm, C4v)") from None
    parent = f"{sym.hm_short} ({sym.number})"
    if number is not None and not is_space_subgroup(number, sym.number):
        raise SymmetryError(f"{hm} ({number}) is not a subgroup of {parent}", path=cell.source)
    action = crystal_action(cell.lattice, cell.fractional, cell.numbers, sym.rotations, sym.translations, sym.seitz,
                            tol=max(10 * symprec, 1e-3))
    G = action.group
    classes = subgroup_classes(G, pg.schoenflies)
    if not classes:
        raise SymmetryError(f"point group {pg.schoenflies} is not a subgroup of {G.schoenflies}: {parent} cannot break to "
                            f"{to}", path=cell.source)
    found = []
    for K in classes:
        H = PointGroup.from_matrices(G.matrices[list(K)], tol=G.tol)
        n = _gamma_type(sym, action.ops_of(H), cell.lattice, symprec)
        if number is None or n == number:
            found.append((H, n))
    if not found:
        raise NeedsSupercell(f"{hm} ({number}) is a subgroup of {parent} only with a larger cell (k ≠ 0), and no "
                             "single zone-boundary irrep along a simple direction gives it: break along an irrep with "
                             "--irrep LABEL --direction a,b,c", path=cell.source, number=number)
    H, n = found[0]
    import spglib

    name = spglib.get_spacegroup_type(_hall_of(n)).international_short
    return action, G, H, parent, f"{name} ({n})", n, len(classes), _neighbour_bonds(cell)


def _hall_of(number: int) -> int:
    """The first Hall number of a space-group type (its standard setting)."""
    import spglib

    return next(h for h in range(1, 531) if spglib.get_spacegroup_type(h).number == number)


def strain_keepers(action: SiteAction, E: np.ndarray) -> np.ndarray:
    """Rotations of G (indices) that leave the strain E invariant."""
    R = action.group.matrices
    return np.flatnonzero(np.abs(np.einsum("gij,jk,glk->gil", R, E, R) - E).max(axis=(1, 2)) <= 1e-9 + 1e-6 * np.abs(E).max())


def _displaced(cell: Cell, d: PatternDomain, label: str) -> Cell:
    F = np.eye(3) + (d.strain if d.strain is not None else 0.0)
    pos = (np.asarray(cell.positions, float) + d.displacements) @ F.T
    lattice = None if cell.lattice is None else np.asarray(cell.lattice, float) @ F.T
    return Cell(lattice, pos, np.asarray(cell.numbers).copy(), tuple(cell.symbols), cell.periodic,
                source=cell.source, label=label)


def verify_domain(b_kind: str, cell: Cell, d: PatternDomain, action: SiteAction, expected: str, number: int | None,
                  symprec: float) -> DomainCheck:
    """Re-detect a domain's structure (symmetry.detect) and compare with its own group g H g⁻¹."""
    from symbreak_cli.symmetry.detect import molecule_symmetry, molecule_tolerance, spglib_dataset

    if b_kind == "molecule":
        sym = molecule_symmetry(cell, molecule_tolerance(symprec))
        grp = sym.point_group
        same = grp is not None and grp.order == len(d.group) and bool((match_indices(grp.matrices, d.group, grp.tol) >= 0).all())
        return DomainCheck(found=sym.schoenflies, number=None, same_operations=same, ok=same and sym.schoenflies == expected)
    ds = spglib_dataset(cell, symprec)  # the dataset alone: no Seitz names for a 40-atom cell's 64 operations
    L = np.asarray(cell.lattice, float)
    got = np.einsum("ji,njk,lk->nil", L, np.asarray(ds.rotations, float), np.linalg.inv(L))
    want = unique(np.round(action.rotations[d.ops], 8), axis=0)
    same = len(unique(np.round(got, 6), axis=0)) == len(want) and bool((match_indices(got, want, 1e-5) >= 0).all())
    return DomainCheck(found=f"{ds.international} ({ds.number})", number=int(ds.number), same_operations=same,
                       ok=same and int(ds.number) == number)


#: a lost operation must move some atom by this many detection tolerances to be seen as lost
VISIBILITY_FACTOR = 2.0


def check_visible(amplitude: float, per_amplitude: float, kind: str, symprec: float) -> None:
    """OptionError when the lost operations would move the atoms by less than the re-detection
    can see (``per_amplitude``: the smallest such move, Å per Å of amplitude).
    """
    from symbreak_cli.symmetry.detect import molecule_tolerance

    tol = molecule_tolerance(symprec) if kind == "molecule" else symprec
    need = VISIBILITY_FACTOR * tol / max(per_amplitude, 1e-12)
    if amplitude < need:
        raise OptionError(f"--amplitude {amplitude:g} Å is too small to see at the detection tolerance {tol:g} Å (a lost "
                          f"operation would move no atom by more than {amplitude * per_amplitude:.2g} Å); use --amplitude ≥ "
                          f"{need:.2g}" + (" or a smaller --symprec" if kind == "crystal" else ""))


def strain_tensor(G: PointGroup, H: PointGroup, strain: float, periodic: bool) -> np.ndarray | None:
    if not (0 <= strain <= MAX_STRAIN):
        raise OptionError(f"--strain must be between 0 and {MAX_STRAIN} (dimensionless), got {strain}")
    if strain and not periodic:
        raise OptionError("--strain needs a crystal; a molecule has no cell to strain")
    if not strain:
        return None
    E = strain_pattern(G, H)
    if E is None:
        raise OptionError(f"{H.schoenflies} allows no strain that {G.schoenflies} forbids: drop --strain")
    return strain * E


def finish(cell: Cell, kind: str, action: SiteAction, G: PointGroup, H: PointGroup, obj: BreakingObject | None,
            u: np.ndarray, E: np.ndarray | None, max_domains: int | None, symprec: float, **fields) -> Breaking:
    """Every domain of (u, E), built, re-detected and checked against g H g⁻¹."""
    doms = domains_of(action, u, E, obj, H)
    if max_domains is not None and not (1 <= max_domains <= len(doms)):
        raise OptionError(f"--domains {max_domains}: there are {len(doms)} domains")
    built = []
    for d in doms[:max_domains]:
        c = _displaced(cell, d, f"{fields['target_name']} domain {d.index} of {fields['parent_name']} (symbreak break)")
        chk = verify_domain(kind, c, d, action, H.schoenflies, fields["target_number"], symprec)
        if not chk.ok:
            raise SymmetryError(f"domain {d.index} re-detects as {chk.found}, not {fields['target_name']} in its orientation "
                                f"at symprec {symprec:g} Å: raise --amplitude or lower --symprec", path=cell.source)
        built.append(BrokenDomain(domain=d, cell=c, check=chk,
                                  max_displacement=float(np.linalg.norm(d.displacements, axis=1).max())))
    return Breaking(parent=cell, kind=kind, action=action, G=G, H=H, object=obj, n_domains=len(doms),
                    domains=tuple(built), symprec=float(symprec), **fields)


def parse_direction(text: str) -> np.ndarray:
    """An order-parameter direction: numbers, or letters for free parameters ('a,0,0',
    'a,a,0', '0,0,-a', 'a,b,0'); distinct letters get distinct generic values.

    >>> parse_direction("a,a,0").tolist(), parse_direction("0,0,-a").tolist(), parse_direction("1,0.5,0").tolist()
    ([1.0, 1.0, 0.0], [0.0, 0.0, -1.0], [1.0, 0.5, 0.0])
    """
    import re

    generic: dict[str, float] = {}
    out = []
    for part in [p.strip() for p in text.replace("(", "").replace(")", "").split(",")]:
        m = re.fullmatch(r"([+-]?)([a-z])", part)
        if m:
            value = generic.setdefault(m.group(2), (1.0, 0.618034, 0.414214, 0.267949, 0.176327, 0.111)[len(generic) % 6])
            out.append(-value if m.group(1) == "-" else value)
            continue
        try:
            out.append(float(part))
        except ValueError:
            raise OptionError(f"--direction {text!r}: each component is a number or a letter (a, -a, b, 0)") from None
    v = np.array(out, float)
    if not len(v) or not np.isfinite(v).all() or not np.any(v):
        raise OptionError(f"--direction {text!r}: give at least one non-zero component")
    return v


def irrep_distortion(cell: Cell, label: str, eta: np.ndarray | None, amplitude: float, symprec: float,
                      origin: str | None):
    """:func:`symbreak_cli.symmetry.irreps.distortion`, with (a, 0, …) when no direction is given
    and the errors said in the user's terms.
    """
    from symbreak_cli.symmetry.irreps import distortion

    try:
        return distortion(cell, label, eta if eta is not None else [1.0], amplitude, symprec=symprec, origin=origin)
    except (SymmetryError, OptionError) as err:
        msg = err.message
        if eta is None and "direction for" in msg:  # no direction given: (a, 0, …) in the irrep's dimension
            dim = int(msg.split("needs ")[1].split()[0])
            return distortion(cell, label, np.eye(dim)[0], amplitude, symprec=symprec, origin=origin)
        if "direction for" in msg:
            raise OptionError(f"--direction: {msg}", path=cell.source) from None
        if "no irrep" in msg and origin is None:
            msg += "; labels depend on the origin: try --origin with the element at the B site (e.g. --origin Ti)"
        raise type(err)(msg, path=cell.source) from None


__all__ = ["Breaking", "BrokenDomain", "DomainCheck", "IrrepRequest", "MAX_STRAIN", "NeedsSupercell", "VISIBILITY_FACTOR",
           "check_visible", "crystal_setup", "find_irrep", "finish", "irrep_distortion", "molecule_setup", "parse_direction",
           "strain_keepers", "strain_tensor", "verify_domain"]
