"""Sections of a ``symbreak.break/<major>`` report, and the ``domain_patterns`` plot (one 3-D
quiver of the displacements per domain) that the HTML view draws.

>>> from symbreak_cli.render.payloads import missing_keys
>>> missing_keys(DomainPatternsData, {"positions_A": []})
['domains', 'symbols']
"""

from __future__ import annotations

import os
from typing import TypedDict

from symbreak_cli.render.sections import PlotBlock, Section, TableBlock, fmt

#: most domains drawn in one figure (the table lists every one)
MAX_DRAWN = 24


class DomainPattern(TypedDict):
    label: str
    displacements_A: list[list[float]]


class DomainPatternsData(TypedDict):
    """``domain_patterns``: parent positions (Å), atom symbols, one displacement field per domain."""

    positions_A: list[list[float]]
    symbols: list[str]
    domains: list[DomainPattern]


def _vector(v) -> str:
    return "(" + ", ".join(f"{x:+.4f}" for x in v) + ")"


def _summary(r) -> Section:
    obj = r.object
    rows = [
        ["structure", f"{r.structure} ({r.formula}, {r.kind})"],
        ["parent group", r.parent_group or "—"],
        ["target group", r.target_group or "—"],
        ["domains", f"{fmt(r.total_domains)} = {fmt(r.orientational_domains)} orientational × "
                    f"{fmt(r.translational_domains)} translational"],
    ]
    if r.irrep is not None:
        ir = r.irrep
        rows += [["irrep and direction", f"{ir.label} along ({', '.join(f'{x:g}' for x in ir.direction)}) → {ir.isotropy_group}"],
                 ["supercell N", " / ".join(" ".join(str(x) for x in row) for row in ir.supercell)],
                 ["origin", ir.origin]]
    if r.relation is not None:
        rows.append(["lost operations", ", ".join(r.relation.lost_operations) or "—"])
    if r.subgroup_classes and r.subgroup_classes > 1:
        rows.append(["subgroup classes", f"{r.subgroup_classes} non-conjugate copies of {r.relation.child} in "
                                         f"{r.relation.parent}; the first (standard orientation) was used"])
    if obj is not None:
        rows.append(["breaking object", " + ".join(f"{p.irrep}: {p.polynomial}" for p in obj.parts)])
        rows.append(["object belongs to", " + ".join("/".join(p.parent_irreps) for p in obj.parts)
                     + f" of {r.relation.parent if r.relation else 'G'}" + (" (point-group level)" if r.irrep else "")])
        rows.append(["object's own symmetry", obj.o3_symmetry])
    rows += [["displacements transform as", " + ".join(r.pattern_irreps) or "— (strain only)"],
             ["amplitude (Å)", fmt(r.amplitude_A)], ["strain", fmt(r.strain)],
             ["written to", r.out or "— (no --out)"]]
    return Section("Summary", [TableBlock("Breaking", ["property", "value"], rows, note=r.pattern)])


def _object(r) -> list[Section]:
    obj = r.object
    if obj is None:
        return []
    rows = [[p.irrep, str(p.l), "+1" if p.parity > 0 else "−1", p.polynomial, ", ".join(p.parent_irreps),
             str(p.n_new_invariants), _vector(p.vector)] for p in obj.parts]
    note = f"lowest l with stabiliser exactly {r.relation.child} in {r.relation.parent} (searched l ≤ {obj.lmax})"
    if obj.alternatives:
        note += "; also possible at that l: " + ", ".join(obj.alternatives)
    cols = ["irrep", "l", "parity", "polynomial", "irreps of G", "new invariants", "vector (e3nn basis)"]
    return [Section("Symmetry-breaking object", [TableBlock("Object", cols, rows, note=note)])]


def _domains(r) -> Section:
    rows = [[str(d.index), d.representative, d.check.found, fmt(d.check.verified), fmt(d.check.same_operations),
             f"{d.max_displacement_A:.4f}", os.path.basename(d.path) if d.path else "—"] for d in r.domains]
    bad = frozenset(i for i, d in enumerate(r.domains) if not d.check.verified)
    blocks: list = [TableBlock("Domains", ["domain", "representative g", "re-detected", "verified", "own orientation",
                                           "max |u| (Å)", "file"], rows, highlight=bad,
                               note="each domain is g·(domain 0); re-detected from the structure as built")]
    if r.domains:
        data: DomainPatternsData = {
            "positions_A": r.positions_A, "symbols": r.symbols,
            "domains": [{"label": f"domain {d.index}: {d.representative}", "displacements_A": d.displacements_A}
                        for d in r.domains[:MAX_DRAWN]]}
        blocks.append(PlotBlock("Displacement pattern of each domain", "domain_patterns", data))
    return Section("Domains", blocks)


def sections_for_break(report) -> list[Section]:
    """Summary, the breaking object, the domains (table and displacement pictures); for
    ``break --model`` the draws from the SymPE run instead (class tables and histograms).
    """
    if getattr(report, "samples", None) is not None:
        from symbreak_cli.render.samples import samples_sections

        rows = [["structure", f"{report.structure} ({report.formula}, {report.kind})"],
                ["stabiliser of the input", report.parent_group or "—"], ["written to", report.out or "— (no --out)"]]
        return [Section("Summary", [TableBlock("Breaking by a trained model", ["property", "value"], rows,
                                               note=report.pattern)]), *samples_sections(report.samples)]
    return [_summary(report), *_object(report), _domains(report)]


def domain_patterns(data: DomainPatternsData):
    """One 3-D panel per domain: atoms of the parent (by species) and an arrow for each
    atom's displacement, all arrows scaled alike (the largest drawn at a third of the
    structure's size).
    """
    import numpy as np

    from symbreak_cli.render.plots import COLORS, new_figure

    X = np.asarray(data["positions_A"], float).reshape(-1, 3)
    doms = data["domains"]
    n = max(len(doms), 1)
    cols = min(n, 4)
    rows = -(-n // cols)
    fig, axes = new_figure(2.6 * cols, 2.6 * rows, nrows=rows, ncols=cols, projection="3d")
    axes = np.atleast_1d(axes).ravel()
    species = list(dict.fromkeys(data["symbols"]))
    colour = {s: COLORS[i % len(COLORS)] for i, s in enumerate(species)}
    size = float(np.ptp(X, axis=0).max()) if len(X) > 1 else 1.0
    longest = max((float(np.linalg.norm(np.asarray(d["displacements_A"], float), axis=1).max()) for d in doms), default=0.0)
    scale = size / 3 / longest if longest > 0 else 1.0
    for ax, d in zip(axes, doms):
        U = np.asarray(d["displacements_A"], float).reshape(-1, 3) * scale
        for s in species:
            mask = np.array([t == s for t in data["symbols"]])
            ax.scatter(*X[mask].T, s=28, color=colour[s], label=s, depthshade=False)
        ax.quiver(*X.T, *U.T, color="#26323d", linewidth=1.2, arrow_length_ratio=0.25)
        ax.set_title(d["label"], fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_zticks([])
    for ax in axes[len(doms):]:
        ax.set_axis_off()
    if len(axes):
        axes[0].legend(loc="upper left", fontsize=7)
    fig.suptitle(f"displacements (arrows ×{scale:.3g})", fontsize=9)
    return fig
