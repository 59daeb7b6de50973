"""The on-disk array cache (symbreak_cli.io.cache) and its use for spgrep's irreps: a hit
gives exactly what a fresh computation gives, and the cache never fails or changes a run —
off, unwritable, or holding a damaged entry.
"""

from __future__ import annotations

import numpy as np
import pytest

from symbreak_cli.io import cache


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SYMBREAK_CACHE_DIR", str(tmp_path / "c"))
    return tmp_path / "c"


def test_round_trip_and_keys(cache_dir):
    k = cache.cache_key("t/1", b"a", b"b")
    assert k != cache.cache_key("t/1", b"ab") != cache.cache_key("t/2", b"a", b"b")  # parts cannot run together
    assert cache.load_arrays("t", k) is None
    cache.store_arrays("t", k, {"x": np.arange(4.0), "z": np.array([1j, 2])})
    got = cache.load_arrays("t", k)
    assert got["x"].tolist() == [0, 1, 2, 3] and got["z"].dtype == complex
    assert [p.name for p in (cache_dir / "t").iterdir()] == [f"{k}.npz"]  # no temporary file left


@pytest.mark.parametrize("value", ["off", "0", "", "none"])
def test_off_writes_nothing(tmp_path, monkeypatch, value):
    monkeypatch.setenv("SYMBREAK_CACHE_DIR", value)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() is None
    cache.store_arrays("t", "k", {"x": np.zeros(1)})
    assert cache.load_arrays("t", "k") is None and not any(tmp_path.iterdir())


def test_default_location_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("SYMBREAK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "symbreak"


def test_unwritable_directory_is_ignored(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("SYMBREAK_CACHE_DIR", str(blocker / "c"))
    cache.store_arrays("t", "k", {"x": np.zeros(1)})  # no error
    assert cache.load_arrays("t", "k") is None


@pytest.mark.parametrize("damage", [b"", b"PK\x03\x04 truncated", b"\x93NUMPY not an npz"])
def test_damaged_entry_reads_as_absent(cache_dir, damage):
    k = cache.cache_key("t/1", b"x")
    cache.store_arrays("t", k, {"x": np.ones(3)})
    (cache_dir / "t" / f"{k}.npz").write_bytes(damage)
    assert cache.load_arrays("t", k) is None


def _modes(parent, child):
    from symbreak_cli.symmetry import irreps
    from symbreak_cli.symmetry._induced import _small_irreps
    from symbreak_cli.symmetry.modes import decompose

    irreps._MODE_SETS.clear()  # the in-memory caches too: only the disk may remember
    _small_irreps.cache_clear()
    d = decompose(parent, child, origin="Ti")
    return {(m.label, tuple(np.round(m.kpoint, 6))): m.amplitude_parent for m in d.irreps}, d


def test_decomposition_is_the_same_from_the_cache(cache_dir, monkeypatch):
    from tests.symmetry.test_modes import cato3, cubic_cato3

    child = cato3()
    parent = cubic_cato3(child)
    monkeypatch.setenv("SYMBREAK_CACHE_DIR", "off")
    fresh, d0 = _modes(parent, child)
    monkeypatch.setenv("SYMBREAK_CACHE_DIR", str(cache_dir))
    first, _ = _modes(parent, child)  # computed, then written
    assert len(list((cache_dir / "irreps").iterdir())) >= 4  # Γ, X, M, R of the √2×√2×2 cell at least
    assert len(list((cache_dir / "modes").iterdir())) == 1  # one mode basis: this parent, this supercell
    again, d1 = _modes(parent, child)  # read back
    assert fresh == first == again
    for a, b in zip(d0.irreps, d1.irreps):
        np.testing.assert_array_equal(a.modes, b.modes)
        np.testing.assert_array_equal(a.mode_amplitudes, b.mode_amplitudes)
    files = sorted(cache_dir.rglob("*.npz"))
    for f in files:  # every entry damaged: recomputed, the same again
        f.write_bytes(b"damaged")
    damaged, _ = _modes(parent, child)
    assert damaged == fresh


def test_mode_basis_is_read_not_rebuilt(cache_dir, monkeypatch):
    from symbreak_cli.symmetry import irreps
    from tests.symmetry.test_modes import cato3, cubic_cato3

    child = cato3()
    parent = cubic_cato3(child)
    fresh, d0 = _modes(parent, child)

    def rebuilt(sc):
        raise AssertionError("the mode basis was rebuilt although it is on disk")

    monkeypatch.setattr(irreps, "_blocks", rebuilt)
    again, d1 = _modes(parent, child)
    assert again == fresh
    assert [b.label for b in d0.modeset.blocks] == [b.label for b in d1.modeset.blocks]
    # other code computing the basis (its sources hashed into the key) does not read the entry
    monkeypatch.setattr(irreps, "_mode_set_sources", lambda: (__file__,))
    with pytest.raises(AssertionError, match="rebuilt"):
        _modes(parent, child)


def test_mode_basis_of_the_wrong_shape_is_rebuilt(cache_dir):
    from symbreak_cli.symmetry import irreps
    from tests.symmetry.test_modes import cato3, cubic_cato3

    child = cato3()
    parent = cubic_cato3(child)
    fresh, d = _modes(parent, child)
    sc = d.modeset.group
    (entry,) = (cache_dir / "modes").iterdir()
    with np.load(entry) as z:
        arrays = dict(z)
    arrays["vectors"] = arrays["vectors"][:-3]  # one atom's modes short: the 3n displacements not filled
    cache.store_arrays("modes", entry.stem, arrays, compress=True)
    assert not irreps._valid_blocks(arrays, sc)
    again, _ = _modes(parent, child)
    assert again == fresh
    with np.load(entry) as z:  # and written again, whole
        assert irreps._valid_blocks(dict(z), sc)

