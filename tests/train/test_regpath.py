"""--reg-path: the verdict along log-spaced λ; the knee; plots in the run directory and HTML."""

import json

import numpy as np
import pytest

from symbreak_cli.train.config import TrainConfig
from symbreak_cli.train.regpath import REG_PATH_LAMBDAS
from symbreak_cli.train.sample_data import write_training_samples
from symbreak_cli.workflows.train import train_relaxed


@pytest.mark.slow
def test_reg_path_on_the_prism_finds_the_knee_and_draws_it(tmp_path):
    """Small λ: the Eg (2e) breaking the prism needs is kept (D4h). Large λ: the group lasso
    forces θ to its scalar part, the model is Oh-equivariant and, by Curie, cannot fit the
    Oh → D4h displacement (val MSE ≈ mean(target²) = 1). The knee lies between."""
    from symbreak_cli.render.html import render_html
    from symbreak_cli.render.train import write_run_plots

    (prism,) = [p for p in write_training_samples(tmp_path, force=False) if p.stem == "cube_to_prism"]
    r = train_relaxed(TrainConfig(data=str(prism), out=str(tmp_path / "r"), epochs=150, restarts=1, reg_path=True,
                                  device="cpu"), write_plots=write_run_plots)
    p = r.reg_path
    assert p.lambdas == list(REG_PATH_LAMBDAS) and len(p.points) == 9
    first, last = p.points[0], p.points[-1]
    assert first.verdict == "D4h" and first.needed == ["2e"] and first.best_val_loss < 1e-3
    assert last.verdict == "no fit" and last.theta_nonscalar < 0.05 * first.theta_nonscalar
    assert last.best_val_loss > 0.5
    knee = p.knees["2"]
    assert REG_PATH_LAMBDAS[0] <= knee < REG_PATH_LAMBDAS[-1]
    at = [q for q in p.points if q.reg == knee][0]
    above = [q for q in p.points if q.reg > knee]
    assert at.verdict == "D4h" and above[0].best_val_loss > at.best_val_loss  # past the knee the loss rises
    norms = [q.theta_nonscalar for q in p.points]
    assert norms[0] > norms[len(norms) // 2] > norms[-1]
    pngs = [f for f in r.files if "regularisation-path" in f]
    assert len(pngs) == 2 and all((tmp_path / "r" / f).stat().st_size > 1000 for f in pngs)
    html = render_html("train", r)
    assert "Regularisation path" in html and html.count("<img") + html.count("<svg") >= 5
    doc = json.loads((tmp_path / "r" / "report.json").read_text())
    assert np.isclose(doc["reg_path"]["knees"]["2"], knee)
