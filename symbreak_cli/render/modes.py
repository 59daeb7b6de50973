"""Sections of the symmetry-mode decomposition (``detect CHILD --parent PARENT``, crystals):
the matching (P, p), a "symmetry modes" table, a strain table and a bar plot of the
amplitudes (HTML).
"""

from __future__ import annotations

from symbreak_cli.render.sections import PlotBlock, Section, TableBlock, fmt
from symbreak_cli.results.modes import ModeAnalysisModel

#: share of the total distortion below which an irrep is left out of the table (the JSON keeps all)
MIN_SHARE = 1e-6


_GLYPHS = {"0": "0", "1/2": "½", "1/3": "⅓", "2/3": "⅔", "1/4": "¼", "3/4": "¾", "1/6": "⅙", "5/6": "⅚"}


def _k(k: list[float]) -> str:
    """The k-point as a short word: (½,½,0)."""
    from fractions import Fraction

    parts = [str(Fraction(x).limit_denominator(12)) for x in k]
    return "(" + ",".join(_GLYPHS.get(p, p) for p in parts) + ")"


def _mat(m) -> str:
    return " / ".join(" ".join(fmt(x) if isinstance(x, float) else str(x) for x in row) for row in m)


def matching_block(m: ModeAnalysisModel) -> TableBlock:
    t = m.matching
    rows = [
        ["parent", f"{m.parent_space_group} ({m.parent_space_group_number}), {m.parent_origin}"],
        ["child", f"{m.child_space_group} ({m.child_space_group_number})"],
        ["basis P (x_parent = P·x_child + p)", _mat(t.basis_P)],
        ["origin shift p", " ".join(fmt(x) for x in t.origin_shift_p)],
        ["largest atomic displacement (Å)", f"{t.max_displacement_A:.4f}"],
        ["total distortion As / Ap (Å)", f"{m.total_child_A:.4f} / {m.total_parent_A:.4f}"],
        ["decomposed in supercell", _mat(m.repeated_supercell)],
        ["amplitudes measured in", "the undistorted parent lattice (ISODISTORT)" if m.metric == "parent"
         else "the parent supercell at the child's volume"],
    ]
    return TableBlock(title="Parent–child matching", columns=["property", "value"], rows=rows, note=m.normalisation)


def modes_block(m: ModeAnalysisModel) -> TableBlock:
    shown = [i for i in m.irreps if i.share > MIN_SHARE]
    rows = [[i.irrep, _k(i.kpoint), i.direction_text, f"{i.isotropy_subgroup} ({i.isotropy_subgroup_number})"
             if i.isotropy_subgroup else "—", str(i.n_modes), f"{i.amplitude_parent_A:.4f}", f"{i.amplitude_child_A:.4f}",
             f"{i.share:.1%}"] for i in shown]
    hidden = len(m.irreps) - len(shown)
    return TableBlock(title="Symmetry modes", columns=["irrep", "k", "direction", "isotropy", "modes", "Ap (Å)",
                                                       "As (Å)", "share"], rows=rows, highlight=frozenset({0}) if rows else frozenset(),
                      note=f"labels for {m.parent_origin}; {hidden} other irreps at these k-points have zero amplitude")


def strain_block(m: ModeAnalysisModel) -> TableBlock:
    rows = [[s.irrep, f"{s.amplitude:.3e}" if s.amplitude else "0"] for s in m.strain]
    return TableBlock(title="Strain by irrep", columns=["irrep", "amplitude (Frobenius norm)"], rows=rows,
                      note="Biot strain U − 1 of the child lattice against the parent supercell (ISODISTORT's strain modes), "
                           "volume part included")


def modes_section(title: str, m: ModeAnalysisModel) -> Section:
    shown = [i for i in m.irreps if i.share > MIN_SHARE]
    plot = PlotBlock(title="Mode amplitudes", kind="bars",
                     data={"labels": [i.irrep for i in shown], "values": [i.amplitude_parent_A for i in shown],
                           "ylabel": "Ap (Å)", "title": f"{m.parent_space_group} → {m.child_space_group}"})
    top = ", ".join(f"{i.irrep} {i.amplitude_parent_A:.3f} Å" for i in shown[:3]) or "no distortion"
    return Section(title=title, blocks=[matching_block(m), modes_block(m), strain_block(m), plot],
                   text=f"{m.parent_space_group} → {m.child_space_group}: {top} (Ap, per parent cell).")


__all__ = ["matching_block", "modes_block", "modes_section", "strain_block"]
