"""Sections of draws from a SymPE run: per model a class table and a class histogram
(the ``bars`` plot), the comparison of models (χ², entropy, equivariance errors).

Used by the ``samples`` report kind, the ``train`` report's ``sympe`` block and the
``break`` report's ``samples`` section.
"""

from __future__ import annotations

from symbreak_cli.render.sections import PlotBlock, Section, TableBlock, fmt


def _summary(section) -> TableBlock:
    rows = []
    for m in section.models:
        chi = _uniform(m)
        ent = "—" if m.entropy is None else f"{fmt(m.entropy.nats, 3)} ({m.entropy.kind})"
        eq = m.equivariance
        rows.append([m.label, str(m.n_classes), chi, fmt(m.max_distance_to_class, 3),
                     "—" if m.distance_to_training is None else fmt(m.distance_to_training.max, 3), ent,
                     "—" if eq is None else fmt(eq.ordinary_max, 3), "—" if eq is None else fmt(eq.relaxed_max, 3)])
    note = ("classes: images of the first draw under the input's stabiliser; p: χ² against equal frequencies, over the "
            "classified draws only (none when under half are classified); "
            "ordinary = max d(f(gx), g f(x)), relaxed = max min_s d(f(gx), g s f(x)) over random O(3) g, s ∈ Stab(x)")
    cols = ["model", "classes", "uniform?", "max dist. to class", "max dist. to training", "entropy (nats)",
            "equiv. error", "relaxed equiv. error"]
    return TableBlock("Draws per model", cols, rows, note=note)


def _uniform(m) -> str:
    """The χ² cell: statistic and p, how many draws it counts when some are unclassified,
    or why there is no test.
    """
    if m.chi2 is None:
        if m.chi2_note is not None and m.unclassified:
            return f"no test: {m.n_samples - m.unclassified}/{m.n_samples} classified"
        return "—"
    text = f"χ² {fmt(m.chi2.statistic, 3)}, p {fmt(m.chi2.p_value, 3)}"
    if m.unclassified:
        text += f" (over {m.n_samples - m.unclassified}/{m.n_samples} classified)"
    return text


def _classes(m) -> list:
    rows = [[str(c.index), c.element, str(c.count), f"{100 * c.frequency:.1f} %"] for c in m.classes]
    if m.unclassified:
        rows.append(["—", "none within tolerance", str(m.unclassified), f"{100 * m.unclassified / m.n_samples:.1f} %"])
    table = TableBlock(f"{m.label}: {m.n_samples} draws in {m.n_classes} class(es)", ["class", "element from class 0",
                                                                                      "count", "frequency"], rows,
                      note=m.chi2_note)
    bars = {"labels": [c.element for c in m.classes], "values": [c.count for c in m.classes], "ylabel": "draws",
            "title": f"{m.label}: draws per symmetry-equivalent class"}
    return [table, PlotBlock(f"{m.label}: class histogram", "bars", bars)]


def _restarts(rs) -> TableBlock:
    """A ``--sympe --restarts N`` run's restarts: per seed its loss, verdict, χ² p and distance."""
    rows = [[str(r.seed), fmt(r.best_val_loss), str(r.epochs_run), r.verdict,
             "—" if r.p_value is None else fmt(r.p_value, 3),
             "—" if r.max_distance_to_training is None else fmt(r.max_distance_to_training, 3),
             "reported" if r.reported else ""] for r in rs.rows]
    note = (f"{rs.n} restarts, {'vectorised over seeds (vmap)' if rs.vectorised else 'one after another'}; "
            f"the reported one has the lowest validation MSE. {rs.rule}")
    return TableBlock(f"SymPE restarts: {rs.summary}", ["seed", "best val MSE", "epochs", "verdict", "χ² p",
                                                        "max dist. to training", ""], rows,
                      highlight=frozenset(i for i, r in enumerate(rs.rows) if r.reported), note=note)


def samples_sections(section, restarts=None) -> list[Section]:
    """The sections of a :class:`~symbreak_cli.results.samples.SamplesSection` (and, for a
    train report of a ``--sympe --restarts N`` run, its ``restarts`` block).
    """
    order = "continuous" if section.stabiliser_order is None else f"order {section.stabiliser_order}"
    text = (f"{section.input}: {section.n_points} points, stabiliser {section.stabiliser} ({order}); "
            f"seed {section.seed}")
    blocks = [_summary(section)] + ([_restarts(restarts)] if restarts is not None else [])
    for m in section.models:
        blocks += _classes(m)
    return [Section("Symmetry-breaking draws", blocks, text=text)]


def sections_for_samples(report) -> list[Section]:
    """A ``samples`` report: its one section set (files listed in the text)."""
    out = samples_sections(report.samples)
    files = [f for f in report.files if f.endswith(".xyz")]
    if files:
        out[0] = Section(out[0].title, out[0].blocks,
                         text=f"{out[0].text}; run {report.run_dir}; {len(files)} xyz files ({files[0]} …)")
    return out
