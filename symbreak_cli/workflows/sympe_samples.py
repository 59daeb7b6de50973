"""Draws from a trained SymPE run for a symmetric input: xyz files and a ``samples`` report.

:func:`sample_run` loads ``<run>/config.json``, ``sympe.json`` and the models' best
weights, reads INPUT (any structure file: its positions, and its species for the
canonical frame; a model trained with per-point features cannot be fed a structure),
draws N outputs from SymPE (one xyz file each) and from every baseline in the run, and
reports the classes, χ², distances to the run's training targets, entropy and the
equivariance errors (:mod:`symbreak_cli.train.sympe`). :func:`samples_section` is the
same conversion for the ``train`` report's ``sympe`` block.

Light at import (no numpy, no pydantic): the ``break`` CLI reads :class:`SamplingOptions`'
defaults at start-up.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from symbreak_cli.errors import InputError, OutputError

DECIMALS = 9  # distances and frequencies in the report


def _r(v) -> float:
    return round(float(v), DECIMALS)


def stabiliser_name(frame) -> tuple[str, int | None]:
    """Schoenflies name and order of Stab(x) (C∞v/D∞h and None for a linear input)."""
    if frame.linear:
        return ("D∞h" if frame.inversion else "C∞v"), None
    from symbreak_cli.groups import PointGroup

    return PointGroup.from_matrices(frame.stabiliser, tol=1e-6).schoenflies, frame.order


def model_samples(label: str, st, eq, frame, files=()):
    import numpy as np

    from symbreak_cli.groups import classify
    from symbreak_cli.results.samples import ChiSquare, Distances, Entropy, EquivarianceCheck, ModelSamples, SampleClass
    from symbreak_cli.symmetry.canonical import CLASS_TOL

    cls = st.classes
    counts = cls.counts
    n = len(st.samples)
    classes = [SampleClass(index=c, count=int(counts[c]), frequency=_r(counts[c] / n), element=classify(h).symbol)
               for c, h in enumerate(cls.elements)]
    chi2 = None if st.chi2 is None else ChiSquare(statistic=_r(st.chi2), dof=len(counts) - 1, p_value=_r(st.p_value),
                                                  n_classified=int(counts.sum()))
    dist = None
    if st.to_training is not None:
        t = st.to_training
        dist = Distances(min=_r(t.min()), median=_r(np.median(t)), max=_r(t.max()))
    ent = None
    if st.entropy_nats is not None:
        uniform = None if frame.linear else _r(np.log(frame.order))
        ent = Entropy(nats=_r(st.entropy_nats), kind=st.entropy_kind, uniform_nats=uniform if label == "sympe" else None)
    eqc = None
    if eq is not None:
        o, r = eq
        eqc = EquivarianceCheck(n_elements=len(o), ordinary_max=float(o.max()), ordinary_mean=float(o.mean()),
                                relaxed_max=float(r.max()))
    return ModelSamples(label=label, n_samples=n, n_classes=len(cls.images), classes=classes,
                        unclassified=int((cls.labels < 0).sum()), class_tolerance=CLASS_TOL,
                        max_distance_to_class=_r(cls.distance.max()), chi2=chi2, chi2_note=st.chi2_note, distance_to_training=dist, entropy=ent,
                        equivariance=eqc, files=list(files))


def samples_section(input_name: str, frame, rows, seed: int, files: dict | None = None):
    """The :class:`~symbreak_cli.results.samples.SamplesSection`; ``rows``: (label,
    SampleStats, equivariance or None) per model.
    """
    from symbreak_cli.results.samples import SamplesSection

    name, order = stabiliser_name(frame)
    files = files or {}
    return SamplesSection(input=input_name, stabiliser=name, stabiliser_order=order,
                          n_points=int(rows[0][1].samples.shape[1]), seed=seed,
                          models=[model_samples(lab, st, eq, frame, files.get(lab, ())) for lab, st, eq in rows])


def sympe_restarts(verdicts, run, n_draws: int):
    """The train report's ``restarts`` block of a ``--sympe --restarts N`` run
    (:mod:`symbreak_cli.train.sympe_restarts`): the reported restart is the one with the
    lowest best validation loss.
    """
    from symbreak_cli.results.train import RestartRow, Restarts
    from symbreak_cli.train import sympe_restarts as sr

    best = run.best()
    counts: dict[str, int] = {}
    for v in verdicts:
        counts[v.verdict] = counts.get(v.verdict, 0) + 1
    rows = [RestartRow(seed=v.seed, best_val_loss=v.best_val, epochs_run=v.epochs, stop_reason=v.stop_reason,
                       verdict=v.verdict, needed=[], reported=r == best,
                       p_value=None if v.p_value is None else _r(v.p_value),
                       max_distance_to_training=None if v.max_to_training is None else _r(v.max_to_training))
            for r, v in enumerate(verdicts)]
    main = verdicts[best].verdict
    return Restarts(n=len(verdicts), vectorised=run.vectorised, verdict=main, agreeing=counts[main], counts=counts,
                    summary=f"{main} in {counts[main]}/{len(verdicts)}", rule=sr.rule(n_draws), rows=rows)


def load_run(run_dir: str | Path):
    """(TrainConfig, construction record, {label: model with its best weights}) of a --sympe run;
    a run directory whose JSON files cannot rebuild its networks is refused before torch loads.
    """
    import json

    from symbreak_cli.io.run_dir import check_sympe_run
    from symbreak_cli.train.config import TrainConfig

    run = Path(run_dir)
    check_sympe_run(run, TrainConfig.field_defaults())
    import torch

    from symbreak_cli.train import sympe as sp
    from symbreak_cli.train.loop import read_checkpoint

    cfg = TrainConfig.from_json_file(run / "config.json")
    meta = json.loads((run / "sympe.json").read_text(encoding="utf-8-sig"))
    models = {}
    for label in sp.labels_for(cfg):
        ckpt = run / f"{label}.pt"
        if not ckpt.is_file():
            raise InputError(f"{label}.pt missing: the run did not finish (train again with --resume)", path=str(run))
        state = read_checkpoint(ckpt)
        weights = (state.get("best_model") or state.get("model")) if isinstance(state, dict) else None
        if not isinstance(weights, dict) or not weights:
            raise InputError(f"{label}.pt holds no model weights (not a checkpoint of this run); train again with "
                             f"--force", path=str(run))
        if not all(isinstance(w, torch.Tensor) and bool(torch.isfinite(w).all()) for w in weights.values()):
            raise InputError(f"{label}.pt holds NaN, infinite or non-tensor weights; train again with --force",
                             path=str(run))
        torch.manual_seed(cfg.seed)
        model = sp.build_model(label, meta)
        try:
            model.load_state_dict(weights)
        except (RuntimeError, KeyError, TypeError, ValueError) as err:
            raise InputError(f"{label}.pt does not fit the network sympe.json describes (written by another "
                             f"version or run): {str(err).splitlines()[0]}", path=str(run)) from None
        models[label] = model
    return cfg, meta, models


def _training_targets(cfg, n_points: int):
    from symbreak_cli.io.h5 import read_pairs

    try:
        pairs = read_pairs(cfg.data)
    except (InputError, OSError):
        return None
    return pairs.targets if pairs.targets.shape[1] == n_points else None


def write_samples(samples, numbers, symbols, out: Path, force: bool) -> list[str]:
    """One xyz file per draw, ``sample_0000.xyz`` …; returns the names."""
    import numpy as np

    from symbreak_cli.io.cell import Cell
    from symbreak_cli.io.files import atomic_write_text, check_writable
    from symbreak_cli.io.writers import xyz_text

    names = [f"sample_{k:04d}.xyz" for k in range(len(samples))]
    for nm in names:
        check_writable(out / nm, force)
    for k, (nm, pos) in enumerate(zip(names, samples)):
        cell = Cell(None, pos, np.asarray(numbers), tuple(symbols), False, label=f"SymPE draw {k}")
        atomic_write_text(out / nm, xyz_text(cell))
    return names


def draw_from_run(input_path: str, run_dir: str, n: int, out: str | None, *, seed: int = 0, force: bool = False,
                  equivariance: bool = True, fmt: str | None = None):
    """Draw ``n`` outputs per model of the run for INPUT; SymPE's draws written as xyz into
    ``out`` (nothing written when None). Returns (the input Cell, SamplesSection, files).
    """
    import numpy as np
    import torch

    from symbreak_cli.io.structures import read_structures
    from symbreak_cli.train import sympe as sp

    if n < 1:
        from symbreak_cli.errors import OptionError

        raise OptionError(f"--samples must be ≥ 1, not {n}")
    cfg, meta, models = load_run(run_dir)
    cell = read_structures(input_path, fmt=fmt)[0]
    if meta["irreps_base"] != "1x0e":
        raise InputError(f"the model in {run_dir} was trained with per-point features ({meta['irreps_base']}); "
                         "a structure file does not carry them", path=input_path)
    pos = np.asarray(cell.positions, np.float64)
    data = sp.prepare(pos[None], pos[None], None, meta["cutoff"])
    data = sp.SymPEData(data.inputs, data.targets, data.x, np.asarray(cell.numbers)[None], data.unique,
                        (sp.canonical_frame(pos, cell.numbers),), data.cutoff)
    out_dir = None if out is None else Path(out)
    if out_dir is not None:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise OutputError(f"cannot create the output directory ({err.strerror})", path=str(out_dir)) from None
    if out_dir is not None:  # refuse before drawing, not after
        from symbreak_cli.io.files import check_writable

        for k in range(n):
            check_writable(out_dir / f"sample_{k:04d}.xyz", force)
    targets = _training_targets(cfg, len(pos))
    rows, files = [], {}
    with torch.no_grad():
        for label, model in models.items():
            st, eq = sp.analyse(model, label, data, 0, n, seed, targets=targets, equivariance=equivariance)
            rows.append((label, st, eq))
            if label == "sympe" and out_dir is not None:
                files[label] = write_samples(st.samples, cell.numbers, cell.symbols, out_dir, force)
    return cell, samples_section(input_path, data.frames[0], rows, seed, files), files.get("sympe", [])


def sample_run(input_path: str, run_dir: str, n: int, out: str, *, seed: int = 0, force: bool = False,
               command: str | None = None, equivariance: bool = True):
    """:func:`draw_from_run` into ``out``, and the ``samples`` report written there as samples.json."""
    from symbreak_cli.io.files import atomic_write_text, sha256_file
    from symbreak_cli.results.base import InputFile, Inputs, make_provenance
    from symbreak_cli.results.samples import SamplesReport

    t0 = time.perf_counter()
    _, section, files = draw_from_run(input_path, run_dir, n, out, seed=seed, force=force, equivariance=equivariance)
    base = make_provenance(command, libs=("numpy", "torch", "e3nn", "scipy"), device="cpu",
                           wall_time_s=time.perf_counter() - t0)
    report = SamplesReport(inputs=Inputs(files=[InputFile(path=input_path, sha256=sha256_file(input_path))],
                                         options={"model": str(run_dir), "samples": n, "seed": seed}),
                           provenance=base, run_dir=str(run_dir), samples=section, files=["samples.json"] + files)
    atomic_write_text(Path(out) / "samples.json", report.to_json())
    return report


@dataclass(frozen=True)
class SamplingOptions:
    """Options of ``symbreak break INPUT --model RUN`` (defaults defined here once; the CLI reads them)."""

    model: str | None = None  # a train-relaxed --sympe run directory
    samples: int = 300  # draws per model
    seed: int = 0  # seeds the draws
    out: str | None = None  # directory for the xyz files (None: write nothing)
    force: bool = False
    fmt: str | None = None  # input format (for '-' or odd names)


def break_with_model(path: str, opts: SamplingOptions, command: str | None = None):
    """``symbreak break INPUT --model RUN``: draws from the run for INPUT as a ``break``
    report whose ``samples`` section holds the classes, χ², distances, entropy and
    equivariance errors (the group–subgroup sections stay empty).
    """
    import numpy as np

    from symbreak_cli.io.files import sha256_file
    from symbreak_cli.results.base import InputFile, Inputs, make_provenance
    from symbreak_cli.results.break_ import BreakReport

    t0 = time.perf_counter()
    cell, section, files = draw_from_run(path, opts.model, opts.samples, opts.out, seed=opts.seed, force=opts.force,
                                         fmt=opts.fmt)
    prov = make_provenance(command, libs=("numpy", "torch", "e3nn", "scipy"), device="cpu",
                           wall_time_s=time.perf_counter() - t0)
    sha = sha256_file(path) if path != "-" else None
    return BreakReport(inputs=Inputs(files=[InputFile(path=path, sha256=sha)],
                                     options={"model": opts.model, "samples": opts.samples, "seed": opts.seed}),
                       provenance=prov, structure=path, formula=cell.formula, kind="crystal" if cell.periodic else "molecule",
                       symbols=list(cell.symbols), positions_A=np.asarray(cell.positions, float).tolist(),
                       lattice_A=None if cell.lattice is None else np.asarray(cell.lattice, float).tolist(),
                       parent_group=section.stabiliser,
                       pattern=f"{opts.samples} draws from the SymPE run {opts.model} (its positions as a point cloud)",
                       out=opts.out, samples=section)
