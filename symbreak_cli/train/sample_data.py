r"""Bundled training sets, written deterministically (same bytes on every run).

``charged_particle.h5``  H5MD: 10 non-interacting unit charges in uniform
    :math:`E = \hat x`, :math:`B = \hat y`; :math:`a = E + v\times B`, explicit Euler with
    :math:`\Delta t = 0.1` so finite differences of the stored velocities recover
    :math:`a(v_t)` exactly; 51 frames → 500 (particle, step) samples, as in the paper.
    Particles sit 100 length units apart, so no two are ever within a cutoff: the task
    is per-particle. The fields are *not* stored — the model must find them.
``cube_to_prism.h5``  pairs: cube vertices (±0.5)³ → the same vertices scaled by
    (0.5, 0.5, 2): a D4h prism (breaking Oh → D4h, Eg).
``cube_to_random.h5``  pairs: cube vertices → each moved by a seeded random vector of
    size 0.1 (breaking every symmetry: C1).
``cube_to_prisms.h5``  pairs, one input with several outcomes: 30 copies of the cube, each
    target the cube stretched by 1.5 along x, y or z, the axis drawn with equal
    probability (seeded): the three symmetry-equivalent D4h prisms of Oh → D4h.
``square_to_rectangles.h5``  pairs: 30 copies of the square (±0.5, ±0.5, 0), each target
    stretched by 1.5 along x or y with equal probability: the two D2h rectangles of D4h.
``square_to_square.h5``, ``square_to_rectangle.h5``  fields: 9×9 images of squares → grown
    squares (C4-symmetric map) or rectangles (C2 of C4), as in Wang et al. (ICML 2022).
``blob_drift_z.h5``, ``blob_no_drift.h5``  fields: 8³ periodic blobs advected along +z (or
    not) and diffused over one step (keeps C4 about z of O, or all of O).
``batio3_cubic.h5``, ``batio3_tetragonal.h5``, ``batio3_orthorhombic.h5``  fields: 8³ periodic
    Ba/Ti/O densities of one cubic BaTiO3 cell → the same cell undistorted (Oh kept), with Ti
    and O displaced along [001] (P4mm-like, C4v kept) or along [011] (Amm2-like, C2v kept),
    as in Wang, Walters & Yu (ICML 2024).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np

DT = 0.1
E_FIELD = np.array([1.0, 0.0, 0.0])
B_FIELD = np.array([0.0, 1.0, 0.0])


def charged_particle_trajectory(n_particles: int = 10, n_frames: int = 51, seed: int = 0):
    """Positions, velocities (T, N, 3) and times (T,) of charges in E = x̂, B = ŷ."""
    rng = np.random.default_rng(seed)
    pos = np.zeros((n_frames, n_particles, 3))
    vel = np.zeros((n_frames, n_particles, 3))
    pos[0, :, 0] = 100.0 * np.arange(n_particles)
    vel[0] = rng.normal(size=(n_particles, 3))
    for t in range(n_frames - 1):
        acc = E_FIELD + np.cross(vel[t], B_FIELD)
        vel[t + 1] = vel[t] + DT * acc
        pos[t + 1] = pos[t] + DT * vel[t]
    return pos, vel, DT * np.arange(n_frames)


def cube_vertices() -> np.ndarray:
    """The 8 vertices (±0.5, ±0.5, ±0.5), shape (8, 3)."""
    return 0.5 * np.array(list(itertools.product((-1.0, 1.0), repeat=3)))


STRETCH = 1.5  # the stochastic sets' stretch factor along the chosen axis
N_STOCHASTIC = 30  # samples in each stochastic set


def square_vertices() -> np.ndarray:
    """The 4 vertices (±0.5, ±0.5, 0) in the xy plane, shape (4, 3)."""
    return np.array([[0.5, 0.5, 0.0], [-0.5, 0.5, 0.0], [-0.5, -0.5, 0.0], [0.5, -0.5, 0.0]])


def stretched_copies(points: np.ndarray, axes: tuple[int, ...], n: int = N_STOCHASTIC, seed: int = 0):
    """(n, N, 3) inputs (copies of ``points``) and targets stretched by STRETCH along an
    axis drawn uniformly from ``axes`` (seeded); also the (n,) axes drawn.
    """
    drawn = np.asarray(axes)[np.random.default_rng(seed).integers(0, len(axes), size=n)]
    scale = np.ones((n, 1, 3))
    scale[np.arange(n), 0, drawn] = STRETCH
    inputs = np.repeat(points[None], n, axis=0)
    return inputs, inputs * scale, drawn


def write_training_samples(directory: Path, force: bool) -> list[Path]:
    """Write the training sets into ``directory``; return their paths.

    Raises :class:`~symbreak_cli.errors.OutputError` if a file exists and not ``force``.
    """
    from symbreak_cli.io.files import check_writable
    from symbreak_cli.io.h5 import write_h5md, write_pairs

    directory = Path(directory)
    names = ["charged_particle.h5", "cube_to_prism.h5", "cube_to_random.h5", "cube_to_prisms.h5",
             "square_to_rectangles.h5"]
    paths = [check_writable(directory / n, force) for n in names]
    for n in FIELD_SAMPLES:  # every file checked before any is written
        check_writable(directory / n, force)
    directory.mkdir(parents=True, exist_ok=True)
    pos, vel, times = charged_particle_trajectory()
    write_h5md(paths[0], pos, velocities=vel, times=times, species=np.ones(pos.shape[1], dtype=np.int64))
    cube = cube_vertices()[None]
    write_pairs(paths[1], cube, cube * np.array([0.5, 0.5, 2.0]))
    noise = np.random.default_rng(1).normal(size=cube.shape)
    noise *= 0.1 / np.linalg.norm(noise, axis=-1, keepdims=True)
    write_pairs(paths[2], cube, cube + noise)
    write_pairs(paths[3], *stretched_copies(cube_vertices(), (0, 1, 2))[:2])
    write_pairs(paths[4], *stretched_copies(square_vertices(), (0, 1), seed=1)[:2])
    return paths + write_field_samples(directory, force)


# --- voxel fields for the group-convolution models (gconv) ------------------------------------------------
IMAGE_SIZE = 9  # the paper's 9×9 images


def square_images(rectangle: bool, n_samples: int = 48, size: int = IMAGE_SIZE, seed: int = 0):
    """(inputs, targets) (S, 1, size, size): filled squares → the square grown by one voxel
    on every side, or (``rectangle``) grown along x only — a map with C4 (D4) symmetry, or
    with only C2 (D2) of C4 (D4). Squares of half-width 0–2 at random centres.
    """
    rng = np.random.default_rng(seed)
    x = np.zeros((n_samples, 1, size, size))
    y = np.zeros_like(x)
    for s in range(n_samples):
        a = int(rng.integers(0, 3))
        cx, cy = rng.integers(a + 1, size - a - 1, size=2)
        x[s, 0, cx - a:cx + a + 1, cy - a:cy + a + 1] = 1.0
        ay = a if rectangle else a + 1
        y[s, 0, cx - a - 1:cx + a + 2, cy - ay:cy + ay + 1] = 1.0
    return x, y


def advected_blobs(n_samples: int = 32, size: int = 8, drift=(0.0, 0.0, 1.0), diffusion: float = 0.3,
                   dt: float = 1.0, seed: int = 0):
    r"""(inputs, targets) (S, 1, size, size, size) on a periodic grid: random Gaussian blobs at
    t, and at t + Δt after :math:`\partial_t c = D\nabla^2 c - v\cdot\nabla c` (exact, by FFT:
    :math:`\hat c \to \hat c\,e^{-(D k^2 + i k\cdot v)\Delta t}`); ``drift`` v in voxels per Δt.
    """
    rng = np.random.default_rng(seed)
    ax = np.arange(size)
    X = np.stack(np.meshgrid(ax, ax, ax, indexing="ij"), axis=0).astype(np.float64)
    x = np.zeros((n_samples, 1, size, size, size))
    for s in range(n_samples):
        for _ in range(2):
            c, w = rng.uniform(0, size, 3), rng.uniform(0.8, 1.6)
            d = (X - c[:, None, None, None] + size / 2) % size - size / 2  # periodic distance
            x[s, 0] += rng.uniform(0.5, 1.5) * np.exp(-(d ** 2).sum(0) / (2 * w * w))
    k = 2 * np.pi * np.fft.fftfreq(size)
    K = np.stack(np.meshgrid(k, k, k, indexing="ij"), axis=0)
    v = np.asarray(drift, dtype=np.float64)
    prop = np.exp(-(diffusion * (K ** 2).sum(0) + 1j * np.tensordot(v, K, axes=1)) * dt)
    y = np.real(np.fft.ifftn(np.fft.fftn(x, axes=(2, 3, 4)) * prop, axes=(2, 3, 4)))
    return x, y


# BaTiO3 (Wang, Walters & Yu, ICML 2024): the polar axis of each distorted phase, cubic setting
PEROVSKITE_PHASES = {"cubic": None, "tetragonal": (0.0, 0.0, 1.0), "orthorhombic": (0.0, 1.0, 1.0)}
# displacements along the polar axis, fractions of the cell, relative to Ba: the room-temperature P4mm
# structure (sample_data/BaTiO3_P4mm.cif: Ti z 0.515, O 0.486, 0.486, 0.976 − 1): Ti +0.015, O −0.019 (mean)
PEROVSKITE_SHIFT = {"Ba": 0.0, "Ti": 0.015, "O": -0.019}
PEROVSKITE_SPECIES = ("Ba", "Ti", "O")


def perovskite_sites(phase: str, amplify: float = 1.0) -> tuple[tuple[str, ...], np.ndarray]:
    """Species and fractional positions (5, 3) of the cell: Ti at ½½½, Ba at 000, O at the face
    centres, moved (``phase`` not 'cubic') by ``amplify`` × PEROVSKITE_SHIFT along the polar axis.
    """
    if phase not in PEROVSKITE_PHASES:
        raise ValueError(f"unknown phase {phase!r}; choose one of {', '.join(PEROVSKITE_PHASES)}")
    axis = PEROVSKITE_PHASES[phase]
    u = np.zeros(3) if axis is None else np.asarray(axis) / np.linalg.norm(axis)
    species = ("Ti", "Ba", "O", "O", "O")
    frac = np.array([[0.5, 0.5, 0.5], [0.0, 0.0, 0.0], [0.0, 0.5, 0.5], [0.5, 0.0, 0.5], [0.5, 0.5, 0.0]])
    return species, frac + amplify * np.array([PEROVSKITE_SHIFT[el] for el in species])[:, None] * u


def perovskite_fields(phase: str, n_samples: int = 6, size: int = 8, seed: int = 0, amplify: float = 1.0):
    r"""(inputs, targets) (S, 3, size, size, size): one periodic BaTiO3 cell on a cubic grid as
    species-resolved densities (channels Ba, Ti, O: sums of unit Gaussians), Ti at the grid centre,
    Ba at the corners, O at the face centres (:func:`perovskite_sites`).

    Input: the cubic cell (point symmetry m-3m about Ti: exactly the grid's Oh), thermal width
    σ drawn per sample in [1.2, 1.5] voxels (0.6–0.75 Å at 8 voxels per 4 Å cell). Target: the same cell (same σ) distorted — for
    ``phase`` 'tetragonal' / 'orthorhombic' every atom moved by ``amplify`` × PEROVSKITE_SHIFT
    (cell fractions) along the polar axis u = [001] / [011]/√2 (a Slater-like polar mode), whose
    field has the symmetry Stab_Oh(u): 4mm (order 8, P4mm-like) or mm2 (order 4, Amm2-like);
    'cubic' moves nothing (m-3m, order 48). Every input and target is symmetric under its
    group, so the map's symmetry is exactly that group.
    """
    ax = np.arange(size, dtype=np.float64)
    X = np.stack(np.meshgrid(ax, ax, ax, indexing="ij"), axis=0)
    h = size / 2.0

    def density(width: float, which: str) -> np.ndarray:
        f = np.zeros((len(PEROVSKITE_SPECIES),) + (size,) * 3)
        species, frac = perovskite_sites(which, amplify)
        for el, r in zip(species, size * frac - 0.5):  # Ti (½½½) at the grid centre (size − 1) / 2
            d = (X - r[:, None, None, None] + h) % size - h  # periodic distance
            f[PEROVSKITE_SPECIES.index(el)] += np.exp(-(d ** 2).sum(0) / (2 * width * width))
        return f

    perovskite_sites(phase)  # the phase checked before any work
    widths = np.random.default_rng(seed).uniform(1.2, 1.5, size=n_samples)
    x = np.stack([density(w, "cubic") for w in widths])
    y = np.stack([density(w, phase) for w in widths])
    return x, y


FIELD_SAMPLES = ("square_to_square.h5", "square_to_rectangle.h5", "blob_drift_z.h5", "blob_no_drift.h5",
                 "batio3_cubic.h5", "batio3_tetragonal.h5", "batio3_orthorhombic.h5")


def write_field_samples(directory: Path, force: bool) -> list[Path]:
    """Write the 2D image sets, the 3D advection–diffusion and the BaTiO3 sets (fields files)."""
    from symbreak_cli.io.fields import write_fields
    from symbreak_cli.io.files import check_writable

    directory = Path(directory)
    paths = [check_writable(directory / n, force) for n in FIELD_SAMPLES]
    directory.mkdir(parents=True, exist_ok=True)
    for path, rect in zip(paths[:2], (False, True)):
        write_fields(path, *square_images(rect), periodic=False)
    write_fields(paths[2], *advected_blobs(drift=(0.0, 0.0, 1.0)), periodic=True)
    write_fields(paths[3], *advected_blobs(drift=(0.0, 0.0, 0.0)), periodic=True)
    for path, phase in zip(paths[4:], PEROVSKITE_PHASES):
        write_fields(path, *perovskite_fields(phase), periodic=True)
    return paths
