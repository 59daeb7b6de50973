"""Training relaxed-equivariant networks: config, data, loop (checkpoints, resume, DDP), analysis of θ, report."""
