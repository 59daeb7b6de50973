"""The same command runs under torchrun with 2 CPU processes (gloo)."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from symbreak_cli.train.sample_data import write_training_samples


@pytest.mark.slow
def test_torchrun_two_cpu_processes(tmp_path):
    torchrun = shutil.which("torchrun") or os.path.join(os.path.dirname(sys.executable), "torchrun")
    if not os.path.exists(torchrun):
        pytest.skip("torchrun not installed")
    data = [p for p in write_training_samples(tmp_path, force=False) if p.stem == "charged_particle"][0]
    cmd = [torchrun, "--standalone", "--nproc_per_node=2", "-m", "symbreak_cli", "train-relaxed", str(data),
           "--epochs", "10", "--out", str(tmp_path / "run"), "--device", "cpu", "--json", "-q"]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=240, env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert res.returncode == 0, res.stderr[-2000:]
    report = json.loads(res.stdout)  # only rank 0 prints
    assert report["models"][0]["epochs_run"] == 10
    assert (tmp_path / "run" / "relaxed.pt").exists()
