"""Batches: a file that fails in any way — a SymbreakError or a TypeError deep in a reader —
never takes the others down; results keep the input order; library warnings stay off stderr.

Literature answers: BaTiO3 tetragonal P4mm (99), cubic Pm-3m (221); SrTiO3 below 105 K I4/mcm (140).
"""

from __future__ import annotations

import shutil
import warnings

import pytest

import symbreak_cli.io.structures as structures
from symbreak_cli.testing import validate_report
from symbreak_cli.workflows.detect import DetectOptions, detect_files, stream_reports

EXPECTED = {"BaTiO3_P4mm.cif": "P4mm", "BaTiO3_Pm-3m.cif": "Pm-3m", "SrTiO3_I4mcm.cif": "I4/mcm"}


@pytest.fixture
def batch(tmp_path, sample_dir):
    for name in EXPECTED:
        shutil.copy(sample_dir / name, tmp_path / name)
    (tmp_path / "A_broken.cif").write_text("data_x\n_cell_length_a 3\n")
    return tmp_path


@pytest.fixture
def reader_bug(monkeypatch):
    """A reader that raises TypeError on one file, as pymatgen JSON of an unexpected class did."""
    real = structures.read_structures

    def read(path, *a, **kw):
        if path.endswith("BaTiO3_Pm-3m.cif"):
            raise TypeError("unsupported operand type(s) for +: 'NoneType' and 'int'\n  more lines")
        return real(path, *a, **kw)

    monkeypatch.setattr(structures, "read_structures", read)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_crashing_file_never_aborts_the_batch(batch, reader_bug, jobs):
    report = detect_files([str(batch)], DetectOptions(ladder=False), jobs=jobs)
    by_name = {r.path.rsplit("/", 1)[-1]: r for r in report.results}
    assert [r.path for r in report.results] == sorted(r.path for r in report.results)  # input order
    crash = by_name["BaTiO3_Pm-3m.cif"]
    assert crash.error.startswith(str(batch / "BaTiO3_Pm-3m.cif")) and "TypeError" in crash.error
    assert "\n" not in crash.error and crash.crystal is None
    assert by_name["A_broken.cif"].error.startswith(str(batch / "A_broken.cif"))
    assert by_name["BaTiO3_P4mm.cif"].crystal.hm_short == "P4mm"
    assert by_name["SrTiO3_I4mcm.cif"].crystal.hm_short == "I4/mcm"
    validate_report(report.to_json())


@pytest.mark.parametrize("jobs", [1, 2])
def test_jsonl_lines_are_reports_in_input_order(batch, jobs):
    lines = list(stream_reports([str(batch)], DetectOptions(ladder=False), jobs=jobs))
    assert [ln.inputs.options["index"] for ln in lines] == list(range(4))
    assert {ln.inputs.options["batch_size"] for ln in lines} == {4}
    paths = [ln.inputs.files[0].path for ln in lines]
    assert paths == sorted(str(p) for p in batch.iterdir())
    for ln in lines:
        assert validate_report(ln.to_json(indent=None)) == "detect"
        (r,) = ln.results
        name = r.path.rsplit("/", 1)[-1]
        assert (r.crystal.hm_short if r.crystal else None) == EXPECTED.get(name)


def test_library_warnings_are_captured(batch, monkeypatch, capfd):
    real = structures.read_structures

    def noisy(path, *a, **kw):
        warnings.warn("invalid value encountered in divide", RuntimeWarning, stacklevel=1)
        return real(path, *a, **kw)

    monkeypatch.setattr(structures, "read_structures", noisy)
    (r,) = detect_files([str(batch / "BaTiO3_P4mm.cif")], DetectOptions(ladder=False)).results
    assert r.crystal.hm_short == "P4mm" and "RuntimeWarning" not in capfd.readouterr().err
    with pytest.warns(RuntimeWarning):
        detect_files([str(batch / "BaTiO3_P4mm.cif")], DetectOptions(ladder=False), debug=True)


def test_a_worker_that_dies_costs_only_its_file(batch, monkeypatch):
    import os

    real = structures.read_structures

    def read(path, *a, **kw):
        if path.endswith("BaTiO3_Pm-3m.cif"):
            os._exit(3)  # as a segfault in compiled code would: no exception, the process is gone
        return real(path, *a, **kw)

    monkeypatch.setattr(structures, "read_structures", read)
    report = detect_files([str(batch)], DetectOptions(ladder=False), jobs=2)
    by_name = {r.path.rsplit("/", 1)[-1]: r for r in report.results}
    assert "crashed its worker process" in by_name["BaTiO3_Pm-3m.cif"].error
    assert by_name["BaTiO3_P4mm.cif"].crystal.hm_short == "P4mm"
    assert by_name["SrTiO3_I4mcm.cif"].crystal.hm_short == "I4/mcm"
    assert by_name["A_broken.cif"].error and len(report.results) == 4
