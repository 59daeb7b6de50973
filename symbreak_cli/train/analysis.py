r"""After training: the point group the model kept, the character-table analysis of the
breaking, and model vs data equivariance error — frozen dataclasses, numpy, full precision.

Kept group H: the intersection over relaxed layers k of the stabilisers of θᵏ, i.e. the
operations g with :math:`\|D^l(g)\theta^k_l - \theta^k_l\| \le \mathrm{tol}_k` for every
layer and every block above the layer's noise level (a model is equivariant exactly under
the operations that fix *every* layer's θ; a sum over layers could cancel). With the data's
group G the candidates are G's elements (H = Stab(θ) ∩ G); otherwise
:func:`symbreak_cli.groups.stabilizer_of_signal` searches O(3) for each layer and the
candidates are the union of their groups. Breaking irreps: the irreps Γ of G whose
restriction to H contains H's identity irrep, trivial irrep excluded; each with the norm
of θ projected on Γ's isotypic part,
:math:`P_\Gamma = \frac{d_\Gamma}{|G|}\sum_g \chi_\Gamma(g) D^l(g)` (root-sum-square over
layers and blocks).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symbreak_cli.errors import SymmetryError
from symbreak_cli.groups import random_o3, wigner_D
from symbreak_cli.nn.protocol import LayerReadout

# Tolerances of the kept-group verdict (all reported beside it in the JSON):
KEPT_TOL_REL_BLOCK = 0.01  # × the layer's largest non-scalar block norm
NOISE_TOL_REL_SCALAR = 1e-3  # × ‖θ_0e‖: blocks below are numerical noise of the optimiser
KEPT_TOL_FLOOR = 1e-6  # θ units, the smallest tolerance used
# Other named tolerances:
DATA_GROUP_TOL = 0.01  # data length unit: point-group search of the input cloud
GROUP_MATCH_TOL = 1e-2  # matrix entries: merging/closing the kept operations into a group
PERMUTATION_TOL = 1e-3  # data length unit: g maps the input cloud onto itself
N_RANDOM_O3 = 8  # random rotations (each also times −1) for the O(3) equivariance error


@dataclass(frozen=True)
class KeptAxis:
    """One conjugacy class's axis: ``symbol`` (class, e.g. 'C4', 'σh'), ``operation``
    (a member's Seitz symbol, e.g. '4+_[001]') and ``direction`` (3,) Cartesian unit
    vector (rotation axis, or mirror normal).
    """

    symbol: str
    operation: str
    direction: np.ndarray


@dataclass(frozen=True)
class KeptGroup:
    """The stabiliser H of θ. ``tolerances`` (n_layers,) θ units, each layer's
    max(KEPT_TOL_REL_BLOCK · largest block, NOISE_TOL_REL_SCALAR · ‖θ_0e‖, KEPT_TOL_FLOOR).
    """

    schoenflies: str
    hm: str
    order: int
    operations: tuple[str, ...]
    axes: tuple[KeptAxis, ...]
    tolerances: np.ndarray
    is_continuous: bool = False
    continuous_axis: np.ndarray | None = None  # (3,) unit vector: the C∞ axis of an axial group


@dataclass(frozen=True)
class BreakingIrrep:
    label: str
    multiplicity: int
    theta_norm: float


@dataclass(frozen=True)
class SymmetryAnalysis:
    data_group: str
    data_group_source: str
    data_group_order: int | None
    kept: KeptGroup | None
    breaking: tuple[BreakingIrrep, ...]
    n_domains: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class Equivariance:
    """Relative errors: mean |f(gx) − g f(x)| / mean |f(x)| (and of the data y)."""

    model_error_group: float | None
    data_error_group: float | None
    model_error_o3: float


def layer_tolerance(coeffs: dict[str, np.ndarray]) -> float:
    """The kept-group tolerance of one layer's θ (θ units; see :class:`KeptGroup`)."""
    scale = max([float(np.linalg.norm(v)) for k, v in coeffs.items() if k != "0e"] + [0.0])
    return max(KEPT_TOL_REL_BLOCK * scale, NOISE_TOL_REL_SCALAR * float(np.linalg.norm(coeffs.get("0e", 0.0))),
               KEPT_TOL_FLOOR)


def _active(coeffs: dict[str, np.ndarray], tol: float) -> dict[str, np.ndarray]:
    """Non-scalar blocks above the noise level ``tol`` (0e never constrains g)."""
    return {k: v for k, v in coeffs.items() if k != "0e" and np.linalg.norm(v) > tol}


def _fixes(coeffs: dict[str, np.ndarray], mats: np.ndarray, tol: float) -> np.ndarray:
    """(n,) bool: ‖D(g)θ_l − θ_l‖ ≤ tol for every active block l."""
    from symbreak_cli.groups import parse_irrep

    ok = np.ones(len(mats), dtype=bool)
    for lab, c in _active(coeffs, tol).items():
        D = wigner_D(*parse_irrep(lab), mats)
        ok &= np.linalg.norm(D @ c - c, axis=1) <= tol
    return ok


def data_point_group(points: np.ndarray):
    """Point group of a point cloud about its centroid (the search ``detect`` uses for
    molecules, :func:`symbreak_cli.symmetry.molecule.molecule_point_group`).
    """
    from symbreak_cli.groups import PointGroup
    from symbreak_cli.symmetry.molecule import molecule_point_group

    g = molecule_point_group(points, np.ones(len(points), dtype=int), DATA_GROUP_TOL)
    return PointGroup.from_matrices(g.operations, tol=1e-4)


def _axes(H) -> tuple[KeptAxis, ...]:
    out = []
    for c in H.classes:
        op = H.ops[c.members[0]]
        axis = getattr(op, "axis", None)
        if axis is not None and op.kind not in ("E", "i"):
            out.append(KeptAxis(symbol=c.symbol, operation=op.symbol, direction=np.asarray(axis, float).copy()))
    return tuple(out)


def _search_o3(layers: list[dict[str, np.ndarray]], tols: list[float]):
    """(candidate matrices, continuous SignalSymmetry or None) from each layer's own stabiliser."""
    from symbreak_cli.groups import stabilizer_of_signal

    cands, found = [], []
    for coeffs, tol in zip(layers, tols):
        active = _active(coeffs, tol)
        if not active:
            continue  # θ at its scalar start: this layer constrains nothing
        scale = float(np.sqrt(sum(float(v @ v) for k, v in active.items() if k != "0o"))) or 1.0
        try:
            s = stabilizer_of_signal(active, tol=tol / scale)
        except SymmetryError:  # near-equal operations within tol that do not close: no candidates from here
            continue
        found.append(s)
        if s.group is not None:
            cands.append(s.group.matrices)
    return cands, found


def kept_group(layers: list[dict[str, np.ndarray]], G=None, tol_scale: float = 1.0):
    """(KeptGroup, PointGroup) of the intersection of the layers' stabilisers, or None.

    ``layers`` are θ blocks per layer (label → (2l+1,)); within G when given, else in O(3).
    None when the operations found do not close into a finite group at this tolerance, or
    when no layer's θ has a non-scalar part (the model kept all of O(3)).
    """
    from symbreak_cli.groups import PointGroup, close_matrices, unique_matrices

    tols = [tol_scale * layer_tolerance(c) for c in layers]
    found = []
    if G is not None:
        cands = G.matrices
    else:
        parts, found = _search_o3(layers, tols)
        if not parts:
            return None
        cands = np.concatenate(parts)
    ok = np.ones(len(cands), dtype=bool)
    for coeffs, tol in zip(layers, tols):
        ok &= _fixes(coeffs, cands, tol)
    mats = cands[ok]
    try:
        if G is None:
            mats = close_matrices(unique_matrices(mats, GROUP_MATCH_TOL), tol=GROUP_MATCH_TOL)
        H = PointGroup.from_matrices(mats, tol=GROUP_MATCH_TOL)
    except Exception:  # the operations kept do not close into a group at this tolerance
        return None
    name, hm, continuous, c_axis = H.schoenflies, H.hm, False, None
    if found and all(s.is_continuous for s in found):
        axes = [np.asarray(s.axis) for s in found]
        same_axis = all(abs(abs(a @ axes[0]) - 1) < GROUP_MATCH_TOL for a in axes)
        match = [s for s in found if s.group is not None and s.group.order == H.order]
        if same_axis and match:  # an axial group common to every layer: name it, H approximates it
            name, hm, continuous = match[0].name, match[0].hm, True
            c_axis = np.asarray(match[0].axis, float)
            c_axis = c_axis * (1.0 if c_axis @ np.array([1.0, 1e-3, 1e-6]) >= 0 else -1.0)  # sign: one convention
    ops = tuple(H.ops[i].symbol for i in range(H.order))
    return KeptGroup(schoenflies=name, hm=hm, order=H.order, operations=ops, axes=_axes(H),
                     tolerances=np.array(tols), is_continuous=continuous, continuous_axis=c_axis), H


def breaking_analysis(layers, G, H) -> tuple[tuple[BreakingIrrep, ...], int]:
    from symbreak_cli.groups import breaking_irreps, character_table, parse_irrep

    table = character_table(G)
    out = []
    for label, mult in breaking_irreps(G, H):
        ir = table.irrep(label)
        chi = table.element_characters(ir)
        factor = (ir.dim / (2 if ir.complex_pair else 1)) / G.order
        total = 0.0
        for coeffs in layers:
            for lab, c in coeffs.items():
                if np.linalg.norm(c) < 1e-12 or lab == "0e":
                    continue
                P = factor * np.einsum("g,gij->ij", chi, wigner_D(*parse_irrep(lab), G.matrices))
                total += float(np.linalg.norm(P @ c)) ** 2
        out.append(BreakingIrrep(label=label, multiplicity=mult, theta_norm=float(np.sqrt(total))))
    return tuple(out), G.order // H.order


def needed_only(readouts: list[LayerReadout], needed: set[tuple[int, str]] | None) -> list[dict[str, np.ndarray]]:
    """Each layer's θ blocks with every non-scalar block not in ``needed`` ((layer, irrep)
    pairs, :mod:`symbreak_cli.train.evidence`) set to zero; all blocks when ``needed`` is None.
    """
    layers = [r.coeffs for r in readouts]
    if needed is None:
        return layers
    return [{lab: (c if lab == "0e" or (k, lab) in needed else np.zeros_like(c)) for lab, c in coeffs.items()}
            for k, coeffs in enumerate(layers)]


def symmetry_analysis(readouts: list[LayerReadout], task: str, points: np.ndarray | None,
                      needed: set[tuple[int, str]] | None = None, tol_scale: float = 1.0) -> SymmetryAnalysis:
    """Kept group and breaking irreps of the model's θ (every relaxed layer): of the blocks
    in ``needed`` only, when given (the others are judged negligible by their evidence).
    """
    layers = needed_only(readouts, needed)
    source = "input point cloud of sample 0 (symbreak molecular point-group search)"
    if task == "dynamics" or points is None:
        res = kept_group(layers, tol_scale=tol_scale)
        kept = res[0] if res else None
        tols = [tol_scale * layer_tolerance(c) for c in layers]
        labels = [k for k in layers[0] if k != "0e"]
        active = [k for k in labels if any(np.linalg.norm(c[k]) > t for c, t in zip(layers, tols))]
        rss = {k: float(np.sqrt(sum(float(c[k] @ c[k]) for c in layers))) for k in active}
        return SymmetryAnalysis(
            data_group="O(3)", data_group_source="per-particle inputs are isotropic (no point cloud symmetry used)",
            data_group_order=None, kept=kept,
            breaking=tuple(BreakingIrrep(label=k, multiplicity=1, theta_norm=rss[k]) for k in active),
            note="for O(3) the breaking irreps are the active blocks of θ themselves")
    G = data_point_group(points)
    res = kept_group(layers, G, tol_scale)
    if res is None:
        return SymmetryAnalysis(data_group=G.schoenflies, data_group_source=source, data_group_order=G.order,
                                kept=None, breaking=(),
                                note="the operations leaving θ invariant do not close into a group at this tolerance")
    kept, H = res
    breaking, n_domains = breaking_analysis(layers, G, H)
    return SymmetryAnalysis(data_group=G.schoenflies, data_group_source=source, data_group_order=G.order, kept=kept,
                            breaking=breaking, n_domains=n_domains, note="H = operations of G leaving θ invariant")


def equivariance_errors(model, batch, G=None, seed: int = 0) -> Equivariance:
    """Relative equivariance errors of the trained ``model`` on ``batch`` (both protocols:
    :class:`~symbreak_cli.nn.protocol.RelaxedModel`, :class:`~symbreak_cli.nn.protocol.Batch`),
    in float64; the model is returned to its dtype afterwards.
    """
    import torch

    dtype = next(model.parameters()).dtype
    model = model.double().eval()
    b = batch.to(dtype=torch.float64)
    try:
        with torch.no_grad():
            base = model(b)
            scale = float(base.norm(dim=1).mean()) or 1.0
            errs = [float((model(b.act(R)) - b.act_on_output(R, base)).norm(dim=1).mean()) / scale
                    for R in random_o3(N_RANDOM_O3, seed)]
            model_g = data_g = None
            if G is not None and getattr(b, "pos", None) is not None:
                model_g, data_g = _group_errors(b, G, base, scale)
    finally:
        model.to(dtype)
    return Equivariance(model_error_group=model_g, data_error_group=data_g, model_error_o3=float(np.mean(errs)))


def _group_errors(b, G, base, scale):
    """For g in G mapping the (single-sample) input onto itself by a permutation π:
    |f(x)_{π(i)} − g f(x)_i| and |y_{π(i)} − g y_i|.
    """
    pos = b.pos.cpu().numpy()
    centred = pos - pos.mean(0)
    y = b.target
    yscale = float(y.norm(dim=1).mean()) or 1.0
    me, de = [], []
    for R in G.matrices:
        moved = centred @ R.T
        d = np.linalg.norm(moved[:, None] - centred[None], axis=-1)
        perm = d.argmin(1)
        if d[np.arange(len(perm)), perm].max() > PERMUTATION_TOL:
            continue
        me.append(float((base[perm] - b.act_on_output(R, base)).norm(dim=1).mean()) / scale)
        de.append(float((y[perm] - b.act_on_output(R, y)).norm(dim=1).mean()) / yscale)
    return (float(np.mean(me)), float(np.mean(de))) if me else (None, None)
