r"""Symmetry operations of a CIF block: file-declared, magnetic (with centerings), superspace
(first three components), or from the Hall symbol, H-M symbol or number.

>>> import gemmi
>>> block = gemmi.cif.read_string("data_x\n_symmetry_space_group_name_H-M 'F m 3 m'\n")[0]
>>> ops, origin = block_operations(block, "x.cif", [4, 4, 4, 90, 90, 90])
>>> len(ops), origin
(192, "H-M symbol 'F m 3 m'")
"""

from __future__ import annotations

import re

import numpy as np

from symbreak_cli.errors import InputError

_MAGN_OPS = ("_space_group_symop_magn_operation.xyz", "_space_group_symop.magn_operation_xyz",
             "_space_group_symop_magn_operation_xyz")
#: superspace (incommensurate) operations: their first three components act on the basic structure
_SSG_OPS = ("_space_group_symop.magn_ssg_operation_algebraic", "_space_group_symop_magn_ssg_operation.algebraic")
_SSG_CENTRING = ("_space_group_symop.magn_ssg_centering_algebraic", "_space_group_symop_magn_ssg_centering.algebraic")
_MAGN_CENTRING = ("_space_group_symop_magn_centering.xyz", "_space_group_symop.magn_centering_xyz",
                  "_space_group_symop_magn_centering_xyz")
_OPS = ("_space_group_symop_operation_xyz", "_space_group_symop.operation_xyz", "_symmetry_equiv_pos_as_xyz",
        "_symmetry_equiv.pos_as_xyz")
_HALL = ("_space_group_name_Hall", "_space_group.name_Hall", "_symmetry_space_group_name_Hall")
_HM = ("_space_group_name_H-M_alt", "_space_group.name_H-M_alt", "_symmetry_space_group_name_H-M",
       "_space_group_name_H-M", "_space_group_magn.parent_space_group.name_H-M")
_NUMBER = ("_space_group_IT_number", "_space_group.IT_number", "_symmetry_Int_Tables_number")


class UnknownSymbol(Exception):
    """gemmi cannot name this space-group symbol; pymatgen may."""


def value(block, tags) -> str | None:
    """The first of ``tags`` that has a value, unquoted (None when absent, '?' or '.')."""
    import gemmi

    for tag in tags:
        v = block.find_value(tag)
        if v is not None and v not in ("?", "."):
            return gemmi.cif.as_string(v)
    return None


def column(block, tags) -> list[str]:
    import gemmi

    for tag in tags:
        col = block.find_values(tag)
        if len(col):
            return [gemmi.cif.as_string(v) for v in col]
    return []


def raw_column(block, tags) -> list:
    """The values of the first of ``tags`` present, as written (quotes, "." and "?" kept)."""
    for tag in tags:
        col = block.find_values(tag)
        if len(col):
            return list(col)
    return []


def _parse_ops(strings: list[str], source: str) -> list[tuple[np.ndarray, np.ndarray]]:
    import gemmi

    ops = []
    for s in strings:
        xyz = ",".join(s.replace(" ", "").split(",")[:3])  # a magnetic op's 4th term is time reversal
        try:
            op = gemmi.Op(xyz)
        except Exception:
            raise InputError(f"symmetry operation {s!r} cannot be read", path=source) from None
        ops.append((np.array(op.rot, float) / op.DEN, np.array(op.tran, float) / op.DEN))
    return ops


def _ops_from_group(sg) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(np.array(op.rot, float) / op.DEN, np.array(op.tran, float) / op.DEN) for op in sg.operations()]


def block_operations(block, source: str, lattice_pars) -> tuple[list, str]:
    """The block's operations as (rotation, translation) pairs on fractional coordinates, and their origin."""
    import gemmi

    magn = column(block, _MAGN_OPS)
    centring = column(block, _MAGN_CENTRING)
    if not magn:  # an incommensurate structure: x1, x2, x3 of its superspace operations are x, y, z
        ssg = str.maketrans({"1": "x", "2": "y", "3": "z"})

        def basic(op: str) -> str:
            return ",".join(re.sub(r"x([123])", lambda m: m.group(1).translate(ssg), t)
                            for t in op.replace(" ", "").split(",")[:3])

        magn = [basic(op) for op in column(block, _SSG_OPS)]
        centring = [basic(op) for op in column(block, _SSG_CENTRING)]
    if magn:
        centring = centring or ["x,y,z"]
        ops = []
        for rc, tc in _parse_ops(centring, source):
            for r, t in _parse_ops(magn, source):
                ops.append((rc @ r, rc @ t + tc))
        return ops, "magnetic operations"
    declared = column(block, _OPS)
    if declared:
        return _parse_ops(declared, source), "file operations"
    hall = value(block, _HALL)
    if hall:
        try:
            return _ops_from_group(gemmi.symops_from_hall(hall.strip())), f"Hall symbol {hall.strip()!r}"
        except Exception:
            pass
    hm = value(block, _HM)
    if hm:
        _, _, _, alpha, _, gamma = lattice_pars
        sg = gemmi.find_spacegroup_by_name(hm.strip(), alpha=alpha, gamma=gamma)
        if sg is None:
            raise UnknownSymbol(f"space group {hm.strip()!r} is not a recognised symbol")
        return _ops_from_group(sg), f"H-M symbol {hm.strip()!r}"
    number = value(block, _NUMBER)
    if number:
        try:
            sg = gemmi.find_spacegroup_by_number(int(float(number)))
        except Exception:
            raise InputError(f"space-group number {number!r} is not 1–230", path=source) from None
        return _ops_from_group(sg), f"space-group number {number}"
    return [(np.eye(3), np.zeros(3))], "none (read as P1)"
