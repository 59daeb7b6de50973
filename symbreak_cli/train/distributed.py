"""Devices and ``torchrun`` (DistributedDataParallel) support.

Under ``torchrun --nproc_per_node=N`` the environment holds ``WORLD_SIZE``/``RANK``; we
then join the process group (gloo on CPU, NCCL on CUDA), each rank trains on its shard of
the training samples, DDP averages the gradients, and only rank 0 writes files or prints.
Without those variables everything runs in one process, unchanged.

No deadlocks by construction: every rank runs the same sequence of collectives (same
number of batches per epoch, stop decisions all-reduced, errors found by one rank shared
with :func:`all_ok` before anyone enters a collective alone), and every collective times
out after ``SYMBREAK_DIST_TIMEOUT_S`` seconds (default 600) instead of torch's 30 min, so
a rank whose peer died (e.g. ``torchrun`` killed) exits with an error instead of waiting.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

from symbreak_cli.errors import OptionError


@dataclass(frozen=True)
class Dist:
    rank: int = 0
    world: int = 1
    local_rank: int = 0

    @property
    def main(self) -> bool:
        return self.rank == 0

    @property
    def active(self) -> bool:
        return self.world > 1


def resolve_device(name: str, local_rank: int = 0):
    """'auto' → CUDA when available else CPU; 'cuda' without a GPU is an OptionError."""
    import torch

    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cuda":
        if not torch.cuda.is_available():
            raise OptionError("--device cuda, but torch sees no CUDA device; use --device cpu or auto")
        return torch.device("cuda", local_rank % torch.cuda.device_count())
    return torch.device("cpu")


def init_distributed(device) -> Dist:
    """Join the torchrun process group when launched by torchrun; else a single process."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return Dist()
    import torch.distributed as dist

    if not dist.is_initialized():
        dist.init_process_group(backend="nccl" if device.type == "cuda" else "gloo", timeout=collective_timeout())
    return Dist(dist.get_rank(), dist.get_world_size(), int(os.environ.get("LOCAL_RANK", "0")))


def collective_timeout() -> timedelta:
    """``SYMBREAK_DIST_TIMEOUT_S`` (seconds, default 600) as a timedelta."""
    raw = os.environ.get("SYMBREAK_DIST_TIMEOUT_S", "600")
    try:
        seconds = float(raw)
    except ValueError:
        raise OptionError(f"SYMBREAK_DIST_TIMEOUT_S must be a number of seconds, not {raw!r}") from None
    return timedelta(seconds=max(seconds, 1.0))


def all_ok(d: Dist, ok: bool) -> bool:
    """True on every rank iff ``ok`` on every rank (a no-op in one process)."""
    if not d.active:
        return ok
    import torch
    import torch.distributed as dist

    flag = torch.tensor([1.0 if ok else 0.0])
    dist.all_reduce(flag, op=dist.ReduceOp.MIN)
    return bool(flag.item() == 1.0)


def local_rank() -> int:
    return int(os.environ.get("LOCAL_RANK", "0"))


def barrier(d: Dist) -> None:
    if d.active:
        import torch.distributed as dist

        dist.barrier()


def shutdown(d: Dist) -> None:
    if d.active:
        import torch.distributed as dist

        if dist.is_initialized():
            dist.destroy_process_group()
