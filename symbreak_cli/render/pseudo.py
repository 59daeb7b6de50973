"""The section of ``detect --pseudo``: one structure's candidate supergroups.

:func:`pseudo_section` (called by :mod:`.detect` for each structure with a ``pseudo``
search) → a table of the candidates (group, index, chain, largest and mean displacement,
strain, the CIF written) or, when none fits, a sentence saying so.
"""

from __future__ import annotations

from symbreak_cli.render.detect import short_name
from symbreak_cli.render.sections import Section, TableBlock
from symbreak_cli.results.detect import StructureResult


def _chain(steps) -> str:
    return " → ".join(s.hm for s in steps)


def pseudo_section(r: StructureResult) -> Section:
    p = r.pseudo
    label = short_name(r.path) + (f" [{r.label}]" if r.label else "")
    title = f"{label} — pseudo-symmetry (supergroups of {p.space_group} ({p.space_group_number}))"
    bound = f"{p.max_displacement_allowed_A:g} Å"
    cut = ("" if p.complete else f" The search stopped after {p.examined} supergroup settings, before every chain ended: "
           "a larger --symprec starts it from a higher group.")
    if not p.candidates:
        return Section(title=title, text=f"No supergroup of {p.space_group} is within {bound} (largest atomic displacement; "
                                         f"{p.examined} supergroup settings examined).{cut}")
    written = any(c.written for c in p.candidates)
    rows = []
    for c in p.candidates:
        row = [f"{c.hm} ({c.number})", str(c.index), _chain(c.chain), f"{c.max_displacement_A:.4f}",
               f"{c.mean_displacement_A:.4f}", f"{c.strain:.2%}"]
        rows.append(row + ([short_name(c.written, 32) if c.written else "—"] if written else []))
    top = max(range(len(p.candidates)), key=lambda i: (p.candidates[i].index, -p.candidates[i].max_displacement_A))
    table = TableBlock(
        title="Candidate supergroups",
        columns=["group", "index", "chain", "max displ. (Å)", "mean displ. (Å)", "strain"] + (["written"] if written else []),
        rows=rows, highlight=frozenset({top}),
        note=(f"within {bound} (--max-displacement); displacement to the idealised structure, input lattice; "
              "strain: largest principal Green–Lagrange strain to the group's metric; highlighted: the highest index"),
    )
    return Section(title=title, blocks=[table], text=cut.strip() or None)


__all__ = ["pseudo_section"]
