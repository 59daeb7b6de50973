"""Run directory, checkpoints (weights_only), resume, bad options, CLI."""

import json

import numpy as np
import pytest
import torch
from typer.testing import CliRunner

from symbreak_cli.cli.app import app
from symbreak_cli.errors import OptionError
from symbreak_cli.train.config import TrainConfig
from symbreak_cli.workflows.train import train_relaxed
from symbreak_cli.train.sample_data import write_training_samples


@pytest.fixture(scope="module")
def prism(tmp_path_factory):
    d = tmp_path_factory.mktemp("samples")
    return [p for p in write_training_samples(d, force=False) if p.stem == "cube_to_prism"][0]


def test_checkpoint_loads_weights_only_and_report_round_trips(prism, tmp_path):
    from symbreak_cli.render.train import write_run_plots

    r = train_relaxed(TrainConfig(data=str(prism), out=str(tmp_path / "run"), epochs=20), write_plots=write_run_plots)
    state = torch.load(tmp_path / "run" / "relaxed.pt", weights_only=True)
    assert state["epoch"] == 20 and "layers.0.theta" in state["model"]
    from symbreak_cli.render.terminal import load_report

    kind, again = load_report(str(tmp_path / "run" / "report.json"))
    assert kind == "train" and again == r
    plots = {"01-loss-curves.png", "02-relaxed-weights-per-irrep.png", "03-learned-signal-s-r.png"}
    assert {"config.json"} | plots <= set(r.files)
    assert all((tmp_path / "run" / name).stat().st_size > 1000 for name in plots)


def test_resume_after_interrupt_matches_uninterrupted_run(prism, tmp_path):
    cfg = TrainConfig(data=str(prism), out=str(tmp_path / "a"), epochs=30, checkpoint_every=5, restarts=1)
    full = train_relaxed(cfg)

    def interrupt(epoch, model, res):
        if epoch == 12:
            raise KeyboardInterrupt
        return False

    cfg_b = cfg.replace(out=str(tmp_path / "b"))
    with pytest.raises(KeyboardInterrupt):
        train_relaxed(cfg_b, on_epoch=interrupt)
    assert torch.load(tmp_path / "b" / "relaxed.pt", weights_only=True)["epoch"] == 13
    resumed = train_relaxed(TrainConfig.from_json_file(tmp_path / "b" / "config.json"), resume=True)
    assert resumed.models[0].epochs_run == 30
    a, b = resumed.theta[0].coefficients, full.theta[0].coefficients
    for k in b:
        np.testing.assert_allclose(a[k], b[k], atol=1e-6)
    assert resumed.models[0].history.train_loss == pytest.approx(full.models[0].history.train_loss, rel=1e-5)


def test_library_resume_reads_the_saved_config(prism, tmp_path):
    """With resume=True the run's config.json is used; options that differ from it are an
    error naming them; epochs = max(saved, requested); no run directory is a clear InputError."""
    from symbreak_cli.errors import InputError

    out = str(tmp_path / "r")
    train_relaxed(TrainConfig(data=str(prism), out=out, epochs=4, lr=1e-2))
    with pytest.raises(OptionError, match=r"DATA elsewhere.h5 .*--lr 0.5 \(the run's: 0.01\)"):
        train_relaxed(TrainConfig(data="elsewhere.h5", out=out, epochs=6, lr=0.5), resume=True)
    copy = tmp_path / "copy.h5"
    copy.write_bytes(prism.read_bytes())  # another path, the same bytes: the same data
    again = train_relaxed(TrainConfig(data=str(copy), out=out, epochs=6), resume=True)
    assert again.models[0].epochs_run == 6 and again.inputs.options["lr"] == 1e-2
    assert again.data.path == str(prism)
    saved = TrainConfig.from_json_file(tmp_path / "r" / "config.json")
    assert saved.lr == 1e-2 and saved.epochs == 6  # the saved options, not overwritten by the caller's
    same = train_relaxed(TrainConfig(data=str(prism), out=out, epochs=2), resume=True)  # lower: keeps 6
    assert same.models[0].epochs_run == 6
    with pytest.raises(InputError, match="no run directory"):
        train_relaxed(TrainConfig(data=str(prism), out=str(tmp_path / "missing")), resume=True)


def test_plots_are_injected_and_listed(prism, tmp_path):
    calls = []

    def fake_plots(report, out_dir):
        calls.append(out_dir)
        (out_dir / "p.png").write_bytes(b"x")
        return ["p.png"]

    r = train_relaxed(TrainConfig(data=str(prism), out=str(tmp_path / "a"), epochs=2), write_plots=fake_plots)
    assert calls and r.files[-1] == "p.png"
    assert json.loads((tmp_path / "a" / "report.json").read_text())["files"] == r.files
    plain = train_relaxed(TrainConfig(data=str(prism), out=str(tmp_path / "b"), epochs=2))
    assert not any(f.endswith(".png") for f in plain.files) and not list((tmp_path / "b").glob("*.png"))

def test_existing_run_dir_needs_resume_or_force(prism, tmp_path):
    from symbreak_cli.errors import OutputError

    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "f").write_text("")
    with pytest.raises(OutputError, match="--resume"):
        train_relaxed(TrainConfig(data=str(prism), out=str(tmp_path / "x"), epochs=2))


@pytest.mark.parametrize("kw, msg", [({"model": "no-such-model"}, "--model must be one of"),
                                     ({"device": "tpu"}, "--device"), ({"cutoff": -1.0}, "--cutoff")])
def test_bad_options(kw, msg):
    with pytest.raises(OptionError, match=msg):
        TrainConfig(data="x.h5", **kw)


def test_cli_json_and_errors(prism, tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["train-relaxed", str(prism), "--epochs", "5", "--out", str(tmp_path / "r"), "--json", "-q"])
    assert res.exit_code == 0, res.output

    assert json.loads(res.stdout)["schema"] == "symbreak.train/5"
    res = runner.invoke(app, ["train-relaxed", str(tmp_path / "missing.h5"), "--out", str(tmp_path / "m")])
    assert res.exit_code == 1 and "missing.h5: no such file" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    res = runner.invoke(app, ["train-relaxed", str(prism), "--task", "dynamics", "--out", str(tmp_path / "d")])
    assert res.exit_code == 1 and "--task dynamics" in res.stderr and "Traceback" not in res.stderr


@pytest.fixture(scope="module")
def particle(prism):
    return prism.with_name("charged_particle.h5")


def test_select_samples_matches_numpy_subset(particle):
    from symbreak_cli.train.data import load_graph_set

    g = load_graph_set(str(particle), "auto", 150.0)  # particles ~100 apart: a cutoff that joins neighbours
    assert len(g.edge_src) > 0
    picked = [3, 7, 11]
    a = g.to_torch("cpu").select(torch.tensor(picked))
    b = g.subset(picked).to_torch("cpu")
    for k in ("x", "y", "edge_src", "edge_dst", "edge_vec", "pos"):
        torch.testing.assert_close(getattr(a, k), getattr(b, k))


def test_minibatches_are_seeded_and_learn(particle, tmp_path):
    cfg = TrainConfig(data=str(particle), out=str(tmp_path / "a"), epochs=30, batch_size=8)
    a = train_relaxed(cfg).models[0].history.train_loss
    b = train_relaxed(cfg.replace(out=str(tmp_path / "b"))).models[0].history.train_loss
    full = train_relaxed(cfg.replace(out=str(tmp_path / "c"), batch_size=0)).models[0].history.train_loss
    assert a == b  # same seed, same shuffles
    assert a[-1] < 0.5 * a[0] and a[-1] < full[-1]  # 5 steps per epoch beat 1
