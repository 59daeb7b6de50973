r"""``train-relaxed --sympe --restarts N``: N seeds of the SymPE network trained together.

The seeds are trained as the relaxed e3nn model's are (:mod:`symbreak_cli.train.restarts`:
parameters stacked, one ``torch.func.vmap`` per step, each restart stopping on its own,
restart r from ``torch.manual_seed(seed + 7919·r)``, restart 0 the single run of that
seed). The restart with the lowest best validation loss is the reported model: its
weights are ``sympe.pt``'s ``best_model``, so ``break --model RUN`` samples from it.
Only the SymPE network restarts; the baselines (``--noise``, ``--baseline``) train once
from ``--seed``, as the e3nn equivariant baseline does.

**Agreement (our definition).** A SymPE restart's *verdict* is what its draws say about
the input: every restart draws the same :data:`VERDICT_DRAWS` kernel indices (one
generator, seeded with ``--seed``) for training input 0, and the verdict is the number of
symmetry-equivalent classes and whether their counts pass the χ² test against uniform at
:data:`P_UNIFORM` — e.g. ``'3 classes, uniform'`` for the cube → prism set. A restart
whose best validation loss is above ``FIT_REL × mean(target²)``
(:func:`~symbreak_cli.train.evidence.fit_quality`) is ``'no fit'``; one whose draws are
mostly in no class is ``'unclassified'``; a diverged one ``'diverged'``. Sharing the
draws means the restarts see the same kernel elements: their class counts differ only
by which outcome each model assigns to each element, so verdicts differ by what the
models learned, not by separate random draws.

A finished run is read back on ``--resume`` (every restart's weights and outcome are in
the checkpoint); an unfinished one (killed mid-training: the vectorised loop writes no
mid-run checkpoint) trains its restarts afresh, which gives the same weights on the CPU;
so does a resume that raises ``--epochs`` (the schedule depends on the epoch limit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

P_UNIFORM = 0.01  # the χ² p above which class counts count as uniform (the target level)
VERDICT_DRAWS = 300  # draws per restart for its verdict


def rule(n: int = VERDICT_DRAWS) -> str:
    """The agreement rule, as the report states it."""
    return (f"each SymPE restart draws the same {n} kernel indices (seeded with --seed) for training input 0; its verdict "
            f"is the number of symmetry-equivalent classes of its draws and whether their counts pass the χ² test against "
            f"uniform at p > {P_UNIFORM:g} ('no fit': best val MSE > FIT_REL × mean(target²); 'unclassified': most draws "
            "in no class); the baselines train once")


@dataclass(frozen=True)
class SymPEVerdict:
    """One restart's verdict (see the module docstring); ``p_value`` and
    ``max_to_training`` (largest RMS distance of a draw to the nearest training target)
    are None where the verdict was reached without draws or there is no χ² test.
    """

    seed: int
    best_val: float
    epochs: int
    stop_reason: str
    verdict: str
    p_value: float | None
    max_to_training: float | None


def class_verdict(st) -> str:
    """'C classes, uniform' / 'C classes, not uniform' / '1 class' / 'unclassified' of a
    :class:`~symbreak_cli.train.sympe.SampleStats`.
    """
    n = len(st.classes.images)
    if st.chi2_note is not None and st.p_value is None and n > 1:
        return "unclassified"
    if n == 1:
        return "1 class"
    return f"{n} classes, {'uniform' if st.p_value > P_UNIFORM else 'not uniform'}"


def build_restarts(meta: dict, seed: int, n: int, device="cpu") -> list:
    """The n SymPE networks, restart r drawn from ``torch.manual_seed(seed + 7919·r)``."""
    import torch

    from symbreak_cli.train import restarts as rs
    from symbreak_cli.train import sympe as sp

    models = []
    for r in range(n):
        torch.manual_seed(rs.restart_seed(seed, r))
        models.append(sp.build_model("sympe", meta).to(device))
    return models


def train_restarts(models: list, train_b, val_b, cfg, checkpoint: Path, resume: bool, progress=None):
    """The RestartsResult of ``models`` trained together (or read back from a finished
    run's ``checkpoint`` on ``resume``); the checkpoint is written atomically afterwards.
    Every model holds its own best weights afterwards.
    """
    from symbreak_cli.train import restarts as rs
    from symbreak_cli.train.loop import read_checkpoint

    saved = read_checkpoint(checkpoint) if resume and checkpoint.exists() else None
    if saved is not None and "restarts" in saved and saved.get("epochs") == cfg.epochs \
            and len(saved["restarts"]) == len(models):
        run = rs.restarts_from_checkpoint(saved, models)
    else:
        run = rs.fit_restarts(models, train_b, val_b, cfg, label="sympe", progress=progress)
        rs.save_restarts(checkpoint, run, models, cfg.epochs)
    for r, res in enumerate(run.results):
        res.label = f"sympe {r + 1}/{len(models)}"
    return run


def restart_verdicts(run, models: list, data, val_b, seed: int, targets=None, n: int = VERDICT_DRAWS) -> list[SymPEVerdict]:
    """Every restart's :class:`SymPEVerdict` from ``n`` draws (``val_b``: the batch its
    validation loss is on).
    """
    from symbreak_cli.train import sympe as sp
    from symbreak_cli.train.evidence import fit_quality

    out = []
    for r, (model, res) in enumerate(zip(models, run.results)):
        row = dict(seed=run.seeds[r], best_val=res.best_val, epochs=res.epoch, stop_reason=res.stop_reason,
                   p_value=None, max_to_training=None)
        if run.diverged[r] or not math.isfinite(res.best_val):
            out.append(SymPEVerdict(verdict="diverged", **row))
            continue
        if not fit_quality(res.best_val, val_b).fits:
            out.append(SymPEVerdict(verdict="no fit", **row))
            continue
        st, _ = sp.analyse(model.cpu(), "sympe", data, 0, n, seed, targets=targets, equivariance=False)
        row["p_value"] = st.p_value
        row["max_to_training"] = None if st.to_training is None else float(np.max(st.to_training))
        out.append(SymPEVerdict(verdict=class_verdict(st), **row))
    return out
