r"""After training: θ per layer in physical terms, the kept point group, the
character-table analysis of the breaking, and model vs data equivariance error.

Kept group H: the operations g (of the data's group G, plus rotations about the axes θ
itself singles out) with :math:`\|D^l(g)\theta_l - \theta_l\| \le` tol for every block.
Breaking irreps: the irreps Γ of G whose restriction to H contains H's identity irrep,
:math:`\frac{1}{|H|}\sum_{h\in H}\chi_\Gamma(h) > 0`, trivial irrep excluded; each with the
norm of θ projected on Γ's isotypic part,
:math:`P_\Gamma = \frac{d_\Gamma}{|G|}\sum_g \chi_\Gamma(g) D^l(g)`.
"""

from __future__ import annotations

import numpy as np

from symbreak_cli.results.train import (BreakingIrrep, Equivariance, IrrepNorm, KeptGroup,
                                              SymmetryAnalysis, TensorReading, ThetaReading, VectorReading)
from symbreak_cli.train import theta as th

KEPT_TOL = 0.01  # relative to the largest non-scalar block norm


def read_theta(coeffs: dict[str, np.ndarray], layer: str) -> ThetaReading:
    norms = {k: float(np.linalg.norm(v)) for k, v in coeffs.items()}
    total = sum(v for k, v in norms.items() if k != "0e") or 1.0
    irreps = [IrrepNorm(irrep=k, norm=n, share=0.0 if k == "0e" else n / total) for k, n in norms.items()]
    vec = lambda v: VectorReading(direction=(v / np.linalg.norm(v)).tolist(), magnitude=float(np.linalg.norm(v))) \
        if np.linalg.norm(v) > 1e-12 else None  # noqa: E731
    t2 = None
    if "2e" in coeffs and norms["2e"] > 1e-12:
        Q = th.quadrupole_matrix(coeffs["2e"])
        w, axes, u = th.principal_axes(Q)
        t2 = TensorReading(matrix=Q.tolist(), principal_values=w.tolist(), principal_axes=axes.tolist(),
                           unique_axis=axes[u].tolist())
    return ThetaReading(layer=layer, coefficients={k: v.tolist() for k, v in coeffs.items()}, irreps=irreps,
                        vector_1o=vec(coeffs["1o"]) if "1o" in coeffs else None,
                        axis_1e=vec(coeffs["1e"]) if "1e" in coeffs else None, tensor_2e=t2)


def combined_coeffs(per_layer: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Blocks summed over layers (one layer: θ itself)."""
    return {k: sum(c[k] for c in per_layer) for k in per_layer[0]}


def data_point_group(points: np.ndarray, tol: float = 0.01):
    """Point group of a point cloud about its centroid (the same search ``detect`` uses for
    molecules, :func:`symbreak_cli.symmetry.molecule.molecule_point_group`)."""
    from symbreak_cli.groups import PointGroup
    from symbreak_cli.symmetry.molecule import molecule_point_group

    g = molecule_point_group(points, np.ones(len(points), dtype=int), tol)
    return PointGroup.from_matrices(g.operations, tol=1e-4)


def _axes_text(H) -> list[str]:
    out = []
    for c in H.classes:
        op = H.ops[c.members[0]]
        axis = getattr(op, "axis", None)
        if axis is not None and op.kind != "E" and op.kind != "i":
            out.append(f"{c.symbol}: {np.round(np.asarray(axis, float), 3).tolist()}")
    return out


def kept_group(coeffs: dict[str, np.ndarray], G=None):
    """(KeptGroup, PointGroup) of θ's stabiliser, or None if it is not a finite group.

    With the data's group G the search is within G (H = Stab(θ) ∩ G); otherwise among
    rotations/rotoreflections about the axes θ singles out (finite subgroups of O(3)).
    """
    from symbreak_cli.groups import PointGroup

    scale = max([np.linalg.norm(v) for k, v in coeffs.items() if k != "0e"] + [0.0])
    # blocks below 0.1 % of the scalar part are numerical noise of the optimiser
    tol = max(KEPT_TOL * scale, 1e-3 * float(np.linalg.norm(coeffs.get("0e", 0.0))), 1e-6)
    tries = [G.matrices] if G is not None else [th.candidate_operations(coeffs),
                                                  th.candidate_operations(coeffs, bisectors=False)]
    for cands in tries:
        mats = th.stabilizer_matrices(coeffs, cands, tol)
        try:
            H = PointGroup.from_matrices(mats, tol=1e-2)
        except Exception:  # an infinite stabiliser (e.g. C∞v) has no finite closure here
            continue
        ops = [H.ops[i].symbol for i in range(H.order)]
        return KeptGroup(schoenflies=H.schoenflies, hm=H.hm, order=H.order, tolerance=tol, operations=ops,
                         axes=_axes_text(H)), H
    return None


def breaking_analysis(coeffs, G, H) -> tuple[list[BreakingIrrep], int | None]:
    from symbreak_cli.groups import breaking_irreps, character_table

    table = character_table(G)
    trivial = table.irreps[0].label
    found = breaking_irreps(G, H)
    out = []
    for label, mult in found:
        if label == trivial:
            continue
        ir = table.irrep(label)
        chi = table.element_characters(ir)
        factor = (ir.dim / (2 if ir.complex_pair else 1)) / G.order
        total = 0.0
        for lab, c in coeffs.items():
            if np.linalg.norm(c) < 1e-12 or lab == "0e":
                continue
            D = th.wigner_d(lab, G.matrices)
            P = factor * np.einsum("g,gij->ij", chi, D)
            total += float(np.linalg.norm(P @ c)) ** 2
        out.append(BreakingIrrep(label=label, multiplicity=mult, theta_norm=float(np.sqrt(total))))
    return out, G.order // H.order


def symmetry_analysis(coeffs, task: str, points: np.ndarray | None) -> SymmetryAnalysis:
    if task == "dynamics" or points is None:
        res = kept_group(coeffs)
        kept = res[0] if res else None
        active = [k for k, v in coeffs.items() if k != "0e" and np.linalg.norm(v) > (kept.tolerance if kept else 1e-6)]
        return SymmetryAnalysis(
            data_group="O(3)", data_group_source="per-particle inputs are isotropic (no point cloud symmetry used)",
            kept=kept, breaking=[BreakingIrrep(label=k, multiplicity=1, theta_norm=float(np.linalg.norm(coeffs[k])))
                                 for k in active],
            note="for O(3) the breaking irreps are the active blocks of θ themselves")
    G = data_point_group(points)
    res = kept_group(coeffs, G)
    if res is None:
        return SymmetryAnalysis(data_group=G.schoenflies, data_group_order=G.order, kept=None, breaking=[],
                                data_group_source="input point cloud of sample 0 (symbreak molecular point-group search)",
                                note="the operations leaving θ invariant do not close into a group at this tolerance")
    kept, H = res
    breaking, n_domains = breaking_analysis(coeffs, G, H)
    return SymmetryAnalysis(data_group=G.schoenflies, data_group_order=G.order, kept=kept, breaking=breaking,
                            data_group_source="input point cloud of sample 0 (symbreak molecular point-group search)",
                            n_domains=n_domains, note="H = operations of G leaving θ invariant")


def equivariance_errors(model, batch, G=None, n_random: int = 8, seed: int = 0) -> Equivariance:
    """Relative equivariance errors of the trained model (and of the data, for G)."""
    import torch
    from e3nn import o3

    model = model.double().eval()
    b = {k: (v.double() if v.is_floating_point() else v) for k, v in batch.items()}
    irr_in = o3.Irreps(model.irreps_in)

    def run(R):
        Dx = irr_in.D_from_matrix(R)
        return model(b["x"] @ Dx.T, b["edge_src"], b["edge_dst"], b["edge_vec"] @ R.T)

    with torch.no_grad():
        base = model(b["x"], b["edge_src"], b["edge_dst"], b["edge_vec"])
        scale = float(base.norm(dim=1).mean()) or 1.0
        gen = torch.Generator().manual_seed(seed)
        errs = []
        for _ in range(n_random):
            R = o3.rand_matrix(generator=gen, dtype=torch.float64) if "generator" in o3.rand_matrix.__code__.co_varnames \
                else o3.rand_matrix(dtype=torch.float64)
            for sign in (1.0, -1.0):
                errs.append(float((run(sign * R) - base @ (sign * R).T).norm(dim=1).mean()) / scale)
        model_g = data_g = None
        if G is not None:
            pos = b["pos"] if "pos" in b else None
            if pos is not None:
                model_g, data_g = _group_errors(model, b, G, base, scale)
    model.float()
    return Equivariance(model_error_group=model_g, data_error_group=data_g, model_error_o3=float(np.mean(errs)))


def _group_errors(model, b, G, base, scale):
    """For g in G mapping the (single-sample) input onto itself by a permutation π:
    |f(x)_{π(i)} − g f(x)_i| and |y_{π(i)} − g y_i|."""
    import torch

    pos = b["pos"].numpy()
    centred = pos - pos.mean(0)
    y = b["y"]
    yscale = float(y.norm(dim=1).mean()) or 1.0
    me, de = [], []
    for R in G.matrices:
        moved = centred @ R.T
        d = np.linalg.norm(moved[:, None] - centred[None], axis=-1)
        perm = d.argmin(1)
        if d[np.arange(len(perm)), perm].max() > 1e-3:
            continue
        Rt = torch.tensor(np.array(R))
        me.append(float((base[perm] - base @ Rt.T).norm(dim=1).mean()) / scale)
        de.append(float((y[perm] - y @ Rt.T).norm(dim=1).mean()) / yscale)
    return (float(np.mean(me)), float(np.mean(de))) if me else (None, None)
