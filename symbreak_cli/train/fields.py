"""Field data for the group-convolution models: the file's fields as
:class:`~symbreak_cli.nn.grid_actions.FieldBatch` train/validation batches.

The group acts on the grid by permuting voxels, so a 3D grid must be a cube (X = Y = Z)
and a 2D grid a square; the channel types say how the channels rotate.
"""

from __future__ import annotations

import numpy as np

from symbreak_cli.errors import InputError


def load_fields(path: str):
    """Read and check a fields file (:func:`symbreak_cli.io.fields.read_fields`) for the grid groups."""
    from symbreak_cli.io.fields import read_fields

    f = read_fields(path)
    if len(set(f.grid)) != 1:
        raise InputError(f"the grid is {'×'.join(map(str, f.grid))}; rotations of the grid need equal sides "
                         f"({f.dim}D: X = Y{' = Z' if f.dim == 3 else ''})", path=path)
    return f


def field_batch(fields, samples: np.ndarray, device, dtype=None):
    """The samples' :class:`~symbreak_cli.nn.grid_actions.FieldBatch` on ``device``."""
    import torch

    from symbreak_cli.nn.grid_actions import FieldBatch

    dtype = dtype or torch.get_default_dtype()
    t = lambda a: torch.as_tensor(np.ascontiguousarray(a[samples]), dtype=dtype, device=device)  # noqa: E731
    return FieldBatch(t(fields.inputs), t(fields.targets), fields.input_types, fields.target_types, fields.periodic)
