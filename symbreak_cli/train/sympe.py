r"""SymPE training and sampling: batches with the inversion kernel's support, the models
side by side, and draws from a trained model.

Training data is a pairs file (:func:`symbreak_cli.io.h5.read_pairs`): S input clouds and
their targets; node inputs are :math:`[1, f]` as for the e3nn model, the target the
displacement. Distinct inputs (often one: a symmetric input with several broken outcomes)
get one canonical frame each (:func:`symbreak_cli.symmetry.canonical.canonical_frame`;
per-point features act as species, so differently-featured points are never exchanged).

Models (labels): ``sympe``; ``noise`` (Gaussian features, ``--noise``); ``equivariant``
and ``relaxed`` (the e3nn networks, matched modulo Stab(x), ``--baseline``). All are
fitted by :func:`symbreak_cli.train.loop.fit` through the RelaxedModel protocol on the
same latent-matched loss (see :mod:`symbreak_cli.nn.sympe`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symbreak_cli.errors import OptionError
from symbreak_cli.symmetry.canonical import CANONICAL_TOL, CanonicalFrame, canonical_frame

LABELS = ("sympe", "noise", "equivariant", "relaxed")


@dataclass(frozen=True)
class SymPEData:
    """A pairs set prepared for SymPE (numpy).

    Attributes
    ----------
    inputs, targets : (S, N, 3) positions
    x : (S, N, F + 1) node inputs [1, features]
    species : (S, N) int: points with equal features share a species
    unique : (S,) the distinct input of each sample; ``frames[u]`` its canonical frame
    """

    inputs: np.ndarray
    targets: np.ndarray
    x: np.ndarray
    species: np.ndarray
    unique: np.ndarray
    frames: tuple[CanonicalFrame, ...]
    cutoff: float

    @property
    def irreps_base(self) -> str:
        return f"{self.x.shape[-1]}x0e"

    @property
    def n_samples(self) -> int:
        return len(self.inputs)

    @property
    def n_points(self) -> int:
        return self.inputs.shape[1]

    def avg_neighbors(self) -> float:
        from symbreak_cli.train.data import radius_edges

        src, _ = radius_edges(self.inputs[:1], self.cutoff)
        return max(len(src) / self.n_points, 1.0)


def species_of(x: np.ndarray) -> np.ndarray:
    """(N,) int: equal feature rows, equal species."""
    return np.unique(np.round(x, 9), axis=0, return_inverse=True)[1].reshape(-1).astype(np.int64)


def prepare(inputs, targets, features=None, cutoff: float = 2.5, tol: float = CANONICAL_TOL) -> SymPEData:
    """Distinct inputs, their canonical frames and stabilisers, node inputs [1, f]."""
    inputs = np.asarray(inputs, np.float64)
    targets = np.asarray(targets, np.float64)
    s_count, n = inputs.shape[:2]
    parts = [np.ones((s_count, n, 1))] + ([np.asarray(features, np.float64)] if features is not None else [])
    x = np.concatenate(parts, axis=-1)
    species = np.array([species_of(xs) for xs in x])
    keys = [np.round(np.concatenate([inputs[s], x[s]], axis=1), 9).tobytes() for s in range(s_count)]
    first, unique = {}, np.empty(s_count, np.int64)
    for s, k in enumerate(keys):
        unique[s] = first.setdefault(k, len(first))
    reps = sorted(first.values())
    rep_sample = [keys.index(k) for k in first]
    frames = tuple(canonical_frame(inputs[rep_sample[u]], species[rep_sample[u]], tol) for u in reps)
    return SymPEData(inputs, targets, x, species, unique, frames, float(cutoff))


def load_pairs(path: str, cutoff: float) -> SymPEData:
    from symbreak_cli.io.h5 import distinct_points, h5_kind, read_pairs

    if h5_kind(path) != "pairs":
        raise OptionError(f"--sympe trains on input/target pairs (a .h5 file with /pairs); {path} holds {h5_kind(path)} data")
    p = read_pairs(path)
    distinct_points(p.inputs, path)  # the canonical frame permutes points: two at one place leave it undefined
    return prepare(p.inputs, p.targets, p.features, cutoff)


def _graphs(pos: np.ndarray, x: np.ndarray, cutoff: float, irreps: str, device, dtype):
    """(G, N, 3) positions and (G, N, F) inputs → one GraphBatch of G graphs."""
    import torch

    from symbreak_cli.nn.graph import GraphBatch
    from symbreak_cli.train.data import radius_edges

    g, n = pos.shape[:2]
    src, dst = radius_edges(pos, cutoff)
    flat = pos.reshape(-1, 3)
    t = lambda a: torch.as_tensor(np.ascontiguousarray(a), dtype=dtype, device=device)  # noqa: E731
    i = lambda a: torch.as_tensor(a, dtype=torch.long, device=device)  # noqa: E731
    return GraphBatch(x=t(x.reshape(g * n, -1)), y=t(np.zeros((g * n, 3))), edge_src=i(src), edge_dst=i(dst),
                      edge_vec=t(flat[dst] - flat[src]), sample=i(np.repeat(np.arange(g), n)), irreps_in=irreps, pos=t(flat))


def make_batch(data: SymPEData, samples=None, *, device="cpu", dtype=None, copies: int | None = None,
               elements: list[np.ndarray] | None = None):
    """The :class:`~symbreak_cli.nn.sympe.SymPEBatch` of ``samples`` (default all).

    Every distinct input carries K = max |Stab| kernel elements (shorter stabilisers
    repeat, which leaves the minimum unchanged), or ``copies`` when given (sampling).
    ``elements[u]`` (k, 3, 3) overrides the stabiliser elements used for input u
    (the support is then ``elements[u] @ γ(x_u)``).
    """
    import torch

    from symbreak_cli.nn.sympe import SymPEBatch, rho

    dtype = dtype or torch.get_default_dtype()
    samples = np.arange(data.n_samples) if samples is None else np.asarray(samples)
    U = len(data.frames)
    stabs = [f.stabiliser if elements is None else np.asarray(elements[u]) for u, f in enumerate(data.frames)]
    K = copies or max(len(s) for s in stabs)
    stab = np.stack([np.resize(s, (K, 3, 3)) for s in stabs])
    perms = []
    for u, f in enumerate(data.frames):
        rep = int(np.nonzero(data.unique == u)[0][0])
        c = data.inputs[rep] - f.centre
        from symbreak_cli.symmetry.canonical import match_permutation

        perms.append(np.stack([match_permutation(c @ h.T, c, data.species[rep], 4 * CANONICAL_TOL) for h in stab[u]]))
    support = stab @ np.stack([f.frame for f in data.frames])[:, None]
    reps = [int(np.nonzero(data.unique == u)[0][0]) for u in range(U)]
    pos, x = data.inputs[reps], data.x[reps]
    base = _graphs(pos, x, data.cutoff, data.irreps_base, device, dtype)
    cop = _graphs(np.repeat(pos, K, axis=0), np.repeat(x, K, axis=0), data.cutoff, data.irreps_base, device, dtype)
    t = lambda a: torch.as_tensor(np.ascontiguousarray(a), dtype=dtype, device=device)  # noqa: E731
    y = (data.targets[samples] - data.inputs[samples]).reshape(-1, 3)
    from symbreak_cli.nn.sympe import V_IRREPS

    return SymPEBatch(base=base, copies=cop, D_v=t(rho(V_IRREPS, support.reshape(-1, 3, 3))), stab=t(stab),
                      perm=torch.as_tensor(np.stack(perms), dtype=torch.long, device=device),
                      unique=torch.as_tensor(data.unique[samples], dtype=torch.long, device=device), y=t(y))


def build_model(label: str, meta: dict):
    """The model ``label`` from the construction record ``meta`` (:func:`model_meta`)."""
    from symbreak_cli.nn.relaxed_e3nn import RelaxedE3Network
    from symbreak_cli.nn.sympe import OrbitMatched, SymPENetwork

    net = dict(layers=meta["layers"], mul=meta["mul"], cutoff=meta["cutoff"], avg_neighbors=meta["avg_neighbors"],
               use_edges=meta["use_edges"])
    if label in ("sympe", "noise"):
        return SymPENetwork(meta["irreps_base"], mode=label, v_irreps=meta["v_irreps"], **net)
    if label in ("equivariant", "relaxed"):
        return OrbitMatched(RelaxedE3Network(meta["irreps_base"], "1x1o", relaxed=label == "relaxed",
                                             l_relaxed=meta["l_relaxed"], **net))
    raise ValueError(f"unknown SymPE-run model {label!r}")


def model_meta(cfg, data: SymPEData) -> dict:
    """What :func:`build_model` needs, JSON-ready (written as ``<run>/sympe.json``)."""
    from symbreak_cli.nn.sympe import V_IRREPS

    return {"irreps_base": data.irreps_base, "v_irreps": V_IRREPS, "layers": cfg.layers, "mul": cfg.mul,
            "cutoff": cfg.cutoff, "avg_neighbors": data.avg_neighbors(), "use_edges": True, "l_relaxed": cfg.l_relaxed,
            "n_points": data.n_points}


def labels_for(cfg) -> list[str]:
    return ["sympe"] + (["noise"] if cfg.noise else []) + (["equivariant", "relaxed"] if cfg.baseline else [])


def draw(model, label: str, data: SymPEData, u: int, n: int, rng: np.random.Generator, *,
         deterministic: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Draws: n output clouds (n, N, 3) for distinct input u, and the kernel index behind each.

    ``sympe``: g̃ uniform on the kernel's support (every support element evaluated once,
    then drawn), or always γ(x) with ``deterministic`` (the negative control); ``noise``:
    n fresh Gaussian feature draws (index −1); the matched baselines: their one f(x).
    """
    import torch

    frame = data.frames[u]
    rep = int(np.nonzero(data.unique == u)[0][0])
    one = SymPEData(data.inputs[rep:rep + 1], data.targets[rep:rep + 1], data.x[rep:rep + 1],
                    data.species[rep:rep + 1], np.zeros(1, np.int64), (frame,), data.cutoff)
    model.eval()
    dtype = next(model.parameters()).dtype
    with torch.no_grad():
        if label == "sympe":
            batch = make_batch(one, dtype=dtype)
            P = model.copy_predictions(batch)[0].double().numpy()
            if frame.linear and not deterministic:  # continuous stabiliser: s Haar-uniform, s·F(x, ρ(γ)v)
                from symbreak_cli.symmetry.canonical import act_on_points, match_permutation

                hs, k = frame.sample_stabiliser(rng, n)
                c = one.inputs[0] - frame.centre
                perms = [match_permutation(c @ h.T, c, one.species[0], 4 * CANONICAL_TOL) for h in hs]
                return one.inputs[0] + np.array([act_on_points(h, P[0], p) for h, p in zip(hs, perms)]), k
            k = np.zeros(n, np.int64) if deterministic else rng.integers(0, frame.order, size=n)
            return one.inputs[0] + P[k], k
        if label == "noise":
            batch = make_batch(one, copies=n, dtype=dtype)
            g = torch.Generator().manual_seed(int(rng.integers(0, 2 ** 31)))
            feats = torch.randn(n, model.v_dim, generator=g, dtype=batch.y.dtype)
            P = model.copy_predictions(batch, feats)[0].double().numpy()
            return one.inputs[0] + P, np.full(n, -1)
        batch = make_batch(one, dtype=dtype)
        y = model.predict(batch.base).double().numpy().reshape(1, -1, 3)
        return np.repeat(one.inputs[:1] + y, n, axis=0), np.zeros(n, np.int64)


def sampler(model, label: str, data: SymPEData, u: int, rng: np.random.Generator):
    """f(positions) → one output cloud drawn from the model for a moved copy of input u
    (for :func:`symbreak_cli.symmetry.canonical.equivariance_errors`: the canonical frame
    is recomputed for each input it is given).
    """
    rep = int(np.nonzero(data.unique == u)[0][0])

    def f(pos):
        d = prepare(pos[None], pos[None], data.x[rep:rep + 1, :, 1:] if data.x.shape[-1] > 1 else None, data.cutoff)
        return draw(model, label, d, 0, 1, rng)[0][0]

    return f


@dataclass(frozen=True)
class SampleStats:
    """What a model's draws for one input look like (numpy; workflows copy it into results).

    Attributes
    ----------
    samples : (n, N, 3) output clouds
    kernel_index : (n,) support element behind each draw (−1: noise, none)
    classes : :class:`~symbreak_cli.symmetry.canonical.OrbitClasses`
    chi2, p_value : χ² test of the classified draws' class counts against uniform (None
        with one class, or when under :data:`MIN_CLASSIFIED` of the draws are classified)
    chi2_note : why there is no χ² test, or that it counts only the classified draws
        (None when every draw is classified)
    to_training : (n,) RMS distance (points paired optimally) to the nearest training target, or None
    entropy_nats : entropy of the symmetry-breaking input used: plug-in entropy of the
        kernel indices drawn (discrete) or the Gaussian's differential entropy (noise)
    entropy_kind : 'discrete' or 'differential'
    """

    samples: np.ndarray
    kernel_index: np.ndarray
    classes: object
    chi2: float | None
    p_value: float | None
    to_training: np.ndarray | None
    entropy_nats: float | None
    entropy_kind: str | None
    chi2_note: str | None = None


MIN_CLASSIFIED = 0.5  # share of draws that must lie in a class for the χ² test to describe the draws


def class_test(cls) -> tuple[float | None, float | None, str | None]:
    """(χ², p, note) of the class counts of :class:`~symbreak_cli.symmetry.canonical.OrbitClasses`
    against uniform, over the classified draws only; no test (None, None, reason) with one
    class or when fewer than :data:`MIN_CLASSIFIED` of the draws are classified (a test
    of a minority says nothing about the draws).

    >>> from types import SimpleNamespace as NS
    >>> cls = NS(labels=np.array([0, 1, -1, -1, -1]), images=np.zeros((2, 1, 3)),
    ...          counts=np.array([1, 1]))
    >>> class_test(cls)[2]
    'no χ² test: only 2 of 5 draws (40 %) lie within the class tolerance of a class (a test needs ≥ 50 %)'
    """
    from scipy import stats

    n, classified = len(cls.labels), int((cls.labels >= 0).sum())
    if len(cls.images) < 2:
        return None, None, None
    if classified < MIN_CLASSIFIED * n:
        return None, None, (f"no χ² test: only {classified} of {n} draws ({100 * classified / n:.0f} %) lie within the "
                            f"class tolerance of a class (a test needs ≥ {100 * MIN_CLASSIFIED:.0f} %)")
    test = stats.chisquare(cls.counts)
    note = None if classified == n else f"χ² over the {classified} classified draws of {n} ({n - classified} in no class)"
    return float(test.statistic), float(test.pvalue), note


def sample_stats(samples, kernel_index, frame: CanonicalFrame, label: str, v_dim: int, targets=None) -> SampleStats:
    from symbreak_cli.symmetry.canonical import orbit_classes, set_distance

    cls = orbit_classes(samples, frame)
    chi2, p, note = class_test(cls)
    to_train = None if targets is None else np.array([min(set_distance(s, t) for t in targets) for s in samples])
    entropy, kind = None, None
    if label == "sympe" and not frame.linear:  # a line's kernel is continuous: no discrete entropy
        freq = np.bincount(kernel_index, minlength=frame.order) / len(kernel_index)
        entropy, kind = float(-(freq[freq > 0] * np.log(freq[freq > 0])).sum()), "discrete"
    elif label == "noise":
        entropy, kind = 0.5 * v_dim * float(np.log(2 * np.pi * np.e)), "differential"
    return SampleStats(np.asarray(samples), np.asarray(kernel_index), cls, chi2, p, to_train, entropy, kind, note)


N_EQUIVARIANCE = 4  # random rotations for the equivariance checks (each also times −1)


def analyse(model, label: str, data: SymPEData, u: int, n: int, seed: int, *, targets=None,
            equivariance: bool = True):
    """Draw n outputs for distinct input u and measure them; also the ordinary and relaxed
    equivariance errors over random O(3) elements (each f(g·x) re-canonicalised).

    Returns (SampleStats, (ordinary, relaxed) arrays or None).
    """
    from symbreak_cli.groups import random_o3
    from symbreak_cli.symmetry.canonical import equivariance_errors

    rng = np.random.default_rng(seed)
    samples, k = draw(model, label, data, u, n, rng)
    if targets is not None:
        targets = np.unique(np.round(np.asarray(targets), 9), axis=0)
    v_dim = getattr(model, "v_dim", 0)
    st = sample_stats(samples, k, data.frames[u], label, v_dim, targets)
    eq = None
    if equivariance:
        rep = int(np.nonzero(data.unique == u)[0][0])
        frame = data.frames[u]
        eq = equivariance_errors(sampler(model, label, data, u, rng), data.inputs[rep], random_o3(N_EQUIVARIANCE, seed),
                                 frame.stabiliser, centre=frame.centre)
    return st, eq


def point_cloud_errors(model, points: np.ndarray, features, cutoff: float, seed: int = 0):
    """Ordinary and relaxed equivariance errors (data units, RMS with points paired
    optimally; max over random O(3) elements) of a deterministic pairs model —
    a :class:`~symbreak_cli.nn.relaxed_e3nn.RelaxedE3Network` predicting displacements —
    on one input cloud: f(x) = x + model(x).
    """
    import torch

    from symbreak_cli.groups import random_o3
    from symbreak_cli.symmetry.canonical import equivariance_errors

    feats = None if features is None or np.asarray(features).shape[-1] == 0 else np.asarray(features)[None]
    data = prepare(np.asarray(points)[None], np.asarray(points)[None], feats, cutoff)
    dtype = next(model.parameters()).dtype

    def f(pos):
        d = prepare(pos[None], pos[None], feats, cutoff)
        b = make_batch(d, dtype=dtype).base
        with torch.no_grad():
            return pos + model.forward_graph(b.x, b.edge_src, b.edge_dst, b.edge_vec).double().numpy()

    frame = data.frames[0]
    o, r = equivariance_errors(f, data.inputs[0], random_o3(N_EQUIVARIANCE, seed), frame.stabiliser, centre=frame.centre)
    return float(o.max()), float(r.max())
