r"""What a trained relaxed group convolution says about the data's symmetry.

*Fourier on G.* Per layer, the relaxed weights w (|G| × L) are split into the isotypic
parts of the real irreps ρ of G (character projection in the regular representation);
:math:`F_\rho = \sqrt{|G|/d_\rho}\,\lVert P_\rho w\rVert` per filter bank. For a cyclic
group this is the modulus of the discrete Fourier transform (C4: :math:`F_A = |\hat w_0|`,
:math:`F_B = |\hat w_2|`, :math:`F_E = |\hat w_1| = |\hat w_3|`), so equal weights 1 give
(4, 0, 0, 0) — the paper's convention.

*Kept subgroup.* The model is exactly equivariant under H ⊂ G when every layer's w is
invariant under H (:math:`w(hg) = w(g)`). Every subgroup H of G is a candidate: all
layers' w are replaced by their H-invariant part (averaged over H) and the validation
loss is re-evaluated. H is *kept* when that costs at most the margin of
:mod:`symbreak_cli.train.evidence` (max(NEEDED_REL · the control loss, NOISE_FACTOR · the
noise of a control refit, FLOOR_REL · mean(y²))); a candidate that fails without a refit
gets one (the other weights refitted with w held H-invariant) before it is rejected. The
kept subgroup is the largest kept H (ties: the smallest loss increase).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from symbreak_cli.nn.grid_actions import GridGroup, invariant_projector, isotypic_projectors
from symbreak_cli.train import evidence

WEIGHT_TOL = 1e-6  # relative: an element fixes w when max |w(kg) − w(g)| ≤ this × max |w|
MAX_REFITS = 2  # failed candidates refitted before rejection, largest order first
REFIT_EPOCHS = 30  # full-batch epochs of each refit (the control refit too)


def subgroups(G: GridGroup) -> list[tuple[int, ...]]:
    """Every subgroup of G as sorted element indices, largest order first."""
    n = G.order
    T = G.table

    def close(s: set[int]) -> frozenset[int]:
        s = set(s) | {0}
        while True:
            new = {int(T[a, b]) for a in s for b in s} - s
            if not new:
                return frozenset(s)
            s |= new

    found = {close({g}) for g in range(n)}
    frontier = set(found)
    while frontier:
        nxt = set()
        for H in frontier:
            for K in list(found):
                J = close(H | K)
                if J not in found:
                    nxt.add(J)
        found |= nxt
        frontier = nxt
    return sorted((tuple(sorted(H)) for H in found), key=lambda h: (-len(h), h))


def name_subgroup(G: GridGroup, H) -> tuple[str, str]:
    """(Schoenflies name, description with axes), e.g. ('C4', 'C4 about z')."""
    from symbreak_cli.groups import classify, identify_matrices

    mats = G.mats3[list(H)].astype(float)
    if G.dim == 2:  # the plane's action, z kept: a 2D mirror is a vertical mirror plane
        mats[:, 2, :2] = mats[:, :2, 2] = 0.0
        mats[:, 2, 2] = 1.0
    name = identify_matrices(mats)[0]
    if G.dim == 2:  # 2D names: Cn (rotations), Dn (n mirrors)
        name = {"Cs": "D1", "C2v": "D2", "C4v": "D4"}.get(name, name)
    infos = [classify(m) for m in mats]
    axes = [i for i in infos if i.kind == "C"]
    mirrors = [i for i in infos if i.kind == "sigma"]
    words = []
    if axes:
        top = max(axes, key=lambda i: i.order_n)
        words.append(f"{top.order_n}-fold axis along {_axis_name(top.axis)}")
    if mirrors:
        words.append("mirrors ⊥ " + ", ".join(sorted({_axis_name(i.axis) for i in mirrors})))
    return name, f"{name} ({'; '.join(words)})" if words else name


def _axis_name(u) -> str:
    u = np.round(np.asarray(u, dtype=float) / np.abs(u).max(), 3)
    if np.count_nonzero(u) == 1:
        return "xyz"[int(np.flatnonzero(u)[0])]
    return "[" + " ".join(f"{v:g}" for v in u) + "]"


def fourier(G: GridGroup, w: np.ndarray) -> dict[str, list[float]]:
    """{irrep: F_ρ per filter bank} of weights w (|G|, L) (module docstring)."""
    labels, dims, P = isotypic_projectors(G)
    return {lab: [float(np.sqrt(G.order / d) * np.linalg.norm(p @ w[:, l])) for l in range(w.shape[1])]
            for lab, d, p in zip(labels, dims, P)}


def weight_stabilizer(G: GridGroup, weights: list[np.ndarray], tol: float = WEIGHT_TOL) -> tuple[int, ...]:
    """Elements k with w(kg) = w(g) in every layer (to ``tol`` relative)."""
    keep = []
    for k in range(G.order):
        ok = all(np.abs(w[G.table[k]] - w).max() <= tol * max(np.abs(w).max(), 1e-300) for w in weights)
        if ok:
            keep.append(k)
    return tuple(keep)


@dataclass(frozen=True)
class SubgroupTest:
    """A candidate H: its elements, name, validation-loss increase when the weights are made
    H-invariant, whether a refit was needed, and the verdict.
    """

    elements: tuple[int, ...]
    name: str
    description: str
    delta_val: float
    refit: bool
    kept: bool


@dataclass(frozen=True)
class KeptSubgroup:
    """The verdict: the kept subgroup (largest kept candidate) and every candidate's test."""

    group: str
    kept: SubgroupTest
    margin: float
    control_loss: float
    noise: float
    val_loss: float
    target_mean_square: float
    tests: tuple[SubgroupTest, ...]


def _val(model, batch) -> float:
    with torch.no_grad():
        return float(((model(batch) - batch.target) ** 2).mean())


def _set_invariant(model, P: torch.Tensor) -> None:
    with torch.no_grad():
        for w in model.relaxed_weights():
            w.param.copy_(P @ w.param)


def _refit(model, train, val, P, lr: float, reg: float, epochs: int) -> list[float]:
    """Refit every weight with the relaxed ones held in the range of P (None: free)."""
    if P is not None:
        _set_invariant(model, P)
    opt = torch.optim.AdamW(list(model.parameters()), lr=lr, weight_decay=0.0)
    losses = [_val(model, val)]
    for _ in range(epochs):
        opt.zero_grad(set_to_none=True)
        ((model(train) - train.target) ** 2).mean().backward()
        model.add_penalty_grad(reg)
        if P is not None:
            for w in model.relaxed_weights():
                w.param.grad = P @ w.param.grad
        opt.step()
        if P is not None:
            _set_invariant(model, P)
        losses.append(_val(model, val))
    return losses


def kept_subgroup(model, G: GridGroup, train, val, *, lr: float, reg: float,
                  refit_epochs: int = REFIT_EPOCHS) -> KeptSubgroup:
    """Judge every subgroup of G on evidence (module docstring); the model is restored."""
    saved = {k: v.detach().clone() for k, v in model.state_dict().items()}
    l0 = evidence.target_mean_square(val) or 1.0
    refit_lr = evidence.REFIT_LR_REL * lr
    dtype = next(iter(model.parameters())).dtype
    try:
        base = _val(model, val)
        control = _refit(model, train, val, None, refit_lr, reg, refit_epochs)
        model.load_state_dict(saved)
        lc = min(control + [base])
        tail = control[-evidence.NOISE_WINDOW:]
        noise = max(tail) - min(tail)
        margin = max(evidence.NEEDED_REL * lc, evidence.NOISE_FACTOR * noise, evidence.FLOOR_REL * l0)
        tests, refits = [], 0
        for H in subgroups(G):
            P = torch.as_tensor(invariant_projector(G, H), dtype=dtype)
            _set_invariant(model, P)
            delta, refit = _val(model, val) - base, False
            model.load_state_dict(saved)
            best_kept = max((len(t.elements) for t in tests if t.kept), default=0)
            if delta > margin and len(H) > best_kept and refits < MAX_REFITS:
                refits, refit = refits + 1, True
                delta = min(_refit(model, train, val, P, refit_lr, reg, refit_epochs)) - lc
                model.load_state_dict(saved)
            name, desc = name_subgroup(G, H)
            tests.append(SubgroupTest(H, name, desc, float(delta), refit, bool(delta <= margin)))
    finally:
        model.load_state_dict(saved)
    kept = [t for t in tests if t.kept]
    top = max(len(t.elements) for t in kept) if kept else 1
    best = min((t for t in kept if len(t.elements) == top), key=lambda t: t.delta_val) if kept else tests[-1]
    return KeptSubgroup(G.name, best, float(margin), float(lc), float(noise), float(base), float(l0), tuple(tests))


def equivariance_errors(model, batch, G: GridGroup) -> np.ndarray:
    """(|G|,) per element: mean |f(gx) − g·f(x)| / mean |f(x)| over the batch."""
    with torch.no_grad():
        fx = model(batch)
        scale = float(fx.abs().mean()) or 1.0
        out = []
        for m in G.mats3:
            out.append(float((model(batch.act(m)) - batch.act_on_output(m, fx)).abs().mean()) / scale)
    return np.array(out)
