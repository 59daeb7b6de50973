"""ASE trajectories (.traj, multi-frame extxyz) as training data: the same particles as
the H5MD sample, read back exactly, and trained on end to end."""

from __future__ import annotations

import numpy as np
import pytest

from symbreak_cli.errors import InputError
from symbreak_cli.io.trajectories import read_trajectory
from symbreak_cli.train.sample_data import charged_particle_trajectory


def _write_ase(path, pos, vel):
    from ase import Atoms
    from ase.io import write

    frames = []
    for p, v in zip(pos, vel):
        a = Atoms("H" * pos.shape[1], positions=p)
        a.set_velocities(v)
        frames.append(a)
    write(path, frames)
    return path


@pytest.mark.parametrize("name", ["particles.traj", "particles.extxyz"])
def test_ase_trajectory_reads_positions_and_velocities(tmp_path, name):
    pos, vel, _ = charged_particle_trajectory(n_particles=4, n_frames=6)
    t = read_trajectory(_write_ase(tmp_path / name, pos, vel))
    assert t.n_frames == 6 and t.n_particles == 4 and t.times is None
    np.testing.assert_allclose(t.positions, pos, atol=1e-8)
    np.testing.assert_allclose(t.velocities, vel, atol=1e-8)
    assert t.species.tolist() == [1, 1, 1, 1]


def test_one_frame_is_refused(tmp_path):
    pos, vel, _ = charged_particle_trajectory(n_particles=2, n_frames=1)
    with pytest.raises(InputError, match="at least 2"):
        read_trajectory(_write_ase(tmp_path / "one.traj", pos, vel))


def test_train_on_ase_trajectory_finds_the_field_direction(tmp_path):
    """Charges in E = x̂, B = ŷ written as an ASE .traj: the relaxed weights' 1o part points
    along ±E (the network weights can carry the sign), as with the H5MD file (the file holds
    velocities but no frame times: equally spaced frames rescale the acceleration, not its
    direction)."""
    from symbreak_cli.train.config import TrainConfig
    from symbreak_cli.workflows.train import train_relaxed

    pos, vel, _ = charged_particle_trajectory()
    path = _write_ase(tmp_path / "particles.traj", pos, vel)
    r = train_relaxed(TrainConfig(data=str(path), out=str(tmp_path / "run"), epochs=300))
    assert r.data.task == "dynamics"
    assert abs(np.dot(r.theta[0].vector_1o.direction, [1, 0, 0])) > 0.99
