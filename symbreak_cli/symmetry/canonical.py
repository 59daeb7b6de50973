r"""Canonical frames of point clouds and the inversion kernel of SymPE (Lawrence et al.,
arXiv 2503.21985), numpy only.

A canonicaliser writes a point cloud as :math:`x = \gamma(x)\,c(x)`: :math:`c(x)` is the
*canonical form* (the same for every O(3) image of x) and :math:`\gamma(x)\in O(3)` a frame,
equivariant only up to the stabiliser: :math:`\gamma(gx) \in g\,\mathrm{Stab}(x)\,\gamma(x)`.
The **inversion kernel** draws :math:`\tilde g = \gamma(x)\,s` with :math:`s` uniform on
:math:`\mathrm{Stab}(c(x))`, i.e. uniformly from the *support*
:math:`\{g : g^{-1}x = c(x)\} = \mathrm{Stab}(x)\,\gamma(x)`.

The frame (our choice; principal axes are useless exactly where it matters — a cube's
inertia tensor is isotropic, a square's has a degenerate pair). Centre the points; take
every atom ``i`` of the innermost non-central shell as the first axis, every atom ``j``
nearest to it and not on its line as the second (Gram–Schmidt), and both orientations of
the third: a set of candidate frames that moves *with* the points under any O(3)
element. The frame is the candidate whose canonical coordinates (rounded to ``tol``,
with the species, rows sorted) are lexicographically smallest. Every candidate giving the
same canonical point set differs from it by an element of Stab(x): those elements are
the stabiliser, each with the atom permutation it induces, so the kernel's support
comes with the frame. This handles cubic (all principal moments equal), planar (the
normal's two orientations tie) and generic inputs alike; a **linear** input (every atom
on one line) has the continuous stabiliser C∞v or D∞h, sampled exactly (a uniform
rotation about the line, a mirror containing it with probability ½, and for D∞h the
inversion with probability ½) and listed for training as a discrete approximation of
``LINEAR_STEPS`` rotations.

>>> import itertools
>>> cube = 0.5 * np.array(list(itertools.product((-1.0, 1.0), repeat=3)))
>>> cf = canonical_frame(cube, np.ones(8, int))
>>> cf.order, cf.linear
(48, False)
>>> g = cf.sample(np.random.default_rng(0), 1)[0]  # a draw g̃ maps x onto c(x): g̃⁻¹x = c(x)
>>> set_distance(cube @ g, cf.canonical) < 1e-12
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symbreak_cli.groups._arrays import unique
from symbreak_cli.errors import InputError

CANONICAL_TOL = 1e-3  # Å: two canonical coordinates closer than this are the same
LINEAR_STEPS = 24  # rotations about the line listed for a linear input's training support


def _rot(axis: np.ndarray, angle: float) -> np.ndarray:
    a = axis / np.linalg.norm(axis)
    K = np.array([[0, -a[2], a[1]], [a[2], 0, -a[0]], [-a[1], a[0], 0]])
    return np.eye(3) + np.sin(angle) * K + (1 - np.cos(angle)) * K @ K


def match_permutation(a: np.ndarray, b: np.ndarray, numbers: np.ndarray, tol: float) -> np.ndarray | None:
    """The permutation with a[i] ≈ b[perm[i]] (same species, within ``tol``, one-to-one), else None."""
    d = np.linalg.norm(a[:, None, :] - b[None, :, :], axis=-1)
    d[numbers[:, None] != numbers[None, :]] = np.inf
    j = np.argmin(d, axis=1)
    if np.all(d[np.arange(len(a)), j] <= tol) and len(unique(j)) == len(a):
        return j
    return None


@dataclass(frozen=True)
class CanonicalFrame:
    """The canonical frame of a point cloud and the stabiliser it comes with.

    Attributes
    ----------
    centre : (3,) the mean position; every matrix acts about it
    frame : (3, 3) γ(x) ∈ O(3); ``canonical = (x − centre) @ frame``
    canonical : (N, 3) c(x), the canonical form
    stabiliser : (K, 3, 3) Stab(x), identity first (for a linear input: the discrete
        approximation used for training)
    permutations : (K, N) stabiliser element k maps atom i onto atom ``permutations[k, i]``
    linear : all atoms on one line (continuous stabiliser, sampled exactly)
    axis : (3,) the line of a linear input, else None
    inversion : a linear input is centrosymmetric (D∞h, not C∞v)
    """

    centre: np.ndarray
    frame: np.ndarray
    canonical: np.ndarray
    stabiliser: np.ndarray
    permutations: np.ndarray
    linear: bool = False
    axis: np.ndarray | None = None
    inversion: bool = False

    @property
    def order(self) -> int:
        """|Stab(x)| (of the discrete list for a linear input)."""
        return len(self.stabiliser)

    @property
    def support(self) -> np.ndarray:
        """(K, 3, 3) the kernel's support Stab(x)·γ(x) = {g : g⁻¹x = c(x)}."""
        return self.stabiliser @ self.frame

    def sample_stabiliser(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Draws uniform on Stab(x) (Haar on C∞v/D∞h for a linear input) and, for a
        finite stabiliser, their indices into ``stabiliser`` (−1 for a linear input).
        """
        if not self.linear:
            k = rng.integers(0, self.order, size=n)
            return self.stabiliser[k], k
        a = self.axis
        perp = np.linalg.svd(np.eye(3) - np.outer(a, a))[0][:, 0]
        mirror = np.eye(3) - 2 * np.outer(np.cross(a, perp), np.cross(a, perp))  # a plane containing the axis
        out = np.empty((n, 3, 3))
        for m, (phi, flip, inv) in enumerate(zip(rng.uniform(0, 2 * np.pi, n), rng.integers(0, 2, n), rng.integers(0, 2, n))):
            h = _rot(a, phi) @ (mirror if flip else np.eye(3))
            out[m] = -h if (inv and self.inversion) else h
        return out, np.full(n, -1)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """(n, 3, 3) draws g̃ = s·γ(x) of the inversion kernel, s uniform on Stab(x)."""
        return self.sample_stabiliser(rng, n)[0] @ self.frame


def _key(c: np.ndarray, numbers: np.ndarray, tol: float) -> tuple:
    q = np.rint(c / tol).astype(np.int64)
    rows = np.column_stack([numbers, q])
    return tuple(rows[np.lexsort(rows.T[::-1])].ravel().tolist())


def _candidates(x: np.ndarray, tol: float):
    """Candidate frames (M, 3, 3), or None when every atom lies on one line through the centre."""
    r = np.linalg.norm(x, axis=1)
    off = r > tol
    if not off.any():
        raise InputError("every point is at the centre: the points define no frame")
    first = np.nonzero(off & (r < r[off].min() + tol))[0]
    frames = []
    for i in first:
        e1 = x[i] / r[i]
        perp = x - np.outer(x @ e1, e1)
        pn = np.linalg.norm(perp, axis=1)
        cand = np.nonzero(pn > tol)[0]
        if not len(cand):
            return None
        d = np.linalg.norm(x[cand] - x[i], axis=1)
        for j in cand[d < d.min() + tol]:
            e2 = perp[j] / pn[j]
            e3 = np.cross(e1, e2)
            frames += [np.column_stack([e1, e2, e3]), np.column_stack([e1, e2, -e3])]
    return np.array(frames)


def _linear_frame(x: np.ndarray, numbers: np.ndarray, centre: np.ndarray, tol: float) -> CanonicalFrame:
    r = np.linalg.norm(x, axis=1)
    off = np.nonzero(r > tol)[0]
    best = None
    for i in off[r[off] < r[off].min() + tol]:
        e1 = x[i] / r[i]
        key = _key(np.column_stack([x @ e1, np.zeros((len(x), 2))]), numbers, tol)
        if best is None or key < best[0]:
            best = (key, e1)
    e1 = best[1]
    e2 = np.linalg.svd(np.eye(3) - np.outer(e1, e1))[0][:, 0]
    frame = np.column_stack([e1, e2, np.cross(e1, e2)])
    inversion = match_permutation(-x, x, numbers, tol) is not None
    mirror = np.eye(3) - 2 * np.outer(frame[:, 2], frame[:, 2])
    base = [_rot(e1, 2 * np.pi * k / LINEAR_STEPS) for k in range(LINEAR_STEPS)]
    ops = base + [b @ mirror for b in base]
    ops = ops + ([-o for o in ops] if inversion else [])
    perms = np.array([match_permutation(x @ o.T, x, numbers, tol) for o in ops])
    return CanonicalFrame(centre, frame, x @ frame, np.array(ops), perms, True, e1, inversion)


def canonical_frame(positions, numbers=None, tol: float = CANONICAL_TOL) -> CanonicalFrame:
    """γ(x), c(x) and Stab(x) of a point cloud (see the module docstring).

    Parameters
    ----------
    positions : (N, 3) points (Å or the data's unit)
    numbers : (N,) species (atoms of different species are never exchanged); all alike if None
    tol : distance within which two points are the same (same unit as ``positions``)
    """
    x0 = np.asarray(positions, dtype=np.float64)
    if x0.ndim != 2 or x0.shape[1] != 3 or len(x0) < 2:
        raise InputError(f"need (N ≥ 2, 3) positions, got shape {x0.shape}")
    numbers = np.zeros(len(x0), np.int64) if numbers is None else np.asarray(numbers, np.int64)
    centre = x0.mean(axis=0)
    x = x0 - centre
    frames = _candidates(x, tol)
    if frames is None:
        return _linear_frame(x, numbers, centre, tol)
    coords = np.einsum("nj,mjk->mnk", x, frames)
    keys = [_key(c, numbers, tol) for c in coords]
    best = min(range(len(keys)), key=keys.__getitem__)
    F0, c0 = frames[best], coords[best]
    stab, perms = [np.eye(3)], [np.arange(len(x))]
    for F, c in zip(frames, coords):
        if match_permutation(c, c0, numbers, 4 * tol) is None:
            continue
        h = F @ F0.T  # h F0 = F, so h x = x as a set
        if min(np.abs(h - s).max() for s in stab) < 1e-6:
            continue
        p = match_permutation(x @ h.T, x, numbers, 4 * tol)
        if p is not None:
            stab.append(h)
            perms.append(p)
    return CanonicalFrame(centre, F0, c0, np.array(stab), np.array(perms))


def act_on_points(h: np.ndarray, y: np.ndarray, perm: np.ndarray | None = None) -> np.ndarray:
    """A node-indexed point cloud moved by h (3×3): row i of the result is h y[π⁻¹(i)]
    when h permutes the nodes by π (``perm``), else h y[i].
    """
    moved = y @ np.asarray(h).T
    if perm is None:
        return moved
    out = np.empty_like(moved)
    out[perm] = moved
    return out


def set_distance(a: np.ndarray, b: np.ndarray) -> float:
    """RMS distance between two point sets of equal size, points paired optimally
    (Hungarian assignment), so node order does not matter.
    """
    from scipy.optimize import linear_sum_assignment

    d2 = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
    i, j = linear_sum_assignment(d2)
    return float(np.sqrt(d2[i, j].mean()))


def equivariance_errors(f, x: np.ndarray, gs: np.ndarray, stab: np.ndarray, *, act=None, distance=None,
                        centre: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    r"""Ordinary and relaxed equivariance errors of a (possibly stochastic) map f.

    For each g in ``gs``: ordinary :math:`d(f(gx),\ g f(x))`, relaxed (Kaba & Ravanbakhsh)
    :math:`\min_{s\in\mathrm{Stab}(x)} d(f(gx),\ g s f(x))`. Generic: ``f`` any callable
    of the input, ``act(g, y)`` how g moves an output (default: points about ``centre``,
    rows of y), ``distance(a, b)`` (default :func:`set_distance`). Inputs are moved
    about ``centre`` (default: their mean). f(x) is evaluated once, f(g·x) once per g.

    Returns
    -------
    (ordinary, relaxed): (len(gs),) arrays
    """
    x = np.asarray(x, dtype=np.float64)
    centre = x.mean(axis=0) if centre is None else np.asarray(centre)
    if act is None:
        act = lambda g, y: (np.asarray(y) - centre) @ np.asarray(g).T + centre  # noqa: E731
    distance = set_distance if distance is None else distance
    fx = f(x)
    ordinary, relaxed = np.empty(len(gs)), np.empty(len(gs))
    for k, g in enumerate(gs):
        fgx = f(act(g, x))
        ordinary[k] = distance(fgx, act(g, fx))
        relaxed[k] = min(distance(fgx, act(g @ s, fx)) for s in stab)
    return ordinary, relaxed


CLASS_TOL = 0.05  # data units: a sample within this (largest per-point distance) of an orbit image belongs to its class


@dataclass(frozen=True)
class OrbitClasses:
    """Samples grouped into symmetry-equivalent classes: the Stab(x)-images of a reference draw.

    Attributes
    ----------
    labels : (n,) class of each sample, −1 when within ``tol`` of no image
    images : (C, N, 3) the distinct images s·y_ref of the reference draw (class c's ideal)
    elements : (C, 3, 3) an element s of Stab(x) mapping the reference onto class c
    distance : (n,) largest per-point distance of each sample to its class's image
    """

    labels: np.ndarray
    images: np.ndarray
    elements: np.ndarray
    distance: np.ndarray

    @property
    def counts(self) -> np.ndarray:
        return np.bincount(self.labels[self.labels >= 0], minlength=len(self.images))


def _orbit(y: np.ndarray, frame: CanonicalFrame, tol: float):
    images, elements = [], []
    for h, p in zip(frame.stabiliser, frame.permutations):
        im = act_on_points(h, y, p)
        if all(np.abs(im - q).max() > tol for q in images):
            images.append(im)
            elements.append(h)
    return np.array(images), np.array(elements)


REFERENCE_CANDIDATES = 20  # draws tried as the class reference (the one whose orbit holds the most draws wins)


def orbit_classes(samples: np.ndarray, frame: CanonicalFrame, tol: float = CLASS_TOL) -> OrbitClasses:
    """Group node-indexed output clouds (n, N, 3) of one input by the element of Stab(x)
    that maps one onto another (rows permuted as the element permutes the nodes; every
    matrix acts about ``frame.centre``). The classes are the distinct Stab(x)-images of a
    reference draw — of the first ``REFERENCE_CANDIDATES`` draws, the one whose images
    hold the most draws within ``tol`` (so a stray first draw does not define them):
    C = |Stab(x)| / |Stab(x) ∩ Stab(y_ref)| classes.
    """
    samples = np.asarray(samples, dtype=np.float64)
    c = samples - frame.centre
    best = None
    for ref in c[:REFERENCE_CANDIDATES]:
        images, elements = _orbit(ref, frame, tol)
        d = np.abs(c[:, None] - images[None]).max(axis=-1).max(axis=-1)  # (n, C)
        hits = int((d.min(axis=1) <= tol).sum())
        if best is None or hits > best[0]:
            best = (hits, images, elements, d)
        if hits == len(c):
            break
    _, images, elements, d = best
    nearest = d.argmin(axis=1)
    dist = d[np.arange(len(samples)), nearest]
    labels = np.where(dist <= tol, nearest, -1)
    return OrbitClasses(labels, images + frame.centre, elements, dist)
