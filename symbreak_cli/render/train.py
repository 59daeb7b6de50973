"""Sections of a ``symbreak.train`` report (shared by the rich, Markdown and HTML views),
and :func:`write_run_plots`, the PNGs of a run directory.
"""

from __future__ import annotations

from symbreak_cli.render.sections import PlotBlock, Section, TableBlock, fmt


def _vec(v) -> str:
    return "(" + ", ".join(f"{x:+.3f}" for x in v) + ")"


def _models(report) -> Section:
    timing = {t.label: t for t in report.provenance.timings}
    rows = [[m.label, fmt(m.best_val_loss), fmt(m.final_train_loss), str(m.epochs_run), m.stop_reason,
             fmt(timing[m.label].wall_time_s, 3) if m.label in timing else "—",
             fmt(timing[m.label].time_per_step_ms, 3) if m.label in timing else "—", str(m.n_parameters)]
            for m in report.models]
    note = None
    if report.loss_ratio_equivariant_over_relaxed is not None:
        note = (f"equivariant / relaxed validation loss = {fmt(report.loss_ratio_equivariant_over_relaxed, 3)} "
                "(Curie: an equivariant model cannot break the input's symmetry)")
    d = report.data
    text = (f"{d.path}: task {d.task}, {d.n_samples} sample(s) × {d.n_points} points, target {d.target}; "
            f"train {d.n_train} / val {d.n_val}" + (" (validation reuses the single sample)" if d.val_is_train else ""))
    cols = ["model", "best val MSE", "final train MSE", "epochs", "stopped", "time (s)", "ms/step", "params"]
    blocks = [TableBlock("Models", cols, rows, note=note)]
    curves = [{"label": m.label, "train": m.history.train_loss, "val": m.history.val_loss} for m in report.models]
    blocks.append(PlotBlock("Loss curves", "loss_curves", {"curves": curves}))
    return Section("Training", blocks, text=text)


def _theta(report) -> list[Section]:
    if not report.theta:
        return []
    out = []
    for reading in report.theta:
        rows = [[r.irrep, fmt(r.norm), "—" if r.irrep == "0e" else f"{100 * r.share:.1f} %"] for r in reading.irreps]
        top = max((i for i, r in enumerate(reading.irreps) if r.irrep != "0e"),
                  key=lambda i: reading.irreps[i].norm, default=None)
        blocks = [TableBlock(f"θ per irrep (layer {reading.layer})", ["irrep", "‖θ‖", "share of non-scalar"], rows,
                             highlight=frozenset([top]) if top is not None else frozenset())]
        phys = []
        if reading.vector_1o:
            phys.append(["1o polar vector", _vec(reading.vector_1o.direction), fmt(reading.vector_1o.magnitude)])
        if reading.axis_1e:
            phys.append(["1e axial vector (axis)", _vec(reading.axis_1e.direction), fmt(reading.axis_1e.magnitude)])
        if reading.tensor_2e:
            t = reading.tensor_2e
            for val, ax in zip(t.principal_values, t.principal_axes):
                phys.append(["2e principal axis", _vec(ax), fmt(val)])
        if phys:
            blocks.append(TableBlock("Physical reading", ["part", "direction", "magnitude / value"], phys))
        out.append(Section(f"Relaxed weights θ — layer {reading.layer}", blocks))
    norms = report.theta_combined or report.theta[-1].irreps  # over layers (root-sum-square)
    bars = {"irreps": [r.irrep for r in norms], "norms": [r.norm for r in norms]}
    out[-1].blocks.append(PlotBlock("Relaxed weights θ per irrep", "irrep_norms", bars))
    if report.signal:
        out[-1].blocks.append(PlotBlock("Learned signal S(r̂)", "learned_signal", report.signal))
    return out


def _symmetry(report) -> list[Section]:
    s = report.symmetry
    if s is None:
        return []
    rows = [["data's group G", s.data_group, s.data_group_source]]
    if s.verdict == "no fit":
        rows.append(["kept group H", "no fit", s.fit.reason])
    elif s.kept:
        axes = "; ".join(f"{a.symbol}: {_vec(a.direction)}" for a in s.kept.axes)
        order = "continuous; 6-fold approximant of order" if s.kept.is_continuous else "order"
        if s.kept.continuous_axis is not None:
            axes = f"C∞ axis {_vec(s.kept.continuous_axis)}"
        rows.append(["kept group H (θ invariant, every layer)", f"{s.kept.schoenflies} ({s.kept.hm}), {order} {s.kept.order}",
                     axes or "—"])
    else:
        rows.append(["kept group H", "—", "operations leaving θ invariant do not form a group"])
    if s.n_domains:
        rows.append(["domains |G|/|H|", str(s.n_domains), ""])
    note = None
    if s.kept:
        r = s.kept.tolerance_rule
        note = (f"tolerance on ‖D(g)θ_l − θ_l‖ per layer: {', '.join(fmt(t) for t in s.kept.tolerances)} "
                f"(max of {fmt(r.rel_largest_block)} × largest block, {fmt(r.rel_scalar)} × ‖θ_0e‖, {fmt(r.floor)})")
    if report.restarts is not None:
        rs = report.restarts
        rows.append(["restarts agreeing", rs.summary, ", ".join(f"{k}: {v}" for k, v in rs.counts.items())])
    blocks = [TableBlock("Symmetry kept by the model", ["", "group", "details"], rows, note=note)]
    if report.restarts is not None:
        blocks.append(_restarts(report.restarts))
    if s.evidence is not None:
        blocks.append(_evidence(s.evidence))
    brows = [[b.label, str(b.multiplicity), fmt(b.theta_norm)] for b in s.breaking]
    if s.verdict != "no fit":  # a model that does not fit names no breaking irreps
        blocks.append(TableBlock(f"Breaking irreps of {s.data_group}", ["irrep", "identity copies in Γ↓H", "‖P_Γ θ‖"],
                                 brows, highlight=frozenset(range(len(brows))), note=s.note))
    eq = report.equivariance
    if eq:
        erows = [["model, random O(3)", fmt(eq.model_error_o3)],
                 [f"model, g ∈ {s.data_group}", fmt(eq.model_error_group)],
                 [f"data, g ∈ {s.data_group}", fmt(eq.data_error_group)]]
        blocks.append(TableBlock("Equivariance error (relative)", ["", "mean |f(gx) − g f(x)| / |f|"], erows))
    return [Section("Symmetry breaking", blocks)]


def _restarts(rs) -> TableBlock:
    rows = [[str(r.seed), fmt(r.best_val_loss), str(r.epochs_run), r.verdict, " ".join(r.needed) or "—",
             "reported" if r.reported else ""] for r in rs.rows]
    note = (f"{rs.n} restarts, {'vectorised over seeds (vmap)' if rs.vectorised else 'one after another'}; "
            f"the reported one has the lowest validation MSE. {rs.rule}")
    return TableBlock(f"Restarts: {rs.summary}", ["seed", "best val MSE", "epochs", "verdict", "needed", ""], rows,
                      highlight=frozenset(i for i, r in enumerate(rs.rows) if r.reported), note=note)


def _evidence(e) -> TableBlock:
    rows = [[str(b.layer), b.irrep, fmt(b.norm), f"{100 * b.share:.1f} %", fmt(b.delta_val_loss),
             "yes" if b.refit else "no", b.verdict] for b in e.blocks]
    note = (f"needed when Δ > margin {fmt(e.margin)} = max({fmt(e.needed_rel)} × control val MSE {fmt(e.control_val_loss)}, "
            f"{fmt(e.noise_factor)} × noise {fmt(e.noise)}, {fmt(e.floor_rel)} × mean(target²) {fmt(e.target_mean_square)}); "
            f"every negligible block removed together: Δ {fmt(e.joint_delta_val_loss)}")
    return TableBlock("Evidence: validation MSE when a block of θ is removed",
                      ["layer", "irrep", "‖θ‖", "share", "Δ val MSE", "refit", "verdict"], rows,
                      highlight=frozenset(i for i, b in enumerate(e.blocks) if b.verdict == "needed"), note=note)


def _reg_path(report) -> list[Section]:
    p = report.reg_path
    if p is None:
        return []
    rows = [[str(q.l_relaxed), fmt(q.reg), fmt(q.best_val_loss), fmt(q.theta_nonscalar), " ".join(q.needed) or "—",
             q.verdict] for q in p.points]
    knee = {(int(k), v) for k, v in p.knees.items()}
    hl = frozenset(i for i, q in enumerate(p.points) if (q.l_relaxed, q.reg) in knee)
    table = TableBlock("Regularisation path", ["l_relaxed", "λ", "best val MSE", "‖θ_non-scalar‖", "irreps on", "verdict"],
                       rows, highlight=hl, note="knee (highlighted): " + ", ".join(
                           f"l ≤ {k}: λ = {fmt(v)}" for k, v in p.knees.items()) + f". {p.rule}")
    ls = sorted({q.l_relaxed for q in p.points})
    loss = {"series": [{"label": f"l ≤ {lv}", "x": [q.theta_nonscalar for q in p.points if q.l_relaxed == lv],
                        "y": [q.best_val_loss for q in p.points if q.l_relaxed == lv]} for lv in ls],
            "xlabel": "‖θ_non-scalar‖", "ylabel": "best validation MSE", "logy": True,
            "title": "validation loss against the breaking kept (one point per λ)"}
    last = [q for q in p.points if q.l_relaxed == ls[-1]]
    irreps = [k for k in (last[0].norms if last else {}) if k != "0e"]
    norms = {"x": [q.reg for q in last], "series": [{"label": k, "y": [q.norms.get(k) if q.norms.get(k, 0) > 1e-8 else None
                                                                       for q in last]} for k in irreps],
             "xlabel": "λ", "ylabel": "‖θ_irrep‖", "logx": True, "logy": True,
             "title": f"which irreps switch on where (l ≤ {ls[-1]})"}
    return [Section("Regularisation path", [table, PlotBlock("Regularisation path: loss", "lines", loss),
                                            PlotBlock("Regularisation path: irreps", "lines", norms)])]


def sections_for_train(report) -> list[Section]:
    """Training summary, θ readings per layer, the group-theory analysis, the λ path, a
    SymPE run's draws (class table and histogram per model) and a relaxed group
    convolution's weights (``--model gconv``).
    """
    from symbreak_cli.render.gconv import gconv_sections
    from symbreak_cli.render.samples import samples_sections

    sympe = samples_sections(report.sympe, report.restarts) if report.sympe is not None else []
    return [_models(report), *_theta(report), *_symmetry(report), *_reg_path(report), *sympe, *gconv_sections(report)]


def write_run_plots(report, out_dir) -> list[str]:
    """Draw every plot block of the report's sections to PNG in ``out_dir``; return the
    file names (``01-loss-curves.png``, … : :func:`~symbreak_cli.render.plots.write_section_plots` names).

    The function ``symbreak train-relaxed`` injects as ``train_relaxed(..., write_plots=...)``.
    """
    from pathlib import Path

    from symbreak_cli.render.plots import write_section_plots

    return [p.name for p in write_section_plots(sections_for_train(report), Path(out_dir), "png", force=True)]
