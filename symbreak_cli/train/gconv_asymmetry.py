r"""A direct, model-free estimate of how far a fields data set's map is from G-equivariant.

*Linear response.* Fit the target as a local linear function of the input — every output
channel a linear combination of the input channels over the model's k×…×k stencil, plus a
constant, :math:`\hat y(v) = \sum_o K(o)\,x(v+o) + b` (same padding as the model) — by least
squares twice on the training samples: unconstrained, and restricted to G-equivariant stencils
:math:`K(o) = \rho_{out}(g) K(g^{-1}o) \rho_{in}(g)^{-1}`, :math:`b = \rho_{out}(g) b` (the range
of the Reynolds average over G, an orthogonal projector on the stencil's parameters). With
:math:`L_{free}`, :math:`L_G` the mean square residuals on the validation samples,

.. math:: a = (L_G - L_{free}) / L_G

is the fraction of the best equivariant linear model's error that breaking G removes: 0 when
the best local linear response already respects G, → 1 when the breaking explains all of it;
unitless (the same for any rescaling of inputs or targets). Out of sample it can be slightly
negative when the data respect G (noise). It sees only the breaking a linear stencil can
express: ``free_rel`` = :math:`L_{free}` / mean(y²) says how well the linear proxy fits at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symbreak_cli.nn.grid_actions import GridGroup, channel_rep, kernel_index

EXACT_REL = 1e-12  # an equivariant fit within this × mean(y²) is exact: asymmetry 0
RIDGE = 1e-10  # relative to the Gram matrix's mean diagonal: keeps singular stencils solvable


@dataclass(frozen=True)
class LinearAsymmetry:
    """``asymmetry`` a = (L_G − L_free) / L_G (module docstring); the two validation losses
    relative to mean(y²); and the number of free and G-equivariant stencil parameters.
    """

    asymmetry: float
    free_rel: float
    equivariant_rel: float
    n_free: int
    n_equivariant: int


def _patches(x: np.ndarray, k: int, periodic: bool) -> np.ndarray:
    """(S·V, C·k^d + 1): x(v + o) for every offset o (row-major like the kernels) and a 1."""
    S, C = x.shape[:2]
    d, p = x.ndim - 2, k // 2
    offsets = np.stack(np.meshgrid(*[np.arange(k) - p] * d, indexing="ij"), -1).reshape(-1, d)
    if not periodic:
        x = np.pad(x, [(0, 0), (0, 0)] + [(p, p)] * d)
    cols = []
    for o in offsets:
        shifted = np.roll(x, tuple(-o), axis=tuple(range(2, 2 + d)))
        if not periodic:
            shifted = shifted[(slice(None), slice(None)) + (slice(p, -p),) * d]
        cols.append(shifted)
    feats = np.stack(cols, axis=2).reshape(S, C * len(offsets), -1)  # (S, C·T, V)
    feats = np.moveaxis(feats, 1, 2).reshape(-1, C * len(offsets))
    return np.concatenate([feats, np.ones((len(feats), 1))], axis=1)


def reynolds_projector(G: GridGroup, input_types, target_types, k: int) -> np.ndarray:
    """(P, P), P = C_out·(C_in·k^d + 1): the average over G of the stencil's action (symmetric)."""
    ci, co, T = len(input_types), len(target_types), k ** G.dim
    q = ci * T + 1
    eye = np.eye(co * q).reshape(-1, co, q)
    sidx = kernel_index(G, k)
    total = np.zeros((co * q, co * q))
    for g, m in enumerate(G.mats3):
        ro, ri = channel_rep(target_types, m, G.dim), channel_rep(input_types, m, G.dim)
        K = eye[:, :, :-1].reshape(-1, co, ci, T)[..., sidx[g]]
        K = np.einsum("ab,nbct,dc->nadt", ro, K, ri)
        b = eye[:, :, -1] @ ro.T
        total += np.concatenate([K.reshape(-1, co, ci * T), b[:, :, None]], axis=2).reshape(co * q, -1)
    return total.T / G.order


def linear_asymmetry(G: GridGroup, x_train, y_train, x_val, y_val, input_types, target_types, *,
                     periodic: bool, kernel: int = 3) -> LinearAsymmetry:
    """The linear-response asymmetry of the map x → y (module docstring); arrays (S, C, *grid)."""
    co = len(target_types)

    def gram(x, y):  # one sample at a time: the patches of a whole large-grid set would not fit in memory
        M = r = None
        yy2, count = 0.0, 0
        for xs, ys in zip(x, y):
            phi = _patches(np.asarray(xs, dtype=np.float64)[None], kernel, periodic)
            yy = np.asarray(ys, dtype=np.float64).reshape(co, -1).T
            M = phi.T @ phi if M is None else M + phi.T @ phi
            r = phi.T @ yy if r is None else r + phi.T @ yy
            yy2, count = yy2 + float((yy ** 2).sum()), count + yy.size
        return M, r, yy2, count

    Mt, rt, _, _ = gram(x_train, y_train)
    Mv, rv, yv, nv = gram(x_val, y_val)
    q = Mt.shape[0]
    Mt = Mt + RIDGE * np.trace(Mt) / q * np.eye(q)
    free = np.linalg.solve(Mt, rt)  # (q, co): one column per output channel
    Mfull = np.kron(np.eye(co), Mt)  # θ ordered (output channel, stencil + bias)
    vals, vecs = np.linalg.eigh(reynolds_projector(G, input_types, target_types, kernel))
    B = vecs[:, vals > 0.5]
    c = np.linalg.solve(B.T @ Mfull @ B, B.T @ rt.T.reshape(-1))
    eq = (B @ c).reshape(co, q).T

    def loss(theta):
        return (float(np.einsum("qa,qp,pa->", theta, Mv, theta)) - 2 * float((theta * rv).sum()) + yv) / nv

    l0 = yv / nv
    lf, lg = max(loss(free), 0.0), max(loss(eq), 0.0)  # a negative mean square is round-off
    a = (lg - lf) / lg if lg > EXACT_REL * l0 else 0.0
    return LinearAsymmetry(float(a), lf / l0 if l0 else 0.0, lg / l0 if l0 else 0.0, q * co, B.shape[1])
