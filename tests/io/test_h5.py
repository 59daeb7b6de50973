"""H5MD and pairs readers: round trip and one clear error per kind of bad input."""

import h5py
import numpy as np
import pytest

from symbreak_cli.errors import InputError
from symbreak_cli.io.h5 import h5_kind, read_h5md, read_pairs, write_h5md, write_pairs
from symbreak_cli.io.trajectories import read_trajectory


def test_h5md_round_trip(tmp_path):
    pos = np.random.default_rng(0).normal(size=(4, 3, 3))
    vel = pos * 2
    p = write_h5md(tmp_path / "t.h5", pos, velocities=vel, times=np.arange(4) * 0.1, species=[1, 1, 8])
    assert h5_kind(p) == "dynamics"
    t = read_trajectory(p)
    np.testing.assert_array_equal(t.positions, pos)
    np.testing.assert_array_equal(t.velocities, vel)
    assert t.species.tolist() == [1, 1, 8] and t.n_frames == 4


def test_pairs_round_trip(tmp_path):
    x = np.ones((2, 4, 3))
    p = write_pairs(tmp_path / "p.h5", x, 2 * x)
    assert h5_kind(p) == "pairs"
    np.testing.assert_array_equal(read_pairs(p).targets, 2 * x)


def _h5(path, **datasets):
    with h5py.File(path, "w") as fh:
        for name, data in datasets.items():
            fh.create_dataset(name.replace("__", "/"), data=data)
    return path


@pytest.mark.parametrize("datasets, message", [
    ({"particles__a__position__step": np.arange(3)}, "missing dataset /particles/a/position/value"),
    ({"particles__a__position__value": np.zeros((3, 2, 2))}, "shape (3, 2, 2), expected (*, *, 3)"),
    ({"particles__a__position__value": np.full((3, 2, 3), np.nan)}, "NaN"),
    ({"particles__a__position__value": np.zeros((1, 2, 3))}, "1 frame(s)"),
])
def test_h5md_bad_inputs_name_file_and_dataset(tmp_path, datasets, message):
    path = _h5(tmp_path / "bad.h5", **datasets)
    with pytest.raises(InputError) as err:
        read_h5md(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_pairs_shape_mismatch(tmp_path):
    path = _h5(tmp_path / "bad.h5", pairs__input__position=np.zeros((1, 8, 3)), pairs__target__position=np.zeros((1, 7, 3)))
    with pytest.raises(InputError, match="/pairs/target/position has shape"):
        read_pairs(path)


def test_missing_file_and_not_hdf5(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_pairs(tmp_path / "nope.h5")
    (tmp_path / "x.h5").write_text("hello")
    with pytest.raises(InputError, match="not a readable HDF5"):
        read_pairs(tmp_path / "x.h5")
