"""The same command runs under torchrun with 2 CPU processes (gloo), full batch and
mini-batches, and can never leave processes behind: torchrun and its workers run in their
own session, killed as a group on timeout or on any error, and every collective times
out after SYMBREAK_DIST_TIMEOUT_S seconds should a peer die."""

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest

from symbreak_cli.train.sample_data import write_training_samples

TIMEOUT_S = 180


def run_group(cmd, env, timeout):
    """subprocess.run, but the child gets its own process group, killed whole on exit."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except BaseException:  # timeout, KeyboardInterrupt, pytest-timeout: no orphaned workers
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    finally:
        try:  # workers that outlived torchrun (there should be none)
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return proc.returncode, out, err


@pytest.mark.slow
@pytest.mark.parametrize("batch_size", [0, 8])
def test_torchrun_two_cpu_processes(tmp_path, batch_size):
    torchrun = shutil.which("torchrun") or os.path.join(os.path.dirname(sys.executable), "torchrun")
    if not os.path.exists(torchrun):
        if os.environ.get("CI") == "true":  # torchrun ships with torch: in CI its absence is a failure
            pytest.fail("torchrun not found next to the Python running the tests")
        pytest.skip("torchrun not installed")
    data = [p for p in write_training_samples(tmp_path, force=False) if p.stem == "charged_particle"][0]
    cmd = [torchrun, "--standalone", "--nproc_per_node=2", "-m", "symbreak_cli", "train-relaxed", str(data),
           "--epochs", "10", "--batch-size", str(batch_size), "--out", str(tmp_path / "run"), "--device", "cpu",
           "--json", "-q"] + (["--baseline"] if batch_size else [])
    env = {**os.environ, "OMP_NUM_THREADS": "1", "SYMBREAK_DIST_TIMEOUT_S": "60"}
    code, out, err = run_group(cmd, env, TIMEOUT_S)
    assert code == 0, err[-2000:]
    report = json.loads(out)  # only rank 0 prints
    assert [m["epochs_run"] for m in report["models"]] == [10] * (2 if batch_size else 1)
    assert (tmp_path / "run" / "relaxed.pt").exists()
