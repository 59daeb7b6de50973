"""``train-relaxed --sympe --restarts N`` and the honest χ² of the draws (issue 15 item 5).

Facts checked: restarts trained together by vmap follow the runs each seed gives alone
(restart r = the single run from seed + 7919·r: AdamW is elementwise, the restarts share
no parameter); the reported model is the restart with the lowest best validation loss and
is the one ``sympe.pt`` hands to ``break --model`` (its validation MSE, recomputed from the
file, is the reported minimum); fitted restarts on square → rectangle agree on
'2 classes, uniform' while an unfitted one is 'no fit'; a finished run is read back on
--resume and a run killed before its checkpoint (the vectorised loop writes none mid-run)
ends, resumed, with the same report. χ² counts only classified draws and is withheld,
with a reason, when under half are classified (scipy's chisquare is the reference).
"""

from __future__ import annotations

import copy
import json
import shutil

import numpy as np
import pytest
import torch
from scipy import stats

from symbreak_cli.io.h5 import write_pairs
from symbreak_cli.symmetry.canonical import OrbitClasses
from symbreak_cli.train import sympe as sp
from symbreak_cli.train import sympe_restarts as sr
from symbreak_cli.train.config import TrainConfig
from symbreak_cli.train.data import split_samples
from symbreak_cli.train.loop import evaluate, fit
from symbreak_cli.train.restarts import fit_restarts
from symbreak_cli.train.sample_data import square_vertices, stretched_copies


@pytest.fixture(autouse=True)
def one_thread():
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(old)


@pytest.fixture(scope="module")
def square(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sympe_restarts")
    return write_pairs(tmp / "square.h5", *stretched_copies(square_vertices(), (0, 1), n=12, seed=1)[:2])


def _batches(path, seed=0):
    data = sp.load_pairs(str(path), 2.5)
    tr, va, _ = split_samples(data.n_samples, 0.2, seed)
    return data, tr, sp.make_batch(data, tr), sp.make_batch(data, va)


def test_vectorised_sympe_restarts_follow_the_separate_runs(square):
    data, _, train_b, val_b = _batches(square)
    cfg = TrainConfig(data=str(square), sympe=True, epochs=30, patience=0, lr=5e-2)
    meta = sp.model_meta(cfg, data)
    together = sr.build_restarts(meta, cfg.seed, 2)
    alone = [copy.deepcopy(m) for m in together]
    run = fit_restarts(together, train_b, val_b, cfg, label="sympe")
    assert run.vectorised and run.seeds == [0, 7919]
    for r, m in enumerate(alone):
        res = fit(m, train_b, val_b, cfg, label="one")
        assert run.results[r].best_val == pytest.approx(res.best_val, rel=1e-3)
        assert run.results[r].history["train_loss"] == pytest.approx(res.history["train_loss"], rel=1e-3)
    assert run.results[0].best_val != pytest.approx(run.results[1].best_val, rel=1e-3)  # two seeds, two runs


@pytest.fixture(scope="module")
def square_run(square):
    from symbreak_cli.workflows.train import train_relaxed

    out = square.parent / "run"
    cfg = TrainConfig(data=str(square), out=str(out), sympe=True, restarts=3, epochs=150, lr=5e-2, device="cpu")
    return out, cfg, train_relaxed(cfg, command="test")


def test_best_restart_is_reported_and_sampled_from(square, square_run):
    from symbreak_cli.workflows.sympe_samples import load_run

    out, cfg, report = square_run
    rs = report.restarts
    assert rs.n == 3 and rs.vectorised and [r.seed for r in rs.rows] == [0, 7919, 15838]
    losses = [r.best_val_loss for r in rs.rows]
    best = int(np.argmin(losses))
    assert [r.reported for r in rs.rows] == [i == best for i in range(3)]
    assert report.models[0].label == "sympe" and report.models[0].best_val_loss == losses[best]
    _, _, models = load_run(out)  # what `break --model` samples from
    data, _, _, val_b = _batches(square)
    assert evaluate(models["sympe"], val_b) == pytest.approx(losses[best], rel=1e-5)
    assert sum(rs.counts.values()) == 3 and rs.agreeing == rs.counts[rs.verdict]
    assert rs.verdict == "2 classes, uniform"  # square → rectangle along x or y, the reported restart fits
    assert rs.rows[best].max_distance_to_training < 0.05 and rs.rows[best].p_value > sr.P_UNIFORM
    m = report.sympe.models[0]  # the report's block is the reported restart's own draws
    assert m.n_classes == 2 and m.chi2.p_value == rs.rows[best].p_value


def test_restarts_table_renders(square_run):
    from symbreak_cli.render.samples import samples_sections

    _, _, report = square_run
    blocks = samples_sections(report.sympe, report.restarts)[0].blocks
    table = next(b for b in blocks if b.title.startswith("SymPE restarts"))
    assert table.title == f"SymPE restarts: {report.restarts.summary}" and len(table.rows) == 3
    assert [r[-1] for r in table.rows].count("reported") == 1 and report.restarts.rule in table.note


def test_unfitted_restart_is_no_fit(square):
    """Negative control: 2 epochs fit nothing (val MSE ≫ 0.1 × mean(target²))."""
    data, tr, train_b, val_b = _batches(square)
    cfg = TrainConfig(data=str(square), sympe=True, epochs=2, patience=0)
    models = sr.build_restarts(sp.model_meta(cfg, data), 0, 2)
    run = fit_restarts(models, train_b, val_b, cfg, label="sympe")
    assert {v.verdict for v in sr.restart_verdicts(run, models, data, val_b, 0, data.targets[tr])} == {"no fit"}


def test_resume_reads_a_finished_run_back_and_retrains_a_killed_one(square_run):
    from symbreak_cli.workflows.train import train_relaxed

    out, cfg, report = square_run
    again = train_relaxed(cfg, resume=True, command="test")
    assert again.restarts == report.restarts and again.sympe == report.sympe
    assert again.provenance.timings == report.provenance.timings  # read back, not trained again
    killed = out.parent / "killed"  # SIGKILL during the vectorised loop: the run directory without sympe.pt
    shutil.copytree(out, killed)
    for name in ("sympe.pt", "report.json"):
        (killed / name).unlink()
    resumed = train_relaxed(cfg.replace(out=str(killed)), resume=True, command="test")
    assert resumed.restarts == report.restarts and resumed.sympe == report.sympe
    assert resumed.models == report.models  # retrained afresh: the same weights on the CPU


def _classes(labels, n_classes):
    labels = np.asarray(labels)
    return OrbitClasses(labels, np.zeros((n_classes, 1, 3)), np.zeros((n_classes, 3, 3)), np.zeros(len(labels)))


def test_chi2_counts_only_classified_draws_and_is_withheld_for_a_minority():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, size=300)
    chi, p, note = sp.class_test(_classes(labels, 3))
    ref = stats.chisquare(np.bincount(labels, minlength=3))
    assert (chi, p, note) == (pytest.approx(ref.statistic), pytest.approx(ref.pvalue), None)
    some = labels.copy()
    some[:90] = -1  # 70 % classified: the test over the 210 classified draws, said so
    chi, p, note = sp.class_test(_classes(some, 3))
    assert p == pytest.approx(stats.chisquare(np.bincount(some[90:], minlength=3)).pvalue)
    assert "210 classified draws of 300" in note
    most = labels.copy()
    most[:200] = -1  # a third classified: no test
    assert sp.class_test(_classes(most, 3))[:2] == (None, None)
    assert "only 100 of 300" in sp.class_test(_classes(most, 3))[2]
    assert sp.class_test(_classes(np.zeros(10, int), 1)) == (None, None, None)  # one class: nothing to test


def test_noise_baseline_chi2_is_honest_in_the_report(square, tmp_path):
    """The noise baseline's draws are Gaussian-driven: almost none is a Stab(x)-image of
    another, so its χ² is withheld with the reason, and the table says so."""
    from symbreak_cli.render.samples import samples_sections
    from symbreak_cli.workflows.train import train_relaxed

    cfg = TrainConfig(data=str(square), out=str(tmp_path / "n"), sympe=True, noise=True, restarts=1, epochs=20,
                      device="cpu")
    report = train_relaxed(cfg, command="test")
    noise = {m.label: m for m in report.sympe.models}["noise"]
    classified = noise.n_samples - noise.unclassified
    assert classified < sp.MIN_CLASSIFIED * noise.n_samples  # the observation, on this set too
    assert noise.chi2 is None and f"only {classified} of {noise.n_samples}" in noise.chi2_note
    sympe = report.sympe.models[0]  # SymPE's draws are exact Stab(x)-images: all classified, a real test
    assert sympe.unclassified == 0 and sympe.chi2.n_classified == sympe.n_samples and sympe.chi2_note is None
    rows = {r[0]: r for r in samples_sections(report.sympe)[0].blocks[0].rows}
    assert rows["noise"][2] == f"no test: {classified}/{noise.n_samples} classified"
    assert rows["sympe"][2].startswith("χ² ") and "classified" not in rows["sympe"][2]
    doc = json.loads(report.to_json())
    assert "chi2_note" in doc["sympe"]["models"][1]
