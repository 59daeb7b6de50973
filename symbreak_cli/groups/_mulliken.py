"""Mulliken labels from characters (rules in :mod:`.character_tables`'s docstring).

Class *roles* come from :func:`symbreak_cli.groups._classes.label_classes`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from symbreak_cli.groups._point_group import PointGroup

_LETTER = {1: "A", 2: "E", 3: "T", 4: "G", 5: "H"}
_ORDER = "ABETGH"


def mulliken_labels(G: "PointGroup", irreps: list[tuple[int, np.ndarray]]) -> list[str]:
    """Labels for irreps given as (degree, characters per class in ``G.classes`` order)."""
    roles = G.class_roles
    ops = G.ops
    princ = roles.get("principal")
    n_princ = ops[G.classes[princ].members[0]].order_n if princ is not None else 0
    labels: list[list[str]] = []  # [letter, subscript, suffix]
    for d, ch in irreps:
        letter = _LETTER.get(d, f"Γ{d}")
        sub = ""
        if d == 1:
            if "c2_axes" in roles:
                sym = [c for c in ("z", "y", "x") if ch[roles["c2_axes"][c]] > 0]
                if len(sym) == 3:
                    letter = "A"
                else:
                    letter, sub = "B", {"z": "1", "y": "2", "x": "3"}[sym[0]]
            else:
                if princ is not None and ch[princ] < 0:
                    letter = "B"
                ref = roles.get("c2_perp", roles.get("sigma_v"))
                if princ is None and "c4_or_s4" in roles:
                    ref = roles["c4_or_s4"]
                if ref is not None:
                    sub = "1" if ch[ref] > 0 else "2"
        elif d == 2 and princ is not None and n_princ >= 3:
            ang = np.arccos(np.clip(ch[princ] / 2.0, -1, 1))
            sub = str(int(round(ang * n_princ / (2 * np.pi))))
        elif d == 3 and "c4_or_s4" in roles:
            sub = "1" if ch[roles["c4_or_s4"]] > 0 else "2"
        elif d == 3 and "c5" in roles:
            sub = "1" if ch[roles["c5"]] > 1 else "2"
        suffix = ""
        if "inversion" in roles:
            suffix = "g" if ch[roles["inversion"]] > 0 else "u"
        elif "sigma_h" in roles and princ is not None:
            suffix = "'" if ch[roles["sigma_h"]] > 0 else "''"
        elif "sigma_h" in roles:  # Cs
            suffix = "'" if ch[roles["sigma_h"]] > 0 else "''"
        labels.append([letter, sub, suffix])
    # E_k subscripts only where needed to tell two E's of the same parity apart
    for a, (letter, sub, suffix) in enumerate(labels):
        if letter == "E" and sub:
            twins = [b for b, lab in enumerate(labels) if lab[0] == "E" and lab[2] == suffix]
            if len(twins) == 1:
                labels[a][1] = ""
    out = ["".join(lab) for lab in labels]
    seen: dict[str, int] = {}
    for a, s in enumerate(out):  # never two irreps with one label
        if s in seen:
            seen[s] += 1
            out[a] = f"{s}({seen[s]})"
        else:
            seen[s] = 0
    return out


def sort_key(label: str) -> tuple:
    """Textbook row order: g before u, ′ before ″, then A, B, E, T, G, H, then subscript."""
    m = re.match(r"([A-Z]|Γ\d+)(\d*)([gu]?)('*)", label)
    if not m:
        return (9, 9, 9, 0, label)
    letter, num, gu, primes = m.groups()
    return (gu == "u", len(primes), _ORDER.find(letter[0]) if letter[0] in _ORDER else 9, int(num or 0), label)
