"""Property-based fuzzing of the readers themselves (hypothesis, derandomised): any bytes under
any supported name give a Cell list or one InputError naming the file — never another exception.
"""

from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbreak_cli.errors import InputError
from symbreak_cli.io.structures import read_structures

NAMES = ["x.cif", "POSCAR", "x.xyz", "x.extxyz", "x.json", "x.traj"]
_TOKENS = st.sampled_from(["data_x\n", "loop_\n", "_cell_length_a 4\n", "_atom_site_fract_x\n", "H 0 0 0\n",
                           "1e308 ", "nan ", "-inf ", "0 ", "\r\n", "\ufeff", '"', "'", "{", "}", "[", "]",
                           '"sites": ', '"lattice": ', "Lattice=\"4 0 0 0 4 0 0 0 4\" ", "3\n", "Direct\n"])
_TEXTISH = st.lists(st.one_of(_TOKENS, st.text(max_size=12)), max_size=40).map("".join).map(lambda s: s.encode("utf-8", "replace"))


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=st.one_of(_TEXTISH, st.binary(max_size=400)))
def test_any_bytes_read_or_one_input_error(tmp_path_factory, name, data):
    p = tmp_path_factory.mktemp("h") / name
    p.write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a reader that leaks a warning fails here
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        try:
            cells = read_structures(str(p))
        except InputError as err:
            assert str(err).startswith(str(p)) and "\n" not in str(err)
            return
    assert cells and all(c.n_atoms >= 1 for c in cells)
