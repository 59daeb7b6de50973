"""Determinism of the SymPE commands (issue 16 item 3): the same ``train-relaxed --sympe``
and ``break --model RUN --samples N`` command with the same seed writes byte-identical
JSON on the CPU, apart from the provenance block (times, host, paths); another seed
changes it (negative control: the comparison can fail). A training interrupted after a
checkpoint and resumed ends with the very losses and weights of an uninterrupted one, the
noise baseline included (its Gaussian stream is checkpointed: before, the resumed run drew
from wherever the process's generator was, and this test failed for it).
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from symbreak_cli.cli.app import app
from symbreak_cli.io.h5 import write_pairs
from symbreak_cli.train.sample_data import square_vertices, stretched_copies

runner = CliRunner()


def run(*args) -> str:
    r = runner.invoke(app, [str(a) for a in args])
    assert r.exit_code == 0, r.stderr
    return r.stdout


def without_provenance(text: str) -> str:
    """The JSON text with its provenance block removed, keys in the order written."""
    doc = json.loads(text)
    assert "provenance" in doc
    doc.pop("provenance")
    return json.dumps(doc, ensure_ascii=False)


@pytest.fixture(scope="module")
def square(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sympe_det")
    return write_pairs(tmp / "square.h5", *stretched_copies(square_vertices(), (0, 1), n=12, seed=1)[:2])


def _train(square, seed, name="run"):
    out = square.parent / name
    return run("train-relaxed", square, "--sympe", "--noise", "--restarts", 2, "--epochs", 10, "--seed", seed,
               "--out", out, "--force", "--json", "--quiet", "--device", "cpu"), out


@pytest.fixture(scope="module")
def trained(square):
    first, out = _train(square, 3)
    return first, (out / "report.json").read_text(), out


def test_train_sympe_same_seed_same_json(square, trained):
    first, report, out = trained
    second, _ = _train(square, 3)  # the same command again (--force: over the same run directory)
    assert without_provenance(first) == without_provenance(second)
    assert without_provenance(report) == without_provenance((out / "report.json").read_text())
    other, _ = _train(square, 4, "other")
    assert without_provenance(other) != without_provenance(first)


def test_break_with_model_same_seed_same_json(trained, tmp_path):
    out = trained[2]
    xyz = tmp_path / "sq.xyz"
    xyz.write_text("4\nsquare\n" + "".join(f"C {x} {y} 0.0\n" for x, y in [(0.5, 0.5), (-0.5, 0.5), (-0.5, -0.5), (0.5, -0.5)]))
    args = ["break", xyz, "--model", out, "--samples", 40, "--out", tmp_path / "d", "--force", "--json"]
    first = run(*args)
    files = {p.name: p.read_bytes() for p in (tmp_path / "d").glob("sample_*.xyz")}
    second = run(*args)
    assert without_provenance(first) == without_provenance(second)
    assert files == {p.name: p.read_bytes() for p in (tmp_path / "d").glob("sample_*.xyz")} and len(files) == 40
    other = run(*args[:-4], "--out", tmp_path / "e", "--seed", 1, "--json")
    assert without_provenance(other) != without_provenance(first)


@pytest.mark.parametrize("label", ["sympe", "noise"])
def test_interrupted_and_resumed_training_ends_where_an_uninterrupted_one_does(square, tmp_path, label):
    """Ctrl-C (KeyboardInterrupt) after epoch 7 writes a checkpoint; --resume continues from
    it. The noise baseline draws fresh Gaussian features every step: the resumed run must
    draw the ones the uninterrupted run drew at those steps (its noise stream is part of
    the checkpoint), so both end with the same losses and weights.
    """
    import torch

    from symbreak_cli.train import sympe as sp
    from symbreak_cli.train.config import TrainConfig
    from symbreak_cli.train.data import split_samples
    from symbreak_cli.train.loop import fit

    data = sp.load_pairs(str(square), 2.5)
    tr, va, _ = split_samples(data.n_samples, 0.2, 0)
    train_b, val_b = sp.make_batch(data, tr), sp.make_batch(data, va)
    cfg = TrainConfig(data=str(square), sympe=True, noise=True, epochs=12, patience=0, checkpoint_every=100)
    meta = sp.model_meta(cfg, data)

    def model():
        torch.manual_seed(0)
        return sp.build_model(label, meta)

    whole = model()
    ref = fit(whole, train_b, val_b, cfg, label=label)

    def stop(epoch, m, res):
        if epoch == 6:
            raise KeyboardInterrupt

    ckpt = tmp_path / f"{label}.pt"
    with pytest.raises(KeyboardInterrupt):
        fit(model(), train_b, val_b, cfg, label=label, checkpoint=ckpt, on_epoch=stop)
    torch.manual_seed(123)  # a new process: the global generator is wherever it is
    resumed = model()
    res = fit(resumed, train_b, val_b, cfg, label=label, checkpoint=ckpt, resume=True)
    assert res.epoch == ref.epoch == 12
    assert res.history["train_loss"] == ref.history["train_loss"]
    assert all(torch.equal(a, b) for a, b in zip(whole.state_dict().values(), resumed.state_dict().values()))


def test_noise_checkpoints_written_before_the_stream_still_load():
    from symbreak_cli.nn.sympe import SymPENetwork

    net = SymPENetwork("1x0e", mode="noise", layers=1, mul=4, cutoff=2.5, avg_neighbors=2.0, use_edges=True)
    old = {k: v for k, v in net.state_dict().items() if not k.startswith("noise_")}
    assert len(old) == len(net.state_dict()) - 2
    SymPENetwork("1x0e", mode="noise", layers=1, mul=4, cutoff=2.5, avg_neighbors=2.0, use_edges=True).load_state_dict(old)
    with pytest.raises(RuntimeError, match="Missing"):  # any other missing weight is still refused
        net.load_state_dict({k: v for k, v in old.items() if k != next(iter(old))})
