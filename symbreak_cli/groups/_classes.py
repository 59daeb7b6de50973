"""Textbook labels for the conjugacy classes of a point group (E, 8C3, 3C2, 6C4, 6C2′, i, …).

Rules, for a group whose *principal axis* P is the unique axis of highest order (the
order of an axis counts C_n about it, and S_n when 4 | n, as in D2d or S4):

* C2 about P → "C2"; perpendicular C2 classes → "C2'", "C2''", the one with an axis
  closest to x first (in the standard orientation C2′ lies along x).
* mirrors: normal ∥ P → "σh"; planes containing P → "σv" if the plane contains a C2′
  axis, else "σd"; without perpendicular C2s, the class whose plane contains x is "σv",
  the other "σd" ("σv'" in C2v).
* polyhedral groups: the 3 C2 along the cube axes → "3C2", the 6 others → "6C2'";
  mirrors ⟂ cube axes "σh", the others "σd"; icosahedral mirrors "σ".
* D2 and D2h (three equivalent C2 axes): "C2(z)", "σ(xy)", … by the nearest Cartesian axis.
* powers: C_n^m and S_n^m with m reduced (C4², the C2 about a C4 axis, reads "C2");
  a class and its inverse class that would get the same label (cyclic groups, T, Th)
  are told apart by the power: the class holding the counter-clockwise rotation about
  the most z-like axis keeps m, its inverse gets n − m (C3, C3²; S6, S6⁵).

Each class also gets *roles* (principal op, C2′, σv, σh, i, …) that
:mod:`._mulliken` uses for Mulliken labels; see :func:`label_classes`. Columns come in
textbook order: E, C_n (n descending), C2, C2′, C2″, i, S_n, σh, σv, σd
(:func:`conjugacy_classes`, the one place a group's classes are made).

>>> from symbreak_cli.groups._point_group import PointGroup
>>> [c.label for c in PointGroup.named("C3v").classes]
['E', '2C3', '3σv']
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping, Sequence

import numpy as np

from symbreak_cli.groups._operations import SIGN_REF, OpInfo
from symbreak_cli.groups._tolerances import AXIS_TOL


@dataclass(frozen=True)
class ConjugacyClass:
    """One conjugacy class: member indices into ``PointGroup.matrices`` and its label.

    Attributes
    ----------
    label : str
        Textbook label with the size prefix when > 1, e.g. "8C3", "3σh", "C2'".
    members : tuple[int, ...]
        Sorted element indices.
    symbol : str
        The label without the size prefix, e.g. "C3".
    """

    label: str
    members: tuple[int, ...]
    symbol: str

    @property
    def size(self) -> int:
        """Number of elements in the class."""
        return len(self.members)

_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_CART = {0: "x", 1: "y", 2: "z"}


def _power(letter: str, n: int, m: int) -> str:
    return f"{letter}{n}" if m == 1 else f"{letter}{n}{str(m).translate(_SUP)}"


def _same_axis(u, v) -> bool:
    return abs(abs(float(np.dot(u, v))) - 1.0) < AXIS_TOL


def _axis_orders(ops: Sequence[OpInfo]) -> list[tuple[np.ndarray, int]]:
    axes: list[list] = []
    for op in ops:
        if op.kind == "C":
            n = op.order_n
        elif op.kind == "S" and op.order_n % 4 == 0:
            n = op.order_n
        else:
            continue
        u = np.array(op.axis)
        for a in axes:
            if _same_axis(a[0], u):
                a[1] = max(a[1], n)
                break
        else:
            axes.append([u, n])
    return [(a[0], a[1]) for a in axes]


def label_classes(ops: Sequence[OpInfo], raw: list[tuple[int, ...]], class_of: np.ndarray,
                  inverse: np.ndarray) -> tuple[list[str], dict]:
    """Textbook symbols (one per raw class, no size prefix) and the class roles.

    ``ops`` classifies every element, ``raw`` lists each class's members, ``class_of`` and
    ``inverse`` index elements (as in :class:`~symbreak_cli.groups._point_group.PointGroup`).

    Roles (class indices, absent when the group lacks them): ``principal`` (C_n or S_n
    about the principal axis with the largest n, m = 1), ``c2_perp`` (first C2′ class),
    ``sigma_v``, ``sigma_h``, ``inversion``, ``c2_axes`` ({'z': k, 'y': k, 'x': k} for
    D2/D2h), ``c4_or_s4`` (cubic), ``c5`` (icosahedral).
    """
    order = len(ops)
    axes = _axis_orders(ops)
    top = max((n for _, n in axes), default=0)
    tops = [u for u, n in axes if n == top]
    mode = "none" if top < 2 else ("uniaxial" if len(tops) == 1 else ("poly" if top >= 3 else "ortho"))
    P = tops[0] if mode == "uniaxial" else None
    roles: dict = {}

    def base(k: int) -> tuple[str, int, int]:
        rep = [ops[a] for a in raw[k]]
        o = rep[0]
        if o.kind in ("E", "i", "sigma"):
            return o.kind, o.order_n, 0
        per = o.order_n if (o.kind == "C" or o.order_n % 2 == 0) else 2 * o.order_n
        m = min(min(r.power_m, per - r.power_m) for r in rep)
        return o.kind, o.order_n, m

    bases = [base(k) for k in range(len(raw))]
    symbols: list[str] = [""] * len(raw)
    # perpendicular C2 classes, closest-to-x first
    c2_perp = []
    for k, (kind, n, _) in enumerate(bases):
        if kind == "C" and n == 2 and mode == "uniaxial" and not _same_axis(ops[raw[k][0]].axis, P):
            c2_perp.append(k)
    c2_perp.sort(key=lambda k: (-max(abs(ops[a].axis[0]) for a in raw[k]), k))
    vertical = []
    for k, (kind, n, m) in enumerate(bases):
        members = raw[k]
        u0 = np.array(ops[members[0]].axis)
        if kind == "E":
            symbols[k] = "E"
        elif kind == "i":
            symbols[k] = "i"
            roles["inversion"] = k
        elif kind == "C" and n == 2:
            if mode == "uniaxial":
                if _same_axis(u0, P):
                    symbols[k] = "C2"
                else:
                    symbols[k] = "C2" + "'" * (c2_perp.index(k) + 1)
            elif mode == "poly":
                symbols[k] = "C2'" if len(members) == 6 else "C2"
            elif mode == "ortho":
                c = _CART[int(np.argmax(np.abs(u0)))]
                symbols[k] = f"C2({c})"
                roles.setdefault("c2_axes", {})[c] = k
            else:
                symbols[k] = "C2"
        elif kind == "C":
            symbols[k] = _power("C", n, m)
        elif kind == "S":
            symbols[k] = _power("S", n, m)
        else:  # mirror
            if mode == "uniaxial":
                if _same_axis(u0, P):
                    symbols[k] = "σh"
                    roles["sigma_h"] = k
                else:
                    vertical.append(k)
            elif mode == "poly":
                cube = [ops[a].axis for K in raw for a in K if len(K) == 3 and ops[a].kind == "C"]
                if order in (60, 120):
                    symbols[k] = "σ"
                else:
                    symbols[k] = "σh" if any(_same_axis(u0, c) for c in cube) else "σd"
                    if symbols[k] == "σh":
                        roles["sigma_h"] = k
            elif mode == "ortho":
                c = int(np.argmax(np.abs(u0)))
                symbols[k] = "σ(" + "".join(_CART[j] for j in range(3) if j != c) + ")"
            else:
                symbols[k] = "σh"
                roles["sigma_h"] = k
    _label_vertical(ops, raw, vertical, c2_perp, top, symbols, roles)
    _split_inverse_pairs(ops, raw, class_of, inverse, bases, symbols)
    _prime_duplicates(symbols)
    if c2_perp:
        roles["c2_perp"] = c2_perp[0]
    if P is not None:
        best = None
        for k, (kind, n, m) in enumerate(bases):
            if kind in ("C", "S") and n == top and _same_axis(ops[raw[k][0]].axis, P) and m == 1:
                if kind == "C" or best is None:
                    best = k
        roles["principal"] = best
    if mode == "poly":
        for k, (kind, n, m) in enumerate(bases):
            if n == 4 and kind == "C" or (n == 4 and kind == "S" and "c4_or_s4" not in roles):
                roles["c4_or_s4"] = k  # C4 wins over S4 whatever the class order (T1u vs T2u in Oh)
            if n == 5 and kind == "C" and m == 1:
                roles["c5"] = k
    return symbols, roles


def _label_vertical(ops, raw, vertical, c2_perp, top, symbols, roles) -> None:
    if not vertical:
        return
    if c2_perp:
        c2_axes = [ops[a].axis for a in raw[c2_perp[0]]]
        for k in vertical:
            # plane contains the C2' axis ⇔ its normal is ⟂ to it
            has = any(abs(np.dot(ops[a].axis, c)) < AXIS_TOL for a in raw[k] for c in c2_axes)
            symbols[k] = "σv" if has else "σd"
    elif len(vertical) == 1:
        symbols[vertical[0]] = "σv"
    else:
        order = sorted(vertical, key=lambda k: (min(abs(ops[a].axis[0]) for a in raw[k]), k))
        for j, k in enumerate(order):
            symbols[k] = "σv" if j == 0 else ("σv'" if top == 2 else "σd")
    for k in vertical:
        if symbols[k] == "σv":
            roles.setdefault("sigma_v", k)


def _split_inverse_pairs(ops, raw, class_of, inverse, bases, symbols) -> None:
    inv_class = [int(class_of[inverse[K[0]]]) for K in raw]
    for k in range(len(raw)):
        j = inv_class[k]
        if j <= k or symbols[j] != symbols[k]:
            continue
        kind, n, m = bases[k]
        per = n if (kind == "C" or n % 2 == 0) else 2 * n

        def score(c: int, m: int = m) -> float:
            return max((float(np.dot(ops[a].axis, SIGN_REF)) for a in raw[c] if ops[a].power_m == m), default=-9.0)

        loser = j if score(k) >= score(j) else k
        symbols[loser] = _power(kind, n, per - m)


def _prime_duplicates(symbols: list[str]) -> None:
    seen: dict[str, int] = {}
    for k, s in enumerate(symbols):
        if s in seen:
            seen[s] += 1
            symbols[k] = s + "'" * seen[s]
        else:
            seen[s] = 0


#: column order within a kind: σh, σv, σv', σd; C2(z), C2(y), C2(x); σ(xy), σ(xz), σ(yz)
_SUB_ORDER = {"σh": 0, "σv": 1, "σv'": 2, "σd": 3, "C2(z)": 0, "C2(y)": 1, "C2(x)": 2,
              "σ(xy)": 0, "σ(xz)": 1, "σ(yz)": 2}
_KIND_RANK = {"E": 0, "C": 1, "i": 2, "S": 3, "sigma": 4}


def _raw_classes(table: np.ndarray, inverse: np.ndarray) -> tuple[list[tuple[int, ...]], np.ndarray]:
    """Classes {h g h⁻¹ : h ∈ G} in order of first element, and each element's class index."""
    n = len(table)
    conj = table[table[:, np.arange(n)], inverse[:, None]]  # conj[h, g] = h g h⁻¹
    class_of = -np.ones(n, dtype=int)
    raw: list[tuple[int, ...]] = []
    for g in range(n):
        if class_of[g] < 0:
            members = tuple(sorted(set(conj[:, g].tolist())))
            class_of[list(members)] = len(raw)
            raw.append(members)
    return raw, class_of


def conjugacy_classes(ops: Sequence[OpInfo], table: np.ndarray, inverse: np.ndarray
                      ) -> tuple[tuple[ConjugacyClass, ...], np.ndarray, Mapping]:
    """The labelled classes of a group in textbook column order.

    Parameters
    ----------
    ops : sequence of OpInfo, one per element (identity first).
    table : (n, n) int, multiplication table ``table[a, b] = index(g_a g_b)``.
    inverse : (n,) int, index of each element's inverse.

    Returns
    -------
    classes : tuple of ConjugacyClass, E first.
    class_of : (n,) int, read-only, the index in ``classes`` of each element's class.
    roles : read-only mapping of class roles (:func:`label_classes`), indices into ``classes``.
    """
    raw, class_of = _raw_classes(table, inverse)
    symbols, roles = label_classes(ops, raw, class_of, inverse)

    def key(k: int):
        s = symbols[k]
        o = ops[raw[k][0]]
        return (_KIND_RANK[o.kind], -o.order_n, s.count("'"), _SUB_ORDER.get(s, 0), s, k)

    perm = sorted(range(len(raw)), key=key)
    new_index = {old: new for new, old in enumerate(perm)}
    classes = tuple(
        ConjugacyClass(label=(f"{len(raw[k])}{symbols[k]}" if len(raw[k]) > 1 else symbols[k]),
                       members=raw[k], symbol=symbols[k])
        for k in perm
    )
    class_of = np.array([new_index[int(k)] for k in class_of])
    class_of.setflags(write=False)
    roles = {
        r: (MappingProxyType({a: new_index[b] for a, b in v.items()}) if isinstance(v, dict)
            else (None if v is None else new_index[v]))
        for r, v in roles.items()
    }
    return classes, class_of, MappingProxyType(roles)
