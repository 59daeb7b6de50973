"""Sections and the heatmap of a train report's ``gconv`` block (relaxed group convolution)."""

from __future__ import annotations

from typing import TypedDict

from symbreak_cli.render.sections import PlotBlock, Section, TableBlock, fmt


class GconvWeightsData(TypedDict):
    """``gconv_weights``: relaxed weights, one row per (layer, filter bank), one column per element."""

    rows: list[str]
    elements: list[str]
    values: list[list[float]]


def gconv_weights(data: dict):
    """Heatmap of the relaxed weights w_l(g) (rows: layer/bank, columns: group elements)."""
    from symbreak_cli.render.plots import new_figure

    vals = data.get("values", [])
    cols = data.get("elements", [])
    fig, ax = new_figure(max(4.0, 0.32 * len(cols) + 2.0), max(2.0, 0.45 * len(vals) + 1.4))
    im = ax.imshow(vals, aspect="auto", cmap="viridis")
    ax.grid(False)
    ax.set_xticks(range(len(cols)))
    ax.set_xticklabels(cols, rotation=90, fontsize=7)
    ax.set_yticks(range(len(vals)))
    ax.set_yticklabels(data.get("rows", []), fontsize=8)
    fig.colorbar(im, ax=ax, label="w_l(g)")
    ax.set_title("relaxed weights per group element")
    return fig


def gconv_sections(report) -> list[Section]:
    """Weights and Fourier norms per layer, the kept subgroup, irreps and equivariance errors."""
    g = getattr(report, "gconv", None)
    if g is None:
        return []
    blocks = []
    if g.layers:
        irreps = list(g.layers[0].fourier)
        rows = [[str(layer.layer), str(b)] + [fmt(layer.fourier[a][b]) for a in irreps]
                for layer in g.layers for b in range(len(layer.weights[0]))]
        blocks.append(TableBlock(f"Fourier on {g.group}: sqrt(|G|/d)·‖P w‖ per irrep", ["layer", "bank", *irreps], rows))
        wrows = [[str(layer.layer), el] + [fmt(v) for v in row] for layer in g.layers
                 for el, row in zip(g.elements, layer.weights)]
        blocks.append(TableBlock("Relaxed weights w_l(g)", ["layer", "element"] +
                                 [f"bank {b}" for b in range(len(g.layers[0].weights[0]))], wrows))
        heat = {"rows": [f"layer {layer.layer} bank {b}" for layer in g.layers for b in range(len(layer.weights[0]))],
                "elements": g.elements,
                "values": [[row[b] for row in layer.weights] for layer in g.layers for b in range(len(layer.weights[0]))]}
        blocks.append(PlotBlock("Relaxed weights per group element", "gconv_weights", heat))
    krows = [["group G", f"{g.group} (order {g.group_order})", f"grid {'×'.join(map(str, g.grid))}"
              + (", periodic" if g.periodic else "")]]
    if g.verdict == "no fit":
        krows.append(["kept subgroup H", "no fit", g.fit.reason if g.fit else ""])
    elif g.kept:
        krows.append(["kept subgroup H", g.kept.description, f"order {g.kept.order}: " + " ".join(g.kept.elements)])
    if g.weight_stabilizer:
        krows.append(["stabiliser of w", g.weight_stabilizer, "elements fixing w to 1e-3 relative"])
    if g.data_asymmetry is not None:
        krows.append(["data asymmetry", fmt(g.data_asymmetry, 3), "tied-weight / relaxed best validation MSE"])
    la = getattr(g, "data_asymmetry_linear", None)
    if la is not None:
        krows.append(["data asymmetry (linear)", fmt(la.asymmetry, 3),
                      f"(L_G − L_free) / L_G of local linear fits ({la.n_equivariant} vs {la.n_free} parameters); "
                      f"L_free = {fmt(la.free_rel, 3)} × mean(y²)"])
    note = None
    if g.kept:
        note = (f"H kept when averaging w over it raises the validation MSE by ≤ margin {fmt(g.kept.margin)} "
                f"(control {fmt(g.kept.control_val_loss)}, noise {fmt(g.kept.noise)})")
    blocks.append(TableBlock("Symmetry kept by the group convolution", ["", "value", "details"], krows, note=note))
    if g.kept:
        trows = [[t.description, str(t.order), fmt(t.delta_val_loss), "yes" if t.refit else "no",
                  "kept" if t.kept else "broken"] for t in g.kept.tests]
        blocks.append(TableBlock("Evidence per subgroup", ["subgroup", "order", "Δ val MSE", "refit", "verdict"], trows,
                                 highlight=frozenset(i for i, t in enumerate(g.kept.tests) if t == g.kept.tests[0]
                                                     or t.description == g.kept.description)))
    if g.irreps:
        irows = [[i.label, fmt(i.norm), "yes" if i.breaking else "no"] for i in g.irreps]
        blocks.append(TableBlock(f"Irreps of {g.group} in the weights", ["irrep", "norm", f"can carry {g.group} → H"], irows,
                                 highlight=frozenset(k for k, i in enumerate(g.irreps) if i.breaking)))
    if g.equivariance:
        erows = [[e.model, fmt(e.mean), fmt(max(e.per_element)),
                  fmt(e.relaxed_mean) if e.relaxed_mean is not None else "–",
                  fmt(max(e.relaxed_per_element)) if e.relaxed_per_element else "–"] for e in g.equivariance]
        stabs = ", ".join(f"{n} × order {o}" for o, n in sorted(g.input_stabilizers.items(), key=lambda kv: -int(kv[0])))
        blocks.append(TableBlock("Model equivariance error", ["model", "mean over G", "largest element", "relaxed: mean",
                                                              "relaxed: largest"], erows,
                                 note="mean |f(gx) − g·f(x)| / mean |f(x)| over validation samples; relaxed (Kaba & "
                                      "Ravanbakhsh): the nearest of g·Stab(x)·f(x) instead of g·f(x)"
                                      + (f"; Stab(x) of the inputs: {stabs}" if stabs else "")))
    return [Section("Relaxed group convolution", blocks)]
