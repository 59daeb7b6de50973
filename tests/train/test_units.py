"""Units never change the verdict: inputs, targets and lengths are scaled internally; frame
times come from the file or --dt, never a guess."""

import numpy as np
import pytest
from typer.testing import CliRunner

from symbreak_cli.cli.app import app
from symbreak_cli.io.h5 import write_h5md, write_pairs
from symbreak_cli.train.config import TrainConfig
from symbreak_cli.train.sample_data import DT, charged_particle_trajectory, cube_vertices
from symbreak_cli.workflows.train import train_relaxed


def _prism(path, unit):
    cube = unit * cube_vertices()[None]
    write_pairs(path, cube, cube * np.array([0.5, 0.5, 2.0]))
    return str(path)


def test_nanometres_instead_of_angstrom_give_the_same_run(tmp_path):
    """The cube → prism sample in nm (×0.1) with the cutoff in nm: the scaled data are the
    same numbers, so the same losses and kept group; with the default cutoff (2.5 nm, which
    joins the same pairs of points) the same kept group."""
    kw = dict(restarts=1, epochs=150, device="cpu")
    a = train_relaxed(TrainConfig(data=_prism(tmp_path / "a.h5", 1.0), out=str(tmp_path / "a"), cutoff=2.5, **kw))
    b = train_relaxed(TrainConfig(data=_prism(tmp_path / "nm.h5", 0.1), out=str(tmp_path / "b"), cutoff=0.25, **kw))
    c = train_relaxed(TrainConfig(data=str(tmp_path / "nm.h5"), out=str(tmp_path / "c"), **kw))
    assert a.symmetry.kept.schoenflies == b.symmetry.kept.schoenflies == c.symmetry.kept.schoenflies == "D4h"
    assert b.models[0].best_val_loss == pytest.approx(a.models[0].best_val_loss, rel=1e-3)
    assert b.data.scales["length"] == pytest.approx(0.1 * a.data.scales["length"])
    assert a.data.scales["length"] == pytest.approx(np.sqrt(0.75))  # cube (±0.5)³: every vertex √0.75 from the centre
    assert a.data.n_edges == c.data.n_edges == 56  # 8 vertices, all pairs, both directions


@pytest.mark.parametrize("unit", [pytest.param(1e-3, marks=pytest.mark.slow), 1e3])
def test_another_time_unit_gives_the_same_kept_group(tmp_path, unit):
    """Time in ps instead of fs (or the reverse): v → v·u, a → a·u²; the scaled data and so
    the fit are the same (losses to rounding), the kept group Cs."""
    pos, vel, t = charged_particle_trajectory()
    base = tmp_path / "fs.h5"
    write_h5md(base, pos, velocities=vel, times=t, species=np.ones(pos.shape[1], dtype=np.int64))
    other = tmp_path / "ps.h5"
    write_h5md(other, pos, velocities=vel * unit, times=t / unit, species=np.ones(pos.shape[1], dtype=np.int64))
    kw = dict(restarts=1, epochs=200, device="cpu")
    a = train_relaxed(TrainConfig(data=str(base), out=str(tmp_path / "a"), **kw))
    b = train_relaxed(TrainConfig(data=str(other), out=str(tmp_path / "b"), **kw))
    assert a.symmetry.kept.schoenflies == b.symmetry.kept.schoenflies == "Cs"
    assert b.models[0].best_val_loss == pytest.approx(a.models[0].best_val_loss, rel=1e-3)
    assert b.data.scales["target"] == pytest.approx(unit ** 2 * a.data.scales["target"])


def _positions_only(path, times=None):
    from ase import Atoms
    from ase.io import write

    pos, _, _ = charged_particle_trajectory()
    frames = []
    for k, p in enumerate(pos):
        a = Atoms("H" * pos.shape[1], positions=p)
        if times is not None:
            a.info["time"] = float(times[k])
        frames.append(a)
    write(path, frames)
    return str(path)


def test_positions_only_without_times_is_refused_in_one_line(tmp_path):
    path = _positions_only(tmp_path / "p.extxyz")
    res = CliRunner().invoke(app, ["train-relaxed", path, "--out", str(tmp_path / "r"), "-q"])
    assert res.exit_code == 1 and res.stdout == ""
    (line,) = res.stderr.strip().splitlines()
    assert "p.extxyz" in line and "positions only" in line and "--dt" in line


def test_positions_only_take_the_time_step_from_dt_or_the_file(tmp_path):
    """Explicit Euler, x_{t+1} = x_t + Δt v_t: finite differences with the true Δt recover
    v and a = E + v × B exactly, so the verdict is the H5MD file's, Cs; a --dt that
    contradicts the file's times is an error naming both."""
    from symbreak_cli.errors import OptionError

    kw = dict(restarts=1, epochs=200, device="cpu")
    r = train_relaxed(TrainConfig(data=_positions_only(tmp_path / "p.extxyz"), out=str(tmp_path / "a"), dt=DT, **kw))
    assert r.data.time_step == "--dt" and r.symmetry.kept.schoenflies == "Cs"
    timed = _positions_only(tmp_path / "t.extxyz", times=DT * np.arange(51))  # extxyz comment time=…
    r2 = train_relaxed(TrainConfig(data=timed, out=str(tmp_path / "b"), **kw))
    assert r2.data.time_step == "file" and r2.symmetry.kept.schoenflies == "Cs"
    with pytest.raises(OptionError, match=r"--dt 0.5 differs from the time step of .*t.extxyz \(0.1\)"):
        train_relaxed(TrainConfig(data=timed, out=str(tmp_path / "c"), dt=0.5, **kw))
