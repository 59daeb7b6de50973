"""Fields files: round trip, and one-line errors for shape, dtype, NaN and channel types."""

import h5py
import numpy as np
import pytest

from symbreak_cli.errors import InputError
from symbreak_cli.io.fields import read_fields, write_fields


def test_round_trip_with_channel_types(tmp_path):
    x, y = np.random.default_rng(0).normal(size=(2, 2, 2, 3, 3, 3))
    write_fields(tmp_path / "f.h5", x[:, :1], y, input_types=["scalar"], target_types=["pseudoscalar", "scalar"],
                 periodic=True)
    f = read_fields(tmp_path / "f.h5")
    assert f.dim == 3 and f.grid == (3, 3, 3) and f.periodic and f.target_types == ("pseudoscalar", "scalar")
    np.testing.assert_allclose(f.inputs, x[:, :1].astype(np.float32))


def _file(tmp_path, x, y, attrs=None):
    p = tmp_path / "bad.h5"
    with h5py.File(p, "w") as fh:
        fh.create_dataset("fields/input", data=x)
        fh.create_dataset("fields/target", data=y)
        for k, v in (attrs or {}).items():
            fh["fields/input"].attrs[k] = v
    return p


@pytest.mark.parametrize("x,y,attrs,msg", [
    (np.zeros((2, 1, 3)), np.zeros((2, 1, 3)), None, r"shape \(2, 1, 3\), expected \(S, C, X, Y\)"),
    (np.zeros((2, 1, 3, 3)), np.zeros((2, 1, 4, 3)), None, "same samples and grid"),
    (np.full((1, 1, 3, 3), np.nan), np.zeros((1, 1, 3, 3)), None, "NaN"),
    (np.array([[[[b"a"]]]]), np.zeros((1, 1, 1, 1)), None, "dtype"),
    (np.zeros((1, 2, 3, 3)), np.zeros((1, 1, 3, 3)), {"channel_types": np.array([b"scalar"])}, "2 channel"),
    (np.zeros((1, 2, 3, 3)), np.zeros((1, 1, 3, 3)), {"channel_types": np.array([b"vector.x", b"scalar"])},
     "must be vector.x, vector.y"),
    (np.zeros((1, 3, 3, 3)), np.zeros((1, 1, 3, 3)), {"channel_types": np.array([b"pseudovector.x"] * 3)}, "3D grid"),
])
def test_bad_files_are_one_line_errors_naming_the_file(tmp_path, x, y, attrs, msg):
    p = _file(tmp_path, x, y, attrs)
    with pytest.raises(InputError, match=msg) as err:
        read_fields(p)
    assert str(p) in str(err.value) and "\n" not in str(err.value)
