"""The real (physically irreducible) form of a complex-written irrep of indicator 1
(symmetry.irreps._real_form): spgrep's, from the eigenvectors of an intertwiner split into real
and imaginary parts, fails ("T is not square root of intertwiner") when those eigenvalues are
degenerate — e.g. the 12- and 16-dimensional irreps at k = (¼,¼,0), (¼,¼,¼) of a cubic
perovskite in its 4×4×4 supercell, which made `detect --parent` crash. Ours must be a real
orthogonal representation with the irrep's characters, and give the same modes as spgrep's.
"""

from __future__ import annotations

import numpy as np
import pytest

from symbreak_cli.symmetry import irreps
from symbreak_cli.symmetry.modes import decompose
from tests.symmetry.test_modes import cato3, cubic_cato3


def _complex_written(D: np.ndarray, seed: int) -> np.ndarray:
    """A real irrep D in a random unitary basis: complex entries, still indicator 1."""
    rng = np.random.default_rng(seed)
    d = D.shape[1]
    W, _ = np.linalg.qr(rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d)))
    return np.einsum("ij,gjk,lk->gil", W, D, W.conj())


def _real_irreps_of_the_pbnm_hull():
    from symbreak_cli.symmetry._supercell import invariant_hull, standard_parent
    from symbreak_cli.symmetry.matching import match_child

    child = cato3()
    P = standard_parent(cubic_cato3(child), 1e-3, "Ti")
    ms = irreps.cached_mode_set(P, invariant_hull(match_child(P, child, 1e-3, 0.05).supercell, P.rotations))
    return ms


def test_real_form_is_a_real_orthogonal_representation_with_the_characters():
    ms = _real_irreps_of_the_pbnm_hull()
    table = None
    tested = 0
    for b in ms.blocks:
        if b.irrep_dimension < 2 or "GM" in b.label:
            continue
        F = _complex_written(b.matrices, seed=tested)
        assert np.abs(F.imag).max() > 1e-3  # really complex-written
        D = irreps._real_form(F)
        d = b.irrep_dimension
        assert D.dtype == float and D.shape == F.shape
        assert np.abs(np.einsum("gij,gkj->gik", D, D) - np.eye(d)).max() < 1e-10  # orthogonal
        np.testing.assert_allclose(np.trace(D, axis1=1, axis2=2), np.trace(F, axis1=1, axis2=2).real, atol=1e-10)
        if table is None:  # 8 rows of G/T_s's multiplication table, from the faithful displacement action
            table = _table(ms, 8)
        G = len(D)
        prod = np.einsum("aij,bjk->abik", D[:8], D)  # D(g)D(h) = D(gh) for 8 g and every h
        np.testing.assert_allclose(prod, D[table], atol=1e-9)
        tested += 1
    assert tested >= 3
    assert G == ms.group.order


def _table(ms, rows: int) -> np.ndarray:
    """comp[a, b] = index of g_a g_b for a < rows: elements are (parent operation, permutation)."""
    sc = ms.group
    R = np.rint(sc.parent.rotations).astype(int)
    index = {r.tobytes(): i for i, r in enumerate(R)}
    key = {(int(o), p.tobytes()): i for i, (o, p) in enumerate(zip(sc.op, sc.perms))}
    comp = np.empty((rows, sc.order), int)
    for a in range(rows):
        for b in range(sc.order):
            o = index[(R[sc.op[a]] @ R[sc.op[b]]).tobytes()]
            comp[a, b] = key[(o, sc.perms[a][sc.perms[b]].tobytes())]
    return comp


def test_spgreps_failure_falls_back_to_the_same_modes(monkeypatch, tmp_path):
    """With spgrep's real form made to fail (as it does on degenerate intertwiners), the
    Pbnm decomposition — five complex-written irreps of indicator 1 — gives the same labels
    and amplitudes as with spgrep's."""
    child = cato3()
    parent = cubic_cato3(child)
    monkeypatch.setenv("SYMBREAK_CACHE_DIR", "off")
    irreps._MODE_SETS.clear()
    ref = {r.label: r.amplitude_parent for r in decompose(parent, child, origin="Ti").irreps}
    import spgrep.rep.pir as pir

    calls = []
    real = irreps._real_form

    def failing(F, nu, *args, **kwargs):
        raise AssertionError("T is not square root of intertwiner.")

    monkeypatch.setattr(pir, "get_physically_irrep", failing)
    monkeypatch.setattr(irreps, "_real_form", lambda F: calls.append(F.shape) or real(F))
    irreps._MODE_SETS.clear()
    got = {r.label: r.amplitude_parent for r in decompose(parent, child, origin="Ti").irreps}
    irreps._MODE_SETS.clear()
    assert len(calls) == 5
    assert got.keys() == ref.keys()
    for label in ref:
        assert got[label] == pytest.approx(ref[label], abs=1e-10)


def test_two_parent_atoms_on_one_site_is_a_clear_error():
    """A parent built in code (files are refused by the reader) with two atoms on one site:
    the operations then map two atoms onto one, which is no permutation — an error naming
    the problem, not an index error from an uninitialised inverse."""
    import dataclasses

    from symbreak_cli.errors import SymmetryError
    from symbreak_cli.io.cell import Cell
    from symbreak_cli.symmetry._supercell import build_supercell, standard_parent

    P = standard_parent(cubic_cato3(cato3()), 1e-3, "Ti")
    c = P.cell
    dup = Cell(c.lattice, np.vstack([c.positions, c.positions[:1]]), np.append(c.numbers, 27), c.symbols + ("Co",),
               True, source="doubled")
    with pytest.raises(SymmetryError, match="two of its atoms sit on one site"):
        build_supercell(dataclasses.replace(P, cell=dup), 2 * np.eye(3, dtype=int))


def test_a_cell_spglib_refuses_is_a_symmetry_error():
    """Two atoms 0.0005 Å apart (closer than symprec) in a cell built in code (the readers
    refuse such files first): spglib raises its own error; decompose says it as a
    SymmetryError naming the structure, before it compares compositions."""
    from symbreak_cli.errors import SymmetryError
    from symbreak_cli.io.cell import Cell

    child = cato3()
    parent = cubic_cato3(child)
    crowded = Cell(parent.lattice, np.vstack([parent.positions, parent.positions[:1] + 0.0005]),
                   np.append(parent.numbers, parent.numbers[0]), parent.symbols + parent.symbols[:1], True, source="crowded")
    with pytest.raises(SymmetryError, match="spglib could not standardise the parent: .*too close") as err:
        decompose(crowded, child, origin="Ti")
    assert err.value.path == "crowded"
